"""Where the application finds its shipped data and keeps the user's data.

Shipped data (``checklists/``, ``resources/``) sits at the top of the source tree, or in the
PyInstaller bundle (``sys._MEIPASS``).  User data (the database, backups, logs) lives in the
platform's user data directory, or wherever ``READINESS_HOME`` points (tests use that).
"""

from __future__ import annotations

import os
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
