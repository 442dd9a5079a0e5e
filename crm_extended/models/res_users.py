from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .card_group_memo import remembered


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_pbx_extension = fields.Char(
        string="Phone Extension",
        index="btree_not_null",
        copy=False,
        help="Internal extension of this user on the telephone exchange: incoming "
        "calls to it show the caller's card to this user.",
    )

    def has_groups(self, group_spec):
        return remembered(
            self,
            "groups",
            group_spec,
            lambda: super(ResUsers, self).has_groups(group_spec),
        )

    def has_group(self, group_ext_id):
        return remembered(
            self,
            "group",
            group_ext_id,
            lambda: super(ResUsers, self).has_group(group_ext_id),
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
