"""Named groups of communes: the communes one member of the provincial People's Committee follows (seed 002).

A group has a name («Đ/c Nguyễn Tấn Liêm — 7 xã»), who follows it (``person``: «Nguyễn Tấn Liêm»;
``role``: «Thành viên UBND tỉnh»: the follow-up report's title reads «… của đồng chí {person}, {role}»),
a note, and its communes (codes; given as codes or names, :func:`readiness.department.scope.resolve_communes`).
Saved in the workspace's database (``Store.save_group``); every department report, the dashboard and
``needs`` take ``--group NAME`` (:func:`readiness.department.scope.apply_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..register import Commune, sort_communes
from ..store.db import StoreError
from ..store.groups import StoredGroup
from ..text import clean, printable
from .scope import find_group, label, resolve_communes, split_list

if TYPE_CHECKING:
    from ..service import Workspace

DEFAULT_ROLE = "Thành viên UBND tỉnh"
MAX_NAME = 200


@dataclass(frozen=True)
class CommuneGroup:
    name: str
    person: str
    role: str
    note: str
    communes: tuple[str, ...]  # codes, in the department's order
    members: tuple[Commune, ...]  # the same communes from the register (unknown codes left out)

    @property
    def size(self) -> int:
        return len(self.communes)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "person": self.person, "role": self.role, "note": self.note,
                "communes": [{"code": c.code, "name": c.name, "kind": c.kind, "province_code": c.province_code,
                              "province": c.province_name} for c in self.members]}


def _of(workspace: Workspace, stored: StoredGroup) -> CommuneGroup:
    by_code = {c.code: c for c in workspace.store.all_communes()}
    return CommuneGroup(name=stored.name, person=stored.person, role=stored.role, note=stored.note,
                        communes=stored.communes,
                        members=tuple(by_code[code] for code in stored.communes if code in by_code))


def list_groups(workspace: Workspace) -> list[CommuneGroup]:
    """Every group, in Vietnamese order of their names."""
    from ..text import sort_key

    return sorted((_of(workspace, g) for g in workspace.store.groups()), key=lambda g: sort_key(g.name))


def get_group(workspace: Workspace, name: str) -> CommuneGroup:
    """The group of this name (any case, spacing, tone-mark placement); refused: ``E-GROUP-UNKNOWN``."""
    return _of(workspace, find_group(workspace, name))


def _name(text: str) -> str:
    name = printable(clean(text or ""))
    if not name:
        raise StoreError("E-GROUP-NAME", "Chưa ghi tên nhóm.")
    if len(name) > MAX_NAME:
        raise StoreError("E-GROUP-NAME", f"Tên nhóm dài quá {MAX_NAME} ký tự.")
    return name


def _field(text: str | None) -> str:
    return printable(clean(text or ""))[:MAX_NAME]


def _codes(workspace: Workspace, communes: str | Iterable[str] | None, province: str | None) -> tuple[str, ...]:
    items = split_list(communes)
    codes = resolve_communes(workspace.store.all_communes(), items, province=province)
    if not codes:
        raise StoreError("E-GROUP-EMPTY", "Nhóm phải có ít nhất một đơn vị: ghi mã hoặc tên xã, cách nhau bằng dấu phẩy.")
    return codes


def add_group(workspace: Workspace, name: str, communes: str | Iterable[str], *, person: str = "", role: str = "",
              note: str = "", province: str | None = None) -> CommuneGroup:
    """Save a new group (refused: E-GROUP-EXISTS, E-GROUP-NAME, E-GROUP-EMPTY, E-COMMUNE, E-COMMUNE-AMBIGUOUS)."""
    codes = _codes(workspace, communes, province)
    stored = workspace.store.save_group(_name(name), codes, person=_field(person), role=_field(role),
                                        note=printable(clean(note or "")))
    return _of(workspace, stored)


def update_group(workspace: Workspace, name: str, *, new_name: str | None = None,
                 communes: str | Iterable[str] | None = None, add: str | Iterable[str] | None = None,
                 drop: str | Iterable[str] | None = None, person: str | None = None, role: str | None = None,
                 note: str | None = None, province: str | None = None) -> CommuneGroup:
    """Change a group: rename it, replace its communes (``communes``) or add and drop some, who follows it."""
    current = get_group(workspace, name)
    codes: Sequence[str] = current.communes
    if split_list(communes):
        codes = _codes(workspace, communes, province)
    if split_list(add):
        codes = tuple(dict.fromkeys([*codes, *_codes(workspace, add, province)]))
    if split_list(drop):
        gone = set(_codes(workspace, drop, province))
        codes = tuple(code for code in codes if code not in gone)
    if not codes:
        raise StoreError("E-GROUP-EMPTY", f"Nhóm «{current.name}» phải còn ít nhất một đơn vị.")
    stored = workspace.store.save_group(
        _name(new_name) if new_name is not None else current.name, codes,
        person=current.person if person is None else _field(person),
        role=current.role if role is None else _field(role),
        note=current.note if note is None else printable(clean(note)), old_name=current.name)
    return _of(workspace, stored)


def remove_group(workspace: Workspace, name: str) -> CommuneGroup:
    current = get_group(workspace, name)
    workspace.store.remove_group(current.name)
    return current


def format_group(group: CommuneGroup) -> str:
    """The text ``readiness group show`` prints."""
    lines = [f"Nhóm «{group.name}»: {group.size} đơn vị"]
    if group.person:
        lines.append(f"Người phụ trách: đồng chí {group.person}" + (f", {group.role}" if group.role else ""))
    elif group.role:
        lines.append(f"Người phụ trách: {group.role}")
    if group.note:
        lines.append(f"Ghi chú: {group.note}")
    for index, commune in enumerate(group.members, start=1):
        lines.append(f"  {index:>3}. {commune.code}  {label(commune)}")
    return "\n".join(lines)


def format_groups(groups: Sequence[CommuneGroup]) -> str:
    if not groups:
        return "Chưa có nhóm nào. Tạo nhóm: readiness group add \"Đ/c … — 7 xã\" --communes \"mã hoặc tên, …\""
    lines = []
    for group in groups:
        who = f" — đồng chí {group.person}" if group.person else ""
        names = ", ".join(c.name for c in sort_communes(list(group.members))[:8])
        more = f" và {group.size - 8} đơn vị khác" if group.size > 8 else ""
        lines.append(f"«{group.name}»{who}: {group.size} đơn vị ({names}{more})")
    return "\n".join(lines)


__all__ = ["CommuneGroup", "DEFAULT_ROLE", "add_group", "format_group", "format_groups", "get_group",
           "list_groups", "remove_group", "update_group"]
