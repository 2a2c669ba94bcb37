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


def test_inventory_rows__stored_and_typed__the_same_cells_for_every_column_kind_and_odd_stored_values(dept_any, tmp_path):
    """The workbook writes the inventories' table columns from the stored JSON (``InventoryRows.stored``), each
    value typed by the bulk read's rule and shown by ``show_cell``'s, once per column and value
    (``report_xlsx._StoredCells``); the typed rows (``InventoryRows``, ``row_shower``) give the same cells, value
    and type, row by row, on SQLite and PostgreSQL: for every column kind of the tables (text, integer,
    decimal, yes/no, choices, dates) and for stored values of another type than their column's (``1``, ``1.0``
    and ``true`` in one column: equal keys, not one cell), and the same XML as the sheet's rows make of them."""
    from openpyxl import Workbook

    from readiness.department.consolidate import consolidate, inventories, row_shower
    from readiness.department.report_xlsx import _StoredCells
    from readiness.xlsx_cells import StreamedRows
    from demo_db import populate

    ws = dept_any
    communes = ws.store.communes()[:3]
    populate(ws, communes, PERIOD, today=TODAY, seed=11, profiles=["behind", "ready", "behind"])
    odd = [("ram_gb", 1), ("ram_gb", True), ("ram_gb", 1.0), ("role", 1), ("role", True), ("role", 1.0), ("ram_gb", "8"), ("cores", "4"), ("cores", 4.0),
           ("cpu", 12), ("cpu", ["x"]), ("cpu", "=1+1"), ("os", "no such choice"), ("os", ["win11"]),
           ("antivirus", "yes"), ("antivirus", 1), ("year", None), ("expiry", "2025-13-40"), ("expiry", "2026-01-31"),
           ("expiry", 20260131), ("holder", {"a": 1}), ("nothing", "x")]
    with ws.store.engine.begin() as connection:  # odd values written into stored rows, one a row
        ids = [row.id for row in connection.execute(text("SELECT id FROM table_rows ORDER BY id"))]
        for row_id, (column, value) in zip(ids[::3], odd, strict=False):
            stored = _json(connection.execute(text("SELECT values FROM table_rows WHERE id = :id".replace(
                "values", '"values"')), {"id": row_id}).scalar_one())
            stored[column] = value
            connection.execute(text('UPDATE table_rows SET "values" = :v WHERE id = :id'),
                               {"v": json.dumps(stored), "id": row_id})
    data = consolidate(ws, PERIOD, today=TODAY)
    kinds: set[str] = set()
    compared = refused = 0
    book = Workbook(write_only=True)
    for inventory in inventories(ws, data):
        columns = inventory.columns
        kinds |= {column.kind for column in columns}
        show_row = row_shower(inventory, columns)
        typed = list(inventory.rows)
        stored = list(inventory.rows.stored())
        assert [(row.code, number) for row, number, _ in typed] == [(row.code, number) for row, number, *_ in stored]
        cells = _StoredCells(inventory, columns, 4)
        expected_rows = []
        for (_, _, values), (_, _, computed, kept) in zip(typed, stored, strict=True):
            expected = _outcome(show_row, values)
            got = _outcome(show_row, computed) if kept is None else _outcome(cells.cells, kept)
            assert got == expected, (values, kept)
            if expected[0] == "raises":  # a value describe refuses (a yes/no in a number column): both refuse it
                expected_rows.append(None)
                refused += 1
                continue
            expected = expected[0]
            if kept is not None:
                assert cells.typed(kept, "expiry") == values.get("expiry")
                assert all(computed[key] == values[key] for key in computed)
                assert [key for key in values if key.startswith("#")] == list(computed)
            expected_rows.append(expected)
            compared += len(expected)
        streamed = StreamedRows(book.create_sheet(inventory.item_id[:30]), 0)
        cells.attach(streamed)
        for (_, _, _, kept), expected in zip(stored, expected_rows, strict=True):
            if kept is not None and expected is not None:
                tails = _outcome(cells.cells, kept)
                made = _outcome(lambda shown: [streamed.tail(4 + i, value) for i, value in enumerate(shown)], expected)
                assert tails == made  # or both refuse it (a list openpyxl cannot write)
                assert tails == _outcome(cells.cells, kept)  # remembered: the same cells again
    assert {"text", "integer", "decimal", "yes_no", "single_choice", "date"} <= kinds, kinds
    assert compared > 200 and refused >= 1


def _outcome(show, values):
    """The cells and their types, or the refusal (describe's)."""
    try:
        cells = show(values)
    except Exception as error:  # noqa: BLE001 - the same refusal both ways
        return "raises", type(error), str(error)
    return cells, [type(cell) for cell in cells]
