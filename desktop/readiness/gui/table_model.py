"""A Qt table model over one table item of an assessment.

:class:`TableItemModel` is a thin adapter: rows are ``ops.rows(item.id)``, columns
are ``item.columns``, and every edit goes through :class:`readiness.gui.operations.AssessmentOps`
(coerced, checked and saved at once by the core).  A value the core refuses is not kept: the cell keeps its
old value, and the refusal is remembered per cell (row id, column id) and shown as a red tint,
a tooltip and :data:`ErrorRole` until the cell is saved successfully.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..answers import AnswerError, Row, describe
from ..checklist.model import Column, Item, ItemType
from ..measurement import automatic_source, row_mark
from .i18n import lang, language, t

if TYPE_CHECKING:
    from .operations import AssessmentOps, Changes

ErrorRole = Qt.ItemDataRole.UserRole + 1  # str | None: why the last value typed here was refused
ColumnRole = Qt.ItemDataRole.UserRole + 2  # the checklist Column of the cell
SourceRole = Qt.ItemDataRole.UserRole + 3  # the row's source ("typed", "probe", "import", ...)
MissingRole = Qt.ItemDataRole.UserRole + 4  # bool: a required cell left empty

ERROR_BACKGROUND = QColor("#fde0dd")
ERROR_FOREGROUND = QColor("#a50e0e")
MISSING_BACKGROUND = QColor("#fff5d6")
CHANGED_BACKGROUND = QColor("#ddebf7")  # differs from the previous period (also a row new since then)
ChangedRole = Qt.ItemDataRole.UserRole + 5  # str | None: "Kỳ 10/2026: 16 GB" / "Dòng mới so với kỳ 10/2026"
_NEW = object()  # a row that the previous period did not have

_NUMERIC = (ItemType.INTEGER, ItemType.DECIMAL)
_Index = QModelIndex | QPersistentModelIndex


class CellProblem:
    """A refused value: the core's error plus where it happened."""

    __slots__ = ("code", "message", "message_en")

    def __init__(self, code: str, message: str, message_en: str = ""):
        self.code = code
        self.message = message
        self.message_en = message_en or message

    @classmethod
    def of(cls, error: AnswerError) -> CellProblem:
        return cls(error.code, error.message, getattr(error, "message_en", "") or error.message)

    def text(self, language_code: str | None = None) -> str:
        return self.message_en if (language_code or lang()) == "en" else self.message


def column_title(column: Column, language_code: str | None = None, *, marker: bool = True) -> str:
    """A header: "RAM (GB)", "Người dùng *" (the star marks a required column)."""
    code = language_code or lang()
    text = column.label.get(code)
    if column.unit:
        text = f"{text} ({column.unit})"
    if marker and column.required:
        text += " *"
    return text


def to_qt(column: Column, value: Any) -> Any:
    """A stored value as an editor takes it (dates become QDate)."""
    if value is None:
        return None
    if column.type is ItemType.DATE and isinstance(value, dt.date):
        return QDate(value.year, value.month, value.day)
    if column.type is ItemType.MULTI_CHOICE:
        return list(value)
    return value


def from_qt(column: Column, value: Any) -> Any:
    """What an editor hands back, as raw input for the core (which coerces and checks it)."""
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day()) if value.isValid() and not value.isNull() else None
    if isinstance(value, tuple):
        return list(value)
    return value


