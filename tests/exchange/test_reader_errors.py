"""read_submission on files that are not what they claim: coded errors naming file, sheet and cell."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from readiness.exchange import ExchangeError, read_submission, write_submission, write_template
from readiness.exchange.xlsx import DATA_SHEET


def _code(path, **kwargs):
    with pytest.raises(ExchangeError) as raised:
        read_submission(path, **kwargs)
    return raised.value


def test_missing_file(tmp_path, small):
    error = _code(tmp_path / "none.xlsx", checklist=small)
    assert error.code == "E-XLSX-FILE" and "none.xlsx" in str(error)


def test_not_a_workbook(tmp_path, small):
    path = tmp_path / "fake.xlsx"
    path.write_text("STT;Tiêu chí\n1;x\n", encoding="utf-8")
    error = _code(path, checklist=small)
    assert error.code == "E-XLSX-NOT-XLSX" and "Tệp 'fake.xlsx'" in error.located_message()


def test_workbook_without_data_sheet(tmp_path, small):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Bảng tính của ai đó"
    wb.save(path)
    assert _code(path, checklist=small).code == "E-XLSX-NO-DATA"


def _edit_meta(path, key, value):
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    for row in range(2, 40):
        if data.cell(row, 1).value == key:
            data.cell(row, 2).value = value
    wb.save(path)


def test_newer_format_version(tmp_path, small):
    path = write_template(small, tmp_path / "t.xlsx").path
    _edit_meta(path, "format_version", "9")
    error = _code(path, checklist=small)
    assert error.code == "E-XLSX-VERSION" and "cập nhật phần mềm" in error.message


def test_unknown_checklist(tmp_path, small, small_library):
    path = write_template(small, tmp_path / "t.xlsx").path
    _edit_meta(path, "checklist_version", "7")
    assert _code(path, library=small_library).code == "E-XLSX-CHECKLIST"
    assert _code(path, checklist=small).code == "E-XLSX-CHECKLIST"


def test_checklist_hash_differs__warning_not_error(tmp_path, small):
    path = write_template(small, tmp_path / "t.xlsx").path
    _edit_meta(path, "checklist_hash", "0" * 64)
    read = read_submission(path, checklist=small)
    assert read.warnings and "mã băm" in read.warnings[0]


def test_deleted_sheet__named(tmp_path, small_ctx, small_session):
    path = write_submission(small_ctx, tmp_path / "s.xlsx").path
    wb = openpyxl.load_workbook(path)
    wb.security = None
    del wb[next(n for n in wb.sheetnames if n.startswith("3.1 "))]
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.hash_ok  # the data is intact; the missing sheet shows as a difference, not a crash
    assert any(d.item == "pcs" for d in read.differences)


def test_corrupt_json_in_data_sheet(tmp_path, small_ctx, small_session):
    path = write_submission(small_ctx, tmp_path / "s.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    for row in data.iter_rows():
        if row[0].value == "officers" and row[2].value == "integer":
            row[3].value = "{not json"
            address = row[3].coordinate
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    problem = next(p for p in read.problems if p.item == "officers")
    assert problem.code == "E-XLSX-DATA-JSON" and problem.cell == address and problem.sheet == DATA_SHEET
    assert read.hash_ok is False


def test_zip_bomb_like_entry_refused(tmp_path, small):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert _code(path, checklist=small).code == "E-XLSX-TOO-BIG"


def test_external_entity_not_expanded(tmp_path, small_ctx, small_session):
    """An XXE payload in a shared string is never resolved (calamine does not process DTDs)."""
    path = write_submission(small_ctx, tmp_path / "s.xlsx").path
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT", encoding="utf-8")
    patched = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><workbook'.encode(), 1)
            target.writestr(item, data)
    try:
        read = read_submission(patched, checklist=small_session.checklist)
    except ExchangeError as error:
        assert error.code.startswith("E-XLSX")
    else:
        assert "BÍ MẬT" not in repr(read)
