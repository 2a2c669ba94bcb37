"""The generated Python code of an expression (``expr._generate``) against the closures (``expr._compile``).

Every expression of every installed checklist (rules of relevance, constraints, scoring rules and their
``let`` values, levels, the conditions inside requirement and advice texts) is evaluated both ways,
on real answers (demo assessments of each profile, scored as the import scores them), on no answers at all
(every value missing) and on values of every kind in every name (texts where numbers belong, lists,
dates, rows, nulls): the generated code gives the same value, of the same type, and raises exactly
where the closures raise.  ``Expression.evaluate`` (generated code first, the closures when it
raises) then reports the very error the closures report: its code, message and position.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness import expr, templates
from readiness.answers import Answers, coerce_all
from readiness.checklist.loader import default_library
from readiness.demo import PROFILES, demo_answers
from readiness.register import load_register
from readiness.scoring import score

CHECKLISTS = Path(__file__).resolve().parents[1] / "checklists"
TODAY = dt.date(2026, 11, 24)
EXPRESSION_KEYS = {"relevant", "expr", "pass", "na", "rule"}
TEMPLATE_KEYS = {"requirement", "advice", "message"}
EVALUATE, COUNT_ROWS = expr.Expression.evaluate, expr.Expression.count_rows  # as defined (a test wraps them)


def _outcome(run: Any, *args: Any) -> tuple[Any, ...]:
    try:
        value = run(*args)
    except Exception as error:  # noqa: BLE001 - what is compared is whether and how it raises
        return ("raises", type(error).__name__, getattr(error, "code", None), getattr(error, "message", str(error)),
                getattr(error, "position", None))
    return ("value", type(value).__name__, repr(value))


def _same(parsed: expr.Expression, scope: expr.Scope) -> None:
    """The generated code and the closures agree on ``scope``; ``evaluate`` reports what the closures report."""
    reference = _outcome(parsed.interpret, scope)
    generated = _outcome(parsed.generated, scope)
    if reference[0] == "value":
        assert generated == reference, (parsed.source, scope.values)
    else:
        assert generated[0] == "raises", (parsed.source, scope.values, generated)
    assert _outcome(EVALUATE, parsed, scope) == reference, parsed.source
    if parsed.counted_table is not None:
        assert _outcome(COUNT_ROWS, parsed, scope) == _outcome(parsed.interpret_count_rows, scope), parsed.source


def _texts(node: Any, key: str | None = None) -> list[tuple[str, str]]:
    """(kind, text) of every expression and template under ``node`` of a checklist file."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "let" and isinstance(value, dict):
                found.extend(("expression", text) for text in value.values() if isinstance(text, str))
            elif name in TEMPLATE_KEYS and isinstance(value, dict):
                found.extend(("template", text) for text in value.values() if isinstance(text, str))
            else:
                found.extend(_texts(value, name))
    elif isinstance(node, list):
        for value in node:
            found.extend(_texts(value, key))
    elif isinstance(node, str) and key in EXPRESSION_KEYS:
        found.append(("expression", node))
    return found


def _every_expression() -> list[str]:
    texts: list[str] = []
    for path in sorted(CHECKLISTS.rglob("*.yaml")):
        for kind, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if kind == "expression":
                texts.append(text)
            else:
                texts.extend(condition.source for condition in templates.parse(text).conditions())
    return list(dict.fromkeys(texts))


EXPRESSIONS = _every_expression()


def test_every_checklist_expression_found():
    assert len(EXPRESSIONS) > 150  # relevance, constraints, scoring rules, levels, template conditions
    assert any(text.startswith("count(") for text in EXPRESSIONS)
    assert any(" and " in text for text in EXPRESSIONS) and any(" or " in text for text in EXPRESSIONS)


def _values(rng: random.Random) -> Any:
    """One value of any kind an answer, a row or a host value may have."""
    return rng.choice([
        None, True, False, 0, 1, 3, -2, 2.5, 0.8, 1e308, 10**20, "", "win10", "a", "text with spaces", [], ["vnpt"],
        ["win10", "fpt"], [1, 2], dt.date(2026, 1, 31), dt.date(2030, 12, 1), dt.datetime(2026, 5, 1, 8, 30),
        {"k": 1}, [{"x": 1}], [None],
    ])


def _rows(rng: random.Random, columns: list[str]) -> Any:
    if rng.random() < 0.15:
        return _values(rng)  # not a table at all
    return [{column: _values(rng) for column in columns if rng.random() < 0.8} for _ in range(rng.randrange(0, 4))]


