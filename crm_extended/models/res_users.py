from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_pbx_extension = fields.Char(
        string="Phone Extension",
        index="btree_not_null",
        copy=False,
        help="Internal extension of this user on the telephone exchange: incoming "
        "calls to it show the caller's card to this user.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["crm_pbx_extension"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # Users set their own extension in My Preferences.
        return super().SELF_WRITEABLE_FIELDS + ["crm_pbx_extension"]

    @api.constrains("crm_pbx_extension", "company_id", "active")
    def _check_crm_pbx_extension_unique(self):
        for user in self.filtered("crm_pbx_extension"):
            clash = self.sudo().search(
                [
                    ("id", "!=", user.id),
                    ("crm_pbx_extension", "=", user.crm_pbx_extension),
                    ("company_id", "=", user.company_id.id),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "Extension %(extension)s already belongs to %(user)s.",
                        extension=user.crm_pbx_extension,
                        user=clash.name,
                    )
                )
