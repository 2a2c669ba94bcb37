"""The official mailbox's settings and credentials (issue 18).

Settings live in the workspace (``meta`` table, keys ``mail.*``, through the Store): the IMAP server
(host, port, TLS from the first byte or STARTTLS, the account), the SMTP submission server (STARTTLS by
default), the address replies come from, the department's own CA file (when its mail server uses a
certificate of its own), the folder to read, what becomes of a processed message (flagged, or moved to a
folder), the largest message downloaded, the folder where a copy of each reply is kept.

The password is never stored in the database or in a file: it is kept in the operating system's keyring
(Windows Credential Manager, macOS Keychain, the Secret Service on Linux; the ``keyring`` library), or
read from an environment variable whose *name* the settings hold (a scheduled task, a server).  TLS
certificates are always verified (the system's trusted CAs, or the CA file set here); there is no switch
to turn verification off.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError

if TYPE_CHECKING:
    from ..store.db import Store

PREFIX = "mail."
KEYRING_SERVICE = "readiness-mailbox"
SECURITY = ("ssl", "starttls")  # ssl: TLS from the first byte (IMAPS 993, SMTPS 465); starttls: upgraded (143, 587)
PROCESSED = ("flag", "move")
FLAG = "$ReadinessDone"  # the IMAP keyword of a processed message (with \Seen)
DEFAULT_MAX_MB = 25


@dataclass(frozen=True)
class MailSettings:
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "ssl"
    user: str = ""
    folder: str = "INBOX"
    processed: str = "flag"  # flag / move
    processed_folder: str = "Da xu ly"
    sent_folder: str = "Sent"  # a copy of each reply ("" keeps none)
    smtp_host: str = ""  # default: the IMAP host
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""  # default: the IMAP account
    from_address: str = ""  # default: the account
    ca_file: str = ""  # the department's own CA certificate (PEM); empty: the system's
    password_env: str = ""  # the name of an environment variable holding the password; empty: the keyring
    max_message_mb: int = DEFAULT_MAX_MB
    attachments_dir: str = ""  # where attachments are kept; empty: the user's data folder

    @property
    def configured(self) -> bool:
        return bool(self.imap_host and self.user)

    @property
    def smtp_server(self) -> str:
        return self.smtp_host or self.imap_host

    @property
    def smtp_account(self) -> str:
        return self.smtp_user or self.user

    @property
    def sender(self) -> str:
        return self.from_address or self.user

    @property
    def max_bytes(self) -> int:
        return self.max_message_mb * 1024 * 1024

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["password_source"] = password_source(self)
        return data

    def check(self) -> None:
        """Refuse settings that cannot work, with what to change."""
        if not self.imap_host or not self.user:
            raise StoreError("E-MAIL-SETTINGS", "Chưa thiết lập hộp thư công vụ: readiness inbox setup --host MÁY_CHỦ "
                             "--user TÀI_KHOẢN (hoặc «Thiết lập hộp thư…» trong cửa sổ của Sở).")
        for name, value in (("--security", self.imap_security), ("--smtp-security", self.smtp_security)):
            if value not in SECURITY:
                raise StoreError("E-MAIL-SETTINGS", f"{name} phải là «ssl» hoặc «starttls» (đang là «{value}»).")
        if self.processed not in PROCESSED:
            raise StoreError("E-MAIL-SETTINGS", f"Thư đã xử lý: «flag» (gắn cờ) hoặc «move» (chuyển thư mục), không phải "
                             f"«{self.processed}».")
        for name, port in (("cổng IMAP", self.imap_port), ("cổng SMTP", self.smtp_port)):
            if not 0 < port < 65536:
                raise StoreError("E-MAIL-SETTINGS", f"{name} {port} không hợp lệ (1–65535).")
        if self.max_message_mb < 1:
            raise StoreError("E-MAIL-SETTINGS", "Giới hạn cỡ thư phải từ 1 MB trở lên.")
        if self.ca_file and not os.path.isfile(self.ca_file):
            raise StoreError("E-MAIL-CA", f"Không thấy tệp chứng chỉ CA «{self.ca_file}»: kiểm tra đường dẫn (tệp .pem "
                             "bộ phận CNTT cấp), hoặc bỏ thiết lập để dùng chứng chỉ của hệ điều hành.")
        if self.password_env and not self.password_env.replace("_", "").isalnum():
            raise StoreError("E-MAIL-SETTINGS", f"Tên biến môi trường «{self.password_env}» không hợp lệ (chỉ chữ, số "
                             "và dấu _).")


_INTS = {f.name for f in fields(MailSettings) if f.type in ("int", int)}


def load_mail_settings(store: Store) -> MailSettings:
    stored = store.settings(PREFIX)
    values: dict[str, Any] = {}
    for f in fields(MailSettings):
        raw = stored.get(PREFIX + f.name)
        if raw is None:
            continue
        if f.name in _INTS:
            try:
                values[f.name] = int(raw)
            except ValueError:
                continue
        else:
            values[f.name] = raw
    return MailSettings(**values)


def save_mail_settings(store: Store, settings: MailSettings) -> MailSettings:
    """Check and keep ``settings`` (one transaction); the password is not among them."""
    settings.check()
    default = MailSettings()
    store.save_settings({PREFIX + f.name: (None if getattr(settings, f.name) == getattr(default, f.name)
                                           else str(getattr(settings, f.name))) for f in fields(MailSettings)})
    return settings


def changed(settings: MailSettings, **values: Any) -> MailSettings:
    """``settings`` with the given fields changed (None: keep)."""
    return replace(settings, **{k: v for k, v in values.items() if v is not None})


# -- the password ---------------------------------------------------------------------------------------


def keyring_user(settings: MailSettings) -> str:
    return f"{settings.user}@{settings.imap_host}"


def password_source(settings: MailSettings) -> str:
    if settings.password_env:
        state = "đã đặt" if settings.password_env in os.environ else "chưa đặt trong phiên này"
        return f"biến môi trường {settings.password_env} ({state})"
    return "kho mật khẩu của hệ điều hành (keyring)"


def _keyring_error(error: Exception, action: str) -> StoreError:
    return StoreError("E-MAIL-KEYRING", f"Không {action} mật khẩu trong kho mật khẩu của hệ điều hành ({error}). Trên "
                      "máy không có kho mật khẩu (máy chủ, tác vụ chạy tự động): đặt mật khẩu vào một biến môi trường "
                      "và ghi tên biến vào thiết lập: readiness inbox setup --password-env TÊN_BIẾN.")


def store_password(settings: MailSettings, password: str) -> None:
    """Keep the password in the OS keyring (never in the database or a file)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_user(settings), password)
    except Exception as error:  # noqa: BLE001 - keyring.errors.* and a backend's own errors
        raise _keyring_error(error, "lưu được") from None


