"""Fixtures for the window tests: a window factory that closes what it opened, modal message boxes
answered by a recorder, Vietnamese typed through input-method events.

Every test already has its own user-data folder (READINESS_HOME, tests/conftest.py) and a fresh
database (``db_url``).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from gui_helpers import open_workspace

from samples import SMALL, TODAY


class MessageBoxes:
    """Stands in for QMessageBox's static functions and :func:`readiness.gui.dialogs.ask`; records what
    the person would have seen."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes  # what question() answers

    def _record(self, kind: str, title: str, text: str) -> None:
        self.calls.append((kind, title, text))

    def question(self, parent, title, text, *args, **kwargs):
        self._record("question", title, text)
        return self.answer

    def ask(self, parent, title, text, *args, **kwargs):
        """readiness.gui.dialogs.ask: a question with verbs on its buttons; ``answer`` Yes accepts."""
        self._record("question", title, text)
        return self.answer == QMessageBox.StandardButton.Yes

    def information(self, parent, title, text, *args, **kwargs):
        self._record("information", title, text)
        return QMessageBox.StandardButton.Ok

    def warning(self, parent, title, text, *args, **kwargs):
        self._record("warning", title, text)
        return QMessageBox.StandardButton.Ok

    def critical(self, parent, title, text, *args, **kwargs):
        self._record("critical", title, text)
        return QMessageBox.StandardButton.Ok

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.calls]


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> MessageBoxes:
    recorder = MessageBoxes()
    from readiness.gui import dialogs

    for name in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, getattr(recorder, name))
    monkeypatch.setattr(dialogs, "ask", recorder.ask)
    return recorder


@pytest.fixture(autouse=True)
def _vietnamese_first():
    from readiness.gui.i18n import set_lang

    set_lang("vi")
    yield
    set_lang("vi")


@pytest.fixture
def small_library(tmp_path):
    from readiness.checklist.loader import ChecklistLibrary

    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "checklists")


@pytest.fixture
def make_window(qtbot, db_url, small_library):
    """``make_window(real=False, open_commune=None, size=(1366, 740))`` -> a shown MainWindow.

    Windows are closed and their workspaces closed after the test; a window left visible or a
    dialog left open fails the test (a leak check in the spirit of napari's make_napari_viewer).
    """
    from readiness.gui.main_window import MainWindow

    windows: list[MainWindow] = []
    workspaces = []

    def factory(*, real: bool = False, open_commune: str | None = None, period: str = "2025-11",
                size: tuple[int, int] = (1366, 740), auto_open: bool = False) -> MainWindow:
        workspace = open_workspace(db_url, None if real else small_library)
        workspaces.append(workspace)
        window = MainWindow(workspace, auto_open=auto_open)
        windows.append(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts and arrow keys need an active window
        qtbot.waitUntil(window.isActiveWindow)
        if open_commune:
            assert window.open_assessment(open_commune, period)
            window.ops.session.today = TODAY
        return window

    yield factory
    for window in windows:
        for dialog in (window.history_dialog, window.about_dialog):
            if dialog is not None:
                dialog.close()
        window.close()
        window.deleteLater()
    QApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w in windows]
    for workspace in workspaces:
        workspace.close()
    assert not leaked, f"windows left open: {leaked}"


