"""The editor of one table item (the list of computers, of scanners, of difficulties...).

A :class:`TableEditor` is a table on :class:`~readiness.gui.table_model.TableItemModel` with a
typed editor for each kind of column, buttons with words on them (add, duplicate, remove), and a
line under the table that says in plain words which value was refused and why.  Every edit is
saved at once through :class:`~readiness.gui.operations.AssessmentOps`, which tells the window to re-score.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDate, QEvent, QLocale, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..answers import MAX_TEXT, AnswerError, Row, format_number
from ..numbers import is_plain
from ..checklist.model import Column, Item, ItemType
from .i18n import lang, language, t
from .table_model import ColumnRole, TableItemModel, column_title

if TYPE_CHECKING:
    from .operations import AssessmentOps

log = logging.getLogger(__name__)
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
_INT_LIMIT = 999_999_999
_DEC_LIMIT = 1e12
_VISIBLE_ROWS = 6  # the table is never shorter than this many rows


# -- cell editors ------------------------------------------------------------------------------


class _DecimalSpinBox(QDoubleSpinBox):
    """A decimal box that takes "7,5" and "7.5" alike (grouping is never shown, so "." is a decimal mark)."""

    def validate(self, text: str, pos: int) -> Any:
        return super().validate(self._normal(text), pos)

    def valueFromText(self, text: str) -> float:
        return super().valueFromText(self._normal(text))

    def fixup(self, text: str) -> str:
        return super().fixup(self._normal(text))

    def textFromValue(self, value: float) -> str:
        """ "7,5" rather than "7,50"; "8" rather than "8,00"."""
        text = super().textFromValue(value)
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def _normal(self, text: str) -> str:
        return text.replace(".", self.locale().decimalPoint())


class _DateEdit(QDateEdit):
    """A date box; ``touched`` says whether the person changed or confirmed the date."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.touched = False
        self.dateChanged.connect(self._touch)

    def _touch(self, *_: Any) -> None:
        self.touched = True


