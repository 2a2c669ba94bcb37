"""An assessment read from a workbook and checked, in the form the tables store: :class:`IncomingAssessment`.

Apart from :mod:`.imports` (which writes it) so that the import's worker processes, which build it,
never load the database layer (SQLAlchemy): they only read files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class IncomingAssessment:
    """An assessment read from a workbook, checked, in the form the tables store."""

    id: str
    commune_code: str
    period: str
    revision: int | None  # None: a filled template, placed after the current revision
    status: str  # draft | finalized
    checklist_id: str
    checklist_version: int
    checklist_hash: str
    answers_sha256: str
    data_sha256: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    finalized_at: dt.datetime | None = None
    score: float | None = None
    level: str | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)  # {item_id, value, source, meta}
    rows: list[dict[str, Any]] = field(default_factory=list)  # {item_id, position, values, source, meta}
    petitions: list[dict[str, Any]] = field(default_factory=list)  # {topic, difficulty, proposal, addressed_to}
