"""A smaller ICU data library for the frozen Linux build (build.spec calls :func:`reduce_library`).

PySide6's Linux wheel ships ICU's whole data set, 31 MB in ``libicudata.so.73``, which QtCore links.  Qt uses
ICU for little (collation, locale-aware case mapping, time-zone names, text codecs beyond UTF-8 and Latin-1), and
this app reaches those only in Vietnamese and English.  The data library holds one ICU "common data" package
(format ``CmnD``: a table of contents, then one item per locale and service); we keep every item that is not tied
to one locale, the items of the root locale and of Vietnamese and English, and leave out the code-page converters,
the dictionaries for line breaking in Chinese, Japanese, Thai, Khmer, Lao and Burmese, and transliteration.
The package is then wrapped in a shared library of its own (same soname and symbol) with binutils' ``as`` and
``ld``, which PyInstaller needs on Linux anyway.  Windows wheels of PySide6 carry no ICU: nothing to do there.

    python freeze/icu_data.py LIBICUDATA OUT.so     # the same by hand; prints what it kept
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Locales kept (with all their regional variants: en_GB, en_001, vi_VN ...) besides ICU's root.
KEPT_LANGUAGES = ("vi", "en")
# A locale's own item, e.g. "fr_CA.res", "coll/zh_Hant.res", "brkitr/ja.res": language code, then subtags.
_LOCALE_ITEM = re.compile(r"^(?P<lang>[a-z]{2,3})(?:_[A-Za-z0-9]*)*\.res$")
# Items of every tree that are not a locale's although they look like one ("pool" is the shared key pool).
_NOT_LOCALES = {"root.res", "pool.res", "res_index.res"}
_DROPPED_FOLDERS = ("translit/",)
_PAD = b"\xaa"  # what ICU's own tools pad with (a package read and written again is byte for byte the same)
_DROPPED_SUFFIXES = (".cnv", ".dict")  # code-page converters; dictionary-based word breaking (CJK, Thai ...)


@dataclass(frozen=True)
class Package:
    header: bytes  # the package's own header (magic, UDataInfo "CmnD", copyright), copied as it was
    items: tuple[tuple[str, bytes], ...]  # full names ("icudt73l/coll/vi.res") in the package's order


def read_package(blob: bytes) -> Package:
    """Split an ICU common-data package into its items."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package (CmnD)")
    count = struct.unpack_from("<I", blob, header_size)[0]
    entries = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        start = header_size + name_offset
        name = blob[start:blob.index(b"\0", start)].decode("ascii")
        end = header_size + entries[index + 1][1] if index + 1 < count else len(blob)
        items.append((name, blob[header_size + data_offset:end]))
    return Package(blob[:header_size], tuple(items))


def write_package(package: Package) -> bytes:
    """The package back as bytes, laid out as icupkg does: TOC, names, then each item 16-byte aligned."""
    count = len(package.items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in package.items)
    toc_size = 4 + 8 * count
    data_start = toc_size + len(names)
    data_start += -data_start % 16
    toc = [struct.pack("<I", count)]
    body = bytearray()
    name_offset = toc_size
    for name, data in package.items:
        toc.append(struct.pack("<II", name_offset, data_start + len(body)))
        name_offset += len(name) + 1
        body += data
        body += _PAD * (-len(body) % 16)
    return package.header + b"".join(toc) + names + _PAD * (data_start - toc_size - len(names)) + bytes(body)


def kept(name: str) -> bool:
    """Whether an item (its name inside the package, "icudt73l/coll/vi.res") stays."""
    inner = name.split("/", 1)[1] if "/" in name else name
    if inner.endswith(_DROPPED_SUFFIXES) or inner.startswith(_DROPPED_FOLDERS):
        return False
    base = inner.rsplit("/", 1)[-1]
    if base in _NOT_LOCALES:
        return True
    match = _LOCALE_ITEM.match(base)
    return match is None or match["lang"] in KEPT_LANGUAGES


def reduce_package(package: Package) -> Package:
    return Package(package.header, tuple(item for item in package.items if kept(item[0])))


@dataclass(frozen=True)
class _Elf:
    soname: str
    symbol: str
    blob: bytes


def _read_elf(path: Path) -> _Elf:
    """The data symbol (``icudtNN_dat``) and soname of an ICU data library (ELF64, little-endian)."""
    raw = path.read_bytes()
    if raw[:4] != b"\x7fELF" or raw[4] != 2 or raw[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF library")
    shoff, = struct.unpack_from("<Q", raw, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", raw, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", raw, shoff + i * shentsize) for i in range(shnum)]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    dynsym = next(s for s in sections if s[1] == 11)  # SHT_DYNSYM
    dynstr = sections[dynsym[6]]
    dynamic = next(s for s in sections if s[1] == 6)  # SHT_DYNAMIC

    def string(offset: int) -> str:
        start = dynstr[4] + offset
        return raw[start:raw.index(b"\0", start)].decode("ascii")

    symbol = None
    for i in range(dynsym[5] // 24):
        st_name, _info, _other, _shndx, value, size = struct.unpack_from("<IBBHQQ", raw, dynsym[4] + 24 * i)
        name = string(st_name)
        if re.fullmatch(r"icudt\d+_dat", name):
            symbol = (name, value, size)
    if symbol is None:
        raise ValueError(f"{path}: no icudtNN_dat symbol")
    soname = None
    for i in range(dynamic[5] // 16):
        tag, value = struct.unpack_from("<qQ", raw, dynamic[4] + 16 * i)
        if tag == 14:  # DT_SONAME
            soname = string(value)
    name, address, size = symbol
    holder = next(s for s in sections if s[3] <= address < s[3] + s[5] and s[1] != 8)  # not SHT_NOBITS
    start = address - holder[3] + holder[4]
    return _Elf(soname or path.name, name, raw[start:start + (size or holder[5] - (address - holder[3]))])


def reduce_library(source: Path, target: Path) -> tuple[int, int, int, int]:
    """Write ``target``: ``source`` with only the data items :func:`kept` allows.

    Returns (items before, items after, bytes before, bytes after) of the data package.
    """
    elf = _read_elf(source)
    package = read_package(elf.blob)
    smaller = reduce_package(package)
    data = write_package(smaller)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="icu-data-") as folder:
        work = Path(folder)
        (work / "data.bin").write_bytes(data)
        (work / "data.s").write_text(
            f'\t.section .rodata\n\t.globl {elf.symbol}\n\t.type {elf.symbol}, @object\n\t.balign 16\n'
            f'{elf.symbol}:\n\t.incbin "data.bin"\n\t.size {elf.symbol}, . - {elf.symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(["ld", "-shared", "-z", "noexecstack", "-soname", elf.soname, "-o", str(target.resolve()),
                        "data.o"], cwd=work, check=True)
    if read_package(_read_elf(target).blob).items != smaller.items:
        raise RuntimeError(f"{target}: the ICU data written does not read back")
    return len(package.items), len(smaller.items), len(elf.blob), len(data)


if __name__ == "__main__":
    before_items, after_items, before, after = reduce_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"ICU data: {before_items} items, {before / 2**20:.1f} MB -> {after_items} items, {after / 2**20:.1f} MB")
