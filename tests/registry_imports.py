"""Load the addon's plain-Python registry clients and the replay server by path.

Neither needs Odoo: ``crm_extended/registries`` and
``crm_extended/tests/registry_replay`` are loaded as the packages
``crm_registries`` and ``crm_registry_replay`` (no sys.path change), so the system
tests and the addon's Odoo tests share one copy of the server and its fixtures.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "crm_extended"


def _load_package(name, directory):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, directory / "__init__.py", submodule_search_locations=[str(directory)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


registries = _load_package("crm_registries", ADDON / "registries")
registry_replay = _load_package(
    "crm_registry_replay", ADDON / "tests" / "registry_replay"
)
identifiers = importlib.import_module("crm_registries.identifiers")
result = importlib.import_module("crm_registries.result")
accounts = importlib.import_module("crm_registries.accounts")
http = importlib.import_module("crm_registries.http")
verdict = importlib.import_module("crm_registries.verdict")
applicable = importlib.import_module("crm_registries.applicable")
