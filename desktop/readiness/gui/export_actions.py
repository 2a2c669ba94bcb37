"""The window's document actions (menu Tệp): export the submission, blank template, field checklist.

The files are written by :mod:`readiness.exchange` in a worker thread (QThreadPool) while a
progress dialog shows; the worker gets plain data built on the GUI thread (the export context:
answers and score already in memory) and never touches the database.  Each file is written to a
temporary file, checked and renamed into place, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from .i18n import language, t

if TYPE_CHECKING:
    from .main_window import MainWindow

SETTING_FOLDER = "gui.export_folder"


class _Signals(QObject):
    finished = Signal(object)  # the job's result
    failed = Signal(str, str)  # code, message


class _Job(QRunnable):
    """Runs ``work()`` off the GUI thread; reports through queued signals."""

    def __init__(self, work: Callable[[], Any]):
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        from ..exchange.errors import ExchangeError

        try:
            result = self.work()
        except ExchangeError as error:
            self.signals.failed.emit(error.code, error.located_message())
        except Exception as error:  # noqa: BLE001 - shown to the person, never lost
            self.signals.failed.emit("E-EXPORT", f"{type(error).__name__}: {error}")
        else:
            self.signals.finished.emit(result)


class ExportActions(QObject):
    """Adds the three actions to the window's File menu and runs them."""

    done = Signal(list)  # the paths written (tests wait on this)
    failed = Signal(str)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress: QProgressDialog | None = None
        self._job: _Job | None = None
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
        action = QAction(self.window)
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
        store = self.window.workspace.store if self.window.workspace else None
        remembered = store.get_setting(SETTING_FOLDER) if store else None
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _remember(self, path: Path) -> None:
        if self.window.workspace is not None:
            self.window.workspace.store.set_setting(SETTING_FOLDER, str(path.parent))

    def _ask_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self.window, title, str(self._folder() / suggested), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._remember(path)
        return path

    def _commune(self):
        if self.window.ops is not None:
            return self.window.ops.session.commune
        chooser = getattr(self.window, "chooser", None)
        return getattr(getattr(chooser, "commune", None), "commune", None)

    def _checklist(self):
        if self.window.ops is not None:
            return self.window.ops.checklist
        if self.window.workspace is None:
            return None
        try:
            return self.window.workspace.latest_checklist()
        except KeyError:
            return None

    def _run(self, label: str, work: Callable[[], Any]) -> None:
        """Run ``work`` in the pool with a modal busy dialog; report the outcome."""
        if self._job is not None:
            return
        self.progress = QProgressDialog(label, "", 0, 0, self.window)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(t("Đang tạo tệp", "Writing files"))
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        job = _Job(work)
        job.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._job = job
        self.pool.start(job)

    def _close_progress(self) -> None:
        self._job = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, paths: list[Path]) -> None:
        self._close_progress()
        listing = "\n".join(f"• {path}" for path in paths)
        QMessageBox.information(self.window, t("Đã tạo tệp", "Files written"),
                                t(f"Đã ghi và kiểm tra:\n{listing}", f"Written and checked:\n{listing}"))
        self.done.emit(list(paths))

    def _failed(self, code: str, message: str) -> None:
        self._close_progress()
        QMessageBox.warning(self.window, t("Không tạo được tệp", "Could not write the file"),
                            t(f"Lỗi ({code}): {message}\n\nKhông có tệp nào bị ghi dở.",
                              f"Error ({code}): {message}\n\nNo file was left half-written."))
        self.failed.emit(code)

    # -- the actions ----------------------------------------------------------------------------
    def export_submission(self) -> None:
        """The current assessment as the submission workbook and, beside it, the PDF report."""
        ops = self.window.ops
        if ops is None:
            return
        from ..exchange.context import ExportContext
        from ..exchange.naming import submission_filename

        self.window.flush()  # what is still being typed
        session = ops.session
        if session.info.is_draft:
            answer = QMessageBox.question(
                self.window, t("Bản nháp", "Draft"),
                t("Bản đánh giá chưa «Hoàn thành». Vẫn xuất tệp (ghi rõ là bản nháp)?",
                  "The assessment is not finalized yet. Export it anyway (marked as a draft)?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        suggested = submission_filename(session.commune.code, session.info.period, session.commune.name)
        path = self._ask_path(t("Lưu tệp gửi Sở Khoa học và Công nghệ", "Save the file for the department"),
                              suggested, t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"), ".xlsx")
        if path is None:
            return
        ctx = ExportContext.from_session(session)  # built here: the worker never touches the database
        pdf = path.with_suffix(".pdf")

        def work() -> list[Path]:
            from ..exchange.pdf_report import write_report_pdf
            from ..exchange.xlsx import write_submission

            return [write_submission(ctx, path).path, write_report_pdf(ctx, pdf)]

        self._run(t("Đang ghi bảng tính và báo cáo PDF…", "Writing the workbook and the PDF report…"), work)

    def export_template(self) -> None:
        checklist = self._checklist()
        if checklist is None:
            return
        from ..exchange.naming import template_filename

        commune = self._commune()
        period = self.window.ops.session.info.period if self.window.ops is not None else None
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


def install(window: MainWindow) -> ExportActions:
    """The hook main_window calls once its menus exist."""
    window.export_actions = ExportActions(window)  # type: ignore[attr-defined]
    return window.export_actions  # type: ignore[attr-defined]
