from . import survey_question
from . import res_partner
from . import utm_campaign