def forget_password(settings: MailSettings) -> bool:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, keyring_user(settings))
        return True
    except Exception:  # noqa: BLE001 - nothing kept, or no keyring
        return False


def mail_password(settings: MailSettings) -> str:
    """The account's password: from the environment variable named in the settings, else the keyring."""
    if settings.password_env:
        value = os.environ.get(settings.password_env)
        if not value:
            raise StoreError("E-MAIL-PASSWORD", f"Biến môi trường {settings.password_env} (mật khẩu hộp thư công vụ) "
                             "chưa được đặt: đặt nó trước khi chạy, hoặc dùng kho mật khẩu: readiness inbox setup "
                             "--password.")
        return value
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, keyring_user(settings))
    except Exception as error:  # noqa: BLE001
        raise _keyring_error(error, "đọc được") from None
    if not value:
        raise StoreError("E-MAIL-PASSWORD", f"Chưa lưu mật khẩu của hộp thư {settings.user}: readiness inbox setup "
                         "--password (được hỏi, không hiện khi gõ), hoặc «Thiết lập hộp thư…» trong cửa sổ của Sở.")
    return value


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    """Certificates verified and the host name checked, always: against the department's CA file when set,
    else the system's trusted CAs."""
    try:
        if settings.ca_file:
            return ssl.create_default_context(cafile=settings.ca_file)
        return ssl.create_default_context()
    except (OSError, ssl.SSLError) as error:
        raise StoreError("E-MAIL-CA", f"Không đọc được tệp chứng chỉ CA «{settings.ca_file}» ({error}): cần tệp PEM "
                         "bộ phận CNTT cấp.") from None


__all__ = ["DEFAULT_MAX_MB", "FLAG", "KEYRING_SERVICE", "MailSettings", "PROCESSED", "SECURITY", "changed",
           "forget_password", "keyring_user", "load_mail_settings", "mail_password", "password_source",
           "save_mail_settings", "store_password", "tls_context"]
