"""The small, safe expression language of checklist definitions.

Checklist files use expressions for skip logic (``relevant``), answer constraints, scoring
rules and readiness levels, e.g. ``share(pcs, cores >= $min_cores and os in ['win10', 'win11']) >= 0.8``.
The text is never given to Python's ``eval``: a tokenizer feeds a recursive-descent
(precedence-climbing) parser that builds an immutable tree of small records (:mod:`.record`), and
:func:`_compile` turns that tree into nested closures that evaluate it.  Size, nesting
and node count are limited while parsing, so hostile text fails fast with an
:class:`ExpressionSyntaxError`.  ``null`` means "unknown" (an unanswered question) and
propagates by three-valued logic.  The language reference is ``docs/expressions.md``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import operator
import re
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, NamedTuple, TypeGuard

from .errors import ReadinessError
from .parsed import OFFERED as _OFFERED
from .record import Record, fields, replace

__all__ = [
    "Expression", "ExpressionError", "ExpressionNameError", "ExpressionSyntaxError", "ExpressionTypeError",
    "NameRef", "Scope", "evaluate", "parse", "truthy", "FUNCTIONS", "AGGREGATES",
    "MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "MAX_STRING", "pickled",
]

MAX_LENGTH = 2000  # characters of expression text
MAX_DEPTH = 40  # nesting of parentheses, calls, lists, unary '-' and 'not'
MAX_NODES = 500  # nodes of the syntax tree
MAX_STRING = 1000  # characters of one string literal

SYNTAX, TOO_LONG, TOO_DEEP = "E-EXPR-SYNTAX", "E-EXPR-TOO-LONG", "E-EXPR-TOO-DEEP"
FUNC, ARITY, TABLE_ARG = "E-EXPR-FUNC", "E-EXPR-ARITY", "E-EXPR-TABLE-ARG"
TYPE, NAME = "E-EXPR-TYPE", "E-EXPR-NAME"


# -- errors -------------------------------------------------------------------------------------
class ExpressionError(ReadinessError):
    """Base of every error of the language; ``position`` is a 0-based offset into ``expression``."""

    code = "E-EXPR"

    def __init__(self, message: str, *, code: str | None = None, position: int | None = None,
                 expression: str = "") -> None:
        self.position = position
        self.expression = expression
        super().__init__(code or type(self).code, message)

    def __str__(self) -> str:
        where = f" at position {self.position}" if self.position is not None else ""
        text = self.expression if len(self.expression) <= 80 else self.expression[:77] + "..."
        return f"{self.code}: {self.message}{where}" + (f" in {text!r}" if text else "")


class ExpressionSyntaxError(ExpressionError):
    code = SYNTAX


class ExpressionTypeError(ExpressionError):
    code = TYPE


class ExpressionNameError(ExpressionError):
    code = NAME


# -- tokens -------------------------------------------------------------------------------------
class Token(NamedTuple):
    kind: str  # "num", "str", "name", "kw", "thr", "op", "end"
    value: object
    pos: int


KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
_SCAN = re.compile(r"(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                   r"|(?P<thr>\$[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|[<>+\-*/()\[\],.])")
_AFTER_NUMBER = re.compile(r"[A-Za-z0-9_.$]")
_HINTS = {"=": "use '==' to compare", "!": "use 'not' or '!='", "&": "use 'and'", "|": "use 'or'",
          "$": "'$' must be followed by a threshold name", "%": "there is no '%' operator; use a fraction like 0.8"}


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if ch in "'\"":
            token, i = _scan_string(text, i)
            tokens.append(token)
            continue
        match = _SCAN.match(text, i)
        if match is None:
            raise _bad_char(text, i)
        kind, value, end = match.lastgroup or "", match.group(), match.end()
        if kind == "num":
            if end < n and _AFTER_NUMBER.match(text, end):
                raise ExpressionSyntaxError("malformed number (write numbers like 12 or 0.8)", position=i, expression=text)
            number = float(value) if "." in value else int(value)
            if isinstance(number, float) and not math.isfinite(number):
                raise ExpressionSyntaxError("number too large", position=i, expression=text)
            tokens.append(Token(kind, number, i))
        elif kind == "name":
            lower = value.lower()
            if value in KEYWORDS:
                kind = "kw"
            elif lower in KEYWORDS or lower == "none":
                word = "null" if lower == "none" else lower
                raise ExpressionSyntaxError(f"keywords are lowercase: write '{word}'", position=i, expression=text)
            tokens.append(Token(kind, value, i))
        elif kind == "thr":
            tokens.append(Token(kind, value[1:], i))
        else:
            if value == "." and end < n and text[end] in "0123456789":
                raise ExpressionSyntaxError("write decimals with a leading digit, like 0.5", position=i, expression=text)
            tokens.append(Token(kind, value, i))
        i = end
    tokens.append(Token("end", None, n))
    return tokens


def _scan_string(text: str, start: int) -> tuple[Token, int]:
    quote, i, n = text[start], start + 1, len(text)
    chars: list[str] = []
    while i < n:
        ch = text[i]
        if ch == quote:
            return Token("str", "".join(chars), start), i + 1
        if ch == "\\":
            escaped = text[i + 1] if i + 1 < n else ""
            if escaped not in ("\\", "'", '"'):
                raise ExpressionSyntaxError("only \\', \\\" and \\\\ escapes are allowed in strings", position=i, expression=text)
            ch, i = escaped, i + 1
        elif ch < " " or ch == "\x7f":
            raise ExpressionSyntaxError(f"control character U+{ord(ch):04X} in a string", position=i, expression=text)
        chars.append(ch)
        if len(chars) > MAX_STRING:
            raise ExpressionSyntaxError(f"string longer than {MAX_STRING} characters", code=TOO_LONG, position=start, expression=text)
        i += 1
    raise ExpressionSyntaxError("unterminated string", position=start, expression=text)


def _bad_char(text: str, i: int) -> ExpressionSyntaxError:
    ch = text[i]
    if ch in _HINTS:
        message = f"unexpected '{ch}': {_HINTS[ch]}"
    elif ch.isalpha():
        message = f"unexpected character {ch!r}: names use only ASCII letters, digits and '_'"
    elif ch.isprintable() and ch.isascii():
        message = f"unexpected character {ch!r}"
    else:
        message = f"unexpected character U+{ord(ch):04X}"
    return ExpressionSyntaxError(message, position=i, expression=text)


def _describe_token(token: Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "str":
        return f"the string {_short(token.value)!r}"
    return f"'{'$' if token.kind == 'thr' else ''}{_short(token.value)}'"


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


# -- syntax tree --------------------------------------------------------------------------------
class NameRef(Record):
    """A plain name an expression refers to; ``table`` is the table whose row expression holds it."""

    name: str
    table: str | None


class Node(Record):
    """A node of a parsed expression; ``pos`` is where an error about it points."""

    pos: int  # where errors about this node point (the operator of a binary node)


class Literal(Node):
    """A number, a text, ``true``, ``false`` or ``null`` written in the expression."""

    value: object


class ListLit(Node):
    """A list written in the expression, ``[a, b, …]``."""

    items: tuple[Node, ...]


class Name(Node):
    """A name the expression reads (an item, or a column of ``table``'s row)."""

    name: str
    table: str | None  # row context (see NameRef)


class Current(Node):
    """``.``: the current value (the answer a constraint checks or a rule scores)."""


class Threshold(Node):
    """A ``$threshold`` of the checklist, by name."""

    name: str


class Unary(Node):
    """``-x`` or ``not x``."""

    op: str  # "-" or "not"
    operand: Node


class Logic(Node):
    """``a and b and …`` or ``a or b or …``."""

    op: str  # "and" or "or"
    operands: tuple[Node, ...]


class Compare(Node):
    """A comparison of two operands (``==``, ``<``, ``in``, …)."""

    op: str  # == != < <= > >= in "not in"
    left: Node
    right: Node


class NullTest(Node):
    """``x == null`` (negate False) or ``x != null`` (negate True): never null itself."""

    operand: Node
    negate: bool


class Step(Node):
    """One ``+ - * /`` step of an arithmetic chain (see :class:`Arith`)."""

    op: str  # + - * /
    operand: Node


class Arith(Node):
    """A left-associative chain ``first op operand op operand ...`` of one precedence level."""

    first: Node
    steps: tuple[Step, ...]


class Call(Node):
    """A call of one of the language's functions."""

    func: str
    args: tuple[Node, ...]


class Aggregate(Node):
    """``count``, ``share``, ``min``, ``max``, ``sum`` or ``avg`` over a table's rows."""

    func: str  # count share min max sum avg
    table: str
    table_pos: int
    expr: Node | None  # the row expression


def aggregates(node: Node) -> Iterator[Aggregate]:
    """Every aggregate of the tree under ``node`` (``node`` too), outermost first."""
    stack = [node]
    while stack:
        part = stack.pop()
        if isinstance(part, Aggregate):
            yield part
        stack.extend(reversed(list(_children(part))))


def _children(node: Node) -> Iterator[Node]:
    for field in fields(node):
        value = getattr(node, field.name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            yield from value


# -- parser -------------------------------------------------------------------------------------
AGGREGATES: dict[str, tuple[int, int]] = {"count": (1, 2), "share": (2, 2), "min": (2, 2), "max": (2, 2),
                                          "sum": (2, 2), "avg": (2, 2)}
_NOT, _COMPARE, _NEGATE = 3, 4, 7  # precedence of prefix 'not', of comparisons, of prefix '-'
_PRECEDENCE = {"or": 1, "and": 2, "==": _COMPARE, "!=": _COMPARE, "<": _COMPARE, "<=": _COMPARE, ">": _COMPARE,
               ">=": _COMPARE, "in": _COMPARE, "not in": _COMPARE, "+": 5, "-": 5, "*": 6, "/": 6}


class _Parser:
    """Recursive descent; one method per precedence level, lowest first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.table: str | None = None  # the aggregate whose row expression is being parsed

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def at(self, kind: str, value: object = None) -> bool:
        token = self.tokens[self.i]
        return token.kind == kind and (value is None or token.value == value)

    def take(self) -> Token:
        token = self.tokens[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def error(self, message: str, pos: int, code: str = SYNTAX) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, code=code, position=pos, expression=self.text)

    def make(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(f"expression has more than {MAX_NODES} parts", node.pos, TOO_LONG)
        return node

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression is nested more than {MAX_DEPTH} levels deep", pos, TOO_DEEP)

    def close(self, value: str, opener: Token) -> None:
        if self.at("op", value):
            self.take()
            return
        if self.tok.kind == "end":
            raise self.error(f"'{opener.value}' at position {opener.pos} is never closed", opener.pos)
        raise self.error(f"expected '{value}' but found {_describe_token(self.tok)}", self.tok.pos)

    # grammar: precedence climbing, so nesting costs three Python frames per level
    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error("empty expression", 0)
        node = self.expression()
        if self.tok.kind != "end":
            what = "unmatched ')'" if self.at("op", ")") else f"unexpected {_describe_token(self.tok)}"
            raise self.error(f"{what} after a complete expression", self.tok.pos)
        return node

    def operator(self) -> Token | None:
        token = self.tok
        if token.kind in ("op", "kw") and token.value in _PRECEDENCE:
            return token
        if token[:2] == ("kw", "not") and self.tokens[self.i + 1][:2] == ("kw", "in"):
            return Token("op", "not in", token.pos)
        return None

    def expression(self, min_prec: int = 1) -> Node:
        left = self.prefix(min_prec)
        last = 0  # precedence of the operator that built ``left`` in this loop
        while (op := self.operator()) is not None and _PRECEDENCE[str(op.value)] >= min_prec:
            name, prec = str(op.value), _PRECEDENCE[str(op.value)]
            self.i += 2 if name == "not in" else 1
            if prec == _COMPARE:
                if last == _COMPARE:
                    raise self.error("comparisons cannot be chained; combine them with 'and'", op.pos)
                in_list = name in ("in", "not in") and self.at("op", "[")
                left = self.comparison(op.pos, name, left, self.list_() if in_list else self.expression(prec + 1))
            elif name in ("and", "or"):  # n-ary, so long chains do not nest
                right = self.expression(prec + 1)
                if last == prec:
                    left = replace(left, operands=(*left.operands, right))  # type: ignore[attr-defined]  # a Logic
                else:
                    left = self.make(Logic(left.pos, name, (left, right)))
            else:  # + - * /: a flat left-associative chain
                step = Step(op.pos, name, self.expression(prec + 1))
                left = replace(left, steps=(*left.steps, step)) if last == prec else self.make(Arith(op.pos, left, (step,)))  # type: ignore[attr-defined]
            last = prec
        return left

    def comparison(self, pos: int, op: str, left: Node, right: Node) -> Node:
        if op in ("==", "!="):
            for this, other in ((left, right), (right, left)):
                if isinstance(other, Literal) and other.value is None:
                    return self.make(NullTest(pos, this, op == "!="))
        return self.make(Compare(pos, op, left, right))

    def prefix(self, min_prec: int) -> Node:
        token = self.tok
        if token[:2] == ("kw", "not") and min_prec <= _NOT:
            operand_prec = _NOT  # not a == b  is  not (a == b)
        elif token[:2] == ("op", "-"):
            operand_prec = _NEGATE  # -a * b  is  (-a) * b
        else:
            return self.primary()
        self.take()
        self.enter(token.pos)
        operand = self.expression(operand_prec) if operand_prec == _NOT else self.prefix(operand_prec)
        self.depth -= 1
        return self.make(Unary(token.pos, str(token.value), operand))

    def primary(self) -> Node:
        token = self.take()
        kind, value, pos = token
        match kind, value:
            case ("num" | "str"), _:
                return self.make(Literal(pos, value))
            case "kw", ("true" | "false" | "null"):
                return self.make(Literal(pos, {"true": True, "false": False, "null": None}[value]))
            case "thr", _:
                return self.make(Threshold(pos, str(value)))
            case "name", _:
                return self.call(token) if self.at("op", "(") else self.make(Name(pos, str(value), self.table))
            case "op", ".":
                return self.make(Current(pos))
            case "op", "(":
                self.enter(pos)
                node = self.expression()
                self.close(")", token)
                self.depth -= 1
                return node
            case "op", "[":
                raise self.error("a list [...] is only allowed after 'in'", pos)
        raise self.error(f"unexpected {_describe_token(token)}", pos)

    def list_(self) -> Node:
        opener = self.take()
        self.enter(opener.pos)
        items: list[Node] = []
        if not self.at("op", "]"):
            items.append(self.expression())
            while self.at("op", ","):
                self.take()
                items.append(self.expression())
        self.close("]", opener)
        self.depth -= 1
        return self.make(ListLit(opener.pos, tuple(items)))

    def call(self, name: Token) -> Node:
        func, pos = str(name.value), name.pos
        if func not in FUNCTIONS and func not in AGGREGATES and func != "date":
            raise self.error(f"unknown function '{func}'", pos, FUNC)
        opener = self.take()
        self.enter(opener.pos)
        if func in AGGREGATES:
            node = self.aggregate(func, name, opener)
        elif func == "date":
            node = self.date(name, opener)
        else:
            args: list[Node] = []
            if not self.at("op", ")"):
                args.append(self.expression())
                while self.at("op", ","):
                    self.take()
                    args.append(self.expression())
            self.close(")", opener)
            low, high = FUNCTIONS[func][:2]
            if not low <= len(args) <= high:
                raise self.error(f"{func}() takes {_arity(low, high)}, got {len(args)}", pos, ARITY)
            node = Call(pos, func, tuple(args))
        self.depth -= 1
        return self.make(node)

    def aggregate(self, func: str, name: Token, opener: Token) -> Node:
        low, high = AGGREGATES[func]
        if self.at("op", ")"):
            raise self.error(f"{func}() takes {_arity(low, high)}, got 0", name.pos, ARITY)
        table = self.tok  # a name is never the last token, so the one after it exists
        if table.kind != "name" or self.tokens[self.i + 1][:2] not in (("op", ","), ("op", ")")):
            raise self.error(f"the first argument of {func}() must be the id of a table item", table.pos, TABLE_ARG)
        self.take()
        expr: Node | None = None
        count = 1
        while self.at("op", ","):
            self.take()
            outer, self.table = self.table, str(table.value)
            argument = self.expression()
            self.table = outer
            expr = argument if expr is None else expr
            count += 1
        self.close(")", opener)
        if not low <= count <= high:
            raise self.error(f"{func}() takes {_arity(low, high)}, got {count}", name.pos, ARITY)
        return Aggregate(name.pos, func, str(table.value), table.pos, expr)

    def date(self, name: Token, opener: Token) -> Node:
        if self.at("op", ")"):
            raise self.error("date() takes 1 argument, got 0", name.pos, ARITY)
        literal = self.take()
        if literal.kind != "str":
            raise self.error("date() takes a literal date such as '2026-10-13'", literal.pos)
        if self.at("op", ","):
            raise self.error("date() takes 1 argument", name.pos, ARITY)
        self.close(")", opener)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", str(literal.value))
        try:
            if match is None:
                raise ValueError
            value = _dt.date(*map(int, match.groups()))
        except ValueError:
            raise self.error(f"{_short(literal.value)!r} is not a date written as YYYY-MM-DD", literal.pos) from None
        return Literal(name.pos, value)


def _arity(low: int, high: int) -> str:
    count = str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
    return f"{count} argument{'s' if high != 1 else ''}"


# -- expressions and scopes ---------------------------------------------------------------------
# Evaluations by the closures before :meth:`Expression.evaluate` generates an expression's code.  Generating
# costs about 0.4 ms (Python's compiler) and saves about 2 µs per evaluation of a typical rule (``a >= 3 and
# b in ['x', 'y']``: 0.46 against 2.29 µs; an aggregate over rows about the same either way), so it pays after
# some hundreds of evaluations.  Scoring one assessment evaluates each expression once: the window scores
# after every answer and never needed the code (generating the first score's 81 expressions was a third of
# opening an assessment); an import prepares every expression before its workers start.
GENERATE_AFTER = 128


class Expression:
    """A parsed expression: immutable, cached by :func:`parse` and safe to share."""

    __slots__ = ("source", "root", "_names", "_thresholds", "_tables", "_current", "_compiled", "_row_test",
                 "_generated", "_generated_row_test", "_interpreted")
    source: str
    root: Node
    _names: tuple[NameRef, ...]
    _thresholds: frozenset[str]
    _tables: frozenset[str]
    _current: bool
    _compiled: Evaluator | None  # the closures of :func:`_compile`: the reference, and every error's exact report
    _row_test: Evaluator | None
    _generated: Evaluator | None  # the same as Python code (:func:`_generate`): what runs first
    _generated_row_test: RowsOf | None  # _generate_rows(hits=True): the positions of the rows counted
    _interpreted: int  # evaluations by the closures so far, while no code is generated (see evaluate)

    def __init__(self, source: str, root: Node) -> None:
        set_ = functools.partial(object.__setattr__, self)
        set_("source", source)
        set_("root", root)
        nodes, stack = [], [root]
        while stack:  # no recursion: the tree may be wide
            node = stack.pop()
            nodes.append(node)
            stack.extend(_children(node))
        nodes.sort(key=lambda node: node.pos)
        refs = (NameRef(n.name, n.table) for n in nodes if isinstance(n, Name))
        set_("_names", tuple(dict.fromkeys(refs)))
        set_("_thresholds", frozenset(n.name for n in nodes if isinstance(n, Threshold)))
        set_("_tables", frozenset(n.table for n in nodes if isinstance(n, Aggregate)))
        set_("_current", any(isinstance(n, Current) for n in nodes))
        set_("_compiled", None)  # on first evaluation: most parsed expressions of a checklist never run
        set_("_row_test", None)  # count_rows(): the row condition of ``count(t, cond)``, compiled on first use
        set_("_generated", None)
        set_("_generated_row_test", None)
        set_("_interpreted", 0)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("an Expression is immutable (parse() shares it)")

    # Pickled (the checklist cache keeps a checklist's parsed expressions): the text, the tree and what
    # ``__init__`` worked out of it; never the closures or the generated code, which start again.
    def __getstate__(self) -> tuple[object, ...]:
        return (self.source, self.root, self._names, self._thresholds, self._tables, self._current)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        source, root, names, thresholds, tables, current = state
        if not (isinstance(source, str) and isinstance(root, Node) and isinstance(names, tuple)
                and all(isinstance(ref, NameRef) for ref in names) and isinstance(thresholds, frozenset)
                and isinstance(tables, frozenset) and isinstance(current, bool)):
            raise TypeError("not the state of an Expression")
        set_ = functools.partial(object.__setattr__, self)
        for name, value in (("source", source), ("root", root), ("_names", names), ("_thresholds", thresholds),
                            ("_tables", tables), ("_current", current), ("_compiled", None), ("_row_test", None),
                            ("_generated", None), ("_generated_row_test", None), ("_interpreted", 0)):
            set_(name, value)

    def evaluate(self, scope: Scope) -> object:
        """The expression's value in ``scope``.

        The generated Python code (:func:`_generate`) runs first; it gives the value the closures of
        :func:`_compile` give, and raises wherever they raise.  When it raises, the closures run
        instead: they report the error exactly (its code, message and position).

        The code is generated once the expression has been evaluated :data:`GENERATE_AFTER` times (or
        beforehand, by :meth:`prepare`); until then the closures give the value (:meth:`count_rows` alike).
        Both give the same values and errors; the closures cost next to nothing to make, the code about
        0.4 ms of Python's compiler."""
        generated = self._generated
        if generated is None:
            if not self._interpreted_enough():
                return self.interpret(scope)
            generated = _generate(self.root)
            object.__setattr__(self, "_generated", generated)
        try:
            return generated(scope)
        except Exception:  # noqa: BLE001 - the reference below says what is wrong, exactly
            pass
        return self.interpret(scope)

    def _interpreted_enough(self) -> bool:
        """Counts one more evaluation; True once there have been GENERATE_AFTER (then the code is generated)."""
        interpreted = self._interpreted + 1
        if interpreted >= GENERATE_AFTER:
            return True
        object.__setattr__(self, "_interpreted", interpreted)
        return False

    def prepare(self) -> None:
        """Generate the code now (a process that forks workers does it once for all of them)."""
        if self._generated is None:
            object.__setattr__(self, "_generated", _generate(self.root))
        root = self.root
        if isinstance(root, Aggregate) and root.func == "count" and root.expr is not None \
                and self._generated_row_test is None:
            object.__setattr__(self, "_generated_row_test",
                               _remembering(_generate_rows(root.expr, hits=True), root.expr, root.table))

    def generated(self, scope: Scope) -> object:
        """The generated code alone (no fall-back): for tests that hold it to :meth:`interpret`."""
        generated = self._generated
        if generated is None:
            generated = _generate(self.root)
            object.__setattr__(self, "_generated", generated)
        return generated(scope)

    def interpret(self, scope: Scope) -> object:
        """The expression's value by the closures of :func:`_compile` (the reference; errors with their position)."""
        try:
            compiled = self._compiled
            if compiled is None:
                compiled = _compile(self.root)
                object.__setattr__(self, "_compiled", compiled)
            return compiled(scope)
        except ExpressionError as error:
            error.expression = error.expression or self.source
            raise
        except (ArithmeticError, ValueError, RecursionError) as error:  # huge numbers, exhausted stack
            raise ExpressionTypeError(f"cannot compute: {error}", expression=self.source) from error

    @property
    def counted_table(self) -> str | None:
        """``t`` when the whole expression is ``count(t, cond)`` (rows that meet a condition), else None."""
        root = self.root
        if isinstance(root, Aggregate) and root.func == "count" and root.expr is not None:
            return root.table
        return None

    def count_rows(self, scope: Scope) -> list[int] | None:
        """For ``count(t, cond)``: the positions (0-based) of the rows of ``t`` the expression counts, so
        ``len(count_rows(scope)) == evaluate(scope)``; None for any other expression.

        The same rule as :meth:`evaluate`, one row at a time: what scoring counts ("PCs with less than
        $min_ram_gb of RAM") is also which rows those are, for the department's per-row findings."""
        root = self.root
        if not (isinstance(root, Aggregate) and root.func == "count" and root.expr is not None):
            return None
        generated = self._generated_row_test
        if generated is None:  # generated as evaluate() generates (GENERATE_AFTER)
            if not self._interpreted_enough():
                return self.interpret_count_rows(scope)
            generated = _remembering(_generate_rows(root.expr, hits=True), root.expr, root.table)
            object.__setattr__(self, "_generated_row_test", generated)
        try:
            return list(generated(scope, _table_rows(scope, root)))  # a list of its own: the memo keeps its own
        except Exception:  # noqa: BLE001 - the closures below report what is wrong, exactly
            pass
        return self.interpret_count_rows(scope)

    def interpret_count_rows(self, scope: Scope) -> list[int] | None:
        """:meth:`count_rows` by the closures of :func:`_compile` (the reference)."""
        root = self.root
        if not (isinstance(root, Aggregate) and root.func == "count" and root.expr is not None):
            return None
        try:
            test = self._row_test
            if test is None:
                test = _compile(root.expr)
                object.__setattr__(self, "_row_test", test)
            return self._count_rows(scope, root, test)
        except ExpressionError as error:
            error.expression = error.expression or self.source
            raise
        except (ArithmeticError, ValueError, RecursionError) as error:
            raise ExpressionTypeError(f"cannot compute: {error}", expression=self.source) from error

    @staticmethod
    def _count_rows(scope: Scope, root: Aggregate, test: Evaluator) -> list[int]:
        """The body of :meth:`interpret_count_rows`, with the reference row test."""
        assert root.expr is not None
        return _hit_rows(test, scope, _table_rows(scope, root), root.expr)

    def names(self) -> list[NameRef]:
        """Every plain name, in order of first appearance (not aggregate table arguments)."""
        return list(self._names)

    def thresholds(self) -> set[str]:
        return set(self._thresholds)

    def tables(self) -> set[str]:
        return set(self._tables)

    def uses_current(self) -> bool:
        return self._current

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


# Expressions parsed by an earlier process of this same program come back pickled with a validated checklist
# (readiness.checklist.cache, readiness.parsed): parse() unpickles a text's Expression the first time the text
# is asked for (its own cache keeps it from then on) instead of parsing it, so a process that reads a cached
# checklist parses none of its expressions, and unpickles only those it uses (the window's first score: half).
def pickled(expression: Expression) -> bytes:
    """``expression`` as bytes that :func:`parse` can take back (offered through :func:`readiness.parsed.offer`)
    in another process of this same program."""
    import pickle

    return pickle.dumps(expression, protocol=pickle.HIGHEST_PROTOCOL)


def _read_back(text: str, data: bytes) -> Expression | None:
    """The Expression pickled in ``data`` when it is the expression of ``text``, else None (then the text is
    parsed).  Unpickling admits only the language's own classes (the tree's nodes, :class:`NameRef`,
    :class:`Expression`) and dates: a pickle that names anything else is refused."""
    import io

    try:
        value = _tree_unpickler()(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - whatever is wrong with it, the text is parsed instead
        value = None
    if isinstance(value, Expression) and value.source == text:
        return value
    import logging

    logging.getLogger(__name__).warning("a pickled expression of %r cannot be read; parsing it", text[:80])
    return None


@functools.cache
def _tree_unpickler() -> type:
    """The unpickler of :func:`_read_back`: it finds only the classes an Expression is made of."""
    import pickle

    allowed = {name: value for name, value in globals().items() if isinstance(value, type)
               and value.__module__ == __name__ and (issubclass(value, Node) or value in (NameRef, Expression))}

    class TreeUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if module == __name__ and name in allowed:
                return allowed[name]
            if (module, name) == ("datetime", "date"):  # date('2026-10-13') is a literal
                return _dt.date
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a pickled expression")

    return TreeUnpickler


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Expression:
    """Parse expression text; raises :class:`ExpressionSyntaxError`."""
    if not isinstance(text, str):
        raise TypeError(f"expression text must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(f"expression longer than {MAX_LENGTH} characters", code=TOO_LONG,
                                    position=MAX_LENGTH, expression=text)
    data = _OFFERED.pop(text, None)
    if data is not None and (known := _read_back(text, data)) is not None:
        return known
    try:
        return Expression(text, _Parser(text).parse())
    except RecursionError:  # only when called with the stack nearly full already
        raise ExpressionSyntaxError("expression is nested too deeply", code=TOO_DEEP, expression=text) from None


def evaluate(text: str, scope: Scope) -> object:
    return parse(text).evaluate(scope)


class Scope:
    """What names mean during an evaluation: answers (or row columns), thresholds, ``.`` and today."""

    __slots__ = ("values", "thresholds", "current", "today", "strict", "tables")

    def __init__(self, values: Mapping[str, object], *, thresholds: Mapping[str, object] | None = None,
                 current: object = None, today: _dt.date | None = None, strict: bool = False,
                 tables: TableMemo | None = None) -> None:
        self.values = values
        self.thresholds = thresholds if thresholds is not None else {}
        self.current = current
        self.today = today
        self.strict = strict
        self.tables = tables  # the rows each row condition holds for, shared by every scope of one scoring

    def lookup(self, name: str) -> object:
        values = self.values
        if name in values:
            value = values[name]
            return value if type(value) in _PLAIN_TYPES else _normalize(value)
        if self.strict:
            raise ExpressionNameError(f"unknown name '{name}'")
        return None

    def threshold(self, name: str) -> object:
        if name not in self.thresholds:
            raise ExpressionNameError(f"unknown threshold '${name}'")
        return _normalize(self.thresholds[name])

    def current_date(self) -> _dt.date:
        return _normalize(self.today) if self.today is not None else _dt.date.today()  # type: ignore[return-value]

    def _copy(self, values: Mapping[str, object], current: object) -> Scope:
        return Scope(values, thresholds=self.thresholds, current=current, today=self.today, strict=self.strict,
                     tables=self.tables)

    def with_row(self, row: Mapping[str, object]) -> Scope:
        """A child scope: the row's columns first, then this scope's values (the row is not copied)."""
        return _RowScope(row, self)

    def with_current(self, value: object) -> Scope:
        return self._copy(self.values, value)


class _RowScope(Scope):
    """A table row over its parent scope; made once per row per aggregate, so it is kept cheap."""

    __slots__ = ("row", "parent")

    def __init__(self, row: Mapping[str, object], parent: Scope) -> None:
        self.row = row
        self.parent = parent
        self.thresholds = parent.thresholds
        self.current = parent.current
        self.today = parent.today
        self.strict = parent.strict
        self.tables = parent.tables

    @property
    def values(self) -> Mapping[str, object]:  # type: ignore[override]
        return ChainMap(self.row, self.parent.values)  # type: ignore[arg-type]

    def lookup(self, name: str) -> object:
        row = self.row
        if name in row:
            value = row[name]
            return value if type(value) in _PLAIN_TYPES else _normalize(value)
        return self.parent.lookup(name)

    def _copy(self, values: Mapping[str, object], current: object) -> Scope:
        return Scope(values, thresholds=self.thresholds, current=current, today=self.today, strict=self.strict,
                     tables=self.tables)


_PLAIN_TYPES = frozenset({int, float, str, bool, type(None), list, dict, _dt.date})


def _normalize(value: object) -> object:
    """Map the few host types the language does not have onto ones it has."""
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ExpressionTypeError(f"not a number: {value}")
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def truthy(value: object) -> bool | None:
    """A condition's value: true, false or null (unknown); anything else is a type error."""
    if value is None or isinstance(value, bool):
        return value
    raise ExpressionTypeError(f"a condition must be true, false or null, not {_describe(value)}")


# -- evaluation ---------------------------------------------------------------------------------
_KINDS = ((bool, "boolean"), ((int, float), "number"), (str, "text"), (_dt.date, "date"), (list, "list"), (Mapping, "row"))


_KIND_OF_TYPE = {bool: "boolean", int: "number", float: "number", str: "text", _dt.date: "date", list: "list",
                 dict: "row", type(None): "null"}


def _kind(value: object) -> str:
    """The language's name for the type of a value (bool before number: bools are not numbers)."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    for types, kind in _KINDS:
        if isinstance(value, types):
            return kind
    return "null" if value is None else type(value).__name__


def _describe(value: object) -> str:
    kind = _kind(value)
    if kind in ("number", "date", "boolean"):
        return f"{kind} {_short(str(value).lower() if kind == 'boolean' else value)}"
    return f"text {_short(value)!r}" if kind == "text" else kind


def _type_error(message: str, node: Node) -> ExpressionTypeError:
    return ExpressionTypeError(message, position=node.pos)


def _cond(value: object, node: Node) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _type_error(f"a condition must be true, false or null, not {_describe(value)}", node)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: object, node: Node) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        raise _type_error("number out of range", node)
    return value


def _equal(a: object, b: object, node: Node) -> bool:
    kind = _kind(a)
    if kind != _kind(b) or kind not in ("boolean", "number", "text", "date", "list", "row"):
        raise _type_error(f"cannot compare {_describe(a)} with {_describe(b)}", node)
    return a == b


_ORDER: dict[str, Callable[[Any, Any], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _order(op: str, a: object, b: object, node: Node) -> bool:
    kind = _kind(a)
    if kind != _kind(b) or kind not in ("number", "text", "date"):
        raise _type_error(f"cannot compare {_describe(a)} with {_describe(b)} using '{op}'", node)
    return _ORDER[op](a, b)


def _arith(op: str, a: object, b: object, node: Node) -> object:
    if a is None or b is None:
        return None
    if _is_number(a) and _is_number(b):
        if op == "/":
            return None if b == 0 else _finite(a / b, node)  # type: ignore[operator]
        return _finite({"+": operator.add, "-": operator.sub, "*": operator.mul}[op](a, b), node)
    if isinstance(a, _dt.date):
        if op == "-" and isinstance(b, _dt.date):
            return (a - b).days
        if op in "+-" and isinstance(b, int) and not isinstance(b, bool):
            try:
                return a + _dt.timedelta(days=b if op == "+" else -b)
            except OverflowError:
                raise _type_error("date out of range", node) from None
    raise _type_error(f"cannot compute {_describe(a)} {op} {_describe(b)}", node)


Evaluator = Callable[[Scope], object]
_FAST_EQUAL = frozenset({bool, int, float, str, _dt.date, list, dict})  # same type: == is the language's ==
_FAST_ORDER = frozenset({int, float, str, _dt.date})
_NUMBERS = frozenset({int, float})  # exact types: bool is not a number in the language


def _compile(node: Node) -> Evaluator:
    """The tree turned into nested closures, one per node, each doing only its node's work.

    Evaluation is what a tree walk would do, without dispatching on the node type at every step
    (scoring evaluates the same few hundred expressions for every row of every assessment)."""
    match node:
        case Literal(value=value):
            return lambda scope: value
        case Name(name=name):
            return _compile_lookup(node, name, threshold=False)
        case Threshold(name=name):
            return _compile_lookup(node, name, threshold=True)
        case Current():
            return lambda scope: _normalize(scope.current)
        case Unary(op="not", operand=operand):
            inner = _compile(operand)

            def not_(scope: Scope) -> object:
                value = _cond(inner(scope), operand)
                return None if value is None else not value

            return not_
        case Unary(operand=operand):
            inner = _compile(operand)

            def negate(scope: Scope) -> object:
                value = inner(scope)
                if value is None or _is_number(value):
                    return None if value is None else -value  # type: ignore[operator]
                raise _type_error(f"cannot negate {_describe(value)}", node)

            return negate
        case Logic(op=op, operands=operands):
            return _compile_logic(op == "or", tuple((_compile(o), o) for o in operands))
        case NullTest(operand=operand, negate=negated):
            inner = _compile(operand)
            return lambda scope: (inner(scope) is None) != negated
        case Compare():
            return _compile_compare(node)
        case Arith(first=first, steps=steps):
            start = _compile(first)
            compiled = tuple((step.op, _compile(step.operand), step) for step in steps)

            def arith(scope: Scope) -> object:
                value = start(scope)
                for op, operand, step in compiled:
                    value = _arith(op, value, operand(scope), step)
                return value

            return arith
        case ListLit(items=items):
            parts = tuple(_compile(item) for item in items)
            return lambda scope: [part(scope) for part in parts]
        case Call(func=func, args=args):
            impl, arguments = FUNCTIONS[func][2], tuple(_compile(arg) for arg in args)
            return lambda scope: impl(node, scope, arguments)
        case Aggregate():
            return _compile_aggregate(node)
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def _compile_lookup(node: Node, name: str, *, threshold: bool) -> Evaluator:
    def lookup(scope: Scope) -> object:
        try:
            return scope.threshold(name) if threshold else scope.lookup(name)
        except ExpressionError as error:
            error.position = node.pos if error.position is None else error.position
            raise

    return lookup


def _compile_logic(decisive: bool, operands: tuple[tuple[Evaluator, Node], ...]) -> Evaluator:
    def logic(scope: Scope) -> object:
        result: bool | None = not decisive  # ``decisive`` settles the result at once
        for evaluate, operand in operands:
            value = evaluate(scope)
            if value is not None and value is not True and value is not False:
                _cond(value, operand)  # raises: not a condition
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return logic


def _compile_compare(node: Compare) -> Evaluator:
    left, right, op = _compile(node.left), _compile(node.right), node.op
    if op in ("in", "not in"):
        wanted = op == "in"

        def contains(scope: Scope) -> object:
            return _contains(left(scope), right(scope), node, wanted)

        return contains
    if op in ("==", "!="):
        wanted = op == "=="

        def equal(scope: Scope) -> object:
            a, b = left(scope), right(scope)
            if a is None or b is None:
                return None
            kind = type(a)
            if kind is type(b) and kind in _FAST_EQUAL:
                return (a == b) == wanted
            return _equal(a, b, node) == wanted

        return equal
    compare = _ORDER[op]

    def order(scope: Scope) -> object:
        a, b = left(scope), right(scope)
        if a is None or b is None:
            return None
        kind, other = type(a), type(b)
        if (kind is other and kind in _FAST_ORDER) or (kind in _NUMBERS and other in _NUMBERS):
            return compare(a, b)
        return _order(op, a, b, node)

    return order


def _table_rows(scope: Scope, node: Aggregate) -> list[Mapping[str, object]]:
    """The rows of the table ``node`` aggregates over (none for an unanswered table); an unknown name is
    located at ``node``, a value that is not a table is a type error naming the function."""
    try:
        table = scope.lookup(node.table)
    except ExpressionError as error:
        error.position = node.pos if error.position is None else error.position
        raise
    rows = [] if table is None else table
    if not _is_table(rows):
        raise _type_error(f"{node.func}() needs a table item, but '{node.table}' is {_describe(table)}", node)
    return rows


def _is_table(rows: object) -> TypeGuard[list[Mapping[str, object]]]:
    """A table's value: a list of rows, each a mapping (a plain ``dict``, what answers hold, is known at once;
    anything else asks :class:`Mapping`, whose check is slow)."""
    return isinstance(rows, list) and ({*map(type, rows)} <= _DICT or all(isinstance(row, Mapping) for row in rows))


_DICT = frozenset({dict})


def _over_rows(row_value: Evaluator, scope: Scope, rows: list[Mapping[str, object]]) -> Iterator[object]:
    """The row expression's value for each row, in one child scope moved from row to row (an
    evaluation is over before the next row starts, and nothing keeps a scope)."""
    row_scope = scope.with_row({})
    for row in rows:
        row_scope.row = row  # type: ignore[attr-defined]
        yield row_value(row_scope)


def _hit_rows(row_value: Evaluator, scope: Scope, rows: list[Mapping[str, object]], expr: Node) -> list[int]:
    """The positions of the rows the row condition holds for (a value that is not a condition raises as
    :func:`_cond` does)."""
    return [index for index, value in enumerate(_over_rows(row_value, scope, rows))
            if value is True or _cond(value, expr) is True]


def _count_hits(row_value: Evaluator, scope: Scope, rows: list[Mapping[str, object]], expr: Node) -> int:
    """How many rows the row condition holds for (``_cond`` of each value is True): :func:`_over_rows` and a
    sum in one loop."""
    row_scope = scope.with_row({})
    hits = 0
    for row in rows:
        row_scope.row = row  # type: ignore[attr-defined]
        value = row_value(row_scope)
        if value is True:
            hits += 1
        elif value is not None and value is not False:
            _cond(value, expr)  # raises: not a condition
    return hits


RowsOf = Callable[[Scope, list[Mapping[str, object]]], Any]  # (scope, the table's rows) -> a count or row values


class TableMemo:
    """The rows each row condition holds for, remembered while one set of answers is scored: relevance, the
    criteria's rules and their texts read the same table through the same conditions (``count(pcs, c)``,
    ``share(pcs, c) * 100 >= …`` and a relevance rule over the same ``c``), and each condition then loops over
    the rows once.  Only the generated code remembers (:func:`_remembering`), and only a condition that reads
    nothing but its row's cells, thresholds and the date: a cell its row does not hold falls back to the scope's
    value of that name, so a condition reading a name in ``shadowed`` (every name a scope of this scoring can
    give a value: the answers' ids, the rules' ``let`` names) is evaluated each time.  Every scope sharing one
    memo must have the same thresholds and date, and the answers must not change while it lives."""

    __slots__ = ("shadowed", "batches", "hits")

    def __init__(self, shadowed: frozenset[str], batches: Mapping[str, RowBatch] | None = None) -> None:
        self.shadowed = shadowed
        self.batches = batches if batches is not None else {}  # table -> every condition over it, in one loop
        # (id(rows), condition number) -> (the rows, the positions of the rows it holds for; None: it raised)
        self.hits: dict[tuple[int, int], tuple[list[Mapping[str, object]], list[int] | None]] = {}


class RowBatch:
    """Row conditions over one table (those a checklist writes), as one generated loop: each row's cells read once,
    then every condition applied to them (:func:`_generate_batch`).  A :class:`TableMemo` runs it when the first of
    them is asked for a table's rows, and keeps what each gives; a condition that raises on a row is left to its own
    loop (which raises, and the closures then report the error exactly)."""

    __slots__ = ("numbers", "names", "run")

    def __init__(self, conditions: Iterator[Node] | list[Node]) -> None:
        keyed: dict[int, tuple[Node, frozenset[str]]] = {}
        for node in conditions:
            known = _row_condition(node)
            if known is not None and known[0] not in keyed:
                keyed[known[0]] = (node, known[1])
        self.numbers = tuple(keyed)
        self.names = tuple(names for _node, names in keyed.values())
        self.run = _generate_batch([node for node, _names in keyed.values()]) if keyed else None


_CONDITION_IDS: dict[tuple[Any, ...], int] = {}  # a row condition's shape (see _row_condition) -> its number


class _Impure(Exception):
    """A row condition that reads ``.`` or another table: not remembered."""


def _row_condition(node: Node) -> tuple[int, frozenset[str]] | None:
    """A row condition's number (equal for the same condition written in two expressions: its shape without
    positions, every literal with its type) and the names it reads; None when it reads ``.`` or a table."""
    names: set[str] = set()

    def shape(part: Node) -> tuple[Any, ...]:
        if isinstance(part, (Current, Aggregate)):
            raise _Impure
        if isinstance(part, Name):
            names.add(part.name)
        out: list[Any] = [type(part)]
        for field in fields(part):
            if field.name == "pos":
                continue
            value = getattr(part, field.name)
            if isinstance(value, Node):
                out.append(shape(value))
            elif isinstance(value, tuple):
                out.append(tuple(shape(item) for item in value))
            else:
                out.append((type(value), value.hex() if type(value) is float else value))  # 1, 1.0, true, -0.0
        return tuple(out)

    try:
        key = shape(node)
    except (_Impure, RecursionError):
        return None
    return _CONDITION_IDS.setdefault(key, len(_CONDITION_IDS)), frozenset(names)


def _remembering(loop: RowsOf, condition: Node, table: str) -> RowsOf:
    """``loop`` (a generated row test of ``table``'s rows: the positions of the rows it holds for), remembered in the
    scope's :class:`TableMemo` when it has one and the condition may be remembered."""
    known = _row_condition(condition)
    if known is None:
        return loop
    number, names = known

    def remembered(scope: Scope, rows: list[Mapping[str, object]]) -> Any:
        memo = scope.tables
        if memo is None or scope.strict or not memo.shadowed.isdisjoint(names):
            return loop(scope, rows)
        key = (id(rows), number)
        entry = memo.hits.get(key)
        if entry is None or entry[0] is not rows:  # the entry keeps its rows alive: no other list has its id
            batch = memo.batches.get(table)
            if batch is not None and number in batch.numbers:
                _run_batch(batch, memo, scope, rows)
                entry = memo.hits.get(key)
        if entry is not None and entry[0] is rows and entry[1] is not None:
            return entry[1]
        hits = loop(scope, rows)  # raises where the condition raises
        memo.hits[key] = (rows, hits)
        return hits

    return remembered


def _run_batch(batch: RowBatch, memo: TableMemo, scope: Scope, rows: list[Mapping[str, object]]) -> None:
    """Every condition of ``batch`` over ``rows`` into ``memo`` (those it may keep: see :class:`TableMemo`)."""
    if batch.run is None:
        return
    try:
        results = batch.run(scope, rows)
    except Exception:  # noqa: BLE001 - each condition's own loop then runs, and raises where it raises
        return
    hits, shadowed = memo.hits, memo.shadowed
    for number, names, found in zip(batch.numbers, batch.names, results, strict=True):
        if shadowed.isdisjoint(names):
            hits[(id(rows), number)] = (rows, found)


def _generate_batch(conditions: list[Node]) -> Callable[[Scope, list[Mapping[str, object]]], list[list[int] | None]] | None:
    """Row conditions as one generated loop over a table's rows, ``(scope, rows) ->`` for each condition the
    positions of the rows it holds for (what :func:`_generate_rows` gives), or None where it raises on a row or
    gives a value that is not a condition.  Each cell read once per row.  None when Python cannot compile it."""
    source = _Source(rows=True)
    source.cells = {}
    try:
        bodies = [source.emit(node) for node in conditions]
        lines = ["def _batch(parent, rows):", "    scope = parent.with_row({})"]
        lines += [f"    {local} = _threshold_or_missing(parent, {source.constant(name)})"
                  for name, local in source.hoisted.items()]
        lines += [f"    hits{i} = []\n    ok{i} = True" for i in range(len(bodies))]
        lines += ["    for index, row in enumerate(rows):", "        scope.row = row"]
        lines += [f"        {local} = row.get({source.constant(name)}, _MISSING)" for name, local in source.cells.items()]
        for i, body in enumerate(bodies):
            lines += [f"        if ok{i}:", "            try:", f"                value = {body}",
                      "                if value is True:", f"                    hits{i}.append(index)",
                      "                elif value is not None and value is not False:", f"                    ok{i} = False",
                      "            except Exception:", f"                ok{i} = False"]
        lines.append(f"    return [{', '.join(f'hits{i} if ok{i} else None' for i in range(len(bodies)))}]")
        namespace = _generated_namespace(source.constants, rows=True)
        code = compile("\n".join(lines) + "\n", "<expression batch>", "exec")
        exec(code, namespace)  # noqa: S102 - our own generated text: names and constants only, never the user's text
    except (RecursionError, SyntaxError, MemoryError, ValueError):
        return None
    return namespace["_batch"]


def _compile_aggregate(node: Aggregate, generated: bool = False) -> Evaluator:
    """``generated``: the row expression as one generated loop over the rows (:func:`_generate_rows`), else
    the closures of :func:`_compile` called row by row."""
    func = node.func
    expr = node.expr
    counts = func in ("count", "share")
    of_rows: RowsOf | None = None
    if expr is not None and generated:
        loop = _generate_rows(expr, hits=counts)
        if counts:
            loop = _remembering(loop, expr, node.table)
        of_rows = (lambda scope, rows: len(loop(scope, rows))) if counts else loop
    elif expr is not None:
        row_value = _compile(expr)
        of_rows = functools.partial(_count_hits, row_value, expr=expr) if counts else \
            functools.partial(_over_rows, row_value)

    def aggregate(scope: Scope) -> object:
        rows = _table_rows(scope, node)
        if of_rows is None:
            return len(rows)
        if counts:
            hits = of_rows(scope, rows)
            return hits if func == "count" else (hits / len(rows) if rows else None)
        values = of_rows(scope, rows)
        present = [value for value in values if value is not None]
        if func in ("min", "max"):
            best = None
            for value in present:
                if best is None or _order("<" if func == "min" else ">", value, best, expr):  # type: ignore[arg-type]
                    best = value
            return best
        for value in present:
            if not _is_number(value):
                raise _type_error(f"{func}() needs numbers, not {_describe(value)}", expr)  # type: ignore[arg-type]
        total = math.fsum(present) if any(isinstance(v, float) for v in present) else sum(present)
        if func == "sum":
            return _finite(total, node)
        return _finite(total / len(present), node) if present else None

    return aggregate


# -- generated code -----------------------------------------------------------------------------
# The tree as the source of one Python function, compiled once: what the closures of _compile do, node
# by node, without a call per node.  Each fast path is taken exactly where the closure takes its own
# (the same type tests); everything else calls the very helpers the closures call (_equal, _order,
# _arith, _cond, ...), so the code raises wherever the closures raise.  Errors are then reported by
# the closures (Expression.evaluate): the generated code need not say where.  Calls and aggregates
# run as the closures do, with their arguments and row expressions generated too.

_GENERATED_GLOBALS: dict[str, Any] = {
    "__builtins__": {}, "_equal": _equal, "_order": _order, "_arith": _arith, "_normalize": _normalize,
    "_FAST_EQUAL": _FAST_EQUAL, "_FAST_ORDER": _FAST_ORDER, "_NUMBERS": _NUMBERS, "type": type, "int": int, "str": str,
}


def _generated_namespace(constants: Mapping[str, Any], *, rows: bool) -> dict[str, Any]:
    """The globals generated code runs with (no builtins but those named): the helpers every expression's code
    calls, those a loop over a table's rows calls too (``rows``), and the expression's own constants."""
    namespace = dict(_GENERATED_GLOBALS, _bad_condition=_bad_condition, _negate=_negate, _contains=_contains)
    if rows:
        namespace.update(_PLAIN_TYPES=_PLAIN_TYPES, _MISSING=_MISSING, _threshold_or_missing=_threshold_or_missing,
                         enumerate=enumerate, Exception=Exception)
    namespace.update(constants)
    return namespace


def _bad_condition(value: object, node: Node) -> object:
    """Raise as :func:`_cond` does for a value that is not true, false or null."""
    return _cond(value, node)


def _negate(value: object, node: Node) -> object:
    """Unary ``-`` of a value that is not null (the closure's rule)."""
    if _is_number(value):
        return -value  # type: ignore[operator]
    raise _type_error(f"cannot negate {_describe(value)}", node)


def _contains(a: object, b: object, node: Compare, wanted: bool) -> object:
    """``in`` / ``not in`` of two values (the one rule of the closures and the generated functions)."""
    if a is None or b is None:
        return None
    if isinstance(b, list):
        found = any(item is not None and _equal(a, _normalize(item), node) for item in b)
    elif isinstance(a, str) and isinstance(b, str):
        found = a in b
    else:
        raise _type_error(f"'{node.op}' needs a list (or text in text), not {_describe(a)} in {_describe(b)}", node)
    return found == wanted


_ORDERINGS = frozenset({"<", "<=", ">", ">="})
_WHOLE_ARITH = frozenset({"+", "-", "*"})


class _Source:
    """The constants and the temporary names of one generated function: every value, name and node is a
    constant of the function's namespace; the only text of the expression written into the source is an
    operator, and only one of the parser's own (:data:`_ORDERINGS`, :data:`_WHOLE_ARITH`)."""

    def __init__(self, rows: bool = False) -> None:
        self.constants: dict[str, object] = {}
        self.count = 0
        # Inside a loop over a table's rows (:func:`_generate_rows`): ``scope`` is the row's scope, ``row`` the
        # row, and each threshold is looked up once before the loop (threshold name -> its local's name).
        self.rows = rows
        self.hoisted: dict[str, str] = {}
        # In one loop of several row conditions (:func:`_generate_batch`): each cell read once per row into a local
        # (column name -> its local's name), before the conditions.
        self.cells: dict[str, str] | None = None

    def constant(self, value: object) -> str:
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def temporary(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def emit(self, node: Node) -> str:
        """A Python expression (in parentheses) of ``scope`` with the node's value."""
        match node:
            case Literal(value=value):
                return f"({self.constant(value)})"
            case Name(name=name) if self.cells is not None:  # the cell read before the conditions
                local = self.cells.setdefault(name, f"_c{len(self.cells)}")
                return f"({local} if type({local}) in _PLAIN_TYPES else scope.lookup({self.constant(name)}))"
            case Name(name=name) if self.rows:  # the row's own value when plain, else the row scope's lookup
                key, v = self.constant(name), self.temporary()  # one dict look-up (_MISSING is not a plain type)
                return f"({v} if type({v} := row.get({key}, _MISSING)) in _PLAIN_TYPES else scope.lookup({key}))"
            case Name(name=name):
                return f"scope.lookup({self.constant(name)})"
            case Threshold(name=name) if self.rows:  # looked up before the loop; where that failed, here (raises)
                local = self.hoisted.setdefault(name, f"_h{len(self.hoisted)}")
                return f"({local} if {local} is not _MISSING else scope.threshold({self.constant(name)}))"
            case Threshold(name=name):
                return f"scope.threshold({self.constant(name)})"
            case Current():
                return "_normalize(scope.current)"
            case Unary(op="not", operand=operand):
                v, where = self.temporary(), self.constant(operand)
                return (f"(None if ({v} := {self.emit(operand)}) is None else (not {v} if {v} is True or {v} is False "
                        f"else _bad_condition({v}, {where})))")
            case Unary(operand=operand):
                v, where = self.temporary(), self.constant(node)
                return (f"(None if ({v} := {self.emit(operand)}) is None else (-{v} if type({v}) in _NUMBERS "
                        f"else _negate({v}, {where})))")
            case Logic(op=op, operands=operands):
                return self._logic(op == "or", operands)
            case NullTest(operand=operand, negate=negated):
                return f"({self.emit(operand)} is {'not ' if negated else ''}None)"
            case Compare():
                return self._compare(node)
            case Arith(first=first, steps=steps):
                text = self.emit(first)
                for step in steps:
                    text = self._arith(step, text)
                return text
            case ListLit(items=items):
                return "[" + ", ".join(self.emit(item) for item in items) + "]"
            case Call(func="answered", args=(argument,)):  # the most called one (rows of tables): no list, no node
                return f"{self.constant(_is_answered)}({self.emit(argument)})"
            case Call(func=func, args=args) if func in _APPLIED:  # the arguments inline, in order, then the function
                values = ", ".join(self.emit(arg) for arg in args)
                return f"{self.constant(_APPLIED[func])}({self.constant(node)}, scope, [{values}])"
            case Call(func=func, args=args):
                impl, arguments = FUNCTIONS[func][2], tuple(_generate(arg) for arg in args)
                return f"{self.constant(impl)}({self.constant(node)}, scope, {self.constant(arguments)})"
            case Aggregate():
                return f"{self.constant(_compile_aggregate(node, generated=True))}(scope)"
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover

    def _logic(self, decisive: bool, operands: tuple[Node, ...]) -> str:
        # The closure: operands in order; a value that is not a condition raises; the decisive value
        # (False for 'and', True for 'or') settles it at once; else null if any was null.
        names = [self.temporary() for _ in operands]
        settled, other = repr(decisive), repr(not decisive)
        text = f"(None if {' or '.join(f'{v} is None' for v in names)} else {other})"
        for v, operand in reversed(list(zip(names, operands, strict=True))):
            where = self.constant(operand)
            text = (f"({settled} if ({v} := {self.emit(operand)}) is {settled} else (_bad_condition({v}, {where}) "
                    f"if {v} is not None and {v} is not {other} else {text}))")
        return text

    def _compare(self, node: Compare) -> str:
        a, b, where = self.temporary(), self.temporary(), self.constant(node)
        left = self.emit(node.left)
        op = node.op
        if op in ("in", "not in"):
            wanted = op == "in"
            items = node.right.items if isinstance(node.right, ListLit) else None
            if items is not None and all(isinstance(item, Literal) for item in items) \
                    and all(type(item.value) is str for item in items if item.value is not None):  # type: ignore[attr-defined]
                # A list of texts: for a text, `in` is the set's (no item can be of another kind).
                texts = self.constant(frozenset(item.value for item in items if item.value is not None))  # type: ignore[attr-defined]
                listed = self.constant([item.value for item in items])  # type: ignore[attr-defined]
                found = f"{a} in {texts}" if wanted else f"{a} not in {texts}"
                return (f"(None if ({a} := {left}) is None else ({found} if type({a}) is str "
                        f"else _contains({a}, {listed}, {where}, {wanted!r})))")
            return f"_contains({left}, {self.emit(node.right)}, {where}, {wanted!r})"
        right = self.emit(node.right)
        both = f"(({a} := {left}), ({b} := {right}))"
        if op in ("==", "!="):
            same = f"{a} == {b}" if op == "==" else f"{a} != {b}"
            return (f"(None if {both} and ({a} is None or {b} is None) else (({same}) if type({a}) is type({b}) and "
                    f"type({a}) in _FAST_EQUAL else _equal({a}, {b}, {where}) == {op == '=='!r}))")
        if op not in _ORDERINGS:  # only the parser's own operators are ever written into the generated text
            raise ValueError(op)
        return (f"(None if {both} and ({a} is None or {b} is None) else (({a} {op} {b}) if (type({a}) is type({b}) and "
                f"type({a}) in _FAST_ORDER) or (type({a}) in _NUMBERS and type({b}) in _NUMBERS) else "
                f"_order({op!r}, {a}, {b}, {where})))")

    def _arith(self, step: Step, left: str) -> str:
        a, b, where = self.temporary(), self.temporary(), self.constant(step)
        if step.op in _WHOLE_ARITH:  # two whole numbers: the exact result, as _arith gives it
            return (f"(({a} {step.op} {b}) if ((type({a} := {left}) is int) & (type({b} := {self.emit(step.operand)}) "
                    f"is int)) else _arith({step.op!r}, {a}, {b}, {where}))")
        return f"_arith({step.op!r}, {left}, {self.emit(step.operand)}, {where})"


def _generate(node: Node) -> Evaluator:
    """The node as one generated Python function of ``scope`` (see above); the closures of
    :func:`_compile` when Python cannot compile it (an expression nested too deeply for its parser)."""
    source = _Source()
    try:
        body = source.emit(node)
        namespace = _generated_namespace(source.constants, rows=False)
        code = compile(f"def _expression(scope):\n    return {body}\n", "<expression>", "exec")
        exec(code, namespace)  # noqa: S102 - our own generated text: names and constants only, never the user's text
    except (RecursionError, SyntaxError, MemoryError, ValueError):
        return _compile(node)
    return namespace["_expression"]


_MISSING = object()


def _threshold_or_missing(scope: Scope, name: str) -> object:
    """A threshold's value, or :data:`_MISSING` where looking it up raises (the loop then looks it up where the
    closures do, and raises there)."""
    try:
        return scope.threshold(name)
    except ExpressionError:
        return _MISSING


def _generate_rows(node: Node, *, hits: bool) -> RowsOf:
    """A table's row expression as one generated loop over the rows, ``(scope, rows) ->`` the positions of the
    rows it holds for (``hits``: what :func:`_hit_rows` gives, raising where it raises) or each row's value
    (what :func:`_over_rows` gives).  Unlike a generated row test called once per row, nothing is called per
    row to reach a plain value of the row, and each threshold is looked up once per table, not once per row.
    The closures when Python cannot compile it."""
    source = _Source(rows=True)
    try:
        body = source.emit(node)
        where = source.constant(node)
        lines = ["def _rows(parent, rows):", "    scope = parent.with_row({})"]
        lines += [f"    {local} = _threshold_or_missing(parent, {source.constant(name)})"
                  for name, local in source.hoisted.items()]
        if hits:
            lines += ["    hits = []", "    for index, row in enumerate(rows):", "        scope.row = row",
                      f"        value = {body}", "        if value is True:", "            hits.append(index)",
                      "        elif value is not None and value is not False:",
                      f"            _bad_condition(value, {where})", "    return hits"]
        else:
            lines += ["    values = []", "    for row in rows:", "        scope.row = row",
                      f"        values.append({body})", "    return values"]
        namespace = _generated_namespace(source.constants, rows=True)
        code = compile("\n".join(lines) + "\n", "<expression rows>", "exec")
        exec(code, namespace)  # noqa: S102 - our own generated text: names and constants only, never the user's text
    except (RecursionError, SyntaxError, MemoryError, ValueError):
        row_value = _compile(node)
        if hits:
            return functools.partial(_hit_rows, row_value, expr=node)
        return lambda scope, rows: list(_over_rows(row_value, scope, rows))
    return namespace["_rows"]


# -- functions ----------------------------------------------------------------------------------
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")  # unambiguous: no backtracking blow-up
_PHONE_CHARS = re.compile(r"\+?[0-9 .]+")
_PHONE = re.compile(r"(?:\+84|0)?[0-9]{9,10}")
_ROUNDING = Context(prec=400, rounding=ROUND_HALF_UP)
Impl = Callable[[Call, Scope, tuple[Evaluator, ...]], object]


Applied = Callable[[Call, Scope, list[object]], object]  # a function of its arguments' values (see _APPLIED)


def _of(check: Callable[[object], bool], what: str, compute: Callable[..., object]) -> Applied:
    """A function of evaluated arguments: any null argument gives null; each must pass ``check``."""

    def impl(node: Call, scope: Scope, values: list[object]) -> object:
        for value in values:  # not any(<generator>): a generator costs more than the call's own work
            if value is None:
                return None
        if not check(values[0]):
            raise _type_error(f"{node.func}() needs {what}, not {_describe(values[0])}", node)
        try:
            return compute(scope, *values)
        except ExpressionTypeError as error:  # about a later argument
            error.position = node.pos
            raise

    return impl


def _is(*types: type) -> Callable[[object], bool]:
    return lambda value: isinstance(value, types) and not isinstance(value, bool)


def _selected(scope: Scope, choices: list[object], choice: object) -> bool:
    if not isinstance(choice, str):
        raise ExpressionTypeError(f"selected() needs a choice id, not {_describe(choice)}")
    return choice in choices


def _round(scope: Scope, value: int | float, places: object) -> int | float:
    if not (_is(int)(places) and -15 <= places <= 15):  # type: ignore[operator]
        raise ExpressionTypeError(f"round() needs a whole number of places from -15 to 15, not {_describe(places)}")
    if isinstance(value, int) and places >= 0:  # type: ignore[operator]
        return value
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-places), context=_ROUNDING)  # type: ignore[operator] # half away from 0
    return int(rounded) if isinstance(value, int) else float(rounded)


