"""Fixtures of the department tests.

Import (``test_import*.py``): submissions written by the real exporter for register communes,
hostile files built byte by byte, and the database on SQLite or on PostgreSQL
(``READINESS_TEST_PG_URL``, fixtures ``pg_server_url`` and ``pg_fresh_url`` of ``tests/conftest.py``;
the PostgreSQL cases are skipped when it is not set, and ``.ci/run`` sets it).  Each test session on PostgreSQL gets a database of its own (created from that URL and
dropped at the end), so two test runs on one server do not see each other.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

IMPORT_TODAY = dt.date(2025, 11, 20)
PERIOD = "2025-11"


# -- databases ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_session_url(pg_server_url) -> Any:
    """A database of this test session's own on the server (dropped at the end)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(pg_server_url)
    name = f"readiness_t{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # noqa: BLE001 - no CREATEDB right: share the given database, emptied per test
        admin.dispose()
        yield base.render_as_string(hide_password=False)
        return
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        data = [t for t in ("petitions", "table_rows", "answers", "assessments", "import_log",
                            "assessment_signatures", "held_revisions", "score_cache") if t in tables]
        if data:
            with engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {', '.join(data)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path) -> str:
    """The same test on SQLite and on PostgreSQL (empty of assessments at the start)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_copy")("department")
    url = request.getfixturevalue("pg_session_url")
    from readiness.store.db import Store

    Store.open(url).close()  # migrate once
    _empty_postgres(url)
    return url


@pytest.fixture
def dept(db_url):
    """The department's workspace on a fresh SQLite database."""
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def dept_any(any_db_url):
    from readiness.service import Workspace

    workspace = Workspace.open(any_db_url)
    yield workspace
    workspace.close()


# -- submissions --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def province_communes():
    from readiness.register import load_register

    return [c for c in load_register() if c.province_code == "51"]


class SubmissionFactory:
    """Writes submission workbooks with the real exporter (``write_submission``)."""

    def __init__(self, checklist, communes, folder: Path):
        self.checklist = checklist
        self.communes = {c.code: c for c in communes}
        self.folder = folder
        self.count = 0

    def raw_answers(self, code: str, seed: int = 1) -> dict[str, Any]:
        from readiness.demo import demo_answers

        return dict(demo_answers(self.checklist, self.communes[code], seed=seed, today=IMPORT_TODAY).answers)

    def write(self, code: str = "23500", *, revision: int = 1, status: str = "finalized", seed: int = 1,
              assessment_id: str | None = None, period: str = PERIOD, change: Callable[[dict], None] | None = None,
              name: str | None = None, folder: Path | None = None, commune: Any = None) -> Path:
        from readiness.answers import Answers, coerce_all
        from readiness.exchange.context import ExportContext, Identity
        from readiness.exchange.xlsx import write_submission

        raw = self.raw_answers(code if code in self.communes else "23500", seed)
        if change:
            change(raw)
        values, errors = coerce_all(self.checklist, raw)
        assert not errors, errors
        moment = dt.datetime.combine(IMPORT_TODAY, dt.time(9, 0), tzinfo=dt.UTC)
        identity = Identity(assessment_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{code}/{period}/{revision}/{seed}")),
                            revision, status, moment, moment, moment if status == "finalized" else None)
        ctx = ExportContext.build(self.checklist, Answers(values=values), commune=commune or self.communes.get(code),
                                  period=period, identity=identity, now=moment, today=IMPORT_TODAY)
        self.count += 1
        target_folder = folder or self.folder
        target_folder.mkdir(parents=True, exist_ok=True)
        path = target_folder / (name or f"{code}_{period}_r{revision}_{status}_{self.count}.xlsx")
        write_submission(ctx, path, verify=False)
        return path


@pytest.fixture
def submissions(real_checklist, province_communes, tmp_path) -> SubmissionFactory:
    return SubmissionFactory(real_checklist, province_communes, tmp_path / "inbox")


@pytest.fixture(scope="session")
def submission_factory(real_checklist, province_communes) -> Callable[[Path], SubmissionFactory]:
    """A :class:`SubmissionFactory` writing into a given folder (for module-wide fixtures)."""
    return lambda folder: SubmissionFactory(real_checklist, province_communes, folder)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory, real_checklist) -> Path:
    """Eight demo submissions of Quảng Ngãi communes, written once per test session."""
    from readiness.department.demo_export import write_demo_submissions

    folder = tmp_path_factory.mktemp("demo")
    write_demo_submissions(folder, count=8, period=PERIOD, seed=7, jobs=1, today=IMPORT_TODAY)
    return folder


# -- editing workbooks as a person (or an attacker) would -----------------------------------------------------


def edit_workbook(path: Path, target: Path, edit: Callable[[Any], None]) -> Path:
    """Open with openpyxl, change it, save as ``target`` (what Excel does when someone edits by hand)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(target)
    return target


def data_rows(workbook) -> dict[str, int]:
    """Key or item id (column A of ``_data``) -> row number."""
    sheet = workbook["_data"]
    return {str(row[0].value): row[0].row for row in sheet.iter_rows(min_col=1, max_col=1) if row[0].value}


def table_cell(workbook, item_id: str, column_id: str, row: int = 1) -> tuple[str, str]:
    """(sheet, address) of a table cell, from the locations ``_data`` records."""
    import json

    sheet = workbook["_data"]
    found = data_rows(workbook)[item_id]
    sheet_name = sheet.cell(found, 6).value
    cells = json.loads(sheet.cell(found, 8).value)
    return sheet_name, f"{cells['columns'][column_id]}{int(cells.get('first_row') or 4) + row - 1}"


def item_cell(workbook, item_id: str) -> tuple[str, str]:
    sheet = workbook["_data"]
    found = data_rows(workbook)[item_id]
    return sheet.cell(found, 6).value, sheet.cell(found, 7).value


@pytest.fixture(scope="session")
def wb_tools():
    """The workbook-editing helpers above (test modules cannot import a conftest)."""
    from types import SimpleNamespace

    return SimpleNamespace(edit=edit_workbook, data_rows=data_rows, table_cell=table_cell, item_cell=item_cell)
