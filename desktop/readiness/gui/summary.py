"""The summary page ("Tổng hợp kết quả"): the score and readiness level, a chart of section scores,
what to fix (critical first, with the checklist's advice), what is still missing, and the buttons
to finalize, reopen and see the history."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..bands import NOT_SCORED, level_band, readable_on
from ..numbers import integer, share
from .chart import Bar, ScoreChart
from .i18n import lang, language, t
from .item_widgets import ERROR_COLOR, HINT_COLOR
from .score_text import applicable_explanation, format_score  # noqa: F401 - re-exported (history, the window)

if TYPE_CHECKING:
    from .operations import AssessmentOps

MAX_LISTED = 60  # longer lists end with "… và n mục khác"


def badge_style(colour: str) -> str:
    return f"background: {colour}; color: {readable_on(colour)}; border-radius: 4px; padding: 2px 8px;"


class SummaryPage(QScrollArea):
    jump_requested = Signal(str)  # item id
    finalize_requested = Signal()
    reopen_requested = Signal()
    export_requested = Signal()
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops: AssessmentOps | None = None
        self._stale = False  # set_ops while hidden: refresh when shown
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setMaximumWidth(body.fontMetrics().averageCharWidth() * 190)  # lines stay readable on wide screens
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)

        self.title = QLabel(body)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)

        score_row = QHBoxLayout()
        self.score_label = QLabel(body)
        big = self.score_label.font()
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.score_label.setFont(big)
        score_row.addWidget(self.score_label)
        self.level_label = QLabel(body)
        level_font = self.level_label.font()
        level_font.setPointSizeF(level_font.pointSizeF() * 1.25)
        level_font.setBold(True)
        self.level_label.setFont(level_font)
        self.level_label.setObjectName("level")
        score_row.addWidget(self.level_label)
        score_row.addStretch(1)
        layout.addLayout(score_row)
        self.level_description = QLabel(body)
        self.level_description.setWordWrap(True)
        self.level_description.setStyleSheet(f"color: {HINT_COLOR};")
        layout.addWidget(self.level_description)
        self.facts = QLabel(body)
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.facts)

        self.status_box = QFrame(body)
        self.status_box.setObjectName("finalizeBox")
        self.status_box.setFrameShape(QFrame.Shape.StyledPanel)
        status_layout = QVBoxLayout(self.status_box)
        self.status_text = QLabel(self.status_box)
        self.status_text.setWordWrap(True)
        status_layout.addWidget(self.status_text)
        buttons = QHBoxLayout()
        self.finalize_button = QPushButton(self.status_box)
        self.finalize_button.setObjectName("finalizeButton")
        self.finalize_button.clicked.connect(self.finalize_requested)
        self.reopen_button = QPushButton(self.status_box)
        self.reopen_button.setObjectName("reopenButton")
        self.reopen_button.clicked.connect(self.reopen_requested)
        self.export_button = QPushButton(self.status_box)  # the next step once finalized: the file for the department
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_requested)
        self.history_button = QPushButton(self.status_box)
        self.history_button.clicked.connect(self.history_requested)
        for button in (self.finalize_button, self.reopen_button, self.export_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        status_layout.addLayout(buttons)
        layout.addWidget(self.status_box)

        self.chart_box = QGroupBox(body)
        chart_layout = QVBoxLayout(self.chart_box)
        self.chart = ScoreChart(self.chart_box)
        chart_layout.addWidget(self.chart)
        layout.addWidget(self.chart_box)

        self.gaps_box = QGroupBox(body)
        gaps_layout = QVBoxLayout(self.gaps_box)
        self.gaps = self._link_label(self.gaps_box)
        gaps_layout.addWidget(self.gaps)
        layout.addWidget(self.gaps_box)

        self.missing_box = QGroupBox(body)
        missing_layout = QVBoxLayout(self.missing_box)
        self.missing = self._link_label(self.missing_box)
        missing_layout.addWidget(self.missing)
        layout.addWidget(self.missing_box)
        layout.addStretch(1)

        self.gap_ids: list[str] = []
        self.missing_ids: list[str] = []
        language().changed.connect(self.refresh)
        self.refresh()

    def _link_label(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        label.linkActivated.connect(self._link)
        return label

    def _link(self, href: str) -> None:
        if href.startswith("item:"):
            self.jump_requested.emit(href[5:])

    def set_ops(self, ops: AssessmentOps | None) -> None:
        """Show this assessment; the page is filled now when it is on screen, else when it is first shown
        (the window opens an assessment on a section: the summary's bands, chart and lists wait)."""
        self.ops = ops
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # -- content ---------------------------------------------------------------------------
    def refresh(self, *_args: object) -> None:
        self._stale = False
        code = lang()
        self.title.setText(t("Tổng hợp kết quả", "Results summary"))
        self.chart_box.setTitle(t("Điểm theo từng phần (0–100)", "Score by section (0–100)"))
        self.gaps_box.setTitle(t("Việc cần làm: tiêu chí chưa đạt (trọng yếu trước)",
                                 "What to fix: criteria not met (critical first)"))
        self.missing_box.setTitle(t("Câu hỏi bắt buộc chưa trả lời hoặc chưa hợp lệ",
                                    "Required questions not answered or not valid"))
        self.finalize_button.setText(t("Hoàn thành đánh giá", "Finalize assessment"))
        self.reopen_button.setText(t("Mở lại để sửa", "Reopen to edit"))
        self.export_button.setText(t("Xuất tệp gửi Sở…", "Export for the department…"))
        self.history_button.setText(t("Lịch sử…", "History…"))
        ops = self.ops
        if ops is None:
            return
        checklist = ops.checklist
        result = ops.result()
        level = checklist.level(result.level_id)

        if result.scored:
            band = level_band(checklist, result.level_id)
            self.score_label.setText(t(f"{format_score(result.score, code)}/100 điểm", f"{format_score(result.score, code)}/100"))
            self.score_label.setStyleSheet("")
            self.level_label.setText(f" {level.label.get(code)} ")
            self.level_label.setStyleSheet(badge_style(band.colour))
            self.level_label.show()
            self.level_description.setText(level.description.get(code) if level.description else "")
            self.level_description.setVisible(level.description is not None)
        else:  # nothing scored yet: no verdict
            self.score_label.setText(t("Chưa có điểm", "No score yet"))
            self.score_label.setStyleSheet(f"color: {NOT_SCORED};")
            self.level_label.hide()
            self.level_description.setText(t(
                "Điểm và mức sẵn sàng hiện ra khi có tiêu chí chấm điểm đầu tiên được trả lời.",
                "The score and the readiness level appear once the first scored criterion is answered."))
            self.level_description.show()

        answered = sum(s.items_answered for s in result.sections if result.relevant.get(s.section_id))
        total = sum(s.items_total for s in result.sections if result.relevant.get(s.section_id))
        percent = share(answered / total if total else 1.0, code)
        facts = [t(f"Đã trả lời <b>{integer(answered)}/{integer(total)}</b> câu hỏi áp dụng cho xã ({percent}).",
                   f"Answered <b>{integer(answered, 'en')}/{integer(total, 'en')}</b> of the questions that apply ({percent}).")
                 + f' <span style="color:{HINT_COLOR}">' + html.escape(applicable_explanation()) + "</span>"]
        if result.scored:
            color = ERROR_COLOR if result.critical_failed else "#2e7d32"
            facts.append(f'<span style="color:{color}">' + t(
                f"Tiêu chí trọng yếu chưa đạt hoặc chưa trả lời: <b>{result.critical_failed}</b>.",
                f"Critical criteria not met or not answered: <b>{result.critical_failed}</b>.") + "</span>")
        if result.unanswered_required:
            facts.append(t(f"Câu hỏi bắt buộc chưa trả lời: <b>{result.unanswered_required}</b>.",
                           f"Required questions not answered: <b>{result.unanswered_required}</b>."))
        self.facts.setText("<br>".join(facts))

        self.chart.set_bars([
            Bar.of(checklist, checklist.section(s.section_id).title.get(code), s.score)
            for s in result.sections if result.relevant.get(s.section_id)
        ])

        # what to fix
        gaps = result.gaps
        self.gap_ids = [g.item_id for g in gaps]
        if gaps:
            rows = []
            for gap in gaps[:MAX_LISTED]:
                item = checklist.item(gap.item_id)
                section = checklist.section(gap.section_id)
                advice = gap.advice_en if code == "en" else gap.advice
                tag = (f'<span style="color:{ERROR_COLOR}"><b>' + t("[Trọng yếu]", "[Critical]") + "</b></span> "
                       if gap.critical else "")
                rows.append(
                    f'<p style="margin-bottom:6px">{tag}<a href="item:{gap.item_id}">{html.escape(item.label.get(code))}</a>'
                    f' <span style="color:{HINT_COLOR}">({html.escape(section.title.get(code))})</span><br>'
                    f"→ {html.escape(advice)}</p>")
            if len(gaps) > MAX_LISTED:
                rows.append("<p>" + t(f"… và {len(gaps) - MAX_LISTED} mục khác.", f"… and {len(gaps) - MAX_LISTED} more.") + "</p>")
            self.gaps.setText("".join(rows))
        else:
            self.gaps.setText(t("Không có tiêu chí nào chưa đạt trong các câu đã trả lời.",
                                "No criterion is unmet among the answered questions."))

        # still missing (blocks finalizing)
        seen: dict[str, list[str]] = {}
        for issue in result.blocking_issues:
            seen.setdefault(issue.item, []).append(issue.message_en if code == "en" else issue.message)
        self.missing_ids = list(seen)
        if seen:
            rows = []
            for item_id, messages in list(seen.items())[:MAX_LISTED]:
                item = checklist.item(item_id)
                section = checklist.section_of(item_id)
                rows.append(
                    f'<p style="margin-bottom:4px"><a href="item:{item_id}">{html.escape(item.label.get(code))}</a>'
                    f' <span style="color:{HINT_COLOR}">({html.escape(section.title.get(code))})</span>'
                    f' — {html.escape(messages[0])}{" …" if len(messages) > 1 else ""}</p>')
            if len(seen) > MAX_LISTED:
                rows.append("<p>" + t(f"… và {len(seen) - MAX_LISTED} câu khác.", f"… and {len(seen) - MAX_LISTED} more.") + "</p>")
            self.missing.setText("".join(rows))
        else:
            self.missing.setText(t("Đã trả lời đủ các câu hỏi bắt buộc.", "Every required question is answered."))

        # finalize / reopen
        info = ops.info
        if ops.editable:
            if seen:
                self.status_text.setText(t(
                    f"Bản nháp, lần {info.revision}. Còn {len(seen)} câu hỏi bắt buộc chưa xong; trả lời hết rồi bấm «Hoàn thành đánh giá».",
                    f"Draft, revision {info.revision}. {len(seen)} required question(s) still open; answer them, then press “Finalize assessment”."))
            else:
                self.status_text.setText(t(
                    f"Bản nháp, lần {info.revision}. Đã đủ thông tin: bấm «Hoàn thành đánh giá» để chốt kết quả.",
                    f"Draft, revision {info.revision}. Everything needed is answered: press “Finalize assessment” to close it."))
        else:
            when = _local(info.finalized_at)
            self.status_text.setText(t(
                f"Đã hoàn thành lúc {when} (lần {info.revision}). Muốn sửa, bấm «Mở lại để sửa»: sẽ tạo lần {info.revision + 1}, lần này vẫn được lưu.",
                f"Finalized on {when} (revision {info.revision}). To change it, press “Reopen to edit”: revision {info.revision + 1} is created and this one is kept."))
        self.finalize_button.setVisible(ops.editable)
        self.reopen_button.setVisible(not ops.editable)

    def next_step(self) -> QPushButton:
        """The button of what comes next: «Hoàn thành đánh giá» for a draft, «Xuất tệp gửi Sở…» once finalized."""
        return self.finalize_button if self.ops is not None and self.ops.editable else self.export_button


def _local(moment) -> str:
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")
