"""A cache of validated checklists, so that opening the window does not parse YAML and check a
definition that has not changed since the last start.

:func:`load_cached` gives the same :class:`~.model.Checklist` as :func:`.loader.load_checklist`
(the loader's :class:`~.loader.ChecklistLibrary` reads its definitions through it).
The cache file (``<user data>/cache/checklists/<id>-<digest>.bin``) is keyed by the SHA-256 of the
YAML file's bytes, its path, the program's version and the versions of Python and pydantic; any
change gives another key, and the stale file is removed.  A cache file is never trusted blindly:
it starts with the SHA-256 of its contents (a truncated or damaged file is ignored and rewritten),
and it is read by an unpickler that admits only the checklist model's own classes (a planted file
cannot name any other callable).  Every failure falls back to reading the YAML file.

The checklist models build their pydantic validators on first use (``defer_build``): a start
that reads the cache never builds them.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from . import model
from .model import Checklist

_MAGIC = b"readiness-checklist-cache 1\n"
_LOG = logging.getLogger(__name__)
_ALLOWED_MODULES = frozenset({model.__name__})
_ALLOWED_GLOBALS = {("datetime", "date")}
CACHE_ENV = "READINESS_CHECKLIST_CACHE"  # "0": never read or write the cache


class _ChecklistUnpickler(pickle.Unpickler):
    """Only the classes of :mod:`readiness.checklist.model` (and dates) may be named."""

    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's signature
        if module in _ALLOWED_MODULES and not name.startswith("_"):
            value = getattr(model, name, None)
            if isinstance(value, type):
                return value
        if (module, name) in _ALLOWED_GLOBALS:
            import datetime

            return datetime.date
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a checklist cache")


def cache_dir() -> Path:
    from ..paths import user_data_dir

    return user_data_dir() / "cache" / "checklists"


def _key(raw: bytes, path: Path, extra: bytes = b"") -> str:
    import pydantic

    from .. import __version__

    digest = hashlib.sha256()
    for part in (raw, str(path).encode("utf-8", "surrogatepass"), __version__.encode(), pydantic.VERSION.encode(),
                 sys.version.encode(), _program_stamp().encode(), extra):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _program_stamp() -> str:
    """What else makes a validated checklist of another program: the model's classes and fields, the
    loader's and model's source files (a developer's edit), the frozen executable (a new build whose
    version number did not change)."""
    parts = [f"{name}:{','.join(f'{f}={info.annotation}' for f, info in cls.model_fields.items())}"
             for name, cls in sorted(vars(model).items())
             if isinstance(cls, type) and issubclass(cls, model.BaseModel) and cls.__module__ == model.__name__]
    files = [Path(__file__).with_name("loader.py"), Path(__file__).with_name("model.py")]
    if getattr(sys, "frozen", False):
        files.append(Path(sys.executable))
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        parts.append(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _file_for(path: Path, key: str) -> Path:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in f"{path.parent.name}-{path.stem}")[:80]
    return cache_dir() / f"{stem}-{key[:32]}.bin"


def _read(file: Path) -> Checklist | None:
    try:
        data = file.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if len(data) <= head or not data.startswith(_MAGIC) or hashlib.sha256(data[head:]).digest() != data[len(_MAGIC):head]:
        _LOG.warning("checklist cache %s is damaged; reading the definition again", file)
        return None
    try:
        value = _ChecklistUnpickler(io.BytesIO(data[head:])).load()
    except Exception:  # noqa: BLE001 - anything wrong with a cache file means: read the YAML
        _LOG.warning("checklist cache %s cannot be read; reading the definition again", file, exc_info=True)
        return None
    return value if isinstance(value, Checklist) else None


def _write(file: Path, checklist: Checklist) -> None:
    payload = pickle.dumps(checklist, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        for stale in file.parent.glob(file.name.rsplit("-", 1)[0] + "-*.bin"):
            if stale != file:
                stale.unlink(missing_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, file)
    except OSError:  # a read-only or full disk: the next start reads the YAML again
        _LOG.info("checklist cache %s not written", file, exc_info=True)


def load_cached(raw: bytes, path: Path, parse: Callable[[bytes, str], Checklist], *, extra: bytes = b"") -> Checklist:
    """The validated checklist of the file ``path`` whose bytes are ``raw``: a cached copy when the same
    bytes were validated before by this program, else ``parse(raw, str(path))`` (the loader's
    :func:`~.loader.load_checklist_bytes`, which raises :class:`~.loader.ChecklistInvalid`), then cached."""
    if os.environ.get(CACHE_ENV) == "0":
        return parse(raw, str(path))
    key = _key(raw, path, extra)  # extra: the contacts.yaml the advice names (an edit gives another key)
    file = _file_for(path, key)
    cached = _read(file)  # only a file validated before has a cache: its size was checked then
    if cached is not None and cached.source_path == str(path):
        return cached
    checklist = parse(raw, str(path))
    _write(file, checklist)
    return checklist
