"""The dashboard's charts, drawn with QPainter like gui/chart.py (QtCharts is not in PySide6-Essentials).

- :class:`CountChart`: horizontal bars of counts (readiness levels, the most common gaps), each
  with its own colour and a "12 (25%)" value; sizes come from the font.
- Section averages use :class:`readiness.gui.chart.ScoreChart` (0–100, coloured by band).
- :class:`TrendChart`: a score line across periods (0–100), one point per period.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..chart import bar_color
from ..i18n import t
from .labels import score_text


@dataclass(frozen=True)
class CountBar:
    label: str
    count: int
    color: str
    share: float | None = None  # 0–1, shown beside the count
    tip: str = ""


class CountChart(QWidget):
    """Horizontal bars of counts with their labels on the left and "n (p%)" on the right."""

    def __init__(self, parent: QWidget | None = None, *, label_share: float = 0.45, empty_text: tuple[str, str] = ("", "")):
        super().__init__(parent)
        self.bars: list[CountBar] = []
        self.label_share = label_share
        self.empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(220)

    def set_bars(self, bars: list[CountBar]) -> None:
        self.bars = list(bars)
        lines = [f"{bar.label}: {self._value(bar)}" for bar in self.bars]
        self.setAccessibleDescription("; ".join(lines))
        self.setToolTip("\n".join(bar.tip or line for bar, line in zip(self.bars, lines)))
        self.updateGeometry()
        self.update()

    @staticmethod
    def _value(bar: CountBar) -> str:
        if bar.share is None:
            return str(bar.count)
        return f"{bar.count} ({bar.share * 100:.0f}%)"

    def _row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.5)

    def sizeHint(self) -> QSize:
        return QSize(420, self._row_height() * max(1, len(self.bars)) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        palette = self.palette()
        text_color = palette.windowText().color()
        row = self._row_height()
        width = self.width()
        if not self.bars:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(QRectF(0, 0, width, row), Qt.AlignmentFlag.AlignVCenter, t(*self.empty_text))
            painter.end()
            return
        value_width = max(metrics.horizontalAdvance(self._value(bar)) for bar in self.bars) + 10
        label_width = min(max(metrics.horizontalAdvance(bar.label) for bar in self.bars) + 12,
                          int(width * self.label_share))
        left = label_width
        span = max(width - value_width - left - 4, 10)
        top = 4
        largest = max((bar.count for bar in self.bars), default=0) or 1
        painter.setPen(QPen(palette.mid().color(), 1))
        painter.drawLine(int(left), top, int(left), top + row * len(self.bars))
        for index, bar in enumerate(self.bars):
            y = top + index * row
            painter.setPen(text_color)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(QRectF(0, y, label_width - 8, row),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            height = row * 0.62
            length = span * bar.count / largest
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bar.color))
            if bar.count:
                painter.drawRoundedRect(QRectF(left + 1, y + (row - height) / 2, max(length, 2), height), 3, 3)
            painter.setPen(text_color)
            painter.drawText(QRectF(left + length + 6, y, value_width + 4, row), Qt.AlignmentFlag.AlignVCenter,
                             self._value(bar))
        painter.end()


@dataclass(frozen=True)
class TrendPointView:
    label: str  # "11/2025"
    score: float | None


class TrendChart(QWidget):
    """The score (0–100) across periods as a line with a dot per period and its value."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[TrendPointView] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(260, 160)

    def set_points(self, points: list[TrendPointView]) -> None:
        self.points = list(points)
        text = "; ".join(f"{p.label}: {score_text(p.score)}" for p in self.points)
        self.setAccessibleDescription(text)
        self.setToolTip(text.replace("; ", "\n"))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, QFontMetrics(self.font()).height() * 11)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        palette = self.palette()
        text_color = palette.windowText().color()
        grid = palette.mid().color()
        half_label = max((metrics.horizontalAdvance(p.label) for p in self.points), default=0) / 2 + 6
        axis = metrics.horizontalAdvance("100") + 10  # the grid starts here; the y labels are on its left
        left = axis + max(half_label, 18)  # the first and last periods: their labels and values fit
        right = self.width() - max(half_label, 18)
        top = metrics.height() + 6
        bottom = self.height() - metrics.height() - 8
        if bottom - top < 20 or right - left < 20:
            painter.end()
            return
        for tick in (0, 25, 50, 75, 100):
            y = bottom - (bottom - top) * tick / 100
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(int(axis), int(y), int(self.width() - 6), int(y))
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y - metrics.height() / 2, axis - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))
        if not self.points:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(QRectF(left, top, right - left, bottom - top), Qt.AlignmentFlag.AlignCenter,
                             t("Chưa có kỳ nào có số liệu", "No period has data yet"))
            painter.end()
            return
        count = len(self.points)
        step = (right - left) / max(count - 1, 1) if count > 1 else 0
        positions: list[QPointF | None] = []
        for index, point in enumerate(self.points):
            x = left + step * index if count > 1 else (left + right) / 2
            label_width = metrics.horizontalAdvance(point.label)
            every = max(1, int((label_width + 12) / step) + 1) if step else 1
            if index % every == 0 or index == count - 1:
                painter.setPen(text_color)
                painter.drawText(QRectF(x - label_width / 2 - 4, bottom + 4, label_width + 8, metrics.height()),
                                 Qt.AlignmentFlag.AlignCenter, point.label)
            if point.score is None:
                positions.append(None)
                continue
            y = bottom - (bottom - top) * max(0.0, min(point.score, 100.0)) / 100
            positions.append(QPointF(x, y))
        painter.setPen(QPen(QColor("#1565c0"), 2))
        previous = None
        for position in positions:
            if position is not None and previous is not None:
                painter.drawLine(previous, position)
            previous = position
        for point, position in zip(self.points, positions):
            if position is None or point.score is None:
                continue
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(bar_color(point.score))
            painter.drawEllipse(position, 5, 5)
            painter.setPen(text_color)
            value = score_text(point.score)
            painter.drawText(QRectF(position.x() - 30, position.y() - metrics.height() - 6, 60, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, value)
        painter.end()
