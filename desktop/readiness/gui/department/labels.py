"""Words and colours of the department's screens, in both languages.

The core speaks Vietnamese (``STATE_LABELS``, petition ``STATUS_LABELS``, the import's coded
reasons); English is only the interface's.  Score colours come from the checklist's levels
(:mod:`readiness.bands`), as on the commune side and in every document.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont

from ...bands import band
from ...bands import readable_on as _readable_on
from ...numbers import NONE, integer, number
from ...numbers import score as score_words
from ..i18n import lang, t

if TYPE_CHECKING:
    from ...checklist.model import Checklist

DEPARTMENTS = (
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp",
)


def forward_targets(settings: object) -> tuple[str, ...]:
    """Where a petition is usually forwarded: the provincial departments, the department itself
    and the provincial VNPT, named after the workspace's document settings."""
    short = getattr(settings, "short_name", "Sở KHCN")
    place = getattr(settings, "place", "")
    return (*DEPARTMENTS, short, *((f"VNPT {place}",) if place else ()))

STATE_EN = {
    "submitted": "Submitted",
    "resubmitted": "Resubmitted (correction)",
    "outdated": "Submitted, old checklist",
    "draft": "Draft only",
    "missing": "Not submitted",
}
STATE_COLORS = {  # text colour, background
    "submitted": ("#1b5e20", "#e8f5e9"),
    "resubmitted": ("#0d47a1", "#e3f2fd"),
    "outdated": ("#8d6e00", "#fff8e1"),
    "draft": ("#5d4037", "#efebe9"),
    "missing": ("#b71c1c", "#ffebee"),
}

IMPORT_STATUS = {  # status -> (vi, en, text colour, background)
    "imported": ("Đã nhập", "Imported", "#1b5e20", "#e8f5e9"),
    "updated": ("Đã cập nhật", "Updated", "#0d47a1", "#e3f2fd"),
    "duplicate": ("Trùng (đã có)", "Duplicate", "#424242", "#f0f0f0"),
    "held": ("Giữ lại", "Held", "#8a3c00", "#ffe0b2"),
    "rejected": ("Từ chối", "Rejected", "#b71c1c", "#ffebee"),
    "skipped": ("Bỏ qua", "Skipped", "#6d4c41", "#f5f0eb"),
}

PETITION_COLORS = {
    "new": ("#b71c1c", "#ffebee"),
    "forwarded": ("#8d6e00", "#fff8e1"),
    "answered": ("#0d47a1", "#e3f2fd"),
    "resolved": ("#1b5e20", "#e8f5e9"),
}

SIGNATURE_COLORS = {"valid": "#1b5e20", "unsigned": "#8d6e00", "invalid": "#b71c1c"}
CYCLE_COLORS = {  # against the period's deadline (readiness.department.cycle): text colour, background
    "on_time": ("#1b5e20", "#e8f5e9"),
    "late": ("#8a3c00", "#ffe0b2"),
    "received": ("#0d47a1", "#e3f2fd"),
    "held": ("#8a3c00", "#ffe0b2"),
    "refused": ("#b71c1c", "#ffebee"),
    "missing": ("#b71c1c", "#ffebee"),
}
HELD_COLORS = ("#8a3c00", "#ffe0b2")  # a held revision waiting for the department: text, background

HELD_SHORT = {  # reason code -> a few words for a table cell
    "W-HELD-UNSIGNED": ("không ký số", "not signed"),
    "W-HELD-OTHER-SIGNER": ("ký bởi tổ chức khác", "signed by another organisation"),
    "W-HELD-OLDER-SIGNATURE": ("ký sớm hơn bản đã ký", "signed earlier than the signed one"),
}


def held_text(revision: int, code: str) -> str:
    """``Lần 3: không ký số`` — a held revision in a table cell."""
    vi, en = HELD_SHORT.get(code, (code, code))
    return t(f"Lần {revision}: {vi}", f"Rev. {revision}: {en}")


# Labels asked for each cell a table shows are kept per word and language, and the light modules they need
# (numbers, bands) imported once above: an import statement inside a function costs 5-14 µs a call once PySide6's
# import hook is installed, and a header click shows ~36 new rows.
def state_label(state: str) -> str:
    return _state_label(state, lang())


@lru_cache(maxsize=64)
def _state_label(state: str, _code: str) -> str:
    from ...department.status import STATE_LABELS

    return t(STATE_LABELS.get(state, state), STATE_EN.get(state, state))


def cycle_label(state: str) -> str:
    """On time, late, … (:data:`readiness.department.cycle.CYCLE_STATES`)."""
    return _cycle_label(state, lang())


@lru_cache(maxsize=64)
def _cycle_label(state: str, _code: str) -> str:
    from ...department.cycle import CYCLE_LABELS, CYCLE_LABELS_EN

    return t(CYCLE_LABELS.get(state, state), CYCLE_LABELS_EN.get(state, state))


