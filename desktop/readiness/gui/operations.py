"""The window's handle on one open assessment.

Every change a widget makes goes through :class:`AssessmentOps` to the core
(:class:`readiness.service.AssessmentSession`), and the widgets hear about it through signals,
as in anki's ``aqt.operations``.  There is no worker thread: a save is one SQLite transaction of
a few milliseconds (see ``tests/benchmarks/bench_gui_save.py``), and it must be on disk before
the "Đã lưu" indicator says so.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from ..answers import AnswerError
    from ..scoring import ScoreResult
    from ..service import AssessmentSession
    from ..store.db import AssessmentInfo


class AssessmentOps(QObject):
    """Saves answers of one assessment and tells the window what changed."""

    saved = Signal(str)  # item id, once the change is committed to the database
    refreshed = Signal()  # answers, relevance or score may have changed: read result() again
    lifecycle = Signal()  # finalized or reopened: status, revision and editability changed

    def __init__(self, session: AssessmentSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.last_saved: dt.datetime | None = None
        self.save_count = 0

    # -- reading ----------------------------------------------------------------------------
    @property
    def checklist(self):
        return self.session.checklist

    @property
    def info(self) -> AssessmentInfo:
        return self.session.info

    @property
    def editable(self) -> bool:
        return self.session.editable

    def result(self) -> ScoreResult:
        return self.session.result()

    def value(self, item_id: str) -> Any:
        return self.session.answers.get(item_id)

    # -- writing ----------------------------------------------------------------------------
    def save(self, item_id: str, raw: Any) -> AnswerError | None:
        """Check and store one answer; returns the problem (nothing saved) or ``None``.

        An answer equal to the stored one is not written again (a debounced save followed by
        "editing finished" would otherwise write twice).
        """
        from ..answers import AnswerError
        from ..store.db import StoreError

        value, problem = self.session.check(item_id, raw)
        if problem is not None:
            return problem
        if _same(value, self.session.answers.get(item_id)):
            return None
        try:
            self.session.set_answer(item_id, raw, source="typed")
        except AnswerError as error:  # checked above; a rule may still refuse in between
            return error
        except StoreError as error:  # finalized meanwhile, or the database refused
            return AnswerError(error.code, error.message, error.message, item=item_id)
        self._acknowledge(item_id)
        return None

    def table_changed(self, item_id: str) -> None:
        """A table editor saved a change through the session itself."""
        self._acknowledge(item_id)

    def _acknowledge(self, item_id: str) -> None:
        self.last_saved = dt.datetime.now()
        self.save_count += 1
        self.saved.emit(item_id)
        self.refreshed.emit()

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

    def history(self) -> list[AssessmentInfo]:
        return self.session.history()


def _same(value: Any, stored: Any) -> bool:
    """Equal and of the same type (``True == 1`` must not count as unchanged)."""
    return type(value) is type(stored) and value == stored
