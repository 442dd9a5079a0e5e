"""Three companies with a registry risk, as the issue names them: a Czech company
in ISIR bankruptcy, a Slovak company on the Sociálna poisťovňa list and a Slovak
VAT payer in Finančná správa's ds_dphz list, all answered by the replay server."""

from odoo import Command

from .registry_common import RegistryTestCommon

BILLING = "account.group_account_invoice"


class RegistryRiskCommon(RegistryTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        billing = cls.env.ref(BILLING)
        cls.user_accountant.groups_id |= billing
        cls.user_manager.groups_id |= billing
        # An invoicing user without any card role: cannot read the verdicts, is
        # warned and blocked all the same.
        cls.user_internal.groups_id |= billing
        cls.sberbank = cls.new_company(
            "Sberbank CZ, a.s. v likvidaci", cls.cz, "25083325", "CZ25083325"
        )
        cls.stavmont = cls.new_company(
            "Stavmont Žilina s.r.o.", cls.sk, "46200011", zip="01001"
        )
        cls.agro = cls.new_company(
            "Agro Trnava s.r.o.", cls.sk, "46200029", "SK2020000004", zip="91701"
        )
        cls.socpoist = cls.use_list(
            "debtor_list_sk_socpoist", url=cls.replay.list_url("socpoist.csv")
        )
        cls.dphz = cls.use_list(
            "debtor_list_fs_dphz", url=cls.replay.dump_url("ds_dphz")
        )
        (cls.socpoist | cls.dphz).action_download()
        cls.sberbank.action_registry_check()
        cls.risky = cls.sberbank | cls.stavmont | cls.agro
        cls.expense_account = cls.company_data["default_account_expense"]

    @classmethod
    def vendor_bill(cls, partner, amount=100.0):
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-30",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.expense_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill

    def draft_invoice(self, partner, user=None):
        env = self.env(user=user) if user else self.env
        return env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-30",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": 250.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def block(self, *kinds):
        self.env.company.write({f"crm_registry_block_{kind}": True for kind in kinds})
