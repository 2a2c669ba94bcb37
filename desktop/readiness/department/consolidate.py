"""Consolidation for the dashboard and the reports: communes × sections, levels, common gaps.

Everything here is data (no Qt): the department's dashboard shows it, the reports print it, the
CLI prints it as JSON.  It is built from :func:`readiness.department.status.period_status` with
``detail=True`` and covers the communes whose assessment was received (finalized).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from ..answers import Answers, describe
from ..checklist.model import Checklist, ItemType
from ..register import Commune
from ..scoring import ScoreResult, Status, score
from ..store.db import AssessmentInfo, validate_period
from ..text import sort_key
from .bulk import RawAnswers, load_raw, reference_date, typed_answers, typed_value
from .status import CommuneStatus, LevelInfo, StatusFilters, StatusReport, effective, period_status, state_of, newest_versions

if TYPE_CHECKING:
    from ..document_settings import DocumentSettings
    from ..service import Workspace
    from ..store.models import PetitionRow

STATUS_LABELS = {s.value: s.label("vi") for s in Status}


@dataclass(frozen=True)
class SectionInfo:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class Criterion:
    """A scored item of the newest checklist: a column of the section sheets and the gap matrix."""

    item_id: str
    number: str  # "3.1"
    label: str
    section_id: str
    critical: bool
    weight: float


@dataclass(frozen=True)
class GapCount:
    criterion: Criterion
    count: int  # communes where it is not met (Chưa đạt) or left unanswered
    applicable: int  # communes where it applies (scored, not "Không áp dụng")
    share: float  # count / communes received

    def to_dict(self) -> dict[str, Any]:
        c = self.criterion
        return {"item": c.item_id, "number": c.number, "label": c.label, "section": c.section_id,
                "critical": c.critical, "count": self.count, "applicable": self.applicable,
                "share": round(self.share, 4)}


@dataclass(frozen=True)
class LevelCount:
    level: LevelInfo
    count: int
    share: float  # of communes received


@dataclass
class Consolidation:
    period: str
    status: StatusReport
    checklist: Checklist  # the newest definition: its sections and criteria are the columns
    sections: list[SectionInfo]  # sections with scored criteria
    criteria: list[Criterion]
    rows: list[CommuneStatus]  # received communes, Vietnamese order, each with ``result``
    levels: list[LevelCount]
    section_averages: dict[str, float | None]
    common_gaps: list[GapCount]  # most frequent first
    today: dt.date | None = None
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    # The PCs' findings of the received communes, found by the report's first reader (the investment needs) for
    # the PCs' inventory, which takes them (readiness.department.findings.shared_pc_findings): found once a report.
    pc_findings: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- the consolidated table ------------------------------------------------------------------
    def score_table(self, sort_by: str = "name", descending: bool = False) -> list[CommuneStatus]:
        """Rows sorted by ``name`` (Vietnamese order), ``code``, ``score``, ``level``, ``critical`` or a section id.

        Rows without a value sort last whichever the direction.
        """
        level_rank = {lc.level.id: index for index, lc in enumerate(self.levels)}

        def value(row: CommuneStatus) -> Any:
            if sort_by == "name":
                return sort_key(row.name)
            if sort_by == "code":
                return row.code
            if sort_by == "score":
                return row.score
            if sort_by == "level":
                return level_rank.get(row.level or "")
            if sort_by == "critical":
                return row.critical_failed
            if row.section_scores is not None and sort_by in {s.id for s in self.sections}:
                return row.section_scores.get(sort_by)
            raise KeyError(sort_by)

        present = [row for row in self.rows if value(row) is not None]
        absent = [row for row in self.rows if value(row) is None]
        present.sort(key=lambda row: (value(row), sort_key(row.name)), reverse=descending)
        return present + absent

    def status_of(self, row: CommuneStatus, item_id: str) -> str | None:
        """``pass``/``fail``/``na``/``missing`` of a criterion for a commune; None when it does not apply."""
        return row.result.statuses.get(item_id) if row.result else None

    @property
    def not_ready_level(self) -> str:
        return self.checklist.levels[-1].id

    def not_ready(self) -> list[CommuneStatus]:
        return [row for row in self.rows if row.level == self.not_ready_level]

    def gap_criteria(self) -> list[Criterion]:
        """Criteria not met somewhere, most frequent first (the gap matrix's columns)."""
        return [g.criterion for g in self.common_gaps if g.count]

    @property
    def received(self) -> int:
        return len(self.rows)

    def average_score(self) -> float | None:
        scores = [row.score for row in self.rows if row.score is not None]
        return sum(scores) / len(scores) if scores else None

    def to_dict(self, *, with_rows: bool = True) -> dict[str, Any]:
        data = {
            "period": self.period,
            "checklist": self.checklist.key,
            "expected": self.status.expected,
            "received": self.received,
            "by_state": self.status.by_state,
            "average_score": None if self.average_score() is None else round(self.average_score() or 0, 1),
            "levels": [{"id": lc.level.id, "label": lc.level.label, "count": lc.count, "share": round(lc.share, 4)}
                       for lc in self.levels],
            "sections": [{"id": s.id, "number": s.number, "title": s.title,
                          "average": None if self.section_averages.get(s.id) is None
                          else round(self.section_averages[s.id] or 0, 1)} for s in self.sections],
            "common_gaps": [g.to_dict() for g in self.common_gaps if g.count],
        }
        if with_rows:
            labels = self.status.level_labels
            data["communes"] = [row.to_dict(labels) for row in self.rows]
        return data


def criteria_of(checklist: Checklist) -> tuple[list[SectionInfo], list[Criterion]]:
    sections: list[SectionInfo] = []
    criteria: list[Criterion] = []
    for number, section in enumerate(checklist.sections, start=1):
        scored = [item for item in section.items if item.score is not None]
        if not scored:
            continue
        sections.append(SectionInfo(section.id, number, section.title.vi))
        for item in scored:
            assert item.score is not None
            criteria.append(Criterion(item.id, checklist.number(item.id), item.label.vi, section.id,
                                      item.score.critical, item.score.weight))
    return sections, criteria


def consolidate(workspace: Workspace, period: str, filters: StatusFilters | None = None, *,
                today: dt.date | None = None, workers: int | None = None,
                cancelled: Callable[[], bool] | None = None) -> Consolidation:
    """The consolidated picture of ``period`` for the communes in ``filters``' scope.

    ``filters.state``/``filters.level`` narrow the communes shown; totals stay those of the scope.
    ``cancelled``: asked while the communes are scored (:class:`~.bulk.ScoringStopped` when it says stop).
    """
    status = period_status(workspace, period, filters, detail=True, today=today, workers=workers, cancelled=cancelled)
    checklist = workspace.latest_checklist()
    sections, criteria = criteria_of(checklist)
    rows = [row for row in status.rows if row.received and row.result is not None]
    received = len(rows)

    level_counter = Counter(row.level for row in rows)
    levels = [LevelCount(level, level_counter.get(level.id, 0), level_counter.get(level.id, 0) / received if received else 0.0)
              for level in status.levels]

    averages: dict[str, float | None] = {}
    for section in sections:
        values = [row.section_scores.get(section.id) for row in rows if row.section_scores]
        present = [v for v in values if v is not None]
        averages[section.id] = sum(present) / len(present) if present else None

    not_met: Counter[str] = Counter()
    applicable: Counter[str] = Counter()
    na, unmet = Status.NA.value, (Status.FAIL.value, Status.MISSING.value)  # once: an enum's .value is a lookup
    for row in rows:
        assert row.result is not None
        for item_id, item_status in row.result.statuses.items():
            if item_status != na:
                applicable[item_id] += 1
            if item_status in unmet:
                not_met[item_id] += 1
    gaps = [GapCount(c, not_met.get(c.item_id, 0), applicable.get(c.item_id, 0),
                     not_met.get(c.item_id, 0) / received if received else 0.0) for c in criteria]
    gaps.sort(key=lambda g: (-g.count, not g.criterion.critical, _number_key(g.criterion.number)))
    return Consolidation(period=status.period, status=status, checklist=checklist, sections=sections,
                         criteria=criteria, rows=rows, levels=levels, section_averages=averages,
                         common_gaps=gaps, today=today)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split(".") if part.isdigit())


