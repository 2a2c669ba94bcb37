"""The department's bulk scorer and its score cache name each commune's own province's contacts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from readiness.answers import Answers, coerce_all
from readiness.demo import demo_answers
from readiness.scoring import score

TODAY = dt.date(2025, 12, 15)
PERIOD = "2025-11"


def _finalize_without_tslcd(ws, code: str):
    checklist = ws.latest_checklist()
    commune = ws.store.commune(code)
    values, errors = coerce_all(checklist, demo_answers(checklist, commune, seed=7, today=TODAY).answers)
    assert not errors
    values["tslcd_connected"] = False
    info = ws.store.open_assessment(code, PERIOD, checklist)
    ws.store.save_answers(info.id, checklist, values)
    return ws.store.finalize(info.id, checklist, score(checklist, Answers(values=dict(values)), today=TODAY))


def _tslcd_advice(result) -> str:
    return next(g.advice for g in result.gaps if g.item_id == "tslcd_connected")


def test_score_many__communes_of_two_provinces__each_reads_its_own_contacts(dept, monkeypatch):
    from readiness.department import bulk

    quang_ngai = _finalize_without_tslcd(dept, "21484")  # Xã Ba Tơ, Quảng Ngãi
    ha_noi = _finalize_without_tslcd(dept, "00004")  # Phường Ba Đình, Hà Nội
    checklists = {dept.latest_checklist().key: dept.latest_checklist()}
    for workers in (1, 2):
        bulk.clear_memo()
        monkeypatch.setattr(bulk, "PARALLEL_MIN", 1)
        scores = bulk.score_many(dept.store, checklists, [quang_ngai, ha_noi], today=TODAY, workers=workers, cache=False)
        assert _tslcd_advice(scores[quang_ngai.id]).startswith("Đề nghị VNPT Quảng Ngãi (qua VNPT khu vực)")
        assert _tslcd_advice(scores[ha_noi.id]).startswith("Đề nghị VNPT tỉnh, thành phố (qua VNPT khu vực)")
        assert not any("Quảng Ngãi" in g.advice or "quangngai" in g.advice for g in scores[ha_noi.id].problems)
    bulk.clear_memo()


def test_score_cache__keyed_by_province_contacts__an_edited_contacts_file_is_not_served_stale(dept):
    from readiness.department import bulk

    ha_noi = _finalize_without_tslcd(dept, "00004")
    checklist = dept.latest_checklist()
    bulk.clear_memo()
    first = bulk.score_many(dept.store, {checklist.key: checklist}, [ha_noi], today=TODAY, cache=True)
    key_ha_noi = bulk._cache_key(ha_noi, checklist, TODAY, "01")
    assert bulk.ScoreCache.for_store(dept.store).get_many([key_ha_noi])[key_ha_noi] == first[ha_noi.id]
    # The same assessment read as a Quảng Ngãi commune's would be another entry, never this one.
    assert bulk._cache_key(ha_noi, checklist, TODAY, "51") != key_ha_noi
    assert key_ha_noi.startswith(f"{bulk.CACHE_FORMAT}|") and bulk.CACHE_FORMAT == 4
    # Hà Nội gives its own VNPT in contacts.yaml: the cached advice (the default) is not served again.
    from readiness.checklist.model import ProvinceContacts, Text

    contacts = dataclasses.replace(checklist.contacts, provinces={
        **checklist.contacts.provinces,
        "01": ProvinceContacts(name="Thành phố Hà Nội", values={"tslcd_provider": Text(vi="VNPT Hà Nội")})})
    edited = dataclasses.replace(checklist, contacts=contacts)
    bulk.clear_memo()
    again = bulk.score_many(dept.store, {edited.key: edited}, [ha_noi], today=TODAY, cache=True)
    assert _tslcd_advice(again[ha_noi.id]).startswith("Đề nghị VNPT Hà Nội kết nối")
    bulk.clear_memo()


def test_commune_detail__another_province__its_advice(dept):
    from readiness.department.consolidate import commune_detail

    _finalize_without_tslcd(dept, "00004")
    detail = commune_detail(dept, "00004", PERIOD, today=TODAY)
    advice = detail.result.items["tslcd_connected"].advice
    assert advice.startswith("Đề nghị VNPT tỉnh, thành phố") and "Quảng Ngãi" not in advice
