"""Plain-Python clients of public company registries (no ORM)."""

from . import identifiers, result
from .cz_adis import AdisClient
from .cz_ares import AresClient
from .eu_vies import ViesClient
from .http import RateLimiter, RegistryClient, RegistryUnavailable
from .pl_krs import KrsClient
from .pl_whitelist import WhiteListClient
from .sk_rpo import RpoClient

CLIENTS = {
    client.code: client
    for client in (
        AresClient,
        AdisClient,
        RpoClient,
        WhiteListClient,
        KrsClient,
        ViesClient,
    )
}
