"""Databases full of realistic finalized assessments, for the department tests and benchmarks.

``populate``: through the store's own operations (open, save_answers, finalize), for tests.
``bulk_populate``: the fast path for thousands of communes (answers drawn and scored in worker
processes, rows written in batches of one transaction each), for the benchmark.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from readiness.answers import Answers, coerce_all, row_to_json, to_json
from readiness.checklist.model import Checklist, ItemType
from readiness.demo import demo_month
from readiness.register import Commune
from readiness.scoring import score


def populate(workspace, communes: Sequence[Commune], period: str, *, today: dt.date, seed: int = 2025,
             profiles: Sequence[str] | None = None, finalize: bool = True, checklist: Checklist | None = None) -> list:
    """One assessment per commune; returns the AssessmentInfo of each."""
    store = workspace.store
    checklist = checklist or workspace.latest_checklist()
    infos = []
    for index, commune in enumerate(communes):
        profile = profiles[index % len(profiles)] if profiles else None
        demo = demo_month(checklist, commune, period, seed=seed, today=today, profile=profile)
        values, errors = coerce_all(checklist, demo.answers)
        assert not errors, errors
        info = store.open_assessment(commune.code, period, checklist)
        store.save_answers(info.id, checklist, values)
        if finalize:
            result = score(checklist, Answers(values=dict(values)), today=today)
            info = store.finalize(info.id, checklist, result)
        infos.append(info)
    return infos


# -- the fast path ----------------------------------------------------------------------------------

_checklist: Checklist | None = None


def _init(path: str) -> None:
    global _checklist
    from readiness.checklist.loader import load_checklist

    _checklist = load_checklist(path)


def _draw(job: tuple[Commune, str, int, dt.date]) -> dict[str, Any]:
    commune, period, seed, today = job
    checklist = _checklist
    assert checklist is not None
    demo = demo_month(checklist, commune, period, seed=seed, today=today)
    values, errors = coerce_all(checklist, demo.answers)
    assert not errors, errors
    result = score(checklist, Answers(values=dict(values)), today=today)
    stored: dict[str, Any] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    for item_id, value in values.items():
        if value is None:
            continue
        item = checklist.item(item_id)
        if item.type is ItemType.TABLE:
            tables[item_id] = [row_to_json(item, row.values) for row in value]
        else:
            stored[item_id] = to_json(item, value)
    petitions = tables.get(checklist.petition_item or "", []) if result.relevant.get(checklist.petition_item or "") else []
    return {"code": commune.code, "values": stored, "tables": tables, "score": round(result.score, 2),
            "level": result.level_id, "petitions": petitions}


def bulk_populate(store, checklist: Checklist, communes: Sequence[Commune], period: str, *, today: dt.date,
                  seed: int = 2025, workers: int = 2, batch: int = 250, finalized_at: dt.datetime | None = None) -> int:
    """Finalized demo assessments for every commune, written straight through ``store.transaction()``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow, TableRowRow

    jobs = [(commune, period, seed, today) for commune in communes]
    when = finalized_at or dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    context = multiprocessing.get_context("forkserver")
    written = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init,
                             initargs=(checklist.source_path,)) as pool:
        drawn = pool.map(_draw, jobs, chunksize=20)
        pending: list[dict[str, Any]] = []

        def flush() -> None:
            nonlocal written
            with store.transaction() as session:
                for entry in pending:
                    assessment_id = str(uuid.uuid4())
                    session.add(AssessmentRow(
                        id=assessment_id, commune_code=entry["code"], period=period, revision=1, status="finalized",
                        checklist_id=checklist.id, checklist_version=checklist.version,
                        checklist_hash=checklist.content_hash, created_at=when, updated_at=when, finalized_at=when,
                        score=entry["score"], level=entry["level"], origin="import"))
                    session.flush()
                    session.add_all(AnswerRow(assessment_id=assessment_id, item_id=k, value=v, source="import",
                                              updated_at=when) for k, v in entry["values"].items())
                    for item_id, rows in entry["tables"].items():
                        session.add_all(TableRowRow(assessment_id=assessment_id, item_id=item_id, position=p, values=v,
                                                    source="import", updated_at=when) for p, v in enumerate(rows))
                    session.add_all(PetitionRow(
                        assessment_id=assessment_id, commune_code=entry["code"], period=period, position=p,
                        topic=v.get("topic"), difficulty=v.get("difficulty"), proposal=v.get("proposal"),
                        addressed_to=v.get("addressed_to"), updated_at=when) for p, v in enumerate(entry["petitions"]))
            written += len(pending)
            pending.clear()

        for entry in drawn:
            pending.append(entry)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
    return written
