"""Each commune's contact, from three sources (issue 18): the contact the department keeps by hand
(``readiness contacts set``, the window's «Liên hệ các xã»), the respondent named in the commune's
latest submission, and the address its last accepted submission came from by e-mail.

The kept contact comes first, field by field; the respondent fills what it leaves empty.  Replies to a
submission go to its sender; reminders go to the kept e-mail, else the respondent's, else the last
sender's.  A submission from an address that is none of the commune's known ones is shown, not blocked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError

if TYPE_CHECKING:
    from ..service import Workspace
    from ..store.mailbox import CommuneContact

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^[0-9 +().\-/;,]{3,60}$")


def addresses_in(text: str | None) -> list[str]:
    """The e-mail addresses in ``text`` (separated by commas, semicolons or spaces), lower case, valid ones only."""
    return [part.lower() for part in re.split(r"[,;\s]+", text or "") if _ADDRESS.match(part)]


@dataclass(frozen=True)
class ContactView:
    code: str
    commune: str
    name: str
    position: str
    phone: str
    email: str
    source: str  # kept / submission / mail / none
    kept: bool
    respondent_email: str
    last_sender: str
    period: str | None
    note: str = ""  # the department's note on its kept contact

    @property
    def addresses(self) -> list[str]:
        """Where a reminder goes."""
        return addresses_in(self.email) or addresses_in(self.respondent_email) or addresses_in(self.last_sender)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "commune": self.commune, "name": self.name or None,
                "position": self.position or None, "phone": self.phone or None, "email": self.email or None,
                "source": self.source, "kept": self.kept, "respondent_email": self.respondent_email or None,
                "last_sender": self.last_sender or None, "period": self.period, "addresses": self.addresses,
                "note": self.note or None}


SOURCE_LABELS = {"kept": "Sở nhập", "submission": "Theo phiếu gần nhất", "mail": "Theo thư gửi gần nhất",
                 "none": "Chưa có"}


def contact_views(workspace: Workspace, codes: list[str] | None = None, *, province: str | None = None
                  ) -> list[ContactView]:
    """The contact of each commune (``codes``, or every commune of ``province``: default the settings' home
    province; "all": every one), in the register's order."""
    from ..store.cycle import latest_contacts
    from ..store.mailbox import commune_contacts, last_senders
    from ..text import clean

    store = workspace.store
    if codes:
        communes = [store.commune(code) for code in dict.fromkeys(codes)]
    else:
        if province is None:
            from ..document_settings import load_settings

            province = load_settings(store).home_province
        communes = store.communes(None, None if province == "all" else province)
    wanted = [c.code for c in communes]
    kept = commune_contacts(store, wanted)
    found = latest_contacts(store, wanted)
    senders = last_senders(store, wanted)
    out: list[ContactView] = []
    for commune in communes:
        own: CommuneContact | None = kept.get(commune.code)
        record = found.get(commune.code)
        answered = {k: clean(str(v)) if isinstance(v, str) else "" for k, v in (record.values if record else {}).items()}

        def pick(field: str, item: str, own: CommuneContact | None = own, answered: dict = answered) -> str:
            value = getattr(own, field, None) if own is not None else None
            return value or answered.get(item, "")

        view = ContactView(
            commune.code, commune.name, pick("name", "respondent_name"), pick("position", "respondent_position"),
            pick("phone", "respondent_phone"), pick("email", "respondent_email"),
            "kept" if own is not None else "submission" if record is not None else
            "mail" if commune.code in senders else "none", own is not None, answered.get("respondent_email", ""),
            senders.get(commune.code, ""), record.period if record else None, (own.note or "") if own else "")
        out.append(view)
    return out


def known_addresses(workspace: Workspace, code: str) -> set[str]:
    """The commune's known e-mail addresses: the kept contact's and its latest respondent's."""
    views = contact_views(workspace, [code])
    if not views:
        return set()
    view = views[0]
    return set(addresses_in(view.email)) | set(addresses_in(view.respondent_email))


def set_contact(workspace: Workspace, code: str, values: Mapping[str, str | None], *, user: str | None = None
                ) -> ContactView:
    """Keep (or change) the department's contact of a commune (one transaction); an empty value clears it.
    ``user``: who changed it (default: the computer's user)."""
    from ..store.mailbox import CONTACT_FIELDS, save_commune_contacts
    from ..text import clean

    commune = workspace.store.commune(code)  # StoreError when unknown
    changes: dict[str, str | None] = {}
    for name, value in values.items():
        if name not in CONTACT_FIELDS or value is None:
            continue
        text = clean(value)
        if name == "email" and text:
            parts = [p for p in re.split(r"[,;\s]+", text) if p]
            wrong = [p for p in parts if not _ADDRESS.match(p)]
            if wrong:
                raise StoreError("E-CONTACT-EMAIL", f"Địa chỉ thư điện tử «{wrong[0]}» của {commune.name} không hợp lệ "
                                 "(dạng ten@xa.quangngai.gov.vn; nhiều địa chỉ cách nhau bằng dấu phẩy).")
            text = ", ".join(p.lower() for p in parts)
        if name == "phone" and text and not _PHONE.match(text):
            raise StoreError("E-CONTACT-PHONE", f"Số điện thoại «{text}» của {commune.name} không hợp lệ (chỉ chữ số, "
                             "dấu cách, + - . ( )).")
        changes[name] = text[:300] or None
    if user is None:
        from .importer import _user

        user = _user()
    save_commune_contacts(workspace.store, {code: changes}, user=user)
    return contact_views(workspace, [code])[0]


def clear_contact(workspace: Workspace, code: str) -> bool:
    from ..store.mailbox import delete_commune_contact

    workspace.store.commune(code)
    return delete_commune_contact(workspace.store, code)


__all__ = ["ContactView", "SOURCE_LABELS", "addresses_in", "clear_contact", "contact_views", "known_addresses",
           "set_contact"]
