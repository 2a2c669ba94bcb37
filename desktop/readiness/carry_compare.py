"""Carry forward, the parts a draft needs only when there is an earlier period: the plan of what a new
draft copies (:func:`plan`) and the comparison of a draft with the previous period (:func:`compare`: the
marks in the window, the PDF and the workbook).  Qt-free.

Apart from :mod:`readiness.carry` (which words it all, and says what each section still needs) so that a
window opening a draft with no earlier period does not create these data classes at its start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .answers import Answers, Row, row_to_json, to_json
from .carried import CARRIED, carried_meta, item_of, period_label, recoerced
from .checklist.model import Checklist, Column, Item, ItemType, Refresh
from .scoring import ScoreResult

if TYPE_CHECKING:  # the store's records, duck-typed here (this module never imports the store)
    from .store.db import AssessmentInfo


# -- planning the copy --------------------------------------------------------------------------


@dataclass
class CarryPlan:
    """What a new draft receives: stored JSON values with their ``meta``, per item."""

    answers: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    rows: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = field(default_factory=dict)

    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def plan(checklist: Checklist, previous_checklist: Checklist, previous: Answers, source: AssessmentInfo) -> CarryPlan:
    """What to copy from ``previous`` (answers made with ``previous_checklist``) into a new draft made
    with ``checklist``: every answer of a ``keep`` or ``confirm`` item that ``checklist`` still has and
    can read (a choice it no longer offers is left out), table rows without their ``renew`` columns."""
    out = CarryPlan()
    origin = {"from_period": source.period, "from_revision": source.revision, "from_assessment": source.id}
    for item in checklist.items():
        if checklist.refresh(item.id) is Refresh.RENEW or item.id not in previous.values:
            continue
        old_item = item_of(previous_checklist, item.id)
        if old_item is None or (old_item.type is ItemType.TABLE) != (item.type is ItemType.TABLE):
            continue
        if item.type is ItemType.TABLE:
            rows = []
            for row in previous.rows(item.id):
                values = _carried_row(checklist, item, old_item, row)
                if values:
                    meta = {**(row.meta or {}), CARRIED: {**origin, "from_source": row.source, "from_row": row.id}}
                    rows.append((row_to_json(item, values), meta))
            if rows:
                out.rows[item.id] = rows[: item.max_rows]
            continue
        value = recoerced(item, old_item, previous.values[item.id])
        if value is None:
            continue
        meta = {**(previous.meta.get(item.id) or {}),
                CARRIED: {**origin, "from_source": previous.sources.get(item.id, "typed")}}
        out.answers[item.id] = (to_json(item, value), meta)
    return out


def _carried_row(checklist: Checklist, item: Item, old_item: Item, row: Row) -> dict[str, Any]:
    old_columns = {c.id: c for c in old_item.columns or ()}
    values = {}
    for column in item.columns or ():
        if checklist.column_refresh(item.id, column.id) is Refresh.RENEW or column.id not in row.values:
            continue
        if column.id not in old_columns:
            continue
        value = recoerced(column, old_columns[column.id], row.values[column.id])
        if value is not None:
            values[column.id] = value
    return values


# -- the previous period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """The previous period's finalized assessment a draft is compared with, scored as of the day it
    was finalized (so its statuses are the ones it had then)."""

    info: AssessmentInfo
    checklist: Checklist
    answers: Answers
    result: ScoreResult
    # Its answers read under a (newer) checklist, per checklist key: computed once (they never change).
    readable: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def read_under(self, checklist: Checklist) -> dict[str, Any]:
        """Item id -> its value read under ``checklist`` (tables: [(position, row, values)]); items
        ``checklist`` does not have, or of another kind, are left out."""
        cached = self.readable.get(checklist.key)
        if cached is not None:
            return cached
        out: dict[str, Any] = {}
        for item in checklist.items():
            old_item = item_of(self.checklist, item.id)
            if old_item is None or (old_item.type is ItemType.TABLE) != (item.type is ItemType.TABLE):
                continue
            if item.type is ItemType.TABLE:
                old_columns = {c.id: c for c in old_item.columns or ()}
                rows = []
                for index, row in enumerate(self.answers.rows(item.id), start=1):
                    values = {}
                    for column in item.columns or ():
                        if column.id in old_columns and column.id in row.values:
                            value = recoerced(column, old_columns[column.id], row.values[column.id])
                            values[column.id] = row.values[column.id] if value is None else value
                    rows.append((index, row, values))
                out[item.id] = rows
                continue
            value = self.answers.get(item.id)
            if value is not None:
                readable = recoerced(item, old_item, value)
                out[item.id] = value if readable is None else readable  # unreadable: shown as it was
        self.readable[checklist.key] = out
        return out

    @property
    def period(self) -> str:
        return self.info.period

    @property
    def label(self) -> str:
        return period_label(self.info.period)


# -- comparing with the previous period ------------------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    """A row added (``before`` is None), removed (``row`` is None) or edited (``columns`` changed)."""

    row: Row | None
    before: Row | None
    position: int | None = None  # 1-based, in the table now (added and edited rows)
    before_position: int | None = None  # 1-based, in last period's table
    columns: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.row is None else "edited"


@dataclass(frozen=True)
class Change:
    """An answer that differs from last period's (tables: the rows that differ)."""

    item_id: str
    before: Any
    after: Any
    rows: tuple[RowChange, ...] = ()
    before_relevant: bool = True
    after_relevant: bool = True


