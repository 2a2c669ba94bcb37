"""An import's answers and table rows go to SQLite's driver directly (``store.imports.insert_rows``): the
same rows as through SQLAlchemy, the same transaction (a refused file still rolls back alone)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import text

from readiness.department import importer
from readiness.department.importer import import_paths
from readiness.service import Workspace
from readiness.store import imports

IMPORT_TODAY = dt.date(2025, 11, 20)
PERIOD = "2025-11"
NOW = dt.datetime(2025, 11, 21, 8, 30, 15, 123456, tzinfo=dt.UTC)
TABLES = ("assessments", "answers", "table_rows", "import_log", "petitions", "held_revisions")


def _rows(path, table: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        connection.close()


def _import_into(path, files, monkeypatch, *, direct: bool) -> dict[str, list[tuple]]:
    monkeypatch.setattr(imports, "SQLITE_DIRECT", direct)
    monkeypatch.setattr(imports, "utcnow", lambda: NOW)
    monkeypatch.setattr(importer, "_user", lambda: "kiem-tra")
    workspace = Workspace.open(f"sqlite:///{path}")
    try:
        report = import_paths(workspace, files, jobs=0, today=IMPORT_TODAY)
        again = import_paths(workspace, files[:2], jobs=0, today=IMPORT_TODAY)  # duplicates: log lines only
    finally:
        workspace.close()
    assert all(result.status == "imported" for result in report.results)
    assert [result.status for result in again.results] == ["duplicate", "duplicate"]
    return {table: _rows(path, table) for table in TABLES}


def test_direct_insert__same_files__rows_identical_to_sqlalchemys(demo_folder, tmp_path, monkeypatch):
    files = sorted(demo_folder.glob("*.xlsx"))
    monkeypatch.setattr(importer._Checks, "ready", lambda self: True)  # several files per batch
    used = []
    original = imports._direct_insert

    def spy(*args):
        used.append(args[0].name)
        return original(*args)

    monkeypatch.setattr(imports, "_direct_insert", spy)
    through_sqlalchemy = _import_into(tmp_path / "core.sqlite3", files, monkeypatch, direct=False)
    assert used == []
    direct = _import_into(tmp_path / "direct.sqlite3", files, monkeypatch, direct=True)
    assert {"answers", "table_rows"} <= set(used)  # the direct path did write them
    assert len(direct["answers"]) > 100 and len(direct["table_rows"]) > 10  # real content: values, JSON, tables
    assert any(row for row in direct["petitions"])
    for table in TABLES:
        assert direct[table] == through_sqlalchemy[table], table
    # and exactly what SQLAlchemy reads back as JSON and times
    stored = sqlite3.connect(tmp_path / "direct.sqlite3").execute(
        "SELECT typeof(value), typeof(meta), updated_at FROM answers LIMIT 1").fetchone()
    assert stored == ("text", "text", "2025-11-21 08:30:15.123456")


@pytest.mark.parametrize("alone", [False, True])
def test_direct_insert__database_refuses_an_answer__that_file_alone_rolled_back(dept, submissions, monkeypatch, alone):
    """A driver error of the direct path is SQLAlchemy's error to the importer: the batch is written file by
    file, and only the refused file is rejected (E-IMPORT-DB), with nothing of it stored."""
    if not alone:
        monkeypatch.setattr(importer._Checks, "ready", lambda self: True)
    with dept.store.engine.begin() as connection:
        connection.execute(text("CREATE TRIGGER refuse_answer BEFORE INSERT ON answers WHEN NEW.assessment_id IN "
                                "(SELECT id FROM assessments WHERE commune_code = '21034') "
                                "BEGIN SELECT RAISE(ABORT, 'answer refused by the test'); END"))
    files = [submissions.write("21025"), submissions.write("21034"), submissions.write("23500")]
    report = import_paths(dept, files, jobs=0, today=IMPORT_TODAY)
    assert [r.status for r in report.results] == ["imported", "rejected", "imported"]
    assert report.results[1].errors[-1].code == "E-IMPORT-DB"
    assert "answer refused by the test" in report.results[1].errors[-1].message
    assert sorted(i.commune_code for i in dept.store.assessments(PERIOD)) == ["21025", "23500"]
    connection = sqlite3.connect(dept.store.sqlite_path)
    try:
        stored = connection.execute("SELECT a.commune_code, count(*) FROM answers JOIN assessments a ON a.id = "
                                    "answers.assessment_id GROUP BY a.commune_code ORDER BY 1").fetchall()
    finally:
        connection.close()
    assert [code for code, count in stored if count] == ["21025", "23500"]
