"""Writing imported assessments and the import log (functions over a :class:`~readiness.store.db.Store`).

One file, one transaction.  The decision (imported / updated / duplicate / refused as older or
conflicting) is taken inside the transaction that writes, so two processes importing the same
files at once cannot both insert: SQLite serialises writers (the transaction's first statement is a
write, so it takes the write lock before it reads, and waits for it rather than failing), and on
PostgreSQL an advisory lock per commune and period does the same; the unique constraints catch
anything else, and an :class:`IntegrityError` is re-checked as a duplicate.

A revision that would replace another can be *held* instead (``guard``: the signature policy of
:mod:`readiness.signing.importing`): it is kept in ``held_revisions`` with its coded reason, ready to
store, and the revision in use stays.  :func:`decide_held` accepts it later (it is then stored as if
imported) or dismisses it; a newer revision stored on its own supersedes it.  Every decision is a line
of the import log with who, when and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast, overload

from sqlalchemy import Table, bindparam, delete, event, insert, or_, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..text import fold
from .db import Store, StoreError, period_label
from .incoming import IncomingAssessment
from .models import AnswerRow, AssessmentRow, HeldRevisionRow, ImportLogRow, PetitionRow, TableRowRow, utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

OUTCOMES = ("imported", "updated", "duplicate", "held", "rejected", "skipped")
HELD_STATES = ("pending", "accepted", "dismissed", "superseded")


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
    note: str | None = None  # why a person decided what this line records


@dataclass(frozen=True)
class HoldReason:
    """Why a revision must not replace the one in use without the department's word (a ``guard``'s answer)."""

    code: str  # W-HELD-...
    message: str  # Vietnamese
    signed_revision: int | None = None  # the validly signed revision that stays in use
    signed_assessment_id: str | None = None
    signature: dict[str, Any] | None = None  # the incoming file's own signature check, kept for acceptance

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sheet": None, "cell": None, "message": self.message}


Guard = Callable[[Session, "IncomingAssessment"], "HoldReason | None"]


@dataclass
class StoreOutcome:
    status: str  # imported | updated | duplicate | held | rejected
    assessment_id: str | None = None
    log_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)  # {code, sheet, cell, message}
    revision: int | None = None  # as stored (a filled template gets the next revision)
    hold: HoldReason | None = None  # held: why; or, when the hold was accepted on import, what was accepted
    held_id: int | None = None  # held_revisions.id


def _error(code: str, message: str, *fields: str) -> dict[str, Any]:
    """A refusal; ``fields``: the identity facts of the file it is about (``revision``, ``assessment_id``…),
    which the importer turns into the cells that show them."""
    error: dict[str, Any] = {"code": code, "sheet": None, "cell": None, "message": message}
    if fields:
        error["fields"] = list(fields)
    return error


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
        note=entry.note,
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
                     also: Callable[[Session, StoreOutcome], None] | None = None, *,
                     guard: Guard | None = None, accept_hold: str | None = None,
                     locate: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> StoreOutcome:
    """Write one checked assessment and its log line in one transaction (see the module docstring).

    ``also(session, outcome)`` runs inside that same transaction once the outcome is known (not for a
    refused or held file): whatever else belongs with the assessment (a signature record) commits or
    rolls back with it.  ``guard(session, incoming)``, asked (in the transaction, under the lock) when
    the file would replace or follow stored revisions, may hold it; ``accept_hold`` (the reason a person
    gave) stores it anyway, with the hold and the reason in the log line.  ``locate(error)`` gives a
    refusal its place in the file (the cells of the ``fields`` it names) before it is logged.
    """
    warnings = list(warnings or ())
    for attempt in range(2):
        try:
            return _store_once(store, replace(incoming), entry, list(warnings), also, guard, accept_hold)
        except _Refused as refused:
            error = locate(refused.error) if locate is not None else refused.error
            log_id = log_import(store, entry, "rejected", [error], warnings)
            return StoreOutcome("rejected", None, log_id, [error])
        except IntegrityError:
            # Another process inserted the same revision (or the same UUID) between our check and our insert.
            if attempt:
                raise
    raise AssertionError("unreachable")


# -- several files in one transaction ---------------------------------------------------------------------


@dataclass
class BatchFile:
    """One checked file for :func:`store_batch`: what :func:`store_assessment` is given, in data.

    ``incoming`` ``None``: a file refused before the store (``errors``): only its log line.
    ``signature``: kept with the assessment (``also`` of the one-file path; a duplicate only upgrades what
    is kept).  ``hold(reference)``: the ``guard``, given the newest validly signed revision of the commune
    and period (``None``: there is none).
    """

    entry: LogEntry
    warnings: list[dict[str, Any]] = field(default_factory=list)
    incoming: IncomingAssessment | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    signature: Any = None  # readiness.store.signatures.SignatureRecord
    hold: Callable[[Any], HoldReason | None] | None = None
    locate: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def keys(self) -> tuple[tuple[str, str], str] | None:
        """What must be unique in a batch: the commune and period, the assessment id."""
        if self.incoming is None:
            return None
        return (self.incoming.commune_code, self.incoming.period), self.incoming.id


class _OneByOne(Exception):
    """Something only the one-file path does (a hold, a draft replaced by its finalized form)."""


def store_batch(store: Store, files: list[BatchFile]) -> list[StoreOutcome] | None:
    """Write several files in one transaction, with what :func:`store_assessment` would decide for each.

    The decisions are taken under the same locks, on what the transaction reads at once for all the
    files (no two files of a batch may share a commune and period or an assessment id: the caller
    starts a new batch instead, so no decision depends on another file of the batch).  Statements are
    per batch, not per file (multi-row inserts), so a database across the network costs a few round
    trips per batch.  Returns ``None`` when the batch is better written file by file: a file would be
    held, or replace a draft (those rare paths are the one-file path's); a database error propagates
    (the transaction rolled back whole): the caller then writes each file alone, so a bad file is
    rolled back and reported alone.
    """
    if not files:
        return []
    seen: set[Any] = set()
    for file in files:
        keys = file.keys()
        if keys is not None:
            if keys[0] in seen or keys[1] in seen:  # one file's decision would depend on another's: one by one
                return None
            seen.update(keys)
    try:
        return _store_batch(store, files)
    except _OneByOne:
        return None


_LOG_INSERT_MANY = insert(_LOG_TABLE := cast(Table, ImportLogRow.__table__)).returning(
    _LOG_TABLE.c.id, sort_by_parameter_order=True)
_LOG_REJECTED = (update(_LOG_TABLE).where(_LOG_TABLE.c.id == bindparam("log_id"))
                 .values(outcome="rejected", errors=bindparam("errors")))


def _store_batch(store: Store, files: list[BatchFile]) -> list[StoreOutcome]:
    from .signatures import latest_signed_many, write_signatures

    now = utcnow()
    stored_files = [(index, file, file.incoming) for index, file in enumerate(files) if file.incoming is not None]
    with store.transaction() as session, _pipelined(session):  # PostgreSQL: the _QUEUED writes sent together
        connection = session.connection()
        if store.engine.dialect.name == "postgresql" and stored_files:
            keys = sorted({_lock_key(incoming) for _i, _f, incoming in stored_files})  # always in one order
            connection.execute(_LOCK_MANY, {"keys": keys}, execution_options=_QUEUED)
        else:
            _lock(session, store, None)
        # The first write (SQLite: the write lock, before anything is read): every file's log line, in order.
        log_ids = list(connection.execute(_LOG_INSERT_MANY, [
            _log_values(file.entry, "pending" if file.incoming is not None else "rejected",
                        None if file.incoming is not None else file.errors, file.warnings, now)
            for file in files]).scalars())
        by_id, revisions = _lookup(connection, [incoming for _i, _f, incoming in stored_files])
        outcomes: list[StoreOutcome | None] = [None] * len(files)
        refused: list[dict[str, Any]] = []
        plans: list[tuple[int, BatchFile, IncomingAssessment, str, str | None, int | None]] = []
        for index, file in enumerate(files):
            if file.incoming is None:
                outcomes[index] = StoreOutcome("rejected", None, log_ids[index], list(file.errors))
                continue
            incoming = replace(file.incoming)
            try:
                status, existing_id, existing_revision = _decision(
                    incoming, by_id.get(incoming.id), revisions.get((incoming.commune_code, incoming.period), []))
            except _Refused as refusal:
                error = file.locate(refusal.error) if file.locate is not None else refusal.error
                refused.append({"log_id": log_ids[index], "errors": [error]})
                outcomes[index] = StoreOutcome("rejected", None, log_ids[index], [error])
                continue
            if status == "replace":
                raise _OneByOne
            plans.append((index, file, incoming, status, existing_id, existing_revision))
        guarded = [(incoming.commune_code, incoming.period) for _i, file, incoming, status, _e, _r in plans
                   if status == "updated" and file.hold is not None]
        references = latest_signed_many(connection, guarded, "valid") if guarded else {}
        for _index, file, incoming, status, _e, _r in plans:
            if status == "updated" and file.hold is not None \
                    and file.hold(references.get((incoming.commune_code, incoming.period))) is not None:
                raise _OneByOne  # held (or accepted as it came in): the one-file path keeps it
        assessments: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        table_rows: list[dict[str, Any]] = []
        logged: list[dict[str, Any]] = []
        superseded: list[dict[str, Any]] = []
        signatures: list[tuple[str, Any, bool]] = []
        petitioned: list[IncomingAssessment] = []
        for index, file, incoming, status, existing_id, existing_revision in plans:
            log_id = log_ids[index]
            if status == "duplicate":
                logged.append({"log_id": log_id, "outcome": "duplicate", "assessment_id": existing_id,
                               "revision": existing_revision})
                outcomes[index] = StoreOutcome("duplicate", existing_id, log_id, revision=existing_revision)
                if file.signature is not None and existing_id is not None:
                    signatures.append((existing_id, file.signature, True))
                continue
            assessments.append({"id": incoming.id, **_assessment_values(incoming, now, log_id)})
            answers.extend(_answer_values(incoming, now))
            table_rows.extend(_row_values(incoming, now))
            if incoming.status == "finalized" and incoming.petitions:
                petitioned.append(incoming)
            logged.append({"log_id": log_id, "outcome": status, "revision": incoming.revision,
                           "assessment_id": incoming.id})
            superseded.append(_superseded_values(incoming, now, log_id, file.entry.user_name))
            outcomes[index] = StoreOutcome(status, incoming.id, log_id, revision=incoming.revision)
            if file.signature is not None:
                signatures.append((incoming.id, file.signature, False))
        if assessments:
            connection.execute(_ASSESSMENT_INSERT, assessments, execution_options=_QUEUED)
        insert_rows(connection, _ANSWERS, answers)
        insert_rows(connection, _TABLE_ROWS, table_rows)
        if petitioned:
            tracked: dict[tuple[str, str], list[Any]] = {}
            for tracked_row in connection.execute(_TRACKED_MANY,
                                                  {"pairs": [(i.commune_code, i.period) for i in petitioned]}):
                tracked.setdefault((tracked_row.commune_code, tracked_row.period), []).append(tracked_row)
            moves: list[dict[str, Any]] = []
            added: list[dict[str, Any]] = []
            for incoming in petitioned:
                more_moves, more_added = _petition_changes(incoming, tracked.get((incoming.commune_code,
                                                                                  incoming.period), []), now)
                moves.extend(more_moves)
                added.extend(more_added)
            if moves:
                connection.execute(_PETITION_MOVE, moves, execution_options=_QUEUED)
            if added:
                connection.execute(_PETITION_INSERT, added, execution_options=_QUEUED)
        if logged:
            connection.execute(_LOG_OUTCOME, logged, execution_options=_QUEUED)
        if refused:
            connection.execute(_LOG_REJECTED, refused, execution_options=_QUEUED)
        if superseded:
            connection.execute(_SUPERSEDE, superseded, execution_options=_QUEUED)
        write_signatures(connection, signatures)
    return [outcome for outcome in outcomes if outcome is not None]


# -- PostgreSQL: the statements whose answer is not needed at once, sent without waiting for it ------------

_QUEUED = {"readiness_queued": True}  # the execution option that marks such a statement
_PIPELINE = "readiness_pipeline"  # where the open pipeline is kept (the connection's info)


@contextmanager
def _pipelined(session: Session) -> Iterator[None]:
    """On PostgreSQL, statements executed with the ``_QUEUED`` option inside this block are sent without
    waiting for their answers (psycopg's pipeline mode): they travel, in order and in the same
    transaction, with the next statement whose answer is needed, and the transaction's ``BEGIN`` with the
    first.  Every other statement waits for its answer as before (``after_cursor_execute`` syncs the
    pipeline), so a read, a ``RETURNING`` or the ORM's flush are unchanged.  An error of a queued statement
    is raised at that next statement or at the end of the block, as SQLAlchemy's (an ``IntegrityError``
    stays one), and the transaction rolls back whole.  Any other database: nothing changes."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    if not event.contains(connection.engine, "after_cursor_execute", _sync_unless_queued):
        event.listen(connection.engine, "after_cursor_execute", _sync_unless_queued)
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection of the transaction
    try:
        with driver.pipeline() as pipeline:
            connection.info[_PIPELINE] = pipeline
            try:
                yield
            finally:
                del connection.info[_PIPELINE]
    except dialect.loaded_dbapi.Error as error:  # raised at the block's end (its last sync): as SQLAlchemy's own
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError.instance("(statements sent together)", None, error, dialect.loaded_dbapi.Error,
                                  dialect=dialect) from error


def _sync_unless_queued(connection: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any,
                        _executemany: bool) -> None:
    """Inside :func:`_pipelined`: a statement not marked ``_QUEUED`` gets its answer (and the queued ones
    before it theirs) before SQLAlchemy reads it."""
    pipeline = connection.info.get(_PIPELINE)
    if pipeline is not None and (not context.execution_options.get("readiness_queued")
                                 or getattr(context.compiled, "effective_returning", None)):  # rows to read after all
        pipeline.sync()


def _lock_key(incoming: IncomingAssessment) -> int:
    """The advisory lock of a commune and period (PostgreSQL)."""
    return int.from_bytes(hashlib.sha256(f"{incoming.commune_code}/{incoming.period}".encode()).digest()[:8],
                          "big", signed=True)


# Several advisory locks in one statement, taken in the order given (sorted: two batches never wait on each other
# in a circle).
_LOCK_MANY = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS BIGINT[])) WITH ORDINALITY AS t(k, n) "
                  "ORDER BY n")


