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
- :class:`StreamedRows`: the data rows of a big write-only sheet written as SpreadsheetML directly (about ten
  times faster than openpyxl's cells), spliced into the sheet openpyxl wrote when :func:`save_workbook` saves:
  every string an inline string (``t="inlineStr"``, which can never be a formula), the same styles;
- :func:`clean_text`: what every cell's text goes through on both paths (characters XML cannot hold dropped,
  cut at a cell's 32,767 characters);
- :func:`csv_field`: a CSV field, which cannot carry a type: an apostrophe goes in front of a
  formula-like field (OWASP's advice; Excel shows it, which is the lesser evil).

Numbers, dates and booleans the application computes stay what they are; only text is touched.
Qt-free and light: openpyxl is imported only by the functions that make cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = frozenset("=+-@")  # after NFKC: also ＝＋－＠ and the small forms
HIDDEN_STARTS = frozenset("\t\r\n")  # a formula start behind them is easy to miss, and some readers drop them
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))  # openpyxl makes these errors
CSV_PREFIX = "'"
MAX_CELL_TEXT = 32767  # a cell's limit (Excel); openpyxl cuts a longer text there too
# What XML 1.0 cannot hold: control characters other than tab and the line breaks (openpyxl refuses them with
# an error that would fail the whole workbook), lone surrogates (UTF-8 cannot encode them), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The text a cell holds for ``text``: without the characters XML cannot hold, cut at 32,767 characters.
    Every text written into a workbook cell goes through here (:func:`put_text`, :func:`cell_value`,
    :class:`StreamedRows`)."""
    if text.isprintable() and len(text) <= MAX_CELL_TEXT:  # no control character, surrogate or non-character
        return text
    if _NOT_XML.search(text) is not None:
        text = _NOT_XML.sub("", text)
    return text[:MAX_CELL_TEXT] if len(text) > MAX_CELL_TEXT else text


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (see the module docstring)."""
    if not text:
        return False
    first = text[0]
    known = _FIRST_VISIBLE.get(first)  # the answer for a text starting with a visible character (remembered)
    if known is not None:
        return known
    if first in HIDDEN_STARTS:
        return True
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char) == "Cf":  # spaces, and invisible marks (BOM, ZWSP)
            continue
        verdict = char in FORMULA_STARTS or unicodedata.normalize("NFKC", char)[:1] in FORMULA_STARTS
        if index == 0 and len(_FIRST_VISIBLE) < 4096:
            _FIRST_VISIBLE[char] = verdict
        return verdict
    return False


_FIRST_VISIBLE: dict[str, bool] = {}  # a visible first character -> whether the text is formula-like


def needs_text_cell(text: str) -> bool:
    """Whether a string needs more than openpyxl's own typing to stay plain text in a cell."""
    return text[:1] == "=" or text in ERROR_CODES or is_formula_like(text)


def put_text(cell: Any, text: str | None) -> Any:
    """Write ``text`` into a normal worksheet's cell as text: never a formula, whatever it starts with."""
    if text is None or text == "":
        cell.value = None
        return cell
    text = clean_text(str(text))
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
    if isinstance(value, str):
        value = clean_text(value)
        if needs_text_cell(value):
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
        streamed = _STREAMED.pop(wb, None)
        _TAILS.pop(wb, None)
        if streamed:
            _save_spliced(wb, streamed, path)
        else:
            wb.save(str(path))
        return
    seal_workbook(wb)
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


# -- data rows written as SpreadsheetML directly ----------------------------------------------------------------

_STREAMED: weakref.WeakKeyDictionary[Any, list[StreamedRows]] = weakref.WeakKeyDictionary()
_FLUSH_ROWS = 256


