"""Reading a submission workbook or a filled template back: :func:`read_submission`.

The file is untrusted.  It is opened read-only with python-calamine (a Rust reader that never
evaluates formulas or expands XML entities; cell values are the ones stored in the file), after
checks on its size and on the zip container (entries, uncompressed size, compression ratio).
Nothing in it is executed.  Every answer goes through :func:`readiness.answers.coerce`, the same
rules as typing in the app.

- A *submission* is authoritative in its ``_data`` sheet: answers come from there, its SHA-256
  seals are recomputed (``hash_ok``), and the human sheets are parsed too and compared with it
  (``differences``: what somebody edited by hand).
- A *template* (the blank workbook, filled by hand) has no answers in ``_data``; answers come from
  the cells ``_data`` points at.  Unreadable cells become ``problems`` that name sheet and cell.

Errors that stop reading raise :class:`ExchangeError` with a code ``E-XLSX-...``.

The layout (sheet names, ``_data``'s columns, what a cell holds) is :mod:`.layout`'s, shared with the
writer.  For pointing at a cell after the fact, :func:`read_places` reads only ``_data`` and the
cover, and :func:`read_sheet_answers` the answers the human sheets show (the department's importer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import AnswerError, Answers, Row, coerce, describe
from ..checklist.model import Checklist, Column, Item, ItemType
from .canonical import answer_json, answers_sha256, canonical_json, seal, sealed_texts, sha256_text
from .errors import CellProblem, ExchangeError, located
from .layout import (COVER_LABELS, COVER_ROWS_SCANNED, COVER_SHEET, DATA_SHEET, FORMAT_NAME, FORMAT_VERSION, ITEMS_HEADER,
                     NO, YES, DataRow, ItemPlace, answer_cell_value, first_row, grid_cells, visible_sha256)

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED = 250 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200  # an entry that expands more than this is a zip bomb, not a spreadsheet
MAX_TABLE_ROWS = 10000
_CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


@dataclass(frozen=True)
class Difference:
    """A human sheet that no longer shows what ``_data`` holds (somebody edited the workbook)."""

    item: str
    number: str
    sheet: str
    cell: str
    data_value: str  # as a person reads it
    sheet_value: str

    def __str__(self) -> str:
        return (f"Sheet '{self.sheet}', ô {self.cell} (mục {self.number}): dữ liệu gốc «{self.data_value}», "
                f"trên sheet «{self.sheet_value}»")


@dataclass
class Submission:
    """What a workbook holds; the department's importer builds on this."""

    path: Path
    kind: str  # "submission" | "template"
    format_version: int
    app_version: str | None
    checklist_id: str
    checklist_version: int
    checklist_hash: str  # as recorded in the file
    checklist: Checklist
    answers: Answers  # coerced values (tables as lists of Row)
    commune_code: str | None = None
    commune_name: str | None = None
    period: str | None = None  # YYYY-MM
    assessment_id: str | None = None  # the UUID of the assessment in the commune's database
    revision: int | None = None
    status: str | None = None  # draft | finalized
    exported_at: dt.datetime | None = None
    respondent: str | None = None
    answers_sha256: str | None = None  # recomputed from ``answers``
    data_sha256: str | None = None  # recomputed seal over answers and identity
    recorded_answers_sha256: str | None = None
    recorded_data_sha256: str | None = None
    hash_ok: bool | None = None  # None for templates (nothing sealed)
    differences: list[Difference] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    sheet_names: tuple[str, ...] = ()  # as in the file (a signature sheet is looked for only when there is one)
    meta_rows: dict[str, int] = field(default_factory=dict)  # key of ``_data`` part 1 -> its row (value in column B)
    sealed_content: bytes | None = None  # the canonical bytes ``data_sha256`` hashes (what a signature covers)
    places: dict[str, ItemPlace] = field(default_factory=dict)  # item id -> where the human sheets show its answer
    # item id -> JSON value of ``answers`` as sealed (:func:`.canonical.answer_json`; a submission's), for the
    # importer's rows: computed once
    answers_json: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Read cleanly: no problems, the seal holds (submissions), nothing edited by hand."""
        return not self.problems and self.hash_ok is not False and not self.differences

    def raise_for_problems(self) -> None:
        if self.problems:
            first = self.problems[0]
            more = f" (và {len(self.problems) - 1} lỗi khác)" if len(self.problems) > 1 else ""
            raise ExchangeError(first.code, first.message + more, file=self.path)


# -- the container -------------------------------------------------------------------------------------


def _check_container(path: Path) -> None:
    from ..filetypes import NotRegularFile, kind_label, regular_size

    try:
        size = regular_size(path)  # stat only: a pipe or a device is refused before anything opens it
    except FileNotFoundError:
        raise ExchangeError("E-XLSX-FILE", "Không tìm thấy tệp.", file=path) from None
    except NotRegularFile as error:
        raise ExchangeError("E-XLSX-FILE", f"Đây là {kind_label(error.kind)}, không phải tệp: không đọc.",
                            file=path) from None
    except OSError as error:
        raise ExchangeError("E-XLSX-FILE", f"Không đọc được tệp: {error.strerror or error}.", file=path) from None
    if size > MAX_FILE_BYTES:
        raise ExchangeError("E-XLSX-TOO-BIG", f"Tệp quá lớn ({size // 1024 // 1024} MB; tối đa "
                            f"{MAX_FILE_BYTES // 1024 // 1024} MB).", file=path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExchangeError("E-XLSX-NOT-XLSX", "Không phải tệp Excel .xlsx (có thể là .xls cũ, .csv hoặc tệp hỏng). "
                            "Mở bằng Excel và lưu lại dạng «Excel Workbook (.xlsx)».", file=path) from None
    if len(entries) > MAX_ENTRIES:
        raise ExchangeError("E-XLSX-TOO-BIG", f"Tệp có quá nhiều thành phần ({len(entries)}).", file=path)
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO and entry.file_size > 1024 * 1024:
            raise ExchangeError("E-XLSX-TOO-BIG", f"Thành phần {entry.filename} nén bất thường; tệp bị từ chối.", file=path)
    if total > MAX_UNCOMPRESSED:
        raise ExchangeError("E-XLSX-TOO-BIG", "Tệp khi giải nén quá lớn; tệp bị từ chối.", file=path)
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise ExchangeError("E-XLSX-NOT-XLSX", "Không phải tệp Excel .xlsx (thiếu xl/workbook.xml).", file=path)


class _Grid:
    """The values of one worksheet by 1-based row and column (calamine, read on first use)."""

    def __init__(self, workbook: Any, name: str, path: Path):
        self.name = name
        try:
            sheet = workbook.get_sheet_by_name(name)
            self.rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
        except Exception as error:  # noqa: BLE001 - calamine raises its own types
            raise ExchangeError("E-XLSX-SHEET", f"Không đọc được sheet: {error}.", file=path, sheet=name) from None

    def get(self, row: int, col: int) -> Any:
        if row < 1 or col < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        if col > len(values):
            return None
        value = values[col - 1]
        return None if value == "" else value

    def at(self, address: str) -> Any:
        row, col = parse_cell(address)
        return self.get(row, col)

    @property
    def height(self) -> int:
        return len(self.rows)


def parse_cell(address: str) -> tuple[int, int]:
    match = _CELL.match(address or "")
    if not match:
        raise ValueError(address)
    letters, digits = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + (ord(letter) - 64)
    return int(digits), col


def _letter_to_col(letter: str) -> int:
    return parse_cell(f"{letter}1")[1]


def _col_letter(col: int) -> str:
    text = ""
    while col:
        col, rest = divmod(col - 1, 26)
        text = chr(65 + rest) + text
    return text


# -- reading ------------------------------------------------------------------------------------------


def read_submission(path: str | Path, *, checklist: Checklist | None = None, library: Any = None,
                    content: bytes | None = None) -> Submission:
    """Read a submission workbook or a filled template (see the module docstring).

    ``checklist``: the definition to read against (it must have the id and version the file names);
    otherwise it is looked up in ``library`` (default: the installed checklists).  ``content``: the
    workbook's bytes, already read and checked by the caller (the department's import checks them with
    :func:`readiness.department.xlsx_guard.inspect_bytes`, stricter than the container check here, and
    hands over the workbook as that check inflated it): the workbook is read from those very bytes (the
    file is not opened again, and a file changed on disk meanwhile cannot slip in); ``path`` then only
    names the file.
    """
    path = Path(path)
    if content is None:
        _check_container(path)
    from python_calamine import CalamineWorkbook

    try:
        if content is None:
            workbook = CalamineWorkbook.from_path(str(path))
        else:
            import io

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # noqa: BLE001
        raise ExchangeError("E-XLSX-CORRUPT", f"Tệp Excel bị hỏng hoặc có mật khẩu: {error}.", file=path) from None
    try:
        names = list(workbook.sheet_names)
        if DATA_SHEET not in names:
            raise ExchangeError("E-XLSX-NO-DATA", "Tệp không có sheet dữ liệu «_data»: đây không phải tệp do phần mềm "
                                "«Sẵn sàng Một cửa» tạo ra (hoặc sheet đã bị xoá).", file=path)
        grids: dict[str, _Grid] = {}

        def grid(name: str) -> _Grid:
            if name not in grids:
                if name not in names:
                    raise ExchangeError("E-XLSX-SHEET-MISSING", "Thiếu sheet này (đã bị xoá hoặc đổi tên?).",
                                        file=path, sheet=name)
                grids[name] = _Grid(workbook, name, path)
            return grids[name]

        data = grid(DATA_SHEET)
        meta, item_rows, meta_rows = _read_data_sheet(data, path)
        submission = _build(path, meta, item_rows, grid, checklist, library, meta_rows)
        submission.sheet_names = tuple(names)
        return submission
    finally:
        _close(workbook)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _read_data_sheet(data: _Grid, path: Path) -> tuple[dict[str, str], list[DataRow], dict[str, int]]:
    """``_data``: (key -> value, the item rows, key -> its row)."""
    if _text(data.get(1, 1)) != "key":
        raise ExchangeError("E-XLSX-DATA", "Sheet dữ liệu không đúng cấu trúc (ô A1 phải là «key»).",
                            file=path, sheet=DATA_SHEET, cell="A1")
    meta: dict[str, str] = {}
    rows: dict[str, int] = {}
    row = 2
    while row <= data.height:
        key = _text(data.get(row, 1))
        if key is None:
            break
        value = _text(data.get(row, 2))
        if value is not None:
            meta[key] = value
        rows.setdefault(key, row)
        row += 1
    if meta.get("format") != FORMAT_NAME:
        raise ExchangeError("E-XLSX-FORMAT", "Sheet dữ liệu không phải định dạng của «Sẵn sàng Một cửa».",
                            file=path, sheet=DATA_SHEET, cell=f"B{rows.get('format', 2)}")
    header_row = None
    for candidate in range(row, min(data.height, row + 5) + 1):
        if _text(data.get(candidate, 1)) == ITEMS_HEADER[0]:
            header_row = candidate
            break
    if header_row is None:
        raise ExchangeError("E-XLSX-DATA", "Sheet dữ liệu thiếu bảng câu trả lời (dòng tiêu đề «item_id»).",
                            file=path, sheet=DATA_SHEET)
    items: list[DataRow] = []
    width = len(ITEMS_HEADER)
    for index in range(header_row + 1, data.height + 1):
        values = data.rows[index - 1]
        if not values or values[0] in ("", None):
            continue
        columns = [_text(v) for v in values[:width]]
        columns += [None] * (width - len(columns))
        item_id, number, kind, value, source, sheet, cell, cells = columns
        value = (value or "") + "".join(_text(v) or "" for v in values[width:])  # a long value's continuation
        items.append(DataRow(index, str(item_id), number, kind, value or None, source, sheet, cell, cells))
    return meta, items, rows


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _resolve_checklist(meta: Mapping[str, str], checklist: Checklist | None, library: Any, path: Path,
                       warnings: list[str]) -> Checklist:
    checklist_id = meta.get("checklist_id") or ""
    version = _int(meta.get("checklist_version"))
    if not checklist_id or version is None:
        raise ExchangeError("E-XLSX-DATA", "Sheet dữ liệu thiếu mã hoặc phiên bản bảng kiểm.", file=path, sheet=DATA_SHEET)
    if checklist is not None:
        if checklist.id != checklist_id or checklist.version != version:
            raise ExchangeError("E-XLSX-CHECKLIST", f"Tệp theo bảng kiểm {checklist_id} phiên bản {version}, "
                                f"không phải {checklist.key}.", file=path)
    else:
        if library is None:
            from ..checklist.loader import default_library

            library = default_library()
        try:
            checklist = library.get(checklist_id, version)
        except KeyError:
            raise ExchangeError("E-XLSX-CHECKLIST", f"Không có bảng kiểm {checklist_id} phiên bản {version} trong phần mềm "
                                "này; hãy cài phiên bản mới của phần mềm.", file=path) from None
    recorded = meta.get("checklist_hash")
    if recorded and checklist.content_hash and recorded != checklist.content_hash:
        warnings.append(f"Tệp được tạo với bảng kiểm {checklist.key} có mã băm {recorded[:12]}…, khác bản đang cài "
                        f"({checklist.content_hash[:12]}…): nội dung câu hỏi có thể đã thay đổi.")
    return checklist


def _build(path: Path, meta: dict[str, str], item_rows: list[DataRow], grid: Any,
           checklist: Checklist | None, library: Any, meta_rows: dict[str, int] | None = None) -> Submission:
    meta_rows = meta_rows or {}

    def cell(key: str) -> str | None:
        return f"B{meta_rows[key]}" if key in meta_rows else None

    version = _int(meta.get("format_version"))
    if version is None or version < 1:
        raise ExchangeError("E-XLSX-FORMAT", f"Sheet dữ liệu thiếu phiên bản định dạng (format_version «"
                            f"{meta.get('format_version') or ''}»).", file=path, sheet=DATA_SHEET,
                            cell=cell("format_version"))
    if version > FORMAT_VERSION:
        raise ExchangeError("E-XLSX-VERSION", f"Tệp theo định dạng phiên bản {version}, mới hơn phần mềm này "
                            f"(đọc được đến phiên bản {FORMAT_VERSION}). Hãy cập nhật phần mềm.", file=path,
                            sheet=DATA_SHEET, cell=cell("format_version"))
    kind = meta.get("kind")
    if kind not in ("submission", "template"):
        raise ExchangeError("E-XLSX-FORMAT", f"Loại tệp «{kind}» không xác định.", file=path, sheet=DATA_SHEET,
                            cell=cell("kind"))
    warnings: list[str] = []
    checklist = _resolve_checklist(meta, checklist, library, path, warnings)
    submission = Submission(
        path=path, kind=kind, format_version=version, app_version=meta.get("app_version"),
        checklist_id=checklist.id, checklist_version=checklist.version, checklist_hash=meta.get("checklist_hash", ""),
        checklist=checklist, answers=Answers(), commune_code=meta.get("commune_code"),
        commune_name=meta.get("commune_name"), period=meta.get("period"), assessment_id=meta.get("assessment_id"),
        revision=_int(meta.get("revision")), status=meta.get("status"), respondent=meta.get("respondent"),
        recorded_answers_sha256=meta.get("answers_sha256"), recorded_data_sha256=meta.get("data_sha256"),
        warnings=warnings, meta=meta, meta_rows=dict(meta_rows),
    )
    exported = meta.get("exported_at")
    if exported:
        try:
            submission.exported_at = dt.datetime.fromisoformat(exported)
        except ValueError:
            warnings.append(f"Thời điểm xuất «{exported}» không đọc được.")
    seen: set[str] = set()
    locations: dict[str, ItemPlace] = {}
    data_values: dict[str, Any] = {}
    for data_row in item_rows:
        item_id, sheet_row = data_row.item_id, data_row.row
        try:
            item = checklist.item(item_id)
        except KeyError:
            submission.problems.append(CellProblem("E-XLSX-ITEM", located(
                f"câu hỏi mã «{item_id}» không có trong bảng kiểm {checklist.key}.", sheet=DATA_SHEET, cell=f"A{sheet_row}"),
                DATA_SHEET, f"A{sheet_row}", item=str(item_id)))
            continue
        if item_id in seen:
            submission.problems.append(CellProblem("E-XLSX-DATA", located(
                f"câu hỏi «{item_id}» xuất hiện hai lần.", sheet=DATA_SHEET, cell=f"A{sheet_row}"),
                DATA_SHEET, f"A{sheet_row}", item=item_id))
            continue
        seen.add(item_id)
        locations[item_id] = data_row.place
        if kind == "submission":
            value_text = data_row.value
            if not value_text:
                continue
            try:
                raw = json.loads(value_text)
            except ValueError:
                submission.problems.append(CellProblem("E-XLSX-DATA-JSON", located(
                    f"giá trị của câu hỏi «{item_id}» không phải JSON hợp lệ.", sheet=DATA_SHEET, cell=f"D{sheet_row}"),
                    DATA_SHEET, f"D{sheet_row}", item=item_id))
                continue
            try:
                data_values[item_id] = coerce(item, raw)
            except AnswerError as error:
                submission.problems.append(CellProblem(error.code, located(
                    f"câu hỏi «{item_id}»: {error.message}", sheet=DATA_SHEET, cell=f"D{sheet_row}"),
                    DATA_SHEET, f"D{sheet_row}", item=item_id, column=error.column, row=error.row,
                    message_en=error.message_en))
            source = data_row.source
            if source and item.type is not ItemType.TABLE:
                submission.answers.sources[item_id] = source
            elif source and item.type is ItemType.TABLE:
                try:
                    row_sources = json.loads(source)
                except ValueError:
                    row_sources = []
                for row_obj, row_source in zip(data_values.get(item_id) or [], row_sources, strict=False):
                    if isinstance(row_source, str):
                        row_obj.source = row_source

    submission.places = locations
    if kind == "submission":
        submission.answers.values = {k: v for k, v in data_values.items() if v is not None and v != []}
        _apply_measurements(submission, meta.get("measurements"))
        answers_object = answer_json(checklist, submission.answers)
        submission.answers_json = answers_object
        sealed = seal(answers=answers_object, checklist_id=checklist.id,
                      checklist_version=checklist.version, checklist_hash=meta.get("checklist_hash", ""),
                      commune_code=submission.commune_code, period=submission.period,
                      assessment_id=submission.assessment_id, revision=submission.revision,
                      status=submission.status, format_version=version)
        answers_text, sealed_text = sealed_texts(sealed)
        submission.answers_sha256 = sha256_text(answers_text)
        submission.sealed_content = sealed_text.encode("utf-8")
        submission.data_sha256 = hashlib.sha256(submission.sealed_content).hexdigest()
        submission.hash_ok = (submission.data_sha256 == submission.recorded_data_sha256
                              and submission.answers_sha256 == submission.recorded_answers_sha256)
        # The human sheets against _data.  An intact file (the digest of its answer sheets is the one the
        # export wrote for these sealed answers) needs no comparison; otherwise cells still holding exactly
        # what the exporter writes need no parsing, and the others are read and compared answer by answer.
        if submission.hash_ok and _visible_intact(meta.get("visible_sha256"), submission.data_sha256, item_rows, grid):
            unchanged = set(locations)
        else:
            unchanged = _unchanged_items(checklist, submission.answers.values, locations, grid)
        pending = {item_id: where for item_id, where in locations.items() if item_id not in unchanged}
        sheet_values, _ = _read_human(checklist, pending, grid, path)
        submission.differences = _differences(checklist, submission.answers.values, sheet_values, pending)
    else:
        values_read, problems = _read_human(checklist, locations, grid, path)
        submission.answers.values = {k: v for k, v in values_read.items() if v is not None and v != []}
        submission.problems.extend(problems)
        _template_identity(submission, meta, grid, path)
        submission.answers_sha256 = answers_sha256(checklist, submission.answers)
    return submission


# -- the human sheets --------------------------------------------------------------------------------------


def _prepare(spec: Item | Column, raw: Any) -> Any:
    """A cell's value as coerce expects it (numbers in text items, dates in text cells)."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer() and spec.type is not ItemType.DECIMAL:
        raw = int(raw)
    if isinstance(raw, dt.datetime) and spec.type is not ItemType.DATE:
        raw = raw.date()
    if isinstance(raw, dt.date) and spec.type is not ItemType.DATE:
        raw = raw.strftime("%d/%m/%Y")
    if isinstance(raw, dt.time | dt.timedelta):
        raw = str(raw)
    if isinstance(raw, str) and spec.type is ItemType.MULTI_CHOICE:
        raw = [part for part in re.split(r"[;\n]", raw) if part.strip()]
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and spec.type in (ItemType.TEXT, ItemType.SINGLE_CHOICE):
        raw = str(raw)
    return raw


