"""What the database keeps about signatures, from the signing side (tables in :mod:`readiness.store.models`,
read and written by :mod:`readiness.store.signatures`):

- ``trusted_roots``: the root certificates the department installed (``readiness trust add``,
  :class:`readiness.signing.trust.TrustStore`);
- ``assessment_signatures``: one row per imported assessment: the outcome of the signature check
  (valid / unsigned / invalid, code, reason), who signed and when.  Assessments made locally have
  no row (their status is blank, not "unsigned").

This module turns a :class:`~readiness.signing.verify.Verification` (or its kept ``to_dict()``) into
the store's :class:`~readiness.store.signatures.SignatureRecord`, and a stored row into
:class:`SignatureInfo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..store import signatures as stored

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..store.db import Store


def record_of(verification: Any) -> stored.SignatureRecord:
    """The row of a :class:`~readiness.signing.verify.Verification`."""
    signer = verification.signer
    return stored.SignatureRecord(
        status=verification.status, code=verification.code, message=verification.message,
        signer_name=signer.common_name if signer else None, signer_org=signer.organization if signer else None,
        certificate_sha256=signer.sha256 if signer else None, issuer=signer.issuer if signer else None,
        signed_at=verification.signed_at, pdf_status=verification.pdf.status if verification.pdf else None,
        details=verification.to_dict())


def record_of_data(data: dict[str, Any]) -> stored.SignatureRecord:
    """The row of a kept ``Verification.to_dict()`` (a held revision accepted later)."""
    signer = data.get("signer") or {}
    signed_at = data.get("signed_at")
    return stored.SignatureRecord(
        status=data.get("status") or "unsigned", code=data.get("code"), message=data.get("message") or "",
        signer_name=signer.get("common_name"), signer_org=signer.get("organization"),
        certificate_sha256=signer.get("sha256"), issuer=signer.get("issuer"),
        signed_at=dt.datetime.fromisoformat(signed_at) if signed_at else None,
        pdf_status=(data.get("pdf") or {}).get("status"), details=data)


def save_signature(store: Store, assessment_id: str, verification: Any) -> None:
    """Keep ``verification`` (a :class:`readiness.signing.verify.Verification`) with the assessment."""
    store.save_signature(assessment_id, record_of(verification))


def write_signature(session: Session, assessment_id: str, verification: Any, *, keep_valid: bool = False) -> None:
    """:func:`save_signature` inside a transaction the caller holds (the import's, with the assessment).

    ``keep_valid``: a stored valid outcome is not replaced by a lesser one (the same data imported again).
    """
    stored.write_signature(session, assessment_id, record_of(verification), keep_valid=keep_valid)


def write_signature_data(session: Session, assessment_id: str, data: dict[str, Any] | None) -> None:
    """:func:`write_signature` from a kept ``Verification.to_dict()`` (a held revision accepted later)."""
    if not data:
        return
    stored.write_signature(session, assessment_id, record_of_data(data))


def signature_statuses(store: Store, assessment_ids: Iterable[str]) -> dict[str, SignatureInfo]:
    """Assessment id -> its signature outcome, for the ids that have one."""
    ids = [i for i in dict.fromkeys(assessment_ids) if i]
    if not ids:
        return {}
    return {assessment_id: SignatureInfo.of(row) for assessment_id, row in store.signatures(ids).items()}


class SignatureInfo:
    """A stored outcome, detached from the session."""

    __slots__ = ("assessment_id", "status", "code", "message", "signer_name", "signer_org", "signed_at", "pdf_status")
    assessment_id: str
    status: str
    code: str | None
    message: str | None
    signer_name: str | None
    signer_org: str | None
    signed_at: dt.datetime | None
    pdf_status: str | None

    def __init__(self, **values: Any):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    @classmethod
    def of(cls, row: Any) -> SignatureInfo:
        signed_at = row.signed_at
        if signed_at is not None and signed_at.tzinfo is None:
            signed_at = signed_at.replace(tzinfo=dt.UTC)
        return cls(assessment_id=row.assessment_id, status=row.status, code=row.code, message=row.message,
                   signer_name=row.signer_name, signer_org=row.signer_org, signed_at=signed_at,
                   pdf_status=row.pdf_status)

    @property
    def label(self) -> str:
        from .errors import status_label

        return status_label(self.status)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "label": self.label, "code": self.code, "message": self.message,
                "signer": self.signer_org or self.signer_name,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None, "pdf_status": self.pdf_status}


def with_signatures(store: Store, rows: list) -> list:
    """Status rows (frozen dataclasses with ``assessment_id`` and ``signature``) with each one's signature status."""
    from dataclasses import replace

    found = signature_statuses(store, [row.assessment_id for row in rows if row.assessment_id])
    if not found:
        return rows
    return [replace(row, signature=found[row.assessment_id].status) if row.assessment_id in found else row
            for row in rows]
