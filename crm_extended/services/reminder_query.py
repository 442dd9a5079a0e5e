"""The one SQL statement of the daily reminder proposal run (issue 21).

It builds an ``odoo.tools.SQL`` object only; the ORM layer
(``crm_extended.reminder.run``) runs it, one statement per company. The open
and overdue items are read from the card's single definition, the
``crm_extended.open.item`` query, so the reminder names exactly the items the
card calls overdue.

Per customer of the company (commercial partner):

* *days* = the oldest overdue item's days past due, *overdue* = the overdue
  amount (``overdue_amount`` summed: credits already due reduce it);
  customers with nothing overdue owed are skipped;
* *level by days* = the active level with the most ``days_after_due`` not
  above *days*; a customer graded E or with a registry risk gets the next
  level when that level escalates risky customers;
* the *episode* is the time since the oldest overdue item fell due: a level
  already sent (or cancelled by an accountant) in the episode is not proposed
  again, only a higher one;
* a customer in insolvency (a registry risk of kind ``insolvency``) gets an
  ``excluded`` reminder instead of a proposed one: the reason is listed, the
  reminder is never sent.
"""

from odoo.tools import SQL

from ..registries.verdict import RISK, RISK_INSOLVENCY
from .ledger_query import RECEIVABLE

PENDING_STATES = ("proposed", "excluded")


def proposal_sql(open_items, company_id, today, uid, partner_ids=None):
    """Today's reminders of one company (of some of its customers when
    ``partner_ids`` is given): a customer's pending reminder (proposed or
    excluded) is renewed in place, a new one is inserted, and pending reminders
    no longer due go (unless someone wrote on them: the ORM unlinks those, with
    their chatter). Returns rows ``(reminder id, state)``.

    Renewing in place rather than deleting and inserting is what keeps the run
    near a bare read: an UPDATE that keeps the customer, company and level does
    not re-check their foreign keys, a DELETE + INSERT checks six per row. The
    items a reminder names are written when it is sent (``named_items_sql``);
    until then the proposal shows the live overdue items."""
    only_partners = (
        SQL("AND item.partner_id IN %s", tuple(partner_ids)) if partner_ids else SQL()
    )
    only_reminder_partners = (
        SQL("AND reminder.partner_id IN %s", tuple(partner_ids))
        if partner_ids
        else SQL()
    )
    return SQL(
        """
        WITH customers AS (
            SELECT item.partner_id,
                   MAX(item.overdue_days) AS days,
                   SUM(item.overdue_amount) AS overdue,
                   SUM(item.receivable_amount) AS receivable
              FROM (%(open_items)s) item
             WHERE item.company_id = %(company)s
               AND item.account_type = %(receivable)s
               %(only_partners)s
          GROUP BY item.partner_id
            HAVING MAX(item.overdue_days) > 0 AND SUM(item.overdue_amount) > 0
        ),
        levels AS (
            SELECT id, days_after_due, escalate_on_risk,
                   ROW_NUMBER() OVER (ORDER BY days_after_due, sequence, id) AS rank
              FROM crm_extended_reminder_level
             WHERE company_id = %(company)s AND active
        ),
        chosen AS (
            SELECT customer.*,
                   LEAST(
                       by_days.rank + CASE
                           WHEN by_days.escalate_on_risk
                            AND (partner.payment_grade ->> %(company_key)s = 'E'
                                 OR partner.registry_status = %(risk)s)
                           THEN 1 ELSE 0 END,
                       (SELECT MAX(rank) FROM levels)
                   ) AS rank,
                   EXISTS (
                       SELECT 1
                         FROM jsonb_array_elements(
                                CASE WHEN jsonb_typeof(partner.registry_reason_data)
                                          = 'array'
                                     THEN partner.registry_reason_data
                                     ELSE '[]'::jsonb END) reason
                        WHERE reason ->> 'level' = %(risk)s
                          AND reason ->> 'risk' = %(insolvency)s
                   ) AS insolvent,
                   handled.rank AS handled_rank,
                   pending.id AS pending_id
              FROM customers customer
              JOIN res_partner partner ON partner.id = customer.partner_id
        CROSS JOIN LATERAL (
                   SELECT level.rank, level.escalate_on_risk
                     FROM levels level
                    WHERE level.days_after_due <= customer.days
                 ORDER BY level.rank DESC
                    LIMIT 1
                   ) by_days
         LEFT JOIN LATERAL (
                   SELECT MAX(level.rank) AS rank
                     FROM crm_extended_reminder reminder
                     JOIN levels level ON level.id = reminder.level_id
                    WHERE reminder.partner_id = customer.partner_id
                      AND reminder.company_id = %(company)s
                      AND reminder.state IN ('sent', 'cancelled')
                      AND reminder.date > %(today)s::date - customer.days
                   ) handled ON TRUE
         LEFT JOIN LATERAL (
                   SELECT reminder.id
                     FROM crm_extended_reminder reminder
                    WHERE reminder.partner_id = customer.partner_id
                      AND reminder.company_id = %(company)s
                      AND reminder.state IN %(pending_states)s
                 ORDER BY reminder.id
                    LIMIT 1
                   ) pending ON TRUE
        ),
        today AS (
            SELECT chosen.partner_id, level.id AS level_id,
                   CASE WHEN chosen.insolvent THEN 'excluded' ELSE 'proposed' END
                       AS state,
                   chosen.days, chosen.overdue, chosen.receivable,
                   chosen.pending_id
              FROM chosen
              JOIN levels level ON level.rank = chosen.rank
             WHERE chosen.rank > COALESCE(chosen.handled_rank, 0)
        ),
        renewed AS (
            UPDATE crm_extended_reminder reminder
               SET level_id = today.level_id,
                   date = %(today)s,
                   state = today.state,
                   days_overdue = today.days,
                   amount_overdue = today.overdue,
                   amount_open = today.receivable,
                   exclusion_reason = NULL,
                   write_uid = %(uid)s,
                   write_date = NOW() AT TIME ZONE 'UTC'
                   -- Sorted: every customer is read before the first row is
                   -- written (the lookups above never scan a table that this
                   -- statement is growing).
              FROM (SELECT * FROM today ORDER BY today.pending_id) today
             WHERE reminder.id = today.pending_id
         RETURNING reminder.id, reminder.state
        ),
        new_reminders AS (
            INSERT INTO crm_extended_reminder (
                partner_id, company_id, level_id, date, state, days_overdue,
                amount_overdue, amount_open,
                create_uid, write_uid, create_date, write_date)
            SELECT today.partner_id, %(company)s, today.level_id, %(today)s,
                   today.state, today.days, today.overdue, today.receivable,
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM today
             WHERE today.pending_id IS NULL
          ORDER BY today.partner_id
         RETURNING id, state
        ),
        dropped AS (
            DELETE FROM crm_extended_reminder reminder
             WHERE reminder.company_id = %(company)s
               AND reminder.state IN %(pending_states)s
               %(only_reminder_partners)s
               AND NOT EXISTS (
                   SELECT 1 FROM today WHERE today.pending_id = reminder.id)
               AND NOT EXISTS (
                   SELECT 1 FROM mail_message message
                    WHERE message.model = %(model)s
                      AND message.res_id = reminder.id)
               AND NOT EXISTS (
                   SELECT 1 FROM mail_followers follower
                    WHERE follower.res_model = %(model)s
                      AND follower.res_id = reminder.id)
        )
        SELECT id, state FROM renewed
         UNION ALL
        SELECT id, state FROM new_reminders
        """,
        open_items=open_items,
        only_partners=only_partners,
        only_reminder_partners=only_reminder_partners,
        pending_states=PENDING_STATES,
        model="crm_extended.reminder",
        company=company_id,
        company_key=str(company_id),
        receivable=RECEIVABLE,
        risk=RISK,
        insolvency=RISK_INSOLVENCY,
        today=today,
        uid=uid,
    )


