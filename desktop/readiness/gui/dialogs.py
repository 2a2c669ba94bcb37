"""Questions whose answer matters, asked with verbs: «Hoàn thành» / «Quay lại», not «Có» / «Không».

The officer reads the button, not the sentence above it: a button that says what it does cannot be
pressed by mistake.  Qt's own buttons (OK, Cancel, Close…) are translated by the application's
translator (:mod:`readiness.gui.qt_translations`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from .i18n import t


def ask(parent: QWidget | None, title: str, text: str, *, accept: str, reject: str | None = None,
        default_accept: bool = False, icon: QMessageBox.Icon = QMessageBox.Icon.Question,
        accept_is_destructive: bool = False) -> bool:
    """Ask, with ``accept`` and ``reject`` (default «Quay lại» / "Go back") as the buttons; True if accepted.

    Escape and closing the box are the same as ``reject``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    role = QMessageBox.ButtonRole.DestructiveRole if accept_is_destructive else QMessageBox.ButtonRole.AcceptRole
    yes = box.addButton(accept, role)
    no = box.addButton(reject or t("Quay lại", "Go back"), QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("acceptButton")
    no.setObjectName("rejectButton")
    box.setDefaultButton(yes if default_accept else no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes
