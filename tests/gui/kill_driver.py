"""Drive the real main window and keep editing until killed (for test_power_cut.py).

    python tests/gui/kill_driver.py DB_URL CHECKLISTS_DIR [window]

Opens Xã Đăk Hà, 11/2025 on the small test checklist and edits answers through the widgets, one
after another, forever: Vietnamese text confirmed with Enter, text saved by the typing pause
alone (no Enter), numbers, yes/no clicks.  Before each edit it prints ``EDIT n item value``;
when the window reports the save committed it prints ``SAVED n item value``.  The test kills the
process with SIGKILL at some point and checks that every acknowledged answer is in the database.
With ``window``, the workspace is opened as the program's start opens it (``Workspace.open(window=True)``:
the answers are saved through the WindowStore's sqlite3 connection).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui_helpers import type_text  # noqa: E402


def main(db_url: str, checklists: str, way: str = "store") -> int:
    app = QApplication.instance() or QApplication([])
    from readiness.checklist.loader import ChecklistLibrary
    from readiness.gui.main_window import MainWindow
    from readiness.service import Workspace

    workspace = Workspace.open(db_url, library=ChecklistLibrary(Path(checklists)), default_checklist="small-test",
                               window=way == "window")
    window = MainWindow(workspace, auto_open=False)
    window.resize(1366, 740)
    window.show()
    assert window.open_assessment("23500", "2025-11")
    general = window.form("general")
    internet = window.form("internet")
    state = {"n": 0, "pending": None}

    def say(word: str, n: int, item: str, value) -> None:
        print(f"{word} {n} {item} {json.dumps(value, ensure_ascii=False)}", flush=True)

    def saved(item_id: str) -> None:
        pending = state["pending"]
        if pending and pending[1] == item_id:
            say("SAVED", *pending)
            state["pending"] = None
            QTimer.singleShot(30, step)

    window.ops.saved.connect(saved)

    def step() -> None:
        state["n"] += 1
        n = state["n"]
        kind = n % 4
        if kind == 0:  # Vietnamese text, confirmed with Enter
            value = f"Nguyễn Thị Hoà {n}"
            state["pending"] = (n, "respondent", value)
            say("EDIT", n, "respondent", value)
            edit = general.items["respondent"].editor.edit
            edit.clear()
            type_text(edit, value)
            QTest.keyClick(edit, Qt.Key.Key_Return)
        elif kind == 1:  # a number, confirmed with Enter
            value = n % 500
            state["pending"] = (n, "officers", value)
            say("EDIT", n, "officers", value)
            edit = general.items["officers"].editor.edit
            edit.clear()
            QTest.keyClicks(edit, str(value))
            QTest.keyClick(edit, Qt.Key.Key_Return)
        elif kind == 2:  # a click
            value = bool((n // 4) % 2)
            state["pending"] = (n, "has_fibre", value)
            say("EDIT", n, "has_fibre", value)
            buttons = internet.items["has_fibre"].editor.buttons
            buttons[0 if value else 1].click()
        else:  # typed, then nothing: saved by the pause alone
            value = f"Ghi chú số {n}"
            state["pending"] = (n, "respondent", value)
            say("EDIT", n, "respondent", value)
            edit = general.items["respondent"].editor.edit
            edit.clear()
            type_text(edit, value)

    QTimer.singleShot(0, step)
    print("READY", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
