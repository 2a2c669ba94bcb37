"""The official mailbox: every message fetched and what came of it, the replies, the reminders sent by
e-mail, and the commune contacts the department keeps by hand.

- ``mail_messages``: one row per message seen in the department's mailbox (key: its Message-ID, or a
  hash of its bytes when it has none): who sent it, its attachments and the import result of each,
  and the reply (receipt or refusal) with its own Message-ID and whether it was sent.  A message is
  imported once and answered once, even across runs and after a crash.
- ``mail_reminders``: each reminder e-mailed (``readiness remind --send``).
- ``commune_contacts``: the contact the department keeps for a commune (``readiness contacts``);
  where set, it is used before the respondent named in the commune's latest submission.

Add-only: nothing existing changes.

Revision ID: 0008_mailbox
Revises: 0007_reporting_cycle
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_mailbox"
down_revision = "0007_reporting_cycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_key", sa.String(300), nullable=False, unique=True),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("account", sa.String(320), nullable=False),
        sa.Column("folder", sa.String(200), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(320), nullable=True),
        sa.Column("sender_name", sa.String(200), nullable=True),
        sa.Column("reply_address", sa.String(320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("files", sa.JSON(), nullable=True),
        sa.Column("commune_code", sa.String(16), nullable=True),
        sa.Column("period", sa.String(7), nullable=True),
        sa.Column("sender_known", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reply_kind", sa.String(12), nullable=True),
        sa.Column("reply_message_id", sa.String(300), nullable=True),
        sa.Column("reply_status", sa.String(12), nullable=True),
        sa.Column("reply_error", sa.Text(), nullable=True),
        sa.Column("reply_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailbox_done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_mail_messages_commune", "mail_messages", ["commune_code", "period"])
    op.create_table(
        "mail_reminders",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("commune_code", sa.String(16), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_mail_reminders_period", "mail_reminders", ["period", "commune_code"])
    op.create_table(
        "commune_contacts",
        sa.Column("commune_code", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("position", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(100), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("commune_contacts")
    op.drop_index("ix_mail_reminders_period", table_name="mail_reminders")
    op.drop_table("mail_reminders")
    op.drop_index("ix_mail_messages_commune", table_name="mail_messages")
    op.drop_table("mail_messages")
