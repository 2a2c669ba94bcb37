"""The submission workbook and the fillable blank template (openpyxl), one layout for both.

Sheets (``docs/submission-format.md`` is the reference):

- ``Thông tin chung``: the cover (commune, period, respondent, checklist, export time, score, level);
- one sheet per section: STT | Tiêu chí | Câu trả lời | Đơn vị | Yêu cầu | Đánh giá | Ghi chú;
  a multiple-choice item has one "Có/Không" row per option below it;
- one sheet per table item: STT and one typed column per table column, one row per entry;
- ``Tồn tại - Khuyến nghị`` (submissions only): the gaps with advice;
- ``_data`` (very hidden, protected): identity, every answer as canonical JSON, the cell each
  answer is shown in, and the SHA-256 seals; ``_lists`` (hidden): the drop-down lists.

Text a person typed is always written as text (never a formula, whatever it starts with):
:mod:`readiness.xlsx_cells` writes it, and seals the whole workbook before it is saved.
Files are written to a temporary file in the target folder, read back and checked, then renamed
over the target, so a failure never leaves a half-written workbook behind.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..answers import MAX_NUMBER, MAX_TEXT, Answers, Row, describe
from ..bands import level_band, score_band, xlsx_colour
from ..checklist.model import Checklist, Column, Item, ItemType, Section
from ..measurement import automatic_source, describe as describe_measurement, row_mark
from ..numbers import round_score
from ..register import Commune
from ..scoring import ItemResult, Status, render, thresholds_of
from ..xlsx_cells import put_text, save_workbook
from .canonical import answer_json, canonical_json, seal, sealed_texts, sha256_text
from .context import ExportContext, period_label, status_label
from .errors import ExchangeError
from .layout import (COVER_LABELS, COVER_SHEET, DATA_SHEET, FIRST_ROW, FORMAT_NAME, FORMAT_VERSION, GAPS_SHEET, HEADER_ROW,
                     ITEMS_HEADER, LISTS_SHEET, NO, VALUE_CHUNK, YES, answer_cell_value, is_year, visible_sha256,
                     workbook_cells)
from .naming import sheet_title
from .words import skip_instruction

TEMPLATE_ROWS = 30  # empty rows per table sheet in a template (at least the item's min_rows)
SECTION_HEADERS = ("STT", "Tiêu chí", "Câu trả lời", "Đơn vị", "Yêu cầu", "Đánh giá", "Ghi chú")
SECTION_WIDTHS = (7, 56, 30, 9, 36, 15, 50)
SOURCE_HEADER = "Nguồn số liệu"  # table sheets of a submission with rows a probe filled ("Tự nhận diện …")
CHANGE_HEADER = "So với kỳ trước"  # table sheets of a submission with rows that differ from the previous period
ANSWER_COL = 3  # column C of section sheets
DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)

FONT_NAME = "Times New Roman"
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
F_BODY = Font(name=FONT_NAME, size=12)
F_BOLD = Font(name=FONT_NAME, size=12, bold=True)
F_TITLE = Font(name=FONT_NAME, size=14, bold=True)
F_SMALL_ITALIC = Font(name=FONT_NAME, size=11, italic=True, color="404040")
F_HEADER = Font(name=FONT_NAME, size=12, bold=True, color="000000")
F_LINK = Font(name=FONT_NAME, size=12, underline="single", color="0563C1")
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")
FILL_SKIPPED = PatternFill("solid", fgColor="F2F2F2")
FILL_CHANGED = PatternFill("solid", fgColor="DDEBF7")  # an answer that differs from the previous period's
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_CENTER = Alignment(vertical="top", horizontal="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
# Alignments used as they are (a style the workbook already holds is found by identity: _StyleList)
TITLE_LINE = Alignment(vertical="center", wrap_text=False)
SUBTITLE = Alignment(vertical="top", wrap_text=True)
WRAP_MIDDLE = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True)
WRAP_TOP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
CENTER_TOP = Alignment(horizontal="center", vertical="top")

STATUS_STYLE = {
    Status.PASS: (PatternFill("solid", fgColor="C6EFCE"), Font(name=FONT_NAME, size=12, bold=True, color="006100")),
    Status.FAIL: (PatternFill("solid", fgColor="FFC7CE"), Font(name=FONT_NAME, size=12, bold=True, color="9C0006")),
    Status.NA: (PatternFill("solid", fgColor="E7E6E6"), Font(name=FONT_NAME, size=12, color="595959")),
    Status.MISSING: (PatternFill("solid", fgColor="D9D9D9"), Font(name=FONT_NAME, size=12, italic=True, color="404040")),
}


# -- cell helpers (text goes in through readiness.xlsx_cells.put_text: never a formula) ----------


def put_answer(cell: Cell, spec: Item | Column, value: Any) -> Cell:
    shown, number_format = answer_cell_value(spec, value)
    if isinstance(shown, str):
        put_text(cell, shown)
    else:
        cell.value = shown
        if number_format:
            cell.number_format = number_format
    return cell


_AnyCell = TypeVar("_AnyCell", bound=Cell | MergedCell)  # ws.cell() may be a merge's hidden cell, as the stubs say


def _style(cell: _AnyCell, font: Font = F_BODY, alignment: Alignment = WRAP_TOP, border: bool = True,
           fill: PatternFill | None = None) -> _AnyCell:
    """``cell.font = font``, ``cell.alignment = …``, ``cell.border = BORDER``, ``cell.fill = fill``: the same
    entries of the workbook's style lists, set on the cell's style array at once (openpyxl's descriptors find
    the workbook through the cell for each of the four: a tenth of building a submission)."""
    raw: Any = cell  # the style array is not in openpyxl's stubs
    wb = raw.parent.parent
    style = raw._style
    if not style:  # a new cell has none yet
        style = raw._style = StyleArray()
    style.fontId = wb._fonts.add(font)
    style.alignmentId = wb._alignments.add(alignment)
    if border:
        style.borderId = wb._borders.add(BORDER)
    if fill is not None:
        style.fillId = wb._fills.add(fill)
    return cell


_NO_STYLE = StyleArray()  # a cell never styled: the workbook's first font and alignment (what cell.font reads)


def fit_rows(ws: Worksheet, first_row: int = 1) -> None:
    """Set row heights for wrapped text (Excel and LibreOffice do not grow rows of a generated file)."""
    merged = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
              for c in range(rng.min_col, rng.max_col + 1)}
    widths: dict[int, float] = {}
    wb: Any = ws.parent
    fonts, alignments = wb._fonts, wb._alignments  # a cell's own style objects (cell.font makes a proxy each time)
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        size = 12.0
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            col = cell.column
            if col not in widths:
                dim = ws.column_dimensions[get_column_letter(col)]
                widths[col] = float(dim.width or 9)
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            per_line = max(1.0, widths[col] * 1.2 - 1)  # characters of 12 pt Times per column unit (Excel ~1.1, LibreOffice ~1.5)
            style: Any = cell._style or _NO_STYLE  # type: ignore[attr-defined]  # not in openpyxl's stubs
            font = fonts[style.fontId]
            if font is not None and font.sz:
                size = max(size, float(font.sz))
                per_line = per_line * 12.0 / float(font.sz)
            alignment = alignments[style.alignmentId]
            if alignment is not None and alignment.wrap_text:
                needed = sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))
            else:
                needed = text.count("\n") + 1
            lines = max(lines, needed)
        if lines > 1 or size > 12:
            ws.row_dimensions[row[0].row].height = round(lines * size * 1.25 + 3, 1)  # type: ignore[index]  # a sheet's cell has its row


def wrapped_lines(text: Any, width: float, *, per_unit: float = 1.0) -> int:
    """The lines ``text`` takes in a wrapping cell ``width`` column units wide, ``per_unit`` characters
    to a unit (words wrap whole; a word longer than the cell wraps inside it, as Excel does)."""
    room = max(1.0, width * per_unit - 1.0)
    total = 0
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > room:
                lines, used = lines + 1, 0.0
            used += (1 if used else 0) + size
            while used > room:
                lines, used = lines + 1, used - room
        total += lines
    return total


def _address(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _label_with_unit(spec: Item | Column) -> str:
    text = spec.label.vi
    if spec.unit:
        text += f" ({spec.unit})"
    if spec.required:
        text += " *"
    return text


# -- the layout -----------------------------------------------------------------------------------


@dataclass
class ItemCell:
    """Where one item's answer is shown; written to ``_data`` so a reader finds it."""

    item: Item
    sheet: str
    cell: str  # the answer cell (a table: the first header cell of the table sheet)
    cells: dict[str, Any] = field(default_factory=dict)  # multi-choice options; table columns and rows


