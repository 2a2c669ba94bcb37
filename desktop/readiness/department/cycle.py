"""The reporting cycle of a period: its deadline, and which communes reported, on time or late.

After DHIS2's data-set reporting: *expected* reports (the communes in scope), *actual* reports
(communes with a finalized assessment), the *reporting rate* (actual ÷ expected) and the *reporting
rate on time* (reports on time ÷ expected).

The rules, stated once:

- A period's deadline is a day.  It ends at 23:59:59 that day in Asia/Ho_Chi_Minh (+07:00; Vietnam
  keeps no daylight saving time): a moment is on time when it is before 00:00:00 +07:00 of the next
  day (:func:`deadline_end`, :func:`is_on_time`).  16:59:59 UTC on the deadline day is on time,
  17:00:00 UTC is not.
- A submission (one finalized revision) is on time when both its completion and its receipt are:
  completion is the signing time when the file carries a valid signature, otherwise the finalization
  time the file records; receipt is when the department stored it (an assessment entered at the
  department itself: its finalization).
- A commune reported on time when its *first* submission of the period was on time: a correction sent
  after the deadline does not make an on-time report late.
- Per commune, one state (:data:`CYCLE_STATES`): ``on_time`` / ``late`` (received; ``received`` when
  the period has no deadline), ``held`` (received, and a newer revision is held by the signature
  policy, waiting for the department), ``refused`` (nothing accepted, but a file was refused),
  ``missing`` (nothing; a draft at the department counts as nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..store.cycle import PeriodRecord, RejectedFile, SubmissionRecord
from ..store.db import StoreError, period_label, validate_period
from .vocabulary import CYCLE_STATES  # noqa: F401 - re-exported; the parser takes it from there

if TYPE_CHECKING:
    from ..service import Workspace

VIETNAM = dt.timezone(dt.timedelta(hours=7), "+07:00")  # Asia/Ho_Chi_Minh: no daylight saving time
CYCLE_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Sau hạn",
    "received": "Đã nhận",
    "held": "Có bản giữ lại",
    "refused": "Tệp bị từ chối",
    "missing": "Chưa nộp",
}
CYCLE_LABELS_EN = {
    "on_time": "On time",
    "late": "Late",
    "received": "Received",
    "held": "Revision held",
    "refused": "File refused",
    "missing": "Missing",
}


# -- the deadline ---------------------------------------------------------------------------------------


def deadline_end(deadline: dt.date) -> dt.datetime:
    """The first moment after the deadline: 00:00:00 +07:00 of the next day."""
    return dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(0, 0), tzinfo=VIETNAM)


def deadline_moment(deadline: dt.date) -> dt.datetime:
    """The deadline as people state it: 23:59:59 +07:00 of that day."""
    return dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=VIETNAM)


def is_on_time(moment: dt.datetime, deadline: dt.date) -> bool:
    """Whether ``moment`` (time-zone aware; a naive one is taken as UTC) falls on or before the deadline day."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment < deadline_end(deadline)


