"""Carry forward: a period started from an earlier one, and the sections confirmed unchanged.

- ``carry_forward``: per assessment started from an earlier period's finalized assessment (issue 14
  §1), where from: that assessment's id, period and revision, and when.  Each carried answer and
  table row says the same in its ``meta`` (``{"carried": {...}}``) and has ``source='carried'``.
- ``section_confirmations``: per assessment and section, when the officer confirmed «Không thay
  đổi so với kỳ trước» (the section's carried answers still hold; nothing new to add).

Add-only: nothing existing changes, so a database made by an earlier revision keeps every row.

Revision ID: 0005_carry_forward
Revises: 0004_held_revisions
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_carry_forward"
down_revision = "0004_held_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carry_forward",
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("from_assessment_id", sa.String(36), nullable=False),
        sa.Column("from_period", sa.String(7), nullable=False),
        sa.Column("from_revision", sa.Integer(), nullable=False),
        sa.Column("carried_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "section_confirmations",
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("section_id", sa.String(64), primary_key=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("section_confirmations")
    op.drop_table("carry_forward")
