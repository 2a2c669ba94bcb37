"""The reporting cycle's queries (functions over a :class:`~readiness.store.db.Store`; the Store's
methods of the same names call them).

- the department's periods and their deadlines (``reporting_periods``);
- when each accepted revision of a period was finalized and received, and from which file
  (``assessments`` with their ``import_log`` line);
- the files of a period that were refused (``import_log``, outcome ``rejected``), by the commune they
  claimed to be from;
- each commune's contact: the respondent of its latest finalized assessment, in any period;
- the commune's own record of the files it exported and signed (``exports``).

Every function is one read or one transaction; rows come back as plain frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import and_, select

from .db import StoreError, validate_period
from .models import AnswerRow, AssessmentRow, ExportRow, ImportLogRow, ReportingPeriodRow, utcnow
from .queries import export_values

if TYPE_CHECKING:
    from .db import Store

CONTACT_ITEMS = ("respondent_name", "respondent_position", "respondent_phone", "respondent_email")
CHUNK = 500


@overload
def _aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def _aware(moment: None) -> None: ...
@overload
def _aware(moment: dt.datetime | None) -> dt.datetime | None: ...
def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite keeps no time zone: what we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


# -- periods --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRecord:
    """A period the department set up (``deadline`` None: set up without a deadline, or cleared)."""

    period: str
    deadline: dt.date | None
    updated_at: dt.datetime | None
    updated_by: str | None


def period_records(store: Store) -> dict[str, PeriodRecord]:
    """Every period with a row, period -> record."""
    with store.transaction() as session:
        return {row.period: PeriodRecord(row.period, row.deadline, _aware(row.updated_at), row.updated_by)
                for row in session.scalars(select(ReportingPeriodRow))}


def period_record(store: Store, period: str) -> PeriodRecord | None:
    period = validate_period(period)
    with store.transaction() as session:
        row = session.get(ReportingPeriodRow, period)
        return PeriodRecord(row.period, row.deadline, _aware(row.updated_at), row.updated_by) if row else None


def set_period_deadline(store: Store, period: str, deadline: dt.date | None, *, user: str | None = None
                        ) -> PeriodRecord:
    """Set (or, with ``None``, clear) the deadline of ``period``, in one transaction."""
    period = validate_period(period)
    now = utcnow()
    with store.transaction() as session:
        row = session.get(ReportingPeriodRow, period)
        if row is None:
            row = ReportingPeriodRow(period=period)
            session.add(row)
        row.deadline = deadline
        row.updated_at = now
        row.updated_by = (user or "")[:200] or None
        session.flush()
        return PeriodRecord(row.period, row.deadline, now, row.updated_by)


def assessment_periods(store: Store) -> set[str]:
    """The periods that hold any assessment."""
    with store.transaction() as session:
        return set(session.scalars(select(AssessmentRow.period).distinct()))


# -- submissions of a period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionRecord:
    """One finalized revision of a period as the database holds it, with the file it came in."""

    assessment_id: str
    commune_code: str
    period: str
    revision: int
    status: str
    origin: str  # import / local
    finalized_at: dt.datetime | None
    imported_at: dt.datetime | None  # when the department stored it (None: made here)
    score: float | None
    level: str | None
    checklist_id: str
    checklist_version: int
    data_sha256: str | None
    answers_sha256: str | None
    import_id: int | None
    file_name: str | None  # the import log's line for it
    file_sha256: str | None
    file_size: int | None
    imported_by: str | None


def submissions(store: Store, period: str, codes: Iterable[str] | None = None) -> list[SubmissionRecord]:
    """Every finalized revision of ``period`` (of the communes ``codes``, or all), oldest revision first."""
    period = validate_period(period)
    query = (select(AssessmentRow, ImportLogRow)
             .outerjoin(ImportLogRow, ImportLogRow.id == AssessmentRow.import_id)
             .where(AssessmentRow.period == period, AssessmentRow.status != "draft")
             .order_by(AssessmentRow.commune_code, AssessmentRow.revision))
    out: list[SubmissionRecord] = []
    with store.transaction() as session:
        if codes is None:
            batches: list[Any] = [query]
        else:
            batches = [query.where(AssessmentRow.commune_code.in_(chunk)) for chunk in _chunks(codes)]
        for batch in batches:
            for row, log in session.execute(batch):
                out.append(SubmissionRecord(
                    assessment_id=row.id, commune_code=row.commune_code, period=row.period, revision=row.revision,
                    status=row.status, origin=row.origin, finalized_at=_aware(row.finalized_at),
                    imported_at=_aware(row.imported_at), score=row.score, level=row.level,
                    checklist_id=row.checklist_id, checklist_version=row.checklist_version,
                    data_sha256=row.data_sha256, answers_sha256=row.answers_sha256, import_id=row.import_id,
                    file_name=log.file_name if log is not None else None,
                    file_sha256=log.sha256 if log is not None else None,
                    file_size=log.size if log is not None else None,
                    imported_by=log.user_name if log is not None else None))
    out.sort(key=lambda s: (s.commune_code, s.revision))
    return out


@dataclass(frozen=True)
class RejectedFile:
    """A file refused for a period, by the commune it claimed to be from."""

    log_id: int
    commune_code: str
    period: str
    revision: int | None
    file_name: str
    sha256: str | None
    at: dt.datetime
    code: str | None  # the first reason's
    message: str | None


def rejected_files(store: Store, period: str) -> dict[str, list[RejectedFile]]:
    """Commune code -> the files of ``period`` refused for it, oldest first."""
    period = validate_period(period)
    out: dict[str, list[RejectedFile]] = {}
    with store.transaction() as session:
        rows = session.scalars(select(ImportLogRow)
                               .where(ImportLogRow.period == period, ImportLogRow.outcome == "rejected",
                                      ImportLogRow.commune_code.is_not(None))
                               .order_by(ImportLogRow.id))
        for row in rows:
            if row.commune_code is None:  # left out by the query
                continue
            first = (row.errors or [{}])[0] if isinstance(row.errors, list) and row.errors else {}
            out.setdefault(row.commune_code, []).append(RejectedFile(
                log_id=row.id, commune_code=row.commune_code, period=period, revision=row.revision,
                file_name=row.file_name, sha256=row.sha256, at=_aware(row.imported_at),
                code=first.get("code") if isinstance(first, dict) else None,
                message=first.get("message") if isinstance(first, dict) else None))
    return out


# -- contacts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRecord:
    """Who answered for a commune last: from its latest finalized assessment, in any period."""

    commune_code: str
    period: str
    revision: int
    assessment_id: str
    values: dict[str, Any]  # item id -> stored value (text items: the string)


def latest_contacts(store: Store, codes: Iterable[str]) -> dict[str, ContactRecord]:
    """Commune code -> the respondent items of its newest finalized assessment that has any of them."""
    found: dict[str, ContactRecord] = {}
    with store.transaction() as session:
        for chunk in _chunks(codes):
            query = (select(AssessmentRow.id, AssessmentRow.commune_code, AssessmentRow.period,
                            AssessmentRow.revision, AnswerRow.item_id, AnswerRow.value)
                     .join(AnswerRow, and_(AnswerRow.assessment_id == AssessmentRow.id,
                                           AnswerRow.item_id.in_(CONTACT_ITEMS)))
                     .where(AssessmentRow.commune_code.in_(chunk), AssessmentRow.status != "draft")
                     .order_by(AssessmentRow.commune_code, AssessmentRow.period.desc(), AssessmentRow.revision.desc()))
            for assessment_id, code, period, revision, item_id, value in session.execute(query):
                current = found.get(code)
                if current is None:
                    current = found[code] = ContactRecord(code, period, revision, assessment_id, {})
                if current.assessment_id == assessment_id:
                    current.values[item_id] = value
    return found


# -- the commune's exports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    id: int
    assessment_id: str
    commune_code: str
    period: str
    revision: int
    status: str
    kind: str
    action: str
    file_name: str
    path: str
    sha256: str
    size: int
    data_sha256: str | None
    made_at: dt.datetime


def _export(row: ExportRow) -> ExportRecord:
    return ExportRecord(row.id, row.assessment_id, row.commune_code, row.period, row.revision, row.status, row.kind,
                        row.action, row.file_name, row.path, row.sha256, row.size, row.data_sha256,
                        _aware(row.made_at))


def record_exports(store: Store, entries: Iterable[Mapping[str, Any]]) -> list[ExportRecord]:
    """Remember files just written (one transaction): each entry names ``assessment_id``,
    ``commune_code``, ``period``, ``revision``, ``status``, ``kind``, ``action``, ``path``, ``sha256``,
    ``size`` and optionally ``data_sha256`` (the record: :func:`readiness.store.queries.export_values`,
    which :class:`~readiness.store.light.LightStore` writes too)."""
    now = utcnow()
    rows: list[ExportRow] = []
    with store.transaction() as session:
        for entry in entries:
            row = ExportRow(**export_values(entry, now))
            session.add(row)
            rows.append(row)
        session.flush()
        return [_export(row) for row in rows]


def exports(store: Store, *, commune_code: str | None = None, period: str | None = None,
            sha256: str | None = None) -> list[ExportRecord]:
    """The files recorded, newest first."""
    query = select(ExportRow)
    if commune_code:
        query = query.where(ExportRow.commune_code == commune_code)
    if period:
        query = query.where(ExportRow.period == validate_period(period))
    if sha256:
        query = query.where(ExportRow.sha256 == sha256.lower())
    with store.transaction() as session:
        return [_export(row) for row in session.scalars(query.order_by(ExportRow.id.desc()))]


def check_deadline_period(period: str, deadline: dt.date) -> None:
    """A deadline before the period has even begun is a typing error (05/01/2025 for 12/2025)."""
    start = dt.date(int(period[:4]), int(period[5:]), 1)
    if deadline < start:
        raise StoreError("E-PERIOD-DEADLINE", f"Hạn nộp {deadline:%d/%m/%Y} trước ngày đầu kỳ "
                         f"{period[5:]}/{period[:4]} ({start:%d/%m/%Y}); kiểm tra lại năm của hạn nộp.")


__all__ = ["CONTACT_ITEMS", "ContactRecord", "ExportRecord", "PeriodRecord", "RejectedFile", "SubmissionRecord",
           "assessment_periods", "check_deadline_period", "exports", "latest_contacts",
           "period_record", "period_records", "record_exports", "rejected_files", "set_period_deadline",
           "submissions"]
