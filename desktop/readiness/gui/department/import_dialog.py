"""«Nhập tệp của các xã»: choose files and folders, import them off the UI thread, see every result.

The import itself is :func:`readiness.department.importer.import_paths` (what ``readiness import``
runs), on the window's worker thread: its ``progress`` drives the bar ("12/96 tệp — tên tệp"),
its ``on_result`` adds each file's row to the table as soon as it is written, and «Dừng» sets its
``cancel`` event (the files already imported stay imported).  Every reason a file was refused is
listed with its code, sheet and cell, in Vietnamese, and can be saved as CSV or Excel.  A file
*held* instead of replacing a signed revision (``held``) is decided here too: «Bản giữ lại…»
(:class:`.held_dialog.HeldDialog`).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QItemSelection, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import language, t
from ..operations import WorkspaceOps
from .labels import IMPORT_STATUS, escape, for_gui, import_status_label, period_text
from .models import ImportResultsModel, ImportResultsProxy
from .result_view import add_filter_row, add_results, add_run_row, problem_item

if TYPE_CHECKING:
    from ...department.importer import FileResult, ImportReport
    from ...service import Workspace
    from ..operations import Job, JobContext, Runner

SETTING_FOLDER = "gui.department.import_folder"
ERROR_HEADERS = ("Tệp", "Đường dẫn", "Kết quả", "Mã xã", "Tên xã", "Kỳ", "Lần", "Mã lỗi", "Sheet", "Ô", "Nội dung",
                 "Cách xử lý")


def error_rows(results: Sequence[FileResult], names: dict[str, str]) -> list[list[Any]]:
    """One row per reason (errors and warnings) of every file that has one: the «Lưu danh sách lỗi» table."""
    from ...errors import hint_of

    rows: list[list[Any]] = []
    for result in results:
        problems = list(result.errors) + list(result.warnings)
        for problem in problems:
            advice = hint_of(problem.code)
            rows.append([Path(result.file).name, result.file, import_status_label(result.status), result.commune or "",
                         names.get(result.commune or "", ""), period_text(result.period), result.revision or "",
                         problem.code, problem.sheet or "", problem.cell or "", problem.message, advice])
    return rows


def write_error_list(results: Sequence[FileResult], names: dict[str, str], path: Path) -> int:
    """CSV (UTF-8 with BOM, so Excel reads the diacritics) or xlsx by the suffix; returns the rows written.

    File names, cell values quoted in messages: text from outside, kept text (:mod:`readiness.xlsx_cells`).
    """
    from ...xlsx_cells import csv_row, put_text, save_workbook

    rows = error_rows(results, names)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from openpyxl.worksheet.worksheet import Worksheet

        book = Workbook()
        sheet = cast(Worksheet, book.active)  # a new workbook's one sheet
        sheet.title = "Lỗi nhập"
        for col, header in enumerate(ERROR_HEADERS, start=1):
            put_text(sheet.cell(1, col), header).font = Font(bold=True)
        for row_index, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                if isinstance(value, str):
                    put_text(sheet.cell(row_index, col), value)
                else:
                    sheet.cell(row_index, col).value = value
        for letter, width in zip("ABCDEFGHIJKL", (34, 40, 14, 8, 24, 9, 5, 20, 16, 6, 80, 50)):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        save_workbook(book, path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(ERROR_HEADERS)
            writer.writerows(csv_row(row) for row in rows)
    return len(rows)


class ImportDialog(QDialog):
    """Choose, import, look at the results.  ``imported`` is emitted once an import ends."""

    proxy: ImportResultsProxy
    imported = Signal(object)  # the ImportReport
    held_decided = Signal(object)  # a held revision accepted or dismissed here (a StoreOutcome)

    def __init__(self, workspace: Workspace, worker: Runner, names: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.workspace = workspace
        self.worker = worker
        self.names = names
        self.jobs: int | None = None  # worker processes of the import (None: one per CPU; tests use 0)
        self.today: dt.date | None = None  # the date answers are checked against (tests pin it)
        self.job: Job | None = None
        self.report: ImportReport | None = None
        self.decided: dict[int, str] = {}  # held id -> "accepted" / "dismissed", decided in this dialog
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._build()
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._update_buttons()

    # == layout ============================================================================================
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.files_box = QGroupBox(self)
        files_layout = QHBoxLayout(self.files_box)
        self.path_list = QListWidget(self.files_box)
        self.path_list.setObjectName("importPaths")
        self.path_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.path_list.setMaximumHeight(self.fontMetrics().height() * 6)
        files_layout.addWidget(self.path_list, 1)
        buttons = QVBoxLayout()
        self.add_files_button = QPushButton(self.files_box)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button = QPushButton(self.files_box)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton(self.files_box)
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        files_layout.addLayout(buttons)
        top.addWidget(self.files_box, 3)

        self.options_box = QGroupBox(self)
        options = QVBoxLayout(self.options_box)
        self.accept_edited = QCheckBox(self.options_box)
        self.accept_edited.setObjectName("acceptEdited")
        self.accept_edited.toggled.connect(self._edited_toggled)
        self.edited_warning = QLabel(self.options_box)
        self.edited_warning.setObjectName("editedWarning")
        self.edited_warning.setWordWrap(True)
        self.edited_warning.setStyleSheet("#editedWarning { background: #fff3e0; color: #7a4100; border: 1px solid #ffb74d;"
                                          " border-radius: 3px; padding: 4px; }")
        self.edited_warning.hide()
        self.require_signature = QCheckBox(self.options_box)
        self.require_signature.setObjectName("requireSignature")
        options.addWidget(self.accept_edited)
        options.addWidget(self.edited_warning)
        options.addWidget(self.require_signature)
        options.addStretch(1)
        top.addWidget(self.options_box, 2)
        layout.addLayout(top)

        run = add_run_row(self, layout, ("startImport", "importProgress", "cancelImport"), start=self.start,
                          cancel=self.cancel)
        self.start_button, self.progress, self.cancel_button = run.start, run.progress, run.cancel
        filters = add_filter_row(self, layout, ("importSummary", "statusFilter", "importSearch"), search_chars=30,
                                 chosen=self._apply_status_filter, searched=lambda text: self.proxy.set_text(text))
        self.summary, self.status_label, self.status_filter, self.search = (filters.summary, filters.label,
                                                                            filters.choice, filters.search)
        self.model = ImportResultsModel(self.names, self)
        self.proxy = ImportResultsProxy(self)
        self.proxy.setSourceModel(self.model)
        results = add_results(
            self, layout, self.proxy, ("importResults", "importDetails"), selected=self._selection_changed,
            widths=((ImportResultsModel.FILE, "23476_2025-11_xa-kon-plong.xlsx____"),
                    (ImportResultsModel.STATUS, "Trùng (đã có)__"),
                    (ImportResultsModel.COMMUNE, "Phường Trương Quang Trọng (23500)"),
                    (ImportResultsModel.PERIOD, "11/2025_"), (ImportResultsModel.REVISION, "Lần_"),
                    (ImportResultsModel.SIGNATURE, "Đã ký số, hợp lệ")),
            stretch=(3, 1), sizes=(400, 120))
        self.table, self.details = results.table, results.details

        bottom = QHBoxLayout()
        self.save_errors_button = QPushButton(self)
        self.save_errors_button.setObjectName("saveErrors")
        self.save_errors_button.clicked.connect(self.save_errors)
        self.held_button = QPushButton(self)
        self.held_button.setObjectName("heldButton")
        self.held_button.clicked.connect(self.open_held)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.held_button)
        bottom.addWidget(self.save_errors_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Nhập tệp của các xã", "Import the communes' files"))
        self.files_box.setTitle(t("Tệp và thư mục cần nhập (thư mục: tìm cả thư mục con)",
                                  "Files and folders to import (folders: subfolders too)"))
        self.add_files_button.setText(t("Thêm tệp…", "Add files…"))
        self.add_folder_button.setText(t("Thêm thư mục…", "Add a folder…"))
        self.remove_button.setText(t("Bỏ khỏi danh sách", "Remove"))
        self.options_box.setTitle(t("Tùy chọn", "Options"))
        self.accept_edited.setText(t("Chấp nhận tệp đã bị sửa tay sau khi xuất", "Accept files edited by hand after export"))
        self.edited_warning.setText(t(
            "Chú ý: giá trị đang có trên các sheet sẽ được nhập thay cho dữ liệu gốc, kể cả phần bị sửa tay. "
            "Chỉ dùng khi đã hỏi xã và chấp nhận phần sửa; mỗi chỗ sửa được ghi ở cột «Lý do».",
            "Warning: the values on the sheets are imported instead of the original data, edits included. "
            "Use only after checking with the commune; every edit is listed under “Reasons”."))
        self.require_signature.setText(t("Chỉ nhận tệp có chữ ký số hợp lệ của xã", "Accept only files with a valid signature"))
        self.start_button.setText(t("Nhập", "Import"))
        self.cancel_button.setText(t("Dừng", "Stop") if not (self.job and self.job.cancel.is_set()) else
                                   t("Đang dừng…", "Stopping…"))
        self.status_label.setText(t("Xem:", "Show:"))
        self.search.setPlaceholderText(t("Tìm tên tệp, xã, lý do…", "Search file, commune, reason…"))
        self.save_errors_button.setText(t("Lưu danh sách lỗi…", "Save the error list…"))
        self.held_button.setText(t("Bản giữ lại…", "Held revision…"))
        self.held_button.setToolTip(t("Chấp nhận hoặc bỏ bản nộp mới bị giữ lại (bản đã ký số của xã vẫn đang được dùng)",
                                      "Accept or dismiss the held revision (the commune's signed revision is still in use)"))
        self.close_button.setText(t("Đóng", "Close"))
        self.model.retranslate()
        self._fill_status_filter()
        self._show_summary()
        self._selection_changed()

    # == choosing ==========================================================================================
    def _start_folder(self) -> str:
        remembered = WorkspaceOps(self.workspace).setting(SETTING_FOLDER)
        if remembered and Path(remembered).is_dir():
            return remembered
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, t("Chọn tệp Excel xã gửi về", "Choose the communes' Excel files"),
                                                self._start_folder(),
                                                t("Bảng tính Excel (*.xlsx);;Mọi tệp (*)", "Excel workbooks (*.xlsx);;All files (*)"))
        if files:
            self.add_paths(files)
            WorkspaceOps(self.workspace).set_setting(SETTING_FOLDER, str(Path(files[0]).parent))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("Chọn thư mục chứa tệp của các xã", "Choose the folder of the files"),
                                                  self._start_folder())
        if folder:
            self.add_paths([folder])
            WorkspaceOps(self.workspace).set_setting(SETTING_FOLDER, folder)

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        present = set(self.paths())
        for path in paths:
            text = str(path)
            if text not in present:
                present.add(text)
                self.path_list.addItem(text)
                item = self.path_list.item(self.path_list.count() - 1)
                item.setToolTip(t("Thư mục" if Path(text).is_dir() else "Tệp", "Folder" if Path(text).is_dir() else "File"))
        self._update_buttons()

    def remove_selected(self) -> None:
        for item in self.path_list.selectedItems():
            self.path_list.takeItem(self.path_list.row(item))
        self._update_buttons()

    def paths(self) -> list[str]:
        return [self.path_list.item(i).text() for i in range(self.path_list.count())]

    def _edited_toggled(self, checked: bool) -> None:
        self.edited_warning.setVisible(checked)

    # == running ===========================================================================================
    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        if self.running:
            return
        paths = self.paths()
        if not paths:
            QMessageBox.information(self, t("Chưa chọn tệp", "No file chosen"),
                                    t("Bấm «Thêm tệp…» hoặc «Thêm thư mục…» để chọn các tệp xã gửi về.",
                                      "Press “Add files…” or “Add a folder…” to choose the files."))
            return
        from ...department.importer import import_paths

        accept_edited = self.accept_edited.isChecked()
        require_signature = self.require_signature.isChecked()
        jobs, today, workspace = self.jobs, self.today, self.workspace

        def work(context: JobContext) -> ImportReport:
            return import_paths(workspace, paths, accept_edited=accept_edited, jobs=jobs, progress=context.progress,
                                cancel=context.cancel, today=today, on_result=context.item,
                                require_signature=require_signature)

        self.model.clear()
        self.report = None
        self.details.clear()
        self.progress.setRange(0, 0)  # busy until the files are listed
        self.progress.setFormat(t("Đang tìm tệp…", "Listing the files…"))
        self.job = self.worker.submit("import", work, finished=self._finished, failed=self._failed,
                                      progress=self._progress, item=self._item)
        self._update_buttons()
        self._show_summary()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
            self.cancel_button.setText(t("Đang dừng…", "Stopping…"))
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int, name: str) -> None:
        if self.job is None:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        text = t(f"{done}/{total} tệp", f"{done}/{total} files")
        if name:
            text += f" — {name}"
        self.progress.setFormat(text)

    def _item(self, result: FileResult) -> None:
        self.model.append(result)
        self._show_summary()

    def _finished(self, report: ImportReport) -> None:
        self.job = None
        self.report = report
        if len(self.model.results) != len(report.results):  # streamed rows and the report agree; the report wins
            self.model.set_results(report.results)
        done = len(report.results)
        total = done + report.not_done
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(t(f"{done}/{total} tệp", f"{done}/{total} files")
                                + (t(" — đã dừng", " — stopped") if report.cancelled else t(" — xong", " — done")))
        self.cancel_button.setText(t("Dừng", "Stop"))
        self._update_buttons()
        self._fill_status_filter()
        self._show_summary()
        self.imported.emit(report)

    def _failed(self, code: str, message: str) -> None:
        self.job = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(t("Không nhập được", "Import failed"))
        self.cancel_button.setText(t("Dừng", "Stop"))
        self._update_buttons()
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không nhập được", "Import failed"),
                            failure_text(code, message, after=t("Các tệp đã nhập xong trước lỗi này vẫn được giữ.",
                                                                "Files imported before this error are kept.")))

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running and self.path_list.count() > 0)
        self.cancel_button.setEnabled(running and not (self.job and self.job.cancel.is_set()))
        for widget in (self.add_files_button, self.add_folder_button, self.remove_button, self.accept_edited,
                       self.require_signature, self.path_list):
            widget.setEnabled(not running)
        has_errors = any(r.errors or r.warnings for r in self.model.results)
        self.save_errors_button.setEnabled(not running and has_errors)
        selected = self.selected_result() if hasattr(self, "table") else None
        self.held_button.setEnabled(not running and selected is not None and bool(selected.held)
                                    and selected.held.get("id") not in self.decided)  # type: ignore[union-attr, operator]  # bool(held) above

    # == results ===========================================================================================
    def _fill_status_filter(self) -> None:
        counts = Counter(r.status for r in self.model.results)
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(t(f"Tất cả ({sum(counts.values())})", f"All ({sum(counts.values())})"), None)
        self.status_filter.addItem(t(f"Có lỗi hoặc ghi chú ({sum(1 for r in self.model.results if r.errors or r.warnings)})",
                                     f"With reasons ({sum(1 for r in self.model.results if r.errors or r.warnings)})"),
                                   "problems")
        for status in IMPORT_STATUS:
            self.status_filter.addItem(f"{import_status_label(status)} ({counts.get(status, 0)})", status)
        index = self.status_filter.findData(current)
        self.status_filter.setCurrentIndex(max(index, 0))
        self.status_filter.blockSignals(False)
        self._apply_status_filter()

    def _apply_status_filter(self, *_args: object) -> None:
        wanted = self.status_filter.currentData()
        if wanted is None:
            self.proxy.set_keys(None)
        elif wanted == "problems":
            self.proxy.set_keys({"rejected", "skipped"} | {r.status for r in self.model.results if r.warnings})
        else:
            self.proxy.set_keys({wanted})

    def set_status_filter(self, status: str | None) -> None:
        index = self.status_filter.findData(status)
        if index >= 0:
            self.status_filter.setCurrentIndex(index)

    def _show_summary(self) -> None:
        results = self.model.results
        counts = Counter(r.status for r in results)
        parts = [f"{counts[s]} {import_status_label(s).lower()}" for s in IMPORT_STATUS if counts.get(s)]
        if not results and not self.running:
            self.summary.setText(t("Chọn tệp hoặc thư mục rồi bấm <b>Nhập</b>. Mỗi tệp được kiểm tra và nhập riêng: "
                                   "một tệp lỗi không làm dừng các tệp khác.",
                                   "Choose files or folders, then press <b>Import</b>. Each file is checked and imported "
                                   "on its own: one bad file never stops the others."))
            return
        text = t(f"<b>{len(results)} tệp</b>", f"<b>{len(results)} files</b>")
        if parts:
            text += ": " + ", ".join(parts)
        report = self.report
        if report is not None:
            from ...numbers import number

            text += t(f" ({number(report.seconds, decimals=1)} giây)", f" ({number(report.seconds, 'en', decimals=1)} s)")
            if report.cancelled:
                text += t(f". <span style='color:#8d6e00'>Đã dừng: {report.not_done} tệp chưa nhập; các tệp đã nhập "
                          "xong vẫn được giữ.</span>",
                          f". <span style='color:#8d6e00'>Stopped: {report.not_done} files not imported; the files "
                          "already imported are kept.</span>")
            elif counts.get("rejected"):
                text += t(". <span style='color:#b71c1c'>Xem lý do từng tệp bị từ chối ở cột «Lý do» và khung bên dưới.</span>",
                          ". <span style='color:#b71c1c'>See why each file was rejected under “Reasons” and below.</span>")
            if counts.get("held") and not report.cancelled:
                text += t(f". <span style='color:#8a3c00'>{counts['held']} tệp bị giữ lại: bản đã ký số của xã vẫn được "
                          "dùng; chọn dòng rồi bấm «Bản giữ lại…» để quyết định.</span>",
                          f". <span style='color:#8a3c00'>{counts['held']} held: the commune's signed revision stays in "
                          "use; select the row and press “Held revision…” to decide.</span>")
        elif self.running:
            text += t(" — đang nhập…", " — importing…")
        self.summary.setText(text)

    def selected_result(self) -> FileResult | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.proxy.object_at(rows[0].row())

    def _selection_changed(self, *_args: QItemSelection) -> None:
        self._update_buttons()
        result = self.selected_result()
        if result is None:
            self.details.setHtml(f"<p style='color:#666'>{escape(t('Chọn một dòng để xem đầy đủ lý do và cách xử lý.', 'Select a row to see every reason and what to do.'))}</p>")
            return
        from ...errors import hint_of

        _vi, _en, fg, _bg = IMPORT_STATUS.get(result.status, ("", "", "#000", ""))
        who = self.model.commune_text(result)
        head = (f"<b>{escape(Path(result.file).name)}</b> — <span style='color:{fg}'><b>{escape(import_status_label(result.status))}</b></span>"
                + (f" · {escape(who)}" if who else "")
                + (f" · {t('kỳ', 'period')} {period_text(result.period)}" if result.period else "")
                + (f" · {t('lần', 'revision')} {result.revision}" if result.revision else ""))
        lines = [head, f"<div style='color:#666'>{escape(result.file)}</div>"]
        if result.signature and result.signature.get("text"):
            lines.append(f"<div>{escape(str(result.signature['text']))}</div>")
        items = []
        for problem in list(result.errors) + list(result.warnings):
            place = "; ".join(f"sheet «{sheet}», {t('ô', 'cell')} {cell}" for sheet, cell in problem.places) or (
                f"sheet «{problem.sheet}»" if problem.sheet else "")
            items.append(problem_item(problem.code, place, for_gui(problem.message),
                                      for_gui(hint_of(problem.code, language().code))))
        if items:
            lines.append("<ul style='margin-left:-20px'>" + "".join(items) + "</ul>")
        else:
            lines.append(f"<p>{escape(t('Không có lỗi.', 'No problems.'))}</p>")
        if result.held:
            decided = self.decided.get(result.held.get("id"))  # type: ignore[arg-type]  # a held revision's id
            if decided:
                text = t("Sở đã chấp nhận bản này: đây là bản đang dùng của xã." if decided == "accepted"
                         else "Sở đã bỏ bản này.", "Accepted: it is now the revision in use." if decided == "accepted"
                         else "Dismissed.")
            else:
                text = t("Bản này được giữ lại, chưa dùng: bấm «Bản giữ lại…» để chấp nhận hoặc bỏ.",
                         "This revision is held, not in use: press “Held revision…” to accept or dismiss it.")
            lines.append(f"<p style='color:#8a3c00'><b>{escape(text)}</b></p>")
        self.details.setHtml("".join(lines))

    def open_held(self) -> None:
        """The decision on the selected held file (:class:`.held_dialog.HeldDialog`)."""
        result = self.selected_result()
        if result is None or not result.held or self.running:
            return
        from ...department.held import get_held
        from .held_dialog import HeldDialog

        held = get_held(self.workspace, int(result.held["id"]))
        if held is None or not held.pending:
            QMessageBox.information(self, t("Đã xử lý", "Already decided"),
                                    t("Bản giữ lại này đã được xử lý (chấp nhận, bỏ, hoặc đã có lần sửa mới hơn).",
                                      "This held revision was already decided (or a newer revision came in)."))
            return
        dialog = HeldDialog(self.workspace, self.worker, [held], self.names, self)
        dialog.decided.connect(lambda outcome, held_id=held.id: self._held_decided(held_id, outcome))
        self.held_dialog = dialog
        dialog.open()

    def _held_decided(self, held_id: int, outcome: Any) -> None:
        self.decided[held_id] = "dismissed" if getattr(outcome, "status", "") == "dismissed" else "accepted"
        self._selection_changed()
        self.held_decided.emit(outcome)

    def save_errors(self) -> None:
        results = self.model.results
        if not any(r.errors or r.warnings for r in results):
            return
        suggested = Path(self._start_folder()) / f"loi-nhap-tep_{dt.date.today():%Y-%m-%d}.xlsx"
        chosen, selected_filter = QFileDialog.getSaveFileName(
            self, t("Lưu danh sách lỗi", "Save the error list"), str(suggested),
            t("Bảng tính Excel (*.xlsx);;CSV (*.csv)", "Excel workbook (*.xlsx);;CSV (*.csv)"))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_name(path.name + (".csv" if "csv" in (selected_filter or "").lower() else ".xlsx"))
        try:
            count = write_error_list(results, self.names, path)
        except OSError as error:
            QMessageBox.warning(self, t("Không lưu được", "Could not save"), f"{path}: {error.strerror or error}")
            return
        QMessageBox.information(self, t("Đã lưu", "Saved"),
                                t(f"Đã ghi {count} lý do vào:\n{path}", f"Wrote {count} reasons to:\n{path}"))

    # == closing ===========================================================================================
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            answer = QMessageBox.question(
                self, t("Đang nhập", "Importing"),
                t("Việc nhập tệp chưa xong. Dừng nhập và đóng? Các tệp đã nhập xong vẫn được giữ.",
                  "The import is not finished. Stop it and close? Files already imported are kept."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.cancel()
        super().closeEvent(event)
