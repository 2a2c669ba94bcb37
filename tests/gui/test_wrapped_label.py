"""WrappedLabel: the same heights as a QLabel's, each width's worked out once per turn of the event loop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from readiness.gui.wrapped_label import WrappedLabel

RICH = '<b>1.5. Tổng số cán bộ, công chức của xã <span style="color:#c62828">*</span></b>'
PLAIN = "Gồm cả người làm việc theo hợp đồng; không tính người đã nghỉ hưu hoặc chuyển công tác trong kỳ."
WELCOME = ("<h2>Sẵn sàng Một cửa</h2><p>Tự đánh giá mức sẵn sàng công nghệ thông tin của Bộ phận Một cửa.</p>"
           "<p>1. Gõ tên xã, phường ở ô phía trên (có dấu hoặc không dấu, ví dụ <i>dak ha</i>).<br>3. Bấm <b>Mở</b>.</p>")
WIDTHS = (0, 40, 100, 125, 370, 488, 502, 796, 2000)


def _pair(text: str, rich: bool, margin: int = 0) -> tuple[WrappedLabel, QLabel]:
    ours, theirs = WrappedLabel(), QLabel()
    theirs.setWordWrap(True)
    for label in (ours, theirs):
        if rich:
            label.setTextFormat(Qt.TextFormat.RichText)
        label.setMargin(margin)
        label.setText(text)
    return ours, theirs


@pytest.mark.parametrize(("text", "rich", "margin"), [(RICH, True, 0), (PLAIN, False, 0), (WELCOME, True, 24)])
def test_height_for_width__as_qlabels__asked_twice_the_same(qapp, text, rich, margin):
    ours, theirs = _pair(text, rich, margin)
    for width in WIDTHS:
        assert ours.heightForWidth(width) == theirs.heightForWidth(width), width
        assert ours.heightForWidth(width) == theirs.heightForWidth(width), width  # the remembered answer
    assert ours.sizeHint() == theirs.sizeHint()
    assert ours.minimumSizeHint() == theirs.minimumSizeHint()
    assert ours.hasHeightForWidth() and ours.wordWrap()


def test_height_for_width__text_font_margin_changed__worked_out_again(qapp):
    ours, theirs = _pair(RICH, True)
    short = ours.heightForWidth(120)
    for label in (ours, theirs):
        label.setText(RICH.replace("xã", "xã, phường, thị trấn và các đơn vị trực thuộc"))
    assert ours.heightForWidth(120) == theirs.heightForWidth(120) > short
    font = ours.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    for label in (ours, theirs):
        label.setFont(font)
    assert ours.heightForWidth(120) == theirs.heightForWidth(120)
    for label in (ours, theirs):
        label.setMargin(10)
    assert ours.heightForWidth(120) == theirs.heightForWidth(120)


def test_height_for_width__kept_until_the_event_loop_runs(qapp):
    ours, _ = _pair(PLAIN, False)
    ours.heightForWidth(200)
    ours.heightForWidth(300)
    assert sorted(ours._heights) == [200, 300]
    QApplication.processEvents()  # anything else (the screen, the system's font) may have changed since
    assert ours._heights == {}
    assert ours.heightForWidth(200) > ours.heightForWidth(300) > 0