def _is_email(scope: Scope, text: str) -> bool:
    text = text.strip()
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def _is_phone(scope: Scope, text: str) -> bool:
    text = text.strip()
    if len(text) > 40 or not _PHONE_CHARS.fullmatch(text):
        return False
    return _PHONE.fullmatch(text.replace(" ", "").replace(".", "")) is not None


def _if(node: Call, scope: Scope, args: tuple[Evaluator, ...]) -> object:
    condition = _cond(args[0](scope), node.args[0])
    return None if condition is None else (args[1] if condition else args[2])(scope)


def _coalesce(node: Call, scope: Scope, args: tuple[Evaluator, ...]) -> object:
    value = args[0](scope)
    return args[1](scope) if value is None else value


def _answered(node: Call, scope: Scope, values: list[object]) -> bool:
    return _is_answered(values[0])


def _is_answered(value: object) -> bool:
    """``answered(x)``: the closures call it through :func:`_answered`, the generated code directly."""
    return not (value is None or value == [] or (isinstance(value, str) and not value.strip()))


_is_list, _is_date = _is(list), _is(_dt.date)

# The functions that evaluate every argument, in order, before anything else: name -> the function of the
# arguments' values.  The closures evaluate the arguments and call it (:func:`_eager`); the generated code
# evaluates them inline and calls it.
_APPLIED: dict[str, Applied] = {
    "selected": _of(_is_list, "a multi-choice answer (for one choice use x == 'id')", _selected),
    "count_selected": _of(_is_list, "a multi-choice answer", lambda scope, v: len(v)),
    "len": _of(_is(str, list), "text or a list", lambda scope, v: len(v)),
    "answered": _answered,
    "round": _of(_is_number, "a number", _round),
    "abs": _of(_is_number, "a number", lambda scope, v: abs(v)),
    "today": lambda node, scope, values: scope.current_date(),
    "days_until": _of(_is_date, "a date", lambda scope, v: (v - scope.current_date()).days),
    "days_since": _of(_is_date, "a date", lambda scope, v: (scope.current_date() - v).days),
    "is_email": _of(_is(str), "text", _is_email),
    "is_phone": _of(_is(str), "text", _is_phone),
}


