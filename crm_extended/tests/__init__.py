from . import test_card_balance
from . import test_roles
from . import test_tour_card
from . import test_payment_behaviour
from . import test_payment_behaviour_ops
from . import test_tour_payment
