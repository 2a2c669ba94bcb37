"""Writing imported assessments and the import log (functions over a :class:`~readiness.store.db.Store`).

One file, one transaction.  The decision (imported / updated / duplicate / refused as older or
conflicting) is taken inside the transaction that writes, so two processes importing the same
files at once cannot both insert: SQLite serialises writers (the transaction's first statement is a
write, so it takes the write lock before it reads, and waits for it rather than failing), and on
PostgreSQL an advisory lock per commune and period does the same; the unique constraints catch
anything else, and an :class:`IntegrityError` is re-checked as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..text import fold
from .db import Store, period_label
from .models import AnswerRow, AssessmentRow, ImportLogRow, PetitionRow, TableRowRow, utcnow

OUTCOMES = ("imported", "updated", "duplicate", "rejected", "skipped")


@dataclass
class IncomingAssessment:
    """An assessment read from a workbook, checked, in the form the tables store."""

    id: str
    commune_code: str
    period: str
    revision: int | None  # None: a filled template, placed after the current revision
    status: str  # draft | finalized
    checklist_id: str
    checklist_version: int
    checklist_hash: str
    answers_sha256: str
    data_sha256: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    finalized_at: dt.datetime | None = None
    score: float | None = None
    level: str | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)  # {item_id, value, source, meta}
    rows: list[dict[str, Any]] = field(default_factory=list)  # {item_id, position, values, source, meta}
    petitions: list[dict[str, Any]] = field(default_factory=list)  # {topic, difficulty, proposal, addressed_to}


@dataclass
class LogEntry:
    """What the import log records about one file, whatever came of it."""

    file_name: str
    path: str
    sha256: str | None = None
    size: int | None = None
    user_name: str | None = None
    commune_code: str | None = None
    period: str | None = None
    revision: int | None = None
    assessment_id: str | None = None


@dataclass
class StoreOutcome:
    status: str  # imported | updated | duplicate | rejected
    assessment_id: str | None = None
    log_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)  # {code, sheet, cell, message}
    revision: int | None = None  # as stored (a filled template gets the next revision)


def _error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "sheet": None, "cell": None, "message": message}


class _Refused(Exception):
    def __init__(self, error: dict[str, Any]):
        self.error = error
        super().__init__(error["message"])


# -- the log ----------------------------------------------------------------------------------------------


def _log_values(entry: LogEntry, outcome: str, errors: Iterable[dict] | None, warnings: Iterable[dict] | None,
                now: dt.datetime) -> dict[str, Any]:
    return dict(
        file_name=entry.file_name[:255], path=entry.path, sha256=entry.sha256, size=entry.size, imported_at=now,
        user_name=(entry.user_name or "")[:200] or None, outcome=outcome,
        commune_code=(entry.commune_code or "")[:16] or None, period=(entry.period or "")[:16] or None,
        revision=entry.revision, assessment_id=(entry.assessment_id or "")[:64] or None,
        errors=list(errors) if errors else None, warnings=list(warnings) if warnings else None,
    )


def log_import(store: Store, entry: LogEntry, outcome: str, errors: Iterable[dict] | None = None,
               warnings: Iterable[dict] | None = None) -> int:
    """Record a file that wrote nothing else (rejected, skipped) in its own transaction."""
    with store.transaction() as session:
        return session.connection().execute(_LOG_INSERT, _log_values(entry, outcome, errors, warnings,
                                                                     utcnow())).scalar_one()


def import_log(store: Store, *, sha256: str | None = None, commune_code: str | None = None,
               limit: int | None = None) -> list[ImportLogRow]:
    """The import log, newest first."""
    with store.transaction() as session:
        query = select(ImportLogRow)
        if sha256:
            query = query.where(ImportLogRow.sha256 == sha256)
        if commune_code:
            query = query.where(ImportLogRow.commune_code == commune_code)
        query = query.order_by(ImportLogRow.id.desc())
        if limit:
            query = query.limit(limit)
        return list(session.scalars(query))


# -- one assessment ---------------------------------------------------------------------------------------


def store_assessment(store: Store, incoming: IncomingAssessment, entry: LogEntry,
                     warnings: Iterable[dict] | None = None,
                     also: Callable[[Session, StoreOutcome], None] | None = None) -> StoreOutcome:
    """Write one checked assessment and its log line in one transaction (see the module docstring).

    ``also(session, outcome)`` runs inside that same transaction once the outcome is known (not for a
    refused file): whatever else belongs with the assessment (a signature record) commits or rolls
    back with it.
    """
    warnings = list(warnings or ())
    try:
        return _store_once(store, replace(incoming), entry, warnings, also)
    except _Refused as refused:
        log_id = log_import(store, entry, "rejected", [refused.error], warnings)
        return StoreOutcome("rejected", None, log_id, [refused.error])
    except IntegrityError:
        # Another process inserted the same revision (or the same UUID) between our check and our insert.
        try:
            return _store_once(store, replace(incoming), entry, warnings, also)
        except _Refused as refused:
            log_id = log_import(store, entry, "rejected", [refused.error], warnings)
            return StoreOutcome("rejected", None, log_id, [refused.error])


def _lock(session: Session, store: Store, incoming: IncomingAssessment) -> None:
    if store.engine.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"{incoming.commune_code}/{incoming.period}".encode()).digest()[:8],
                             "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif store.engine.dialect.name == "sqlite":
        # Wait for other writers (another `readiness import`) instead of failing with "database is locked".
        session.connection().exec_driver_sql("PRAGMA busy_timeout=60000")


def _store_once(store: Store, incoming: IncomingAssessment, entry: LogEntry, warnings: list[dict],
                also: Callable[[Session, StoreOutcome], None] | None = None) -> StoreOutcome:
    now = utcnow()
    with store.transaction() as session:
        _lock(session, store, incoming)
        # The first statement writes: SQLite takes its write lock here, before anything is read.
        # Core statements built once, on the session's connection: a file writes ~10 of them, for
        # thousands of files (the ORM's per-statement work was most of an import's writing time).
        connection = session.connection()
        log_id = connection.execute(_LOG_INSERT, _log_values(entry, "pending", None, warnings, now)).scalar_one()
        status, existing_id, existing_revision = _decide(connection, incoming)
        if status == "duplicate":
            connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": "duplicate", "assessment_id": existing_id,
                                              "revision": existing_revision})
            outcome = StoreOutcome("duplicate", existing_id, log_id, revision=existing_revision)
            if also is not None:
                also(session, outcome)
            return outcome
        if status == "replace":
            _replace(connection, incoming, now, log_id)
            status = "updated"
        else:
            connection.execute(_ASSESSMENT_INSERT, {"id": incoming.id, **_assessment_values(incoming, now, log_id)})
            _insert_answers(connection, incoming, now)
        if incoming.status == "finalized" and incoming.petitions:
            _petitions(connection, incoming, now)
        connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": status, "revision": incoming.revision,
                                          "assessment_id": incoming.id})
        outcome = StoreOutcome(status, incoming.id, log_id, revision=incoming.revision)
        if also is not None:
            also(session, outcome)
        return outcome


_LOG = ImportLogRow.__table__
_ASSESSMENTS = AssessmentRow.__table__
_PETITIONS = PetitionRow.__table__
_LOG_INSERT = insert(_LOG).returning(_LOG.c.id)
_LOG_OUTCOME = (update(_LOG).where(_LOG.c.id == bindparam("log_id"))
                .values(outcome=bindparam("outcome"), assessment_id=bindparam("assessment_id"),
                        revision=bindparam("revision")))
_ASSESSMENT_INSERT = insert(_ASSESSMENTS)
_STORED = (_ASSESSMENTS.c.id, _ASSESSMENTS.c.commune_code, _ASSESSMENTS.c.period, _ASSESSMENTS.c.revision,
           _ASSESSMENTS.c.status, _ASSESSMENTS.c.answers_sha256)
_BY_ID = select(*_STORED).where(_ASSESSMENTS.c.id == bindparam("id"))
_REVISIONS = (select(*_STORED).where(_ASSESSMENTS.c.commune_code == bindparam("commune_code"),
                                     _ASSESSMENTS.c.period == bindparam("period"))
              .order_by(_ASSESSMENTS.c.revision.desc()))
_TRACKED = (select(_PETITIONS.c.id, _PETITIONS.c.topic, _PETITIONS.c.difficulty, _PETITIONS.c.proposal,
                   _PETITIONS.c.addressed_to)
            .where(_PETITIONS.c.commune_code == bindparam("commune_code"), _PETITIONS.c.period == bindparam("period"))
            .order_by(_PETITIONS.c.id))
_PETITION_MOVE = (update(_PETITIONS).where(_PETITIONS.c.id == bindparam("petition_id"))
                  .values(assessment_id=bindparam("assessment_id"), position=bindparam("position"),
                          addressed_to=bindparam("addressed_to")))
_PETITION_INSERT = insert(_PETITIONS)


def _decide(connection: Any, incoming: IncomingAssessment) -> tuple[str, str | None, int | None]:
    """``imported`` / ``updated`` / ``duplicate`` / ``replace`` (a draft of the same revision now finalized)
    with the id and revision of the stored assessment it matches, or raise :class:`_Refused` (older, conflict)."""
    same_id = connection.execute(_BY_ID, {"id": incoming.id}).first()
    if same_id is not None and (same_id.commune_code, same_id.period, same_id.revision) != (
            incoming.commune_code, incoming.period, incoming.revision):
        raise _Refused(_error("E-IMPORT-CONFLICT", f"Mã bản đánh giá {incoming.id} đã có trong cơ sở dữ liệu cho "
                              f"xã {same_id.commune_code}, kỳ {period_label(same_id.period)}, lần {same_id.revision}: "
                              "tệp này không khớp với bản đó."))
    revisions = connection.execute(_REVISIONS, {"commune_code": incoming.commune_code,
                                                "period": incoming.period}).all()
    current = revisions[0] if revisions else None
    if incoming.revision is None:  # a filled template: the next revision, unless it holds what is current
        if current is not None and current.answers_sha256 == incoming.answers_sha256 and current.status == incoming.status:
            return "duplicate", current.id, current.revision
        incoming.revision = current.revision + 1 if current is not None else 1
        return ("updated" if current is not None else "imported"), None, None
    if current is None:
        return "imported", None, None
    same_revision = next((row for row in revisions if row.revision == incoming.revision), None)
    label = f"kỳ {period_label(incoming.period)}"
    if same_revision is not None:
        same_content = same_revision.answers_sha256 == incoming.answers_sha256
        if same_content and same_revision.status == incoming.status:
            return "duplicate", same_revision.id, same_revision.revision
        if same_revision.status == "draft" and incoming.status == "finalized" and same_revision.id == incoming.id:
            return "replace", same_revision.id, same_revision.revision
        if same_revision.status == "finalized" and incoming.status == "draft":
            raise _Refused(_error("E-IMPORT-OLDER", f"Tệp là bản nháp lần {incoming.revision} ({label}), nhưng lần "
                                  f"{same_revision.revision} đã được nhập ở trạng thái đã hoàn thành; bản nháp không ghi "
                                  "đè bản đã hoàn thành."))
        raise _Refused(_error("E-IMPORT-CONFLICT", f"Lần sửa {incoming.revision} ({label}) đã được nhập với nội dung "
                              "khác tệp này. Hỏi xã tệp nào là bản đúng; xã chọn «Mở lại để sửa» để tạo lần sửa mới rồi "
                              "xuất và gửi lại."))
    if incoming.revision < current.revision:
        raise _Refused(_error("E-IMPORT-OLDER", f"Tệp là lần sửa {incoming.revision} ({label}), cũ hơn lần "
                              f"{current.revision} đã nhập; bản cũ không ghi đè bản mới."))
    return "updated", None, None


def _assessment_values(incoming: IncomingAssessment, now: dt.datetime, log_id: int) -> dict[str, Any]:
    finalized = incoming.status == "finalized"
    return dict(
        commune_code=incoming.commune_code, period=incoming.period, revision=incoming.revision, status=incoming.status,
        checklist_id=incoming.checklist_id, checklist_version=incoming.checklist_version,
        checklist_hash=incoming.checklist_hash, created_at=incoming.created_at or now,
        updated_at=incoming.updated_at or incoming.created_at or now,
        finalized_at=(incoming.finalized_at or now) if finalized else None,
        score=round(incoming.score, 2) if finalized and incoming.score is not None else None,
        level=incoming.level if finalized else None, origin="import", answers_sha256=incoming.answers_sha256,
        data_sha256=incoming.data_sha256, imported_at=now, import_id=log_id,
    )


def _replace(connection: Any, incoming: IncomingAssessment, now: dt.datetime, log_id: int) -> None:
    connection.execute(delete(AnswerRow.__table__).where(AnswerRow.__table__.c.assessment_id == incoming.id))
    connection.execute(delete(TableRowRow.__table__).where(TableRowRow.__table__.c.assessment_id == incoming.id))
    values = _assessment_values(incoming, now, log_id)
    connection.execute(update(_ASSESSMENTS).where(_ASSESSMENTS.c.id == incoming.id).values(**values))
    _insert_answers(connection, incoming, now)


def _insert_answers(connection: Any, incoming: IncomingAssessment, now: dt.datetime) -> None:
    # Core executemany (not the ORM's bulk path): the rows are plain values, checked already.
    if incoming.answers:
        connection.execute(AnswerRow.__table__.insert(), [
            {"assessment_id": incoming.id, "item_id": a["item_id"], "value": a["value"], "source": a.get("source") or "import",
             "meta": a.get("meta"), "updated_at": now} for a in incoming.answers])
    if incoming.rows:
        connection.execute(TableRowRow.__table__.insert(), [
            {"assessment_id": incoming.id, "item_id": r["item_id"], "position": r["position"], "values": r["values"],
             "source": r.get("source") or "import", "meta": r.get("meta"), "updated_at": now} for r in incoming.rows])


def _petition_key(topic: Any, difficulty: Any, proposal: Any) -> tuple[str, str, str]:
    return tuple(" ".join(fold(str(v or "")).split()) for v in (topic, difficulty, proposal))  # type: ignore[return-value]


def _petitions(connection: Any, incoming: IncomingAssessment, now: dt.datetime) -> None:
    """The petitions of a finalized assessment become trackable, once.

    A petition already tracked for this commune and period (the same topic, difficulty and
    proposal, from an earlier revision) moves to the new revision with its handling status, so
    a resubmission does not duplicate it; new ones are added as ``new``.
    """
    tracked: dict[tuple[str, str, str], list[Any]] = {}
    for row in connection.execute(_TRACKED, {"commune_code": incoming.commune_code, "period": incoming.period}):
        tracked.setdefault(_petition_key(row.topic, row.difficulty, row.proposal), []).append(row)
    added: list[dict[str, Any]] = []
    for position, petition in enumerate(incoming.petitions):
        key = _petition_key(petition.get("topic"), petition.get("difficulty"), petition.get("proposal"))
        same = tracked.get(key)
        if same:
            row = same.pop(0)
            connection.execute(_PETITION_MOVE, {"petition_id": row.id, "assessment_id": incoming.id, "position": position,
                                                "addressed_to": petition.get("addressed_to") or row.addressed_to})
            continue
        added.append(dict(
            assessment_id=incoming.id, commune_code=incoming.commune_code, period=incoming.period, position=position,
            topic=petition.get("topic"), difficulty=petition.get("difficulty"), proposal=petition.get("proposal"),
            addressed_to=petition.get("addressed_to"), status="new", updated_at=now,
        ))
    if added:
        connection.execute(_PETITION_INSERT, added)
