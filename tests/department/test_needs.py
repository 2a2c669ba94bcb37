"""Investment needs (issue 15 §1): totals against a hand count, per commune, the prices, the files read back.

Three communes are submitted with answers written out below; a fourth is in scope but sends nothing.
The expected figures are counted by hand from these answers (see the comments), never computed with
the code under test.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from report_fixtures import flat, report_ws  # noqa: F401 - fixture

TODAY = dt.date(2026, 11, 24)  # samples.TODAY: every date rule below is counted from it
PERIOD = "2026-11"
A, B, C, D = "23500", "21034", "23377", "21025"  # Xã Đăk Hà, Xã An Phú, …, Phường Cẩm Thành (sends nothing)
ROOT = Path(__file__).resolve().parents[2]


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def _pc(role: str, cores, ram, storage_type, storage_gb, os, condition="good") -> dict:
    pc = {"role": role, "cpu": "Intel", "ram_gb": ram, "storage_type": storage_type, "storage_gb": storage_gb,
          "os": os, "antivirus": True, "condition": condition}
    if cores is not None:
        pc["cores"] = cores
    return pc


# Commune A: eight PCs (the minimum is 4 cores, 8 GB RAM, an SSD of 240 GB, Windows 10 or 11).
A_PCS = [
    _pc("1 đạt", 8, 16, "ssd", 256, "win11"),                      # meets
    _pc("2 cũ, hỏng", 2, 4, "hdd", 500, "win7", "poor"),            # CPU, RAM, disk, OS; broken; Windows 7
    _pc("3 thiếu RAM", 4, 4, "ssd", 512, "win10"),                  # RAM; Windows 10 (upgrade)
    _pc("4 SSD nhỏ", 4, 8, "ssd", 128, "win11"),                    # disk (SSD below 240 GB)
    _pc("5 ổ HDD", 6, 8, "hdd", 1000, "win10", "fair"),             # disk (HDD); Windows 10 (upgrade)
    _pc("6 đạt nhưng hỏng", 4, 8, "ssd", 256, "win11", "poor"),     # meets, but broken
    _pc("7 chưa rõ CPU", None, 8, "ssd", 256, "win11"),             # not enough information
    _pc("8 Linux", 8, 16, "ssd", 256, "linux"),                     # OS
]
A_CHANGES = {
    "officers": 12, "pcs": A_PCS, "pc_shortage": 3, "pc_budget": False, "win10_plan": True,
    "counters": 5, "counter_pcs": 5, "counter_printers": 3, "counter_scanners": 5,    # 2 counters without a printer
    "org_cert_ubnd": "old_name", "org_cert_ubnd_expiry": _day(-10),                   # old name and expired
    "org_cert_center": "new_name", "org_cert_center_expiry": _day(30),                # expiring within 90 days
    "certificates": [
        {"holder": "Người A", "role": "leader", "kind": "token", "expiry": _day(-5)},     # expired
        {"holder": "Người B", "role": "clerk", "kind": "token", "expiry": _day(20)},      # expiring
        {"holder": "Người C", "role": "reception", "kind": "token", "expiry": _day(400)},
        {"holder": "Người D", "role": "leader", "kind": "sim_pki", "expiry": _day(700)},
    ],
    "cert_renewal_planned": True,
    "vc_endpoint_type": "software",  # software only
    "backup_line": "none",  # no backup line
    "ups_minutes": 5,  # below 15 minutes
}
# Commune B: the ready commune of tests/data with no video endpoint, no TSLCD, one counter without a
# scanner, no certificate of its centre; its certificate of 12/02/2027 expires within 90 days.
B_CHANGES = {"vc_endpoint_type": "none", "tslcd_connected": False, "counter_scanners": 4, "org_cert_center": "none"}

PRICES = """
format: 1
version: 9
currency: VND
date: "2026-11-01"
title: {vi: "Đơn giá thử"}
prices:
  pc: {label: {vi: "Máy tính"}, unit: máy, price: 10000000, source: quotation, basis: "Báo giá thử", date: "2026-11-01"}
  ram: {label: {vi: "RAM"}, unit: máy, price: 500000, source: suggested, basis: "Thử", date: "2026-11-01"}
  ssd: {label: {vi: "SSD"}, unit: máy, price: 1000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  windows: {label: {vi: "Windows"}, unit: máy, price: 3000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  win11_upgrade: {label: {vi: "Lên Windows 11"}, unit: máy, price: 200000, source: suggested, basis: "Thử", date: "2026-11-01"}
  printer: {label: {vi: "Máy in"}, unit: máy, price: 4000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  scanner: {label: {vi: "Máy quét"}, unit: máy, price: 8000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  certificate: {label: {vi: "Chứng thư"}, unit: chứng thư, price: 0, source: suggested, basis: "Miễn phí", date: "2026-11-01"}
  vc_hardware: {label: {vi: "Thiết bị HNTH"}, unit: bộ, price: 100000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  backup_line: {label: {vi: "Đường truyền dự phòng"}, unit: xã, price: 2000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  tslcd: {label: {vi: "Kết nối TSLCD"}, unit: xã, price: 5000000, source: suggested, basis: "Thử", date: "2026-11-01"}
  ups: {label: {vi: "UPS"}, unit: bộ, price: 6000000, source: suggested, basis: "Thử", date: "2026-11-01"}
"""

# The hand count of the three submissions above.
EXPECTED_COUNTS = {
    "pcs_below": 6,  # A's PCs 2, 3, 4, 5, 7, 8
    "pcs_cpu": 1, "pcs_ram": 2, "pcs_storage": 3, "pcs_os": 2, "pcs_unknown": 1,  # PC 2; 2, 3; 2, 4, 5; 2, 8; 7
    "pcs_poor": 2,  # PCs 2 and 6
    "win_old": 3, "win_upgrade": 2, "win_replace": 1,  # PCs 2 (Windows 7, replaced), 3 and 5 (Windows 10)
    "officers_without_pc": 3, "counters_printer": 2, "counters_scanner": 1,
    "org_expired": 1, "org_expiring": 1, "org_old_name": 1, "org_none": 1,  # A's UBND (twice), A's centre; B's centre
    "personal_expired": 1, "personal_expiring": 2,  # A's Người A; A's Người B and B's 12/02/2027
    "vc_software": 1, "vc_none": 1, "no_backup_line": 1, "no_tslcd": 1, "ups_below": 1,
}
EXPECTED_QUANTITIES = {
    "pc": 5,  # PCs 2 (CPU) and 6 (broken), and A's 3 officers without a PC
    "ram": 1, "ssd": 2, "windows": 1, "win11_upgrade": 2,  # PC 3; PCs 4, 5; PC 8; PCs 3, 5 (PC 2 is replaced)
    "printer": 2, "scanner": 1,
    "certificate": 6,  # A: UBND, centre, 2 personal; B: centre, 1 personal
    "vc_hardware": 2, "backup_line": 1, "tslcd": 1, "ups": 1,
}
EXPECTED_COST = {A: 171_900_000, B: 113_000_000}  # A: 5 PCs 50M … (see EXPECTED_QUANTITIES × PRICES); B: 8M + 100M + 5M
EXPECTED_TOTAL = 284_900_000


def _answers(changes: dict) -> dict:
    answers = json.loads((ROOT / "tests" / "data" / "ready_commune.json").read_text(encoding="utf-8"))["answers"]
    answers = copy.deepcopy(answers)
    answers.update(copy.deepcopy(changes))
    return answers


def _submit(workspace, code: str, changes: dict) -> None:
    from readiness.answers import Answers, coerce_all
    from readiness.scoring import score

    checklist = workspace.latest_checklist()
    values, errors = coerce_all(checklist, _answers(changes))
    assert not errors, errors
    info = workspace.store.open_assessment(code, PERIOD, checklist)
    workspace.store.save_answers(info.id, checklist, values)
    workspace.store.finalize(info.id, checklist, score(checklist, Answers(values=dict(values)), today=TODAY))


@pytest.fixture
def submitted(dept, tmp_path):
    """A, B and C submitted (C: the ready commune with its certificate of 12/02/2027 renewed to 2028); D not."""
    ready = _answers({})
    certificates = [dict(c) for c in ready["certificates"]]
    for certificate in certificates:
        if certificate["expiry"] == "2027-02-12":
            certificate["expiry"] = "2028-02-12"
    _submit(dept, A, A_CHANGES)
    _submit(dept, B, B_CHANGES)
    _submit(dept, C, {"certificates": certificates})
    prices = tmp_path / "prices.yaml"
    prices.write_text(PRICES, encoding="utf-8")
    return dept, prices


def _needs(workspace, prices_path):
    from readiness.department.needs import needs_for_period
    from readiness.department.prices import load_price_file
    from readiness.department.status import StatusFilters

    return needs_for_period(workspace, PERIOD, StatusFilters(province="51", communes=(A, B, C, D)),
                            prices=load_price_file(prices_path), today=TODAY)


# -- the figures ------------------------------------------------------------------------------------------


def test_needs__fixed_submissions__totals_match_the_hand_count(submitted):
    report = _needs(*submitted)
    assert (report.expected, report.received) == (4, 3)
    assert report.not_received == [(D, "Phường Cẩm Thành")]
    counts = {total.line.id: total.count for total in report.lines}
    assert {k: v for k, v in counts.items() if v} == EXPECTED_COUNTS
    quantities = {cost.price_id: cost.quantity for cost in report.costs}
    assert quantities == EXPECTED_QUANTITIES
    assert report.total_cost == EXPECTED_TOTAL
    by_code = {c.code: c for c in report.communes}
    assert {code: by_code[code].cost for code in EXPECTED_COST} == EXPECTED_COST
    assert by_code[C].counts == {} and by_code[C].cost == 0  # nothing to buy


def test_needs__communes_concerned__named_with_their_counts(submitted):
    report = _needs(*submitted)
    assert report.line("pcs_below").communes == ((A, "Xã Đăk Hà", 6),)
    assert report.line("personal_expiring").communes == ((B, "Xã An Phú", 1), (A, "Xã Đăk Hà", 1))  # Vietnamese order
    assert [code for code, _, _ in report.line("org_none").communes] == [B]
    assert [code for code, _, _ in report.line("vc_none").communes] == [B]
    assert [code for code, _, _ in report.line("vc_software").communes] == [A]
    assert report.line("pcs_cpu").line.label == "CPU dưới 4 nhân"  # the checklist's threshold, not a number in code
    data = report.to_dict()
    assert data["total_cost"] == EXPECTED_TOTAL and data["total_cost_text"] == "284.900.000 đ"
    assert data["prices"]["version"] == 9


def test_needs__a_changed_threshold__changes_the_needs_like_the_score(submitted, tmp_path, monkeypatch):
    """One definition of the minimum: with 2 CPU cores enough (a checklist edited by the department), PC 2 is
    no longer short of CPU and is no longer replaced for it (it is broken: still replaced)."""
    from readiness.checklist.loader import ChecklistLibrary
    from readiness.paths import checklists_dir

    workspace, prices = submitted
    source = checklists_dir() / "one-stop-shop-it-readiness" / "v2.yaml"
    folder = tmp_path / "checklists" / "one-stop-shop-it-readiness"
    folder.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    start = text.index("  min_cpu_cores:\n    value: 4")
    (folder / "v2.yaml").write_text(text[:start] + text[start:].replace("value: 4", "value: 2", 1), encoding="utf-8")
    workspace.library = ChecklistLibrary(tmp_path / "checklists")
    report = _needs(workspace, prices)
    assert report.count("pcs_cpu") == 0 and report.line("pcs_cpu").line.label == "CPU dưới 2 nhân"
    assert report.count("pcs_below") == 6  # PC 2 is still short of RAM, disk and OS


# -- the per-row findings come from scoring ---------------------------------------------------------------


def test_pc_findings__per_pc__meets_why_and_what_to_do(submitted):
    from readiness.department.consolidate import consolidate
    from readiness.department.needs import describe_pc, pc_findings

    workspace, _prices = submitted
    data = consolidate(workspace, PERIOD, today=TODAY)
    row = next(r for r in data.rows if r.code == A)
    findings = pc_findings(row.result, workspace.latest_checklist())
    assert [f.meets for f in findings] == [True, False, False, False, False, True, False, False]
    assert findings[1].reasons == ("cpu", "ram", "storage", "os") and findings[1].actions == ("pc",)
    assert findings[2].actions == ("ram", "win11_upgrade") and findings[4].actions == ("ssd", "win11_upgrade")
    assert findings[6].reasons == ("unknown",) and findings[6].actions == ()
    thresholds = workspace.latest_checklist().threshold_values()
    assert describe_pc(findings[3], thresholds) == ("Chưa đạt", "Ổ cứng HDD hoặc SSD dưới 240 GB", "Thay ổ SSD")
    assert describe_pc(findings[5], thresholds) == ("Đạt", "Máy hỏng hoặc quá chậm", "Thay máy mới")


def test_pc_findings__needs_then_inventory__found_once_the_same_needs_and_rows_as_found_apart(submitted, monkeypatch):
    """The investment needs leave each commune's PC findings for the PCs' inventory, which takes them: found once per
    report, the same needs and inventory rows as with the findings found by each reader, and a second pass of the
    rows (nothing left to take) finds them again."""
    from readiness.department import findings as module
    from readiness.department import needs as needs_module
    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.needs import investment_needs
    from readiness.department.prices import load_price_file

    workspace, prices = submitted

    def report(shared: bool):
        data = consolidate(workspace, PERIOD, today=TODAY)
        if not shared:  # each reader finds them itself
            def alone(_shared, _assessment, result, checklist, take=False):
                return module.pc_findings(result, checklist)

            monkeypatch.setattr(module, "shared_pc_findings", alone)
            monkeypatch.setattr(needs_module, "shared_pc_findings", alone)
        calls = []
        found = module.pc_findings
        monkeypatch.setattr(module, "pc_findings", lambda *args: calls.append(args[0]) or found(*args))
        needs = investment_needs(workspace, data, load_price_file(prices))
        pcs = next(i for i in inventories(workspace, data) if i.item_id == "pcs")
        rows = [(row.code, number, values) for row, number, values in pcs.rows]
        monkeypatch.undo()
        return needs.to_dict()["communes"], rows, len(calls), len(data.rows), data.pc_findings

    needs, rows, calls, communes, left = report(shared=True)
    assert calls == communes and left == {}  # once per commune, all taken
    alone_needs, alone_rows, alone_calls, _, _ = report(shared=False)
    assert (needs, rows) == (alone_needs, alone_rows) and alone_calls == 2 * communes
    assert any(values.get("#meets") == "Chưa đạt" for _, _, values in rows)


def test_scoring__count_lets__rows_are_what_they_count():
    """ItemResult.rows: the rows a count(table, condition) let counts; their number is the let's value."""
    from readiness.answers import Answers, coerce_all
    from readiness.checklist.loader import default_library
    from readiness.scoring import score

    checklist = default_library().latest()
    values, errors = coerce_all(checklist, _answers(A_CHANGES))
    assert not errors
    result = score(checklist, Answers(values=dict(values)), today=TODAY)
    pcs = result.items["pcs"]
    assert pcs.rows["n_low_ram"] == (1, 2) and pcs.computed["n_low_ram"] == 2
    assert pcs.rows["n_ok"] == (0, 5)
    for item in result.items.values():
        for name, hits in item.rows.items():
            assert item.computed[name] == len(hits)


# -- the files --------------------------------------------------------------------------------------------


def test_needs_cli__json_workbook_and_documents__read_back(submitted, db_url, tmp_path, capsys):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from readiness.cli import main

    _workspace, prices = submitted
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", db_url, "needs", "--period", PERIOD, "--communes", f"{A},{B},{C},{D}", "--as-of", TODAY.isoformat(),
            "--prices", str(prices), "--xlsx", str(out / "nhu-cau.xlsx"), "--pdf", str(out / "nhu-cau.pdf"),
            "--docx", str(out / "nhu-cau.docx"), "--date", "2026-11-28", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["received"] == 3 and data["total_cost"] == EXPECTED_TOTAL
    assert {line["id"]: line["count"] for line in data["lines"] if line["count"]} == EXPECTED_COUNTS
    assert len(data["files"]) == 3

    book = load_workbook(out / "nhu-cau.xlsx")
    assert book.sheetnames[:4] == ["Nhu cầu đầu tư", "Kinh phí ước tính", "Nhu cầu theo xã", "Đơn giá"]
    lines = {row[2].strip(" -"): row[3] for row in book["Nhu cầu đầu tư"].iter_rows(min_row=2, values_only=True)}
    assert lines["Máy tính chưa đạt cấu hình tối thiểu"] == 6 and lines["Quầy chưa có máy in"] == 2
    # counts and styled cells are sized by their values (a cell object's own text is «<Cell …>», 28 wide)
    widths = book["Nhu cầu đầu tư"].column_dimensions
    assert widths["A"].width <= 8 and widths["D"].width <= 12 and widths["F"].width <= 12
    costs = list(book["Kinh phí ước tính"].iter_rows(min_row=2, values_only=True))
    assert costs[-1][1] == "Tổng cộng" and costs[-1][5] == EXPECTED_TOTAL
    sheet = book["Nhu cầu theo xã"]
    header = [c.value for c in sheet[1]]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[A][header.index("Máy tính chưa đạt cấu hình tối thiểu (máy)")] == 6
    assert rows[A][header.index("Kinh phí ước tính (đồng)")] == EXPECTED_COST[A]
    assert sheet.auto_filter.ref and sheet.freeze_panes == "D2"
    assert book["Chưa gửi, chưa tính"]["C2"].value == "Phường Cẩm Thành"

    text = flat(" ".join(page.extract_text() for page in PdfReader(str(out / "nhu-cau.pdf")).pages))
    for expected in ("BÁO CÁO", "Nhu cầu đầu tư trang thiết bị công nghệ thông tin", "/BC-SKHCN",
                     "ngày 28 tháng 11 năm 2026", "của 3/4 đơn vị hành chính cấp xã đã gửi (1 đơn vị chưa gửi, chưa tính)",
                     "Máy tính chưa đạt cấu hình tối thiểu: 6 máy tại 1 đơn vị, trong đó CPU dưới 4 nhân: 1 máy",
                     "Xã chưa có điểm cầu hội nghị truyền hình: 1 đơn vị (Xã An Phú)", "284.900.000", "Tổng cộng",
                     "Không tính phí", "KT. GIÁM ĐỐC", "Nơi nhận"):
        assert expected in text, expected
    assert " 0 máy" not in text and "0 đơn vị" not in text
    docx_text = flat("\n".join([p.text for p in Document(str(out / "nhu-cau.docx")).paragraphs]
                               + [c.text for t in Document(str(out / "nhu-cau.docx")).tables for r in t.rows for c in r.cells]))
    assert "Nhu cầu và kinh phí ước tính của từng đơn vị" in docx_text and "171.900.000" in docx_text


def test_needs_cli__a_named_group__its_communes_and_the_group_named(submitted, db_url, tmp_path, capsys):
    from readiness.cli import main

    _workspace, prices = submitted
    assert main(["--db", db_url, "group", "add", "Đ/c Thử — 2 xã", "--communes", f"{A},{D}"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "needs", "--period", PERIOD, "--group", "Đ/c Thử — 2 xã", "--as-of", TODAY.isoformat(),
                 "--prices", str(prices), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # A sent its assessment, D did not: the group's needs are A's alone, D said as not counted
    assert data["expected"] == 2 and data["received"] == 1
    assert {c["code"] for c in data["communes"]} == {A} and [c["code"] for c in data["not_received"]] == [D]
    assert "nhóm «Đ/c Thử — 2 xã», 2 đơn vị" in data["scope"]


def test_needs_cli__unknown_commune_and_bad_price_file__refused(submitted, db_url, tmp_path, capsys):
    from readiness.cli import main

    assert main(["--db", db_url, "needs", "--period", PERIOD, "--communes", "99999"]) == 1
    assert "99999" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(PRICES.replace("price: 500000", "price: -500000"), encoding="utf-8")
    assert main(["--db", db_url, "needs", "--period", PERIOD, "--prices", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "E-PRICE-VALUE" in err and "«ram»" in err


# -- prices -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, code, line", [
    (("price: 500000", "price: 5.5"), "E-PRICE-VALUE", 9),
    (("source: quotation", "source: rumour"), "E-PRICE-SOURCE", 8),
    (('basis: "Thử", date: "2026-11-01"}\n  ssd', 'basis: "Thử", date: "31/02/2026"}\n  ssd'), "E-PRICE-DATE", 9),
    (("  ups: {", "  ups_x: {"), "E-PRICE-MISSING", 8),  # at the first price
    (('basis: "Báo giá thử", ', ""), "E-PRICE-FIELD", 8),
    (("format: 1", "format: 2"), "E-PRICE-FORMAT", 2),
    (("prices:\n", "prices: [\n"), "E-PRICE-YAML", None),
])
def test_price_file__each_problem__coded_with_its_line(tmp_path, change, code, line):
    from readiness.department.prices import PricesInvalid, load_price_file

    path = tmp_path / "p.yaml"
    path.write_text(PRICES.replace(*change, 1), encoding="utf-8")
    with pytest.raises(PricesInvalid) as raised:
        load_price_file(path)
    problem = next(p for p in raised.value.problems if p.code == code)
    if line is not None:
        assert problem.line == line, raised.value.problems
    assert problem.file == str(path)


def test_shipped_prices__valid__every_price_suggested_with_basis_and_date():
    from readiness.department.prices import PRICE_IDS, load_price_file

    prices = load_price_file()
    assert set(PRICE_IDS) <= set(prices.prices)
    for price in prices.prices.values():
        assert price.suggested and price.basis and price.date == dt.date(2025, 12, 1), price.id
        assert "Quảng Ngãi" not in price.basis  # any province's department uses the same file


def test_prices__department_changes_a_price__used_then_reset(dept, capsys, db_url):
    from readiness.cli import main
    from readiness.department.prices import PricesInvalid, format_vnd, load_prices, parse_amount, set_price

    assert format_vnd(1234000) == "1.234.000 đ" and format_vnd(0) == "0 đ"
    assert parse_amount("15.000.000 đ") == parse_amount("15 000 000") == parse_amount(15000000) == 15_000_000
    for bad in ("15,5", "abc", "-3", "1.00.000"):
        with pytest.raises(ValueError):
            parse_amount(bad)
    with pytest.raises(PricesInvalid) as refused:
        set_price(dept.store, "pc", "14.500.000", basis="  ")
    assert refused.value.code == "E-PRICE-BASIS"
    assert not load_prices(dept.store).overridden  # nothing stored
    assert main(["--db", db_url, "prices", "set", "pc", "14.500.000", "--basis", "Báo giá số 12 ngày 02/12/2026",
                 "--date", "02/12/2026"]) == 0
    assert "14.500.000 đ" in capsys.readouterr().out
    price = load_prices(dept.store)["pc"]
    assert (price.amount, price.source, price.file_amount, price.date) == (14_500_000, "department", 15_000_000,
                                                                         dt.date(2026, 12, 2))
    assert main(["--db", db_url, "prices", "show", "--json"]) == 0
    shown = {p["id"]: p for p in json.loads(capsys.readouterr().out)["prices"]}
    assert shown["pc"]["price"] == 14_500_000 and shown["pc"]["source_label"] == "Sở điều chỉnh"
    assert main(["--db", db_url, "prices", "reset", "pc"]) == 0
    assert load_prices(dept.store)["pc"].amount == 15_000_000
    assert main(["--db", db_url, "prices", "reset", "pc"]) == 1  # nothing to reset
    assert main(["--db", db_url, "prices", "validate", str(ROOT / "resources" / "prices" / "v1.yaml")]) == 0


def test_prices__a_stored_price_unreadable__file_price_used_and_said(dept):
    from readiness.department.prices import load_prices

    dept.store.save_settings({"prices.pc": "{not json", "prices.gone": '{"price": 1}'})
    prices = load_prices(dept.store)
    assert prices["pc"].amount == 15_000_000
    assert {w.code for w in prices.warnings} == {"W-PRICE-STORED", "W-PRICE-UNKNOWN"}


# -- the provincial report and the consolidated workbook --------------------------------------------------


def test_report__needs_section_in_pdf_docx_and_workbook__and_advice_in_why_not_ready(submitted, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.needs import investment_needs
    from readiness.department.prices import load_price_file
    from readiness.department.report_content import ReportOptions, build_report
    from readiness.department.report_docx import write_report_docx
    from readiness.department.report_pdf import write_report_pdf
    from readiness.department.needs_xlsx import needs_sheets
    from readiness.department.report_xlsx import write_report_xlsx
    from readiness.department.status import StatusFilters

    workspace, prices = submitted
    data = consolidate(workspace, PERIOD, StatusFilters(communes=(A, B, C, D)), today=TODAY)
    needs = investment_needs(workspace, data, load_price_file(prices))
    report = build_report(data, [], ReportOptions(date=dt.date(2026, 11, 28)), needs)
    titles = [b.text for b in report.blocks_after_table if b.kind == "h1"]
    assert report.needs_title.startswith("4. Nhu cầu đầu tư") and titles[0].startswith("5. ") and titles[1].startswith("6. ")
    assert report.needs_table[-1][1] == "Tổng cộng" and report.needs_table[-1][4] == "284.900.000"
    write_report_pdf(report, tmp_path / "r.pdf")
    write_report_docx(report, tmp_path / "r.docx")
    write_report_xlsx(data, [], tmp_path / "r.xlsx", inventories(workspace, data), as_of=TODAY, more_sheets=needs_sheets(needs))
    text = flat(" ".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages))
    assert "4. Nhu cầu đầu tư trang thiết bị công nghệ thông tin (ước tính)" in text
    assert "Cán bộ, công chức chưa có máy tính riêng: 3 người tại 1 đơn vị" in text
    assert "ước tính 284.900.000 đ, chi tiết tại mục 4" in text
    docx = Document(str(tmp_path / "r.docx"))
    assert any(p.text.startswith("4. Nhu cầu đầu tư") for p in docx.paragraphs)
    book = load_workbook(tmp_path / "r.xlsx")
    assert {"Nhu cầu đầu tư", "Kinh phí ước tính", "Nhu cầu theo xã", "Đơn giá"} <= set(book.sheetnames)


def test_report__why_not_ready__each_communes_own_findings(report_ws):
    """The table of communes not ready says what each one found (the first sentence of its advice, with the
    criterion's number), not the criterion's label again for every commune."""
    from readiness.department.consolidate import consolidate
    from readiness.department.report_content import ReportOptions, build_report, first_sentence

    data = consolidate(report_ws, "2025-11", today=TODAY)
    report = build_report(data, [], ReportOptions(date=dt.date(2026, 11, 28)))
    assert report.not_ready, "the fixture has communes not ready"
    checklist = data.checklist
    rows = {row.name: row for row in data.not_ready()}
    for _number, name, _score, critical, main in report.not_ready:
        result = rows[name].result
        expected = [f"({checklist.number(g.item_id)}) {first_sentence(g.advice)}" for g in result.critical_problems]
        assert critical.split("\n") == (expected or ["—"])
        labels = [checklist.item(g.item_id).label.vi.rstrip("?") for g in result.problems]
        assert not any(label in critical + main for label in labels)
    assert first_sentence("Mới có 2/8 máy tính (25%) đạt. Nâng cấp RAM cho 1 máy.") == "Mới có 2/8 máy tính (25%) đạt."
    assert first_sentence("Có 1.234 máy; xem Công văn 3005/SKHCN. Tiếp") == "Có 1.234 máy; xem Công văn 3005/SKHCN."


def test_inventories__computed_columns_and_one_label_per_choice(submitted, tmp_path):
    from openpyxl import load_workbook

    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.report_xlsx import write_report_xlsx
    from readiness.department.status import StatusFilters

    workspace, _prices = submitted
    data = consolidate(workspace, PERIOD, StatusFilters(communes=(A, B, C, D)), today=TODAY)
    write_report_xlsx(data, [], tmp_path / "r.xlsx", inventories(workspace, data), as_of=TODAY)
    book = load_workbook(tmp_path / "r.xlsx")
    pcs = book["Máy tính"]
    header = [c.value for c in pcs[1]]
    meets, why, action = (header.index(name) for name in ("Đạt cấu hình tối thiểu", "Lý do chưa đạt",
                                                           "Đề xuất nâng cấp, thay thế"))
    rows_a = [r for r in pcs.iter_rows(min_row=2, values_only=True) if r[1] == A]
    assert [r[meets] for r in rows_a] == ["Đạt", "Chưa đạt", "Chưa đạt", "Chưa đạt", "Chưa đạt", "Đạt", "Chưa đạt",
                                          "Chưa đạt"]
    assert rows_a[1][why] == ("CPU dưới 4 nhân; RAM dưới 8 GB; ổ cứng HDD hoặc SSD dưới 240 GB; hệ điều hành không "
                              "phải Windows 10, 11; máy hỏng hoặc quá chậm")
    assert rows_a[2][action] == "Nâng cấp RAM, nâng cấp lên Windows 11"
    assert rows_a[0][why] is None and rows_a[0][action] is None

    certificates = book["Chứng thư số"]
    header = [c.value for c in certificates[1]]
    valid, reason, kind = header.index("Còn hiệu lực trên 90 ngày"), header.index("Lý do chưa đạt"), header.index("Hình thức")
    rows_a = {r[header.index("Họ và tên người được cấp")]: r for r in certificates.iter_rows(min_row=2, values_only=True)
              if r[1] == A}
    assert rows_a["Chứng thư số tổ chức của UBND xã"][reason] == "Còn mang tên đơn vị cũ; đã hết hạn"
    assert rows_a["Chứng thư số tổ chức của Trung tâm PVHCC xã"][reason] == "Hết hạn trong 90 ngày tới"
    assert rows_a["Người A"][reason] == "Đã hết hạn" and rows_a["Người C"][valid] == "Đạt"
    kinds = {r[kind] for r in certificates.iter_rows(min_row=2, values_only=True)} - {None}
    assert kinds <= {"USB token", "SIM PKI (ký trên điện thoại)", "Ký số từ xa"}  # the column's choices only

    endpoints = book["Điểm cầu HNTH"]
    header = [c.value for c in endpoints[1]]
    types = {r[header.index("Loại")] for r in endpoints.iter_rows(min_row=2, values_only=True)} - {None}
    assert types and types <= {"Thiết bị chuyên dụng", "Phần mềm"}  # not also «Thiết bị chuyên dụng (ví dụ Polycom)»


def test_needs_workbook__not_received_across_provinces__a_province_column(submitted, tmp_path):
    from dataclasses import replace

    from openpyxl import load_workbook

    from readiness.department.needs_xlsx import write_needs_xlsx
    from readiness.register import load_register

    report = _needs(*submitted)
    write_needs_xlsx(report, tmp_path / "one.xlsx")
    one = load_workbook(tmp_path / "one.xlsx")["Chưa gửi, chưa tính"]
    assert [c.value for c in one[1]] == ["STT", "Mã xã", "Đơn vị"]  # one province: the name is enough

    hanoi = next(c for c in load_register() if c.province_code == "01" and c.name == "Phường Ba Đình")
    wider = replace(report, not_received=[*report.not_received, (hanoi.code, hanoi.name)])
    write_needs_xlsx(wider, tmp_path / "two.xlsx")
    two = load_workbook(tmp_path / "two.xlsx")["Chưa gửi, chưa tính"]
    assert [c.value for c in two[1]] == ["STT", "Mã xã", "Đơn vị", "Tỉnh, thành phố"]
    rows = {r[1]: r for r in two.iter_rows(min_row=2, values_only=True)}
    assert rows[D][2:] == ("Phường Cẩm Thành", "Tỉnh Quảng Ngãi")
    assert rows[hanoi.code][2:] == ("Phường Ba Đình", "Thành phố Hà Nội")
