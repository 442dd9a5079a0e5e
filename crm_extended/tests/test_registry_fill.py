from odoo.tests import Form, tagged

from .registry_common import RegistryTestCommon


@tagged("post_install", "-at_install")
class TestRegistryFill(RegistryTestCommon):
    def _wizard(self, **values):
        return self.env["crm_extended.registry.fill"].create(values)

    def test_new_company_from_ico(self):
        wizard = self._wizard(
            country_id=self.env.ref("base.cz").id, identifier="26000008"
        )
        wizard.action_lookup()
        self.assertEqual(wizard.state, "compare")
        action = wizard.action_apply()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.name, "Strojírna Brno s.r.o. v likvidaci")
        self.assertEqual(partner.registry_legal_form, "Společnost s ručením omezeným")
        self.assertEqual(partner.vat, "CZ26000008")
        self.assertEqual(partner.company_registry, "26000008")
        self.assertEqual(
            (partner.street, partner.zip, partner.city), ("Křenová 57", "60200", "Brno")
        )
        self.assertEqual(partner.country_id, self.env.ref("base.cz"))

    def test_new_company_from_polish_vat(self):
        wizard = self._wizard(identifier="PL 526-020-23-93")
        wizard.action_lookup()
        partner = self.env["res.partner"].browse(wizard.action_apply()["res_id"])
        self.assertEqual(partner.name, "JEDEN SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ")
        self.assertEqual(partner.zip, "00-189")

    def test_existing_company_updates_only_ticked_fields(self):
        self.cez.write({"name": "CEZ", "street": "Old street 1", "city": "Praha"})
        wizard = self._wizard(partner_id=self.cez.id)
        self.assertEqual(wizard.identifier, "45274649")
        wizard.action_lookup()
        by_field = {line.field_name: line for line in wizard.line_ids}
        # Only differences are shown.
        self.assertNotIn("city", by_field)
        self.assertEqual(by_field["name"].current_value, "CEZ")
        self.assertEqual(by_field["name"].registry_value, "ČEZ, a. s.")
        by_field["name"].apply = False
        wizard.action_apply()
        self.assertEqual(self.cez.name, "CEZ")
        self.assertEqual(self.cez.street, "Duhová 1444/2")

    def test_unknown_company_and_outage_say_why(self):
        wizard = self._wizard(
            country_id=self.env.ref("base.cz").id, identifier="26000032"
        )
        with self.assertRaisesRegex(Exception, "does not know"):
            wizard.action_lookup()
        self.replay.scenarios["cz_ares"] = "http_503"
        wizard = self._wizard(
            country_id=self.env.ref("base.cz").id, identifier="45274649"
        )
        with self.assertRaisesRegex(Exception, "HTTP 503"):
            wizard.action_lookup()

    def test_wizard_form_opens_for_salesperson(self):
        form = Form(
            self.env["crm_extended.registry.fill"].with_user(self.user_salesperson)
        )
        form.identifier = "CZ45274649"
        wizard = form.save()
        wizard.action_lookup()
        self.assertTrue(wizard.line_ids)
