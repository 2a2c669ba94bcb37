"""The consolidation and the three report formats, read back: openpyxl, pypdf, python-docx."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from report_fixtures import PERIOD, REF, TODAY, flat, report_ws  # noqa: F401 - fixtures

REPORT_DATE = dt.date(2025, 11, 28)


@pytest.fixture(scope="module")
def built(report_ws, tmp_path_factory):
    """Consolidation, petitions and the three files, written once for the module."""
    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.petitions import list_petitions
    from readiness.department.report_content import ReportOptions, build_report
    from readiness.department.report_docx import write_report_docx
    from readiness.department.report_pdf import write_report_pdf
    from readiness.department.report_xlsx import write_report_xlsx

    folder = tmp_path_factory.mktemp("files")
    data = consolidate(report_ws, PERIOD, today=TODAY)
    petitions = list_petitions(report_ws, period=PERIOD)
    report = build_report(data, petitions, ReportOptions(date=REPORT_DATE, signer_name="Phan Văn Hiếu"))
    paths = {"xlsx": folder / "tong-hop.xlsx", "pdf": folder / "bao-cao.pdf", "docx": folder / "bao-cao.docx"}
    inv = inventories(report_ws, data)
    write_report_xlsx(data, petitions, paths["xlsx"], inv, as_of=TODAY)
    write_report_pdf(report, paths["pdf"])
    write_report_docx(report, paths["docx"])
    return {"data": data, "petitions": petitions, "report": report, "paths": paths, "inventories": inv}


# -- consolidation ---------------------------------------------------------------------------------------


def test_consolidation_numbers(built):
    data = built["data"]
    assert data.received == 14 and data.status.expected == 96
    assert sum(lc.count for lc in data.levels) == 14
    assert data.not_ready(), "the 'behind' profiles make some communes not ready"
    for section in data.sections:
        values = [r.section_scores[section.id] for r in data.rows if r.section_scores.get(section.id) is not None]
        assert data.section_averages[section.id] == pytest.approx(sum(values) / len(values))
    counts = [g.count for g in data.common_gaps]
    assert counts == sorted(counts, reverse=True)
    top = data.common_gaps[0]
    assert top.count == sum(1 for r in data.rows if r.result.statuses.get(top.criterion.item_id) in ("fail", "missing"))
    assert top.share == pytest.approx(top.count / 14)
    by_score = data.score_table("score", descending=True)
    assert [r.score for r in by_score] == sorted((r.score for r in data.rows), reverse=True)
    by_section = data.score_table("computers")
    present = [r.section_scores["computers"] for r in by_section if r.section_scores["computers"] is not None]
    assert present == sorted(present)
    with pytest.raises(KeyError):
        data.score_table("nothing")
    summary = data.to_dict()
    assert summary["received"] == 14 and summary["common_gaps"][0]["count"] == top.count


def test_commune_detail(report_ws, built):
    from readiness.department.consolidate import commune_detail

    row = built["data"].rows[0]
    detail = commune_detail(report_ws, row.code, PERIOD, today=TODAY)
    assert detail.state == "submitted" and detail.info.id == row.assessment_id
    assert detail.result.score == pytest.approx(row.score, abs=0.01)
    assert detail.history and detail.history[0].id == row.assessment_id
    lines = detail.answer_lines()
    assert any(number == "3.1" for number, _, _ in lines)
    missing = commune_detail(report_ws, "23302", PERIOD)
    assert missing.state == "missing" and missing.result is None


def test_inventories_hold_every_row(report_ws, built):
    inv = {i.item_id: i for i in built["inventories"]}
    pcs = inv["pcs"]
    total = 0
    for row in built["data"].rows:
        info = report_ws.store.assessment(row.assessment_id)
        total += len(report_ws.store.load_rows(info.id, report_ws.checklist_for(info), "pcs"))
    assert len(pcs.rows) == total
    certificates = inv["certificates"]
    org = [values for _, _, values in certificates.rows if values["role"] == "Tổ chức"]
    assert org and all(isinstance(v["expiry"], dt.date) for v in org)
    endpoints = inv["vc_endpoints"]
    assert any(values["name"].startswith("Điểm cầu chính") for _, _, values in endpoints.rows)



def test_inventories__small_chunks__the_same_rows_each_pass(report_ws, built, monkeypatch):
    """The rows are made a chunk of communes at a time, anew on each pass: where a chunk ends changes nothing."""
    from readiness.department import consolidate as module

    def rows(inventories):
        return {i.item_id: [(row.code, number, values) for row, number, values in i.rows] for i in inventories}

    whole = rows(built["inventories"])
    assert rows(built["inventories"]) == whole  # a second pass gives them again
    monkeypatch.setattr(module, "INVENTORY_CHUNK", 3)  # 14 communes: chunks of 3, 3, 3, 3 and 2
    assert rows(module.inventories(report_ws, built["data"])) == whole
    assert sum(len(r) for r in whole.values()) > len(built["data"].rows)


def test_inventory_row_shower__every_row_and_odd_values__the_cells_show_cell_gives(built):
    """row_shower takes a value show_cell keeps as it is without a call: the same cells, value and type, as
    show_cell column by column, for every inventory row and for values of every other type."""
    from readiness.department.consolidate import row_shower, show_cell

    odd = [None, True, False, 0, 3, 2.5, dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4), "", "=1+1", "x",
           ["usb_token"], ["no such choice"], "usb_token", 10**20, float("inf")]
    def outcome(show, value):
        try:
            shown = show(value)
        except Exception as error:  # noqa: BLE001 - the same refusal both ways (describe's)
            return "raises", type(error), str(error)
        return shown, type(shown)

    checked = 0
    for inventory in built["inventories"]:
        columns = inventory.columns
        show_row = row_shower(inventory, columns)
        for _, _, values in inventory.rows:
            expected = [show_cell(inventory, column, values.get(column.id)) for column in columns]
            cells = show_row(values)
            assert cells == expected and [type(c) for c in cells] == [type(c) for c in expected], values
            checked += len(cells)
        for column in columns:
            one = row_shower(inventory, [column])
            for value in odd:
                assert outcome(lambda v: one({column.id: v})[0], value) == outcome(
                    lambda v: show_cell(inventory, column, v), value), (column.id, value)
    assert checked > 1000


def test_pdf_writer__installed__reportlab_uses_its_c_accelerators():
    """rl_accel (a dependency): without it reportlab measures and escapes every string in Python, the same
    bytes ~40 % slower on the 3,321-commune report."""
    from reportlab.lib import rl_accel

    assert {"fp_str", "instanceStringWidthTTF", "escapePDF", "asciiBase85Encode"} <= set(rl_accel._c_funcs)


def test_docx__annex_streamed_into_the_package__the_same_document_as_built_whole(built, tmp_path):
    """write_report_docx writes the annex's rows straight into word/document.xml (no tree of 6,000 rows in
    memory); build_docx puts them in python-docx's tree: both give the same document."""
    import io
    import zipfile

    from lxml import etree

    from readiness.department.report_docx import build_docx

    report = built["report"]
    assert report.annex, "the fixture has petitions: the annex is written"
    whole = io.BytesIO()
    build_docx(report).save(whole)

    def body(package):
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            xml = archive.read("word/document.xml")
        return names, etree.tostring(etree.fromstring(xml), method="c14n")

    names, streamed = body(built["paths"]["docx"])
    whole_names, expected = body(whole)
    assert names == whole_names
    assert streamed == expected
    assert b"readiness-annex-" not in streamed
    assert streamed.count(b"<w:tr>") + streamed.count(b"<w:tr ") >= len(report.annex)

