"""Thin Qt models over the department core's objects (napari's habit): no logic of their own.

- :class:`ImportResultsModel`: one row per :class:`readiness.department.importer.FileResult`;
- :class:`StatusTableModel`: the register status of a period (:class:`readiness.department.status.StatusReport`
  rows): one row per commune, its state, score, level, section scores and signature status;
- :class:`PetitionsModel`: :class:`readiness.department.petitions.Petition` rows;
- :class:`TrendPointsModel`: the points of a :class:`readiness.department.trend.Trend`.

Each has a proxy for sorting and filtering: text filters match as the core does
(:func:`readiness.text.matches`: "dak ha" finds "Xã Đăk Hà"), names sort in Vietnamese order
(:func:`readiness.text.sort_key`), and rows without a value sort last whichever the direction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor

from ...department.scope import province_short
from ...text import matches, sort_key
from ..i18n import lang, t
from .labels import (
    CYCLE_COLORS,
    HELD_COLORS,
    IMPORT_STATUS,
    PETITION_COLORS,
    SIGNATURE_COLORS,
    STATE_COLORS,
    cycle_text,
    for_gui,
    held_text,
    import_status_label,
    italic_font,
    number_text,
    period_text,
    petition_status_label,
    qcolor,
    readable_on,
    score_colors,
    score_text,
    signature_label,
    state_label,
)

if TYPE_CHECKING:
    from ...checklist.model import Checklist
    from ...department.importer import FileResult
    from ...department.petitions import Petition
    from ...department.status import CommuneStatus, StatusReport
    from ...department.trend import Trend

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts (None: no value, always last)
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's text the filter looks in
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 3  # the core object of the row
KEY_ROLE = Qt.ItemDataRole.UserRole + 4  # the row's status / state id

_Index = QModelIndex | QPersistentModelIndex
# What a view asks of every visible cell each time it paints it (QStyledItemDelegate), and the tooltip: a model
# that keeps its cells (_TableModel.cached_cell) keeps these, each in its slot.
_PAINT_ROLES = {int(role): slot for slot, role in enumerate((
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.ToolTipRole))}
_SLOTS = len(_PAINT_ROLES)
_UNSET = object()
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_WARM_MS = 1  # a timer, not a zero-timer (those posted while the posted events are sent run in the same pass)
_WARM_ROWS = 40  # rows at the top of each order whose cells are worked out ahead (a tall table shows ~35)
_WARM_BUDGET_S = 0.004  # the cells worked out ahead in one turn of the event loop: rows for about this long
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)  # kept when asked, not worked out ahead (a paint does not ask it)
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_DISPLAY, _TOOLTIP, _ALIGNMENT, _FONT = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                         Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole)
_FOREGROUND, _BACKGROUND = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole


class _TableModel(QAbstractTableModel):
    """Shared plumbing: headers from :meth:`make_headers` (kept per language), no children, read-only."""

    keeps_cells = False  # True: data() is cached_cell(), the cells worked out by cell_data()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Any] = []
        self._headers: tuple[str, list[str]] | None = None
        self._rank: list[int] = []  # each row's place in the order it was given (the core's order)
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._sort_keys: dict[int, list[Any]] = {}  # column -> SORT_ROLE value of each row, by rank
        self._orders: dict[tuple[int, bool], list[int]] = {}  # (column, descending) -> ranks in that order
        self._warming = 0  # which rows warm_sort_keys() works for (a change of rows stops it)
        self._warm_ranks: Iterator[int] | None = None  # the rows whose cells warm_sort_keys() works out next
        self._cells: list[list[Any] | None] = []  # by rank: what cached_cell computed of the row's cells
        self._column_count = -1  # len(headers()), the same in every language; -1: not known yet

    def make_headers(self) -> list[str]:
        raise NotImplementedError

    def headers(self) -> list[str]:
        code = lang()
        if self._headers is None or self._headers[0] != code:
            self._headers = (code, self.make_headers())
            self._column_count = len(self._headers[1])
        return self._headers[1]

    def endResetModel(self) -> None:
        self._headers = None  # the columns may have changed
        self._column_count = -1
        self._rank = list(range(len(self._rows)))
        self._forget_order()
        self._cells = [None] * len(self._rows)
        if self._sorted_by is not None and self._rows:  # a new report keeps the order the person chose
            column, order = self._sorted_by
            if 0 <= column < len(self.headers()):
                self._rank = list(self._sorted_rows(column, order))  # a copy: the kept order stays as it is
                self._rows = [self._rows[rank] for rank in self._rank]
        super().endResetModel()

    def endInsertRows(self) -> None:
        self._rank += range(len(self._rank), len(self._rows))  # appended rows come last, unsorted (as before)
        self._forget_order()
        self._cells += [None] * (len(self._rows) - len(self._cells))
        super().endInsertRows()

    def in_given_order(self) -> list[Any]:
        """The rows in the order they were given, whatever the table is sorted by."""
        order = sorted(range(len(self._rows)), key=self._rank.__getitem__)
        return [self._rows[i] for i in order]

    # -- sorting: here, with keys computed once per column, not in a proxy's lessThan -------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By :data:`SORT_ROLE` of ``column``; rows without a value last whichever the direction; equal
        values in the given order.  ``column`` -1: the given order.  A header click on the 3,321 communes
        of the country sorts in a few milliseconds (a ``lessThan`` in Python per comparison took 0.7 s)."""
        self._sorted_by = (column, order) if column >= 0 else None
        if not self._rows:
            return
        if column >= 0:
            by_rank = self._sorted_rows(column, order)
        else:
            by_rank = list(range(len(self._rows)))
        if by_rank == self._rank:  # already in that order (QTableView.sortByColumn sorts twice)
            return
        position = {rank: row for row, rank in enumerate(self._rank)}  # rank -> current row
        new_order = [position[rank] for rank in by_rank]  # new row -> current row
        self.layoutAboutToBeChanged.emit()
        new_row_of = [0] * len(new_order)
        for new_row, old_row in enumerate(new_order):
            new_row_of[old_row] = new_row
        self._rows = [self._rows[old] for old in new_order]
        self._rank = list(by_rank)
        persistent = self.persistentIndexList()
        if persistent:
            self.changePersistentIndexList(persistent, [
                self.index(new_row_of[index.row()], index.column()) if index.isValid() else QModelIndex()
                for index in persistent])
        self.layoutChanged.emit()

    def _forget_order(self) -> None:
        """The rows or their values changed: the keys and orders kept per column are worked out again."""
        self._sort_keys = {}
        self._orders = {}
        self._warming += 1

    def warm_sort_keys(self) -> None:
        """Works out the sort keys and the ascending order of every column ahead of the clicks, one column per
        turn of the event loop (1-12 ms each for the country's 3,321 communes): a header click finds them ready
        and the window is never held longer than one column.  A model that keeps its cells (:attr:`keeps_cells`)
        then works out, a few rows per turn, the cells of the rows a click brings to the top of the table: the
        first :data:`_WARM_ROWS` of each column's order, ascending and descending (column by column, from the
        left), so a first click paints rows whose texts and colours are ready.  Stops when the rows change."""
        self._warming += 1
        self._warm_ranks = None
        QTimer.singleShot(_WARM_MS, self, partial(self._warm_next, self._warming))

    def _warm_next(self, warming: int) -> None:
        if warming != self._warming or not self._rows:
            return
        column = next((c for c in range(self.columnCount()) if c not in self._sort_keys), None)
        if column is not None:
            self._sorted_rows(column, Qt.SortOrder.AscendingOrder)
        elif not self.keeps_cells or not self._warm_cells():
            return
        QTimer.singleShot(_WARM_MS, self, partial(self._warm_next, warming))

    def _warm_cells(self) -> bool:
        """One turn of the cells worked out ahead (rows for about :data:`_WARM_BUDGET_S`); False when done."""
        if self._warm_ranks is None:
            self._warm_ranks = self._ranks_to_warm()
        position = [0] * len(self._rank)  # rank -> the row it is at now (a click may have sorted meanwhile)
        for row, rank in enumerate(self._rank):
            position[rank] = row
        columns = range(self.columnCount())
        roles = [(role, slot) for role, slot in _PAINT_ROLES.items() if role != _TOOLTIP_ROLE]  # what a paint asks
        started = time.perf_counter()
        for rank in self._warm_ranks:
            if self._cells[rank] is None:
                row = position[rank]
                cells = self._cells[rank] = [_UNSET] * (len(columns) * _SLOTS)
                for column in columns:
                    at = column * _SLOTS
                    for role, slot in roles:
                        cells[at + slot] = self.cell_data(row, column, role)
            if time.perf_counter() - started >= _WARM_BUDGET_S:
                return True
        return False

    def _ranks_to_warm(self) -> Iterator[int]:
        """The ranks of the first :data:`_WARM_ROWS` rows of each column's order, ascending then descending,
        column by column (each order worked out when its turn comes)."""
        for column in range(self.columnCount()):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                yield from self._sorted_rows(column, order)[:_WARM_ROWS]

    def _keys(self, column: int) -> list[Any]:
        """The SORT_ROLE value of every row of ``column``, by rank (computed once until the rows change)."""
        keys = self._sort_keys.get(column)
        if keys is None:
            rows = [0] * len(self._rank)  # rank -> the row it is at now
            for row, rank in enumerate(self._rank):
                rows[rank] = row
            keys = self._sort_keys[column] = self.column_keys(column, rows)
        return keys

    def column_keys(self, column: int, rows: Sequence[int]) -> list[Any]:
        """:data:`SORT_ROLE` of ``column`` in each of ``rows`` (a model with a quicker way than data() gives it)."""
        return [self.data(self.index(row, column), SORT_ROLE) for row in rows]

    def _sorted_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Ranks in the new order (kept per column and direction until the rows change: a second click on a
        header, or a click back, sorts nothing again)."""
        descending = order == Qt.SortOrder.DescendingOrder
        kept = self._orders.get((column, descending))
        if kept is None:
            kept = self._orders[(column, descending)] = self._fresh_order(column, descending)
        return kept

    def _fresh_order(self, column: int, descending: bool) -> list[int]:
        keys = self._keys(column)
        valued = [rank for rank, key in enumerate(keys) if key is not None]
        empty = [rank for rank, key in enumerate(keys) if key is None]
        try:  # Python's sort is stable, reversed too: equal values keep the given order either way
            valued.sort(key=keys.__getitem__, reverse=descending)
        except TypeError:  # values of different types in one column: compare them as the old proxy did
            valued.sort(key=lambda rank: _Mixed(keys[rank]), reverse=descending)
        return valued + empty

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self._column_count if self._column_count >= 0 else len(self.headers())  # asked per painted cell

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            if not 0 <= section < len(headers):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return headers[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.header_tip(section)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
            return str(self._rank[section] + 1 if section < len(self._rank) else section + 1)
        return None

    def header_tip(self, section: int) -> str | None:
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _flags(index)

    def retranslate(self) -> None:
        """The language changed: every label is read again."""
        self._headers = None
        self._column_count = -1
        self._forget_order()
        self._cells = [None] * len(self._rows)
        if self.rowCount() or self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.columnCount() - 1))
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def object_at(self, row: int) -> Any:
        return self._rows[row]

    def cell_data(self, row: int, column: int, role: int) -> Any:
        """What a model that keeps its cells (:attr:`keeps_cells`) shows in the cell at ``row``, ``column`` for
        ``role`` (None outside the table: row and column are -1 for an invalid index)."""
        raise NotImplementedError

    def cached_cell(self, index: _Index, role: int) -> Any:
        """:meth:`cell_data`, kept for the roles a view paints with (:data:`_PAINT_ROLES`) until the rows, the
        language or that row change: a header click repaints every visible cell, seven roles each, and the cells
        (texts, colours, fonts) need not be worked out again each time."""
        row, column = index.row(), index.column()  # -1 for an invalid index
        slot = _PAINT_ROLES.get(role)
        kept = None if slot is None else self._kept(row, column)
        if slot is None or kept is None:
            return self.cell_data(row, column, role)
        cells, at = kept
        value = cells[at + slot]
        if value is _UNSET:
            value = cells[at + slot] = self.cell_data(row, column, role)
        return value

    def _kept(self, row: int, column: int) -> tuple[list[Any], int] | None:
        """The kept cells of ``row`` and where ``column``'s slots start (None: not a cell of the table)."""
        if not 0 <= row < len(self._cells):
            return None
        rank = self._rank[row]
        cells = self._cells[rank]
        if cells is None:
            cells = self._cells[rank] = [_UNSET] * (self.columnCount() * _SLOTS)
        at = column * _SLOTS
        return (cells, at) if 0 <= at < len(cells) else None

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        """Every role a view asks of a cell, in one call: Qt's item delegate asks seven for each cell it paints,
        and through the proxy each was three calls into Python.  A model that keeps its cells answers from them."""
        self.answer(index.row(), index.column(), roleDataSpan)

    def answer(self, row: int, column: int, asked: QModelRoleDataSpan | QModelRoleData) -> None:
        """:meth:`multiData` of the cell at ``row``, ``column`` (a proxy that knows them asks this directly)."""
        kept = self._kept(row, column) if self.keeps_cells else None
        if kept is None:
            index = self.index(row, column)
            for data in _role_data(asked):
                data.setData(self.data(index, data.role()))
            return
        cells, at = kept
        for data in (asked,) if isinstance(asked, QModelRoleData) else cast("Iterable[QModelRoleData]", asked):
            role = data.role()
            slot = _PAINT_ROLES.get(role)
            value = _UNSET if slot is None else cells[at + slot]
            if value is _UNSET:
                value = self.cell_data(row, column, role)
                if slot is not None:
                    cells[at + slot] = value
            data.setData(value)

    def row_changed(self, row: int) -> None:
        """Row ``row`` holds a new object: its cells are read again, and so are the sort keys kept per column
        (the next header click sorts by the new values)."""
        self._forget_order()
        if 0 <= row < len(self._cells):
            self._cells[self._rank[row]] = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


