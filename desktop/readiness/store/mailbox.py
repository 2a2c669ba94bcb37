"""The official mailbox's records (functions over a :class:`~readiness.store.db.Store`).

- ``mail_messages``: each message fetched from the department's mailbox, its attachments' import
  results and its reply, keyed by the message's Message-ID (``readiness.department.mailbox``);
- ``mail_reminders``: reminders e-mailed to communes;
- ``commune_contacts``: the contact the department keeps for each commune by hand.

Every function is one read or one transaction; rows come back as plain frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, cast, overload

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError

from .models import CommuneContactRow, MailMessageRow, MailReminderRow, utcnow

if TYPE_CHECKING:
    from .db import Store


@overload
def _aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def _aware(moment: dt.datetime | None) -> dt.datetime | None: ...
def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


# -- messages -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailRecord:
    id: int
    message_key: str
    message_id: str | None
    account: str
    folder: str
    uid: int | None
    sender: str | None
    sender_name: str | None
    reply_address: str | None
    subject: str | None
    sent_at: dt.datetime | None
    size: int | None
    state: str
    outcome: str | None
    files: list[dict[str, Any]]
    commune_code: str | None
    period: str | None
    sender_known: bool | None
    note: str | None
    reply_kind: str | None
    reply_message_id: str | None
    reply_status: str | None
    reply_error: str | None
    reply_attempts: int
    replied_at: dt.datetime | None
    mailbox_done: bool
    first_seen_at: dt.datetime
    updated_at: dt.datetime


MESSAGE_FIELDS = tuple(f.name for f in fields(MailRecord) if f.name not in ("id", "first_seen_at", "updated_at"))


def _record(row: MailMessageRow) -> MailRecord:
    values = {f.name: getattr(row, f.name) for f in fields(MailRecord)}
    for name in ("sent_at", "replied_at", "first_seen_at", "updated_at"):
        values[name] = _aware(values[name])
    values["files"] = list(row.files or [])
    values["mailbox_done"] = bool(row.mailbox_done)
    values["reply_attempts"] = int(row.reply_attempts or 0)
    return MailRecord(**values)


def mail_records(store: Store, keys: Iterable[str]) -> dict[str, MailRecord]:
    """Message key -> its record, for the keys that have one."""
    wanted = sorted(set(keys))
    found: dict[str, MailRecord] = {}
    with store.transaction() as session:
        for start in range(0, len(wanted), 500):
            query = select(MailMessageRow).where(MailMessageRow.message_key.in_(wanted[start:start + 500]))
            for row in session.scalars(query):
                found[row.message_key] = _record(row)
    return found


def mail_record(store: Store, key: str) -> MailRecord | None:
    return mail_records(store, [key]).get(key)


def mail_record_by_id(store: Store, record_id: int) -> MailRecord | None:
    with store.transaction() as session:
        row = session.get(MailMessageRow, record_id)
        return _record(row) if row is not None else None


def begin_message(store: Store, values: Mapping[str, Any]) -> tuple[MailRecord, bool]:
    """Record a message seen for the first time (one transaction); (the record, True) or, when another
    run recorded it first, (that record, False)."""
    unknown = set(values) - set(MESSAGE_FIELDS)
    if unknown:
        raise ValueError(f"unknown mail_messages fields: {sorted(unknown)}")
    now = utcnow()
    try:
        with store.transaction() as session:
            row = MailMessageRow(**values, first_seen_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return _record(row), True
    except IntegrityError:
        existing = mail_record(store, values["message_key"])
        if existing is None:
            raise
        return existing, False


def update_message(store: Store, key: str, values: Mapping[str, Any], *,
                   only_if: Mapping[str, Any] | None = None) -> MailRecord | None:
    """Change a message's record (one transaction).  ``only_if``: field -> value the row must still have
    (None returned, nothing changed, when it has not: another run moved it on)."""
    unknown = set(values) - set(MESSAGE_FIELDS)
    if unknown:
        raise ValueError(f"unknown mail_messages fields: {sorted(unknown)}")
    with store.transaction() as session:
        query = select(MailMessageRow).where(MailMessageRow.message_key == key)
        if store.engine.dialect.name == "postgresql":
            query = query.with_for_update()
        row = session.scalars(query).first()
        if row is None:
            return None
        for name, value in (only_if or {}).items():
            if getattr(row, name) != value:
                return None
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        session.flush()
        return _record(row)


def mail_messages(store: Store, *, since: dt.datetime | None = None, commune_code: str | None = None,
                  period: str | None = None, limit: int | None = None) -> list[MailRecord]:
    """Messages recorded, newest first."""
    query = select(MailMessageRow)
    if since is not None:
        query = query.where(MailMessageRow.first_seen_at >= since)
    if commune_code:
        query = query.where(MailMessageRow.commune_code == commune_code)
    if period:
        query = query.where(MailMessageRow.period == period)
    query = query.order_by(MailMessageRow.id.desc())
    if limit:
        query = query.limit(limit)
    with store.transaction() as session:
        return [_record(row) for row in session.scalars(query)]


def last_senders(store: Store, codes: Iterable[str]) -> dict[str, str]:
    """Commune code -> the address of the latest message whose submission was accepted for it."""
    wanted = sorted(set(codes))
    found: dict[str, str] = {}
    with store.transaction() as session:
        for start in range(0, len(wanted), 500):
            query = (select(MailMessageRow.commune_code, MailMessageRow.sender)
                     .where(MailMessageRow.commune_code.in_(wanted[start:start + 500]),
                            MailMessageRow.outcome == "accepted", MailMessageRow.sender.is_not(None))
                     .order_by(MailMessageRow.id))
            for code, sender in session.execute(query):
                if code is not None and sender is not None:   # the query's filter; the columns are nullable
                    found[code] = sender
    return found


# -- reminders ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderMail:
    id: int
    period: str
    commune_code: str
    address: str
    message_id: str
    status: str
    error: str | None
    sent_at: dt.datetime
    sent_by: str | None


def record_reminder_mail(store: Store, *, period: str, commune_code: str, address: str, message_id: str, status: str,
                         error: str | None = None, user: str | None = None) -> ReminderMail:
    with store.transaction() as session:
        row = MailReminderRow(period=period, commune_code=commune_code, address=address, message_id=message_id,
                              status=status, error=error, sent_at=utcnow(), sent_by=user)
        session.add(row)
        session.flush()
        return ReminderMail(row.id, row.period, row.commune_code, row.address, row.message_id, row.status, row.error,
                            _aware(row.sent_at), row.sent_by)


def reminder_mails(store: Store, period: str | None = None) -> list[ReminderMail]:
    query = select(MailReminderRow)
    if period:
        query = query.where(MailReminderRow.period == period)
    with store.transaction() as session:
        return [ReminderMail(r.id, r.period, r.commune_code, r.address, r.message_id, r.status, r.error,
                             _aware(r.sent_at), r.sent_by)
                for r in session.scalars(query.order_by(MailReminderRow.id))]


# -- contacts -------------------------------------------------------------------------------------------


CONTACT_FIELDS = ("name", "position", "phone", "email", "note")


@dataclass(frozen=True)
class CommuneContact:
    commune_code: str
    name: str | None
    position: str | None
    phone: str | None
    email: str | None
    note: str | None
    updated_at: dt.datetime | None
    updated_by: str | None


def _contact(row: CommuneContactRow) -> CommuneContact:
    return CommuneContact(row.commune_code, row.name, row.position, row.phone, row.email, row.note,
                          _aware(row.updated_at), row.updated_by)


def commune_contacts(store: Store, codes: Iterable[str] | None = None) -> dict[str, CommuneContact]:
    query = select(CommuneContactRow)
    with store.transaction() as session:
        if codes is None:
            return {row.commune_code: _contact(row) for row in session.scalars(query)}
        wanted = sorted(set(codes))
        found: dict[str, CommuneContact] = {}
        for start in range(0, len(wanted), 500):
            for row in session.scalars(query.where(CommuneContactRow.commune_code.in_(wanted[start:start + 500]))):
                found[row.commune_code] = _contact(row)
        return found


def save_commune_contacts(store: Store, values: Mapping[str, Mapping[str, str | None]], *,
                          user: str | None = None) -> list[CommuneContact]:
    """Set the kept contact of several communes in one transaction: code -> {field: value}; a field
    absent keeps its value, None or "" clears it; a contact left with nothing is removed."""
    out: list[CommuneContact] = []
    now = utcnow()
    with store.transaction() as session:
        for code, changes in values.items():
            unknown = set(changes) - set(CONTACT_FIELDS)
            if unknown:
                raise ValueError(f"unknown contact fields: {sorted(unknown)}")
            row = session.get(CommuneContactRow, code)
            if row is None:
                row = CommuneContactRow(commune_code=code)
                session.add(row)
            for name, value in changes.items():
                setattr(row, name, value or None)
            row.updated_at, row.updated_by = now, user
            if not any(getattr(row, name) for name in CONTACT_FIELDS):
                session.delete(row)
                continue
            session.flush()
            out.append(_contact(row))
    return out


def delete_commune_contact(store: Store, code: str) -> bool:
    with store.transaction() as session:
        # a DELETE's result is a CursorResult (rowcount); Session.execute is typed as the generic Result
        result = cast("CursorResult[Any]",
                      session.execute(delete(CommuneContactRow).where(CommuneContactRow.commune_code == code)))
        return bool(result.rowcount)


__all__ = ["CONTACT_FIELDS", "CommuneContact", "MESSAGE_FIELDS", "MailRecord", "ReminderMail", "begin_message",
           "commune_contacts", "delete_commune_contact", "last_senders", "mail_messages", "mail_record",
           "mail_records", "record_reminder_mail", "reminder_mails", "save_commune_contacts", "update_message"]
