"""Starting the window: ``readiness`` (no command), ``readiness --db URL --lang en``.

The window is shown before the heavy parts load (the database layer, the checklist, the register
search): Qt and the window first, then the workspace on the first turn of the event loop.  With
``READINESS_TIMING=1`` a line ``READINESS_TIMING ...`` on stdout says how long each step took
(``tests/benchmarks/bench_gui_start.py`` reads it).  An unexpected error is written to the log
in the user data folder and shown in Vietnamese instead of the program vanishing.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, cast
from pathlib import Path

_STARTED = time.perf_counter()

from .fonts import VIETNAMESE_SAMPLE, choose_font, covers_vietnamese  # noqa: E402,F401 - after the clock; scripts import them here

ORGANIZATION = "SoKHCN-QuangNgai"
APPLICATION = "SanSangMotCua"
DISPLAY_NAME = "Sẵn sàng Một cửa"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="readiness", add_help=False)
    parser.add_argument("--db", default=None)
    parser.add_argument("--lang", choices=("vi", "en"), default=None)
    args, _unknown = parser.parse_known_args(list(argv or []))
    # READINESS_EXIT_AFTER_START=1: show the window, load the workspace, quit (benchmarks, tests);
    # problems then go to stderr instead of a message box nobody would close.
    args.exit_after_start = os.environ.get("READINESS_EXIT_AFTER_START") == "1"
    return args


class _Timing:
    """Milliseconds since this module was imported; the process's CPU time (``cpu_ms``, since the interpreter
    started) and the window's memory with each report.

    Nothing is imported for it on the path being measured (psutil costs tens of milliseconds): the
    memory is read from ``/proc/self/statm`` where there is one, else with psutil after the marks.
    """

    def __init__(self) -> None:
        self.enabled = os.environ.get("READINESS_TIMING") == "1"
        self.marks: dict[str, float] = {}

    def mark(self, name: str) -> None:
        self.marks[name] = (time.perf_counter() - _STARTED) * 1000

    def report(self, event: str) -> None:
        if not self.enabled:
            return
        parts = " ".join(f"{k}={v:.0f}" for k, v in self.marks.items())
        parts += f" cpu_ms={time.process_time() * 1000:.0f}"  # user + system, this process (threads included)
        rss = _rss_mb()  # issue 16: at most 150 MB with an assessment open
        if rss is not None:
            parts += f" rss_mb={rss:.0f}"
        print(f"READINESS_TIMING event={event} {parts}", flush=True)


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except Exception:  # noqa: BLE001 - timing is best effort
        return None


def quiet_pyside_import_hook() -> None:
    """Stop PySide6 reading the source of every module imported after it.

    PySide6 wraps ``__import__`` and, for each new module, reads its whole source file
    (``inspect.getsource``, kept in ``linecache``) to see whether it names "PySide6", which only
    matters to modules that switch on its ``__feature__`` options (snake_case, true_property).
    This program uses none.  Measured at start: ~13 % of the CPU of every import after Qt, and
    ~20 MB of source text held in memory.  The module is a private part of PySide6: if it is not
    there as expected, nothing is changed.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature  # type: ignore[attr-defined]


def _uses_no_feature(_module: object) -> bool:
    return False


def run(argv: Sequence[str] | None = None) -> int:
    """Start the application; returns the exit code (0 normal, 1 the database could not be opened)."""
    gc.disable()  # until the window is ready (see _start_collecting)
    try:
        return _run(argv)
    finally:
        _start_collecting()


