"""The history of an assessment: every revision of the commune's period, newest first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .i18n import lang, t
from .score_text import format_score

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from .operations import AssessmentInfo


def local_time(moment: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the computer's time zone (the database keeps UTC)."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def status_text(info: AssessmentInfo) -> str:
    return t("Bản nháp", "Draft") if info.is_draft else t("Đã hoàn thành", "Finalized")


class HistoryDialog(QDialog):
    COLUMNS = ("revision", "status", "created", "finalized", "score", "level")

    def __init__(self, title: str, revisions: list[AssessmentInfo], checklist: Checklist, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(t("Lịch sử đánh giá", "Assessment history"))
        layout = QVBoxLayout(self)
        heading = QLabel(title, self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        explanation = QLabel(t("Mỗi lần «Mở lại để sửa» tạo một lần mới; các lần trước được giữ nguyên.",
                               "Each “Reopen to edit” creates a new revision; earlier ones are kept unchanged."), self)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.table = QTableWidget(len(revisions), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            t("Lần", "Revision"), t("Trạng thái", "Status"), t("Tạo lúc", "Created"),
            t("Hoàn thành lúc", "Finalized"), t("Điểm", "Score"), t("Mức", "Level"),
        ])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        code = lang()
        for row, info in enumerate(revisions):
            level = ""
            if info.level:
                try:
                    level = checklist.level(info.level).label.get(code)
                except KeyError:
                    level = info.level
            cells = [
                str(info.revision), status_text(info), local_time(info.created_at), local_time(info.finalized_at),
                "" if info.score is None else format_score(info.score, code), level,
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column in (0, 4):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(t("Đóng", "Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        rows = max(3, min(len(revisions), 12))
        height = self.table.horizontalHeader().height() + rows * self.table.verticalHeader().defaultSectionSize() + 6
        self.table.setMinimumHeight(height)
        if len(revisions) <= 12:
            self.table.setMaximumHeight(height)
        self.resize(self.table.horizontalHeader().length() + 60, self.sizeHint().height())

    def rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]  # type: ignore[union-attr]  # every cell is filled
                for r in range(self.table.rowCount())]
