"""What verifying a workbook's signature needs, taken from a read submission: :class:`WorkbookFacts`.

The import's worker processes collect the facts (:func:`collect_facts`) and the writing process
verifies them (:mod:`.verify`, :mod:`.importing`).  Apart from those so that a worker never loads
the cryptography libraries: only the file is read here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkbookFacts:
    """What verifying a workbook needs, taken from a read submission (picklable: import workers make it)."""

    path: str
    content: bytes  # the signed bytes, rebuilt from the answers read from ``_data``
    data_sha256: str  # SHA-256 of ``content``
    period: str | None
    commune_code: str | None
    hash_ok: bool | None
    differences: tuple[str, ...]
    has_part: bool  # a ``_signature`` sheet is there
    cms: bytes | None
    problem: str | None  # why the part could not be read


def workbook_facts(submission: Any) -> WorkbookFacts:
    from .workbook import SIGNATURE_SHEET, read_signature_part, signed_content

    content = signed_content(submission)
    names = getattr(submission, "sheet_names", ())
    part = read_signature_part(submission.path) if not names or SIGNATURE_SHEET in names else None
    return WorkbookFacts(
        path=str(submission.path), content=content, data_sha256=hashlib.sha256(content).hexdigest(),
        period=submission.period, commune_code=submission.commune_code, hash_ok=submission.hash_ok,
        differences=tuple(str(d) for d in submission.differences), has_part=part is not None,
        cms=part.cms if part else None, problem=part.problem if part else None)


def collect_facts(submission: Any) -> WorkbookFacts | None:
    """:func:`workbook_facts` for an import worker: never raises (damage shows as an unreadable signature)."""
    import hashlib

    try:
        return workbook_facts(submission)
    except Exception as error:  # noqa: BLE001 - a bad file must not stop the import
        return WorkbookFacts(path=str(submission.path), content=b"", data_sha256=hashlib.sha256(b"").hexdigest(),
                             period=getattr(submission, "period", None),
                             commune_code=getattr(submission, "commune_code", None), hash_ok=None, differences=(),
                             has_part=True, cms=None, problem=f"{type(error).__name__}: {error}")
