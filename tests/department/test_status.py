"""Expected vs received: every state of the register, the totals, the filters, stored vs live scores."""

from __future__ import annotations

import json

import pytest

from report_fixtures import PERIOD, TODAY, crafted, finalize_revision, two_scoring_workers  # noqa: F401 - fixtures


def _rows(report):
    return {row.code: row for row in report.rows}


def test_each_state_of_a_crafted_register(crafted):
    from readiness.department.status import period_status

    report = period_status(crafted.workspace, PERIOD, today=TODAY)
    rows = _rows(report)
    codes = crafted.codes
    assert rows[codes["missing"]].state == "missing"
    assert rows[codes["missing"]].assessment_id is None and rows[codes["missing"]].score is None
    assert rows[codes["draft"]].state == "draft"
    assert rows[codes["submitted"]].state == "submitted"
    assert rows[codes["submitted"]].revision == 1
    assert rows[codes["resubmitted"]].state == "resubmitted"
    assert rows[codes["resubmitted"]].revision == 2
    outdated = rows[codes["outdated"]]
    assert outdated.state == "outdated" and outdated.checklist_version == 1
    # A correction in progress does not hide what was sent.
    newer = rows[codes["newer_draft"]]
    assert newer.state == "submitted" and newer.revision == 1 and newer.has_newer_draft
    assert report.checklist_key == "one-stop-shop-it-readiness@2"


def test_totals_per_state_and_level(crafted):
    from readiness.department.status import RECEIVED_STATES, period_status

    report = period_status(crafted.workspace, PERIOD, today=TODAY)
    assert report.expected == 96  # the province's register
    assert report.by_state == {"missing": 91, "draft": 1, "submitted": 2, "resubmitted": 1, "outdated": 1}
    assert report.received == 4
    received = [row for row in report.rows if row.state in RECEIVED_STATES]
    assert sum(report.by_level.values()) == len(received) == 4
    for level, count in report.by_level.items():
        assert count == sum(1 for row in received if row.level == level)
    data = report.to_dict()
    assert data["expected"] == 96 and data["received"] == 4
    assert data["by_state"]["outdated"] == 1
    assert len(data["communes"]) == 96


def test_rows_in_vietnamese_order(crafted):
    from readiness.department.status import period_status
    from readiness.register import sort_communes

    report = period_status(crafted.workspace, PERIOD, today=TODAY)
    communes = {c.code: c for c in crafted.workspace.store.communes()}
    assert [r.code for r in report.rows] == [c.code for c in sort_communes([communes[r.code] for r in report.rows])]
    names = [r.name for r in report.rows]
    assert names.index("Xã Đăk Hà") > names.index("Xã Dục Nông")  # Đ after D, not after Z


def test_filters(crafted):
    from readiness.department.status import StatusFilters, period_status
    from readiness.store.db import StoreError

    ws = crafted.workspace
    kon_tum = period_status(ws, PERIOD, StatusFilters(former_province="Kon Tum"), today=TODAY)
    assert kon_tum.rows and all(r.former_province == "Kon Tum" for r in kon_tum.rows)
    assert kon_tum.expected == len(kon_tum.rows) < 96
    assert crafted.codes["submitted"] in _rows(kon_tum) and crafted.codes["resubmitted"] not in _rows(kon_tum)

    wards = period_status(ws, PERIOD, StatusFilters(kind="phuong"), today=TODAY)  # folded spelling accepted
    assert wards.rows and all(r.kind == "Phường" for r in wards.rows)

    missing = period_status(ws, PERIOD, StatusFilters(state="missing"), today=TODAY)
    assert {r.state for r in missing.rows} == {"missing"} and len(missing.rows) == 91
    assert missing.expected == 96  # totals stay those of the scope

    full = period_status(ws, PERIOD, today=TODAY)
    for level in ("ready", "basic", "not_ready"):
        filtered = period_status(ws, PERIOD, StatusFilters(level=level), today=TODAY)
        assert {r.level for r in filtered.rows} <= {level}
        assert {r.code for r in filtered.rows} == {r.code for r in full.rows if r.level == level}

    one = period_status(ws, PERIOD, StatusFilters(search="dak ha"), today=TODAY)
    assert [r.code for r in one.rows] == ["23500"]

    with pytest.raises(StoreError) as error:
        period_status(ws, PERIOD, StatusFilters(kind="Huyện"))
    assert error.value.code == "E-FILTER"
    with pytest.raises(StoreError):
        period_status(ws, PERIOD, StatusFilters(level="excellent"))
    with pytest.raises(StoreError):
        period_status(ws, "13/2025")


