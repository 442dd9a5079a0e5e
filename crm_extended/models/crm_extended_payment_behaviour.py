"""Payment behaviour engine: one set-based SQL pass per batch of partners.

The pass extracts paid portions (docs/design.md), sums them per commercial
partner and company and rewrites the monthly snapshots of those partners; the
open and overdue amounts come from ``crm_extended.open.item`` (the one
definition the card, the ledger and the reports share). Both go to the plain
Python grading in ``scoring/payment_behaviour.py``. The figures land in
company-dependent fields of ``res.partner`` (one JSON value per company).

The number of queries of a refresh does not depend on the number of partners.

The nightly rebuild keeps its "rebuilt" stamps in a narrow table of its
own (``crm_extended_payment_rebuild_stamp``): stamping a customer in
``res_partner`` rewrote a wide row and its ~45 indexes for every customer
every night; now ``res_partner`` is only written where a figure changed.
Each refresh also stamps the day from which its customers' figures change
with the date alone (``due_on``): a night redoes those customers, not all of
them (bookings refresh their customers at their commit).
"""

import json
import logging
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.tools import SQL, sql

from ..scoring import payment_behaviour as scoring
from ..services import precommit_batch
from ..services.gc_pause import cyclic_gc_paused

_logger = logging.getLogger(__name__)

REBUILD_SINCE_PARAM = "crm_extended.payment_rebuild_since"
TOUCHED_KEY = "crm_extended.payment_touched"
TREND_MONTHS = 12
#: One row per commercial partner: when the nightly rebuild last did it.
STAMP_TABLE = "crm_extended_payment_rebuild_stamp"
STAMP_INDEX = "crm_extended_payment_rebuild_stamp_rebuilt_at_index"
#: Customers per batch (the batch's partners stay locked while it runs, about
#: two seconds at 50,000 customers). Each batch plans its statements and is
#: committed by the scheduler: at 50,000 customers 2,000 a batch took 12.5 s a
#: night, 5,000 11.2 s and 10,000 10.5 s (bench/README.md, issue 19).
BATCH_SIZE = 10000
#: Percent of each res_partner page filled by new rows (see
#: ``_reserve_partner_page_room``); 70 made 73 % of a night's updates HOT at
#: 50,000 customers (13 % at PostgreSQL's default of 100).
PARTNER_FILLFACTOR = 70
#: Seconds before a rebuild that met a concurrent writer tries again.
RETRY_DELAY = 60

#: Journals whose lines are payments (Odoo's payments and bank statement lines);
#: credit notes and exchange differences (sale, miscellaneous) are not.
PAYMENT_JOURNAL_TYPES = ("bank", "cash", "credit")

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
    "payment_open_amount",
)

# Instalments: posted customer invoices' receivable (payment term) lines, read
# through the partner index of the batch's contacts (``contacts``: the partners
# whose commercial partner is in the batch, ``commercials`` that commercial
# partner of each), so that a batch reads its own customers' lines and not
# every instalment of the company. The pairs come as arrays to unnest: the
# planner counts them (long literal lists cost more to plan than to run) and
# res_partner is not read again.
# Paid portions: their partial reconciliations with a payment or bank line (a
# line in a bank, cash or credit-card journal: Odoo's payments and statement
# lines live there), dated by the later of both lines' dates; credit notes and
# exchange-difference entries (sale and miscellaneous journals) are not payments.
# Monthly snapshots are upserted and only rewritten when their figures change.
# The paid portions come from _PAID_BY_INSTALMENT or _PAID_BY_DATE (below). An
# instalment looks its invoice's type up by index, and only when it was paid in
# the range (LATERAL ... OFFSET 0: PostgreSQL would hash every invoice of the
# company instead).
_SQL_STATS = """
WITH instalment AS MATERIALIZED (
    SELECT line.id, line.move_id, line.company_id, line.date_maturity,
           (%(commercial_of)s::jsonb ->> line.partner_id::text)::int AS partner_id,
           company.crm_payment_window_days AS window_days
      FROM account_move_line line
      JOIN res_company company ON company.id = line.company_id
     WHERE line.partner_id = ANY(%(contacts)s)
       AND line.display_type = 'payment_term'
       AND line.parent_state = 'posted'
       AND line.date_maturity IS NOT NULL
),
portion AS (
    SELECT line.partner_id, line.company_id,
           date_trunc('month', paid.max_date)::date AS month,
           paid.max_date BETWEEN %(today)s - line.window_days AND %(today)s
               AS in_window,
           paid.max_date > %(today)s AS future,
           MIN(paid.max_date) AS first_date,
           MIN(paid.max_date + line.window_days + 1) AS leaves_window,
           SUM(paid.amount) AS paid_amount,
           SUM(paid.amount * GREATEST(paid.max_date - line.date_maturity, 0))
               AS weighted_days_late,
           COALESCE(SUM(paid.amount) FILTER (
               WHERE paid.max_date <= line.date_maturity), 0)
               AS on_time_amount
      FROM instalment line
      %(paid_portions)s
      JOIN account_journal journal ON journal.id = paid.journal_id
     CROSS JOIN LATERAL (
            SELECT move.move_type FROM account_move move
             WHERE move.id = line.move_id OFFSET 0
           ) move
     WHERE journal.type IN %(journals)s
       AND move.move_type = 'out_invoice'
       AND paid.max_date >= LEAST(%(trend_start)s, %(today)s - line.window_days)
  GROUP BY 1, 2, 3, 4, 5
),
month AS (
    SELECT partner_id, company_id, month, SUM(paid_amount) AS paid_amount,
           ROUND((SUM(weighted_days_late) / SUM(paid_amount))::numeric, 2)
               AS avg_days_late,
           ROUND((SUM(on_time_amount) / SUM(paid_amount))::numeric, 4)
               AS on_time_ratio
      FROM portion
     WHERE month >= %(trend_start)s AND paid_amount > 0 AND NOT future
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
                  WHERE partner_id = ANY(ARRAY(SELECT unnest(%(partners)s::int[]))))
                AS snapshot
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
        ON CONFLICT (partner_id, company_id, month) DO UPDATE
       SET paid_amount = EXCLUDED.paid_amount,
           avg_days_late = EXCLUDED.avg_days_late,
           on_time_ratio = EXCLUDED.on_time_ratio,
           write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
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
SELECT partner_id, company_id, SUM(paid_amount) FILTER (WHERE in_window),
       SUM(weighted_days_late) FILTER (WHERE in_window),
       SUM(on_time_amount) FILTER (WHERE in_window),
       LEAST(MIN(leaves_window) FILTER (WHERE in_window),
             MIN(first_date) FILTER (WHERE future),
             CASE WHEN bool_or(month = %(trend_start)s AND NOT future)
                  THEN %(next_month)s END)
  FROM portion
 GROUP BY partner_id, company_id
"""


