"""Collecting submissions from the official mailbox (issue 18): ``readiness inbox fetch``.

Each message of the folder not yet processed is looked at once:

- larger than the set limit: not downloaded (only its headers); the sender is told to send the
  workbook alone, or by other means;
- no workbook (nor PDF) attached: listed and left alone (no reply, not flagged);
- otherwise every attachment is saved (under a name of our own making: never a path the sender chose)
  and goes through the same importer and checks as a folder import (:func:`.importer.import_paths`:
  worker processes, hostile files refused the same way, one transaction per file);
- the sender gets one reply: the receipt (the PDF of :mod:`.receipt` attached, signed when the
  department has a signing identity and its secret is at hand), or the refusal (each reason, where,
  what to do), or the notice that a new revision is held for the department's decision;
- the message is flagged (``\\Seen`` and :data:`.mail_settings.FLAG`) or moved to a folder.

``mail_messages`` records message-id -> files -> import results -> reply, so a message is imported
once and answered once across runs and crashes: the record is made before the import (a run killed
mid-import redoes the import on the next run; the files already stored are reported as already
imported and count as accepted); the reply's Message-ID is chosen and kept before it is sent, it
is marked *sending* just before and *sent* just after, and a copy goes to the sent folder; a run that
finds a reply left *sending* looks for that Message-ID in the sent folder before sending again.
Replies refused by the server (a mailbox full) stay to send and are tried again by the next run.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import imaplib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError

if TYPE_CHECKING:
    from ..service import Workspace
    from .mail_settings import MailSettings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
WORKBOOK_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel",
                  "application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.oasis.opendocument.spreadsheet")
ACCEPTED = ("imported", "updated", "duplicate")
MAX_REPLY_ATTEMPTS = 3  # runs in which the server refused a reply, before it is left to be sent by hand
BATCH = 32  # messages downloaded, then imported together (one pool of checking processes)
MAX_ATTACHMENTS = 20  # attachments of one message looked at; more are listed as skipped
HEADER_FIELDS = "(MESSAGE-ID FROM REPLY-TO SUBJECT DATE)"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

OUTCOME_LABELS = {
    "accepted": "Đã tiếp nhận",
    "refused": "Bị từ chối",
    "held": "Giữ lại chờ Sở quyết định",
    "none": "Không có tệp để nhập",
    "pending": "Đang xử lý",
}
REPLY_LABELS = {
    "sent": "đã gửi thư trả lời",
    "pending": "thư trả lời chưa gửi (sẽ gửi ở lần nhận sau)",
    "sending": "thư trả lời đang gửi dở (lần sau kiểm tra thư mục đã gửi)",
    "failed": "máy chủ từ chối thư trả lời (sẽ thử lại ở lần nhận sau)",
    "manual": "cần gửi lại bằng tay (máy chủ đã từ chối nhiều lần)",
    "none": "không trả lời",
}


# -- the report -----------------------------------------------------------------------------------------


@dataclass
class MessageOutcome:
    """What became of one message (the CLI prints it, the window lists it)."""

    key: str
    uid: int | None
    sender: str | None
    subject: str | None
    size: int | None
    state: str  # imported / no_attachment / too_large / received (interrupted)
    outcome: str | None
    files: list[dict[str, Any]] = field(default_factory=list)
    commune_code: str | None = None
    period: str | None = None
    sender_known: bool | None = None
    note: str | None = None
    reply_status: str | None = None
    reply_error: str | None = None
    seen_before: bool = False
    id: int | None = None  # the record's number (``readiness inbox list``, ``inbox retry``)
    reply_attempts: int = 0

    @property
    def label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "pending", self.outcome or "")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "uid": self.uid, "sender": self.sender, "subject": self.subject, "size": self.size,
                "state": self.state, "outcome": self.outcome, "files": self.files, "commune": self.commune_code,
                "period": self.period, "sender_known": self.sender_known, "note": self.note,
                "reply": {"status": self.reply_status, "error": self.reply_error, "attempts": self.reply_attempts},
                "seen_before": self.seen_before}


@dataclass
class FetchReport:
    folder: str
    messages: list[MessageOutcome] = field(default_factory=list)
    replies: list[MessageOutcome] = field(default_factory=list)  # replies of earlier runs finished now
    cancelled: bool = False
    not_done: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    on_message: Callable[[MessageOutcome], None] | None = field(default=None, repr=False, compare=False)

    def add(self, message: MessageOutcome) -> None:
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)

    def add_reply(self, message: MessageOutcome) -> None:
        self.replies.append(message)
        if self.on_message is not None:
            self.on_message(message)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for message in self.messages:
            if not message.seen_before:
                out[message.outcome or "pending"] = out.get(message.outcome or "pending", 0) + 1
        return out

    @property
    def replies_sent(self) -> int:
        return sum(1 for m in self.messages + self.replies if m.reply_status == "sent" and not m.seen_before) + \
            sum(1 for m in self.replies if m.reply_status == "sent")

    @property
    def ok(self) -> bool:
        return not self.cancelled and all(m.outcome in ("accepted", "none") and m.reply_status in ("sent", "none", None)
                                          for m in self.messages + self.replies)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "folder": self.folder, "cancelled": self.cancelled, "not_done": self.not_done,
                "seconds": round(self.seconds, 2), "counts": self.counts,
                "messages": [m.to_json() for m in self.messages], "replies": [m.to_json() for m in self.replies],
                "notes": self.notes}


def outcome_of(record: Any, *, seen_before: bool = False) -> MessageOutcome:
    return MessageOutcome(record.message_key, record.uid, record.sender, record.subject, record.size, record.state,
                          record.outcome, list(record.files), record.commune_code, record.period, record.sender_known,
                          record.note, record.reply_status, record.reply_error, seen_before, record.id,
                          record.reply_attempts)


# -- reading messages -------------------------------------------------------------------------------------


@dataclass
class Envelope:
    uid: int
    size: int
    message_id: str | None
    sender: str | None
    sender_name: str | None
    reply_address: str | None
    subject: str | None
    sent_at: dt.datetime | None

    @property
    def key(self) -> str | None:
        return f"mid:{self.message_id}"[:300] if self.message_id else None


def _header(message: Any, name: str) -> Any:
    try:
        return message[name]
    except Exception:  # noqa: BLE001 - a malformed header from outside: treated as absent
        return None


def _first_address(header: Any) -> tuple[str | None, str | None]:
    try:
        addresses = getattr(header, "addresses", ()) or ()
        for address in addresses:
            spec = address.addr_spec
            if spec and "@" in spec and not any(ch in spec for ch in "\r\n\t <>\"'\\,;"):
                return spec.lower(), (address.display_name or None)
    except Exception:  # noqa: BLE001
        pass
    return None, None


def _message_id(header: Any) -> str | None:
    if header is None:
        return None
    text = " ".join(str(header).split())
    match = re.search(r"<[^<>\s]{1,250}>", text)
    return match.group(0) if match else (text[:250] or None)


def envelope(uid: int, size: int, head: bytes) -> Envelope:
    message = email.message_from_bytes(head, policy=email.policy.default)
    sender, name = _first_address(_header(message, "From"))
    reply_to, _ = _first_address(_header(message, "Reply-To"))
    subject = _header(message, "Subject")
    sent_at = None
    date = _header(message, "Date")
    try:
        sent_at = date.datetime if date is not None else None
    except Exception:  # noqa: BLE001
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=dt.UTC)
    from ..text import clean

    return Envelope(uid, size, _message_id(_header(message, "Message-ID")), sender, clean(name)[:200] if name else None,
                    reply_to or sender, clean(str(subject))[:500] if subject is not None else None, sent_at)


_FETCH_LINE = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)")


def _fetched(data: list[Any]) -> list[tuple[int, int, bytes]]:
    """(uid, size, literal) of each message in a UID FETCH answer."""
    out: list[tuple[int, int, bytes]] = []
    for item in data:
        if not isinstance(item, tuple):
            continue
        uid = size = None
        for match in _FETCH_LINE.finditer(item[0]):
            if match.group(1):
                uid = int(match.group(1))
            elif match.group(2):
                size = int(match.group(2))
        if uid is not None:
            out.append((uid, size or 0, item[1] or b""))
    return out


def _ok(answer: tuple[str, Any], what: str) -> Any:
    typ, data = answer
    if typ != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")[:300]
        raise StoreError("E-MAIL-SERVER", f"Máy chủ IMAP trả lời lỗi khi {what} ({detail}).")
    return data


@dataclass
class Attachment:
    index: int
    name: str  # as the sender named it (cleaned), for messages
    safe_name: str  # ours, on disk
    content_type: str
    data: bytes
    kind: str  # workbook / pdf / other


def safe_file_name(name: str, index: int) -> str:
    """A name of our own from the one the sender gave: no folders, no control characters, no leading dot,
    ASCII, bounded; the index keeps two attachments of one message apart."""
    from ..text import slugify

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
    stem_slug = slugify(stem or "tep-dinh-kem", 80)
    return f"{index:02d}_{stem_slug}" + (f".{ext}" if ext else "")


def attachments(message: EmailMessage) -> list[Attachment]:
    from ..text import clean, printable

    found: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            name = part.get_filename()
        except Exception:  # noqa: BLE001 - a malformed parameter
            name = None
        disposition = (part.get_content_disposition() or "").lower()
        if not name and disposition != "attachment":
            continue
        name = clean(printable(str(name or "tep-dinh-kem")))[:200] or "tep-dinh-kem"
        content_type = part.get_content_type().lower()
        try:
            payload = part.get_payload(decode=True)   # a leaf part decodes to bytes, or None
        except Exception:  # noqa: BLE001
            payload = None
        data = payload if isinstance(payload, bytes) else b""
        lower = name.lower()
        if lower.endswith(WORKBOOK_EXTENSIONS) or content_type in WORKBOOK_TYPES:
            kind = "workbook"
        elif lower.endswith(".pdf") or content_type == "application/pdf":
            kind = "pdf"
        else:
            kind = "other"
        index = len(found) + 1
        found.append(Attachment(index, name, safe_file_name(name, index), content_type, data, kind))
    return found


# -- the run ------------------------------------------------------------------------------------------------


class _Run:
    def __init__(self, workspace: Workspace, settings: MailSettings, password: str, *, jobs: int | None,
                 reply: bool, signer: Any, cancel: Event | None, today: dt.date | None):
        self.workspace = workspace
        self.store = workspace.store
        self.settings = settings
        self.password = password
        self.jobs = jobs
        self.reply = reply
        self.signer = signer
        self.cancel = cancel
        self.today = today
        self.imap: imaplib.IMAP4 | None = None
        self.smtp: Any = None
        self.smtp_error: StoreError | None = None
        self.folder = settings.folder
        self.handled_replies: set[str] = set()
        self.notes: list[str] = []
        self._sent_ready = False
        self._processed_ready = False

    # -- connections
    def connect(self, folder: str) -> None:
        from .mail_transport import open_imap, quoted

        self.imap = open_imap(self.settings, self.password)
        self.folder = folder
        typ, data = self.imap.select(quoted(folder))
        if typ != "OK":
            raise StoreError("E-MAIL-FOLDER", f"Không mở được thư mục «{folder}» của hộp thư {self.settings.user} "
                             f"({_text(data)}): kiểm tra tên thư mục (mặc định INBOX).")

    def close(self) -> None:
        from .mail_transport import close_imap, close_smtp

        if self.smtp is not None:
            close_smtp(self.smtp)
            self.smtp = None
        if self.imap is not None:
            close_imap(self.imap)
            self.imap = None

    def _smtp(self) -> Any:
        from .mail_transport import open_smtp

        if self.smtp_error is not None:
            raise self.smtp_error
        if self.smtp is None:
            try:
                self.smtp = open_smtp(self.settings, self.password)
            except StoreError as error:
                self.smtp_error = error
                self.notes.append(error.message)
                raise
        return self.smtp

    def _imap(self) -> imaplib.IMAP4:
        """The open connection; the folder's steps run only after :meth:`connect`."""
        if self.imap is None:
            raise RuntimeError("the mailbox is not connected: connect() first")
        return self.imap

    # -- the folder
    def search(self, since: dt.date | None) -> list[int]:
        from .mail_settings import FLAG

        criteria = ["UNKEYWORD", FLAG, "UNDELETED"]
        if since is not None:
            criteria += ["SINCE", f"{since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}"]
        data = _ok(self._imap().uid("SEARCH", *criteria), "tìm thư")
        return sorted(int(uid) for uid in (data[0] or b"").split())

    def envelopes(self, uids: list[int]) -> list[Envelope]:
        out: list[Envelope] = []
        for start in range(0, len(uids), 200):
            chunk = ",".join(str(uid) for uid in uids[start:start + 200])
            data = _ok(self._imap().uid("FETCH", chunk, f"(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS {HEADER_FIELDS}])"),
                       "đọc tiêu đề thư")
            out.extend(envelope(uid, size, head) for uid, size, head in _fetched(data))
        out.sort(key=lambda e: e.uid)
        return out

    def download(self, uid: int) -> bytes:
        data = _ok(self._imap().uid("FETCH", str(uid), "(UID BODY.PEEK[])"), "tải thư")
        for _uid, _size, raw in _fetched(data):
            return raw
        raise StoreError("E-MAIL-SERVER", f"Thư UID {uid} không còn trong thư mục (đã bị xoá hoặc chuyển đi?).")

    def mark_processed(self, record: Any) -> Any:
        from ..store.mailbox import update_message
        from .mail_settings import FLAG
        from .mail_transport import quoted

        if record.uid is None or record.mailbox_done:
            return record
        flags = f"(\\Seen {FLAG}" + (" \\Answered" if record.reply_status == "sent" else "") + ")"
        uid = str(record.uid)
        imap = self._imap()
        _ok(imap.uid("STORE", uid, "+FLAGS", flags), "gắn cờ thư đã xử lý")
        if self.settings.processed == "move":
            target = self.settings.processed_folder
            if not self._processed_ready:
                imap.create(quoted(target))  # NO when it exists: fine
                self._processed_ready = True
            # imaplib keeps the server's capabilities as upper-case str words
            if "MOVE" in imap.capabilities:
                _ok(imap.uid("MOVE", uid, quoted(target)), f"chuyển thư sang «{target}»")
            else:
                _ok(imap.uid("COPY", uid, quoted(target)), f"chép thư sang «{target}»")
                _ok(imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)"), "đánh dấu xoá thư đã chép")
                imap.expunge()
        return update_message(self.store, record.message_key, {"mailbox_done": True}) or record

    # -- replies
    def in_sent_folder(self, message_id: str) -> bool:
        from .mail_transport import quoted

        folder = self.settings.sent_folder
        if not folder or self.imap is None:
            return False
        typ, _ = self.imap.select(quoted(folder), readonly=True)
        try:
            if typ != "OK":
                return False
            typ, data = self.imap.uid("SEARCH", "HEADER", "Message-ID", message_id.strip("<>"))
            return typ == "OK" and bool((data[0] or b"").split())
        finally:
            self.imap.select(quoted(self.folder))

    def keep_copy(self, data: bytes) -> None:
        from .mail_transport import quoted

        folder = self.settings.sent_folder
        if not folder or self.imap is None:
            return
        stamp = imaplib.Time2Internaldate(time.time())
        typ, answer = self.imap.append(quoted(folder), "(\\Seen)", stamp, data)
        if typ != "OK" and not self._sent_ready:
            self.imap.create(quoted(folder))
            typ, answer = self.imap.append(quoted(folder), "(\\Seen)", stamp, data)
        self._sent_ready = True
        if typ != "OK":
            self.notes.append(f"Không lưu được bản sao thư trả lời vào thư mục «{folder}» ({_text(answer)}).")

    def send_reply(self, record: Any) -> Any:
        """Send ``record``'s reply once; returns the record as it now stands."""
        from email.utils import make_msgid

        from ..store.mailbox import update_message
        from .mail_reply import build_reply
        from .mail_transport import refusal_text

        self.handled_replies.add(record.message_key)
        if record.reply_status not in ("pending", "sending", "failed") or not record.reply_address:
            return record
        if record.reply_status == "sending":  # an earlier run stopped while sending
            if record.reply_message_id and self.in_sent_folder(record.reply_message_id):
                return update_message(self.store, record.message_key, {"reply_status": "sent", "reply_error": None,
                                                                       "replied_at": dt.datetime.now(dt.UTC)}) or record
        if not record.reply_message_id:
            domain = self.settings.sender.rpartition("@")[2] or None
            record = update_message(self.store, record.message_key, {"reply_message_id": make_msgid(domain=domain)}) \
                or record
        try:
            message = build_reply(self.workspace, self.settings, record, signer=self.signer)
        except StoreError as error:
            return self.reply_refused(record, "failed", error.message)
        try:
            smtp = self._smtp()
        except StoreError as error:
            return update_message(self.store, record.message_key, {"reply_error": error.message}) or record
        previous = record.reply_status
        marked = update_message(self.store, record.message_key, {"reply_status": "sending"},
                                only_if={"reply_status": previous})
        if marked is None:  # another run took it
            return record
        data = message.as_bytes()
        try:
            smtp.send_message(message, from_addr=self.settings.sender, to_addrs=[record.reply_address])
        except Exception as error:  # noqa: BLE001 - smtplib's and the socket's
            import smtplib

            if isinstance(error, smtplib.SMTPException):
                text, temporary = refusal_text(error)
            else:
                text, temporary = " ".join(str(error).split())[:300] or type(error).__name__, True
            if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                self.smtp = None
            why = (f"Máy chủ SMTP không nhận thư trả lời tới {record.reply_address} ({text}). "
                   + ("Có thể hộp thư người nhận đã đầy hoặc địa chỉ không còn dùng: liên hệ xã qua điện thoại. "
                      if not temporary else ""))
            return self.reply_refused(record, "pending" if temporary else "failed", why)
        # recorded as sent as soon as the server has taken it, before the Sent copy's round trips: a program that
        # dies while keeping the copy does not send the reply again at the next fetch
        sent = update_message(self.store, record.message_key, {"reply_status": "sent", "reply_error": None,
                                                               "replied_at": dt.datetime.now(dt.UTC)}) or record
        self.keep_copy(data)
        return sent

    def reply_refused(self, record: Any, status: str, why: str) -> Any:
        """Count a refused reply; after :data:`MAX_REPLY_ATTEMPTS` refusals it is no longer tried: it is listed
        as «cần gửi lại bằng tay» (``manual``) until someone sends it by other means or asks for a new try."""
        from ..store.mailbox import update_message

        attempts = record.reply_attempts + 1
        if attempts >= MAX_REPLY_ATTEMPTS:
            status = "manual"
            why += (f" Đã thử {attempts} lần, không gửi tự động nữa: cần gửi lại bằng tay (gọi điện hoặc gửi từ "
                    "hộp thư của Sở), hoặc sửa địa chỉ rồi chọn «Gửi lại thư trả lời».")
        else:
            why += " Lần nhận thư sau sẽ gửi lại."
        return update_message(self.store, record.message_key, {"reply_status": status, "reply_error": why,
                                                               "reply_attempts": attempts}) or record

    # -- one batch
    def attachment_folder(self, key: str, when: dt.datetime | None) -> Path:
        from ..paths import user_data_dir

        root = Path(self.settings.attachments_dir) if self.settings.attachments_dir else user_data_dir() / "thu-cong-vu"
        day = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        return root / f"{day:%Y-%m}" / f"{day:%Y%m%d}_{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    def process(self, batch: list[Envelope], existing: dict[str, Any], report: FetchReport,
                progress: Callable[[str], None]) -> None:
        from ..store.mailbox import begin_message, mail_record

        prepared: list[tuple[Any, list[Attachment], list[Path]]] = []
        for env in batch:
            key = env.key
            record = existing.get(key) if key else None
            raw: bytes | None = None
            if record is None and env.size <= self.settings.max_bytes:
                raw = self.download(env.uid)
                if key is None:
                    key = "sha256:" + hashlib.sha256(raw).hexdigest()
                    record = mail_record(self.store, key)
            if key is None:
                key = f"uid:{self.settings.user}:{self.folder}:{env.uid}:{env.size}"[:300]
                record = record or mail_record(self.store, key)
            if record is not None and record.state != "received":
                self.finish_known(record, report, env)
                progress(env.subject or env.sender or "")
                continue
            base = {"message_key": key, "message_id": env.message_id, "account": self.settings.user,
                    "folder": self.folder, "uid": env.uid, "sender": env.sender, "sender_name": env.sender_name,
                    "reply_address": env.reply_address, "subject": env.subject, "sent_at": env.sent_at,
                    "size": env.size}
            if record is None and env.size > self.settings.max_bytes:
                limit = self.settings.max_message_mb
                record, _ = begin_message(self.store, {
                    **base, "state": "too_large", "outcome": "refused", "reply_kind": "refusal",
                    "reply_status": "pending" if self.reply else "none",
                    "note": f"Thư {_mb(env.size)} lớn hơn giới hạn {limit} MB: không tải về."})
                self.finish_new(record, report)
                progress(env.subject or env.sender or "")
                continue
            if raw is None:
                raw = self.download(env.uid)
            message = email.message_from_bytes(raw, policy=email.policy.default)
            found = attachments(message)
            workbooks = [a for a in found if a.kind == "workbook"]
            to_import = workbooks or [a for a in found if a.kind == "pdf"]
            if not to_import:
                listed = [{"file": a.name, "status": "skipped", "errors": [
                    {"code": "E-IMPORT-SKIPPED", "message": "Không phải bảng tính: bỏ qua."}]} for a in found]
                record, _ = begin_message(self.store, {**base, "state": "no_attachment", "outcome": "none",
                                                       "reply_status": "none", "files": listed,
                                                       "note": "Thư không có tệp Excel hay PDF đính kèm: để nguyên."})
                report.add(outcome_of(record))
                progress(env.subject or env.sender or "")
                continue
            if record is None:
                record, _new = begin_message(self.store, {**base, "state": "received"})
            folder = self.attachment_folder(key, env.sent_at)
            folder.mkdir(parents=True, exist_ok=True)
            paths: list[Path] = []
            for attachment in found[:MAX_ATTACHMENTS]:
                path = folder / attachment.safe_name
                path.write_bytes(attachment.data)
                if attachment in to_import:
                    paths.append(path.absolute())
            prepared.append((record, found, paths))
        if not prepared:
            return
        from .importer import import_paths

        results: dict[str, Any] = {}
        imported = import_paths(self.workspace, [p for _, _, paths in prepared for p in paths], jobs=self.jobs,
                                today=self.today, cancel=self.cancel,
                                on_result=lambda result: results.__setitem__(result.file, result))
        for record, found, paths in prepared:
            if any(str(path) not in results for path in paths):  # cancelled before this message was imported
                report.add(outcome_of(record))
                continue
            record = self.record_results(record, found, paths, results)
            self.finish_new(record, report)
            progress(record.subject or record.sender or "")
        if imported.cancelled:
            report.cancelled = True

    def record_results(self, record: Any, found: list[Attachment], paths: list[Path],
                       results: dict[str, Any]) -> Any:
        from ..store.mailbox import update_message

        by_name = {path.name: results[str(path)] for path in paths}
        files: list[dict[str, Any]] = []
        for attachment in found:
            result = by_name.get(attachment.safe_name)
            if result is None:
                why = ("Tệp PDF gửi kèm tệp Excel: lưu lại, không nhập." if attachment.kind == "pdf"
                       else "Không phải bảng tính: bỏ qua." if attachment.index <= MAX_ATTACHMENTS
                       else f"Thư có hơn {MAX_ATTACHMENTS} tệp đính kèm: bỏ qua.")
                files.append({"file": attachment.name, "status": "skipped",
                              "errors": [{"code": "E-IMPORT-SKIPPED", "message": why}]})
                continue
            data = result.to_json()
            data["file"] = attachment.name
            data["saved_as"] = str(next(p for p in paths if p.name == attachment.safe_name))
            data["sha256"] = result.sha256
            files.append(data)
        statuses = [f["status"] for f in files if f["status"] != "skipped"]
        if any(s in ACCEPTED for s in statuses):
            outcome = "accepted"
        elif any(s == "held" for s in statuses):
            outcome = "held"
        else:
            outcome = "refused"
        chosen = next((f for f in files if f["status"] in ACCEPTED), None) or \
            next((f for f in files if f.get("commune")), None)
        code = chosen.get("commune") if chosen else None
        period = chosen.get("period") if chosen else None
        known, note = self.sender_check(record.sender, code)
        return update_message(self.store, record.message_key, {
            "state": "imported", "outcome": outcome, "files": files, "commune_code": code,
            "period": period if period and re.fullmatch(r"\d{4}-\d{2}", str(period)) else None,
            "sender_known": known, "note": note,
            "reply_kind": {"accepted": "receipt", "held": "held"}.get(outcome, "refusal"),
            "reply_status": "pending" if self.reply else "none"}) or record

    def sender_check(self, sender: str | None, code: str | None) -> tuple[bool | None, str | None]:
        """Is the sender an address known for the commune (kept contact, respondent's e-mail)?  Shown, never
        blocking."""
        if not code or not sender:
            return None, None
        from .contacts import known_addresses

        known = known_addresses(self.workspace, code)
        if not known:
            return None, None
        if sender.lower() in known:
            return True, None
        try:
            name = self.store.commune(code).name
        except Exception:  # noqa: BLE001
            name = code
        return False, (f"Người gửi {sender} không phải địa chỉ đã biết của {name} ({', '.join(sorted(known))}): "
                       "kiểm tra với xã.")

    def finish_new(self, record: Any, report: FetchReport) -> None:
        if self.reply:
            record = self.send_reply(record)
        record = self.mark_processed(record)
        report.add(outcome_of(record))

    def finish_known(self, record: Any, report: FetchReport, env: Envelope) -> None:
        """A message an earlier run recorded (a crash before it was flagged, or flags removed by hand)."""
        if record.state == "no_attachment":
            report.add(outcome_of(record, seen_before=True))
            return
        if self.reply and record.reply_status in ("pending", "sending", "failed"):
            record = self.send_reply(record)
        if record.uid != env.uid:
            from ..store.mailbox import update_message

            record = update_message(self.store, record.message_key, {"uid": env.uid, "folder": self.folder,
                                                                     "mailbox_done": False}) or record
        record = self.mark_processed(record)
        report.add(outcome_of(record, seen_before=True))


