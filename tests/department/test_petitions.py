"""Petitions: listing with filters, updates in one transaction, status rules, the annex wording."""

from __future__ import annotations

import json

import pytest

from demo_db import populate
from report_fixtures import PERIOD, REF, TODAY, finalize_revision


def _four_communes(url: str) -> None:
    from readiness.service import Workspace

    workspace = Workspace.open(url)
    try:
        populate(workspace, workspace.store.communes()[:4], PERIOD, today=TODAY, seed=7,
                 profiles=["behind", "average"])
    finally:
        workspace.close()


@pytest.fixture
def ws(prepare_db):
    """Four finalized communes with petitions (built once per test process, a copy for each test)."""
    from readiness.service import Workspace

    workspace = Workspace.open(prepare_db("petitions-four-communes", _four_communes))
    yield workspace
    workspace.close()


def test_every_petition_row_is_listed_in_vietnamese_order(ws):
    from readiness.department.petitions import list_petitions
    from readiness.register import sort_communes

    found = list_petitions(ws, period=PERIOD)
    assert found and all(p.status == "new" and p.status_label == "Mới" for p in found)
    order = [p.commune_code for p in found]
    communes = {c.code: c for c in ws.store.communes()}
    expected = [c.code for c in sort_communes([communes[code] for code in dict.fromkeys(order)])]
    assert list(dict.fromkeys(order)) == expected
    first = found[0]
    assert first.difficulty and first.proposal and first.topic_label  # label of the topic choice
    assert first.content == f"{first.difficulty}\n{first.proposal}"
    assert list_petitions(ws, period="2025-10") == []
    only = list_petitions(ws, commune=first.commune_code)
    assert only and {p.commune_code for p in only} == {first.commune_code}
    searched = list_petitions(ws, search="internet")
    assert all("internet" in (p.difficulty + p.proposal).lower() for p in searched)


def test_update_forward_answer_resolve(ws):
    from readiness.department.petitions import get_petition, list_petitions, update_petition

    petition = list_petitions(ws, period=PERIOD)[0]
    forwarded = update_petition(ws, petition.id, status="forwarded", forwarded_to="Sở Tài chính")
    assert forwarded.status == "forwarded" and forwarded.status_label == "Đã chuyển"
    assert forwarded.resolution == "Kính chuyển Sở Tài chính"
    answered = update_petition(ws, petition.id, status="answered", response_ref=REF)
    assert answered.forwarded_to == "Sở Tài chính"  # kept
    assert answered.resolution == f"Sở KHCN đã có {REF} hướng dẫn địa phương thực hiện nội dung này."
    resolved = update_petition(ws, petition.id, status="resolved")
    assert resolved.status_label == "Đã giải quyết"
    assert resolved.resolution.endswith("Đã giải quyết.")
    stored = get_petition(ws, petition.id)
    assert (stored.status, stored.response_ref, stored.forwarded_to) == ("resolved", REF, "Sở Tài chính")
    assert list_petitions(ws, status="resolved")[0].id == petition.id


def test_rules_refuse_nonsense_and_change_nothing(ws):
    from readiness.department.petitions import get_petition, list_petitions, update_petition
    from readiness.store.db import StoreError

    petition = list_petitions(ws, period=PERIOD)[0]
    with pytest.raises(StoreError) as error:
        update_petition(ws, petition.id, status="forwarded")
    assert error.value.code == "E-PETITION-FORWARD"
    with pytest.raises(StoreError) as error:
        update_petition(ws, petition.id, status="answered")
    assert error.value.code == "E-PETITION-ANSWER"
    with pytest.raises(StoreError) as error:
        update_petition(ws, petition.id, status="closed")
    assert error.value.code == "E-PETITION-STATUS"
    with pytest.raises(StoreError) as error:
        update_petition(ws, 999999, status="resolved")
    assert error.value.code == "E-PETITION"
    with pytest.raises(StoreError):
        update_petition(ws, petition.id, response_ref="x" * 201)
    assert get_petition(ws, petition.id).status == "new"  # nothing of the refused updates stored

    update_petition(ws, petition.id, status="resolved", response="Đã hướng dẫn")
    with pytest.raises(StoreError) as error:
        update_petition(ws, petition.id, status="new")
    assert error.value.code == "E-PETITION-TRANSITION" and "Đã giải quyết" in error.value.message
    back = update_petition(ws, petition.id, status="forwarded", forwarded_to="Sở Nội vụ", force=True)
    assert back.status == "forwarded"
    # Forwarding again to another department is allowed.
    again = update_petition(ws, petition.id, status="forwarded", forwarded_to="Sở Xây dựng")
    assert again.resolution.startswith("Kính chuyển Sở Xây dựng")


