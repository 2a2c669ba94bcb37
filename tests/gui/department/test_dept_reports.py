"""«Xuất báo cáo tổng hợp»: the files chosen in file dialogs (patched), written on the worker with
progress, readable; a failure reported in Vietnamese."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QPushButton

from report_fixtures import PERIOD, two_scoring_workers

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


def _stoppable(qtbot, window, tmp_path):
    """The report dialog set to write the three files into ``tmp_path``; ``held(function)``: that function, made
    to wait on the job's thread until ``press_stop()`` has pressed «Dừng»."""
    dialog = window.open_report()
    for fmt in ("xlsx", "pdf", "docx"):
        dialog.paths[fmt].setText(str(tmp_path / f"report.{fmt}"))
    wait, press_stop = _gate(qtbot, dialog)

    def held(function):
        def run(*args, **kwargs):
            wait()
            return function(*args, **kwargs)

        return run

    return dialog, held, press_stop


def _gate(qtbot, dialog):
    """An event the job waits on, set by the test once it has pressed «Dừng»."""
    import threading

    entered, release = threading.Event(), threading.Event()

    def wait(*_args, **_kwargs):
        entered.set()
        assert release.wait(30)

    def press_stop():
        qtbot.waitUntil(entered.is_set, timeout=60_000)
        assert dialog.progress is not None and dialog.progress.isVisible()
        button = dialog.progress.findChild(QPushButton)
        assert button is not None and button.text() == "Dừng"
        button.click()
        assert "Đang dừng" in dialog.progress.labelText() and not button.isEnabled()
        release.set()

    return wait, press_stop


def test_report_action__stopped_while_consolidating__nothing_written_dialog_stays(
        qtbot, tmp_path, report_ws, dept_window, monkeypatch, message_boxes):
    from readiness.department import consolidate as consolidate_module

    dialog, held, press_stop = _stoppable(qtbot, dept_window(report_ws), tmp_path)
    monkeypatch.setattr(consolidate_module, "consolidate", held(consolidate_module.consolidate))
    with qtbot.waitSignal(dialog.stopped, timeout=60_000) as stopped:
        dialog.run_button.click()
        press_stop()
    outcome = stopped.args[0]
    assert outcome.cancelled and outcome.files == []
    assert not any((tmp_path / f"report.{fmt}").exists() for fmt in ("xlsx", "pdf", "docx"))
    assert list(tmp_path.iterdir()) == []  # no temporary file left either
    assert message_boxes.kinds() == ["information"] and message_boxes.calls[0][2] == "Đã dừng. Chưa ghi tệp nào."
    assert dialog.isVisible() and dialog.progress is None and dialog.run_button.isEnabled()
    dialog.close()


def test_report_action__stopped_while_the_communes_are_scored__pool_ended_nothing_kept_nothing_written(
        qtbot, tmp_path, report_ws, dept_window, monkeypatch, message_boxes):
    """The consolidation's scoring (cold: every commune scored by the pool's workers) stops when «Dừng» is pressed,
    not after it: the workers ended, no score kept in the cache, no file (nor temporary file) written."""
    import psutil
    from readiness.department import bulk

    pools = two_scoring_workers(monkeypatch)
    dialog, held, press_stop = _stoppable(qtbot, dept_window(report_ws), tmp_path)
    report_ws.store.clear_score_cache()  # cold (the window's dashboard scored the period as it opened)
    bulk.clear_memo()
    workers_seen: list[int] = []
    first_batch = held(lambda: None)

    def decoded(data, original=bulk.decoded_score):  # the first batch back: the pool is scoring the next one
        if not workers_seen:
            workers_seen.extend(process.pid for process in pools[-1].processes())
            first_batch()
        return original(data)

    monkeypatch.setattr(bulk, "decoded_score", decoded)
    with qtbot.waitSignal(dialog.stopped, timeout=60_000) as stopped:
        dialog.run_button.click()
        press_stop()
    outcome = stopped.args[0]
    assert outcome.cancelled and outcome.files == []
    assert workers_seen and pools[-1].processes() == []
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                   for pid in workers_seen)
    assert report_ws.store.score_cache_stats().entries == 0  # the cache write is all or nothing: nothing
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file
    assert message_boxes.kinds() == ["information"] and message_boxes.calls[0][2] == "Đã dừng. Chưa ghi tệp nào."
    assert dialog.isVisible() and dialog.progress is None and dialog.run_button.isEnabled()
    dialog.close()
    bulk.clear_memo()


def test_report_action__stopped_while_the_pdf_is_written__finished_files_listed_the_rest_not_begun(
        qtbot, tmp_path, report_ws, dept_window, monkeypatch, message_boxes):
    from readiness.department import reports as reports_module

    dialog, held, press_stop = _stoppable(qtbot, dept_window(report_ws), tmp_path)
    monkeypatch.setattr(reports_module, "documents_aside", lambda paths, processes: ())  # all in this process
    monkeypatch.setitem(reports_module.WRITERS, "pdf", held(reports_module.WRITERS["pdf"]))  # begun: finished
    with qtbot.waitSignal(dialog.stopped, timeout=120_000) as stopped:
        dialog.run_button.click()
        press_stop()
    outcome = stopped.args[0]
    assert outcome.cancelled and outcome.files == [tmp_path / "report.xlsx", tmp_path / "report.pdf"]
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "report.docx").exists()
    text = message_boxes.calls[0][2]
    assert text.startswith("Đã dừng. Các tệp đã ghi xong trước khi dừng")
    assert f"• {tmp_path / 'report.xlsx'}" in text and f"• {tmp_path / 'report.pdf'}" in text and "docx" not in text
    assert dialog.isVisible() and dialog.run_button.isEnabled()
    dialog.close()
