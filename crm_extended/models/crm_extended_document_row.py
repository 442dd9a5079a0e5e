import functools

from odoo import api, models
from odoo.tools import SQL

from .card_group_memo import known_readable


class CrmExtendedDocumentRow(models.AbstractModel):
    """Rows of an SQL view that each stand for a document (``res_model``,
    ``res_id``): a row is read only by a user who may read its document, by
    that model's own ``_search`` (access rights and record rules), so the view
    never decides by itself who may read what."""

    _name = "crm_extended.document.row"
    _description = "Customer Card Row of a Document"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        if not self.env.su and not query.is_empty():
            query.add_where(self._readable_documents(query.table))
        return query

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        if operation == "read" and known_readable(self):
            return None  # found by the reader's own search within this read
        by_id = [("id", "in", self.ids)]
        domain = self._check_access_domain() or by_id
        forbidden = self - self.browse(self._search(domain))
        if forbidden and domain != by_id:
            # The narrower domain missed rows: decide on the ids alone.
            forbidden -= forbidden.browse(
                forbidden._search([("id", "in", forbidden.ids)])
            )
        if forbidden:
            return forbidden, functools.partial(
                self.env["ir.rule"]._make_access_error, operation, forbidden
            )
        return None

    def _check_access_domain(self):
        """The domain that finds the readable rows among ``self`` (empty:
        ``id in self.ids``). A view's ids are computed, so a search by id alone
        scans the whole view; a model may narrow it on an indexed column (the
        rows it returns are still the readable rows of ``self``)."""
        return []

    @api.model
    def _document_models(self):
        """The names of the models the rows' documents belong to."""
        raise NotImplementedError

    @api.model
    def _document_domain(self, model_name):
        """Further condition on the readable documents of ``model_name``."""
        return []

    @api.model
    def _readable_documents(self, alias):
        """SQL condition: the row's document is one the user may read (one
        sub-query per document model: the condition stays one statement)."""
        conditions = []
        for model_name in self._document_models():
            model = self.env[model_name].with_context(active_test=False)
            if not model.has_access("read"):
                continue
            readable = model._search(self._document_domain(model_name))
            conditions.append(
                SQL(
                    "(%s = %s AND %s IN %s)",
                    SQL.identifier(alias, "res_model"),
                    model_name,
                    SQL.identifier(alias, "res_id"),
                    readable.subselect(),
                )
            )
        if not conditions:
            return SQL("FALSE")
        return SQL("(%s)", SQL(" OR ").join(conditions))
