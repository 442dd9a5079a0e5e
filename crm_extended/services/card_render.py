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
