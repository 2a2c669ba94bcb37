"""Walking through the sections: every item type through its real widget, saved at once,
errors shown and cleared, skip logic, badges, progress and score (the small inline checklist)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from gui_helpers import stored_answers, type_text
from readiness.gui.icons import Badge
from readiness.gui.item_widgets import ButtonsEditor, ChecksEditor, ComboEditor, DateEditor, NumberEditor, TextEditor

pytestmark = pytest.mark.gui


def _item(window, section_id, item_id):
    return window.form(section_id).items[item_id]


def _line(window, section_id, item_id) -> QLineEdit:
    return _item(window, section_id, item_id).editor.edit


def _enter(qtbot, edit):
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_every_item_type__through_widgets__saved_in_database(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    # text: Vietnamese through the input method, saved when editing finishes
    respondent = _line(window, "general", "respondent")
    type_text(respondent, "Nguyễn Thị Hoà")
    _enter(qtbot, respondent)
    # integer
    officers = _line(window, "general", "officers")
    qtbot.keyClicks(officers, "25")
    _enter(qtbot, officers)
    # date, typed dd/mm/yyyy
    report_date = _line(window, "general", "report_date")
    qtbot.keyClicks(report_date, "20/11/2025")
    _enter(qtbot, report_date)
    # yes/no
    window.go_to_section("internet")
    fibre = _item(window, "internet", "has_fibre").editor
    assert isinstance(fibre, ButtonsEditor)
    qtbot.mouseClick(fibre.buttons[0], Qt.MouseButton.LeftButton)  # Có
    # decimal with a Vietnamese decimal comma; the unit is beside the box
    download = _item(window, "internet", "download").editor
    assert isinstance(download, NumberEditor) and download.unit.text() == "Mbps"
    qtbot.keyClicks(download.edit, "150,5")
    _enter(qtbot, download.edit)
    # multiple choice
    providers = _item(window, "internet", "providers").editor
    assert isinstance(providers, ChecksEditor)
    providers.boxes[1].click()  # Viettel
    providers.boxes[0].click()  # VNPT
    # single choice (two options: radio buttons)
    tslcd = _item(window, "internet", "tslcd").editor
    assert isinstance(tslcd, ButtonsEditor)
    qtbot.mouseClick(tslcd.buttons[0], Qt.MouseButton.LeftButton)
    # table: the grid widget of the table item
    window.go_to_section("computers")
    table = _item(window, "computers", "pcs").table
    with qtbot.waitSignal(table.changed):
        table.add_row({"role": "Một cửa", "ram_gb": "8", "os": "win11"})

    values = stored_answers(db_url, small_library)
    assert values["respondent"] == "Nguyễn Thị Hoà"
    assert values["officers"] == 25
    assert values["report_date"] == dt.date(2025, 11, 20)
    assert values["has_fibre"] is True
    assert values["download"] == 150.5
    assert values["providers"] == ["vnpt", "viettel"]
    assert values["tslcd"] == "connected"
    assert [row.values for row in values["pcs"]] == [{"role": "Một cửa", "ram_gb": 8.0, "os": "win11"}]
    assert window.saved_label.text().startswith("Đã lưu lúc ")


def test_stored_answers__window_reopened__shown_in_widgets(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    session = window.ops.session
    session.set_answers({"respondent": "Trần Văn Bình", "officers": 12, "report_date": "03/02/2026",
                         "has_fibre": False, "download": 80.25, "providers": ["other"], "tslcd": "none"})
    window.close()
    again = make_window(open_commune="23500")
    assert _line(again, "general", "respondent").text() == "Trần Văn Bình"
    assert _line(again, "general", "officers").text() == "12"
    assert _line(again, "general", "report_date").text() == "03/02/2026"
    assert _item(again, "internet", "has_fibre").editor.buttons[1].isChecked()  # Không
    assert _item(again, "internet", "download").editor.edit.text() == "80,25"
    assert [b.isChecked() for b in _item(again, "internet", "providers").editor.boxes] == [False, False, True]
    assert _item(again, "internet", "tslcd").editor.buttons[1].isChecked()


def test_constraint_error__bad_email__shown_in_red_nothing_saved_then_fixed_clears(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    widget = _item(window, "general", "email")
    qtbot.keyClicks(widget.editor.edit, "khong-phai-email")
    _enter(qtbot, widget.editor.edit)
    assert widget.error.isVisibleTo(window)
    assert "Thư điện tử không hợp lệ." in widget.error.text()
    assert "Chưa lưu" in widget.error.text()
    assert "email" not in stored_answers(db_url, small_library)
    assert window.section_badge(window.ops.result(), "general") is Badge.ERRORS
    widget.editor.edit.clear()
    qtbot.keyClicks(widget.editor.edit, "vanphong@quangngai.gov.vn")
    _enter(qtbot, widget.editor.edit)
    assert not widget.error.isVisibleTo(window)
    assert stored_answers(db_url, small_library)["email"] == "vanphong@quangngai.gov.vn"
    assert window.section_badge(window.ops.result(), "general") is not Badge.ERRORS


def test_coercion_errors__words_and_out_of_range__vietnamese_messages(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    widget = _item(window, "general", "officers")
    qtbot.keyClicks(widget.editor.edit, "muoi")
    _enter(qtbot, widget.editor.edit)
    assert "Phải là số nguyên" in widget.error.text()
    widget.editor.edit.clear()
    qtbot.keyClicks(widget.editor.edit, "600")
    _enter(qtbot, widget.editor.edit)
    assert "Giá trị lớn nhất là 500" in widget.error.text()
    widget.editor.edit.clear()
    qtbot.keyClicks(widget.editor.edit, "1.200")  # a Vietnamese thousands point is not a decimal here
    _enter(qtbot, widget.editor.edit)
    assert "Giá trị lớn nhất là 500" in widget.error.text()
    widget.editor.edit.clear()
    qtbot.keyClicks(widget.editor.edit, "45")
    _enter(qtbot, widget.editor.edit)
    assert widget.error.text() == ""
    assert stored_answers(db_url, small_library)["officers"] == 45


def test_date__impossible_day__refused_then_calendar_pick_saves(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    editor = _item(window, "general", "report_date").editor
    assert isinstance(editor, DateEditor)
    qtbot.keyClicks(editor.edit, "31/02/2026")
    _enter(qtbot, editor.edit)
    assert "Ngày không tồn tại" in _item(window, "general", "report_date").error.text()
    from PySide6.QtCore import QDate

    editor._picked(QDate(2026, 1, 15))  # what a click on the calendar does
    assert editor.edit.text() == "15/01/2026"
    assert stored_answers(db_url, small_library)["report_date"] == dt.date(2026, 1, 15)
    editor.edit.clear()  # the clear button empties the box
    _enter(qtbot, editor.edit)
    assert "report_date" not in stored_answers(db_url, small_library)


def test_yes_no__keyboard_and_clear__answer_removed(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    window.go_to_section("internet")
    editor = _item(window, "internet", "has_fibre").editor
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.buttons[0].setFocus()
    qtbot.keyClick(editor.buttons[0], Qt.Key.Key_Space)
    assert stored_answers(db_url, small_library)["has_fibre"] is True
    qtbot.keyClick(editor.buttons[0], Qt.Key.Key_Right)  # arrows move to "Không" and choose it
    assert editor.buttons[1].isChecked()
    assert stored_answers(db_url, small_library)["has_fibre"] is False
    assert editor.clear_button.isEnabled()
    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    assert not any(b.isChecked() for b in editor.buttons)
    assert "has_fibre" not in stored_answers(db_url, small_library)


def test_skip_logic__no_fibre__speed_hidden_kept_and_not_scored(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    window.go_to_section("internet")
    form = window.form("internet")
    fibre = form.items["has_fibre"].editor
    download = form.items["download"]
    assert download.isHidden()  # unanswered rule: not shown yet
    qtbot.mouseClick(fibre.buttons[0], Qt.MouseButton.LeftButton)  # Có
    assert not download.isHidden()
    qtbot.keyClicks(download.editor.edit, "20")
    _enter(qtbot, download.editor.edit)
    assert "download" in window.ops.result().gaps[0].item_id or any(g.item_id == "download" for g in window.ops.result().gaps)
    qtbot.mouseClick(fibre.buttons[1], Qt.MouseButton.LeftButton)  # Không
    assert download.isHidden()
    assert "download" not in form.visible_items()
    result = window.ops.result()
    assert not result.relevant["download"]
    assert "download" not in result.items  # not scored
    assert stored_answers(db_url, small_library)["download"] == 20.0  # but kept
    qtbot.mouseClick(fibre.buttons[0], Qt.MouseButton.LeftButton)
    assert not download.isHidden() and download.editor.edit.text() == "20"


def test_typing_pause__no_focus_change__saved_after_the_pause(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    widget = _item(window, "general", "respondent")
    type_text(widget.editor.edit, "Lê Văn Cường")
    assert widget.pending
    assert "respondent" not in stored_answers(db_url, small_library)
    qtbot.waitUntil(lambda: not widget.pending, timeout=3000)
    assert stored_answers(db_url, small_library)["respondent"] == "Lê Văn Cường"


def test_typing_pause__half_typed_email__no_error_until_editing_finishes(qtbot, make_window):
    window = make_window(open_commune="23500")
    widget = _item(window, "general", "email")
    qtbot.keyClicks(widget.editor.edit, "vanphong@")
    qtbot.waitUntil(lambda: not widget.pending, timeout=3000)
    assert widget.error.text() == ""
    _enter(qtbot, widget.editor.edit)
    assert "không hợp lệ" in widget.error.text()


def test_close__text_typed_just_now__saved_before_closing(qtbot, make_window, db_url, small_library):
    window = make_window(open_commune="23500")
    widget = _item(window, "general", "respondent")
    type_text(widget.editor.edit, "Phạm Thị Dung")
    assert widget.pending
    window.close()
    assert stored_answers(db_url, small_library)["respondent"] == "Phạm Thị Dung"


def test_required_missing__not_on_first_view__shown_after_leaving_section(qtbot, make_window):
    window = make_window(open_commune="23500")
    respondent = _item(window, "general", "respondent")
    assert respondent.error.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_row == 1
    assert "Câu hỏi bắt buộc, chưa trả lời." in respondent.error.text()
    assert window.section_badge(window.ops.result(), "general") is Badge.MISSING
    assert "thiếu 2 câu bắt buộc" in window.section_list.item(0).text()
    type_text(respondent.editor.edit, "Võ Thị Em")
    respondent.save_now()
    assert respondent.error.text() == ""


def test_badges_progress_and_score__after_saves__updated(qtbot, make_window):
    window = make_window(open_commune="23500")
    item = window.section_list.item(0)
    assert item.text().startswith("1. Thông tin chung\n0/4")
    assert window.progress.format() == "0/9 câu hỏi"
    type_text(_line(window, "general", "respondent"), "Nguyễn Văn An")
    _item(window, "general", "respondent").save_now()
    qtbot.keyClicks(_line(window, "general", "officers"), "20")
    _enter(qtbot, _line(window, "general", "officers"))
    assert item.text().startswith("1. Thông tin chung\n2/4 · đã đủ")
    assert window.section_badge(window.ops.result(), "general") is Badge.COMPLETE
    assert window.progress.value() == 2
    window.go_to_section("internet")
    form = window.form("internet")
    qtbot.mouseClick(form.items["has_fibre"].editor.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.items["tslcd"].editor.buttons[0], Qt.MouseButton.LeftButton)
    assert window.progress.format() == "4/10 câu hỏi"  # the speed now applies
    assert "Điểm: <b>" in window.score_label.text()
    assert window.section_badge(window.ops.result(), "internet") is Badge.PARTIAL


def test_navigation__buttons_keys_and_list__sections_in_order_then_summary(qtbot, make_window):
    window = make_window(open_commune="23500")
    assert window.current_row == 0 and not window.prev_button.isEnabled()
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_row == 1
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.current_row == 0
    window.section_list.setCurrentRow(3)
    assert window.pages.currentWidget() is window.form("proposals")
    assert window.next_button.text() == "Xem tổng hợp"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.summary
    assert not window.next_button.isEnabled()
    assert window.position_label.text() == "Tổng hợp kết quả"


def test_combo__more_than_five_choices__drop_down_chosen_and_cleared(qtbot):
    from readiness.checklist.model import Item, validate

    item = validate(Item, {
        "id": "training", "type": "single_choice", "label": {"vi": "Nội dung tập huấn"},
        "choices": [{"id": f"c{n}", "label": {"vi": f"Lựa chọn {n}"}} for n in range(1, 8)],
    })
    from readiness.gui.item_widgets import make_editor

    editor = make_editor(item)
    qtbot.addWidget(editor)
    assert isinstance(editor, ComboEditor)
    assert editor.combo.itemText(0) == "— Chọn —"
    with qtbot.waitSignal(editor.commit):
        editor.combo.setCurrentIndex(2)
    assert editor.raw() == "c2"
    with qtbot.waitSignal(editor.commit):
        editor.combo.setCurrentIndex(0)
    assert editor.raw() is None
    editor.set_value("c7")  # showing a stored value does not save it again
    assert editor.combo.currentText() == "Lựa chọn 7"


def test_long_text__enter_saves_and_moves_on(qtbot, make_window):
    window = make_window(real=True, open_commune="23500")
    checklist = window.ops.checklist
    from readiness.gui.item_widgets import LongTextEditor, is_long_text

    item = next(i for i in checklist.items() if is_long_text(i) and window.ops.result().relevant.get(i.id))
    section = checklist.section_of(item.id)
    window.go_to_section(section.id)
    widget = window.form(section.id).items[item.id]
    assert isinstance(widget.editor, LongTextEditor)
    type_text(widget.editor.edit, "Máy in quầy số 2 bị kẹt giấy")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    assert window.ops.value(item.id) == "Máy in quầy số 2 bị kẹt giấy"
    assert isinstance(widget.editor.edit, QPlainTextEdit)


def test_editors__types__fit_the_item(make_window):
    window = make_window(open_commune="23500")
    assert isinstance(_item(window, "general", "respondent").editor, TextEditor)
    assert isinstance(_item(window, "general", "officers").editor, NumberEditor)
    assert isinstance(_item(window, "general", "report_date").editor, DateEditor)
    label = _item(window, "general", "respondent").label.text()
    assert "1.1. Người trả lời" in label and "*" in label  # number, label, required star


def test_keyboard__tab__moves_from_item_to_item_in_order(qtbot, make_window):
    window = make_window(open_commune="23500")
    general = window.form("general")
    order = []
    general.items["respondent"].editor.edit.setFocus()
    for _ in range(3):
        order.append(_focused())
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    edits = [general.items[i].editor.edit for i in ("respondent", "email", "officers")]
    assert order == edits


def _focused():
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()
