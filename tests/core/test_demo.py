"""Demo data: valid under the checklist's own rules, deterministic, varied."""

from collections import Counter

from readiness.answers import Answers, coerce
from readiness.demo import demo_answers, demo_set
from readiness.register import load_register
from readiness.scoring import score

from samples import TODAY


def _score(checklist, raw):
    return score(checklist, Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()}), today=TODAY)


def test_demo_set__96_communes__all_valid_and_all_levels_present(real_checklist):
    communes = [c for c in load_register() if c.province_code == "51"]
    demos = demo_set(real_checklist, communes, today=TODAY)
    levels = Counter()
    for demo in demos:
        result = _score(real_checklist, demo.answers)
        assert result.issues == [], (demo.commune.code, result.issues[:3])
        levels[result.level_id] += 1
    assert set(levels) == {"ready", "basic", "not_ready"}
    assert all(demo.answers["pcs"] and demo.answers["petitions"] for demo in demos)


def test_demo_answers__same_seed__same_answers(real_checklist):
    commune = load_register()[0]
    first = demo_answers(real_checklist, commune, seed=7, today=TODAY)
    again = demo_answers(real_checklist, commune, seed=7, today=TODAY)
    other = demo_answers(real_checklist, commune, seed=8, today=TODAY)
    assert first.answers == again.answers
    assert first.answers != other.answers


# -- demo data that reads true (issue 17 §7) -------------------------------------------------------------
# Properties over many seeds and communes: counts that agree with each other, rooms and devices (never people)
# as PC places and video-conference endpoints, petitions about their own topic with the commune's own counts,
# plausible dates, and month-to-month continuity of each commune.

import datetime as dt
import re

import pytest

from readiness.demo import FIRST_PERIOD, demo_month, demo_months, period_day

# Surnames of nine in ten Vietnamese: a PC place or an endpoint that starts with one is a person.
SURNAMES = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Đinh", "Trương", "Đào", "Đoàn", "Lương", "Mai", "Tạ", "Hà"}
PLACE_WORDS = ("Phòng", "Quầy", "Bộ phận", "Văn phòng", "Trung tâm", "Hội trường", "Trạm", "Nhà văn hóa", "Máy")
# What a petition of each topic talks about (written here, not taken from the generator).
TOPIC_WORDS = {
    "infrastructure": ("đường truyền", "internet", "băng thông", "sóng", "mạng"),
    "equipment": ("máy tính", "máy in", "máy quét", "thiết bị"),
    "software": ("phần mềm", "hệ thống"),
    "signatures": ("chứng thư", "chữ ký số", "ký số"),
    "training": ("tập huấn", "bồi dưỡng", "đào tạo"),
    "staffing": ("cán bộ", "công chức", "nhân lực"),
    "funding": ("kinh phí", "ngân sách", "dự toán"),
}
# Words that belong to one topic only: a petition filed elsewhere must not be about them.
OWN_WORDS = {"signatures": ("chứng thư",), "funding": ("kinh phí",), "training": ("tập huấn", "bồi dưỡng"),
             "infrastructure": ("đường truyền", "băng thông", "sóng di động")}


def _communes(count: int, step: int = 4):
    return [c for c in load_register() if c.province_code == "51"][::step][:count]


