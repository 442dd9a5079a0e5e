from odoo import api, fields, models


class CrmExtendedCallLog(models.TransientModel):
    """After a call: the note, the outcome and the follow-up activities."""

    _name = "crm_extended.call.log"
    _description = "Log a Phone Call"

    call_id = fields.Many2one("crm_extended.call", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="call_id.partner_id")
    outcome = fields.Selection(
        selection=lambda self: (
            self.env["crm_extended.call"]
            ._fields["outcome"]
            ._description_selection(self.env)
        ),
    )
    note = fields.Html()
    line_ids = fields.One2many(
        "crm_extended.call.log.line", "wizard_id", string="Follow-up Activities"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        call = self.env["crm_extended.call"].browse(values.get("call_id"))
        if call:
            values.setdefault("outcome", call.outcome)
            values.setdefault("note", call.note)
        return values

    def action_save(self):
        """Write the note and outcome on the call, plan the follow-ups."""
        self.ensure_one()
        call = self.call_id
        call.write({"note": self.note, "outcome": self.outcome})
        # Follow-ups belong on the caller's card; an unknown caller keeps them on
        # the call itself.
        target = call.partner_id or call
        # The user may read the card but need not edit it: planning a follow-up
        # on what they can read is allowed, the activity is created as superuser.
        target.check_access("read")
        for line in self.line_ids:
            target.sudo().activity_schedule(
                activity_type_id=line.activity_type_id.id,
                summary=line.summary or line.activity_type_id.summary or "",
                date_deadline=line.date_deadline,
                user_id=line.user_id.id,
                automated=False,
            )
        return {"type": "ir.actions.act_window_close"}
