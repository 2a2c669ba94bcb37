"""The small template language of a checklist's texts: what the commune reads in advice.

A scored item's ``requirement`` and ``advice`` are templates; so are the other texts of a
checklist (labels, hints, descriptions), where only thresholds may be named.  The reference is
``docs/checklist-format.md`` ("Templates"); in short:

- ``{name}`` prints a value: a computed ``let`` value, a threshold, or ``value`` (the answer as a
  person reads it).  Numbers are printed in the language's format, dates as dd/mm/yyyy.
- ``{if EXPR}…{elif EXPR}…{else}…{end}`` prints the first branch whose condition is true; ``else``
  when every condition is false.  A condition that is null (an answer it needs is missing) prints
  nothing at all, not the ``else``: "unknown" must not read as "no".
- ``{list}…{end}`` prints its parts that are not empty, joined as a person lists things:
  "a, b và c" / "a, b and c".  Each ``{if}``, ``{list}``, field or piece of text directly inside is a
  part; text made only of spaces is not.

So a sentence says only what is true: "hết hạn ngày … ({days_over} ngày trước)" only when the
date is past, a clause "cho {n} máy" only when n is not zero, and the number printed next to a
requirement is the rule's own threshold.  After rendering, runs of spaces become one space and a
space before ``. , ; : )`` is dropped, so a skipped clause leaves no gap.

Rendering never fails in the product: a value that is missing prints "—" and a negative number
prints 0 (an older checklist could compute "days left" of an expired certificate).  Tests render
with ``strict=True``, where both raise :class:`TemplateRenderError`, so a checklist whose advice
could print either is caught before it ships.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import expr
from .errors import ReadinessError
from .numbers import number as format_number
from .record import FrozenData

__all__ = ["Answer", "Words", "Template", "TemplateError", "TemplateRenderError", "parse", "render", "show", "FIELD"]

FIELD = re.compile(r"[a-z_][a-z0-9_]*")
_TAG = re.compile(r"\{([^{}]*)\}")
MAX_LENGTH = 4000
MAX_DEPTH = 10
_JOIN = {"vi": (", ", " và "), "en": (", ", " and ")}
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:)])")


class TemplateError(ReadinessError):
    """A template that cannot be parsed (a checklist error: the loader reports it as E-CL-TEMPLATE)."""

    code = "E-CL-TEMPLATE"

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        super().__init__(None, message)

    def __str__(self) -> str:
        return self.message if self.position is None else f"{self.message} (at character {self.position + 1})"


@dataclass(frozen=True, eq=False, repr=False)  # FrozenData's equality, hash and repr: fewer methods compiled
class Answer(FrozenData):
    """An answer a sentence prints as a person reads it, with its unit or its choice's label:
    ``describe(value, lang)`` says it (scoring passes :func:`readiness.answers.describe` for the
    item), so the template language needs no checklist to print one."""

    value: Any
    describe: Callable[[Any, str], str]


@dataclass(frozen=True, eq=False, repr=False)  # FrozenData's equality, hash and repr: fewer methods compiled
class Words(FrozenData):
    """A name a sentence prints in its own language (a contact of the province: «VNPT Quảng Ngãi …»)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


class TemplateRenderError(ReadinessError):
    """Strict rendering met a value that would make the sentence untrue (tests only)."""

    code = "E-CL-TEMPLATE"

    def __init__(self, message: str):
        super().__init__(None, message)

    def __str__(self) -> str:
        return self.message


# -- syntax tree ------------------------------------------------------------------------------------


# The parsed template's parts are plain classes with slots, not data classes: nothing compares, hashes or
# prints them, and the window's start imports this module (a data class costs ~3.8 M instructions to create).
class _Text:
    """Literal text of a template."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Field:
    """A ``{field}`` of a template; ``pos`` is where an error about it points."""

    __slots__ = ("name", "pos")

    def __init__(self, name: str, pos: int) -> None:
        self.name = name
        self.pos = pos


class _If:
    """An ``{if …}`` block: its branches (condition, parts) and the ``{else}`` parts."""

    __slots__ = ("branches", "otherwise")

    def __init__(self, branches: tuple[tuple[expr.Expression, tuple[Any, ...]], ...],
                 otherwise: tuple[Any, ...] | None) -> None:
        self.branches = branches
        self.otherwise = otherwise


class _List:
    """A ``{list}`` block: its parts, joined as a list."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Any, ...]) -> None:
        self.parts = parts