# -- one commune ----------------------------------------------------------------------------------


@dataclass
class CommuneDetail:
    commune: Commune
    period: str
    state: str
    info: AssessmentInfo | None  # the assessment that counts (see status.effective)
    checklist: Checklist | None
    result: ScoreResult | None
    answers: Answers | None
    as_of: dt.date | None
    history: list[AssessmentInfo]  # every revision of every period, newest first
    petitions: list[PetitionRow]

    def answer_lines(self) -> list[tuple[str, str, str]]:
        """(number, label, answer as read) for every answered item, in checklist order."""
        if self.checklist is None or self.answers is None:
            return []
        out = []
        for item in self.checklist.items():
            value = self.answers.get(item.id)
            if value is None or (item.type is ItemType.TABLE and not value):
                continue
            out.append((self.checklist.number(item.id), item.label.vi, describe(item, value)))
        return out


def commune_detail(workspace: Workspace, code: str, period: str, *, today: dt.date | None = None) -> CommuneDetail:
    period = validate_period(period)
    store = workspace.store
    commune = store.commune(code)
    history = store.history(code)
    info, _newer = effective([i for i in history if i.period == period])
    state = state_of(info, newest_versions(workspace))
    checklist = result = answers = as_of = None
    if info is not None:
        checklist = workspace.checklist_for(info)
        answers = store.load_answers(info.id, checklist)
        as_of = reference_date(info, today)
        result = score(checklist, answers, today=as_of, province=commune.province_code)
    return CommuneDetail(commune=commune, period=period, state=state, info=info, checklist=checklist,
                         result=result, answers=answers, as_of=as_of, history=history,
                         petitions=store.petitions(code, period))


