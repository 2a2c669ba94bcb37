"""The light way to a SQLite file (readiness.store.light: stdlib sqlite3, no SQLAlchemy) gives what the
Store gives: every read of one assessment, on the same database, equal; the export record it writes is
the one the Store writes; and it steps aside (``LightStore.open`` -> None) whenever the full store has
work to do first (a schema not at the head, a register to load, another kind of database)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "department"))

CODE = "23500"


def _file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def two_periods(workspace):
    """A commune with 10/2025 finalized and 11/2025 carried from it (one section confirmed, answers of
    every kind: text, integer, decimal, yes/no, dates, tables), a document setting saved."""
    from demo_db import populate

    commune = workspace.store.commune(CODE)
    populate(workspace, [commune], "2025-10", today=dt.date(2025, 10, 20), finalize=True)
    session = workspace.start(CODE, "2025-11")
    session.confirm_section(session.checklist.sections[0].id)
    session.set_answer("officers", 47)
    workspace.store.save_settings({"documents.signer_name": "Nguyễn Văn An", "documents_other": "không lấy"})
    return workspace, session


def test_every_read__light_and_store_on_one_database__equal(two_periods, db_url):
    from readiness.store.light import LightStore

    workspace, session = two_periods
    store = workspace.store
    info = session.info
    light = LightStore.open(db_url)
    assert light is not None
    with light:
        assert light.commune(CODE) == store.commune(CODE)
        assert light.current_assessment(CODE, "2025-11") == store.current_assessment(CODE, "2025-11")
        assert light.current_assessment(CODE, "2025-12") is None is store.current_assessment(CODE, "2025-12")
        assert light.assessment(info.id) == store.assessment(info.id)
        previous = store.finalized(CODE, "2025-10")
        assert previous is not None and previous.finalized_at is not None and previous.score is not None
        assert light.finalized(CODE, "2025-10") == previous
        assert light.finalized(CODE, "2025-11") is None is store.finalized(CODE, "2025-11")
        assert light.latest_finalized_before(CODE, "2025-11") == store.latest_finalized_before(CODE, "2025-11") == previous
        source = store.carry_source(info.id)
        assert source is not None and light.carry_source(info.id) == source
        assert light.carry_source(previous.id) is None is store.carry_source(previous.id)
        confirmed = store.section_confirmations(info.id)
        assert confirmed and light.section_confirmations(info.id) == confirmed
        assert all(at.tzinfo is not None for at in confirmed.values())
        assert light.settings("documents.") == store.settings("documents.") == {"documents.signer_name": "Nguyễn Văn An"}
        assert light.get_setting("register_fingerprint") == store.get_setting("register_fingerprint")
        assert light.get_setting("nothing", "x") == store.get_setting("nothing", "x") == "x"
        for assessment in (info, previous):
            checklist = workspace.checklist_for(assessment)
            ours, theirs = light.load_answers(assessment.id, checklist), store.load_answers(assessment.id, checklist)
            assert ours.values == theirs.values and ours.sources == theirs.sources and ours.meta == theirs.meta
            kinds = {type(value) for value in theirs.values.values()}
            assert {int, str, bool, list} <= kinds, kinds  # numbers as the column stores them, text, tables
        for read in (light.commune, store.commune):
            with pytest.raises(Exception, match="E-COMMUNE|Không có đơn vị"):
                read("99999")


def test_view__through_light_and_through_the_store__same_export_context(two_periods, db_url):
    from readiness.exchange.context import ExportContext
    from readiness.service import Reading
    from readiness.store.light import LightStore

    workspace, session = two_periods
    now = dt.datetime(2025, 11, 25, 9, 0, tzinfo=dt.UTC)
    with Reading.open(db_url) as reading:
        assert isinstance(reading.reads, LightStore)
        view = reading.view(CODE, "2025-11")
        light_ctx = ExportContext.from_session(view, now=now)
    store_ctx = ExportContext.from_session(workspace.session(CODE, "2025-11", create=False), now=now)
    assert light_ctx.identity == store_ctx.identity
    assert light_ctx.answers.values == store_ctx.answers.values
    assert light_ctx.result.score == store_ctx.result.score and light_ctx.result.level_id == store_ctx.result.level_id
    assert light_ctx.department == store_ctx.department
    assert light_ctx.previous == store_ctx.previous and light_ctx.previous is not None and light_ctx.previous.carried
    assert light_ctx.previous.changes  # officers 47 this month


def test_view__period_without_assessment__same_error_as_the_workspace(workspace, db_url):
    from readiness.service import Reading
    from readiness.store.periods import StoreError

    with pytest.raises(StoreError) as through_store:
        workspace.session(CODE, "2025-11", create=False)
    with Reading.open(db_url) as reading, pytest.raises(StoreError) as through_light:
        reading.view(CODE, "2025-11")
    assert (through_light.value.code, str(through_light.value)) == (through_store.value.code, str(through_store.value))


def test_record_exports__light_and_store__the_same_record(two_periods, db_url, tmp_path):
    from readiness.service import Reading
    from readiness.store.cycle import exports

    workspace, session = two_periods
    info = session.info
    written = tmp_path / "xã.xlsx"
    written.write_bytes(b"PK workbook bytes")
    kwargs = dict(assessment_id=info.id, commune_code=CODE, period=info.period, revision=info.revision,
                  status=info.status, files=[("xlsx", written)], data_sha256="ab" * 32)
    workspace.record_exports(**kwargs)
    before = dt.datetime.now(dt.UTC)
    with Reading.open(db_url) as reading:
        reading.record_exports(**kwargs)
    after = dt.datetime.now(dt.UTC)
    light_row, store_row = exports(workspace.store, commune_code=CODE)
    assert light_row.id > store_row.id
    assert light_row.made_at.tzinfo is not None and before <= light_row.made_at <= after
    same = [name for name in light_row.__dataclass_fields__ if name not in ("id", "made_at")]
    assert {n: getattr(light_row, n) for n in same} == {n: getattr(store_row, n) for n in same}
    assert light_row.file_name == "xã.xlsx" and light_row.size == len(b"PK workbook bytes")


def test_open__a_schema_not_at_the_head_or_a_changed_register__left_to_the_store(db_url):
    from readiness.store.light import LightStore

    path = _file(db_url)
    with LightStore.open(db_url) as light:  # type: ignore[union-attr]
        assert light.schema_revision()
    connection = sqlite3.connect(path)
    head = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001_initial'")
    assert LightStore.open(db_url) is None  # the Store migrates (or refuses) it, as it always did
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (head,))
        connection.execute("UPDATE meta SET value = 'other' WHERE key = 'register_fingerprint'")
    assert LightStore.open(db_url) is None  # the Store loads the register
    with connection:
        connection.execute("DROP TABLE alembic_version")
    connection.close()
    assert LightStore.open(db_url) is None


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "postgresql+psycopg://u:p@127.0.0.1/x",
                                 "sqlite:///{folder}/missing.sqlite3", "sqlite:///{folder}/a%20b.sqlite3",
                                 "sqlite:///{folder}/db.sqlite3?mode=ro", "sqlite:///{folder}/notes.txt"])
def test_open__not_a_current_sqlite_file__left_to_the_store(url, tmp_path):
    from readiness.store.light import LightStore

    (tmp_path / "notes.txt").write_text("not a database")
    assert LightStore.open(url.format(folder=tmp_path)) is None


def test_reading__postgresql__the_orm_store(pg_fresh_url):
    from readiness.service import Reading
    from readiness.store.db import Store

    with Reading.open(pg_fresh_url) as reading:
        assert isinstance(reading.reads, Store)


def test_reading__an_old_database__migrated_by_the_store_as_before(db_url):
    """A database at an older revision: Reading opens the full Store, which takes its backup and migrates."""
    from readiness.service import Reading
    from readiness.store.db import Store
    from readiness.store.queries import head_revision

    path = _file(db_url)
    connection = sqlite3.connect(path)
    with connection:  # 0009 added the score cache: a database at 0008 has none
        connection.execute("DROP TABLE score_cache")
        previous = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert previous == head_revision()
    connection.close()
    versions = sorted((ROOT / "desktop" / "readiness" / "store" / "migrations" / "versions").glob("0008_*.py"))
    older = next(line.split("=")[1].strip().strip("\"'") for line in versions[0].read_text().splitlines()
                 if line.startswith("revision"))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (older,))
    with Reading.open(db_url) as reading:
        assert isinstance(reading.reads, Store)
        assert reading.reads.schema_revision() == head_revision()


def _cli_in_a_new_process(arguments: list[str]) -> tuple[str, list[str]]:
    """``readiness ARGUMENTS`` in a fresh interpreter: (what it printed, the sqlalchemy/alembic modules it loaded)."""
    script = (
        "import sys\n"
        "from readiness.cli import main\n"
        f"code = main({arguments!r})\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))\n"
        "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "desktop")})
    assert done.returncode == 0, done.stderr
    printed, _, loaded = done.stdout.rpartition("LOADED ")
    return printed, json.loads(loaded.replace("'", '"'))


def test_export_cli__current_sqlite__sqlalchemy_never_imported(two_periods, db_url, tmp_path):
    """``readiness export`` as a new process on a current SQLite file: the workbook written and read back,
    recorded, and neither SQLAlchemy nor Alembic imported (what the light path is for)."""
    from readiness.store.cycle import exports

    target = tmp_path / "out.xlsx"
    printed, loaded = _cli_in_a_new_process(["--db", db_url, "export", "--commune", CODE, "--period", "2025-11",
                                             "--xlsx", str(target), "--json"])
    assert loaded == []
    answer = json.loads(printed)
    assert answer["ok"] and answer["files"][0]["path"] == str(target) and target.is_file()
    recorded = exports(two_periods[0].store, commune_code=CODE)
    assert [(r.kind, r.path, r.data_sha256) for r in recorded] == [("xlsx", str(target.resolve()),
                                                                     answer["files"][0]["data_sha256"])]


def test_template_cli__no_database_needed__sqlalchemy_never_imported(tmp_path):
    target = tmp_path / "phieu.xlsx"
    printed, loaded = _cli_in_a_new_process(["template", "--out", str(target), "--commune", CODE, "--json"])
    assert loaded == [] and json.loads(printed)["ok"] and target.is_file()
