"""HTML of the card's top items, from plain data (no Odoo import)."""

from markupsafe import Markup, escape


def _table(title, headers, rows):
    head = Markup("").join(Markup("<th>%s</th>") % header for header in headers)
    body = Markup("").join(
        Markup("<tr>%s</tr>")
        % Markup("").join(Markup("<td>%s</td>") % cell for cell in row)
        for row in rows
    )
    return Markup(
        '<div class="o_crm_card_top_items col-lg-6">'
        "<h5>%s</h5>"
        '<table class="table table-sm"><thead><tr>%s</tr></thead>'
        "<tbody>%s</tbody></table></div>"
    ) % (title, head, body)


def render_top_items(top, names, format_amount, labels):
    """Two small tables: top products by revenue and by quantity.

    ``top`` is {"revenue": [(product_id, revenue, quantity)], "quantity": [...]},
    ``names`` maps product ids to names, ``format_amount`` formats money and
    ``labels`` holds the translated texts (by_revenue, by_quantity, product,
    revenue, quantity, empty).
    """
    if not top or not top["revenue"]:
        return Markup('<p class="text-muted">%s</p>') % labels["empty"]
    headers = (labels["product"], labels["revenue"], labels["quantity"])

    def rows(items):
        return [
            (
                escape(names.get(product_id, "")),
                format_amount(revenue),
                f"{quantity:g}",
            )
            for product_id, revenue, quantity in items
        ]

    return Markup('<div class="row">%s%s</div>') % (
        _table(labels["by_revenue"], headers, rows(top["revenue"])),
        _table(labels["by_quantity"], headers, rows(top["quantity"])),
    )


def month_starts(today, count=12):
    """First days of the ``count`` months up to today's month, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(today.replace(year=year, month=month, day=1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return starts[::-1]


def render_trend(months, totals, format_amount, title):
    """A bar chart (inline SVG) of the turnover per month.

    ``months`` are the first days of the months to show, ``totals`` maps them
    to the turnover; negative months (more credit notes than invoices) are drawn
    below the axis.
    """
    width, height, gap = 36, 90, 6
    values = [totals.get(month, 0.0) for month in months]
    top = max([value for value in values if value > 0] or [1.0])
    bottom = min([value for value in values if value < 0] or [0.0])
    span = top - bottom or 1.0
    zero = height * top / span
    bars = []
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        bar = abs(value) * height / span
        y = zero - bar if value >= 0 else zero
        x = index * (width + gap)
        bars.append(
            Markup(
                '<g><title>%s: %s</title><rect x="%d" y="%.1f" width="%d" '
                'height="%.1f" class="%s"/><text x="%d" y="%d" font-size="10" '
                'text-anchor="middle">%s</text></g>'
            )
            % (
                month.strftime("%m/%Y"),
                format_amount(value),
                x,
                y,
                width,
                max(bar, 0.5),
                "o_crm_card_bar" if value >= 0 else "o_crm_card_bar_negative",
                x + width // 2,
                height + 14,
                month.strftime("%m/%y"),
            )
        )
    total_width = len(months) * (width + gap)
    return Markup(
        '<div class="o_crm_card_trend"><h5>%s</h5>'
        '<svg role="img" width="%d" height="%d" viewBox="0 0 %d %d">'
        "<style>.o_crm_card_bar{fill:#71639e}.o_crm_card_bar_negative{fill:#d44c59}"
        "</style>%s</svg></div>"
    ) % (
        title,
        total_width,
        height + 20,
        total_width,
        height + 20,
        Markup("").join(bars),
    )
