"""Answers: turning what a person typed (or a file held) into typed values, and checking them.

One set of rules for every way in: the wizard, ``readiness fill`` from JSON, the blank-template
importer and the submission importer all call :func:`coerce` and :func:`validate`.

Values in memory are Python values (``bool``, ``int``, ``float``, ``str``, ``datetime.date``,
``list[str]`` for multiple choice, ``list[Row]`` for tables).  :func:`to_json` and
:func:`from_json` convert to and from the JSON stored in the database and in files.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import expr
from .checklist.model import Checklist, Column, Item, ItemType
from .numbers import answer_number, number
from .record import Data, FrozenData, data, frozen_data
from .errors import ReadinessError
from .text import clean_text, fold

MAX_TEXT = 4000
MAX_NUMBER = 1e12


class AnswerError(ReadinessError, ValueError):
    """An answer that cannot be accepted: a code and a message in Vietnamese (and English), the item (and
    for a table item the 1-based row and the column)."""

    def __init__(self, code: str, message: str, message_en: str = "", *, item: str | None = None,
                 column: str | None = None, row: int | None = None):
        super().__init__(code, message, message_en, item=item, column=column, row=row)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def located(self, *, item: str | None = None, column: str | None = None, row: int | None = None) -> AnswerError:
        return AnswerError(self.code, self.message, self.message_en, item=item or self.item,
                           column=column or self.column, row=row or self.row)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "item": self.item, "column": self.column, "row": self.row,
                "message": self.message, "message_en": self.message_en}


@dataclass(eq=False, repr=False)
class Row(Data):
    """One row of a table item; ``id`` is the database id once stored."""

    values: dict[str, Any]
    id: int | None = None
    source: str = "typed"
    meta: dict[str, Any] | None = None

    @property
    def stored_id(self) -> int:
        """``id`` of a row the store has saved (raises ValueError for one that is not saved yet)."""
        if self.id is None:
            raise ValueError("the row is not stored yet")
        return self.id


@data()
class Answers(Data):
    """The answers of one assessment, keyed by item id (absent = not answered)."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, item_id: str, default: Any = None) -> Any:
        return self.values.get(item_id, default)

    def rows(self, item_id: str) -> list[Row]:
        return list(self.values.get(item_id) or [])

    def scope_values(self) -> dict[str, Any]:
        """Values as expressions see them: tables as lists of plain row dicts."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, list) and value and isinstance(value[0], Row):
                out[key] = [row.values for row in value]
            elif isinstance(value, list) and not value:
                out[key] = []
            else:
                out[key] = value
        return out


_TRUE = {"co", "yes", "true", "dung", "1", "x", "dat", "y"}
_FALSE = {"khong", "no", "false", "sai", "0", "n", "chua"}
_INT = re.compile(r"^[+-]?\d{1,15}$")
_VN_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_DEC = re.compile(r"^[+-]?(\d{1,15})([.,](\d{1,12}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_VN_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")  # control characters other than the line break


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def coerce(spec: Item | Column, raw: Any) -> Any:
    """Turn a raw answer into the typed value for ``spec``; ``None`` means "no answer".

    Raises :class:`AnswerError` naming the item (and for tables the row and column).
    """
    return converter(spec)(raw)


Converter = Callable[[Any], Any]
_CONVERTERS: dict[int, tuple[Item | Column, Converter]] = {}
_MAX_CONVERTERS = 20000  # a long-lived window that reloads checklists: the oldest are dropped past this


def converter(spec: Item | Column) -> Converter:
    """:func:`coerce` for one item or column: what its type needs is decided once per spec (an import
    coerces the same checklist's ~600 values in every file), not again for each value."""
    entry = _CONVERTERS.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    made = _table_converter(spec) if spec.type is ItemType.TABLE else _scalar_converter(spec)
    if len(_CONVERTERS) >= _MAX_CONVERTERS:
        _CONVERTERS.clear()
    _CONVERTERS[id(spec)] = (spec, made)  # the spec is held, so its id is not reused while the entry lives
    return made


def _scalar_converter(spec: Item | Column) -> Converter:
    convert = _unlocated(spec)

    def coerce_scalar(raw: Any) -> Any:
        try:
            return convert(raw)
        except AnswerError as error:
            raise error.located(item=error.item or spec.id) from None

    return coerce_scalar


def _unlocated(spec: Item | Column) -> Converter:
    """A scalar spec's conversion: ``None`` for a blank answer, else its type's rule; errors not yet located."""
    kind = spec.type
    if kind is ItemType.TEXT:
        def text(raw: Any) -> Any:
            if raw.__class__ is str and len(raw) <= _SHORT_TEXT:
                return _short_text(raw) if raw.strip() else None
            return None if _is_blank(raw) else _text(raw)

        return text
    if kind is ItemType.YES_NO:
        def yes_no(raw: Any) -> Any:
            if raw is True or raw is False:
                return raw
            return None if _is_blank(raw) else _yes_no(raw)

        return yes_no
    if kind is ItemType.INTEGER or kind is ItemType.DECIMAL:
        integer = kind is ItemType.INTEGER

        def numeric(raw: Any) -> Any:
            return None if _is_blank(raw) else _bounded(spec, _number(raw, integer=integer))

        return numeric
    if kind is ItemType.SINGLE_CHOICE:
        ids = frozenset(choice.id for choice in spec.choices or () if choice.id.strip())

        def single(raw: Any) -> Any:
            if raw.__class__ is str and raw in ids:  # an id as written: what _choice's first loop returns
                return raw
            return None if _is_blank(raw) else _choice(spec, raw)

        return single
    return lambda raw: None if _is_blank(raw) else _coerce_scalar(spec, raw)


def _coerce_scalar(spec: Item | Column, raw: Any) -> Any:
    kind = spec.type
    if kind is ItemType.YES_NO:
        return _yes_no(raw)
    if kind is ItemType.INTEGER:
        value = _number(raw, integer=True)
        return _bounded(spec, value)
    if kind is ItemType.DECIMAL:
        value = _number(raw, integer=False)
        return _bounded(spec, value)
    if kind is ItemType.TEXT:
        return _text(raw)
    if kind is ItemType.DATE:
        return _date(raw)
    if kind is ItemType.SINGLE_CHOICE:
        return _choice(spec, raw)
    if kind is ItemType.MULTI_CHOICE:
        values = raw if isinstance(raw, (list, tuple)) else [part for part in str(raw).split(";")]
        chosen: list[str] = []
        for part in values:
            if _is_blank(part):
                continue
            choice = _choice(spec, part)
            if choice not in chosen:
                chosen.append(choice)
        order = [c.id for c in spec.choices or ()]
        return sorted(chosen, key=order.index) or None
    raise AnswerError("E-ANS-TYPE", "Kiểu câu hỏi không được hỗ trợ.", f"Unsupported item type {kind}.")


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = fold(raw)
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise AnswerError("E-ANS-YESNO", f"Chỉ nhận «Có» hoặc «Không», nhận được «{_show(raw)}».",
                      f"Only 'yes' or 'no' is accepted, got '{_show(raw)}'.")


def _text(raw: Any) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise AnswerError("E-ANS-TEXT", "Câu trả lời phải là chữ.", "The answer must be text.")
    text = clean_text(str(raw))
    if len(text) > MAX_TEXT:
        raise AnswerError("E-ANS-TOO-LONG", f"Nội dung quá dài ({len(text)} ký tự, tối đa {MAX_TEXT}).",
                          f"Text too long ({len(text)} characters, at most {MAX_TEXT}).")
    if _CONTROL.search(text):
        raise AnswerError("E-ANS-TEXT", "Nội dung có ký tự điều khiển không hợp lệ.", "The text holds control characters.")
    return text or None


_SHORT_TEXT = 200
# The same short answers come back in every file of an import (an operating system, a brand): each is
# cleaned once.  Bounded: at most 4,096 texts of at most 200 characters; an error is raised again each time.
_short_text = functools.lru_cache(maxsize=4096)(_text)


def _show(raw: Any) -> str:
    text = str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def _number(raw: Any, *, integer: bool) -> int | float:
    if isinstance(raw, bool):
        raise AnswerError("E-ANS-NUMBER", "Câu trả lời phải là số.", "The answer must be a number.")
    if isinstance(raw, int):
        value: int | float = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise AnswerError("E-ANS-NUMBER", "Câu trả lời phải là số.", "The answer must be a number.")
        value = raw
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "").replace("\u00a0", "")
        if _VN_GROUPED.match(text):  # Vietnamese thousands: "1.000" is one thousand, "1.250,5" too
            text = text.replace(".", "")
        if _INT.match(text):
            value = int(text)
        else:
            match = _DEC.match(text)
            if not match:
                what = "số nguyên" if integer else "số"
                raise AnswerError("E-ANS-NUMBER", f"Phải là {what}, nhận được «{_show(raw)}».",
                                  f"Must be a {'whole ' if integer else ''}number, got '{_show(raw)}'.")
            value = float(text.replace(",", "."))
    else:
        raise AnswerError("E-ANS-NUMBER", "Câu trả lời phải là số.", "The answer must be a number.")
    if abs(value) > MAX_NUMBER:
        raise AnswerError("E-ANS-RANGE", "Số quá lớn.", "The number is too large.")
    if integer:
        if isinstance(value, float):
            if not value.is_integer():
                raise AnswerError("E-ANS-INTEGER", f"Phải là số nguyên, nhận được «{_show(raw)}».",
                                  f"Must be a whole number, got '{_show(raw)}'.")
            value = int(value)
        return value
    return float(value)


