"""What the department keeps of one assessment's score: :class:`CommuneScore` (and its :class:`Gap`).

Apart from :mod:`.bulk` (the bulk scorer and the score cache, over the database) so that the import's
worker processes, which score each file they check, never load the database layer (SQLAlchemy).
:mod:`.bulk` re-exports both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..scoring import ScoreResult, Status


@dataclass(frozen=True, slots=True)
class Gap:
    """A criterion a commune has not met (``fail``) or left unanswered (``missing``)."""

    item_id: str
    section_id: str
    status: str
    critical: bool
    weight: float
    advice: str


@dataclass(frozen=True)
class CommuneScore:
    """What the department needs of one assessment's :class:`ScoreResult` (small, picklable)."""

    assessment_id: str
    checklist_key: str
    as_of: dt.date
    score: float
    level_id: str
    critical_failed: int
    unanswered_required: int
    completion: float
    sections: dict[str, float | None]
    statuses: dict[str, str]  # scored item id -> Status value ("pass", "fail", "na", "missing")
    problems: tuple[Gap, ...]  # not met or not answered, critical first, then by weight
    # The scoring rules' own findings, for the investment needs (readiness.department.needs) and the
    # inventories: "item.let" -> the rows a ``count(table, condition)`` let counts (0-based, only when
    # it counts some), and "item.let" -> the number another let computed (numbers only).
    rows: dict[str, tuple[int, ...]] = field(default_factory=dict)
    values: dict[str, float | int | bool] = field(default_factory=dict)

    @classmethod
    def of(cls, assessment_id: str, result: ScoreResult, as_of: dt.date) -> CommuneScore:
        problems = sorted(
            (r for r in result.items.values() if r.status in (Status.FAIL, Status.MISSING)),
            key=lambda r: (not r.critical, -r.weight, r.status is Status.MISSING),
        )
        rows: dict[str, tuple[int, ...]] = {}
        values: dict[str, float | int | bool] = {}
        for item_id, item in result.items.items():
            for name, hits in item.rows.items():
                if hits:
                    rows[f"{item_id}.{name}"] = hits
            for name, value in item.computed.items():
                if name not in item.rows and isinstance(value, (int, float, bool)):
                    values[f"{item_id}.{name}"] = value
        return cls(
            assessment_id=assessment_id, checklist_key=result.checklist_key, as_of=as_of,
            score=result.score, level_id=result.level_id, critical_failed=result.critical_failed,
            unanswered_required=result.unanswered_required, completion=result.completion,
            sections={s.section_id: s.score for s in result.sections},
            statuses={item_id: r.status.value for item_id, r in result.items.items()},
            problems=tuple(Gap(r.item_id, r.section_id, r.status.value, r.critical, r.weight, r.advice)
                           for r in problems),
            rows=rows, values=values,
        )

    def rows_of(self, item_id: str, let: str) -> tuple[int, ...]:
        """The rows the ``let`` of ``item_id``'s rule counts (empty when none, or when it did not apply)."""
        return self.rows.get(f"{item_id}.{let}", ())

    def value_of(self, item_id: str, let: str) -> float | int | bool | None:
        """The number the ``let`` of ``item_id``'s rule computed (None when it did not apply)."""
        return self.values.get(f"{item_id}.{let}")

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Criteria not met (Chưa đạt), critical first."""
        return tuple(g for g in self.problems if g.status == Status.FAIL.value)

    @property
    def critical_problems(self) -> tuple[Gap, ...]:
        """Critical criteria not met or not answered: what keeps a commune from "ready"."""
        return tuple(g for g in self.problems if g.critical)