def _problem(error: AnswerError, sheet: str, cell: str, what: str, *, item: str, column: str | None = None,
             row: int | None = None) -> CellProblem:
    message = error.message[:1].lower() + error.message[1:]
    return CellProblem(error.code, f"Sheet '{sheet}', ô {cell}: {what}: {message}", sheet, cell, item=item,
                       column=column, row=row, message_en=f"Sheet '{sheet}', cell {cell}: {error.message_en}")


def _read_human(checklist: Checklist, locations: Mapping[str, ItemPlace],
                grid: Any, path: Path) -> tuple[dict[str, Any], list[CellProblem]]:
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []
    for item in checklist.items():
        where = locations.get(item.id)
        if where is None or not where[0]:
            continue
        sheet_name, address, cells = where
        try:
            sheet = grid(sheet_name)
        except ExchangeError as error:
            problems.append(CellProblem(error.code, error.located_message(), sheet_name, None, item=item.id))
            continue
        number = checklist.number(item.id)
        what = f"mục {number} «{item.label.vi}»"
        try:
            if item.type is ItemType.TABLE:
                values[item.id] = _read_table(item, sheet, cells, problems)
            elif item.type is ItemType.MULTI_CHOICE and cells.get("options"):
                values[item.id] = _read_options(item, sheet, cells["options"], address, what, problems)
            else:
                if not address or not _CELL.match(address):
                    continue
                raw = sheet.at(address)
                try:
                    values[item.id] = coerce(item, _prepare(item, raw))
                except AnswerError as error:
                    problems.append(_problem(error, sheet.name, address, what, item=item.id))
        except ValueError:
            problems.append(CellProblem("E-XLSX-DATA", located("địa chỉ ô không hợp lệ trong sheet dữ liệu.",
                                                               sheet=DATA_SHEET), DATA_SHEET, None, item=item.id))
    return values, problems