def _bounded(spec: Item | Column, value: int | float) -> int | float:
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.min is not None and value < spec.min:
        raise AnswerError("E-ANS-MIN", f"Giá trị nhỏ nhất là {_fmt(spec, spec.min)}{unit}.", f"The smallest allowed value is {_fmt(spec, spec.min, 'en')}{unit}.")
    if spec.max is not None and value > spec.max:
        raise AnswerError("E-ANS-MAX", f"Giá trị lớn nhất là {_fmt(spec, spec.max)}{unit}.", f"The largest allowed value is {_fmt(spec, spec.max, 'en')}{unit}.")
    return value


def _fmt(spec: Item | Column, value: float, lang: str = "vi") -> str:
    """A bound as the officer types it: no grouping (the field reads "1.024" as 1,024), the language's decimal mark."""
    return number(value, lang, grouped=False)


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        match = _ISO_DATE.match(text)
        try:
            if match:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            match = _VN_DATE.match(text)
            if match:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            raise AnswerError("E-ANS-DATE", f"Ngày không tồn tại: «{_show(raw)}».", f"No such date: '{_show(raw)}'.") from None
    raise AnswerError("E-ANS-DATE", f"Ngày phải có dạng dd/mm/yyyy, nhận được «{_show(raw)}».",
                      f"Dates are written dd/mm/yyyy, got '{_show(raw)}'.")


