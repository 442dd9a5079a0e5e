"""Group checks answered once per reading of a card.

Opening a card reads some 200 fields; Odoo checks the reader's groups for each
field when it reads, fetches and computes it, and the card's restricted fields
once more (card_field_guard): about 500 group checks, each a few ormcache
lookups. Within one ``web_read`` of partners nothing changes the reader's
groups, so each distinct check is answered once and remembered until the read
returns. Outside such a read nothing is remembered.

The rows of the card's own lists that a search just found for the reader (a
search applies the reader's access rules) are remembered the same way, so that
reading them right after does not check the same rows again.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_MEMO = ContextVar("crm_extended_group_memo", default=None)


@contextmanager
def group_checks_remembered(env):
    """Remember the answers of ``res.users.has_group(s)`` within the block, for
    the transaction of ``env`` only."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set((env.cr, {}))
    try:
        yield
    finally:
        _MEMO.reset(token)


def remembered(user, kind, spec, check):
    """``check()``'s answer for ``user`` and ``spec``, remembered within
    ``group_checks_remembered`` (same transaction, same calling user)."""
    current = _MEMO.get()
    if current is None or current[0] is not user.env.cr or not user.id:
        return check()
    memo = current[1]
    key = (kind, user.id, user.env.uid, user.env.su, spec)
    if key not in memo:
        memo[key] = check()
    return memo[key]


def remember_readable(records):
    """Remember that the reader may read ``records`` (just found by a search
    made as the reader), within ``group_checks_remembered``."""
    current = _MEMO.get()
    if current is None or current[0] is not records.env.cr or records.env.su:
        return
    key = ("readable", records._name, records.env.uid)
    current[1].setdefault(key, set()).update(records._ids)


def known_readable(records):
    """Whether every record of ``records`` was remembered readable for the
    reader by ``remember_readable`` within the current read."""
    current = _MEMO.get()
    if current is None or current[0] is not records.env.cr or records.env.su:
        return False
    known = current[1].get(("readable", records._name, records.env.uid))
    return bool(known) and known.issuperset(records._ids)
