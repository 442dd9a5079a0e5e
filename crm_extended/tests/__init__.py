from . import test_card_balance
from . import test_roles
from . import test_tour_card
from . import test_registry_check
from . import test_registry_fill
from . import test_registry_payment
from . import test_tour_registry
