"""Importing submitted workbooks into the department's database: :func:`import_paths`.

Files and folders (recursively, ``*.xlsx``) are checked in worker processes
(:mod:`.import_worker`, one file at a time, in parallel) and written by this process in the
order the files were given, each file in its own transaction (:mod:`readiness.store.imports`):
nothing of a refused file reaches the assessments, and one bad file never stops the others.
Results come back as one :class:`FileResult` per file, in that order, so a parallel import gives
exactly what a serial one does.

A worker that dies on a file (a crash inside the spreadsheet library) is replaced; the files it
had in hand are checked again one by one in a process of their own, and the one that kills it
is refused (``E-IMPORT-CRASH``).  Workers run with a cap on their address space, and end when this
process ends, however it ends (:func:`readiness.workers.process_pool`): an import killed mid-folder
leaves no process behind, and running it again completes the job.

The GUI calls :func:`import_paths` off the UI thread with ``progress`` (files done, total, the
current file's name) and ``cancel`` (a :class:`threading.Event`).
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import logging
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from ..filetypes import kind_label, kind_of
from .import_errors import ImportProblem, located_at, problem
from .import_worker import CheckedFile, check_file, identity_places, init_worker, worker_pid

if TYPE_CHECKING:
    from ..service import Workspace
    from ..store.db import Store

log = logging.getLogger(__name__)

STATUSES = ("imported", "updated", "duplicate", "held", "rejected", "skipped")
WORKER_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # address space of one worker process (bytes)
SCORE_BATCH = 200  # computed scores kept in memory before they go to the score cache
WRITE_BATCH = 32  # checked files written in one transaction at most (fewer when the next is not checked yet)
# ... and at least, while more are coming from worker processes: a transaction costs the writing process about
# as much as the files in it (SQLAlchemy's work per statement), and the workers keep checking meanwhile.
MIN_WRITE_BATCH = 8
Progress = Callable[[int, int, str], None]


@dataclass
class FileResult:
    """What became of one file."""

    file: str
    status: str  # imported | updated | duplicate | held | rejected | skipped
    commune: str | None = None
    period: str | None = None
    revision: int | None = None
    assessment_id: str | None = None
    kind: str | None = None  # submission | template
    sha256: str | None = None
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    signature: dict[str, Any] | None = None  # the signature check (readiness.signing.importing.ImportVerdict.summary)
    held: dict[str, Any] | None = None  # held instead of replacing a signed revision: {id, code, reason, signed_revision}

    @property
    def ok(self) -> bool:
        """Not refused (a held file is kept, waiting for the department: :attr:`ImportReport.exit_code` counts it)."""
        return self.status != "rejected"

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` line: ``{file, status, commune, period, revision, errors: [{code, sheet, cell, message}]}``."""
        data: dict[str, Any] = {
            "file": self.file, "status": self.status, "commune": self.commune, "period": self.period,
            "revision": self.revision, "errors": [e.to_dict() for e in self.errors],
        }
        if self.warnings:
            data["warnings"] = [w.to_dict() for w in self.warnings]
        if self.signature:
            data["signature"] = self.signature
        if self.held:
            data["held"] = self.held
        return data


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False
    not_done: int = 0  # files left when cancelled
    seconds: float = 0.0

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.status for result in self.results)

    @property
    def ok(self) -> bool:
        """Every file is in use (imported, updated, a duplicate) or was skipped: nothing refused, held or left."""
        return all(result.ok and result.status != "held" for result in self.results) and not self.cancelled

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


# -- which files --------------------------------------------------------------------------------------


def collect(paths: Iterable[str | Path]) -> list[tuple[Path, ImportProblem | None]]:
    """Every file to look at, in order: (path, None) to import, (path, reason) to list as skipped or refused
    (:func:`listing` says which)."""
    return [(path, reason) for path, reason, _status in listing(paths)]


