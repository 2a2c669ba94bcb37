"""The PDF submission report: a commune People's Committee's report to Sở KHCN (reportlab platypus).

Laid out per Nghị định 30/2020/NĐ-CP as far as it applies to a generated report: A4, margins
top/bottom 20 mm, left 30 mm, right 15 mm; a Times-metric serif (Liberation Serif, bundled) at
13.5 pt; the header block (issuing body left, national title and motto right, each with its
rule); "Số: .../BC-UBND" and the place and date in italics; the title "BÁO CÁO" and the subject;
"Kính gửi"; the body; "Nơi nhận" bottom left and the signature block bottom right; page numbers
at the top centre from page 2.  Details per criterion and the equipment lists follow as annexes
(Phụ lục I, II), wide tables on landscape pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..answers import format_number
from ..bands import score_band
from ..numbers import score as score_words, share
from ..checklist.model import Item, ItemType, Refresh
from ..measurement import describe as describe_measurement, row_mark
from ..scoring import Status
from .context import ExportContext, show as describe
from .fonts import SERIF, SERIF_BOLD, register_fonts
from .pdf_common import (MM, administrative_document, esc, rule, signature_block, styles, vn_date_words,
                         write_pdf_atomically)

REPORT_CODE = "BC-UBND"  # a report (BC) of the commune's People's Committee
STATUS_COLORS = {Status.PASS: "#1b5e20", Status.FAIL: "#b71c1c", Status.NA: "#555555", Status.MISSING: "#555555"}


def _issuer_lines(ctx: ExportContext) -> tuple[str, str]:
    commune = ctx.commune
    if commune is None:
        return "ỦY BAN NHÂN DÂN", "XÃ ................"
    return "ỦY BAN NHÂN DÂN", commune.name.upper()


def _place(ctx: ExportContext) -> str:
    return ctx.commune.bare_name if ctx.commune else "................"


def _commune_phrase(ctx: ExportContext) -> str:
    return f"Ủy ban nhân dân {ctx.commune.name[:1].lower()}{ctx.commune.name[1:]}" if ctx.commune else "Ủy ban nhân dân xã"


_rule = rule


def _header(ctx: ExportContext, st: dict, frame_width: float) -> list:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    line1, line2 = _issuer_lines(ctx)
    left_width, right_width = 68 * MM, frame_width - 68 * MM
    motto = "Độc lập - Tự do - Hạnh phúc"
    motto_width = stringWidth(motto, SERIF_BOLD, 13.5)
    issuer_width = min(stringWidth(line2, SERIF_BOLD, 13), left_width) / 2.2
    from reportlab.lib.styles import ParagraphStyle

    nation = ParagraphStyle("nation", parent=st["center_bold"], fontSize=12.5, leading=15)
    issuer = ParagraphStyle("issuer", parent=st["center_bold"], fontSize=13, leading=16)
    issuer_plain = ParagraphStyle("issuer_plain", parent=st["center"], fontSize=13, leading=16)
    left = [Paragraph(esc(line1), issuer_plain), Paragraph(esc(line2), issuer), _rule(max(issuer_width, 22 * MM))]
    right = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", nation),
             Paragraph(esc(motto), ParagraphStyle("motto", parent=st["center_bold"], fontSize=13.5, leading=16)),
             _rule(motto_width)]
    date = _place(ctx) + ", " + vn_date_words(ctx.exported_at.date())
    from .nd30 import number_line

    row2 = [Paragraph(esc(number_line(ctx.document_number, REPORT_CODE)), ParagraphStyle("no", parent=st["center"], fontSize=13)),
            Paragraph(esc(date), ParagraphStyle("date", parent=st["center_italic"], fontSize=13.5))]
    table = Table([[left, right], row2], colWidths=[left_width, right_width])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 8),
    ]))
    return [table]


def _title(ctx: ExportContext, st: dict, frame_width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    subject = ("Kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa, "
               f"kỳ {ctx.period_label}")
    return [
        Paragraph("BÁO CÁO", st["title"]),
        Paragraph(esc(subject), st["center_bold"]),
        _rule(frame_width / 4),
        Spacer(1, 10),
        Paragraph(f"Kính gửi: {esc(ctx.department)}.", st["center"]),
        Spacer(1, 10),
    ]


def _chart(ctx: ExportContext, frame_width: float):
    from .pdf_charts import score_bar_chart, shorten

    checklist, result = ctx.checklist, ctx.result
    rows = [(f"{index}. {shorten(checklist.section(s.section_id).title.vi, 34)}", s.score)
            for index, s in enumerate(result.sections, start=1)]
    colours = [score_band(checklist, s.score).colour for s in result.sections]
    overall = (result.score, f"Điểm chung {score_words(result.score)}") if result.scored else None
    return score_bar_chart(rows, frame_width, colours=colours, axis_title="Điểm (thang 100)", marker=overall)


def _summary(ctx: ExportContext, st: dict, frame_width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    checklist, result = ctx.checklist, ctx.result
    level = checklist.level(result.level_id)
    counts = {status: 0 for status in Status}
    for item_result in result.items.values():
        counts[item_result.status] += 1
    critical = [r for r in result.items.values() if r.critical and r.status in (Status.FAIL, Status.MISSING)]
    out: list[Any] = [Paragraph(
        f"Thực hiện đề nghị của {esc(ctx.department)} về việc rà soát, đánh giá hạ tầng công nghệ thông tin phục vụ "
        f"hoạt động của Bộ phận Một cửa cấp xã, {esc(_commune_phrase(ctx))} đã tự đánh giá theo Bảng kiểm "
        f"«{esc(checklist.title.vi)}» (mã {esc(checklist.id)}, phiên bản {checklist.version}) và báo cáo kết quả "
        f"kỳ {esc(ctx.period_label)} như sau:", st["body"])]
    out.append(Paragraph("I. KẾT QUẢ TỰ ĐÁNH GIÁ", st["h1"]))
    out.append(Paragraph("1. Kết quả chung", st["h2"]))
    if result.scored:
        out.append(Paragraph(f"- Điểm tự đánh giá: <b>{score_words(result.score)}/100</b>; mức độ sẵn sàng: "
                             f"<b>{esc(level.label.vi)}</b>.", st["body"]))
    else:
        out.append(Paragraph("- Chưa có điểm: chưa tiêu chí chấm điểm nào được trả lời.", st["body"]))
    out.append(Paragraph(
        f"- Số tiêu chí được đánh giá: {sum(counts.values())}, trong đó Đạt {counts[Status.PASS]}, Chưa đạt "
        f"{counts[Status.FAIL]}, Chưa trả lời {counts[Status.MISSING]}, Không áp dụng {counts[Status.NA]}.", st["body"]))
    if critical:
        names = "; ".join(f"{ctx.checklist.number(r.item_id)} {esc(ctx.checklist.item(r.item_id).label.vi)}"
                          for r in critical)
        out.append(Paragraph(f"- Tiêu chí trọng yếu chưa đạt: <b>{len(critical)}</b> ({names}).", st["body"]))
    else:
        out.append(Paragraph("- Các tiêu chí trọng yếu đều đạt.", st["body"]))
    out.append(Paragraph(f"- Tỷ lệ câu hỏi đã trả lời: {share(result.completion)}; số câu bắt "
                         f"buộc chưa trả lời: {result.unanswered_required}.", st["body"]))
    if ctx.respondent:
        out.append(Paragraph(f"- Người tổng hợp, trả lời: {esc(ctx.respondent)}.", st["body"]))
    if level.description:
        out.append(Paragraph(f"- Ý nghĩa của mức «{esc(level.label.vi)}»: {esc(level.description.vi)}", st["body"]))
    chart = _chart(ctx, frame_width)
    out.append(KeepTogether([Paragraph("2. Điểm theo từng nhóm tiêu chí", st["h2"]), Spacer(1, 2), chart]))
    return out


def _changes(ctx: ExportContext, st: dict, frame_width: float) -> list:
    """I.3 «Thay đổi so với kỳ trước»: the score and level then and now, and every answer that differs
    from the previous period's finalized assessment (nothing when there is no previous period)."""
    from reportlab.platypus import CondPageBreak, Paragraph, Table

    from ..carry import change_text, count_noun, show as show_value

    previous = ctx.previous
    if previous is None:
        return []
    checklist, result = ctx.checklist, ctx.result
    before, now = previous.label, ctx.period_label
    out = [CondPageBreak(40 * MM), Paragraph(f"3. Thay đổi so với kỳ trước (kỳ {esc(before)})", st["h2"])]
    if previous.carried:
        out.append(Paragraph(
            f"- Bản đánh giá kỳ {esc(now)} được lập từ kết quả kỳ {esc(before)} (lần {previous.revision}) đã hoàn thành: "
            f"thông tin không thay đổi được giữ nguyên{' và đã được xác nhận lại' if ctx.identity.status == 'finalized' else ''}, "
            "số liệu của kỳ được nhập mới.", st["body"]))
    level = checklist.level(result.level_id).label.vi
    if previous.score is not None:
        delta = round(result.score, 1) - round(previous.score, 1)
        trend = ("không đổi" if abs(delta) < 0.05 else
                 f"{'tăng' if delta > 0 else 'giảm'} {format_number(round(abs(delta), 1))} điểm")
        levels = (f"giữ mức «{esc(level)}»" if previous.level in (None, level)
                  else f"mức độ sẵn sàng từ «{esc(previous.level)}» thành «{esc(level)}»")
        out.append(Paragraph(f"- Điểm: {format_number(round(previous.score, 1))} → "
                             f"{format_number(round(result.score, 1))} ({trend}); {levels}.", st["body"]))
    changes = previous.changes
    if not changes:
        out.append(Paragraph(f"- Các câu trả lời không thay đổi so với kỳ {esc(before)}.", st["body"]))
        return out
    out.append(Paragraph(f"- Các câu trả lời thay đổi so với kỳ {esc(before)} ({len(changes)} câu):", st["body"]))
    widths = [13 * MM, frame_width - 13 * MM - 2 * 45 * MM, 45 * MM, 45 * MM]
    data = [[Paragraph(h, st["cell_head"]) for h in ("Mục", "Tiêu chí", f"Kỳ {esc(before)}", f"Kỳ {esc(now)}")]]
    for change in changes:
        item = checklist.item(change.item_id)
        if item.type is ItemType.TABLE:
            then_text = count_noun(item, len(change.before or ()), "vi")
            now_text = esc(count_noun(item, len(change.after or ()), "vi"))
            if checklist.refresh(item.id) is not Refresh.RENEW:  # which rows: added, changed, gone
                now_text += f'<br/><font size="9"><i>{esc(change_text(checklist, change, "vi"))}</i></font>' 
        else:
            then_text = show_value(item, change.before) if change.before_relevant else "không áp dụng"
            now_text = esc(show_value(item, change.after) if change.after_relevant else "không áp dụng")
        data.append([Paragraph(checklist.number(item.id), st["cell_center"]), Paragraph(esc(item.label.vi), st["cell"]),
                     Paragraph(esc(then_text), st["cell"]), Paragraph(now_text, st["cell"])])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style())
    out.append(table)
    return out


