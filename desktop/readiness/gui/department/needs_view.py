"""«Nhu cầu đầu tư»: what the communes lack and what it would cost (what ``readiness needs`` prints).

A period and a scope (the same scope bar as the other tabs); a heading with the communes counted, those
left out and the estimated total; then three views:

- «Theo nhu cầu»: every need (PCs below the minimum and why, Windows 10 or older, officers without a
  PC, counters without a printer or scanner, certificates, video endpoint, backup line, TSLCD, UPS)
  with how many and in how many communes; the communes concerned by the need chosen, beside it;
- «Theo xã»: one row per commune, its main needs and its cost, sortable and searchable;
- «Kinh phí và đơn giá»: the estimate per priced item with its total, and the unit prices in use
  (source, date, basis): «Sửa đơn giá…» stores the department's own price (and its basis) in the
  workspace, «Dùng đơn giá trong tệp» goes back to the file's; the estimate is computed again.

«Xuất Excel…», «Xuất PDF…», «Xuất Word…» write the needs as ``readiness needs --xlsx/--pdf/--docx``
does.  Everything the core computes runs on the window's worker; the tab reaches the core only
through :mod:`readiness.gui.operations.needs`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..chooser import PeriodPicker
from ..i18n import language, t
from ..operations import Latest, Step, WorkspaceOps
from ..operations import needs as ops
from .labels import escape, period_text
from .models import OBJECT_ROLE
from .needs_models import CommuneNeedsModel, CommuneNeedsProxy, ConcernedModel, CostModel, NeedLinesModel, PricesModel
from .scope import ScopeBar

if TYPE_CHECKING:
    from ...department.needs import NeedsReport, NeedTotal
    from ...department.prices import Price, PriceList
    from ...service import Workspace
    from ..operations import JobContext, Runner

SETTING_FOLDER = "gui.department.needs_folder"
FORMATS = ("xlsx", "pdf", "docx")


def _table(parent: QWidget, name: str, model: Any, *, sortable: bool = False) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(sortable)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setHighlightSections(False)
    return view


class NeedsPage(QWidget):
    """The investment needs of one period in a scope; ``loaded`` is emitted each time they are shown."""

    loaded = Signal()
    detail_requested = Signal(str, str)  # commune code, period

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("needsPage")
        self.workspace = workspace
        self.worker = worker
        self.workspace_ops = WorkspaceOps(workspace)
        self.today: dt.date | None = None
        self.needs: NeedsReport | None = None
        self.prices: PriceList | None = None
        self.written: list[Path] = []
        self.load = Latest(worker, self)
        self._build()
        language().changed.connect(self.retranslate)
        self.retranslate()

    # == layout ============================================================================================
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        self.period_label = QLabel(self)
        self.period = PeriodPicker(self)
        self.period.setObjectName("needsPeriod")
        self.period.month.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_label.setBuddy(self.period.month)
        self.scope = ScopeBar(self)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("needsShow")
        self.show_button.clicked.connect(self.reload)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(90)
        self.busy.hide()
        bar.addWidget(self.period_label)
        bar.addWidget(self.period)
        bar.addSpacing(10)
        bar.addWidget(self.scope)
        bar.addWidget(self.show_button)
        bar.addWidget(self.busy)
        bar.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt in FORMATS:
            button = QPushButton(self)
            button.setObjectName(f"needsExport_{fmt}")
            button.clicked.connect(lambda _checked=False, f=fmt: self.choose_export(f))
            button.setEnabled(False)
            bar.addWidget(button)
            self.export_buttons[fmt] = button
        layout.addLayout(bar)

        self.heading = QLabel(self)
        self.heading.setObjectName("needsHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.views = QTabWidget(self)
        self.views.setObjectName("needsViews")
        # 1. by need: the needs, and the communes concerned by the one chosen
        by_need = QSplitter(Qt.Orientation.Horizontal, self.views)
        self.lines_model = NeedLinesModel(self)
        self.lines = _table(by_need, "needsLines", self.lines_model)
        self.lines.selectionModel().currentRowChanged.connect(lambda current, _previous: self._line_chosen(current.row()))
        right = QWidget(by_need)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.concerned_title = QLabel(right)
        self.concerned_title.setObjectName("needsConcernedTitle")
        self.concerned_title.setWordWrap(True)
        self.concerned_model = ConcernedModel(self)
        self.concerned_proxy = CommuneNeedsProxy(self)
        self.concerned_proxy.setSourceModel(self.concerned_model)
        self.concerned = _table(right, "needsConcerned", self.concerned_proxy, sortable=True)
        self.concerned.doubleClicked.connect(lambda index: self._open_commune(self.concerned_proxy, index.row()))
        right_layout.addWidget(self.concerned_title)
        right_layout.addWidget(self.concerned, 1)
        by_need.addWidget(self.lines)
        by_need.addWidget(right)
        by_need.setSizes([760, 520])
        self.views.addTab(by_need, "")

        # 2. by commune
        by_commune = QWidget(self.views)
        commune_layout = QVBoxLayout(by_commune)
        commune_layout.setContentsMargins(4, 4, 4, 4)
        search_row = QHBoxLayout()
        self.search = QLineEdit(by_commune)
        self.search.setObjectName("needsSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        search_row.addWidget(self.search)
        search_row.addStretch(1)
        commune_layout.addLayout(search_row)
        self.communes_model = CommuneNeedsModel(self)
        self.communes_proxy = CommuneNeedsProxy(self)
        self.communes_proxy.setSourceModel(self.communes_model)
        self.communes = _table(by_commune, "needsCommunes", self.communes_proxy, sortable=True)
        self.communes.doubleClicked.connect(lambda index: self._open_commune(self.communes_proxy, index.row()))
        self.search.textChanged.connect(self.communes_proxy.set_text)
        commune_layout.addWidget(self.communes, 1)
        self.views.addTab(by_commune, "")

        # 3. cost and prices
        costs = QSplitter(Qt.Orientation.Vertical, self.views)
        self.cost_model = CostModel(self)
        self.costs = _table(costs, "needsCosts", self.cost_model)
        prices_box = QWidget(costs)
        prices_layout = QVBoxLayout(prices_box)
        prices_layout.setContentsMargins(0, 0, 0, 0)
        prices_bar = QHBoxLayout()
        self.prices_title = QLabel(prices_box)
        self.prices_title.setObjectName("needsPricesTitle")
        self.prices_title.setWordWrap(True)
        self.edit_price_button = QPushButton(prices_box)
        self.edit_price_button.setObjectName("needsEditPrice")
        self.edit_price_button.clicked.connect(self.edit_price)
        self.reset_price_button = QPushButton(prices_box)
        self.reset_price_button.setObjectName("needsResetPrice")
        self.reset_price_button.clicked.connect(self.reset_price)
        prices_bar.addWidget(self.prices_title, 1)
        prices_bar.addWidget(self.edit_price_button)
        prices_bar.addWidget(self.reset_price_button)
        self.prices_model = PricesModel(self)
        self.prices_view = _table(prices_box, "needsPrices", self.prices_model)
        self.prices_view.doubleClicked.connect(lambda _index: self.edit_price())
        self.prices_view.selectionModel().currentRowChanged.connect(lambda *_args: self._update_price_buttons())
        prices_layout.addLayout(prices_bar)
        prices_layout.addWidget(self.prices_view, 1)
        costs.addWidget(self.costs)
        costs.addWidget(prices_box)
        costs.setSizes([330, 250])
        self.views.addTab(costs, "")
        layout.addWidget(self.views, 1)
        self._update_price_buttons()

    def set_store(self) -> None:
        self.scope.set_register(self.workspace_ops)
        self.scope.changed.connect(self._changed)
        self.period.month.currentIndexChanged.connect(self._changed)
        self.period.year.valueChanged.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        """Another period or scope: shown again at once once something is shown (the first load is the tab's)."""
        if self.needs is not None or self.loading:
            self.reload()

    def retranslate(self, *_args: object) -> None:
        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.retranslate()
        self.show_button.setText(t("Xem nhu cầu", "Show needs"))
        for fmt, (vi, en) in zip(FORMATS, (("Xuất Excel…", "Excel…"), ("Xuất PDF…", "PDF…"), ("Xuất Word…", "Word…"))):
            self.export_buttons[fmt].setText(t(vi, en))
        self.views.setTabText(0, t("Theo nhu cầu", "By need"))
        self.views.setTabText(1, t("Theo xã", "By commune"))
        self.views.setTabText(2, t("Kinh phí và đơn giá", "Cost and prices"))
        self.search.setPlaceholderText(t("Tìm xã (có hoặc không dấu)", "Find a commune (with or without diacritics)"))
        self.edit_price_button.setText(t("Sửa đơn giá…", "Change the price…"))
        self.reset_price_button.setText(t("Dùng đơn giá trong tệp", "Use the file's price"))
        for model in (self.lines_model, self.concerned_model, self.communes_model, self.cost_model, self.prices_model):
            model.retranslate()
        self._show()

    # == loading ===========================================================================================
    @property
    def loading(self) -> bool:
        return self.load.loading

    def set_period(self, period: str) -> None:
        self.period.set_period(period)

    def reload(self) -> None:
        """Load the needs of what is chosen now (a load under way is dropped: only the newest is shown)."""
        period, filters, today, workspace = self.period.period(), self.scope.filters(), self.today, self.workspace

        def work(context: JobContext) -> NeedsReport:
            return ops.load_needs(workspace, period, filters, today=today, progress=context.progress)

        self.busy.show()
        self.show_button.setEnabled(False)
        self.load.start(Step("needs", work, self._loaded), failed=self._failed)

    def _loaded(self, needs: NeedsReport) -> None:
        self.busy.hide()
        self.show_button.setEnabled(True)
        self.needs = needs
        self.prices = needs.prices
        self.lines_model.set_report(needs)
        self.communes_model.set_report(needs)
        self.cost_model.set_report(needs)
        self.prices_model.set_prices(needs.prices)
        for fmt in FORMATS:
            self.export_buttons[fmt].setEnabled(True)
        self._show()
        first = next((row for row, total in enumerate(needs.lines) if total.count), 0)
        if needs.lines:
            self.lines.selectRow(first)
        self._line_chosen(first)
        for view in (self.lines, self.costs, self.prices_view):
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)
        self.lines.setColumnWidth(0, min(max(self.lines.columnWidth(0), 360), 560))
        wide = self.fontMetrics().horizontalAdvance("9.999 chứng thư") + 36  # counts in bold
        self.lines.setColumnWidth(1, max(self.lines.columnWidth(1), wide))
        self.communes.resizeColumnsToContents()
        metrics = self.communes.horizontalHeader().fontMetrics()
        for column in range(self.communes_model.FIRST, self.communes_model.columnCount()):
            header = str(self.communes_model.headerData(column, Qt.Orientation.Horizontal))
            self.communes.setColumnWidth(column, max(70, metrics.horizontalAdvance(header) + 12))
        self.communes.horizontalHeader().setStretchLastSection(True)
        self.communes.sortByColumn(self.communes_model.cost_column, Qt.SortOrder.DescendingOrder)
        self.prices_view.setColumnWidth(0, min(self.prices_view.columnWidth(0), 430))
        self.costs.setColumnWidth(0, min(self.costs.columnWidth(0), 520))
        self._update_price_buttons()
        self.loaded.emit()

    def _failed(self, code: str, message: str) -> None:
        self.busy.hide()
        self.show_button.setEnabled(True)
        QMessageBox.warning(self, t("Không tính được nhu cầu đầu tư", "Cannot compute the needs"), f"{message} ({code})")
        self.loaded.emit()

    # == showing ===========================================================================================
    def _show(self) -> None:
        needs = self.needs
        if needs is None:
            self.heading.setText(escape(t("Chọn kỳ và phạm vi rồi bấm «Xem nhu cầu».",
                                          "Choose the period and the scope, then press “Show needs”.")))
            self.concerned_title.setText("")
            self.prices_title.setText("")
            return
        total = ops.format_vnd(needs.total_cost)
        missing = len(needs.not_received)
        text = t(f"Nhu cầu đầu tư — <b>{escape(needs.scope)}</b>, kỳ {period_text(needs.period)}: tính trên "
                 f"<b>{needs.received}/{needs.expected}</b> đơn vị đã gửi kết quả"
                 + (f" ({missing} đơn vị chưa gửi, chưa tính)" if missing else "")
                 + f". Kinh phí ước tính: <b>{total}</b>.",
                 f"Investment needs — <b>{escape(needs.scope)}</b>, {period_text(needs.period)}: from "
                 f"<b>{needs.received}/{needs.expected}</b> communes that reported"
                 + (f" ({missing} not reported, not counted)" if missing else "")
                 + f". Estimated cost: <b>{total}</b>.")
        if needs.prices.all_suggested:
            text += " <span style='color:#8d6e00'>" + escape(t(
                "Mọi đơn giá là mức đề xuất: sửa ở «Kinh phí và đơn giá».",
                "Every unit price is a suggestion: change them under “Cost and prices”.")) + "</span>"
        self.heading.setText(text)
        self.prices_title.setText(escape(needs.prices.describe()) if _vi() else
                                  escape(f"Unit prices, version {needs.prices.version} "
                                         f"({needs.prices.date.strftime('%d/%m/%Y')})"))
        self._line_chosen(self.lines.currentIndex().row())

    def _line_chosen(self, row: int) -> None:
        total: NeedTotal | None = self.lines_model.object_at(row) if 0 <= row < self.lines_model.rowCount() else None
        self.concerned_model.set_total(total)
        self.concerned.sortByColumn(ConcernedModel.COUNT, Qt.SortOrder.DescendingOrder)  # most first
        self.concerned.resizeColumnsToContents()
        self.concerned.horizontalHeader().setStretchLastSection(True)
        if total is None:
            self.concerned_title.setText("")
            return
        label = total.line.label if _vi() else total.line.label_en
        if not total.communes:
            self.concerned_title.setText(escape(t(f"«{label}»: không đơn vị nào.", f"“{label}”: no commune.")))
        else:
            self.concerned_title.setText(escape(t(f"Các đơn vị có «{label}» ({len(total.communes)}):",
                                                  f"Communes with “{label}” ({len(total.communes)}):")))

    def _open_commune(self, proxy: Any, row: int) -> None:
        found = proxy.object_at(row)
        code = found.code if hasattr(found, "code") else found
        if code and self.needs is not None:
            self.detail_requested.emit(str(code), self.needs.period)

    # == prices ============================================================================================
    def selected_price(self) -> Price | None:
        row = self.prices_view.currentIndex().row()
        return self.prices_model.object_at(row) if 0 <= row < self.prices_model.rowCount() else None

    def _update_price_buttons(self) -> None:
        price = self.selected_price()
        self.edit_price_button.setEnabled(price is not None)
        self.reset_price_button.setEnabled(price is not None and price.overridden)

    def edit_price(self) -> PriceDialog | None:
        price = self.selected_price()
        if price is None:
            return None
        dialog = PriceDialog(price, self)  # saving reloads the estimate (save_price)
        dialog.open()
        return dialog

    def save_price(self, price_id: str, amount: str, basis: str, date: dt.date | None) -> bool:
        """Store the department's price; a refusal is shown and nothing changes."""
        try:
            self.prices = ops.save_price(self.workspace, price_id, amount, basis, date)
        except Exception as error:  # noqa: BLE001 - shown to the person
            from ..operations import describe_error

            code, message = describe_error(error)
            QMessageBox.warning(self, t("Chưa lưu đơn giá", "Price not saved"), f"{message} ({code})")
            return False
        self._prices_changed()
        return True

    def reset_price(self) -> None:
        price = self.selected_price()
        if price is None or not price.overridden:
            return
        try:
            self.prices = ops.reset_price(self.workspace, price.id)
        except Exception as error:  # noqa: BLE001
            from ..operations import describe_error

            code, message = describe_error(error)
            QMessageBox.warning(self, t("Không đặt lại được", "Cannot reset"), f"{message} ({code})")
            return
        self._prices_changed()

    def _prices_changed(self, *_args: object) -> None:
        self.reload()  # the estimate is computed again with the new prices

    # == files =============================================================================================
    def folder(self) -> Path:
        remembered = self.workspace_ops.setting(SETTING_FOLDER)
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents or Path.home())

    def choose_export(self, fmt: str) -> None:
        if self.needs is None:
            return
        filters = {"xlsx": t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"),
                   "pdf": t("Tệp PDF (*.pdf)", "PDF file (*.pdf)"), "docx": t("Tài liệu Word (*.docx)", "Word document (*.docx)")}
        name = ops.suggested_name(self.needs.period, fmt, self.needs.scope)
        path, _ = QFileDialog.getSaveFileName(self, t("Lưu nhu cầu đầu tư", "Save the investment needs"),
                                              str(self.folder() / name), filters[fmt])
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_suffix(f".{fmt}")
        self.workspace_ops.set_setting(SETTING_FOLDER, str(target.parent))
        self.export(fmt, target)

    def export(self, fmt: str, path: Path) -> None:
        """Write the needs shown into ``path`` (``xlsx``, ``pdf`` or ``docx``) on the worker."""
        needs, workspace = self.needs, self.workspace
        if needs is None:
            return
        files = ops.NeedsFiles(**{fmt: path})  # type: ignore[arg-type]  # fmt is xlsx, pdf or docx

        def work(context: JobContext) -> ops.NeedsFiles:
            return ops.write_needs_files(workspace, needs, files, context.progress)

        self.busy.show()
        for button in self.export_buttons.values():
            button.setEnabled(False)
        self.worker.submit("needs-files", work, finished=self._written, failed=self._write_failed)

    def _written(self, files: ops.NeedsFiles) -> None:
        self.busy.hide()
        for button in self.export_buttons.values():
            button.setEnabled(self.needs is not None)
        self.written = list(files.written)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(t("Đã ghi ", "Written: ") + ", ".join(str(p) for p in files.written), 8000)
        self.loaded.emit()

    def _write_failed(self, code: str, message: str) -> None:
        self.busy.hide()
        for button in self.export_buttons.values():
            button.setEnabled(self.needs is not None)
        QMessageBox.warning(self, t("Chưa ghi được tệp", "File not written"), f"{message} ({code})")
        self.loaded.emit()


