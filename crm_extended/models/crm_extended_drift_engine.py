"""Buying rhythm and drift engine: one set-based SQL pass per company.

The pass aggregates the posted customer invoice and credit note lines of
``crm_extended.sale.report`` (the one definition of turnover, built on
``account.invoice.report``) per customer: the distinct purchase days of the
history window, the first purchase, the turnover of the last 12 months and of
the 12 before, the invoices of the last 12 months, and a key of all of them
(with the company's thresholds). The same statement compares them with the
stored rows and returns only the customers to assess again: their key changed,
their review date (the first day the same purchases may give another state,
``scoring/drift.py``) has come, or they have no row yet. The plain Python
``scoring/drift.py`` turns each of those into a state with its reason; the
results are upserted into ``crm_extended.partner.drift`` with one statement.
The salesperson of a customer that turns lapsing or declining gets one
activity.

The number of queries does not depend on the number of customers (plus one
activity per customer that has just turned).
"""

import json
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..scoring import drift as drift_maths
from ..services import precommit_batch

_logger = logging.getLogger(__name__)

TOUCHED_KEY = "crm_extended.drift_touched"
#: Columns of crm_extended_partner_drift written by a refresh, in this order
#: (the names are the upsert's parameters).
STORED_COLUMNS = (
    "state",
    "state_date",
    "reason",
    "interval",
    "last",
    "first",
    "expected",
    "invoices",
    "turnover",
    "prev",
    "lost",
    "key",
    "review",
)

# Per customer (commercial partner) of one company: purchases are days with a
# posted customer invoice; credit notes count in the turnover only. Only the
# customers to assess again come back, with their stored row (or none), and
# the stored rows of customers without any sale left.
_SQL_AGGREGATE = """
WITH sales AS (
    SELECT sales.partner_id,
           MIN(sales.invoice_date) FILTER (
               WHERE sales.move_type = 'out_invoice') AS first_purchase,
           ARRAY_AGG(DISTINCT sales.invoice_date) FILTER (
               WHERE sales.move_type = 'out_invoice'
                 AND sales.invoice_date > %(history_start)s) AS days,
           COALESCE(SUM(sales.turnover) FILTER (
               WHERE sales.invoice_date > %(year_start)s), 0) AS turnover,
           COALESCE(SUM(sales.turnover) FILTER (
               WHERE sales.invoice_date > %(prev_start)s
                 AND sales.invoice_date <= %(year_start)s), 0) AS prev,
           COUNT(DISTINCT sales.move_id) FILTER (
               WHERE sales.move_type = 'out_invoice'
                 AND sales.invoice_date > %(year_start)s) AS invoices
      FROM (%(sales)s) AS sales
     WHERE sales.company_id = %(company)s
       AND sales.invoice_date <= %(today)s
       AND %(partner_filter)s
     GROUP BY sales.partner_id
),
figures AS (
    SELECT sales.*,
           -- The purchase days by their 64-bit hash (the one hash partitioning
           -- relies on, stable across versions) and their number: writing every
           -- customer's days as text cost a tenth of the pass.
           md5(concat_ws('|', hash_array_extended(sales.days, 0)::text,
                         cardinality(sales.days)::text,
                         sales.first_purchase::text,
                         sales.turnover::text, sales.prev::text,
                         sales.invoices::text, %(thresholds)s)) AS history_key
      FROM sales
),
stored AS (
    SELECT drift.*
      FROM crm_extended_partner_drift drift
     WHERE drift.company_id = %(company)s
       AND %(stored_filter)s
)
SELECT COALESCE(figures.partner_id, stored.partner_id),
       figures.partner_id IS NOT NULL,
       figures.first_purchase, figures.days, figures.turnover, figures.prev,
       figures.invoices, figures.history_key,
       stored.partner_id IS NOT NULL,
       -- Numbers as float8: the tuple compares equal to a computed one
       -- (rounded the same way) when nothing changed.
       stored.state, stored.state_date, stored.reason_data,
       stored.interval_days::float8, stored.last_purchase_date,
       stored.first_purchase_date, stored.expected_date,
       stored.invoice_count_12m, stored.turnover_12m::float8,
       stored.turnover_prev_12m::float8, stored.lost_turnover::float8,
       stored.history_key, stored.review_date
  FROM figures
  FULL JOIN stored ON stored.partner_id = figures.partner_id
 WHERE figures.partner_id IS NULL
    OR stored.partner_id IS NULL
    OR stored.history_key IS DISTINCT FROM figures.history_key
    OR %(today)s < stored.computed_on
    OR %(today)s >= stored.review_date
"""

