from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmLedgerController(http.Controller):
    @http.route(
        "/crm_extended/ledger/xlsx/<int:partner_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def ledger_xlsx(self, partner_id, date_from=None, date_to=None, company_id=None):
        """The partner's ledger of a period as an Excel workbook."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise NotFound()
        try:
            company = int(company_id) if company_id else None
            content, filename = partner._crm_ledger_xlsx(
                date_from=date_from or None, date_to=date_to or None, company=company
            )
        except (AccessError, ValueError) as error:
            raise Forbidden() from error
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        "/crm_extended/ledger/open_items/xlsx/<int:partner_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def ledger_open_items_xlsx(self, partner_id, company_id=None):
        """The partner's open items (all periods) as an Excel workbook."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise NotFound()
        try:
            company = int(company_id) if company_id else None
            content, filename = partner._crm_ledger_open_items_xlsx(company=company)
        except (AccessError, ValueError) as error:
            raise Forbidden() from error
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
