"""The table behind the access tests: who may do what with each card model and field.

Adding a card model or a sensitive field means adding a row here; test_access_matrix.py
turns every row into one test per role and operation.
"""

from collections import namedtuple

ROLES = (
    "salesperson_own",
    "salesperson_all",
    "accountant",
    "manager",
    "internal",
    "portal",
    "public",
    "other_company",
)
SALES = ("salesperson_own", "salesperson_all")
MONEY = ("accountant", "manager")
CARD = SALES + MONEY

MODEL_OPERATIONS = (
    "read",
    "search",
    "read_group",
    "export",
    "write",
    "create",
    "unlink",
)
FIELD_OPERATIONS = ("read", "search", "read_group", "order", "export")

# model: technical name; factory: name of the CardAccessCommon method that creates one
# record of it (as the system, in the main company, for a customer of salesperson_own);
# allowed: operation -> roles that may perform it on that record.
ModelRow = namedtuple("ModelRow", "model factory allowed")
# fields: sensitive fields of model; readers: roles that may read, search, group, order
# and export them; operations: those that apply (a computed, non-stored field can be
# neither ordered nor grouped by anyone, so those paths do not exist for it).
FieldRow = namedtuple(
    "FieldRow", "model factory fields readers operations", defaults=(FIELD_OPERATIONS,)
)

MODEL_ROWS = []

FIELD_ROWS = [
    FieldRow(
        "res.partner",
        "make_customer",
        ("card_open_balance", "card_overdue_balance"),
        # other_company is a manager elsewhere: it may read the fields, but they hold
        # its own company's figures (test_access_matrix checks they stay zero).
        MONEY + ("other_company",),
        ("read", "search", "export"),
    ),
]
