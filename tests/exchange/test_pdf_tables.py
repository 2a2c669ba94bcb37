"""The long tables' cells drawn as reportlab draws them: the same PDF, byte for byte."""

from __future__ import annotations

import io


def _pdf(table_class: type, data: list[list], style: list[tuple], pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=0)
    for _ in range(pages):  # a line met again on the next page is laid out once per document
        table = table_class(data, colWidths=[40, 150, 90, 90], style=style)
        table.wrapOn(canvas, 370, 800)
        table.drawOn(canvas, 40, 200)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_lines_table__every_alignment_font_and_odd_text__the_bytes_reportlab_table_writes():
    """LinesTable draws a plain string cell's lines itself (each distinct line laid out once per document);
    a Paragraph cell, another font and every alignment give the very PDF reportlab's own Table gives."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    from readiness.exchange.fonts import SERIF, SERIF_BOLD, register_fonts
    from readiness.exchange.pdf_tables import _lines_table

    register_fonts()
    header = [Paragraph("<b>STT</b>", ParagraphStyle("h", fontName=SERIF)), "Đơn vị", "Mức độ", "Số tiền"]
    data = [header,
            ["1", "Xã Ba Tơ\nHuyện Ba Tơ (cũ)", "Chưa sẵn sàng", "1.250.000"],
            ["2", "Phường Trương Quang Trọng", "Sẵn sàng", ""],
            ["3", "(ngoặc) \\ gạch chéo — ký tự Ữ ỹ ₫", "Chưa sẵn sàng", "12.000"],
            ["4", "", "Sẵn sàng\nmột phần", "0"],
            ["", "Tổng cộng", "", "1.262.000"]]
    style = [("FONT", (0, 1), (-1, -1), SERIF, 10.5, 12.6), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
             ("ALIGN", (3, 1), (3, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), SERIF_BOLD, 10.5, 12.6),
             ("TEXTCOLOR", (2, 2), (2, 2), colors.red), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6"))]
    mine = _pdf(_lines_table(), data, style)
    assert mine == _pdf(Table, data, style)
    assert b"Tj T* ET" in mine  # the lines were drawn as text (nothing left out)
    # A cell the fast path leaves to reportlab (middle-aligned) still gives the same bytes.
    middle = [*style, ("VALIGN", (1, 1), (1, 1), "MIDDLE")]
    assert _pdf(_lines_table(), data, middle) == _pdf(Table, data, middle)
