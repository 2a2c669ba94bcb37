"""Fixtures of the status / report / petition tests (imported by those modules, so the shared
conftest stays the import tests' own).

``crafted``: one commune in each state of the register for period 2025-11, on a checklist library
holding v1 (the real checklist) and v2 (the same with version 2), so "outdated" is real.
``report_ws``: a module-wide database of 14 finalized communes (some behind, so some are not
ready), one draft, and petitions in every handling state.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from demo_db import populate
from samples import TODAY

PERIOD = "2025-11"
REF = "Công văn 2984/SKHCN-VP ngày 20/11/2025"


def make_v2_library(folder: Path):
    """A library with the real checklist as v1 and a v2 (version bumped, a threshold label changed)."""
    from readiness.checklist.loader import ChecklistLibrary
    from readiness.paths import checklists_dir

    source = checklists_dir() / "one-stop-shop-it-readiness" / "v1.yaml"
    target = folder / "checklists" / "one-stop-shop-it-readiness"
    target.mkdir(parents=True)
    shutil.copy(source, target / "v1.yaml")
    text = source.read_text(encoding="utf-8")
    assert "\nversion: 1\n" in text
    (target / "v2.yaml").write_text(text.replace("\nversion: 1\n", "\nversion: 2\n", 1), encoding="utf-8")
    return ChecklistLibrary(folder / "checklists")


def finalize_revision(workspace, code: str, period: str = PERIOD, *, change: dict | None = None):
    """Reopen a finalized assessment as a new revision, optionally change answers, finalize it."""
    from readiness.answers import coerce_all
    from readiness.scoring import score

    store = workspace.store
    checklist = workspace.latest_checklist()
    info = store.reopen(code, period, checklist)
    if change:
        values, errors = coerce_all(checklist, change)
        assert not errors, errors
        store.save_answers(info.id, checklist, values)
    answers = store.load_answers(info.id, checklist)
    return store.finalize(info.id, checklist, score(checklist, answers, today=TODAY))


@dataclass
class Crafted:
    workspace: object
    codes: dict[str, str]  # role -> commune code
    v1: object
    v2: object


CRAFTED_CODES = {"submitted": "23500", "resubmitted": "21034", "outdated": "23377", "draft": "21025",
                 "newer_draft": "21499", "missing": "23302"}


def _build_crafted(url: str) -> None:
    import tempfile

    from readiness.service import Workspace
    from readiness.store.db import Store

    with tempfile.TemporaryDirectory() as folder:
        library = make_v2_library(Path(folder))
        workspace = Workspace(Store.open(url), library)
        try:
            _craft(workspace, library)
        finally:
            workspace.close()


@pytest.fixture
def crafted(tmp_path, prepare_db):
    """Built once per test process and copied for each test (``prepare_db``)."""
    from readiness.service import Workspace
    from readiness.store.db import Store

    url = prepare_db("crafted", _build_crafted)
    library = make_v2_library(tmp_path)
    workspace = Workspace(Store.open(url), library)
    yield Crafted(workspace, dict(CRAFTED_CODES), library.get("one-stop-shop-it-readiness", 1),
                  library.get("one-stop-shop-it-readiness", 2))
    workspace.close()


def _craft(workspace, library) -> None:
    v1 = library.get("one-stop-shop-it-readiness", 1)
    v2 = library.get("one-stop-shop-it-readiness", 2)
    communes = {c.code: c for c in workspace.store.communes()}
    codes = CRAFTED_CODES
    pick = lambda role: [communes[codes[role]]]  # noqa: E731
    populate(workspace, pick("submitted"), PERIOD, today=TODAY, seed=11, profiles=["ready"])
    populate(workspace, pick("resubmitted"), PERIOD, today=TODAY, seed=12, profiles=["average"])
    finalize_revision(workspace, codes["resubmitted"])
    populate(workspace, pick("outdated"), PERIOD, today=TODAY, seed=13, profiles=["behind"], checklist=v1)
    populate(workspace, pick("draft"), PERIOD, today=TODAY, seed=14, profiles=["average"], finalize=False)
    populate(workspace, pick("newer_draft"), PERIOD, today=TODAY, seed=15, profiles=["ready"])
    workspace.store.reopen(codes["newer_draft"], PERIOD, v2)


@pytest.fixture(scope="module")
def report_ws(tmp_path_factory):
    """14 finalized communes of Quảng Ngãi, 1 draft, petitions forwarded / answered / resolved."""
    from readiness.department.petitions import list_petitions, update_petition
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("report")
    workspace = Workspace.open(f"sqlite:///{folder / 'report.sqlite3'}")
    communes = workspace.store.communes()
    chosen = communes[::7][:15]
    populate(workspace, chosen[:14], PERIOD, today=TODAY, seed=2025,
             profiles=["ready", "average", "behind", "behind", "average"])
    populate(workspace, chosen[14:], PERIOD, today=TODAY, seed=99, finalize=False)
    petitions = list_petitions(workspace, period=PERIOD)
    update_petition(workspace, petitions[0].id, status="forwarded", forwarded_to="Sở Tài chính")
    update_petition(workspace, petitions[1].id, status="answered", response_ref=REF)
    update_petition(workspace, petitions[2].id, status="resolved", response_ref=REF,
                    response="hướng dẫn địa phương nâng cấp cấu hình máy tính")
    yield workspace
    workspace.close()


_MADE_AT = re.compile(r"lập lúc \d\d/\d\d/\d{4} \d\d:\d\d")


def xlsx_values(path) -> dict[str, list[tuple]]:
    """Every sheet's values; the summary's «lập lúc dd/mm/yyyy HH:MM» (each run's own clock) as «lập lúc …», so two
    runs either side of a minute still compare equal."""
    from openpyxl import load_workbook

    def same(value):
        return _MADE_AT.sub("lập lúc …", value) if isinstance(value, str) else value

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: [tuple(same(v) for v in row) for row in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets}
    finally:
        book.close()


def flat(text: str) -> str:
    """Text with white space collapsed and NFC (PDF extraction breaks lines anywhere)."""
    import re
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


__all__ = ["Crafted", "PERIOD", "REF", "TODAY", "crafted", "finalize_revision", "flat", "make_v2_library", "report_ws"]
_ = dt


def two_scoring_workers(monkeypatch) -> list:
    """``score_many`` set to score in a pool of two workers however few the assessments (batches of ten); returns
    the list each pool it starts is appended to (:func:`readiness.workers.process_pool`'s, to see its processes)."""
    from readiness import workers
    from readiness.department import bulk

    monkeypatch.setattr(bulk, "PARALLEL_MIN", 1)
    monkeypatch.setattr(bulk, "_worker_count", lambda requested, jobs: 2)
    pools: list = []
    original = workers.process_pool

    def process_pool(*args, **kwargs):
        pools.append(original(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(workers, "process_pool", process_pool)
    return pools