_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def _lock(session: Session, store: Store, incoming: IncomingAssessment | None) -> None:
    """PostgreSQL: an advisory lock for the commune and period; SQLite: wait for other writers (``None``:
    only that)."""
    if store.engine.dialect.name == "postgresql":
        if incoming is None:
            return
        session.connection().execute(_LOCK, {"key": _lock_key(incoming)}, execution_options=_QUEUED)
    elif store.engine.dialect.name == "sqlite":
        # Wait for other writers (another `readiness import`) instead of failing with "database is locked".
        session.connection().exec_driver_sql("PRAGMA busy_timeout=60000")


def _store_once(store: Store, incoming: IncomingAssessment, entry: LogEntry, warnings: list[dict],
                also: Callable[[Session, StoreOutcome], None] | None = None, guard: Guard | None = None,
                accept_hold: str | None = None) -> StoreOutcome:
    now = utcnow()
    with store.transaction() as session, _pipelined(session):
        _lock(session, store, incoming)
        # The first statement writes: SQLite takes its write lock here, before anything is read.
        # Core statements built once, on the session's connection: a file writes ~10 of them, for
        # thousands of files (the ORM's per-statement work was most of an import's writing time).
        # PostgreSQL: those marked _QUEUED go with the next statement whose answer is needed (_pipelined).
        connection = session.connection()
        log_id = connection.execute(_LOG_INSERT, _log_values(entry, "pending", None, warnings, now)).scalar_one()
        status, existing_id, existing_revision = _decide(connection, incoming)
        if status == "duplicate":
            connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": "duplicate", "assessment_id": existing_id,
                                              "revision": existing_revision}, execution_options=_QUEUED)
            outcome = StoreOutcome("duplicate", existing_id, log_id, revision=existing_revision)
            if also is not None:
                also(session, outcome)
            return outcome
        hold = guard(session, incoming) if guard is not None and status in ("updated", "replace") else None
        if hold is not None and accept_hold is None:
            held_id = _hold(connection, incoming, entry, hold, log_id, now)
            connection.execute(_LOG_DECISION, {"log_id": log_id, "outcome": "held", "revision": incoming.revision,
                                               "assessment_id": incoming.id, "warnings": [*warnings, hold.to_dict()],
                                               "note": None})
            return StoreOutcome("held", None, log_id, revision=incoming.revision, hold=hold, held_id=held_id)
        status = _write(connection, incoming, status, now, log_id)
        if hold is not None:  # accepted as it came in: the log line says what was accepted, by whom and why
            connection.execute(_LOG_DECISION, {"log_id": log_id, "outcome": status, "revision": incoming.revision,
                                               "assessment_id": incoming.id, "warnings": [*warnings, hold.to_dict()],
                                               "note": accept_hold}, execution_options=_QUEUED)
        else:
            connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": status, "revision": incoming.revision,
                                              "assessment_id": incoming.id}, execution_options=_QUEUED)
        _supersede_held(connection, incoming, now, log_id, entry.user_name)
        outcome = StoreOutcome(status, incoming.id, log_id, revision=incoming.revision, hold=hold)
        if also is not None:
            also(session, outcome)
        return outcome


