"""Benchmark: the latency of one answer, from the person's action to the window up to date.

Run: ``.venv/bin/python tests/benchmarks/bench_gui_save.py [--runs N]``.

Offscreen window on the real checklist (Xã Đăk Hà, 11/2025), database file on this disk (SQLite,
WAL, synchronous=FULL: one fsync per save).  Measured, each N times:

- *core*: ``AssessmentSession.set_answer`` alone (coerce, check, commit);
- *number + Enter*: Enter pressed in a number box until the handler returns: saved, rescored,
  badges, progress, score, skip logic and the "Đã lưu" line updated (everything is synchronous);
- *yes/no click*: a click on "Có"/"Không" of an item that switches other items on and off;
- *text after the typing pause*: the timer's save (the same chain, started by the 600 ms timer).

Prints medians and maxima in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "gui"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _stats(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.1f} ms   max {max(samples) * 1000:6.1f} ms   (n={len(samples)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["READINESS_HOME"] = folder
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from gui_helpers import type_text
        from readiness.gui.main_window import MainWindow
        from readiness.service import Workspace

        app = QApplication.instance() or QApplication([])
        workspace = Workspace.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        window = MainWindow(workspace, auto_open=False)
        window.resize(1366, 740)
        window.show()
        window.open_assessment("23500", "2025-11")
        session = window.ops.session
        app.processEvents()

        core = []
        for n in range(args.runs):
            started = time.perf_counter()
            session.set_answer("outages_3m", n % 90)
            core.append(time.perf_counter() - started)

        general = window.form("general")
        number = general.items["officers"].editor.edit
        typed = []
        for n in range(args.runs):
            number.setText(str(20 + n % 400))
            started = time.perf_counter()
            QTest.keyClick(number, Qt.Key.Key_Return)
            typed.append(time.perf_counter() - started)
        assert session.answers.values["officers"] == 20 + (args.runs - 1) % 400

        window.go_to_section("internet")
        fibre = window.form("internet").items["has_fibre"].editor
        clicks = []
        for n in range(args.runs):
            started = time.perf_counter()
            fibre.buttons[n % 2].click()
            clicks.append(time.perf_counter() - started)

        respondent = general.items["respondent_name"]
        paused = []
        for n in range(args.runs):
            respondent.editor.edit.clear()
            type_text(respondent.editor.edit, f"Nguyễn Thị Hoà {n}")
            started = time.perf_counter()
            respondent.timer.timeout.emit()  # what the 600 ms pause triggers
            paused.append(time.perf_counter() - started)
            respondent.timer.stop()
        assert session.answers.values["respondent_name"] == f"Nguyễn Thị Hoà {args.runs - 1}"

        window.close()
        workspace.close()
    print(f"Per-answer save latency, real checklist ({len(session.checklist.items())} items), {os.cpu_count()} CPUs:")
    print(f"  core set_answer (commit + fsync)        {_stats(core)}")
    print(f"  number + Enter, window up to date       {_stats(typed)}")
    print(f"  yes/no click with skip logic            {_stats(clicks)}")
    print(f"  text saved after the typing pause       {_stats(paused)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
