"""The department's letters from the window: «Viết công văn trả lời kiến nghị» and «Công văn thông
báo kết quả cho xã» (what ``readiness petitions reply`` and ``readiness feedback`` write).

Each dialog collects the options, then runs the core's letter through
:mod:`readiness.gui.operations.letters` on the window's Runner with a progress dialog; the
letterhead, place, codes and signer come from «Thiết lập văn bản».
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
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
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..chooser import PeriodPicker
from ..i18n import language, t
from ..operations import WorkspaceOps
from .labels import period_text

if TYPE_CHECKING:
    from ...service import Workspace
    from ..operations import Job, JobContext, Runner
    from ..operations.letters import LetterOutcome

SETTING_FOLDER = "gui.department.letters_folder"
AGENCIES = ("Sở Nội vụ", "Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Xây dựng")


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate.currentDate())
    return edit


class _LetterDialog(QDialog):
    """What both letters share: the document box (date, number, signer), running on the worker."""

    done = Signal(object)  # type: ignore[assignment]  # LetterOutcome (a signal in place of QDialog.done)

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.ops = WorkspaceOps(workspace)
        self.worker = worker
        self.running = False
        self.progress: QProgressDialog | None = None
        self.outcome: LetterOutcome | None = None
        self.job: Job | None = None
        self.layout_ = QVBoxLayout(self)
        self.document_box = QGroupBox(self)
        form = QFormLayout(self.document_box)
        self.date_label, self.number_label, self.signer_label = (QLabel(self.document_box) for _ in range(3))
        self.date = _date_edit(self.document_box, "letterDate")
        self.number = QLineEdit(self.document_box)
        self.number.setObjectName("letterNumber")
        self.signer = QLineEdit(self.document_box)
        self.signer.setObjectName("letterSigner")
        form.addRow(self.date_label, self.date)
        form.addRow(self.number_label, self.number)
        form.addRow(self.signer_label, self.signer)
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setObjectName("letterRun")
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.run)  # type: ignore[attr-defined]  # each letter's dialog has its run
        self.buttons.rejected.connect(self.reject)

    def _retranslate_document(self) -> None:
        settings = self.ops.document_settings()
        self.document_box.setTitle(t("Văn bản", "Document"))
        self.date_label.setText(t("Ngày ký:", "Date:"))
        self.number_label.setText(t("Số văn bản:", "Number:"))
        self.number.setPlaceholderText(t("để trống: văn thư ghi khi phát hành", "blank: filled in when issued"))
        self.number.setToolTip(t(f"Số: …/{settings.letter_code}", f"No. …/{settings.letter_code}"))
        self.signer_label.setText(t(f"Người ký ({' / '.join(settings.signer_title)}):",
                                    f"Signed by ({' / '.join(settings.signer_title)}):"))
        self.signer.setPlaceholderText(settings.signer_name or t("họ tên người ký", "the signer's name"))
        self.close_button.setText(t("Đóng", "Close"))

    def folder(self) -> Path:
        remembered = self.ops.setting(SETTING_FOLDER)
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _choose_file(self, edit: QLineEdit, fmt: str) -> None:
        filters = {"pdf": t("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"),
                   "docx": t("Văn bản Word (*.docx)", "Word document (*.docx)")}
        chosen, _ = QFileDialog.getSaveFileName(self, t("Lưu công văn", "Save the letter"), edit.text().strip(),
                                                filters[fmt])
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() != f".{fmt}":
                path = path.with_name(path.name + f".{fmt}")
            edit.setText(str(path))
            self.ops.set_setting(SETTING_FOLDER, str(path.parent))

    def _submit(self, name: str, work: Any, steps: int, title: str, *, cancellable: bool = False) -> None:
        """Run ``work`` on the worker with a progress dialog; ``cancellable``: with «Dừng», which asks the job
        to stop (``context.cancelled``) and lets it end with what it has done."""
        self.running = True
        self.run_button.setEnabled(False)
        self.progress = QProgressDialog(t("Đang chuẩn bị…", "Preparing…"), "", 0, steps, self)
        self.progress.setObjectName("letterProgress")
        self.progress.setWindowTitle(title)
        if cancellable:
            self.progress.setCancelButtonText(t("Dừng", "Stop"))
        else:
            self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setValue(0)
        self.progress.show()
        self.job = self.worker.submit(name, work, finished=self._finished, failed=self._failed, progress=self._progress)
        if cancellable:
            self.progress.canceled.connect(self.job.cancel.set)

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.progress is not None:
            self.progress.setLabelText(text)
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)

    def _close_progress(self) -> None:
        self.running = False
        self.job = None
        self.run_button.setEnabled(True)
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, code: str, message: str) -> None:
        self._close_progress()
        from ..operations import failure_text

        QMessageBox.warning(self, t("Chưa viết được công văn", "The letter was not written"),
                            failure_text(code, message))

    def _finished(self, outcome: LetterOutcome) -> None:
        self._close_progress()
        self.outcome = outcome
        self.done.emit(outcome)

    def _confirm_overwrite(self, paths: list[Path]) -> bool:
        existing = [path for path in paths if path.exists()]
        if not existing:
            return True
        answer = QMessageBox.question(self, t("Ghi đè tệp?", "Overwrite?"),
                                      t("Các tệp sau đã có và sẽ bị ghi đè:\n", "These files exist and will be replaced:\n")
                                      + "\n".join(f"• {p}" for p in existing[:10]))
        return answer == QMessageBox.StandardButton.Yes


class ReplyDialog(_LetterDialog):
    """«Viết công văn trả lời kiến nghị»: the selected petitions, or every answered one the tab shows."""

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(workspace, worker, parent)
        self.setObjectName("replyDialog")
        self.period = ""
        self.selected: list[int] = []
        self.shown: list[int] = []
        layout = self.layout_
        self.which_box = QGroupBox(self)
        which = QVBoxLayout(self.which_box)
        self.use_selected = QRadioButton(self.which_box)
        self.use_selected.setObjectName("replySelected")
        self.use_filter = QRadioButton(self.which_box)
        self.use_filter.setObjectName("replyFiltered")
        group = QButtonGroup(self)
        group.addButton(self.use_selected)
        group.addButton(self.use_filter)
        self.group_items = QCheckBox(self.which_box)
        self.group_items.setObjectName("replyGroup")
        self.group_items.setChecked(True)
        for widget in (self.use_selected, self.use_filter, self.group_items):
            which.addWidget(widget)
        layout.addWidget(self.which_box)

        self.to_box = QGroupBox(self)
        to_form = QFormLayout(self.to_box)
        self.to_label, self.request_number_label, self.request_date_label, self.request_from_label, \
            self.request_about_label = (QLabel(self.to_box) for _ in range(5))
        self.to = QComboBox(self.to_box)
        self.to.setObjectName("replyTo")
        self.to.setEditable(True)
        self.to.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.request_number = QLineEdit(self.to_box)
        self.request_number.setObjectName("replyRequestNumber")
        date_row = QHBoxLayout()
        self.use_request_date = QCheckBox(self.to_box)
        self.use_request_date.setObjectName("replyUseRequestDate")
        self.request_date = _date_edit(self.to_box, "replyRequestDate")
        self.request_date.setEnabled(False)
        self.use_request_date.toggled.connect(self.request_date.setEnabled)
        date_row.addWidget(self.use_request_date)
        date_row.addWidget(self.request_date)
        date_row.addStretch(1)
        self.request_from = QLineEdit(self.to_box)
        self.request_from.setObjectName("replyRequestFrom")
        self.request_about = QLineEdit(self.to_box)
        self.request_about.setObjectName("replyRequestAbout")
        to_form.addRow(self.to_label, self.to)
        to_form.addRow(self.request_number_label, self.request_number)
        to_form.addRow(self.request_date_label, date_row)
        to_form.addRow(self.request_from_label, self.request_from)
        to_form.addRow(self.request_about_label, self.request_about)
        layout.addWidget(self.to_box)
        layout.addWidget(self.document_box)

        self.files_box = QGroupBox(self)
        self.want, self.paths, self.browse = file_rows(self.files_box, ("docx", "pdf"), "reply", {"docx"}, 50,
                                                       self._choose_file)
        layout.addWidget(self.files_box)
        layout.addWidget(self.buttons)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Viết công văn trả lời kiến nghị", "Write the reply to the petitions"))
        self.which_box.setTitle(t("Kiến nghị được trả lời", "Petitions answered"))
        self.group_items.setText(t("Gộp các kiến nghị cùng nội dung, cùng trả lời thành một mục",
                                   "One item for petitions asking the same and answered the same"))
        self._describe_choice()
        self.to_box.setTitle(t("Kính gửi và văn bản đề nghị", "Addressee and the request letter"))
        self.to_label.setText(t("Kính gửi:", "To:"))
        current = self.to.currentText() if self.to.count() else ""
        self.to.clear()
        self.to.addItem(t("(UBND các xã có kiến nghị)", "(the communes that asked)"), None)
        for agency in AGENCIES:
            self.to.addItem(agency, agency)
        if current and self.to.findText(current) < 0:
            self.to.setEditText(current)
        self.request_number_label.setText(t("Số công văn đề nghị:", "Request letter number:"))
        self.request_number.setPlaceholderText(t("ví dụ: 2956/SNV-XDCQ (để trống nếu không có)",
                                                 "e.g. 2956/SNV-XDCQ (blank if none)"))
        self.request_date_label.setText(t("Ngày công văn đề nghị:", "Request letter date:"))
        self.use_request_date.setText(t("Có ngày:", "Dated:"))
        self.request_from_label.setText(t("Cơ quan đề nghị:", "Requested by:"))
        self.request_from.setPlaceholderText(t("để trống: như «Kính gửi»; ví dụ: Chủ tịch UBND tỉnh",
                                               "blank: as «To»; e.g. Chủ tịch UBND tỉnh"))
        self.request_about_label.setText(t("Về việc:", "About:"))
        self.request_about.setPlaceholderText(t("trích yếu công văn đề nghị", "the request letter's subject"))
        self._retranslate_document()
        self.files_box.setTitle(t("Tệp sẽ ghi", "Files to write"))
        self.want["docx"].setText(t("Word (để sửa, trình ký)", "Word (to edit and sign)"))
        self.want["pdf"].setText(t("PDF", "PDF"))
        for button in self.browse.values():
            button.setText(t("Chọn…", "Browse…"))
        self.run_button.setText(t("Viết công văn", "Write the letter"))

    def set_request(self, period: str, selected: list[Any], shown: list[Any]) -> None:
        """The tab's period, its selected petitions and those it shows (the answered ones of them
        are the other choice)."""
        self.period = period
        self.selected = [p.id for p in selected]
        self.selected_pending = sum(1 for p in selected if p.status == "new")
        self.shown = [p.id for p in shown if p.status != "new" and p.period == period]
        self.shown_answered = len(self.shown)
        self.use_filter.setEnabled(bool(self.shown))
        self.use_selected.setEnabled(bool(self.selected))
        (self.use_selected if self.selected else self.use_filter).setChecked(True)
        self._describe_choice()
        folder = self.folder()
        for fmt, edit in self.paths.items():
            if not edit.text().strip():
                edit.setText(str(folder / f"cong-van-tra-loi-kien-nghi_{period}.{fmt}"))

    def _describe_choice(self) -> None:
        count = len(getattr(self, "selected", []))
        pending = getattr(self, "selected_pending", 0)
        label = period_text(self.period) if getattr(self, "period", "") else ""
        extra = t(f" — {pending} kiến nghị chưa có trả lời: ghi trả lời trước", f" — {pending} not answered yet") \
            if pending else ""
        self.use_selected.setText(t(f"{count} kiến nghị đang chọn{extra}", f"The {count} selected petitions{extra}"))
        answered = getattr(self, "shown_answered", 0)
        self.use_filter.setText(t(f"Mọi kiến nghị đã chuyển, đã trả lời của kỳ {label} đang xem trong bảng ({answered})",
                                  f"Every forwarded or answered petition of {label} the table shows ({answered})"))

    def addressee(self) -> str | None:
        """The «Kính gửi» chosen or typed; None: the communes."""
        typed = self.to.currentText().strip()
        if not typed or typed == self.to.itemText(0):
            return None
        return typed

    def run(self) -> None:
        from ..operations.letters import ReplyRequest, write_reply

        if self.running:
            return
        paths = {fmt: Path(edit.text().strip()) for fmt, edit in self.paths.items()
                 if self.want[fmt].isChecked() and edit.text().strip()}
        if not paths:
            QMessageBox.information(self, t("Chưa chọn tệp", "No file chosen"),
                                    t("Đánh dấu Word hoặc PDF và chọn nơi lưu.", "Tick Word or PDF and choose where."))
            return
        if not self._confirm_overwrite(list(paths.values())):
            return
        self.ops.set_setting(SETTING_FOLDER, str(next(iter(paths.values())).parent))
        ids = tuple(self.selected) if self.use_selected.isChecked() else tuple(self.shown)
        if not ids:
            QMessageBox.information(self, t("Chưa có kiến nghị", "No petition"),
                                    t("Bảng không có kiến nghị nào đã chuyển hoặc đã trả lời để đưa vào công văn.",
                                      "The table shows no forwarded or answered petition to put in the letter."))
            return
        request = ReplyRequest(
            period=self.period, to=self.addressee(), ids=ids,
            request_number=self.request_number.text().strip(),
            request_date=_date(self.request_date) if self.use_request_date.isChecked() else None,
            request_from=self.request_from.text().strip() or None, request_about=self.request_about.text().strip(),
            date=_date(self.date), number=self.number.text().strip(), signer=self.signer.text().strip() or None,
            group=self.group_items.isChecked(), docx=paths.get("docx"), pdf=paths.get("pdf"))
        workspace = self.workspace

        def work(context: JobContext) -> LetterOutcome:
            return write_reply(workspace, request, context.progress)

        self._submit("reply", work, 2, t("Đang viết công văn trả lời", "Writing the reply"))

    def _finished(self, outcome: LetterOutcome) -> None:
        super()._finished(outcome)
        listing = "\n".join(f"• {path}" for path in outcome.files)
        QMessageBox.information(self, t("Đã viết công văn", "Letter written"),
                                t(f"Công văn trả lời {outcome.petitions} kiến nghị của {outcome.communes} đơn vị.\n\n"
                                  f"Đã ghi:\n{listing}",
                                  f"Reply to {outcome.petitions} petitions of {outcome.communes} communes.\n\n"
                                  f"Written:\n{listing}"))
        self.accept()


class FeedbackDialog(_LetterDialog):
    """«Công văn thông báo kết quả cho xã»: one commune, or every commune that reported, into a folder."""

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(workspace, worker, parent)
        self.setObjectName("feedbackDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        layout = self.layout_
        self.which_box = QGroupBox(self)
        grid = QGridLayout(self.which_box)
        self.period_label = QLabel(self.which_box)
        self.period = PeriodPicker(self.which_box)
        self.period.setObjectName("feedbackPeriod")
        self.one = QRadioButton(self.which_box)
        self.one.setObjectName("feedbackOne")
        self.commune = QComboBox(self.which_box)
        self.commune.setObjectName("feedbackCommune")
        self.all = QRadioButton(self.which_box)
        self.all.setObjectName("feedbackAll")
        group = QButtonGroup(self)
        group.addButton(self.one)
        group.addButton(self.all)
        self.one.setChecked(True)
        self.one.toggled.connect(self.commune.setEnabled)
        settings = self.ops.document_settings()
        for commune in self.ops.communes(None, province=settings.home_province):
            self.commune.addItem(f"{commune.name} ({commune.code})", commune.code)
        grid.addWidget(self.period_label, 0, 0)
        grid.addWidget(self.period, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.one, 1, 0)
        grid.addWidget(self.commune, 1, 1)
        grid.addWidget(self.all, 2, 0, 1, 2)
        layout.addWidget(self.which_box)
        layout.addWidget(self.document_box)
        self.files_box = QGroupBox(self)
        files = QGridLayout(self.files_box)
        self.folder_label = QLabel(self.files_box)
        self.folder_edit = QLineEdit(self.files_box)
        self.folder_edit.setObjectName("feedbackFolder")
        self.folder_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        self.folder_edit.setText(str(self.folder()))
        self.folder_button = QPushButton(self.files_box)
        self.folder_button.clicked.connect(self._choose_folder)
        self.want_docx = QCheckBox(self.files_box)
        self.want_docx.setObjectName("feedbackDocx")
        self.want_docx.setChecked(True)
        self.want_pdf = QCheckBox(self.files_box)
        self.want_pdf.setObjectName("feedbackPdf")
        files.addWidget(self.folder_label, 0, 0)
        files.addWidget(self.folder_edit, 0, 1)
        files.addWidget(self.folder_button, 0, 2)
        formats = QHBoxLayout()
        formats.addWidget(self.want_docx)
        formats.addWidget(self.want_pdf)
        formats.addStretch(1)
        files.addLayout(formats, 1, 1)
        layout.addWidget(self.files_box)
        layout.addWidget(self.buttons)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Công văn thông báo kết quả tự đánh giá cho xã", "Feedback letters to the communes"))
        self.which_box.setTitle(t("Gửi", "To"))
        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.retranslate()
        self.one.setText(t("Một xã:", "One commune:"))
        self.all.setText(t("Mọi xã đã gửi kết quả trong kỳ (mỗi xã một công văn)",
                           "Every commune that reported (a letter each)"))
        self._retranslate_document()
        self.files_box.setTitle(t("Tệp sẽ ghi", "Files to write"))
        self.folder_label.setText(t("Thư mục:", "Folder:"))
        self.folder_button.setText(t("Chọn…", "Browse…"))
        self.want_docx.setText(t("Word (để sửa, trình ký)", "Word (to edit and sign)"))
        self.want_pdf.setText("PDF")
        self.run_button.setText(t("Viết công văn", "Write the letters"))

    def set_request(self, period: str, code: str | None = None) -> None:
        self.period.set_period(period)
        if code:
            index = self.commune.findData(code)
            if index >= 0:
                self.commune.setCurrentIndex(index)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("Thư mục ghi công văn", "Folder for the letters"),
                                                  self.folder_edit.text().strip() or str(self.folder()))
        if chosen:
            self.folder_edit.setText(chosen)
            self.ops.set_setting(SETTING_FOLDER, chosen)

    def run(self) -> None:
        from ..operations.letters import FeedbackRequest, feedback_path, write_feedback

        if self.running:
            return
        formats = tuple(fmt for fmt, check in (("docx", self.want_docx), ("pdf", self.want_pdf)) if check.isChecked())
        folder_text = self.folder_edit.text().strip()
        if not formats or not folder_text:
            QMessageBox.information(self, t("Chưa chọn tệp", "No file chosen"),
                                    t("Đánh dấu Word hoặc PDF và chọn thư mục.", "Tick Word or PDF and choose a folder."))
            return
        folder = Path(folder_text)
        period = self.period.period()
        codes = [self.commune.currentData()] if self.one.isChecked() else None
        if codes:
            commune = self.ops.commune(codes[0])
            if commune is not None and not self._confirm_overwrite(
                    [feedback_path(commune, period, folder, fmt) for fmt in formats]):
                return
        request = FeedbackRequest(period, codes=codes, folder=folder, formats=formats, date=_date(self.date),
                                  number=self.number.text().strip(), signer=self.signer.text().strip() or None)
        self.ops.set_setting(SETTING_FOLDER, str(folder))
        workspace = self.workspace

        def work(context: JobContext) -> LetterOutcome:
            return write_feedback(workspace, request, context.progress)

        self._submit("feedback", work, 1, t("Đang viết công văn thông báo kết quả", "Writing the feedback letters"))

    def _finished(self, outcome: LetterOutcome) -> None:
        super()._finished(outcome)
        shown = "\n".join(f"• {path}" for path in outcome.files[:8])
        more = t(f"\n… và {len(outcome.files) - 8} tệp khác", f"\n… and {len(outcome.files) - 8} more") \
            if len(outcome.files) > 8 else ""
        missing = t(f"\n\n{len(outcome.missing)} đơn vị chưa gửi kết quả nên không có công văn.",
                    f"\n\n{len(outcome.missing)} communes have not reported: no letter for them.") \
            if outcome.missing and self.all.isChecked() else ""
        QMessageBox.information(self, t("Đã viết công văn", "Letters written"),
                                t(f"Công văn thông báo kết quả cho {outcome.communes} đơn vị.{missing}\n\nĐã ghi:\n",
                                  f"Feedback letters for {outcome.communes} communes.{missing}\n\nWritten:\n")
                                + shown + more)
        self.accept()


def file_rows(box: QGroupBox, formats: tuple[str, ...], prefix: str, checked: set[str], width: int,
              choose: Any) -> tuple[dict[str, QCheckBox], dict[str, QLineEdit], dict[str, QPushButton]]:
    """One row per output format in ``box``: a check box (``{prefix}_{fmt}``), its path
    (``{prefix}_{fmt}_path``, ``width`` characters wide) and «Chọn…», enabled with the check box;
    ``choose(edit, fmt)`` picks the file."""
    grid = QGridLayout(box)
    want: dict[str, QCheckBox] = {}
    paths: dict[str, QLineEdit] = {}
    browse: dict[str, QPushButton] = {}
    for row, fmt in enumerate(formats):
        check = QCheckBox(box)
        check.setObjectName(f"{prefix}_{fmt}")
        check.setChecked(fmt in checked)
        edit = QLineEdit(box)
        edit.setObjectName(f"{prefix}_{fmt}_path")
        edit.setMinimumWidth(box.fontMetrics().averageCharWidth() * width)
        edit.setEnabled(check.isChecked())
        button = QPushButton(box)
        button.setEnabled(check.isChecked())
        button.clicked.connect(lambda _c=False, e=edit, f=fmt: choose(e, f))
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(button.setEnabled)
        grid.addWidget(check, row, 0)
        grid.addWidget(edit, row, 1)
        grid.addWidget(button, row, 2)
        want[fmt], paths[fmt], browse[fmt] = check, edit, button
    return want, paths, browse
