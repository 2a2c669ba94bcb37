"""«Xuất báo cáo tổng hợp»: the files chosen in file dialogs (patched), written on the worker with
progress, readable; a failure reported in Vietnamese."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from report_fixtures import PERIOD

pytestmark = pytest.mark.gui


def test_report_action__three_formats__written_with_suggested_names_and_readable(qtbot, tmp_path, report_ws,
                                                                                dept_window, monkeypatch, message_boxes):
    window = dept_window(report_ws)
    dialog = window.open_report()
    assert dialog.period.period() == PERIOD
    for fmt in ("xlsx", "pdf", "docx"):
        assert dialog.paths[fmt].text().endswith(f"bao-cao-tong-hop_{PERIOD}.{fmt}")  # suggested
    asked = []

    def save_as(parent, title, suggested, file_filter):
        asked.append(suggested)
        name = suggested.replace("\\", "/").rsplit("/", 1)[-1]
        return str(tmp_path / "out" / name.rsplit(".", 1)[0]), file_filter  # typed without the extension

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    for fmt in ("xlsx", "pdf", "docx"):
        dialog.browse[fmt].click()
    assert [a.rsplit(".", 1)[-1] for a in asked] == ["xlsx", "pdf", "docx"]
    assert dialog.paths["pdf"].text() == str(tmp_path / "out" / f"bao-cao-tong-hop_{PERIOD}.pdf")
    dialog.number.setText("123")
    dialog.signer.setText("Nguyễn Văn A")
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
        assert dialog.progress is not None and dialog.progress.isVisible()
    outcome = finished.args[0]
    assert [path.suffix for path in outcome.files] == [".xlsx", ".pdf", ".docx"]
    assert outcome.received == 14 and outcome.petitions > 0
    for path in outcome.files:
        assert path.exists() and path.stat().st_size > 1000
    assert (tmp_path / "out" / f"bao-cao-tong-hop_{PERIOD}.pdf").read_bytes().startswith(b"%PDF")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "out" / f"bao-cao-tong-hop_{PERIOD}.xlsx", read_only=True)
    assert len(book.sheetnames) > 5
    book.close()
    from docx import Document

    document = Document(str(tmp_path / "out" / f"bao-cao-tong-hop_{PERIOD}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "BÁO CÁO" in text and "123/BC-SKHCN" in text + cells and "Nguyễn Văn A" in cells  # number, signer
    assert message_boxes.kinds() == ["information"] and "đã nhận 14/96" in message_boxes.calls[0][2]
    assert dialog.progress is None and not dialog.isVisible()


def test_report_action__only_the_pdf_and_an_unwritable_place__error_said_nothing_else_written(
        qtbot, tmp_path, report_ws, dept_window, message_boxes):
    window = dept_window(report_ws)
    dialog = window.open_report()
    dialog.checks["xlsx"].setChecked(False)
    dialog.checks["docx"].setChecked(False)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    dialog.paths["pdf"].setText(str(blocker / "report.pdf"))  # a folder that is a file
    with qtbot.waitSignal(dialog.failed, timeout=60_000):
        dialog.run()
    assert message_boxes.kinds() == ["warning"]
    assert "Lỗi (" in message_boxes.calls[0][2]
    assert not dialog.running and dialog.run_button.isEnabled()
    dialog.close()


def test_report_action__nothing_ticked__cannot_run(report_ws, dept_window, message_boxes):
    window = dept_window(report_ws)
    dialog = window.open_report()
    for check in dialog.checks.values():
        check.setChecked(False)
    assert not dialog.run_button.isEnabled()
    dialog.run()
    assert message_boxes.kinds() == ["information"]
    dialog.close()


def test_suggested_name__scope_in_the_name():
    from readiness.department.status import StatusFilters
    from readiness.gui.department.reports import suggested_name

    assert suggested_name("pdf", "2025-11") == "bao-cao-tong-hop_2025-11.pdf"
    assert suggested_name("xlsx", "2025-11", StatusFilters(former_province="Kon Tum", kind="Phường")) == \
        "bao-cao-tong-hop_2025-11_kon-tum_phuong.xlsx"
    assert suggested_name("docx", "2025-11", StatusFilters(province="all")) == "bao-cao-tong-hop_2025-11_ca-nuoc.docx"