def _choice(spec: Item | Column, raw: Any) -> str:
    choices = spec.choices or []
    if isinstance(raw, str):
        text = raw.strip()
        for choice in choices:
            if text == choice.id:
                return choice.id
        folded = fold(text)
        for choice in choices:
            if folded in (fold(choice.label.vi), fold(choice.label.en or "")) or folded == choice.id:
                return choice.id
    allowed = ", ".join(f"«{c.label.vi}»" for c in choices)
    raise AnswerError("E-ANS-CHOICE", f"«{_show(raw)}» không có trong danh sách. Chọn một trong: {allowed}.",
                      f"'{_show(raw)}' is not one of the choices.")


def _table_converter(spec: Item | Column) -> Converter:
    assert isinstance(spec, Item)
    columns = {column.id: (column, _unlocated(column)) for column in spec.columns or ()}

    def coerce_table(raw: Any) -> list[Row]:
        try:
            return _coerce_table(spec, raw, columns)
        except AnswerError as error:
            raise error.located(item=error.item or spec.id) from None

    return coerce_table


def _coerce_table(spec: Item, raw: Any, known: Mapping[str, tuple[Column, Converter]]) -> list[Row]:
    if raw is None:
        return []
    if not isinstance(raw, (list, tuple)):
        raise AnswerError("E-ANS-TABLE", "Bảng phải là danh sách các dòng.", "A table must be a list of rows.")
    if len(raw) > spec.max_rows:
        raise AnswerError("E-ANS-ROWS", f"Bảng có {len(raw)} dòng, tối đa {spec.max_rows}.",
                          f"The table has {len(raw)} rows, at most {spec.max_rows}.")
    rows: list[Row] = []
    for index, entry in enumerate(raw, start=1):
        mapping = entry.__class__ is dict or isinstance(entry, Mapping)  # a dict (JSON) without the ABC's check
        if mapping:
            entry_values: Mapping[str, Any] = entry
            row_id, source, meta = None, "typed", None
        elif isinstance(entry, Row):
            entry_values = entry.values
            row_id, source, meta = entry.id, entry.source, entry.meta
        else:
            raise AnswerError("E-ANS-TABLE", f"Dòng {index} phải là một bản ghi có các cột.", f"Row {index} must be an object.", row=index)
        values: dict[str, Any] = {}
        for key, cell in entry_values.items():
            if key in ("_source", "_meta"):
                continue
            found = known.get(key)
            if found is None:
                raise AnswerError("E-ANS-COLUMN", f"Dòng {index}: không có cột «{key}».", f"Row {index}: no column '{key}'.",
                                  row=index, column=str(key))
            column, convert = found
            try:
                value = convert(cell)
            except AnswerError as error:
                raise error.located(item=spec.id, column=column.id, row=index) from None
            if value is not None:
                values[key] = value
        if mapping:
            source = str(entry.get("_source") or "typed")
            meta = entry.get("_meta") if isinstance(entry.get("_meta"), dict) else None
        if values:
            rows.append(Row(values=values, id=row_id, source=source, meta=meta))
    return rows