def _write(connection: Connection, incoming: IncomingAssessment, status: str, now: dt.datetime, log_id: int) -> str:
    """Store ``incoming`` as ``_decide`` said (``imported`` / ``updated`` / ``replace``); the outcome's name."""
    if status == "replace":
        _replace(connection, incoming, now, log_id)
        status = "updated"
    else:
        connection.execute(_ASSESSMENT_INSERT, {"id": incoming.id, **_assessment_values(incoming, now, log_id)},
                           execution_options=_QUEUED)
        _insert_answers(connection, incoming, now)
    if incoming.status == "finalized" and incoming.petitions:
        _petitions(connection, incoming, now)
    return status


# The ORM's tables as Core tables (SQLAlchemy types __table__ as the wider FromClause).
_LOG = cast(Table, ImportLogRow.__table__)
_ASSESSMENTS = cast(Table, AssessmentRow.__table__)
_PETITIONS = cast(Table, PetitionRow.__table__)
_ANSWERS = cast(Table, AnswerRow.__table__)
_TABLE_ROWS = cast(Table, TableRowRow.__table__)
_LOG_INSERT = insert(_LOG).returning(_LOG.c.id)
_LOG_OUTCOME = (update(_LOG).where(_LOG.c.id == bindparam("log_id"))
                .values(outcome=bindparam("outcome"), assessment_id=bindparam("assessment_id"),
                        revision=bindparam("revision")))
