"""Realistic, varied, valid demo answers for trying the product, for screenshots and for benchmarks.

Each commune gets a *profile* (a well-equipped ward, an average commune, a remote commune that
is behind) and answers drawn to fit it, so that they read true to an official:

- the counts agree with each other: the PC list has one machine per officer who has one, so
  «chưa có máy tính riêng» is the officers less the machines; the counters with a PC are the
  «Quầy số …» rows; accounts, trained officers, covered villages never exceed their whole;
- PCs and video-conference endpoints are named by room or counter («Quầy số 2», «Phòng Kinh tế –
  máy 3», «Nhà văn hóa thôn 4»), never by a person; only people's fields hold people's names;
- petitions come from the commune's own gaps and are filed under the topic their text is about;
- devices come in plausible numbers (a few cameras, not forty).

:func:`demo_month` gives a commune's answers for a reporting period: the commune's state in its
first month (07/2025, when the new communes began) is drawn once from the seed and the commune's
code, and each later month is the month before with a few plausible changes (machines bought or
upgraded, certificates renewed when they expire, accounts added, this month's measurements), so a
commune's score moves by a few points from one month to the next, not from 62 to 28.

Every answer is checked with the same rules as typed answers; an answer a rule refuses is drawn again.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from .answers import Answers, AnswerError, coerce
from .checklist.model import Checklist, Column, Item, ItemType
from .register import Commune
from .scoring import score
from .text import slugify

PROFILES = ("ready", "average", "behind")
FIRST_PERIOD = "2025-07"  # the two-level local government (and so the new communes) began on 01/07/2025
REPORT_DAY = 20  # a month's answers are as of the 20th (the monthly report is due before the month ends)

_CPUS = {
    "ready": ["Intel Core i5-12400", "Intel Core i5-13400", "Intel Core i7-12700", "AMD Ryzen 5 5600G"],
    "average": ["Intel Core i5-8400", "Intel Core i3-10100", "Intel Core i5-7500", "AMD Ryzen 3 3200G"],
    "behind": ["Intel Core i3-4160", "Intel Pentium G4560", "Intel Core 2 Duo E7500", "Intel Core i3-6100"],
}
_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Đinh", "Phan", "Trương"]
_MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc", "Thu"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn",
          "Tâm", "Thảo", "Trâm", "Tuấn", "Vy", "Khánh"]
KHCN, NOI_VU, TAI_CHINH, TU_PHAP = "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp"
NN_MT = "Sở Nông nghiệp và Môi trường"

# What each petition topic is about: a petition's difficulty and proposal name at least one of its own topic's
# words (the property tests hold the demo to this).
TOPIC_WORDS = {
    "infrastructure": ("đường truyền", "internet", "băng thông", "sóng di động", "mạng"),
    "equipment": ("máy tính", "máy in", "máy quét", "thiết bị"),
    "software": ("phần mềm", "hệ thống"),
    "signatures": ("chứng thư số", "chữ ký số", "ký số"),
    "training": ("tập huấn", "bồi dưỡng", "đào tạo"),
    "staffing": ("cán bộ", "công chức", "nhân lực"),
    "funding": ("kinh phí", "ngân sách", "dự toán"),
}


@dataclass(frozen=True)
class DemoAssessment:
    commune: Commune
    profile: str
    answers: dict[str, Any]  # raw JSON-friendly answers (what `readiness fill` takes)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _phone(rng: random.Random) -> str:
    return "0" + rng.choice(["905", "914", "935", "983", "772", "868"]) + "".join(str(rng.randrange(10)) for _ in range(6))


def _unit(commune: Commune) -> str:
    """«xã», «phường» or «đặc khu», as the commune's own texts name it."""
    return (commune.kind or "Xã").lower()


# -- the PC list: one machine per officer who has one, named by room or counter ------------------------


def _pc(rng: random.Random, profile: str, role: str, today: dt.date, *, modern: bool | None = None) -> dict[str, Any]:
    good = {"ready": 0.97, "average": 0.55, "behind": 0.2}[profile]
    modern = rng.random() < good if modern is None else modern
    year = rng.randint(today.year - 4, today.year) if modern else rng.randint(today.year - 12, today.year - 5)
    if modern:
        os_choice = "win11" if profile == "ready" or rng.random() < 0.8 else "win10"
    else:  # an old machine has the parts of its year: 2 GB and Windows 7 only on the oldest
        os_choice = rng.choice(["win10", "win10", "win7"] if year <= today.year - 9 else ["win10", "win10", "win11"])
    ssd = modern or rng.random() < 0.3
    return {
        "role": role,
        "cpu": rng.choice(_CPUS["ready" if modern else profile if profile != "ready" else "average"]),
        "cores": rng.choice([6, 8, 12]) if modern else rng.choice([2, 2, 4] if year <= today.year - 9 else [2, 4, 4]),
        "ram_gb": rng.choice([8, 16, 16, 32]) if modern else rng.choice([2, 4, 4] if year <= today.year - 9 else [4, 4, 8]),
        "storage_type": "ssd" if ssd else "hdd",
        "storage_gb": rng.choice([256, 512, 512, 1000]) if modern else rng.choice([120, 240] if ssd else [250, 500, 500, 1000]),
        "os": os_choice,
        "os_version": {"win11": "Windows 11 Pro 23H2", "win10": "Windows 10 Pro 22H2",
                       "win7": "Windows 7 Professional SP1"}[os_choice],
        "year": year,
        "antivirus": rng.random() < good + 0.1,
        "condition": "good" if modern else rng.choice(["fair", "fair", "poor"]),
    }


