from odoo import models

from ..services.ledger_query import ledger_index_sql


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        result = super().init()
        self.env.cr.execute(ledger_index_sql())
        return result
