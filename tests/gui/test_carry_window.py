"""Carry forward in the window (issue 14 §1), on the real checklist with a realistic previous period
(30 PCs, 12 certificates): the offer when a period is opened, the section confirmation, the marks of
changed answers, finalize refused, and the measurement of what an officer has to do each month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from readiness.gui.carry_forward import CarryOfferDialog
from readiness.gui.i18n import set_lang
from readiness.gui.item_widgets import ButtonsEditor, ComboEditor, LineEditor, number_text
from readiness.gui.table_model import CHANGED_BACKGROUND, ChangedRole

from carry_samples import FINALIZED_ON, PREVIOUS_PERIOD, finalized_previous, realistic_answers
from gui_helpers import type_text

PERIOD = "2026-11"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def window_with_previous(make_window):
    """A window on the real checklist; Xã Đăk Hà finalized 10/2026 (30 PCs, 12 certificates) on 31/10/2026."""
    window = make_window(real=True)
    finalized_previous(window.workspace, realistic_answers())
    return window


def answer_offer(qtbot, how: str, seen: list | None = None):
    """When the offer appears: look at it (``seen``), then press Enter (``carry``), choose the empty form, or cancel."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CarryOfferDialog):
            QTimer.singleShot(20, act)
            return
        if seen is not None:
            seen.append((dialog.windowTitle(), dialog.carry_button.text(), dialog.carry_button.description(),
                         dialog.empty_button.text(), dialog.carry_button.isDefault()))
        if how == "carry":
            QTest.keyClick(dialog, Qt.Key.Key_Return)
        elif how == "empty":
            qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def open_carried(qtbot, window, period: str = PERIOD):
    answer_offer(qtbot, "carry")
    assert window.open_assessment("23500", period)
    window.ops.session.today = TODAY
    window.ops.refreshed.emit()
    window.activateWindow()  # the offer was modal: the window is active again once it is gone
    qtbot.waitUntil(window.isActiveWindow)
    return window.ops


# -- the offer -------------------------------------------------------------------------------------------


def test_offer__period_without_assessment__carry_is_the_default_and_carries_the_inventory(qtbot, window_with_previous):
    window = window_with_previous
    seen: list = []
    answer_offer(qtbot, "carry", seen)
    assert window.open_assessment("23500", PERIOD)
    [(title, carry_text, description, empty_text, default)] = seen
    assert (title, carry_text, empty_text, default) == ("Bắt đầu kỳ 11/2026", "Bắt đầu từ kỳ 10/2026",
                                                       "Bắt đầu từ phiếu trống", True)
    assert "30 máy tính, 12 chứng thư số, 2 điểm cầu" in description
    ops = window.ops
    assert ops.carried and ops.info.period == PERIOD and len(ops.rows("pcs")) == 30
    assert {row.source for row in ops.rows("certificates")} == {"carried"}
    assert window.offer_dialog is None


def test_offer__empty_chosen__empty_draft_cancel__nothing_created(qtbot, window_with_previous):
    window = window_with_previous
    answer_offer(qtbot, "cancel")
    assert not window.open_assessment("23500", PERIOD)
    assert window.ops is None and window.workspace.store.current_assessment("23500", PERIOD) is None
    answer_offer(qtbot, "empty")
    assert window.open_assessment("23500", PERIOD)
    assert not window.ops.carried and window.ops.rows("pcs") == []
    assert window.form("general").carry_panel.isHidden()


def test_offer__period_with_assessment_or_nothing_finalized_before__opens_without_asking(qtbot, make_window):
    window = make_window(real=True)
    assert window.open_assessment("23500", PREVIOUS_PERIOD)  # nothing finalized before: no offer (a modal would block)
    assert not window.ops.carried
    window.ops.session.today = FINALIZED_ON.date()
    window.ops.session.set_answers(realistic_answers())
    window.ops.finalize()
    assert window.open_assessment("23500", PREVIOUS_PERIOD)  # it has one now


