"""Signature outcomes and trusted roots (tables ``assessment_signatures`` and ``trusted_roots``, migration 0003).

The signing package decides (verifies, trusts, holds back); this module only reads and writes their
rows: :class:`SignatureQueries` are methods of :class:`~readiness.store.db.Store`, and
:func:`write_signature` / :func:`latest_signed` run inside a transaction the caller already holds
(the import's, so the outcome commits or rolls back with the assessment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, insert, select, tuple_, update
from sqlalchemy.orm import Session

from .models import AssessmentRow, SignatureRow, TrustedRootRow, utcnow

_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class SignatureRecord:
    """One signature check as ``assessment_signatures`` keeps it."""

    status: str  # valid / unsigned / invalid
    code: str | None
    message: str
    signer_name: str | None = None  # CN
    signer_org: str | None = None  # O
    certificate_sha256: str | None = None
    issuer: str | None = None
    signed_at: dt.datetime | None = None
    pdf_status: str | None = None
    details: dict[str, Any] | None = None  # the whole outcome (Verification.to_dict)


class SignedRevision(NamedTuple):
    """The newest revision of a commune and period with a signature of a given status."""

    assessment_id: str
    revision: int
    signer_org: str | None
    signer_name: str | None
    signed_at: dt.datetime | None  # UTC
    details: dict[str, Any] | None


def write_signature(session: Session, assessment_id: str, record: SignatureRecord, *, keep_valid: bool = False) -> None:
    """Keep ``record`` with the assessment, in the caller's transaction.  ``keep_valid``: a stored
    valid outcome is not replaced by a lesser one (the same data imported again)."""
    row = session.get(SignatureRow, assessment_id)
    if row is not None and keep_valid and row.status == "valid" and record.status != "valid":
        return
    if row is None:
        row = SignatureRow(assessment_id=assessment_id)
        session.add(row)
    row.status = record.status
    row.code = record.code
    row.message = record.message
    row.signer_name = record.signer_name
    row.signer_org = record.signer_org
    row.certificate_sha256 = record.certificate_sha256
    row.issuer = record.issuer
    row.signed_at = record.signed_at
    row.pdf_status = record.pdf_status
    row.verified_at = utcnow()
    row.details = record.details
    session.flush()


def latest_signed(session: Session, commune_code: str, period: str, status: str) -> SignedRevision | None:
    """The newest revision of ``commune_code`` and ``period`` whose signature has ``status``, in the
    caller's transaction."""
    found = session.execute(
        select(AssessmentRow.id, AssessmentRow.revision, SignatureRow.signer_org, SignatureRow.signer_name,
               SignatureRow.signed_at, SignatureRow.details)
        .join(SignatureRow, SignatureRow.assessment_id == AssessmentRow.id)
        .where(AssessmentRow.commune_code == commune_code, AssessmentRow.period == period,
               SignatureRow.status == status)
        .order_by(AssessmentRow.revision.desc()).limit(1)).first()
    if found is None:
        return None
    signed_at = found.signed_at
    if signed_at is not None and signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=dt.UTC)
    return SignedRevision(found.id, found.revision, found.signer_org, found.signer_name, signed_at, found.details)


def latest_signed_many(connection: Any, pairs: Iterable[tuple[str, str]], status: str
                       ) -> dict[tuple[str, str], SignedRevision]:
    """:func:`latest_signed` of several (commune, period) pairs in one query, in the caller's transaction."""
    wanted = list(dict.fromkeys(pairs))
    if not wanted:
        return {}
    found: dict[tuple[str, str], SignedRevision] = {}
    rows = connection.execute(
        select(AssessmentRow.commune_code, AssessmentRow.period, AssessmentRow.id, AssessmentRow.revision,
               SignatureRow.signer_org, SignatureRow.signer_name, SignatureRow.signed_at, SignatureRow.details)
        .join(SignatureRow, SignatureRow.assessment_id == AssessmentRow.id)
        .where(tuple_(AssessmentRow.commune_code, AssessmentRow.period).in_(wanted), SignatureRow.status == status)
        .order_by(AssessmentRow.revision.desc()))
    for row in rows:
        key = (row.commune_code, row.period)
        if key in found:
            continue
        signed_at = row.signed_at
        if signed_at is not None and signed_at.tzinfo is None:
            signed_at = signed_at.replace(tzinfo=dt.UTC)
        found[key] = SignedRevision(row.id, row.revision, row.signer_org, row.signer_name, signed_at, row.details)
    return found


