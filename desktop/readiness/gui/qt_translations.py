"""Qt's own words in Vietnamese: the buttons of message boxes and button boxes (OK, Cancel, Yes, No),
the right-click menu of every text box (Undo, Copy, Paste…), spin boxes, scroll bars, the file dialog,
the progress dialog.

Qt ships no Vietnamese translation, so ``resources/translations/qt_vi.ts`` holds ours (Qt's own
contexts and source strings, e.g. ``QLineEdit`` / ``&Copy``); ``qt_vi.qm`` is compiled from it with
``pyside6-lrelease`` (``make translations``) and committed beside it, and a test checks that the two
agree.  In Vietnamese mode the translator is installed and Qt's default locale is Vietnamese (month
names of the calendar, the decimal comma of spin boxes); English mode installs none.  Switching the
language at run time installs or removes it (Qt re-labels its widgets on the LanguageChange event).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

_installed: QTranslator | None = None
_connected = False


def qm_path() -> Path:
    from ..paths import resources_dir

    return resources_dir() / "translations" / "qt_vi.qm"


def apply(code: str) -> bool:
    """Install (``vi``) or remove (``en``) the Vietnamese translation of Qt; True when it is installed."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return False
    if code == "vi":
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        if _installed is None:
            translator = QTranslator(app)
            if not translator.load(str(qm_path())):
                import logging

                logging.getLogger(__name__).warning("Qt's Vietnamese translation is missing: %s", qm_path())
                return False
            QCoreApplication.installTranslator(translator)
            _installed = translator
        return True
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed.deleteLater()
        _installed = None
    return False


def follow_language() -> None:
    """Apply the interface language now and whenever it changes (idempotent)."""
    global _connected
    from .i18n import lang, language

    apply(lang())
    if not _connected:
        language().changed.connect(apply)
        _connected = True


def installed() -> bool:
    return _installed is not None
