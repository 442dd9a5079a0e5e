import json
from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPaymentGradeTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Graded Customer a.s.", "is_company": True}
        )
        reason = {
            "grade": "C",
            "reason": "average",
            "avg_days": 21.5,
            "on_time_percent": 40,
            "overdue_days": 0,
            "window_days": 365,
            "limit_days": 30,
        }
        cls.customer.write(
            {"payment_grade": "C", "payment_grade_data": json.dumps(reason)}
        )
        cls.env["crm_extended.payment.snapshot"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.env.company.id,
                    "month": date(2026, month, 1),
                    "avg_days_late": days,
                    "on_time_ratio": 0.5,
                }
                for month, days in ((3, 10.0), (4, 25.0), (5, 21.5))
            ]
        )
        new_test_user(
            cls.env,
            login="tour_payment_salesperson",
            groups="base.group_user,crm_extended.group_card_user",
        )

    def test_salesperson_sees_grade_reason_and_trend(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_payment_grade",
            login="tour_payment_salesperson",
        )
