"""The consolidated workbook (openpyxl, streamed in write-only mode so 3,321 communes fit in memory and time).

Sheets:

- ``Tổng hợp``: totals by state, communes per level, section averages, the most common gaps, and
  two native Excel bar charts (levels; section averages);
- ``Kết quả theo xã``: one row per commune of the scope (Vietnamese order), state, score, level,
  critical failures and the score of each section; colour scale on scores, level fills;
- one sheet per section: received communes × its criteria (Đạt / Chưa đạt / Không áp dụng /
  Chưa trả lời, filled green / red / grey / amber);
- ``Ma trận tồn tại``: communes × criteria not met somewhere (most frequent first);
- the investment needs when given (``Nhu cầu đầu tư``, ``Kinh phí ước tính``, ``Nhu cầu theo xã``, ``Đơn giá``:
  :mod:`readiness.department.needs_xlsx`);
- inventories: every table item (PCs, personal certificates — with the organisation
  certificates and days left —, video endpoints — with the main one) with the commune on each row;
- ``Kiến nghị``: the petitions with their handling.

Every sheet: frozen header, autofilter, widths that fit, A4 landscape fitted to the page width,
header row repeated on each printed page.

Text (commune names, petitions, inventories: what communes typed) goes in through
:mod:`readiness.xlsx_cells`, so none becomes a formula: the data rows of every table are written as
SpreadsheetML directly (``StreamedRows``: every string an inline string), the rows above them are appended
as ``row_of(...)``, and every styled text cell is a ``text_cell``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from ..bands import band, level_band, xlsx_colour
from ..numbers import round_score
from ..store.db import period_label
from ..xlsx_cells import row_of, text_cell
from .consolidate import Consolidation, Inventory, STATUS_LABELS, row_shower
from .petitions import DEPARTMENT, Petition, resolution_text
from .petitions import STATUS_LABELS as PETITION_LABELS
from .status import STATE_LABELS

SCORE_FORMAT = "0.0"
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
HEADER_FILL = "D9E1F2"
STATUS_FILLS = {  # status label -> fill
    STATUS_LABELS["pass"]: "C6EFCE",
    STATUS_LABELS["fail"]: "FFC7CE",
    STATUS_LABELS["missing"]: "FFEB9C",
    STATUS_LABELS["na"]: "EDEDED",
}
PETITION_FILLS = {"new": "FFEB9C", "forwarded": "DDEBF7", "answered": "E2EFDA", "resolved": "C6EFCE"}
GAP_MARK = "✗"
SAMPLE_ROWS = 400  # rows looked at to size the columns


def sheet_title(text: str, used: set[str]) -> str:
    """A legal, unique sheet name cut where a phrase ends (:func:`readiness.exchange.naming.sheet_title`)."""
    from ..exchange.naming import sheet_title as named

    return named(text, used)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


class _Sheet:
    """A write-only sheet: header cells styled, widths from the header and the first rows, print setup."""

    def __init__(self, book: Any, title: str, used: set[str]):
        self.ws = book.create_sheet(sheet_title(title, used))
        self.row = 0
        self.wrap_header = True
        self.widths: list[float] = []

    def setup(self, headers: list[str], sample: list[list[Any]], *, min_width: float = 6, max_width: float = 50,
              wrap_header: bool = True, fixed: dict[int, float] | None = None) -> None:
        ws = self.ws
        widths = []
        for index, header in enumerate(headers):
            longest = max((len(_display(row[index])) for row in sample if index < len(row)), default=0)
            head = max((len(word) for word in str(header).split()), default=4) + 2
            head = max(head, min(len(str(header)), 18))
            width = max(min_width, min(max_width, max(longest + 2, head)))
            if fixed and index in fixed:
                width = fixed[index]
            widths.append(width)
            ws.column_dimensions[_column_letter(index + 1)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        self.widths = widths
        self.wrap_header = wrap_header

    def header_row(self, headers: list[str], *, height: float | None = None) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        cells = []
        for text in headers:
            cell = text_cell(self.ws, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=self.wrap_header, vertical="center", horizontal="center")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cells.append(cell)
        if self.wrap_header and self.widths:  # tall enough for the longest title: nothing cut on screen or paper
            lines = max(header_lines(text, width) for text, width in zip(headers, self.widths))
            height = max(height or 0, lines * HEADER_LINE_POINTS + 6)
        if height:
            self.ws.row_dimensions[self.row + 1].height = height
        self.append(cells)

    def title_row(self, text: str, *, size: int = 13, bold: bool = True, italic: bool = False) -> None:
        from openpyxl.styles import Font

        cell = text_cell(self.ws, text)
        cell.font = Font(bold=bold, italic=italic, size=size)
        self.append([cell])

    def append(self, values: list[Any]) -> None:
        """The only way rows go in: every string of ``values`` stays text (never a formula)."""
        self.ws.append(row_of(self.ws, values))
        self.row += 1

    def table(self, headers: list[str], rows: Iterable[list[Any]], *, freeze_col: int = 1, header_height: float | None = None,
              fixed: dict[int, float] | None = None, date_columns: Iterable[int] = (), max_width: float = 50,
              streaming: Callable[[Any], None] | None = None) -> tuple[int, int]:
        """Header at row 1, data below; returns (first data row, last data row).

        The data rows are written as SpreadsheetML directly (:class:`readiness.xlsx_cells.StreamedRows`: the cells
        ``ws.append(row_of(ws, row))`` would make, about ten times faster), so the workbook is saved by
        :func:`readiness.xlsx_cells.save_workbook`, which puts them in.  ``streaming(streamed)`` is told the
        sheet's ``StreamedRows`` once the first rows (sampled for the widths) have been read, before the others."""
        iterator = iter(rows)
        sample: list[list[Any]] = []
        for row in iterator:
            sample.append(row)
            if len(sample) >= SAMPLE_ROWS:
                break
        self.setup(headers, sample, fixed=fixed, max_width=max_width)
        self.ws.freeze_panes = f"{_column_letter(freeze_col + 1)}2"
        self.ws.print_title_rows = "1:1"
        self.header_row(headers, height=header_height)
        dates = set(date_columns)
        first = self.row + 1
        from ..xlsx_cells import StreamedRows

        streamed = StreamedRows(self.ws, self.row)
        for index in dates:
            streamed.date_column(index, self._date(dt.date(2000, 1, 1)))
        if streaming is not None:
            streaming(streamed)
        for row in _chain(sample, iterator):
            streamed.append(row)
        self.row = streamed.row
        last = max(self.row, first)
        self.ws.auto_filter.ref = f"A1:{_column_letter(len(headers))}{last}"
        return first, last

    def percent(self, value: float) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = PERCENT_FORMAT
        return cell

    def _date(self, value: dt.date) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)  # type: ignore[arg-type]  # openpyxl writes a date (the stubs say datetime)
        cell.number_format = DATE_FORMAT
        return cell


