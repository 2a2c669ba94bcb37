"""«Nhập phiếu Excel đã điền…» in the commune's window (issue 17 §5): checked off the UI thread, the
changes shown, saved only on «Lưu các thay đổi», the fields showing the new answers at once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from gui_helpers import stored_answers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exchange"))
from test_template_xlsx import _fill_small, _row_of, _sheet  # noqa: E402

pytestmark = pytest.mark.gui


def _template(window, tmp_path) -> Path:
    from readiness.exchange import write_template

    path = write_template(window.ops.checklist, tmp_path / "phieu.xlsx", commune=window.ops.commune,
                          period=window.ops.info.period).path
    _fill_small(path)
    return path


def _load(qtbot, window, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    action = window.template_import.act_import
    assert action.isEnabled() and action.text() == "Nhập phiếu Excel đã điền…"
    with qtbot.waitSignal(window.template_import.shown, timeout=30_000) as shown:
        action.trigger()
    return shown.args[0]


def test_load__changes_listed__saved_on_save_and_shown_in_the_fields(qtbot, make_window, monkeypatch, tmp_path, db_url,
                                                                     small_library):
    window = make_window(open_commune="23500")
    dialog = _load(qtbot, window, monkeypatch, _template(window, tmp_path))
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert ["1.3", "Số cán bộ, công chức", "(chưa trả lời)", "25"] in rows
    assert "sẽ thay đổi" in dialog.heading.text() and "Chưa có gì được lưu" in dialog.heading.text()
    assert stored_answers(db_url, small_library).get("officers") is None  # looking saves nothing
    dialog.save_button.click()
    assert stored_answers(db_url, small_library)["officers"] == 25
    assert window.form("general").items["officers"].editor.edit.text() == "25"  # the field shows it at once
    assert "Đã lưu" in window.statusBar().currentMessage()


def test_load__a_bad_cell__problems_named_no_save_button_nothing_saved(qtbot, make_window, monkeypatch, tmp_path, db_url,
                                                                      small_library):
    import openpyxl

    window = make_window(open_commune="23500")
    path = _template(window, tmp_path)
    book = openpyxl.load_workbook(path)
    general = _sheet(book, "1. ")
    general.cell(_row_of(general, "1.3"), 3).value = "nhiều"
    book.save(path)
    dialog = _load(qtbot, window, monkeypatch, path)
    assert dialog.save_button is None and "Không nhập được" in dialog.heading.text()
    assert any("ô C" in dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount()))
    dialog.reject()
    assert stored_answers(db_url, small_library).get("respondent") is None