class _StyleList(IndexedList):
    """A workbook's list of fonts (fills, borders, …) that finds a style object it already holds by identity.

    openpyxl's ``cell.font = F_BODY`` looks the font up by value, hashing it field by field (its colour too)
    every time: half the time of building a submission went there (5,900 assignments, 41,000 hashes).  Our
    styles are module constants, never changed after they are made; a new object is still looked up by value,
    so the workbook's lists, and the file, are the same as openpyxl's own."""

    def __init__(self, iterable: Any = None) -> None:
        self._known: dict[int, tuple[object, int]] = {}  # id -> (the object, kept alive so its id stays its own; index)
        super().__init__(iterable)

    def add(self, value: Any) -> int:
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        index: int = super().add(value)
        self._known[id(value)] = (value, index)
        return index


def new_workbook() -> Workbook:
    """An empty workbook whose style lists are :class:`_StyleList`."""
    wb = Workbook()
    for name in ("_fonts", "_fills", "_borders", "_alignments", "_protections"):
        setattr(wb, name, _StyleList(getattr(wb, name)))
    return wb


@dataclass
class _Build:
    checklist: Checklist
    kind: str  # submission | template
    ctx: ExportContext | None
    commune: Commune | None
    period: str | None
    now: dt.datetime
    template_rows: int = TEMPLATE_ROWS
    wb: Workbook = field(default_factory=new_workbook)
    taken: set[str] = field(default_factory=set)
    cells: dict[str, ItemCell] = field(default_factory=dict)
    section_sheets: dict[str, str] = field(default_factory=dict)
    table_sheets: dict[str, str] = field(default_factory=dict)
    list_names: dict[tuple[str, ...], str] = field(default_factory=dict)
    cover_cells: dict[str, str] = field(default_factory=dict)
    lists_ws: Worksheet | None = None

    @property
    def template(self) -> bool:
        return self.kind == "template"

    @property
    def answers(self) -> Answers:
        return self.ctx.answers if self.ctx else Answers()

    def result_of(self, item_id: str) -> ItemResult | None:
        return self.ctx.result.items.get(item_id) if self.ctx else None

    def relevant(self, item_id: str) -> bool:
        return True if self.ctx is None else bool(self.ctx.result.relevant.get(item_id, False))


def _plan(build: _Build) -> None:
    """Name every sheet first (cover, sections, tables, gaps) so links can point forward."""
    checklist = build.checklist
    build.taken.update({DATA_SHEET.casefold(), LISTS_SHEET.casefold()})
    sheet_title(COVER_SHEET, build.taken)
    if not build.template:
        sheet_title(GAPS_SHEET, build.taken)
    for index, section in enumerate(checklist.sections, start=1):
        build.section_sheets[section.id] = sheet_title(f"{index}. {section.title.vi}", build.taken)
    for section in checklist.sections:
        tables = [item for item in section.items if item.type is ItemType.TABLE]
        for item in tables:
            number = checklist.number(item.id)
            alone = f"{number} {section.title.vi}" if len(tables) == 1 else None  # the one table of its section
            build.table_sheets[item.id] = sheet_title(f"{number} {item.label.vi}", build.taken, shorter=alone)


def _page_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None, header: str = "") -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # openpyxl makes it with the sheet
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if header:
        ws.oddHeader.left.text = header.replace("&", "&&")  # type: ignore[union-attr]  # as is every part of
        ws.oddHeader.left.size = 9  # type: ignore[union-attr]  # a header and footer
    ws.oddFooter.center.text = "Trang &P/&N"  # type: ignore[union-attr]
    ws.oddFooter.center.size = 9  # type: ignore[union-attr]


def _protect(ws: Worksheet, *, rows: bool = False) -> None:
    """Sheet protection without a password: only the yellow answer cells can be changed.

    ``rows``: rows may be inserted and deleted too (table sheets: more PCs than empty rows).
    """
    protection = ws.protection
    protection.sheet = True
    if rows:
        protection.insertRows = False  # False = allowed
        protection.deleteRows = False
    protection.formatColumns = False  # False = allowed: people may widen columns and rows
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _header_text(build: _Build) -> str:
    parts = []
    if build.commune:
        parts.append(build.commune.name)
    if build.period:
        parts.append(f"kỳ {period_label(build.period)}")
    parts.append(f"{build.checklist.id} v{build.checklist.version}")
    return " — ".join(parts)


