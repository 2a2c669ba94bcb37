"""«Nhập phiếu Excel đã điền…» (menu Tệp): a blank template filled on site, loaded into the open draft.

The file goes through the department's import checks on the window's Runner
(:mod:`readiness.template_fill`); the window then shows what would change (question, current answer,
answer in the paper) and saves only when the officer presses «Lưu các thay đổi», in one transaction.
A refused file shows its problems, sheet and cell named, and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from .i18n import lang, language, t

# The preview's table, its buttons and the file dialog are imported where they are used: PySide6 builds a class,
# with its enums, when it is first named, and the window's start shows none of them.

if TYPE_CHECKING:
    from ..template_fill import TemplatePreview, TemplateRead
    from .host import WindowHost


class TemplatePreviewDialog(QDialog):
    """What the template would change, or why it cannot be loaded; «Lưu các thay đổi» / «Quay lại»."""

    def __init__(self, preview: TemplatePreview, where: str, parent: QWidget | None = None):
        import html  # here, not at the top: this module is imported as the window starts (html.entities ≈ 7 M instructions)

        from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHeaderView, QTableWidget

        super().__init__(parent)
        self.preview = preview
        self.setObjectName("templatePreview")
        self.setWindowTitle(t("Nhập phiếu Excel đã điền", "Load a filled workbook"))
        layout = QVBoxLayout(self)
        name = html.escape(preview.read.path.name)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("templateChanges")
        self.table.setHorizontalHeaderLabels([t("Mục", "No."), t("Câu hỏi", "Question"), t("Hiện có", "Now"),
                                              t("Trong phiếu", "In the workbook")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(self)
        self.save_button: QPushButton | None = None
        if preview.ok and preview.changes:
            self.save_button = self.buttons.addButton(t("Lưu các thay đổi", "Save the changes"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("saveChanges")
            self.buttons.addButton(t("Quay lại", "Go back"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            self.buttons.addButton(t("Đóng", "Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if not preview.ok:
            self.heading.setText(t(f"<b>Không nhập được phiếu «{name}»</b>: chưa có gì được lưu.",
                                   f"<b>The workbook “{name}” cannot be loaded</b>: nothing was saved."))
            self.table.setColumnCount(1)
            self.table.setHorizontalHeaderLabels([t("Cần sửa trong phiếu", "To fix in the workbook")])
            self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self._rows([[message] for message in preview.errors])
        elif not preview.changes:
            self.heading.setText(t(f"Phiếu «{name}» không có gì khác với các câu trả lời của {html.escape(where)}.",
                                   f"The workbook “{name}” holds nothing new for {html.escape(where)}."))
            self.table.hide()
        else:
            count = len(preview.changes)
            self.heading.setText(t(f"Phiếu «{name}» → {html.escape(where)}: <b>{count}</b> câu trả lời sẽ thay đổi. "
                                   "Chưa có gì được lưu: xem lại rồi bấm «Lưu các thay đổi».",
                                   f"“{name}” → {html.escape(where)}: <b>{count}</b> answers will change. Nothing is "
                                   "saved yet: check them, then press “Save the changes”."))
            self._rows([[c.number, c.label, c.before or t("(chưa trả lời)", "(not answered)"), c.after]
                        for c in preview.changes])
        notes = []
        if preview.ok and preview.kept:
            notes.append(t(f"{len(preview.kept)} câu để trống trong phiếu: giữ câu trả lời hiện có.",
                           f"{len(preview.kept)} questions are blank in the workbook: the current answers stay."))
        notes += [warning.message for warning in preview.read.warnings]
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        self.resize(min(1100, max(640, self.sizeHint().width())), 520)

    def _rows(self, rows: list[list[str]]) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 40 else "")
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()


class TemplateImportActions(QObject):
    """«Nhập phiếu Excel đã điền…» in the File menu (after «Tạo phiếu trống để điền»)."""

    shown = Signal(object)  # the preview dialog (tests answer it)
    saved = Signal(int)  # the number of answers saved

    def __init__(self, window: WindowHost, before: QAction | None = None):
        super().__init__(window.window())
        self.window = window
        self.dialog: TemplatePreviewDialog | None = None
        self.act_import = QAction(window.window())
        self.act_import.setObjectName("import_template")
        self.act_import.triggered.connect(lambda _checked=False: self.choose())
        window.addAction(self.act_import)
        window.add_action("file", self.act_import, before=before)
        window.assessment_opened.connect(self._update)
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._update()

    def retranslate(self, *_args: object) -> None:
        self.act_import.setText(t("Nhập phiếu Excel đã điền…", "Load a filled workbook (Excel)…"))
        self.act_import.setToolTip(t("Nhập các câu trả lời của phiếu trống đã điền vào bản nháp đang mở; "
                                     "xem trước các thay đổi rồi mới lưu.",
                                     "Load the answers of a filled blank workbook into the open draft; "
                                     "the changes are shown before anything is saved."))

    def _update(self) -> None:
        self.act_import.setEnabled(self.window.ops is not None)

    def choose(self) -> None:
        ops = self.window.ops
        if ops is None:
            return
        self.window.flush()
        start = str(Path.home())
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self.window.window(), t("Chọn phiếu Excel đã điền", "Choose the filled workbook"),
                                                start, t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"))
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Check ``path`` off the UI thread, then show what it would change."""
        from ..template_fill import read_template

        ops = self.window.ops
        if ops is None:
            return
        checks = ops.template_checks()  # from the database, here; the checks themselves need none
        self.window.statusBar().showMessage(t(f"Đang kiểm tra phiếu {path.name}…", f"Checking {path.name}…"))
        self.window.runner.submit("template", lambda _context: read_template(checks, path),
                                  finished=self._checked, failed=self._failed)

    def _checked(self, read: TemplateRead) -> None:
        self.window.statusBar().clearMessage()
        ops = self.window.ops
        if ops is None:
            return
        preview = ops.preview_template(read, lang())
        period = ops.info.period
        where = t(f"{ops.commune.name}, kỳ {period[5:]}/{period[:4]}", f"{ops.commune.name}, period {period[5:]}/{period[:4]}")
        self.dialog = TemplatePreviewDialog(preview, where, self.window.window())
        self.dialog.accepted.connect(lambda: self._save(preview))
        self.dialog.open()
        self.shown.emit(self.dialog)

    def _save(self, preview: TemplatePreview) -> None:
        from PySide6.QtWidgets import QMessageBox

        ops = self.window.ops
        if ops is None:
            return
        problems = ops.apply_template(preview)
        if problems:
            lines = "\n".join(f"• {ops.checklist.number(p.item)} {p.message if lang() == 'vi' else p.message_en}"
                              for p in problems[:10] if p.item)
            QMessageBox.warning(self.window.window(), t("Chưa lưu được", "Not saved"),
                                t(f"Không lưu gì: các câu trả lời sau trong phiếu không hợp lệ.\n{lines}",
                                  f"Nothing was saved: these answers of the workbook are not valid.\n{lines}"))
            return
        count = len(preview.raw)
        self.window.statusBar().showMessage(t(f"Đã lưu {count} câu trả lời từ phiếu {preview.read.path.name}.",
                                              f"Saved {count} answers from {preview.read.path.name}."), 8000)
        self.saved.emit(count)

    def _failed(self, code: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window.window(), t("Không nhập được phiếu", "Cannot load the workbook"),
                            f"{message} ({code})")
