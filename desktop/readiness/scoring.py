"""Scoring: which items apply, which are met, the section and overall scores, the readiness level.

Pure functions of (checklist, answers, today): the wizard, the CLI, the exporters and the
department's consolidation all call :func:`score` and get the same result.

Rules (documented in ``docs/checklist-format.md``):
- an item is *relevant* when its section's and its own ``relevant`` rule are not false; answers of
  items that are not relevant are kept in the database but ignored (not scored, not seen by rules);
- a scored item is Không áp dụng when ``na`` is true, Đạt when ``pass`` is true, Chưa đạt when false,
  and Chưa trả lời when ``pass`` cannot be decided because answers are missing;
- a score is 100 × weight met / weight of items that apply; unanswered items count as not met;
- ``critical_failed`` counts critical items that are Chưa đạt or Chưa trả lời;
- the level is the first whose rule holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from . import expr, templates
from .answers import Answers, Issue, describe, validate
from .checklist.model import Checklist, Item, ItemType, Text, expressions_of
from .memo import ByIdentity
from .numbers import round_score
from .record import FrozenData, frozen_data
from .templates import join

TEMPLATE_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")  # a plain {name}; the full syntax is readiness.templates


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"
    MISSING = "missing"

    def label(self, lang: str = "vi") -> str:
        return _STATUS_LABELS[self][0 if lang == "vi" else 1]


_STATUSES = tuple(Status)
_STATUS_LABELS = {
    Status.PASS: ("Đạt", "Met"),
    Status.FAIL: ("Chưa đạt", "Not met"),
    Status.NA: ("Không áp dụng", "Not applicable"),
    Status.MISSING: ("Chưa trả lời", "Not answered"),
}


@dataclass(frozen=True, eq=False, repr=False)  # FrozenData's equality, hash and repr: fewer methods compiled
class ItemResult(FrozenData):
    """How one item scored: its status and weight, what it requires and, when not met, the advice."""

    item_id: str
    section_id: str
    status: Status
    weight: float
    critical: bool
    requirement: str
    requirement_en: str
    advice: str = ""  # filled when not met
    advice_en: str = ""
    computed: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # a rule that could not be evaluated (type mismatch in data)
    # Per-row findings: for each ``let`` that is ``count(table, condition)``, the positions (0-based, in
    # the table's order) of the rows it counts, e.g. ``{"n_low_ram": (0, 3)}`` for the PCs with too
    # little RAM.  ``computed[name] == len(rows[name])``: one rule gives the count and which rows.
    rows: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False, repr=False)  # FrozenData's equality, hash and repr: fewer methods compiled
class SectionResult(FrozenData):
    """How one section scored, and how many of its items that apply are answered."""

    section_id: str
    relevant: bool
    score: float | None  # None when nothing in the section is scored and applicable
    items_total: int  # relevant items
    items_answered: int
    required_missing: int
    passed: int
    failed: int
    missing: int
    not_applicable: int

    @property
    def completion(self) -> float:
        return 1.0 if self.items_total == 0 else self.items_answered / self.items_total

    @property
    def complete(self) -> bool:
        return self.required_missing == 0


@frozen_data()  # generic methods (readiness.record): none compiled; one object a score
class ScoreResult(FrozenData):
    """The score of one assessment: total, level, sections, items and issues."""

    checklist_key: str
    score: float
    level_id: str
    critical_failed: int
    unanswered_required: int
    completion: float
    sections: list[SectionResult]
    items: dict[str, ItemResult]
    relevant: dict[str, bool]
    issues: list[Issue]

    @property
    def gaps(self) -> list[ItemResult]:
        """Items not met, critical first, then by weight (the order a commune should act in)."""
        failed = [r for r in self.items.values() if r.status is Status.FAIL]
        return sorted(failed, key=lambda r: (not r.critical, -r.weight))

    @property
    def scored(self) -> bool:
        """A criterion has been answered (Đạt or Chưa đạt): before that there is no score to show,
        only «Chưa có điểm» (0 points and «Chưa sẵn sàng» would read as a verdict)."""
        return any(r.status in (Status.PASS, Status.FAIL) for r in self.items.values())

    @property
    def unanswered(self) -> list[ItemResult]:
        return [r for r in self.items.values() if r.status is Status.MISSING]

    def section(self, section_id: str) -> SectionResult:
        for result in self.sections:
            if result.section_id == section_id:
                return result
        raise KeyError(section_id)

    @property
    def blocking_issues(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocking]

    def to_dict(self, checklist: Checklist, lang: str = "vi") -> dict[str, Any]:
        level = checklist.level(self.level_id)
        return {
            "checklist": self.checklist_key,
            "score": round_score(self.score),
            "scored": self.scored,
            "level": self.level_id,
            "level_label": level.label.get(lang),
            "critical_failed": self.critical_failed,
            "unanswered_required": self.unanswered_required,
            "completion": round(self.completion, 3),
            "sections": [
                {
                    "id": s.section_id,
                    "title": checklist.section(s.section_id).title.get(lang),
                    "score": round_score(s.score),
                    "passed": s.passed, "failed": s.failed, "missing": s.missing, "not_applicable": s.not_applicable,
                    "items": s.items_total, "answered": s.items_answered, "required_missing": s.required_missing,
                }
                for s in self.sections
            ],
            "gaps": [
                {
                    "item": g.item_id, "section": g.section_id, "critical": g.critical, "weight": g.weight,
                    "label": checklist.item(g.item_id).label.get(lang),
                    "requirement": g.requirement if lang == "vi" else g.requirement_en,
                    "advice": g.advice if lang == "vi" else g.advice_en,
                }
                for g in self.gaps
            ],
            "issues": [
                {"code": i.code, "item": i.item, "row": i.row, "column": i.column,
                 "message": i.message if lang == "vi" else i.message_en}
                for i in self.issues
            ],
        }


def thresholds_of(checklist: Checklist) -> dict[str, Any]:
    return checklist.threshold_values()


def relevance(checklist: Checklist, answers: Answers, *, today: dt.date | None = None) -> dict[str, bool]:
    """Item id (and section id) -> whether it applies, given the answers.

    Evaluated in document order; a rule sees the answers of items that apply (an answer left
    behind in a skipped item does not switch on other items).  An undecidable rule (it depends
    on an unanswered question) hides the item.
    """
    return _relevance(checklist, answers.scope_values(), today)


def _relevance(checklist: Checklist, all_values: Mapping[str, Any], today: dt.date | None,
               tables: expr.TableMemo | None = None) -> dict[str, bool]:
    """:func:`relevance` of the answers' :meth:`~readiness.answers.Answers.scope_values`; ``tables``: the memo of
    row conditions the scoring shares (:func:`_table_memo`)."""
    visible: dict[str, Any] = dict(all_values)
    result: dict[str, bool] = {}
    scope = expr.Scope(visible, thresholds=thresholds_of(checklist), today=today,  # sees ``visible`` as it shrinks
                       tables=tables)
    for section in checklist.sections:
        section_on = _rule(section.relevant, scope)
        result[section.id] = section_on
        for item in section.items:
            on = section_on and _rule(item.relevant, scope)
            result[item.id] = on
            if not on:
                visible.pop(item.id, None)
    return result


def _table_memo(checklist: Checklist, all_values: Mapping[str, Any]) -> expr.TableMemo:
    """The memo of row conditions for one scoring of ``all_values`` (:class:`readiness.expr.TableMemo`): every name
    its scopes can give a value is an answer's id or a rule's ``let`` name; each table's conditions in one loop."""
    lets, batches = _tables_of(checklist)
    return expr.TableMemo(lets.union(all_values), batches)


