from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .telephony_common import setup_telephony


@tagged("post_install", "-at_install")
class TestTelephonyLookup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)

    def test_numbers_are_stored_in_e164(self):
        self.assertEqual(self.caller_company.crm_phone_normalized, "+421212345678")
        self.assertEqual(self.caller_contact.crm_mobile_normalized, "+421905123456")
        self.caller_contact.phone = "0903 111 222"
        self.assertEqual(self.caller_contact.crm_phone_normalized, "+421903111222")
        self.caller_contact.phone = False
        self.assertFalse(self.caller_contact.crm_phone_normalized)

    def test_country_change_renormalizes(self):
        partner = self.env["res.partner"].create(
            {"name": "Praha Caller", "phone": "602 123 456"}
        )
        partner.country_id = self.env.ref("base.cz")
        self.assertEqual(partner.crm_phone_normalized, "+420602123456")

    def test_lookup_prefers_contact_person(self):
        partner_model = self.env["res.partner"]
        self.assertEqual(
            partner_model._crm_find_caller("+421212345678", self.tel_company),
            self.caller_contact,
        )
        self.assertEqual(
            partner_model._crm_find_caller("+421905123456"), self.caller_contact
        )
        self.assertFalse(partner_model._crm_find_caller("+421999999999"))
        self.assertFalse(partner_model._crm_find_caller(False))

    def test_lookup_ignores_partners_of_other_companies(self):
        other_company = self.env["res.company"].create({"name": "Other Phone Co"})
        self.env["res.partner"].create(
            {
                "name": "Elsewhere",
                "phone": "+421 907 000 111",
                "company_id": other_company.id,
            }
        )
        self.assertFalse(
            self.env["res.partner"]._crm_find_caller("+421907000111", self.tel_company)
        )

    def test_lookup_is_one_query_whatever_the_number_of_partners(self):
        partner_model = self.env["res.partner"]
        partner_model._crm_find_caller("+421905123456", self.tel_company)  # warm-up
        with self.assertQueryCount(1):
            partner_model._crm_find_caller("+421905123456", self.tel_company)
        partner_model.create(
            [{"name": f"Filler {n}", "phone": f"+421 905 {n:06d}"} for n in range(200)]
        )
        self.env.flush_all()
        with self.assertQueryCount(1):
            found = partner_model._crm_find_caller("+421905123456", self.tel_company)
        self.assertEqual(found, self.caller_contact)

    def test_lookup_uses_the_indexes_among_100000_partners(self):
        """The planner picks the number indexes, not a scan, on a large table."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'res_partner'
                  AND column_name NOT IN ('id', 'name', 'complete_name',
                                          'crm_phone_normalized')"""
        )
        columns = [SQL.identifier(row[0]) for row in cr.fetchall()]
        # 100,000 copies of one partner, each with its own number, in one statement.
        cr.execute(
            SQL(
                """INSERT INTO res_partner
                          (name, complete_name, crm_phone_normalized, %s)
                   SELECT 'Bulk ' || n, 'Bulk ' || n,
                          '+4219' || lpad(n::text, 8, '0'), %s
                     FROM res_partner, generate_series(1, 100000) n
                    WHERE res_partner.id = %s""",
                SQL(", ").join(columns),
                SQL(", ").join(SQL("res_partner.%s", column) for column in columns),
                self.caller_company.id,
            )
        )
        cr.execute("ANALYZE res_partner")
        partner_model = self.env["res.partner"]
        with self.assertQueryCount(1):
            found = partner_model._crm_find_caller("+421900050000", self.tel_company)
        self.assertEqual(found.name, "Bulk 50000")
        query = partner_model._search(
            partner_model._crm_caller_domain("+421900050000", self.tel_company),
            order="is_company, id",
            limit=1,
        )
        cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in cr.fetchall())
        self.assertIn("res_partner__crm_phone_normalized_index", plan)
        self.assertIn("res_partner__crm_mobile_normalized_index", plan)
        self.assertNotIn("Seq Scan on res_partner", plan)
