"""The reporting cycle: each period's deadline, and the commune's record of the files it exported.

- ``reporting_periods``: a period the department set up, with its deadline (a date: the end of that
  day in Asia/Ho_Chi_Minh), who set it and when (``readiness period set``, the dashboard).
- ``exports``: every submission workbook and report PDF this installation wrote, and again after it
  was signed in place: the commune, period and revision, the file's name, path, SHA-256 and size, and
  the workbook's data seal.  A receipt from the department is checked against it.

Add-only: nothing existing changes, so a database made by an earlier revision keeps every row.

Revision ID: 0007_reporting_cycle
Revises: 0006_commune_groups
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_reporting_cycle"
down_revision = "0006_commune_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reporting_periods",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
    )
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("commune_code", sa.String(16), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_exports_commune", "exports", ["commune_code", "period", "revision"])
    op.create_index("ix_exports_sha256", "exports", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_exports_sha256", table_name="exports")
    op.drop_index("ix_exports_commune", table_name="exports")
    op.drop_table("exports")
    op.drop_table("reporting_periods")
