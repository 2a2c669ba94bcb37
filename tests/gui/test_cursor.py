"""Where the cursor is (issue 17 §4): after «Mở» the officer types straight into the first unanswered
question; with everything answered, Enter finalizes; after finalizing, «Xuất tệp gửi Sở…»; after
reopening, a question.  The keys go where a keyboard sends them: to the widget that has the focus
(ASCII digits and letters: QTest cannot type Vietnamese)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from gui_helpers import open_workspace, stored_answers

pytestmark = pytest.mark.gui

REQUIRED = {"respondent": "Nguyễn Văn An", "officers": 20, "has_fibre": True, "download": 40, "tslcd": "none",
            "pcs": [{"role": "Một cửa", "ram_gb": 4, "os": "win11"}]}
EVERYTHING = {**REQUIRED, "email": "ubnd@example.vn", "report_date": "20/11/2026", "providers": ["vnpt"],
              "petitions": [{"topic": "Hạ tầng", "difficulty": "Mạng chậm", "proposal": "Nâng băng thông"}]}


def _prefill(db_url, library, answers) -> None:
    workspace = open_workspace(db_url, library)
    try:
        assert workspace.session("23500", "2025-11").set_answers(answers) == []
    finally:
        workspace.close()


def _type(text: str) -> None:
    """Keys as the keyboard sends them: to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)


def _choose_and_press_open(qtbot, window) -> None:
    commune = window.workspace_ops.commune("23500")
    window.chooser.period.set_period("2025-11")
    window.chooser.commune.setFocus()
    window.chooser.commune.set_commune(commune)
    assert window.focusWidget() is window.chooser.open_button  # chosen: Enter or a click opens
    qtbot.mouseClick(window.chooser.open_button, Qt.MouseButton.LeftButton)
    assert window.ops is not None


def test_open__press_mo__typing_goes_into_the_first_unanswered_question(qtbot, make_window, db_url, small_library):
    _prefill(db_url, small_library, {"respondent": "Nguyễn Văn An", "email": "ubnd@example.vn"})
    window = make_window()
    _choose_and_press_open(qtbot, window)
    officers = window.form("general").items["officers"].editor.edit
    assert QApplication.focusWidget() is officers  # not «Mở», not the section list
    _type("15")
    assert stored_answers(db_url, small_library)["officers"] == 15
    assert window.section_list.currentRow() == 0  # the digits did not move the section list


def test_open__nothing_answered__cursor_in_the_first_question(qtbot, make_window, db_url, small_library):
    window = make_window()
    _choose_and_press_open(qtbot, window)
    assert QApplication.focusWidget() is window.form("general").items["respondent"].editor.edit
    _type("Ha")
    assert stored_answers(db_url, small_library)["respondent"] == "Ha"


def test_open__first_unanswered_in_a_later_section__that_section_and_question(qtbot, make_window, db_url,
                                                                              small_library):
    _prefill(db_url, small_library, {k: v for k, v in EVERYTHING.items() if k not in ("download", "tslcd", "pcs")})
    window = make_window()
    _choose_and_press_open(qtbot, window)
    download = window.form("internet").items["download"].editor.edit
    assert window.pages.currentWidget() is window.form("internet")
    assert QApplication.focusWidget() is download
    _type("150,5")
    assert stored_answers(db_url, small_library)["download"] == 150.5


def test_open__empty_table_first__cursor_on_its_add_button_enter_adds_a_row(qtbot, make_window, db_url, small_library):
    _prefill(db_url, small_library, {k: v for k, v in EVERYTHING.items() if k != "pcs"})
    window = make_window()
    _choose_and_press_open(qtbot, window)
    table = window.form("computers").items["pcs"].table
    assert QApplication.focusWidget() is table.add_button
    QTest.keyClick(table.add_button, Qt.Key.Key_Space)
    assert table.model.rowCount() == 1


def test_open__everything_answered__enter_finalizes_then_export_is_next(qtbot, make_window, db_url, small_library,
                                                                        message_boxes):
    _prefill(db_url, small_library, EVERYTHING)
    window = make_window()
    _choose_and_press_open(qtbot, window)
    assert window.pages.currentWidget() is window.summary
    assert QApplication.focusWidget() is window.summary.finalize_button
    QTest.keyClick(window.summary.finalize_button, Qt.Key.Key_Space)  # «Hoàn thành đánh giá», asked, yes
    assert message_boxes.kinds()[-1] == "question" and not window.ops.editable
    focused = QApplication.focusWidget()
    assert isinstance(focused, QPushButton) and focused is window.summary.export_button
    assert focused.text() == "Xuất tệp gửi Sở…"


def test_reopen__cursor_in_a_question_ready_to_type(qtbot, make_window, db_url, small_library, message_boxes):
    _prefill(db_url, small_library, EVERYTHING)
    window = make_window(open_commune="23500")
    window.act_finalize.trigger()
    assert not window.ops.editable
    window.act_reopen.trigger()
    assert window.ops.editable
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLineEdit) and focused is window.form("general").items["respondent"].editor.edit
    focused.selectAll()
    _type("Binh")
    assert stored_answers(db_url, small_library)["respondent"] == "Binh"


def test_open__finalized_assessment__cursor_on_export(qtbot, make_window, db_url, small_library):
    _prefill(db_url, small_library, EVERYTHING)
    workspace = open_workspace(db_url, small_library)
    try:
        workspace.session("23500", "2025-11").finalize()
    finally:
        workspace.close()
    window = make_window()
    _choose_and_press_open(qtbot, window)
    assert window.pages.currentWidget() is window.summary
    assert QApplication.focusWidget() is window.summary.export_button


def test_leaving_an_untouched_box__saves_nothing_over_an_answer_saved_meanwhile(qtbot, make_window, db_url,
                                                                                small_library):
    window = make_window(open_commune="23500")
    respondent = window.form("general").items["respondent"].editor.edit
    assert QApplication.focusWidget() is respondent  # the cursor waits in the empty first question
    window.ops.session.set_answers({"respondent": "Trần Văn Bình"})  # saved by another way in
    window.close()  # the focus leaves the untouched box
    assert stored_answers(db_url, small_library)["respondent"] == "Trần Văn Bình"
