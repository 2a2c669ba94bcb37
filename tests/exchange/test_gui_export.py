"""The File-menu document actions in the real window: dialogs answered, files written by the worker."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, qapp, db_url, small_library, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from readiness.gui.i18n import set_lang
    from readiness.gui.main_window import MainWindow
    from readiness.service import Workspace

    set_lang("vi")
    shown: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **kw: shown.append((_k, text))
                            or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **kw: QMessageBox.StandardButton.Yes)
    workspace = Workspace.open(db_url, library=small_library, default_checklist="small-test")
    win = MainWindow(workspace, auto_open=False)
    win.shown = shown
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()
    workspace.close()


def _answer_dialog(monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog

    asked = {}

    def fake(parent, title, suggested, file_filter):
        asked["suggested"] = suggested
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def test_actions__in_the_file_menu_export_disabled_until_open(window):
    names = [a.objectName() for a in window.menu("file").actions()]
    assert names.index("export_submission") < names.index("quit")
    assert {"export_template", "print_field_checklist"} <= set(names)
    assert not window.export_actions.act_export.isEnabled()


def test_export__xlsx_and_pdf_written_by_the_worker(window, qtbot, tmp_path, monkeypatch):
    from readiness.exchange import read_submission

    assert window.open_assessment("23500", "2025-11")
    window.ops.session.set_answer("has_fibre", "Có")
    assert window.export_actions.act_export.isEnabled()
    asked = _answer_dialog(monkeypatch, tmp_path / "nop-so")  # no extension typed
    with qtbot.waitSignal(window.export_actions.done, timeout=20000) as blocker:
        window.export_actions.act_export.trigger()
    assert asked["suggested"].endswith("23500_2025-11_xa-dak-ha.xlsx")
    paths = blocker.args[0]
    assert [p.name for p in paths] == ["nop-so.xlsx", "nop-so.pdf"]
    assert read_submission(paths[0], checklist=window.ops.checklist).answers.values["has_fibre"] is True
    assert window.shown and window.shown[-1][0] == "information"
    assert window.export_actions.progress is None


def test_template_and_field_checklist(window, qtbot, tmp_path, monkeypatch):
    _answer_dialog(monkeypatch, tmp_path / "phieu.xlsx")
    with qtbot.waitSignal(window.export_actions.done, timeout=20000) as blocker:
        window.export_actions.act_template.trigger()
    assert blocker.args[0][0].stat().st_size > 0
    _answer_dialog(monkeypatch, tmp_path / "in.pdf")
    with qtbot.waitSignal(window.export_actions.done, timeout=20000) as blocker:
        window.export_actions.act_field.trigger()
    assert blocker.args[0][0].read_bytes().startswith(b"%PDF-")


def test_failure__reported_nothing_left(window, qtbot, tmp_path, monkeypatch):
    _answer_dialog(monkeypatch, tmp_path / "missing-folder" / "phieu.xlsx")
    with qtbot.waitSignal(window.export_actions.failed, timeout=20000) as blocker:
        window.export_actions.act_template.trigger()
    assert blocker.args[0] == "E-EXPORT-FOLDER"
    assert window.shown[-1][0] == "warning" and "E-EXPORT-FOLDER" in window.shown[-1][1]