def test_offer__english__both_choices_in_english(qtbot, window_with_previous):
    set_lang("en")
    seen: list = []
    answer_offer(qtbot, "carry", seen)
    assert window_with_previous.open_assessment("23500", PERIOD)
    [(title, carry_text, description, empty_text, _)] = seen
    assert (title, carry_text, empty_text) == ("Start period 11/2026", "Start from 10/2026", "Start from an empty form")
    assert description.startswith("Carries over ") and "30 computers, 12 certificates" in description


def test_remembered_period_to_start__window_opens__offer_waits_for_open(qtbot, window_with_previous, make_window):
    window_with_previous.workspace_ops.set_setting("gui.last_commune", "23500")
    window_with_previous.workspace_ops.set_setting("gui.last_period", PERIOD)
    second = make_window(real=True, auto_open=True)  # a modal offer at start would block here
    assert second.ops is None and second.chooser.period.period() == PERIOD


# -- the sections of a carried draft ------------------------------------------------------------------------------


def test_section_confirm__one_click__confirmed_and_notes_say_so(qtbot, window_with_previous):
    window = window_with_previous
    ops = open_carried(qtbot, window)
    window.go_to_section("general")
    form = window.form("general")
    panel = form.carry_panel
    assert panel.isVisible() and panel.confirm_button.isVisible()
    assert panel.confirm_button.text() == "Không thay đổi so với kỳ trước"
    assert "Mang sang từ kỳ 10/2026, cần xác nhận còn đúng" in panel.text.text()
    officers = form.items["officers"]
    assert officers.carry_note.text() == "Mang sang từ kỳ 10/2026: xác nhận còn đúng, hoặc sửa nếu đã thay đổi."
    assert "cần xem 6 câu" in window.section_list.item(0).text()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert "general" in ops.review().confirmed
    assert panel.confirm_button.isHidden() and panel.text.text().startswith("✓ Đã xác nhận không thay đổi so với kỳ 10/2026")
    assert officers.carry_note.text() == "Mang sang từ kỳ 10/2026, đã xác nhận không thay đổi."
    assert window.section_list.item(0).text().endswith("· đã xác nhận")
    assert form.items["counters"].carry_note.text() == "Mang sang từ kỳ 10/2026."  # keep


def test_section_panel__renew_item_link__jumps_to_it_and_says_last_value(qtbot, window_with_previous):
    window = window_with_previous
    open_carried(qtbot, window)
    window.go_to_section("internet")
    form = window.form("internet")
    text = form.carry_panel.text.text()
    assert "Tốc độ tải xuống đo thực tế — nhập số liệu của kỳ này (kỳ 10/2026: 154 Mbps)" in text
    assert 'href="item:measured_down_mbps"' in text
    form.carry_panel.text.linkActivated.emit("item:measured_down_mbps")
    qtbot.waitUntil(form.items["measured_down_mbps"].editor.edit.hasFocus, timeout=2000)
    note = form.items["measured_down_mbps"].carry_note.text()
    assert note == "Không mang sang từ kỳ trước: nhập số liệu của kỳ này (kỳ 10/2026: 154 Mbps)."


def test_changed_answer__typed__marked_with_last_period_value(qtbot, window_with_previous):
    window = window_with_previous
    ops = open_carried(qtbot, window)
    window.go_to_section("general")
    officers = window.form("general").items["officers"]
    type_text(officers.editor.edit, "")
    officers.editor.edit.setText("32")
    QTest.keyClick(officers.editor.edit, Qt.Key.Key_Return)
    assert ops.value("officers") == 32
    assert officers.carry_note.text() == "Đã thay đổi so với kỳ 10/2026: 30 người → 32 người."
    assert "#1a5fb4" in officers.carry_note.styleSheet()


