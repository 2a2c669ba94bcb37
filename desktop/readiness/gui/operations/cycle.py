"""The reporting cycle from the department's window: a period's deadline, the reminder letter, the receipts
(what ``readiness period``, ``readiness remind`` and ``readiness receipt`` do).

Qt-free functions the window runs on its :class:`~.runner.Runner`; the requests hold plain values, the
core's options are made here.  The department's signing identity (where its key is) is read and saved
here too; the password or PIN travels only in a request and is dropped once the key is opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...department.cycle import PeriodInfo
    from ...department.receipt import ReceiptFile
    from ...department.reminder import Reminder
    from ...department.signing_identity import SigningIdentity
    from ...service import Workspace


# -- the deadline ---------------------------------------------------------------------------------------


def period_deadline(workspace: Workspace, period: str) -> dt.date | None:
    from ...department.cycle import period_deadline as deadline

    return deadline(workspace, period)


def set_deadline(workspace: Workspace, period: str, deadline: dt.date | None) -> PeriodInfo:
    """Set or clear the period's deadline (one transaction); StoreError when the date is before the period."""
    from ...department.cycle import set_deadline as store

    return store(workspace, period, deadline)


def default_new_deadline(workspace: Workspace, period: str, date: dt.date) -> dt.date:
    """The reminder's deadline when none is chosen: the period's if still ahead, else 5 working days on."""
    from ...department.reminder import WORKING_DAYS, working_days_after

    deadline = period_deadline(workspace, period)
    if deadline is not None and deadline >= date:
        return deadline
    return working_days_after(date, WORKING_DAYS)


# -- the reminder ---------------------------------------------------------------------------------------


@dataclass
class RemindRequest:
    """What ``readiness remind`` takes."""

    period: str
    date: dt.date | None = None
    new_deadline: dt.date | None = None
    number: str = ""
    signer: str | None = None
    docx: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    send: bool = False  # also e-mail the letter (PDF) to each commune from the department's mailbox


@dataclass
class RemindOutcome:
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # missing / refused / held
    without_contact: int = 0
    new_deadline: dt.date | None = None
    reminder: Reminder | None = None
    sent: list[dict[str, Any]] | None = None  # one line per commune (send_reminders); None: not e-mailed
    send_error: tuple[str, str] | None = None  # (code, message): the sending stopped on the server
    cancelled: bool = False  # «Dừng» pressed while sending

    @property
    def not_sent(self) -> list[dict[str, Any]]:
        return [line for line in self.sent or [] if line["status"] != "sent"]

    @property
    def sent_count(self) -> int:
        return sum(1 for line in self.sent or [] if line["status"] == "sent")


def mailbox_sender(workspace: Workspace) -> str | None:
    """The address reminders are sent from when the department's mailbox is set up, else None."""
    from ...department.mail_settings import load_mail_settings

    settings = load_mail_settings(workspace.store)
    return settings.sender if settings.configured else None


def write_remind(workspace: Workspace, request: RemindRequest, progress: Any = None,
                 cancel: Any = None) -> RemindOutcome:
    """Who to chase, the letter and the contact list (StoreError ``E-REMIND-NONE`` when nobody); with
    ``request.send``, the letter e-mailed to each commune as ``readiness remind --send`` does (``cancel``: a
    threading.Event that stops between communes).  The mailbox's password is read as the mailbox dialog reads
    it (the OS keyring or the environment variable the settings name) before anything is written; a server
    that fails while sending leaves the files written and is told in ``send_error``."""
    from ...department.reminder import GROUPS, ReminderOptions, reminder, write_reminder

    report = progress or (lambda *_args: None)
    settings = password = None
    if request.send:
        from ...department.mail_settings import load_mail_settings, mail_password

        settings = load_mail_settings(workspace.store)
        settings.check()
        password = mail_password(settings)
    report(0, 2, "Tìm các xã chưa gửi, có tệp bị từ chối, có bản giữ lại…")
    found = reminder(workspace, request.period, ReminderOptions(
        date=request.date, new_deadline=request.new_deadline, number=request.number, signer_name=request.signer))
    report(1, 2, "Đang ghi công văn đôn đốc…")
    files = write_reminder(found, docx=request.docx, pdf=request.pdf, xlsx=request.xlsx) \
        if (request.docx or request.pdf or request.xlsx) else []
    report(2, 2, "Xong")
    outcome = RemindOutcome(files, {group: len(found.group(group)) for group in GROUPS},
                            sum(1 for target in found.targets if not target.contact.known), found.new_deadline, found)
    if request.send:
        from ...department.mailbox import send_reminders
        from ..i18n import lang
        from .errors import describe_error

        total = len(found.targets)
        report(2, total + 2, "Đang kết nối máy chủ thư…")
        try:
            outcome.sent = send_reminders(
                workspace, found, settings=settings, password=password, cancel=cancel,
                progress=lambda done, _total, name: report(2 + done, total + 2, f"Đã gửi thư tới {name}"))
        except Exception as error:  # noqa: BLE001 - the files are written; the person is told why none went
            outcome.sent = []
            outcome.send_error = describe_error(error, lang())
        finally:
            password = None
        outcome.cancelled = bool(cancel is not None and cancel.is_set() and len(outcome.sent) < total)
    return outcome


