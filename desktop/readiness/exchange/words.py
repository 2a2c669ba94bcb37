"""Skip rules (``relevant`` expressions) said in words, for printouts and workbooks.

``has_fibre == true``  ->  ``mục 2.1 là «Có»``;  ``tslcd in ['a', 'b']``  ->  ``mục 2.4 là «A» hoặc «B»``.
Anything the translator does not recognise falls back to the expression with item ids
replaced by their numbers ("mục 2.1 >= 3 * mục 1.3"), never to nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import expr
from ..answers import format_number
from ..checklist.model import Checklist, Item, ItemType

_OPS_VI = {"==": "là", "!=": "không phải", "<": "nhỏ hơn", "<=": "không quá", ">": "lớn hơn", ">=": "từ"}
_OPS_NUM_VI = {"==": "bằng", "!=": "khác"}


def skip_instruction(checklist: Checklist, rule: str | None, *, section: bool = False) -> str:
    """"Chỉ trả lời nếu mục 2.1 là «Có»." (``section``: "Chỉ trả lời phần này nếu ...")."""
    if not rule:
        return ""
    condition = condition_words(checklist, rule)
    lead = "Chỉ trả lời phần này nếu" if section else "Chỉ trả lời nếu"
    return f"{lead} {condition}."


def condition_words(checklist: Checklist, rule: str) -> str:
    try:
        tree = expr.parse(rule).root
        return _Words(checklist).node(tree, top=True)
    except Exception:  # noqa: BLE001 - any surprise falls back to the plain form
        return plain_condition(checklist, rule)


def plain_condition(checklist: Checklist, rule: str) -> str:
    """The rule text with item ids shown as "mục 2.1" and words for the operators."""
    def name(match: re.Match[str]) -> str:
        word = match.group(0)
        try:
            return f"mục {checklist.number(word)}"
        except KeyError:
            return {"and": "và", "or": "hoặc", "not": "không", "true": "«Có»", "false": "«Không»",
                    "null": "(chưa trả lời)"}.get(word, word)
    columns = {c.id: c for i in checklist.items() for c in i.columns or ()}

    def threshold(match: re.Match[str]) -> str:
        found = checklist.thresholds.get(match.group(1))
        if found is None:
            return match.group(0)
        value = found.value
        text = format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        return f"{text} {found.unit}" if found.unit else text

    def word(match: re.Match[str]) -> str:
        if match.group(0) in columns and match.group(0) not in {i.id for i in checklist.items()}:
            return f"«{columns[match.group(0)].label.vi}»"
        return name(match)

    text = re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", threshold, rule)
    text = re.sub(r"(?<![$'\"\w])[A-Za-z_][A-Za-z0-9_]*", word, text)
    return text.replace("==", "=").replace("!=", "≠").replace(">=", "≥").replace("<=", "≤")


class _Unsupported(Exception):
    pass


class _Words:
    def __init__(self, checklist: Checklist):
        self.checklist = checklist

    def item(self, node: Any) -> Any:
        """The item (or, inside a table's row expression, the column) a name refers to."""
        if type(node).__name__ != "Name":
            return None
        table = getattr(node, "table", None)
        if table is not None:
            try:
                return self.checklist.item(table).column(node.name)
            except KeyError:
                pass
        try:
            return self.checklist.item(node.name)
        except KeyError:
            return None

    def ref(self, item: Any) -> str:
        if isinstance(item, Item):
            return f"mục {self.checklist.number(item.id)}"
        return f"«{item.label.vi}»"

    def value(self, item: Item | None, node: Any) -> str:
        kind = type(node).__name__
        if kind == "Literal":
            value = node.value
            if isinstance(value, bool):
                return "«Có»" if value else "«Không»"
            if isinstance(value, str) and item is not None and item.choices:
                for choice in item.choices:
                    if choice.id == value:
                        return f"«{choice.label.vi}»"
            if isinstance(value, (int, float)):
                unit = f" {item.unit}" if item is not None and item.unit else ""
                return f"{format_number(value)}{unit}"
            if isinstance(value, dt.date):
                return value.strftime("%d/%m/%Y")
            return f"«{value}»"
        if kind == "Threshold":
            threshold = self.checklist.thresholds.get(node.name)
            if threshold is None:
                raise _Unsupported
            value = threshold.value
            text = format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
            return f"{text} {threshold.unit}" if threshold.unit else text
        raise _Unsupported

    def node(self, node: Any, top: bool = False) -> str:
        kind = type(node).__name__
        if kind == "Logic":
            joiner = " và " if node.op == "and" else " hoặc "
            parts = [self.node(part) for part in node.operands]
            text = joiner.join(parts)
            return text if top else f"({text})"
        if kind == "Unary" and node.op == "not":
            item = self.item(node.operand)
            if item is not None and item.type is ItemType.YES_NO:
                return f"{self.ref(item)} là «Không»"
            return f"không phải ({self.node(node.operand, top=True)})"
        if kind == "NullTest":
            item = self.item(node.operand)
            if item is None:
                raise _Unsupported
            return f"đã trả lời {self.ref(item)}" if node.negate else f"chưa trả lời {self.ref(item)}"
        if kind == "Name":
            item = self.item(node)
            if item is not None and item.type is ItemType.YES_NO:
                return f"{self.ref(item)} là «Có»"
            raise _Unsupported
        if kind == "Compare":
            return self.compare(node)
        if kind == "Call":
            if node.func == "selected" and len(node.args) == 2:
                item = self.item(node.args[0])
                if item is not None:
                    return f"{self.ref(item)} có chọn {self.value(item, node.args[1])}"
            if node.func == "answered" and len(node.args) == 1:
                item = self.item(node.args[0])
                if item is not None:
                    return f"đã trả lời {self.ref(item)}"
            raise _Unsupported
        raise _Unsupported

    def compare(self, node: Any) -> str:
        op = node.op
        left, right = node.left, node.right
        item = self.item(left)
        if item is None and type(left).__name__ == "Call" and left.func in ("days_until", "days_since") \
                and len(left.args) == 1 and op in ("<", "<=", ">", ">=") and self.item(left.args[0]) is not None:
            target = self.ref(self.item(left.args[0]))
            amount = self.value(None, right)
            amount = amount if amount.endswith("ngày") else f"{amount} ngày"
            if left.func == "days_until":
                return f"{target} còn {'dưới' if op in ('<', '<=') else 'trên'} {amount}"
            return f"{target} đã qua {'dưới' if op in ('<', '<=') else 'trên'} {amount}"
        if item is None and type(left).__name__ == "Aggregate" and left.func == "count" and left.expr is not None:
            try:
                table = self.checklist.item(left.table)
            except KeyError:
                raise _Unsupported from None
            rows = table.row_label.vi.lower() if table.row_label else "dòng"
            condition = self.node(left.expr, top=True)
            if (type(right).__name__ == "Aggregate" and right.func == "count" and right.expr is None
                    and right.table == left.table and op == "<"):
                return f"có {rows} ở {self.ref(table)} không đạt: {condition}"
            if type(right).__name__ == "Literal" and right.value == 0 and op in (">", "!="):
                return f"có {rows} ở {self.ref(table)} thỏa: {condition}"
            raise _Unsupported
        if item is None:
            # count(pcs) > 0
            if type(left).__name__ == "Aggregate" and left.func == "count" and left.expr is None:
                try:
                    table = self.checklist.item(left.table)
                except KeyError:
                    raise _Unsupported from None
                if type(right).__name__ == "Literal" and right.value == 0 and op in (">", "!="):
                    return f"bảng ở {self.ref(table)} có ít nhất một dòng"
                words = _OPS_NUM_VI.get(op, _OPS_VI.get(op))
                return f"số dòng ở {self.ref(table)} {words} {self.value(None, right)}"
            raise _Unsupported
        if op in ("in", "not in"):
            if type(right).__name__ != "ListLit":
                raise _Unsupported
            values = [self.value(item, part) for part in right.items]
            text = " hoặc ".join(values) if op == "in" else " và ".join(values)
            return f"{self.ref(item)} {'là' if op == 'in' else 'không phải'} {text}"
        numeric = item.type in (ItemType.INTEGER, ItemType.DECIMAL)
        words = (_OPS_NUM_VI.get(op) if numeric else None) or _OPS_VI[op]
        if item.type is ItemType.DATE and op in ("<", "<=", ">", ">="):
            words = {"<": "trước", "<=": "không sau", ">": "sau", ">=": "từ"}[op]
        tail = " trở lên" if words == "từ" else ""
        return f"{self.ref(item)} {words} {self.value(item, right)}{tail}"
