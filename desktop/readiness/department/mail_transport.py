"""Connections to the department's mail servers: IMAP (reading the mailbox) and SMTP submission (the
replies), with every failure turned into a Vietnamese message saying what failed and what to do.

Standard library only (``imaplib``, ``smtplib``, ``ssl``); TLS is verified with
:func:`readiness.department.mail_settings.tls_context`.
"""

from __future__ import annotations

import imaplib
import re
import smtplib
import socket
import ssl
from typing import TYPE_CHECKING

from ..store.db import StoreError

if TYPE_CHECKING:
    from .mail_settings import MailSettings

TIMEOUT = 60.0  # seconds, each network operation


def _reason(error: BaseException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return error.verify_message or str(error)
    if isinstance(error, socket.timeout | TimeoutError):
        return "hết thời gian chờ"
    if isinstance(error, ConnectionRefusedError):
        return "máy chủ từ chối kết nối: dịch vụ không chạy hoặc sai cổng"
    if isinstance(error, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]


def connection_error(what: str, host: str, port: int, error: BaseException) -> StoreError:
    """The Vietnamese message for a failure to reach or talk to a server."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return StoreError("E-MAIL-TLS", f"Không xác thực được chứng chỉ TLS của máy chủ {what} {host}:{port} "
                          f"({_reason(error)}); chương trình không gửi mật khẩu khi chưa xác thực được máy chủ. Nếu máy "
                          "chủ thư của Sở dùng chứng chỉ nội bộ: lấy tệp chứng chỉ CA (.pem) từ bộ phận CNTT và đặt "
                          "readiness inbox setup --ca-file TỆP.pem; kiểm tra tên máy chủ đúng như trên chứng chỉ.")
    if isinstance(error, ssl.SSLError):
        return StoreError("E-MAIL-TLS", f"Không thiết lập được kết nối TLS với máy chủ {what} {host}:{port} "
                          f"({_reason(error)}). Kiểm tra cổng và kiểu bảo mật (IMAPS 993 là «ssl», 143 là «starttls»; "
                          "SMTP 587 là «starttls», 465 là «ssl»).")
    return StoreError("E-MAIL-CONNECT", f"Không kết nối được máy chủ {what} {host}:{port} ({_reason(error)}). Kiểm tra "
                      "mạng, địa chỉ và cổng trong thiết lập hộp thư; nếu vẫn lỗi, hỏi bộ phận CNTT máy chủ thư có đang "
                      "hoạt động không. Chạy lại sau: thư đã xử lý không bị xử lý lại.")


def _imap_text(error: BaseException) -> str:
    text = str(error.args[0] if error.args else error)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return " ".join(text.split())[:300]


def open_imap(settings: MailSettings, password: str) -> imaplib.IMAP4:
    """Connected, TLS verified, logged in."""
    from .mail_settings import tls_context

    context = tls_context(settings)
    host, port = settings.imap_host, settings.imap_port
    imap: imaplib.IMAP4
    try:
        if settings.imap_security == "ssl":
            imap = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=TIMEOUT)
        else:
            imap = imaplib.IMAP4(host, port, timeout=TIMEOUT)
            try:
                imap.starttls(ssl_context=context)
            except BaseException:
                _close_imap(imap)
                raise
    except (OSError, imaplib.IMAP4.error) as error:
        if isinstance(error, imaplib.IMAP4.error):
            raise StoreError("E-MAIL-TLS", f"Máy chủ IMAP {host}:{port} không cho nâng cấp kết nối lên TLS "
                             f"(STARTTLS: {_imap_text(error)}); chọn kiểu «ssl» hoặc cổng khác.") from None
        raise connection_error("IMAP", host, port, error) from None
    try:
        imap.login(settings.user, password)
    except imaplib.IMAP4.error as error:
        _close_imap(imap)
        raise StoreError("E-MAIL-LOGIN", f"Máy chủ IMAP {host} từ chối đăng nhập tài khoản {settings.user} "
                         f"({_imap_text(error)}). Kiểm tra tên tài khoản và mật khẩu (readiness inbox setup --password "
                         "để lưu lại mật khẩu).") from None
    except OSError as error:
        _close_imap(imap)
        raise connection_error("IMAP", host, port, error) from None
    return imap


def _close_imap(imap: imaplib.IMAP4) -> None:
    try:
        imap.shutdown()
    except Exception:  # noqa: BLE001
        pass


def close_imap(imap: imaplib.IMAP4) -> None:
    try:
        if imap.state == "SELECTED":
            imap.close()
        imap.logout()
    except Exception:  # noqa: BLE001 - the connection may already be gone
        _close_imap(imap)


def open_smtp(settings: MailSettings, password: str) -> smtplib.SMTP:
    """Connected to the submission server, TLS verified (STARTTLS required, never skipped), logged in."""
    from .mail_settings import tls_context

    context = tls_context(settings)
    host, port = settings.smtp_server, settings.smtp_port
    try:
        if settings.smtp_security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
            try:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise StoreError("E-MAIL-TLS", f"Máy chủ SMTP {host}:{port} không hỗ trợ STARTTLS: chương trình không "
                                     "gửi mật khẩu qua kết nối không mã hoá. Kiểm tra cổng (587) hoặc chọn «ssl» (465).")
                smtp.starttls(context=context)
                smtp.ehlo()
            except BaseException:
                smtp.close()
                raise
    except (OSError, smtplib.SMTPException) as error:
        if isinstance(error, smtplib.SMTPException) and not isinstance(error, smtplib.SMTPServerDisconnected):
            raise StoreError("E-MAIL-CONNECT", f"Máy chủ SMTP {host}:{port} trả lời bất thường ({_reason(error)}).") from None
        raise connection_error("SMTP", host, port, error) from None
    try:
        smtp.login(settings.smtp_account, password)
    except smtplib.SMTPAuthenticationError as error:
        smtp.close()
        raise StoreError("E-MAIL-LOGIN", f"Máy chủ SMTP {host} từ chối đăng nhập tài khoản {settings.smtp_account} "
                         f"({error.smtp_code} {_smtp_text(error.smtp_error)}). Kiểm tra tài khoản và mật khẩu.") from None
    except (OSError, smtplib.SMTPException) as error:
        smtp.close()
        raise connection_error("SMTP", host, port, error) from None
    return smtp


def _smtp_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:300]


def close_smtp(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:  # noqa: BLE001
        smtp.close()


def refusal_text(error: smtplib.SMTPException) -> tuple[str, bool]:
    """(what the server said, whether trying again later may work: a 4xx answer or a dropped line)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = []
        temporary = True
        for address, (code, message) in error.recipients.items():
            parts.append(f"{address}: {code} {_smtp_text(message)}")
            temporary = temporary and 400 <= code < 500
        return "; ".join(parts), temporary
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "máy chủ ngắt kết nối", True
    answer_code: int | None = None
    answer: bytes | str = str(error)
    if isinstance(error, smtplib.SMTPResponseException):   # the server's answer: a code and its text
        answer_code, answer = error.smtp_code, error.smtp_error or str(error)
    return (f"{answer_code or ''} {_smtp_text(answer)}".strip(),
            bool(answer_code and 400 <= answer_code < 500))


# -- IMAP folder names (RFC 3501 modified UTF-7) ------------------------------------------------------


def imap_utf7(name: str) -> str:
    """A folder name as IMAP writes it («Đã xử lý» -> «&ARA-+ALM- x&Hs0- l&Hvk-»-like; ASCII unchanged)."""
    import base64

    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def quoted(name: str) -> str:
    """A mailbox name as an IMAP command argument."""
    encoded = imap_utf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


__all__ = ["TIMEOUT", "close_imap", "close_smtp", "connection_error", "imap_utf7", "open_imap", "open_smtp", "quoted",
           "refusal_text"]
