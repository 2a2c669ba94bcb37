"""The department's Qt models: thin adapters over the core's objects, checked without a widget and
with Qt's model tester (qtmodeltester), then through their sort/filter proxies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from report_fixtures import PERIOD, TODAY

pytestmark = pytest.mark.gui


def _results():
    from readiness.department.import_errors import ImportProblem, problem
    from readiness.department.importer import FileResult

    return [
        FileResult("/in/23500_2025-11_xa-dak-ha.xlsx", "imported", "23500", "2025-11", 1,
                   warnings=[ImportProblem("W-IMPORT-INCOMPLETE", "Bản đã hoàn thành nhưng còn câu bắt buộc chưa trả lời.")],
                   signature={"status": "unsigned", "text": "Chưa ký số"}),
        FileResult("/in/21034.xlsx", "updated", "21034", "2025-11", 2),
        FileResult("/in/sua-tay.xlsx", "rejected", "23500", "2025-11", 1,
                   errors=[problem("E-IMPORT-EDITED", "RAM phải là số, nhận được 'tám'",
                                   sheet="Máy tính", cell="D7")]),
        FileResult("/in/ghi-chu.txt", "skipped", errors=[problem("E-IMPORT-SKIPPED")]),
        FileResult("/in/23500_2025-11_xa-dak-ha (1).xlsx", "duplicate", "23500", "2025-11", 1),
    ]


def test_import_results_model__rows_as_results__reasons_with_sheet_and_cell(qtmodeltester):
    from readiness.gui.department.models import KEY_ROLE, ImportResultsModel, ImportResultsProxy

    model = ImportResultsModel({"23500": "Xã Đăk Hà", "21034": "Xã An Phú"})
    qtmodeltester.check(model)
    for result in _results():
        model.append(result)
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.columnCount() == 7
    assert model.index(0, model.FILE).data() == "23500_2025-11_xa-dak-ha.xlsx"
    assert model.index(0, model.FILE).data(Qt.ItemDataRole.ToolTipRole) == "/in/23500_2025-11_xa-dak-ha.xlsx"
    assert model.index(0, model.COMMUNE).data() == "Xã Đăk Hà (23500)"
    assert model.index(0, model.SIGNATURE).data() == "Chưa ký số"
    assert model.index(0, model.REASONS).data().startswith("W-IMPORT-INCOMPLETE: ")
    assert model.index(2, model.REASONS).data() == "E-IMPORT-EDITED: Sheet 'Máy tính', ô D7: RAM phải là số, nhận được 'tám'"
    assert [model.index(r, model.STATUS).data() for r in range(5)] == [
        "Đã nhập", "Đã cập nhật", "Từ chối", "Bỏ qua", "Trùng (đã có)"]
    assert model.index(3, model.PERIOD).data() == "" and model.index(3, model.REVISION).data() == ""
    assert model.index(2, 0).data(KEY_ROLE) == "rejected"
    assert model.data(QModelIndex()) is None and model.rowCount(model.index(0, 0)) == 0

    proxy = ImportResultsProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_keys({"rejected", "skipped"})
    assert proxy.rowCount() == 2
    proxy.set_keys(None)
    proxy.set_text("dak ha")
    assert [proxy.object_at(r).status for r in range(proxy.rowCount())] == ["imported", "rejected", "duplicate"]
    proxy.set_text("")
    proxy.sort(model.STATUS, Qt.SortOrder.AscendingOrder)
    assert [proxy.object_at(r).status for r in range(5)] == ["imported", "updated", "duplicate", "rejected", "skipped"]
    qtmodeltester.check(proxy)
    model.clear()
    assert model.rowCount() == 0 and proxy.rowCount() == 0


def test_status_table_model__crafted_register__checked_by_qt(qtmodeltester, crafted):
    from readiness.department.consolidate import consolidate
    from readiness.gui.department.models import OBJECT_ROLE, SORT_ROLE, StatusProxy, StatusTableModel

    data = consolidate(crafted.workspace, PERIOD, today=TODAY)
    model = StatusTableModel()
    qtmodeltester.check(model)
    model.set_report(data.status, data.checklist, [s.id for s in data.sections])
    qtmodeltester.check(model)
    assert model.rowCount() == 96
    assert model.columnCount() == StatusTableModel.FIXED + len(data.sections) + 1  # no signature: made locally
    row = next(r for r in range(96) if model.index(r, model.CODE).data() == crafted.codes["submitted"])
    assert model.index(row, 0).data(OBJECT_ROLE).code == crafted.codes["submitted"]
    assert model.index(row, model.SCORE).data(SORT_ROLE) == model.index(row, 0).data(OBJECT_ROLE).score
    assert model.index(row, model.SCORE).data(Qt.ItemDataRole.TextAlignmentRole) is not None
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(model.NAME, Qt.SortOrder.DescendingOrder)
    proxy.set_text("đăk")
    assert proxy.rowCount() > 1 and all("Đăk" in proxy.object_at(r).name for r in range(proxy.rowCount()))
    qtmodeltester.check(proxy)
    model.set_report(None)
    assert model.rowCount() == 0


def test_status_table_model__signatures_present__a_column_for_them(qtmodeltester, crafted):
    from dataclasses import replace

    from readiness.department.status import period_status
    from readiness.gui.department.models import StatusTableModel

    report = period_status(crafted.workspace, PERIOD, today=TODAY)
    report.rows = [replace(row, signature="valid") if row.code == crafted.codes["submitted"] else
                   replace(row, signature="invalid") if row.code == crafted.codes["resubmitted"] else row
                   for row in report.rows]
    model = StatusTableModel()
    model.set_report(report, crafted.workspace.latest_checklist())
    qtmodeltester.check(model)
    column = model.signature_column
    assert column == model.columnCount() - 1
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Chữ ký số"
    shown = {model.index(r, model.CODE).data(): model.index(r, column).data() for r in range(model.rowCount())}
    assert shown[crafted.codes["submitted"]] == "Đã ký số, hợp lệ"
    assert shown[crafted.codes["resubmitted"]] == "Chữ ký số không hợp lệ"
    assert shown[crafted.codes["missing"]] == ""


def test_petitions_model__report_petitions__checked_by_qt(qtmodeltester, report_ws):
    from readiness.department.petitions import list_petitions
    from readiness.gui.department.models import PetitionsModel, PetitionsProxy

    petitions = list_petitions(report_ws, period=PERIOD)
    model = PetitionsModel()
    qtmodeltester.check(model)
    model.set_petitions(petitions)
    qtmodeltester.check(model)
    assert model.rowCount() == len(petitions) > 3
    statuses = [model.index(r, model.STATUS).data() for r in range(model.rowCount())]
    assert {"Mới", "Đã chuyển", "Đã trả lời", "Đã giải quyết"} <= set(statuses)
    forwarded = statuses.index("Đã chuyển")
    assert model.index(forwarded, model.FORWARDED).data() == "Sở Tài chính"
    assert model.index(forwarded, model.STATUS).data(Qt.ItemDataRole.ToolTipRole).startswith("Kính chuyển Sở Tài chính")
    proxy = PetitionsProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_keys({"resolved"})
    assert proxy.rowCount() == 1
    proxy.set_keys(None)
    proxy.sort(model.STATUS, Qt.SortOrder.DescendingOrder)
    assert proxy.object_at(0).status == "resolved"
    qtmodeltester.check(proxy)


def test_trend_points_model__two_periods__checked_by_qt(qtmodeltester, tmp_path):
    from demo_db import populate
    from readiness.department.trend import trend
    from readiness.gui.department.models import TrendPointsModel
    from readiness.service import Workspace

    workspace = Workspace.open(f"sqlite:///{tmp_path / 'trend.sqlite3'}")
    try:
        communes = workspace.store.communes()[:3]
        populate(workspace, communes, "2025-10", today=TODAY, seed=1, profiles=["behind"])
        populate(workspace, communes, "2025-11", today=TODAY, seed=2, profiles=["ready"])
        result = trend(workspace, "2025-10", "2025-11", today=TODAY)
        model = TrendPointsModel()
        qtmodeltester.check(model)
        model.set_trend(result, workspace.latest_checklist())
        qtmodeltester.check(model)
        assert model.rowCount() == 2
        assert [model.index(r, model.PERIOD).data() for r in range(2)] == ["10/2025", "11/2025"]
        assert [model.index(r, model.RECEIVED).data() for r in range(2)] == ["3", "3"]
        assert model.index(0, model.LEVEL).data().startswith("Sẵn sàng: ")
        one = trend(workspace, "2025-10", "2025-11", commune=communes[0].code, today=TODAY)
        model.set_trend(one, workspace.latest_checklist())
        qtmodeltester.check(model)
        assert model.headerData(model.SCORE, Qt.Orientation.Horizontal) == "Điểm"
        assert model.index(1, model.LEVEL).data() in ("Sẵn sàng", "Cơ bản sẵn sàng", "Chưa sẵn sàng")
    finally:
        workspace.close()


def test_petitions_model__petitions_of_two_provinces__names_told_apart_by_province(qtmodeltester, report_ws):
    from dataclasses import replace

    from readiness.department.petitions import list_petitions
    from readiness.gui.department.models import PetitionsModel

    petitions = list_petitions(report_ws, period=PERIOD)[:2]
    model = PetitionsModel()
    model.set_petitions(petitions)  # one province: the names alone
    assert [model.index(r, model.COMMUNE).data() for r in range(2)] == [p.commune_name for p in petitions]
    namesakes = [replace(petitions[0], commune_code="00004", commune_name="Phường Ba Đình"),
                 replace(petitions[1], commune_code="16171", commune_name="Xã Ba Đình")]
    model.set_petitions(namesakes)
    qtmodeltester.check(model)
    assert [model.index(r, model.COMMUNE).data() for r in range(2)] == ["Phường Ba Đình (Hà Nội)",
                                                                         "Xã Ba Đình (Thanh Hóa)"]


def test_petitions_model__a_petition_replaced__the_next_sort_uses_its_new_value(report_ws):
    """``replace`` (a petition saved) changes what its row sorts by: the sort keys kept per column are dropped,
    so the next header click puts it where its new status belongs."""
    from dataclasses import replace

    from readiness.department.petitions import STATUSES, list_petitions
    from readiness.gui.department.models import PetitionsModel

    model = PetitionsModel()
    model.set_petitions(list_petitions(report_ws, period=PERIOD))
    model.sort(model.STATUS, Qt.SortOrder.AscendingOrder)
    first = model.object_at(0)
    assert first.status == STATUSES[0] and model.rowCount() > 3
    model.replace(replace(first, status=STATUSES[-1]))
    model.sort(model.STATUS, Qt.SortOrder.AscendingOrder)  # the same column again, as a second click would
    ranks = [STATUSES.index(model.object_at(r).status) for r in range(model.rowCount())]
    assert ranks == sorted(ranks)
    assert model.object_at(model.rowCount() - 1).id == first.id or ranks.count(len(STATUSES) - 1) > 1
    assert model.object_at(0).id != first.id


def test_status_table_model__cells_kept_for_painting__new_report_language_and_sort_read_again(crafted):
    """The cells a view paints are kept per row (a header click repaints them all): a new report, the other
    language and a sort each show what is true now, not what was kept."""
    from dataclasses import replace

    from readiness.department.consolidate import consolidate
    from readiness.gui.department.labels import state_label
    from readiness.gui.department.models import StatusTableModel
    from readiness.gui.i18n import lang, set_lang

    data = consolidate(crafted.workspace, PERIOD, today=TODAY)
    model = StatusTableModel()
    model.set_report(data.status, data.checklist, [s.id for s in data.sections])
    code = crafted.codes["submitted"]

    def cell(column, role=Qt.ItemDataRole.DisplayRole):
        row = next(r for r in range(model.rowCount()) if model.index(r, model.CODE).data() == code)
        return model.index(row, column).data(role)

    submitted, missing = state_label("submitted"), state_label("missing")
    assert cell(model.STATE) == submitted and cell(model.SCORE) not in ("", None)
    shown_before = cell(model.SCORE, Qt.ItemDataRole.BackgroundRole)
    model.sort(model.SCORE, Qt.SortOrder.DescendingOrder)  # rows move: each keeps its own cells
    assert cell(model.STATE) == submitted and model.index(0, model.CODE).data() != model.index(1, model.CODE).data()
    rows = [replace(r, state="missing", score=None, level=None) if r.code == code else r for r in data.status.rows]
    model.set_report(replace(data.status, rows=rows), data.checklist, [s.id for s in data.sections])
    assert cell(model.STATE) == missing and cell(model.SCORE) == ""
    assert cell(model.SCORE, Qt.ItemDataRole.BackgroundRole) is None and shown_before is not None
    before = lang()
    try:
        set_lang("en")
        model.retranslate()
        assert cell(model.STATE) == state_label("missing") != missing
    finally:
        set_lang(before)
        model.retranslate()
    assert cell(model.STATE) == missing


def _every_kind_of_row(crafted):
    """The crafted register's status with what the national table can show: a deadline (on time, late, refused,
    missing), signatures, held revisions, provisional scores, a newer draft and critical criteria not met."""
    import datetime as dt
    from dataclasses import replace

    from readiness.department.cycle import SubmissionTime, commune_cycle, summarize
    from readiness.department.status import period_status
    from readiness.store.cycle import RejectedFile
    from readiness.store.imports import HeldInfo

    report = period_status(crafted.workspace, PERIOD, today=TODAY)
    deadline = dt.date(2025, 12, 5)
    rows = []
    for i, row in enumerate(report.rows):
        at = dt.datetime(2025, 12, 1 + i % 9, 8 + i % 12, tzinfo=dt.timezone.utc)
        held = tuple(HeldInfo(i * 10 + revision, row.code, PERIOD, revision, "a", "pending", f"lan-{revision}.xlsx", "/x",
                              None, ("W-HELD-UNSIGNED", "W-HELD-OTHER-SIGNER")[revision % 2], "Không ký số", 1, None, at,
                              None, "pending") for revision in range(2, 2 + i % 3)) if i % 7 == 0 else ()
        if row.state == "missing":
            refused = [RejectedFile(i, row.code, PERIOD, None, "hong.xlsx", None, at, "E-X", "hỏng")] if i % 2 else []
            cycle = commune_cycle(deadline, [], refused, len(held))
        else:
            cycle = commune_cycle(deadline, [SubmissionTime("a", 1, at, at)], [], len(held))
        rows.append(replace(row, cycle=cycle, held=held, signature=(None, "valid", "unsigned", "invalid")[i % 4],
                            provisional=row.score is not None and i % 3 == 0, has_newer_draft=i % 5 == 0,
                            critical_failed=(None, 0, 2)[i % 3]))
    return replace(report, rows=rows, cycle=summarize(PERIOD, deadline, [row.cycle for row in rows]))


def _painted(delegate, index):
    """What Qt's item delegate paints a cell with (it asks the model through multiData)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, index)
    brush = option.backgroundBrush
    return (option.text, option.font.italic(), int(option.displayAlignment.value),
            brush.color().name() if brush.style() != Qt.BrushStyle.NoBrush else None,
            option.palette.color(QPalette.ColorRole.Text).name())


