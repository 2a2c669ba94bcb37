"""«Ký số»: sign the exported files (Excel and PDF) with the commune's certificate, from the window.

Menu Tệp → «Ký số tệp gửi Sở…» and a «Ký số…» button on the summary page open :class:`SigningDialog`:
the two files (the last export is filled in), where the key is (a .p12/.pfx file, or a USB token's
PKCS#11 library) and the password or PIN, in a field that never shows what is typed.  Signing runs
on the window's Runner, off the GUI thread (a token may take seconds); the secret is dropped as soon as it has been used.
The work is :func:`readiness.signing.sign_submission` (the same as ``readiness sign``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from .i18n import language, t

# The dialog's own widget classes and the file dialog are imported where they are used: PySide6 builds a class,
# with its enums, when it is first named, and the window's start shows none of them.

if TYPE_CHECKING:
    from .export_actions import ExportActions
    from .host import WindowHost
    from .operations import Job

SETTING_KEY_FILE = "gui.signing.pkcs12"
SETTING_LIBRARY = "gui.signing.pkcs11"


def _path_row(parent: QWidget, edit: QLineEdit, browse: Callable[[], None]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton(t("Chọn…", "Browse…"), parent)
    button.clicked.connect(browse)
    row.addWidget(button)
    return row


class SigningDialog(QDialog):
    """Which files, which key, the password or PIN; «Ký số» signs, in a worker thread."""

    signed = Signal(object)  # readiness.signing.sign.SignResult
    failed = Signal(str)  # the code

    def __init__(self, window: WindowHost, commune_code: str, period: str, *, xlsx: Path | None = None,
                 pdf: Path | None = None):
        from PySide6.QtWidgets import QButtonGroup, QDialogButtonBox, QFormLayout, QRadioButton

        super().__init__(window.window())
        self.window_ = window
        self.commune_code = commune_code
        self.period = period
        self._job: Job | None = None
        self.setObjectName("signingDialog")
        self.setWindowTitle(t("Ký số tệp gửi Sở", "Sign the files for the department"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        layout = QVBoxLayout(self)
        intro = QLabel(t("Ký số tệp Excel và báo cáo PDF đã xuất bằng chứng thư số của đơn vị (Ban Cơ yếu Chính phủ "
                         "cấp). Sau khi ký, sửa tệp sẽ làm chữ ký mất hiệu lực.",
                         "Sign the exported workbook and PDF report with the commune's organisation certificate. "
                         "Editing a file after signing invalidates the signature."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.xlsx_edit = QLineEdit(str(xlsx) if xlsx else "", self)
        self.xlsx_edit.setObjectName("xlsxPath")
        self.xlsx_edit.textChanged.connect(self._xlsx_changed)
        form.addRow(t("Tệp Excel:", "Workbook:"), _path_row(self, self.xlsx_edit, self._browse_xlsx))
        self.pdf_edit = QLineEdit(str(pdf) if pdf else "", self)
        self.pdf_edit.setObjectName("pdfPath")
        form.addRow(t("Báo cáo PDF:", "PDF report:"), _path_row(self, self.pdf_edit, self._browse_pdf))

        self.use_file = QRadioButton(t("Tệp chứng thư số (.p12, .pfx)", "Certificate file (.p12, .pfx)"), self)
        self.use_file.setObjectName("useFile")
        self.use_token = QRadioButton(t("Thiết bị ký số (USB token)", "USB token"), self)
        self.use_token.setObjectName("useToken")
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)
        kinds = QHBoxLayout()
        kinds.addWidget(self.use_file)
        kinds.addWidget(self.use_token)
        kinds.addStretch(1)
        form.addRow(t("Khoá ký:", "Key:"), kinds)
        data = window.workspace_ops
        self.key_edit = QLineEdit((data.setting(SETTING_KEY_FILE) if data else None) or "", self)
        self.key_edit.setObjectName("keyFile")
        self.key_label = QLabel(t("Tệp chứng thư:", "Certificate file:"), self)
        form.addRow(self.key_label, _path_row(self, self.key_edit, self._browse_key))
        self.library_edit = QLineEdit((data.setting(SETTING_LIBRARY) if data else None) or "", self)
        self.library_edit.setObjectName("pkcs11Library")
        self.library_label = QLabel(t("Thư viện PKCS#11:", "PKCS#11 library:"), self)
        self.library_edit.setPlaceholderText(t("ví dụ C:\\Windows\\System32\\…\\pkcs11.dll (phần mềm của token)",
                                               "e.g. the token software's pkcs11.dll"))
        form.addRow(self.library_label, _path_row(self, self.library_edit, self._browse_library))
        self.secret_label = QLabel(self)
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setObjectName("secret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)  # never echo a password or PIN
        self.secret_edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
                                             | Qt.InputMethodHint.ImhSensitiveData)
        form.addRow(self.secret_label, self.secret_edit)
        layout.addLayout(form)
        self.status = QLabel(self)
        self.status.setObjectName("signingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton(t("Ký số", "Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("signButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.use_file.toggled.connect(self._kind_changed)
        (self.use_token if self.library_edit.text() and not self.key_edit.text() else self.use_file).setChecked(True)
        self._kind_changed()

    # -- fields ---------------------------------------------------------------------------------------
    def _kind_changed(self, *_args: object) -> None:
        file_kind = self.use_file.isChecked()
        for widget in (self.key_label, self.key_edit):
            widget.setEnabled(file_kind)
        for widget in (self.library_label, self.library_edit):
            widget.setEnabled(not file_kind)
        self.secret_label.setText(t("Mật khẩu tệp:", "File password:") if file_kind else t("Mã PIN:", "PIN:"))

    def _xlsx_changed(self, text: str) -> None:
        if text.lower().endswith(".xlsx") and not self.pdf_edit.isModified():
            candidate = Path(text).with_suffix(".pdf")
            if candidate.is_file() or not self.pdf_edit.text():
                self.pdf_edit.setText(str(candidate))

    def _browse(self, edit: QLineEdit, title: str, pattern: str) -> None:
        start = edit.text() or str(Path.home())
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self, title, start, pattern)
        if chosen:
            edit.setText(chosen)

    def _browse_xlsx(self) -> None:
        self._browse(self.xlsx_edit, t("Chọn tệp Excel đã xuất", "Choose the exported workbook"),
                     t("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"))

    def _browse_pdf(self) -> None:
        self._browse(self.pdf_edit, t("Chọn báo cáo PDF đã xuất", "Choose the exported PDF report"),
                     t("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"))

    def _browse_key(self) -> None:
        self._browse(self.key_edit, t("Chọn tệp chứng thư số", "Choose the certificate file"),
                     t("Chứng thư số (*.p12 *.pfx)", "Certificate (*.p12 *.pfx)"))

    def _browse_library(self) -> None:
        self._browse(self.library_edit, t("Chọn thư viện PKCS#11 của thiết bị ký số", "Choose the token's PKCS#11 library"),
                     t("Thư viện (*.dll *.so *.dylib)", "Library (*.dll *.so *.dylib)"))

    # -- signing ---------------------------------------------------------------------------------------
    def key_source(self) -> Any:
        from ..signing.keys import Pkcs11Key, Pkcs12Key

        secret = self.secret_edit.text()
        if self.use_file.isChecked():
            return Pkcs12Key(Path(self.key_edit.text().strip()), secret or None)
        return Pkcs11Key(self.library_edit.text().strip(), secret or None)

    def _problem(self) -> str | None:
        if not self.xlsx_edit.text().strip():
            return t("Chọn tệp Excel đã xuất.", "Choose the exported workbook.")
        if not self.pdf_edit.text().strip():
            return t("Chọn báo cáo PDF đã xuất.", "Choose the exported PDF report.")
        if self.use_file.isChecked() and not self.key_edit.text().strip():
            return t("Chọn tệp chứng thư số (.p12/.pfx).", "Choose the certificate file (.p12/.pfx).")
        if self.use_token.isChecked() and not self.library_edit.text().strip():
            return t("Chọn thư viện PKCS#11 của thiết bị ký số.", "Choose the token's PKCS#11 library.")
        if self.use_token.isChecked() and not self.secret_edit.text():
            return t("Nhập mã PIN của thiết bị ký số.", "Enter the token's PIN.")
        return None

    def sign(self) -> None:
        if self._job is not None:
            return
        problem = self._problem()
        if problem:
            self.status.setText(problem)
            return
        from ..signing.sign import sign_submission

        key = self.key_source()
        self.secret_edit.clear()  # the secret lives only in ``key`` until the job ends
        xlsx, pdf = Path(self.xlsx_edit.text().strip()), Path(self.pdf_edit.text().strip())
        commune, period = self.commune_code, self.period
        library = self.window_.workspace_ops.library if self.window_.workspace_ops is not None else None

        def work(_context: Any) -> Any:
            try:
                return sign_submission(xlsx=xlsx, pdf=pdf, key=key, commune_code=commune, period=period,
                                       library=library)
            finally:  # drop the secret as soon as it has been used
                if hasattr(key, "password"):
                    key.password = None
                if hasattr(key, "pin"):
                    key.pin = None

        self._remember()
        self.status.setText(t("Đang ký số…", "Signing…"))
        self.sign_button.setEnabled(False)
        self._job = self.window_.runner.submit("sign", work, finished=self._finished, failed=self._failed)

    def _remember(self) -> None:
        data = self.window_.workspace_ops
        if data is None:
            return
        if self.use_file.isChecked():
            data.set_setting(SETTING_KEY_FILE, self.key_edit.text().strip())
        else:
            data.set_setting(SETTING_LIBRARY, self.library_edit.text().strip())

    def _finished(self, result: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ..signing.certs import vn_time

        self._job = None
        self.sign_button.setEnabled(True)
        text = t(f"Đã ký số.\n\nKý bởi: {result.signer.display_name}\nCơ quan: {result.signer.display_org}\n"
                 f"Thời gian ký: {vn_time(result.signed_at)}\n\n• {result.xlsx}\n• {result.pdf}",
                 f"Signed.\n\nSigned by: {result.signer.display_name}\nOrganisation: {result.signer.display_org}\n"
                 f"Time: {vn_time(result.signed_at)}\n\n• {result.xlsx}\n• {result.pdf}")
        self.status.setText(t("Đã ký số.", "Signed."))
        self._record_signed(result)
        QMessageBox.information(self, t("Đã ký số", "Signed"), text)
        self.signed.emit(result)
        self.accept()

    def _record_signed(self, result: Any) -> None:
        """The signed files' bytes changed: remember them among what was sent (a receipt is checked against them)."""
        data = self.window_.workspace_ops
        if data is None or not getattr(result, "assessment_id", None) or result.revision is None:
            return
        files = [("xlsx", result.xlsx)] + ([("pdf", result.pdf)] if result.pdf else [])
        try:
            data.record_exports(assessment_id=result.assessment_id, commune_code=self.commune_code, period=self.period,
                                revision=result.revision, status=result.status or "finalized", files=files,
                                action="signed", data_sha256=result.data_sha256)
        except Exception:  # noqa: BLE001 - the files are signed; only the record of them is missing
            import logging

            logging.getLogger(__name__).exception("signed files not recorded")

    def _failed(self, code: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._job = None
        self.sign_button.setEnabled(True)
        self.status.setText(f"{code}: {message}")
        from .operations import failure_text

        QMessageBox.warning(self, t("Chưa ký được", "Not signed"),
                            failure_text(code, message, after=t("Các tệp vẫn như trước khi ký.",
                                                                "The files are as they were.")))
        self.failed.emit(code)

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Wait for a running signature (tests)."""
        return self.window_.runner.wait(timeout_ms)


class SigningActions(QObject):
    """The «Ký số» action in the File menu and on the summary page."""

    def __init__(self, window: WindowHost, exports: ExportActions | None = None):
        super().__init__(window.window())
        self.window = window
        self.dialog: SigningDialog | None = None
        self.last_export: tuple[Path, Path] | None = None
        self.act_sign = QAction(window.window())
        self.act_sign.setObjectName("sign_submission")
        self.act_sign.triggered.connect(lambda _checked=False: self.open_dialog())
        window.addAction(self.act_sign)
        window.add_action("file", self.act_sign)
        if exports is not None:  # the last export is what the dialog offers to sign
            exports.done.connect(self._exported)
        window.assessment_opened.connect(self._update)
        window.summary_made.connect(self._summary_button)
        language().changed.connect(self.retranslate)
        self.summary_button: QPushButton | None = None
        self.retranslate()
        self._update()

    def retranslate(self, *_args: object) -> None:
        self.act_sign.setText(t("Ký số tệp gửi Sở…", "Sign the files for the department…"))
        if self.summary_button is not None:
            self.summary_button.setText(t("Ký số…", "Sign…"))

    def _update(self) -> None:
        self.act_sign.setEnabled(self.window.ops is not None)

    def _summary_button(self) -> None:
        """A «Ký số…» button beside «Hoàn thành» on the summary page (added when the page is built)."""
        summary = getattr(self.window, "summary", None)
        box = getattr(summary, "status_box", None)
        if box is None or self.summary_button is not None or box.layout() is None:
            return
        self.summary_button = QPushButton(box)
        self.summary_button.setObjectName("summarySignButton")
        self.summary_button.clicked.connect(lambda _checked=False: self.open_dialog())
        layout = box.layout()
        row = next((layout.itemAt(i).layout() for i in range(layout.count())
                    if isinstance(layout.itemAt(i).layout(), QHBoxLayout)), None)
        if row is not None:  # in the row of «Hoàn thành» / «Lịch sử», before its stretch
            row.insertWidget(max(0, row.count() - 1), self.summary_button)
        else:
            layout.addWidget(self.summary_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def _exported(self, paths: list) -> None:
        xlsx = next((Path(p) for p in paths if str(p).lower().endswith(".xlsx")), None)
        pdf = next((Path(p) for p in paths if str(p).lower().endswith(".pdf")), None)
        if xlsx is not None and pdf is not None:
            self.last_export = (xlsx, pdf)

    def open_dialog(self) -> SigningDialog | None:
        ops = self.window.ops
        if ops is None:
            return None
        self.window.flush()
        xlsx, pdf = self.last_export or (None, None)
        self.dialog = SigningDialog(self.window, ops.commune.code, ops.info.period, xlsx=xlsx, pdf=pdf)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()
        return self.dialog

    def _closed(self, *_args: object) -> None:
        self.dialog = None