def _village(commune: Commune) -> str:
    return "tổ dân phố" if commune.kind == "Phường" else "thôn"


def _offices(commune: Commune) -> tuple[str, ...]:
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if commune.kind == "Phường" else "Phòng Kinh tế"
    return ("Văn phòng HĐND và UBND", economy, "Phòng Văn hóa - Xã hội", "Trung tâm PVHCC")


def _pc_places(commune: Commune, counts: dict[str, int], counter_pcs: int, number: int) -> list[str]:
    """Where each of ``number`` machines stands: the leaders' rooms, the counters that have one, the clerk's
    desk, then the offices' machines numbered within each office."""
    places = ["Phòng Chủ tịch"]
    places += [f"Phòng Phó Chủ tịch {i}" for i in range(1, counts["leaders_count"])]
    places += [f"Quầy số {i}" for i in range(1, counter_pcs + 1)]
    places += ["Bộ phận văn thư" + (f" – máy {i}" if counts["clerks_count"] > 1 else "")
               for i in range(1, counts["clerks_count"] + 1)]
    offices = _offices(commune)
    seen: dict[str, int] = {}
    index = 0
    while len(places) < number:
        office = offices[index % len(offices)]
        index += 1
        seen[office] = seen.get(office, 0) + 1
        places.append(f"{office} – máy {seen[office]}")
    return places[:number]


def _pc_rows(rng: random.Random, profile: str, commune: Commune, counts: dict[str, int], today: dt.date,
             columns: set[str]) -> tuple[list[dict[str, Any]], int, int]:
    """The PC list, the number of counters with a PC and the number of officers without one."""
    officers, counters = counts["officers"], counts["counters"]
    shortage = {"ready": 0, "average": rng.randint(0, 3), "behind": rng.randint(3, 10)}[profile]
    shortage = min(shortage, officers - 3)
    number = officers - shortage
    missing = {"ready": 0, "average": rng.choice([0, 0, 1]), "behind": rng.randint(0, 2)}[profile]
    counter_pcs = max(1, min(counters - missing, number - counts["leaders_count"] - counts["clerks_count"]))
    rows = []
    for place in _pc_places(commune, counts, counter_pcs, number):
        front = place.startswith(("Phòng Chủ tịch", "Quầy"))  # the chairman's and the counters' machines are renewed first
        pc = _pc(rng, profile, place, today, modern=True if front and rng.random() < 0.5 else None)
        rows.append({k: v for k, v in pc.items() if k in columns})
    return rows, counter_pcs, officers - len(rows)


def _endpoints(rng: random.Random, commune: Commune, villages: int, today: dt.date,
               columns: set[str]) -> list[dict[str, Any]]:
    """The commune's other video-conference endpoints: rooms and village halls, not people."""
    unit = _unit(commune)
    village = _village(commune)
    places = [f"Hội trường Đảng ủy {unit}", f"Trạm Y tế {unit}"]
    places += [f"Nhà văn hóa {village} {n}" for n in rng.sample(range(1, villages + 1), k=min(2, villages))]
    rows = []
    for place in rng.sample(places, k=rng.randint(0, 2)):
        row = {"name": place, "type": rng.choice(["hardware", "software", "software"]),
               "link": rng.choice(["tslcd", "internet"]),
               "last_test": (today - dt.timedelta(days=rng.randint(5, 80))).isoformat(),
               "result": rng.choices(["good", "issues", "failed"], weights=(7, 2, 1))[0]}
        rows.append({k: v for k, v in row.items() if k in columns})
    return rows


def _certificates(rng: random.Random, profile: str, counts: dict[str, int], today: dt.date,
                  columns: set[str]) -> list[dict[str, Any]]:
    rows = []
    coverage = {"ready": 1.0, "average": 0.8, "behind": 0.5}[profile]
    for role, count in (("leader", counts["leaders_count"]), ("clerk", counts["clerks_count"]),
                        ("reception", counts["reception_count"])):
        for _ in range(count):
            if rng.random() <= coverage:
                row = {"holder": _name(rng), "role": role, "kind": rng.choice(["token", "token", "sim_pki", "remote"]),
                       "expiry": (today + dt.timedelta(days=rng.randint(-20, 1000))).isoformat()}
                rows.append({k: v for k, v in row.items() if k in columns})
    return rows


# -- single answers ----------------------------------------------------------------------------------


