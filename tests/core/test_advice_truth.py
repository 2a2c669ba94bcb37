"""Every advice sentence of the real checklist is true, for any valid answers (issue 17 §1).

A commune read «Chứng thư hết hạn ngày 20/12/2025 (còn -351 ngày)», «Có 2 người chưa có máy tính
riêng… (thiếu 19 máy)» and «cài Windows 10/11 có bản quyền cho 0 máy».  The checker below reads a
generated sentence as an official would and fails on:

- a negative number, a clause with a zero count, a leftover "—" or brace;
- a figure with a threshold's unit (GB, Mbps, ngày, %, …) that is neither a threshold of the
  checklist nor a value computed from the answers (a figure typed by hand drifts from the rule);
- a requirement that does not name the thresholds its own rule uses;
- (v2) a count that does not match the answers: each number in the advice of the items below is
  recomputed here in Python from the answers, not with the checklist's own expressions, and every
  non-zero group (RAM, disk, CPU…) must be mentioned, so the advice also says *why* it is not met;
- a "Chưa đánh giá được" advice that names a question that is answered or not asked.

Hypothesis draws many valid answer sets (complete and partial, as drafts are) for v2; v1 (released,
its text cannot change) is held to what the renderer guarantees for it: no negative number.
The same checker runs over the demo data that `readiness demo` and the department's demo use.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from readiness import expr
from readiness.answers import Answers, Row, coerce, format_number
from readiness.checklist.loader import default_library
from readiness.checklist.model import Checklist, Item, ItemType
from readiness.scoring import ScoreResult, Status, score

from samples import TODAY

CHECKLIST_ID = "one-stop-shop-it-readiness"
UNITS = ("GB", "Mbps", "ms", "phút", "minutes", "nhân", "cores", "ngày", "days", "lần", "%")
_NEGATIVE = re.compile(r"(?<![\w/])[-−]\s?\d")
_ZERO = re.compile(r"(?<![\d.,/])0(?![\d.,/])")
_FIGURE = {
    "vi": re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*(?:,\d+)?)\s?(" + "|".join(map(re.escape, UNITS)) + r")(?!\w)"),
    "en": re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s?(" + "|".join(map(re.escape, UNITS)) + r")(?!\w)"),
}
_UNIT_OF = {"minutes": "phút", "cores": "nhân", "days": "ngày"}
FACTS = {"30 phút", "30 minutes"}  # figures that are part of a question's definition ("outages longer than 30 minutes")


def _number(text: str, lang: str) -> float:
    if lang == "vi":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def _ints(pattern: str, text: str) -> list[int]:
    return [int(m.replace(".", "")) for m in re.findall(pattern, text)]


# -- the checker ------------------------------------------------------------------------------------


class AdviceChecker:
    """Reads every requirement and advice of one scored assessment; ``problems`` lists what is untrue."""

    def __init__(self, checklist: Checklist, answers: Answers, result: ScoreResult, today: dt.date, *,
                 counts: bool = True):
        self.checklist = checklist
        self.answers = answers
        self.result = result
        self.today = today
        self.counts = counts  # v2: recompute the numbers; v1 (released text) only gets the renderer's guards
        self.problems: list[str] = []
        self.thresholds = checklist.threshold_values()

    # answers as the rules see them: an item that is not asked has no answer
    def val(self, item_id: str) -> Any:
        return self.answers.get(item_id) if self.result.relevant.get(item_id) else None

    def rows(self, item_id: str) -> list[dict[str, Any]]:
        return [row.values for row in (self.val(item_id) or [])]

    def fail(self, item_id: str, lang: str, text: str, message: str) -> None:
        self.problems.append(f"{self.checklist.number(item_id)} {item_id} [{lang}] {message}: «{text}»")

    def check(self) -> list[str]:
        for item_id, item_result in self.result.items.items():
            item = self.checklist.item(item_id)
            for lang, requirement in (("vi", item_result.requirement), ("en", item_result.requirement_en)):
                self.generic(item, lang, requirement, item_result.computed)
                self.requirement_names_its_thresholds(item, lang, requirement)
            if item_result.status in (Status.PASS, Status.NA):
                assert not item_result.advice, item_id
                continue
            for lang, advice in (("vi", item_result.advice), ("en", item_result.advice_en)):
                if not advice.strip() or not advice.rstrip().endswith("."):
                    self.fail(item_id, lang, advice, "advice empty or not a finished sentence")
                self.generic(item, lang, advice, item_result.computed)
                if item_result.status is Status.MISSING:
                    self.missing(item, lang, advice)
            if item_result.status is Status.FAIL and self.counts:
                oracle = getattr(self, f"oracle_{item_id}", None)
                if oracle is not None:
                    oracle(item_id, item_result.advice)
        return self.problems

    def generic(self, item: Item, lang: str, text: str, computed: dict[str, Any]) -> None:
        if _NEGATIVE.search(text):
            self.fail(item.id, lang, text, "negative number")
        if "{" in text or "}" in text:
            self.fail(item.id, lang, text, "a template left over")
        if not self.counts:
            return  # v1: its released text may print "—" for an answer it reads that is not given
        if "—" in text:
            self.fail(item.id, lang, text, "a missing value printed as —")
        if _ZERO.search(text):
            self.fail(item.id, lang, text, "a clause with a zero count")
        allowed: dict[str, set[float]] = {}
        for name, threshold in self.checklist.thresholds.items():
            value = self.thresholds[name]
            if isinstance(value, (int, float)):
                allowed.setdefault(threshold.unit or "", set()).add(float(value))
        numbers = {float(v) for v in computed.values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        answer = self.val(item.id)
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            numbers.add(float(answer))
        for match in _FIGURE[lang].finditer(text):
            if match.group(0) in FACTS:
                continue
            figure, unit = _number(match.group(1), lang), _UNIT_OF.get(match.group(2), match.group(2))
            if unit not in allowed:
                continue
            if figure not in allowed[unit] and not any(abs(figure - n) < 0.051 for n in numbers):
                self.fail(item.id, lang, text, f"«{match.group(0)}» is no threshold and no computed value")

    def requirement_names_its_thresholds(self, item: Item, lang: str, requirement: str) -> None:
        """The requirement states the rule's own threshold, as it is in the thresholds table."""
        rule = item.score
        assert rule is not None
        used: set[str] = set()
        for text in (*rule.let.values(), rule.pass_, rule.na or "true"):
            used |= expr.parse(text).thresholds()
        for name in sorted(used):
            value = self.thresholds[name]
            shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else format_number(value, lang)
            if shown not in requirement:
                self.fail(item.id, lang, requirement, f"requirement does not name ${name} ({shown})")

    def missing(self, item: Item, lang: str, advice: str) -> None:
        for number in re.findall(r"\d+\.\d+", advice):
            named = next(i for i in self.checklist.items() if self.checklist.number(i.id) == number)
            value = self.val(named.id)
            if not self.result.relevant.get(named.id) or (value not in (None, []) and value != []):
                self.fail(item.id, lang, advice, f"asks to answer {number}, which is answered or not asked")

    # -- recomputed counts (v2) ------------------------------------------------------------------

    def expect(self, item_id: str, text: str, pattern: str, expected: int | None) -> None:
        """``pattern`` (one group) appears with ``expected``; when ``expected`` is 0 or None it must not appear."""
        found = _ints(pattern, text)
        if expected:
            if found != [expected]:
                self.fail(item_id, "vi", text, f"expected «{pattern}» with {expected}, found {found}")
        elif found:
            self.fail(item_id, "vi", text, f"«{pattern}» given for a count of {expected}")

    def oracle_pcs(self, item_id: str, text: str) -> None:
        rows = self.rows("pcs")
        t = self.thresholds

        def ok(r: dict[str, Any]) -> bool:
            return (r.get("cores") is not None and r["cores"] >= t["min_cpu_cores"] and r.get("ram_gb") is not None
                    and r["ram_gb"] >= t["min_ram_gb"] and r.get("storage_type") == "ssd"
                    and r.get("storage_gb") is not None and r["storage_gb"] >= t["min_storage_gb"]
                    and r.get("os") in ("win10", "win11"))

        n_ok = sum(ok(r) for r in rows)
        if not rows:
            if "chưa có máy tính nào" not in text:
                self.fail(item_id, "vi", text, "an empty list is not said")
            return
        if n_ok:
            self.expect(item_id, text, r"Mới có (\d+)/\d+ máy", n_ok)
            self.expect(item_id, text, r"Mới có \d+/(\d+) máy", len(rows))
        else:
            self.expect(item_id, text, r"Chưa có máy nào trong (\d+) máy", len(rows))
        self.expect(item_id, text, r"Nâng cấp RAM lên từ [\d,]+ GB cho (\d+) máy",
                    sum(r.get("ram_gb") is not None and r["ram_gb"] < t["min_ram_gb"] for r in rows))
        self.expect(item_id, text, r"Thay ổ cứng HDD[^.]* cho (\d+) máy", sum(r.get("storage_type") == "hdd" for r in rows))
        self.expect(item_id, text, r"Thay ổ SSD dưới[^.]* cho (\d+) máy",
                    sum(r.get("storage_type") == "ssd" and r.get("storage_gb") is not None
                        and r["storage_gb"] < t["min_storage_gb"] for r in rows))
        self.expect(item_id, text, r"Thay mới (\d+) máy có CPU",
                    sum(r.get("cores") is not None and r["cores"] < t["min_cpu_cores"] for r in rows))
        self.expect(item_id, text, r"cho (\d+) máy đang dùng hệ điều hành khác",
                    sum(r.get("os") is not None and r["os"] not in ("win10", "win11") for r in rows))
        self.expect(item_id, text, r"Thay (\d+) máy đã hỏng", sum(r.get("condition") == "poor" for r in rows))
        self.expect(item_id, text, r"của (\d+) máy bằng chức năng đọc cấu hình",
                    sum(any(r.get(c) is None for c in ("cores", "ram_gb", "storage_type", "storage_gb", "os"))
                        for r in rows))

    def oracle_pc_shortage(self, item_id: str, text: str) -> None:
        short, officers, pcs = self.val("pc_shortage"), self.val("officers"), len(self.rows("pcs"))
        self.expect(item_id, text, r"Có (\d+) người chưa có máy", short)
        if officers is None:
            return
        self.expect(item_id, text, r"cho (\d+) cán bộ", officers)
        self.expect(item_id, text, r"(?:có|chỉ có) (\d+) máy", pcs)
        gap = max(officers - pcs, 0)
        if short and gap and short != gap:
            self.expect(item_id, text, r"chênh (\d+) máy", gap)
            if "chưa khớp" not in text:
                self.fail(item_id, "vi", text, "two figures that disagree are not said to disagree")

    def _counter(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"Còn (\d+) quầy", self.val("counters") - self.val(item_id))

    oracle_counter_pcs = oracle_counter_printers = oracle_counter_scanners = _counter

    def _accounts(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"Còn (\d+) cán bộ", self.val("officers") - self.val(item_id))

    oracle_email_accounts = oracle_docmgmt_accounts = _accounts

    def oracle_procedure_accounts(self, item_id: str, text: str) -> None:
        have, staff = self.val(item_id), self.val("procedure_staff")
        if have == 0:
            if "Chưa có công chức nào" not in text:
                self.fail(item_id, "vi", text, "no account at all is not said")
        else:
            self.expect(item_id, text, r"Còn (\d+) công chức", staff - have)

    def _valid(self, row: dict[str, Any]) -> bool:
        return row.get("expiry") is not None and row["expiry"] > self.today

    def oracle_certificates(self, item_id: str, text: str) -> None:
        rows = self.rows("certificates")
        need = {"leader": self.val("leaders_count"), "clerk": self.val("clerks_count"),
                "reception": self.val("reception_count")}
        missing = {role: max(count - sum(1 for r in rows if r.get("role") == role and self._valid(r)), 0)
                   for role, count in need.items()}
        total = sum(need.values())
        have = total - sum(missing.values())
        if have:
            self.expect(item_id, text, r"Mới có (\d+)/\d+ người", have)
            self.expect(item_id, text, r"Mới có \d+/(\d+) người", total)
        else:
            self.expect(item_id, text, r"Chưa ai trong số (\d+) người", total)
        for role, word in (("leader", "lãnh đạo"), ("clerk", "văn thư"), ("reception", "công chức tiếp nhận")):
            self.expect(item_id, text, r"(\d+) " + word + r"\b(?! và công chức)", missing[role])

    def oracle_cert_renewal_planned(self, item_id: str, text: str) -> None:
        rows = self.rows("certificates")
        days = [(r["expiry"] - self.today).days for r in rows if r.get("expiry") is not None]
        warn = self.thresholds["cert_warn_days"]
        self.expect(item_id, text, r"Có (\d+) chứng thư số cá nhân đã hết hạn", sum(d <= 0 for d in days))
        expiring = sum(0 < d < warn for d in days)
        self.expect(item_id, text, r"(\d+) chứng thư(?: số cá nhân)? sẽ hết hạn", expiring)

    def _org_expiry(self, item_id: str, text: str, expiry: dt.date | None) -> None:
        if expiry is None:
            return
        days = (expiry - self.today).days
        shown = expiry.strftime("%d/%m/%Y")
        if shown not in text:
            self.fail(item_id, "vi", text, f"the expiry date {shown} is not said")
        if days < 0:
            self.expect(item_id, text, r"\((\d+) ngày trước\)", -days)
            if "đã hết hạn" not in text:
                self.fail(item_id, "vi", text, "an expired certificate is not said to have expired")
        elif days == 0:
            if "hôm nay" not in text:
                self.fail(item_id, "vi", text, "expiry today is not said")
        else:
            self.expect(item_id, text, r"còn (\d+) ngày", days)

    def oracle_org_cert_ubnd_expiry(self, item_id: str, text: str) -> None:
        self._org_expiry(item_id, text, self.val(item_id))

    oracle_org_cert_center_expiry = oracle_org_cert_ubnd_expiry

    def oracle_org_cert_ubnd(self, item_id: str, text: str) -> None:
        """«Có» answered but listed as a gap: the advice must give the reason (the expiry of 5.2)."""
        answer = self.val(item_id)
        expiry = self.val(f"{item_id}_expiry")
        if answer == "old_name" and "tên đơn vị cũ" not in text:
            self.fail(item_id, "vi", text, "the old unit name is not said")
        if answer != "none" and expiry is not None and expiry <= self.today:
            self._org_expiry(item_id, text, expiry)

    oracle_org_cert_center = oracle_org_cert_ubnd

    def oracle_win10_plan(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"Còn (\d+) máy dùng Windows 10", sum(r.get("os") == "win10" for r in self.rows("pcs")))
        days = (self.thresholds["win10_esu_end"] - self.today).days
        self.expect(item_id, text, r"còn (\d+) ngày", days if days > 0 else None)

    def oracle_sign_trained(self, item_id: str, text: str) -> None:
        need = self.val("leaders_count") + self.val("clerks_count") + self.val("reception_count")
        self.expect(item_id, text, r"ít nhất (\d+) người", need - self.val(item_id))

    def oracle_villages_covered(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"Còn (\d+) thôn", self.val("villages") - self.val(item_id))

    def oracle_dead_zone_villages(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"Còn (\d+) thôn", self.val(item_id))

    def oracle_outages_3m(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"mất Internet (\d+) lần", self.val(item_id))

    def oracle_ups_minutes(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"chỉ (\d+) phút", self.val(item_id))

    def oracle_av_managed(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"có (\d+) máy chưa có phần mềm", sum(r.get("antivirus") is False for r in self.rows("pcs")))

    def oracle_vc_last_test(self, item_id: str, text: str) -> None:
        self.expect(item_id, text, r"\((\d+) ngày trước\)", (self.today - self.val(item_id)).days)

    def oracle_id_readers(self, item_id: str, text: str) -> None:
        counters = self.val("counters")
        self.expect(item_id, text, r"cả (\d+) quầy", counters if counters and counters > 1 else None)