# -- inventories (every PC, certificate, video endpoint of the province) ----------------------------


@dataclass(frozen=True)
class InventoryColumn:
    id: str
    label: str
    kind: str  # the item type value: "date", "integer", ...
    unit: str | None = None


@dataclass
class Inventory:
    """One table item across communes: a row per commune per table row."""

    item_id: str
    number: str
    title: str
    columns: list[InventoryColumn]
    rows: InventoryRows  # (commune, row number, typed values), made anew a chunk of communes at a time
    described: dict[str, Any] = field(default_factory=dict)  # column id -> Column (for describe)
    # Columns computed from the scoring rules' findings (readiness.department.needs), after the checklist's:
    # a PC meets the minimum or not, why, what to do; a certificate is valid beyond the warning days or why not.
    computed: list[InventoryColumn] = field(default_factory=list)


# Scalar items that belong in an inventory: the organisation certificates, the main video endpoint.
_ORG_CERTIFICATES = (("org_cert_ubnd", "org_cert_ubnd_expiry", "Chứng thư số tổ chức của UBND xã"),
                     ("org_cert_center", "org_cert_center_expiry", "Chứng thư số tổ chức của Trung tâm PVHCC xã"))
_MAIN_ENDPOINT = {"type": "vc_endpoint_type", "link": "vc_link", "last_test": "vc_last_test", "result": "vc_test_result"}


PC_COLUMNS = [InventoryColumn("#meets", "Đạt cấu hình tối thiểu", "text"),
              InventoryColumn("#why", "Lý do chưa đạt", "text"),
              InventoryColumn("#action", "Đề xuất nâng cấp, thay thế", "text")]


def certificate_columns(thresholds: dict[str, Any]) -> list[InventoryColumn]:
    days = thresholds.get("cert_warn_days")
    label = f"Còn hiệu lực trên {days} ngày" if days is not None else "Còn hiệu lực"
    return [InventoryColumn("#meets", label, "text"), InventoryColumn("#why", "Lý do chưa đạt", "text")]


def scope_rows(consolidation: Consolidation):
    """Every commune in scope (received or not), from the status report's full list when available."""
    status = consolidation.status
    if status.filters.state or status.filters.level:
        return consolidation.rows
    return status.rows


