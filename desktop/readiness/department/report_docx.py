"""The provincial report as an editable Word document (python-docx): department letters are drafted in Word.

Same content as the PDF (:mod:`readiness.department.report_content`), laid out per Nghị định
30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (on every
department PC) at 14 pt for the body; the header block without borders; page numbers at the top
centre from page 2 (a PAGE field, so Word renumbers after edits); tables with borders and a
repeated header row; the annex in its own landscape section, a commune's petitions sharing its
STT and name cells (vertical merge).  Charts are pictures (Word has no chart python-docx can
write), drawn with Pillow in the bundled Liberation Serif (metric twin of Times New Roman).

Large tables are built on the XML directly: python-docx's ``row.cells`` walks the whole table on
every call, quadratic for the annex of 3,321 communes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..answers import format_number
from .report_content import (ANNEX_HEADERS, ISSUER, ISSUER_PARENT, MOTTO, NATION, NOT_READY_HEADERS, Block,
                             ProvincialReport)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
SMALL_PT = 11


# -- charts (PNG) -------------------------------------------------------------------------------------


def _font(size: int, bold: bool = False, italic: bool = False):
    from PIL import ImageFont

    from ..exchange.fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, font_path

    name = SERIF_BOLD_ITALIC if bold and italic else SERIF_BOLD if bold else SERIF_ITALIC if italic else SERIF
    return ImageFont.truetype(str(font_path(name)), size)


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def levels_png(report: ProvincialReport, scale: int = 2) -> bytes:
    """Vertical bars: communes per level, in the level colours, the count on each bar."""
    from PIL import Image, ImageDraw

    from .report_pdf import _nice_step

    width, height = 600 * scale, 230 * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 50 * scale, 20 * scale, 20 * scale, 40 * scale
    counts = [count for _, count, _ in report.levels]
    peak = max(counts + [1])
    step = _nice_step(peak)
    top_value = step * (int(peak / step) + 1)
    plot_h = height - top - bottom
    small, label_font, bold = _font(11 * scale), _font(13 * scale), _font(13 * scale, bold=True)
    for value in range(0, top_value + 1, step):
        y = height - bottom - plot_h * value / top_value
        draw.line([(left, y), (width - right, y)], fill=(200, 200, 200), width=1 * scale)
        draw.text((left - 6 * scale, y), str(value), fill="black", font=small, anchor="rm")
    draw.line([(left, height - bottom), (width - right, height - bottom)], fill="black", width=1 * scale)
    slot = (width - left - right) / max(len(counts), 1)
    for index, (label, count, colour) in enumerate(report.levels):
        centre = left + slot * (index + 0.5)
        bar_w = min(70 * scale, slot * 0.45)
        y = height - bottom - plot_h * count / top_value
        draw.rectangle([centre - bar_w / 2, y, centre + bar_w / 2, height - bottom], fill=_hex(colour))
        draw.text((centre, y - 4 * scale), str(count), fill="black", font=bold, anchor="md")
        draw.text((centre, height - bottom + 8 * scale), label, fill="black", font=label_font, anchor="mt")
    return _png(image)


def sections_png(report: ProvincialReport, scale: int = 2) -> bytes:
    """Horizontal bars: the average score per section, coloured by band, the value after each bar."""
    from PIL import Image, ImageDraw

    from ..exchange.pdf_charts import band_colour

    rows = report.section_averages
    bar = 24
    width, height = 600 * scale, (len(rows) * bar + 50) * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top = 230 * scale, 45 * scale, 10 * scale
    plot_w = width - left - right
    small, label_font, bold, italic = (_font(11 * scale), _font(12 * scale), _font(12 * scale, bold=True),
                                       _font(11 * scale, italic=True))
    bottom_y = top + len(rows) * bar * scale
    for value in range(0, 101, 20):
        x = left + plot_w * value / 100
        draw.line([(x, top), (x, bottom_y)], fill=(200, 200, 200), width=1 * scale)
        draw.text((x, bottom_y + 4 * scale), str(value), fill="black", font=small, anchor="mt")
    draw.line([(left, top), (left, bottom_y)], fill="black", width=1 * scale)
    for index, (name, value) in enumerate(rows):
        y0 = top + index * bar * scale
        centre = y0 + bar * scale / 2
        text = name if len(name) <= 38 else name[:36].rstrip() + "…"
        draw.text((left - 6 * scale, centre), text, fill="black", font=label_font, anchor="rm")
        if value is not None:
            x = left + plot_w * value / 100
            draw.rectangle([left, centre - 7 * scale, x, centre + 7 * scale], fill=_hex(band_colour(value)))
            draw.text((x + 4 * scale, centre), format_number(round(value, 1)), fill="black", font=bold, anchor="lm")
        else:
            draw.text((left + 4 * scale, centre), "—", fill="black", font=bold, anchor="lm")
    draw.text((left + plot_w / 2, height - 6 * scale), "Điểm bình quân (thang 100)", fill="black", font=italic, anchor="md")
    return _png(image)


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# -- document helpers ---------------------------------------------------------------------------------


def _set_font(run: Any, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
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


def _para(container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
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
        _set_font(paragraph.add_run(lead), size, bold, italic)
    if bold_prefix:
        _set_font(paragraph.add_run(bold_prefix + " "), size, True, italic)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_font(run, size, bold, italic)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def _rule_paragraph(container: Any, width_cm: float, cell_width_cm: float) -> None:
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


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_margins(table: Any, cm: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(cm * 567)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _grid_borders(table: Any) -> None:
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


def _cell_text(cell: Any, text: str, *, size: float = TABLE_PT, bold: bool = False, align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    # One paragraph per line (a line break inside a justified paragraph stretches the line before it).
    lines = text.split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                               "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(1), Pt(1)
        _set_font(paragraph.add_run(line), size, bold)


def _shade(cell: Any, fill: str = "E6E6E6") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    # Characters XML 1.0 cannot hold (control characters) are dropped rather than failing the document.
    return escape("".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32))


def _xml_cell(text: str, width_twips: int, *, size: float, align: str = "left", bold: bool = False,
              vmerge: str | None = None) -> str:
    """One ``w:tc``: a paragraph per line, runs in the document's font at ``size`` pt."""
    jc = {"left": "left", "center": "center", "justify": "both"}[align]
    half_points = int(round(size * 2))
    run_props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    merge = "" if vmerge is None else ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    paragraphs = "".join(
        f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/><w:jc w:val="{jc}"/></w:pPr>'
        f'<w:r>{run_props}<w:t xml:space="preserve">{_xml_text(line)}</w:t></w:r></w:p>'
        for line in (text.split("\n") if text else [""])
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>{merge}</w:tcPr>{paragraphs}</w:tc>'


def _append_rows(table: Any, rows: list[str], chunk: int = 400) -> None:
    """Append rows given as ``w:tr`` XML, parsed in chunks (python-docx's objects are far too slow for thousands)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    tbl = table._tbl
    for start in range(0, len(rows), chunk):
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>" + "".join(rows[start:start + chunk]) + "</w:tbl>")
        for tr in list(parsed):
            tbl.append(tr)


def _new_row(table: Any) -> list:
    """Append a row and return its cells without python-docx's whole-table walk."""
    from docx.table import _Cell

    tr = table._tbl.add_tr()
    for grid_col in table._tbl.tblGrid.gridCol_lst:
        tc = tr.add_tc()
        tc.width = grid_col.w
    return [_Cell(tc, table) for tc in tr.tc_lst]


def _fixed_widths(table: Any, widths_cm: list[float]) -> None:
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


def _table(document_or_cell: Any, widths_cm: list[float], headers: tuple[str, ...], *, size: float = TABLE_PT) -> Any:
    table = document_or_cell.add_table(rows=0, cols=len(widths_cm))
    _fixed_widths(table, widths_cm)
    _grid_borders(table)
    _cell_margins(table, 0.1)
    cells = _new_row(table)
    for cell, text in zip(cells, headers):
        _cell_text(cell, text, bold=True, align="center", size=size)
        _shade(cell)
    _repeat_header(table.rows[0])
    return table


# -- the document --------------------------------------------------------------------------------------


def _page_number_header(section: Any) -> None:
    """PAGE field at the top centre, none on the first page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, 13)
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


def build_docx(report: ProvincialReport) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    from docx.oxml.ns import qn

    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    document.core_properties.title = f"Báo cáo {report.subject}"
    document.core_properties.author = "Sở Khoa học và Công nghệ"
    document.core_properties.language = "vi-VN"

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.header_distance = Cm(1.0)
    _page_number_header(section)
    body_width = 21.0 - 3.0 - 1.5

    # Header block: issuing body | national title and motto; number | place and date.
    # Each header line unbroken: the issuer (12.5 pt bold, 6.8 cm) left, the national title (12 pt
    # bold, 8.9 cm) right; cell margins narrowed so both fit the 16.5 cm between the margins.
    left_w, right_w = 7.1, body_width - 7.1
    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(header, [left_w, right_w])
    _no_borders(header)
    _cell_margins(header, 0.05)
    cell = header.cell(0, 0)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _para(cell, ISSUER_PARENT, size=12.5, align="center", after=0)
    _para(cell, ISSUER, size=12.5, bold=True, align="center", after=0)
    _rule_paragraph(cell, 2.4, left_w)
    cell = header.cell(0, 1)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _para(cell, NATION, size=12, bold=True, align="center", after=0)
    _para(cell, MOTTO, size=13, bold=True, align="center", after=0)
    _rule_paragraph(cell, 5.9, right_w)
    number_cell, date_cell = header.cell(1, 0), header.cell(1, 1)
    number_cell.paragraphs[0]._p.getparent().remove(number_cell.paragraphs[0]._p)
    date_cell.paragraphs[0]._p.getparent().remove(date_cell.paragraphs[0]._p)
    _para(number_cell, report.number_line, size=13, align="center", before=6, after=0)
    _para(date_cell, report.date_line, size=14, italic=True, align="center", before=6, after=0)

    _para(document, "BÁO CÁO", size=14, bold=True, align="center", before=18, after=0)
    _para(document, report.subject, size=14, bold=True, align="center", after=0)
    _rule_paragraph(document, 4.0, body_width)
    _para(document, "", after=0)
    _para(document, report.intro, indent_cm=1.0)
    _blocks(document, report.blocks_before_chart)

    from docx.shared import Cm as _Cm

    charts = ((levels_png(report), report.chart_caption_levels),
              (sections_png(report), report.chart_caption_sections)) if report.has_data else ()
    for png, caption in charts:
        picture = document.add_paragraph()
        picture.alignment = 1
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=_Cm(15.0))
        _para(document, caption, size=13, italic=True, align="center", after=8)

    _blocks(document, report.blocks_after_chart)
    _para(document, report.not_ready_title, bold=True, indent_cm=1.0, before=6, keep_next=True)
    if report.not_ready:
        widths = [1.1, 3.3, 1.3]
        rest = body_width - sum(widths)
        widths += [rest / 2, rest / 2]
        table = _table(document, widths, NOT_READY_HEADERS, size=SMALL_PT)
        twips = [int(w * 567) for w in widths]
        aligns = ("center", "left", "center", "left", "left")
        _append_rows(table, [
            "<w:tr>" + "".join(_xml_cell(text, twips[i], size=SMALL_PT, align=aligns[i]) for i, text in enumerate(values))
            + "</w:tr>"
            for values in report.not_ready
        ])
        _para(document, "", after=0)
    _blocks(document, report.blocks_after_table)
    _para(document, report.closing, indent_cm=1.0)

    closing = document.add_table(rows=1, cols=2)
    _fixed_widths(closing, [body_width / 2, body_width / 2])
    _no_borders(closing)
    recipients, sign = closing.cell(0, 0), closing.cell(0, 1)
    recipients.paragraphs[0]._p.getparent().remove(recipients.paragraphs[0]._p)
    sign.paragraphs[0]._p.getparent().remove(sign.paragraphs[0]._p)
    _para(recipients, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    for line in report.options.recipients:
        _para(recipients, f"- {line}", size=11, align="left", after=0)
    for line in report.options.signer_title:
        _para(sign, line, size=14, bold=True, align="center", after=0)
    for _ in range(4):
        _para(sign, "", size=14, after=0)
    _para(sign, report.options.signer_name or "", size=14, bold=True, align="center", after=0)

    # The annex: a new landscape section.
    annex = document.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.different_first_page_header_footer = False  # numbered from its first page on
    annex.page_width, annex.page_height = Cm(29.7), Cm(21.0)
    annex.top_margin, annex.bottom_margin = Cm(2.0), Cm(2.0)
    annex.left_margin, annex.right_margin = Cm(2.0), Cm(1.5)
    annex_width = 29.7 - 2.0 - 1.5
    _para(document, "PHỤ LỤC", size=14, bold=True, align="center", after=0)
    _para(document, report.annex_title, size=14, bold=True, align="center", after=0)
    _para(document, report.annex_subtitle, size=14, italic=True, align="center", after=0)
    _rule_paragraph(document, 4.0, annex_width)
    _para(document, "", after=0)
    if not report.annex:
        _para(document, "Không có khó khăn, vướng mắc, đề xuất, kiến nghị trong kỳ.", align="left")
        return document
    widths = [1.2, 3.6]
    rest = annex_width - sum(widths)
    widths += [rest * 0.46, rest * 0.30, rest * 0.24]
    table = _table(document, widths, ANNEX_HEADERS)
    twips = [int(w * 567) for w in widths]
    rows = []
    for row in report.annex:
        # A commune's petitions share its STT and name cells (vertical merge, split freely across pages).
        merge = ("restart" if row.span > 1 else None) if row.first else "continue"
        cells = [
            _xml_cell(str(row.number) if row.first else "", twips[0], size=TABLE_PT, align="center", vmerge=merge),
            _xml_cell(row.commune if row.first else "", twips[1], size=TABLE_PT, vmerge=merge),
            _xml_cell(row.content, twips[2], size=TABLE_PT, align="justify"),
            _xml_cell(row.resolution, twips[3], size=TABLE_PT),
            _xml_cell(row.recommendation, twips[4], size=TABLE_PT),
        ]
        rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>")
    _append_rows(table, rows)
    return document


def _blocks(document: Any, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind in ("h1", "h2"):
            _para(document, block.text, bold=True, indent_cm=1.0, before=6, after=4, keep_next=True)
        elif block.kind == "bullet":
            _para(document, block.text, indent_cm=1.0, lead="- ", bold_prefix=block.bold_prefix)
        else:
            _para(document, block.text, indent_cm=1.0)


def write_report_docx(report: ProvincialReport, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    import zipfile

    from ..exchange.errors import ExchangeError
    from ..exchange.xlsx import atomic_write

    def write(temp: Path) -> None:
        build_docx(report).save(str(temp))

    def check(temp: Path) -> None:
        try:
            with zipfile.ZipFile(temp) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no word/document.xml")
        except zipfile.BadZipFile as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Tệp Word vừa ghi không đầy đủ ({error}); tệp chưa được lưu.",
                                file=path) from None

    return atomic_write(Path(path), write, check)
