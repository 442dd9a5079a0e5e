from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    """Odoo's partner merge and the figures the system computes.

    The merge copies the partners' values onto the kept partner as the user who
    merges: not the payment figures, grades and registry verdicts, which nobody
    may write by hand (the merge failed on any graded customer). It moves the
    journal items in SQL, so the kept partner's figures are recomputed from its
    merged books when the transaction commits."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        return super()._update_values(
            src_partners, dst_partner.with_context(crm_partner_merge=True)
        )

    def _update_foreign_keys(self, src_partners, dst_partner):
        result = super()._update_foreign_keys(src_partners, dst_partner)
        self.env["crm_extended.payment.behaviour"].sudo()._touch(dst_partner)
        return result