# How often each checklist was scored in this process: its identity -> (it, how many times).  The memos (the
# tables' row conditions in one loop, the item results) pay from the second commune on, but setting them up
# costs about a whole score (every expression and text of the checklist parsed, the tables' loops compiled):
# the window scores one assessment now and then, the department's import and report thousands.
_SCORINGS: ByIdentity[Checklist, int] = ByIdentity(64)
MEMOS_AFTER = 8  # scorings of a checklist in this process without the memos (results are the same either way)


def _memos_pay(checklist: Checklist) -> bool:
    count = _SCORINGS.peek(checklist, 0)
    if count >= MEMOS_AFTER:
        return True
    _SCORINGS.put(checklist, count + 1)
    return False


# The checklist's identity -> (it, its rules' let names, table -> the row conditions its rules and texts write).
_TABLES: ByIdentity[Checklist, tuple[frozenset[str], dict[str, expr.RowBatch]]] = ByIdentity(64)


def _tables_of(checklist: Checklist) -> tuple[frozenset[str], dict[str, expr.RowBatch]]:
    return _TABLES.get(checklist, _work_out_tables)


def _work_out_tables(checklist: Checklist) -> tuple[frozenset[str], dict[str, expr.RowBatch]]:
    lets = frozenset(name for item in checklist.items() if item.score is not None for name in item.score.let)
    conditions: dict[str, list[expr.Node]] = {}
    for text in expressions_of(checklist):
        try:
            root = expr.parse(text).root
        except expr.ExpressionError:
            continue
        for node in expr.aggregates(root):
            if node.func in ("count", "share") and node.expr is not None:
                conditions.setdefault(node.table, []).append(node.expr)
    batches = {table: expr.RowBatch(nodes) for table, nodes in conditions.items()}
    return lets, batches


