"""Field-level read protection of the card's restricted fields.

Odoo checks a field's ``groups`` in ``read()`` and in domains, but not when code
reads the field as an attribute: ``record.card_open_balance``,
``record['card_open_' + 'balance']``, ``records.mapped(...)``. That is how mail
templates, exports and server actions read. The fields whose ``groups`` name a
customer card role get a descriptor that refuses such a read to a user outside
those groups, however the field is spelled; so do the fields of the card's
addons restricted to any other group. Superuser code (the system computing
grades, ``sudo()`` reads) is not affected, and no other field of any model is.
"""

from odoo import models
from odoo.exceptions import AccessError

CARD_GROUP_PREFIX = "crm_extended.group_card_"
CARD_ADDONS = ("crm_extended", "crm_extended_sale")


class CardFieldGuard:
    """Mixed into the class of each restricted field (see the model below)."""

    def __get__(self, record, owner=None):
        if record is not None and record._ids:
            self._crm_check_readable(record)
        return super().__get__(record, owner)

    def mapped(self, records):
        if records._ids:
            self._crm_check_readable(records)
        return super().mapped(records)

    def _crm_check_readable(self, records):
        env = records.env
        if env.su or self.is_accessible(env):
            return
        raise AccessError(
            env._(
                "You may not read the field %(field)s of %(model)s: it is "
                "restricted to other roles of the customer card.",
                field=self.string or self.name,
                model=self.model_name,
            )
        )


_GUARDED_CLASSES = {}


def guarded_class(field_class):
    """The subclass of ``field_class`` that checks the field's groups on read."""
    if issubclass(field_class, CardFieldGuard):
        return field_class
    guarded = _GUARDED_CLASSES.get(field_class)
    if guarded is None:
        guarded = type(field_class)(
            f"CardGuarded{field_class.__name__}", (CardFieldGuard, field_class), {}
        )
        _GUARDED_CLASSES[field_class] = guarded
    return guarded


def is_card_restricted(field):
    """A field restricted to a card role, or a field of the card's addons
    restricted to another group (Sales rights for the pipeline figures): a
    computed figure would otherwise be computed for anyone who asks."""
    if not field.groups:
        return False
    return CARD_GROUP_PREFIX in field.groups or field._module in CARD_ADDONS


class CrmExtendedFieldGuard(models.AbstractModel):
    _name = "crm_extended.field.guard"
    _description = "Customer Card: read protection of restricted fields"

    def _register_hook(self):
        # Runs after every setup of the registry, when the fields are final (a
        # field inherited through _inherits, e.g. on res.users, is covered too).
        super()._register_hook()
        for model_class in self.env.registry.values():
            for field in model_class._fields.values():
                if is_card_restricted(field):
                    field.__class__ = guarded_class(type(field))