# -- the receipts ---------------------------------------------------------------------------------------


@dataclass
class ReceiptRequest:
    """What ``readiness receipt`` takes; ``identity`` and ``secret``: sign with this key (None: unsigned)."""

    period: str
    folder: Path
    codes: tuple[str, ...] = ()
    one_file: bool = False
    date: dt.date | None = None
    number: str = ""
    signer: str | None = None
    identity: SigningIdentity | None = None
    secret: str | None = field(default=None, repr=False)


def write_receipts(workspace: Workspace, request: ReceiptRequest, progress: Any = None,
                   cancelled: Any = None) -> list[ReceiptFile]:
    """The receipts into the folder, signed when an identity is given (the secret is dropped after use)."""
    from ...department.receipt import ReceiptOptions, issue_receipts

    report = progress or (lambda *_args: None)
    report(0, 1, "Tổng hợp các bản đã tiếp nhận…")
    key = None
    if request.identity is not None:
        from ...department.signing_identity import secret_from_environment

        key = request.identity.key(request.secret or secret_from_environment())
    request.secret = None
    try:
        return issue_receipts(
            workspace, request.period, request.folder,
            ReceiptOptions(date=request.date, number=request.number, signer_name=request.signer, codes=request.codes),
            one_file=request.one_file, key=key,
            progress=lambda done, total, name: report(done, total, f"Đang ghi giấy xác nhận cho {name}…"),
            cancelled=cancelled)
    finally:
        if key is not None:
            for name in ("password", "pin"):
                if hasattr(key, name):
                    setattr(key, name, None)


def received_communes(workspace: Workspace, period: str) -> list[tuple[str, str]]:
    """(code, name) of the communes of the home province with a submission received through a file."""
    from ...document_settings import load_settings
    from ...store.cycle import submissions

    settings = load_settings(workspace.store)
    communes = workspace.store.communes(None, settings.home_province)
    with_file = {r.commune_code for r in submissions(workspace.store, period, [c.code for c in communes])
                 if r.origin == "import" and r.file_sha256}
    return [(c.code, c.name) for c in communes if c.code in with_file]


def signing_identity(workspace: Workspace) -> SigningIdentity | None:
    from ...department.signing_identity import load_identity

    return load_identity(workspace.store)


def save_signing_identity(workspace: Workspace, kind: str, path: str) -> SigningIdentity | None:
    """Store where the department's key is (``kind`` pkcs12 / pkcs11; an empty path clears it)."""
    from ...department.signing_identity import SigningIdentity, save_identity

    if not path.strip():
        return save_identity(workspace.store, None)
    return save_identity(workspace.store, SigningIdentity(kind, path.strip()))


def secret_in_environment() -> bool:
    from ...department.signing_identity import secret_from_environment

    return secret_from_environment() is not None


__all__ = ["ReceiptRequest", "RemindOutcome", "RemindRequest", "default_new_deadline", "mailbox_sender",
           "period_deadline", "received_communes", "save_signing_identity", "secret_in_environment", "set_deadline",
           "signing_identity", "write_receipts", "write_remind"]