def prepare_expressions(checklist: Checklist) -> int:
    """Generate the code of every expression of ``checklist`` now (:meth:`readiness.expr.Expression.prepare`)
    rather than after its first evaluations in the slow closures (and the table memo only works in generated
    code): the import's forkserver and the report's scoring workers call it once per checklist.  Returns how
    many were prepared (an expression that does not parse is left for the score to report)."""
    prepared = 0
    for text in expressions_of(checklist):
        try:
            expr.parse(text).prepare()
        except expr.ExpressionError:
            continue
        prepared += 1
    return prepared


def _rule(text: str | None, scope: expr.Scope) -> bool:
    if text is None:
        return True
    try:
        return expr.truthy(expr.parse(text).evaluate(scope)) is True
    except expr.ExpressionError:
        return False


def _answered(item: Item, value: Any) -> bool:
    if item.type is ItemType.TABLE:
        return bool(value)
    return value is not None


def score(checklist: Checklist, answers: Answers, *, today: dt.date | None = None,
          constraints: bool = True, strict_templates: bool = False, province: str | None = None,
          texts: str = "all") -> ScoreResult:
    """Relevance, every scored item's status and advice, section and overall scores, the level, and
    the ``issues`` of the answers.  ``constraints=False`` leaves answer constraints unchecked (answers
    already checked when stored, scored in bulk): only required-but-missing answers are issues then,
    and everything else in the result is the same.  ``strict_templates=True`` (tests) raises
    :class:`readiness.templates.TemplateRenderError` where an advice would print a missing value or a
    negative number, instead of printing "—" or 0.  ``province``: the commune's province code, whose
    contacts the advice names (``contacts.yaml``); None, or a province that gives none: the neutral ones.
    ``texts="advice"`` renders only what the department keeps of a score (:class:`readiness.department.scored.CommuneScore`):
    the Vietnamese advice of criteria not met or not answered; ``requirement``, ``requirement_en`` and ``advice_en``
    are then empty.  ``texts="none"`` renders no text at all (the window's standing of a draft: statuses, scores,
    level, relevance, issues).  Everything else in the result is the same."""
    if texts not in ("all", "advice", "none"):
        raise ValueError(f"texts must be 'all', 'advice' or 'none', not {texts!r}")
    today = today or dt.date.today()
    all_values = answers.scope_values()
    memos = _memos_pay(checklist)
    tables = _table_memo(checklist, all_values) if memos else None
    relevant = _relevance(checklist, all_values, today, tables)
    values = {k: v for k, v in all_values.items() if relevant.get(k)}
    thresholds = thresholds_of(checklist)
    base_scope = expr.Scope(values, thresholds=thresholds, today=today, tables=tables)
    all_texts = texts == "all"
    any_texts = texts != "none"
    issues = validate(checklist, answers, relevant, today=today, constraints=constraints)
    required_missing_by_item: dict[str, int] = {}
    for issue in issues:
        if issue.code == "E-ANS-REQUIRED":
            required_missing_by_item[issue.item] = required_missing_by_item.get(issue.item, 0) + 1

    contacts = checklist.contacts.fields(province)
    items: dict[str, ItemResult] = {}
    sections: list[SectionResult] = []
    total_weight = met_weight = 0.0
    critical_failed = 0
    answered_all = relevant_all = 0
    for section in checklist.sections:
        s_weight = s_met = 0.0
        counts = dict.fromkeys(_STATUSES, 0)
        s_total = s_answered = s_required_missing = 0
        for item in section.items:
            if not relevant.get(item.id):
                continue
            s_total += 1
            value = answers.values.get(item.id)  # Answers.get, without a call per item
            if _answered(item, value):
                s_answered += 1
            if item.id in required_missing_by_item:
                s_required_missing += 1
            if item.score is None:
                continue
            reads = None if strict_templates or not memos else _reads_of(item)
            key = None if reads is None else \
                _item_key(checklist, item, reads, value, base_scope, relevant, contacts, texts)
            known = None if key is None else _ITEMS.get(key)
            if known is not None and known[0] is item and known[1] is checklist:
                result = known[2]
            else:
                result = _score_item(checklist, section.id, item, value, base_scope,
                                     relevant=relevant, strict=strict_templates, contacts=contacts,
                                     thresholds=thresholds, all_texts=all_texts, any_texts=any_texts)
                if key is not None:
                    if len(_ITEMS) >= ITEMS_SIZE:
                        _ITEMS.clear()
                    _ITEMS[key] = (item, checklist, result)
            items[item.id] = result
            counts[result.status] += 1
            if result.status is Status.NA:
                continue
            s_weight += result.weight
            if result.status is Status.PASS:
                s_met += result.weight
            elif result.critical:
                critical_failed += 1
        sections.append(
            SectionResult(
                section_id=section.id, relevant=bool(relevant.get(section.id)),
                score=(100.0 * s_met / s_weight) if s_weight else None,
                items_total=s_total, items_answered=s_answered, required_missing=s_required_missing,
                passed=counts[Status.PASS], failed=counts[Status.FAIL], missing=counts[Status.MISSING],
                not_applicable=counts[Status.NA],
            )
        )
        total_weight += s_weight
        met_weight += s_met
        answered_all += s_answered
        relevant_all += s_total
    overall = 100.0 * met_weight / total_weight if total_weight else 0.0
    unanswered_required = sum(s.required_missing for s in sections)
    completion = answered_all / relevant_all if relevant_all else 1.0
    level_vars: dict[str, Any] = {
        "score": overall, "critical_failed": critical_failed,
        "unanswered_required": unanswered_required, "completion": completion,
    }
    for s in sections:
        level_vars[f"score_{s.section_id}"] = s.score
    level_scope = expr.Scope(level_vars, thresholds=thresholds, today=today)
    level_id = checklist.levels[-1].id
    for level in checklist.levels:
        if _rule(level.rule, level_scope):
            level_id = level.id
            break
    return ScoreResult(
        checklist_key=checklist.key, score=overall, level_id=level_id, critical_failed=critical_failed,
        unanswered_required=unanswered_required, completion=completion, sections=sections, items=items,
        relevant=relevant, issues=issues,
    )


