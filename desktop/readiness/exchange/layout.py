"""The submission workbook's layout: what its writer (:mod:`.xlsx`) and its reader (:mod:`.reader`) agree on.

Both import this module and neither takes these facts from the other, so the reader does not load
the writer (nor openpyxl).  ``docs/submission-format.md`` is the reference; in short:

- the sheets: the cover :data:`COVER_SHEET` (identity facts in column A's :data:`COVER_LABELS`, their
  values in column B), one sheet per section and per table item (column titles on :data:`HEADER_ROW`,
  data from :data:`FIRST_ROW`), the gaps :data:`GAPS_SHEET`, the drop-down lists :data:`LISTS_SHEET`;
- ``_data`` (:data:`DATA_SHEET`): part 1 is ``key | value`` rows under ``key`` in A1 (``format`` is
  :data:`FORMAT_NAME`, ``format_version`` at most :data:`FORMAT_VERSION`, the identity, the seals);
  part 2, a few rows below, has one row per item under :data:`ITEMS_HEADER` (:class:`DataRow` names
  its columns; a value longer than a cell continues to the right in chunks of :data:`VALUE_CHUNK`);
  ``sheet``/``cell``/``cells`` say where the human sheets show the answer (:class:`ItemPlace`);
- what a cell of a human sheet holds for an answer: :func:`answer_cell_value` (:data:`YES`/:data:`NO`,
  numbers and dates typed, a choice's label).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..answers import describe
from ..checklist.model import Column, Item, ItemType

FORMAT_NAME = "readiness-workbook"
FORMAT_VERSION = 1

COVER_SHEET = "Thông tin chung"
GAPS_SHEET = "Tồn tại - Khuyến nghị"
DATA_SHEET = "_data"
LISTS_SHEET = "_lists"

# The identity facts the cover shows (column A), so a problem with one can point at its cell (column B).
COVER_LABELS = {
    "commune_name": "Đơn vị (xã, phường, đặc khu)",
    "commune_code": "Mã đơn vị hành chính",
    "period": "Kỳ báo cáo (tháng/năm)",
    "revision": "Trạng thái bản đánh giá",  # "Đã hoàn thành (lần 2)"
    "status": "Trạng thái bản đánh giá",
    "assessment_id": "Mã bản đánh giá",
}
COVER_ROWS_SCANNED = 60  # the identity is near the top of the cover

HEADER_ROW = 3  # the column titles of section, table and gap sheets; data starts below
FIRST_ROW = HEADER_ROW + 1

ITEMS_HEADER = ("item_id", "number", "type", "value", "source", "sheet", "cell", "cells")
VALUE_CHUNK = 32000  # an Excel cell holds at most 32,767 characters; longer values continue to the right

YES, NO = "Có", "Không"


class ItemPlace(NamedTuple):
    """Where the human sheets show an item's answer, as ``_data`` records it (the file says so: untrusted)."""

    sheet: str | None
    cell: str | None  # the answer cell (a table: the first header cell of its sheet)
    cells: dict[str, Any]  # multiple choice: {"options": {choice: cell}}; a table: {"first_row", "columns": {column: letter}}

    def table_cell(self, row: int, column: str) -> str | None:
        """The cell of a table's ``row`` (1-based) and ``column``, when ``_data`` names the column (and
        a first row that is a number)."""
        letters = self.cells.get("columns")
        if not isinstance(letters, dict) or not letters.get(column):
            return None
        try:
            return f"{letters[column]}{first_row(self.cells) + row - 1}"
        except ValueError:
            return None


def first_row(cells: Mapping[str, Any]) -> int:
    """The first data row of a table sheet (raises ValueError for a value that is not a number)."""
    return int(cells.get("first_row") or FIRST_ROW)


class DataRow(NamedTuple):
    """One item's row in part 2 of ``_data``, its columns by name (:data:`ITEMS_HEADER`), as text."""

    row: int  # the row in ``_data`` (to point at a problem)
    item_id: str
    number: str | None
    type: str | None
    value: str | None  # canonical JSON, its continuation chunks joined
    source: str | None  # an answer's source; a table's: a JSON list, one per row
    sheet: str | None
    cell: str | None
    cells: str | None  # JSON object (see ItemPlace.cells)

    @property
    def place(self) -> ItemPlace:
        """Where the answer is shown; an unreadable ``cells`` counts as none."""
        cells: Any = {}
        if self.cells:
            try:
                cells = json.loads(self.cells)
            except ValueError:
                cells = {}
        return ItemPlace(self.sheet, self.cell, cells if isinstance(cells, dict) else {})


