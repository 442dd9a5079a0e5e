"""One test per role × model × operation and per role × sensitive field × operation,
generated from the table in access_matrix.py."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .access_matrix import (
    FIELD_ROWS,
    MODEL_OPERATIONS,
    MODEL_ROWS,
    ROLES,
)
from .common import CardTestCommon

DENIED = (AccessError, UserError, ValidationError)


@tagged("post_install", "-at_install")
class TestAccessMatrix(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Card Co"})
        main = [Command.set(cls.company.ids)]
        # Export rights are given to everyone: the matrix shows that the fields
        # themselves, not the export button, stop a leak.
        sales = "base.group_user,base.group_allow_export,crm_extended.group_card_user"
        cls.role_users = {
            "salesperson_own": new_test_user(
                cls.env,
                login="matrix_sales_own",
                groups=sales + ",crm_extended.group_card_own_customers_only",
                company_id=cls.company.id,
                company_ids=main,
            ),
            "salesperson_all": new_test_user(
                cls.env,
                login="matrix_sales_all",
                groups=sales,
                company_id=cls.company.id,
                company_ids=main,
            ),
            "accountant": cls.user_accountant,
            "manager": cls.user_manager,
            "internal": cls.user_internal,
            "portal": new_test_user(
                cls.env,
                login="matrix_portal",
                groups="base.group_portal",
                company_id=cls.company.id,
                company_ids=main,
            ),
            "public": cls.env.ref("base.public_user"),
            "other_company": new_test_user(
                cls.env(su=True),
                login="matrix_other_company",
                groups="base.group_user,base.group_allow_export,"
                "crm_extended.group_card_manager",
                company_id=cls.other_company.id,
                company_ids=[Command.set(cls.other_company.ids)],
            ),
        }
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.user_accountant, cls.user_manager, cls.user_internal):
            user.groups_id = [Command.link(export.id)]
        # salesperson_own's customer: the records of every row belong to it.
        cls.customer.user_id = cls.role_users["salesperson_own"]
        cls.post_invoice(cls.customer, 500.0, "2026-01-10", due_date="2026-01-20")

    def test_other_company_sees_only_its_own_figures(self):
        customer = self._as("other_company", self.customer)
        self.assertEqual(customer.card_open_balance, 0.0)
        self.assertEqual(self._as("manager", self.customer).card_open_balance, 500.0)

    def test_template_cannot_print_amounts_a_role_may_not_read(self):
        editor = self.env.ref("mail.group_mail_template_editor")
        salesperson = self.role_users["salesperson_all"]
        salesperson.groups_id = [Command.link(editor.id)]
        self.user_accountant.groups_id = [Command.link(editor.id)]
        for engine, source in (
            ("inline_template", "{{ object.card_open_balance }}"),
            ("qweb", '<t t-out="object.commercial_partner_id.card_overdue_balance"/>'),
        ):
            with self.subTest(engine=engine):
                renderer = self.env["mail.render.mixin"].with_user(salesperson)
                with self.assertRaises(AccessError):
                    renderer._render_template(
                        source, "res.partner", self.customer.ids, engine=engine
                    )
                rendered = (
                    self.env["mail.render.mixin"]
                    .with_user(self.user_accountant)
                    ._render_template(
                        source, "res.partner", self.customer.ids, engine=engine
                    )
                )
                self.assertIn("500", str(rendered[self.customer.id]))

    # Record factories named in access_matrix.py -----------------------------------
    def make_customer(self):
        return self.customer

    # Helpers -------------------------------------------------------------------------
    def _as(self, role, records):
        user = self.role_users[role].sudo()
        return records.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    def _attempt(self, operation, records, fields=None):
        """Run one operation; return True if allowed, False if refused."""
        model = records.env[records._name]
        fields = list(fields or ["display_name"])
        try:
            with self.env.cr.savepoint():
                if operation == "read":
                    records.read(fields)
                elif operation == "search":
                    domain = [("id", "in", records.ids)]
                    if fields != ["display_name"]:
                        domain.append((fields[0], "!=", False))
                        model.search(domain)
                    elif not model.search(domain):
                        return False
                elif operation == "read_group":
                    model.read_group(
                        [("id", "in", records.ids)],
                        [f"{f}:sum" for f in fields if f != "display_name"] or [],
                        ["create_uid"],
                    )
                elif operation == "order":
                    model.search([("id", "in", records.ids)], order=fields[0])
                elif operation == "export":
                    records.export_data(fields)
                elif operation == "write":
                    records.write(self._write_values(records))
                elif operation == "create":
                    records.copy_data()
                    model.create(records.sudo().copy_data())
                elif operation == "unlink":
                    records.unlink()
                    records.env.flush_all()
        except DENIED:
            return False
        return True

    def _write_values(self, records):
        for name in ("note", "name", "description", "comment"):
            field = records._fields.get(name)
            if field and field.type in ("char", "text", "html") and not field.readonly:
                return {name: "changed by the access test"}
        return {}


def _model_test(row, role, operation):
    def test(self):
        records = getattr(self, row.factory)()
        expected = role in row.allowed.get(operation, ())
        allowed = self._attempt(operation, self._as(role, records))
        self.assertEqual(
            allowed,
            expected,
            f"{role} {'could' if allowed else 'could not'} {operation} {row.model}",
        )

    return test


def _field_test(row, role, operation):
    def test(self):
        records = getattr(self, row.factory)()
        expected = role in row.readers
        allowed = self._attempt(operation, self._as(role, records), row.fields)
        self.assertEqual(
            allowed,
            expected,
            f"{role} {'could' if allowed else 'could not'} {operation} "
            f"{row.model}.{'/'.join(row.fields)}",
        )

    return test


def _slug(model):
    return model.replace(".", "_")


for _row in MODEL_ROWS:
    for _role in ROLES:
        for _operation in MODEL_OPERATIONS:
            setattr(
                TestAccessMatrix,
                f"test_model_{_slug(_row.model)}_{_role}_{_operation}",
                _model_test(_row, _role, _operation),
            )
for _row in FIELD_ROWS:
    for _role in ROLES:
        for _operation in _row.operations:
            setattr(
                TestAccessMatrix,
                f"test_field_{_slug(_row.model)}_{'_'.join(_row.fields)}"
                f"_{_role}_{_operation}",
                _field_test(_row, _role, _operation),
            )
