from . import mass_mailing
