"""The digest of the answer sheets written at export (``visible_sha256``): an intact file is known without
comparing its cells one by one, and every edit is still caught and located."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest

from readiness.exchange import read_submission, write_submission
from readiness.exchange.canonical import canonical_json
from readiness.exchange.layout import grid_cells, visible_sha256, workbook_cells
from readiness.exchange.xlsx import DATA_SHEET


def _compared(monkeypatch) -> list[set[str]]:
    """The items whose cells read_submission compared one by one with ``_data``."""
    from readiness.exchange import reader

    calls: list[set[str]] = []
    original = reader._unchanged_items

    def spy(checklist, data, locations, grid):
        calls.append(set(locations))
        return original(checklist, data, locations, grid)

    monkeypatch.setattr(reader, "_unchanged_items", spy)
    return calls


def _meta_row(ws, key):
    for row in range(2, 60):
        if ws.cell(row, 1).value == key:
            return row
    raise AssertionError(key)


def test_intact_export__recognised_by_its_digest__no_cell_compared(small_ctx, small_session, tmp_path, monkeypatch):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    compared = _compared(monkeypatch)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.ok and read.differences == []
    assert compared == []  # the digest said it: nothing compared cell by cell
    assert len(read.meta["visible_sha256"]) == 64


def test_digest__what_is_written_is_what_is_read(small_ctx, tmp_path):
    """The digest computed from the workbook in memory (export) and from python-calamine's reading (import)."""
    from python_calamine import CalamineWorkbook

    from readiness.exchange.xlsx import build_workbook

    wb, hashes = build_workbook(small_ctx.checklist, kind="submission", ctx=small_ctx)
    path = tmp_path / "out.xlsx"
    wb.save(path)
    shown = sorted({ws.title for ws in wb.worksheets if ws.title not in (DATA_SHEET, "_lists")})
    written = {name: workbook_cells(wb[name]) for name in shown}
    book = CalamineWorkbook.from_path(str(path))
    read = {name: grid_cells(book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in shown}
    for name in shown:
        assert visible_sha256("x", [(name, written[name])]) == visible_sha256("x", [(name, read[name])]), name
    assert visible_sha256(hashes["data_sha256"], written.items()) != visible_sha256("0" * 64, written.items())


@pytest.mark.parametrize(("sheet", "cell", "value", "item"), [
    ("2. ", "C5", 500, "download"),
    ("3.1 ", "B6", "Văn thư", "pcs"),  # a row added under the exported ones
    ("1. ", "C7", None, "report_date"),  # cleared
])
def test_edited_cell__digest_differs__compared_and_located(small_ctx, small_session, tmp_path, monkeypatch, sheet,
                                                           cell, value, item):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws.title.startswith(sheet))
    if item == "download":  # the row of 2.2, wherever it is
        cell = next(f"C{row[0].row}" for row in ws.iter_rows() if row[0].value == "2.2")
    ws[cell].value = value
    wb.save(path)
    compared = _compared(monkeypatch)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.hash_ok is True and compared  # the digest no longer matches: compared cell by cell
    assert [d.item for d in read.differences] == [item]
    assert read.differences[0].sheet == ws.title and read.differences[0].cell


def test_data_and_both_seals_rewritten__sheets_untouched__still_a_difference(small_ctx, small_session, tmp_path):
    """The digest is bound to the sealed answers: new answers in ``_data`` with recomputed seals do not
    make the untouched sheets pass for showing them."""
    from readiness.exchange.canonical import answer_json, seal

    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    row = next(r for r in range(2, 200) if data.cell(r, 1).value == "download" and data.cell(r, 3).value)
    data.cell(row, 4).value = "200.0"
    read = read_submission(path, checklist=small_session.checklist)
    answers = answer_json(small_session.checklist, read.answers)
    answers["download"] = 200.0
    meta = read.meta
    sealed = seal(answers=answers, checklist_id=meta["checklist_id"], checklist_version=int(meta["checklist_version"]),
                  checklist_hash=meta["checklist_hash"], commune_code=meta["commune_code"], period=meta["period"],
                  assessment_id=meta["assessment_id"], revision=int(meta["revision"]), status=meta["status"],
                  format_version=int(meta["format_version"]))
    data.cell(_meta_row(data, "answers_sha256"), 2).value = hashlib.sha256(
        canonical_json(answers).encode()).hexdigest()
    data.cell(_meta_row(data, "data_sha256"), 2).value = hashlib.sha256(canonical_json(sealed).encode()).hexdigest()
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.hash_ok is True  # the seals were recomputed ...
    assert [d.item for d in read.differences] == ["download"]  # ... the sheet still shows 50,5: caught, located
    assert read.differences[0].data_value.startswith("200") and read.differences[0].sheet_value == "50,5 Mbps"


@pytest.mark.parametrize("digest", [None, "", "0" * 64, "not a digest", json.dumps({"a": 1})])
def test_missing_or_wrong_digest__compared_cell_by_cell__same_result(small_ctx, small_session, tmp_path, monkeypatch,
                                                                     digest):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    data.cell(_meta_row(data, "visible_sha256"), 2).value = digest
    wb.save(path)
    compared = _compared(monkeypatch)
    read = read_submission(path, checklist=small_session.checklist)
    assert compared and read.ok and read.differences == []
