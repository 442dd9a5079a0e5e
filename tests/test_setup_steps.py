"""The decisions of the set-up (bin/debian_packages.py, bin/crm_setup.py), without
installing anything."""

import importlib
import stat
import sys
from pathlib import Path

import pytest

BIN = Path(__file__).resolve().parent.parent / "bin"
if str(BIN) not in sys.path:
    sys.path.insert(0, str(BIN))
debian_packages = importlib.import_module("debian_packages")
crm_setup = importlib.import_module("crm_setup")


def which_except(*absent):
    return lambda name: None if name in absent else f"/usr/bin/{name}"


def missing(mode="test", *, absent=(), headers=True, ensurepip=True, **kwargs):
    kwargs.setdefault("needs_clone", False)
    kwargs.setdefault("needs_venv", False)
    kwargs.setdefault("environ", {})
    kwargs.setdefault("ubuntu", False)
    needs = debian_packages.missing_packages(
        mode,
        which=which_except(*absent),
        has_header=lambda relative: headers,
        has_ensurepip=ensurepip,
        **kwargs,
    )
    return [need.package for need in needs]


def test_nothing_is_missing_on_a_prepared_machine():
    assert missing(needs_clone=True, needs_venv=True) == []


def test_the_browser_and_wkhtmltopdf_only_for_the_tests():
    browsers = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    absent = (*browsers, "wkhtmltopdf")
    assert missing("test", absent=absent) == ["chromium", "wkhtmltopdf"]
    assert missing("serve", absent=absent) == []
    # Ubuntu ships Chromium under another name
    assert missing("test", absent=absent, ubuntu=True)[0] == "chromium-browser"
    # any Chrome will do
    assert missing("test", absent=("chromium", "chromium-browser")) == []


def test_postgresql_locally_or_its_client_for_a_remote_server():
    assert missing(absent=("pg_ctlcluster",)) == ["postgresql"]
    assert missing(absent=("psql",)) == ["postgresql"]
    remote = {"PGHOST": "db.example.com"}
    assert missing(absent=("pg_ctlcluster",), environ=remote) == []
    assert missing(absent=("psql",), environ=remote) == ["postgresql-client"]


def test_git_only_when_odoo_is_to_be_cloned():
    assert missing(absent=("git",), needs_clone=False) == []
    assert missing(absent=("git",), needs_clone=True) == ["git"]


def test_build_packages_only_when_a_venv_is_to_be_built():
    lacking = {"absent": ("gcc", "pg_config"), "headers": False, "ensurepip": False}
    assert missing(**lacking, needs_venv=False) == []
    assert missing(**lacking, needs_venv=True) == [
        "python3-venv",
        "python3-dev",
        "build-essential",
        "libpq-dev",
        "libldap2-dev",
        "libsasl2-dev",
    ]


def test_who_may_install_packages():
    installer = debian_packages.package_installer
    yes, no = (lambda: True), (lambda: False)
    assert installer(0, which_except(), no) == ([], None)
    assert installer(1000, which_except(), yes) == (["sudo", "-n"], None)
    prefix, why = installer(1000, which_except(), no)
    assert prefix is None and "root or sudo without a password" in why
    prefix, why = installer(1000, which_except("sudo"), yes)
    assert prefix is None
    assert installer(0, which_except("apt-get"), yes) == (None, debian_packages.NO_APT)


NEEDS = [
    debian_packages.Need("wkhtmltopdf", "PDF reports"),
    debian_packages.Need("chromium", "browser tours"),
    debian_packages.Need("git", "fetching Odoo 18.0"),
]


def test_without_permission_the_error_names_the_apt_get_line():
    installer = (None, "installing them needs root or sudo without a password")
    with pytest.raises(debian_packages.PackageError) as raised:
        debian_packages.ensure_packages(NEEDS, installer=installer)
    message = str(raised.value)
    assert "sudo apt-get install wkhtmltopdf chromium git" in message
    assert "wkhtmltopdf (PDF reports)" in message
    assert "git (fetching Odoo 18.0)" in message


def test_without_apt_get_the_error_says_so():
    with pytest.raises(debian_packages.PackageError, match="no apt-get"):
        debian_packages.ensure_packages(NEEDS, installer=(None, debian_packages.NO_APT))


def fake_apt(tmp_path, exit_code=0):
    """A stand-in for the installer prefix that records how apt-get was called."""
    log = tmp_path / "apt.log"
    script = tmp_path / "fake-apt"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexit {exit_code}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return [str(script)], log


def test_installing_runs_update_then_install(tmp_path):
    prefix, log = fake_apt(tmp_path)
    said = []
    debian_packages.ensure_packages(NEEDS, installer=(prefix, None), say=said.append)
    apt_get = "env DEBIAN_FRONTEND=noninteractive apt-get"
    assert log.read_text().splitlines() == [
        f"{apt_get} update -qq",
        f"{apt_get} install -y -qq wkhtmltopdf chromium git",
    ]
    assert "usually 1-5 minutes" in said[0]


def test_a_failing_apt_get_stops_the_set_up(tmp_path):
    prefix, _log = fake_apt(tmp_path, exit_code=100)
    with pytest.raises(debian_packages.PackageError, match="apt-get update failed"):
        debian_packages.ensure_packages(NEEDS, installer=(prefix, None), say=print)


