"""Plain-Python clients of public company registries (no ORM).

Every module of this package is imported here; a module declares its registry
with ``@register`` (see ``base.py``), so adding a registry is one client file,
one fixture folder under ``tests/registry_replay/fixtures`` and one provider
record in ``data/registry_provider_data.xml``.
"""

import importlib
import pkgutil

from . import identifiers, result
from .base import SOURCES, RegistrySource, Subject, register, subject_of
from .http import RateLimiter, RegistryClient, RegistryUnavailable

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

#: Registries answered over HTTP by a client class, by provider code.
CLIENTS = {
    code: source
    for code, source in SOURCES.items()
    if isinstance(source, type) and issubclass(source, RegistryClient)
}