def _text(data: Any) -> str:
    parts = [d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in (data or []) if d]
    return " ".join(" ".join(parts).split())[:300]


def _mb(size: int) -> str:
    from ..answers import format_number

    return f"{format_number(round(size / 1024 / 1024, 1))} MB"


def fetch(workspace: Workspace, *, settings: MailSettings | None = None, password: str | None = None,
          folder: str | None = None, since: dt.date | None = None, progress: Progress | None = None,
          cancel: Event | None = None, jobs: int | None = None, reply: bool = True, signer: Any = None,
          today: dt.date | None = None, batch: int = BATCH,
          on_message: Callable[[MessageOutcome], None] | None = None) -> FetchReport:
    """Fetch, import and answer the messages of the department's mailbox (see the module's text).

    ``signer``: an opened signing key (:func:`readiness.signing.keys.open_signer`) for the receipts, or None.
    ``progress(done, total, text)`` after each message; ``cancel`` stops between messages (and the import
    between files): what is done is kept, the next run takes the rest.  Raises :class:`StoreError` when
    the server cannot be reached or refuses the login (nothing is changed then).  ``on_message(outcome)``: each
    message's outcome (and each earlier reply finished now) as soon as it is known (the window's table).
    """
    from ..store.mailbox import mail_messages, mail_records
    from .mail_settings import load_mail_settings, mail_password

    started = time.perf_counter()
    settings = settings or load_mail_settings(workspace.store)
    settings.check()
    password = password if password is not None else mail_password(settings)
    folder = folder or settings.folder
    report = FetchReport(folder, on_message=on_message)
    run = _Run(workspace, settings, password, jobs=jobs, reply=reply, signer=signer, cancel=cancel, today=today)
    try:
        run.connect(folder)
        uids = run.search(since)
        envelopes = run.envelopes(uids)
        existing = mail_records(workspace.store, [e.key for e in envelopes if e.key])
        total = len(envelopes)
        done = 0

        def step(text: str) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total, text)

        if progress:
            progress(0, total, "")
        for start in range(0, total, batch):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            run.process(envelopes[start:start + batch], existing, report, step)
            if report.cancelled:
                break
        report.not_done = total - done
        if reply and not report.cancelled:  # replies an earlier run could not send
            for record in mail_messages(workspace.store, limit=5000):
                if cancel is not None and cancel.is_set():
                    break
                if record.message_key in run.handled_replies or record.reply_status not in ("pending", "sending",
                                                                                            "failed"):
                    continue
                report.add_reply(outcome_of(run.send_reply(record)))
    finally:
        report.notes.extend(run.notes)
        run.close()
    report.seconds = time.perf_counter() - started
    return report