class StreamedRows:
    """The data rows of a write-only sheet, written as SpreadsheetML into a temporary file as they come and put
    into the sheet's ``<sheetData>`` after the rows openpyxl wrote (its header) when :func:`save_workbook`
    saves the workbook.

    The cells read back as openpyxl would have written them (``ws.append(row_of(ws, values))``): numbers
    ``t="n"`` as openpyxl formats them, booleans ``t="b"``, a styled openpyxl cell (``WriteOnlyCell``) with
    its own style's index in the workbook's cell styles, dates as serial numbers in their number format.
    Text differs in one way only, to the safe side: every string is an inline string, never a formula
    (``<f>``) or an error (``t="e"``), whatever it starts with; a formula-like one (:func:`is_formula_like`)
    gets the quote prefix in its style as :func:`put_text` gives it. Text goes through :func:`clean_text`.

    A row is made of bytes: for each cell the column's ``<c r="B``, the row's number and the rest of the cell
    (its *tail*: ``" t="inlineStr"><is><t>Xã A Dơi</t></is></c>``), which depends on the value alone and is
    remembered for the strings, small integers and numbers met (the country's inventories repeat the same few
    thousand texts over 2.5 M cells): each is cleaned, checked and encoded once.  A text's tail is made by one
    rule, :meth:`_text_tail`, whether remembered or not, and so is an openpyxl cell's text (:meth:`_cell_tail`);
    an openpyxl cell's tail (the report's score cells, one per score and band) is remembered too.
    """

    def __init__(self, ws: Any, after_row: int):
        import tempfile

        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import Cell
        from openpyxl.utils.datetime import to_excel

        self.ws = ws
        self.row = after_row  # the last row written (openpyxl's header rows above)
        self._file: IO[bytes] = tempfile.TemporaryFile()
        self._pending: list[bytes] = []
        # The rows deflated as they are flushed (ISA-L, as the archive's members: _fast_deflate), so the temporary
        # file holds a tenth of their bytes and saving puts the compressed stream into the archive as it is
        # (:meth:`splice_into`); with their checksum and length.  Without isal: the rows as they are, compressed
        # as the archive is written.
        self._deflate = _raw_deflater()
        self._crc = 0
        self._size = 0
        self._starts: list[bytes] = []  # b'<c r="A' … of each column
        self._epoch = ws.parent.epoch
        self._cell_type = Cell
        self._to_excel = to_excel
        quoted = WriteOnlyCell(ws)
        quoted.quotePrefix = True
        self._quoted = f' s="{quoted.style_id}"'  # registers the style in the workbook: plain text, quote prefix
        self._date_styles: dict[bytes, str] = {}  # a column's start -> its dates' style attribute
        self._dates: dict[tuple[bytes, Any], bytes] = {}  # (column's start, date) -> its cell's tail
        self._cells: dict[tuple[Any, ...], bytes] = {}  # (value's type, value, data type, style) -> a cell's tail
        self._tails = _tails_of(ws.parent)  # the workbook's remembered tails (its sheets share the quote style)
        _STREAMED.setdefault(ws.parent, []).append(self)

    def date_column(self, index: int, prototype: Any) -> None:
        """Dates in column ``index`` (0-based) take the style of ``prototype``, an openpyxl cell holding a date
        (its number format: what ``prototype`` would show)."""
        self._columns(index + 1)
        self._date_styles[self._starts[index]] = f' s="{prototype.style_id}"' if prototype.has_style else ""

    def _columns(self, count: int) -> None:
        if count > len(self._starts):
            from openpyxl.utils import get_column_letter

            for index in range(len(self._starts) + 1, count + 1):
                self._starts.append(f'<c r="{get_column_letter(index)}'.encode())

    def append(self, values: Iterable[Any]) -> None:
        """A row of ``values``, one a column from A (None: no cell); a :class:`CellTail` made by :meth:`tail` for
        this sheet's column is written as it is."""
        values = list(values)
        starts = self._starts
        if len(values) > len(starts):
            self._columns(len(values))
        self.row += 1
        number = str(self.row).encode()
        dims = self.ws.row_dimensions
        if self.row in dims:
            attrs = "".join(f' {k}="{_attribute(v)}"' for k, v in dims[self.row])
            parts = [f'<row r="{self.row}"{attrs}>'.encode()]
        else:
            parts = [b'<row r="', number, b'">']
        texts, integers, floats = self._tails
        text_tail, integer_tail, float_tail = texts.get, integers.get, floats.get
        for start, value in zip(starts, values):
            if value is None:
                continue
            kind = type(value)
            if kind is CellTail:
                if value:
                    parts += (start, number, value)
                continue
            # The remembered tails looked up here; a value met first is made by the one rule of its kind.
            if kind is str:
                tail = text_tail(value)
                if tail is None:
                    tail = self._text(value)
            elif kind is int:
                tail = integer_tail(value)
                if tail is None:
                    tail = self._integer(value)
            elif kind is float:
                tail = float_tail(value)
                if tail is None:
                    tail = self._float(value)
            else:
                tail = self._other(start, value)
                if not tail:
                    continue
            parts += (start, number, tail)
        parts.append(b"</row>")
        self._pending.append(b"".join(parts))
        if len(self._pending) >= _FLUSH_ROWS:
            self._flush()

    def tail(self, index: int, value: Any) -> CellTail:
        """The cell :meth:`append` writes for ``value`` in column ``index`` (0-based), after its reference
        (``<c r="B7`` + this), made by the same rules; empty for no cell. :meth:`append` takes it in that column
        as it is: a caller that meets the same value many times (the country's inventories) makes it once."""
        self._columns(index + 1)
        if value is None:
            return CellTail()
        kind = type(value)
        if kind is str:
            tail = self._tails[0].get(value) or self._text(value)
        elif kind is int:
            tail = self._tails[1].get(value) or self._integer(value)
        elif kind is float:
            tail = self._tails[2].get(value) or self._float(value)
        else:
            tail = self._other(self._starts[index], value)
        return CellTail(tail)

    def _text(self, value: str) -> bytes:
        return _remember(self._tails[0], value, ('"' + self._text_tail("", value)).encode())

    def _integer(self, value: int) -> bytes:
        shown = value if -_EXACT < value < _EXACT else _number(value)  # str() is "%.16g" below _EXACT
        tail = f'" t="n"><v>{shown}</v></c>'.encode()
        if -_SMALL < value < _SMALL:
            self._tails[1][value] = tail
        return tail

    def _float(self, value: float) -> bytes:
        tail = f'" t="n"><v>{_number(value)}</v></c>'.encode()
        if value:  # not 0.0 or -0.0: equal keys, written "0" and "-0"
            _remember(self._tails[2], value, tail)
        return tail

    def _other(self, start: bytes, value: Any) -> bytes:
        """The tail of a cell neither text nor a number: a boolean, a date, an openpyxl cell, anything else
        (empty for no cell)."""
        if type(value) is bool:
            return f'" t="b"><v>{int(value)}</v></c>'.encode()
        style = self._date_styles.get(start)
        if style is not None and isinstance(value, dt.date):
            tail = self._dates.get((start, value))
            if tail is None:
                tail = _remember(self._dates, (start, value),
                                 f'"{style} t="n"><v>{_number(self._to_excel(value, self._epoch))}</v></c>'.encode())
            return tail
        if isinstance(value, self._cell_type):
            # A styled score (readiness.department.report_xlsx._Bands hands out one cell per score and band): its
            # tail remembered by what it depends on, the value (of its type), the data type and the style.
            cell: Any = value
            held, style_array = cell._value, cell._style  # openpyxl's StyleArray, or None: no style
            key = (type(held), held, cell.data_type, None if style_array is None else style_array.tobytes())
            tail = self._cells.get(key)
            if tail is None:
                tail = self._cell_tail(cell).encode()
                if not (type(held) is float and not held):  # 0.0 and -0.0: equal keys, written "0" and "-0"
                    _remember(self._cells, key, tail)
            return tail
        # a date elsewhere, a Decimal, a str subclass…: as openpyxl types it (a date gets its default format)
        from openpyxl.cell import WriteOnlyCell

        return self._cell_tail(WriteOnlyCell(self.ws, value=value)).encode()

    def _text_tail(self, style: str, value: str) -> str:
        """The text cell of ``value`` after its reference (``<c r="B7"`` + this): the one rule of every text cell."""
        text = clean_text(value)
        if not text:
            return f'{style} t="inlineStr"/>'  # as openpyxl writes an empty string
        if not style and is_formula_like(text):
            style = self._quoted
        space = ' xml:space="preserve"' if text != text.strip() else ""  # openpyxl's rule
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "\r" in text:  # a bare carriage return would be read back as a line feed
            text = text.replace("\r", "&#13;")
        return f'{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def _cell_tail(self, cell: Any) -> str:
        """An openpyxl cell after its reference's column and row (``<c r="B7`` + this); empty for no cell."""
        style = f' s="{cell.style_id}"' if cell.has_style else ""
        value = cell._value
        if value is None:
            return f'"{style}/>' if style else ""
        if isinstance(value, str):  # whatever openpyxl typed it (formula, error): text
            return '"' + self._text_tail(style, value)
        if cell.data_type == "d":
            value = self._to_excel(value, self._epoch)
        elif isinstance(value, bool):
            return f'"{style} t="b"><v>{int(value)}</v></c>'
        return f'"{style} t="n"><v>{_number(value)}</v></c>'

    def _flush(self) -> None:
        if self._pending:
            chunk = b"".join(self._pending)
            self._pending.clear()
            if self._deflate is not None:
                from isal import isal_zlib

                self._crc = isal_zlib.crc32(chunk, self._crc)
                self._size += len(chunk)
                chunk = self._deflate.compress(chunk)
            self._file.write(chunk)

    def _finish(self) -> None:
        """Every row flushed; a deflated stream ended at a byte boundary, not as the last block (Z_SYNC_FLUSH)."""
        self._flush()
        if self._deflate is not None:
            from isal import isal_zlib

            self._file.write(self._deflate.flush(isal_zlib.Z_SYNC_FLUSH))
            self._deflate = _FINISHED
        self._file.seek(0)

    def copy_to(self, out: IO[bytes]) -> None:
        """The rows' XML written into ``out``."""
        import shutil

        self._finish()
        if self._deflate is None:
            shutil.copyfileobj(self._file, out, 1 << 20)
        else:
            from isal import isal_zlib

            inflater = isal_zlib.decompressobj(-isal_zlib.MAX_WBITS)
            while block := self._file.read(1 << 20):
                out.write(inflater.decompress(block))
            out.write(inflater.flush())
        self._file.close()

    def splice_into(self, member: Any) -> None:
        """The rows put into an archive's member being written (zipfile's write handle, deflating through
        ISA-L's raw deflate: :func:`_fast_deflate`), after what was written into it: that deflated stream is
        flushed to a byte boundary, the rows' compressed stream follows as it is (their checksum combined with the
        member's, their length added), and what is written after them is deflated by a new compressor.  The
        member reads back as the same bytes :meth:`copy_to` writes; the compressed stream is three deflate
        streams one after another (each ends at a byte boundary but the last), as any inflater reads them.
        Without isal, or a member of another kind: :meth:`copy_to`."""
        if self._deflate is None or not _splices(member):
            self.copy_to(member)
            return
        import shutil

        from isal import isal_zlib

        self._finish()
        archive = member._fileobj
        head = member._compressor.flush(isal_zlib.Z_SYNC_FLUSH)
        archive.write(head)
        rows = self._file.seek(0, 2)
        self._file.seek(0)
        shutil.copyfileobj(self._file, archive, 1 << 20)
        self._file.close()
        member._compress_size += len(head) + rows
        member._crc = isal_zlib.crc32_combine(member._crc, self._crc, self._size)
        member._file_size += self._size
        member._compressor = _raw_deflater()