def _title_rows(ws: Worksheet, title: str, subtitle: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _style(put_text(ws.cell(1, 1), title), F_TITLE, TITLE_LINE, border=False)
    ws.row_dimensions[1].height = 22
    if subtitle:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        put_text(ws.cell(2, 1), subtitle)
        _style(ws.cell(2, 1), F_SMALL_ITALIC, SUBTITLE, border=False)
        ws.row_dimensions[2].height = max(18, 15 * (1 + len(subtitle) // 150))


def _headers(ws: Worksheet, headers: Iterable[str], widths: Iterable[float]) -> None:
    lines = 1
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        put_text(ws.cell(HEADER_ROW, col), text)
        _style(ws.cell(HEADER_ROW, col), F_HEADER, WRAP_CENTER, fill=FILL_HEADER)
        ws.column_dimensions[get_column_letter(col)].width = width
        lines = max(lines, wrapped_lines(text, width, per_unit=1.1))  # 12 pt bold Times: ~1.1 characters a unit
    # As tall as the longest header needs: no title cut on screen or on paper.
    ws.row_dimensions[HEADER_ROW].height = round(lines * 12 * 1.25 + 4, 1)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate


# -- drop-down lists and validation ---------------------------------------------------------------------


def _list_formula(build: _Build, labels: tuple[str, ...]) -> str:
    """A named range on the hidden ``_lists`` sheet holding ``labels`` (commas in labels are fine)."""
    name = build.list_names.get(labels)
    if name:
        return name
    if build.lists_ws is None:
        build.lists_ws = build.wb.create_sheet(LISTS_SHEET)
        build.lists_ws.sheet_state = "hidden"
        _protect(build.lists_ws)
    ws = build.lists_ws
    col = len(build.list_names) + 1
    for row, label in enumerate(labels, start=1):
        put_text(ws.cell(row, col), label)
    name = f"ds_{col}"
    letter = get_column_letter(col)
    ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(labels)}"
    build.wb.defined_names[name] = DefinedName(name, attr_text=ref)
    build.list_names[labels] = name
    return name


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _validation(build: _Build, spec: Item | Column, *, yes_no: bool = False) -> DataValidation | None:
    """The Excel validation for an answer cell, with a Vietnamese prompt and error."""
    label = spec.label.vi
    title = _clip(label, 32)
    hint = spec.hint.vi if spec.hint else ""
    kind = ItemType.YES_NO if yes_no else spec.type
    unit = f" {spec.unit}" if spec.unit else ""
    if kind is ItemType.YES_NO:
        dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        error = "Chọn «Có» hoặc «Không» trong danh sách."
        prompt = "Chọn «Có» hoặc «Không»."
    elif kind is ItemType.SINGLE_CHOICE:
        labels = tuple(choice.label.vi for choice in spec.choices or ())
        dv = DataValidation(type="list", formula1=_list_formula(build, labels), allow_blank=True)
        error = "Chọn một giá trị trong danh sách thả xuống."
        prompt = "Chọn một giá trị trong danh sách."
    elif kind in (ItemType.INTEGER, ItemType.DECIMAL):
        low = spec.min if spec.min is not None else -MAX_NUMBER
        high = spec.max if spec.max is not None else MAX_NUMBER
        whole = kind is ItemType.INTEGER
        dv = DataValidation(type="whole" if whole else "decimal", operator="between",
                            formula1=_number_text(low), formula2=_number_text(high), allow_blank=True)
        what = "một số nguyên" if whole else "một số (dùng dấu phẩy cho phần thập phân, ví dụ 12,5)"
        bounds = ""
        if spec.min is not None or spec.max is not None:
            bounds = f" từ {_fmt(low)} đến {_fmt(high)}{unit}"
        error = f"Nhập {what}{bounds}."
        prompt = f"Nhập {what}{bounds}."
    elif kind is ItemType.DATE:
        dv = DataValidation(type="date", operator="between", formula1=_serial(DATE_MIN), formula2=_serial(DATE_MAX),
                            allow_blank=True)
        error = "Nhập ngày dạng dd/mm/yyyy, ví dụ 20/11/2025."
        prompt = "Ngày dạng dd/mm/yyyy, ví dụ 20/11/2025."
    elif kind is ItemType.TEXT:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT), allow_blank=True)
        error = f"Nội dung tối đa {MAX_TEXT} ký tự."
        prompt = ""
    else:  # multi-choice cells are handled per option (yes_no=True)
        return None
    if hint:
        prompt = f"{prompt} {hint}".strip()
    dv.error = _clip(error, 255)
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.errorStyle = "stop"
    dv.showErrorMessage = True
    if prompt:
        dv.prompt = _clip(prompt, 255)
        dv.promptTitle = title
        dv.showInputMessage = True
    return dv


def _serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)


def _fmt(number: float) -> str:
    from ..numbers import number as number_words

    return number_words(number)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# -- the cover sheet -------------------------------------------------------------------------------------


