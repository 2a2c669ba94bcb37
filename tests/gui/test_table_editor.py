"""The table editor: typed cell editors, rows added/duplicated/removed, refused values, all saved at once.

Values are checked in the database by opening it again with a second workspace.  Vietnamese text
is put into editors with setText: simulated key presses of non-ASCII characters abort Qt offscreen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QDateEdit, QDoubleSpinBox, QLineEdit, QSpinBox

from readiness.gui.i18n import lang, set_lang
from readiness.gui.operations import AssessmentOps
from readiness.gui.table_editor import MultiChoiceEditor, TableEditor
from readiness.gui.table_model import ERROR_BACKGROUND, ErrorRole, MissingRole, TableItemModel
from readiness.service import Workspace

from samples import SMALL, TODAY

pytestmark = pytest.mark.gui

# Every column type, for the editors SMALL's table does not have.
ALL_TYPES = """
id: all-types
version: 1
title: {vi: "Mọi kiểu cột"}
levels:
  - {id: any, label: {vi: "Bất kỳ"}, rule: "true"}
sections:
  - id: s
    title: {vi: "Thiết bị"}
    items:
      - id: devices
        type: table
        row_label: {vi: "Thiết bị", en: "device"}
        label: {vi: "Thiết bị"}
        columns:
          - {id: name, type: text, label: {vi: "Tên"}}
          - {id: count, type: integer, min: 0, max: 50, unit: cái, label: {vi: "Số lượng"}}
          - {id: working, type: yes_no, label: {vi: "Còn dùng được", en: "Working"}}
          - id: uses
            type: multi_choice
            label: {vi: "Dùng cho"}
            choices:
              - {id: scan, label: {vi: "Quét hồ sơ", en: "Scanning"}}
              - {id: print, label: {vi: "In kết quả", en: "Printing"}}
              - {id: sign, label: {vi: "Ký số", en: "Signing"}}
"""


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _vietnamese_interface():
    set_lang("vi")
    yield
    set_lang("vi")


@pytest.fixture
def library(tmp_path):
    from readiness.checklist.loader import ChecklistLibrary

    for checklist_id, text in (("small-test", SMALL), ("all-types", ALL_TYPES)):
        folder = tmp_path / "checklists" / checklist_id
        folder.mkdir(parents=True)
        (folder / "v1.yaml").write_text(text, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "checklists")


def _open(db_url, library, checklist="small-test"):
    return Workspace.open(db_url, library=library, default_checklist=checklist)


@pytest.fixture
def ws(db_url, library):
    workspace = _open(db_url, library)
    yield workspace
    workspace.close()


@pytest.fixture
def session(ws):
    opened = ws.session("23500", "2025-11")
    opened.today = TODAY
    return opened


def _make_editor(qtbot, session, item_id="pcs"):
    editor = TableEditor(AssessmentOps(session), session.checklist.item(item_id))
    editor.confirm = lambda title, text: pytest.fail(f"unexpected confirmation: {text}")
    qtbot.addWidget(editor)
    editor.resize(1100, 420)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


@pytest.fixture
def editor(qtbot, session):
    return _make_editor(qtbot, session)


def stored_rows(db_url, library, item_id="pcs", checklist="small-test"):
    """The rows as the database holds them (a second workspace, opened afresh)."""
    again = _open(db_url, library, checklist)
    try:
        return [row.values for row in again.session("23500", "2025-11", create=False).answers.rows(item_id)]
    finally:
        again.close()


def _col(editor, column_id):
    return editor.model.column_index(column_id)


def _open_editor(editor, row, column_id):
    index = editor.model.index(row, _col(editor, column_id))
    editor.view.setCurrentIndex(index)
    assert editor.view.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None)
    widget = editor.view.indexWidget(index)
    assert widget is not None
    return index, widget


def _commit(qtbot, editor, widget):
    """Enter in an open editor; the delegate saves on the next turn of the event loop."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.state() != QAbstractItemView.State.EditingState)


