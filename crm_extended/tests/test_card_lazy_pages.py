"""The card's costly secondary tabs are forms of their own, read when shown.

Opening the card reads every field of its form view (Odoo's web client reads all
notebook pages although it renders only the active one), so the Items & Prices,
Contracts & Complaints, Communications, Campaigns and Pipeline tabs hold a widget
that loads their own form view of the partner when the tab is opened
(crm_card_lazy_page). The card's form
must no longer carry these tabs' fields, the pages' views must, with the groups
the tabs had, and reading a page costs the same queries whatever the history.
"""

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon

PAGES = {
    "crm_card_items": (
        "crm_extended.view_partner_card_page_items",
        {"card_top_items_html"},
    ),
    "crm_card_communications": (
        "crm_extended.view_partner_card_page_communications",
        {"card_timeline_ids", "card_touch_html"},
    ),
    "crm_card_contracts": (
        "crm_extended.view_partner_card_page_contracts",
        {
            "card_contract_ids",
            "card_complaint_ids",
            "card_complaint_open_count",
            "card_complaint_avg_days",
            "card_satisfaction_html",
        },
    ),
    "crm_card_campaigns": (
        "crm_extended.view_partner_card_page_campaigns",
        {"card_campaign_member_ids"},
    ),
    "crm_card_pipeline": (
        "crm_extended.view_partner_card_page_pipeline",
        {
            "card_open_lead_ids",
            "card_lead_open_count",
            "card_offer_count_12m",
            "card_win_rate_12m",
            "card_days_to_win_12m",
        },
    ),
}

# A salesperson's reading of each page, whatever the customer's history: the
# partner, then a grouped read or a search per list or figure group, and the
# names of the rows' related records.
PAGE_QUERIES = {
    "crm_card_items": 11,
    "crm_card_contracts": 11,  # 13 before the counts were one statement
    "crm_card_communications": 7,
    "crm_card_campaigns": 3,
    "crm_card_pipeline": 12,
}


def page_spec(env, view_xmlid):
    """The specification the web client reads for a page view: its fields, with
    the columns and the limit of its lists."""
    view = env.ref(view_xmlid)
    arch = etree.fromstring(
        env["res.partner"].get_views([(view.id, "form")])["views"]["form"]["arch"]
    )
    spec = {}
    for node in arch.iter("field"):
        if any(parent.tag == "list" for parent in node.iterancestors()):
            continue
        columns = node.find("list")
        if columns is None:
            spec[node.get("name")] = {}
            continue
        spec[node.get("name")] = {
            "fields": {column.get("name"): {} for column in columns.iter("field")},
            "limit": int(columns.get("limit", 40)),
        }
    return spec


