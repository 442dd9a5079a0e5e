"""Odoo's requirements resolved for the running Python (bin/odoo_requirements.py)."""

import importlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.tags import Tag, sys_tags
from packaging.version import Version

BIN = Path(__file__).resolve().parent.parent / "bin"
if str(BIN) not in sys.path:
    sys.path.insert(0, str(BIN))
odoo_requirements = importlib.import_module("odoo_requirements")

# In the style of Odoo's requirements.txt: pins per Python version, coupled pins,
# a source-only distribution, a Windows-only line, an unpinned one.
SAMPLE = """\
# The officially supported versions of the following packages are ...
cbor2==5.4.2 ; python_version < '3.12'
cbor2==5.6.2 ; python_version >= '3.12'
lxml==4.9.3 ; python_version > '3.10' and python_version < '3.12' # min 4.9.2
lxml==5.2.1; python_version >= '3.12' # (Noble - removed html clean)
lxml-html-clean; python_version >= '3.12' # (Noble - removed from lxml)
passlib==1.7.4 # min version = 1.7.2
psycopg2==2.9.5 ; python_version == '3.11'
psycopg2==2.9.9 ; python_version >= '3.12' # (Noble) Mostly to have a wheel package
pypiwin32 ; sys_platform == 'win32'
pytz  # no version pinning to avoid OS perturbations
"""
LINUX = dict(default_environment(), sys_platform="linux")


def environment(python):
    return dict(LINUX, python_version=python, python_full_version=python + ".1")


def wheels(**versions):
    """A wheel lookup: distribution name -> versions that have a wheel for us."""
    found = {
        name.replace("_", "-"): set(map(Version, v)) for name, v in versions.items()
    }
    return lambda name: found.get(name, set())


ALL_WHEELS = wheels(
    cbor2=["5.4.2", "5.6.2"], lxml=["4.9.3", "5.2.1"], passlib=["1.7.4"], psycopg2=[]
)


def resolve(running, lookup, env=None):
    requirements = odoo_requirements.parse_requirements(SAMPLE)
    python = ".".join(map(str, running))
    return odoo_requirements.resolve(
        requirements, running, env or environment(python), lookup
    )


def test_own_pins_when_each_has_a_wheel():
    resolution = resolve((3, 11), ALL_WHEELS)
    assert resolution.python == (3, 11)
    assert resolution.lines() == [
        "cbor2==5.4.2",
        "lxml==4.9.3",
        "passlib==1.7.4",
        "psycopg2==2.9.5",
        "pytz",
    ]
    assert resolution.reason == ""
    # psycopg2 publishes no wheel for any of its pins: it is built whatever the choice
    assert resolution.source_builds == ["psycopg2"]


def test_a_pin_without_wheel_takes_the_next_pythons_whole_set():
    lookup = wheels(
        cbor2=["5.6.2"], lxml=["4.9.3", "5.2.1"], passlib=["1.7.4"], psycopg2=[]
    )
    resolution = resolve((3, 11), lookup)
    assert resolution.python == (3, 12)
    # the whole set: lxml 5.2 comes with lxml-html-clean, which only that set has
    assert resolution.lines() == [
        "cbor2==5.6.2",
        "lxml==5.2.1",
        "lxml-html-clean",
        "passlib==1.7.4",
        "psycopg2==2.9.9",
        "pytz",
    ]
    assert "cbor2==5.4.2" in resolution.reason
    assert "Python 3.12" in resolution.reason


def test_a_distribution_with_some_wheels_counts():
    # psycopg2 2.9.9 has a wheel here, so 2.9.5 without one is a reason to move on
    lookup = wheels(
        cbor2=["5.4.2", "5.6.2"], lxml=["4.9.3", "5.2.1"], passlib=["1.7.4"],
        psycopg2=["2.9.9"],
    )  # fmt: skip
    resolution = resolve((3, 11), lookup)
    assert resolution.python == (3, 12)
    assert "psycopg2==2.9.9" in resolution.lines()


def test_running_pythons_set_when_no_set_installs():
    lookup = wheels(cbor2=["5.6.2"], lxml=["4.9.3"], passlib=["1.7.4"], psycopg2=[])
    resolution = resolve((3, 11), lookup)
    # cbor2 5.4.2 blocks the 3.11 set, lxml 5.2.1 the 3.12 (and 3.13) one
    assert resolution.python == (3, 11)
    assert "lxml==4.9.3" in resolution.lines()
    assert "none of Odoo's pin sets" in resolution.reason


def test_a_newer_python_starts_from_its_own_pins():
    resolution = resolve((3, 12), ALL_WHEELS)
    assert resolution.python == (3, 12)
    assert "cbor2==5.6.2" in resolution.lines()
    assert resolution.reason == ""


def test_candidate_pythons_are_where_markers_change():
    requirements = odoo_requirements.parse_requirements(SAMPLE)
    assert odoo_requirements.candidate_pythons(requirements, (3, 10)) == [
        (3, 10),
        (3, 11),
        (3, 12),
        (3, 13),
    ]
    assert odoo_requirements.candidate_pythons(requirements, (3, 11))[:2] == [
        (3, 11),
        (3, 12),
    ]


