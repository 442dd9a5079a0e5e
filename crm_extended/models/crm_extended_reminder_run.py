import logging

from odoo import api, fields, models

from ..registries.verdict import RISK_INSOLVENCY
from ..services.reminder_query import PENDING_STATES, proposal_sql
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
        """Renew the company's pending proposals (of ``partners`` only, when
        given) with today's: returns today's reminders (proposed and excluded).
        A customer's pending reminder is renewed in place; the ones no longer
        due go."""
        today = fields.Date.to_date(today or fields.Date.context_today(self))
        Reminder = self.env["crm_extended.reminder"].sudo()
        self.env.flush_all()
        partner_ids = partners.commercial_partner_id.ids if partners else None
        open_items = (
            self.env["crm_extended.open.item"]
            .with_context(**{TODAY_KEY: today})
            ._table_query
        )
        rows = self.env.execute_query(
            proposal_sql(open_items, company.id, today, self.env.uid, partner_ids)
        )
        Reminder.invalidate_model()
        reminders = Reminder.browse([row[0] for row in rows])
        self._drop_stale(company, reminders, partner_ids)
        if not partners:
            company.sudo().crm_reminder_run_date = today
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
    def _drop_stale(self, company, current, partner_ids=None):
        """The statement deleted the pending reminders no longer due that nobody
        wrote on; those with a message or followers go through the ORM, so that
        their chatter goes with them."""
        domain = [
            ("company_id", "=", company.id),
            ("state", "in", PENDING_STATES),
            ("id", "not in", current.ids),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", partner_ids))
        current.search(domain).unlink()

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
