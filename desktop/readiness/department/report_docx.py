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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..numbers import integer, score as score_words
from ..exchange.docx_common import (BODY_WIDTH, SMALL_PT, TABLE_PT, append_rows, grid_table, letterhead,
                                    new_document, para, rule_paragraph, signature_block,
                                    write_docx_atomically, xml_cell)
from .report_content import NEEDS_HEADERS, NOT_READY_HEADERS, Block, ProvincialReport



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
        draw.text((centre, y - 4 * scale), integer(count), fill="black", font=bold, anchor="md")
        draw.text((centre, height - bottom + 8 * scale), label, fill="black", font=label_font, anchor="mt")
    return _png(image)


def sections_png(report: ProvincialReport, scale: int = 2) -> bytes:
    """Horizontal bars: the average score per section in the colour of its band (:mod:`readiness.bands`),
    the value after each bar."""
    from PIL import Image, ImageDraw

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
    for tick in range(0, 101, 20):
        x = left + plot_w * tick / 100
        draw.line([(x, top), (x, bottom_y)], fill=(200, 200, 200), width=1 * scale)
        draw.text((x, bottom_y + 4 * scale), str(tick), fill="black", font=small, anchor="mt")
    draw.line([(left, top), (left, bottom_y)], fill="black", width=1 * scale)
    for index, ((name, value), colour) in enumerate(zip(rows, report.section_colours)):
        y0 = top + index * bar * scale
        centre = y0 + bar * scale / 2
        text = name if len(name) <= 38 else name[:36].rstrip() + "…"
        draw.text((left - 6 * scale, centre), text, fill="black", font=label_font, anchor="rm")
        if value is not None:
            x = left + plot_w * value / 100
            draw.rectangle([left, centre - 7 * scale, x, centre + 7 * scale], fill=_hex(colour))
            draw.text((x + 4 * scale, centre), score_words(value, fixed=True), fill="black", font=bold,
                      anchor="lm")
        else:
            draw.text((left + 4 * scale, centre), "—", fill="black", font=bold, anchor="lm")
    draw.text((left + plot_w / 2, height - 6 * scale), "Điểm bình quân (thang 100)", fill="black", font=italic, anchor="md")
    return _png(image)


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_docx(report: ProvincialReport) -> Any:
    """The whole Word document (python-docx), the annex's rows in it."""
    document, rows = _build(report)
    if rows is not None:
        append_rows(document.tables[-1], list(rows))
    return document


