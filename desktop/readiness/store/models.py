"""SQLAlchemy 2 models of the local store.

Portable types only (SQLite by default, PostgreSQL must work too).  The schema is created and
changed exclusively by the Alembic migrations in ``migrations/versions``; keep them in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the database and small settings (last commune chosen, ...)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CommuneRow(Base):
    __tablename__ = "communes"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    province_name: Mapped[str] = mapped_column(String(200))
    former_province: Mapped[str | None] = mapped_column(String(100))
    former_units: Mapped[str | None] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(String(200), index=True)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("commune_code", "period", "revision", name="uq_assessment_revision"),
        Index("ix_assessments_period", "period", "commune_code"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # draft / finalized / superseded
    checklist_id: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[int] = mapped_column(Integer)
    checklist_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[float | None] = mapped_column(Float)
    level: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(12), default="local")  # local / import
    note: Mapped[str | None] = mapped_column(Text)
    # Migration 0002: an imported assessment keeps the seals of its workbook and points at its import.
    answers_sha256: Mapped[str | None] = mapped_column(String(64))
    data_sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    import_id: Mapped[int | None] = mapped_column(Integer)  # import_log.id

    answers: Mapped[list[AnswerRow]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    rows: Mapped[list[TableRowRow]] = relationship(back_populates="assessment", cascade="all, delete-orphan")


class AnswerRow(Base):
    __tablename__ = "answers"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)  # as migration 0001 made it
    source: Mapped[str] = mapped_column(String(16), default="typed")  # typed / probe / measured / import
    meta: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assessment: Mapped[AssessmentRow] = relationship(back_populates="answers")


class TableRowRow(Base):
    """One row of a table item (a PC, a certificate, an endpoint, a petition)."""

    __tablename__ = "table_rows"
    __table_args__ = (Index("ix_table_rows_item", "assessment_id", "item_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(16), default="typed")
    meta: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assessment: Mapped[AssessmentRow] = relationship(back_populates="rows")


class PetitionRow(Base):
    """A difficulty or proposal of a commune, tracked by the department until resolved."""

    __tablename__ = "petitions"
    __table_args__ = (Index("ix_petitions_commune", "commune_code", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"))
    period: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str | None] = mapped_column(String(64))
    difficulty: Mapped[str | None] = mapped_column(Text)
    proposal: Mapped[str | None] = mapped_column(Text)
    addressed_to: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new / forwarded / answered / resolved
    forwarded_to: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    response_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. "Công văn 2984/SKHCN-VP ngày 20/11/2025"
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- added by migration 0002 (the department's import) ----------------------------------------------


class ImportLogRow(Base):
    """One workbook the department tried to import: who, when, which bytes, and what came of it."""

    __tablename__ = "import_log"
    __table_args__ = (
        Index("ix_import_log_sha256", "sha256"),
        Index("ix_import_log_commune", "commune_code", "period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the file's bytes (None: unreadable)
    size: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_name: Mapped[str | None] = mapped_column(String(200))
    # imported / updated / duplicate / held / rejected / skipped; accepted / dismissed (a held revision)
    outcome: Mapped[str] = mapped_column(String(16))
    # What the file claims; not foreign keys, since a rejected file may name a commune that does not exist.
    commune_code: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(16))
    revision: Mapped[int | None] = mapped_column(Integer)
    assessment_id: Mapped[str | None] = mapped_column(String(64))
    errors: Mapped[list | None] = mapped_column(JSON)  # [{code, sheet, cell, message}]
    warnings: Mapped[list | None] = mapped_column(JSON)  # accepted hand edits and other notes
    note: Mapped[str | None] = mapped_column(Text)  # migration 0004: why a person decided (accepting a held revision)


# -- added by migration 0003 (signatures) ---------------------------------------------------------------


class TrustedRootRow(Base):
    """A root certificate the department installed (``readiness trust add``)."""

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
    """The signature check of an imported assessment (valid / unsigned / invalid, who signed and when).
    Assessments made locally have no row (their status is blank, not "unsigned")."""

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


# -- added by migration 0004 (held revisions) -----------------------------------------------------------


class HeldRevisionRow(Base):
    """A later revision that was not allowed to replace a validly signed one (``readiness.department.held``).

    It waits for the department: ``pending`` until accepted (stored as the newest revision),
    dismissed, or superseded by a newer revision that came in on its own.
    """

    __tablename__ = "held_revisions"
    __table_args__ = (Index("ix_held_revisions_commune", "commune_code", "period", "state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commune_code: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[str] = mapped_column(String(36))  # the file's (a filled template: made on import)
    status: Mapped[str] = mapped_column(String(12))  # draft / finalized
    answers_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the file's bytes
    reason_code: Mapped[str] = mapped_column(String(40))  # W-HELD-...
    reason: Mapped[str] = mapped_column(Text)  # Vietnamese
    signed_revision: Mapped[int | None] = mapped_column(Integer)  # the signed revision it would have replaced
    signed_assessment_id: Mapped[str | None] = mapped_column(String(36))
    signature: Mapped[dict | None] = mapped_column(JSON)  # its own signature check (Verification.to_dict)
    payload: Mapped[dict] = mapped_column(JSON)  # the checked assessment, ready to store (IncomingAssessment)
    held_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    held_by: Mapped[str | None] = mapped_column(String(200))
    import_id: Mapped[int | None] = mapped_column(Integer)  # import_log.id of the import that held it
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending / accepted / dismissed / superseded
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decision_log_id: Mapped[int | None] = mapped_column(Integer)  # import_log.id of the decision



# -- added by migration 0005 (carry forward, issue 14 §1) ------------------------------------------


class CarryForwardRow(Base):
    """An assessment started from an earlier period's finalized assessment."""

    __tablename__ = "carry_forward"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    from_assessment_id: Mapped[str] = mapped_column(String(36))
    from_period: Mapped[str] = mapped_column(String(7))
    from_revision: Mapped[int] = mapped_column(Integer)
    carried_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SectionConfirmationRow(Base):
    """A section whose carried answers the officer confirmed unchanged («Không thay đổi so với kỳ trước»)."""

    __tablename__ = "section_confirmations"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- added by migration 0006 (named groups of communes) -------------------------------------------------


