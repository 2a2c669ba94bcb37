"""The department's window in Vietnamese (issue 17 §3): every tab and dialog (the official mailbox's
three too), with the right-click menus of its text boxes, shows no English word (tests/gui/visible_words.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from gui_helpers import wait_for_worker
from visible_words import Looker, open_windows, patch_dialogs

pytestmark = pytest.mark.gui


def test_walk__department_window_in_vietnamese__no_english_word(qtbot, crafted, dept_window, monkeypatch):
    looker = Looker()
    patch_dialogs(monkeypatch, looker)
    window = dept_window(crafted.workspace)
    looker.look(window, "overview")

    window.tabs.setCurrentWidget(window.petitions)
    wait_for_worker(qtbot, window.worker, lambda: window.petitions.model.rowCount() > 0, timeout=30_000)
    window.petitions.table.selectRow(0)
    looker.look(window, "petitions")

    with qtbot.waitSignal(window.trend.loaded, timeout=60_000):
        window.tabs.setCurrentWidget(window.trend)
    looker.look(window, "trend")

    window.tabs.setCurrentWidget(window.dashboard)
    assert window.dashboard.select_code(crafted.codes["resubmitted"])
    window.dashboard.detail_button.click()
    qtbot.waitUntil(lambda: window.detail_dialog is not None and window.detail_dialog.isVisible(), timeout=30_000)
    for index in range(window.detail_dialog.tabs.count()):
        window.detail_dialog.tabs.setCurrentIndex(index)
        looker.look(window.detail_dialog, f"detail, tab {index}")
    window.detail_dialog.close()

    for name, opened in (("import", window.open_import), ("report", window.open_report)):
        dialog = opened()
        QCoreApplication.processEvents()
        looker.look(dialog, name)
        dialog.close()

    mailbox = window.open_mailbox()  # the official mailbox, not set up in this workspace
    wait_for_worker(qtbot, window.worker, lambda: mailbox.configured is not None, timeout=30_000)
    looker.look(mailbox, "mailbox")
    mailbox.close()
    with qtbot.waitSignal(window.mail_settings_opened, timeout=30_000) as blocker:
        window.open_mail_settings()
    settings = blocker.args[0]
    QCoreApplication.processEvents()
    looker.look(settings, "mailbox settings")
    settings.close()
    contacts = window.open_contacts()
    wait_for_worker(qtbot, window.worker, lambda: contacts.loaded, timeout=30_000)
    looker.look(contacts, "contacts")
    contacts.close()
    looker.look_at_windows("what else is open", skip=[window])
    for widget in open_windows():
        if widget is not window:
            widget.close()

    assert looker.english() == [], "\n".join(looker.english())
    assert {"QLineEdit", "QPlainTextEdit"} <= looker.menus_read, looker.menus_read
