import re

from odoo import api, models, tools
from odoo.exceptions import AccessError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template(
        self,
        template_src,
        model,
        res_ids,
        engine="inline_template",
        add_context=None,
        options=None,
    ):
        # Templates read fields as attributes, which skips field groups: a salesperson
        # allowed to edit templates could otherwise print a customer's balance.
        if not self.env.su and template_src:
            self._crm_check_template_fields(str(template_src))
        return super()._render_template(
            template_src,
            model,
            res_ids,
            engine=engine,
            add_context=add_context,
            options=options,
        )

    @api.model
    def _crm_check_template_fields(self, template_src):
        restricted = self._crm_restricted_fields()
        for name in set(_IDENTIFIER.findall(template_src)) & restricted.keys():
            groups = restricted[name]
            if not self.env.user.has_groups(groups):
                raise AccessError(
                    self.env._(
                        "You may not use the field %(field)s in a template: it is "
                        "restricted to other roles of the customer card.",
                        field=name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _crm_restricted_fields(self):
        """Field name -> groups, for every field restricted to a card role."""
        restricted = {}
        for model in self.env.registry.values():
            for field in model._fields.values():
                if field.groups and "crm_extended." in field.groups:
                    restricted[field.name] = field.groups
        return restricted