Sheet = _Sheet  # for the other workbooks of the department (readiness.department.needs_xlsx)


def _chain(first: list[list[Any]], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield from first
    yield from rest


HEADER_LINE_POINTS = 15  # one line of the 11-point bold header


def header_lines(text: Any, width: float) -> int:
    """How many lines a bold 11-point header takes in a column ``width`` characters wide."""
    from ..exchange.xlsx import wrapped_lines

    return wrapped_lines(text, width, per_unit=1 / 1.15)


def _display(value: Any) -> str:
    # a styled cell: its value (openpyxl's WriteOnlyCell is a function that returns a Cell, so no class name
    # tells it; a Cell's own text would be «<Cell 'Sheet'.A1>», 28 wide)
    if hasattr(value, "column") and hasattr(value, "value"):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return "00/00/0000"
    return str(value)


class _Bands:
    """Score cells in the colours of :mod:`readiness.bands` (the checklist's levels), one style per band."""

    def __init__(self, ws: Any, checklist: Any, *, streamed: bool = False):
        self.ws = ws
        self.checklist = checklist
        self._styles: dict[str, Any] = {}  # colour -> the cells' StyleArray
        # Rows streamed as XML (_Sheet.table) only read their cells: one cell per (score, level) serves every row
        # that shows it (53,000 section scores of 3,321 communes).  Cells appended to a worksheet are placed (their
        # row and column set), so each is new there.
        self._made: dict[tuple[float, str | None], Any] | None = {} if streamed else None

    def cell(self, value: float | None, level_id: str | None = None) -> Any:
        """A score rounded as everywhere; the level's colours when the row shows its level, else the number's band."""
        if value is None:
            return None
        if self._made is None:
            return self._cell(value, level_id)
        made = self._made.get((value, level_id))
        if made is None:
            made = self._made[(value, level_id)] = self._cell(value, level_id)
        return made

    def _cell(self, value: float, level_id: str | None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        chosen = band(self.checklist, value, level_id)
        style = self._styles.get(chosen.colour)
        if style is None:  # the band's cell style, registered in the workbook once
            prototype: Any = WriteOnlyCell(self.ws)
            prototype.number_format = SCORE_FORMAT
            prototype.fill = PatternFill("solid", fgColor=xlsx_colour(chosen.background))
            prototype.font = Font(color=xlsx_colour(chosen.text))
            style = self._styles[chosen.colour] = prototype._style  # openpyxl's StyleArray of the cell
        cell: Any = WriteOnlyCell(self.ws, value=round_score(value))
        cell._style = copy(style)
        return cell


def _level_fill(checklist: Any, level_id: str) -> str:
    return xlsx_colour(level_band(checklist, level_id).background)


def _equals_fill(ws: Any, ref: str, text: str, fill: str) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    quoted = '"' + text.replace('"', '""') + '"'
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[quoted],
                                                  fill=PatternFill("solid", bgColor=fill, fgColor=fill)))


