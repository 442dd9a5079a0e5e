"""Issue 13, case 7: how we rate a customer stays internal. Portal contacts and
users without a card role get none of it, and Odoo's own flows keep working for
them (the matrix in access_matrix.py tries every path field by field)."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CardTestCommon

RATINGS = (
    "payment_grade",
    "payment_grade_reason",
    "payment_avg_days_late",
    "payment_on_time_ratio",
    "registry_status",
    "registry_summary",
)


@tagged("post_install", "-at_install")
class TestRatingsStayInternal(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.sudo().write(
            {"payment_grade": "D", "registry_status": "risk", "registry_summary": "x"}
        )
        cls.customer_contact.write({"crm_contact_role": "gatekeeper"})
        cls.portal = new_test_user(
            cls.env, login="ratings_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.user_internal.groups_id |= cls.env.ref("base.group_partner_manager")

    def test_portal_and_users_without_role_get_no_rating(self):
        for user in (self.portal, self.user_internal):
            customer = self.customer.with_user(user)
            for fname in RATINGS:
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        customer.read([fname])
                    if customer._fields[fname].store:
                        with self.assertRaises(AccessError):
                            customer.search_read([(fname, "!=", False)], ["name"])
            with self.assertRaises(AccessError):
                self.customer_contact.with_user(user).read(["crm_contact_role"])
        for user in (self.portal, self.user_internal):
            Partner = self.env["res.partner"].with_user(user)
            # What read() without field names and fields_get() hand out.
            for names in (
                Partner.check_field_access_rights("read", None),
                Partner.fields_get(),
            ):
                self.assertFalse(set(RATINGS) & set(names))
                self.assertFalse(
                    {"crm_contact_role", "crm_decision_weight"} & set(names)
                )

    def test_salesperson_reads_them(self):
        values = self.customer.with_user(self.user_salesperson).read(list(RATINGS))[0]
        self.assertEqual(
            (values["payment_grade"], values["registry_status"]), ("D", "risk")
        )

    def test_user_without_role_opens_and_edits_partner_forms(self):
        Partner = self.env["res.partner"].with_user(self.user_internal)
        arch = etree.fromstring(
            Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        names = {
            node.get("name") for node in arch.xpath("//field[not(ancestor::field)]")
        }
        self.assertFalse(set(RATINGS) & names)
        self.assertNotIn("crm_contact_role", names)
        spec = {name: {} for name in names if name in Partner._fields}
        for record in (self.customer, self.customer_contact):
            self.assertTrue(record.with_user(self.user_internal).web_read(spec))
        self.customer_contact.with_user(self.user_internal).write({"function": "Buyer"})

    def test_user_without_role_copies_contacts_and_posts_messages(self):
        copy = self.customer_contact.with_user(self.user_internal).copy()
        self.assertFalse(copy.sudo().crm_contact_role)
        self.customer.with_user(self.user_internal).message_post(body="Hello")
        Partner = self.env["res.partner"].with_user(self.user_internal)
        company = Partner.create(
            {
                "name": "New s.r.o.",
                "is_company": True,
                "child_ids": [Command.create({"name": "Eva"})],
            }
        )
        self.assertTrue(company.child_ids)


@tagged("post_install", "-at_install")
class TestPortalPagesWithTheCard(HttpCase):
    def test_portal_contact_opens_its_account_pages(self):
        customer = self.env["res.partner"].create(
            {"name": "Portal Customer a.s.", "is_company": True}
        )
        customer.sudo().write({"payment_grade": "E", "registry_status": "risk"})
        portal = new_test_user(
            self.env, login="ratings_portal_http", groups="base.group_portal"
        )
        portal.partner_id.parent_id = customer
        self.authenticate("ratings_portal_http", "ratings_portal_http")
        for url in ("/my", "/my/account"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("o_error_detail", response.text)