_LOG_DECISION = (update(_LOG).where(_LOG.c.id == bindparam("log_id"))
                 .values(outcome=bindparam("outcome"), assessment_id=bindparam("assessment_id"),
                         revision=bindparam("revision"), warnings=bindparam("warnings"), note=bindparam("note")))
_HELD = cast(Table, HeldRevisionRow.__table__)
_ASSESSMENT_INSERT = insert(_ASSESSMENTS)
_STORED = (_ASSESSMENTS.c.id, _ASSESSMENTS.c.commune_code, _ASSESSMENTS.c.period, _ASSESSMENTS.c.revision,
           _ASSESSMENTS.c.status, _ASSESSMENTS.c.answers_sha256)
_TRACKED = (select(_PETITIONS.c.id, _PETITIONS.c.topic, _PETITIONS.c.difficulty, _PETITIONS.c.proposal,
                   _PETITIONS.c.addressed_to)
            .where(_PETITIONS.c.commune_code == bindparam("commune_code"), _PETITIONS.c.period == bindparam("period"))
            .order_by(_PETITIONS.c.id))
_PETITION_MOVE = (update(_PETITIONS).where(_PETITIONS.c.id == bindparam("petition_id"))
                  .values(assessment_id=bindparam("assessment_id"), position=bindparam("position"),
                          addressed_to=bindparam("addressed_to")))
_PETITION_INSERT = insert(_PETITIONS).inline()  # no new id fetched (nothing reads it): no implicit RETURNING
_TRACKED_MANY = (select(_PETITIONS.c.commune_code, _PETITIONS.c.period, _PETITIONS.c.id, _PETITIONS.c.topic,
                        _PETITIONS.c.difficulty, _PETITIONS.c.proposal, _PETITIONS.c.addressed_to)
                 .where(tuple_(_PETITIONS.c.commune_code, _PETITIONS.c.period).in_(bindparam("pairs", expanding=True)))
                 .order_by(_PETITIONS.c.id))


