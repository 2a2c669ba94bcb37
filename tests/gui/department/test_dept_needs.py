"""«Nhu cầu đầu tư»: the tab shows the core's needs (the same figures as ``readiness needs``), the communes
concerned by the need chosen, a commune table, the estimate; a price changed in the tab is stored in the
workspace and changes the estimate; the files are written and read back."""

from __future__ import annotations

import pytest

from report_fixtures import PERIOD, TODAY

pytestmark = pytest.mark.gui


def _open_needs(qtbot, window):
    page = window.needs
    with qtbot.waitSignal(page.loaded, timeout=120_000):
        window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: not window.worker.busy and page.needs is not None, timeout=60_000)
    return page


def _core(workspace):
    from readiness.department.needs import needs_for_period

    return needs_for_period(workspace, PERIOD, today=TODAY)


def test_needs_tab__shows_the_cores_figures__communes_concerned_and_costs(qtbot, report_ws, dept_window):
    from readiness.department.prices import format_vnd

    window = dept_window(report_ws)
    assert window.tabs.tabText(3) == "Nhu cầu đầu tư"
    page = _open_needs(qtbot, window)
    core = _core(report_ws)
    assert page.needs.total_cost == core.total_cost > 0
    assert "14/96" in page.heading.text() and format_vnd(core.total_cost) in page.heading.text()
    assert "82 đơn vị chưa gửi, chưa tính" in page.heading.text()
    model = page.lines_model
    assert model.rowCount() == len(core.lines)
    shown = {model.object_at(r).line.id: model.data(model.index(r, 2)) for r in range(model.rowCount())}
    for total in core.lines:
        assert shown[total.line.id] == (str(len(total.communes)) if total.communes else "—")
    # the need chosen: its communes, most first
    row = next(r for r in range(model.rowCount()) if model.object_at(r).line.id == "pcs_below")
    page.lines.selectRow(row)
    expected = core.line("pcs_below").communes
    names = [page.concerned_proxy.index(r, 0).data() for r in range(page.concerned_proxy.rowCount())]
    assert len(names) == len(expected) and names[0] == expected[0][1]
    assert "Máy tính chưa đạt cấu hình tối thiểu" in page.concerned_title.text()
    # a double click on a commune concerned asks for its detail (its code, the period)
    with qtbot.waitSignal(page.detail_requested, timeout=5_000) as opened:
        page.concerned.doubleClicked.emit(page.concerned_proxy.index(0, 0))
    assert opened.args == [expected[0][0], PERIOD]
    # by commune: sorted by cost, most first; the search finds a commune without diacritics
    assert page.communes_proxy.rowCount() == core.received
    first = page.communes_proxy.object_at(0)
    assert first.cost == max(c.cost for c in core.communes)
    page.search.setText("dak")
    assert 0 < page.communes_proxy.rowCount() < core.received
    page.search.setText("")
    # the estimate: one row per priced item and the total
    costs = page.cost_model
    assert costs.rowCount() == len(core.costs) + 1
    assert costs.data(costs.index(costs.rowCount() - 1, costs.AMOUNT)) == format_vnd(core.total_cost, unit=False)


def test_needs_tab__a_price_changed__stored_and_the_estimate_follows__then_reset(qtbot, report_ws, dept_window,
                                                                                message_boxes):
    from readiness.department.prices import load_prices
    from readiness.gui.department.needs_view import PriceDialog

    window = dept_window(report_ws)
    page = _open_needs(qtbot, window)
    before = page.needs.cost_of("pc")
    assert before is not None
    row = next(r for r in range(page.prices_model.rowCount()) if page.prices_model.object_at(r).id == "pc")
    page.views.setCurrentIndex(2)
    page.prices_view.selectRow(row)
    assert page.edit_price_button.isEnabled() and not page.reset_price_button.isEnabled()
    dialog = page.edit_price()
    assert isinstance(dialog, PriceDialog)
    dialog.amount.setText("12 tỷ rưỡi")
    assert not dialog.save_button.isEnabled() and "không phải số tiền" in dialog.amount_hint.text()
    dialog.amount.setText("12.000.000")
    assert not dialog.save_button.isEnabled()  # a basis is required
    dialog.basis.setText("Báo giá số 12 ngày 02/12/2025")
    assert dialog.save_button.isEnabled() and dialog.amount_hint.text() == "12.000.000 đ/máy"
    with qtbot.waitSignal(page.loaded, timeout=120_000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=60_000)
    stored = load_prices(report_ws.store)["pc"]
    assert (stored.amount, stored.source, stored.basis) == (12_000_000, "department", "Báo giá số 12 ngày 02/12/2025")
    after = page.needs.cost_of("pc")
    assert after.amount == after.quantity * 12_000_000 and after.quantity == before.quantity
    assert "Sở điều chỉnh" in page.prices_title.text()
    row = next(r for r in range(page.prices_model.rowCount()) if page.prices_model.object_at(r).id == "pc")
    page.prices_view.selectRow(row)
    assert page.reset_price_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=120_000):
        page.reset_price_button.click()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=60_000)
    assert load_prices(report_ws.store)["pc"].amount == 15_000_000 and page.needs.cost_of("pc").amount == before.amount
    assert not message_boxes.calls


def test_needs_tab__export__workbook_and_report_written_and_readable(qtbot, tmp_path, report_ws, dept_window):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    window = dept_window(report_ws)
    page = _open_needs(qtbot, window)
    for fmt in ("xlsx", "pdf"):
        path = tmp_path / f"nhu-cau.{fmt}"
        with qtbot.waitSignal(page.loaded, timeout=120_000):
            page.export(fmt, path)
        assert page.written == [path] and path.stat().st_size > 0
    book = load_workbook(tmp_path / "nhu-cau.xlsx")
    assert "Nhu cầu theo xã" in book.sheetnames
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "nhu-cau.pdf")).pages)
    assert "Kinh phí ước tính" in text


def test_needs_tab__in_english__headers_and_heading(qtbot, report_ws, dept_window):
    from readiness.gui.i18n import set_lang

    window = dept_window(report_ws)
    page = _open_needs(qtbot, window)
    set_lang("en")
    assert window.tabs.tabText(3) == "Investment needs"
    from PySide6.QtCore import Qt

    assert page.lines_model.headerData(0, Qt.Orientation.Horizontal) == "Need"
    assert page.views.tabText(2) == "Cost and prices"
    assert "Estimated cost" in page.heading.text()
    labels = [page.lines_model.data(page.lines_model.index(r, 0)) for r in range(page.lines_model.rowCount())]
    assert "PCs below the minimum configuration" in labels
