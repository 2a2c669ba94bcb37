"""The window's icons read without the style: the same pictures as the style's."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from readiness.gui import icons

ARROWS = (("left", QStyle.StandardPixmap.SP_ArrowBack), ("right", QStyle.StandardPixmap.SP_ArrowForward))


@pytest.mark.parametrize(("direction", "standard"), ARROWS)
def test_arrow_icon__qt_images__the_styles_own_arrow_pixel_for_pixel(qapp, direction, standard):
    ours = icons.arrow_icon(direction)
    style = QApplication.style().standardIcon(standard)
    assert not ours.isNull()
    assert ours.availableSizes() == style.availableSizes()
    for size in (8, 16, 20, 24, 32, 48, 128):
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Active):
            assert ours.pixmap(size, mode).toImage() == style.pixmap(size, mode).toImage(), (size, mode)


@pytest.mark.parametrize(("direction", "standard"), ARROWS)
def test_arrow_icon__qt_images_gone__the_styles_icon(qapp, monkeypatch, direction, standard):
    monkeypatch.setattr(icons, "_ARROW_FILES", ":/no/such/folder/arrow-{}-{}.png")
    icons.arrow_icon.cache_clear()
    try:
        ours = icons.arrow_icon(direction)
        style = QApplication.style().standardIcon(standard)
        assert not ours.isNull()
        assert ours.pixmap(16).toImage() == style.pixmap(16).toImage()
    finally:
        icons.arrow_icon.cache_clear()


def test_icon__svg_missing__the_styles_fallback(qapp):
    found = icons.icon("no-such-icon")
    assert not found.isNull()
    expected = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    assert found.pixmap(16).toImage() == expected.pixmap(16).toImage()
