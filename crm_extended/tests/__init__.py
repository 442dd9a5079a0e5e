from . import test_access_matrix
from . import test_card_balance
from . import test_roles
from . import test_tour_card
from . import test_campaign_results
from . import test_campaign_capture
from . import test_tour_campaign
from . import test_campaign_unsubscribe
