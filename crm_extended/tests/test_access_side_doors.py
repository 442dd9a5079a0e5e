"""Issue 13 cases 5 and 6, issue 14's global overrides: restricted card fields are
refused however they are spelled, and nothing of ours changes other models."""

from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon

QWEB_SPELLED = (
    """<t t-out="object.commercial_partner_id['card_overdue_' + 'balance']"/>"""
)
README = Path(__file__).resolve().parents[1] / "readme" / "CONFIGURE.md"


@tagged("post_install", "-at_install")
class TestRestrictedFieldsWhateverTheSpelling(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        editor = cls.env.ref("mail.group_mail_template_editor")
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.user_salesperson, cls.user_accountant, cls.user_internal):
            user.groups_id = [Command.link(editor.id), Command.link(export.id)]
        cls.biller = new_test_user(
            cls.env,
            login="side_door_biller",
            groups="account.group_account_invoice,base.group_allow_export,"
            "mail.group_mail_template_editor",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.invoice = cls.post_invoice(
            cls.customer, 500.0, "2026-01-10", due_date="2026-01-20"
        )

    def _render(self, user, source, engine="inline_template", records=None):
        records = records or self.customer
        return (
            self.env["mail.render.mixin"]
            .with_user(user)
            ._render_template(source, records._name, records.ids, engine=engine)
        )

    def assertRefused(self, call):
        """The call fails with an AccessError (rendering wraps it in a UserError)."""
        try:
            with self.env.cr.savepoint():
                call()
        except AccessError:
            return
        except UserError as error:
            # Rendering wraps the refusal (QWeb twice); it must be one.
            causes = []
            while error is not None:
                causes.append(error)
                error = error.__cause__
            self.assertTrue(any(isinstance(e, AccessError) for e in causes), causes)
            return
        self.fail("the call was not refused")

    def test_template_cannot_print_amounts_whatever_the_spelling(self):
        sources = [
            ("inline_template", "{{ object['card_open_' + 'balance'] }}"),
            ("inline_template", "{{ object.card_open_balance }}"),
            ("inline_template", "{{ object.mapped('card_open' + '_balance') }}"),
            ("inline_template", "{{ object.read(['card_open_balance']) }}"),
            (
                "qweb",
                QWEB_SPELLED,
            ),
            ("inline_template", "{{ object.child_ids.parent_id.card_profit_12m }}"),
        ]
        for engine, source in sources:
            with self.subTest(source=source):
                self.assertRefused(
                    lambda engine=engine, source=source: self._render(
                        self.user_salesperson, source, engine
                    )
                )
                rendered = self._render(self.user_accountant, source, engine)
                self.assertNotIn("False", str(rendered[self.customer.id]))

    def test_accountant_template_prints_the_balance(self):
        rendered = self._render(
            self.user_accountant, "{{ object['card_open_' + 'balance'] }}"
        )
        self.assertEqual(rendered[self.customer.id], "500.0")

    def test_templates_of_other_models_render_as_in_core(self):
        template = self.env.ref("account.email_template_edi_invoice")
        for fname in ("subject", "body_html"):
            with self.subTest(field=fname):
                as_user = template.with_user(self.biller)._render_field(
                    fname, self.invoice.ids
                )
                as_system = template.sudo()._render_field(fname, self.invoice.ids)
                self.assertEqual(as_user, as_system)
                self.assertIn(
                    self.invoice.name,
                    str(as_user[self.invoice.id])
                    + str(template.sudo()._render_field("subject", self.invoice.ids)),
                )

    def test_export_refuses_restricted_fields_from_any_model(self):
        moves = self.invoice.with_user(self.biller)
        for path in (
            "partner_id/card_open_balance",
            "partner_id/payment_grade",
            "commercial_partner_id/card_timeline_ids/detail",
            "invoice_line_ids/crm_cost_amount",
        ):
            with self.subTest(path=path), self.assertRaises(AccessError):
                moves.export_data([path])
        self.assertTrue(moves.export_data(["name", "partner_id/name"])["datas"])

    def test_stored_cost_needs_invoicing_and_the_accountant_role(self):
        line = self.invoice.invoice_line_ids
        with self.assertRaises(AccessError):
            line.with_user(self.biller).read(["crm_cost_amount"])
        self.biller.groups_id |= self.env.ref("crm_extended.group_card_accountant")
        self.assertTrue(line.with_user(self.biller).read(["crm_cost_amount"]))

    def test_export_of_records_the_user_may_not_read(self):
        contract = self.env["crm_extended.contract"].create(
            {
                "number": "SD-1",
                "subject": "Secret",
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
            }
        )
        with self.assertRaises(AccessError):
            contract.with_user(self.user_internal).export_data(["subject"])

    def test_product_export_is_odoos_own(self):
        product = self.env["product.product"].create(
            {"name": "Lathe", "default_code": "L-1", "standard_price": 880.0}
        )
        paths = ["name", "default_code", "standard_price", "categ_id/name", "id"]
        as_user = product.with_user(self.user_internal).export_data(paths)
        as_system = product.sudo().export_data(paths)
        self.assertEqual(as_user, as_system)

    def test_no_override_of_ours_on_unrelated_models(self):
        """export_data, template rendering and grouping keep Odoo's code."""
        for model, method in (
            ("product.product", "export_data"),
            ("res.partner", "export_data"),
            ("mail.template", "_render_template"),
            ("mail.compose.message", "_render_template"),
            ("res.partner", "_read_group_groupby"),
            ("res.partner", "_read_group_format_result"),
        ):
            with self.subTest(model=model, method=method):
                owners = [
                    cls.__module__
                    for cls in type(self.env[model]).__mro__
                    if method in vars(cls)
                ]
                self.assertFalse(
                    [owner for owner in owners if "crm_extended" in owner], owners
                )


@tagged("post_install", "-at_install")
class TestCostOfTheCardsOwnReports(CardTestCommon):
    def test_salesperson_gets_quantities_and_turnover_not_the_stored_cost(self):
        product = self.env["product.product"].create(
            {"name": "Press", "standard_price": 60.0, "list_price": 100.0}
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-02-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 3,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        self.env.flush_all()
        Report = self.env["crm_extended.sale.report"].with_user(self.user_salesperson)
        row = Report.search([("move_id", "=", move.id)])
        self.assertEqual((row.quantity, row.turnover), (3.0, 300.0))
        for fname in ("cost", "profit"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                row.read([fname])
        line = move.invoice_line_ids.with_user(self.user_salesperson)
        with self.assertRaises(AccessError):
            line.mapped("crm_cost_amount")
        # What remains derivable is Odoo's own product cost, and the README says so.
        self.assertEqual(product.with_user(self.user_salesperson).standard_price, 60.0)
        readme = README.read_text(encoding="utf-8")
        self.assertIn("standard_price", readme)
        self.assertIn("What a salesperson can still work out", readme)


@tagged("post_install", "-at_install")
class TestImpliedRoles(CardTestCommon):
    def test_core_groups_carry_only_the_roles_they_may_read(self):
        seller = new_test_user(
            self.env, login="roles_seller", groups="sales_team.group_sale_salesman"
        )
        biller = new_test_user(
            self.env, login="roles_biller", groups="account.group_account_invoice"
        )
        accountant = new_test_user(
            self.env, login="roles_accountant", groups="account.group_account_user"
        )
        sales_admin = new_test_user(
            self.env, login="roles_sales_admin", groups="sales_team.group_sale_manager"
        )
        self.assertTrue(seller.has_group("crm_extended.group_card_user"))
        self.assertFalse(seller.has_group("crm_extended.group_card_accountant"))
        for user in (biller, accountant):
            self.assertFalse(user.has_group("crm_extended.group_card_user"), user.login)
        self.assertTrue(sales_admin.has_group("crm_extended.group_card_user"))
        self.assertFalse(sales_admin.has_group("crm_extended.group_card_accountant"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("crm_extended.group_card_manager")
        )
        # The billing user still reads the invoices, not the registry evidence.
        invoice = self.post_invoice(self.customer, 10.0, "2026-01-10")
        self.assertTrue(invoice.with_user(biller).read(["amount_total"]))
        with self.assertRaises(AccessError):
            self.env["crm_extended.registry.check"].with_user(biller).search([])

    def test_readme_says_which_core_group_carries_which_role(self):
        readme = README.read_text(encoding="utf-8")
        for text in ("Sales / User", "Invoicing / Billing", "Sales / Administrator"):
            self.assertIn(text, readme)