class MultiChoiceEditor(QListWidget):
    """A list of check boxes, one for each choice (opens over the cells below the one edited)."""

    def __init__(self, column: Column, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("multiChoiceEditor")
        self.setToolTip(t("Đánh dấu các lựa chọn (bấm chuột hoặc phím cách), rồi bấm Enter.",
                          "Tick the choices (click or Space), then press Enter."))
        line_height = max(self.fontMetrics().height() + 10, 24)
        for choice in column.choices or ():
            entry = QListWidgetItem(choice.label.get(lang()), self)
            entry.setSizeHint(QSize(self.fontMetrics().horizontalAdvance(entry.text()) + 40, line_height))
            entry.setData(Qt.ItemDataRole.UserRole, choice.id)
            # Not "user checkable": a click anywhere on the line (not only on the small box) ticks it.
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            entry.setCheckState(Qt.CheckState.Unchecked)
        self.itemClicked.connect(self.toggle)
        self.setFrameShape(QListWidget.Shape.Box)

    @staticmethod
    def toggle(entry: QListWidgetItem) -> None:
        entry.setCheckState(Qt.CheckState.Unchecked if entry.checkState() == Qt.CheckState.Checked
                            else Qt.CheckState.Checked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentItem() is not None:
            self.toggle(self.currentItem())
            return
        super().keyPressEvent(event)

    def set_values(self, values: list[str] | None) -> None:
        chosen = set(values or ())
        for position in range(self.count()):
            entry = self.item(position)
            entry.setCheckState(Qt.CheckState.Checked if entry.data(Qt.ItemDataRole.UserRole) in chosen
                                else Qt.CheckState.Unchecked)
        if self.count():
            self.setCurrentRow(0)

    def values(self) -> list[str]:
        return [self.item(p).data(Qt.ItemDataRole.UserRole) for p in range(self.count())
                if self.item(p).checkState() == Qt.CheckState.Checked]

    def sizeHint(self) -> QSize:
        height = sum(self.sizeHintForRow(p) for p in range(self.count())) + 2 * self.frameWidth() + 4
        return QSize(max(self.sizeHintForColumn(0) + 2 * self.frameWidth() + 8, 160), height)


class CellDelegate(QStyledItemDelegate):
    """Typed editors: lists for choices, number boxes with the unit, a calendar for dates."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        try:
            return self._create_editor(parent, index)
        except Exception:  # an exception escaping a Qt virtual would take the whole program down
            log.exception("no editor for cell %s,%s", index.row(), index.column())
            return QLineEdit(parent)

    def _create_editor(self, parent: QWidget, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        column: Column = index.data(ColumnRole)
        kind = column.type
        editor: QWidget
        if kind is ItemType.YES_NO:
            combo = QComboBox(parent)
            combo.addItem("", None)
            combo.addItem(t("Có", "Yes"), True)
            combo.addItem(t("Không", "No"), False)
            combo.activated.connect(lambda _=0, c=combo: self._commit_and_close(c))
            editor = combo
        elif kind is ItemType.SINGLE_CHOICE:
            combo = QComboBox(parent)
            combo.addItem("", None)
            for choice in column.choices or ():
                combo.addItem(choice.label.get(lang()), choice.id)
            combo.activated.connect(lambda _=0, c=combo: self._commit_and_close(c))
            editor = combo
        elif kind is ItemType.MULTI_CHOICE:
            editor = MultiChoiceEditor(column, parent)
        elif kind is ItemType.INTEGER:
            spin = QSpinBox(parent)
            low = int(column.min) if column.min is not None else -_INT_LIMIT
            high = int(column.max) if column.max is not None else _INT_LIMIT
            spin.setRange(low - 1, high)  # one below the minimum stands for "empty"
            self._number_box(spin, column, low, high)
            editor = spin
        elif kind is ItemType.DECIMAL:
            decimal_spin = _DecimalSpinBox(parent)
            decimal_spin.setDecimals(2)
            decimal_low = float(column.min) if column.min is not None else -_DEC_LIMIT
            decimal_high = float(column.max) if column.max is not None else _DEC_LIMIT
            decimal_spin.setRange(decimal_low - 1, decimal_high)
            self._number_box(decimal_spin, column, decimal_low, decimal_high)
            editor = decimal_spin
        elif kind is ItemType.DATE:
            date_edit = _DateEdit(parent)
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("dd/MM/yyyy")
            date_edit.setDateRange(QDate(1950, 1, 1), QDate(2100, 12, 31))
            date_edit.setLocale(VIETNAMESE if lang() == "vi" else QLocale(QLocale.Language.English))
            editor = date_edit
        else:
            line = QLineEdit(parent)
            line.setMaxLength(MAX_TEXT)
            editor = line
        hint = column.hint.get(lang()) if column.hint else ""
        if hint:
            editor.setToolTip(hint)
        editor.setAccessibleName(column.label.get(lang()))
        return editor

    @staticmethod
    def _number_box(spin: QSpinBox | QDoubleSpinBox, column: Column, low: float, high: float) -> None:
        spin.setLocale(VIETNAMESE)
        spin.setGroupSeparatorShown(False)
        # The value below the minimum means "empty" (a blank text would be trimmed by Qt and read as 0).
        spin.setSpecialValueText(t("(trống)", "(empty)"))
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.unit:
            spin.setSuffix(f" {column.unit}")
        if column.min is not None or column.max is not None:
            unit = f" {column.unit}" if column.unit else ""
            low_text = format_number(low, lang()) if column.min is not None else "…"
            high_text = format_number(high, lang()) if column.max is not None else "…"
            spin.setToolTip(t(f"Từ {low_text} đến {high_text}{unit}", f"From {low_text} to {high_text}{unit}"))

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            position = editor.findData(value) if value is not None else 0
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, MultiChoiceEditor):
            editor.set_values(value)
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.setValue(editor.minimum() if value is None else value)  # type: ignore[arg-type]  # an int for a QSpinBox
        elif isinstance(editor, _DateEdit):
            if isinstance(value, QDate) and value.isValid():
                editor.setDate(value)
            else:
                editor.setDate(QDate.currentDate())  # saved only if changed or confirmed with Enter
            editor.touched = False
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:  # pragma: no cover - every column type has an editor above
            super().setEditorData(editor, index)

    def editor_value(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> tuple[bool, Any]:
        """(whether to save, the value) for an open editor."""
        if isinstance(editor, QComboBox):
            return True, editor.currentData()
        if isinstance(editor, MultiChoiceEditor):
            return True, editor.values()
        if isinstance(editor, QSpinBox):
            return True, None if editor.value() == editor.minimum() else editor.value()
        if isinstance(editor, QDoubleSpinBox):
            return True, None if editor.value() <= editor.minimum() else editor.value()
        if isinstance(editor, _DateEdit):
            if not editor.touched and index.data(Qt.ItemDataRole.EditRole) is None:
                return False, None  # an empty cell opened and left without choosing a date
            return True, editor.date()
        if isinstance(editor, QLineEdit):
            return True, editor.text()
        return False, None

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QAbstractSpinBox):
            editor.interpretText()
        save, value = self.editor_value(editor, index)
        if save:
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, MultiChoiceEditor):
            hint = editor.sizeHint()
            rect = QRect(option.rect.topLeft(), QSize(max(option.rect.width(), hint.width()), hint.height()))
            parent = editor.parentWidget()
            area = parent.rect() if parent else rect
            if rect.bottom() > area.bottom():  # no room below: open upwards
                rect.moveBottom(option.rect.bottom())
            if rect.right() > area.right():
                rect.moveRight(area.right())
            editor.setGeometry(rect)
            return
        super().updateEditorGeometry(editor, option, index)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, _DateEdit):
            if cast(QKeyEvent, event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                editor.touched = True  # Enter confirms the date shown, even today's
        return super().eventFilter(editor, event)


# -- the table -----------------------------------------------------------------------------------


class TableView(QTableView):
    """Enter edits the current cell; Insert asks for a row; Delete removes rows or empties cells."""

    insertRequested = Signal()
    deleteRequested = Signal()
    resized = Signal()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
                if self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.EditKeyPressed, event):
                    return
            if key == Qt.Key.Key_Insert:
                self.insertRequested.emit()
                return
            if key == Qt.Key.Key_Delete or event.matches(QKeySequence.StandardKey.Delete):
                self.deleteRequested.emit()
                return
        super().keyPressEvent(event)


def confirm_with_dialog(parent: QWidget, title: str, text: str) -> bool:
    """Yes/No, "No" by default (the static call, as everywhere in the interface)."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class TableEditor(QWidget):
    """Edits one table item of an assessment; every change is saved at once.

    ``confirm(title, text) -> bool`` asks before a row with data is removed (tests replace it).
    """

    changed = Signal()

    def __init__(self, ops: AssessmentOps, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.item = item
        self.confirm: Callable[[str, str], bool] = lambda title, text: confirm_with_dialog(self, title, text)
        self._notice = ""  # a message that is not about a cell (a full table, a refused removal)

        self.model = TableItemModel(ops, item, self)
        self.delegate = CellDelegate(self)
        self.view = TableView(self)
        self.view.setObjectName("tableEditorView")
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setTabKeyNavigation(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setCornerButtonEnabled(False)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        vertical.setHighlightSections(False)
        vertical.setMinimumWidth(32)  # wide enough to click to select a whole row
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addRowButton")
        self.duplicate_button = QPushButton(self)
        self.duplicate_button.setObjectName("duplicateRowButton")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeRowButton")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("rowCountLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("tableMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setStyleSheet("QLabel#tableMessage { color: #a50e0e; }")
        self.message_label.hide()

        self.toolbar = bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 6, 0)
        bar.addWidget(self.add_button)
        bar.addWidget(self.duplicate_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message_label)

        self.add_button.clicked.connect(self._add_clicked)
        self.duplicate_button.clicked.connect(self._duplicate_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)
        self.view.resized.connect(self._fit_columns)
        self.view.insertRequested.connect(self._add_clicked)
        self.view.deleteRequested.connect(self._delete_pressed)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.saved.connect(self._saved)
        self.model.errorsChanged.connect(self._show_messages)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.rowsRemoved.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        language().changed.connect(self._relabel)
        self._relabel()

    # -- public API ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the rows (after a reopen)."""
        self.model.refresh()
        self._notice = ""
        self._update_editable()
        self._show_messages()
        self._fit_columns()

    def add_row(self, values: Mapping[str, Any] | None = None, source: str = "typed",
                meta: Mapping[str, Any] | None = None) -> Row:
        """Append a row (the probe calls this with ``source='probe'``) and select it.

        Values the core refuses are left empty and shown as refused; a full table or a finalized
        assessment raises AnswerError (also shown under the table).
        """
        try:
            row = self.model.add_row(None, values, source=source, meta=meta)
        except AnswerError as error:
            self._set_notice(error.message if lang() == "vi" else getattr(error, "message_en", error.message))
            raise
        position = self.model.row_index(row.id)
        self.view.setCurrentIndex(self.model.index(position, 0))
        self.view.scrollTo(self.model.index(position, 0))
        return row

    def focus_target(self) -> QWidget:
        """Where the cursor goes: «Thêm …» while the table is empty (Enter adds a row and edits its
        first cell), else the table."""
        if self.model.rowCount() == 0 and self.add_button.isEnabled():
            return self.add_button
        return self.view

    def add_tool(self, widget: QWidget) -> None:
        """Put a widget (a probe's "Nhận diện máy này" button) in the toolbar, after the row buttons."""
        self.toolbar.insertWidget(self.toolbar.indexOf(self.remove_button) + 1, widget)

    def current_row(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.view.selectionModel().selectedIndexes()}
        current = self.current_row()
        if not rows and current is not None:
            rows = {current}
        return sorted(rows)

    # -- actions ---------------------------------------------------------------------------
    def _add_clicked(self) -> None:
        if not self.model.editable:
            return
        try:
            row = self.add_row()
        except AnswerError:
            return
        index = self.model.index(self.model.row_index(row.id), 0)
        self.view.setFocus()
        self.view.edit(index)  # type straight away into the first cell

    def _duplicate_clicked(self) -> None:
        row = self.current_row()
        if row is None or not self.model.editable:
            return
        try:
            new = self.model.duplicate_row(row)
        except AnswerError as error:
            self._set_notice(error.message)
            return
        index = self.model.index(self.model.row_index(new.id), self.view.currentIndex().column())
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _remove_clicked(self) -> None:
        self.remove_rows(self.selected_rows())

    def _delete_pressed(self) -> None:
        """Delete: whole rows selected (row numbers clicked) are removed; otherwise cells are emptied."""
        if not self.model.editable:
            return
        selection = self.view.selectionModel()
        full = [r for r in range(self.model.rowCount()) if selection.isRowSelected(r, QModelIndex())]
        if full:
            self.remove_rows(full)
            return
        cells = [QPersistentModelIndex(i) for i in selection.selectedIndexes()] or (
            [QPersistentModelIndex(self.view.currentIndex())] if self.view.currentIndex().isValid() else [])
        self.model.clear_cells(QModelIndex(i) for i in cells)  # type: ignore[call-overload]  # Qt converts a persistent index

    def remove_rows(self, rows: list[int]) -> int:
        """Remove rows after asking (only when one of them holds data); returns how many went."""
        rows = sorted(r for r in set(rows) if 0 <= r < self.model.rowCount())
        if not rows or not self.model.editable:
            return 0
        if any(self.model.row_has_data(r) for r in rows):
            if len(rows) == 1:
                first = self.model.value(rows[0], 0)
                what = f" ({self.model.data(self.model.index(rows[0], 0))})" if first is not None else ""
                text = t(f"Xoá dòng {rows[0] + 1}{what}? Dữ liệu đã nhập ở dòng này sẽ mất.",
                         f"Remove row {rows[0] + 1}{what}? What was entered in it will be lost.")
            else:
                text = t(f"Xoá {len(rows)} dòng đã chọn? Dữ liệu đã nhập ở các dòng này sẽ mất.",
                         f"Remove the {len(rows)} selected rows? What was entered in them will be lost.")
            if not self.confirm(t("Xoá dòng", "Remove row"), text):
                return 0
        try:
            removed = self.model.remove_rows(rows)
        except AnswerError as error:
            self._set_notice(error.message)
            return 0
        if self.model.rowCount():
            target = min(rows[0], self.model.rowCount() - 1)
            column = max(self.view.currentIndex().column(), 0)
            self.view.setCurrentIndex(self.model.index(target, column))
        return removed

    # -- state -----------------------------------------------------------------------------
    def _saved(self) -> None:
        if self._notice:
            self._notice = ""
            self._show_messages()
        self._update_buttons()
        self.changed.emit()

    def _set_notice(self, text: str) -> None:
        self._notice = text
        self._show_messages()

    def _show_messages(self) -> None:
        lines = [self.model.error_text(r, c, problem) for r, c, problem in self.model.errors()]
        if len(lines) > 3:
            lines = lines[:3] + [t(f"… và {len(lines) - 3} lỗi khác (rê chuột lên ô tô đỏ để xem).",
                                   f"… and {len(lines) - 3} more (hover over the red cells).")]
        if self._notice:
            lines.insert(0, self._notice)
        self.message_label.setText("\n".join(lines))
        self.message_label.setVisible(bool(lines))

    def _update_editable(self) -> None:
        editable = self.model.editable
        self.view.setEditTriggers(
            (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
             | QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed)
            if editable else QAbstractItemView.EditTrigger.NoEditTriggers)
        self._update_buttons()
        self._update_count()

    def _update_buttons(self) -> None:
        editable = self.model.editable
        has_row = self.current_row() is not None and self.model.rowCount() > 0
        full = self.model.rowCount() >= self.item.max_rows
        self.add_button.setEnabled(editable and not full)
        self.duplicate_button.setEnabled(editable and has_row and not full)
        self.remove_button.setEnabled(editable and has_row)
        if not editable:
            why = t("Bản đánh giá đã hoàn thành nên không sửa được.", "This assessment is finalized and cannot be edited.")
        elif full:
            why = t(f"Bảng đã đủ {self.item.max_rows} dòng.", f"The table already has {self.item.max_rows} rows.")
        else:
            why = ""
        self.add_button.setToolTip(why or t("Thêm một dòng vào cuối bảng (phím Insert)", "Add a row at the end (Insert key)"))
        self.duplicate_button.setToolTip(why or t("Thêm một dòng giống hệt dòng đang chọn", "Add a copy of the selected row"))
        self.remove_button.setToolTip(why or t("Xoá dòng đang chọn (phím Delete khi chọn cả dòng)",
                                              "Remove the selected row (Delete key with whole rows selected)"))

    def _noun(self) -> str:
        """What one row is, in lower case: "máy tính" / "computer" (or "dòng" / "row")."""
        if self.item.row_label is None:
            return t("dòng", "row")
        text = self.item.row_label.get(lang()).strip()
        if len(text) > 1 and text[0].isupper() and not text[1].isupper():
            text = text[0].lower() + text[1:]
        return text

    def _update_count(self) -> None:
        count = self.model.rowCount()
        noun = self._noun()
        if lang() == "en" and count != 1 and not noun.endswith("s"):
            noun += "s"
        text = f"{count} {noun}"
        if not self.model.editable:
            text += t(" · chỉ xem", " · read only")
        self.count_label.setText(text)
        self._update_buttons()

    def _relabel(self, _code: str = "") -> None:
        noun = self._noun() if self.item.row_label is not None else ""
        self.add_button.setText(t(f"Thêm {noun}", f"Add {noun}") if noun else t("Thêm dòng", "Add row"))
        self.duplicate_button.setText(t("Nhân bản", "Duplicate"))
        self.remove_button.setText(t("Xoá dòng", "Remove row"))
        self.view.setAccessibleName(self.item.label.get(lang()))
        self._update_editable()
        self._show_messages()
        self._fit_columns()
        self._fit_height()

    # -- geometry --------------------------------------------------------------------------
    _HEADER_PAD = 16  # the header's margins around its text
    _MAX_HEADER_LINES = 4

    def _samples(self, column: Column) -> tuple[list[str], list[str], int]:
        """(typical values, the least worth showing whole, padding of the editor): a cell narrower than
        its value elides it and shows it whole in its tool tip."""
        pad = 20
        kind = column.type
        if kind is ItemType.DATE:
            return ["00/00/0000 "], ["00/00/0000"], pad + 24  # the calendar button of the editor
        if kind is ItemType.YES_NO:
            return [t("Không", "No")], [t("Không", "No")], pad
        if kind is ItemType.SINGLE_CHOICE:
            labels = [c.label.get(lang()) for c in column.choices or ()]
            return labels, sorted(labels, key=len)[:1], pad + 28  # the combo box arrow
        if kind is ItemType.MULTI_CHOICE:
            labels = [c.label.get(lang()) for c in column.choices or ()]
            return (["; ".join(labels[:2])] if labels else []), labels[:1], pad
        if kind in (ItemType.INTEGER, ItemType.DECIMAL):
            unit = f" {column.unit}" if column.unit else ""
            if is_plain(column):
                return ["2026"], ["2026"], pad + 24
            sample = "1.024" if kind is ItemType.INTEGER else "1.024,5"
            return [sample + unit], ["999" + unit], pad + 24  # spin box arrows
        return ["M" * 12], ["M" * 6], pad

    def _title_lines(self, title: str, width: int) -> int:
        metrics = self.view.horizontalHeader().fontMetrics()
        box = metrics.boundingRect(QRect(0, 0, max(width - self._HEADER_PAD, 10), 10_000),
                                   int(Qt.TextFlag.TextWordWrap), title)
        return max(1, round(box.height() / metrics.lineSpacing()))

    def _title_width(self, title: str, lines: int) -> int:
        """The narrowest column that shows ``title`` in at most ``lines`` lines (never cutting a word)."""
        metrics = self.view.horizontalHeader().fontMetrics()
        low = max((metrics.horizontalAdvance(word) for word in title.split()), default=0) + self._HEADER_PAD
        high = max(low, metrics.horizontalAdvance(title) + self._HEADER_PAD)
        while low < high:
            middle = (low + high) // 2
            if self._title_lines(title, middle) <= lines:
                high = middle
            else:
                low = middle + 1
        return low

    def _natural_width(self, column: Column) -> int:
        """A width that shows a typical value of the column without cutting it, its title in two lines."""
        metrics = self.view.fontMetrics()
        samples, _short, pad = self._samples(column)
        content = max((metrics.horizontalAdvance(s) for s in samples), default=60) + pad
        return max(content, min(self._title_width(column_title(column), 2), 260), 70)

    def _least_width(self, column: Column) -> int:
        """The narrowest a column gets: its least values whole, its title in at most four lines."""
        metrics = self.view.fontMetrics()
        _samples, short, pad = self._samples(column)
        content = max((metrics.horizontalAdvance(s) for s in short), default=40) + min(pad, 24)
        return max(content, self._title_width(column_title(column), self._MAX_HEADER_LINES), 48)

    def column_widths(self, available: int) -> list[int]:
        """Widths for ``available`` pixels: natural when they fit (text columns take what is left);
        otherwise every column between its least and natural width in proportion, so a wide table
        (the PC list: 11 columns) fits a 1366-pixel screen without scrolling sideways."""
        natural = [self._natural_width(c) for c in self.model.columns]
        extra = available - sum(natural)
        if extra >= 0:
            stretchy = [i for i, c in enumerate(self.model.columns) if c.type in (ItemType.TEXT, ItemType.MULTI_CHOICE)]
            targets = stretchy or [len(natural) - 1]
            share, rest = divmod(extra, len(targets))
            for position, target in enumerate(targets):
                natural[target] += share + (1 if position < rest else 0)
            return natural
        least = [min(self._least_width(c), n) for c, n in zip(self.model.columns, natural)]
        room = available - sum(least)
        if room <= 0:
            return least  # narrower than every column's least width: the table scrolls
        give = sum(n - m for n, m in zip(natural, least)) or 1
        widths = [m + (n - m) * room // give for n, m in zip(natural, least)]
        widths[-1] += available - sum(widths)  # what rounding left
        return widths

    def _fit_columns(self) -> None:
        header = self.view.horizontalHeader()
        widths = self.column_widths(self.view.viewport().width())
        for position, width in enumerate(widths):
            header.resizeSection(position, width)
        # As many lines of header as the longest title needs at its width: none is cut off.
        lines = max((self._title_lines(column_title(c), w) for c, w in zip(self.model.columns, widths)), default=1)
        metrics = header.fontMetrics()
        header.setFixedHeight(int(metrics.lineSpacing() * lines + 14))

    def _fit_height(self) -> None:
        rows = self.view.verticalHeader().defaultSectionSize() * _VISIBLE_ROWS
        header = self.view.horizontalHeader().height()
        scroll = self.view.horizontalScrollBar().sizeHint().height()
        self.view.setMinimumHeight(rows + header + scroll + 2 * self.view.frameWidth())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._fit_columns()
        self._fit_height()


__all__ = ["CellDelegate", "MultiChoiceEditor", "TableEditor", "TableView", "confirm_with_dialog", "VIETNAMESE"]
