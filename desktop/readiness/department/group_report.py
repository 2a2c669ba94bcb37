"""The follow-up report for a group of communes (seed 002), once, for Word and PDF.

«BÁO CÁO Tình hình phụ trách, theo dõi địa bàn 07 xã, phường trên địa bàn tỉnh của đồng chí Nguyễn
Tấn Liêm, Thành viên UBND tỉnh tính đến tháng 11 năm 2025»: the department reports, for the member of
the provincial People's Committee who follows a named group of communes (:mod:`readiness.department.groups`),
what was done and achieved, the communes' difficulties and proposals, the shortcomings (communes that have
not reported), and the member's proposals; then seed 002's annex with exactly its five columns.

Every sentence comes from the department's data for the group and the period: the communes' submissions,
their scores, levels and unmet criteria (with the scoring's advice), their petitions and what became of
them (status, where forwarded, which letter answered them).  Nothing is said of a count of zero.

The result is a :class:`~readiness.department.report_content.ProvincialReport` (no charts, no "not
ready" table), so the provincial report's writers lay it out: ``report_docx`` (editable), ``report_pdf``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from ..document_settings import default_settings
from ..exchange.nd30 import number_line, short_date
from ..numbers import integer, percent, score
from ..store.db import period_label
from .petitions import Petition, counts_by_status, recommendation_text, resolution_text
from .report_content import AnnexRow, Block, ProvincialReport, ReportOptions, handling_sentence, label_text
from .scope import province_short

if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .groups import CommuneGroup

MAX_GAPS_PER_COMMUNE = 3


def _count(n: int) -> str:
    """Seed 002 writes small counts with two digits: «07 xã», «02 Tổ công tác»."""
    return f"{n:02d}" if 0 < n < 10 else integer(n)


def _kinds_phrase(kinds: list[str]) -> str:
    """«xã», «xã, phường», «xã, phường, đặc khu» — the kinds the group has, in the register's order."""
    order = ("Xã", "Phường", "Đặc khu")
    present = [k.lower() for k in order if k in kinds] or ["xã"]
    return ", ".join(present)


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _first_sentence(text: str) -> str:
    text = (text or "").strip()
    for end in (". ", ".\n"):
        if end in text:
            return text[: text.index(end) + 1]
    return text if text.endswith(".") or not text else text + "."


def _where(consolidation: Consolidation, home: str | None, settings) -> str:
    """«trên địa bàn tỉnh» (all in the home province), «trên địa bàn tỉnh Gia Lai», «thuộc 03 tỉnh, thành phố»."""
    provinces = {(row.province_code, row.province_name) for row in consolidation.status.rows}
    if len(provinces) == 1:
        code, name = next(iter(provinces))
        return "trên địa bàn tỉnh" if code == home else f"trên địa bàn {name[:1].lower() + name[1:]}"
    return f"thuộc {_count(len(provinces))} tỉnh, thành phố"