class Template:
    """A parsed template: immutable, cached by :func:`parse`."""

    __slots__ = ("source", "nodes", "_blocks", "_reads")

    def __init__(self, source: str, nodes: tuple[Any, ...]):
        self.source = source
        self.nodes = nodes
        self._blocks = any(isinstance(node, (_If, _List)) for node in _walk(nodes))
        self._reads = _reads(self)

    def fields(self) -> set[str]:
        """Every ``{name}`` printed somewhere in the template."""
        return {node.name for node in _walk(self.nodes) if isinstance(node, _Field)}

    def conditions(self) -> list[expr.Expression]:
        return [condition for node in _walk(self.nodes) if isinstance(node, _If) for condition, _ in node.branches]

    def has_blocks(self) -> bool:
        return self._blocks

    def reads(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool] | None:
        """What rendering reads: its fields' names, its conditions' names and thresholds, and whether they read
        ``.``; None when a condition reads a table (the keys of :meth:`inputs`)."""
        return self._reads

    def inputs(self, fields: Mapping[str, Any], scope: expr.Scope) -> tuple[Any, ...] | None:
        """Everything :meth:`render` reads of ``fields`` and ``scope``, as one hashable key: two renderings
        (same language, not strict) whose keys are equal print the same text.  Each value is keyed with its
        type (``1``, ``1.0`` and ``True`` print differently).  An :class:`Answer` is keyed by its value only:
        its ``describe`` is the caller's to key.  None when the template reads something that has no such key
        (a table, a row of one, a value of another type), or when ``scope`` is strict."""
        reads = self._reads
        if reads is None or scope.strict:
            return None
        field_names, names, thresholds, current = reads
        key: list[Any] = []
        append = key.append
        for name in field_names:
            append(key_of(fields[name]) if name in fields else ABSENT)
        if names or thresholds or current:
            if scope.today is None:  # today() would read the clock
                return None
            for name in names:
                append(key_of(scope.lookup(name)))
            for name in thresholds:
                append(key_of(scope.thresholds[name]) if name in scope.thresholds else ABSENT)
            if current:
                append(key_of(scope.current))
            append(key_of(scope.today))
        if UNKEYED in key:
            return None
        return tuple(key)

    def render(self, fields: Mapping[str, Any], lang: str = "vi", *, scope: expr.Scope | None = None,
               strict: bool = False) -> str:
        out = _Renderer(fields, lang, scope, strict).nodes(self.nodes)
        # Only a skipped block can leave a double space or a space before a full stop; a plain
        # template is printed as written (and most of a checklist's templates are plain).
        return _tidy(out) if self._blocks else out


ABSENT = ("absent",)  # a field the fields do not hold (printed as written), or an unknown threshold
UNKEYED = ("unkeyed",)  # a value without an exact key: no key for the whole rendering
_KEYED_TYPES = frozenset({int, bool, str, type(None), dt.date})


def key_of(value: Any) -> Any:
    """``value``'s exact key (its type and value), or :data:`UNKEYED`."""
    kind = type(value)
    if kind in _KEYED_TYPES:
        return kind, value
    if kind is float:
        return kind, value.hex()  # -0.0 == 0.0, yet a key must tell every value that could print differently
    if kind is Words:
        return kind, value.vi, value.en
    if kind is Answer:
        inner = key_of(value.value)
        return UNKEYED if inner is UNKEYED else (kind, inner)
    return UNKEYED


def _reads(template: Template) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool] | None:
    """What rendering ``template`` reads: its fields' names, and its conditions' names, thresholds and whether
    they read ``.``; None when a condition reads a table (aggregates, row names: no exact key, see ``inputs``)."""
    field_names = tuple(dict.fromkeys(node.name for node in _walk(template.nodes) if isinstance(node, _Field)))
    names: dict[str, None] = {}
    thresholds: dict[str, None] = {}
    current = False
    for condition in template.conditions():
        refs = condition.names()
        if condition.tables() or any(ref.table is not None for ref in refs):
            return None
        names.update(dict.fromkeys(ref.name for ref in refs))
        thresholds.update(dict.fromkeys(sorted(condition.thresholds())))
        current = current or condition.uses_current()
    return field_names, tuple(names), tuple(thresholds), current


