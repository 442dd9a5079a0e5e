"""Hand-built buying histories for the drift and segmentation tests."""

from datetime import date

from freezegun import freeze_time

from odoo import Command

from .common import CardTestCommon


def monthly(start, count, day=1):
    """``count`` dates on ``day`` of consecutive months from ``start``."""
    year, month = start.year, start.month
    days = []
    for _index in range(count):
        days.append(date(year, month, day))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return days


class DriftTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["crm_extended.drift.engine"]
        cls.Drift = cls.env["crm_extended.partner.drift"]
        cls.user_portal = cls.env["res.users"].create(
            {
                "name": "Card Portal",
                "login": "card_portal_drift",
                "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )

    @classmethod
    def new_customer(cls, name, salesperson=None):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "user_id": salesperson.id if salesperson else False,
            }
        )

    @classmethod
    def buy(cls, partner, days, amount=1000.0):
        for day in days:
            cls.post_invoice(partner, amount, day)
        # Posting recomputes the customers before the commit (a pre-commit hook,
        # also run by the savepoints of assertRaises): the tests compute on the
        # days they freeze instead.
        cls.env.cr.precommit.clear()

    def nightly(self, when):
        """Run the nightly job on ``when``."""
        with freeze_time(when):
            self.engine._cron_nightly()

    def drift_of(self, partner, company=None):
        return self.Drift.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def drift_activities(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("crm_extended.mail_activity_type_customer_drift").id,
                ),
            ]
        )
