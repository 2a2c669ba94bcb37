"""`readiness import` processes on one database at once (SQLite and PostgreSQL): nothing corrupted or doubled.

Also when the database is new or older than the program: the processes that start together all
succeed; one creates or upgrades the schema and loads the commune register (taking the one backup
of an old SQLite file), the others wait for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from readiness.store.imports import import_log
from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow, TableRowRow

PERIOD = "2025-11"  # as in conftest.py


def _run_two_at_once(url: str, folder) -> list[tuple[int, list[dict]]]:
    command = [sys.executable, "-m", "readiness", "--db", url, "import", str(folder), "--json", "--jobs", "1"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, [json.loads(line) for line in out.splitlines()], err))
    return [(code, lines) for code, lines, _ in results]


def test_concurrent_imports__same_files_two_processes__each_stored_once(any_db_url, demo_folder, submissions, tmp_path):
    from readiness.service import Workspace

    folder = tmp_path / "both"
    folder.mkdir()
    for path in sorted(demo_folder.glob("*.xlsx")):
        (folder / path.name).write_bytes(path.read_bytes())
    submissions.write("23500", revision=1, seed=1, folder=folder, name="a_23500_r1.xlsx")
    submissions.write("23500", revision=2, seed=2, folder=folder, name="b_23500_r2.xlsx")
    Workspace.open(any_db_url).close()  # migrated before the race (as a department's database is)

    runs = _run_two_at_once(any_db_url, folder)

    assert [code for code, _ in runs] == [0, 0], runs
    statuses = Counter(line["status"] for _, lines in runs for line in lines)
    assert statuses["rejected"] == 0
    assert statuses["imported"] + statuses["updated"] == 10 and statuses["duplicate"] == 10
    workspace = Workspace.open(any_db_url)
    try:
        store = workspace.store
        infos = store.assessments(PERIOD)
        assert len(infos) == 10 and len({i.id for i in infos}) == 10
        assert [i.revision for i in store.history("23500", PERIOD)] == [2, 1]
        with store.transaction() as session:
            per_assessment = dict(session.execute(select(AnswerRow.assessment_id, func.count())
                                                  .group_by(AnswerRow.assessment_id)).all())
            rows = session.scalar(select(func.count()).select_from(TableRowRow))
            petitions = list(session.scalars(select(PetitionRow)))
            assessments = session.scalar(select(func.count()).select_from(AssessmentRow))
        assert assessments == 10 and set(per_assessment) == {i.id for i in infos}
        assert rows > 0
        keys = [(p.commune_code, p.period, p.difficulty) for p in petitions]
        assert len(keys) == len(set(keys))  # no petition twice
        log = import_log(store)
        assert len(log) == 20 and Counter(row.outcome for row in log)["duplicate"] == 10
    finally:
        workspace.close()


# -- several processes opening a new or old database together ------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "databases"
RACERS = 4


def _run_at_once(url: str, folder: Path, count: int = RACERS,
                 started: Callable[[], None] | None = None) -> list[tuple[int, list[dict], str]]:
    # --jobs 0: files checked in the importing process (no worker pool): what races here is the opening
    command = [sys.executable, "-m", "readiness", "--db", url, "import", str(folder), "--json", "--jobs", "0"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(count)]
    if started:
        started()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        results.append((process.returncode, [json.loads(line) for line in out.splitlines()], err))
    return results


def _check_race(url: str, runs: list[tuple[int, list[dict], str]], files: int) -> None:
    """Every process succeeded; each file stored once; the schema and the register are there once."""
    from readiness.register import load_register
    from readiness.service import Workspace

    assert [code for code, _, _ in runs] == [0] * RACERS, [err[-1500:] for _, _, err in runs]
    assert not [err for _, _, err in runs if "Traceback" in err]
    statuses = Counter(line["status"] for _, lines, _ in runs for line in lines)
    assert statuses == {"imported": files, "duplicate": files * (RACERS - 1)}
    workspace = Workspace.open(url)
    try:
        store = workspace.store
        infos = store.assessments(PERIOD)
        assert len(infos) == files and len({(i.commune_code, i.period) for i in infos}) == files
        with store.transaction() as session:
            versions = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            with_answers = session.scalar(select(func.count(func.distinct(AnswerRow.assessment_id)))
                                          .where(AnswerRow.assessment_id.in_([i.id for i in infos])))
        assert versions == [store.head_revision()]
        assert with_answers == files
        assert store.counts()["communes"] == len(load_register())
        log = [row for row in import_log(store) if row.period == PERIOD]
        assert len(log) == files * RACERS
    finally:
        workspace.close()


def _backups(home: Path) -> list[Path]:
    return sorted((home / "backups").glob("*.sqlite3")) if (home / "backups").exists() else []


def test_first_open__four_imports_on_an_empty_sqlite_database__all_succeed_once_each(demo_folder, tmp_path,
                                                                                    _isolated_home):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    runs = _run_at_once(url, demo_folder)
    _check_race(url, runs, files=8)
    assert _backups(Path(_isolated_home)) == []  # a new database has nothing to back up


def test_first_open__four_imports_on_an_empty_postgres_database__all_succeed_once_each(demo_folder, pg_fresh_url):
    runs = _run_at_once(pg_fresh_url, demo_folder)
    _check_race(pg_fresh_url, runs, files=8)


def test_first_open__four_imports_on_an_old_sqlite_database__upgraded_once_with_one_backup(demo_folder, tmp_path,
                                                                                          _isolated_home):
    from readiness.service import Workspace

    fixture = "schema-0001_initial.sqlite3"  # the oldest: every migration runs
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / fixture, path)
    url = f"sqlite:///{path}"
    runs = _run_at_once(url, demo_folder)
    _check_race(url, runs, files=8)
    backups = _backups(Path(_isolated_home))
    revision = fixture.removeprefix("schema-").removesuffix(".sqlite3")
    assert len(backups) == 1 and f"before-migrate-{revision}" in backups[0].name, backups
    workspace = Workspace.open(url)
    try:  # what the old version had is still there
        assert [(h.revision, h.status) for h in workspace.store.history("23500", "2026-10")] == \
            [(2, "draft"), (1, "finalized")]
    finally:
        workspace.close()


def test_first_open__four_imports_on_an_old_postgres_database__upgraded_once(demo_folder, pg_fresh_url):
    from alembic import command
    from sqlalchemy import create_engine

    from readiness.store.db import Store

    engine = create_engine(pg_fresh_url)
    old = Store(engine)
    with engine.begin() as connection:  # the schema of the first release, as an old version left it
        command.upgrade(old._alembic_config(connection), "0001_initial")
    old.ensure_register()
    assert old.schema_revision() == "0001_initial"

    # A starting gate: the version table is locked until all four processes wait to read it, so they
    # all find the old schema at the same moment (without it, one may finish before the next starts).
    gate = engine.connect()
    gate_transaction = gate.begin()
    gate.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))

    def all_waiting() -> None:
        import time

        deadline = time.monotonic() + 120
        with engine.connect() as watcher:
            while time.monotonic() < deadline:
                waiting = watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted "
                                               "AND relation = 'alembic_version'::regclass")).scalar()
                if waiting >= RACERS:
                    break
                time.sleep(0.05)
        gate_transaction.commit()
        gate.close()

    try:
        runs = _run_at_once(pg_fresh_url, demo_folder, started=all_waiting)
    finally:
        engine.dispose()
    _check_race(pg_fresh_url, runs, files=8)
