"""Expected vs received: the state of every commune of the register for a reporting period.

Per commune, one state:

- ``missing``: nothing for the period;
- ``draft``: only a draft (started, never finalized or sent);
- ``outdated``: finalized with a checklist version older than the newest installed one;
- ``resubmitted``: finalized, and it is a correction (revision 2 or later);
- ``submitted``: finalized (revision 1).

The assessment that counts is the newest *finalized* revision; a draft opened on top of it (a
correction in progress) does not hide it (``has_newer_draft`` says so).  Score and level are the
ones stored when the assessment was finalized; a draft is scored on the fly (``provisional``).
Section scores and critical failures need the answers: ask for them with ``detail=True`` (they
are then loaded in bulk and scored by :mod:`readiness.department.bulk`).

``held``: the later revisions kept aside because they would have replaced a validly signed one
(:mod:`readiness.department.held`); the state and score stay those of the revision in use.

``cycle``: where the commune stands against the period's deadline (on time, late, held, refused,
missing: :mod:`readiness.department.cycle`); the report's ``cycle`` holds the totals (expected,
received, reporting rate, on time, on-time rate).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..numbers import integer, score as score_words, share
from ..register import Commune
from ..store.db import AssessmentInfo, StoreError, period_label, validate_period
from ..store.imports import HeldInfo
from ..text import fold, same_name
from .bulk import CommuneScore, Scoring, start_scoring
from .cycle import CYCLE_LABELS, CYCLE_STATES, CommuneCycle, CycleSummary, local
from .vocabulary import KINDS, STATES

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from ..service import Workspace

RECEIVED_STATES = ("submitted", "resubmitted", "outdated")
STATE_LABELS = {
    "submitted": "Đã nộp",
    "resubmitted": "Đã nộp lại (bản sửa)",
    "outdated": "Đã nộp, bảng kiểm cũ",
    "draft": "Mới có bản nháp",
    "missing": "Chưa nộp",
}
FORMER_PROVINCES = ("Quảng Ngãi", "Kon Tum")


@dataclass(frozen=True)
class StatusFilters:
    """Which communes to look at (the one scope of every department report, :mod:`readiness.department.scope`).

    ``province``: a province code, ``None``/``"all"`` for the country; ``communes``: only these commune codes
    (a selection, a named group), within the other filters; ``group``: the named group they come from (wording).
    """

    province: str | None = "51"
    former_province: str | None = None
    kind: str | None = None
    level: str | None = None
    state: str | None = None
    search: str | None = None
    communes: tuple[str, ...] = ()
    group: str | None = None
    cycle: str | None = None  # on_time / late / received / held / refused / missing (readiness.department.cycle)

    def normalized(self, level_ids: list[str]) -> StatusFilters:
        """Check the values (Vietnamese messages) and spell them as the register does."""
        kind = self.kind
        if kind:
            found = [k for k in KINDS if fold(k) == fold(kind)]
            if not found:
                raise StoreError("E-FILTER", f"Loại đơn vị «{kind}» không hợp lệ; chọn một trong: {', '.join(KINDS)}.")
            kind = found[0]
        level = self.level
        if level:
            if level not in level_ids:
                raise StoreError("E-FILTER", f"Mức «{level}» không hợp lệ; chọn một trong: {', '.join(level_ids)}.")
        state = self.state
        if state and state not in STATES:
            raise StoreError("E-FILTER", f"Trạng thái «{state}» không hợp lệ; chọn một trong: {', '.join(STATES)}.")
        if self.cycle and self.cycle not in CYCLE_STATES:
            raise StoreError("E-FILTER", f"Tình trạng hạn nộp «{self.cycle}» không hợp lệ; chọn một trong: "
                             f"{', '.join(CYCLE_STATES)}.")
        province = None if self.province in (None, "", "all") else self.province
        communes = tuple(dict.fromkeys(code.strip() for code in self.communes if code and code.strip()))
        return replace(self, kind=kind, province=province, communes=communes)

    def describe(self) -> str:
        parts = []
        if self.group:
            parts.append(f"nhóm «{self.group}»")
        elif self.communes:
            parts.append(f"{integer(len(self.communes))} đơn vị đã chọn")
        if self.former_province:
            parts.append(f"thuộc tỉnh {self.former_province} (cũ)")
        if self.kind:
            parts.append(f"loại {self.kind}")
        if self.level:
            parts.append(f"mức {self.level}")
        if self.state:
            parts.append(STATE_LABELS.get(self.state, self.state).lower())
        if self.cycle:
            parts.append(CYCLE_LABELS[self.cycle].lower())
        if self.search:
            parts.append(f"tên có «{self.search}»")
        return ", ".join(parts)


@dataclass(frozen=True)
class CommuneStatus:
    code: str
    name: str
    kind: str
    province_code: str
    province_name: str
    former_province: str | None
    state: str
    assessment_id: str | None = None
    revision: int | None = None
    status: str | None = None  # draft / finalized / superseded
    checklist_id: str | None = None
    checklist_version: int | None = None
    submitted_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    origin: str | None = None
    score: float | None = None
    level: str | None = None
    provisional: bool = False  # a draft scored on the fly
    has_newer_draft: bool = False
    section_scores: dict[str, float | None] | None = None
    critical_failed: int | None = None
    signature: str | None = None  # an imported assessment's signature: valid / unsigned / invalid (readiness.signing)
    held: tuple[HeldInfo, ...] = ()  # later revisions held, waiting for the department (pending only)
    cycle: CommuneCycle | None = None  # against the period's deadline (readiness.department.cycle)
    result: CommuneScore | None = field(default=None, repr=False, compare=False)

    @property
    def received(self) -> bool:
        return self.state in RECEIVED_STATES

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def to_dict(self, level_labels: dict[str, str] | None = None) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "kind": self.kind, "province_code": self.province_code,
            "former_province": self.former_province, "state": self.state, "state_label": self.state_label,
            "assessment": self.assessment_id, "revision": self.revision, "status": self.status,
            "checklist": f"{self.checklist_id}@{self.checklist_version}" if self.checklist_id else None,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "origin": self.origin,
            "score": None if self.score is None else round(self.score, 1),
            "level": self.level,
            "level_label": (level_labels or {}).get(self.level, self.level) if self.level else None,
            "provisional": self.provisional, "has_newer_draft": self.has_newer_draft,
            "section_scores": None if self.section_scores is None else {
                k: None if v is None else round(v, 1) for k, v in self.section_scores.items()},
            "critical_failed": self.critical_failed,
            "signature": self.signature,
            "held": [held.to_dict() for held in self.held],
            "cycle": self.cycle.to_dict() if self.cycle else None,
        }


@dataclass(frozen=True)
class LevelInfo:
    id: str
    label: str
    color: str


@dataclass
class StatusReport:
    period: str
    filters: StatusFilters
    checklist_key: str  # the newest installed checklist (what "outdated" is measured against)
    levels: list[LevelInfo]
    sections: list[tuple[str, str]]  # (section id, title) of the newest checklist
    rows: list[CommuneStatus]  # after every filter, Vietnamese order
    expected: int  # communes in scope (province, former province, kind, search), before state/level filters
    by_state: dict[str, int]  # over the communes in scope
    by_level: dict[str, int]  # over the received communes in scope (stored level)
    generated_at: dt.datetime
    elapsed: float = 0.0
    cycle: CycleSummary | None = None  # expected, received, on time … over the communes in scope

    @property
    def deadline(self) -> dt.date | None:
        return self.cycle.deadline if self.cycle else None

    @property
    def received(self) -> int:
        return sum(self.by_state.get(s, 0) for s in RECEIVED_STATES)

    @property
    def level_labels(self) -> dict[str, str]:
        return {level.id: level.label for level in self.levels}

    @property
    def held(self) -> list[HeldInfo]:
        """The pending held revisions of the communes shown."""
        return [held for row in self.rows for held in row.held]

    def to_dict(self) -> dict[str, Any]:
        labels = self.level_labels
        return {
            "period": self.period, "checklist": self.checklist_key,
            "filters": {k: v for k, v in vars(self.filters).items() if v},
            "expected": self.expected, "received": self.received, "held": len(self.held),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "cycle": self.cycle.to_dict() if self.cycle else None,
            "late": [row.code for row in self.rows if row.cycle and row.cycle.state == "late"],
            "missing": [row.code for row in self.rows if row.cycle and not row.cycle.received],
            "by_state": {s: self.by_state.get(s, 0) for s in STATES},
            "by_level": {level.id: self.by_level.get(level.id, 0) for level in self.levels},
            "levels": [vars(level) for level in self.levels],
            "sections": [{"id": sid, "title": title} for sid, title in self.sections],
            "communes": [row.to_dict(labels) for row in self.rows],
            "generated_at": self.generated_at.isoformat(),
        }


def newest_versions(workspace: Workspace) -> dict[str, int]:
    newest: dict[str, int] = {}
    for checklist_id, version in workspace.library.available():
        newest[checklist_id] = max(version, newest.get(checklist_id, 0))
    return newest


def checklists_of(workspace: Workspace, infos: list[AssessmentInfo]) -> dict[str, Checklist]:
    """Checklist key -> definition, for every version these assessments were made with."""
    out: dict[str, Checklist] = {}
    for info in infos:
        key = f"{info.checklist_id}@{info.checklist_version}"
        if key not in out:
            out[key] = workspace.checklist_for(info)
    return out


def effective(revisions: list[AssessmentInfo]) -> tuple[AssessmentInfo | None, bool]:
    """The assessment that counts among a commune's revisions for a period, and whether a newer draft exists."""
    if not revisions:
        return None, False
    ordered = sorted(revisions, key=lambda i: i.revision, reverse=True)
    finalized = [i for i in ordered if i.status != "draft"]
    if finalized:
        chosen = finalized[0]
        return chosen, any(i.is_draft and i.revision > chosen.revision for i in ordered)
    return ordered[0], False


