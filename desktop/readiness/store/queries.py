"""The reads of one assessment, defined once for both ways to the database.

:class:`~readiness.store.db.Store` runs these statements through SQLAlchemy (any database) and
:class:`~readiness.store.light.LightStore` through the standard library's ``sqlite3`` (a SQLite file
already at the newest schema, without importing SQLAlchemy: what ``readiness export`` and the
window's first view need).  Both take the SQL text, the column lists and the conversion of a row from
here, so the two give the same values; ``tests/core/test_light_store.py`` compares them on one
database.

This module imports no database driver and no SQLAlchemy.  The SQL is portable between SQLite and
PostgreSQL (named parameters ``:name``, both drivers' and SQLAlchemy's ``text()`` style).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..answers import Answers, Row
from ..record import Record
from ..register import Commune
from .periods import StoreError, period_label, validate_period

if TYPE_CHECKING:
    from ..checklist.model import Checklist

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


# -- what a read returns ------------------------------------------------------------------------------------------


class AssessmentInfo(Record):
    """One stored assessment (a commune, a period, a revision): its state, not its answers."""

    id: str
    commune_code: str
    period: str
    revision: int
    status: str
    checklist_id: str
    checklist_version: int
    checklist_hash: str
    created_at: dt.datetime
    updated_at: dt.datetime
    finalized_at: dt.datetime | None
    score: float | None
    level: str | None
    origin: str

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @classmethod
    def of(cls, row: Any) -> AssessmentInfo:
        """From anything with the columns of :data:`ASSESSMENT_COLUMNS` as attributes (an ORM row, a result row)."""
        return cls(
            id=row.id, commune_code=row.commune_code, period=row.period, revision=row.revision, status=row.status,
            checklist_id=row.checklist_id, checklist_version=row.checklist_version, checklist_hash=row.checklist_hash,
            created_at=aware(row.created_at), updated_at=aware(row.updated_at),
            finalized_at=aware(row.finalized_at) if row.finalized_at else None,
            score=row.score, level=row.level, origin=row.origin,
        )


class CarrySource(Record):
    """Where an assessment started from: an earlier period's finalized assessment (carry forward)."""

    assessment_id: str
    period: str
    revision: int
    carried_at: dt.datetime


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# -- the statements ----------------------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = ("id", "commune_code", "period", "revision", "status", "checklist_id", "checklist_version",
                      "checklist_hash", "created_at", "updated_at", "finalized_at", "score", "level", "origin")
ASSESSMENT_TIMES = ("created_at", "updated_at", "finalized_at")  # DateTime(timezone=True) columns of the list
_ASSESSMENT = f"SELECT {', '.join(ASSESSMENT_COLUMNS)} FROM assessments"

# Parameters: assessment_id.
ASSESSMENT = f"{_ASSESSMENT} WHERE id = :assessment_id"
# Parameters: commune_code, period.  The newest revision, of any status.
CURRENT_ASSESSMENT = f"{_ASSESSMENT} WHERE commune_code = :commune_code AND period = :period " \
                     "ORDER BY revision DESC LIMIT 1"
# Parameters: commune_code, period.  The newest finalized revision of the period.
FINALIZED = f"{_ASSESSMENT} WHERE commune_code = :commune_code AND period = :period AND status = 'finalized' " \
            "ORDER BY revision DESC LIMIT 1"
# Parameters: commune_code, period.  The newest finalized revision of the latest earlier period that has one.
LATEST_FINALIZED_BEFORE = f"{_ASSESSMENT} WHERE commune_code = :commune_code AND period < :period " \
                          "AND status = 'finalized' ORDER BY period DESC, revision DESC LIMIT 1"

# Parameters: assessment_id.  value and meta are JSON.
ANSWERS = "SELECT item_id, value, source, meta FROM answers WHERE assessment_id = :assessment_id"
# Parameters: assessment_id.  values and meta are JSON; in table order.
TABLE_ROWS = 'SELECT id, item_id, "values", source, meta FROM table_rows WHERE assessment_id = :assessment_id ' \
             "ORDER BY item_id, position, id"

COMMUNE_COLUMNS = ("code", "name", "kind", "province_code", "province_name", "former_province", "former_units")
# Parameters: code.
COMMUNE = f"SELECT {', '.join(COMMUNE_COLUMNS)} FROM communes WHERE code = :code"

