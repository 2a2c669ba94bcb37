"""«Nhóm xã phụ trách, theo dõi…»: a group made, refused, changed and removed in the window; the scope bar's
«Nhóm» limits the dashboard to its communes; the report dialog writes the group's follow-up report."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from report_fixtures import PERIOD

pytestmark = pytest.mark.gui
SHOTS = os.environ.get("READINESS_SHOTS")  # a folder: save screenshots there to look at them


def _shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def test_groups_dialog__add_refuse_edit_remove__scope_bar_and_dashboard_follow(report_ws, dept_window, qtbot,
                                                                              monkeypatch):
    window = dept_window(report_ws)
    status_rows = window.dashboard.model.rowCount()
    received = [c.code for c in report_ws.store.communes()][::7][:3]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    dialog = window.open_groups()
    qtbot.waitExposed(dialog)
    assert dialog.list.count() == 0 and dialog.role.text() == "Thành viên UBND tỉnh"
    dialog.name.setText("Đ/c Nguyễn Tấn Liêm — 3 xã")
    dialog.person.setText("Nguyễn Tấn Liêm")
    dialog.communes.setPlainText("Ba Đình\n" + "\n".join(received))
    assert not dialog.save()
    assert warnings and "Phường Ba Đình (Hà Nội)" in warnings[-1] and "E-COMMUNE-AMBIGUOUS" in warnings[-1]
    assert dialog.list.count() == 0  # refused: nothing saved
    dialog.communes.setPlainText(", ".join(received))
    assert dialog.save()
    assert dialog.list.count() == 1 and dialog.list.item(0).text() == "Đ/c Nguyễn Tấn Liêm — 3 xã (3 đơn vị)"
    assert [c.code for c in dialog.ops.groups()[0].members] == received
    _shot(dialog, "groups-dialog.png")

    # The scope bar lists it; choosing it limits the dashboard to its communes, whatever the province.
    scope = window.dashboard.scope
    assert scope.group.isVisible() and scope.group.count() == 2
    with qtbot.waitSignal(window.dashboard.loaded, timeout=60_000):
        scope.set_values(group="Đ/c Nguyễn Tấn Liêm — 3 xã")
    model = window.dashboard.model
    assert {model.index(r, model.CODE).data() for r in range(model.rowCount())} == set(received)
    assert not scope.province.isEnabled()
    assert window.dashboard.counters["expected"].value == 3
    _shot(window, "dashboard-group.png")

    # Renamed and one commune dropped: the bar follows; the choice of the renamed group is gone.
    dialog.name.setText("Nhóm đổi tên")
    dialog.communes.setPlainText("\n".join(received[:2]))
    with qtbot.waitSignal(window.dashboard.loaded, timeout=60_000):
        assert dialog.save()
    assert [scope.group.itemText(i) for i in range(scope.group.count())] == ["Không chọn nhóm", "Nhóm đổi tên (2 đơn vị)"]
    assert model.rowCount() == status_rows
    assert dialog.remove()
    assert dialog.list.count() == 0 and not dialog.ops.groups()
    assert not scope.group.isVisible()
    dialog.close()


def test_report_dialog__group__writes_the_follow_up_report(report_ws, tmp_path):
    from docx import Document

    from readiness.department.groups import add_group
    from readiness.department.scope import apply_scope
    from readiness.department.status import StatusFilters
    from readiness.gui.department.reports import ReportRequest, suggested_name, write_reports

    codes = [c.code for c in report_ws.store.communes()][::7][:2]
    add_group(report_ws, "Nhóm hộp thoại", codes, person="Lê Thị C", role="Thành viên UBND tỉnh")
    filters = apply_scope(report_ws, StatusFilters(), group="Nhóm hộp thoại")
    assert suggested_name("docx", PERIOD, filters) == "bao-cao-theo-doi_2025-11_nhom-hop-thoai.docx"
    path = tmp_path / "nhom.docx"
    outcome = write_reports(report_ws, ReportRequest(period=PERIOD, filters=filters, docx=path))
    assert outcome.expected == 2
    text = " ".join(p.text for p in Document(str(path)).paragraphs)
    assert "Tình hình phụ trách, theo dõi địa bàn 02" in text and "của đồng chí Lê Thị C" in text
