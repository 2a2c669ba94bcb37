"""The department's letter to one commune about its self-assessment (issue 15 §4).

«V/v thông báo kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một
cửa kỳ 11/2025», «Kính gửi: UBND xã Đăk Hà»:

1. its score and level against the average of its province's communes that reported (and its
   rank), the critical criteria not met, a table of its section scores beside the averages;
2. its gaps, each with the scoring's advice sentence (the same sentences its own report prints);
3. how each of its petitions is being handled (the annex's words);
4. what to do next, citing the guidance letter of the settings («Công văn số 3005/SKHCN-BCVT&CĐS
   ngày 21/11/2025»).

Built from the consolidation (the same scores as the dashboard and the report), one
consolidation per province for a whole batch (``readiness feedback --all``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document_settings import DocumentSettings, province_phrase
from ..exchange.letter import Letter, Para, Table, standard_copies
from ..exchange.nd30 import short_date
from ..numbers import score
from ..store.db import StoreError, period_label, validate_period
from .petitions import Petition, list_petitions, resolution_text
from .reply_letter import REPORT_SECTION

if TYPE_CHECKING:
    from ..service import Workspace
    from ..register import Commune
    from .consolidate import Consolidation
    from .status import CommuneStatus


@dataclass
class FeedbackOptions:
    date: dt.date | None = None
    number: str = ""
    signer_name: str | None = None
    as_of: dt.date | None = None  # scores as of this day (default: as the consolidation computes them)


@dataclass
class Feedback:
    commune: Commune
    letter: Letter


def feedback_letters(workspace: Workspace, period: str, codes: list[str] | None, settings: DocumentSettings,
                     options: FeedbackOptions | None = None, *, province: str | None = None,
                     progress: Any = None) -> tuple[list[Feedback], list[Commune]]:
    """Letters for the communes ``codes`` (None: every commune of ``province`` — default the home
    province — that reported).  Returns (letters, communes that have not reported)."""
    from .consolidate import consolidate
    from .status import StatusFilters

    options = options or FeedbackOptions()
    period = validate_period(period)
    store = workspace.store
    if codes is None:
        scope = province or settings.home_province
        wanted = [c for c in store.communes(None, scope)]
    else:
        wanted = [store.commune(code) for code in dict.fromkeys(codes)]
    by_province: dict[str, list[Commune]] = {}
    for commune in wanted:
        by_province.setdefault(commune.province_code, []).append(commune)
    letters: list[Feedback] = []
    missing: list[Commune] = []
    done, total = 0, len(wanted)
    for province_code, communes in by_province.items():
        data = consolidate(workspace, period, StatusFilters(province=province_code), today=options.as_of)
        rows = {row.code: row for row in data.rows}
        petitions: dict[str, list[Petition]] = {}
        for petition in list_petitions(workspace, period=period, province=province_code):
            petitions.setdefault(petition.commune_code, []).append(petition)
        for commune in communes:
            row = rows.get(commune.code)
            if row is None or row.result is None:
                missing.append(commune)
            else:
                letters.append(Feedback(commune, build_feedback_letter(
                    commune, row, data, petitions.get(commune.code, []), settings, options, workspace)))
            done += 1
            if progress is not None:
                progress(done, total, commune.name)
    if codes is not None and missing and not letters:
        names = ", ".join(c.name for c in missing)
        raise StoreError("E-FEEDBACK-MISSING", f"{names} chưa gửi kết quả tự đánh giá kỳ {period_label(period)}: "
                         "chưa có gì để thông báo (gửi công văn đôn đốc thay cho thư này).")
    return letters, missing


def build_feedback_letter(commune: Commune, row: CommuneStatus, data: Consolidation, petitions: list[Petition],
                          settings: DocumentSettings, options: FeedbackOptions, workspace: Workspace | None = None) -> Letter:
    result = row.result
    assert result is not None
    checklist = data.checklist
    if workspace is not None and row.checklist_id:
        try:
            checklist = workspace.library.get(row.checklist_id, row.checklist_version)
        except KeyError:
            pass
    department = settings.department_name
    label = period_label(data.period)
    kind = commune.kind.lower()
    body_name = f"UBND {commune.name[:1].lower()}{commune.name[1:]}"
    home = settings.province_phrase if commune.province_code == settings.home_province else \
        province_phrase(commune.province_name)
    level = checklist.level(result.level_id).label.vi
    sent = f" gửi ngày {short_date(row.submitted_at.astimezone(_VIETNAM).date())}" if row.submitted_at else ""
    revision = f" (bản sửa lần {row.revision - 1})" if row.revision and row.revision > 1 else ""
    body: list = [Para("p", f"Trên cơ sở kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận "
                            f"Một cửa kỳ {label} do {body_name}{sent}{revision}, {department} thông báo kết quả và đề "
                            "nghị như sau:")]

    body.append(Para("heading", "1. Kết quả tự đánh giá"))
    body.append(Para("p", _score_sentence(kind, result.score, level, row, data, home)))
    critical = [g for g in result.problems if g.critical]
    if critical:
        names = "; ".join(_criterion(checklist, g.item_id) for g in critical)
        body.append(Para("p", f"Tiêu chí trọng yếu chưa đạt ({len(critical)}): {names}."))
    else:
        body.append(Para("p", "Các tiêu chí trọng yếu đều đạt."))
    rows = []
    for section in data.sections:
        own = (row.section_scores or {}).get(section.id)
        average = data.section_averages.get(section.id)
        if own is None and average is None:
            continue
        rows.append((f"{section.number}. {section.title}", _column(own), _column(average)))
    if rows:
        body.append(Table(("Nội dung", f"Điểm của {kind}", f"Bình quân {home}"), tuple(rows), (6.4, 2.0, 2.4), (1, 2)))

    body.append(Para("heading", "2. Những tồn tại và khuyến nghị khắc phục"))
    failed = [g for g in result.problems if g.status == "fail"]
    unanswered = [g for g in result.problems if g.status == "missing"]
    if not failed:
        body.append(Para("p", f"Không có tiêu chí chưa đạt trong số các tiêu chí {kind} đã trả lời."))
    for index, gap in enumerate(failed, start=1):
        mark = " (tiêu chí trọng yếu)" if gap.critical else ""
        advice = (gap.advice or "").strip()
        text = f"{index}. Mục {_criterion(checklist, gap.item_id, quoted=True)}{mark}"
        body.append(Para("p", f"{text}: {advice}" if advice else f"{text}: chưa đạt yêu cầu."))
    if unanswered:
        numbers = ", ".join(_number(checklist, g.item_id) for g in unanswered)
        body.append(Para("p", f"Các tiêu chí chưa trả lời, chưa đánh giá được: mục {numbers}; đề nghị bổ sung trong kỳ "
                              "báo cáo tiếp theo."))

    body.append(Para("heading", f"3. Tình hình giải quyết kiến nghị của {kind}"))
    if not petitions:
        body.append(Para("p", f"Trong kỳ {label}, {kind} không nêu khó khăn, vướng mắc, đề xuất, kiến nghị."))
    for petition in petitions:
        what = " ".join((petition.proposal or petition.difficulty or "").split()).rstrip(".;, ")
        resolution = resolution_text(petition, settings.short_name)
        end = "" if resolution.endswith((".", "!", "?")) else "."
        body.append(Para("bullet", f"Nội dung {REPORT_SECTION}.{petition.position + 1} ({_short(what)}): "
                                   f"{resolution}{end}"))

    body.append(Para("heading", "4. Đề nghị"))
    guidance = f" theo hướng dẫn của {department} tại {settings.guidance_letter}" if settings.guidance_letter else ""
    if failed or unanswered:
        first = "trước hết là các tiêu chí trọng yếu" if critical else "theo thứ tự ưu tiên nêu trên"
        body.append(Para("p", f"Đề nghị {body_name} chỉ đạo Bộ phận Một cửa khắc phục các tồn tại nêu tại mục 2, {first}"
                              f"{',' + guidance if guidance else ''}; cập nhật kết quả tự đánh giá trong kỳ báo cáo "
                              "tiếp theo."))
    else:
        body.append(Para("p", f"Đề nghị {body_name} duy trì hạ tầng công nghệ thông tin của Bộ phận Một cửa{guidance}; "
                              "cập nhật kết quả tự đánh giá trong kỳ báo cáo tiếp theo."))
    return Letter(
        settings=settings, date=options.date or dt.date.today(),
        subject=f"thông báo kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa kỳ {label}",
        addressees=(body_name,), body=body, closing=f"{department} thông báo để {body_name} biết, thực hiện./.",
        copies=standard_copies(settings), number=options.number, signer_name=options.signer_name or None)


def _score_sentence(kind: str, score: float, level: str, row: CommuneStatus, data: Consolidation, home: str) -> str:
    text = f"Điểm tự đánh giá của {kind} đạt {_num(score)}/100, mức «{level}»."
    others = [r.score for r in data.rows if r.score is not None]
    if len(others) < 2:
        return text + f" {kind[:1].upper()}{kind[1:]} là đơn vị duy nhất {home} đã gửi kết quả trong kỳ."
    average = sum(others) / len(others)
    rank = 1 + sum(1 for value in others if value > (row.score or 0) + 1e-9)
    difference = round((row.score or 0) - average, 1)
    if difference > 0:
        compared = f"cao hơn bình quân {_num(difference)} điểm"
    elif difference < 0:
        compared = f"thấp hơn bình quân {_num(-difference)} điểm"
    else:
        compared = "bằng điểm bình quân"
    return (text + f" Điểm bình quân của {len(others)} đơn vị {home} đã gửi kết quả là {_num(average)}/100; điểm của "
            f"{kind} {compared}, xếp thứ {rank}/{len(others)}.")


def _num(value: float | None) -> str:
    """A score or a difference of scores in a sentence: one decimal at most, rounded half up as every score
    we write (:func:`readiness.numbers.score`)."""
    return score(value)


def _column(value: float | None) -> str:
    """A score in the table's columns: always one decimal (``66,0`` beside ``63,6``)."""
    return score(value, fixed=True)


