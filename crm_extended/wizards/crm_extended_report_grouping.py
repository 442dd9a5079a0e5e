from odoo import fields, models
from odoo.exceptions import UserError

COMMON_GROUPINGS = [
    ("user_id", "Salesperson"),
    ("team_id", "Sales Team"),
    ("segment", "Segment Axis"),
    ("country_id", "Country"),
    ("partner_id", "Customer"),
    ("month", "Month"),
]
OFFER_GROUPINGS = [
    ("product_categ_id", "Product Category"),
    ("lost_to_competitor_id", "Competitor Who Won"),
    ("competitor_ids", "Competitors in Play"),
    ("lost_reason_id", "Lost Reason"),
    ("campaign_id", "Campaign"),
    ("source_id", "Source"),
]
# report: (action, column grouping, its alternative, month field)
REPORTS = {
    "forecast": (
        "crm_extended.action_crm_extended_sales_forecast",
        "month:month",
        "kind",
        "month",
    ),
    "offers": (
        "crm_extended.action_crm_extended_offer_report",
        "outcome",
        "offer_type",
        "offer_date",
    ),
}


class CrmExtendedReportGrouping(models.TransientModel):
    """Choose how a selling report is grouped before it opens."""

    _name = "crm_extended.report.grouping"
    _description = "Selling Report Grouping"

    report = fields.Selection(
        [("forecast", "Sales Forecast"), ("offers", "Offer Success")],
        required=True,
        default="forecast",
    )
    forecast_groupby = fields.Selection(
        COMMON_GROUPINGS, string="Forecast Rows by", default="user_id"
    )
    offer_groupby = fields.Selection(
        COMMON_GROUPINGS + OFFER_GROUPINGS, string="Offer Rows by", default="user_id"
    )
    segment_axis_id = fields.Many2one(
        "crm_extended.segment.axis", help="One row per value of this axis."
    )

    def _groupby(self):
        return (
            self.forecast_groupby if self.report == "forecast" else self.offer_groupby
        )

    def action_open(self):
        self.ensure_one()
        action_xmlid, column, other_column, month_field = REPORTS[self.report]
        groupby = self._groupby()
        if not groupby:
            raise UserError(self.env._("Choose how to group the rows."))
        context = {}
        if groupby == "segment":
            if not self.segment_axis_id:
                raise UserError(self.env._("Choose the segment axis to group by."))
            row = "segment_value_ids"
            context["crm_segment_axis_id"] = self.segment_axis_id.id
        elif groupby == "month":
            row = f"{month_field}:month"
        else:
            row = groupby
        context.update(
            pivot_row_groupby=[row],
            pivot_column_groupby=[other_column if row == column else column],
            graph_groupbys=[row],
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["context"] = context
        return action
