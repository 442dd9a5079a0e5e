import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..registries.verdict import RISK_INSOLVENCY
from ..services.reminder_query import proposal_sql
from .crm_extended_open_item import TODAY_KEY

_logger = logging.getLogger(__name__)


class CrmExtendedReminderRun(models.AbstractModel):
    """The daily proposal run: one SQL statement per company over the open items
    of all its customers (services/reminder_query.py says what it proposes)."""

    _name = "crm_extended.reminder.run"
    _description = "Payment Reminder Proposal Run"

    @api.model
    def _cron_propose(self):
        """Odoo 18's cron protocol: one company per call, progress reported;
        the scheduler commits and calls again while companies remain today."""
        today = fields.Date.context_today(self)
        pending = self._companies_with_levels().filtered(
            lambda company: company.crm_reminder_run_date != today
        )
        if not pending:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        company = pending[0]
        self._propose(company, today=today)
        self.env["ir.cron"]._notify_progress(done=1, remaining=len(pending) - 1)
        return 1

    @api.model
    def _companies_with_levels(self):
        levels = self.env["crm_extended.reminder.level"].sudo()
        return levels.search([]).company_id

    @api.model
    def _propose(self, company, today=None, partners=None):
        """Replace the company's pending proposals (of ``partners`` only, when
        given) by today's: returns the new reminders (proposed and excluded)."""
        today = fields.Date.to_date(today or fields.Date.context_today(self))
        Reminder = self.env["crm_extended.reminder"].sudo()
        self.env.flush_all()
        partner_ids = partners.commercial_partner_id.ids if partners else None
        self._drop_pending(company, partner_ids)
        open_items = (
            self.env["crm_extended.open.item"]
            .with_context(**{TODAY_KEY: today})
            ._table_query
        )
        rows = self.env.execute_query(
            proposal_sql(open_items, company.id, today, self.env.uid, partner_ids)
        )
        Reminder.invalidate_model()
        self.env["crm_extended.reminder.line"].invalidate_model()
        if not partners:
            company.sudo().crm_reminder_run_date = today
        reminders = Reminder.browse([row[0] for row in rows])
        excluded = reminders.browse([row[0] for row in rows if row[1] == "excluded"])
        for reminder in excluded:
            reminder.exclusion_reason = self._exclusion_reason(reminder.partner_id)
        _logger.info(
            "Payment reminders for %s: %s proposed, %s excluded",
            company.name,
            len(reminders) - len(excluded),
            len(excluded),
        )
        return reminders

    @api.model
    def _drop_pending(self, company, partner_ids=None):
        """Yesterday's proposals and exclusions go: one DELETE for those nobody
        wrote on (their items follow by the foreign key), the ORM for the few
        with a note or followers, so that the chatter goes with them."""
        self.env.execute_query(
            SQL(
                """
                DELETE FROM crm_extended_reminder reminder
                 WHERE reminder.company_id = %(company)s
                   AND reminder.state IN ('proposed', 'excluded')
                   %(only_partners)s
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_message message
                        WHERE message.model = %(model)s
                          AND message.res_id = reminder.id)
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_followers follower
                        WHERE follower.res_model = %(model)s
                          AND follower.res_id = reminder.id)
                """,
                company=company.id,
                model="crm_extended.reminder",
                only_partners=(
                    SQL("AND reminder.partner_id IN %s", tuple(partner_ids))
                    if partner_ids
                    else SQL()
                ),
            )
        )
        Reminder = self.env["crm_extended.reminder"].sudo()
        Reminder.invalidate_model()
        domain = [
            ("company_id", "=", company.id),
            ("state", "in", ("proposed", "excluded")),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", partner_ids))
        Reminder.search(domain).unlink()

    @api.model
    def _exclusion_reason(self, partner):
        sentences = [
            text
            for kind, text in partner._registry_risks()
            if kind == RISK_INSOLVENCY and text
        ]
        return self.env._(
            "In insolvency: %(reasons)s", reasons=" ".join(sentences) or "-"
        )