# Item results of this process: (the checklist's and the item's identities, the texts wanted, everything the item
# reads) -> (the item, the checklist, its result).  Communes answer most questions alike (3,321 communes: ~222,000
# scored items, ~10,000 different inputs among the items that read no table).  Bounded: emptied when full.
_ITEMS: dict[tuple[Any, ...], tuple[Item, Checklist, ItemResult]] = {}
ITEMS_SIZE = 16_000
# What each item reads (see _reads_of): the item's identity -> (the item, what it reads).
_READS: ByIdentity[Item, tuple[tuple[str, ...], tuple[str, ...]] | None] = ByIdentity(4096)


def _reads_of(item: Item) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """What scoring ``item`` reads besides its checklist (thresholds, numbers, item types), its own answer and the
    date: (the answers its rules and its texts' conditions read, each with whether it applies; the fields its texts
    print, of which only the contacts can vary).  None when it reads a table (no exact key: scored afresh)."""
    return _READS.get(item, _item_reads)


def _item_reads(item: Item) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    rule = item.score
    assert rule is not None
    names: dict[str, None] = {}
    fields: dict[str, None] = {}
    try:
        for text in (*rule.let.values(), rule.na, rule.pass_):
            if not text:
                continue
            parsed = expr.parse(text)
            refs = parsed.names()
            if parsed.tables() or any(ref.table is not None for ref in refs):
                return None
            names.update((ref.name, None) for ref in refs if ref.name not in rule.let)
        for template in (rule.requirement, rule.advice):
            for source in {template.get("vi"), template.get("en")}:
                reads = templates.parse(source).reads()
                if reads is None:
                    return None
                fields.update((name, None) for name in reads[0] if name != "value")
                names.update((name, None) for name in reads[1] if name not in rule.let)
    except (expr.ExpressionError, templates.TemplateError):
        return None
    return tuple(names), tuple(fields)


