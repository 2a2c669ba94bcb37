"""What the scoring rules found in one commune's rows: its PCs (meets the minimum or why not, what to do)
and its certificates (expired, expiring, still under the old unit's name).

The consolidated workbook's computed columns (:func:`readiness.department.consolidate.inventories`) and
the investment needs (:mod:`readiness.department.needs`) both read these, so one definition of «below
the minimum» serves the scores, the inventory sheets and the needs.  The tables below only say which of
the checklist's rules (item, ``let``) is which finding; several names are listed where checklist versions
differ (v1's ``n_bad_disk`` is v2's ``n_hdd`` and ``n_small_ssd``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..answers import format_number

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from .bulk import CommuneScore

# -- which rules are which findings ----------------------------------------------------------------------

PCS = "pcs"  # the table item listing the PCs
PC_TOTAL = ("pcs", "n_pcs")
PC_OK = ("pcs", "n_ok")  # the PCs that meet the minimum configuration
PC_REASONS: dict[str, tuple[tuple[str, str], ...]] = {  # reason -> the rules that find it (any version)
    "cpu": (("pcs", "n_low_cores"),),
    "ram": (("pcs", "n_low_ram"),),
    "storage": (("pcs", "n_hdd"), ("pcs", "n_small_ssd"), ("pcs", "n_bad_disk")),
    "os": (("pcs", "n_old_os"),),
    "unknown": (("pcs", "n_unknown"),),
}
PC_POOR = (("pcs", "n_poor"),)
PC_OLD_WINDOWS = (("pcs", "n_old_windows"), ("win10_plan", "n_win10"))  # the first the checklist has
PERSONAL_EXPIRED = ("cert_renewal_planned", "n_expired")
PERSONAL_EXPIRING = ("cert_renewal_planned", "n_expiring")
COUNTERS_PRINTER = ("counter_printers", "n_missing")
COUNTERS_SCANNER = ("counter_scanners", "n_missing")
ORG_CERTIFICATES = (("ubnd", "org_cert_ubnd", "org_cert_ubnd_expiry"),
                    ("center", "org_cert_center", "org_cert_center_expiry"))
ORG_DAYS_LEFT = "days_left"
PC_SHORTAGE = "pc_shortage"  # an answer: officers without a PC of their own (criterion not met)
VC_ENDPOINT = "vc_endpoint_type"  # an answer: hardware / software / none
COMMUNE_CRITERIA = {"no_backup_line": "backup_line", "no_tslcd": "tslcd_connected", "ups_below": "ups_minutes"}
ANSWERS_READ = frozenset({PC_SHORTAGE, VC_ENDPOINT, *(kind for _, kind, _ in ORG_CERTIFICATES)})

REASON_LINES = {"cpu": "pcs_cpu", "ram": "pcs_ram", "storage": "pcs_storage", "os": "pcs_os", "unknown": "pcs_unknown"}


def fill(text: str, values: Mapping[str, Any]) -> str:
    try:
        return text.format_map(values)
    except (KeyError, ValueError):  # a checklist without that threshold: say it without the number
        import re

        return re.sub(r"\s*\{[a-z_]+\}\s*", " ", text).replace("  ", " ").strip()


class PcFinding(NamedTuple):
    """One PC of a commune's list, as the scoring rules found it.  A named tuple: made for each of the country's
    141,062 PCs twice per report (the needs, the inventory), 0.2 µs where a frozen dataclass took 2."""

    index: int  # type: ignore[assignment]  # 0-based position in the commune's list (the field hides tuple.index)
    meets: bool  # meets the minimum configuration
    reasons: tuple[str, ...]  # cpu, ram, storage, os, unknown (PC_REASONS)
    poor: bool  # broken or very slow
    old_windows: bool  # Windows 10 or older
    actions: tuple[str, ...]  # price ids: ("pc",) to replace; ("ram", "ssd", "win11_upgrade") to upgrade

    @property
    def replace(self) -> bool:
        return "pc" in self.actions


REASON_TEXT = {"cpu": "CPU dưới {min_cpu_cores} nhân", "ram": "RAM dưới {min_ram_gb} GB",
               "storage": "ổ cứng HDD hoặc SSD dưới {min_storage_gb} GB",
               "os": "hệ điều hành không phải Windows 10, 11", "unknown": "chưa kê khai đủ cấu hình"}
ACTION_TEXT = {"pc": "thay máy mới", "ram": "nâng cấp RAM", "ssd": "thay ổ SSD", "windows": "cài Windows 11 có bản quyền",
               "win11_upgrade": "nâng cấp lên Windows 11"}


def _lets(checklist: Checklist | None, item_id: str) -> set[str]:
    if checklist is None:
        return set()
    try:
        rule = checklist.item(item_id).score
    except KeyError:
        return set()
    return set(rule.let) if rule is not None else set()


def _rows(result: CommuneScore, rules: Iterable[tuple[str, str]]) -> set[int]:
    found: set[int] = set()
    for item_id, let in rules:
        found.update(result.rows_of(item_id, let))
    return found


def pc_findings(result: CommuneScore, checklist: Checklist | None = None) -> list[PcFinding]:
    """Every PC of the commune's list: meets the minimum or not, why, and what to do with it."""
    total = result.value_of(*PC_TOTAL)
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        return []
    ok = set(result.rows_of(*PC_OK))
    reasons = {reason: _rows(result, rules) for reason, rules in PC_REASONS.items()}
    poor = _rows(result, PC_POOR)
    old_windows: set[int] = set()
    for item_id, let in PC_OLD_WINDOWS:  # the first rule this checklist has (without the checklist: any)
        if checklist is None:
            old_windows.update(result.rows_of(item_id, let))
        elif let in _lets(checklist, item_id):
            old_windows = set(result.rows_of(item_id, let))
            break
    # Meets the minimum, nothing to replace or upgrade (most PCs): the same finding but for its index.
    plain = ok - reasons["cpu"] - poor - old_windows
    out = []
    if len(_PLAIN) < total:
        _PLAIN.extend(PcFinding(index, True, (), False, False, ()) for index in range(len(_PLAIN), total))
    for index in range(total):
        if index in plain:
            out.append(_PLAIN[index])
            continue
        meets = index in ok
        why = tuple(reason for reason in PC_REASONS if index in reasons[reason] and reason != "unknown")
        if not meets and (index in reasons["unknown"] or not why):
            why = (*why, "unknown")
        if meets:
            why = ()
        actions: tuple[str, ...]
        if index in reasons["cpu"] or index in poor:
            actions = ("pc",)
        else:
            parts = []
            if "ram" in why:
                parts.append("ram")
            if "storage" in why:
                parts.append("ssd")
            if "os" in why:
                parts.append("windows")
            elif index in old_windows:
                parts.append("win11_upgrade")
            actions = tuple(parts)
        out.append(PcFinding(index, meets, why, index in poor, index in old_windows, actions))
    return out


