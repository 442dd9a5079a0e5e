from odoo.tests import TransactionCase, tagged

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

    def test_lookup_uses_the_index(self):
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            """EXPLAIN SELECT id FROM res_partner
                WHERE crm_phone_normalized = %s OR crm_mobile_normalized = %s""",
            ["+421905123456", "+421905123456"],
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("res_partner__crm_phone_normalized_index", plan)
        self.assertIn("res_partner__crm_mobile_normalized_index", plan)
