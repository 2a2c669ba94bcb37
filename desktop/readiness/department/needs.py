"""Investment needs ("what to buy"): what the communes lack, per commune and for the scope, with a cost.

From the received assessments of a period (the consolidation's rows, the same scope filters as every
department report: a province, the country, a list of communes), per commune and in total:

- PCs below the minimum configuration, by reason (CPU, RAM, disk type or size, operating system, not
  enough information), broken PCs; PCs on Windows 10 or older, to upgrade or to replace;
- officers without a PC of their own; counters without a printer, without a scanner;
- organisation certificates expired, expiring within the checklist's warning days, still under the old
  unit's name, missing; personal certificates expired or expiring;
- communes whose video-conference endpoint is software only or missing, without a backup line, not on
  the specialised data network (TSLCD), with a UPS below the checklist's target;

each with the communes concerned, and an estimated cost from the unit prices
(:mod:`readiness.department.prices`).

One definition of "below the minimum": nothing here compares a PC's RAM with a number.  The figures
are the scoring rules' own findings, kept with each commune's score (:class:`CommuneScore`: the rows a
``count(pcs, …)`` rule counts, the numbers its ``let`` values computed, the status of each criterion),
so a threshold changed in the checklist changes the scores and the needs alike.  :data:`PC_REASONS`
and the other tables below only say which of the checklist's rules (item, ``let``) is which finding;
several names are listed where checklist versions differ (v1's ``n_bad_disk`` is v2's ``n_hdd`` and
``n_small_ssd``).  A few facts are answers, not rules (the organisation certificate's name, the kind of
video endpoint, the number of officers without a PC): they are read as answered.

Dates: like every figure of the department, a commune's findings are as of the day it finalized its
assessment (``--as-of`` pins another day for all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..answers import format_number
from ..text import sort_key
from .findings import (ANSWERS_READ, COMMUNE_CRITERIA, COUNTERS_PRINTER, COUNTERS_SCANNER, ORG_CERTIFICATES, PC_REASONS,
                       PC_SHORTAGE, PcFinding, REASON_LINES, VC_ENDPOINT, describe_pc, organisation_certificate,
                       pc_findings, personal_certificates, shared_pc_findings)
from .findings import fill as _fill
from .prices import PriceList, format_vnd

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from ..service import Workspace
    from .bulk import CommuneScore
    from .consolidate import Consolidation
    from .status import StatusFilters


@dataclass(frozen=True)
class NeedLine:
    """One kind of need: a row of every table of needs."""

    id: str
    group: str
    label: str
    label_en: str
    unit: str  # what is counted: máy, người, quầy, chứng thư, xã
    unit_en: str
    detail: bool = False  # a reason under the line above it (printed indented)


GROUPS: tuple[tuple[str, str, str], ...] = (
    ("pcs", "Máy tính", "Computers"),
    ("people", "Cán bộ, công chức", "Officers"),
    ("counters", "Quầy tiếp nhận và trả kết quả", "Reception counters"),
    ("certificates", "Chứng thư số", "Signing certificates"),
    ("connectivity", "Hội nghị truyền hình, đường truyền, nguồn điện", "Video conferencing, lines, power"),
)

_LINES: tuple[tuple[str, str, str, str, str, str, bool], ...] = (
    # id, group, Vietnamese label, English label, unit, unit (en), detail
    ("pcs_below", "pcs", "Máy tính chưa đạt cấu hình tối thiểu", "PCs below the minimum configuration", "máy", "PCs", False),
    ("pcs_cpu", "pcs", "CPU dưới {min_cpu_cores} nhân", "CPU with fewer than {min_cpu_cores} cores", "máy", "PCs", True),
    ("pcs_ram", "pcs", "RAM dưới {min_ram_gb} GB", "RAM below {min_ram_gb} GB", "máy", "PCs", True),
    ("pcs_storage", "pcs", "Ổ cứng HDD hoặc ổ SSD dưới {min_storage_gb} GB",
     "Hard disk (HDD) or SSD below {min_storage_gb} GB", "máy", "PCs", True),
    ("pcs_os", "pcs", "Hệ điều hành không phải Windows 10, Windows 11", "Operating system other than Windows 10 or 11",
     "máy", "PCs", True),
    ("pcs_unknown", "pcs", "Chưa kê khai đủ cấu hình", "Configuration not fully listed", "máy", "PCs", True),
    ("pcs_poor", "pcs", "Máy tính hỏng hoặc quá chậm, cần thay", "Broken or very slow PCs, to replace", "máy", "PCs", False),
    ("win_old", "pcs", "Máy tính dùng Windows 10 hoặc cũ hơn", "PCs on Windows 10 or older", "máy", "PCs", False),
    ("win_upgrade", "pcs", "nâng cấp lên Windows 11", "to upgrade to Windows 11", "máy", "PCs", True),
    ("win_replace", "pcs", "thay máy mới (CPU dưới {min_cpu_cores} nhân hoặc máy hỏng)",
     "to replace (CPU below {min_cpu_cores} cores, or broken)", "máy", "PCs", True),
    ("officers_without_pc", "people", "Cán bộ, công chức chưa có máy tính riêng", "Officers without a PC of their own",
     "người", "officers", False),
    ("counters_printer", "counters", "Quầy chưa có máy in", "Counters without a printer", "quầy", "counters", False),
    ("counters_scanner", "counters", "Quầy chưa có máy quét", "Counters without a scanner", "quầy", "counters", False),
    ("org_expired", "certificates", "Chứng thư số tổ chức đã hết hạn", "Organisation certificates expired",
     "chứng thư", "certificates", False),
    ("org_expiring", "certificates", "Chứng thư số tổ chức hết hạn trong {cert_warn_days} ngày",
     "Organisation certificates expiring within {cert_warn_days} days", "chứng thư", "certificates", False),
    ("org_old_name", "certificates", "Chứng thư số tổ chức còn mang tên đơn vị cũ",
     "Organisation certificates under the old unit's name", "chứng thư", "certificates", False),
    ("org_none", "certificates", "Chưa có chứng thư số tổ chức (UBND xã hoặc Trung tâm)",
     "No organisation certificate (People's Committee or centre)", "chứng thư", "certificates", False),
    ("personal_expired", "certificates", "Chứng thư số cá nhân đã hết hạn", "Personal certificates expired",
     "chứng thư", "certificates", False),
    ("personal_expiring", "certificates", "Chứng thư số cá nhân hết hạn trong {cert_warn_days} ngày",
     "Personal certificates expiring within {cert_warn_days} days", "chứng thư", "certificates", False),
    ("vc_software", "connectivity", "Xã chỉ có điểm cầu hội nghị truyền hình bằng phần mềm",
     "Communes whose video endpoint is software only", "xã", "communes", False),
    ("vc_none", "connectivity", "Xã chưa có điểm cầu hội nghị truyền hình", "Communes without a video endpoint",
     "xã", "communes", False),
    ("no_backup_line", "connectivity", "Xã chưa có đường truyền dự phòng", "Communes without a backup line",
     "xã", "communes", False),
    ("no_tslcd", "connectivity", "Xã chưa kết nối Mạng truyền số liệu chuyên dùng",
     "Communes not connected to the specialised data network", "xã", "communes", False),
    ("ups_below", "connectivity", "Xã có UPS dưới {min_ups_minutes} phút hoặc chưa có UPS",
     "Communes with a UPS below {min_ups_minutes} minutes or none", "xã", "communes", False),
)
LINE_IDS = tuple(entry[0] for entry in _LINES)


def need_lines(thresholds: Mapping[str, Any] | None = None) -> list[NeedLine]:
    """The lines, labels filled with the checklist's thresholds (``{min_ram_gb}`` -> ``8``)."""
    values = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in (thresholds or {}).items()}
    values_en = {k: format_number(v, "en") if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                 for k, v in (thresholds or {}).items()}
    out = []
    for line_id, group, vi, en, unit, unit_en, detail in _LINES:
        out.append(NeedLine(line_id, group, _fill(vi, values), _fill(en, values_en), unit, unit_en, detail))
    return out