def named_items_sql(open_items, reminder_ids):
    """When reminders are sent: INSERT the overdue items they name (the open
    items of the card on the reminders' date, ``open_items`` built for that
    date) with their open amounts, and bring the reminders' figures to the same
    items. Items a proposal carried from an older run are replaced."""
    return SQL(
        """
        WITH reminders AS (
            SELECT reminder.id, reminder.partner_id, reminder.company_id
              FROM crm_extended_reminder reminder
             WHERE reminder.id IN %(reminders)s
        ),
        replaced AS (
            DELETE FROM crm_extended_reminder_line line
             WHERE line.reminder_id IN %(reminders)s
        ),
        items AS MATERIALIZED (
            SELECT reminder.id AS reminder_id, item.id, item.move_name, item.ref,
                   item.date, item.date_maturity, item.days_overdue,
                   item.overdue_days, item.overdue_amount, item.receivable_amount
              FROM reminders reminder
              JOIN (%(open_items)s) item
                ON item.partner_id = reminder.partner_id
               AND item.company_id = reminder.company_id
             WHERE item.account_type = %(receivable)s
        ),
        named AS (
            INSERT INTO crm_extended_reminder_line (
                reminder_id, move_line_ref, move_name, ref, date, date_maturity,
                days_overdue, amount_residual)
            SELECT reminder_id, id, move_name, ref, date, date_maturity,
                   days_overdue, overdue_amount
              FROM items
             WHERE overdue_amount <> 0
        ),
        figures AS (
            SELECT reminder_id, MAX(overdue_days) AS days,
                   SUM(overdue_amount) AS overdue, SUM(receivable_amount) AS open
              FROM items
          GROUP BY reminder_id
        )
        UPDATE crm_extended_reminder reminder
           SET days_overdue = figures.days,
               amount_overdue = figures.overdue,
               amount_open = figures.open
          FROM figures
         WHERE reminder.id = figures.reminder_id
        """,
        reminders=tuple(reminder_ids),
        open_items=open_items,
        receivable=RECEIVABLE,
    )
