from . import test_access_matrix
from . import test_card_balance
from . import test_roles
from . import test_tour_card