def _read_options(item: Item, sheet: _Grid, options: Mapping[str, str], summary_cell: str | None, what: str,
                  problems: list[CellProblem]) -> list[str] | None:
    chosen: list[str] = []
    answered = False
    for choice in item.choices or ():
        address = options.get(choice.id)
        if not address:
            continue
        raw = sheet.at(address)
        if raw is None:
            continue
        answered = True
        try:
            yes = coerce(_YES_NO_SPEC, _prepare(_YES_NO_SPEC, raw))
        except AnswerError as error:
            problems.append(_problem(error, sheet.name, address, f"{what}, lựa chọn «{choice.label.vi}»", item=item.id))
            continue
        if yes:
            chosen.append(choice.id)
    if not answered and summary_cell and _CELL.match(summary_cell):
        raw = sheet.at(summary_cell)  # "VNPT; Viettel" typed in the item's own cell
        if isinstance(raw, str) and not raw.startswith("Chọn «Có»"):
            try:
                return coerce(item, _prepare(item, raw))
            except AnswerError as error:
                problems.append(_problem(error, sheet.name, summary_cell, what, item=item.id))
                return None
    return coerce(item, chosen) if chosen else None


def _read_table(item: Item, sheet: _Grid, cells: Mapping[str, Any], problems: list[CellProblem]) -> list[Row]:
    first = first_row(cells)
    letters: Mapping[str, str] = cells.get("columns") or {}
    columns = [(item.column(column_id), _letter_to_col(letter)) for column_id, letter in letters.items()
               if column_id in {c.id for c in item.columns or ()}]
    rows: list[dict[str, Any]] = []
    last = min(sheet.height, first + MAX_TABLE_ROWS)
    filled: list[int] = []  # the sheet row of every filled row (counted to the end, read up to MAX_TABLE_ROWS)

    def blank(raw: Mapping[str, Any]) -> bool:
        return all(value is None or (isinstance(value, str) and not value.strip()) for value in raw.values())

    for sheet_row in range(last + 1, sheet.height + 1):  # beyond what is read: only counted, for the message
        if not blank({column.id: sheet.get(sheet_row, col) for column, col in columns}):
            filled.append(sheet_row)
    beyond = len(filled)
    filled = []
    for sheet_row in range(first, last + 1):
        raw_row = {column.id: sheet.get(sheet_row, col) for column, col in columns}
        if blank(raw_row):
            continue
        filled.append(sheet_row)
        entry: dict[str, Any] = {}
        for column, col in columns:
            address = f"{_col_letter(col)}{sheet_row}"
            try:
                value = coerce(column, _prepare(column, raw_row[column.id]))
            except AnswerError as error:
                problems.append(_problem(error, sheet.name, address, column.label.vi, item=item.id, column=column.id,
                                         row=len(rows) + 1))
                continue
            if value is not None:
                entry[column.id] = value
        if entry:
            rows.append(entry)
    total = len(filled) + beyond
    if total > item.max_rows:
        # The real count (not what was read), at the first row over the limit.
        over = filled[item.max_rows] if item.max_rows < len(filled) else last + 1
        cell = f"{_col_letter(min(col for _, col in columns)) if columns else 'A'}{over}"
        def number(value: int) -> str:
            return f"{value:,}".replace(",", ".")

        message = (f"bảng có {number(total)} dòng, tối đa {number(item.max_rows)} dòng (dòng thứ "
                   f"{number(item.max_rows + 1)} ở ô {cell}).")
        problems.append(CellProblem("E-ANS-ROWS", f"Sheet '{sheet.name}', ô {cell}: {item.label.vi}: " + message,
                                    sheet.name, cell, item=item.id,
                                    message_en=f"Sheet '{sheet.name}', cell {cell}: the table has {total} rows, at most "
                                               f"{item.max_rows}."))
        return []
    try:
        return coerce(item, rows)
    except AnswerError as error:
        problems.append(CellProblem(error.code, f"Sheet '{sheet.name}': {error.message}", sheet.name, None,
                                    item=item.id, message_en=error.message_en))
        return []