def _decide(connection: Connection, incoming: IncomingAssessment) -> tuple[str, str | None, int | None]:
    """``imported`` / ``updated`` / ``duplicate`` / ``replace`` (a draft of the same revision now finalized)
    with the id and revision of the stored assessment it matches, or raise :class:`_Refused` (older, conflict)."""
    by_id, revisions = _lookup(connection, [incoming])
    return _decision(incoming, by_id.get(incoming.id), revisions.get((incoming.commune_code, incoming.period), []))


def _lookup(connection: Connection, incomings: list[IncomingAssessment]
            ) -> tuple[dict[str, Any], dict[tuple[str, str], list[Any]]]:
    """What the decisions about ``incomings`` read, in one query: the stored assessments with their ids
    (id -> row) and every stored revision of their communes and periods, newest first ((commune, period)
    -> rows); rows of ``_STORED``'s columns."""
    by_id: dict[str, Any] = {}
    revisions: dict[tuple[str, str], list[Any]] = {}
    if not incomings:
        return by_id, revisions
    found = connection.execute(select(*_STORED).where(or_(
        _ASSESSMENTS.c.id.in_([incoming.id for incoming in incomings]),
        tuple_(_ASSESSMENTS.c.commune_code, _ASSESSMENTS.c.period).in_(
            [(incoming.commune_code, incoming.period) for incoming in incomings])))
        .order_by(_ASSESSMENTS.c.revision.desc())).all()
    for row in found:
        by_id[row.id] = row
        revisions.setdefault((row.commune_code, row.period), []).append(row)
    return by_id, revisions


def _decision(incoming: IncomingAssessment, same_id: Any, revisions: list[Any]) -> tuple[str, str | None, int | None]:
    """:func:`_decide` on what was read: the stored assessment with ``incoming.id`` (or ``None``) and every
    stored revision of its commune and period, newest first (rows of ``_STORED``'s columns)."""
    if same_id is not None and (same_id.commune_code, same_id.period, same_id.revision) != (
            incoming.commune_code, incoming.period, incoming.revision):
        differ = [key for key in ("commune_code", "period", "revision")
                  if getattr(same_id, key) != getattr(incoming, key)]
        claims = {"commune_code": f"xã {incoming.commune_code}", "period": f"kỳ {period_label(incoming.period)}",
                  "revision": f"lần {incoming.revision}"}
        raise _Refused(_error("E-IMPORT-CONFLICT", f"Mã bản đánh giá {incoming.id} đã có trong cơ sở dữ liệu cho "
                              f"xã {same_id.commune_code}, kỳ {period_label(same_id.period)}, lần {same_id.revision}, "
                              f"nhưng tệp này ghi {', '.join(claims[key] for key in differ)}: tệp không khớp với bản đó "
                              "(mã bản đánh giá bị dùng lại, hoặc thông tin định danh đã bị sửa).",
                              *differ, "assessment_id"))
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
                                  "đè bản đã hoàn thành.", "status"))
        raise _Refused(_error("E-IMPORT-CONFLICT", f"Lần sửa {incoming.revision} ({label}) đã được nhập với nội dung "
                              "khác tệp này. Hỏi xã tệp nào là bản đúng; xã chọn «Mở lại để sửa» để tạo lần sửa mới rồi "
                              "xuất và gửi lại.", "revision"))
    if incoming.revision < current.revision:
        raise _Refused(_error("E-IMPORT-OLDER", f"Tệp là lần sửa {incoming.revision} ({label}), cũ hơn lần "
                              f"{current.revision} đã nhập; bản cũ không ghi đè bản mới.", "revision"))
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


def _replace(connection: Connection, incoming: IncomingAssessment, now: dt.datetime, log_id: int) -> None:
    connection.execute(delete(_ANSWERS).where(_ANSWERS.c.assessment_id == incoming.id))
    connection.execute(delete(_TABLE_ROWS).where(_TABLE_ROWS.c.assessment_id == incoming.id))
    values = _assessment_values(incoming, now, log_id)
    connection.execute(update(_ASSESSMENTS).where(_ASSESSMENTS.c.id == incoming.id).values(**values))
    _insert_answers(connection, incoming, now)


def _insert_answers(connection: Connection, incoming: IncomingAssessment, now: dt.datetime) -> None:
    insert_rows(connection, _ANSWERS, _answer_values(incoming, now))
    insert_rows(connection, _TABLE_ROWS, _row_values(incoming, now))


