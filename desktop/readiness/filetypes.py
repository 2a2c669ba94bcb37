"""What a path is, found without blocking: only regular files are ever read.

Opening a named pipe (FIFO) waits for a writer for ever, and reading a device such as ``/dev/zero``
never ends; a socket cannot be opened at all.  So a path is looked at with ``stat`` first (which never
opens it), and where a file is opened it is opened non-blocking and checked again on the open handle
(``fstat``), so a file swapped for a pipe in between is refused too, at once.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ReadinessError

# kind -> (Vietnamese, English)
KINDS = {
    "file": ("tệp", "file"),
    "directory": ("thư mục", "folder"),
    "fifo": ("ống dẫn có tên (FIFO)", "named pipe (FIFO)"),
    "socket": ("socket (cổng giao tiếp giữa các chương trình)", "socket"),
    "char-device": ("thiết bị (ví dụ /dev/zero)", "character device"),
    "block-device": ("thiết bị lưu trữ (ổ đĩa)", "block device"),
    "other": ("đối tượng đặc biệt của hệ thống", "special file"),
}


def kind_of(mode: int) -> str:
    """``file``, ``directory``, ``fifo``, ``socket``, ``char-device``, ``block-device`` or ``other``."""
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "char-device"
    if stat.S_ISBLK(mode):
        return "block-device"
    return "other"


def kind_label(kind: str) -> str:
    """The Vietnamese name of a kind (``fifo`` -> ``ống dẫn có tên (FIFO)``)."""
    return KINDS.get(kind, KINDS["other"])[0]


class NotRegularFile(ReadinessError, OSError):
    """The path is not a regular file (``kind`` says what it is); an ``OSError`` too, as opening it would be."""

    code = "E-FILE"

    def __init__(self, path: str | Path, kind: str):
        self.kind = kind
        super().__init__(None, f"{kind_label(kind)[:1].upper()}{kind_label(kind)[1:]}, không phải tệp.",
                         f"A {kind}, not a file.", file=path)

    def __str__(self) -> str:
        return f"{self.file}: {kind_label(self.kind)}, không phải tệp"


def open_regular(path: str | Path) -> int:
    """A read-only descriptor of ``path``, opened without blocking, after checking it is a regular file.

    Raises :class:`NotRegularFile` for a pipe, socket, device or folder, and ``OSError`` as ``os.open`` does.
    """
    before = os.stat(path)  # never opens: a FIFO is found here before anything waits on it
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFile(path, kind_of(before.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        after = os.fstat(descriptor)  # what was really opened (it may have been swapped since the stat)
        if not stat.S_ISREG(after.st_mode):
            raise NotRegularFile(path, kind_of(after.st_mode))
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit`` + 1 when given, so "too big" can be told)."""
    descriptor = open_regular(path)
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def regular_size(path: str | Path) -> int:
    """The size of a regular file; :class:`NotRegularFile` for anything else (``stat`` only: nothing is opened)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, kind_of(info.st_mode))
    return info.st_size
