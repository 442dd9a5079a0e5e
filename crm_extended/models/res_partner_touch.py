from markupsafe import Markup

from odoo import api, fields, models

from ..services import contact_pressure

CARD_WINDOWS = (30, 90)


class ResPartner(models.Model):
    _inherit = "res.partner"

    card_touch_html = fields.Html(
        string="Contact Pressure",
        compute="_compute_card_touch_html",
        sanitize=False,
        groups="crm_extended.group_card_user",
        help="How often the company and each contact person were reached in the "
        "last 30 and 90 days, by channel.",
    )

    def _card_touch_people(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        return commercial | commercial.child_ids.filtered(
            lambda child: child.type == "contact" and child.active
        )

    @api.depends_context("uid", "company", "lang")
    def _compute_card_touch_html(self):
        people = self.env["res.partner"]
        for partner in self:
            people |= partner._card_touch_people()
        # Counted as the reader: a touch counts on the card only if the reader
        # may read the mailing, message, call or campaign member behind it.
        Touch = self.env["crm_extended.touch"]
        counts = Touch._readable_counts(people.ids, CARD_WINDOWS)
        labels = dict(Touch._fields["channel"]._description_selection(self.env))
        preferred_labels = dict(
            self._fields["crm_preferred_channel"]._description_selection(self.env)
        )
        for partner in self:
            partner.card_touch_html = self._card_render_touches(
                partner._card_touch_people(), counts, labels, preferred_labels
            )

    def _card_render_touches(self, people, counts, labels, preferred_labels):
        head = Markup("").join(
            Markup('<th class="text-end">%s</th>') % labels[channel]
            for channel in contact_pressure.CHANNELS
        )
        rows = []
        for person in people:
            preferred = person.sudo().crm_preferred_channel
            preferred_channel = contact_pressure.PREFERRED_TOUCH_CHANNEL.get(preferred)
            cells = []
            for channel in contact_pressure.CHANNELS:
                recent, longer = (
                    counts.get((person.id, channel, days), 0) for days in CARD_WINDOWS
                )
                marked = preferred_channel == channel
                cells.append(
                    Markup('<td class="text-end%s">%s / %s</td>')
                    % (" fw-bold" if marked else "", recent, longer)
                )
            rows.append(
                Markup("<tr><td>%s</td><td>%s</td>%s</tr>")
                % (
                    person.name or person.display_name,
                    preferred_labels.get(preferred, ""),
                    Markup("").join(cells),
                )
            )
        return Markup(
            '<table class="table table-sm o_crm_touch_table"><thead><tr>'
            "<th>%s</th><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
            '<p class="text-muted small">%s</p>'
        ) % (
            self.env._("Person"),
            self.env._("Preferred Channel"),
            head,
            Markup("").join(rows),
            self.env._("Touches in the last 30 / 90 days."),
        )

    def _crm_contact_holds(self, channels, company=None, now=None):
        """{partner id: reason} of the people that one more touch through
        ``channels`` would put above the company's caps, or who prefer another
        channel when the company respects preferences. Empty without caps."""
        company = company or self.env.company
        caps, respect_preferred = self.env[
            "crm_extended.contact.cap"
        ]._pressure_settings(company)
        if not self or not (caps or respect_preferred):
            return {}
        counts = self.env["crm_extended.touch"]._touch_counts(
            self.ids, contact_pressure.windows(caps), now=now
        )
        channel_labels = dict(
            self.env["crm_extended.contact.cap"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        preferred_labels = dict(
            self._fields["crm_preferred_channel"]._description_selection(self.env)
        )
        holds = {}
        for person in self.sudo():
            reasons = [
                self.env._(
                    "reached %(count)s times by %(channel)s in the last %(days)s "
                    "days (at most %(limit)s)",
                    count=breach.count,
                    channel=channel_labels[breach.cap.channel],
                    days=contact_pressure.period_days(breach.cap.period),
                    limit=breach.cap.limit,
                )
                for breach in contact_pressure.breaches(
                    counts.get(person.id, {}), caps, channels
                )
            ]
            if respect_preferred and contact_pressure.prefers_other_channel(
                person.crm_preferred_channel, channels
            ):
                reasons.append(
                    self.env._(
                        "prefers %(channel)s",
                        channel=preferred_labels[person.crm_preferred_channel],
                    )
                )
            if reasons:
                holds[person.id] = "; ".join(reasons)
        return holds
