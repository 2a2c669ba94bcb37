"""What the database keeps about signatures (migration ``0003_signatures``).

- ``trusted_roots``: the root certificates the department installed (``readiness trust add``);
- ``assessment_signatures``: one row per imported assessment: the outcome of the signature check
  (valid / unsigned / invalid, code, reason), who signed and when.  Assessments made locally have
  no row (their status is blank, not "unsigned").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ..store.models import Base, utcnow


class TrustedRootRow(Base):
    __tablename__ = "trusted_roots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    common_name: Mapped[str | None] = mapped_column(Text)
    organization: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class SignatureRow(Base):
    __tablename__ = "assessment_signatures"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # valid / unsigned / invalid
    code: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(Text)  # CN
    signer_org: Mapped[str | None] = mapped_column(Text)  # O
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    issuer: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    pdf_status: Mapped[str | None] = mapped_column(String(12))  # the report PDF's own outcome, when checked
    verified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    details: Mapped[dict | None] = mapped_column(JSON)


def save_signature(store: Any, assessment_id: str, verification: Any) -> None:
    """Keep ``verification`` (a :class:`readiness.signing.verify.Verification`) with the assessment."""
    with store.transaction() as session:
        write_signature(session, assessment_id, verification)


def write_signature(session: Any, assessment_id: str, verification: Any, *, keep_valid: bool = False) -> None:
    """:func:`save_signature` inside a transaction the caller holds (the import's, with the assessment).

    ``keep_valid``: a stored valid outcome is not replaced by a lesser one (the same data imported again).
    """
    signer = verification.signer
    row = session.get(SignatureRow, assessment_id)
    if row is not None and keep_valid and row.status == "valid" and verification.status != "valid":
        return
    if row is None:
        row = SignatureRow(assessment_id=assessment_id)
        session.add(row)
    row.status = verification.status
    row.code = verification.code
    row.message = verification.message
    row.signer_name = signer.common_name if signer else None
    row.signer_org = signer.organization if signer else None
    row.certificate_sha256 = signer.sha256 if signer else None
    row.issuer = signer.issuer if signer else None
    row.signed_at = verification.signed_at
    row.pdf_status = verification.pdf.status if verification.pdf else None
    row.verified_at = utcnow()
    row.details = verification.to_dict()
    session.flush()


def write_signature_data(session: Any, assessment_id: str, data: dict[str, Any] | None) -> None:
    """:func:`write_signature` from a kept ``Verification.to_dict()`` (a held revision accepted later)."""
    if not data:
        return
    signer = data.get("signer") or {}
    signed_at = data.get("signed_at")
    row = session.get(SignatureRow, assessment_id)
    if row is None:
        row = SignatureRow(assessment_id=assessment_id)
        session.add(row)
    row.status = data.get("status") or "unsigned"
    row.code = data.get("code")
    row.message = data.get("message") or ""
    row.signer_name = signer.get("common_name")
    row.signer_org = signer.get("organization")
    row.certificate_sha256 = signer.get("sha256")
    row.issuer = signer.get("issuer")
    row.signed_at = dt.datetime.fromisoformat(signed_at) if signed_at else None
    row.pdf_status = (data.get("pdf") or {}).get("status")
    row.verified_at = utcnow()
    row.details = data
    session.flush()


def signature_statuses(store: Any, assessment_ids: Iterable[str]) -> dict[str, SignatureInfo]:
    """Assessment id -> its signature outcome, for the ids that have one."""
    ids = [i for i in dict.fromkeys(assessment_ids) if i]
    out: dict[str, SignatureInfo] = {}
    if not ids:
        return out
    with store.transaction() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in session.scalars(select(SignatureRow).where(SignatureRow.assessment_id.in_(chunk))):
                out[row.assessment_id] = SignatureInfo.of(row)
    return out


class SignatureInfo:
    """A stored outcome, detached from the session."""

    __slots__ = ("assessment_id", "status", "code", "message", "signer_name", "signer_org", "signed_at", "pdf_status")

    def __init__(self, **values: Any):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    @classmethod
    def of(cls, row: SignatureRow) -> SignatureInfo:
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


def with_signatures(store: Any, rows: list) -> list:
    """Status rows (frozen dataclasses with ``assessment_id`` and ``signature``) with each one's signature status."""
    from dataclasses import replace

    found = signature_statuses(store, [row.assessment_id for row in rows if row.assessment_id])
    if not found:
        return rows
    return [replace(row, signature=found[row.assessment_id].status) if row.assessment_id in found else row
            for row in rows]
