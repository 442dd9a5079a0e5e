"""Numbers and amounts written the reader's way, for the card's many figures.

``formatLang`` and ``format_amount`` look the reader's language up again for
every number (a few hundred microseconds each); the card writes some fifty
numbers per opening (chart bars, top items, reasons). This formatter looks the
language up once and writes the same text as those two functions.
"""

from odoo.tools.float_utils import float_round
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_lang import intersperse

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"


class CardNumbers:
    def __init__(self, env):
        lang = get_lang(env)
        self._grouping = eval_grouping(lang.grouping)
        self._thousands_sep = lang.thousands_sep or ""
        self.decimal_point = lang.decimal_point

    def _grouped(self, text):
        parts = text.split(".")
        parts[0] = intersperse(parts[0], self._grouping, self._thousands_sep)[0]
        return self.decimal_point.join(parts)

    def number(self, value, digits=2):
        """As ``formatLang(env, value, digits=digits)``."""
        value = float_round(value, precision_digits=digits, rounding_method="HALF-EVEN")
        return self._grouped(f"%.{digits}f" % value)

    def amount(self, value, currency):
        """As ``format_amount(env, value, currency)``."""
        text = (
            self._grouped(f"%.{currency.decimal_places}f" % currency.round(value))
            .replace(" ", NO_BREAK_SPACE)
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        symbol = currency.symbol or ""
        if currency.position == "before":
            return f"{symbol}{NO_BREAK_SPACE}{text}"
        return f"{text}{NO_BREAK_SPACE}{symbol}"


def eval_grouping(grouping):
    """res.lang's grouping ("[3,0]") as the list ``intersperse`` takes."""
    return [int(count) for count in grouping.strip("[] ").split(",") if count.strip()]