# The paid portions of the batch's instalments (``paid``: amount, date, the
# payment line's journal), two ways to the same rows. A partial reconciliation's
# ``max_date`` is Odoo's stored later of both lines' dates: the paid portion's
# date, so that reconciliations outside the range are left out from an index
# before the payment line is read.
# - A few partners (a refresh at commit): each instalment looks its
#   reconciliations up by index (LATERAL ... OFFSET 0 keeps PostgreSQL from
#   hashing every reconciliation of the company: its estimate of a batch's
#   lines is several times too high).
# - A nightly batch: the reconciliations dated in the range (a third of them)
#   are read once from their date index and hashed; looking 50,000 instalments
#   up one by one cost more (issue 19).
_PAID_BY_INSTALMENT = """
     CROSS JOIN LATERAL (
            SELECT partial.amount, partial.max_date, counterpart.journal_id
              FROM account_partial_reconcile partial
              JOIN account_move_line counterpart
                ON counterpart.id = partial.credit_move_id
             WHERE partial.debit_move_id = line.id
               AND partial.max_date >= LEAST(
                       %(trend_start)s, %(today)s - line.window_days)
               AND counterpart.parent_state = 'posted'
            OFFSET 0
           ) paid
"""
_PAID_BY_DATE = """
      JOIN (SELECT partial.debit_move_id, partial.amount, partial.max_date,
                   counterpart.journal_id
              FROM account_partial_reconcile partial
              JOIN account_move_line counterpart
                ON counterpart.id = partial.credit_move_id
             WHERE partial.max_date >= %(range_start)s
               AND counterpart.parent_state = 'posted'
           ) paid ON paid.debit_move_id = line.id
"""
#: From this many contacts on, a refresh reads the range's reconciliations by
#: date (_PAID_BY_DATE): about where both ways cost the same at 50,000 customers.
PAID_BY_DATE_MIN_CONTACTS = 2000


#: Commercial partners without a stamp. A set difference, hashed whatever the
#: planner expects: it counts a few hundred commercial partners (``id =
#: commercial_partner_id`` is a comparison of two columns) and looked each
#: of 50,000 up in the stamps' index.
_UNSTAMPED = SQL(
    "SELECT id FROM res_partner WHERE id = commercial_partner_id"
    " EXCEPT SELECT partner_id FROM %s",
    SQL.identifier(STAMP_TABLE),
)


def _date_or_infinity(day):
    return "infinity" if day == date.max else day.isoformat()


#: The stored figures a night reuses for customers nothing was booked for.
KEPT_FIELDS = (
    "payment_avg_days_late",
    "payment_on_time_ratio",
    "payment_overdue_amount",
    "payment_overdue_max_days",
    "payment_open_amount",
)


#: The leading values of each row ``_write_partner_values`` sends (then the
#: figures, in the order of STORED_FIELDS): name and type.
WRITTEN_COLUMNS = (
    ("id", "int"),
    ("due_on", "date"),
    ("paid_due_on", "date"),
    ("open_due_on", "date"),
    ("paid_kept", "bool"),
    ("open_kept", "bool"),
)

#: The figures of each side a night may keep as stored (see ``_refresh``).
KEPT_SIDES = {
    "paid": ("payment_avg_days_late", "payment_on_time_ratio"),
    "open": ("payment_overdue_amount", "payment_open_amount"),
}


def _stored_paid_sums(stored, partner_ids):
    """The paid sums of these partners from their stored figures: the rounded
    average and on-time ratio grade exactly as the sums did (an amount of 1),
    and they are both zero only when nothing was paid."""
    paid = {}
    for partner_id in partner_ids:
        for company_id, figures in stored[partner_id].items():
            average = figures["payment_avg_days_late"]
            ratio = figures["payment_on_time_ratio"]
            if average or ratio:
                paid[partner_id, company_id] = (1.0, average, ratio)
    return paid


