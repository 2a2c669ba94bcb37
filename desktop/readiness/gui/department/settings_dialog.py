"""«Thiết lập văn bản»: who issues the department's documents (``readiness settings``).

One form over the fields of :mod:`readiness.document_settings` (through
:class:`~readiness.gui.operations.WorkspaceOps`): the issuing body and its parent, names, codes,
place, signer, «Nơi nhận», the guidance letter.  A preview shows the letterhead as the documents
print it.  «Điền theo tỉnh» fills the names from the register for the chosen province;
«Mặc định» puts the defaults back in the form.  Nothing is stored until «Lưu», and then all the
changes together (one transaction), or none when one is refused (the field is named and focused).
A value equal to its default is stored as "the default", so a later default follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...text import sort_key
from ..i18n import lang, language, t
from .labels import escape

if TYPE_CHECKING:
    from ..operations import WorkspaceOps

GROUPS = (
    (("Cơ quan ban hành", "Issuing body"),
     ("home_province", "parent_body", "issuer", "department_name", "department_full_name", "short_name", "place",
      "province_phrase", "parent_short", "communes_phrase")),
    (("Số, ký hiệu văn bản", "Document numbers"), ("issuer_code", "unit_code")),
    (("Người ký", "Signer"), ("signer_title", "signer_name")),
    (("Nơi nhận và văn bản hướng dẫn", "Copies and guidance"), ("letter_recipients", "report_recipients",
                                                               "guidance_letter")),
)


class DocumentSettingsDialog(QDialog):
    saved = Signal(object)  # the DocumentSettings stored

    def __init__(self, ops: WorkspaceOps, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentSettingsDialog")
        self.ops = ops
        self.fields = {field.key: field for field in ops.document_fields()}
        self.loaded = ops.document_settings()
        self.editors: dict[str, Any] = {}
        self.labels: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        form_box = QVBoxLayout(inner)
        self.groups: list[tuple[QGroupBox, tuple[str, str]]] = []
        provinces: dict[str, str] = {}
        for commune in ops.all_communes():
            provinces.setdefault(commune.province_code, commune.province_name)
        self.provinces = sorted(provinces.items(), key=lambda pair: sort_key(pair[1]))
        for (title_vi, title_en), keys in GROUPS:
            box = QGroupBox(inner)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key in keys:
                label = QLabel(box)
                editor = self._editor(key, box)
                label.setBuddy(editor)
                self.labels[key] = label
                form.addRow(label, editor if key != "home_province" else self.province_row)
            form_box.addWidget(box)
            self.groups.append((box, (title_vi, title_en)))
        form_box.addStretch(1)
        scroll.setWidget(inner)
        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("settingsSave")
        self.defaults_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ResetRole)
        self.defaults_button.setObjectName("settingsDefaults")
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.defaults_button.clicked.connect(self.fill_defaults)
        self.close_button.clicked.connect(self.reject)
        left.addWidget(self.buttons)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        self.preview_title = QLabel(self)
        self.preview = QLabel(self)
        self.preview.setObjectName("settingsPreview")
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setStyleSheet("#settingsPreview { background: white; border: 1px solid #bbb; padding: 10px; "
                                   "font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 11px; }")
        right.addWidget(self.preview_title)
        right.addWidget(self.preview, 1)
        layout.addLayout(right, 2)
        self.fill(self.loaded)
        language().changed.connect(self.retranslate)
        self.retranslate()

    # -- building ---------------------------------------------------------------------------------
    def _editor(self, key: str, parent: QWidget) -> QWidget:
        field = self.fields[key]
        if key == "home_province":
            self.province_row = QWidget(parent)
            row = QHBoxLayout(self.province_row)
            row.setContentsMargins(0, 0, 0, 0)
            self.province = QComboBox(self.province_row)
            self.province.setObjectName("settings_home_province")
            for code, name in self.provinces:
                self.province.addItem(f"{name} ({code})", code)
            self.fill_province = QPushButton(self.province_row)
            self.fill_province.setObjectName("settingsFillProvince")
            self.fill_province.clicked.connect(self.fill_from_province)
            row.addWidget(self.province, 1)
            row.addWidget(self.fill_province)
            self.editors[key] = self.province
            self.province.currentIndexChanged.connect(lambda _i: self._update_preview())
            return self.province
        editor: QPlainTextEdit | QLineEdit
        if field.lines:
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            editor.textChanged.connect(self._update_preview)
        else:
            editor = QLineEdit(parent)
            editor.textChanged.connect(lambda _text: self._update_preview())
        editor.setObjectName(f"settings_{key}")
        self.editors[key] = editor
        return editor

    def retranslate(self, *_args: object) -> None:
        english = lang() == "en"
        self.setWindowTitle(t("Thiết lập văn bản của Sở", "Document settings of the department"))
        for box, (vi, en) in self.groups:
            box.setTitle(en if english else vi)
        for key, label in self.labels.items():
            field = self.fields[key]
            label.setText((field.label_en if english else field.label) + ":")
            editor = self.editors[key]
            if field.help and not english:
                label.setToolTip(field.help)
                editor.setToolTip(field.help)
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(t(f"ví dụ: {field.example}", f"e.g. {field.example}"))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlaceholderText(t("mỗi dòng một dòng của văn bản", "one line of the document per line"))
        self.fill_province.setText(t("Điền theo tỉnh này", "Fill in for this province"))
        self.fill_province.setToolTip(t("Điền tên cơ quan, địa danh, cách gọi các xã theo tỉnh đã chọn (chưa lưu).",
                                        "Fill the names, place and communes' wording for the chosen province (not saved)."))
        self.save_button.setText(t("Lưu", "Save"))
        self.defaults_button.setText(t("Mặc định", "Defaults"))
        self.defaults_button.setToolTip(t("Đưa các giá trị mặc định vào biểu mẫu (chưa lưu).",
                                          "Put the default values in the form (not saved)."))
        self.close_button.setText(t("Đóng", "Close"))
        self.preview_title.setText(t("Văn bản sẽ in như sau:", "Documents will print:"))
        self._update_preview()

    # -- values -----------------------------------------------------------------------------------
    def fill(self, settings: Any) -> None:
        for key, editor in self.editors.items():
            value = settings.text_of(key)
            if editor is self.province:
                index = editor.findData(value)
                editor.setCurrentIndex(max(index, 0))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value)
            else:
                editor.setText(value)
        self._update_preview()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, editor in self.editors.items():
            if editor is self.province:
                out[key] = editor.currentData() or ""
            elif isinstance(editor, QPlainTextEdit):
                out[key] = editor.toPlainText()
            else:
                out[key] = editor.text()
        return out

    def changes(self) -> dict[str, str | None]:
        """What differs from what was loaded; a value equal to its default is stored as the default (None)."""
        defaults = self.ops.default_document_settings()
        out: dict[str, str | None] = {}
        for key, value in self.values().items():
            if _same(value, self.loaded.text_of(key)):
                continue
            out[key] = None if _same(value, defaults.text_of(key)) else value
        return out

    def fill_defaults(self) -> None:
        self.fill(self.ops.default_document_settings())

    def fill_from_province(self) -> None:
        code = self.province.currentData()
        if not code:
            return
        derived = self.ops.document_settings_for_province(code)
        keep = {"signer_title", "issuer", "department_name", "short_name", "issuer_code", "unit_code",
                "letter_recipients"}
        current = self.values()
        for key, editor in self.editors.items():
            if key in keep or editor is self.province:
                continue
            value = derived.text_of(key)
            if key in ("signer_name", "guidance_letter") and code == self.loaded.home_province:
                value = current[key]  # the same province: keep who signs and the guidance letter
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value)
            else:
                editor.setText(value)
        self._update_preview()

    # -- preview ----------------------------------------------------------------------------------
    def _update_preview(self) -> None:
        if not hasattr(self, "preview"):
            return
        v = self.values()
        signer = [line for line in v.get("signer_title", "").split("\n") if line.strip()]
        code = v.get("issuer_code", "").strip()
        unit = v.get("unit_code", "").strip()
        letter_code = f"{code}-{unit}" if unit else code
        copies = "".join(f"<br>- {escape(line)}" for line in v.get("letter_recipients", "").split("\n") if line.strip())
        self.preview.setText(
            "<table width='100%'><tr>"
            f"<td align='center' width='45%'>{escape(v.get('parent_body', ''))}<br><b>{escape(v.get('issuer', ''))}</b>"
            f"<br><br>Số: &nbsp;&nbsp;&nbsp;&nbsp;/{escape(letter_code)}<br><small>V/v …</small></td>"
            "<td align='center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br><br>"
            f"<i>{escape(v.get('place', ''))}, ngày … tháng … năm …</i></td></tr></table>"
            f"<p>Kính gửi: {escape(v.get('communes_phrase', '') and 'UBND ' + v.get('communes_phrase', ''))}</p>"
            f"<p>… {escape(v.get('department_name', ''))} ({escape(v.get('short_name', ''))}) …</p>"
            "<table width='100%'><tr>"
            f"<td width='50%'><small><b><i>Nơi nhận:</i></b><br>- Như trên;{copies}</small></td>"
            f"<td align='center'><b>{'<br>'.join(escape(line) for line in signer)}</b><br><br><br>"
            f"<b>{escape(v.get('signer_name', ''))}</b></td></tr></table>"
            f"<p><small>{escape(t('Báo cáo: Số …/', 'Reports: No. …/'))}BC-{escape(code)}. "
            f"{escape(t('Xã gửi báo cáo đến:', 'Communes report to:'))} {escape(v.get('department_full_name', ''))}."
            f"</small></p>")

    # -- saving -----------------------------------------------------------------------------------
    def save(self) -> bool:
        changes = self.changes()
        if not changes:
            self.accept()
            return True
        try:
            stored = self.ops.save_document_settings(changes)
        except Exception as error:  # noqa: BLE001 - the core's refusal (or the database's): say it, keep the form
            from ..operations import describe_error, failure_text

            code, message = describe_error(error)
            QMessageBox.warning(self, t("Chưa lưu", "Not saved"), failure_text(code, message))
            for key, field in self.fields.items():
                if field.label in message and key in self.editors:
                    self.editors[key].setFocus()
                    break
            return False
        self.loaded = stored
        self.saved.emit(stored)
        self.accept()
        return True


def _same(left: str, right: str) -> bool:
    return [line.strip() for line in left.strip().split("\n") if line.strip()] == \
        [line.strip() for line in right.strip().split("\n") if line.strip()]
