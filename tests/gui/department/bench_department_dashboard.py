"""Benchmark the department's dashboard in the window: 96 and 3,321 communes, cold and warm.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/department/bench_department_dashboard.py [--sizes 96 3321] [--keep DIR]`.

Populates a database per size like tests/benchmarks/bench_reports.py (finalized demo assessments
written in batches; `--keep DIR` keeps and reuses them), opens the department's window (1366×728,
offscreen) and times, for the period, from ``reload()`` to:

- the first step shown (the register status with the stored scores: counters and table),
- everything shown (section scores, charts),

first with an empty score cache (cold: every assessment scored), then again (warm).  Meanwhile the
UI thread's event loop is turned every 5 ms and the longest gap between two turns is reported:
how long the window could not repaint or react (the loading itself runs on the worker thread).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
for path in (ROOT / "desktop", ROOT / "tests", ROOT / "tests" / "department", ROOT / "tests" / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

PERIOD = "2025-11"


def measure(url: str, province: str | None, cache_folder: Path) -> list[dict]:
    from PySide6.QtWidgets import QApplication

    from readiness.gui.department.window import DepartmentWindow
    from readiness.service import Workspace

    app = QApplication.instance() or QApplication([])
    workspace = Workspace.open(url)
    window = DepartmentWindow(workspace, load=False)
    window.resize(1366, 728)
    window.show()
    app.processEvents()
    dashboard = window.dashboard
    dashboard.set_period(PERIOD)
    dashboard.scope.blockSignals(True)
    dashboard.scope.set_values(province=province or "all")
    dashboard.scope.blockSignals(False)
    shutil.rmtree(cache_folder, ignore_errors=True)
    from readiness.department.bulk import clear_cache

    clear_cache(workspace.store)  # cold: nothing scored yet (the cache is in the database)
    runs = []
    for label in ("cold", "warm"):
        started = time.perf_counter()
        dashboard.reload()
        last, worst = time.perf_counter(), 0.0
        while dashboard.loading:
            app.processEvents()
            now = time.perf_counter()
            worst, last = max(worst, now - last), now
            time.sleep(0.005)
        app.processEvents()
        runs.append({"run": label, "rows": dashboard.model.rowCount(), "first": dashboard.status_seconds,
                     "all": dashboard.load_seconds, "wall": time.perf_counter() - started, "stall": worst})
    window.close()
    workspace.close()
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[96, 3321])
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the databases in this folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["READINESS_HOME"] = str(folder)
        from bench_reports import populate

        print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}")
        for size in args.sizes:
            print(f"\n== {size} communes ==")
            url, province = populate(size, folder, args.workers)
            for run in measure(url, province, folder / "cache"):
                print(f"  {run['run']:<5} {run['rows']} rows: table (stored scores) {run['first']:.2f} s, everything "
                      f"{run['all']:.2f} s; longest UI stall {run['stall'] * 1000:.0f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
