"""Why a workbook was refused: one :class:`ImportProblem` per reason, with its code, Vietnamese message and place.

Every problem of an import names the sheet and cell when there is one.  Codes of the reader
(``E-XLSX-...``) and of the answer rules (``E-ANS-...``) pass through unchanged; the importer's own
checks use ``E-IMPORT-...``; ``W-IMPORT-...`` are warnings (the file was still imported).  What each code
means and what to do: the one catalogue, :mod:`readiness.errors` (``docs/errors.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..errors import CATALOGUE as ERROR_CATALOGUE
from ..errors import ReadinessError, hint_of, summary_of

# code -> (what it means, what to do next), for every code of the catalogue (readiness.errors): the import's
# own codes and those that pass through it.  Declare a new code in readiness/errors.py, not here.
CATALOGUE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {code: (entry.summary, entry.hint) for code, entry in ERROR_CATALOGUE.items()})


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused (or, for ``W-`` codes, a note on a file that was imported)."""

    code: str
    message: str  # Vietnamese; begins with "Sheet '…', ô …:" when it has a place
    sheet: str | None = None
    cell: str | None = None
    also: tuple[tuple[str, str], ...] = ()  # other (sheet, cell) showing the same value (the cover, beside ``_data``)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "sheet": self.sheet, "cell": self.cell, "message": self.message}
        if self.also:
            data["also"] = [{"sheet": sheet, "cell": cell} for sheet, cell in self.also]
        return data

    @property
    def places(self) -> list[tuple[str, str]]:
        """Every (sheet, cell) the problem names, the main one first."""
        first = [(self.sheet, self.cell)] if self.sheet and self.cell else []
        return first + list(self.also)

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W-")

    @property
    def advice(self) -> str:
        """What to do next (from the catalogue of :mod:`readiness.errors`)."""
        return hint_of(self.code)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def problem(code: str, detail: str | None = None, *, sheet: str | None = None, cell: str | None = None,
            also: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> ImportProblem:
    """A problem of the catalogue; ``detail`` replaces the generic text when given."""
    text = detail or summary_of(code)
    also = tuple(place for place in also if place != (sheet, cell))
    return ImportProblem(code, at(text, sheet=sheet, cell=cell, also=also), sheet, cell, also)


def located_at(code: str, message: str, places: list[tuple[str, str]]) -> ImportProblem:
    """A problem at ``places`` (the first is the main one; a place named twice is named once)."""
    unique = list(dict.fromkeys(places))
    if not unique:
        return ImportProblem(code, message)
    (sheet, cell), rest = unique[0], tuple(unique[1:])
    return ImportProblem(code, at(message, sheet=sheet, cell=cell, also=rest), sheet, cell, rest)


def at(message: str, *, sheet: str | None = None, cell: str | None = None,
       also: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> str:
    """``Sheet 'Máy tính', ô D7: <message>`` (as the reader words it); with ``also``, every place, by sheet:
    ``Sheet '_data', ô B9 và B14; sheet 'Thông tin chung', ô B5: <message>``."""
    if message.startswith("Sheet '"):
        return message
    if not also:
        parts = []
        if sheet:
            parts.append(f"Sheet '{sheet}'")
        if cell:
            parts.append(f"ô {cell}")
        return f"{', '.join(parts)}: {message}" if parts else message
    by_sheet: dict[str, list[str]] = {}
    for where, address in ([(sheet, cell)] if sheet and cell else []) + list(also):
        by_sheet.setdefault(where, []).append(address)
    groups = [f"sheet '{where}', ô {' và '.join(cells)}" for where, cells in by_sheet.items()]
    text = "; ".join(groups)
    return f"{text[0].upper()}{text[1:]}: {message}"


class Rejected(ReadinessError):
    """Raised inside the checks: the file is refused for this reason (the others are not looked at)."""

    def __init__(self, reason: ImportProblem):
        self.reason = reason
        super().__init__(reason.code, reason.message)  # the message names its sheet and cell already

    def __str__(self) -> str:
        return str(self.reason)
