"""Icons: SVG files in ``resources/icons`` and small status badges drawn with QPainter
(sharp at any scale factor; nothing to ship)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

# The style's standard icon for a name whose SVG is missing (names of ``QStyle.StandardPixmap``, looked up when
# needed: the first use of ``QStyle`` in Python builds its enums, ~47 M instructions at start).
_FALLBACK = {"calendar": "SP_FileDialogDetailedView", "app": "SP_ComputerIcon"}
# Qt's own arrow images, the ones its common style gives for ``SP_ArrowBack``/``SP_ArrowForward`` when the
# platform has no icon theme (Qt's resources, in every Qt build).
_ARROW_FILES = ":/qt-project.org/styles/commonstyle/images/arrow-{}-{}.png"
_ARROW_SIZES = (16, 32, 128)


@cache
def icon(name: str) -> QIcon:
    from ..paths import resources_dir

    path = resources_dir() / "icons" / f"{name}.svg"
    if path.exists():
        found = QIcon(str(path))
        if not found.isNull():
            return found
    return _standard_icon(_FALLBACK.get(name, "SP_FileIcon"))


def _standard_icon(name: str) -> QIcon:
    from PySide6.QtWidgets import QApplication, QStyle

    return QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, name))


@cache
def arrow_icon(direction: str) -> QIcon:
    """The «back» (``"left"``) or «forward» (``"right"``) arrow of the section buttons: Qt's own arrow images,
    read from its resources without asking the style (see ``_FALLBACK``); the style's icon if they are gone."""
    from PySide6.QtCore import QSize

    result = QIcon()
    for size in _ARROW_SIZES:  # (a missing file adds nothing: the icon stays null; no QFile, whose enums cost too)
        result.addFile(_ARROW_FILES.format(direction, size), QSize(size, size))
    if result.isNull():
        return _standard_icon("SP_ArrowBack" if direction == "left" else "SP_ArrowForward")
    return result


class Badge(StrEnum):
    """How far a section is: the colour and the symbol both say it (not colour alone)."""

    EMPTY = "empty"  # nothing answered yet
    PARTIAL = "partial"  # some answers, required ones still missing
    COMPLETE = "complete"  # every required answer given, nothing invalid
    ERRORS = "errors"  # an answer is invalid (or a typed one was refused)
    MISSING = "missing"  # required answers still missing after the section was left
    SUMMARY = "summary"

    @property
    def color(self) -> QColor:
        return QColor(_COLORS[self])


_COLORS = {
    Badge.EMPTY: "#8a8f98",
    Badge.PARTIAL: "#b26a00",
    Badge.COMPLETE: "#2e7d32",
    Badge.ERRORS: "#c62828",
    Badge.MISSING: "#b26a00",
    Badge.SUMMARY: "#1565c0",
}


@cache
def badge_icon(badge: Badge) -> QIcon:
    result = QIcon()
    for size in (16, 20, 24, 32, 48):
        result.addPixmap(_badge_pixmap(badge, size))
    return result


def _badge_pixmap(badge: Badge, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = badge.color
    s = float(size)
    rect = QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84)
    white = QPen(QColor("white"), max(1.5, s * 0.12), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                 Qt.PenJoinStyle.RoundJoin)
    if badge is Badge.EMPTY:
        painter.setPen(QPen(color, max(1.2, s * 0.09)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04))
    elif badge is Badge.PARTIAL:
        painter.setPen(QPen(color, max(1.2, s * 0.09)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inner = rect.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04)
        painter.drawEllipse(inner)
        painter.setBrush(color)
        painter.drawPie(inner, 90 * 16, 180 * 16)  # half full
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(rect)
        painter.setPen(white)
        if badge is Badge.COMPLETE:
            path = QPainterPath(QPointF(s * 0.3, s * 0.52))
            path.lineTo(QPointF(s * 0.44, s * 0.66))
            path.lineTo(QPointF(s * 0.70, s * 0.36))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        elif badge in (Badge.ERRORS, Badge.MISSING):
            painter.drawLine(QPointF(s * 0.5, s * 0.28), QPointF(s * 0.5, s * 0.56))
            painter.drawPoint(QPointF(s * 0.5, s * 0.72))
        else:  # summary: three bars
            for index, height in enumerate((0.25, 0.40, 0.32)):
                x = s * (0.34 + index * 0.16)
                painter.drawLine(QPointF(x, s * 0.70), QPointF(x, s * (0.70 - height)))
    painter.end()
    return pixmap
