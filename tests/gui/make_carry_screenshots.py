"""Screenshots of carry forward (issue 14 §1), Vietnamese and English, at 1366×768:

the offer «Bắt đầu từ kỳ 10/2026», a section of a carried draft (what still needs this period, the
confirmation), a changed answer and a changed PC, the section confirmed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_carry_screenshots.py OUT_DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_carry_screenshots.py --docs   # docs/screenshots (vi)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT / "tests"), str(ROOT / "tests" / "gui")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("READINESS_HOME", tempfile.mkdtemp(prefix="carry-shots-"))

TODAY = dt.date(2026, 11, 24)
DOCS = {  # docs/screenshots name -> the picture taken in Vietnamese
    "09-bat-dau-tu-ky-truoc.png": "offer",
    "10-can-xem-ky-nay.png": "internet",
    "11-thay-doi-so-voi-ky-truoc.png": "computers",
}


def main(argv: list[str]) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from carry_samples import finalized_previous, realistic_answers
    from readiness.gui.i18n import set_lang
    from readiness.gui.main_window import MainWindow
    from readiness.service import Workspace

    docs = "--docs" in argv
    out = ROOT / "docs" / "screenshots" if docs else Path(next(a for a in argv if not a.startswith("--")))
    out.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(f"sqlite:///{tempfile.mkdtemp()}/carry.sqlite3")
    finalized_previous(workspace, realistic_answers())
    shots: dict[str, Path] = {}

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        shots[name] = path
        print(path)

    for code, period in (("vi", "2026-11"), ("en", "2026-12")):
        set_lang(code)
        window = MainWindow(workspace, auto_open=False)
        window.resize(1366, 740)
        window.show()

        def answer_offer(code=code) -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, answer_offer)
                return
            save(dialog, f"{code}_offer.png")
            QTest.keyClick(dialog, Qt.Key.Key_Return)

        QTimer.singleShot(0, answer_offer)
        assert window.open_assessment("23500", period)
        window.ops.session.today = TODAY
        window.ops.refreshed.emit()
        window.go_to_section("internet")
        save(window, f"{code}_internet.png")
        window.go_to_section("general")
        window.ops.save("officers", "32")
        window.ops.refreshed.emit()
        general = window.form("general")
        general.ensureWidgetVisible(general.items["counters"])
        save(window, f"{code}_general_changed.png")
        window.go_to_section("computers")
        table = window.form("computers").items["pcs"].table
        model = table.model
        model.setData(model.index(2, model.column_index("ram_gb")), 32, Qt.ItemDataRole.EditRole)
        save(window, f"{code}_computers.png")
        window.go_to_section("general")
        general.carry_panel.confirm()
        general.verticalScrollBar().setValue(0)
        save(window, f"{code}_general_confirmed.png")
        window.close()
    workspace.close()
    if docs:
        for name, picture in DOCS.items():
            shots[f"vi_{picture}.png"].replace(out / name)
        for path in out.glob("*_*.png"):
            if path.name.startswith(("vi_", "en_")):
                path.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
