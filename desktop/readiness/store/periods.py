"""Report periods (``YYYY-MM``) and the store's refusal, :class:`StoreError`.

Apart from :mod:`.db` so that what checks a file without writing it (the import's worker processes)
never loads the database layer (SQLAlchemy).  :mod:`.db` re-exports both.
"""

from __future__ import annotations

from ..errors import ReadinessError


class StoreError(ReadinessError):
    """A store operation refused: ``StoreError(code, message)``, the message in Vietnamese saying what to do."""


def validate_period(period: str) -> str:
    """``YYYY-MM`` (also accepts ``MM/YYYY`` as people write it) -> ``YYYY-MM``."""
    text = (period or "").strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
    elif "/" in text and len(text.split("/")) == 2 and all(p.isdigit() for p in text.split("/")):
        month_text, year_text = text.split("/")
        year, month = int(year_text), int(month_text)
    else:
        raise StoreError("E-PERIOD", f"Kỳ báo cáo «{period}» không hợp lệ; ghi dạng YYYY-MM hoặc MM/YYYY, ví dụ 2025-11.")
    if not (2020 <= year <= 2100 and 1 <= month <= 12):
        raise StoreError("E-PERIOD", f"Kỳ báo cáo «{period}» không hợp lệ: tháng 1–12, năm từ 2020.")
    return f"{year:04d}-{month:02d}"


def period_label(period: str) -> str:
    """``2025-11`` -> ``11/2025``."""
    return f"{period[5:]}/{period[:4]}"
