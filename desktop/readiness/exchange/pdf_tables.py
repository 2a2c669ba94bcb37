"""Long tables in PDF documents, laid out page by page in linear time.

Used by the provincial report (its annex of thousands of petitions, the communes not ready) and
by the letters (a list of communes, a receipt's facts).

reportlab's Table re-processes every style command and re-wraps every Paragraph each time it
splits at a page end: quadratic, over a minute for the 6,000 petition rows of the whole country.
Body cells here are plain strings broken into lines once (simpleSplit; a string cell costs no
Paragraph), each row's height is known in advance, and PagedTable hands the frame one small
Table per page (header repeated, a commune's name repeated when its rows continue on a new page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus.flowables import Flowable

from .fonts import SERIF
from .pdf_common import esc, plain

CELL_FONT_SIZE, CELL_LEADING = 10.5, 12.6
SMALL_FONT_SIZE, SMALL_LEADING = 9.5, 11.4
PAD_H, PAD_TOP, PAD_BOTTOM = 3, 2, 3


def split_lines(text: str, width: float, size: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for paragraph in plain(text).split("\n"):
        for line in simpleSplit(paragraph, SERIF, size, width - 2 * PAD_H) or [""]:
            lines.extend(_break_word(line, width - 2 * PAD_H, size))
    return lines or [""]


def _break_word(line: str, width: float, size: float) -> list[str]:
    """A word wider than its cell (an e-mail address, a path) broken after «@ . - /» where it can, else
    anywhere: simpleSplit leaves it whole and it would run over the next cell."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(line, SERIF, size) <= width:
        return [line]
    out: list[str] = []
    current = ""
    for char in line:
        if current and stringWidth(current + char, SERIF, size) > width:
            cut = max(current.rfind(mark) for mark in "@./- ")
            if cut > 0:
                out.append(current[:cut + 1].rstrip())
                current = current[cut + 1:]
            else:
                out.append(current)
                current = ""
        current += char
    out.append(current)
    return out


@dataclass
class Row:
    cells: list[str]  # already broken into lines ("\n")
    height: float
    group: int = 0  # rows of one commune share a group number ...
    first: bool = True  # ... and only its first row shows the shared cells
    shared: tuple[str, ...] = ()  # the shared cells' text, repeated when a page starts inside a group
    bold: bool = False  # a total row


def table_rows(values: list[list[str]], widths: list[float], size: float, leading: float, page_height: float) -> list[Row]:
    # A cell longer than a page is cut there (with "…"): a row must fit on one page.
    # A text met again in a column of the same width (a level, a state, «Chưa đạt», a number) is broken once.
    max_lines = max(3, int((page_height - 60) / leading))
    out = []
    seen: dict[tuple[str, float], list[str]] = {}

    def lines_of(text: str, width: float) -> list[str]:
        lines = seen.get((text, width))
        if lines is None:
            lines = seen[(text, width)] = split_lines(text, width, size)
        return lines

    for cells in values:
        broken = [lines_of(text, width) for text, width in zip(cells, widths)]
        broken = [lines if len(lines) <= max_lines else lines[:max_lines - 1] + [lines[max_lines - 1] + " …"]
                  for lines in broken]
        height = max(len(lines) for lines in broken) * leading + PAD_TOP + PAD_BOTTOM + 1
        out.append(Row(["\n".join(lines) for lines in broken], height))
    return out


class PagedTable(Flowable):
    """A long table laid out page by page in linear time (see above)."""

    def __init__(self, header: list, header_height: float, rows: list[Row], widths: list[float], *,
                 size: float, leading: float, page_height: float, centred: tuple[int, ...] = (),
                 shared_columns: int = 0, right: tuple[int, ...] = (), total: float | None = None):
        super().__init__()
        self.header, self.header_height, self.rows, self.widths = header, header_height, rows, widths
        self.page_height = page_height
        self.size, self.leading, self.centred, self.shared_columns = size, leading, centred, shared_columns
        self.right = right  # columns aligned right (amounts)
        # A part made by split() is given its height: summing every remaining row again at each page
        # is quadratic (the country's petition annex: 3 million additions).
        self._total = header_height + sum(row.height for row in rows) if total is None else total

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return sum(self.widths), self._total

    def split(self, available_width: float, available_height: float) -> list:
        room = available_height - self.header_height - 2
        count, used = 0, 0.0
        for row in self.rows:
            if used + row.height > room:
                break
            used += row.height
            count += 1
        if count == 0:
            return []  # not even one row fits here: the next page
        head = self._like(self.rows[:count], self.header_height + used)
        rest = self.rows[count:]
        if not rest:
            return [head]
        if not rest[0].first and self.shared_columns:  # a commune continues on the next page: name it again
            rest = [Row(list(rest[0].shared) + rest[0].cells[self.shared_columns:], rest[0].height, rest[0].group,
                         True, rest[0].shared)] + rest[1:]
        return [head, self._like(rest, self._total - used)]

    def _like(self, rows: list[Row], total: float) -> PagedTable:
        return PagedTable(self.header, self.header_height, rows, self.widths, size=self.size, leading=self.leading,
                           page_height=self.page_height, centred=self.centred, shared_columns=self.shared_columns,
                           right=self.right, total=total)

    def _table(self):
        from reportlab.lib import colors

        data = [self.header] + [row.cells for row in self.rows]
        commands: list[tuple] = [
            ("FONT", (0, 1), (-1, -1), SERIF, self.size, self.leading),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_H), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_H),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ]
        for column in self.centred:
            commands.append(("ALIGN", (column, 1), (column, -1), "CENTER"))
        for column in self.right:
            commands.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
        for index, row in enumerate(self.rows, start=1):
            if row.bold:
                from .fonts import SERIF_BOLD

                commands.append(("FONT", (0, index), (-1, index), SERIF_BOLD, self.size, self.leading))
        if self.shared_columns:
            continued = [index for index, row in enumerate(self.rows, start=1) if not row.first]
            for index in continued:  # no rule between a commune's rows in its shared cells
                commands.append(("LINEABOVE", (0, index), (self.shared_columns - 1, index), 0.9, colors.white))
            if continued:  # the white rules cut the vertical ones: draw those again
                commands.append(("LINEBEFORE", (0, 0), (-1, -1), 0.5, colors.black))
                commands.append(("LINEAFTER", (-1, 0), (-1, -1), 0.5, colors.black))
        heights = [self.header_height] + [row.height for row in self.rows]
        return _lines_table()(data, colWidths=self.widths, rowHeights=heights, style=commands)

    def draw(self) -> None:
        table = self._table()
        table.wrapOn(self.canv, sum(self.widths), self._total)
        table.drawOn(self.canv, 0, 0)


