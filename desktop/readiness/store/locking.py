"""One process at a time sets a database up: :func:`setup_lock`.

Creating or upgrading the schema and loading the commune register happen when a process opens a
database that is not current.  Several processes may do that at once (two imports started
together on a new database, the window and an import after an upgrade).  Each takes this lock
first, then looks again: the first one does the work, the others wait, see the database current
and go on.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``, scoped to the database) on a
  connection of its own, held while the work runs on other connections; the server releases it if
  the process dies.
- SQLite: an exclusive OS lock on a small file beside the database (``<database>.lock``:
  ``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows).  Not the database file itself:
  SQLite's own locks on it must not be disturbed, and in WAL mode even an exclusive transaction
  lets readers in.  The OS drops the lock when the process ends, however it ends.  The file stays
  (removing it would race with a process about to lock it); it holds nothing.
- An in-memory SQLite database belongs to one process: a lock within the process is enough.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReadinessError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 600.0  # seconds to wait for another process's upgrade (a large database copies tables)
PG_LOCK_KEY = 0x5253_4D43_0001  # the advisory lock key of schema setup ("RSMC", lock 1); scoped to the database
_POLL = 0.05
_memory_lock = threading.Lock()


class LockTimeout(ReadinessError):
    """Another process held the setup lock for longer than the timeout (``LockTimeout(seconds)``)."""

    code = "E-STORE-LOCKED"

    def __init__(self, timeout: float):
        self.timeout = timeout
        super().__init__(None, f"Một chương trình khác giữ khoá nâng cấp cơ sở dữ liệu quá {timeout:g} giây.",
                         f"Another program held the database's upgrade lock for more than {timeout:g} seconds.")


@contextmanager
def setup_lock(engine: Engine, timeout: float | None = None) -> Iterator[None]:
    """Hold the database's setup lock (waiting up to ``timeout`` seconds, default :data:`LOCK_TIMEOUT`,
    for another process); :class:`LockTimeout` when it is not free by then."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, timeout):
            yield
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        with file_lock(Path(database + ".lock"), timeout):
            yield
        return
    if not _memory_lock.acquire(timeout=timeout):
        raise LockTimeout(timeout)
    try:
        yield
    finally:
        _memory_lock.release()


@contextmanager
def _postgres_lock(engine: Engine, timeout: float) -> Iterator[None]:
    from sqlalchemy import text

    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_LOCK_KEY}).scalar():
            if not waited:
                log.info("waiting for another process setting up the database")
                waited = True
            if time.monotonic() >= deadline:
                raise LockTimeout(timeout)
            time.sleep(_POLL)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
    finally:
        connection.close()


@contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing), between processes and between threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while not _try_lock(fd):
            if not waited:
                log.info("waiting for another process setting up the database (%s)", path)
                waited = True
            if time.monotonic() >= deadline:
                raise LockTimeout(timeout)
            time.sleep(_POLL)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # the first byte (may lie beyond the end: allowed)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock, not fcntl/lockf: a flock belongs to the open file, so two opens in one process exclude
        # each other too (POSIX record locks would not).
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