# -- JSON form -------------------------------------------------------------------------------------


def to_json(spec: Item | Column, value: Any) -> Any:
    if value is None:
        return None
    if spec.type is ItemType.DATE:
        return value.isoformat()
    if spec.type is ItemType.TABLE:
        assert isinstance(spec, Item)
        return [row_to_json(spec, row.values) for row in value]
    return value


def row_to_json(spec: Item, values: Mapping[str, Any]) -> dict[str, Any]:
    """A table row's JSON: its answered cells in the columns' order (what :func:`to_json` gives each)."""
    out: dict[str, Any] = {}
    for column_id, is_date in _json_columns(spec):
        value = values.get(column_id)
        if value is not None:
            out[column_id] = value.isoformat() if is_date else value  # to_json of a date column, of any other
    return out


_JSON_COLUMNS: dict[int, tuple[Item, tuple[tuple[str, bool], ...]]] = {}


def _json_columns(spec: Item) -> tuple[tuple[str, bool], ...]:
    """(column id, whether a date) of a table's columns, made once per table (as :func:`converter`)."""
    entry = _JSON_COLUMNS.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    columns = tuple((column.id, column.type is ItemType.DATE) for column in spec.columns or ())
    assert all(column.type is not ItemType.TABLE for column in spec.columns or ())  # to_json's rule: a scalar's
    if len(_JSON_COLUMNS) >= _MAX_CONVERTERS:
        _JSON_COLUMNS.clear()
    _JSON_COLUMNS[id(spec)] = (spec, columns)
    return columns


def from_json(spec: Item | Column, data: Any) -> Any:
    """Inverse of :func:`to_json`; data from outside still goes through :func:`coerce`."""
    return coerce(spec, data)


# -- validation of a whole assessment --------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Issue(FrozenData):
    """A problem with a stored answer: required but missing, or a constraint not met."""

    code: str
    item: str
    message: str
    message_en: str
    row: int | None = None
    column: str | None = None
    blocking: bool = True  # blocks finalizing


def check_constraint(spec: Item | Column, value: Any, scope: expr.Scope) -> AnswerError | None:
    """Evaluate the constraint of an item (or column, with a row scope) for a value."""
    if value is None or spec.constraint is None:
        return None
    try:
        ok = expr.truthy(expr.parse(spec.constraint.expr).evaluate(scope.with_current(_scalar_for_expr(value))))
    except expr.ExpressionError as error:
        return AnswerError("E-ANS-RULE", f"Không kiểm tra được điều kiện: {error.message}", error.message)
    if ok is False:
        return AnswerError("E-ANS-CONSTRAINT", spec.constraint.message.vi, spec.constraint.message.get("en"))
    return None


def _scalar_for_expr(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], Row):
        return [row.values for row in value]
    return value


