"""System-test fixtures: a real odoo-bin server with crm_extended on 127.0.0.1."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JsonRpc:
    """Minimal JSON-RPC client speaking Odoo's /jsonrpc protocol."""

    def __init__(self, url):
        self.url = url
        self._id = 0

    def call(self, service, method, *args):
        self._id += 1
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": list(args)},
                "id": self._id,
            }
        ).encode()
        request = urllib.request.Request(
            self.url + "/jsonrpc", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read())
        if "error" in payload:
            raise RuntimeError(payload["error"]["data"]["message"])
        return payload["result"]


@pytest.fixture(scope="session")
def odoo_server():
    """Start odoo-bin on the test database and stop it cleanly afterwards."""
    database = os.environ.get("CRM_TEST_DB")
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo/18.0")
    if not database:
        pytest.fail("CRM_TEST_DB is not set: run the system tests through bin/test")
    port = _free_port()
    addons_path = os.environ.get("ADDONS_PATH") or ",".join(
        [f"{odoo_src}/addons", f"{odoo_src}/odoo/addons", str(REPO_ROOT)]
    )
    command = [
        os.environ.get("ODOO_PYTHON") or shutil.which("python3") or sys.executable,
        f"{odoo_src}/odoo-bin",
        f"--addons-path={addons_path}",
        f"--database={database}",
        f"--db-filter=^{database}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--gevent-port=0",
        "--max-cron-threads=0",
        "--workers=0",
        "--log-level=warn",
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"odoo-bin exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url + "/web/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("odoo-bin did not answer /web/health within 90 s")
    yield {"url": url, "database": database, "process": process}
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("odoo-bin did not stop within 30 s of SIGTERM")


@pytest.fixture(scope="session")
def rpc(odoo_server):
    return JsonRpc(odoo_server["url"])
