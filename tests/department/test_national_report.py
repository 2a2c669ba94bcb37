"""The national report (scope «cả nước»): the per-province roll-up, and names told apart by their province."""

from __future__ import annotations

import re

import subprocess

import pytest

from report_fixtures import PERIOD, TODAY  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def national_report(tmp_path_factory):
    """Communes of three provinces, Phường Ba Đình (Hà Nội) and Xã Ba Đình (Thanh Hóa) among them; the report
    of the whole country in Word and PDF."""
    from demo_db import populate
    from readiness.cli import main
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("national-report")
    workspace = Workspace.open(f"sqlite:///{folder / 'national.sqlite3'}")
    communes = workspace.store.all_communes()
    chosen = [c for c in communes if c.code in ("00004", "16171")]
    chosen += [c for c in communes if c.province_code == "01" and c.code != "00004"][:3]
    chosen += [c for c in communes if c.province_code == "51"][:2]
    populate(workspace, chosen, PERIOD, today=TODAY, seed=7, profiles=["ready", "average", "behind"])
    db = str(workspace.store.engine.url)
    docx, pdf, xlsx = folder / "ca-nuoc.docx", folder / "ca-nuoc.pdf", folder / "ca-nuoc.xlsx"
    assert main(["--db", db, "report", "--period", PERIOD, "--province", "all", "--docx", str(docx), "--pdf", str(pdf),
                 "--no-inventory"]) == 0
    assert main(["--db", db, "report", "--period", PERIOD, "--province", "all", "--xlsx", str(xlsx)]) == 0
    workspace.national_xlsx = xlsx
    yield workspace, docx, pdf
    workspace.close()


def _docx_text(path) -> tuple[str, list[list[list[str]]]]:
    from docx import Document

    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_national_report__docx__ca_nuoc_and_a_row_per_province_with_the_total(national_report):
    _ws, docx, _pdf = national_report
    text, tables = _docx_text(docx)
    assert "trên địa bàn cả nước, kỳ 11/2025" in text
    assert "2.2. Kết quả theo tỉnh, thành phố" in text
    assert "2.3. Điểm bình quân theo từng nội dung" in text and "2.4. Những tồn tại phổ biến" in text
    rollup = next(t for t in tables if t[0][:5] == ["STT", "Tỉnh, thành phố", "Phải báo cáo", "Đã gửi", "Điểm bình quân"])
    body = rollup[1:]
    assert len(body) == 34 + 1
    names = [row[1] for row in body[:-1]]
    assert names[:4] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng"]  # Vietnamese order, syllable by syllable
    by_name = {row[1]: row for row in body}
    assert by_name["Hà Nội"][3].startswith("4 (") and by_name["Thanh Hóa"][3].startswith("1 (")
    assert by_name["Quảng Ngãi"][2] == "96" and by_name["Quảng Ngãi"][3].startswith("2 (")
    total = body[-1]
    assert total[1] == "Cả nước" and total[2] == "3.321" and total[3].startswith("7 (")
    assert sum(int(row[c]) for row in body[:-1] for c in range(5, len(row))) == 7
    means = [row[4] for row in body if row[4] != "—"]
    assert means and all(re.fullmatch(r"\d{1,3},\d", mean) for mean in means)  # «66,0» beside «63,6», never «66»


def test_national_report__names_told_apart_by_province(national_report):
    _ws, docx, _pdf = national_report
    text, tables = _docx_text(docx)
    cells = "\n".join(cell for table in tables for row in table for cell in row)
    everything = text + "\n" + cells
    # Whichever place a commune's name is printed alone (not ready table, annex, not sent), its province goes with it.
    for name, province in (("Phường Ba Đình", "Hà Nội"), ("Xã Ba Đình", "Thanh Hóa")):
        if name in everything:
            assert f"{name} ({province})" in everything
            assert everything.count(name) == everything.count(f"{name} ({province})")


def test_national_report__pdf__the_roll_up_reads_back(national_report, tmp_path):
    _ws, _docx, pdf = national_report
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2.2. Kết quả theo tỉnh, thành phố" in text
    assert "cả nước" in text and "Cả nước" in text
    assert text.index("Cà Mau") < text.index("Cao Bằng")


def test_provincial_report__one_province__no_roll_up(national_report, tmp_path):
    from readiness.cli import main

    ws, _docx, _pdf = national_report
    path = tmp_path / "ha-noi.docx"
    assert main(["--db", str(ws.store.engine.url), "report", "--period", PERIOD, "--province", "01", "--docx",
                 str(path), "--no-inventory"]) == 0
    text, _tables = _docx_text(path)
    assert "Kết quả theo tỉnh, thành phố" not in text
    assert "2.2. Điểm bình quân theo từng nội dung" in text and "(Hà Nội)" not in text


def test_national_workbook__every_data_sheet__a_province_column_to_pivot_by(national_report):
    from openpyxl import load_workbook

    ws, _docx, _pdf = national_report
    book = load_workbook(ws.national_xlsx, read_only=True)
    data_sheets = [name for name in book.sheetnames if name[:1].isdigit()] + [
        "Ma trận tồn tại", "Kiến nghị", "Kết quả theo xã", "Máy tính", "Chứng thư số", "Điểm cầu HNTH"]
    assert len(data_sheets) >= 13 and set(data_sheets) <= set(book.sheetnames)
    for name in data_sheets:
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        header_index = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
        header = rows[header_index]
        assert "Tỉnh, thành phố" in header, name
        place = header.index("Tỉnh, thành phố")
        code = header.index("Mã xã")
        places = {r[code]: r[place] for r in rows[header_index + 1:] if r and r[code]}
        assert places, name
        if "00004" in places:
            assert places["00004"] == "Thành phố Hà Nội", name
        if "16171" in places:
            assert places["16171"] == "Tỉnh Thanh Hóa", name
        assert all(value and value.startswith(("Tỉnh ", "Thành phố ")) for value in places.values()), name
    # The marks still sit on the criteria columns (after the province column).
    gaps = [list(r) for r in book["Ma trận tồn tại"].iter_rows(values_only=True)]
    header_index = next(i for i, r in enumerate(gaps) if r and r[0] == "STT")
    assert gaps[header_index][3:6] == ["Tỉnh, thành phố", "Mức độ sẵn sàng", "Số tiêu chí chưa đạt"]


def test_province_table__a_whole_mean_score__one_decimal_like_its_neighbours():
    """«66,0» under «63,6» (the column reads as one kind of number), and the total's mean the same way."""
    from types import SimpleNamespace

    from readiness.department.report_content import _province_table
    from readiness.department.rollup import ProvinceRow
    from readiness.department.status import StatusFilters

    levels = [SimpleNamespace(id="ready", label="Sẵn sàng"), SimpleNamespace(id="basic", label="Cơ bản")]
    consolidation = SimpleNamespace(status=SimpleNamespace(levels=levels, filters=StatusFilters(province=None)))
    rollup = [ProvinceRow("51", "Tỉnh Quảng Ngãi", 96, 2, [60.0, 72.0], {"ready": 1, "basic": 1}),
              ProvinceRow("01", "Thành phố Hà Nội", 126, 1, [63.6], {"basic": 1}),
              ProvinceRow("38", "Tỉnh Thanh Hóa", 166, 0)]
    headers, rows = _province_table(consolidation, rollup)
    means = {row[1]: row[headers.index("Điểm bình quân")] for row in rows}
    assert means == {"Quảng Ngãi": "66,0", "Hà Nội": "63,6", "Thanh Hóa": "—", "Cả nước": "65,2"}
