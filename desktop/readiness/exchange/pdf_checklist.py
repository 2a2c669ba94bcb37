"""The printable field checklist: every item with its number, tick boxes and blanks, for technicians on site.

Black and white only.  Every page carries the checklist id and version, the commune (when
given), "Trang x/y" and a QR code with the same facts, so loose pages can be put back together
and matched to the assessment.  Tables are ruled grids with empty rows (on landscape pages when
they have many columns); skip rules are said in words ("Chỉ trả lời nếu mục 2.1 là «Có»").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..answers import format_number
from ..checklist.model import Checklist, Column, Item, ItemType
from ..register import Commune
from .fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from .pdf_common import MM, esc, write_pdf_atomically
from .words import skip_instruction

BOX = "\u25a1"  # □ (in Liberation Serif)
NBSP = "\u00a0"
TOP, BOTTOM, SIDE = 30 * MM, 16 * MM, 15 * MM
HEADER_BAND = 22 * MM


def qr_payload(checklist: Checklist, commune: Commune | None, page: int, pages: int) -> str:
    """What the QR code on each page says (documented in docs/submission-format.md)."""
    parts = [f"checklist={quote(checklist.id)}", f"version={checklist.version}", f"hash={checklist.content_hash[:12]}"]
    if commune:
        parts.append(f"commune={quote(commune.code)}")
    parts.append(f"page={page}/{pages}")
    return "readiness:field-checklist?" + "&".join(parts)


def _styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    return {
        "section": ParagraphStyle("section", fontName=SERIF_BOLD, fontSize=12.5, leading=15, spaceBefore=4, spaceAfter=3),
        "section_note": ParagraphStyle("section_note", fontName=SERIF_ITALIC, fontSize=9.5, leading=11.5, spaceAfter=3),
        "label": ParagraphStyle("label", fontName=SERIF_BOLD, fontSize=10.5, leading=12.8),
        "number": ParagraphStyle("number", fontName=SERIF_BOLD, fontSize=10.5, leading=12.8),
        "hint": ParagraphStyle("hint", fontName=SERIF_ITALIC, fontSize=8.8, leading=10.4, textColor=HexColor("#333333")),
        "answer": ParagraphStyle("answer", fontName=SERIF, fontSize=11, leading=16),
        "cell_head": ParagraphStyle("cell_head", fontName=SERIF_BOLD, fontSize=8.5, leading=9.8, alignment=1),
        "cell": ParagraphStyle("cell", fontName=SERIF, fontSize=9, leading=10.5),
        "legend": ParagraphStyle("legend", fontName=SERIF, fontSize=8.8, leading=10.6),
        "title": ParagraphStyle("title", fontName=SERIF_BOLD, fontSize=14, leading=17, alignment=1, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", fontName=SERIF_ITALIC, fontSize=10, leading=12.5, alignment=1, spaceAfter=6),
        "body": ParagraphStyle("body", fontName=SERIF, fontSize=10.5, leading=13.5, spaceAfter=3),
        "sign_head": ParagraphStyle("sign_head", fontName=SERIF_BOLD, fontSize=10.5, leading=13, alignment=1),
        "sign_note": ParagraphStyle("sign_note", fontName=SERIF_ITALIC, fontSize=9, leading=11, alignment=1),
    }


class _Lines:
    """n writing lines across the available width (a Flowable made lazily so reportlab loads late)."""

    @staticmethod
    def make(count: int, gap: float = 7 * MM):
        from reportlab.platypus import Flowable

        class Lines(Flowable):
            def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
                self.width = available_width
                return available_width, count * gap + 1

            def draw(self) -> None:
                canvas = self.canv
                canvas.setLineWidth(0.4)
                canvas.setDash(1, 1.5)
                for index in range(count):
                    y = (count - index - 1) * gap + 1
                    canvas.line(0, y, self.width, y)

        return Lines()


def _choices_line(spec: Item | Column, note: str) -> str:
    options = (f"{BOX}{NBSP}{esc(choice.label.vi)}".replace(" ", NBSP) for choice in spec.choices or ())
    spacer = NBSP * 4 + " "
    return spacer.join(options) + f"{NBSP * 3}<i>({note})</i>"


def _bounds(spec: Item | Column) -> str:
    if spec.min is None and spec.max is None:
        return ""
    if spec.min is not None and spec.max is not None:
        return f" (từ {format_number(spec.min)} đến {format_number(spec.max)})"
    if spec.min is not None:
        return f" (từ {format_number(spec.min)} trở lên)"
    return f" (không quá {format_number(spec.max)})"  # type: ignore[arg-type]


def _text_lines(item: Item) -> int:
    key = item.id
    if any(word in key for word in ("name", "phone", "email", "url", "position", "version")):
        return 1
    return 2


def _answer_area(item: Item, st: dict) -> list:
    from reportlab.platypus import Paragraph

    kind = item.type
    unit = f"{NBSP}{esc(item.unit)}" if item.unit else ""
    if kind is ItemType.YES_NO:
        return [Paragraph(f"{BOX}{NBSP}Có{NBSP * 8}{BOX}{NBSP}Không", st["answer"])]
    if kind is ItemType.SINGLE_CHOICE:
        return [Paragraph(_choices_line(item, "chọn một"), st["answer"])]
    if kind is ItemType.MULTI_CHOICE:
        return [Paragraph(_choices_line(item, "có thể chọn nhiều"), st["answer"])]
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        what = "số nguyên" if kind is ItemType.INTEGER else "số"
        return [Paragraph(f"Trả lời: {'_' * 22}{unit}{NBSP * 3}<font size=8.5><i>({what}{esc(_bounds(item))})</i></font>",
                          st["answer"])]
    if kind is ItemType.DATE:
        return [Paragraph(f"Ngày: {'_' * 5}/{'_' * 5}/{'_' * 9}{NBSP * 3}<font size=8.5><i>(ngày/tháng/năm)</i></font>",
                          st["answer"])]
    if kind is ItemType.TEXT:
        return [_Lines.make(_text_lines(item))]
    return []


def _item_block(checklist: Checklist, item: Item, st: dict, width: float) -> Any:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    number = checklist.number(item.id)
    label = esc(item.label.vi) + (" <font size=9>(*)</font>" if item.required else "")
    content: list = [Paragraph(label, st["label"])]
    if item.relevant:
        content.append(Paragraph("→ " + esc(skip_instruction(checklist, item.relevant)), st["hint"]))
    if item.hint:
        content.append(Paragraph(esc(item.hint.vi), st["hint"]))
    content.append(Spacer(1, 2))
    content += _answer_area(item, st)
    table = Table([[Paragraph(number, st["number"]), content]], colWidths=[13 * MM, width - 13 * MM])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#999999"),
    ]))
    return table  # one row: never split; not a KeepTogether, which cannot be nested


def grid_rows(item: Item) -> int:
    """Empty rows printed for a table item: room for a commune's PCs, at least ``min_rows``."""
    long_text = _long_text(item)
    wanted = 8 if long_text else (30 if item.max_rows >= 30 else item.max_rows)
    return max(min(wanted, item.max_rows), item.min_rows)


