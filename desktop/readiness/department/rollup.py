"""The per-province roll-up of a scope that spans provinces (the ministry's view of the 34 provinces).

One row per province in scope: communes expected, received (and the share), the mean score of those
received, the count per readiness level; provinces in Vietnamese order of their names.  Computed from a
:class:`~readiness.department.consolidate.Consolidation` (the same rows, scores and levels as every other
table), so the roll-up's totals are the scope's totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..text import sort_key
from .scope import province_short

if TYPE_CHECKING:
    from .consolidate import Consolidation


@dataclass
class ProvinceRow:
    code: str
    name: str  # «Thành phố Hà Nội»
    expected: int = 0
    received: int = 0
    scores: list[float] = field(default_factory=list, repr=False)
    levels: dict[str, int] = field(default_factory=dict)  # level id -> received communes at that level

    @property
    def short_name(self) -> str:
        return province_short(self.name)

    @property
    def mean_score(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def share(self) -> float:
        return self.received / self.expected if self.expected else 0.0

    def to_dict(self) -> dict[str, Any]:
        mean = self.mean_score
        return {"code": self.code, "name": self.name, "expected": self.expected, "received": self.received,
                "mean_score": None if mean is None else round(mean, 1), "levels": dict(self.levels)}


def spans_provinces(consolidation: Consolidation) -> bool:
    return len({row.province_code for row in consolidation.status.rows}) > 1


def province_rollup(consolidation: Consolidation) -> list[ProvinceRow]:
    """Every province of the scope's communes (expected counts every commune in scope, before the state and level
    filters, as the status report's ``expected`` does)."""
    from .consolidate import scope_rows

    by_code: dict[str, ProvinceRow] = {}
    for row in scope_rows(consolidation):
        entry = by_code.get(row.province_code)
        if entry is None:
            entry = by_code[row.province_code] = ProvinceRow(row.province_code, row.province_name)
        entry.expected += 1
    for row in consolidation.rows:  # received, scored
        entry = by_code.get(row.province_code)
        if entry is None:
            entry = by_code[row.province_code] = ProvinceRow(row.province_code, row.province_name)
        entry.received += 1
        if row.score is not None:
            entry.scores.append(row.score)
        if row.level:
            entry.levels[row.level] = entry.levels.get(row.level, 0) + 1
    return sorted(by_code.values(), key=lambda p: sort_key(p.short_name))


__all__ = ["ProvinceRow", "province_rollup", "spans_provinces"]
