"""Collect record ids during a transaction and process them once, just before
it commits (Odoo's ``cr.precommit``): a posting or reconciliation touching many
customers leads to one set-based refresh, not one per write."""

import functools


def collect(cr, key, ids, process):
    """Add ``ids`` to the set kept under ``key`` in the cursor's pre-commit data.

    The first call of a transaction registers ``process``: just before the
    commit it is called once with every id collected under ``key``.
    """
    ids = set(ids)
    if not ids:
        return
    data = cr.precommit.data
    if key not in data:
        data[key] = set()
        cr.precommit.add(functools.partial(_process_collected, cr, key, process))
    data[key].update(ids)


def _process_collected(cr, key, process):
    ids = cr.precommit.data.pop(key, set())
    if ids:
        process(ids)
