"""Shared fixtures: every test gets its own user-data folder and a fresh database."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "desktop") not in sys.path:  # running without `pip install -e .`
    sys.path.insert(0, str(ROOT / "desktop"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PG_ENV = "READINESS_TEST_PG_URL"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READINESS_HOME", str(home))
    monkeypatch.delenv("READINESS_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database as the program's first open leaves it (migrated to the head, the register of
    3,321 communes loaded), made once per test process by ``Store.open`` itself.  Each test's ``db_url``
    starts as a copy of it: a first open takes about a second, a copy a few milliseconds, and the suite
    opens a fresh database in most of its tests.  (Tests of the first open itself use their own path.)"""
    from readiness.store.db import Store

    folder = tmp_path_factory.mktemp("migrated")
    saved = os.environ.get("READINESS_HOME")
    os.environ["READINESS_HOME"] = str(folder / "home")  # nothing of the first open lands in a real home
    try:
        Store.open(f"sqlite:///{folder / 'migrated.sqlite3'}").close()
    finally:
        if saved is None:
            os.environ.pop("READINESS_HOME", None)
        else:
            os.environ["READINESS_HOME"] = saved
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith("migrated.sqlite3") and p.name != "migrated.sqlite3"]
    assert not [name for name in leftovers if name.endswith(("-wal", "-journal"))], leftovers  # closed whole
    return folder / "migrated.sqlite3"


@pytest.fixture
def sqlite_copy(tmp_path, migrated_sqlite):
    """``sqlite_copy("department")`` -> the URL of a new database ``department.sqlite3`` in the test's folder:
    a copy of :func:`migrated_sqlite`, what a first open makes."""
    import shutil

    def make(name: str = "test") -> str:
        target = tmp_path / f"{name}.sqlite3"
        assert not target.exists(), target
        shutil.copyfile(migrated_sqlite, target)
        return f"sqlite:///{target}"

    return make


@pytest.fixture
def db_url(sqlite_copy) -> str:
    """A database of this test's own (``test.sqlite3`` in its folder; see :func:`sqlite_copy`)."""
    return sqlite_copy("test")


@pytest.fixture(scope="session")
def _built_sqlite(tmp_path_factory) -> dict[str, Path]:
    return {}


@pytest.fixture
def prepare_db(db_url, migrated_sqlite, tmp_path_factory, _built_sqlite):
    """``prepare_db(key, build)`` -> ``db_url``, holding what ``build(url)`` makes of a fresh database.

    The build runs once per test process for each ``key`` (on a copy of :func:`migrated_sqlite`); each test
    gets a copy of the result, so what a test changes stays its own.  ``build`` closes what it opens.  Call
    it before anything opens ``db_url``."""
    import shutil

    target = Path(db_url.removeprefix("sqlite:///"))

    def prepare(key: str, build) -> str:
        if key not in _built_sqlite:
            path = tmp_path_factory.mktemp(f"built-{key}") / "built.sqlite3"
            shutil.copyfile(migrated_sqlite, path)
            build(f"sqlite:///{path}")
            _built_sqlite[key] = path
        shutil.copyfile(_built_sqlite[key], target)
        return db_url

    return prepare


@pytest.fixture
def store(db_url):
    from readiness.store.db import Store

    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def workspace(db_url):
    from readiness.service import Workspace

    opened = Workspace.open(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def real_checklist():
    from readiness.checklist.loader import default_library

    return default_library().latest()


@pytest.fixture
def small():
    """The small inline checklist of tests/samples.py (every item type), loaded."""
    from readiness.checklist.loader import load_checklist_text

    from samples import SMALL

    return load_checklist_text(SMALL, "small.yaml")


@pytest.fixture
def small_library(tmp_path):
    """A checklist folder holding only the small checklist (``small-test@1``)."""
    from readiness.checklist.loader import ChecklistLibrary

    from samples import SMALL

    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "checklists")


# -- PostgreSQL (READINESS_TEST_PG_URL; .ci/run starts a server and sets it) --------------------------------


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"{PG_ENV} is not set (PostgreSQL tests run in CI: .ci/run starts a server)")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ArgumentError:
        pytest.fail(f"{PG_ENV} is not a database URL: {url!r} (.ci/postgres must print only the URL)")
    return url


@pytest.fixture
def pg_fresh_url(pg_server_url) -> Any:
    """A new, empty database on the server (no schema at all), dropped at the end of the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(pg_server_url)
    name = f"readiness_f{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"cannot create a PostgreSQL database for this test ({type(error).__name__})")
    yield base.set(database=name).render_as_string(hide_password=False)
    import time
    import warnings

    for attempt in range(20):  # an autovacuum worker on the new tables cannot be ended by us: wait for it
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            break
        except Exception as error:  # noqa: BLE001
            if attempt == 19:
                warnings.warn(f"test database {name} not dropped: {error}", stacklevel=1)
            time.sleep(0.5)
    admin.dispose()