def listing(paths: Iterable[str | Path]) -> list[tuple[Path, ImportProblem | None, str | None]]:
    """(path, reason, status) of every file to look at, in order; status ``skipped`` / ``rejected`` with a
    reason, ``None`` (to be checked) without.

    Nothing is opened here: each path is looked at with ``lstat``/``stat`` (a named pipe is never
    waited on).  Named on the command line: a regular file (or a link to one) is checked whatever its
    name; a folder is searched; anything else (a pipe, socket or device, a broken or looping link) is
    refused at once, with what it is.  In a folder (and its subfolders): ``*.xlsx`` files are checked;
    every other entry is listed as skipped with its reason: other files, Excel's ``~$`` lock files,
    hidden files, pipes, sockets, devices, broken or looping links, links that lead out of the folder
    and links to folders (never followed: a folder inside is searched anyway).  A folder that cannot be
    listed is refused (files in it may be missing).
    """
    found: list[tuple[Path, ImportProblem | None, str | None]] = []
    seen: dict[Path, Path] = {}  # the file itself -> the path it was first listed under

    def add(path: Path, reason: ImportProblem | None, key: Path | None = None, *, skipped: bool = False) -> None:
        key = key or (path.absolute() if reason is not None else path.resolve())
        if key in seen:
            if reason is None and seen[key].absolute() != path.absolute():  # a link to a file already listed
                found.append((path, problem("E-IMPORT-SKIPPED", f"Cùng một tệp với «{seen[key]}» (liên kết): bỏ qua."),
                              "skipped"))
            return
        seen[key] = path
        found.append((path, reason, None if reason is None else "skipped" if skipped else "rejected"))

    for given in paths:
        path = Path(given)
        try:
            info = path.stat()  # follows a link; never opens
        except FileNotFoundError:
            if path.is_symlink():
                add(path, problem("E-IMPORT-LINK", f"Liên kết (symlink) hỏng: trỏ tới «{_link_target(path)}», không "
                                                   "còn tồn tại."))
            else:
                add(path, problem("E-IMPORT-NOT-FOUND", "Không tìm thấy tệp hoặc thư mục này."))
            continue
        except OSError as error:
            add(path, _unreachable(path, error))
            continue
        kind = kind_of(info.st_mode)
        if kind == "directory":
            root = path.resolve()
            for child, reason, key in sorted(_walk(path, root), key=lambda entry: entry[0]):
                add(child, reason, key, skipped=reason is not None and reason.code != "E-IMPORT-UNREADABLE")
        elif kind == "file":
            add(path, None)
        else:
            add(path, problem("E-IMPORT-NOT-REGULAR", f"Đây là {kind_label(kind)}, không phải tệp: không đọc."))
    return found


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _unreachable(path: Path, error: OSError, *, in_folder: bool = False) -> ImportProblem:
    import errno

    if error.errno == errno.ELOOP:
        return problem("E-IMPORT-LINK", "Liên kết (symlink) vòng: trỏ qua lại mãi, không tới tệp nào"
                       + (": bỏ qua." if in_folder else "."))
    return problem("E-IMPORT-UNREADABLE", f"Không đọc được: {error.strerror or error}.")


