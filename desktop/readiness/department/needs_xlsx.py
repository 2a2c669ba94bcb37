"""The investment needs as a workbook: ``readiness needs --xlsx``, and sheets of the consolidated workbook.

Sheets (each with a frozen header, an autofilter, A4 landscape fitted to the page width):

- ``Nhu cầu đầu tư``: every need (PCs below the minimum and why, Windows 10 or older, officers without a
  PC, counters without a printer or scanner, certificates, video endpoint, backup line, TSLCD, UPS), how
  many, in how many communes, and which;
- ``Kinh phí ước tính``: per priced item the quantity, unit price, amount and its source, and the total;
- ``Nhu cầu theo xã``: one row per commune, a column per need and per priced item, the commune's cost:
  filter and pivot it;
- ``Đơn giá``: the prices used, their source, basis and date (and the file's figure where the
  department changed it).

Amounts are numbers (đồng) with a thousands format, so they add up; commune names and the prices'
basis (typed by the department) go in through :mod:`readiness.xlsx_cells` like every text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..store.db import period_label
from .needs import GROUPS, NeedsReport
from .report_xlsx import Sheet, _column_letter, _equals_fill

MONEY_FORMAT = '#,##0'
MAX_LISTED = 200  # communes named in one cell of «Nhu cầu đầu tư» (all of them are in «Nhu cầu theo xã»)


def _group_title(group: str) -> str:
    return next((title for gid, title, _ in GROUPS if gid == group), group)


def _headed(report: NeedsReport) -> list[tuple[Any, str]]:
    """(total, column header) per need: a detail line says which line it details."""
    out = []
    parent = None
    for total in report.lines:
        if not total.line.detail:
            parent = total.line
            out.append((total, f"{total.line.label} ({total.line.unit})"))
        else:
            out.append((total, f"{parent.label if parent else ''}: {total.line.label} ({total.line.unit})"))
    return out


def _money(sheet: Sheet, value: int) -> Any:
    from openpyxl.cell import WriteOnlyCell

    from openpyxl.styles import Alignment

    cell = WriteOnlyCell(sheet.ws, value=value)
    cell.number_format = MONEY_FORMAT
    cell.alignment = Alignment(vertical="top")
    return cell


def _wrapped(sheet: Sheet, text: str) -> Any:
    """A text cell that wraps in its column (a long list of communes prints on the page, not beyond it)."""
    from openpyxl.styles import Alignment

    from ..xlsx_cells import text_cell

    cell = text_cell(sheet.ws, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _top(sheet: Sheet, value: int) -> Any:
    """A count, at the top of its row, grouped by thousands as the reader's spreadsheet does (1.178)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    cell = WriteOnlyCell(sheet.ws, value=value)
    cell.number_format = MONEY_FORMAT
    cell.alignment = Alignment(vertical="top")
    return cell


def _fit_height(sheet: Sheet, row: int, cells: list[tuple[str, float]]) -> None:
    """Give ``row`` the height its wrapped texts need ((text, column width in characters) each): spreadsheets
    do not grow a row for wrapped text they open."""
    import textwrap

    # a column's width counts the digit «0»; an average character of these texts (names, digits, brackets) is
    # about 0.82 of it in Calibri and its stand-ins (measured in a LibreOffice rendering), and lines break between
    # words
    lines = max([1] + [len(textwrap.wrap(text, width=max(int((width - 1) / 0.82), 1))) for text, width in cells if text])
    if lines > 1:
        sheet.ws.row_dimensions[row].height = 15 * lines


def _lines_sheet(book: Any, used: set[str], report: NeedsReport) -> None:
    headers = ["STT", "Nhóm", "Nội dung", "Số lượng", "Đơn vị tính", "Số đơn vị", "Các đơn vị (số lượng)"]
    sheet = Sheet(book, "Nhu cầu đầu tư", used)

    def rows() -> Iterator[list[Any]]:
        for index, total in enumerate(report.lines, start=1):
            line = total.line
            names = [name if line.unit == "xã" else f"{name} ({count})" for _code, name, count in total.communes]
            listed = ", ".join(names[:MAX_LISTED])
            if len(names) > MAX_LISTED:
                listed += f" và {len(names) - MAX_LISTED} đơn vị khác (xem sheet «Nhu cầu theo xã»)"
            label = ("   - " if line.detail else "") + line.label
            group = _group_title(line.group)
            _fit_height(sheet, index + 1, [(group, 22), (label, 44), (listed, 90)])
            yield [_top(sheet, index), _wrapped(sheet, group), _wrapped(sheet, label), _top(sheet, total.count),
                   _wrapped(sheet, line.unit), _top(sheet, len(total.communes)), _wrapped(sheet, listed)]

    sheet.table(headers, rows(), freeze_col=3, header_height=32, fixed={1: 22, 2: 44, 6: 90}, max_width=90)


def _costs_sheet(book: Any, used: set[str], report: NeedsReport) -> None:
    headers = ["STT", "Hạng mục", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)", "Số đơn vị",
               "Nguồn đơn giá"]
    sheet = Sheet(book, "Kinh phí ước tính", used)

    def rows() -> Iterator[list[Any]]:
        for index, cost in enumerate(report.costs, start=1):
            price = report.prices[cost.price_id]
            _fit_height(sheet, index + 1, [(cost.label, 70)])
            yield [_top(sheet, index), _wrapped(sheet, cost.label), _wrapped(sheet, cost.unit), _top(sheet, cost.quantity),
                   _money(sheet, cost.unit_price), _money(sheet, cost.amount), _top(sheet, cost.communes),
                   _wrapped(sheet, f"{price.source_label()}, {price.date.strftime('%d/%m/%Y')}")]
        yield [None, "Tổng cộng", None, None, None, _money(sheet, report.total_cost), report.received, None]

    sheet.table(headers, rows(), freeze_col=2, header_height=32, fixed={1: 70, 4: 16, 5: 18}, max_width=70)