def state_of(info: AssessmentInfo | None, newest: dict[str, int]) -> str:
    if info is None:
        return "missing"
    if info.is_draft:
        return "draft"
    if info.checklist_version < newest.get(info.checklist_id, info.checklist_version):
        return "outdated"
    if info.revision > 1:
        return "resubmitted"
    return "submitted"


def scope_communes(workspace: Workspace, filters: StatusFilters) -> list[Commune]:
    """Communes of the register in scope, in Vietnamese order."""
    communes = workspace.store.communes(filters.search, filters.province)
    if filters.communes:
        wanted = set(filters.communes)
        known = {c.code for c in workspace.store.all_communes()}
        unknown = [code for code in filters.communes if code not in known]
        if unknown:
            raise StoreError("E-FILTER", f"Không có đơn vị hành chính mã {', '.join(f'«{c}»' for c in unknown[:10])} "
                             "trong danh mục.")
        communes = [c for c in communes if c.code in wanted]
    if filters.former_province:
        communes = [c for c in communes if c.former_province and same_name(c.former_province, filters.former_province)]
    if filters.kind:
        communes = [c for c in communes if c.kind == filters.kind]
    return communes


def period_status(workspace: Workspace, period: str, filters: StatusFilters | None = None, *,
                  detail: bool = False, today: dt.date | None = None, workers: int | None = None,
                  cancelled: Callable[[], bool] | None = None) -> StatusReport:
    """Expected vs received for ``period`` (see the module docstring).

    ``detail``: also section scores and critical failures (answers loaded in bulk and scored).
    ``today``: the date drafts (and, when given, every assessment) are scored as of.
    ``cancelled``: asked while scoring (:func:`~.bulk.score_many`: :class:`~.bulk.ScoringStopped` when it says stop).
    """
    import time

    started = time.perf_counter()
    period = validate_period(period)
    latest = workspace.latest_checklist()
    filters = (filters or StatusFilters()).normalized([level.id for level in latest.levels])
    newest = newest_versions(workspace)
    communes = scope_communes(workspace, filters)
    codes = {c.code for c in communes}

    by_commune: dict[str, list[AssessmentInfo]] = {}
    for revision in workspace.store.assessments(period):
        if revision.commune_code in codes:
            by_commune.setdefault(revision.commune_code, []).append(revision)

    rows: list[CommuneStatus] = []
    for commune in communes:
        info, newer_draft = effective(by_commune.get(commune.code, []))
        state = state_of(info, newest)
        row = CommuneStatus(
            code=commune.code, name=commune.name, kind=commune.kind, province_code=commune.province_code,
            province_name=commune.province_name, former_province=commune.former_province, state=state,
            has_newer_draft=newer_draft,
        )
        if info is not None:
            row = replace(
                row, assessment_id=info.id, revision=info.revision, status=info.status,
                checklist_id=info.checklist_id, checklist_version=info.checklist_version,
                submitted_at=info.finalized_at, updated_at=info.updated_at, origin=info.origin,
                score=info.score, level=info.level,
            )
        rows.append(row)
    infos = {info.id: info for infos in by_commune.values() for info in infos}

    def scoring_of(selected: list[CommuneStatus]) -> Scoring | None:
        need = [infos[row.assessment_id] for row in selected
                if row.assessment_id and (detail or row.score is None or row.level is None)]
        return start_scoring(workspace.store, checklists_of(workspace, need), need, today=today,
                             workers=workers) if need else None

    # The scoring begins before the signatures, held revisions and cycle are read (a pool's workers start
    # meanwhile), unless the cycle filter is to choose which communes are scored.
    scoring = None if filters.cycle else scoring_of(_selected(rows, filters))
    try:
        from ..signing.records import with_signatures

        rows = with_signatures(workspace.store, rows)  # the signature check kept with each imported assessment
        rows = _with_held(workspace, period, rows)
        rows, cycle = _with_cycle(workspace, period, rows)
    except BaseException:
        if scoring is not None:
            scoring.close()
        raise

    by_state = Counter(row.state for row in rows)
    selected = _selected(rows, filters)
    if filters.cycle:
        scoring = scoring_of(selected)
    scores: dict[str, CommuneScore] = {}
    if scoring is not None:
        with scoring:
            scores = scoring.results(cancelled)
    for index, row in enumerate(selected):
        result = scores.get(row.assessment_id or "")
        if result is None:
            continue
        updates: dict[str, Any] = {"result": result}
        if row.score is None or row.level is None:
            updates.update(score=result.score, level=result.level_id, provisional=row.status == "draft")
        if detail:
            updates.update(section_scores=dict(result.sections), critical_failed=result.critical_failed)
        selected[index] = replace(row, **updates)
    if filters.level:
        selected = [row for row in selected if row.level == filters.level]

    by_level = Counter(row.level for row in rows if row.received and row.level)
    return StatusReport(
        period=period, filters=filters, checklist_key=latest.key,
        levels=[LevelInfo(level.id, level.label.vi, level.color) for level in latest.levels],
        sections=[(s.id, s.title.vi) for s in latest.sections],
        rows=selected, expected=len(rows), by_state=dict(by_state), by_level=dict(by_level),
        generated_at=dt.datetime.now(dt.UTC), elapsed=time.perf_counter() - started, cycle=cycle,
    )


