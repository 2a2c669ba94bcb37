"""The fixed words of an administrative document (Nghị định 30/2020/NĐ-CP), shared by the PDF and
Word writers of reports and letters: the national title and motto, the date line, the number line."""

from __future__ import annotations

import datetime as dt

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "\u00a0" * 10  # room for the office to write the number when the document is issued


def vn_date_words(day: dt.date) -> str:
    """``ngày 05 tháng 01 năm 2026`` (Nghị định 30/2020: a leading 0 for days below 10 and months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: dt.date) -> str:
    """``<địa danh>, ngày 28 tháng 11 năm 2025``."""
    return f"{place}, {vn_date_words(day)}"


def number_line(number: str, code: str) -> str:
    """``Số: 15/SKHCN-BCVT&CĐS``; a number typed with its code (``15/SKHCN-BCVT&CĐS``) is not doubled,
    and no number leaves room to write it (``Số:          /SKHCN-BCVT&CĐS``)."""
    text = (number or "").strip()
    if text.startswith("Số:"):
        text = text[3:].strip()
    if text and "/" in text:
        return f"Số: {text}"
    return f"Số: {text or BLANK_NUMBER}/{code}"


def short_date(day: dt.date) -> str:
    """``28/11/2025``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
