"""Signatures: the department's trusted roots, and the signature outcome of each imported assessment.

- ``trusted_roots``: root certificates installed with ``readiness trust add`` (DER, SHA-256, names,
  validity, who added them and when);
- ``assessment_signatures``: per imported assessment, valid / unsigned / invalid with the code and
  the reason, the signer (CN, O, certificate SHA-256, issuer), the signing time, the PDF's outcome.

Add-only (models ``TrustedRootRow`` and ``SignatureRow`` in ``readiness/store/models.py``).

Revision ID: 0003_signatures
Revises: 0002_import_log
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_signatures"
down_revision = "0002_import_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_roots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("common_name", sa.Text(), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_table(
        "assessment_signatures",
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.Text(), nullable=True),
        sa.Column("signer_org", sa.Text(), nullable=True),
        sa.Column("certificate_sha256", sa.String(64), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pdf_status", sa.String(12), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("assessment_signatures")
    op.drop_table("trusted_roots")
