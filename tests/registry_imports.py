"""Import the addon's plain-Python registry clients and the replay server by path.

Neither needs Odoo: ``crm_extended/registries`` and
``crm_extended/tests/registry_replay`` are loaded as top-level packages, so the
system tests and the addon's Odoo tests share one copy of the server and fixtures.
"""

import importlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
for _path in (REPO_ROOT / "crm_extended", REPO_ROOT / "crm_extended" / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

registries = importlib.import_module("registries")
identifiers = importlib.import_module("registries.identifiers")
result = importlib.import_module("registries.result")
accounts = importlib.import_module("registries.accounts")
http = importlib.import_module("registries.http")
registry_replay = importlib.import_module("registry_replay")
verdict = importlib.import_module("registries.verdict")
applicable = importlib.import_module("registries.applicable")