# -- one commune ------------------------------------------------------------------------------------------




@dataclass
class CommuneNeeds:
    code: str
    name: str
    kind: str
    province_code: str
    province_name: str
    counts: dict[str, int]  # line id -> how many (only those above 0)
    quantities: dict[str, int]  # price id -> how many to buy (only those above 0)
    checklist_key: str = ""
    costs: dict[str, int] = field(default_factory=dict)  # price id -> amount (đồng)

    @property
    def cost(self) -> int:
        return sum(self.costs.values())

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "province_code": self.province_code,
                "counts": dict(self.counts), "quantities": dict(self.quantities), "costs": dict(self.costs),
                "cost": self.cost, "cost_text": format_vnd(self.cost), "checklist": self.checklist_key}


def commune_needs(result: CommuneScore, answers: Mapping[str, Any], checklist: Checklist | None = None,
                  pcs: list[PcFinding] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """(counts per line, quantities per price) of one commune, from its findings and a few answers (``pcs``: its
    PCs' findings when already found, else found here)."""
    counts: dict[str, int] = {}
    quantities: dict[str, int] = {}

    def add(target: dict[str, int], key: str, value: int) -> None:
        if value > 0:
            target[key] = target.get(key, 0) + value

    for pc in pcs if pcs is not None else pc_findings(result, checklist):
        if not pc.meets:
            add(counts, "pcs_below", 1)
            for reason in pc.reasons:
                add(counts, REASON_LINES[reason], 1)
        if pc.poor:
            add(counts, "pcs_poor", 1)
        if pc.old_windows:
            add(counts, "win_old", 1)
            add(counts, "win_replace" if pc.replace else "win_upgrade", 1)
        for action in pc.actions:
            add(quantities, action, 1)

    statuses = result.statuses
    shortage = answers.get(PC_SHORTAGE)
    if statuses.get(PC_SHORTAGE) == "fail" and isinstance(shortage, int) and not isinstance(shortage, bool):
        add(counts, "officers_without_pc", shortage)
        add(quantities, "pc", shortage)
    for line, rule, price in (("counters_printer", COUNTERS_PRINTER, "printer"),
                              ("counters_scanner", COUNTERS_SCANNER, "scanner")):
        missing = result.value_of(*rule)
        if statuses.get(rule[0]) == "fail" and isinstance(missing, int) and not isinstance(missing, bool):
            add(counts, line, missing)
            add(quantities, price, missing)

    for _unit, kind_item, expiry_item in ORG_CERTIFICATES:
        problems = organisation_certificate(result, answers.get(kind_item), expiry_item)
        for problem in problems:
            add(counts, f"org_{problem}", 1)
        if problems:
            add(quantities, "certificate", 1)
    personal = personal_certificates(result)
    add(counts, "personal_expired", sum(1 for state in personal.values() if state == "expired"))
    add(counts, "personal_expiring", sum(1 for state in personal.values() if state == "expiring"))
    add(quantities, "certificate", len(personal))

    endpoint = answers.get(VC_ENDPOINT)
    if endpoint in ("software", "none"):
        add(counts, "vc_software" if endpoint == "software" else "vc_none", 1)
        add(quantities, "vc_hardware", 1)
    for line, item_id in COMMUNE_CRITERIA.items():
        if statuses.get(item_id) == "fail":
            add(counts, line, 1)
            add(quantities, {"no_backup_line": "backup_line", "no_tslcd": "tslcd", "ups_below": "ups"}[line], 1)
    return counts, quantities


# -- the scope --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedTotal:
    line: NeedLine
    count: int
    communes: tuple[tuple[str, str, int], ...]  # (code, name, count), most first

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.line.id, "group": self.line.group, "label": self.line.label, "label_en": self.line.label_en,
                "unit": self.line.unit, "detail": self.line.detail, "count": self.count,
                "communes": [{"code": c, "name": n, "count": k} for c, n, k in self.communes]}


