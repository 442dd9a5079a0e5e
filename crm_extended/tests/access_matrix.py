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

ALL_INTERNAL = CARD + ("internal", "other_company")
READ_OPS = ("read", "search", "read_group", "export")


def rights(read=(), write=(), create=(), unlink=()):
    """Operation -> roles, with the read-like operations sharing one list."""
    allowed = {operation: tuple(read) for operation in READ_OPS}
    allowed.update(write=tuple(write), create=tuple(create), unlink=tuple(unlink))
    return allowed


MODEL_ROWS = [
    # Company-bound card records: other_company (a manager elsewhere) sees none.
    ModelRow(
        "crm_extended.contract",
        "make_contract",
        rights(read=CARD, write=CARD, create=CARD, unlink=("manager",)),
    ),
    ModelRow(
        "crm_extended.complaint",
        "make_complaint",
        rights(read=CARD, write=CARD, create=CARD, unlink=("manager",)),
    ),
    ModelRow(
        "crm_extended.call",
        "make_call",
        rights(read=CARD, write=CARD, create=("manager",), unlink=("manager",)),
    ),
    # Evidence and history are append-only for everyone but the system.
    ModelRow("crm_extended.registry.check", "make_registry_check", rights(read=MONEY)),
    ModelRow("crm_extended.payment.snapshot", "make_payment_snapshot", rights(CARD)),
    # Campaigns are shared by all companies, as utm.campaign is in Odoo.
    ModelRow(
        "crm_extended.campaign.member",
        "make_campaign_member",
        rights(
            read=CARD + ("other_company",),
            write=CARD + ("other_company",),
            create=CARD + ("other_company",),
            unlink=CARD + ("other_company",),
        ),
    ),
    # Configuration: read by the card roles, changed by managers only.
    ModelRow(
        "crm_extended.registry.provider",
        "make_registry_provider",
        rights(
            read=CARD + ("other_company",),
            write=("manager", "other_company"),
            create=("manager", "other_company"),
            unlink=("manager", "other_company"),
        ),
    ),
    ModelRow(
        "crm_extended.pbx",
        "make_pbx",
        rights(
            read=CARD,
            write=("manager",),
            create=("manager",),
            unlink=("manager",),
        ),
    ),
    # Selling (issue 17): competitors are configuration shared by all companies;
    # sales targets belong to a company and are set by managers.
    ModelRow(
        "crm_extended.competitor",
        "make_competitor",
        rights(
            read=CARD + ("other_company",),
            write=("manager", "other_company"),
            create=("manager", "other_company"),
            unlink=("manager", "other_company"),
        ),
    ),
    ModelRow(
        "crm_extended.sales.target",
        "make_sales_target",
        rights(
            read=("manager",),
            write=("manager",),
            create=("manager",),
            unlink=("manager",),
        ),
    ),
]

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
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "card_profit_this_year",
            "card_margin_this_year",
            "payment_ageing_not_due",
            "payment_ageing_1_30",
        ),
        MONEY + ("other_company",),
        ("read", "export"),
    ),
    FieldRow(
        "res.partner",
        "make_customer",
        ("payment_overdue_amount",),
        MONEY + ("other_company",),
        ("read", "search", "order", "export"),
    ),
    FieldRow(
        "crm_extended.payment.snapshot",
        "make_payment_snapshot",
        ("paid_amount",),
        MONEY,
    ),
    FieldRow(
        "utm.campaign",
        "make_campaign",
        ("budget", "actual_cost"),
        MONEY + ("other_company",),
        ("read", "search", "order", "export"),
    ),
    FieldRow(
        "crm_extended.registry.provider",
        "make_registry_provider",
        ("credentials",),
        ("manager", "other_company"),
        ("read", "search", "order", "export"),
    ),
    FieldRow(
        "crm_extended.pbx",
        "make_pbx",
        ("token",),
        ("manager",),
        ("read", "search", "order", "export"),
    ),
]

# Models whose records a salesperson with "own customers only" sees only for the
# customers they are the salesperson of.
OWN_CUSTOMER_FACTORIES = (
    "make_contract",
    "make_complaint",
    "make_call",
    "make_campaign_member",
    "make_payment_snapshot",
)
