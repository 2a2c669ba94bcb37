"""Measured values and detected rows say how and when in the workbook and the PDF; the seals ignore it.

A measured download speed gets "Đo tự động lúc 10:42 ngày 24/11/2026 (máy chủ: …, 4 luồng)" in the
note column of its section sheet and under its answer in the report's Phụ lục I; a PC-table row the
probe filled gets "Tự nhận diện lúc …" in a "Nguồn số liệu" column of the PC sheet and a (*) note in
Phụ lục II.  The metadata travels in ``_data`` (key ``measurements``) and is read back, but it is not
part of ``answers_sha256`` / ``data_sha256``: the same answers typed by hand seal the same.
"""

from __future__ import annotations

import copy
import re

import pytest
from openpyxl import load_workbook

from readiness import measurement
from readiness.answers import Answers, Row
from readiness.exchange import ExportContext, read_submission, write_report_pdf, write_submission
from readiness.exchange.xlsx import SOURCE_HEADER, build_workbook
from readiness.probe.network import NetworkReport
from readiness.probe.pc import DiskInfo, PcReport

from exchange_data import NOW  # 24/11/2026 09:30 +07:00

MEASURED_AT = "2026-11-24T03:42:10+00:00"  # 10:42 in Việt Nam
NOTE = "Đo tự động lúc 10:42 ngày 24/11/2026 (máy chủ: Sở KH&CN, 4 luồng)"
ROW_MARK = "Tự nhận diện lúc 10:42 ngày 24/11/2026 (máy: PC-MOTCUA-01)"


def _pc_report() -> PcReport:
    return PcReport(
        platform="windows", machine_name="PC-MOTCUA-01", cpu_model="Intel Core i5-8400", cpu_cores=6,
        cpu_logical_cores=6, ram_gb=8.0,
        disks=[DiskInfo("C:", "C:\\", 255.1, "ssd", "NTFS", True, "0", "KINGSTON", 256.1)],
        os_name="Windows 10", os_version="22H2", os_build="19045.3803", os_edition="Pro",
        measured_at=MEASURED_AT, methods={"ram_gb": "GetPhysicallyInstalledSystemMemory"},
    )


def _network_report() -> NetworkReport:
    return NetworkReport(
        status="ok", message="Đã đo xong tốc độ mạng.", endpoint="Sở KH&CN", endpoint_url="http://10.0.0.5/25MB.bin",
        latency_ms=12.4, latency_method="trung vị 5 lần HTTP GET http://10.0.0.5/ping", download_mbps=95.31,
        upload_mbps=40.12, streams=4, time_cap_s=10.0, duration_s=9.8, measured_at=MEASURED_AT,
    )


@pytest.fixture
def measured_session(real_session):
    session = real_session
    saved = measurement.save_network(session, _network_report())
    assert set(saved.saved) == {"measured_down_mbps", "measured_up_mbps", "latency_ms"} and not saved.refused
    added = measurement.save_pc(session, _pc_report())
    assert not added.refused
    session.set_cell("pcs", added.row.id, "role", "Quầy số 1")
    return session


@pytest.fixture
def measured_ctx(measured_session):
    return ExportContext.from_session(measured_session, now=NOW)


def _typed_copy(answers: Answers) -> Answers:
    """The same values, as if typed by hand (no source, no meta)."""
    values = {}
    for key, value in answers.values.items():
        if isinstance(value, list) and value and isinstance(value[0], Row):
            values[key] = [Row(values=dict(r.values), id=r.id) for r in value]
        else:
            values[key] = copy.deepcopy(value)
    return Answers(values=values)


def _row_of(ws, number: str) -> int:
    for row in range(4, ws.max_row + 1):
        if ws.cell(row, 1).value == number:
            return row
    raise AssertionError(f"no row {number} on {ws.title}")


