"""The provincial report's content, once, for both the PDF and the Word document.

The department's report to the provincial People's Committee (Nghị định 30/2020/NĐ-CP layout,
like seed 002): the issuing body and its parent from the workspace's document settings
(:mod:`readiness.document_settings`), the national title and motto, "Số: …/BC-SKHCN", place and
date, "BÁO CÁO" and its subject, the body (totals, levels, section averages, common gaps, the
communes not ready and why, petitions), "Nơi nhận", the signature block, then the annex table of
petitions in seed 002's columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..document_settings import DocumentSettings, default_settings
from ..exchange.nd30 import MOTTO, NATION, date_line, number_line, short_date  # noqa: F401 - NATION, MOTTO re-exported
from ..bands import score_band
from ..numbers import integer, percent, score

# What builds the content (the consolidation's scope, the petitions' texts, the store's period label) is
# imported by build_report: the content's own classes load without the database layer, so the process that
# writes the PDF from a pickled report (readiness.department.reports) never imports SQLAlchemy (~40 MB).
if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .petitions import Petition
    from .rollup import ProvinceRow
    from .needs import NeedsReport


def annex_headers(settings: DocumentSettings) -> tuple[str, ...]:
    """Seed 002's five columns; the last names the parent body's member («thành viên UBND tỉnh»)."""
    return ("STT", "Địa phương phản ánh, đề xuất", "Khó khăn, vướng mắc và đề xuất, kiến nghị của địa phương",
            "Tình hình giải quyết", f"Đề xuất, kiến nghị của thành viên {settings.parent_short}")


ANNEX_HEADERS = annex_headers(default_settings())
NOT_READY_HEADERS = ("STT", "Đơn vị", "Điểm", "Tiêu chí trọng yếu chưa đạt", "Tồn tại chính")
NEEDS_HEADERS = ("STT", "Hạng mục", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)")
MAX_NAMES = 40  # names listed inline (communes not submitted) before "và N đơn vị khác"


@dataclass
class ReportOptions:
    date: dt.date | None = None  # the report's date (default: today)
    number: str = ""  # given by the office when issued; blank leaves room to write it
    signer_title: tuple[str, ...] | None = None  # None: the settings' (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)
    signer_name: str = ""  # blank: the settings'
    recipients: tuple[str, ...] | None = None  # None: the settings' «Nơi nhận» of reports
    top_gaps: int = 8
    main_gaps_per_commune: int = 3
    settings: DocumentSettings | None = None  # the workspace's (load_settings); None: the defaults


@dataclass(frozen=True)
class Block:
    """A piece of the body: ``h1`` / ``h2`` heading, ``p`` paragraph (first-line indent), ``bullet`` ("- ...")."""

    kind: str
    text: str
    bold_prefix: str = ""  # a leading part in bold ("Sẵn sàng:")


@dataclass(frozen=True)
class AnnexRow:
    number: int  # STT of the commune (shared by its petitions)
    commune: str
    content: str
    resolution: str
    recommendation: str
    first: bool  # the commune's first petition (its STT and name cells start here)
    span: int  # how many petitions the commune has (on its first row)
    petition_id: int
    status: str


@dataclass
class ProvincialReport:
    options: ReportOptions
    period: str
    date: dt.date
    subject: str
    scope: str  # "tỉnh …" (the province in scope), "cả nước"
    intro: str
    blocks_before_chart: list[Block]
    chart_caption_levels: str
    chart_caption_sections: str
    levels: list[tuple[str, int, str]]  # (label, count, colour)
    section_averages: list[tuple[str, float | None]]  # ("2. Internet và mạng", average)
    blocks_after_chart: list[Block]
    not_ready_title: str
    not_ready: list[tuple[str, str, str, str, str]]
    blocks_after_table: list[Block]  # the sections after the investment needs (or after the table above)
    closing: str
    annex_title: str
    annex_subtitle: str
    annex: list[AnnexRow] = field(default_factory=list)
    settings: DocumentSettings = field(default_factory=default_settings)
    # The investment needs (readiness.department.needs), a section between the table above and the
    # difficulties: its title, sentences, the estimate's rows (the total last) and where prices come from.
    needs_title: str = ""
    needs_blocks: list[Block] = field(default_factory=list)
    needs_table: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    needs_note: str = ""
    not_ready_note: list[Block] = field(default_factory=list)  # what follows the table of communes not ready
    # When the scope spans provinces: «2.2. Kết quả theo tỉnh, thành phố», one row per province and a total.
    provinces_title: str = ""
    province_headers: tuple[str, ...] = ()
    provinces: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def signer_title(self) -> tuple[str, ...]:
        return self.options.signer_title or self.settings.signer_title

    @property
    def signer_name(self) -> str:
        return self.options.signer_name or self.settings.signer_name

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.options.recipients if self.options.recipients is not None else self.settings.report_recipients

    @property
    def annex_headers(self) -> tuple[str, ...]:
        return annex_headers(self.settings)
    section_colours: list[str] = field(default_factory=list)  # the band of each average (readiness.bands)
    charts: bool = True  # the two charts (a group's follow-up report, seed 002, has none)

    @property
    def show_charts(self) -> bool:
        return self.charts and self.has_data

    @property
    def has_data(self) -> bool:
        """Whether any commune's assessment was received (the charts have something to show)."""
        return any(count for _, count, _ in self.levels)

    @property
    def number_line(self) -> str:
        return number_line(self.options.number, self.settings.report_code)

    @property
    def date_line(self) -> str:
        return date_line(self.settings.place, self.date)