def check_assessment(checklist: Checklist, answers: Answers, today: dt.date, *, strict: bool) -> list[str]:
    result = score(checklist, answers, today=today, strict_templates=strict)
    return AdviceChecker(checklist, answers, result, today, counts=strict).check()


# -- valid answer sets, drawn -----------------------------------------------------------------------

_BOUND = re.compile(r"\. (>=|>) (\d+)|\. <= (?:coalesce\((\w+), (\d+)\)|(\d+))")
_PHONE, _EMAIL = "0912 345 678", "ubnd.xa@quangngai.gov.vn"


def _bounds(spec: Any, drawn: dict[str, Any]) -> tuple[float, float]:
    low, high = 0.0, 500.0
    if spec.constraint:
        for match in _BOUND.finditer(spec.constraint.expr):
            if match.group(1):
                low = float(match.group(2)) + (1 if match.group(1) == ">" else 0)
            elif match.group(3):
                other = drawn.get(match.group(3))
                high = float(other) if isinstance(other, (int, float)) else float(match.group(4))
            else:
                high = float(match.group(5))
    return low, high


def _numbers(spec: Any, drawn: dict[str, Any], thresholds: dict[str, Any]) -> st.SearchStrategy[Any]:
    low, high = _bounds(spec, drawn)
    if high < low:
        return st.just(None)
    near = [v for t in thresholds.values() if isinstance(t, (int, float)) for v in (t - 1, t, t + 1)]
    picks = [v for v in (low, high, *near) if low <= v <= high]
    small = st.integers(int(low), int(min(high, low + 12)))
    wide = st.integers(int(low), int(high)) if high - low < 1e6 else st.integers(int(low), int(low) + 1000)
    choice = st.one_of(small, wide, st.sampled_from(picks)) if picks else st.one_of(small, wide)
    if spec.type is ItemType.INTEGER:
        return choice.map(int)
    return st.one_of(choice.map(float), st.floats(low, high, allow_nan=False).map(lambda v: round(v, 1)))


