"""The schema (issue 13 §4): the models and the migrations agree; a migration is one transaction.

- Every table is a model of ``readiness/store/models.py``, and the migrations at their head make
  exactly those tables, columns, types, nullability, indexes and keys: Alembic's autogenerate
  comparison of a freshly migrated database with ``Base.metadata`` finds nothing (SQLite here;
  PostgreSQL too when ``READINESS_TEST_PG_URL`` is set).
- SQLite: an upgrade runs in one transaction (SQLite's DDL is transactional; its Python driver
  would otherwise commit each CREATE/ALTER on its own), so a process killed in the middle of a
  migration leaves the database as it was, and the next start migrates it whole.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE_HEAD = "0003_signatures"  # a database one migration behind (0004 adds a table, an index, a column)


def _differences(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from readiness.store.db import Store
    from readiness.store.models import Base

    store = Store.open(url, migrate=False)
    try:
        store.migrate()
        assert store.schema_revision() == store.head_revision()
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "compare_server_default": False})
            return compare_metadata(context, Base.metadata)
    finally:
        store.close()


def test_models_and_migrations__fresh_sqlite__no_difference(tmp_path):
    assert _differences(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") == []


def test_models_and_migrations__fresh_postgresql__no_difference(pg_fresh_url):
    assert _differences(pg_fresh_url) == []


def test_every_table__is_a_model_of_store_models():
    import readiness.store
    from readiness.store.models import Base

    for module in pkgutil.walk_packages(readiness.store.__path__, "readiness.store."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    importlib.import_module("readiness.signing.records")  # it defined two tables of its own before
    owners = {mapper.class_.__module__ for mapper in Base.registry.mappers}
    assert owners == {"readiness.store.models"}
    assert set(Base.metadata.tables) == {
        "meta", "communes", "assessments", "answers", "table_rows", "petitions", "import_log", "trusted_roots",
        "assessment_signatures", "held_revisions", "carry_forward", "section_confirmations", "commune_groups",
        "commune_group_members", "reporting_periods", "exports", "mail_messages", "mail_reminders", "commune_contacts",
        "score_cache"}


def _at_revision(path: Path, revision: str) -> None:
    """A database migrated to ``revision`` (not the head), with one row to find again."""
    from alembic import command

    from readiness.store.db import Store

    store = Store.open(f"sqlite:///{path}", migrate=False)
    try:
        with store.engine.begin() as connection:
            command.upgrade(store._alembic_config(connection), revision)
        store.set_setting("test.sentinel", "kept")
    finally:
        store.close()


KILLED_MID_MIGRATION = """
import os, sys
from alembic.operations import Operations
from readiness.store.db import Store

original = Operations.create_index

def create_index_then_die(self, *args, **kwargs):
    result = original(self, *args, **kwargs)  # 0004: the table and its index are made ...
    os._exit(9)  # ... and the power goes before the import log's new column and the version

Operations.create_index = create_index_then_die
Store.open(sys.argv[1], migrate=False).migrate()
"""


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        connection.close()


def test_sqlite_migration__killed_in_the_middle__old_schema_intact_then_migrated_whole(tmp_path):
    path = tmp_path / "old.sqlite3"
    _at_revision(path, BEFORE_HEAD)
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_MID_MIGRATION), f"sqlite:///{path}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "desktop")})
    assert killed.returncode == 9, killed.stderr

    from readiness.store.db import Store

    store = Store.open(f"sqlite:///{path}", migrate=False)
    try:
        assert store.schema_revision() == BEFORE_HEAD
        assert "held_revisions" not in _tables(path)  # the killed transaction left nothing behind
        assert store.get_setting("test.sentinel") == "kept"
        store.migrate()
        assert store.schema_revision() == store.head_revision()
        assert "held_revisions" in _tables(path)
        assert store.get_setting("test.sentinel") == "kept"
    finally:
        store.close()
    assert _differences(f"sqlite:///{path}") == []


def test_sqlite_migration__fails_in_the_middle__nothing_of_it_stays(tmp_path, monkeypatch):
    """Without the backup's help (a new database has none): the transaction alone undoes the work."""
    from alembic.operations import Operations

    from readiness.store.db import Store

    original = Operations.create_index
    calls = []

    def create_index_then_fail(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        calls.append(args)
        if len(calls) == 3:  # 0001 half done: meta, communes, assessments made; answers not yet
            raise RuntimeError("injected failure")
        return result

    monkeypatch.setattr(Operations, "create_index", create_index_then_fail)
    path = tmp_path / "new.sqlite3"
    store = Store.open(f"sqlite:///{path}", migrate=False)
    try:
        with pytest.raises(RuntimeError, match="injected failure"):
            store.migrate()
        assert store.schema_revision() is None
    finally:
        store.close()
    assert _tables(path) == set()
