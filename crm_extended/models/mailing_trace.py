from odoo import api, fields, models

# Trace fields whose change is a campaign event, and the event they mean.
STATUS_EVENTS = {
    "pending": "sent",
    "sent": "sent",
    "open": "open",
    "reply": "reply",
    "bounce": "bounce",
}
EVENT_DATE_FIELDS = {
    "open": "open_datetime",
    "reply": "reply_datetime",
    "click": "links_click_datetime",
    "sent": "sent_datetime",
}


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    @api.model_create_multi
    def create(self, vals_list):
        traces = super().create(vals_list)
        traces._crm_campaign_event("sent")
        return traces

    def write(self, vals):
        result = super().write(vals)
        if vals.get("links_click_datetime"):
            self._crm_campaign_event("click")
        event = STATUS_EVENTS.get(vals.get("trace_status"))
        if event:
            self._crm_campaign_event(event)
        return result

    def _crm_campaign_partners(self):
        """{trace: res.partner} for traces whose recipient is a known partner."""
        partners = {}
        by_email = self.filtered(lambda t: t.model not in ("res.partner", "crm.lead"))
        emails = {t.email for t in by_email if t.email}
        email_partners = {}
        if emails:
            for partner in (
                self.env["res.partner"]
                .sudo()
                .search([("email_normalized", "in", list(emails))], order="id")
            ):
                email_partners.setdefault(partner.email_normalized, partner)
        # The recipients' partners and leads in one query each, not one per trace.
        record_partners = {}
        for model in ("res.partner", "crm.lead"):
            res_ids = {t.res_id for t in self if t.model == model and t.res_id}
            records = self.env[model].sudo().browse(res_ids).exists()
            record_partners[model] = {
                record.id: record if model == "res.partner" else record.partner_id
                for record in records
            }
        for trace in self:
            partner = self.env["res.partner"]
            if trace.model in record_partners:
                partner = record_partners[trace.model].get(trace.res_id, partner)
            elif trace.email:
                partner = email_partners.get(trace.email, partner)
            if partner:
                partners[trace] = partner
        return partners

    def _crm_campaign_event(self, event):
        """Make recipients members of the campaign and move them on by ``event``."""
        traces = self.filtered("campaign_id")
        if not traces:
            return
        Status = self.env["crm_extended.campaign.response.status"].sudo()
        Member = self.env["crm_extended.campaign.member"].sudo()
        status = Status.search([("trace_event", "=", event)], limit=1)
        sent_status = Status.search([("trace_event", "=", "sent")], limit=1)
        partners = traces._crm_campaign_partners()
        if not partners:
            return
        existing = {
            (m.campaign_id.id, m.partner_id.id): m
            for m in Member.search(
                [
                    ("campaign_id", "in", traces.campaign_id.ids),
                    ("partner_id", "in", [p.id for p in partners.values()]),
                ]
            )
        }
        to_create = {}
        for trace, partner in partners.items():
            key = (trace.campaign_id.id, partner.id)
            if key not in existing and key not in to_create:
                to_create[key] = {
                    "campaign_id": key[0],
                    "partner_id": key[1],
                    "status": sent_status.id,
                }
        if to_create:
            for member in Member.create(list(to_create.values())):
                existing[(member.campaign_id.id, member.partner_id.id)] = member
        if not status or event == "sent":
            return
        date_field = EVENT_DATE_FIELDS.get(event)
        for trace, partner in partners.items():
            when = (date_field and trace[date_field]) or fields.Datetime.now()
            member = existing[(trace.campaign_id.id, partner.id)]
            member._apply_status(status, when, channel="email")
