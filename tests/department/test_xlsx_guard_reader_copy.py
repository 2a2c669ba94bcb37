"""The workbook the guard hands to the reader (:func:`readiness.department.xlsx_guard.inspect_bytes`): every
worksheet stored as the guard inflated and checked it, an empty ``<mergeCells>`` before its ``<sheetData>``.
The reader reads the same cells from it as from the file, the checks give the same verdicts, and anything not
plain is handed over as the file itself."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from readiness.department import import_worker, xlsx_guard
from readiness.department.import_worker import check_file, init_worker
from readiness.department.xlsx_guard import inspect_bytes

IMPORT_TODAY = dt.date(2025, 11, 20)  # as in conftest.py


@pytest.fixture(autouse=True, scope="module")
def _worker_state():
    init_worker(None, None)


def _cells(content: bytes) -> dict[str, list[list[object]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    try:
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}
    finally:
        workbook.close()


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy a workbook entry by entry; ``change(info, data)`` returns the (info, data) pairs to write instead."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            for new_info, data in change(info, original.read(info.filename)):
                copy.writestr(new_info, data)
    return target


def _same_entries(info, data):
    return [(info, data)]


def test_reader_copy__a_submission__every_worksheet_stored_and_every_cell_the_same(submissions):
    raw = submissions.write("23500").read_bytes()
    copy = inspect_bytes(raw)
    assert copy is not raw
    with zipfile.ZipFile(io.BytesIO(raw)) as original, zipfile.ZipFile(io.BytesIO(copy)) as rebuilt:
        assert [e.filename for e in rebuilt.infolist()] == [e.filename for e in original.infolist()]
        sheets = [e for e in rebuilt.infolist() if e.filename.startswith("xl/worksheets/")]
        assert sheets and all(e.compress_type == zipfile.ZIP_STORED for e in sheets)
        assert rebuilt.testzip() is None  # every CRC-32 holds
        for entry in original.infolist():
            ours = rebuilt.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                assert ours.replace(b"<mergeCells></mergeCells>", b"", 1) == original.read(entry.filename)
            else:
                assert ours == original.read(entry.filename)
    cells = _cells(raw)
    assert _cells(copy) == cells and len(cells) > 10


def test_reader_copy__merged_cells_and_odd_sheets__the_same_cells(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Gộp ô"
    sheet["A1"] = "tiêu đề"
    sheet.merge_cells("A1:D1")
    sheet["B3"], sheet["C4"], sheet["AA30"] = 1.5, "<sheetData>", dt.datetime(2025, 11, 20)
    sheet.merge_cells("B5:C9")
    empty = workbook.create_sheet("Trống")
    empty.sheet_properties.tabColor = "FF0000"
    workbook.create_sheet("Một ô")["A1"] = "x"
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    raw = path.read_bytes()
    copy = inspect_bytes(raw)
    assert copy is not raw
    assert _cells(copy) == _cells(raw)


def test_reader_copy__the_checks_give_the_same_verdicts(tmp_path, submissions, wb_tools, monkeypatch):
    """An intact file, a hand-edited cell, an edited seal: the same checked file through the copy and through
    the file's own bytes."""
    intact = submissions.write("23500")

    def edit_cell(workbook):
        sheet, cell = wb_tools.item_cell(workbook, "officers")
        workbook[sheet][cell].value = 499

    def edit_table(workbook):
        sheet, cell = wb_tools.table_cell(workbook, "pcs", "ram_gb", row=2)
        workbook[sheet][cell].value = 64

    def edit_data(workbook):
        rows = wb_tools.data_rows(workbook)
        workbook["_data"].cell(rows["officers"], 4).value = "7"

    paths = [intact, wb_tools.edit(intact, tmp_path / "cell.xlsx", edit_cell),
             wb_tools.edit(intact, tmp_path / "table.xlsx", edit_table),
             wb_tools.edit(intact, tmp_path / "data.xlsx", edit_data)]
    through_copy = [check_file(str(path), False, IMPORT_TODAY) for path in paths]
    monkeypatch.setattr(import_worker, "inspect_bytes", lambda raw: (xlsx_guard.inspect_bytes(raw), raw)[1])
    through_file = [check_file(str(path), False, IMPORT_TODAY) for path in paths]
    assert through_copy[0].ok and through_copy[0].assessment is not None
    assert [c.errors[0].code for c in through_copy[1:]] == ["E-IMPORT-EDITED", "E-IMPORT-EDITED", "E-IMPORT-HASH"]
    for copy, file in zip(through_copy, through_file, strict=True):
        assert copy.errors == file.errors and copy.warnings == file.warnings
        assert copy.assessment == file.assessment
        assert (copy.sha256, copy.size, copy.kind, copy.status) == (file.sha256, file.size, file.kind, file.status)
        assert copy.signature == file.signature