def scope_words(consolidation: Consolidation, settings: DocumentSettings | None = None) -> str:
    """How a document names the consolidation's scope: «tỉnh Quảng Ngãi», «cả nước»."""
    from ..document_settings import default_settings

    province = consolidation.status.filters.province
    if province is None:
        return "cả nước"
    rows = consolidation.status.rows or consolidation.rows
    if rows:
        name = rows[0].province_name
        return name[:1].lower() + name[1:]
    settings = settings or default_settings()
    return settings.province_phrase if province == settings.home_province else f"tỉnh mã {province}"


def inventories(workspace: Workspace, consolidation: Consolidation) -> list[Inventory]:
    """Every table item (except petitions) of every received commune, with the commune on each row.

    Certificates also list the organisation certificates (scalar items 5.1–5.4) and the video
    endpoints the main endpoint (6.1, 6.2, 6.7, 6.8), so each sheet is complete.  PCs and
    certificates get computed columns from the scoring rules' findings (meets the minimum: Đạt /
    Chưa đạt, why, what to do).  A choice reads the same in every row of a column: the main
    endpoint's answers are named with the table column's labels.

    Each inventory's rows are an :class:`InventoryRows`: produced from the database a chunk of
    communes at a time whenever they are iterated (the PCs of 3,321 communes are 140,000 rows, never
    all held at once), so ``workspace`` must stay open until they have been written.
    """
    from .findings import PCS

    checklist = consolidation.checklist
    tables = [item for item in checklist.items()
              if item.type is ItemType.TABLE and item.id != checklist.petition_item]
    thresholds = dict(checklist.threshold_values())
    out: list[Inventory] = []
    for item in tables:
        columns = [InventoryColumn(c.id, c.label.vi, c.type.value, c.unit) for c in item.columns or ()]
        described = {c.id: c for c in item.columns or ()}
        computed: list[InventoryColumn] = []
        if item.id == PCS:
            computed = list(PC_COLUMNS)
        elif {"holder", "expiry"} <= {c.id for c in columns}:
            computed = certificate_columns(thresholds)
        rows = InventoryRows(partial(_inventory_rows, workspace, consolidation, item, columns, described, thresholds))
        out.append(Inventory(item.id, checklist.number(item.id), item.label.vi, columns, rows, described, computed))
    return out


INVENTORY_CHUNK = 250  # communes whose table rows are loaded and turned into inventory rows at a time


class InventoryRows:
    """An inventory's rows, (commune, number in the commune, typed values), made anew on each iteration
    a chunk of communes at a time; ``len()`` counts one pass.  :meth:`stored` gives the same rows with the
    checklist's table columns as stored (JSON), for a writer that types and shows them per column."""

    def __init__(self, produce: Callable[..., Iterator[tuple[CommuneStatus, int, dict[str, Any], Any]]]):
        self._produce = produce

    def __iter__(self) -> Iterator[tuple[CommuneStatus, int, dict[str, Any]]]:
        return ((row, number, values) for row, number, values, _stored in self._produce(stored=False))

    def stored(self) -> Iterator[tuple[CommuneStatus, int, dict[str, Any], StoredCells | None]]:
        """(commune, number, values, stored): for a row of the table item ``stored`` holds the row's stored
        values (:class:`StoredCells`) and ``values`` only the computed columns; for a row made from other
        answers (an organisation certificate, the main endpoint) ``stored`` is None and ``values`` is typed,
        as :meth:`__iter__` gives it. ``stored_cell_shower`` shows a stored value as ``show_cell`` shows
        the typed one."""
        return self._produce(stored=True)

    def __len__(self) -> int:
        return sum(1 for _ in self._produce(stored=True))


class StoredCells(NamedTuple):
    """A table row's values as stored (JSON, as :func:`readiness.department.bulk.load_raw` reads them) and the
    table item of the row's own checklist, whose columns type them (a named tuple: one per PC of the country)."""

    item: Any
    values: dict[str, Any]


