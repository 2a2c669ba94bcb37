"""One widget per checklist item: its label, hint, an editor fitting its type, and an error line.

Editors are thin: they show a stored value (:meth:`Editor.set_value`, no signals) and hand back
what the person entered as the *raw* answer (:meth:`Editor.raw`) for the core to coerce and
check; nothing is parsed here that the core would parse differently.  They emit ``commit`` when
the answer should be saved at once (a toggle, a choice, editing finished) and ``typing`` while
text is being typed (:class:`ItemWidget` saves after a short pause, so a power cut loses at most
the last second of typing).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

# The editors' own widget classes (radio buttons, check boxes, the calendar, the long text box) are imported
# by the editors that use them: PySide6 builds a class, with its enums, when it is first named, and the
# window's first section may need none of them.

from ..checklist.model import Item, ItemType
from ..text import fold
from .i18n import lang, t
from .wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from ..answers import AnswerError
    from ..scoring import ScoreResult
    from .operations import AssessmentOps, Changes

SAVE_DELAY_MS = 600  # save typed text after this pause (and at once when editing finishes)
ERROR_COLOR = "#b3261e"  # a refused or invalid answer
MISSING_COLOR = "#8a4b00"  # a required answer not given yet (said once the section was left)
HINT_COLOR = "#5f6368"
CHANGED_COLOR = "#1a5fb4"  # an answer that differs from the previous period's
NOTE_COLORS = {"attention": MISSING_COLOR, "changed": CHANGED_COLOR, "info": HINT_COLOR}  # carry-forward notes
MAX_RADIO_CHOICES = 5  # more choices than this: a combo box

# Text items whose label asks for a description get a wrapping, taller box.
_LONG_TEXT_WORDS = ("mo ta", "ghi chu", "de xuat", "kien nghi", "kho khan", "y kien", "ly do", "nhan xet",
                    "giai thich", "chi tiet", "can sua", "loi gap")
_GROUPED_INTEGER = re.compile(r"^[+-]?\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$")


def is_long_text(item: Item) -> bool:
    if item.type is not ItemType.TEXT or item.constraint is not None:
        return False
    words = fold(item.label.vi + " " + (item.hint.vi if item.hint else ""))
    return any(word in words for word in _LONG_TEXT_WORDS)


def number_text(value: Any, language_code: str) -> str:
    """A stored number as it is typed: no grouping (the core would read "1.000" as 1), decimal comma in Vietnamese."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if isinstance(value, int) else f"{value:.12g}"
    return text.replace(".", ",") if language_code == "vi" else text


# -- editors ----------------------------------------------------------------------------------


