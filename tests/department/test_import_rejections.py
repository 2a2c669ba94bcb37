"""Every reason a file is refused, each with a real bad file: nothing of it is written, the message is coded,
Vietnamese and names the sheet and cell, and hostile files are refused in seconds with bounded memory."""

from __future__ import annotations

import datetime as dt
import json
import random
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from sqlalchemy import func, select

from readiness.department.import_worker import check_file, init_worker
from readiness.department.importer import import_paths
from readiness.register import Commune
from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow, TableRowRow

IMPORT_TODAY = dt.date(2025, 11, 20)  # as in conftest.py
PERIOD = "2025-11"

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(autouse=True, scope="module")
def _worker_state():
    init_worker(None, None)


def _check(path: Path, **options):
    return check_file(str(path), options.pop("accept_edited", False), IMPORT_TODAY)


def _codes(checked) -> list[str]:
    return [e.code for e in checked.errors]


def _nothing_written(workspace) -> bool:
    with workspace.store.transaction() as session:
        return all(session.scalar(select(func.count()).select_from(m)) == 0
                   for m in (AssessmentRow, AnswerRow, TableRowRow, PetitionRow))


def _rewrite_entry(source: Path, target: Path, name: str, write) -> Path:
    """Copy a workbook, replacing one zip entry by what ``write(handle, original_bytes)`` streams into it."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == name:
                entry = zipfile.ZipInfo(name, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with copy.open(entry, "w", force_zip64=True) as handle:  # compressed as it is streamed
                    write(handle, data)
            else:
                copy.writestr(info, data)
    return target


def _set_declared_size(path: Path, name: str, size: int) -> None:
    """Make an entry's headers lie about its inflated size (what a crafted zip bomb does)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, name_at, size_at, length_at in ((b"PK\x03\x04", 30, 22, 26), (b"PK\x01\x02", 46, 24, 28)):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack("<H", data[at + length_at:at + length_at + 2])[0]
            if data[at + name_at:at + name_at + length] == encoded:
                data[at + size_at:at + size_at + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


# -- not an xlsx at all ----------------------------------------------------------------------------------------


def test_reject__empty_file__says_empty(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-EMPTY"] and "rỗng" in checked.errors[0].message


def test_reject__legacy_xls__says_excel_97_2003(tmp_path):
    header = OLE + b"\0" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0") + "Workbook".encode("utf-16-le").ljust(128, b"\0")
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(header + directory + b"\0" * 2048)
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-XLS"] and "97-2003 (.xls)" in checked.errors[0].message


def test_reject__encrypted_workbook__says_password(tmp_path):
    names = b"".join(n.encode("utf-16-le").ljust(128, b"\0")
                     for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(OLE + b"\0" * 504 + names + random.Random(2).randbytes(4096))
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-ENCRYPTED"] and "mật khẩu" in checked.errors[0].message


def test_reject__csv_renamed__says_csv(tmp_path):
    path = tmp_path / "23500.xlsx"
    path.write_text("STT;Tên xã;Số máy tính\n1;Đăk Hà;12\n", encoding="utf-8")
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-TEXT"] and "CSV" in checked.errors[0].message


def test_reject__html_saved_as_excel__says_html(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("<html><body><table><tr><td>Đăk Hà</td></tr></table></body></html>", encoding="utf-8")
    assert _codes(_check(path)) == ["E-IMPORT-TEXT"]


def test_reject__random_bytes__says_unknown_format(tmp_path):
    path = tmp_path / "random.xlsx"
    path.write_bytes(b"\x93\x01" + random.Random(1).randbytes(8190))
    assert _codes(_check(path)) == ["E-IMPORT-UNKNOWN"]


def test_reject__pdf_renamed__says_pdf(tmp_path):
    path = tmp_path / "baocao.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert _codes(_check(path)) == ["E-IMPORT-PDF"]


def test_reject__truncated_download__says_truncated(tmp_path, submissions):
    good = submissions.write("23500").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-TRUNCATED"] and "cắt cụt" in checked.errors[0].message


def test_reject__random_zip_and_word_document__say_what_they_are(tmp_path):
    plain = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("IMG_0001.jpg", b"\xff\xd8\xff" + b"\0" * 100)
    word = tmp_path / "cong-van.xlsx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert _codes(_check(plain)) == ["E-IMPORT-ZIP-OTHER"] and "zip" in _check(plain).errors[0].message
    assert "Word" in _check(word).errors[0].message


# -- hostile workbooks -------------------------------------------------------------------------------------------


def _bomb(source: Path, target: Path, megabytes: int = 200) -> Path:
    def write(handle, data):
        head, tail = data.split(b"<sheetData>", 1)
        handle.write(head + b"<sheetData>")
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(block)
        handle.write(tail)

    return _rewrite_entry(source, target, "xl/worksheets/sheet1.xml", write)


def test_reject__zip_bomb__tiny_file_huge_sheet__refused_fast(tmp_path, submissions):
    path = _bomb(submissions.write("23500"), tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-ZIP-BOMB"] and time.perf_counter() - started < 5


def test_reject__zip_bomb_with_lying_sizes__refused_by_inflating_with_a_cap(tmp_path, submissions):
    path = _bomb(submissions.write("23500"), tmp_path / "liar.xlsx", megabytes=100)
    _set_declared_size(path, "xl/worksheets/sheet1.xml", 4000)
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-ZIP-BOMB"] and "khai báo" in checked.errors[0].message


def test_reject__cells_far_apart__refused_before_the_reader_allocates_the_rectangle(tmp_path, submissions):
    """A1 and XFD1000000: python-calamine would try to allocate the whole rectangle (hundreds of GB) and abort."""
    def write(handle, data):
        head, rest = data.split(b"<sheetData>", 1)
        tail = rest.split(b"</sheetData>", 1)[1]
        handle.write(head + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                     b'<row r="1000000"><c r="XFD1000000" t="inlineStr"><is><t>y</t></is></c></row></sheetData>' + tail)

    path = _rewrite_entry(submissions.write("23500"), tmp_path / "sparse.xlsx", "xl/worksheets/sheet1.xml", write)
    checked = _check(path)
    assert _codes(checked) == ["E-IMPORT-CELLS"] and "1.000.000" in checked.errors[0].message


def test_reject__sparse_sheet_hidden_under_another_name__found_through_the_relationships(tmp_path, submissions):
    source = submissions.write("23500")
    target = tmp_path / "hidden.xlsx"
    sparse = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="ZZ900000"><v>2</v></c></row>'
              b"</sheetData></worksheet>")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                copy.writestr("xl/media/picture.bin", sparse)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/media/picture.bin")
                data = data.replace(b'"worksheets/sheet1.xml"', b'"media/picture.bin"')
            copy.writestr(info, data)
    assert _codes(_check(target)) == ["E-IMPORT-CELLS"]


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]>\n")


def _laughs(source: Path, target: Path) -> Path:
    def write(handle, data):
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        body = body.replace(b"<t>", b"<t>&lol9;", 1)
        handle.write(LAUGHS + body)

    return _rewrite_entry(source, target, "xl/worksheets/sheet1.xml", write)


def test_reject__billion_laughs_entities__refused(tmp_path, submissions):
    checked = _check(_laughs(submissions.write("23500"), tmp_path / "laughs.xlsx"))
    assert _codes(checked) == ["E-IMPORT-XML-DTD"] and "ENTITY" in checked.errors[0].message


def test_reader__billion_laughs__calamine_never_expands_entities(tmp_path, submissions):
    """Keep it that way: even past the guard, the reader does not expand entities (run apart, with a time limit)."""
    path = _laughs(submissions.write("23500"), tmp_path / "laughs.xlsx")
    code = ("import sys; from python_calamine import CalamineWorkbook\n"
            "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
            "try:\n    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()\n"
            "except Exception as e:\n    print('refused', type(e).__name__); raise SystemExit(0)\n"
            "print(max((len(str(c)) for r in rows for c in r), default=0))\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    out = done.stdout.strip()
    assert out.startswith("refused") or int(out) < 10000  # 10^9 "lol"s were not produced


def test_openpyxl__parses_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# -- our format, but not acceptable ----------------------------------------------------------------------------


def test_reject__data_sheet_edited__hash_mismatch_unless_accept_edited(tmp_path, submissions, wb_tools, dept):
    source = submissions.write("23500")

    def edit(workbook):  # the answer changed in _data and on its sheet alike: only the seal tells
        rows = wb_tools.data_rows(workbook)
        data = workbook["_data"]
        officers = int(json.loads(data.cell(rows["officers"], 4).value))
        data.cell(rows["officers"], 4).value = str(officers + 1)
        sheet, cell = wb_tools.item_cell(workbook, "officers")
        workbook[sheet][cell].value = officers + 1

    path = wb_tools.edit(source, tmp_path / "data-edited.xlsx", edit)
    refused = _check(path)
    assert _codes(refused) == ["E-IMPORT-HASH"] and refused.errors[0].sheet == "_data"
    assert "SHA-256" in refused.errors[0].message

    report = import_paths(dept, [path], accept_edited=True, jobs=0, today=IMPORT_TODAY)
    assert report.results[0].status == "imported"
    assert [w.code for w in report.results[0].warnings] == ["W-IMPORT-HASH"]


def test_reject__answer_edited_by_hand__flagged_with_sheet_and_cell__accept_edited_takes_the_sheet(
        tmp_path, submissions, wb_tools, dept):
    source = submissions.write("23500")
    where = {}

    def edit(workbook):
        sheet, cell = wb_tools.item_cell(workbook, "officers")
        where.update(sheet=sheet, cell=cell, value=workbook[sheet][cell].value)
        workbook[sheet][cell].value = 499

    path = wb_tools.edit(source, tmp_path / "hand-edited.xlsx", edit)

    refused = import_paths(dept, [path], jobs=0, today=IMPORT_TODAY)
    result = refused.results[0]
    assert result.status == "rejected" and [e.code for e in result.errors] == ["E-IMPORT-EDITED"]
    error = result.errors[0]
    assert (error.sheet, error.cell) == (where["sheet"], where["cell"])
    assert error.message.startswith(f"Sheet '{where['sheet']}', ô {where['cell']}: mục 1.5")
    assert f"dữ liệu gốc «{where['value']} người»" in error.message and "trên sheet «499 người»" in error.message
    assert _nothing_written(dept)

    accepted = import_paths(dept, [path], accept_edited=True, jobs=0, today=IMPORT_TODAY)
    result = accepted.results[0]
    assert result.status == "imported" and [w.code for w in result.warnings] == ["W-IMPORT-EDITED"]
    assert (result.warnings[0].sheet, result.warnings[0].cell) == (where["sheet"], where["cell"])
    checklist = dept.latest_checklist()
    assert dept.store.load_answers(result.assessment_id, checklist).get("officers") == 499


def test_reject__ram_typed_as_words__names_the_sheet_and_cell(tmp_path, submissions, wb_tools):
    where = {}

    def edit(workbook):
        sheet, cell = wb_tools.table_cell(workbook, "pcs", "ram_gb", row=1)
        where.update(sheet=sheet, cell=cell)
        workbook[sheet][cell].value = "tám"

    path = wb_tools.edit(submissions.write("23500"), tmp_path / "tam.xlsx", edit)

    assert _codes(_check(path)) == ["E-IMPORT-EDITED"]
    checked = _check(path, accept_edited=True)
    assert _codes(checked) == ["E-ANS-NUMBER"]
    error = checked.errors[0]
    assert (error.sheet, error.cell) == (where["sheet"], where["cell"])
    assert error.message.startswith(f"Sheet '{where['sheet']}', ô {where['cell']}: RAM")
    assert "«tám»" in error.message


def test_reject__invalid_answer_in_data__coded_with_its_cell(tmp_path, submissions, wb_tools):
    def edit(workbook):
        rows = wb_tools.data_rows(workbook)
        workbook["_data"].cell(rows["officers"], 4).value = '"tám"'

    checked = _check(wb_tools.edit(submissions.write("23500"), tmp_path / "bad-data.xlsx", edit))
    number = [e for e in checked.errors if e.code == "E-ANS-NUMBER"]
    assert number and number[0].sheet == "_data" and number[0].cell.startswith("D")
    assert "E-IMPORT-HASH" in _codes(checked)


def test_reject__answer_breaks_a_rule__constraint_named_with_sheet_and_cell(submissions):
    def change(raw):
        raw["one_stop_staff"] = raw["officers"] + 5  # more one-stop staff than officers

    checked = _check(submissions.write("23500", change=change))
    assert _codes(checked) == ["E-ANS-CONSTRAINT"]
    assert checked.errors[0].sheet and checked.errors[0].cell
    assert checked.errors[0].message.startswith(f"Sheet '{checked.errors[0].sheet}', ô {checked.errors[0].cell}: mục 1.6")


def test_reject__commune_not_in_register(submissions):
    ghost = Commune("99999", "Xã Không Tồn Tại", "Xã", "51", "Tỉnh Quảng Ngãi")
    init_worker(None, frozenset({"23500", "21025"}))
    try:
        checked = _check(submissions.write("99999", commune=ghost))
    finally:
        init_worker(None, None)
    assert _codes(checked) == ["E-IMPORT-COMMUNE"] and "99999" in checked.errors[0].message
    assert checked.errors[0].sheet == "_data" and checked.errors[0].cell.startswith("B")


def test_reject__commune_not_in_register__through_import_paths(dept, submissions):
    ghost = Commune("99998", "Xã Không Tồn Tại", "Xã", "51", "Tỉnh Quảng Ngãi")
    report = import_paths(dept, [submissions.write("99998", commune=ghost)], jobs=0, today=IMPORT_TODAY)
    assert [e.code for e in report.results[0].errors] == ["E-IMPORT-COMMUNE"]
    assert _nothing_written(dept)


def test_reject__period_invalid(submissions):
    checked = _check(submissions.write("23500", period="2025-13"))
    assert _codes(checked) == ["E-IMPORT-PERIOD"] and "2025-13" in checked.errors[0].message


def test_reject__unknown_checklist_version(tmp_path, submissions, wb_tools):
    def edit(workbook):
        workbook["_data"].cell(wb_tools.data_rows(workbook)["checklist_version"], 2).value = "99"

    checked = _check(wb_tools.edit(submissions.write("23500"), tmp_path / "v99.xlsx", edit))
    assert _codes(checked) == ["E-XLSX-CHECKLIST"] and "phiên bản 99" in checked.errors[0].message


def test_reject__format_version_from_the_future(tmp_path, submissions, wb_tools):
    def edit(workbook):
        workbook["_data"].cell(wb_tools.data_rows(workbook)["format_version"], 2).value = "9"

    assert _codes(_check(wb_tools.edit(submissions.write("23500"), tmp_path / "f9.xlsx", edit))) == ["E-XLSX-VERSION"]


def test_reject__not_our_workbook__no_data_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Báo cáo"
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    assert _codes(_check(path)) == ["E-XLSX-NO-DATA"]


def test_reject__identity_broken__uuid_and_status(tmp_path, submissions, wb_tools):
    def edit(workbook):
        rows = wb_tools.data_rows(workbook)
        workbook["_data"].cell(rows["assessment_id"], 2).value = "not-a-uuid"
        workbook["_data"].cell(rows["status"], 2).value = "approved"

    checked = _check(wb_tools.edit(submissions.write("23500"), tmp_path / "identity.xlsx", edit))
    assert _codes(checked).count("E-IMPORT-IDENTITY") == 2


# -- hostile files through the real command, in a process of their own ------------------------------------------


def test_cli__hostile_folder__every_file_refused_quickly_with_bounded_memory(tmp_path, submissions, db_url):
    good = submissions.write("23500")
    folder = tmp_path / "hostile"
    folder.mkdir()
    _bomb(good, folder / "bomb.xlsx")
    _laughs(good, folder / "laughs.xlsx")
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "cut.xlsx").write_bytes(good.read_bytes()[:20000])
    (folder / "random.xlsx").write_bytes(b"\x01" + random.Random(3).randbytes(50000))
    shutil_copy = folder / "good.xlsx"
    shutil_copy.write_bytes(good.read_bytes())
    # The import and every process it starts (the forkserver's workers are not its waited-for children,
    # so rusage would not see them) are sampled every 20 ms while it runs: memory, and CPU time (what
    # "quickly" means here: the wall clock of a shared machine says more about its load than about us;
    # the 120 s limit only stops a hang).
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "readiness", "--db", db_url, "import", str(folder), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    peak = 0
    cpu: dict[int, float] = {}
    while process.poll() is None and time.perf_counter() - started < 120:
        try:
            tree = [watched, *watched.children(recursive=True)]
        except psutil.Error:
            tree = []
        for member in tree:
            try:
                peak = max(peak, member.memory_info().rss)
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
            except psutil.Error:
                pass
        time.sleep(0.02)
    stdout, stderr = process.communicate(timeout=120)
    assert time.perf_counter() - started < 120, "the import hung"
    done = SimpleNamespace(returncode=process.returncode, stdout=stdout, stderr=stderr)

    lines = [json.loads(line) for line in done.stdout.splitlines()]
    by_name = {Path(line["file"]).name: (line["status"], [e["code"] for e in line["errors"]]) for line in lines}
    assert by_name == {
        "bomb.xlsx": ("rejected", ["E-IMPORT-ZIP-BOMB"]), "cut.xlsx": ("rejected", ["E-IMPORT-TRUNCATED"]),
        "empty.xlsx": ("rejected", ["E-IMPORT-EMPTY"]), "good.xlsx": ("imported", []),
        "laughs.xlsx": ("rejected", ["E-IMPORT-XML-DTD"]), "random.xlsx": ("rejected", ["E-IMPORT-UNKNOWN"]),
    }
    assert done.returncode == 1
    assert 0 < sum(cpu.values()) < 30, cpu
    assert 30 * 1024 * 1024 < peak < 400 * 1024 * 1024  # measured, and no process of the import grew past 400 MB