def _problems(demo, today: dt.date) -> list[str]:
    """Everything in one commune's demo answers that an official would not believe."""
    raw, code = demo.answers, demo.commune.code
    found: list[str] = []
    pcs = raw["pcs"]
    if raw["pc_shortage"] != raw["officers"] - len(pcs):
        found.append(f"{code}: {raw['pc_shortage']} without a PC, but {len(pcs)} PCs for {raw['officers']} officers")
    counter_rows = [pc for pc in pcs if pc["role"].startswith("Quầy số")]
    if raw["counter_pcs"] != len(counter_rows) or raw["counter_pcs"] > raw["counters"]:
        found.append(f"{code}: {raw['counter_pcs']} counters with a PC, {len(counter_rows)} counter rows, "
                     f"{raw['counters']} counters")
    for part, whole in (("email_accounts", "officers"), ("docmgmt_accounts", "officers"), ("sign_trained", "officers"),
                        ("procedure_accounts", "procedure_staff"), ("procedure_staff", "officers"),
                        ("reception_count", "one_stop_staff"), ("one_stop_staff", "officers"),
                        ("villages_covered", "villages"), ("dead_zone_villages", "villages"),
                        ("counter_printers", "counters"), ("counter_scanners", "counters"), ("id_readers", "counters")):
        if raw[part] > raw[whole]:
            found.append(f"{code}: {part} {raw[part]} > {whole} {raw[whole]}")
    for key, most in (("cameras", 10), ("citizen_pcs", 5), ("vc_microphones", 16), ("leaders_count", 4)):
        if not 0 <= raw[key] <= most:
            found.append(f"{code}: {key} = {raw[key]}")
    if raw["contract_up_mbps"] > raw["contract_down_mbps"] or raw["measured_down_mbps"] > raw["contract_down_mbps"] * 1.1 \
            or raw["measured_up_mbps"] > raw["contract_up_mbps"] * 1.1:
        found.append(f"{code}: speeds {raw['contract_down_mbps']}/{raw['contract_up_mbps']} contracted, "
                     f"{raw['measured_down_mbps']}/{raw['measured_up_mbps']} measured")
    if raw["av_managed"] in ("central", "standalone") and not all(pc["antivirus"] for pc in pcs):
        found.append(f"{code}: antivirus on every machine, but not in the PC list")
    signers = raw["leaders_count"] + raw["clerks_count"] + raw["reception_count"]
    if len(raw["certificates"]) > signers:
        found.append(f"{code}: {len(raw['certificates'])} personal certificates for {signers} signers")
    places = [pc["role"] for pc in pcs] + [row["name"] for row in raw.get("vc_endpoints", [])]
    for place in places:
        if place.split()[0] in SURNAMES or not place.startswith(PLACE_WORDS):
            found.append(f"{code}: «{place}» is not a room or a device")
    if len(set(pc["role"] for pc in pcs)) != len(pcs):
        found.append(f"{code}: two PCs in the same place")
    if "tổ dân phố" in " ".join(places) and demo.commune.kind != "Phường":
        found.append(f"{code}: a {demo.commune.kind} with a «tổ dân phố»")
    for row in raw["petitions"]:
        text = f"{row['difficulty']} {row['proposal']}".lower()
        if not any(word in text for word in TOPIC_WORDS[row["topic"]]):
            found.append(f"{code}: a {row['topic']} petition about something else: {text}")
        for topic, words in OWN_WORDS.items():
            if topic != row["topic"] and any(word in text for word in words):
                found.append(f"{code}: a {row['topic']} petition about {topic}: {text}")
        if re.search(r"(?<![\d,.])0 ", text) or re.search(r"-\d", text):
            found.append(f"{code}: a zero or negative count: {text}")
        match = re.search(r"còn (\d+) cán bộ, công chức chưa có máy tính", text)
        if match and int(match.group(1)) != raw["pc_shortage"]:
            found.append(f"{code}: the petition says {match.group(1)} without a PC, the answer {raw['pc_shortage']}")
    if len({row["topic"] for row in raw["petitions"]}) != len(raw["petitions"]):
        found.append(f"{code}: two petitions of one topic")
    dates = [raw[key] for key in ("org_cert_ubnd_expiry", "org_cert_center_expiry", "vc_last_test") if key in raw]
    dates += [row["expiry"] for row in raw["certificates"]] + [row["last_test"] for row in raw.get("vc_endpoints", [])]
    for value in dates:
        if not today - dt.timedelta(days=400) <= dt.date.fromisoformat(value) <= today + dt.timedelta(days=1200):
            found.append(f"{code}: the date {value} is implausible on {today}")
    for key in ("vc_last_test",):
        if key in raw and dt.date.fromisoformat(raw[key]) > today:
            found.append(f"{code}: {key} {raw[key]} is after today {today}")
    for row in raw.get("vc_endpoints", []):
        if dt.date.fromisoformat(row["last_test"]) > today:
            found.append(f"{code}: an endpoint tested on {row['last_test']}, after today {today}")
    if any(pc["year"] > today.year for pc in pcs):
        found.append(f"{code}: a PC bought after {today.year}")
    return found


