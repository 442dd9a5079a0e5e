from . import test_card_balance
from . import test_roles
from . import test_tour_card
from . import test_telephony_call
from . import test_telephony_endpoint
from . import test_telephony_lookup
from . import test_tour_telephony
