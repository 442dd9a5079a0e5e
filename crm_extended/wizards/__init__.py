from . import registry_fill