def test_country_scope(crafted):
    from readiness.department.status import StatusFilters, period_status

    report = period_status(crafted.workspace, PERIOD, StatusFilters(province="all"), today=TODAY)
    assert report.expected == 3321
    assert report.received == 4


def test_stored_score_is_used_and_drafts_are_scored_live(crafted):
    from sqlalchemy import update

    from readiness.department.status import period_status
    from readiness.store.models import AssessmentRow

    ws = crafted.workspace
    code = crafted.codes["submitted"]
    with ws.store.transaction() as session:
        session.execute(update(AssessmentRow).where(AssessmentRow.commune_code == code).values(score=12.5))
    rows = _rows(period_status(ws, PERIOD, today=TODAY))
    assert rows[code].score == 12.5  # the stored score, not re-computed
    draft = rows[crafted.codes["draft"]]
    assert draft.provisional and draft.score is not None and draft.level in ("ready", "basic", "not_ready")
    assert draft.section_scores is None  # no detail asked


def test_detail_matches_scoring_each_assessment(crafted):
    from readiness.department.status import period_status
    from readiness.scoring import score

    ws = crafted.workspace
    report = period_status(ws, PERIOD, detail=True, today=TODAY)
    for row in report.rows:
        if row.assessment_id is None:
            assert row.section_scores is None
            continue
        info = ws.store.assessment(row.assessment_id)
        checklist = ws.checklist_for(info)
        expected = score(checklist, ws.store.load_answers(info.id, checklist), today=TODAY)
        assert row.section_scores == {s.section_id: s.score for s in expected.sections}
        assert row.critical_failed == expected.critical_failed
        assert row.result.statuses == {k: v.status.value for k, v in expected.items.items()}
        if row.status == "finalized":
            assert row.score == pytest.approx(expected.score, abs=0.01)
            assert row.level == expected.level_id


def test_bulk_answers_equal_the_stores_own(crafted):
    from readiness.department.bulk import load_raw, typed_answers

    ws = crafted.workspace
    info = ws.store.current_assessment(crafted.codes["submitted"], PERIOD)
    checklist = ws.checklist_for(info)
    expected = ws.store.load_answers(info.id, checklist)
    got = typed_answers(checklist, load_raw(ws.store, [info.id])[info.id])
    assert got.values.keys() == expected.values.keys()
    for key, value in expected.values.items():
        if isinstance(value, list) and value and hasattr(value[0], "values"):
            assert [r.values for r in got.values[key]] == [r.values for r in value]
            assert [r.id for r in got.values[key]] == [r.id for r in value]
        else:
            assert got.values[key] == value, key


def test_bulk_answers__a_sql_null_and_a_json_null_value__both_read_as_none_as_the_column_type_reads_them(dept_any):
    """The answers' values are read as JSON text and decoded a chunk at a time: a value stored as SQL NULL (the
    column allows it) and one stored as JSON ``null`` are both None, every other value what the column type
    reads, on both databases."""
    from demo_db import populate
    from sqlalchemy import null, select, update

    from readiness.department.bulk import load_raw
    from readiness.store.models import AnswerRow

    ws = dept_any
    populate(ws, ws.store.communes()[:2], PERIOD, today=TODAY, seed=5)
    infos = ws.store.assessments(PERIOD)
    with ws.store.transaction() as session:
        stored = {(a, i): v for a, i, v in session.execute(select(AnswerRow.assessment_id, AnswerRow.item_id,
                                                                     AnswerRow.value))}
        (first, item), (second, other) = sorted(stored)[:2]
        session.execute(update(AnswerRow).where(AnswerRow.assessment_id == first, AnswerRow.item_id == item)
                        .values(value=null()))
        session.execute(update(AnswerRow).where(AnswerRow.assessment_id == second, AnswerRow.item_id == other)
                        .values(value=None))  # the JSON type writes Python None as JSON null
    stored[first, item] = stored[second, other] = None
    raw = load_raw(ws.store, [info.id for info in infos])
    got = {(a, i): v for a, answers in raw.items() for i, v in answers.values.items()}
    assert got == stored
    assert [(k, type(got[k])) for k in sorted(got)] == [(k, type(stored[k])) for k in sorted(stored)]  # 1 is not 1.0


