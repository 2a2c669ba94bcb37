"""Helpers of the department window's tests: submissions written by the real exporter, workbooks
edited by hand, the store read back by a fresh workspace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from samples import TODAY

PERIOD = "2025-11"


def export_submission(folder: Path, code: str, *, period: str = PERIOD, seed: int = 1, profile: str | None = None,
                      name: str | None = None) -> Path:
    """A commune fills its assessment in its own database, finalizes it and exports the workbook
    (``write_submission(ExportContext.from_session(session), path)``), as the commune side does."""
    from readiness.demo import demo_answers
    from readiness.exchange.context import ExportContext
    from readiness.exchange.xlsx import write_submission
    from readiness.service import Workspace

    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    commune_folder = tempfile.TemporaryDirectory(prefix="commune-")  # the commune's own computer
    workspace = Workspace.open(f"sqlite:///{Path(commune_folder.name) / 'commune.sqlite3'}")
    try:
        session = workspace.session(code, period)
        session.today = TODAY
        demo = demo_answers(session.checklist, session.commune, seed=seed, today=TODAY, profile=profile)
        assert session.set_answers(demo.answers) == []
        session.finalize()
        path = folder / (name or f"{code}_{period}.xlsx")
        write_submission(ExportContext.from_session(session), path)
        return path
    finally:
        workspace.close()
        commune_folder.cleanup()


def _data_rows(workbook) -> dict[str, int]:
    sheet = workbook["_data"]
    return {str(row[0].value): row[0].row for row in sheet.iter_rows(min_col=1, max_col=1) if row[0].value}


def table_cell(workbook, item_id: str, column_id: str, row: int = 1) -> tuple[str, str]:
    """(sheet, address) of a table cell, from the locations ``_data`` records."""
    sheet = workbook["_data"]
    found = _data_rows(workbook)[item_id]
    cells = json.loads(sheet.cell(found, 8).value)
    return sheet.cell(found, 6).value, f"{cells['columns'][column_id]}{int(cells.get('first_row') or 4) + row - 1}"


def ram_typed_as_words(source: Path, target: Path) -> tuple[str, str]:
    """The first PC's RAM typed as "tám" by hand after export; returns (sheet, cell)."""
    from openpyxl import load_workbook

    workbook = load_workbook(source)
    sheet, cell = table_cell(workbook, "pcs", "ram_gb", row=1)
    workbook[sheet][cell].value = "tám"
    workbook.save(target)
    return sheet, cell


def csv_renamed(target: Path) -> Path:
    target.write_text("Mã xã,Tên xã\n23500,Xã Đăk Hà\n", encoding="utf-8")
    return target


def truncated(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def copies(source: Path, folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for index in range(count):
        path = folder / f"copy-{index:02d}.xlsx"
        shutil.copyfile(source, path)
        out.append(path)
    return out


def fresh_assessments(db_url: str, period: str = PERIOD) -> dict[str, str]:
    """Commune code -> status of its assessments, read by a second, fresh workspace."""
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    try:
        return {info.commune_code: info.status for info in workspace.store.assessments(period)}
    finally:
        workspace.close()
