"""The bulk scorer renders only the texts a :class:`CommuneScore` keeps (``texts="advice"``): what it keeps is
exactly what scoring with every text rendered gives, for assessments of every profile, fully answered and with
answers missing (criteria not answered carry their own advice), in every province's contacts."""

from __future__ import annotations

import datetime as dt

import pytest

from readiness.answers import Answers
from readiness.department import bulk
from readiness.department.scored import CommuneScore
from readiness.scoring import Status, score

from samples import demo_assessments

TODAY = dt.date(2025, 11, 20)


def _assessments():
    return demo_assessments(4, TODAY)


@pytest.mark.parametrize("province", [None, "51", "01"])
def test_bulk_score__only_the_kept_texts_rendered__same_commune_score_as_every_text_rendered(province):
    statuses: set[str] = set()
    compared = 0
    for checklist, commune, values in _assessments():
        kept = bulk._commune_score("a-1", checklist, Answers(values=dict(values)), TODAY, province)
        full = score(checklist, Answers(values=dict(values)), today=TODAY, constraints=False, province=province,
                     texts="all")
        assert kept == CommuneScore.of("a-1", full, TODAY), (checklist.key, commune.code)
        statuses.update(kept.statuses.values())
        compared += 1
    assert compared >= 24
    assert {Status.PASS.value, Status.FAIL.value, Status.MISSING.value} <= statuses  # met, not met, not answered
