"""«Kiểm tra giấy xác nhận của Sở»: the commune opens the department's receipt and checks it against what it sent.

Menu Tệp → «Kiểm tra giấy xác nhận của Sở…» opens :class:`ReceiptCheckDialog`: the receipt (a PDF), and,
optionally, the file that was sent; without one, the files this installation exported and signed are
looked at (the program remembers each export).  The check (:mod:`readiness.department.receipt_check`,
the same as ``readiness receipt check``) runs on the window's Runner; the verdict (match, same data, not
the same file, receipt edited after signing, no record) is shown with the receipt's facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

# Dialog-only widget classes are imported where a dialog is made: PySide6 builds a class, with its enums, when it
# is first named, and the window's start shows none of them.

from .i18n import language, t

if TYPE_CHECKING:
    from .host import WindowHost
    from .operations import Job

SETTING_FOLDER = "gui.receipt_folder"
VERDICT_COLORS = {"ok": ("#1b5e20", "#e8f5e9"), "warn": ("#8d6e00", "#fff8e1"), "bad": ("#b71c1c", "#ffebee")}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReceiptCheckDialog(QDialog):
    """Which receipt, which file was sent (optional); «Kiểm tra» shows the verdict."""

    checked = Signal(object)  # readiness.department.receipt_check.ReceiptCheck
    failed = Signal(str)  # the code

    def __init__(self, window: WindowHost, receipt: Path | None = None):
        from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QTextBrowser

        super().__init__(window.window())
        self.window_ = window
        self._job: Job | None = None
        self.result: Any = None
        self.setObjectName("receiptCheckDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        self.setMinimumHeight(self.fontMetrics().height() * 30)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.receipt_label, self.file_label = QLabel(self), QLabel(self)
        self.receipt_edit = QLineEdit(str(receipt) if receipt else "", self)
        self.receipt_edit.setObjectName("receiptPath")
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("sentFilePath")
        self.receipt_button, self.file_button = QPushButton(self), QPushButton(self)
        self.receipt_button.clicked.connect(self._browse_receipt)
        self.file_button.clicked.connect(self._browse_file)
        for label, edit, button in ((self.receipt_label, self.receipt_edit, self.receipt_button),
                                    (self.file_label, self.file_edit, self.file_button)):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            form.addRow(label, row)
        layout.addLayout(form)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("receiptVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.details = QTextBrowser(self)
        self.details.setObjectName("receiptDetails")
        layout.addWidget(self.details, 1)
        self.buttons = QDialogButtonBox(self)
        self.check_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.check_button.setObjectName("receiptCheck")
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Kiểm tra giấy xác nhận của Sở", "Check the department's receipt"))
        self.intro.setText(t("Giấy xác nhận của Sở ghi mã SHA-256 của tệp Sở đã nhận. Phần mềm so mã đó với tệp đã gửi "
                             "(nếu chọn) hoặc với các tệp máy này đã xuất và ký số, và kiểm tra chữ ký số của Sở trên "
                             "giấy.",
                             "The receipt names the SHA-256 of the file the department received. It is compared with "
                             "the file sent (if chosen) or with the files this computer exported and signed, and the "
                             "department's signature on it is checked."))
        self.receipt_label.setText(t("Giấy xác nhận (PDF):", "Receipt (PDF):"))
        self.file_label.setText(t("Tệp đã gửi (không bắt buộc):", "File sent (optional):"))
        self.file_edit.setPlaceholderText(t("để trống: so với các tệp máy này đã xuất",
                                            "blank: compare with the files exported here"))
        self.receipt_button.setText(t("Chọn…", "Browse…"))
        self.file_button.setText(t("Chọn…", "Browse…"))
        self.check_button.setText(t("Kiểm tra", "Check"))
        self.close_button.setText(t("Đóng", "Close"))
        if self.result is not None:
            self._show(self.result)

    def _folder(self) -> str:
        data = self.window_.workspace_ops
        remembered = data.setting(SETTING_FOLDER) if data else None
        if remembered and Path(remembered).is_dir():
            return remembered
        from PySide6.QtCore import QStandardPaths

        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())

    def _browse_receipt(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self, t("Chọn giấy xác nhận", "Choose the receipt"), self._folder(),
                                                t("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"))
        if chosen:
            self.receipt_edit.setText(chosen)
            if self.window_.workspace_ops is not None:
                self.window_.workspace_ops.set_setting(SETTING_FOLDER, str(Path(chosen).parent))

    def _browse_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self, t("Chọn tệp đã gửi Sở", "Choose the file sent"), self._folder(),
                                                t("Bảng tính Excel (*.xlsx);;Mọi tệp (*)", "Excel workbook (*.xlsx);;All files (*)"))
        if chosen:
            self.file_edit.setText(chosen)

    def check(self) -> None:
        receipt = self.receipt_edit.text().strip()
        data = self.window_.workspace_ops
        if not receipt or data is None or self._job is not None:
            if not receipt:
                self._verdict("warn", t("Chọn tệp giấy xác nhận (PDF) của Sở.", "Choose the receipt (PDF)."))
            return
        sent = self.file_edit.text().strip()
        path, file = Path(receipt), Path(sent) if sent else None
        self.check_button.setEnabled(False)
        self._job = self.window_.runner.submit("receipt-check", lambda _context: data.check_receipt(path, file),
                                               finished=self._finished, failed=self._failed)

    def _finished(self, result: Any) -> None:
        self._job = None
        self.check_button.setEnabled(True)
        self.result = result
        self._show(result)
        self.checked.emit(result)

    def _failed(self, code: str, message: str) -> None:
        self._job = None
        self.check_button.setEnabled(True)
        self.result = None
        self._verdict("bad", f"{_escape(message)} ({code})")
        self.details.clear()
        self.failed.emit(code)

    def _verdict(self, kind: str, html: str) -> None:
        fg, bg = VERDICT_COLORS[kind]
        self.verdict.setStyleSheet(f"#receiptVerdict {{ color: {fg}; background: {bg}; border-radius: 4px; "
                                   "padding: 6px 8px; }")
        self.verdict.setText(html)
        self.verdict.show()

    def _show(self, result: Any) -> None:
        from ..department.cycle import vn_datetime

        if result.ok:
            same_data = any(entry.outcome == "data_match" for entry in result.entries)
            kind = "warn" if same_data or result.signature.status != "valid" else "ok"
            head = t("Khớp", "Matches")
        else:
            kind = "bad"
            head = t("Không khớp" if result.code == "E-RECEIPT-MISMATCH" else "Cần xem lại",
                     "Does not match" if result.code == "E-RECEIPT-MISMATCH" else "Needs attention")
        code = f" ({result.code})" if result.code else ""
        message = result.message
        if message.startswith(head):  # the core's sentence already opens with it («Khớp: …», «Không khớp: …»)
            self._verdict(kind, f"<b>{_escape(head)}</b>{_escape(message[len(head):])}{_escape(code)}")
        else:
            self._verdict(kind, f"<b>{_escape(head)}{_escape(code)}</b>: {_escape(message)}")
        rows = []
        for entry in result.entries:
            facts = entry.facts
            received = vn_datetime(facts.received_at)
            score = "" if facts.score is None else f"{facts.score:.1f}".replace(".", ",")
            cells = [
                (t("Đơn vị", "Commune"), f"{facts.commune_name} ({facts.commune_code})"),
                (t("Kỳ, lần gửi", "Period, revision"), f"{facts.period[5:]}/{facts.period[:4]}, "
                                                        + t(f"lần {facts.revision}", f"revision {facts.revision}")),
                (t("Tệp Sở đã nhận", "File received"), facts.file_name),
                ("SHA-256", facts.file_sha256),
                (t("Thời điểm nhận", "Received at"), received),
                (t("Chữ ký số của tệp", "File's signature"), facts.signature_label),
                (t("Điểm, mức", "Score, level"), f"{score} — {facts.level_label or ''}".strip(" —")),
                (t("Thời hạn", "Deadline"), facts.timeliness_text),
                (t("Đối chiếu", "Comparison"), entry.message),
            ]
            body = "".join(f"<tr><td style='color:#455a64; padding-right:12px'>{_escape(k)}</td>"
                           f"<td>{_escape(v)}</td></tr>" for k, v in cells)
            rows.append(f"<table cellspacing='2'>{body}</table>")
        title = t("Chữ ký số của Sở trên giấy", "The department's signature on it")
        signature = f"<p><b>{_escape(title)}:</b> {_escape(result.signature.message)}</p>"
        self.details.setHtml(signature + "<hr>".join(rows))


class ReceiptActions(QObject):
    """Adds «Kiểm tra giấy xác nhận của Sở…» to the File menu."""

    def __init__(self, window: WindowHost):
        super().__init__(window.window())
        self.window = window
        self.dialog: ReceiptCheckDialog | None = None
        self.act_check = QAction(window.window())
        self.act_check.setObjectName("check_receipt")
        self.act_check.triggered.connect(lambda _checked=False: self.open_dialog())
        window.addAction(self.act_check)
        window.add_action("file", self.act_check)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.act_check.setText(t("Kiểm tra giấy xác nhận của Sở…", "Check the department's receipt…"))

    def open_dialog(self, receipt: Path | None = None) -> ReceiptCheckDialog | None:
        if self.window.workspace_ops is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = ReceiptCheckDialog(self.window, receipt)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog


__all__ = ["ReceiptActions", "ReceiptCheckDialog"]
