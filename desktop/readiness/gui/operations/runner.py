"""The one background runner of the window (anki's ``taskman`` + ``QueryOp``, small).

Work that can take more than a moment (an import, consolidating thousands of communes, writing a
PDF, signing with a USB token, measuring the connection) runs as a :class:`Job` on a
:class:`Runner`'s thread pool.  A job reports through queued signals: ``progress(done, total,
text)``, ``item(object)`` for a result streamed as it is ready (each imported file), then exactly
one of ``finished(result)`` or ``failed(code, message)``, the message from
:func:`~.errors.describe_error`.  ``cancel`` is a :class:`threading.Event` the work checks.

A runner with one thread runs its jobs one after another: the department's window uses one so the
database is used by one background thread at a time.

The department's jobs build millions of objects (every answer of 3,321 communes).  Python's cyclic
collector then runs full collections over all of them, each holding the interpreter lock for
hundreds of milliseconds, and the window freezes meanwhile.  A runner made with
``allocation_heavy=True`` raises the collector's first threshold while its jobs run
(:data:`readiness.collector.HEAVY`, the one process-wide instance): the collector stays on, but collects the young generation every 50,000
allocations instead of 700, so no full collection happens during a load.  Measured with the
dashboard's warm load of 3,321 communes (``tests/gui/department/bench_department_dashboard.py``'s
method, 3 loads each, a loaded 2-core machine): longest UI stall, medians of runs, 229–829 ms with
the defaults (one full collection per load), 131–355 ms with the raised threshold (no full
collection), 152–319 ms with the collector disabled for the whole process during the job as before;
memory the same (249 MB).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from ...collector import HEAVY
from .errors import INTERNAL, describe_error

log = logging.getLogger(__name__)


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

    def __init__(self, name: str, work: Callable[[JobContext], Any], *, allocation_heavy: bool = False):
        super().__init__()
        self.name = name
        self.work = work
        self.allocation_heavy = allocation_heavy
        self.signals = JobSignals()
        self.cancel = threading.Event()
        self.done = threading.Event()
        self.setAutoDelete(False)  # the Runner keeps it until its outcome is delivered

    def run(self) -> None:
        try:
            with HEAVY if self.allocation_heavy else nullcontext():
                result = self.work(JobContext(self.signals, self.cancel))
        except Exception as error:  # noqa: BLE001 - every failure is shown to the person, never lost
            from ..i18n import lang

            code, message = describe_error(error, lang())
            if code == INTERNAL:
                log.error("%s failed", self.name, exc_info=error)
            self.signals.failed.emit(code, message)
        else:
            self.signals.finished.emit(result)
        finally:
            self.done.set()


class Runner(QObject):
    """Runs jobs off the UI thread (``threads`` at a time) and tells the window when it is busy."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1, allocation_heavy: bool = False):
        super().__init__(parent)
        self.allocation_heavy = allocation_heavy
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.pool.setExpiryTimeout(-1)
        self._jobs: list[Job] = []

    def submit(self, name: str, work: Callable[[JobContext], Any], *,
               finished: Callable[[Any], None] | None = None, failed: Callable[[str, str], None] | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               item: Callable[[Any], None] | None = None) -> Job:
        """Queue ``work``; the callbacks run on the UI thread.

        Pass bound methods of QObjects (Qt then drops a call whose receiver is gone); to tell which
        job called, compare the slot's ``self.sender()`` with ``job.signals`` (a view reloading: see
        :class:`~.latest.Latest`).
        """
        job = Job(name, work, allocation_heavy=self.allocation_heavy)
        queued = Qt.ConnectionType.QueuedConnection
        if progress is not None:
            job.signals.progress.connect(progress, queued)
        if item is not None:
            job.signals.item.connect(item, queued)
        if finished is not None:
            job.signals.finished.connect(finished, queued)
        if failed is not None:
            job.signals.failed.connect(failed, queued)
        # After the callbacks: once ``busy`` is False, every outcome has been delivered.
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
