"""Issue 13, case 4: a salesperson limited to their own customers cannot take
someone else's customer over."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestOwnCustomersCannotBeTakenOver(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.restricted = new_test_user(
            cls.env,
            login="takeover_restricted",
            groups="base.group_partner_manager,crm_extended.group_card_user,"
            "crm_extended.group_card_own_customers_only",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        Partner = cls.env["res.partner"]
        cls.theirs = Partner.create(
            {"name": "Theirs a.s.", "is_company": True, "user_id": cls.user_manager.id}
        )
        cls.their_contact = Partner.create(
            {"name": "Their buyer", "parent_id": cls.theirs.id}
        )
        cls.mine = Partner.create(
            {"name": "Mine a.s.", "is_company": True, "user_id": cls.restricted.id}
        )
        cls.nobodys = Partner.create({"name": "Nobody's a.s.", "is_company": True})
        cls.contract = cls.env["crm_extended.contract"].create(
            {
                "number": "TAKE-1",
                "subject": "Framework agreement",
                "partner_id": cls.theirs.id,
                "date_start": "2026-01-01",
                "value": 250000,
            }
        )

    def _as_restricted(self, partner):
        return partner.with_user(self.restricted)

    def test_cannot_assign_someone_elses_customer_to_themselves_or_nobody(self):
        for values in (
            {"user_id": self.restricted.id},
            {"user_id": False},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self._as_restricted(self.theirs).write(values)
        self.assertEqual(self.theirs.user_id, self.user_manager)
        Contract = self.env["crm_extended.contract"].with_user(self.restricted)
        self.assertFalse(Contract.search([("id", "=", self.contract.id)]))

    def test_cannot_move_someone_elses_people_or_company(self):
        with self.assertRaises(AccessError):
            self._as_restricted(self.their_contact).write({"parent_id": self.mine.id})
        with self.assertRaises(AccessError):
            self._as_restricted(self.their_contact).write({"is_company": True})
        with self.assertRaises(AccessError):
            self._as_restricted(self.theirs).write({"parent_id": self.mine.id})
        self.assertEqual(self.their_contact.commercial_partner_id, self.theirs)

    def test_own_and_unassigned_customers_stay_editable(self):
        self._as_restricted(self.nobodys).write({"user_id": self.restricted.id})
        self.assertEqual(self.nobodys.user_id, self.restricted)
        self._as_restricted(self.mine).write({"user_id": self.user_manager.id})
        self.assertEqual(self.mine.user_id, self.user_manager)
        self._as_restricted(self.theirs).write({"street": "Hlavná 1"})
        self.assertEqual(self.theirs.street, "Hlavná 1")

    def test_salespeople_seeing_every_customer_and_accountants_reassign(self):
        for user in (self.user_salesperson, self.user_accountant):
            user.groups_id |= self.env.ref("base.group_partner_manager")
        self.user_accountant.groups_id |= self.env.ref(
            "crm_extended.group_card_own_customers_only"
        )
        self.theirs.with_user(self.user_salesperson).write(
            {"user_id": self.user_salesperson.id}
        )
        self.theirs.with_user(self.user_accountant).write(
            {"user_id": self.user_accountant.id}
        )
        self.assertEqual(self.theirs.user_id, self.user_accountant)