def _has_open_items(figures):
    """Whether stored figures of a partner and company show open items."""
    return any(
        figures[name] for name in (*KEPT_SIDES["open"], "payment_overdue_max_days")
    )


def _stored_open_items(stored, partner_id, days_since):
    """The open items' figures of a partner from its stored figures, ``days_since``
    its last refresh: the amounts as they were, the oldest overdue item older
    by those days (as ``_contact_figures`` without ``next_due``)."""
    return {
        (partner_id, company_id): {
            "overdue": figures["payment_overdue_amount"],
            "overdue_days": (
                int(figures["payment_overdue_max_days"]) + days_since
                if figures["payment_overdue_max_days"]
                else 0
            ),
            "open": figures["payment_open_amount"],
        }
        for company_id, figures in stored[partner_id].items()
    }


class CrmExtendedPaymentBehaviour(models.AbstractModel):
    _name = "crm_extended.payment.behaviour"
    _description = "Payment behaviour computation"

    def init(self):
        """The rebuild's stamps: a narrow table, not a column of res_partner.

        No foreign key on purpose: Odoo's partner merge rewrites every foreign
        key to res_partner, and on a two-column table it would move a stamp onto
        a partner that has one (a primary key violation). The stamp of a
        partner merged away is dropped by the night's last pass, that of a
        partner become a contact by the claim.
        """
        result = super().init()
        cr = self.env.cr
        if not sql.table_exists(cr, STAMP_TABLE):
            self._create_stamp_table()
        # Upgrading: stamps without a due day are due every night, as before,
        # and read the payments again.
        for column in ("due_on", "paid_due_on", "open_due_on", "refreshed_on"):
            if not sql.column_exists(cr, STAMP_TABLE, column):
                sql.create_column(cr, STAMP_TABLE, column, "date")
        # Indexes of the figures declared ``index=False`` since (see
        # res_partner_payment.py), made by earlier versions.
        partner_fields = self.env["res.partner"]._fields
        for name in STORED_FIELDS:
            if not partner_fields[name].index:
                index = sql.make_index_name("res_partner", name)
                sql.drop_index(cr, index, "res_partner")
        # Without an index on the stamp, rewriting it is a HOT update (the
        # table's pages are half full); the progress count reads the narrow
        # table whole, as at night every stamp is older than the cutoff.
        sql.drop_index(cr, STAMP_INDEX, STAMP_TABLE)
        self._reserve_partner_page_room()
        return result

    def _reserve_partner_page_room(self):
        """Leave room in res_partner's pages (unless a DBA chose a fill factor).

        A night rewrites the figures of every customer with an overdue item
        (four in ten at 50,000 customers): with room on its page, the row's new
        version stays there (a HOT update: none of the table's ~40 indexes get
        an entry, the old version is pruned on the page). Full pages made each
        of those updates also write every index: a third of the night
        (issue 19). Pages written from now on keep the room; existing rows
        move into such pages as they are updated (or at once with ``VACUUM
        FULL res_partner``, CONFIGURE.md). The uninstall hook gives the
        default back."""
        cr = self.env.cr
        cr.execute(
            "SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass"
        )
        options = cr.fetchone()[0] or []
        if not any(option.startswith("fillfactor=") for option in options):
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner SET (fillfactor = %s)",
                    SQL(str(PARTNER_FILLFACTOR)),
                )
            )

    def _create_stamp_table(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                # Half-full pages: each night's new stamp fits the page of
                # the old one.
                "CREATE TABLE %s (partner_id integer PRIMARY KEY,"
                " rebuilt_at timestamp NOT NULL, due_on date, paid_due_on date,"
                " open_due_on date, refreshed_on date)"
                " WITH (fillfactor = 50)",
                SQL.identifier(STAMP_TABLE),
            )
        )
        # Upgrading from the stamps in res_partner: keep today's work done.
        if sql.column_exists(cr, "res_partner", "crm_payment_rebuilt_at"):
            cr.execute(
                SQL(
                    "INSERT INTO %s (partner_id, rebuilt_at)"
                    " SELECT id, crm_payment_rebuilt_at FROM res_partner"
                    " WHERE crm_payment_rebuilt_at IS NOT NULL",
                    SQL.identifier(STAMP_TABLE),
                )
            )

    # ------------------------------------------------------------------ refresh
    @api.model
    def _refresh(
        self, partner_ids, today=None, paid_kept=None, open_kept=None, locked=False
    ):
        """Recompute figures, grades, trust and snapshots of commercial partners.

        ``paid_kept``: {partner id: day its paid side changes} of partners
        whose payments nothing changed since their last refresh (the nightly
        rebuild knows it from their stamps): their paid figures are taken as
        stored and their snapshots left alone.
        ``open_kept``: {partner id: (day its open items' amounts change, day
        of its last refresh)} of partners whose open items nothing changed
        since and none of which fell due: their open and overdue amounts are
        taken as stored and their oldest overdue days grown by the days since.
        The grade of every partner is computed again.
        ``locked``: the caller holds the partners' row locks already (the
        nightly rebuild's claim).

        A constant number of queries whatever the number of partners (plus the
        ORM writes of ``trust`` where a grade changes it).
        """
        paid_kept = paid_kept or {}
        open_kept = open_kept or {}
        partner_ids = sorted(set(partner_ids))
        if not partner_ids:
            return
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        # Lock the partners first, in id order: a second refresh of the same
        # partners (the nightly batch, another user's reconciliation) waits here
        # and then fails with a serialization error Odoo retries, instead of
        # colliding later on the snapshots' unique key.
        # The same query lists the partners' contacts (the commercial partner
        # index; a commercial partner is its own): the statements below select
        # the lines by these partner ids, each with its commercial partner.
        # The ids come as an array the planner cannot count: counted, 2,000 of
        # them made it hash every contact instead (57 -> 14 ms a batch).
        if not locked:
            rows = self.env.execute_query(
                SQL(
                    "SELECT contact.id, partner.id FROM res_partner partner"
                    " LEFT JOIN res_partner contact"
                    " ON contact.commercial_partner_id = partner.id"
                    " WHERE partner.id = ANY(ARRAY(SELECT unnest(%s::int[])))"
                    " ORDER BY partner.id FOR NO KEY UPDATE OF partner",
                    partner_ids,
                )
            )
            # Partners deleted meanwhile get neither figures nor a stamp.
            partner_ids = sorted({partner for _contact, partner in rows})
            contacts = sorted(row for row in rows if row[0])
        stored = self._stored_figures(
            [pid for pid in partner_ids if pid in paid_kept or pid in open_kept]
        )
        # Stored open figures of zero do not tell whether the partner has open
        # items that cancel out (figures of zero are written) or none (none
        # are): such partners' open items are read again.
        open_kept = {
            pid: days
            for pid, days in open_kept.items()
            if pid in stored and all(map(_has_open_items, stored[pid].values()))
        }
        if locked:
            # The nightly claim locked its partners: the contacts are listed
            # only for partners whose paid side or open items are read again
            # (few: most of a night keeps both).
            contacts = self._contacts(
                [
                    pid
                    for pid in partner_ids
                    if pid not in paid_kept or pid not in open_kept
                ]
            )
        # The day from which each partner's paid side, and its figures, change
        # with the date alone (the nightly rebuild leaves the others alone).
        paid, paid_due_on = self._paid_figures(
            [pid for pid in partner_ids if pid not in paid_kept],
            [pair for pair in contacts if pair[1] not in paid_kept],
            today,
        )
        kept_ids = [pid for pid in partner_ids if pid in paid_kept]
        paid.update(_stored_paid_sums(stored, kept_ids))
        paid_due_on.update((pid, paid_kept[pid]) for pid in kept_ids)
        due_on = dict(paid_due_on)
        companies = self.env["res.company"].sudo().search([])
        open_contacts = [pair for pair in contacts if pair[1] not in open_kept]
        open_figures = (
            self.env["crm_extended.open.item"]._contact_figures(
                open_contacts, companies, today=today
            )
            if open_contacts
            else {}
        )
        # The day from which each partner's open amounts change with the date
        # alone (an item falls due); its overdue days grow every day.
        open_due_on = dict.fromkeys(partner_ids, date.max)
        for (partner_id, _company_id), items in open_figures.items():
            if items["next_due"]:
                open_due_on[partner_id] = min(
                    open_due_on[partner_id], items["next_due"] + timedelta(days=1)
                )
        for partner_id in partner_ids:
            if partner_id in open_kept:
                open_due_on[partner_id], refreshed_on = open_kept[partner_id]
                open_figures.update(
                    _stored_open_items(stored, partner_id, (today - refreshed_on).days)
                )
        tomorrow = today + timedelta(days=1)
        for partner_id in partner_ids:
            due_on[partner_id] = min(due_on[partner_id], open_due_on[partner_id])
        for (partner_id, _company_id), items in open_figures.items():
            if items["overdue_days"] > 0:
                due_on[partner_id] = tomorrow  # overdue days grow every day
        thresholds = {
            company.id: company._crm_payment_thresholds() for company in companies
        }
        # Registry hook (res_partner_registry.py): a registry risk forces E
        # where the company's manager turned that on.
        forced_e = self.env["res.partner"]._registry_grade_e_ids(
            partner_ids, set(companies.ids)
        )
        new_values = {pid: {name: {} for name in STORED_FIELDS} for pid in partner_ids}
        for partner_id, company_id in sorted(set(paid) | set(open_figures)):
            paid_amount, weighted, on_time = paid.get(
                (partner_id, company_id), (0.0, 0.0, 0.0)
            )
            items = open_figures.get((partner_id, company_id), {})
            figures = scoring.Figures(
                paid_amount=float(paid_amount),
                weighted_days_late=float(weighted),
                on_time_amount=float(on_time),
                overdue_amount=float(items.get("overdue", 0.0)),
                overdue_max_days=int(items.get("overdue_days", 0)),
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
            values["payment_open_amount"][key] = round(items.get("open", 0.0), 2)
            if letter:
                values["payment_grade"][key] = letter
            values["payment_grade_data"][key] = json.dumps(
                {"reason": result.reason, "grade": result.letter, **result.params}
            )
        trust_changes = self._write_partner_values(
            new_values,
            companies,
            {
                partner_id: (
                    due_on[partner_id],
                    paid_due_on[partner_id],
                    open_due_on[partner_id],
                )
                for partner_id in partner_ids
            },
            today,
            {"paid": paid_kept, "open": open_kept},
        )
        self.env["res.partner"].invalidate_model(STORED_FIELDS)
        self.env["crm_extended.payment.snapshot"].invalidate_model()
        self._write_trust(trust_changes)

    def _contacts(self, partner_ids):
        """(contact id, partner id) of these commercial partners' contacts,
        each partner included (the commercial partner index)."""
        if not partner_ids:
            return []
        return self.env.execute_query(
            SQL(
                "SELECT contact.id, contact.commercial_partner_id"
                " FROM res_partner contact WHERE contact.commercial_partner_id"
                " = ANY(ARRAY(SELECT unnest(%s::int[]))) ORDER BY 1",
                partner_ids,
            )
        )

    def _paid_figures(self, partner_ids, contacts, today):
        """The paid sums {(partner id, company id): (amount, weighted days
        late, on-time amount)} of these partners (``contacts``: their (contact,
        partner) pairs), and {partner id: the day their paid side changes with
        the date alone}; rewrites their snapshots. One statement."""
        paid_due_on = dict.fromkeys(partner_ids, date.max)
        if not partner_ids:
            return {}, paid_due_on
        trend_start = self._trend_start(today)
        rows = self.env.execute_query(
            SQL(
                _SQL_STATS,
                partners=partner_ids,
                contacts=[contact for contact, _partner in contacts],
                commercial_of=json.dumps(dict(contacts)),
                paid_portions=self._paid_portions(len(contacts), today, trend_start),
                today=today,
                trend_start=trend_start,
                next_month=today.replace(day=1) + relativedelta(months=1),
                journals=PAYMENT_JOURNAL_TYPES,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        paid = {}
        for partner_id, company_id, amount, weighted, on_time, change in rows:
            if amount is not None:
                paid[partner_id, company_id] = (amount, weighted, on_time)
            if change:
                paid_due_on[partner_id] = min(paid_due_on[partner_id], change)
        return paid, paid_due_on

    def _stored_figures(self, partner_ids):
        """{partner id: {company id: {figure: value}}}: the figures of these
        partners as their last refresh stored them. One JSON document of the
        stored values: decoding each value apart (psycopg2 decodes a JSON column
        per row) cost twice the query at night."""
        stored = {partner_id: {} for partner_id in partner_ids}
        if not partner_ids:
            return stored
        [(document,)] = self.env.execute_query(
            SQL(
                "SELECT json_agg(json_build_array(id, %s))::text FROM res_partner"
                " WHERE id = ANY(ARRAY(SELECT unnest(%s::int[])))",
                SQL(", ").join(SQL.identifier(name) for name in KEPT_FIELDS),
                partner_ids,
            )
        )
        for partner_id, *columns in json.loads(document or "[]"):
            companies = stored[partner_id]
            for name, values in zip(KEPT_FIELDS, columns, strict=True):
                for key, value in (values or {}).items():
                    company_id = int(key)
                    if company_id not in companies:
                        companies[company_id] = dict.fromkeys(KEPT_FIELDS, 0.0)
                    companies[company_id][name] = value or 0.0
        return stored

    def _paid_portions(self, contact_count, today, trend_start):
        """How _SQL_STATS reads the paid portions of this many contacts'
        instalments (the same rows either way)."""
        if contact_count < PAID_BY_DATE_MIN_CONTACTS:
            return SQL(_PAID_BY_INSTALMENT, trend_start=trend_start, today=today)
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        longest = max(companies.search([]).mapped("crm_payment_window_days") or [0])
        range_start = min(trend_start, today - timedelta(days=longest or 0))
        return SQL(_PAID_BY_DATE, range_start=range_start, today=today)

    def _write_partner_values(self, new_values, companies, stamps, today, kept=None):
        """Store the figures with one statement; return the trust changes the
        grades ask for, {(company_id, trust): [partner ids]}.

        The same statement stamps the partners as rebuilt now, on ``today``
        (``stamps``: {partner id: (due_on, paid_due_on, open_due_on)},
        ``date.max`` for never): the day from which the nightly rebuild must
        do them again though nothing was booked, and the days from which their
        paid side and their open items' amounts must be read again.
        ``kept``: {side: partner ids} of the partners whose figures of that
        side (``KEPT_SIDES``) are the stored ones: not sent again.

        The figures are this addon's own read-only columns, written for a whole
        batch of partners in one set-based UPDATE (no other code writes them, and
        a write() per partner and company would make the nightly rebuild of
        50,000 customers take hours); only the rows whose figures changed are
        written (an UPDATE of res_partner writes a new version of a wide row and
        of its ~45 indexes). The same statement returns where the trust the
        grades ask for differs from the current one (and was not set by hand):
        ``trust`` is core's field, it goes through the ORM (``_write_trust``).
        """
        # One JSON document of all rows, each an array in the order of
        # WRITTEN_COLUMNS: composing a VALUES list of thousands of SQL
        # fragments cost more than the UPDATE itself, and the column names
        # of a document of objects were half of its size (parsed at night
        # for 20,000 customers).
        kept = kept or {}
        kept_names = {
            side: {name: None for name in names} for side, names in KEPT_SIDES.items()
        }
        rows = []
        for partner_id, values in new_values.items():
            row = [partner_id, *map(_date_or_infinity, stamps[partner_id])]
            figures = {name: values[name] or None for name in STORED_FIELDS}
            for side in KEPT_SIDES:
                row.append(partner_id in kept.get(side, ()))
                if row[-1]:
                    figures |= kept_names[side]
            rows.append(row + list(figures.values()))
        rows = json.dumps(rows)
        # A company-dependent value equal to the company's default ("normal")
        # is not stored: read the missing key as that default, or every D
        # customer's trust would be written again each night.
        Partner = self.env["res.partner"].sudo()
        trust_field = Partner._fields["trust"]
        default_trust = {
            str(company.id): trust_field.get_company_dependent_fallback(
                Partner.with_company(company)
            )
            for company in companies
        }
        columns = [SQL.identifier(name) for name in STORED_FIELDS]
        # A kept figure is the partner's own; the others come with the data.
        new_columns = []
        for name, column in zip(STORED_FIELDS, columns, strict=True):
            new_column = SQL("data.%s", column)
            for side, names in KEPT_SIDES.items():
                if name in names:
                    new_column = SQL(
                        "CASE WHEN data.%s THEN partner.%s ELSE data.%s END",
                        SQL.identifier(f"{side}_kept"),
                        column,
                        column,
                    )
            new_columns.append(new_column)
        data_columns = [
            SQL("(item ->> %s)::%s AS %s", index, SQL(kind), SQL.identifier(name))
            for index, (name, kind) in enumerate(WRITTEN_COLUMNS)
        ] + [
            SQL("NULLIF(item -> %s, 'null') AS %s", index, column)
            for index, column in enumerate(columns, start=len(WRITTEN_COLUMNS))
        ]
        # The same statement compares the trust the grades ask for with the
        # current one and returns only the differences (not set by hand).
        changes = self.env.execute_query(
            SQL(
                "WITH data AS (SELECT %s FROM jsonb_array_elements(%s::jsonb) item),"
                " changed AS (UPDATE res_partner AS partner SET %s FROM data"
                " WHERE partner.id = data.id AND (%s) IS DISTINCT FROM (%s)),"
                " stamped AS (INSERT INTO %s (partner_id, rebuilt_at,"
                " due_on, paid_due_on, open_due_on, refreshed_on)"
                " SELECT id, %s, due_on, paid_due_on, open_due_on, %s::date"
                " FROM data ON CONFLICT (partner_id) DO UPDATE SET"
                " rebuilt_at = EXCLUDED.rebuilt_at, due_on = EXCLUDED.due_on,"
                " paid_due_on = EXCLUDED.paid_due_on,"
                " open_due_on = EXCLUDED.open_due_on,"
                " refreshed_on = EXCLUDED.refreshed_on)"
                " SELECT partner.id, grade.key::int, %s::jsonb ->> grade.value"
                " FROM data JOIN res_partner partner ON partner.id = data.id"
                " CROSS JOIN LATERAL jsonb_each_text(data.payment_grade)"
                " AS grade(key, value)"
                " WHERE (partner.payment_trust_manual ->> grade.key)::boolean"
                " IS NOT TRUE AND COALESCE(partner.trust ->> grade.key,"
                " %s::jsonb ->> grade.key)"
                " IS DISTINCT FROM %s::jsonb ->> grade.value",
                SQL(", ").join(data_columns),
                rows,
                SQL(", ").join(
                    SQL("%s = %s", column, new_column)
                    for column, new_column in zip(columns, new_columns, strict=True)
                ),
                SQL(", ").join(SQL("partner.%s", column) for column in columns),
                SQL(", ").join(new_columns),
                SQL.identifier(STAMP_TABLE),
                fields.Datetime.now(),
                today,
                json.dumps(TRUST_BY_GRADE),
                json.dumps(default_trust),
                json.dumps(TRUST_BY_GRADE),
            )
        )
        trust_changes = {}
        for partner_id, company_id, wanted in changes:
            trust_changes.setdefault((company_id, wanted), []).append(partner_id)
        return trust_changes

    def _write_trust(self, trust_changes):
        """Odoo's degree of trust follows the grade through the ORM: tracked in
        the partner's chatter, and other addons' ``write()`` sees the change."""
        Partner = (
            self.env["res.partner"].sudo().with_context(crm_payment_trust_sync=True)
        )
        for (company_id, trust), partner_ids in sorted(trust_changes.items()):
            Partner.browse(partner_ids).with_company(company_id).write({"trust": trust})
        if trust_changes:
            # _refresh also runs as a pre-commit hook, after the last flush.
            self.env.flush_all()

    # -------------------------------------------------------------- incremental
    @api.model
    def _touch(self, partners):
        """Recompute these partners just before the transaction commits."""
        precommit_batch.collect(
            self.env.cr,
            TOUCHED_KEY,
            partners.commercial_partner_id.ids,
            self.sudo()._refresh,
        )

    # ------------------------------------------------------------ full rebuild
    @api.model
    def _cron_rebuild(self, batch_size=BATCH_SIZE):
        """Rebuild one batch of the commercial partners not rebuilt yet today.

        Odoo 18's cron protocol: the method does one batch and reports its
        progress; the scheduler commits and calls it again while partners remain
        (a test or a button calls it the same way, in their own transaction).
        The batch is claimed with ``FOR NO KEY UPDATE SKIP LOCKED``: two workers
        never process the same partner, and a worker killed half-way leaves its
        partners unmarked for the next call. Returns the number of partners done.
        """
        cutoff = self._rebuild_cutoff()
        try:
            with self.env.cr.savepoint(), cyclic_gc_paused():
                ids, unstamped, kept = self._claim_rebuild(cutoff, batch_size)
                self._refresh(
                    ids, paid_kept=kept["paid"], open_kept=kept["open"], locked=True
                )
        except TransactionRollbackError:
            # Another transaction changed or locked these partners since ours
            # started (a second rebuild, a registry check, a user): leave them to
            # a fresh transaction in a minute instead of failing the job.
            _logger.info("Payment behaviour rebuild met a concurrent update; retrying")
            self._trigger_rebuild(delay=RETRY_DELAY)
            ids, unstamped = [], None
        if ids and unstamped is None:
            # A full batch of due stamps, claimed in id order: what is left
            # comes after it (partners another transaction held are counted by
            # the last, short batch).
            remaining = self._rebuild_remaining(cutoff, ids[-1])
        else:
            remaining = self._rebuild_remaining(cutoff, 0, unstamped)
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        _logger.info(
            "Payment behaviour rebuild: %s partners done, %s remaining",
            len(ids),
            remaining,
        )
        return len(ids)

    def _rebuild_cutoff(self):
        """Partners rebuilt before this moment are rebuilt again: the start of
        the day (overdue days grow), or a later manual "rebuild all"."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = fields.Date.context_today(self)
        midnight = tz.localize(datetime.combine(today, time.min))
        cutoff = midnight.astimezone(pytz.utc).replace(tzinfo=None)
        since = self._rebuild_since()
        if since:
            cutoff = max(cutoff, since)
        return cutoff

    def _rebuild_since(self):
        """When a manager last asked to rebuild every customer (None: never)."""
        since = self.env["ir.config_parameter"].sudo().get_param(REBUILD_SINCE_PARAM)
        return fields.Datetime.to_datetime(since) if since else None

    def _claim_rebuild_batch(self, cutoff, batch_size):
        """The ids of the next batch of due partners, locked."""
        return self._claim_rebuild(cutoff, batch_size)[0]

    def _claim_rebuild(self, cutoff, batch_size):
        """Lock the next batch of due partners (skipping those another worker
        holds); the batch's refresh stamps them.

        The due partners are read from the narrow stamp table (its due rows,
        see ``_due_stamp_sql``, each joined to its partner by primary
        key), not by a scan of ``res_partner``: the stamp and the
        partner are both locked ``SKIP LOCKED``, so that two workers never take
        the same partner. Only when those run short does the batch look for
        commercial partners without a stamp (new since the last night, or
        whose stamps were deleted): the night's one scan of ``res_partner``.
        Partners without a stamp get one at once. The stamps roll back with
        the batch; a worker whose snapshot predates another's stamps of the
        same partners fails on them with a serialization error instead of
        doing the partners twice.

        Returns the ids in order, how many partners without a stamp are left
        (None when they were not looked for) and the partners whose paid side
        or open items are still those of their last refresh (``{"paid": ...,
        "open": ...}``, see ``_refresh``)."""
        now = fields.Datetime.now()
        ids, unstamped, after_id = [], None, 0
        kept = {"paid": {}, "open": {}}
        while len(ids) < batch_size:
            limit = batch_size - len(ids)
            rows = self._claim_stamped(cutoff, limit, after_id)
            for partner_id, commercial, paid_due_on, open_due_on, refreshed_on in rows:
                if commercial:
                    ids.append(partner_id)
                    if paid_due_on:
                        kept["paid"][partner_id] = paid_due_on
                    if open_due_on:
                        kept["open"][partner_id] = (open_due_on, refreshed_on)
            after_id = rows[-1][0] if rows else after_id
            if len(rows) < limit:
                more, unstamped = self._claim_unstamped(
                    cutoff, batch_size - len(ids), now
                )
                ids += more
                break
        self.env["res.partner"].invalidate_model(["crm_payment_rebuilt_at"])
        return sorted(ids), unstamped, kept

    def _claim_stamped(self, cutoff, limit, after_id=0):
        """Lock the next due stamps (after ``after_id``) and their partners;
        returns (partner id, is a commercial partner, the day its paid side
        changes when that is later than today and no "rebuild all" came since
        its last refresh, else None; the same of its open items' amounts, and
        then the day of its last refresh) of each, in order. A
        stamp of a partner that became a contact is dropped (the claim takes
        another turn). The refresh of the batch rewrites the stamps it locked.

        The join has no condition on res_partner of its own: with one (``id =
        commercial_partner_id``) PostgreSQL expects a handful of rows and scans
        res_partner whole; without, it takes the batch by index once the batch
        is a small part of the customers."""
        return self.env.execute_query(
            SQL(
                "WITH claimed AS ("
                " SELECT stamp.partner_id AS id,"
                " partner.id = partner.commercial_partner_id AS commercial,"
                " CASE WHEN %(paid_kept)s THEN stamp.paid_due_on END AS paid_due_on,"
                " CASE WHEN %(open_kept)s THEN stamp.open_due_on END AS open_due_on,"
                " stamp.refreshed_on"
                " FROM %(stamps)s stamp"
                " JOIN res_partner partner ON partner.id = stamp.partner_id"
                " WHERE %(due)s AND stamp.partner_id > %(after)s"
                " ORDER BY stamp.partner_id LIMIT %(limit)s"
                " FOR NO KEY UPDATE OF stamp, partner SKIP LOCKED"
                "), dropped AS ("
                " DELETE FROM %(stamps)s stamp USING claimed"
                " WHERE stamp.partner_id = claimed.id AND NOT claimed.commercial"
                ") SELECT id, commercial, paid_due_on, open_due_on, refreshed_on"
                " FROM claimed ORDER BY id",
                stamps=SQL.identifier(STAMP_TABLE),
                due=self._due_stamp_sql(cutoff),
                paid_kept=self._kept_sql(SQL("stamp.paid_due_on")),
                open_kept=self._kept_sql(SQL("stamp.open_due_on")),
                after=after_id,
                limit=limit,
            )
        )

    def _kept_sql(self, change_day):
        """A stamp whose paid side (or open items, by ``change_day``) is still
        that of its last refresh, made today or before: it changes after
        today, and no "rebuild all" came since."""
        today = fields.Date.context_today(self)
        kept = SQL("%s > %s AND stamp.refreshed_on <= %s", change_day, today, today)
        since = self._rebuild_since()
        if since:
            kept = SQL("%s AND stamp.rebuilt_at >= %s", kept, since)
        return kept

    def _due_stamp_sql(self, cutoff):
        """Stamps due tonight: not rebuilt since ``cutoff``, and either not
        rebuilt since the last "rebuild all", or whose figures change with the
        date from today on (``due_on``, set by the last refresh: an overdue
        item, an item falling due, a payment leaving the window or the trend's
        oldest month leaving the trend). Customers whose figures stay as they
        are until something is booked (a booking refreshes them at its commit)
        are left alone. A stamp without ``due_on`` (made before it existed) is
        due every night."""
        since = self._rebuild_since()
        by_date = SQL(
            "stamp.due_on IS NULL OR stamp.due_on <= %s",
            fields.Date.context_today(self),
        )
        if since:
            by_date = SQL("stamp.rebuilt_at < %s OR %s", since, by_date)
        return SQL("stamp.rebuilt_at < %s AND (%s)", cutoff, by_date)

    def _claim_unstamped(self, cutoff, limit, now):
        """The last pass of a night: drop the due stamps of partners that are
        no longer commercial partners (merged away), claim
        commercial partners without a stamp and stamp them. Returns their ids
        and how many partners without a stamp are left."""
        rows = self.env.execute_query(
            SQL(
                "WITH dropped AS ("
                " DELETE FROM %(stamps)s stamp WHERE stamp.rebuilt_at < %(cutoff)s"
                " AND NOT EXISTS (SELECT FROM res_partner partner"
                " WHERE partner.id = stamp.partner_id"
                " AND partner.id = partner.commercial_partner_id)"
                "), unstamped AS MATERIALIZED (%(unstamped)s"
                "), claimed AS ("
                " SELECT partner.id FROM res_partner partner"
                " WHERE partner.id IN (SELECT id FROM unstamped)"
                " ORDER BY partner.id LIMIT %(limit)s"
                " FOR NO KEY UPDATE OF partner SKIP LOCKED"
                "), stamped AS ("
                " INSERT INTO %(stamps)s (partner_id, rebuilt_at)"
                " SELECT id, %(now)s FROM claimed"
                " ON CONFLICT (partner_id)"
                " DO UPDATE SET rebuilt_at = EXCLUDED.rebuilt_at"
                ") SELECT ARRAY(SELECT id FROM claimed ORDER BY id),"
                " (SELECT COUNT(*) FROM unstamped)",
                stamps=SQL.identifier(STAMP_TABLE),
                unstamped=_UNSTAMPED,
                cutoff=cutoff,
                limit=limit,
                now=now,
            )
        )
        claimed, unstamped = rows[0]
        return claimed, unstamped - len(claimed)

    def _rebuild_remaining(self, cutoff, after_id=0, unstamped=None):
        """Partners still due: the due stamps (by the index on ``rebuilt_at``),
        and once those are done, the commercial partners without a stamp."""
        rows = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM %s stamp WHERE %s AND stamp.partner_id > %s",
                SQL.identifier(STAMP_TABLE),
                self._due_stamp_sql(cutoff),
                after_id,
            )
        )
        remaining = rows[0][0]
        if not remaining:
            remaining = unstamped
            if remaining is None:
                remaining = self.env.execute_query(
                    SQL("SELECT COUNT(*) FROM (%s) unstamped", _UNSTAMPED)
                )[0][0]
        return remaining

    @api.model
    def _rebuild_stamps(self, partner_ids):
        """{partner id: when the nightly rebuild last did it} (no access check:
        the caller's field is for administrators)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id, rebuilt_at FROM %s WHERE partner_id = ANY(%s)",
                SQL.identifier(STAMP_TABLE),
                list(partner_ids),
            )
        )
        return dict(rows)

    @api.model
    def _schedule_rebuild(self):
        """Rebuild every partner again in the background (thresholds changed)."""
        self.env["ir.config_parameter"].sudo().set_param(
            REBUILD_SINCE_PARAM, fields.Datetime.to_string(fields.Datetime.now())
        )
        self._trigger_rebuild()

    def _trigger_rebuild(self, delay=0):
        cron = self.env.ref(
            "crm_extended.ir_cron_payment_rebuild", raise_if_not_found=False
        )
        if cron:
            at = fields.Datetime.now() + timedelta(seconds=delay) if delay else None
            cron.sudo()._trigger(at)

    # ------------------------------------------------------------ drill-down
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