def test_section_sheet_notes_and_pc_sheet_marks(measured_ctx, tmp_path):
    checklist = measured_ctx.checklist
    path = tmp_path / "submission.xlsx"
    write_submission(measured_ctx, path)
    wb = load_workbook(path)
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("2. "))  # the Internet section
    for item_id in ("measured_down_mbps", "measured_up_mbps", "latency_ms"):
        row = _row_of(sheet, checklist.number(item_id))
        assert sheet.cell(row, 7).value.startswith(NOTE + "."), sheet.cell(row, 7).value
    assert sheet.cell(_row_of(sheet, checklist.number("measured_down_mbps")), 3).value == 95.31
    typed = _row_of(sheet, checklist.number("contract_down_mbps"))
    assert "Đo tự động" not in (sheet.cell(typed, 7).value or "")

    pcs = next(ws for ws in wb.worksheets if ws.title.startswith(checklist.number("pcs") + " "))
    headers = [pcs.cell(3, c).value for c in range(1, pcs.max_column + 1)]
    assert headers[-1] == SOURCE_HEADER
    rows = measured_ctx.answers.rows("pcs")
    marks = [pcs.cell(4 + i, len(headers)).value for i in range(len(rows))]
    assert marks[-1] == ROW_MARK
    assert all(m is None for m in marks[:-1])  # typed rows are not marked
    assert pcs.cell(4 + len(rows) - 1, 2 + [c.id for c in checklist.item("pcs").columns].index("cpu")).value == \
        "Intel Core i5-8400"


def test_no_source_column_when_nothing_was_detected(real_ctx, tmp_path):
    wb, _ = build_workbook(real_ctx.checklist, kind="submission", ctx=real_ctx)
    for ws in wb.worksheets:
        assert SOURCE_HEADER not in [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
        if ws.title != "_data":
            assert not any(isinstance(c.value, str) and "Đo tự động" in c.value for r in ws.iter_rows() for c in r)


def test_metadata_is_read_back_and_not_sealed(measured_ctx, tmp_path):
    path = tmp_path / "submission.xlsx"
    result = write_submission(measured_ctx, path)
    read = read_submission(path, checklist=measured_ctx.checklist)
    assert read.ok and read.hash_ok and not read.differences, (read.problems, read.differences)
    assert read.answers.sources["measured_down_mbps"] == "measured"
    meta = read.answers.meta["measured_down_mbps"]
    assert meta["endpoint"] == "Sở KH&CN" and meta["measured_at"] == MEASURED_AT and meta["streams"] == 4
    assert read.answers.meta["latency_ms"]["method"].startswith("trung vị")
    row = read.answers.rows("pcs")[-1]
    assert row.source == "probe" and row.meta["machine_name"] == "PC-MOTCUA-01"
    assert all(r.meta is None for r in read.answers.rows("pcs")[:-1])

    # The same answers typed by hand: same seals.
    typed = ExportContext.build(measured_ctx.checklist, _typed_copy(measured_ctx.answers),
                                commune=measured_ctx.commune, period=measured_ctx.period,
                                identity=measured_ctx.identity, result=measured_ctx.result, now=NOW)
    _, hashes = build_workbook(typed.checklist, kind="submission", ctx=typed)
    assert hashes["answers_sha256"] == result.answers_sha256
    assert hashes["data_sha256"] == result.data_sha256


def test_pdf_report_says_how_and_when(measured_ctx, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "report.pdf"
    write_report_pdf(measured_ctx, path)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert flat.count("Đo tự động lúc 10:42 ngày 24/11/2026") >= 3  # Phụ lục I, the three measured items
    assert "(máy chủ: Sở KH&CN, 4 luồng)" in flat
    rows = len(measured_ctx.answers.rows("pcs"))
    assert f"(*) dòng {rows}: tự nhận diện lúc 10:42 ngày 24/11/2026 (máy: PC-MOTCUA-01)" in flat


def test_describe_in_both_languages():
    meta = measurement.network_meta(_network_report(), "measured_down_mbps")
    import datetime as dt

    ict = dt.timezone(dt.timedelta(hours=7))
    assert measurement.describe("measured", meta, "vi", tz=ict) == NOTE
    assert measurement.describe("measured", meta, "en", tz=ict) == \
        "Measured automatically at 10:42 on 24/11/2026 (server: Sở KH&CN, 4 streams)"
    assert measurement.describe("typed", meta) is None
    assert measurement.describe("measured", {}) == "Đo tự động"
    row = Row(values={}, source="probe", meta=measurement.pc_meta(_pc_report()))
    assert measurement.row_mark(row, "vi", tz=ict) == ROW_MARK
    assert measurement.row_mark(Row(values={}), "vi") is None