def _eager(apply: Applied) -> Impl:
    """A function of :data:`_APPLIED` as the closures call it: its arguments evaluated in order, then ``apply``."""
    return lambda node, scope, args: apply(node, scope, [arg(scope) for arg in args])


# name -> (fewest arguments, most arguments, implementation); see also AGGREGATES and date()
FUNCTIONS: dict[str, tuple[int, int, Impl]] = {
    "selected": (2, 2, _eager(_APPLIED["selected"])),
    "count_selected": (1, 1, _eager(_APPLIED["count_selected"])),
    "len": (1, 1, _eager(_APPLIED["len"])),
    "coalesce": (2, 2, _coalesce),
    "answered": (1, 1, _eager(_APPLIED["answered"])),
    "if": (3, 3, _if),
    "round": (2, 2, _eager(_APPLIED["round"])),
    "abs": (1, 1, _eager(_APPLIED["abs"])),
    "today": (0, 0, _eager(_APPLIED["today"])),
    "days_until": (1, 1, _eager(_APPLIED["days_until"])),
    "days_since": (1, 1, _eager(_APPLIED["days_since"])),
    "is_email": (1, 1, _eager(_APPLIED["is_email"])),
    "is_phone": (1, 1, _eager(_APPLIED["is_phone"])),
}