def _start_collecting() -> None:
    """The cyclic garbage collector, off while the window starts, on again: the objects alive now (modules,
    classes, Qt's wrappers, the open assessment: nearly all of them kept for the whole session) move to the
    permanent generation first, so that later collections walk only what is new.

    Measured at start: the collector ran 82 times while the program imported its modules and built the window
    (1.8 % of the instructions to the first typed answer) and found almost nothing to free: with it off until
    the assessment was open, one full collection then freed 510 objects of 38,143 (and took 19 ms itself).
    Those few stay in the permanent generation; reference counting frees everything else as before."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    timing = _Timing()
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")

    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    quiet_pyside_import_hook()
    timing.mark("qt_imported")
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = cast(QApplication, QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "readiness"]))
    QGuiApplication.setApplicationDisplayName(DISPLAY_NAME)
    from .i18n import set_lang, t
    from .icons import icon

    # No QCoreApplication.setApplicationVersion: nothing reads Qt's copy of the version, and reading it from
    # the installed metadata (importlib.metadata) cost ~21 ms of CPU at every start; «Giới thiệu» shows
    # readiness.__version__ itself.
    app.setWindowIcon(icon("app"))
    choose_font(app)
    set_lang(args.lang or "vi")
    from .qt_translations import follow_language

    follow_language()  # before the first window: Qt's own words in Vietnamese (English installs none)
    log_file = install_excepthook()

    from .main_window import MainWindow

    window = MainWindow()
    place_window(window)
    timing.mark("shown")
    timing.report("shown")
    state: dict[str, Any] = {"code": 0, "workspace": None}

    def load() -> None:
        try:
            open_workspace()
        finally:
            _start_collecting()  # (already on when the assessment opened)

    def open_workspace() -> None:
        from ..checklist.loader import ChecklistInvalid
        from ..service import Workspace
        from .i18n import t
        from .operations import StoreError, error_text

        interactive = not args.exit_after_start
        try:
            workspace = Workspace.open(args.db, window=True)  # no SQLAlchemy until something needs it
            state["workspace"] = workspace
            workspace.latest_checklist()
        except StoreError as error:
            _fatal(window, t("Không mở được dữ liệu", "Cannot open the data"), error_text(error), interactive=interactive)
            state["code"] = 1
            app.exit(1)
            return
        except (KeyError, ChecklistInvalid) as error:
            _fatal(window, t("Thiếu bảng kiểm", "Checklist missing"), t(
                f"Bảng kiểm đánh giá trong bộ cài bị thiếu hoặc hỏng ({error}). Hãy cài lại phần mềm.",
                f"The assessment checklist is missing or damaged ({error}). Reinstall the program."),
                   interactive=interactive)
            state["code"] = 1
            app.exit(1)
            return
        except Exception as error:  # noqa: BLE001 - any database driver error: say it, log it, stop
            import logging

            logging.getLogger(__name__).exception("cannot open the workspace")
            _fatal(window, t("Không mở được dữ liệu", "Cannot open the data"), t(
                f"Không mở được cơ sở dữ liệu ({type(error).__name__}: {error}).\n\n"
                f"Chi tiết đã được ghi vào {log_file}. Hãy gửi tệp này cho cán bộ hỗ trợ.",
                f"The database could not be opened ({type(error).__name__}: {error}).\n\n"
                f"Details were written to {log_file}. Send this file to your support contact."),
                   interactive=interactive)
            state["code"] = 1
            app.exit(1)
            return
        window.statusBar().clearMessage()
        window.set_workspace(workspace, restore_language=args.lang is None)
        _start_collecting()
        timing.mark("ready")
        timing.report("ready")
        if args.exit_after_start:
            print("READINESS_STARTED", flush=True)
            text = os.environ.get("READINESS_TYPE_AFTER_START")
            if text:
                _type_after_start(window, text, timing, state)
            else:
                QTimer.singleShot(0, window.close)

    window.statusBar().showMessage(t("Đang mở dữ liệu…", "Opening the data…"))
    app.processEvents()  # the window painted, with that message, before the data loads
    QTimer.singleShot(0, load)  # (a 20 ms timer here left the process idle after the paint)
    code = app.exec()
    window.flush()
    workspace = state["workspace"]
    if workspace is not None:
        workspace.close()
    return int(state["code"]) or code


def _type_after_start(window, text: str, timing: _Timing, state: dict[str, Any]) -> None:
    """``READINESS_TYPE_AFTER_START=TEXT`` (with READINESS_EXIT_AFTER_START, for the start benchmark): type
    TEXT where the cursor is, as an officer would, press Enter, and close once the answer is committed
    (``saved``); exit code 2 when nothing was saved within 60 s."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent

    target = window.focusWidget()
    if target is None or window.ops is None:
        print("READINESS_TYPE_AFTER_START: no question has the cursor", file=sys.stderr, flush=True)
        state["code"] = 2
        QTimer.singleShot(0, window.close)
        return

    def saved(_item_id: str) -> None:
        if "saved" in timing.marks:
            return
        timing.mark("saved")
        timing.report("saved")
        QTimer.singleShot(0, window.close)

    def too_late() -> None:
        if "saved" not in timing.marks:
            print("READINESS_TYPE_AFTER_START: the answer was not saved", file=sys.stderr, flush=True)
            state["code"] = 2
            window.close()

    window.ops.saved.connect(saved)
    QTimer.singleShot(60_000, too_late)
    typed = QInputMethodEvent()
    typed.setCommitString(text)  # Vietnamese text arrives as an input method's commit string
    QCoreApplication.sendEvent(target, typed)
    timing.mark("typed")
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))