def build_group_report(consolidation: Consolidation, petitions: list[Petition], group: CommuneGroup,
                       options: ReportOptions | None = None) -> ProvincialReport:
    """Seed 002's report for ``group`` over ``consolidation`` (scoped to the group) and its petitions."""
    options = options or ReportOptions()
    settings = options.settings or default_settings()
    short, department = settings.short_name, settings.department_name
    status = consolidation.status
    rows = status.rows
    period = consolidation.period
    label = period_label(period)
    month, year = int(period[5:]), int(period[:4])
    date = options.date or dt.date.today()
    size = len(rows)
    kinds = _kinds_phrase([row.kind for row in rows])
    where = _where(consolidation, settings.home_province, settings)
    role = group.role or f"Thành viên {settings.parent_short}"
    who = f"của đồng chí {group.person}, {role}" if group.person else f"của {role}"
    subject = (f"Tình hình phụ trách, theo dõi địa bàn {_count(size)} {kinds} {where} {who} "
               f"tính đến tháng {month:02d} năm {year}")
    basis = f"Thực hiện ý kiến chỉ đạo của Chủ tịch {settings.parent_short} tại {group.note}; " if group.note else ""
    intro = ((basis + "trên") if basis else "Trên") + (
        f" cơ sở nội dung báo cáo của các {kinds} được phân công phụ trách, theo dõi, {department} ({short}) tổng hợp "
        f"báo cáo tình hình phụ trách, theo dõi các {kinds} của {role} đến tháng {label}, cụ thể như sau:")

    received_rows = consolidation.rows  # received, with results
    received = len(received_rows)
    missing = [row for row in rows if row.state == "missing"]
    drafts = [row for row in rows if row.state == "draft"]
    outdated = [row for row in rows if row.state == "outdated"]
    resubmitted = [row for row in rows if row.state == "resubmitted"]
    counts = counts_by_status(petitions)
    with_petitions = len({p.commune_code for p in petitions})

    blocks: list[Block] = [Block("h1", f"1. Công tác triển khai theo dõi, phụ trách các {kinds}"),
                           Block("h2", "1.1. Tóm tắt những công việc chính đã thực hiện")]
    text = (f"{short} tiếp nhận, tổng hợp kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận "
            f"Một cửa kỳ {label}: {integer(received)}/{integer(size)} đơn vị đã gửi ({percent(received, size)})")
    extra = []
    if resubmitted:
        extra.append(f"{integer(len(resubmitted))} đơn vị gửi bản sửa")
    if outdated:
        extra.append(f"{integer(len(outdated))} đơn vị dùng bảng kiểm phiên bản cũ")
    blocks.append(Block("bullet", text + (f", trong đó {', '.join(extra)}." if extra else ".")))
    if petitions:
        blocks.append(Block("bullet", f"Tiếp nhận {integer(len(petitions))} nội dung khó khăn, vướng mắc và đề xuất, "
                            f"kiến nghị của {integer(with_petitions)} đơn vị. "
                            + handling_sentence(counts, short)))
    letters = list(dict.fromkeys(p.response_ref.strip() for p in petitions
                                 if p.response_ref and p.response_ref.strip() and p.status != "new"))
    if letters:
        blocks.append(Block("bullet", f"{short} đã ban hành văn bản hướng dẫn, trả lời kiến nghị của các địa phương: "
                            + "; ".join(letters) + "."))
    forwarded = list(dict.fromkeys(p.forwarded_to.strip() for p in petitions
                                   if p.status == "forwarded" and p.forwarded_to and p.forwarded_to.strip()))
    if forwarded:
        blocks.append(Block("bullet", f"Các kiến nghị ngoài chức năng, nhiệm vụ của {short} đã được chuyển đến "
                            + ", ".join(forwarded) + " xem xét, giải quyết theo thẩm quyền."))

    blocks.append(Block("h2", "1.2. Kết quả đạt được"))
    if not received_rows:
        blocks.append(Block("p", f"Chưa có đơn vị nào gửi kết quả tự đánh giá kỳ {label}."))
    else:
        blocks.append(Block("bullet", f"Điểm bình quân của {integer(received)} đơn vị đã gửi: "
                            f"{score(consolidation.average_score())}/100."))
        level_names: dict[str, list[str]] = {}
        for row in received_rows:
            level_names.setdefault(row.level or "", []).append(row.name)
        for level_count in consolidation.levels:
            if not level_count.count:
                continue
            names = level_names.get(level_count.level.id, [])
            blocks.append(Block("bullet", f"{integer(level_count.count)} đơn vị ({_names(names)}).",
                                bold_prefix=f"{level_count.level.label}:"))

    blocks.append(Block("h1", f"2. Khó khăn, vướng mắc và đề xuất, kiến nghị của chính quyền cấp xã hiện nay"))
    blocks.append(Block("h2", "2.1. Khó khăn, vướng mắc chung"))
    common = [g for g in consolidation.common_gaps if g.count and received and g.count * 2 >= received][:5]
    if common:
        for gap in common:
            mark = " (tiêu chí trọng yếu)" if gap.criterion.critical else ""
            blocks.append(Block("bullet", f"Mục {gap.criterion.number} «{label_text(gap.criterion.label)}»{mark}: "
                                f"{integer(gap.count)}/{integer(received)} đơn vị chưa đạt."))
    elif received_rows:
        blocks.append(Block("p", "Không có tiêu chí nào chưa đạt ở từ một nửa số đơn vị đã gửi trở lên."))
    else:
        blocks.append(Block("p", "Chưa có số liệu để tổng hợp."))
    by_commune: dict[str, list[Petition]] = {}
    for petition in petitions:
        by_commune.setdefault(petition.commune_code, []).append(petition)
    blocks.append(Block("h2", "2.2. Các khó khăn, vướng mắc cụ thể"
                        + (" (chi tiết tại Phụ lục kèm theo)" if petitions else "")))
    checklist = consolidation.checklist
    specific = False
    for row in received_rows:
        result = row.result
        gaps = [g for g in (result.problems if result else ()) if g.status == "fail"][:MAX_GAPS_PER_COMMUNE]
        own = by_commune.get(row.code, [])
        if not gaps and not own:
            continue
        specific = True
        level = consolidation.status.level_labels.get(row.level or "", "")
        parts = []
        if gaps:
            parts.append(" ".join(_first_sentence(g.advice) if g.advice else f"Chưa đạt mục {_number(checklist, g.item_id)}."
                                  for g in gaps))
        if own:
            parts.append(f"{integer(len(own))} nội dung đề xuất, kiến nghị (tại Phụ lục).")
        blocks.append(Block("bullet", " ".join(parts),
                            bold_prefix=f"{row.name} ({score(row.score)} điểm, {level.lower()}):"))
    if not specific:
        blocks.append(Block("p", "Các đơn vị đã gửi không nêu khó khăn, vướng mắc cụ thể và không có tiêu chí chưa đạt."))

    basis_name = group.note or "công tác phụ trách, theo dõi địa bàn"
    blocks.append(Block("h1", f"3. Tồn tại bất cập trong quá trình triển khai {basis_name}"))
    shortcomings = 0
    if missing:
        shortcomings += 1
        blocks.append(Block("bullet", f"{_count(len(missing))} đơn vị chưa gửi kết quả tự đánh giá kỳ {label}: "
                            f"{_names([r.name for r in missing])}, dẫn đến việc tổng hợp, đánh giá chung còn thiếu "
                            "tính cập nhật."))
    if drafts:
        shortcomings += 1
        blocks.append(Block("bullet", f"{_count(len(drafts))} đơn vị đang thực hiện, chưa hoàn thành bản tự đánh giá: "
                            f"{_names([r.name for r in drafts])}."))
    if outdated:
        shortcomings += 1
        blocks.append(Block("bullet", f"{_count(len(outdated))} đơn vị còn dùng bảng kiểm phiên bản cũ: "
                            f"{_names([r.name for r in outdated])}."))
    pending = counts.get("new", 0)
    if pending:
        shortcomings += 1
        blocks.append(Block("bullet", f"{integer(pending)} nội dung kiến nghị của các địa phương chưa được xử lý, "
                            "trả lời."))
    if not shortcomings:
        blocks.append(Block("p", f"Các {kinds} được phân công phụ trách, theo dõi đã thực hiện đầy đủ chế độ thông tin, "
                          f"báo cáo kỳ {label}."))

    blocks.append(Block("h1", f"4. Đề xuất, kiến nghị của {role}"))
    late = missing + drafts
    if late:
        blocks.append(Block("bullet", f"Đề nghị UBND {_names([r.name for r in late])} hoàn thành việc tự đánh giá, "
                            f"gửi kết quả về {short} để tổng hợp."))
    not_ready = consolidation.not_ready()
    if not_ready:
        blocks.append(Block("bullet", f"Đề nghị UBND {_names([r.name for r in not_ready])} ưu tiên khắc phục các tiêu "
                            "chí trọng yếu chưa đạt, bố trí kinh phí nâng cấp trang thiết bị công nghệ thông tin."))
    if forwarded:
        blocks.append(Block("bullet", f"Đề nghị {', '.join(forwarded)} sớm xem xét, trả lời các kiến nghị đã được "
                            "chuyển theo thẩm quyền."))
    blocks.append(Block("bullet", "Các địa phương cần chủ động hơn trong việc trao đổi, phản ánh thông tin, kiến nghị, "
                        "đảm bảo thông tin hai chiều được thông suốt và kịp thời."))
    closing = (f"Trên đây là báo cáo định kỳ tại {_count(size)} {kinds} được phân công phụ trách theo dõi "
               f"tháng {label}./.")

    annex: list[AnnexRow] = []
    for number, group_petitions in enumerate(by_commune.values(), start=1):
        for index, petition in enumerate(group_petitions):
            annex.append(AnnexRow(number=number, commune=petition.commune_name, content=petition.content,
                                  resolution=resolution_text(petition, short),
                                  recommendation=recommendation_text(petition), first=index == 0,
                                  span=len(group_petitions) if index == 0 else 0, petition_id=petition.id,
                                  status=petition.status))
    report_number = number_line(options.number, settings.report_code)[len("Số: "):]
    recipients = options.recipients
    if recipients is None:
        recipients = _recipients(settings.report_recipients, kinds)
    options = replace(options, recipients=recipients)
    return ProvincialReport(
        options=options, period=period, date=date, subject=subject, scope=where, intro=intro,
        blocks_before_chart=blocks, chart_caption_levels="", chart_caption_sections="",
        levels=[(lc.level.label, lc.count, lc.level.color) for lc in consolidation.levels], section_averages=[],
        blocks_after_chart=[], not_ready_title="", not_ready=[], blocks_after_table=[], closing=closing,
        annex_title="", annex_subtitle=f"(Kèm theo Báo cáo số {report_number} ngày {short_date(date)} của {department})",
        annex=annex, settings=settings, charts=False)


def _recipients(lines: tuple[str, ...], kinds: str) -> tuple[str, ...]:
    """The settings' «Nơi nhận» of reports with «Các {kinds} được phân công phụ trách;» (instead of every commune)
    before the department's own lines."""
    line = f"Các {kinds} được phân công phụ trách;"
    if any(line.lower() in existing.lower() for existing in lines):
        return lines
    out = [existing for existing in lines if not existing.startswith("UBND các xã")]  # all the communes: not here
    at = next((i for i, existing in enumerate(out) if existing.startswith(("Lãnh đạo", "Lưu"))), len(out))
    out.insert(at, line)
    return tuple(out)


def _number(checklist, item_id: str) -> str:
    try:
        return checklist.number(item_id)
    except KeyError:
        return item_id


__all__ = ["build_group_report"]