def _selected(rows: list[CommuneStatus], filters: StatusFilters) -> list[CommuneStatus]:
    """The rows shown: filtered on state first (cheap), on the cycle's state, on level (a row without a stored
    level stays: it is scored first, then filtered again)."""
    selected = [row for row in rows if not filters.state or row.state == filters.state]
    if filters.cycle:
        selected = [row for row in selected if row.cycle is not None and row.cycle.state == filters.cycle]
    if filters.level:
        selected = [row for row in selected if row.level is None or row.level == filters.level]
    return selected


def _with_held(workspace: Workspace, period: str, rows: list[CommuneStatus]) -> list[CommuneStatus]:
    from ..store.imports import held_revisions

    by_commune: dict[str, list[HeldInfo]] = {}
    for held in held_revisions(workspace.store, period=period):
        by_commune.setdefault(held.commune_code, []).append(held)
    if not by_commune:
        return rows
    return [replace(row, held=tuple(by_commune[row.code])) if row.code in by_commune else row for row in rows]


def _with_cycle(workspace: Workspace, period: str, rows: list[CommuneStatus]
                ) -> tuple[list[CommuneStatus], CycleSummary]:
    """Each row with its place in the period's cycle; the totals over them all."""
    from .cycle import cycles_for, period_deadline, summarize

    deadline = period_deadline(workspace, period)
    held = {row.code: len(row.held) for row in rows if row.held}
    cycles = cycles_for(workspace, period, [row.code for row in rows], held, deadline=deadline)
    rows = [replace(row, cycle=cycles[row.code]) for row in rows]
    return rows, summarize(period, deadline, [row.cycle for row in rows if row.cycle is not None])


