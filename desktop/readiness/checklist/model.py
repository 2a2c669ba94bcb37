"""The typed model of a checklist definition.

A checklist file (YAML, see ``docs/checklist-format.md``) is parsed, validated against these
classes (:func:`validate`), then cross-checked by :mod:`readiness.checklist.loader` (ids unique,
expressions parse and refer to things that exist).  Everything the wizard, the scorer and the
exporters need to know about an item is here; nothing about items is hard-coded in code.

The classes are plain frozen dataclasses: what the program runs on is plain Python objects.  Their
equality, hash and repr are :class:`readiness.record.FrozenData`'s (the same as generated ones; fewer
methods for Python to compile when the window starts).
pydantic is used only to validate a file's data into them (:func:`validate` imports it then): it
reads the fields' types, the constraints written beside them (:class:`Rule`, :class:`Check`) and
runs each class's ``__post_init__`` rules, each error located at its field.  A checklist read back
from :mod:`readiness.checklist.cache` imports neither pydantic nor YAML.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from ..record import FrozenData, frozen_data

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Rule:
    """A constraint on a field's value (pydantic's ``Field`` arguments: ``pattern``, ``min_length``,
    ``gt`` ...), written beside its type: ``Annotated[str, Rule(max_length=4000)]``.  Applied only
    when a file is validated (:func:`validate`); the plain objects never look at it."""

    __slots__ = ("constraints",)

    def __init__(self, **constraints: Any):
        self.constraints = constraints

    def __repr__(self) -> str:
        return f"Rule({', '.join(f'{k}={v!r}' for k, v in sorted(self.constraints.items()))})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(**self.constraints)])


class Check:
    """A rule on a field's whole value (a plain function that raises ``ValueError``), applied after its
    type and :class:`Rule` when a file is validated: the error is located at the field."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[Any], Any]):
        self.function = function

    def __repr__(self) -> str:
        return f"Check({self.function.__name__})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


