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
        if _has_table(fixture, "held_revisions"):
            from readiness.store.imports import held_revisions

            (held,) = held_revisions(store)
            assert (held.commune_code, held.revision, held.reason_code) == ("23500", 3, "W-HELD-UNSIGNED")
        if _has_table(fixture, "commune_groups"):
            group = store.group("đ/c nguyễn văn a — 2 xã")
            assert group is not None and group.communes == ("23500", "21484") and group.person == "Nguyễn Văn A"
        if _has_table(fixture, "reporting_periods"):
            import datetime as dt

            from readiness.store.cycle import exports, period_record

            assert period_record(store, "2026-10").deadline == dt.date(2026, 11, 5)
            (sent,) = exports(store, commune_code="23500")
            assert (sent.period, sent.revision, sent.file_name) == ("2026-10", 1, "23500_2026-10.xlsx")
        if _has_table(fixture, "mail_messages"):
            from readiness.store.mailbox import commune_contacts, mail_record, reminder_mails

            contact = commune_contacts(store, ["23500"])["23500"]
            assert (contact.name, contact.email) == ("Nguyễn Thị Bích", "vanphong@dakha.gov.vn")
            record = mail_record(store, "<fixture-1@dakha.gov.vn>")
            assert record is not None and (record.state, record.outcome, record.commune_code, record.reply_status) \
                == ("imported", "accepted", "23500", "sent")
            assert record.files[0]["file"] == "23500_2026-10.xlsx" and record.mailbox_done
            (reminder,) = reminder_mails(store, "2026-10")
            assert (reminder.commune_code, reminder.status) == ("21484", "sent")
    finally:
        workspace.close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def _has_table(path: Path, table: str) -> bool:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() \
            is not None
    finally:
        connection.close()


def test_upgrade__0003_database__held_revisions_work_after_the_upgrade(tmp_path, _isolated_home):
    """The schema 0004 adds (held revisions, the log's note) is written and read on a database made by 0003."""
    from readiness.department.held import accept_held, find_held
    from readiness.store.imports import HoldReason, IncomingAssessment, LogEntry, import_log, store_assessment

    fixture = next(f for f in FIXTURES if f.stem == "schema-0003_signatures")
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    workspace = Workspace.open(f"sqlite:///{path}")
    try:
        info = workspace.store.history("23500", "2026-10")[0]
        incoming = IncomingAssessment(id="00000000-0000-0000-0000-000000000003", commune_code="23500", period="2026-10",
                                      revision=3, status="draft", checklist_id=info.checklist_id,
                                      checklist_version=info.checklist_version, checklist_hash="x" * 64,
                                      answers_sha256="a" * 64,
                                      answers=[{"item_id": "officers", "value": 15, "source": "import", "meta": None}])
        hold = HoldReason("W-HELD-UNSIGNED", "Bản mới không ký số, bản đã ký số vẫn được dùng.", 2, info.id)
        outcome = store_assessment(workspace.store, incoming, LogEntry("f.xlsx", "/tmp/f.xlsx", user_name="t"),
                                   guard=lambda _session, _incoming: hold)
        assert outcome.status == "held"
        accept_held(workspace, find_held(workspace, commune_code="23500", period="2026-10"), "đã xác nhận", user="t")
        assert workspace.store.history("23500", "2026-10")[0].revision == 3
        assert import_log(workspace.store, limit=1)[0].note == "đã xác nhận"
    finally:
        workspace.close()


# -- a schema revision this version does not ship --------------------------------------------------------------


def _stamped(tmp_path: Path, revision: str) -> Path:
    """The 0004 fixture as a build at ``revision`` left it (the reporting cycle's development build was
    numbered 0005 on top of 0004_held_revisions)."""
    fixture = next(f for f in FIXTURES if f.stem == "schema-0004_held_revisions")
    path = tmp_path / "dev.sqlite3"
    shutil.copyfile(fixture, path)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()
    return path


@pytest.mark.parametrize(("revision", "code", "says"), [
    ("0005_reporting_cycle", "E-STORE-DEV-REVISION", "chưa từng được phát hành (nay là «0007_reporting_cycle»)"),
    ("0006_mailbox", "E-STORE-DEV-REVISION", "chưa từng được phát hành (nay là «0008_mailbox»)"),
])
def test_open__database_at_a_development_revision__named_in_vietnamese_nothing_changed(tmp_path, _isolated_home,
                                                                                       revision, code, says):
    import hashlib

    from readiness.store.db import StoreError

    path = _stamped(tmp_path, revision)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as raised:
        Workspace.open(f"sqlite:///{path}")
    assert raised.value.code == code
    message = str(raised.value.message)
    assert f"«{revision}»" in message and str(path) in message and says in message
    assert "Cơ sở dữ liệu chưa bị thay đổi" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # not touched: no upgrade tried, nothing restored
    assert not list((Path(_isolated_home) / "backups").glob("*.sqlite3"))


def test_cli__database_at_0005_reporting_cycle__vietnamese_message_exit_1_no_traceback(tmp_path, _isolated_home,
                                                                                       capsys):
    from readiness.cli import main

    path = _stamped(tmp_path, "0005_reporting_cycle")
    assert main(["--db", f"sqlite:///{path}", "status", "--period", "2026-10"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi (E-STORE-DEV-REVISION)" in err and "«0005_reporting_cycle»" in err
    assert "Traceback" not in err and "Can't locate revision" not in err


def test_restore__backup_at_0005_reporting_cycle__refused_with_the_same_message(tmp_path, _isolated_home):
    from readiness.store.db import StoreError

    backup = _stamped(tmp_path, "0005_reporting_cycle")
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'current.sqlite3'}")
    try:
        with pytest.raises(StoreError) as raised:
            workspace.store.restore(backup)
        assert raised.value.code == "E-STORE-DEV-REVISION" and backup.name in str(raised.value.message)
    finally:
        workspace.close()


def test_open__postgresql_database_at_0005_reporting_cycle__named_in_vietnamese_url_without_password(pg_fresh_url):
    from sqlalchemy import create_engine, text

    from readiness.store.db import Store, StoreError

    Store.open(pg_fresh_url).close()
    engine = create_engine(pg_fresh_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0005_reporting_cycle'"))
    try:
        with pytest.raises(StoreError) as raised:
            Workspace.open(pg_fresh_url)
        assert raised.value.code == "E-STORE-DEV-REVISION"
        message = str(raised.value.message)
        assert "«0005_reporting_cycle»" in message and "***@" in message and ":readiness@" not in message
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005_reporting_cycle"
    finally:
        engine.dispose()
