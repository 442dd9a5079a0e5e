import functools

from odoo import api, models
from odoo.tools import SQL

from .card_group_memo import (
    group_checks_remembered,
    known_readable,
    remember_readable,
)


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

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # A list's page: the rows found by the reader's own search (with the
        # reader's rules, see _search) are read right after; checking them again
        # by their computed ids would scan every row of the view.
        with group_checks_remembered(self.env):
            return super().web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            )

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # With the rows: what their access check reads (the companies' rule
        # reads company_id, _check_access_domain partner_id); fetched later by
        # id, it would scan the whole view.
        extra = [
            name
            for name in ("company_id", "partner_id")
            if name in self._fields and name not in field_names
        ]
        records = super().search_fetch(
            domain, [*field_names, *extra], offset=offset, limit=limit, order=order
        )
        remember_readable(records)
        return records

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
            # Correlated on the row's document: under the OR an uncorrelated
            # "IN (sub-select)" is hashed whole, i.e. every document the user
            # may read (every partner of the company) for a page of 20 rows;
            # EXISTS lets PostgreSQL probe the document's primary key per row,
            # or hash when that is cheaper (a count of the whole timeline).
            conditions.append(
                SQL(
                    "(%s = %s AND EXISTS(SELECT FROM %s WHERE %s = %s AND %s))",
                    SQL.identifier(alias, "res_model"),
                    model_name,
                    readable.from_clause,
                    SQL.identifier(readable.table, "id"),
                    SQL.identifier(alias, "res_id"),
                    readable.where_clause or SQL("TRUE"),
                )
            )
        if not conditions:
            return SQL("FALSE")
        return SQL("(%s)", SQL(" OR ").join(conditions))
