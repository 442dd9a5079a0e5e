from . import ledger
from . import mass_mailing
from . import pbx
