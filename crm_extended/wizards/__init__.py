from . import campaign_member_add
from . import campaign_member_import
from . import registry_fill
