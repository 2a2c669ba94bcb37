"""Held revisions in the store, on SQLite and PostgreSQL: kept whole, listed, accepted once, dismissed, superseded."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest

from readiness.store.db import StoreError
from readiness.store.imports import (
    HoldReason,
    IncomingAssessment,
    LogEntry,
    decide_held,
    held_revisions,
    import_log,
    store_assessment,
)

COMMUNE, PERIOD = "23500", "2025-11"
HOLD = HoldReason("W-HELD-UNSIGNED", "Bản mới không ký số, bản đã ký số vẫn được dùng (lần 1).", 1, None,
                  {"status": "unsigned", "code": "W-SIG-UNSIGNED", "message": "Tệp Excel chưa được ký số."})


def _incoming(revision: int, officers: int, *, status: str = "finalized") -> IncomingAssessment:
    return IncomingAssessment(
        id=str(uuid.uuid4()), commune_code=COMMUNE, period=PERIOD, revision=revision, status=status,
        checklist_id="small-test", checklist_version=1, checklist_hash="c" * 64, answers_sha256=f"{officers:064d}",
        created_at=dt.datetime(2025, 11, 20, 8, tzinfo=dt.UTC), finalized_at=dt.datetime(2025, 11, 20, 9, tzinfo=dt.UTC),
        score=72.5, level="basic",
        answers=[{"item_id": "officers", "value": officers, "source": "import", "meta": {"note": "Đăk Hà"}}],
        rows=[{"item_id": "pcs", "position": 0, "values": {"role": "Một cửa", "ram_gb": 8.0}, "source": "import",
               "meta": None}],
        petitions=[{"topic": "network", "difficulty": "Mạng chậm", "proposal": "Nâng băng thông", "addressed_to": None}])


def _entry(name: str) -> LogEntry:
    return LogEntry(file_name=name, path=f"/tmp/{name}", sha256="f" * 64, size=10, user_name="can-bo-so")


def _held_guard(_session, _incoming):
    return HOLD


def test_store__held_then_accepted__stored_whole_once_and_logged(dept_any):
    store = dept_any.store
    assert store_assessment(store, _incoming(1, 20), _entry("r1.xlsx")).status == "imported"
    incoming = _incoming(2, 21)
    outcome = store_assessment(store, incoming, _entry("r2.xlsx"), guard=_held_guard)
    assert outcome.status == "held" and outcome.held_id and outcome.assessment_id is None
    assert store.history(COMMUNE, PERIOD)[0].revision == 1  # the revision in use stays
    (held,) = held_revisions(store, period=PERIOD)
    assert (held.revision, held.reason_code, held.state, held.signature_status) == (2, "W-HELD-UNSIGNED", "pending",
                                                                                     "unsigned")
    assert import_log(store, limit=1)[0].outcome == "held"

    recorded: list[tuple[str, dict]] = []
    accepted = decide_held(store, held.id, accept=True, user="lanh-dao", note="Đã xác nhận",
                           record_signature=lambda _s, assessment_id, data: recorded.append((assessment_id, data)))
    assert accepted.status == "updated" and accepted.assessment_id == incoming.id
    assert recorded == [(incoming.id, HOLD.signature)]
    newest = store.history(COMMUNE, PERIOD)[0]
    assert (newest.revision, newest.id, newest.status) == (2, incoming.id, "finalized")
    from readiness.store.models import AnswerRow, TableRowRow
    from sqlalchemy import select

    with store.transaction() as session:
        answer = session.scalars(select(AnswerRow).where(AnswerRow.assessment_id == incoming.id)).one()
        row = session.scalars(select(TableRowRow).where(TableRowRow.assessment_id == incoming.id)).one()
    assert (answer.value, answer.meta) == (21, {"note": "Đăk Hà"}) and row.values["role"] == "Một cửa"
    assert len(store.petitions(COMMUNE)) == 1  # moved to revision 2, not added again
    line = import_log(store, limit=1)[0]
    assert (line.outcome, line.user_name, line.note, line.revision) == ("accepted", "lanh-dao", "Đã xác nhận", 2)
    with pytest.raises(StoreError) as decided:
        decide_held(store, held.id, accept=True, user="x", note="lại")
    assert decided.value.code == "E-HELD-DECIDED" and "lanh-dao" in decided.value.message
    with pytest.raises(StoreError) as no_reason:
        decide_held(store, held.id, accept=False, user="x", note="  ")
    assert no_reason.value.code == "E-HELD-REASON"


def test_store__newer_revision_on_its_own__supersedes_the_held_ones_it_is_not_older_than(dept_any):
    store = dept_any.store
    store_assessment(store, _incoming(1, 20), _entry("r1.xlsx"))
    store_assessment(store, _incoming(2, 21), _entry("r2.xlsx"), guard=_held_guard)
    store_assessment(store, _incoming(5, 25), _entry("r5.xlsx"), guard=_held_guard)
    assert store_assessment(store, _incoming(3, 23), _entry("r3.xlsx")).status == "updated"
    states = {h.revision: h.state for h in held_revisions(store, states=None)}
    assert states == {2: "superseded", 5: "pending"}
    with pytest.raises(StoreError) as stale:
        decide_held(store, next(h.id for h in held_revisions(store, states=None) if h.revision == 2), accept=True,
                    user="x", note="muộn")
    assert stale.value.code == "E-HELD-DECIDED"


def test_store__two_people_accept_the_same_held_revision_at_once__one_succeeds(dept_any):
    store = dept_any.store
    store_assessment(store, _incoming(1, 20), _entry("r1.xlsx"))
    store_assessment(store, _incoming(2, 21), _entry("r2.xlsx"), guard=_held_guard)
    (held,) = held_revisions(store)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def accept(user: str) -> None:
        barrier.wait()
        try:
            results.append(decide_held(store, held.id, accept=True, user=user, note="cùng lúc").status)
        except StoreError as error:
            results.append(error.code)

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["E-HELD-DECIDED", "updated"]
    assert [h.revision for h in store.history(COMMUNE, PERIOD)] == [2, 1]
