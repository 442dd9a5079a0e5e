import re

from odoo import api, fields, models, tools
from odoo.tools import SQL

KINDS = [
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("mail", "Mail"),
    ("note", "Note"),
    ("activity", "Activity"),
    ("reminder", "Payment Reminder"),
]

# The documents a timeline row can come from. A row is shown only to a user who
# may read its document (record rules included); see _search.
DOCUMENT_MODELS = (
    "res.partner",
    "crm.lead",
    "crm_extended.complaint",
    "crm_extended.contract",
    "crm_extended.call",
    "calendar.event",
    "crm_extended.reminder",
)


TAG = re.compile(r"<[^>]*>")
DETAIL_LENGTH = 500


def plain_text(html):
    """The first characters of ``html`` with its tags blanked out."""
    return TAG.sub(" ", html or "")[:DETAIL_LENGTH]


class CrmExtendedTimeline(models.Model):
    """One timeline of a customer's communications.

    Mails and notes (mail.message), planned activities (mail.activity), done
    activities (messages of an activity type), meetings (calendar.event with an
    attendee of the customer) and the calls the telephone exchange reported
    (crm_extended.call), on the company, its contact people, their
    opportunities, complaints, contracts and calls. Activities of the phone call
    category count as calls too.
    """

    _name = "crm_extended.timeline"
    _inherit = "crm_extended.document.row"
    _description = "Customer Communications"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "summary"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, string="Type", readonly=True)
    summary = fields.Char(readonly=True)
    # The document's text as stored (HTML); ``detail`` is its plain text. The
    # view does not strip the tags itself: PostgreSQL computes every column of
    # every row it sorts (a customer's whole timeline for its first page).
    detail_source = fields.Text(string="Detail (HTML)", readonly=True)
    detail = fields.Text(
        compute="_compute_detail", search="_search_detail", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", readonly=True)
    author_id = fields.Many2one("res.partner", string="By", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    done = fields.Boolean(readonly=True)

    @api.depends("detail_source")
    def _compute_detail(self):
        for row in self:
            row.detail = plain_text(row.detail_source)

    def _search_detail(self, operator, value):
        return [("detail_source", operator, value)]

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # The plain text is computed from the HTML: fetch the HTML with the
        # rows (fetched later by id, it would scan every row of the view).
        if "detail" in field_names and "detail_source" not in field_names:
            field_names = [*field_names, "detail_source"]
        return super().search_fetch(
            domain, field_names, offset=offset, limit=limit, order=order
        )

    # -- Access: a row is the document's (crm_extended.document.row) ----------
    def _check_access_domain(self):
        # Rows fetched by a search (the card's page) know their customer: check
        # them within that customer's rows, which the view filters by index,
        # instead of by their computed ids, which scans every row of the view.
        field = self._fields["partner_id"]
        cache = self.env.cache
        if not all(cache.contains(row, field) for row in self):
            return []
        partner_ids = {cache.get(row, field) for row in self}
        return [
            ("partner_id", "in", [pid for pid in partner_ids if pid]),
            ("id", "in", self.ids),
        ]

    @api.model
    def _document_models(self):
        return DOCUMENT_MODELS

    @api.model
    def _document_domain(self, model_name):
        if model_name != "calendar.event":
            return []
        # A private meeting (explicitly, or by its organizer's default) shows only
        # to its organizer and attendees, as in the calendar. Sub-queries, not
        # searches: the condition stays one SQL statement.
        user = self.env.user
        private_settings = (
            self.env["res.users.settings"]
            .sudo()
            ._search([("calendar_default_privacy", "=", "private")])
        )
        private_organizers = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search([("res_users_settings_id", "in", private_settings)])
        )
        return [
            "|",
            "|",
            "|",
            ("privacy", "in", ("public", "confidential")),
            ("user_id", "=", user.id),
            ("partner_ids", "in", user.partner_id.ids),
            "&",
            ("privacy", "=", False),
            "|",
            ("user_id", "=", False),
            ("user_id", "not in", private_organizers),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                  WITH documents AS NOT MATERIALIZED (
                    SELECT 'res.partner'::varchar AS model, partner.id AS res_id,
                           partner.commercial_partner_id AS partner_id,
                           partner.id AS contact_id,
                           partner.company_id
                      FROM res_partner partner
                     WHERE partner.commercial_partner_id IS NOT NULL
                    UNION ALL
                    SELECT 'crm.lead', lead.id, lead_partner.commercial_partner_id,
                           lead.partner_id, lead.company_id
                      FROM crm_lead lead
                      JOIN res_partner lead_partner
                        ON lead_partner.id = lead.partner_id
                    UNION ALL
                    SELECT 'crm_extended.complaint', complaint.id,
                           complaint.commercial_partner_id, complaint.partner_id,
                           complaint.company_id
                      FROM crm_extended_complaint complaint
                     WHERE complaint.commercial_partner_id IS NOT NULL
                    UNION ALL
                    SELECT 'crm_extended.contract', contract.id,
                           contract.commercial_partner_id, contract.partner_id,
                           contract.company_id
                      FROM crm_extended_contract contract
                    UNION ALL
                    SELECT 'crm_extended.call', call.id, call.commercial_partner_id,
                           call.partner_id, call.company_id
                      FROM crm_extended_call call
                     WHERE call.commercial_partner_id IS NOT NULL
                  )
                  SELECT message.id * 5 + 1 AS id,
                         message.date,
                         CASE
                           WHEN activity_type.category = 'phonecall' THEN 'call'
                           WHEN message.mail_activity_type_id IS NOT NULL
                             THEN 'activity'
                           WHEN message.message_type = 'comment'
                            AND (message.is_internal OR subtype.internal) THEN 'note'
                           ELSE 'mail'
                         END AS kind,
                         COALESCE(NULLIF(message.subject, ''),
                                  activity_type.name->>'en_US',
                                  message.record_name) AS summary,
                         message.body AS detail_source,
                         doc.partner_id,
                         doc.contact_id,
                         message.author_id,
                         doc.company_id,
                         message.model AS res_model,
                         message.res_id,
                         TRUE AS done
                    FROM mail_message message
                    JOIN documents doc
                      ON doc.model = message.model AND doc.res_id = message.res_id
               LEFT JOIN mail_message_subtype subtype
                      ON subtype.id = message.subtype_id
               LEFT JOIN mail_activity_type activity_type
                      ON activity_type.id = message.mail_activity_type_id
                   WHERE message.message_type IN ('email', 'comment', 'email_outgoing')
                      OR message.mail_activity_type_id IS NOT NULL
                  UNION ALL
                  SELECT activity.id * 5 + 2,
                         activity.date_deadline::timestamp,
                         CASE WHEN activity_type.category = 'phonecall' THEN 'call'
                              ELSE 'activity' END,
                         COALESCE(NULLIF(activity.summary, ''),
                                  activity_type.name->>'en_US'),
                         activity.note,
                         doc.partner_id,
                         doc.contact_id,
                         users.partner_id,
                         doc.company_id,
                         activity.res_model,
                         activity.res_id,
                         FALSE
                    FROM mail_activity activity
                    JOIN documents doc
                      ON doc.model = activity.res_model
                     AND doc.res_id = activity.res_id
               LEFT JOIN mail_activity_type activity_type
                      ON activity_type.id = activity.activity_type_id
               LEFT JOIN res_users users ON users.id = activity.user_id
                  UNION ALL
                  SELECT MIN(attendee.id) * 5 + 3,
                         event.start,
                         'meeting',
                         event.name,
                         event.description,
                         partner.commercial_partner_id,
                         MIN(partner.id),
                         users.partner_id,
                         NULL::integer,
                         'calendar.event',
                         event.id,
                         event.stop < NOW() AT TIME ZONE 'UTC'
                    FROM calendar_attendee attendee
                    JOIN calendar_event event ON event.id = attendee.event_id
                    JOIN res_partner partner ON partner.id = attendee.partner_id
               LEFT JOIN res_users users ON users.id = event.user_id
                   WHERE event.active
                GROUP BY event.id, partner.commercial_partner_id, users.partner_id
                  UNION ALL
                  SELECT call.id * 5 + 4,
                         call.date_start,
                         'call',
                         COALESCE(NULLIF(call.number, ''), call.number_normalized),
                         call.note,
                         call.commercial_partner_id,
                         call.partner_id,
                         users.partner_id,
                         call.company_id,
                         'crm_extended.call',
                         call.id,
                         call.state IN ('done', 'missed')
                    FROM crm_extended_call call
               LEFT JOIN res_users users ON users.id = call.user_id
                   WHERE call.commercial_partner_id IS NOT NULL
                  UNION ALL
                  -- A sent payment reminder: its level and date, no amounts (a
                  -- salesperson may read it); the mail itself stays on it.
                  SELECT reminder.id * 5,
                         COALESCE(reminder.sent_at, reminder.date::timestamp),
                         'reminder',
                         level.name->>'en_US',
                         NULL,
                         reminder.partner_id,
                         reminder.partner_id,
                         users.partner_id,
                         reminder.company_id,
                         'crm_extended.reminder',
                         reminder.id,
                         TRUE
                    FROM crm_extended_reminder reminder
                    JOIN crm_extended_reminder_level level
                      ON level.id = reminder.level_id
               LEFT JOIN res_users users ON users.id = reminder.sent_by_id
                   WHERE reminder.state = 'sent'
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
