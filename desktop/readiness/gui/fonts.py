"""The window's font: the system's unless it lacks Vietnamese letters (both windows use it)."""

from __future__ import annotations

import sys

# Letters a font must have for Vietnamese (the rest of the alphabet is Latin-1).
VIETNAMESE_SAMPLE = "ĂÂĐÊÔƠƯăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
_FONT_CANDIDATES = ("Segoe UI", "Tahoma", "Arial", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Be Vietnam Pro")


def choose_font(app) -> None:
    """Keep the system's font (Segoe UI on Windows) unless it lacks Vietnamese letters; then take
    the first installed font that has them, or a bundled one from ``resources/fonts``."""
    from PySide6.QtGui import QFont, QFontDatabase

    font = app.font()
    if sys.platform == "win32" and font.family() != "Segoe UI" and "Segoe UI" in QFontDatabase.families():
        font = QFont("Segoe UI", max(font.pointSize(), 9))
    if not covers_vietnamese(font):
        families = set(QFontDatabase.families())
        for family in _FONT_CANDIDATES:
            if family in families and covers_vietnamese(QFont(family, font.pointSize())):
                font = QFont(family, font.pointSize())
                break
        else:
            bundled = _load_bundled_fonts()
            if bundled:
                font = QFont(bundled, font.pointSize())
    app.setFont(font)


def covers_vietnamese(font) -> bool:
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(font)
    return all(metrics.inFontUcs4(ord(char)) for char in VIETNAMESE_SAMPLE)


def _load_bundled_fonts() -> str | None:
    from PySide6.QtGui import QFont, QFontDatabase

    from ..paths import resources_dir

    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if covers_vietnamese(QFont(family)):
                return family
    return None


__all__ = ["VIETNAMESE_SAMPLE", "choose_font", "covers_vietnamese"]