def _gaps(ctx: ExportContext, st: dict) -> list:
    from reportlab.platypus import Paragraph

    checklist, result = ctx.checklist, ctx.result
    out = [Paragraph("II. TỒN TẠI, HẠN CHẾ VÀ KHUYẾN NGHỊ KHẮC PHỤC", st["h1"])]
    gaps = result.gaps
    if not gaps:
        out.append(Paragraph("Không có tiêu chí chưa đạt.", st["body"]))
    for index, gap in enumerate(gaps, start=1):
        item = checklist.item(gap.item_id)
        value = ctx.answers.get(item.id)
        current = _current(item, value)
        mark = " <b>(tiêu chí trọng yếu)</b>" if gap.critical else ""
        text = (f"{index}. Mục {checklist.number(item.id)} – {esc(item.label.vi)}{mark}: hiện trạng «{esc(current)}»; "
                f"yêu cầu: {esc(gap.requirement.rstrip('. '))}. <i>Khuyến nghị:</i> {esc(gap.advice)}")
        out.append(Paragraph(text, st["body"]))
    missing = result.unanswered
    if missing:
        numbers = ", ".join(checklist.number(r.item_id) for r in missing)
        out.append(Paragraph(f"Các tiêu chí chưa trả lời (chưa đánh giá được): mục {numbers}.", st["body"]))
    return out


