"""The window's bar chart, drawn with QPainter (QtCharts is not in PySide6-Essentials): one widget
for the commune's section scores and the department's charts (section averages, levels, gaps).

A bar is anything with ``label``, ``value`` (its length; ``None``: no bar, only its text),
``color``, ``text`` (drawn after the bar) and ``spoken`` (for screen readers and the tooltip):
:class:`Bar` (a score 0–100, coloured by band) and :class:`CountBar` (a count with its share).
Sizes come from the font, so the chart scales with the screen and the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..bands import score_band
from ..numbers import integer, score as score_words, share
from .i18n import lang, t

if TYPE_CHECKING:
    from ..checklist.model import Checklist

SCORE_TICKS = (0, 25, 50, 75, 100)


def begin_painting(widget: QWidget) -> tuple[QPainter, QFontMetrics, QColor]:
    """An antialiased painter on a chart widget, its font's metrics and its text colour."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return painter, QFontMetrics(widget.font()), widget.palette().windowText().color()


class ChartBar(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def color(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def spoken(self) -> str: ...
    @property
    def tip(self) -> str: ...


@dataclass(frozen=True)
class Bar:
    """A score bar: 0–100, in the colour of its band (:mod:`readiness.bands`), the score written as
    everywhere else (:func:`readiness.numbers.score`)."""

    label: str
    score: float | None  # None: nothing in the section is scored and applicable
    color: str = ""
    tip: str = ""

    @classmethod
    def of(cls, checklist: Checklist, label: str, score: float | None, tip: str = "") -> Bar:
        """A bar coloured by the band the checklist's levels give ``score``."""
        return cls(label, score, score_band(checklist, score).colour, tip)

    @property
    def value(self) -> float | None:
        return self.score

    @property
    def text(self) -> str:
        """The value beside the bar; a chart's values keep their decimal as a table's column does («52,0» beside
        «75,7»)."""
        if self.score is None:
            return t("— không chấm điểm", "— not scored")
        return score_words(self.score, lang(), fixed=True)

    @property
    def spoken(self) -> str:
        return t("không chấm điểm", "not scored") if self.score is None else score_words(self.score, lang())


@dataclass(frozen=True)
class CountBar:
    """A count bar in its own colour, "12 (25%)" beside it."""

    label: str
    count: int
    color: str
    share: float | None = None  # 0–1, shown beside the count
    tip: str = ""

    @property
    def value(self) -> float | None:
        return float(self.count)

    @property
    def text(self) -> str:
        count = integer(self.count, lang())
        return count if self.share is None else f"{count} ({share(self.share, lang())})"

    @property
    def spoken(self) -> str:
        return self.text


class BarChart(QWidget):
    """Horizontal bars, labels on the left, each bar's text on its right.

    ``scale``: the value of a full-width bar (``None``: the largest bar); ``ticks``: values marked
    by a dotted grid with their numbers under it (else a plain axis line on the left).
    """

    def __init__(self, parent: QWidget | None = None, *, scale: float | None = None, ticks: Sequence[int] = (),
                 label_share: float = 0.42, empty_text: tuple[str, str] = ("", "")):
        super().__init__(parent)
        self.bars: list[ChartBar] = []
        self.scale = scale
        self.ticks = tuple(ticks)
        self.label_share = label_share
        self.empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(220)

    def set_bars(self, bars: Sequence[ChartBar]) -> None:
        self.bars = list(bars)
        lines = [f"{bar.label}: {bar.spoken}" for bar in self.bars]
        self.setAccessibleDescription("; ".join(lines))
        self.setToolTip("\n".join(bar.tip or line for bar, line in zip(self.bars, lines)))
        self.updateGeometry()
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def _row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.55)

    def _axis_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6 if self.ticks else 0

    def sizeHint(self) -> QSize:
        return QSize(560 if self.ticks else 420, self._row_height() * max(1, len(self.bars)) + self._axis_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter, metrics, text_color = begin_painting(self)
        palette = self.palette()
        row = self._row_height()
        width = self.width()
        if not self.bars:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(QRectF(0, 0, width, row), Qt.AlignmentFlag.AlignVCenter, t(*self.empty_text))
            painter.end()
            return
        widest = [metrics.horizontalAdvance(bar.text) for bar in self.bars if bar.value is not None]
        if self.ticks:
            widest.append(metrics.horizontalAdvance(str(max(self.ticks))))
        value_width = max(widest, default=0) + 12
        label_width = min(max(metrics.horizontalAdvance(bar.label) for bar in self.bars) + 12,
                          int(width * self.label_share))
        left = label_width
        span = max(width - value_width - left - 4, 10)
        top = 4
        bottom = top + row * len(self.bars)
        scale = self.scale or max((bar.value or 0 for bar in self.bars), default=0) or 1
        self._paint_axis(painter, metrics, left, span, top, bottom, scale)
        for index, bar in enumerate(self.bars):
            y = top + index * row
            painter.setPen(text_color)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(QRectF(0, y, label_width - 8, row),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            if bar.value is None:
                painter.setPen(palette.placeholderText().color())
                painter.drawText(QRectF(left + 6, y, span, row), Qt.AlignmentFlag.AlignVCenter, bar.text)
                continue
            height = row * 0.6
            length = span * max(0.0, min(bar.value, scale)) / scale
            if bar.value > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(bar.color))
                painter.drawRoundedRect(QRectF(left + 1, y + (row - height) / 2, max(length, 2), height), 3, 3)
            painter.setPen(text_color)
            painter.drawText(QRectF(left + length + 6, y, value_width + span - length, row),
                             Qt.AlignmentFlag.AlignVCenter, bar.text)
        painter.end()

    def _paint_axis(self, painter: QPainter, metrics: QFontMetrics, left: float, span: float, top: int, bottom: int,
                    scale: float) -> None:
        palette = self.palette()
        grid = palette.mid().color()
        if not self.ticks:
            painter.setPen(QPen(grid, 1))
            painter.drawLine(int(left), top, int(left), bottom)
            return
        for tick in self.ticks:
            x = left + span * tick / scale
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(int(x), top, int(x), bottom)
            painter.setPen(palette.windowText().color())
            label = str(tick)
            painter.drawText(int(x - metrics.horizontalAdvance(label) / 2), bottom + metrics.ascent() + 3, label)


class ScoreChart(BarChart):
    """Scores 0–100 (sections of one commune, or the department's section averages) on a grid."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, scale=100, ticks=SCORE_TICKS)
        self.setMinimumWidth(240)