def _walk(nodes: tuple[Any, ...]) -> Iterator[Any]:
    for node in nodes:
        yield node
        if isinstance(node, _If):
            for _condition, body in node.branches:
                yield from _walk(body)
            if node.otherwise is not None:
                yield from _walk(node.otherwise)
        elif isinstance(node, _List):
            yield from _walk(node.parts)


def _tidy(text: str) -> str:
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text)).strip()


# -- parsing --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Template:
    """Parse template text; raises :class:`TemplateError` (unknown tag, unclosed block, bad condition)."""
    if len(text) > MAX_LENGTH:
        raise TemplateError(f"a template is at most {MAX_LENGTH} characters")
    tokens = _tokens(text)
    nodes, stop, _pos = _parse_block(tokens, 0, text, depth=0, closers=())
    if stop is not None:
        raise TemplateError(f"'{{{stop[0]}}}' without a matching '{{if}}' or '{{list}}'", stop[1])
    return Template(text, nodes)


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    """("text", str, pos) and ("tag", content, pos) tokens; a stray brace is an error."""
    tokens: list[tuple[str, Any, int]] = []
    index = 0
    for match in _TAG.finditer(text):
        if match.start() > index:
            tokens.append(("text", text[index:match.start()], index))
        tokens.append(("tag", match.group(1).strip(), match.start()))
        index = match.end()
    if index < len(text):
        tokens.append(("text", text[index:], index))
    for kind, value, pos in tokens:
        if kind == "text":
            for offset, char in enumerate(value):
                if char in "{}":
                    raise TemplateError(f"a lone '{char}'; write {{name}} or a block such as {{if …}}…{{end}}",
                                        pos + offset)
    return tokens


def _parse_block(tokens: list, index: int, source: str, *, depth: int, closers: tuple[str, ...]
                 ) -> tuple[tuple[Any, ...], tuple[str, int] | None, int]:
    """Nodes up to a closing tag in ``closers``; returns (nodes, (closing tag, its position) or None, next index)."""
    if depth > MAX_DEPTH:
        raise TemplateError(f"blocks nested more than {MAX_DEPTH} deep")
    nodes: list[Any] = []
    while index < len(tokens):
        kind, value, pos = tokens[index]
        index += 1
        if kind == "text":
            nodes.append(_Text(value))
            continue
        word, _, rest = value.partition(" ")
        word = word.strip()
        if word in ("end", "else", "elif"):
            if word not in closers:
                raise TemplateError(f"'{{{value}}}' has no matching '{{if}}' or '{{list}}'", pos)
            return tuple(nodes), (value, pos), index
        if word == "if":
            node, index = _parse_if(tokens, index, rest, pos, source, depth)
            nodes.append(node)
        elif word == "list" and not rest.strip():
            body, stop, index = _parse_block(tokens, index, source, depth=depth + 1, closers=("end",))
            if stop is None:
                raise TemplateError("'{list}' is not closed with '{end}'", pos)
            nodes.append(_List(tuple(n for n in body if not (isinstance(n, _Text) and not n.text.strip()))))
        elif FIELD.fullmatch(value):
            nodes.append(_Field(value, pos))
        else:
            raise TemplateError(f"'{{{value}}}' is neither a name nor a block ({{if …}}, {{elif …}}, {{else}}, "
                                "{list}, {end})", pos)
    return tuple(nodes), None, index


def _condition(text: str, pos: int) -> expr.Expression:
    if not text.strip():
        raise TemplateError("'{if}' needs a condition", pos)
    try:
        return expr.parse(text.strip())
    except expr.ExpressionError as error:
        raise TemplateError(f"condition «{text.strip()}»: {error.message}", pos) from None


def _parse_if(tokens: list, index: int, condition_text: str, pos: int, source: str, depth: int) -> tuple[_If, int]:
    branches: list[tuple[expr.Expression, tuple[Any, ...]]] = []
    condition = _condition(condition_text, pos)
    otherwise: tuple[Any, ...] | None = None
    while True:
        body, stop, index = _parse_block(tokens, index, source, depth=depth + 1, closers=("end", "else", "elif"))
        if stop is None:
            raise TemplateError("'{if}' is not closed with '{end}'", pos)
        tag, tag_pos = stop
        word, _, rest = tag.partition(" ")
        if otherwise is not None:
            if word != "end":
                raise TemplateError(f"'{{{tag}}}' after '{{else}}'", tag_pos)
            otherwise = body
            return _If(tuple(branches), otherwise), index
        branches.append((condition, body))
        if word == "end":
            return _If(tuple(branches), None), index
        if word == "else":
            if rest.strip():
                raise TemplateError("'{else}' takes no condition (write '{elif …}')", tag_pos)
            otherwise = ()
            continue
        condition = _condition(rest, tag_pos)


