from . import test_sale_payment_warning
