"""The department's side of the window (Sở KHCN): import, register status, consolidation, trend,
petitions, reports — the GUI of :mod:`readiness.department` (issue 5).

:func:`install` is the commune window's hook: a menu «Sở KHCN» with «Không gian làm việc của Sở…»
opens :class:`.window.DepartmentWindow` over the same workspace (the commune wizard stays the first
screen).  Nothing heavy is imported until the menu is used.

Modules: :mod:`.window` (the window and its tabs), :mod:`.import_dialog`, :mod:`.dashboard`,
:mod:`.detail`, :mod:`.trend_view`, :mod:`.petitions_view`, :mod:`.reports`; :mod:`.models` (thin
Qt models over the core's objects), :mod:`.charts`, :mod:`.scope` and :mod:`.labels`.  The core is
reached through :mod:`readiness.gui.operations` (its Runner, WorkspaceOps and queries).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from ..i18n import language, t

if TYPE_CHECKING:
    from ..host import WindowHost
    from .window import DepartmentWindow


class DepartmentMenu(QObject):
    """Menu «Sở KHCN» of the commune window: open the department's workspace (or its import dialog)."""

    def __init__(self, window: WindowHost):
        super().__init__(window.window())
        self.window = window
        self.department: DepartmentWindow | None = None
        self.menu = window.menuBar().addMenu("")
        self.menu.setObjectName("menu_department")
        help_menu = getattr(window, "menus", {}).get("help")
        if help_menu is not None:  # before «Trợ giúp»
            window.menuBar().insertMenu(help_menu.menuAction(), self.menu)
        if hasattr(window, "menus"):
            window.menus["department"] = self.menu
        self.act_open = QAction(window.window())
        self.act_open.setObjectName("open_department")
        self.act_open.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.act_open.triggered.connect(lambda _checked=False: self.open())
        self.act_import = QAction(window.window())
        self.act_import.setObjectName("department_import_from_main")
        self.act_import.triggered.connect(lambda _checked=False: self.open_import())
        window.addAction(self.act_open)
        self.menu.addAction(self.act_open)
        self.menu.addAction(self.act_import)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.menu.setTitle(t("Sở &KHCN", "&Department"))
        self.act_open.setText(t("Không gian làm việc của Sở…", "Department workspace…"))
        self.act_import.setText(t("Nhập tệp của các xã…", "Import the communes' files…"))

    def open(self) -> DepartmentWindow | None:
        """Show the department's window over the commune window's workspace (one window, reused)."""
        from PySide6.QtWidgets import QMessageBox

        workspace = getattr(self.window, "workspace", None)
        if workspace is None:
            QMessageBox.information(self.window.window(), t("Chưa mở dữ liệu", "No data open"),
                                    t("Dữ liệu chưa mở xong; thử lại sau giây lát.", "The data is not open yet; try again."))
            return None
        if self.department is None or self.department.workspace is not workspace:
            from .window import DepartmentWindow

            if self.department is not None:
                self.department.close()
            self.department = DepartmentWindow(workspace, self.window.window())  # its own window, closed with this one
            self.department.resize(max(self.window.width(), 1200), max(self.window.height(), 700))
        self.department.show()
        self.department.raise_()
        self.department.activateWindow()
        return self.department

    def open_import(self) -> None:
        department = self.open()
        if department is not None:
            department.open_import()

