"""Screenshots of the reporting cycle (deadline, on time and late, reminder, receipts), for looking at and for
docs/department-cycle.md.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/gui/department/make_cycle_screenshots.py [--out DIR] [--docs]

Builds a department's database on 8 January 2026: 30 demo submissions of 12/2025 imported between
2 and 8 January (the deadline is 5 January), a workbook edited by hand after export (refused), the
10/2025 and 11/2025 periods with their own deadlines for the trend.  Then, at 1366×768: the dashboard
with the deadline and its counters, the late ones only, «Đặt hạn nộp», «Công văn đôn đốc», «Giấy xác
nhận», the trend, and the commune's «Kiểm tra giấy xác nhận của Sở».  ``--docs`` copies them to
docs/screenshots/cycle-*.png (each under 200 KB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
for path in (ROOT / "desktop", ROOT / "tests", ROOT / "tests" / "gui", ROOT / "tests" / "department", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

PERIOD = "2025-12"
DEADLINE = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 1, 8)
SIZE = (1366, 728)
SHOTS = ("cycle-01-tong-quan-han-nop.png", "cycle-02-sau-han.png", "cycle-03-dat-han-nop.png",
         "cycle-04-cong-van-don-doc.png", "cycle-05-giay-xac-nhan.png", "cycle-06-dien-bien.png",
         "cycle-07-xa-kiem-tra-giay.png")
LIMIT = 200_000
UTC = dt.UTC


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots" / "cycle")
    parser.add_argument("--docs", action="store_true", help="copy them to docs/screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shoot(args.out)
    if args.docs:
        target = ROOT / "docs" / "screenshots"
        for name in SHOTS:
            shutil.copyfile(args.out / name, target / name)
            size = (target / name).stat().st_size
            if size > LIMIT:
                raise SystemExit(f"{name} is {size // 1000} KB, more than {LIMIT // 1000} KB")
            print(f"docs/screenshots/{name}: {size // 1000} KB")
    return 0


def build_database(home: Path):
    """Three periods; 12/2025's files arrive from 2 to 7 January 2026, one of them edited by hand."""
    import pytest

    import readiness.store.imports as imports
    from demo_db import bulk_populate
    from dept_gui_helpers import ram_typed_as_words
    from readiness.department.cycle import set_deadline
    from readiness.department.demo_export import write_demo_submissions
    from readiness.department.importer import import_paths
    from readiness.service import Workspace

    workspace = Workspace.open(f"sqlite:///{home / 'department.sqlite3'}")
    communes = workspace.store.communes()
    bulk_populate(workspace.store, workspace.latest_checklist(), communes[:60], "2025-10", today=dt.date(2025, 11, 3),
                  seed=5, workers=2, finalized_at=dt.datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    bulk_populate(workspace.store, workspace.latest_checklist(), communes[:75], "2025-11", today=dt.date(2025, 12, 4),
                  seed=6, workers=2, finalized_at=dt.datetime(2025, 12, 4, 9, 0, tzinfo=UTC))
    set_deadline(workspace, "2025-10", dt.date(2025, 11, 5))
    set_deadline(workspace, "2025-11", dt.date(2025, 12, 5))
    inbox = home / "Tệp các xã gửi" / "Tháng 12"
    written = sorted(f.path for f in write_demo_submissions(inbox, count=31, period=PERIOD, seed=2026, jobs=2,
                                                            today=dt.date(2025, 12, 30)))
    files, spoiled = written[:30], written[30]
    start = dt.datetime(2026, 1, 2, 1, 30, tzinfo=UTC)
    with pytest.MonkeyPatch.context() as patch:
        for index, path in enumerate(files):
            moment = start + dt.timedelta(hours=5 * index)  # 2 → 8 January, 24 before the deadline's end
            patch.setattr(imports, "utcnow", lambda moment=moment: moment)
            import_paths(workspace, [str(path)], jobs=0)
        edited = inbox / "sua-tay-sau-khi-xuat.xlsx"  # this commune's only file: refused, it is chased
        ram_typed_as_words(spoiled, edited)
        spoiled.unlink()
        import_paths(workspace, [str(edited)], jobs=0)
    set_deadline(workspace, PERIOD, DEADLINE)
    return workspace, files


def shoot(out: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="readiness-cycle-shots-"))
    os.environ["READINESS_HOME"] = str(home)
    from PySide6.QtCore import QDate
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from make_department_screenshots import shrink
    from readiness.gui.app import choose_font
    from readiness.gui.department.window import SETTING_PERIOD, DepartmentWindow
    from readiness.gui.i18n import set_lang

    app = QApplication.instance() or QApplication([])
    choose_font(app)
    set_lang("vi")
    workspace, files = build_database(home)
    workspace.store.set_setting(SETTING_PERIOD, PERIOD)

    def settle(ms: int = 60) -> None:
        for _ in range(6):
            app.processEvents()
            QTest.qWait(ms // 6 or 1)

    def wait(condition, timeout: float = 600.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            QTest.qWait(20)
            if time.monotonic() > deadline:
                raise SystemExit("timed out waiting")
        settle()

    def save(widget, name: str) -> None:
        settle(120)
        widget.grab().save(str(out / name), "PNG")
        shrink(out / name)
        print(out / name, (out / name).stat().st_size // 1000, "KB")

    window = DepartmentWindow(workspace, today=TODAY)
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()
    wait(lambda: not window.worker.busy and window.dashboard.data is not None)
    dashboard = window.dashboard
    save(window, SHOTS[0])

    dashboard.cycle_counters["late"].click()
    wait(lambda: not window.worker.busy and not dashboard.loading)
    save(window, SHOTS[1])
    dashboard.cycle_counters["late"].click()
    wait(lambda: not window.worker.busy and not dashboard.loading)

    dialog = window.open_deadline()
    save(dialog, SHOTS[2])
    dialog.close()

    remind = window.open_remind()
    remind.date.setDate(QDate(2026, 1, 8))
    save(remind, SHOTS[3])
    remind.close()

    receipts = window.open_receipts()
    receipts.folder_edit.setText(str(home / "Giấy xác nhận" / "Tháng 12"))
    save(receipts, SHOTS[4])
    receipts.close()

    window.tabs.setCurrentWidget(window.trend)
    wait(lambda: window.trend.trend is not None and not window.trend.loading and not window.worker.busy)
    save(window, SHOTS[5])
    window.close()
    wait(lambda: not window.worker.busy)

    # the commune's side: its receipt checked against the file it sent
    from readiness.department.receipt import ReceiptOptions, issue_receipts
    from readiness.gui.main_window import MainWindow

    code = files[3].name[:5]
    (receipt,) = issue_receipts(workspace, PERIOD, home / "giay", ReceiptOptions(codes=(code,), date=TODAY))
    from readiness.service import Workspace

    commune_ws = Workspace.open(f"sqlite:///{home / 'commune.sqlite3'}")
    commune = MainWindow(commune_ws)
    commune.resize(*SIZE)
    commune.show()
    settle(300)
    check = commune.receipt_actions.open_dialog(receipt.path)
    check.file_edit.setText(str(files[3]))
    check.check_button.click()
    wait(lambda: check.result is not None)
    check.resize(900, 620)
    save(check, SHOTS[6])
    check.close()
    commune.close()
    commune_ws.close()
    workspace.close()


if __name__ == "__main__":
    raise SystemExit(main())
