"""How numbers are written, in one place: the window, the CLI, the PDFs, the DOCX and the text of the
workbooks all call these functions.

- Vietnamese groups thousands with a dot and writes a decimal comma (``12.345,5``); English the
  other way round (``12,345.5``).
- A score is rounded once, half up, to one decimal (``72,25`` → ``72,3``; ``80,0`` is written
  ``80``): :func:`round_score` gives the number a workbook stores, :func:`score` its text, and a
  section score is written the same way in the window, the CLI, the PDF and the report.
- Years and codes are never grouped (``2021``, not ``2.021``): :func:`is_plain` tells which
  questions hold them, :func:`answer_number` writes an answer to a question accordingly.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NONE = "—"  # a value that does not exist (a section with nothing scored)

_LOWER = re.compile(r"\.\s*>=?\s*(-?\d+(?:\.\d+)?)")
_UPPER = re.compile(r"\.\s*<=?\s*(-?\d+(?:\.\d+)?)")
_PLAIN_ID = re.compile(r"(^|_)(year|nam|code|ma|so_hieu|serial)($|_)")


def _swap(text: str, lang: str) -> str:
    """Python writes ``12,345.5``; Vietnamese reads ``12.345,5``."""
    if lang != "vi":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _decimal(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def number(value: float | int | Decimal, lang: str = "vi", *, decimals: int = 2, grouped: bool = True,
           fixed: bool = False) -> str:
    """``12345.5`` → ``12.345,5`` (vi) / ``12,345.5`` (en): at most ``decimals`` decimals, no trailing
    zeros (``fixed``: exactly ``decimals``, ``4,0``), rounded half up; ``grouped=False`` leaves the
    thousands together (years, codes)."""
    if isinstance(value, bool):
        raise TypeError("a yes/no answer is not a number")
    exact = _decimal(value)
    if not exact.is_finite():
        return str(value)
    quantum = Decimal(1).scaleb(-decimals)
    if fixed:
        rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
        return _swap(f"{rounded:,f}" if grouped else f"{rounded:f}", lang)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP) if exact != exact.to_integral_value() else exact
    if rounded == rounded.to_integral_value():
        whole = int(rounded)
        return _swap(f"{whole:,}" if grouped else str(whole), lang)
    text = f"{rounded:,f}" if grouped else f"{rounded:f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return _swap(text, lang)


def integer(value: int, lang: str = "vi") -> str:
    """A count: ``3321`` → ``3.321`` (vi) / ``3,321`` (en)."""
    return number(int(value), lang)


def round_score(value: float | None) -> float | None:
    """The score as it is shown and stored in a workbook: one decimal, half up (``72.25`` → ``72.3``)."""
    if value is None:
        return None
    return float(_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score(value: float | None, lang: str = "vi", *, fixed: bool = False) -> str:
    """A score 0–100 as text: ``72,3`` / ``72.3``, ``80`` for 80.0 in a sentence, ``—`` when there is none.
    ``fixed``: always its one decimal (``80,0``), for a column of scores, where ``80`` beside ``72,3`` reads
    as another kind of number."""
    if value is None:
        return NONE
    return number(round_score(value), lang, decimals=1, fixed=fixed)  # type: ignore[arg-type]


def percent(part: float, whole: float, lang: str = "vi", *, decimals: int = 1) -> str:
    """``part`` of ``whole`` as a percentage: ``12,5%``; ``0%`` of nothing."""
    if not whole:
        return "0%"
    return number(_decimal(100 * part / whole), lang, decimals=decimals) + "%"


def share(fraction: float, lang: str = "vi", *, decimals: int = 0) -> str:
    """A fraction 0–1 as a percentage: ``0.973`` → ``97%``."""
    return number(_decimal(100 * fraction), lang, decimals=decimals) + "%"


def _bounds(spec: Any) -> tuple[float | None, float | None]:
    low, high = getattr(spec, "min", None), getattr(spec, "max", None)
    constraint = getattr(spec, "constraint", None)
    if constraint is not None:
        text = constraint.expr
        lows = [float(m) for m in _LOWER.findall(text)]
        highs = [float(m) for m in _UPPER.findall(text)]
        if lows:
            low = max([low, *lows]) if low is not None else max(lows)
        if highs:
            high = min([high, *highs]) if high is not None else min(highs)
    return low, high


def is_plain(spec: Any) -> bool:
    """A number that is a year or a code: written without grouping (``Năm mua 2021``).

    A whole-number question whose id or label names a year («Năm mua») or a code, or whose allowed
    values all have four digits (a year between 1995 and 2100)."""
    if getattr(spec, "type", None) is None or getattr(spec.type, "value", spec.type) != "integer":
        return False
    if _PLAIN_ID.search(spec.id) or "year" in spec.id:
        return True
    label = getattr(spec, "label", None)
    if label is not None:
        from .text import fold

        vietnamese = fold(label.vi)
        if vietnamese == "nam" or vietnamese.startswith("nam ") or (label.en or "").lower().startswith("year"):
            return True
    low, high = _bounds(spec)
    return low is not None and high is not None and 1000 <= low and high <= 9999


def answer_number(spec: Any, value: float | int, lang: str = "vi") -> str:
    """The answer to a numeric question, grouped unless it is a year or a code."""
    return number(value, lang, grouped=not is_plain(spec))