class _YesNo:
    type = ItemType.YES_NO
    id = "_option"
    min = max = None
    unit = None
    choices = None


_YES_NO_SPEC: Any = _YesNo()


def _differences(checklist: Checklist, data: Mapping[str, Any], sheets: Mapping[str, Any],
                 locations: Mapping[str, ItemPlace]) -> list[Difference]:
    """Items whose human cells no longer show the ``_data`` value."""
    out: list[Difference] = []
    data_json = answer_json(checklist, {item_id: value for item_id, value in data.items() if item_id in locations})
    sheet_json = answer_json(checklist, {k: v for k, v in sheets.items() if v is not None})
    for item in checklist.items():
        where = locations.get(item.id)
        if where is None or not where[0]:
            continue
        left, right = data_json.get(item.id), sheet_json.get(item.id)
        if canonical_json(left) == canonical_json(right):
            continue
        out.append(Difference(item.id, checklist.number(item.id), where[0] or "", where[1] or "",
                              describe(item, data.get(item.id)) if data.get(item.id) is not None else "",
                              describe(item, sheets.get(item.id)) if sheets.get(item.id) is not None else ""))
    return out


def _visible_intact(recorded: str | None, data_sha256: str | None, item_rows: list[DataRow], grid: Any) -> bool:
    """Whether the sheets that show answers hold exactly what the export wrote (``visible_sha256``;
    :func:`.layout.visible_sha256`).  Any doubt (no digest, a sheet missing or unreadable) is a no:
    the caller then compares the cells one by one."""
    if not recorded or not data_sha256 or len(recorded) != 64:
        return False
    shown = {row.sheet for row in item_rows if row.sheet}
    try:
        computed = visible_sha256(data_sha256, [(name, grid_cells(grid(name).rows)) for name in shown])
    except Exception:  # noqa: BLE001 - a missing or unreadable sheet: compared (and reported) cell by cell
        return False
    return hmac.compare_digest(computed, recorded.lower())