def _n(count: int) -> str:
    return integer(count)


def _pct(part: int, whole: int) -> str:
    return percent(part, whole)


def _num(value: float | None) -> str:
    return score(value)


def _column(value: float | None) -> str:
    """A score in a table's column: always one decimal (``66,0`` under ``63,6``)."""
    return score(value, fixed=True)


def _names(names: list[str]) -> str:
    if len(names) <= MAX_NAMES:
        return ", ".join(names)
    return ", ".join(names[:MAX_NAMES]) + f" và {len(names) - MAX_NAMES} đơn vị khác"


def build_report(consolidation: Consolidation, petitions: list[Petition], options: ReportOptions | None = None,
                 needs: NeedsReport | None = None) -> ProvincialReport:
    """The report's content; ``needs`` (:func:`readiness.department.needs.investment_needs` of the same
    consolidation) adds the section «Nhu cầu đầu tư trang thiết bị» with its estimate."""
    from ..store.db import period_label
    from .consolidate import scope_rows, scope_words
    from .petitions import counts_by_status, recommendation_text, resolution_text
    from .scope import province_short

    options = options or ReportOptions()
    settings = options.settings or default_settings()
    short, department = settings.short_name, settings.department_name
    status = consolidation.status
    checklist = consolidation.checklist
    date = options.date or dt.date.today()
    label = period_label(consolidation.period)
    scope = scope_words(consolidation, settings)
    expected, received = status.expected, consolidation.received
    from .rollup import province_rollup, spans_provinces

    national = spans_provinces(consolidation)
    province_of = {row.code: row.province_name for row in status.rows}
    province_of.update((row.code, row.province_name) for row in consolidation.rows)

    def named(code: str, name: str) -> str:
        """Across provinces a name alone is told apart by its province: «Xã Ba Đình (Thanh Hóa)»."""
        province = province_of.get(code)
        return f"{name} ({province_short(province)})" if national and province else name
    subject = (f"Kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa cấp xã "
               f"trên địa bàn {scope}, kỳ {label}")
    intro = (f"Thực hiện chỉ đạo của {settings.parent_short} về bảo đảm hạ tầng công nghệ thông tin phục vụ hoạt động "
             f"của chính quyền địa phương hai cấp; trên cơ sở kết quả tự đánh giá theo Bảng kiểm «{checklist.title.vi}» "
             f"(phiên bản {checklist.version}) do {settings.communes_phrase} gửi về, {department} ({short}) tổng hợp, "
             f"báo cáo kết quả kỳ {label} như sau:")

    kinds: dict[str, int] = {}
    for row in scope_rows(consolidation):
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
    kind_text = ", ".join(f"{_n(count)} {kind.lower()}" for kind, count in kinds.items())
    by_state = status.by_state
    blocks: list[Block] = [Block("h1", "1. Tình hình thực hiện tự đánh giá")]
    blocks.append(Block("bullet", f"Tổng số đơn vị hành chính cấp xã phải báo cáo: {_n(expected)}"
                        + (f" ({kind_text})." if kind_text else ".")))
    resub, outdated = by_state.get("resubmitted", 0), by_state.get("outdated", 0)
    extra = []
    if resub:
        extra.append(f"{_n(resub)} đơn vị gửi bản sửa (nộp lại)")
    if outdated:
        extra.append(f"{_n(outdated)} đơn vị dùng bảng kiểm phiên bản cũ")
    blocks.append(Block("bullet", f"Số đơn vị đã gửi kết quả: {_n(received)}/{_n(expected)} ({_pct(received, expected)})"
                        + (f", trong đó {', '.join(extra)}." if extra else ".")))
    blocks += _cycle_blocks(consolidation, expected)
    missing_rows = [row for row in scope_rows(consolidation) if row.state in ("missing", "draft")]
    if missing_rows:
        drafts = by_state.get("draft", 0)
        text = (f"Số đơn vị chưa gửi: {_n(len(missing_rows))}"
                + (f" (trong đó {_n(drafts)} đơn vị đang thực hiện, chưa hoàn thành)" if drafts else "")
                + f": {_names([named(row.code, row.name) for row in missing_rows])}.")
        blocks.append(Block("bullet", text))
    blocks.append(Block("h1", "2. Kết quả đánh giá"))
    blocks.append(Block("h2", "2.1. Mức độ sẵn sàng"))
    average = consolidation.average_score()
    blocks.append(Block("bullet", f"Điểm bình quân của {_n(received)} đơn vị đã gửi: {_num(average)}/100."))
    for level_count in consolidation.levels:
        blocks.append(Block("bullet", f"{_n(level_count.count)} đơn vị ({_pct(level_count.count, received)}).",
                            bold_prefix=f"{level_count.level.label}:"))

    provinces_title = ""
    province_headers: tuple[str, ...] = ()
    province_table: list[tuple[str, ...]] = []
    if national:
        provinces_title = "2.2. Kết quả theo tỉnh, thành phố"
        province_headers, province_table = _province_table(consolidation, province_rollup(consolidation))
    heading = iter(f"2.{n}." for n in range(3 if national else 2, 10))
    after: list[Block] = [Block("h2", f"{next(heading)} Điểm bình quân theo từng nội dung")]
    averages = [(s, consolidation.section_averages.get(s.id)) for s in consolidation.sections]
    present = [(s, v) for s, v in averages if v is not None]
    if not present:
        after.append(Block("p", "Chưa có số liệu: chưa đơn vị nào gửi kết quả tự đánh giá trong kỳ."))
    else:
        low = sorted(present, key=lambda pair: pair[1])[:3]
        after.append(Block("p", "Điểm bình quân theo từng nội dung: "
                           + "; ".join(f"{s.title} {_num(v)}" for s, v in averages) + " điểm. Các nội dung có điểm "
                           "thấp nhất, cần ưu tiên khắc phục: " + ", ".join(f"{s.title.lower()} ({_num(v)})" for s, v in low)
                           + "."))
    after.append(Block("h2", f"{next(heading)} Những tồn tại phổ biến"))
    common = [g for g in consolidation.common_gaps if g.count][: options.top_gaps]
    if not common:
        after.append(Block("p", "Không có tiêu chí chưa đạt."))
    for gap in common:
        mark = " (tiêu chí trọng yếu)" if gap.criterion.critical else ""
        after.append(Block("bullet", f"Mục {gap.criterion.number} «{label_text(gap.criterion.label)}»{mark}: "
                           f"{_n(gap.count)}/{_n(received)} đơn vị chưa đạt ({_pct(gap.count, received)})."))

    not_ready_rows = consolidation.not_ready()
    level_label = checklist.levels[-1].label.vi
    not_ready_title = f"3. Các đơn vị {level_label.lower()} và nguyên nhân"
    table: list[tuple[str, str, str, str, str]] = []
    for index, row in enumerate(not_ready_rows, start=1):
        result = row.result
        assert result is not None
        critical = "\n".join(_finding(checklist, g) for g in result.critical_problems) or "—"
        main = [g for g in result.problems if not g.critical][: options.main_gaps_per_commune]
        table.append((str(index), named(row.code, row.name), _column(row.score), critical,
                      "\n".join(_finding(checklist, g) for g in main) or "—"))

    tail: list[Block] = []
    not_ready_note: list[Block] = []
    if not not_ready_rows:
        not_ready_note.append(Block("p", f"Không có đơn vị ở mức «{level_label}»."))
    else:
        not_ready_note.append(Block("p", f"Có {_n(len(not_ready_rows))}/{_n(received)} đơn vị ở mức «{level_label}» "
                          f"({_pct(len(not_ready_rows), received)}); nguyên nhân chủ yếu là các tiêu chí trọng yếu "
                          "chưa đạt nêu tại bảng trên."))
    section = 4
    needs_blocks: list[Block] = []
    needs_table: list[tuple[str, str, str, str, str]] = []
    needs_title, needs_note = "", ""
    if needs is not None:
        needs_title, needs_blocks, needs_table, needs_note = _needs_section(needs, section, short)
        section += 1
    counts = counts_by_status(petitions)
    communes_with = len({p.commune_code for p in petitions})
    tail.append(Block("h1", f"{section}. Khó khăn, vướng mắc và đề xuất, kiến nghị của các địa phương"))
    if petitions:
        tail.append(Block("p", f"Các địa phương nêu {_n(len(petitions))} nội dung khó khăn, vướng mắc và đề xuất, kiến nghị "
                          f"({_n(communes_with)} đơn vị). {handling_sentence(counts, short)}"))
    else:
        tail.append(Block("p", "Các địa phương không nêu khó khăn, vướng mắc trong kỳ này."))
    tail.append(Block("h1", f"{section + 1}. Đề xuất, kiến nghị"))
    if missing_rows:
        tail.append(Block("bullet", f"Đề nghị {_n(len(missing_rows))} đơn vị chưa gửi kết quả hoàn thành việc tự đánh giá "
                          f"và gửi về {short} để tổng hợp."))
    if not_ready_rows:
        tail.append(Block("bullet", "Đề nghị UBND các đơn vị chưa sẵn sàng ưu tiên khắc phục các tiêu chí trọng yếu "
                          "(đường truyền, kết nối Mạng truyền số liệu chuyên dùng, chứng thư số, tài khoản trên Hệ thống "
                          "thông tin giải quyết thủ tục hành chính) và bố trí kinh phí nâng cấp trang thiết bị."))
    if needs is not None and needs.total_cost:
        from .prices import format_vnd

        tail.append(Block("bullet", f"Đề nghị {settings.parent_short} xem xét, bố trí kinh phí đầu tư trang thiết bị công "
                          f"nghệ thông tin cho các đơn vị cấp xã (ước tính {format_vnd(needs.total_cost)}, chi tiết tại "
                          f"mục {section - 1}), trước hết cho các đơn vị chưa sẵn sàng."))
    tail.append(Block("bullet", "Đề nghị các sở, ngành được chuyển kiến nghị xem xét, trả lời các địa phương theo thẩm quyền."))
    closing = (f"Trên đây là báo cáo kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa "
               f"cấp xã kỳ {label} của {department}./.")

    annex: list[AnnexRow] = []
    by_commune: dict[str, list[Petition]] = {}
    for petition in petitions:
        by_commune.setdefault(petition.commune_code, []).append(petition)
    for number, group in enumerate(by_commune.values(), start=1):
        for index, petition in enumerate(group):
            annex.append(AnnexRow(number=number, commune=named(petition.commune_code, petition.commune_name),
                                  content=petition.content,
                                  resolution=resolution_text(petition, short),
                                  recommendation=recommendation_text(petition),
                                  first=index == 0, span=len(group) if index == 0 else 0, petition_id=petition.id,
                                  status=petition.status))
    report_number = number_line(options.number, settings.report_code)[len("Số: "):]
    return ProvincialReport(
        options=options, period=consolidation.period, date=date, subject=subject, scope=scope, intro=intro,
        blocks_before_chart=blocks,
        chart_caption_levels=f"Biểu đồ 1. Số đơn vị theo mức độ sẵn sàng, kỳ {label}",
        chart_caption_sections=f"Biểu đồ 2. Điểm bình quân theo từng nội dung, kỳ {label}",
        levels=[(lc.level.label, lc.count, lc.level.color) for lc in consolidation.levels],
        section_averages=[(f"{s.number}. {s.title}", v) for s, v in averages],
        blocks_after_chart=after, not_ready_title=not_ready_title, not_ready=table, not_ready_note=not_ready_note,
        blocks_after_table=tail,
        closing=closing,
        annex_title="TỔNG HỢP KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ CỦA CÁC ĐỊA PHƯƠNG",
        annex_subtitle=f"(Kèm theo Báo cáo số {report_number} ngày {short_date(date)} của {department})",
        annex=annex, settings=settings, needs_title=needs_title, needs_blocks=needs_blocks, needs_table=needs_table,
        needs_note=needs_note,
        section_colours=[score_band(consolidation.checklist, v).colour for _s, v in averages],
        provinces_title=provinces_title, province_headers=province_headers, provinces=province_table,
    )


