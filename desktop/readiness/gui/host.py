"""What the window's features (File-menu actions, the department menu) need of the main window.

They are given the window as a :class:`WindowHost` instead of importing ``main_window`` (which
composes them), so the GUI's modules form no import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

    from ..service import Workspace
    from .operations import AssessmentOps, Runner, WorkspaceOps


class WindowHost(Protocol):
    """The commune window as its features see it (a QMainWindow)."""

    ops: AssessmentOps | None  # the open assessment
    workspace: Workspace | None
    workspace_ops: WorkspaceOps | None
    runner: Runner  # work off the UI thread
    menus: dict[str, Any]
    assessment_opened: Any  # Signal(): an assessment was opened
    summary_made: Any  # Signal(): the summary page was built (the first time it was asked for)

    def add_action(self, menu_name: str, action: QAction, *, before: QAction | None = None) -> QAction: ...

    def addAction(self, action: QAction) -> None: ...  # noqa: N802 - Qt's name

    def flush(self) -> None: ...

    def set_workspace(self, workspace: Workspace, *, auto_open: bool = True, restore_language: bool = True) -> None: ...

    def menuBar(self) -> QMenuBar: ...  # noqa: N802

    def statusBar(self) -> QStatusBar: ...  # noqa: N802

    def window(self) -> QWidget: ...  # itself: the parent of the dialogs

    def width(self) -> int: ...

    def height(self) -> int: ...
