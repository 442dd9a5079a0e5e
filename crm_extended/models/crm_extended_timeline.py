from odoo import fields, models, tools
from odoo.tools import SQL

KINDS = [
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("mail", "Mail"),
    ("note", "Note"),
    ("activity", "Activity"),
]


class CrmExtendedTimeline(models.Model):
    """One timeline of a customer's communications.

    Mails and notes (mail.message), planned activities (mail.activity), done
    activities (messages of an activity type) and meetings (calendar.event with
    an attendee of the customer), on the company, its contact people, their
    opportunities, complaints and contracts. Calls are activities and done
    activities of the phone call category.
    """

    _name = "crm_extended.timeline"
    _description = "Customer Communications"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "summary"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, string="Type", readonly=True)
    summary = fields.Char(readonly=True)
    detail = fields.Text(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", readonly=True)
    author_id = fields.Many2one("res.partner", string="By", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    done = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                  WITH documents AS NOT MATERIALIZED (
                    SELECT 'res.partner'::varchar AS model, partner.id AS res_id,
                           partner.commercial_partner_id AS partner_id,
                           partner.id AS contact_id
                      FROM res_partner partner
                     WHERE partner.commercial_partner_id IS NOT NULL
                    UNION ALL
                    SELECT 'crm.lead', lead.id, lead_partner.commercial_partner_id,
                           lead.partner_id
                      FROM crm_lead lead
                      JOIN res_partner lead_partner
                        ON lead_partner.id = lead.partner_id
                    UNION ALL
                    SELECT 'crm_extended.complaint', complaint.id,
                           complaint.commercial_partner_id, complaint.partner_id
                      FROM crm_extended_complaint complaint
                     WHERE complaint.commercial_partner_id IS NOT NULL
                    UNION ALL
                    SELECT 'crm_extended.contract', contract.id,
                           contract.commercial_partner_id, contract.partner_id
                      FROM crm_extended_contract contract
                  )
                  SELECT message.id * 4 + 1 AS id,
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
                         LEFT(REGEXP_REPLACE(COALESCE(message.body, ''),
                                             '<[^>]*>', ' ', 'g'), 500) AS detail,
                         doc.partner_id,
                         doc.contact_id,
                         message.author_id,
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
                  SELECT activity.id * 4 + 2,
                         activity.date_deadline::timestamp,
                         CASE WHEN activity_type.category = 'phonecall' THEN 'call'
                              ELSE 'activity' END,
                         COALESCE(NULLIF(activity.summary, ''),
                                  activity_type.name->>'en_US'),
                         LEFT(REGEXP_REPLACE(COALESCE(activity.note, ''),
                                             '<[^>]*>', ' ', 'g'), 500),
                         doc.partner_id,
                         doc.contact_id,
                         users.partner_id,
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
                  SELECT MIN(attendee.id) * 4 + 3,
                         event.start,
                         'meeting',
                         event.name,
                         LEFT(REGEXP_REPLACE(COALESCE(event.description, ''),
                                             '<[^>]*>', ' ', 'g'), 500),
                         partner.commercial_partner_id,
                         MIN(partner.id),
                         users.partner_id,
                         'calendar.event',
                         event.id,
                         event.stop < NOW() AT TIME ZONE 'UTC'
                    FROM calendar_attendee attendee
                    JOIN calendar_event event ON event.id = attendee.event_id
                    JOIN res_partner partner ON partner.id = attendee.partner_id
               LEFT JOIN res_users users ON users.id = event.user_id
                   WHERE event.active
                     AND COALESCE(event.privacy, 'public') != 'private'
                GROUP BY event.id, partner.commercial_partner_id, users.partner_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
