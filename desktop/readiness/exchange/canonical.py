"""Canonical JSON of answers and the SHA-256 seals of a submission (see ``docs/submission-format.md``).

Canonical JSON: UTF-8; object keys sorted by code point; no white space (``,`` and ``:``
separators); every string (keys too) in Unicode NFC; non-ASCII written as itself (no ``\\u``
escapes except the ones JSON requires); dates ``YYYY-MM-DD``; integer items as JSON integers,
decimal items as JSON numbers in the shortest form that round-trips a 64-bit float (always with a
fraction part or exponent, as Python's ``json`` writes floats); booleans ``true``/``false``;
multiple choice as a list of choice ids in checklist order; a table as a list of row objects
(column id -> value, empty cells left out) in row order.  Unanswered items are left out.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from ..answers import Answers, to_json
from ..checklist.model import Checklist, ItemType


def _normalize(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {unicodedata.normalize("NFC", str(k)): _normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinity have no canonical JSON form")
    return value


def canonical_json(value: Any) -> str:
    """The canonical text of a JSON-able value (see the module docstring).

    Fast path: the text written as it is, when every string in it is already NFC (what the app writes)
    -- the same text as normalizing first, since NFC changes nothing in a text that is NFC as a whole
    (JSON's own characters, quotes and separators, neither compose nor reorder with a neighbour).
    Anything else (a string not in NFC, a key that is not a string, NaN) takes the normalizing path."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        text = None
    if text is not None and (text.isascii() or unicodedata.is_normalized("NFC", text)) and _string_keys(value):
        return text
    return json.dumps(_normalize(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _string_keys(value: Any) -> bool:
    """Every mapping key is a string (``json`` writes other keys as text, sorted differently)."""
    kind = type(value)
    if kind in _SCALARS:  # most values of answers: known without the slow Mapping check
        return True
    if kind is dict:
        return all(type(k) is str for k in value) and all(_string_keys(v) for v in value.values())
    if isinstance(value, Mapping):
        return all(type(k) is str for k in value) and all(_string_keys(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_string_keys(v) for v in value)
    return True


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answer_json(checklist: Checklist, answers: Answers | Mapping[str, Any]) -> dict[str, Any]:
    """Item id -> JSON value of every answered item (the ``answers`` object of the seals).

    Items the checklist does not know are left out; an empty table counts as unanswered.
    """
    values = answers.values if isinstance(answers, Answers) else answers
    out: dict[str, Any] = {}
    for item in checklist.items():
        value = values.get(item.id)
        if value is None or (item.type in (ItemType.TABLE, ItemType.MULTI_CHOICE) and not value):
            continue
        out[item.id] = to_json(item, value)
    return out


def answers_sha256(checklist: Checklist, answers: Answers | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the answers object alone."""
    return sha256_text(canonical_json(answer_json(checklist, answers)))


def seal(*, answers: Mapping[str, Any], checklist_id: str, checklist_version: int, checklist_hash: str,
         commune_code: str | None, period: str | None, assessment_id: str | None, revision: int | None,
         status: str | None, format_version: int) -> dict[str, Any]:
    """The object whose canonical JSON ``data_sha256`` is the hash of (identity and status included:
    turning a draft into "finalized" by hand breaks it)."""
    return {
        "answers": dict(answers),
        "assessment_id": assessment_id,
        "checklist_hash": checklist_hash,
        "checklist_id": checklist_id,
        "checklist_version": int(checklist_version),
        "commune_code": commune_code,
        "format_version": int(format_version),
        "period": period,
        "revision": None if revision is None else int(revision),
        "status": status,
    }


def sealed_texts(sealed: Mapping[str, Any]) -> tuple[str, str]:
    """(canonical JSON of ``sealed["answers"]``, canonical JSON of ``sealed``), the answers written once:
    ``"answers"`` sorts first among the seal's keys, so the seal's text is the answers' text inside the
    rest's (what ``answers_sha256`` and ``data_sha256`` hash)."""
    answers = canonical_json(sealed["answers"])
    rest = canonical_json({key: value for key, value in sealed.items() if key != "answers"})
    assert min(sealed) == "answers" and rest.startswith("{")
    return answers, '{"answers":' + answers + ("," + rest[1:] if rest != "{}" else "}")


def data_sha256(sealed: Mapping[str, Any]) -> str:
    return sha256_text(canonical_json(sealed))