def format_status(report: StatusReport) -> str:
    """The text ``readiness status`` prints."""
    labels = report.level_labels
    scope = report.filters.describe()
    lines = [
        f"Tình hình nộp bản tự đánh giá kỳ {period_label(report.period)}"
        + (f" — {scope}" if scope else ""),
        f"Phải nộp: {integer(report.expected)}; đã nhận: {integer(report.received)} "
        f"({share(report.received / report.expected if report.expected else 0)}).",
        "  " + "; ".join(f"{STATE_LABELS[s]}: {integer(report.by_state.get(s, 0))}" for s in STATES),
        "  Mức sẵn sàng (bản đã nhận): " + "; ".join(
            f"{level.label}: {integer(report.by_level.get(level.id, 0))}" for level in report.levels),
        "",
    ]
    if report.cycle is not None:
        lines[1] = report.cycle.status_line()
        lines[-1:-1] = _cycle_lists(report)
    held = report.held
    if held:
        lines[-1:-1] = [
            f"Bản nộp mới bị giữ lại, chờ Sở quyết định: {len(held)} (bản đã ký số vẫn được dùng). Chấp nhận: "
            "readiness held accept --id N --reason «…»; bỏ: readiness held dismiss --id N --reason «…».",
        ]
    show_sections = any(row.section_scores is not None for row in report.rows)
    numbers = {sid: index for index, (sid, _title) in enumerate(report.sections, start=1)}
    scored_sections = [sid for sid, _ in report.sections
                       if any(row.section_scores and row.section_scores.get(sid) is not None for row in report.rows)]
    if show_sections:
        lines.append("Điểm từng phần (sau dấu |): " + "; ".join(
            f"phần {numbers[sid]}. {title}" for sid, title in report.sections if sid in scored_sections))
    for row in report.rows:
        score = "" if row.score is None else score_words(row.score, fixed=True)  # a column: «80,0» beside «72,3»
        level = labels.get(row.level or "", row.level or "")
        if row.provisional:
            level += " (tạm tính)"
        extra = f" lần {row.revision}" if row.revision and row.revision > 1 else ""
        if row.state == "outdated":
            extra += f", bảng kiểm v{row.checklist_version}"
        if row.has_newer_draft:
            extra += ", đang sửa"
        former = f" [{row.former_province}]" if row.former_province else ""
        cycle = _cycle_cell(row, report.deadline)
        line = (f"{row.code}  {row.name:<28}{former:<14} {row.state_label:<22}{extra:<18} {score:>5}  {level:<22}"
                f"{cycle}")
        if show_sections and row.section_scores:
            line += "  | " + " ".join(f"{score_words(row.section_scores.get(sid), fixed=True):>5}"
                                      for sid in scored_sections)
            if row.critical_failed:
                line += f"  | trọng yếu chưa đạt: {row.critical_failed}"
        lines.append(line.rstrip())
        for item in row.held:
            lines.append(f"       ↳ giữ lại [{item.id}] lần {item.revision}, tệp {item.file_name}: {item.reason_code}: "
                         f"{item.reason}")
    return "\n".join(lines)