Identifier = Annotated[str, Rule(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
ExpressionText = Annotated[str, Rule(min_length=1, max_length=2000)]

# What pydantic reads of each class when it validates a file: a key the format does not have is an
# error, and ``pass`` (a Python keyword) is read into the field ``pass_``.
_STRICT = {"extra": "forbid", "populate_by_name": True}
_T = TypeVar("_T")


def validate(cls: type[_T], data: Any) -> _T:
    """``data`` (plain values, as YAML gives them) validated into ``cls``; raises ``pydantic.ValidationError``
    with every problem located.  The only place pydantic is imported."""
    return _adapter(cls).validate_python(data)


_ADAPTERS: dict[type, Any] = {}  # class -> its pydantic.TypeAdapter, built on the first validation


def _adapter(cls: type) -> Any:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


@frozen_data(kw_only=True)
class Text(FrozenData):
    """A text in Vietnamese (required) and English (optional; falls back to Vietnamese)."""

    __pydantic_config__ = _STRICT

    vi: Annotated[str, Rule(min_length=1, max_length=4000)]
    en: Annotated[str, Rule(max_length=4000)] | None = None

    def get(self, lang: str = "vi") -> str:
        if lang == "en" and self.en:
            return self.en
        return self.vi


class ItemType(StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    TABLE = "table"


SCALAR_TYPES = frozenset(t for t in ItemType if t is not ItemType.TABLE)
CHOICE_TYPES = frozenset({ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE})
NUMBER_TYPES = frozenset({ItemType.INTEGER, ItemType.DECIMAL})


@frozen_data(kw_only=True)
class Choice(FrozenData):
    """One option of a choice item: its id (what is stored) and its label in both languages."""

    __pydantic_config__ = _STRICT

    id: Identifier
    label: Text


@frozen_data(kw_only=True)
class Constraint(FrozenData):
    """A rule the answer must satisfy; ``.`` is the answer itself."""

    __pydantic_config__ = _STRICT

    expr: ExpressionText
    message: Text


class Refresh(StrEnum):
    """What happens to an answer when a new period starts from the last one (carry forward).

    ``keep``: carried as it is (an inventory: the PCs, the certificates); dates in it age by
    themselves, since every rule reads ``today``.  ``confirm``: carried, but the officer must
    confirm it this period (or change it) before finalizing.  ``renew``: never carried; this
    period's figure must be entered (a measured speed, outages in the last 3 months).
    """

    KEEP = "keep"
    CONFIRM = "confirm"
    RENEW = "renew"


DEFAULT_REFRESH = Refresh.CONFIRM  # an item without ``refresh`` (the petition table: ``renew``)


class ThresholdSource(StrEnum):
    SUGGESTED = "suggested"  # our proposal; the department's guidance letter is not public
    LEGAL = "legal"  # a value set by a legal document (cite it in ``basis``)
    PROVINCE = "province"  # a figure the province published (cite it in ``basis``)


@frozen_data(kw_only=True)
class Threshold(FrozenData):
    """A named value used by scoring rules as ``$name``; the department edits these."""

    __pydantic_config__ = _STRICT

    value: float | int | str
    unit: str | None = None
    source: ThresholdSource
    basis: str | None = None  # the document or finding behind the value
    label: Text

    def __post_init__(self) -> None:
        if self.source is not ThresholdSource.SUGGESTED and not self.basis:
            raise ValueError("a threshold that is not 'suggested' must cite its 'basis'")


@frozen_data(kw_only=True)
class Scoring(FrozenData):
    """How an item is assessed.

    ``let`` computes named values (available to ``pass``/``na`` and to ``advice`` as ``{name}``);
    ``na`` true gives Không áp dụng; otherwise ``pass`` true gives Đạt, false Chưa đạt, and an
    unknown result (the answer is missing) gives Chưa trả lời.
    """

    __pydantic_config__ = _STRICT

    weight: Annotated[float, Rule(gt=0, le=100)] = 1
    critical: bool = False
    let: dict[Identifier, ExpressionText] = field(default_factory=dict)
    na: ExpressionText | None = None
    pass_: ExpressionText = field(metadata={"alias": "pass"})
    requirement: Text
    advice: Text


@frozen_data(kw_only=True)
class _Question(FrozenData):
    """What an item and a table column have in common: a typed answer with its rules."""

    __pydantic_config__ = _STRICT

    id: Identifier
    type: ItemType
    label: Text
    hint: Text | None = None
    required: bool = False
    unit: str | None = None
    choices: list[Choice] | None = None
    constraint: Constraint | None = None
    min: float | None = None
    max: float | None = None
    # Carry forward (see Refresh); an item without one is ``confirm``, a column follows its table.
    refresh: Refresh | None = None


@frozen_data(kw_only=True)
class Column(_Question):
    """A typed column of a table item (no nested tables)."""

    def __post_init__(self) -> None:
        if self.type is ItemType.TABLE:
            raise ValueError("a column cannot be a table")
        _check_choices(self.type, self.choices)


@frozen_data(kw_only=True)
class Item(_Question):
    """One question of a section: what is asked and stored, when it applies, how it scores, a table's columns."""

    relevant: ExpressionText | None = None
    columns: list[Column] | None = None
    min_rows: Annotated[int, Rule(ge=0)] = 0
    max_rows: Annotated[int, Rule(ge=1, le=10000)] = 500
    row_label: Text | None = None  # "Máy tính" for the "add row" button
    score: Scoring | None = None
    probe: str | None = None  # name of a probe that can fill this item (issue 6)

    def __post_init__(self) -> None:
        _check_choices(self.type, self.choices)
        if self.type is ItemType.TABLE:
            if not self.columns:
                raise ValueError("a table item needs 'columns'")
            ids = [c.id for c in self.columns]
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"duplicate column ids: {', '.join(dup)}")
        elif self.columns:
            raise ValueError("only table items have 'columns'")

    def column(self, column_id: str) -> Column:
        for column in self.columns or ():
            if column.id == column_id:
                return column
        raise KeyError(column_id)


@frozen_data(kw_only=True)
class Section(FrozenData):
    """A part of the checklist (a page of the form) and its items, in order."""

    __pydantic_config__ = _STRICT

    id: Identifier
    title: Text
    description: Text | None = None
    relevant: ExpressionText | None = None
    items: Annotated[list[Item], Rule(min_length=1)]


@frozen_data(kw_only=True)
class Level(FrozenData):
    """A readiness level; the first whose rule holds applies (the last should be ``true``)."""

    __pydantic_config__ = _STRICT

    id: Identifier
    label: Text
    rule: ExpressionText
    description: Text | None = None
    color: Annotated[str, Rule(pattern=r"^#[0-9a-fA-F]{6}$")] = "#777777"


@frozen_data(kw_only=True)
class Contact(FrozenData):
    """A name or an address the advice prints, ``{tslcd_provider}``: the province's own when its entry
    in ``contacts.yaml`` says one, else the neutral ``default`` every province can follow."""

    __pydantic_config__ = _STRICT

    label: Text  # what it is, for the person who edits the file and for ``readiness checklist contacts``
    default: Text


@frozen_data(kw_only=True)
class ProvinceContacts(FrozenData):
    """One province's entry of ``contacts.yaml``: its name and the contacts its communes are told of."""

    __pydantic_config__ = _STRICT

    name: Annotated[str, Rule(min_length=1, max_length=200)]  # «Tỉnh Quảng Ngãi», for people
    values: dict[Identifier, Text] = field(default_factory=dict)


@frozen_data(kw_only=True)
class Contacts(FrozenData):
    """``contacts.yaml`` beside a checklist's versions: who a commune is told to ask, province by province.

    Data a province changes without touching the checklist (its hash, hence its identity, is the
    checklist file's alone).  The advice names a contact as a field; :meth:`fields` gives the values a
    commune of a province reads, each in both languages (:class:`readiness.templates.Words`)."""

    __pydantic_config__ = _STRICT

    format: Literal[1] = 1
    contacts: dict[Identifier, Contact] = field(default_factory=dict)
    provinces: dict[Annotated[str, Rule(pattern=r"^\d{2}$")], ProvinceContacts] = field(default_factory=dict)

    # Set by the loader, not read from the file.
    content_hash: str = ""
    source_path: str = ""

    def value(self, name: str, province: str | None) -> Text:
        """The text of contact ``name`` for a commune of ``province`` (None or unknown: the default)."""
        own = self.provinces.get(province or "")
        if own is not None and name in own.values:
            return own.values[name]
        return self.contacts[name].default

    def fields(self, province: str | None) -> dict[str, Any]:
        """Template fields: contact name -> :class:`readiness.templates.Words` for ``province`` (a few
        small objects per scoring: not worth a cache a copied model would share)."""
        from ..templates import Words

        out: dict[str, Any] = {}
        for name in self.contacts:
            text = self.value(name, province)
            out[name] = Words(text.vi, text.en or text.vi)
        return out

    def digest(self, province: str | None) -> str:
        """A short hash of what a commune of ``province`` reads: part of the score cache's key, so an edited
        contact is not served from results rendered before the edit (and other provinces' stay)."""
        return _digest(tuple(sorted((name, words.vi, words.en) for name, words in self.fields(province).items())))


@functools.lru_cache(maxsize=256)
def _digest(words: tuple[tuple[str, str, str], ...]) -> str:
    import hashlib

    return hashlib.sha256(repr(words).encode("utf-8")).hexdigest()[:16]


def _unique_levels(levels: list[Level]) -> list[Level]:
    ids = [level.id for level in levels]
    if len(set(ids)) != len(ids):
        raise ValueError("level ids must be unique")
    return levels


# Computed once per checklist object, kept in its __dict__ (functools.cached_property), never pickled
# (Checklist.__getstate__) nor compared.
_DERIVED = frozenset({"_item_index", "_numbers", "_threshold_values"})


@frozen_data(kw_only=True)
class Checklist(FrozenData):
    """A validated checklist definition: its sections and items, levels, thresholds and advice."""

    __pydantic_config__ = _STRICT

    format: Literal[1] = 1
    id: Annotated[str, Rule(pattern=r"^[a-z][a-z0-9-]{1,62}$")]
    version: Annotated[int, Rule(ge=1)]
    title: Text
    description: Text | None = None
    published: str | None = None  # dd/mm/yyyy
    thresholds: dict[Identifier, Threshold] = field(default_factory=dict)
    levels: Annotated[list[Level], Rule(min_length=1), Check(_unique_levels)]
    sections: Annotated[list[Section], Rule(min_length=1)]
    # The table item whose rows are the commune's difficulties and proposals; on finalize each row
    # becomes a petition the department tracks (needs text columns difficulty and proposal).
    petition_item: Identifier | None = None

    # Set by the loader, not read from the file (contacts: from ``contacts.yaml`` beside it, if any).
    content_hash: str = ""
    source_path: str = ""
    contacts: Contacts = field(default_factory=Contacts)

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name not in _DERIVED}

    # -- lookups -------------------------------------------------------------------
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        try:
            return self._item_index[item_id][1]
        except KeyError:
            raise KeyError(item_id) from None

    def section_of(self, item_id: str) -> Section:
        return self._item_index[item_id][0]

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    @functools.cached_property
    def _item_index(self) -> dict[str, tuple[Section, Item]]:
        return {item.id: (section, item) for section in self.sections for item in section.items}

    @functools.cached_property
    def _numbers(self) -> dict[str, str]:
        return {
            item.id: f"{s_index}.{i_index}"
            for s_index, section in enumerate(self.sections, start=1)
            for i_index, item in enumerate(section.items, start=1)
        }

    def number(self, item_id: str) -> str:
        """The item's number as every screen and document shows it: "3.2" (section 3, item 2)."""
        return self._numbers[item_id]

    def section_number(self, section_id: str) -> int:
        for s_index, section in enumerate(self.sections, start=1):
            if section.id == section_id:
                return s_index
        raise KeyError(section_id)

    def refresh(self, item_id: str) -> Refresh:
        """The item's carry-forward rule: as written; else ``renew`` for the petition table (a carried
        row would be sent again as a new petition), else :data:`DEFAULT_REFRESH`."""
        item = self.item(item_id)
        if item.refresh is not None:
            return item.refresh
        return Refresh.RENEW if item_id == self.petition_item else DEFAULT_REFRESH

    def column_refresh(self, item_id: str, column_id: str) -> Refresh:
        """A table column's rule: as written, else its table's."""
        column = self.item(item_id).column(column_id)
        return column.refresh if column.refresh is not None else self.refresh(item_id)

    def threshold_values(self) -> dict[str, float | int | str | date]:
        """Threshold values as rules see them (an ISO date string becomes a date); computed once."""
        return self._threshold_values

    @functools.cached_property
    def _threshold_values(self) -> dict[str, float | int | str | date]:
        values: dict[str, float | int | str | date] = {}
        for name, threshold in self.thresholds.items():
            value: float | int | str | date = threshold.value
            if isinstance(value, str) and _ISO_DATE.fullmatch(value):
                value = date.fromisoformat(value)
            values[name] = value
        return values

    @property
    def key(self) -> str:
        """``id@version``, how assessments and files name the definition."""
        return f"{self.id}@{self.version}"


def expressions_of(checklist: Checklist) -> list[str]:
    """Every expression text of ``checklist``, once each: levels, relevance, constraints (of items and of table
    columns), scoring rules with their ``let`` values, and the conditions in requirement, advice and constraint
    messages.  What the checklist cache keeps parsed beside a checklist (:mod:`.cache`)."""
    from .. import templates

    texts: list[str | None] = [level.rule for level in checklist.levels]
    messages = []
    for section in checklist.sections:
        texts.append(section.relevant)
        for item in section.items:
            texts.append(item.relevant)
            for spec in (item, *(item.columns or ())):
                if spec.constraint is not None:
                    texts.append(spec.constraint.expr)
                    messages.append(spec.constraint.message)
            if item.score is not None:
                texts.extend((*item.score.let.values(), item.score.na, item.score.pass_))
                messages.extend((item.score.requirement, item.score.advice))
    for message in messages:
        for text in (message.vi, message.en):
            if text:
                try:
                    texts.extend(condition.source for condition in templates.parse(text).conditions())
                except templates.TemplateError:
                    continue
    return [text for text in dict.fromkeys(texts) if text]


def class_fields() -> str:
    """Every class of the model with its fields and their types: part of the cache's key
    (:mod:`readiness.checklist.cache`), so a checklist cached by a program whose classes differ is not read."""
    return "|".join(f"{name}:{','.join(f'{f.name}={f.type}' for f in dataclasses.fields(cls))}"
                    for name, cls in sorted(globals().items())
                    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == __name__)


def _check_choices(item_type: ItemType, choices: list[Choice] | None) -> None:
    if item_type in CHOICE_TYPES:
        if not choices:
            raise ValueError(f"a {item_type.value} needs 'choices'")
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique")
    elif choices:
        raise ValueError(f"a {item_type.value} has no 'choices'")
