"""Petitions: listed and filtered, their handling saved through the core in one transaction each and
read back by a fresh workspace; the trend view across periods."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_helpers import type_text, wait_for_worker
from report_fixtures import PERIOD, REF, TODAY

pytestmark = pytest.mark.gui


def _fresh(db_url, petition_id):
    from readiness.department.petitions import get_petition
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    try:
        return get_petition(workspace, petition_id)
    finally:
        workspace.close()


def _open_petitions(qtbot, window):
    window.tabs.setCurrentWidget(window.petitions)
    page = window.petitions
    wait_for_worker(qtbot, window.worker, lambda: not page.loading and page.model.rowCount() > 0, timeout=30_000)
    return page


def test_petitions__forward_then_answer__saved_and_read_back_by_a_fresh_workspace(qtbot, db_url, six_communes_ws,
                                                                               dept_window):
    from readiness.department.petitions import list_petitions

    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    listed = list_petitions(six_communes_ws, period=PERIOD)
    assert page.model.rowCount() == len(listed) > 0
    assert page.counts.text().startswith(f"Đang xem {len(listed)}/{len(listed)} kiến nghị — Mới: {len(listed)}")
    page.table.selectRow(0)
    petition = page.proxy.object_at(0)
    editor = page.editor
    assert editor.petition.id == petition.id and petition.commune_name in editor.content.toPlainText()
    assert not editor.save_button.isEnabled()

    # Forwarded to a department chosen in the list.
    editor.status.setCurrentIndex(editor.status.findData("forwarded"))
    editor.forwarded_to.setCurrentIndex(editor.forwarded_to.findText("Sở Tài chính"))
    assert editor.save_button.isEnabled()
    assert "Kính chuyển Sở Tài chính" in editor.preview.text()
    editor.save_button.click()
    stored = _fresh(db_url, petition.id)
    assert (stored.status, stored.forwarded_to) == ("forwarded", "Sở Tài chính")
    row = page.model.row_of(petition.id)
    assert page.model.index(row, page.model.STATUS).data() == "Đã chuyển"
    assert page.model.index(row, page.model.FORWARDED).data() == "Sở Tài chính"
    assert editor.saved_label.text().startswith("Đã lưu lúc")

    # Answered with the letter's reference and a response typed in Vietnamese.
    editor.status.setCurrentIndex(editor.status.findData("answered"))
    editor.response_ref.setText(REF)
    type_text(editor.response, "hướng dẫn địa phương nâng cấp máy tính")
    editor.save()
    stored = _fresh(db_url, petition.id)
    assert (stored.status, stored.response_ref, stored.response) == (
        "answered", REF, "hướng dẫn địa phương nâng cấp máy tính")
    assert page.model.index(row, page.model.REF).data() == REF
    assert stored.resolution.startswith("Sở KHCN đã có Công văn 2984/SKHCN-VP")


def test_petitions__forwarded_without_agency__refused_nothing_saved(qtbot, db_url, six_communes_ws, dept_window,
                                                                   message_boxes):
    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    page.table.selectRow(0)
    editor = page.editor
    editor.status.setCurrentIndex(editor.status.findData("forwarded"))
    assert not editor.save()
    assert message_boxes.kinds() == ["warning"] and "cơ quan được chuyển" in message_boxes.calls[0][2]
    assert _fresh(db_url, editor.petition.id).status == "new"
    # A department typed by hand is accepted (the list is editable).
    editor.forwarded_to.setCurrentText("Sở Y tế")
    assert editor.save()
    assert _fresh(db_url, editor.petition.id).forwarded_to == "Sở Y tế"


def test_petitions__status_back_needs_confirmation__then_forced(qtbot, db_url, six_communes_ws, dept_window, message_boxes):
    from readiness.department.petitions import list_petitions, update_petition

    first = list_petitions(six_communes_ws, period=PERIOD)[0]
    update_petition(six_communes_ws, first.id, status="resolved", response_ref=REF)
    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    assert page.select_petition(first.id)
    editor = page.editor
    assert editor.petition.status == "resolved"
    editor.status.setCurrentIndex(editor.status.findData("new"))
    message_boxes.answer = message_boxes.answer.No
    assert not editor.save()
    assert _fresh(db_url, first.id).status == "resolved"
    message_boxes.answer = message_boxes.answer.Yes
    assert editor.save()
    assert _fresh(db_url, first.id).status == "new"
    assert [kind for kind in message_boxes.kinds()] == ["question", "question"]


def test_petitions__filters__status_search_period_and_earlier_revisions(qtbot, six_communes_ws, dept_window):
    from readiness.department.petitions import list_petitions, update_petition

    listed = list_petitions(six_communes_ws, period=PERIOD)
    update_petition(six_communes_ws, listed[1].id, status="forwarded", forwarded_to="Sở Nội vụ")
    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    page.status.setCurrentIndex(page.status.findData("forwarded"))
    assert [page.proxy.object_at(r).id for r in range(page.proxy.rowCount())] == [listed[1].id]
    page.status.setCurrentIndex(0)
    name = listed[0].commune_name
    from readiness.text import fold, matches

    words = fold(name.split(" ", 1)[1])  # the commune's name without diacritics (it may occur in texts too)
    qtbot.keyClicks(page.search, words)
    shown = [page.proxy.object_at(r) for r in range(page.proxy.rowCount())]
    assert name in {p.commune_name for p in shown}
    assert all(matches(words, f"{p.commune_name} {p.difficulty} {p.proposal} {p.topic_label} {p.addressed_to}")
               for p in shown)
    page.search.clear()
    qtbot.keyClicks(page.search, listed[0].commune_code)
    assert {page.proxy.object_at(r).commune_name for r in range(page.proxy.rowCount())} == {name}
    page.search.clear()
    assert page.period.currentData() == PERIOD
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.all_revisions.setChecked(True)
    assert page.model.rowCount() == len(list_petitions(six_communes_ws, period=PERIOD, current_only=False))
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.period.setCurrentIndex(0)  # every period
    assert page.period.currentData() is None


def test_petitions__unsaved_edit_then_another_row__asked_and_saved(qtbot, db_url, six_communes_ws, dept_window,
                                                                   message_boxes):
    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    page.table.selectRow(0)
    editor = page.editor
    first = editor.petition
    editor.response_ref.setText(REF)
    page.table.selectRow(1)
    assert message_boxes.kinds() == ["question"]
    assert _fresh(db_url, first.id).response_ref == REF
    assert editor.petition.id != first.id


# -- trend ------------------------------------------------------------------------------------------------------


@pytest.fixture
def two_periods(db_url):
    """Eight communes: behind in 10/2025, ready in 11/2025 (so criteria improved)."""
    from demo_db import populate
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    communes = workspace.store.communes()[:8]
    populate(workspace, communes, "2025-10", today=TODAY, seed=3, profiles=["behind"])
    populate(workspace, communes, "2025-11", today=TODAY, seed=4, profiles=["ready"])
    yield workspace, communes
    workspace.close()


def test_trend__whole_province_two_periods__score_line_table_and_what_improved(qtbot, two_periods, dept_window):
    from readiness.department.trend import trend

    workspace, communes = two_periods
    window = dept_window(workspace)
    page = window.trend
    assert page.start.period() == "2025-10" and page.end.period() == "2025-11"  # the periods with data
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        window.tabs.setCurrentWidget(page)
    core = trend(workspace, "2025-10", "2025-11", today=TODAY)
    assert page.model.rowCount() == 2
    assert [p.score for p in page.chart.points] == [p.score for p in core.points]
    assert [p.label for p in page.chart.points] == ["10/2025", "11/2025"]
    assert core.improved and "so sánh 8 xã có báo cáo cả hai kỳ" in page.heading.text()
    improved = page.improved.toPlainText()
    assert core.improved[0].label in improved and f"{core.improved[0].count} xã" in improved
    assert page.model.index(1, page.model.SCORE).data(Qt.ItemDataRole.BackgroundRole) is not None

    # One commune, chosen by typing its name.
    commune = communes[0]
    page.commune.set_store(workspace.store)
    page.commune.set_commune(commune)
    assert page.one.isChecked()
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        page.show_button.click()
    assert page.trend.commune.code == commune.code
    assert commune.name in page.heading.text()
    assert page.model.headerData(page.model.LEVEL, Qt.Orientation.Horizontal) == "Mức"
