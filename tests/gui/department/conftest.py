"""Fixtures of the department window's tests (tests/gui/department).

``dept_window(workspace)`` opens the department's window over a workspace, 1366×728, with "today"
pinned, waits for the dashboard's first load, and closes it after the test (its worker thread is
waited for before the workspace closes).  The crafted register and the populated databases of
the core's tests (tests/department: ``report_fixtures``, ``demo_db``) are reused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

DEPARTMENT_TESTS = Path(__file__).resolve().parents[2] / "department"
if str(DEPARTMENT_TESTS) not in sys.path:  # demo_db, report_fixtures (imported by name, like bench_reports.py)
    sys.path.insert(0, str(DEPARTMENT_TESTS))

from report_fixtures import PERIOD, crafted, report_ws  # noqa: E402,F401 - fixtures: the crafted register, a reported period
from samples import TODAY  # noqa: E402
from gui_helpers import wait_for_worker  # noqa: E402


@pytest.fixture
def dept_window(qtbot):
    """``dept_window(workspace, *, period="2025-11", load=True, size=(1366, 728))`` -> a shown DepartmentWindow."""
    from readiness.gui.department.window import SETTING_PERIOD, DepartmentWindow

    windows: list[DepartmentWindow] = []

    def factory(workspace, *, period: str = "2025-11", load: bool = True, size: tuple[int, int] = (1366, 728),
                today=TODAY) -> DepartmentWindow:
        workspace.store.set_setting(SETTING_PERIOD, period)
        window = DepartmentWindow(workspace, today=today, load=False)
        windows.append(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if load:
            with qtbot.waitSignal(window.dashboard.loaded, timeout=60_000):
                window.start()
            wait_idle(qtbot, window)
        return window

    yield factory
    for window in windows:
        window.close()
        window.worker.wait()  # before the test's workspace closes
        window.deleteLater()
    QApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w in windows]
    assert not leaked, f"windows left open: {leaked}"


def _six_communes(url: str) -> None:
    from demo_db import populate
    from readiness.service import Workspace

    workspace = Workspace.open(url)
    try:
        communes = workspace.store.communes()[::9][:6]
        populate(workspace, communes, PERIOD, today=TODAY, seed=40, profiles=["behind", "average"])
    finally:
        workspace.close()


@pytest.fixture
def six_communes_ws(prepare_db):
    """Six finalized communes of Quảng Ngãi with their petitions (all «Mới»; built once per test process,
    a copy for each test): the letters' and the petitions' tab tests."""
    from readiness.service import Workspace

    workspace = Workspace.open(prepare_db("gui-six-communes", _six_communes))
    yield workspace
    workspace.close()


def wait_idle(qtbot, window, timeout: int = 60_000) -> None:
    """Until the window's worker has nothing queued and every result has been delivered."""
    wait_for_worker(qtbot, window.worker, None, timeout)
