from odoo import models
from odoo.tools import SQL


class CrmExtendedSegmentReportMixin(models.AbstractModel):
    """Reports with a customer (``partner_id``) grouped by one segmentation axis.

    The reports carry ``segment_value_ids``, related to the customer's
    segments; grouping by it puts a row in the group of each of its customer's
    segments. With ``crm_segment_axis_id`` in the context (the report opened
    for one axis) only that axis' values are joined, so each row falls into
    exactly one group: its customer's value on the axis, or "None".
    """

    _name = "crm_extended.segment.report.mixin"
    _description = "Report grouped by a segmentation axis"

    def _segment_axis_id(self):
        axis_id = self.env.context.get("crm_segment_axis_id")
        return int(axis_id) if axis_id else None

    def _read_group_groupby(self, groupby_spec, query):
        axis_id = self._segment_axis_id()
        if groupby_spec != "segment_value_ids" or not axis_id:
            return super()._read_group_groupby(groupby_spec, query)
        values = self.env["crm_extended.segment.value"]
        rel_alias = query.make_alias(self._table, "segment_axis")
        condition = SQL(
            "%s = %s AND %s IN (SELECT id FROM %s WHERE axis_id = %s)",
            SQL.identifier(self._table, "partner_id"),
            SQL.identifier(rel_alias, "partner_id"),
            SQL.identifier(rel_alias, "value_id"),
            SQL.identifier(values._table),
            axis_id,
        )
        query.add_join(
            "LEFT JOIN", rel_alias, "crm_extended_partner_segment_rel", condition
        )
        return SQL.identifier(rel_alias, "value_id")

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        axis_id = self._segment_axis_id()
        if not axis_id or "segment_value_ids" not in lazy_groupby:
            return result
        # The "None" group of one axis: customers without a value on it.
        none_term = ("segment_value_ids", "=", False)
        axis_none = ("segment_value_ids", "not any", [("axis_id", "=", axis_id)])
        for row in rows_dict:
            if "__domain" in row:
                row["__domain"] = [
                    axis_none
                    if isinstance(term, (list, tuple)) and tuple(term) == none_term
                    else term
                    for term in row["__domain"]
                ]
        return result
