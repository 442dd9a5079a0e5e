from . import test_i18n
from . import test_sale_payment_warning
from . import test_sale_pipeline