def _cycle_cell(row: CommuneStatus, deadline: dt.date | None) -> str:
    """«Đúng hạn (04/01/2026)», «Sau hạn 3 ngày (08/01/2026)», «Tệp bị từ chối (06/01/2026)»; nothing
    for a commune that sent nothing (its state already says it)."""
    cycle = row.cycle
    if cycle is None or cycle.state == "missing":
        return ""
    if cycle.first is not None:
        when = local(cycle.first.received_at).strftime("%d/%m/%Y") if cycle.first.received_at else ""
        word = {"on_time": "Đúng hạn", "late": f"Sau hạn {cycle.days_late} ngày" if cycle.days_late else "Sau hạn",
                None: "Nhận"}[cycle.timeliness]
        return f"{word} ({when})" if when else word
    return f"{cycle.label} ({local(cycle.refused[-1].at):%d/%m/%Y})"


def _cycle_lists(report: StatusReport) -> list[str]:
    """The late communes and those still missing, named (the rows shown), for ``readiness status``."""
    lines: list[str] = []
    late = [row for row in report.rows if row.cycle and row.cycle.state == "late"]
    missing = [row for row in report.rows if row.cycle and not row.cycle.received]
    if late:
        lines.append(f"Nộp sau hạn ({len(late)}): " + "; ".join(
            f"{row.name} ({row.cycle.days_late} ngày)" if row.cycle.days_late else row.name  # type: ignore[union-attr]  # rows with a cycle
            for row in late) + ".")
    if missing and report.cycle is not None and report.cycle.deadline is not None:
        refused = [row for row in missing if row.cycle.state == "refused"]  # type: ignore[union-attr]  # as above
        lines.append(f"Chưa nộp ({len(missing)}): " + "; ".join(row.name for row in missing) + ".")
        if refused:
            lines.append(f"  trong đó có tệp bị từ chối ({len(refused)}): " + "; ".join(
                f"{row.name} ({row.cycle.refused[-1].code})" for row in refused) + ".")  # type: ignore[union-attr]
    return lines
