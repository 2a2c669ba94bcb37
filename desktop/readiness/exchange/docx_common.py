"""Word documents in the administrative layout of Nghị định 30/2020/NĐ-CP (python-docx), for every
document the department drafts in Word: the provincial report (:mod:`readiness.department.report_docx`)
and the letters (:mod:`readiness.exchange.letter_docx`).

A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (on every department PC) at
14 pt; the letterhead as a borderless two-column table (issuing body | national title and motto,
each with its short rule; number | place and date); «Nơi nhận» and the signer block side by side at
the end; page numbers at the top centre from page 2 (a PAGE field, so Word renumbers after edits).

Text from outside (what a commune typed) goes in only through :func:`para`, :func:`cell_text` and
:func:`xml_cell`, which drop the control characters XML cannot hold (a document that Word refuses
to open is worse than a missing character); there are no formulas or fields in the text we write.
Large tables are built on the XML directly (:func:`xml_cell`, :func:`append_rows`): python-docx's
``row.cells`` walks the whole table on every call, quadratic for thousands of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .nd30 import MOTTO, NATION

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
SMALL_PT = 11
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2.0, 2.0, 3.0, 1.5
BODY_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # cm


def safe_text(text: object) -> str:
    """Text a Word document can hold: NFC, without the control characters XML 1.0 refuses
    (tabs and line breaks kept)."""
    from ..text import printable

    return printable(text)


def set_font(run: Any, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def para(container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
          align: str = "justify", indent_cm: float = 0.0, before: float = 0, after: float = 6, keep_next: bool = False,
          bold_prefix: str = "", lead: str = "") -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.1
    if indent_cm:
        fmt.first_line_indent = Cm(indent_cm)
    if keep_next:
        fmt.keep_with_next = True
    if lead:
        set_font(paragraph.add_run(lead), size, bold, italic)
    if bold_prefix:
        set_font(paragraph.add_run(bold_prefix + " "), size, True, italic)
    lines = safe_text(text).split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        set_font(run, size, bold, italic)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def rule_paragraph(container: Any, width_cm: float, cell_width_cm: float) -> None:
    """A short centred horizontal line (a bottom border on an empty, indented paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((cell_width_cm - width_cm) / 2, 0)
    fmt.left_indent, fmt.right_indent = Cm(side), Cm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(2)
    fmt.line_spacing = Pt(3)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def cell_margins(table: Any, cm: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(cm * 567)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def grid_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    tbl_pr.append(borders)


def cell_text(cell: Any, text: str, *, size: float = TABLE_PT, bold: bool = False, align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    # One paragraph per line (a line break inside a justified paragraph stretches the line before it).
    lines = safe_text(text).split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                               "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(1), Pt(1)
        set_font(paragraph.add_run(line), size, bold)


def shade(cell: Any, fill: str = "E6E6E6") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    # Characters XML 1.0 cannot hold (control characters) are dropped rather than failing the document.
    return escape(safe_text(text))


def xml_cell(text: str, width_twips: int, *, size: float, align: str = "left", bold: bool = False,
              vmerge: str | None = None) -> str:
    """One ``w:tc``: a paragraph per line, runs in the document's font at ``size`` pt."""
    jc = {"left": "left", "center": "center", "justify": "both", "right": "right"}[align]
    half_points = int(round(size * 2))
    run_props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    merge = "" if vmerge is None else ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    paragraphs = "".join(
        f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/><w:jc w:val="{jc}"/></w:pPr>'
        f'<w:r>{run_props}<w:t xml:space="preserve">{xml_text(line)}</w:t></w:r></w:p>'
        for line in (text.split("\n") if text else [""])
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>{merge}</w:tcPr>{paragraphs}</w:tc>'


def append_rows(table: Any, rows: list[str], chunk: int = 400) -> None:
    """Append rows given as ``w:tr`` XML, parsed in chunks (python-docx's objects are far too slow for thousands)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    tbl = table._tbl
    for start in range(0, len(rows), chunk):
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>" + "".join(rows[start:start + chunk]) + "</w:tbl>")
        for tr in list(parsed):
            tbl.append(tr)


def new_row(table: Any) -> list:
    """Append a row and return its cells without python-docx's whole-table walk."""
    from docx.table import _Cell

    tr = table._tbl.add_tr()
    for grid_col in table._tbl.tblGrid.gridCol_lst:
        tc = tr.add_tc()
        tc.width = grid_col.w
    return [_Cell(tc, table) for tc in tr.tc_lst]


def fixed_widths(table: Any, widths_cm: list[float]) -> None:
    """Column widths Word and LibreOffice both keep: fixed layout, grid columns, every cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    for grid_col, value in zip(table._tbl.tblGrid.gridCol_lst, widths_cm):
        grid_col.w = Cm(value)
    for tr in table._tbl.tr_lst:
        for tc, value in zip(tr.tc_lst, widths_cm):
            tc.width = Cm(value)


def grid_table(document_or_cell: Any, widths_cm: list[float], headers: tuple[str, ...], *, size: float = TABLE_PT) -> Any:
    table = document_or_cell.add_table(rows=0, cols=len(widths_cm))
    fixed_widths(table, widths_cm)
    grid_borders(table)
    cell_margins(table, 0.1)
    cells = new_row(table)
    for cell, text in zip(cells, headers):
        cell_text(cell, text, bold=True, align="center", size=size)
        shade(cell)
    repeat_header(table.rows[0])
    return table


# -- the document --------------------------------------------------------------------------------------


def page_number_header(section: Any) -> None:
    """PAGE field at the top centre, none on the first page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = text
            run._r.append(value)


def new_document(*, title: str, author: str, subject: str = "") -> Any:
    """An empty A4 portrait document: Times New Roman 14 pt, Nghị định 30 margins, page numbers from page 2."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    properties = document.core_properties
    properties.title = safe_text(title)[:250]
    properties.author = safe_text(author)[:250]
    properties.subject = safe_text(subject)[:250]
    properties.language = "vi-VN"
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP), Cm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT), Cm(MARGIN_RIGHT)
    section.header_distance = Cm(1.0)
    page_number_header(section)
    return document


def emptied(cell: Any) -> Any:
    """The cell without the empty paragraph python-docx puts in every new cell."""
    paragraph = cell.paragraphs[0]._p
    paragraph.getparent().remove(paragraph)
    return cell


LEFT_COLUMN = 7.1  # cm: the issuer's column of the letterhead


def letterhead(document: Any, *, parent_body: str, issuer: str, number_line: str, date_line: str,
               subject_lines: Sequence[str] = ()) -> Any:
    """The header block: issuing body | national title and motto (each with its rule), then the
    number (and, for a letter, «V/v …» under it) | the place and date in italics.

    Each header line unbroken: the issuer (12.5 pt bold, ~6.8 cm) left, the national title (12 pt
    bold, 8.9 cm) right; cell margins narrowed so both fit the 16.5 cm between the margins."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    left_w, right_w = LEFT_COLUMN, BODY_WIDTH - LEFT_COLUMN
    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_widths(header, [left_w, right_w])
    no_borders(header)
    cell_margins(header, 0.05)
    cell = emptied(header.cell(0, 0))
    para(cell, parent_body, size=12.5, align="center", after=0)
    para(cell, issuer, size=12.5, bold=True, align="center", after=0)
    rule_paragraph(cell, 2.4, left_w)
    cell = emptied(header.cell(0, 1))
    para(cell, NATION, size=12, bold=True, align="center", after=0)
    para(cell, MOTTO, size=13, bold=True, align="center", after=0)
    rule_paragraph(cell, 5.9, right_w)
    number_cell, date_cell = emptied(header.cell(1, 0)), emptied(header.cell(1, 1))
    para(number_cell, number_line, size=13, align="center", before=6, after=0)
    for line in subject_lines:
        para(number_cell, line, size=12, align="center", before=2, after=0)
    para(date_cell, date_line, size=14, italic=True, align="center", before=6, after=0)
    return header


def signature_block(document: Any, *, recipients: Sequence[str], signer_title: Sequence[str], signer_name: str,
                    width: float = BODY_WIDTH, space_lines: int = 4) -> Any:
    """«Nơi nhận:» and its lines bottom left, the signer's title and name bottom right: one row that
    is never split across pages (the paragraph before it keeps with it: see :func:`keep_with_next`)."""
    from docx.oxml import OxmlElement

    closing = document.add_table(rows=1, cols=2)
    fixed_widths(closing, [width / 2, width / 2])
    no_borders(closing)
    closing.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = emptied(closing.cell(0, 0)), emptied(closing.cell(0, 1))
    if recipients:
        para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0, keep_next=True)
        for line in recipients:
            para(left, f"- {line}", size=11, align="left", after=0, keep_next=True)
    else:
        para(left, "", size=11, after=0)
    for line in signer_title:
        para(right, line, size=14, bold=True, align="center", after=0, keep_next=True)
    for _ in range(space_lines):
        para(right, "", size=14, after=0, keep_next=True)
    para(right, signer_name or "", size=14, bold=True, align="center", after=0)
    return closing


def keep_with_next(paragraph: Any) -> Any:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def write_docx_atomically(path: str | Path, build: Callable[[], Any]) -> Path:
    """Build the document, save it to a temporary file beside ``path``, check it opens as a Word
    package, then rename it over ``path``: a failure leaves nothing half-written."""
    import zipfile

    from .errors import ExchangeError
    from .xlsx import atomic_write

    def write(temp: Path) -> None:
        build().save(str(temp))

    def check(temp: Path) -> None:
        try:
            with zipfile.ZipFile(temp) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no word/document.xml")
        except zipfile.BadZipFile as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Tệp Word vừa ghi không đầy đủ ({error}); tệp chưa được lưu.",
                                file=path) from None

    return atomic_write(Path(path), write, check)


# -- long bodies in linear time ------------------------------------------------------------------------
#
# python-docx's add_paragraph looks for the section properties among the body's children on every
# call: writing n paragraphs costs O(n²) (25,000 paragraphs: 10 s for the library alone).  Long
# bodies (a reply letter to thousands of petitions) are written as WordprocessingML text and
# appended in chunks, with the same formatting :func:`para` gives.


def paragraph_xml(text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
                  align: str = "justify", indent_cm: float = 0.0, before: float = 0, after: float = 6,
                  keep_next: bool = False, lead: str = "", bold_prefix: str = "") -> str:
    """One ``w:p`` as :func:`para` would make it (line spacing 1.1, sizes in points)."""
    jc = {"justify": "both", "center": "center", "left": "left", "right": "right"}[align]
    half = int(round(size * 2))
    props = (f'<w:pPr>{"<w:keepNext/>" if keep_next else ""}'
             f'<w:spacing w:before="{int(before * 20)}" w:after="{int(after * 20)}" w:line="264" w:lineRule="auto"/>'
             + (f'<w:ind w:firstLine="{int(indent_cm * 567)}"/>' if indent_cm else "")
             + f'<w:jc w:val="{jc}"/></w:pPr>')

    def run(value: str, is_bold: bool) -> str:
        marks = ("<w:b/><w:bCs/>" if is_bold else "") + ("<w:i/><w:iCs/>" if italic else "")
        lines = xml_text(value).split("\n")
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
        return f'<w:r><w:rPr>{marks}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>{body}</w:r>'

    runs = ""
    if lead:
        runs += run(lead, bold)
    if bold_prefix:
        runs += run(bold_prefix + " ", True)
    runs += run(text, bold)
    return f"<w:p>{props}{runs}</w:p>"


def append_body_xml(document: Any, fragments: list[str], chunk: int = 500) -> None:
    """Append ``w:p`` / ``w:tbl`` fragments to the document's body (before its section properties)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for start in range(0, len(fragments), chunk):
        parsed = parse_xml(f"<w:body {nsdecls('w')}>" + "".join(fragments[start:start + chunk]) + "</w:body>")
        for element in list(parsed):
            if section is not None:
                section.addprevious(element)
            else:
                body.append(element)