def _flags(index: _Index) -> Qt.ItemFlag:
    """Every cell of a :class:`_TableModel` (and of its proxy) is read-only."""
    return _READ_ONLY if index.isValid() else _NO_FLAGS  # asked per painted cell


def _role_data(asked: QModelRoleDataSpan | QModelRoleData) -> Iterable[QModelRoleData]:
    """The roles of one multiData() call (Qt gives a span; Python may give one QModelRoleData)."""
    return (asked,) if isinstance(asked, QModelRoleData) else cast("Iterable[QModelRoleData]", asked)


class _Mixed:
    """A sort key for a column whose values are not all of one type (compared as text when they differ)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __lt__(self, other: _Mixed) -> bool:
        try:
            return self.value < other.value
        except TypeError:
            return str(self.value) < str(other.value)


class _SortFilterProxy(QSortFilterProxyModel):
    """Sorting is the source model's (by :data:`SORT_ROLE`, None last either way, see :meth:`_TableModel.sort`);
    this filters rows by text (and a key set)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.text = ""
        self.keys: set[str] | None = None  # only rows whose KEY_ROLE is in it (None: all)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self._begin()
            self.text = text
            self._end()

    def set_keys(self, keys: set[str] | None) -> None:
        if keys != self.keys:
            self._begin()
            self.keys = keys
            self._end()

    def _begin(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateFilter() is deprecated
            self.beginFilterChange()

    def _end(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.keys is None and not self.text.strip():
            return True  # no filter: called for every row after each sort, so nothing is looked up
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self.keys is not None and model.data(index, KEY_ROLE) not in self.keys:
            return False
        if self.text.strip():
            return matches(self.text, model.data(index, SEARCH_ROLE) or "")
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (:meth:`_TableModel.sort`); this proxy keeps its order and filters."""
        model = self.sourceModel()
        if isinstance(model, _TableModel):
            model.sort(column, order)
            super().sort(-1, Qt.SortOrder.AscendingOrder)  # the source's order as it is (descending would reverse it)
        else:
            super().sort(column, order)

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        """The source's cell in one call (:meth:`_TableModel.multiData`), not a call per role.  While every row
        is shown (no filter) the proxy's rows are the source's, in its order: the cell is answered by row and
        column, without mapToSource() (which asks the source's rowCount() and columnCount() in Python)."""
        model = self.sourceModel()
        if not isinstance(model, _TableModel):
            super().multiData(index, roleDataSpan)
        elif self.sortColumn() < 0 and self.rowCount() == len(model._rows):  # every row, in the source's order
            model.answer(index.row(), index.column(), roleDataSpan)
        else:
            source = self.mapToSource(index)
            model.answer(source.row(), source.column(), roleDataSpan)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """The source's flags (a :class:`_TableModel`'s are one rule, :func:`_flags`): asked for each painted cell,
        and through the proxy that was three calls into Python (flags, and mapToSource's rowCount, columnCount)."""
        if getattr(type(self.sourceModel()), "flags", None) is _TableModel.flags:  # not one that says otherwise
            return _flags(index)
        return super().flags(index)

    def object_at(self, proxy_row: int) -> Any:
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().object_at(source.row()) if source.isValid() else None  # type: ignore[attr-defined]  # one of ours


# == the import's results ==============================================================================


def reason_lines(result: FileResult) -> list[str]:
    """Every coded reason of a file (errors, then warnings), as ``<code>: Sheet '…', ô D7: …``."""
    lines = [f"{problem.code}: {for_gui(problem.message)}" for problem in result.errors]
    lines += [f"{problem.code}: {for_gui(problem.message)}" for problem in result.warnings]
    return lines


class ImportResultsModel(_TableModel):
    FILE, STATUS, COMMUNE, PERIOD, REVISION, SIGNATURE, REASONS = range(7)

    def __init__(self, names: dict[str, str] | None = None, parent: Any = None):
        super().__init__(parent)
        self._rows: list[FileResult] = []
        self.names = dict(names or {})

    def make_headers(self) -> list[str]:
        return [t("Tệp", "File"), t("Kết quả", "Result"), t("Xã, phường", "Commune"), t("Kỳ", "Period"),
                t("Lần", "Rev."), t("Chữ ký số", "Signature"), t("Lý do, ghi chú (mã, sheet, ô)", "Reasons (code, sheet, cell)")]

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def set_results(self, results: Sequence[FileResult]) -> None:
        self.beginResetModel()
        self._rows = list(results)
        self.endResetModel()

    def append(self, result: FileResult) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(result)
        self.endInsertRows()

    @property
    def results(self) -> list[FileResult]:
        return self.in_given_order()

    def commune_text(self, result: FileResult) -> str:
        if not result.commune:
            return ""
        name = self.names.get(result.commune)
        return f"{name} ({result.commune})" if name else result.commune

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return result
        if role == KEY_ROLE:
            return result.status
        if role == SEARCH_ROLE:
            return " ".join([_file_name(result.file), result.commune or "", self.names.get(result.commune or "", ""),
                             *reason_lines(result)])
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == self.FILE:
                return _file_name(result.file) if role == Qt.ItemDataRole.DisplayRole else sort_key(_file_name(result.file))
            if column == self.STATUS:
                return import_status_label(result.status) if role == Qt.ItemDataRole.DisplayRole else \
                    list(IMPORT_STATUS).index(result.status) if result.status in IMPORT_STATUS else 99
            if column == self.COMMUNE:
                text = self.commune_text(result)
                return text if role == Qt.ItemDataRole.DisplayRole else (sort_key(self.names[result.commune])
                                                                          if result.commune in self.names else result.commune)
            if column == self.PERIOD:
                return period_text(result.period) if role == Qt.ItemDataRole.DisplayRole else result.period
            if column == self.REVISION:
                if role == SORT_ROLE:
                    return result.revision
                return "" if result.revision is None else str(result.revision)
            if column == self.SIGNATURE:
                status = (result.signature or {}).get("status")
                return signature_label(status) if role == Qt.ItemDataRole.DisplayRole else (status or None)
            if column == self.REASONS:
                lines = reason_lines(result)
                if role == SORT_ROLE:
                    return len(result.errors) * 1000 + len(result.warnings) if lines else None
                if not lines:
                    return ""
                more = len(lines) - 1
                return lines[0] + (t(f"  (+{more} lý do khác)", f"  (+{more} more)") if more else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.FILE:
                return result.file
            if column == self.SIGNATURE and result.signature:
                return str(result.signature.get("text") or "")
            lines = reason_lines(result)
            return "\n".join(lines) if lines else None
        if column == self.STATUS and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            _vi, _en, fg, bg = IMPORT_STATUS.get(result.status, ("", "", "#000000", "#ffffff"))
            return QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if column == self.SIGNATURE and role == Qt.ItemDataRole.ForegroundRole and result.signature:
            color = SIGNATURE_COLORS.get(str(result.signature.get("status")))
            return QColor(color) if color else None
        if column == self.REASONS and role == Qt.ItemDataRole.ForegroundRole and result.errors:
            return QColor("#b71c1c") if result.status == "rejected" else None
        if column == self.REVISION and role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_CENTER
        return None


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


class ImportResultsProxy(_SortFilterProxy):
    pass


# == the register status / consolidated table =============================================================


class StatusTableModel(_TableModel):
    """Communes × (state, score, level, sections): the dashboard's consolidated table.

    ``checklist`` (the newest definition) gives the English labels of levels and sections.
    """

    CODE, NAME, KIND, FORMER, STATE, REVISION, SCORE, LEVEL = range(8)
    FIXED = 8

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CommuneStatus] = []
        self.national = False  # the rows span provinces (set_report)
        self.report: StatusReport | None = None
        self.checklist: Checklist | None = None
        self.sections: list[tuple[str, str]] = []
        self.section_numbers: dict[str, int] = {}
        self.levels: dict[str, tuple[str, str, str]] = {}  # id -> (vi, en, colour)
        self.level_rank: dict[str, int] = {}
        self.has_signatures = False
        self.has_held = False
        self.has_cycle = False  # the period has a deadline: a column says on time or late
        self._name_keys: dict[str, tuple] = {}
        self._cell_of: list[Callable[[CommuneStatus, int], Any]] = []  # by column (_columns)
        self._sort_of: list[Callable[[CommuneStatus], Any]] = []
        self._score_colours: dict[tuple[float | None, str | None], Any] = {}  # (score, level) -> (text, background)
        self._columns()

    # -- loading ---------------------------------------------------------------------------------
    def set_report(self, report: StatusReport | None, checklist: Checklist | None = None,
                   sections: Sequence[str] | None = None) -> None:
        """``sections``: the ids of the section columns (default: every section of the report), in order."""
        self.beginResetModel()
        self.report = report
        self.checklist = checklist
        self._rows = list(report.rows) if report else []
        # Across provinces (the country, a group spanning provinces) the «Tỉnh cũ» column shows the province:
        # Xã Ba Đình (Thanh Hóa) and Phường Ba Đình (Hà Nội) told apart, searchable («ha noi»).
        self.national = len({row.province_code for row in self._rows}) > 1
        numbered = [(sid, number, title) for number, (sid, title) in enumerate(report.sections, 1)] if report else []
        if sections is not None:
            wanted = set(sections)
            numbered = [entry for entry in numbered if entry[0] in wanted]
        self.sections = [(sid, title) for sid, _number, title in numbered]
        self.section_numbers = {sid: number for sid, number, _title in numbered}
        self.levels = {}
        if report is not None:
            for level in report.levels:
                en = level.label
                if checklist is not None:
                    try:
                        en = checklist.level(level.id).label.en or level.label
                    except (KeyError, AttributeError):
                        pass
                self.levels[level.id] = (level.label, en, level.color)
        self.level_rank = {level_id: index for index, level_id in enumerate(self.levels)}
        self.has_signatures = any(row.signature for row in self._rows)
        self.has_held = any(row.held for row in self._rows)
        self.has_cycle = report is not None and report.deadline is not None
        self._name_keys = {row.code: commune_sort_key(row.name, row.kind, row.code) for row in self._rows}
        self._score_colours = {}
        self._columns()
        self.endResetModel()
        self.warm_sort_keys()

    @property
    def rows(self) -> list[CommuneStatus]:
        return self.in_given_order()

    def retranslate(self) -> None:
        super().retranslate()
        if self._rows:
            self.warm_sort_keys()  # the keys and the top rows' cells again, in the new language

    def section_column(self, section_id: str) -> int:
        return self.FIXED + [sid for sid, _ in self.sections].index(section_id)

    @property
    def critical_column(self) -> int:
        return self.FIXED + len(self.sections)

    @property
    def cycle_column(self) -> int:
        """On time or late, with the day received (only when the period has a deadline)."""
        return self.critical_column + 1 if self.has_cycle else -1

    @property
    def signature_column(self) -> int:
        return self.critical_column + 1 + int(self.has_cycle) if self.has_signatures else -1

    @property
    def held_column(self) -> int:
        """Later revisions held instead of replacing a signed one (only when some commune has one)."""
        return self.critical_column + 1 + int(self.has_cycle) + int(self.has_signatures) if self.has_held else -1

    def section_title(self, section_id: str, title_vi: str) -> str:
        if lang() == "en" and self.checklist is not None:
            try:
                return self.checklist.section(section_id).title.en or title_vi
            except (KeyError, AttributeError):
                return title_vi
        return title_vi

    def level_label(self, level_id: str | None) -> str:
        if not level_id:
            return ""
        vi, en, _color = self.levels.get(level_id, (level_id, level_id, "#777777"))
        return en if lang() == "en" else vi

    def make_headers(self) -> list[str]:
        former = t("Tỉnh", "Province") if getattr(self, "national", False) else t("Tỉnh cũ", "Former prov.")
        fixed = [t("Mã", "Code"), t("Tên đơn vị", "Name"), t("Loại", "Type"), former,
                 t("Tình trạng", "State"), t("Lần", "Rev."), t("Điểm", "Score"), t("Mức", "Level")]
        sections = [t(f"Phần {self.section_numbers.get(sid, '')}", f"Sec. {self.section_numbers.get(sid, '')}")
                    for sid, _title in self.sections]
        tail = [t("Trọng yếu\nchưa đạt", "Critical\nnot met")]
        if self.has_cycle:
            tail.append(t("Thời hạn", "Deadline"))
        if self.has_signatures:
            tail.append(t("Chữ ký số", "Signature"))
        if self.has_held:
            tail.append(t("Bản giữ lại", "Held revision"))
        return fixed + sections + tail

    def header_tip(self, section: int) -> str | None:
        if self.FIXED <= section < self.critical_column:
            sid, title = self.sections[section - self.FIXED]
            return t(f"Điểm phần {self.section_numbers.get(sid)}. {self.section_title(sid, title)}",
                     f"Score of section {self.section_numbers.get(sid)}. {self.section_title(sid, title)}")
        if section == self.critical_column:
            return t("Số tiêu chí trọng yếu chưa đạt", "Critical criteria not met")
        if section == self.cycle_column and self.report is not None and self.report.deadline is not None:
            day = self.report.deadline.strftime("%d/%m/%Y")
            return t(f"Hạn nộp {day} (hết 23:59:59 giờ Việt Nam): đúng hạn khi lần gửi đầu tiên hoàn thành và được Sở "
                     "nhận trước khi hết hạn; kèm ngày Sở nhận",
                     f"Deadline {day} (ends 23:59:59 Vietnam time): on time when the first submission was completed "
                     "and received before it ended; with the day received")
        if section == self.held_column:
            return t("Bản nộp mới bị giữ lại vì bản đã ký số không được thay bằng bản không ký hoặc ký khác; chờ Sở "
                     "quyết định (nút «Bản giữ lại…»)",
                     "A newer revision held because a signed one is not replaced by an unsigned or differently signed "
                     "one; the department decides (“Held revision…”)")
        return None

    # -- data ------------------------------------------------------------------------------------
    keeps_cells = True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cached_cell(index, role)

    def cell_data(self, row_number: int, column: int, role: int) -> Any:
        if not 0 <= row_number < len(self._rows):
            return None
        row = self._rows[row_number]
        if role == OBJECT_ROLE:
            return row
        if role == KEY_ROLE:
            return row.state
        if role == SEARCH_ROLE:
            return f"{row.name} {row.code} {row.former_province or ''} {row.province_name}"
        if not 0 <= column < len(self._cell_of):
            return None
        if role == SORT_ROLE:
            return self._sort_of[column](row)
        return self._cell_of[column](row, role)

    def column_keys(self, column: int, rows: Sequence[int]) -> list[Any]:
        """By the column's key function (``_sort_of``), the one definition of :data:`SORT_ROLE` that data() uses
        too: no index and no data() call per cell."""
        key = self._sort_of[column] if 0 <= column < len(self._sort_of) else _no_value
        objects = self._rows
        return [key(objects[row]) for row in rows]

    def _columns(self) -> None:
        """What each column shows (``_cell_of``: row, role -> value) and sorts by (``_sort_of``: row -> key),
        worked out once per report rather than for every cell and role a view asks."""
        from ...department.cycle import CYCLE_STATES
        from ...department.status import STATES

        state_rank = {state: index for index, state in enumerate(STATES)}
        cycle_rank = {state: index for index, state in enumerate(CYCLE_STATES)}
        name_keys, level_rank = self._name_keys, self.level_rank
        cells: list[Callable[[CommuneStatus, int], Any]] = [
            self._code_data, self._name_data, self._kind_data, self._former_data, self._state_data,
            self._revision_data, self._score_column_data, self._level_data]
        sorts: list[Callable[[CommuneStatus], Any]] = [
            lambda row: row.code,
            lambda row: name_keys.get(row.code) or commune_sort_key(row.name, row.kind, row.code),
            lambda row: sort_key(row.kind),
            self._former_key,
            lambda row: state_rank.get(row.state, 99),
            lambda row: row.revision,
            lambda row: row.score,
            lambda row: level_rank.get(row.level) if row.level else None]
        for sid, _title in self.sections:
            cells.append(partial(self._section_data, sid))
            sorts.append(partial(_section_score, sid))
        cells.append(self._critical_data)
        sorts.append(lambda row: row.critical_failed)
        if self.has_cycle:
            cells.append(self._cycle_data)
            sorts.append(lambda row: None if row.cycle is None else (cycle_rank[row.cycle.state], row.cycle.days_late))
        if self.has_signatures:
            cells.append(self._signature_data)
            sorts.append(lambda row: row.signature)
        if self.has_held:
            cells.append(self._held_data)
            sorts.append(lambda row: len(row.held) if row.held else None)
        self._cell_of, self._sort_of = cells, sorts

    def _former_text(self, row: CommuneStatus) -> str:
        return province_short(row.province_name) if self.national else row.former_province or ""

    def _former_key(self, row: CommuneStatus) -> Any:
        value = self._former_text(row)
        return sort_key(value) if value else None

    def _code_data(self, row: CommuneStatus, role: int) -> Any:
        return row.code if role == _DISPLAY else None

    def _name_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            return row.name
        if role == _TOOLTIP:
            return f"{row.name} — {row.code}, {row.province_name}"
        return None

    def _kind_data(self, row: CommuneStatus, role: int) -> Any:
        return row.kind if role == _DISPLAY else None

    def _former_data(self, row: CommuneStatus, role: int) -> Any:
        return self._former_text(row) if role == _DISPLAY else None

    def _revision_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            return "" if row.revision is None else str(row.revision)
        return _ALIGN_CENTER if role == _ALIGNMENT else None

    def _score_column_data(self, row: CommuneStatus, role: int) -> Any:
        return self._score_data(row.score, role, provisional=row.provisional, level_id=row.level)

    def _section_data(self, section_id: str, row: CommuneStatus, role: int) -> Any:
        return self._score_data(_section_score(section_id, row), role, provisional=row.provisional)

    def _level_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            label = self.level_label(row.level)
            return label + (t(" (tạm tính)", " (provisional)") if row.provisional and label else "")
        if row.level and role in (_BACKGROUND, _FOREGROUND):
            color = self.levels.get(row.level, ("", "", "#777777"))[2]
            return qcolor(color) if role == _BACKGROUND else qcolor(readable_on(color))
        return None

    def _critical_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            return "" if row.critical_failed is None else str(row.critical_failed)
        if role == _ALIGNMENT:
            return _ALIGN_CENTER
        if role == _FOREGROUND and row.critical_failed:
            return qcolor("#b71c1c")
        return None

    def _signature_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            return signature_label(row.signature)
        if role == _FOREGROUND and row.signature:
            return qcolor(SIGNATURE_COLORS.get(row.signature, "#000000"))
        return None

    def _cycle_data(self, row: CommuneStatus, role: int) -> Any:
        cycle = row.cycle
        if cycle is None:
            return None
        if role == _DISPLAY:
            return cycle_text(cycle)
        if role in (_FOREGROUND, _BACKGROUND):
            key = cycle.timeliness if cycle.state == "held" and cycle.timeliness else cycle.state
            fg, bg = CYCLE_COLORS.get(key, ("#000000", "#ffffff"))
            return qcolor(fg if role == _FOREGROUND else bg)
        if role == _TOOLTIP:
            return cycle.describe()
        return None

    def _held_data(self, row: CommuneStatus, role: int) -> Any:
        if not row.held:
            return None
        if role == _DISPLAY:
            newest = max(row.held, key=lambda h: (h.revision, h.id))
            more = len(row.held) - 1
            return held_text(newest.revision, newest.reason_code) + (f" (+{more})" if more else "")
        if role in (_FOREGROUND, _BACKGROUND):
            return qcolor(HELD_COLORS[0] if role == _FOREGROUND else HELD_COLORS[1])
        if role == _TOOLTIP:
            return "\n".join(f"{t('Lần', 'Rev.')} {h.revision} ({h.file_name}): {h.reason}" for h in row.held)
        return None

    def _state_data(self, row: CommuneStatus, role: int) -> Any:
        if role == _DISPLAY:
            text = state_label(row.state)
            if row.has_newer_draft:
                text += t(" · đang sửa", " · being corrected")
            if row.held:
                newest = max(h.revision for h in row.held)
                text += t(f" · giữ lại lần {newest}", f" · rev. {newest} held")
            return text
        if role in (_FOREGROUND, _BACKGROUND):
            fg, bg = STATE_COLORS.get(row.state, ("#000000", "#ffffff"))
            return qcolor(fg if role == _FOREGROUND else bg)
        if role == _TOOLTIP:
            parts = [state_label(row.state)]
            if row.state == "outdated" and row.checklist_version:
                parts.append(t(f"bảng kiểm phiên bản {row.checklist_version}", f"checklist version {row.checklist_version}"))
            if row.has_newer_draft:
                parts.append(t("xã đang sửa một lần mới (bản nháp)", "a newer revision is being drafted"))
            for held in row.held:
                parts.append(t(f"lần {held.revision} bị giữ lại: {held.reason}",
                               f"revision {held.revision} held: {held.reason}"))
            if row.submitted_at:
                parts.append(t("hoàn thành ", "finalized ") + row.submitted_at.astimezone().strftime("%d/%m/%Y %H:%M"))
            return "; ".join(parts)
        return None

    def _score_data(self, value: float | None, role: int, *, provisional: bool = False,
                    level_id: str | None = None) -> Any:
        """A score cell: the level's colours where the row's level is shown beside it, else the number's band."""
        if role == _DISPLAY:
            return "" if value is None else score_text(value, fixed=True)
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT
        if role in (_FOREGROUND, _BACKGROUND):
            key = (value, level_id)
            colors = self._score_colours.get(key, _UNSET)
            if colors is _UNSET:  # one per score and level: a score's band is worked out once per report
                colors = self._score_colours[key] = score_colors(self.checklist, value, level_id)
            if colors is None:
                return None
            return colors[0] if role == _FOREGROUND else colors[1]
        if role == _FONT and provisional and value is not None:
            return italic_font()
        if role == _TOOLTIP and provisional and value is not None:
            return t("Tạm tính từ bản nháp", "Provisional: scored from a draft")
        return None


def _section_score(section_id: str, row: CommuneStatus) -> float | None:
    return (row.section_scores or {}).get(section_id)


def _no_value(_row: Any) -> None:
    return None


def commune_sort_key(name: str, kind: str | None = None, code: str = "") -> tuple:
    """The register's order (:func:`readiness.register.sort_communes`): the name without its unit type, then the type."""
    if kind is None:
        from ...department.status import KINDS

        kind = next((k for k in KINDS if name.startswith(k + " ")), "")
    bare = name[len(kind) + 1:] if kind and name.startswith(kind + " ") else name
    return (sort_key(bare), sort_key(kind), code)


def _short(title: str, limit: int = 26) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


class ProvinceRollupModel(_TableModel):
    """«Theo tỉnh, thành phố»: one row per province of a scope that spans provinces
    (:func:`readiness.department.rollup.province_rollup`): expected, received, share, mean score, each level."""

    NAME, EXPECTED, RECEIVED, SHARE, MEAN = range(5)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.levels: list[tuple[str, str, str]] = []  # (id, label, colour)
        self.checklist: Checklist | None = None

    def set_rollup(self, rows: Sequence[Any], levels: Sequence[Any], checklist: Checklist | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.levels = [(level.id, level.label, level.color) for level in levels]
        self.checklist = checklist
        self.endResetModel()

    def make_headers(self) -> list[str]:
        labels = []
        for level_id, label, _colour in self.levels:
            if self.checklist is not None and lang() == "en":
                try:
                    label = self.checklist.level(level_id).label.get("en")
                except KeyError:
                    pass
            labels.append(label)
        return [t("Tỉnh, thành phố", "Province"), t("Phải nộp", "Expected"), t("Đã nhận", "Received"),
                t("Tỷ lệ", "Share"), t("Điểm bình quân", "Mean score"), *labels]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return row
        if role == SEARCH_ROLE:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return t(f"{row.name}: nhấp đúp để xem các xã của tỉnh trong bảng «Theo xã»",
                     f"{row.name}: double-click to see its communes in the «By commune» table")
        if column == self.NAME:
            return row.short_name if role == Qt.ItemDataRole.DisplayRole else (
                sort_key(row.short_name) if role == SORT_ROLE else None)
        if column == self.MEAN:
            if role == Qt.ItemDataRole.DisplayRole:
                return "—" if row.mean_score is None else score_text(row.mean_score, fixed=True)
            if role == SORT_ROLE:
                return row.mean_score
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN_RIGHT
            if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole) and row.mean_score is not None:
                colors = score_colors(self.checklist, row.mean_score, None)
                return None if colors is None else colors[0] if role == Qt.ItemDataRole.ForegroundRole else colors[1]
            return None
        if column == self.SHARE:
            if role == Qt.ItemDataRole.DisplayRole:
                from ...numbers import share as share_words

                return share_words(row.share, lang()) if row.expected else "—"
            if role == SORT_ROLE:
                return row.share
            return _ALIGN_RIGHT if role == Qt.ItemDataRole.TextAlignmentRole else None
        if column in (self.EXPECTED, self.RECEIVED):
            value = row.expected if column == self.EXPECTED else row.received
        else:
            value = row.levels.get(self.levels[column - 5][0], 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return number_text(value)
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT
        return None


class ProvinceRollupProxy(_SortFilterProxy):
    pass


class StatusProxy(_SortFilterProxy):
    pass


# == petitions ==============================================================================================


class PetitionsModel(_TableModel):
    COMMUNE, PERIOD, TOPIC, DIFFICULTY, PROPOSAL, ADDRESSED, STATUS, FORWARDED, REF = range(9)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Petition] = []
        self._name_keys: dict[str, tuple] = {}
        self._places: dict[str, str] = {}  # commune code -> «Thanh Hóa», when the petitions span provinces

    def make_headers(self) -> list[str]:
        return [t("Xã, phường", "Commune"), t("Kỳ", "Period"), t("Lĩnh vực", "Topic"), t("Khó khăn", "Difficulty"),
                t("Đề xuất", "Proposal"), t("Kính gửi", "Addressed to"), t("Trạng thái", "Status"),
                t("Chuyển đến", "Forwarded to"), t("Văn bản trả lời", "Response reference")]

    def set_petitions(self, petitions: Sequence[Petition]) -> None:
        self.beginResetModel()
        self._rows = list(petitions)
        self._name_keys = {p.commune_code: commune_sort_key(p.commune_name, None, p.commune_code) for p in self._rows}
        # Petitions of several provinces: a name alone is told apart by its province («Xã Ba Đình (Thanh Hóa)»).
        from ...register import province_name_of

        provinces = {p.commune_code: province_name_of(p.commune_code) or "" for p in self._rows}
        self._places = ({code: province_short(name) for code, name in provinces.items() if name}
                        if len(set(provinces.values())) > 1 else {})
        self.endResetModel()

    @property
    def petitions(self) -> list[Petition]:
        return self.in_given_order()

    def row_of(self, petition_id: int) -> int:
        return next((index for index, p in enumerate(self._rows) if p.id == petition_id), -1)

    def replace(self, petition: Petition) -> None:
        """One petition changed (saved): show its new state."""
        row = self.row_of(petition.id)
        if row < 0:
            return
        self._rows[row] = petition
        self.row_changed(row)

    def commune_text(self, p: Petition) -> str:
        place = self._places.get(p.commune_code)
        return f"{p.commune_name} ({place})" if place else p.commune_name

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        p = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return p
        if role == KEY_ROLE:
            return p.status
        if role == SEARCH_ROLE:
            return " ".join(x or "" for x in (self.commune_text(p), p.commune_code, p.topic_label, p.difficulty, p.proposal,
                                              p.addressed_to, p.forwarded_to, p.response, p.response_ref))
        values = {
            self.COMMUNE: self.commune_text(p), self.PERIOD: period_text(p.period), self.TOPIC: p.topic_label or "",
            self.DIFFICULTY: p.difficulty or "", self.PROPOSAL: p.proposal or "", self.ADDRESSED: p.addressed_to or "",
            self.STATUS: petition_status_label(p.status), self.FORWARDED: p.forwarded_to or "",
            self.REF: p.response_ref or "",
        }
        if role == Qt.ItemDataRole.DisplayRole:
            text = values.get(column, "")
            return text.replace("\n", " ")
        if role == SORT_ROLE:
            if column == self.COMMUNE:
                return (self._name_keys.get(p.commune_code) or commune_sort_key(p.commune_name), p.period, p.position)
            if column == self.PERIOD:
                return p.period
            if column == self.STATUS:
                from ...department.petitions import STATUSES

                return STATUSES.index(p.status) if p.status in STATUSES else 99
            text = values.get(column, "")
            return sort_key(text) if text else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (self.DIFFICULTY, self.PROPOSAL, self.TOPIC, self.ADDRESSED, self.REF, self.FORWARDED):
                text = values.get(column, "")
                return text or None
            if column == self.STATUS:
                return p.resolution
            if column == self.COMMUNE:
                return f"{self.commune_text(p)} — {p.commune_code}"
            return None
        if column == self.STATUS and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            fg, bg = PETITION_COLORS.get(p.status, ("#000000", "#ffffff"))
            return QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        return None


class PetitionsProxy(_SortFilterProxy):
    """Status and words (the base), and the petitions tab's topic, addressee and commune filters."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.topic: str | None = None
        self.addressee: str | None = None
        self.commune: str | None = None

    def set_filters(self, *, topic: str | None = None, addressee: str | None = None, commune: str | None = None) -> None:
        if (topic, addressee, commune) != (self.topic, self.addressee, self.commune):
            self._begin()
            self.topic, self.addressee, self.commune = topic, addressee, commune
            self._end()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.topic or self.addressee or self.commune:
            petition = self.sourceModel().index(source_row, 0, source_parent).data(OBJECT_ROLE)
            if petition is None:
                return False
            if self.topic and petition.topic != self.topic:
                return False
            if self.commune and petition.commune_code != self.commune:
                return False
            if self.addressee:
                from ..operations.department import addressed_matches

                if not addressed_matches(self.addressee, petition.addressed_to):
                    return False
        return super().filterAcceptsRow(source_row, source_parent)


# == trend =================================================================================================


class TrendPointsModel(_TableModel):
    """One row per period of a trend: received, score, level (or counts per level), on time, section scores."""

    PERIOD, RECEIVED, SCORE, LEVEL, ON_TIME = range(5)
    FIXED = 5

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Any] = []
        self.trend: Trend | None = None
        self.checklist: Checklist | None = None
        self.sections: list[tuple[str, str]] = []
        self.levels: dict[str, tuple[str, str, str]] = {}
        self._section_en: dict[str, str] = {}
        self._section_numbers: dict[str, int] = {}

    def set_trend(self, trend: Trend | None, checklist: Checklist | None) -> None:
        self.beginResetModel()
        self.trend = trend
        self.checklist = checklist
        self._rows = list(trend.points) if trend else []
        self.sections = []
        self.levels = {}
        self._section_en = {}
        if checklist is not None:
            from ...department.consolidate import criteria_of

            sections, _criteria = criteria_of(checklist)
            self.sections = [(s.id, s.title) for s in sections]
            self._section_numbers = {s.id: s.number for s in sections}
            self._section_en = {s.id: checklist.section(s.id).title.en or s.title for s in sections}
            self.levels = {level.id: (level.label.vi, level.label.en or level.label.vi, level.color)
                           for level in checklist.levels}
        self.endResetModel()

    @property
    def is_commune(self) -> bool:
        return bool(self.trend and self.trend.commune is not None)

    def make_headers(self) -> list[str]:
        fixed = [t("Kỳ", "Period"), t("Số xã đã nộp", "Received"),
                 t("Điểm", "Score") if self.is_commune else t("Điểm bình quân (mọi xã đã nộp)",
                                                              "Average (every commune that reported)"),
                 t("Mức", "Level") if self.is_commune else t("Số xã theo mức", "Communes per level"),
                 t("Thời hạn", "Deadline") if self.is_commune else t("Nộp đúng hạn", "On time")]
        return fixed + [_short(f"{self._section_numbers.get(sid, '')}. "
                               + (self._section_en.get(sid, title) if lang() == "en" else title))
                        for sid, title in self.sections]

    def header_tip(self, section: int) -> str | None:
        if section >= self.FIXED:
            sid, title = self.sections[section - self.FIXED]
            return self._section_en.get(sid, title) if lang() == "en" else title
        if section == self.ON_TIME:
            return t("Số xã gửi đúng hạn trên số xã phải nộp (tỷ lệ nộp đúng hạn); «—»: kỳ chưa đặt hạn nộp",
                     "Communes on time out of those expected (reporting rate on time); “—”: no deadline set")
        return None

    def _on_time_data(self, point: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if point.deadline is None:
                return "—"
            if self.is_commune:
                return t("Đúng hạn", "On time") if point.on_time else t("Sau hạn", "Late") if point.late else ""
            rate = point.on_time_rate
            share = f" ({score_text(rate * 100)}%)" if rate is not None else ""
            return f"{point.on_time}/{point.expected}{share}"
        if role == SORT_ROLE:
            return point.on_time_rate
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and point.deadline is not None:
            received = f"{point.received}/{point.expected}"
            return t(f"Hạn nộp {point.deadline:%d/%m/%Y}; đã nhận {received}; đúng hạn {point.on_time}, sau hạn "
                     f"{point.late}", f"Deadline {point.deadline:%d/%m/%Y}; received {received}; on time "
                     f"{point.on_time}, late {point.late}")
        if self.is_commune and point.deadline is not None and role in (Qt.ItemDataRole.ForegroundRole,
                                                                        Qt.ItemDataRole.BackgroundRole):
            fg, bg = CYCLE_COLORS["on_time" if point.on_time else "late"]
            return QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        return None

    def _level(self, level_id: str) -> tuple[str, str]:
        vi, en, color = self.levels.get(level_id, (level_id, level_id, "#777777"))
        return (en if lang() == "en" else vi), color

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        point = self._rows[index.row()]
        column = index.column()
        display = role == Qt.ItemDataRole.DisplayRole
        if role == OBJECT_ROLE:
            return point
        if column == self.PERIOD:
            return period_text(point.period) if display else point.period if role == SORT_ROLE else None
        if column == self.RECEIVED:
            if display:
                return number_text(point.received)
            if role == SORT_ROLE:
                return point.received
            return _ALIGN_RIGHT if role == Qt.ItemDataRole.TextAlignmentRole else None
        if column == self.SCORE:
            if display:
                return score_text(point.score, fixed=True)
            if role == SORT_ROLE:
                return point.score
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN_RIGHT
            colors = score_colors(self.checklist, point.score, point.level if self.is_commune else None)
            if colors and role == Qt.ItemDataRole.BackgroundRole:
                return colors[1]
            if colors and role == Qt.ItemDataRole.ForegroundRole:
                return colors[0]
            return None
        if column == self.LEVEL:
            if self.is_commune:
                label, color = self._level(point.level or "")
                if display:
                    return label if point.level else ""
                if point.level and role == Qt.ItemDataRole.BackgroundRole:
                    return QColor(color)
                if point.level and role == Qt.ItemDataRole.ForegroundRole:
                    return QColor(readable_on(color))
                return None
            if display:
                return "; ".join(f"{self._level(level_id)[0]}: {point.level_counts.get(level_id, 0)}"
                                 for level_id in self.levels)
            return None
        if column == self.ON_TIME:
            return self._on_time_data(point, role)
        if self.FIXED <= column < self.FIXED + len(self.sections):
            value = point.section_scores.get(self.sections[column - self.FIXED][0])
            if display:
                return score_text(value, fixed=True) if value is not None else ""
            if role == SORT_ROLE:
                return value
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN_RIGHT
            colors = score_colors(self.checklist, value)
            if colors and role == Qt.ItemDataRole.BackgroundRole:
                return colors[1]
            if colors and role == Qt.ItemDataRole.ForegroundRole:
                return colors[0]
        return None


TableModel = _TableModel  # for the models of the other tabs (needs_models)
SortFilterProxy = _SortFilterProxy
ALIGN_RIGHT = _ALIGN_RIGHT