# Parameters: key.
SETTING = "SELECT value FROM meta WHERE key = :key"
# Parameters: pattern (:func:`prefix_pattern`).
SETTINGS = "SELECT key, value FROM meta WHERE key LIKE :pattern ESCAPE '/'"

# Parameters: assessment_id.  carried_at is a DateTime(timezone=True).
CARRY_SOURCE = "SELECT from_assessment_id, from_period, from_revision, carried_at FROM carry_forward " \
               "WHERE assessment_id = :assessment_id"
# Parameters: assessment_id.  confirmed_at is a DateTime(timezone=True).
SECTION_CONFIRMATIONS = "SELECT section_id, confirmed_at FROM section_confirmations WHERE assessment_id = :assessment_id"

# The record of a file written for the department (store.cycle.record_exports): columns of :func:`export_values`.
EXPORT_COLUMNS = ("assessment_id", "commune_code", "period", "revision", "status", "kind", "action", "file_name",
                  "path", "sha256", "size", "data_sha256", "made_at")

SCHEMA_REVISION = "SELECT version_num FROM alembic_version"

# -- the writes of typing an answer (Store.save_answer and set_setting; the window's WindowStore) ----------------
# The SQLite statements; PostgreSQL saves an answer in one statement of its own (store.db).

# Parameters: now, assessment_id.  Touches only a draft: no row when the assessment is finalized or unknown.
TOUCH_DRAFT = "UPDATE assessments SET updated_at = :now WHERE id = :assessment_id AND status = 'draft'"
# Parameters: assessment_id, item_id.
DELETE_ANSWER = "DELETE FROM answers WHERE assessment_id = :assessment_id AND item_id = :item_id"
# Parameters: assessment_id, item_id, value and meta (JSON), source, now.  SQLite (3.24 and later) spells the
# upsert as PostgreSQL does.
UPSERT_ANSWER = """
INSERT INTO answers (assessment_id, item_id, value, source, meta, updated_at)
VALUES (:assessment_id, :item_id, :value, :source, :meta, :now)
ON CONFLICT (assessment_id, item_id) DO UPDATE SET value = excluded.value, source = excluded.source,
                                                   meta = excluded.meta, updated_at = excluded.updated_at"""
# Parameters: key, value.
SET_SETTING = "INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


