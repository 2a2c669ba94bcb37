"""The dashboard of the whole country: the «Theo tỉnh, thành phố» tab (one row per province), shown only when
the scope spans provinces; a province double-clicked shows its communes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from report_fixtures import PERIOD, TODAY


@pytest.fixture(scope="module")
def national_ws(tmp_path_factory):
    from demo_db import populate
    from readiness.service import Workspace

    folder = tmp_path_factory.mktemp("national-gui")
    workspace = Workspace.open(f"sqlite:///{folder / 'national.sqlite3'}")
    communes = workspace.store.all_communes()
    chosen = [c for c in communes if c.code in ("00004", "16171")]
    chosen += [c for c in communes if c.province_code == "01" and c.code != "00004"][:3]
    chosen += [c for c in communes if c.province_code == "51"][:2]
    chosen += [c for c in communes if c.province_code in ("96", "04")][:3]  # Cà Mau, Cao Bằng
    populate(workspace, chosen, PERIOD, today=TODAY, seed=7, profiles=["ready", "average", "behind"])
    yield workspace
    workspace.close()


def test_dashboard__whole_country__province_tab_in_vietnamese_order_and_a_province_filters_communes(
        national_ws, dept_window, qtbot):
    from readiness.gui.department.models import ProvinceRollupModel

    window = dept_window(national_ws)
    dashboard = window.dashboard
    assert not dashboard.tabs.isTabVisible(1)  # the home province alone: no roll-up
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dashboard.scope.set_values(province="all")
    assert dashboard.tabs.isTabVisible(1)
    assert dashboard.tabs.tabText(1) == "Theo tỉnh, thành phố"
    dashboard.tabs.setCurrentIndex(1)
    proxy = dashboard.province_proxy
    names = [proxy.index(r, ProvinceRollupModel.NAME).data() for r in range(proxy.rowCount())]
    assert len(names) == 34 and names[:4] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng"]
    row = names.index("Hà Nội")
    assert proxy.index(row, ProvinceRollupModel.RECEIVED).data() == "4"
    assert proxy.index(row, ProvinceRollupModel.EXPECTED).data() == "126"
    headers = [proxy.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal)
               for c in range(proxy.columnCount())]
    assert headers[:5] == ["Tỉnh, thành phố", "Phải nộp", "Đã nhận", "Tỷ lệ", "Điểm bình quân"]
    folder = os.environ.get("READINESS_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / "dashboard-national-provinces.png"))
    # A province double-clicked: its communes in the «Theo xã» tab.
    dashboard._province_chosen(proxy.index(row, ProvinceRollupModel.NAME))
    assert dashboard.tabs.currentIndex() == 0 and dashboard.search.text() == "Hà Nội"
    shown = {dashboard.proxy.index(r, 0).data() for r in range(dashboard.proxy.rowCount())}
    assert "00004" in shown and "16171" not in shown
    # Back to one province: the tab goes.
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dashboard.scope.set_values(province="51")
    assert not dashboard.tabs.isTabVisible(1)
