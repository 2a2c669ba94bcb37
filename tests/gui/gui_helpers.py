"""Helpers for the window tests (imported by the tests and by the driver scripts)."""

from __future__ import annotations

import time

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


def wait_for_worker(qtbot, worker, condition=None, timeout: int = 60_000) -> None:
    """Until ``condition()`` holds (``None``: until ``worker`` is idle), waiting on the worker's own
    ``busy_changed`` signal rather than polling: ``qtbot.waitUntil`` runs Python every few milliseconds
    and slows the worker thread it waits for (a 0.16 s job took 0.53 s).  While the worker is idle and
    the condition does not hold yet (a step queued on a timer), the event loop turns briefly."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        if condition is None:
            if not worker.busy:
                break
        elif condition():
            break
        remaining = int((deadline - time.monotonic()) * 1000)
        if remaining <= 0:
            raise AssertionError(f"not reached within {timeout} ms" + ("" if condition is None else f": {condition}"))
        if worker.busy:
            with qtbot.waitSignal(worker.busy_changed, timeout=remaining, check_params_cb=lambda busy: not busy):
                pass
        else:
            qtbot.wait(min(remaining, 20))
    QApplication.processEvents()
