from . import mass_mailing
from . import ledger
