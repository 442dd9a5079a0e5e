"""Odoo's requirements.txt resolved for the running Python.

Odoo pins each requirement per Python version with environment markers, following the
Debian and Ubuntu releases it supports (``cbor2==5.4.2 ; python_version < '3.12'`` and
``cbor2==5.6.2 ; python_version >= '3.12'``). Some pins for an older Python are source
distributions that no longer build (cbor2 5.4.2 on Python 3.11 needs ``pkg_resources``,
gone from current setuptools), while the pins Odoo chose for a newer Python ship wheels.

The rule, driven only by Odoo's own markers:

1. The Python versions to try are the running one, then every later version at which
   one of the file's ``python_version`` markers changes its answer (3.11, then 3.12).
2. For a version P, the pin set is every line whose marker holds with ``python_version``
   set to P (every other marker variable is the running interpreter's).
3. A set is installable when each of its exact pins has a wheel on the package index
   that the running interpreter accepts (its tags and ``Requires-Python``), except the
   distributions for which none of Odoo's pins has such a wheel (psycopg2, python-ldap):
   those are built from source whatever the choice, so they never decide it.
4. The first installable set wins, as a whole. A whole set and not package by package,
   because Odoo's pins for one Python are coupled: lxml 5.2 needs ``lxml-html-clean``
   (a line of the 3.12 set only), cryptography 42 needs pyOpenSSL 24, urllib3 2 needs
   requests 2.31. When no set is installable, the running Python's own set is used and
   pip builds what it must.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.tags import sys_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import InvalidVersion, Version
except ImportError:  # a fresh venv has no packaging, but its pip carries one
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.specifiers import SpecifierSet
    from pip._vendor.packaging.tags import sys_tags
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename
    from pip._vendor.packaging.version import InvalidVersion, Version

DEFAULT_INDEX_URL = "https://pypi.org/simple"
_PYTHON_VERSION_IN_MARKER = re.compile(
    r"python_(?:full_)?version\s*(?:===|==|!=|<=|>=|~=|<|>)\s*['\"](\d+)\.(\d+)"
)


class IndexUnreachable(Exception):
    """The package index could not be read."""


def parse_requirements(text):
    """Requirements of a requirements.txt, comments and blank lines dropped."""
    requirements = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirements.append(Requirement(line))
    return requirements


def exact_pin(requirement):
    """The version of a ``name==version`` requirement, None for anything looser."""
    specifiers = list(requirement.specifier)
    if len(specifiers) == 1 and specifiers[0].operator in ("==", "==="):
        try:
            return Version(specifiers[0].version)
        except InvalidVersion:
            return None
    return None


def candidate_pythons(requirements, running):
    """The running (major, minor), then each later one where a marker can change."""
    boundaries = set()
    for requirement in requirements:
        if requirement.marker is None:
            continue
        for major, minor in _PYTHON_VERSION_IN_MARKER.findall(str(requirement.marker)):
            # '< 3.12' changes at 3.12, '<= 3.10' and '> 3.10' at 3.11.
            boundaries.add((int(major), int(minor)))
            boundaries.add((int(major), int(minor) + 1))
    return [running] + sorted(v for v in boundaries if v > running)


def marker_environment(python, running_environment):
    """The running interpreter's marker variables, python_version set to `python`."""
    environment = dict(running_environment)
    version = f"{python[0]}.{python[1]}"
    if environment["python_version"] != version:
        environment["python_version"] = version
        environment["python_full_version"] = version + ".0"
    return environment


def pins_for(requirements, environment):
    """The lines of the file that apply with these marker variables."""
    return [
        requirement
        for requirement in requirements
        if requirement.marker is None or requirement.marker.evaluate(environment)
    ]


@dataclass
class Resolution:
    python: tuple  # the Python version whose pins were taken
    requirements: list
    reason: str = ""  # why the running Python's own pins were not taken
    source_builds: list = field(default_factory=list)  # names pip builds from source

    def lines(self):
        """requirements.txt lines without markers, for pip."""
        lines = []
        for requirement in self.requirements:
            extras = ",".join(sorted(requirement.extras))
            extras = f"[{extras}]" if extras else ""
            lines.append(f"{requirement.name}{extras}{requirement.specifier}")
        return lines


