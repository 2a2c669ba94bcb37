"""Tệp → «Sao lưu dữ liệu…» / «Khôi phục từ bản sao lưu…»: the CLI's backup and restore, from the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

pytestmark = pytest.mark.gui


def test_backup_then_restore__answers_come_back_and_window_reopens(make_window, monkeypatch, tmp_path, message_boxes):
    window = make_window(open_commune="23500")
    window.ops.session.set_answer("officers", 30)
    backup = tmp_path / "sao-luu.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    assert window.backup_actions.backup() == backup and backup.exists()
    assert message_boxes.kinds()[-1] == "information"

    window.ops.session.set_answer("officers", 45)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    assert window.backup_actions.restore() is True
    assert message_boxes.kinds()[-2:] == ["question", "information"]
    assert window.workspace.session("23500", "2025-11").answers.get("officers") == 30


def test_restore__not_a_backup__refused_with_message_data_untouched(make_window, monkeypatch, tmp_path, message_boxes):
    window = make_window(open_commune="23500")
    window.ops.session.set_answer("officers", 30)
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_text("hello", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    assert window.backup_actions.restore() is False
    kind, _title, text = message_boxes.calls[-1]
    assert kind == "critical" and "không phải bản sao lưu" in text
    assert window.workspace.session("23500", "2025-11").answers.get("officers") == 30


def test_restore__person_says_no__nothing_changes(make_window, monkeypatch, tmp_path, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    window = make_window(open_commune="23500")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "x.sqlite3"), ""))
    message_boxes.answer = QMessageBox.StandardButton.No
    assert window.backup_actions.restore() is False
