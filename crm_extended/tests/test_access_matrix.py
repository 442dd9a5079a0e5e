"""The access matrix: one test per role and row of access_matrix.py, and tests that
the rows cover every model and restricted field the addon declares in ``ir.model``
and ``ir.model.fields``."""

import base64
import itertools
from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..registries.result import RegistryResult
from .access_matrix import (
    FIELD_OPERATIONS,
    FIELD_ROWS,
    MODEL_OPERATIONS,
    MODEL_ROWS,
    OWN_CUSTOMER_ROWS,
    ROLES,
    TRANSIENT_ROWS,
)
from .common import CardTestCommon

# A report built for the user's companies (account.invoice.report and what is
# made of it) has no row of another company: reading one is a MissingError.
DENIED = (AccessError, MissingError, UserError, ValidationError)
ADDONS = ("crm_extended", "crm_extended_sale")
_SEQUENCE = itertools.count()
FACTORY_MODELS = {
    "contract": "crm_extended.contract",
    "complaint": "crm_extended.complaint",
    "pbx": "crm_extended.pbx",
    "call": "crm_extended.call",
    "registry_check": "crm_extended.registry.check",
    "payment_snapshot": "crm_extended.payment.snapshot",
    "campaign": "utm.campaign",
    "campaign_member": "crm_extended.campaign.member",
    "response_status": "crm_extended.campaign.response.status",
    "complaint_stage": "crm_extended.complaint.stage",
    "segment_axis": "crm_extended.segment.axis",
    "segment_value": "crm_extended.segment.value",
    "competitor": "crm_extended.competitor",
    "sales_target": "crm_extended.sales.target",
    "reminder_level": "crm_extended.reminder.level",
    "reminder": "crm_extended.reminder",
    "reminder_line": "crm_extended.reminder.line",
    "interest_rate": "crm_extended.interest.rate",
    "offset": "crm_extended.offset",
    "offset_line": "crm_extended.offset.line",
    "debtor_list": "crm_extended.debtor.list",
    "debtor_list_version": "crm_extended.debtor.list.version",
    "registry_finding": "crm_extended.registry.finding",
    "partner_drift": "crm_extended.partner.drift",
    "segment_move": "crm_extended.segment.move",
    "contact_cap": "crm_extended.contact.cap",
    "complaint_category": "crm_extended.complaint.category",
    "complaint_cause": "crm_extended.complaint.cause",
}
CAP_COMBINATIONS = [
    (channel, period)
    for channel in ("all", "email", "sms", "phone", "campaign")
    for period in ("day", "week", "month", "quarter")
]


