"""Which communes a department report looks at: one scope for status, dashboard, trend, report, needs.

The scope is :class:`~readiness.department.status.StatusFilters`: a province code (``None``: the
country), the former province, the kind of unit, a name search, and ``communes``: explicit commune
codes, from ``--communes`` or from a named group (``--group``, :mod:`readiness.department.groups`);
``group`` keeps the group's name for the documents' wording.  :func:`apply_scope` fills them in;
every command and the window call it, so ``--group`` and ``--communes`` mean the same everywhere.

Communes are named by code («21184») or by name («Ba Tơ», «Xã Ba Tơ»); a name several units share
(«Ba Đình»: Phường Ba Đình of Hà Nội, Xã Ba Đình of Thanh Hóa) is refused with the candidates unless
the kind or the province tells them apart («Phường Ba Đình», «Ba Đình (Thanh Hóa)»), or only one of
them is in the province in scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..register import Commune
from ..store.db import StoreError
from ..text import clean, fold, same_name

if TYPE_CHECKING:
    from ..service import Workspace
    from .status import StatusFilters

_SPLIT = re.compile(r"[,;\n]+")
_HINT = re.compile(r"^(?P<name>.*?)\s*[(\[]\s*(?P<hint>[^()\[\]]+?)\s*[)\]]\s*$")


def split_list(text: str | Iterable[str] | None) -> list[str]:
    """«21184, Ba Tơ; Xã Đăk Môn» -> the three parts (commas, semicolons or new lines between them)."""
    if text is None:
        return []
    parts = [text] if isinstance(text, str) else list(text)
    return [clean(piece) for part in parts for piece in _SPLIT.split(part) if clean(piece)]


def label(commune: Commune) -> str:
    """A commune's name told apart from its namesakes: «Xã Ba Đình (Thanh Hóa)»."""
    return f"{commune.name} ({province_short(commune.province_name)})"


def province_short(name: str) -> str:
    """«Thành phố Hà Nội» -> «Hà Nội», «Tỉnh Thanh Hóa» -> «Thanh Hóa»."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _province_matches(commune: Commune, hint: str) -> bool:
    return (hint == commune.province_code or same_name(hint, commune.province_name)
            or same_name(hint, province_short(commune.province_name))
            or fold(hint) == fold(province_short(commune.province_name)))


def _named(communes: Sequence[Commune], name: str) -> list[Commune]:
    """Communes of this name: written with diacritics, they must match (Ba Tơ is not Ba Tô); without, any."""
    exact = [c for c in communes if same_name(name, c.name) or same_name(name, c.bare_name)]
    if exact or fold(name) != clean(name).lower():
        return exact
    folded = fold(name)
    return [c for c in communes if folded in (fold(c.name), fold(c.bare_name))]


def resolve_communes(all_communes: Sequence[Commune], items: Iterable[str], *, province: str | None = None
                     ) -> tuple[str, ...]:
    """Commune codes for codes or names (see the module docstring), in the order given, without repeats.

    ``province``: the province in scope; an ambiguous name with exactly one namesake there means that one.
    Raises StoreError ``E-COMMUNE`` (unknown) or ``E-COMMUNE-AMBIGUOUS`` (the candidates named)."""
    by_code = {c.code: c for c in all_communes}
    codes: list[str] = []
    for item in items:
        text = clean(item)
        if not text:
            continue
        if text in by_code:
            codes.append(text)
            continue
        if text.isdigit():
            raise StoreError("E-COMMUNE", f"Không có đơn vị hành chính mã «{text}» trong danh mục.")
        name, hint = text, None
        match = _HINT.match(text)
        if match:
            name, hint = match.group("name"), match.group("hint")
        found = _named(all_communes, name)
        if hint:
            found = [c for c in found if _province_matches(c, hint)]
        if len(found) > 1 and province:
            local = [c for c in found if c.province_code == province]
            if len(local) == 1:
                found = local
        if not found:
            raise StoreError("E-COMMUNE", f"Không có đơn vị hành chính «{text}» trong danh mục; ghi đúng tên "
                             "(ví dụ «Xã Ba Tơ») hoặc mã (5 chữ số).")
        if len(found) > 1:
            shown = "; ".join(f"{label(c)}, mã {c.code}" for c in found[:12])
            more = f" và {len(found) - 12} đơn vị khác" if len(found) > 12 else ""
            raise StoreError("E-COMMUNE-AMBIGUOUS", f"Có {len(found)} đơn vị tên «{text}»: {shown}{more}. Ghi mã, "
                             "hoặc thêm loại và tỉnh, ví dụ «Xã Ba Đình (Thanh Hóa)».")
        codes.append(found[0].code)
    return tuple(dict.fromkeys(codes))


def find_group(workspace: Workspace, name: str) -> Any:
    """The stored group of this name (:class:`~readiness.store.groups.StoredGroup`); refused with the names there
    are (``E-GROUP-UNKNOWN``)."""
    stored = workspace.store.group(clean(name))
    if stored is None:
        from ..text import sort_key

        known = sorted((g.name for g in workspace.store.groups()), key=sort_key)
        hint = f" Các nhóm đã có: {'; '.join(f'«{n}»' for n in known)}." if known else \
            " Chưa có nhóm nào: tạo bằng «readiness group add TÊN --communes …»."
        raise StoreError("E-GROUP-UNKNOWN", f"Không có nhóm «{clean(name)}».{hint}")
    return stored


def apply_scope(workspace: Workspace, filters: StatusFilters, *, group: str | None = None,
                communes: str | Iterable[str] | None = None, province_given: bool = False) -> StatusFilters:
    """``filters`` limited to a named group and/or a list of communes (codes or names).

    A group or a list may span provinces: unless the province was given on purpose (``province_given``),
    the province filter is lifted so every commune named is in scope.  Both given: the communes of the
    group that are also in the list."""
    items = split_list(communes)
    if not group and not items:
        return filters
    codes: tuple[str, ...] | None = None
    group_name = None
    if group:
        found = find_group(workspace, group)
        codes, group_name = found.communes, found.name
    if items:
        listed = resolve_communes(workspace.store.all_communes(), items, province=filters.province)
        codes = listed if codes is None else tuple(code for code in codes if code in set(listed))
    province = filters.province if province_given else None
    if not codes:
        raise StoreError("E-FILTER", f"Nhóm «{group_name}» và danh sách xã đã ghi không có đơn vị nào chung."
                         if group_name else "Chưa có đơn vị nào trong danh sách xã đã ghi.")
    return replace(filters, communes=tuple(codes), group=group_name, province=province)


__all__ = ["apply_scope", "find_group", "label", "province_short", "resolve_communes", "split_list"]