def test_platform_markers_are_the_running_interpreters():
    windows = dict(environment("3.11"), sys_platform="win32")
    assert "pypiwin32" in resolve((3, 11), ALL_WHEELS, windows).lines()
    assert "pypiwin32" not in resolve((3, 11), ALL_WHEELS).lines()


def test_exact_pin():
    parse = odoo_requirements.parse_requirements
    assert odoo_requirements.exact_pin(parse("a==1.2")[0]) == Version("1.2")
    assert odoo_requirements.exact_pin(parse("a>=1.2")[0]) is None
    assert odoo_requirements.exact_pin(parse("a")[0]) is None


# --- the package index ---------------------------------------------------------------

OUR_TAG = next(iter(sys_tags()))
OUR_WHEEL = f"{OUR_TAG.interpreter}-{OUR_TAG.abi}-{OUR_TAG.platform}.whl"


def index():
    return odoo_requirements.WheelIndex(
        "http://unused",
        tags=[
            Tag("cp311", "cp311", "manylinux_2_17_x86_64"),
            Tag("py3", "none", "any"),
        ],
        python_version="3.11.7",
    )


@pytest.mark.parametrize(
    ("filename", "requires_python", "accepted"),
    [
        ("cbor2-5.6.2-cp311-cp311-manylinux_2_17_x86_64.whl", None, "5.6.2"),
        ("cbor2-5.4.2-cp310-cp310-manylinux_2_17_x86_64.whl", None, None),
        ("cbor2-5.4.2.tar.gz", None, None),
        ("passlib-1.7.4-py2.py3-none-any.whl", ">=2.7", "1.7.4"),
        ("newer-2.0-py3-none-any.whl", ">=3.12", None),
        ("odd-1.0-py3-none-any.whl", "not a specifier", "1.0"),
        ("broken.whl", None, None),
    ],
)
def test_which_wheels_the_interpreter_accepts(filename, requires_python, accepted):
    file = {"filename": filename, "requires-python": requires_python}
    version = index().accepts(file)
    assert version == (Version(accepted) if accepted else None)


PROJECTS = {
    # name: (files, served as JSON (PEP 691) or HTML (PEP 503))
    "cbor2": (["cbor2-5.4.2.tar.gz", f"cbor2-5.6.2-{OUR_WHEEL}"], "json"),
    "lxml": ([f"lxml-4.9.3-{OUR_WHEEL}", f"lxml-5.2.1-{OUR_WHEEL}"], "html"),
    "passlib": (["passlib-1.7.4-py2.py3-none-any.whl"], "json"),
    "psycopg2": (["psycopg2-2.9.5.tar.gz", "psycopg2-2.9.9.tar.gz"], "html"),
}


class _Index(BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.strip("/").split("/")[-1]
        if name not in PROJECTS:
            self.send_error(404)
            return
        files, kind = PROJECTS[name]
        if kind == "json":
            body = json.dumps({"files": [{"filename": f} for f in files]})
            content_type = "application/vnd.pypi.simple.v1+json"
        else:
            links = "".join(
                f'<a href="../../f/{f}#sha256=0">{f}</a><br/>' for f in files
            )
            body = f"<html><body>{links}</body></html>"
            content_type = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def local_index():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/simple"
    server.shutdown()
    server.server_close()


def test_wheel_versions_from_json_and_html_pages(local_index):
    lookup = odoo_requirements.WheelIndex(local_index).prefetch(sorted(PROJECTS))
    assert lookup("cbor2") == {Version("5.6.2")}
    assert lookup("lxml") == {Version("4.9.3"), Version("5.2.1")}
    assert lookup("psycopg2") == set()


def test_an_unreachable_index_is_a_clear_error(local_index):
    with pytest.raises(odoo_requirements.IndexUnreachable, match="cannot read"):
        odoo_requirements.WheelIndex(local_index).wheel_versions("not-there")


def test_the_command_writes_the_resolved_pins(local_index, tmp_path, monkeypatch):
    requirements = tmp_path / "requirements.txt"
    python = "{}.{}".format(*sys.version_info[:2])
    requirements.write_text(
        f"cbor2==5.4.2 ; python_version <= '{python}'\n"
        f"cbor2==5.6.2 ; python_version > '{python}'\n"
        "passlib==1.7.4\npsycopg2==2.9.5\n"
    )
    output = tmp_path / "resolved.txt"
    monkeypatch.setenv("PIP_INDEX_URL", local_index)
    assert odoo_requirements.main([str(requirements), f"--output={output}"]) == 0
    lines = output.read_text().splitlines()
    assert lines[1:] == ["cbor2==5.6.2", "passlib==1.7.4", "psycopg2==2.9.5"]


def test_the_command_fails_when_the_index_cannot_be_read(tmp_path, monkeypatch, capsys):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("passlib==1.7.4\n")
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    output = tmp_path / "resolved.txt"
    assert odoo_requirements.main([str(requirements), f"--output={output}"]) == 1
    assert "needs access to the package index" in capsys.readouterr().err
    assert not output.exists()
