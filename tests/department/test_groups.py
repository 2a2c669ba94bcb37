"""Named groups of communes, the one scope (--group, --communes) and seed 002's follow-up report, read back."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from report_fixtures import PERIOD, REF, TODAY, flat, report_ws  # noqa: F401 - fixtures

REPORT_DATE = dt.date(2025, 11, 28)
SEED_002_COLUMNS = ("STT", "Địa phương phản ánh, đề xuất", "Khó khăn, vướng mắc và đề xuất, kiến nghị của địa phương",
                    "Tình hình giải quyết", "Đề xuất, kiến nghị của thành viên UBND tỉnh")


def _error(call):
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as caught:
        call()
    return caught.value


@pytest.fixture(scope="module")
def group_codes(report_ws):
    """Six communes that sent their assessment (with petitions among them) and one that sent nothing."""
    from readiness.department.status import StatusFilters, period_status

    status = period_status(report_ws, PERIOD, StatusFilters(), today=TODAY)
    received = [row.code for row in status.rows if row.received]
    missing = [row.code for row in status.rows if row.state == "missing"]
    return received[:6] + missing[:1]


# -- resolving communes --------------------------------------------------------------------------------


def test_resolve__namesakes__told_apart_by_kind_or_province_else_refused_with_both(report_ws):
    from readiness.department.scope import resolve_communes

    communes = report_ws.store.all_communes()
    error = _error(lambda: resolve_communes(communes, ["Ba Đình"]))
    assert error.code == "E-COMMUNE-AMBIGUOUS"
    assert "Phường Ba Đình (Hà Nội), mã 00004" in error.message and "Xã Ba Đình (Thanh Hóa), mã 16171" in error.message
    assert resolve_communes(communes, ["Phường Ba Đình"]) == ("00004",)
    assert resolve_communes(communes, ["Ba Đình (Thanh Hóa)"]) == ("16171",)
    assert resolve_communes(communes, ["Xã Ba Đình (thanh hoa)"]) == ("16171",)
    # Typed with diacritics they must match: Ba Tơ is not Ba Tô.
    assert resolve_communes(communes, ["Ba Tơ"], province="51") == ("21484",)
    assert resolve_communes(communes, ["Ba Tô"], province="51") == ("21523",)
    # Codes, repeats, commas and semicolons.
    assert resolve_communes(communes, ["21484", "Xã Ba Tơ", "00004"]) == ("21484", "00004")
    assert _error(lambda: resolve_communes(communes, ["Xã Không Có"])).code == "E-COMMUNE"
    assert _error(lambda: resolve_communes(communes, ["99999"])).code == "E-COMMUNE"


# -- groups ----------------------------------------------------------------------------------------------


def test_group__add_edit_rename_remove__saved_in_the_database(report_ws, group_codes):
    from readiness.department.groups import add_group, get_group, list_groups, remove_group, update_group

    group = add_group(report_ws, "Nhóm thử — 2 xã", "21484; Phường Ba Đình", person="Lê Văn A", province="51")
    assert group.communes == ("21484", "00004") and group.role == "" and group.person == "Lê Văn A"
    # One group per name, whatever the case or tone-mark placement.
    assert _error(lambda: add_group(report_ws, "NHÓM THỬ — 2 XÃ", "21484")).code == "E-GROUP-EXISTS"
    assert _error(lambda: add_group(report_ws, "Nhóm trống", "")).code == "E-GROUP-EMPTY"
    assert _error(lambda: add_group(report_ws, "  ", "21484")).code == "E-GROUP-NAME"
    update_group(report_ws, "nhóm thử — 2 xã", add="Ba Tô", drop="00004", role="Phó Chủ tịch UBND tỉnh")
    assert get_group(report_ws, "Nhóm thử — 2 xã").communes == ("21484", "21523")
    renamed = update_group(report_ws, "Nhóm thử — 2 xã", new_name="Nhóm thử mới")
    assert renamed.name == "Nhóm thử mới" and renamed.role == "Phó Chủ tịch UBND tỉnh" and renamed.person == "Lê Văn A"
    assert _error(lambda: get_group(report_ws, "Nhóm thử — 2 xã")).code == "E-GROUP-UNKNOWN"
    assert _error(lambda: update_group(report_ws, "Nhóm thử mới", drop="21484, 21523")).code == "E-GROUP-EMPTY"
    assert get_group(report_ws, "Nhóm thử mới").communes == ("21484", "21523")  # the refused change left it whole
    remove_group(report_ws, "Nhóm thử mới")
    assert "Nhóm thử mới" not in [g.name for g in list_groups(report_ws)]


def test_scope__group_or_communes__every_report_sees_only_those(report_ws, group_codes):
    from readiness.department.consolidate import consolidate
    from readiness.department.groups import add_group
    from readiness.department.scope import apply_scope
    from readiness.department.status import StatusFilters, period_status

    add_group(report_ws, "Đ/c Nguyễn Tấn Liêm — 7 xã", group_codes, person="Nguyễn Tấn Liêm", role="Thành viên UBND tỉnh",
              note="Quyết định số 1313/QĐ-UBND ngày 23/10/2025")
    filters = apply_scope(report_ws, StatusFilters(province="51"), group="đ/c nguyễn tấn liêm — 7 xã")
    assert filters.group == "Đ/c Nguyễn Tấn Liêm — 7 xã" and set(filters.communes) == set(group_codes)
    status = period_status(report_ws, PERIOD, filters, today=TODAY)
    assert status.expected == 7 and {row.code for row in status.rows} == set(group_codes)
    assert status.received == 6 and status.by_state.get("missing") == 1
    data = consolidate(report_ws, PERIOD, filters, today=TODAY)
    assert data.received == 6 and {row.code for row in data.rows} <= set(group_codes)
    # A list spanning provinces lifts the home province unless the province was given on purpose.
    wide = apply_scope(report_ws, StatusFilters(province="51"), communes="00004, " + group_codes[0])
    assert wide.province is None
    assert {row.code for row in period_status(report_ws, PERIOD, wide, today=TODAY).rows} == {"00004", group_codes[0]}
    kept = apply_scope(report_ws, StatusFilters(province="51"), communes="00004, " + group_codes[0], province_given=True)
    assert {row.code for row in period_status(report_ws, PERIOD, kept, today=TODAY).rows} == {group_codes[0]}


@pytest.fixture(scope="module")
def group_report(report_ws, group_codes, tmp_path_factory):
    from readiness.department.consolidate import consolidate
    from readiness.department.group_report import build_group_report
    from readiness.department.groups import add_group, get_group
    from readiness.department.petitions import list_petitions
    from readiness.department.report_content import ReportOptions
    from readiness.department.report_docx import write_report_docx
    from readiness.department.report_pdf import write_report_pdf
    from readiness.department.scope import apply_scope
    from readiness.department.status import StatusFilters
    from readiness.store.db import StoreError

    try:
        add_group(report_ws, "Nhóm báo cáo", group_codes, person="Nguyễn Tấn Liêm", role="Thành viên UBND tỉnh",
                  note="Quyết định số 1313/QĐ-UBND ngày 23/10/2025")
    except StoreError:
        pass
    filters = apply_scope(report_ws, StatusFilters(), group="Nhóm báo cáo")
    data = consolidate(report_ws, PERIOD, filters, today=TODAY)
    petitions = [p for p in list_petitions(report_ws, period=PERIOD) if p.commune_code in set(group_codes)]
    report = build_group_report(data, petitions, get_group(report_ws, "Nhóm báo cáo"),
                                ReportOptions(date=REPORT_DATE, signer_name="Phan Văn Hiếu"))
    folder = tmp_path_factory.mktemp("group")
    docx, pdf = folder / "bao-cao-nhom.docx", folder / "bao-cao-nhom.pdf"
    write_report_docx(report, docx)
    write_report_pdf(report, pdf)
    return {"data": data, "petitions": petitions, "report": report, "docx": docx, "pdf": pdf}


def test_group_report__seed_002_title_sections_and_numbers(report_ws, group_codes, group_report):
    from docx import Document

    data, petitions = group_report["data"], group_report["petitions"]
    assert petitions, "the fixture's communes have petitions"
    kinds = {row.kind for row in data.status.rows}
    kind_words = ", ".join(k.lower() for k in ("Xã", "Phường", "Đặc khu") if k in kinds)
    document = Document(str(group_report["docx"]))
    text = flat("\n".join(p.text for p in document.paragraphs))
    assert "BÁO CÁO" in text
    assert (f"Tình hình phụ trách, theo dõi địa bàn 07 {kind_words} trên địa bàn tỉnh của đồng chí Nguyễn Tấn Liêm, "
            "Thành viên UBND tỉnh tính đến tháng 11 năm 2025") in text
    assert "Thực hiện ý kiến chỉ đạo của Chủ tịch UBND tỉnh tại Quyết định số 1313/QĐ-UBND ngày 23/10/2025" in text
    for heading in (f"1. Công tác triển khai theo dõi, phụ trách các {kind_words}",
                    "1.1. Tóm tắt những công việc chính đã thực hiện", "1.2. Kết quả đạt được",
                    "2. Khó khăn, vướng mắc và đề xuất, kiến nghị của chính quyền cấp xã hiện nay",
                    "2.1. Khó khăn, vướng mắc chung", "2.2. Các khó khăn, vướng mắc cụ thể (chi tiết tại Phụ lục kèm theo)",
                    "3. Tồn tại bất cập trong quá trình triển khai Quyết định số 1313/QĐ-UBND ngày 23/10/2025",
                    "4. Đề xuất, kiến nghị của Thành viên UBND tỉnh"):
        assert heading in text, heading
    assert "6/7 đơn vị đã gửi (85,7%)" in text
    missing = next(row for row in data.status.rows if row.state == "missing")
    assert f"01 đơn vị chưa gửi kết quả tự đánh giá kỳ 11/2025: {missing.name}" in text
    assert f"Đề nghị UBND {missing.name} hoàn thành việc tự đánh giá" in text
    assert f"Tiếp nhận {len(petitions)} nội dung khó khăn, vướng mắc" in text
    if any(p.response_ref == REF for p in petitions):
        assert REF in text
    assert f"Trên đây là báo cáo định kỳ tại 07 {kind_words} được phân công phụ trách theo dõi tháng 11/2025./." in text
    assert not re.search(r"(?<![\d,./])0 (đơn vị|nội dung|xã)", text), "a clause with a zero count"
    # Only the group's communes are named.
    inside = {c.name for c in report_ws.store.all_communes() if c.code in set(group_codes)}
    outside = {row.name for row in report_ws.store.communes() if row.code not in set(group_codes)} - inside
    named = [name for name in outside if re.search(re.escape(name) + r"(?![\wÀ-ỹ])", text)]
    assert not named, named
    signature = flat("\n".join(cell.text for table in document.tables[:-1] for row in table.rows for cell in row.cells))
    assert f"Các {kind_words} được phân công phụ trách;" in signature
    assert "UBND các xã, phường, đặc khu;" not in signature  # the group's communes, not every commune


def test_group_report__annex__exactly_seed_002s_five_columns_and_the_groups_petitions(group_report):
    from docx import Document

    document = Document(str(group_report["docx"]))
    annex = document.tables[-1]
    assert tuple(cell.text for cell in annex.rows[0].cells) == SEED_002_COLUMNS
    petitions = group_report["petitions"]
    assert len(annex.rows) == 1 + len(petitions)
    contents = [flat(row.cells[2].text) for row in annex.rows[1:]]
    assert contents == [flat(p.content) for p in petitions]
    names = {flat(row.cells[1].text) for row in annex.rows[1:]}
    assert names == {p.commune_name for p in petitions}
    text = flat("\n".join(p.text for p in document.paragraphs))
    assert "PHỤ LỤC" in text and "(Kèm theo Báo cáo số /BC-SKHCN ngày 28/11/2025 của Sở Khoa học và Công nghệ)" in text


def test_group_report__pdf__same_words(group_report):
    from pypdf import PdfReader

    text = flat("\n".join(page.extract_text() for page in PdfReader(str(group_report["pdf"])).pages))
    assert "Tình hình phụ trách, theo dõi địa bàn 07" in text and "Nguyễn Tấn Liêm" in text
    assert "Đề xuất, kiến nghị của thành viên UBND tỉnh" in text and "Tình hình giải quyết" in text
    assert "Phan Văn Hiếu" in text and "PHÓ GIÁM ĐỐC" in text
    assert "Biểu đồ" not in text  # the follow-up report has no charts


def test_group_cli__add_list_show_rename_remove_and_report(report_ws, group_codes, tmp_path, capsys):
    from readiness.cli import main

    db = str(report_ws.store.engine.url)
    assert main(["--db", db, "group", "add", "Nhóm CLI", "--communes", ",".join(group_codes[:3]),
                 "--person", "Trần Thị B", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in added["communes"]] == group_codes[:3] and added["role"] == "Thành viên UBND tỉnh"
    assert main(["--db", db, "group", "add", "nhóm cli", "--communes", group_codes[0]]) == 1
    assert "E-GROUP-EXISTS" in capsys.readouterr().err
    assert main(["--db", db, "group", "list"]) == 0
    assert "«Nhóm CLI» — đồng chí Trần Thị B: 3 đơn vị" in capsys.readouterr().out
    assert main(["--db", db, "group", "rename", "Nhóm CLI", "Nhóm CLI 2"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "status", "--period", PERIOD, "--group", "Nhóm CLI 2", "--json", "--as-of",
                 TODAY.isoformat()]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["expected"] == 3 and {c["code"] for c in status["communes"]} == set(group_codes[:3])
    assert main(["--db", db, "dashboard", "--period", PERIOD, "--communes", group_codes[0], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["expected"] == 1
    docx = tmp_path / "nhom.docx"
    assert main(["--db", db, "report", "--period", PERIOD, "--group", "Nhóm CLI 2", "--docx", str(docx),
                 "--date", "28/11/2025", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["expected"] == 3
    from docx import Document

    text = flat("\n".join(p.text for p in Document(str(docx)).paragraphs))
    assert "Tình hình phụ trách, theo dõi địa bàn 03" in text and "của đồng chí Trần Thị B, Thành viên UBND tỉnh" in text
    assert main(["--db", db, "group", "remove", "Nhóm CLI 2"]) == 0
    assert main(["--db", db, "status", "--period", PERIOD, "--group", "Nhóm CLI 2"]) == 1
    assert "E-GROUP-UNKNOWN" in capsys.readouterr().err


# -- any province: search, namesakes, the per-province roll-up -------------------------------------------


@pytest.fixture(scope="module")
def national_ws(tmp_path_factory):
    """Communes of three provinces, Phường Ba Đình (Hà Nội) and Xã Ba Đình (Thanh Hóa) among them."""
    from demo_db import populate
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("national")
    workspace = Workspace.open(f"sqlite:///{folder / 'national.sqlite3'}")
    communes = workspace.store.all_communes()
    chosen = [c for c in communes if c.code in ("00004", "16171")]
    chosen += [c for c in communes if c.province_code == "01" and c.code != "00004"][:3]
    chosen += [c for c in communes if c.province_code == "51"][:2]
    populate(workspace, chosen, PERIOD, today=TODAY, seed=7, profiles=["ready", "average", "behind"])
    yield workspace
    workspace.close()


def test_search__ha_noi_without_diacritics__finds_ha_nois_communes(national_ws):
    found = {c.code: c for c in national_ws.store.communes("ha noi", province=None)}
    hanoi = {c.code for c in national_ws.store.all_communes() if c.province_code == "01"}
    assert hanoi <= set(found)  # every commune of Hà Nội, found by its province's name
    assert "16171" not in found  # Xã Ba Đình of Thanh Hóa
    assert len(found) - len(hanoi) < len(hanoi) // 4  # a few others whose name and province hold both words
    assert "00004" in {c.code for c in national_ws.store.communes("ba dinh", province=None)}


def test_rollup__scope_spanning_provinces__one_row_per_province_totals_agree(national_ws, tmp_path, capsys):
    from openpyxl import load_workbook

    from readiness.cli import main
    from readiness.department.consolidate import consolidate
    from readiness.department.rollup import province_rollup, spans_provinces
    from readiness.department.status import StatusFilters

    data = consolidate(national_ws, PERIOD, StatusFilters(province="all"), today=TODAY)
    assert spans_provinces(data)
    rows = province_rollup(data)
    assert len(rows) == 34
    by_code = {r.code: r for r in rows}
    assert by_code["01"].received == 4 and by_code["38"].received == 1 and by_code["51"].received == 2
    assert sum(r.expected for r in rows) == 3321 and sum(r.received for r in rows) == data.received == 7
    assert sum(sum(r.levels.values()) for r in rows) == 7
    hanoi = [row.score for row in data.rows if row.province_code == "01"]
    assert by_code["01"].mean_score == pytest.approx(sum(hanoi) / len(hanoi))
    # One province only: no roll-up.
    assert not spans_provinces(consolidate(national_ws, PERIOD, StatusFilters(province="01"), today=TODAY))

    db = str(national_ws.store.engine.url)
    assert main(["--db", db, "dashboard", "--period", PERIOD, "--province", "all", "--json", "--as-of",
                 TODAY.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["provinces"]) == 34 and {p["code"]: p["received"] for p in out["provinces"]}["01"] == 4
    assert main(["--db", db, "dashboard", "--period", PERIOD, "--province", "all", "--as-of", TODAY.isoformat()]) == 0
    text = capsys.readouterr().out
    assert "Theo tỉnh, thành phố (34)" in text
    assert "Phường Ba Đình (Hà Nội)" in text and "Xã Ba Đình (Thanh Hóa)" in text
    path = tmp_path / "ca-nuoc.xlsx"
    assert main(["--db", db, "report", "--period", PERIOD, "--province", "all", "--xlsx", str(path),
                 "--no-inventory"]) == 0
    book = load_workbook(path, read_only=True)
    sheet = [list(r) for r in book["Theo tỉnh"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(sheet) if r[0] == "STT")
    assert sheet[header][:7] == ["STT", "Mã tỉnh", "Tỉnh, thành phố", "Phải nộp", "Đã nhận", "Tỷ lệ đã nhận",
                                 "Điểm bình quân"]
    body = [r for r in sheet[header + 1:] if r[0] is not None]
    assert len(body) == 34 and {r[2]: r[4] for r in body}["Thành phố Hà Nội"] == 4
    communes = [list(r) for r in book["Kết quả theo xã"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(communes) if r[0] == "STT")
    assert communes[header][4] == "Tỉnh, thành phố"
    places = {r[1]: r[4] for r in communes[header + 1:] if r[1]}
    assert places["00004"] == "Thành phố Hà Nội" and places["16171"] == "Tỉnh Thanh Hóa"
