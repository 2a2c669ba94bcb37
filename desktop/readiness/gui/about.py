"""Giới thiệu / About: what this program is, which checklist it uses, where the data is kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from .i18n import t
from .icons import icon

if TYPE_CHECKING:
    from ..checklist.model import Checklist

APP_TITLE_VI = "Sẵn sàng Một cửa"

LICENCES = ("Phần mềm nguồn mở theo giấy phép MIT. Dùng Qt for Python (PySide6, LGPL-3.0), SQLAlchemy và Alembic (MIT), "
            "pydantic (MIT), PyYAML (MIT), platformdirs (MIT). Danh mục đơn vị hành chính: dữ liệu công khai của Nhà nước.",
            "Open-source software under the MIT licence. Uses Qt for Python (PySide6, LGPL-3.0), SQLAlchemy and Alembic (MIT), "
            "pydantic (MIT), PyYAML (MIT), platformdirs (MIT). Administrative unit register: public government data.")


class AboutDialog(QDialog):
    def __init__(self, *, checklist: Checklist | None, database_url: str, data_folder: str, parent: QWidget | None = None):
        from .. import __version__

        super().__init__(parent)
        self.setWindowTitle(t("Giới thiệu", "About"))
        self.setWindowIcon(icon("app"))
        layout = QVBoxLayout(self)
        header = QLabel(self)
        header.setPixmap(icon("app").pixmap(64, 64))
        title = QLabel(f"<h2>{APP_TITLE_VI}</h2>" + t(
            "Tự đánh giá mức sẵn sàng công nghệ thông tin của Bộ phận Một cửa cấp xã.",
            "IT readiness self-assessment for commune one-stop shops."), self)
        title.setWordWrap(True)
        row = QFormLayout()
        row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, str] = {}

        def add(key: str, label: str, value: str) -> None:
            widget = QLabel(value, self)
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addRow(label, widget)
            self.fields[key] = value

        add("version", t("Phiên bản", "Version"), __version__)
        if checklist is not None:
            add("checklist", t("Bảng kiểm", "Checklist"),
                f"{checklist.title.get('vi')} — {checklist.id}, " + t("phiên bản", "version") + f" {checklist.version}")
            add("hash", t("Mã kiểm tra bảng kiểm", "Checklist hash"), checklist.content_hash[:16])
        add("folder", t("Thư mục dữ liệu", "Data folder"), data_folder)
        add("database", t("Cơ sở dữ liệu", "Database"), database_url)
        licences = QLabel(t(*LICENCES), self)
        licences.setWordWrap(True)
        layout.addWidget(header)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(t("Đóng", "Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 105)