@tagged("post_install", "-at_install")
class TestAccessMatrix(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Card Co"})
        main = [Command.set(cls.company.ids)]
        # Export and template rights are given to every employee: the matrix shows
        # that the fields themselves, not the export button, stop a leak.
        extra = "base.group_allow_export,mail.group_mail_template_editor"
        sales = f"base.group_user,{extra},crm_extended.group_card_user"
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
                groups=f"base.group_user,{extra},crm_extended.group_card_manager",
                company_id=cls.other_company.id,
                company_ids=[Command.set(cls.other_company.ids)],
            ),
        }
        for user in (cls.user_accountant, cls.user_manager, cls.user_internal):
            user.groups_id = [
                Command.link(cls.env.ref("base.group_allow_export").id),
                Command.link(cls.env.ref("mail.group_mail_template_editor").id),
            ]
        cls.provider_ares = cls.env["crm_extended.registry.provider"].search(
            [("code", "=", "cz_ares")], limit=1
        )
        # The demo's evidence keeps the provider from being deleted (as it should);
        # this matrix is about the rights to it, so the test works without it.
        cls.env.cr.execute(
            "DELETE FROM crm_extended_registry_check WHERE provider_id = %s",
            [cls.provider_ares.id],
        )
        # salesperson_own's customer: the records of every row belong to it. The
        # portal user is one of its people, so it reads the customer itself.
        cls.customer.user_id = cls.role_users["salesperson_own"]
        cls.role_users["portal"].partner_id.parent_id = cls.customer
        cls.customer_contact.write(
            {"crm_contact_role": "gatekeeper", "crm_decision_weight": "3"}
        )
        cls.post_invoice(cls.customer, 500.0, "2026-01-10", due_date="2026-01-20")

    # -- Coverage: the table follows the addon -------------------------------------
    def _addon_models(self):
        """Models the addons create (not the ones they extend)."""
        return [
            record.model
            for record in self._addon_records("ir.model")
            if self.env[record.model]._original_module in ADDONS
        ]

    def _addon_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def test_matrix_has_a_row_for_every_model_of_the_addon(self):
        models = {name for name in self._addon_models() if not self.env[name]._abstract}
        rows = {row.model for row in MODEL_ROWS} | {row.model for row in TRANSIENT_ROWS}
        self.assertFalse(
            sorted(models - rows), "models without a row in tests/access_matrix.py"
        )
        self.assertFalse(sorted(rows - models), "rows of models that no longer exist")

    def test_matrix_has_a_row_for_every_restricted_field(self):
        restricted = set()
        for record in self._addon_records("ir.model.fields"):
            field = self.env[record.model]._fields.get(record.name)
            if field is None or not field.groups or field.inherited:
                continue
            # Fields of Odoo's mixins (mail.thread...) keep Odoo's own groups.
            if field._module in ADDONS or "crm_extended." in field.groups:
                restricted.add((record.model, record.name))
        rows = {(row.model, name) for row in FIELD_ROWS for name in row.fields}
        self.assertFalse(
            sorted(restricted - rows),
            "fields with groups= without a row in tests/access_matrix.py",
        )
        self.assertFalse(
            sorted(rows - restricted), "rows of fields that are not restricted"
        )

    def test_fields_inherited_by_users_are_refused_like_the_partners(self):
        """res.users inherits every partner field: the same groups hold there."""
        user = self.role_users["salesperson_all"]
        Users = self.env["res.users"].with_user(self.role_users["internal"])
        for row in FIELD_ROWS:
            if row.model != "res.partner":
                continue
            for name in row.fields:
                with self.subTest(field=name), self.assertRaises(AccessError):
                    Users.browse(user.id).read([name])

    def test_portal_contact_reads_its_company_but_not_how_we_rate_it(self):
        customer = self._as("portal", self.customer)
        self.assertEqual(customer.read(["name"])[0]["name"], self.customer.name)
        for probe in (
            lambda: customer.read(["payment_grade"]),
            lambda: customer.search([("payment_grade", "=", "E")]),
            lambda: customer.payment_grade_reason,
            lambda: self._as("portal", self.customer_contact).crm_contact_role,
        ):
            with self.assertRaises(AccessError):
                probe()

    def test_other_company_sees_only_its_own_figures(self):
        customer = self._as("other_company", self.customer)
        self.assertEqual(customer.card_open_balance, 0.0)
        self.assertEqual(self._as("manager", self.customer).card_open_balance, 500.0)

    # -- Record factories named in access_matrix.py --------------------------------
    # values_<name>(partner) gives the values of one record of that customer;
    # make_<name>(partner) creates it as the system in the main company.
    def _new_customer(self):
        return self.env["res.partner"].create(
            {
                "name": f"Matrix customer {next(_SEQUENCE)}",
                "is_company": True,
                "user_id": self.role_users["salesperson_own"].id,
            }
        )

    def make_customer(self, partner=None):
        return partner or self.customer

    def make_contact_person(self, partner=None):
        return self.customer_contact

    def values_contract(self, partner):
        return {
            "number": f"C-{partner.id}-{next(_SEQUENCE)}",
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
        return {
            "name": f"Matrix PBX {partner.id} {next(_SEQUENCE)}",
            "company_id": self.company.id,
        }

    def values_call(self, partner):
        return {
            "pbx_id": self.make_pbx(partner).id,
            "external_id": f"matrix-{partner.id}-{next(_SEQUENCE)}",
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

    def values_partner_drift(self, partner):
        return {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "state": "lapsing",
            "turnover_12m": 1200.0,
            "turnover_prev_12m": 1500.0,
            "lost_turnover": 1200.0,
        }

    def values_segment_move(self, partner):
        axis = self.make_segment_axis(partner)
        return {
            "partner_id": partner.id,
            "axis_id": axis.id,
            "company_id": self.company.id,
            "to_value_id": self.env["crm_extended.segment.value"]
            .sudo()
            .create({"name": "Matrix moved", "axis_id": axis.id})
            .id,
            "date": "2026-01-01",
        }

    def values_campaign(self, partner):
        return {
            "name": f"Matrix fair {partner.id} {next(_SEQUENCE)}",
            "budget": 1000,
            "actual_cost": 800,
        }

    def values_campaign_member(self, partner):
        return {
            "campaign_id": self.make_campaign(partner).id,
            "partner_id": partner.id,
        }

    def values_response_status(self, partner):
        return {"name": f"Matrix status {next(_SEQUENCE)}"}

    def values_complaint_stage(self, partner):
        return {"name": f"Matrix stage {next(_SEQUENCE)}"}

    def values_contact_cap(self, partner):
        channel, period = CAP_COMBINATIONS[next(_SEQUENCE) % len(CAP_COMBINATIONS)]
        return {
            "channel": channel,
            "period": period,
            "limit": 5,
            "company_id": self.company.id,
        }

    def values_complaint_category(self, partner):
        return {"name": f"Matrix category {next(_SEQUENCE)}"}

    def values_complaint_cause(self, partner):
        return {"name": f"Matrix cause {next(_SEQUENCE)}"}

    def values_segment_axis(self, partner):
        return {"name": f"Matrix axis {next(_SEQUENCE)}"}

    def values_segment_value(self, partner):
        return {
            "name": f"Matrix value {next(_SEQUENCE)}",
            "axis_id": self.make_segment_axis(partner).id,
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

    def values_debtor_list(self, partner):
        return {"name": f"Matrix debtors {partner.id} {next(_SEQUENCE)}"}

    def values_debtor_list_version(self, partner):
        return {
            "list_id": self.make_debtor_list(partner).id,
            "state": "current",
        }

    def values_registry_finding(self, partner):
        finding = self.env["crm_extended.registry.finding"]
        return {
            "check_id": self.make_registry_check(partner).id,
            "kind": finding._fields["kind"].selection[0][0],
            "is_current": True,
        }

    def _make(self, name, partner=None, context=None):
        # The customer's payment history is rebuilt from its books when they change,
        # so snapshots and other records get a customer of their own.
        partner = partner or self._new_customer()
        values = getattr(self, f"values_{name}")(partner)
        return (
            self.env[FACTORY_MODELS[name]]
            .sudo()
            .with_context(crm_registry_evidence=True, **(context or {}))
            .create(values)
            .with_env(self.env)
        )

    def values_reminder_level(self, partner):
        return {
            "name": f"Matrix level {next(_SEQUENCE)}",
            "company_id": self.company.id,
            "days_after_due": 10,
        }

    def values_reminder(self, partner):
        return {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "level_id": self.make_reminder_level(partner).id,
            "date": "2026-02-01",
            "state": "sent",
            "days_overdue": 12,
            "amount_overdue": 500.0,
            "amount_open": 500.0,
        }

    def values_reminder_line(self, partner):
        return {
            "reminder_id": self.make_reminder(partner).id,
            "move_name": "INV/MATRIX",
            "date_maturity": "2026-01-20",
            "days_overdue": 12,
            "amount_residual": 500.0,
        }

    def make_reminder_level(self, partner=None):
        return self._make("reminder_level", partner)

    def make_reminder(self, partner=None):
        return self._make("reminder", partner)

    def make_reminder_line(self, partner=None):
        return self._make("reminder_line", partner)

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

    def make_partner_drift(self, partner=None):
        return self._make("partner_drift", partner)

    def make_segment_move(self, partner=None):
        return self._make("segment_move", partner)

    def make_campaign(self, partner=None):
        return self._make("campaign", partner)

    def make_campaign_member(self, partner=None):
        return self._make("campaign_member", partner)

    def make_response_status(self, partner=None):
        return self._make("response_status", partner)

    def make_complaint_stage(self, partner=None):
        return self._make("complaint_stage", partner)

    def make_segment_axis(self, partner=None):
        return self._make("segment_axis", partner)

    def make_segment_value(self, partner=None):
        return self._make("segment_value", partner)

    def make_competitor(self, partner=None):
        return self._make("competitor", partner)

    def make_sales_target(self, partner=None):
        return self._make("sales_target", partner)

    def make_debtor_list(self, partner=None):
        return self._make("debtor_list", partner)

    def make_debtor_list_version(self, partner=None):
        # Versions are made by the import only.
        return self._make(
            "debtor_list_version", partner, {"crm_debtor_list_import": True}
        )

    def make_registry_finding(self, partner=None):
        return self._make("registry_finding", partner)

    def make_registry_provider(self, partner=None):
        return self.provider_ares

    # Reports (SQL views): the rows made from one record of the customer.
    def _report_rows(self, model, domain):
        self.env.flush_all()
        rows = self.env[model].sudo().search(domain).with_env(self.env)
        self.assertTrue(rows, f"the factory made no row of {model}")
        return rows

    def make_contact_cap(self, partner=None):
        return self._make("contact_cap", partner)

    def make_complaint_category(self, partner=None):
        return self._make("complaint_category", partner)

    def make_complaint_cause(self, partner=None):
        return self._make("complaint_cause", partner)

    def make_touch(self, partner=None):
        member = self.make_campaign_member(partner)
        return self._report_rows(
            "crm_extended.touch",
            [
                ("res_model", "=", "crm_extended.campaign.member"),
                ("res_id", "=", member.id),
            ],
        )

    def make_timeline(self, partner=None):
        partner = partner or self._new_customer()
        partner.message_post(
            body="Matrix note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        return self._report_rows(
            "crm_extended.timeline",
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("detail", "ilike", "Matrix note"),
            ],
        )

    def make_segment_membership(self, partner=None):
        partner = partner or self._new_customer()
        partner.crm_segment_value_ids = [Command.link(self.make_segment_value().id)]
        return self._report_rows(
            "crm_extended.segment.membership", [("partner_id", "=", partner.id)]
        )

    def make_campaign_response_report(self, partner=None):
        member = self.make_campaign_member(partner)
        return self._report_rows(
            "crm_extended.campaign.response.report", [("member_id", "=", member.id)]
        )

    def make_sale_report(self, partner=None):
        partner = partner or self._new_customer()
        move = self.post_invoice(partner, 120.0, "2026-02-01")
        return self._report_rows(
            "crm_extended.sale.report", [("move_id", "=", move.id)]
        )

    # Late-payment interest and offsetting (issue 21).
    def values_interest_rate(self, partner):
        return {
            "country_id": self.env.ref("base.sk").id,
            "valid_from": date(1990, 1, 1) + timedelta(days=next(_SEQUENCE)),
            "reference_rate": 1.0,
            "margin": 8.0,
        }

    def make_interest_rate(self, partner=None):
        return self._make("interest_rate", partner)

    def values_offset(self, partner):
        return {"partner_id": partner.id, "company_id": self.company.id}

    def make_offset(self, partner=None):
        return self._make("offset", partner)

    def values_offset_line(self, partner):
        move = self.post_invoice(partner, 75.0, "2026-02-01")
        item = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return {"offset_id": self.make_offset(partner).id, "move_line_id": item.id}

    def make_offset_line(self, partner=None):
        return self._make("offset_line", partner)

    def make_invoice_report(self, partner=None):
        partner = partner or self._new_customer()
        move = self.post_invoice(partner, 110.0, "2026-02-01")
        return self._report_rows("account.invoice.report", [("move_id", "=", move.id)])

    def make_open_item(self, partner=None):
        partner = partner or self._new_customer()
        move = self.post_invoice(partner, 130.0, "2026-02-01")
        return self._report_rows("crm_extended.open.item", [("move_id", "=", move.id)])

    def make_potential_report(self, partner=None):
        partner = partner or self._new_customer()
        partner.sudo().with_company(self.company).sales_potential = 5000.0
        return self._report_rows(
            "crm_extended.potential.report", [("partner_id", "=", partner.id)]
        )

    def _opportunity(self, partner):
        return self.env["crm.lead"].create(
            {
                "name": f"Matrix opportunity {next(_SEQUENCE)}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "company_id": self.company.id,
                "expected_revenue": 2000.0,
                "date_deadline": "2026-03-15",
            }
        )

    def make_sales_forecast(self, partner=None):
        lead = self._opportunity(partner or self._new_customer())
        return self._report_rows(
            "crm_extended.sales.forecast", [("lead_id", "=", lead.id)]
        )

    def make_offer_report(self, partner=None):
        lead = self._opportunity(partner or self._new_customer())
        return self._report_rows(
            "crm_extended.offer.report", [("lead_id", "=", lead.id)]
        )

    def make_invoice_line(self, partner=None):
        partner = partner or self._new_customer()
        return self.post_invoice(partner, 90.0, "2026-02-01").invoice_line_ids

    # Wizards, started by the user: make_<name>(env).
    def make_member_add(self, env):
        campaign = self.make_campaign(self.customer)
        return env["crm_extended.campaign.member.add"].create(
            {"campaign_id": campaign.id}
        )

    def make_member_import(self, env):
        campaign = self.make_campaign(self.customer)
        return env["crm_extended.campaign.member.import"].create(
            {
                "campaign_id": campaign.id,
                "file": base64.b64encode(b"ico\n27183955\n"),
            }
        )

    def make_member_import_line(self, env):
        wizard = self.make_member_import(env)
        return env["crm_extended.campaign.member.import.line"].create(
            {"wizard_id": wizard.id}
        )

    def make_attribution(self, env):
        return env["crm_extended.campaign.attribution"].create(
            {"attribution_model": "linear"}
        )

    def make_attribution_line(self, env):
        report = self.make_attribution(env)
        return env["crm_extended.campaign.attribution.line"].create(
            {"report_id": report.id, "campaign_id": self.make_campaign().id}
        )

    def make_registry_fill(self, env):
        return env["crm_extended.registry.fill"].create({"identifier": "CZ45274649"})

    def make_registry_fill_line(self, env):
        wizard = self.make_registry_fill(env)
        return env["crm_extended.registry.fill.line"].create(
            {"wizard_id": wizard.id, "field_name": "name"}
        )

    def make_call_log(self, env):
        call = self.make_call(self.customer)
        return env["crm_extended.call.log"].create({"call_id": call.id})

    def make_call_log_line(self, env):
        wizard = self.make_call_log(env)
        return env["crm_extended.call.log.line"].create(
            {
                "wizard_id": wizard.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "user_id": env.uid,
            }
        )

    def make_registry_manual(self, env):
        return env["crm_extended.registry.manual"].create(
            {
                "partner_id": self.customer.id,
                "outcome": "found",
                "note": "Extract checked by hand",
                "valid_until": "2026-12-31",
                "document": base64.b64encode(b"%PDF-1.4 matrix"),
            }
        )

    def make_report_grouping(self, env):
        grouping = env["crm_extended.report.grouping"]
        return grouping.create({"report": grouping._fields["report"].selection[0][0]})

    # -- Own customers ----------------------------------------------------------------
    def test_own_customers_only_on_every_model_with_customers(self):
        """Every model of the addon that belongs to a customer is a row of
        OWN_CUSTOMER_ROWS, and behaves as the row says."""
        with_customer = set()
        for name in self._addon_models():
            model = self.env[name]
            if model._abstract or model._transient:
                continue
            if any(
                field.type == "many2one" and field.comodel_name == "res.partner"
                for name, field in model._fields.items()
                if name in ("partner_id", "commercial_partner_id")
            ):
                with_customer.add(name)
        rows = {row.model for row in OWN_CUSTOMER_ROWS}
        self.assertEqual(sorted(with_customer - rows), [], "missing own-customer rows")
        other_customer = self.env["res.partner"].create(
            {
                "name": "Someone else's customer",
                "is_company": True,
                "user_id": self.user_manager.id,
            }
        )
        for row in OWN_CUSTOMER_ROWS:
            with self.subTest(model=row.model):
                record = getattr(self, row.factory)(other_customer)
                mine = getattr(self, row.factory)(self.customer)
                salespeople = row.behaviour not in ("accountants", "documents")
                accountants = row.behaviour != "documents"
                for role, records, sees in (
                    ("salesperson_own", record, row.behaviour == "shown"),
                    ("salesperson_own", mine, salespeople),
                    ("salesperson_all", record, salespeople),
                    ("accountant", record, accountants),
                ):
                    found = self._found(role, records)
                    self.assertEqual(
                        found, records.ids if sees else [], f"{role} on {row.model}"
                    )

    def _found(self, role, records):
        try:
            return self._as(role, records).search([("id", "in", records.ids)]).ids
        except AccessError:
            return []

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

    # -- Helpers ------------------------------------------------------------------
    def _as(self, role, records):
        user = self.role_users[role].sudo()
        return records.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    def _attempt(self, operation, records, fname=None, factory_name=""):
        """Run one operation; return True if allowed, False if refused."""
        model = records.env[records._name]
        fname = fname or "display_name"
        try:
            with self.env.cr.savepoint():
                return self._run(operation, model, records, fname, factory_name)
        except DENIED as error:
            if operation == "template":
                # Rendering wraps the refusal; anything else is a broken test.
                causes = []
                while error is not None:
                    causes.append(error)
                    error = error.__cause__
                self.assertTrue(
                    any(isinstance(e, (AccessError, MissingError)) for e in causes),
                    causes,
                )
            return False

    def _run(self, operation, model, records, fname, factory_name):
        if operation in ("write", "create", "unlink"):
            return self._run_change(operation, model, records, factory_name)
        if operation in ("search", "read_group", "order"):
            return self._run_query(operation, model, records, fname)
        if operation == "read":
            # read() leaves out the records missing for the user.
            return len(records.read([fname])) == len(records)
        elif operation == "attribute":
            values = [record[fname] for record in records]
            self.assertEqual(len(values), len(records))
        elif operation == "export":
            records.export_data([fname])
        elif operation == "template":
            model.env["mail.render.mixin"]._render_template(
                "{{ object[field_name] }}",
                records._name,
                records.ids,
                add_context={"field_name": fname},
            )
        return True

    def _run_query(self, operation, model, records, fname):
        """Search, group or order: True if the records were found."""
        field = model._fields[fname]
        domain = [("id", "in", records.ids)]
        if operation == "order":
            return bool(model.search(domain, order=fname))
        if operation == "search":
            if fname != "display_name":
                # Always true, but filtering on the field needs access to it.
                domain += ["|", (fname, "=", False), (fname, "!=", False)]
            return bool(model.search(domain))
        if fname == "display_name":
            groups = model._read_group(domain, [], ["__count"])
        elif field.type in ("date", "datetime"):
            groups = model._read_group(domain, [f"{fname}:day"], ["__count"])
        elif field.type in ("integer", "float", "monetary"):
            groups = model._read_group(domain, [], [f"{fname}:sum", "__count"])
        else:
            groups = model._read_group(domain, [fname], ["__count"])
        return bool(sum(group[-1] for group in groups))

    def _run_change(self, operation, model, records, factory_name):
        if operation == "write":
            records.write(self._write_values(records))
        elif operation == "create":
            factory = factory_name.removeprefix("make_")
            values_of = getattr(self, f"values_{factory}", None)
            values = values_of(self._new_customer()) if values_of else {}
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    model.create(values)
            except IntegrityError:
                return True  # the insert ran: access was granted
        else:
            records.unlink()
            records.env.flush_all()
        return True

    def _write_values(self, records):
        for name in ("note", "name", "description", "comment", "subject"):
            field = records._fields.get(name)
            if field and field.type in ("char", "text", "html") and not field.readonly:
                return {name: "changed by the access test"}
        return {"display_name": "changed by the access test"}


def _field_operations(field):
    """The operations that exist for ``field`` (ordering by a computed field does
    not exist for anyone, so it is not a door to close)."""
    stored = field.store and field.column_type
    for operation in FIELD_OPERATIONS:
        if operation in ("read_group", "order") and not stored:
            continue
        if operation == "search" and not (stored or field.search):
            continue
        yield operation


def _model_test(row, role):
    def test(self):
        records = getattr(self, row.factory)()
        for operation in MODEL_OPERATIONS:
            with self.subTest(operation=operation):
                expected = role in row.allowed.get(operation, ())
                allowed = self._attempt(
                    operation, self._as(role, records), factory_name=row.factory
                )
                self.assertEqual(
                    allowed,
                    expected,
                    f"{role} {'could' if allowed else 'could not'} {operation} "
                    f"{row.model}",
                )

    return test


def _transient_test(row, role):
    def test(self):
        user = self.role_users[role]
        env = self.env(
            user=user, context={"allowed_company_ids": user.sudo().company_ids.ids}
        )
        try:
            with self.env.cr.savepoint():
                created = bool(getattr(self, row.factory)(env))
        except DENIED:
            created = False
        self.assertEqual(
            created,
            role in row.creators,
            f"{role} {'could' if created else 'could not'} start {row.model}",
        )

    return test


def _field_test(row, role):
    def test(self):
        records = getattr(self, row.factory)()
        expected = role in row.readers
        for fname in row.fields:
            field = records._fields[fname]
            for operation in _field_operations(field):
                with self.subTest(field=fname, operation=operation):
                    allowed = self._attempt(operation, self._as(role, records), fname)
                    self.assertEqual(
                        allowed,
                        expected,
                        f"{role} {'could' if allowed else 'could not'} {operation} "
                        f"{row.model}.{fname}",
                    )

    return test


def _slug(model):
    return model.replace(".", "_")


for _row in MODEL_ROWS:
    for _role in ROLES:
        setattr(
            TestAccessMatrix,
            f"test_model_{_slug(_row.model)}_{_role}",
            _model_test(_row, _role),
        )
for _row in TRANSIENT_ROWS:
    for _role in ROLES:
        setattr(
            TestAccessMatrix,
            f"test_wizard_{_slug(_row.model)}_{_role}",
            _transient_test(_row, _role),
        )
for _index, _row in enumerate(FIELD_ROWS):
    for _role in ROLES:
        setattr(
            TestAccessMatrix,
            f"test_fields_{_slug(_row.model)}_{_index}_{_role}",
            _field_test(_row, _role),
        )