def test_nothing_to_install_does_nothing():
    debian_packages.ensure_packages([], installer=(None, "would fail"))


# --- Odoo's sources ------------------------------------------------------------------


def odoo_tree(root, version_info="(18, 0, 0, FINAL, 0, '')", odoo_bin=True):
    (root / "odoo").mkdir(parents=True)
    (root / "odoo" / "release.py").write_text(f"version_info = {version_info}\n")
    if odoo_bin:
        (root / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    return root


def test_odoo_version_from_release_py(tmp_path):
    assert crm_setup.odoo_version(odoo_tree(tmp_path / "a")) == (18, 0)
    assert crm_setup.odoo_version(odoo_tree(tmp_path / "b", "(17, 0, 0, 'final', 0)"))
    saas = odoo_tree(tmp_path / "c", "('saas~18', 1, 0, ALPHA, 1, '')")
    assert crm_setup.odoo_version(saas) == ("saas~18", 1)
    assert crm_setup.odoo_version(odoo_tree(tmp_path / "d", odoo_bin=False)) is None
    assert crm_setup.odoo_version(tmp_path / "nothing") is None


def test_another_odoo_is_refused(tmp_path):
    crm_setup.check_odoo_tree(odoo_tree(tmp_path / "18"), "here")
    with pytest.raises(crm_setup.SetupError, match=r"holds Odoo 17\.0, not 18\.0"):
        crm_setup.check_odoo_tree(odoo_tree(tmp_path / "17", "(17, 0, 0)"), "here")
    with pytest.raises(crm_setup.SetupError, match="no Odoo was found at there"):
        crm_setup.check_odoo_tree(tmp_path / "empty", "there")


def test_checkout_branch_from_head(tmp_path):
    tree = tmp_path / "odoo"
    (tree / ".git").mkdir(parents=True)
    (tree / ".git" / "HEAD").write_text("ref: refs/heads/18.0\n")
    assert crm_setup.checkout_branch(tree) == "18.0"
    (tree / ".git" / "HEAD").write_text("0123456789abcdef0123456789abcdef01234567\n")
    assert crm_setup.checkout_branch(tree) == ""
    assert crm_setup.checkout_branch(tmp_path) is None


def settings(tmp_path, **environ):
    environ.setdefault("HOME", str(tmp_path / "home"))
    return crm_setup.Settings.from_environ(environ)


def test_where_the_cache_and_odoo_are(tmp_path):
    defaults = settings(tmp_path)
    assert defaults.cache_dir == tmp_path / "home" / ".cache" / "crm_extended"
    assert defaults.git_url == "https://github.com/odoo/odoo"
    assert defaults.default_odoo_src == Path("/opt/odoo/18.0")
    xdg = settings(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert xdg.cached_odoo == tmp_path / "xdg" / "crm_extended" / "odoo-18.0"
    own = settings(tmp_path, CRM_CACHE_DIR=str(tmp_path / "c"), ODOO_GIT_URL="/r")
    assert own.venv == tmp_path / "c" / "venv"
    assert own.git_url == "/r"


def test_odoo_source_order(tmp_path):
    default = tmp_path / "opt"
    given = settings(tmp_path, ODOO_SRC="/src", CRM_DEFAULT_ODOO_SRC=str(default))
    assert crm_setup.odoo_source(given) == (Path("/src"), False)
    fresh = settings(tmp_path, CRM_DEFAULT_ODOO_SRC=str(default))
    assert crm_setup.odoo_source(fresh) == (fresh.cached_odoo, True)
    fresh.cached_odoo.mkdir(parents=True)
    assert crm_setup.odoo_source(fresh) == (fresh.cached_odoo, False)
    odoo_tree(default)
    assert crm_setup.odoo_source(fresh) == (default, False)


# --- Python --------------------------------------------------------------------------


def test_unmet_requirements_of_the_running_python():
    assert crm_setup.unmet_requirements(["pytest>=1", "# a comment", ""]) == []
    (problem,) = crm_setup.unmet_requirements(["pytest<1"])
    assert problem.startswith("pytest ") and "does not match <1" in problem
    assert crm_setup.unmet_requirements(["pytest<1"], any_version=True) == []
    assert crm_setup.unmet_requirements(["no-such-distribution-xyz==1"]) == [
        "no-such-distribution-xyz is missing"
    ]
    assert crm_setup.unmet_requirements(["x==1 ; sys_platform == 'nowhere'"]) == []


def test_the_addons_python_dependencies():
    names = crm_setup.addon_python_dependencies(crm_setup.BIN.parent)
    assert "phonenumbers" in names


def test_the_venv_is_rebuilt_when_a_requirement_changes(tmp_path):
    repo, odoo = tmp_path / "repo", tmp_path / "odoo"
    repo.mkdir()
    odoo.mkdir()
    (repo / "requirements-test.txt").write_text("pytest>=8\n")
    (odoo / "requirements.txt").write_text("passlib==1.7.4\n")
    key = crm_setup.venv_key(odoo, repo)
    assert crm_setup.venv_key(odoo, repo) == key
    (repo / "requirements-test.txt").write_text("pytest>=8\nruff\n")
    assert crm_setup.venv_key(odoo, repo) != key
    key = crm_setup.venv_key(odoo, repo)
    (odoo / "requirements.txt").write_text("passlib==1.7.5\n")
    assert crm_setup.venv_key(odoo, repo) != key
