"""A horizontal bar chart of section scores, drawn with QPainter (QtCharts is not in
PySide6-Essentials).  Sizes come from the font, so it scales with the screen and the language."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .i18n import t

GOOD, FAIR, POOR = QColor("#2e7d32"), QColor("#f9a825"), QColor("#c62828")


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None  # 0–100; None: nothing in the section is scored and applicable


def bar_color(score: float) -> QColor:
    return GOOD if score >= 80 else FAIR if score >= 50 else POOR


class ScoreChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(240)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        parts = []
        for bar in self.bars:
            value = t("không chấm điểm", "not scored") if bar.score is None else f"{bar.score:.0f}"
            parts.append(f"{bar.label}: {value}")
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip("\n".join(parts))
        self.updateGeometry()
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def _row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.55)

    def _axis_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6

    def sizeHint(self) -> QSize:
        return QSize(560, self._row_height() * max(1, len(self.bars)) + self._axis_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        palette = self.palette()
        text_color = palette.windowText().color()
        grid_color = palette.mid().color()
        row = self._row_height()
        width = self.width()
        value_width = metrics.horizontalAdvance("100") + 12
        label_width = min(max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0) + 12,
                          int(width * 0.42))
        left = label_width
        right = width - value_width
        span = max(right - left, 10)
        top = 4

        # grid: 0, 25, 50, 75, 100
        painter.setPen(QPen(grid_color, 1, Qt.PenStyle.DotLine))
        bottom = top + row * len(self.bars)
        for tick in (0, 25, 50, 75, 100):
            x = left + span * tick / 100
            painter.drawLine(int(x), top, int(x), bottom)
            painter.setPen(text_color)
            label = str(tick)
            advance = metrics.horizontalAdvance(label)
            painter.drawText(int(x - advance / 2), bottom + metrics.ascent() + 3, label)
            painter.setPen(QPen(grid_color, 1, Qt.PenStyle.DotLine))

        for index, bar in enumerate(self.bars):
            y = top + index * row
            painter.setPen(text_color)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(QRectF(0, y, label_width - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            bar_height = row * 0.6
            bar_top = y + (row - bar_height) / 2
            if bar.score is None:
                painter.setPen(palette.placeholderText().color())
                painter.drawText(QRectF(left + 6, y, span, row), Qt.AlignmentFlag.AlignVCenter,
                                 t("— không chấm điểm", "— not scored"))
                continue
            length = span * max(0.0, min(bar.score, 100.0)) / 100
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bar_color(bar.score))
            painter.drawRoundedRect(QRectF(left, bar_top, max(length, 2), bar_height), 3, 3)
            painter.setPen(text_color)
            painter.drawText(QRectF(left + length + 6, y, value_width + span - length, row),
                             Qt.AlignmentFlag.AlignVCenter, f"{bar.score:.0f}")
        painter.end()