def write_signatures(connection: Any, records: list[tuple[str, SignatureRecord, bool]]) -> None:
    """:func:`write_signature` of several assessments ((assessment id, record, keep_valid), ids distinct) in
    the caller's transaction: one read, one insert, one update however many."""
    if not records:
        return
    table = cast(Table, SignatureRow.__table__)
    stored = dict(connection.execute(select(SignatureRow.assessment_id, SignatureRow.status).where(
        SignatureRow.assessment_id.in_([assessment_id for assessment_id, _r, _k in records]))).all())
    now = utcnow()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for assessment_id, record, keep_valid in records:
        if assessment_id in stored and keep_valid and stored[assessment_id] == "valid" and record.status != "valid":
            continue
        values = dict(status=record.status, code=record.code, message=record.message, signer_name=record.signer_name,
                      signer_org=record.signer_org, certificate_sha256=record.certificate_sha256, issuer=record.issuer,
                      signed_at=record.signed_at, pdf_status=record.pdf_status, verified_at=now,
                      details=record.details)
        if assessment_id in stored:
            changed.append({"key": assessment_id, **values})
        else:
            new.append({"assessment_id": assessment_id, **values})
    if new:
        connection.execute(insert(table), new)
    if changed:
        # the columns to set are the other keys of each dict (Core's executemany UPDATE)
        connection.execute(update(table).where(table.c.assessment_id == bindparam("key")), changed)


class SignatureQueries:
    """:class:`~readiness.store.db.Store` methods over signature outcomes and trusted roots."""

    transaction: Callable[[], AbstractContextManager[Session]]

    # -- signature outcomes -------------------------------------------------------------------------
    def save_signature(self, assessment_id: str, record: SignatureRecord, *, keep_valid: bool = False) -> None:
        """:func:`write_signature` in a transaction of its own."""
        with self.transaction() as session:
            write_signature(session, assessment_id, record, keep_valid=keep_valid)

    def signatures(self, assessment_ids: Iterable[str]) -> dict[str, SignatureRow]:
        """Assessment id -> its stored outcome (detached rows), for the ids that have one."""
        ids = [i for i in dict.fromkeys(assessment_ids) if i]
        out: dict[str, SignatureRow] = {}
        with self.transaction() as session:
            for chunk in _chunks(ids):
                for row in session.scalars(select(SignatureRow).where(SignatureRow.assessment_id.in_(chunk))):
                    out[row.assessment_id] = row
        return out

    def latest_signed(self, commune_code: str, period: str, status: str) -> SignedRevision | None:
        """:func:`latest_signed` in a transaction of its own."""
        with self.transaction() as session:
            return latest_signed(session, commune_code, period, status)

    # -- trusted roots ------------------------------------------------------------------------------
    def trusted_roots(self) -> list[TrustedRootRow]:
        """Every installed root (detached rows), in the order they were added."""
        with self.transaction() as session:
            return list(session.scalars(select(TrustedRootRow).order_by(TrustedRootRow.id)))

    def add_trusted_root(self, *, sha256: str, subject: str, common_name: str | None, organization: str | None,
                         not_before: dt.datetime, not_after: dt.datetime, der: bytes, added_by: str | None,
                         note: str | None) -> tuple[TrustedRootRow, bool]:
        """Install a root unless one with the same SHA-256 is there: (its row, whether it is new)."""
        with self.transaction() as session:
            existing = session.scalar(select(TrustedRootRow).where(TrustedRootRow.sha256 == sha256))
            if existing is not None:
                return existing, False
            row = TrustedRootRow(sha256=sha256, subject=subject, common_name=common_name, organization=organization,
                                 not_before=not_before, not_after=not_after, der=der, added_by=added_by, note=note)
            session.add(row)
            session.flush()
            return row, True

    def remove_trusted_root(self, sha256_prefix: str) -> list[TrustedRootRow]:
        """The roots whose SHA-256 starts with ``sha256_prefix``; when exactly one does, it is removed
        (several: none is, the caller asks for more digits)."""
        with self.transaction() as session:
            rows = [row for row in session.scalars(select(TrustedRootRow)) if row.sha256.startswith(sha256_prefix)]
            if len(rows) == 1:
                session.delete(rows[0])
            return rows


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]