class Editor(QWidget):
    commit = Signal()  # save now
    typing = Signal()  # text is changing: save after a pause

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self._loading = False
        self._last_raw: Any = None  # what the box held when it was last shown or saved

    def raw(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False
        self._last_raw = self.raw()

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self

    def retranslate(self) -> None:
        pass

    def _emit_commit(self, *_args: Any) -> None:
        if not self._loading:
            self._last_raw = self.raw()
            self.commit.emit()

    def _emit_commit_if_edited(self, *_args: Any) -> None:
        """The cursor left the box: save only what was typed since it was shown or saved.  Leaving an
        untouched box (closing the window with the cursor in an empty question) saves nothing, so it
        cannot write its stale text over an answer saved meanwhile."""
        if not self._loading and self.raw() != self._last_raw:
            self._emit_commit()

    def _emit_typing(self, *_args: Any) -> None:
        if not self._loading:
            self.typing.emit()


class ButtonsEditor(Editor):
    """Radio buttons (yes/no, a few choices) with a "clear" button; arrows move between them."""

    def __init__(self, item: Item, options: list[tuple[Any, Any]], parent: QWidget | None = None):
        from PySide6.QtWidgets import QButtonGroup, QRadioButton, QToolButton

        super().__init__(item, parent)
        self._options = options  # (value, Text-like with .get(lang))
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        layout = QHBoxLayout(self) if self._fits_in_a_row(options) else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, _ in enumerate(options):
            button = QRadioButton(self)
            self.group.addButton(button, index)
            layout.addWidget(button)
            self.buttons.append(button)
        self.clear_button = QToolButton(self)
        self.clear_button.setAutoRaise(True)
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(self.clear)
        if isinstance(layout, QHBoxLayout):
            layout.addWidget(self.clear_button)
            layout.addStretch(1)
        else:
            row = QHBoxLayout()
            row.addWidget(self.clear_button)
            row.addStretch(1)
            layout.addLayout(row)
        self.group.idToggled.connect(self._toggled)
        self.retranslate()
        self._update_clear()

    def _fits_in_a_row(self, options: list[tuple[Any, Any]]) -> bool:
        """Side by side when short (in both languages), one under another otherwise."""
        metrics = self.fontMetrics()
        widest = max(sum(metrics.horizontalAdvance(label.get(code)) + 4 * metrics.height() for _, label in options)
                     for code in ("vi", "en"))
        return len(options) <= 4 and widest <= metrics.averageCharWidth() * 90

    def _toggled(self, _id: int, checked: bool) -> None:
        self._update_clear()
        if checked:
            self._emit_commit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.group.checkedId() >= 0 and self.isEnabled())

    def clear(self) -> None:
        if self.group.checkedId() < 0:
            return
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)
        self._update_clear()
        self._emit_commit()
        self.buttons[0].setFocus()

    def raw(self) -> Any:
        index = self.group.checkedId()
        return None if index < 0 else self._options[index][0]

    def _show(self, value: Any) -> None:
        self.group.setExclusive(False)
        for index, button in enumerate(self.buttons):
            button.setChecked(value is not None and self._options[index][0] == value and type(value) is type(self._options[index][0]))
        self.group.setExclusive(True)
        self._update_clear()

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not read_only)
        self.clear_button.setVisible(not read_only)
        self._update_clear()

    def focus_widget(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or self.buttons[0]

    def retranslate(self) -> None:
        code = lang()
        for button, (_, label) in zip(self.buttons, self._options):
            button.setText(label.get(code))
        self.clear_button.setText(t("Bỏ chọn", "Clear"))
        self.clear_button.setToolTip(t("Xoá câu trả lời này", "Remove this answer"))


class _Label:
    """A two-language label for built-in options (Có / Không)."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en

    def get(self, code: str = "vi") -> str:
        return self.en if code == "en" else self.vi


class ComboEditor(Editor):
    """A drop-down list for single choices with many options; the first entry means "no answer"."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(item, parent)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 0)
        layout.addStretch(1)
        self.combo.addItem("", None)
        for choice in item.choices or ():
            self.combo.addItem(choice.label.get(lang()), choice.id)
        self.combo.currentIndexChanged.connect(self._emit_commit)
        self.retranslate()

    def raw(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo

    def retranslate(self) -> None:
        self._loading = True
        try:
            self.combo.setItemText(0, t("— Chọn —", "— Choose —"))
            for index, choice in enumerate(self.item.choices or (), start=1):
                self.combo.setItemText(index, choice.label.get(lang()))
        finally:
            self._loading = False


class ChecksEditor(Editor):
    """Check boxes for multiple choices; each toggle is saved."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        from PySide6.QtWidgets import QCheckBox

        super().__init__(item, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: list[QCheckBox] = []
        for _choice in item.choices or ():
            box = QCheckBox(self)
            box.toggled.connect(self._emit_commit)
            layout.addWidget(box)
            self.boxes.append(box)
        self.retranslate()

    def raw(self) -> Any:
        return [choice.id for choice, box in zip(self.item.choices or (), self.boxes) if box.isChecked()]

    def _show(self, value: Any) -> None:
        chosen = set(value or ())
        for choice, box in zip(self.item.choices or (), self.boxes):
            box.setChecked(choice.id in chosen)

    def focus_widget(self) -> QWidget:
        return self.boxes[0]

    def retranslate(self) -> None:
        for choice, box in zip(self.item.choices or (), self.boxes):
            box.setText(choice.label.get(lang()))


class LineEditor(Editor):
    """A one-line text box (text, numbers with their unit beside, dates with a calendar)."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(item, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(item.label.get(lang()))
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.edit, 1)
        self.edit.textChanged.connect(self._emit_typing)
        self.edit.editingFinished.connect(self._emit_commit_if_edited)  # Return, or focus leaves a changed box

    def raw(self) -> Any:
        return self.edit.text()

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self.edit.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setClearButtonEnabled(not read_only and self.item.type is ItemType.DATE)

    def focus_widget(self) -> QWidget:
        return self.edit


class TextEditor(LineEditor):
    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(item, parent)
        self.edit.setMaxLength(4000)
        self.edit.setMaximumWidth(self.edit.fontMetrics().averageCharWidth() * 72)
        self.layout_.addStretch(0)


class NumberEditor(LineEditor):
    """Numbers as typed ("12,5" or "12.5"); the unit is shown beside the box."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(item, parent)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        width = self.edit.fontMetrics().horizontalAdvance("0") * 14
        self.edit.setMaximumWidth(width)
        self.edit.setMinimumWidth(width // 2)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.unit = QLabel(item.unit or "", self)
        self.layout_.setStretch(0, 0)
        self.layout_.addWidget(self.unit)
        self.layout_.addStretch(1)
        self.unit.setVisible(bool(item.unit))

    def raw(self) -> Any:
        text = self.edit.text().strip()
        if self.item.type is ItemType.INTEGER:
            # "1.000" / "1 000" is a thousand, not one: drop the grouping of whole numbers.
            match = _GROUPED_INTEGER.match(text)
            if match:
                text = re.sub(r"[.,\u00a0 ]", "", text)
        return text

    def _show(self, value: Any) -> None:
        self.edit.setText(number_text(value, lang()) if isinstance(value, (int, float)) and not isinstance(value, bool)
                          else "" if value is None else str(value))


class DateEditor(LineEditor):
    """dd/mm/yyyy typed, or picked from a calendar; the clear button removes the answer."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        from PySide6.QtWidgets import QCalendarWidget, QToolButton, QWidgetAction

        super().__init__(item, parent)
        width = self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 48
        self.edit.setMaximumWidth(width)
        self.edit.setMinimumWidth(width)
        self.edit.setClearButtonEnabled(True)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setIcon(_icon("calendar"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.calendar_button)
        self.calendar = QCalendarWidget(self.menu)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._prepare_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.calendar_button.setMenu(self.menu)
        self.layout_.setStretch(0, 0)
        self.layout_.addWidget(self.calendar_button)
        self.layout_.addStretch(1)
        self.retranslate()

    def _prepare_calendar(self) -> None:
        value = _parse_date(self.edit.text()) or dt.date.today()
        self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _picked(self, date: QDate) -> None:
        self.menu.hide()
        self.edit.setText(f"{date.day():02d}/{date.month():02d}/{date.year():04d}")
        self._emit_commit()
        self.edit.setFocus()

    def _show(self, value: Any) -> None:
        if isinstance(value, dt.date):
            self.edit.setText(value.strftime("%d/%m/%Y"))
        else:
            self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(t("nn/tt/nnnn", "dd/mm/yyyy"))
        self.calendar_button.setToolTip(t("Chọn ngày trên lịch", "Pick a date on the calendar"))
        self.calendar_button.setAccessibleName(self.calendar_button.toolTip())
        self.calendar.setLocale(QLocale(QLocale.Language.Vietnamese if lang() == "vi" else QLocale.Language.English))


def _parse_date(text: str) -> dt.date | None:
    match = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", text or "")
    if not match:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


class LongTextEditor(Editor):
    """A wrapping box for descriptions.  Line breaks are not kept by the core (it stores one
    line), so Enter moves on like in the other boxes; Tab leaves the box."""

    def __init__(self, item: Item, parent: QWidget | None = None):
        from PySide6.QtWidgets import QPlainTextEdit

        super().__init__(item, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setAccessibleName(item.label.get(lang()))
        lines = 3
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 14)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._emit_typing)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            if event.type() == QEvent.Type.FocusOut:
                self._emit_commit_if_edited()
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in (
                    Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit_commit()
                self.edit.focusNextChild()
                return True
        return super().eventFilter(watched, event)

    def raw(self) -> Any:
        return self.edit.toPlainText()

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_widget(self) -> QWidget:
        return self.edit


YES_NO = [(True, _Label("Có", "Yes")), (False, _Label("Không", "No"))]


def make_editor(item: Item, parent: QWidget | None = None) -> Editor:
    kind = item.type
    if kind is ItemType.YES_NO:
        return ButtonsEditor(item, YES_NO, parent)
    if kind is ItemType.SINGLE_CHOICE:
        choices = item.choices or []
        if len(choices) <= MAX_RADIO_CHOICES:
            return ButtonsEditor(item, [(c.id, c.label) for c in choices], parent)
        return ComboEditor(item, parent)
    if kind is ItemType.MULTI_CHOICE:
        return ChecksEditor(item, parent)
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        return NumberEditor(item, parent)
    if kind is ItemType.DATE:
        return DateEditor(item, parent)
    if kind is ItemType.TEXT:
        return LongTextEditor(item, parent) if is_long_text(item) else TextEditor(item, parent)
    raise ValueError(f"no editor for {kind}")


def _icon(name: str):
    from .icons import icon

    return icon(name)


# -- one item -----------------------------------------------------------------------------------


class ItemWidget(QFrame):
    """Label (* when required), hint, the editor, and a red line saying what is wrong."""

    refused_changed = Signal()  # a typed answer was refused, or the refusal went away

    def __init__(self, ops: AssessmentOps, item: Item, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.item = item
        self.setObjectName("itemWidget")
        self.typed_error: AnswerError | None = None  # the last input the core refused (not saved)
        self.stored_problems: list[tuple[str, str]] = []  # (vi, en) issues of the stored answer
        self.missing: list[tuple[str, str]] = []  # (vi, en) required-but-missing
        self.show_missing = False
        self._read_only = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        self.label = WrappedLabel(self)  # rich text: its height for a width is worked out once
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.label)
        self.hint = WrappedLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setStyleSheet(f"color: {HINT_COLOR};")
        font = self.hint.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.5))
        self.hint.setFont(font)
        self.hint.setVisible(item.hint is not None)
        layout.addWidget(self.hint)

        self.table = None
        if item.type is ItemType.TABLE:
            from .table_editor import TableEditor  # another module; loaded when a table is shown

            self.table = TableEditor(ops, item, self)  # it saves through ops and hears of changes itself
            self.editor: Editor | None = None
            layout.addWidget(self.table)
        else:
            self.editor = make_editor(item, self)
            self.editor.commit.connect(self.save_now)
            self.editor.typing.connect(self._typing)
            layout.addWidget(self.editor)

        self.source_note = QLabel(self)  # how and when a probe took the answer ("Đo tự động lúc …")
        self.source_note.setWordWrap(True)
        self.source_note.setObjectName("sourceNote")  # coloured when it has something to say (_render_source)
        self.source_note.setFont(font)
        self.source_note.hide()
        layout.addWidget(self.source_note)

        self.carry_note = QLabel(self)  # the previous period: carried, to confirm, to renew, changed since
        self.carry_note.setWordWrap(True)
        self.carry_note.setObjectName("carryNote")
        self.carry_note.setFont(font)
        self.carry_note.hide()
        layout.addWidget(self.carry_note)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setObjectName("error")  # coloured when it has something to say (_render_error)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self._save_after_pause)
        self.probe: QObject | None = None  # a probe_actions.ProbeAction, set by the form where a probe can fill it
        ops.changed.connect(self._changed_elsewhere)
        self.load()
        self.retranslate()

    # -- values ----------------------------------------------------------------------------
    def load(self) -> None:
        """Show the stored answer (drops a refused input)."""
        self.timer.stop()
        self.typed_error = None
        if self.editor is not None:
            self.editor.set_value(self.ops.value(self.item.id))
        elif self.table is not None:
            self.table.refresh()
        self._render_error()
        self._render_source()

    @property
    def pending(self) -> bool:
        return self.timer.isActive()

    def _typing(self) -> None:
        self.timer.start()

    def _save_after_pause(self) -> None:
        # While typing, a refusal is shown only if an error is already on screen; a new one waits
        # for "editing finished" (no red text for a half-typed e-mail address).
        self._save(show_error=self.typed_error is not None)

    def save_now(self) -> None:
        self.timer.stop()
        self._save(show_error=True)

    def flush(self) -> None:
        """Save text typed less than a pause ago (before closing, switching section...)."""
        if self.timer.isActive():
            self.save_now()

    def _save(self, *, show_error: bool) -> None:
        if self.editor is None or not self.ops.editable:
            return
        before = self.typed_error is not None
        problem = self.ops.save(self.item.id, self.editor.raw(), initiator=self)
        if problem is None:
            self.typed_error = None
        elif show_error:
            self.typed_error = problem
        self._render_error()
        self._render_source()  # typed over a measured value: the note goes
        if before != (self.typed_error is not None):
            self.refused_changed.emit()

    def _changed_elsewhere(self, changes: Changes) -> None:
        """A measurement (or another part of the window) saved this answer: show it."""
        if self.editor is not None and changes.initiator is not self and changes.touches(self.item.id):
            self.load()

    # -- state -----------------------------------------------------------------------------
    def update_status(self, result: ScoreResult, show_missing: bool) -> None:
        self.show_missing = show_missing
        issues = [issue for issue in result.issues if issue.item == self.item.id]
        self.missing = [(i.message, i.message_en) for i in issues if i.code == "E-ANS-REQUIRED"]
        self.stored_problems = [(i.message, i.message_en) for i in issues if i.code != "E-ANS-REQUIRED"]
        self._render_error()
        self._render_carry()

    def carry_text(self) -> tuple[str, str]:
        """(text, tone) of the carry-forward note: ``attention``, ``changed``, ``info``; ("", "") when none."""
        note = self.ops.item_note(self.item.id, lang())
        return note if note is not None else ("", "")

    def _render_carry(self) -> None:
        text, tone = self.carry_text()
        self.carry_note.setText(text)
        if text:
            set_text_color(self.carry_note, NOTE_COLORS.get(tone, HINT_COLOR))
        self.carry_note.setVisible(bool(text))

    def error_text(self) -> str:
        return self._error_lines()[0]

    def _error_lines(self) -> tuple[str, str]:
        """(text, colour): a refused input, else problems of the stored answer, else what is missing."""
        code = lang()
        if self.typed_error is not None:
            message = self.typed_error.message_en if code == "en" else self.typed_error.message
            return message + " " + t("(Chưa lưu câu trả lời này.)", "(This answer was not saved.)"), ERROR_COLOR
        lines = [en if code == "en" else vi for vi, en in self.stored_problems]
        color = ERROR_COLOR
        if self.show_missing:
            if not lines:
                color = MISSING_COLOR
            lines += [en if code == "en" else vi for vi, en in self.missing]
        if len(lines) > 4:
            lines = lines[:4] + [t(f"… và {len(lines) - 4} lỗi khác.", f"… and {len(lines) - 4} more.")]
        return "\n".join(lines), color

    def _render_error(self) -> None:
        text, color = self._error_lines()
        self.error.setText(text)
        if text:
            set_text_color(self.error, color)
        self.error.setVisible(bool(text))

    def source_text(self) -> str:
        """How and when the stored answer was measured ("Đo tự động lúc …"); "" when it was typed."""
        if self.editor is None:
            return ""
        from ..measurement import describe

        source, meta = self.ops.provenance(self.item.id)
        return describe(source, meta, lang()) or ""

    def _render_source(self) -> None:
        text = self.source_text()
        self.source_note.setText(text)
        if text:
            set_text_color(self.source_note, HINT_COLOR)
        self.source_note.setVisible(bool(text))

    # -- hooks for the probes (probe_actions) ---------------------------------------------------
    def add_action(self, widget: QWidget) -> None:
        """A probe's button: in a table's toolbar, beside a one-line box, else on a line under the editor."""
        if self.table is not None:
            self.table.add_tool(widget)
            return
        row = getattr(self.editor, "layout_", None)
        if isinstance(row, QHBoxLayout):
            last = row.itemAt(row.count() - 1)
            row.insertWidget(row.count() - (1 if last is not None and last.spacerItem() is not None else 0), widget)
            return
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(widget)
        line.addStretch(1)
        box = cast(QBoxLayout, self.layout())
        box.insertLayout(box.indexOf(self.source_note), line)

    def add_panel(self, widget: QWidget) -> None:
        """A probe's status line (busy indicator, result, what to do) under the editor."""
        box = cast(QBoxLayout, self.layout())
        box.insertWidget(box.indexOf(self.source_note), widget)

    def set_read_only(self, read_only: bool) -> None:
        if read_only == self._read_only:
            return
        self._read_only = read_only
        if self.editor is not None:
            self.editor.set_read_only(read_only)
        if self.table is not None:
            self.table.refresh()
        if self.probe is not None:
            self.probe.set_read_only(read_only)  # type: ignore[attr-defined]  # a ProbeAction (not imported: a cycle)

    def focus_widget(self) -> QWidget:
        if self.editor is not None:
            return self.editor.focus_widget()
        assert self.table is not None
        return self.table.focus_target()

    def retranslate(self) -> None:
        code = lang()
        text = _escape(self.item.label.get(code))
        try:
            text = f"{self.ops.checklist.number(self.item.id)}. {text}"
        except (KeyError, AttributeError):
            pass
        if self.item.required:
            text += f' <span style="color:{ERROR_COLOR}">*</span>'
        self.label.setText(f"<b>{text}</b>")
        if self.item.hint is not None:
            self.hint.setText(self.item.hint.get(code))
        if self.editor is not None:
            self.editor.retranslate()
            if not self.pending and self.typed_error is None and self.item.type in (ItemType.INTEGER, ItemType.DECIMAL):
                self.editor.set_value(self.ops.value(self.item.id))  # decimal comma or point
            self.editor.focus_widget().setAccessibleName(self.item.label.get(code))
        self._render_error()
        self._render_source()
        self._render_carry()


def set_text_color(label: QLabel, color: str) -> None:
    """Colour a label's text; its style sheet is set only when the colour changes (each new style sheet
    polishes the widget again: 74 calls, ~20 ms, when the first section was built).  The notes under an
    item are coloured only when they have something to say: a hidden, empty note needs no style sheet."""
    sheet = f"color: {color};"
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


