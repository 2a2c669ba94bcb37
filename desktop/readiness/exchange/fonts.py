"""The bundled fonts (Liberation Serif 2.1.5, SIL OFL 1.1) registered with reportlab.

reportlab's built-in Times/Helvetica have no Vietnamese letters beyond Latin-1; the app never
relies on the system's fonts: the TTF files ship in ``resources/fonts`` (licence beside them).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..paths import resources_dir
from .errors import ExchangeError

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"
FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def font_path(name: str) -> Path:
    return fonts_dir() / FILES[name]


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the four faces once (and the family, so <b>/<i> in paragraphs work); returns the family name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont, TTFError

    for name, filename in FILES.items():
        path = fonts_dir() / filename
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as error:
            raise ExchangeError("E-PDF-FONT", f"Không nạp được phông chữ {filename} ({error}); "
                                "hãy cài lại phần mềm.", file=path) from None
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF


def missing_glyphs(text: str, name: str = SERIF) -> set[str]:
    """Characters of ``text`` the font has no glyph for (white space ignored)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(name).face  # type: ignore[attr-defined]  # a TTFont's (the stubs know the base Font)
    cmap = face.charToGlyph
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap}