def _inventory_rows(workspace: Workspace, consolidation: Consolidation, item: Any, columns: list[InventoryColumn],
                    described: dict[str, Any], thresholds: dict[str, Any], *, stored: bool = False
                    ) -> Iterator[tuple[CommuneStatus, int, dict[str, Any], StoredCells | None]]:
    """The rows of :class:`InventoryRows` (``stored``: :meth:`InventoryRows.stored`'s, else typed, the
    fourth of each always None)."""
    from .findings import (PCS, describe_certificate, describe_pc, organisation_certificate, personal_certificates,
                           shared_pc_findings)

    checklist = consolidation.checklist
    column_ids = {c.id for c in columns}
    is_certificates = {"holder", "expiry"} <= column_ids
    is_endpoints = {"type", "link", "result"} <= column_ids and _has(checklist, "vc_endpoint_type")
    is_pcs = item.id == PCS
    wanted = {item.id}
    if is_certificates:
        wanted |= {i for pair in _ORG_CERTIFICATES for i in pair[:2] if _has(checklist, i)}
    if is_endpoints:
        wanted |= {i for i in _MAIN_ENDPOINT.values() if _has(checklist, i)}
    checklists: dict[str, Checklist] = {}
    # A row's computed words depend only on what was found (a few dozen combinations for 140,000 PCs).
    pc_words: dict[tuple[Any, ...], tuple[str, str, str]] = {}
    certificate_words: dict[tuple[str, ...], tuple[str, str]] = {}

    def certificate(problems: tuple[str, ...]) -> tuple[str, str]:
        words = certificate_words.get(problems)
        if words is None:
            words = certificate_words[problems] = describe_certificate(problems, thresholds)
        return words

    rows = consolidation.rows
    for start in range(0, len(rows), INVENTORY_CHUNK):
        chunk = rows[start:start + INVENTORY_CHUNK]
        raw = load_raw(workspace.store, [row.assessment_id for row in chunk if row.assessment_id], items=wanted)
        for row in chunk:
            key = f"{row.checklist_id}@{row.checklist_version}"
            definition = checklists.get(key)
            if definition is None:
                definition = checklists[key] = workspace.library.get(row.checklist_id or "", row.checklist_version)
            found_raw = raw.get(row.assessment_id or "", RawAnswers())
            table: list[tuple[int, dict[str, Any]]] = []
            if stored:  # the table's rows as stored, if the row's checklist has the item (as typed_answers)
                table_item = _item(definition, item.id)
                if table_item is not None:
                    table = found_raw.rows.get(item.id, [])
                found_raw = RawAnswers(values=found_raw.values)
            answers = typed_answers(definition, found_raw)
            result = row.result
            number = 0
            if is_certificates:
                for kind_id, expiry_id, title in _ORG_CERTIFICATES:
                    if not (_has(checklist, kind_id) and answers.get(kind_id) is not None):
                        continue
                    number += 1
                    values = {"holder": title, "role": "Tổ chức", "expiry": answers.get(expiry_id)}
                    if result is not None:
                        meets, why = certificate(organisation_certificate(result, answers.get(kind_id), expiry_id))
                        values.update({"#meets": meets, "#why": why})
                    yield row, number, values, None
            if is_endpoints and answers.get("vc_endpoint_type") not in (None, "none"):
                number += 1
                main: dict[str, Any] = {"name": "Điểm cầu chính (phòng họp trực tuyến của xã)"}
                for col, src in _MAIN_ENDPOINT.items():
                    value = answers.get(src) if _has(checklist, src) else None
                    spec = described.get(col)
                    if value is not None and checklist.item(src).type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
                        if spec is not None and value in {c.id for c in spec.choices or ()}:
                            pass  # the table column's own label for this choice (show_cell names it)
                        else:
                            value = describe(checklist.item(src), value)
                    main[col] = value
                yield row, number, main, None
            pcs = (shared_pc_findings(consolidation.pc_findings, row.assessment_id or "", result, definition, take=True)
                   if is_pcs and result is not None else [])
            personal = personal_certificates(result) if is_certificates and result is not None else {}
            rows_of: Iterable[Any] = table if stored else answers.rows(item.id)
            for index, table_row in enumerate(rows_of):
                number += 1
                if stored:  # (row id, stored values): the computed columns alone in values
                    kept: StoredCells | None = StoredCells(table_item, table_row[1])
                    values = {}
                else:
                    kept = None
                    values = table_row.values  # made for this row by typed_answers above, read by nothing else
                if is_pcs and index < len(pcs):
                    found = pcs[index]
                    shape = (found.meets, found.reasons, found.poor, found.actions)
                    words = pc_words.get(shape)
                    if words is None:
                        words = pc_words[shape] = describe_pc(found, thresholds)
                    values.update(zip(("#meets", "#why", "#action"), words))
                elif is_certificates and result is not None:
                    state = personal.get(index)
                    values.update(zip(("#meets", "#why"), certificate((state,) if state else ())))
                yield row, number, values, kept