# -- Excel -----------------------------------------------------------------------------------------------


class _OpenpyxlRows:
    """What the report's tables wrote before their rows were streamed as XML: each row appended through openpyxl's
    cells (``ws.append(row_of(ws, row))``), a date column's dates as styled cells."""

    def __init__(self, ws, after_row: int):
        self.ws, self.row, self.dates = ws, after_row, {}

    def date_column(self, index: int, prototype) -> None:
        self.dates[index] = prototype

    def tail(self, index: int, value):
        """A cell made ahead (the inventories' stored columns): here the value itself, appended as any other."""
        return value

    def append(self, values) -> None:
        from openpyxl.cell import WriteOnlyCell

        from readiness.xlsx_cells import row_of

        row = []
        for index, value in enumerate(values):
            if index in self.dates and isinstance(value, dt.date):
                cell = WriteOnlyCell(self.ws, value=value)
                cell.number_format = self.dates[index].number_format
                value = cell
            row.append(value)
        self.ws.append(row_of(self.ws, row))
        self.row += 1


def test_xlsx__rows_streamed_as_xml__every_cell_as_openpyxl_writes_it(built, tmp_path, monkeypatch):
    """The consolidated workbook with its table rows written as SpreadsheetML directly and the same workbook with
    every row appended through openpyxl's cells: every sheet, cell by cell (value, type, number format, font, fill,
    alignment, border, quote prefix), with the same widths, heights, panes, filters and conditional formats."""
    from openpyxl import load_workbook

    import readiness.xlsx_cells as cells
    from readiness.department.report_xlsx import write_report_xlsx

    streamed = built["paths"]["xlsx"]
    monkeypatch.setattr(cells, "StreamedRows", _OpenpyxlRows)
    through_cells = write_report_xlsx(built["data"], built["petitions"], tmp_path / "cells.xlsx", built["inventories"],
                                      as_of=TODAY)
    a, b = load_workbook(streamed), load_workbook(through_cells)
    assert a.sheetnames == b.sheetnames
    compared = 0
    for name in a.sheetnames:
        x, y = a[name], b[name]
        assert (x.max_row, x.max_column, x.freeze_panes, x.auto_filter.ref, x.print_title_rows) == (
            y.max_row, y.max_column, y.freeze_panes, y.auto_filter.ref, y.print_title_rows), name
        assert {k: d.width for k, d in x.column_dimensions.items()} == {k: d.width for k, d in y.column_dimensions.items()}
        assert {k: d.height for k, d in x.row_dimensions.items()} == {k: d.height for k, d in y.row_dimensions.items()}
        assert [str(r.sqref) for r in x.conditional_formatting] == [str(r.sqref) for r in y.conditional_formatting]
        for row_x, row_y in zip(x.iter_rows(), y.iter_rows(), strict=True):
            for cx, cy in zip(row_x, row_y, strict=True):
                where = f"{name}!{cx.coordinate}"
                if name == "Tổng hợp" and cx.coordinate == "A2":  # «lập lúc …»: the minute it was written
                    continue
                assert (cx.value, cx.data_type, cx.number_format, cx.quotePrefix) == (
                    cy.value, cy.data_type, cy.number_format, cy.quotePrefix), where
                for attr in ("font", "fill", "alignment", "border"):
                    assert repr(getattr(cx, attr)) == repr(getattr(cy, attr)), (where, attr)
                compared += 1
    assert compared > 5000 and len(a.sheetnames) >= 14


