"""Where the application finds its shipped data and keeps the user's data.

Shipped data (``checklists/``, ``resources/``) sits at the top of the source tree, or in the
PyInstaller bundle (``sys._MEIPASS``).  User data (the database, backups, logs) lives in the
platform's user data directory, or wherever ``READINESS_HOME`` points (tests use that).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP_NAME = "SanSangMotCua"
APP_AUTHOR = "SoKHCN-QuangNgai"


def app_root() -> Path:
    """The folder that holds ``checklists/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def checklists_dir() -> Path:
    """Installed checklist definitions; ``READINESS_CHECKLISTS`` points elsewhere (trying a draft version)."""
    override = os.environ.get("READINESS_CHECKLISTS")
    return Path(override) if override else app_root() / "checklists"


def resources_dir() -> Path:
    return app_root() / "resources"


def user_data_dir() -> Path:
    """The per-user data folder, created on first use."""
    override = os.environ.get("READINESS_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, APP_AUTHOR, roaming=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "readiness.sqlite3"


def backups_dir() -> Path:
    path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settle_mode(temp: Path, target: Path) -> None:
    """Give a temporary file that is about to become ``target`` the mode ``target`` should have: the mode of the
    file it replaces, or for a new file what the user's umask gives (usually ``rw-r--r--``), as ``open()`` would.

    ``tempfile.mkstemp`` makes its file readable by its owner only; renamed over the destination as it is, every
    report, letter and signed workbook would become unreadable to the colleagues sharing the folder.  POSIX only:
    Windows files have no such mode (their folder's permissions apply)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(temp, mode)


def _umask() -> int:
    """The process's umask, read without changing it where the kernel says it (Linux 4.7+: another thread creating a
    file meanwhile would otherwise get the wrong mode); else set and put back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
