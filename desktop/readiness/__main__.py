"""Entry point: ``readiness`` with no command starts the GUI; with a command, the CLI.

``readiness --selftest`` checks a build (frozen or not): the core self-test (database, checklist,
PDF, workbook) and that Qt can create and paint a window.  It exits 0 when everything works.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GLOBAL_OPTIONS = {"--db", "--lang"}


def _qt_smoke_test() -> str:
    """Qt can start, find its platform plugin and fonts, and paint Vietnamese text."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["readiness-selftest"])
    label = QLabel("Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc")
    label.resize(label.sizeHint())
    image = label.grab().toImage()
    if image.isNull() or image.width() == 0:
        raise RuntimeError("Qt could not paint a widget")
    label.deleteLater()
    app.processEvents()
    from PySide6.QtCore import QCoreApplication

    from readiness.gui.qt_translations import apply, qm_path

    if not apply("vi") or QCoreApplication.translate("QPlatformTheme", "Cancel") != "Huỷ":
        raise RuntimeError(f"Qt's Vietnamese translation is missing or unreadable: {qm_path()}")
    apply("en")
    detail = f"nền tảng {QApplication.platformName()}, Qt tiếng Việt"
    if sys.platform.startswith("linux"):
        # On Linux QtCore sorts and changes case through ICU, whose data the frozen build keeps for the root,
        # Vietnamese and English only (freeze/icu_data.py): Vietnamese collation puts «đ» after every «d».
        from PySide6.QtCore import QCollator, QLocale

        collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        if sorted(["đa", "dz"], key=collator.sortKey) != ["dz", "đa"] or QLocale("vi_VN").toUpper("đắk") != "ĐẮK":
            raise RuntimeError("Qt's ICU data has no Vietnamese collation")
        detail += ", ICU sắp xếp tiếng Việt"
    return detail


def selftest() -> int:
    from readiness.logs import configure_logging
    from readiness.paths import user_data_dir
    from readiness.selftest import run_selftest

    configure_logging()

    lines: list[str] = []

    def print_line(text: str) -> None:
        lines.append(text)
        try:
            print(text, flush=True)
        except (OSError, ValueError):  # a windowed build on Windows has no console
            pass

    status = run_selftest(print_line, extra_steps=(("Giao diện Qt", _qt_smoke_test),))
    try:
        (user_data_dir() / "selftest.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass
    return status


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # the importer and the scorer use worker processes; frozen builds need this
        import multiprocessing

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if "--selftest" in args:
        return selftest()
    # Only global options (or nothing): the user wants the window.
    rest = [a for i, a in enumerate(args) if a not in GLOBAL_OPTIONS and (i == 0 or args[i - 1] not in GLOBAL_OPTIONS)]
    if not rest:
        from readiness.gui.app import run

        return run(args)
    from readiness.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