def retry_reply(workspace: Workspace, record_id: int) -> Any:
    """Ask for a new try of a reply given up on (``manual``) or refused: the next fetch sends it.  Returns the
    record; raises :class:`StoreError` when there is no such message or its reply was already sent."""
    from ..store.mailbox import mail_record_by_id, update_message

    record = mail_record_by_id(workspace.store, record_id)
    if record is None:
        raise StoreError("E-MAIL-NO-MESSAGE", f"Không có thư số {record_id} trong danh sách thư đã nhận (readiness "
                         "inbox list).")
    if record.reply_status not in ("manual", "failed", "pending"):
        raise StoreError("E-MAIL-REPLY-STATE", f"Thư số {record_id} «{record.subject or ''}»: "
                         f"{REPLY_LABELS.get(record.reply_status or 'none', record.reply_status)}, không cần gửi lại.")
    return update_message(workspace.store, record.message_key, {"reply_status": "pending", "reply_attempts": 0}) \
        or record


def receipt_key(workspace: Workspace) -> tuple[Any, str | None]:
    """The department's key for the receipts, when set up and its secret is in the environment (a mail run
    asks for nothing): (key or None, a note why the receipts go unsigned or None)."""
    from .signing_identity import SECRET_ENV, load_identity, secret_from_environment

    identity = load_identity(workspace.store)
    if identity is None:
        return None, None
    secret = secret_from_environment()
    if secret is None and identity.kind == "pkcs11":
        return None, (f"Giấy xác nhận gửi kèm không được ký số: chưa có mã PIN của thiết bị ký số (biến môi trường "
                      f"{SECRET_ENV}).")
    return identity.key(secret), None