def _dates(spec: Any, today: dt.date) -> st.SearchStrategy[str]:
    if spec.constraint and "days_since" in spec.constraint.expr:
        offsets = st.one_of(st.integers(0, 400), st.sampled_from([0, 1, 89, 90, 91]))
        return offsets.map(lambda d: (today - dt.timedelta(days=d)).isoformat())
    offsets = st.one_of(st.integers(-900, 1500), st.sampled_from([-351, -1, 0, 1, 89, 90, 91]))
    return offsets.map(lambda d: (today + dt.timedelta(days=d)).isoformat())


def _scalar(spec: Any, drawn: dict[str, Any], thresholds: dict[str, Any], today: dt.date) -> st.SearchStrategy[Any]:
    kind = spec.type
    if kind is ItemType.YES_NO:
        return st.booleans()
    if kind is ItemType.SINGLE_CHOICE:
        return st.sampled_from([c.id for c in spec.choices])
    if kind is ItemType.MULTI_CHOICE:
        return st.lists(st.sampled_from([c.id for c in spec.choices]), min_size=1, unique=True)
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        return _numbers(spec, drawn, thresholds)
    if kind is ItemType.DATE:
        return _dates(spec, today)
    if "phone" in spec.id:
        return st.just(_PHONE)
    if "email" in spec.id:
        return st.just(_EMAIL)
    return st.sampled_from(["Nguyễn Văn An", "Quầy số 1", "Thôn 3, tổ dân phố 2", "Không có"])


