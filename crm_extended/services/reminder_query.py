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


def proposal_sql(open_items, company_id, today, uid, partner_ids=None):
    """INSERT the reminders and their items for one company (for some of its
    customers when ``partner_ids`` is given); returns rows ``(reminder id,
    state)``."""
    only_partners = (
        SQL("AND item.partner_id IN %s", tuple(partner_ids)) if partner_ids else SQL()
    )
    return SQL(
        """
        WITH items AS MATERIALIZED (
            SELECT item.*
              FROM (%(open_items)s) item
             WHERE item.company_id = %(company)s
               AND item.account_type = %(receivable)s
               %(only_partners)s
        ),
        customers AS (
            SELECT partner_id,
                   MAX(overdue_days) AS days,
                   SUM(overdue_amount) AS overdue,
                   SUM(receivable_amount) AS receivable
              FROM items
          GROUP BY partner_id
            HAVING MAX(overdue_days) > 0 AND SUM(overdue_amount) > 0
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
                   handled.rank AS handled_rank
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
        ),
        new_reminders AS (
            INSERT INTO crm_extended_reminder (
                partner_id, company_id, level_id, date, state, days_overdue,
                amount_overdue, amount_open,
                create_uid, write_uid, create_date, write_date)
            SELECT chosen.partner_id, %(company)s, level.id, %(today)s,
                   CASE WHEN chosen.insolvent THEN 'excluded' ELSE 'proposed' END,
                   chosen.days, chosen.overdue, chosen.receivable,
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM chosen
              JOIN levels level ON level.rank = chosen.rank
             WHERE chosen.rank > COALESCE(chosen.handled_rank, 0)
         RETURNING id, partner_id, state
        ),
        new_lines AS (
            INSERT INTO crm_extended_reminder_line (
                reminder_id, move_line_ref, move_name, ref, date, date_maturity,
                days_overdue, amount_residual)
            SELECT reminder.id, item.id, item.move_name, item.ref, item.date,
                   item.date_maturity, item.days_overdue, item.overdue_amount
              FROM new_reminders reminder
              JOIN items item ON item.partner_id = reminder.partner_id
             WHERE item.overdue_amount <> 0
         RETURNING reminder_id
        )
        SELECT reminder.id, reminder.state,
               (SELECT COUNT(*) FROM new_lines) AS line_count
          FROM new_reminders reminder
        """,
        open_items=open_items,
        only_partners=only_partners,
        company=company_id,
        company_key=str(company_id),
        receivable=RECEIVABLE,
        risk=RISK,
        insolvency=RISK_INSOLVENCY,
        today=today,
        uid=uid,
    )
