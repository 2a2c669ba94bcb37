"""Scoring's shortcuts give what the long way gives: the rendered-text memo (``scoring._rendered``, keyed by
``Template.inputs``) and the item result made without the frozen dataclass's ``__init__`` (``_item_result``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import pytest

from readiness import expr, scoring, templates
from readiness.answers import Answers, coerce_all, describe
from readiness.checklist.loader import default_library
from readiness.checklist.model import Text
from readiness.demo import PROFILES, demo_answers
from readiness.register import load_register
from readiness.scoring import ItemResult, Status, score

from samples import TODAY


@pytest.fixture(autouse=True)
def _memos_from_the_first_scoring(monkeypatch):
    """The memos from the first scoring of a checklist (the program sets them up after MEMOS_AFTER scorings)."""
    monkeypatch.setattr(scoring, "MEMOS_AFTER", 0)


def _all_scores(texts: str) -> list[scoring.ScoreResult]:
    library = default_library()
    communes = [c for c in load_register() if c.code.startswith("2")][:4]
    results = []
    for checklist_id, version in library.available():
        checklist = library.get(checklist_id, version)
        results.append(score(checklist, Answers(), today=TODAY, texts=texts))
        for seed, commune in enumerate(communes):
            for profile in PROFILES:
                for today in (TODAY, dt.date(2027, 6, 1)):  # certificates and Windows 10 expired or not
                    raw = demo_answers(checklist, commune, seed=seed, today=TODAY, profile=profile).answers
                    values, errors = coerce_all(checklist, raw)
                    assert not errors
                    for province in (None, "51"):
                        results.append(score(checklist, Answers(values=values), today=today, texts=texts,
                                             province=province))
    return results


@pytest.mark.parametrize("texts", ["all", "advice"])
def test_rendered__every_checklist_demo_communes__same_texts_as_rendering_each_afresh(monkeypatch, texts):
    scoring._RENDERED.clear()
    first = _all_scores(texts)  # fills the memo
    again = _all_scores(texts)  # read from it
    assert len(scoring._RENDERED) > 0
    monkeypatch.setattr(templates.Template, "inputs", lambda self, fields, scope: None)  # no memo: every text rendered
    monkeypatch.setattr(scoring, "_reads_of", lambda item: None)  # nor the item memo: every item scored afresh
    afresh = _all_scores(texts)
    assert again == afresh
    assert first == afresh
    assert any(r.advice for result in afresh for r in result.items.values())
    assert any(r.advice_en for result in afresh for r in result.items.values()) is (texts == "all")


def test_rendered__full__emptied_so_never_more_than_its_size(monkeypatch):
    monkeypatch.setattr(scoring, "RENDERED_SIZE", 5)
    scoring._RENDERED.clear()
    _all_scores("advice")
    assert 0 < len(scoring._RENDERED) <= 5


def test_rendered__same_template_two_items__each_prints_its_own_answer(small):
    """The key holds the item: the field ``value`` prints with that item's ``describe`` (unit, choice label)."""
    text = Text(vi="Hiện là {value}.", en="Now {value}.")
    scope = expr.Scope({}, today=TODAY)
    download, officers = small.item("download"), small.item("officers")
    texts = []
    for item in (download, officers, download, officers):
        fields = {"value": templates.Answer(20, functools.partial(describe, item))}
        texts.append(scoring._rendered(item, text, fields, "vi", scope, False))
    assert texts[0] != texts[1]
    assert texts[2:] == texts[:2]
    assert texts == [scoring.render(text, {"value": templates.Answer(20, functools.partial(describe, item))}, "vi",
                                    scope=scope) for item in (download, officers, download, officers)]


def test_inputs__values_keyed_with_their_type__one_one_point_zero_and_true_differ():
    template = templates.parse("{n} máy")
    scope = expr.Scope({}, today=TODAY)
    keys = {template.inputs({"n": value}, scope) for value in (1, 1.0, True, "1", -0.0, 0.0)}
    assert len(keys) == 6
    assert [template.render({"n": value}) for value in (1, 1.0, True)] == ["1 máy", "1 máy", "có máy"]


