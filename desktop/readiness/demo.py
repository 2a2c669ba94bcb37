"""Realistic, varied, valid demo answers for trying the department side and for benchmarks.

Each commune gets a *profile* (a well-equipped ward, an average commune, a remote commune that
is behind) and answers drawn to fit it: PCs with plausible CPUs and RAM, certificates with expiry
dates around "today", a few difficulties and proposals in the words of seed 002.  Every answer is
checked with the same rules as typed answers; an answer a rule refuses is drawn again.
"""

from __future__ import annotations

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

_CPUS = {
    "ready": ["Intel Core i5-12400", "Intel Core i5-13400", "Intel Core i7-12700", "AMD Ryzen 5 5600G"],
    "average": ["Intel Core i5-8400", "Intel Core i3-10100", "Intel Core i5-7500", "AMD Ryzen 3 3200G"],
    "behind": ["Intel Core i3-4160", "Intel Pentium G4560", "Intel Core 2 Duo E7500", "Intel Core i3-6100"],
}
_ROLES = ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "Địa chính - Xây dựng",
          "Tài chính - Kế toán", "Văn hóa - Xã hội", "Quầy một cửa số 1", "Quầy một cửa số 2", "Quầy một cửa số 3",
          "Văn thư", "Công an xã", "Quân sự xã", "Chuyển đổi số"]
_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "A", "Y", "Đinh"]
_MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc", "Thu"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn",
          "Tâm", "Thảo", "Trâm", "Tuấn", "Vy", "Khánh"]
_PETITIONS = [
    ("infrastructure", "Thiết bị công nghệ thông tin chưa đồng bộ, cấu hình thấp, ảnh hưởng tiến độ xử lý công việc.",
     "Đề nghị tỉnh hỗ trợ kinh phí thay thế máy tính tại Bộ phận Một cửa.", "Sở Khoa học và Công nghệ"),
    ("infrastructure", "Đường truyền Internet chậm, thường xuyên gián đoạn vào giờ cao điểm.",
     "Đề nghị nâng băng thông đường truyền lên tối thiểu 200 Mbps.", "Sở Khoa học và Công nghệ"),
    ("software", "Hệ thống thông tin giải quyết thủ tục hành chính đôi lúc bị lỗi đồng bộ với Cổng Dịch vụ công quốc gia.",
     "Đề nghị rà soát, khắc phục lỗi đồng bộ để tiếp nhận hồ sơ thông suốt.", "Sở Khoa học và Công nghệ"),
    ("training", "Một bộ phận công chức còn hạn chế kỹ năng ứng dụng công nghệ thông tin.",
     "Đề nghị tổ chức tập huấn nâng cao kỹ năng số cho công chức Bộ phận Một cửa.", "Sở Nội vụ"),
    ("funding", "Chưa có kinh phí trang bị máy tính, máy in cho các thôn.",
     "Đề nghị tỉnh bố trí nguồn lực đầu tư thiết bị cho thôn.", "Sở Tài chính"),
    ("signatures", "Chứng thư số của một số công chức sắp hết hạn, chưa được gia hạn.",
     "Đề nghị hướng dẫn thủ tục gia hạn chứng thư số sau sắp xếp đơn vị hành chính.", "Sở Khoa học và Công nghệ"),
    ("staffing", "Thiếu công chức có chuyên môn công nghệ thông tin, cán bộ chuyển đổi số kiêm nhiệm.",
     "Đề nghị có chính sách thu hút, hỗ trợ cán bộ phụ trách chuyển đổi số.", "Sở Nội vụ"),
]


@dataclass(frozen=True)
class DemoAssessment:
    commune: Commune
    profile: str
    answers: dict[str, Any]  # raw JSON-friendly answers (what `readiness fill` takes)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _phone(rng: random.Random) -> str:
    return "0" + rng.choice(["905", "914", "935", "983", "772", "868"]) + "".join(str(rng.randrange(10)) for _ in range(6))


