"""The guard's scans of a worksheet's XML, each in one pass: the same verdicts as the scans they replaced
(two regular expressions over every sheet for the cell references, four searches for the declarations),
which are kept here as the reference."""

from __future__ import annotations

import random
import re

import pytest

from readiness.department import xlsx_guard
from readiness.department.import_errors import Rejected

_BIG_ROW = re.compile(rb' r="[A-Z]{0,3}([0-9]{4,})"')  # the scans before: rows >= 1000 ...
_WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,})[0-9]')  # ... and columns >= AA, each over the whole sheet


def _reference_area(data: bytes) -> tuple[int, int]:
    rows = max((int(found) for found in _BIG_ROW.findall(data)), default=999)
    columns = max((xlsx_guard._column_number(found) for found in _WIDE_COLUMN.findall(data)), default=26)
    return rows, columns


def _area(data: bytes) -> tuple[int, int] | str:
    try:
        return xlsx_guard._sheet_area(data, "Sheet1")
    except Rejected as rejected:
        return rejected.reason.code


def _expected(data: bytes) -> int | str:
    rows, columns = _reference_area(data)
    if rows > xlsx_guard.MAX_ROWS or columns > xlsx_guard.MAX_COLUMNS:
        return "E-IMPORT-CELLS"
    return rows * columns


REFERENCES = ["A1", "Z999", "AA1", "AB1234", "ABC1000", "ABCD1", "IV20000", "IW1", "A0001", "0001", "1234", "12345",
              "A12345", "XFD1048576", "ZZ900000", "AA", "A", "", "AB12C3", "Q1000", "q1000", "AAA20001", "B20000"]


@pytest.mark.parametrize("reference", REFERENCES)
def test_sheet_area__one_reference__as_the_two_scans_said(reference):
    for element in (b'<c r="%s"><v>1</v></c>', b'<row r="%s">', b'<c r="%s"/>', b'<c  r="%s">', b'<c r="%s'):
        data = b"<sheetData>" + element % reference.encode() + b"</sheetData>"
        assert _area(data) == _expected(data), data


def test_sheet_area__random_sheets__as_the_two_scans_said():
    pick = random.Random(16)
    pieces = [b'<row r="%d">', b'<c r="%s%d" t="s">', b"<v>%d</v>", b"</c>", b"</row>", b' r="%s"', b'r="%d"', b" r=\"", b"\"",
              b"x", b" ", b"7"]
    for _ in range(3000):
        parts = []
        for _ in range(pick.randint(0, 12)):
            piece = pick.choice(pieces)
            letters = "".join(pick.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(pick.choice((0, 1, 1, 2, 3, 4))))
            number = pick.choice((0, 1, 7, 999, 1000, 1001, 20000, 20001, 1048576)) if pick.random() < .5 \
                else pick.randint(0, 99999)
            if piece.count(b"%") == 2:
                parts.append(piece % (letters.encode(), number))
            elif b"%s" in piece:
                parts.append(piece % (letters.encode() + (b"%04d" % number if pick.random() < .3 else b"%d" % number),))
            elif b"%d" in piece:
                parts.append(piece % number)
            else:
                parts.append(piece)
        data = b"".join(parts)
        assert _area(data) == _expected(data), data


def test_sheet_area__a_real_sheet__as_the_two_scans_said(submissions):
    import zipfile

    with zipfile.ZipFile(submissions.write("23500")) as workbook:
        sheets = [workbook.read(name) for name in workbook.namelist() if name.startswith("xl/worksheets/")]
    assert sheets
    for data in sheets:
        assert _area(data) == _expected(data)


@pytest.mark.parametrize("text", [b"", b"<a>!</a>", b"'Sheet'!A1", b"<!-- note -->", b"<![CDATA[x]]>", b"<!DOCTYPE x>",
                                  b"<!ENTITY a 'b'>", b"<!doctype x>", b"<!entity a>", b"<!DocType x>", b"< !DOCTYPE",
                                  b"!<DOCTYPE", b"<!EN", b"x" * 70000 + b"<!ENTITY"])
def test_declares__as_the_four_searches_said(text):
    assert xlsx_guard._declares(text) == any(mark in text for mark in (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity"))
