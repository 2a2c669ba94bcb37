"""The score cache in the database (issue 16): one cache for every computer of the team.

- The same database by another URL (a symlinked folder; ``localhost`` instead of ``127.0.0.1``) finds the
  scores another computer kept: nothing is scored again.
- A new revision or a changed checklist is another key: a stale score is never served (an entry planted
  under the old key is not read).
- Two computers keeping the same entries at once both succeed (PostgreSQL: two engines, one of them
  blocked on the other's uncommitted row; SQLite: two stores on one file).
- One query reads a province's entries, one statement writes them (PostgreSQL: the whole country).
- ``readiness cache show | warm | clear``: clearing loses nothing (the next report scores again, the same).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import threading

import pytest

from demo_db import populate
from report_fixtures import PERIOD, TODAY, finalize_revision


def _urls(kind: str, request, tmp_path) -> tuple[str, str]:
    """Two URLs of one database, as two computers of the team would write them."""
    if kind == "sqlite":
        data = tmp_path / "shared"
        data.mkdir()
        (tmp_path / "mapped").symlink_to(data, target_is_directory=True)
        return f"sqlite:///{data / 'dept.sqlite3'}", f"sqlite:///{tmp_path / 'mapped' / 'dept.sqlite3'}"
    from sqlalchemy.engine import make_url

    url = make_url(request.getfixturevalue("pg_fresh_url"))
    other = "localhost" if url.host in ("127.0.0.1", None) else "127.0.0.1"
    return url.render_as_string(hide_password=False), url.set(host=other).render_as_string(hide_password=False)


def _counting_score_one(monkeypatch) -> list:
    from readiness.department import bulk

    calls: list = []
    original = bulk.score_one
    monkeypatch.setattr(bulk, "score_one", lambda *a, **k: calls.append(a[1].id) or original(*a, **k))
    monkeypatch.setattr(bulk, "_worker_count", lambda requested, jobs: 1)
    return calls


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_score_cache__the_same_database_by_another_url__nothing_scored_again(kind, request, tmp_path, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status
    from readiness.service import Workspace

    url, other = _urls(kind, request, tmp_path)
    first = Workspace.open(url)
    try:
        populate(first, first.store.communes()[:3], PERIOD, today=TODAY, seed=5, profiles=["ready", "behind"])
        bulk.clear_memo()
        here = period_status(first, PERIOD, detail=True, today=TODAY)
        first_url = first.store.url
    finally:
        first.close()
    bulk.clear_memo()  # another computer: nothing in its memory, no file of the first one's
    calls = _counting_score_one(monkeypatch)
    second = Workspace.open(other)
    try:
        assert second.store.url != first_url
        there = period_status(second, PERIOD, detail=True, today=TODAY)
    finally:
        second.close()
    assert calls == [] and there.received == 3
    assert [r.result for r in there.rows] == [r.result for r in here.rows]
    bulk.clear_memo()


def _planted(ws, info, checklist) -> object:
    """An entry under the key of ``info`` as scored now, with a score no scoring gives: read back, it proves the
    cache was used; never read, that it was not."""
    from readiness.department import bulk

    key = bulk._cache_key(info, checklist, TODAY, ws.store.commune(info.commune_code).province_code)
    real = bulk.score_many(ws.store, {checklist.key: checklist}, [info], today=TODAY, cache=False)[info.id]
    fake = dataclasses.replace(real, score=-1.0, level_id="planted")
    ws.store.clear_score_cache()
    assert bulk.ScoreCache.for_store(ws.store).put_many({key: fake}) == 1
    bulk.clear_memo()
    return fake


def test_score_cache__a_new_revision__its_own_key_the_old_score_never_served(dept, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status

    commune = dept.store.communes()[0]
    (info,) = populate(dept, [commune], PERIOD, today=TODAY, seed=3, profiles=["behind"])
    checklist = dept.checklist_for(info)
    _planted(dept, info, checklist)
    read = next(r for r in period_status(dept, PERIOD, detail=True, today=TODAY).rows if r.result is not None)
    assert read.result.level_id == "planted"  # it is read
    newer = finalize_revision(dept, commune.code, change={"tslcd_connected": True})
    bulk.clear_memo()
    calls = _counting_score_one(monkeypatch)
    row = next(r for r in period_status(dept, PERIOD, detail=True, today=TODAY).rows if r.result is not None)
    assert calls == [newer.id] and row.result.assessment_id == newer.id
    assert row.result.level_id != "planted" and row.result.score >= 0
    assert bulk._cache_key(newer, checklist, TODAY, commune.province_code) != bulk._cache_key(
        info, checklist, TODAY, commune.province_code)
    bulk.clear_memo()


def test_score_cache__the_checklist_edited_in_place__another_key_the_stale_score_never_served(dept, tmp_path):
    from readiness.checklist.loader import load_checklist
    from readiness.department import bulk
    from readiness.paths import checklists_dir

    info = _finalized_without_tslcd(dept, dept.store.communes()[0].code)
    checklist = dept.checklist_for(info)
    _planted(dept, info, checklist)
    assert bulk.score_many(dept.store, {checklist.key: checklist}, [info], today=TODAY)[info.id].level_id == "planted"
    # The same id and version, one advice reworded (a definition edited in place, not a new version).
    folder = tmp_path / "edited" / checklist.id
    shutil.copytree(checklists_dir() / checklist.id, folder)
    source = folder / f"v{checklist.version}.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count("kết nối Mạng TSLCD đến trụ sở và báo") == 1
    source.write_text(text.replace("kết nối Mạng TSLCD đến trụ sở và báo", "nối Mạng TSLCD tới trụ sở rồi báo"),
                      encoding="utf-8")
    edited = load_checklist(source)
    assert edited.key == checklist.key and edited.content_hash != checklist.content_hash
    bulk.clear_memo()
    again = bulk.score_many(dept.store, {edited.key: edited}, [info], today=TODAY)[info.id]
    fresh = bulk.score_many(dept.store, {edited.key: edited}, [info], today=TODAY, cache=False)[info.id]
    assert again.level_id != "planted" and again == fresh
    assert any("nối Mạng TSLCD tới trụ sở rồi báo" in g.advice for g in again.problems)
    bulk.clear_memo()


def _finalized_without_tslcd(ws, code: str):
    from readiness.answers import Answers, coerce_all
    from readiness.demo import demo_answers
    from readiness.scoring import score

    checklist = ws.latest_checklist()
    values, errors = coerce_all(checklist, demo_answers(checklist, ws.store.commune(code), seed=7, today=TODAY).answers)
    assert not errors
    values["tslcd_connected"] = False
    info = ws.store.open_assessment(code, PERIOD, checklist)
    ws.store.save_answers(info.id, checklist, values)
    return ws.store.finalize(info.id, checklist, score(checklist, Answers(values=dict(values)), today=TODAY))


def _keep_at_once(one, two, entries) -> list[Exception]:
    """Both stores keep ``entries`` at the same moment, in opposite orders; what either raised."""
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def write(store, items) -> None:
        barrier.wait()
        try:
            store.keep_scores(items, scorer="test")
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write, args=(one, entries)),
               threading.Thread(target=write, args=(two, entries[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def _entries(count: int, tag: str) -> list[tuple[str, str, dict]]:
    return [(f"test|{i:05d}", f"assessment-{i:05d}", {"i": i, "by": tag}) for i in range(count)]


def test_keep_scores__postgresql__two_engines_the_same_keys_at_once__neither_fails(request, tmp_path):
    from readiness.store.db import Store

    url, other = _urls("postgresql", request, tmp_path)
    one, two = Store.open(url), Store.open(other, migrate=False)
    try:
        # 1. Deterministic: the second computer's write waits on the first one's uncommitted row, then keeps
        #    nothing of its own for that key, and neither fails.
        from sqlalchemy.dialects.postgresql import insert

        from readiness.store.models import ScoreCacheRow
        from readiness.store.score_cache import encode_value, entry_key

        shared = _entries(3, "first")
        with one.engine.connect() as connection:
            connection.begin()
            connection.execute(insert(ScoreCacheRow.__table__).values(
                key=entry_key(shared[1][0]), assessment_id=shared[1][1], scorer="test", value=encode_value(shared[1][2]),
                made_at=dt.datetime.now(dt.UTC)).on_conflict_do_nothing())
            outcome: dict = {}

            def second() -> None:
                try:
                    outcome["kept"] = two.keep_scores(_entries(3, "second"), scorer="test")
                except Exception as error:  # noqa: BLE001 - what the test is about
                    outcome["error"] = error

            thread = threading.Thread(target=second)
            thread.start()
            thread.join(1.0)
            assert thread.is_alive()  # blocked on the first one's row, not failed
            connection.commit()
        thread.join(30)
        assert not thread.is_alive() and "error" not in outcome and outcome["kept"] == 2
        found = one.cached_scores([key for key, _, _ in shared])
        assert found[shared[1][0]]["by"] == "first" and found[shared[0][0]]["by"] == "second"
        # 2. Free for all: both write 3,000 entries at once, in opposite orders, five times over.
        for _ in range(5):
            one.clear_score_cache()
            assert _keep_at_once(one, two, _entries(3000, "x")) == [] and one.score_cache_stats().entries == 3000
    finally:
        one.close()
        two.close()


def test_keep_scores__sqlite__two_stores_on_one_file_at_once__neither_fails(tmp_path):
    from readiness.store.db import Store

    url, other = _urls("sqlite", None, tmp_path)
    one, two = Store.open(url), Store.open(other)
    try:
        for _ in range(3):
            one.clear_score_cache()
            assert _keep_at_once(one, two, _entries(2000, "x")) == [] and two.score_cache_stats().entries == 2000
        assert one.keep_scores(_entries(2000, "again"), scorer="test") == 0  # all there: nothing new, no error
        assert one.cached_scores(["test|00007"]) == {"test|00007": {"i": 7, "by": "x"}}
    finally:
        one.close()
        two.close()


def test_score_cache__a_province_read_in_one_query_written_in_one_statement(any_db_url):
    """3,321 entries: one SELECT and two INSERTs on PostgreSQL; on SQLite (no network) chunks of 500 / 150."""
    from sqlalchemy import event

    from readiness.store.db import Store

    store = Store.open(any_db_url)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        if "score_cache" in statement:
            statements.append(statement.split()[0].upper())

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        store.clear_score_cache()
        statements.clear()
        entries = _entries(3321, "x")
        assert store.keep_scores(entries, scorer="test") == 3321
        inserts = statements.count("INSERT")
        statements.clear()
        found = store.cached_scores([key for key, _, _ in entries] + ["test|absent"])
        selects = statements.count("SELECT")
        assert len(found) == 3321 and found["test|03320"] == {"i": 3320, "by": "x"}
        if store.engine.dialect.name == "postgresql":
            assert (selects, inserts) == (1, 2)
        else:
            assert (selects, inserts) == (7, 23)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
        store.clear_score_cache()
        store.close()


def test_keep_scores__some_kept_before__counts_only_the_new_across_chunks_the_first_values_stay(any_db_url, monkeypatch):
    """Each chunk is one INSERT executed with its rows: the count is the database's, summed over chunks that mix
    entries already there (left as they are) and new ones."""
    from readiness.store import score_cache
    from readiness.store.db import Store

    store = Store.open(any_db_url)
    try:
        store.clear_score_cache()
        assert store.keep_scores(_entries(7, "first")[::2], scorer="test") == 4  # 0, 2, 4, 6
        monkeypatch.setitem(score_cache._WRITE_CHUNK, "postgresql", 3)
        monkeypatch.setattr(score_cache, "_WRITE_CHUNK_DEFAULT", 3)
        assert store.keep_scores(_entries(7, "second"), scorer="test") == 3  # 1, 3, 5
        found = store.cached_scores([key for key, _, _ in _entries(7, "")])
        assert [found[f"test|{i:05d}"]["by"] for i in range(7)] == ["first", "second"] * 3 + ["first"]
        assert store.keep_scores(_entries(7, "third"), scorer="test") == 0
    finally:
        store.clear_score_cache()
        store.close()


def test_remember_scores__many_scores__one_query_for_their_assessments(dept, monkeypatch):
    from sqlalchemy import event

    from readiness.department import bulk

    infos = populate(dept, dept.store.communes()[:4], PERIOD, today=TODAY, seed=8, profiles=["average"])
    checklist = dept.checklist_for(infos[0])
    scores = list(bulk.score_many(dept.store, {checklist.key: checklist}, infos, cache=False).values())
    bulk.remember_scores(dept, scores[:1])  # the first write per store and process: older versions' entries removed
    dept.store.clear_score_cache()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2].split()[0].upper())  # noqa: E731
    dept.store.all_communes()  # the register, loaded once per store (not per call)
    event.listen(dept.store.engine, "before_cursor_execute", listener)
    try:
        assert bulk.remember_scores(dept, scores) == 4
    finally:
        event.remove(dept.store.engine, "before_cursor_execute", listener)
    assert statements == ["SELECT", "INSERT"]
    assert dept.store.score_cache_stats().entries == 4
    bulk.clear_memo()


def test_cache_cli__show_warm_clear__clearing_loses_nothing(dept, db_url, capsys, monkeypatch, tmp_path):
    from readiness.cli import main
    from readiness.department import bulk
    from readiness.department.status import period_status
    from readiness.paths import user_data_dir

    populate(dept, dept.store.communes()[:3], PERIOD, today=TODAY, seed=4, profiles=["ready", "behind"])
    old = user_data_dir() / "cache" / "scores-0123456789abcdef.sqlite3"  # what earlier versions kept
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"old cache")
    bulk.clear_memo()
    assert main(["--db", db_url, "cache", "show"]) == 0
    assert "Bộ nhớ đệm điểm đang trống" in capsys.readouterr().out
    assert main(["--db", db_url, "cache", "warm", "--period", "11/2025"]) == 0
    assert capsys.readouterr().out.strip() == "Đã tính sẵn điểm của 3 bản đánh giá đã hoàn thành kỳ 11/2025."
    assert main(["--db", db_url, "cache", "show"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Bộ nhớ đệm điểm: 3 bản đánh giá đã tính điểm, ") and "KB" in shown
    assert "phiên bản phần mềm khác" not in shown
    warm = period_status(dept, PERIOD, detail=True)
    assert main(["--db", db_url, "cache", "clear"]) == 0
    out = capsys.readouterr().out
    assert "Đã xóa điểm của 3 bản đánh giá khỏi bộ nhớ đệm" in out
    assert "Đã xóa 1 tệp bộ nhớ đệm cũ (của phiên bản trước) trên máy này." in out and not old.exists()
    assert dept.store.score_cache_stats().entries == 0
    calls = _counting_score_one(monkeypatch)
    cold = period_status(dept, PERIOD, detail=True)
    assert len(calls) == 3 and [r.result for r in cold.rows] == [r.result for r in warm.rows]  # nothing lost
    assert main(["--db", db_url, "cache", "clear", "--json"]) == 0
    assert '"entries": 3' in capsys.readouterr().out  # the report above kept them again
    assert main(["--db", db_url, "cache", "clear"]) == 0
    assert capsys.readouterr().out.strip() == "Bộ nhớ đệm điểm đã trống."
    assert main(["--db", db_url, "cache", "warm", "--period", "2025-10"]) == 0
    assert capsys.readouterr().out.strip() == "Kỳ 10/2025 chưa có bản đánh giá nào đã hoàn thành: không có điểm nào để tính."
    bulk.clear_memo()


def test_cache_key__the_same_moments_in_another_time_zone__the_same_key(dept):
    """A PostgreSQL server hands timestamps back in its session's time zone; a computer set to another one
    must still find the entry."""
    from readiness import record
    from readiness.department import bulk

    (info,) = populate(dept, dept.store.communes()[:1], PERIOD, today=TODAY, seed=2)
    checklist = dept.checklist_for(info)
    hanoi = dt.timezone(dt.timedelta(hours=7))
    shifted = record.replace(info, updated_at=info.updated_at.astimezone(hanoi),  # an AssessmentInfo is a Record
                             finalized_at=info.finalized_at.astimezone(hanoi))
    assert shifted.updated_at.isoformat() != info.updated_at.isoformat()
    assert bulk._cache_key(shifted, checklist, TODAY, "51") == bulk._cache_key(info, checklist, TODAY, "51")
    later = record.replace(info, updated_at=info.updated_at + dt.timedelta(microseconds=1))
    assert bulk._cache_key(later, checklist, TODAY, "51") != bulk._cache_key(info, checklist, TODAY, "51")


def test_cached_scores__convert__each_value_made_as_read_a_refused_one_left_out(any_db_url):
    """``convert`` is applied to each entry as it is decoded; an entry it refuses is left out, the others kept."""
    from readiness.store.db import Store

    store = Store.open(any_db_url)
    try:
        store.clear_score_cache()
        entries = _entries(5, "x")
        store.keep_scores(entries, scorer="test")

        def convert(value: dict) -> int:
            if value["i"] == 3:
                raise KeyError("refused")
            return value["i"] * 10

        found = store.cached_scores([key for key, _, _ in entries], convert=convert)
        assert found == {"test|00000": 0, "test|00001": 10, "test|00002": 20, "test|00004": 40}
    finally:
        store.clear_score_cache()
        store.close()


def test_score_cache__scores_read_back__equal_to_the_computed_their_texts_one_shared_copy(dept):
    """Scores read from the cache equal the scores computed; their words (criterion and section ids, states,
    advice, the rules' names) are one shared copy across communes, not one copy per commune as JSON decodes."""
    from readiness.department import bulk
    from readiness.department.status import period_status

    populate(dept, dept.store.communes()[:4], PERIOD, today=TODAY, seed=11, profiles=["behind", "behind"])
    bulk.clear_memo()
    computed = {r.code: r.result for r in period_status(dept, PERIOD, detail=True, today=TODAY).rows if r.result}
    bulk.clear_memo()
    read = {r.code: r.result for r in period_status(dept, PERIOD, detail=True, today=TODAY).rows if r.result}
    bulk.clear_memo()
    assert len(read) == 4 and read == computed
    assert all(a is not b for a, b in zip(read.values(), computed.values()))  # read back, not the memo's objects
    first, *others = read.values()
    keys = {key: key for key in first.statuses}  # the first commune's own key objects
    for other in others:
        common = [item_id for item_id in other.statuses if item_id in keys]
        assert len(common) > 20
        assert all(keys[item_id] is item_id for item_id in common)
        assert all(first.statuses[i] is other.statuses[i] for i in common if first.statuses[i] == other.statuses[i])
        advice = {gap.item_id: gap.advice for gap in first.problems}
        shared = [gap for gap in other.problems if gap.advice and advice.get(gap.item_id) == gap.advice]
        assert shared, "two communes 'behind' share unmet criteria"
        assert all(gap.advice is advice[gap.item_id] for gap in shared)
        rules = {key: key for key in first.rows}
        assert all(rules[key] is key for key in other.rows if key in rules)
