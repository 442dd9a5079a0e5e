from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ResPartner(models.Model):
    """Payment reminders on the card: the last one sent (level and date, which a
    salesperson may see) and the list of reminders (the accountant's)."""

    _inherit = "res.partner"

    crm_reminder_level_id = fields.Many2one(
        "crm_extended.reminder.level",
        string="Last Reminder Level",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    crm_reminder_date = fields.Date(
        string="Last Reminder On",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    crm_reminder_sent_date = fields.Date(
        string="Reminder Sent On",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Technical: when a reminder was last sent to the customer by the "
        "company (the ledger asks for reminders only when there is one).",
    )
    crm_reminder_count = fields.Integer(
        string="Reminders",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )

    def action_crm_reminders(self):
        """The customer's reminders (the accountant reviews and sends them)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_reminder"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_not_cancelled": 1}
        return action

    def action_crm_reminder_propose(self):
        """From the card: propose this customer's reminder now (the daily run's
        rules, for this customer only) and open it for review."""
        self.ensure_one()
        Reminder = self.env["crm_extended.reminder"]
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            raise UserError(self.env._("Only accountants propose payment reminders."))
        reminders = self.env["crm_extended.reminder.run"]._propose(
            self.env.company, partners=self.commercial_partner_id
        )
        if not reminders:
            raise UserError(
                self.env._(
                    "%(partner)s has nothing overdue long enough for a reminder "
                    "level, or that level was already sent.",
                    partner=self.commercial_partner_id.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": Reminder._name,
            "res_id": reminders[:1].id,
            "view_mode": "form",
            "target": "current",
        }

    # -- The ledger's open items name the last reminder of each item -------------
    def crm_ledger_open_items(self, company=None, offset=0, limit=None):
        result = super().crm_ledger_open_items(
            company=company, offset=offset, limit=limit
        )
        partner = self.commercial_partner_id
        last = {}
        if partner.crm_reminder_sent_date:
            last = self._crm_reminded_items([line["id"] for line in result["lines"]])
        for line in result["lines"]:
            level, date = last.get(line["id"], (False, False))
            line["reminder_level"] = level
            line["reminder_date"] = date
        return result

    def _crm_reminded_items(self, move_line_ids):
        """{journal item id: (level name, date)} of the last sent reminder that
        named the item, in one query (the ledger's query budget does not grow
        with its lines). The caller has checked ledger access."""
        if not move_line_ids:
            return {}
        for model in ("crm_extended.reminder", "crm_extended.reminder.line"):
            self.env[model].flush_model()
        self.env["crm_extended.reminder.level"].flush_model(["name"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (line.move_line_ref)
                       line.move_line_ref,
                       COALESCE(level.name ->> %(lang)s, level.name ->> 'en_US'),
                       reminder.date
                  FROM crm_extended_reminder_line line
                  JOIN crm_extended_reminder reminder
                    ON reminder.id = line.reminder_id
                  JOIN crm_extended_reminder_level level
                    ON level.id = reminder.level_id
                 WHERE line.move_line_ref IN %(items)s
                   AND reminder.state = 'sent'
              ORDER BY line.move_line_ref, reminder.date DESC, reminder.id DESC
                """,
                lang=self.env.lang or "en_US",
                items=tuple(move_line_ids),
            )
        )
        return {item: (level, date) for item, level, date in rows}