def test_inputs__conditions_read_names_thresholds_current_and_today():
    template = templates.parse("{if n > $limit}quá {n}{elif . == 'x'}x{else}ổn{end}")
    scope = expr.Scope({"n": 3}, thresholds={"limit": 2}, current="x", today=TODAY)
    key = template.inputs({"n": 3}, scope)
    assert key is not None
    assert template.inputs({"n": 3}, expr.Scope({"n": 4}, thresholds={"limit": 2}, current="x", today=TODAY)) != key
    assert template.inputs({"n": 3}, expr.Scope({"n": 3}, thresholds={"limit": 9}, current="x", today=TODAY)) != key
    assert template.inputs({"n": 3}, expr.Scope({"n": 3}, thresholds={"limit": 2}, current="y", today=TODAY)) != key
    assert template.inputs({"n": 3}, expr.Scope({"n": 3}, thresholds={"limit": 2}, current="x",
                                                today=TODAY + dt.timedelta(days=1))) != key
    assert template.inputs({}, scope) != key  # a field the fields lack prints as written


@pytest.mark.parametrize("source, fields, scope", [
    ("{if count(pcs, ram_gb < 8) > 0}nâng RAM{end}", {}, expr.Scope({"pcs": []}, today=TODAY)),  # a table
    ("{n}", {"n": [1, 2]}, expr.Scope({}, today=TODAY)),  # a list
    ("{n}", {"n": dt.datetime(2026, 1, 1)}, expr.Scope({}, today=TODAY)),  # a type without an exact key
    ("{if n > 0}có{end}", {}, expr.Scope({"n": 1}, today=TODAY, strict=True)),  # strict
    ("{if today() > d}quá hạn{end}", {}, expr.Scope({"d": TODAY})),  # today() reads the clock
])
def test_inputs__what_has_no_exact_key__none_so_rendered_afresh(source, fields, scope):
    assert templates.parse(source).inputs(fields, scope) is None


