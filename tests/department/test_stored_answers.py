"""One loop builds ``Answers`` from stored rows for both reads (store.queries.stored_answers): the store's
load (``Store.load_answers``: sources and meta kept) and the department's bulk read (``bulk.typed_answers``:
values typed by the stored-type fast path, no sources).  Each caller gets what it got before the loop was
shared: the same typed values, value by value and type by type, cells in their columns' order, and the
store's sources and meta where only the store reads them; on SQLite and on PostgreSQL.  (The bulk read's own
path, table rows' JSON read as text and decoded a chunk at a time, values already of their type kept as they
are, is the ``by_bulk`` side of the first test.)"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from readiness.answers import Row
from readiness.department.bulk import _typed, load_raw, typed_answers
from readiness.store.queries import from_stored, stored_answers

PERIOD = "2025-11"
TODAY = dt.date(2025, 11, 20)


def _json(value):
    """A JSON column read by plain SQL: text on SQLite, decoded by PostgreSQL's driver."""
    return json.loads(value) if isinstance(value, str) else value


def _shape(answers, convert=None, checklist=None, raw=None):
    """Values, rows with their ids and cells in order; with ``convert``, each value's type too, checked against
    what ``convert(spec, stored value)`` gives (each read types by its own rule: the bulk read keeps a whole
    number of a decimal item as stored, the store's coercion makes it a float; both compare equal)."""
    shape = {}
    for key, value in answers.values.items():
        item = checklist.item(key) if checklist is not None else None
        if isinstance(value, list) and value and isinstance(value[0], Row):
            stored = dict(raw.rows[key]) if raw is not None else {}
            columns = {c.id: c for c in item.columns} if item is not None else {}
            shape[key] = [(row.id, [(cell, v) for cell, v in row.values.items()]) for row in value]
            if convert is not None:
                for row in value:
                    for cell, v in row.values.items():
                        assert type(v) is type(convert(columns[cell], stored[row.id][cell])), (key, cell)
        else:
            shape[key] = value
            if convert is not None:
                assert type(value) is type(convert(item, raw.values[key])), key
    return shape


def test_stored_answers__store_and_bulk_reads__same_typed_values_only_the_store_keeps_sources(dept_any):
    from demo_db import populate

    ws = dept_any
    communes = ws.store.communes()[:3]
    populate(ws, communes[:2], PERIOD, today=TODAY, seed=7, profiles=["behind", "ready"])
    populate(ws, communes[2:], PERIOD, today=TODAY, seed=8, finalize=False)
    infos = ws.store.assessments(PERIOD)
    marked = infos[0].id
    with ws.store.engine.begin() as connection:  # a probe's answer and a measured row, with their meta
        connection.execute(text("UPDATE answers SET source = 'probe', meta = :meta WHERE assessment_id = :id AND "
                                "item_id = 'officers'"), {"meta": json.dumps({"probe": "pc-01"}), "id": marked})
        connection.execute(text("UPDATE table_rows SET source = 'measured', meta = :meta WHERE id = (SELECT min(id) "
                                "FROM table_rows WHERE assessment_id = :id)"),
                           {"meta": json.dumps({"at": "20/11/2025"}), "id": marked})
        stored = {(row.assessment_id, row.item_id): (row.source, _json(row.meta)) for row in connection.execute(text(
            "SELECT assessment_id, item_id, source, meta FROM answers"))}
        stored_rows = {row.id: (row.source, _json(row.meta)) for row in connection.execute(text(
            "SELECT id, source, meta FROM table_rows"))}
    raw = load_raw(ws.store, [info.id for info in infos])
    tables = 0
    for info in infos:
        checklist = ws.checklist_for(info)
        by_store = ws.store.load_answers(info.id, checklist)
        by_bulk = typed_answers(checklist, raw[info.id])
        assert _shape(by_bulk, _typed, checklist, raw[info.id]) == _shape(by_store, from_stored, checklist, raw[info.id])
        assert by_bulk.sources == {} and by_bulk.meta == {}  # the bulk read fetches neither
        scalars = [key for key in by_store.values if checklist.item(key).type.value != "table"]
        assert by_store.sources == {key: stored[(info.id, key)][0] for key in scalars}
        assert by_store.meta == {key: stored[(info.id, key)][1] for key in scalars
                                 if stored[(info.id, key)][1]}
        for key, value in by_store.values.items():
            if checklist.item(key).type.value != "table":
                continue
            tables += bool(value)  # a table with rows (the old test_status twin counted these)
            columns = [column.id for column in checklist.item(key).columns]
            for row in value:
                assert (row.source, row.meta) == stored_rows[row.id]
                assert list(row.values) == [c for c in columns if c in row.values]  # the columns' order
            assert all((row.source, row.meta) == ("typed", None) for row in by_bulk.values[key])
            rows = ws.store.load_rows(info.id, checklist, key)  # one table alone: the same rows
            assert [(r.id, r.values, r.source, r.meta) for r in rows] == [(r.id, r.values, r.source, r.meta)
                                                                         for r in value]
    assert tables >= 6
    assert ws.store.load_answers(marked, ws.checklist_for(infos[0])).meta["officers"] == {"probe": "pc-01"}


def test_stored_answers__common_form__unknown_items_skipped_fast_path_kept_without_a_call(small_library):
    checklist = small_library.latest("small-test")
    table, scalar = checklist.item("pcs"), checklist.item("officers")
    column = next(c for c in table.columns if c.id == "ram_gb")  # decimal
    calls: list[tuple[str, object]] = []

    def typed(spec, value):
        calls.append((spec.id, value))
        return int(value)

    kept = {kind: frozenset({int}) for kind in type(column.type)}
    answers = stored_answers(
        checklist, [(scalar.id, "7"), ("no_such_item", 1), (table.id, "a table's answer")],
        [(table.id, [(1, {column.id: 3}), (2, {column.id: "4", "no_such_column": 9})]), ("no_such_table", [(3, {})])],
        typed=typed, kept=kept, sources=[(scalar.id, "7", "probe", {"m": 1}), ("no_such_item", 1, "typed", None)])
    assert answers.values[scalar.id] == 7 and "no_such_item" not in answers.values
    assert [(row.id, row.values, row.source) for row in answers.values[table.id]] == [
        (1, {column.id: 3}, "typed"), (2, {column.id: 4}, "typed")]
    assert calls == [(scalar.id, "7"), (column.id, "4")]  # the int cell kept without a call
    assert answers.sources == {scalar.id: "probe"} and answers.meta == {scalar.id: {"m": 1}}
