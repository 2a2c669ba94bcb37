"""The submission workbook: what is written, read back with openpyxl and with read_submission."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import openpyxl
import pytest

from readiness.exchange import ExchangeError, ExportContext, read_submission, write_submission
from readiness.exchange.canonical import answer_json, canonical_json
from readiness.exchange.xlsx import COVER_SHEET, DATA_SHEET, GAPS_SHEET

from exchange_data import NOW


def _sheet_for(wb, prefix):
    return next(wb[name] for name in wb.sheetnames if name.startswith(prefix))


def _find_row(ws, number):
    for row in ws.iter_rows(min_row=4):
        if row[0].value == number:
            return row
    raise AssertionError(f"no row {number} in {ws.title}")


def test_round_trip__every_item_type__same_answers_and_hash_ok(small_ctx, small_session, tmp_path):
    result = write_submission(small_ctx, tmp_path / "out.xlsx")
    read = read_submission(result.path, checklist=small_session.checklist)
    assert read.kind == "submission" and read.hash_ok is True and read.ok
    assert read.differences == [] and read.problems == []
    expected = answer_json(small_session.checklist, small_session.answers)
    assert canonical_json(answer_json(read.checklist, read.answers)) == canonical_json(expected)
    values = read.answers.values
    assert values["report_date"] == dt.date(2025, 11, 20)
    assert values["download"] == 50.5 and values["officers"] == 25 and values["has_fibre"] is True
    assert values["providers"] == ["vnpt", "other"]
    assert [r.values["ram_gb"] for r in values["pcs"]] == [4.0, 16.0]
    assert read.data_sha256 == result.data_sha256 == read.recorded_data_sha256
    assert read.answers_sha256 == result.answers_sha256
    assert (read.commune_code, read.period, read.revision, read.status) == ("23500", "2025-11", 1, "draft")
    assert read.assessment_id == small_session.info.id
    assert read.exported_at == NOW


def test_cells__typed_numbers_dates_labels(small_ctx, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    internet = _sheet_for(wb, "2. ")
    row = _find_row(internet, "2.2")
    assert row[2].value == 50.5 and row[2].data_type == "n"
    assert row[3].value == "Mbps"
    assert _find_row(internet, "2.1")[2].value == "Có"
    assert _find_row(internet, "2.4")[2].value == "Chưa kết nối"
    general = _sheet_for(wb, "1. ")
    date_cell = _find_row(general, "1.4")[2]
    assert date_cell.value == dt.datetime(2025, 11, 20) and date_cell.number_format == "dd/mm/yyyy"
    assert _find_row(general, "1.3")[2].value == 25
    pcs = _sheet_for(wb, "3.1 ")
    assert [c.value for c in pcs[3]][:5] == ["STT", "Người dùng *", "RAM (GB)", "Hệ điều hành", "Ngày mua"]
    assert pcs["C4"].value == 4 and pcs["D4"].value == "Windows 10" and pcs["E4"].value == dt.datetime(2020, 1, 2)
    assert pcs["E4"].number_format == "dd/mm/yyyy"
    assert pcs.freeze_panes == "A4"


def test_sheets__names_legal_status_colours_print_setup(small_ctx, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == COVER_SHEET and GAPS_SHEET in wb.sheetnames
    for name in wb.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    internet = _sheet_for(wb, "2. ")
    status = _find_row(internet, "2.1")[5]
    assert status.value == "Đạt" and status.fill.fgColor.rgb.endswith("C6EFCE")
    failed = _find_row(internet, "2.4")[5]
    assert failed.value == "Chưa đạt" and failed.fill.fgColor.rgb.endswith("FFC7CE")
    assert str(internet.page_setup.paperSize) == internet.PAPERSIZE_A4 == "9"
    assert internet.page_setup.fitToWidth == 1 and internet.sheet_properties.pageSetUpPr.fitToPage
    assert internet.print_title_rows == "$3:$3"
    gaps = wb[GAPS_SHEET]
    gap_items = [row[1].value for row in gaps.iter_rows(min_row=4) if row[1].value]
    assert gap_items[0] == "2.4"  # the critical gap first
    cover = wb[COVER_SHEET]
    labels = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(4, 30)}
    assert labels["Đơn vị (xã, phường, đặc khu)"] == "Xã Đăk Hà"
    assert labels["Mã đơn vị hành chính"] == "23500"
    assert labels["Kỳ báo cáo (tháng/năm)"] == "11/2025"
    assert labels["Người trả lời"] == "Nguyễn Thị Hoà"
    assert labels["Thời điểm xuất tệp"] == "24/11/2026 09:30"


def test_data_sheet__very_hidden_and_protected(small_ctx, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    assert data.sheet_state == "veryHidden"
    assert data.protection.sheet is True
    meta = {data.cell(r, 1).value: data.cell(r, 2).value for r in range(2, 40) if data.cell(r, 1).value}
    assert meta["format"] == "readiness-workbook" and meta["format_version"] == "1" and meta["kind"] == "submission"
    assert meta["checklist_id"] == "small-test" and meta["commune_code"] == "23500" and meta["period"] == "2025-11"
    assert re.fullmatch(r"[0-9a-f]{64}", meta["data_sha256"])


def _data_row(ws, item_id):
    for row in ws.iter_rows():
        if row[0].value == item_id and row[2].value:
            return row
    raise AssertionError(item_id)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","bấm")', "+84 912 345 678", "-1", "@SUM(A1)",
                                  "=1+2", "\t=cmd"])
def test_formula_neutralised__typed_text_stays_text(small_session, tmp_path, text):
    text = small_session.set_answer("respondent", text)  # as stored (trimmed)
    ctx = ExportContext.from_session(small_session, now=NOW)
    path = write_submission(ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    cell = _find_row(_sheet_for(wb, "1. "), "1.1")[2]
    assert cell.value == text and cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    assert read_submission(path, checklist=small_session.checklist).answers.values["respondent"] == text


def test_human_edit__detected_as_difference(small_ctx, small_session, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    internet = _sheet_for(wb, "2. ")
    _find_row(internet, "2.2")[2].value = 500
    _sheet_for(wb, "3.1 ")["C5"].value = 32
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.hash_ok is True  # the data sheet is intact ...
    assert {d.item for d in read.differences} == {"download", "pcs"}  # ... but the sheets say something else
    download = next(d for d in read.differences if d.item == "download")
    assert download.sheet == internet.title and download.data_value == "50,5 Mbps" and download.sheet_value == "500 Mbps"
    assert read.answers.values["download"] == 50.5  # the data sheet wins
    assert not read.ok


def _parsed_items(monkeypatch):
    """The items whose human cells read_submission parses in full (the others matched the export as written)."""
    from readiness.exchange import reader

    parsed: list[set[str]] = []
    original = reader._read_human

    def spy(checklist, locations, grid, path):
        parsed.append(set(locations))
        return original(checklist, locations, grid, path)

    monkeypatch.setattr(reader, "_read_human", spy)
    return parsed


def test_unedited_export__every_item_matches_as_written__nothing_parsed_again(small_ctx, small_session, tmp_path,
                                                                              monkeypatch):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    parsed = _parsed_items(monkeypatch)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.ok and parsed == [set()]


@pytest.mark.parametrize(("sheet", "cell", "value", "item", "shown"), [
    ("1. ", "C7", "21/11/2025", "report_date", "21/11/2025"),  # a date typed as text, another day
    ("1. ", "C7", None, "report_date", ""),  # cleared
    ("2. ", "C8", "Có", "providers", "VNPT; Viettel; Khác"),  # one more choice ticked
    ("2. ", "C4", "Không", "has_fibre", "Không"),
    ("2. ", "C10", "Đã kết nối", "tslcd", "Đã kết nối"),
    ("3.1 ", "B6", "Văn thư", "pcs", "3 dòng"),  # a row added below the exported ones
    ("3.1 ", "E4", None, "pcs", "2 dòng"),  # a cell of a row cleared
])
def test_human_edit_of_any_kind__parsed_in_full_and_reported(small_ctx, small_session, tmp_path, monkeypatch, sheet,
                                                              cell, value, item, shown):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    ws = _sheet_for(wb, sheet)
    ws[cell].value = value
    wb.save(path)
    parsed = _parsed_items(monkeypatch)
    read = read_submission(path, checklist=small_session.checklist)
    assert parsed == [{item}]
    assert [d.item for d in read.differences] == [item] and read.hash_ok is True
    assert read.differences[0].sheet_value.startswith(shown) if shown else read.differences[0].sheet_value == ""


def test_data_sheet_edit__breaks_the_hash(small_ctx, small_session, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    row = _data_row(wb[DATA_SHEET], "download")
    row[3].value = "200.0"
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.hash_ok is False and read.answers.values["download"] == 200.0


def test_data_sheet_identity_edit__breaks_the_hash(small_ctx, small_session, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    for r in range(2, 40):
        if data.cell(r, 1).value == "commune_code":
            data.cell(r, 2).value = "23503"
    wb.save(path)
    assert read_submission(path, checklist=small_session.checklist).hash_ok is False


def test_data_sheet_status_edit__draft_made_finalized_by_hand__breaks_the_hash(small_ctx, small_session, tmp_path):
    path = write_submission(small_ctx, tmp_path / "out.xlsx").path
    wb = openpyxl.load_workbook(path)
    data = wb[DATA_SHEET]
    statuses = [r for r in range(2, 40) if data.cell(r, 1).value == "status"]
    assert statuses and data.cell(statuses[0], 2).value == "draft"
    data.cell(statuses[0], 2).value = "finalized"
    wb.save(path)
    read = read_submission(path, checklist=small_session.checklist)
    assert read.status == "finalized" and read.hash_ok is False


def test_atomic__failed_check_leaves_nothing(small_ctx, tmp_path, monkeypatch):
    from readiness.exchange import reader

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.xlsx"

    def broken(*args, **kwargs):
        raise ExchangeError("E-XLSX-CORRUPT", "hỏng")

    monkeypatch.setattr(reader, "read_submission", broken)
    with pytest.raises(ExchangeError):
        write_submission(small_ctx, target)
    assert list(folder.iterdir()) == []


def test_atomic__existing_file_replaced_whole(small_ctx, small_session, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.xlsx"
    target.write_bytes(b"old")
    write_submission(small_ctx, target)
    assert read_submission(target, checklist=small_session.checklist).hash_ok
    assert [p.name for p in folder.iterdir()] == ["out.xlsx"]


def test_unanswered_and_skipped_items__written_as_such(small_ws, tmp_path):
    session = small_ws.session("23500", "2025-12")
    session.set_answer("has_fibre", "Không")
    session.set_answer("download", 80)  # left behind: not relevant once there is no fibre
    ctx = ExportContext.from_session(session, now=NOW)
    path = write_submission(ctx, tmp_path / "x.xlsx").path
    read = read_submission(path, checklist=session.checklist)
    assert read.answers.values == {"has_fibre": False, "download": 80.0} and read.hash_ok
    wb = openpyxl.load_workbook(path)
    row = _find_row(_sheet_for(wb, "2. "), "2.2")
    assert row[5].value == "Không áp dụng"
    assert "Chỉ trả lời nếu mục 2.1 là «Có»" in row[6].value


@pytest.mark.parametrize("profile", ["ready", "average", "behind"])
def test_real_checklist__round_trip_demo_answers(workspace, tmp_path, profile):
    from readiness.demo import demo_answers

    from samples import TODAY

    session = workspace.session("23500", "2025-11")
    session.today = TODAY
    demo = demo_answers(session.checklist, session.commune, seed=5, today=TODAY, profile=profile)
    assert not session.set_answers(demo.answers)
    ctx = ExportContext.from_session(session, now=NOW)
    path = write_submission(ctx, tmp_path / f"{profile}.xlsx").path
    read = read_submission(path)
    assert read.ok and read.checklist.key == session.checklist.key
    assert canonical_json(answer_json(read.checklist, read.answers)) == \
        canonical_json(answer_json(session.checklist, session.answers))
    wb = openpyxl.load_workbook(path, read_only=True)
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert len(wb.sheetnames) == 1 + 1 + len(session.checklist.sections) + \
        sum(1 for i in session.checklist.items() if i.type.value == "table") + 1


def test_long_table__value_split_over_cells_and_read_back(small_ws, tmp_path):
    session = small_ws.session("23500", "2026-01")
    rows = [{"role": f"Máy số {n} — " + "x" * 180, "ram_gb": 8, "os": "win11"} for n in range(1, 201)]
    assert not session.set_answers({"pcs": rows})
    ctx = ExportContext.from_session(session, now=NOW)
    path = write_submission(ctx, tmp_path / "long.xlsx").path
    wb = openpyxl.load_workbook(path)
    row = _data_row(wb[DATA_SHEET], "pcs")
    assert len(row) > 8 and row[8].value  # continued to the right of the fixed columns
    assert json.loads(row[3].value + "".join(c.value or "" for c in row[8:]))[199]["ram_gb"] == 8.0
    read = read_submission(path, checklist=session.checklist)
    assert read.ok and len(read.answers.values["pcs"]) == 200


def test_years__plain_in_workbook_and_report(real_ctx, tmp_path):
    from readiness.exchange import write_report_pdf

    path = write_submission(real_ctx, tmp_path / "r.xlsx").path
    wb = openpyxl.load_workbook(path)
    pcs = _sheet_for(wb, f"{real_ctx.checklist.number('pcs')} ")
    col = next(c for c in range(1, pcs.max_column + 1) if pcs.cell(3, c).value.startswith("Năm mua"))
    assert isinstance(pcs.cell(4, col).value, int) and pcs.cell(4, col).number_format == "0"
    import pypdf

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(write_report_pdf(real_ctx, tmp_path / "r.pdf"))).pages)
    year = str(real_ctx.answers.rows("pcs")[0].values["year"])
    assert year in text and f"{year[0]}.{year[1:]}" not in text


def test_table_sheets__print_with_the_header_repeated_and_tall_enough(real_ctx, tmp_path):
    """Issue 17 §5: every table sheet repeats its header on each printed page, fits the page width,
    and its header row is as tall as its longest title needs."""
    from readiness.exchange.xlsx import HEADER_ROW, wrapped_lines

    path = write_submission(real_ctx, tmp_path / "out.xlsx").path
    book = openpyxl.load_workbook(path)
    checked = 0
    for ws in book.worksheets:
        if ws.sheet_state != "visible" or not ws.print_title_rows:
            continue
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        row = int(ws.print_title_rows.split(":")[0].strip("$"))
        if row != HEADER_ROW or ws.cell(row, 1).value != "STT":
            continue
        height = ws.row_dimensions[row].height
        for cell in ws[row]:
            if cell.value:
                width = ws.column_dimensions[cell.column_letter].width
                assert height >= wrapped_lines(cell.value, width, per_unit=1.1) * 15, (ws.title, cell.value, height)
        checked += 1
    assert checked >= 4
