"""Scoring the real checklist (the newest version in checklists/one-stop-shop-it-readiness/) on real-looking communes."""

import json
from pathlib import Path

import pytest

from readiness.answers import Answers, coerce
from readiness.scoring import Status, score

from samples import TODAY

READY_FILE = Path(__file__).resolve().parents[1] / "data" / "ready_commune.json"


@pytest.fixture
def ready_raw():
    return json.loads(READY_FILE.read_text(encoding="utf-8"))["answers"]


def _score(checklist, raw):
    return score(checklist, Answers(values={k: coerce(checklist.item(k), v) for k, v in raw.items()}), today=TODAY)


def test_real__fully_ready_commune__100_ready_no_gaps(real_checklist, ready_raw):
    result = _score(real_checklist, ready_raw)
    assert (round(result.score, 1), result.level_id, result.critical_failed) == (100.0, "ready", 0)
    assert result.gaps == [] and result.issues == []
    assert all(s.score in (None, 100.0) for s in result.sections)


def test_real__old_pcs_and_no_tslcd__critical_gap_and_counted_advice(real_checklist, ready_raw):
    raw = dict(ready_raw, tslcd_connected=False)
    raw["pcs"] = [dict(pc, ram_gb=4, storage_type="hdd", storage_gb=500, os="win7", cores=2) for pc in raw["pcs"][:8]] + raw["pcs"][8:]
    result = _score(real_checklist, raw)
    assert result.level_id != "ready"
    assert result.critical_failed == 1
    assert result.gaps[0].item_id == "tslcd_connected" and result.gaps[0].critical
    assert result.relevant["tslcd_mbps"] is False  # bandwidth of a link that does not exist is not asked
    assert "tslcd_mbps" not in result.items
    pcs = result.items["pcs"]
    assert pcs.status is Status.FAIL
    assert pcs.computed["n_ok"] == 4 and pcs.computed["n_low_ram"] == 8
    assert "Nâng cấp RAM lên từ 8 GB cho 8 máy." in pcs.advice


def test_real__no_fibre_and_no_video_endpoint__dependent_items_skipped(real_checklist, ready_raw):
    raw = dict(ready_raw, has_fibre=False, vc_endpoint_type="none")
    result = _score(real_checklist, raw)
    hidden = [key for key, on in result.relevant.items() if not on]
    assert {"isp", "contract_down_mbps", "contract_up_mbps", "vc_link", "vc_last_test", "vc_test_result"} <= set(hidden)
    for key in hidden:
        assert key not in result.items  # stale answers left in hidden items are not scored
    assert result.items["has_fibre"].status is Status.FAIL and result.items["has_fibre"].critical
    assert result.level_id == "not_ready" or result.critical_failed >= 1


def test_real__empty_assessment__not_ready_and_every_required_item_listed(real_checklist):
    result = _score(real_checklist, {})
    assert result.level_id == "not_ready"
    assert result.score == 0
    required = {i.id for i in real_checklist.items() if i.required and result.relevant[i.id]}
    assert {i.item for i in result.issues if i.code == "E-ANS-REQUIRED"} == required
