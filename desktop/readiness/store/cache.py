"""A cache of derived data beside a database: JSON values by key in a SQLite file of the user's data folder.

Derived data only (the department's scores of finalized assessments): deleting the file loses
nothing, and any error reading or writing it is logged and ignored (the caller computes again).
One file per database (named after a digest of the database's URL) and per kind of data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .db import Store

log = logging.getLogger(__name__)

_CHUNK = 500  # keys per IN (...) query: well under SQLite's variable limit


class JsonCache:
    """JSON values by key in the SQLite file ``path`` (table ``scores``: key, value)."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def beside(cls, store: Store, name: str) -> JsonCache | None:
        """The cache ``name`` of the database ``store`` opened (None when the data folder cannot be made)."""
        from ..paths import user_data_dir

        try:
            folder = user_data_dir() / "cache"
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            log.warning("no %s cache: %s", name, error)
            return None
        digest = hashlib.sha256(store.url.encode("utf-8")).hexdigest()[:16]
        return cls(folder / f"{name}-{digest}.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=5)
        connection.execute("CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        return connection

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """Key -> its value, for the keys found whose value is JSON; {} when the file cannot be read."""
        out: dict[str, Any] = {}
        if not keys or not self.path.exists():
            return out
        try:
            connection = self._connect()
            try:
                for start in range(0, len(keys), _CHUNK):
                    chunk = list(keys[start:start + _CHUNK])
                    marks = ",".join("?" * len(chunk))
                    for key, value in connection.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", chunk):
                        try:
                            out[key] = json.loads(value)
                        except ValueError:
                            continue
            finally:
                connection.close()
        except sqlite3.Error as error:
            log.warning("cache %s unreadable (%s): computing again", self.path.name, error)
            return {}
        return out

    def put_many(self, items: Mapping[str, Any]) -> None:
        """Keep each key's value (JSON), replacing what was there; a failure is logged, never raised."""
        try:
            connection = self._connect()
            try:
                with connection:
                    connection.executemany("INSERT OR REPLACE INTO scores (key, value) VALUES (?, ?)",
                                           [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()])
            finally:
                connection.close()
        except sqlite3.Error as error:
            log.warning("cache %s not written (%s)", self.path.name, error)
