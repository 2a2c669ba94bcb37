"""Shared pieces of the two PDFs: styles in the bundled serif font, escaping, Vietnamese dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from pathlib import Path
from xml.sax.saxutils import escape

from .fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts

MM = 72 / 25.4
# Nghị định 30/2020/NĐ-CP margins for A4 portrait; landscape annex pages get 20 mm all round (15 mm right).
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
LANDSCAPE_MARGIN_H, LANDSCAPE_MARGIN_V = 20 * MM, 20 * MM


def esc(text: object) -> str:
    """Text for a reportlab Paragraph (its mini-markup must not see the user's < > &)."""
    return escape("" if text is None else str(text))


def vn_date_words(day: dt.date) -> str:
    """``ngày 05 tháng 01 năm 2026`` (Nghị định 30/2020: a leading 0 for days below 10 and months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def styles(base: float = 13.5) -> dict:
    """Paragraph styles: body text at ``base`` pt (13–14 pt per the decree), tables smaller."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    leading = round(base * 1.28, 1)
    body = ParagraphStyle("body", fontName=SERIF, fontSize=base, leading=leading, alignment=TA_JUSTIFY,
                          firstLineIndent=10 * MM, spaceAfter=5)
    out = {
        "body": body,
        "body_flat": ParagraphStyle("body_flat", parent=body, firstLineIndent=0),
        "h1": ParagraphStyle("h1", parent=body, fontName=SERIF_BOLD, firstLineIndent=10 * MM, spaceBefore=6),
        "h2": ParagraphStyle("h2", parent=body, fontName=SERIF_BOLD, firstLineIndent=10 * MM, spaceBefore=3),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        "center_bold": ParagraphStyle("center_bold", parent=body, fontName=SERIF_BOLD, alignment=TA_CENTER,
                                      firstLineIndent=0, spaceAfter=0),
        "center_italic": ParagraphStyle("center_italic", parent=body, fontName=SERIF_ITALIC, alignment=TA_CENTER,
                                        firstLineIndent=0, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=14, leading=18,
                                alignment=TA_CENTER, firstLineIndent=0, spaceBefore=14, spaceAfter=0),
        "cell": ParagraphStyle("cell", fontName=SERIF, fontSize=10.5, leading=12.6, alignment=TA_LEFT),
        "cell_small": ParagraphStyle("cell_small", fontName=SERIF, fontSize=9, leading=10.6, alignment=TA_LEFT),
        "cell_center": ParagraphStyle("cell_center", fontName=SERIF, fontSize=10.5, leading=12.6, alignment=TA_CENTER),
        "cell_head": ParagraphStyle("cell_head", fontName=SERIF_BOLD, fontSize=10.5, leading=12.6, alignment=TA_CENTER),
        "cell_head_small": ParagraphStyle("cell_head_small", fontName=SERIF_BOLD, fontSize=9, leading=10.6,
                                          alignment=TA_CENTER),
        "small_italic": ParagraphStyle("small_italic", fontName=SERIF_ITALIC, fontSize=9, leading=11, alignment=TA_LEFT),
        "recipients_head": ParagraphStyle("recipients_head", fontName=SERIF_BOLD_ITALIC, fontSize=12, leading=14),
        "recipients": ParagraphStyle("recipients", fontName=SERIF, fontSize=11, leading=13),
        "sign": ParagraphStyle("sign", fontName=SERIF_BOLD, fontSize=13.5, leading=17, alignment=TA_CENTER),
    }
    return out


def write_pdf_atomically(path: str | Path, build: Callable[[str], object]) -> Path:
    """Build a PDF into a temporary file beside ``path``, check it is complete, then rename it over
    ``path``: a failure leaves nothing half-written.  Every PDF the app writes goes through here."""
    from .errors import ExchangeError
    from .xlsx import atomic_write

    def check(temp: Path) -> None:
        data = temp.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise ExchangeError("E-EXPORT-VERIFY", "Tệp PDF vừa ghi không đầy đủ; tệp chưa được lưu.", file=path)

    return atomic_write(Path(path), lambda temp: build(str(temp)), check)


def administrative_document(target: Any, *, title: str, author: str, subject: str) -> tuple[Any, Any, Any, dict]:
    """A4 document with a "portrait" and a "landscape" page template and page numbers at the top
    centre from page 2 (Nghị định 30/2020).  Returns ``(doc, portrait frame, landscape frame, pages)``;
    ``pages["count"]`` holds the page count once the document is built."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    pages = {"count": 0}

    def number_pages(canvas: Any, doc: Any) -> None:
        pages["count"] = doc.page
        if doc.page >= 2:
            width, height = canvas._pagesize
            canvas.setFont(SERIF, 13)
            canvas.drawCentredString(width / 2, height - 12 * MM, str(doc.page))

    portrait, wide = A4, landscape(A4)
    frame_p = Frame(LEFT, BOTTOM, portrait[0] - LEFT - RIGHT, portrait[1] - TOP - BOTTOM, id="p",
                    leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame_l = Frame(LANDSCAPE_MARGIN_H, LANDSCAPE_MARGIN_V, wide[0] - LANDSCAPE_MARGIN_H - 15 * MM,
                    wide[1] - 2 * LANDSCAPE_MARGIN_V, id="l", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(target, pagesize=A4, title=title, author=author, subject=subject, creator="Sẵn sàng Một cửa",
                          pageCompression=1, initialFontName=SERIF,
                          leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM)
    doc.addPageTemplates([
        PageTemplate(id="portrait", frames=[frame_p], pagesize=portrait, onPage=number_pages),
        PageTemplate(id="landscape", frames=[frame_l], pagesize=wide, onPage=number_pages),
    ])
    return doc, frame_p, frame_l, pages
