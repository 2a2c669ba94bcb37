"""The summary page, finalizing, reopening as a new revision, the history; menus and dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from gui_helpers import open_workspace, stored_answers
from readiness.gui.chart import Bar, ScoreChart

pytestmark = pytest.mark.gui

COMPLETE = {
    "respondent": "Nguyễn Văn An", "officers": 20, "has_fibre": True, "download": 40, "tslcd": "none",
    "pcs": [{"role": "Một cửa", "ram_gb": 4, "os": "win11"}],
}


def _fill(window, answers=COMPLETE):
    assert window.ops.session.set_answers(answers) == []
    window.ops.refreshed.emit()


def test_summary__gaps__critical_first_with_advice_and_link_jumps_to_item(qtbot, make_window):
    window = make_window(open_commune="23500")
    _fill(window)
    window.show_summary()
    summary = window.summary
    assert window.pages.currentWidget() is summary
    assert summary.gap_ids[0] == "tslcd"  # critical first
    assert set(summary.gap_ids) == {"tslcd", "download", "pcs"}
    text = summary.gaps.text()
    assert "[Trọng yếu]" in text and "Đề nghị kết nối mạng TSLCD." in text
    assert "Nâng băng thông lên tối thiểu 100 Mbps (hiện 40 Mbps)." in text
    assert text.index("TSLCD") < text.index("băng thông")
    assert "Chưa sẵn sàng" in summary.level_label.text()
    summary.gaps.linkActivated.emit("item:download")
    assert window.pages.currentWidget() is window.form("internet")
    assert window.form("internet").items["download"].editor.edit.hasFocus()


def test_summary__unanswered_required__listed_and_link_jumps(qtbot, make_window):
    window = make_window(open_commune="23500")
    window.show_summary()
    summary = window.summary
    assert summary.missing_ids == ["respondent", "officers", "has_fibre", "tslcd", "pcs"]
    assert "Câu hỏi bắt buộc, chưa trả lời." in summary.missing.text()
    summary.missing.linkActivated.emit("item:pcs")
    assert window.pages.currentWidget() is window.form("computers")


def test_summary__chart__one_bar_per_section_scores_drawn(qtbot, make_window):
    window = make_window(open_commune="23500")
    _fill(window)
    window.show_summary()
    bars = window.summary.chart.bars
    assert [b.label for b in bars] == ["Thông tin chung", "Internet", "Máy tính", "Khó khăn và đề xuất"]
    assert bars[0].score is None and bars[1].score == pytest.approx(100 / 6)
    image = window.summary.chart.grab().toImage()
    assert image.width() > 200 and image.height() > 4 * window.summary.chart.fontMetrics().height()


def test_chart__scores__colour_by_band_and_accessible_text(qtbot):
    from readiness.checklist.loader import default_library

    checklist = default_library().get("one-stop-shop-it-readiness", 1)  # its levels: 80 and 60
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.set_bars([Bar.of(checklist, "Internet", 85.0), Bar.of(checklist, "Máy tính", 40.0),
                    Bar.of(checklist, "Thông tin chung", None)])
    chart.resize(600, chart.sizeHint().height())
    chart.show()
    assert "Internet: 85" in chart.accessibleDescription()
    assert "không chấm điểm" in chart.accessibleDescription()
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert "#2e7d32" in colours and "#c62828" in colours


def test_finalize__incomplete__warned_sections_marked_and_first_missing_focused(qtbot, make_window, message_boxes):
    window = make_window(open_commune="23500")
    window.show_summary()
    qtbot.mouseClick(window.summary.finalize_button, Qt.MouseButton.LeftButton)
    kind, title, text = message_boxes.calls[-1]
    assert kind == "warning" and title == "Chưa hoàn thành được"
    assert "Còn 5 câu hỏi bắt buộc" in text and "Người trả lời" in text
    assert window.ops.editable
    assert window.pages.currentWidget() is window.form("general")
    assert "Câu hỏi bắt buộc" in window.form("general").items["respondent"].error.text()


def test_finalize_then_reopen__read_only_banner_new_revision_and_history(qtbot, make_window, message_boxes, db_url, small_library):
    window = make_window(open_commune="23500")
    _fill(window)
    window.go_to_section("general")
    message_boxes.answer = QMessageBox.StandardButton.No
    window.act_finalize.trigger()
    assert window.ops.editable  # the person said no
    message_boxes.answer = QMessageBox.StandardButton.Yes
    window.act_finalize.trigger()
    kind, title, text = message_boxes.calls[-1]
    assert kind == "question" and "Chốt kết quả" in text
    assert not window.ops.editable
    assert window.pages.currentWidget() is window.summary
    assert window.banner.isVisibleTo(window)
    assert "đã hoàn thành" in window.banner_text.text()
    assert window.state_label.text() == "Đã hoàn thành, lần 1"
    assert window.summary.reopen_button.isVisibleTo(window) and not window.summary.finalize_button.isVisibleTo(window)
    respondent = window.form("general").items["respondent"].editor.edit
    assert respondent.isReadOnly()
    assert not window.form("internet").items["has_fibre"].editor.buttons[0].isEnabled()
    assert not window.act_finalize.isEnabled() and window.act_reopen.isEnabled()

    qtbot.mouseClick(window.banner_reopen, Qt.MouseButton.LeftButton)
    assert window.ops.editable
    assert window.ops.info.revision == 2
    assert window.state_label.text() == "Bản nháp, lần 2"
    assert not window.banner.isVisibleTo(window)
    assert not respondent.isReadOnly() and respondent.text() == "Nguyễn Văn An"

    window.act_history.trigger()
    dialog = window.history_dialog
    assert dialog.isVisible()
    rows = dialog.rows()
    assert [r[:2] for r in rows] == [["2", "Bản nháp"], ["1", "Đã hoàn thành"]]
    assert rows[1][4] == "12,5" and rows[1][5] == "Chưa sẵn sàng"
    import re

    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", rows[1][3])
    dialog.close()

    workspace = open_workspace(db_url, small_library)
    try:
        history = workspace.store.history("23500", "2025-11")
        assert [(h.revision, h.status) for h in history] == [(2, "draft"), (1, "finalized")]
    finally:
        workspace.close()
    assert stored_answers(db_url, small_library)["respondent"] == "Nguyễn Văn An"


def test_menus__named_and_labelled__vietnamese_then_english(make_window):
    window = make_window(open_commune="23500")
    titles = [window.menu(name).title().replace("&", "") for name in ("file", "assessment", "view", "help")]
    assert titles == ["Tệp", "Đánh giá", "Xem", "Trợ giúp"]
    texts = [a.text() for a in window.menu("file").actions() if not a.isSeparator()]
    assert texts == ["Mở đánh giá…", "Xuất tệp gửi Sở (Excel và PDF)…", "Tạo phiếu trống để điền (Excel)…",
                     "Nhập phiếu Excel đã điền…",  # the filled template back (gui/template_import.py)
                     "In phiếu khảo sát (PDF)…", "Ký số tệp gửi Sở…",  # the document actions (gui/export_actions.py)
                     "Kiểm tra giấy xác nhận của Sở…",  # the department's receipt (gui/receipt_actions.py)
                     "Sao lưu dữ liệu…", "Khôi phục từ bản sao lưu…",  # signing them (gui/signing_actions.py), backup
                     "Thoát"]
    assert [a.text() for a in window.menu("assessment").actions() if not a.isSeparator()] == [
        "Hoàn thành", "Mở lại để sửa", "Lịch sử…"]
    assert window.lang_menu.title() == "Ngôn ngữ / Language"
    window.act_en.trigger()
    titles = [window.menu(name).title().replace("&", "") for name in ("file", "assessment", "view", "help")]
    assert titles == ["File", "Assessment", "View", "Help"]


def test_add_action__file_menu__placed_above_quit(make_window):
    window = make_window()
    export = QAction("Xuất tệp Excel…")
    window.add_action("file", export)
    texts = [a.text() for a in window.menu("file").actions() if not a.isSeparator()]
    assert texts[0] == "Mở đánh giá…" and texts[-2:] == ["Xuất tệp Excel…", "Thoát"]
    assert export.parent() is window


def test_language__english__everything_relabelled_live_and_remembered(qtbot, make_window):
    window = make_window(open_commune="23500")
    widget = window.form("general").items["email"]
    qtbot.keyClicks(widget.editor.edit, "sai")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    window.act_en.trigger()
    assert widget.error.text().startswith("Invalid e-mail.")
    assert window.chooser.open_button.text() == "Open"
    assert window.section_list.item(0).text().startswith("1. General\n")
    assert window.prev_button.text() == "Previous"
    assert window.state_label.text() == "Draft, revision 1"
    assert window.form("internet").items["tslcd"].editor.buttons[0].text() == "Connected"
    assert window.workspace.store.get_setting("gui.lang") == "en"
    window.act_vi.trigger()
    assert widget.error.text().startswith("Thư điện tử không hợp lệ.")


def test_about__dialog__version_checklist_database_and_folder(make_window, db_url):
    window = make_window(open_commune="23500")
    window.act_about.trigger()
    dialog = window.about_dialog
    assert dialog.isVisible()
    from readiness import __version__

    assert dialog.fields["version"] == __version__
    assert "small-test" in dialog.fields["checklist"] and "phiên bản 1" in dialog.fields["checklist"]
    assert len(dialog.fields["hash"]) == 16
    assert dialog.fields["database"].endswith("test.sqlite3")
    dialog.close()


def test_real_checklist__every_section__built_and_numbered(qtbot, make_window):
    window = make_window(real=True, open_commune="23500")
    checklist = window.ops.checklist
    assert window.section_list.count() == len(checklist.sections) + 1
    for row, section in enumerate(checklist.sections):
        window.go_to_row(row)
        form = window.form(section.id)
        assert window.pages.currentWidget() is form
        assert set(form.items) == {i.id for i in section.items}
        first = next(iter(form.items.values()))
        assert checklist.number(first.item.id) in first.label.text()
    window.show_summary()
    assert window.summary.chart.bars
