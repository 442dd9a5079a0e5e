from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The counts of the card's header and buttons in one statement: posted
    invoices, contracts, complaints, registry checks, calls and reminders.

    Each part is the query ``_read_group`` would run: the model's own
    ``_search`` (the reader's record rules and companies, archived records
    left out), grouped by customer; the last sent reminder alone is read as
    the system (its level and date, which a salesperson may see). Opening a
    card ran six grouped reads one after the other, each costing more in
    Python and round trips than in PostgreSQL."""

    _inherit = "res.partner"

    def _card_count_part(self, kind, model, domain, partner_field, columns):
        """One part of the statement, or None when the reader may not read
        the model (its counts are then zero, as for a list it could not
        open). ``columns``: the SQL of (flag, count, value, moment, day, ref)
        from the model's table alias."""
        Model = self.env[model]
        if not Model.has_access("read"):
            return None
        query = Model._search(domain)

        def column(name):
            # Flushed before the statement runs, as _read_group's columns.
            return Model._field_to_sql(query.table, name, query)

        partner = column(partner_field)
        flag, *rest = columns(column)
        query.groupby = SQL("%s, %s", partner, flag) if flag else partner
        return query.select(
            SQL("%s::text", kind),
            partner,
            SQL("%s::boolean", flag or SQL("NULL")),
            *(
                SQL("%s::%s", value or SQL("NULL"), SQL(sql_type))
                for value, sql_type in zip(
                    rest,
                    ("bigint", "float8", "timestamp", "date", "int4"),
                    strict=True,
                )
            ),
        )

    def _card_last_reminder_part(self, commercial_ids, company_id):
        """The part of the last sent reminder of each customer in the company:
        read as the system (no record rules to apply), so written directly
        rather than through _search."""
        Reminder = self.env["crm_extended.reminder"]
        return SQL(
            """
            SELECT 'reminder_sent'::text, partner_id, NULL::boolean,
                   COUNT(*)::bigint, NULL::float8, NULL::timestamp,
                   MAX(date)::date,
                   (ARRAY_AGG(level_id ORDER BY date DESC, id DESC))[1]::int4
              FROM crm_extended_reminder
             WHERE partner_id IN %s AND company_id = %s AND state = 'sent'
          GROUP BY partner_id
            %s
            """,
            tuple(commercial_ids) or (None,),
            company_id,
            SQL().join(
                SQL(to_flush=Reminder._fields[name])
                for name in ("partner_id", "company_id", "state", "date", "level_id")
            ),
        )

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_card_counts(self):
        commercial_ids = self.commercial_partner_id.ids
        company_id = self.env.company.id
        count = SQL("COUNT(*)")
        by_customer = [("commercial_partner_id", "in", commercial_ids)]
        reminders = [
            ("partner_id", "in", commercial_ids),
            ("company_id", "=", company_id),
        ]
        parts = [
            # Counted as the reader, like the lists the buttons open: a
            # salesperson who may only read their own invoices counts those.
            self._card_count_part(
                "invoice",
                "account.move",
                self._card_invoice_domain(commercial_ids),
                "commercial_partner_id",
                lambda column: (None, count, None, None, None, None),
            ),
            self._card_count_part(
                "contract",
                "crm_extended.contract",
                by_customer,
                "commercial_partner_id",
                lambda column: (None, count, None, None, None, None),
            ),
            self._card_count_part(
                "complaint",
                "crm_extended.complaint",
                by_customer,
                "commercial_partner_id",
                lambda column: (
                    SQL("COALESCE(%s, FALSE)", column("is_closed")),
                    count,
                    SQL("AVG(%s)", column("resolution_days")),
                    None,
                    None,
                    None,
                ),
            ),
            # The evidence of the partner itself (a contact has its own).
            self._card_count_part(
                "registry",
                "crm_extended.registry.check",
                [("partner_id", "in", self.ids)],
                "partner_id",
                lambda column: (None, count, None, None, None, None),
            ),
            self._card_count_part(
                "call",
                "crm_extended.call",
                by_customer,
                "commercial_partner_id",
                lambda column: (
                    None,
                    count,
                    SQL("SUM(%s)", column("missed_count")),
                    SQL("MAX(%s)", column("date_start")),
                    None,
                    None,
                ),
            ),
            self._card_count_part(
                "reminder",
                "crm_extended.reminder",
                reminders,
                "partner_id",
                lambda column: (None, count, None, None, None, None),
            ),
            # The last sent reminder of the current company, as the system.
            self._card_last_reminder_part(commercial_ids, company_id),
        ]
        rows = {}
        parts = [SQL("(%s)", part) for part in parts if part is not None]
        if self.ids and parts:
            for kind, partner_id, flag, *values in self.env.execute_query(
                SQL(" UNION ALL ").join(parts)
            ):
                rows[kind, partner_id, flag] = values
        empty = (0, None, None, None, None)
        Level = self.env["crm_extended.reminder.level"]
        for partner in self:
            commercial_id = partner.commercial_partner_id.id
            closed, closed_avg = rows.get(("complaint", commercial_id, True), empty)[:2]
            open_count = rows.get(("complaint", commercial_id, False), empty)[0]
            partner.card_invoice_total_count = rows.get(
                ("invoice", commercial_id, None), empty
            )[0]
            partner.card_contract_count = rows.get(
                ("contract", commercial_id, None), empty
            )[0]
            partner.card_complaint_count = closed + open_count
            partner.card_complaint_open_count = open_count
            partner.card_complaint_avg_days = closed_avg or 0.0
            partner.registry_check_count = rows.get(
                ("registry", partner.id, None), empty
            )[0]
            calls, missed, last_call = rows.get(("call", commercial_id, None), empty)[
                :3
            ]
            partner.crm_call_count = calls
            partner.crm_call_missed_count = int(missed or 0)
            partner.crm_call_last_date = last_call or False
            partner.crm_reminder_count = rows.get(
                ("reminder", commercial_id, None), empty
            )[0]
            sent = rows.get(("reminder_sent", commercial_id, None), empty)
            partner.crm_reminder_date = sent[3] or False
            partner.crm_reminder_level_id = Level.browse(sent[4])