@pytest.fixture(scope="module")
def thresholds() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    library = default_library()
    for checklist_id, version in library.available():
        merged.update(library.get(checklist_id, version).threshold_values())
    return merged


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_generated__every_checklist_expression__same_as_the_closures_on_values_of_every_kind(text, thresholds):
    parsed = expr.parse(text)
    rng = random.Random(text)
    names = parsed.names()
    columns: dict[str, list[str]] = {}
    for ref in names:
        if ref.table is not None:
            columns.setdefault(ref.table, []).append(ref.name)
    plain = [ref.name for ref in names if ref.table is None]
    for round_ in range(60):
        values: dict[str, Any] = {}
        if round_:  # the first round: every value missing
            values = {name: _values(rng) for name in plain if rng.random() < 0.9}
            values.update({table: _rows(rng, cols) for table, cols in columns.items() if rng.random() < 0.9})
        current = _values(rng) if parsed.uses_current() and round_ else None
        scope = expr.Scope(values, thresholds=thresholds, current=current, today=TODAY)
        _same(parsed, scope)
        for ref in names:  # a row expression also sees the row's columns over the answers
            if ref.table is not None:
                _same(parsed, scope.with_row({name: _values(rng) for name in columns[ref.table]}))
                break


def test_generated__strict_scope__unknown_name_reported_as_by_the_closures():
    parsed = expr.parse("missing_name > 3 and $nothing == 1")
    _same(parsed, expr.Scope({}, strict=True))
    _same(parsed, expr.Scope({"missing_name": 5}, thresholds={}))


@pytest.mark.parametrize("text", [
    "a + b * 2 - c / 4", "-a", "not (a > 1)", "a in ['x', 'y', null]", "a not in ['x']", "a in [1, 'x']",
    "a in b", "a == b", "a != b", "a < b", "a >= 2.5", "a == null", "a != null", "round(a, 1)", "if(a > 1, b, c)",
    "coalesce(a, b)", "answered(a)", "len(a)", "selected(a, 'x')", "days_until(a) < 30", "today() - a",
    "a and b and c", "a or b or not c", "(a or b) and (b or c)", "sum(t, x) + max(t, x)", "avg(t, x * 2)",
    "count(t)", "share(t, x > 1 and y)", "min(t, y)", "count(t, x != null)", "a - date('2026-01-01')", ". > 2",
    "a * b * c", "a + 1 + 2 + 3",
])
def test_generated__operators__same_as_the_closures(text):
    parsed = expr.parse(text)
    rng = random.Random(text)
    for _ in range(300):
        values = {name: _values(rng) for name in ("a", "b", "c")}
        values["t"] = _rows(rng, ["x", "y"])
        _same(parsed, expr.Scope(values, current=_values(rng), today=TODAY))


def test_generated__expression_too_deep_for_python__falls_back_to_the_closures():
    text = " and ".join(["x"] * 300)  # one Logic node of 300 operands: Python's parser refuses 300 nested parentheses
    parsed = expr.parse(text)
    assert expr._generate(parsed.root).__name__ != "_expression"  # the closures instead
    assert parsed.evaluate(expr.Scope({"x": True})) is True
    assert parsed.evaluate(expr.Scope({"x": None})) is None
    _same(parsed, expr.Scope({"x": 3}))
    assert expr._generate(expr.parse(" and ".join(["x"] * 20)).root).__name__ == "_expression"


