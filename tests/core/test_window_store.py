"""The window's store (:class:`readiness.store.window.WindowStore`): the first view and typed answers
through sqlite3, with the Store's own statements, and the same rows in the database as the Store writes;
anything else from the full Store; no SQLAlchemy imported for opening an assessment and typing into it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from readiness.service import Workspace
from readiness.store.db import Store, StoreError
from readiness.store.window import WindowStore

from samples import finalized_small

ROOT = Path(__file__).resolve().parents[2]


def _rows(url: str) -> dict[str, list[tuple]]:
    """What is in the file, as stored (types included): answers, settings, each draft's updated_at format."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return {
            "answers": connection.execute(
                "SELECT item_id, value, typeof(value), source, meta, typeof(meta), length(updated_at) "
                "FROM answers ORDER BY item_id").fetchall(),
            "meta": connection.execute("SELECT key, value FROM meta WHERE key LIKE 'gui.%' ORDER BY key").fetchall(),
            "assessments": connection.execute(
                "SELECT commune_code, period, revision, status, length(updated_at), updated_at > created_at "
                "FROM assessments ORDER BY commune_code, period, revision").fetchall(),
        }
    finally:
        connection.close()


def _typing(store, workspace: Workspace) -> None:
    """What the window does: open the period, save, replace, measure, retype and remove answers, remember it."""
    session = workspace.session("23500", "2025-11")
    checklist = session.checklist
    store.save_answer(session.info.id, checklist, "respondent", "Nguyễn Thị \"Hồng\" Nhung")
    store.save_answer(session.info.id, checklist, "officers", 12)
    store.save_answer(session.info.id, checklist, "officers", 40, source="measured", meta={"tool": "probe", "n": 3})
    store.save_answer(session.info.id, checklist, "download", 95.5)
    store.save_answer(session.info.id, checklist, "report_date", dt.date(2025, 11, 3))
    store.save_answer(session.info.id, checklist, "has_fibre", True)
    store.save_answer(session.info.id, checklist, "download", None)
    store.set_setting("gui.last_commune", "23500")
    store.set_setting("gui.last_period", "2025-11")
    store.set_setting("gui.last_period", "2025-12")


def test_window_store__typing__the_same_rows_as_the_store(sqlite_copy, small_library):
    """The same answers typed through the Store and through the WindowStore leave the same rows (values and
    metadata as JSON of the same text and type, times in the same format), read back equal by both."""
    written = {}
    for name, window in (("orm", False), ("window", True)):
        url = sqlite_copy(name)
        with Workspace.open(url, library=small_library, default_checklist="small-test") as first:
            first.session("23500", "2025-11")  # the period's draft, as a first start leaves it
        with Workspace.open(url, library=small_library, default_checklist="small-test", window=window) as workspace:
            assert isinstance(workspace.store, WindowStore) is window
            _typing(workspace.store, workspace)
            if window:
                assert not workspace.store.full_loaded  # opening the draft and typing: nothing through SQLAlchemy
        written[name] = _rows(url)
        with Store.open(url) as orm, WindowStore.open(url) as light:
            assert light is not None
            info = orm.current_assessment("23500", "2025-11")
            checklist = small_library.get("small-test")
            assert light.current_assessment("23500", "2025-11") == info
            assert light.load_answers(info.id, checklist) == orm.load_answers(info.id, checklist)
            assert light.get_setting("gui.last_period") == orm.get_setting("gui.last_period") == "2025-12"
    assert written["window"] == written["orm"]
    assert written["orm"]["answers"][0][:6] == ("has_fibre", "true", "text", "typed", "null", "text")
    assert len(written["orm"]["answers"]) == 4 and written["orm"]["meta"] == [("gui.last_commune", "23500"), ("gui.last_period", "2025-12")]


@pytest.mark.parametrize("window", [False, True], ids=["store", "window-store"])
def test_window_store__finalized_or_unknown__the_store_s_refusal_nothing_changed(db_url, small_library, window):
    with Workspace.open(db_url, library=small_library, default_checklist="small-test", window=window) as workspace:
        session, info = finalized_small(workspace)
        before = _rows(db_url)
        with pytest.raises(StoreError) as finalized:
            workspace.store.save_answer(info.id, session.checklist, "officers", 99)
        with pytest.raises(StoreError) as unknown:
            workspace.store.save_answer("no-such-assessment", session.checklist, "officers", None)
        assert _rows(db_url) == before
    assert (finalized.value.code, finalized.value.message) == (
        "E-STORE-FINALIZED", "Bản đánh giá kỳ 11/2025 (lần 1) đã hoàn thành nên không sửa được. "
                             "Chọn «Mở lại để sửa» để tạo lần sửa mới.")
    assert (unknown.value.code, unknown.value.message) == (
        "E-ASSESSMENT", "Không tìm thấy bản đánh giá no-such-assessment.")


def test_window_store__a_table_or_another_thread__the_full_store_does_it(db_url, small_library):
    with Workspace.open(db_url, library=small_library, default_checklist="small-test", window=True) as workspace:
        store = workspace.store
        assert isinstance(store, WindowStore)
        session = workspace.session("23500", "2025-11")
        assert store.full_loaded  # a new period's draft is created by the full Store
        store.close()
        workspace.store = store = WindowStore.open(db_url)  # type: ignore[assignment]
        session = workspace.session("23500", "2025-11")
        assert not store.full_loaded
        session.add_row("pcs", {"role": "Một cửa", "ram_gb": 8, "os": "win11"})  # table rows: the Store's
        assert store.full_loaded
        found: list = []
        worker = threading.Thread(target=lambda: found.append(store.get_setting("gui.last_commune", "none")))
        worker.start()
        worker.join()
        assert found == ["none"]  # answered (by the full Store: sqlite3's connection stays on its thread)
        assert len(store.load_answers(session.info.id, session.checklist).rows("pcs")) == 1


def test_window_store__not_a_current_sqlite_file__the_full_store(tmp_path, small_library):
    """A new file (to create and migrate) opens as the CLI opens it: the full Store."""
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert WindowStore.open(url) is None
    with Workspace.open(url, library=small_library, default_checklist="small-test", window=True) as workspace:
        assert isinstance(workspace.store, Store)
    assert WindowStore.open(url) is not None  # created, migrated and the register loaded: now it can


def test_window_store__open_and_type__no_sqlalchemy_and_committed(db_url, tmp_path):
    """The window's start path in a fresh interpreter: open the remembered period's draft and type an answer
    without importing SQLAlchemy; the answer is in the file when the process has ended."""
    with Workspace.open(db_url) as workspace:
        workspace.session("23500", "2025-11")  # the draft exists, as after a first start
    code = f"""
import sys
from readiness.service import Workspace
with Workspace.open({db_url!r}, window=True) as workspace:
    session = workspace.session("23500", "2025-11")
    session.result()
    session.change_answer("respondent_name", "Nguyễn Thị Hồng Nhung")
    workspace.store.set_setting("gui.last_commune", "23500")
    print(sorted(name for name in ("sqlalchemy", "alembic") if name in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(ROOT / "desktop"), "READINESS_HOME": str(tmp_path / "home"),
                              "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "[]"
    with Store.open(db_url) as store:
        info = store.current_assessment("23500", "2025-11")
        assert info is not None
        answers = store.load_answers(info.id, Workspace(store, _library()).checklist_for(info))
        assert (answers.get("respondent_name"), answers.sources.get("respondent_name")) == (
            "Nguyễn Thị Hồng Nhung", "typed")
        assert store.get_setting("gui.last_commune") == "23500"


def _library():
    from readiness.checklist.loader import default_library

    return default_library()
