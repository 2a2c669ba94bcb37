"""Shared fixtures: every test gets its own user-data folder and a fresh database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "desktop") not in sys.path:  # running without `pip install -e .`
    sys.path.insert(0, str(ROOT / "desktop"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READINESS_HOME", str(home))
    monkeypatch.delenv("READINESS_DB", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def store(db_url):
    from readiness.store.db import Store

    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def workspace(db_url):
    from readiness.service import Workspace

    opened = Workspace.open(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def real_checklist():
    from readiness.checklist.loader import default_library

    return default_library().latest()


@pytest.fixture
def small():
    """The small inline checklist of tests/samples.py (every item type), loaded."""
    from readiness.checklist.loader import load_checklist_text

    from samples import SMALL

    return load_checklist_text(SMALL, "small.yaml")


@pytest.fixture
def small_library(tmp_path):
    """A checklist folder holding only the small checklist (``small-test@1``)."""
    from readiness.checklist.loader import ChecklistLibrary

    from samples import SMALL

    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "checklists")
