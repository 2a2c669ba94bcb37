"""Queries of the named groups of communes (``readiness.department.groups`` checks names and communes).

:class:`GroupQueries` are methods of :class:`~readiness.store.db.Store`.  A group is saved whole (its
fields and its members) in one transaction; its name is unique whatever the case, spacing and tone-mark
placement (``name_key``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import NoReturn
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from ..text import normalize_name
from .models import CommuneGroupMemberRow, CommuneGroupRow, utcnow


@dataclass(frozen=True)
class StoredGroup:
    id: int
    name: str
    person: str
    role: str
    note: str
    communes: tuple[str, ...]  # commune codes, in the department's order
    created_at: dt.datetime
    updated_at: dt.datetime


def group_key(name: str) -> str:
    return normalize_name(name)


def _stored(row: CommuneGroupRow) -> StoredGroup:
    return StoredGroup(id=row.id, name=row.name, person=row.person or "", role=row.role or "", note=row.note or "",
                       communes=tuple(m.commune_code for m in row.members), created_at=row.created_at,
                       updated_at=row.updated_at)


class GroupQueries:
    """:class:`~readiness.store.db.Store` methods for the named groups of communes."""

    transaction: Callable[[], AbstractContextManager[Session]]
    refuse: Callable[[str, str], NoReturn]  # Store.refuse: raises StoreError(code, message)

    def groups(self) -> list[StoredGroup]:
        with self.transaction() as session:
            rows = session.scalars(select(CommuneGroupRow).options(selectinload(CommuneGroupRow.members)))
            return [_stored(row) for row in rows]

    def group(self, name: str) -> StoredGroup | None:
        """The group of this name (any case, spacing, tone-mark placement), or None."""
        with self.transaction() as session:
            row = session.scalars(select(CommuneGroupRow).options(selectinload(CommuneGroupRow.members))
                                  .where(CommuneGroupRow.name_key == group_key(name))).first()
            return _stored(row) if row else None

    def save_group(self, name: str, communes: Sequence[str], *, person: str = "", role: str = "", note: str = "",
                   old_name: str | None = None) -> StoredGroup:
        """Create the group ``name`` or, with ``old_name``, replace that group (renamed when the names differ):
        fields and members together, in one transaction.  Raises StoreError E-GROUP-EXISTS / E-GROUP-UNKNOWN."""
        key = group_key(name)
        now = utcnow()
        with self.transaction() as session:
            clash = session.scalars(select(CommuneGroupRow).where(CommuneGroupRow.name_key == key)).first()
            row: CommuneGroupRow | None
            if old_name is None:
                if clash is not None:
                    self.refuse("E-GROUP-EXISTS", f"Đã có nhóm «{clash.name}»; chọn tên khác hoặc sửa nhóm đó.")
                row = CommuneGroupRow(name=name, name_key=key, created_at=now)
                session.add(row)
            else:
                row = session.scalars(select(CommuneGroupRow)
                                      .where(CommuneGroupRow.name_key == group_key(old_name))).first()
                if row is None:
                    self.refuse("E-GROUP-UNKNOWN", f"Không có nhóm «{old_name}».")
                if clash is not None and clash.id != row.id:
                    self.refuse("E-GROUP-EXISTS", f"Đã có nhóm «{clash.name}»; chọn tên khác.")
                row.name, row.name_key = name, key
                session.execute(delete(CommuneGroupMemberRow).where(CommuneGroupMemberRow.group_id == row.id))
            row.person, row.role, row.note, row.updated_at = person or None, role or None, note or None, now
            session.flush()
            for position, code in enumerate(dict.fromkeys(communes)):
                session.add(CommuneGroupMemberRow(group_id=row.id, commune_code=code, position=position))
            session.flush()
            session.refresh(row)
            return _stored(row)

    def remove_group(self, name: str) -> StoredGroup:
        with self.transaction() as session:
            row = session.scalars(select(CommuneGroupRow).options(selectinload(CommuneGroupRow.members))
                                  .where(CommuneGroupRow.name_key == group_key(name))).first()
            if row is None:
                self.refuse("E-GROUP-UNKNOWN", f"Không có nhóm «{name}».")
            stored = _stored(row)
            session.delete(row)  # its members with it (delete-orphan)
            return stored
