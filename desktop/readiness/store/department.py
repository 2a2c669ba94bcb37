"""Queries of the department's screens and reports: many assessments at once, the periods there are.

:class:`DepartmentQueries` are methods of :class:`~readiness.store.db.Store`.  The answers of
thousands of assessments are read in a few queries (``IN`` over chunks of ids) instead of one
session per assessment, as the database holds them (JSON values); ``readiness.department.bulk``
types and scores them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from .models import AnswerRow, AssessmentRow, TableRowRow

CHUNK = 500  # ids per IN (...) query: well under SQLite's variable limit
DECODED_ROWS = 2000  # table rows (or answers) whose JSON texts are joined and decoded in one call (a few MB of text at most)


def _decoded(texts: Iterable[str | None]) -> list[Any]:
    """Many JSON texts decoded in one call (one ``json.loads`` each cost more than the decoding itself); SQL
    NULL is None, as the JSON column type reads it."""
    return json.loads("[" + ",".join("null" if text is None else text for text in texts) + "]")


@dataclass
class RawAnswers:
    """Stored answers of one assessment as the database holds them (JSON values)."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)  # item -> [(row id, values)]


class DepartmentQueries:
    """:class:`~readiness.store.db.Store` methods for the department's screens and reports."""

    transaction: Callable[[], AbstractContextManager[Session]]

    def raw_answers(self, assessment_ids: Iterable[str], *, items: set[str] | None = None) -> dict[str, RawAnswers]:
        """The stored answers of many assessments in a few queries; ``items`` limits which items.
        Table rows come in their order (position, then id)."""
        ids = list(dict.fromkeys(assessment_ids))
        out: dict[str, RawAnswers] = {i: RawAnswers() for i in ids}
        with self.transaction() as session:
            # Plain columns through the session's connection (Core): the same rows, without the ORM's
            # per-row loading machinery (a third of the cost for the 140,000 PCs of the country).
            connection = session.connection()
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                # Values as their JSON text, decoded DECODED_ROWS at a time (_decoded), as the table rows below.
                values = select(AnswerRow.assessment_id, AnswerRow.item_id, cast(AnswerRow.value, Text)).where(
                    AnswerRow.assessment_id.in_(chunk))
                if items is not None:
                    values = values.where(AnswerRow.item_id.in_(sorted(items)))
                for answers in connection.execute(values).partitions(DECODED_ROWS):
                    for (assessment_id, item_id, _text), value in zip(answers, _decoded(text for *_, text in answers),
                                                                      strict=True):
                        out[assessment_id].values[item_id] = value
                # A table row's values as their JSON text, decoded DECODED_ROWS at a time in one call (the
                # country's 140,000 PCs: one json.loads each cost more than the decoding itself).
                query = (select(TableRowRow.assessment_id, TableRowRow.item_id, TableRowRow.id,
                                cast(TableRowRow.values, Text))
                         .where(TableRowRow.assessment_id.in_(chunk))
                         .order_by(TableRowRow.assessment_id, TableRowRow.item_id, TableRowRow.position,
                                   TableRowRow.id))
                if items is not None:
                    query = query.where(TableRowRow.item_id.in_(sorted(items)))
                for found in connection.execute(query).partitions(DECODED_ROWS):
                    for (assessment_id, item_id, row_id, _text), values in zip(found, _decoded(text for *_, text in found),
                                                                               strict=True):
                        out[assessment_id].rows.setdefault(item_id, []).append((row_id, values))
        return out

    def periods(self) -> list[str]:
        """The periods that have any assessment, newest first (one query)."""
        with self.transaction() as session:
            return sorted(session.scalars(select(AssessmentRow.period).distinct()), reverse=True)
