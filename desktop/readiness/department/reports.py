"""The provincial report of a period written in the chosen formats: one sequence for ``readiness report`` and
the window's «Xuất báo cáo tổng hợp».

:func:`write_reports` consolidates the period in the scope, takes the scope's petitions and (unless left
out) the investment needs, and writes the workbook.  It builds the report's content once
(:class:`~.report_content.ProvincialReport`: what the PDF and the Word report print), lets go of the
consolidation, the needs and this process's memo of scores (for the country's 3,321 communes the
consolidation is the largest thing alive), and writes the PDF and the Word report from the content.

**A second process.**  When the workbook and a document are both asked, the machine has two CPUs or more and
the process tree leaves room for it (:func:`room_for_worker`: issue 16's 400 MB for the whole tree), the
documents of :data:`ASIDE` (the PDF, then the Word report) are written by one worker process
(:func:`readiness.workers.process_pool`, bound to this process's life) *while* this process writes the
workbook: the content, then built before the workbook, goes to it pickled (3,321 communes: 3.3 MB, 28 ms).
The worker is a spawned process, not one forked from the forkserver (see :data:`WORKER_START`).  Nothing
else changes: the same files, the same order in :attr:`ReportOutcome.written`, the same progress steps (the
step of a document written aside is announced when this process comes to it, and lasts until it is
written), the same errors (an error in the worker is raised here as it was raised there: an
:class:`~readiness.exchange.errors.ExchangeError` keeps its code, message and file).  A worker that cannot
start or that dies is logged and its documents are written here instead.  Each file is written atomically
(whole or absent) in either process.

The command line (:mod:`.cli_report`) and the window (:mod:`readiness.gui.department.reports`) both call
:func:`write_reports`; the window passes ``cancelled``, polled while the work runs: the worker is interrupted
at once (it removes its unfinished temporary file as it ends), the consolidation's scoring stops within a tenth
of a second (its worker processes ended, no score kept: :class:`~.bulk.ScoringStopped`, nothing written), the
workbook stops at its next sheet or between two communes of an inventory (nothing of it written), and no file is
begun after it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report_content import ProvincialReport
    from .status import StatusFilters
    from ..service import Workspace

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "pdf", "docx")  # the order they are written in
# The documents written by the worker while this process writes the workbook (chosen by measurement, at
# 3,321 communes, scores cached and cold: see the module docstring).
ASIDE = ("pdf", "docx")
# How the worker starts (readiness.workers.process_pool): a spawned interpreter imports only what the
# documents need; a worker forked from the forkserver would carry the import's preloaded modules and
# checklists, and in the cached case start the forkserver for it alone (3,321 communes, scores cached, the PDF
# aside: tree peak 420 MB forked from the forkserver, 373 MB spawned).
WORKER_START = "spawn"
TREE_BUDGET_MB = 400.0  # issue 16's bar for the whole process tree
# What the tree grows by, from before the workbook to its peak, when the worker writes the documents: the
# workbook's own growth and the worker's peak (3,321 communes, the country, the largest scope: 131 -> 368 MB
# scores cached; the worker alone 162 MB, its resource tracker 12, counted here whether or not one runs already:
# see room_for_worker).  So the worker starts when the tree is at most 160 MB before the workbook (172 with the
# scoring pool's tracker running): the command with the scores cached, and cold too (the scoring pool's workers
# spawned and gone, the scores received as the cache's bytes with shared texts: 139-148 MB and the tracker before
# the workbook, a peak of 381-387 MB); not in the window (Qt's own memory), which then writes as one process.
WORKER_RESERVE_MB = 240.0
STOP_WAIT_SECONDS = 10.0  # a cancelled worker's time to end by itself before it is terminated

# ``progress(done, total, path)``: ``path`` is the file about to be written; None while consolidating
# (``done`` 0) and at the end (``done == total``).
Progress = Callable[[int, int, "Path | None"], None]


@dataclass
class ReportRequest:
    """Everything ``readiness report`` takes."""

    period: str
    filters: StatusFilters
    xlsx: Path | None = None
    pdf: Path | None = None
    docx: Path | None = None
    date: dt.date | None = None
    number: str = ""
    signer: str = ""
    inventory: bool = True  # the workbook's inventory sheets (PCs, certificates, endpoints)
    as_of: dt.date | None = None
    needs: bool = True  # the investment needs' section (readiness needs) in every format

    def paths(self) -> dict[str, Path]:
        """Format -> file, in the order they are written."""
        return {fmt: path for fmt, path in zip(FORMATS, (self.xlsx, self.pdf, self.docx)) if path}


@dataclass
class ReportOutcome:
    period: str
    expected: int
    received: int
    petitions: int
    written: dict[str, Path] = field(default_factory=dict)  # format -> file, in the order written
    seconds: dict[str, float] = field(default_factory=dict)  # consolidate, needs and each format
    aside: tuple[str, ...] = ()  # the formats the second process wrote
    # ``cancelled()`` said stop: the workbook stopped unwritten, a document begun here finished, none begun after
    cancelled: bool = False

    @property
    def files(self) -> list[Path]:
        return list(self.written.values())


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # Windows, macOS
        return os.cpu_count() or 1


def documents_aside(paths: dict[str, Path], processes: int | None = None) -> tuple[str, ...]:
    """The documents a second process writes while this one writes the workbook: those of :data:`ASIDE` asked
    with the workbook, on a machine of two CPUs or more (``processes``: 1 one process, 2 a worker; None: by
    :func:`available_cpus`)."""
    if "xlsx" not in paths or (processes if processes is not None else available_cpus()) < 2:
        return ()
    return tuple(fmt for fmt in ASIDE if fmt in paths)


def tree_megabytes() -> float:
    """The resident memory of this process and every process it started (sum of RSS, MB), as issue 16's
    bar counts it; 0 when the system does not tell."""
    try:
        import psutil

        me = psutil.Process()
        total = 0
        for process in (me, *me.children(recursive=True)):
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20
    except Exception:  # noqa: BLE001 - no figure: the caller decides as if there were room
        return 0.0


def tracker_megabytes() -> float:
    """The resident memory (MB) of the resource tracker among this process's children, if one runs (started by
    the first worker process of this process's life: the consolidation's scoring pool, a report's worker); 0
    when none runs or the system does not tell.  One serves every later worker, so a worker started now adds
    none: :func:`room_for_worker` does not count it twice."""
    try:
        import psutil

        total = 0
        for process in psutil.Process().children(recursive=False):
            try:
                if any("multiprocessing.resource_tracker" in arg for arg in process.cmdline()):
                    total += process.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20
    except Exception:  # noqa: BLE001 - no figure: the tracker is counted with the tree, as before
        return 0.0


def room_for_worker() -> bool:
    """Whether the process tree, as it is before the workbook, leaves room for the document worker under
    :data:`TREE_BUDGET_MB` (the workbook's growth and the worker's own peak: :data:`WORKER_RESERVE_MB`).

    The reserve holds the resource tracker the worker needs; when the scoring's pool has started one already
    (a cold report), it is counted there and not in the tree as well.  (Counted twice, it kept 12 MB from the
    tree's room: a cold report of the country, its tree 149-152 MB without the tracker, wrote its documents
    after the workbook in 5 of 7 runs, ~3 s of CPU more on the parent's path.)"""
    now = tree_megabytes()
    tracker = tracker_megabytes()
    log.info("report: process tree %.0f MB before the workbook (its resource tracker %.0f MB)", now, tracker)
    return now - tracker + WORKER_RESERVE_MB <= TREE_BUDGET_MB


def write_reports(workspace: Workspace, request: ReportRequest, progress: Progress | None = None, *,
                  cancelled: Callable[[], bool] | None = None, processes: int | None = None) -> ReportOutcome:
    """Consolidate, build the documents' content, write the workbook (and meanwhile, in a second process, the
    documents of :func:`documents_aside`), then, the consolidation released, the other documents here.

    ``processes``: 1 writes everything here; 2 starts the worker whatever the tree's memory (the self-test,
    tests); None (the command, the window) decides by :func:`available_cpus` and :func:`room_for_worker`."""
    from ..collector import HEAVY

    with HEAVY:  # millions of objects alive: no full collection over them meanwhile (readiness.collector)
        return _write_reports(workspace, request, progress, cancelled=cancelled, processes=processes)


def _write_reports(workspace: Workspace, request: ReportRequest, progress: Progress | None = None, *,
                   cancelled: Callable[[], bool] | None = None, processes: int | None = None) -> ReportOutcome:
    """:func:`write_reports`' work (entered with the collector's young threshold raised)."""
    from ..document_settings import load_settings
    from ..store.db import validate_period
    from .consolidate import consolidate, inventories
    from .petitions import list_petitions

    paths = request.paths()
    total = 1 + len(paths)
    report_progress = progress or (lambda *_args: None)
    stop = cancelled or (lambda: False)
    report_progress(0, total, None)
    started = time.perf_counter()
    from .bulk import ScoringStopped

    try:
        data = consolidate(workspace, request.period, request.filters, today=request.as_of, cancelled=cancelled)
    except ScoringStopped:  # stopped while the communes were scored: nothing kept, nothing written
        report_progress(total, total, None)
        return ReportOutcome(validate_period(request.period), 0, 0, 0, cancelled=True)
    petitions = list_petitions(workspace, period=request.period, province=request.filters.province)
    scope = {row.code for row in data.status.rows}
    petitions = [p for p in petitions if p.commune_code in scope]
    outcome = ReportOutcome(data.period, data.status.expected, data.received, len(petitions))
    outcome.seconds["consolidate"] = time.perf_counter() - started
    settings = load_settings(workspace.store)
    needs = None
    if request.needs:
        from .needs import investment_needs
        from .prices import load_prices

        start = time.perf_counter()
        needs = investment_needs(workspace, data, load_prices(workspace.store))
        outcome.seconds["needs"] = time.perf_counter() - start
    # With a worker, the content is built before the workbook (the worker writes from it meanwhile); in one
    # process, after it, as the consolidation is let go (it is then not alive during the workbook).
    aside_paths = {fmt: paths[fmt] for fmt in documents_aside(paths, processes)}
    if aside_paths and processes is None and not room_for_worker():
        aside_paths = {}
    report = _content(workspace, request, data, petitions, needs, settings) if aside_paths else None
    aside = _Aside.start(report, aside_paths, stop)
    try:
        def writing(fmt: str) -> Path:
            path = paths[fmt]
            report_progress(1 + len(outcome.written), total, path)
            return path

        def written(fmt: str, path: Path, seconds: float) -> None:
            outcome.seconds[fmt] = seconds
            outcome.written[fmt] = path

        if "xlsx" in paths and not stop():
            from .needs_xlsx import needs_sheets
            from .report_xlsx import write_report_xlsx

            path, start = writing("xlsx"), time.perf_counter()
            if write_report_xlsx(data, petitions, path, inventories(workspace, data) if request.inventory else None,
                                 as_of=request.as_of or request.date, more_sheets=needs_sheets(needs),
                                 department=settings.short_name, cancelled=stop) is not None:
                written("xlsx", path, time.perf_counter() - start)
            # else stopped: nothing written, and no document is begun after it (below)
        # The content holds what the documents print: the consolidation, the needs and this process's memo of
        # scores go before the documents are laid out (3,321 communes: ~150 MB less at the peak).
        from .bulk import clear_memo

        if report is None and ("pdf" in paths or "docx" in paths) and not stop():
            report = _content(workspace, request, data, petitions, needs, settings)
        del data, needs
        clear_memo()
        for fmt in ("pdf", "docx"):
            if fmt not in paths or stop():
                continue
            assert report is not None
            path, start = writing(fmt), time.perf_counter()
            seconds = aside.result(fmt) if aside.has(fmt) else None  # None: not written aside
            if seconds is None:
                if stop():  # the worker was stopped: this document is not begun again here
                    continue
                WRITERS[fmt](report, path)
                seconds = time.perf_counter() - start
            else:
                outcome.aside += (fmt,)
            written(fmt, path, seconds)
    finally:
        aside.close()
    outcome.cancelled = len(outcome.written) < len(paths) and stop()
    report_progress(total, total, None)
    return outcome


def _content(workspace: Workspace, request: ReportRequest, data: Any, petitions: list, needs: Any,
             settings: Any) -> ProvincialReport:
    """What the PDF and the Word report print: the period's report, or a named group's follow-up report
    (seed 002's form)."""
    from .report_content import ReportOptions, build_report

    options = ReportOptions(date=request.date, number=request.number, signer_name=request.signer, settings=settings)
    if request.filters.group:
        from .group_report import build_group_report
        from .groups import get_group

        return build_group_report(data, petitions, get_group(workspace, request.filters.group), options)
    return build_report(data, petitions, options, needs)


# The documents' writers, each named once: its module (imported where it writes: in the worker, by
# _init_worker, before any document) and its function.
DOCUMENTS = {"pdf": ("readiness.department.report_pdf", "write_report_pdf"),
             "docx": ("readiness.department.report_docx", "write_report_docx")}


def _writer(fmt: str) -> Callable[[Any, Path], None]:
    module, function = DOCUMENTS[fmt]

    def write(report: ProvincialReport, path: Path) -> None:
        import importlib

        getattr(importlib.import_module(module), function)(report, path)

    return write


WRITERS: dict[str, Callable[[Any, Path], None]] = {fmt: _writer(fmt) for fmt in DOCUMENTS}
MODULES = {fmt: module for fmt, (module, _function) in DOCUMENTS.items()}  # what the worker imports first


# -- the second process ----------------------------------------------------------------------------------------


class _Aside:
    """The documents written by the worker process; :meth:`result` waits for one.  A worker that cannot start
    or dies leaves its documents to this process (:meth:`result` gives None); an error of a document is raised."""

    def __init__(self) -> None:
        self.pool: Any = None
        self.future: Any = None
        self.formats: tuple[str, ...] = ()
        self.folders: set[Path] = set()  # where the worker writes (its temporary files too)
        self.seconds: dict[str, float] | None = None
        self.stop_event: Any = None
        self.watching: Any = None  # set when the worker is let go: its cancel watcher thread then ends

    @classmethod
    def start(cls, report: ProvincialReport | None, paths: dict[str, Path], cancelled: Callable[[], bool]) -> _Aside:
        aside = cls()
        if report is None or not paths:
            return aside
        import pickle
        import threading

        from ..workers import context, process_pool

        try:
            payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
            aside.stop_event = context(WORKER_START).Event()
            aside.pool = process_pool(1, _init_worker, (tuple(MODULES[fmt] for fmt in paths), aside.stop_event),
                                      method=WORKER_START)
            aside.future = aside.pool.submit(_write_aside, payload, {fmt: str(path) for fmt, path in paths.items()})
        except Exception:  # noqa: BLE001 - whatever keeps the worker from starting, the documents are written here
            log.warning("report: no worker process for %s; written in this process", ", ".join(paths), exc_info=True)
            aside.close()
            return cls()
        aside.formats = tuple(paths)
        aside.folders = {path.parent for path in paths.values()}
        aside.watching = threading.Event()

        def watch() -> None:  # the window's cancel reaches the worker at once, whatever this process is doing
            while not aside.watching.wait(0.1) and not aside.future.done():
                if cancelled():
                    aside.stop_event.set()
                    return

        threading.Thread(target=watch, name="report-cancel-watch", daemon=True).start()
        return aside

    def has(self, fmt: str) -> bool:
        return fmt in self.formats

    def result(self, fmt: str) -> float | None:
        """Wait for the worker: the seconds it took to write ``fmt``; None if the worker could not write it
        (it could not start, or died: logged); the document's own error raised as it was raised there."""
        if self.seconds is None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                self.seconds = self.future.result()
            except BrokenProcessPool:
                log.warning("report: the worker process writing %s ended early; written in this process",
                            ", ".join(self.formats), exc_info=True)
                self.seconds = {}
            except KeyboardInterrupt:
                if not self.stop_event.is_set():  # not our stop: an interrupt of the worker from outside
                    raise
                self.seconds = {}  # stopped (cancelled): nothing written, its temporary file removed
        return self.seconds.get(fmt)

    def close(self) -> None:
        """Let the worker go: asked to stop if it still writes (this process is leaving: an error, a cancel),
        terminated if it has not ended within :data:`STOP_WAIT_SECONDS`."""
        if self.watching is not None:
            self.watching.set()
        if self.pool is None:
            return
        if self.future is not None and not self.future.done():
            self.stop_event.set()
            from concurrent.futures import wait

            wait([self.future], timeout=STOP_WAIT_SECONDS)
        terminated: list[int] = []
        if self.future is not None and not self.future.done():
            log.warning("report: the worker process did not stop within %s s; terminated", STOP_WAIT_SECONDS)
            terminated = self.pool.terminate()
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for pid in terminated:  # a terminated worker could not remove its unfinished temporary file: it is removed here
            for folder in self.folders:
                for leftover in folder.glob(worker_temp_prefix(pid) + "*"):
                    leftover.unlink(missing_ok=True)
        self.pool = None


def worker_temp_prefix(pid: int) -> str:
    """How the temporary files of the document worker with process id ``pid`` are named (``.~1234-…``)."""
    return f".~{pid}-"


def _init_worker(modules: tuple[str, ...], stop: Any) -> None:
    """In the worker, before any document: import the writers (a build missing one fails here, and the
    documents are then written by the parent), and end the writing when ``stop`` is set."""
    import _thread
    import importlib
    import threading

    from ..exchange import xlsx

    xlsx.TEMP_PREFIX = worker_temp_prefix(os.getpid())  # this process's own temporary files: see _Aside.close
    for module in modules:
        importlib.import_module(module)

    def watch() -> None:
        stop.wait()
        if _writing:
            _thread.interrupt_main()  # KeyboardInterrupt in the writer: its temporary file is removed as it unwinds

    threading.Thread(target=watch, name="report-stop-watch", daemon=True).start()


def _write_aside(payload: bytes, paths: dict[str, str]) -> dict[str, float]:
    """In the worker: the report's content unpickled, each document written (atomically); the seconds of each."""
    import pickle

    global _writing
    _writing = True
    try:
        report = pickle.loads(payload)
        del payload
        seconds: dict[str, float] = {}
        for fmt, path in paths.items():
            start = time.perf_counter()
            WRITERS[fmt](report, Path(path))
            seconds[fmt] = time.perf_counter() - start
        return seconds
    finally:
        _writing = False


_writing = False  # in the worker: a task is running (a stop then interrupts it; an idle worker is left alone)
