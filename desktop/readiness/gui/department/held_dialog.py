"""«Bản nộp mới bị giữ lại»: accept or dismiss a revision held instead of replacing a signed one.

What ``readiness held accept|dismiss`` does (:mod:`readiness.department.held`), for one commune:
the held revision's reason, the file, who held it and when; a reason for the decision is required
(it goes into the import log with the user and the time).  The decision runs on the window's worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import t
from .labels import HELD_COLORS, escape, held_text, period_text

if TYPE_CHECKING:
    from ...department.held import HeldInfo
    from ...service import Workspace
    from ..operations import Job, JobContext, Runner


class HeldDialog(QDialog):
    """The held revisions of one commune and period (the newest first); ``decided`` carries the outcome."""

    decided = Signal(object)  # readiness.store.imports.StoreOutcome

    def __init__(self, workspace: Workspace, worker: Runner, held: Sequence[HeldInfo], names: dict[str, str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("heldDialog")
        self.workspace = workspace
        self.worker = worker
        self.held = sorted(held, key=lambda h: (h.revision, h.id), reverse=True)
        self.names = names
        self.job: Job | None = None
        self.outcome: Any = None
        self._build()
        self._show_current()

    def _build(self) -> None:
        self.setWindowTitle(t("Bản nộp mới bị giữ lại", "Held revision"))
        layout = QVBoxLayout(self)
        self.choice = QComboBox(self)
        self.choice.setObjectName("heldChoice")
        for item in self.held:
            self.choice.addItem(f"{held_text(item.revision, item.reason_code)} — {item.file_name}", item.id)
        self.choice.setVisible(len(self.held) > 1)
        self.choice.currentIndexChanged.connect(self._show_current)
        layout.addWidget(self.choice)
        self.header = QLabel(self)
        self.header.setObjectName("heldHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.reason_box = QLabel(self)
        self.reason_box.setObjectName("heldReason")
        self.reason_box.setWordWrap(True)
        fg, bg = HELD_COLORS
        self.reason_box.setStyleSheet(f"#heldReason {{ background: {bg}; color: {fg}; border: 1px solid {fg};"
                                      " border-radius: 3px; padding: 6px; }")
        layout.addWidget(self.reason_box)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setText(t(
            "Bản đã ký số vẫn được dùng cho đến khi Sở quyết định. «Chấp nhận bản mới»: bản mới trở thành bản đang "
            "dùng của xã cho kỳ này (kể cả khi không có chữ ký số hợp lệ của xã). «Bỏ bản mới»: không lưu gì của bản "
            "mới. Hãy hỏi xã trước khi quyết định.",
            "The signed revision stays in use until the department decides. “Accept”: the new revision becomes the "
            "one in use (even without the commune's valid signature). “Dismiss”: nothing of it is stored. Ask the "
            "commune first."))
        layout.addWidget(self.explain)
        self.note_label = QLabel(t("Lý do quyết định (ghi vào nhật ký nhập, kèm người và thời gian):",
                                   "Reason for the decision (kept in the import log, with who and when):"), self)
        self.note = QLineEdit(self)
        self.note.setObjectName("heldNote")
        self.note.setPlaceholderText(t("Ví dụ: Đã gọi điện xác nhận với xã ngày 05/12/2026",
                                       "E.g. confirmed by phone with the commune on 05/12/2026"))
        self.note_label.setBuddy(self.note)
        self.note.textChanged.connect(self._update_buttons)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(t("Chấp nhận bản mới", "Accept the new revision"), self)
        self.accept_button.setObjectName("acceptHeld")
        self.accept_button.clicked.connect(lambda: self.decide(True))
        self.dismiss_button = QPushButton(t("Bỏ bản mới", "Dismiss it"), self)
        self.dismiss_button.setObjectName("dismissHeld")
        self.dismiss_button.clicked.connect(lambda: self.decide(False))
        self.close_button = QPushButton(t("Đóng", "Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        self._update_buttons()

    def current(self) -> HeldInfo | None:
        held_id = self.choice.currentData()
        return next((h for h in self.held if h.id == held_id), None)

    def _show_current(self, *_args: object) -> None:
        held = self.current()
        if held is None:
            return
        name = self.names.get(held.commune_code, "")
        when = held.held_at.astimezone().strftime("%d/%m/%Y %H:%M")
        self.header.setText(
            f"<b>{escape(name)} ({held.commune_code})</b>, " + t("kỳ", "period") + f" {period_text(held.period)} — "
            + t(f"bản mới lần {held.revision}", f"new revision {held.revision}")
            + f"<br>{t('Tệp', 'File')}: {escape(held.path)}<br>"
            + t(f"Giữ lại lúc {when}", f"Held at {when}") + (f" ({escape(held.held_by)})" if held.held_by else ""))
        self.reason_box.setText(f"{held.reason_code}: {held.reason}")

    def _update_buttons(self, *_args: object) -> None:
        ready = bool(self.note.text().strip()) and self.job is None
        self.accept_button.setEnabled(ready)
        self.dismiss_button.setEnabled(ready)
        self.note.setEnabled(self.job is None)

    def decide(self, accept: bool) -> None:
        held, reason = self.current(), self.note.text().strip()
        if held is None or not reason or self.job is not None:
            return
        from ...department.held import accept_held, dismiss_held

        workspace, held_id = self.workspace, held.id
        decide = accept_held if accept else dismiss_held

        def work(_context: JobContext) -> Any:
            return decide(workspace, held_id, reason)

        self.job = self.worker.submit("held-decision", work, finished=self._done, failed=self._failed)
        self._update_buttons()

    def _done(self, outcome: Any) -> None:
        self.job = None
        self.outcome = outcome
        self.decided.emit(outcome)
        self.accept()

    def _failed(self, code: str, message: str) -> None:
        self.job = None
        self._update_buttons()
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không thực hiện được", "Could not do it"), failure_text(code, message))
