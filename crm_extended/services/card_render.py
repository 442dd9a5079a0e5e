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


def _plain_quantity(quantity):
    return f"{quantity:g}"


def render_top_items(top, names, format_amount, labels, format_quantity=None):
    """Two small tables: top products by revenue and by quantity.

    ``top`` is {"revenue": [(product_id, revenue, quantity)], "quantity": [...]},
    ``names`` maps product ids to names, ``format_amount`` formats money,
    ``format_quantity`` quantities (both in the reader's language) and
    ``labels`` holds the translated texts (by_revenue, by_quantity, product,
    revenue, quantity, empty).
    """
    format_quantity = format_quantity or _plain_quantity
    if not top or not top["revenue"]:
        return Markup('<p class="text-muted">%s</p>') % labels["empty"]
    headers = (labels["product"], labels["revenue"], labels["quantity"])

    def rows(items):
        return [
            (
                escape(names.get(product_id, "")),
                format_amount(revenue),
                format_quantity(quantity),
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


def render_trend(months, totals, format_amount, title, format_short=None):
    """A bar chart (inline SVG) of the turnover per month.

    ``months`` are the first days of the months to show, ``totals`` maps them
    to the turnover; negative months (more credit notes than invoices) are drawn
    below the zero line. Each bar carries its value (``format_short``, a compact
    form of ``format_amount`` that fits above a bar) and its exact amount in
    the tooltip; an axis on the left shows the scale.
    """
    format_short = format_short or format_amount
    width, gap, height = 44, 6, 110
    axis, top_pad, bottom_pad = 64, 16, 18
    values = [totals.get(month, 0.0) for month in months]
    top = max([value for value in values if value > 0] or [0.0])
    bottom = min([value for value in values if value < 0] or [0.0])
    span = (top - bottom) or 1.0
    zero = top_pad + height * top / span

    def y_of(value):
        return zero - value * height / span

    ticks = [0.0]
    if top > 0:
        ticks.append(top)
    if bottom < 0:
        ticks.append(bottom)
    parts = [
        Markup('<line class="o_crm_card_axis" x1="%d" y1="%d" x2="%d" y2="%d"/>')
        % (axis, top_pad, axis, top_pad + height)
    ]
    for tick in ticks:
        parts.append(
            Markup(
                '<g class="o_crm_card_tick"><line x1="%d" y1="%.1f" x2="%d" '
                'y2="%.1f"/><text x="%d" y="%.1f" text-anchor="end">%s</text></g>'
            )
            % (
                axis - 4,
                y_of(tick),
                axis + len(months) * (width + gap),
                y_of(tick),
                axis - 6,
                y_of(tick) + 3,
                format_short(tick),
            )
        )
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        bar = abs(value) * height / span
        y = zero - bar if value >= 0 else zero
        x = axis + gap + index * (width + gap)
        label_y = y - 3 if value >= 0 else y + bar + 11
        parts.append(
            Markup(
                '<g><title>%s: %s</title><rect x="%d" y="%.1f" width="%d" '
                'height="%.1f" class="%s"/>'
                '<text class="o_crm_card_bar_value" x="%d" y="%.1f" '
                'text-anchor="middle">%s</text>'
                '<text x="%d" y="%d" text-anchor="middle">%s</text></g>'
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
                label_y,
                format_short(value) if value else "",
                x + width // 2,
                top_pad + height + bottom_pad + 12,
                month.strftime("%m/%y"),
            )
        )
    total_width = axis + gap + len(months) * (width + gap)
    total_height = top_pad + height + bottom_pad + 18
    return Markup(
        '<div class="o_crm_card_trend"><h5>%s</h5>'
        '<svg role="img" width="%d" height="%d" viewBox="0 0 %d %d" font-size="10">'
        "<style>.o_crm_card_bar{fill:#71639e}.o_crm_card_bar_negative{fill:#d44c59}"
        ".o_crm_card_axis,.o_crm_card_tick line{stroke:#adb5bd;stroke-width:1}"
        ".o_crm_card_tick text{fill:#6c757d}</style>%s</svg></div>"
    ) % (
        title,
        total_width,
        total_height,
        total_width,
        total_height,
        Markup("").join(parts),
    )