def _item_key(checklist: Checklist, item: Item, reads: tuple[tuple[str, ...], tuple[str, ...]], value: Any,
              scope: expr.Scope, relevant: Mapping[str, bool], contacts: Mapping[str, Any], texts: str
              ) -> tuple[Any, ...] | None:
    """The key of :data:`_ITEMS` for ``item`` scored with these inputs: equal keys, equal results.  None when an
    input has no exact key (:func:`readiness.templates.key_of`)."""
    names, fields = reads
    key_of = templates.key_of
    key: list[Any] = [id(item), id(checklist), texts, scope.today, key_of(value)]
    append = key.append
    for name in fields:
        append(key_of(contacts[name]) if name in contacts else templates.ABSENT)
    for name in names:
        append(key_of(scope.lookup(name)))
        append(relevant.get(name))
    if templates.UNKEYED in key:
        return None
    return tuple(key)


def _score_item(checklist: Checklist, section_id: str, item: Item, value: Any, scope: expr.Scope, *,
                relevant: Mapping[str, bool], strict: bool = False,
                contacts: Mapping[str, Any] | None = None, thresholds: Mapping[str, Any] | None = None,
                all_texts: bool = True, any_texts: bool = True) -> ItemResult:
    rule = item.score
    assert rule is not None
    current = [row.values for row in value or ()] if item.type is ItemType.TABLE else value
    item_scope = scope.with_current(current)
    computed: dict[str, Any] = {}
    rows: dict[str, tuple[int, ...]] = {}
    error: str | None = None
    status: Status
    let_scope = item_scope
    try:
        lets = item_scope.with_row(computed)  # each let sees the ones before it (``computed`` as it grows)
        for name, text in rule.let.items():
            parsed = expr.parse(text)
            hits = parsed.count_rows(lets) if parsed.counted_table is not None else None
            if hits is None:
                computed[name] = parsed.evaluate(lets)
            else:  # count(table, condition): the count, and which rows it counts
                rows[name] = tuple(hits)
                computed[name] = len(hits)
        let_scope = lets
        na = expr.truthy(expr.parse(rule.na).evaluate(let_scope)) if rule.na else False
        if na is True:
            status = Status.NA
        else:
            met = expr.truthy(expr.parse(rule.pass_).evaluate(let_scope))
            status = Status.PASS if met is True else Status.FAIL if met is False else Status.MISSING
    except expr.ExpressionError as exc:
        # Data the rule cannot handle (should have been refused on entry): the item is not met,
        # and the reason is kept so a reviewer can see it.
        status, error = Status.FAIL, f"{exc.code}: {exc.message}"
    # The texts' fields only when a text is rendered: the import (``all_texts`` off) renders none for a met
    # or not-applicable criterion, the window's standing (``any_texts`` off) none at all.
    fields = _template_fields(checklist, item, value, computed, contacts, thresholds) \
        if any_texts and (all_texts or status is Status.FAIL) else {}
    try:
        requirement_vi = requirement_en = advice_vi = advice_en = ""
        if all_texts:
            requirement_vi = _rendered(item, rule.requirement, fields, "vi", let_scope, strict)
            requirement_en = _rendered(item, rule.requirement, fields, "en", let_scope, strict)
        if status is Status.FAIL and any_texts:
            advice_vi = _rendered(item, rule.advice, fields, "vi", let_scope, strict)
            if all_texts:
                advice_en = _rendered(item, rule.advice, fields, "en", let_scope, strict)
        elif status is Status.MISSING and any_texts:
            advice_vi, advice_en = _missing_advice(checklist, item, let_scope, relevant)
            advice_en = advice_en if all_texts else ""
    except templates.TemplateRenderError as render_error:  # strict rendering only (tests): say which item
        raise templates.TemplateRenderError(
            f"{checklist.number(item.id)} {item.id} ({status.value}): {render_error}") from render_error
    return _item_result(
        item_id=item.id, section_id=section_id, status=status, weight=rule.weight, critical=rule.critical,
        requirement=requirement_vi, requirement_en=requirement_en, advice=advice_vi, advice_en=advice_en,
        computed=computed, error=error, rows=rows,
    )


