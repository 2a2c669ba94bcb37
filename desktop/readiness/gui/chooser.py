"""Choosing what to assess: the commune (type-ahead over the official register, with or without
diacritics: "dak ha" finds "Xã Đăk Hà") and the period (a month), then "Mở"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from .i18n import language, t

if TYPE_CHECKING:
    from ..register import Commune
    from .operations import WorkspaceOps

MAX_SHOWN = 50
HOME_PROVINCE = "51"  # Quảng Ngãi: searched first; the whole country when nothing matches there


def commune_display(commune: Commune) -> str:
    """"Xã Đăk Hà — 23500" (and the province when it is not the home province)."""
    text = f"{commune.name} — {commune.code}"
    if commune.province_code != HOME_PROVINCE:
        text += f" ({commune.province_name})"
    return text


class CommuneField(QLineEdit):
    """A line edit whose suggestions come from the register (the core's matching and order)."""

    chosen = Signal(object)  # Commune | None
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.register: WorkspaceOps | None = None  # where communes are looked up
        self.commune: Commune | None = None
        self.results: dict[str, Commune] = {}
        self.model = QStringListModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.completer_.popup().setStyleSheet("QListView::item { padding: 3px 4px; }")  # type: ignore[union-attr]  # a completer has its popup
        self.completer_.activated[str].connect(self.choose_display)  # type: ignore[index]  # PySide's overload selection
        self.textEdited.connect(self._edited)
        self.returnPressed.connect(self._return)
        self.setClearButtonEnabled(True)
        self.retranslate()

    def set_store(self, register: WorkspaceOps | None) -> None:
        """Where communes are looked up: the window's WorkspaceOps (anything with ``communes(text, province=)``)."""
        self.register = register

    def search(self, text: str) -> list[Commune]:
        if self.register is None or not text.strip():
            return []
        found = self.register.communes(text, province=HOME_PROVINCE)
        if not found and len(text.strip()) >= 2:
            found = self.register.communes(text, province="all")
        return found[:MAX_SHOWN]

    def _edited(self, text: str) -> None:
        if self.commune is not None:
            self.commune = None
            self.chosen.emit(None)
        self._suggest(text)

    def _suggest(self, text: str) -> None:
        found = self.search(text)
        self.results = {commune_display(c): c for c in found}
        self.model.setStringList(list(self.results))
        if found:
            self.completer_.complete()
        else:
            self.completer_.popup().hide()  # type: ignore[union-attr]
        self.setToolTip(t("Không tìm thấy xã, phường nào có tên này.", "No commune has this name.")
                        if text.strip() and not found else "")

    def choose_display(self, display: str) -> None:
        commune = self.results.get(display)
        if commune is not None:
            self.set_commune(commune)

    def set_commune(self, commune: Commune | None) -> None:
        self.commune = commune
        self.completer_.popup().hide()  # type: ignore[union-attr]  # a completer has its popup
        self.setText(commune_display(commune) if commune else "")
        self.setCursorPosition(0)
        tip = ""
        if commune is not None and commune.former_units:
            tip = t(f"Trước sắp xếp: {commune.former_units_text('vi')}",
                    f"Before the 2025 merger: {commune.former_units_text('en')}")
        self.setToolTip(tip)
        self.chosen.emit(commune)

    def _return(self) -> None:
        if self.commune is None:
            found = self.search(self.text())
            if len(found) == 1:
                self.set_commune(found[0])
            elif found:
                self._suggest(self.text())
                return
        if self.commune is not None:
            self.open_requested.emit()

    def retranslate(self) -> None:
        self.setPlaceholderText(t("Gõ tên xã, phường (có dấu hoặc không), ví dụ: dak ha",
                                  "Type the commune's name (with or without diacritics), e.g. dak ha"))
        self.setAccessibleName(t("Xã, phường", "Commune"))


class PeriodPicker(QWidget):
    """A month: "Tháng 11" and the year."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.month = QComboBox(self)
        self.month.addItems([""] * 12)
        self.year = QSpinBox(self)
        self.year.setRange(2020, 2100)
        self.year.setAccelerated(True)
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        today = dt.date.today()
        self.set_period(f"{today.year:04d}-{today.month:02d}")
        self.retranslate()

    def period(self) -> str:
        return f"{self.year.value():04d}-{self.month.currentIndex() + 1:02d}"

    def set_period(self, period: str) -> None:
        year, month = int(period[:4]), int(period[5:7])
        self.year.setValue(year)
        self.month.setCurrentIndex(month - 1)

    def retranslate(self) -> None:
        for index in range(12):
            self.month.setItemText(index, t(f"Tháng {index + 1}", _EN_MONTHS[index]))
        self.month.setAccessibleName(t("Tháng", "Month"))
        self.year.setAccessibleName(t("Năm", "Year"))


_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


class ChooserBar(QWidget):
    """Commune, period and "Mở": the top of the main window."""

    open_requested = Signal(str, str)  # commune code, period YYYY-MM

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.commune_label = QLabel(self)
        self.commune = CommuneField(self)
        self.commune_label.setBuddy(self.commune)
        self.period_label = QLabel(self)
        self.period = PeriodPicker(self)
        self.period_label.setBuddy(self.period.month)
        self.open_button = QPushButton(self)
        self.open_button.setDefault(False)
        self.open_button.setAutoDefault(True)
        self.open_button.clicked.connect(self.request_open)
        self.commune.open_requested.connect(self.request_open)
        self.commune.chosen.connect(self._chosen)
        layout.addWidget(self.commune_label)
        layout.addWidget(self.commune, 1)
        layout.addSpacing(12)
        layout.addWidget(self.period_label)
        layout.addWidget(self.period)
        layout.addSpacing(6)
        layout.addWidget(self.open_button)
        self.setTabOrder(self.commune, self.period.month)
        self.setTabOrder(self.period.month, self.period.year)
        self.setTabOrder(self.period.year, self.open_button)
        self._chosen(None)
        self.retranslate()
        language().changed.connect(self.retranslate)

    def _chosen(self, commune: Commune | None) -> None:
        self.open_button.setEnabled(commune is not None)
        if commune is not None and self.commune.hasFocus():
            self.open_button.setFocus()

    def request_open(self) -> None:
        if self.commune.commune is None:
            self.commune.setFocus()
            return
        self.open_requested.emit(self.commune.commune.code, self.period.period())

    def retranslate(self) -> None:
        self.commune_label.setText(t("Xã, phường:", "Commune:"))
        self.period_label.setText(t("Kỳ đánh giá:", "Period:"))
        self.open_button.setText(t("Mở", "Open"))
        self.open_button.setToolTip(t("Mở bản đánh giá của xã cho kỳ đã chọn", "Open the commune's assessment for this period"))
        self.commune.retranslate()
        self.period.retranslate()
