"""Backup and restore to a single file, verified on restore; bad files are refused untouched."""

import sqlite3

import pytest

from readiness.cli import main
from readiness.service import Workspace
from readiness.store.db import Store, StoreError


def _fill(db_url, officers):
    workspace = Workspace.open(db_url)
    session = workspace.session("23500", "2025-11")
    session.set_answer("officers", officers)
    workspace.close()


def _officers(db_url):
    workspace = Workspace.open(db_url)
    value = workspace.session("23500", "2025-11").answers.get("officers")
    workspace.close()
    return value


def test_backup_restore__round_trip__data_back_and_safety_copy_kept(db_url, tmp_path, capsys):
    _fill(db_url, 30)
    backup = tmp_path / "sao-luu.sqlite3"
    assert main(["--db", db_url, "backup", "--out", str(backup)]) == 0
    assert "đã kiểm tra" in capsys.readouterr().out
    _fill(db_url, 45)
    assert _officers(db_url) == 45
    assert main(["--db", db_url, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "before-restore" in out
    assert _officers(db_url) == 30


@pytest.mark.parametrize("content, code", [
    (b"", "E-BACKUP-FILE"),
    (b"PK\x03\x04 not a database", "E-BACKUP-FILE"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "E-BACKUP-FILE"),
])
def test_restore__not_a_backup__refused_and_database_untouched(db_url, tmp_path, content, code):
    _fill(db_url, 30)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    store = Store.open(db_url)
    with pytest.raises(StoreError) as caught:
        store.restore(bad)
    store.close()
    assert caught.value.code == code
    assert _officers(db_url) == 30


def test_restore__foreign_sqlite_database__refused(db_url, tmp_path):
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (x)")
    connection.commit()
    connection.close()
    store = Store.open(db_url)
    with pytest.raises(StoreError) as caught:
        store.restore(other)
    store.close()
    assert caught.value.code == "E-BACKUP-FILE"


def test_restore__backup_from_a_newer_version__refused(db_url, tmp_path):
    _fill(db_url, 30)
    store = Store.open(db_url)
    newer = store.backup(tmp_path / "newer.sqlite3")
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError) as caught:
        store.restore(newer)
    store.close()
    assert caught.value.code == "E-BACKUP-NEWER"