def _cover(build: _Build) -> None:
    ws = cast(Worksheet, build.wb.active)  # a new workbook's one sheet
    ws.title = COVER_SHEET
    checklist = build.checklist
    ctx = build.ctx
    title = "KẾT QUẢ TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG HẠ TẦNG CÔNG NGHỆ THÔNG TIN CỦA BỘ PHẬN MỘT CỬA"
    if build.template:
        title = "PHIẾU TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG HẠ TẦNG CÔNG NGHỆ THÔNG TIN CỦA BỘ PHẬN MỘT CỬA"
    for letter, width in zip("ABCDEFG", (44, 46, 11, 11, 13, 14, 28), strict=True):
        ws.column_dimensions[letter].width = width
    ws.merge_cells("A1:G1")
    _style(ws["A1"], F_TITLE, WRAP_MIDDLE, border=False)
    put_text(ws["A1"], title)
    ws.row_dimensions[1].height = 38
    ws.merge_cells("A2:G2")
    put_text(ws["A2"], f"{checklist.title.vi} (gửi {_department(build)})")
    _style(ws["A2"], F_SMALL_ITALIC, WRAP, border=False)
    row = 4
    commune = build.commune

    def pair(label: str, value: Any, *, key: str | None = None, editable: bool = False, number_format: str | None = None,
             fill: PatternFill | None = None) -> Cell:
        nonlocal row
        put_text(ws.cell(row, 1), label)
        _style(ws.cell(row, 1), F_BOLD)
        cell = cast(Cell, ws.cell(row, 2))  # not part of a merge
        if isinstance(value, str) or value is None:
            put_text(cell, value)
        else:
            cell.value = value
            if number_format:
                cell.number_format = number_format
        _style(cell, F_BODY, WRAP_TOP_LEFT, fill=fill)
        if editable:
            cell.protection = UNLOCKED
            cell.fill = FILL_INPUT
        if key:
            build.cover_cells[key] = cell.coordinate
        row += 1
        return cell

    pair(COVER_LABELS["commune_name"], commune.name if commune else None, key="commune_name",
         editable=build.template and not commune)
    code_cell = pair(COVER_LABELS["commune_code"], commune.code if commune else None, key="commune_code",
                     editable=build.template and not commune)
    if build.template and not commune:
        code_cell.number_format = "@"
    pair("Tỉnh", commune.province_name if commune else _home_province())
    period_cell = pair(COVER_LABELS["period"], period_label(build.period) if build.period else None, key="period",
                       editable=build.template and not build.period)
    if build.template and not build.period:
        period_cell.number_format = "@"
    if ctx is not None:
        pair("Người trả lời", ctx.respondent or "")
    pair("Bảng kiểm", f"{checklist.title.vi} — mã {checklist.id}, phiên bản {checklist.version}")
    pair("Mã băm bảng kiểm (SHA-256)", checklist.content_hash)
    if ctx is not None:
        identity = ctx.identity
        state = status_label(identity.status)
        if identity.revision:
            state = f"{state} (lần {identity.revision})"
        pair(COVER_LABELS["status"], state)
        pair(COVER_LABELS["assessment_id"], identity.assessment_id or "")
    pair("Thời điểm xuất tệp", build.now.strftime("%d/%m/%Y %H:%M"))
    pair("Phần mềm", f"Sẵn sàng Một cửa {__version__}")
    if ctx is not None:
        result = ctx.result
        level = checklist.level(result.level_id)
        if result.scored:
            level_fill = PatternFill("solid", fgColor=xlsx_colour(level_band(checklist, result.level_id).background))
            score_cell = pair("Điểm (thang 100)", round_score(result.score), number_format="0.0")
            score_cell.fill = level_fill
            level_cell = pair("Mức độ sẵn sàng", level.label.vi)
            level_cell.fill = level_fill
            level_cell.font = F_BOLD
        else:
            pair("Điểm (thang 100)", "Chưa có điểm (chưa tiêu chí chấm điểm nào được trả lời)")
        pair("Tiêu chí trọng yếu chưa đạt", result.critical_failed, number_format="0")
        pair("Câu bắt buộc chưa trả lời", result.unanswered_required, number_format="0")
        pair("Tỷ lệ câu đã trả lời", result.completion, number_format="0%")
        previous = ctx.previous
        if previous is not None:
            count = len(previous.changes)
            text = (f"Kỳ {previous.label} (lần {previous.revision}): {count} câu trả lời thay đổi, tô nền xanh ở cột "
                    "«Câu trả lời», giá trị kỳ trước ghi ở cột «Ghi chú»" if count else
                    f"Kỳ {previous.label} (lần {previous.revision}): các câu trả lời không thay đổi")
            if previous.carried:
                text += "; bản đánh giá được lập từ kết quả kỳ đó"
            pair("So với kỳ trước", text + ".")
        row += 1
        headers = ("Phần", "Điểm", "Đạt", "Chưa đạt", "Chưa trả lời", "Không áp dụng", "Sheet")
        for col, text in enumerate(headers, start=1):
            put_text(ws.cell(row, col), text)
            _style(ws.cell(row, col), F_HEADER, WRAP_CENTER, fill=FILL_HEADER)
        row += 1
        for index, section_result in enumerate(result.sections, start=1):
            section = checklist.section(section_result.section_id)
            put_text(ws.cell(row, 1), f"{index}. {section.title.vi}")
            values: list[Any] = [round_score(section_result.score),
                                 section_result.passed, section_result.failed, section_result.missing,
                                 section_result.not_applicable]
            for col, value in enumerate(values, start=2):
                ws.cell(row, col).value = value
                _style(ws.cell(row, col), F_BODY, CENTER_TOP)
            ws.cell(row, 2).number_format = "0.0"
            if section_result.score is None:
                put_text(ws.cell(row, 2), "—")
            else:
                ws.cell(row, 2).fill = PatternFill("solid", fgColor=xlsx_colour(score_band(checklist, section_result.score).background))
            _style(ws.cell(row, 1))
            _link(ws.cell(row, 7), build.section_sheets[section.id])
            row += 1
    else:
        row += 1
        guide = [
            "HƯỚNG DẪN ĐIỀN PHIẾU",
            "1. Chỉ nhập vào các ô nền vàng; các ô khác được khoá để giữ đúng cấu trúc phiếu.",
            "2. Câu hỏi Có/Không và câu hỏi lựa chọn: chọn trong danh sách thả xuống của ô.",
            "3. Câu hỏi nhiều lựa chọn: ghi «Có» ở từng lựa chọn phù hợp (các dòng ngay dưới câu hỏi).",
            "4. Số: nhập số (phần thập phân dùng dấu phẩy, ví dụ 12,5); ngày: dd/mm/yyyy, ví dụ 20/11/2025.",
            "5. Bảng (máy tính, chứng thư số, ...): mỗi đối tượng một dòng trên sheet riêng; để trống các dòng thừa.",
            "6. Dấu * đánh dấu câu bắt buộc. Cột «Ghi chú» cho biết khi nào cần trả lời một câu hỏi.",
            "7. Điền xong, lưu tệp (giữ định dạng .xlsx) và nhập vào phần mềm «Sẵn sàng Một cửa» "
            "hoặc gửi Sở Khoa học và Công nghệ.",
        ]
        for index, line in enumerate(guide):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
            put_text(ws.cell(row, 1), line)
            _style(ws.cell(row, 1), F_BOLD if index == 0 else F_BODY, WRAP_TOP,
                   border=False)
            row += 1
        row += 1
        put_text(ws.cell(row, 1), "Các phần của phiếu")
        _style(ws.cell(row, 1), F_BOLD, border=False)
        row += 1
        for index, section in enumerate(checklist.sections, start=1):
            put_text(ws.cell(row, 1), f"{index}. {section.title.vi}")
            _style(ws.cell(row, 1))
            _link(ws.cell(row, 2), build.section_sheets[section.id])
            row += 1
    _page_setup(ws, landscape=False, title_rows=None, header=_header_text(build))
    if build.template:
        _protect(ws)


