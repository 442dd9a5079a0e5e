"""A hand-built pipeline for the selling tests (issue 17).

Today is 2026-03-15 in every test: the last 12 months run 2025-03-16..2026-03-15,
the 12 before 2024-03-16..2025-03-15. Company currency amounts.

Customer "Pipeline Customer a.s." (with its contact Eva):
- A  open opportunity, 1000 at 30 %, closing April 2026, created 2026-02-01 (own)
- B  open inquiry (lead) of the contact Eva, 500 at 10 %, created 2026-03-01 (all)
- C  won: created 2025-10-01, won 2025-11-01 (31 days), 2000 (own)
- D  lost to Rival a.s. at 2700 by the contact Eva: created 2025-12-01, lost
     2026-01-10, 3000 (all)
- E  lost without a competitor: created 2024-06-01, lost 2024-07-01, 800 (own)
- F  won in company B: created 2026-01-05, won 2026-02-01, 4000
- G  won by another customer: 9999
"own" is the salesperson who sees only their own documents, "all" the one who
sees all of them.
"""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import CardTestCommon

TODAY = "2026-03-15"


class SellingTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Selling Company B")["company"]
        companies = [Command.set((cls.company | cls.company_b).ids)]
        cls.sales_own = new_test_user(
            cls.env,
            login="selling_own",
            name="Own Salesperson",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.sales_all = new_test_user(
            cls.env,
            login="selling_all",
            name="All Salesperson",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="selling_manager",
            name="Sales Manager",
            groups="base.group_user,sales_team.group_sale_manager,"
            "crm_extended.group_card_manager",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="selling_portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Selling Team", "company_id": cls.company.id}
        )
        cls.stage_new = cls.env["crm.stage"].create({"name": "Selling New"})
        cls.stage_won = cls.env["crm.stage"].create(
            {"name": "Selling Won", "is_won": True, "sequence": 99}
        )
        cls.rival = cls.env["crm_extended.competitor"].create({"name": "Rival a.s."})
        cls.other_rival = cls.env["crm_extended.competitor"].create(
            {"name": "Other Rival s.r.o."}
        )
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})
        cls.pipeline_customer = cls.env["res.partner"].create(
            {"name": "Pipeline Customer a.s.", "is_company": True}
        )
        cls.pipeline_contact = cls.env["res.partner"].create(
            {"name": "Eva Pipeline", "parent_id": cls.pipeline_customer.id}
        )
        cls.other_pipeline_customer = cls.env["res.partner"].create(
            {"name": "Other Pipeline Customer", "is_company": True}
        )
        cls.lead_a = cls.make_lead(
            "A", cls.pipeline_customer, 1000, 30, cls.sales_own, "2026-02-01"
        )
        cls.lead_a.date_deadline = "2026-04-20"
        cls.lead_b = cls.make_lead(
            "B",
            cls.pipeline_contact,
            500,
            10,
            cls.sales_all,
            "2026-03-01",
            lead_type="lead",
        )
        cls.lead_c = cls.make_lead(
            "C", cls.pipeline_customer, 2000, 50, cls.sales_own, "2025-10-01"
        )
        cls.win(cls.lead_c, "2025-11-01 12:00:00")
        cls.lead_d = cls.make_lead(
            "D", cls.pipeline_contact, 3000, 40, cls.sales_all, "2025-12-01"
        )
        cls.lead_d.competitor_ids = cls.rival | cls.other_rival
        cls.lose(cls.lead_d, "2026-01-10 09:00:00", cls.rival, 2700.0)
        cls.lead_e = cls.make_lead(
            "E", cls.pipeline_customer, 800, 20, cls.sales_own, "2024-06-01"
        )
        cls.lose(cls.lead_e, "2024-07-01 09:00:00")
        cls.lead_f = cls.make_lead(
            "F",
            cls.pipeline_customer,
            4000,
            50,
            cls.sales_all,
            "2026-01-05",
            company=cls.company_b,
        )
        cls.win(cls.lead_f, "2026-02-01 10:00:00")
        cls.lead_g = cls.make_lead(
            "G", cls.other_pipeline_customer, 9999, 50, cls.sales_all, "2026-01-05"
        )
        cls.win(cls.lead_g, "2026-02-01 10:00:00")

    @classmethod
    def make_lead(
        cls,
        name,
        partner,
        revenue,
        probability,
        user,
        created,
        lead_type="opportunity",
        company=None,
    ):
        company = company or cls.company
        lead = (
            cls.env["crm.lead"]
            .with_company(company)
            .create(
                {
                    "name": f"Pipeline {name}",
                    "type": lead_type,
                    "partner_id": partner.id,
                    "expected_revenue": revenue,
                    "probability": probability,
                    "user_id": user.id,
                    "team_id": cls.team.id if company == cls.company else False,
                    "company_id": company.id,
                    "stage_id": cls.stage_new.id,
                }
            )
        )
        cls.set_create_date(lead, created)
        return lead

    @classmethod
    def set_create_date(cls, records, created):
        """Backdate records (the ORM stamps the transaction's time)."""
        records.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET create_date = %s WHERE id IN %s",
                SQL.identifier(records._table),
                datetime.fromisoformat(created),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset(["create_date"])

    @classmethod
    def win(cls, lead, when):
        with freeze_time(when):
            lead.write({"stage_id": cls.stage_won.id})
            lead.flush_recordset()

    @classmethod
    def lose(cls, lead, when, competitor=None, price=0.0):
        with freeze_time(when):
            wizard = (
                cls.env["crm.lead.lost"]
                .with_context(active_ids=lead.ids)
                .create(
                    {
                        "lead_ids": [Command.set(lead.ids)],
                        "lost_reason_id": cls.lost_reason.id,
                    }
                )
            )
            wizard.lost_to_competitor_id = competitor
            wizard.competitor_price = price
            wizard.action_lost_reason_apply()
            lead.flush_recordset()
