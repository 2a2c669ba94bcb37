"""The official mailbox in the department's window (issue 18).

- :class:`MailboxDialog` «Nhận từ hộp thư công vụ»: fetch, import and answer off the UI thread
  (:func:`readiness.gui.operations.mailbox.fetch_mail` on the window's Runner: progress, «Dừng»),
  each message's outcome as soon as it is known (message, sender, commune, files, import result,
  reply sent or not; a sender unknown for the commune shown in amber), every file's reasons below,
  and the messages received before; «Gửi lại thư trả lời» for a reply given up on.
- :class:`MailSettingsDialog` «Thiết lập hộp thư công vụ»: the servers, TLS, the account, where the
  password is kept (the OS keyring, or an environment variable's name), the CA file, folders, size
  limit, flag or move; «Kiểm tra kết nối» logs in to both servers with what the form holds.
- :class:`ContactsDialog` «Liên hệ các xã»: each commune's contact (kept by the department, from the
  latest submission, or the last sender), edited here; a last sender that is none of the commune's
  known addresses is marked.

What the CLI does (``readiness inbox fetch|setup|check|list|retry``, ``readiness contacts``) through
:mod:`readiness.gui.operations.mailbox`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...text import sort_key
from ..i18n import language, t
from .labels import IMPORT_STATUS, escape, for_gui, import_status_label, period_text
from .models import KEY_ROLE, OBJECT_ROLE, SEARCH_ROLE, SORT_ROLE, _SortFilterProxy, _TableModel
from .result_view import add_filter_row, add_results, add_run_row, problem_item

if TYPE_CHECKING:
    from ...department.contacts import ContactView
    from ...department.mailbox import FetchReport, MessageOutcome
    from ...service import Workspace
    from ..operations import Job, JobContext, Runner
    from ..operations.mailbox import SettingsView

_Index = QModelIndex | QPersistentModelIndex

OUTCOMES = {  # outcome -> (vi, en, text colour, background)
    "accepted": ("Đã tiếp nhận", "Accepted", "#1b5e20", "#e8f5e9"),
    "held": ("Giữ lại chờ Sở quyết định", "Held for the department", "#8a3c00", "#ffe0b2"),
    "refused": ("Bị từ chối", "Refused", "#b71c1c", "#ffebee"),
    "none": ("Không có tệp để nhập", "No file to import", "#5d4037", "#efebe9"),
    "pending": ("Chưa xong (lần sau làm tiếp)", "Not finished (next time)", "#8d6e00", "#fff8e1"),
}
REPLIES = {  # reply status -> (vi, en, text colour)
    "sent": ("Đã gửi", "Sent", "#1b5e20"),
    "pending": ("Chưa gửi (gửi lần sau)", "Not sent (next fetch)", "#8d6e00"),
    "sending": ("Đang gửi dở (lần sau kiểm tra)", "Interrupted (checked next time)", "#8d6e00"),
    "failed": ("Bị từ chối, sẽ thử lại", "Refused, tried again", "#b71c1c"),
    "manual": ("Cần gửi lại bằng tay", "To be sent by hand", "#b71c1c"),
    "none": ("Không trả lời", "No reply", "#616161"),
}
UNKNOWN_SENDER = ("#8a3c00", "#ffe0b2")


def outcome_label(outcome: str | None) -> str:
    vi, en, _fg, _bg = OUTCOMES.get(outcome or "pending", (outcome or "", outcome or "", "", ""))
    return t(vi, en)


def reply_label(status: str | None) -> str:
    vi, en, _fg = REPLIES.get(status or "none", (status or "", status or "", ""))
    return t(vi, en)


def files_text(message: MessageOutcome) -> str:
    """``23500.xlsx: Đã nhập`` (+ how many more)."""
    if not message.files:
        return ""
    first = message.files[0]
    text = f"{first.get('file')}: {import_status_label(str(first.get('status')))}"
    more = len(message.files) - 1
    return text + (t(f" (+{more} tệp)", f" (+{more} files)") if more else "")


class MessagesModel(_TableModel):
    """One row per message: what came of it."""

    MESSAGE, SENDER, COMMUNE, FILES, OUTCOME, REPLY = range(6)

    def __init__(self, names: dict[str, str], parent: Any = None):
        super().__init__(parent)
        self._rows: list[MessageOutcome] = []
        self.names = names

    def make_headers(self) -> list[str]:
        return [t("Thư", "Message"), t("Người gửi", "Sender"), t("Xã, phường", "Commune"), t("Tệp đính kèm", "Files"),
                t("Kết quả nhập", "Import result"), t("Thư trả lời", "Reply")]

    def set_messages(self, messages: Sequence[MessageOutcome]) -> None:
        self.beginResetModel()
        self._rows = list(messages)
        self.endResetModel()

    def add(self, message: MessageOutcome) -> None:
        """A message's outcome: a new row, or the row of the same message replaced (a reply finished later)."""
        for row, known in enumerate(self._rows):
            if known.key == message.key:
                self._rows[row] = message
                self.row_changed(row)  # the next sort reads this row's new values
                return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(message)
        self.endInsertRows()

    @property
    def messages(self) -> list[MessageOutcome]:
        return self.in_given_order()

    def commune_text(self, message: MessageOutcome) -> str:
        if not message.commune_code:
            return ""
        name = self.names.get(message.commune_code)
        text = f"{name} ({message.commune_code})" if name else message.commune_code
        return text + (f", {t('kỳ', 'period')} {period_text(message.period)}" if message.period else "")

    def sender_text(self, message: MessageOutcome) -> str:
        text = message.sender or t("(không rõ)", "(unknown)")
        if message.sender_known is False:
            text += t(" — người gửi lạ", " — unknown sender")
        return text

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        message = self._rows[index.row()]
        column = index.column()
        display = Qt.ItemDataRole.DisplayRole
        if role == OBJECT_ROLE:
            return message
        if role == KEY_ROLE:
            return message.outcome or "pending"
        if role == SEARCH_ROLE:
            return " ".join([message.subject or "", message.sender or "", self.commune_text(message),
                             *(str(f.get("file")) for f in message.files)])
        if role in (display, SORT_ROLE):
            if column == self.MESSAGE:
                text = message.subject or t("(không tiêu đề)", "(no subject)")
                return text if role == display else sort_key(text)
            if column == self.SENDER:
                return self.sender_text(message) if role == display else (message.sender or "")
            if column == self.COMMUNE:
                text = self.commune_text(message)
                return text if role == display else sort_key(text) if text else None
            if column == self.FILES:
                return files_text(message) if role == display else len(message.files)
            if column == self.OUTCOME:
                return outcome_label(message.outcome) if role == display else \
                    list(OUTCOMES).index(message.outcome) if message.outcome in OUTCOMES else 99
            if column == self.REPLY:
                return reply_label(message.reply_status) if role == display else (message.reply_status or "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.SENDER and message.note:
                return message.note
            if column == self.REPLY and message.reply_error:
                return message.reply_error
            if column == self.FILES and message.files:
                return "\n".join(f"{f.get('file')}: {import_status_label(str(f.get('status')))}" for f in message.files)
            return None
        if column == self.OUTCOME and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            _vi, _en, fg, bg = OUTCOMES.get(message.outcome or "pending", ("", "", "#000000", "#ffffff"))
            return QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if column == self.SENDER and message.sender_known is False and role in (Qt.ItemDataRole.ForegroundRole,
                                                                                Qt.ItemDataRole.BackgroundRole):
            return QColor(UNKNOWN_SENDER[0] if role == Qt.ItemDataRole.ForegroundRole else UNKNOWN_SENDER[1])
        if column == self.REPLY and role == Qt.ItemDataRole.ForegroundRole:
            color = REPLIES.get(message.reply_status or "none", ("", "", ""))[2]
            return QColor(color) if color else None
        return None


def message_html(message: MessageOutcome, names: dict[str, str]) -> str:
    """Everything about one message: who, what came of each file (code, sheet, cell, what to do), the reply."""
    from ...errors import hint_of

    _vi, _en, fg, _bg = OUTCOMES.get(message.outcome or "pending", ("", "", "#000", ""))
    subject = message.subject or t("(không tiêu đề)", "(no subject)")
    lines = [f"<b>{escape(subject)}</b> — <span style='color:{fg}'><b>{escape(outcome_label(message.outcome))}</b></span>"]
    who = escape(message.sender or t("(không rõ)", "(unknown)"))
    if message.commune_code:
        name = names.get(message.commune_code, message.commune_code)
        who += " · " + escape(f"{name} ({message.commune_code})")
        if message.period:
            who += " · " + escape(f"{t('kỳ', 'period')} {period_text(message.period)}")
    lines.append(f"<div>{who}</div>")
    if message.note:
        color = UNKNOWN_SENDER[0] if message.sender_known is False else "#555"
        lines.append(f"<p style='color:{color}'><b>{escape(message.note)}</b></p>")
    items = []
    for f in message.files:
        status = str(f.get("status"))
        _v, _e, color, _b = IMPORT_STATUS.get(status, ("", "", "#000", ""))
        head = f"<b>{escape(str(f.get('file')))}</b>: <span style='color:{color}'>{escape(import_status_label(status))}</span>"
        if f.get("commune") and f.get("period"):
            head += escape(f" — {names.get(str(f['commune']), f['commune'])}, {t('kỳ', 'period')} "
                           f"{period_text(str(f['period']))}")
        if f.get("revision"):
            head += escape(f", {t('lần', 'revision')} {f['revision']}")
        reasons = []
        for problem in list(f.get("errors") or []) + list(f.get("warnings") or []):
            code = str(problem.get("code", ""))
            place = ""
            if problem.get("sheet"):
                place = f"sheet «{problem['sheet']}»" + (f", {t('ô', 'cell')} {problem['cell']}" if problem.get("cell")
                                                          else "")
            reasons.append(problem_item(code, place, for_gui(str(problem.get("message", ""))),
                                        for_gui(hint_of(code, language().code))))
        items.append(f"<li>{head}" + (f"<ul>{''.join(reasons)}</ul>" if reasons else "") + "</li>")
    if items:
        lines.append("<ul style='margin-left:-20px'>" + "".join(items) + "</ul>")
    reply = reply_label(message.reply_status)
    color = REPLIES.get(message.reply_status or "none", ("", "", "#000"))[2]
    lines.append(f"<p>{escape(t('Thư trả lời: ', 'Reply: '))}<span style='color:{color}'><b>{escape(reply)}</b></span>"
                 + (f"<br>{escape(message.reply_error)}" if message.reply_error else "") + "</p>")
    return "".join(lines)


class MessagesProxy(_SortFilterProxy):
    pass


# == «Nhận từ hộp thư công vụ» =========================================================================


class MailboxDialog(QDialog):
    """Fetch, import, answer; see each message's outcome.  ``fetched`` is emitted when a run ends."""

    fetched = Signal(object)  # the FetchReport
    failed_run = Signal(str, str)  # code, message: the run could not start or stopped on the server
    settings_requested = Signal()
    contacts_requested = Signal()
    retried = Signal(object)  # the MessageOutcome whose reply is to be sent again

    proxy: MessagesProxy  # made after the search box whose signal filters it

    def __init__(self, workspace: Workspace, worker: Runner, names: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mailboxDialog")
        self.workspace = workspace
        self.worker = worker
        self.names = names
        self.jobs: int | None = None  # checking processes of the import (tests use 0)
        self.today: dt.date | None = None
        self.job: Job | None = None
        self.report: FetchReport | None = None
        self.showing = "run"  # run: this run's messages; all: every message received
        self.account_text = ""
        self.configured: bool | None = None  # the mailbox is set up (None: not known yet)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._build()
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._update_buttons()
        self.load_account()

    # -- layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.account = QLabel(self)
        self.account.setObjectName("mailAccount")
        self.account.setWordWrap(True)
        self.account.setTextFormat(Qt.TextFormat.RichText)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("mailSettingsButton")
        self.settings_button.clicked.connect(self.settings_requested)
        self.contacts_button = QPushButton(self)
        self.contacts_button.setObjectName("mailContactsButton")
        self.contacts_button.clicked.connect(self.contacts_requested)
        top.addWidget(self.account, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.contacts_button)
        layout.addLayout(top)

        run = add_run_row(self, layout, ("fetchMail", "mailProgress", "cancelFetch"), start=self.start,
                          cancel=self.cancel)
        self.fetch_button, self.progress, self.cancel_button = run.start, run.progress, run.cancel
        filters = add_filter_row(self, layout, ("mailSummary", "mailView", "mailSearch"), search_chars=28,
                                 chosen=self._view_changed, searched=lambda text: self.proxy.set_text(text))
        self.summary, self.view_label, self.view, self.search = (filters.summary, filters.label, filters.choice,
                                                                 filters.search)
        self.model = MessagesModel(self.names, self)
        self.proxy = MessagesProxy(self)
        self.proxy.setSourceModel(self.model)
        results = add_results(
            self, layout, self.proxy, ("mailMessages", "mailDetails"), selected=self._selection_changed,
            widths=((MessagesModel.MESSAGE, "Gửi kết quả tự đánh giá kỳ 11/20"),
                    (MessagesModel.SENDER, "other@readiness.test — người gửi lạ"),
                    (MessagesModel.COMMUNE, "Xã Kon Plông (23476), kỳ 11/2025__"),
                    (MessagesModel.FILES, "23500_2025-11_xa-dak-ha.xlsx: Đã nhập"),
                    (MessagesModel.OUTCOME, "Giữ lại chờ Sở quyết định")),
            stretch=(3, 2), sizes=(330, 170), widest=300)
        self.table, self.details = results.table, results.details

        bottom = QHBoxLayout()
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("retryReply")
        self.retry_button.clicked.connect(self.retry_selected)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.retry_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Nhận từ hộp thư công vụ", "Fetch from the official mailbox"))
        self.settings_button.setText(t("Thiết lập hộp thư…", "Mailbox settings…"))
        self.contacts_button.setText(t("Liên hệ các xã…", "Commune contacts…"))
        self.fetch_button.setText(t("Nhận thư và nhập", "Fetch and import"))
        self.fetch_button.setToolTip(t(
            "Đọc các thư chưa xử lý, nhập tệp Excel đính kèm như «Nhập tệp của các xã», trả lời mỗi người gửi một lần "
            "(giấy xác nhận hoặc lý do chưa tiếp nhận), rồi gắn cờ hoặc chuyển thư.",
            "Reads the unprocessed messages, imports the attached workbooks like “Import the communes' files”, "
            "answers each sender once (a receipt or the reasons), then flags or moves the message."))
        self.cancel_button.setText(t("Đang dừng…", "Stopping…") if self.job and self.job.cancel.is_set()
                                   else t("Dừng", "Stop"))
        self.view_label.setText(t("Xem:", "Show:"))
        current = self.view.currentData()
        self.view.blockSignals(True)
        self.view.clear()
        self.view.addItem(t("Thư của lần nhận này", "This run's messages"), "run")
        self.view.addItem(t("Mọi thư đã nhận", "Every message received"), "all")
        self.view.addItem(t("Thư trả lời cần gửi lại bằng tay", "Replies to send by hand"), "manual")
        self.view.setCurrentIndex(max(self.view.findData(current), 0))
        self.view.blockSignals(False)
        self.search.setPlaceholderText(t("Tìm tiêu đề, người gửi, xã, tệp…", "Search subject, sender, commune, file…"))
        self.retry_button.setText(t("Gửi lại thư trả lời", "Send the reply again"))
        self.retry_button.setToolTip(t("Thư trả lời đã bị máy chủ từ chối: gửi lại ở lần nhận thư sau (sau khi đã sửa "
                                       "địa chỉ hoặc xã đã dọn hộp thư).",
                                       "A reply the server refused: sent again by the next fetch (once the address is "
                                       "fixed or the commune's mailbox emptied)."))
        self.close_button.setText(t("Đóng", "Close"))
        self.model.retranslate()
        self._show_account()
        self._show_summary()
        self._selection_changed()

    # -- the account
    def load_account(self) -> None:
        from ..operations.mailbox import mail_settings

        workspace = self.workspace
        self.worker.submit("mail-settings", lambda _context: mail_settings(workspace), finished=self._account_loaded,
                           failed=self._account_failed)

    def _account_loaded(self, view: SettingsView) -> None:
        settings = view.settings
        if not settings.configured:
            self.account_text = ""
        else:
            self.account_text = f"{settings.user} · {settings.imap_host}:{settings.imap_port} · «{settings.folder}»"
        self.configured = settings.configured
        self._show_account()
        self._update_buttons()

    def _account_failed(self, code: str, message: str) -> None:
        self.account.setText(f"<span style='color:#b71c1c'>{escape(message)} ({escape(code)})</span>")

    def _show_account(self) -> None:
        if self.configured is False:
            self.account.setText(t("<b>Chưa thiết lập hộp thư công vụ.</b> Bấm «Thiết lập hộp thư…» để nhập máy chủ, "
                                   "tài khoản và mật khẩu.",
                                   "<b>The official mailbox is not set up.</b> Press “Mailbox settings…” to enter the "
                                   "server, account and password."))
        elif self.account_text:
            self.account.setText(t("Hộp thư công vụ: ", "Official mailbox: ") + f"<b>{escape(self.account_text)}</b>")
        else:
            self.account.setText("")

    # -- running
    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        if self.running:
            return
        from ..operations.mailbox import fetch_mail

        workspace, jobs, today = self.workspace, self.jobs, self.today

        def work(context: JobContext) -> FetchReport:
            return fetch_mail(workspace, context, jobs=jobs, today=today)

        self.report = None
        self.showing = "run"
        self.view.blockSignals(True)
        self.view.setCurrentIndex(self.view.findData("run"))
        self.view.blockSignals(False)
        self.model.set_messages([])
        self.details.clear()
        self.progress.setRange(0, 0)
        self.progress.setFormat(t("Đang kết nối máy chủ thư…", "Connecting to the mail server…"))
        self.job = self.worker.submit("mail-fetch", work, finished=self._finished, failed=self._failed,
                                      progress=self._progress, item=self._item)
        self._update_buttons()
        self._show_summary()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
            self.cancel_button.setText(t("Đang dừng…", "Stopping…"))
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.job is None:
            return
        if total == 0:
            self.progress.setRange(0, 0)
            self.progress.setFormat(t("Đang tìm thư mới…", "Looking for new messages…"))
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        label = t(f"{done}/{total} thư", f"{done}/{total} messages")
        self.progress.setFormat(label + (f" — {text}" if text else ""))

    def _item(self, message: MessageOutcome) -> None:
        if self.showing == "run":
            self.model.add(message)
        self._show_summary()

    def _finished(self, report: FetchReport) -> None:
        self.job = None
        self.report = report
        if self.showing == "run":
            shown = {m.key for m in self.model.messages}
            for message in report.messages + report.replies:
                if message.key not in shown:
                    self.model.add(message)
        done = sum(1 for m in report.messages if m.state != "received")  # not the ones a «Dừng» left half-done
        total = done + report.not_done
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        if not total:
            self.progress.setFormat(t("Không có thư mới", "No new messages"))
        else:
            self.progress.setFormat(t(f"{done}/{total} thư", f"{done}/{total} messages")
                                    + (t(" — đã dừng", " — stopped") if report.cancelled else t(" — xong", " — done")))
        self.cancel_button.setText(t("Dừng", "Stop"))
        self._update_buttons()
        self._show_summary()
        self.fetched.emit(report)

    def _failed(self, code: str, message: str) -> None:
        self.job = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(t("Không nhận được thư", "Could not fetch"))
        self.cancel_button.setText(t("Dừng", "Stop"))
        self._update_buttons()
        self.summary.setText(f"<span style='color:#b71c1c'>{escape(message)} ({escape(code)})</span>")
        self.failed_run.emit(code, message)
        QMessageBox.warning(self, t("Không nhận được thư", "Could not fetch"),
                            t(f"Lỗi ({code}): {message}\n\nCác thư đã xử lý xong trước lỗi này vẫn được giữ; lần nhận "
                              "sau làm tiếp.",
                              f"Error ({code}): {message}\n\nMessages processed before this error are kept; the next "
                              "fetch goes on."))

    def _update_buttons(self) -> None:
        running = self.running
        self.fetch_button.setEnabled(not running and self.configured is not False)
        self.cancel_button.setEnabled(running and not (self.job and self.job.cancel.is_set()))
        self.settings_button.setEnabled(not running)
        selected = self.selected_message() if hasattr(self, "table") else None
        self.retry_button.setEnabled(not running and selected is not None and selected.id is not None
                                     and selected.reply_status in ("manual", "failed"))

    # -- the messages shown
    def _view_changed(self, *_args: object) -> None:
        wanted = self.view.currentData()
        self.showing = wanted or "run"
        if self.showing == "run":
            report = self.report
            self.model.set_messages((report.messages + report.replies) if report else [])
            self._show_summary()
            return
        self.load_history()

    def load_history(self) -> None:
        from ..operations.mailbox import recent_messages

        workspace = self.workspace
        self.worker.submit("mail-history", lambda _context: recent_messages(workspace), finished=self._history,
                           failed=self._account_failed)

    def _history(self, messages: list[MessageOutcome]) -> None:
        if self.showing == "all":
            self.model.set_messages(messages)
        elif self.showing == "manual":
            self.model.set_messages([m for m in messages if m.reply_status == "manual"])
        self._show_summary()

    def _show_summary(self) -> None:
        messages = self.model.messages
        if self.showing != "run":
            text = t(f"<b>{len(messages)} thư</b>", f"<b>{len(messages)} messages</b>") if messages else \
                t("Chưa có thư nào.", "No message yet.")
            self.summary.setText(text)
            return
        if not messages and not self.running and self.report is None:
            self.summary.setText(t("Bấm <b>Nhận thư và nhập</b>: mỗi thư được nhập một lần và được trả lời một lần, kể "
                                   "cả khi nhận lại.",
                                   "Press <b>Fetch and import</b>: each message is imported once and answered once, "
                                   "even when fetched again."))
            return
        new = [m for m in messages if not m.seen_before]
        counts = Counter(m.outcome or "pending" for m in new)
        parts = [f"{counts[key]} {outcome_label(key).lower()}" for key in OUTCOMES if counts.get(key)]
        text = t(f"<b>{len(new)} thư mới</b>", f"<b>{len(new)} new messages</b>") if new else \
            t("<b>Không có thư mới</b>", "<b>No new messages</b>")
        if parts:
            text += ": " + ", ".join(parts)
        report = self.report
        sent = sum(1 for m in messages if m.reply_status == "sent")
        if sent and report is not None:
            text += t(f"; {sent} thư trả lời đã gửi", f"; {sent} replies sent")
        if report is not None:
            text += t(f" ({report.seconds:.1f} giây)".replace(".", ","), f" ({report.seconds:.1f} s)")
        elif self.running:
            text += t(" — đang nhận…", " — fetching…")
        sentences = [text + "."]
        unknown = sum(1 for m in new if m.sender_known is False)
        if unknown:
            sentences.append(t(f"<span style='color:{UNKNOWN_SENDER[0]}'>{unknown} thư từ người gửi lạ: kiểm tra với "
                               "xã.</span>",
                               f"<span style='color:{UNKNOWN_SENDER[0]}'>{unknown} from unknown senders: check with "
                               "the commune.</span>"))
        waiting = sum(1 for m in messages if m.reply_status in ("manual", "failed", "pending"))
        if waiting and report is not None:
            sentences.append(t(f"<span style='color:#b71c1c'>{waiting} thư trả lời chưa gửi được: xem cột «Thư trả "
                               "lời».</span>",
                               f"<span style='color:#b71c1c'>{waiting} replies not sent: see “Reply”.</span>"))
        if report is not None and report.cancelled:
            sentences.append(t(f"<span style='color:#8d6e00'>Đã dừng: còn {report.not_done} thư, lần nhận sau làm "
                               "tiếp.</span>" if report.not_done else "<span style='color:#8d6e00'>Đã dừng.</span>",
                               f"<span style='color:#8d6e00'>Stopped: {report.not_done} messages left for the next "
                               "fetch.</span>" if report.not_done else "<span style='color:#8d6e00'>Stopped.</span>"))
        text = " ".join(sentences)
        for note in (report.notes if report is not None else []):
            text += f"<br><span style='color:#8d6e00'>{escape(note)}</span>"
        self.summary.setText(text)

    def selected_message(self) -> MessageOutcome | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.proxy.object_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        self._update_buttons()
        message = self.selected_message()
        if message is None:
            self.details.setHtml(f"<p style='color:#666'>{escape(t('Chọn một thư để xem từng tệp, lý do và thư trả lời.', 'Select a message to see each file, the reasons and the reply.'))}</p>")
            return
        self.details.setHtml(message_html(message, self.names))

    def retry_selected(self) -> None:
        message = self.selected_message()
        if message is None or message.id is None:
            return
        from ..operations.mailbox import retry_reply

        workspace, record_id = self.workspace, message.id
        self.worker.submit("mail-retry", lambda _context: retry_reply(workspace, record_id), finished=self._retried,
                           failed=self._retry_failed)

    def _retried(self, message: MessageOutcome) -> None:
        self.model.add(message)
        self._selection_changed()
        self.summary.setText(t(f"Thư trả lời tới {message.sender} sẽ được gửi ở lần nhận thư sau.",
                               f"The reply to {message.sender} will be sent by the next fetch."))
        self.retried.emit(message)

    def _retry_failed(self, code: str, message: str) -> None:
        QMessageBox.warning(self, t("Không gửi lại được", "Cannot send again"), f"{message} ({code})")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            answer = QMessageBox.question(
                self, t("Đang nhận thư", "Fetching"),
                t("Việc nhận thư chưa xong. Dừng và đóng? Các thư đã xử lý xong vẫn được giữ; lần nhận sau làm tiếp.",
                  "The fetch is not finished. Stop it and close? Messages already processed are kept."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.cancel()
        super().closeEvent(event)


# == «Thiết lập hộp thư công vụ» =======================================================================


class MailSettingsDialog(QDialog):
    """The mailbox's settings; nothing is stored until «Lưu» (one transaction; the password to the keyring)."""

    saved = Signal(object)  # the SettingsView stored
    checked = Signal(bool, str)  # whether the connection works, what was found

    def __init__(self, workspace: Workspace, worker: Runner, view: SettingsView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mailSettingsDialog")
        self.workspace = workspace
        self.worker = worker
        self.view = view
        self.check_job: Job | None = None
        self._build()
        self.retranslate()
        self.fill(view)
        language().changed.connect(self.retranslate)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)

        def line(name: str) -> QLineEdit:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            return edit

        def port(name: str) -> QSpinBox:
            spin = QSpinBox(self)
            spin.setObjectName(name)
            spin.setRange(1, 65535)
            return spin

        self.imap_box = QGroupBox(self)
        form = QFormLayout(self.imap_box)
        self.imap_host, self.imap_port = line("imapHost"), port("imapPort")
        self.imap_security = QComboBox(self)
        self.imap_security.setObjectName("imapSecurity")
        self.user, self.folder = line("mailUser"), line("mailFolder")
        self.imap_labels = [QLabel(self.imap_box) for _ in range(5)]
        for label, widget in zip(self.imap_labels, (self.imap_host, self.imap_port, self.imap_security, self.user,
                                                    self.folder)):
            label.setBuddy(widget)
            form.addRow(label, widget)
        left.addWidget(self.imap_box)

        self.smtp_box = QGroupBox(self)
        form = QFormLayout(self.smtp_box)
        self.smtp_host, self.smtp_port = line("smtpHost"), port("smtpPort")
        self.smtp_security = QComboBox(self)
        self.smtp_security.setObjectName("smtpSecurity")
        self.smtp_user, self.from_address = line("smtpUser"), line("fromAddress")
        self.smtp_labels = [QLabel(self.smtp_box) for _ in range(5)]
        for label, widget in zip(self.smtp_labels, (self.smtp_host, self.smtp_port, self.smtp_security, self.smtp_user,
                                                    self.from_address)):
            label.setBuddy(widget)
            form.addRow(label, widget)
        left.addWidget(self.smtp_box)
        left.addStretch(1)

        self.password_box = QGroupBox(self)
        grid = QGridLayout(self.password_box)
        self.use_keyring = QRadioButton(self.password_box)
        self.use_keyring.setObjectName("useKeyring")
        self.use_env = QRadioButton(self.password_box)
        self.use_env.setObjectName("useEnv")
        group = QButtonGroup(self)
        group.addButton(self.use_keyring)
        group.addButton(self.use_env)
        self.password = line("mailPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_env = line("passwordEnv")
        self.password_note = QLabel(self.password_box)
        self.password_note.setObjectName("passwordNote")
        self.password_note.setWordWrap(True)
        grid.addWidget(self.use_keyring, 0, 0)
        grid.addWidget(self.password, 0, 1)
        grid.addWidget(self.use_env, 1, 0)
        grid.addWidget(self.password_env, 1, 1)
        grid.addWidget(self.password_note, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.use_keyring.toggled.connect(self._password_mode)
        right.addWidget(self.password_box)

        self.handling_box = QGroupBox(self)
        form = QFormLayout(self.handling_box)
        ca_row = QHBoxLayout()
        self.ca_file = line("caFile")
        self.ca_button = QPushButton(self.handling_box)
        self.ca_button.clicked.connect(self._choose_ca)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_button)
        self.max_mb = QSpinBox(self)
        self.max_mb.setObjectName("maxMessageMb")
        self.max_mb.setRange(1, 500)
        self.max_mb.setSuffix(" MB")
        self.processed = QComboBox(self)
        self.processed.setObjectName("processed")
        self.processed_folder = line("processedFolder")
        self.sent_folder = line("sentFolder")
        folder_row = QHBoxLayout()
        self.attachments_dir = line("attachmentsDir")
        self.attachments_button = QPushButton(self.handling_box)
        self.attachments_button.clicked.connect(self._choose_attachments)
        folder_row.addWidget(self.attachments_dir, 1)
        folder_row.addWidget(self.attachments_button)
        self.handling_labels = [QLabel(self.handling_box) for _ in range(6)]
        ca_label, max_label, processed_label, processed_folder_label, sent_label, folder_label = \
            self.handling_labels
        form.addRow(ca_label, ca_row)
        form.addRow(max_label, self.max_mb)
        form.addRow(processed_label, self.processed)
        form.addRow(processed_folder_label, self.processed_folder)
        form.addRow(sent_label, self.sent_folder)
        form.addRow(folder_label, folder_row)
        for label, widget in zip(self.handling_labels, (self.ca_file, self.max_mb, self.processed,
                                                        self.processed_folder, self.sent_folder, self.attachments_dir)):
            label.setBuddy(widget)
        self.processed.currentIndexChanged.connect(self._processed_changed)
        right.addWidget(self.handling_box)
        right.addStretch(1)

        self.check_result = QLabel(self)
        self.check_result.setObjectName("mailCheckResult")
        self.check_result.setWordWrap(True)
        self.check_result.setTextFormat(Qt.TextFormat.RichText)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.check_result)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("checkMail")
        self.check_button.clicked.connect(self.check)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveMailSettings")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.imap_security.currentIndexChanged.connect(lambda _i: self._security_changed(self.imap_security,
                                                                                         self.imap_port, (993, 143)))
        self.smtp_security.currentIndexChanged.connect(lambda _i: self._security_changed(self.smtp_security,
                                                                                         self.smtp_port, (465, 587)))

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Thiết lập hộp thư công vụ", "Official mailbox settings"))
        self.imap_box.setTitle(t("Nhận thư (IMAP)", "Receiving (IMAP)"))
        self.smtp_box.setTitle(t("Gửi thư trả lời (SMTP)", "Sending replies (SMTP)"))
        self.password_box.setTitle(t("Mật khẩu", "Password"))
        self.handling_box.setTitle(t("Chứng chỉ và cách xử lý thư", "Certificate and message handling"))
        for label, (vi, en) in zip(self.imap_labels, (("Máy chủ:", "Server:"), ("Cổng:", "Port:"),
                                                      ("Bảo mật:", "Security:"), ("Tài khoản:", "Account:"),
                                                      ("Thư mục đọc:", "Folder read:"))):
            label.setText(t(vi, en))
        for label, (vi, en) in zip(self.smtp_labels, (("Máy chủ:", "Server:"), ("Cổng:", "Port:"),
                                                      ("Bảo mật:", "Security:"), ("Tài khoản:", "Account:"),
                                                      ("Địa chỉ gửi:", "From address:"))):
            label.setText(t(vi, en))
        for label, (vi, en) in zip(self.handling_labels, (
                ("Tệp chứng chỉ CA:", "CA file:"), ("Thư lớn hơn không tải về:", "Larger messages not downloaded:"),
                ("Thư đã xử lý:", "Processed messages:"), ("Chuyển sang thư mục:", "Move to folder:"),
                ("Lưu bản sao thư trả lời vào:", "Keep a copy of replies in:"),
                ("Lưu tệp đính kèm vào:", "Keep attachments in:"))):
            label.setText(t(vi, en))
        self.smtp_host.setPlaceholderText(t("trống: như máy chủ nhận thư", "empty: the IMAP server"))
        self.smtp_user.setPlaceholderText(t("trống: như tài khoản nhận thư", "empty: the IMAP account"))
        self.from_address.setPlaceholderText(t("trống: như tài khoản", "empty: the account"))
        self.imap_host.setPlaceholderText("mail.quangngai.gov.vn")
        self.user.setPlaceholderText("sokhcn@quangngai.gov.vn")
        self.ca_file.setPlaceholderText(t("trống: chứng chỉ tin cậy của hệ điều hành",
                                          "empty: the system's trusted certificates"))
        self.sent_folder.setPlaceholderText(t("trống: không lưu bản sao", "empty: no copy kept"))
        self.attachments_dir.setPlaceholderText(t("trống: thư mục dữ liệu của chương trình",
                                                  "empty: the program's data folder"))
        self.ca_button.setText(t("Chọn…", "Choose…"))
        self.attachments_button.setText(t("Chọn…", "Choose…"))
        for combo, (ssl_text, starttls_text) in (
                (self.imap_security, (t("TLS ngay từ đầu (IMAPS, cổng 993)", "TLS from the start (IMAPS, port 993)"),
                                      t("STARTTLS (cổng 143)", "STARTTLS (port 143)"))),
                (self.smtp_security, (t("TLS ngay từ đầu (SMTPS, cổng 465)", "TLS from the start (SMTPS, port 465)"),
                                      t("STARTTLS (cổng 587)", "STARTTLS (port 587)")))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ssl_text, "ssl")
            combo.addItem(starttls_text, "starttls")
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        current = self.processed.currentData()
        self.processed.blockSignals(True)
        self.processed.clear()
        self.processed.addItem(t("Gắn cờ đã xử lý, để nguyên trong thư mục", "Flag as processed, leave in the folder"),
                               "flag")
        self.processed.addItem(t("Chuyển sang thư mục khác", "Move to another folder"), "move")
        self.processed.setCurrentIndex(max(self.processed.findData(current), 0))
        self.processed.blockSignals(False)
        self.use_keyring.setText(t("Cất trong kho mật khẩu của hệ điều hành:", "Keep in the system's password store:"))
        self.use_env.setText(t("Đọc từ biến môi trường tên:", "Read from the environment variable:"))
        self.password_env.setPlaceholderText("READINESS_MAIL_PASSWORD")
        self._password_mode()
        self.check_button.setText(t("Kiểm tra kết nối", "Test the connection"))
        self.check_button.setToolTip(t("Đăng nhập máy chủ nhận và gửi thư với thiết lập đang nhập (không đọc, không "
                                       "gửi thư).", "Logs in to both servers with the settings in the form (reads and "
                                       "sends nothing)."))
        self.save_button.setText(t("Lưu", "Save"))
        self.cancel_button.setText(t("Hủy", "Cancel"))

    def fill(self, view: SettingsView) -> None:
        s = view.settings
        self.imap_host.setText(s.imap_host)
        self.imap_security.blockSignals(True)
        self.smtp_security.blockSignals(True)
        self.imap_security.setCurrentIndex(max(self.imap_security.findData(s.imap_security), 0))
        self.smtp_security.setCurrentIndex(max(self.smtp_security.findData(s.smtp_security), 0))
        self.imap_security.blockSignals(False)
        self.smtp_security.blockSignals(False)
        self.imap_port.setValue(s.imap_port)
        self.smtp_port.setValue(s.smtp_port)
        self.user.setText(s.user)
        self.folder.setText(s.folder)
        self.smtp_host.setText(s.smtp_host)
        self.smtp_user.setText(s.smtp_user)
        self.from_address.setText(s.from_address)
        self.ca_file.setText(s.ca_file)
        self.max_mb.setValue(s.max_message_mb)
        self.processed.setCurrentIndex(max(self.processed.findData(s.processed), 0))
        self.processed_folder.setText(s.processed_folder)
        self.sent_folder.setText(s.sent_folder)
        self.attachments_dir.setText(s.attachments_dir)
        self.password_env.setText(s.password_env)
        (self.use_env if s.password_env else self.use_keyring).setChecked(True)
        self._processed_changed()

    def _security_changed(self, combo: QComboBox, spin: QSpinBox, ports: tuple[int, int]) -> None:
        """The usual port follows the security, unless another port was typed."""
        if spin.value() in ports:
            spin.setValue(ports[0] if combo.currentData() == "ssl" else ports[1])

    def _processed_changed(self, *_args: object) -> None:
        self.processed_folder.setEnabled(self.processed.currentData() == "move")

    def _password_mode(self, *_args: object) -> None:
        keyring = self.use_keyring.isChecked()
        self.password.setEnabled(keyring)
        self.password_env.setEnabled(not keyring)
        if keyring:
            kept = self.view.password_kept
            self.password.setPlaceholderText(t("để trống: giữ mật khẩu đã cất", "empty: keep the stored one") if kept
                                             else t("mật khẩu của tài khoản", "the account's password"))
            note = t("Mật khẩu không bao giờ được ghi vào cơ sở dữ liệu hay tệp.",
                     "The password is never written to the database or a file.")
            if kept:
                note = t("Đã có mật khẩu trong kho. ", "A password is stored. ") + note
        else:
            note = t("Dùng cho máy chủ hoặc tác vụ chạy tự động: đặt mật khẩu vào biến môi trường này trước khi chạy.",
                     "For a server or a scheduled task: set the password in this variable before running.")
        self.password_note.setText(note)

    def _choose_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, t("Chọn tệp chứng chỉ CA", "Choose the CA certificate"),
                                                self.ca_file.text(),
                                                t("Chứng chỉ (*.pem *.crt *.cer);;Mọi tệp (*)",
                                                  "Certificates (*.pem *.crt *.cer);;All files (*)"))
        if chosen:
            self.ca_file.setText(chosen)

    def _choose_attachments(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("Chọn thư mục lưu tệp đính kèm", "Choose the attachments folder"),
                                                  self.attachments_dir.text())
        if chosen:
            self.attachments_dir.setText(chosen)

    def values(self) -> dict[str, Any]:
        return {"imap_host": self.imap_host.text().strip(), "imap_port": self.imap_port.value(),
                "imap_security": self.imap_security.currentData(), "user": self.user.text().strip(),
                "folder": self.folder.text().strip() or "INBOX", "processed": self.processed.currentData(),
                "processed_folder": self.processed_folder.text().strip() or "Da xu ly",
                "sent_folder": self.sent_folder.text().strip(), "smtp_host": self.smtp_host.text().strip(),
                "smtp_port": self.smtp_port.value(), "smtp_security": self.smtp_security.currentData(),
                "smtp_user": self.smtp_user.text().strip(), "from_address": self.from_address.text().strip(),
                "ca_file": self.ca_file.text().strip(),
                "password_env": self.password_env.text().strip() if self.use_env.isChecked() else "",
                "max_message_mb": self.max_mb.value(), "attachments_dir": self.attachments_dir.text().strip()}

    def _typed_password(self) -> str | None:
        return (self.password.text() or None) if self.use_keyring.isChecked() else None

    def _settings(self) -> Any:
        from ..operations.mailbox import settings_from

        settings = settings_from(self.values())
        settings.check()
        return settings

    def check(self) -> None:
        if self.check_job is not None:
            return
        from ..operations.mailbox import check_mail

        try:
            settings = self._settings()
        except Exception as error:  # noqa: BLE001 - a StoreError naming what to change
            self._check_failed(getattr(error, "code", "E-MAIL-SETTINGS"), getattr(error, "message", str(error)))
            return
        password = self._typed_password()
        self.check_result.setText(t("Đang kiểm tra kết nối…", "Testing the connection…"))
        self.check_button.setEnabled(False)
        self.check_job = self.worker.submit("mail-check", lambda _context: check_mail(settings, password),
                                            finished=self._checked, failed=self._check_failed)

    def _checked(self, lines: list[str]) -> None:
        self.check_job = None
        self.check_button.setEnabled(True)
        self.check_result.setText("<span style='color:#1b5e20'><b>" + escape(t("Kết nối được.", "Connected.")) + "</b> "
                                  + "<br>".join(escape(line) for line in lines) + "</span>")
        self.checked.emit(True, "\n".join(lines))

    def _check_failed(self, code: str, message: str) -> None:
        self.check_job = None
        self.check_button.setEnabled(True)
        self.check_result.setText(f"<span style='color:#b71c1c'><b>{escape(t('Không kết nối được', 'Cannot connect'))}"
                                  f" ({escape(code)}):</b> {escape(message)}</span>")
        self.checked.emit(False, f"{code}: {message}")

    def save(self) -> None:
        from ..operations.mailbox import save_mail_settings

        try:
            settings = self._settings()
        except Exception as error:  # noqa: BLE001
            self._save_failed(getattr(error, "code", "E-MAIL-SETTINGS"), getattr(error, "message", str(error)))
            return
        password = self._typed_password()
        workspace = self.workspace
        self.save_button.setEnabled(False)
        self.worker.submit("mail-save", lambda _context: save_mail_settings(workspace, settings, password),
                           finished=self._saved, failed=self._save_failed)

    def _saved(self, view: SettingsView) -> None:
        self.save_button.setEnabled(True)
        self.view = view
        self.password.clear()
        self.saved.emit(view)
        self.accept()

    def _save_failed(self, code: str, message: str) -> None:
        self.save_button.setEnabled(True)
        self.check_result.setText(f"<span style='color:#b71c1c'><b>{escape(t('Chưa lưu', 'Not saved'))} "
                                  f"({escape(code)}):</b> {escape(message)}</span>")


# == «Liên hệ các xã» ==================================================================================


class ContactsModel(_TableModel):
    COMMUNE, NAME, POSITION, PHONE, EMAIL, SOURCE, LAST_SENDER = range(7)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[ContactView] = []

    def make_headers(self) -> list[str]:
        return [t("Xã, phường", "Commune"), t("Người liên hệ", "Contact"), t("Chức vụ", "Position"),
                t("Điện thoại", "Phone"), t("Thư điện tử", "E-mail"), t("Nguồn", "Source"),
                t("Thư gần nhất gửi từ", "Last message from")]

    def set_contacts(self, views: Sequence[ContactView]) -> None:
        self.beginResetModel()
        self._rows = list(views)
        self.endResetModel()

    def replace(self, view: ContactView) -> int:
        for row, known in enumerate(self._rows):
            if known.code == view.code:
                self._rows[row] = view
                self.row_changed(row)  # the next sort reads this row's new values
                return row
        return -1

    @property
    def contacts(self) -> list[ContactView]:
        return self.in_given_order()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        from ..operations.mailbox import sender_mismatch

        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        view = self._rows[index.row()]
        column = index.column()
        display = Qt.ItemDataRole.DisplayRole
        if role == OBJECT_ROLE:
            return view
        if role == KEY_ROLE:
            return ("mismatch" if sender_mismatch(view) else "") + ("|none" if not view.addresses else "")
        if role == SEARCH_ROLE:
            return " ".join([view.commune, view.code, view.name, view.phone, view.email, view.last_sender])
        if role in (display, SORT_ROLE):
            values = {self.COMMUNE: f"{view.commune} ({view.code})", self.NAME: view.name, self.POSITION: view.position,
                      self.PHONE: view.phone, self.EMAIL: view.email, self.SOURCE: source_label(view.source),
                      self.LAST_SENDER: view.last_sender}
            text = values[column]
            if role == display:
                if column == self.LAST_SENDER and sender_mismatch(view):
                    return text + t(" — không phải địa chỉ đã biết", " — not a known address")
                return text
            return sort_key(view.commune) if column == self.COMMUNE else (sort_key(text) if text else None)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.LAST_SENDER and sender_mismatch(view):
            return t("Thư nộp kết quả gần nhất của xã gửi từ địa chỉ này, không phải địa chỉ Sở nhập hay địa chỉ người trả "
                     "lời trong phiếu: kiểm tra với xã.",
                     "The commune's last submission came from this address, which is neither the contact's nor the "
                     "respondent's: check with the commune.")
        if column == self.LAST_SENDER and sender_mismatch(view) and role in (Qt.ItemDataRole.ForegroundRole,
                                                                             Qt.ItemDataRole.BackgroundRole):
            return QColor(UNKNOWN_SENDER[0] if role == Qt.ItemDataRole.ForegroundRole else UNKNOWN_SENDER[1])
        if column == self.EMAIL and role == Qt.ItemDataRole.BackgroundRole and not view.addresses:
            return QColor("#ffebee")
        return None


SOURCES = {"kept": ("Sở nhập", "Entered by the department"), "submission": ("Theo phiếu gần nhất", "Latest submission"),
           "mail": ("Theo thư gửi gần nhất", "Latest message"), "none": ("Chưa có", "None")}


def source_label(source: str) -> str:
    vi, en = SOURCES.get(source, (source, source))
    return t(vi, en)


class ContactsProxy(_SortFilterProxy):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.only = ""  # "" / "mismatch" / "none"

    def set_only(self, only: str) -> None:
        if only != self.only:
            self._begin()
            self.only = only
            self._end()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.only:
            key = self.sourceModel().data(self.sourceModel().index(source_row, 0, source_parent), KEY_ROLE) or ""
            if self.only not in key:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class ContactsDialog(QDialog):
    """Each commune's contact; the one the department keeps is edited here (one transaction each)."""

    saved = Signal(object)  # the ContactView after a change
    loaded_signal = Signal()

    FIELDS = ("name", "position", "phone", "email", "note")

    proxy: ContactsProxy  # made after the filters whose signals set it

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("contactsDialog")
        self.workspace = workspace
        self.worker = worker
        self.loaded = False
        self._build()
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._selection_changed()
        self.reload()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setObjectName("contactsSummary")
        self.summary.setWordWrap(True)
        self.only = QComboBox(self)
        self.only.setObjectName("contactsOnly")
        self.only.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.only.currentIndexChanged.connect(lambda _i: self.proxy.set_only(self.only.currentData() or ""))
        self.search = QLineEdit(self)
        self.search.setObjectName("contactsSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 26)
        self.search.textChanged.connect(lambda text: self.proxy.set_text(text))
        top.addWidget(self.summary, 1)
        top.addWidget(self.only)
        top.addWidget(self.search)
        layout.addLayout(top)
        self.model = ContactsModel(self)
        self.proxy = ContactsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("contactsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in ((ContactsModel.COMMUNE, "Phường Trương Quang Trọng (23500)"),
                               (ContactsModel.NAME, "Nguyễn Thị Minh Khai"),
                               (ContactsModel.POSITION, "Công chức Văn phòng - Thống kê"),
                               (ContactsModel.PHONE, "0255 3822 111"), (ContactsModel.EMAIL, "vanphong.xa@quangngai.gov"),
                               (ContactsModel.SOURCE, "Theo thư gửi gần nhất")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        self.edit_box = QGroupBox(self)
        form = QGridLayout(self.edit_box)
        self.edits: dict[str, QLineEdit] = {}
        self.edit_labels: dict[str, QLabel] = {}
        for index, name in enumerate(self.FIELDS):
            label = QLabel(self.edit_box)
            edit = QLineEdit(self.edit_box)
            edit.setObjectName(f"contact_{name}")
            label.setBuddy(edit)
            self.edits[name] = edit
            self.edit_labels[name] = label
            row, col = divmod(index, 2) if name != "note" else (2, 0)
            form.addWidget(label, row, col * 2)
            form.addWidget(edit, row, col * 2 + 1, 1, 3 if name == "note" else 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self.edit_hint = QLabel(self.edit_box)
        self.edit_hint.setObjectName("contactHint")
        self.edit_hint.setWordWrap(True)
        form.addWidget(self.edit_hint, 3, 0, 1, 4)
        layout.addWidget(self.edit_box)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveContact")
        self.save_button.clicked.connect(self.save_selected)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clearContact")
        self.clear_button.clicked.connect(self.clear_selected)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Liên hệ các xã", "Commune contacts"))
        current = self.only.currentData()
        self.only.blockSignals(True)
        self.only.clear()
        self.only.addItem(t("Mọi xã", "Every commune"), "")
        self.only.addItem(t("Xã chưa có địa chỉ thư", "Without an e-mail address"), "none")
        self.only.addItem(t("Thư gửi từ địa chỉ lạ", "Sent from an unknown address"), "mismatch")
        self.only.setCurrentIndex(max(self.only.findData(current), 0))
        self.only.blockSignals(False)
        self.search.setPlaceholderText(t("Tìm xã, người, số điện thoại, địa chỉ…", "Search commune, person, phone, address…"))
        self.edit_box.setTitle(t("Liên hệ Sở nhập cho xã đang chọn", "The department's contact for the selected commune"))
        for name, (vi, en) in zip(self.FIELDS, (("Họ và tên:", "Name:"), ("Chức vụ:", "Position:"),
                                                ("Điện thoại:", "Phone:"), ("Thư điện tử:", "E-mail:"),
                                                ("Ghi chú:", "Note:"))):
            self.edit_labels[name].setText(t(vi, en))
        self.edits["email"].setPlaceholderText(t("nhiều địa chỉ: cách nhau bằng dấu phẩy", "several: separated by commas"))
        self.edit_hint.setText(t("Liên hệ Sở nhập được dùng trước người trả lời trong phiếu gần nhất: công văn đôn đốc và "
                                 "thư nhắc gửi tới địa chỉ này. Để trống một ô: xoá ô đó.",
                                 "The department's contact comes before the respondent of the latest submission: "
                                 "reminders go to this address. An empty field is cleared."))
        self.save_button.setText(t("Lưu liên hệ", "Save the contact"))
        self.clear_button.setText(t("Bỏ liên hệ Sở nhập", "Remove the department's contact"))
        self.close_button.setText(t("Đóng", "Close"))
        self.model.retranslate()
        self._show_summary()

    def reload(self) -> None:
        from ..operations.mailbox import contacts

        workspace = self.workspace
        self.worker.submit("contacts", lambda _context: contacts(workspace), finished=self._loaded,
                           failed=self._failed)

    def _loaded(self, views: list[ContactView]) -> None:
        self.model.set_contacts(views)
        self.loaded = True
        self._show_summary()
        self.loaded_signal.emit()

    def _show_summary(self) -> None:
        from ..operations.mailbox import sender_mismatch

        views = self.model.contacts
        if not views:
            self.summary.setText("")
            return
        without = sum(1 for v in views if not v.addresses)
        strange = sum(1 for v in views if sender_mismatch(v))
        text = t(f"{len(views)} xã", f"{len(views)} communes")
        if without:
            text += t(f", {without} xã chưa có địa chỉ thư", f", {without} without an e-mail address")
        if strange:
            text += t(f", {strange} xã có thư gửi từ địa chỉ lạ", f", {strange} sent from an unknown address")
        self.summary.setText(text + ".")

    def selected(self) -> ContactView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.proxy.object_at(rows[0].row()) if rows else None

    def select_commune(self, code: str) -> None:
        for row in range(self.proxy.rowCount()):
            view = self.proxy.object_at(row)
            if view is not None and view.code == code:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return

    def _selection_changed(self, *_args: object) -> None:
        view = self.selected()
        for edit in self.edits.values():
            edit.setEnabled(view is not None)
        self.save_button.setEnabled(view is not None)
        self.clear_button.setEnabled(view is not None and view.kept)
        if view is None:
            for edit in self.edits.values():
                edit.clear()
            return
        values = {"name": view.name, "position": view.position, "phone": view.phone, "email": view.email,
                  "note": view.note}
        for name, edit in self.edits.items():
            edit.setText(values.get(name) or "")

    def save_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        from ..operations.mailbox import save_contact

        values = {name: edit.text() for name, edit in self.edits.items()}
        workspace, code = self.workspace, view.code
        self.save_button.setEnabled(False)
        self.worker.submit("contact-save", lambda _context: save_contact(workspace, code, values),
                           finished=self._saved, failed=self._failed)

    def clear_selected(self) -> None:
        view = self.selected()
        if view is None or not view.kept:
            return
        from ..operations.mailbox import clear_contact

        workspace, code = self.workspace, view.code
        self.worker.submit("contact-clear", lambda _context: clear_contact(workspace, code), finished=self._saved,
                           failed=self._failed)

    def _saved(self, view: ContactView) -> None:
        self.model.replace(view)
        self._selection_changed()
        self._show_summary()
        self.saved.emit(view)

    def _failed(self, code: str, message: str) -> None:
        self._selection_changed()
        QMessageBox.warning(self, t("Chưa lưu liên hệ", "Contact not saved"), f"{message} ({code})")


__all__ = ["ContactsDialog", "MailSettingsDialog", "MailboxDialog", "MessagesModel", "message_html"]
