"""Errors of the exchange formats: a code, a Vietnamese message, and where (file, sheet, cell)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ExchangeError(Exception):
    """A file that cannot be written or read.  ``code`` is stable (``E-XLSX-...``, ``E-EXPORT-...``)."""

    def __init__(self, code: str, message: str, *, file: str | Path | None = None, sheet: str | None = None,
                 cell: str | None = None, message_en: str = ""):
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.cell = cell
        super().__init__(f"{code}: {self.located_message()}")

    def located_message(self) -> str:
        return located(self.message, file=self.file, sheet=self.sheet, cell=self.cell)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en,
                "file": self.file, "sheet": self.sheet, "cell": self.cell}


def located(message: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None) -> str:
    """``Tệp 'x.xlsx', sheet 'Máy tính', ô D7: <message>``."""
    parts = []
    if file:
        parts.append(f"Tệp '{Path(file).name}'")
    if sheet:
        parts.append(f"sheet '{sheet}'" if parts else f"Sheet '{sheet}'")
    if cell:
        parts.append(f"ô {cell}")
    return f"{', '.join(parts)}: {message}" if parts else message


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
