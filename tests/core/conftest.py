from __future__ import annotations

import datetime as dt

import pytest

from samples import SMALL




@pytest.fixture
def small():
    from readiness.checklist.loader import load_checklist_text

    return load_checklist_text(SMALL, "small.yaml")


@pytest.fixture
def small_library(tmp_path):
    from readiness.checklist.loader import ChecklistLibrary

    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "checklists")
