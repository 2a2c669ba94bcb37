"""A filled blank template loaded into the commune's own assessment (the window's «Nhập phiếu Excel
đã điền…», ``readiness fill --template``).

The file goes through the department's import checks (:func:`readiness.department.import_worker.
check_file`: the byte guard, the reader, identity, every answer against the checklist's rules;
problems name the sheet and the cell), then :func:`compare` says what would change in the open
assessment before anything is saved, and :func:`apply` saves it in one transaction (all or nothing).
A question left blank in the paper keeps the answer the assessment has; a table with rows replaces
the table's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answers import AnswerError, describe, to_json
from .checklist.model import ItemType

if TYPE_CHECKING:
    from .checklist.loader import ChecklistLibrary
    from .department.import_errors import ImportProblem
    from .exchange.reader import Submission
    from .service import AssessmentSession, Workspace


@dataclass(frozen=True)
class Change:
    """One answer the template would change: «3.3 Số cán bộ… : 2 người → 0 người»."""

    item_id: str
    number: str
    label: str
    before: str  # "" when the question has no answer yet
    after: str


@dataclass
class TemplateRead:
    """A filled template after the department's checks (read off the UI thread; no database)."""

    path: Path
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    submission: Submission | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.submission is not None


@dataclass
class TemplatePreview:
    """What loading the template would do to the open assessment."""

    read: TemplateRead
    errors: list[str] = field(default_factory=list)  # Vietnamese sentences: nothing can be saved
    changes: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)  # blank in the template: the current answer stays
    raw: dict[str, Any] = field(default_factory=dict)  # item id -> JSON value, what :func:`apply` saves

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class TemplateChecks:
    """What the checks need from the workspace, taken where the database is (they then run anywhere)."""

    library: ChecklistLibrary
    communes: frozenset[str]
    today: dt.date | None = None

    @classmethod
    def of(cls, workspace: Workspace, today: dt.date | None = None) -> TemplateChecks:
        return cls(workspace.library, frozenset(c.code for c in workspace.store.all_communes()), today)


def read_template(checks: TemplateChecks, path: str | Path) -> TemplateRead:
    """Check a filled template as the department's import does, and read its answers (no database)."""
    from .department.import_errors import ImportProblem, problem
    from .department.import_worker import check_here
    from .exchange.errors import ExchangeError
    from .exchange.reader import read_submission

    path = Path(path)
    library = checks.library
    checked = check_here(str(path), library=library, communes=checks.communes, today=checks.today)
    read = TemplateRead(path, errors=list(checked.errors), warnings=list(checked.warnings))
    if read.errors:
        return read
    if checked.kind != "template":
        read.errors.append(problem("E-IMPORT-NOT-TEMPLATE", "Đây là tệp gửi Sở đã xuất từ phần mềm, không phải phiếu "
                                   "trống đã điền. Tệp gửi Sở do Sở nhập («Nhập tệp của các xã»)."))
        return read
    try:
        read.submission = read_submission(path, library=library)
    except ExchangeError as error:  # the checks above read it; a file changed since is refused here
        read.errors.append(ImportProblem(error.code, error.located_message(), error.sheet, error.cell))
    return read


def compare(session: AssessmentSession, read: TemplateRead, lang: str = "vi") -> TemplatePreview:
    """What the template would change in ``session`` (nothing is saved)."""
    preview = TemplatePreview(read)
    if not read.ok:
        preview.errors = [error.message for error in read.errors]
        return preview
    submission = read.submission
    assert submission is not None
    checklist = session.checklist
    period = f"{session.info.period[5:]}/{session.info.period[:4]}"
    if submission.commune_code != session.commune.code or submission.period != session.info.period:
        theirs = f"{submission.commune_name or submission.commune_code}, kỳ {_period(submission.period)}"
        preview.errors.append(f"Phiếu này của {theirs}; đang mở {session.commune.name}, kỳ {period}. "
                              "Mở đúng xã và kỳ của phiếu rồi nhập lại.")
    if submission.checklist.key != checklist.key:
        preview.errors.append(f"Phiếu theo bảng kiểm {submission.checklist.key}, bản đánh giá đang dùng {checklist.key}. "
                              "Tạo phiếu trống mới từ bản đánh giá này («Tạo phiếu trống để điền»).")
    if not session.editable:
        preview.errors.append(f"Bản đánh giá kỳ {period} (lần {session.info.revision}) đã hoàn thành: "
                              "bấm «Mở lại để sửa» rồi nhập lại phiếu.")
    if preview.errors:
        return preview
    for item in checklist.items():
        new = submission.answers.get(item.id)
        old = session.answers.get(item.id)
        blank_new = new is None or (item.type is ItemType.TABLE and not new)
        if blank_new:
            if old is not None and not (item.type is ItemType.TABLE and not old):
                preview.kept.append(_change(checklist, item, old, None, lang))
            continue
        if _same(item, old, new):
            continue
        preview.changes.append(_change(checklist, item, old, new, lang))
        preview.raw[item.id] = to_json(item, new)
    return preview


def apply(session: AssessmentSession, preview: TemplatePreview) -> list[AnswerError]:
    """Save the template's changes in one transaction; the problems when nothing was saved."""
    if not preview.ok:
        raise ValueError("a preview with errors cannot be applied")
    if not preview.raw:
        return []
    return session.set_answers(preview.raw, source="import")


def _same(item: Any, old: Any, new: Any) -> bool:
    if item.type is ItemType.TABLE:
        return to_json(item, old or []) == to_json(item, new or [])
    return to_json(item, old) == to_json(item, new)


def _change(checklist: Any, item: Any, old: Any, new: Any, lang: str) -> Change:
    return Change(item.id, checklist.number(item.id), item.label.get(lang), _shown(item, old, lang), _shown(item, new, lang))


def _shown(item: Any, value: Any, lang: str) -> str:
    if value is None or (item.type is ItemType.TABLE and not value):
        return ""
    if item.type is ItemType.TABLE:
        what = item.row_label.get(lang) if item.row_label else ("dòng" if lang == "vi" else "row(s)")
        return f"{len(value)} {what.lower()}"
    return describe(item, value, lang)


def _period(period: str | None) -> str:
    return f"{period[5:7]}/{period[:4]}" if period and len(period) >= 7 else (period or "?")
