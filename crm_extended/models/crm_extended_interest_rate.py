"""Reference rates for statutory late-payment interest, per country.

One row per change of the reference rate (ECB main refinancing rate for
Slovakia, ČNB two-week repo rate for Czechia, NBP reference rate for Poland),
with the legal margin valid from that day. The shipped rows are ``noupdate``:
managers add each new published rate here (readme/CONFIGURE.md).
"""

from odoo import api, fields, models

from ..services import late_interest


class CrmExtendedInterestRate(models.Model):
    _name = "crm_extended.interest.rate"
    _description = "Late-Payment Interest Reference Rate"
    _order = "country_id, valid_from desc"
    _rec_name = "valid_from"

    country_id = fields.Many2one("res.country", required=True, ondelete="restrict")
    valid_from = fields.Date(required=True)
    reference_rate = fields.Float(
        string="Reference Rate (%)",
        digits=(5, 2),
        required=True,
        help="The central bank's rate valid from this day, in percent a year.",
    )
    margin = fields.Float(
        string="Legal Margin (p.p.)",
        digits=(5, 2),
        required=True,
        help="Percentage points the law adds to the reference rate.",
    )
    rate = fields.Float(
        string="Interest Rate (%)",
        digits=(5, 2),
        compute="_compute_rate",
        store=True,
    )
    source = fields.Char(help="Where the rate was published.")

    _sql_constraints = (
        (
            "country_valid_from_unique",
            "unique(country_id, valid_from)",
            "There is already a rate of this country valid from this day.",
        ),
    )

    @api.depends("reference_rate", "margin")
    def _compute_rate(self):
        for row in self:
            row.rate = row.reference_rate + row.margin

    @api.model
    def _crm_rate_table(self, country_code):
        """The rows of a country as a plain :class:`late_interest.RateTable`."""
        rows = self.sudo().search([("country_id.code", "=", country_code)])
        return late_interest.RateTable(
            country_code,
            [
                late_interest.RateRow(row.valid_from, row.reference_rate, row.margin)
                for row in rows
            ],
        )
