"""The window's report and ``readiness report`` run one sequence (readiness.department.reports.write_reports):
the same files from the same request, and the consolidation let go before the PDF and the Word report."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest

from report_fixtures import PERIOD, xlsx_values
from samples import TODAY

pytestmark = pytest.mark.gui

DATE = dt.date(2025, 11, 28)


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _docx_text(path) -> list[str]:
    from docx import Document

    document = Document(str(path))
    return [p.text for p in document.paragraphs] + [cell.text for table in document.tables for row in table.rows
                                                    for cell in row.cells]


def test_report__window_and_command__same_request__same_files(report_ws, tmp_path, capsys):
    from readiness.cli import main
    from readiness.department.reports import ReportRequest
    from readiness.department.status import StatusFilters
    from readiness.gui.department.reports import report_job

    command = {fmt: tmp_path / "command" / f"r.{fmt}" for fmt in ("xlsx", "pdf", "docx")}
    command["xlsx"].parent.mkdir()
    assert main(["--db", str(report_ws.store.engine.url), "report", "--period", PERIOD, "--province", "51",
                 "--as-of", TODAY.isoformat(), "--date", "28/11/2025", "--number", "45", "--signer", "Phan Văn Hiếu",
                 "--xlsx", str(command["xlsx"]), "--pdf", str(command["pdf"]), "--docx", str(command["docx"])]) == 0
    said = capsys.readouterr().out
    window = {fmt: tmp_path / "window" / f"r.{fmt}" for fmt in ("xlsx", "pdf", "docx")}  # its folder made by the job
    steps: list[tuple[int, int, str]] = []
    outcome = report_job(report_ws, ReportRequest(period=PERIOD, filters=StatusFilters(province="51"), as_of=TODAY,
                                                  date=DATE, number="45", signer="Phan Văn Hiếu", **window),
                         lambda done, total, text: steps.append((done, total, text)))
    assert outcome.files == [window["xlsx"], window["pdf"], window["docx"]]
    assert f"đã nhận {outcome.received}/{outcome.expected} đơn vị, {outcome.petitions} kiến nghị." in said
    assert steps == [(0, 4, "Tổng hợp số liệu các xã…"), (1, 4, "Đang ghi r.xlsx…"), (2, 4, "Đang ghi r.pdf…"),
                     (3, 4, "Đang ghi r.docx…"), (4, 4, "Xong")]
    assert _pdf_text(window["pdf"]) == _pdf_text(command["pdf"])
    assert _docx_text(window["docx"]) == _docx_text(command["docx"])
    made_at = xlsx_values(window["xlsx"])
    assert any("lập lúc …" in str(v) for rows in made_at.values() for row in rows for v in row)
    assert made_at == xlsx_values(command["xlsx"])
    assert "Phan Văn Hiếu" in _pdf_text(window["pdf"])


@pytest.mark.parametrize("cpus", [1, 2])
@pytest.mark.parametrize("path", ["window", "command"])
def test_report__pdf_and_word__laid_out_after_the_consolidation_is_let_go(report_ws, tmp_path, monkeypatch, path,
                                                                          cpus):
    """One CPU: both documents here, after the consolidation is let go.  Two (and room in the process tree):
    both by the second process, which never holds a consolidation."""
    from readiness.department import bulk, consolidate, report_docx, report_pdf, report_xlsx, reports

    made: list[weakref.ref] = []
    seen: dict[str, tuple[bool, int]] = {}  # writer -> (a consolidation of this run alive, scores in the memo)

    def consolidating(*args, **kwargs):
        data = real_consolidate(*args, **kwargs)
        made.append(weakref.ref(data))
        return data

    def watching(name, writer):
        def write(*args, **kwargs):
            gc.collect()
            seen[name] = (any(ref() is not None for ref in made), len(bulk._memo))
            return writer(*args, **kwargs)
        return write

    real_consolidate = consolidate.consolidate
    monkeypatch.setattr(reports, "available_cpus", lambda: cpus)
    monkeypatch.setattr(reports, "room_for_worker", lambda: True)  # this test process's own memory aside
    monkeypatch.setattr(consolidate, "consolidate", consolidating)
    monkeypatch.setattr(report_xlsx, "write_report_xlsx", watching("xlsx", report_xlsx.write_report_xlsx))
    monkeypatch.setattr(report_pdf, "write_report_pdf", watching("pdf", report_pdf.write_report_pdf))
    monkeypatch.setattr(report_docx, "write_report_docx", watching("docx", report_docx.write_report_docx))
    files = {fmt: tmp_path / f"r.{fmt}" for fmt in ("xlsx", "pdf", "docx")}
    if path == "window":
        from readiness.department.reports import ReportRequest
        from readiness.department.status import StatusFilters
        from readiness.gui.department.reports import report_job

        report_job(report_ws, ReportRequest(period=PERIOD, filters=StatusFilters(province="51"), as_of=TODAY, **files))
    else:
        from readiness.cli import main

        assert main(["--db", str(report_ws.store.engine.url), "report", "--period", PERIOD, "--province", "51",
                     "--as-of", TODAY.isoformat(), *(f"--{fmt}={file}" for fmt, file in files.items())]) == 0
    assert len(made) == 1
    assert seen["xlsx"][0]  # the workbook is written from the consolidation
    if cpus == 1:
        assert seen["pdf"] == (False, 0) and seen["docx"] == (False, 0)
    else:
        assert "pdf" not in seen and "docx" not in seen  # not written by this process
        assert all(file.suffix != ".pdf" or file.read_bytes().startswith(b"%PDF-") for file in files.values())
    assert all(file.stat().st_size > 1000 for file in files.values())
