"""Choosing the commune and the period, and what the window remembers."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from readiness.gui.chooser import commune_display

pytestmark = pytest.mark.gui


def test_commune_search__dak_ha_without_diacritics__suggests_xa_dak_ha_and_opens(qtbot, make_window):
    window = make_window()
    field = window.chooser.commune
    qtbot.keyClicks(field, "dak ha")
    assert field.model.stringList() == ["Xã Đăk Hà — 23500"]
    assert not window.chooser.open_button.isEnabled()  # nothing chosen yet
    qtbot.keyClick(field, Qt.Key.Key_Return)  # the only match: chosen, and opened
    assert field.commune is not None and field.commune.code == "23500"
    assert window.ops is not None
    assert window.ops.session.commune.name == "Xã Đăk Hà"
    assert "Xã Đăk Hà" in window.heading.text()
    assert window.stack.currentWidget() is window.assessment_page


def test_commune_search__several_matches__pick_from_list_then_open_button(qtbot, make_window):
    window = make_window()
    field = window.chooser.commune
    qtbot.keyClicks(field, "xa")
    suggestions = field.model.stringList()
    assert len(suggestions) > 5
    names = [s.split(" — ")[0] for s in suggestions]
    from readiness.text import sort_key

    assert names == sorted(names, key=sort_key)  # Vietnamese dictionary order, from the core
    qtbot.keyClick(field, Qt.Key.Key_Return)  # several matches: nothing opened
    assert window.ops is None
    field.completer_.activated[str].emit(suggestions[0])
    assert field.commune is not None
    qtbot.mouseClick(window.chooser.open_button, Qt.MouseButton.LeftButton)
    assert window.ops is not None and window.ops.session.commune.code == field.commune.code


def test_commune_search__other_province__found_in_whole_country_with_province(qtbot, make_window):
    window = make_window()
    field = window.chooser.commune
    qtbot.keyClicks(field, "hoan kiem")
    suggestions = field.model.stringList()
    assert any(s.startswith("Phường Hoàn Kiếm — ") and "(Thành phố Hà Nội)" in s for s in suggestions)


def test_commune_search__no_match__nothing_suggested_and_tooltip_says_so(qtbot, make_window):
    window = make_window()
    field = window.chooser.commune
    qtbot.keyClicks(field, "zzzz")
    assert field.model.stringList() == []
    assert "Không tìm thấy" in field.toolTip()


def test_period__default__current_month(make_window):
    window = make_window()
    today = dt.date.today()
    assert window.chooser.period.period() == f"{today.year:04d}-{today.month:02d}"
    assert window.chooser.period.month.currentText() == f"Tháng {today.month}"


def test_period_chosen__opened__assessment_for_that_month(qtbot, make_window):
    window = make_window()
    window.chooser.commune.set_commune(window.workspace.store.commune("23500"))
    window.chooser.period.set_period("2025-10")
    qtbot.mouseClick(window.chooser.open_button, Qt.MouseButton.LeftButton)
    assert window.ops.info.period == "2025-10"
    assert "kỳ 10/2025" in window.heading.text()


def test_last_choice__next_start__commune_and_period_restored_and_opened(qtbot, make_window):
    first = make_window(open_commune="23500", period="2025-09")
    first.close()
    second = make_window(auto_open=True)
    assert second.chooser.commune.text() == commune_display(second.workspace.store.commune("23500"))
    assert second.chooser.period.period() == "2025-09"
    assert second.ops is not None and second.ops.info.period == "2025-09"