_SQL_UPSERT = """
WITH data AS (
    SELECT * FROM unnest(
        %(partner)s::int[], %(state)s::varchar[], %(state_date)s::date[],
        %(reason)s::varchar[], %(interval)s::float8[],
        %(last)s::date[], %(first)s::date[], %(expected)s::date[],
        %(invoices)s::int[], %(turnover)s::numeric[], %(prev)s::numeric[],
        %(lost)s::numeric[], %(key)s::varchar[], %(review)s::date[]
    ) AS data(partner_id, state, state_date, reason_data, interval_days,
              last_purchase_date, first_purchase_date, expected_date,
              invoice_count_12m, turnover_12m, turnover_prev_12m, lost_turnover,
              history_key, review_date)
)
INSERT INTO crm_extended_partner_drift AS drift
       (partner_id, company_id, state, state_date, reason_data, interval_days,
        last_purchase_date, first_purchase_date, expected_date,
        invoice_count_12m, turnover_12m, turnover_prev_12m, lost_turnover,
        history_key, review_date,
        computed_on, create_uid, write_uid, create_date, write_date)
SELECT partner_id, %(company)s, state, state_date, reason_data, interval_days,
       last_purchase_date, first_purchase_date, expected_date,
       invoice_count_12m, turnover_12m, turnover_prev_12m, lost_turnover,
       history_key, review_date,
       %(today)s, %(uid)s, %(uid)s, %(now)s, %(now)s
  FROM data
ON CONFLICT (partner_id, company_id) DO UPDATE SET
       state = EXCLUDED.state, state_date = EXCLUDED.state_date,
       reason_data = EXCLUDED.reason_data,
       interval_days = EXCLUDED.interval_days,
       last_purchase_date = EXCLUDED.last_purchase_date,
       first_purchase_date = EXCLUDED.first_purchase_date,
       expected_date = EXCLUDED.expected_date,
       invoice_count_12m = EXCLUDED.invoice_count_12m,
       turnover_12m = EXCLUDED.turnover_12m,
       turnover_prev_12m = EXCLUDED.turnover_prev_12m,
       lost_turnover = EXCLUDED.lost_turnover,
       history_key = EXCLUDED.history_key, review_date = EXCLUDED.review_date,
       computed_on = EXCLUDED.computed_on,
       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
"""


