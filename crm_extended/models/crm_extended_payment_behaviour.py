"""Payment behaviour engine: one set-based SQL pass per batch of partners.

The pass extracts instalments and paid portions (docs/design.md), sums them per
commercial partner and company, rewrites the monthly snapshots of those
partners, and hands the sums to the plain Python grading in
``scoring/payment_behaviour.py``. The figures land in company-dependent fields
of ``res.partner`` (one JSON value per company), written by one UPDATE.

The number of queries of a refresh does not depend on the number of partners.
"""

import json
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..scoring import payment_behaviour as scoring

_logger = logging.getLogger(__name__)

CURSOR_PARAM = "crm_extended.payment_rebuild_cursor"
TOUCHED_KEY = "crm_extended.payment_touched"
TREND_MONTHS = 12
BATCH_SIZE = 5000

#: Odoo's trust level that follows each grade (unless set by hand).
TRUST_BY_GRADE = {"A": "good", "B": "good", "C": "good", "D": "normal", "E": "bad"}

#: Company-dependent columns of res_partner written by a refresh.
STORED_FIELDS = (
    "payment_avg_days_late",
    "payment_on_time_ratio",
    "payment_overdue_amount",
    "payment_overdue_max_days",
    "payment_grade",
    "payment_grade_data",
)

