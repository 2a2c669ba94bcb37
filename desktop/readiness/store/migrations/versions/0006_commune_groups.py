"""Named groups of communes (seed 002: the communes a member of the provincial People's Committee follows).

- ``commune_groups``: the group's name (unique whatever the spelling of its diacritics and case), who
  follows it and in which role (the follow-up report's title), a note, when it was made and changed.
- ``commune_group_members``: its communes in the order the department gave them.

Add-only: nothing existing changes.

Revision ID: 0006_commune_groups
Revises: 0005_carry_forward
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_commune_groups"
down_revision = "0005_carry_forward"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commune_groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("person", sa.String(200), nullable=True),
        sa.Column("role", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "commune_group_members",
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("commune_groups.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("commune_code", sa.String(16), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("commune_group_members")
    op.drop_table("commune_groups")