def _serial_then_two_workers(crafted, monkeypatch):
    """The period's scores computed in this process, then ``score_many`` set to score in a pool of two workers."""
    from readiness.department import bulk
    from readiness.department.status import checklists_of

    ws = crafted.workspace
    infos = [i for i in ws.store.assessments(PERIOD)]
    checklists = checklists_of(ws, infos)
    bulk.clear_memo()
    serial = bulk.score_many(ws.store, checklists, infos, today=TODAY, workers=1, cache=False)
    bulk.clear_memo()
    two_scoring_workers(monkeypatch)
    return ws, checklists, infos, serial


def test_parallel_scoring_equals_serial(crafted, monkeypatch):
    from readiness.department import bulk

    ws, checklists, infos, serial = _serial_then_two_workers(crafted, monkeypatch)

    def not_here(*args, **kwargs):
        raise AssertionError("the workers load the answers themselves")

    monkeypatch.setattr(bulk, "load_raw", not_here)  # in this process only: the workers import their own
    parallel = bulk.score_many(ws.store, checklists, infos, today=TODAY, cache=False)
    assert parallel == serial
    bulk.clear_memo()


def test_parallel_scoring__cold_cache__workers_send_the_cache_bytes__scores_equal_shared_and_no_process_left(
        crafted, monkeypatch):
    """The pool's workers send each score back as the cache's bytes: the parent keeps those very bytes, decodes
    scores equal to the ones computed here with their texts shared (as read from the cache), and when scoring
    ends no process of the pool is left (spawned workers, no forkserver lingering beside the report's worker)."""
    import sys

    import psutil
    from readiness.department import bulk

    ws, checklists, infos, serial = _serial_then_two_workers(crafted, monkeypatch)
    ws.store.clear_score_cache()
    kept: list[tuple[str, str, bytes]] = []
    original_keep = ws.store.keep_scores

    def keep(entries, scorer, **kwargs):
        entries = list(entries)
        kept.extend(entries)
        assert kwargs.get("encoded") is True
        return original_keep(entries, scorer, **kwargs)

    monkeypatch.setattr(ws.store, "keep_scores", keep)
    started: list[str] = []
    original_pool = bulk._score_parallel

    def parallel_pool(*args, **kwargs):
        started.append("pool")
        return original_pool(*args, **kwargs)

    monkeypatch.setattr(bulk, "_score_parallel", parallel_pool)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    parallel = bulk.score_many(ws.store, checklists, infos, today=TODAY, cache=True)
    assert started == ["pool"]
    assert parallel == serial
    assert [bulk._to_json(parallel[i]) for i in sorted(parallel)] == [bulk._to_json(serial[i]) for i in sorted(serial)]
    finalized = [info for info in infos if info.status != "draft"]
    assert sorted(entry[1] for entry in kept) == sorted(info.id for info in finalized)
    for _key, assessment_id, data in kept:  # stored as the workers made them, which is how this process encodes
        assert data == bulk.encoded_score(serial[assessment_id])
    for result in parallel.values():  # texts shared, as a score read from the cache has them
        for gap in result.problems:
            assert gap.advice is sys.intern(gap.advice) and gap.item_id is sys.intern(gap.item_id)
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline())]
    assert left == []  # neither the workers nor a forkserver
    bulk.clear_memo()