def _item_result(**values: Any) -> ItemResult:
    """``ItemResult(**values)`` given every field, made at a third of the cost: a frozen dataclass's ``__init__``
    sets each field through ``object.__setattr__`` (13 calls an item, 67 items a commune).  The same object:
    tests compare it with the constructor's, field by field."""
    result = _new_object(ItemResult)
    result.__dict__.update(values)
    return result


_new_object = object.__new__


# Rendered texts of this process: (the item's identity, template, language, what rendering reads) -> (the item,
# the text).  Communes meet the same few thousand sentences (3,321 communes: ~62,000 advice texts, ~5,000
# different ones).  Bounded: emptied when full (RENDERED_SIZE).
_RENDERED: dict[tuple[Any, ...], tuple[Item, str]] = {}
RENDERED_SIZE = 8_000  # 3,321 communes: 5,206 entries, under 10 MB


def _rendered(item: Item, template: Text, fields: Mapping[str, Any], lang: str, scope: expr.Scope,
              strict: bool) -> str:
    """:func:`render` of one of ``item``'s texts, or the same text rendered before with the same inputs
    (:meth:`readiness.templates.Template.inputs`; the field ``value`` prints with ``item``'s ``describe``, so
    the key holds the item: its identity, kept alive by the entry, so no other item can take its id)."""
    source = template.get(lang)
    if strict:
        return render(template, fields, lang, scope=scope, strict=True)
    try:
        inputs = templates.parse(source).inputs(fields, scope)
    except templates.TemplateError:
        inputs = None
    if inputs is None:
        return render(template, fields, lang, scope=scope)
    key = (id(item), source, lang, inputs)
    known = _RENDERED.get(key)
    if known is not None and known[0] is item:
        return known[1]
    text = render(template, fields, lang, scope=scope)
    if len(_RENDERED) >= RENDERED_SIZE:
        _RENDERED.clear()
    _RENDERED[key] = (item, text)
    return text


def _missing_advice(checklist: Checklist, item: Item, scope: expr.Scope, relevant: Mapping[str, bool]
                    ) -> tuple[str, str]:
    """What to do about a criterion that cannot be assessed yet: answer the questions its rule reads.

    Not the checklist's advice: that is written for a criterion that is not met, and filled with
    answers that are missing it would print "—" where a number belongs.
    """
    rule = item.score
    assert rule is not None
    needed: list[str] = []
    texts = [*rule.let.values(), *(t for t in (rule.na, rule.pass_) if t)]
    for text in texts:
        parsed = expr.parse(text)
        names = [ref.name for ref in parsed.names() if ref.table is None]
        if parsed.uses_current():
            names.insert(0, item.id)
        for name in names:
            if name in needed or name in rule.let or not relevant.get(name):
                continue
            try:
                other = checklist.item(name)
            except KeyError:
                continue
            answer = scope.current if name == item.id else scope.lookup(name)
            if answer is None or (other.type is ItemType.TABLE and not answer):
                needed.append(name)
    if not needed:
        return ("Chưa đủ câu trả lời để đánh giá tiêu chí này.",
                "Not enough answers yet to assess this criterion.")
    numbers = sorted((checklist.number(name) for name in needed), key=lambda n: tuple(int(p) for p in n.split(".")))
    return (f"Chưa đánh giá được: cần trả lời câu {join(numbers, 'vi')}.",
            f"Cannot be assessed yet: answer question{'s' if len(numbers) > 1 else ''} {join(numbers, 'en')}.")


def _template_fields(checklist: Checklist, item: Item, value: Any, computed: Mapping[str, Any],
                     contacts: Mapping[str, Any] | None = None,
                     thresholds: Mapping[str, Any] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = dict(contacts) if contacts else {}
    fields.update(thresholds if thresholds is not None else thresholds_of(checklist))
    fields.update(computed)
    fields["value"] = templates.Answer(value, functools.partial(describe, item))
    return fields


def render(template: Text, fields: Mapping[str, Any], lang: str, *, scope: expr.Scope | None = None,
           strict: bool = False) -> str:
    """Render a requirement or advice template (``readiness.templates``) in ``lang``; conditions are
    evaluated in ``scope`` (the item's rule scope: answers, thresholds, its ``let`` values)."""
    return templates.render(template.get(lang), fields, lang, scope=scope, strict=strict)