def cycle_text(cycle: object) -> str:
    """A commune's cell: «Đúng hạn · 04/01», «Sau hạn 3 ngày · 08/01», «Tệp bị từ chối · 06/01», «Chưa nộp»."""
    from ...department.cycle import local

    if cycle is None:
        return ""
    first = getattr(cycle, "first", None)
    if first is not None:
        timeliness = getattr(cycle, "timeliness", None)
        days = getattr(cycle, "days_late", 0)
        if timeliness == "late":
            word = t(f"Sau hạn {days} ngày", f"{days} days late") if days else cycle_label("late")
        elif timeliness == "on_time":
            word = cycle_label("on_time")
        else:
            word = t("Đã nhận", "Received")
        when = local(first.received_at).strftime("%d/%m") if first.received_at else ""
        text = f"{word} · {when}" if when else word
        if getattr(cycle, "held", 0):
            text += t(" · giữ lại", " · held")
        return text
    refused = getattr(cycle, "refused", ())
    if refused:
        return f"{cycle_label('refused')} · {local(refused[-1].at).strftime('%d/%m')}"
    return cycle_label("missing")


def import_status_label(status: str) -> str:
    vi, en, _fg, _bg = IMPORT_STATUS.get(status, (status, status, "#000000", "#ffffff"))
    return t(vi, en)


def petition_status_label(status: str) -> str:
    from ...department.petitions import STATUS_LABELS, STATUS_LABELS_EN

    return t(STATUS_LABELS.get(status, status), STATUS_LABELS_EN.get(status, status))


def signature_label(status: str | None) -> str:
    """The signature status of an imported assessment ("" when it was made locally)."""
    if not status:
        return ""
    try:
        from ...signing.errors import status_label
    except ImportError:  # pragma: no cover - signing is optional in older installs
        return status
    return status_label(status, lang())


def period_text(period: str | None) -> str:
    """``2025-11`` -> ``11/2025``."""
    if not period or len(period) < 7:
        return period or ""
    return f"{period[5:7]}/{period[:4]}"


def score_text(score: float | None, digits: int = 1, *, fixed: bool = False) -> str:
    """A score as the interface writes it (:func:`readiness.numbers.score`): ``72,5`` in Vietnamese,
    ``72.5`` in English, "—" when none.  ``digits`` other than 1: a plain number (seconds).  ``fixed``: a
    table's column, always with its decimal (``66,0`` under ``63,6``)."""
    if score is None:
        return NONE
    if digits == 1:
        return _score_words(score, lang(), fixed)
    return number(score, lang(), decimals=digits)


@lru_cache(maxsize=4096)
def _score_words(score: float, code: str, fixed: bool = False) -> str:
    """:func:`readiness.numbers.score`, kept per score and language (a table writes the same scores again and
    again)."""
    return score_words(score, code, fixed=fixed)


def number_text(value: int) -> str:
    """``3321`` -> ``3.321`` in Vietnamese, ``3,321`` in English."""
    return integer(value, lang())


def score_colors(checklist: Checklist | None, score: float | None, level_id: str | None = None) -> tuple[QColor, QColor] | None:
    """(text, background) for a score cell, from the checklist's levels (:mod:`readiness.bands`): the
    level's colours where the row has a level, else the band of the number."""
    if score is None or checklist is None:
        return None
    chosen = band(checklist, score, level_id)
    return QColor(chosen.text), QColor(chosen.background)


_COLOURS: dict[str, QColor] = {}
_ITALIC: list[QFont] = []


def qcolor(name: str) -> QColor:
    """``#rrggbb`` as a QColor, made once per colour (a table asks the colours of each cell it paints); the same
    object is given to every caller, so it is not to be changed."""
    colour = _COLOURS.get(name)
    if colour is None:
        colour = _COLOURS[name] = QColor(name)
    return colour


def italic_font() -> QFont:
    """The font of a provisional score: only «italic» set, the rest the view's (made once)."""
    if not _ITALIC:
        font = QFont()
        font.setItalic(True)
        _ITALIC.append(font)
    return _ITALIC[0]


def readable_on(color: str) -> str:
    """Black or white text, whichever reads better on ``color``."""
    return _readable_on(color)


def for_gui(text: str) -> str:
    """The catalogue speaks of the command line's ``--accept-edited``; here it is a tick box."""
    if lang() == "en":
        option = "“Accept files edited by hand after export”"
    else:
        option = "«Chấp nhận tệp đã bị sửa tay sau khi xuất»"
    return (text.replace("nhập với --accept-edited", f"đánh dấu {option} rồi nhập lại")
            .replace("(--accept-edited)", f"({option})").replace("--accept-edited", option))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
