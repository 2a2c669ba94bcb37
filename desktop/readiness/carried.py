"""What carried answers have in common, for :mod:`readiness.carry` (the words, what a section still needs)
and :mod:`readiness.carry_compare` (the copy's plan, the comparison with the previous period): the mark of
a carried answer or row, a period's label, and a value of an older definition read under a newer one.
Qt-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .answers import AnswerError, coerce, to_json
from .checklist.model import Checklist, Column, Item

CARRIED = "carried"  # the ``source`` of a carried answer or row


def period_label(period: str) -> str:
    """``2025-11`` -> ``11/2025``."""
    return f"{period[5:]}/{period[:4]}" if len(period or "") == 7 else period


def item_of(checklist: Checklist, item_id: str) -> Item | None:
    """The checklist's item of that id; ``None`` when it has none."""
    try:
        return checklist.item(item_id)
    except KeyError:
        return None


def recoerced(spec: Item | Column, old_spec: Item | Column, value: Any) -> Any:
    """A value of the older definition read under the newer one; ``None`` when it cannot be."""
    try:
        return coerce(spec, to_json(old_spec, value))
    except AnswerError:
        return None


def carried_meta(meta: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The ``carried`` part of an answer's or row's meta (``None`` when it was not carried)."""
    carried = (meta or {}).get(CARRIED)
    return carried if isinstance(carried, dict) else None
