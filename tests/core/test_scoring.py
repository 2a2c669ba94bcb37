"""Scoring on the small inline checklist: statuses, relevance, advice, levels."""

import datetime as dt

from readiness.answers import Answers, Row, coerce
from readiness.scoring import Status, relevance, score

from samples import TODAY


def _answers(checklist, raw):
    return Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()})


READY = {
    "respondent": "Nguyễn Văn An", "officers": 20, "has_fibre": True, "download": 200, "tslcd": "connected",
    "pcs": [{"role": "Một cửa 1", "ram_gb": 8, "os": "win11"}, {"role": "Chủ tịch", "ram_gb": 16, "os": "win11"}],
}


def test_score__fully_ready__100_and_ready(small):
    result = score(small, _answers(small, READY), today=TODAY)
    assert result.score == 100
    assert result.level_id == "ready"
    assert result.critical_failed == 0
    assert result.gaps == []
    assert result.unanswered_required == 0


def test_score__old_pcs_and_no_tslcd__gaps_with_computed_advice(small):
    raw = dict(READY, tslcd="none", pcs=[
        {"role": "A", "ram_gb": 4, "os": "win10"}, {"role": "B", "ram_gb": 2, "os": "win10"}, {"role": "C", "ram_gb": 8, "os": "win11"}])
    result = score(small, _answers(small, raw), today=TODAY)
    statuses = {k: r.status for k, r in result.items.items()}
    assert statuses == {"has_fibre": Status.PASS, "download": Status.PASS, "tslcd": Status.FAIL, "pcs": Status.FAIL}
    assert result.critical_failed == 1
    assert result.level_id == "not_ready"  # 3 of 8 weight met
    assert round(result.score, 1) == 37.5
    assert [g.item_id for g in result.gaps] == ["tslcd", "pcs"]  # critical first
    pcs = result.items["pcs"]
    assert pcs.computed == {"n_low_ram": 2, "n_win10": 2}
    assert pcs.advice == "Nâng cấp RAM lên tối thiểu 8 GB cho 2 máy; thay Windows 10 trên 2 máy."
    assert pcs.advice_en == "Upgrade RAM to 8 GB on 2 PC(s)."
    assert pcs.requirement == "RAM ≥ 8 GB; không dùng Windows 10 sau 13/10/2026"


def test_score__windows10_before_end_date__not_counted(small):
    raw = dict(READY, pcs=[{"role": "A", "ram_gb": 8, "os": "win10"}])
    assert score(small, _answers(small, raw), today=dt.date(2026, 10, 1)).items["pcs"].status is Status.PASS
    assert score(small, _answers(small, raw), today=dt.date(2026, 10, 14)).items["pcs"].status is Status.FAIL


def test_relevance__no_fibre__download_hidden_and_its_stale_answer_not_scored(small):
    raw = dict(READY, has_fibre=False, download=5)  # 5 Mbps typed earlier, then fibre set to "no"
    answers = _answers(small, raw)
    assert relevance(small, answers, today=TODAY)["download"] is False
    result = score(small, answers, today=TODAY)
    assert "download" not in result.items
    assert result.items["has_fibre"].status is Status.FAIL
    assert result.unanswered_required == 0  # the hidden required item is not asked for


def test_score__unanswered__missing_counts_as_not_met(small):
    result = score(small, _answers(small, {"has_fibre": True}), today=TODAY)
    assert result.items["download"].status is Status.MISSING
    assert result.items["tslcd"].status is Status.MISSING
    assert result.critical_failed == 1  # an unanswered critical item blocks "ready"
    assert result.items["pcs"].status is Status.NA  # no rows: not applicable by its rule
    assert round(result.score, 1) == round(100 * 1 / 6, 1)
    assert result.unanswered_required == 5
    assert {i.item for i in result.issues if i.code == "E-ANS-REQUIRED"} == {"respondent", "officers", "download", "tslcd", "pcs"}


def test_validate__constraint_and_table_cell__issues_name_row_and_column(small):
    answers = _answers(small, dict(READY, email="not-an-email", pcs=[{"ram_gb": 8}]))
    issues = score(small, answers, today=TODAY).issues
    assert ("E-ANS-CONSTRAINT", "email", None, None) in [(i.code, i.item, i.row, i.column) for i in issues]
    assert ("E-ANS-REQUIRED", "pcs", 1, "role") in [(i.code, i.item, i.row, i.column) for i in issues]
    email = next(i for i in issues if i.item == "email")
    assert email.message == "Thư điện tử không hợp lệ."


def test_score__constraints_off__same_result_without_constraint_issues(small):
    answers = _answers(small, dict(READY, email="not-an-email", pcs=[{"ram_gb": 8}, {"role": "B", "ram_gb": 4}]))
    full = score(small, answers, today=TODAY)
    bulk = score(small, answers, today=TODAY, constraints=False)
    assert [i.code for i in bulk.issues] == ["E-ANS-REQUIRED"]  # pcs row 1 has no role; the bad e-mail is not checked
    assert "E-ANS-CONSTRAINT" in {i.code for i in full.issues}
    assert (bulk.score, bulk.level_id, bulk.critical_failed, bulk.unanswered_required, bulk.completion) == (
        full.score, full.level_id, full.critical_failed, full.unanswered_required, full.completion)
    assert bulk.items == full.items and bulk.sections == full.sections and bulk.relevant == full.relevant


def test_score__section_scores_and_level_basic(small):
    raw = dict(READY, pcs=[{"role": "A", "ram_gb": 4, "os": "win11"}])
    result = score(small, _answers(small, raw), today=TODAY)
    assert result.section("internet").score == 100
    assert result.section("computers").score == 0
    assert result.section("general").score is None
    assert result.level_id == "basic"


def test_score_to_dict__json_friendly(small):
    import json

    data = score(small, _answers(small, READY), today=TODAY).to_dict(small)
    assert json.loads(json.dumps(data))["level_label"] == "Sẵn sàng"


def test_table_rows__row_objects_and_dicts__same_result(small):
    rows = [Row(values={"role": "A", "ram_gb": 4.0})]
    answers = Answers(values=dict(_answers(small, READY).values, pcs=rows))
    assert score(small, answers, today=TODAY).items["pcs"].computed["n_low_ram"] == 1
