"""Checking one submitted workbook: the part of an import that runs in worker processes.

:func:`check_file` reads nothing from the database and writes nothing: it takes a path and gives
back a :class:`CheckedFile` (picklable), either with the assessment ready to store or with the
coded reasons it was refused.  The steps, each small:

1. the bytes: size, SHA-256, what the file *is* (:mod:`.xlsx_guard`: not-an-xlsx, bombs, DTDs);
2. the workbook: :func:`readiness.exchange.reader.read_submission` (format, version, checklist,
   every answer coerced; problems name sheet and cell);
3. identity: commune in the register, period valid, the assessment's UUID / revision / status;
4. integrity: the SHA-256 seal of ``_data`` and the human sheets against it (hand edits);
5. the answers against the checklist's rules (constraints; a missing required answer is not a
   reason to refuse a draft);
6. the rows to store: answers as JSON, table rows, petitions, score and level.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..answers import Answers, to_json, row_to_json
from ..checklist.loader import ChecklistLibrary, default_library
from ..checklist.model import Checklist, ItemType
from ..store.incoming import IncomingAssessment
from ..store.periods import StoreError, validate_period
from .import_errors import ImportProblem, Rejected, at, problem
from .xlsx_guard import MAX_FILE_BYTES, inspect_bytes

if TYPE_CHECKING:  # pragma: no cover
    from ..exchange.reader import Submission, WorkbookPlaces

STATUSES = ("draft", "finalized")


@dataclass
class CheckedFile:
    """One file after the checks: ``assessment`` when it can be stored, else ``errors``."""

    path: str
    name: str
    sha256: str | None = None
    size: int | None = None
    kind: str | None = None  # submission | template
    commune_code: str | None = None
    period: str | None = None
    revision: int | None = None
    assessment_id: str | None = None
    status: str | None = None
    assessment: IncomingAssessment | None = None
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    seconds: float = 0.0
    signature: Any = None  # readiness.signing.verify.WorkbookFacts: verified by the writing process
    commune_score: Any = None  # readiness.department.bulk.CommuneScore, when the score is the department's own

    @property
    def ok(self) -> bool:
        return not self.errors and self.assessment is not None


# -- per-process state (set once in each worker) -------------------------------------------------------

_library: ChecklistLibrary | None = None
_communes: Collection[str] | None = None
_prepared: ChecklistLibrary | None = None  # the installed checklists, loaded by the forkserver (prepare)


def prepare() -> None:
    """Run once in the forkserver, before it forks a worker (:mod:`.worker_preload`): the installed
    checklists loaded and the code of every expression in them generated (:meth:`readiness.expr.Expression.prepare`),
    so that each worker forked from it starts with both instead of doing it again.  Never raises: a broken
    definition is reported when a file names it."""
    global _prepared
    from ..scoring import prepare_expressions

    try:
        library = default_library()
        versions = library.available()
    except Exception:  # noqa: BLE001
        return
    for checklist_id, version in versions:
        try:
            prepare_expressions(library.get(checklist_id, version))
        except Exception:  # noqa: BLE001
            continue
    _prepared = library


def init_worker(checklists_dir: str | None, communes: Collection[str] | None, memory_limit: int | None = None) -> None:
    """Run once in each worker: the checklist library (the forkserver's, when it is the same folder), the
    register's codes (best, code -> province code: the province whose contacts the advice names), an
    address-space cap."""
    global _library, _communes
    if checklists_dir and (_prepared is None or Path(checklists_dir).resolve() != _prepared.directory.resolve()):
        _library = ChecklistLibrary(Path(checklists_dir))
    else:
        _library = _prepared or default_library()
    _communes = communes
    if memory_limit:
        _limit_memory(memory_limit)
    try:  # load the checklists now rather than during the first file
        for checklist_id, version in _library.available():
            _library.get(checklist_id, version)
    except Exception:  # noqa: BLE001 - a broken definition is reported when a file names it
        pass


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _state() -> tuple[ChecklistLibrary, Collection[str] | None]:
    global _library
    if _library is None:
        _library = default_library()
    return _library, _communes


def _province(code: str | None) -> str | None:
    """The province of a commune (whose contacts its advice names): from the workspace's register when the
    importer passed it (code -> province), else the register shipped with the program."""
    if not code:
        return None
    if isinstance(_communes, Mapping):
        return _communes.get(code)
    from ..register import province_of

    return province_of(code)


def check_here(path: str, *, library: ChecklistLibrary, communes: Collection[str] | None,
               today: dt.date | None = None) -> CheckedFile:
    """:func:`check_file` in this process against a workspace's checklists and register (the commune's
    window checks a filled template with the department's very checks)."""
    global _library, _communes
    _library, _communes = library, communes
    return check_file(path, today=today)


# -- the checks ----------------------------------------------------------------------------------------


def check_file(path: str, accept_edited: bool = False, today: dt.date | None = None) -> CheckedFile:
    """Check one file (see the module docstring); never raises for a bad file."""
    started = time.perf_counter()
    checked = CheckedFile(path=str(path), name=Path(path).name)
    try:
        raw = _read_bytes(Path(path))
        checked.size = len(raw)
        checked.sha256 = hashlib.sha256(raw).hexdigest()
        checked_workbook = inspect_bytes(raw)  # the workbook as the guard checked it: what the reader reads
        _check_workbook(checked, Path(path), accept_edited, today, checked_workbook)
    except Rejected as rejected:
        checked.errors.append(rejected.reason)
    except MemoryError:
        checked.errors.append(problem("E-IMPORT-TOO-BIG", "Tệp cần quá nhiều bộ nhớ để đọc: bị từ chối để bảo vệ máy."))
    except Exception as error:  # noqa: BLE001 - one bad file never stops the others
        from ..exchange.errors import ExchangeError

        if isinstance(error, ExchangeError):
            checked.errors.append(ImportProblem(error.code, at(error.message, sheet=error.sheet, cell=error.cell),
                                                error.sheet, error.cell))
        else:
            checked.errors.append(problem("E-IMPORT-INTERNAL", f"Lỗi chương trình khi đọc tệp: {type(error).__name__}: "
                                                               f"{error}"))
    if checked.errors:
        checked.assessment = None
    checked.seconds = time.perf_counter() - started
    return checked


def _read_bytes(path: Path) -> bytes:
    from ..filetypes import NotRegularFile, kind_label, read_regular, regular_size

    try:
        size = regular_size(path)
        if size > MAX_FILE_BYTES:
            raise Rejected(problem("E-IMPORT-TOO-BIG", f"Tệp quá lớn ({size // 1024 // 1024} MB; một phiếu tự đánh giá "
                                                       f"dưới {MAX_FILE_BYTES // 1024 // 1024} MB)."))
        return read_regular(path, MAX_FILE_BYTES)  # opened non-blocking, checked again on the open handle
    except FileNotFoundError:
        raise Rejected(problem("E-IMPORT-NOT-FOUND")) from None
    except NotRegularFile as error:
        raise Rejected(problem("E-IMPORT-NOT-REGULAR", f"Đây là {kind_label(error.kind)}, không phải tệp: không đọc.")) \
            from None
    except OSError as error:
        raise Rejected(problem("E-IMPORT-UNREADABLE", f"Không đọc được tệp: {error.strerror or error}.")) from None


def _check_workbook(checked: CheckedFile, path: Path, accept_edited: bool, today: dt.date | None,
                   content: bytes | None = None) -> None:
    from ..exchange.reader import read_submission
    from ..scoring import score

    library, communes = _state()
    submission = read_submission(path, library=library, content=content)
    checklist = submission.checklist
    checked.kind = submission.kind
    checked.signature = _signature_facts(submission)
    view = _WorkbookView(path, checklist, submission)
    for warning in submission.warnings:
        checked.warnings.append(problem("W-IMPORT-CHECKLIST", warning))

    _check_identity(checked, submission, view, communes)
    for cell_problem in submission.problems:
        checked.errors.append(ImportProblem(cell_problem.code, cell_problem.message, cell_problem.sheet, cell_problem.cell))

    answers = submission.answers
    if submission.kind == "submission":
        edited = submission.hash_ok is False or bool(submission.differences)
        if submission.hash_ok is False:
            text = ("Dữ liệu gốc (sheet «_data») đã bị sửa sau khi xuất: mã kiểm tra SHA-256 không khớp"
                    + (" (đã chấp nhận theo --accept-edited)." if accept_edited else
                       ". Đề nghị xã xuất lại tệp từ phần mềm, hoặc nhập với --accept-edited nếu chấp nhận phần sửa."))
            (checked.warnings if accept_edited else checked.errors).append(
                problem("W-IMPORT-HASH" if accept_edited else "E-IMPORT-HASH", text, sheet="_data"))
        for difference in submission.differences:
            text = (f"mục {difference.number} đã bị sửa tay sau khi xuất: dữ liệu gốc «{difference.data_value}», "
                    f"trên sheet «{difference.sheet_value}»")
            code = "W-IMPORT-EDITED" if accept_edited else "E-IMPORT-EDITED"
            (checked.warnings if accept_edited else checked.errors).append(
                problem(code, text, sheet=difference.sheet or None, cell=difference.cell or None))
        if edited and accept_edited and submission.differences:
            # The workbook as a person reads it (the sheets) is what was accepted.
            answers, problems = view.sheet_answers()
            for cell_problem in problems:
                checked.errors.append(ImportProblem(cell_problem.code, cell_problem.message, cell_problem.sheet,
                                                    cell_problem.cell))

    day = today or (submission.exported_at.date() if submission.exported_at else None) or dt.date.today()
    result = score(checklist, answers, today=day, province=_province(checked.commune_code), texts="advice")
    for issue in result.issues:
        if issue.code == "E-ANS-REQUIRED":
            continue
        sheet, cell = view.where(issue.item, issue.row, issue.column)
        number = checklist.number(issue.item)
        what = f"mục {number} «{checklist.item(issue.item).label.vi}»"
        checked.errors.append(ImportProblem(issue.code, at(f"{what}: {issue.message}", sheet=sheet, cell=cell), sheet, cell))
    if checked.errors:
        return

    if submission.kind == "template":
        status = "draft" if result.blocking_issues else "finalized"
        assessment_id = str(uuid.uuid4())
        revision = None  # placed after the current revision when stored
    else:
        status = submission.status or "draft"
        assessment_id = str(submission.assessment_id)
        revision = int(submission.revision or 1)
        if status == "finalized" and result.blocking_issues:
            checked.warnings.append(problem("W-IMPORT-INCOMPLETE", f"Bản đã hoàn thành nhưng còn "
                                            f"{len(result.blocking_issues)} câu bắt buộc chưa trả lời theo bảng kiểm "
                                            f"{checklist.key}."))
    checked.status = status
    checked.assessment_id = assessment_id
    checked.revision = revision
    finalized_at = _iso(submission.meta.get("finalized_at")) if submission.kind == "submission" else None
    if status == "finalized" and finalized_at is not None and finalized_at.astimezone().date() == day:
        # Scored as of the day it was finalized: what the department's consolidation computes for it
        # (bulk.reference_date), so the writing process can put it in the score cache.
        from .scored import CommuneScore

        checked.commune_score = CommuneScore.of(assessment_id, result, day)
    checked.assessment = _incoming(checklist, submission, answers, result, assessment_id, revision, status,
                                   str(checked.commune_code), str(checked.period))


def _signature_facts(submission: Any) -> Any:
    from ..signing.facts import collect_facts

    return collect_facts(submission)


def _check_identity(checked: CheckedFile, submission: Any, view: _WorkbookView, communes: Collection[str] | None) -> None:
    code = (submission.commune_code or "").strip()
    checked.commune_code = code or None
    if not code:
        if not any(p.code == "E-XLSX-COMMUNE" for p in submission.problems):
            # located only when there is something to report
            checked.errors.append(view.meta_problem("E-IMPORT-COMMUNE", "Tệp chưa ghi mã xã (5 chữ số).", "commune_code"))
    elif not (code.isdigit() and len(code) == 5) or (communes is not None and code not in communes):
        checked.errors.append(view.meta_problem("E-IMPORT-COMMUNE", f"Mã xã «{code}» không có trong danh mục đơn vị "
                                                "hành chính cấp xã (3.321 đơn vị từ 01/7/2025).", "commune_code"))
    if not submission.period:
        if not any(p.code == "E-XLSX-PERIOD" for p in submission.problems):
            checked.errors.append(view.meta_problem("E-IMPORT-PERIOD", "Tệp chưa ghi kỳ báo cáo.", "period"))
    else:
        try:
            checked.period = validate_period(str(submission.period))
        except StoreError as error:
            checked.period = str(submission.period)[:16]
            checked.errors.append(view.meta_problem("E-IMPORT-PERIOD", error.message, "period"))
    if submission.kind != "submission":
        return
    checked.assessment_id = submission.assessment_id
    checked.revision = submission.revision
    try:
        uuid.UUID(str(submission.assessment_id))
    except ValueError:
        checked.errors.append(view.meta_problem("E-IMPORT-IDENTITY", f"Mã bản đánh giá «{submission.assessment_id or ''}»"
                                                " không hợp lệ (phải là UUID).", "assessment_id"))
    if submission.revision is None or not (1 <= submission.revision <= 100000):
        checked.errors.append(view.meta_problem("E-IMPORT-IDENTITY", f"Lần sửa «{submission.meta.get('revision', '')}» "
                                                "không hợp lệ (phải là số nguyên từ 1).", "revision"))
    if submission.status not in STATUSES:
        checked.errors.append(view.meta_problem("E-IMPORT-IDENTITY", f"Trạng thái «{submission.status or ''}» không hợp "
                                                "lệ (draft hoặc finalized).", "status"))


def _iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _incoming(checklist: Checklist, submission: Any, answers: Answers, result: Any, assessment_id: str, revision: int | None,
              status: str, commune_code: str, period: str) -> IncomingAssessment:
    from ..exchange.canonical import answers_sha256

    scalars: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    sealed = submission.answers_json if answers is submission.answers else None  # the JSON the reader sealed
    for item in checklist.items():
        value = answers.values.get(item.id)
        if value is None:
            continue
        if item.type is ItemType.TABLE:
            sealed_rows = sealed.get(item.id) if sealed is not None else None
            if sealed_rows is None or len(sealed_rows) != len(value):
                sealed_rows = [row_to_json(item, row.values) for row in value]
            for position, (row, row_json) in enumerate(zip(value, sealed_rows, strict=True)):
                rows.append({"item_id": item.id, "position": position, "values": row_json,
                             "source": row.source or "import", "meta": row.meta})
            continue
        scalars.append({"item_id": item.id,
                        "value": sealed[item.id] if sealed is not None and item.id in sealed else to_json(item, value),
                        "source": answers.sources.get(item.id) or "import", "meta": answers.meta.get(item.id)})
    petitions: list[dict[str, Any]] = []
    if status == "finalized" and checklist.petition_item and result.relevant.get(checklist.petition_item):
        for row in answers.rows(checklist.petition_item):
            values = row.values
            petitions.append({key: values.get(key) for key in ("topic", "difficulty", "proposal", "addressed_to")})
    meta = submission.meta
    sealed_ok = submission.hash_ok is True and not submission.differences
    return IncomingAssessment(
        id=assessment_id, commune_code=commune_code, period=period, revision=revision, status=status,
        checklist_id=checklist.id, checklist_version=checklist.version,
        checklist_hash=(submission.checklist_hash or checklist.content_hash)[:64],
        answers_sha256=(submission.answers_sha256 if answers is submission.answers and submission.answers_sha256
                        else answers_sha256(checklist, answers)),
        data_sha256=submission.recorded_data_sha256 if sealed_ok else None,
        created_at=_iso(meta.get("created_at")), updated_at=_iso(meta.get("updated_at")),
        finalized_at=_iso(meta.get("finalized_at")), score=result.score, level=result.level_id,
        answers=scalars, rows=rows, petitions=petitions,
    )


class _WorkbookView:
    """Where things are in the workbook: item places from the reading, identity places from ``_data``
    and the cover (read again, lazily, only when a problem must be located)."""

    def __init__(self, path: Path, checklist: Checklist | None, submission: Submission | None):
        self.path = path
        self.checklist = checklist
        self.submission = submission
        self._places: WorkbookPlaces | None = None

    def _read_places(self) -> WorkbookPlaces:
        if self._places is None:
            from ..exchange.reader import read_places

            self._places = read_places(self.path)
        return self._places

    def meta_places(self, key: str) -> list[tuple[str, str]]:
        """Every cell that shows an identity fact: its ``_data`` row (a submission) and the cover (when it shows it)."""
        meta = self.submission.meta if self.submission is not None else {}
        kind = self.submission.kind if self.submission is not None else None
        if kind == "template" and meta.get(f"{key}_cell") and meta.get("cover_sheet"):
            return [(meta["cover_sheet"], meta[f"{key}_cell"])]
        try:
            found = self._read_places()
        except Exception:  # noqa: BLE001
            return [("_data", "")]
        places: list[tuple[str, str]] = []
        if key in found.meta_rows:
            places.append(("_data", f"B{found.meta_rows[key]}"))
        human = found.meta.get(f"{key}_cell") if key in ("commune_code", "period") else None
        human = human or found.cover.get(key)
        if human:
            places.append((found.cover_sheet, human))
        return places

    def meta_cell(self, key: str) -> tuple[str | None, str | None]:
        """The cell a fact of the identity is in: the cover of a template, the ``_data`` row of a submission."""
        places = self.meta_places(key)
        if not places or not places[0][1]:
            return "_data", None
        return places[0]

    def meta_problem(self, code: str, text: str, key: str) -> ImportProblem:
        """A problem of an identity fact, at every cell that shows it."""
        places = [place for place in self.meta_places(key) if place[1]]
        if not places:
            return problem(code, text, sheet="_data")
        return problem(code, text, sheet=places[0][0], cell=places[0][1], also=places[1:])

    def where(self, item_id: str, row: int | None = None, column: str | None = None) -> tuple[str | None, str | None]:
        """The sheet and cell an item's answer is shown in (for a table: the row and column when known)."""
        place = self.submission.places.get(item_id) if self.submission is not None else None
        if place is None:
            return None, None
        cell = place.table_cell(row, column) if row and column else None
        return place.sheet, cell or place.cell

    def sheet_answers(self) -> tuple[Answers, list[Any]]:
        """The answers as the human sheets show them (for ``--accept-edited``)."""
        from ..exchange.reader import read_sheet_answers

        assert self.submission is not None and self.checklist is not None
        values, problems = read_sheet_answers(self.path, self.checklist, self.submission.places)
        answers = Answers(values={k: v for k, v in values.items() if v is not None and v != []})
        for item_id in answers.values:
            if item_id in self.submission.answers.sources:
                answers.sources[item_id] = self.submission.answers.sources[item_id]
        return answers, problems


def identity_places(path: str | Path, keys: list[str]) -> list[tuple[str, str]]:
    """Every cell of a workbook that shows the identity facts ``keys`` (``commune_code``, ``period``,
    ``assessment_id``, ``revision``, ``status``): each one's ``_data`` cell, then the cover's.  For a
    refusal decided after the checks (by the database: older, conflicting, a reused id); never raises."""
    view = _WorkbookView(Path(path), None, None)
    places: list[tuple[str, str]] = []
    try:
        for key in keys:
            places.extend(place for place in view.meta_places(key) if place[1])
    except Exception:  # noqa: BLE001 - a place is a help, never a reason to fail
        return []
    return list(dict.fromkeys(places))


def worker_pid() -> int:
    return os.getpid()