def _department(build: _Build) -> str:
    """The department the workbook goes to: the export's (from the workspace's settings), else the default's."""
    if build.ctx is not None:
        return build.ctx.department
    from ..document_settings import default_settings

    return default_settings().department_for(build.commune)


def _home_province() -> str:
    from ..document_settings import default_settings

    phrase = default_settings().province_phrase
    return phrase[:1].upper() + phrase[1:]


def _link(cell: Cell | MergedCell, sheet: str, text: str | None = None) -> None:
    put_text(cell, text or f"→ {sheet}")
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet)}!A1", display=text or sheet)
    _style(cell, F_LINK)


# -- section sheets ------------------------------------------------------------------------------------


def _requirement(build: _Build, item: Item) -> str:
    if item.score is None:
        return ""
    result = build.result_of(item.id)
    if result is not None:
        return result.requirement
    fields = dict(thresholds_of(build.checklist))
    return render(item.score.requirement, fields, "vi")


def _section_sheet(build: _Build, index: int, section: Section) -> None:
    checklist = build.checklist
    ws = build.wb.create_sheet(build.section_sheets[section.id])
    subtitle_parts = []
    if section.description:
        subtitle_parts.append(section.description.vi)
    if section.relevant:
        subtitle_parts.append(skip_instruction(checklist, section.relevant, section=True))
    _title_rows(ws, f"{index}. {section.title.vi}", " ".join(subtitle_parts), len(SECTION_HEADERS))
    _headers(ws, SECTION_HEADERS, SECTION_WIDTHS)
    _page_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header=_header_text(build))
    row = FIRST_ROW
    for item in section.items:
        number = checklist.number(item.id)
        value = build.answers.get(item.id)
        relevant = build.relevant(item.id)
        result = build.result_of(item.id)
        put_text(ws.cell(row, 1), number)
        put_text(ws.cell(row, 2), item.label.vi + (" *" if item.required else ""))
        put_text(ws.cell(row, 4), item.unit)
        put_text(ws.cell(row, 5), _requirement(build, item))
        notes = []
        change = _change_note(build, item)
        if change:
            notes.append(change)
        measured = _measured_note(build, item)
        if measured:
            notes.append(measured + ".")
        if result is not None and result.status in (Status.FAIL, Status.MISSING) and result.advice:
            notes.append(result.advice)
        if not build.template and not relevant:
            notes.append("Không cần trả lời theo các câu trả lời khác.")
        if item.relevant:
            notes.append(skip_instruction(checklist, item.relevant))
        if build.template and item.hint:
            notes.append(item.hint.vi)
        put_text(ws.cell(row, 7), " ".join(notes))
        for col in range(1, 8):
            _style(ws.cell(row, col), F_BODY, TOP_CENTER if col in (1, 4, 6) else WRAP_TOP)
        status_cell = ws.cell(row, 6)
        if result is not None:
            put_text(status_cell, result.status.label("vi"))
            fill, font = STATUS_STYLE[result.status]
            status_cell.fill, status_cell.font = fill, font
        elif not build.template and not relevant and item.score is not None:
            put_text(status_cell, Status.NA.label("vi"))
            fill, font = STATUS_STYLE[Status.NA]
            status_cell.fill, status_cell.font = fill, font
        answer = ws.cell(row, ANSWER_COL)
        changed = bool(change)
        if item.type is ItemType.TABLE:
            target = build.table_sheets[item.id]
            rows = len(value or ())
            where = checklist.number(item.id)
            text = f"Nhập ở sheet {where}" if build.template else f"{rows} dòng, xem sheet {where}"
            _link(answer, target, text)
            answer.alignment = WRAP_TOP
            if changed:
                answer.fill = FILL_CHANGED
            row += 1
            continue
        if item.type is ItemType.MULTI_CHOICE:
            put_answer(answer, item, value)
            if changed:
                answer.fill = FILL_CHANGED
            options: dict[str, str] = {}
            if build.template:
                put_text(answer, "Chọn «Có» cho từng lựa chọn phù hợp:")
                answer.font = F_SMALL_ITALIC
            row += 1
            validation = _validation(build, item, yes_no=True) if build.template else None
            for choice in item.choices or ():
                put_text(ws.cell(row, 2), f"    – {choice.label.vi}")
                cell = ws.cell(row, ANSWER_COL)
                if value is not None:
                    put_text(cell, YES if choice.id in value else NO)
                for col in range(1, 8):
                    _style(ws.cell(row, col), F_BODY, WRAP_TOP)
                if build.template:
                    cell.protection = UNLOCKED
                    cell.fill = FILL_INPUT
                    assert validation is not None
                    validation.add(cell.coordinate)
                options[choice.id] = cell.coordinate
                row += 1
            if validation is not None:
                ws.add_data_validation(validation)
            build.cells[item.id] = ItemCell(item, ws.title, answer.coordinate, {"options": options})
            continue
        put_answer(answer, item, value)
        answer.alignment = WRAP_TOP_LEFT
        if build.template:
            answer.protection = UNLOCKED
            answer.fill = FILL_INPUT
            if item.type is ItemType.DATE:
                answer.number_format = "dd/mm/yyyy"
            elif item.type is ItemType.INTEGER:
                answer.number_format = "0" if is_year(item) else "#,##0"
            elif item.type is ItemType.TEXT:
                answer.number_format = "@"
            validation = _validation(build, item)
            if validation is not None:
                validation.add(answer.coordinate)
                ws.add_data_validation(validation)
        elif not relevant:
            answer.fill = FILL_SKIPPED
        elif changed:
            answer.fill = FILL_CHANGED
        build.cells[item.id] = ItemCell(item, ws.title, answer.coordinate)
        row += 1
    if build.template:
        _protect(ws)


def _change_note(build: _Build, item: Item) -> str | None:
    """ "Thay đổi so với kỳ 10/2026: 12 người → 14 người." for an answer that differs from the
    previous period's (submissions only)."""
    previous = build.ctx.previous if build.ctx is not None and not build.template else None
    change = previous.change(item.id) if previous is not None else None
    if change is None or previous is None:
        return None
    from ..carry import change_text

    return f"Thay đổi so với kỳ {previous.label}: {change_text(build.checklist, change, 'vi')}."