# -- the sheets --------------------------------------------------------------------------------------


def _summary(book: Any, used: set[str], c: Consolidation, petitions: list[Petition]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.marker import DataPoint

    sheet = _Sheet(book, "Tổng hợp", used)
    status = c.status
    ws = sheet.ws
    for letter, width in zip("ABCD", (64, 20, 12, 12)):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1  # the summary on one page: a block never printed apart from its heading
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    scope = status.filters.describe()
    sheet.title_row(f"TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG HẠ TẦNG CNTT CỦA BỘ PHẬN MỘT CỬA CẤP XÃ — "
                    f"KỲ {period_label(c.period)}", size=14)
    sheet.title_row(f"Bảng kiểm {c.checklist.key}; lập lúc {c.generated_at.astimezone().strftime('%d/%m/%Y %H:%M')}"
                    + (f"; phạm vi: {scope}" if scope else ""), size=11, bold=False, italic=True)
    sheet.append([])
    sheet.header_row(["Tình hình nộp", "Số đơn vị", "Tỷ lệ"])
    expected = status.expected or 1
    pct = sheet.percent
    sheet.append(["Phải nộp", status.expected, pct(1.0 if status.expected else 0.0)])
    sheet.append(["Đã nhận (đã hoàn thành)", status.received, pct(status.received / expected)])
    for state in ("submitted", "resubmitted", "outdated", "draft", "missing"):
        count = status.by_state.get(state, 0)
        sheet.append([f"  {STATE_LABELS[state]}", count, pct(count / expected)])
    cycle = status.cycle
    if cycle is not None:
        from .cycle import vn_date

        sheet.append(["Hạn nộp", vn_date(cycle.deadline) if cycle.deadline else "Chưa đặt hạn nộp", None])
        if cycle.deadline is not None:
            sheet.append(["Đúng hạn", cycle.on_time, pct(cycle.on_time / expected)])
            sheet.append(["Sau hạn", cycle.late, pct(cycle.late / expected)])
        if cycle.held:
            sheet.append(["Có bản sửa bị giữ lại", cycle.held, pct(cycle.held / expected)])
        if cycle.refused:
            sheet.append(["Có tệp bị từ chối, chưa tiếp nhận", cycle.refused, pct(cycle.refused / expected)])
    sheet.append([])
    sheet.header_row(["Mức độ sẵn sàng", "Số đơn vị", "Tỷ lệ"])
    level_first = sheet.row + 1
    for level_count in c.levels:
        sheet.append([level_count.level.label, level_count.count, pct(level_count.share)])
    level_last = sheet.row
    average = c.average_score()
    bands = _Bands(ws, c.checklist)
    sheet.append(["Điểm bình quân", bands.cell(average), None])
    sheet.append([])
    sheet.header_row(["Nội dung", "Điểm bình quân"])
    section_first = sheet.row + 1
    for section in c.sections:
        sheet.append([f"{section.number}. {section.title}", bands.cell(c.section_averages.get(section.id))])
    section_last = sheet.row
    sheet.append([])
    sheet.header_row(["Những tồn tại phổ biến (tiêu chí)", "Số đơn vị chưa đạt", "Tỷ lệ", "Trọng yếu"])
    for gap in [g for g in c.common_gaps if g.count][:20]:
        sheet.append([f"{gap.criterion.number} {gap.criterion.label}", gap.count, pct(gap.share),
                      "Có" if gap.criterion.critical else ""])
    sheet.append([])
    sheet.header_row(["Kiến nghị của địa phương", "Số nội dung"])
    counts = {s: 0 for s in PETITION_LABELS}
    for petition in petitions:
        counts[petition.status] = counts.get(petition.status, 0) + 1
    sheet.append(["Tổng số", len(petitions)])
    for key, label in PETITION_LABELS.items():
        sheet.append([f"  {label}", counts.get(key, 0)])

    for level_count in c.levels:
        _equals_fill(ws, f"A{level_first}:A{level_last}", level_count.level.label, _level_fill(c.checklist, level_count.level.id))

    chart = BarChart()
    chart.type = "col"
    chart.title = "Số đơn vị theo mức độ sẵn sàng"
    chart.y_axis.title = "Số đơn vị"
    chart.legend = None
    data = Reference(ws, min_col=2, min_row=level_first - 1, max_row=level_last)
    categories = Reference(ws, min_col=1, min_row=level_first, max_row=level_last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    series = chart.series[0]
    for index, level_count in enumerate(c.levels):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = level_count.level.color.lstrip("#")
        series.dPt.append(point)
    series.dLbls = _value_labels(DataLabelList)
    _show_axes(chart)
    chart.height, chart.width = 7.5, 14
    ws.add_chart(chart, "F4")

    bars = BarChart()
    bars.type = "bar"
    bars.title = "Điểm bình quân theo từng nội dung"
    bars.legend = None
    bars.y_axis.scaling.min = 0
    bars.y_axis.scaling.max = 100
    bars.x_axis.scaling.orientation = "maxMin"  # first section on top
    data = Reference(ws, min_col=2, min_row=section_first - 1, max_row=section_last)
    categories = Reference(ws, min_col=1, min_row=section_first, max_row=section_last)
    bars.add_data(data, titles_from_data=True)
    bars.set_categories(categories)
    bars.series[0].graphicalProperties.solidFill = "4472C4"
    for index, section in enumerate(c.sections):  # each bar in the colour of its band, as everywhere
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = xlsx_colour(band(c.checklist, c.section_averages.get(section.id)).colour)
        bars.series[0].dPt.append(point)
    bars.series[0].dLbls = _value_labels(DataLabelList)
    _show_axes(bars)
    bars.height, bars.width = 9, 16
    ws.add_chart(bars, "F21")


def _value_labels(factory: Any) -> Any:
    """Data labels with the value only (LibreOffice otherwise adds the series and category names)."""
    labels = factory()
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = labels.showPercent = False
    return labels


def _show_axes(chart: Any) -> None:
    """openpyxl 3.1 writes axes as deleted unless told otherwise: Excel would show bars without scales."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _communes(book: Any, used: set[str], c: Consolidation) -> None:
    from ..signing.errors import status_label

    status = c.status
    labels = status.level_labels
    sections = c.sections
    from .rollup import spans_provinces

    national = spans_provinces(c)  # across provinces the column holds the province (filter, pivot by it)
    headers = ["STT", "Mã xã", "Đơn vị", "Loại", "Tỉnh, thành phố" if national else "Tỉnh (trước sắp xếp)", "Trạng thái", "Lần nộp", "Phiên bản bảng kiểm",
               "Ngày hoàn thành", "Điểm", "Mức độ sẵn sàng", "Tiêu chí trọng yếu chưa đạt"]
    headers += [f"{s.number}. {s.title}" for s in sections]
    headers += ["Chữ ký số"]  # readiness.signing: the imported file's signature (last, so the columns above keep their places)
    headers += ["Thời hạn", "Ngày Sở nhận"]  # readiness.department.cycle: against the period's deadline
    rows_in_scope = status.rows if not (status.filters.state or status.filters.level) else c.rows

    sheet = _Sheet(book, "Kết quả theo xã", used)
    bands = _Bands(sheet.ws, c.checklist, streamed=True)

    def rows() -> Iterator[list[Any]]:
        for index, row in enumerate(rows_in_scope, start=1):
            submitted = row.submitted_at.astimezone().date() if row.submitted_at else None
            place = row.province_name if national else row.former_province or ""
            values = [index, row.code, row.name, row.kind, place, row.state_label,
                      row.revision, row.checklist_version, submitted, bands.cell(row.score, row.level),
                      labels.get(row.level or "", row.level or "") + (" (tạm tính)" if row.provisional else ""),
                      row.critical_failed]
            values += [bands.cell((row.section_scores or {}).get(s.id)) for s in sections]
            values += [status_label(row.signature)]
            values += _cycle_cells(row)
            yield values

    first, last = sheet.table(headers, rows(), freeze_col=3, header_height=48, date_columns=[8, len(headers) - 1],
                              fixed={i: 13 for i in range(12, 12 + len(sections))})
    ws = sheet.ws
    level_col = _column_letter(11)
    for level in status.levels:
        _equals_fill(ws, f"{level_col}{first}:{level_col}{last}", level.label, _level_fill(c.checklist, level.id))
    state_col = _column_letter(6)
    _equals_fill(ws, f"{state_col}{first}:{state_col}{last}", STATE_LABELS["missing"], "EDEDED")
    _equals_fill(ws, f"{state_col}{first}:{state_col}{last}", STATE_LABELS["draft"], "FFEB9C")


def _cycle_cells(row: Any) -> list[Any]:
    """«Đúng hạn» / «Sau hạn 3 ngày» / «Chưa nộp» / …, and the day the department received the first revision."""
    cycle = row.cycle
    if cycle is None:
        return [None, None]
    if cycle.timeliness == "late":
        text = f"Sau hạn {cycle.days_late} ngày" if cycle.days_late else "Sau hạn"
    elif cycle.timeliness == "on_time":
        text = "Đúng hạn"
    else:
        text = cycle.label
    if cycle.state == "held":
        text += " (có bản giữ lại)"
    received = None
    if cycle.first is not None and cycle.first.received_at is not None:
        from .cycle import local

        received = local(cycle.first.received_at).date()
    return [text, received]


def _section_sheets(book: Any, used: set[str], c: Consolidation) -> None:
    by_section: dict[str, list] = {}
    for criterion in c.criteria:
        by_section.setdefault(criterion.section_id, []).append(criterion)
    labels = c.status.level_labels
    place = _province_column(c)
    extra = 1 if place else 0
    for section in c.sections:
        criteria = by_section.get(section.id, [])
        headers = ["STT", "Mã xã", "Đơn vị", *(["Tỉnh, thành phố"] if place else []), "Mức độ sẵn sàng",
                   f"Điểm phần {section.number}"]
        headers += [f"{cr.number} {cr.label}" + (" (trọng yếu)" if cr.critical else "") for cr in criteria]

        sheet = _Sheet(book, f"{section.number}. {section.title}", used)
        bands = _Bands(sheet.ws, c.checklist, streamed=True)

        def rows(criteria=criteria, section=section, bands=bands) -> Iterator[list[Any]]:
            for index, row in enumerate(c.rows, start=1):
                statuses = row.result.statuses if row.result else {}
                values = [index, row.code, row.name, *([place(row.code)] if place else []),
                          labels.get(row.level or "", row.level or ""),
                          bands.cell((row.section_scores or {}).get(section.id))]
                values += [STATUS_LABELS.get(statuses.get(cr.item_id, ""), "") for cr in criteria]
                yield values

        first, last = sheet.table(headers, rows(), freeze_col=3, header_height=90,
                                  fixed={i: 14 for i in range(5 + extra, 5 + extra + len(criteria))})
        ws = sheet.ws
        if criteria:
            ref = f"{_column_letter(6 + extra)}{first}:{_column_letter(5 + extra + len(criteria))}{last}"
            for text, fill in STATUS_FILLS.items():
                _equals_fill(ws, ref, text, fill)


def _gap_matrix(book: Any, used: set[str], c: Consolidation) -> None:
    gaps = [g for g in c.common_gaps if g.count]
    labels = c.status.level_labels
    place = _province_column(c)
    extra = 1 if place else 0
    headers = ["STT", "Mã xã", "Đơn vị", *(["Tỉnh, thành phố"] if place else []), "Mức độ sẵn sàng",
               "Số tiêu chí chưa đạt"]
    headers += [f"{g.criterion.number} {g.criterion.label} — {g.count} đơn vị" for g in gaps]

    def rows() -> Iterator[list[Any]]:
        for index, row in enumerate(c.rows, start=1):
            statuses = row.result.statuses if row.result else {}
            marks = [GAP_MARK if statuses.get(g.criterion.item_id) in ("fail", "missing") else None for g in gaps]
            yield [index, row.code, row.name, *([place(row.code)] if place else []),
                   labels.get(row.level or "", row.level or ""), sum(1 for m in marks if m)] + marks

    sheet = _Sheet(book, "Ma trận tồn tại", used)
    first, last = sheet.table(headers, rows(), freeze_col=3, header_height=110,
                              fixed={i: 9 for i in range(5 + extra, 5 + extra + len(gaps))})
    if gaps:
        _equals_fill(sheet.ws, f"{_column_letter(6 + extra)}{first}:{_column_letter(5 + extra + len(gaps))}{last}",
                     GAP_MARK, "FFC7CE")


def _inventories(book: Any, used: set[str], c: Consolidation, inventories: list[Inventory], as_of: dt.date,
                 stop: Callable[[], None] = lambda: None) -> None:
    place = _province_column(c)
    extra = 1 if place else 0
    for inventory in inventories:
        columns = inventory.columns
        certificates = {"holder", "expiry"} <= {col.id for col in columns}
        computed = inventory.computed
        headers = ["STT", "Mã xã", "Đơn vị", *(["Tỉnh, thành phố"] if place else []), "Số TT trong xã"]
        headers += [col.label + (f" ({col.unit})" if col.unit else "") for col in columns]
        if certificates:
            headers.append(f"Còn hạn (ngày, tính đến {as_of.strftime('%d/%m/%Y')})")
        headers += [col.label for col in computed]
        date_columns = [4 + extra + i for i, col in enumerate(columns) if col.kind == "date"]

        stored_cells = _StoredCells(inventory, columns, 4 + extra)

        def rows(inventory=inventory, columns=columns, certificates=certificates, computed=computed,
                 stored_cells=stored_cells) -> Iterator[list[Any]]:
            show_row = row_shower(inventory, columns)
            computed_ids = [col.id for col in computed]
            commune: Any = None
            asked = 0  # the row at which ``cancelled()`` was last asked
            for index, (row, number, values, stored) in enumerate(inventory.rows.stored(), start=1):
                if row is not commune:  # a commune's rows come together: its cells made once
                    if index - asked >= STOP_EVERY:
                        stop()
                        asked = index
                    commune = row
                    cells = [row.code, row.name, *([place(row.code)] if place else [])]
                line = [index, *cells, number]
                line += show_row(values) if stored is None else stored_cells.cells(stored)
                if certificates:
                    expiry = values.get("expiry") if stored is None else stored_cells.typed(stored, "expiry")
                    line.append((expiry - as_of).days if isinstance(expiry, dt.date) else None)
                get = values.get
                line += [get(column_id) or None for column_id in computed_ids]
                yield line

        title = {"pcs": "Máy tính", "certificates": "Chứng thư số", "vc_endpoints": "Điểm cầu HNTH"}.get(
            inventory.item_id, f"{inventory.number} {inventory.title}")
        sheet = _Sheet(book, title, used)
        first, last = sheet.table(headers, rows(), freeze_col=3, header_height=45, date_columns=date_columns,
                                  max_width=40, streaming=stored_cells.attach)
        if computed:
            meets = _column_letter(len(headers) - len(computed) + 1)
            _equals_fill(sheet.ws, f"{meets}{first}:{meets}{last}", "Chưa đạt", "FFC7CE")
            _equals_fill(sheet.ws, f"{meets}{first}:{meets}{last}", "Đạt", "C6EFCE")
        if certificates:
            from openpyxl.formatting.rule import CellIsRule
            from openpyxl.styles import PatternFill

            col = _column_letter(len(headers) - len(computed))
            ref = f"{col}{first}:{col}{last}"
            sheet.ws.conditional_formatting.add(ref, CellIsRule(operator="lessThan", formula=["0"],
                                                                fill=PatternFill("solid", bgColor="FFC7CE")))
            sheet.ws.conditional_formatting.add(ref, CellIsRule(operator="between", formula=["0", "60"],
                                                                fill=PatternFill("solid", bgColor="FFEB9C")))


class _StoredCells:
    """An inventory's checklist columns for its table rows as stored (``InventoryRows.stored``): each value typed
    and shown as the typed rows show it (:func:`readiness.department.consolidate.stored_cell_shower`), then, once
    the sheet streams its rows (:meth:`attach`), as the cell :class:`readiness.xlsx_cells.StreamedRows` writes for
    it (``StreamedRows.tail``), made once per column and stored value (140,000 PCs repeat a few thousand values).
    The rows read first, for the columns' widths, get the shown values themselves."""

    def __init__(self, inventory: Inventory, columns: list[Any], first: int):
        self.inventory = inventory
        self.columns = columns
        self.first = first  # the sheet's column (0-based) of the first checklist column
        self.streamed: Any = None
        self._items: dict[int, tuple[Any, list[Any]]] = {}  # id(table item) -> (item, per column: its cells)
        self._specs: dict[tuple[int, str], Any] = {}  # (id(table item), column id) -> its column (None: none)

    def attach(self, streamed: Any) -> None:
        self.streamed = streamed
        self._items.clear()  # made for shown values: made again for tails

    def _of(self, item: Any) -> list[Any]:
        known = self._items.get(id(item))
        if known is None:
            from .consolidate import stored_cell_shower

            made: list[Any] = []
            for index, column in enumerate(self.columns):
                show = stored_cell_shower(self.inventory, column, item)
                made.append((column.id, show, {}, {}, self.first + index))
            known = self._items[id(item)] = (item, made)  # the item kept: its id stays its own
        return known[1]

    def typed(self, stored: Any, column_id: str) -> Any:
        from .bulk import typed_value

        key = (id(stored.item), column_id)
        if key not in self._specs:
            self._of(stored.item)  # keeps the item: its id stays its own
            self._specs[key] = next((c for c in (stored.item.columns or ()) if c.id == column_id), None)
        spec = self._specs[key]
        return None if spec is None else typed_value(spec, stored.values.get(column_id))

    def cells(self, stored: Any) -> list[Any]:
        columns = self._of(stored.item)
        get = stored.values.get
        streamed = self.streamed
        if streamed is None:
            return [show(get(column_id)) for column_id, show, _texts, _others, _index in columns]
        out: list[Any] = []
        add = out.append
        for column_id, show, texts, others, index in columns:
            value = get(column_id)
            kind = type(value)
            if kind is str:
                tail = texts.get(value)
                if tail is None:
                    if len(texts) >= _REMEMBERED:
                        texts.clear()
                    tail = texts[value] = streamed.tail(index, show(value))
            elif kind is list or kind is dict:  # a multiple choice (or odd JSON): not remembered
                tail = streamed.tail(index, show(value))
            else:  # None, numbers, booleans: by type too (True, 1 and 1.0 are equal keys)
                key = (kind, value)
                tail = others.get(key)
                if tail is None:
                    if len(others) >= _REMEMBERED:
                        others.clear()
                    tail = others[key] = streamed.tail(index, show(value))
            add(tail)
        return out


_REMEMBERED = 4096  # cells remembered per column (texts, other values) before they are forgotten and made anew


def _petitions(book: Any, used: set[str], petitions: list[Petition], c: Consolidation | None = None,
               department: str = DEPARTMENT) -> None:
    place = _province_column(c) if c is not None else None
    headers = ["STT", "Số kiến nghị", "Mã xã", "Đơn vị", *(["Tỉnh, thành phố"] if place else []), "Kỳ", "Lĩnh vực",
               "Khó khăn, vướng mắc", "Đề xuất, kiến nghị", "Kính gửi", "Trạng thái", "Cơ quan được chuyển",
               "Văn bản trả lời", "Nội dung trả lời", "Tình hình giải quyết"]

    def rows() -> Iterator[list[Any]]:
        for index, p in enumerate(petitions, start=1):
            yield [index, p.id, p.commune_code, p.commune_name, *([place(p.commune_code)] if place else []),
                   period_label(p.period), p.topic_label, p.difficulty, p.proposal, p.addressed_to, p.status_label,
                   p.forwarded_to, p.response_ref, p.response, resolution_text(p, department)]

    sheet = _Sheet(book, "Kiến nghị", used)
    first, last = sheet.table(headers, rows(), freeze_col=4, header_height=32, max_width=60)
    col = _column_letter(10 + (1 if place else 0))
    for key, label in PETITION_LABELS.items():
        _equals_fill(sheet.ws, f"{col}{first}:{col}{last}", label, PETITION_FILLS[key])


def _province_column(c: Consolidation) -> Any:
    """Across provinces every data sheet gets a «Tỉnh, thành phố» column (to filter and pivot by): a function
    commune code -> province name; None when the scope is one province."""
    from ..register import province_name_of
    from .rollup import spans_provinces

    if not spans_provinces(c):
        return None
    names = {row.code: row.province_name for row in c.status.rows}
    names.update((row.code, row.province_name) for row in c.rows)
    return lambda code: names.get(code) or province_name_of(code) or ""


def _provinces(book: Any, used: set[str], c: Consolidation) -> None:
    """«Theo tỉnh»: one row per province when the scope spans provinces (readiness.department.rollup)."""
    from .rollup import province_rollup

    levels = c.status.levels
    headers = ["STT", "Mã tỉnh", "Tỉnh, thành phố", "Phải nộp", "Đã nhận", "Tỷ lệ đã nhận", "Điểm bình quân"]
    headers += [level.label for level in levels]
    sheet = _Sheet(book, "Theo tỉnh", used)

    def rows() -> Iterator[list[Any]]:
        for index, p in enumerate(province_rollup(c), start=1):
            mean = p.mean_score
            yield ([index, p.code, p.name, p.expected, p.received, sheet.percent(p.share),
                    None if mean is None else round(mean, 1)] + [p.levels.get(level.id, 0) for level in levels])

    sheet.table(headers, rows(), freeze_col=3, header_height=32)


class _Stopped(Exception):
    """``cancelled()`` said stop while the workbook was being made (control flow: :func:`write_report_xlsx` then
    writes nothing and returns None)."""


STOP_EVERY = 500  # an inventory asks ``cancelled()`` at the first commune after this many rows (~10 ms of work)


def build_workbook(c: Consolidation, petitions: list[Petition], inventories: list[Inventory] | None = None, *,
                   as_of: dt.date | None = None, more_sheets: Sequence[Callable[[Any, set[str]], None]] = (),
                   department: str = DEPARTMENT, cancelled: Callable[[], bool] | None = None) -> Any:
    """The workbook, its tables' data rows held aside as XML until :func:`readiness.xlsx_cells.save_workbook`
    saves it (``book.save`` alone would leave them out).

    ``more_sheets``: writers of further sheets, ``(book, used sheet names)``, called after the gap matrix
    (the investment needs: :func:`readiness.department.needs_xlsx.needs_sheets`, which builds on this module).
    ``department``: the department's short name (the document settings' ``short_name``), in the «Kiến nghị»
    sheet's «Tình hình giải quyết» as in the Word and PDF reports.  ``cancelled``: asked before each sheet and
    while an inventory's rows are written; when it says stop, :class:`_Stopped` is raised."""
    from openpyxl import Workbook

    def stop() -> None:
        if cancelled is not None and cancelled():
            raise _Stopped

    book = Workbook(write_only=True)
    used: set[str] = set()
    _summary(book, used, c, petitions)
    from .rollup import spans_provinces

    stop()
    if spans_provinces(c):
        _provinces(book, used, c)
    _communes(book, used, c)
    stop()
    _section_sheets(book, used, c)
    _gap_matrix(book, used, c)
    for write_sheets in more_sheets:
        stop()
        write_sheets(book, used)
    if inventories:
        stop()
        _inventories(book, used, c, inventories, as_of or c.today or dt.date.today(), stop)
    stop()
    _petitions(book, used, petitions, c, department)
    book.properties.title = f"Tổng hợp kết quả tự đánh giá kỳ {period_label(c.period)}"
    book.properties.creator = "Sẵn sàng Một cửa — Sở Khoa học và Công nghệ"
    return book


def write_report_xlsx(c: Consolidation, petitions: list[Petition], path: str | Path,
                      inventories: list[Inventory] | None = None, *, as_of: dt.date | None = None,
                      more_sheets: Sequence[Callable[[Any, set[str]], None]] = (), department: str = DEPARTMENT,
                      cancelled: Callable[[], bool] | None = None) -> Path | None:
    """Write atomically (a temporary file beside ``path``, checked, then renamed).  ``cancelled``: see
    :func:`build_workbook`; when it said stop, nothing is written (the temporary file removed) and None is
    returned."""
    import zipfile

    from ..exchange.errors import ExchangeError
    from ..exchange.xlsx import atomic_write
    from ..xlsx_cells import save_workbook

    def write(temp: Path) -> None:
        save_workbook(build_workbook(c, petitions, inventories, as_of=as_of, more_sheets=more_sheets,
                                     department=department, cancelled=cancelled), temp)

    def check(temp: Path) -> None:
        try:
            with zipfile.ZipFile(temp) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no xl/workbook.xml")
        except zipfile.BadZipFile as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Tệp Excel vừa ghi không đầy đủ ({error}); tệp chưa được lưu.",
                                file=path) from None

    try:
        return atomic_write(Path(path), write, check)
    except _Stopped:
        return None