@dataclass(frozen=True)
class CostTotal:
    price_id: str
    label: str
    unit: str
    unit_price: int
    quantity: int
    amount: int
    communes: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"price": self.price_id, "label": self.label, "unit": self.unit, "unit_price": self.unit_price,
                "quantity": self.quantity, "amount": self.amount, "amount_text": format_vnd(self.amount),
                "communes": self.communes, "source": self.source}


@dataclass
class NeedsReport:
    period: str
    scope: str  # «tỉnh Quảng Ngãi», «cả nước», «12 đơn vị đã chọn»
    filters: Any  # the StatusFilters used
    expected: int  # communes in scope
    received: int  # communes whose assessment counts
    not_received: list[tuple[str, str]]  # (code, name) in scope without a received assessment
    lines: list[NeedTotal]
    costs: list[CostTotal]
    communes: list[CommuneNeeds]  # received communes, Vietnamese order
    prices: PriceList
    thresholds: dict[str, Any]
    as_of: dt.date | None = None  # pinned date (None: each commune as of its finalization)
    checklists: tuple[str, ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def total_cost(self) -> int:
        return sum(c.amount for c in self.costs)

    def line(self, line_id: str) -> NeedTotal:
        for total in self.lines:
            if total.line.id == line_id:
                return total
        raise KeyError(line_id)

    def count(self, line_id: str) -> int:
        return self.line(line_id).count

    def cost_of(self, price_id: str) -> CostTotal | None:
        return next((c for c in self.costs if c.price_id == price_id), None)

    def by_province(self) -> list[dict[str, Any]]:
        """One entry per province in scope: communes received, counts, quantities and cost."""
        out: dict[str, dict[str, Any]] = {}
        for commune in self.communes:
            entry = out.setdefault(commune.province_code, {"code": commune.province_code, "name": commune.province_name,
                                                           "communes": 0, "counts": {}, "cost": 0})
            entry["communes"] += 1
            entry["cost"] += commune.cost
            for key, value in commune.counts.items():
                entry["counts"][key] = entry["counts"].get(key, 0) + value
        return sorted(out.values(), key=lambda e: sort_key(e["name"]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period, "scope": self.scope, "expected": self.expected, "received": self.received,
            "not_received": [{"code": c, "name": n} for c, n in self.not_received],
            "as_of": self.as_of.isoformat() if self.as_of else None, "checklists": list(self.checklists),
            "lines": [t.to_dict() for t in self.lines],
            "costs": [c.to_dict() for c in self.costs],
            "total_cost": self.total_cost, "total_cost_text": format_vnd(self.total_cost),
            "prices": self.prices.to_dict(),
            "communes": [c.to_dict() for c in self.communes],
            "generated_at": self.generated_at.isoformat(),
        }


def investment_needs(workspace: Workspace, consolidation: Consolidation, prices: PriceList | None = None
                     ) -> NeedsReport:
    """The needs of the communes ``consolidation`` received (its scope and filters)."""
    from .bulk import load_raw, typed_answers
    from .prices import load_prices
    from .consolidate import scope_words

    prices = prices or load_prices(workspace.store)
    checklist = consolidation.checklist
    thresholds = dict(checklist.threshold_values())
    lines = need_lines(thresholds)
    rows = [row for row in consolidation.rows if row.result is not None and row.assessment_id]
    raw = load_raw(workspace.store, [row.assessment_id for row in rows if row.assessment_id], items=set(ANSWERS_READ))
    definitions: dict[str, Checklist] = {}
    communes: list[CommuneNeeds] = []
    for row in rows:
        key = f"{row.checklist_id}@{row.checklist_version}"
        if key not in definitions:
            definitions[key] = workspace.library.get(row.checklist_id or "", row.checklist_version)
        definition = definitions[key]
        answers = typed_answers(definition, raw[row.assessment_id]).values  # type: ignore[index]
        assert row.result is not None
        pcs = shared_pc_findings(consolidation.pc_findings, row.assessment_id or "", row.result, definition)  # for the inventory
        counts, quantities = commune_needs(row.result, answers, definition, pcs)
        commune_costs = {pid: qty * prices[pid].amount for pid, qty in quantities.items()
                         if prices.get(pid) is not None}
        communes.append(CommuneNeeds(row.code, row.name, row.kind, row.province_code, row.province_name, counts,
                                     quantities, key, commune_costs))
    communes.sort(key=lambda c: sort_key(c.name))

    totals: list[NeedTotal] = []
    for line in lines:
        concerned = [(c.code, c.name, c.counts[line.id]) for c in communes if c.counts.get(line.id)]
        concerned.sort(key=lambda entry: (-entry[2], sort_key(entry[1])))
        totals.append(NeedTotal(line, sum(k for _, _, k in concerned), tuple(concerned)))
    costs: list[CostTotal] = []
    for price in prices.prices.values():
        quantity = sum(c.quantities.get(price.id, 0) for c in communes)
        if not quantity:
            continue
        costs.append(CostTotal(price.id, price.label, price.unit, price.amount, quantity, quantity * price.amount,
                               sum(1 for c in communes if c.quantities.get(price.id)), price.source))
    received_codes = {c.code for c in communes}
    scope_rows = _scope_rows(consolidation)
    not_received = [(row.code, row.name) for row in scope_rows if row.code not in received_codes]
    return NeedsReport(
        period=consolidation.period, scope=_scope(consolidation, scope_words(consolidation)), filters=consolidation.status.filters,
        expected=consolidation.status.expected, received=len(communes), not_received=not_received, lines=totals,
        costs=costs, communes=communes, prices=prices, thresholds=thresholds, as_of=consolidation.today,
        checklists=tuple(sorted(definitions)))


def _scope(consolidation: Consolidation, place: str) -> str:
    """«tỉnh Quảng Ngãi», and for a group or a selection the communes it is: «tỉnh Quảng Ngãi (nhóm «Đ/c … — 7
    xã», 7 đơn vị)» (a document never names a whole province for seven communes)."""
    from ..numbers import integer

    filters = consolidation.status.filters
    expected = integer(consolidation.status.expected)
    if filters.group:
        return f"{place} (nhóm «{filters.group}», {expected} đơn vị)"
    if filters.communes:
        return f"{place} ({expected} đơn vị đã chọn)"
    return place


def _scope_rows(consolidation: Consolidation) -> Sequence[Any]:
    status = consolidation.status
    if status.filters.state or status.filters.level:
        return consolidation.rows
    return status.rows


def needs_for_period(workspace: Workspace, period: str, filters: StatusFilters | None = None, *,
                     prices: PriceList | None = None, today: dt.date | None = None,
                     workers: int | None = None) -> NeedsReport:
    """Consolidate ``period`` in ``filters``' scope (a province, the country, ``communes=(codes…)``), then the needs."""
    from .consolidate import consolidate

    return investment_needs(workspace, consolidate(workspace, period, filters, today=today, workers=workers), prices)


# -- text -------------------------------------------------------------------------------------------------


def count_text(count: int, unit: str) -> str:
    """«12 máy»; never «0 máy» (the caller leaves a zero out)."""
    return f"{format_number(count)} {unit}"


def _named(report: NeedsReport) -> Any:
    """Across provinces a name alone is told apart by its province: «Xã Ba Đình (Thanh Hóa)»."""
    from .scope import province_short

    provinces = {c.code: c.province_name for c in report.communes}
    if len(set(provinces.values())) <= 1:
        return lambda _code, name: name
    return lambda code, name: f"{name} ({province_short(provinces[code])})" if code in provinces else name


def _names(communes: Sequence[tuple[str, str, int]], limit: int, named: Any = None) -> str:
    names = [named(code, name) if named else name for code, name, _count in communes]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" và {len(names) - limit} đơn vị khác"


def need_sentences(report: NeedsReport, *, names: int = 12) -> list[str]:
    """One sentence per need found, its details after it, no clause with a zero count:
    «Máy tính chưa đạt cấu hình tối thiểu: 229 máy tại 13 đơn vị, trong đó CPU dưới 4 nhân: 155 máy; …».
    A need counted in communes names them (up to ``names``)."""
    out: list[str] = []
    index = 0
    totals = report.lines
    while index < len(totals):
        total = totals[index]
        details = []
        index += 1
        while index < len(totals) and totals[index].line.detail:
            if totals[index].count:
                details.append(totals[index])
            index += 1
        if not total.count:
            continue
        line = total.line
        if line.unit == "xã":
            text = f"{line.label}: {len(total.communes)} đơn vị ({_names(total.communes, names, _named(report))})"
        else:
            text = f"{line.label}: {count_text(total.count, line.unit)} tại {len(total.communes)} đơn vị"
        if details:
            parts = "; ".join(f"{d.line.label}: {count_text(d.count, d.line.unit)}" for d in details)
            text += f", trong đó {parts}"
            if line.id == "pcs_below" and len(details) > 1:
                text += " (một máy có thể chưa đạt vì nhiều lý do)"
        out.append(text + ".")
    return out


COST_HEADERS = ("STT", "Hạng mục", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)")


def cost_rows(report: NeedsReport) -> list[tuple[str, str, str, str, str]]:
    """The estimate as table rows (amounts «1.234.000»), the total last; a free item says so."""
    rows = []
    for number, cost in enumerate(report.costs, start=1):
        free = not cost.unit_price
        rows.append((str(number), cost.label, count_text(cost.quantity, cost.unit),
                     "Không tính phí" if free else format_vnd(cost.unit_price, unit=False),
                     "—" if free else format_vnd(cost.amount, unit=False)))
    rows.append(("", "Tổng cộng", "", "", format_vnd(report.total_cost, unit=False)))
    return rows


def prices_note(report: NeedsReport) -> str:
    """Where the unit prices come from, said plainly (all suggested, or some set by the department)."""
    prices = report.prices
    used = [prices[c.price_id] for c in report.costs if prices.get(c.price_id) is not None]
    suggested = [p for p in used if p.suggested]
    text = (f"Kinh phí ước tính theo {prices.describe()[0].lower()}{prices.describe()[1:]}, tính bằng đồng; số lượng "
            "theo kết quả tự đánh giá của các đơn vị đã gửi")
    if used and len(suggested) == len(used):
        text += ". Các đơn giá đều là mức đề xuất để tham khảo, cần được thay bằng giá theo báo giá hoặc dự toán được duyệt"
    elif suggested:
        text += (f". {len(suggested)}/{len(used)} đơn giá là mức đề xuất để tham khảo ("
                 + ", ".join(p.label.split(" (")[0].lower() for p in suggested[:6])
                 + (" …" if len(suggested) > 6 else "") + ")")
    return text + "."


def format_needs(report: NeedsReport, *, communes: int = 5) -> str:
    """The text ``readiness needs`` prints: totals with the communes concerned, then the estimated cost."""
    from ..store.db import period_label

    lines = [f"Nhu cầu đầu tư trang thiết bị công nghệ thông tin — {report.scope}, kỳ {period_label(report.period)}",
             f"Tính trên {report.received}/{report.expected} đơn vị đã gửi kết quả tự đánh giá"
             + (f"; {len(report.not_received)} đơn vị chưa gửi, chưa tính." if report.not_received else ".")]
    current = None
    for total in report.lines:
        if not total.count:
            continue
        if total.line.group != current:
            current = total.line.group
            lines.append(next(title for gid, title, _ in GROUPS if gid == current) + ":")
        indent = "      - " if total.line.detail else "  "
        named = _named(report)
        names = ", ".join(f"{named(code, name)} ({k})" if total.line.unit != "xã" else named(code, name)
                          for code, name, k in total.communes[:communes])
        more = len(total.communes) - communes
        if more > 0:
            names += f" và {more} đơn vị khác"
        where = f"; {len(total.communes)} đơn vị" if total.line.unit != "xã" else ""
        lines.append(f"{indent}{total.line.label}: {count_text(total.count, total.line.unit)}{where} — {names}")
    if not any(t.count for t in report.lines):
        lines.append("  Không có nhu cầu nào trong các đơn vị đã gửi.")
    lines.append(f"Kinh phí ước tính ({report.prices.describe()}):")
    for cost in report.costs:
        if cost.unit_price:
            lines.append(f"  {cost.label}: {count_text(cost.quantity, cost.unit)} × {format_vnd(cost.unit_price)}/"
                         f"{cost.unit} = {format_vnd(cost.amount)}")
        else:
            lines.append(f"  {cost.label}: {count_text(cost.quantity, cost.unit)}, không tính phí")
    lines.append(f"  Tổng cộng: {format_vnd(report.total_cost)}")
    if report.prices.all_suggested:
        lines.append("  (Mọi đơn giá là đề xuất, chờ Sở xác nhận: readiness prices set <mã> <số tiền> --basis «…».)")
    for warning in report.prices.warnings:
        lines.append(f"Lưu ý: {warning}")
    return "\n".join(lines)


__all__ = ["CERTIFICATE_TEXT", "COST_HEADERS", "describe_certificate", "organisation_certificate",
           "personal_certificates", "CostTotal", "CommuneNeeds", "GROUPS", "LINE_IDS", "NeedLine", "NeedTotal", "NeedsReport",
           "PcFinding", "commune_needs", "cost_rows", "count_text", "describe_pc", "format_needs", "investment_needs",
           "need_lines", "need_sentences", "needs_for_period", "pc_findings", "prices_note"]