def is_year(spec: Item | Column) -> bool:
    """An integer that is a year («Năm mua») or a code: shown 2017, never with a thousands separator
    (:func:`readiness.numbers.is_plain`)."""
    from ..numbers import is_plain

    return is_plain(spec)


def answer_cell_value(spec: Item | Column, value: Any) -> tuple[Any, str | None]:
    """The typed value a cell holds for an answer, and its number format."""
    if value is None:
        return None, None
    kind = spec.type
    if kind is ItemType.YES_NO:
        return (YES if value else NO), None
    if kind is ItemType.INTEGER:
        return int(value), "0" if is_year(spec) else "#,##0"
    if kind is ItemType.DECIMAL:
        return float(value), "General"
    if kind is ItemType.DATE:
        return value, "dd/mm/yyyy"
    if kind in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
        return describe(spec, value, "vi"), None
    return str(value), None


def _visible_text(value: Any) -> str | None:
    """A cell's value as the visible digest writes it, the same from what openpyxl was given and from
    what python-calamine reads back (an integer comes back as a float; a date as a date or a datetime)."""
    kind = type(value)
    if kind is str:
        return "s" + value if value else None
    if value is None:
        return None
    if kind is bool:
        return "b1" if value else "b0"
    if kind is float or kind is int:
        number = float(value)
        return f"n{int(number)}" if number.is_integer() and abs(number) < 2 ** 53 else f"n{number!r}"
    if isinstance(value, dt.datetime):
        return f"d{value.date().isoformat()}" if value.time() == dt.time(0) and value.tzinfo is None else \
            f"t{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"d{value.isoformat()}"
    if isinstance(value, str):
        return "s" + str(value) if value else None
    if isinstance(value, (int, float)):
        return _visible_text(float(value))
    return f"o{value}"


def visible_sha256(data_sha256: str, sheets: Iterable[tuple[str, Iterable[tuple[int, int, Any]]]]) -> str:
    """The digest of the human sheets that show answers (``visible_sha256`` in ``_data``, written at export).

    Over every non-empty cell of those sheets (name, row, column, value), bound to the file's
    ``data_sha256``: when the file's digest equals the one computed from what it holds, every cell
    that shows an answer still holds what the export wrote for these very answers, and the importer
    need not compare them one by one; when it differs (a cell typed over, a sheet saved again by a
    spreadsheet program), the cells are compared and each edit is located as before."""
    digest = hashlib.sha256(data_sha256.encode("ascii", "replace"))
    for name, cells in sorted(sheets, key=lambda sheet: sheet[0]):
        parts = ["\x00S", name]
        for row, column, value in cells:
            text = "s" + value if type(value) is str else _visible_text(value)
            if text is not None:
                parts.append(f"\x00{row},{column}:{text}")
        digest.update("".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def grid_cells(rows: list[list[Any]]) -> list[tuple[int, int, Any]]:
    """(row, column, value) of every non-empty cell of a sheet read as rows from A1 (python-calamine), in
    row order."""
    return [(row_number, column, value) for row_number, values in enumerate(rows, start=1)
            for column, value in enumerate(values, start=1) if value != "" and value is not None]


def workbook_cells(ws: Any) -> list[tuple[int, int, Any]]:
    """(row, column, value) of every non-empty cell of an openpyxl worksheet in memory, in row order."""
    return sorted((row, column, cell.value) for (row, column), cell in ws._cells.items()
                  if cell.value is not None and cell.value != "")


__all__ = [
    "COVER_LABELS", "COVER_SHEET", "DATA_SHEET", "FIRST_ROW", "FORMAT_NAME", "FORMAT_VERSION", "GAPS_SHEET",
    "HEADER_ROW", "ITEMS_HEADER", "LISTS_SHEET", "NO", "VALUE_CHUNK", "YES", "DataRow", "ItemPlace",
    "answer_cell_value", "first_row", "grid_cells", "is_year", "visible_sha256", "workbook_cells",
]