def _finalizable(session):
    assert session.set_answers({"respondent": "Nguyễn Văn A", "officers": 12, "has_fibre": True,
                                "download": 150, "tslcd": "connected"}) == []


# -- the model -------------------------------------------------------------------------------------


def test_model__rows_of_every_kind__passes_qt_model_tester(qtmodeltester, session):
    session.add_row("pcs", {"role": "Một cửa", "ram_gb": "8", "os": "win11", "bought": "2021-03-01"})
    session.add_row("pcs", {"role": "Kế toán"})
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    model.add_row(values={"ram_gb": 5000, "role": "Máy này"}, source="probe")  # one refused cell
    model.setData(model.index(0, 1), 2048)
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)


def test_model_roles__typed_values__display_vietnamese_and_edit_typed(session):
    session.add_row("pcs", {"role": "Một cửa", "ram_gb": "1000,5", "os": "win11", "bought": "2021-03-01"})
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    assert [model.index(0, c).data() for c in range(4)] == ["Một cửa", "1.000,5 GB", "Windows 11", "01/03/2021"]
    assert model.index(0, 1).data(Qt.ItemDataRole.EditRole) == 1000.5
    assert model.index(0, 2).data(Qt.ItemDataRole.EditRole) == "win11"
    assert model.index(0, 3).data(Qt.ItemDataRole.EditRole) == QDate(2021, 3, 1)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_model_headers__units_and_required__label_unit_star_and_hint(session):
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == ["Người dùng *", "RAM (GB)", "Hệ điều hành", "Ngày mua"]
    assert "Bắt buộc" in model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_model_required_cell__empty__marked_missing(session):
    session.add_row("pcs", {"ram_gb": 8})
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    assert model.index(0, 0).data(MissingRole) is True
    assert "Người dùng" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 1).data(MissingRole) is False


def test_model_set_data__same_value_again__no_write_no_signal(qtbot, session):
    session.add_row("pcs", {"role": "Một cửa", "ram_gb": 8})
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    with qtbot.assertNotEmitted(model.saved):
        assert model.setData(model.index(0, 1), 8.0)
        assert model.setData(model.index(0, 0), "Một cửa")


# -- adding rows -----------------------------------------------------------------------------------


def test_add_button__clicked_twice__rows_saved_counted_and_first_cell_editing(qtbot, editor, db_url, library):
    assert editor.add_button.text() == "Thêm máy tính"
    assert editor.count_label.text() == "0 máy tính"
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.view.state() == QAbstractItemView.State.EditingState  # type straight into the new row
    assert editor.view.currentIndex().row() == 0
    editor.view.closePersistentEditor(editor.view.currentIndex())
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 2
    assert editor.count_label.text() == "2 máy tính"
    assert len(stored_rows(db_url, library)) == 2


def test_insert_key__in_table__adds_a_row(qtbot, editor, db_url, library):
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_Insert)
    assert editor.model.rowCount() == 1
    assert len(stored_rows(db_url, library)) == 1


def test_add_row_api__probe_values__saved_with_source_and_marked_in_header(editor, session):
    row = editor.add_row({"role": "Máy này", "ram_gb": 7.7, "os": "win10"}, source="probe", meta={"host": "PC-01"})
    assert row.source == "probe" and row.values["ram_gb"] == 7.7
    assert editor.model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole) is not None
    assert "tự nhận diện" in editor.model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert editor.view.currentIndex().row() == 0
    session.reload()
    assert session.answers.rows("pcs")[0].meta == {"host": "PC-01"}


def test_add_row_api__one_value_refused__rest_saved_and_cell_flagged(editor, db_url, library):
    editor.add_row({"role": "Máy này", "ram_gb": 5000}, source="probe")
    assert stored_rows(db_url, library) == [{"role": "Máy này"}]
    assert "1024" in editor.model.index(0, 1).data(ErrorRole)
    assert editor.message_label.isVisible()
    assert editor.message_label.text() == "Dòng 1, RAM: Giá trị lớn nhất là 1024 GB."


