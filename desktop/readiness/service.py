"""Operations on one assessment, shared by the CLI and the GUI.

:class:`AssessmentSession` holds a commune's assessment for a period with its checklist and
answers in memory, and writes every change through the store at once (one transaction each).
It is where typed input is coerced and checked, so the wizard and ``readiness fill`` accept and
refuse exactly the same things.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from . import carry, expr
from .answers import AnswerError, Answers, Row, check_constraint, coerce, coerce_all
from .checklist.loader import ChecklistLibrary, default_library
from .checklist.model import Checklist, ItemType
from .record import Data, FrozenData, data, frozen_data
from .register import Commune
from .scoring import ScoreResult, score
from .store.periods import StoreError, period_label, validate_period
from .store.queries import AssessmentInfo, AssessmentReads, CarrySource, no_assessment

if TYPE_CHECKING:
    from .carry_compare import Base, CarryPlan
    from .store.db import Store

DEFAULT_CHECKLIST = "one-stop-shop-it-readiness"


@data()
class Workspace(Data):
    """The store plus the installed checklist definitions."""

    store: Store
    library: ChecklistLibrary
    default_checklist: str = DEFAULT_CHECKLIST  # the definition new assessments use (newest version)

    @classmethod
    def open(cls, url: str | None = None, library: ChecklistLibrary | None = None,
             default_checklist: str | None = None, *, window: bool = False) -> Workspace:
        """``default_checklist``: else ``READINESS_CHECKLIST``, else the one-stop-shop checklist.

        ``window``: the commune window's start: on a current SQLite file, a
        :class:`~readiness.store.window.WindowStore` (the first view and typed answers without
        SQLAlchemy; the full Store loaded when something else is asked of it)."""
        chosen = default_checklist or os.environ.get("READINESS_CHECKLIST") or DEFAULT_CHECKLIST
        store: Store | None = None
        if window:
            from .store.window import WindowStore

            store = cast("Store | None", WindowStore.open(url))  # the Store's methods, same results
        if store is None:
            from .store.db import Store

            store = Store.open(url)
        return cls(store, library or default_library(), chosen)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def latest_checklist(self, checklist_id: str | None = None) -> Checklist:
        return self.library.get(checklist_id or self.default_checklist)

    def checklist_for(self, info: AssessmentInfo) -> Checklist:
        """The exact definition an assessment was made with (older versions stay loadable)."""
        return checklist_for(self.library, info)

    def record_exports(self, *, assessment_id: str, commune_code: str, period: str, revision: int, status: str,
                       files: list[tuple[str, Any]], action: str = "exported",
                       data_sha256: str | None = None) -> list[Any]:
        """Remember files just written for the department (``files``: (kind, path), kind ``xlsx`` / ``pdf``;
        ``action``: ``exported`` or ``signed``): their SHA-256 and size, read from the files as they are
        now, in one transaction.  A receipt from the department is checked against these
        (:mod:`readiness.department.receipt_check`)."""
        from .store.cycle import record_exports

        return record_exports(self.store, export_entries(
            assessment_id=assessment_id, commune_code=commune_code, period=period, revision=revision, status=status,
            files=files, action=action, data_sha256=data_sha256))

    def session(self, commune_code: str, period: str, *, create: bool = True) -> AssessmentSession:
        period = validate_period(period)
        commune = self.store.commune(commune_code)
        info = self.store.current_assessment(commune_code, period)
        if info is None:
            if not create:
                raise no_assessment(commune, period)
            info = self.store.open_assessment(commune_code, period, self.latest_checklist())
        return AssessmentSession(self, commune, info)

    # -- a new period from the last one (carry forward) --------------------------------------
    def previous_finalized(self, commune_code: str, period: str) -> AssessmentInfo | None:
        """What a period with no assessment yet can start from: the newest finalized revision of the
        latest earlier period that has one (``None``: there is none)."""
        return self.store.latest_finalized_before(commune_code, validate_period(period))

    def carry_source(self, commune_code: str, period: str, from_period: str | None = None) -> AssessmentInfo | None:
        """The finalized assessment ``start`` would copy: of ``from_period`` when given (raises
        StoreError E-CARRY-SOURCE when it has none or is not earlier), else :meth:`previous_finalized`."""
        period = validate_period(period)
        if from_period is None:
            return self.previous_finalized(commune_code, period)
        source_period = validate_period(from_period)
        if source_period >= period:
            raise StoreError("E-CARRY-SOURCE",
                             f"Kỳ mang sang ({period_label(source_period)}) phải trước kỳ {period_label(period)}.",
                             f"The period to carry from ({period_label(source_period)}) must be before "
                             f"{period_label(period)}.")
        source = self.store.finalized(commune_code, source_period)
        if source is None:
            name = self.store.commune(commune_code).name
            raise StoreError("E-CARRY-SOURCE",
                             f"{name} chưa có bản đánh giá đã hoàn thành của kỳ {period_label(source_period)} để mang "
                             "sang. Chọn kỳ khác hoặc bắt đầu từ phiếu trống.",
                             f"{name} has no finalized assessment for {period_label(source_period)} to carry from. "
                             "Choose another period or start from an empty form.")
        return source

    def carry_preview(self, source: AssessmentInfo) -> CarryPlan:
        """What starting a period from ``source`` would copy into a draft of the newest checklist (nothing is saved)."""
        from .carry_compare import plan

        previous_checklist = self.checklist_for(source)
        return plan(self.latest_checklist(), previous_checklist,
                          self.store.load_answers(source.id, previous_checklist), source)

    def start(self, commune_code: str, period: str, *, from_period: str | None = None,
              empty: bool = False) -> AssessmentSession:
        """A period's first draft: carried from an earlier finalized assessment (``from_period``, else
        the latest one; an empty draft when there is none) or, with ``empty``, an empty one.

        Raises StoreError: E-CARRY-EXISTS (the period already has an assessment; nothing changes),
        E-CARRY-SOURCE (``from_period`` has nothing finalized or is not earlier).
        """
        period = validate_period(period)
        commune = self.store.commune(commune_code)
        existing = self.store.current_assessment(commune_code, period)
        if existing is not None:
            state = "bản nháp" if existing.is_draft else "đã hoàn thành"
            raise StoreError(
                "E-CARRY-EXISTS",
                f"Kỳ {period_label(period)} của {commune.name} đã có bản đánh giá (lần {existing.revision}, {state}); "
                "chỉ chọn cách bắt đầu được khi kỳ này chưa có bản nào. Mở bản đã có để nhập tiếp.",
                f"{commune.name} already has an assessment for {period_label(period)} (revision {existing.revision}); "
                "the way to start can only be chosen for a period with none. Open it to go on.")
        checklist = self.latest_checklist()
        source = None if empty else self.carry_source(commune_code, period, from_period)
        if source is None:
            info = self.store.open_assessment(commune_code, period, checklist)
        else:
            previous_checklist = self.checklist_for(source)
            previous = self.store.load_answers(source.id, previous_checklist)
            from .carry_compare import plan

            planned = plan(checklist, previous_checklist, previous, source)
            info = self.store.start_carried(commune_code, period, checklist, source, planned.answers, planned.rows)
        return AssessmentSession(self, commune, info)


def checklist_for(library: ChecklistLibrary, info: AssessmentInfo) -> Checklist:
    """The exact definition an assessment was made with (older versions stay loadable)."""
    try:
        return library.get(info.checklist_id, info.checklist_version)
    except KeyError:
        raise StoreError(
            "E-CHECKLIST-MISSING",
            f"Không tìm thấy bảng kiểm {info.checklist_id} phiên bản {info.checklist_version} "
            "mà bản đánh giá này đã dùng. Hãy cài phiên bản mới của phần mềm.",
        ) from None


def export_entries(*, assessment_id: str, commune_code: str, period: str, revision: int, status: str,
                   files: list[tuple[str, Any]], action: str = "exported",
                   data_sha256: str | None = None) -> list[dict[str, Any]]:
    """What ``record_exports`` stores of files just written: each one's SHA-256 and size, read now."""
    import hashlib
    from pathlib import Path

    entries = []
    for kind, path in files:
        data = Path(path).read_bytes()
        entries.append({"assessment_id": assessment_id, "commune_code": commune_code, "period": period,
                        "revision": revision, "status": status, "kind": kind, "action": action,
                        "path": str(Path(path).resolve()), "file_name": Path(path).name,
                        "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                        "data_sha256": data_sha256 if kind == "xlsx" else None})
    return entries


@data()
class Reading(Data):
    """One database opened to show or export assessments, not to change them, and the installed checklists.

    On a SQLite file at this version's schema the reads go through :class:`~readiness.store.light.LightStore`
    (no SQLAlchemy is imported: ~0.35 s less for a new process); otherwise (PostgreSQL, a database to
    migrate or to refuse, a register to load) through the full :class:`~readiness.store.db.Store`, exactly
    as :meth:`Workspace.open` would.  Use as a context manager::

        with Reading.open(url) as reading:
            view = reading.view("23500", "2025-11")
    """

    reads: AssessmentReads
    library: ChecklistLibrary

    @classmethod
    def open(cls, url: str | None = None, library: ChecklistLibrary | None = None) -> Reading:
        from .store.light import LightStore

        reads: AssessmentReads | None = LightStore.open(url)
        if reads is None:
            from .store.db import Store

            reads = Store.open(url)
        return cls(reads, library or default_library())

    def close(self) -> None:
        self.reads.close()

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def view(self, commune_code: str, period: str) -> AssessmentView:
        """The commune's current assessment of the period (StoreError E-ASSESSMENT when it has none,
        E-COMMUNE for an unknown code: as :meth:`Workspace.session` with ``create=False``)."""
        period = validate_period(period)
        commune = self.reads.commune(commune_code)
        info = self.reads.current_assessment(commune_code, period)
        if info is None:
            raise no_assessment(commune, period)
        return AssessmentView(self.reads, self.library, commune, info)

    def record_exports(self, *, assessment_id: str, commune_code: str, period: str, revision: int, status: str,
                       files: list[tuple[str, Any]], action: str = "exported", data_sha256: str | None = None) -> None:
        """:meth:`Workspace.record_exports`, through this reader."""
        from .store.light import LightStore

        entries = export_entries(assessment_id=assessment_id, commune_code=commune_code, period=period,
                                 revision=revision, status=status, files=files, action=action, data_sha256=data_sha256)
        if isinstance(self.reads, LightStore):
            self.reads.record_exports(entries)
            return
        from .store.cycle import record_exports
        from .store.db import Store

        assert isinstance(self.reads, Store)
        record_exports(self.reads, entries)


class AssessmentView:
    """One assessment as read: its checklist, answers, score and what changed since the previous
    period; no writes (:class:`AssessmentSession` adds them).  What the exporters read
    (:meth:`readiness.exchange.context.ExportContext.from_session`)."""

    store: AssessmentReads

    def __init__(self, reads: AssessmentReads, library: ChecklistLibrary, commune: Commune, info: AssessmentInfo):
        self.store = reads
        self.library = library
        self.commune = commune
        self.info = info
        self.checklist = checklist_for(library, info)
        self.answers: Answers = reads.load_answers(info.id, self.checklist)
        self.today: dt.date | None = None  # tests pin the date
        self._score: ScoreResult | None = None
        self._standing: ScoreResult | None = None  # the score without its texts (see standing)
        self._load_carry()

    # -- reading ----------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return self.info.is_draft

    def result(self) -> ScoreResult:
        if self._score is None:
            self._score = score(self.checklist, self.answers, today=self.today, province=self.commune.province_code)
        return self._score

    def standing(self) -> ScoreResult:
        """The score without its texts: statuses, scores, the level, relevance and the answers' issues as
        :meth:`result` has them, every ``requirement`` and ``advice`` empty.  What the window shows beside
        the questions and in its status bar; the texts are rendered when something asks :meth:`result`
        (the summary, a document, finalizing).  :meth:`result` itself when it has been computed."""
        if self._score is not None:
            return self._score
        if self._standing is None:
            self._standing = score(self.checklist, self.answers, today=self.today,
                                   province=self.commune.province_code, texts="none")
        return self._standing

    def reload(self) -> None:
        self.info = self.store.assessment(self.info.id)
        self.answers = self.store.load_answers(self.info.id, self.checklist)
        self._load_carry()
        self._changed()

    # -- the previous period (carry forward) ------------------------------------------------
    def _load_carry(self) -> None:
        self.origin: CarrySource | None = self.store.carry_source(self.info.id)
        self.confirmed = self.store.section_confirmations(self.info.id) if self.origin is not None else {}
        self._base: Base | None | bool = False  # False: not looked up yet
        self._review: carry.Review | None = None

    def base(self) -> Base | None:
        """The previous period this assessment is compared with: the newest finalized revision of the
        period it was carried from, else of the latest earlier period; scored as of the day it was
        finalized.  ``None`` when there is none (or its checklist is not installed)."""
        if self._base is False:
            info = None
            if self.origin is not None:
                info = self.store.finalized(self.info.commune_code, self.origin.period)
            if info is None:
                info = self.store.latest_finalized_before(self.info.commune_code, self.info.period)
            self._base = None
            if info is not None:
                try:
                    checklist = checklist_for(self.library, info)
                except StoreError:
                    checklist = None
                if checklist is not None:
                    answers = self.store.load_answers(info.id, checklist)
                    result = score(checklist, answers, today=carry.reference_date(info), province=self.commune.province_code)
                    from .carry_compare import Base

                    self._base = Base(info, checklist, answers, result)
        return self._base  # type: ignore[return-value]

    def review(self) -> carry.Review:
        """What each section still needs this period, what changed since the previous one."""
        if self._review is None:
            self._review = carry.review(self.checklist, self.answers, self.standing(), origin=self.origin,
                                        confirmed=self.confirmed, base=self.base())
        return self._review

    def _changed(self) -> None:
        self._score = None
        self._standing = None
        self._review = None


class AssessmentSession(AssessmentView):
    """An assessment being filled in: :class:`AssessmentView` and every change, written at once."""

    store: Store

    def __init__(self, workspace: Workspace, commune: Commune, info: AssessmentInfo):
        self.workspace = workspace
        super().__init__(workspace.store, workspace.library, commune, info)

    def confirm_section(self, section_id: str) -> list[str]:
        """«Không thay đổi so với kỳ trước»: the section's carried answers still hold and its optional
        renew items have nothing new.  Returns the section's item ids (their notes change).

        Raises StoreError: E-CARRY-NONE (the draft was not carried), E-STORE-FINALIZED.
        """
        section = self.checklist.section(section_id)
        if self.origin is None:
            raise StoreError("E-CARRY-NONE",
                             "Bản đánh giá này không bắt đầu từ kỳ trước nên không có gì để xác nhận.",
                             "This assessment did not start from an earlier period: there is nothing to confirm.")
        when = self.store.confirm_section(self.info.id, section_id, carry.confirmable_items(self.checklist, section_id))
        self.confirmed[section_id] = when
        self.answers = self.store.load_answers(self.info.id, self.checklist)
        self._changed()
        return [item.id for item in section.items]

    def confirm_all(self) -> list[str]:
        """Confirm every section that applies and is not confirmed yet; returns their ids."""
        done = []
        for section in self.checklist.sections:
            if self.standing().relevant.get(section.id) and section.id not in self.confirmed:
                self.confirm_section(section.id)
                done.append(section.id)
        return done

    def _scope(self, constraint: Any = None) -> expr.Scope:
        """The scope a constraint is checked in: other answers only if it reads any (most read only ``.``)."""
        thresholds = self.checklist.threshold_values()
        if constraint is None or not any(ref.table is None for ref in expr.parse(constraint.expr).names()):
            return expr.Scope({}, thresholds=thresholds, today=self.today)
        relevant = self.standing().relevant
        values = {k: v for k, v in self.answers.scope_values().items() if relevant.get(k)}
        return expr.Scope(values, thresholds=thresholds, today=self.today)

    # -- checking without saving ------------------------------------------------------------
    def check(self, item_id: str, raw: Any) -> tuple[Any, AnswerError | None]:
        """Coerce and check one answer; returns (value, problem)."""
        item = self.checklist.item(item_id)
        try:
            value = coerce(item, raw)
        except AnswerError as error:
            return None, error
        problem = check_constraint(item, value, self._scope(item.constraint))
        return value, problem.located(item=item_id) if problem else None

    def check_cell(self, item_id: str, column_id: str, raw: Any, row_values: Mapping[str, Any] | None = None
                   ) -> tuple[Any, AnswerError | None]:
        item = self.checklist.item(item_id)
        column = item.column(column_id)
        try:
            value = coerce(column, raw)
        except AnswerError as error:
            return None, error.located(item=item_id, column=column_id)
        merged = dict(row_values or {})
        merged[column_id] = value
        problem = check_constraint(column, value, self._scope(column.constraint).with_row(merged))
        return value, problem.located(item=item_id, column=column_id) if problem else None

    # -- writing ----------------------------------------------------------------------------
    def set_answer(self, item_id: str, raw: Any, *, source: str = "typed", meta: Mapping[str, Any] | None = None) -> Any:
        """Coerce, check and save one scalar answer. Raises AnswerError (nothing saved) or StoreError."""
        value = self._checked(item_id, raw)
        self._store_answer(item_id, value, source, meta)
        return value

    def change_answer(self, item_id: str, raw: Any, *, source: str = "typed") -> bool:
        """Like :meth:`set_answer`, but an answer equal to the stored one (and of the same type:
        ``True`` is not ``1``) is not written again; returns whether it was written."""
        value = self._checked(item_id, raw)
        stored = self.answers.get(item_id)
        if type(value) is type(stored) and value == stored:
            return False
        self._store_answer(item_id, value, source, None)
        return True

    def _checked(self, item_id: str, raw: Any) -> Any:
        value, problem = self.check(item_id, raw)
        if problem:
            raise problem
        return value

    def _store_answer(self, item_id: str, value: Any, source: str, meta: Mapping[str, Any] | None) -> None:
        self.store.save_answer(self.info.id, self.checklist, item_id, value, source=source, meta=meta)
        if value is None:
            self.answers.values.pop(item_id, None)
            self.answers.sources.pop(item_id, None)
        else:
            self.answers.values[item_id] = value
            self.answers.sources[item_id] = source
        if meta:
            self.answers.meta[item_id] = dict(meta)
        else:
            self.answers.meta.pop(item_id, None)
        self._changed()

    def set_answers(self, raw: Mapping[str, Any], *, source: str = "typed") -> list[AnswerError]:
        """Coerce and check a batch (``readiness fill``); all saved in one transaction, or none.

        Returns the problems found; when there are any, nothing was saved.
        """
        values, errors = coerce_all(self.checklist, raw)
        if errors:
            return errors
        merged = Answers(values={**self.answers.values, **{k: v for k, v in values.items()}})
        for key in [k for k, v in values.items() if v is None]:
            merged.values.pop(key, None)
        trial = score(self.checklist, merged, today=self.today, province=self.commune.province_code)
        problems: list[AnswerError] = []
        for issue in trial.issues:
            if issue.item in values and issue.code != "E-ANS-REQUIRED":
                problems.append(AnswerError(issue.code, issue.message, issue.message_en, item=issue.item,
                                            column=issue.column, row=issue.row))
        if problems:
            return problems
        self.store.save_answers(self.info.id, self.checklist, values, source=source)
        self.answers = self.store.load_answers(self.info.id, self.checklist)
        self._changed()
        return []

    def add_row(self, item_id: str, raw_values: Mapping[str, Any] | None = None, *, source: str = "typed",
                meta: Mapping[str, Any] | None = None, after_row: int | None = None) -> Row:
        item = self.checklist.item(item_id)
        if item.type is not ItemType.TABLE:
            raise KeyError(item_id)
        values: dict[str, Any] = {}
        for column_id, raw in (raw_values or {}).items():
            value, problem = self.check_cell(item_id, column_id, raw, values)
            if problem:
                raise problem
            if value is not None:
                values[column_id] = value
        row_id = self.store.add_row(self.info.id, self.checklist, item_id, values, source=source, meta=meta, after_row=after_row)
        self._reload_rows(item_id)
        return next(r for r in self.answers.rows(item_id) if r.id == row_id)

    def set_cell(self, item_id: str, row_id: int, column_id: str, raw: Any) -> Any:
        row = self._row(item_id, row_id)
        value, problem = self.check_cell(item_id, column_id, raw, row.values)
        if problem:
            raise problem
        values = dict(row.values)
        if value is None:
            values.pop(column_id, None)
        else:
            values[column_id] = value
        self.store.update_row(self.info.id, self.checklist, row_id, values, item_id=item_id)
        row.values = values
        self._changed()
        return value

    def delete_row(self, item_id: str, row_id: int) -> None:
        self.store.delete_row(self.info.id, row_id)
        self._reload_rows(item_id)

    def duplicate_row(self, item_id: str, row_id: int) -> Row:
        new_id = self.store.duplicate_row(self.info.id, self.checklist, row_id)
        self._reload_rows(item_id)
        return self._row(item_id, new_id)

    def _row(self, item_id: str, row_id: int) -> Row:
        for row in self.answers.rows(item_id):
            if row.id == row_id:
                return row
        raise StoreError("E-STORE-ROW", "Dòng này không còn trong bảng (có thể đã bị xoá).")

    def _reload_rows(self, item_id: str) -> None:
        rows = self.store.load_rows(self.info.id, self.checklist, item_id)
        if rows:
            self.answers.values[item_id] = rows
        else:
            self.answers.values.pop(item_id, None)
        self._changed()

    # -- lifecycle --------------------------------------------------------------------------
    def finalize(self) -> AssessmentInfo:
        """Raises StoreError: E-CARRY-UNTOUCHED (a carried draft's renew or confirm item not looked at
        this period, the first named), E-STORE-INCOMPLETE (a required answer missing or invalid)."""
        if self.editable and self.origin is not None:
            review = self.review()
            message = carry.untouched_message(self.checklist, review, self.info.period, "vi")
            if message is not None:
                raise StoreError("E-CARRY-UNTOUCHED", message,
                                 carry.untouched_message(self.checklist, review, self.info.period, "en") or message)
        self.info = self.store.finalize(self.info.id, self.checklist, self.result())
        return self.info

    def reopen(self) -> AssessmentInfo:
        """A new draft revision (against the newest checklist); history is kept."""
        latest = self.workspace.latest_checklist(self.info.checklist_id)
        self.info = self.store.reopen(self.info.commune_code, self.info.period, latest)
        self.checklist = self.workspace.checklist_for(self.info)
        self.answers = self.store.load_answers(self.info.id, self.checklist)
        self._load_carry()
        self._changed()
        return self.info

    def history(self) -> list[AssessmentInfo]:
        return self.store.history(self.info.commune_code, self.info.period)

    # -- a newer checklist version ----------------------------------------------------------
    def compare_with(self, newer: Checklist) -> VersionComparison:
        """What re-scoring these answers against ``newer`` would change (nothing is saved)."""
        old_result = self.result()
        new_answers = Answers(
            values={k: v for k, v in self.answers.values.items() if _has_item(newer, k)},
            sources=dict(self.answers.sources), meta=dict(self.answers.meta),
        )
        new_result = score(newer, _recoerced(newer, new_answers), today=self.today,
                           province=self.commune.province_code)
        old_ids = {item.id for item in self.checklist.items()}
        new_ids = {item.id for item in newer.items()}
        changed = []
        for item_id in sorted(old_ids & new_ids, key=lambda i: newer.number(i)):
            before = old_result.items.get(item_id)
            after = new_result.items.get(item_id)
            if (before and before.status) != (after and after.status):
                changed.append((item_id, before.status.value if before else None, after.status.value if after else None))
        return VersionComparison(
            old_key=self.checklist.key, new_key=newer.key, old_score=old_result.score, new_score=new_result.score,
            old_level=old_result.level_id, new_level=new_result.level_id,
            added=sorted(new_ids - old_ids, key=newer.number), removed=sorted(old_ids - new_ids, key=self.checklist.number),
            status_changes=changed, new_unanswered_required=new_result.unanswered_required,
        )

    def upgrade_checklist(self, newer: Checklist) -> VersionComparison:
        """Move a draft to ``newer``; answers to items it no longer has stay stored but unused."""
        comparison = self.compare_with(newer)
        self.info = self.store.set_checklist(self.info.id, newer)
        self.checklist = newer
        self.answers = self.store.load_answers(self.info.id, newer)
        self._changed()
        return comparison


@frozen_data()
class VersionComparison(FrozenData):
    """An assessment scored by its own checklist and by a newer version, side by side."""

    old_key: str
    new_key: str
    old_score: float
    new_score: float
    old_level: str
    new_level: str
    added: list[str]
    removed: list[str]
    status_changes: list[tuple[str, str | None, str | None]]  # item, status before, status after
    new_unanswered_required: int


def _has_item(checklist: Checklist, item_id: str) -> bool:
    try:
        checklist.item(item_id)
    except KeyError:
        return False
    return True


def _recoerced(checklist: Checklist, answers: Answers) -> Answers:
    """Values read under the newer definition (a choice removed there becomes unanswered)."""
    out = Answers(sources=answers.sources, meta=answers.meta)
    for key, value in answers.values.items():
        try:
            out.values[key] = coerce(checklist.item(key), value)
        except AnswerError:
            continue
    return out
