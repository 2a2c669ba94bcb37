"""The fillable blank workbook: protection, drop-downs, validation; filled by hand and read back."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from readiness.exchange import read_submission, write_template
from readiness.exchange.canonical import answer_json, canonical_json
from readiness.exchange.xlsx import COVER_SHEET, DATA_SHEET, LISTS_SHEET

from exchange_data import SMALL_RAW


def _sheet(wb, prefix):
    return next(wb[name] for name in wb.sheetnames if name.startswith(prefix))


def _row_of(ws, number):
    for row in ws.iter_rows(min_row=4):
        if row[0].value == number:
            return row[0].row
    raise AssertionError(number)


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord] = dv
    return out


def test_template__protection_unlocked_answer_cells(small, tmp_path, small_library):
    path = write_template(small, tmp_path / "t.xlsx", template_rows=12).path
    wb = openpyxl.load_workbook(path)
    assert wb.security.lockStructure
    internet = _sheet(wb, "2. ")
    assert internet.protection.sheet is True and internet.protection.password is None
    row = _row_of(internet, "2.2")
    assert internet.cell(row, 3).protection.locked is False  # the answer cell
    assert internet.cell(row, 2).protection.locked is True  # the question
    assert internet.cell(row, 3).fill.fgColor.rgb.endswith("FFF2CC")
    pcs = _sheet(wb, "3.1 ")
    assert pcs.protection.sheet and pcs["B4"].protection.locked is False and pcs["B15"].protection.locked is False
    assert pcs["B16"].value is None and pcs["A15"].value == 12  # 12 empty numbered rows
    assert wb[DATA_SHEET].sheet_state == "veryHidden" and wb[LISTS_SHEET].sheet_state == "hidden"
    cover = wb[COVER_SHEET]
    assert cover.protection.sheet


def test_template__drop_downs_and_validation_messages(small, tmp_path):
    path = write_template(small, tmp_path / "t.xlsx").path
    wb = openpyxl.load_workbook(path)
    internet = _sheet(wb, "2. ")
    dvs = _validations(internet)
    yes_no = dvs[f"C{_row_of(internet, '2.1')}"]
    assert yes_no.type == "list" and yes_no.formula1 == '"Có,Không"' and yes_no.showErrorMessage
    decimal = dvs[f"C{_row_of(internet, '2.2')}"]
    assert decimal.type == "decimal" and decimal.operator == "between"
    assert "Nhập một số" in decimal.error and decimal.errorTitle == "Giá trị không hợp lệ"
    choice = dvs[f"C{_row_of(internet, '2.4')}"]
    assert choice.type == "list"
    name = choice.formula1
    target = wb.defined_names[name].attr_text
    sheet, cells = target.split("!")
    assert sheet.strip("'") == LISTS_SHEET
    column = cells.split(":")[0].replace("$", "")[0]
    labels = [c.value for c in wb[LISTS_SHEET][column] if c.value]
    assert labels == ["Đã kết nối", "Chưa kết nối"]
    multi = _row_of(internet, "2.3")
    for offset in (1, 2, 3):  # one Có/Không row per option under the item
        assert dvs[f"C{multi + offset}"].formula1 == '"Có,Không"'
    general = _sheet(wb, "1. ")
    gdv = _validations(general)
    assert gdv[f"C{_row_of(general, '1.3')}"].type == "whole"
    assert (gdv[f"C{_row_of(general, '1.3')}"].formula1, gdv[f"C{_row_of(general, '1.3')}"].formula2) == ("0", "500")
    date = gdv[f"C{_row_of(general, '1.4')}"]
    assert date.type == "date" and "dd/mm/yyyy" in date.error
    pcs = _sheet(wb, "3.1 ")
    pdv = _validations(pcs)
    assert pdv["C4:C33"].type == "decimal" and pdv["E4:E33"].type == "date" and pdv["D4:D33"].type == "list"


def _fill_small(path, *, with_identity=False):
    """Fill the template as a person would in Excel: labels, Vietnamese text, dates both ways, decimal comma."""
    wb = openpyxl.load_workbook(path)
    general = _sheet(wb, "1. ")
    general.cell(_row_of(general, "1.1"), 3).value = "Nguyễn Thị Hoà"
    general.cell(_row_of(general, "1.2"), 3).value = "motcua.dakha@quangngai.gov.vn"
    general.cell(_row_of(general, "1.3"), 3).value = 25
    general.cell(_row_of(general, "1.4"), 3).value = "20/11/2025"  # typed as text
    internet = _sheet(wb, "2. ")
    internet.cell(_row_of(internet, "2.1"), 3).value = "Có"
    internet.cell(_row_of(internet, "2.2"), 3).value = "50,5"  # decimal comma, as text
    multi = _row_of(internet, "2.3")
    internet.cell(multi + 1, 3).value = "Có"  # VNPT
    internet.cell(multi + 2, 3).value = "Không"  # Viettel
    internet.cell(multi + 3, 3).value = "Có"  # Khác
    internet.cell(_row_of(internet, "2.4"), 3).value = "Chưa kết nối"
    pcs = _sheet(wb, "3.1 ")
    pcs["B4"], pcs["C4"], pcs["D4"], pcs["E4"] = "Một cửa", 4, "Windows 10", dt.datetime(2020, 1, 2)  # a real date
    pcs["B5"], pcs["C5"], pcs["D5"] = "Chủ tịch", "16", "Windows 11"
    petitions = _sheet(wb, "4.1 ")
    petitions["B4"], petitions["C4"], petitions["D4"], petitions["E4"] = \
        "Hạ tầng", "Máy tính cũ, chậm", "Cấp 5 máy tính mới", "Sở KHCN"
    if with_identity:
        cover = wb[COVER_SHEET]
        for row in range(4, 12):
            if cover.cell(row, 1).value == "Mã đơn vị hành chính":
                cover.cell(row, 2).value = 23500  # typed as a number
            if cover.cell(row, 1).value == "Kỳ báo cáo (tháng/năm)":
                cover.cell(row, 2).value = "11/2025"
    wb.save(path)


def test_filled_template__reads_back_as_the_app_stores(small_ws, small, tmp_path):
    from readiness.register import load_register

    commune = next(c for c in load_register() if c.code == "23500")
    path = write_template(small, tmp_path / "t.xlsx", commune=commune, period="2025-11").path
    _fill_small(path)
    read = read_submission(path, checklist=small)
    assert read.kind == "template" and read.problems == [] and read.hash_ok is None
    assert (read.commune_code, read.period) == ("23500", "2025-11")
    session = small_ws.session("23500", "2025-11")
    assert not session.set_answers(SMALL_RAW)  # what the app stores for the same answers typed in the wizard
    assert canonical_json(answer_json(small, read.answers)) == canonical_json(answer_json(small, session.answers))
    assert read.answers.values["report_date"] == dt.date(2025, 11, 20)
    assert read.answers.values["pcs"][0].values["bought"] == dt.date(2020, 1, 2)
    assert read.answers.values["download"] == 50.5


def test_filled_template__identity_typed_on_the_cover(small, tmp_path):
    path = write_template(small, tmp_path / "t.xlsx").path
    _fill_small(path, with_identity=True)
    read = read_submission(path, checklist=small)
    assert (read.commune_code, read.period) == ("23500", "2025-11") and read.problems == []


def test_filled_template__bad_cells_named_by_sheet_and_cell(small, tmp_path):
    path = write_template(small, tmp_path / "t.xlsx").path
    _fill_small(path)
    wb = openpyxl.load_workbook(path)
    pcs = _sheet(wb, "3.1 ")
    pcs["C5"] = "tám"
    general = _sheet(wb, "1. ")
    officers_row = _row_of(general, "1.3")
    general.cell(officers_row, 3).value = "nhiều"
    internet = _sheet(wb, "2. ")
    internet.cell(_row_of(internet, "2.4"), 3).value = "Cáp đồng"
    wb.save(path)
    read = read_submission(path, checklist=small)
    messages = {p.cell: p for p in read.problems}
    assert messages["C5"].message == f"Sheet '{pcs.title}', ô C5: RAM: phải là số, nhận được «tám»."
    assert messages["C5"].sheet == pcs.title and messages["C5"].item == "pcs" and messages["C5"].column == "ram_gb"
    officers = messages[f"C{officers_row}"]
    assert officers.message.startswith(f"Sheet '{general.title}', ô C{officers_row}: mục 1.3 «Số cán bộ, công chức»: ")
    assert officers.code == "E-ANS-NUMBER"
    assert any(p.code == "E-ANS-CHOICE" for p in read.problems)
    assert "officers" not in read.answers.values and read.answers.values["pcs"][0].values["ram_gb"] == 4.0
    with pytest.raises(Exception) as raised:
        read.raise_for_problems()
    assert "ô C" in str(raised.value)


def test_blank_template__reads_back_empty(small, tmp_path):
    path = write_template(small, tmp_path / "t.xlsx").path
    read = read_submission(path, checklist=small)
    assert read.kind == "template" and read.answers.values == {} and read.problems == []
    assert read.commune_code is None and read.period is None


def test_real_template__filled_tables_read_back(real_checklist, tmp_path):
    path = write_template(real_checklist, tmp_path / "real.xlsx").path
    wb = openpyxl.load_workbook(path)
    pcs = _sheet(wb, f"{real_checklist.number('pcs')} ")
    headers = {pcs.cell(3, col).value.rstrip(" *"): col for col in range(1, pcs.max_column + 1)}
    pcs.cell(4, headers["Người sử dụng / vị trí"]).value = "Quầy một cửa số 1"
    pcs.cell(4, headers["RAM (GB)"]).value = "8"
    pcs.cell(4, headers["Hệ điều hành"]).value = real_checklist.item("pcs").column("os").choices[0].label.vi
    pcs.cell(4, headers["Năm mua"]).value = 2021
    wb.save(path)
    read = read_submission(path)
    assert read.problems == []
    row = read.answers.values["pcs"][0].values
    assert row["ram_gb"] == 8.0 and row["year"] == 2021 and row["role"] == "Quầy một cửa số 1"
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_template_table__rows_may_be_inserted_and_all_are_read(small, tmp_path):
    path = write_template(small, tmp_path / "t.xlsx", template_rows=3).path
    wb = openpyxl.load_workbook(path)
    pcs = _sheet(wb, "3.1 ")
    assert pcs.protection.insertRows is False and pcs.protection.deleteRows is False  # False = allowed
    pcs.insert_rows(6, amount=2)  # a person adds rows inside the table
    for offset in range(5):
        pcs.cell(4 + offset, 2).value = f"Máy {offset + 1}"
        pcs.cell(4 + offset, 3).value = 8
    wb.save(path)
    read = read_submission(path, checklist=small)
    assert [r.values["role"] for r in read.answers.values["pcs"]] == [f"Máy {n}" for n in range(1, 6)]
