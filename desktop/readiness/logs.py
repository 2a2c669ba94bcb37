"""The application's log file, and a quiet console.

Libraries log: pyHanko logs a whole traceback (at WARNING) when a certificate chain does not lead to an
installed root, although the result it returns is all we need.  With no handler configured, Python prints
such records on stderr (its "last resort" handler), so a department officer importing one commune's file
saw a page of English traceback under the coded, Vietnamese result.  :func:`configure_logging` sends every
record to ``<user data>/logs/readiness.log`` instead (the CLI, the GUI and the import workers all call it);
what people see is the coded result the command prints.

Warnings: the deprecation warnings of a dependency, listed in :data:`QUIET_WARNINGS` by category and by the
module they are raised from, go to the log only (pyHanko imports DSA from ``cryptography``, which warns
about it on every command that loads pyHanko).  Any other warning is shown as usual, and logged too.

Qt-free and light (``logging`` only); nothing here runs at import.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
MAX_BYTES, BACKUPS = 1_000_000, 3

# (warning category as "module.QualName", module prefix it is raised from): logged, not printed.
QUIET_WARNINGS: tuple[tuple[str, str], ...] = (
    # "DSA is deprecated and support will be removed in a future release": pyHanko's
    # pyhanko.sign.signers.pdf_cms imports DSAPrivateKey (we never sign or verify with DSA).
    ("cryptography.utils.CryptographyDeprecationWarning", "pyhanko."),
)

_state: dict[str, Any] = {"handler": None, "path": None, "showwarning": None}


def log_path() -> Path:
    """``<user data>/logs/readiness.log`` (the folder is made on first use)."""
    from .paths import user_data_dir

    folder = user_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "readiness.log"


def configure_logging(*, rotate: bool = True) -> Path | None:
    """Send every log record to the log file, none to the console; route warnings (see the module docstring).

    ``rotate``: the main process rotates the file; worker processes (``rotate=False``) only append to it.
    Calling again is harmless (a new data folder, as in tests, gets a new handler).  Returns the log
    file, or ``None`` when it cannot be opened (records are then dropped rather than printed).
    """
    root = logging.getLogger()
    handler = _state["handler"]
    try:
        path = log_path()
    except OSError:
        path = None
    if handler is not None and handler in root.handlers and _state["path"] == path:
        _install_warning_filter()
        return path
    if handler is not None:
        root.removeHandler(handler)
        handler.close()
    new: logging.Handler
    try:
        if path is None:
            raise OSError("no data folder")
        if rotate:
            new = _RotatingFile(path)
        else:
            new = logging.FileHandler(path, encoding="utf-8", delay=True)
        new.setFormatter(logging.Formatter(LOG_FORMAT))
    except OSError:
        new, path = logging.NullHandler(), None
    root.addHandler(new)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.raiseExceptions = False  # a log file that cannot be written is not the user's problem
    _state.update(handler=new, path=path)
    _install_warning_filter()
    return path


class _RotatingFile(logging.Handler):
    """``logging.handlers.RotatingFileHandler`` (:data:`MAX_BYTES`, :data:`BACKUPS`), made at the first record:
    ``logging.handlers`` imports ``socket``, ``pickle`` and more (~9 ms of CPU at every start, which mostly
    logs nothing); the file is opened at the first record, as with ``delay=True``."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.baseFilename = os.path.abspath(path)  # as a FileHandler names its file (errors.log_file reads it)
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            import logging.handlers

            self._file = logging.handlers.RotatingFileHandler(self.path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                              encoding="utf-8", delay=True)
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def is_quiet(category: type[Warning], module: str) -> bool:
    """Whether a warning of ``category`` raised from ``module`` is one of :data:`QUIET_WARNINGS`."""
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in category.__mro__}
    return any(name in names and (module + ".").startswith(prefix) for name, prefix in QUIET_WARNINGS)


def module_of(filename: str) -> str:
    """The dotted name of the loaded module whose source is ``filename`` ("" when none is).  In the frozen
    build a warning names its module's source relatively (``pyhanko/sign/signers/pdf_cms.py``) while the module's
    ``__file__`` is the absolute path of its compiled file: the path without its suffix is compared then."""
    relative = None if os.path.isabs(filename) else os.sep + os.path.splitext(os.path.normpath(filename))[0]
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        if file == filename or (relative and os.path.splitext(os.path.normpath(file))[0].endswith(relative)):
            return name
    return ""


def _show_warning(message: Any, category: type[Warning], filename: str, lineno: int, file: Any = None,
                  line: str | None = None) -> None:
    text = warnings.formatwarning(message, category, filename, lineno, line).rstrip()
    logging.getLogger("py.warnings").warning("%s", text)
    if file is None and is_quiet(category, module_of(filename)):
        return
    original = _state["showwarning"] or warnings._showwarning_orig  # type: ignore[attr-defined]
    original(message, category, filename, lineno, file, line)


def _install_warning_filter() -> None:
    if warnings.showwarning is _show_warning:
        return
    _state["showwarning"] = warnings.showwarning
    warnings.showwarning = _show_warning


__all__ = ["QUIET_WARNINGS", "configure_logging", "is_quiet", "log_path", "module_of"]
