"""The provincial report as PDF (reportlab), in the administrative layout of Nghị định 30/2020/NĐ-CP.

Built from :class:`readiness.department.report_content.ProvincialReport` (the Word document is
built from the same content).  Fonts, styles, margins, the header rules and the table grid come
from the commune report in :mod:`readiness.exchange` (bundled Liberation Serif, embedded), so the
two documents look alike.  Page numbers at the top centre from page 2; the annex (Phụ lục, seed
002's five columns) on landscape pages.  Long tables are laid out page by page from row heights
known in advance (:class:`readiness.exchange.pdf_tables.PagedTable`), so the 6,000 petitions of 3,321 communes take seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..exchange.fonts import SERIF, SERIF_BOLD, register_fonts
from ..exchange.pdf_charts import score_bar_chart, shorten
from ..exchange.pdf_common import (BOTTOM, LANDSCAPE_MARGIN_V, MM, TOP, administrative_document, esc, letterhead,
                                   rule as _rule, signature_block, styles, write_pdf_atomically)
from ..numbers import integer
from .report_content import NEEDS_HEADERS, NOT_READY_HEADERS, Block, ProvincialReport

PORTRAIT_FRAME_HEIGHT = 297 * MM - TOP - BOTTOM
LANDSCAPE_FRAME_HEIGHT = 210 * MM - 2 * LANDSCAPE_MARGIN_V


def _header(report: ProvincialReport, st: dict, width: float) -> list:
    settings = report.settings
    return [letterhead(st, width, parent_body=settings.parent_body, issuer=settings.issuer,
                       number_line=report.number_line, date_line=report.date_line)]


def _title(report: ProvincialReport, st: dict, width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    return [Paragraph("BÁO CÁO", st["title"]), Paragraph(esc(report.subject), st["center_bold"]), Spacer(1, 3),
            _rule(width / 4), Spacer(1, 12)]


def _blocks(blocks: list[Block], st: dict) -> list:
    from reportlab.platypus import Paragraph

    out = []
    for block in blocks:
        text = esc(block.text)
        if block.bold_prefix:
            text = f"<b>{esc(block.bold_prefix)}</b> {text}"
        if block.kind == "h1":
            out.append(Paragraph(text, st["h1"]))
        elif block.kind == "h2":
            out.append(Paragraph(text, st["h2"]))
        elif block.kind == "bullet":
            out.append(Paragraph("- " + text, st["body"]))
        else:
            out.append(Paragraph(text, st["body"]))
    return out


def levels_chart(report: ProvincialReport, width: float):
    """Communes per readiness level: one bar per level in the level's colour, the count above."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    height = 58 * MM
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 20 * MM, 12 * MM  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    chart.width, chart.height = width - 30 * MM, height - 20 * MM  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    counts = [count for _, count, _ in report.levels]
    chart.data = [counts]
    chart.categoryAxis.categoryNames = [label for label, _, _ in report.levels]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 10.5
    chart.categoryAxis.labels.dy = -3
    top = max(counts + [1])
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = step * (int(top / step) + 1)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#bbbbbb")
    chart.valueAxis.gridStrokeDashArray = (1, 2)
    chart.bars.strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 30
    for index, (_, _, colour) in enumerate(report.levels):
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    chart.barLabelFormat = lambda value: integer(round(value))  # 3.321, as the text writes it
    chart.barLabels.fontName = SERIF_BOLD
    chart.barLabels.fontSize = 10
    chart.barLabels.nudge = 7
    drawing.add(chart)
    return drawing


def sections_chart(report: ProvincialReport, width: float):
    """Average score per section, horizontal bars in the colours of their bands (:mod:`readiness.bands`)."""
    rows = [(shorten(name, 36), score) for name, score in report.section_averages]
    return score_bar_chart(rows, width, colours=report.section_colours, axis_title="Điểm bình quân (thang 100)",
                           label_width=64 * MM,
                           bar_pitch=6.4 * MM, top_margin=7 * MM)


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return 2000