class CellTail(bytes):
    """A cell of a :class:`StreamedRows` sheet made by :meth:`StreamedRows.tail`, for the column it was made for."""


def _number(value: Any) -> str:
    """A number as openpyxl writes it (``safe_string``: 16 significant digits; nothing for NaN or infinity)."""
    if value != value or value in (_INF, -_INF):
        return ""
    return "%.16g" % value


_INF = float("inf")
_EXACT = 10**15  # an int below this in size is written by "%.16g" as str() writes it
_SMALL = 4096  # integers remembered (by StreamedRows) below this in size: counts, years, numbers in a commune
_REMEMBERED = 4096  # tails remembered at most per kind and workbook: then forgotten and remembered anew


def _remember(tails: dict[Any, bytes], key: Any, tail: bytes) -> bytes:
    if len(tails) >= _REMEMBERED:
        tails.clear()
    tails[key] = tail
    return tail


_TAILS: weakref.WeakKeyDictionary[Any, tuple[dict[str, bytes], dict[int, bytes], dict[float, bytes]]] = (
    weakref.WeakKeyDictionary())


def _tails_of(wb: Any) -> tuple[dict[str, bytes], dict[int, bytes], dict[float, bytes]]:
    """The cell tails :class:`StreamedRows` remembers for a workbook (texts, integers, floats), until it is saved."""
    tails = _TAILS.get(wb)
    if tails is None:
        tails = _TAILS[wb] = ({}, {}, {})
    return tails


