"""«Xuất báo cáo tổng hợp»: the provincial report of a period as Excel, PDF and Word (``readiness report``).

The dialog collects what ``readiness report`` takes (period, scope, the files, the report's date,
number and signer, whether the workbook has the inventory sheets, the date scores are computed
as of) in a :class:`~readiness.department.reports.ReportRequest`; :func:`report_job` then runs, on the
worker, the same :func:`~readiness.department.reports.write_reports` the command runs (consolidation,
the petitions of the scope, the documents' content, the workbook with the PDF written meanwhile by a second
process, the consolidation released, the Word report), reporting each step to the progress dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
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
    QVBoxLayout,
    QWidget,
)

from ...department.reports import FORMATS, ReportOutcome, ReportRequest, write_reports
from ..chooser import PeriodPicker
from ..i18n import language, t
from ..operations import WorkspaceOps
from .labels import period_text
from .scope import ScopeBar

if TYPE_CHECKING:
    from ...service import Workspace
    from ..operations import Job, JobContext, Runner

SETTING_FOLDER = "gui.department.report_folder"


def suggested_name(fmt: str, period: str, filters: Any = None) -> str:
    """``bao-cao-tong-hop_2025-11.xlsx`` (with the scope when narrowed: ``…_kon-tum.pdf``)."""
    from ...text import slugify

    parts = [f"bao-cao-tong-hop_{period}"]
    if filters is not None and getattr(filters, "group", None):
        return f"bao-cao-theo-doi_{period}_{slugify(filters.group)}.{fmt}"
    if filters is not None:
        if getattr(filters, "province", "51") in (None, "all"):
            parts.append("ca-nuoc")
        elif getattr(filters, "province", "51") != "51":
            parts.append(f"tinh-{filters.province}")
        for value in (getattr(filters, "former_province", None), getattr(filters, "kind", None)):
            if value:
                parts.append(slugify(value))
    return "_".join(parts) + f".{fmt}"


def report_job(workspace: Workspace, request: ReportRequest, progress: Any = None,
               cancelled: Callable[[], bool] | None = None) -> ReportOutcome:
    """What «Xuất báo cáo» runs on the worker: the files' folders made, then the one sequence of
    ``readiness report`` (:func:`readiness.department.reports.write_reports`), each step told to
    ``progress(done, total, text)``; ``cancelled()`` («Dừng», the window closing) stops it: the consolidation's
    scoring processes and the PDF's process end at once, no file is begun after, each file is whole or absent."""
    for path in request.paths().values():
        path.parent.mkdir(parents=True, exist_ok=True)
    report_progress = progress or (lambda *_args: None)

    def step(done: int, total: int, path: Path | None) -> None:
        if path is not None:
            report_progress(done, total, t(f"Đang ghi {path.name}…", f"Writing {path.name}…"))
        elif done < total:
            report_progress(done, total, t("Tổng hợp số liệu các xã…", "Consolidating the communes' data…"))
        else:
            report_progress(done, total, t("Xong", "Done"))

    return write_reports(workspace, request, step, cancelled=cancelled)


