"""The Debian packages a run of bin/serve or bin/test needs, and installing them.

A package counts as present when what the run uses of it is there (a command on PATH,
a header file), so the check works the same on Debian, Ubuntu or a hand-made machine;
only the installing needs apt-get, and root or sudo without a password.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

BUILDING = "building Odoo's requirements"
NO_APT = "this system has no apt-get"


class PackageError(Exception):
    """Missing packages that this run cannot install; the message says what to type."""


@dataclass(frozen=True)
class Need:
    package: str
    purpose: str


def is_ubuntu(os_release="/etc/os-release"):
    try:
        text = Path(os_release).read_text(encoding="utf-8")
    except OSError:
        return False
    return bool(re.search(r"^(ID|ID_LIKE)=.*ubuntu", text, re.MULTILINE))


def header_exists(relative):
    if relative == "Python.h":
        roots = [sysconfig.get_paths().get("include") or ""]
    else:
        roots = ["/usr/include", "/usr/local/include"]
    return any(os.path.exists(os.path.join(root, relative)) for root in roots if root)


def missing_packages(
    mode,
    *,
    needs_clone,
    needs_venv,
    environ=None,
    which=shutil.which,
    has_header=header_exists,
    has_ensurepip=None,
    ubuntu=None,
):
    """The packages this run needs and does not find, as [Need].

    mode is "serve" or "test"; needs_clone: Odoo will be fetched with git; needs_venv:
    a venv will be built, compiling psycopg2 and python-ldap (they publish no wheels).
    """
    environ = os.environ if environ is None else environ
    if has_ensurepip is None:
        has_ensurepip = importlib.util.find_spec("ensurepip") is not None
    ubuntu = is_ubuntu() if ubuntu is None else ubuntu
    needs = []
    if environ.get("PGHOST"):
        if not which("psql"):
            needs.append(Need("postgresql-client", "psql, to reach PGHOST"))
    elif not (which("psql") and which("pg_ctlcluster")):
        needs.append(Need("postgresql", "the database"))
    if mode == "test":
        browsers = (
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        )
        if not any(which(name) for name in browsers):
            browser = "chromium-browser" if ubuntu else "chromium"
            needs.append(Need(browser, "browser tours"))
        if not which("wkhtmltopdf"):
            needs.append(Need("wkhtmltopdf", "PDF reports"))
    if needs_clone and not which("git"):
        needs.append(
            Need("git", "fetching Odoo 18.0; or set ODOO_SRC to an Odoo 18.0 tree")
        )
    if needs_venv:
        if not has_ensurepip:
            needs.append(Need("python3-venv", "the Python environment"))
        for package, present in (
            ("python3-dev", has_header("Python.h")),
            ("build-essential", which("gcc")),
            ("libpq-dev", which("pg_config")),
            ("libldap2-dev", has_header("ldap.h")),
            ("libsasl2-dev", has_header("sasl/sasl.h")),
        ):
            if not present:
                needs.append(Need(package, BUILDING))
    return needs


def sudo_works():
    result = subprocess.run(["sudo", "-n", "true"], check=False, capture_output=True)
    return result.returncode == 0


def package_installer(euid=None, which=shutil.which, can_sudo=sudo_works):
    """(command prefix for apt-get, None) when this run may install Debian packages,
    else (None, why not)."""
    euid = os.geteuid() if euid is None else euid
    if not which("apt-get"):
        return None, NO_APT
    if euid == 0:
        return [], None
    if which("sudo") and can_sudo():
        return ["sudo", "-n"], None
    return None, "installing them needs root or sudo without a password"


def describe(needs):
    """'git (fetching Odoo 18.0); chromium, wkhtmltopdf (browser tours)' and so on."""
    by_purpose = {}
    for need in needs:
        by_purpose.setdefault(need.purpose, []).append(need.package)
    return "; ".join(
        f"{', '.join(packages)} ({purpose})" for purpose, packages in by_purpose.items()
    )


def ensure_packages(needs, installer=None, say=None):
    """Install the missing packages, or raise PackageError naming the line to type."""
    if not needs:
        return
    say = say or (lambda message: print(message, file=sys.stderr, flush=True))
    packages = " ".join(dict.fromkeys(need.package for need in needs))
    prefix, why_not = installer or package_installer()
    if prefix is None and why_not == NO_APT:
        raise PackageError(
            f"missing: {describe(needs)}. This system has no apt-get: install the "
            f"equivalents of the Debian packages {packages} and start again."
        )
    if prefix is None:
        raise PackageError(
            f"missing: {describe(needs)}. This run cannot install them ({why_not}): "
            f"run `sudo apt-get install {packages}` and start again."
        )
    say(
        f"Installing the Debian packages {packages} "
        "(apt-get; usually 1-5 minutes, once)."
    )
    apt_get = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
    with tempfile.TemporaryFile("w+") as log:
        for arguments in (
            ["update", "-qq"],
            ["install", "-y", "-qq", *packages.split()],
        ):
            run = subprocess.run(
                [*apt_get, *arguments], check=False, stdout=log, stderr=log
            )
            if run.returncode:
                log.seek(0)
                say(log.read()[-3000:])
                raise PackageError(
                    f"apt-get {arguments[0]} failed (its output is above)."
                )
