from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_registry_warning = fields.Text(
        string="Registry Warning",
        compute="_compute_crm_registry_warning",
        help="Shown on a draft customer invoice when a registry says the customer "
        "is in insolvency or liquidation, on a debtor list or an unreliable VAT "
        "payer.",
    )

    @api.depends("partner_id", "state", "move_type", "company_id")
    def _compute_crm_registry_warning(self):
        for move in self:
            move.crm_registry_warning = (
                move.state == "draft"
                and move.move_type == "out_invoice"
                and move.partner_id
                and move.partner_id._registry_warning_text(move.company_id)
            ) or False

    def _post(self, soft=True):
        """A registry risk of the customer warns (a note in the chatter) or,
        where the company made that kind of risk blocking, stops the posting."""
        noted = {}
        for move in self.filtered(
            lambda move: move.move_type == "out_invoice" and move.partner_id
        ):
            warnings = move.partner_id._registry_check_blocking(
                move.company_id,
                self.env._(
                    "Posting the invoice for %(partner)s",
                    partner=move.partner_id.commercial_partner_id.display_name,
                ),
            )
            if warnings:
                noted[move] = warnings
        posted = super()._post(soft=soft)
        for move, warnings in noted.items():
            if move in posted:
                move.message_post(
                    body=self.env._(
                        "Posted despite a registry warning: %(reasons)s",
                        reasons=" ".join(warnings),
                    )
                )
        return posted
