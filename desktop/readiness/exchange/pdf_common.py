"""Shared pieces of the two PDFs: styles in the bundled serif font, escaping, Vietnamese dates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from pathlib import Path
from xml.sax.saxutils import escape

from .fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts
from .nd30 import MOTTO, NATION, vn_date_words  # noqa: F401 - vn_date_words: its callers import it from here

MM = 72 / 25.4
# Nghị định 30/2020/NĐ-CP margins for A4 portrait; landscape annex pages get 20 mm all round (15 mm right).
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
LANDSCAPE_MARGIN_H, LANDSCAPE_MARGIN_V = 20 * MM, 20 * MM


def plain(text: object) -> str:
    """Text as it may be drawn: NFC, without control characters (a commune's text may hold any)."""
    from ..text import printable

    return printable(text)


def esc(text: object) -> str:
    """Text for a reportlab Paragraph (its mini-markup must not see the user's < > &; no control characters)."""
    return escape(plain(text))




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

    def write(temp: Path) -> None:
        build(str(temp))

    return atomic_write(Path(path), write, check)


def administrative_document(target: Any, *, title: str, author: str, subject: str, per_document: bool = False
                            ) -> tuple[Any, Any, Any, dict]:
    """A4 document with a "portrait" and a "landscape" page template and page numbers at the top
    centre from page 2 (Nghị định 30/2020).  Returns ``(doc, portrait frame, landscape frame, pages)``;
    ``pages["count"]`` holds the page count once the document is built.

    ``per_document``: several documents in one file; each counts its pages from the page where a flowable
    set ``pages["start"]`` (``letter_pdf.document_start``), so page numbers restart with each."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    pages = {"count": 0, "start": 1}

    def number_pages(canvas: Any, doc: Any) -> None:
        pages["count"] = doc.page
        number = doc.page - pages["start"] + 1
        if number >= 2:
            width, height = canvas._pagesize
            canvas.setFont(SERIF, 13)
            canvas.drawCentredString(width / 2, height - 12 * MM, str(number))

    portrait, wide = A4, landscape(A4)
    frame_p = Frame(LEFT, BOTTOM, portrait[0] - LEFT - RIGHT, portrait[1] - TOP - BOTTOM, id="p",
                    leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame_l = Frame(LANDSCAPE_MARGIN_H, LANDSCAPE_MARGIN_V, wide[0] - LANDSCAPE_MARGIN_H - 15 * MM,
                    wide[1] - 2 * LANDSCAPE_MARGIN_V, id="l", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(target, pagesize=A4, title=title, author=author, subject=subject, creator="Sẵn sàng Một cửa",
                          pageCompression=1, initialFontName=SERIF,
                          leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM)
    # Per document, the number is drawn at the end of the page, once the page's own start mark is drawn.
    hooks = {"onPageEnd": number_pages} if per_document else {"onPage": number_pages}
    doc.addPageTemplates([
        PageTemplate(id="portrait", frames=[frame_p], pagesize=portrait, **hooks),
        PageTemplate(id="landscape", frames=[frame_l], pagesize=wide, **hooks),
    ])
    return doc, frame_p, frame_l, pages


def rule(width: float, thickness: float = 0.7) -> Any:
    """A short centred horizontal line (under the issuer, the motto, a title)."""
    from reportlab.platypus.flowables import HRFlowable

    return HRFlowable(width=width, thickness=thickness, color="black", hAlign="CENTER", spaceBefore=1.5, spaceAfter=0)


def letterhead(st: dict, width: float, *, parent_body: str, issuer: str, number_line: str, date_line: str,
               subject_lines: tuple[str, ...] | list[str] = ()) -> Any:
    """The header block of a department's document (Nghị định 30/2020): parent body and issuing body
    with its rule | national title and motto with its rule; the number (and a letter's «V/v …» under
    it) | the place and date in italics.  Both columns hold their lines unbroken: the national title
    (12 pt bold) sets the right column's width, the rest is the issuer's."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    right_width = stringWidth(NATION, SERIF_BOLD, 12) + 5 * MM
    left_width = width - right_width
    issuer_plain = ParagraphStyle("d_issuer_plain", parent=st["center"], fontSize=12.5, leading=15.5)
    issuer_style = ParagraphStyle("d_issuer", parent=st["center_bold"], fontSize=12.5, leading=15.5)
    nation = ParagraphStyle("d_nation", parent=st["center_bold"], fontSize=12, leading=15.5)
    motto = ParagraphStyle("d_motto", parent=st["center_bold"], fontSize=13, leading=15.5)
    left = [Paragraph(esc(parent_body), issuer_plain), Paragraph(esc(issuer), issuer_style),
            rule(min(stringWidth(issuer, SERIF_BOLD, 12.5), left_width) / 3)]
    right = [Paragraph(esc(NATION), nation), Paragraph(esc(MOTTO), motto), rule(stringWidth(MOTTO, SERIF_BOLD, 13))]
    number = [Paragraph(esc(number_line), ParagraphStyle("d_no", parent=st["center"], fontSize=13))]
    subject_style = ParagraphStyle("d_vv", parent=st["center"], fontSize=12, leading=14.5)
    number += [Paragraph(esc(line), subject_style) for line in subject_lines]
    date = Paragraph(esc(date_line), ParagraphStyle("d_date", parent=st["center_italic"], fontSize=13.5))
    table = Table([[left, right], [number, date]], colWidths=[left_width, right_width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 8),
    ]))
    return table


def signature_block(st: dict, width: float, *, recipients: tuple[str, ...] | list[str], signer_title: tuple[str, ...] | list[str],
                    signer_name: str, space: float = 26 * MM, spot: Any = None) -> Any:
    """«Nơi nhận:» bottom left, the signer's title, the space to sign (or ``spot``, a flowable:
    the digital signature's stamp) and name bottom right; one table row, never split."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    left: list = []
    if recipients:
        left.append(Paragraph("Nơi nhận:", st["recipients_head"]))
        left += [Paragraph(f"- {esc(line)}", st["recipients"]) for line in recipients]
    right: list = [Paragraph(esc(line), st["sign"]) for line in signer_title]
    right.append(spot if spot is not None else Spacer(1, space))
    right.append(Paragraph(esc(signer_name) or "\u00a0", st["sign"]))
    table = Table([[left or [Spacer(1, 1)], right]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return table
