from odoo import fields, models


class CrmExtendedComplaint(models.Model):
    """Complaints are rated by the customer once resolved (Odoo's ratings), and
    carry a category and a root cause for the analysis."""

    _name = "crm_extended.complaint"
    # rating.mixin first: it must come before mail.thread in the class order.
    _inherit = ("rating.mixin", "crm_extended.complaint")

    category_id = fields.Many2one(
        "crm_extended.complaint.category",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    root_cause_id = fields.Many2one(
        "crm_extended.complaint.cause",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )

    def write(self, vals):
        was_open = self.filtered(lambda complaint: not complaint.is_closed)
        result = super().write(vals)
        if "stage_id" in vals:
            was_open.filtered("is_closed")._crm_request_rating()
        return result

    def _crm_request_rating(self):
        """Ask the customer to rate how the complaint was settled, once, by mail
        in the customer's language (where the company wants it)."""
        template = self.env.ref(
            "crm_extended.mail_template_complaint_rating", raise_if_not_found=False
        )
        if not template:
            return
        for complaint in self:
            partner = complaint._rating_get_partner()
            if not (
                partner.email
                and complaint.company_id.crm_complaint_rating_request
                and not complaint.sudo().rating_ids
            ):
                continue
            complaint.rating_send_request(template, lang=partner.lang, force_send=False)
