"""Screenshots of the window on the real checklist, for looking at and for docs/user-guide.md.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tests/gui/make_screenshots.py [--out DIR] [--docs]

Writes, for 1366×768 and 1920×1080 (the window as large as the screen less a taskbar), in
Vietnamese and English: every section, the summary, an error state, the commune search with its
suggestions, a finalized assessment and the history; plus 1920×1080 at 150 % scaling.  The
answers are the demo answers of an average commune for 11/2025 (readiness.demo.demo_month).  ``--docs`` also copies the
few used by the user guide into docs/screenshots/ (each checked to stay under 200 KB).

Under Xvfb the whole screen is captured (so pop-ups such as the suggestion list show); with
QT_QPA_PLATFORM=offscreen the window alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

SIZES = {"1366x768": (1366, 728), "1920x1080": (1920, 1040)}  # a 40 px taskbar below
DOCS = {  # file in the output folder -> name in docs/screenshots
    "1366x768_vi_chooser.png": "01-chon-xa.png",
    "1366x768_vi_01_general.png": "02-thong-tin-chung.png",
    "1366x768_vi_03_computers.png": "03-bang-may-tinh.png",
    "1366x768_vi_error.png": "04-loi-nhap-lieu.png",
    "1366x768_vi_summary.png": "05-tong-hop.png",
    "1366x768_vi_finalized.png": "06-da-hoan-thanh.png",
    "1366x768_vi_history.png": "07-lich-su.png",
    "1366x768_en_summary.png": "08-summary-english.png",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--docs", action="store_true", help="copy the user guide's screenshots to docs/screenshots")
    parser.add_argument("--scale", default=None, help=argparse.SUPPRESS)  # internal: one run per scale factor
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.scale is None:
        # 150 %: a separate process, the scale factor is read when Qt starts.
        env = {**os.environ, "QT_SCALE_FACTOR": "1.5"}
        subprocess.run([sys.executable, __file__, "--out", str(args.out), "--scale", "1.5"], check=True, env=env)
    shoot(args.out, hidpi=args.scale is not None)
    if args.docs and args.scale is None:
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for source, name in DOCS.items():
            shutil.copyfile(args.out / source, target / name)
            size = (target / name).stat().st_size
            if size > 200_000:
                raise SystemExit(f"{name} is {size // 1000} KB, more than 200 KB")
            print(f"docs/screenshots/{name}: {size // 1000} KB")
    return 0


def shoot(out: Path, *, hidpi: bool) -> None:
    home = Path(tempfile.mkdtemp(prefix="readiness-shots-"))
    os.environ["READINESS_HOME"] = str(home)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui_helpers import type_text
    from readiness.demo import demo_month
    from readiness.gui.app import choose_font
    from readiness.gui.i18n import set_lang
    from readiness.gui.main_window import MainWindow
    from readiness.service import Workspace

    app = QApplication.instance() or QApplication([])
    choose_font(app)
    screen_capture = QApplication.platformName() == "xcb"
    db_url = f"sqlite:///{home / 'shots.sqlite3'}"
    workspace = Workspace.open(db_url)
    store = workspace.store
    today = dt.date(2025, 11, 24)
    session = workspace.session("23500", "2025-11")
    demo = demo_month(session.checklist, session.commune, "2025-11", today=today, profile="average")
    problems = session.set_answers(demo.answers)
    assert problems == [], problems
    workspace.session("23524" if _exists(store, "23524") else "23500", "2025-10")  # a second, empty period

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
            QTest.qWait(30)

    def grab(window, name: str) -> None:
        settle()
        if screen_capture:
            geometry = window.frameGeometry()
            pixmap = window.screen().grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        else:
            pixmap = window.grab()
        pixmap.save(str(out / name))
        print(out / name)

    sizes = {"1920x1080@150%": (1280, 693)} if hidpi else SIZES
    for size_name, (width, height) in sizes.items():
        for code in ("vi", "en"):
            set_lang(code)
            window = MainWindow(workspace, auto_open=False, )
            window.resize(width, height)
            window.move(0, 0)
            window.show()
            window.open_assessment("23500", "2025-11")
            prefix = f"{size_name}_{code}"
            for row, section in enumerate(window.ops.checklist.sections, start=1):
                window.go_to_section(section.id)
                window.form(section.id).verticalScrollBar().setValue(0)
                grab(window, f"{prefix}_{row:02d}_{section.id}.png")
            window.show_summary()
            grab(window, f"{prefix}_summary.png")
            if hidpi:
                window.close()
                continue

            # an error state: a refused e-mail, a refused number, required answers missing
            window.open_assessment("23500", "2025-10")
            general = window.form("general")
            email = general.items["respondent_email"].editor.edit
            QTest.keyClicks(email, "vanphong.dakha@")
            QTest.keyClick(email, Qt.Key.Key_Return)
            officers = general.items["officers"].editor.edit
            type_text(officers, "mười lăm")
            QTest.keyClick(officers, Qt.Key.Key_Return)
            window.next_section()
            window.previous_section()
            general.verticalScrollBar().setValue(0)
            grab(window, f"{prefix}_error.png")

            # the commune search with its suggestions
            field = window.chooser.commune
            field.clear()
            field.setFocus()
            QTest.keyClicks(field, "dak")
            grab(window, f"{prefix}_chooser.png")
            field.completer_.popup().hide()

            # finalized, then the history
            window.open_assessment("23500", "2025-11")
            window.ops.session.finalize()
            window.ops.reopen()
            window.ops.session.finalize()
            window.ops.lifecycle.emit()
            window.ops.refreshed.emit()
            window.show_summary()
            grab(window, f"{prefix}_finalized.png")
            window.ops.reopen()  # revision 3, a draft: the history shows all three
            window.show_history()
            dialog = window.history_dialog
            settle()
            dialog.move(window.x() + 80, window.y() + 120)
            if screen_capture:
                grab(window, f"{prefix}_history.png")
            else:
                dialog.grab().save(str(out / f"{prefix}_history.png"))
            dialog.close()
            window.close()
            # fresh periods for the next round
            _reset(workspace)
            session = workspace.session("23500", "2025-11")
            assert session.set_answers(demo.answers) == []
    set_lang("vi")
    workspace.close()
    shutil.rmtree(home, ignore_errors=True)


def _exists(store, code: str) -> bool:
    try:
        store.commune(code)
        return True
    except Exception:  # noqa: BLE001
        return False


def _reset(workspace) -> None:
    """Drop every assessment so the next language starts from the same state."""
    from sqlalchemy import delete

    from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow, TableRowRow

    with workspace.store.transaction() as session:
        for model in (PetitionRow, TableRowRow, AnswerRow, AssessmentRow):
            session.execute(delete(model))


if __name__ == "__main__":
    sys.exit(main())
