"""Plain-Python checks of the card's period maths and top-items HTML (no Odoo)."""

from datetime import date

from addon_modules import load_module

periods = load_module("services/card_periods.py")
render = load_module("services/card_render.py")


def test_period_bounds():
    bounds = periods.period_bounds(date(2026, 3, 15))
    assert bounds["this_year"] == (date(2026, 1, 1), date(2026, 3, 15))
    assert bounds["last_year"] == (date(2025, 1, 1), date(2025, 12, 31))
    assert bounds["last_12m"] == (date(2025, 3, 16), date(2026, 3, 15))


def test_last_12_months_from_leap_day():
    assert periods.period_bounds(date(2028, 2, 29))["last_12m"][0] == date(2027, 3, 1)


def test_margin_and_average_without_revenue():
    assert periods.margin_percent(0.0, -10.0) == 0.0
    assert periods.margin_percent(200.0, 50.0) == 25.0
    assert periods.average(100.0, 0) == 0.0
    assert periods.average(100.0, 4) == 25.0


LABELS = {
    "by_revenue": "By revenue",
    "by_quantity": "By quantity",
    "product": "Product",
    "revenue": "Revenue",
    "quantity": "Quantity",
    "empty": "Nothing <yet>",
}


def test_top_items_are_escaped_and_ordered():
    top = {"revenue": [(1, 900.0, 2.0), (2, 50.0, 30.0)], "quantity": [(2, 50.0, 30.0)]}
    html = str(
        render.render_top_items(
            top, {1: "Pump <b>", 2: "Valve"}, lambda a: f"{a:.2f} €", LABELS
        )
    )
    assert "Pump &lt;b&gt;" in html
    assert "<td>900.00 €</td>" in html
    by_revenue, by_quantity = html.split("</table>")[:2]
    assert by_revenue.index("Pump") < by_revenue.index("Valve")
    assert "Pump" not in by_quantity


def test_no_items_message_is_escaped():
    html = str(render.render_top_items(None, {}, str, LABELS))
    assert "Nothing &lt;yet&gt;" in html


def test_month_starts_cross_the_year():
    months = render.month_starts(date(2026, 2, 17), count=3)
    assert months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_trend_draws_one_bar_per_month_with_negative_months():
    months = render.month_starts(date(2026, 3, 15))
    html = str(
        render.render_trend(
            months,
            {date(2026, 3, 1): 100.0, date(2026, 1, 1): -50.0},
            lambda a: f"{a:.2f}",
            "Turnover <per> month",
        )
    )
    assert html.count("<rect") == 12
    assert html.count("o_crm_card_bar_negative") == 2  # the style and one bar
    assert "03/2026: 100.00" in html
    assert "Turnover &lt;per&gt; month" in html


def test_trend_shows_each_value_and_an_axis_in_the_callers_format():
    months = render.month_starts(date(2026, 3, 15))
    html = str(
        render.render_trend(
            months,
            {date(2026, 3, 1): 12345.5, date(2026, 1, 1): -50.0},
            lambda a: f"{a:.2f} EUR".replace(".", ","),
            "Turnover",
            format_short=lambda a: f"<{a:.0f}>",
        )
    )
    # The value of each non-empty month stands at its bar, in the short format.
    assert 'class="o_crm_card_bar_value"' in html
    assert "&lt;12346&gt;</text>" in html
    assert "&lt;-50&gt;</text>" in html
    # An axis with the scale: zero, the highest and the lowest month.
    assert html.count('class="o_crm_card_tick"') == 3
    assert 'class="o_crm_card_axis"' in html
    # The exact amount in the tooltip, formatted by the caller.
    assert "03/2026: 12345,50 EUR" in html


def test_top_items_quantities_in_the_callers_format():
    top = {"revenue": [(1, 900.0, 2.5)], "quantity": [(1, 900.0, 2.5)]}
    html = str(
        render.render_top_items(
            top,
            {1: "Pump"},
            str,
            LABELS,
            format_quantity=lambda q: f"{q}".replace(".", ","),
        )
    )
    assert "<td>2,5</td>" in html
    assert "<td>2.5</td>" not in html