@st.composite
def answer_sets(draw: Any, checklist: Checklist, today: dt.date) -> dict[str, Any]:
    """Raw answers (what `readiness fill` takes), valid under the checklist's rules; drafts skip some."""
    thresholds = checklist.threshold_values()
    complete = draw(st.booleans())
    drawn: dict[str, Any] = {}
    for item in checklist.items():
        if not complete and draw(st.integers(0, 6)) == 0:
            continue
        if item.type is ItemType.TABLE:
            cap = 12 if item.id == "pcs" else 6
            rows = []
            for _ in range(draw(st.integers(0 if not item.required or not complete else 1, cap))):
                row = {}
                for column in item.columns or ():
                    if not column.required and draw(st.integers(0, 7)) == 0:
                        continue
                    row[column.id] = draw(_scalar(column, row, thresholds, today))
                rows.append(row)
            drawn[item.id] = rows
        else:
            value = draw(_scalar(item, drawn, thresholds, today))
            if value is not None:
                drawn[item.id] = value
    return drawn


def _valid_answers(checklist: Checklist, raw: dict[str, Any], today: dt.date) -> Answers:
    """Coerce, then drop every answer a rule refuses until none is refused: a valid (maybe partial) set."""
    answers = Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()})
    for _ in range(10):
        result = score(checklist, answers, today=today)
        bad = {issue.item for issue in result.issues if issue.code != "E-ANS-REQUIRED"}
        if not bad:
            return answers
        for item_id in bad:
            value = answers.values.pop(item_id)
            if isinstance(value, list) and value and isinstance(value[0], Row):  # keep the rows a rule accepts
                answers.values[item_id] = value[:0]
    raise AssertionError("answers did not settle")