def _walk(folder: Path, root: Path) -> Iterable[tuple[Path, ImportProblem | None, Path | None]]:
    """(path, reason or None, key that finds the same file twice) of every entry under ``folder`` (``root``: the folder given,
    resolved); links are looked at, never followed into folders."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as error:
        yield folder, problem("E-IMPORT-UNREADABLE", f"Không đọc được thư mục: {error.strerror or error}; các tệp "
                                                     "trong đó chưa được nhập."), None
        return
    for entry in listed:
        child = Path(entry.path)
        try:
            if entry.is_symlink():
                yield _link(child, root)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as error:
            yield child, _unreachable(child, error, in_folder=True), None
            continue
        kind = kind_of(mode)
        if kind == "directory":
            yield from _walk(child, root)
        elif kind == "file":
            yield child, _by_name(child), None
        else:
            yield child, problem("E-IMPORT-NOT-REGULAR", f"{kind_label(kind)[0].upper()}{kind_label(kind)[1:]}, không "
                                                         "phải tệp: bỏ qua."), None


def _link(child: Path, root: Path) -> tuple[Path, ImportProblem | None, Path | None]:
    """A symbolic link inside the folder: followed only to a regular file inside the folder."""
    try:
        info = child.stat()
    except FileNotFoundError:
        return child, problem("E-IMPORT-LINK", f"Liên kết (symlink) hỏng: trỏ tới «{_link_target(child)}», không còn "
                                               "tồn tại: bỏ qua."), None
    except OSError as error:
        return child, _unreachable(child, error, in_folder=True), None
    target = child.resolve()
    kind = kind_of(info.st_mode)
    if target != root and root not in target.parents:
        what = {"file": "tệp", "directory": "thư mục"}.get(kind, kind_label(kind))
        return child, problem("E-IMPORT-LINK", f"Liên kết (symlink) tới {what} ngoài thư mục đã chọn («{target}»): bỏ "
                                               "qua." + (" Nếu cần nhập tệp đó, chọn chính tệp đó." if kind == "file"
                                                        else "")), None
    if kind == "directory":
        return child, problem("E-IMPORT-LINK", "Liên kết (symlink) tới thư mục: không đi theo (thư mục đó nằm trong "
                                               "thư mục đã chọn nên vẫn được tìm): bỏ qua."), None
    if kind != "file":
        return child, problem("E-IMPORT-NOT-REGULAR", f"Liên kết tới {kind_label(kind)}, không phải tệp: bỏ qua."), None
    reason = _by_name(child)
    return child, reason, (None if reason is not None else target)


def _by_name(child: Path) -> ImportProblem | None:
    """In a folder, only ``*.xlsx`` files are checked."""
    if child.name.startswith("~$"):
        return problem("E-IMPORT-SKIPPED", "Tệp khóa tạm của Excel (~$…): bỏ qua.")
    if child.name.startswith("."):
        return problem("E-IMPORT-SKIPPED", "Tệp ẩn: bỏ qua.")
    if child.suffix.lower() != ".xlsx":
        return problem("E-IMPORT-SKIPPED", f"Không phải tệp .xlsx ({child.suffix or 'không có đuôi'}): bỏ qua.")
    return None


# -- the import -----------------------------------------------------------------------------------------


def import_paths(workspace: Workspace, paths: Sequence[str | Path] | Iterable[str | Path], *, accept_edited: bool = False,
                 jobs: int | None = None, progress: Progress | None = None, cancel: Event | None = None,
                 today: dt.date | None = None, on_result: Callable[[FileResult], None] | None = None,
                 require_signature: bool = False, accept_replacement: Iterable[str] = (),
                 accept_reason: str | None = None) -> ImportReport:
    """Import files and folders into ``workspace`` (a :class:`readiness.service.Workspace`).

    ``jobs``: worker processes (default: the number of CPUs; ``0`` checks in this process, with no
    isolation: for tests and debugging).  ``today``: the date answers are checked against
    (default: each file's export date).  ``on_result`` is called with each file's result as soon
    as it is written (the CLI prints it then).  ``require_signature``: refuse unsigned files (invalid
    signatures are refused either way; :mod:`readiness.signing.importing`).  A file that would replace
    a validly signed revision without the same proof of sender is *held* (status ``held``), unless its
    commune is in ``accept_replacement``: it is then stored, and the log line keeps ``accept_reason``.
    """
    started = time.perf_counter()
    report = ImportReport()
    entries = listing(paths)
    total = len(entries)
    user = _user()
    accept = frozenset(code.strip() for code in accept_replacement if code and code.strip())
    if accept and not (accept_reason or "").strip():
        from ..store.db import StoreError

        raise StoreError("E-HELD-REASON", "Ghi lý do chấp nhận bản thay thế bản đã ký số (--reason «…»).")
    writer = _Writer(workspace.store, user, require_signature, accept, " ".join((accept_reason or "").split()))
    to_check = [path for path, reason, _status in entries if reason is None]
    checks = _Checks(workspace, to_check, accept_edited=accept_edited, jobs=jobs, today=today, cancel=cancel)
    done = 0
    scores: list[Any] = []  # CommuneScore of what was written, for the score cache (kept in batches)
    batch: list[CheckedFile] = []  # checked, not yet written (several files per transaction)
    batch_keys: set[Any] = set()

    def finish(result: FileResult, name: str) -> None:
        nonlocal done, scores
        report.results.append(result)
        if on_result:
            on_result(result)
        done += 1
        if progress:
            progress(done, total, name)

    def flush() -> None:
        nonlocal scores
        if not batch:
            return
        for checked, result in zip(batch, writer.write_many(batch), strict=True):
            if checked.commune_score is not None and result.status in ("imported", "updated") \
                    and result.assessment_id == checked.commune_score.assessment_id:
                scores.append(checked.commune_score)
                if len(scores) >= SCORE_BATCH:
                    _remember_scores(workspace, scores)
                    scores = []
            finish(result, Path(checked.path).name)
        batch.clear()
        batch_keys.clear()

    if progress:
        progress(0, total, "")
    try:
        for path, reason, listed in entries:
            if cancel is not None and cancel.is_set():
                flush()
                report.cancelled = True
                break
            if reason is not None:
                flush()  # the results stay in the order the files were given
                status = listed or "rejected"
                result = FileResult(str(path), status, errors=[reason])
                if status == "rejected":
                    writer.log_missing(path, reason)
                finish(result, path.name)
                continue
            checked = checks.next()
            if checked is None:  # cancelled while waiting
                flush()
                report.cancelled = True
                break
            keys = _batch_keys(checked)
            if keys & batch_keys:  # the same commune and period (or id) twice: the first is written first
                flush()
            batch.append(checked)
            batch_keys.update(keys)
            # Write while the workers check the next ones; checked in this process (jobs=0), each file is
            # written as it comes (nothing is checked meanwhile, and progress and cancel stay per file).
            least = MIN_WRITE_BATCH if checks.parallel else 1
            if len(batch) >= WRITE_BATCH or (len(batch) >= least and not checks.ready()):
                flush()
        flush()
    finally:
        checks.close()
    _remember_scores(workspace, scores)
    report.not_done = total - done
    report.seconds = time.perf_counter() - started
    return report


def _batch_keys(checked: CheckedFile) -> set[Any]:
    """What two files of one write batch may not share: the commune and period, the assessment id."""
    if checked.commune_code is None:
        return set()
    return {("pair", checked.commune_code, checked.period), ("id", checked.assessment_id)}


def _remember_scores(workspace: Workspace, scores: list[Any]) -> None:
    """The scores the import computed go to the department's score cache (derived data: a failure to
    keep them costs a later report some time, never the import)."""
    from .bulk import remember_scores

    try:
        remember_scores(workspace, scores)
    except Exception as error:  # noqa: BLE001
        log.warning("import: scores not kept in the cache (%s)", error)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service account, a container)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "?"


class _Writer:
    """Writes each checked file in its own transaction (the store functions of :mod:`readiness.store.imports`)."""

    def __init__(self, store: Store, user: str, require_signature: bool = False, accept: frozenset[str] = frozenset(),
                 accept_reason: str = ""):
        from ..signing.importing import ImportSignatures

        self.store = store
        self.user = user
        self.signatures = ImportSignatures(store, require_signature)  # proof of sender: verified here, kept with it
        self.accept = accept  # communes whose held replacement the department accepts in this run
        self.accept_reason = accept_reason

    def _entry(self, path: Path | str, checked: CheckedFile | None = None) -> Any:
        from ..store.imports import LogEntry

        path = Path(path)
        entry = LogEntry(file_name=path.name, path=str(path.absolute()), user_name=self.user)
        if checked is not None:
            entry.sha256, entry.size = checked.sha256, checked.size
            entry.commune_code, entry.period = checked.commune_code, checked.period
            entry.revision, entry.assessment_id = checked.revision, checked.assessment_id
        return entry

    def log_missing(self, path: Path, reason: ImportProblem) -> None:
        from ..store.imports import log_import

        try:
            log_import(self.store, self._entry(path), "rejected", [reason.to_dict()])
        except Exception:  # noqa: BLE001 - the log must never stop the import
            pass

    def write_many(self, batch: list[CheckedFile]) -> list[FileResult]:
        """Several checked files in one transaction (:func:`readiness.store.imports.store_batch`); when the
        batch cannot be written as one (a database error, a file to hold), each file alone (:meth:`write`):
        a bad file is rolled back and reported alone, whatever batch it came in."""
        if len(batch) == 1:
            return [self.write(batch[0])]
        from sqlalchemy.exc import SQLAlchemyError

        from ..store.imports import BatchFile, store_batch

        prepared = [self._prepare(checked) for checked in batch]
        files = []
        for checked, (result, entry, warnings, verdict) in zip(batch, prepared, strict=True):
            if result.errors or checked.assessment is None:
                if not result.errors:
                    result.errors.append(problem("E-IMPORT-INTERNAL", "Tệp không có dữ liệu để nhập."))
                files.append(BatchFile(entry, warnings, errors=[e.to_dict() for e in result.errors]))
                continue
            if checked.commune_code in self.accept:  # accepting a held replacement: the one-file path records it
                return [self.write(one) for one in batch]
            files.append(BatchFile(entry, warnings, checked.assessment, signature=self.signatures.record_for(verdict),
                                   hold=self.signatures.hold_check(verdict),
                                   locate=functools.partial(_locate, checked)))
        try:
            outcomes = store_batch(self.store, files)
        except SQLAlchemyError as error:
            log.info("import: a batch of %d files not written as one (%s); each file alone", len(batch), error)
            outcomes = None
        if outcomes is None:
            return [self.write(checked) for checked in batch]
        return [result if file.incoming is None else self._finish(result, outcome)  # refused before the store
                for (result, _entry, _warnings, _verdict), file, outcome in zip(prepared, files, outcomes, strict=True)]

    def _prepare(self, checked: CheckedFile) -> tuple[FileResult, Any, list[dict[str, Any]], Any]:
        """The file's result so far (refused by the checks or the signature, or to be stored), its log
        entry, its warnings and the signature verdict."""
        result = FileResult(checked.path, "rejected", checked.commune_code, checked.period, checked.revision,
                            checked.assessment_id, checked.kind, checked.sha256, list(checked.errors),
                            list(checked.warnings))
        verdict = self.signatures.check(checked.signature)  # signed and valid / unsigned (flagged) / invalid
        if verdict is not None:
            result.signature = verdict.summary()
            if verdict.error:
                code, message = verdict.error
                if code != "E-SIG-REQUIRED":  # a broken signature: say which signed revision stays in use
                    message += self.signatures.kept_note(checked.commune_code, checked.period)
                result.errors.append(ImportProblem(code, message))
        return result, self._entry(checked.path, checked), [w.to_dict() for w in checked.warnings], verdict

    def write(self, checked: CheckedFile) -> FileResult:
        from sqlalchemy.exc import SQLAlchemyError

        from ..store.imports import log_import, store_assessment

        result, entry, warnings, verdict = self._prepare(checked)
        if result.errors or checked.assessment is None:
            if not result.errors:
                result.errors.append(problem("E-IMPORT-INTERNAL", "Tệp không có dữ liệu để nhập."))
            try:
                log_import(self.store, entry, "rejected", [e.to_dict() for e in result.errors], warnings)
            except SQLAlchemyError:
                pass
            return result
        accepted = self.accept_reason if checked.commune_code in self.accept else None
        try:
            outcome = store_assessment(self.store, checked.assessment, entry, warnings,
                                       also=self.signatures.recorder(verdict),  # the signature, in the same transaction
                                       guard=self.signatures.guard(verdict), accept_hold=accepted,
                                       locate=lambda error: _locate(checked, error))
        except SQLAlchemyError as error:
            detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
            result.errors.append(problem("E-IMPORT-DB", f"Không ghi được vào cơ sở dữ liệu ({detail}); không có gì "
                                                        "của tệp này được ghi. Nhập lại tệp sau."))
            try:
                log_import(self.store, entry, "rejected", [e.to_dict() for e in result.errors], warnings)
            except SQLAlchemyError:
                pass
            return result
        return self._finish(result, outcome)

    def _finish(self, result: FileResult, outcome: Any) -> FileResult:
        """The result of a file the store decided on (``outcome``: a ``StoreOutcome``)."""
        result.status = outcome.status
        result.assessment_id = outcome.assessment_id
        result.revision = outcome.revision if outcome.revision is not None else result.revision
        if outcome.hold is not None and outcome.status == "held":
            result.warnings.append(ImportProblem(outcome.hold.code, outcome.hold.message))
            result.held = {"id": outcome.held_id, "code": outcome.hold.code, "reason": outcome.hold.message,
                           "signed_revision": outcome.hold.signed_revision}
        elif outcome.hold is not None:
            result.warnings.append(problem("W-IMPORT-ACCEPTED-REPLACEMENT", f"Đã chấp nhận thay bản đã ký số "
                                           f"(--accept-unsigned-replacement): {outcome.hold.message} Lý do: "
                                           f"{self.accept_reason}"))
        for stored_error in outcome.errors:
            also = tuple((place["sheet"], place["cell"]) for place in stored_error.get("also") or ())
            result.errors.append(ImportProblem(stored_error["code"], stored_error["message"], stored_error.get("sheet"),
                                               stored_error.get("cell"), also))
        return result


def _locate(checked: CheckedFile, error: dict[str, Any]) -> dict[str, Any]:
    """A refusal of the database (older, conflicting, a reused id) at the cells that hold the offending value:
    the ``_data`` cell and, where the cover shows it, that cell too."""
    fields = error.get("fields") or []
    places = identity_places(checked.path, fields) if fields and checked.kind == "submission" else []
    return located_at(error["code"], error["message"], places).to_dict() if places else error


class _Checks:
    """The checked files, in the order given, from a pool of worker processes (or this process)."""

    def __init__(self, workspace: Workspace, paths: list[Path], *, accept_edited: bool, jobs: int | None,
                 today: dt.date | None, cancel: Event | None, check: Callable[..., CheckedFile] = check_file):
        self.check = check  # a module-level function (it is sent to the workers by name)
        self.paths = list(paths)
        self.accept_edited = accept_edited
        self.today = today
        self.cancel = cancel
        self.jobs = max(0, jobs if jobs is not None else (os.cpu_count() or 1))
        self.jobs = min(self.jobs, max(1, len(self.paths))) if self.jobs else 0
        self.window = max(4, self.jobs * 6)
        library = getattr(workspace, "library", None)
        self.initargs = (str(library.directory) if library is not None else None,
                         {c.code: c.province_code for c in workspace.store.all_communes()}, WORKER_MEMORY_LIMIT)
        self.next_index = 0
        self.pending: deque[tuple[Path, Future[CheckedFile]]] = deque()
        self.retry: deque[Path] = deque()  # files a dead worker had in hand: checked again, each alone
        self.pool: ProcessPoolExecutor | None = None
        self._workers_ok: bool | None = None
        if self.jobs == 0:
            init_worker(self.initargs[0], self.initargs[1], None)

    # -- the pool ------------------------------------------------------------------------------------------
    def _make_pool(self, workers: int) -> ProcessPoolExecutor:
        from ..workers import process_pool

        return process_pool(workers, init_worker, self.initargs)

    def _fill(self) -> None:
        if self.pool is None:
            self.pool = self._make_pool(self.jobs)
        while len(self.pending) < self.window and self.next_index < len(self.paths):
            path = self.paths[self.next_index]
            self.next_index += 1
            self.pending.append((path, self.pool.submit(self.check, str(path), self.accept_edited, self.today)))

    @property
    def parallel(self) -> bool:
        """Whether worker processes check files while this process writes."""
        return self.jobs > 0 and not self.retry

    def ready(self) -> bool:
        """Whether the next file is checked already (else what is checked gets written while waiting)."""
        if self.retry or self.jobs == 0:  # checked in this process: nothing is checked while writing
            return False
        return bool(self.pending) and self.pending[0][1].done()

    def next(self) -> CheckedFile | None:
        if self.retry:
            return self._isolated(self.retry.popleft())
        if self.jobs == 0:
            path = self.paths[self.next_index]
            self.next_index += 1
            return self.check(str(path), self.accept_edited, self.today)
        try:
            self._fill()
        except BrokenProcessPool:
            self._drop_pool()
            return self._isolated(self.retry.popleft())
        path, future = self.pending.popleft()
        while True:
            if self.cancel is not None and self.cancel.is_set():
                future.cancel()
                return None
            try:
                return future.result(timeout=0.1)
            except FutureTimeout:
                continue
            except BrokenProcessPool:
                # A worker died: every file in flight is checked again alone; the pool is replaced.
                self.retry.appendleft(path)
                self._drop_pool()
                return self._isolated(self.retry.popleft())

    def _drop_pool(self) -> None:
        self.retry.extend(p for p, _ in self.pending)
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def _pool_works(self) -> bool:
        """Whether worker processes start at all (a frozen or embedded interpreter may not allow them)."""
        if self._workers_ok is None:
            try:
                with self._make_pool(1) as pool:
                    pool.submit(worker_pid).result()
                self._workers_ok = True
            except (BrokenProcessPool, OSError, RuntimeError):
                self._workers_ok = False
        return self._workers_ok

    def _isolated(self, path: Path) -> CheckedFile:
        if not self._pool_works():  # no worker processes here: check in this process instead
            self.jobs = 0
            init_worker(self.initargs[0], self.initargs[1], None)
            return self.check(str(path), self.accept_edited, self.today)
        with self._make_pool(1) as pool:
            future = pool.submit(self.check, str(path), self.accept_edited, self.today)
            try:
                return future.result()
            except BrokenProcessPool:
                checked = CheckedFile(path=str(path), name=path.name)
                try:
                    import hashlib

                    from ..filetypes import read_regular

                    data = read_regular(path)
                    checked.sha256, checked.size = hashlib.sha256(data).hexdigest(), len(data)
                except OSError:
                    pass
                checked.errors.append(problem("E-IMPORT-CRASH", "Trình đọc bảng tính dừng bất thường khi mở tệp này "
                                              "(tệp được tạo ra để làm hỏng chương trình, hoặc hỏng nặng): bị từ chối."))
                return checked

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
