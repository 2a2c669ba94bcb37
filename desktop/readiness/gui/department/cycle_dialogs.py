"""The reporting cycle's dialogs: «Đặt hạn nộp», «Công văn đôn đốc», «Giấy xác nhận» (what ``readiness period
set``, ``readiness remind`` and ``readiness receipt`` do).

Each collects its options and runs the core through :mod:`readiness.gui.operations.cycle` on the window's
Runner with a progress dialog; the letterhead, place, codes and signer come from «Thiết lập văn bản».
The receipt dialog signs with the department's certificate when one is set up (a .p12/.pfx file or a
USB token); its password or PIN is typed into a field that never shows it and is dropped once used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..chooser import PeriodPicker
from ..i18n import language, t
from ..operations import WorkspaceOps
from .labels import period_text
from .letters import _date, _date_edit, _LetterDialog, file_rows

if TYPE_CHECKING:
    from ...service import Workspace
    from ..operations import JobContext, Runner
    from ..operations.cycle import RemindOutcome


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


# == the deadline ==========================================================================================


class DeadlineDialog(QDialog):
    """The deadline of one period: a date, or none."""

    saved = Signal(object)  # PeriodInfo

    def __init__(self, workspace: Workspace, worker: Runner, period: str, deadline: dt.date | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deadlineDialog")
        self.workspace = workspace
        self.worker = worker
        self.period = period
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.date_label = QLabel(self)
        self.date = _date_edit(self, "deadlineDate")
        year, month = int(period[:4]), int(period[5:7])
        after = dt.date(year + (month == 12), month % 12 + 1, 5)  # the 5th of the next month, a usual choice
        self.date.setDate(_qdate(deadline or after))
        self.date.setMinimumDate(_qdate(dt.date(year, month, 1)))
        form.addRow(self.date_label, self.date)
        self.none = QCheckBox(self)
        self.none.setObjectName("noDeadline")
        self.none.setChecked(False)
        self.none.toggled.connect(lambda on: self.date.setEnabled(not on))
        form.addRow("", self.none)
        layout.addLayout(form)
        self.rule = QLabel(self)
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #455a64;")
        layout.addWidget(self.rule)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        label = period_text(self.period)
        self.setWindowTitle(t(f"Hạn nộp kỳ {label}", f"Deadline of {label}"))
        self.intro.setText(t(f"Ngày cuối cùng các xã được gửi kết quả tự đánh giá kỳ {label}.",
                             f"The last day the communes may send their self-assessment for {label}."))
        self.date_label.setText(t("Hạn nộp:", "Deadline:"))
        self.none.setText(t("Không đặt hạn nộp cho kỳ này", "No deadline for this period"))
        self.rule.setText(t("Hạn kết thúc lúc 23:59:59 ngày đó, giờ Việt Nam. Một xã nộp đúng hạn khi lần gửi đầu tiên "
                            "được hoàn thành (ký số) và được Sở nhận trước khi hết hạn; bản sửa gửi sau không làm xã "
                            "thành nộp muộn.",
                            "The deadline ends at 23:59:59 that day, Vietnam time. A commune is on time when its first "
                            "submission was completed (signed) and received before it ended; a later correction does "
                            "not make it late."))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(t("Lưu", "Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("Huỷ", "Cancel"))

    def chosen(self) -> dt.date | None:
        return None if self.none.isChecked() else _date(self.date)

    def save(self) -> None:
        from ..operations.cycle import set_deadline

        workspace, period, deadline = self.workspace, self.period, self.chosen()
        self.buttons.setEnabled(False)
        self.worker.submit("deadline", lambda _context: set_deadline(workspace, period, deadline),
                           finished=self._saved, failed=self._failed)

    def _saved(self, info: Any) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(info)
        self.accept()

    def _failed(self, code: str, message: str) -> None:
        self.buttons.setEnabled(True)
        QMessageBox.warning(self, t("Chưa lưu được hạn nộp", "Deadline not saved"), f"{message} ({code})")


# == the reminder ==========================================================================================


class RemindDialog(_LetterDialog):
    """«Công văn đôn đốc»: the letter (Word, PDF) and the contact list (Excel) for a period."""

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(workspace, worker, parent)
        self.setObjectName("remindDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 95)
        layout = self.layout_
        self.which_box = QGroupBox(self)
        grid = QGridLayout(self.which_box)
        self.period_label = QLabel(self.which_box)
        self.period = PeriodPicker(self.which_box)
        self.period.setObjectName("remindPeriod")
        self.period.month.currentIndexChanged.connect(self._period_changed)
        self.period.year.valueChanged.connect(self._period_changed)
        self.deadline_label = QLabel(self.which_box)
        self.deadline = _date_edit(self.which_box, "remindDeadline")
        self.groups_note = QLabel(self.which_box)
        self.groups_note.setWordWrap(True)
        self.groups_note.setStyleSheet("color: #455a64;")
        grid.addWidget(self.period_label, 0, 0)
        grid.addWidget(self.period, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.deadline_label, 1, 0)
        grid.addWidget(self.deadline, 1, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.groups_note, 2, 0, 1, 2)
        layout.addWidget(self.which_box)
        layout.addWidget(self.document_box)
        self.date.dateChanged.connect(self._period_changed)

        self.files_box = QGroupBox(self)
        self.want, self.paths, self.browse = file_rows(self.files_box, ("docx", "pdf", "xlsx"), "remind",
                                                       {"docx", "xlsx"}, 55, self._choose)
        layout.addWidget(self.files_box)

        self.mail_box = QWidget(self)
        mail = QVBoxLayout(self.mail_box)
        mail.setContentsMargins(0, 0, 0, 0)
        self.send_mail = QCheckBox(self.mail_box)
        self.send_mail.setObjectName("remindSendMail")
        self.mail_note = QLabel(self.mail_box)
        self.mail_note.setObjectName("remindMailNote")
        self.mail_note.setWordWrap(True)
        self.mail_note.setStyleSheet("color: #455a64;")
        self.send_mail.toggled.connect(self._retranslate_mail)
        mail.addWidget(self.send_mail)
        mail.addWidget(self.mail_note)
        layout.addWidget(self.mail_box)
        self.mail_sender: str | None = None  # the mailbox's address when it is set up
        self.result_box: QMessageBox | None = None  # the last run's result when the letter was e-mailed
        layout.addSpacing(4)
        layout.addWidget(self.buttons)
        # the wrapped notes keep their lines at any width the dialog is given (no half-cut line)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def load_mailbox(self) -> None:
        """Whether the department's mailbox is set up (read each time the dialog opens: it may have been since)."""
        from ..operations.cycle import mailbox_sender

        try:
            self.mail_sender = mailbox_sender(self.workspace)
        except Exception:  # noqa: BLE001 - unreadable settings: sending is simply not offered
            self.mail_sender = None
        ready = self.mail_sender is not None
        self.send_mail.setEnabled(ready)
        if not ready:
            self.send_mail.setChecked(False)
        self._retranslate_mail()

    def _retranslate_mail(self, *_args: object) -> None:
        self.run_button.setText(t("Viết và gửi công văn", "Write and send the letter") if self.send_mail.isChecked()
                                else t("Viết công văn", "Write the letter"))
        self.send_mail.setText(t("Gửi công văn tới từng đơn vị qua thư điện tử (hộp thư của Sở)",
                                 "E-mail the letter to each commune (the department's mailbox)"))
        if self.mail_sender:
            self.mail_note.setText(t(
                f"Gửi từ {self.mail_sender} tới địa chỉ thư điện tử của từng đơn vị («Liên hệ các xã…»), kèm công văn "
                "(PDF). Đơn vị chưa có địa chỉ được liệt kê sau khi gửi.",
                f"Sent from {self.mail_sender} to each commune's address (“Commune contacts…”), with the letter "
                "(PDF) attached. Communes without an address are listed afterwards."))
        else:
            self.mail_note.setText(t(
                "Chưa thiết lập hộp thư công vụ của Sở: mở «Nhận từ hộp thư công vụ…», bấm «Thiết lập hộp thư…» để "
                "nhập máy chủ, tài khoản và mật khẩu, rồi mở lại hộp thoại này.",
                "The department's official mailbox is not set up: open “Fetch from the official mailbox…”, press "
                "“Mailbox settings…” to enter the server, account and password, then open this dialog again."))

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Công văn đôn đốc gửi kết quả tự đánh giá", "Reminder letter to the communes"))
        self.which_box.setTitle(t("Đôn đốc", "Reminder"))
        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.retranslate()
        self.deadline_label.setText(t("Hạn mới:", "New deadline:"))
        self.groups_note.setText(t("Công văn gửi các xã chưa gửi kết quả, các xã có tệp bị từ chối và các xã có bản "
                                   "sửa bị giữ lại (mỗi nhóm một mục riêng), kèm người liên hệ của từng xã theo lần gửi "
                                   "gần nhất.",
                                   "To the communes that have not reported, those whose file was refused and those "
                                   "with a revision held (a part each), with each one's contact from its latest "
                                   "submission."))
        self._retranslate_document()
        self.files_box.setTitle(t("Tệp sẽ ghi", "Files to write"))
        self.want["docx"].setText(t("Word (để sửa, trình ký)", "Word (to edit and sign)"))
        self.want["pdf"].setText("PDF")
        self.want["xlsx"].setText(t("Danh sách liên hệ (Excel)", "Contact list (Excel)"))
        for button in self.browse.values():
            button.setText(t("Chọn…", "Browse…"))
        self._retranslate_mail()

    def set_request(self, period: str) -> None:
        self.period.set_period(period)
        self._period_changed()
        self.load_mailbox()

    def _period_changed(self, *_args: object) -> None:
        from ..operations.cycle import default_new_deadline
        from ...department.reminder import reminder_file_name

        period = self.period.period()
        try:
            self.deadline.setDate(_qdate(default_new_deadline(self.workspace, period, _date(self.date))))
        except Exception:  # noqa: BLE001 - a suggestion only; the date stays as it was
            pass
        folder = self.folder()
        for fmt, edit in self.paths.items():
            suggested = reminder_file_name(period, fmt)
            current = edit.text().strip()
            if not current or Path(current).name.startswith("don-doc_"):
                edit.setText(str((Path(current).parent if current else folder) / suggested))

    def _choose(self, edit: QLineEdit, fmt: str) -> None:
        if fmt != "xlsx":
            self._choose_file(edit, fmt)
            return
        chosen, _ = QFileDialog.getSaveFileName(self, t("Lưu danh sách liên hệ", "Save the contact list"),
                                                edit.text().strip(), t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"))
        if chosen:
            path = Path(chosen)
            edit.setText(str(path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")))

    def run(self) -> None:
        from ..operations.cycle import RemindRequest, write_remind

        if self.running:
            return
        paths = {fmt: Path(edit.text().strip()) for fmt, edit in self.paths.items()
                 if self.want[fmt].isChecked() and edit.text().strip()}
        send = self.send_mail.isEnabled() and self.send_mail.isChecked()
        if not paths and not send:
            QMessageBox.information(self, t("Chưa chọn tệp", "No file chosen"),
                                    t("Đánh dấu Word, PDF hoặc Excel và chọn nơi lưu, hoặc đánh dấu «Gửi công văn tới "
                                      "từng đơn vị qua thư điện tử».",
                                      "Tick Word, PDF or Excel and choose where, or tick e-mailing the letter."))
            return
        if not self._confirm_overwrite(list(paths.values())):
            return
        if paths:
            self.ops.set_setting("gui.department.letters_folder", str(next(iter(paths.values())).parent))
        request = RemindRequest(period=self.period.period(), date=_date(self.date), new_deadline=_date(self.deadline),
                                number=self.number.text().strip(), signer=self.signer.text().strip() or None,
                                docx=paths.get("docx"), pdf=paths.get("pdf"), xlsx=paths.get("xlsx"), send=send)
        workspace = self.workspace

        def work(context: JobContext) -> RemindOutcome:
            return write_remind(workspace, request, context.progress, context.cancel)

        self._submit("remind", work, 2, t("Đang gửi công văn đôn đốc", "Sending the reminder") if send
                     else t("Đang viết công văn đôn đốc", "Writing the reminder"), cancellable=send)

    def _finished(self, outcome: RemindOutcome) -> None:  # type: ignore[override]  # this dialog's own outcome
        super()._finished(outcome)  # type: ignore[arg-type]
        counts = outcome.counts
        parts = [t(f"{counts[k]} {vi}", f"{counts[k]} {en}") for k, vi, en in (
            ("missing", "đơn vị chưa gửi", "not reported"), ("refused", "đơn vị có tệp bị từ chối", "file refused"),
            ("held", "đơn vị có bản sửa bị giữ lại", "revision held")) if counts.get(k)]
        contact = t(f"\n{outcome.without_contact} đơn vị chưa có người liên hệ (chưa từng gửi kết quả).",
                    f"\n{outcome.without_contact} communes have no known contact yet.") if outcome.without_contact else ""
        listing = "\n".join(f"• {path}" for path in outcome.files)
        deadline = outcome.new_deadline.strftime("%d/%m/%Y") if outcome.new_deadline else ""
        text = t(f"Đôn đốc {'; '.join(parts)}; hạn mới {deadline}.{contact}",
                 f"Reminding {'; '.join(parts)}; new deadline {deadline}.{contact}")
        if listing:
            text += t(f"\n\nĐã ghi:\n{listing}", f"\n\nWritten:\n{listing}")
        if outcome.sent is None:
            QMessageBox.information(self, t("Đã viết công văn đôn đốc", "Reminder written"), text)
            self.accept()
            return
        self._show_sent(outcome, text)
        self.accept()

    def _show_sent(self, outcome: RemindOutcome, text: str) -> None:
        """How many were e-mailed of how many, and each commune not e-mailed with the reason (the lines
        ``readiness remind --send`` prints); a long list goes under «Xem chi tiết»."""
        from ..operations import failure_text

        total = len(outcome.reminder.targets) if outcome.reminder else len(outcome.sent or [])
        if outcome.send_error is not None:
            code, message = outcome.send_error
            mail = failure_text(code, message, title=t("Chưa gửi được thư điện tử", "No e-mail sent"))
        else:
            rest = total - len(outcome.sent or [])
            if outcome.sent_count:
                mail = t(f"Đã gửi thư điện tử tới {outcome.sent_count}/{total} đơn vị.",
                         f"E-mailed {outcome.sent_count} of {total} communes.")
            elif outcome.cancelled and not outcome.sent:
                mail = t("Đã dừng trước khi gửi thư điện tử tới đơn vị nào.",
                         "Stopped before any commune was e-mailed.")
            else:
                mail = t(f"Chưa gửi được thư điện tử tới đơn vị nào trong {total} đơn vị.",
                         f"None of the {total} communes could be e-mailed.")
            if outcome.cancelled and outcome.sent:
                mail += t(f" Đã dừng: {rest} đơn vị chưa được gửi.", f" Stopped: {rest} communes not e-mailed.")
        # a commune without an address: the CLI names its command; here, once, the dialog that gives one
        lines = [f"{line['commune']}: {t(line['error'], line.get('error_en') or line['error'])}"
                 + ("." if line.get("command") else "") for line in outcome.not_sent]
        shown = lines if len(lines) <= 8 else lines[:6]
        mail += "".join(f"\n• {line}" for line in shown)
        if len(lines) > len(shown):
            more = len(lines) - len(shown)
            mail += t(f"\n… và {more} đơn vị khác (bấm «Xem chi tiết…»).", f"\n… and {more} more (“Show Details…”).")
        if any(line.get("command") for line in outcome.not_sent):
            mail += t("\nThêm địa chỉ thư điện tử của các đơn vị ở «Tệp» → «Liên hệ các xã…».",
                      "\nAdd the communes' e-mail addresses in “File” → “Commune contacts…”.")
        ok = outcome.send_error is None and not lines and not outcome.cancelled
        box = QMessageBox(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning,
                          t("Đã gửi công văn đôn đốc", "Reminder sent") if ok
                          else t("Công văn đôn đốc: có đơn vị chưa được gửi", "Reminder: some communes not e-mailed"),
                          f"{text}\n\n{mail}", QMessageBox.StandardButton.Ok, self.parentWidget() or self)
        box.setObjectName("remindResult")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if len(lines) > len(shown):
            box.setDetailedText(t("Chưa gửi tới:\n", "Not e-mailed:\n") + "\n".join(lines))  # «Xem chi tiết…»: qt_vi.ts
        box.button(QMessageBox.StandardButton.Ok).setText(t("Đóng", "Close"))
        self.result_box = box
        box.open()


# == the receipts ==========================================================================================


class ReceiptDialog(_LetterDialog):
    """«Giấy xác nhận»: one commune's receipt, or every accepted submission's, into a folder; signed with the
    department's certificate when one is set up."""

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(workspace, worker, parent)
        self.setObjectName("receiptDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 95)
        layout = self.layout_
        self.which_box = QGroupBox(self)
        grid = QGridLayout(self.which_box)
        self.period_label = QLabel(self.which_box)
        self.period = PeriodPicker(self.which_box)
        self.period.setObjectName("receiptPeriod")
        self.period.month.currentIndexChanged.connect(self._fill_communes)
        self.period.year.valueChanged.connect(self._fill_communes)
        self.all = QRadioButton(self.which_box)
        self.all.setObjectName("receiptAll")
        self.one = QRadioButton(self.which_box)
        self.one.setObjectName("receiptOne")
        self.commune = QComboBox(self.which_box)
        self.commune.setObjectName("receiptCommune")
        group = QButtonGroup(self)
        group.addButton(self.all)
        group.addButton(self.one)
        self.all.setChecked(True)
        self.commune.setEnabled(False)
        self.one.toggled.connect(self.commune.setEnabled)
        grid.addWidget(self.period_label, 0, 0)
        grid.addWidget(self.period, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.all, 1, 0, 1, 2)
        grid.addWidget(self.one, 2, 0)
        grid.addWidget(self.commune, 2, 1)
        layout.addWidget(self.which_box)
        layout.addWidget(self.document_box)

        self.sign_box = QGroupBox(self)
        self.sign_box.setObjectName("receiptSignBox")
        self.sign_box.setCheckable(True)
        sign = QFormLayout()
        kinds = QHBoxLayout()
        self.use_file = QRadioButton(self.sign_box)
        self.use_file.setObjectName("receiptUseFile")
        self.use_token = QRadioButton(self.sign_box)
        self.use_token.setObjectName("receiptUseToken")
        kind_group = QButtonGroup(self)
        kind_group.addButton(self.use_file)
        kind_group.addButton(self.use_token)
        kinds.addWidget(self.use_file)
        kinds.addWidget(self.use_token)
        kinds.addStretch(1)
        self.kind_label = QLabel(self.sign_box)
        sign.addRow(self.kind_label, kinds)
        key_row = QHBoxLayout()
        self.key_edit = QLineEdit(self.sign_box)
        self.key_edit.setObjectName("receiptKeyPath")
        self.key_button = QPushButton(self.sign_box)
        self.key_button.clicked.connect(self._browse_key)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.key_button)
        self.key_label = QLabel(self.sign_box)
        sign.addRow(self.key_label, key_row)
        self.secret_label = QLabel(self.sign_box)
        self.secret = QLineEdit(self.sign_box)
        self.secret.setObjectName("receiptSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)  # never echo a password or PIN
        self.secret.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
                                        | Qt.InputMethodHint.ImhSensitiveData)
        sign.addRow(self.secret_label, self.secret)
        self.sign_note = QLabel(self.sign_box)
        self.sign_note.setWordWrap(True)
        self.sign_note.setStyleSheet("color: #455a64;")
        sign_layout = QVBoxLayout()  # the note below the form: a wrapped label in a form row gets one line's height
        sign_layout.addLayout(sign)
        sign_layout.addWidget(self.sign_note)
        self.sign_box.setLayout(sign_layout)
        layout.addWidget(self.sign_box)
        self.use_file.toggled.connect(self._kind_changed)

        self.files_box = QGroupBox(self)
        files = QGridLayout(self.files_box)
        self.folder_label = QLabel(self.files_box)
        self.folder_edit = QLineEdit(self.files_box)
        self.folder_edit.setObjectName("receiptFolder")
        self.folder_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        self.folder_edit.setText(str(self.folder()))
        self.folder_button = QPushButton(self.files_box)
        self.folder_button.clicked.connect(self._choose_folder)
        self.one_file = QCheckBox(self.files_box)
        self.one_file.setObjectName("receiptOneFile")
        files.addWidget(self.folder_label, 0, 0)
        files.addWidget(self.folder_edit, 0, 1)
        files.addWidget(self.folder_button, 0, 2)
        files.addWidget(self.one_file, 1, 1)
        layout.addWidget(self.files_box)
        layout.addWidget(self.buttons)
        self._load_identity()
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Giấy xác nhận đã nhận kết quả tự đánh giá", "Receipts for the submissions"))
        self.which_box.setTitle(t("Cấp giấy xác nhận cho", "Receipts for"))
        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.retranslate()
        self.all.setText(t("Mọi bản đã tiếp nhận trong kỳ (mỗi xã một giấy)",
                           "Every submission accepted in the period (one each)"))
        self.one.setText(t("Một xã:", "One commune:"))
        self._retranslate_document()
        self.sign_box.setTitle(t("Ký số bằng chứng thư số của Sở", "Sign with the department's certificate"))
        self.kind_label.setText(t("Khoá ký:", "Key:"))
        self.use_file.setText(t("Tệp chứng thư số (.p12, .pfx)", "Certificate file (.p12, .pfx)"))
        self.use_token.setText(t("Thiết bị ký số (USB token)", "USB token"))
        self._kind_changed()
        self.key_button.setText(t("Chọn…", "Browse…"))
        self.sign_note.setText(t("Phần mềm ghi nhớ khoá ký của Sở ở đâu; mật khẩu (mã PIN) không được lưu. Giấy xác "
                                 "nhận đã ký số nếu bị sửa sẽ không còn khớp chữ ký khi xã kiểm tra.",
                                 "Where the key is, is remembered as the department's signing identity; the password "
                                 "(PIN) is not. A signed receipt edited later no longer matches its signature."))
        self.files_box.setTitle(t("Tệp sẽ ghi", "Files to write"))
        self.folder_label.setText(t("Thư mục:", "Folder:"))
        self.folder_button.setText(t("Chọn…", "Browse…"))
        self.one_file.setText(t("Mọi giấy xác nhận trong một tệp PDF", "Every receipt in one PDF"))
        self.run_button.setText(t("Cấp giấy xác nhận", "Write the receipts"))

    def _kind_changed(self, *_args: object) -> None:
        token = self.use_token.isChecked()
        self.key_label.setText(t("Thư viện PKCS#11:", "PKCS#11 library:") if token
                               else t("Tệp chứng thư:", "Certificate file:"))
        self.secret_label.setText(t("Mã PIN:", "PIN:") if token else t("Mật khẩu:", "Password:"))

    def _load_identity(self) -> None:
        from ..operations.cycle import secret_in_environment, signing_identity

        identity = signing_identity(self.workspace)
        self.use_token.setChecked(identity is not None and identity.kind == "pkcs11")
        self.use_file.setChecked(identity is None or identity.kind == "pkcs12")
        self.key_edit.setText(identity.path if identity else "")
        self.sign_box.setChecked(identity is not None)
        if secret_in_environment():
            self.secret.setPlaceholderText(t("để trống: lấy từ biến môi trường", "blank: taken from the environment"))

    def _browse_key(self) -> None:
        if self.use_token.isChecked():
            pattern = t("Thư viện PKCS#11 (*.dll *.so *.dylib)", "PKCS#11 library (*.dll *.so *.dylib)")
        else:
            pattern = t("Chứng thư số (*.p12 *.pfx)", "Certificate (*.p12 *.pfx)")
        chosen, _ = QFileDialog.getOpenFileName(self, t("Chọn khoá ký của Sở", "The department's key"),
                                                self.key_edit.text().strip(), pattern)
        if chosen:
            self.key_edit.setText(chosen)

    def set_request(self, period: str, code: str | None = None) -> None:
        self.period.set_period(period)
        self._fill_communes()
        if code:
            index = self.commune.findData(code)
            if index >= 0:
                self.one.setChecked(True)
                self.commune.setCurrentIndex(index)

    def _fill_communes(self, *_args: object) -> None:
        from ..operations.cycle import received_communes

        current = self.commune.currentData()
        self.commune.clear()
        try:
            received = received_communes(self.workspace, self.period.period())
        except Exception:  # noqa: BLE001 - the list is a convenience; the run reports any problem
            received = []
        for code, name in received:
            self.commune.addItem(f"{name} ({code})", code)
        index = self.commune.findData(current)
        if index >= 0:
            self.commune.setCurrentIndex(index)
        self.one.setEnabled(bool(received))
        if not received:
            self.all.setChecked(True)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("Thư mục ghi giấy xác nhận", "Folder for the receipts"),
                                                  self.folder_edit.text().strip() or str(self.folder()))
        if chosen:
            self.folder_edit.setText(chosen)

    def run(self) -> None:
        from ..operations import StoreError
        from ..operations.cycle import ReceiptRequest, save_signing_identity, write_receipts

        if self.running:
            return
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            QMessageBox.information(self, t("Chưa chọn thư mục", "No folder"),
                                    t("Chọn thư mục ghi giấy xác nhận.", "Choose the folder for the receipts."))
            return
        identity = None
        if self.sign_box.isChecked():
            kind = "pkcs11" if self.use_token.isChecked() else "pkcs12"
            try:
                identity = save_signing_identity(self.workspace, kind, self.key_edit.text())
            except StoreError as error:
                QMessageBox.warning(self, t("Chưa ký được", "Cannot sign"), f"{error.message} ({error.code})")
                return
            if identity is None:
                QMessageBox.information(self, t("Chưa chọn khoá ký", "No key"),
                                        t("Chọn tệp chứng thư số hoặc thư viện của thiết bị ký số, hoặc bỏ đánh dấu "
                                          "«Ký số».", "Choose the certificate file or the token's library, or untick "
                                          "signing."))
                return
        folder = Path(folder_text)
        self.ops.set_setting("gui.department.letters_folder", str(folder))
        codes = (self.commune.currentData(),) if self.one.isChecked() and self.commune.currentData() else ()
        request = ReceiptRequest(period=self.period.period(), folder=folder, codes=codes,
                                 one_file=self.one_file.isChecked(), date=_date(self.date),
                                 number=self.number.text().strip(), signer=self.signer.text().strip() or None,
                                 identity=identity, secret=self.secret.text() or None)
        self.secret.clear()  # the secret travels in the request only
        workspace = self.workspace

        def work(context: JobContext) -> list:
            return write_receipts(workspace, request, context.progress, lambda: context.cancelled)

        self._submit("receipts", work, 1, t("Đang cấp giấy xác nhận", "Writing the receipts"))

    def _finished(self, files: list) -> None:  # type: ignore[override]  # this dialog's own outcome
        super()._finished(files)  # type: ignore[arg-type]
        count = sum(len(f.facts) for f in files)
        signed = files and files[0].signed
        by = t(f", ký số bởi {files[0].signer}", f", signed by {files[0].signer}") if signed else \
            t(", không ký số", ", not signed")
        shown = "\n".join(f"• {f.path}" for f in files[:8])
        more = t(f"\n… và {len(files) - 8} tệp khác", f"\n… and {len(files) - 8} more") if len(files) > 8 else ""
        QMessageBox.information(self, t("Đã cấp giấy xác nhận", "Receipts written"),
                                t(f"Giấy xác nhận cho {count} bản đã tiếp nhận{by}.\n\nĐã ghi:\n",
                                  f"Receipts for {count} accepted submissions{by}.\n\nWritten:\n") + shown + more)
        self.accept()


__all__ = ["DeadlineDialog", "ReceiptDialog", "RemindDialog"]
