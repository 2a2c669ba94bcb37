"""The score cache's entries of older program versions go without ``readiness cache clear`` (readiness.department.bulk):
when a process first writes to the cache, the same transaction removes the entries older versions kept; this
version's, a newer version's (a computer of the team upgraded first) and any it cannot put in order stay."""

from __future__ import annotations

import pytest

from demo_db import populate
from report_fixtures import PERIOD, TODAY

VERSION = "0.5.0"  # the program's version in these tests
WRITERS = {  # writer -> removed when a 0.5.0 program first writes
    "4/0.4.2": True,  # an older release
    "3/0.2.0": True,  # an older release, an older format
    "3/0.5.0": True,  # this version built with an older cache format (a developer's build)
    "4/0.5.0": False,  # this version's own
    "4/0.6.0": False,  # a newer version, running on another computer of the team
    "5/0.4.0": False,  # a newer cache format: never taken for older
    "4/0.5.0rc1": False,  # a pre-release of this release: cannot be put in order, kept
    "thử": False,  # unreadable: kept (``readiness cache clear`` removes it)
}


def _plant(store, writer: str, count: int = 2) -> None:
    store.keep_scores(((f"{writer}|{n}", f"a-{writer}-{n}", {"n": n}) for n in range(count)), scorer=writer)


@pytest.fixture
def version_050(monkeypatch):
    import readiness
    from readiness.department import bulk

    monkeypatch.setattr(readiness, "__version__", VERSION, raising=False)
    monkeypatch.setattr(bulk, "_pruned", type(bulk._pruned)())  # a new process: nothing removed yet
    bulk.clear_memo()
    yield
    bulk.clear_memo()


@pytest.mark.parametrize("writer, removed", sorted(WRITERS.items()))
def test_older_scorer__each_kind_of_writer(writer, removed):
    from readiness.department.bulk import older_scorer

    assert older_scorer(writer, "4/0.5.0") is removed


def test_older_scorer__releases_compared_number_by_number():
    from readiness.department.bulk import older_scorer

    assert older_scorer("4/0.9.0", "4/0.10.0") and not older_scorer("4/0.10.0", "4/0.9.0")
    assert older_scorer("4/0.9.7.dev3", "4/0.10.0") and not older_scorer("4/0.10", "4/0.10.0")


def test_score_cache__first_write_of_a_new_version__older_entries_removed_newer_and_own_stay(dept_any, version_050):
    from sqlalchemy import event

    from readiness.department import bulk

    store = dept_any.store
    for writer in WRITERS:
        _plant(store, writer)
    populate(dept_any, store.communes()[:3], PERIOD, today=TODAY, seed=6, profiles=["ready", "behind"])
    assert bulk.warm_cache(dept_any, PERIOD, workers=1) == 3  # scores 3 communes, keeps them: the first write
    by_scorer = store.score_cache_stats().by_scorer
    assert {writer: count for writer, (count, _size) in by_scorer.items()} == {
        **{writer: 2 for writer, removed in WRITERS.items() if not removed}, "4/0.5.0": 2 + 3}
    # The entries this version kept are read back: nothing scored again.
    calls: list = []
    original = bulk.score_one
    bulk.clear_memo()
    try:
        bulk.score_one = lambda *a, **k: calls.append(a) or original(*a, **k)  # type: ignore[assignment]
        bulk.warm_cache(dept_any, PERIOD, workers=1)
    finally:
        bulk.score_one = original  # type: ignore[assignment]
    assert calls == []
    # Once per process: an older entry kept afterwards (an older program still running elsewhere) stays
    # until the next process's first write, and this process's later writes ask nothing more.
    store.clear_score_cache()
    _plant(store, "4/0.4.2", 1)
    scores = bulk.score_many(store, {dept_any.latest_checklist().key: dept_any.latest_checklist()},
                             store.assessments(PERIOD), cache=False, workers=1)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2].split()[0].upper())  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        assert bulk.remember_scores(dept_any, list(scores.values())) == 3
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    assert "DELETE" not in statements and statements.count("SELECT") == 1
    assert {w: n for w, (n, _s) in store.score_cache_stats().by_scorer.items()} == {"4/0.4.2": 1, "4/0.5.0": 3}


def test_score_cache__an_older_version_writes_after_a_newer_one__the_newer_entries_stay(dept_any, version_050,
                                                                                        monkeypatch):
    """Two versions in use at once during an upgrade: the older program never removes what the newer wrote."""
    import readiness
    from readiness.department import bulk

    store = dept_any.store
    _plant(store, "4/0.6.0")
    _plant(store, "4/0.4.0")
    populate(dept_any, store.communes()[:2], PERIOD, today=TODAY, seed=7, profiles=["average"])
    assert bulk.warm_cache(dept_any, PERIOD, workers=1) == 2
    assert {w: n for w, (n, _s) in store.score_cache_stats().by_scorer.items()} == {"4/0.6.0": 2, "4/0.5.0": 2}
    # The newer program (0.6.0) then writes on another computer: this version's entries go, its own stay.
    monkeypatch.setattr(readiness, "__version__", "0.6.0")
    monkeypatch.setattr(bulk, "_pruned", type(bulk._pruned)())
    bulk.clear_memo()
    assert bulk.warm_cache(dept_any, PERIOD, workers=1) == 2
    assert {w: n for w, (n, _s) in store.score_cache_stats().by_scorer.items()} == {"4/0.6.0": 2 + 2}