# -- editing through the real cell editors ---------------------------------------------------------


def test_text_editor__vietnamese_text_and_enter__saved_in_database(qtbot, editor, db_url, library):
    editor.add_row()
    editor.view.closePersistentEditor(editor.view.currentIndex())
    index, widget = _open_editor(editor, 0, "role")
    assert isinstance(widget, QLineEdit)
    widget.setText("  Kế toán  –  ngân sách ")
    with qtbot.waitSignal(editor.changed):
        _commit(qtbot, editor, widget)
    assert index.data() == "Kế toán – ngân sách"
    assert stored_rows(db_url, library) == [{"role": "Kế toán – ngân sách"}]


def test_decimal_editor__vietnamese_comma_or_point__saved_as_number(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    index, widget = _open_editor(editor, 0, "ram_gb")
    assert isinstance(widget, QDoubleSpinBox)
    assert widget.suffix() == " GB" and widget.maximum() == 1024
    assert widget.locale().decimalPoint() == ","
    widget.selectAll()
    qtbot.keyClicks(widget, "7,5")
    _commit(qtbot, editor, widget)
    assert index.data() == "7,5 GB"
    assert stored_rows(db_url, library)[0]["ram_gb"] == 7.5

    index, widget = _open_editor(editor, 0, "ram_gb")
    assert widget.text() == "7,5 GB"  # no trailing zeros
    widget.selectAll()
    qtbot.keyClicks(widget, "15.5")
    _commit(qtbot, editor, widget)
    assert stored_rows(db_url, library)[0]["ram_gb"] == 15.5


def test_decimal_editor__emptied__cell_cleared_in_database(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa", "ram_gb": 8})
    index, widget = _open_editor(editor, 0, "ram_gb")
    widget.setValue(widget.minimum())  # the blank value below the minimum
    assert widget.text() == "(trống)"
    _commit(qtbot, editor, widget)
    assert index.data() == ""
    assert stored_rows(db_url, library) == [{"role": "Một cửa"}]


def test_choice_editor__option_picked__choice_id_saved(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    index, widget = _open_editor(editor, 0, "os")
    assert isinstance(widget, QComboBox)
    assert [widget.itemText(i) for i in range(widget.count())] == ["", "Windows 10", "Windows 11"]
    widget.setCurrentIndex(widget.findData("win10"))
    _commit(qtbot, editor, widget)
    assert index.data() == "Windows 10"
    assert stored_rows(db_url, library)[0]["os"] == "win10"


def test_date_editor__date_set__saved_and_shown_dd_mm_yyyy(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    index, widget = _open_editor(editor, 0, "bought")
    assert isinstance(widget, QDateEdit)
    assert widget.calendarPopup() and widget.displayFormat() == "dd/MM/yyyy"
    widget.setDate(QDate(2021, 3, 1))
    _commit(qtbot, editor, widget)
    assert index.data() == "01/03/2021"
    assert stored_rows(db_url, library)[0]["bought"] == dt.date(2021, 3, 1)


def test_date_editor__empty_cell_opened_and_left__nothing_saved(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    index, widget = _open_editor(editor, 0, "bought")
    editor.delegate.setModelData(widget, editor.model, index)  # as when the editor loses focus
    assert index.data() == ""
    assert stored_rows(db_url, library) == [{"role": "Một cửa"}]


def test_enter_key__on_a_cell__opens_its_editor(qtbot, editor):
    editor.add_row({"role": "Một cửa"})
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, 1))
    qtbot.keyClick(editor.view, Qt.Key.Key_Return)
    assert editor.view.state() == QAbstractItemView.State.EditingState
    assert isinstance(editor.view.indexWidget(editor.model.index(0, 1)), QDoubleSpinBox)


def test_tab_key__while_editing__saves_and_moves_to_next_cell(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    index, widget = _open_editor(editor, 0, "role")
    widget.setText("Văn thư")
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert editor.view.currentIndex().column() == _col(editor, "ram_gb")
    assert stored_rows(db_url, library)[0]["role"] == "Văn thư"


def test_every_type_editor__values_set__saved_typed(qtbot, db_url, library):
    workspace = _open(db_url, library, "all-types")
    try:
        session = workspace.session("23500", "2025-11")
        editor = _make_editor(qtbot, session, "devices")
        assert editor.add_button.text() == "Thêm thiết bị"  # "Thiết bị" lower-cased in the sentence
        editor.add_row({"name": "Máy quét"})

        index, widget = _open_editor(editor, 0, "count")
        assert isinstance(widget, QSpinBox) and widget.suffix() == " cái" and widget.maximum() == 50
        widget.selectAll()
        qtbot.keyClicks(widget, "3")
        _commit(qtbot, editor, widget)

        index, widget = _open_editor(editor, 0, "working")
        assert [widget.itemText(i) for i in range(widget.count())] == ["", "Có", "Không"]
        widget.setCurrentIndex(widget.findData(False))
        _commit(qtbot, editor, widget)
        assert index.data() == "Không"

        index, widget = _open_editor(editor, 0, "uses")
        assert isinstance(widget, MultiChoiceEditor)
        widget.toggle(widget.item(2))
        widget.toggle(widget.item(0))
        _commit(qtbot, editor, widget)
        assert index.data() == "Quét hồ sơ; Ký số"
        assert index.data(Qt.ItemDataRole.EditRole) == ["scan", "sign"]

        assert stored_rows(db_url, library, "devices", "all-types") == [
            {"name": "Máy quét", "count": 3, "working": False, "uses": ["scan", "sign"]}]
    finally:
        workspace.close()


# -- refused values --------------------------------------------------------------------------------


def test_bad_value__ram_5000__error_shown_nothing_saved_then_fixed_clears(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa", "ram_gb": 8})
    editor.add_row({"role": "Kế toán", "ram_gb": 4})
    model = editor.model
    index = model.index(1, _col(editor, "ram_gb"))
    with qtbot.waitSignal(model.cellError) as blocker, qtbot.assertNotEmitted(editor.changed):
        assert model.setData(index, 5000) is False
    assert blocker.args == [1, 1, "Giá trị lớn nhất là 1024 GB."]
    assert index.data() == "4 GB"  # the old value stays
    assert index.data(ErrorRole) == "Giá trị lớn nhất là 1024 GB."
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Giá trị lớn nhất là 1024 GB."
    assert index.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    assert editor.message_label.isVisible()
    assert editor.message_label.text() == "Dòng 2, RAM: Giá trị lớn nhất là 1024 GB."
    assert stored_rows(db_url, library)[1]["ram_gb"] == 4

    with qtbot.waitSignal(editor.changed):
        assert model.setData(index, 16)
    assert index.data(ErrorRole) is None
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    assert not editor.message_label.isVisible()
    assert stored_rows(db_url, library)[1]["ram_gb"] == 16


def test_bad_value__error_then_language_english__message_in_english(qtbot, editor):
    editor.add_row({"role": "Một cửa"})
    editor.model.setData(editor.model.index(0, 1), -3)
    assert editor.message_label.text() == "Dòng 1, RAM: Giá trị nhỏ nhất là 0 GB."
    set_lang("en")
    assert editor.message_label.text() == "Row 1, RAM: The smallest allowed value is 0 GB."


def test_decimal_editor__above_maximum_typed__refused_by_the_box(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa", "ram_gb": 8})
    index, widget = _open_editor(editor, 0, "ram_gb")
    widget.selectAll()
    qtbot.keyClicks(widget, "5000")
    assert widget.value() <= 1024
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert stored_rows(db_url, library)[0]["ram_gb"] == 8


# -- duplicating and removing ----------------------------------------------------------------------


def test_duplicate_button__row_selected__copy_below_persisted(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa", "ram_gb": 8, "os": "win11"})
    editor.add_row({"role": "Kế toán"})
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    assert editor.view.currentIndex().row() == 1
    assert stored_rows(db_url, library) == [
        {"role": "Một cửa", "ram_gb": 8, "os": "win11"},
        {"role": "Một cửa", "ram_gb": 8, "os": "win11"},
        {"role": "Kế toán"},
    ]
    assert editor.count_label.text() == "3 máy tính"


def test_remove_button__row_with_data_confirmation_refused__row_kept(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    asked = []
    editor.confirm = lambda title, text: asked.append(text) or False
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert asked == ["Xoá dòng 1 (Một cửa)? Dữ liệu đã nhập ở dòng này sẽ mất."]
    assert len(stored_rows(db_url, library)) == 1


def test_remove_button__row_with_data_confirmed__removed_and_persisted(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    editor.add_row({"role": "Kế toán"})
    editor.add_row({"role": "Văn thư"})
    editor.confirm = lambda title, text: True
    editor.view.setCurrentIndex(editor.model.index(1, 0))
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert stored_rows(db_url, library) == [{"role": "Một cửa"}, {"role": "Văn thư"}]
    assert editor.count_label.text() == "2 máy tính"
    assert editor.view.currentIndex().row() == 1


def test_remove_button__empty_row__removed_without_asking(qtbot, editor, db_url, library):
    editor.add_row()
    editor.view.closePersistentEditor(editor.view.currentIndex())
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)  # confirm would fail the test
    assert editor.model.rowCount() == 0
    assert stored_rows(db_url, library) == []
    assert not editor.remove_button.isEnabled()


def test_remove__refused_value_on_the_row__error_cleared(editor):
    editor.add_row({"role": "Một cửa"})
    editor.model.setData(editor.model.index(0, 1), 5000)
    assert editor.message_label.isVisible()
    editor.confirm = lambda title, text: True
    editor.remove_rows([0])
    assert editor.model.errors() == []
    assert not editor.message_label.isVisible()


def test_remove_default_confirmation__answered_no_then_yes__message_box_question_decides(editor, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from readiness.gui.table_editor import confirm_with_dialog

    editor.add_row({"role": "Một cửa"})
    asked, answers = [], [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *args: asked.append((parent, title)) or answers.pop(0))
    editor.confirm = lambda title, text: confirm_with_dialog(editor, title, text)
    assert editor.remove_rows([0]) == 0
    assert editor.remove_rows([0]) == 1
    assert asked == [(editor, "Xoá dòng"), (editor, "Xoá dòng")]


def test_delete_key__whole_row_selected__asks_and_removes(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa"})
    editor.add_row({"role": "Kế toán"})
    asked = []
    editor.confirm = lambda title, text: asked.append(title) or True
    editor.view.setFocus()
    editor.view.selectRow(0)
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert asked == ["Xoá dòng"]
    assert stored_rows(db_url, library) == [{"role": "Kế toán"}]


def test_delete_key__one_cell_selected__cell_emptied(qtbot, editor, db_url, library):
    editor.add_row({"role": "Một cửa", "ram_gb": 8})
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, 1))
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert stored_rows(db_url, library) == [{"role": "Một cửa"}]


# -- state -----------------------------------------------------------------------------------------


def test_finalized_session__editor__read_only(qtbot, session):
    _finalizable(session)
    session.add_row("pcs", {"role": "Một cửa", "ram_gb": 8})
    session.finalize()
    editor = _make_editor(qtbot, session)
    index = editor.model.index(0, 0)
    assert not editor.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not editor.view.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None)
    assert editor.model.setData(index, "Khác") is False
    assert not editor.add_button.isEnabled()
    assert not editor.duplicate_button.isEnabled()
    assert not editor.remove_button.isEnabled()
    assert "chỉ xem" in editor.count_label.text()
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_Insert)
    assert editor.model.rowCount() == 1


def test_finalized_after_open__refresh__becomes_read_only(qtbot, editor, session):
    _finalizable(session)
    editor.add_row({"role": "Một cửa"})
    assert editor.add_button.isEnabled()
    session.finalize()
    editor.refresh()
    assert not editor.add_button.isEnabled()
    assert not editor.model.flags(editor.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_refresh__rows_added_elsewhere__shown(editor, session):
    session.add_row("pcs", {"role": "Một cửa"})
    assert editor.model.rowCount() == 0
    editor.refresh()
    assert editor.model.rowCount() == 1
    assert editor.count_label.text() == "1 máy tính"


def test_language_switch__english__headers_buttons_and_values_relabelled(qtbot, editor):
    editor.add_row({"role": "Một cửa", "ram_gb": 1000.5})
    model = editor.model
    with qtbot.waitSignal(model.headerDataChanged):
        set_lang("en")
    assert lang() == "en"
    assert editor.add_button.text() == "Add computer"
    assert editor.duplicate_button.text() == "Duplicate"
    assert editor.remove_button.text() == "Remove row"
    assert editor.count_label.text() == "1 computer"
    assert model.index(0, 1).data() == "1,000.5 GB"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "RAM (GB)"
    set_lang("vi")
    assert editor.add_button.text() == "Thêm máy tính"
    assert model.index(0, 1).data() == "1.000,5 GB"


def test_layout__shown__six_rows_visible_and_numbers_narrower_than_text(editor):
    view = editor.view
    assert view.minimumHeight() >= 6 * view.verticalHeader().defaultSectionSize()
    assert view.alternatingRowColors()
    widths = [view.columnWidth(c) for c in range(editor.model.columnCount())]
    assert widths[0] > widths[1]  # text stretches, numbers fit
    assert sum(widths) <= view.viewport().width() + 1  # no horizontal scroll at 1100 px


def test_model_index__invalid__no_flags_no_data(session):
    model = TableItemModel(AssessmentOps(session), session.checklist.item("pcs"))
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.data(QModelIndex()) is None


def test_every_table_of_the_real_checklists__1366_wide_window__no_sideways_scroll_no_header_cut(qtbot, make_window):
    """Issue 17 §5: the PC table (11 columns) and every other table fit a 1366×768 screen: the columns
    share the width (none narrower than its short values, its title in at most four lines) and the
    header is as tall as its longest title needs."""
    from readiness.checklist.model import ItemType
    from readiness.gui.table_model import column_title

    window = make_window(real=True, open_commune="23500", size=(1366, 728))
    from readiness.demo import demo_answers

    demo = demo_answers(window.ops.checklist, window.ops.commune, seed=11, today=window.ops.session.today,
                        profile="ready")  # rows in every table
    assert window.ops.session.set_answers(demo.answers) == []
    window.open_assessment("23500", "2025-11")
    checked = []
    for section in window.ops.checklist.sections:
        tables = [item for item in section.items if item.type is ItemType.TABLE]
        if not tables:
            continue
        window.go_to_section(section.id)
        QApplication.processEvents()
        for item in tables:
            if not window.form(section.id).items[item.id].isVisible():
                continue
            checked.append(item.id)
            editor = window.form(section.id).items[item.id].table
            header = editor.view.horizontalHeader()
            assert header.length() <= editor.view.viewport().width(), (item.id, header.length())
            metrics = header.fontMetrics()
            for position, column in enumerate(editor.model.columns):
                lines = editor._title_lines(column_title(column), header.sectionSize(position))
                assert lines <= 4 and metrics.lineSpacing() * lines <= header.height() - 10, (item.id, column.id)
    assert "pcs" in checked and len(checked) >= 3, checked
