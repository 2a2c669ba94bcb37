"""readiness.xlsx_cells: text stays text in normal and write-only workbooks and in CSV, and stays as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from readiness.xlsx_cells import (
    csv_field, is_formula_like, put_text, row_of, save_workbook, seal_workbook, text_cell,
)

RISKY = ["=1+2", "+SUM(A1:A9)", "-2", "@SUM(A1)", "\t=1", "\r=1", "\nx", "  =1+2", "\u00a0=1", "\ufeff=1",
         "＝1+2", "＋1", "－1", "＠A1", "﹦1", "﹢1", "﹣1", "﹫A1", "=", "-"]
PLAIN = ["Xã Đăk Hà", "1=1", "a-b", "Phó Chủ tịch", "", "   ", "'=1", "#N/A", "—", "−1"]


@pytest.mark.parametrize("text", RISKY)
def test_is_formula_like__formula_starts_and_their_full_width_forms__true(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", PLAIN)
def test_is_formula_like__ordinary_text__false(text):
    assert not is_formula_like(text)


@pytest.mark.parametrize("text", [*RISKY, "#N/A", "#REF!", "Đăk Hà"])
def test_put_text__normal_worksheet__string_as_typed_quoted_when_risky(text, tmp_path):
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    put_text(book.active["B2"], text)
    save_workbook(book, tmp_path / "a.xlsx")
    cell = load_workbook(tmp_path / "a.xlsx").active["B2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert bool(cell.quotePrefix) == is_formula_like(text)


def test_row_of__write_only_worksheet__text_kept_numbers_and_dates_kept(tmp_path):
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet("x")
    header = text_cell(ws, "=HYPERLINK(\"http://evil.example\",\"pc\")")
    header.font = Font(bold=True)
    ws.append([header])
    ws.append(row_of(ws, ["=cmd|' /C calc'!A0", 3, 2.5, dt.date(2025, 11, 20), None, "#N/A", "Đăk Hà", "＋1"]))
    save_workbook(book, tmp_path / "w.xlsx")
    sheet = load_workbook(tmp_path / "w.xlsx")["x"]
    assert sheet["A1"].value.startswith("=HYPERLINK") and sheet["A1"].quotePrefix and sheet["A1"].font.b
    row = [c for c in sheet[2]]
    assert [c.data_type for c in row[:4]] == ["s", "n", "n", "d"]
    assert [row[0].value, row[1].value, row[2].value] == ["=cmd|' /C calc'!A0", 3, 2.5]
    assert row[0].quotePrefix and not row[6].quotePrefix and row[7].quotePrefix
    assert (row[5].value, row[5].data_type) == ("#N/A", "s")


def test_seal_workbook__text_written_around_put_text__made_text_again(tmp_path):
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    ws = book.active
    ws["A1"] = "=1+2"  # openpyxl alone: a formula
    ws["A2"] = "#DIV/0!"  # an error
    ws["A3"] = "+SUM(A1)"  # a string Excel would run when edited
    ws["A4"] = 7
    ws.append(["@x", "ok"])
    assert seal_workbook(book) == 5
    save_workbook(book, tmp_path / "s.xlsx")
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in sheet["A"]] == [
        ("=1+2", "s", True), ("#DIV/0!", "s", False), ("+SUM(A1)", "s", True), (7, "n", False), ("@x", "s", True)]
    assert sheet.max_row == 5 and sheet.max_column == 2  # no empty cells made


def test_csv_field__apostrophe_before_a_formula_start_only():
    assert csv_field("=1+2") == "'=1+2"
    assert csv_field("＝1+2") == "'＝1+2"
    assert csv_field("Đăk Hà") == "Đăk Hà"
    assert csv_field(5) == 5 and csv_field(None) is None