def _communes_sheet(book: Any, used: set[str], report: NeedsReport) -> None:
    headed = _headed(report)
    costs = [(c.price_id, c.label) for c in report.costs]
    headers = ["STT", "Mã xã", "Đơn vị", "Loại", "Tỉnh"] + [h for _, h in headed]
    headers += [f"Số lượng: {label}" for _, label in costs] + ["Kinh phí ước tính (đồng)"]
    sheet = Sheet(book, "Nhu cầu theo xã", used)

    def rows() -> Iterator[list[Any]]:
        for index, commune in enumerate(report.communes, start=1):
            values: list[Any] = [index, commune.code, commune.name, commune.kind, commune.province_name]
            values += [commune.counts.get(total.line.id, 0) for total, _ in headed]
            values += [commune.quantities.get(pid, 0) for pid, _ in costs]
            values.append(_money(sheet, commune.cost))
            yield values

    count_columns = len(headed) + len(costs)
    fixed: dict[int, float] = {i: 12 for i in range(5, 5 + count_columns)}
    fixed[5 + count_columns] = 18
    first, last = sheet.table(headers, rows(), freeze_col=3, header_height=120, fixed=fixed)
    if report.communes and headed:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill

        ref = f"{_column_letter(6)}{first}:{_column_letter(5 + len(headed))}{last}"
        sheet.ws.conditional_formatting.add(ref, CellIsRule(operator="greaterThan", formula=["0"],
                                                            fill=PatternFill("solid", bgColor="FFEB9C")))


def _prices_sheet(book: Any, used: set[str], report: NeedsReport) -> None:
    headers = ["Mã", "Mặt hàng", "Đơn vị tính", "Đơn giá (đồng)", "Nguồn", "Căn cứ", "Ngày của đơn giá",
               "Đơn giá trong tệp (đồng)"]
    sheet = Sheet(book, "Đơn giá", used)

    def rows() -> Iterator[list[Any]]:
        for index, price in enumerate(report.prices.prices.values(), start=1):
            _fit_height(sheet, index + 1, [(price.label, 60), (price.basis, 70)])
            yield [_wrapped(sheet, price.id), _wrapped(sheet, price.label), _wrapped(sheet, price.unit),
                   _money(sheet, price.amount), _wrapped(sheet, price.source_label()), _wrapped(sheet, price.basis),
                   price.date, None if price.file_amount is None else _money(sheet, price.file_amount)]

    first, last = sheet.table(headers, rows(), freeze_col=2, header_height=32, date_columns=[6],
                              fixed={1: 60, 3: 16, 5: 70, 7: 18}, max_width=70)
    col = _column_letter(5)
    _equals_fill(sheet.ws, f"{col}{first}:{col}{last}", "Đề xuất", "FFEB9C")


def _not_received_sheet(book: Any, used: set[str], report: NeedsReport) -> None:
    """The communes in scope that sent nothing; across provinces with a «Tỉnh, thành phố» column (a name alone
    does not tell «Xã Ba Đình» of Thanh Hóa from another)."""
    from ..register import province_name_of

    provinces = [province_name_of(code) or "" for code, _name in report.not_received]
    across = len({c.province_name for c in report.communes} | set(provinces)) > 1
    headers = ["STT", "Mã xã", "Đơn vị", *(["Tỉnh, thành phố"] if across else [])]
    sheet = Sheet(book, "Chưa gửi, chưa tính", used)
    sheet.table(headers, ([i, code, name, *([province] if across else [])]
                          for i, ((code, name), province) in enumerate(zip(report.not_received, provinces), 1)),
                freeze_col=3)


def add_needs_sheets(book: Any, used: set[str], report: NeedsReport, *, prices: bool = True) -> None:
    """The needs' sheets, added to ``book`` (a write-only workbook)."""
    _lines_sheet(book, used, report)
    _costs_sheet(book, used, report)
    _communes_sheet(book, used, report)
    if prices:
        _prices_sheet(book, used, report)


def needs_sheets(report: NeedsReport | None) -> tuple[Callable[[Any, set[str]], None], ...]:
    """The needs' sheets for the consolidated workbook (``write_report_xlsx(..., more_sheets=…)``); none
    without needs."""
    if report is None:
        return ()
    return (lambda book, used: add_needs_sheets(book, used, report),)


def build_needs_workbook(report: NeedsReport) -> Any:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    add_needs_sheets(book, used, report)
    if report.not_received:
        _not_received_sheet(book, used, report)
    book.properties.title = f"Nhu cầu đầu tư trang thiết bị CNTT, kỳ {period_label(report.period)}"
    book.properties.creator = "Sẵn sàng Một cửa — Sở Khoa học và Công nghệ"
    return book


def write_needs_xlsx(report: NeedsReport, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    import zipfile

    from ..exchange.errors import ExchangeError
    from ..exchange.xlsx import atomic_write
    from ..xlsx_cells import save_workbook

    def write(temp: Path) -> None:
        save_workbook(build_needs_workbook(report), temp)

    def check(temp: Path) -> None:
        try:
            with zipfile.ZipFile(temp) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no xl/workbook.xml")
        except zipfile.BadZipFile as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Tệp Excel vừa ghi không đầy đủ ({error}); tệp chưa được lưu.",
                                file=path) from None

    return atomic_write(Path(path), write, check)


__all__ = ["add_needs_sheets", "build_needs_workbook", "write_needs_xlsx"]