class TableItemModel(QAbstractTableModel):
    """The rows of one table item of an assessment, read and saved through its :class:`AssessmentOps`."""

    cellError = Signal(int, int, str)  # row, column, message (current language) of a refused value
    errorsChanged = Signal()  # a refusal was recorded or cleared
    saved = Signal()  # something was written to the database (edit, add, duplicate, remove)

    def __init__(self, ops: AssessmentOps, item: Item, parent: Any = None):
        super().__init__(parent)
        if item.type is not ItemType.TABLE or not item.columns:
            raise ValueError(f"{item.id} is not a table item")
        self.ops = ops
        self.item = item
        self.columns: list[Column] = list(item.columns)
        self._rows: list[Row] = ops.rows(item.id)
        self._errors: dict[tuple[int | None, str], CellProblem] = {}
        self._probe_icon: QIcon | None = None
        self._seen_review: object | None = None
        self._before: dict[tuple[int, str], Any] = {}  # (row id, column id) -> last period's value, or _NEW
        self._since = ""
        language().changed.connect(self._relabel)
        ops.changed.connect(self._changed_elsewhere)

    # -- shape -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    # -- lookups ---------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return bool(self.ops.editable)

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row(self, row: int) -> Row:
        return self._rows[row]

    def column(self, column: int) -> Column:
        return self.columns[column]

    def column_index(self, column_id: str) -> int:
        for position, column in enumerate(self.columns):
            if column.id == column_id:
                return position
        raise KeyError(column_id)

    def row_index(self, row_id: int | None) -> int:
        for position, row in enumerate(self._rows):
            if row.id == row_id:
                return position
        raise KeyError(row_id)

    def value(self, row: int, column: int) -> Any:
        return self._rows[row].values.get(self.columns[column].id)

    def row_has_data(self, row: int) -> bool:
        return any(v is not None for v in self._rows[row].values.values())

    def error(self, row: int, column: int) -> CellProblem | None:
        if not (0 <= row < len(self._rows) and 0 <= column < len(self.columns)):
            return None
        return self._errors.get((self._rows[row].id, self.columns[column].id))

    def errors(self) -> list[tuple[int, int, CellProblem]]:
        """Refused values in table order: (row, column, problem)."""
        found = []
        for r, row in enumerate(self._rows):
            for c, column in enumerate(self.columns):
                problem = self._errors.get((row.id, column.id))
                if problem is not None:
                    found.append((r, c, problem))
        return found

    def error_text(self, row: int, column: int, problem: CellProblem | None = None) -> str:
        """ "Dòng 2, RAM: Giá trị lớn nhất là 1024 GB." """
        problem = problem or self.error(row, column)
        if problem is None:
            return ""
        label = self.columns[column].label.get(lang())
        return t(f"Dòng {row + 1}, {label}: ", f"Row {row + 1}, {label}: ") + problem.text()

    def changed_cells(self) -> dict[tuple[int, str], Any]:
        """(row id, column id) -> the previous period's value, for cells that differ from it (every
        cell of a row it did not have maps to a marker); read from the assessment's review."""
        review = self.ops.review()
        if review is not self._seen_review:
            self._seen_review = review
            self._before = {}
            change = review.changes.get(self.item.id)
            self._since = review.base.label if review.base is not None else ""
            for row_change in change.rows if change is not None else ():
                if row_change.row is None or row_change.row.id is None:
                    continue
                if row_change.before is None:
                    for column in self.columns:
                        self._before[(row_change.row.id, column.id)] = _NEW
                else:
                    for column_id in row_change.columns:
                        self._before[(row_change.row.id, column_id)] = row_change.before.values.get(column_id)
        return self._before

    def changed_text(self, row: Row, column: Column) -> str | None:
        """ "Kỳ 10/2026: 16 GB" for a cell that differs from the previous period."""
        cells = self.changed_cells()
        key = (row.id, column.id)
        if row.id is None or key not in cells:
            return None
        before = cells[key]
        if before is _NEW:
            return t(f"Dòng mới so với kỳ {self._since}", f"New row since {self._since}")
        shown = describe(column, before, lang()) if before is not None else t("trống", "empty")
        return t(f"Kỳ {self._since}: {shown}", f"{self._since}: {shown}")

    # -- data ------------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        value = row.values.get(column.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(column, value, lang())
        if role == Qt.ItemDataRole.EditRole:
            return to_qt(column, value)
        problem = self._errors.get((row.id, column.id))
        missing = value is None and column.required
        if role == ErrorRole:
            return problem.text() if problem else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem.text()
            if missing:
                return t("Cột bắt buộc: hãy nhập «{}».", "Required: please fill in '{}'.").format(column.label.get(lang()))
            text = describe(column, value, lang())
            changed = self.changed_text(row, column)
            if changed:
                return f"{text}\n{changed}" if text else changed
            return text if len(text) > 30 else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return ERROR_BACKGROUND
            if missing:
                return MISSING_BACKGROUND
            if (row.id, column.id) in self.changed_cells():
                return CHANGED_BACKGROUND
            return None
        if role == ChangedRole:
            return self.changed_text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return ERROR_FOREGROUND if problem else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.type in _NUMERIC:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            if column.type in (ItemType.DATE, ItemType.YES_NO):
                return Qt.AlignmentFlag.AlignCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == ColumnRole:
            return column
        if role == SourceRole:
            return row.source
        if role == MissingRole:
            return missing
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column_title(column)
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [column.label.get(lang())]
                if column.hint:
                    parts.append(column.hint.get(lang()))
                if column.required:
                    parts.append(t("* Bắt buộc nhập.", "* Required."))
                return "\n".join(parts)
            if role == ColumnRole:
                return column
            return None
        if not 0 <= section < len(self._rows):
            return None
        row = self._rows[section]
        probe = automatic_source(row.source, row.meta) == "probe"  # also when carried from an earlier period
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        if role == Qt.ItemDataRole.DecorationRole and probe:
            return self._icon()
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = row_mark(row, lang()) if probe else None
            if mark:  # "Tự nhận diện lúc 10:42 ngày 24/10/2026 (máy: PC-01); mang sang từ kỳ 10/2026"
                return t("Dòng {}: ", "Row {}: ").format(section + 1) + mark[:1].lower() + mark[1:]
            return t("Dòng {}", "Row {}").format(section + 1)
        if role == SourceRole:
            return row.source
        return None

    def _icon(self) -> QIcon | None:
        if self._probe_icon is None:
            app = QApplication.instance()
            if not isinstance(app, QApplication):
                return None
            self._probe_icon = app.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        return self._probe_icon

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- editing ---------------------------------------------------------------------------
    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        if index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return False
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        key = (row.id, column.id)
        raw = from_qt(column, value)
        if key not in self._errors and _same(raw, row.values.get(column.id)):
            return True  # nothing changed: no write
        refusal = self.ops.set_cell(self.item.id, row.stored_id, column.id, raw, initiator=self)
        if refusal is not None:
            problem = CellProblem.of(refusal)
            self._errors[key] = problem
            self._cell_changed(index)
            self.cellError.emit(index.row(), index.column(), problem.text())
            self.errorsChanged.emit()
            return False
        # The core updated the Row object in place; pick it up again in case it was replaced.
        self._sync_row(index.row(), row.id)
        had_error = self._errors.pop(key, None) is not None
        self._cell_changed(index)
        if had_error:
            self.errorsChanged.emit()
        self.saved.emit()
        return True

    def clear_cells(self, indexes: Iterable[_Index]) -> int:
        """Empty cells (the Delete key); returns how many were saved."""
        done = 0
        for index in list(indexes):
            if index.isValid() and self.value(index.row(), index.column()) is not None:
                done += bool(self.setData(self.index(index.row(), index.column()), None))
        return done

    def _cell_changed(self, index: _Index) -> None:
        top_left = self.index(index.row(), index.column())
        self.dataChanged.emit(top_left, top_left, [])

    def _sync_row(self, position: int, row_id: int | None) -> None:
        for fresh in self.ops.rows(self.item.id):
            if fresh.id == row_id:
                self._rows[position] = fresh
                return

    # -- rows ------------------------------------------------------------------------------
    def add_row(self, after: int | None = None, values: Mapping[str, Any] | None = None, *, source: str = "typed",
                meta: Mapping[str, Any] | None = None) -> Row:
        """Insert a row after row ``after`` (append when None); returns the stored row.

        Cells in ``values`` the core refuses are left empty and flagged as refused values (so a
        probe that read one odd value still fills the rest).  Raises AnswerError (a full table, a
        finalized assessment).
        """
        after_id = self._rows[after].id if after is not None and 0 <= after < len(self._rows) else None
        saved = self.ops.add_row(self.item.id, values, source=source, meta=meta, after_row=after_id, initiator=self)
        new = saved.row
        for column_id, error in saved.refused.items():
            self._errors[(new.id, column_id)] = CellProblem.of(error)
        self._insert_fresh(new.id)
        if saved.refused:
            self.errorsChanged.emit()
        self.saved.emit()
        return self._rows[self.row_index(new.id)]

    def duplicate_row(self, row: int) -> Row:
        """A copy of row ``row`` inserted just below it; raises AnswerError (a full table)."""
        new = self.ops.duplicate_row(self.item.id, self._rows[row].stored_id, initiator=self)
        self._insert_fresh(new.id)
        self.saved.emit()
        return self._rows[self.row_index(new.id)]

    def remove_rows(self, rows: Iterable[int]) -> int:
        """Delete rows (by position); returns how many were removed.  Raises AnswerError when the
        core refused one (the rows before it are removed)."""
        positions = sorted({r for r in rows if 0 <= r < len(self._rows)}, reverse=True)

        def deleted(row_id: int) -> None:
            position = self.row_index(row_id)
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            for key in [k for k in self._errors if k[0] == row_id]:
                del self._errors[key]
            self.endRemoveRows()

        removed, refusal = self.ops.delete_rows(self.item.id, [self._rows[p].stored_id for p in positions], initiator=self,
                                                deleted=deleted)
        if removed:
            self._resync()
            self.errorsChanged.emit()
            self.saved.emit()
        if refusal is not None:
            raise refusal
        return removed

    def _insert_fresh(self, new_id: int | None) -> None:
        fresh = self.ops.rows(self.item.id)
        old_ids = [r.id for r in self._rows]
        fresh_ids = [r.id for r in fresh]
        if new_id in fresh_ids and [i for i in fresh_ids if i != new_id] == old_ids:
            position = fresh_ids.index(new_id)
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows = fresh
            self.endInsertRows()
            if position < len(self._rows) - 1:  # row numbers below it moved
                self.headerDataChanged.emit(Qt.Orientation.Vertical, position, len(self._rows) - 1)
        else:
            self.refresh()

    def _resync(self) -> None:
        """Take the core's Row objects (same ids and order) without a reset."""
        fresh = self.ops.rows(self.item.id)
        if [r.id for r in fresh] == [r.id for r in self._rows]:
            self._rows = fresh
            if self._rows:
                self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)
        else:
            self.refresh()

    def refresh(self) -> None:
        """Reload the rows (after a change made elsewhere)."""
        self.beginResetModel()
        self._rows = self.ops.rows(self.item.id)
        alive = {r.id for r in self._rows}
        had = len(self._errors)
        self._errors = {k: v for k, v in self._errors.items() if k[0] in alive}
        self.endResetModel()
        if len(self._errors) != had:
            self.errorsChanged.emit()

    def _changed_elsewhere(self, changes: Changes) -> None:
        """Another part of the window (a probe) changed this table: show it, with its refused cells."""
        if changes.initiator is self or not changes.touches(self.item.id):
            return
        self.refresh()
        alive = {row.id for row in self._rows}
        marked = False
        for row_id, cells in changes.refused.items():
            if row_id in alive:
                for column_id, error in cells.items():
                    self._errors[(row_id, column_id)] = CellProblem.of(error)
                    marked = True
        if marked:
            self.errorsChanged.emit()

    # -- language --------------------------------------------------------------------------
    def _relabel(self, _code: str = "") -> None:
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1), [])
        if self._errors:
            self.errorsChanged.emit()


def _same(raw: Any, current: Any) -> bool:
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return current is None
    if isinstance(raw, bool) or isinstance(current, bool):
        return type(raw) is type(current) and raw == current
    if isinstance(raw, str) and not isinstance(current, str):
        return False
    return bool(raw == current)
