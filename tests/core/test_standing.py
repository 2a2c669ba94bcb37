"""The score without its texts (``texts="none"``, :meth:`AssessmentView.standing`): what the window shows beside
the questions, in the section list and in its status bar.  Everything but the texts is exactly what scoring with
every text rendered gives, for assessments of every profile, fully answered and with answers missing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from readiness.answers import Answers
from readiness.scoring import Status, score

from samples import demo_assessments

TODAY = dt.date(2025, 11, 20)
TEXTS = {"requirement": "", "requirement_en": "", "advice": "", "advice_en": ""}


def _assessments():
    return demo_assessments(3, TODAY)


@pytest.mark.parametrize("province", [None, "51"])
def test_score__no_texts__everything_but_the_texts_as_with_every_text(province):
    statuses: set[Status] = set()
    compared = 0
    for checklist, _commune, values in _assessments():
        full = score(checklist, Answers(values), today=TODAY, province=province)
        bare = score(checklist, Answers(values), today=TODAY, province=province, texts="none")
        assert all(getattr(item, name) == "" for item in bare.items.values() for name in TEXTS)
        blanked = dataclasses.replace(full, items={k: dataclasses.replace(v, **TEXTS) for k, v in full.items.items()})
        assert bare == blanked
        assert any(item.advice for item in full.items.values())  # the texts were there to leave out
        statuses.update(item.status for item in full.items.values())
        compared += 1
    assert compared >= 12
    assert {Status.PASS, Status.FAIL, Status.MISSING} <= statuses


def test_score__unknown_texts__refused(small):
    with pytest.raises(ValueError, match="'none'"):
        score(small, Answers({}), today=TODAY, texts="some")


def test_standing__a_draft__texts_left_out_until_the_result_is_asked_then_the_result(workspace):
    session = workspace.session("23500", "2025-11")
    session.today = TODAY
    standing = session.standing()
    assert standing is session.standing()  # kept until the answers change
    result = session.result()
    assert any(item.advice for item in result.items.values())
    assert all(not item.advice and not item.requirement for item in standing.items.values())
    assert standing.score == result.score and standing.level_id == result.level_id
    assert standing.relevant == result.relevant and standing.issues == result.issues
    assert session.standing() is result  # once the texts are rendered, the one result

    session.change_answer("officers", 12, source="typed")
    after = session.standing()
    assert after is not result and after is not standing
    assert all(not item.advice for item in after.items.values())
    assert after.issues == session.result().issues
