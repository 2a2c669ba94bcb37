"""The department's letters from the window: the reply to petitions and the feedback letters.

Qt-free functions the window runs on its :class:`~.runner.Runner` (what ``readiness petitions
reply`` and ``readiness feedback`` do), each reporting ``progress(done, total, text)``.  The
requests hold plain values; the core's options are made here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...department.petitions import PetitionFilter
    from ...register import Commune
    from ...service import Workspace


@dataclass
class LetterOutcome:
    files: list[Path] = field(default_factory=list)
    petitions: int = 0
    communes: int = 0
    missing: list[Commune] = field(default_factory=list)  # feedback: communes that have not reported


@dataclass
class ReplyRequest:
    """What ``readiness petitions reply`` takes."""

    period: str
    to: str | None = None
    ids: tuple[int, ...] = ()
    where: PetitionFilter | None = None
    request_number: str = ""
    request_date: dt.date | None = None
    request_from: str | None = None
    request_about: str = ""
    date: dt.date | None = None
    number: str = ""
    signer: str | None = None
    group: bool = True
    docx: Path | None = None
    pdf: Path | None = None


def write_reply(workspace: Workspace, request: ReplyRequest, progress: Any = None) -> LetterOutcome:
    """Choose the petitions, build the Công văn, write Word and/or PDF."""
    from ...department.reply_letter import ReplyOptions, build_reply_letter, reply_petitions
    from ...document_settings import load_settings
    from ...exchange.letter import write_letter

    report = progress or (lambda *_args: None)
    options = ReplyOptions(period=request.period, to=request.to, ids=request.ids, where=request.where,
                           request_number=request.request_number, request_date=request.request_date,
                           request_from=request.request_from, request_about=request.request_about,
                           date=request.date, number=request.number, signer_name=request.signer, group=request.group)
    report(0, 2, "Chọn các kiến nghị đã chuyển, đã trả lời…")
    chosen = reply_petitions(workspace, options)
    communes = {c.code: c for c in workspace.store.all_communes()}
    letter = build_reply_letter(chosen, options, load_settings(workspace.store), communes)
    report(1, 2, "Đang ghi công văn…")
    files = write_letter(letter, docx=request.docx, pdf=request.pdf)
    report(2, 2, "Xong")
    return LetterOutcome(files, len(chosen), len({p.commune_code for p in chosen}))


@dataclass
class FeedbackRequest:
    """What ``readiness feedback`` takes: one commune (``codes=[code]``) or every one that reported (None)."""

    period: str
    codes: list[str] | None = None
    folder: Path | None = None
    formats: tuple[str, ...] = ("docx",)
    date: dt.date | None = None
    number: str = ""
    signer: str | None = None


def feedback_path(commune: Commune, period: str, folder: Path, fmt: str) -> Path:
    """Where the letter to ``commune`` goes in ``folder`` (the name ``readiness feedback --all`` gives it)."""
    from ...department.feedback_letter import feedback_file_name
    from ...store.db import validate_period

    return Path(folder) / feedback_file_name(commune, validate_period(period), fmt)


def write_feedback(workspace: Workspace, request: FeedbackRequest, progress: Any = None) -> LetterOutcome:
    """The feedback letters into ``request.folder``, one file per commune and format."""
    from ...department.feedback_letter import FeedbackOptions, feedback_letters, write_feedback as write_all
    from ...document_settings import load_settings
    from ...store.db import validate_period

    report = progress or (lambda *_args: None)
    report(0, 1, "Tổng hợp số liệu các xã…")
    options = FeedbackOptions(date=request.date, number=request.number, signer_name=request.signer)
    letters, missing = feedback_letters(workspace, request.period, request.codes, load_settings(workspace.store),
                                        options)
    folder = request.folder or Path(".")
    files = write_all(letters, folder, validate_period(request.period), request.formats,
                      progress=lambda done, total, name: report(done, total, f"Đang ghi công văn gửi {name}…"))
    return LetterOutcome(files, 0, len(letters), missing)