def _current(item: Item, value: Any) -> str:
    if value is None or (item.type is ItemType.TABLE and not value):
        return "chưa trả lời" if item.type is not ItemType.TABLE else "chưa có dòng nào"
    if item.type is ItemType.TABLE:
        what = item.row_label.vi.lower() if item.row_label else "dòng"
        return f"{len(value)} {what}"
    return describe(item, value)


def _petitions(ctx: ExportContext, st: dict) -> list:
    from reportlab.platypus import Paragraph

    checklist = ctx.checklist
    out = [Paragraph("III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", st["h1"])]
    rows = []
    item = None
    if checklist.petition_item:
        try:
            item = checklist.item(checklist.petition_item)
            rows = ctx.answers.rows(item.id)
        except KeyError:
            item = None
    if not rows or item is None:
        out.append(Paragraph("Không có.", st["body"]))
        return out
    columns = {c.id: c for c in item.columns or ()}
    for index, row in enumerate(rows, start=1):
        values = row.values
        parts = []
        topic = values.get("topic")
        lead = f"{index}. "
        if topic is not None and "topic" in columns:
            lead += f"<b>{esc(describe(columns['topic'], topic))}</b>. "
        if values.get("difficulty"):
            parts.append(f"Khó khăn, vướng mắc: {esc(values['difficulty'])}")
        if values.get("proposal"):
            parts.append(f"Đề xuất, kiến nghị: {esc(values['proposal'])}")
        if values.get("addressed_to"):
            parts.append(f"Kính gửi: {esc(values['addressed_to'])}")
        for column_id, column in columns.items():
            if column_id in ("topic", "difficulty", "proposal", "addressed_to") or values.get(column_id) is None:
                continue
            parts.append(f"{esc(column.label.vi)}: {esc(describe(column, values[column_id]))}")
        out.append(Paragraph(lead + ". ".join(p.rstrip(".") for p in parts) + ".", st["body"]))
    return out