def test_xlsx_sheets_values_and_features(built):
    from openpyxl import load_workbook

    data = built["data"]
    book = load_workbook(built["paths"]["xlsx"])
    names = book.sheetnames
    assert names[:2] == ["Tổng hợp", "Kết quả theo xã"]
    for section in data.sections:
        assert any(name.startswith(f"{section.number}. ") for name in names)
    for name in ("Ma trận tồn tại", "Máy tính", "Chứng thư số", "Điểm cầu HNTH", "Kiến nghị"):
        assert name in names

    summary = book["Tổng hợp"]
    assert len(summary._charts) == 2
    cells = {row[0]: row[1:] for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert cells["Phải nộp"][0] == 96
    assert cells["Đã nhận (đã hoàn thành)"][0] == 14
    for lc in data.levels:
        assert cells[lc.level.label][0] == lc.count

    communes = book["Kết quả theo xã"]
    header = [c.value for c in communes[1]]
    assert header[:4] == ["STT", "Mã xã", "Đơn vị", "Loại"] and "Mức độ sẵn sàng" in header
    assert communes.freeze_panes == "D2"
    assert communes.auto_filter.ref == f"A1:{communes.cell(1, len(header)).column_letter}{communes.max_row}"
    assert communes.max_row == 97  # header + every commune of the province
    rows = {r[1]: r for r in communes.iter_rows(min_row=2, values_only=True)}
    sample = data.rows[0]
    got = rows[sample.code]
    assert got[2] == sample.name and got[9] == round(sample.score, 1)
    assert got[10] == data.status.level_labels[sample.level]
    assert rows["23302"][5] == "Chưa nộp"
    names_in_order = [r[2] for r in communes.iter_rows(min_row=2, values_only=True)]
    assert names_in_order.index("Xã Đăk Hà") > names_in_order.index("Xã Dục Nông")
    rules = [rule.type for cf in communes.conditional_formatting for rule in cf.rules]
    assert "cellIs" in rules  # the level column
    # Scores are filled with the colours of their band (readiness.bands), not a colour scale of the
    # workbook's own: the overall score in its level's colours, a section score in its number's.
    from readiness.bands import band, score_band

    level_labels = {label: level_id for level_id, label in data.status.level_labels.items()}
    for cells in communes.iter_rows(min_row=2):
        if cells[9].value is None:
            continue
        level_id = level_labels.get(cells[10].value)
        assert cells[9].fill.fgColor.rgb[-6:] == band(data.checklist, cells[9].value, level_id).background[1:].upper()
        for cell in cells[12:12 + len(data.sections)]:
            if cell.value is not None:
                assert cell.fill.fgColor.rgb[-6:] == score_band(data.checklist, cell.value).background[1:].upper()
    assert communes.page_setup.orientation == "landscape" and str(communes.page_setup.paperSize) == "9"
    assert communes.print_title_rows == "$1:$1"
    assert communes.column_dimensions["C"].width >= len("Phường Trương Quang Trọng") * 0.8

    section_sheet = next(book[n] for n in names if n.startswith("3. "))
    values = {v for row in section_sheet.iter_rows(min_row=2, values_only=True) for v in row[5:]}
    assert {"Đạt", "Chưa đạt"} & values
    assert section_sheet.auto_filter.ref and section_sheet.freeze_panes == "D2"

    matrix = book["Ma trận tồn tại"]
    top = data.common_gaps[0]
    assert matrix.cell(1, 6).value.startswith(f"{top.criterion.number} ")
    marks = [row[5] for row in matrix.iter_rows(min_row=2, values_only=True)]
    assert marks.count("✗") == top.count

    pcs = book["Máy tính"]
    assert pcs.max_row - 1 == len({i.item_id: i for i in built["inventories"]}["pcs"].rows)
    assert [c.value for c in pcs[1]][:3] == ["STT", "Mã xã", "Đơn vị"]
    certificates = book["Chứng thư số"]
    header = [c.value for c in certificates[1]]
    expiry_col = header.index("Ngày hết hạn")
    first = next(certificates.iter_rows(min_row=2, max_row=2))
    assert isinstance(first[expiry_col].value, dt.datetime)
    assert first[expiry_col].number_format == "dd/mm/yyyy"

    petitions = book["Kiến nghị"]
    texts = [c for row in petitions.iter_rows(min_row=2, values_only=True) for c in row if isinstance(c, str)]
    assert "Kính chuyển Sở Tài chính" in texts
    assert any(REF in t for t in texts)


# -- PDF -------------------------------------------------------------------------------------------------


def _drawn_fonts(reader) -> set[str]:
    """Fonts that text is drawn with (named by a Tf operator in a text object that shows glyphs)."""
    import re

    names = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        content = page.get_contents().get_data().decode("latin-1")
        for block in re.findall(r"BT(.*?)ET", content, re.S):
            if "Tj" in block or "TJ" in block:
                for key in set(re.findall(r"(/[A-Za-z0-9+]+) [0-9.]+ Tf", block)):
                    names.add(str(fonts[key].get_object().get("/BaseFont")))
    return names


def test_pdf_text_and_layout(built):
    from pypdf import PdfReader

    reader = PdfReader(str(built["paths"]["pdf"]))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for expected in ("UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "/BC-SKHCN", "Quảng Ngãi, ngày 28 tháng 11 năm 2025", "BÁO CÁO",
                     "Các đơn vị chưa sẵn sàng và nguyên nhân", "Nơi nhận", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                     "Phan Văn Hiếu", "PHỤ LỤC", "Địa phương phản ánh, đề xuất", "Tình hình giải quyết",
                     "Kính chuyển Sở Tài chính", "Công văn 2984/SKHCN-VP ngày 20/11/2025",
                     "Biểu đồ 1", "Biểu đồ 2"):
        assert expected in text, expected
    not_ready = built["data"].not_ready()[0]
    assert not_ready.name in text
    petition = built["petitions"][3]
    assert flat(petition.difficulty)[:40] in text
    fonts = _drawn_fonts(reader)
    assert fonts and all("LiberationSerif" in name for name in fonts), fonts  # embedded, no Latin-1 built-in
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width < first.height and last.width > last.height  # the annex is landscape
    assert "2" in flat(reader.pages[1].extract_text())[:5]  # page number at the top from page 2


# -- Word ------------------------------------------------------------------------------------------------


def test_docx_content_and_layout(built):
    import docx
    from docx.enum.section import WD_ORIENT
    from readiness.department.report_content import ANNEX_HEADERS

    document = docx.Document(str(built["paths"]["docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs and "PHỤ LỤC" in paragraphs
    header_text = " ".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_text and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in header_text
    assert "Quảng Ngãi, ngày 28 tháng 11 năm 2025" in header_text
    annex = document.tables[-1]
    assert tuple(cell.text for cell in annex.rows[0].cells) == ANNEX_HEADERS
    body = [[cell.text for cell in row.cells] for row in annex.rows[1:]]
    statuses = [row[3] for row in body]
    assert "Kính chuyển Sở Tài chính" in statuses
    assert any(REF in s for s in statuses)
    petition = built["petitions"][3]
    assert any(petition.difficulty in row[2] for row in body)
    assert len(body) == len(built["petitions"])
    sections = document.sections
    assert len(sections) == 2
    assert round(sections[0].left_margin.cm, 2) == 3.0 and round(sections[0].right_margin.cm, 2) == 1.5  # twips
    assert round(sections[0].page_width.cm, 1) == 21.0 and round(sections[0].page_height.cm, 1) == 29.7  # A4
    assert sections[1].orientation == WD_ORIENT.LANDSCAPE and sections[1].page_width > sections[1].page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.inline_shapes and len(document.inline_shapes) == 2  # the two charts
    xml = document.sections[0].header._element.xml
    assert "PAGE" in xml


# -- the annex follows the petitions ------------------------------------------------------------------


def test_petition_update_reaches_the_annex(report_ws, built):
    from readiness.department.consolidate import consolidate
    from readiness.department.petitions import list_petitions, update_petition
    from readiness.department.report_content import build_report

    target = built["petitions"][5]
    update_petition(report_ws, target.id, status="forwarded", forwarded_to="Sở Nội vụ")
    try:
        report = build_report(consolidate(report_ws, PERIOD, today=TODAY), list_petitions(report_ws, period=PERIOD))
        row = next(r for r in report.annex if r.petition_id == target.id)
        assert row.resolution == "Kính chuyển Sở Nội vụ"
        assert row.recommendation.startswith("Đề nghị Sở Nội vụ")
        numbers = [r.number for r in report.annex if r.first]
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(r.span >= 1 for r in report.annex if r.first)
    finally:
        update_petition(report_ws, target.id, status="new", force=True)


def test_empty_period_still_writes_every_file(dept, tmp_path):
    from readiness.cli import main

    db = str(dept.store.engine.url)
    code = main(["--db", db, "report", "--period", "2024-01", "--xlsx", str(tmp_path / "a.xlsx"),
                 "--pdf", str(tmp_path / "a.pdf"), "--docx", str(tmp_path / "a.docx")])
    assert code == 0
    for name in ("a.xlsx", "a.pdf", "a.docx"):
        assert (tmp_path / name).stat().st_size > 1000


def test_report_cli(report_ws, tmp_path, capsys):
    from readiness.cli import main

    db = str(report_ws.store.engine.url)
    assert main(["--db", db, "report", "--period", PERIOD, "--pdf", str(tmp_path / "r.pdf"), "--json",
                 "--as-of", TODAY.isoformat(), "--date", "28/11/2025", "--signer", "Phan Văn Hiếu"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["received"] == 14 and out["files"][0]["format"] == "pdf"
    assert main(["--db", db, "report", "--period", PERIOD]) == 1
    assert "E-REPORT-OUTPUT" in capsys.readouterr().err
    assert main(["--db", db, "report", "--period", PERIOD, "--pdf", str(tmp_path / "missing" / "r.pdf")]) == 1
    assert main(["--db", db, "dashboard", "--period", PERIOD, "--json", "--sort", "score", "--desc"]) == 0
    data = json.loads(capsys.readouterr().out)
    scores = [row["score"] for row in data["communes"]]
    assert scores == sorted(scores, reverse=True) and data["levels"]
    assert main(["--db", db, "dashboard", "--period", PERIOD, "--commune", data["communes"][0]["code"]]) == 0
    assert "Lịch sử" in capsys.readouterr().out


def test_pdf_long_annex_pages_in_linear_time(built, tmp_path):
    """Hundreds of petitions: the header on every annex page, a commune named again where its rows
    continue on a new page, a cell longer than a page cut with "…", in a few seconds."""
    import dataclasses
    import time

    from pypdf import PdfReader

    from readiness.department.report_content import AnnexRow
    from readiness.department.report_pdf import write_report_pdf

    rows = []
    for number in range(1, 301):
        for index in range(3):
            rows.append(AnnexRow(number=number, commune=f"Xã Thử Nghiệm Số {number}",
                                 content=f"Khó khăn {number}.{index}: thiết bị công nghệ thông tin chưa đồng bộ.\nĐề nghị hỗ trợ.",
                                 resolution="Sở KHCN đang xem xét, xử lý.", recommendation="", first=index == 0,
                                 span=3 if index == 0 else 0, petition_id=number * 10 + index, status="new"))
    rows[1] = dataclasses.replace(rows[1], content="Rất dài. " * 2000)
    report = dataclasses.replace(built["report"], annex=rows)
    started = time.perf_counter()
    path = write_report_pdf(report, tmp_path / "long.pdf")
    assert time.perf_counter() - started < 30
    reader = PdfReader(str(path))
    annex_pages = [flat(page.extract_text()) for page in reader.pages if page.mediabox.width > page.mediabox.height]
    assert len(annex_pages) > 20
    assert all("Tình hình giải quyết" in text for text in annex_pages)  # the header repeated
    assert "…" in annex_pages[0] or "…" in annex_pages[1]
    everything = " ".join(annex_pages)
    assert all(f"Xã Thử Nghiệm Số {n} " in everything + " " for n in (1, 150, 300))
    # Wherever a page starts inside a commune's rows, its STT and name are there again.
    from readiness.department.report_content import ANNEX_HEADERS

    for text in annex_pages[1:]:
        body = text.split(ANNEX_HEADERS[-1], 1)[1].strip()
        assert body.split()[0].isdigit(), body[:60]


def test_status_reports_and_petitions_on_sqlite_and_postgresql(dept_any, tmp_path):
    """The same operations on a shared PostgreSQL database (the department team's) as on SQLite."""
    from demo_db import populate
    from pypdf import PdfReader

    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.petitions import list_petitions, update_petition
    from readiness.department.report_content import ReportOptions, build_report
    from readiness.department.report_docx import write_report_docx
    from readiness.department.report_pdf import write_report_pdf
    from readiness.department.report_xlsx import write_report_xlsx
    from readiness.department.status import period_status

    ws = dept_any
    communes = ws.store.communes()[:4]
    populate(ws, communes[:3], PERIOD, today=TODAY, seed=5, profiles=["behind", "ready"])
    populate(ws, communes[3:], PERIOD, today=TODAY, seed=6, finalize=False)
    status = period_status(ws, PERIOD, detail=True, today=TODAY)
    assert status.by_state["submitted"] == 3 and status.by_state["draft"] == 1
    petitions = list_petitions(ws, period=PERIOD)
    update_petition(ws, petitions[0].id, status="forwarded", forwarded_to="Sở Tài chính")
    data = consolidate(ws, PERIOD, today=TODAY)
    petitions = list_petitions(ws, period=PERIOD)
    report = build_report(data, petitions, ReportOptions(date=dt.date(2025, 11, 28)))
    write_report_xlsx(data, petitions, tmp_path / "r.xlsx", inventories(ws, data), as_of=TODAY)
    write_report_pdf(report, tmp_path / "r.pdf")
    write_report_docx(report, tmp_path / "r.docx")
    text = flat(" ".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages))
    assert "Kính chuyển Sở Tài chính" in text and data.received == 3


def test_xlsx__every_table_sheet__prints_landscape_fitted_header_repeated_and_whole(built):
    """Issue 17 §5: the wide sheets print on A4 landscape, fitted to the page width, the header row on
    every page and tall enough for its longest title (no title cut on paper)."""
    from openpyxl import load_workbook

    from readiness.department.report_xlsx import HEADER_LINE_POINTS, header_lines

    book = load_workbook(built["paths"]["xlsx"])
    tables = [ws for ws in book.worksheets if ws.title != "Tổng hợp"]
    assert len(tables) >= 10
    for ws in tables:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1", ws.title
        height = ws.row_dimensions[1].height
        for cell in ws[1]:
            if cell.value:
                width = ws.column_dimensions[cell.column_letter].width
                assert height >= header_lines(cell.value, width) * HEADER_LINE_POINTS, (ws.title, cell.value, height)
    summary = book["Tổng hợp"]
    assert summary.page_setup.fitToHeight == 1 and summary.page_setup.fitToWidth == 1  # one page


def test_report_cli__xlsx__petitions_answered_in_the_departments_own_short_name(report_ws, tmp_path, monkeypatch):
    """The «Kiến nghị» sheet's «Tình hình giải quyết» names the department as the document settings do (as the
    Word and PDF reports do), not a built-in «Sở KHCN»."""
    import openpyxl

    from readiness.cli import main
    from readiness.document_settings import load_settings, save_settings

    before = load_settings(report_ws.store).short_name
    save_settings(report_ws.store, {"short_name": "Sở KH&CN Quảng Ngãi"})
    try:
        db = str(report_ws.store.engine.url)
        target = tmp_path / "r.xlsx"
        assert main(["--db", db, "report", "--period", PERIOD, "--xlsx", str(target), "--no-inventory",
                     "--as-of", TODAY.isoformat()]) == 0
        sheet = openpyxl.load_workbook(target, read_only=True)["Kiến nghị"]
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("Tình hình giải quyết")
        texts = [row[column] for row in rows[1:] if row[column]]
        answered = [text for text in texts if REF in text]
        assert answered and all(text.startswith("Sở KH&CN Quảng Ngãi ") for text in answered)
        assert not any("Sở KHCN" in text for text in texts)
    finally:
        save_settings(report_ws.store, {"short_name": before})