def _as_data_says(index, palette):
    """The same from data(), role by role."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyleOptionViewItem

    def role(which):
        return index.data(which)

    font, align, background, foreground = (role(Qt.ItemDataRole.FontRole), role(Qt.ItemDataRole.TextAlignmentRole),
                                           role(Qt.ItemDataRole.BackgroundRole), role(Qt.ItemDataRole.ForegroundRole))
    default_align = int(QStyleOptionViewItem().displayAlignment.value)
    return (role(Qt.ItemDataRole.DisplayRole) or "", bool(font is not None and font.italic()),
            default_align if align is None else int(align),
            background.name() if background is not None else None,
            (foreground or palette.color(QPalette.ColorRole.Text)).name())


def _painted_table(crafted, qtbot):
    """The status of every kind of row in a model, a proxy over it and a view showing it; the view's delegate and
    palette (to ask what a painted cell would be)."""
    from PySide6.QtWidgets import QStyledItemDelegate, QTableView

    from readiness.gui.department.models import StatusProxy, StatusTableModel

    model = StatusTableModel()
    model.set_report(_every_kind_of_row(crafted), crafted.workspace.latest_checklist())
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    return model, proxy, QStyledItemDelegate(), view.palette()


def test_status_table_model__every_kind_of_column__painted_as_data_says_and_sorted_by_its_keys(crafted, qtbot):
    """A painted cell asks all its roles at once (multiData, through the proxy, from the cells the model keeps)
    and a header click sorts by keys worked out column by column (column_keys): both give what data() gives."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    from readiness.gui.department.models import SORT_ROLE

    model, proxy, delegate, palette = _painted_table(crafted, qtbot)
    assert min(model.cycle_column, model.signature_column, model.held_column) > model.critical_column
    for column in (model.NAME, model.SCORE, model.cycle_column, model.held_column, -1):
        proxy.sort(column, Qt.SortOrder.DescendingOrder)
        for _time in ("worked out", "kept"):
            for row in range(proxy.rowCount()):
                for col in range(proxy.columnCount()):
                    index = proxy.index(row, col)
                    assert _painted(delegate, index) == _as_data_says(index, palette), (row, col)
    assert any(proxy.index(r, model.SCORE).data(Qt.ItemDataRole.FontRole) for r in range(proxy.rowCount()))
    cell = QModelRoleData(int(SORT_ROLE))  # a role that is not kept, asked the same way
    proxy.multiData(proxy.index(3, model.SCORE), QModelRoleDataSpan(cell))
    assert cell.data() == proxy.index(3, model.SCORE).data(SORT_ROLE)
    for column in range(model.columnCount()):
        assert model.column_keys(column, range(model.rowCount())) == [
            model.index(row, column).data(SORT_ROLE) for row in range(model.rowCount())], column
    rows = [model.object_at(row) for row in range(model.rowCount())]
    every = range(model.rowCount())
    assert model.column_keys(model.REVISION, every) == [row.revision for row in rows]
    assert model.column_keys(model.SCORE, every) == [row.score for row in rows]
    assert model.column_keys(model.critical_column, every) == [row.critical_failed for row in rows]
    assert model.column_keys(model.held_column, every) == [len(row.held) or None for row in rows]


