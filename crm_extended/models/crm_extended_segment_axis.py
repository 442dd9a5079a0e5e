from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..scoring import drift as drift_maths
from ..scoring import segments as segment_maths
from .crm_extended_partner_drift import DRIFT_STATES

AXIS_RULES = [
    ("manual", "Typed by hand"),
    ("abc_turnover", "ABC by turnover"),
    ("rfm", "RFM scores"),
    ("payment_grade", "Payment grade"),
    ("drift_state", "Buying state"),
]

# The customers of one axis whose value is not the wanted one (a few hundred of
# tens of thousands on a night): compared in PostgreSQL, only they come back.
_SQL_MOVED = """
WITH wanted AS (
    SELECT * FROM unnest(%(partners)s::int[], %(values)s::int[])
        AS wanted(partner_id, value_id)
),
present AS (
    SELECT rel.partner_id, rel.value_id
      FROM crm_extended_partner_segment_rel rel
      JOIN crm_extended_segment_value segment ON segment.id = rel.value_id
     WHERE segment.axis_id = %(axis)s
)
SELECT COALESCE(wanted.partner_id, present.partner_id),
       present.value_id, wanted.value_id
  FROM wanted
  FULL JOIN present ON present.partner_id = wanted.partner_id
 WHERE wanted.value_id IS DISTINCT FROM present.value_id
"""

# The moves applied in one statement, every change kept in
# crm_extended_segment_move. Apart from the comparison above, so that PostgreSQL
# plans them for the few moved customers (index lookups) instead of for every
# customer of the axis (a hash of the whole relation, 0.1-0.2 s an axis).
_SQL_APPLY_MOVES = """
WITH moved AS (
    SELECT * FROM unnest(%(partners)s::int[], %(from_values)s::int[],
                         %(to_values)s::int[])
        AS moved(partner_id, from_value_id, to_value_id)
),
removed AS (
    DELETE FROM crm_extended_partner_segment_rel rel
     USING moved
     WHERE rel.partner_id = moved.partner_id AND rel.value_id = moved.from_value_id
),
added AS (
    INSERT INTO crm_extended_partner_segment_rel (partner_id, value_id)
    SELECT partner_id, to_value_id FROM moved WHERE to_value_id IS NOT NULL
)
INSERT INTO crm_extended_segment_move
       (partner_id, axis_id, company_id, from_value_id, to_value_id, date,
        create_uid, write_uid, create_date, write_date)
SELECT partner_id, %(axis)s, %(company)s, from_value_id, to_value_id,
       %(today)s, %(uid)s, %(uid)s, %(now)s, %(now)s
  FROM moved
"""


def _int_array(values):
    """A PostgreSQL int[] literal of ``values``, None as NULL (a customer
    entering or leaving the axis): psycopg2 adapts a list item by item (about 10
    microseconds each, seconds for the tens of thousands of customers of a
    nightly pass); PostgreSQL parses the literal at once."""
    return "{%s}" % ",".join(  # noqa: UP031
        "NULL" if value is None else str(int(value)) for value in values
    )