def _scalar(spec: Item | Column, rng: random.Random, profile: str, context: dict[str, Any], today: dt.date) -> Any:
    """A plausible value for any item from its type, unit, bounds and choices."""
    good = {"ready": 0.9, "average": 0.75, "behind": 0.3}[profile]
    kind = spec.type
    key = spec.id
    if kind is ItemType.YES_NO:
        return rng.random() < good
    if kind is ItemType.SINGLE_CHOICE:
        choices = [c.id for c in spec.choices or ()]
        # Choices are written best first in the checklist; good communes lean to the front.
        index = min(int(abs(rng.gauss(0, (1 - good) * len(choices)))), len(choices) - 1)
        return choices[index]
    if kind is ItemType.MULTI_CHOICE:
        choices = [c.id for c in spec.choices or ()]
        picked = [c for c in choices if rng.random() < 0.35]
        return picked or [choices[0]]
    if kind is ItemType.DATE:
        if "expiry" in key:
            return (today + dt.timedelta(days=rng.randint(-30, 900))).isoformat()
        return (today - dt.timedelta(days=rng.randint(3, 200))).isoformat()
    if kind is ItemType.TEXT:
        lowered = key.lower()
        if "phone" in lowered:
            return _phone(rng)
        if "email" in lowered:
            return f"ubnd.{context['slug']}@{context.get('domain') or 'tinh'}.gov.vn"
        if key in ("respondent_name", "dx_officer_name", "holder"):
            return _name(rng)
        if "url" in lowered:
            return f"https://{context['slug'].replace('-', '')}.{context.get('domain') or 'tinh'}.gov.vn"
        if "position" in lowered:
            return rng.choice(["Công chức Văn phòng HĐND và UBND", f"Phó Chủ tịch UBND {context['unit']}",
                               "Công chức phụ trách chuyển đổi số"])
        return ""
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        unit = (spec.unit or "").lower()
        officers = context.get("officers", 40)
        value: float
        if unit == "mbps":
            value = rng.choice([50, 80, 100, 150, 200, 300]) if rng.random() < good + 0.1 else rng.choice([20, 30, 40])
        elif unit == "%":
            value = round(rng.uniform(80, 100) if rng.random() < good + 0.1 else rng.uniform(50, 90), 1)
        elif unit == "ms":
            value = rng.randint(8, 60)
        elif "phút" in unit:
            value = rng.choice([0, 15, 30, 60]) if rng.random() > good else rng.choice([30, 60, 120])
        else:
            low = spec.min if spec.min is not None else 0
            high = spec.max if spec.max is not None else max(officers, 10)
            value = rng.randint(int(low), int(min(high, max(low + 1, officers))))
        if spec.min is not None:
            value = max(value, spec.min)
        if spec.max is not None:
            value = min(value, spec.max)
        return int(value) if kind is ItemType.INTEGER else float(value)
    return None


def _related(key: str, rng: random.Random, profile: str, counts: dict[str, int], today: dt.date) -> Any:
    """Answers of the one-stop-shop checklist that depend on others (accounts per officer, ...) or whose
    plausible range is narrow (devices).  Unknown ids return None and get a generic value: the generator
    still works for other checklists."""
    coverage = {"ready": rng.uniform(0.97, 1.0), "average": rng.uniform(0.85, 1.0), "behind": rng.uniform(0.4, 0.85)}[profile]
    officers, counters = counts["officers"], counts["counters"]
    share = lambda total: max(0, min(total, round(total * coverage)))  # noqa: E731
    step = {"ready": 0, "average": 1, "behind": 2}[profile]
    table: dict[str, Any] = {
        "email_accounts": share(officers), "docmgmt_accounts": share(officers),
        "procedure_accounts": share(counts["procedure_staff"]), "sign_trained": share(officers),
        "counter_printers": share(counters), "counter_scanners": share(counters),
        "villages_covered": share(counts["villages"]), "dx_groups": share(counts["villages"]),
        "outages_3m": {"ready": rng.randint(0, 1), "average": rng.randint(0, 4), "behind": rng.randint(2, 9)}[profile],
        "win10_plan": profile != "behind" and rng.random() < 0.9,
        "online_docs_pct": round(rng.uniform(98.2, 100) if profile == "ready" else rng.uniform(85, 99.5), 1),
        "signed_docs_pct": round(rng.uniform(95.5, 100) if profile == "ready" else rng.uniform(70, 98), 1),
        "tslcd_mbps": 200.0 if profile == "ready" or rng.random() < 0.6 else 100.0,
        "vc_last_test": (today - dt.timedelta(days=rng.randint(2, 60 if profile == "ready" else 150))).isoformat(),
        "contract_down_mbps": float(rng.choice([150, 200, 300]) if profile == "ready" else rng.choice([50, 80, 100, 150])),
        "measured_down_mbps": float(rng.randint(95, 180) if profile == "ready" else rng.randint(25, 120)),
        # devices: a one-stop shop has a handful of each, not one per officer
        "citizen_pcs": rng.randint(1, 3) if profile == "ready" else rng.randint(0, 2),
        "cameras": rng.randint(2, 6) - step,
        "id_readers": max(0, counters - rng.randint(0, 2 * step)),
        "vc_microphones": rng.randint(4, 12) - 2 * step,
        "vc_room_capacity": rng.choice([30, 40, 50, 60, 80, 100, 120]),
        "ups_minutes": rng.choice([15, 30, 30, 60]) if profile != "behind" else rng.choice([0, 10, 15, 30]),
    }
    if key in ("dead_zone_villages", "dead_zone_places"):
        # A generator of their own: drawing from ``rng`` would change every later answer of older checklists.
        local = random.Random(f"dead-zones/{profile}/{officers}/{counters}/{counts['villages']}")
        zones = min(counts["villages"], {"ready": local.choice([0, 0, 0, 1]), "average": local.randint(0, 2),
                                         "behind": local.randint(1, 5)}[profile])
        return zones if key == "dead_zone_villages" else _dead_zone_places(local, zones, counts["villages"])
    if key in _SECTOR_SYSTEMS:  # every commune handles these procedures; the link is what varies
        weights = {"ready": (90, 8, 1, 1), "average": (60, 25, 10, 5), "behind": (35, 30, 20, 15)}[profile]
        return rng.choices(("working", "sync_errors", "manual", "no_access"), weights=weights)[0]
    return table.get(key)