def _vi() -> bool:
    from ..i18n import lang

    return lang() == "vi"


class PriceDialog(QDialog):
    """Change one unit price: the amount in đồng, its basis (required) and date."""

    saved = Signal()

    def __init__(self, price: Price, page: NeedsPage):
        super().__init__(page)
        self.setObjectName("priceDialog")
        self.page = page
        self.price = price
        self.setWindowTitle(t("Sửa đơn giá", "Change a unit price"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        item = QLabel(price.label if _vi() else price.label_en, self)
        item.setWordWrap(True)
        file_amount = price.file_amount if price.file_amount is not None else price.amount
        file_text = ops.format_vnd(file_amount) + f"/{price.unit}"
        self.amount = QLineEdit(ops.format_vnd(price.amount, unit=False), self)
        self.amount.setObjectName("priceAmount")
        self.amount_hint = QLabel(self)
        self.amount_hint.setObjectName("priceAmountHint")
        self.amount.textChanged.connect(self._check)
        self.basis = QLineEdit(price.basis if price.source == "department" else "", self)
        self.basis.setObjectName("priceBasis")
        self.basis.setPlaceholderText(t("Ví dụ: Báo giá của Công ty … ngày 02/12/2025", "E.g. quotation of … of 02/12/2025"))
        self.basis.textChanged.connect(self._check)
        self.date = QDateEdit(self)
        self.date.setObjectName("priceDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setDate(QDate.currentDate())
        form.addRow(t("Mặt hàng:", "Item:"), item)
        form.addRow(t("Đơn giá trong tệp:", "Price in the file:"), QLabel(file_text, self))
        form.addRow(t("Đơn giá mới (đồng):", "New price (VND):"), self.amount)
        form.addRow("", self.amount_hint)
        form.addRow(t("Căn cứ:", "Basis:"), self.basis)
        form.addRow(t("Ngày của đơn giá:", "Date of the price:"), self.date)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(t("Lưu", "Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("priceSave")
        self.buttons.addButton(t("Hủy", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())
        self._check()

    def _check(self, *_args: object) -> None:
        try:
            value = ops.parse_amount(self.amount.text())
        except ValueError as error:
            self.amount_hint.setText(str(error))
            self.amount_hint.setStyleSheet("color: #b71c1c")
            self.save_button.setEnabled(False)
            return
        self.amount_hint.setText(ops.format_vnd(value) + f"/{self.price.unit}")
        self.amount_hint.setStyleSheet("color: #555")
        self.save_button.setEnabled(bool(self.basis.text().strip()))

    def save(self) -> None:
        qdate = self.date.date()
        if self.page.save_price(self.price.id, self.amount.text(), self.basis.text(),
                                dt.date(qdate.year(), qdate.month(), qdate.day())):
            self.saved.emit()
            self.accept()
