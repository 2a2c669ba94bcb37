"""Running the department's core operations off the UI thread (anki's ``QueryOp`` idea, small).

Every database read or write that can take more than a moment (the import, the register status
and consolidation of thousands of communes, the petitions list, the reports) runs as a
:class:`Job` on the window's one :class:`Worker` thread; the database is then used by one
background thread at a time.  A job reports through queued signals: ``progress(done, total,
text)``, ``item(object)`` for a result streamed as it is ready (each imported file), then exactly
one of ``finished(result)`` or ``failed(code, message)``.  ``cancel`` is a
:class:`threading.Event` the work checks (the importer does).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what is being done
    item = Signal(object)  # a partial result (one file's import result)
    finished = Signal(object)  # the work's return value
    failed = Signal(str, str)  # code, Vietnamese message


class JobContext:
    """What the work function gets: report progress, stream items, see whether it was cancelled."""

    def __init__(self, signals: JobSignals, cancel: threading.Event):
        self._signals = signals
        self.cancel = cancel

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._signals.progress.emit(done, total, text)

    def item(self, value: Any) -> None:
        self._signals.item.emit(value)

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


class Job(QRunnable):
    """``work(context)`` on a pool thread; the outcome comes back through :attr:`signals`."""

    def __init__(self, name: str, work: Callable[[JobContext], Any]):
        super().__init__()
        self.name = name
        self.work = work
        self.signals = JobSignals()
        self.cancel = threading.Event()
        self.done = threading.Event()
        self.setAutoDelete(False)  # the Worker keeps it until its outcome is delivered

    def run(self) -> None:
        # The cyclic garbage collector would walk the step's millions of fresh objects (every
        # answer of 3,321 communes) several times, holding the interpreter lock for up to half a
        # second each time and freezing the window meanwhile; those objects are freed by reference
        # counting anyway, so cycle collection waits until the step is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result = self.work(JobContext(self.signals, self.cancel))
        except Exception as error:  # noqa: BLE001 - every failure is shown to the person, never lost
            code, message = describe_error(error)
            self.signals.failed.emit(code, message)
        else:
            self.signals.finished.emit(result)
        finally:
            if collecting:
                gc.enable()
            self.done.set()


def describe_error(error: BaseException) -> tuple[str, str]:
    """(code, Vietnamese message) of an exception from the core."""
    from ...store.db import StoreError

    if isinstance(error, StoreError):
        return error.code, error.message
    try:
        from ...exchange.errors import ExchangeError
    except ImportError:  # pragma: no cover - the exchange package is part of the app
        ExchangeError = ()  # type: ignore[assignment]  # noqa: N806
    if ExchangeError and isinstance(error, ExchangeError):
        return error.code, error.located_message()
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover
        SQLAlchemyError = ()  # type: ignore[assignment]  # noqa: N806
    if SQLAlchemyError and isinstance(error, SQLAlchemyError):
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
        return "E-DB", f"Không đọc/ghi được cơ sở dữ liệu ({detail}). Kiểm tra kết nối rồi thử lại."
    if isinstance(error, OSError):
        return "E-FILE", f"Không ghi/đọc được tệp: {error.strerror or error} ({getattr(error, 'filename', '') or ''})."
    return "E-INTERNAL", f"Lỗi chương trình ({type(error).__name__}: {error}). Gửi thông báo này cho bộ phận hỗ trợ."


class Worker(QObject):
    """One background thread for the department's database work; jobs run one after another."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)
        self._jobs: list[Job] = []

    def submit(self, name: str, work: Callable[[JobContext], Any], *,
               finished: Callable[[Any], None] | None = None, failed: Callable[[str, str], None] | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               item: Callable[[Any], None] | None = None) -> Job:
        """Queue ``work``; the callbacks run on the UI thread.

        Pass bound methods of QObjects (Qt then drops a call whose receiver is gone); to tell which
        job called, compare the slot's ``self.sender()`` with ``job.signals``.
        """
        job = Job(name, work)
        queued = Qt.ConnectionType.QueuedConnection
        if progress is not None:
            job.signals.progress.connect(progress, queued)
        if item is not None:
            job.signals.item.connect(item, queued)
        if finished is not None:
            job.signals.finished.connect(finished, queued)
        if failed is not None:
            job.signals.failed.connect(failed, queued)
        # Bound methods (not lambdas): Qt drops the call if this Worker is gone by then (its window closed).
        job.signals.finished.connect(self._finished, queued)
        job.signals.failed.connect(self._failed, queued)
        was_busy = bool(self._jobs)
        self._jobs.append(job)
        self.pool.start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def _finished(self, _result: Any) -> None:
        self._done(self.sender())

    def _failed(self, _code: str, _message: str) -> None:
        self._done(self.sender())

    def _done(self, signals: QObject | None) -> None:
        self._jobs = [job for job in self._jobs if job.signals is not signals]
        if not self._jobs:
            self.busy_changed.emit(False)

    def is_current(self, signals: QObject | None, job: Job | None) -> bool:
        """Whether a slot was called by ``job`` (``signals``: the slot's ``self.sender()``)."""
        return job is not None and signals is not None and signals is job.signals

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def running(self, name: str) -> Job | None:
        return next((job for job in self._jobs if job.name == name), None)

    def cancel_all(self) -> None:
        for job in self._jobs:
            job.cancel.set()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every queued job's work to end (closing the window, tests)."""
        return self.pool.waitForDone(msecs)