def _fatal(parent, title: str, message: str, *, interactive: bool = True) -> None:
    if not interactive:  # READINESS_EXIT_AFTER_START: nobody is there to press OK
        print(f"{title}: {message}", file=sys.stderr, flush=True)
        return
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, title, message)


def place_window(window) -> None:
    """Maximized on small screens (1366×768 laptops), a comfortable size centred otherwise."""
    screen = window.screen() or window.windowHandle()
    from PySide6.QtGui import QGuiApplication

    available = (screen or QGuiApplication.primaryScreen()).availableGeometry()
    if available.width() < 1500 or available.height() < 900:
        window.resize(available.width(), available.height())
        window.showMaximized()
        return
    width, height = min(1440, int(available.width() * 0.8)), min(940, int(available.height() * 0.85))
    window.resize(width, height)
    window.move(available.x() + (available.width() - width) // 2, available.y() + (available.height() - height) // 2)
    window.show()


# -- unexpected errors ------------------------------------------------------------------------------

_in_hook = False


def log_path() -> Path:
    from ..logs import log_path as core_log_path

    return core_log_path()


def install_excepthook() -> Path:
    """Log to ``<user data>/logs/readiness.log`` (:func:`readiness.logs.configure_logging`); show unexpected
    errors in Vietnamese."""
    import logging
    import threading

    from ..logs import configure_logging

    path = configure_logging() or log_path()

    def hook(exc_type, exc, tb) -> None:
        global _in_hook
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        logging.getLogger("readiness").error("unexpected error", exc_info=(exc_type, exc, tb))
        if _in_hook:
            return
        _in_hook = True
        try:
            show_unexpected_error(exc, path)
        except Exception:  # noqa: BLE001 - never fail while reporting a failure
            sys.__excepthook__(exc_type, exc, tb)
        finally:
            _in_hook = False

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(args.exc_type, args.exc_value, args.exc_traceback)
    return path


def show_unexpected_error(exc: BaseException, path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .i18n import t

    if QApplication.instance() is None:
        return
    QMessageBox.critical(
        QApplication.activeWindow(), t("Lỗi không mong muốn", "Unexpected error"),
        t("Chương trình gặp lỗi không mong muốn. Các câu trả lời đã lưu không bị mất.\n\n"
          f"Chi tiết đã được ghi vào tệp:\n{path}\nHãy gửi tệp này cho cán bộ hỗ trợ.\n\n"
          f"({type(exc).__name__}: {exc})",
          "The program hit an unexpected error. Saved answers are not lost.\n\n"
          f"Details were written to:\n{path}\nPlease send this file to your support contact.\n\n"
          f"({type(exc).__name__}: {exc})"))
