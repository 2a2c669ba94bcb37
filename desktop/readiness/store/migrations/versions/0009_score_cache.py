"""The score cache in the database: one cache shared by every computer of the team.

- ``score_cache``: the department's score of a finalized assessment (``readiness.department.bulk``),
  keyed by the SHA-256 of what the score depends on (never by the database's URL), with the assessment's
  id (for clearing), what wrote it (``<format>/<program version>``), the value (zlib-compressed JSON)
  and when.  Derived data: ``readiness cache clear`` empties it and nothing is lost.

It replaces the score cache files that earlier versions kept in the user data folder (``cache/scores-*``,
one per database URL); those are no longer read (``readiness cache clear`` removes them).

Add-only: nothing existing changes.

Revision ID: 0009_score_cache
Revises: 0008_mailbox
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_score_cache"
down_revision = "0008_mailbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("scorer", sa.String(40), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_score_cache_assessment", "score_cache", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_score_cache_assessment", table_name="score_cache")
    op.drop_table("score_cache")