def test_parallel_scoring__stopped_while_a_batch_is_scored__workers_ended_nothing_kept(crafted, monkeypatch):
    import psutil
    from readiness.department import bulk
    from readiness.department.status import checklists_of

    ws = crafted.workspace
    infos = list(ws.store.assessments(PERIOD))
    ws.store.clear_score_cache()
    bulk.clear_memo()
    pools = two_scoring_workers(monkeypatch)
    running: list[list[int]] = []

    def cancelled():  # stop once the pool's workers run, while the batch is being scored
        pids = [process.pid for process in pools[-1].processes()] if pools else []
        if pids:
            running.append(pids)
        return bool(pids)

    with pytest.raises(bulk.ScoringStopped) as stopped:
        bulk.score_many(ws.store, checklists_of(ws, infos), infos, today=TODAY, cache=True, cancelled=cancelled)
    assert stopped.value.code == "E-SCORING-STOPPED"
    assert len(pools) == 1 and len(running) == 1 and running[0]  # stopped the first time it was asked with workers up
    assert pools[0].processes() == []
    gone = [pid for pid in running[0] if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE]
    assert gone == running[0]  # ended at once, not left to finish the batch
    assert ws.store.score_cache_stats().entries == 0  # nothing half-kept
    assert bulk._memo == {}


def test_scoring_in_this_process__stopped__raised_between_communes_nothing_kept(crafted):
    from readiness.department import bulk
    from readiness.department.status import checklists_of

    ws = crafted.workspace
    infos = list(ws.store.assessments(PERIOD))
    ws.store.clear_score_cache()
    bulk.clear_memo()
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 2  # two communes scored, then stop

    with pytest.raises(bulk.ScoringStopped):
        bulk.score_many(ws.store, checklists_of(ws, infos), infos, today=TODAY, workers=1, cache=True,
                        cancelled=cancelled)
    assert len(asked) == 3 and len(infos) > 3
    assert ws.store.score_cache_stats().entries == 0 and bulk._memo == {}


def _cold_status_with_a_pool(crafted, monkeypatch, filters=None, *, cycle_fails: bool = False):
    """period_status, cold, with a pool of two workers; returns (the report, or the error it raised; how many
    pools had started when the cycle was read; the pools)."""
    from readiness.department import bulk, status

    crafted.workspace.store.clear_score_cache()
    bulk.clear_memo()
    pools = two_scoring_workers(monkeypatch)
    seen: list[int] = []
    original = status._with_cycle

    def with_cycle(*args, **kwargs):
        seen.append(len(pools))
        if cycle_fails:
            raise RuntimeError("the cycle could not be read")
        return original(*args, **kwargs)

    monkeypatch.setattr(status, "_with_cycle", with_cycle)
    try:
        return status.period_status(crafted.workspace, PERIOD, filters, detail=True, today=TODAY), seen, pools
    except RuntimeError as error:
        return error, seen, pools