def _needs_section(needs: NeedsReport, number: int, department: str
                   ) -> tuple[str, list[Block], list[tuple[str, str, str, str, str]], str]:
    """«4. Nhu cầu đầu tư trang thiết bị (ước tính)»: one sentence per need, the estimate, the prices' source."""
    from .needs import cost_rows, need_sentences, prices_note

    title = f"{number}. Nhu cầu đầu tư trang thiết bị công nghệ thông tin (ước tính)"
    blocks: list[Block] = []
    missing = len(needs.not_received)
    sentences = need_sentences(needs, names=8)
    lead = (f"Tổng hợp từ kết quả tự đánh giá của {needs.received} đơn vị đã gửi"
            + (f" ({missing} đơn vị chưa gửi, chưa tính)" if missing else ""))
    blocks.append(Block("p", lead + (":" if sentences else ": không có nhu cầu nào trong các nội dung tổng hợp.")))
    blocks += [Block("bullet", text) for text in sentences]
    rows = cost_rows(needs) if needs.costs else []
    if rows:
        blocks.append(Block("p", "Kinh phí ước tính theo từng hạng mục (chi tiết từng đơn vị tại tệp Excel tổng hợp, "
                                 f"sheet «Nhu cầu theo xã», và báo cáo nhu cầu đầu tư của {department}):"))
    return title, blocks, rows, (prices_note(needs) if rows else "")