def compare(checklist: Checklist, answers: Answers, relevant: Mapping[str, bool], base: Base) -> dict[str, Change]:
    """Item id -> how its answer differs from the base period's (only items that differ).

    An item that does not apply counts as unanswered (its stored answer is not used).  Values of
    the base are read under ``checklist`` (a newer version may have moved on).  Table rows carried
    from the base are matched to their originals; other rows to an identical row of the base.
    """
    out: dict[str, Change] = {}
    before_values = base.read_under(checklist)
    for item in checklist.items():
        if item.id not in before_values and item_of(base.checklist, item.id) is None:
            continue
        now_on = bool(relevant.get(item.id))
        then_on = bool(base.result.relevant.get(item.id))
        if item.type is ItemType.TABLE:
            if item.id not in before_values:
                continue
            rows_now = answers.rows(item.id) if now_on else []
            rows_then = before_values[item.id] if then_on else []
            row_changes = _compare_rows(item, rows_now, rows_then, base.info.id)
            if row_changes:
                out[item.id] = Change(item.id, [row for _, row, _ in rows_then], rows_now, tuple(row_changes),
                                      then_on, now_on)
            continue
        after = answers.get(item.id) if now_on else None
        before = before_values.get(item.id) if then_on else None
        if not _same(item, before, after):
            out[item.id] = Change(item.id, before, after, (), then_on, now_on)
    return out


def _same(spec: Item | Column, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if spec.type is ItemType.MULTI_CHOICE:
        return sorted(a) == sorted(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def _compare_rows(item: Item, rows_now: list[Row], rows_then: list[tuple[int, Row, dict[str, Any]]],
                  base_id: str) -> list[RowChange]:
    columns = list(item.columns or ())
    unmatched = {row.id: (index, row, values) for index, row, values in rows_then}
    pairs: list[tuple[int, Row, tuple[int, Row, dict[str, Any]] | None]] = []
    for index, row in enumerate(rows_now, start=1):
        carried = carried_meta(row.meta)
        origin = carried.get("from_row") if carried and carried.get("from_assessment") == base_id else None
        pairs.append((index, row, unmatched.pop(origin, None) if origin in unmatched else None))
    for position, (index, row, match) in enumerate(pairs):  # rows typed again: an identical row of the base
        if match is None:
            for key, (_old_index, _old_row, old_values) in list(unmatched.items()):
                if _row_differences(columns, row.values, old_values) == ():
                    pairs[position] = (index, row, unmatched.pop(key))
                    break
    changes: list[RowChange] = []
    for index, row, match in pairs:
        if match is None:
            changes.append(RowChange(row, None, index))
            continue
        old_index, old_row, old_values = match
        differences = _row_differences(columns, row.values, old_values)
        if differences:
            changes.append(RowChange(row, Row(values=old_values, id=old_row.id, source=old_row.source,
                                              meta=old_row.meta), index, old_index, differences))
    for old_index, old_row, old_values in unmatched.values():
        changes.append(RowChange(None, Row(values=old_values, id=old_row.id, source=old_row.source, meta=old_row.meta),
                                 None, old_index))
    return changes


def _row_differences(columns: list[Column], now: Mapping[str, Any], then: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(c.id for c in columns if not _same(c, then.get(c.id), now.get(c.id)))