def _long_text(item: Item) -> bool:
    return sum(1 for c in item.columns or () if c.type is ItemType.TEXT) >= 2 and len(item.columns or ()) <= 5


def _column_weight(column: Column) -> float:
    kind = column.type
    if kind is ItemType.TEXT:
        return 2.6
    if kind in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
        return 1.25
    if kind is ItemType.DATE:
        return 1.35
    return 1.0


def _column_header(index: int, column: Column) -> str:
    text = esc(column.label.vi)
    if column.unit:
        text += f" ({esc(column.unit)})"
    if column.type is ItemType.YES_NO:
        text += "<br/><font size=7.5>(C/K)</font>"
    elif column.type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
        text += f"<br/><font size=7.5>(ghi mã, xem chú thích {_legend_key(index)})</font>"
    elif column.type is ItemType.DATE:
        text += "<br/><font size=7.5>(dd/mm/yyyy)</font>"
    return text


def _legend_key(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else str(index)


def _table_block(checklist: Checklist, item: Item, st: dict, width: float) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table, TableStyle

    number = checklist.number(item.id)
    columns = item.columns or []
    head: list = [Paragraph(f"{number}{NBSP}{NBSP}{esc(item.label.vi)}" + (" <font size=9>(*)</font>" if item.required else ""),
                            st["label"])]
    if item.relevant:
        head.append(Paragraph("→ " + esc(skip_instruction(checklist, item.relevant)), st["hint"]))
    what = item.row_label.vi.lower() if item.row_label else "đối tượng"
    hint = f"Mỗi dòng một {esc(what)}."
    if item.hint:
        hint = esc(item.hint.vi) + " " + hint
    head.append(Paragraph(hint, st["hint"]))
    head.append(Spacer(1, 3))
    header = [Paragraph("STT", st["cell_head"])]
    coded: list[Column] = []
    for column in columns:
        header.append(Paragraph(_column_header(len(coded), column), st["cell_head"]))
        if column.type in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE):
            coded.append(column)
    rows = grid_rows(item)
    data = [header] + [[Paragraph(str(n), st["cell"])] + [""] * len(columns) for n in range(1, rows + 1)]
    from .pdf_report import column_widths

    weights = [0.5] + [_column_weight(c) for c in columns]
    labels = ["STT"] + [c.label.vi + (f" ({c.unit})" if c.unit else "") for c in columns]
    row_height = 13 * MM if _long_text(item) else 7.2 * MM
    table = Table(data, colWidths=column_widths(labels, weights, width, SERIF_BOLD, 8.5, padding=5), repeatRows=1,
                  rowHeights=[None] + [row_height] * rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e0e0e0")),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (0, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    legend = []
    if coded or any(c.type is ItemType.YES_NO for c in columns):
        parts = []
        if any(c.type is ItemType.YES_NO for c in columns):
            parts.append("C = Có, K = Không")
        for index, column in enumerate(coded):
            codes = "; ".join(f"<b>{n}</b> = {esc(choice.label.vi)}" for n, choice in enumerate(column.choices or (), start=1))
            many = " (ghi nhiều mã, cách nhau bằng dấu phẩy)" if column.type is ItemType.MULTI_CHOICE else ""
            parts.append(f"({_legend_key(index)}) {esc(column.label.vi)}{many}: {codes}")
        legend.append(Paragraph("<b>Chú thích:</b> " + ". ".join(parts) + ".", st["legend"]))
    # The grid may run over several pages (header row repeated); keep its title with its first rows.
    return [CondPageBreak(60 * MM), *head, *legend, Spacer(1, 2), table, Spacer(1, 8)]


def _sign_off(st: dict, width: float, commune: Commune | None) -> Any:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    body = "UBND " + (commune.name if commune else "XÃ").upper() if commune else "UBND XÃ"
    cells: list[list[Any]] = [
        [Paragraph("NGƯỜI KHẢO SÁT", st["sign_head"]), Paragraph("NGƯỜI CUNG CẤP THÔNG TIN", st["sign_head"]),
         Paragraph(f"XÁC NHẬN CỦA {esc(body)}", st["sign_head"])],
        [Paragraph("(Ký, ghi rõ họ tên)", st["sign_note"]), Paragraph("(Ký, ghi rõ họ tên)", st["sign_note"]),
         Paragraph("(Ký, ghi rõ họ tên, đóng dấu)", st["sign_note"])],
        ["", "", ""],
    ]
    table = Table(cells, colWidths=[width / 3] * 3, rowHeights=[None, None, 28 * MM])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    when = Paragraph(f"Ngày khảo sát: {'_' * 5}/{'_' * 5}/{'_' * 9}{NBSP * 6}Địa điểm: {'_' * 40}", st["body"])
    return KeepTogether([Spacer(1, 10), when, Spacer(1, 6), table])


def draw_qr(canvas: Any, payload: str, x: float, y: float, size: float, border: int = 2) -> None:
    """A QR code (reportlab's own encoder) drawn as one filled path: runs of dark modules, no per-module objects."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    try:
        code.makeImpl(False, 0)  # a fixed mask: valid for every reader, skips scoring all eight (most of the time)
    except Exception:  # noqa: BLE001 - an encoder without makeImpl
        code.make()
    count = code.getModuleCount()
    box = size / (count + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(code.modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(x + (start + border) * box, y + size - (r + border + 1) * box, (c - start) * box, box)
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _make_canvas(checklist: Checklist, commune: Commune | None, title: str):
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Keeps every page until the end so each can say "Trang x/y" and carry its QR code."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own (no public way to begin a page)

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize  # type: ignore[attr-defined]  # reportlab's page state, as above
            page = self._pageNumber  # type: ignore[attr-defined]
            top = height - 10 * MM
            qr_size = 19 * MM
            draw_qr(self, qr_payload(checklist, commune, page, total), width - SIDE - qr_size, top - qr_size + 2 * MM,
                    qr_size)
            self.setFont(SERIF_BOLD, 10.5)
            self.drawString(SIDE, top - 2 * MM, title)
            self.setFont(SERIF, 9)
            self.drawString(SIDE, top - 6.5 * MM, f"Bảng kiểm: {checklist.id}, phiên bản {checklist.version} "
                                                   f"(mã băm {checklist.content_hash[:12]})")
            place = f"{commune.name} (mã {commune.code}), {commune.province_name}" if commune else \
                "Đơn vị: ............................................................ Mã: ................"
            self.drawString(SIDE, top - 11 * MM, place if not commune else f"Đơn vị: {place}")
            self.setFont(SERIF_BOLD, 10)
            self.drawRightString(width - SIDE - qr_size - 3 * MM, top - 11 * MM, f"Trang {page}/{total}")
            self.setLineWidth(0.6)
            self.line(SIDE, top - 13.5 * MM, width - SIDE - qr_size - 2 * MM, top - 13.5 * MM)
            self.setFont(SERIF_ITALIC, 8)
            self.drawCentredString(width / 2, 8 * MM, "Phiếu khảo sát in từ phần mềm «Sẵn sàng Một cửa». "
                                   "Số mục trùng với số trong phần mềm; nhập kết quả vào phần mềm theo số mục.")

    return NumberedCanvas


def build_field_checklist(checklist: Checklist, target: Any, *, commune: Commune | None = None) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer

    st = _styles()
    portrait, wide = A4, landscape(A4)
    frame_p = Frame(SIDE, BOTTOM, portrait[0] - 2 * SIDE, portrait[1] - TOP - BOTTOM, id="p",
                    leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame_l = Frame(SIDE, BOTTOM, wide[0] - 2 * SIDE, wide[1] - TOP - BOTTOM, id="l",
                    leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    title = "PHIẾU KHẢO SÁT HẠ TẦNG CÔNG NGHỆ THÔNG TIN BỘ PHẬN MỘT CỬA"
    doc = BaseDocTemplate(target, pagesize=A4, title=title, author="Sẵn sàng Một cửa", creator="Sẵn sàng Một cửa",
                          pageCompression=1, initialFontName=SERIF,
                          subject=f"{checklist.id} v{checklist.version}")
    doc.addPageTemplates([PageTemplate(id="portrait", frames=[frame_p], pagesize=portrait),
                          PageTemplate(id="landscape", frames=[frame_l], pagesize=wide)])
    story: list = [
        Paragraph(esc(checklist.title.vi).upper(), st["title"]),
        Paragraph("Phiếu dùng khi khảo sát tại trụ sở; đánh dấu X vào ô □ phù hợp, ghi số liệu vào chỗ trống. "
                  "Mục có dấu (*) là bắt buộc. Câu có ghi «Chỉ trả lời nếu ...» được bỏ qua khi điều kiện không đúng.",
                  st["subtitle"]),
    ]
    width_p, width_l = frame_p.width, frame_l.width
    on_landscape = False
    for index, section in enumerate(checklist.sections, start=1):
        heading = [Paragraph(f"PHẦN {index}. {esc(section.title.vi).upper()}", st["section"])]
        if section.relevant:
            heading.append(Paragraph(esc(skip_instruction(checklist, section.relevant, section=True)), st["section_note"]))
        if section.description:
            heading.append(Paragraph(esc(section.description.vi), st["section_note"]))
        pending_heading = heading
        for item in section.items:
            if item.type is ItemType.TABLE:
                wide_table = len(item.columns or ()) > 6
                if wide_table and not on_landscape:
                    story += [NextPageTemplate("landscape"), PageBreak()]
                    on_landscape = True
                elif not wide_table and on_landscape:
                    story += [NextPageTemplate("portrait"), PageBreak()]
                    on_landscape = False
                story += pending_heading
                pending_heading = []
                story += _table_block(checklist, item, st, width_l if on_landscape else width_p)
                continue
            if on_landscape:
                story += [NextPageTemplate("portrait"), PageBreak()]
                on_landscape = False
            if pending_heading:
                from reportlab.platypus import KeepTogether

                story.append(KeepTogether(pending_heading + [_item_block(checklist, item, st, width_p)]))
                pending_heading = []
            else:
                story.append(_item_block(checklist, item, st, width_p))
        story += pending_heading
        story.append(Spacer(1, 6))
    if on_landscape:
        story += [NextPageTemplate("portrait"), PageBreak()]
    story.append(_sign_off(st, width_p, commune))
    doc.build(story, canvasmaker=_make_canvas(checklist, commune, title))


def write_field_checklist(checklist: Checklist, path: str | Path, *, commune: Commune | None = None) -> Path:
    return write_pdf_atomically(path, lambda target: build_field_checklist(checklist, target, commune=commune))