# Instalments: posted customer invoices' receivable (payment term) lines.
# Paid portions: their partial reconciliations with a payment or bank line (a
# line in a bank, cash or credit-card journal: Odoo's payments and statement
# lines live there), dated by the later of both lines' dates; credit notes and
# exchange-difference entries (sale and miscellaneous journals) are not payments.
# Monthly snapshots are upserted and only rewritten when their figures change.
_SQL_STATS = """
WITH portion AS (
    SELECT partner.commercial_partner_id AS partner_id, line.company_id,
           date_trunc('month', GREATEST(line.date, counterpart.date))::date AS month,
           GREATEST(line.date, counterpart.date)
               >= %(today)s - company.crm_payment_window_days AS in_window,
           SUM(partial.amount) AS paid_amount,
           SUM(partial.amount * GREATEST(
               GREATEST(line.date, counterpart.date) - line.date_maturity, 0))
               AS weighted_days_late,
           COALESCE(SUM(partial.amount) FILTER (
               WHERE GREATEST(line.date, counterpart.date) <= line.date_maturity), 0)
               AS on_time_amount
      FROM account_move_line line
      JOIN account_move move ON move.id = line.move_id
      JOIN res_partner partner ON partner.id = line.partner_id
      JOIN res_company company ON company.id = line.company_id
      JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
      JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
      JOIN account_journal journal ON journal.id = counterpart.journal_id
     WHERE partner.commercial_partner_id = ANY(%(partners)s)
       AND line.display_type = 'payment_term'
       AND line.parent_state = 'posted'
       AND line.date_maturity IS NOT NULL
       AND move.move_type = 'out_invoice'
       AND counterpart.parent_state = 'posted'
       AND journal.type IN ('bank', 'cash', 'credit')
       AND GREATEST(line.date, counterpart.date) <= %(today)s
       AND GREATEST(line.date, counterpart.date) >= LEAST(
           %(trend_start)s, %(today)s - company.crm_payment_window_days)
  GROUP BY 1, 2, 3, 4
),
paid AS (
    SELECT partner_id, company_id, SUM(paid_amount) AS paid_amount,
           SUM(weighted_days_late) AS weighted_days_late,
           SUM(on_time_amount) AS on_time_amount
      FROM portion
     WHERE in_window
  GROUP BY partner_id, company_id
),
overdue AS (
    SELECT partner.commercial_partner_id AS partner_id, line.company_id,
           SUM(line.amount_residual) AS overdue_amount,
           MAX(%(today)s - line.date_maturity) AS overdue_max_days
      FROM account_move_line line
      JOIN account_move move ON move.id = line.move_id
      JOIN res_partner partner ON partner.id = line.partner_id
     WHERE partner.commercial_partner_id = ANY(%(partners)s)
       AND line.display_type = 'payment_term'
       AND line.parent_state = 'posted'
       AND line.date_maturity < %(today)s
       AND line.amount_residual > 0
       AND move.move_type = 'out_invoice'
  GROUP BY 1, 2
),
month AS (
    SELECT partner_id, company_id, month, SUM(paid_amount) AS paid_amount,
           ROUND((SUM(weighted_days_late) / SUM(paid_amount))::numeric, 2)
               AS avg_days_late,
           ROUND((SUM(on_time_amount) / SUM(paid_amount))::numeric, 4)
               AS on_time_ratio
      FROM portion
     WHERE month >= %(trend_start)s AND paid_amount > 0
  GROUP BY partner_id, company_id, month
),
diff AS (
    SELECT COALESCE(month.partner_id, snapshot.partner_id) AS partner_id,
           COALESCE(month.company_id, snapshot.company_id) AS company_id,
           COALESCE(month.month, snapshot.month) AS month,
           month.paid_amount, month.avg_days_late, month.on_time_ratio,
           snapshot.id AS snapshot_id, month.partner_id IS NULL AS stale
      FROM month
      FULL JOIN (SELECT * FROM crm_extended_payment_snapshot
                  WHERE partner_id = ANY(%(partners)s)) AS snapshot
        ON snapshot.partner_id = month.partner_id
       AND snapshot.company_id = month.company_id
       AND snapshot.month = month.month
     WHERE month.partner_id IS NULL OR snapshot.id IS NULL
        OR (snapshot.paid_amount, snapshot.avg_days_late, snapshot.on_time_ratio)
           IS DISTINCT FROM (month.paid_amount, month.avg_days_late,
                             month.on_time_ratio)
),
inserted AS (
    INSERT INTO crm_extended_payment_snapshot
           (partner_id, company_id, month, paid_amount, avg_days_late,
            on_time_ratio, create_uid, write_uid, create_date, write_date)
    SELECT partner_id, company_id, month, paid_amount, avg_days_late,
           on_time_ratio, %(uid)s, %(uid)s, %(now)s, %(now)s
      FROM diff
     WHERE snapshot_id IS NULL
),
updated AS (
    UPDATE crm_extended_payment_snapshot AS snapshot
       SET paid_amount = diff.paid_amount, avg_days_late = diff.avg_days_late,
           on_time_ratio = diff.on_time_ratio, write_uid = %(uid)s,
           write_date = %(now)s
      FROM diff
     WHERE snapshot.id = diff.snapshot_id AND NOT diff.stale
),
deleted AS (
    DELETE FROM crm_extended_payment_snapshot AS snapshot
     USING diff
     WHERE snapshot.id = diff.snapshot_id AND diff.stale
)
SELECT COALESCE(paid.partner_id, overdue.partner_id),
       COALESCE(paid.company_id, overdue.company_id),
       COALESCE(paid.paid_amount, 0), COALESCE(paid.weighted_days_late, 0),
       COALESCE(paid.on_time_amount, 0), COALESCE(overdue.overdue_amount, 0),
       COALESCE(overdue.overdue_max_days, 0)
  FROM paid
  FULL JOIN overdue
    ON overdue.partner_id = paid.partner_id AND overdue.company_id = paid.company_id
"""


