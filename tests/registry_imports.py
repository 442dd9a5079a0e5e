"""Load the addon's plain-Python registry clients and the replay server by path.

Neither needs Odoo: ``crm_extended/registries`` and
``crm_extended/tests/registry_replay`` are loaded as the packages
``crm_registries`` and ``crm_registry_replay`` (no sys.path change), so the system
tests and the addon's Odoo tests share one copy of the server and its fixtures.
"""

import importlib

from addon_modules import load_package

registries = load_package("crm_registries", "registries")
registry_replay = load_package("crm_registry_replay", "tests/registry_replay")
identifiers = importlib.import_module("crm_registries.identifiers")
result = importlib.import_module("crm_registries.result")
accounts = importlib.import_module("crm_registries.accounts")
http = importlib.import_module("crm_registries.http")
verdict = importlib.import_module("crm_registries.verdict")
applicable = importlib.import_module("crm_registries.applicable")