def test_resolution_and_recommendation_texts():
    import dataclasses

    from readiness.department.petitions import Petition, recommendation_text, resolution_text

    base = Petition(id=1, commune_code="23500", commune_name="Xã Đăk Hà", period=PERIOD, position=0, topic=None,
                    topic_label=None, difficulty="Khó", proposal="Đề nghị", addressed_to="Sở Tài chính", status="new",
                    forwarded_to=None, response=None, response_ref=None, updated_at=None, assessment_id="a")
    assert resolution_text(base) == "Sở KHCN đang xem xét, xử lý."
    assert recommendation_text(base) == "Đề nghị chuyển Sở Tài chính xem xét, giải quyết theo thẩm quyền."
    assert recommendation_text(dataclasses.replace(base, addressed_to="Sở Khoa học và Công nghệ")) == ""
    forwarded = dataclasses.replace(base, status="forwarded", forwarded_to="Sở Tài chính, Sở Xây dựng")
    assert resolution_text(forwarded) == "Kính chuyển Sở Tài chính, Sở Xây dựng"
    answered = dataclasses.replace(base, status="answered", response="Đã trả lời qua điện thoại")
    assert resolution_text(answered) == "Sở KHCN đã trả lời: Đã trả lời qua điện thoại."


def test_a_resubmission_replaces_the_earlier_petitions(ws):
    from readiness.department.petitions import list_petitions

    code = list_petitions(ws, period=PERIOD)[0].commune_code
    before = list_petitions(ws, commune=code)
    finalize_revision(ws, code, change={"petitions": [
        {"topic": "training", "difficulty": "Cần tập huấn chữ ký số.", "proposal": "Đề nghị mở lớp tập huấn.",
         "addressed_to": "Sở Khoa học và Công nghệ"}]})
    after = list_petitions(ws, commune=code)
    assert [p.difficulty for p in after] == ["Cần tập huấn chữ ký số."]
    everything = list_petitions(ws, commune=code, current_only=False)
    assert len(everything) == len(before) + 1


def test_petitions_cli(ws, db_url, capsys):
    from readiness.cli import main

    assert main(["--db", db_url, "petitions", "list", "--period", PERIOD, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    target = listed[0]["id"]
    assert main(["--db", db_url, "petitions", "update", str(target), "--status", "forwarded",
                 "--forwarded-to", "Sở Tài chính", "--json"]) == 0
    updated = json.loads(capsys.readouterr().out)
    assert updated["status"] == "forwarded" and updated["resolution"] == "Kính chuyển Sở Tài chính"
    assert main(["--db", db_url, "petitions", "update", str(target), "--status", "answered",
                 "--response-ref", REF]) == 0
    assert "Đã trả lời" in capsys.readouterr().out
    assert main(["--db", db_url, "petitions", "list", "--status", "answered"]) == 0
    out = capsys.readouterr().out
    assert f"#{target}" in out and REF in out
    assert main(["--db", db_url, "petitions", "update", str(target), "--status", "new"]) == 1
    assert "E-PETITION-TRANSITION" in capsys.readouterr().err
    assert main(["--db", db_url, "petitions", "update", str(target)]) == 2
