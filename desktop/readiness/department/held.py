"""Held revisions: what the department decides about a revision that was not allowed to replace a signed one.

An import keeps a later revision *held* when it would replace a validly signed revision of the same
commune and period without the same proof of sender (unsigned, signed by another organisation, or
signed earlier: :func:`readiness.signing.importing.replacement_hold`).  The signed revision stays in
use; the held one waits here, listed by ``readiness status`` / ``readiness held`` and the window, until
a person

- accepts it (:func:`accept_held`, ``readiness held accept``, the button «Bản giữ lại…»): it is stored
  as the newest revision, exactly as if imported, with its signature outcome;
- or dismisses it (:func:`dismiss_held`): nothing is stored.

Each decision needs a reason and is a line of the import log (who, when, why).  A newer revision
imported on its own supersedes the held ones it is not older than.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..store.db import StoreError, period_label
from ..store.imports import HELD_STATE_LABELS, HeldInfo, StoreOutcome, decide_held, held_revisions

if TYPE_CHECKING:
    from ..service import Workspace

__all__ = ["HELD_STATE_LABELS", "HeldInfo", "accept_held", "dismiss_held", "find_held", "get_held", "held_revisions"]


def get_held(workspace: Workspace, held_id: int) -> HeldInfo | None:
    """The held revision numbered ``held_id`` (whatever its state), or ``None``."""
    found = held_revisions(workspace.store, states=None, held_id=held_id)
    return found[0] if found else None


def find_held(workspace: Workspace, *, held_id: int | None = None, commune_code: str | None = None,
              period: str | None = None, revision: int | None = None) -> HeldInfo:
    """The one pending held revision meant: by its number, or the newest of a commune and period (its
    ``revision`` when given).  :class:`StoreError` when there is none, or more than one fits."""
    if held_id is not None:
        found = held_revisions(workspace.store, states=None, held_id=held_id)
        if not found:
            raise StoreError("E-HELD-NOT-FOUND", f"Không có bản giữ lại số {held_id}.")
        return found[0]
    if not commune_code or not period:
        raise StoreError("E-HELD-NOT-FOUND", "Chỉ rõ bản giữ lại: --id N, hoặc --commune MÃ_XÃ --period YYYY-MM.")
    pending = held_revisions(workspace.store, period=period, commune_code=commune_code)
    if revision is not None:
        pending = [h for h in pending if h.revision == revision]
    where = f"xã {commune_code}, kỳ {period_label(period)}" + (f", lần {revision}" if revision is not None else "")
    if not pending:
        raise StoreError("E-HELD-NOT-FOUND", f"Không có bản giữ lại nào đang chờ quyết định ({where}).")
    newest = max(h.revision for h in pending)
    candidates = [h for h in pending if h.revision == newest]
    if len(candidates) > 1:
        listed = ", ".join(f"số {h.id} ({h.file_name})" for h in candidates)
        raise StoreError("E-HELD-AMBIGUOUS", f"Có {len(candidates)} bản giữ lại cùng lần {newest} ({where}): {listed}. "
                         "Chọn một bằng --id.")
    return candidates[0]


def accept_held(workspace: Workspace, held: HeldInfo | int, reason: str, *, user: str | None = None) -> StoreOutcome:
    """Store the held revision as the newest revision of its commune and period (one transaction; logged)."""
    from ..signing.records import write_signature_data

    return decide_held(workspace.store, _id(held), accept=True, user=user or _user(), note=reason,
                       record_signature=write_signature_data)


def dismiss_held(workspace: Workspace, held: HeldInfo | int, reason: str, *, user: str | None = None) -> StoreOutcome:
    """Set the held revision aside: nothing of it is stored (logged, with the reason)."""
    return decide_held(workspace.store, _id(held), accept=False, user=user or _user(), note=reason)


def _id(held: HeldInfo | int) -> int:
    return held if isinstance(held, int) else held.id


def _user() -> str:
    from .importer import _user as login

    return login()


def describe(held: HeldInfo, names: dict[str, str] | None = None) -> str:
    """One line for people: ``23500 Xã Đăk Hà, kỳ 11/2025, lần 3 (tệp …): W-HELD-UNSIGNED: Bản mới …``."""
    name = (names or {}).get(held.commune_code, "")
    who = f"{held.commune_code} {name}".strip()
    return (f"[{held.id}] {who}, kỳ {period_label(held.period)}, lần {held.revision} (tệp {held.file_name}): "
            f"{held.reason_code}: {held.reason}")


def to_json(held: HeldInfo) -> dict[str, Any]:
    return held.to_dict()
