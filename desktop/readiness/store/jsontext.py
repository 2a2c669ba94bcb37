"""The JSON text the database is given for a JSON column: :func:`json_text`, ``json.dumps`` byte for byte.

SQLAlchemy encodes every value of a JSON column with the engine's ``json_serializer`` (``json.dumps`` by
default).  An import writes a few hundred such values per file (each answer's value and ``meta``, each
table row's values and ``meta``), most of them ``null``, a number, a yes/no or a short text, for which
``json.dumps`` goes through its encoder object each time; here they are written directly, with the very
functions ``json.dumps`` itself ends in, and everything else is ``json.dumps``.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii  # what json.dumps uses for a text (ensure_ascii, the default)
from typing import Any

_dumps = json.dumps
_int_text = int.__repr__  # what json.dumps writes for an int (not a subclass's own repr)


def json_text(value: Any) -> str:
    """``json.dumps(value)``, the same text, faster for the values answers mostly are."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return _int_text(value)
    return _dumps(value)
