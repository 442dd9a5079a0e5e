from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..services import satisfaction

COMMENTS_SHOWN = 3


class ResPartner(models.Model):
    _inherit = "res.partner"

    card_csat = fields.Float(
        string="CSAT (%)",
        compute="_compute_card_satisfaction",
        digits=(16, 0),
        groups="crm_extended.group_card_user",
        help="Share of satisfied ratings of the last 90 days (Odoo's ratings of the "
        "customer and its contacts, e.g. after a complaint).",
    )
    card_csat_trend = fields.Float(
        string="CSAT Trend",
        compute="_compute_card_satisfaction",
        digits=(16, 0),
        groups="crm_extended.group_card_user",
        help="Points gained or lost against the 90 days before.",
    )
    card_rating_count = fields.Integer(
        string="Ratings (90 Days)",
        compute="_compute_card_satisfaction",
        groups="crm_extended.group_card_user",
    )
    card_satisfaction_html = fields.Html(
        string="Satisfaction",
        compute="_compute_card_satisfaction",
        sanitize=False,
        groups="crm_extended.group_card_user",
    )

    def _card_satisfaction_people(self):
        commercial = self.commercial_partner_id
        return commercial | commercial.child_ids

    @api.model
    def _crm_readable_ratings(self, people, since):
        """Filled ratings by ``people`` since ``since`` whose rated document
        the reader may read (rights and record rules of that document)."""
        Rating = self.env["rating.rating"]
        if not people or not Rating.has_access("read"):
            return Rating
        ratings = Rating.sudo().search(
            [
                ("partner_id", "in", people.ids),
                ("consumed", "=", True),
                ("rating", ">=", 1),
                ("write_date", ">=", since),
            ],
            order="write_date desc, id desc",
        )
        readable = Rating
        by_model = {}
        for rating in ratings:
            by_model.setdefault(rating.res_model, []).append(rating)
        for model_name, model_ratings in by_model.items():
            if model_name not in self.env:
                continue
            Model = self.env[model_name].with_context(active_test=False)
            if not Model.has_access("read"):
                continue
            allowed = set(
                Model.search([("id", "in", [r.res_id for r in model_ratings])]).ids
            )
            for rating in model_ratings:
                if rating.res_id in allowed:
                    readable |= rating
        return readable.sudo(False).sorted(lambda r: (r.write_date, r.id), reverse=True)

    def _crm_nps_answers(self, people, since):
        """[(date, score 0-10)] of NPS answers by ``people`` since ``since``.

        Empty here: the addon does not depend on ``survey``; a glue addon
        installed with it overrides this to feed the card's NPS."""
        return []

    @api.depends_context("uid", "company", "lang")
    def _compute_card_satisfaction(self):
        today = fields.Date.context_today(self)
        since = today - timedelta(days=2 * satisfaction.TREND_DAYS)
        for partner in self:
            people = partner._card_satisfaction_people()
            ratings = self._crm_readable_ratings(people, since)
            dated = [(rating.write_date.date(), rating.rating) for rating in ratings]
            csat = satisfaction.figure_with_trend(satisfaction.csat, dated, today)
            nps = satisfaction.figure_with_trend(
                satisfaction.nps, self._crm_nps_answers(people, since), today
            )
            partner.card_csat = csat["value"] or 0.0
            partner.card_csat_trend = csat["trend"] or 0.0
            partner.card_rating_count = len(satisfaction.split_periods(dated, today)[0])
            partner.card_satisfaction_html = partner._card_render_satisfaction(
                csat, nps, ratings.filtered("feedback")[:COMMENTS_SHOWN]
            )

    def _card_render_figure(self, label, figure, unit):
        if figure["value"] is None:
            value = self.env._("no answers in the last 90 days")
        else:
            value = f"{figure['value']:.0f}{unit}"
        trend = ""
        if figure["trend"] is not None:
            arrow = "↑" if figure["trend"] > 0 else "↓" if figure["trend"] < 0 else "→"
            points = "{:+.0f}".format(figure["trend"])
            trend = self.env._(
                "%(arrow)s %(points)s against the 90 days before",
                arrow=arrow,
                points=points,
            )
        return Markup(
            '<div class="o_crm_satisfaction_figure"><strong>%s</strong> %s '
            '<span class="text-muted">%s</span></div>'
        ) % (label, value, trend)

    def _card_render_satisfaction(self, csat, nps, comments):
        parts = [self._card_render_figure(self.env._("CSAT"), csat, " %")]
        if nps["value"] is not None or nps["previous"] is not None:
            parts.append(self._card_render_figure(self.env._("NPS"), nps, ""))
        texts = dict(
            self.env["rating.rating"]
            ._fields["rating_text"]
            ._description_selection(self.env)
        )
        items = [
            Markup("<li>%s · %s · %s: %s</li>")
            % (
                format_date(self.env, rating.write_date),
                texts.get(rating.rating_text, ""),
                rating.sudo().res_name or "",
                rating.feedback,
            )
            for rating in comments
        ]
        if items:
            parts.append(
                Markup("<div><strong>%s</strong><ul>%s</ul></div>")
                % (self.env._("Last comments"), Markup("").join(items))
            )
        return Markup("").join(parts)
