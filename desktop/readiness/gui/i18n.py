"""Interface language: Vietnamese first, English switchable at run time.

Interface strings are written in place as ``t("Vietnamese", "English")``; checklist content
carries its own two languages (``Text.get(lang)``).  Widgets that show text connect to
``language().changed`` and re-label themselves (Qt disconnects them when they are deleted).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Language(QObject):
    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.code = "vi"

    def set(self, code: str) -> None:
        if code not in ("vi", "en"):
            raise ValueError(code)
        if code != self.code:
            self.code = code
            self.changed.emit(code)


_language: Language | None = None


def language() -> Language:
    global _language
    if _language is None:
        _language = Language()
    return _language


def lang() -> str:
    return language().code


def set_lang(code: str) -> None:
    language().set(code)


def t(vi: str, en: str) -> str:
    """The string in the current interface language."""
    return en if lang() == "en" else vi
