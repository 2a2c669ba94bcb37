"""A word-wrapped label that remembers its height for each width it is asked about.

Qt's ``QLabel.heightForWidth`` keeps nothing: every question lays the text out again (a rich-text label
lays its whole document out twice: at the width asked, then back at its own width), and while a page is
built and shown the layouts ask the same widths again and again (the first section's item labels were
asked 12 times each, for 5 widths; the welcome text 11 times, for 4).  The answer depends only on the
text, the font and style, the margins and the width: it is kept per width, forgotten when this class's
setters change one of those, and kept only until the event loop runs again, so that anything else (the
screen, the system's font) starts from fresh answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

_remembering: list[WrappedLabel] = []  # the labels holding heights until the event loop runs again


def _forget_all() -> None:
    for label in _remembering:
        label._heights.clear()
    _remembering.clear()


class WrappedLabel(QLabel):
    """A ``QLabel`` with word wrap whose height for a given width is worked out once per turn of the event
    loop (and again after its text, font, style, margins or alignment are set)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        heights = self._heights
        height = heights.get(width)
        if height is None:
            if not heights:
                if not _remembering:
                    QTimer.singleShot(0, _forget_all)
                _remembering.append(self)
            height = heights[width] = super().heightForWidth(width)
        return height

    def setText(self, text: str) -> None:  # noqa: N802
        if text != self.text():
            self._heights.clear()
            super().setText(text)

    # Everything else the height depends on, when set from Python.
    def setTextFormat(self, format: Any) -> None:  # noqa: N802, A002
        self._heights.clear()
        super().setTextFormat(format)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        self._heights.clear()
        super().setWordWrap(on)

    def setFont(self, font: Any) -> None:  # noqa: N802
        self._heights.clear()
        super().setFont(font)

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802
        self._heights.clear()
        super().setStyleSheet(sheet)

    def setMargin(self, margin: int) -> None:  # noqa: N802
        self._heights.clear()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:  # noqa: N802
        self._heights.clear()
        super().setIndent(indent)

    def setAlignment(self, alignment: Any) -> None:  # noqa: N802
        self._heights.clear()
        super().setAlignment(alignment)

    def setContentsMargins(self, *margins: Any) -> None:  # noqa: N802
        self._heights.clear()
        super().setContentsMargins(*margins)

    def setMinimumWidth(self, width: int) -> None:  # noqa: N802
        self._heights.clear()
        super().setMinimumWidth(width)

    def setMinimumSize(self, *size: Any) -> None:  # noqa: N802
        self._heights.clear()
        super().setMinimumSize(*size)