def _cycle_blocks(consolidation: Consolidation, expected: int) -> list[Block]:
    """The deadline and who met it (DHIS2's reporting rate on time), without a clause for a zero count:
    «Hạn gửi kết quả: 05/01/2026; gửi đúng hạn: 41/96 đơn vị (42,7%); gửi sau hạn: 2 đơn vị (Xã A, Xã B).»"""
    cycle = consolidation.status.cycle
    if cycle is None or cycle.deadline is None:
        return []
    from .consolidate import scope_rows
    from .cycle import vn_date

    text = f"Hạn gửi kết quả: {vn_date(cycle.deadline)}; gửi đúng hạn: {cycle.on_time}/{expected} đơn vị " \
           f"({_pct(cycle.on_time, expected)})"
    late = [row.name for row in scope_rows(consolidation) if row.cycle is not None and row.cycle.state == "late"]
    if late:
        text += f"; gửi sau hạn: {len(late)} đơn vị ({_names(late)})"
    blocks = [Block("bullet", text + ".")]
    held = [row.name for row in scope_rows(consolidation) if row.cycle is not None and row.cycle.state == "held"]
    if held:
        blocks.append(Block("bullet", f"Có {len(held)} đơn vị gửi bản sửa chưa được tiếp nhận (chưa ký số hoặc ký bằng "
                                      f"chứng thư khác), đang dùng bản đã ký số trước đó: {_names(held)}."))
    return blocks


