"""A per-process memo keyed by an object's identity: :class:`ByIdentity`.

What the core works out once per checklist or item object (a checklist's score levels, its tables' row
conditions in one loop, what an item's rules and texts read, how often a checklist was scored) is kept by
``id(obj)``, with the object itself beside its value, so an address reused by a newer object is never
mistaken for the old one (the memo holds the object: it stays alive while its entry does).  Bounded: emptied
when full (the entries are cheap to work out again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    """``obj -> value`` by the object's identity, at most ``size`` entries (emptied when full)."""

    __slots__ = ("size", "_entries")

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[int, tuple[K, V]] = {}

    def get(self, obj: K, make: Callable[[K], V]) -> V:
        """The value kept for ``obj``, or ``make(obj)``, kept."""
        entry = self._entries.get(id(obj))
        if entry is not None and entry[0] is obj:
            return entry[1]
        value = make(obj)
        self.put(obj, value)
        return value

    def peek(self, obj: K, default: V) -> V:
        """The value kept for ``obj``, or ``default`` (nothing kept)."""
        entry = self._entries.get(id(obj))
        return entry[1] if entry is not None and entry[0] is obj else default

    def put(self, obj: K, value: V) -> None:
        if len(self._entries) >= self.size and id(obj) not in self._entries:
            self._entries.clear()
        self._entries[id(obj)] = (obj, value)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
