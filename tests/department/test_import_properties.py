"""Property: no mutation of a valid submission makes the importer fail with anything but a coded result.

Two kinds of mutation, drawn by hypothesis: bytes of the file flipped, cut or appended (a damaged
download, a hostile file), and a cell of any sheet given an arbitrary value (a person editing the
workbook: text where a number belongs, formulas, huge strings, dates, nothing).  Each file is
imported on its own (jobs=0); the outcome is always one of the known statuses, every error carries
a code and a message, and a rejected file leaves nothing in the database.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

IMPORT_TODAY = dt.date(2025, 11, 20)  # the department tests' pinned date (tests/department/conftest.py)
STATUSES = {"imported", "updated", "duplicate", "rejected"}


@pytest.fixture
def source(submissions):
    return submissions.write("23500")


def _check(workspace, path):
    from readiness.department.importer import import_paths
    from readiness.store.models import AssessmentRow

    report = import_paths(workspace, [path], jobs=0, today=IMPORT_TODAY)
    [result] = report.results
    assert result.status in STATUSES
    for error in result.errors:
        assert error.code and error.code[:2] in ("E-", "W-") and error.message
    with workspace.store.transaction() as session:
        stored = session.scalar(select(func.count()).select_from(AssessmentRow))
    if result.status == "rejected":
        assert stored == 0
    return result


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    # (the control characters a worksheet cannot hold are left out: no xlsx cell carries them, openpyxl refuses them)
    st.text(max_size=200).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)), st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "tám", "1.000,5",
                                            "31/02/2025", "x" * 40000]),
    st.dates().map(lambda d: d),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_import__a_cell_of_any_sheet_changed__coded_outcome_nothing_half_written(data, source, tmp_path_factory):
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("cell")
    workbook = openpyxl.load_workbook(source)
    sheet = workbook[data.draw(st.sampled_from(workbook.sheetnames), label="sheet")]
    row = data.draw(st.integers(1, max(1, sheet.max_row) + 2), label="row")
    column = data.draw(st.integers(1, max(1, sheet.max_column) + 1), label="column")
    cell = sheet.cell(row, column)
    assume(not isinstance(cell, MergedCell))  # only the top-left cell of a merged range holds a value
    cell.value = data.draw(CELL_VALUES, label="value")
    path = folder / "mutated.xlsx"
    workbook.save(path)
    workspace = Workspace.open(f"sqlite:///{folder / 'db.sqlite3'}")
    try:
        _check(workspace, path)
    finally:
        workspace.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_import__bytes_flipped_cut_or_appended__coded_outcome_nothing_half_written(data, source, tmp_path_factory):
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("bytes")
    raw = bytearray(source.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "cut", "append"]), label="kind")
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            position = data.draw(st.integers(0, len(raw) - 1), label="position")
            raw[position] ^= data.draw(st.integers(1, 255), label="mask")
    elif kind == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        raw += data.draw(st.binary(min_size=1, max_size=4096), label="tail")
    path = folder / "mutated.xlsx"
    path.write_bytes(bytes(raw))
    workspace = Workspace.open(f"sqlite:///{folder / 'db.sqlite3'}")
    try:
        _check(workspace, path)
    finally:
        workspace.close()
    shutil.rmtree(folder, ignore_errors=True)