# Whether insert_rows gives SQLite's rows to its driver directly (tests switch it off to compare both ways).
SQLITE_DIRECT = True


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the connection's transaction.

    An import writes a few hundred answers and table rows per file.  Through SQLAlchemy's executemany
    every row passes its per-row parameter processing, which cost more than the database's own work.
    On SQLite the rows go to the driver (``sqlite3``) of the same connection, in the same transaction,
    as the very statement SQLAlchemy compiles for them, each value converted by its column type's own
    bind processor (the engine's JSON serializer, the dialect's date format; a value shared by every
    row, the batch's time, converted once): the same rows as SQLAlchemy writes (compared in
    ``tests/department/test_import_direct.py``).  Any other database: SQLAlchemy's Core executemany.
    A driver error is raised as SQLAlchemy's (an :class:`IntegrityError` stays one)."""
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite" or not SQLITE_DIRECT:
        connection.execute(table.insert(), rows, execution_options=_QUEUED)  # Core executemany (not the ORM's bulk path)
        return
    sql, columns = _direct_insert(table, tuple(rows[0]), dialect)
    values: list[list[Any]] = []  # column by column: one comprehension each
    for key, convert, once in columns:
        if convert is None:
            values.append([row[key] for row in rows])
        elif once:  # a time: the same object in every row of a batch, converted once
            shared: dict[Any, Any] = {}
            values.append([None if (moment := row[key]) is None else shared[moment] if moment in shared
                           else shared.setdefault(moment, convert(moment)) for row in rows])
        else:
            values.append([convert(row[key]) for row in rows])
    params = list(zip(*values, strict=True))
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection of the transaction
    try:
        driver.executemany(sql, params)
    except dialect.loaded_dbapi.Error as error:  # as SQLAlchemy's own: the callers catch those
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError.instance(sql, params[:1], error, dialect.loaded_dbapi.Error, dialect=dialect) from error


_DIRECT: weakref.WeakKeyDictionary[Any, dict[tuple[str, tuple[str, ...]], tuple[str, tuple[tuple[str, Any, bool], ...]]]] = \
    weakref.WeakKeyDictionary()  # per dialect (its JSON serializer is the engine's)


def _direct_insert(table: Table, keys: tuple[str, ...], dialect: Any) -> tuple[str, tuple[tuple[str, Any, bool], ...]]:
    """The SQL SQLAlchemy compiles for inserting ``keys`` into ``table`` on ``dialect``, and its parameters in
    order: (key, the column type's bind processor or ``None``, whether it is a time: converted once per
    object), made once."""
    from sqlalchemy import DateTime

    made = _DIRECT.setdefault(dialect, {})
    found = made.get((table.name, keys))
    if found is None:
        compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ())
        if sorted(order) != sorted(keys):  # a default or a column SQLAlchemy would add: not this path's to guess
            raise ValueError(f"{table.name}: the insert binds {list(order)}, not {list(keys)}")
        columns = tuple((key, _converter(table.c[key].type, dialect), isinstance(table.c[key].type, DateTime))
                        for key in order)
        found = made[(table.name, keys)] = (compiled.string, columns)
    return found


def _converter(column_type: Any, dialect: Any) -> Any:
    """The column type's bind processor on ``dialect`` (``None``: the value as it is).  For a JSON column, the
    serializer that processor ends in: what it does with any value but SQLAlchemy's own NULL markers, which
    these rows never hold (a Python ``None`` is JSON ``null``: the type's ``none_as_null`` is off)."""
    from sqlalchemy import JSON

    if isinstance(column_type, JSON) and not column_type.none_as_null:
        probe = column_type.dialect_impl(dialect).bind_processor(dialect)
        serializer = getattr(dialect, "_json_serializer", None) or json.dumps  # as sqltypes.JSON.bind_processor
        if probe is not None and probe(None) == serializer(None) and probe({"a": [1]}) == serializer({"a": [1]}):
            return serializer
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _answer_values(incoming: IncomingAssessment, now: dt.datetime) -> list[dict[str, Any]]:
    return [{"assessment_id": incoming.id, "item_id": a["item_id"], "value": a["value"],
             "source": a.get("source") or "import", "meta": a.get("meta"), "updated_at": now} for a in incoming.answers]


def _row_values(incoming: IncomingAssessment, now: dt.datetime) -> list[dict[str, Any]]:
    return [{"assessment_id": incoming.id, "item_id": r["item_id"], "position": r["position"], "values": r["values"],
             "source": r.get("source") or "import", "meta": r.get("meta"), "updated_at": now} for r in incoming.rows]


def _petition_key(topic: Any, difficulty: Any, proposal: Any) -> tuple[str, str, str]:
    return tuple(" ".join(fold(str(v or "")).split()) for v in (topic, difficulty, proposal))  # type: ignore[return-value]


def _petitions(connection: Connection, incoming: IncomingAssessment, now: dt.datetime) -> None:
    """The petitions of a finalized assessment become trackable, once.

    A petition already tracked for this commune and period (the same topic, difficulty and
    proposal, from an earlier revision) moves to the new revision with its handling status, so
    a resubmission does not duplicate it; new ones are added as ``new``.
    """
    tracked_rows = connection.execute(_TRACKED, {"commune_code": incoming.commune_code, "period": incoming.period})
    moves, added = _petition_changes(incoming, list(tracked_rows), now)
    for move in moves:
        connection.execute(_PETITION_MOVE, move, execution_options=_QUEUED)
    if added:
        connection.execute(_PETITION_INSERT, added, execution_options=_QUEUED)


