"""The typed model of a checklist definition.

A checklist file (YAML, see ``docs/checklist-format.md``) is parsed, validated against
these pydantic models, then cross-checked by :mod:`readiness.checklist.loader` (ids unique,
expressions parse and refer to things that exist).  Everything the wizard, the scorer and
the exporters need to know about an item is here; nothing about items is hard-coded in code.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator, model_validator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
ExpressionText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Strict(BaseModel):
    # defer_build: the validators are built on first validation, not at import (a start that reads the
    # validated checklist from readiness.checklist.cache never needs them).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Strict):
    """A text in Vietnamese (required) and English (optional; falls back to Vietnamese)."""

    vi: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    en: Annotated[str, StringConstraints(max_length=4000)] | None = None

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


class Choice(_Strict):
    id: Identifier
    label: Text


class Constraint(_Strict):
    """A rule the answer must satisfy; ``.`` is the answer itself."""

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


class Threshold(_Strict):
    """A named value used by scoring rules as ``$name``; the department edits these."""

    value: float | int | str
    unit: str | None = None
    source: ThresholdSource
    basis: str | None = None  # the document or finding behind the value
    label: Text

    @model_validator(mode="after")
    def _basis_for_non_suggested(self) -> Threshold:
        if self.source is not ThresholdSource.SUGGESTED and not self.basis:
            raise ValueError("a threshold that is not 'suggested' must cite its 'basis'")
        return self


class Scoring(_Strict):
    """How an item is assessed.

    ``let`` computes named values (available to ``pass``/``na`` and to ``advice`` as ``{name}``);
    ``na`` true gives Không áp dụng; otherwise ``pass`` true gives Đạt, false Chưa đạt, and an
    unknown result (the answer is missing) gives Chưa trả lời.
    """

    weight: Annotated[float, Field(gt=0, le=100)] = 1
    critical: bool = False
    let: dict[Identifier, ExpressionText] = Field(default_factory=dict)
    na: ExpressionText | None = None
    pass_: ExpressionText = Field(alias="pass")
    requirement: Text
    advice: Text

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class _Question(_Strict):
    """What an item and a table column have in common: a typed answer with its rules."""

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


class Column(_Question):
    """A typed column of a table item (no nested tables)."""

    @model_validator(mode="after")
    def _check(self) -> Column:
        if self.type is ItemType.TABLE:
            raise ValueError("a column cannot be a table")
        _check_choices(self.type, self.choices)
        return self


class Item(_Question):
    relevant: ExpressionText | None = None
    columns: list[Column] | None = None
    min_rows: Annotated[int, Field(ge=0)] = 0
    max_rows: Annotated[int, Field(ge=1, le=10000)] = 500
    row_label: Text | None = None  # "Máy tính" for the "add row" button
    score: Scoring | None = None
    probe: str | None = None  # name of a probe that can fill this item (issue 6)

    @model_validator(mode="after")
    def _check(self) -> Item:
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
        return self

    def column(self, column_id: str) -> Column:
        for column in self.columns or ():
            if column.id == column_id:
                return column
        raise KeyError(column_id)


class Section(_Strict):
    id: Identifier
    title: Text
    description: Text | None = None
    relevant: ExpressionText | None = None
    items: Annotated[list[Item], Field(min_length=1)]


class Level(_Strict):
    """A readiness level; the first whose rule holds applies (the last should be ``true``)."""

    id: Identifier
    label: Text
    rule: ExpressionText
    description: Text | None = None
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#777777"


class Contact(_Strict):
    """A name or an address the advice prints, ``{tslcd_provider}``: the province's own when its entry
    in ``contacts.yaml`` says one, else the neutral ``default`` every province can follow."""

    label: Text  # what it is, for the person who edits the file and for ``readiness checklist contacts``
    default: Text


class ProvinceContacts(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]  # «Tỉnh Quảng Ngãi», for people
    values: dict[Identifier, Text] = Field(default_factory=dict)


class Contacts(_Strict):
    """``contacts.yaml`` beside a checklist's versions: who a commune is told to ask, province by province.

    Data a province changes without touching the checklist (its hash, hence its identity, is the
    checklist file's alone).  The advice names a contact as a field; :meth:`fields` gives the values a
    commune of a province reads, each in both languages (:class:`readiness.templates.Words`)."""

    format: Literal[1] = 1
    contacts: dict[Identifier, Contact] = Field(default_factory=dict)
    provinces: dict[Annotated[str, StringConstraints(pattern=r"^\d{2}$")], ProvinceContacts] = Field(default_factory=dict)

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
    return hashlib.sha256(repr(words).encode("utf-8")).hexdigest()[:16]


class Checklist(_Strict):
    format: Literal[1] = 1
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,62}$")]
    version: Annotated[int, Field(ge=1)]
    title: Text
    description: Text | None = None
    published: str | None = None  # dd/mm/yyyy
    thresholds: dict[Identifier, Threshold] = Field(default_factory=dict)
    levels: Annotated[list[Level], Field(min_length=1)]
    sections: Annotated[list[Section], Field(min_length=1)]
    # The table item whose rows are the commune's difficulties and proposals; on finalize each row
    # becomes a petition the department tracks (needs text columns difficulty and proposal).
    petition_item: Identifier | None = None

    # Set by the loader, not read from the file (contacts: from ``contacts.yaml`` beside it, if any).
    content_hash: str = ""
    source_path: str = ""
    contacts: Contacts = Field(default_factory=Contacts)
    _item_index: dict[str, tuple[Section, Item]] | None = PrivateAttr(default=None)
    _numbers: dict[str, str] | None = PrivateAttr(default=None)
    _threshold_values: dict[str, float | int | str | date] | None = PrivateAttr(default=None)

    @field_validator("levels")
    @classmethod
    def _levels_unique(cls, levels: list[Level]) -> list[Level]:
        ids = [level.id for level in levels]
        if len(set(ids)) != len(ids):
            raise ValueError("level ids must be unique")
        return levels

    # -- lookups -------------------------------------------------------------------
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        try:
            return self._index()[item_id][1]
        except KeyError:
            raise KeyError(item_id) from None

    def section_of(self, item_id: str) -> Section:
        return self._index()[item_id][0]

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

    def _index(self) -> dict[str, tuple[Section, Item]]:
        if self._item_index is None:
            self._item_index = {item.id: (section, item) for section in self.sections for item in section.items}
        return self._item_index

    def number(self, item_id: str) -> str:
        """The item's number as every screen and document shows it: "3.2" (section 3, item 2)."""
        if self._numbers is None:
            self._numbers = {
                item.id: f"{s_index}.{i_index}"
                for s_index, section in enumerate(self.sections, start=1)
                for i_index, item in enumerate(section.items, start=1)
            }
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
        if self._threshold_values is None:
            values: dict[str, float | int | str | date] = {}
            for name, threshold in self.thresholds.items():
                value: float | int | str | date = threshold.value
                if isinstance(value, str) and _ISO_DATE.fullmatch(value):
                    value = date.fromisoformat(value)
                values[name] = value
            self._threshold_values = values
        return self._threshold_values

    @property
    def key(self) -> str:
        """``id@version``, how assessments and files name the definition."""
        return f"{self.id}@{self.version}"


def _check_choices(item_type: ItemType, choices: list[Choice] | None) -> None:
    if item_type in CHOICE_TYPES:
        if not choices:
            raise ValueError(f"a {item_type.value} needs 'choices'")
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique")
    elif choices:
        raise ValueError(f"a {item_type.value} has no 'choices'")
