"""The store: one object owns the database engine; one session (one transaction) per operation.

Every write is one transaction that either commits whole or rolls back (a power cut in the
middle leaves the last complete state: SQLite in WAL mode with ``synchronous=FULL``, so a
committed answer is on disk when the call returns).  Schema changes run through Alembic; before
migrating an existing SQLite file, a backup copy is taken, and a failed migration restores it.
Creating, upgrading and seeding a database run under a lock (:mod:`.locking`), so processes that
open a new or old database together wait for the first one instead of failing; opening a current
database takes no lock and does not import Alembic.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import JSON, DateTime, Float, bindparam, create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ..answers import Answers, Row, row_to_json, to_json
from ..checklist.model import Checklist, ItemType
from ..register import Commune, load_register, register_fingerprint, sort_communes
from ..text import fold, matches
from . import locking
from . import petitions as _petitions
from .department import CHUNK, DepartmentQueries
from .groups import GroupQueries
from .jsontext import json_text
from .locking import LockTimeout, setup_lock
from . import queries as Q
from .periods import StoreError, period_label, validate_period  # noqa: F401 - re-exported
from .queries import (  # noqa: F401 - AssessmentInfo, CarrySource, from_stored, resolve_url re-exported
    MIGRATIONS_DIR,
    AssessmentInfo,
    CarrySource,
    aware,
    from_stored,
    head_revision,
    resolve_url,
    sqlite_pragmas,
)
from .models import (
    AnswerRow,
    AssessmentRow,
    CarryForwardRow,
    CommuneRow,
    Meta,
    PetitionRow,
    SectionConfirmationRow,
    TableRowRow,
    utcnow,
)
from .score_cache import ScoreCacheQueries
from .signatures import SignatureQueries

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

class Store(DepartmentQueries, SignatureQueries, GroupQueries, ScoreCacheQueries):
    """The application's database.  Create with :meth:`open`; close with :meth:`close`.

    Every query of the application is a method of this class: here, the assessments, answers, table
    rows, communes, settings and petitions (their queries in :mod:`.petitions`); the department's bulk
    reads in :mod:`.department`; signature
    outcomes and trusted roots in :mod:`.signatures`; the named groups of communes in :mod:`.groups`; the score
    cache in :mod:`.score_cache`; the import and held revisions in :mod:`.imports` (functions over a Store).
    """

    @staticmethod
    def refuse(code: str, message: str) -> NoReturn:
        """Refuse an operation: the query modules (:mod:`.groups`) raise StoreError through this."""
        raise StoreError(code, message)

    def __init__(self, engine: Engine):
        self.engine = engine
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")  # same pool: one statement, one commit
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._communes: list[Commune] | None = None

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        url = resolve_url(url)
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, json_serializer=json_text)  # json.dumps' text, faster for scalars
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
            store.ensure_register()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def shareable_url(self) -> str | None:
        """The URL another process can open this database with, password included (None for an
        in-memory SQLite)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    @property
    def sqlite_path(self) -> Path | None:
        if self.engine.dialect.name != "sqlite":
            return None
        database = self.engine.url.database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, one transaction: commit on success, roll back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def _first(self, sql: str, **parameters: Any) -> Any:
        """The first row of a shared statement (:mod:`.queries`), or None."""
        with self.engine.connect() as connection:
            return connection.execute(_typed(sql), parameters).first()

    def _all(self, sql: str, **parameters: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(_typed(sql), parameters).all())

    # -- migrations -------------------------------------------------------------------------
    def _alembic_config(self, connection: Connection | None):
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        return config

    def schema_revision(self) -> str | None:
        """The revision recorded in the database (None for an empty one); plain SQL, no Alembic import."""
        from sqlalchemy import inspect, text

        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def head_revision(self) -> str:
        """The newest migration shipped with this version (read from the scripts, so that a start
        with an up-to-date database never imports Alembic: ~85 ms of a cold start)."""
        return head_revision()

    @contextmanager
    def setup_lock(self) -> Iterator[None]:
        """Hold the lock under which one process at a time creates, upgrades or seeds the database
        (:mod:`.locking`); others wait for it, then find the work done."""
        try:
            with setup_lock(self.engine):
                yield
        except LockTimeout:
            raise StoreError(
                "E-STORE-LOCKED",
                "Một chương trình khác đang tạo hoặc nâng cấp cơ sở dữ liệu này và chưa xong sau "
                f"{max(1, round(locking.LOCK_TIMEOUT / 60))} phút. Hãy đợi chương trình đó kết thúc rồi mở lại.",
            ) from None

    def migrate(self) -> Path | None:
        """Bring the schema to the newest revision; returns the backup taken, if any.

        A database already at the newest revision costs one query (no lock, no Alembic).  Otherwise
        the work runs under :meth:`setup_lock`: a process that waited finds the schema current and
        migrates nothing (and takes no backup), so however many processes open an empty or old
        database together, it is created or upgraded once, with one backup.
        """
        if self.schema_revision() == self.head_revision():
            return None
        with self.setup_lock():
            return self._migrate_locked()

    def _migrate_locked(self) -> Path | None:
        current = self.schema_revision()
        head = self.head_revision()
        if current == head:  # another process did it while this one waited
            return None
        if current in Q.DEVELOPMENT_REVISIONS:  # no released version has it: nothing to upgrade from, say why
            raise Q.development_revision(current, str(self.sqlite_path or self.url))
        from alembic import command
        backup = None
        path = self.sqlite_path
        if current is not None and path is not None and path.exists():
            backup = self.backup(reason=f"before-migrate-{current}")
        try:
            with self.engine.connect() as connection, _one_transaction(connection):
                command.upgrade(self._alembic_config(connection), "head")
        except Exception as error:
            if backup is not None and path is not None:
                self.engine.dispose()
                _restore_sqlite(backup, path)
                raise StoreError(
                    "E-STORE-MIGRATE",
                    f"Không nâng cấp được cơ sở dữ liệu ({error}). Đã khôi phục bản sao lưu {backup.name}; "
                    "dữ liệu không bị mất. Hãy gửi thông báo này cho bộ phận hỗ trợ.",
                ) from error
            raise
        log.info("database migrated from %s to %s", current, head)
        return backup

    def backup(self, destination: Path | None = None, *, reason: str = "manual") -> Path:
        """A consistent copy of the SQLite database (the online backup API; safe while in use)."""
        path = self.sqlite_path
        if path is None:
            raise StoreError("E-STORE-BACKUP", "Chỉ sao lưu được cơ sở dữ liệu SQLite trên máy này.")
        if destination is None:
            from ..paths import backups_dir

            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            destination = backups_dir() / f"readiness-{stamp}-{reason}.sqlite3"
        destination.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(path)
        try:
            target = sqlite3.connect(destination)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return destination

    def restore(self, source: Path) -> Path:
        """Replace this SQLite database with a backup file, after checking it; returns a safety copy.

        The file must be an intact SQLite database of this application at a schema revision this
        version knows (older ones are migrated after restoring).  The current database is copied
        first, so a restore can itself be undone.
        """
        path = self.sqlite_path
        if path is None:
            raise StoreError("E-STORE-BACKUP", "Chỉ khôi phục được cơ sở dữ liệu SQLite trên máy này.")
        revision = verify_backup(source, self.known_revisions())
        safety = self.backup(reason="before-restore")
        self.engine.dispose()
        staging = path.with_name(path.name + ".restoring")
        connection = sqlite3.connect(source)
        try:
            target = sqlite3.connect(staging)
            try:
                connection.backup(target)
            finally:
                target.close()
        finally:
            connection.close()
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                side.unlink()
        os.replace(staging, path)
        self._communes = None
        if revision != self.head_revision():
            self.migrate()
        self.ensure_register()
        return safety

    def known_revisions(self) -> set[str]:
        from alembic.script import ScriptDirectory

        return {script.revision for script in ScriptDirectory.from_config(self._alembic_config(None)).walk_revisions()}

    # -- the register -----------------------------------------------------------------------
    def ensure_register(self) -> None:
        """Load the shipped register into the database when it is missing or has changed (once: under
        :meth:`setup_lock`, so processes opening a new database together do not insert it twice)."""
        fingerprint = register_fingerprint()
        if self.get_setting("register_fingerprint") == fingerprint:
            return
        with self.setup_lock():
            if self.get_setting("register_fingerprint") == fingerprint:  # loaded while this process waited
                self._communes = None
                return
            self._load_register(fingerprint)

    def _load_register(self, fingerprint: str) -> None:
        communes = load_register()
        with self.transaction() as session:
            existing = set(session.scalars(select(CommuneRow.code)))
            for commune in communes:
                values = dict(
                    code=commune.code, name=commune.name, kind=commune.kind, province_code=commune.province_code,
                    province_name=commune.province_name, former_province=commune.former_province,
                    former_units=commune.former_units, name_folded=fold(commune.name),
                )
                if commune.code in existing:
                    session.execute(update(CommuneRow).where(CommuneRow.code == commune.code).values(**values))
                else:
                    session.add(CommuneRow(**values))
            session.merge(Meta(key="register_fingerprint", value=fingerprint))
        self._communes = None

    def all_communes(self) -> list[Commune]:
        if self._communes is None:
            with self.transaction() as session:
                self._communes = [
                    Commune(code=r.code, name=r.name, kind=r.kind, province_code=r.province_code,
                            province_name=r.province_name, former_province=r.former_province, former_units=r.former_units)
                    for r in session.scalars(select(CommuneRow))
                ]
        return self._communes

    def communes(self, search: str | None = None, province: str | None = "51") -> list[Commune]:
        """Units of a province (``None`` or ``"all"``: the whole country) in Vietnamese order; ``search`` looks in
        the name and the province's name, with or without diacritics («ha noi» finds Hà Nội's units)."""
        found = [
            c for c in self.all_communes()
            if (province in (None, "all") or c.province_code == province)
            and (not search or matches(search, f"{c.name} {c.province_name}") or search.strip() == c.code)
        ]
        return sort_communes(found)

    def commune(self, code: str) -> Commune:
        if self._communes is not None:
            for commune in self._communes:
                if commune.code == code:
                    return commune
        elif isinstance(code, str):  # one row, not the 3,321 of the register (opening the window needs only the remembered commune)
            row = self._first(Q.COMMUNE, code=code)
            if row is not None:
                return Q.commune_of(row)
        raise Q.unknown_commune(code)

    # -- settings ---------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._first(Q.SETTING, key=key)
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(_SET_SETTING, {"key": key, "value": value})

    def settings(self, prefix: str) -> dict[str, str]:
        """Every setting whose key starts with ``prefix`` (e.g. ``documents.``), key -> value."""
        return {key: value for key, value in self._all(Q.SETTINGS, pattern=Q.prefix_pattern(prefix))}

    def save_settings(self, values: Mapping[str, str | None]) -> None:
        """Several settings in one transaction; ``None`` removes a key (back to its default)."""
        with self.transaction() as session:
            for key, value in values.items():
                if value is None:
                    session.execute(delete(Meta).where(Meta.key == key))
                else:
                    session.merge(Meta(key=key, value=value))

    # -- assessments ------------------------------------------------------------------------
    def current_assessment(self, commune_code: str, period: str) -> AssessmentInfo | None:
        row = self._first(Q.CURRENT_ASSESSMENT, commune_code=commune_code, period=validate_period(period))
        return AssessmentInfo.of(row) if row else None

    def open_assessment(self, commune_code: str, period: str, checklist: Checklist) -> AssessmentInfo:
        """The current revision for the commune and period; a new draft (revision 1) if none."""
        period = validate_period(period)
        self.commune(commune_code)
        current = self.current_assessment(commune_code, period)
        if current is not None:
            return current
        with self.transaction() as session:
            row = AssessmentRow(
                id=str(uuid.uuid4()), commune_code=commune_code, period=period, revision=1, status="draft",
                checklist_id=checklist.id, checklist_version=checklist.version, checklist_hash=checklist.content_hash,
            )
            session.add(row)
            session.flush()
            return AssessmentInfo.of(row)

    def assessment(self, assessment_id: str) -> AssessmentInfo:
        row = self._first(Q.ASSESSMENT, assessment_id=assessment_id)
        if row is None:
            raise Q.unknown_assessment(assessment_id)
        return AssessmentInfo.of(row)

    def assessments_by_id(self, assessment_ids: Iterable[str]) -> dict[str, AssessmentInfo]:
        """Id -> its assessment, for the ids that exist, in one query per 500 ids."""
        ids = list(dict.fromkeys(assessment_ids))
        out: dict[str, AssessmentInfo] = {}
        with self.transaction() as session:
            for start in range(0, len(ids), CHUNK):
                for row in session.scalars(select(AssessmentRow).where(AssessmentRow.id.in_(ids[start:start + CHUNK]))):
                    out[row.id] = AssessmentInfo.of(row)
        return out

    def history(self, commune_code: str, period: str | None = None) -> list[AssessmentInfo]:
        """Every revision of a commune (for one period, or all), newest first."""
        with self.transaction() as session:
            query = select(AssessmentRow).where(AssessmentRow.commune_code == commune_code)
            if period:
                query = query.where(AssessmentRow.period == validate_period(period))
            query = query.order_by(AssessmentRow.period.desc(), AssessmentRow.revision.desc())
            return [AssessmentInfo.of(row) for row in session.scalars(query)]

    def assessments(self, period: str | None = None) -> list[AssessmentInfo]:
        with self.transaction() as session:
            query = select(AssessmentRow)
            if period:
                query = query.where(AssessmentRow.period == validate_period(period))
            query = query.order_by(AssessmentRow.commune_code, AssessmentRow.period, AssessmentRow.revision)
            return [AssessmentInfo.of(row) for row in session.scalars(query)]

    # -- answers ----------------------------------------------------------------------------
    def load_answers(self, assessment_id: str, checklist: Checklist) -> Answers:
        """Every stored answer, typed; answers to items this checklist does not have are skipped."""
        with self.engine.connect() as connection:  # one connection: both reads see the same state on PostgreSQL too
            answer_rows = connection.execute(_typed(Q.ANSWERS), {"assessment_id": assessment_id}).all()
            table_rows = connection.execute(_typed(Q.TABLE_ROWS), {"assessment_id": assessment_id}).all()
        return Q.answers_of(checklist, answer_rows, table_rows)

    def load_rows(self, assessment_id: str, checklist: Checklist, item_id: str) -> list[Row]:
        """The rows of one table item, in order."""
        item = checklist.item(item_id)
        with self.transaction() as session:
            stored_rows = session.execute(
                select(TableRowRow.id, TableRowRow.item_id, TableRowRow.values, TableRowRow.source, TableRowRow.meta)
                .where(TableRowRow.assessment_id == assessment_id, TableRowRow.item_id == item_id)
                .order_by(TableRowRow.position, TableRowRow.id)
            )
            return [Q.row_of(item, stored) for stored in stored_rows]

    def _draft(self, session: Session, assessment_id: str) -> AssessmentRow:
        row = session.get(AssessmentRow, assessment_id, with_for_update=self.engine.dialect.name != "sqlite")
        if row is None or row.status != "draft":
            raise Q.not_a_draft(assessment_id, (row.period, row.revision) if row is not None else None)
        row.updated_at = utcnow()
        return row

    def save_answer(self, assessment_id: str, checklist: Checklist, item_id: str, value: Any, *,
                    source: str = "typed", meta: Mapping[str, Any] | None = None) -> None:
        """Store one (already coerced) scalar answer; ``None`` removes it.

        What the window does at every answer, so it costs one round trip to PostgreSQL: the draft
        check, the assessment's ``updated_at`` and the answer's upsert (or delete) are one statement,
        committed on its own (durable when it returns; a finalized assessment changes nothing).  On
        SQLite: two statements in one transaction (the first a write: it takes the write lock)."""
        item = checklist.item(item_id)
        if item.type is ItemType.TABLE:
            self.save_answers(assessment_id, checklist, {item_id: value}, source=source,
                              meta={item_id: dict(meta)} if meta else None)
            return
        values = {"assessment_id": assessment_id, "item_id": item_id, "source": source, "now": utcnow(),
                  "value": None if value is None else to_json(item, value), "meta": dict(meta) if meta else None}
        if self.engine.dialect.name == "postgresql":
            with self._autocommit.connect() as connection:
                drafts = connection.execute(_PG_DELETE_ANSWER if value is None else _PG_SAVE_ANSWER, values).scalar_one()
        else:
            with self.engine.begin() as connection:
                drafts = connection.execute(_TOUCH_DRAFT, values).rowcount
                if drafts:
                    connection.execute(_DELETE_ANSWER if value is None else _UPSERT_ANSWER,
                                       values)
        if not drafts:
            with self.transaction() as session:
                self._draft(session, assessment_id)  # raises: no such assessment, or finalized

    def save_answers(self, assessment_id: str, checklist: Checklist, values: Mapping[str, Any], *,
                     source: str = "typed", meta: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """Store several coerced answers in one transaction; a table value replaces all its rows."""
        with self.transaction() as session:
            self._draft(session, assessment_id)
            now = utcnow()
            for item_id, value in values.items():
                item = checklist.item(item_id)
                if item.type is ItemType.TABLE:
                    session.execute(delete(TableRowRow).where(
                        TableRowRow.assessment_id == assessment_id, TableRowRow.item_id == item_id))
                    for position, row in enumerate(value or []):
                        session.add(TableRowRow(
                            assessment_id=assessment_id, item_id=item_id, position=position,
                            values=row_to_json(item, row.values), source=row.source or source, meta=row.meta, updated_at=now,
                        ))
                    continue
                existing = session.get(AnswerRow, (assessment_id, item_id))
                if value is None:
                    if existing is not None:
                        session.delete(existing)
                    continue
                stored = to_json(item, value)
                item_meta = dict(meta[item_id]) if meta and item_id in meta else None
                if existing is None:
                    session.add(AnswerRow(assessment_id=assessment_id, item_id=item_id, value=stored, source=source,
                                          meta=item_meta, updated_at=now))
                else:
                    existing.value = stored
                    existing.source = source
                    existing.meta = item_meta
                    existing.updated_at = now

    def add_row(self, assessment_id: str, checklist: Checklist, item_id: str, values: Mapping[str, Any] | None = None, *,
                source: str = "typed", meta: Mapping[str, Any] | None = None, after_row: int | None = None) -> int:
        """Append a row (or insert it after ``after_row``); returns the new row's id."""
        item = checklist.item(item_id)
        with self.transaction() as session:
            self._draft(session, assessment_id)
            siblings = list(session.scalars(
                select(TableRowRow).where(TableRowRow.assessment_id == assessment_id, TableRowRow.item_id == item_id)
                .order_by(TableRowRow.position, TableRowRow.id)
            ))
            if len(siblings) >= item.max_rows:
                raise StoreError("E-STORE-ROWS", f"Bảng đã đủ {item.max_rows} dòng, không thêm được.")
            position = len(siblings)
            if after_row is not None:
                for index, sibling in enumerate(siblings):
                    if sibling.id == after_row:
                        position = index + 1
                for sibling in siblings[position:]:
                    sibling.position += 1
            row = TableRowRow(assessment_id=assessment_id, item_id=item_id, position=position,
                              values=row_to_json(item, values or {}), source=source, meta=dict(meta) if meta else None)
            session.add(row)
            session.flush()
            return row.id

    def update_row(self, assessment_id: str, checklist: Checklist, row_id: int, values: Mapping[str, Any], *,
                   source: str | None = None, item_id: str | None = None) -> None:
        """Replace the cells of a row (coerced values; ``None`` cells are dropped).

        With ``item_id`` (the table the row is in: what the window knows when a cell is edited) this costs what
        saving one answer costs: one autocommitted statement on PostgreSQL, two in one transaction on SQLite (the
        draft's ``updated_at`` and the row, only if the row is this assessment's and this table's).  When nothing
        was written, the slow path below says why (finalized, unknown assessment, the row gone)."""
        if item_id is not None:
            binds = {"assessment_id": assessment_id, "item_id": item_id, "row_id": row_id, "now": utcnow(),
                     "values": row_to_json(checklist.item(item_id), values), "source": source or None}
            if self.engine.dialect.name == "postgresql":
                with self._autocommit.connect() as connection:
                    if connection.execute(_PG_UPDATE_ROW, binds).scalar_one():
                        return
            else:
                with self.engine.begin() as connection:
                    if connection.execute(_TOUCH_DRAFT_OF_ROW, binds).rowcount:
                        connection.execute(_UPDATE_ROW, binds)
                        return
        with self.transaction() as session:
            self._draft(session, assessment_id)
            row = session.get(TableRowRow, row_id)
            if row is None or row.assessment_id != assessment_id:
                raise StoreError("E-STORE-ROW", "Dòng này không còn trong bảng (có thể đã bị xoá).")
            row.values = row_to_json(checklist.item(row.item_id), values)
            if source:
                row.source = source
            row.updated_at = utcnow()

    def delete_row(self, assessment_id: str, row_id: int) -> None:
        with self.transaction() as session:
            self._draft(session, assessment_id)
            row = session.get(TableRowRow, row_id)
            if row is None or row.assessment_id != assessment_id:
                return
            session.delete(row)
            session.flush()
            remaining = session.scalars(
                select(TableRowRow).where(TableRowRow.assessment_id == assessment_id, TableRowRow.item_id == row.item_id)
                .order_by(TableRowRow.position, TableRowRow.id)
            )
            for position, sibling in enumerate(remaining):
                sibling.position = position

    def duplicate_row(self, assessment_id: str, checklist: Checklist, row_id: int) -> int:
        with self.transaction() as session:
            row = session.get(TableRowRow, row_id)
            if row is None or row.assessment_id != assessment_id:
                raise StoreError("E-STORE-ROW", "Dòng này không còn trong bảng (có thể đã bị xoá).")
            item = checklist.item(row.item_id)
            values = {c.id: from_stored(c, row.values[c.id]) for c in item.columns or () if c.id in row.values}
        return self.add_row(assessment_id, checklist, item.id, values, after_row=row_id)

    # -- lifecycle --------------------------------------------------------------------------
    def finalize(self, assessment_id: str, checklist: Checklist, result: Any) -> AssessmentInfo:
        """Mark a draft finalized with its score and level; its petitions become trackable."""
        if result.blocking_issues:
            first = result.blocking_issues[0]
            raise StoreError(
                "E-STORE-INCOMPLETE",
                f"Chưa hoàn thành được: còn {len(result.blocking_issues)} câu hỏi bắt buộc chưa trả lời hoặc chưa hợp lệ "
                f"(đầu tiên: «{checklist.item(first.item).label.vi}» — {first.message}).",
            )
        answers = self.load_answers(assessment_id, checklist)
        with self.transaction() as session:
            row = self._draft(session, assessment_id)
            row.status = "finalized"
            row.finalized_at = utcnow()
            row.score = round(result.score, 2)
            row.level = result.level_id
            if checklist.petition_item and result.relevant.get(checklist.petition_item):
                for position, petition in enumerate(answers.rows(checklist.petition_item)):
                    values = petition.values
                    session.add(PetitionRow(
                        assessment_id=assessment_id, commune_code=row.commune_code, period=row.period, position=position,
                        topic=values.get("topic"), difficulty=values.get("difficulty"), proposal=values.get("proposal"),
                        addressed_to=values.get("addressed_to"),
                    ))
            session.flush()
            return AssessmentInfo.of(row)

    def reopen(self, commune_code: str, period: str, checklist: Checklist) -> AssessmentInfo:
        """A new draft revision copying the finalized one's answers; the old revision stays as history."""
        period = validate_period(period)
        with self.transaction() as session:
            current = session.scalars(
                select(AssessmentRow)
                .where(AssessmentRow.commune_code == commune_code, AssessmentRow.period == period)
                .order_by(AssessmentRow.revision.desc()).limit(1)
            ).first()
            if current is None:
                raise StoreError("E-ASSESSMENT", f"Chưa có bản đánh giá kỳ {period_label(period)} để mở lại.")
            if current.status == "draft":
                return AssessmentInfo.of(current)
            new = AssessmentRow(
                id=str(uuid.uuid4()), commune_code=commune_code, period=period, revision=current.revision + 1,
                status="draft", checklist_id=checklist.id, checklist_version=checklist.version,
                checklist_hash=checklist.content_hash,
            )
            session.add(new)
            session.flush()
            for answer in session.scalars(select(AnswerRow).where(AnswerRow.assessment_id == current.id)):
                session.add(AnswerRow(assessment_id=new.id, item_id=answer.item_id, value=answer.value,
                                      source=answer.source, meta=answer.meta, updated_at=answer.updated_at))
            for table_row in session.scalars(select(TableRowRow).where(TableRowRow.assessment_id == current.id)):
                session.add(TableRowRow(assessment_id=new.id, item_id=table_row.item_id, position=table_row.position,
                                        values=table_row.values, source=table_row.source, meta=table_row.meta,
                                        updated_at=table_row.updated_at))
            carried = session.get(CarryForwardRow, current.id)
            if carried is not None:  # the new revision was started from the same earlier period
                session.add(CarryForwardRow(assessment_id=new.id, from_assessment_id=carried.from_assessment_id,
                                            from_period=carried.from_period, from_revision=carried.from_revision,
                                            carried_at=carried.carried_at))
            for confirmation in session.scalars(select(SectionConfirmationRow).where(
                    SectionConfirmationRow.assessment_id == current.id)):
                session.add(SectionConfirmationRow(assessment_id=new.id, section_id=confirmation.section_id,
                                                   confirmed_at=confirmation.confirmed_at))
            return AssessmentInfo.of(new)

    # -- carry forward (a period started from an earlier one) ---------------------------------
    def finalized(self, commune_code: str, period: str) -> AssessmentInfo | None:
        """The newest finalized revision of a commune's period, or ``None``."""
        row = self._first(Q.FINALIZED, commune_code=commune_code, period=validate_period(period))
        return AssessmentInfo.of(row) if row else None

    def latest_finalized_before(self, commune_code: str, period: str) -> AssessmentInfo | None:
        """The newest finalized revision of the latest period before ``period`` that has one."""
        row = self._first(Q.LATEST_FINALIZED_BEFORE, commune_code=commune_code, period=validate_period(period))
        return AssessmentInfo.of(row) if row else None

    def start_carried(self, commune_code: str, period: str, checklist: Checklist, source: AssessmentInfo,
                      answers: Mapping[str, tuple[Any, Mapping[str, Any]]],
                      rows: Mapping[str, Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]]) -> AssessmentInfo:
        """A new draft (revision 1) for a period that has none, holding answers and table rows carried
        from ``source`` (stored JSON values, each with its ``meta``; ``source='carried'``), in one transaction.

        Raises StoreError E-CARRY-EXISTS when the period already has an assessment (nothing is written).
        """
        period = validate_period(period)
        self.commune(commune_code)
        now = utcnow()
        with self.transaction() as session:
            existing = session.scalars(
                select(AssessmentRow).where(AssessmentRow.commune_code == commune_code, AssessmentRow.period == period)
                .order_by(AssessmentRow.revision.desc()).limit(1)
            ).first()
            if existing is not None:
                raise StoreError("E-CARRY-EXISTS", _exists_message(existing))
            row = AssessmentRow(
                id=str(uuid.uuid4()), commune_code=commune_code, period=period, revision=1, status="draft",
                checklist_id=checklist.id, checklist_version=checklist.version, checklist_hash=checklist.content_hash,
            )
            session.add(row)
            session.flush()
            for item_id, (value, meta) in answers.items():
                session.add(AnswerRow(assessment_id=row.id, item_id=item_id, value=value, source="carried",
                                      meta=dict(meta), updated_at=now))
            for item_id, item_rows in rows.items():
                for position, (values, meta) in enumerate(item_rows):
                    session.add(TableRowRow(assessment_id=row.id, item_id=item_id, position=position,
                                            values=dict(values), source="carried", meta=dict(meta), updated_at=now))
            session.add(CarryForwardRow(assessment_id=row.id, from_assessment_id=source.id, from_period=source.period,
                                        from_revision=source.revision, carried_at=now))
            session.flush()
            return AssessmentInfo.of(row)

    def carry_source(self, assessment_id: str) -> CarrySource | None:
        """Where the assessment was carried from (``None``: it was started empty)."""
        row = self._first(Q.CARRY_SOURCE, assessment_id=assessment_id)
        return Q.carry_source_of(row) if row is not None else None

    def section_confirmations(self, assessment_id: str) -> dict[str, dt.datetime]:
        """Section id -> when it was confirmed «Không thay đổi so với kỳ trước»."""
        return {section_id: aware(at) for section_id, at in self._all(Q.SECTION_CONFIRMATIONS, assessment_id=assessment_id)}

    def confirm_section(self, assessment_id: str, section_id: str, item_ids: Iterable[str]) -> dt.datetime:
        """Record that a section's carried answers still hold: the section's confirmation, and
        ``confirmed_at`` in the ``carried`` meta of each carried answer and row of ``item_ids``
        (one transaction).  Returns the time recorded."""
        ids = sorted(set(item_ids))
        now = utcnow()
        stamp = now.isoformat(timespec="seconds")
        with self.transaction() as session:
            self._draft(session, assessment_id)
            session.merge(SectionConfirmationRow(assessment_id=assessment_id, section_id=section_id, confirmed_at=now))
            if ids:
                answers = session.scalars(select(AnswerRow).where(
                    AnswerRow.assessment_id == assessment_id, AnswerRow.item_id.in_(ids), AnswerRow.source == "carried"))
                table_rows = session.scalars(select(TableRowRow).where(
                    TableRowRow.assessment_id == assessment_id, TableRowRow.item_id.in_(ids),
                    TableRowRow.source == "carried"))
                for stored in [*answers, *table_rows]:
                    meta = dict(stored.meta or {})
                    meta["carried"] = {**dict(meta.get("carried") or {}), "confirmed_at": stamp}
                    stored.meta = meta
        return now

    def set_checklist(self, assessment_id: str, checklist: Checklist) -> AssessmentInfo:
        """Point a draft at another checklist version (its answers stay as they are)."""
        with self.transaction() as session:
            row = self._draft(session, assessment_id)
            row.checklist_id = checklist.id
            row.checklist_version = checklist.version
            row.checklist_hash = checklist.content_hash
            session.flush()
            return AssessmentInfo.of(row)

    # -- petitions (the rules of handling them: readiness.department.petitions) ------------------------
    def petitions(self, commune_code: str | None = None, period: str | None = None, *, status: str | None = None,
                  ids: Sequence[int] | None = None) -> list[PetitionRow]:
        """Petition rows (detached), by commune, period, status and/or id; ordered by commune, period, position."""
        with self.transaction() as session:
            return _petitions.petition_rows(session, commune_code, validate_period(period) if period else None,
                                            status, ids)

    def assessment_revisions(self, assessment_ids: Iterable[str]) -> dict[str, tuple[str, str, int]]:
        """Assessment id -> (commune, period, revision), for the ids given."""
        with self.transaction() as session:
            return _petitions.assessment_revisions(session, assessment_ids)

    def update_petitions(self, ids: Sequence[int], apply: Callable[[PetitionRow], None]) -> list[PetitionRow]:
        """Change several petitions in one transaction: ``apply(row)`` checks and changes each (in id
        order, rows locked on PostgreSQL); an exception from it, or an unknown id, rolls back all of them."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        with self.transaction() as session:
            rows = _petitions.locked_petitions(session, wanted, for_update=self.engine.dialect.name != "sqlite")
            missing = [i for i in wanted if i not in rows]
            if missing:
                shown = ", ".join(str(i) for i in missing[:10]) + (" …" if len(missing) > 10 else "")
                raise StoreError("E-PETITION", f"Không có kiến nghị số {shown}.")
            now = utcnow()
            for petition_id in sorted(wanted):
                apply(rows[petition_id])
                rows[petition_id].updated_at = now
            session.flush()
            return [rows[i] for i in wanted]

    def counts(self) -> dict[str, int]:
        with self.transaction() as session:
            return {
                "communes": session.scalar(select(func.count()).select_from(CommuneRow)) or 0,
                "assessments": session.scalar(select(func.count()).select_from(AssessmentRow)) or 0,
                "answers": session.scalar(select(func.count()).select_from(AnswerRow)) or 0,
                "table_rows": session.scalar(select(func.count()).select_from(TableRowRow)) or 0,
            }


# -- one answer in one statement (Store.save_answer) -------------------------------------------------------------

_ANSWER_BINDS = (bindparam("value", type_=JSON), bindparam("meta", type_=JSON),
                 bindparam("now", type_=DateTime(timezone=True)))
_PG_SAVE_ANSWER = text("""
WITH draft AS (UPDATE assessments SET updated_at = :now WHERE id = :assessment_id AND status = 'draft' RETURNING id),
written AS (INSERT INTO answers (assessment_id, item_id, value, source, meta, updated_at)
            SELECT id, :item_id, CAST(:value AS JSON), :source, CAST(:meta AS JSON), :now FROM draft
            ON CONFLICT (assessment_id, item_id) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source,
                                                              meta = EXCLUDED.meta, updated_at = EXCLUDED.updated_at
            RETURNING 1)
