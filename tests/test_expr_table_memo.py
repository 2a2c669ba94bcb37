"""The table memo (``expr.TableMemo``): the rows a row condition holds for, remembered while one set of answers is
scored, give what evaluating each rule alone gives, for every table rule of the shipped checklists (``count``,
``share``, ``min``, ``max``, ``sum``, ``avg``; in relevance, ``let`` values, ``pass`` and the texts' conditions) on
hostile tables: none, empty, blank cells, cells missing, text and lists where numbers belong, hundreds of rows, and
a value that is not a table at all."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from readiness import expr
from test_expr_generated import EXPRESSIONS, _outcome, _values, thresholds  # noqa: F401 (thresholds: a fixture)

TODAY = dt.date(2026, 11, 24)
TABLE_RULES = [text for text in EXPRESSIONS if expr.parse(text).tables()]


def _columns() -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for text in TABLE_RULES:
        for ref in expr.parse(text).names():
            if ref.table is not None and ref.name not in columns.setdefault(ref.table, []):
                columns[ref.table].append(ref.name)
    return columns


COLUMNS = _columns()
SANE = {"cores": [2, 4, 8], "ram_gb": [4, 8, 16.0], "storage_type": ["ssd", "hdd"], "storage_gb": [128, 256, 512],
        "os": ["win7", "win10", "win11", "linux"], "condition": ["good", "poor"], "antivirus": [True, False],
        "role": ["leader", "clerk", "reception"], "expiry": [dt.date(2026, 1, 1), dt.date(2027, 3, 1)]}


def _tables(rng: random.Random, columns: list[str]) -> list[tuple[Any, bool]]:
    """Every hostile kind of table, then sane rows by the hundred; each with whether the memo is used for it (a
    condition that raises on a row is not remembered: the closures report the error)."""
    sane = [{c: rng.choice(SANE.get(c, [1, "x", None])) for c in columns} for _ in range(300)]
    return [
        (None, False), ([], True), ("not a table", False), ([{}], True), ([{c: None for c in columns}], True),
        ([{c: "abc" for c in columns}, {c: "8" for c in columns}], False),  # text where numbers, dates belong
        ([{c: _values(rng) for c in columns if rng.random() < 0.7} for _ in range(300)], False),  # anything
        (sane, True), (sane[:1], True), ([dict(row) for row in sane], True),  # hundreds of rows; the same again
    ]


def test_table_rules__found_in_the_shipped_checklists__every_kind():
    functions = {node.func for text in TABLE_RULES for node in _aggregates(expr.parse(text).root)}
    assert {"count", "share"} <= functions
    assert len(TABLE_RULES) > 20 and {"pcs", "certificates"} <= set(COLUMNS)


def _aggregates(node: Any) -> list[expr.Aggregate]:
    found = [node] if isinstance(node, expr.Aggregate) else []
    for child in expr._children(node):
        found += _aggregates(child)
    return found


@pytest.mark.parametrize("batched", [True, False], ids=["one-loop", "a-loop-each"])
@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_table_memo__every_table_rule__hostile_tables__same_as_each_rule_alone(table, batched, thresholds):
    rules = [expr.parse(text) for text in TABLE_RULES if expr.parse(text).tables() == {table}]
    for parsed in rules:
        parsed.prepare()  # the generated code: only it remembers
    conditions = [node.expr for parsed in rules for node in expr.aggregates(parsed.root)
                  if node.func in ("count", "share") and node.expr is not None]
    batches = {table: expr.RowBatch(conditions)} if batched else {}
    if batched:
        assert len(batches[table].numbers) >= 5 and batches[table].run is not None
    rng = random.Random(table)
    for rows, used in _tables(rng, COLUMNS[table]):
        values = {table: rows, "officers": rng.choice([None, 3, "x"])}
        memo = expr.TableMemo(frozenset(values), batches)
        shared = expr.Scope(values, thresholds=thresholds, today=TODAY, tables=memo)
        for round_ in range(2):  # the second round from the memo
            for parsed in rules:
                alone = expr.Scope(values, thresholds=thresholds, today=TODAY)
                assert _outcome(parsed.evaluate, shared) == _outcome(parsed.interpret, alone), (parsed.source, round_)
                if parsed.counted_table is not None:
                    assert _outcome(parsed.count_rows, shared) == _outcome(parsed.interpret_count_rows, alone)
        if used:
            assert memo.hits, rows  # it was used


def test_table_memo__one_condition_in_two_rules__the_rows_looped_over_once():
    count, share = expr.parse("count(t, x >= 2 and y == 'a')"), expr.parse("share(t, x >= 2 and y == 'a') * 100")
    count.prepare()
    share.prepare()
    rows = [{"x": 1, "y": "a"}, {"x": 2, "y": "a"}, {"x": 3, "y": "b"}, {"x": 2.0, "y": "a"}]
    memo = expr.TableMemo(frozenset({"t"}))
    scope = expr.Scope({"t": rows}, tables=memo)
    assert count.count_rows(scope) == [1, 3]
    assert count.evaluate(scope) == 2 and share.evaluate(scope) == 50.0
    assert len(memo.hits) == 1


def test_table_memo__conditions_written_alike_but_for_a_literals_type__each_its_own():
    """1, 1.0 and true (and 0.0, -0.0) are equal in Python: the condition's key holds each literal's type."""
    keys = [expr._row_condition(expr.parse(f"count(t, x == {literal})").root.expr)
            for literal in ("1", "1.0", "true", "0.0", "-0.0")]
    assert len({key[0] for key in keys}) == 5
    again = expr._row_condition(expr.parse("share(t,  x == 1) * 100").root.first.expr)  # written elsewhere, alike
    assert again == keys[0]


def test_table_memo__a_condition_reading_a_name_a_scope_holds__evaluated_in_each_scope():
    """A cell the row lacks reads the scope's value of that name: relevance's scope and a rule's differ."""
    parsed = expr.parse("count(t, x > limit)")
    parsed.prepare()
    rows = [{"x": 5}, {"x": 1}]
    memo = expr.TableMemo(frozenset({"t", "limit"}))
    assert parsed.count_rows(expr.Scope({"t": rows, "limit": 3}, tables=memo)) == [0]
    assert parsed.count_rows(expr.Scope({"t": rows, "limit": 0}, tables=memo)) == [0, 1]
    assert not memo.hits


