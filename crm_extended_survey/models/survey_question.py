from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    crm_is_nps = fields.Boolean(
        string="NPS Question",
        help="The answers (0-10) to this question make the customer card's net "
        "promoter score.",
    )

    @api.constrains("crm_is_nps", "question_type", "scale_min", "scale_max")
    def _check_crm_nps_scale(self):
        for question in self.filtered("crm_is_nps"):
            if (
                question.question_type != "scale"
                or question.scale_min != 0
                or question.scale_max != 10
            ):
                raise ValidationError(
                    self.env._(
                        "An NPS question is a scale from 0 to 10: %(question)s",
                        question=question.title,
                    )
                )
