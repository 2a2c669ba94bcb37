"""The import dialog: files and folders in, every result out (with its coded reasons), the database
updated, cancel, the error list saved."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gui_helpers import wait_for_worker
from dept_gui_helpers import copies, csv_renamed, export_submission, fresh_assessments, ram_typed_as_words, truncated

pytestmark = pytest.mark.gui


@pytest.fixture
def workspace(db_url):
    from readiness.service import Workspace

    opened = Workspace.open(db_url)
    yield opened
    opened.close()


def _by_file(dialog):
    from pathlib import Path

    return {Path(r.file).name: r for r in dialog.model.results}


def _choose_folder(monkeypatch, dialog, folder):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    dialog.add_folder_button.click()


def test_import_dialog__folder_with_good_and_bad_files__every_result_shown_and_database_updated(
        qtbot, tmp_path, db_url, workspace, dept_window, monkeypatch):
    inbox = tmp_path / "inbox"
    good = export_submission(inbox, "23500", name="23500_2025-11_xa-dak-ha.xlsx")
    export_submission(inbox / "thang-11", "21034", seed=2, name="21034_2025-11.xlsx")  # a subfolder: found too
    sheet, cell = ram_typed_as_words(good, inbox / "23500_sua-tay.xlsx")
    csv_renamed(inbox / "bang-ke.xlsx")
    truncated(good, inbox / "tai-do-dang.xlsx")
    (inbox / "ghi-chu.txt").write_text("không phải bảng tính", encoding="utf-8")
    window = dept_window(workspace)
    assert window.dashboard.counters["received"].value == 0

    dialog = window.open_import()
    dialog.jobs = 0
    _choose_folder(monkeypatch, dialog, inbox)
    assert dialog.paths() == [str(inbox)]
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as finished:
        dialog.start_button.click()
    report = finished.args[0]

    results = _by_file(dialog)
    assert {name: r.status for name, r in results.items()} == {
        "23500_2025-11_xa-dak-ha.xlsx": "imported", "21034_2025-11.xlsx": "imported",
        "23500_sua-tay.xlsx": "rejected", "bang-ke.xlsx": "rejected", "tai-do-dang.xlsx": "rejected",
        "ghi-chu.txt": "skipped"}
    assert dialog.model.rowCount() == len(report.results) == 6
    # Every reason, coded, in Vietnamese, with its sheet and cell.
    edited = results["23500_sua-tay.xlsx"]
    assert [(e.code, e.sheet) for e in edited.errors] == [("E-IMPORT-EDITED", sheet)]  # the table's place
    where = edited.errors[0].cell
    assert where
    row = dialog.model.results.index(edited)
    reason = dialog.model.index(row, dialog.model.REASONS).data()
    assert reason.startswith(f"E-IMPORT-EDITED: Sheet '{sheet}', ô {where}:")
    assert "đã bị sửa tay" in dialog.model.index(row, dialog.model.REASONS).data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.model.index(row, dialog.model.STATUS).data() == "Từ chối"
    assert dialog.model.index(row, dialog.model.STATUS).data(Qt.ItemDataRole.BackgroundRole).name() == "#ffebee"
    csv_row = dialog.model.results.index(results["bang-ke.xlsx"])
    assert "E-IMPORT-TEXT" in dialog.model.index(csv_row, dialog.model.REASONS).data()
    ok_row = dialog.model.results.index(results["23500_2025-11_xa-dak-ha.xlsx"])
    assert dialog.model.index(ok_row, dialog.model.COMMUNE).data() == "Xã Đăk Hà (23500)"
    assert dialog.model.index(ok_row, dialog.model.PERIOD).data() == "11/2025"
    assert dialog.model.index(ok_row, dialog.model.REVISION).data() == "1"
    # Progress and summary.
    assert dialog.progress.value() == dialog.progress.maximum() == 6
    assert dialog.progress.format() == "6/6 tệp — xong"
    assert "2 đã nhập" in dialog.summary.text() and "3 từ chối" in dialog.summary.text()
    # The details of the selected file: every reason and what to do.
    proxy_row = next(r for r in range(dialog.proxy.rowCount()) if dialog.proxy.object_at(r) is edited)
    dialog.table.selectRow(proxy_row)
    assert f"ô {where}" in dialog.details.toPlainText() and "Cách xử lý" in dialog.details.toPlainText()
    # The database, read by a fresh workspace; the dashboard reloads after the import.
    assert fresh_assessments(db_url) == {"23500": "finalized", "21034": "finalized"}
    wait_for_worker(qtbot, window.worker,
                    lambda: not window.dashboard.loading and window.dashboard.counters["received"].value == 2)
    dialog.close()


def test_import_dialog__status_filter_and_search__only_matching_rows(qtbot, tmp_path, workspace, dept_window, monkeypatch):
    inbox = tmp_path / "inbox"
    good = export_submission(inbox, "23500")
    csv_renamed(inbox / "bang-ke.xlsx")
    (inbox / "doc.txt").write_text("x", encoding="utf-8")
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    dialog.add_paths([inbox])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.start_button.click()
    assert dialog.proxy.rowCount() == 3
    dialog.set_status_filter("rejected")
    assert [dialog.proxy.object_at(r).status for r in range(dialog.proxy.rowCount())] == ["rejected"]
    assert dialog.status_filter.currentText() == "Từ chối (1)"
    dialog.set_status_filter(None)
    dialog.search.setText("dak ha")  # the commune's name, without diacritics
    assert [dialog.proxy.object_at(r).file for r in range(dialog.proxy.rowCount())] == [str(good)]
    dialog.close()


def test_import_dialog__accept_edited__warning_shown_and_the_sheet_values_checked(
        qtbot, tmp_path, workspace, dept_window):
    inbox = tmp_path / "inbox"
    good = export_submission(inbox, "23500")
    edited = inbox.parent / "sua-tay.xlsx"
    sheet, cell = ram_typed_as_words(good, edited)
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    assert dialog.edited_warning.isHidden()
    dialog.accept_edited.setChecked(True)
    assert dialog.edited_warning.isVisible() and "Chú ý" in dialog.edited_warning.text()
    dialog.add_paths([edited])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.start_button.click()
    result = dialog.model.results[0]
    # Accepted as edited: the RAM typed as words is then checked like any answer, with its cell.
    assert result.status == "rejected"
    assert [(e.code, e.sheet, e.cell) for e in result.errors] == [("E-ANS-NUMBER", sheet, cell)]
    assert "«tám»" in result.errors[0].message
    dialog.close()


def test_import_dialog__cancel__stops_and_keeps_what_was_imported(qtbot, tmp_path, db_url, workspace, dept_window):
    inbox = tmp_path / "inbox"
    first = export_submission(inbox, "23500", name="000-first.xlsx")
    copies(first, inbox / "copies", 30)
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 2  # real worker processes, started from the worker thread
    dialog.add_paths([inbox])
    assert not dialog.cancel_button.isEnabled()

    def first_row(*_args):
        if dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()

    dialog.model.rowsInserted.connect(first_row)
    with qtbot.waitSignal(dialog.imported, timeout=120_000) as finished:
        dialog.start_button.click()
        assert dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
    report = finished.args[0]
    assert report.cancelled and report.not_done > 0
    assert 1 <= len(report.results) < 31
    assert dialog.model.rowCount() == len(report.results)
    assert report.results[0].status == "imported"
    assert "đã dừng" in dialog.progress.format()
    assert "Đã dừng" in dialog.summary.text()
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert fresh_assessments(db_url) == {"23500": "finalized"}
    dialog.close()


def test_import_dialog__no_file_chosen__says_what_to_do(workspace, dept_window, message_boxes):
    window = dept_window(workspace)
    dialog = window.open_import()
    assert not dialog.start_button.isEnabled()
    dialog.start()
    assert message_boxes.kinds() == ["information"] and "Thêm tệp" in message_boxes.calls[0][2]
    dialog.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_save_error_list__csv_or_xlsx__one_row_per_reason_in_vietnamese(qtbot, tmp_path, workspace, dept_window,
                                                                        monkeypatch, message_boxes, suffix):
    inbox = tmp_path / "inbox"
    good = export_submission(inbox, "23500")
    ram_typed_as_words(good, inbox / "sua-tay.xlsx")
    csv_renamed(inbox / "bang-ke.xlsx")
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    dialog.add_paths([inbox])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.start_button.click()
    assert dialog.save_errors_button.isEnabled()
    target = tmp_path / f"loi{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog.save_errors_button.click()
    assert message_boxes.kinds() == ["information"]
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    else:
        from openpyxl import load_workbook

        rows = [[("" if v is None else str(v)) for v in row] for row in load_workbook(target).active.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Tệp", "Đường dẫn", "Kết quả", "Mã xã"]
    codes = sorted(row[7] for row in rows[1:])
    assert codes == ["E-IMPORT-EDITED", "E-IMPORT-TEXT"]
    edited = next(row for row in rows[1:] if row[7] == "E-IMPORT-EDITED")
    assert edited[2] == "Từ chối" and edited[3] == "23500" and edited[4] == "Xã Đăk Hà" and edited[9]  # the cell
    assert "đã bị sửa tay" in edited[10] and edited[11]  # the message and what to do
    dialog.close()