def _unchanged_items(checklist: Checklist, data: Mapping[str, Any],
                     locations: Mapping[str, ItemPlace], grid: Any) -> set[str]:
    """Items whose human cells hold exactly what the exporter writes for their ``_data`` value.

    Only a shortcut: an item not in the set is parsed and compared in full, so anything unusual
    (a cell typed over, an odd location, a missing sheet) simply falls through to that."""
    unchanged: set[str] = set()
    for item_id, (sheet_name, address, cells) in locations.items():
        if not sheet_name:
            continue
        try:
            item = checklist.item(item_id)
            sheet = grid(sheet_name)
            if _cells_hold(item, data.get(item_id), sheet, address, cells):
                unchanged.add(item_id)
        except Exception:  # noqa: BLE001 - hostile locations or sheets: the full comparison reports them
            continue
    return unchanged


def _same_cell(raw: Any, expected: Any) -> bool:
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        raw = raw.date()
    if type(raw) is bool or type(expected) is bool:
        return False
    if isinstance(expected, str) or isinstance(raw, str):
        return type(raw) is type(expected) and raw == expected
    if isinstance(expected, dt.date) or isinstance(raw, dt.date):
        return type(raw) is type(expected) and raw == expected
    return raw == expected  # numbers (an int written comes back as a float) and None


