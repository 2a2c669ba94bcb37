"""One file imported alone on PostgreSQL: the statements whose answer the import does not need at once (the
assessment, its answers and rows, petitions, the log's outcome, held revisions superseded) are sent with the
next statement it waits for (store.imports._pipelined), so the file's transaction waits for the server 8
times, not 15 (a duplicate 7, not 9); and a database error in one of those writes still rolls the file back alone and says so, on
SQLite (where nothing is pipelined) and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text

from readiness.department.importer import import_paths
from readiness.store import imports
from readiness.store.imports import import_log

IMPORT_TODAY = dt.date(2025, 11, 20)
PERIOD = "2025-11"


def _waits(workspace, path, tmp_path) -> tuple[str, int]:
    """Import ``path`` alone; (its status, how many times its transaction waited for the server: libpq's
    trace of the connection, one ReadyForQuery per wait)."""
    from psycopg import pq

    traces = []

    def traced(store, *args, **kwargs):
        def checkout(dbapi_connection, _record, _proxy):
            handle = open(tmp_path / f"trace-{len(traces)}.txt", "w")  # noqa: SIM115 - closed at checkin
            dbapi_connection.pgconn.trace(handle.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            traces.append((dbapi_connection, handle))

        event.listen(store.engine.pool, "checkout", checkout)
        try:
            return original(store, *args, **kwargs)
        finally:
            event.remove(store.engine.pool, "checkout", checkout)
            for dbapi_connection, handle in traces:
                dbapi_connection.pgconn.untrace()
                handle.close()

    original = imports._store_once
    imports._store_once = traced
    try:
        report = import_paths(workspace, [path], jobs=0, today=IMPORT_TODAY)
    finally:
        imports._store_once = original
    (trace,) = [(tmp_path / f"trace-{n}.txt").read_text() for n in range(len(traces))]
    assert "pg_advisory_xact_lock" in trace and '"COMMIT"' in trace  # the file's whole transaction
    return report.results[0].status, sum(line.split("\t")[2:3] == ["ReadyForQuery"] for line in trace.splitlines())


def test_import_one_file__postgresql__the_transaction_waits_8_times_not_15(dept_any, submissions, tmp_path):
    if dept_any.store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: round trips")
    path = submissions.write("21025")
    status, waits = _waits(dept_any, path, tmp_path)
    # BEGIN; the lock and the log line; the stored revisions; the petitions tracked (with the assessment, its
    # answers and rows); the signature's row (with the petitions, the log's outcome, the held revisions); the
    # signature written; the end of the pipeline; COMMIT.  Each statement waited for its answer before: 15.
    assert (status, waits) == ("imported", 8)
    assert dept_any.store.current_assessment("21025", PERIOD) is not None
    (tmp_path / "again").mkdir()
    status, waits = _waits(dept_any, path, tmp_path / "again")
    assert (status, waits) == ("duplicate", 7)  # before: 9


@pytest.mark.parametrize("table", ["table_rows", "petitions", "held_revisions"])
def test_import_one_file__database_refuses_a_write_sent_without_waiting__file_rolled_back_alone(dept_any, submissions,
                                                                                               table):
    """A write whose answer the import does not wait for fails: the error still reaches the import (at the next
    statement that waits, or at the end), nothing of the file is written and its log line says why."""
    engine = dept_any.store.engine
    event_name = "UPDATE" if table == "held_revisions" else "INSERT"
    if table == "held_revisions":  # a held revision the file supersedes, so the UPDATE touches a row
        from readiness.store.imports import HoldReason

        assert import_paths(dept_any, [submissions.write("21034", revision=1)], jobs=0,
                            today=IMPORT_TODAY).counts["imported"] == 1
        held = imports.IncomingAssessment(
            id="00000000-0000-0000-0000-0000000000aa", commune_code="21034", period=PERIOD, revision=2, status="draft",
            checklist_id="c", checklist_version=1, checklist_hash="h", answers_sha256="x")
        outcome = imports.store_assessment(dept_any.store, held, imports.LogEntry("h.xlsx", "/h.xlsx"),
                                           guard=lambda _s, _i: HoldReason("W-HELD-UNSIGNED", "giữ lại", 1, None))
        assert outcome.status == "held"
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text(f"CREATE TRIGGER refuse_one BEFORE {event_name} ON {table} "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
        else:
            connection.execute(text("CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                                    "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"))
            connection.execute(text(f"CREATE TRIGGER refuse_one BEFORE {event_name} ON {table} FOR EACH ROW "
                                    "EXECUTE FUNCTION refuse_one()"))
    try:
        path = submissions.write("21034", revision=3) if table == "held_revisions" else submissions.write("21025")
        report = import_paths(dept_any, [path], jobs=0, today=IMPORT_TODAY)
        (result,) = report.results
        assert result.status == "rejected" and result.errors[-1].code == "E-IMPORT-DB"
        assert "refused by the test" in result.errors[-1].message
        code = "21034" if table == "held_revisions" else "21025"
        revisions = [info.revision for info in dept_any.store.assessments(PERIOD) if info.commune_code == code]
        assert revisions == ([1] if table == "held_revisions" else [])  # nothing of the file
        line = import_log(dept_any.store, limit=1)[0]
        assert (line.file_name, line.outcome) == (path.name, "rejected")
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS refuse_one" if engine.dialect.name == "sqlite"
                                    else f"DROP TRIGGER IF EXISTS refuse_one ON {table}"))
            if engine.dialect.name != "sqlite":
                connection.execute(text("DROP FUNCTION IF EXISTS refuse_one()"))
