"""Tệp → «Sao lưu dữ liệu…» and «Khôi phục từ bản sao lưu…»: the same operations as
``readiness backup`` / ``readiness restore`` (:meth:`Store.backup`, :meth:`Store.restore`).

A backup is one SQLite file, checked after it is written.  A restore checks the chosen file before
replacing anything and keeps a copy of the current data first; the window then reopens what it had.
Both take well under a second for a commune's database, so they run on the UI thread.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from .i18n import language, t

if TYPE_CHECKING:
    from .host import WindowHost

FILTER = "Sao lưu Sẵn sàng Một cửa (*.sqlite3);;Mọi tệp (*)"


class BackupActions(QObject):
    def __init__(self, window: WindowHost):
        super().__init__(window.window())
        self.window = window
        self.act_backup = QAction(window.window())
        self.act_backup.setObjectName("backup")
        self.act_backup.triggered.connect(lambda _checked=False: self.backup())
        self.act_restore = QAction(window.window())
        self.act_restore.setObjectName("restore")
        self.act_restore.triggered.connect(lambda _checked=False: self.restore())
        window.add_action("file", self.act_backup)
        window.add_action("file", self.act_restore)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.act_backup.setText(t("Sao lưu dữ liệu…", "Back up the data…"))
        self.act_restore.setText(t("Khôi phục từ bản sao lưu…", "Restore from a backup…"))

    def backup(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # here: the window's start shows no dialog

        from ..paths import backups_dir
        from .operations import StoreError, error_text

        data = self.window.workspace_ops
        if data is None:
            return None
        suggested = backups_dir() / f"sao-luu_{dt.datetime.now():%Y-%m-%d_%H%M}.sqlite3"
        chosen, _ = QFileDialog.getSaveFileName(self.window.window(), t("Sao lưu dữ liệu", "Back up the data"), str(suggested), FILTER)
        if not chosen:
            return None
        self.window.flush()  # what is still being typed goes into the backup too
        try:
            path = data.backup(Path(chosen))
        except (StoreError, OSError) as error:
            QMessageBox.critical(self.window.window(), t("Không sao lưu được", "Backup failed"), error_text(error))
            return None
        QMessageBox.information(self.window.window(), t("Đã sao lưu", "Backed up"),
                                t(f"Đã sao lưu toàn bộ dữ liệu vào:\n{path}\nTệp đã được kiểm tra.",
                                  f"All data was backed up to:\n{path}\nThe file was checked."))
        return path

    def restore(self) -> bool:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from ..paths import backups_dir
        from .operations import StoreError, error_text

        data = self.window.workspace_ops
        if data is None:
            return False
        chosen, _ = QFileDialog.getOpenFileName(self.window.window(), t("Khôi phục từ bản sao lưu", "Restore from a backup"),
                                                str(backups_dir()), FILTER)
        if not chosen:
            return False
        from .dialogs import ask

        if not ask(self.window, t("Khôi phục dữ liệu", "Restore the data"),  # type: ignore[arg-type]  # a QMainWindow
                   t(f"Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu\n{chosen}?\n\n"
                     "Dữ liệu hiện tại được giữ lại thành một bản sao lưu trước khi thay.",
                     f"Replace all current data with the backup\n{chosen}?\n\nThe current data is kept as a backup first."),
                   accept=t("Khôi phục", "Restore"), accept_is_destructive=True):
            return False
        self.window.flush()
        try:
            safety = data.restore(Path(chosen))
        except StoreError as error:
            QMessageBox.critical(self.window.window(), t("Không khôi phục được", "Restore failed"), error_text(error))
            return False
        self.window.set_workspace(data.workspace, restore_language=False)  # reopen what the restored data remembers
        QMessageBox.information(self.window.window(), t("Đã khôi phục", "Restored"),
                                t(f"Đã khôi phục dữ liệu. Dữ liệu trước khi khôi phục được giữ tại:\n{safety}",
                                  f"The data was restored. The data from before is kept in:\n{safety}"))
        return True