def _province_table(consolidation: Consolidation, rollup: list[ProvinceRow]
                    ) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The roll-up as the report prints it: STT, province, expected, received (share), mean score, one
    column per level; the last row the scope's total («Cả nước» for the country)."""
    levels = consolidation.status.levels
    headers = ("STT", "Tỉnh, thành phố", "Phải báo cáo", "Đã gửi", "Điểm bình quân",
               *(level.label for level in levels))
    rows: list[tuple[str, ...]] = []
    for index, p in enumerate(rollup, start=1):
        rows.append((str(index), p.short_name, _n(p.expected),
                     f"{_n(p.received)} ({_pct(p.received, p.expected)})" if p.expected else _n(p.received),
                     _column(p.mean_score), *(_n(p.levels.get(level.id, 0)) for level in levels)))
    expected = sum(p.expected for p in rollup)
    received = sum(p.received for p in rollup)
    scores = [s for p in rollup for s in p.scores]
    filters = consolidation.status.filters
    total = "Cả nước" if filters.province is None and not filters.communes else "Tổng cộng"
    rows.append(("", total, _n(expected), f"{_n(received)} ({_pct(received, expected)})" if expected else _n(received),
                 _column(sum(scores) / len(scores) if scores else None),
                 *(_n(sum(p.levels.get(level.id, 0) for p in rollup)) for level in levels)))
    return headers, rows


