"""The database's JSON text (``readiness.store.jsontext.json_text``) is ``json.dumps``' text, byte for byte."""

from __future__ import annotations

import enum
import json
import math

import pytest

from readiness.store.jsontext import json_text


class Flag(enum.IntEnum):
    ON = 1


VALUES = [
    None, True, False, 0, 1, -7, 10**30, 2.5, -0.0, 1e308, 0.1 + 0.2, math.inf, -math.inf, "", "Có", "xã Bình Sơn",
    'quote " and \\ backslash', "tab\tnew\nline\x00\x1f", "😀 \ud800", "<b>&</b>", "\u2028", Flag.ON, [], [1, "a", None],
    {}, {"cpu": "i5", "ram_gb": 8, "ok": True, "note": None, "list": [1.5, "x"]}, {"b": 1, "a": 2}, ("t", 1),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_json_text__any_value__same_text_as_json_dumps(value):
    assert json_text(value) == json.dumps(value)


def test_json_text__nan__same_text_as_json_dumps():
    assert json_text(math.nan) == json.dumps(math.nan) == "NaN"


def test_json_text__not_serializable__raises_as_json_dumps():
    with pytest.raises(TypeError):
        json.dumps(object())
    with pytest.raises(TypeError):
        json_text(object())
    with pytest.raises(TypeError):
        json_text({"when": object()})


def test_store__json_columns__written_with_json_text(tmp_path):
    from readiness.store.db import Store

    store = Store.open(f"sqlite:///{tmp_path / 'x.sqlite3'}", migrate=False)
    try:
        assert store.engine.dialect._json_serializer is json_text
    finally:
        store.close()