class CrmExtendedSegmentAxis(models.Model):
    """An independent axis of segmentation: size, industry, region, potential...

    An axis is typed by hand, or follows a rule (ABC by turnover, RFM, payment
    grade, buying state): then the system fills it every night for the
    customers of its company and keeps each customer's moves.
    """

    _name = "crm_extended.segment.axis"
    _description = "Segmentation Axis"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    value_ids = fields.One2many(
        "crm_extended.segment.value", "axis_id", string="Values"
    )
    rule = fields.Selection(
        AXIS_RULES,
        default="manual",
        required=True,
        help="Typed by hand, or filled by the system every night: ABC (customers "
        "making the first 80 % of the last 12 months' turnover, the next 15 %, "
        "the rest), RFM (recency, frequency and monetary scores 1-5), the payment "
        "grade or the buying state.",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Rule-based axes: the company whose invoices and grades decide.",
    )
    filled_on = fields.Date(readonly=True, copy=False)
    move_count = fields.Integer(
        compute="_compute_move_count",
        string="Changes",
        groups="crm_extended.group_card_user",
    )

    _sql_constraints = (
        ("name_unique", "UNIQUE(name)", "An axis with this name already exists."),
    )

    @api.constrains("rule", "company_id")
    def _check_rule_company(self):
        for axis in self:
            if axis.rule != "manual" and not axis.company_id:
                raise ValidationError(
                    self.env._(
                        "The axis %(axis)s follows a rule: choose the company whose "
                        "figures decide.",
                        axis=axis.name,
                    )
                )

    def _compute_move_count(self):
        counts = dict(
            self.env["crm_extended.segment.move"]._read_group(
                [("axis_id", "in", self.ids)], ["axis_id"], ["__count"]
            )
        )
        for axis in self:
            axis.move_count = counts.get(axis, 0)

    def action_group_customers(self):
        """The customers of this axis grouped by its values (Segmentation Analysis)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_extended_segment_membership"
        )
        action.update(
            name=self.env._("Customers by %(axis)s", axis=self.name),
            domain=[("axis_id", "=", self.id)],
            context={"group_by": ["value_id"]},
        )
        return action

    def action_segment_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_extended_segment_move"
        )
        action["domain"] = [("axis_id", "=", self.id)]
        return action

    def action_fill_now(self):
        """Manager button: fill this rule-based axis now."""
        self.check_access("write")
        self.sudo()._fill_rule_axes()

    # ------------------------------------------------------------------ filling
    @api.model
    def _fill_rule_axes(self, today=None):
        """Fill every active rule-based axis (the nightly pass, after the drift).
        Returns the number of customers that moved."""
        axes = self if self else self.search([("rule", "!=", "manual")])
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        moved = 0
        drift_rows = {}  # per company: read once for all its axes
        for axis in axes.filtered(lambda axis: axis.rule != "manual"):
            moved += axis._fill_rule_axis(today, drift_rows)
        self.env["res.partner"].invalidate_model(["crm_segment_value_ids"])
        self.env["crm_extended.segment.move"].invalidate_model()
        # The relation's triggers moved the memberships too.
        self.env["crm_extended.segment.membership"].invalidate_model()
        return moved

    def _fill_rule_axis(self, today, drift_rows=None):
        self.ensure_one()
        codes = self._rule_codes(today, {} if drift_rows is None else drift_rows)
        values = self._values_by_code(set(codes.values()))
        partners = sorted(codes)
        moves = self.env.execute_query(
            SQL(
                _SQL_MOVED,
                partners=_int_array(partners),
                values=_int_array(values[codes[partner]] for partner in partners),
                axis=self.id,
            )
        )
        if moves:
            partner_ids, from_values, to_values = zip(*moves, strict=True)
            self.env.cr.execute(
                SQL(
                    _SQL_APPLY_MOVES,
                    partners=_int_array(partner_ids),
                    from_values=_int_array(from_values),
                    to_values=_int_array(to_values),
                    axis=self.id,
                    company=self.company_id.id,
                    today=today,
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                )
            )
        moved = len(moves)
        # After the statements: writing may query (access rules) on the same cursor.
        self.filled_on = today
        return moved

    def _rule_codes(self, today, drift_rows):
        """{commercial partner id: value code} of this axis' rule."""
        company = self.company_id
        if self.rule == "payment_grade":
            rows = self.env.execute_query(
                SQL(
                    "SELECT id, payment_grade ->> %(key)s FROM res_partner"
                    " WHERE id = commercial_partner_id AND active"
                    " AND payment_grade ->> %(key)s IS NOT NULL",
                    key=str(company.id),
                )
            )
            return dict(rows)
        history_start = today - timedelta(
            days=company._crm_drift_thresholds().history_days
        )
        if company.id not in drift_rows:
            drift_rows[company.id] = self.env.execute_query(
                SQL(
                    "SELECT drift.partner_id, drift.state, drift.turnover_12m::float8,"
                    " drift.invoice_count_12m, drift.last_purchase_date"
                    " FROM crm_extended_partner_drift drift"
                    " JOIN res_partner partner ON partner.id = drift.partner_id"
                    " WHERE drift.company_id = %s AND partner.active",
                    company.id,
                )
            )
        rows = drift_rows[company.id]
        if self.rule == "drift_state":
            return {partner: state for partner, state, *_rest in rows if state}
        if self.rule == "abc_turnover":
            return segment_maths.abc_classes(
                {partner: float(turnover or 0) for partner, _s, turnover, *_r in rows}
            )
        # RFM: the customers that bought within the history window.
        scores = segment_maths.rfm_scores(
            {
                partner: ((today - last).days, invoices or 0, float(turnover or 0))
                for partner, _state, turnover, invoices, last in rows
                if last and last > history_start
            }
        )
        return {
            partner: segment_maths.rfm_code(score) for partner, score in scores.items()
        }

    def _values_by_code(self, codes):
        """{code: value id} of this axis, creating the values met for the first
        time (named in every installed language where the rule has a label)."""
        Value = (
            self.env["crm_extended.segment.value"]
            .sudo()
            .with_context(active_test=False)
        )
        existing = {
            value.code: value.id
            for value in Value.search(
                [("axis_id", "=", self.id), ("code", "!=", False)]
            )
        }
        for code in sorted(codes - set(existing)):
            value = Value.create(
                {
                    "axis_id": self.id,
                    "code": code,
                    "name": self._value_name(code),
                    "sequence": self._value_sequence(code),
                }
            )
            self._translate_value_name(value, code)
            existing[code] = value.id
        return existing

    def _value_name(self, code):
        if self.rule == "rfm":
            return "R%s F%s M%s" % tuple(code)  # noqa: UP031
        if self.rule == "drift_state":
            return dict(DRIFT_STATES)[code]
        return code

    def _value_sequence(self, code):
        if self.rule == "rfm":
            return 1000 - int(code)  # the best scores first
        if self.rule == "drift_state":
            return drift_maths.STATES.index(code)
        return ord(code[0])

    def _translate_value_name(self, value, code):
        if self.rule != "drift_state":
            return
        Drift = self.env["crm_extended.partner.drift"]
        translations = {}
        for lang, _name in self.env["res.lang"].get_installed():
            labels = dict(
                Drift.with_context(lang=lang)
                ._fields["state"]
                ._description_selection(Drift.with_context(lang=lang).env)
            )
            translations[lang] = labels[code]
        value.update_field_translations("name", translations)