def _number(checklist: Any, item_id: str) -> str:
    try:
        return checklist.number(item_id)
    except KeyError:
        return item_id


def _criterion(checklist: Any, item_id: str, *, quoted: bool = False) -> str:
    try:
        label = checklist.item(item_id).label.vi.rstrip().rstrip("?").rstrip()
    except KeyError:
        return item_id
    return f"{_number(checklist, item_id)} «{label}»" if quoted else f"{_number(checklist, item_id)} {label}"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_VIETNAM = dt.timezone(dt.timedelta(hours=7))


def feedback_file_name(commune: Commune, period: str, fmt: str) -> str:
    """``thong-bao-ket-qua_2025-11_23500_xa-dak-ha.docx``."""
    from ..text import slugify

    return f"thong-bao-ket-qua_{period}_{commune.code}_{slugify(commune.name)}.{fmt}"


def write_feedback(feedback: list[Feedback], folder: str | Path, period: str, formats: tuple[str, ...] = ("docx",),
                   progress: Any = None) -> list[Path]:
    """Each letter into ``folder`` (created), in each format; returns the files written."""
    from ..exchange.letter import write_letter

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, item in enumerate(feedback, start=1):
        paths = {fmt: target / feedback_file_name(item.commune, period, fmt) for fmt in formats}
        written += write_letter(item.letter, docx=paths.get("docx"), pdf=paths.get("pdf"))
        if progress is not None:
            progress(index, len(feedback), item.commune.name)
    return written


__all__ = ["Feedback", "FeedbackOptions", "build_feedback_letter", "feedback_file_name", "feedback_letters",
           "write_feedback"]