_SECTOR_SYSTEMS = ("civil_registry_system", "land_system", "business_registry_system", "e_certification_system")
_SECTOR_NAMES = {  # what the commune calls it, and the department that runs it
    "civil_registry_system": ("Phần mềm đăng ký, quản lý hộ tịch", TU_PHAP),
    "land_system": ("Hệ thống thông tin đất đai", NN_MT),
    "business_registry_system": ("Hệ thống thông tin quốc gia về đăng ký hộ kinh doanh", TAI_CHINH),
    "e_certification_system": ("Hệ thống chứng thực bản sao điện tử", TU_PHAP),
}
_NETWORKS = ("Viettel", "VNPT", "MobiFone")


def _dead_zone_places(rng: random.Random, count: int, villages: int) -> str | None:
    """«Thôn 3: không có sóng Viettel; Thôn 7: sóng 4G VNPT yếu» for ``count`` of the ``villages`` (None for none)."""
    if count <= 0:
        return None
    places = []
    for number in sorted(rng.sample(range(1, villages + 1), k=min(count, villages))):
        network = rng.choice(_NETWORKS)
        state = rng.choice([f"không có sóng {network}", f"sóng 4G {network} yếu"])
        places.append(f"Thôn {number}: {state}")
    return "; ".join(places)


def _counts(rng: random.Random, profile: str) -> dict[str, int]:
    officers = rng.randint(28, 60)
    counters = rng.randint(3, 8)
    return {
        "officers": officers, "counters": counters, "one_stop_staff": counters + rng.randint(0, 4),
        "leaders_count": rng.randint(2, 4), "clerks_count": rng.randint(1, 2), "reception_count": counters,
        "procedure_staff": counters + rng.randint(2, 8), "villages": rng.randint(6, 30),
    }


# -- petitions: from the commune's own gaps, under the topic they are about -----------------------------


