"""What every exporter needs about one assessment, gathered once (no Qt, no database access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..answers import Answers, describe
from ..checklist.model import Checklist, Column, Item, ItemType
from ..register import Commune
from ..scoring import ScoreResult, score
from .layout import is_year

if TYPE_CHECKING:  # pragma: no cover
    from ..service import AssessmentView
    from ..store.db import AssessmentInfo

RESPONDENT_IDS = ("respondent", "respondent_name", "reporter", "reporter_name", "contact_name", "focal_person")


@dataclass
class Identity:
    """Who and what a submission is: the assessment's identity in the commune's database."""

    assessment_id: str | None = None
    revision: int | None = None
    status: str | None = None  # draft | finalized
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    finalized_at: dt.datetime | None = None

    @classmethod
    def of(cls, info: AssessmentInfo) -> Identity:
        return cls(info.id, info.revision, info.status, info.created_at, info.updated_at, info.finalized_at)


@dataclass(frozen=True)
class PreviousPeriod:
    """The previous period an export compares with (issue 14 §1): its finalized revision, score and
    level, whether this assessment was started from it, and the answers that differ from it
    (:class:`readiness.carry_compare.Change`, in checklist order)."""

    period: str
    revision: int
    score: float | None = None
    level: str | None = None  # the level's Vietnamese label
    carried: bool = False
    changes: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        return period_label(self.period)

    def change(self, item_id: str) -> Any:
        return next((c for c in self.changes if c.item_id == item_id), None)

    @classmethod
    def of_session(cls, session: AssessmentView) -> PreviousPeriod | None:
        review = session.review()
        base = review.base
        if base is None:
            return None
        level = None
        if base.info.level:
            try:
                level = base.checklist.level(base.info.level).label.vi
            except KeyError:
                level = base.info.level
        return cls(period=base.period, revision=base.info.revision, score=base.info.score, level=level,
                   carried=review.origin is not None and review.origin.period == base.period,
                   changes=tuple(review.changes.values()))


@dataclass
class ExportContext:
    checklist: Checklist
    answers: Answers
    result: ScoreResult
    commune: Commune | None
    period: str | None  # YYYY-MM
    identity: Identity = field(default_factory=Identity)
    exported_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    app_version: str = __version__
    respondent: str | None = None
    lang: str = "vi"
    # The report's letter details (Nghị định 30/2020/NĐ-CP); the number is given by the office when it is issued.
    document_number: str = ""
    signer_title: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    # The department the report is addressed to ("Kính gửi: …"): from the workspace's document
    # settings; a commune of another province writes to its own province's Sở KHCN.
    department: str = ""
    previous: PreviousPeriod | None = None  # the previous period, for «Thay đổi so với kỳ trước»

    def __post_init__(self) -> None:
        if not self.department:
            from ..document_settings import default_settings

            self.department = default_settings().department_for(self.commune)

    @classmethod
    def from_session(cls, session: AssessmentView, *, now: dt.datetime | None = None, **extra: Any) -> ExportContext:
        if "department" not in extra:
            from ..document_settings import load_settings

            extra["department"] = load_settings(session.store).department_for(session.commune)
        extra.setdefault("previous", PreviousPeriod.of_session(session))
        return cls.build(session.checklist, session.answers, commune=session.commune, period=session.info.period,
                         identity=Identity.of(session.info), result=session.result(), now=now, today=session.today, **extra)

    @classmethod
    def build(cls, checklist: Checklist, answers: Answers, *, commune: Commune | None = None, period: str | None = None,
              identity: Identity | None = None, result: ScoreResult | None = None, now: dt.datetime | None = None,
              today: dt.date | None = None, **extra: Any) -> ExportContext:
        now = now or dt.datetime.now().astimezone()
        if now.tzinfo is None:
            now = now.astimezone()
        result = result or score(checklist, answers, today=today or now.date(),
                                province=commune.province_code if commune is not None else None)
        extra.setdefault("respondent", find_respondent(checklist, answers))
        return cls(checklist=checklist, answers=answers, result=result, commune=commune, period=period,
                   identity=identity or Identity(), exported_at=now, **extra)

    # -- derived texts -------------------------------------------------------------------
    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def commune_code(self) -> str | None:
        return self.commune.code if self.commune else None

    @property
    def commune_name(self) -> str:
        return self.commune.name if self.commune else ""

    def recipient_lines(self) -> tuple[str, ...]:
        return self.recipients or ("Như trên;", "Lưu: VT.")


def period_label(period: str | None) -> str:
    """``2025-11`` -> ``11/2025``."""
    if not period or len(period) != 7:
        return period or ""
    return f"{period[5:]}/{period[:4]}"


def find_respondent(checklist: Checklist, answers: Answers) -> str | None:
    """The respondent's name, when the checklist asks for it (a text item named like ``respondent``)."""
    for item_id in RESPONDENT_IDS:
        try:
            item = checklist.item(item_id)
        except KeyError:
            continue
        value = answers.get(item.id)
        if item.type is ItemType.TEXT and value:
            return str(value)
    for item in checklist.items():
        if item.type is ItemType.TEXT and "respondent" in item.id and answers.get(item.id):
            return str(answers.get(item.id))
    return None


def status_label(status: str | None) -> str:
    return {"draft": "Bản nháp", "finalized": "Đã hoàn thành"}.get(status or "", status or "")


def show(spec: Item | Column, value: Any, lang: str = "vi") -> str:
    """:func:`readiness.answers.describe` (which writes years and codes without a thousands separator)."""
    return describe(spec, value, lang)


def is_scalar(item: Item) -> bool:
    return item.type is not ItemType.TABLE