def _cells_hold(item: Item, value: Any, sheet: _Grid, address: str | None, cells: Mapping[str, Any]) -> bool:
    if item.type is ItemType.TABLE:
        first = first_row(cells)
        letters: Mapping[str, str] = cells["columns"]
        known = {column.id: column for column in item.columns or ()}
        if not set(letters) <= set(known):
            return False
        columns = [(known[column_id], _letter_to_col(letter)) for column_id, letter in letters.items()]
        rows = value or []
        for offset, row in enumerate(rows):
            values = row.values
            if not any(values.get(column.id) is not None for column, _ in columns) or not set(values) <= set(letters):
                return False
            for column, col in columns:
                if not _same_cell(sheet.get(first + offset, col), answer_cell_value(column, values.get(column.id))[0]):
                    return False
        last = min(sheet.height, first + MAX_TABLE_ROWS)
        return all(sheet.get(row, col) is None for row in range(first + len(rows), last + 1) for _, col in columns)
    if item.type is ItemType.MULTI_CHOICE and cells.get("options"):
        options: Mapping[str, str] = cells["options"]
        if value is None and address and _CELL.match(address) and sheet.at(address) is not None:
            return False  # a choice typed into the item's own cell
        return all(_same_cell(sheet.at(options[choice.id]), None if value is None else (YES if choice.id in value else NO))
                   for choice in item.choices or () if options.get(choice.id))
    if not address or not _CELL.match(address):
        return False
    return _same_cell(sheet.at(address), answer_cell_value(item, value)[0])


