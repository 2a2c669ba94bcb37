"""The score cache's queries: the department's scores of finalized assessments, kept in the database itself.

:class:`ScoreCacheQueries` are methods of :class:`~readiness.store.db.Store`.  One cache per database,
shared by every computer that opens it, whatever URL each one uses (``127.0.0.1`` or the server's name,
a mapped drive or a path): an entry is found by the SHA-256 of its key text, which names what the score
depends on (``readiness.department.bulk._cache_key``), never by where the database is.

- :meth:`cached_scores` reads many entries in one query per few thousand keys (one round trip for a
  whole province, and for the country on PostgreSQL);
- :meth:`keep_scores` writes many in one transaction of ``INSERT … ON CONFLICT DO NOTHING`` statements, each
  executed with a chunk of rows: two computers keeping the same entry at once both succeed (the first one's row stays; the
  values are equal, being derived from the same data), in key order so that they cannot deadlock.  Given
  ``stale`` (which writers' entries are of an older program: the caller's rule), it first removes those
  entries in the same transaction: one ``SELECT DISTINCT scorer`` and, when some are stale, one ``DELETE``
  that skips rows another computer is removing at the same moment (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL; SQLite has one writer at a time);
- :meth:`clear_score_cache` empties it (derived data: nothing is lost; ``readiness cache clear``).

Values are JSON, stored zlib-compressed (a commune's score with its advice is ~10 KB of JSON, ~2 KB
compressed: what a report of 3,321 communes reads over the network).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from .models import ScoreCacheRow, utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

_TABLE = cast(Table, ScoreCacheRow.__table__)
# Keys per SELECT … IN (…): PostgreSQL takes tens of thousands of parameters (a whole country in one round
# trip); SQLite builds before 3.32 took 999 (and each query there costs no network).
_READ_CHUNK = {"postgresql": 10000}
_READ_CHUNK_DEFAULT = 500
# Rows per INSERT executed with many rows (one statement each; PostgreSQL: one pipelined batch per chunk).
_WRITE_CHUNK = {"postgresql": 2000}
_WRITE_CHUNK_DEFAULT = 150
_LEVEL = 6  # zlib: ~5× smaller than the JSON at ~0.1 ms an entry; level 9 gains a few per cent at twice the time


def entry_key(text: str) -> str:
    """The stored key of an entry: the SHA-256 (hex) of its key text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encode_value(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), _LEVEL)


def decode_value(data: bytes) -> Any:
    return json.loads(zlib.decompress(data))


@dataclass(frozen=True)
class ScoreCacheStats:
    """What the score cache holds: entries and their stored bytes, per scorer (``<format>/<program version>``)."""

    entries: int
    size: int
    by_scorer: dict[str, tuple[int, int]]  # scorer -> (entries, bytes)


