"""Declarations of the card's computed figures: counts, amounts and ratios.

The pipeline figures (this addon) and the quotation figures (crm_extended_sale)
are dozens of read-only fields that differ only in their label, their compute
method and their kind; one factory declares them all alike (the card's
currency, one decimal for ratios, the sales group).
"""

from odoo import fields

PIPELINE_GROUPS = "sales_team.group_sale_salesman"


def card_figure(kind, compute, string, help_text=None, groups=PIPELINE_GROUPS):
    """A computed figure of the card: ``kind`` is "count", "amount" or "ratio"."""
    common = {"string": string, "compute": compute, "groups": groups, "help": help_text}
    if kind == "count":
        return fields.Integer(**common)
    if kind == "amount":
        return fields.Monetary(currency_field="card_currency_id", **common)
    if kind == "ratio":
        return fields.Float(digits=(16, 1), **common)
    raise ValueError(f"unknown kind of card figure: {kind}")