def _apply_measurements(submission: Submission, text: str | None) -> None:
    """``measurements`` in ``_data`` (informative, not sealed): how and when probes took answers,
    into ``answers.meta`` and each table row's ``meta``."""
    if not text:
        return
    try:
        data = json.loads(text)
    except ValueError:
        submission.warnings.append("Thông tin đo tự động (measurements) không đọc được; bỏ qua.")
        return
    if not isinstance(data, dict):
        return
    for item_id, entry in data.items():
        value = submission.answers.values.get(item_id)
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], Row):
            if isinstance(entry, list):
                for row, row_meta in zip(value, entry, strict=False):
                    if isinstance(row_meta, dict):
                        row.meta = row_meta
        elif isinstance(entry, dict):
            submission.answers.meta[item_id] = entry


def _template_identity(submission: Submission, meta: Mapping[str, str], grid: Any, path: Path) -> None:
    """Commune and period of a filled template: from ``_data`` when the template was made for them, else the cover."""
    cover = meta.get("cover_sheet")
    if not submission.commune_code and cover and meta.get("commune_code_cell"):
        address = meta["commune_code_cell"]
        raw = grid(cover).at(address)
        if raw is not None:
            code = _text(raw) or ""
            code = code.strip()
            if code.isdigit() and len(code) <= 5:
                submission.commune_code = code.zfill(5)
            else:
                submission.problems.append(CellProblem("E-XLSX-COMMUNE", f"Sheet '{cover}', ô {address}: mã đơn vị "
                                                       f"hành chính phải gồm 5 chữ số, nhận được «{code}».", cover, address))
    if not submission.period and cover and meta.get("period_cell"):
        address = meta["period_cell"]
        raw = grid(cover).at(address)
        if raw is not None:
            period = parse_period(raw)
            if period:
                submission.period = period
            else:
                submission.problems.append(CellProblem("E-XLSX-PERIOD", f"Sheet '{cover}', ô {address}: kỳ báo cáo "
                                                       f"ghi dạng tháng/năm, ví dụ 11/2025; nhận được «{raw}».",
                                                       cover, address))


