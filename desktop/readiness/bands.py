"""One score, one colour: the colour of a score comes from the checklist's readiness levels, in this
one place, for the window, the CLI, both PDFs, the workbooks and the DOCX.

- Where a level is shown (a commune's overall score beside «Chưa sẵn sàng»), the colour is the
  level's: a level's rule may also depend on critical criteria or unanswered questions, so 85
  points with a critical criterion not met is red like the level beside it.
- Where a number stands alone (a section score, an average), the colour is that of the level the
  number alone would reach: the first level whose rule holds for a commune with that score
  everywhere, no critical criterion failed and every question answered.  With the levels of the
  checklist (80 and 60) that is green from 80, amber from 60, red below.
- The number is rounded as it is written (:func:`readiness.numbers.round_score`), so 59,96 shown
  as «60» is amber, not red.

Colours are ``#rrggbb``; :class:`Band` also gives the pale background and the dark text of a
table cell and the text colour that reads on the strong colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .numbers import round_score
from .memo import ByIdentity
from .record import Record

if TYPE_CHECKING:
    from .checklist.model import Checklist, Level

NOT_SCORED = "#9e9e9e"  # nothing in it is scored


def xlsx_colour(colour: str) -> str:
    """``#2e7d32`` as openpyxl writes it: ``2E7D32``."""
    return colour.lstrip("#").upper()


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def tint(colour: str, amount: float = 0.75) -> str:
    """``colour`` mixed with white (``amount`` 0: unchanged, 1: white)."""
    return _hex([c + (255 - c) * amount for c in _rgb(colour)])


def shade(colour: str, amount: float = 0.45) -> str:
    """``colour`` mixed with black (``amount`` 0: unchanged, 1: black)."""
    return _hex([c * (1 - amount) for c in _rgb(colour)])


def readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = _rgb(colour)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


class Band(Record):
    """The colours of one score: ``colour`` for bars and badges, ``background``/``text`` for a table cell."""

    level_id: str | None  # None: not scored
    colour: str

    @property
    def background(self) -> str:
        return tint(self.colour, 0.75)

    @property
    def text(self) -> str:
        """Dark text for the pale ``background``."""
        return shade(self.colour, 0.45) if self.level_id is not None else "#424242"

    @property
    def on_colour(self) -> str:
        """Text written on ``colour`` itself."""
        return readable_on(self.colour)


UNSCORED = Band(None, NOT_SCORED)


def level_band(checklist: Checklist, level_id: str | None) -> Band:
    """The band of a level shown by its name."""
    if not level_id:
        return UNSCORED
    try:
        return Band(level_id, checklist.level(level_id).color)
    except KeyError:
        return UNSCORED


def score_band(checklist: Checklist, score: float | None) -> Band:
    """The band of a number shown alone: the level that number alone would reach."""
    if score is None:
        return UNSCORED
    table = _score_levels(checklist)
    tenths = int(round(round_score(max(0.0, min(100.0, score))) * 10))  # type: ignore[operator]
    level = table[tenths]
    return Band(level.id, level.color)


def band(checklist: Checklist, score: float | None, level_id: str | None = None) -> Band:
    """A level's band where the level is known (and shown), else the band of the number."""
    if level_id:
        return level_band(checklist, level_id)
    return score_band(checklist, score)


def score_limits(checklist: Checklist) -> list[tuple[float, Level]]:
    """Where each band starts, lowest first: ``[(0, not_ready), (60, basic), (80, ready)]``."""
    table = _score_levels(checklist)
    limits: list[tuple[float, Level]] = []
    for tenths, level in enumerate(table):
        if not limits or limits[-1][1].id != level.id:
            limits.append((tenths / 10, level))
    return limits


_TABLES: ByIdentity[Checklist, tuple[Level, ...]] = ByIdentity(32)  # checklist -> its table


def _score_levels(checklist: Checklist) -> tuple[Level, ...]:
    return _TABLES.get(checklist, _levels_for)


def _levels_for(checklist: Checklist) -> tuple[Level, ...]:
    """The level of every score 0,0 … 100,0 (in tenths) for a commune with nothing else against it."""
    from . import expr

    levels = checklist.levels
    rules = [(level, expr.parse(level.rule)) for level in levels]
    sections = [f"score_{section.id}" for section in checklist.sections]
    thresholds = checklist.threshold_values()
    found: list[Level] = []
    for tenths in range(1001):
        value = tenths / 10
        scope = expr.Scope({"score": value, "critical_failed": 0, "unanswered_required": 0, "completion": 1.0,
                            **{name: value for name in sections}}, thresholds=thresholds)
        chosen = levels[-1]
        for level, rule in rules:
            try:
                if expr.truthy(rule.evaluate(scope)) is True:
                    chosen = level
                    break
            except expr.ExpressionError:
                continue
        found.append(chosen)
    return tuple(found)
