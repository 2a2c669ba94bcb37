"""Trend across periods: a commune's and the province's scores, levels, and what improved or got worse."""

from __future__ import annotations

import json

import pytest

from demo_db import populate
from report_fixtures import TODAY


def _set(workspace, code: str, period: str, changes: dict) -> None:
    """Finalize ``code``'s assessment for ``period`` with ``changes`` applied to demo answers."""
    from readiness.answers import Answers, coerce_all
    from readiness.demo import demo_answers
    from readiness.scoring import score

    store = workspace.store
    checklist = workspace.latest_checklist()
    commune = store.commune(code)
    raw = demo_answers(checklist, commune, seed=int(code), today=TODAY, profile="average").answers
    raw.update(changes)
    values, errors = coerce_all(checklist, raw)
    assert not errors, errors
    info = store.open_assessment(code, period, checklist)
    store.save_answers(info.id, checklist, values)
    store.finalize(info.id, checklist, score(checklist, Answers(values=dict(values)), today=TODAY))


@pytest.fixture
def periods(dept):
    # 7.5 agency code: met in September, not in November (worse); 7.8 reporting system: the opposite.
    for code in ("23500", "21034"):
        _set(dept, code, "2025-09", {"agency_code_used": True, "reporting_system": False})
        _set(dept, code, "2025-11", {"agency_code_used": False, "reporting_system": True})
    _set(dept, "21025", "2025-09", {"agency_code_used": True, "reporting_system": True})  # only in September
    return dept


def test_commune_trend(periods):
    from readiness.department.trend import trend

    result = trend(periods, "2025-08", "2025-12", commune="23500", today=TODAY)
    assert result.scope == "commune" and result.commune.code == "23500"
    assert [p.period for p in result.points] == ["2025-09", "2025-11"]
    assert all(p.received == 1 and p.level for p in result.points)
    improved = {c.item_id for c in result.improved}
    worsened = {c.item_id for c in result.worsened}
    assert "reporting_system" in improved and "agency_code_used" in worsened
    assert not improved & worsened
    change = next(c for c in result.worsened if c.item_id == "agency_code_used")
    assert change.number == "7.5" and change.communes == (("23500", "Xã Đăk Hà"),)
    assert len(result.steps) == 1 and result.steps[0].before == "2025-09"
    assert result.steps[0].score_change == pytest.approx(result.points[1].score - result.points[0].score)


def test_province_trend(periods):
    from readiness.department.trend import trend

    result = trend(periods, "2025-09", "2025-11", today=TODAY)
    assert result.scope == "province"
    first, last = result.points
    assert (first.received, last.received) == (3, 2)
    assert sum(first.level_counts.values()) == 3
    assert result.compared == 2  # communes with both periods
    worse = next(c for c in result.worsened if c.item_id == "agency_code_used")
    assert worse.count == 2
    better = next(c for c in result.improved if c.item_id == "reporting_system")
    assert {code for code, _ in better.communes} == {"23500", "21034"}
    data = result.to_dict()
    assert data["points"][0]["period"] == "2025-09" and data["worsened"]


def test_province_trend__communes_in_one_period_only__headline_compares_like_with_like(periods):
    """21025 reported in September only: the headline change is over 23500 and 21034 (both periods), and
    says one commune was left out; the all-communes averages stay in the points, labelled."""
    from readiness.department.trend import format_trend, trend

    result = trend(periods, "2025-09", "2025-11", today=TODAY)
    first, last = result.points
    common = ("23500", "21034")
    september = {row.code: row.score for row in _rows(periods, "2025-09")}
    november = {row.code: row.score for row in _rows(periods, "2025-11")}
    headline = result.headline
    assert (headline.compared, headline.left_out) == (2, 1)
    assert headline.before_score == pytest.approx(sum(september[c] for c in common) / 2)
    assert headline.after_score == pytest.approx(sum(november[c] for c in common) / 2)
    assert headline.change == pytest.approx(headline.after_score - headline.before_score)
    assert first.score == pytest.approx(sum(september.values()) / 3)  # every commune that reported
    assert headline.sentence() == "so sánh 2 xã có báo cáo cả hai kỳ; 1 xã không tính"
    step = result.steps[0]
    assert step.score_change == pytest.approx(headline.change)
    assert step.mean_change == pytest.approx(last.score - first.score)
    text = format_trend(result, {})
    assert "(so sánh 2 xã có báo cáo cả hai kỳ; 1 xã không tính): điểm bình quân" in text
    assert "điểm bình quân của các xã đã nộp" in text
    assert result.to_dict()["headline"]["left_out"] == 1


def _rows(workspace, period):
    from readiness.department.status import period_status

    return [row for row in period_status(workspace, period, today=TODAY).rows if row.received]


def test_trend_without_data_and_bad_ranges(dept):
    from readiness.department.trend import format_trend, trend
    from readiness.store.db import StoreError

    empty = trend(dept, "2025-01", "2025-03")
    assert empty.points == [] and empty.improved == []
    assert "Không có" in format_trend(empty, {})
    with pytest.raises(StoreError):
        trend(dept, "2025-05", "2025-01")
    with pytest.raises(StoreError):
        trend(dept, "2010-01", "2025-01")


def test_trend_cli(periods, db_url, capsys):
    from readiness.cli import main

    assert main(["--db", db_url, "trend", "--commune", "23500", "--from", "2025-09", "--to", "2025-11",
                 "--as-of", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Đã cải thiện" in out and "7.8" in out and "Xấu đi" in out and "7.5" in out
    assert main(["--db", db_url, "trend", "--from", "2025-09", "--to", "2025-11", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"] == "province" and data["compared"] == 2


def test_populate_helper_is_consistent(dept):
    """The helper the other tests use: one finalized assessment per commune, scored as of TODAY."""
    communes = dept.store.communes()[:2]
    infos = populate(dept, communes, "2025-11", today=TODAY, seed=3)
    assert [i.status for i in infos] == ["finalized", "finalized"]