def test_period_status__cold__the_pool_starts_before_the_cycle_is_read__same_rows_as_in_one_process(
        crafted, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status

    crafted.workspace.store.clear_score_cache()
    bulk.clear_memo()
    serial = period_status(crafted.workspace, PERIOD, detail=True, today=TODAY, workers=1)
    report, seen, pools = _cold_status_with_a_pool(crafted, monkeypatch)
    assert seen == [1] and len(pools) == 1 and pools[0].processes() == []  # started before, ended after
    assert report.rows == serial.rows and [r.result for r in report.rows] == [r.result for r in serial.rows]
    assert crafted.workspace.store.score_cache_stats().entries == 4  # the finalized ones
    bulk.clear_memo()


def test_period_status__cold_with_a_cycle_filter__the_pool_starts_after_the_cycle_chose_the_rows(crafted, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import StatusFilters, period_status

    serial = period_status(crafted.workspace, PERIOD, detail=True, today=TODAY, workers=1)
    state = next(row.cycle.state for row in serial.rows if row.result is not None)
    report, seen, pools = _cold_status_with_a_pool(crafted, monkeypatch, StatusFilters(cycle=state))
    assert seen == [0] and len(pools) == 1 and pools[0].processes() == []
    assert report.rows == [row for row in serial.rows if row.cycle.state == state]
    bulk.clear_memo()


def test_period_status__reading_the_cycle_fails_while_the_pool_scores__its_workers_ended_nothing_kept(
        crafted, monkeypatch):
    from readiness.department import bulk

    error, seen, pools = _cold_status_with_a_pool(crafted, monkeypatch, cycle_fails=True)
    assert isinstance(error, RuntimeError) and seen == [1]
    assert pools[0].processes() == []
    assert crafted.workspace.store.score_cache_stats().entries == 0 and bulk._memo == {}


def test_finalized_results_are_memoised(crafted, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status

    ws = crafted.workspace
    bulk.clear_memo()
    period_status(ws, PERIOD, detail=True, today=TODAY)
    calls = []
    original = bulk.score_one
    monkeypatch.setattr(bulk, "score_one", lambda *a, **k: calls.append(a) or original(*a, **k))
    period_status(ws, PERIOD, detail=True, today=TODAY)
    assert len(calls) == 1  # only the draft: the four finalized assessments come from the memo
    bulk.clear_memo()


def test_score_cache_in_the_database(crafted, monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status

    ws = crafted.workspace
    bulk.clear_memo()
    first = period_status(ws, PERIOD, detail=True, today=TODAY)
    assert ws.store.score_cache_stats().entries == 4  # the finalized ones; not the draft
    bulk.clear_memo()  # a new process: only the database's cache remains
    calls = []
    original = bulk.score_one
    monkeypatch.setattr(bulk, "score_one", lambda *a, **k: calls.append(a) or original(*a, **k))
    again = period_status(ws, PERIOD, detail=True, today=TODAY)
    assert len(calls) == 1  # the draft; the finalized ones came from the file, identical
    assert [r.result for r in again.rows] == [r.result for r in first.rows]
    # Another reference date is another result: not taken from the cache.
    bulk.clear_memo()
    import datetime as dt

    period_status(ws, PERIOD, detail=True, today=TODAY + dt.timedelta(days=400))
    assert len(calls) == 1 + 5
    # A damaged entry is ignored, never fatal: scored again, the same.
    bulk.clear_memo()
    from sqlalchemy import text

    with ws.store.engine.begin() as connection:
        assert connection.execute(text("UPDATE score_cache SET value = :v"), {"v": b"not zlib"}).rowcount == 8  # 4 as of each date
    calls.clear()
    damaged = period_status(ws, PERIOD, detail=True, today=TODAY)
    assert damaged.received == 4 and len(calls) == 5
    assert [r.result for r in damaged.rows] == [r.result for r in first.rows]
    bulk.clear_memo()


def test_status_cli(crafted, db_url, capsys, monkeypatch):
    from readiness.cli import main

    monkeypatch.setenv("READINESS_CHECKLISTS", str(crafted.workspace.library.directory))
    code = main(["--db", db_url, "status", "--period", PERIOD, "--json", "--as-of", TODAY.isoformat()])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["expected"] == 96 and data["by_state"]["outdated"] == 1
    states = {row["code"]: row["state"] for row in data["communes"]}
    assert states[crafted.codes["resubmitted"]] == "resubmitted"

    code = main(["--db", db_url, "status", "--period", PERIOD, "--state", "missing", "--former-province", "Kon Tum"])
    out = capsys.readouterr().out
    assert code == 0 and "Chưa nộp" in out and "Đã nộp lại" in out  # totals line names every state
    assert "Xã Đăk Hà" not in out.split("\n\n", 1)[1]

    code = main(["--db", db_url, "status", "--period", PERIOD, "--detail"])
    out = capsys.readouterr().out
    assert code == 0 and "Điểm từng phần" in out

    code = main(["--db", db_url, "status", "--period", PERIOD, "--level", "excellent"])
    assert code == 1
    assert "E-FILTER" in capsys.readouterr().err
