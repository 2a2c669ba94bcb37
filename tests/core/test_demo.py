"""Demo data: valid under the checklist's own rules, deterministic, varied."""

from collections import Counter

from readiness.answers import Answers, coerce
from readiness.demo import demo_answers, demo_set
from readiness.register import load_register
from readiness.scoring import score

from samples import TODAY


def _score(checklist, raw):
    return score(checklist, Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()}), today=TODAY)


def test_demo_set__96_communes__all_valid_and_all_levels_present(real_checklist):
    communes = [c for c in load_register() if c.province_code == "51"]
    demos = demo_set(real_checklist, communes, today=TODAY)
    levels = Counter()
    for demo in demos:
        result = _score(real_checklist, demo.answers)
        assert result.issues == [], (demo.commune.code, result.issues[:3])
        levels[result.level_id] += 1
    assert set(levels) == {"ready", "basic", "not_ready"}
    assert all(demo.answers["pcs"] and demo.answers["petitions"] for demo in demos)


def test_demo_answers__same_seed__same_answers(real_checklist):
    commune = load_register()[0]
    first = demo_answers(real_checklist, commune, seed=7, today=TODAY)
    again = demo_answers(real_checklist, commune, seed=7, today=TODAY)
    other = demo_answers(real_checklist, commune, seed=8, today=TODAY)
    assert first.answers == again.answers
    assert first.answers != other.answers