SELECT count(*) FROM draft""").bindparams(*_ANSWER_BINDS)
_PG_DELETE_ANSWER = text("""
WITH draft AS (UPDATE assessments SET updated_at = :now WHERE id = :assessment_id AND status = 'draft' RETURNING id),
gone AS (DELETE FROM answers WHERE assessment_id IN (SELECT id FROM draft) AND item_id = :item_id RETURNING 1)
SELECT count(*) FROM draft""").bindparams(_ANSWER_BINDS[2])
_TOUCH_DRAFT = text(Q.TOUCH_DRAFT).bindparams(_ANSWER_BINDS[2])
_DELETE_ANSWER = text(Q.DELETE_ANSWER)
_UPSERT_ANSWER = text(Q.UPSERT_ANSWER).bindparams(*_ANSWER_BINDS)
_SET_SETTING = text(Q.SET_SETTING)

# One cell of a table edited (Store.update_row with item_id): the draft touched only when the row is its own.
_ROW_BINDS = (bindparam("values", type_=JSON), _ANSWER_BINDS[2])
_DRAFT_OF_ROW = """UPDATE assessments SET updated_at = :now WHERE id = :assessment_id AND status = 'draft'
  AND EXISTS (SELECT 1 FROM table_rows WHERE id = :row_id AND assessment_id = :assessment_id AND item_id = :item_id)"""
_SET_ROW = """UPDATE table_rows SET "values" = {values}, source = COALESCE(:source, source), updated_at = :now
  WHERE id = :row_id AND assessment_id {owner} AND item_id = :item_id"""
_PG_UPDATE_ROW = text(f"""
WITH draft AS ({_DRAFT_OF_ROW} RETURNING id),
changed AS ({_SET_ROW.format(values="CAST(:values AS JSON)", owner="IN (SELECT id FROM draft)")} RETURNING 1)
SELECT count(*) FROM draft""").bindparams(*_ROW_BINDS)
_TOUCH_DRAFT_OF_ROW = text(_DRAFT_OF_ROW).bindparams(_ANSWER_BINDS[2])
_UPDATE_ROW = text(_SET_ROW.format(values=":values", owner="= :assessment_id")).bindparams(*_ROW_BINDS)


def _exists_message(existing: AssessmentRow) -> str:
    state = "bản nháp" if existing.status == "draft" else "đã hoàn thành"
    return (f"Kỳ {period_label(existing.period)} đã có bản đánh giá (lần {existing.revision}, {state}); chỉ bắt đầu "
            "từ kỳ trước được khi kỳ này chưa có bản nào. Mở bản đã có để nhập tiếp.")


def verify_backup(source: Path, known_revisions: set[str]) -> str:
    """Check a backup file before it replaces anything; returns its schema revision."""
    source = Path(source)
    if not source.is_file():
        raise StoreError("E-BACKUP-FILE", f"Không tìm thấy tệp sao lưu {source}.")
    with open(source, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise StoreError("E-BACKUP-FILE", f"Tệp {source.name} không phải bản sao lưu của phần mềm (không phải cơ sở dữ liệu SQLite).")
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreError("E-BACKUP-FILE", f"Tệp sao lưu {source.name} bị hỏng ({error}).") from None
    if integrity != "ok":
        raise StoreError("E-BACKUP-CORRUPT", f"Tệp sao lưu {source.name} bị hỏng: {integrity}.")
    if not {"assessments", "answers", "communes"} <= tables or revision is None:
        raise StoreError("E-BACKUP-FILE", f"Tệp {source.name} không phải bản sao lưu của phần mềm Sẵn sàng Một cửa.")
    if revision[0] in Q.DEVELOPMENT_REVISIONS:
        raise Q.development_revision(revision[0], source.name)
    if revision[0] not in known_revisions:
        raise StoreError("E-BACKUP-NEWER", f"Tệp sao lưu {source.name} do phiên bản mới hơn của phần mềm tạo ra; "
                                           "hãy cập nhật phần mềm rồi khôi phục lại.")
    return revision[0]


# The types of the shared statements' columns (:mod:`.queries`), as the ORM models declare them: SQLAlchemy
# decodes JSON and times the same way for a statement as for a model.
_TIME, _JSON = DateTime(timezone=True), JSON()
_ASSESSMENT_TYPES = {**{name: _TIME for name in Q.ASSESSMENT_TIMES}, "score": Float()}
_COLUMN_TYPES: dict[str, dict[str, Any]] = {
    Q.ASSESSMENT: _ASSESSMENT_TYPES, Q.CURRENT_ASSESSMENT: _ASSESSMENT_TYPES, Q.FINALIZED: _ASSESSMENT_TYPES,
    Q.LATEST_FINALIZED_BEFORE: _ASSESSMENT_TYPES,
    Q.ANSWERS: {"value": _JSON, "meta": _JSON}, Q.TABLE_ROWS: {"values": _JSON, "meta": _JSON},
    Q.CARRY_SOURCE: {"carried_at": _TIME}, Q.SECTION_CONFIRMATIONS: {"confirmed_at": _TIME},
}


@lru_cache(maxsize=None)
def _typed(sql: str) -> Any:
    """A shared statement with its columns' types (plain text columns need none)."""
    types = _COLUMN_TYPES.get(sql)
    return text(sql).columns(**types) if types else text(sql)


@contextmanager
def _one_transaction(connection: Connection) -> Iterator[None]:
    """The migration as one database transaction: committed at the end, rolled back whole otherwise.

    PostgreSQL's DDL is transactional as it is.  SQLite's is too, but its Python driver begins a
    transaction only before INSERT/UPDATE/DELETE, so each CREATE or ALTER TABLE would commit on its
    own and a process killed in the middle would leave a half-upgraded file (that the next start
    cannot migrate).  For the migration the driver's own handling is switched off and the
    transaction begun here (``BEGIN IMMEDIATE``: the write lock at once)."""
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    previous = raw.isolation_level if raw is not None else None
    try:
        if raw is not None:
            raw.isolation_level = None
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.begin()
        yield
        connection.commit()
    finally:
        if connection.in_transaction():
            connection.rollback()
        if raw is not None:
            raw.isolation_level = previous


def _restore_sqlite(backup: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            side.unlink()
    shutil.copyfile(backup, path)
