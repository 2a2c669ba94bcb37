"""Expressions that an earlier process parsed, read back with a validated checklist, waiting for the language.

The checklist cache (:mod:`readiness.checklist.cache`) keeps, beside a checklist, every expression of it as
:mod:`readiness.expr` parsed it, pickled (:func:`readiness.expr.pickled`).  Reading the cache offers them
here (:func:`offer`), still as bytes, without importing the expression language: a process that only reads the
checklist never needs it.  :func:`readiness.expr.parse` takes a text's bytes from :data:`OFFERED` the first
time that text is asked for and unpickles them (only the language's own classes) instead of parsing the text.
"""

from __future__ import annotations

from collections.abc import Mapping

# text -> the pickled Expression of that text, until parse() takes it
OFFERED: dict[str, bytes] = {}


def offer(parsed: Mapping[str, bytes]) -> None:
    """Offer ``parsed`` (text -> :func:`readiness.expr.pickled` of what :func:`readiness.expr.parse` gave for
    it, by a process running this same program) to :func:`readiness.expr.parse`."""
    for text, data in parsed.items():
        if isinstance(text, str) and isinstance(data, bytes):
            OFFERED.setdefault(text, data)
