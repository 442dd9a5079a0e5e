"""The table behind the access tests: who may do what with each model and
restricted field of the addon.

test_access_matrix.py reads the addon's models and fields from ``ir.model`` and
``ir.model.fields`` and fails when one of them has no row here (or a row names a
model or field that is gone), then turns every row into one test per role.
Adding a model or a field with ``groups=`` therefore means adding its row.
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
ALL_INTERNAL = CARD + ("internal", "other_company")

MODEL_OPERATIONS = (
    "read",
    "search",
    "read_group",
    "export",
    "write",
    "create",
    "unlink",
)
READ_OPS = ("read", "search", "read_group", "export")
# Paths a field's value can take out: read() and JSON-RPC, a domain, grouping,
# ordering, export, a mail template, and plain attribute access (server actions,
# code run for the user). Those a field does not support (ordering by a computed
# field...) are left out per field by the test.
FIELD_OPERATIONS = (
    "read",
    "attribute",
    "search",
    "read_group",
    "order",
    "export",
    "template",
)

# model: technical name; factory: name of the TestAccessMatrix method that creates
# one record of it (as the system, in the main company, for a customer of
# salesperson_own); allowed: operation -> roles that may perform it on that record.
ModelRow = namedtuple("ModelRow", "model factory allowed")
# Wizards: the roles that may start one; nobody reads another user's wizard.
TransientRow = namedtuple("TransientRow", "model factory creators")
# fields: restricted fields of model; readers: roles that may get their values out
# through any path. A field of res.users inherited from res.partner is covered by
# the res.partner row.
FieldRow = namedtuple("FieldRow", "model factory fields readers")
# Own customers: how a salesperson limited to their own customers sees the records
# of someone else's customer: "hidden", or "shown" like the partner itself
# ("accountants": no salesperson reads them at all; "documents": the rules of the
# CRM documents behind it apply instead, and the card roles alone read none).
OwnCustomerRow = namedtuple("OwnCustomerRow", "model factory behaviour")


def rights(read=(), write=(), create=(), unlink=()):
    """Operation -> roles, with the read-like operations sharing one list."""
    allowed = {operation: tuple(read) for operation in READ_OPS}
    allowed.update(write=tuple(write), create=tuple(create), unlink=tuple(unlink))
    return allowed


def configuration(read):
    """Read by ``read``, changed by managers (also of other companies)."""
    managers = ("manager", "other_company")
    return rights(read=read, write=managers, create=managers, unlink=managers)


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
    ModelRow("crm_extended.partner.drift", "make_partner_drift", rights(CARD)),
    ModelRow("crm_extended.segment.move", "make_segment_move", rights(CARD)),
    # Campaigns are shared by all companies, as utm.campaign is in Odoo; a member
    # belongs to the company of its contact (this customer has none).
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
    # Configuration: read by the card roles (segments by every employee), changed
    # by managers only.
    ModelRow(
        "crm_extended.registry.provider",
        "make_registry_provider",
        configuration(CARD + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.campaign.response.status",
        "make_response_status",
        configuration(CARD + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.complaint.stage",
        "make_complaint_stage",
        configuration(CARD + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.segment.axis", "make_segment_axis", configuration(ALL_INTERNAL)
    ),
    ModelRow(
        "crm_extended.segment.value", "make_segment_value", configuration(ALL_INTERNAL)
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
    # Reports (SQL views): read-only, with the rules of what they are made of.
    # A note on the customer (shared by all companies) and its membership in a
    # segment are seen by card users of every company ...
    ModelRow(
        "crm_extended.timeline", "make_timeline", rights(CARD + ("other_company",))
    ),
    ModelRow(
        "crm_extended.segment.membership",
        "make_segment_membership",
        rights(CARD + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.campaign.response.report",
        "make_campaign_response_report",
        rights(CARD + ("other_company",)),
    ),
    # ... its invoices only by the company that issued them.
    ModelRow("crm_extended.sale.report", "make_sale_report", rights(CARD)),
    # Payment reminders (issue 21): levels are company configuration; a sent
    # reminder is seen by the card roles (level and date), handled by accountants
    # and made only by the daily run; its items are the accountants'.
    ModelRow(
        "crm_extended.reminder.level",
        "make_reminder_level",
        rights(read=CARD, write=("manager",), create=("manager",), unlink=("manager",)),
    ),
    ModelRow("crm_extended.reminder", "make_reminder", rights(read=CARD, write=MONEY)),
    ModelRow("crm_extended.reminder.line", "make_reminder_line", rights(read=MONEY)),
    # Late-payment interest and offsetting (issue 21): rates are configuration
    # read by accountants; offsets belong to a company and its accountants.
    ModelRow(
        "crm_extended.interest.rate",
        "make_interest_rate",
        configuration(MONEY + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.offset",
        "make_offset",
        rights(read=MONEY, write=MONEY, create=MONEY, unlink=MONEY),
    ),
    ModelRow(
        "crm_extended.offset.line",
        "make_offset_line",
        rights(read=MONEY, write=MONEY, create=MONEY, unlink=MONEY),
    ),
    # Open items are ledger amounts; the potential report is the current
    # company's figures of the customers the user may read.
    ModelRow("crm_extended.open.item", "make_open_item", rights(MONEY)),
    ModelRow("crm_extended.potential.report", "make_potential_report", rights(CARD)),
    # The forecast and the offer success report follow the CRM's rights of the
    # leads and quotations behind them (Sales: own or all documents), which no
    # role of the matrix has (test_selling_forecast checks the salespeople).
    ModelRow("crm_extended.sales.forecast", "make_sales_forecast", rights()),
    ModelRow("crm_extended.offer.report", "make_offer_report", rights()),
    # Registry findings are evidence, like the check that found them.
    ModelRow(
        "crm_extended.registry.finding", "make_registry_finding", rights(read=MONEY)
    ),
    # Debtor lists are shared by all companies, set up by managers; their
    # versions are history written by the import only.
    ModelRow(
        "crm_extended.debtor.list",
        "make_debtor_list",
        rights(
            read=MONEY + ("other_company",),
            write=("manager", "other_company"),
            create=("manager", "other_company"),
            unlink=("manager", "other_company"),
        ),
    ),
    ModelRow(
        "crm_extended.debtor.list.version",
        "make_debtor_list_version",
        rights(read=MONEY + ("other_company",)),
    ),
    # Keeping customers (issue 18): contact caps belong to a company and are set
    # by its managers; complaint categories and causes are shared configuration;
    # a touch is seen by whoever may read the document behind it (here a
    # campaign member, shared like the member).
    ModelRow(
        "crm_extended.contact.cap",
        "make_contact_cap",
        rights(
            read=CARD,
            write=("manager",),
            create=("manager",),
            unlink=("manager",),
        ),
    ),
    ModelRow(
        "crm_extended.complaint.category",
        "make_complaint_category",
        configuration(CARD + ("other_company",)),
    ),
    ModelRow(
        "crm_extended.complaint.cause",
        "make_complaint_cause",
        configuration(CARD + ("other_company",)),
    ),
    ModelRow("crm_extended.touch", "make_touch", rights(CARD + ("other_company",))),
]


# other_company is a manager elsewhere: it may read the fields of the customer
# (shared by all companies), but company-dependent ones hold its own company's
# figures (test_other_company_sees_only_its_own_figures).
MONEY_ANYWHERE = MONEY + ("other_company",)
CARD_ANYWHERE = CARD + ("other_company",)

# Any card user may start these (a card user of another company too: what the
# wizard then reads or writes is checked by the records' own rules).
TRANSIENT_ROWS = [
    TransientRow("crm_extended.campaign.member.add", "make_member_add", CARD_ANYWHERE),
    TransientRow(
        "crm_extended.campaign.member.import", "make_member_import", CARD_ANYWHERE
    ),
    TransientRow(
        "crm_extended.campaign.member.import.line",
        "make_member_import_line",
        CARD_ANYWHERE,
    ),
    TransientRow(
        "crm_extended.campaign.attribution", "make_attribution", MONEY_ANYWHERE
    ),
    TransientRow(
        "crm_extended.campaign.attribution.line",
        "make_attribution_line",
        MONEY_ANYWHERE,
    ),
    TransientRow("crm_extended.registry.fill", "make_registry_fill", CARD_ANYWHERE),
    TransientRow(
        "crm_extended.registry.fill.line", "make_registry_fill_line", CARD_ANYWHERE
    ),
    TransientRow("crm_extended.call.log", "make_call_log", CARD_ANYWHERE),
    TransientRow("crm_extended.call.log.line", "make_call_log_line", CARD_ANYWHERE),
    # Manual registry evidence is recorded by accountants.
    TransientRow(
        "crm_extended.registry.manual", "make_registry_manual", MONEY_ANYWHERE
    ),
    # The selling reports' grouping is for the CRM's salespeople.
    TransientRow("crm_extended.report.grouping", "make_report_grouping", ()),
]

FIELD_ROWS = [
    # Ledger amounts, margins and ageing: accountants.
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "card_open_balance",
            "card_overdue_balance",
            "payment_overdue_amount",
            "payment_ageing_not_due",
            "payment_ageing_1_30",
            "payment_ageing_31_60",
            "payment_ageing_61_90",
            "payment_ageing_over_90",
            "card_profit_this_year",
            "card_profit_last_year",
            "card_profit_12m",
            "card_margin_this_year",
            "card_margin_last_year",
            "card_margin_12m",
            "registry_check_ids",
            "registry_check_count",
            "card_receivable_balance",
            "payment_open_amount",
            "card_credit_limit",
            "card_credit_limit_use",
            "card_last_payment_amount",
        ),
        MONEY_ANYWHERE,
    ),
    # Internal ratings: every card role, never a portal contact or a user
    # without a card role.
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "payment_grade",
            "payment_grade_reason",
            "payment_grade_data",
            "payment_avg_days_late",
            "payment_on_time_ratio",
            "payment_overdue_max_days",
            "registry_status",
            "registry_summary",
            "registry_reason_data",
            "registry_verified_at",
        ),
        CARD_ANYWHERE,
    ),
    FieldRow(
        "res.partner",
        "make_contact_person",
        ("crm_contact_role", "crm_decision_weight"),
        CARD_ANYWHERE,
    ),
    # The card itself: sales figures, counts and lists of card records.
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "card_turnover_this_year",
            "card_turnover_last_year",
            "card_turnover_12m",
            "card_invoice_count_this_year",
            "card_invoice_count_last_year",
            "card_invoice_count_12m",
            "card_avg_order_this_year",
            "card_avg_order_last_year",
            "card_avg_order_12m",
            "card_top_items_html",
            "card_trend_html",
            "card_pricelist_item_ids",
            "card_invoice_total_count",
            "card_contract_count",
            "card_complaint_count",
            "card_complaint_open_count",
            "card_complaint_avg_days",
            "card_timeline_ids",
            "card_contract_ids",
            "card_complaint_ids",
            "crm_call_count",
            "crm_call_missed_count",
            "crm_call_last_date",
            "card_dso",
            "card_last_payment_date",
            "sales_potential",
            "sales_potential_effective",
            "sales_potential_from_segment",
            "sales_potential_unused",
            "sales_yield",
        ),
        CARD_ANYWHERE,
    ),
    # The pipeline and quotation figures count the leads and quotations the
    # reader may read in the CRM and Sales: they need Sales rights, which no role
    # of the matrix has.
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "card_lead_open_count",
            "card_lead_open_expected",
            "card_lead_open_weighted",
            "card_open_lead_ids",
            "card_offer_count_12m",
            "card_offer_count_prev_12m",
            "card_offer_won_count_12m",
            "card_offer_won_count_prev_12m",
            "card_offer_lost_count_12m",
            "card_offer_lost_count_prev_12m",
            "card_offer_won_amount_12m",
            "card_offer_won_amount_prev_12m",
            "card_offer_lost_amount_12m",
            "card_offer_lost_amount_prev_12m",
            "card_win_rate_12m",
            "card_win_rate_prev_12m",
            "card_win_rate_amount_12m",
            "card_win_rate_amount_prev_12m",
            "card_days_to_win_12m",
            "card_days_to_win_prev_12m",
            "card_lost_to_competitor_count_12m",
            "card_lost_to_competitor_count_prev_12m",
            "card_quotation_open_amount",
            "card_quotation_open_count",
            "card_open_quotation_ids",
            "card_quotation_count_12m",
            "card_quotation_count_prev_12m",
            "card_quotation_won_count_12m",
            "card_quotation_won_count_prev_12m",
            "card_quotation_lost_count_12m",
            "card_quotation_lost_count_prev_12m",
            "card_quotation_won_amount_12m",
            "card_quotation_won_amount_prev_12m",
            "card_quotation_lost_amount_12m",
            "card_quotation_lost_amount_prev_12m",
            "card_quotation_win_rate_12m",
            "card_quotation_win_rate_prev_12m",
            "card_quotation_win_rate_amount_12m",
            "card_quotation_win_rate_amount_prev_12m",
            "card_days_to_order_12m",
            "card_days_to_order_prev_12m",
            "card_discount_12m",
            "card_discount_prev_12m",
        ),
        (),
    ),
    # When the payment history was last rebuilt: a technical date for admins.
    FieldRow("res.partner", "make_customer", ("crm_payment_rebuilt_at",), ()),
    FieldRow(
        "crm_extended.competitor",
        "make_competitor",
        ("lead_count", "lost_count"),
        (),
    ),
    FieldRow(
        "crm_extended.payment.snapshot",
        "make_payment_snapshot",
        ("paid_amount",),
        MONEY,
    ),
    # Buying rhythm (issue 18): a rating of the customer and turnover, which the
    # card shows every card role.
    FieldRow(
        "res.partner",
        "make_customer",
        ("drift_state", "drift_reason", "drift_lost_turnover"),
        CARD_ANYWHERE,
    ),
    FieldRow(
        "crm_extended.partner.drift",
        "make_partner_drift",
        ("turnover_12m", "turnover_prev_12m", "lost_turnover"),
        CARD,
    ),
    FieldRow(
        "crm_extended.segment.axis", "make_segment_axis", ("move_count",), CARD_ANYWHERE
    ),
    FieldRow(
        "utm.campaign",
        "make_campaign",
        (
            "budget",
            "actual_cost",
            "won_revenue",
            "invoiced_revenue",
            "paid_revenue",
            "cost_per_response",
            "roi",
        ),
        MONEY_ANYWHERE,
    ),
    FieldRow(
        "crm_extended.campaign.response.report",
        "make_campaign_response_report",
        ("won_revenue",),
        MONEY_ANYWHERE,
    ),
    FieldRow(
        "crm_extended.sale.report",
        "make_sale_report",
        ("cost", "profit"),
        MONEY,
    ),
    # Journal items are Odoo's: reading them needs Invoicing rights, which no role
    # of the matrix has (test_access_side_doors checks Invoicing with and without
    # the card Accountant role).
    FieldRow("account.move.line", "make_invoice_line", ("crm_cost_amount",), ()),
    FieldRow("account.invoice.report", "make_invoice_report", ("crm_cost",), ()),
    FieldRow(
        "crm_extended.registry.provider",
        "make_registry_provider",
        ("credentials",),
        ("manager", "other_company"),
    ),
    FieldRow("crm_extended.pbx", "make_pbx", ("token",), ("manager",)),
    # Contact pressure and satisfaction on the card (issue 18).
    FieldRow(
        "res.partner",
        "make_customer",
        (
            "card_touch_html",
            "card_csat",
            "card_csat_trend",
            "card_rating_count",
            "card_satisfaction_html",
        ),
        CARD_ANYWHERE,
    ),
    # A reminder's amounts and items: accountants; that one was sent, at which
    # level and when: every card role.
    FieldRow(
        "crm_extended.reminder",
        "make_reminder",
        (
            "line_ids",
            "move_line_ids",
            "open_item_ids",
            "amount_overdue",
            "amount_open",
            "interest_amount",
            "note",
        ),
        MONEY,
    ),
    FieldRow(
        "res.partner",
        "make_customer",
        ("crm_reminder_level_id", "crm_reminder_date", "crm_reminder_count"),
        CARD_ANYWHERE,
    ),
    FieldRow(
        "res.partner",
        "make_customer",
        ("crm_late_interest_amount", "crm_late_interest_html"),
        MONEY_ANYWHERE,
    ),
    FieldRow("crm_extended.open.item", "make_open_item", ("late_interest",), MONEY),
]

OWN_CUSTOMER_ROWS = [
    OwnCustomerRow("crm_extended.contract", "make_contract", "hidden"),
    OwnCustomerRow("crm_extended.complaint", "make_complaint", "hidden"),
    OwnCustomerRow("crm_extended.call", "make_call", "hidden"),
    OwnCustomerRow("crm_extended.campaign.member", "make_campaign_member", "hidden"),
    OwnCustomerRow("crm_extended.payment.snapshot", "make_payment_snapshot", "hidden"),
    OwnCustomerRow("crm_extended.partner.drift", "make_partner_drift", "hidden"),
    OwnCustomerRow("crm_extended.segment.move", "make_segment_move", "hidden"),
    OwnCustomerRow("crm_extended.registry.check", "make_registry_check", "accountants"),
    OwnCustomerRow("crm_extended.timeline", "make_timeline", "hidden"),
    OwnCustomerRow(
        "crm_extended.campaign.response.report",
        "make_campaign_response_report",
        "hidden",
    ),
    OwnCustomerRow("crm_extended.sale.report", "make_sale_report", "hidden"),
    OwnCustomerRow("crm_extended.reminder", "make_reminder", "hidden"),
    OwnCustomerRow("crm_extended.open.item", "make_open_item", "accountants"),
    OwnCustomerRow(
        "crm_extended.registry.finding", "make_registry_finding", "accountants"
    ),
    OwnCustomerRow("crm_extended.potential.report", "make_potential_report", "hidden"),
    # The CRM's own rules (own or all documents) of the leads behind them.
    OwnCustomerRow("crm_extended.sales.forecast", "make_sales_forecast", "documents"),
    OwnCustomerRow("crm_extended.offer.report", "make_offer_report", "documents"),
    # The partners' own segments are on the partner, which stays visible.
    OwnCustomerRow(
        "crm_extended.segment.membership", "make_segment_membership", "shown"
    ),
    OwnCustomerRow("crm_extended.touch", "make_touch", "hidden"),
    OwnCustomerRow("crm_extended.offset", "make_offset", "accountants"),
]
