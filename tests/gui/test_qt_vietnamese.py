"""Qt speaks Vietnamese (issue 17 §3): our translation of Qt's own words is Qt's (its contexts and
source strings), compiled, loaded in Vietnamese mode only; and walking every window and dialog of the
commune's side in Vietnamese, nothing visible is English (tests/gui/visible_words.py), the
right-click menus of text boxes included."""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox

from visible_words import (Looker, context_menu, english_words, open_windows, patch_dialogs, qm_messages,
                           qt_translation_files)

from samples import TODAY

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "qt_vi.ts"
QM = ROOT / "resources" / "translations" / "qt_vi.qm"


def _ts_messages() -> list[tuple[str, str, str]]:
    tree = ElementTree.parse(TS)
    return [(context.findtext("name"), message.findtext("source"), message.findtext("translation"))
            for context in tree.getroot().iter("context") for message in context.iter("message")]


def test_qm__compiled_from_the_committed_ts(tmp_path):
    lrelease = Path(QCoreApplication.applicationFilePath()).parent / "pyside6-lrelease"
    import shutil
    import sys

    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    built = tmp_path / "qt_vi.qm"
    subprocess.run([tool, str(TS), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == QM.read_bytes(), "resources/translations/qt_vi.qm is stale: run `make translations`"
    del lrelease


def test_ts__every_context_and_source_is_qts_own__and_translated_into_vietnamese():
    qt = {(context, source) for path in qt_translation_files() for context, source, _ in qm_messages(path)}
    ours = _ts_messages()
    assert len(ours) > 150
    assert [(c, s) for c, s, _ in ours if (c, s) not in qt] == []  # a typo would never be looked up
    for context, source, translation in ours:
        assert translation, (context, source)
        same_everywhere = context in ("QGuiApplication", "QProgressBar", "QUnicodeControlCharacterMenu") \
            or source in ("%1, ...", "&HTML:") or source.startswith("Alt+")  # key names as printed on the keys
        if not same_everywhere:
            assert english_words(translation) == [] and translation != source, (context, source, translation)
    needed = {("QPlatformTheme", "&Yes"), ("QPlatformTheme", "&No"), ("QPlatformTheme", "OK"),
              ("QPlatformTheme", "Cancel"), ("QPlatformTheme", "Close"), ("QLineEdit", "&Copy"),
              ("QLineEdit", "&Paste"), ("QLineEdit", "&Undo"), ("QWidgetTextControl", "&Copy"),
              ("QAbstractSpinBox", "&Step up"), ("QScrollBar", "Scroll here"), ("QFileDialog", "File &name:"),
              ("QGuiApplication", "QT_LAYOUT_DIRECTION")}
    assert needed <= {(c, s) for c, s, _ in ours}


def test_translator__vietnamese_installed__english_removed(qapp):
    from readiness.gui.i18n import set_lang
    from readiness.gui.qt_translations import follow_language, installed

    set_lang("vi")
    follow_language()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert installed() and [b.text() for b in box.buttons()] == ["&Có", "&Không"]
    field = QLineEdit()
    menu = field.createStandardContextMenu()
    assert [a.text().split("\t")[0] for a in menu.actions() if a.text()][:3] == ["&Hoàn tác", "&Làm lại", "&Cắt"]
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    set_lang("en")
    assert not installed()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert [b.text() for b in box.buttons()] == ["&Yes", "&No"]
    set_lang("vi")
    assert installed()


def test_context_menus__text_box_spin_box_plain_text__vietnamese(qtbot):
    from readiness.gui.i18n import set_lang
    from readiness.gui.qt_translations import follow_language

    set_lang("vi")
    follow_language()
    for widget in (QLineEdit(), QSpinBox(), QPlainTextEdit()):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        texts = context_menu(widget)
        assert texts, type(widget).__name__
        assert [t for t in texts if english_words(t)] == [], texts


def _filled(db_url) -> None:
    from readiness.demo import demo_answers
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    try:
        session = workspace.session("23500", "2025-11")
        demo = demo_answers(session.checklist, session.commune, seed=11, today=TODAY, profile="average")
        assert session.set_answers(demo.answers) == []
    finally:
        workspace.close()


@pytest.mark.gui
def test_walk__every_window_and_dialog_of_the_commune__vietnamese__no_english_word(qtbot, make_window, monkeypatch,
                                                                               db_url, tmp_path):
    _filled(db_url)
    window = make_window(real=True, open_commune="23500")
    looker = Looker()
    patch_dialogs(monkeypatch, looker)

    for section in window.ops.checklist.sections:  # every section, with the right-click menus of its fields
        window.go_to_section(section.id)
        looker.look(window, f"section {section.id}")
    window.show_summary()
    looker.look(window, "summary")

    window.chooser.commune.clear()
    window.chooser.commune.setFocus()
    QTest.keyClicks(window.chooser.commune, "dak")  # the suggestions
    looker.look_at_windows("commune search", skip=[window])
    window.chooser.commune.completer_.popup().hide()

    for name in ("export_submission", "export_template", "import_template", "print_field_checklist", "backup", "restore",
                 "finalize", "history", "about", "sign_submission"):
        window.findChild(type(window.act_open), name).trigger()
        QCoreApplication.processEvents()
        looker.look_at_windows(f"after «{name}»", skip=[window])
        for widget in open_windows():
            if widget is not window:
                widget.close()

    from readiness.exchange import write_template  # «Nhập phiếu Excel đã điền…»: its preview

    blank = write_template(window.ops.checklist, tmp_path / "phieu.xlsx", commune=window.ops.commune,
                           period=window.ops.info.period).path
    with qtbot.waitSignal(window.template_import.shown, timeout=30_000) as shown:
        window.template_import.load(blank)
    looker.look(shown.args[0], "template preview")
    shown.args[0].reject()

    patch_dialogs(monkeypatch, looker, answer_yes=True)  # finalize for real, then reopen
    window.act_finalize.trigger()
    assert not window.ops.editable
    looker.look(window, "finalized")
    window.act_reopen.trigger()
    assert window.ops.editable
    looker.look(window, "reopened")

    assert looker.english() == [], "\n".join(looker.english())
    kinds = looker.menus_read
    assert {"QLineEdit", "QPlainTextEdit"} <= kinds, kinds  # the officer's text boxes were right-clicked
    assert any("Hoàn tác" in text for _where, text in looker.seen)
    assert any(where.startswith("question «Hoàn thành đánh giá»") for where, _ in looker.seen)
