"""The department's workspace (Sở KHCN): a window of its own beside the commune wizard.

Tabs: «Tổng quan» (the register and the consolidated table of a period, charts, a commune's
detail), «Diễn biến» (across periods), «Kiến nghị» (petitions and their handling), «Nhu cầu đầu tư»
(what the communes lack, with the estimated cost and the unit prices).  Menu Tệp has
«Nhập tệp của các xã…» (the import dialog) and «Xuất báo cáo tổng hợp…» (Excel, PDF, Word); the
reporting cycle: «Đặt hạn nộp của kỳ…», «Công văn đôn đốc…», «Giấy xác nhận đã nhận…»
(:mod:`.cycle_dialogs`); the official mailbox: «Nhận từ hộp thư công vụ…», its settings and the
communes' contacts (:mod:`.mailbox_dialog`).
Everything ``readiness import / status / dashboard / trend / report / petitions`` does is here;
the database work runs on one worker thread (a :class:`~readiness.gui.operations.Runner`).

Open it from the commune window (menu «Sở KHCN») or on its own:
``python -m readiness.gui.department [--db URL] [--lang en]``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolBar, QWidget

from ..i18n import lang, language, set_lang, t
from ..operations import Runner, WorkspaceOps
from ..operations.department import available_periods
from .dashboard import DashboardPage
from .needs_view import NeedsPage
from .petitions_view import PetitionsPage
from .trend_view import TrendPage

if TYPE_CHECKING:
    from ...service import Workspace
    from ..operations.department import DetailData
    from .detail import CommuneDetailDialog
    from .cycle_dialogs import DeadlineDialog, ReceiptDialog, RemindDialog
    from .import_dialog import ImportDialog
    from .letters import FeedbackDialog, ReplyDialog
    from ..operations.mailbox import SettingsView
    from .mailbox_dialog import ContactsDialog, MailboxDialog, MailSettingsDialog
    from .reports import ReportDialog
    from .settings_dialog import DocumentSettingsDialog

SETTING_LANG = "gui.lang"
SETTING_PERIOD = "gui.department.period"


class DepartmentWindow(QMainWindow):
    """The department's window over a workspace (shared with the commune window, or its own)."""

    closed = Signal()
    mail_settings_opened = Signal(object)  # the MailSettingsDialog, once its settings are read

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *, owns_workspace: bool = False,
                 today: dt.date | None = None, load: bool = True):
        super().__init__(parent)
        self.setObjectName("departmentWindow")
        from ..qt_translations import follow_language

        follow_language()  # Qt's own buttons and menus in the interface language
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.workspace = workspace
        self.owns_workspace = owns_workspace
        self.workspace_ops = WorkspaceOps(workspace)
        # One thread: the database is used by one background thread at a time; its jobs build
        # millions of objects (see operations.runner).
        self.worker = Runner(self, allocation_heavy=True)
        self.names = {c.code: c.name for c in self.workspace_ops.all_communes()}
        self.import_dialog: ImportDialog | None = None
        self.report_dialog: ReportDialog | None = None
        self.detail_dialog: CommuneDetailDialog | None = None
        self.reply_dialog: ReplyDialog | None = None
        self.feedback_dialog: FeedbackDialog | None = None
        self.settings_dialog: DocumentSettingsDialog | None = None
        self.groups_dialog: Any = None
        self.deadline_dialog: DeadlineDialog | None = None
        self.remind_dialog: RemindDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.mailbox_dialog: MailboxDialog | None = None
        self.mail_settings_dialog: MailSettingsDialog | None = None
        self.contacts_dialog: ContactsDialog | None = None
        self.periods: list[str] = []

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("departmentTabs")
        self.tabs.setDocumentMode(True)
        self.dashboard = DashboardPage(workspace, self.worker, self.tabs)
        self.trend = TrendPage(workspace, self.worker, self.tabs)
        self.petitions = PetitionsPage(workspace, self.worker, self.tabs)
        self.needs = NeedsPage(workspace, self.worker, self.tabs)
        # the date drafts are scored as of (None: today)
        self.dashboard.today = self.trend.today = self.needs.today = today
        for page in (self.dashboard, self.trend, self.petitions, self.needs):
            self.tabs.addTab(page, "")
        self.dashboard.scope.set_register(self.workspace_ops)
        self.trend.set_store()
        self.petitions.set_store()
        self.needs.set_store()
        self.setCentralWidget(self.tabs)
        self.dashboard.detail_requested.connect(self.open_detail)
        self.needs.detail_requested.connect(self.open_detail)
        self.dashboard.deadline_requested.connect(self.open_deadline)
        self.dashboard.remind_requested.connect(self.open_remind)
        self.dashboard.receipts_requested.connect(self.open_receipts)
        self.petitions.reply_requested.connect(self.open_reply)
        self.tabs.currentChanged.connect(self._tab_changed)

        self._build_actions()
        self.busy_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.worker.busy_changed.connect(self._busy_changed)
        language().changed.connect(self.retranslate)
        self.retranslate()
        if load:
            self.start()

    # == construction ======================================================================================
    def _action(self, name: str, slot, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_import = self._action("department_import", self.open_import, "Ctrl+I")
        self.act_report = self._action("department_report", self.open_report, "Ctrl+Shift+R")
        self.act_mailbox = self._action("department_mailbox", self.open_mailbox, "Ctrl+M")
        self.act_mail_settings = self._action("department_mail_settings", self.open_mail_settings)
        self.act_contacts = self._action("department_contacts", self.open_contacts)
        self.act_reply = self._action("department_reply", self.open_reply)
        self.act_feedback = self._action("department_feedback", self.open_feedback)
        self.act_deadline = self._action("department_deadline", self.open_deadline)
        self.act_remind = self._action("department_remind", self.open_remind)
        self.act_receipts = self._action("department_receipts", self.open_receipts)
        self.act_settings = self._action("department_settings", self.open_settings)
        self.act_groups = self._action("department_groups", self.open_groups)
        self.act_refresh = self._action("department_refresh", self.refresh, QKeySequence.StandardKey.Refresh)
        self.act_close = self._action("department_close", self.close, "Ctrl+W")
        self.act_tabs = [self._action(f"department_tab_{i}", lambda i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}")
                         for i in range(4)]
        self.lang_group = QActionGroup(self)
        self.act_vi = QAction("Tiếng Việt", self, checkable=True)
        self.act_en = QAction("English", self, checkable=True)
        for action, code in ((self.act_vi, "vi"), (self.act_en, "en")):
            action.setObjectName(f"department_lang_{code}")
            self.lang_group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.act_import)
        self.file_menu.addAction(self.act_mailbox)
        self.file_menu.addAction(self.act_report)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_deadline)
        self.file_menu.addAction(self.act_remind)
        self.file_menu.addAction(self.act_receipts)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_reply)
        self.file_menu.addAction(self.act_feedback)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_settings)
        self.file_menu.addAction(self.act_groups)
        self.file_menu.addAction(self.act_mail_settings)
        self.file_menu.addAction(self.act_contacts)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_close)
        self.view_menu = bar.addMenu("")
        for action in self.act_tabs:
            self.view_menu.addAction(action)
        self.view_menu.addAction(self.act_refresh)
        self.view_menu.addSeparator()
        self.lang_menu = self.view_menu.addMenu("Ngôn ngữ / Language")
        self.lang_menu.addAction(self.act_vi)
        self.lang_menu.addAction(self.act_en)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("departmentToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.act_import)
        self.toolbar.addAction(self.act_mailbox)
        self.toolbar.addAction(self.act_report)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_refresh)
        self.addToolBar(self.toolbar)

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Không gian làm việc của Sở KHCN — Sẵn sàng Một cửa",
                              "Department workspace (Sở KHCN) — Sẵn sàng Một cửa"))
        self.file_menu.setTitle(t("&Tệp", "&File"))
        self.view_menu.setTitle(t("&Xem", "&View"))
        self.act_import.setText(t("Nhập tệp của các xã…", "Import the communes' files…"))
        self.act_report.setText(t("Xuất báo cáo tổng hợp…", "Export the consolidated report…"))
        self.act_mailbox.setText(t("Nhận từ hộp thư công vụ…", "Fetch from the official mailbox…"))
        self.act_mail_settings.setText(t("Thiết lập hộp thư công vụ…", "Official mailbox settings…"))
        self.act_contacts.setText(t("Liên hệ các xã…", "Commune contacts…"))
        self.act_reply.setText(t("Công văn trả lời kiến nghị…", "Reply letter to the petitions…"))
        self.act_feedback.setText(t("Công văn thông báo kết quả cho xã…", "Feedback letters to the communes…"))
        self.act_deadline.setText(t("Đặt hạn nộp của kỳ…", "Set the period's deadline…"))
        self.act_remind.setText(t("Công văn đôn đốc các xã chưa gửi…", "Reminder letter to the communes…"))
        self.act_receipts.setText(t("Giấy xác nhận đã nhận kết quả…", "Receipts for the submissions…"))
        self.act_settings.setText(t("Thiết lập văn bản (cơ quan ban hành, người ký)…",
                                    "Document settings (issuing body, signer)…"))
        self.act_groups.setText(t("Nhóm xã phụ trách, theo dõi…", "Groups of communes followed…"))
        self.act_refresh.setText(t("Làm mới", "Refresh"))
        self.act_close.setText(t("Đóng", "Close"))
        titles = (t("Tổng quan", "Overview"), t("Diễn biến", "Trend"), t("Kiến nghị", "Petitions"),
                  t("Nhu cầu đầu tư", "Investment needs"))
        for index, (action, title) in enumerate(zip(self.act_tabs, titles)):
            action.setText(title)
            self.tabs.setTabText(index, title)
        self.act_vi.setChecked(lang() == "vi")
        self.act_en.setChecked(lang() == "en")
        self._busy_changed(self.worker.busy)

    # == loading ===========================================================================================
    def start(self) -> None:
        """Find the periods with data, then load the newest (or the one looked at last)."""
        workspace = self.workspace
        self.worker.submit("periods", lambda _context: available_periods(workspace), finished=self._periods_found,
                           failed=self._failed)

    def _periods_found(self, periods: list[str]) -> None:
        self.periods = periods
        remembered = self.workspace_ops.setting(SETTING_PERIOD)
        period = remembered if remembered in periods else (periods[0] if periods else None)
        if period is None:
            today = dt.date.today()
            period = f"{today.year:04d}-{today.month:02d}"
        self.dashboard.set_period(period)
        self.needs.set_period(period)
        self.petitions.set_periods(periods, period if period in periods else None)
        if periods:
            self.trend.set_range(periods[-1] if len(periods) > 1 else _months_before(period, 11), period)
        else:
            self.trend.set_range(_months_before(period, 11), period)
        self.dashboard.reload()
        self.petitions.reload()

    def refresh(self) -> None:
        self.dashboard.reload()
        self.petitions.reload()
        if self.trend.trend is not None or self.trend.loading:
            self.trend.reload()
        if self.needs.needs is not None or self.needs.loading:
            self.needs.reload()

    def _failed(self, code: str, message: str) -> None:
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không đọc được dữ liệu", "Cannot read the data"), failure_text(code, message))

    def _busy_changed(self, busy: bool) -> None:
        self.busy_label.setText(t("Đang xử lý…", "Working…") if busy else "")

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.trend and self.trend.trend is None and not self.trend.loading:
            self.trend.reload()
        if self.tabs.widget(index) is self.needs and self.needs.needs is None and not self.needs.loading:
            self.needs.reload()

    # == dialogs ===========================================================================================
    def open_import(self) -> ImportDialog:
        from .import_dialog import ImportDialog

        if self.import_dialog is None:
            self.import_dialog = ImportDialog(self.workspace, self.worker, self.names, self)
            self.import_dialog.imported.connect(self._imported)
            self.import_dialog.held_decided.connect(self._imported)
            self.import_dialog.resize(min(self.width(), 1300), min(self.height(), 700))
        self.import_dialog.show()
        self.import_dialog.raise_()
        self.import_dialog.activateWindow()
        return self.import_dialog

    def _imported(self, _report: object) -> None:
        self.start()  # new periods may have come in; the dashboard and petitions are read again

    def open_mailbox(self) -> MailboxDialog:
        from .mailbox_dialog import MailboxDialog

        if self.mailbox_dialog is None:
            self.mailbox_dialog = MailboxDialog(self.workspace, self.worker, self.names, self)
            self.mailbox_dialog.fetched.connect(self._imported)
            self.mailbox_dialog.settings_requested.connect(self.open_mail_settings)
            self.mailbox_dialog.contacts_requested.connect(self.open_contacts)
            self.mailbox_dialog.resize(min(self.width(), 1300), min(self.height(), 700))
        self.mailbox_dialog.show()
        self.mailbox_dialog.raise_()
        self.mailbox_dialog.activateWindow()
        return self.mailbox_dialog

    def open_mail_settings(self) -> None:
        """The settings are read on the worker, then the dialog opens (``mail_settings_dialog``)."""
        from ..operations.mailbox import mail_settings

        workspace = self.workspace
        self.worker.submit("mail-settings", lambda _context: mail_settings(workspace),
                           finished=self._show_mail_settings, failed=self._failed)

    def _show_mail_settings(self, view: SettingsView) -> None:
        from .mailbox_dialog import MailSettingsDialog

        if self.mail_settings_dialog is not None:
            self.mail_settings_dialog.close()
            self.mail_settings_dialog.deleteLater()
        self.mail_settings_dialog = MailSettingsDialog(self.workspace, self.worker, view, self)
        self.mail_settings_dialog.saved.connect(self._mail_settings_saved)
        self.mail_settings_dialog.show()
        self.mail_settings_dialog.raise_()
        self.mail_settings_opened.emit(self.mail_settings_dialog)

    def _mail_settings_saved(self, _view: object) -> None:
        self.statusBar().showMessage(t("Đã lưu thiết lập hộp thư công vụ.", "Mailbox settings saved."), 5000)
        if self.mailbox_dialog is not None:
            self.mailbox_dialog.load_account()

    def open_contacts(self) -> ContactsDialog:
        from .mailbox_dialog import ContactsDialog

        if self.contacts_dialog is None:
            self.contacts_dialog = ContactsDialog(self.workspace, self.worker, self)
            self.contacts_dialog.resize(min(self.width() - 40, 1280), min(self.height() - 40, 660))
        else:
            self.contacts_dialog.reload()
        self.contacts_dialog.show()
        self.contacts_dialog.raise_()
        return self.contacts_dialog

    def open_report(self) -> ReportDialog:
        from .reports import ReportDialog

        if self.report_dialog is None:
            self.report_dialog = ReportDialog(self.workspace, self.worker, self)
        self.report_dialog.set_request(self.dashboard.current_period(), self.dashboard.scope.filters())
        self.report_dialog.show()
        self.report_dialog.raise_()
        return self.report_dialog

    def open_reply(self) -> ReplyDialog:
        from .letters import ReplyDialog

        if self.reply_dialog is None:
            self.reply_dialog = ReplyDialog(self.workspace, self.worker, self)
        page = self.petitions
        selected = page.selected_petitions()
        chosen = selected or page.shown_petitions()
        period = page.period.currentData() or max((p.period for p in chosen), default=self.dashboard.current_period())
        self.reply_dialog.set_request(period, selected, page.shown_petitions())
        self.reply_dialog.show()
        self.reply_dialog.raise_()
        return self.reply_dialog

    def open_feedback(self, code: str | None = None) -> FeedbackDialog:
        from .letters import FeedbackDialog

        if self.feedback_dialog is None:
            self.feedback_dialog = FeedbackDialog(self.workspace, self.worker, self)
        self.feedback_dialog.set_request(self.dashboard.current_period(), code)
        self.feedback_dialog.show()
        self.feedback_dialog.raise_()
        return self.feedback_dialog

    def open_deadline(self, period: str | None = None) -> DeadlineDialog:
        from ..operations.cycle import period_deadline
        from .cycle_dialogs import DeadlineDialog

        period = period or self.dashboard.current_period()
        if self.deadline_dialog is not None:
            self.deadline_dialog.close()
            self.deadline_dialog.deleteLater()
        self.deadline_dialog = DeadlineDialog(self.workspace, self.worker, period,
                                              period_deadline(self.workspace, period), self)
        self.deadline_dialog.saved.connect(self._deadline_saved)
        self.deadline_dialog.show()
        self.deadline_dialog.raise_()
        return self.deadline_dialog

    def _deadline_saved(self, info: object) -> None:
        deadline = getattr(info, "deadline", None)
        self.statusBar().showMessage(
            t(f"Đã đặt hạn nộp {deadline:%d/%m/%Y}.", f"Deadline set to {deadline:%d/%m/%Y}.") if deadline
            else t("Đã bỏ hạn nộp của kỳ.", "Deadline removed."), 5000)
        self.dashboard.reload()
        if self.trend.trend is not None:
            self.trend.reload()

    def open_remind(self, period: str | None = None) -> RemindDialog:
        from .cycle_dialogs import RemindDialog

        if self.remind_dialog is None:
            self.remind_dialog = RemindDialog(self.workspace, self.worker, self)
        self.remind_dialog.set_request(period or self.dashboard.current_period())
        self.remind_dialog.show()
        self.remind_dialog.raise_()
        return self.remind_dialog

    def open_receipts(self, period: str | None = None, code: str | None = None) -> ReceiptDialog:
        from .cycle_dialogs import ReceiptDialog

        if self.receipt_dialog is None:
            self.receipt_dialog = ReceiptDialog(self.workspace, self.worker, self)
        self.receipt_dialog.set_request(period or self.dashboard.current_period(),
                                        code or self.dashboard.selected_code())
        self.receipt_dialog.show()
        self.receipt_dialog.raise_()
        return self.receipt_dialog

    def open_settings(self) -> DocumentSettingsDialog:
        from .settings_dialog import DocumentSettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.close()
            self.settings_dialog.deleteLater()
        self.settings_dialog = DocumentSettingsDialog(self.workspace_ops, self)
        self.settings_dialog.saved.connect(self._settings_saved)
        self.settings_dialog.resize(min(self.width() - 40, 1200), min(self.height() - 40, 700))
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def open_groups(self) -> Any:
        """«Nhóm xã phụ trách, theo dõi…»: make, change, remove the named groups (``readiness group``)."""
        from .groups_dialog import GroupsDialog

        if self.groups_dialog is not None:
            self.groups_dialog.close()
            self.groups_dialog.deleteLater()
        self.groups_dialog = GroupsDialog(self.workspace_ops, self)
        self.groups_dialog.changed.connect(self._groups_changed)
        self.groups_dialog.resize(min(self.width() - 40, 1000), min(self.height() - 40, 560))
        self.groups_dialog.show()
        self.groups_dialog.raise_()
        return self.groups_dialog

    def _groups_changed(self) -> None:
        """The scope bars list the groups anew (the one chosen stays chosen if it still exists)."""
        for page in (self.dashboard, self.trend):
            page.scope.set_groups(self.workspace_ops)
        if self.report_dialog is not None:
            self.report_dialog.scope.set_groups(self.workspace_ops)

    def _settings_saved(self, settings: object) -> None:
        self.statusBar().showMessage(t("Đã lưu thiết lập văn bản.", "Document settings saved."), 5000)
        for dialog in (self.reply_dialog, self.feedback_dialog, self.remind_dialog, self.receipt_dialog):
            if dialog is not None:  # their signer and codes come from the settings
                dialog.close()
                dialog.deleteLater()
        self.reply_dialog = self.feedback_dialog = self.remind_dialog = self.receipt_dialog = None

    def open_detail(self, code: str, period: str) -> None:
        from ..operations.department import load_detail

        workspace, today = self.workspace, self.dashboard.today
        self.statusBar().showMessage(t("Đang mở chi tiết…", "Opening the detail…"), 3000)
        self.worker.submit("detail", lambda _context: load_detail(workspace, code, period, today=today),
                           finished=self._detail_loaded, failed=self._failed)

    def _detail_loaded(self, data: DetailData) -> None:
        from .detail import CommuneDetailDialog

        self.statusBar().clearMessage()
        if self.detail_dialog is not None:
            self.detail_dialog.close()
            self.detail_dialog.deleteLater()
        self.detail_dialog = CommuneDetailDialog(data, self)
        self.detail_dialog.trend_requested.connect(self.show_trend)
        self.detail_dialog.resize(min(self.width() - 40, 1180), min(self.height() - 40, 660))
        self.detail_dialog.show()

    def show_trend(self, code: str) -> None:
        if self.detail_dialog is not None:
            self.detail_dialog.close()
        self.trend.show_commune(code)
        self.tabs.setCurrentWidget(self.trend)

    # == language, closing =================================================================================
    def set_language(self, code: str) -> None:
        set_lang(code)
        self.workspace_ops.set_setting(SETTING_LANG, code)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.mailbox_dialog is not None and self.mailbox_dialog.running:
            answer = QMessageBox.question(
                self, t("Đang nhận thư", "Fetching"),
                t("Việc nhận thư chưa xong. Dừng và đóng? Các thư đã xử lý xong vẫn được giữ; lần nhận sau làm tiếp.",
                  "The fetch is not finished. Stop it and close? Messages already processed are kept."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.import_dialog is not None and self.import_dialog.running:
            answer = QMessageBox.question(
                self, t("Đang nhập", "Importing"),
                t("Việc nhập tệp chưa xong. Dừng nhập và đóng? Các tệp đã nhập xong vẫn được giữ.",
                  "The import is not finished. Stop it and close? Files already imported are kept."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.worker.cancel_all()  # an import stops after its current file; queued steps are skipped
        if self.owns_workspace and self.worker.busy:  # the workspace closes below: let the running step end
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.worker.wait()
            finally:
                QGuiApplication.restoreOverrideCursor()
        try:
            self.workspace_ops.set_setting(SETTING_PERIOD, self.dashboard.current_period())
        except Exception:  # noqa: BLE001 - remembering the period is a convenience
            pass
        for dialog in (self.import_dialog, self.report_dialog, self.detail_dialog, self.reply_dialog,
                       self.feedback_dialog, self.settings_dialog, self.deadline_dialog, self.remind_dialog,
                       self.receipt_dialog, self.mailbox_dialog, self.mail_settings_dialog, self.contacts_dialog):
            if dialog is not None:
                dialog.close()
        if self.owns_workspace:
            self.workspace_ops.close()
        super().closeEvent(event)
        self.closed.emit()


def _months_before(period: str, count: int) -> str:
    year, month = int(period[:4]), int(period[5:7])
    month -= count
    while month < 1:
        month += 12
        year -= 1
    return f"{year:04d}-{month:02d}"


def run(argv: list[str] | None = None) -> int:
    """``python -m readiness.gui.department [--db URL] [--lang en]``: the department's window alone."""
    import argparse
    import sys

    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(prog="readiness-department")
    parser.add_argument("--db", default=None)
    parser.add_argument("--lang", choices=("vi", "en"), default=None)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from ...service import Workspace
    from ..fonts import choose_font

    choose_font(app)
    workspace = Workspace.open(args.db)
    remembered = WorkspaceOps(workspace).setting(SETTING_LANG)
    set_lang(args.lang or (remembered if remembered in ("vi", "en") else "vi"))
    window = DepartmentWindow(workspace, owns_workspace=True)
    window.resize(1366, 728)
    window.show()
    return app.exec()
