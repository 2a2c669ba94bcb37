"""The window's document actions (menu Tệp): export the submission, blank template, field checklist.

The files are written by :mod:`readiness.exchange` on the window's
:class:`~readiness.gui.operations.Runner` while a progress dialog shows; the work gets plain data
taken on the GUI thread (the export context: answers and score already in memory) and never touches
the database.  Each file is written to a
temporary file, checked and renamed into place, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from .i18n import language, t

# The file dialog, the busy dialog and QStandardPaths are imported where they are used: PySide6 builds a class,
# with its enums, when it is first named, and the window's start shows none of them.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from .host import WindowHost
    from .operations import Job

SETTING_FOLDER = "gui.export_folder"


class ExportActions(QObject):
    """Adds the three actions to the window's File menu and runs them."""

    done = Signal(list)  # the paths written (tests wait on this)
    failed = Signal(str)

    def __init__(self, window: WindowHost):
        super().__init__(window.window())
        self.window = window
        self.progress: QProgressDialog | None = None
        self._job: Job | None = None
        self._record: dict[str, Any] | None = None  # the submission being exported: remembered once written
        self.act_export = self._make("export_submission", self.export_submission, QKeySequence("Ctrl+E"))
        self.act_template = self._make("export_template", self.export_template)
        self.act_field = self._make("print_field_checklist", self.print_field_checklist, QKeySequence("Ctrl+P"))
        window.add_action("file", self.act_export)
        window.add_action("file", self.act_template)
        window.add_action("file", self.act_field)
        window.assessment_opened.connect(self._update)
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._update()

    def _make(self, name: str, slot: Callable[[], None], shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(self.window.window())
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def retranslate(self, *_args: object) -> None:
        self.act_export.setText(t("Xuất tệp gửi Sở (Excel và PDF)…", "Export for the department (Excel and PDF)…"))
        self.act_template.setText(t("Tạo phiếu trống để điền (Excel)…", "Blank fill-in workbook (Excel)…"))
        self.act_field.setText(t("In phiếu khảo sát (PDF)…", "Print the field checklist (PDF)…"))

    def _update(self) -> None:
        self.act_export.setEnabled(self.window.ops is not None)

    # -- helpers ----------------------------------------------------------------------------
    def _folder(self) -> Path:
        data = self.window.workspace_ops
        remembered = data.setting(SETTING_FOLDER) if data else None
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        from PySide6.QtCore import QStandardPaths

        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _remember(self, path: Path) -> None:
        if self.window.workspace_ops is not None:
            self.window.workspace_ops.set_setting(SETTING_FOLDER, str(path.parent))

    def _ask_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(self.window.window(), title, str(self._folder() / suggested), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._remember(path)
        return path

    def _commune(self):
        if self.window.ops is not None:
            return self.window.ops.commune
        chooser = getattr(self.window, "chooser", None)
        return getattr(getattr(chooser, "commune", None), "commune", None)

    def _checklist(self):
        if self.window.ops is not None:
            return self.window.ops.checklist
        if self.window.workspace_ops is None:
            return None
        try:
            return self.window.workspace_ops.latest_checklist()
        except KeyError:
            return None

    def _run(self, label: str, work: Callable[[], Any]) -> None:
        """Run ``work`` on the window's runner with a modal busy dialog; report the outcome."""
        if self._job is not None:
            return
        from PySide6.QtWidgets import QProgressDialog

        self.progress = QProgressDialog(label, "", 0, 0, self.window.window())
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(t("Đang tạo tệp", "Writing files"))
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        self._job = self.window.runner.submit("export", lambda _context: work(), finished=self._finished,
                                              failed=self._failed)

    def _close_progress(self) -> None:
        self._job = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, paths: list[Path]) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._close_progress()
        self._remember_sent(paths)
        listing = "\n".join(f"• {path}" for path in paths)
        QMessageBox.information(self.window.window(), t("Đã tạo tệp", "Files written"),
                                t(f"Đã ghi và kiểm tra:\n{listing}", f"Written and checked:\n{listing}"))
        self.done.emit(list(paths))

    def _remember_sent(self, paths: list[Path]) -> None:
        """A submission just exported: remember its files (what was sent; the department's receipt is
        checked against them).  Nothing to do for a template or a field checklist."""
        record, self._record = self._record, None
        data = self.window.workspace_ops
        if record is None or data is None:
            return
        files = [("xlsx" if Path(path).suffix.lower() == ".xlsx" else "pdf", path) for path in paths]
        try:
            data.record_exports(files=files, **record)
        except Exception:  # noqa: BLE001 - the files are written; only the record of them is missing
            import logging

            logging.getLogger(__name__).exception("export record not written")

    def _failed(self, code: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._record = None
        self._close_progress()
        from .operations import failure_text

        QMessageBox.warning(self.window.window(), t("Không tạo được tệp", "Could not write the file"),
                            failure_text(code, message, after=t("Không có tệp nào bị ghi dở.",
                                                                "No file was left half-written.")))
        self.failed.emit(code)

    # -- the actions ----------------------------------------------------------------------------
    def export_submission(self) -> None:
        """The current assessment as the submission workbook and, beside it, the PDF report."""
        from PySide6.QtWidgets import QMessageBox

        ops = self.window.ops
        if ops is None:
            return
        from ..exchange.naming import submission_filename

        self.window.flush()  # what is still being typed
        if ops.info.is_draft:
            answer = QMessageBox.question(
                self.window.window(), t("Bản nháp", "Draft"),
                t("Bản đánh giá chưa «Hoàn thành». Vẫn xuất tệp (ghi rõ là bản nháp)?",
                  "The assessment is not finalized yet. Export it anyway (marked as a draft)?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        suggested = submission_filename(ops.commune.code, ops.info.period, ops.commune.name)
        path = self._ask_path(t("Lưu tệp gửi Sở Khoa học và Công nghệ", "Save the file for the department"),
                              suggested, t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"), ".xlsx")
        if path is None:
            return
        ctx = ops.export_context()  # taken here: the work off the UI thread never touches the database
        pdf = path.with_suffix(".pdf")
        info = ops.info
        record: dict[str, Any] = {"assessment_id": info.id, "commune_code": ops.commune.code, "period": info.period,
                                  "revision": info.revision, "status": info.status}

        def work() -> list[Path]:
            from ..exchange.pdf_report import write_report_pdf
            from ..exchange.xlsx import write_submission

            written = write_submission(ctx, path)
            record["data_sha256"] = written.data_sha256
            return [written.path, write_report_pdf(ctx, pdf)]

        self._record = record
        self._run(t("Đang ghi bảng tính và báo cáo PDF…", "Writing the workbook and the PDF report…"), work)

    def export_template(self) -> None:
        checklist = self._checklist()
        if checklist is None:
            return
        from ..exchange.naming import template_filename

        commune = self._commune()
        period = self.window.ops.info.period if self.window.ops is not None else None
        suggested = template_filename(checklist.id, checklist.version, commune.code if commune else None,
                                      commune.name if commune else None, period)
        path = self._ask_path(t("Lưu phiếu trống", "Save the blank workbook"), suggested,
                              t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"), ".xlsx")
        if path is None:
            return

        def work() -> list[Path]:
            from ..exchange.xlsx import write_template

            return [write_template(checklist, path, commune=commune, period=period).path]

        self._run(t("Đang tạo phiếu trống…", "Writing the blank workbook…"), work)

    def print_field_checklist(self) -> None:
        checklist = self._checklist()
        if checklist is None:
            return
        from ..exchange.naming import field_checklist_filename

        commune = self._commune()
        suggested = field_checklist_filename(checklist.id, checklist.version, commune.code if commune else None,
                                             commune.name if commune else None)
        path = self._ask_path(t("Lưu phiếu khảo sát để in", "Save the field checklist to print"), suggested,
                              t("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"), ".pdf")
        if path is None:
            return

        def work() -> list[Path]:
            from ..exchange.pdf_checklist import write_field_checklist

            return [write_field_checklist(checklist, path, commune=commune)]

        self._run(t("Đang tạo phiếu khảo sát…", "Writing the field checklist…"), work)

