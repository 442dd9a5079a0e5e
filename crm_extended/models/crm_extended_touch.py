from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

TOUCH_CHANNELS = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("phone", "Phone"),
    ("campaign", "Campaign"),
]


class CrmExtendedTouch(models.Model):
    """Every outbound touch of a person, one row each.

    Mass mailings and mass SMS (``mailing.trace`` that went out), mails and SMS
    sent from documents to the person (``mail.notification`` of a message our
    side wrote), outbound calls that were answered (``crm_extended.call``) and
    campaign contacts (``crm_extended.campaign.member`` of campaigns that are
    not mailings: a mailing's members are counted by their mails). SMS rows
    appear only when Odoo's ``sms`` module writes them: no dependency on it.
    """

    _name = "crm_extended.touch"
    _inherit = "crm_extended.document.row"
    _description = "Contact Touch"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(readonly=True)
    channel = fields.Selection(TOUCH_CHANNELS, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True
    )
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )

    # -- Access: a row is its document's (crm_extended.document.row) ----------
    @api.model
    def _document_models(self):
        self.env.cr.execute(
            SQL("SELECT DISTINCT res_model FROM %s", SQL.identifier(self._table))
        )
        return [name for (name,) in self.env.cr.fetchall() if name in self.env]

    # -- Counting for the caps (every touch, whoever made it) ------------------
    @api.model
    def _touch_counts(self, partner_ids, window_days, now=None):
        """{partner id: {(channel, days): count}} for the given windows.

        Counts every touch, as the system: a cap protects the person from all
        of us, not only from what the sending user may read."""
        if not partner_ids or not window_days:
            return {}
        now = now or fields.Datetime.now()
        self.env.flush_all()
        columns = SQL(", ").join(
            SQL(
                "COUNT(*) FILTER (WHERE touch.date >= %s)",
                now - timedelta(days=days),
            )
            for days in window_days
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT touch.partner_id, touch.channel, %(columns)s
                  FROM %(table)s touch
                 WHERE touch.partner_id = ANY(%(partners)s)
                   AND touch.date >= %(since)s
                   AND touch.date <= %(now)s
              GROUP BY touch.partner_id, touch.channel
                """,
                columns=columns,
                table=SQL.identifier(self._table),
                partners=list(partner_ids),
                since=now - timedelta(days=max(window_days)),
                now=now,
            )
        )
        counts = {}
        for partner_id, channel, *numbers in self.env.cr.fetchall():
            per_partner = counts.setdefault(partner_id, {})
            for days, number in zip(window_days, numbers, strict=True):
                per_partner[(channel, days)] = number
        return counts

    @api.model
    def _readable_counts(self, partner_ids, window_days, now=None):
        """{(partner id, channel, days): count} of the touches the reader may
        see: the rows are fetched for these people only, then each document
        model's own ``search`` (rights and record rules) keeps the readable
        ones. Cheaper than the generic condition of ``_search`` on a card."""
        if not partner_ids or not window_days:
            return {}
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, channel, date, res_model, res_id
                  FROM %(table)s
                 WHERE partner_id = ANY(%(partners)s)
                   AND date >= %(since)s AND date <= %(now)s
                """,
                table=SQL.identifier(self._table),
                partners=list(partner_ids),
                since=now - timedelta(days=max(window_days)),
                now=now,
            )
        )
        rows = self.env.cr.fetchall()
        ids_by_model = {}
        for _partner, _channel, _date, model_name, res_id in rows:
            ids_by_model.setdefault(model_name, set()).add(res_id)
        readable = set()
        if self.has_access("read"):
            for model_name, res_ids in ids_by_model.items():
                if model_name not in self.env:
                    continue
                Model = self.env[model_name].with_context(active_test=False)
                if not Model.has_access("read"):
                    continue
                for res_id in Model.search([("id", "in", list(res_ids))]).ids:
                    readable.add((model_name, res_id))
        counts = {}
        for partner_id, channel, date, model_name, res_id in rows:
            if (model_name, res_id) not in readable:
                continue
            for days in window_days:
                if date >= now - timedelta(days=days):
                    key = (partner_id, channel, days)
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                  WITH traces AS (
                    SELECT trace.id, COALESCE(trace.sent_datetime, trace.create_date)
                             AS date,
                           CASE WHEN trace.trace_type = 'sms' THEN 'sms'
                                ELSE 'email' END AS channel,
                           CASE
                             WHEN trace.model = 'res.partner' THEN trace.res_id
                             WHEN trace.model = 'crm.lead' THEN (
                               SELECT lead.partner_id FROM crm_lead lead
                                WHERE lead.id = trace.res_id)
                             ELSE (
                               SELECT person.id FROM res_partner person
                                WHERE person.email_normalized = LOWER(TRIM(trace.email))
                                ORDER BY person.id LIMIT 1)
                           END AS partner_id
                      FROM mailing_trace trace
                     WHERE trace.trace_status NOT IN ('error', 'bounce', 'cancel')
                  ),
                  touches AS (
                    SELECT traces.id * 4 + 1 AS id, traces.date, traces.channel,
                           traces.partner_id, 'mailing.trace'::varchar AS res_model,
                           traces.id AS res_id
                      FROM traces
                     WHERE traces.partner_id IS NOT NULL
                    UNION ALL
                    SELECT notif.id * 4 + 2, message.date,
                           CASE WHEN notif.notification_type = 'sms' THEN 'sms'
                                ELSE 'email' END,
                           notif.res_partner_id, message.model, message.res_id
                      FROM mail_notification notif
                      JOIN mail_message message ON message.id = notif.mail_message_id
                     WHERE notif.notification_type IN ('email', 'sms')
                       AND message.message_type IN
                           ('comment', 'email_outgoing', 'auto_comment')
                       AND COALESCE(notif.notification_status, 'ready')
                           NOT IN ('exception', 'bounce', 'canceled')
                       AND message.model IS NOT NULL
                       AND message.res_id IS NOT NULL
                       AND message.author_id IS DISTINCT FROM notif.res_partner_id
                    UNION ALL
                    SELECT call.id * 4 + 3, COALESCE(call.date_answer, call.date_start),
                           'phone', call.partner_id, 'crm_extended.call', call.id
                      FROM crm_extended_call call
                     WHERE call.direction = 'outbound'
                       AND call.state IN ('answered', 'done')
                       AND call.partner_id IS NOT NULL
                    UNION ALL
                    SELECT member.id * 4 + 4, member.create_date, 'campaign',
                           member.partner_id, 'crm_extended.campaign.member', member.id
                      FROM crm_extended_campaign_member member
                      JOIN utm_campaign campaign ON campaign.id = member.campaign_id
                     WHERE campaign.campaign_type IS DISTINCT FROM 'mailing'
                  )
                  SELECT touches.id, touches.date, touches.channel,
                         touches.partner_id,
                         COALESCE(person.commercial_partner_id, person.id)
                           AS commercial_partner_id,
                         touches.res_model, touches.res_id
                    FROM touches
                    JOIN res_partner person ON person.id = touches.partner_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