def _attribute(value: Any) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _save_spliced(wb: Any, streamed: list[StreamedRows], path: str | Path) -> None:
    """openpyxl saves the workbook (each streamed sheet holding its header rows) into memory; then each member is
    copied into ``path``, a streamed sheet with its rows put in before ``</sheetData>``."""
    from io import BytesIO
    from zipfile import ZIP_DEFLATED, ZipFile

    written = BytesIO()
    wb.save(written)
    by_member = {rows.ws.path[1:]: rows for rows in streamed}
    with ZipFile(written) as source, ZipFile(str(path), "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info)
            rows = by_member.pop(info.filename, None)
            if rows is None:
                target.writestr(info.filename, data)
                continue
            end = data.rfind(b"</sheetData>")
            if end < 0:  # a sheet without any row: <sheetData/>
                end = data.index(b"<sheetData/>")
                data = data[:end] + b"<sheetData></sheetData>" + data[end + len(b"<sheetData/>"):]
                end = data.rindex(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as out:
                _fast_deflate(out)
                out.write(data[:end])
                rows.splice_into(out)
                out.write(data[end:])
    if by_member:
        raise ValueError(f"streamed rows of sheets not in the workbook: {sorted(by_member)}")


def _raw_deflater() -> Any:
    """ISA-L's raw deflate at its level 1 (what :func:`_fast_deflate` gives an archive's member); None without isal."""
    try:
        from isal import isal_zlib
    except ImportError:
        return None
    return isal_zlib.compressobj(1, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)


_FINISHED: Any = object()  # a StreamedRows' deflated stream once ended (nothing more is compressed into it)


def _splices(member: Any) -> bool:
    """Whether ``member`` (zipfile's write handle, 3.11-3.13) takes a compressed stream as it is: deflated by ISA-L
    (:func:`_fast_deflate` put its compressor in), with the write handle's bookkeeping :meth:`StreamedRows.splice_into`
    updates."""
    compressor = getattr(member, "_compressor", None)
    return (type(compressor).__module__.startswith("isal") and hasattr(compressor, "flush")
            and all(hasattr(member, name) for name in ("_fileobj", "_crc", "_file_size", "_compress_size")))


def _fast_deflate(member: Any) -> None:
    """A member of a ZipFile being written compressed by ISA-L's deflate (``isal``) instead of zlib's: the same
    format (raw deflate, read by every zip reader), about four times less CPU at its level 1 than zlib's level 1
    for the streamed rows (the country's 200 MB of sheets: ~0.5 s), a few per cent larger.  zipfile (3.11-3.13)
    compresses through its write handle's ``_compressor``; without isal or that attribute, zlib's is kept."""
    if getattr(member, "_compressor", None) is None:
        return
    try:
        from isal import isal_zlib
    except ImportError:  # a build without it: zlib's compression, the same archive but for its size
        return
    member._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)


def csv_field(value: Any) -> Any:
    """A value for a CSV writer: a formula-like string gets an apostrophe in front, anything else is kept."""
    if isinstance(value, str) and is_formula_like(value):
        return CSV_PREFIX + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_field(value) for value in values]


__all__ = [
    "CSV_PREFIX", "CellTail", "ERROR_CODES", "FORMULA_STARTS", "HIDDEN_STARTS", "MAX_CELL_TEXT", "StreamedRows", "cell_value",
    "clean_text", "csv_field", "csv_row", "is_formula_like", "needs_text_cell", "put_text", "row_of",
    "save_workbook", "seal_workbook", "text_cell",
]
