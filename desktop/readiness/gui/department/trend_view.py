"""«Diễn biến»: one commune or the whole scope across periods (what ``readiness trend`` prints).

The score (or the average) per period as a line, a table of the periods (received, score, level or
communes per level, section scores) and, between the first and the last period, the criteria
that improved (Chưa đạt → Đạt) and those that got worse, with how many communes each.  The data
is :func:`readiness.department.trend.trend`, computed on the worker.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..chooser import CommuneField, PeriodPicker
from ..i18n import lang, language, t
from ..operations import Latest, Step, WorkspaceOps
from .charts import TrendChart, TrendPointView
from .labels import escape, period_text, score_text
from .models import TrendPointsModel
from .scope import ScopeBar

if TYPE_CHECKING:
    from ...department.trend import ItemChange, Trend
    from ...service import Workspace
    from ..operations import JobContext, Runner

MAX_COMMUNES_LISTED = 12


class TrendPage(QWidget):
    loaded = Signal()

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trendPage")
        self.workspace = workspace
        self.worker = worker
        self.today: dt.date | None = None
        self.trend: Trend | None = None
        self.load = Latest(worker, self)
        self._build()
        language().changed.connect(self.retranslate)
        self.retranslate()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        row = QHBoxLayout()
        self.from_label = QLabel(self)
        self.start = PeriodPicker(self)
        self.start.setObjectName("trendFrom")
        self.start.month.setSizeAdjustPolicy(self.start.month.SizeAdjustPolicy.AdjustToContents)
        self.to_label = QLabel(self)
        self.end = PeriodPicker(self)
        self.end.setObjectName("trendTo")
        self.end.month.setSizeAdjustPolicy(self.end.month.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(self.from_label)
        row.addWidget(self.start)
        row.addWidget(self.to_label)
        row.addWidget(self.end)
        row.addSpacing(12)
        self.whole = QRadioButton(self)
        self.whole.setObjectName("trendWhole")
        self.one = QRadioButton(self)
        self.one.setObjectName("trendOne")
        group = QButtonGroup(self)
        group.addButton(self.whole)
        group.addButton(self.one)
        self.whole.setChecked(True)
        self.commune = CommuneField(self)
        self.commune.setObjectName("trendCommune")
        self.commune.setMinimumWidth(self.fontMetrics().averageCharWidth() * 34)
        self.commune.chosen.connect(lambda c: self.one.setChecked(True) if c is not None else None)
        self.commune.open_requested.connect(self.reload)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("trendShow")
        self.show_button.clicked.connect(self.reload)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(100)
        self.busy.hide()
        row.addWidget(self.whole)
        row.addWidget(self.one)
        row.addWidget(self.commune, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.busy)
        layout.addLayout(row)
        self.scope = ScopeBar(self)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)
        layout.addLayout(scope_row)

        self.heading = QLabel(self)
        self.heading.setObjectName("trendHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QSplitter(Qt.Orientation.Horizontal, splitter)
        self.chart = TrendChart(top)
        self.chart.setObjectName("trendChart")
        self.model = TrendPointsModel(self)
        self.table = QTableView(top)
        self.table.setObjectName("trendTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top.addWidget(self.chart)
        top.addWidget(self.table)
        top.setSizes([420, 700])
        bottom = QWidget(splitter)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.improved_box = QGroupBox(bottom)
        self.improved = QTextBrowser(self.improved_box)
        self.improved.setObjectName("trendImproved")
        QVBoxLayout(self.improved_box).addWidget(self.improved)
        self.worsened_box = QGroupBox(bottom)
        self.worsened = QTextBrowser(self.worsened_box)
        self.worsened.setObjectName("trendWorsened")
        QVBoxLayout(self.worsened_box).addWidget(self.worsened)
        bottom_layout.addWidget(self.improved_box)
        bottom_layout.addWidget(self.worsened_box)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([330, 260])
        layout.addWidget(splitter, 1)

    def set_store(self) -> None:
        register = WorkspaceOps(self.workspace)
        self.commune.set_store(register)
        self.scope.set_register(register)

    def retranslate(self, *_args: object) -> None:
        self.from_label.setText(t("Từ kỳ:", "From:"))
        self.to_label.setText(t("đến kỳ:", "to:"))
        self.start.retranslate()
        self.end.retranslate()
        self.whole.setText(t("Toàn bộ phạm vi", "Whole scope"))
        self.one.setText(t("Một xã:", "One commune:"))
        self.commune.retranslate()
        self.show_button.setText(t("Xem diễn biến", "Show trend"))
        self.improved_box.setTitle(t("Đã cải thiện (Chưa đạt → Đạt)", "Improved (not met → met)"))
        self.worsened_box.setTitle(t("Xấu đi (Đạt → Chưa đạt)", "Got worse (met → not met)"))
        self.model.retranslate()
        self._show()

    @property
    def loading(self) -> bool:
        return self.load.loading

    def set_range(self, start: str, end: str) -> None:
        self.start.set_period(start)
        self.end.set_period(end)

    def show_commune(self, code: str) -> None:
        """Look at one commune (from the detail dialog)."""
        commune = WorkspaceOps(self.workspace).commune(code)
        if commune is None:  # unknown code: leave the field as it is
            return
        self.commune.set_commune(commune)
        self.one.setChecked(True)
        self.reload()

    # -- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the trend of what is chosen now (a load under way is dropped: only the newest is shown)."""
        from ...department.trend import trend

        start, end = self.start.period(), self.end.period()
        if start > end:
            start, end = end, start
        code = self.commune.commune.code if self.one.isChecked() and self.commune.commune is not None else None
        if self.one.isChecked() and code is None:
            self.load.drop()  # what was asked before is not what is chosen now
            self.busy.hide()
            self.show_button.setEnabled(True)
            self.heading.setText(escape(t("Gõ tên xã rồi chọn trong danh sách.", "Type the commune's name and pick it.")))
            return
        filters, today, workspace = self.scope.filters(), self.today, self.workspace

        def work(_context: JobContext) -> Trend:
            return trend(workspace, start, end, commune=code, filters=filters, today=today)

        self.busy.show()
        self.show_button.setEnabled(False)
        self.load.start(Step("trend", work, self._loaded), failed=self._failed)

    def _loaded(self, result: Trend) -> None:
        self.busy.hide()
        self.show_button.setEnabled(True)
        self.trend = result
        self.model.set_trend(result, self.workspace.latest_checklist())
        self._show()
        self.loaded.emit()

    def _failed(self, code: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.busy.hide()
        self.show_button.setEnabled(True)
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không xem được diễn biến", "Cannot show the trend"), failure_text(code, message))

    # -- showing -------------------------------------------------------------------------------------
    def _show(self) -> None:
        result = self.trend
        if result is None:
            self.heading.setText(escape(t("Chọn khoảng thời gian và phạm vi rồi bấm «Xem diễn biến».",
                                          "Choose the periods and the scope, then press “Show trend”.")))
            self.chart.set_points([])
            self.improved.clear()
            self.worsened.clear()
            return
        who = result.commune.name if result.commune else t("toàn bộ các xã trong phạm vi", "every commune in scope")
        text = t(f"Diễn biến của <b>{escape(who)}</b> từ {period_text(result.start)} đến {period_text(result.end)}",
                 f"Trend of <b>{escape(who)}</b> from {period_text(result.start)} to {period_text(result.end)}")
        if not result.points:
            text += ": " + escape(t("không có bản đánh giá nào đã hoàn thành trong khoảng này.",
                                    "no finalized assessment in these periods."))
        elif len(result.points) >= 2:
            first, last = result.points[0], result.points[-1]
            headline = result.headline
            if result.commune is None and headline is not None:
                # Like with like: the communes that reported in both periods (issue 15 §5).
                if headline.change is not None:
                    text += (f": {score_text(headline.before_score)} → {score_text(headline.after_score)} "
                             + _delta_html(headline.change))
                text += " — " + escape(t(headline.sentence(), headline.sentence_en())) + "."
                if first.score is not None and last.score is not None:
                    text += ("<br><span style='color:#555'>" + escape(t(
                        f"Điểm bình quân của mọi xã đã nộp: {score_text(first.score)} ({period_text(first.period)}, "
                        f"{first.received} xã) → {score_text(last.score)} ({period_text(last.period)}, {last.received} xã)",
                        f"Average of every commune that reported: {score_text(first.score)} ({period_text(first.period)}, "
                        f"{first.received}) → {score_text(last.score)} ({period_text(last.period)}, {last.received})"))
                        + "</span>")
            elif first.score is not None and last.score is not None:
                text += f": {score_text(first.score)} → {score_text(last.score)} " + _delta_html(last.score - first.score)
        timed = [p for p in result.points if p.deadline is not None and p.expected]
        if timed and result.commune is None:
            last = timed[-1]
            text += t(f"<br>Kỳ {period_text(last.period)}: đã nhận {last.received}/{last.expected}, đúng hạn "
                      f"<b>{last.on_time}</b> ({score_text((last.on_time_rate or 0.0) * 100)}%)",
                      f"<br>{period_text(last.period)}: received {last.received}/{last.expected}, on time "
                      f"<b>{last.on_time}</b> ({score_text((last.on_time_rate or 0.0) * 100)}%)")
        self.heading.setText(text)
        from ...bands import band

        checklist = self.model.checklist
        self.chart.set_points([
            TrendPointView(period_text(p.period), p.score,
                           band(checklist, p.score, p.level).colour if checklist is not None else "#9e9e9e")
            for p in result.points])
        self.table.resizeColumnsToContents()
        self.improved.setHtml(self._changes_html(result.improved, len(result.points)))
        self.worsened.setHtml(self._changes_html(result.worsened, len(result.points)))

    def _changes_html(self, changes: list[ItemChange], points: int) -> str:
        if points < 2:
            return f"<p style='color:#666'>{escape(t('Cần ít nhất hai kỳ có số liệu để so sánh.', 'Two periods with data are needed to compare.'))}</p>"
        if not changes:
            return f"<p style='color:#666'>{escape(t('Không có.', 'None.'))}</p>"
        checklist = self.workspace.latest_checklist()
        items = []
        for change in changes:
            label = change.label
            if lang() == "en":
                try:
                    label = checklist.item(change.item_id).label.en or label
                except KeyError:
                    pass
            star = f" <b style='color:#b71c1c'>[{escape(t('trọng yếu', 'critical'))}]</b>" if change.critical else ""
            line = f"<li><b>{escape(change.number)}</b> {escape(label)}{star}"
            if self.trend is not None and self.trend.commune is None:
                names = [name for _code, name in change.communes]
                listed = ", ".join(names[:MAX_COMMUNES_LISTED])
                if len(names) > MAX_COMMUNES_LISTED:
                    listed += t(f" và {len(names) - MAX_COMMUNES_LISTED} xã khác", f" and {len(names) - MAX_COMMUNES_LISTED} more")
                line += f" — <b>{change.count}</b> {escape(t('xã', 'communes'))}<br><span style='color:#555'>{escape(listed)}</span>"
            items.append(line + "</li>")
        return f"<ul style='margin-left:-16px'>{''.join(items)}</ul>"


def _delta_html(delta: float) -> str:
    color = "#1b5e20" if delta > 0 else "#b71c1c" if delta < 0 else "#444"
    sign = "+" if round(delta, 1) > 0 else ""
    return f"<b style='color:{color}'>({sign}{score_text(delta)})</b>"
