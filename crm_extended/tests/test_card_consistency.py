"""The card does not contradict itself: amounts carry their currency, counts
agree with the lists they open, campaign leads include the won opportunities,
and numbers inside sentences are written the reader's way."""

import json

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .test_campaign_results import CampaignTestCommon


def top_level_fields(arch):
    """Names of the fields of the form's own record (not of its sub-views)."""
    tree = etree.fromstring(arch)
    return {
        node.get("name")
        for node in tree.iter("field")
        if not any(parent.tag == "field" for parent in node.iterancestors())
    }


@tagged("post_install", "-at_install")
class TestCardConsistency(CampaignTestCommon):
    def test_every_amount_on_the_card_has_its_currency(self):
        for user in (self.user_salesperson, self.user_accountant):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            arch = views["views"]["form"]["arch"]
            descriptions = views["models"]["res.partner"]["fields"]
            names = top_level_fields(arch)
            monetary = [
                name
                for name in names
                if descriptions.get(name, {}).get("type") == "monetary"
            ]
            self.assertIn("card_turnover_12m", monetary)
            for name in monetary:
                currency = descriptions[name].get("currency_field") or "currency_id"
                self.assertIn(
                    currency,
                    names,
                    f"{user.login} sees {name} without its currency {currency}",
                )

    def test_margin_is_shown_as_a_percentage(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.user_accountant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        tree = etree.fromstring(arch)
        for suffix in ("this_year", "last_year", "12m"):
            (field,) = tree.xpath(f"//field[@name='card_margin_{suffix}']")
            self.assertEqual(field.getnext().text, "%")

    def test_invoice_button_counts_what_its_list_shows(self):
        company_b = self.setup_other_company(name="Card Consistency B")["company"]
        self.post_invoice(self.customer, 100.0, "2026-01-10")
        self.post_invoice(self.customer_contact, 50.0, "2026-01-11")
        self.post_invoice(self.customer, 70.0, "2026-01-12", company=company_b)
        # The count is a card figure: the reader is a card user who may also
        # read invoices, in two companies.
        billing = new_test_user(
            self.env,
            login="card_billing_two_companies",
            groups="base.group_user,account.group_account_invoice,"
            "crm_extended.group_card_user",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | company_b).ids)],
        )
        env = self.env(
            user=billing,
            context={"allowed_company_ids": [self.company.id, company_b.id]},
        )
        card = self.customer.with_env(env)
        action = card.action_card_invoices()
        shown = env["account.move"].search_count(action["domain"])
        self.assertEqual(card.card_invoice_total_count, 2)
        self.assertEqual(shown, card.card_invoice_total_count)

    def test_won_opportunities_are_leads_of_the_campaign(self):
        campaign = self.fair_campaign
        other_user = new_test_user(
            self.env, login="card_other_seller", groups="sales_team.group_sale_salesman"
        )
        won = self.won_lead(self.people[0], 900.0, campaign)
        won.user_id = other_user
        lost = self.env["crm.lead"].create(
            {"name": "Lost at the fair", "campaign_id": campaign.id}
        )
        lost.action_set_lost()
        self.env["crm.lead"].create(
            {"name": "Open at the fair", "campaign_id": campaign.id}
        )
        company_b = self.setup_other_company(name="Card Leads B")["company"]
        self.env["crm.lead"].create(
            {
                "name": "Elsewhere",
                "campaign_id": campaign.id,
                "company_id": company_b.id,
            }
        )
        for user in (self.user_salesperson, self.user_accountant):
            results = campaign.with_user(user)
            results.invalidate_recordset()
            self.assertEqual(
                (results.lead_count, results.won_count), (3, 1), user.login
            )

    def test_grade_reason_numbers_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("sk_SK")
        data = {
            "reason": "average",
            "grade": "A",
            "avg_days": 1.19,
            "on_time_percent": 80,
            "overdue_days": 0,
            "window_days": 1000,
            "limit_days": 3,
        }
        self.customer.sudo().payment_grade_data = json.dumps(data)
        reason = self.customer.with_context(lang="sk_SK").payment_grade_reason
        self.assertIn("1,19", reason)
        self.assertIn("1\xa0000", reason)
        self.assertNotIn("1.19", reason)
        english = self.customer.with_context(lang="en_US").payment_grade_reason
        self.assertIn("1.19", english)
        self.assertIn("1,000", english)

    def test_grade_reason_reads_as_slovak(self):
        """No "3 dní" (wrong plural after 2-4) and a space before "%" in Slovak."""
        self.env["res.lang"]._activate_lang("sk_SK")
        self.env["ir.module.module"]._load_module_terms(["crm_extended"], ["sk_SK"])
        data = {
            "reason": "average",
            "grade": "B",
            "avg_days": 2,
            "on_time_percent": 80,
            "overdue_days": 0,
            "window_days": 365,
            "limit_days": 3,
        }
        self.customer.sudo().payment_grade_data = json.dumps(data)
        reason = self.customer.with_context(lang="sk_SK").payment_grade_reason
        self.assertIn("Stupeň B", reason)
        self.assertNotIn("3 dní", reason)
        self.assertNotIn("2 dní", reason)
        self.assertIn("80\xa0%", reason.replace(" %", "\xa0%"))
        self.assertNotIn("80%", reason)

    def test_campaign_results_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("sk_SK")
        self.env["ir.module.module"]._load_module_terms(["crm_extended"], ["sk_SK"])
        fair = self.fair_campaign
        self.member(fair, self.people[0], self.st_stand, channel="stand")
        for partner in self.people[1:8]:
            self.member(fair, partner)
        html = str(fair.with_context(lang="sk_SK").response_breakdown)
        self.assertIn("Výstavný stánok", html)
        self.assertNotIn("Exhibition stand", html)
        self.assertIn("12,5\xa0%", html.replace(" %", "\xa0%"))
        self.assertNotIn("12.5", html)

    @freeze_time("2026-03-15")
    def test_monthly_bars_carry_values_and_an_axis_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("sk_SK")
        product = self.env["product.product"].create({"name": "Card bar pump"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.to_date("2026-02-10"),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 2.5,
                            "price_unit": 4938.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        card = self.customer.with_user(self.user_salesperson).with_context(lang="sk_SK")
        trend = str(card.card_trend_html)
        self.assertIn(self.company.currency_id.name, trend)  # the title's currency
        self.assertIn("12,3 k</text>", trend)  # 12 345 above the February bar
        self.assertEqual(trend.count('class="o_crm_card_tick"'), 2)  # 0 and top
        items = str(card.card_top_items_html)
        self.assertIn("<td>2,5</td>", items)
