"""Small helpers for the SOAP registries (ADIS, ISIR, IS REPLIK, GUS BIR).

Answers are parsed by local element names: the registries' namespaces differ
between versions and test hosts. A document type declaration is refused (no
registry sends one; it is how entity-expansion attacks start).
"""

import re
import xml.etree.ElementTree as ET

from . import result as res
from .http import RegistryUnavailable

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
_ENVELOPE = re.compile(rb"<(?:\w+:)?Envelope[\s>].*</(?:\w+:)?Envelope>", re.DOTALL)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def parse(body, response=None, registry="the registry"):
    """The root element of an XML answer, or RegistryUnavailable(malformed)."""
    if b"<!DOCTYPE" in body[:2048].upper():
        raise RegistryUnavailable(
            f"{registry} answered with a document type declaration",
            response,
            kind=res.MALFORMED,
        )
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise RegistryUnavailable(
            f"{registry} answered with malformed XML: {exc}",
            response,
            kind=res.MALFORMED,
        ) from exc


def envelope_of(body):
    """The SOAP envelope inside an MTOM/multipart answer (GUS BIR), or the body."""
    match = _ENVELOPE.search(body or b"")
    return match.group(0) if match else body


def find(element, name):
    """First descendant (or self) with this local name."""
    for node in element.iter():
        if local(node.tag) == name:
            return node
    return None


def find_all(element, name):
    return [node for node in element.iter() if local(node.tag) == name]


def child_text(element, name):
    """Stripped text of the first direct child with this local name, or None."""
    for node in element:
        if local(node.tag) == name:
            text = (node.text or "").strip()
            return text or None
    return None


def children(element):
    """{local name: stripped text} of the direct children (leaf values)."""
    return {
        local(node.tag): (node.text or "").strip() for node in element if len(node) == 0
    }


def raise_fault(root, response, registry):
    """RegistryUnavailable for a SOAP fault (1.1 or 1.2) in the answer."""
    fault = find(root, "Fault")
    if fault is None:
        return
    text = (
        child_text(fault, "faultstring")
        or " ".join((node.text or "").strip() for node in find_all(fault, "Text"))
        or "no reason given"
    )
    code = child_text(fault, "faultcode") or ""
    code = code or " ".join(
        (node.text or "").strip() for node in find_all(fault, "Value")
    )
    # A client fault means our request was refused; a server fault is an outage.
    kind = res.REFUSED if "client" in code.lower() or "sender" in code.lower() else None
    raise RegistryUnavailable(
        f"{registry} SOAP fault: {text.strip()}",
        response,
        kind=kind or res.UNREACHABLE,
    )