def test_status_table_model__filtered_and_sorted__painted_as_data_says_and_read_only(crafted, qtbot):
    """With a filter the proxy's rows are not the source's: a painted cell is still its own row's (the proxy maps
    it), and without one (rows answered by row and column) too; flags through the proxy are the source's."""
    model, proxy, delegate, palette = _painted_table(crafted, qtbot)
    states = {model.object_at(row).state for row in range(model.rowCount())}
    assert len(states) > 1
    kept_state = sorted(states)[0]
    name = model.object_at(model.rowCount() - 1).name
    for keys, text in ((None, ""), ({kept_state}, ""), (None, name), (None, "")):
        proxy.set_keys(keys)
        proxy.set_text(text)
        for column in (model.SCORE, model.NAME, -1):
            proxy.sort(column, Qt.SortOrder.DescendingOrder)
            shown = [proxy.object_at(row) for row in range(proxy.rowCount())]
            assert shown and all(keys is None or row.state in keys for row in shown)
            assert all(not text or row.name == text for row in shown)
            for row in range(proxy.rowCount()):
                source_row = proxy.mapToSource(proxy.index(row, 0)).row()
                assert model.object_at(source_row) is shown[row]
                for col in range(proxy.columnCount()):
                    index = proxy.index(row, col)
                    assert _painted(delegate, index) == _as_data_says(model.index(source_row, col), palette), (row, col)
                    assert proxy.flags(index) == model.flags(model.index(source_row, col))
    assert proxy.flags(QModelIndex()) == model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_status_table_model__keys_worked_out_ahead__every_click_sorts_as_a_fresh_model(crafted, qtbot):
    """set_report() works the sort keys out column by column while the event loop is idle (warm_sort_keys);
    every header click then gives the order a model that worked them out on the click gives."""
    from readiness.gui.department.models import StatusProxy, StatusTableModel

    report, checklist = _every_kind_of_row(crafted), crafted.workspace.latest_checklist()
    warmed, fresh = StatusTableModel(), StatusTableModel()
    warmed.set_report(report, checklist)
    qtbot.waitUntil(lambda: all(column in warmed._sort_keys for column in range(warmed.columnCount())))
    fresh.set_report(report, checklist)  # its keys are worked out on the click: no event is processed before
    proxies = []
    for model in (warmed, fresh):
        proxy = StatusProxy()
        proxy.setSourceModel(model)
        proxies.append(proxy)
    for column in range(warmed.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            orders = []
            for proxy in proxies:
                proxy.sort(column, order)
                orders.append([proxy.object_at(row).code for row in range(proxy.rowCount())])
            assert orders[0] == orders[1], (column, order)


def test_status_table_model__cells_worked_out_ahead__the_top_of_every_order__as_a_fresh_model_paints(crafted, qtbot):
    """After its keys, set_report() (and a change of language) works out while the event loop is idle the cells of
    the rows each header click brings to the top (the first _WARM_ROWS of every column's order, both directions),
    every role a paint asks: a first click paints them ready, and they are what a model that works them out on the
    paint gives."""
    from readiness.gui.department.models import _PAINT_ROLES, _UNSET, _WARM_ROWS, StatusTableModel
    from readiness.gui.i18n import lang, set_lang

    report, checklist = _every_kind_of_row(crafted), crafted.workspace.latest_checklist()
    warmed = StatusTableModel()
    warmed.set_report(report, checklist)
    tops = {(column, order): [] for column in range(warmed.columnCount())
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)}

    def warmed_up():
        for (column, order), ranks in tops.items():
            ranks[:] = warmed._sorted_rows(column, order)[:_WARM_ROWS]
        return all(warmed._cells[rank] is not None for ranks in tops.values() for rank in ranks)

    def same_as_fresh():
        fresh = StatusTableModel()
        fresh.set_report(report, checklist)  # no event is processed: its cells are worked out when asked
        assert not any(fresh._cells)
        paint_roles = [role for role in _PAINT_ROLES if role != Qt.ItemDataRole.ToolTipRole]
        ahead = 0
        for row in range(warmed.rowCount()):
            kept = warmed._cells[warmed._rank[row]]
            for column in range(warmed.columnCount()):
                for role in paint_roles:
                    expected = fresh.index(row, column).data(role)
                    if kept is not None:  # worked out ahead, before anything asked
                        ahead += 1
                        value = kept[column * len(_PAINT_ROLES) + _PAINT_ROLES[role]]
                        assert value is not _UNSET and value == expected, (row, column, role)
                    assert warmed.index(row, column).data(role) == expected, (row, column, role)
        assert ahead

    assert not any(warmed._cells)  # nothing is worked out before the event loop runs
    qtbot.waitUntil(warmed_up)
    assert any(len(ranks) == _WARM_ROWS for ranks in tops.values())
    same_as_fresh()
    before = lang()
    try:
        set_lang("en")
        warmed.retranslate()
        assert not any(warmed._cells)
        qtbot.waitUntil(warmed_up)
        same_as_fresh()
    finally:
        set_lang(before)


def test_import_results_model__cells_not_kept__painted_as_data_says(qtbot):
    from PySide6.QtWidgets import QStyledItemDelegate, QTableView

    from readiness.gui.department.models import ImportResultsModel, ImportResultsProxy

    model = ImportResultsModel({"23500": "Xã Đăk Hà"})
    model.set_results(_results())
    proxy = ImportResultsProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    delegate = QStyledItemDelegate()
    proxy.sort(model.STATUS, Qt.SortOrder.AscendingOrder)
    painted = [_painted(delegate, proxy.index(r, c)) for r in range(5) for c in range(7)]
    assert painted == [_as_data_says(proxy.index(r, c), view.palette()) for r in range(5) for c in range(7)]
    assert painted[model.STATUS][:1] + painted[model.STATUS][3:] == ("Đã nhập", "#e8f5e9", "#1b5e20")
