"""A database made by an older released version opens in this one, with nothing lost.

One fixture per schema revision (tests/fixtures/databases/, made by make_database_fixture.py when the
revision was current).  Each is upgraded to the newest schema; a backup is taken first.
"""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from readiness.answers import Answers, coerce
from readiness.service import Workspace

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "databases").glob("schema-*.sqlite3"))
READY = json.loads((Path(__file__).resolve().parents[1] / "data" / "ready_commune.json").read_text(encoding="utf-8"))["answers"]


def test_fixtures__one_per_schema_revision__present():
    assert FIXTURES, "no database fixtures"
    assert FIXTURES[0].name == "schema-0001_initial.sqlite3"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_upgrade__fixture_database__migrated_with_backup_and_nothing_lost(fixture, tmp_path, _isolated_home):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    workspace = Workspace.open(f"sqlite:///{path}")
    try:
        store = workspace.store
        assert store.schema_revision() == store.head_revision()
        revision = fixture.stem.removeprefix("schema-")
        backups = list((Path(_isolated_home) / "backups").glob("*.sqlite3"))
        if revision != store.head_revision():
            assert len(backups) == 1 and f"before-migrate-{revision}" in backups[0].name
        history = store.history("23500", "2026-10")
        assert [(h.revision, h.status) for h in history] == [(2, "draft"), (1, "finalized")]
        checklist = workspace.checklist_for(history[1])
        old = store.load_answers(history[1].id, checklist)
        # the fixture was made with the checklist of its day: the ready answers to the items it has
        known = {item.id for item in checklist.items()}
        expected = Answers(values={k: coerce(checklist.item(k), v) for k, v in READY.items() if k in known})
        assert old.scope_values() == expected.scope_values()
        assert store.load_answers(history[0].id, checklist).values["officers"] == 13
        assert len(store.petitions("23500")) == len(READY["petitions"])
        session = workspace.session("23500", "2026-10")
        session.set_answer("officers", 14)  # the upgraded database takes new writes
    finally:
        workspace.close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