# -- places, for pointing at a cell (the department's importer) --------------------------------------------


@dataclass(frozen=True)
class WorkbookPlaces:
    """Where a workbook shows what it holds, from ``_data`` and the cover (:func:`read_places`)."""

    meta: dict[str, str]  # part 1 of ``_data``: key -> value
    meta_rows: dict[str, int]  # key -> its row in ``_data`` (the value is in column B)
    items: dict[str, ItemPlace]  # item id -> where its answer is shown (the first row naming the id)
    cover_sheet: str
    cover: dict[str, str]  # identity fact (a key of layout.COVER_LABELS) -> the cell of its value on the cover


def read_places(path: str | Path) -> WorkbookPlaces:
    """Read only ``_data`` and the cover's labels (no answer is read): where each identity fact and
    each answer is shown.  Raises ExchangeError (a file without a readable ``_data``); calamine's own
    errors pass through."""
    path = Path(path)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        meta, item_rows, meta_rows = _read_data_sheet(_Grid(workbook, DATA_SHEET, path), path)
        cover_sheet = meta.get("cover_sheet") or COVER_SHEET
        cover: dict[str, str] = {}
        if cover_sheet in list(workbook.sheet_names):
            label_rows: dict[str, int] = {}
            for index, row in enumerate(_Grid(workbook, cover_sheet, path).rows[:COVER_ROWS_SCANNED], start=1):
                label = str(row[0]).strip() if row and row[0] not in (None, "") else ""
                label_rows.setdefault(label, index)
            cover = {key: f"B{label_rows[label]}" for key, label in COVER_LABELS.items() if label in label_rows}
    finally:
        _close(workbook)
    items: dict[str, ItemPlace] = {}
    for data_row in item_rows:
        items.setdefault(data_row.item_id, data_row.place)
    return WorkbookPlaces(meta, meta_rows, items, cover_sheet, cover)


def read_sheet_answers(path: str | Path, checklist: Checklist, places: Mapping[str, ItemPlace]
                       ) -> tuple[dict[str, Any], list[CellProblem]]:
    """The answers as the human sheets show them at ``places`` (``Submission.places``), whatever
    ``_data`` holds, and the cells that could not be read (item id -> value; ``None`` or ``[]`` when empty)."""
    path = Path(path)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    grids: dict[str, _Grid] = {}

    def grid(name: str) -> _Grid:
        if name not in grids:
            grids[name] = _Grid(workbook, name, path)
        return grids[name]

    try:
        return _read_human(checklist, places, grid, path)
    finally:
        _close(workbook)


def _close(workbook: Any) -> None:
    try:
        workbook.close()
    except Exception:  # noqa: BLE001 - older calamine versions have no close()
        pass


def parse_period(raw: Any) -> str | None:
    """``11/2025``, ``2025-11`` or a date cell -> ``2025-11`` (None when not a period)."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"{raw.year:04d}-{raw.month:02d}"
    text = str(raw).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or None
    if match:
        year, month = int(match[1]), int(match[2])
    else:
        match = re.fullmatch(r"(?:\d{1,2}/)?(\d{1,2})[/.-](\d{4})", text)
        if not match:
            return None
        month, year = int(match[1]), int(match[2])
    if not (2020 <= year <= 2100 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}"