def _closing(ctx: ExportContext, st: dict, frame_width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    from .signature_spot import signature_spot  # the digital signature's stamp goes in this space

    annex = ("Kết quả chi tiết theo từng tiêu chí tại Phụ lục I và các bảng kê (máy tính, chứng thư số, ...) tại "
             "Phụ lục II kèm theo Báo cáo này.")
    closing = Paragraph(f"{annex} {esc(_commune_phrase(ctx))} kính báo cáo {esc(ctx.department)} xem xét, tổng hợp./.",
                        st["body"])
    table = signature_block(st, frame_width, recipients=ctx.recipient_lines(), signer_title=ctx.signer_title,
                            signer_name=ctx.signer_name, spot=signature_spot(frame_width * 0.5, 26 * MM))
    return [KeepTogether([closing, Spacer(1, 8), table])]  # never a signature alone on a page


def _annex_heading(ctx: ExportContext, st: dict, number: str, title: str) -> list:
    from reportlab.platypus import Paragraph, Spacer

    issued = ctx.exported_at.strftime("%d/%m/%Y")
    from .nd30 import number_line

    number_text = number_line(ctx.document_number, REPORT_CODE)[len("Số: "):]  # typed with its code or not: once
    return [
        Paragraph(f"Phụ lục {number}", st["center_bold"]),
        Paragraph(esc(title), st["center_bold"]),
        Paragraph(f"(Kèm theo Báo cáo số {esc(number_text)} ngày {issued} của {esc(_commune_phrase(ctx))})",
                  st["center_italic"]),
        Spacer(1, 3),
        _rule(40 * MM),
        Spacer(1, 8),
    ]


def _grid_style(extra: Sequence[tuple] = ()) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ])