_LIBRARY = default_library()


def _library_checklist(version: int) -> Checklist:
    return _LIBRARY.get(CHECKLIST_ID, version)  # loaded once per test session


# Examples are large (a whole assessment): shrinking one takes minutes and the checker's message already
# names the item, the sentence and what is wrong, so failures are reported as found.
SETTINGS = settings(deadline=None, derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def v2() -> Checklist:
    return _library_checklist(2)


@pytest.fixture(scope="module")
def v1() -> Checklist:
    return _library_checklist(1)


@settings(SETTINGS, max_examples=150)
@given(data=st.data(), days=st.integers(-400, 400))
def test_advice__v2_any_valid_answers__every_sentence_true(data, days):
    checklist = _library_checklist(2)
    today = TODAY + dt.timedelta(days=days)  # before and after Windows 10's end of extended updates
    answers = _valid_answers(checklist, data.draw(answer_sets(checklist, today)), today)
    problems = check_assessment(checklist, answers, today, strict=True)
    assert not problems, "\n".join(problems)


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_advice__v1_any_valid_answers__no_negative_number(data):
    checklist = _library_checklist(1)
    answers = _valid_answers(checklist, data.draw(answer_sets(checklist, TODAY)), TODAY)
    problems = check_assessment(checklist, answers, TODAY, strict=False)
    assert not problems, "\n".join(problems)


# -- the examples the commune saw ---------------------------------------------------------------------


def _ready(checklist: Checklist, **changes: Any) -> Answers:
    import json
    from pathlib import Path

    raw = json.loads((Path(__file__).resolve().parents[1] / "data" / "ready_commune.json").read_text(encoding="utf-8"))
    values = {k: v for k, v in raw["answers"].items() if _has(checklist, k)}
    values.update(changes)
    return Answers(values={k: coerce(checklist.item(k), v) for k, v in values.items()})


def _has(checklist: Checklist, item_id: str) -> bool:
    return any(item.id == item_id for item in checklist.items())


@pytest.mark.parametrize("item_id", ["org_cert_ubnd", "org_cert_center"])
def test_advice__v2_expired_certificate__expired_n_days_ago_and_the_yes_answer_says_why(v2, item_id):
    """5.1 / 5.3 answered «Có, đã khai báo theo tên đơn vị mới» are gaps because 5.2 / 5.4 is past: say so."""
    today = dt.date(2026, 12, 6)
    answers = _ready(v2, **{f"{item_id}_expiry": "2025-12-20"})
    result = score(v2, answers, today=today, strict_templates=True)
    expiry, certificate = result.items[f"{item_id}_expiry"], result.items[item_id]
    assert expiry.advice.startswith("Chứng thư đã hết hạn ngày 20/12/2025 (351 ngày trước)")
    assert certificate.status is Status.FAIL and answers.get(item_id) == "new_name"
    assert "đã hết hạn ngày 20/12/2025 (351 ngày trước)" in certificate.advice and "gia hạn" in certificate.advice
    assert check_assessment(v2, answers, today, strict=True) == []


def test_advice__v1_expired_certificate__guard_prints_no_negative_days(v1):
    today = dt.date(2026, 12, 6)
    result = score(v1, _ready(v1, org_cert_ubnd_expiry="2025-12-20"), today=today)
    assert result.items["org_cert_ubnd_expiry"].advice.startswith("Chứng thư hết hạn ngày 20/12/2025 (còn 0 ngày)")
    assert "-351" not in result.items["org_cert_ubnd"].advice


def test_advice__v2_two_people_without_pc_but_19_short__says_the_figures_disagree(v2):
    pcs = _ready(v2).values["pcs"][:12]
    answers = _ready(v2, officers=31, pc_shortage=2, email_accounts=31, docmgmt_accounts=31, sign_trained=31)
    answers.values["pcs"] = pcs
    advice = score(v2, answers, today=TODAY, strict_templates=True).items["pc_shortage"].advice
    assert advice.startswith("Có 2 người chưa có máy tính riêng, còn danh sách có 12 máy cho 31 cán bộ, công chức "
                             "(chênh 19 máy). Hai số liệu chưa khớp")


def test_advice__v2_old_pcs__no_zero_clause_and_the_ssd_threshold_as_the_rule_says(v2):
    answers = _ready(v2)
    answers.values["pcs"] = [Row(dict(row.values, storage_type="hdd")) if i < 5 else row
                             for i, row in enumerate(answers.values["pcs"])]
    advice = score(v2, answers, today=TODAY, strict_templates=True).items["pcs"].advice
    assert "Thay ổ cứng HDD bằng ổ SSD từ 240 GB cho 5 máy." in advice
    assert "RAM" not in advice and "Windows" not in advice and " 0 " not in advice


# -- the demo data --------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 1])
def test_advice__demo_data_of_the_province__every_sentence_true(version):
    """`readiness demo` (seed 2025, province 51) and the department's demo databases use these answers."""
    from readiness.demo import demo_set
    from readiness.register import load_register

    checklist = _library_checklist(version)
    communes = [c for c in load_register() if c.province_code == "51"]
    problems: list[str] = []
    for today in (TODAY, dt.date(2025, 12, 6)):
        for demo in demo_set(checklist, communes, today=today):
            answers = Answers(values={k: coerce(checklist.item(k), v) for k, v in demo.answers.items()})
            problems += [f"{demo.commune.code}: {p}" for p in
                         check_assessment(checklist, answers, today, strict=version >= 2)]
    assert problems == []