def test_changed_table_cell__tinted_with_last_value_in_its_tooltip(qtbot, window_with_previous):
    window = window_with_previous
    ops = open_carried(qtbot, window)
    window.go_to_section("computers")
    table = window.form("computers").items["pcs"].table
    model = table.model
    index = model.index(2, model.column_index("ram_gb"))
    assert model.setData(index, 32, Qt.ItemDataRole.EditRole)
    assert ops.rows("pcs")[2].values["ram_gb"] == 32
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == CHANGED_BACKGROUND
    assert model.data(index, ChangedRole) == "Kỳ 10/2026: 16 GB"
    assert model.data(model.index(1, model.column_index("ram_gb")), Qt.ItemDataRole.BackgroundRole) is None
    note = window.form("computers").items["pcs"].carry_note.text()
    assert note == ("Đã thay đổi so với kỳ 10/2026: 1 máy tính có thay đổi: dòng 3 (Văn phòng - Thống kê): "
                    "RAM: 16 GB → 32 GB.")


def test_finalize__untouched_confirm_item__warning_names_it_and_jumps_there(qtbot, window_with_previous, message_boxes):
    window = window_with_previous
    open_carried(qtbot, window)
    window.show_summary()
    window.finalize()
    kind, title, text = message_boxes.calls[-1]
    assert (kind, title) == ("warning", "Chưa hoàn thành được")
    assert text.startswith("Chưa hoàn thành được: câu 1.1 «Họ và tên người trả lời» mang sang từ kỳ 10/2026 chưa được "
                           "xác nhận")
    assert window.current_form() is window.form("general") and window.ops.editable


def test_english__panel_and_notes(qtbot, window_with_previous):
    set_lang("en")
    window = window_with_previous
    open_carried(qtbot, window)
    window.go_to_section("internet")
    form = window.form("internet")
    assert form.carry_panel.confirm_button.text() == "No change since last period"
    assert "Enter this period's figures:" in form.carry_panel.text.text()
    assert form.items["has_fibre"].carry_note.text() == "Carried over from 10/2026: confirm it still holds, or change it."


# -- the measurement: what an officer does to finalize the next month ------------------------------------------


@dataclass
class Officer:
    """Drives the window as an officer would and counts the actions: one per answer typed or chosen,
    per cell edited, per button pressed; moving between sections is counted apart."""

    qtbot: object
    window: object
    actions: dict[str, int] = field(default_factory=lambda: {"offer": 0, "renew": 0, "changes": 0, "confirm": 0,
                                                             "other": 0, "finalize": 0})
    moves: int = 0

    def total(self) -> int:
        return sum(self.actions.values())

    def enter(self, item_id: str, value, kind: str) -> None:
        widget = self.window.form(self.window.ops.checklist.section_of(item_id).id).items[item_id]
        editor = widget.editor
        if isinstance(editor, ButtonsEditor):
            index = next(i for i, (v, _) in enumerate(editor._options) if v == value and type(v) is type(value))
            editor.buttons[index].click()
        elif isinstance(editor, ComboEditor):
            editor.combo.setCurrentIndex(editor.combo.findData(value))
        else:
            assert isinstance(editor, LineEditor)
            text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else number_text(value, "vi") \
                if isinstance(value, (int, float)) else str(value)
            editor.edit.clear()
            type_text(editor.edit, text)
            QTest.keyClick(editor.edit, Qt.Key.Key_Return)
        self.actions[kind] += 1

    def cell(self, item_id: str, row: int, column_id: str, value) -> None:
        model = self.window.form(self.window.ops.checklist.section_of(item_id).id).items[item_id].table.model
        assert model.setData(model.index(row, model.column_index(column_id)), value, Qt.ItemDataRole.EditRole)
        self.actions["changes"] += 1

    def add_row(self, item_id: str, values: dict) -> None:
        table = self.window.form(self.window.ops.checklist.section_of(item_id).id).items[item_id].table
        self.qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
        self.actions["changes"] += 1
        row = table.model.rowCount() - 1
        for column_id, value in values.items():
            self.cell(item_id, row, column_id, value)

    def walk_sections(self, changes) -> None:
        """Every section in order: make this month's changes there, enter what must be renewed, confirm."""
        window = self.window
        ops = window.ops
        base = ops.review().base
        for index, section in enumerate(ops.checklist.sections):
            if not ops.result().relevant.get(section.id):
                continue
            if window.current_row != index:
                self.qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
                self.moves += 1
            assert window.current_row == index
            for change in changes.get(section.id, ()):
                change(self)
            for entry in [a for a in ops.review().section(section.id) if a.blocking]:
                item = ops.checklist.item(entry.item_id)
                if entry.kind != "renew" or not item.required:
                    continue  # carried answers and optional figures: the section's confirmation covers them
                value = base.answers.get(item.id)
                if isinstance(value, dt.date):
                    value = TODAY - dt.timedelta(days=4)  # this month's test call
                self.enter(item.id, value, "renew")
            for entry in [a for a in ops.review().section(section.id) if a.kind == "missing"]:
                self.enter(entry.item_id, base.answers.get(entry.item_id), "other")
            panel = window.form(section.id).carry_panel
            if panel.confirm_button.isVisible():
                self.qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
                self.actions["confirm"] += 1

    def finalize(self, message_boxes) -> None:
        window = self.window
        window.show_summary()
        self.moves += 1
        self.qtbot.mouseClick(window.summary.finalize_button, Qt.MouseButton.LeftButton)
        self.actions["finalize"] += 2  # the button and «Yes» in the confirmation
        assert message_boxes.kinds()[-1] == "question", message_boxes.calls[-1]