def _scored_expressions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every evaluation scoring makes is checked both ways on the spot; returns the count (one cell)."""
    seen = [0]

    def checked_evaluate(self: expr.Expression, scope: expr.Scope) -> object:
        seen[0] += 1
        _same(self, scope)
        return EVALUATE(self, scope)

    def checked_count_rows(self: expr.Expression, scope: expr.Scope) -> list[int] | None:
        seen[0] += 1
        _same(self, scope)
        return COUNT_ROWS(self, scope)

    monkeypatch.setattr(expr.Expression, "evaluate", checked_evaluate)
    monkeypatch.setattr(expr.Expression, "count_rows", checked_count_rows)
    return seen


def test_generated__scoring_real_answers_and_no_answers__same_as_the_closures(monkeypatch):
    library = default_library()
    communes = [c for c in load_register() if c.code.startswith("2")][:6]
    seen = _scored_expressions(monkeypatch)
    for checklist_id, version in library.available():
        checklist = library.get(checklist_id, version)
        score(checklist, Answers(), today=TODAY)  # nothing answered: every value missing
        for seed, commune in enumerate(communes):
            for profile in PROFILES:
                raw = demo_answers(checklist, commune, seed=seed, today=TODAY, profile=profile).answers
                values, errors = coerce_all(checklist, raw)
                assert not errors
                score(checklist, Answers(values=values), today=TODAY, texts="all")
    assert seen[0] > 1000


def test_prepare_expressions__every_expression_of_every_checklist__code_generated_before_use():
    """What the forkserver does before forking import workers (readiness.department.worker_preload)."""
    from readiness.scoring import prepare_expressions

    expr.parse.cache_clear()  # nothing generated yet (other tests evaluated these very texts)
    assert all(expr.parse(text)._generated is None for text in EXPRESSIONS)
    expr.parse.cache_clear()
    library = default_library()
    for checklist_id, version in library.available():
        assert prepare_expressions(library.get(checklist_id, version)) > 50
    assert [text for text in EXPRESSIONS if expr.parse(text)._generated is None] == []
    counted = [expr.parse(text) for text in EXPRESSIONS if expr.parse(text).counted_table]
    assert counted and all(parsed._generated_row_test is not None for parsed in counted)


def test_count_rows__closures_until_generate_after_evaluations__then_the_generated_code__same_rows_and_errors():
    expr.parse.cache_clear()
    parsed = expr.parse("count(t, x > a)")
    rng = random.Random(61)
    for evaluation in range(1, expr.GENERATE_AFTER + 20):
        values = {"a": _values(rng), "t": _rows(rng, ["x"])}
        scope = expr.Scope(values, today=TODAY)
        assert _outcome(parsed.count_rows, scope) == _outcome(parsed.interpret_count_rows, scope)
        assert (parsed._generated_row_test is not None) == (evaluation >= expr.GENERATE_AFTER), evaluation


def test_evaluate__closures_until_generate_after_evaluations__then_the_generated_code__same_values_and_errors():
    """An expression's code is generated once it has been evaluated GENERATE_AFTER times; before and after,
    evaluate gives what the closures give (values of every kind, so errors too)."""
    expr.parse.cache_clear()
    parsed = expr.parse("a >= 3 and b in ['x', 'y'] or count(t, x > a) >= 1")
    rng = random.Random(16)
    for evaluation in range(1, expr.GENERATE_AFTER + 20):
        values = {name: _values(rng) for name in ("a", "b")}
        values["t"] = _rows(rng, ["x"])
        scope = expr.Scope(values, today=TODAY)
        assert _outcome(parsed.evaluate, scope) == _outcome(parsed.interpret, scope)
        assert (parsed._generated is not None) == (evaluation >= expr.GENERATE_AFTER), evaluation


def test_score__an_assessment_scored_once__code_generated_only_for_what_it_evaluated_generate_after_times():
    """Opening an assessment scores it once: its expressions are evaluated by the closures and nothing is handed
    to Python's compiler (81 expressions of the first score had been a third of opening one in the window),
    except a rule evaluated GENERATE_AFTER times in that score (a constraint on each row of a long table)."""
    library = default_library()
    commune = next(c for c in load_register() if c.code.startswith("2"))
    for checklist_id, version in library.available():
        checklist = library.get(checklist_id, version)
        raw = demo_answers(checklist, commune, seed=1, today=TODAY, profile=PROFILES[0]).answers
        values, errors = coerce_all(checklist, raw)
        assert not errors
        for answers in (Answers(), Answers(values=values)):
            expr.parse.cache_clear()
            templates.parse.cache_clear()
            evaluations: dict[str, int] = {}

            def counted(run: Any) -> Any:
                def counting(self: expr.Expression, scope: expr.Scope) -> object:
                    evaluations[self.source] = evaluations.get(self.source, 0) + 1
                    return run(self, scope)
                return counting

            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(expr.Expression, "evaluate", counted(EVALUATE))
                patch.setattr(expr.Expression, "count_rows", counted(COUNT_ROWS))
                score(checklist, answers, today=TODAY)
            assert len(evaluations) > 50
            assert any(expr.parse(text).counted_table for text in evaluations)  # count(t, cond): count_rows
            generated = {text for text in evaluations
                         if expr.parse(text)._generated is not None or expr.parse(text)._generated_row_test is not None}
            assert generated == {text for text, count in evaluations.items() if count >= expr.GENERATE_AFTER}
            if not answers.values:
                assert generated == set()


def test_generated__an_operator_not_of_the_parser__never_written_into_the_source__closures_instead():
    """Defence in depth: a tree whose comparison names an operator the parser never makes (a damaged or planted
    tree) is not generated; the closures get it instead, and refuse the operator."""
    from readiness import expr, record

    tree = expr.parse("officers > 3")
    planted = record.replace(tree.root, op="> 3 or __import__('os').getpid() or 1 <")
    with pytest.raises(ValueError):
        expr._Source().emit(planted)
    with pytest.raises(KeyError):  # the closures then refuse the operator they do not know
        expr._generate(planted)
