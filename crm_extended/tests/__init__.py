from . import test_card_balance
from . import test_roles
from . import test_tour_card
from . import test_ledger
from . import test_ledger_page
from . import test_tour_ledger
from . import test_ledger_report
