"""The department's import: an import log, and the seals an imported assessment keeps.

- ``import_log``: one row per workbook the department tried to import (file name, path, SHA-256
  of its bytes, size, time, user, outcome, what it claims to be, the coded errors and warnings).
- ``assessments``: ``answers_sha256`` / ``data_sha256`` (the workbook's seals: a re-import of the
  same content is recognised as a duplicate), ``imported_at`` and ``import_id`` (-> import_log.id).

Add-only: nothing existing changes, so a database made by 0001 keeps every row.

Revision ID: 0002_import_log
Revises: 0001_initial
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_import_log"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("commune_code", sa.String(16), nullable=True),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.String(64), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=True),
    )
    op.create_index("ix_import_log_sha256", "import_log", ["sha256"])
    op.create_index("ix_import_log_commune", "import_log", ["commune_code", "period"])
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("answers_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("data_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        for column in ("import_id", "imported_at", "data_sha256", "answers_sha256"):
            batch.drop_column(column)
    op.drop_index("ix_import_log_commune", table_name="import_log")
    op.drop_index("ix_import_log_sha256", table_name="import_log")
    op.drop_table("import_log")
