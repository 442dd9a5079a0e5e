"""North Macedonia, Централен регистар (crm.com.mk): no free machine access.

The free basic profile is a captcha-gated image and extracts are paid, so the
evidence is entered by hand from an extract (who, when, what it said, the PDF,
valid until). This source only tells the runner that MK companies have a
registry whose answer must come from a person.
"""

from .base import RegistrySource, register


@register
class CentralRegistryMk(RegistrySource):
    code = "mk_crm"
    label = "Central Registry (MK): extracts entered by hand"
    manual = True

    @classmethod
    def query_for(cls, subject):
        if subject.country != "MK":
            return None
        return subject.registry or subject.vat_number or "MK"