def local(moment: dt.datetime) -> dt.datetime:
    """A stored moment in Vietnam's time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM)


def vn_datetime(moment: dt.datetime | None) -> str:
    """``05/01/2026 16:30`` (Vietnam's time), or an empty string."""
    return "" if moment is None else local(moment).strftime("%d/%m/%Y %H:%M")


def vn_date(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def days_late(moment: dt.datetime, deadline: dt.date) -> int:
    """Whole days after the deadline day (1: the day after), 0 when on time."""
    return max(0, (local(moment).date() - deadline).days)


def parse_date(text: str) -> dt.date:
    """``05/01/2026`` (also ``2026-01-05``) -> a date; :class:`StoreError` naming the text otherwise."""
    value = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise StoreError("E-PERIOD-DEADLINE", f"Ngày «{text}» không hợp lệ; ghi dạng ngày/tháng/năm, ví dụ 05/01/2026.")


# -- one submission -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionTime:
    """When one finalized revision was completed and received."""

    assessment_id: str
    revision: int
    finalized_at: dt.datetime | None
    received_at: dt.datetime | None
    signed_at: dt.datetime | None = None  # of a valid signature only
    signature: str | None = None  # valid / unsigned / invalid (imported files); None: made here
    record: SubmissionRecord | None = field(default=None, repr=False, compare=False)

    @property
    def completed_at(self) -> dt.datetime | None:
        """The signing time where validly signed, otherwise the finalization time."""
        return self.signed_at or self.finalized_at

    def on_time(self, deadline: dt.date | None) -> bool | None:
        """None without a deadline (or without the times to judge)."""
        if deadline is None:
            return None
        moments = [m for m in (self.completed_at, self.received_at) if m is not None]
        if not moments:
            return None
        return all(is_on_time(moment, deadline) for moment in moments)

    def late_by(self, deadline: dt.date | None) -> int:
        """Days after the deadline (of the later of completion and receipt); 0 when on time."""
        if deadline is None:
            return 0
        moments = [m for m in (self.completed_at, self.received_at) if m is not None]
        return max((days_late(m, deadline) for m in moments), default=0)

    def to_dict(self, deadline: dt.date | None = None) -> dict[str, Any]:
        return {"revision": self.revision, "assessment": self.assessment_id,
                "finalized_at": _iso(self.finalized_at), "signed_at": _iso(self.signed_at),
                "completed_at": _iso(self.completed_at), "received_at": _iso(self.received_at),
                "signature": self.signature, "on_time": self.on_time(deadline),
                "days_late": self.late_by(deadline) if deadline else None}


def _iso(moment: dt.datetime | None) -> str | None:
    return local(moment).isoformat() if moment is not None else None


def submission_time(record: SubmissionRecord, signature: Any = None) -> SubmissionTime:
    """From the store's record and its signature outcome (``SignatureInfo`` or None)."""
    status = getattr(signature, "status", None)
    signed_at = getattr(signature, "signed_at", None) if status == "valid" else None
    received = record.imported_at if record.origin == "import" and record.imported_at else record.finalized_at
    return SubmissionTime(record.assessment_id, record.revision, record.finalized_at, received, signed_at,
                          status, record)


# -- one commune ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneCycle:
    """Where a commune stands in the period's cycle."""

    state: str  # one of CYCLE_STATES
    deadline: dt.date | None
    first: SubmissionTime | None = None  # the first finalized revision: it decides on time or late
    latest: SubmissionTime | None = None  # the newest finalized revision (the one in use)
    refused: tuple[RejectedFile, ...] = ()  # files refused for it (shown when nothing was accepted)
    held: int = 0  # revisions held, waiting for the department

    @property
    def received(self) -> bool:
        return self.first is not None

    @property
    def timeliness(self) -> str | None:
        """``on_time`` / ``late``; None when nothing was received or the period has no deadline."""
        if self.first is None:
            return None
        on_time = self.first.on_time(self.deadline)
        return None if on_time is None else ("on_time" if on_time else "late")

    @property
    def label(self) -> str:
        return CYCLE_LABELS[self.state]

    @property
    def days_late(self) -> int:
        return self.first.late_by(self.deadline) if self.first is not None else 0

    def describe(self) -> str:
        """One line: «Đúng hạn, nhận 04/01/2026 16:30», «Sau hạn 3 ngày, nhận 08/01/2026 09:12», «Tệp bị
        từ chối 06/01/2026: …», «Chưa nộp»."""
        parts: list[str] = []
        if self.first is not None:
            lead = {"on_time": "Đúng hạn", "late": f"Sau hạn {self.days_late} ngày" if self.days_late else "Sau hạn",
                    None: "Đã nhận"}[self.timeliness]
            parts.append(f"{lead}, nhận {vn_datetime(self.first.received_at)}")
            if self.latest is not None and self.latest.revision != self.first.revision:
                parts.append(f"bản sửa lần {self.latest.revision} nhận {vn_datetime(self.latest.received_at)}")
            if self.held:
                parts.append("có bản mới bị giữ lại, chờ Sở quyết định")
        elif self.refused:
            last = self.refused[-1]
            reason = f": {last.message}" if last.message else ""
            parts.append(f"Tệp «{last.file_name}» bị từ chối ngày {vn_datetime(last.at)}{reason}")
        else:
            parts.append("Chưa nộp")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state, "label": self.label, "timeliness": self.timeliness,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_late": self.days_late if self.timeliness == "late" else None,
            "first": self.first.to_dict(self.deadline) if self.first else None,
            "latest": self.latest.to_dict(self.deadline) if self.latest else None,
            "held": self.held,
            "refused": [{"file": r.file_name, "sha256": r.sha256, "at": _iso(r.at), "code": r.code,
                         "message": r.message} for r in self.refused],
        }


def commune_cycle(deadline: dt.date | None, times: list[SubmissionTime], refused: list[RejectedFile],
                  held: int = 0) -> CommuneCycle:
    """The state of one commune from its finalized revisions (any order), its refused files and held ones."""
    ordered = sorted(times, key=lambda t: t.revision)
    first = ordered[0] if ordered else None
    latest = ordered[-1] if ordered else None
    refused_files = tuple(refused)
    if first is None:
        state = "refused" if refused_files else "missing"
        return CommuneCycle(state, deadline, None, None, refused_files, held)
    on_time = first.on_time(deadline)
    if held:
        state = "held"
    elif on_time is None:
        state = "received"
    else:
        state = "on_time" if on_time else "late"
    return CommuneCycle(state, deadline, first, latest, (), held)


# -- the totals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleSummary:
    """Expected, actual and on-time reports of a scope (DHIS2's reporting rates)."""

    period: str
    deadline: dt.date | None
    expected: int
    received: int
    on_time: int
    late: int
    held: int
    refused: int
    missing: int  # nothing accepted (refused ones included)

    @property
    def reporting_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Reports on time ÷ expected reports; None without a deadline."""
        if self.deadline is None or not self.expected:
            return None
        return self.on_time / self.expected

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and dt.datetime.now(VIETNAM) >= deadline_end(self.deadline)

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "deadline": self.deadline.isoformat() if self.deadline else None,
                "deadline_text": vn_date(self.deadline) or None,
                "expected": self.expected, "received": self.received,
                "reporting_rate": _round(self.reporting_rate), "on_time": self.on_time, "late": self.late,
                "on_time_rate": _round(self.on_time_rate), "held": self.held, "refused": self.refused,
                "missing": self.missing}

    def status_line(self) -> str:
        """«Phải nộp: 96; đã nhận: 50 (52,1%); hạn nộp 05/01/2026: đúng hạn 41 (42,7%), sau hạn 9.»"""
        text = f"Phải nộp: {self.expected}; đã nhận: {self.received} ({_pct(self.reporting_rate)})"
        if self.deadline is None:
            return text + "; kỳ này chưa đặt hạn nộp (readiness period set)."
        text += f"; hạn nộp {vn_date(self.deadline)}"
        if self.received:
            text += f": đúng hạn {self.on_time} ({_pct(self.on_time_rate)}), sau hạn {self.late}"
        return text + "."

    def sentence(self) -> str:
        """«Hạn nộp 05/01/2026: đã nhận 50/96 (52,1%); đúng hạn 41 (42,7%), sau hạn 9; chưa nộp 46.»"""
        pct = _pct

        lead = f"Hạn nộp {vn_date(self.deadline)}" if self.deadline else "Kỳ này chưa đặt hạn nộp"
        text = f"{lead}: đã nhận {self.received}/{self.expected} ({pct(self.reporting_rate)})"
        if self.deadline is not None and self.received:
            parts = [f"đúng hạn {self.on_time} ({pct(self.on_time_rate)})"]
            if self.late:
                parts.append(f"sau hạn {self.late}")
            text += "; " + ", ".join(parts)
        rest = []
        if self.missing:
            rest.append(f"chưa nộp {self.missing}"
                        + (f" (trong đó {self.refused} đơn vị có tệp bị từ chối)" if self.refused else ""))
        if self.held:
            rest.append(f"{self.held} đơn vị có bản nộp mới bị giữ lại")
        if rest:
            text += "; " + "; ".join(rest)
        return text + "."


def _pct(value: float | None) -> str:
    """``42,7%`` (decimal comma), ``—`` for no value."""
    from ..answers import format_number

    return "—" if value is None else f"{format_number(round(value * 100, 1))}%"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summarize(period: str, deadline: dt.date | None, cycles: list[CommuneCycle]) -> CycleSummary:
    received = [c for c in cycles if c.received]
    return CycleSummary(
        period=period, deadline=deadline, expected=len(cycles), received=len(received),
        on_time=sum(1 for c in received if c.timeliness == "on_time"),
        late=sum(1 for c in received if c.timeliness == "late"),
        held=sum(1 for c in cycles if c.state == "held"), refused=sum(1 for c in cycles if c.state == "refused"),
        missing=len(cycles) - len(received))


# -- reading the database -------------------------------------------------------------------------------


def period_deadline(workspace: Workspace, period: str) -> dt.date | None:
    from ..store.cycle import period_record

    record = period_record(workspace.store, period)
    return record.deadline if record else None


def cycles_for(workspace: Workspace, period: str, codes: list[str], held: dict[str, int] | None = None,
               deadline: dt.date | None | bool = False) -> dict[str, CommuneCycle]:
    """Code -> the commune's cycle state for ``period`` (``deadline``: the period's unless given)."""
    from ..signing.records import signature_statuses
    from ..store.cycle import rejected_files, submissions

    period = validate_period(period)
    if deadline is False:
        deadline = period_deadline(workspace, period)
    assert deadline is not True  # a date, None (no deadline) or False (the period's): never True
    records = submissions(workspace.store, period, codes)
    signatures = signature_statuses(workspace.store, [r.assessment_id for r in records if r.origin == "import"])
    by_commune: dict[str, list[SubmissionTime]] = {}
    for record in records:
        by_commune.setdefault(record.commune_code, []).append(
            submission_time(record, signatures.get(record.assessment_id)))
    refused = rejected_files(workspace.store, period)
    held = held or {}
    return {code: commune_cycle(deadline, by_commune.get(code, []), refused.get(code, []), held.get(code, 0))
            for code in codes}


@dataclass(frozen=True)
class PeriodInfo:
    """A period as ``readiness period list`` shows it."""

    period: str
    deadline: dt.date | None
    has_data: bool
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "label": period_label(self.period),
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "deadline_text": vn_date(self.deadline) or None, "has_data": self.has_data,
                "updated_at": _iso(self.updated_at), "updated_by": self.updated_by}


def list_periods(workspace: Workspace) -> list[PeriodInfo]:
    """Every period set up or holding assessments, newest first."""
    from ..store.cycle import assessment_periods, period_records

    records = period_records(workspace.store)
    with_data = assessment_periods(workspace.store)
    out = []
    for period in sorted(set(records) | with_data, reverse=True):
        record: PeriodRecord | None = records.get(period)
        out.append(PeriodInfo(period, record.deadline if record else None, period in with_data,
                              record.updated_at if record else None, record.updated_by if record else None))
    return out


def set_deadline(workspace: Workspace, period: str, deadline: dt.date | None, *, user: str | None = None
                 ) -> PeriodInfo:
    """Set or clear a period's deadline (one transaction); a deadline before the period began is refused."""
    from ..store.cycle import assessment_periods, check_deadline_period, set_period_deadline

    period = validate_period(period)
    if deadline is not None:
        check_deadline_period(period, deadline)
    record = set_period_deadline(workspace.store, period, deadline, user=user or _user())
    return PeriodInfo(period, record.deadline, period in assessment_periods(workspace.store), record.updated_at,
                      record.updated_by)


def _user() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this system
        return None


__all__ = ["CYCLE_LABELS", "CYCLE_LABELS_EN", "CYCLE_STATES", "CommuneCycle", "CycleSummary", "PeriodInfo",
           "SubmissionTime", "VIETNAM", "commune_cycle", "cycles_for", "days_late", "deadline_end",
           "deadline_moment", "is_on_time", "list_periods", "local", "parse_date", "period_deadline", "set_deadline",
           "submission_time", "summarize", "vn_date", "vn_datetime"]