def _pcs_below(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The machines below the minimum configuration of the checklist (CPU 4 cores, RAM 8 GB, SSD 240 GB, Windows
    10/11), or broken."""
    return [pc for pc in raw.get("pcs") or () if pc.get("condition") == "poor" or pc.get("ram_gb", 8) < 8
            or pc.get("storage_type") == "hdd" or pc.get("storage_gb", 240) < 240 or pc.get("cores", 4) < 4
            or pc.get("os") not in ("win10", "win11", None)]


def _expiring(raw: dict[str, Any], today: dt.date, days: int = 90) -> int:
    return sum(1 for row in raw.get("certificates") or ()
               if row.get("expiry") and dt.date.fromisoformat(row["expiry"]) < today + dt.timedelta(days=days))


def petition_candidates(raw: dict[str, Any], today: dt.date, village: str = "thôn, tổ dân phố"
                        ) -> list[tuple[str, str, str, str]]:
    """(topic, difficulty, proposal, addressed to) for each gap the answers show, worst first; every count named
    is a count of the answers and never zero."""
    found: list[tuple[str, str, str, str]] = []
    shortage = raw.get("pc_shortage") or 0
    below = len(_pcs_below(raw))
    if shortage > 0:
        found.append(("equipment", f"Còn {shortage} cán bộ, công chức chưa có máy tính riêng để làm việc, phải dùng "
                      "chung máy.", f"Đề nghị tỉnh hỗ trợ trang bị bổ sung {shortage} máy tính cho cán bộ, công chức.",
                      KHCN))
    if below > 0:
        found.append(("equipment", f"Có {below} máy tính chưa đạt cấu hình tối thiểu hoặc đã hỏng, ảnh hưởng tiến độ xử "
                      "lý hồ sơ trên môi trường mạng.", f"Đề nghị hỗ trợ nâng cấp, thay thế {below} máy tính chưa đạt cấu hình "
                      "tối thiểu.", KHCN))
    counters = raw.get("counters") or 0
    scanners = raw.get("counter_scanners")
    no_scanner = counters - (scanners if scanners is not None else counters)
    if no_scanner > 0:
        found.append(("equipment", f"Còn {no_scanner} quầy tiếp nhận chưa có máy quét, chưa số hóa hồ sơ ngay tại quầy.",
                      f"Đề nghị bổ sung {no_scanner} máy quét cho Trung tâm Phục vụ hành chính công.", KHCN))
    measured = raw.get("measured_down_mbps")
    outages = raw.get("outages_3m") or 0
    if measured is not None and measured < 80:
        more = f", mất kết nối {outages} lần trong 3 tháng gần nhất" if outages > 2 else ""
        found.append(("infrastructure", f"Đường truyền Internet tại trụ sở chậm (đo được {_number(measured)} Mbps vào giờ "
                      f"làm việc){more}.", "Đề nghị phối hợp doanh nghiệp viễn thông nâng băng thông đường truyền "
                      "lên tối thiểu 100 Mbps.", KHCN))
    elif outages > 2:
        found.append(("infrastructure", f"Đường truyền Internet mất kết nối {outages} lần trong 3 tháng gần nhất, "
                      "gián đoạn tiếp nhận hồ sơ.", "Đề nghị hỗ trợ lắp đặt đường truyền dự phòng.", KHCN))
    zones = raw.get("dead_zone_villages") or 0
    if zones > 0:
        found.append(("infrastructure", f"Còn {zones} {village} chưa có sóng di động ổn định, người dân khó "
                      "nộp hồ sơ trực tuyến.", "Đề nghị các doanh nghiệp viễn thông lắp đặt trạm phát sóng, xóa "
                      "vùng lõm sóng di động.", KHCN))
    for key, (name, department) in _SECTOR_NAMES.items():
        if raw.get(key) == "sync_errors":
            found.append(("software", f"{name} thường xuyên lỗi đồng bộ với Hệ thống thông tin giải quyết thủ tục "
                          "hành chính tỉnh, phải nhập lại hồ sơ.", f"Đề nghị rà soát, khắc phục lỗi đồng bộ của {name[0].lower()}"
                          f"{name[1:]}.", department))
    expiring = _expiring(raw, today)
    if expiring > 0:
        found.append(("signatures", f"Có {expiring} chứng thư số cá nhân đã hết hạn hoặc sắp hết hạn.",
                      "Đề nghị hướng dẫn thủ tục gia hạn chứng thư số sau khi sắp xếp đơn vị hành chính.", KHCN))
    officers, trained = raw.get("officers") or 0, raw.get("sign_trained")
    untrained = officers - (trained if trained is not None else officers)
    if untrained > 0:
        found.append(("training", f"Còn {untrained} cán bộ, công chức chưa được tập huấn sử dụng chữ ký số và các hệ "
                      "thống dùng chung.", "Đề nghị tổ chức tập huấn kỹ năng số cho công chức của xã.", KHCN))
    if raw.get("dx_officer") in ("part_time", "none"):
        found.append(("staffing", "Chưa có công chức chuyên trách công nghệ thông tin, cán bộ phụ trách chuyển đổi số "
                      "kiêm nhiệm.", "Đề nghị có chính sách thu hút, hỗ trợ cán bộ phụ trách chuyển đổi số.", NOI_VU))
    if raw.get("pc_budget") is False and (shortage > 0 or below > 0):
        found.append(("funding", "Chưa được bố trí kinh phí nâng cấp, thay thế máy tính chưa đạt cấu hình tối thiểu.",
                      "Đề nghị tỉnh bố trí kinh phí trong dự toán năm sau để đầu tư thiết bị.", TAI_CHINH))
    if not found:  # nothing missing: what a commune that is ready still asks for
        found.append(("training", "Công chức cần cập nhật kỹ năng số và ứng dụng trí tuệ nhân tạo trong công việc.",
                      "Đề nghị tiếp tục tổ chức các lớp bồi dưỡng kỹ năng số cho công chức cấp xã.", KHCN))
    return found


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _petitions(raw: dict[str, Any], commune: Commune, profile: str, today: dt.date,
               columns: set[str]) -> list[dict[str, Any]]:
    candidates = petition_candidates(raw, today, _village(commune))
    wanted = {"ready": 1, "average": 2, "behind": 3}[profile]
    # one petition per topic, the worst gap first; a few more when the commune has many gaps
    chosen, topics = [], set()
    for entry in candidates:
        if entry[0] not in topics:
            chosen.append(entry)
            topics.add(entry[0])
        if len(chosen) == wanted:
            break
    rows = [dict(zip(("topic", "difficulty", "proposal", "addressed_to"), entry)) for entry in chosen]
    return [{k: v for k, v in row.items() if k in columns} for row in rows]


# -- one commune, one date ----------------------------------------------------------------------------


def _draw(checklist: Checklist, commune: Commune, rng: random.Random, profile: str, today: dt.date
          ) -> tuple[dict[str, Any], dict[str, Any]]:
    # The province's own domain («quangngai.gov.vn», «hanoi.gov.vn»): a demo commune names no other province.
    province = commune.province_name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    context: dict[str, Any] = {"slug": slugify(commune.bare_name), "unit": _unit(commune),
                               "domain": slugify(province).replace("-", "")}
    counts = _counts(rng, profile)
    context.update(counts)
    raw: dict[str, Any] = {}
    petitions: Item | None = None
    for item in checklist.items():
        if item.id in counts:
            raw[item.id] = counts[item.id]
            continue
        if item.type is ItemType.TABLE:
            columns = {c.id for c in item.columns or ()}
            if {"ram_gb", "cores", "os"} <= columns:
                raw[item.id], context["counter_pcs"], context["pc_shortage"] = _pc_rows(
                    rng, profile, commune, counts, today, columns)
            elif {"difficulty", "proposal"} <= columns:
                petitions = item  # drawn last, from the other answers
            elif "expiry" in columns and "holder" in columns:
                raw[item.id] = _certificates(rng, profile, counts, today, columns)
            elif "name" in columns and "last_test" in columns:
                raw[item.id] = _endpoints(rng, commune, counts["villages"], today, columns)
            else:
                raw[item.id] = [{c.id: v for c in item.columns or ()
                                 if (v := _scalar(c, rng, profile, context, today)) not in (None, "")}
                                for _ in range(rng.randint(0, 2))]
            continue
        if item.id in ("counter_pcs", "pc_shortage") and item.id in context:
            raw[item.id] = context[item.id]
            continue
        value = _related(item.id, rng, profile, counts, today)
        if value is None:
            value = _scalar(item, rng, profile, context, today)
        if value not in (None, ""):
            raw[item.id] = value
    _consistent(checklist, raw)
    if petitions is not None:
        raw[petitions.id] = _petitions(raw, commune, profile, today, {c.id for c in petitions.columns or ()})
    return raw, context


def _has(checklist: Checklist, item_id: str) -> bool:
    try:
        checklist.item(item_id)
    except KeyError:
        return False
    return True


def _consistent(checklist: Checklist, raw: dict[str, Any]) -> None:
    """Counts that must agree with the PC list and the other counts, after any change."""
    if "pcs" in raw and "officers" in raw:
        raw["pcs"] = raw["pcs"][:raw["officers"]]
        if "pc_shortage" in raw:
            raw["pc_shortage"] = raw["officers"] - len(raw["pcs"])
        if "counter_pcs" in raw:
            raw["counter_pcs"] = min(raw.get("counters", 50),
                                     sum(1 for pc in raw["pcs"] if str(pc.get("role", "")).startswith("Quầy số")))
    # speeds: upload no more than the contract's, measured no more than a little over the contract
    if isinstance(raw.get("contract_down_mbps"), (int, float)):
        down = raw["contract_down_mbps"]
        if isinstance(raw.get("contract_up_mbps"), (int, float)) and raw["contract_up_mbps"] > down:
            raw["contract_up_mbps"] = float(down)
        if isinstance(raw.get("measured_down_mbps"), (int, float)):
            raw["measured_down_mbps"] = float(min(raw["measured_down_mbps"], round(down * 1.05)))
        if isinstance(raw.get("measured_up_mbps"), (int, float)):
            up = raw.get("contract_up_mbps") or down
            raw["measured_up_mbps"] = float(min(raw["measured_up_mbps"], round(up * 1.05)))
    # «every machine, managed centrally» only when every machine in the list has its antivirus
    if raw.get("av_managed") in ("central", "standalone") and any(pc.get("antivirus") is False
                                                                   for pc in raw.get("pcs") or ()):
        raw["av_managed"] = "partial"
    if _has(checklist, "system_problems"):
        broken = [name for key, (name, _department) in _SECTOR_NAMES.items() if raw.get(key) == "sync_errors"]
        raw["system_problems"] = (f"{'; '.join(broken)}: lỗi đồng bộ với Hệ thống thông tin giải quyết thủ tục hành "
                                  "chính tỉnh." if broken else "Không có.")
    poor = [pc["role"] for pc in raw.get("pcs") or () if pc.get("condition") == "poor" and pc.get("role")]
    if _has(checklist, "equipment_faulty") and ("equipment_faulty" in raw or poor):
        raw["equipment_faulty"] = (f"Máy tính hỏng hoặc rất chậm, cần thay: {', '.join(poor)}." if poor
                                   else "Không có thiết bị hỏng.")
    for part, whole in (("email_accounts", "officers"), ("docmgmt_accounts", "officers"), ("sign_trained", "officers"),
                        ("procedure_accounts", "procedure_staff"), ("villages_covered", "villages"),
                        ("dx_groups", "villages"), ("counter_printers", "counters"), ("counter_scanners", "counters"),
                        ("id_readers", "counters")):
        if isinstance(raw.get(part), int) and isinstance(raw.get(whole), int):
            raw[part] = max(0, min(raw[part], raw[whole]))


def demo_answers(checklist: Checklist, commune: Commune, *, seed: int, today: dt.date | None = None,
                 profile: str | None = None) -> DemoAssessment:
    """A complete, valid set of answers for one commune as of ``today`` (deterministic for a seed)."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    profile = profile or rng.choices(PROFILES, weights=(3, 5, 2))[0]
    raw, context = _draw(checklist, commune, rng, profile, today)
    _settle(checklist, raw, rng, profile, context, today)
    return DemoAssessment(commune=commune, profile=profile, answers=raw)


# -- one commune, month after month ---------------------------------------------------------------------


def period_day(period: str) -> dt.date:
    """The day a period's demo answers are given on: the 20th of its month."""
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, REPORT_DAY)


