from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_extended.tests.common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardNps(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env["survey.survey"].create(
            {"title": "How are we doing?", "access_mode": "token"}
        )
        cls.question = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "How likely are you to recommend us?",
                "question_type": "scale",
                "crm_is_nps": True,
            }
        )
        cls.user_salesperson.groups_id |= cls.env.ref("survey.group_survey_user")

    @classmethod
    def answered(cls, when, score, state="done"):
        # Answers come from the survey form, as the system.
        answer = (
            cls.env["survey.user_input"]
            .sudo()
            .create(
                {
                    "survey_id": cls.survey.id,
                    "partner_id": cls.customer_contact.id,
                    "state": state,
                }
            )
        )
        line = (
            cls.env["survey.user_input.line"]
            .sudo()
            .create(
                {
                    "user_input_id": answer.id,
                    "question_id": cls.question.id,
                    "answer_type": "scale",
                    "value_scale": score,
                }
            )
        )
        # The database clock dates the answer; freeze_time does not stop it.
        line.flush_recordset()
        cls.env.cr.execute(
            "UPDATE survey_user_input_line SET create_date = %s WHERE id = %s",
            [when, line.id],
        )
        line.invalidate_recordset(["create_date"])
        return line

    def test_card_shows_nps_with_trend(self):
        for day, score in ((1, 10), (2, 9), (3, 3), (4, 8)):
            self.answered(datetime(2026, 6, day), score)
        self.answered(datetime(2026, 2, 1), 2)
        self.answered(datetime(2026, 6, 5), 0, state="in_progress")
        with freeze_time("2026-06-30 12:00:00"):
            html = str(
                self.customer.with_user(self.user_salesperson).card_satisfaction_html
            )
            # 2 promoters, 1 detractor of 4 finished answers: 25; before -100.
            self.assertIn("<strong>NPS</strong> 25", html)
            self.assertIn("+125", html)
            # Without survey rights the answers do not count.
            html = str(
                self.customer.with_user(self.user_accountant).card_satisfaction_html
            )
            self.assertNotIn("NPS", html)

    def test_nps_question_is_a_scale_from_0_to_10(self):
        with self.assertRaises(ValidationError):
            self.question.scale_max = 5
        with self.assertRaises(ValidationError):
            self.env["survey.question"].create(
                {
                    "survey_id": self.survey.id,
                    "title": "Anything else?",
                    "question_type": "text_box",
                    "crm_is_nps": True,
                }
            )

    def test_campaign_sends_the_survey_to_its_members(self):
        campaign = self.env["utm.campaign"].create(
            {"name": "Customer voice", "crm_nps_survey_id": self.survey.id}
        )
        self.env["crm_extended.campaign.member"].create(
            [
                {"campaign_id": campaign.id, "partner_id": self.customer_contact.id},
                {"campaign_id": campaign.id, "partner_id": self.customer.id},
            ]
        )
        action = campaign.action_crm_send_nps_survey()
        self.assertEqual(action["res_model"], "survey.invite")
        invite = self.env["survey.invite"].with_context(**action["context"]).create({})
        self.assertEqual(invite.survey_id, self.survey)
        self.assertEqual(invite.partner_ids, self.customer | self.customer_contact)
