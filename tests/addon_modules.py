"""Load the addon's plain-Python modules by path, without importing Odoo.

Importing ``crm_extended`` would import Odoo, so the system tests load the ORM-free
modules (services, scoring, registries, telephony) straight from their files.
"""

import importlib.util
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "crm_extended"


def load_module(relative_path):
    """Load crm_extended/<relative_path> as a stand-alone module."""
    path = ADDON / relative_path
    name = "crm_" + "_".join(path.with_suffix("").relative_to(ADDON).parts)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_package(name, relative_directory):
    """Load crm_extended/<relative_directory> as package `name` (its modules import
    each other relatively)."""
    directory = ADDON / relative_directory
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, directory / "__init__.py", submodule_search_locations=[str(directory)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
