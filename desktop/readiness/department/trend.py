"""Trend across periods: one commune, or the whole province (or any scope of the register).

For each period with received assessments: the score (a commune's, or the average of every commune
that reported that period), the level (or how many communes at each level) and the section scores.
Between two periods, what improved and what got worse: criteria whose status changed between met
(Đạt) and not met (Chưa đạt, or left unanswered), counted per commune for a province.

Like with like: a change between two periods (:class:`Comparison`, the headline and each step) is
computed over the communes that reported in both, and says how many were left out («so sánh 80 xã có
báo cáo cả hai kỳ; 16 xã không tính»).  Had 16 weak communes reported only in the second month, the
difference of the two all-communes averages would fall although no commune got worse; those averages
stay in :attr:`TrendPoint.score`, labelled as such wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..numbers import integer, score as score_words
from ..register import Commune
from ..scoring import Status
from ..store.db import StoreError, period_label, validate_period
from .bulk import CommuneScore
from .consolidate import criteria_of
from .status import StatusFilters, period_status

if TYPE_CHECKING:
    from ..service import Workspace

MAX_PERIODS = 120
_NOT_MET = (Status.FAIL.value, Status.MISSING.value)


@dataclass(frozen=True)
class TrendPoint:
    period: str
    received: int  # communes with a received assessment (0 or 1 for one commune)
    score: float | None  # the commune's score, or the average of the received ones
    level: str | None  # the commune's level (None for a province)
    level_counts: dict[str, int]
    section_scores: dict[str, float | None]  # the commune's, or averages
    revision: int | None = None
    expected: int = 0  # communes in scope (readiness.department.cycle: DHIS2's expected reports)
    on_time: int = 0  # received on time (0 when the period has no deadline)
    late: int = 0
    deadline: dt.date | None = None

    @property
    def reporting_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected and self.deadline else None

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "received": self.received, "expected": self.expected,
                "reporting_rate": None if self.reporting_rate is None else round(self.reporting_rate, 4),
                "deadline": self.deadline.isoformat() if self.deadline else None, "on_time": self.on_time,
                "late": self.late,
                "on_time_rate": None if self.on_time_rate is None else round(self.on_time_rate, 4),
                "score": None if self.score is None else round(self.score, 1), "level": self.level,
                "level_counts": self.level_counts, "revision": self.revision,
                "section_scores": {k: None if v is None else round(v, 1) for k, v in self.section_scores.items()}}


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    number: str
    label: str
    section_id: str
    critical: bool
    communes: tuple[tuple[str, str], ...]  # (code, name) of the communes where it changed

    @property
    def count(self) -> int:
        return len(self.communes)

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item_id, "number": self.number, "label": self.label, "section": self.section_id,
                "critical": self.critical, "count": self.count,
                "communes": [{"code": c, "name": n} for c, n in self.communes]}


@dataclass(frozen=True)
class Comparison:
    """Two periods compared like with like: the communes that reported in both."""

    before: str
    after: str
    compared: int  # communes with a received assessment in both periods
    left_out: int  # communes with one in only one of the two (not compared)
    before_score: float | None  # the compared communes' average in ``before``
    after_score: float | None

    @property
    def change(self) -> float | None:
        if self.before_score is None or self.after_score is None:
            return None
        return self.after_score - self.before_score

    def sentence(self, unit: str = "xã") -> str:
        """«so sánh 80 xã có báo cáo cả hai kỳ; 16 xã không tính» (no clause for nobody left out)."""
        if not self.compared:
            return f"không có {unit} nào có báo cáo cả hai kỳ để so sánh"
        text = f"so sánh {integer(self.compared)} {unit} có báo cáo cả hai kỳ"
        return text + (f"; {integer(self.left_out)} {unit} không tính" if self.left_out else "")

    def sentence_en(self) -> str:
        if not self.compared:
            return "no commune reported in both periods"
        text = f"comparing the {integer(self.compared, 'en')} communes that reported in both periods"
        return text + (f"; {integer(self.left_out, 'en')} left out" if self.left_out else "")

    def to_dict(self) -> dict[str, Any]:
        change = self.change
        return {"from": self.before, "to": self.after, "compared": self.compared, "left_out": self.left_out,
                "score_before": None if self.before_score is None else round(self.before_score, 1),
                "score_after": None if self.after_score is None else round(self.after_score, 1),
                "change": None if change is None else round(change, 1), "text": self.sentence()}


@dataclass(frozen=True)
class Step:
    before: str
    after: str
    improved: list[ItemChange]
    worsened: list[ItemChange]
    score_change: float | None  # like with like: over the communes that reported in both (``comparison``)
    comparison: Comparison | None = None
    mean_change: float | None = None  # the all-communes averages' difference (not like with like)


@dataclass
class Trend:
    scope: str  # "commune" or "province"
    commune: Commune | None
    start: str
    end: str
    points: list[TrendPoint]  # periods with data, oldest first
    steps: list[Step]  # between consecutive points
    improved: list[ItemChange] = field(default_factory=list)  # first point -> last point
    worsened: list[ItemChange] = field(default_factory=list)
    compared: int = 0  # communes present in both the first and the last period
    headline: Comparison | None = None  # the first and the last period, like with like

    @property
    def first(self) -> TrendPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> TrendPoint | None:
        return self.points[-1] if self.points else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "commune": {"code": self.commune.code, "name": self.commune.name} if self.commune else None,
            "from": self.start, "to": self.end,
            "points": [p.to_dict() for p in self.points],
            "compared": self.compared,
            "headline": self.headline.to_dict() if self.headline else None,
            "improved": [c.to_dict() for c in self.improved],
            "worsened": [c.to_dict() for c in self.worsened],
            "steps": [{"from": s.before, "to": s.after,
                       "score_change": None if s.score_change is None else round(s.score_change, 1),
                       "comparison": s.comparison.to_dict() if s.comparison else None,
                       "mean_change": None if s.mean_change is None else round(s.mean_change, 1),
                       "improved": [c.to_dict() for c in s.improved], "worsened": [c.to_dict() for c in s.worsened]}
                      for s in self.steps],
        }


def months(start: str, end: str) -> list[str]:
    start, end = validate_period(start), validate_period(end)
    if start > end:
        raise StoreError("E-PERIOD", f"Kỳ đầu {period_label(start)} sau kỳ cuối {period_label(end)}.")
    out = []
    year, month = int(start[:4]), int(start[5:])
    while True:
        current = f"{year:04d}-{month:02d}"
        out.append(current)
        if current == end or len(out) > MAX_PERIODS:
            break
        month += 1
        if month > 12:
            year, month = year + 1, 1
    if len(out) > MAX_PERIODS:
        raise StoreError("E-PERIOD", f"Khoảng thời gian quá dài (tối đa {MAX_PERIODS} tháng).")
    return out


def trend(workspace: Workspace, start: str, end: str, *, commune: str | None = None,
          filters: StatusFilters | None = None, today: dt.date | None = None, workers: int | None = None) -> Trend:
    """Scores and levels per period from ``start`` to ``end`` (``YYYY-MM``), and what changed.

    ``commune``: one commune's code; otherwise every commune in ``filters``' scope (default: the province).
    """
    periods = months(start, end)
    checklist = workspace.latest_checklist()
    sections, criteria = criteria_of(checklist)
    info_of = {c.item_id: c for c in criteria}
    target = workspace.store.commune(commune) if commune else None
    if target is not None:
        filters = StatusFilters(province=target.province_code, search=target.code)
    filters = filters or StatusFilters()
    with_data = set()
    for period in periods:  # cheap: which periods have anything at all
        if any(i.status != "draft" and (target is None or i.commune_code == target.code)
               for i in workspace.store.assessments(period)):
            with_data.add(period)

    points: list[TrendPoint] = []
    results: dict[str, dict[str, tuple[str, CommuneScore]]] = {}  # period -> code -> (name, score)
    scored: dict[str, dict[str, float]] = {}  # period -> code -> the score the points average (as stored)
    for period in periods:
        if period not in with_data:
            continue
        status = period_status(workspace, period, filters, detail=True, today=today, workers=workers)
        rows = [row for row in status.rows if row.received and row.result is not None
                and (target is None or row.code == target.code)]
        if not rows:
            continue
        results[period] = {row.code: (row.name, row.result) for row in rows if row.result}
        scored[period] = {row.code: row.score for row in rows if row.result and row.score is not None}
        scores = [row.score for row in rows if row.score is not None]
        section_scores: dict[str, float | None] = {}
        for section in sections:
            values = [row.section_scores.get(section.id) for row in rows if row.section_scores]
            present = [v for v in values if v is not None]
            section_scores[section.id] = sum(present) / len(present) if present else None
        cycle = status.cycle
        if target is not None:
            mine = [row.cycle for row in status.rows if row.code == target.code and row.cycle is not None]
            on_time = sum(1 for c in mine if c.timeliness == "on_time")
            late = sum(1 for c in mine if c.timeliness == "late")
            expected = 1
        else:
            on_time, late, expected = (cycle.on_time, cycle.late, cycle.expected) if cycle else (0, 0, status.expected)
        points.append(TrendPoint(
            period=period, received=len(rows), score=sum(scores) / len(scores) if scores else None,
            level=rows[0].level if target is not None else None,
            level_counts=dict(Counter(row.level for row in rows if row.level)),
            section_scores=section_scores, revision=rows[0].revision if target is not None else None,
            expected=expected, on_time=on_time, late=late, deadline=cycle.deadline if cycle else None,
        ))

    def changes(before: str, after: str) -> tuple[list[ItemChange], list[ItemChange], int]:
        improved: dict[str, list[tuple[str, str]]] = {}
        worsened: dict[str, list[tuple[str, str]]] = {}
        common = sorted(set(results[before]) & set(results[after]))
        for code in common:
            name, old = results[before][code]
            _, new = results[after][code]
            for item_id, new_status in new.statuses.items():
                old_status = old.statuses.get(item_id)
                if old_status is None or item_id not in info_of:
                    continue
                if old_status in _NOT_MET and new_status == Status.PASS.value:
                    improved.setdefault(item_id, []).append((code, name))
                elif old_status == Status.PASS.value and new_status in _NOT_MET:
                    worsened.setdefault(item_id, []).append((code, name))

        def made(found: dict[str, list[tuple[str, str]]]) -> list[ItemChange]:
            out = [ItemChange(item_id, info_of[item_id].number, info_of[item_id].label, info_of[item_id].section_id,
                              info_of[item_id].critical, tuple(communes)) for item_id, communes in found.items()]
            out.sort(key=lambda c: (-c.count, not c.critical, tuple(int(p) for p in c.number.split("."))))
            return out

        return made(improved), made(worsened), len(common)

    def compare(before: str, after: str) -> Comparison:
        old, new = results[before], results[after]
        common = set(old) & set(new)

        def mean(period: str) -> float | None:
            values = [scored[period][code] for code in common if code in scored[period]]
            return sum(values) / len(values) if values else None

        return Comparison(before, after, len(common), len(set(old) | set(new)) - len(common), mean(before), mean(after))

    steps = []
    for before, after in zip(points, points[1:]):
        improved, worsened, _ = changes(before.period, after.period)
        mean_change = None if before.score is None or after.score is None else after.score - before.score
        comparison = compare(before.period, after.period)
        steps.append(Step(before.period, after.period, improved, worsened, comparison.change, comparison, mean_change))
    result = Trend(scope="commune" if target else "province", commune=target, start=periods[0], end=periods[-1],
                   points=points, steps=steps)
    if len(points) >= 2:
        result.improved, result.worsened, result.compared = changes(points[0].period, points[-1].period)
        result.headline = compare(points[0].period, points[-1].period)
    elif points:
        result.compared = points[0].received
    return result


def format_trend(trend_: Trend, level_labels: dict[str, str]) -> str:
    who = trend_.commune.name if trend_.commune else "toàn bộ các xã trong phạm vi"
    lines = [f"Diễn biến của {who}, từ {period_label(trend_.start)} đến {period_label(trend_.end)}"]
    if not trend_.points:
        lines.append("Không có bản đánh giá nào đã hoàn thành trong khoảng thời gian này.")
        return "\n".join(lines)
    for point in trend_.points:
        score = score_words(point.score)
        if trend_.commune:
            level = level_labels.get(point.level or "", point.level or "")
            timely = ""
            if point.deadline is not None:
                timely = ", đúng hạn" if point.on_time else ", sau hạn"
            lines.append(f"  {period_label(point.period)}: {score} điểm, {level} (lần {point.revision}{timely})")
        else:
            order = list(level_labels) + [k for k in point.level_counts if k not in level_labels]
            counts = ", ".join(f"{level_labels.get(k, k)}: {integer(point.level_counts[k])}"
                               for k in order if k in point.level_counts)
            timely = ""
            if point.deadline is not None:
                timely = (f" (đúng hạn {integer(point.on_time)}/{integer(point.expected)}"
                          + (f", sau hạn {integer(point.late)}" if point.late else "") + ")")
            lines.append(f"  {period_label(point.period)}: {integer(point.received)} xã đã nộp{timely}, điểm bình quân "
                         f"của các xã đã nộp {score} ({counts})")
    if len(trend_.points) >= 2:
        first, last = trend_.points[0].period, trend_.points[-1].period
        headline = trend_.headline
        if headline is not None and trend_.commune is None:
            text = f"So sánh {period_label(first)} với {period_label(last)} ({headline.sentence()})"
            if headline.change is not None:
                text += (f": điểm bình quân {score_words(headline.before_score)} → {score_words(headline.after_score)} "
                         f"({_signed(headline.change)})")
            lines.append(text + ".")
        lines.append(f"So sánh {period_label(first)} với {period_label(last)}"
                     + ("" if trend_.commune else f" ({integer(trend_.compared)} xã có cả hai kỳ)") + ":")
        for title, found in (("Đã cải thiện (Chưa đạt → Đạt)", trend_.improved),
                             ("Xấu đi (Đạt → Chưa đạt)", trend_.worsened)):
            lines.append(f"  {title}: {integer(len(found)) if found else 'không có'}")
            for change in found:
                mark = " [trọng yếu]" if change.critical else ""
                count = "" if trend_.commune else f" — {integer(change.count)} xã"
                lines.append(f"    {change.number} {change.label}{mark}{count}")
    return "\n".join(lines)


def _signed(value: float) -> str:
    """«+2,8», «-1,5», «0» (one decimal, decimal comma)."""
    from ..numbers import number, round_score

    rounded = round_score(value) or 0.0
    return ("+" if rounded > 0 else "") + number(rounded, decimals=1)
