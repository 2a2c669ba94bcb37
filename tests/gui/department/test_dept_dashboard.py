"""The dashboard: counters and the consolidated table as the core computes them, filters, sorting in
Vietnamese order, diacritic-insensitive search, charts, the busy state, a commune's detail, English."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from gui_helpers import type_text, wait_for_worker
from report_fixtures import PERIOD, TODAY

pytestmark = pytest.mark.gui


def _row(window, code):
    model = window.dashboard.model
    for row in range(model.rowCount()):
        if model.index(row, model.CODE).data() == code:
            return row
    raise AssertionError(f"{code} not in the table")


def _cell(window, code, column):
    model = window.dashboard.model
    return model.index(_row(window, code), column)


def _reload_and_wait(qtbot, window, change):
    with qtbot.waitSignal(window.dashboard.loaded, timeout=60_000):
        change()


def test_dashboard__crafted_register__counters_and_table_as_the_core_computes_them(crafted, dept_window):
    from readiness.numbers import score as score_words

    from readiness.department.consolidate import consolidate
    from readiness.gui.department.labels import score_colors

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    counters = {key: counter.value for key, counter in dashboard.counters.items()}
    assert counters == {"expected": 96, "received": 4, "submitted": 2, "resubmitted": 1, "outdated": 1, "draft": 1,
                        "missing": 91}
    assert dashboard.counters["received"].text() == "4  đã nhận (4%)"
    model = dashboard.model
    assert model.rowCount() == 96 and dashboard.proxy.rowCount() == 96
    codes = crafted.codes
    assert _cell(window, codes["submitted"], model.NAME).data() == "Xã Đăk Hà"
    assert _cell(window, codes["submitted"], model.STATE).data() == "Đã nộp"
    assert _cell(window, codes["resubmitted"], model.STATE).data() == "Đã nộp lại (bản sửa)"
    assert _cell(window, codes["resubmitted"], model.REVISION).data() == "2"
    assert _cell(window, codes["outdated"], model.STATE).data() == "Đã nộp, bảng kiểm cũ"
    assert _cell(window, codes["draft"], model.STATE).data() == "Mới có bản nháp"
    assert _cell(window, codes["draft"], model.LEVEL).data().endswith("(tạm tính)")
    assert _cell(window, codes["newer_draft"], model.STATE).data() == "Đã nộp · đang sửa"
    assert _cell(window, codes["missing"], model.STATE).data() == "Chưa nộp"
    assert _cell(window, codes["missing"], model.SCORE).data() == ""

    # Scores, levels and section scores are the core's (consolidate), coloured by band.
    core = consolidate(crafted.workspace, PERIOD, today=TODAY)
    rows = {row.code: row for row in core.status.rows}
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:8] == ["Mã", "Tên đơn vị", "Loại", "Tỉnh cũ", "Tình trạng", "Lần", "Điểm", "Mức"]
    assert headers[8:-1] == [f"Phần {s.number}" for s in core.sections]
    assert headers[-1] == "Trọng yếu\nchưa đạt"
    for code in (codes["submitted"], codes["resubmitted"], codes["outdated"]):
        row = rows[code]
        score = _cell(window, code, model.SCORE)
        assert score.data() == score_words(row.score, fixed=True) and re.fullmatch(r"\d{1,3},\d", score.data())
        # the level's colours: the level is shown beside the score (readiness.bands)
        assert score.data(Qt.ItemDataRole.BackgroundRole) == score_colors(core.checklist, row.score, row.level)[1]
        assert _cell(window, code, model.LEVEL).data() == core.status.level_labels[row.level]
        for section in core.sections:
            value = row.section_scores.get(section.id)
            shown = _cell(window, code, model.section_column(section.id)).data()
            # rounded as in the PDF and the CLI; a column keeps its decimal («66,0» under «63,6»)
            assert shown == ("" if value is None else score_words(value, fixed=True))
        assert _cell(window, code, model.critical_column).data() == str(row.critical_failed)

    # Charts: levels of the received assessments, the most common gaps, section averages.
    assert sum(bar.count for bar in dashboard.levels_chart.bars) == 4
    assert [bar.label for bar in dashboard.levels_chart.bars] == ["Sẵn sàng", "Cơ bản sẵn sàng", "Chưa sẵn sàng"]
    gaps = [g for g in core.common_gaps if g.count][:8]
    assert [bar.count for bar in dashboard.gaps_chart.bars] == [g.count for g in gaps]
    assert dashboard.gaps_chart.bars[0].label.startswith(gaps[0].criterion.number + " ")
    assert [bar.score for bar in dashboard.sections_chart.bars] == [core.section_averages[s.id] for s in core.sections]
    assert "Điểm bình quân" in dashboard.average_label.text()


def test_dashboard__state_filter__asks_the_core_again_totals_stay_those_of_the_scope(qtbot, crafted, dept_window):
    from readiness.gui.department.scope import index_of

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    _reload_and_wait(qtbot, window, lambda: dashboard.state.setCurrentIndex(index_of(dashboard.state, "missing")))
    assert dashboard.proxy.rowCount() == 91
    assert {dashboard.proxy.object_at(r).state for r in range(91)} == {"missing"}
    assert dashboard.counters["expected"].value == 96 and dashboard.counters["missing"].isChecked()
    # A counter is a shortcut for the state filter.
    _reload_and_wait(qtbot, window, lambda: dashboard.counters["draft"].click())
    assert dashboard.state.currentData() == "draft"
    assert [dashboard.proxy.object_at(r).code for r in range(dashboard.proxy.rowCount())] == [crafted.codes["draft"]]
    _reload_and_wait(qtbot, window, lambda: dashboard.counters["draft"].click())  # again: every state
    assert dashboard.state.currentData() is None and dashboard.proxy.rowCount() == 96


def test_dashboard__former_province_kind_and_level__the_core_counts(qtbot, crafted, dept_window):
    from readiness.department.status import StatusFilters, period_status
    from readiness.gui.department.scope import index_of

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    scope = dashboard.scope
    _reload_and_wait(qtbot, window, lambda: scope.former.setCurrentIndex(index_of(scope.former, "Kon Tum")))
    core = period_status(crafted.workspace, PERIOD, StatusFilters(former_province="Kon Tum"), today=TODAY)
    assert dashboard.counters["expected"].value == core.expected < 96
    assert {dashboard.proxy.object_at(r).former_province for r in range(dashboard.proxy.rowCount())} == {"Kon Tum"}
    _reload_and_wait(qtbot, window, lambda: scope.kind.setCurrentIndex(index_of(scope.kind, "Phường")))
    assert {dashboard.proxy.object_at(r).kind for r in range(dashboard.proxy.rowCount())} == {"Phường"}
    _reload_and_wait(qtbot, window, lambda: scope.former.setCurrentIndex(0))
    _reload_and_wait(qtbot, window, lambda: scope.kind.setCurrentIndex(0))
    _reload_and_wait(qtbot, window, lambda: dashboard.level.setCurrentIndex(index_of(dashboard.level, "not_ready")))
    levels = {dashboard.proxy.object_at(r).level for r in range(dashboard.proxy.rowCount())}
    assert levels == {"not_ready"}
    # Another province, then the whole country.
    _reload_and_wait(qtbot, window, lambda: dashboard.level.setCurrentIndex(0))
    _reload_and_wait(qtbot, window, lambda: scope.province.setCurrentIndex(index_of(scope.province, "all")))
    assert dashboard.counters["expected"].value == 3321
    assert not scope.former.isEnabled()


def test_dashboard__typing_dak_ha__finds_xa_dak_ha_with_or_without_diacritics(qtbot, crafted, dept_window):
    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    qtbot.keyClicks(dashboard.search, "dak ha")
    assert dashboard.visible_names() == ["Xã Đăk Hà"]
    assert dashboard.shown_label.text() == "Đang xem 1/96 đơn vị"
    dashboard.search.clear()
    type_text(dashboard.search, "Đăk Hà")  # Vietnamese typed as an input method commits it
    assert dashboard.visible_names() == ["Xã Đăk Hà"]
    dashboard.search.clear()
    qtbot.keyClicks(dashboard.search, "23500")  # the code
    assert dashboard.visible_names() == ["Xã Đăk Hà"]
    dashboard.search.clear()
    assert dashboard.proxy.rowCount() == 96


def test_dashboard__sorting__names_in_vietnamese_order_scores_with_blanks_last(qtbot, crafted, dept_window):
    from readiness.register import sort_communes

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    model, proxy = dashboard.model, dashboard.proxy
    communes = {c.code: c for c in crafted.workspace.store.communes()}
    expected = [c.name for c in sort_communes([communes[row.code] for row in model.rows])]
    assert dashboard.visible_names() == expected  # as the core lists them
    dashboard.table.sortByColumn(model.NAME, Qt.SortOrder.DescendingOrder)
    assert dashboard.visible_names() == expected[::-1]
    dashboard.table.sortByColumn(model.NAME, Qt.SortOrder.AscendingOrder)
    names = dashboard.visible_names()
    assert names == expected
    # "Đ" after "D" (Python's order would put it after "Z").
    assert names.index("Xã Dục Nông") < names.index("Xã Đăk Hà") < names.index("Xã Ia Chim")

    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        dashboard.table.sortByColumn(model.SCORE, order)
        scores = [proxy.object_at(r).score for r in range(proxy.rowCount())]
        present = [s for s in scores if s is not None]
        assert scores[:len(present)] == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder)
        assert all(s is None for s in scores[len(present):])  # blanks last, whichever the direction
    dashboard.table.sortByColumn(model.STATE, Qt.SortOrder.AscendingOrder)
    assert proxy.object_at(0).state == "submitted" and proxy.object_at(95).state == "missing"


def test_dashboard__busy_while_loading__table_first_then_everything(qtbot, crafted, dept_window):
    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        with qtbot.waitSignal(dashboard.status_loaded, timeout=60_000):
            dashboard.reload()
            assert dashboard.loading and dashboard.busy.isVisible() and not dashboard.gaps_box.isEnabled()
    assert not dashboard.loading and not dashboard.busy.isVisible() and dashboard.gaps_box.isEnabled()
    assert dashboard.status_seconds is not None and dashboard.load_seconds >= dashboard.status_seconds
    assert dashboard.busy_text.text().startswith("96 đơn vị, tải trong ")


def test_dashboard__reloads_while_loading__only_the_newest_is_shown(qtbot, crafted, dept_window):
    from readiness.gui.department.scope import index_of

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dashboard.reload()
        dashboard.state.setCurrentIndex(index_of(dashboard.state, "draft"))
        dashboard.reload()
    wait_for_worker(qtbot, window.worker)
    assert [dashboard.proxy.object_at(r).code for r in range(dashboard.proxy.rowCount())] == [crafted.codes["draft"]]


def test_detail__a_resubmitted_commune__score_gaps_history_and_petitions(qtbot, crafted, dept_window):
    from readiness.department.petitions import list_petitions

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    code = crafted.codes["resubmitted"]
    assert dashboard.select_code(code)
    assert dashboard.detail_button.isEnabled()
    dashboard.detail_button.click()
    qtbot.waitUntil(lambda: window.detail_dialog is not None and window.detail_dialog.isVisible(), timeout=30_000)
    dialog = window.detail_dialog
    detail = dialog.data.detail
    assert detail.commune.code == code and detail.result is not None
    assert "lần 2" in dialog.facts.text() and "trọng yếu chưa đạt" in dialog.facts.text()
    assert dialog.history.rowCount() == len(detail.history) >= 2
    assert [dialog.history.item(r, 1).text() for r in range(2)] == ["2", "1"]  # newest first
    assert dialog.answers.rowCount() == len(detail.answer_lines()) > 10
    assert len(dialog.chart.bars) >= 8
    gaps = dialog.gaps.toPlainText()
    for gap in detail.result.gaps[:3]:
        assert detail.checklist.item(gap.item_id).label.vi in gaps
        if gap.advice:
            assert gap.advice.split("\n")[0][:30] in gaps
    petitions = list_petitions(crafted.workspace, period=PERIOD, commune=code)
    assert dialog.petitions.rowCount() == len(petitions)
    assert dialog.tabs.tabText(3) == f"Kiến nghị ({len(petitions)})"
    # «Diễn biến qua các kỳ» shows the commune's trend.
    with qtbot.waitSignal(window.trend.loaded, timeout=60_000):
        dialog.trend_button.click()
    assert window.tabs.currentWidget() is window.trend
    assert window.trend.trend.commune.code == code


def test_dashboard__english__labels_switch_live(qtbot, crafted, dept_window):
    from readiness.gui.i18n import set_lang

    window = dept_window(crafted.workspace)
    dashboard = window.dashboard
    model = dashboard.model
    set_lang("en")
    assert model.headerData(model.NAME, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(model.FIXED, Qt.Orientation.Horizontal).startswith("Sec. ")
    assert _cell(window, crafted.codes["missing"], model.STATE).data() == "Not submitted"
    assert dashboard.counters["expected"].text() == "96  expected"
    assert window.tabs.tabText(0) == "Overview" and window.act_import.text() == "Import the communes' files…"
    assert [bar.label for bar in dashboard.levels_chart.bars] == ["Ready", "Basically ready", "Not ready"]
    set_lang("vi")
    assert model.headerData(model.NAME, Qt.Orientation.Horizontal) == "Tên đơn vị"


def test_main_window__menu_so_khcn__opens_the_department_workspace(qtbot, make_window):
    window = make_window(real=True)
    menu = window.menus["department"]
    titles = [window.menuBar().actions()[i].text().replace("&", "") for i in range(len(window.menuBar().actions()))]
    assert titles.index("Sở KHCN") == titles.index("Trợ giúp") - 1
    assert [a.text() for a in menu.actions()] == ["Không gian làm việc của Sở…", "Nhập tệp của các xã…"]
    window.department_menu.act_open.trigger()
    department = window.department_menu.department
    qtbot.waitUntil(department.isVisible, timeout=60_000)
    wait_for_worker(qtbot, department.worker)
    assert department.workspace is window.workspace
    assert department.dashboard.counters["expected"].value == 96
    window.department_menu.act_import.trigger()
    assert department.import_dialog is not None and department.import_dialog.isVisible()
    department.close()
    assert not department.isVisible()


def test_dashboard__report_loaded__long_lived_objects_out_of_the_collector__reloads_pile_nothing_up(
        qtbot, dept_window, six_communes_ws):
    """Once the report is shown the objects alive are frozen (a full collection would walk them in the middle
    of a header click); a reload unfreezes, collects and freezes again: the frozen count does not grow."""
    import gc

    window = dept_window(six_communes_ws)
    first = gc.get_freeze_count()
    assert first > 0
    counts = []
    for _ in range(3):
        with qtbot.waitSignal(window.dashboard.loaded, timeout=60_000):
            window.dashboard.reload()
        counts.append(gc.get_freeze_count())
    assert max(counts) <= first * 1.05 + 2_000, (first, counts)
    gc.unfreeze()