def handling_sentence(counts: dict[str, int], department: str) -> str:
    """What the department did with the petitions, without a clause for a status no petition has:
    «Đến nay, Sở KHCN đã chuyển cơ quan có thẩm quyền 3 nội dung, đã trả lời 2 nội dung; 7 nội dung
    đang được xem xét, xử lý (chi tiết tại Phụ lục kèm theo).»"""
    done = [f"{verb} {counts[status]} nội dung" for status, verb in (
        ("forwarded", "đã chuyển cơ quan có thẩm quyền"), ("answered", "đã trả lời"), ("resolved", "đã giải quyết"))
        if counts.get(status)]
    pending = counts.get("new", 0)
    if done and pending:
        text = f"Đến nay, {department} {', '.join(done)}; {pending} nội dung đang được xem xét, xử lý"
    elif done:
        text = f"Đến nay, {department} {', '.join(done)}"
    else:
        text = f"Đến nay, {pending} nội dung đang được {department} xem xét, xử lý"
    return text + " (chi tiết tại Phụ lục kèm theo)."




def label_text(label: str) -> str:
    """A criterion's label inside a sentence: without the question mark of yes/no questions."""
    return label.rstrip().rstrip("?").rstrip()


def first_sentence(text: str) -> str:
    """The first sentence of an advice (what was found: «Mới có 5/25 máy tính (20%) đạt cấu hình tối thiểu,
    dưới mức 80%.»); a sentence ends at «.», «!» or «?» followed by a space and a capital letter."""
    text = " ".join((text or "").split())
    for index, char in enumerate(text[:-2]):
        if char in ".!?" and text[index + 1] == " " and text[index + 2].isupper():
            return text[:index + 1]
    return text


def _finding(checklist, gap) -> str:
    """A commune's own finding for a criterion not met: «(3.1) Mới có 5/25 máy tính … dưới mức 80%.» (the
    first sentence of its advice), the criterion's label only when there is no advice."""
    try:
        number = checklist.number(gap.item_id)
    except KeyError:
        number = gap.item_id
    advice = first_sentence(gap.advice)
    return f"({number}) {advice}" if advice else _criterion(checklist, gap.item_id)


def _criterion(checklist, item_id: str) -> str:
    try:
        return f"{checklist.number(item_id)} {label_text(checklist.item(item_id).label.vi)}"
    except KeyError:
        return item_id


__all__ = ["ANNEX_HEADERS", "AnnexRow", "Block", "NEEDS_HEADERS", "NOT_READY_HEADERS", "ProvincialReport",
           "ReportOptions", "annex_headers", "build_report", "handling_sentence"]
