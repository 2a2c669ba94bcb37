"""One place that turns an exception from the core into what the person reads.

Every operation's failure goes through :func:`describe_error`, whichever thread it came from, and every
failure shown in a message box through :func:`failure_text`, so a code is worded the same in the commune
window, the department window, every dialog and the command line: both come from :mod:`readiness.errors`
(the one error base, :class:`~readiness.errors.ReadinessError`, and :func:`~readiness.errors.render`).
Anything that is not one of the core's errors becomes a generic code (``E-DB``, ``E-FILE``, ``E-INTERNAL``).
"""

from __future__ import annotations

from ...errors import DATABASE, INTERNAL, SYSTEM, from_exception, render_text

__all__ = ["DATABASE", "INTERNAL", "SYSTEM", "describe_error", "error_text", "failure_text"]


def describe_error(error: BaseException, lang: str = "vi") -> tuple[str, str]:
    """(code, message naming where it happened) of an exception raised by an operation."""
    coded = from_exception(error)
    return coded.code, coded.located_message(lang)


def failure_text(code: str, message: str, *, after: str = "", title: str | None = None,
                 lang: str | None = None) -> str:
    """The text of a failure's message box: ``Lỗi (E-…): <message>`` (``title`` in place of «Lỗi»), what to
    do (the catalogue's hint for the code), then ``after`` (what the action left as it was) in a paragraph of
    its own."""
    if lang is None:
        from ..i18n import lang as current

        lang = current()
    text = render_text(code, message, lang, title=title)
    return f"{text}\n\n{after}" if after else text


def error_text(error: BaseException, *, after: str = "", lang: str | None = None) -> str:
    """:func:`failure_text` of an exception caught on the UI thread (a refusal of a quick, synchronous call)."""
    if lang is None:
        from ..i18n import lang as current

        lang = current()
    return failure_text(*describe_error(error, lang), after=after, lang=lang)
