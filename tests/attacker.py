"""What an attacker does with a commune's signed workbook, built only from the published format
(docs/submission-format.md): strip the ``_signature`` sheet, change answers in ``_data`` and on the
sheet that shows them, raise the revision, take a fresh assessment id and recompute both seals.

Nothing of the application is used to build the forgery: the seals are computed here from the
documented canonical JSON, as anyone with openpyxl and hashlib can.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from pathlib import Path
from typing import Any

# The keys of the sealed object (docs/submission-format.md, "Canonical JSON and the seals").
_SEALED_KEYS = ("assessment_id", "checklist_hash", "checklist_id", "checklist_version", "commune_code",
                "format_version", "period", "revision", "status")
_INTEGER_KEYS = ("checklist_version", "format_version", "revision")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def canonical(value: Any) -> bytes:
    return json.dumps(_nfc(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def forge_revision(source: Path, target: Path, *, changes: dict[str, tuple[Any, Any]], revision: int,
                   assessment_id: str | None = None, keep_signature: bool = False) -> str:
    """Write ``target``: ``source`` with ``changes`` (item id -> (canonical value, value shown on its sheet)),
    ``revision``, a new assessment id (or ``assessment_id``), resealed; the signature sheet removed unless
    ``keep_signature``.  Returns the assessment id written."""
    new_id = assessment_id or str(uuid.uuid4())
    forge_workbook(source, target, changes=changes, meta={"revision": revision, "assessment_id": new_id},
                   keep_signature=keep_signature)
    return new_id


def forge_workbook(source: Path, target: Path, *, changes: dict[str, tuple[Any, Any]] | None = None,
                   meta: dict[str, Any] | None = None, cover: dict[str, Any] | None = None,
                   keep_signature: bool = False, reseal: bool = True) -> dict[str, str]:
    """``source`` edited as an attacker (or a careless hand) would: answers (``changes``: item id ->
    (canonical value, value shown on its sheet)), ``_data`` keys (``meta``), cover cells (``cover``:
    address -> value); the seals recomputed unless ``reseal`` is false.  Returns ``_data`` key -> its cell."""
    from openpyxl import load_workbook

    changes = changes or {}
    book = load_workbook(source)
    if not keep_signature and "_signature" in book.sheetnames:
        del book["_signature"]
    data = book["_data"]
    meta_rows: dict[str, int] = {}
    row = 1
    while data.cell(row, 1).value not in (None, ""):
        meta_rows[str(data.cell(row, 1).value)] = row
        row += 1
    header = row + 1
    assert data.cell(header, 1).value == "item_id", "the item header follows one empty row"
    answers: dict[str, Any] = {}
    item = header + 1
    while data.cell(item, 1).value not in (None, ""):
        item_id = str(data.cell(item, 1).value)
        if item_id in changes:
            value, shown = changes[item_id]
            data.cell(item, 4).value = canonical(value).decode("utf-8")
            sheet, cell = data.cell(item, 6).value, data.cell(item, 7).value
            book[sheet][cell].value = shown  # the visible sheet agrees, so no hand edit shows
        text = "".join(str(data.cell(item, c).value or "") for c in [4, *range(9, 9 + 64)])
        if text:
            answers[item_id] = json.loads(text)
        item += 1

    def set_meta(key: str, value: Any) -> None:
        data.cell(meta_rows[key], 2).value = str(value)

    for key, value in (meta or {}).items():
        set_meta(key, value)
    cover_sheet = book[str(data.cell(meta_rows["cover_sheet"], 2).value)] if "cover_sheet" in meta_rows else None
    for address, value in (cover or {}).items():
        cover_sheet[address].value = value
    if reseal:
        sealed: dict[str, Any] = {}
        for key in _SEALED_KEYS:
            raw = data.cell(meta_rows[key], 2).value if key in meta_rows else None
            sealed[key] = int(raw) if key in _INTEGER_KEYS and raw not in (None, "") else (raw if raw != "" else None)
        sealed["answers"] = answers
        set_meta("answers_sha256", hashlib.sha256(canonical(answers)).hexdigest())
        set_meta("data_sha256", hashlib.sha256(canonical(sealed)).hexdigest())
    book.save(target)
    return {key: f"B{row}" for key, row in meta_rows.items()}
