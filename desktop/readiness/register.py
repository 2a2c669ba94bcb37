"""The official register of commune-level units (from 1 July 2025), shipped in ``resources/register``.

The national file has all 3,321 units of the 34 provinces; the Quảng Ngãi file adds, for its
96 units, the former province and the pre-merger units.  Codes (``ma_xa``, five digits) are the
key everywhere.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import resources_dir
from .record import FrozenData
from .text import clean, fold, sort_key

DEFAULT_PROVINCE = "51"  # Tỉnh Quảng Ngãi
NATIONAL_FILE = "communes-vietnam-2025.csv"
PROVINCE_DETAIL_FILES = ("communes-quang-ngai-2025.csv",)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Commune(FrozenData):
    """A commune-level unit of the register and its province."""

    code: str
    name: str
    kind: str  # Xã / Phường / Đặc khu
    province_code: str
    province_name: str
    former_province: str | None = None
    former_units: str | None = None

    @property
    def folded(self) -> str:
        return fold(self.name)

    def former_units_text(self, lang: str = "vi") -> str:
        """The units merged into this one, as a person reads them: «Xã Tịnh Kỳ (21190); Xã Tịnh Long (21214,
        một phần)» — the register's ``full``/``partial`` in words, "toàn bộ" left unsaid."""
        if not self.former_units:
            return ""
        words = {"partial": "một phần" if lang == "vi" else "part of it"}
        parts = []
        for part in self.former_units.split(";"):
            match = re.fullmatch(r"\s*(.*?)\s*\((\d+),\s*([a-z_]+)\)\s*", part)
            if match is None:
                if part.strip():
                    parts.append(part.strip())
                continue
            name, code, how = match.groups()
            parts.append(f"{name} ({code}, {words[how]})" if how in words else f"{name} ({code})")
        return "; ".join(parts)

    @property
    def bare_name(self) -> str:
        """The name without its unit type: "Xã Đăk Hà" -> "Đăk Hà"."""
        prefix = self.kind + " "
        return self.name[len(prefix):] if self.name.startswith(prefix) else self.name


@functools.lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, str]]:
    return {commune.code: (commune.province_code, commune.province_name) for commune in load_register()}


def province_of(code: str) -> str | None:
    """The code of the province a commune is in (``"51"`` for 21484), None for a code the register lacks."""
    found = _provinces().get(code)
    return found[0] if found else None


def province_name_of(code: str) -> str | None:
    """The name of the province a commune is in («Tỉnh Quảng Ngãi» for 21484), None for a code the register lacks."""
    found = _provinces().get(code)
    return found[1] if found else None


def register_dir() -> Path:
    return resources_dir() / "register"


def load_register(directory: Path | None = None) -> list[Commune]:
    """Every unit of the country, with province details where we have them, in code order."""
    directory = directory or register_dir()
    details: dict[str, dict[str, str]] = {}
    for name in PROVINCE_DETAIL_FILES:
        with open(directory / name, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                details[row["ma_xa"].strip()] = row
    communes: list[Commune] = []
    with open(directory / NATIONAL_FILE, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["ma_xa"].strip()
            extra = details.get(code, {})
            communes.append(
                Commune(
                    code=code,
                    name=clean(row["ten"]),
                    kind=clean(row["loai"]),
                    province_code=row["ma_tinh"].strip(),
                    province_name=clean(row["ten_tinh"]),
                    former_province=clean(extra["truoc_sap_nhap_thuoc_tinh"]) if extra else None,
                    former_units=clean(extra["don_vi_cu"]) if extra else None,
                )
            )
    communes.sort(key=lambda c: c.code)
    return communes


def register_fingerprint(directory: Path | None = None) -> str:
    """A hash of the shipped register files, so the store reloads them when they change."""
    directory = directory or register_dir()
    digest = _sha256()
    for name in (NATIONAL_FILE, *PROVINCE_DETAIL_FILES):
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()[:16]


def _sha256() -> Any:
    """A SHA-256 hash object from the interpreter's own module, without importing :mod:`hashlib`: hashlib loads
    OpenSSL's library when imported (~11 M instructions, more than hashing the register; every start of the window
    hashes it).  The same digest; hashlib's where the module is not there."""
    import importlib

    for module in ("_sha256", "_sha2"):  # Python 3.11; 3.12 and later
        try:
            return importlib.import_module(module).sha256()
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256()


def sort_communes(communes: list[Commune]) -> list[Commune]:
    """Vietnamese dictionary order by the name without its unit type, then by type."""
    return sorted(communes, key=lambda c: (sort_key(c.bare_name), sort_key(c.kind), c.code))
