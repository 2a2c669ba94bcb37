"""The commune window's store: opening the remembered assessment and typing answers without SQLAlchemy.

Importing SQLAlchemy and the ORM models is about 40 % of the window's cold start, and the first view
(the remembered commune and period, the assessment's answers) and the answers typed then need none of
it.  :class:`WindowStore` serves those through :class:`~readiness.store.light.LightStore` (the reads,
stdlib ``sqlite3``) and writes a typed answer and a setting with the very statements
:class:`~readiness.store.db.Store` runs (:mod:`.queries`), in one transaction each, committed with
``synchronous=FULL`` as the Store commits them (a saved answer survives a power cut).  Everything else
— a table row, finalizing, the department's work, a backup — goes to the full Store, opened the first
time it is needed and kept for the rest of the session::

    store = WindowStore.open(url) or Store.open(url)

:meth:`WindowStore.open` gives ``None`` exactly when :meth:`LightStore.open` does (another kind of
database, a schema to migrate or refuse, a register to load): the full Store then does what it does
today.  The sqlite3 connection belongs to the thread that opened the store (the UI thread); a call
from another thread (a job on a Runner) goes to the full Store, whose connections are pooled.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import queries as Q
from .light import LightStore, _stored_time

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..answers import Answers
    from ..checklist.model import Checklist
    from ..register import Commune
    from .db import Store
    from .queries import AssessmentInfo, CarrySource


class WindowStore(LightStore):
    """A :class:`~readiness.store.db.Store` for the window: the same methods with the same results; the
    reads of one assessment (:class:`LightStore`'s), :meth:`save_answer` of a scalar answer and
    :meth:`set_setting` without SQLAlchemy, any other method from the full Store (opened on first use)."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        super().__init__(connection, path)
        self._url = f"sqlite:///{path}"
        self._thread = threading.get_ident()
        self._full: Store | None = None
        self._opening = threading.Lock()  # the UI thread and a Runner's job may both ask for the full Store first

    @classmethod
    def open(cls, url: str | None = None) -> WindowStore | None:
        """The window's store of ``url`` (else ``READINESS_DB``, else the user's database), or ``None``
        when the full Store must open it (see :meth:`LightStore.open`)."""
        resolved = Q.resolve_url(url)
        store = super().open(resolved)
        if not isinstance(store, WindowStore):
            return None
        store._url = resolved  # the full Store opens the very URL given
        return store

    @property
    def full(self) -> Store:
        """The full Store (SQLAlchemy), opened the first time something needs it."""
        if self._full is None:
            with self._opening:
                if self._full is None:
                    from .db import Store

                    self._full = Store.open(self._url)
        return self._full

    @property
    def full_loaded(self) -> bool:
        """Whether the full Store (and SQLAlchemy) has been loaded."""
        return self._full is not None

    def __getattr__(self, name: str) -> Any:
        """A Store method or property beyond the first view (tables, finalize, the department's work…)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def close(self) -> None:
        super().close()
        if self._full is not None:
            self._full.close()

    def __enter__(self) -> WindowStore:
        return self

    def _elsewhere(self) -> bool:
        """Called from another thread than the one that opened the sqlite3 connection (a Runner's job):
        the full Store answers (its connections are pooled)."""
        return threading.get_ident() != self._thread

    # -- the reads of the first view: LightStore's (the same SQL and results as the Store's) --------------------
    def commune(self, code: str) -> Commune:
        return self.full.commune(code) if self._elsewhere() else super().commune(code)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.full.get_setting(key, default) if self._elsewhere() else super().get_setting(key, default)

    def settings(self, prefix: str) -> dict[str, str]:
        return self.full.settings(prefix) if self._elsewhere() else super().settings(prefix)

    def current_assessment(self, commune_code: str, period: str) -> AssessmentInfo | None:
        if self._elsewhere():
            return self.full.current_assessment(commune_code, period)
        return super().current_assessment(commune_code, period)

    def assessment(self, assessment_id: str) -> AssessmentInfo:
        return self.full.assessment(assessment_id) if self._elsewhere() else super().assessment(assessment_id)

    def finalized(self, commune_code: str, period: str) -> AssessmentInfo | None:
        return self.full.finalized(commune_code, period) if self._elsewhere() else super().finalized(commune_code, period)

    def latest_finalized_before(self, commune_code: str, period: str) -> AssessmentInfo | None:
        if self._elsewhere():
            return self.full.latest_finalized_before(commune_code, period)
        return super().latest_finalized_before(commune_code, period)

    def load_answers(self, assessment_id: str, checklist: Checklist) -> Answers:
        if self._elsewhere():
            return self.full.load_answers(assessment_id, checklist)
        return super().load_answers(assessment_id, checklist)

    def carry_source(self, assessment_id: str) -> CarrySource | None:
        return self.full.carry_source(assessment_id) if self._elsewhere() else super().carry_source(assessment_id)

    def section_confirmations(self, assessment_id: str) -> dict[str, dt.datetime]:
        if self._elsewhere():
            return self.full.section_confirmations(assessment_id)
        return super().section_confirmations(assessment_id)

    def record_exports(self, entries: Iterable[Mapping[str, Any]]) -> int:
        """LightStore's on the UI thread; from another thread, the Store's (:func:`readiness.store.cycle.record_exports`)."""
        if self._elsewhere():
            from .cycle import record_exports

            return len(record_exports(self.full, entries))
        return super().record_exports(entries)

    # -- typing an answer ---------------------------------------------------------------------------------------
    def save_answer(self, assessment_id: str, checklist: Checklist, item_id: str, value: Any, *,
                    source: str = "typed", meta: Mapping[str, Any] | None = None) -> None:
        """:meth:`Store.save_answer <readiness.store.db.Store.save_answer>` on SQLite: one scalar answer
        (``None`` removes it) and the draft's ``updated_at``, the same two statements in one transaction,
        committed (``synchronous=FULL``) when this returns; refused with the same StoreError, nothing
        changed, when the assessment is finalized or unknown.  A table item's rows go to the full Store."""
        from ..answers import to_json
        from ..checklist.model import ItemType

        item = checklist.item(item_id)
        if self._elsewhere() or item.type is ItemType.TABLE:
            self.full.save_answer(assessment_id, checklist, item_id, value, source=source, meta=meta)
            return
        values = {"assessment_id": assessment_id, "item_id": item_id, "source": source,
                  "now": _stored_time(dt.datetime.now(dt.UTC)),
                  "value": None if value is None else _json_text(to_json(item, value)),
                  "meta": _json_text(dict(meta) if meta else None)}
        with self._connection:  # one transaction: committed on leaving, rolled back on an error
            drafts = self._connection.execute(Q.TOUCH_DRAFT, values).rowcount
            if drafts:
                self._connection.execute(Q.DELETE_ANSWER if value is None else Q.UPSERT_ANSWER, values)
        if not drafts:
            found = self._assessment(Q.ASSESSMENT, assessment_id=assessment_id)
            raise Q.not_a_draft(assessment_id, (found.period, found.revision) if found is not None else None)

    def set_setting(self, key: str, value: str) -> None:
        """:meth:`Store.set_setting <readiness.store.db.Store.set_setting>`: the same statement, committed."""
        if self._elsewhere():
            self.full.set_setting(key, value)
            return
        with self._connection:
            self._connection.execute(Q.SET_SETTING, {"key": key, "value": value})


def _json_text(value: Any) -> str:
    """A value as SQLAlchemy's JSON type writes it (``json.dumps``; ``None`` is JSON ``null``)."""
    return json.dumps(value)