def validate(checklist: Checklist, answers: Answers, relevant: Mapping[str, bool], *, today: dt.date | None = None,
             constraints: bool = True) -> list[Issue]:
    """Every required-but-missing answer and every unmet constraint among relevant items.

    ``constraints=False``: required answers only (for answers checked already when they were stored)."""
    issues: list[Issue] = []
    scope = expr.Scope({})  # the answers' scope: only where constraints are checked
    if constraints:
        values = {k: v for k, v in answers.scope_values().items() if relevant.get(k, False)}
        scope = expr.Scope(values, thresholds=checklist.threshold_values(), today=today)
    for item in checklist.items():
        if not relevant.get(item.id, False):
            continue
        value = answers.get(item.id)
        if item.type is ItemType.TABLE:
            rows = value or []
            if item.required and len(rows) < max(1, item.min_rows):
                need = max(1, item.min_rows)
                issues.append(Issue("E-ANS-REQUIRED", item.id, f"Cần ít nhất {need} dòng.", f"At least {need} row(s) needed."))
            # Without constraints only a required cell can be an issue: the other columns are not looked at.
            columns = (item.columns or ()) if constraints else [c for c in item.columns or () if c.required]
            for index, row in enumerate(rows, start=1):
                row_scope = scope.with_row(row.values) if constraints else scope
                for column in columns:
                    cell = row.values.get(column.id)
                    if cell is None and column.required:
                        issues.append(Issue("E-ANS-REQUIRED", item.id, f"Dòng {index}: chưa nhập «{column.label.vi}».",
                                            f"Row {index}: '{column.label.get('en')}' is missing.", index, column.id))
                        continue
                    problem = check_constraint(column, cell, row_scope) if constraints else None
                    if problem:
                        issues.append(Issue(problem.code, item.id, f"Dòng {index}, «{column.label.vi}»: {problem.message}",
                                            f"Row {index}, '{column.label.get('en')}': {problem.message_en}", index, column.id))
            continue
        if value is None:
            if item.required:
                issues.append(Issue("E-ANS-REQUIRED", item.id, "Câu hỏi bắt buộc, chưa trả lời.", "Required, not answered yet."))
            continue
        problem = check_constraint(item, value, scope) if constraints else None
        if problem:
            issues.append(Issue(problem.code, item.id, problem.message, problem.message_en))
    return issues


def coerce_all(checklist: Checklist, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[AnswerError]]:
    """Coerce a mapping of item id -> raw answer; returns (values, errors) — errors name the item."""
    values: dict[str, Any] = {}
    errors: list[AnswerError] = []
    for key, data in raw.items():
        try:
            item = checklist.item(key)
        except KeyError:
            errors.append(AnswerError("E-ANS-ITEM", f"Không có câu hỏi mã «{key}» trong bảng kiểm {checklist.key}.",
                                      f"No item '{key}' in checklist {checklist.key}.", item=str(key)))
            continue
        try:
            values[key] = coerce(item, data)
        except AnswerError as error:
            errors.append(error)
    return values, errors


def describe(spec: Item | Column, value: Any, lang: str = "vi") -> str:
    """A value as a person reads it: "Có", "12,5 Mbps", "13/10/2026", labels of choices."""
    if value is None:
        return ""
    kind = spec.type
    if kind is ItemType.YES_NO:
        return ("Có" if value else "Không") if lang == "vi" else ("Yes" if value else "No")
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        text = answer_number(spec, value, lang)
        return f"{text} {spec.unit}" if spec.unit else text
    if kind is ItemType.DATE:
        return value.strftime("%d/%m/%Y")
    if kind is ItemType.SINGLE_CHOICE:
        return _label(spec, value, lang)
    if kind is ItemType.MULTI_CHOICE:
        return "; ".join(_label(spec, v, lang) for v in value)
    if kind is ItemType.TABLE:
        count = len(value)
        return f"{count} dòng" if lang == "vi" else f"{count} row(s)"
    return str(value)


def _label(spec: Item | Column, choice_id: str, lang: str) -> str:
    for choice in spec.choices or ():
        if choice.id == choice_id:
            return choice.label.get(lang)
    return choice_id


def format_number(value: float | int, lang: str = "vi") -> str:
    """12345.5 -> "12.345,5" in Vietnamese, "12,345.5" in English (:func:`readiness.numbers.number`)."""
    return number(value, lang)


def iter_cells(item: Item, rows: Iterable[Row]) -> Iterable[tuple[int, Column, Any]]:
    for index, row in enumerate(rows, start=1):
        for column in item.columns or ():
            yield index, column, row.values.get(column.id)
