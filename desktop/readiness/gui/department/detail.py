"""One commune in detail (what ``readiness dashboard --commune CODE`` prints): its score and level,
section scores, the gaps with the checklist's advice, its answers, every revision it sent, and its
petitions.  The data is :func:`readiness.department.consolidate.commune_detail` and the commune's
current petitions (:func:`readiness.department.petitions.list_petitions`), loaded on the worker
(:func:`readiness.gui.operations.department.load_detail`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..chart import Bar, ScoreChart
from ..i18n import lang, t
from .labels import (
    PETITION_COLORS,
    SIGNATURE_COLORS,
    escape,
    period_text,
    petition_status_label,
    readable_on,
    score_colors,
    score_text,
    signature_label,
    state_label,
)

if TYPE_CHECKING:
    from ..operations.department import DetailData

_REVISION_STATUS = {"draft": ("Bản nháp", "Draft"), "finalized": ("Đã hoàn thành", "Finalized"),
                    "superseded": ("Đã có lần sau thay thế", "Superseded")}
_ORIGIN = {"import": ("Nhập từ tệp", "Imported file"), "local": ("Nhập trên máy này", "Entered here")}


def _local(moment: Any) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else ""


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class CommuneDetailDialog(QDialog):
    trend_requested = Signal(str)  # commune code

    def __init__(self, data: DetailData, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("communeDetail")
        self.data = data
        detail = data.detail
        self.setWindowTitle(t(f"{detail.commune.name} — kỳ {period_text(detail.period)}",
                              f"{detail.commune.name} — period {period_text(detail.period)}"))
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.facts = QLabel(self)
        self.facts.setObjectName("detailFacts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        result_page = QWidget(self.tabs)
        result_layout = QHBoxLayout(result_page)
        self.chart = ScoreChart(result_page)
        self.chart.setObjectName("detailChart")
        chart_column = QVBoxLayout()
        self.chart_title = QLabel(result_page)
        chart_column.addWidget(self.chart_title)
        chart_column.addWidget(self.chart)
        chart_column.addStretch(1)
        result_layout.addLayout(chart_column, 4)
        self.gaps = QTextBrowser(result_page)
        self.gaps.setObjectName("detailGaps")
        result_layout.addWidget(self.gaps, 5)
        self.tabs.addTab(result_page, "")
        self.answers = _table(self.tabs, ["", "", ""])
        self.answers.setObjectName("detailAnswers")
        self.tabs.addTab(self.answers, "")
        self.history = _table(self.tabs, [""] * 7)
        self.history.setObjectName("detailHistory")
        self.tabs.addTab(self.history, "")
        self.petitions = _table(self.tabs, [""] * 5)
        self.petitions.setObjectName("detailPetitions")
        self.tabs.addTab(self.petitions, "")

        buttons = QHBoxLayout()
        self.trend_button = QPushButton(self)
        self.trend_button.setObjectName("detailTrend")
        self.trend_button.clicked.connect(lambda: self.trend_requested.emit(detail.commune.code))
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.trend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.fill()

    # -- content ---------------------------------------------------------------------------------------
    def fill(self) -> None:
        detail = self.data.detail
        code = lang()
        commune = detail.commune
        former = f", {t('tỉnh cũ', 'former province')} {commune.former_province}" if commune.former_province else ""
        self.title.setText(f"<b>{escape(commune.name)}</b> — {commune.code} · {escape(commune.province_name)}{escape(former)}")
        checklist, result, info = detail.checklist, detail.result, detail.info
        parts = [f"{t('Kỳ', 'Period')} {period_text(detail.period)}: <b>{escape(state_label(detail.state))}</b>"]
        if info is not None:
            parts[-1] += t(f", lần {info.revision}", f", revision {info.revision}")
            if info.finalized_at:
                parts.append(t("hoàn thành ", "finalized ") + _local(info.finalized_at))
        if self.data.signature:
            color = SIGNATURE_COLORS.get(self.data.signature, "#000")
            parts.append(f"<span style='color:{color}'>{escape(signature_label(self.data.signature))}</span>")
        facts = " · ".join(parts)
        if result is not None and checklist is not None:
            level = checklist.level(result.level_id)
            fg, bg = score_colors(checklist, result.score, result.level_id) or (None, None)
            facts = (f"<span style='font-size:large; background:{bg.name() if bg else 'transparent'};"
                     f" color:{fg.name() if fg else 'black'}'>&nbsp;<b>{score_text(result.score)}</b>/100&nbsp;</span>"
                     f" &nbsp;<span style='background:{level.color}; color:{readable_on(level.color)}'>"
                     f"&nbsp;{escape(level.label.get(code))}&nbsp;</span> &nbsp;"
                     + t(f"trọng yếu chưa đạt: <b>{result.critical_failed}</b>",
                         f"critical not met: <b>{result.critical_failed}</b>")
                     + (t(f" · chấm theo ngày {detail.as_of:%d/%m/%Y}", f" · scored as of {detail.as_of:%d/%m/%Y}")
                        if detail.as_of else "")
                     + "<br>" + facts)
        elif detail.state == "missing":
            facts += "<br>" + escape(t("Xã chưa nộp bản tự đánh giá cho kỳ này.", "No assessment for this period."))
        self.facts.setText(facts)

        self.chart_title.setText(t("Điểm từng phần", "Score per section"))
        if result is not None and checklist is not None:
            from ...department.consolidate import criteria_of

            scored = {section.id: section.number for section in criteria_of(checklist)[0]}
            self.chart.set_bars([Bar.of(checklist, f"{scored[s.section_id]}. {checklist.section(s.section_id).title.get(code)}", s.score)
                                 for s in result.sections if s.relevant and s.section_id in scored])
        else:
            self.chart.set_bars([])
        self._fill_gaps()
        self._fill_answers()
        self._fill_history()
        self._fill_petitions()
        self.tabs.setTabText(0, t("Kết quả và tồn tại", "Result and gaps"))
        self.tabs.setTabText(1, t(f"Câu trả lời ({self.answers.rowCount()})", f"Answers ({self.answers.rowCount()})"))
        self.tabs.setTabText(2, t(f"Lịch sử nộp ({self.history.rowCount()})", f"Revisions ({self.history.rowCount()})"))
        self.tabs.setTabText(3, t(f"Kiến nghị ({self.petitions.rowCount()})", f"Petitions ({self.petitions.rowCount()})"))
        self.trend_button.setText(t("Diễn biến qua các kỳ…", "Trend across periods…"))
        self.close_button.setText(t("Đóng", "Close"))

    def _fill_gaps(self) -> None:
        detail = self.data.detail
        result, checklist = detail.result, detail.checklist
        if result is None or checklist is None:
            self.gaps.setHtml(f"<p>{escape(t('Không có số liệu.', 'No data.'))}</p>")
            return
        code = lang()
        gaps = sorted(result.gaps, key=lambda r: (not r.critical, -r.weight))
        if not gaps:
            self.gaps.setHtml(f"<p style='color:#1b5e20'>{escape(t('Đạt mọi tiêu chí được chấm.', 'Every scored criterion is met.'))}</p>")
            return
        items = []
        for gap in gaps:
            label = checklist.item(gap.item_id).label.get(code)
            advice = gap.advice_en if code == "en" and gap.advice_en else gap.advice
            star = (f" <b style='color:#b71c1c'>[{escape(t('trọng yếu', 'critical'))}]</b>" if gap.critical else "")
            items.append(f"<li style='margin-bottom:4px'><b>{checklist.number(gap.item_id)} {escape(label)}</b>{star}"
                         + (f"<br><span style='color:#444'>{escape(advice)}</span>" if advice else "") + "</li>")
        heading = t(f"Tồn tại ({len(gaps)} tiêu chí chưa đạt) và cách khắc phục",
                    f"Gaps ({len(gaps)} criteria not met) and what to do")
        self.gaps.setHtml(f"<p><b>{escape(heading)}</b></p><ol style='margin-left:-16px'>{''.join(items)}</ol>")

    def _fill_answers(self) -> None:
        lines = self.data.detail.answer_lines()
        self.answers.setHorizontalHeaderLabels([t("Số", "No."), t("Câu hỏi", "Question"), t("Trả lời", "Answer")])
        self.answers.setRowCount(len(lines))
        for row, (number, label, answer) in enumerate(lines):
            for column, text in enumerate((number, label, answer)):
                self.answers.setItem(row, column, QTableWidgetItem(text))
        self.answers.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.answers.setColumnWidth(1, self.fontMetrics().averageCharWidth() * 60)

    def _fill_history(self) -> None:
        history = self.data.detail.history
        checklist = self.data.detail.checklist
        self.history.setHorizontalHeaderLabels([t("Kỳ", "Period"), t("Lần", "Rev."), t("Trạng thái", "Status"),
                                                t("Điểm", "Score"), t("Mức", "Level"), t("Hoàn thành lúc", "Finalized"),
                                                t("Nguồn", "Origin")])
        self.history.setRowCount(len(history))
        for row, info in enumerate(history):
            level = ""
            if info.level and checklist is not None:
                try:
                    level = checklist.level(info.level).label.get(lang())
                except KeyError:
                    level = info.level
            vi, en = _REVISION_STATUS.get(info.status, (info.status, info.status))
            origin_vi, origin_en = _ORIGIN.get(info.origin, (info.origin, info.origin))
            values = (period_text(info.period), str(info.revision), t(vi, en), score_text(info.score, fixed=True), level,
                      _local(info.finalized_at), t(origin_vi, origin_en))
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if info.period == self.data.detail.period and self.data.detail.info is not None \
                        and info.id == self.data.detail.info.id:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.history.setItem(row, column, item)

    def _fill_petitions(self) -> None:
        petitions = self.data.petitions
        self.petitions.setHorizontalHeaderLabels([t("Trạng thái", "Status"), t("Khó khăn", "Difficulty"),
                                                  t("Đề xuất", "Proposal"), t("Kính gửi", "Addressed to"),
                                                  t("Tình hình giải quyết", "Resolution")])
        self.petitions.setRowCount(len(petitions))
        self.petitions.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        width = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((14, 40, 40, 18)):
            self.petitions.setColumnWidth(column, width * chars)
        for row, p in enumerate(petitions):
            values = (petition_status_label(p.status), p.difficulty or "", p.proposal or "", p.addressed_to or "",
                      p.resolution)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 0:
                    fg, bg = PETITION_COLORS.get(p.status, ("#000", "#fff"))
                    from PySide6.QtGui import QColor

                    item.setForeground(QColor(fg))
                    item.setBackground(QColor(bg))
                self.petitions.setItem(row, column, item)
        self.petitions.resizeRowsToContents()