def _row_changes(build: _Build, item: Item) -> dict[int, str]:
    """Row id -> "mới" / "thay đổi: RAM: 4 GB → 8 GB" for rows that differ from the previous period."""
    previous = build.ctx.previous if build.ctx is not None and not build.template else None
    change = previous.change(item.id) if previous is not None else None
    if change is None or previous is None:
        return {}
    from ..carry import cell_change

    columns = {c.id: c for c in item.columns or ()}
    out: dict[int, str] = {}
    for row_change in change.rows:
        if row_change.row is None or row_change.row.id is None:
            continue
        if row_change.before is None:
            out[row_change.row.id] = f"mới so với kỳ {previous.label}"
        else:
            cells = "; ".join(cell_change(columns[c], row_change.before.values.get(c), row_change.row.values.get(c))
                              for c in row_change.columns)
            out[row_change.row.id] = f"thay đổi: {cells}"
    return out


def _measured_note(build: _Build, item: Item) -> str | None:
    """ "Đo tự động lúc 10:42 ngày 24/11/2026 (máy chủ: …, 4 luồng)" for an answer a probe took."""
    if build.template or item.type is ItemType.TABLE or build.answers.get(item.id) is None:
        return None
    answers = build.answers
    return describe_measurement(answers.sources.get(item.id), answers.meta.get(item.id), "vi", tz=build.now.tzinfo)


# -- table sheets --------------------------------------------------------------------------------------


def _column_width(column: Column) -> float:
    kind = column.type
    base = {ItemType.YES_NO: 10, ItemType.INTEGER: 11, ItemType.DECIMAL: 11, ItemType.DATE: 13,
            ItemType.TEXT: 26, ItemType.SINGLE_CHOICE: 18, ItemType.MULTI_CHOICE: 26}.get(kind, 16)
    if column.choices:
        base = max(base, min(30, max(len(c.label.vi) for c in column.choices) + 3))
    header = len(_label_with_unit(column))
    return float(max(base, min(24, header * 0.6 + 2)))


def _table_sheet(build: _Build, item: Item) -> None:
    checklist = build.checklist
    name = build.table_sheets[item.id]
    ws = build.wb.create_sheet(name)
    columns = item.columns or []
    number = checklist.number(item.id)
    subtitle = []
    if item.hint:
        subtitle.append(item.hint.vi)
    what = item.row_label.vi if item.row_label else "đối tượng"
    if build.template:
        subtitle.append(f"Mỗi dòng một {what.lower()}; để trống các dòng thừa; thiếu dòng thì chèn thêm dòng "
                        "(Insert) giữa các dòng nền vàng. Chỉ nhập vào ô nền vàng.")
    if item.relevant:
        subtitle.append(skip_instruction(checklist, item.relevant))
    multi_note = [c for c in columns if c.type is ItemType.MULTI_CHOICE]
    if multi_note:
        subtitle.append("Cột nhiều lựa chọn: ghi các lựa chọn cách nhau bằng dấu chấm phẩy «; ».")
    rows: list[Row] = list(build.answers.rows(item.id))
    marked = not build.template and any(automatic_source(r.source, r.meta) for r in rows)  # a "Nguồn số liệu" column
    row_changes = _row_changes(build, item)  # a "So với kỳ trước" column
    _title_rows(ws, f"{number} {item.label.vi}", " ".join(subtitle), len(columns) + 1 + marked + bool(row_changes))
    headers = ["STT", *(_label_with_unit(c) for c in columns)]
    widths = [6.0, *(_column_width(c) for c in columns)]
    if marked:
        headers.append(SOURCE_HEADER)
        widths.append(30.0)
    if row_changes:
        headers.append(CHANGE_HEADER)
        widths.append(34.0)
    _headers(ws, headers, widths)
    landscape = sum(widths) > 95
    _page_setup(ws, landscape=landscape, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header=_header_text(build))
    count = max(build.template_rows, item.min_rows) if build.template else len(rows)
    count = min(count, item.max_rows)
    letters = {column.id: get_column_letter(index) for index, column in enumerate(columns, start=2)}
    for offset in range(count):
        row = FIRST_ROW + offset
        ws.cell(row, 1).value = offset + 1
        _style(ws.cell(row, 1), F_BODY, TOP_CENTER)
        values = rows[offset].values if offset < len(rows) else {}
        for col, column in enumerate(columns, start=2):
            cell = ws.cell(row, col)
            put_answer(cell, column, values.get(column.id))
            _style(cell, F_BODY, WRAP_TOP)
            if build.template:
                cell.protection = UNLOCKED
                cell.fill = FILL_INPUT
                if column.type is ItemType.DATE:
                    cell.number_format = "dd/mm/yyyy"
                elif column.type is ItemType.TEXT or column.type is ItemType.MULTI_CHOICE:
                    cell.number_format = "@"
        if marked:  # informative, not read back: the reader takes the columns named in _data
            cell = ws.cell(row, len(columns) + 2)
            put_text(cell, row_mark(rows[offset], "vi", tz=build.now.tzinfo) if offset < len(rows) else None)
            _style(cell, F_SMALL_ITALIC, WRAP_TOP)
        if row_changes:  # informative too
            cell = ws.cell(row, len(columns) + 2 + marked)
            row_id = rows[offset].id if offset < len(rows) else None
            note = row_changes.get(row_id) if row_id is not None else None
            put_text(cell, note)
            _style(cell, F_SMALL_ITALIC, WRAP_TOP)
            if note:
                for col in range(1, len(columns) + 2):
                    ws.cell(row, col).fill = FILL_CHANGED
    if build.template and count:
        last = FIRST_ROW + count - 1
        for col, column in enumerate(columns, start=2):
            validation = _validation(build, column)
            if validation is not None:
                letter = get_column_letter(col)
                validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                ws.add_data_validation(validation)
        _protect(ws, rows=True)
    build.cells[item.id] = ItemCell(item, name, _address(HEADER_ROW, 2), {
        "first_row": FIRST_ROW,
        "last_row": FIRST_ROW + count - 1,
        "columns": letters,
    })


# -- gaps --------------------------------------------------------------------------------------------------


