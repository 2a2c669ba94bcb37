"""Several files written in one transaction (a batch): a bad file in the middle is still rolled back and
reported alone, on SQLite and on PostgreSQL, and the log keeps one line per file in the order given."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from readiness.department import importer
from readiness.department.importer import import_paths
from readiness.store.imports import import_log

IMPORT_TODAY = dt.date(2025, 11, 20)
PERIOD = "2025-11"


@pytest.fixture
def batched(monkeypatch):
    """Every checked file joins the batch (as when the workers are ahead of a slow database)."""
    monkeypatch.setattr(importer._Checks, "ready", lambda self: True)
    written = []
    original = importer._Writer.write_many

    def spy(self, batch):
        written.append(len(batch))
        return original(self, batch)

    monkeypatch.setattr(importer._Writer, "write_many", spy)
    return written


def _import(workspace, paths):
    return import_paths(workspace, paths, jobs=0, today=IMPORT_TODAY)


def test_batch__older_revision_in_the_middle__rejected_alone_others_imported(dept_any, submissions, batched):
    assert _import(dept_any, [submissions.write("23500", revision=2)]).counts["imported"] == 1
    files = [submissions.write("21025"), submissions.write("23500", revision=1), submissions.write("21034")]
    report = _import(dept_any, files)
    assert batched[-1] == 3  # the three in one batch
    assert [r.status for r in report.results] == ["imported", "rejected", "imported"]
    assert report.results[1].errors[0].code == "E-IMPORT-OLDER"
    assert report.results[1].errors[0].cell  # located in the file, as when written alone
    assert {(i.commune_code, i.revision) for i in dept_any.store.assessments(PERIOD)} == {
        ("23500", 2), ("21025", 1), ("21034", 1)}
    lines = import_log(dept_any.store)[:3]
    assert [(line.file_name, line.outcome) for line in reversed(lines)] == [
        (files[0].name, "imported"), (files[1].name, "rejected"), (files[2].name, "imported")]


def test_batch__database_refuses_one_file__that_file_alone_rolled_back_and_reported(dept_any, submissions, batched):
    engine = dept_any.store.engine
    with engine.begin() as connection:  # the database refuses commune 21034's assessment (as a broken disk might)
        if engine.dialect.name == "sqlite":
            connection.execute(text("CREATE TRIGGER refuse_one BEFORE INSERT ON assessments WHEN "
                                    "NEW.commune_code = '21034' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
        else:
            connection.execute(text("CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                                    "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"))
            connection.execute(text("CREATE TRIGGER refuse_one BEFORE INSERT ON assessments FOR EACH ROW WHEN "
                                    "(NEW.commune_code = '21034') EXECUTE FUNCTION refuse_one()"))
    try:
        files = [submissions.write("21025"), submissions.write("21034"), submissions.write("23500")]
        report = _import(dept_any, files)
        assert batched[-1] == 3
        assert [r.status for r in report.results] == ["imported", "rejected", "imported"]
        assert report.results[1].errors[-1].code == "E-IMPORT-DB"
        assert "refused by the test" in report.results[1].errors[-1].message
        assert sorted(i.commune_code for i in dept_any.store.assessments(PERIOD)) == ["21025", "23500"]
        lines = import_log(dept_any.store)
        assert [(line.file_name, line.outcome) for line in reversed(lines)] == [
            (files[0].name, "imported"), (files[1].name, "rejected"), (files[2].name, "imported")]
        again = _import(dept_any, files)  # the same files again: duplicates in one batch, the bad one still alone
        assert [r.status for r in again.results] == ["duplicate", "rejected", "duplicate"]
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS refuse_one" if engine.dialect.name == "sqlite"
                                    else "DROP TRIGGER IF EXISTS refuse_one ON assessments"))
            if engine.dialect.name != "sqlite":
                connection.execute(text("DROP FUNCTION IF EXISTS refuse_one()"))


def test_batch__same_commune_twice__written_in_order_in_two_batches(dept_any, submissions, batched):
    files = [submissions.write("23500", revision=1), submissions.write("23500", revision=2),
             submissions.write("21025")]
    report = _import(dept_any, files)
    assert [r.status for r in report.results] == ["imported", "updated", "imported"]
    assert batched[-2:] == [1, 2]  # the second revision starts a new batch
    assert [(h.revision, h.status) for h in dept_any.store.history("23500", PERIOD)] == [(2, "finalized"),
                                                                                      (1, "finalized")]


def test_store_batch__two_files_of_one_commune_and_period__refused_as_a_batch_nothing_written(dept):
    from readiness.store.imports import BatchFile, IncomingAssessment, LogEntry, store_batch

    def incoming(revision):
        return IncomingAssessment(id=f"id-{revision}", commune_code="23500", period=PERIOD, revision=revision,
                                  status="finalized", checklist_id="c", checklist_version=1, checklist_hash="h",
                                  answers_sha256=f"a{revision}")

    files = [BatchFile(LogEntry(f"f{r}.xlsx", f"/f{r}.xlsx"), incoming=incoming(r)) for r in (1, 2)]
    assert store_batch(dept.store, files) is None
    assert import_log(dept.store) == [] and dept.store.assessments(PERIOD) == []