# The finding of a plain PC (meets the minimum, nothing to replace or upgrade: most of them) at each index, made once:
# a named tuple cannot change, so every commune's list shares it (the report keeps the country's findings a while).
_PLAIN: list[PcFinding] = []


def shared_pc_findings(shared: dict[str, Any], assessment_id: str, result: CommuneScore, checklist: Checklist,
                       *, take: bool = False) -> list[PcFinding]:
    """:func:`pc_findings` of a commune, found once for the readers of one report (the investment needs, then the
    PCs' inventory; 141,062 PCs of the country): the first leaves them in ``shared`` by assessment with the result
    and checklist they were found from; ``take`` (the last reader) takes them out.  Anything else found there (another
    result or checklist) is found again."""
    kept = shared.pop(assessment_id, None) if take else shared.get(assessment_id)
    if kept is not None and kept[0] is result and kept[1] is checklist:
        return kept[2]
    found = pc_findings(result, checklist)
    if not take:
        shared[assessment_id] = (result, checklist, found)
    return found


def describe_pc(finding: PcFinding, thresholds: Mapping[str, Any]) -> tuple[str, str, str]:
    """(meets: «Đạt»/«Chưa đạt», why, what to do) for a PC's row in a workbook."""
    values = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in thresholds.items()}
    why = "; ".join(fill(REASON_TEXT[r], values) for r in finding.reasons)
    if finding.poor:
        why = "; ".join(part for part in (why, "máy hỏng hoặc quá chậm") if part)
    action = ", ".join(ACTION_TEXT[a] for a in finding.actions)
    return ("Đạt" if finding.meets else "Chưa đạt"), why[:1].upper() + why[1:], action[:1].upper() + action[1:]


def organisation_certificate(result: CommuneScore, kind: Any, expiry_item: str) -> tuple[str, ...]:
    """What is wrong with an organisation certificate: ``none``, ``old_name``, ``expired``, ``expiring``
    (empty: valid beyond the warning days), from its answer and its expiry criterion's rule."""
    if kind is None:
        return ()
    if kind == "none":
        return ("none",)
    found: tuple[str, ...] = ("old_name",) if kind == "old_name" else ()
    days = result.value_of(expiry_item, ORG_DAYS_LEFT)
    if result.statuses.get(expiry_item) == "fail" and isinstance(days, (int, float)) and not isinstance(days, bool):
        found += ("expired",) if days <= 0 else ("expiring",)
    return found


def personal_certificates(result: CommuneScore) -> dict[int, str]:
    """Row (0-based) of the personal certificates list -> ``expired`` or ``expiring`` (the others are valid)."""
    found = {index: "expiring" for index in result.rows_of(*PERSONAL_EXPIRING)}
    found.update({index: "expired" for index in result.rows_of(*PERSONAL_EXPIRED)})
    return found


CERTIFICATE_TEXT = {"none": "Chưa có", "old_name": "Còn mang tên đơn vị cũ", "expired": "Đã hết hạn",
                    "expiring": "Hết hạn trong {cert_warn_days} ngày tới"}


def describe_certificate(problems: Iterable[str], thresholds: Mapping[str, Any]) -> tuple[str, str]:
    """(«Đạt»/«Chưa đạt», why) for a certificate's row in a workbook."""
    values = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in thresholds.items()}
    texts = [fill(CERTIFICATE_TEXT[p], values) for p in problems]
    if not texts:
        return "Đạt", ""
    return "Chưa đạt", "; ".join([texts[0], *(text[:1].lower() + text[1:] for text in texts[1:])])
