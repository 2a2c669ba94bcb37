"""The local store (SQLAlchemy 2 + Alembic)."""