_LINES_TABLE: list[type] = []


def _lines_table() -> type:
    """reportlab's ``Table`` whose plain string cells draw their lines as ``Table._drawCell`` does (one text
    object per line: ``drawString``, ``drawCentredString``, ``drawRightString``), byte for byte, each distinct
    line laid out once per document: what ``drawString`` builds for a line (its text object, the font subset's
    codes, the escaped string) depends only on the font, the size, the leading and the text.  The country's
    report draws 82,000 lines of 44,000 cells this way (half the PDF's time went into drawString).  Any other
    cell (a Paragraph, a span, a link, another alignment or direction) is drawn by ``Table._drawCell`` itself;
    so is everything when the font is not an embedded TrueType font or the canvas is top-down."""
    if _LINES_TABLE:
        return _LINES_TABLE[0]
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
    from reportlab.platypus import Table

    class LinesTable(Table):
        def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
            table: Any = self  # reportlab's private attributes (not in its type stubs)
            canv: Any = self.canv
            just = cellstyle.alignment
            if (type(cellval) is not str or cellstyle.valign != "TOP" or just not in _JUSTIFIED or cellstyle.href
                    or cellstyle.destination or cellstyle.direction or cellstyle.shaping or not canv.bottomup
                    or not getattr(getFont(cellstyle.fontname), "_dynamicFont", False)):
                super()._drawCell(cellval, cellstyle, pos, size)  # type: ignore[misc]  # not in the stubs
                return
            colpos, rowpos = pos
            colwidth, rowheight = size
            if table._curcellstyle is not cellstyle:  # as Table._drawCell sets the colour and the font
                cur = table._curcellstyle
                if cur is None or cellstyle.color != cur.color:
                    canv.setFillColor(cellstyle.color)
                if (cur is None or cellstyle.leading != cur.leading or cellstyle.fontname != cur.fontname
                        or cellstyle.fontsize != cur.fontsize):
                    canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
                table._curcellstyle = cellstyle
            if just == "LEFT":
                x = colpos + cellstyle.leftPadding
            elif just == "RIGHT":
                x = colpos + colwidth - cellstyle.rightPadding
            else:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
            leading = cellstyle.leading
            y = rowpos + rowheight - cellstyle.topPadding - cellstyle.fontsize
            laid = getattr(canv, "_laid_lines", None)
            if laid is None:
                laid = canv._laid_lines = {}  # one document's lines: its font subsets are its own
            font = (canv._fontname, canv._fontsize, canv._leading)
            code = canv._code
            for line in cellval.split("\n"):
                known = laid.get((font, line))
                if known is None:
                    text: Any = canv.beginText(0, 0)  # a fresh text object, as drawString makes
                    known = laid[(font, line)] = (text._formatText(line), stringWidth(line, font[0], font[1]))
                formatted, width = known
                at = x if just == "LEFT" else x - 0.5 * width if just != "RIGHT" else x - width
                code.append(f"BT 1 0 0 1 {fp_str(at, y)} Tm {formatted} T* ET")
                y -= leading

    _LINES_TABLE.append(LinesTable)
    return LinesTable


_JUSTIFIED = frozenset({"LEFT", "RIGHT", "CENTRE", "CENTER"})


def header_cells(headers: tuple[str, ...], widths: list[float], style: Any) -> tuple[list, float]:
    from reportlab.platypus import Paragraph

    cells = [Paragraph(esc(text), style) for text in headers]
    height = max(cell.wrap(width - 2 * PAD_H, 1000)[1] for cell, width in zip(cells, widths)) + PAD_TOP + PAD_BOTTOM + 1
    return cells, height