def _month(qtbot, window, message_boxes, changes) -> Officer:
    officer = Officer(qtbot, window)
    answer_offer(qtbot, "carry")
    assert window.open_assessment("23500", PERIOD)
    officer.actions["offer"] += 1
    window.ops.session.today = TODAY
    window.ops.refreshed.emit()
    window.go_to_row(0)
    officer.walk_sections(changes)
    officer.finalize(message_boxes)
    assert not window.ops.editable, message_boxes.calls[-1]
    return officer


def _report(name: str, officer: Officer) -> None:
    parts = ", ".join(f"{k} {v}" for k, v in officer.actions.items() if v)
    print(f"\n[carry-forward measurement] {name}: {officer.total()} actions ({parts}); "
          f"{officer.moves} moves between sections not counted")


def test_measurement__nothing_changed__renew_items_plus_one_confirmation_per_section(qtbot, window_with_previous,
                                                                                     message_boxes):
    officer = _month(qtbot, window_with_previous, message_boxes, {})
    _report("nothing changed", officer)
    checklist = window_with_previous.ops.checklist
    required_renew = [i.id for i in checklist.items() if checklist.refresh(i.id).value == "renew" and i.required]
    assert officer.actions["renew"] == len(required_renew) == 6
    assert officer.actions["confirm"] == len(checklist.sections) == 10
    assert officer.actions["other"] == 0
    assert officer.total() <= 25


def test_measurement__three_things_changed__each_costs_only_its_own_entries(qtbot, window_with_previous,
                                                                            message_boxes):
    changes = {
        "general": [lambda o: o.enter("officers", 32, "changes")],  # two officers recruited
        "computers": [lambda o: o.cell("pcs", 2, "ram_gb", 32)],  # one PC's RAM upgraded
        "signatures": [lambda o: o.add_row("certificates", {"holder": "Lê Văn Tám", "role": "reception",
                                                            "kind": "token", "expiry": dt.date(2028, 11, 30)})],
    }
    officer = _month(qtbot, window_with_previous, message_boxes, changes)
    _report("three things changed", officer)
    assert officer.actions["changes"] == 1 + 1 + 5
    assert officer.actions["renew"] == 6 and officer.actions["confirm"] == 10
    previous = window_with_previous.workspace.store.finalized("23500", PERIOD)
    assert previous is not None and previous.revision == 1
    changed = set(window_with_previous.ops.review().changes)
    assert {"officers", "pcs", "certificates"} <= changed
