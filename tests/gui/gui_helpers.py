"""Helpers for the window tests (imported by the tests and by the driver scripts)."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


def open_workspace(db_url, library=None):
    """The small checklist when a library is given; the real one (checklists/) otherwise."""
    from readiness.service import Workspace

    if library is None:
        return Workspace.open(db_url)
    return Workspace.open(db_url, library=library, default_checklist="small-test")


def type_text(widget, text: str) -> None:
    """Type (Vietnamese) text as an input method commits it; QTest cannot send non-ASCII keys."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def stored_answers(db_url, library=None, commune="23500", period="2025-11"):
    """The answers as the database holds them, read by a second, fresh workspace."""
    workspace = open_workspace(db_url, library)
    try:
        return workspace.session(commune, period, create=False).answers.values
    finally:
        workspace.close()
