"""«Tổng quan»: the register and the consolidated picture of one period.

What ``readiness status`` and ``readiness dashboard`` print, on one screen: the counters (expected,
submitted, resubmitted, outdated, draft only, missing), the table of communes × sections (scores
coloured, level, signature status), and the charts (readiness levels, most common gaps, section
averages).  The data is :func:`readiness.department.consolidate.consolidate` (which runs
:func:`readiness.department.status.period_status` with the section scores), loaded on the
worker thread: 3,321 communes never freeze the window; a busy bar shows while it loads.

The text filter and sorting are the proxy's (no reload); every other filter asks the core again,
so the counters are the core's own totals for the scope.  Communes with a later revision *held*
(it would have replaced a signed one) are named above the table and in a column of their own;
«Bản giữ lại…» accepts or dismisses it (:class:`.held_dialog.HeldDialog`).

Under the counters, the period's cycle (:mod:`readiness.department.cycle`): its deadline («Đặt hạn
nộp…»), how many reported on time, late, with a file refused or a revision held (each filters the
table), and the two documents of the cycle: «Công văn đôn đốc…» and «Giấy xác nhận…».
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..chart import Bar, BarChart, CountBar, ScoreChart
from ..chooser import PeriodPicker
from ..i18n import lang, language, t
from ..operations import Latest, Step
from .labels import CYCLE_COLORS, STATE_COLORS, cycle_label, number_text, period_text, score_text, state_label
from .models import ProvinceRollupModel, ProvinceRollupProxy, StatusProxy, StatusTableModel
from .scope import ScopeBar, index_of, refill

if TYPE_CHECKING:
    from ...checklist.model import Checklist
    from ...department.consolidate import Consolidation
    from ...department.status import StatusReport
    from ...service import Workspace
    from ..operations import JobContext, Runner

TOP_GAPS = 8
COUNTERS = ("expected", "received", "submitted", "resubmitted", "outdated", "draft", "missing")
CYCLE_COUNTERS = ("on_time", "late", "refused", "held")  # against the deadline; each filters the table


class Counter(QPushButton):
    """A flat card: a big number and its label; clicking it filters the table by that state."""

    def __init__(self, key: str, parent: QWidget | None = None, colors: dict[str, tuple[str, str]] | None = None,
                 name: str | None = None):
        super().__init__(parent)
        colors = STATE_COLORS if colors is None else colors
        self.key = key
        self.setObjectName(name or f"counter_{key}")
        self.setCheckable(key in colors)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.isCheckable() else Qt.CursorShape.ArrowCursor)
        fg, bg = colors.get(key, ("#263238", "#eceff1"))
        self.setStyleSheet(
            f"QPushButton {{ background: {bg}; color: {fg}; border: 1px solid {bg}; border-radius: 5px;"
            " padding: 4px 10px; text-align: left; }"
            f"QPushButton:checked {{ border: 2px solid {fg}; }}")
        self.value = 0

    def set_value(self, value: int, label: str, extra: str = "") -> None:
        self.value = value
        self.setText(f"{number_text(value)}  {label}" + (f" {extra}" if extra else ""))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.text()) + 30)
        self.setAccessibleName(self.text())


class DashboardPage(QWidget):
    """The dashboard of one period; ``loaded`` is emitted each time new data is shown."""

    loaded = Signal()  # everything shown (or the load failed)
    status_loaded = Signal()  # the first step shown: counters and table with the stored scores
    detail_requested = Signal(str, str)  # commune code, period
    busy_changed = Signal(bool)
    deadline_requested = Signal(str)  # the period whose deadline to set
    remind_requested = Signal(str)  # the period
    receipts_requested = Signal(str)  # the period

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.workspace = workspace
        self.worker = worker
        self.today: dt.date | None = None  # the date drafts are scored as of (None: today; tests pin it)
        self.data: Consolidation | None = None
        self.load_seconds: float | None = None  # wall time of the last load (submit → shown)
        self.load = Latest(worker, self)  # the newest load's two steps (status, then consolidation)
        self.cycle_filter: str | None = None  # a cycle counter clicked: only those communes
        self.status_seconds: float | None = None  # wall time of the first step (register status)
        self._started = 0.0
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
        self.period.setObjectName("periodPicker")
        self.period.month.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_label.setBuddy(self.period.month)
        self.period.month.currentIndexChanged.connect(self._filters_changed)
        self.period.year.valueChanged.connect(self._filters_changed)
        self.scope = ScopeBar(self)
        self.scope.changed.connect(self._filters_changed)
        self.level_label = QLabel(self)
        self.level = QComboBox(self)
        self.level.setObjectName("levelFilter")
        self.level_label.setBuddy(self.level)
        self.level.currentIndexChanged.connect(self._filters_changed)
        self.state_label_ = QLabel(self)
        self.state = QComboBox(self)
        self.state.setObjectName("stateFilter")
        self.state_label_.setBuddy(self.state)
        self.state.currentIndexChanged.connect(self._filters_changed)
        bar.addWidget(self.period_label)
        bar.addWidget(self.period)
        bar.addSpacing(8)
        bar.addWidget(self.scope)
        bar.addSpacing(8)
        bar.addWidget(self.level_label)
        bar.addWidget(self.level)
        bar.addWidget(self.state_label_)
        bar.addWidget(self.state)
        bar.addStretch(1)
        layout.addLayout(bar)

        counters = QHBoxLayout()
        counters.setSpacing(6)
        self.counters = {key: Counter(key, self) for key in COUNTERS}
        for key, counter in self.counters.items():
            if counter.isCheckable():
                counter.clicked.connect(lambda checked, k=key: self._counter_clicked(k, checked))
            counters.addWidget(counter)
        counters.addStretch(1)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("dashboardBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(140)
        self.busy.setMaximumHeight(self.fontMetrics().height())
        self.busy.hide()
        self.busy_text = QLabel(self)
        self.busy_text.setObjectName("dashboardBusyText")
        counters.addWidget(self.busy)
        counters.addWidget(self.busy_text)
        layout.addLayout(counters)

        cycle = QHBoxLayout()
        cycle.setSpacing(6)
        self.deadline_label = QLabel(self)
        self.deadline_label.setObjectName("deadlineLabel")
        self.deadline_label.setTextFormat(Qt.TextFormat.RichText)
        self.deadline_button = QPushButton(self)
        self.deadline_button.setObjectName("deadlineButton")
        self.deadline_button.clicked.connect(lambda: self.deadline_requested.emit(self.current_period()))
        cycle.addWidget(self.deadline_label)
        cycle.addWidget(self.deadline_button)
        cycle.addSpacing(8)
        self.cycle_counters = {key: Counter(key, self, CYCLE_COLORS, f"cycle_{key}") for key in CYCLE_COUNTERS}
        for key, counter in self.cycle_counters.items():
            counter.clicked.connect(lambda checked, k=key: self._cycle_clicked(k, checked))
            cycle.addWidget(counter)
            counter.hide()
        cycle.addStretch(1)
        self.remind_button = QPushButton(self)
        self.remind_button.setObjectName("remindButton")
        self.remind_button.clicked.connect(lambda: self.remind_requested.emit(self.current_period()))
        self.receipts_button = QPushButton(self)
        self.receipts_button.setObjectName("receiptsButton")
        self.receipts_button.clicked.connect(lambda: self.receipts_requested.emit(self.current_period()))
        cycle.addWidget(self.remind_button)
        cycle.addWidget(self.receipts_button)
        layout.addLayout(cycle)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        charts = QWidget(splitter)
        charts.setObjectName("dashboardCharts")
        charts_layout = QHBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.levels_box = QGroupBox(charts)
        self.levels_chart = BarChart(self.levels_box, label_share=0.5,
                                     empty_text=("Chưa nhận bản nào", "Nothing received yet"))
        self.levels_chart.setObjectName("levelsChart")
        levels_layout = QVBoxLayout(self.levels_box)
        levels_layout.addWidget(self.levels_chart)
        self.average_label = QLabel(self.levels_box)
        self.average_label.setObjectName("averageScore")
        self.average_label.setTextFormat(Qt.TextFormat.RichText)
        self.average_label.setWordWrap(True)
        levels_layout.addWidget(self.average_label)
        levels_layout.addStretch(1)
        self.gaps_box = QGroupBox(charts)
        self.gaps_chart = BarChart(self.gaps_box, label_share=0.66,
                                   empty_text=("Không có tồn tại nào", "No gaps"))
        self.gaps_chart.setObjectName("gapsChart")
        gaps_layout = QVBoxLayout(self.gaps_box)
        gaps_layout.addWidget(self.gaps_chart)
        gaps_layout.addStretch(1)
        self.sections_box = QGroupBox(charts)
        self.sections_chart = ScoreChart(self.sections_box)
        self.sections_chart.setObjectName("sectionsChart")
        sections_layout = QVBoxLayout(self.sections_box)
        sections_layout.addWidget(self.sections_chart)
        sections_layout.addStretch(1)
        charts_layout.addWidget(self.levels_box, 5)
        charts_layout.addWidget(self.gaps_box, 9)
        charts_layout.addWidget(self.sections_box, 7)
        splitter.addWidget(charts)

        table_area = QWidget(splitter)
        left_layout = QVBoxLayout(table_area)
        left_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        self.search = QLineEdit(table_area)
        self.search.setObjectName("dashboardSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.shown_label = QLabel(table_area)
        self.shown_label.setObjectName("shownCount")
        self.detail_button = QPushButton(table_area)
        self.detail_button.setObjectName("detailButton")
        self.detail_button.clicked.connect(self.open_detail)
        self.held_notice = QLabel(table_area)
        self.held_notice.setObjectName("heldNotice")
        self.held_notice.setStyleSheet("#heldNotice { background: #ffe0b2; color: #8a3c00; border-radius: 3px;"
                                       " padding: 2px 6px; }")
        self.held_notice.hide()
        self.held_button = QPushButton(table_area)
        self.held_button.setObjectName("heldButton")
        self.held_button.clicked.connect(self.open_held)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.held_notice)
        search_row.addWidget(self.shown_label)
        search_row.addWidget(self.held_button)
        search_row.addWidget(self.detail_button)
        left_layout.addLayout(search_row)
        self.model = StatusTableModel(self)
        self.proxy = StatusProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(table_area)
        self.table.setObjectName("dashboardTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's Vietnamese order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnHidden(StatusTableModel.KIND, True)  # the name says it: «Xã …», «Phường …»
        self.table.doubleClicked.connect(lambda _index: self.open_detail())
        self.table.activated.connect(lambda _index: self.open_detail())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Across provinces (the country, a group spanning provinces) a second tab: one row per province.
        self.tabs = QTabWidget(table_area)
        self.tabs.setObjectName("dashboardTabs")
        self.tabs.addTab(self.table, "")
        self.province_model = ProvinceRollupModel(self)
        self.province_proxy = ProvinceRollupProxy(self)
        self.province_proxy.setSourceModel(self.province_model)
        self.province_table = QTableView(self.tabs)
        self.province_table.setObjectName("provinceRollupTable")
        self.province_table.setModel(self.province_proxy)
        self.province_table.setSortingEnabled(True)
        self.province_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's Vietnamese order
        self.province_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.province_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.province_table.setWordWrap(False)
        self.province_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.province_table.verticalHeader().hide()
        self.province_table.horizontalHeader().setStretchLastSection(False)
        self.province_table.doubleClicked.connect(self._province_chosen)
        self.province_table.activated.connect(self._province_chosen)
        self.tabs.addTab(self.province_table, "")
        self.tabs.setTabVisible(1, False)
        left_layout.addWidget(self.tabs, 1)
        splitter.addWidget(table_area)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        layout.addWidget(splitter, 1)

    def retranslate(self, *_args: object) -> None:
        from ...department.status import STATES

        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.retranslate()
        self.level_label.setText(t("Mức:", "Level:"))
        self.state_label_.setText(t("Tình trạng:", "State:"))
        refill(self.state, [(t("Tất cả", "All"), None)] + [(state_label(s), s) for s in STATES])
        self._fill_levels()
        self.search.setPlaceholderText(t("Lọc theo tên hoặc mã xã (có dấu hoặc không, ví dụ: dak ha)",
                                         "Filter by name or code (with or without diacritics, e.g. dak ha)"))
        self.detail_button.setText(t("Chi tiết xã…", "Commune detail…"))
        self.deadline_button.setText(t("Đặt hạn nộp…", "Set the deadline…"))
        self.remind_button.setText(t("Công văn đôn đốc…", "Reminder letter…"))
        self.remind_button.setToolTip(t("Công văn đôn đốc các xã chưa gửi, có tệp bị từ chối hoặc có bản giữ lại, kèm "
                                        "danh sách liên hệ", "A letter chasing the communes that have not reported, "
                                        "with their contacts"))
        self.receipts_button.setText(t("Giấy xác nhận…", "Receipts…"))
        self.receipts_button.setToolTip(t("Giấy xác nhận đã nhận kết quả tự đánh giá cho các bản đã tiếp nhận",
                                          "Receipts for the submissions accepted"))
        self.held_button.setText(t("Bản giữ lại…", "Held revision…"))
        self.held_button.setToolTip(t("Chấp nhận hoặc bỏ bản nộp mới bị giữ lại của xã đang chọn",
                                      "Accept or dismiss the selected commune's held revision"))
        self.levels_box.setTitle(t("Mức sẵn sàng (bản đã nhận)", "Readiness levels (received)"))
        self.gaps_box.setTitle(t(f"Tồn tại phổ biến nhất (tiêu chí chưa đạt, {TOP_GAPS} tiêu chí đầu)",
                                 f"Most common gaps (criteria not met, top {TOP_GAPS})"))
        self.sections_box.setTitle(t("Điểm bình quân từng phần", "Average score per section"))
        self.busy_text.setText(t("Đang tải số liệu…", "Loading…") if self.loading else self._loaded_text())
        self.model.retranslate()
        self.province_model.retranslate()
        self.tabs.setTabText(0, t("Theo xã", "By commune"))
        self.tabs.setTabText(1, t("Theo tỉnh, thành phố", "By province"))
        if self.data is not None:
            self._show(self.data)

    def _fill_levels(self) -> None:
        try:
            levels = self.workspace.latest_checklist().levels
        except Exception:  # noqa: BLE001 - no checklist: the filter just has "all"
            levels = []
        refill(self.level, [(t("Tất cả", "All"), None)] + [(level.label.get(lang()), level.id) for level in levels])

    # == loading ===========================================================================================
    def set_period(self, period: str) -> None:
        self.period.blockSignals(True)
        self.period.month.blockSignals(True)
        self.period.year.blockSignals(True)
        self.period.set_period(period)
        self.period.month.blockSignals(False)
        self.period.year.blockSignals(False)
        self.period.blockSignals(False)

    def current_period(self) -> str:
        return self.period.period()

    def filters(self):
        return self.scope.filters(level=self.level.currentData(), state=self.state.currentData(),
                                  cycle=self.cycle_filter)

    def _cycle_clicked(self, key: str, checked: bool) -> None:
        self.cycle_filter = key if checked else None
        for other, counter in self.cycle_counters.items():
            counter.setChecked(other == self.cycle_filter)
        QTimer.singleShot(0, self.reload)

    def _filters_changed(self, *_args: object) -> None:
        state = self.state.currentData()
        for key, counter in self.counters.items():
            if counter.isCheckable():
                counter.setChecked(key == state)
        QTimer.singleShot(0, self.reload)  # after every combo of one change has its value

    def _counter_clicked(self, key: str, checked: bool) -> None:
        index = index_of(self.state, key if checked else None)
        self.state.setCurrentIndex(max(index, 0))

    def reload(self) -> None:
        """Load the period with the current filters on the worker, in two steps.

        First the register status with the stored scores (:func:`period_status`, well under a second
        for the country): counters and table.  Then the consolidation (section scores of every
        commune, gaps, averages: the slow part when nothing is in the score cache) fills the section
        columns and the charts.  A newer reload makes the older one's results ignored, and its
        queued steps are skipped.
        """
        from ...department.consolidate import consolidate
        from ...department.status import period_status

        period, filters, today, workspace = self.current_period(), self.filters(), self.today, self.workspace

        def status_work(_context: JobContext) -> Any:
            return period_status(workspace, period, filters, today=today)

        def detail_work(_context: JobContext) -> Any:
            return consolidate(workspace, period, filters, today=today)

        self._started = time.perf_counter()
        self.busy.show()
        self.busy_text.setText(t(f"Đang tải số liệu kỳ {period_text(period)}…", f"Loading {period_text(period)}…"))
        for box in (self.levels_box, self.gaps_box, self.sections_box):
            box.setEnabled(False)
        self.busy_changed.emit(True)
        self.load.start(Step("dashboard-status", status_work, self._status_loaded),
                        Step("dashboard", detail_work, self._loaded), failed=self._failed)

    @property
    def loading(self) -> bool:
        return self.load.loading

    def _status_loaded(self, status: StatusReport) -> None:
        self.status_seconds = time.perf_counter() - self._started
        self._show_status(status, self.workspace.latest_checklist(), None)
        self.busy_text.setText(t(f"{number_text(status.expected)} đơn vị — đang tính điểm từng phần…",
                                 f"{number_text(status.expected)} units — computing section scores…"))
        self.status_loaded.emit()

    def _loaded(self, data: Consolidation) -> None:
        self.data = data
        self._show(data)
        from ..long_lived import settle

        settle()  # the report and its table live until the next load: out of the collector's way (clicks)
        self.load_seconds = time.perf_counter() - self._started
        self._done_loading(self._loaded_text())
        self.loaded.emit()

    def _failed(self, code: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._done_loading(t("Không tải được số liệu", "Could not load"))
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không tải được số liệu", "Could not load the data"), failure_text(code, message))
        self.loaded.emit()

    def _done_loading(self, text: str) -> None:
        self.busy.hide()
        self.busy_text.setText(text)
        for box in (self.levels_box, self.gaps_box, self.sections_box):
            box.setEnabled(True)
        self.busy_changed.emit(False)

    def _loaded_text(self) -> str:
        if self.data is None or self.load_seconds is None:
            return ""
        rows = number_text(self.data.status.expected)
        seconds = score_text(self.load_seconds, 1) if self.load_seconds >= 0.1 else score_text(self.load_seconds, 2)
        return t(f"{rows} đơn vị, tải trong {seconds} giây", f"{rows} units, loaded in {seconds} s")

    # == showing ===========================================================================================
    def _show(self, data: Consolidation) -> None:
        self._show_status(data.status, data.checklist, [section.id for section in data.sections])
        average = data.average_score()
        self.counters["received"].setToolTip(t("Điểm bình quân: ", "Average score: ") + score_text(average))
        self.average_label.setText(t(f"Điểm bình quân: <b>{score_text(average)}</b>/100 ({number_text(data.received)} bản đã nhận)",
                                     f"Average score: <b>{score_text(average)}</b>/100 ({number_text(data.received)} received)"))
        self._show_charts(data)
        self._show_provinces(data)

    def _show_provinces(self, data: Consolidation) -> None:
        """The «Theo tỉnh, thành phố» tab: shown only when the scope spans provinces."""
        from ...department.rollup import province_rollup, spans_provinces

        national = spans_provinces(data)
        self.province_model.set_rollup(province_rollup(data) if national else [], data.status.levels, data.checklist)
        self.tabs.setTabVisible(1, national)
        if not national and self.tabs.currentIndex() == 1:
            self.tabs.setCurrentIndex(0)
        if national:
            metrics = self.province_table.fontMetrics()
            header = self.province_table.horizontalHeader()
            header.resizeSection(ProvinceRollupModel.NAME, metrics.horizontalAdvance("Thành phố Hồ Chí Minh") + 14)
            for column in range(1, self.province_model.columnCount()):
                title = str(self.province_model.headerData(column, Qt.Orientation.Horizontal) or "")
                header.resizeSection(column, max(metrics.horizontalAdvance(title), metrics.horizontalAdvance("3.321"))
                                     + 24)

    def _province_chosen(self, index: Any) -> None:
        """A province double-clicked: its communes in the «Theo xã» tab (the filter looks in the province's name)."""
        row = self.province_proxy.object_at(index.row()) if index.isValid() else None
        if row is None:
            return
        self.tabs.setCurrentIndex(0)
        self.search.setText(row.short_name)

    def _show_status(self, status: StatusReport, checklist: Checklist, sections: list[str] | None) -> None:
        """The counters and the table (``sections``: the section columns; None: the scored ones)."""
        if sections is None:
            from ...department.consolidate import criteria_of

            sections = [section.id for section in criteria_of(checklist)[0]]
        selected = self.selected_code()
        self.model.set_report(status, checklist, sections)
        self._fit_columns()
        held = sum(1 for row in status.rows if row.held)
        self.held_notice.setVisible(bool(held))
        if held:
            self.held_notice.setText(t(f"{number_text(held)} xã có bản nộp mới bị giữ lại, chờ Sở quyết định",
                                       f"{number_text(held)} communes have a held revision to decide on"))
        if selected:
            self.select_code(selected)
        by_state = status.by_state
        expected = status.expected
        received = status.received
        from ...numbers import share as share_words

        share = f"({share_words(received / expected, lang())})" if expected else ""
        self._show_cycle(status)
        self.counters["expected"].set_value(expected, t("phải nộp", "expected"))
        self.counters["received"].set_value(received, t("đã nhận", "received"), share)
        for key in ("submitted", "resubmitted", "outdated", "draft", "missing"):
            label = {"submitted": t("đã nộp", "submitted"), "resubmitted": t("nộp lại", "resubmitted"),
                     "outdated": t("bảng kiểm cũ", "old checklist"), "draft": t("mới có nháp", "draft only"),
                     "missing": t("chưa nộp", "missing")}[key]
            counter = self.counters[key]
            counter.set_value(by_state.get(key, 0), label)
            counter.setToolTip(state_label(key))
        self._update_shown()

    def _show_cycle(self, status: StatusReport) -> None:
        """The deadline and the counters against it (on time, late, refused, held); hidden when zero or moot."""
        from ...numbers import share as share_words

        cycle = status.cycle
        deadline = cycle.deadline if cycle else None
        if deadline is None:
            self.deadline_label.setText(t("Kỳ này <b>chưa đặt hạn nộp</b>", "No <b>deadline</b> set for this period"))
        else:
            day = deadline.strftime("%d/%m/%Y")
            today = dt.date.today()
            if today > deadline:
                when = t("đã hết hạn", "passed")
            elif today == deadline:
                when = t("hết hạn cuối ngày hôm nay", "ends tonight")
            else:
                days = (deadline - today).days
                when = t(f"còn {days} ngày", f"{days} days left")
            self.deadline_label.setText(t(f"Hạn nộp: <b>{day}</b> ({when})", f"Deadline: <b>{day}</b> ({when})"))
        expected = status.expected
        labels = {"on_time": t("đúng hạn", "on time"), "late": t("sau hạn", "late"),
                  "refused": t("tệp bị từ chối", "file refused"), "held": t("có bản giữ lại", "revision held")}
        for key, counter in self.cycle_counters.items():
            value = getattr(cycle, key, 0) if cycle else 0
            share = f"({share_words(value / expected, lang())})" if key == "on_time" and expected else ""
            counter.set_value(value, labels[key], share)
            counter.setToolTip(cycle_label(key))
            shown = deadline is not None if key in ("on_time", "late") else bool(value)
            counter.setVisible(shown or self.cycle_filter == key)
            counter.setChecked(self.cycle_filter == key)

    def _show_charts(self, data: Consolidation) -> None:
        checklist = data.checklist
        code = lang()
        self.levels_chart.set_bars([
            CountBar(checklist.level(lc.level.id).label.get(code) if _has_level(checklist, lc.level.id) else lc.level.label,
                     lc.count, lc.level.color, lc.share) for lc in data.levels])
        gaps = [g for g in data.common_gaps if g.count][:TOP_GAPS]
        bars = []
        for gap in gaps:
            criterion = gap.criterion
            label = criterion.label
            if code == "en":
                try:
                    label = checklist.item(criterion.item_id).label.en or label
                except KeyError:
                    pass
            mark = " ★" if criterion.critical else ""
            bars.append(CountBar(f"{criterion.number} {label}{mark}", gap.count,
                                 "#c62828" if criterion.critical else "#ef6c00", gap.share,
                                 tip=f"{criterion.number} {label}: {gap.count} " + t("xã chưa đạt", "communes not met")
                                     + (t(" (tiêu chí trọng yếu)", " (critical criterion)") if criterion.critical else "")))
        self.gaps_chart.set_bars(bars)
        self.sections_chart.set_bars([
            Bar.of(checklist, f"{s.number}. {checklist.section(s.id).title.get(code)}", data.section_averages.get(s.id))
            for s in data.sections])

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        from ...department.status import STATES

        levels = [self.model.level_label(level_id) for level_id in self.model.levels]
        widths = {StatusTableModel.CODE: ["00000"], StatusTableModel.NAME: ["Phường Trương Quang Trọng"],
                  StatusTableModel.KIND: ["Đặc khu"], StatusTableModel.FORMER: ["Quảng Ngãi"],
                  StatusTableModel.STATE: [state_label(s) for s in STATES], StatusTableModel.REVISION: ["Lần"],
                  StatusTableModel.SCORE: ["100,0"], StatusTableModel.LEVEL: levels or ["Cơ bản sẵn sàng"]}
        if self.model.has_held:
            widths[StatusTableModel.STATE].append(state_label("submitted") + t(" · giữ lại lần 2", " · rev. 2 held"))
        if self.model.signature_column >= 0:
            widths[self.model.signature_column] = [t("Đã ký số, hợp lệ", "Invalid signature")]
        if self.model.held_column >= 0:
            widths[self.model.held_column] = [t("Lần 3: ký bởi tổ chức khác", "Rev. 3: signed by another organisation")]
        if self.model.cycle_column >= 0:
            widths[self.model.cycle_column] = [t("Sau hạn 12 ngày · 17/01", "12 days late · 17/01"),
                                               t("Tệp bị từ chối · 06/01", "File refused · 06/01")]
        for column, samples in widths.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(metrics.horizontalAdvance(text) for text in [*samples, title])
            header.resizeSection(column, min(widest + 14, metrics.averageCharWidth() * 30))
        for column in range(StatusTableModel.FIXED, self.model.columnCount()):
            if column in (self.model.signature_column, self.model.held_column, self.model.cycle_column):
                continue
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(metrics.horizontalAdvance(line) for line in title.split("\n"))
            header.resizeSection(column, max(metrics.horizontalAdvance("100") + 14, widest + 12))

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_shown()

    def _update_shown(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.shown_label.setText(t(f"Đang xem {shown}/{total} đơn vị", f"Showing {shown}/{total} units"))
        self.shown_label.setMinimumWidth(self.shown_label.fontMetrics().horizontalAdvance(self.shown_label.text()) + 8)
        self._selection_changed()

    # == selection and detail ==============================================================================
    def selected_code(self) -> str | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows:
            return None
        row = self.proxy.object_at(rows[0].row())
        return row.code if row is not None else None

    def select_code(self, code: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.object_at(row).code == code:
                index = self.proxy.index(row, 0)
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _selection_changed(self, *_args: QItemSelection) -> None:
        self.detail_button.setEnabled(self.selected_code() is not None)
        row = self.selected_row()
        self.held_button.setEnabled(row is not None and bool(row.held))
        self.held_button.setVisible(self.model.has_held)

    def selected_row(self) -> Any:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        return self.proxy.object_at(rows[0].row()) if rows else None

    def open_held(self) -> None:
        """Accept or dismiss the selected commune's held revision (:class:`.held_dialog.HeldDialog`)."""
        row = self.selected_row()
        if row is None or not row.held:
            return
        from .held_dialog import HeldDialog

        dialog = HeldDialog(self.workspace, self.worker, row.held, {row.code: row.name}, self)
        dialog.decided.connect(lambda _outcome: self.reload())
        self.held_dialog = dialog
        dialog.open()

    def open_detail(self, *_args: Any) -> None:
        code = self.selected_code()
        if code:
            self.detail_requested.emit(code, self.current_period())

    def visible_names(self) -> list[str]:
        """The names in the table as shown (sorted, filtered): for tests."""
        return [self.proxy.index(row, StatusTableModel.NAME).data() for row in range(self.proxy.rowCount())]


def _has_level(checklist: Any, level_id: str) -> bool:
    try:
        checklist.level(level_id)
    except KeyError:
        return False
    return True


