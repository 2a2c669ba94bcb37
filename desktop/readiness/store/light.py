"""One assessment read through the standard library's ``sqlite3``: no SQLAlchemy, no Alembic.

A new process that only shows or exports an assessment (``readiness export``, the window's first
view) need not pay for importing SQLAlchemy and the ORM models (~0.35 s on the department's old PCs)
when the database is a SQLite file already at this version's schema.  :meth:`LightStore.open` gives
such a reader, or ``None`` whenever the full :class:`~readiness.store.db.Store` has something to do
first — another kind of database (PostgreSQL), an in-memory or missing file, a schema that is not
the newest (to be migrated, or refused, exactly as ``Store.open`` does), a register not yet loaded
or changed — so the caller opens the full store instead::

    reader = LightStore.open(url)
    if reader is None:
        reader = Store.open(url)

Its methods are :class:`~readiness.store.queries.AssessmentReads`: the same names, arguments and
results as the Store's, from the same SQL (:mod:`.queries`).  The one write, :meth:`record_exports`,
is one transaction as the Store's.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..register import Commune, register_fingerprint
from . import queries as Q
from .periods import StoreError, validate_period
from .queries import AssessmentInfo, CarrySource

if TYPE_CHECKING:
    from ..answers import Answers
    from ..checklist.model import Checklist

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite:///path``), else ``None`` (another database, an in-memory
    one, a URL with options or escapes: left to SQLAlchemy)."""
    for prefix in _SQLITE_PREFIXES:
        if url.startswith(prefix):
            database = url[len(prefix):]
            if not database or database == ":memory:" or any(ch in database for ch in "?%#"):
                return None
            return Path(database)
    return None


class LightStore:
    """Reads of one assessment (and the record of exported files) on a current SQLite file.

    Open with :meth:`open`; close with :meth:`close` (or use it as a context manager).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, url: str | None = None) -> LightStore | None:
        """The reader of ``url`` (else ``READINESS_DB``, else the user's database), or ``None`` when the
        full store must open it (see the module's help)."""
        path = sqlite_file(Q.resolve_url(url))
        if path is None or not path.is_file():
            return None
        connection = sqlite3.connect(path, timeout=5.0)
        try:
            Q.sqlite_pragmas(connection)
            store = cls(connection, path)
            if store.schema_revision() != Q.head_revision() or \
                    store.get_setting("register_fingerprint") != register_fingerprint():
                connection.close()
                return None
        except sqlite3.Error:  # not a database of ours, locked past the timeout, …: the full store says what
            connection.close()
            return None
        return store

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> LightStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_revision(self) -> str | None:
        """The revision recorded in the database (None: no ``alembic_version`` table)."""
        try:
            row = self._connection.execute(Q.SCHEMA_REVISION).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    # -- reads (the Store's methods of the same names) -----------------------------------------------------------

    def commune(self, code: str) -> Commune:
        row = self._first(Q.COMMUNE, code=code) if isinstance(code, str) else None
        if row is None:
            raise Q.unknown_commune(code)
        return Q.commune_of(row)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._first(Q.SETTING, key=key)
        return row[0] if row else default

    def settings(self, prefix: str) -> dict[str, str]:
        return {key: value for key, value in self._all(Q.SETTINGS, pattern=Q.prefix_pattern(prefix))}

    def current_assessment(self, commune_code: str, period: str) -> AssessmentInfo | None:
        return self._assessment(Q.CURRENT_ASSESSMENT, commune_code=commune_code, period=validate_period(period))

    def assessment(self, assessment_id: str) -> AssessmentInfo:
        info = self._assessment(Q.ASSESSMENT, assessment_id=assessment_id)
        if info is None:
            raise Q.unknown_assessment(assessment_id)
        return info

    def finalized(self, commune_code: str, period: str) -> AssessmentInfo | None:
        return self._assessment(Q.FINALIZED, commune_code=commune_code, period=validate_period(period))

    def latest_finalized_before(self, commune_code: str, period: str) -> AssessmentInfo | None:
        return self._assessment(Q.LATEST_FINALIZED_BEFORE, commune_code=commune_code, period=validate_period(period))

    def load_answers(self, assessment_id: str, checklist: Checklist) -> Answers:
        with self._reading():
            answer_rows = [(item_id, _json(value), source, _json(meta))
                           for item_id, value, source, meta in self._all(Q.ANSWERS, assessment_id=assessment_id)]
            table_rows = [(row_id, item_id, _json(values), source, _json(meta))
                          for row_id, item_id, values, source, meta in self._all(Q.TABLE_ROWS, assessment_id=assessment_id)]
        return Q.answers_of(checklist, answer_rows, table_rows)

    def carry_source(self, assessment_id: str) -> CarrySource | None:
        row = self._first(Q.CARRY_SOURCE, assessment_id=assessment_id)
        return Q.carry_source_of((*row[:3], _time(row[3]))) if row is not None else None

    def section_confirmations(self, assessment_id: str) -> dict[str, dt.datetime]:
        return {section_id: Q.aware(_time(at))
                for section_id, at in self._all(Q.SECTION_CONFIRMATIONS, assessment_id=assessment_id)}

    # -- the one write ------------------------------------------------------------------------------------------

    def record_exports(self, entries: Iterable[Mapping[str, Any]]) -> int:
        """The Store's ``record_exports`` (:func:`readiness.store.cycle.record_exports`): the files just
        written, in one transaction; returns how many were recorded."""
        now = dt.datetime.now(dt.UTC)
        records = [{**Q.export_values(entry, now), "made_at": _stored_time(now)} for entry in entries]
        columns = ", ".join(Q.EXPORT_COLUMNS)
        places = ", ".join(f":{name}" for name in Q.EXPORT_COLUMNS)
        with self._connection:  # commits, or rolls back on an error
            self._connection.executemany(f"INSERT INTO exports ({columns}) VALUES ({places})", records)
        return len(records)

    # -- helpers ------------------------------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Several reads that see one state of the file (a read transaction)."""
        self._connection.execute("BEGIN")
        try:
            yield
        finally:
            self._connection.rollback()

    def _first(self, sql: str, **parameters: Any) -> Any:
        return self._connection.execute(sql, parameters).fetchone()

    def _all(self, sql: str, **parameters: Any) -> list[Any]:
        return self._connection.execute(sql, parameters).fetchall()

    def _assessment(self, sql: str, **parameters: Any) -> AssessmentInfo | None:
        row = self._first(sql, **parameters)
        if row is None:
            return None
        values = dict(zip(Q.ASSESSMENT_COLUMNS, row, strict=True))
        for name in Q.ASSESSMENT_TIMES:
            values[name] = _time(values[name]) if values[name] is not None else None
        if values["score"] is not None:
            values["score"] = float(values["score"])
        return AssessmentInfo.of(_Columns(values))


class _Columns:
    """A row's columns as attributes (what :meth:`AssessmentInfo.of` reads)."""

    def __init__(self, values: Mapping[str, Any]):
        self.__dict__.update(values)


def _json(stored: str | float | None) -> Any:
    """A JSON column as SQLAlchemy's JSON type reads it on SQLite: SQL NULL and JSON null are None; a
    number comes back as a number (the column's NUMERIC affinity stores ``46`` as an integer)."""
    if stored is None or isinstance(stored, int | float):
        return stored
    return json.loads(stored)


def _time(text: str) -> dt.datetime:
    """A DateTime column as SQLAlchemy stores it on SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC, no zone)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def _stored_time(moment: dt.datetime) -> str:
    """A time as SQLAlchemy's DateTime stores it on SQLite (the UTC fields, no zone)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
