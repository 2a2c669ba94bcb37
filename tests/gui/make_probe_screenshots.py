"""Screenshots of the probes' buttons at work (fake probes, real checklist, demo answers), for looking at.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_probe_screenshots.py [--out DIR] [--lang vi|en]

Writes: the PC table with a detected row (``probe_pcs.png``), the Internet section with the
measured values and their notes (``probe_internet.png``), the progress dialog during a measurement
(``probe_progress.png``), the signing check (``probe_signing.png``), the "no configuration"
message (``probe_no_config.png``).  Local time is Việt Nam's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT / "desktop", ROOT / "tests", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots" / "probes")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--size", default="1366x728")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["TZ"] = "ICT-7"
    time.tzset()
    home = Path(tempfile.mkdtemp(prefix="readiness-probe-shots-"))
    os.environ["READINESS_HOME"] = str(home)
    try:
        shoot(args.out, args.lang, tuple(int(x) for x in args.size.split("x")), home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


def shoot(out: Path, code: str, size: tuple[int, int], home: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from readiness.demo import demo_answers
    from readiness.gui import probe_actions
    from readiness.gui.app import choose_font
    from readiness.gui.i18n import set_lang
    from readiness.gui.main_window import MainWindow
    from readiness.service import Workspace
    from test_probe_actions import network_report, pc_report, signing_report

    app = QApplication.instance() or QApplication([])
    choose_font(app)
    set_lang(code)
    workspace = Workspace.open(f"sqlite:///{home / 'shots.sqlite3'}")
    session = workspace.session("23500", "2025-11")
    demo = demo_answers(session.checklist, session.commune, seed=11, today=dt.date(2026, 11, 24), profile="average")
    answers = {k: v for k, v in demo.answers.items() if k not in ("measured_down_mbps", "measured_up_mbps", "latency_ms")}
    assert session.set_answers(answers) == []

    def settle() -> None:
        for _ in range(6):
            app.processEvents()
            QTest.qWait(30)

    def save(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / name))
        print(out / name)

    def wait(condition, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the fake probe did not finish")
            app.processEvents()
            QTest.qWait(20)

    window = MainWindow(workspace, auto_open=False)
    window.resize(*size)
    window.show()
    window.open_assessment("23500", "2025-11")

    # The PC table with a detected row.
    probe_actions.probe_pc = lambda: (time.sleep(0.3), pc_report())[1]
    window.go_to_section("computers")
    form = window.form("computers")
    pcs = form.items["pcs"]
    pcs.probe.button.click()
    wait(lambda: not pcs.probe.busy)
    form.ensureWidgetVisible(pcs.probe.panel, 0, 40)
    save(window, "probe_pcs.png")

    # No configuration yet.
    probe_actions.find_config = lambda: None
    window.go_to_section("internet")
    internet = window.form("internet")
    down = internet.items["measured_down_mbps"]
    down.probe.button.click()
    internet.ensureWidgetVisible(down.probe.panel, 0, 60)
    save(window, "probe_no_config.png")

    # Measuring: the progress dialog, then the notes.
    config = home / "network.yaml"
    config.write_text('endpoints:\n  - {name: "Sở KH&CN", download_url: "http://10.0.0.5/25MB.bin"}\n', encoding="utf-8")
    probe_actions.find_config = lambda: config
    halfway = threading.Event()
    go_on = threading.Event()

    def fake_measure(endpoints, *, streams, time_cap_s, progress, cancel):
        progress(0.05, "Đang đo độ trễ…")
        time.sleep(0.1)
        progress(0.42, "Đang đo tốc độ tải xuống… (48.3 MB)")  # the probe's own words
        halfway.set()
        go_on.wait(10)
        return network_report()

    probe_actions.measure = fake_measure
    down.probe.button.click()
    wait(halfway.is_set)
    wait(lambda: down.probe.dialog is not None and down.probe.dialog.value() >= 400)
    save(down.probe.dialog, "probe_progress.png")
    save(window, "probe_progress_window.png")
    go_on.set()
    wait(lambda: not down.probe.busy)
    settle()  # the notes' layout done before scrolling to them (else the scroll lands a few pixels short, by chance)
    internet.ensureWidgetVisible(internet.items["latency_ms"], 0, 40)
    save(window, "probe_internet.png")

    # The signing check.
    probe_actions.probe_signing = signing_report
    window.go_to_section("signatures")
    signatures = window.form("signatures")
    certificates = signatures.items["certificates"]
    certificates.probe.button.click()
    wait(lambda: certificates.probe.dialog is not None)
    save(certificates.probe.dialog, "probe_signing.png")
    certificates.probe.dialog.add_button.click()
    save(certificates.probe.dialog, "probe_signing_added.png")
    certificates.probe.dialog.close()
    signatures.ensureWidgetVisible(certificates.probe.panel, 0, 40)
    save(window, "probe_certificates.png")
    window.close()
    workspace.close()


if __name__ == "__main__":
    raise SystemExit(main())
