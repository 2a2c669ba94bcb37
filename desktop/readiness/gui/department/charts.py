"""The trend chart: a score line across periods (0–100), one point per period, drawn with QPainter
(QtCharts is not in PySide6-Essentials).  The dashboard's bar charts (levels, gaps, section
averages) are :class:`readiness.gui.chart.BarChart`, the same widget as the commune's summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..chart import begin_painting
from ..i18n import t
from .labels import score_text


@dataclass(frozen=True)
class TrendPointView:
    label: str  # "11/2025"
    score: float | None
    color: str = "#9e9e9e"  # the band of the score, or the commune's level (readiness.bands)


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
        painter, metrics, text_color = begin_painting(self)
        palette = self.palette()
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
            painter.setBrush(QColor(point.color))
            painter.drawEllipse(position, 5, 5)
            painter.setPen(text_color)
            value = score_text(point.score)
            painter.drawText(QRectF(position.x() - 30, position.y() - metrics.height() - 6, 60, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, value)
        painter.end()