def _gap_sheet(build: _Build) -> None:
    assert build.ctx is not None
    checklist = build.checklist
    result = build.ctx.result
    ws = build.wb.create_sheet(GAPS_SHEET)
    gaps = result.gaps
    missing = [r for r in result.unanswered]
    subtitle = (f"{len(gaps)} tiêu chí chưa đạt ({result.critical_failed} tiêu chí trọng yếu chưa đạt hoặc chưa trả lời), "
                f"{len(missing)} tiêu chí chưa trả lời. Thứ tự: trọng yếu trước, rồi theo trọng số.")
    headers = ("STT", "Mục", "Tiêu chí", "Trọng yếu", "Hiện trạng", "Yêu cầu", "Đánh giá", "Khuyến nghị")
    widths = (6, 8, 44, 11, 26, 34, 15, 56)
    _title_rows(ws, "TỒN TẠI VÀ KHUYẾN NGHỊ", subtitle, len(headers))
    _headers(ws, headers, widths)
    _page_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header=_header_text(build))
    row = FIRST_ROW
    for index, gap in enumerate([*gaps, *missing], start=1):
        item = checklist.item(gap.item_id)
        value = build.answers.get(item.id)
        current = describe(item, value, "vi") if value is not None else "(chưa trả lời)"
        cells = [index, checklist.number(item.id), item.label.vi, "Có" if gap.critical else "", current,
                 gap.requirement, gap.status.label("vi"), gap.advice]
        for col, value_ in enumerate(cells, start=1):
            cell = ws.cell(row, col)
            if isinstance(value_, str):
                put_text(cell, value_)
            else:
                cell.value = value_
            _style(cell, F_BODY, TOP_CENTER if col in (1, 2, 4, 7) else WRAP_TOP)
        fill, font = STATUS_STYLE[gap.status]
        ws.cell(row, 7).fill, ws.cell(row, 7).font = fill, font
        if gap.critical:
            ws.cell(row, 4).font = F_BOLD
        row += 1
    if row == FIRST_ROW:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        put_text(ws.cell(row, 1), "Không có tồn tại: mọi tiêu chí áp dụng đều đạt.")
        _style(ws.cell(row, 1), F_BODY, border=False)


# -- the data sheet -------------------------------------------------------------------------------------------


def _data_sheet(build: _Build) -> dict[str, str]:
    checklist = build.checklist
    ctx = build.ctx
    ws = build.wb.create_sheet(DATA_SHEET)
    answers_object = answer_json(checklist, build.answers) if ctx else {}
    identity = ctx.identity if ctx else None
    commune_code = build.commune.code if build.commune else None
    sealed = seal(answers=answers_object, checklist_id=checklist.id, checklist_version=checklist.version,
                  checklist_hash=checklist.content_hash, commune_code=commune_code, period=build.period,
                  assessment_id=identity.assessment_id if identity else None,
                  revision=identity.revision if identity else None,
                  status=identity.status if identity else None, format_version=FORMAT_VERSION)
    hashes = {}
    meta: list[tuple[str, Any]] = [
        ("format", FORMAT_NAME),
        ("format_version", FORMAT_VERSION),
        ("kind", build.kind),
        ("app_version", __version__),
        ("exported_at", build.now.isoformat(timespec="seconds")),
        ("checklist_id", checklist.id),
        ("checklist_version", checklist.version),
        ("checklist_hash", checklist.content_hash),
        ("commune_code", commune_code),
        ("commune_name", build.commune.name if build.commune else None),
        ("period", build.period),
    ]
    if ctx is not None:
        assert identity is not None
        result = ctx.result
        answers_text, sealed_text = sealed_texts(sealed)  # answers_object is answer_json(checklist, build.answers)
        hashes = {"answers_sha256": sha256_text(answers_text), "data_sha256": sha256_text(sealed_text)}
        meta += [
            ("assessment_id", identity.assessment_id),
            ("revision", identity.revision),
            ("status", identity.status),
            ("created_at", identity.created_at.isoformat(timespec="seconds") if identity.created_at else None),
            ("updated_at", identity.updated_at.isoformat(timespec="seconds") if identity.updated_at else None),
            ("finalized_at", identity.finalized_at.isoformat(timespec="seconds") if identity.finalized_at else None),
            ("respondent", ctx.respondent),
            ("score", round(result.score, 4)),
            ("level", result.level_id),
            ("critical_failed", result.critical_failed),
            ("answers_count", len(answers_object)),
            ("measurements", _measurements(checklist, build.answers)),
            ("answers_sha256", hashes["answers_sha256"]),
            ("data_sha256", hashes["data_sha256"]),
        ]
    meta += [
        ("cover_sheet", COVER_SHEET),
        ("commune_code_cell", build.cover_cells.get("commune_code")),
        ("period_cell", build.cover_cells.get("period")),
    ]
    if ctx is not None:  # the human sheets as written, so that an intact file is known without comparing each cell
        shown = {located.sheet for located in build.cells.values() if located.sheet}
        meta.append(("visible_sha256", visible_sha256(hashes["data_sha256"], [
            (ws.title, workbook_cells(ws)) for ws in build.wb.worksheets if ws.title in shown])))
    put_text(ws.cell(1, 1), "key")
    put_text(ws.cell(1, 2), "value")
    for row, (key, value) in enumerate(meta, start=2):
        put_text(ws.cell(row, 1), key)
        put_text(ws.cell(row, 2), None if value is None else str(value))
    row = len(meta) + 3
    for col, header in enumerate(ITEMS_HEADER, start=1):
        put_text(ws.cell(row, col), header)
    for item in checklist.items():
        row += 1
        located = build.cells.get(item.id)
        value = answers_object.get(item.id)
        value_text = None if value is None else canonical_json(value)
        source: str | None = None
        if ctx is not None and item.id in ctx.answers.values:
            if item.type is ItemType.TABLE:
                source = canonical_json([r.source for r in ctx.answers.rows(item.id)])
            else:
                source = ctx.answers.sources.get(item.id)
        cells = [item.id, checklist.number(item.id), item.type.value, None, source,
                 located.sheet if located else None, located.cell if located else None,
                 canonical_json(located.cells) if located and located.cells else None]
        for col, text in enumerate(cells, start=1):
            put_text(ws.cell(row, col), text)
        if value_text is not None:
            chunks = [value_text[i:i + VALUE_CHUNK] for i in range(0, len(value_text), VALUE_CHUNK)]
            put_text(ws.cell(row, 4), chunks[0])
            for extra, chunk in enumerate(chunks[1:], start=len(ITEMS_HEADER) + 1):
                put_text(ws.cell(row, extra), chunk)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 60
    ws.sheet_state = "veryHidden"
    _protect(ws)
    return hashes