@pytest.mark.parametrize("seed", range(0, 400, 50))
def test_demo_answers__many_seeds__counts_places_petitions_and_dates_read_true(real_checklist, seed):
    problems = []
    for index, commune in enumerate(_communes(12, step=8)):
        for profile in ("ready", "average", "behind"):
            demo = demo_answers(real_checklist, commune, seed=seed + index, today=TODAY, profile=profile)
            problems += _problems(demo, TODAY)
    assert problems == []


@pytest.mark.parametrize("seed", [2025, 41])
def test_demo_months__a_commune_month_after_month__a_few_changes_not_a_swing(real_checklist, seed):
    """07/2025 → 03/2026: every month valid and believable; the score moves at most 12 points a month and the
    level at most one step; the PC list keeps its places (machines are bought or replaced, not reshuffled)."""
    order = [level.id for level in real_checklist.levels]
    problems, moves = [], []
    for commune in _communes(16, step=6):
        months = demo_months(real_checklist, commune, FIRST_PERIOD, "2026-03", seed=seed)
        before = None
        for period, demo in zip([f"2025-{m:02d}" for m in range(7, 13)] + ["2026-01", "2026-02", "2026-03"], months):
            today = period_day(period)
            problems += _problems(demo, today)
            result = _score_on(real_checklist, demo.answers, today)
            assert result.issues == [], (commune.code, period, result.issues[:3])
            if before is not None:
                old_result, old = before
                moves.append(abs(result.score - old_result.score))
                if abs(result.score - old_result.score) > 12:
                    problems.append(f"{commune.code} {period}: {old_result.score:.0f} → {result.score:.0f}")
                if abs(order.index(result.level_id) - order.index(old_result.level_id)) > 1:
                    problems.append(f"{commune.code} {period}: {old_result.level_id} → {result.level_id}")
                kept = [pc["role"] for pc in old.answers["pcs"]]
                if [pc["role"] for pc in demo.answers["pcs"]][:len(kept)] != kept:
                    problems.append(f"{commune.code} {period}: the PC list was reshuffled")
                if demo.answers["officers"] != old.answers["officers"] or demo.profile != old.profile:
                    problems.append(f"{commune.code} {period}: another commune")
            before = (result, demo)
    assert problems == []
    assert max(moves) > 0 and sum(1 for m in moves if m > 0) > len(moves) // 4, "the months never change"


def _score_on(checklist, raw, today):
    return score(checklist, Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()}), today=today)


def test_demo_month__same_seed_commune_and_period__same_answers_and_as_in_the_history(real_checklist):
    commune = _communes(1)[0]
    first = demo_month(real_checklist, commune, "2025-11", seed=3)
    assert first.answers == demo_month(real_checklist, commune, "2025-11", seed=3).answers
    assert first.answers == demo_months(real_checklist, commune, "2025-09", "2025-11", seed=3)[-1].answers
    assert first.answers != demo_month(real_checklist, commune, "2025-11", seed=4).answers
    assert first.answers != demo_month(real_checklist, commune, "2025-10", seed=3).answers


def test_demo_month__the_province_in_11_2025__every_advice_sentence_true(real_checklist):
    """What `readiness demo --period 2025-11` writes for the 96 communes: the advice checker of §1 finds nothing."""
    from test_advice_truth import check_assessment

    problems = []
    today = period_day("2025-11")
    for commune in [c for c in load_register() if c.province_code == "51"]:
        demo = demo_month(real_checklist, commune, "2025-11")
        answers = Answers(values={k: coerce(real_checklist.item(k), v) for k, v in demo.answers.items()})
        problems += [f"{commune.code}: {p}" for p in check_assessment(real_checklist, answers, today, strict=True)]
        problems += _problems(demo, today)
    assert problems == []
