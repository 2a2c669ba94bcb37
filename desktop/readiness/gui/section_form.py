"""The form of one checklist section: its title, description and one :class:`ItemWidget` per item,
in a scroll area.  Items that do not apply (their ``relevant`` rule is false) are hidden; their
answers stay in the database and the core leaves them out of the score."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from .carry_forward import CarryPanel
from .i18n import lang, language, t
from .item_widgets import HINT_COLOR, ItemWidget
from .probe_actions import attach as attach_probe
from .wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from ..checklist.model import Section
    from ..scoring import ScoreResult
    from .operations import AssessmentOps


class SectionForm(QScrollArea):
    refused_changed = Signal()  # an item's typed answer was refused or accepted again

    def __init__(self, ops: AssessmentOps, section: Section, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.section = section
        self.number = number
        self.show_missing = False  # required-but-missing is said once the section has been left
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setMaximumWidth(body.fontMetrics().averageCharWidth() * 190)  # lines stay readable on wide screens
        body.setObjectName("sectionBody")
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(4)

        self.title = WrappedLabel(body)
        self.title.setObjectName("sectionTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.description = WrappedLabel(body)
        self.description.setStyleSheet(f"color: {HINT_COLOR};")
        self.description.setVisible(section.description is not None)
        layout.addWidget(self.description)
        self.legend = QLabel(body)
        self.legend.setStyleSheet(f"color: {HINT_COLOR};")
        layout.addWidget(self.legend)
        self.carry_panel = CarryPanel(ops, section, body)  # a carried draft: what this period still needs
        self.carry_panel.jump_requested.connect(self.scroll_to)
        layout.addWidget(self.carry_panel)
        self.nothing = QLabel(body)
        self.nothing.setWordWrap(True)
        self.nothing.hide()
        layout.addWidget(self.nothing)

        self.items: dict[str, ItemWidget] = {}
        for item in section.items:
            line = QFrame(body)
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            line.setObjectName(f"line_{item.id}")
            layout.addWidget(line)
            widget = ItemWidget(ops, item, body)
            widget.probe = attach_probe(widget)  # «Nhận diện máy này», «Đo tốc độ»… where a probe can fill it
            widget.setObjectName(f"item_{item.id}")
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            layout.addWidget(widget)
            self.items[item.id] = widget
            widget.refused_changed.connect(self.refused_changed)
            widget.separator = line  # type: ignore[attr-defined]
        layout.addStretch(1)
        self._retranslate_own()  # (each item put its own words in when it was made)
        language().changed.connect(self.retranslate)
        self.refresh()

    # -- state -----------------------------------------------------------------------------
    def refresh(self, result: ScoreResult | None = None) -> None:
        """Hide what does not apply, show errors; after every save."""
        result = result or self.ops.standing()
        visible = 0
        for item_id, widget in self.items.items():
            on = bool(result.relevant.get(item_id))
            _set_shown(widget, on)
            _set_shown(widget.separator, on)  # type: ignore[attr-defined]
            if on:
                visible += 1
                widget.update_status(result, self.show_missing)
        self.nothing.setVisible(visible == 0)
        self.carry_panel.refresh()
        self.set_read_only(not self.ops.editable)

    def set_show_missing(self, on: bool) -> None:
        if on != self.show_missing:
            self.show_missing = on
            self.refresh()

    def reload(self) -> None:
        """Show the stored answers again (after reopening a revision)."""
        for widget in self.items.values():
            widget.load()
        self.refresh()

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.items.values():
            widget.set_read_only(read_only)

    def flush(self) -> None:
        for widget in self.items.values():
            widget.flush()

    def visible_items(self) -> list[str]:
        return [item_id for item_id, widget in self.items.items() if not widget.isHidden()]

    def scroll_to(self, item_id: str) -> None:
        widget = self.items[item_id]
        self.ensureWidgetVisible(widget, 0, 40)
        widget.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_first(self) -> None:
        for widget in self.items.values():
            if not widget.isHidden():
                widget.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def retranslate(self) -> None:
        self._retranslate_own()
        for widget in self.items.values():
            widget.retranslate()

    def _retranslate_own(self) -> None:
        code = lang()
        self.title.setText(f"{self.number}. {self.section.title.get(code)}")
        if self.section.description is not None:
            self.description.setText(self.section.description.get(code))
        self.legend.setText(t("Dấu * là câu hỏi bắt buộc. Câu trả lời được lưu ngay khi nhập.",
                              "* marks a required question. Answers are saved as you type."))
        self.nothing.setText(t("Phần này không áp dụng với các câu trả lời hiện tại.",
                               "This section does not apply given the current answers."))


def _set_shown(widget: QWidget, on: bool) -> None:
    """Show or hide a widget only where that changes something.  The items of a form not shown yet are
    not hidden (they are shown with the form), and ``setVisible(True)`` on one of them would still lay its
    layout out at once, at the 100×30 pixels of a new widget: every label's text for nothing."""
    if widget.isHidden() == on:
        widget.setVisible(on)
