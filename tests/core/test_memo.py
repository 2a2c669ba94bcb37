"""readiness.memo.ByIdentity: a memo keyed by an object's identity, bounded."""

from __future__ import annotations

from readiness.memo import ByIdentity


class _Equal:
    """Instances equal to each other and hashed alike: only their identity tells them apart."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Equal)

    def __hash__(self) -> int:
        return 1


def test_by_identity__made_once_per_object__equal_objects_kept_apart():
    memo: ByIdentity[_Equal, int] = ByIdentity(8)
    made: list[_Equal] = []

    def make(obj: _Equal) -> int:
        made.append(obj)
        return len(made)

    first, second = _Equal(), _Equal()
    assert memo.get(first, make) == 1
    assert memo.get(first, make) == 1  # kept
    assert memo.get(second, make) == 2  # equal, but another object
    assert made == [first, second] and made[0] is first and made[1] is second
    assert memo.peek(first, 0) == 1 and memo.peek(_Equal(), 0) == 0


def test_by_identity__full__emptied_so_never_more_than_its_size():
    memo: ByIdentity[object, int] = ByIdentity(3)
    kept = [object() for _ in range(10)]
    for number, obj in enumerate(kept):
        memo.put(obj, number)
        assert 1 <= len(memo) <= 3
    assert memo.peek(kept[-1], -1) == 9
    memo.put(kept[-1], 10)  # replacing an entry of a full memo keeps the others
    assert memo.peek(kept[-1], -1) == 10 and len(memo) >= 1
    memo.clear()
    assert len(memo) == 0 and memo.peek(kept[-1], -1) == -1


def test_by_identity__an_entry_for_a_gone_object__not_given_to_a_new_one_at_its_address():
    """The memo holds the object with its value: a new object can only reuse the address of one whose entry is gone."""
    memo: ByIdentity[object, str] = ByIdentity(4)
    obj = object()
    memo.put(obj, "old")
    address = id(obj)
    del obj  # still alive: the memo holds it
    newer = [object() for _ in range(1000)]
    assert all(id(o) != address for o in newer)
    assert all(memo.peek(o, "none") == "none" for o in newer)