def test_table_memo__a_condition_reading_the_current_value__never_remembered():
    parsed = expr.parse("count(t, x > .)")
    parsed.prepare()
    memo = expr.TableMemo(frozenset({"t"}))
    scope = expr.Scope({"t": [{"x": 5}, {"x": 1}]}, tables=memo)
    assert parsed.count_rows(scope.with_current(3)) == [0]
    assert parsed.count_rows(scope.with_current(0)) == [0, 1]
    assert not memo.hits


def test_count_rows__from_the_memo__a_list_of_its_own():
    parsed = expr.parse("count(t, x > 0)")
    parsed.prepare()
    scope = expr.Scope({"t": [{"x": 5}, {"x": 1}]}, tables=expr.TableMemo(frozenset({"t"})))
    first = parsed.count_rows(scope)
    first.append(99)
    assert parsed.count_rows(scope) == [0, 1]


def test_row_batch__every_condition_as_its_own_loop_gives__hostile_rows():
    """The one loop's positions for each condition are its own loop's; None where its own loop raises."""
    texts = ["x > 2 and y == 'a'", "x >= $k", "x + 1", "answered(x) or not answered(y)", "y in ['a', 'b']",
             "days_until(d) > 0", "x / 0 == null", "z == null"]
    conditions = [expr.parse(f"count(t, {text})").root.expr for text in texts]
    batch = expr.RowBatch(conditions)
    rng = random.Random(5)
    outcomes = set()
    for _ in range(200):
        rows = [{c: _values(rng) for c in "xyd" if rng.random() < 0.8} for _ in range(rng.randrange(0, 6))]
        scope = expr.Scope({"t": rows, "z": rng.choice([None, 1])}, thresholds={"k": rng.choice([1, "a"])}, today=TODAY)
        results = batch.run(scope, rows)
        for node, found in zip(conditions, results, strict=True):
            alone = _outcome(expr._generate_rows(node, hits=True), scope, rows)
            outcomes.add(found is None)
            if found is None:
                assert alone[0] == "raises", node
            else:
                assert alone == ("value", "list", repr(found)), node
    assert outcomes == {True, False}  # both seen: conditions that hold on some rows, and rows they raise on