def _patch_central(raw: bytes, name: bytes, offset_in_record: int, value: bytes) -> bytes:
    """Overwrite bytes of the central directory record of ``name``."""
    data = bytearray(raw)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name:
            data[at + offset_in_record:at + offset_in_record + len(value)] = value
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_reader_copy__a_worksheet_whose_crc_does_not_match__the_file_itself(submissions):
    raw = submissions.write("23500").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        crc = archive.getinfo("xl/worksheets/sheet2.xml").CRC
    bad = _patch_central(raw, b"xl/worksheets/sheet2.xml", 16, struct.pack("<I", crc ^ 1))
    assert inspect_bytes(bad) is bad


def test_reader_copy__encrypted_flag__the_file_itself(submissions):
    raw = submissions.write("23500").read_bytes()
    bad = _patch_central(raw, b"docProps/app.xml", 8, struct.pack("<H", 0x1))
    assert inspect_bytes(bad) is bad


def test_reader_copy__extra_field__the_file_itself(tmp_path, submissions):
    def change(info, data):
        if info.filename == "docProps/core.xml":
            info.extra = struct.pack("<HH", 0xCAFE, 4) + b"abcd"
        return [(info, data)]

    path = _rewrite(submissions.write("23500"), tmp_path / "extra.xlsx", change)
    raw = path.read_bytes()
    assert inspect_bytes(raw) is raw


def test_reader_copy__duplicate_names__the_file_itself(tmp_path, submissions):
    def change(info, data):
        return [(info, data), (info, data)] if info.filename == "docProps/app.xml" else [(info, data)]

    with pytest.warns(UserWarning, match="Duplicate name"):
        path = _rewrite(submissions.write("23500"), tmp_path / "twice.xlsx", change)
    raw = path.read_bytes()
    assert inspect_bytes(raw) is raw


def test_reader_copy__worksheets_over_the_limit__the_file_itself(submissions, monkeypatch):
    raw = submissions.write("23500").read_bytes()
    monkeypatch.setattr(xlsx_guard, "READER_COPY_LIMIT", 20_000)
    assert inspect_bytes(raw) is raw


def test_reader_copy__an_entry_inside_another__the_file_itself(submissions):
    """Entries whose data overlap would be copied again and again (a crafted file could make the copy far
    larger than the file): more bytes to copy than the file holds means the file itself."""
    raw = submissions.write("23500").read_bytes()
    inner_name, outer_name = b"xl/media/inner.bin", b"xl/media/outer.bin"
    payload = bytes(range(256)) * 1200  # 300 KB, larger than the rest of the workbook
    inner_header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, zlib.crc32(payload), len(payload),
                               len(payload), len(inner_name), 0) + inner_name
    outer_data = inner_header + payload
    with zipfile.ZipFile(io.BytesIO(raw)) as original:
        entries = [(info, original.read(info.filename)) for info in original.infolist()]
    local, central, offset = [], [], 0

    def add(name: bytes, data: bytes, at: int | None = None) -> None:
        nonlocal offset
        crc = zlib.crc32(data)
        if at is None:
            header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, crc, len(data), len(data), len(name), 0)
            local.extend((header, name, data))
            at, offset = offset, offset + len(header) + len(name) + len(data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, crc, len(data), len(data),
                                   len(name), 0, 0, 0, 0, 0, at) + name)

    for info, data in entries:
        add(info.filename.encode(), data)
    outer_at = offset
    add(outer_name, outer_data)
    add(inner_name, payload, at=outer_at + 30 + len(outer_name))
    directory = b"".join(central)
    crafted = b"".join(local) + directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                                                      len(directory), offset, 0)
    with zipfile.ZipFile(io.BytesIO(crafted)) as archive:  # a zip Python reads, both entries whole
        assert archive.read(inner_name.decode()) == payload and archive.read(outer_name.decode()) == outer_data
    assert inspect_bytes(crafted) is crafted


def test_reader_copy__a_worksheet_shorter_than_declared__the_file_itself(submissions):
    raw = submissions.write("23500").read_bytes()
    name = b"xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        size = archive.getinfo(name.decode()).file_size
    bad = bytearray(_patch_central(raw, name, 24, struct.pack("<I", size + 10)))
    at = bad.find(b"PK\x03\x04")
    while bad[at + 30:at + 30 + len(name)] != name:
        at = bad.find(b"PK\x03\x04", at + 4)
    bad[at + 22:at + 26] = struct.pack("<I", size + 10)
    bad = bytes(bad)
    assert inspect_bytes(bad) is bad