def _measurements(checklist: Checklist, answers: Answers) -> str | None:
    """How and when probes took answers (informative, not sealed): ``{item: meta}``, a table
    ``{item: [meta or null per row]}``; ``None`` when nothing was measured."""
    out: dict[str, Any] = {}
    for item in checklist.items():
        value = answers.values.get(item.id)
        if value is None:
            continue
        if item.type is ItemType.TABLE:
            metas = [row.meta if automatic_source(row.source, row.meta) and row.meta else None
                     for row in answers.rows(item.id)]
            if any(metas):
                out[item.id] = metas
        elif automatic_source(answers.sources.get(item.id), answers.meta.get(item.id)) and answers.meta.get(item.id):
            out[item.id] = answers.meta[item.id]
    return canonical_json(out) if out else None


# -- public API -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteResult:
    path: Path
    kind: str
    answers_sha256: str | None = None
    data_sha256: str | None = None
    sheets: tuple[str, ...] = ()


def build_workbook(checklist: Checklist, *, kind: str, ctx: ExportContext | None = None, commune: Commune | None = None,
                   period: str | None = None, now: dt.datetime | None = None,
                   template_rows: int = TEMPLATE_ROWS) -> tuple[Workbook, dict[str, str]]:
    """The workbook in memory (not saved) and its hashes (submissions only)."""
    if kind not in ("submission", "template"):
        raise ValueError(kind)
    if kind == "submission" and ctx is None:
        raise ValueError("a submission needs an ExportContext")
    now = now or (ctx.exported_at if ctx else dt.datetime.now().astimezone())
    build = _Build(checklist=checklist, kind=kind, ctx=ctx, commune=ctx.commune if ctx else commune,
                   period=ctx.period if ctx else period, now=now, template_rows=template_rows)
    _plan(build)
    _cover(build)
    if not build.template:
        _gap_sheet(build)
    for index, section in enumerate(checklist.sections, start=1):
        _section_sheet(build, index, section)
    for item in checklist.items():
        if item.type is ItemType.TABLE:
            _table_sheet(build, item)
    for ws in build.wb.worksheets:
        fit_rows(ws, HEADER_ROW if ws.title != COVER_SHEET else 3)
    hashes = _data_sheet(build)
    if build.lists_ws is not None:
        build.wb.move_sheet(LISTS_SHEET, offset=len(build.wb.sheetnames) - 1 - build.wb.sheetnames.index(LISTS_SHEET))
    build.wb.active = 0
    if build.template:
        build.wb.security = WorkbookProtection(lockStructure=True)
    build.wb.properties.creator = f"Sẵn sàng Một cửa {__version__}"
    build.wb.properties.title = checklist.title.vi
    return build.wb, hashes


def write_submission(ctx: ExportContext, path: str | Path, *, verify: bool = True) -> WriteResult:
    """Write the submission workbook of one assessment; read it back and check before renaming into place."""
    wb, hashes = build_workbook(ctx.checklist, kind="submission", ctx=ctx)

    def check(temp: Path) -> None:
        from .reader import read_submission

        read = read_submission(temp, checklist=ctx.checklist)
        expected = answer_json(ctx.checklist, ctx.answers)
        got = answer_json(ctx.checklist, read.answers)
        if (read.kind != "submission" or not read.hash_ok or read.data_sha256 != hashes["data_sha256"]
                or canonical_json(got) != canonical_json(expected) or read.differences or read.problems):
            detail = "; ".join([*(str(p) for p in read.problems[:3]), *(str(d) for d in read.differences[:3])])
            raise ExchangeError("E-EXPORT-VERIFY", "Đọc lại tệp vừa ghi không khớp dữ liệu gốc; tệp chưa được lưu. "
                                f"{detail}".strip(), file=path)

    final = save_atomically(wb, Path(path), check if verify else None)
    return WriteResult(final, "submission", hashes.get("answers_sha256"), hashes.get("data_sha256"), tuple(wb.sheetnames))


def write_template(checklist: Checklist, path: str | Path, *, commune: Commune | None = None, period: str | None = None,
                   now: dt.datetime | None = None, template_rows: int = TEMPLATE_ROWS, verify: bool = True) -> WriteResult:
    """Write the fillable blank workbook (answer cells unlocked, drop-downs, validation)."""
    wb, _ = build_workbook(checklist, kind="template", commune=commune, period=period, now=now,
                           template_rows=template_rows)

    def check(temp: Path) -> None:
        from .reader import read_submission

        read = read_submission(temp, checklist=checklist)
        if read.kind != "template" or read.problems or read.answers.values:
            raise ExchangeError("E-EXPORT-VERIFY", "Đọc lại phiếu trống vừa ghi không đúng; tệp chưa được lưu.", file=path)

    final = save_atomically(wb, Path(path), check if verify else None)
    return WriteResult(final, "template", sheets=tuple(wb.sheetnames))


def save_atomically(wb: Workbook, path: Path, check: Callable[[Path], None] | None = None) -> Path:
    """Save to a temporary file beside ``path``, run ``check`` on it, then rename it over ``path``."""
    return atomic_write(path, lambda temp: save_workbook(wb, temp), check)


# How a temporary file's name begins (hidden, beside the file it becomes).  The report's document worker adds its
# process id (readiness.department.reports), so that what a worker terminated mid-write leaves can be found.
TEMP_PREFIX = ".~"


def atomic_write(path: Path, write: Callable[[Path], None], check: Callable[[Path], None] | None = None) -> Path:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExchangeError("E-EXPORT-FOLDER", f"Thư mục {folder} không tồn tại.", file=path)
    from ..paths import settle_mode

    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix or ".tmp", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            write(temp)
        except OSError as error:
            raise ExchangeError("E-EXPORT-WRITE", f"Không ghi được tệp: {error.strerror or error}.", file=path) from error
        if check is not None:
            check(temp)
        try:
            settle_mode(temp, path)  # the new file's mode, not mkstemp's owner-only one
            os.replace(temp, path)
        except PermissionError as error:
            raise ExchangeError("E-EXPORT-LOCKED", "Không thay được tệp cũ: tệp đang mở trong chương trình khác "
                                "(Excel?) hoặc không có quyền ghi. Đóng tệp rồi thử lại.", file=path) from error
        except OSError as error:
            raise ExchangeError("E-EXPORT-WRITE", f"Không ghi được tệp: {error.strerror or error}.", file=path) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


__all__ = [
    "COVER_SHEET", "DATA_SHEET", "FORMAT_NAME", "GAPS_SHEET", "LISTS_SHEET", "TEMPLATE_ROWS", "WriteResult",
    "answer_cell_value", "atomic_write", "build_workbook", "put_text", "write_submission", "write_template",
]
