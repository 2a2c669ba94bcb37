"""Petition rows (table ``petitions``): the queries behind :class:`~readiness.store.db.Store`'s petition methods.

Functions over the caller's session (``Store.petitions``, ``Store.assessment_revisions`` and
``Store.update_petitions`` hold the transaction, check the period and refuse unknown ids).  The rules
of handling a petition (which status may follow which, what a forward or an answer needs) are
:mod:`readiness.department.petitions`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AssessmentRow, PetitionRow

CHUNK = 500  # ids per IN (...) query


def petition_rows(session: Session, commune_code: str | None, period: str | None, status: str | None,
                  ids: Sequence[int] | None) -> list[PetitionRow]:
    """Petition rows by commune, period, status and/or id; ordered by commune, period, position."""
    query = select(PetitionRow)
    if commune_code:
        query = query.where(PetitionRow.commune_code == commune_code)
    if period:
        query = query.where(PetitionRow.period == period)
    if status:
        query = query.where(PetitionRow.status == status)
    order = (PetitionRow.commune_code, PetitionRow.period, PetitionRow.position, PetitionRow.id)
    if ids is None:
        return list(session.scalars(query.order_by(*order)))
    found: list[PetitionRow] = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        found.extend(session.scalars(query.where(PetitionRow.id.in_(wanted[start:start + CHUNK]))))
    found.sort(key=lambda r: (r.commune_code, r.period, r.position, r.id))
    return found


def assessment_revisions(session: Session, assessment_ids: Iterable[str]) -> dict[str, tuple[str, str, int]]:
    """Assessment id -> (commune, period, revision), for the ids given (in chunks)."""
    out: dict[str, tuple[str, str, int]] = {}
    ids = sorted(set(assessment_ids))
    for start in range(0, len(ids), CHUNK):
        for aid, code, period, revision in session.execute(
                select(AssessmentRow.id, AssessmentRow.commune_code, AssessmentRow.period, AssessmentRow.revision)
                .where(AssessmentRow.id.in_(ids[start:start + CHUNK]))):
            out[aid] = (code, period, revision)
    return out


def locked_petitions(session: Session, ids: Sequence[int], *, for_update: bool) -> dict[int, PetitionRow]:
    """Id -> row of the petitions ``ids`` that exist, read in id order (locked ``for_update``: PostgreSQL)."""
    rows: dict[int, PetitionRow] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = sorted(ids[start:start + CHUNK])
        query = select(PetitionRow).where(PetitionRow.id.in_(chunk)).order_by(PetitionRow.id)
        if for_update:
            query = query.with_for_update()
        rows.update((row.id, row) for row in session.scalars(query))
    return rows