def resolve(requirements, running, running_environment, wheel_versions):
    """Pick the pin set of the first candidate Python that installs here (rule above).

    `wheel_versions(name)` returns the versions of `name` that have a wheel the running
    interpreter accepts.
    """
    pinned_anywhere = {}
    for requirement in requirements:
        version = exact_pin(requirement)
        if version is not None:
            name = canonicalize_name(requirement.name)
            pinned_anywhere.setdefault(name, set()).add(version)
    wheels = {name: wheel_versions(name) for name in pinned_anywhere}
    source_only = sorted(
        name for name, pins in pinned_anywhere.items() if not pins & wheels[name]
    )

    first_blocker = None
    for python in candidate_pythons(requirements, running):
        environment = marker_environment(python, running_environment)
        selected = pins_for(requirements, environment)
        blockers = [
            f"{r.name}=={exact_pin(r)}"
            for r in selected
            if exact_pin(r) is not None
            and canonicalize_name(r.name) not in source_only
            and exact_pin(r) not in wheels[canonicalize_name(r.name)]
        ]
        if not blockers:
            reason = ""
            if first_blocker:
                reason = (
                    f"Odoo's pins for Python {_dotted(running)} include "
                    f"{first_blocker}, which has no wheel for this Python; taking "
                    f"Odoo's pins for Python {_dotted(python)}"
                )
            return Resolution(python, selected, reason, source_only)
        first_blocker = first_blocker or ", ".join(blockers)
    own = pins_for(requirements, marker_environment(running, running_environment))
    reason = (
        f"none of Odoo's pin sets has wheels for Python {_dotted(running)} "
        f"({first_blocker} lacks one); pip builds from source what it must"
    )
    return Resolution(running, own, reason, source_only)


def _dotted(version):
    return ".".join(map(str, version))


class _LinkParser(HTMLParser):
    """File names and Requires-Python of a PEP 503 (HTML) simple index page."""

    def __init__(self):
        super().__init__()
        self.files = []
        self._attrs = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._attrs = dict(attrs)

    def handle_data(self, data):
        if self._attrs is not None and data.strip():
            self.files.append(
                {
                    "filename": data.strip(),
                    "requires-python": self._attrs.get("data-requires-python"),
                }
            )

    def handle_endtag(self, tag):
        if tag == "a":
            self._attrs = None


class WheelIndex:
    """Which versions of a distribution have a wheel for this interpreter, from the
    simple index pip uses (PEP 691 JSON, or PEP 503 HTML)."""

    def __init__(self, index_url, tags=None, python_version=None, timeout=30):
        self.index_url = index_url.rstrip("/")
        self.tags = set(tags if tags is not None else sys_tags())
        self.python_version = python_version or _dotted(sys.version_info[:3])
        self.timeout = timeout

    def _files(self, name):
        url = f"{self.index_url}/{canonicalize_name(name)}/"
        request = urllib.request.Request(
            url,
            headers={
                "Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
                "User-Agent": "crm_extended-setup",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read().decode("utf-8", "replace")
                content_type = response.headers.get("Content-Type", "")
        except (urllib.error.URLError, OSError) as error:
            raise IndexUnreachable(f"cannot read {url}: {error}") from error
        if "json" in content_type:
            return json.loads(body).get("files", [])
        parser = _LinkParser()
        parser.feed(body)
        return parser.files

    def accepts(self, file):
        filename = file["filename"]
        if not filename.endswith(".whl"):
            return None
        try:
            _name, version, _build, tags = parse_wheel_filename(filename)
        except Exception:  # noqa: BLE001 - a malformed file name is no wheel for us
            return None
        if not tags & self.tags:
            return None
        requires_python = file.get("requires-python")
        if requires_python and not self._python_fits(requires_python):
            return None
        return version

    def _python_fits(self, requires_python):
        try:
            return self.python_version in SpecifierSet(requires_python)
        except Exception:  # noqa: BLE001 - pip ignores an unreadable Requires-Python too
            return True

    def wheel_versions(self, name):
        return {v for v in map(self.accepts, self._files(name)) if v is not None}

    def prefetch(self, names):
        """wheel_versions of every name, read in parallel; returns a lookup function."""
        with ThreadPoolExecutor(max_workers=8) as pool:
            found = dict(zip(names, pool.map(self.wheel_versions, names), strict=True))
        return lambda name: found[name]


def pip_index_url():
    """The index pip is configured with (PIP_INDEX_URL, pip.conf), else PyPI."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    try:
        listing = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    configured = {}
    for line in listing.splitlines():
        key, _, value = line.partition("=")
        configured[key.strip()] = value.strip().strip("'\"")
    return (
        configured.get("install.index-url")
        or configured.get("global.index-url")
        or DEFAULT_INDEX_URL
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", help="Odoo's requirements.txt")
    parser.add_argument("--output", required=True, help="file for the resolved pins")
    args = parser.parse_args(argv)
    with open(args.requirements, encoding="utf-8") as file:
        requirements = parse_requirements(file.read())
    index = WheelIndex(pip_index_url())
    names = sorted({canonicalize_name(r.name) for r in requirements if exact_pin(r)})
    try:
        lookup = index.prefetch(names)
    except IndexUnreachable as error:
        print(
            f"error: {error}; the first run needs access to the package index.",
            file=sys.stderr,
        )
        return 1
    running = sys.version_info[:2]
    resolution = resolve(requirements, running, default_environment(), lookup)
    if resolution.reason:
        print(resolution.reason + ".", file=sys.stderr)
    with open(args.output, "w", encoding="utf-8") as file:
        file.write(
            f"# Odoo's requirements for Python {_dotted(resolution.python)}, "
            "resolved by bin/odoo_requirements.py\n"
        )
        file.write("\n".join(resolution.lines()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
