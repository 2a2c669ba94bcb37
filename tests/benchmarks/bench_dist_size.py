"""Benchmark: the size of the frozen build (issue 16): at most 180 MiB on disk, at most 70 MiB as an archive.

Run after ``make dist`` (``make dist-size`` does both):
``.venv/bin/python tests/benchmarks/bench_dist_size.py [FOLDER] [--keep]``; on Windows
``.venv\\Scripts\\python tests\\benchmarks\\bench_dist_size.py dist\\SanSangMotCua``.

Prints the folder's size (bytes of every file; on Linux also the blocks allocated, as ``du -s`` counts them,
and the bar is checked against the larger), the biggest files and packages, then writes the folder as the
archives a user unpacks and checks each against the archive bar: ``.zip`` (deflate, level 9: Windows
Explorer unpacks it without other software) and, on Linux and macOS, ``.tar.xz`` (xz preset 9: every Linux
unpacks it).  Symbolic links (PyInstaller makes some on Linux) are stored as links in both.  The archives go
to a temporary folder, or beside FOLDER with ``--keep`` (named ``SanSangMotCua-<version>-<platform>``).
Sizes are in MiB (2^20 bytes), as ``du -sh`` shows them; MB (10^6 bytes) beside them.  Nothing here depends
on the machine's load.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import platform
import stat
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISK_BAR_MIB = 180
ARCHIVE_BAR_MIB = 70
MIB = 2**20


def walk(folder: Path) -> list[Path]:
    """Every file and symbolic link under ``folder`` (links not followed), sorted."""
    found = []
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if (Path(base) / d).is_symlink()]:
            found.append(Path(base) / name)
    return found


def disk_size(paths: list[Path]) -> tuple[int, int | None]:
    """(bytes of the files, bytes of the blocks allocated; None on Windows, whose stat does not say)."""
    infos = [path.lstat() for path in paths]
    apparent = sum(info.st_size for info in infos)
    if not infos or not hasattr(infos[0], "st_blocks"):
        return apparent, None
    return apparent, sum(info.st_blocks * 512 for info in infos)


def write_zip(folder: Path, paths: list[Path], target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in paths:
            name = path.relative_to(folder.parent).as_posix()
            if path.is_symlink():  # stored as a link (Info-ZIP's convention: the target as the content)
                info = zipfile.ZipInfo(name, date_time=time.localtime(path.lstat().st_mtime)[:6])
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
            else:
                archive.write(path, name)


def write_tar_xz(folder: Path, target: Path) -> None:
    with tarfile.open(target, "w:xz", preset=9) as archive:
        archive.add(folder, arcname=folder.name)  # tarfile stores links as links


def biggest(folder: Path, paths: list[Path], count: int) -> None:
    files = sorted((p for p in paths if not p.is_symlink()), key=lambda p: p.lstat().st_size, reverse=True)
    print(f"the {count} biggest files:")
    for path in files[:count]:
        print(f"  {path.lstat().st_size / MIB:6.1f} MiB  {path.relative_to(folder).as_posix()}")
    packages: collections.Counter[str] = collections.Counter()
    for path in paths:
        parts = path.relative_to(folder).parts
        key = "/".join(parts[:2]) if parts[0] == "_internal" and len(parts) > 2 else parts[-1]
        packages[key] += path.lstat().st_size
    print("by folder of _internal (top 12):")
    for key, size in packages.most_common(12):
        print(f"  {size / MIB:6.1f} MiB  {key}")


def verdict(value: float, bar: float) -> str:
    return "PASS" if value <= bar else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "dist" / "SanSangMotCua"))
    parser.add_argument("--keep", action="store_true", help="keep the archives beside the folder")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    if not folder.is_dir():
        print(f"{folder} is not a folder: run `make dist` first", file=sys.stderr)
        return 2
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    stem = f"{folder.name}-{version}-{system}-{platform.machine().lower()}"
    print(f"{dt.datetime.now():%d/%m/%Y %H:%M}, {platform.platform()}; {folder}")
    paths = walk(folder)
    apparent, allocated = disk_size(paths)
    biggest(folder, paths, args.top)
    on_disk = max(apparent, allocated or 0)
    failures = 0
    line = f"on disk: {apparent / MIB:.1f} MiB ({apparent / 1e6:.1f} MB) in {len(paths)} files"
    if allocated is not None:
        line += f" ({allocated / MIB:.1f} MiB of blocks allocated)"
    print(f"{line}; bar ≤ {DISK_BAR_MIB} MiB: {verdict(on_disk / MIB, DISK_BAR_MIB)}")
    failures += on_disk / MIB > DISK_BAR_MIB
    with tempfile.TemporaryDirectory(prefix="dist-size-") as scratch:
        out = folder.parent if args.keep else Path(scratch)
        formats = [("zip (deflate 9)", out / f"{stem}.zip", lambda target: write_zip(folder, paths, target))]
        if sys.platform != "win32":
            formats.append(("tar.xz (xz 9)", out / f"{stem}.tar.xz", lambda target: write_tar_xz(folder, target)))
        for label, target, write in formats:
            started = time.perf_counter()
            write(target)
            size = target.stat().st_size / MIB
            failures += size > ARCHIVE_BAR_MIB
            print(f"archive {label}: {size:.1f} MiB ({target.stat().st_size / 1e6:.1f} MB; "
                  f"{time.perf_counter() - started:.0f} s to write)"
                  f"{' -> ' + str(target) if args.keep else ''}; bar ≤ {ARCHIVE_BAR_MIB} MiB: "
                  f"{verdict(size, ARCHIVE_BAR_MIB)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
