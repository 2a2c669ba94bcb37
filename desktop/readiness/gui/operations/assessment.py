"""The window's handle on one open assessment: every read and write of its answers.

Widgets never touch the core's session: they call :class:`AssessmentOps` and listen to its
signals, as in anki's ``aqt.operations`` (``CollectionOp`` + ``operation_did_execute``).  After
every write the operation announces what changed (:class:`Changes`: the item ids, and which
widget asked, so that one does not reload itself); the item widgets and table models showing those
items reload themselves.  Nobody searches the window for widgets.

Writes run in :meth:`AssessmentOps._write`, on the UI thread: a save is one SQLite transaction of
a few milliseconds (``tests/benchmarks/bench_gui_save.py``) and must be on disk before «Đã lưu»
says so.  For a database across the network, :meth:`_write` is the one place that would hand the
work to a :class:`~.runner.Runner` and announce the change when it has finished.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ...record import FrozenData, frozen_data

if TYPE_CHECKING:
    from ...answers import AnswerError, Row
    from ...carry import Review
    from ...carry_compare import Change
    from ...checklist.model import Checklist
    from ...exchange.context import ExportContext
    from ...measurement import SavedAnswers, SavedRow
    from ...register import Commune
    from ...scoring import ScoreResult
    from ...service import AssessmentSession
    from ...store.queries import AssessmentInfo
    from ...template_fill import TemplateChecks, TemplatePreview, TemplateRead
    from .runner import Runner

T = TypeVar("T")


@frozen_data()  # generic methods (readiness.record): none compiled at start
class Changes(FrozenData):
    """What an operation changed (anki's ``OpChanges``).

    ``initiator`` is the widget or model that asked for the change (it has already shown it);
    ``refused`` holds, for rows just added, the cells the core refused and left empty
    (row id → column id → why), so the table that shows them can mark them.
    """

    item_ids: tuple[str, ...]
    initiator: object | None = None
    refused: Mapping[int, Mapping[str, AnswerError]] = field(default_factory=dict)

    def touches(self, item_id: str) -> bool:
        return item_id in self.item_ids


class AssessmentOps(QObject):
    """Reads and saves the answers of one assessment and tells the window what changed."""

    saved = Signal(str)  # item id, once the change is committed to the database
    changed = Signal(object)  # Changes: stored answers changed; widgets showing them reload
    refreshed = Signal()  # answers, relevance or score may have changed: read result() again
    lifecycle = Signal()  # finalized or reopened: status, revision and editability changed

    def __init__(self, session: AssessmentSession, parent: QObject | None = None, *, runner: Runner | None = None):
        super().__init__(parent)
        self.session = session
        self._runner = runner
        self.last_saved: dt.datetime | None = None
        self.save_count = 0  # answers written (a measurement of three figures counts three)

    @property
    def runner(self) -> Runner:
        """Where this assessment's long work runs (the window's runner; one of its own otherwise)."""
        if self._runner is None:
            from .runner import Runner

            self._runner = Runner(self, threads=2)
        return self._runner

    # -- reading ----------------------------------------------------------------------------
    @property
    def checklist(self) -> Checklist:
        return self.session.checklist

    @property
    def info(self) -> AssessmentInfo:
        return self.session.info

    @property
    def commune(self) -> Commune:
        return self.session.commune

    @property
    def editable(self) -> bool:
        return self.session.editable

    def result(self) -> ScoreResult:
        return self.session.result()

    def standing(self) -> ScoreResult:
        """The score without its texts (the session's :meth:`~readiness.service.AssessmentView.standing`): what
        the questions, the section list and the status bar show; :meth:`result` where a text is shown."""
        return self.session.standing()

    def value(self, item_id: str) -> Any:
        return self.session.answers.get(item_id)

    def rows(self, item_id: str) -> list[Row]:
        return self.session.answers.rows(item_id)

    def provenance(self, item_id: str) -> tuple[str | None, Mapping[str, Any] | None]:
        """(source, meta) of a stored answer: how and when it was measured, or ``typed``."""
        answers = self.session.answers
        return answers.sources.get(item_id), answers.meta.get(item_id)

    def history(self) -> list[AssessmentInfo]:
        return self.session.history()

    # -- the previous period (carry forward) ------------------------------------------------
    def review(self) -> Review:
        """Carried from where, the sections confirmed, what each section still needs, what changed."""
        return self.session.review()

    @property
    def carried(self) -> bool:
        return self.session.origin is not None

    def item_note(self, item_id: str, lang: str = "vi") -> tuple[str, str] | None:
        """The line under an item: (text, tone ``attention`` / ``changed`` / ``info``), or ``None``."""
        from ...carry import item_note

        return item_note(self.checklist, self.review(), item_id, self.session.answers, lang)

    def change(self, item_id: str) -> Change | None:
        """How an item's answer differs from the previous period's (``None``: it does not)."""
        return self.review().changes.get(item_id)

    def untouched_message(self, lang: str = "vi") -> str | None:
        """Why a carried draft cannot be finalized yet (the first untouched renew or confirm item)."""
        from ...carry import untouched_message

        if not self.editable or not self.carried:
            return None
        return untouched_message(self.checklist, self.review(), self.info.period, lang)

    def export_context(self) -> ExportContext:
        """What the exporters write, taken now (they then run off the UI thread without the database)."""
        from ...exchange.context import ExportContext

        return ExportContext.from_session(self.session)

    def setting(self, key: str) -> str | None:
        return self.session.store.get_setting(key)

    def set_setting(self, key: str, value: str) -> None:
        self.session.store.set_setting(key, value)

    # -- writing ----------------------------------------------------------------------------
    def _write(self, work: Callable[[], T], changes: Callable[[T], Changes]) -> T:
        """Run one write, then announce what it changed: the single place a write happens.

        On SQLite this is synchronous (see the module doc); on a database across the network this
        is where the work would go to a Runner and ``changes`` be announced when it has finished.
        """
        result = work()
        self._announce(changes(result))
        return result

    def _announce(self, changes: Changes) -> None:
        if not changes.item_ids:
            return
        self.last_saved = dt.datetime.now()
        self.save_count += len(changes.item_ids)
        self.changed.emit(changes)
        for item_id in changes.item_ids:
            self.saved.emit(item_id)
        self.refreshed.emit()

    def save(self, item_id: str, raw: Any, *, initiator: object | None = None) -> AnswerError | None:
        """Check and store one typed answer; returns the problem (nothing saved) or ``None``.

        The value is checked once, by the core; one equal to the stored answer is not written again
        (a debounced save followed by "editing finished" would otherwise write twice).
        """
        return _refusal(item_id, None, lambda: self._write(
            lambda: self.session.change_answer(item_id, raw, source="typed"),
            lambda written: Changes((item_id,) if written else (), initiator)))

    def set_cell(self, item_id: str, row_id: int, column_id: str, raw: Any, *,
                 initiator: object | None = None) -> AnswerError | None:
        """Check and store one cell of a table; returns the problem (nothing saved) or ``None``."""
        return _refusal(item_id, column_id, lambda: self._write(
            lambda: self.session.set_cell(item_id, row_id, column_id, raw),
            lambda _value: Changes((item_id,), initiator)))

    def add_row(self, item_id: str, values: Mapping[str, Any] | None = None, *, source: str = "typed",
                meta: Mapping[str, Any] | None = None, after_row: int | None = None,
                initiator: object | None = None) -> SavedRow:
        """Add a row; cells the core refuses are left empty and reported in ``SavedRow.refused``
        (and in the announced :class:`Changes`, so the table showing it marks them).

        Raises AnswerError (the row refused: a full table, a finalized assessment).
        """
        from ...measurement import add_row_keeping_valid

        with _as_refusal(item_id):
            return self._write(
                lambda: add_row_keeping_valid(self.session, item_id, values or {}, source=source, meta=meta,
                                              after_row=after_row),
                lambda saved: Changes((item_id,), initiator, {saved.row.stored_id: saved.refused} if saved.refused else {}))

    def add_rows(self, item_id: str, rows: Iterable[Mapping[str, Any]], *, source: str,
                 meta: Mapping[str, Any] | None = None) -> tuple[list[SavedRow], AnswerError | None]:
        """Add several rows (a probe's certificates); stops at the first refusal: (added, problem)."""
        from ...measurement import add_row_keeping_valid

        def work() -> tuple[list[SavedRow], AnswerError | None]:
            added: list[SavedRow] = []
            for values in rows:
                problem = _refusal(item_id, None, lambda v=values: added.append(  # type: ignore[misc]
                    add_row_keeping_valid(self.session, item_id, v, source=source, meta=meta)))
                if problem is not None:
                    return added, problem
            return added, None

        return self._write(work, lambda outcome: Changes(
            (item_id,) if outcome[0] else (), None, {s.row.stored_id: s.refused for s in outcome[0] if s.refused}))

    def duplicate_row(self, item_id: str, row_id: int, *, initiator: object | None = None) -> Row:
        """A copy of the row just below it; raises AnswerError (a full table, a finalized assessment)."""
        with _as_refusal(item_id):
            return self._write(lambda: self.session.duplicate_row(item_id, row_id),
                               lambda _row: Changes((item_id,), initiator))

    def delete_rows(self, item_id: str, row_ids: Iterable[int], *, initiator: object | None = None,
                    deleted: Callable[[int], None] | None = None) -> tuple[int, AnswerError | None]:
        """Delete rows one by one (``deleted(row_id)`` after each): (how many, the refusal that stopped it)."""

        def work() -> tuple[int, AnswerError | None]:
            done = 0
            for row_id in row_ids:
                problem = _refusal(item_id, None, functools.partial(self.session.delete_row, item_id, row_id))
                if problem is not None:
                    return done, problem
                done += 1
                if deleted is not None:
                    deleted(row_id)
            return done, None

        return self._write(work, lambda outcome: Changes((item_id,) if outcome[0] else (), initiator))

    def save_measurement(self, report: Any) -> SavedAnswers:
        """The figures of a network measurement (``source='measured'``); raises AnswerError when
        the assessment cannot be changed."""
        from ...measurement import save_network

        with _as_refusal(""):
            return self._write(lambda: save_network(self.session, report),
                               lambda outcome: Changes(tuple(outcome.saved)))

    def confirm_section(self, section_id: str, *, initiator: object | None = None) -> AnswerError | None:
        """«Không thay đổi so với kỳ trước»: the section's carried answers still hold (one transaction);
        returns the refusal (a finalized assessment, a draft not carried) or ``None``."""
        return _refusal("", None, lambda: self._write(
            lambda: self.session.confirm_section(section_id),
            lambda item_ids: Changes(tuple(item_ids), initiator)))

    # -- a filled template («Nhập phiếu Excel đã điền…») ---------------------------------------
    def template_checks(self) -> TemplateChecks:
        """What the template's checks need from the database, taken here; the checks then run on a Runner."""
        from ...template_fill import TemplateChecks

        return TemplateChecks.of(self.session.workspace, self.session.today)

    def preview_template(self, read: TemplateRead, lang: str = "vi") -> TemplatePreview:
        """What the checked template would change in this assessment (nothing is saved)."""
        from ...template_fill import compare

        return compare(self.session, read, lang)

    def apply_template(self, preview: TemplatePreview) -> list[AnswerError]:
        """Save the template's changes in one transaction; the problems when nothing was saved."""
        from ...template_fill import apply

        return self._write(lambda: apply(self.session, preview),
                           lambda problems: Changes(() if problems else tuple(preview.raw)))

    # -- lifecycle --------------------------------------------------------------------------
    def finalize(self) -> AssessmentInfo:
        """Raises :class:`readiness.store.db.StoreError` (E-STORE-INCOMPLETE) when something is missing."""
        info = self.session.finalize()
        self.lifecycle.emit()
        self.refreshed.emit()
        return info

    def reopen(self) -> AssessmentInfo:
        info = self.session.reopen()
        self.lifecycle.emit()
        self.refreshed.emit()
        return info


@contextmanager
def _as_refusal(item_id: str, column_id: str | None = None) -> Iterator[None]:
    """The store's refusals (finalized meanwhile, a full table, the database refused) as an
    AnswerError, so a widget handles one kind of refusal whatever part of the core refused."""
    from ...answers import AnswerError
    from ...store.periods import StoreError

    try:
        yield
    except StoreError as error:
        raise AnswerError(error.code, error.message, error.message, item=item_id, column=column_id) from error


def _refusal(item_id: str, column_id: str | None, work: Callable[[], object]) -> AnswerError | None:
    """Run ``work``; the core's refusal, returned as an AnswerError (``None`` when it was done)."""
    from ...answers import AnswerError

    try:
        with _as_refusal(item_id, column_id):
            work()
    except AnswerError as error:
        return error
    return None
