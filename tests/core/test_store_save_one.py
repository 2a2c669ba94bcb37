"""Saving one answer (what the window does at every answer): one statement on PostgreSQL, the same
behaviour on SQLite and PostgreSQL — stored, replaced, removed, refused on a finalized or unknown
assessment, and on disk once it returns (read back through a store of its own)."""

import datetime as dt

import pytest
from sqlalchemy import event

from readiness.service import Workspace
from readiness.store.db import StoreError

from samples import finalized_small


@pytest.fixture(params=["sqlite", "sqlite-window", "postgresql"])
def url(request, db_url):
    if request.param.startswith("sqlite"):
        return db_url
    return request.getfixturevalue("pg_fresh_url")


@pytest.fixture
def ws(request, url, small_library):
    """The workspace as the CLI opens it, or as the window does (``sqlite-window``: the WindowStore, which
    saves an answer through sqlite3 with the Store's statements; the same assertions hold)."""
    window = "window" in request.node.callspec.params.get("url", "")
    workspace = Workspace.open(url, library=small_library, default_checklist="small-test", window=window)
    if window:
        from readiness.store.window import WindowStore

        assert isinstance(workspace.store, WindowStore)
    yield workspace
    workspace.close()


def _reread(url, small_library, item_id):
    """(value, source, meta) as a new store reads them: what survives the process."""
    with Workspace.open(url, library=small_library, default_checklist="small-test") as again:
        answers = again.session("23500", "2025-11").answers
        return answers.values.get(item_id), answers.sources.get(item_id), answers.meta.get(item_id)


def test_save_answer__new_then_changed_then_removed__each_read_back(ws, url, small_library):
    session = ws.session("23500", "2025-11")
    before = ws.store.assessment(session.info.id).updated_at
    session.set_answer("officers", 12)
    assert _reread(url, small_library, "officers") == (12, "typed", None)
    assert ws.store.assessment(session.info.id).updated_at >= before
    session.set_answer("officers", 40, source="measured", meta={"tool": "probe", "at": "2025-11-03"})
    assert _reread(url, small_library, "officers") == (40, "measured", {"tool": "probe", "at": "2025-11-03"})
    session.set_answer("officers", 41)  # typed again: the measurement's meta goes
    assert _reread(url, small_library, "officers") == (41, "typed", None)
    session.set_answer("report_date", dt.date(2025, 11, 3))
    session.set_answer("officers", None)
    assert _reread(url, small_library, "officers") == (None, None, None)
    assert _reread(url, small_library, "report_date")[0] == dt.date(2025, 11, 3)
    assert ws.store.counts()["answers"] == 1


def test_save_answer__finalized__refused_nothing_changed(ws, url, small_library):
    session, info = finalized_small(ws)
    with pytest.raises(StoreError) as refused:
        ws.store.save_answer(info.id, session.checklist, "officers", 99)
    assert refused.value.code == "E-STORE-FINALIZED"
    with pytest.raises(StoreError) as refused:
        ws.store.save_answer(info.id, session.checklist, "officers", None)
    assert refused.value.code == "E-STORE-FINALIZED"
    assert _reread(url, small_library, "officers")[0] == 12
    assert ws.store.assessment(info.id).updated_at == info.updated_at


def test_save_answer__unknown_assessment__refused_nothing_written(ws):
    checklist = ws.latest_checklist()
    with pytest.raises(StoreError) as refused:
        ws.store.save_answer("no-such-assessment", checklist, "officers", 3)
    assert refused.value.code == "E-ASSESSMENT"
    assert ws.store.counts()["answers"] == 0