def _build(report: ProvincialReport, *, mark: str | None = None) -> tuple[Any, Iterator[str] | None]:
    """The document and the annex's rows (``w:tr`` XML, made as they are read; None: no annex table).

    ``mark``: the annex table then holds one row with this text, where :class:`_StreamedAnnex` writes
    the rows when it saves (never as a tree in memory: 6,000 petitions are ~200 MB of XML objects)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    settings = report.settings
    document = new_document(title=f"Báo cáo {report.subject}", author=settings.department_name, subject=report.subject)
    body_width = BODY_WIDTH
    letterhead(document, parent_body=settings.parent_body, issuer=settings.issuer, number_line=report.number_line,
               date_line=report.date_line)

    para(document, "BÁO CÁO", size=14, bold=True, align="center", before=18, after=0)
    para(document, report.subject, size=14, bold=True, align="center", after=0)
    rule_paragraph(document, 4.0, body_width)
    para(document, "", after=0)
    para(document, report.intro, indent_cm=1.0)
    _blocks(document, report.blocks_before_chart)

    charts = ((levels_png(report), report.chart_caption_levels),
              (sections_png(report), report.chart_caption_sections)) if report.show_charts else ()
    for png, caption in charts:
        picture = document.add_paragraph()
        picture.alignment = 1
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(15.0))
        para(document, caption, size=13, italic=True, align="center", after=8)

    if report.provinces:  # the roll-up when the scope spans provinces (its last row the total)
        para(document, report.provinces_title, bold=True, indent_cm=1.0, before=6, after=4, keep_next=True)
        widths = [1.1, 3.0, 1.9, 2.5, 1.7]
        levels = len(report.province_headers) - len(widths)
        rest = body_width - sum(widths)
        widths += [rest / levels] * levels if levels > 0 else []
        table = grid_table(document, widths, report.province_headers, size=SMALL_PT)
        twips = [int(w * 567) for w in widths]
        append_rows(table, [
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(xml_cell(text, twips[i], size=SMALL_PT,
                                                                     align="left" if i == 1 else "center",
                                        bold=index == len(report.provinces) - 1)
                               for i, text in enumerate(values)) + "</w:tr>"
            for index, values in enumerate(report.provinces)
        ])
        para(document, "", after=0)
    _blocks(document, report.blocks_after_chart)
    if report.not_ready_title:
        para(document, report.not_ready_title, bold=True, indent_cm=1.0, before=6, keep_next=True)
    if report.not_ready_title and report.not_ready:
        widths = [1.1, 3.3, 1.3]
        rest = body_width - sum(widths)
        widths += [rest / 2, rest / 2]
        table = grid_table(document, widths, NOT_READY_HEADERS, size=SMALL_PT)
        twips = [int(w * 567) for w in widths]
        aligns = ("center", "left", "center", "left", "left")
        append_rows(table, [
            "<w:tr>" + "".join(xml_cell(text, twips[i], size=SMALL_PT, align=aligns[i]) for i, text in enumerate(values))
            + "</w:tr>"
            for values in report.not_ready
        ])
        para(document, "", after=0)
    _blocks(document, report.not_ready_note)
    if report.needs_title:
        para(document, report.needs_title, bold=True, indent_cm=1.0, before=6, keep_next=True)
        _blocks(document, report.needs_blocks)
        if report.needs_table:
            widths = [1.1, 0.0, 2.4, 2.7, 3.2]
            widths[1] = body_width - sum(widths)
            table = grid_table(document, widths, NEEDS_HEADERS, size=SMALL_PT)
            twips = [int(w * 567) for w in widths]
            aligns = ("center", "left", "left", "right", "right")
            last = len(report.needs_table) - 1
            append_rows(table, [
                "<w:tr>" + "".join(xml_cell(text, twips[i], size=SMALL_PT, align=aligns[i], bold=number == last)
                                   for i, text in enumerate(values)) + "</w:tr>"
                for number, values in enumerate(report.needs_table)
            ])
            para(document, "", after=0)
        if report.needs_note:
            para(document, report.needs_note, indent_cm=1.0)
    _blocks(document, report.blocks_after_table)
    para(document, report.closing, indent_cm=1.0, keep_next=True)

    signature_block(document, recipients=report.recipients, signer_title=report.signer_title,
                    signer_name=report.signer_name, width=body_width)

    # The annex: a new landscape section.
    annex = document.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.different_first_page_header_footer = False  # numbered from its first page on
    annex.page_width, annex.page_height = Cm(29.7), Cm(21.0)
    annex.top_margin, annex.bottom_margin = Cm(2.0), Cm(2.0)
    annex.left_margin, annex.right_margin = Cm(2.0), Cm(1.5)
    annex_width = 29.7 - 2.0 - 1.5
    para(document, "PHỤ LỤC", size=14, bold=True, align="center", after=0)
    if report.annex_title:
        para(document, report.annex_title, size=14, bold=True, align="center", after=0)
    para(document, report.annex_subtitle, size=14, italic=True, align="center", after=0)
    rule_paragraph(document, 4.0, annex_width)
    para(document, "", after=0)
    if not report.annex:
        para(document, "Không có khó khăn, vướng mắc, đề xuất, kiến nghị trong kỳ.", align="left")
        return document, None
    widths = [1.2, 3.6]
    rest = annex_width - sum(widths)
    widths += [rest * 0.46, rest * 0.30, rest * 0.24]
    table = grid_table(document, widths, report.annex_headers)
    twips = [int(w * 567) for w in widths]

    def rows() -> Iterator[str]:
        for row in report.annex:
            # A commune's petitions share its STT and name cells (vertical merge, split freely across pages).
            merge = ("restart" if row.span > 1 else None) if row.first else "continue"
            cells = [
                xml_cell(str(row.number) if row.first else "", twips[0], size=TABLE_PT, align="center", vmerge=merge),
                xml_cell(row.commune if row.first else "", twips[1], size=TABLE_PT, vmerge=merge),
                xml_cell(row.content, twips[2], size=TABLE_PT, align="justify"),
                xml_cell(row.resolution, twips[3], size=TABLE_PT),
                xml_cell(row.recommendation, twips[4], size=TABLE_PT),
            ]
            yield "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>"

    if mark is not None:
        append_rows(table, ["<w:tr>" + xml_cell(mark, twips[0], size=TABLE_PT) + "</w:tr>"])
    return document, rows()


class _StreamedAnnex:
    """Saves the document with the annex's rows written straight into ``word/document.xml`` of the package,
    in place of the marked row: the rest of the package is python-docx's, byte for byte."""

    def __init__(self, report: ProvincialReport):
        import secrets

        self.mark = f"readiness-annex-{secrets.token_hex(16)}"  # no text a commune typed can be it
        self.document, self.rows = _build(report, mark=self.mark)

    def save(self, path: str) -> None:
        import zipfile

        buffer = io.BytesIO()
        self.document.save(buffer)
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename != "word/document.xml" or self.rows is None:
                    target.writestr(info, data)
                    continue
                text = data.decode("utf-8")
                if text.count(self.mark) != 1:
                    raise ValueError("the annex's place is not in the document once")
                at = text.index(self.mark)
                start, end = text.rindex("<w:tr>", 0, at), text.index("</w:tr>", at) + len("</w:tr>")
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
                with target.open(entry, "w") as out:
                    out.write(text[:start].encode("utf-8"))
                    chunk: list[str] = []
                    for row in self.rows:
                        chunk.append(row)
                        if len(chunk) >= 400:
                            out.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                    out.write("".join(chunk).encode("utf-8"))
                    out.write(text[end:].encode("utf-8"))


def _blocks(document: Any, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind in ("h1", "h2"):
            para(document, block.text, bold=True, indent_cm=1.0, before=6, after=4, keep_next=True)
        elif block.kind == "bullet":
            para(document, block.text, indent_cm=1.0, lead="- ", bold_prefix=block.bold_prefix)
        else:
            para(document, block.text, indent_cm=1.0)


def write_report_docx(report: ProvincialReport, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    return write_docx_atomically(path, lambda: _StreamedAnnex(report))