def _annex_items(ctx: ExportContext, st: dict, frame_width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

    checklist, result = ctx.checklist, ctx.result
    out = _annex_heading(ctx, st, "I", "KẾT QUẢ TỰ ĐÁNH GIÁ THEO TỪNG TIÊU CHÍ")
    widths = [13 * MM, frame_width - 13 * MM - 52 * MM - 27 * MM, 52 * MM, 27 * MM]
    for index, section in enumerate(checklist.sections, start=1):
        section_result = result.section(section.id)
        score = "không chấm điểm" if section_result.score is None else f"điểm {score_words(section_result.score)}/100"
        out.append(CondPageBreak(30 * MM))
        out.append(Paragraph(f"{index}. {esc(section.title.vi)} ({score})", st["h2"]))
        data = [[Paragraph(h, st["cell_head"]) for h in ("STT", "Tiêu chí", "Trả lời", "Đánh giá")]]
        for item in section.items:
            value = ctx.answers.get(item.id)
            item_result = result.items.get(item.id)
            relevant = bool(result.relevant.get(item.id))
            if item.type is ItemType.TABLE:
                answer = f"{len(value or ())} dòng (Phụ lục II)" if item.id != checklist.petition_item else \
                    f"{len(value or ())} dòng (mục III)"
            else:
                answer = describe(item, value) if value is not None else ""
            if not relevant:
                answer = f"{answer} (không áp dụng)".strip() if answer else "Không áp dụng"
            answer_markup = esc(answer)
            measured = None if item.type is ItemType.TABLE or value is None else describe_measurement(
                ctx.answers.sources.get(item.id), ctx.answers.meta.get(item.id), "vi", tz=ctx.exported_at.tzinfo)
            if measured:  # how and when a probe took it
                answer_markup += f'<br/><font size="9"><i>{esc(measured)}</i></font>'
            status = ""
            if item_result is not None:
                color = STATUS_COLORS[item_result.status]
                bold = item_result.status in (Status.PASS, Status.FAIL)
                label = item_result.status.label("vi")
                status = f'<font color="{color}">{"<b>" if bold else ""}{label}{"</b>" if bold else ""}</font>'
            data.append([Paragraph(checklist.number(item.id), st["cell_center"]), Paragraph(esc(item.label.vi), st["cell"]),
                         Paragraph(answer_markup, st["cell"]), Paragraph(status, st["cell_center"])])
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(_grid_style())
        out.append(table)
        out.append(Spacer(1, 6))
    return out


def column_widths(headers: list[str], weights: list[float], total: float, font: str, size: float,
                  padding: float = 7) -> list[float]:
    """Share ``total`` by ``weights``, but never narrower than the longest word of a header (no "Wi ndows")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    floors = [max((stringWidth(word, font, size) for word in header.split()), default=0) + padding
              for header in headers]
    widths = [0.0] * len(weights)
    free = list(range(len(weights)))
    room = total
    while free:
        scale = room / sum(weights[i] for i in free)
        pinned = [i for i in free if weights[i] * scale < floors[i]]
        if not pinned:
            for i in free:
                widths[i] = weights[i] * scale
            break
        for i in pinned:
            widths[i] = floors[i]
            room -= floors[i]
            free.remove(i)
        if room <= 0:  # more columns than fit: every one at its floor (the table runs wide rather than break words)
            for i in free:
                widths[i] = floors[i]
            break
    return widths


def _table_item_widths(item: Item, total: float, size: float) -> list[float]:
    from .fonts import SERIF_BOLD

    weights = [0.55]
    headers = ["STT"]
    for column in item.columns or ():
        kind = column.type
        weight = {ItemType.TEXT: 2.4, ItemType.SINGLE_CHOICE: 1.6, ItemType.MULTI_CHOICE: 2.0, ItemType.DATE: 1.25,
                  ItemType.YES_NO: 1.0, ItemType.INTEGER: 0.95, ItemType.DECIMAL: 0.95}.get(kind, 1.2)
        weights.append(weight)
        headers.append(column.label.vi + (f" ({column.unit})" if column.unit else ""))
    return column_widths(headers, weights, total, SERIF_BOLD, size)


def _annex_tables(ctx: ExportContext, st: dict, portrait_width: float, landscape_width: float) -> list:
    from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer, Table

    checklist = ctx.checklist
    items = [i for i in checklist.items() if i.type is ItemType.TABLE and i.id != checklist.petition_item]
    if not items:
        return []
    wide = any(len(i.columns or ()) > 6 for i in items)
    width = landscape_width if wide else portrait_width
    out: list = [NextPageTemplate("landscape" if wide else "portrait"), PageBreak()]
    out += _annex_heading(ctx, st, "II", "CÁC BẢNG KÊ (MÁY TÍNH, CHỨNG THƯ SỐ, ĐIỂM CẦU HỘI NGHỊ TRUYỀN HÌNH, ...)")
    for item in items:
        rows = ctx.answers.rows(item.id)
        number = checklist.number(item.id)
        out.append(Paragraph(f"{number}. {esc(item.label.vi)} ({len(rows)} dòng)", st["h2"]))
        if not rows:
            out.append(Paragraph("Không có.", st["body_flat"]))
            continue
        columns = item.columns or []
        small = len(columns) > 6
        head_style = st["cell_head_small"] if small else st["cell_head"]
        cell_style = st["cell_small"] if small else st["cell"]
        header = [Paragraph("STT", head_style)]
        for column in columns:
            unit = f" ({esc(column.unit)})" if column.unit else ""
            header.append(Paragraph(esc(column.label.vi) + unit, head_style))
        data = [header]
        marks: list[str] = []  # rows a probe filled: "dòng 1 lúc 10:42 ngày 24/11/2026 (máy: PC-01)"
        for index, row in enumerate(rows, start=1):
            mark = row_mark(row, "vi", tz=ctx.exported_at.tzinfo)
            if mark:
                marks.append(f"dòng {index}: {mark[0].lower()}{mark[1:]}")
            line = [Paragraph(f"{index}*" if mark else str(index), st["cell_center"] if not small else cell_style)]
            for column in columns:
                value = row.values.get(column.id)
                text = describe(column, value) if value is not None else ""
                if column.unit and text.endswith(" " + column.unit):
                    text = text[: -len(column.unit) - 1]
                line.append(Paragraph(esc(text), cell_style))
            data.append(line)
        table = Table(data, colWidths=_table_item_widths(item, width, 9 if small else 10.5), repeatRows=1)
        table.setStyle(_grid_style())
        out.append(table)
        if marks:
            out.append(Paragraph(f"<i>(*) {esc('; '.join(marks))}.</i>", st["cell"]))
        out.append(Spacer(1, 8))
    return out


def build_report(ctx: ExportContext, target: Any, *, annexes: bool = True) -> int:
    """Lay the report out into ``target`` (a path or a binary file); returns the page count.
    ``annexes=False``: the letter alone, up to its signature (tests of its layout)."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    register_fonts()
    st = styles()
    doc, frame_p, frame_l, pages = administrative_document(
        target, title=f"Báo cáo kết quả tự đánh giá — {ctx.commune_name} — kỳ {ctx.period_label}",
        author=_commune_phrase(ctx), subject="Kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT của Bộ phận Một cửa")
    width = frame_p.width
    story: list = []
    story += _header(ctx, st, width)
    story += _title(ctx, st, width)
    story += _summary(ctx, st, width)
    story += _changes(ctx, st, width)
    story += _gaps(ctx, st)
    story += _petitions(ctx, st)
    story += _closing(ctx, st, width)
    if annexes:
        story += [NextPageTemplate("portrait"), PageBreak()]
        story += _annex_items(ctx, st, width)
        story += _annex_tables(ctx, st, width, frame_l.width)
    doc.build(story)
    return pages["count"]


def write_report_pdf(ctx: ExportContext, path: str | Path) -> Path:
    """Write the report atomically (temporary file beside ``path``, checked, renamed)."""
    return write_pdf_atomically(path, lambda target: build_report(ctx, target))
