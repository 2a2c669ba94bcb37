"""Text goes into a spreadsheet as text, never as a formula: the one writer of every workbook and CSV file.

Any text a commune or an officer typed, and anything read from a submitted file, is hostile: a PC's user
typed as ``=HYPERLINK("http://evil.example","pc")`` or a petition ``=cmd|' /C calc'!A0`` must reach the
department's workbook as those characters, not as a live formula in the hands of the officer who opens it.

What a spreadsheet takes for a formula (Excel, LibreOffice Calc, Google Sheets):

- text starting with ``=``, ``+``, ``-`` or ``@`` when it is typed, pasted, re-entered (F2, Enter) or read
  from a CSV file; a leading tab, carriage return or line feed hides that start from a glance and is
  dropped by some readers, and leading spaces are trimmed by some CSV readers;
- the full-width and small forms ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D, U+FF20; U+FE66, U+FE62, U+FE63,
  U+FE6B): an East Asian input method in Excel turns them into the ASCII ones as the cell is entered.
  :func:`is_formula_like` takes any character whose compatibility form (NFKC) is one of the four.

A workbook cell can say "this is text" twice, and both are set here: its type (``t="inlineStr"``, never an
``<f>`` element; openpyxl on its own makes any string starting with ``=`` a formula and ``#N/A`` an error)
and the quote prefix (``quotePrefix="1"`` in its style: Excel and Calc keep it text when it is edited and
show no apostrophe).  The characters themselves are never changed.

- :func:`put_text`: a cell of a normal worksheet;
- :func:`text_cell`, :func:`cell_value`, :func:`row_of`: cells and rows of a write-only worksheet
  (``Workbook(write_only=True)``; ``ws.append(row_of(ws, values))`` is the safe append);
- :func:`seal_workbook` / :func:`save_workbook`: the last pass over a normal workbook before it is saved,
  so a cell written another way is made text too;
- :func:`csv_field`: a CSV field, which cannot carry a type: an apostrophe goes in front of a
  formula-like field (OWASP's advice; Excel shows it, which is the lesser evil).

Numbers, dates and booleans the application computes stay what they are; only text is touched.
Qt-free and light: openpyxl is imported only by the functions that make cells.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMULA_STARTS = frozenset("=+-@")  # after NFKC: also ＝＋－＠ and the small forms
HIDDEN_STARTS = frozenset("\t\r\n")  # a formula start behind them is easy to miss, and some readers drop them
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))  # openpyxl makes these errors
CSV_PREFIX = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (see the module docstring)."""
    if not text:
        return False
    if text[0] in HIDDEN_STARTS:
        return True
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cf":  # spaces, and invisible marks (BOM, ZWSP)
            continue
        return char in FORMULA_STARTS or unicodedata.normalize("NFKC", char)[:1] in FORMULA_STARTS
    return False


def needs_text_cell(text: str) -> bool:
    """Whether a string needs more than openpyxl's own typing to stay plain text in a cell."""
    return text[:1] == "=" or text in ERROR_CODES or is_formula_like(text)


def put_text(cell: Any, text: str | None) -> Any:
    """Write ``text`` into a normal worksheet's cell as text: never a formula, whatever it starts with."""
    if text is None or text == "":
        cell.value = None
        return cell
    text = str(text)
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error; this keeps it a string
    if is_formula_like(text):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def text_cell(ws: Any, text: str | None) -> Any:
    """A write-only worksheet's cell holding ``text`` as text (style it, then append it in a row)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    return put_text(cell, text)


def cell_value(ws: Any, value: Any) -> Any:
    """What to append for ``value`` in a write-only worksheet: a text cell for a risky string, else the value."""
    if isinstance(value, str) and needs_text_cell(value):
        return text_cell(ws, value)
    return value


def row_of(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append`` of a write-only worksheet, every string in it kept as text."""
    return [cell_value(ws, value) for value in values]


def seal_workbook(wb: Any) -> int:
    """Make every text cell of a normal (not write-only) workbook plain text; returns how many needed it.

    The application writes no formulas of its own: a formula cell here is a string that started with
    ``=`` and was assigned without :func:`put_text`; it becomes that string again.
    """
    mended = 0
    for ws in wb.worksheets:
        for cell in list(getattr(ws, "_cells", {}).values()):  # the cells that exist (iter_rows would add empty ones)
            value = cell.value
            if not isinstance(value, str):
                continue
            if cell.data_type != "s":
                cell.data_type = "s"
                mended += 1
            if is_formula_like(value) and not cell.quotePrefix:
                cell.quotePrefix = True
                mended += 1
    return mended


def save_workbook(wb: Any, path: str | Path) -> None:
    """Save an openpyxl workbook, sealed first when it is a normal one (write-only rows use :func:`row_of`).

    A normal workbook's sheets are written in memory: openpyxl's own ``wb.save`` writes each sheet's XML to a
    temporary file, copies it into the archive and deletes it (three file operations a sheet: a tenth of
    saving a submission's 17 sheets, more on a slow disk).  The same XML goes into the same archive."""
    if getattr(wb, "write_only", False):
        wb.save(str(path))
        return
    seal_workbook(wb)
    import datetime as dt
    from zipfile import ZIP_DEFLATED, ZipFile

    writer_class = _memory_writer()
    archive = ZipFile(str(path), "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)  # what openpyxl's save sets
    writer_class(wb, archive).save()  # closes the archive


_WRITER: list[Any] = []


def _memory_writer() -> Any:
    """openpyxl's ExcelWriter, writing each sheet of a normal workbook into memory (made once, when first asked)."""
    if not _WRITER:
        from io import BytesIO

        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.worksheet._writer import WorksheetWriter
        from openpyxl.writer.excel import ExcelWriter

        class MemoryExcelWriter(ExcelWriter):
            def write_worksheet(self, ws: Any) -> None:
                """ExcelWriter.write_worksheet (openpyxl 3.1) for a normal sheet, its XML into memory."""
                ws._drawing = SpreadsheetDrawing()
                ws._drawing.charts = ws._charts
                ws._drawing.images = ws._images
                writer: Any = WorksheetWriter(ws, out=BytesIO())
                writer.write()
                ws._rels = writer._rels
                archive: Any = getattr(self, "_archive")  # noqa: B009 - not in openpyxl's stubs
                archive.writestr(ws.path[1:], writer.read())
                self.manifest.append(ws)

        _WRITER.append(MemoryExcelWriter)
    return _WRITER[0]


def csv_field(value: Any) -> Any:
    """A value for a CSV writer: a formula-like string gets an apostrophe in front, anything else is kept."""
    if isinstance(value, str) and is_formula_like(value):
        return CSV_PREFIX + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_field(value) for value in values]


__all__ = [
    "CSV_PREFIX", "ERROR_CODES", "FORMULA_STARTS", "HIDDEN_STARTS", "cell_value", "csv_field", "csv_row",
    "is_formula_like", "needs_text_cell", "put_text", "row_of", "save_workbook", "seal_workbook", "text_cell",
]