def test_item_result__fast_path__equal_to_the_constructors_and_sets_every_field():
    values = dict(item_id="a", section_id="s", status=Status.FAIL, weight=2.0, critical=True, requirement="r",
                  requirement_en="r_en", advice="x", advice_en="x_en", computed={"n": 1}, error=None, rows={"n": (0,)})
    assert set(values) == {f.name for f in dataclasses.fields(ItemResult)}  # the scorer passes every field
    made = scoring._item_result(**values)
    assert type(made) is ItemResult
    assert made == ItemResult(**values)
    assert vars(made) == vars(ItemResult(**values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.advice = "y"  # type: ignore[misc]


# -- the item memo (scoring._ITEMS): a criterion's result remembered by everything it reads -----------------------
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Score every item afresh from here on: no item memo, no table memo."""
    monkeypatch.setattr(scoring, "_reads_of", lambda item: None)
    monkeypatch.setattr(scoring, "_table_memo", lambda checklist, values: None)


@pytest.mark.parametrize("texts", ["all", "advice", "none"])
def test_items__every_checklist_demo_communes__same_results_as_scoring_each_item_afresh(monkeypatch, texts):
    scoring._ITEMS.clear()
    first = _all_scores(texts)  # fills the memo
    assert len(scoring._ITEMS) > 0
    again = _all_scores(texts)  # read from it
    _fresh(monkeypatch)
    afresh = _all_scores(texts)
    assert first == afresh
    assert again == afresh
    assert all(vars(a) == vars(b) for x, y in zip(again, afresh, strict=True)
               for a, b in zip(x.items.values(), y.items.values(), strict=True))


def test_items__full__emptied_so_never_more_than_its_size(monkeypatch):
    monkeypatch.setattr(scoring, "ITEMS_SIZE", 5)
    scoring._ITEMS.clear()
    _all_scores("advice")
    assert 0 < len(scoring._ITEMS) <= 5


@pytest.mark.parametrize("dropped", ["names", "fields", "today"])
def test_items__an_input_left_out_of_the_key__results_differ__so_the_key_needs_each(monkeypatch, dropped):
    """The equality above is a real check: with one input of the key left out, remembered results are wrong."""
    item_key, item_reads = scoring._item_key, scoring._item_reads
    if dropped == "names":
        monkeypatch.setattr(scoring, "_item_reads", lambda item: (lambda r: r and ((), r[1]))(item_reads(item)))
    elif dropped == "fields":
        monkeypatch.setattr(scoring, "_item_reads", lambda item: (lambda r: r and (r[0], ()))(item_reads(item)))
    elif dropped == "today":
        def without_today(checklist, item, reads, value, scope, *rest):
            dated = expr.Scope(scope.values, thresholds=scope.thresholds, today=TODAY)
            key = item_key(checklist, item, reads, value, dated, *rest)
            return key
        monkeypatch.setattr(scoring, "_item_key", without_today)
    scoring._READS.clear()
    scoring._ITEMS.clear()
    remembered = _all_scores("all")
    _fresh(monkeypatch)
    assert remembered != _all_scores("all")
    scoring._READS.clear()
    scoring._ITEMS.clear()


def test_items__an_item_that_reads_a_table__never_remembered(real_checklist):
    assert scoring._item_reads(real_checklist.item("pcs")) is None
    reads = scoring._item_reads(real_checklist.item("counter_pcs"))
    assert reads is not None and reads[0]  # it reads another answer


def test_items__whether_a_name_read_applies__in_the_key__it_changes_what_an_unanswered_criterion_asks(real_checklist):
    """A name read that does not apply and one that applies but is unanswered both read as null; the advice of a
    criterion that cannot be assessed names only the second (the shipped checklists never meet both with the
    same answers, so the demo communes cannot show it)."""
    item = real_checklist.item("org_cert_ubnd")
    reads = scoring._item_reads(item)
    assert reads is not None and "org_cert_ubnd_expiry" in reads[0]
    scope = expr.Scope({"org_cert_ubnd": "new_name"}, thresholds=real_checklist.threshold_values(), today=TODAY)
    applies, skipped = {"org_cert_ubnd_expiry": True}, {"org_cert_ubnd_expiry": False}
    assert scoring._missing_advice(real_checklist, item, scope.with_current("new_name"), applies) != \
        scoring._missing_advice(real_checklist, item, scope.with_current("new_name"), skipped)
    keys = {scoring._item_key(real_checklist, item, reads, "new_name", scope, relevant, {}, "all")
            for relevant in (applies, skipped)}
    assert len(keys) == 2 and None not in keys


def test_memos__a_checklist_scored_a_few_times__set_up_only_after_memos_after_scorings(monkeypatch, real_checklist):
    """The window scores one assessment now and then: it does not pay for setting up the memos (every expression
    and text parsed, the tables' loops compiled); the import and the report, scoring thousands, do.  The results are
    the same either way."""
    monkeypatch.setattr(scoring, "MEMOS_AFTER", 3)
    commune = next(c for c in load_register() if c.code.startswith("2"))
    raw = demo_answers(real_checklist, commune, seed=1, today=TODAY, profile=PROFILES[0]).answers
    answers = Answers(values=coerce_all(real_checklist, raw)[0])
    checklist = dataclasses.replace(real_checklist)  # a checklist this process has not scored yet
    set_up = []
    monkeypatch.setattr(scoring, "_tables_of", (lambda real: lambda c: set_up.append(c) or real(c))(scoring._tables_of))
    scoring._ITEMS.clear()
    results = [score(checklist, answers, today=TODAY) for _ in range(3)]
    assert set_up == [] and len(scoring._ITEMS) == 0
    results += [score(checklist, answers, today=TODAY) for _ in range(2)]
    assert set_up == [checklist, checklist] and len(scoring._ITEMS) > 0
    assert all(result == results[0] for result in results)