def test_save_answer__postgresql__one_statement_no_transaction_block(url, ws):
    """On PostgreSQL the save is one autocommitted statement (one round trip: no BEGIN, no COMMIT sent)."""
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: round trips")
    session = ws.session("23500", "2025-11")
    sent: list[str] = []
    event.listen(ws.store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: sent.append(" ".join(statement.split())[:40]))
    raw_in_transaction = []
    event.listen(ws.store.engine, "after_cursor_execute",
                 lambda conn, *_a: raw_in_transaction.append(conn.connection.driver_connection.info.transaction_status))
    session.set_answer("officers", 7)
    assert len(sent) == 1 and sent[0].startswith("WITH draft AS (UPDATE assessments")
    import psycopg

    assert raw_in_transaction == [psycopg.pq.TransactionStatus.IDLE]  # committed by the server as it ran


# -- one cell of a table (Store.update_row with the table's id: what the window does at every cell) ---------------


def _reread_rows(url, small_library, item_id):
    with Workspace.open(url, library=small_library, default_checklist="small-test") as again:
        return [(row.id, row.values, row.source) for row in again.session("23500", "2025-11").answers.rows(item_id)]


def test_set_cell__changed_then_emptied__read_back__updated_at_moves(ws, url, small_library):
    session = ws.session("23500", "2025-11")
    row = session.add_row("pcs", {"role": "Một cửa", "ram_gb": 4}, source="measured")
    before = ws.store.assessment(session.info.id).updated_at
    session.set_cell("pcs", row.id, "ram_gb", 8)
    assert _reread_rows(url, small_library, "pcs") == [(row.id, {"role": "Một cửa", "ram_gb": 8}, "measured")]
    assert ws.store.assessment(session.info.id).updated_at >= before
    session.set_cell("pcs", row.id, "ram_gb", None)
    assert _reread_rows(url, small_library, "pcs") == [(row.id, {"role": "Một cửa"}, "measured")]


def test_update_row__finalized__refused_nothing_changed(ws, url, small_library):
    session, info = finalized_small(ws)
    [(row_id, values, _source)] = _reread_rows(url, small_library, "pcs")
    with pytest.raises(StoreError) as refused:
        ws.store.update_row(info.id, session.checklist, row_id, {"role": "Khác", "ram_gb": 2}, item_id="pcs")
    assert refused.value.code == "E-STORE-FINALIZED"
    assert _reread_rows(url, small_library, "pcs") == [(row_id, values, _source)]
    assert ws.store.assessment(info.id).updated_at == info.updated_at


def test_update_row__row_gone_or_of_another_table_or_assessment__refused_nothing_changed(ws, url, small_library):
    session = ws.session("23500", "2025-11")
    row = session.add_row("pcs", {"role": "Một cửa", "ram_gb": 4})
    other = ws.session("21034", "2025-11")
    before = ws.store.assessment(other.info.id).updated_at
    with pytest.raises(StoreError) as refused:  # the row belongs to another assessment
        ws.store.update_row(other.info.id, other.checklist, row.id, {"role": "Khác"}, item_id="pcs")
    assert refused.value.code == "E-STORE-ROW"
    assert ws.store.assessment(other.info.id).updated_at == before  # the other draft not touched
    session.delete_row("pcs", row.id)
    with pytest.raises(StoreError) as refused:
        ws.store.update_row(session.info.id, session.checklist, row.id, {"role": "Khác"}, item_id="pcs")
    assert refused.value.code == "E-STORE-ROW"
    assert _reread_rows(url, small_library, "pcs") == []


def test_set_cell__postgresql__one_statement_no_transaction_block(url, ws):
    """A cell edited on PostgreSQL: one autocommitted statement, as for a scalar answer."""
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: round trips")
    session = ws.session("23500", "2025-11")
    row = session.add_row("pcs", {"role": "Một cửa", "ram_gb": 4})
    sent: list[str] = []
    event.listen(ws.store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: sent.append(" ".join(statement.split())[:40]))
    session.set_cell("pcs", row.id, "ram_gb", 16)
    assert len(sent) == 1 and sent[0].startswith("WITH draft AS (UPDATE assessments")
    assert ws.store.load_rows(session.info.id, session.checklist, "pcs")[0].values["ram_gb"] == 16
