"""Held revisions: a later revision that would replace a validly signed one without proof of the same sender.

- ``held_revisions``: one row per held revision of a commune and period: what it is (revision, the
  file's assessment id, status, the answers' seal), where it came from (file, its SHA-256, the import
  log line), why it is held (a coded reason, in Vietnamese, and the signed revision it would have
  replaced), its signature check, the assessment ready to store (JSON), and the department's decision
  (``pending`` / ``accepted`` / ``dismissed`` / ``superseded``: who, when, why).
- ``import_log.note``: why a person decided what the line records (accepting a held revision).

Add-only: nothing existing changes, so a database made by 0003 keeps every row.

Revision ID: 0004_held_revisions
Revises: 0003_signatures
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_held_revisions"
down_revision = "0003_signatures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("commune_code", sa.String(16), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("answers_sha256", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("signed_revision", sa.Integer(), nullable=True),
        sa.Column("signed_assessment_id", sa.String(36), nullable=True),
        sa.Column("signature", sa.JSON(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.String(200), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decision_log_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_held_revisions_commune", "held_revisions", ["commune_code", "period", "state"])
    with op.batch_alter_table("import_log") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_log") as batch:
        batch.drop_column("note")
    op.drop_index("ix_held_revisions_commune", table_name="held_revisions")
    op.drop_table("held_revisions")
