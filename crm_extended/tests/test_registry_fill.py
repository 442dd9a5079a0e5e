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

    def test_unknown_company_says_so_and_offers_manual_entry(self):
        wizard = self._wizard(
            country_id=self.env.ref("base.cz").id, identifier="26000032"
        )
        wizard.action_lookup()
        self.assertEqual(wizard.state, "manual")
        self.assertIn("ARES does not know 26000032", wizard.message)

    def test_outage_falls_back_to_vies(self):
        self.replay.scenarios["cz_ares"] = "http_503"
        wizard = self._wizard(
            country_id=self.env.ref("base.cz").id, identifier="45274649"
        )
        wizard.action_lookup()
        self.assertEqual((wizard.state, wizard.registry_name), ("compare", "VIES"))
        self.assertEqual(
            wizard.message,
            ("ARES cannot be reached now; the values below come from VIES."),
        )
        self.assertNotIn("HTTP", wizard.message)
        values = {line.field_name: line.registry_value for line in wizard.line_ids}
        self.assertEqual(values["name"], "ČEZ, a. s.")
        [request] = self.replay.requests_to("eu_vies")
        self.assertEqual(request["path"], "/ms/CZ/vat/45274649")

    def test_everything_down_goes_on_by_hand_with_the_typed_number(self):
        self.replay.scenarios.update({"sk_rpo": "slow", "eu_vies": "http_503"})
        wizard = self._wizard(
            country_id=self.env.ref("base.sk").id, identifier="SK2020317068"
        )
        wizard.action_lookup()  # a VAT number: VIES first
        self.assertEqual(wizard.state, "manual")
        self.assertEqual(
            wizard.message,
            "VIES cannot be reached now. Enter the company by hand: SK2020317068 "
            "is kept.",
        )
        action = wizard.action_manual()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["context"]["default_vat"], "SK2020317068")
        self.assertEqual(
            action["context"]["default_country_id"], self.env.ref("base.sk").id
        )
        wizard = self._wizard(
            country_id=self.env.ref("base.sk").id, identifier="31333532"
        )
        wizard.action_lookup()
        self.assertIn("RPO cannot be reached now", wizard.message)
        self.assertEqual(
            wizard.action_manual()["context"]["default_company_registry"], "31333532"
        )

    def test_macedonian_company_is_told_the_truth(self):
        vardar = self.new_company("Вардар ДООЕЛ", self.env.ref("base.mk"), "7012345")
        wizard = self._wizard(partner_id=vardar.id)
        wizard.action_lookup()
        self.assertEqual(wizard.state, "manual")
        self.assertIn("has no public registry", wizard.message)
        self.assertNotIn("Type an IČO", wizard.message)
        self.assertFalse(self.replay.requests)
        # The card is already filled: going on by hand just closes the wizard.
        self.assertEqual(wizard.action_manual()["type"], "ir.actions.act_window_close")

    def test_wizard_form_opens_for_salesperson(self):
        form = Form(
            self.env["crm_extended.registry.fill"].with_user(self.user_salesperson)
        )
        form.identifier = "CZ45274649"
        wizard = form.save()
        wizard.action_lookup()
        self.assertTrue(wizard.line_ids)