class ReportDialog(QDialog):
    """The report's options and files; «Xuất» runs :func:`write_reports` on the worker."""

    done = Signal(object)  # type: ignore[assignment]  # ReportOutcome (a signal in place of QDialog.done)
    stopped = Signal(object)  # ReportOutcome: «Dừng» was pressed; the files written before it are listed
    failed = Signal(str)

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.workspace = workspace
        self.worker = worker
        self.progress: QProgressDialog | None = None
        self.outcome: ReportOutcome | None = None
        self.running = False
        self.job: Job | None = None
        self.stopping = False  # «Dừng» pressed: the job ends at its next check, the worker process at once
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.period_label = QLabel(self)
        self.period = PeriodPicker(self)
        self.period.setObjectName("reportPeriod")
        self.period.month.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period)
        period_row.addStretch(1)
        form.addRow(self.period_label, period_row)
        self.scope_label = QLabel(self)
        self.scope = ScopeBar(self)
        self.scope.province_label.hide()  # the form's label says it
        self.scope.set_register(WorkspaceOps(workspace))
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)
        form.addRow(self.scope_label, scope_row)
        layout.addLayout(form)

        self.files_box = QGroupBox(self)
        grid = QGridLayout(self.files_box)
        self.checks: dict[str, QCheckBox] = {}
        self.paths: dict[str, QLineEdit] = {}
        self.browse: dict[str, QPushButton] = {}
        for row, fmt in enumerate(FORMATS):
            check = QCheckBox(self.files_box)
            check.setObjectName(f"report_{fmt}")
            check.setChecked(True)
            edit = QLineEdit(self.files_box)
            edit.setObjectName(f"report_{fmt}_path")
            edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 55)
            button = QPushButton(self.files_box)
            button.clicked.connect(lambda _checked=False, f=fmt: self.choose_path(f))
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(button.setEnabled)
            check.toggled.connect(lambda _c: self._update_buttons())
            grid.addWidget(check, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(button, row, 2)
            self.checks[fmt], self.paths[fmt], self.browse[fmt] = check, edit, button
        self.inventory = QCheckBox(self.files_box)
        self.inventory.setObjectName("reportInventory")
        self.inventory.setChecked(True)
        grid.addWidget(self.inventory, len(FORMATS), 1)
        self.needs = QCheckBox(self.files_box)
        self.needs.setObjectName("reportNeeds")
        self.needs.setChecked(True)
        grid.addWidget(self.needs, len(FORMATS) + 1, 1)
        layout.addWidget(self.files_box)

        self.document_box = QGroupBox(self)
        doc = QFormLayout(self.document_box)
        self.date_label = QLabel(self.document_box)
        self.date = QDateEdit(self.document_box)
        self.date.setObjectName("reportDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setDate(QDate.currentDate())
        self.number_label = QLabel(self.document_box)
        self.number = QLineEdit(self.document_box)
        self.number.setObjectName("reportNumber")
        self.signer_label = QLabel(self.document_box)
        self.signer = QLineEdit(self.document_box)
        self.signer.setObjectName("reportSigner")
        as_of_row = QHBoxLayout()
        self.use_as_of = QCheckBox(self.document_box)
        self.use_as_of.setObjectName("reportUseAsOf")
        self.as_of = QDateEdit(self.document_box)
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("dd/MM/yyyy")
        self.as_of.setDate(QDate.currentDate())
        self.as_of.setEnabled(False)
        self.use_as_of.toggled.connect(self.as_of.setEnabled)
        as_of_row.addWidget(self.use_as_of)
        as_of_row.addWidget(self.as_of)
        as_of_row.addStretch(1)
        doc.addRow(self.date_label, self.date)
        doc.addRow(self.number_label, self.number)
        doc.addRow(self.signer_label, self.signer)
        doc.addRow(as_of_row)
        layout.addWidget(self.document_box)

        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setObjectName("reportRun")
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.period.month.currentIndexChanged.connect(lambda _i: self._suggest())
        self.period.year.valueChanged.connect(lambda _v: self._suggest())
        self.scope.changed.connect(self._suggest)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Xuất báo cáo tổng hợp", "Export the consolidated report"))
        self.period_label.setText(t("Kỳ báo cáo:", "Period:"))
        self.period.retranslate()
        self.scope_label.setText(t("Phạm vi:", "Scope:"))
        self.files_box.setTitle(t("Tệp sẽ ghi", "Files to write"))
        names = {"xlsx": t("Excel (số liệu, biểu đồ, bảng kê)", "Excel (data, chart, inventories)"),
                 "pdf": t("PDF (báo cáo để in, ký)", "PDF (report to print and sign)"),
                 "docx": t("Word (bản thảo văn bản)", "Word (editable draft)")}
        for fmt in FORMATS:
            self.checks[fmt].setText(names[fmt])
            self.browse[fmt].setText(t("Chọn…", "Browse…"))
        self.inventory.setText(t("Excel kèm các sheet bảng kê (máy tính, chứng thư số, điểm cầu)",
                                 "Excel with the inventory sheets (PCs, certificates, endpoints)"))
        self.needs.setText(t("Kèm nhu cầu đầu tư và kinh phí ước tính", "With the investment needs and estimated cost"))
        self.document_box.setTitle(t("Văn bản", "Document"))
        self.date_label.setText(t("Ngày báo cáo:", "Report date:"))
        self.number_label.setText(t("Số văn bản:", "Number:"))
        self.number.setPlaceholderText(t("để trống: văn thư ghi khi phát hành", "blank: filled in when issued"))
        self.signer_label.setText(t("Người ký (Phó Giám đốc):", "Signed by (Deputy Director):"))
        self.use_as_of.setText(t("Chấm điểm theo ngày:", "Score as of:"))
        self.use_as_of.setToolTip(t("Mặc định: mỗi bản theo ngày hoàn thành, bản nháp theo hôm nay.",
                                    "Default: each assessment as of the day it was finalized, drafts as of today."))
        self.run_button.setText(t("Xuất báo cáo", "Export"))
        self.cancel_button.setText(t("Đóng", "Close"))

    # -- paths ---------------------------------------------------------------------------------------
    def folder(self) -> Path:
        remembered = WorkspaceOps(self.workspace).setting(SETTING_FOLDER)
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def set_request(self, period: str, filters: Any = None) -> None:
        """Start from the dashboard's period and scope."""
        self.period.set_period(period)
        if filters is not None:
            self.scope.set_values(province=filters.province or "all", former_province=filters.former_province,
                                  kind=filters.kind, group=getattr(filters, "group", None))
        self._suggest(force=True)

    def _suggest(self, *_args: object, force: bool = False) -> None:
        folder = self.folder()
        filters = self.scope.filters()
        for fmt in FORMATS:
            edit = self.paths[fmt]
            current = edit.text().strip()
            if force or not current or Path(current).name.startswith("bao-cao-tong-hop_"):
                base = Path(current).parent if current and not force else folder
                edit.setText(str(base / suggested_name(fmt, self.period.period(), filters)))

    def choose_path(self, fmt: str) -> None:
        filters = {"xlsx": t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"),
                   "pdf": t("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"),
                   "docx": t("Văn bản Word (*.docx)", "Word document (*.docx)")}
        current = self.paths[fmt].text().strip() or str(self.folder() / suggested_name(fmt, self.period.period()))
        chosen, _ = QFileDialog.getSaveFileName(self, t("Lưu báo cáo", "Save the report"), current, filters[fmt])
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        self.paths[fmt].setText(str(path))
        WorkspaceOps(self.workspace).set_setting(SETTING_FOLDER, str(path.parent))

    def _update_buttons(self) -> None:
        self.run_button.setEnabled(not self.running and any(check.isChecked() for check in self.checks.values()))

    def request(self) -> ReportRequest:
        paths = {fmt: Path(self.paths[fmt].text().strip()) if self.checks[fmt].isChecked() and self.paths[fmt].text().strip()
                 else None for fmt in FORMATS}
        qdate = self.date.date()
        as_of = self.as_of.date() if self.use_as_of.isChecked() else None
        return ReportRequest(
            period=self.period.period(), filters=self.scope.filters(), xlsx=paths["xlsx"], pdf=paths["pdf"],
            docx=paths["docx"], date=dt.date(qdate.year(), qdate.month(), qdate.day()), number=self.number.text().strip(),
            signer=self.signer.text().strip(), inventory=self.inventory.isChecked(), needs=self.needs.isChecked(),
            as_of=dt.date(as_of.year(), as_of.month(), as_of.day()) if as_of is not None else None)

    # -- running -------------------------------------------------------------------------------------
    def run(self) -> None:
        if self.running:
            return
        request = self.request()
        if not request.paths():
            QMessageBox.information(self, t("Chưa chọn tệp", "No file chosen"),
                                    t("Đánh dấu ít nhất một loại tệp (Excel, PDF, Word) và chọn nơi lưu.",
                                      "Tick at least one kind of file and choose where to save it."))
            return
        existing = [path for path in request.paths().values() if path.exists()]
        if existing:
            answer = QMessageBox.question(self, t("Ghi đè tệp?", "Overwrite?"),
                                          t("Các tệp sau đã có và sẽ bị ghi đè:\n", "These files exist and will be replaced:\n")
                                          + "\n".join(f"• {p}" for p in existing))
            if answer != QMessageBox.StandardButton.Yes:
                return
        WorkspaceOps(self.workspace).set_setting(SETTING_FOLDER, str(next(iter(request.paths().values())).parent))
        workspace = self.workspace

        def work(context: JobContext) -> ReportOutcome:
            return report_job(workspace, request, context.progress, lambda: context.cancelled)

        self.running = True
        self.stopping = False
        self._update_buttons()
        self.progress = QProgressDialog(t("Đang tổng hợp số liệu…", "Consolidating…"), t("Dừng", "Stop"), 0,
                                        1 + len(request.paths()), self)
        self.progress.setObjectName("reportProgress")
        self.progress.setWindowTitle(t("Đang xuất báo cáo", "Exporting the report"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setValue(0)
        self.progress.show()
        self.job = self.worker.submit("report", work, finished=self._finished, failed=self._failed,
                                      progress=self._progress)
        self.progress.canceled.connect(self.stop)

    def stop(self) -> None:
        """«Dừng»: the job stops at its next check (no file begun after it; the communes' scoring of a cold
        consolidation and a document being written in the second process are interrupted at once); the progress
        stays up, saying so, until the job has ended."""
        if self.job is None or self.stopping:
            return
        self.stopping = True
        self.job.cancel.set()
        dialog = self.progress
        if dialog is not None:
            dialog.show()  # QProgressDialog hides itself on cancel; it stays until the job has really ended
            dialog.setLabelText(t("Đang dừng, không ghi thêm tệp nào…", "Stopping, no further file is written…"))
            button = dialog.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    def _progress(self, done: int, total: int, text: str) -> None:
        dialog = self.progress
        if dialog is None or self.stopping:
            return
        dialog.setLabelText(t(f"Bước {min(done + 1, total)}/{total}: {text}", f"Step {min(done + 1, total)}/{total}: {text}"))
        dialog.setMaximum(total)
        dialog.setValue(done)  # last: a modal progress dialog processes events here (the job may finish meanwhile)

    def _close_progress(self) -> None:
        self.running = False
        self.job = None
        self._update_buttons()
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, outcome: ReportOutcome) -> None:
        self._close_progress()
        self.outcome = outcome
        if outcome.cancelled and self.stopping:
            self.stopping = False
            written = "\n".join(f"• {path}" for path in outcome.files)
            QMessageBox.information(
                self, t("Đã dừng xuất báo cáo", "Report stopped"),
                (t(f"Đã dừng. Các tệp đã ghi xong trước khi dừng (đầy đủ, dùng được):\n{written}",
                   f"Stopped. Files finished before the stop (complete, usable):\n{written}") if outcome.files
                 else t("Đã dừng. Chưa ghi tệp nào.", "Stopped. No file was written.")))
            self.stopped.emit(outcome)
            return
        if outcome.cancelled:  # the window is closing: nothing to tell
            self.reject()
            return
        listing = "\n".join(f"• {path}" for path in outcome.files)
        QMessageBox.information(
            self, t("Đã xuất báo cáo", "Report written"),
            t(f"Báo cáo kỳ {period_text(outcome.period)}: đã nhận {outcome.received}/{outcome.expected} đơn vị, "
              f"{outcome.petitions} kiến nghị.\n\nĐã ghi:\n{listing}",
              f"Report for {period_text(outcome.period)}: {outcome.received}/{outcome.expected} received, "
              f"{outcome.petitions} petitions.\n\nWritten:\n{listing}"))
        self.done.emit(outcome)
        self.accept()

    def _failed(self, code: str, message: str) -> None:
        self._close_progress()
        self.stopping = False
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không xuất được báo cáo", "Could not write the report"),
                            failure_text(code, message))
        self.failed.emit(code)