def _petition_changes(incoming: IncomingAssessment, tracked_rows: list[Any], now: dt.datetime
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What :func:`_petitions` changes, from the petitions tracked for the commune and period (in id
    order): (moves of tracked petitions to the new revision, new petitions)."""
    tracked: dict[tuple[str, str, str], list[Any]] = {}
    for row in tracked_rows:
        tracked.setdefault(_petition_key(row.topic, row.difficulty, row.proposal), []).append(row)
    moves: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for position, petition in enumerate(incoming.petitions):
        key = _petition_key(petition.get("topic"), petition.get("difficulty"), petition.get("proposal"))
        same = tracked.get(key)
        if same:
            row = same.pop(0)
            moves.append({"petition_id": row.id, "assessment_id": incoming.id, "position": position,
                          "addressed_to": petition.get("addressed_to") or row.addressed_to})
            continue
        added.append(dict(
            assessment_id=incoming.id, commune_code=incoming.commune_code, period=incoming.period, position=position,
            topic=petition.get("topic"), difficulty=petition.get("difficulty"), proposal=petition.get("proposal"),
            addressed_to=petition.get("addressed_to"), status="new", updated_at=now,
        ))
    return moves, added


# -- held revisions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldInfo:
    """A held revision, detached from the session (what status, the dialog and the CLI show)."""

    id: int
    commune_code: str
    period: str
    revision: int
    assessment_id: str
    status: str
    file_name: str
    path: str
    sha256: str | None
    reason_code: str
    reason: str
    signed_revision: int | None
    signature: dict[str, Any] | None
    held_at: dt.datetime
    held_by: str | None
    state: str
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None

    @property
    def pending(self) -> bool:
        return self.state == "pending"

    @property
    def signature_status(self) -> str | None:
        return (self.signature or {}).get("status")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "commune": self.commune_code, "period": self.period, "revision": self.revision,
            "assessment": self.assessment_id, "status": self.status, "file": self.path, "sha256": self.sha256,
            "code": self.reason_code, "reason": self.reason, "signed_revision": self.signed_revision,
            "signature": self.signature_status,
            "held_at": _aware(self.held_at).isoformat(), "held_by": self.held_by, "state": self.state,
            "decided_at": _aware(self.decided_at).isoformat() if self.decided_at else None,
            "decided_by": self.decided_by, "decision_note": self.decision_note,
        }


@overload
def _aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def _aware(moment: None) -> None: ...
@overload
def _aware(moment: dt.datetime | None) -> dt.datetime | None: ...
def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite keeps no time zone: it was written in UTC
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _held_info(row: Any) -> HeldInfo:
    return HeldInfo(
        id=row.id, commune_code=row.commune_code, period=row.period, revision=row.revision,
        assessment_id=row.assessment_id, status=row.status, file_name=row.file_name, path=row.path, sha256=row.sha256,
        reason_code=row.reason_code, reason=row.reason, signed_revision=row.signed_revision, signature=row.signature,
        held_at=_aware(row.held_at), held_by=row.held_by, state=row.state, decided_at=_aware(row.decided_at),
        decided_by=row.decided_by, decision_note=row.decision_note)


def held_revisions(store: Store, *, period: str | None = None, commune_code: str | None = None,
                   states: Iterable[str] | None = ("pending",), held_id: int | None = None) -> list[HeldInfo]:
    """Held revisions (pending ones unless ``states`` says otherwise; ``None``: every state), oldest first."""
    query = select(_HELD.c.id, *_HELD_SHOWN)
    if held_id is not None:
        query = query.where(_HELD.c.id == held_id)
    if period:
        query = query.where(_HELD.c.period == period)
    if commune_code:
        query = query.where(_HELD.c.commune_code == commune_code)
    if states is not None:
        query = query.where(_HELD.c.state.in_(list(states)))
    with store.transaction() as session:
        return [_held_info(row) for row in session.connection().execute(query.order_by(_HELD.c.id))]


_HELD_SHOWN = tuple(getattr(_HELD.c, name) for name in (
    "commune_code", "period", "revision", "assessment_id", "status", "file_name", "path", "sha256", "reason_code",
    "reason", "signed_revision", "signature", "held_at", "held_by", "state", "decided_at", "decided_by",
    "decision_note"))


def _payload(incoming: IncomingAssessment) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(incoming)
    for key in ("created_at", "updated_at", "finalized_at"):
        data[key] = data[key].isoformat() if data[key] is not None else None
    return data


def _incoming_of(payload: dict[str, Any]) -> IncomingAssessment:
    data = dict(payload)
    for key in ("created_at", "updated_at", "finalized_at"):
        data[key] = dt.datetime.fromisoformat(data[key]) if data.get(key) else None
    return IncomingAssessment(**data)


def _hold(connection: Connection, incoming: IncomingAssessment, entry: LogEntry, hold: HoldReason, log_id: int,
          now: dt.datetime) -> int:
    """Keep ``incoming`` as a pending held revision (the same one held again keeps its first row)."""
    same = connection.execute(
        select(_HELD.c.id).where(_HELD.c.commune_code == incoming.commune_code, _HELD.c.period == incoming.period,
                                 _HELD.c.revision == incoming.revision, _HELD.c.status == incoming.status,
                                 _HELD.c.answers_sha256 == incoming.answers_sha256, _HELD.c.state == "pending")
    ).first()
    if same is not None:
        return same.id
    return connection.execute(insert(_HELD).returning(_HELD.c.id), dict(
        commune_code=incoming.commune_code, period=incoming.period, revision=incoming.revision,
        assessment_id=incoming.id, status=incoming.status, answers_sha256=incoming.answers_sha256,
        file_name=entry.file_name[:255], path=entry.path, sha256=entry.sha256, reason_code=hold.code,
        reason=hold.message, signed_revision=hold.signed_revision, signed_assessment_id=hold.signed_assessment_id,
        signature=hold.signature, payload=_payload(incoming), held_at=now, held_by=(entry.user_name or "")[:200] or None,
        import_id=log_id, state="pending",
    )).scalar_one()


def _supersede_held(connection: Connection, incoming: IncomingAssessment, now: dt.datetime, log_id: int,
                    user: str | None) -> None:
    """A revision stored on its own makes the pending held revisions it is not older than pointless."""
    connection.execute(_SUPERSEDE, _superseded_values(incoming, now, log_id, user), execution_options=_QUEUED)


def _superseded_values(incoming: IncomingAssessment, now: dt.datetime, log_id: int, user: str | None) -> dict[str, Any]:
    return {"commune": incoming.commune_code, "period_": incoming.period, "revision_": incoming.revision,
            "now": now, "user": (user or "")[:200] or None, "log_id": log_id,
            "note": f"Lần sửa {incoming.revision} đã được nhập sau đó."}


_SUPERSEDE = (update(_HELD).where(_HELD.c.commune_code == bindparam("commune"), _HELD.c.period == bindparam("period_"),
                                  _HELD.c.state == "pending", _HELD.c.revision <= bindparam("revision_"))
              .values(state="superseded", decided_at=bindparam("now"), decided_by=bindparam("user"),
                      decision_log_id=bindparam("log_id"), decision_note=bindparam("note")))


def decide_held(store: Store, held_id: int, *, accept: bool, user: str, note: str,
                record_signature: Callable[[Session, str, dict[str, Any] | None], None] | None = None) -> StoreOutcome:
    """Accept (store it as the newest revision) or dismiss a pending held revision, in one transaction.

    The decision is a line of the import log (outcome ``accepted`` / ``dismissed``, the user, the time,
    ``note`` as the reason).  ``record_signature(session, assessment_id, signature)`` keeps the held
    file's signature check with the stored assessment.  Raises :class:`StoreError` when the held revision
    is unknown, already decided, or can no longer be stored (a newer revision came in).
    """
    note = " ".join((note or "").split())
    if not note:
        raise StoreError("E-HELD-REASON", "Ghi lý do quyết định (ví dụ: «Đã gọi điện xác nhận với xã ngày …»).")
    now = utcnow()
    try:
        with store.transaction() as session:
            _lock(session, store, None)
            connection = session.connection()
            # A write first: SQLite takes its write lock before anything is read (as the import does), and
            # PostgreSQL locks the row, so two people deciding at once are served one after the other.
            connection.execute(update(_HELD).where(_HELD.c.id == held_id).values(state=_HELD.c.state))
            row = connection.execute(select(_HELD).where(_HELD.c.id == held_id)).first()
            if row is None:
                raise StoreError("E-HELD-NOT-FOUND", f"Không có bản giữ lại số {held_id}.")
            if row.state != "pending":
                when = _aware(row.decided_at)
                state = HELD_STATE_LABELS.get(row.state, row.state)
                raise StoreError("E-HELD-DECIDED", f"Bản giữ lại số {held_id} đã được xử lý ({state}"
                                 + (f" lúc {when.astimezone():%d/%m/%Y %H:%M}" if when else "")
                                 + (f", bởi {row.decided_by}" if row.decided_by else "") + ").")
            incoming = _incoming_of(row.payload)
            _lock(session, store, incoming)  # PostgreSQL: an import of this commune and period waits for us
            entry = LogEntry(file_name=row.file_name, path=row.path, sha256=row.sha256, user_name=user,
                             commune_code=row.commune_code, period=row.period, revision=row.revision,
                             assessment_id=row.assessment_id, note=note)
            reason = {"code": row.reason_code, "sheet": None, "cell": None, "message": row.reason}
            log_id = connection.execute(_LOG_INSERT, _log_values(entry, "pending", None, [reason], now)).scalar_one()
            decided = {"state": "accepted" if accept else "dismissed", "decided_at": now,
                       "decided_by": (user or "")[:200] or None, "decision_note": note, "decision_log_id": log_id}
            if not accept:
                connection.execute(update(_HELD).where(_HELD.c.id == held_id).values(**decided))
                connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": "dismissed", "revision": row.revision,
                                                  "assessment_id": row.assessment_id})
                return StoreOutcome("dismissed", None, log_id, revision=row.revision, held_id=held_id)
            status, _existing_id, _existing_revision = _decide(connection, incoming)
            if status == "duplicate":
                raise _Refused(_error("E-HELD-STALE", "Nội dung của bản giữ lại đã có trong cơ sở dữ liệu (nhập bằng "
                                      "tệp khác); không cần chấp nhận, hãy bỏ bản giữ lại."))
            connection.execute(update(_HELD).where(_HELD.c.id == held_id).values(**decided))
            status = _write(connection, incoming, status, now, log_id)
            connection.execute(_LOG_OUTCOME, {"log_id": log_id, "outcome": "accepted", "revision": incoming.revision,
                                              "assessment_id": incoming.id})
            _supersede_held(connection, incoming, now, log_id, user)
            if record_signature is not None:
                record_signature(session, incoming.id, row.signature)
            return StoreOutcome(status, incoming.id, log_id, revision=incoming.revision, held_id=held_id)
    except _Refused as refused:
        raise StoreError(refused.error["code"], refused.error["message"]) from None


HELD_STATE_LABELS = {"pending": "đang chờ Sở quyết định", "accepted": "đã chấp nhận", "dismissed": "đã bỏ",
                     "superseded": "đã có lần sửa mới hơn"}