class ScoreCacheQueries:
    """:class:`~readiness.store.db.Store` methods for the score cache."""

    transaction: Callable[[], AbstractContextManager[Session]]
    engine: Engine

    def cached_scores(self, keys: Sequence[str], convert: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """Key text -> its value (JSON), for the keys that have an entry.  An entry that cannot be decoded
        is left out (the caller computes it again).

        ``convert``: made of each value as soon as it is decoded (what is returned instead of the JSON); an
        entry it refuses (``ValueError``, ``KeyError``, ``TypeError``, ``IndexError``, ``AttributeError``) is
        left out too.  Only one entry's JSON is alive at a time then: the 3,321 scores of a country were
        ~75 MB of decoded JSON at once before they became scores."""
        wanted = {entry_key(text): text for text in dict.fromkeys(keys)}
        if not wanted:
            return {}
        digests = list(wanted)
        size = _READ_CHUNK.get(self.engine.dialect.name, _READ_CHUNK_DEFAULT)
        out: dict[str, Any] = {}
        with self.transaction() as session:
            for start in range(0, len(digests), size):
                query = select(_TABLE.c.key, _TABLE.c.value).where(_TABLE.c.key.in_(digests[start:start + size]))
                for digest, data in session.execute(query):
                    try:
                        value = decode_value(bytes(data))
                        out[wanted[digest]] = value if convert is None else convert(value)
                    except (ValueError, KeyError, TypeError, IndexError, AttributeError, zlib.error):
                        continue
        return out

    def keep_scores(self, entries: Iterable[tuple[str, str, Any]], scorer: str, *,
                    stale: Callable[[str], bool] | None = None, encoded: bool = False) -> int:
        """Keep ``(key text, assessment id, value)`` entries written by ``scorer``, in one transaction; an
        entry already there is left as it is (another computer kept it first).  ``stale(writer)``: whether
        the entries a writer kept are to be removed first, in the same transaction.  ``encoded``: the values
        are already :func:`encode_value`'s bytes (made where they were computed: the scoring workers).
        Returns how many were new (as the database counts them)."""
        rows = {}
        now = utcnow()
        for text, assessment_id, value in entries:
            digest = entry_key(text)
            rows[digest] = {"key": digest, "assessment_id": assessment_id, "scorer": scorer,
                            "value": bytes(value) if encoded else encode_value(value), "made_at": now}
        if not rows:
            return 0
        ordered = [rows[digest] for digest in sorted(rows)]  # one order for every writer: no deadlock
        dialect = self.engine.dialect.name
        size = _WRITE_CHUNK.get(dialect, _WRITE_CHUNK_DEFAULT)
        kept = 0
        with self.transaction() as session:
            if stale is not None:
                _remove_stale(session, stale)
            for start in range(0, len(ordered), size):
                result = session.execute(_insert_new(dialect), ordered[start:start + size])
                kept += max(0, getattr(result, "rowcount", 0) or 0)
        return kept

    def clear_score_cache(self) -> int:
        """Remove every entry (one statement); returns how many there were."""
        with self.transaction() as session:
            result = session.execute(delete(_TABLE))
            return max(0, getattr(result, "rowcount", 0) or 0)

    def score_cache_stats(self) -> ScoreCacheStats:
        """Entries and stored bytes, per scorer (one query)."""
        with self.transaction() as session:
            rows = session.execute(select(_TABLE.c.scorer, func.count(), func.coalesce(func.sum(func.length(
                _TABLE.c.value)), 0)).group_by(_TABLE.c.scorer)).all()
        by_scorer = {scorer: (int(count), int(size)) for scorer, count, size in rows}
        return ScoreCacheStats(entries=sum(c for c, _ in by_scorer.values()), size=sum(s for _, s in by_scorer.values()),
                               by_scorer=by_scorer)


def _remove_stale(session: Session, stale: Callable[[str], bool]) -> int:
    """Remove the entries of the writers ``stale`` names; returns how many went."""
    writers = [writer for (writer,) in session.execute(select(_TABLE.c.scorer).distinct()) if stale(writer)]
    if not writers:
        return 0
    doomed = select(_TABLE.c.key).where(_TABLE.c.scorer.in_(writers)).with_for_update(skip_locked=True)
    removed = max(0, getattr(session.execute(delete(_TABLE).where(_TABLE.c.key.in_(doomed))), "rowcount", 0) or 0)
    log.info("score cache: %d entries of %s removed (written by an older version)", removed, ", ".join(sorted(writers)))
    return removed


@functools.cache
def _insert_new(dialect: str) -> Any:
    """``INSERT … VALUES (…) ON CONFLICT (key) DO NOTHING`` (PostgreSQL and SQLite ≥ 3.24 alike), executed with
    a chunk of rows as its parameters (the driver's ``executemany``: psycopg sends them pipelined, SQLite runs
    them in a loop of its own), its row count kept (SQLAlchemy drops an INSERT's by default).  Made and compiled
    once: a multi-row ``VALUES (…), (…)`` statement holding its rows was compiled again for every chunk (3,321
    entries: 0.28 s of SQLAlchemy's compiler, 60 % of the write's CPU on SQLite)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(_TABLE).on_conflict_do_nothing(
            index_elements=[_TABLE.c.key]).execution_options(preserve_rowcount=True)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(_TABLE).on_conflict_do_nothing(
        index_elements=[_TABLE.c.key]).execution_options(preserve_rowcount=True)
