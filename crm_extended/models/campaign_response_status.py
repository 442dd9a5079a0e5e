from odoo import fields, models

from .campaign_member import RESPONSE_CHANNELS

TRACE_EVENTS = [
    ("sent", "Mail sent"),
    ("open", "Mail opened"),
    ("click", "Link clicked"),
    ("reply", "Mail replied"),
    ("bounce", "Mail bounced"),
    ("unsubscribe", "Unsubscribed from mailing"),
]


class CampaignResponseStatus(models.Model):
    _name = "crm_extended.campaign.response.status"
    _description = "Campaign Response Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Order of the statuses. Automatic updates from mailings only move a "
        "member to a status further down this list, never back.",
    )
    counts_as_response = fields.Boolean(
        help="A member in this status has responded to the campaign."
    )
    trace_event = fields.Selection(
        TRACE_EVENTS,
        help="Mailing event that moves a member to this status by itself.",
    )
    default_channel = fields.Selection(
        RESPONSE_CHANNELS,
        help="Response channel filled in when a member is given this status by hand.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _sql_constraints = (
        (
            "trace_event_unique",
            "UNIQUE(trace_event)",
            "Only one status can be linked to each mailing event.",
        ),
    )