class CommuneGroupRow(Base):
    """A named group of communes the department reports on together (seed 002: the communes one member of the
    provincial People's Committee follows): who follows them (``person``, ``role``) and the communes."""

    __tablename__ = "commune_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # text.normalize_name: one group per spelling
    person: Mapped[str | None] = mapped_column(String(200))  # «Nguyễn Tấn Liêm»
    role: Mapped[str | None] = mapped_column(String(200))  # «Thành viên UBND tỉnh»
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    members: Mapped[list[CommuneGroupMemberRow]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="CommuneGroupMemberRow.position")


class CommuneGroupMemberRow(Base):
    __tablename__ = "commune_group_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("commune_groups.id", ondelete="CASCADE"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    group: Mapped[CommuneGroupRow] = relationship(back_populates="members")


# -- added by migration 0007 (the reporting cycle) -------------------------------------------------------


class ReportingPeriodRow(Base):
    """A reporting period the department set up: its deadline (the last day, Asia/Ho_Chi_Minh).

    A period with no row (or no deadline) has no on-time rate; its submissions are received, neither
    on time nor late (``readiness.department.cycle``).
    """

    __tablename__ = "reporting_periods"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class ExportRow(Base):
    """A file this installation wrote for the department: the submission workbook or report PDF as
    exported, and again after it was signed in place (its bytes change).

    The commune's own record of what it sent: a receipt from the department names the SHA-256 of the
    file it received, and ``readiness receipt check`` finds it here.
    """

    __tablename__ = "exports"
    __table_args__ = (
        Index("ix_exports_commune", "commune_code", "period", "revision"),
        Index("ix_exports_sha256", "sha256"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(String(36))
    commune_code: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # the assessment's: draft / finalized
    kind: Mapped[str] = mapped_column(String(8))  # xlsx / pdf
    action: Mapped[str] = mapped_column(String(12))  # exported / signed
    file_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data_sha256: Mapped[str | None] = mapped_column(String(64))  # the workbook's data seal (unchanged by signing)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- added by migration 0008 (the official mailbox) -----------------------------------------------------


class MailMessageRow(Base):
    """A message seen in the department's mailbox and what came of it (``readiness.department.mailbox``).

    ``state``: received (being imported) / imported (attachments done) / no_attachment / too_large.
    ``reply_status``: pending / sending / sent / failed / manual (given up after ``reply_attempts``
    refusals: to be sent by hand) / none.
    """

    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_commune", "commune_code", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_key: Mapped[str] = mapped_column(String(300), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998))
    account: Mapped[str] = mapped_column(String(320))
    folder: Mapped[str] = mapped_column(String(200))
    uid: Mapped[int | None] = mapped_column(Integer)
    sender: Mapped[str | None] = mapped_column(String(320))
    sender_name: Mapped[str | None] = mapped_column(String(200))
    reply_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    size: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))  # accepted / refused / held / none
    files: Mapped[list | None] = mapped_column(JSON)  # [{file, status, commune, period, revision, sha256, errors}]
    commune_code: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(7))
    sender_known: Mapped[bool | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    reply_kind: Mapped[str | None] = mapped_column(String(12))  # receipt / refusal / held
    reply_message_id: Mapped[str | None] = mapped_column(String(300))
    reply_status: Mapped[str | None] = mapped_column(String(12))
    reply_error: Mapped[str | None] = mapped_column(Text)
    reply_attempts: Mapped[int] = mapped_column(Integer, default=0)
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    mailbox_done: Mapped[bool] = mapped_column(default=False)
    first_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailReminderRow(Base):
    """A reminder e-mailed to a commune (``readiness remind --send``)."""

    __tablename__ = "mail_reminders"
    __table_args__ = (Index("ix_mail_reminders_period", "period", "commune_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(7))
    commune_code: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12))  # sent / failed
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by: Mapped[str | None] = mapped_column(String(200))


class CommuneContactRow(Base):
    """The contact the department keeps for a commune (``readiness contacts set``)."""

    __tablename__ = "commune_contacts"
    commune_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


# -- added by migration 0009 (the score cache in the database) -------------------------------------------


class ScoreCacheRow(Base):
    """A department score of a finalized assessment, computed once and shared by every computer that opens
    this database (``readiness.department.bulk``; queries in :mod:`.score_cache`).

    Derived data: deleting rows loses nothing (the next report scores what is missing).  ``key`` is the
    SHA-256 of everything the score depends on (the scorer's format and the program's version, the
    assessment's id, revision and timestamps, the checklist's id, version and content hash, the
    commune's province and its contacts' digest, the reference date), so a changed checklist or a new
    revision is another key and a stale score is never read; not of the database's URL.  ``value``: the
    compact score as zlib-compressed JSON.  No foreign key: a score may be kept while an import writes.
    """

    __tablename__ = "score_cache"
    __table_args__ = (Index("ix_score_cache_assessment", "assessment_id"),)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(String(36))
    scorer: Mapped[str] = mapped_column(String(40))  # "<format>/<program version>": what wrote it
    value: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