def prefix_pattern(prefix: str) -> str:
    """The LIKE pattern of :data:`SETTINGS` for keys starting with ``prefix`` (``/`` escapes)."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


# -- rows into values ------------------------------------------------------------------------------------------


def commune_of(row: Sequence[Any]) -> Commune:
    """A :class:`Commune` from a row in :data:`COMMUNE_COLUMNS` order."""
    code, name, kind, province_code, province_name, former_province, former_units = row
    return Commune(code=code, name=name, kind=kind, province_code=province_code, province_name=province_name,
                   former_province=former_province, former_units=former_units)


def carry_source_of(row: Sequence[Any]) -> CarrySource:
    """From a row of :data:`CARRY_SOURCE` (its time already a datetime)."""
    return CarrySource(row[0], row[1], row[2], aware(row[3]))


def answers_of(checklist: Checklist, answer_rows: Iterable[Sequence[Any]],
               table_rows: Iterable[Sequence[Any]]) -> Answers:
    """Every stored answer, typed (rows of :data:`ANSWERS` and :data:`TABLE_ROWS`, JSON already decoded);
    answers to items the checklist does not have are skipped."""
    answer_rows = list(answer_rows)
    tables = []
    for item_id, group in groupby(table_rows, key=itemgetter(1)):  # TABLE_ROWS comes in item order
        stored = list(group)
        tables.append((item_id, [(row[0], row[2]) for row in stored], [(row[3], row[4]) for row in stored]))
    return stored_answers(checklist, ((row[0], row[1]) for row in answer_rows), tables, sources=answer_rows)


def stored_answers(checklist: Checklist, values: Iterable[tuple[str, Any]], tables: Iterable[Sequence[Any]], *,
                   typed: Callable[[Any, Any], Any] | None = None, kept: Mapping[Any, frozenset[type]] | None = None,
                   sources: Iterable[Sequence[Any]] = ()) -> Answers:
    """Stored answers as :class:`Answers`: the one loop over them of both reads, the store's
    (:func:`answers_of`) and the department's bulk read (:func:`readiness.department.bulk.typed_answers`).

    The common form: ``values``, ``(item_id, value)`` pairs; ``tables``, ``(item_id, rows)`` with rows
    ``(row id, values)``, or ``(item_id, rows, row_sources)`` with each row's ``(source, meta)`` beside
    (without: a :class:`Row` with its defaults); ``sources``, ``(item_id, value, source, meta)`` rows of
    the answers whose source and meta were read.  Items the checklist does not have are skipped, and so
    is a table item's answer.  ``typed(spec, value)`` types a stored value (default :func:`from_stored`);
    ``kept[column type]``: the exact types in which a stored cell of a column of that type is already typed,
    kept without a call (the bulk read's fast path; default: none, every cell goes through ``typed``).
    A row's cells come in its columns' order.
    """
    from ..checklist.model import ItemType

    typed = typed or from_stored
    answers = Answers()
    out = answers.values
    for item_id, value in values:
        try:
            item = checklist.item(item_id)
        except KeyError:
            continue
        if item.type is not ItemType.TABLE:
            out[item_id] = typed(item, value)
    for item_id, _value, source, meta in sources:
        if item_id in out:  # an answer kept above
            answers.sources[item_id] = source
            if meta:
                answers.meta[item_id] = meta
    for item_id, rows, *row_sources in tables:
        try:
            item = checklist.item(item_id)
        except KeyError:
            continue
        made = _rows(item, rows, typed, kept)
        if row_sources:
            for row, (source, meta) in zip(made, row_sources[0], strict=True):
                row.source, row.meta = source, meta
        out.setdefault(item_id, []).extend(made)
    return answers


_NOTHING_KEPT: frozenset[type] = frozenset()


def _rows(item: Any, rows: Iterable[tuple[Any, Mapping[str, Any]]], typed: Callable[[Any, Any], Any],
          kept: Mapping[Any, frozenset[type]] | None) -> list[Row]:
    """:func:`stored_answers`'s rows of one table item ((row id, values) pairs), its columns worked out once."""
    columns = [(c.id, c, kept[c.type] if kept is not None else _NOTHING_KEPT) for c in item.columns or ()]
    return [Row(values={key: value if type(value := values[key]) in keep else typed(spec, value)
                        for key, spec, keep in columns if key in values}, id=row_id) for row_id, values in rows]


def row_of(item: Any, stored: Sequence[Any]) -> Row:
    """A table row from a row of :data:`TABLE_ROWS` (id, item_id, values, source, meta)."""
    row_id, _item_id, values, source, meta = stored
    (row,) = _rows(item, [(row_id, values)], from_stored, None)
    row.source, row.meta = source, meta
    return row


def from_stored(spec: Any, value: Any) -> Any:
    from ..answers import AnswerError, coerce

    try:
        return coerce(spec, value)
    except AnswerError:
        # A value valid when saved but not under a newer rule (min/max changed): keep it as stored
        # so nothing typed is lost; validation reports it.
        return value


def export_values(entry: Mapping[str, Any], made_at: dt.datetime) -> dict[str, Any]:
    """One record of :data:`EXPORT_COLUMNS` from an entry of ``record_exports`` (``assessment_id``,
    ``commune_code``, ``period``, ``revision``, ``status``, ``kind``, ``action``, ``path``, ``sha256``,
    ``size``, optionally ``file_name`` and ``data_sha256``)."""
    path = str(entry["path"])
    return {"assessment_id": entry["assessment_id"], "commune_code": entry["commune_code"],
            "period": validate_period(entry["period"]), "revision": int(entry["revision"]), "status": entry["status"],
            "kind": entry["kind"], "action": entry["action"], "file_name": str(entry.get("file_name") or path)[-255:],
            "path": path, "sha256": entry["sha256"], "size": int(entry["size"]),
            "data_sha256": entry.get("data_sha256"), "made_at": made_at}


# -- what reading an assessment needs of a store ---------------------------------------------------------------


class AssessmentReads(Protocol):
    """The reads that show or export one assessment: what
    :class:`~readiness.store.db.Store` and :class:`~readiness.store.light.LightStore` both offer, with
    the same results (:class:`readiness.service.AssessmentView` reads through this)."""

    def commune(self, code: str) -> Commune: ...
    def current_assessment(self, commune_code: str, period: str) -> AssessmentInfo | None: ...
    def assessment(self, assessment_id: str) -> AssessmentInfo: ...
    def finalized(self, commune_code: str, period: str) -> AssessmentInfo | None: ...
    def latest_finalized_before(self, commune_code: str, period: str) -> AssessmentInfo | None: ...
    def load_answers(self, assessment_id: str, checklist: Checklist) -> Answers: ...
    def carry_source(self, assessment_id: str) -> CarrySource | None: ...
    def section_confirmations(self, assessment_id: str) -> dict[str, dt.datetime]: ...
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def settings(self, prefix: str) -> dict[str, str]: ...
    def close(self) -> None: ...


def unknown_commune(code: str) -> StoreError:
    return StoreError("E-COMMUNE", f"Không có đơn vị hành chính mã «{code}» trong danh mục.")


def unknown_assessment(assessment_id: str) -> StoreError:
    return StoreError("E-ASSESSMENT", f"Không tìm thấy bản đánh giá {assessment_id}.")


def not_a_draft(assessment_id: str, found: tuple[str, int] | None) -> StoreError:
    """Why an answer cannot be written: no assessment ``assessment_id`` (``found`` is ``None``), or its
    (period, revision) ``found`` is not a draft."""
    if found is None:
        return unknown_assessment(assessment_id)
    period, revision = found
    return StoreError(
        "E-STORE-FINALIZED",
        f"Bản đánh giá kỳ {period_label(period)} (lần {revision}) đã hoàn thành nên không sửa được. "
        "Chọn «Mở lại để sửa» để tạo lần sửa mới.",
    )


def no_assessment(commune: Commune, period: str) -> StoreError:
    """The error of opening a period that has no assessment (without creating one)."""
    return StoreError("E-ASSESSMENT", f"{commune.name} chưa có bản đánh giá kỳ {period[5:]}/{period[:4]}.")


# -- where the database is and which schema it must have ------------------------------------------------------


def resolve_url(url: str | None = None) -> str:
    """``--db URL``, else ``READINESS_DB``, else SQLite in the user data folder."""
    if url:
        return url
    env = os.environ.get("READINESS_DB")
    if env:
        return env
    from ..paths import default_database_path

    return f"sqlite:///{default_database_path()}"


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration shipped with this version: the one revision no other migration names as
    its parent (the chain is linear).  Read from the scripts, so that a start with an up-to-date
    database never imports Alembic (~85 ms of a cold start)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if not found:
            continue
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(text)
        if down and down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise StoreError("E-STORE-MIGRATE", f"Các tệp nâng cấp cơ sở dữ liệu không thành một chuỗi ({sorted(heads)}).")
    return heads.pop()


# Revisions that only ever existed in development builds, never in a release: a database a developer made
# with one cannot be upgraded (its tables are those of a later revision, under another parent).  What each
# became once the work was merged.
DEVELOPMENT_REVISIONS = {
    "0005_reporting_cycle": "0007_reporting_cycle",  # the reporting cycle, numbered before carry-forward and groups
    "0006_mailbox": "0008_mailbox",  # the mailbox, built on the reporting cycle's first number
}


def development_revision(revision: str, where: str) -> StoreError:
    """Why the database at ``where`` (its path or URL), whose schema is at ``revision``, one of
    :data:`DEVELOPMENT_REVISIONS`, is neither upgraded nor opened."""
    return StoreError(
        "E-STORE-DEV-REVISION",
        f"Cơ sở dữ liệu {where} có cấu trúc ở phiên bản «{revision}» của một bản dựng thử trong lúc phát triển, "
        f"chưa từng được phát hành (nay là «{DEVELOPMENT_REVISIONS[revision]}»), nên phần mềm không nâng cấp được. "
        "Cơ sở dữ liệu chưa bị thay đổi. Hãy dùng một cơ sở dữ liệu mới (--db hoặc biến READINESS_DB) hoặc khôi "
        "phục một bản sao lưu do bản phát hành làm ra, rồi nhập lại các tệp đã nộp.")


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Every SQLite connection of the application, whichever way it was opened."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")  # first: switching a new file to WAL waits for others too
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a committed answer survives a power cut
    finally:
        cursor.close()