def _months(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    end = tuple(int(part) for part in last.split("-"))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def demo_month(checklist: Checklist, commune: Commune, period: str, *, seed: int = 2025, profile: str | None = None,
               today: dt.date | None = None) -> DemoAssessment:
    """The commune's answers for ``period`` (YYYY-MM): its first month drawn from ``seed`` and its code, every
    later month the month before with a few plausible changes.  ``today`` (default the 20th of the period's
    month) dates the period's own measurements.  Deterministic for (seed, commune, period)."""
    return demo_months(checklist, commune, period, period, seed=seed, profile=profile, today=today)[-1]


def demo_months(checklist: Checklist, commune: Commune, first: str, last: str, *, seed: int = 2025,
                profile: str | None = None, today: dt.date | None = None) -> list[DemoAssessment]:
    """:func:`demo_month` for each period from ``first`` to ``last`` (one pass; ``today`` dates the last)."""
    months = _months(FIRST_PERIOD, last) or [last]
    base = random.Random(f"demo/{seed}/{commune.code}")
    profile = profile or base.choices(PROFILES, weights=(3, 5, 2))[0]
    first_day = period_day(months[0])
    raw, context = _draw(checklist, commune, base, profile, min(first_day, today) if today else first_day)
    result = []
    for number, month in enumerate(months):
        day = today if today and month == months[-1] else period_day(month)
        if number:
            _next_month(checklist, commune, raw, random.Random(f"demo/{seed}/{commune.code}/{month}"), profile,
                        context, day)
        if month >= first or month == months[-1]:
            answers = copy.deepcopy(raw)
            _settle(checklist, answers, random.Random(f"demo/{seed}/{commune.code}/settle"), profile, context, day)
            result.append(DemoAssessment(commune=commune, profile=profile, answers=answers))
    return result


_BETTER = {"ready": 0.25, "average": 0.4, "behind": 0.5}  # chance a month brings an improvement of equipment


def _next_month(checklist: Checklist, commune: Commune, raw: dict[str, Any], rng: random.Random, profile: str,
                context: dict[str, Any], today: dt.date) -> None:
    """One month later: a few changes an official would believe, the month's measurements taken again."""
    pcs: list[dict[str, Any]] = raw.get("pcs") or []
    columns = set(pcs[0]) if pcs else set()
    if pcs and rng.random() < _BETTER[profile]:
        below = _pcs_below(raw)
        if raw.get("pc_shortage", 0) > 0 and rng.random() < 0.5:  # machines bought for officers who had none
            bought = min(raw["pc_shortage"], rng.randint(1, 3))
            counters = min(raw.get("counters", 0), raw.get("counter_pcs", 0) + bought)  # the counters first
            places = _pc_places(commune, {**context, "leaders_count": raw.get("leaders_count", 2),
                                          "clerks_count": raw.get("clerks_count", 1)}, counters, len(pcs) + bought)
            taken = {pc.get("role") for pc in pcs}
            for place in [p for p in places if p not in taken][:bought]:
                pcs.append({k: v for k, v in _pc(rng, profile, place, today, modern=True).items() if k in columns})
        elif below:  # the worst machine replaced, or upgraded
            old = rng.choice(below)
            if old.get("condition") == "poor" or rng.random() < 0.5:
                old.update({k: v for k, v in _pc(rng, profile, old.get("role", ""), today, modern=True).items()
                            if k in columns and k != "role"})
            else:
                if "ram_gb" in old and old["ram_gb"] < 8:
                    old["ram_gb"] = 8
                if old.get("storage_type") == "hdd":
                    old.update(storage_type="ssd", storage_gb=256)
    if pcs and rng.random() < 0.04:  # a machine breaks down now and then
        broken = rng.choice(pcs)
        if "condition" in broken:
            broken["condition"] = "poor"
    growing = [(key, whole) for key, whole in (
        ("email_accounts", "officers"), ("docmgmt_accounts", "officers"), ("sign_trained", "officers"),
        ("procedure_accounts", "procedure_staff"), ("villages_covered", "villages"), ("counter_scanners", "counters"),
        ("counter_printers", "counters"))
        if isinstance(raw.get(key), int) and isinstance(raw.get(whole), int) and raw[key] < raw[whole]]
    if growing and rng.random() < _BETTER[profile]:  # one thing a month: accounts opened, a printer bought…
        key, whole = rng.choice(growing)
        raw[key] = min(raw[whole], raw[key] + rng.randint(1, 2 if whole == "counters" else 4))
    _one_answer_better(checklist, raw, rng, profile)
    _renew_certificates(raw, rng, today)
    _measure_again(raw, rng, profile, today)
    _consistent(checklist, raw)
    item = checklist.petition_item
    if item and item in raw:
        raw[item] = _petitions(raw, commune, profile, today, {c.id for c in checklist.item(item).columns or ()})


# What a month can also make worse: a test call that failed, backups let slip, a page left without updates.
_CAN_WORSEN = {"vc_test_result", "backups", "portal_page", "sign_software", "av_managed"}


def _one_answer_better(checklist: Checklist, raw: dict[str, Any], rng: random.Random, profile: str) -> None:
    """Now and then one choice moves one step up (a backup line installed, the portal updated), or a «Không»
    becomes «Có»; rarely one step down (only where a month can undo it)."""
    if rng.random() > _BETTER[profile]:
        return
    keys = [item.id for item in checklist.items()
            if item.type in (ItemType.SINGLE_CHOICE, ItemType.YES_NO) and item.id in raw]
    if not keys:
        return
    key = rng.choice(keys)
    item = checklist.item(key)
    worse = key in _CAN_WORSEN and rng.random() < 0.3
    if item.type is ItemType.YES_NO:
        if raw[key] is worse:
            raw[key] = not worse
        return
    choices = [c.id for c in item.choices or ()]
    if raw[key] in choices:
        index = choices.index(raw[key]) + (1 if worse else -1)
        if 0 <= index < len(choices) and choices[index] not in ("not_handled", "none"):
            raw[key] = choices[index]


def _renew_certificates(raw: dict[str, Any], rng: random.Random, today: dt.date) -> None:
    """A certificate that has expired is renewed within a month or two, for two or three years."""
    renewed = lambda: (today + dt.timedelta(days=rng.choice([730, 1095]) - rng.randint(0, 20))).isoformat()  # noqa: E731
    for row in raw.get("certificates") or ():
        if row.get("expiry") and dt.date.fromisoformat(row["expiry"]) < today and rng.random() < 0.6:
            row["expiry"] = renewed()
    for key in ("org_cert_ubnd_expiry", "org_cert_center_expiry"):
        if isinstance(raw.get(key), str) and dt.date.fromisoformat(raw[key]) < today and rng.random() < 0.6:
            raw[key] = renewed()


def _measure_again(raw: dict[str, Any], rng: random.Random, profile: str, today: dt.date) -> None:
    """The answers the checklist asks to renew every period: this month's speed, outages, last test, rates."""
    if isinstance(raw.get("measured_down_mbps"), (int, float)):
        contract = raw.get("contract_down_mbps") or 100.0
        low = {"ready": 0.7, "average": 0.5, "behind": 0.3}[profile]
        drift = rng.uniform(-0.12, 0.12) * contract
        raw["measured_down_mbps"] = float(round(max(low * contract, min(contract * 1.05, raw["measured_down_mbps"] + drift))))
    if isinstance(raw.get("measured_up_mbps"), (int, float)):
        raw["measured_up_mbps"] = float(max(1, round(raw["measured_up_mbps"] * rng.uniform(0.9, 1.1))))
    if isinstance(raw.get("latency_ms"), (int, float)):
        raw["latency_ms"] = float(max(3, round(raw["latency_ms"] + rng.randint(-5, 5))))
    if isinstance(raw.get("outages_3m"), int):
        raw["outages_3m"] = max(0, raw["outages_3m"] + rng.choice([-1, 0, 0, 1]))
    for key, top in (("online_docs_pct", 100.0), ("signed_docs_pct", 100.0)):
        if isinstance(raw.get(key), (int, float)):
            raw[key] = round(min(top, max(0.0, raw[key] + rng.uniform(-1.0, 1.5))), 1)
    if isinstance(raw.get("vc_last_test"), str):
        last = dt.date.fromisoformat(raw["vc_last_test"])
        if rng.random() < {"ready": 0.8, "average": 0.5, "behind": 0.25}[profile]:  # a meeting with the province
            last = today - dt.timedelta(days=rng.randint(1, 20))
        raw["vc_last_test"] = min(last, today).isoformat()
    for row in raw.get("vc_endpoints") or ():  # the other endpoints join the province's meetings too
        if row.get("last_test") and rng.random() < 0.5:
            row["last_test"] = (today - dt.timedelta(days=rng.randint(1, 25))).isoformat()


# -- validity --------------------------------------------------------------------------------------------


def _settle(checklist: Checklist, raw: dict[str, Any], rng: random.Random, profile: str, context: dict[str, Any],
            today: dt.date) -> None:
    """Draw again any answer the checklist's own rules refuse, until every answer is valid."""
    for _attempt in range(20):
        answers = Answers()
        for key, value in list(raw.items()):
            try:
                answers.values[key] = coerce(checklist.item(key), value)
            except AnswerError:
                raw.pop(key)
        result = score(checklist, answers, today=today)
        bad = {issue.item for issue in result.issues if issue.code != "E-ANS-REQUIRED"}
        missing = {issue.item for issue in result.issues if issue.code == "E-ANS-REQUIRED" and issue.row is None}
        if not bad and not missing:
            return
        for key in sorted(bad | missing):
            item = checklist.item(key)
            if item.type is ItemType.TABLE:
                raw[key] = [row for row in raw.get(key, []) if row]
                if not raw[key]:
                    raw[key] = [{c.id: v for c in item.columns or ()
                                 if (v := _scalar(c, rng, profile, context, today)) not in (None, "")}]
                continue
            value = _scalar(item, rng, profile, context, today)
            if item.type in (ItemType.INTEGER, ItemType.DECIMAL) and _attempt > 5:
                value = item.min if item.min is not None else 0
            if item.type is ItemType.TEXT and value == "":
                value = "Không có"
            raw[key] = value
    raise RuntimeError(f"demo answers did not settle for checklist {checklist.key}")


def demo_set(checklist: Checklist, communes: list[Commune], *, seed: int = 2025, today: dt.date | None = None,
             period: str | None = None) -> list[DemoAssessment]:
    """Answers for each commune: as of ``today`` (one draw each), or for ``period`` (see :func:`demo_month`)."""
    if period is not None:
        return [demo_month(checklist, commune, period, seed=seed, today=today) for commune in communes]
    return [demo_answers(checklist, commune, seed=seed * 100003 + index, today=today)
            for index, commune in enumerate(communes)]
