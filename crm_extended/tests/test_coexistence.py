"""Next to the other addons installed: no field defined twice, no ambiguous view anchor.

Run by ``bin/test`` against whatever is installed there, and by ``bin/oca-coexistence``
on a database that also has the OCA addons users of this market run
(``account_financial_risk``, ``partner_statement``, ``partner_time_to_pay``).
"""

from collections import Counter

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged

OURS = {"crm_extended", "crm_extended_sale"}


@tagged("post_install", "-at_install")
class TestCoexistence(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        upstream = {name: cls._upstream(name) for name in installed.mapped("name")}
        ours_and_below = set().union(*(upstream[name] for name in OURS))
        # Related: what we build on and what builds on us (they know our fields).
        cls.related = ours_and_below | {
            name for name, below in upstream.items() if below & OURS
        }

    @staticmethod
    def _upstream(name, seen=None):
        """``name`` and every module it depends on, from the manifests."""
        seen = set() if seen is None else seen
        if name not in seen:
            seen.add(name)
            for depend in get_manifest(name).get("depends", []):
                TestCoexistence._upstream(depend, seen)
        return seen

    def test_no_field_of_ours_is_also_defined_by_an_unrelated_addon(self):
        # Two addons that do not know each other defining one field name on one
        # model: the one loaded last silently replaces the other's definition.
        clashes = []
        for model_name, model in self.env.registry.items():
            for field_name, field in model._fields.items():
                modules = set(field._modules or ())
                if modules & OURS and modules - self.related:
                    clashes.append(
                        f"{model_name}.{field_name}: {sorted(modules - self.related)}"
                    )
        self.assertFalse(clashes, "fields defined by us and by an unrelated addon")

    def test_partner_form_names_stay_unique_for_every_role(self):
        # Inheriting views (ours and other addons') anchor on @name: a page or
        # group name used twice makes their xpaths land in the wrong place.
        roles = {
            "salesperson": "base.group_user,crm_extended.group_card_user",
            "accountant": "base.group_user,crm_extended.group_card_accountant",
            "manager": "base.group_user,crm_extended.group_card_manager",
            "internal": "base.group_user",
        }
        for role, groups in roles.items():
            with self.subTest(role=role):
                user = new_test_user(self.env, login=f"coexist_{role}", groups=groups)
                arch = (
                    self.env["res.partner"]
                    .with_user(user)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                names = Counter(
                    node.get("name")
                    for node in etree.fromstring(arch).iter("page", "group", "notebook")
                    if node.get("name")
                )
                self.assertFalse(
                    [name for name, count in names.items() if count > 1],
                    f"page/group names used twice in the partner form ({role})",
                )
