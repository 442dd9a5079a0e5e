"""One test per role × model × operation and per role × sensitive field × operation,
generated from the table in access_matrix.py."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..registries.result import RegistryResult
from .access_matrix import (
    FIELD_ROWS,
    MODEL_OPERATIONS,
    MODEL_ROWS,
    OWN_CUSTOMER_FACTORIES,
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
        cls.provider_ares = cls.env["crm_extended.registry.provider"].search(
            [("code", "=", "cz_ares")], limit=1
        )
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

    # Record factories named in access_matrix.py: values_<name>(partner) gives the
    # values of one record of that customer; make_<name>(partner) creates it as the
    # system in the main company. ----------------------------------------------------
    def _new_customer(self):
        return self.env["res.partner"].create(
            {
                "name": "Matrix customer",
                "is_company": True,
                "user_id": self.role_users["salesperson_own"].id,
            }
        )

    def make_customer(self, partner=None):
        return partner or self.customer

    def values_contract(self, partner):
        return {
            "number": f"C-{partner.id}",
            "subject": "Maintenance",
            "partner_id": partner.id,
            "company_id": self.company.id,
            "date_start": "2026-01-01",
            "date_end": "2026-12-31",
        }

    def values_complaint(self, partner):
        return {
            "name": "Broken delivery",
            "partner_id": partner.id,
            "company_id": self.company.id,
        }

    def values_pbx(self, partner):
        return {"name": f"Matrix PBX {partner.id}", "company_id": self.company.id}

    def values_call(self, partner):
        return {
            "pbx_id": self.make_pbx(partner).id,
            "external_id": f"matrix-{partner.id}",
            "direction": "inbound",
            "number": "+421905123456",
            "partner_id": partner.id,
        }

    def values_registry_provider(self, partner):
        return {"name": "Matrix ARES", "code": "cz_ares", "base_url": "http://x"}

    def values_registry_check(self, partner):
        result = RegistryResult(
            provider="cz_ares",
            query="27183955",
            outcome="found",
            raw=b'{"ico": "27183955"}',
            content_type="application/json",
        )
        return self.env["crm_extended.registry.check"]._values_from_result(
            partner, self.provider_ares, result
        )

    def values_payment_snapshot(self, partner):
        return {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "month": "2026-01-01",
            "paid_amount": 300.0,
            "avg_days_late": 4.0,
            "on_time_ratio": 0.5,
        }

    def values_campaign(self, partner):
        return {"name": f"Matrix fair {partner.id}", "budget": 1000, "actual_cost": 800}

    def values_campaign_member(self, partner):
        return {
            "campaign_id": self.make_campaign(partner).id,
            "partner_id": partner.id,
        }

    def values_competitor(self, partner):
        return {"name": f"Matrix rival {partner.id}"}

    def values_sales_target(self, partner):
        return {
            "team_id": self.env["crm.team"]
            .create(
                {"name": f"Matrix team {partner.id}", "company_id": self.company.id}
            )
            .id,
            "month": "2026-01-01",
            "amount": 1000.0 + partner.id,
            "company_id": self.company.id,
        }

    def _make(self, name, partner=None):
        # The customer's payment history is rebuilt from its books when they change,
        # so snapshots and other records get a customer of their own.
        partner = partner or self._new_customer()
        model = {
            "contract": "crm_extended.contract",
            "complaint": "crm_extended.complaint",
            "pbx": "crm_extended.pbx",
            "call": "crm_extended.call",
            "registry_check": "crm_extended.registry.check",
            "payment_snapshot": "crm_extended.payment.snapshot",
            "campaign": "utm.campaign",
            "campaign_member": "crm_extended.campaign.member",
            "competitor": "crm_extended.competitor",
            "sales_target": "crm_extended.sales.target",
        }[name]
        values = getattr(self, f"values_{name}")(partner)
        return (
            self.env[model]
            .sudo()
            .with_context(crm_registry_evidence=True)
            .create(values)
            .with_env(self.env)
        )

    def make_contract(self, partner=None):
        return self._make("contract", partner)

    def make_complaint(self, partner=None):
        return self._make("complaint", partner)

    def make_pbx(self, partner=None):
        return self._make("pbx", partner)

    def make_call(self, partner=None):
        return self._make("call", partner)

    def make_registry_check(self, partner=None):
        return self._make("registry_check", partner)

    def make_payment_snapshot(self, partner=None):
        return self._make("payment_snapshot", partner)

    def make_campaign(self, partner=None):
        return self._make("campaign", partner)

    def make_campaign_member(self, partner=None):
        return self._make("campaign_member", partner)

    def make_competitor(self, partner=None):
        return self._make("competitor", partner)

    def make_sales_target(self, partner=None):
        return self._make("sales_target", partner)

    def make_registry_provider(self, partner=None):
        return self.provider_ares

    def test_own_customers_only_hides_other_salespeoples_customers(self):
        other_customer = self.env["res.partner"].create(
            {
                "name": "Someone else's customer",
                "is_company": True,
                "user_id": self.user_manager.id,
            }
        )
        for factory in OWN_CUSTOMER_FACTORIES:
            with self.subTest(factory=factory):
                record = getattr(self, factory)(other_customer)
                mine = getattr(self, factory)(self.customer)
                for role, sees in (
                    ("salesperson_own", False),
                    ("salesperson_all", True),
                    ("accountant", True),
                ):
                    found = self._as(role, record).search([("id", "=", record.id)])
                    self.assertEqual(bool(found), sees, f"{role} on {record._name}")
                self.assertTrue(
                    self._as("salesperson_own", mine).search([("id", "=", mine.id)])
                )

    def test_own_customers_setting_puts_salespeople_in_the_group(self):
        group = self.env.ref("crm_extended.group_card_own_customers_only")
        admin_env = self.env(user=self.env.ref("base.user_admin"))
        settings = admin_env["res.config.settings"].create(
            {"group_card_own_customers_only": True}
        )
        settings.execute()
        self.env.invalidate_all()
        self.assertIn(group, self.role_users["salesperson_all"].groups_id)
        settings = admin_env["res.config.settings"].create(
            {"group_card_own_customers_only": False}
        )
        settings.execute()
        self.env.invalidate_all()
        self.assertNotIn(group, self.role_users["salesperson_all"].groups_id)

    def test_partner_with_evidence_cannot_be_deleted(self):
        self.make_registry_check(self.customer)
        with self.assertRaisesRegex(UserError, "archive"):
            self.customer.unlink()
        self.assertTrue(self.customer.exists())

    # Helpers -------------------------------------------------------------------------
    def _as(self, role, records):
        user = self.role_users[role].sudo()
        return records.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    def _attempt(self, operation, records, fields=None, factory_name=""):
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
                        # Always true, but filtering on the field needs access to it.
                        domain += [
                            "|",
                            (fields[0], "=", False),
                            (fields[0], "!=", False),
                        ]
                    if not model.search(domain):
                        return False
                elif operation == "read_group":
                    groups = model.read_group(
                        [("id", "in", records.ids)],
                        [f"{f}:sum" for f in fields if f != "display_name"] or [],
                        ["create_uid"],
                    )
                    if not sum(group["create_uid_count"] for group in groups):
                        return False
                elif operation == "order":
                    if not model.search([("id", "in", records.ids)], order=fields[0]):
                        return False
                elif operation == "export":
                    records.export_data(fields)
                elif operation == "write":
                    records.write(self._write_values(records))
                elif operation == "create":
                    factory = factory_name.removeprefix("make_")
                    values = getattr(self, f"values_{factory}")(self._new_customer())
                    try:
                        with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                            model.create(values)
                    except IntegrityError:
                        return True  # the insert ran: access was granted
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
        allowed = self._attempt(
            operation, self._as(role, records), factory_name=row.factory
        )
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
