from . import test_i18n
from . import test_sale_payment_warning
from . import test_card_invoice_count
from . import test_sale_registry_warning
from . import test_sale_pipeline