def _pc(rng: random.Random, profile: str, role: str, today: dt.date) -> dict[str, Any]:
    good = {"ready": 0.97, "average": 0.55, "behind": 0.2}[profile]
    modern = rng.random() < good
    year = rng.randint(today.year - 4, today.year) if modern else rng.randint(today.year - 12, today.year - 5)
    if modern:
        os_choice = "win11" if profile == "ready" or rng.random() < 0.8 else "win10"
    else:
        os_choice = rng.choice(["win10", "win10", "win7", "win11"])
    return {
        "role": role,
        "cpu": rng.choice(_CPUS["ready" if modern else profile if profile != "ready" else "average"]),
        "cores": rng.choice([6, 8, 12]) if modern else rng.choice([2, 2, 4]),
        "ram_gb": rng.choice([8, 16, 16, 32]) if modern else rng.choice([2, 4, 4, 8]),
        "storage_type": "ssd" if modern or rng.random() < 0.3 else "hdd",
        "storage_gb": rng.choice([256, 512, 512, 1000]) if modern else rng.choice([120, 250, 500]),
        "os": os_choice,
        "os_version": {"win11": "Windows 11 Pro 23H2", "win10": "Windows 10 Pro 22H2", "win7": "Windows 7 Professional SP1"}[os_choice],
        "year": year,
        "antivirus": rng.random() < good + 0.1,
        "condition": "good" if modern else rng.choice(["fair", "fair", "poor"]),
    }


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
            return f"ubnd.{context['slug']}@quangngai.gov.vn"
        if "name" in lowered or key in ("holder",):
            return _name(rng)
        if "url" in lowered:
            return f"https://{context['slug'].replace('-', '')}.quangngai.gov.vn"
        if "position" in lowered:
            return rng.choice(["Công chức Văn phòng - Thống kê", "Phó Chủ tịch UBND xã", "Công chức phụ trách chuyển đổi số"])
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
    """Answers of the one-stop-shop checklist that depend on others (accounts per officer, ...).

    Unknown ids return None and get a generic value: the generator still works for other checklists.
    """
    coverage = {"ready": rng.uniform(0.97, 1.0), "average": rng.uniform(0.85, 1.0), "behind": rng.uniform(0.4, 0.85)}[profile]
    officers, counters = counts["officers"], counts["counters"]
    share = lambda total: max(0, min(total, round(total * coverage)))  # noqa: E731
    table: dict[str, Any] = {
        "email_accounts": share(officers), "docmgmt_accounts": share(officers),
        "procedure_accounts": share(counts["procedure_staff"]), "sign_trained": share(officers),
        "counter_pcs": share(counters), "counter_printers": share(counters), "counter_scanners": share(counters),
        "villages_covered": share(counts["villages"]), "dx_groups": share(counts["villages"]),
        "pc_shortage": {"ready": 0, "average": rng.randint(0, 3), "behind": rng.randint(3, 10)}[profile],
        "outages_3m": {"ready": rng.randint(0, 1), "average": rng.randint(0, 4), "behind": rng.randint(2, 9)}[profile],
        "win10_plan": profile != "behind" and rng.random() < 0.9,
        "online_docs_pct": round(rng.uniform(98.2, 100) if profile == "ready" else rng.uniform(85, 99.5), 1),
        "signed_docs_pct": round(rng.uniform(95.5, 100) if profile == "ready" else rng.uniform(70, 98), 1),
        "tslcd_mbps": 200.0 if profile == "ready" or rng.random() < 0.6 else 100.0,
        "vc_last_test": (today - dt.timedelta(days=rng.randint(2, 60 if profile == "ready" else 150))).isoformat(),
        "contract_down_mbps": float(rng.choice([150, 200, 300]) if profile == "ready" else rng.choice([50, 80, 100, 150])),
        "measured_down_mbps": float(rng.randint(95, 180) if profile == "ready" else rng.randint(25, 120)),
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


def demo_answers(checklist: Checklist, commune: Commune, *, seed: int, today: dt.date | None = None,
                 profile: str | None = None) -> DemoAssessment:
    """A complete, valid set of answers for one commune (deterministic for a seed)."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    profile = profile or rng.choices(PROFILES, weights=(3, 5, 2))[0]
    context: dict[str, Any] = {"slug": slugify(commune.bare_name)}
    counts = _counts(rng, profile)
    context.update(counts)
    raw: dict[str, Any] = {}
    for item in checklist.items():
        if item.id in counts:
            raw[item.id] = counts[item.id]
            continue
        if item.type is ItemType.TABLE:
            raw[item.id] = _table(item, rng, profile, context, today, counts)
            continue
        value = _related(item.id, rng, profile, counts, today)
        if value is None:
            value = _scalar(item, rng, profile, context, today)
        if value not in (None, ""):
            raw[item.id] = value
    _settle(checklist, raw, rng, profile, context, today)
    return DemoAssessment(commune=commune, profile=profile, answers=raw)


def _table(item: Item, rng: random.Random, profile: str, context: dict[str, Any], today: dt.date,
           counts: dict[str, int]) -> list[dict[str, Any]]:
    columns = {c.id for c in item.columns or ()}
    if {"ram_gb", "cores", "os"} <= columns:
        number = max(3, counts["officers"] - {"ready": 0, "average": rng.randint(0, 6), "behind": rng.randint(6, 14)}[profile])
        roles = [_ROLES[i % len(_ROLES)] + (f" ({i // len(_ROLES) + 1})" if i >= len(_ROLES) else "") for i in range(number)]
        return [{k: v for k, v in _pc(rng, profile, role, today).items() if k in columns} for role in roles]
    if {"difficulty", "proposal"} <= columns:
        chosen = rng.sample(_PETITIONS, k={"ready": 1, "average": 2, "behind": 3}[profile])
        return [dict(zip(("topic", "difficulty", "proposal", "addressed_to"), entry)) for entry in chosen]
    if "expiry" in columns and "holder" in columns:
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
    rows = []
    for _ in range(rng.randint(0, 2)):
        rows.append({c.id: v for c in item.columns or () if (v := _scalar(c, rng, profile, context, today)) not in (None, "")})
    return rows


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
        for key in bad | missing:
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


def demo_set(checklist: Checklist, communes: list[Commune], *, seed: int = 2025, today: dt.date | None = None
             ) -> list[DemoAssessment]:
    return [demo_answers(checklist, commune, seed=seed * 100003 + index, today=today)
            for index, commune in enumerate(communes)]
