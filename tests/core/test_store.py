"""The store: migrations from empty, round trips of every answer type, transactions, revisions."""

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import inspect

from readiness.answers import AnswerError
from readiness.service import Workspace
from readiness.store.db import Store, StoreError, validate_period

from samples import TODAY


@pytest.fixture
def ws(db_url, small_library):
    workspace = Workspace.open(db_url, library=small_library, default_checklist="small-test")
    yield workspace
    workspace.close()


def _session(ws, code="23500", period="2025-11"):
    session = ws.session(code, period)
    session.today = TODAY
    return session


def test_migrate__empty_database__head_schema_and_register(store):
    assert store.schema_revision() == store.head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {"communes", "assessments", "answers", "table_rows", "petitions", "meta", "alembic_version"} <= tables
    assert store.counts()["communes"] == 3321
    assert len(store.communes()) == 96
    assert store.commune("23500").name == "Xã Đăk Hà"


def test_sqlite__wal_foreign_keys_full_sync(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_communes__search_without_diacritics__finds_dak_ha(store):
    found = store.communes("dak ha")
    assert [c.name for c in found] == ["Xã Đăk Hà"]
    assert len(store.communes(province="all")) == 3321
    assert store.communes("ba dinh", province="01")[0].name == "Phường Ba Đình"


def test_reopen_store__second_open__no_migration_no_backup(db_url, tmp_path):
    Store.open(db_url).close()
    again = Store.open(db_url)
    assert again.migrate() is None
    again.close()


def test_round_trip__every_type__same_values_after_reopen(ws, db_url, small_library):
    session = _session(ws)
    session.set_answer("respondent", "  Nguyễn  Thị Hoà ")
    session.set_answer("officers", "25")
    session.set_answer("report_date", "20/11/2025")
    session.set_answer("has_fibre", "có")
    session.set_answer("download", "150,5")
    session.set_answer("providers", ["viettel", "vnpt"])
    session.set_answer("tslcd", "Đã kết nối")
    row = session.add_row("pcs", {"role": "Một cửa", "ram_gb": "8", "os": "win11", "bought": "2021-03-01"})
    session.set_cell("pcs", row.id, "ram_gb", 16)
    ws.close()

    again = Workspace.open(db_url, library=small_library, default_checklist="small-test")
    fresh = _session(again)
    values = fresh.answers.values
    assert values["respondent"] == "Nguyễn Thị Hoà"
    assert values["officers"] == 25
    assert values["report_date"] == dt.date(2025, 11, 20)
    assert values["has_fibre"] is True
    assert values["download"] == 150.5
    assert values["providers"] == ["vnpt", "viettel"]  # checklist order
    assert values["tslcd"] == "connected"
    assert [r.values for r in values["pcs"]] == [{"role": "Một cửa", "ram_gb": 16.0, "os": "win11", "bought": dt.date(2021, 3, 1)}]
    again.close()


def test_set_answer__invalid__refused_and_nothing_saved(ws):
    session = _session(ws)
    session.set_answer("officers", 10)
    with pytest.raises(AnswerError) as caught:
        session.set_answer("officers", "mười")
    assert caught.value.code == "E-ANS-NUMBER"
    assert "mười" in caught.value.message
    with pytest.raises(AnswerError) as caught:
        session.set_answer("download", 20000)
    assert caught.value.code == "E-ANS-CONSTRAINT"
    session.reload()
    assert session.answers.values["officers"] == 10


def test_set_answers__batch_with_one_bad__nothing_saved(ws):
    session = _session(ws)
    errors = session.set_answers({"respondent": "A", "officers": "x", "pcs": [{"role": "B", "ram_gb": "tám"}]})
    assert {(e.item, e.code) for e in errors} == {("officers", "E-ANS-NUMBER"), ("pcs", "E-ANS-NUMBER")}
    pcs_error = next(e for e in errors if e.item == "pcs")
    assert (pcs_error.row, pcs_error.column) == (1, "ram_gb")
    session.reload()
    assert session.answers.values == {}


def test_table_rows__insert_duplicate_delete__positions_kept(ws):
    session = _session(ws)
    a = session.add_row("pcs", {"role": "A"})
    c = session.add_row("pcs", {"role": "C"})
    session.add_row("pcs", {"role": "B"}, after_row=a.id)
    dup = session.duplicate_row("pcs", c.id)
    assert [r.values["role"] for r in session.answers.rows("pcs")] == ["A", "B", "C", "C"]
    session.delete_row("pcs", a.id)
    session.reload()
    assert [r.values["role"] for r in session.answers.rows("pcs")] == ["B", "C", "C"]
    assert dup.id != c.id


def test_finalize__incomplete__refused_with_first_missing_item(ws):
    session = _session(ws)
    with pytest.raises(StoreError) as caught:
        session.finalize()
    assert caught.value.code == "E-STORE-INCOMPLETE"
    assert "Người trả lời" in caught.value.message


def _complete(session):
    assert session.set_answers({
        "respondent": "Nguyễn Văn An", "officers": 20, "has_fibre": True, "download": 200, "tslcd": "connected",
        "pcs": [{"role": "Một cửa", "ram_gb": 8, "os": "win11"}],
        "petitions": [{"topic": "Hạ tầng", "difficulty": "Máy tính cũ", "proposal": "Cấp 5 máy tính", "addressed_to": "Sở KHCN"}],
    }) == []


def test_finalize_then_reopen__new_revision_history_kept(ws):
    session = _session(ws)
    _complete(session)
    info = session.finalize()
    assert (info.status, info.revision, info.level, info.score) == ("finalized", 1, "ready", 100.0)
    with pytest.raises(StoreError) as caught:
        session.set_answer("officers", 21)
    assert caught.value.code == "E-STORE-FINALIZED"
    petitions = ws.store.petitions("23500")
    assert [(p.difficulty, p.status) for p in petitions] == [("Máy tính cũ", "new")]

    reopened = session.reopen()
    assert (reopened.revision, reopened.status) == (2, "draft")
    assert session.answers.values["officers"] == 20
    session.set_answer("officers", 21)
    history = session.history()
    assert [(h.revision, h.status) for h in history] == [(2, "draft"), (1, "finalized")]
    old = ws.store.load_answers(history[1].id, session.checklist)
    assert old.values["officers"] == 20


def test_validate_period__forms():
    assert validate_period("2025-11") == "2025-11"
    assert validate_period("11/2025") == "2025-11"
    assert validate_period("3/2026") == "2026-03"
    for bad in ("2025-13", "2025/11", "abc", "", "1999-01"):
        with pytest.raises(StoreError):
            validate_period(bad)


def test_migration_failure__backup_restored_and_said(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    store.set_setting("marker", "before")
    store.close()
    # Pretend the file is at an older revision, and make the upgrade fail.
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num='0000_older'")
    connection.commit()
    connection.close()

    def broken_upgrade(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("alembic.command.upgrade", broken_upgrade)
    with pytest.raises(StoreError) as caught:
        Store.open(f"sqlite:///{path}")
    assert caught.value.code == "E-STORE-MIGRATE"
    assert "khôi phục" in caught.value.message
    restored = sqlite3.connect(path)
    assert restored.execute("SELECT value FROM meta WHERE key='marker'").fetchone() == ("before",)
    restored.close()


def test_head_revision__read_from_scripts__same_as_alembic(store):
    from alembic.script import ScriptDirectory

    assert store.head_revision() == ScriptDirectory.from_config(store._alembic_config(None)).get_current_head()


# -- one process at a time sets a database up (readiness.store.locking) -----------------------------------------


def test_setup_lock__held_elsewhere__empty_database_open_waits_then_finds_it_ready(tmp_path):
    import threading
    import time

    from sqlalchemy import create_engine

    from readiness.store.locking import setup_lock

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    opened: list[Store] = []
    other = create_engine(url)
    with setup_lock(other):  # another process creating the database (a lock on another open file)
        thread = threading.Thread(target=lambda: opened.append(Store.open(url)))
        thread.start()
        time.sleep(0.4)
        assert thread.is_alive() and not opened  # waiting, not failing
    thread.join(timeout=60)
    other.dispose()
    assert opened and opened[0].schema_revision() == opened[0].head_revision()
    assert opened[0].counts()["communes"] == 3321
    opened[0].close()
    assert (tmp_path / "new.sqlite3.lock").exists()


def test_setup_lock__never_released__coded_message_not_a_hang(tmp_path, monkeypatch):
    from sqlalchemy import create_engine

    from readiness.store import locking

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", 0.3)
    other = create_engine(url)
    with locking.setup_lock(other), pytest.raises(StoreError) as caught:
        Store.open(url)
    other.dispose()
    assert caught.value.code == "E-STORE-LOCKED"
    assert "đang tạo hoặc nâng cấp cơ sở dữ liệu" in caught.value.message


def test_setup_lock__current_database__open_takes_no_lock(db_url, tmp_path, monkeypatch):
    from sqlalchemy import create_engine

    from readiness.store import locking

    Store.open(db_url).close()
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", 0.3)
    other = create_engine(db_url)
    with locking.setup_lock(other):  # held by someone else: a current database opens anyway
        store = Store.open(db_url)
        assert store.counts()["communes"] == 3321
        store.close()
    other.dispose()
