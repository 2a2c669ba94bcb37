"""The official mailbox from the department's window (issue 18): what ``readiness inbox`` and
``readiness contacts`` do, as Qt-free functions the window runs on its :class:`~.runner.Runner`.

- :func:`fetch_mail`: fetch, import and answer (``inbox fetch``), each message's outcome streamed;
- :func:`mail_settings`, :func:`save_mail_settings`, :func:`check_mail`: the settings dialog;
- :func:`recent_messages`, :func:`retry_reply`: the messages already received, a reply given up on;
- :func:`contacts`, :func:`save_contact`, :func:`clear_contact`: each commune's contact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...department.contacts import ContactView
    from ...department.mail_settings import MailSettings
    from ...department.mailbox import FetchReport, MessageOutcome
    from ...service import Workspace
    from .runner import JobContext


# -- settings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsView:
    settings: MailSettings
    password_source: str  # how the password is found, in Vietnamese
    password_kept: bool | None  # the keyring holds one (None: the keyring could not be asked)


def mail_settings(workspace: Workspace) -> SettingsView:
    from ...department.mail_settings import load_mail_settings, mail_password, password_source

    settings = load_mail_settings(workspace.store)
    kept: bool | None = None
    if settings.configured and not settings.password_env:
        try:
            kept = bool(mail_password(settings))
        except Exception:  # noqa: BLE001 - no keyring, or none kept: the dialog says so
            kept = None
    return SettingsView(settings, password_source(settings), kept)


def settings_from(values: dict[str, Any]) -> MailSettings:
    """Settings from the dialog's fields (strings and numbers); raises StoreError with what to change."""
    from ...department.mail_settings import MailSettings

    return MailSettings(**values)


def save_mail_settings(workspace: Workspace, settings: MailSettings, password: str | None = None) -> SettingsView:
    """Check and keep the settings (one transaction); a password typed goes to the OS keyring, never the database."""
    from ...department.mail_settings import save_mail_settings as save, store_password

    settings.check()
    if password:
        store_password(settings, password)  # first: a keyring that refuses leaves the settings unchanged
    save(workspace.store, settings)
    return mail_settings(workspace)


def check_mail(settings: MailSettings, password: str | None = None) -> list[str]:
    """Log in to the IMAP and SMTP servers with ``settings`` (the password typed, else the one kept)."""
    from ...department.mail_settings import mail_password
    from ...department.mailbox import check_connection

    settings.check()
    return check_connection(settings, password or mail_password(settings))


# -- fetching -------------------------------------------------------------------------------------------


def fetch_mail(workspace: Workspace, context: JobContext, *, jobs: int | None = None,
               today: dt.date | None = None) -> FetchReport:
    """``readiness inbox fetch``: progress ``(done, total, subject)``, each outcome through ``context.item``,
    «Dừng» stops between messages (what is done is kept)."""
    from ...department.mailbox import fetch, receipt_key

    key, note = receipt_key(workspace)
    if key is not None:
        from ...signing.keys import open_signer

        with open_signer(key) as signer:
            report = fetch(workspace, progress=context.progress, cancel=context.cancel, jobs=jobs, today=today,
                           signer=signer, on_message=context.item)
    else:
        report = fetch(workspace, progress=context.progress, cancel=context.cancel, jobs=jobs, today=today,
                       on_message=context.item)
    if note:
        report.notes.insert(0, note)
    return report


def recent_messages(workspace: Workspace, limit: int = 500) -> list[MessageOutcome]:
    """The messages received, newest first (``readiness inbox list``)."""
    from ...department.mailbox import outcome_of
    from ...store.mailbox import mail_messages

    return [outcome_of(record, seen_before=True) for record in mail_messages(workspace.store, limit=limit)]


def retry_reply(workspace: Workspace, record_id: int) -> MessageOutcome:
    """``readiness inbox retry N``: the next fetch sends this reply again."""
    from ...department.mailbox import outcome_of, retry_reply as retry

    return outcome_of(retry(workspace, record_id), seen_before=True)


# -- contacts -------------------------------------------------------------------------------------------


def contacts(workspace: Workspace, province: str | None = None) -> list[ContactView]:
    """Every commune's contact (the home province's, or ``province``; "all": every one)."""
    from ...department.contacts import contact_views

    return contact_views(workspace, province=province)


def save_contact(workspace: Workspace, code: str, values: Mapping[str, str | None]) -> ContactView:
    from ...department.contacts import set_contact

    return set_contact(workspace, code, values)


def clear_contact(workspace: Workspace, code: str) -> ContactView:
    from ...department.contacts import clear_contact as clear, contact_views

    clear(workspace, code)
    return contact_views(workspace, [code])[0]


def sender_mismatch(view: ContactView) -> bool:
    """The last accepted submission came from an address that is none of the commune's known ones."""
    from ...department.contacts import addresses_in

    known = set(addresses_in(view.email)) | set(addresses_in(view.respondent_email))
    return bool(view.last_sender and known and view.last_sender.lower() not in known)