def _charts(report: ProvincialReport, st: dict, width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    caption = st["center_italic"]
    return [
        KeepTogether([Spacer(1, 4), levels_chart(report, width), Paragraph(esc(report.chart_caption_levels), caption)]),
        Spacer(1, 6),
        KeepTogether([sections_chart(report, width), Paragraph(esc(report.chart_caption_sections), caption)]),
        Spacer(1, 6),
    ]


from ..exchange.pdf_tables import (CELL_FONT_SIZE, CELL_LEADING, PAD_BOTTOM, PAD_TOP, SMALL_FONT_SIZE,  # noqa: E402
                                   SMALL_LEADING, PagedTable as _PagedTable, header_cells as _header_cells,
                                   table_rows as _rows)


def _not_ready(report: ProvincialReport, st: dict, width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph

    if not report.not_ready_title:
        return []
    out: list = [CondPageBreak(40 * MM), Paragraph(esc(report.not_ready_title), st["h1"])]
    if not report.not_ready:
        return out
    widths = [11 * MM, 34 * MM, 13 * MM]
    rest = width - sum(widths)
    widths += [rest * 0.5, rest * 0.5]
    header, header_height = _header_cells(NOT_READY_HEADERS, widths, st["cell_head_small"])
    page = PORTRAIT_FRAME_HEIGHT
    rows = _rows([list(values) for values in report.not_ready], widths, SMALL_FONT_SIZE, SMALL_LEADING, page)
    out.append(_PagedTable(header, header_height, rows, widths, size=SMALL_FONT_SIZE, leading=SMALL_LEADING,
                           page_height=page, centred=(0, 2)))
    return out


def _needs(report: ProvincialReport, st: dict, width: float) -> list:
    """«4. Nhu cầu đầu tư trang thiết bị (ước tính)»: sentences, the estimate (amounts right-aligned, the total
    in bold), where the prices come from."""
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    if not report.needs_title:
        return []
    out: list = [CondPageBreak(30 * MM), Paragraph(esc(report.needs_title), st["h1"])]
    out += _blocks(report.needs_blocks, st)
    if report.needs_table:
        widths = [11 * MM, 0.0, 24 * MM, 27 * MM, 32 * MM]
        widths[1] = width - sum(widths)
        header, header_height = _header_cells(NEEDS_HEADERS, widths, st["cell_head_small"])
        rows = _rows([list(values) for values in report.needs_table], widths, SMALL_FONT_SIZE, SMALL_LEADING,
                     PORTRAIT_FRAME_HEIGHT)
        rows[-1].bold = True  # the total
        out.append(_PagedTable(header, header_height, rows, widths, size=SMALL_FONT_SIZE, leading=SMALL_LEADING,
                               page_height=PORTRAIT_FRAME_HEIGHT, centred=(0,), right=(3, 4)))
        out.append(Spacer(1, 4))
    if report.needs_note:
        out.append(Paragraph(esc(report.needs_note), st["body"]))
    return out


def _provinces(report: ProvincialReport, st: dict, width: float) -> list:
    """«2.2. Kết quả theo tỉnh, thành phố»: the roll-up when the scope spans provinces (its last row the total)."""
    from reportlab.platypus import CondPageBreak, Paragraph

    if not report.provinces:
        return []
    levels = len(report.province_headers) - 5
    widths = [9 * MM, 30 * MM, 19 * MM, 27 * MM, 17 * MM]
    rest = width - sum(widths)
    widths += [rest / levels] * levels if levels > 0 else []
    header, header_height = _header_cells(report.province_headers, widths, st["cell_head_small"])
    page = PORTRAIT_FRAME_HEIGHT
    rows = _rows([list(values) for values in report.provinces], widths, SMALL_FONT_SIZE, SMALL_LEADING, page)
    return [CondPageBreak(50 * MM), Paragraph(esc(report.provinces_title), st["h2"]),
            _PagedTable(header, header_height, rows, widths, size=SMALL_FONT_SIZE, leading=SMALL_LEADING,
                        page_height=page, centred=tuple(i for i in range(len(widths)) if i != 1))]


def _closing(report: ProvincialReport, st: dict, width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    table = signature_block(st, width, recipients=report.recipients, signer_title=report.signer_title,
                            signer_name=report.signer_name)
    # The closing paragraph goes with the signature: never a signature block alone on a page.
    return [KeepTogether([Paragraph(esc(report.closing), st["body"]), Spacer(1, 8), table])]


def _annex(report: ProvincialReport, st: dict, width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    out: list = [
        Paragraph("PHỤ LỤC", st["center_bold"]),
        *([Paragraph(esc(report.annex_title), st["center_bold"])] if report.annex_title else []),
        Paragraph(esc(report.annex_subtitle), st["center_italic"]),
        Spacer(1, 3),
        _rule(40 * MM),
        Spacer(1, 8),
    ]
    if not report.annex:
        out.append(Paragraph("Không có khó khăn, vướng mắc, đề xuất, kiến nghị trong kỳ.", st["body_flat"]))
        return out
    widths = [12 * MM, 36 * MM]
    rest = width - sum(widths)
    widths += [rest * 0.46, rest * 0.30, rest * 0.24]
    header, header_height = _header_cells(report.annex_headers, widths, st["cell_head"])
    values = [[str(row.number) if row.first else "", row.commune if row.first else "", row.content, row.resolution,
               row.recommendation] for row in report.annex]
    page = LANDSCAPE_FRAME_HEIGHT
    rows = _rows(values, widths, CELL_FONT_SIZE, CELL_LEADING, page)
    # Row heights count the shared cells too, so a repeated commune name on a new page still fits.
    shared = {}
    for entry, row in zip(report.annex, rows):
        if entry.first:
            shared[entry.number] = (row.cells[0], row.cells[1])
    for entry, row in zip(report.annex, rows):
        row.group, row.first, row.shared = entry.number, entry.first, shared[entry.number]
        if not entry.first:
            name_lines = shared[entry.number][1].count("\n") + 1
            row.height = max(row.height, name_lines * CELL_LEADING + PAD_TOP + PAD_BOTTOM + 1)
    out.append(_PagedTable(header, header_height, rows, widths, size=CELL_FONT_SIZE, leading=CELL_LEADING,
                           page_height=page, centred=(0,), shared_columns=2))
    return out


def build_pdf(report: ProvincialReport, target: Any) -> int:
    """Lay the report out into ``target`` (a path or a binary file); returns the page count."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    register_fonts()
    st = styles()
    doc, frame_p, frame_l, pages = administrative_document(
        target, title=f"Báo cáo {report.subject}", author=report.settings.department_name, subject=report.subject)
    width = frame_p.width
    from reportlab.platypus import Paragraph

    story: list = []
    story += _header(report, st, width)
    story += _title(report, st, width)
    story.append(Paragraph(esc(report.intro), st["body"]))
    story += _blocks(report.blocks_before_chart, st)
    if report.show_charts:
        story += _charts(report, st, width)
    story += _provinces(report, st, width)
    story += _blocks(report.blocks_after_chart, st)
    story += _not_ready(report, st, width)
    story += _blocks(report.not_ready_note, st)
    story += _needs(report, st, width)
    story += _blocks(report.blocks_after_table, st)
    story += _closing(report, st, width)
    story += [NextPageTemplate("landscape"), PageBreak()]
    story += _annex(report, st, frame_l.width)
    doc.build(story)
    return pages["count"]


def write_report_pdf(report: ProvincialReport, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    return write_pdf_atomically(path, lambda target: build_pdf(report, target))