class CrmExtendedPaymentBehaviour(models.AbstractModel):
    _name = "crm_extended.payment.behaviour"
    _description = "Payment behaviour computation"

    # ------------------------------------------------------------------ refresh
    @api.model
    def _refresh(self, partner_ids, today=None):
        """Recompute figures, grades, trust and snapshots of commercial partners.

        A constant number of queries whatever the number of partners.
        """
        partner_ids = sorted(set(partner_ids))
        if not partner_ids:
            return
        today = today or fields.Date.context_today(self)
        cr = self.env.cr
        self.env.flush_all()
        trend_start = self._trend_start(today)
        cr.execute(
            SQL(
                _SQL_STATS,
                partners=partner_ids,
                today=today,
                trend_start=trend_start,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        rows = cr.fetchall()
        thresholds = self._thresholds_by_company()
        # Registry hook (res_partner_registry.py): a registry risk forces E
        # where the company's manager turned that on.
        forced_e = self.env["res.partner"]._registry_grade_e_ids(
            partner_ids, {row[1] for row in rows}
        )
        new_values = {pid: {name: {} for name in STORED_FIELDS} for pid in partner_ids}
        for partner_id, company_id, *sums in rows:
            figures = scoring.Figures(
                paid_amount=float(sums[0]),
                weighted_days_late=float(sums[1]),
                on_time_amount=float(sums[2]),
                overdue_amount=float(sums[3]),
                overdue_max_days=int(sums[4]),
            )
            result = scoring.grade(figures, thresholds.get(company_id))
            letter = result.letter
            if partner_id in forced_e.get(company_id, ()):
                letter = "E"  # the reason keeps the payment grade it overrides
                result.params["registry_letter"] = result.letter or "-"
            key = str(company_id)
            values = new_values[partner_id]
            values["payment_avg_days_late"][key] = figures.avg_days_late
            values["payment_on_time_ratio"][key] = figures.on_time_ratio
            values["payment_overdue_amount"][key] = round(figures.overdue_amount, 2)
            values["payment_overdue_max_days"][key] = figures.overdue_max_days
            if letter:
                values["payment_grade"][key] = letter
            values["payment_grade_data"][key] = json.dumps(
                {"reason": result.reason, "grade": result.letter, **result.params}
            )
        self._write_partner_values(new_values)
        self.env["res.partner"].invalidate_model([*STORED_FIELDS, "trust"])
        self.env["crm_extended.payment.snapshot"].invalidate_model()

    def _thresholds_by_company(self):
        companies = self.env["res.company"].sudo().search([])
        return {company.id: company._crm_payment_thresholds() for company in companies}

    def _write_partner_values(self, new_values):
        """One SELECT of the current values, one UPDATE of the partners that changed."""
        cr = self.env.cr
        columns = SQL(", ").join(
            SQL.identifier(name) for name in (*STORED_FIELDS, "trust")
        )
        cr.execute(
            SQL(
                "SELECT id, payment_trust_manual, %s FROM res_partner"
                " WHERE id = ANY(%s)",
                columns,
                list(new_values),
            )
        )
        updates = []
        for partner_id, manual, *current in cr.fetchall():
            values = new_values[partner_id]
            old = dict(zip((*STORED_FIELDS, "trust"), current, strict=True))
            trust = dict(old["trust"] or {})
            for key, letter in values["payment_grade"].items():
                if not (manual or {}).get(key):
                    trust[key] = TRUST_BY_GRADE[letter]
            values["trust"] = trust
            row = [values[name] or None for name in (*STORED_FIELDS, "trust")]
            if row != [old[name] or None for name in (*STORED_FIELDS, "trust")]:
                updates.append((partner_id, row))
        if not updates:
            return
        rows = SQL(", ").join(
            SQL(
                "(%s, %s)",
                partner_id,
                SQL(", ").join(
                    SQL("%s::jsonb", json.dumps(value) if value else None)
                    for value in row
                ),
            )
            for partner_id, row in updates
        )
        names = (*STORED_FIELDS, "trust")
        cr.execute(
            SQL(
                "UPDATE res_partner AS partner SET %s FROM (VALUES %s) AS data(id, %s) "
                "WHERE partner.id = data.id",
                SQL(", ").join(
                    SQL("%s = data.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in names
                ),
                rows,
                SQL(", ").join(SQL.identifier(name) for name in names),
            )
        )

    # -------------------------------------------------------------- incremental
    @api.model
    def _touch(self, partners):
        """Recompute these partners just before the transaction commits."""
        ids = set(partners.commercial_partner_id.ids)
        if not ids:
            return
        data = self.env.cr.precommit.data
        if TOUCHED_KEY not in data:
            data[TOUCHED_KEY] = set()
            self.env.cr.precommit.add(self.sudo()._refresh_touched)
        data[TOUCHED_KEY].update(ids)

    def _refresh_touched(self):
        ids = self.env.cr.precommit.data.pop(TOUCHED_KEY, set())
        self._refresh(ids)

    # ------------------------------------------------------------ full rebuild
    @api.model
    def _cron_rebuild(self, batch_size=BATCH_SIZE, commit=True):
        """Rebuild every commercial partner in batches, committing per batch.

        The last partner id done is kept in a system parameter, so a run that
        crashed (or hit the cron time limit) resumes where it stopped. ``commit``
        is only turned off by tests, which cannot commit.
        """
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param(CURSOR_PARAM) or 0)
        cr = self.env.cr
        cr.execute(
            "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id"
            " AND id > %s",
            (last_id,),
        )
        remaining = cr.fetchone()[0]
        _logger.info(
            "Payment behaviour rebuild starts after partner id %s: %s partners to do",
            last_id,
            remaining,
        )
        done = 0
        while True:
            cr.execute(
                "SELECT id FROM res_partner WHERE id = commercial_partner_id"
                " AND id > %s ORDER BY id LIMIT %s",
                (last_id, batch_size),
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                break
            self._refresh(ids)
            last_id = ids[-1]
            params.set_param(CURSOR_PARAM, str(last_id))
            if commit:
                cr.commit()  # pylint: disable=invalid-commit
            done += len(ids)
            _logger.info(
                "Payment behaviour rebuild: %s/%s partners done (up to id %s)",
                done,
                remaining,
                last_id,
            )
        params.set_param(CURSOR_PARAM, False)
        if commit:
            cr.commit()  # pylint: disable=invalid-commit
        _logger.info("Payment behaviour rebuild finished: %s partners", done)
        return done

    @api.model
    def _schedule_rebuild(self):
        """Start a fresh full rebuild in the background (forgets any cursor)."""
        self.env["ir.config_parameter"].sudo().set_param(CURSOR_PARAM, False)
        cron = self.env.ref(
            "crm_extended.ir_cron_payment_rebuild", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    # ------------------------------------------------------------------ ageing
    @api.model
    def _ageing(self, partner_ids, company, today):
        """Open instalment amounts per commercial partner and ageing bucket."""
        result = {
            pid: dict.fromkeys(scoring.AGEING_BUCKETS, 0.0) for pid in partner_ids
        }
        if not partner_ids:
            return result
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       CASE WHEN %(today)s - line.date_maturity <= 0 THEN 'not_due'
                            WHEN %(today)s - line.date_maturity <= 30 THEN '1_30'
                            WHEN %(today)s - line.date_maturity <= 60 THEN '31_60'
                            WHEN %(today)s - line.date_maturity <= 90 THEN '61_90'
                            ELSE 'over_90' END,
                       SUM(line.amount_residual)
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE partner.commercial_partner_id = ANY(%(partners)s)
                   AND line.company_id = %(company)s
                   AND line.display_type = 'payment_term'
                   AND line.parent_state = 'posted'
                   AND line.amount_residual > 0
                   AND line.date_maturity IS NOT NULL
                   AND move.move_type = 'out_invoice'
              GROUP BY 1, 2
                """,
                today=today,
                partners=list(partner_ids),
                company=company.id,
            )
        )
        for partner_id, bucket, amount in self.env.cr.fetchall():
            result[partner_id][bucket] = amount
        return result

    @api.model
    def _instalment_domain(self, partner, company):
        return [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("display_type", "=", "payment_term"),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "=", "out_invoice"),
        ]

    @api.model
    def _trend_start(self, today):
        return today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
