"""A cache of validated checklists, so that opening the window does not parse YAML and check a
definition that has not changed since the last start.

:func:`load_cached` gives the same :class:`~.model.Checklist` as :func:`.loader.load_checklist`
(the loader's :class:`~.loader.ChecklistLibrary` reads its definitions through it).
The cache file (``<user data>/cache/checklists/<id>-<digest>.bin``) is keyed by a BLAKE2b digest of
the YAML file's bytes, its path, the version of Python, the model's classes with their fields, and the
size and time of the source files that validate a checklist and of the libraries they use (pydantic,
PyYAML; the executable of a frozen build); any change gives another key, and the stale file is removed.
A cache file is never trusted blindly: it starts with the BLAKE2b digest of its contents (a truncated or
damaged file is ignored and rewritten), and it is read by an unpickler that admits only the classes
defined in :mod:`readiness.checklist.model`, its data classes and enums (a planted file cannot name any other
callable).  Every
failure falls back to reading the YAML file.

What it holds are the model's plain objects, and beside them every expression of the checklist
(:func:`.model.expressions_of`) as the expression language parsed it while validating, each pickled on its
own (:func:`readiness.expr.pickled`): a process that reads the cache parses none of them
(:func:`readiness.expr.parse` unpickles one when its text is first asked for, with an unpickler that admits
only the language's own classes).  Reading the cache imports neither pydantic nor YAML nor the expression
language (the pickled expressions wait as bytes in :mod:`readiness.parsed`), and builds no validator.
"""

from __future__ import annotations

import dataclasses
import enum
import io
import logging
import os
import pickle
import sys
from collections.abc import Callable
from importlib.util import find_spec

from pathlib import Path

from . import model
from .model import Checklist, expressions_of

try:  # hashlib's own BLAKE2b (hashlib.blake2b is this very function): importing hashlib loads OpenSSL's library,
    from _blake2 import blake2b  # ~11 M instructions of every start, for no hash the cache uses
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

# 3: (the checklist, its pickled expressions); 2: the model's plain dataclasses alone; 1: pydantic models
_MAGIC = b"readiness-checklist-cache 3\n"
_LOG = logging.getLogger(__name__)
_ALLOWED_GLOBALS = {("datetime", "date")}
# The source files whose code makes a validated checklist and its parsed expressions, beside this one's folder's
# loader and model (record: how the model's and the expressions' classes are built and pickled).
_VALIDATING_MODULES = ("expr.py", "templates.py", "record.py")
_LIBRARIES = ("pydantic", "pydantic_core", "yaml")  # what validates and parses: a new version is another program
CACHE_ENV = "READINESS_CHECKLIST_CACHE"  # "0": never read or write the cache


class _ChecklistUnpickler(pickle.Unpickler):
    """Only the data classes and enums defined in :mod:`readiness.checklist.model` (and dates) may be named."""

    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's signature
        if module == model.__name__ and not name.startswith("_"):
            value = getattr(model, name, None)
            if (isinstance(value, type) and value.__module__ == model.__name__
                    and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))):
                return value
        if (module, name) in _ALLOWED_GLOBALS:
            import datetime

            return datetime.date
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a checklist cache")


def cache_dir() -> Path:
    from ..paths import user_data_dir

    return user_data_dir() / "cache" / "checklists"


def _key(raw: bytes, path: Path, extra: bytes = b"") -> str:
    digest = blake2b(digest_size=32)
    for part in (raw, str(path).encode("utf-8", "surrogatepass"), sys.version.encode(), _program_stamp().encode(), extra):
        digest.update(_digest(part))
    return digest.hexdigest()


def _digest(data: bytes) -> bytes:
    """The 32-byte BLAKE2b digest of ``data``: of the YAML's bytes for the key, of a cache file's contents in its
    header.  The cache file and the YAML are hashed at every start: BLAKE2b takes half the instructions SHA-256
    took (callgrind: 13.7 against 28.1 M per MB; 319 KB hashed per start of the window)."""
    return blake2b(data, digest_size=32).digest()


def _program_stamp() -> str:
    """What else makes a validated checklist of another program: the model's classes and fields; the
    source files of the loader, the model, the expression language and the templates (a developer's
    edit; an installed new version writes them anew); the libraries that parse and validate (found,
    not imported); the frozen executable (a new build).  The program's version number is not part of
    it: reading it costs ``importlib.metadata``, and a new version changes these files."""
    parts = [model.class_fields()]
    here = Path(__file__).parent
    files = [here / "loader.py", here / "model.py", *(here.parent / name for name in _VALIDATING_MODULES)]
    for library in _LIBRARIES:
        try:
            spec = find_spec(library)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
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


def _read(file: Path) -> tuple[Checklist, dict[str, bytes]] | None:
    try:
        data = file.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if len(data) <= head or not data.startswith(_MAGIC) or _digest(data[head:]) != data[len(_MAGIC):head]:
        _LOG.warning("checklist cache %s is damaged; reading the definition again", file)
        return None
    try:
        value = _ChecklistUnpickler(io.BytesIO(data[head:])).load()
    except Exception:  # noqa: BLE001 - anything wrong with a cache file means: read the YAML
        _LOG.warning("checklist cache %s cannot be read; reading the definition again", file, exc_info=True)
        return None
    if (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Checklist) and isinstance(value[1], dict)
            and all(type(text) is str and type(data) is bytes for text, data in value[1].items())):
        return value
    return None


def _parsed_expressions(checklist: Checklist) -> dict[str, bytes]:
    """Every expression of ``checklist`` as the language parses it, pickled (text -> bytes): what the process
    that validated it parsed already (the language's own cache gives them back)."""
    from .. import expr

    parsed = {}
    for text in expressions_of(checklist):
        try:
            parsed[text] = expr.pickled(expr.parse(text))
        except expr.ExpressionError:  # a validated checklist has none; left to be reported where it is used
            continue
    return parsed


def _write(file: Path, checklist: Checklist) -> None:
    payload = pickle.dumps((checklist, _parsed_expressions(checklist)), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        for stale in file.parent.glob(file.name.rsplit("-", 1)[0] + "-*.bin"):
            if stale != file:
                stale.unlink(missing_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(_MAGIC + _digest(payload) + payload)
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
    if cached is not None and cached[0].source_path == str(path):
        from ..parsed import offer

        offer(cached[1])  # parse() takes them from there: this process parses none of the checklist's expressions
        return cached[0]
    checklist = parse(raw, str(path))
    _write(file, checklist)
    return checklist
