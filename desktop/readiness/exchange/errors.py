"""Errors of the exchange formats: a code, a Vietnamese message, and where (file, sheet, cell).

The base, the codes and how an error is shown: :mod:`readiness.errors`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, ReadinessError
from ..errors import located as located_at


class ExchangeError(ReadinessError):
    """A file that cannot be written or read.  ``code`` is stable (``E-XLSX-...``, ``E-EXPORT-...``).

    ``ExchangeError(code, message, *, file=, sheet=, cell=, message_en=)``."""

    def __init__(self, code: str, message: str, *, file: str | Path | None = None, sheet: str | None = None,
                 cell: str | None = None, message_en: str = ""):
        super().__init__(code, message, message_en, file=file, sheet=sheet, cell=cell)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en,
                "file": self.file, "sheet": self.sheet, "cell": self.cell}


def located(message: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None) -> str:
    """``Tệp 'x.xlsx', sheet 'Máy tính', ô D7: <message>``."""
    return located_at(message, Location(file=file, sheet=sheet, cell=cell))


@dataclass(frozen=True)
class CellProblem:
    """An answer in a workbook that could not be accepted (the rest of the file was read)."""

    code: str  # the AnswerError code: E-ANS-NUMBER, E-ANS-CHOICE, ... or E-XLSX-...
    message: str  # Vietnamese, names sheet and cell: "Sheet 'Máy tính', ô D7: RAM: phải là số, nhận được «tám»."
    sheet: str | None
    cell: str | None
    item: str | None = None
    column: str | None = None
    row: int | None = None  # 1-based row of a table item
    message_en: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en, "sheet": self.sheet,
                "cell": self.cell, "item": self.item, "column": self.column, "row": self.row}