def _item(checklist: Checklist, item_id: str) -> Any:
    try:
        return checklist.item(item_id)
    except KeyError:
        return None


def _has(checklist: Checklist, item_id: str) -> bool:
    try:
        checklist.item(item_id)
    except KeyError:
        return False
    return True


def show_cell(inventory: Inventory, column: InventoryColumn, value: Any) -> Any:
    """A value for a spreadsheet cell: numbers and dates stay typed, choices become their labels."""
    return cell_shower(inventory, column)(value)


# Values :func:`cell_shower` gives back unchanged in any column (by exact type): nothing, numbers, dates; in a
# text column a string too.  Its own first tests, and :func:`row_shower`'s per cell without a call.
_SHOWN_AS_IS: frozenset[type] = frozenset({type(None), int, float, dt.date, dt.datetime})
_TEXT_SHOWN_AS_IS: frozenset[type] = _SHOWN_AS_IS | {str}


def _shown_as_is(inventory: Inventory, column: InventoryColumn) -> frozenset[type]:
    spec = inventory.described.get(column.id)
    return _TEXT_SHOWN_AS_IS if spec is not None and spec.type is ItemType.TEXT else _SHOWN_AS_IS


def cell_shower(inventory: Inventory, column: InventoryColumn) -> Callable[[Any], Any]:
    """:func:`show_cell` for one column, its column looked up once: a sheet of 140,000 rows calls it per row.
    A choice's label is remembered for each choice id met."""
    spec = inventory.described.get(column.id)
    choices = spec is not None and spec.type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE)
    known = {c.id for c in spec.choices or ()} if spec is not None and choices else set()
    labels: dict[str, Any] = {}
    as_is = _shown_as_is(inventory, column)  # a text reads as itself in a text column (what describe gives)

    def show(value: Any) -> Any:
        if type(value) in as_is:
            return value
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            return value
        if spec is None:
            return value
        if choices:
            if type(value) is str and value in labels:
                return labels[value]
            values = value if isinstance(value, list) else [value]
            if not all(v in known for v in values):
                return value if isinstance(value, str) else "; ".join(map(str, values))
            if type(value) is str:
                labels[value] = shown = describe(spec, value)
                return shown
        return describe(spec, value)

    return show


def row_shower(inventory: Inventory, columns: Sequence[InventoryColumn]) -> Callable[[Mapping[str, Any]], list[Any]]:
    """A row's values (column id -> typed value) -> the cells of ``columns``, each as :func:`show_cell` shows it:
    a value :func:`cell_shower` keeps as it is is taken without a call (2.5 M cells for the country's
    inventories), the others go through the column's :func:`cell_shower`."""
    shown = [(column.id, _shown_as_is(inventory, column), cell_shower(inventory, column)) for column in columns]

    def show_row(values: Mapping[str, Any]) -> list[Any]:
        get = values.get
        return [value if type(value) in as_is else show(value)
                for column_id, as_is, show in shown for value in [get(column_id)]]

    return show_row


def stored_cell_shower(inventory: Inventory, column: InventoryColumn, spec: Any) -> Callable[[Any], Any]:
    """A stored (JSON) value of ``column`` in rows of a checklist whose table item is ``spec`` -> the cell
    :func:`show_cell` gives for the value :func:`readiness.department.bulk.typed_answers` types from it (the same
    two rules, :func:`readiness.department.bulk.typed_value` and :func:`cell_shower`); no cell when that
    checklist's table has no such column."""
    show = cell_shower(inventory, column)
    column_spec = next((c for c in (spec.columns or ()) if c.id == column.id), None) if spec is not None else None
    if column_spec is None:
        return lambda _value: show(None)
    return lambda value: show(typed_value(column_spec, value))