# -- rendering ------------------------------------------------------------------------------------


class _Renderer:
    def __init__(self, fields: Mapping[str, Any], lang: str, scope: expr.Scope | None, strict: bool):
        self.fields = fields
        self.lang = lang
        self.scope = scope
        self.strict = strict

    def nodes(self, nodes: tuple[Any, ...]) -> str:
        return "".join(self.node(node) for node in nodes)

    def node(self, node: Any) -> str:
        if isinstance(node, _Text):
            return node.text
        if isinstance(node, _Field):
            return self.field(node)
        if isinstance(node, _If):
            for condition, body in node.branches:
                verdict = self.test(condition)
                if verdict is None:
                    return ""  # unknown: say nothing rather than the wrong branch
                if verdict:
                    return self.nodes(body)
            return self.nodes(node.otherwise) if node.otherwise is not None else ""
        if isinstance(node, _List):
            parts = [_tidy(self.node(part)) for part in node.parts]
            return join([p for p in parts if p], self.lang)
        raise TypeError(node)  # pragma: no cover

    def field(self, node: _Field) -> str:
        if node.name not in self.fields:
            if self.strict:
                raise TemplateRenderError(f"{{{node.name}}} is not a computed value, threshold or 'value'")
            return "{" + node.name + "}"
        return show(self.fields[node.name], self.lang, strict=self.strict, name=node.name)

    def test(self, condition: expr.Expression) -> bool | None:
        scope = self.scope if self.scope is not None else expr.Scope(
            {k: v for k, v in self.fields.items() if not isinstance(v, (Answer, Words))})
        try:
            return expr.truthy(condition.evaluate(scope))
        except expr.ExpressionError as error:
            if self.strict:
                raise TemplateRenderError(f"condition «{condition.source}»: {error}") from error
            return None


def join(parts: list[str], lang: str = "vi") -> str:
    """"a", "a và b", "a, b và c" (English: "a, b and c")."""
    comma, last = _JOIN.get(lang, _JOIN["en"])
    if len(parts) <= 1:
        return "".join(parts)
    return comma.join(parts[:-1]) + last + parts[-1]


def _is_answer(value: Any) -> bool:
    """``value`` is passed as an :class:`Answer` so that it prints with its unit or choice label."""
    return isinstance(value, Answer)


def show(value: Any, lang: str = "vi", *, strict: bool = False, name: str = "") -> str:
    """A value as a sentence prints it: numbers in the language's format, dates dd/mm/yyyy, an answer
    as a person reads it (with its unit, or the choice's label)."""
    if _is_answer(value):
        answer = value.value
        if answer is None:
            return _missing(name, strict)
        if isinstance(answer, (int, float)) and not isinstance(answer, bool) and answer < 0:
            return _negative(name, answer, strict, value.describe(0, lang))
        return value.describe(answer, lang)
    if value is None:
        return _missing(name, strict)
    if isinstance(value, Words):
        return value.get(lang)
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, (int, float)):
        if value < 0:
            return _negative(name, value, strict, "0")
        if isinstance(value, float):
            return format_number(round(value, 1) if abs(value) >= 1 else round(value, 2), lang)
        return format_number(value, lang)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def _missing(name: str, strict: bool) -> str:
    if strict:
        raise TemplateRenderError(f"{{{name}}} has no value (an answer it needs is missing)")
    return "—"


def _negative(name: str, value: Any, strict: bool, zero: str) -> str:
    if strict:
        raise TemplateRenderError(f"{{{name}}} is negative ({value}): write a condition for that case")
    return zero


def render(template: str, fields: Mapping[str, Any], lang: str = "vi", *, scope: expr.Scope | None = None,
           strict: bool = False) -> str:
    """Parse (cached) and render ``template``; an unparsable template is printed as it is (the loader
    refuses such checklists, so only hand-made ones can get here)."""
    try:
        parsed = parse(template)
    except TemplateError:
        if strict:
            raise
        return template
    return parsed.render(fields, lang, scope=scope, strict=strict)