@tagged("post_install", "-at_install")
class TestCardLazyPages(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_seller = new_test_user(
            cls.env,
            login="card_lazy_seller",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "crm_extended.group_card_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.small = cls.env["res.partner"].create(
            {"name": "Small Lazy s.r.o.", "is_company": True}
        )
        cls.big = cls.env["res.partner"].create(
            {"name": "Big Lazy a.s.", "is_company": True}
        )
        # The same shape for both (three contact people, rows of every kind for
        # each of them): only the number of rows differs.
        for partner, count in ((cls.small, 3), (cls.big, 15)):
            people = cls.env["res.partner"].create(
                [
                    {"name": f"{partner.name} contact {index}", "parent_id": partner.id}
                    for index in range(3)
                ]
            )
            cls.env["crm_extended.contract"].create(
                [
                    {
                        "number": f"{partner.id}-C-{index}",
                        "subject": f"Contract {index}",
                        "partner_id": partner.id,
                        "date_start": "2025-05-01",
                        "date_end": "2026-04-30",
                        "value": 1000.0 * (index + 1),
                        "state": "running",
                    }
                    for index in range(count)
                ]
            )
            cls.env["crm_extended.complaint"].create(
                [
                    {
                        "name": f"Complaint {index}",
                        "partner_id": people[index % len(people)].id,
                    }
                    for index in range(count)
                ]
            )
            cls.env["crm.lead"].create(
                [
                    {
                        "name": f"Deal {index}",
                        "type": "opportunity",
                        "partner_id": people[index % len(people)].id,
                        "expected_revenue": 500.0 * (index + 1),
                        "user_id": cls.user_seller.id,
                    }
                    for index in range(count)
                ]
            )
            for index in range(count):
                partner.message_post(
                    body=f"Call notes {index}",
                    subject=f"Call {index} with {partner.name}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    def card_views(self, user):
        return self.env["res.partner"].with_user(user).get_views([(False, "form")])

    def test_card_form_no_longer_reads_the_pages(self):
        """The card's form has the tabs, each with its page view, not their fields."""
        for user in (self.user_accountant, self.user_seller):
            views = self.card_views(user)
            arch = etree.fromstring(views["views"]["form"]["arch"])
            card_fields = set(views["models"]["res.partner"]["fields"])
            self.assertIn("card_turnover_12m", card_fields)
            for page_name, (view_xmlid, page_fields) in PAGES.items():
                if page_name == "crm_card_pipeline" and user != self.user_seller:
                    continue
                with self.subTest(user=user.login, page=page_name):
                    [page] = arch.xpath(f"//page[@name='{page_name}']")
                    [widget] = page.xpath("./widget[@name='crm_card_lazy_page']")
                    self.assertEqual(
                        int(widget.get("view_id")), self.env.ref(view_xmlid).id
                    )
                    on_page = {field.get("name") for field in page.iter("field")}
                    self.assertFalse(page_fields & on_page)
                    self.assertFalse(page_fields & card_fields)
                    page_view = (
                        self.env["res.partner"]
                        .with_user(user)
                        .get_views([(self.env.ref(view_xmlid).id, "form")])
                    )
                    self.assertLessEqual(
                        page_fields, set(page_view["models"]["res.partner"]["fields"])
                    )

    def test_pages_keep_the_groups_of_their_tabs(self):
        """Without the card role there is no tab, and the page view shows nothing."""
        for page_name, (view_xmlid, page_fields) in PAGES.items():
            with self.subTest(page=page_name):
                arch = self.card_views(self.user_internal)["views"]["form"]["arch"]
                self.assertNotIn(f'name="{page_name}"', arch)
                page_view = (
                    self.env["res.partner"]
                    .with_user(self.user_internal)
                    .get_views([(self.env.ref(view_xmlid).id, "form")])
                )
                page_arch = etree.fromstring(page_view["views"]["form"]["arch"])
                shown = {node.get("name") for node in page_arch.iter("field")}
                self.assertFalse(page_fields & shown)
        # The pipeline is for salespeople, who read the CRM: not for an accountant.
        arch = self.card_views(self.user_accountant)["views"]["form"]["arch"]
        self.assertNotIn('name="crm_card_pipeline"', arch)

    def test_pages_show_the_customers_records(self):
        """Reading a page gives what the tab showed: the customer's rows."""
        seller = self.env["res.partner"].with_user(self.user_seller)
        values = {}
        for view_xmlid, _fields in PAGES.values():
            values.update(
                seller.browse(self.big.id).web_read(page_spec(seller.env, view_xmlid))[
                    0
                ]
            )
        self.assertEqual(
            sorted(row["subject"] for row in values["card_contract_ids"]),
            sorted(f"Contract {index}" for index in range(15)),
        )
        self.assertEqual(len(values["card_complaint_ids"]), 15)
        self.assertEqual(values["card_lead_open_count"], 15)
        self.assertEqual(len(values["card_open_lead_ids"]), 15)
        summaries = {row["summary"] for row in values["card_timeline_ids"]}
        self.assertIn("Call 14 with Big Lazy a.s.", summaries)
        self.assertNotIn("Call 0 with Small Lazy s.r.o.", summaries)

    @freeze_time("2026-03-15")
    def test_page_reads_do_not_grow_with_history(self):
        """Each page costs the same queries for 3 or 15 records of each kind."""
        env = self.env(user=self.user_seller)
        Partner = env["res.partner"]

        def count_queries(partner, spec):
            env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            Partner.browse(partner.id).web_read(spec)
            return self.cr.sql_log_count - before

        for page_name, (view_xmlid, _fields) in PAGES.items():
            spec = page_spec(env, view_xmlid)
            for partner in (self.small, self.big):  # warm-up: access rights, caches
                env.invalidate_all()
                Partner.browse(partner.id).web_read(spec)
            with self.subTest(page=page_name):
                self.assertEqual(
                    count_queries(self.big, spec), count_queries(self.small, spec)
                )
                env.invalidate_all()
                self.env.flush_all()
                with self.assertQueryCount(PAGE_QUERIES[page_name]):
                    Partner.browse(self.big.id).web_read(spec)
