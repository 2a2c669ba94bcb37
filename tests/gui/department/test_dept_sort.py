"""Sorting the department's tables happens in the model (issue 16): keys computed once per column, no Python
``lessThan`` per comparison; the order is the one the proxy's lessThan gave (empty values last either way,
equal values in the given order), the selection follows its row and the row numbers stay the given ones."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt


def _model(values):
    from readiness.gui.department.models import SEARCH_ROLE, SORT_ROLE, _TableModel

    class Model(_TableModel):
        def make_headers(self):
            return ["giá trị", "tên"]

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if not index.isValid():
                return None
            value, name = self._rows[index.row()]
            if role == SORT_ROLE:
                return value if index.column() == 0 else name
            if role == SEARCH_ROLE:
                return name
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == 1:
                    return name
                return "" if value is None else str(value)
            return None

    model = Model()
    model.beginResetModel()
    model._rows = list(values)
    model.endResetModel()
    return model


ROWS = [(3, "c"), (1, "a"), (None, "x"), (3, "b"), (2, "d"), (None, "y")]


def _names(proxy):
    return [proxy.index(r, 1).data() for r in range(proxy.rowCount())]


def test_sort__both_directions__empty_last_and_ties_in_given_order(qtmodeltester):
    from readiness.gui.department.models import StatusProxy

    model = _model(ROWS)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert _names(proxy) == ["a", "d", "c", "b", "x", "y"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert _names(proxy) == ["c", "b", "d", "a", "x", "y"]
    proxy.sort(-1)
    assert _names(proxy) == ["c", "a", "x", "b", "d", "y"]
    assert model.in_given_order() == ROWS
    qtmodeltester.check(proxy)


def test_sort__selected_row__follows_its_row_and_keeps_its_number(qtbot):
    from PySide6.QtWidgets import QTableView

    from readiness.gui.department.models import StatusProxy

    model = _model(ROWS)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    table.selectionModel().select(proxy.index(4, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)  # (2, "d"), the fifth given row
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    (selected,) = table.selectionModel().selectedRows()
    assert selected.siblingAtColumn(1).data() == "d"
    assert proxy.headerData(selected.row(), Qt.Orientation.Vertical) == "5"
    proxy.set_text("d")  # filtering keeps the sorted order
    assert _names(proxy) == ["d"]


def test_sort__new_rows_given__the_chosen_order_kept():
    from readiness.gui.department.models import StatusProxy

    model = _model(ROWS)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    model.beginResetModel()
    model._rows = [(5, "m"), (6, "n"), (7, "k")]
    model.endResetModel()
    assert _names(proxy) == ["n", "m", "k"]


def _fresh_order(rows, column, order):
    """The names in the order a model that never sorted before gives."""
    from readiness.gui.department.models import StatusProxy

    model = _model(rows)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    proxy.sort(column, order)
    return _names(proxy)


def test_sort__orders_kept_per_column__equal_a_fresh_sort_after_the_rows_change():
    """The order of each (column, direction) is kept for the next click; a changed row, rows added or new rows
    given forget it: each click still gives what a fresh sort of the same rows gives."""
    from readiness.gui.department.models import StatusProxy

    model = _model(ROWS)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    clicks = [(0, Qt.SortOrder.AscendingOrder), (0, Qt.SortOrder.DescendingOrder), (1, Qt.SortOrder.AscendingOrder),
              (0, Qt.SortOrder.AscendingOrder), (0, Qt.SortOrder.AscendingOrder), (-1, Qt.SortOrder.AscendingOrder)]

    def check():
        for column, order in clicks:
            proxy.sort(column, order)
            assert _names(proxy) == _fresh_order(model.in_given_order(), column, order), (column, order)

    check()
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    row = _names(proxy).index("a")
    model._rows[row] = (9, "a")  # (1, "a") became (9, "a"): sorted last of the values now
    model.row_changed(row)
    check()
    assert _names(proxy)[:1] == ["c"] and model.in_given_order()[1] == (9, "a")
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    model.beginInsertRows(QModelIndex(), len(model._rows), len(model._rows))
    model._rows.append((0, "z"))
    model.endInsertRows()
    check()
    model.beginResetModel()
    model._rows = [(2, "q"), (None, "p"), (1, "r")]
    model.endResetModel()
    check()


def test_sort__filtered__the_kept_order_filtered(qtbot):
    """A filter and a sort together, in either order: the rows the filter keeps, in the sorted order."""
    from readiness.gui.department.models import StatusProxy

    rows = [(3, "ca"), (1, "ab"), (None, "ax"), (3, "bb"), (2, "ad"), (None, "y")]
    model = _model(rows)
    proxy = StatusProxy()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    proxy.set_text("a")
    assert _names(proxy) == ["ca", "ad", "ab", "ax"]
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert _names(proxy) == ["ab", "ad", "ca", "ax"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert _names(proxy) == ["ca", "ad", "ab", "ax"]
    proxy.set_text("")
    assert _names(proxy) == _fresh_order(rows, 0, Qt.SortOrder.DescendingOrder) == ["ca", "bb", "ad", "ab", "ax", "y"]