def check_connection(settings: MailSettings, password: str) -> list[str]:
    """Log in to both servers (nothing is read or sent); what was checked, in Vietnamese."""
    from .mail_transport import close_imap, close_smtp, open_imap, open_smtp

    imap = open_imap(settings, password)
    close_imap(imap)
    lines = [f"IMAP {settings.imap_host}:{settings.imap_port} ({settings.imap_security}): đăng nhập được "
             f"{settings.user}."]
    smtp = open_smtp(settings, password)
    close_smtp(smtp)
    lines.append(f"SMTP {settings.smtp_server}:{settings.smtp_port} ({settings.smtp_security}): đăng nhập được "
                 f"{settings.smtp_account}.")
    return lines


def send_reminders(workspace: Workspace, found: Any, *, settings: MailSettings | None = None,
                   password: str | None = None, progress: Progress | None = None,
                   cancel: Event | None = None) -> list[dict[str, Any]]:
    """E-mail the reminder ``found`` (:func:`.reminder.reminder`) to each commune it names, with the Công văn
    (PDF) attached: to the kept contact's address, else the respondent's, else the last sender's.  Each
    sending is recorded (``mail_reminders``).  One line per commune: {code, commune, address, status, error,
    error_en} (``error`` in Vietnamese, as recorded and as the CLI prints it; ``error_en`` the same in English for
    the window's English mode); a commune without an address also has ``command``, the CLI command that gives it
    one."""
    from email.utils import make_msgid

    from ..exchange.letter import letters_pdf_bytes
    from ..store.mailbox import record_reminder_mail
    from .contacts import contact_views
    from .importer import _user
    from .mail_reply import build_reminder_mail
    from .mail_settings import load_mail_settings, mail_password
    from .mail_transport import close_smtp, open_smtp, refusal_text

    settings = settings or load_mail_settings(workspace.store)
    settings.check()
    password = password if password is not None else mail_password(settings)
    views = {v.code: v for v in contact_views(workspace, [t.commune.code for t in found.targets])}
    pdf = letters_pdf_bytes([found.letter])
    out: list[dict[str, Any]] = []
    smtp = open_smtp(settings, password)
    domain = settings.sender.rpartition("@")[2] or None
    try:
        for index, target in enumerate(found.targets, start=1):
            if cancel is not None and cancel.is_set():
                break
            code = target.commune.code
            addresses = views[code].addresses if code in views else []
            line: dict[str, Any] = {"code": code, "commune": target.commune.name, "group": target.group,
                                    "address": ", ".join(addresses) or None}
            if not addresses:
                # what to do differs by where it is shown: the CLI names its command, the window its dialog
                line.update(status="skipped", error="Chưa có địa chỉ thư điện tử", error_en="No e-mail address yet",
                            command=f"readiness contacts set {code} --email …")
                out.append(line)
                continue
            message_id = make_msgid(domain=domain)
            message = build_reminder_mail(found, target, ", ".join(addresses), settings, pdf=pdf, message_id=message_id)
            try:
                smtp.send_message(message, from_addr=settings.sender, to_addrs=addresses)
                line.update(status="sent", error=None, error_en=None)
            except Exception as error:  # noqa: BLE001
                import smtplib

                text = refusal_text(error)[0] if isinstance(error, smtplib.SMTPException) else str(error)
                text_en = "the server disconnected" if isinstance(error, smtplib.SMTPServerDisconnected) else text
                line.update(status="failed", error=f"Máy chủ SMTP không nhận thư tới {', '.join(addresses)} ({text}).",
                            error_en=f"The SMTP server did not accept the message to {', '.join(addresses)} ({text_en}).")
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    close_smtp(smtp)
                    smtp = open_smtp(settings, password)
            record_reminder_mail(workspace.store, period=found.period, commune_code=code, address=line["address"],
                                 message_id=message_id, status=line["status"], error=line["error"], user=_user())
            out.append(line)
            if progress:
                progress(index, len(found.targets), target.commune.name)
    finally:
        close_smtp(smtp)
    return out


__all__ = ["Attachment", "Envelope", "FetchReport", "MAX_REPLY_ATTEMPTS", "MessageOutcome", "OUTCOME_LABELS",
           "REPLY_LABELS", "attachments", "check_connection", "envelope", "fetch", "outcome_of", "receipt_key",
           "retry_reply", "safe_file_name", "send_reminders"]