class CrmExtendedDriftEngine(models.AbstractModel):
    _name = "crm_extended.drift.engine"
    _description = "Buying rhythm and drift computation"

    # ------------------------------------------------------------------ refresh
    @api.model
    def _refresh(self, partner_ids=None, today=None):
        """Recompute the drift of these commercial partners (all when None) in
        every company. Returns the number of (customer, company) rows written."""
        today = today or fields.Date.context_today(self)
        if partner_ids is not None:
            partner_ids = sorted(set(partner_ids))
            if not partner_ids:
                return 0
        self.env.flush_all()
        written = 0
        turned = []
        for company in self.env["res.company"].sudo().search([]):
            count, company_turned = self._refresh_company(company, partner_ids, today)
            written += count
            turned += company_turned
        self.env["crm_extended.partner.drift"].invalidate_model()
        self._notify_turned(turned)
        return written

    def _refresh_company(self, company, partner_ids, today):
        thresholds = company._crm_drift_thresholds()
        columns = {name: [] for name in ("partner", *STORED_COLUMNS)}
        turned = []
        gone = []
        for row in self._aggregate(company, partner_ids, today, thresholds):
            partner_id, has_sales = row[0], row[1]
            first, days, turnover, prev, invoices, key = row[2:8]
            old = row[9:] if row[8] else None  # the stored row, as STORED_COLUMNS
            result = None
            if has_sales:
                history = drift_maths.History(
                    purchase_days=tuple(days or ()),
                    first_purchase=first,
                    turnover_12m=float(turnover),
                    turnover_prev_12m=float(prev),
                )
                result = drift_maths.assess(history, today, thresholds)
            if result is None or result.state is None:
                # No sale left (invoices cancelled), or only credit notes.
                if old:
                    gone.append(partner_id)
                continue
            old_state = old[0] if old else None
            changed = old_state != result.state
            if (
                changed
                and old_state is not None
                and old_state not in drift_maths.RISK_STATES
                and result.state in drift_maths.RISK_STATES
            ):
                turned.append((partner_id, company.id))
            new = (
                result.state,
                today if changed else old[1],
                json.dumps(
                    {
                        "reason": result.reason,
                        **drift_maths.stored_params(result.params),
                    }
                ),
                result.interval_days,
                max(days) if days else None,
                first,
                result.expected_date,
                invoices,
                round(float(turnover), 2),
                round(float(prev), 2),
                round(result.lost_turnover, 2),
                key,
                result.review_date,
            )
            if old == new:
                continue
            columns["partner"].append(partner_id)
            for name, value in zip(STORED_COLUMNS, new, strict=True):
                columns[name].append(value)
        cr = self.env.cr
        if gone:
            cr.execute(
                SQL(
                    "DELETE FROM crm_extended_partner_drift"
                    " WHERE company_id = %s AND partner_id = ANY(%s)",
                    company.id,
                    gone,
                )
            )
        if columns["partner"]:
            cr.execute(
                SQL(
                    _SQL_UPSERT,
                    company=company.id,
                    today=today,
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                    **columns,
                )
            )
        return len(columns["partner"]), turned

    def _aggregate(self, company, partner_ids, today, thresholds):
        """The customers of ``company`` to assess again (see _SQL_AGGREGATE)."""
        # Amounts in the company's own currency: the report converts to the
        # currency of the companies in the environment.
        report = (
            self.env["crm_extended.sale.report"]
            .sudo()
            .with_context(allowed_company_ids=company.ids)
            .with_company(company)
        )
        year_start = today - timedelta(days=drift_maths.YEAR_DAYS)
        if partner_ids is None:
            partner_filter = stored_filter = SQL("TRUE")
        else:
            partner_filter = SQL("sales.partner_id = ANY(%s)", partner_ids)
            stored_filter = SQL("drift.partner_id = ANY(%s)", partner_ids)
        self.env.cr.execute(
            SQL(
                _SQL_AGGREGATE,
                sales=report._table_query,
                company=company.id,
                today=today,
                history_start=today - timedelta(days=thresholds.history_days),
                year_start=year_start,
                prev_start=year_start - timedelta(days=drift_maths.YEAR_DAYS),
                partner_filter=partner_filter,
                stored_filter=stored_filter,
                # Other thresholds give other results from the same purchases.
                thresholds=repr(thresholds),
            )
        )
        return self.env.cr.fetchall()

    # -------------------------------------------------------------- activities
    def _notify_turned(self, turned):
        """One activity for the salesperson of each customer that has just turned
        lapsing or declining (not again while it stays so)."""
        if not turned:
            return
        Drift = self.env["crm_extended.partner.drift"].sudo()
        records = Drift.search(
            [
                ("partner_id", "in", [partner_id for partner_id, _c in turned]),
                ("company_id", "in", list({company for _p, company in turned})),
            ]
        )
        wanted = set(turned)
        activity_type = self.env.ref(
            "crm_extended.mail_activity_type_customer_drift", raise_if_not_found=False
        )
        deadline = fields.Date.context_today(self)
        partner_model_id = self.env["ir.model"]._get_id("res.partner")
        state_labels = {}
        vals_list = []
        digest = {}  # salesperson: [(customer, summary, reason)]
        for record in records:
            if (record.partner_id.id, record.company_id.id) not in wanted:
                continue
            salesperson = record.partner_id.user_id
            if not salesperson or not salesperson.active:
                continue
            translated = record.with_context(lang=salesperson.lang)
            if salesperson.lang not in state_labels:
                state_labels[salesperson.lang] = dict(
                    translated._fields["state"]._description_selection(translated.env)
                )
            summary = translated.env._(
                "%(customer)s is %(state)s (%(company)s)",
                customer=record.partner_id.name,
                state=state_labels[salesperson.lang][record.state].lower(),
                company=record.company_id.name,
            )
            # What activity_schedule() writes, for every customer in one create:
            # the subscriptions and notifications are then batched by Odoo.
            vals_list.append(
                {
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": summary,
                    "automated": True,
                    "note": translated.reason,
                    "date_deadline": deadline,
                    "res_model_id": partner_model_id,
                    "res_id": record.partner_id.id,
                    "user_id": salesperson.id,
                }
            )
            digest.setdefault(salesperson, []).append(
                (record.partner_id, summary, translated.reason)
            )
        if vals_list:
            # No "assigned to you" mail per activity: one mail per salesperson
            # and night lists them all (_mail_digest).
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(vals_list)
            self._mail_digest(digest)
        # The refresh of touched customers runs as a pre-commit hook, after the
        # last flush.
        self.env.flush_all()

    def _mail_digest(self, digest):
        """One mail per salesperson naming the customers that turned tonight,
        in the salesperson's language."""
        for salesperson, rows in digest.items():
            env = self.with_context(lang=salesperson.lang).env
            items = Markup("").join(
                Markup('<li><a href="/odoo/res.partner/%s">%s</a>: %s</li>')
                % (partner.id, summary, reason)
                for partner, summary, reason in rows
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                env._(
                    "These customers have turned lapsing or declining; an activity"
                    " is planned on each of them:"
                ),
                items,
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=salesperson.partner_id.ids,
                subject=env._("Customers drifting away: %(count)s", count=len(rows)),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )

    # -------------------------------------------------------------- incremental
    @api.model
    def _touch(self, partners):
        """Recompute these customers just before the transaction commits."""
        precommit_batch.collect(
            self.env.cr,
            TOUCHED_KEY,
            partners.commercial_partner_id.ids,
            self.sudo()._refresh,
        )

    # ------------------------------------------------------------ nightly job
    @api.model
    def _cron_nightly(self):
        """The nightly pass: the drift of every customer, then the rule-based
        segmentation axes (which read it). Odoo 18's cron protocol: the work is
        reported with ``_notify_progress`` and the scheduler commits; each pass
        is two set-based steps, so one call does it all. Returns the number of
        customer rows computed."""
        today = fields.Date.context_today(self)
        count = self._refresh(today=today)
        moved = self.env["crm_extended.segment.axis"].sudo()._fill_rule_axes(today)
        _logger.info(
            "Drift pass: %s customer rows; rule-based segments: %s moves",
            count,
            moved,
        )
        self.env["ir.cron"]._notify_progress(done=count, remaining=0)
        return count
