"""Starting the application: ``readiness`` (the window), a database that cannot be opened,
unexpected errors logged and shown in Vietnamese, fonts with Vietnamese letters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "READINESS_HOME": str(home), "READINESS_TIMING": "1",
           "PYTHONPATH": str(ROOT / "desktop"), "LANG": "C.UTF-8", "READINESS_EXIT_AFTER_START": "1"}
    return subprocess.run([sys.executable, "-m", "readiness", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, cwd=ROOT)


def test_start__no_command__window_shown_workspace_loaded_exit_0(tmp_path, db_url):
    done = _start("--db", db_url, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "READINESS_STARTED" in done.stdout
    events = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("READINESS_TIMING")]
    assert events == ["event=shown", "event=ready"]


def test_start__typed_after_start__answer_committed_where_the_cursor_was(tmp_path, db_url, monkeypatch):
    """What the start benchmark measures: the remembered assessment opens with the cursor in its first
    unanswered question, the typed name is saved there, and another process reads it back."""
    import json
    import sqlite3

    from readiness.service import Workspace

    monkeypatch.setenv("READINESS_HOME", str(tmp_path))  # the same user-data folder as the window's
    workspace = Workspace.open(db_url)
    try:
        session = workspace.session("23500", "2025-11")
        first = session.checklist.sections[0].items[0].id
        workspace.store.set_setting("gui.last_commune", "23500")
        workspace.store.set_setting("gui.last_period", "2025-11")
    finally:
        workspace.close()
    typed = "Nguyễn Thị Hồng Nhung"
    monkeypatch.setenv("READINESS_TYPE_AFTER_START", typed)
    done = _start("--db", db_url, home=tmp_path)
    assert done.returncode == 0, done.stderr
    events = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("READINESS_TIMING")]
    assert events == ["event=shown", "event=ready", "event=saved"]
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        rows = connection.execute("SELECT item_id, value, source FROM answers").fetchall()
    finally:
        connection.close()
    assert [(item, json.loads(value), source) for item, value, source in rows] == [(first, typed, "typed")]


def test_first_page__opening_words_until_the_data_is_open__then_the_welcome_only_if_no_assessment_opened(
        qtbot, make_window, db_url, small_library):
    """While the data opens the first page says so (what the first paint shows); the welcome's instructions come
    once the data is open and no assessment is (in the window's language), never when one opens at once."""
    from readiness.gui.i18n import set_lang
    from readiness.gui.main_window import MainWindow
    from gui_helpers import open_workspace

    opening = MainWindow()  # as readiness starts: shown and painted before the workspace opens
    qtbot.addWidget(opening)
    assert opening.welcome.text() == "Đang mở dữ liệu…"
    assert opening.stack.currentWidget() is opening.welcome

    window = make_window()  # nothing remembered: the welcome stays
    assert window.stack.currentWidget() is window.welcome
    assert "<h2>Sẵn sàng Một cửa</h2>" in window.welcome.text() and "Bấm <b>Mở</b>" in window.welcome.text()
    set_lang("en")
    assert "Press <b>Open</b>" in window.welcome.text()
    set_lang("vi")

    workspace = open_workspace(db_url, small_library)
    try:
        workspace.store.set_setting("gui.last_commune", "23500")
        workspace.store.set_setting("gui.last_period", "2025-11")
        remembered = MainWindow(workspace, auto_open=True)
        qtbot.addWidget(remembered)
        assert remembered.stack.currentWidget() is remembered.assessment_page
        assert remembered.welcome.text() == "Đang mở dữ liệu…"  # the instructions never laid out
        set_lang("en")
        assert remembered.welcome.text() == "Opening the data…"
    finally:
        set_lang("vi")
        remembered.flush()
        workspace.close()


def test_quiet_pyside_import_hook__a_module_imported_after_qt__its_source_not_read(tmp_path, monkeypatch):
    import importlib
    import linecache

    import PySide6.QtCore  # noqa: F401 - installs PySide6's import hook

    from readiness.gui.app import quiet_pyside_import_hook

    quiet_pyside_import_hook()
    module = tmp_path / "readiness_probe_module_after_qt.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert importlib.import_module(module.stem).VALUE == 1
    assert str(module) not in linecache.cache


def test_start__not_a_database__vietnamese_message_and_exit_1(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database file" * 100)
    done = _start("--db", f"sqlite:///{broken}", home=tmp_path)
    assert done.returncode == 1
    assert "Không mở được dữ liệu" in done.stderr
    assert (tmp_path / "logs" / "readiness.log").exists()


def test_excepthook__unexpected_error__logged_and_shown_in_vietnamese(qtbot, monkeypatch, tmp_path, message_boxes):
    import logging
    import threading

    from readiness.gui import app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = app.install_excepthook()
        try:
            raise RuntimeError("hỏng ổ đĩa")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    assert path == Path(os.environ["READINESS_HOME"]) / "logs" / "readiness.log"
    log = path.read_text(encoding="utf-8")
    assert "RuntimeError: hỏng ổ đĩa" in log and "Traceback" in log
    kind, title, text = message_boxes.calls[-1]
    assert kind == "critical" and title == "Lỗi không mong muốn"
    assert "không bị mất" in text and str(path) in text


def test_font__application_font__has_every_vietnamese_letter(qapp):
    from readiness.gui.app import choose_font, covers_vietnamese

    choose_font(qapp)
    assert covers_vietnamese(qapp.font())


def test_main__no_command__starts_the_window(monkeypatch):
    import readiness.gui.app as app
    from readiness.__main__ import main

    seen = []
    monkeypatch.setattr(app, "run", lambda argv: seen.append(list(argv)) or 0)
    assert main(["--db", "sqlite:///x.sqlite3", "--lang", "en"]) == 0
    assert seen == [["--db", "sqlite:///x.sqlite3", "--lang", "en"]]


def test_qt_calls_and_emits__thousands__do_not_drain_references_to_none_and_true(qapp):
    """PySide6-Essentials 6.12.0 on Python 3.11 dropped a reference to None on every void call and
    to True on every signal.emit(); the process aborted ("none_dealloc") after ~5,000 of them, a few
    dozen saved answers.  pyproject pins a version without the bug; this fails if it comes back."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel

    class Source(QObject):
        happened = Signal(bool)

    label, source = QLabel(), Source()
    source.happened.connect(lambda value: None)
    before = {name: sys.getrefcount(value) for name, value in (("None", None), ("True", True))}
    for _ in range(2_000):  # fewer than the ~5,000 references None starts with: a leak shows, no abort
        label.setText("Đã lưu")
        source.happened.emit(True)
    after = {name: sys.getrefcount(value) for name, value in (("None", None), ("True", True))}
    assert all(after[name] >= before[name] - 50 for name in before), (before, after)
