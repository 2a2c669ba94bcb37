"""Petitions: the difficulties and proposals communes send with their assessment, handled by Sở KHCN.

Every row of the checklist's petition table becomes a petition when the assessment is finalized
(or imported).  The department forwards it to the responsible department ("Kính chuyển Sở Tài
chính"), answers it citing its guidance letter ("Công văn 2984/SKHCN-VP ngày 20/11/2025"), and
marks it resolved; that status is what the report's annex table (seed 002) shows.

Status moves forward: new → forwarded → answered → resolved (steps may be skipped, a forwarded
petition may be forwarded again to another department).  Going back needs ``force=True``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError, period_label, validate_period
from ..register import sort_communes
from ..text import clean, matches
from .vocabulary import STATUSES

if TYPE_CHECKING:
    from ..service import Workspace
    from ..store.db import Store
    from ..store.models import PetitionRow

STATUS_LABELS = {"new": "Mới", "forwarded": "Đã chuyển", "answered": "Đã trả lời", "resolved": "Đã giải quyết"}
STATUS_LABELS_EN = {"new": "New", "forwarded": "Forwarded", "answered": "Answered", "resolved": "Resolved"}
_RANK = {status: index for index, status in enumerate(STATUSES)}
MAX_FIELD = 2000
MAX_REF = 200
DEPARTMENT = "Sở KHCN"


@dataclass(frozen=True)
class Petition:
    id: int
    commune_code: str
    commune_name: str
    period: str
    position: int
    topic: str | None
    topic_label: str | None
    difficulty: str | None
    proposal: str | None
    addressed_to: str | None
    status: str
    forwarded_to: str | None
    response: str | None
    response_ref: str | None
    updated_at: dt.datetime | None
    assessment_id: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def content(self) -> str:
        """Difficulty and proposal, as the annex's third column shows them."""
        return "\n".join(part for part in (self.difficulty, self.proposal) if part)

    @property
    def resolution(self) -> str:
        return resolution_text(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "commune": self.commune_code, "commune_name": self.commune_name, "period": self.period,
            "topic": self.topic, "topic_label": self.topic_label, "difficulty": self.difficulty,
            "proposal": self.proposal, "addressed_to": self.addressed_to, "status": self.status,
            "status_label": self.status_label, "forwarded_to": self.forwarded_to, "response": self.response,
            "response_ref": self.response_ref, "resolution": self.resolution,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def resolution_text(petition: Petition, department: str = DEPARTMENT) -> str:
    """The annex's "Tình hình giải quyết" cell, in the department's words (seed 002).

    - new: "Sở KHCN đang xem xét, xử lý."
    - forwarded: "Kính chuyển Sở Tài chính" (+ the letter, if cited; + the response as its own sentence);
    - answered: "Sở KHCN đã có Công văn 2984/SKHCN-VP ngày 20/11/2025 hướng dẫn địa phương thực hiện nội dung này"
      (a response typed as the rest of that sentence, in lower case, replaces the default words; a response
      typed as a sentence of its own stays one: "Sở KHCN đã trả lời tại Công văn …: Đề nghị xã …");
    - resolved: the same, then "Đã giải quyết.".

    ``department``: the department's short name (the settings' ``short_name``).
    """
    status = petition.status
    ref = (petition.response_ref or "").strip()
    response = _sentence_body(petition.response)
    if status == "forwarded":
        text = f"Kính chuyển {petition.forwarded_to or 'cơ quan có thẩm quyền'}"
        if ref:
            text += f" ({ref})"
        if response:
            text += f". {_capitalized(response)}."
        return text
    if status in ("answered", "resolved"):
        if ref and response and not is_full_sentence(response):
            text = f"{department} đã có {ref} {response}."
        elif ref and response:
            text = f"{department} đã trả lời tại {ref}: {response}."
        elif ref:
            text = f"{department} đã có {ref} hướng dẫn địa phương thực hiện nội dung này."
        elif response:
            text = f"{department} đã trả lời: {_capitalized(response)}."
        else:
            text = f"{department} đã trả lời địa phương."
        if status == "resolved":
            text += " Đã giải quyết."
        return text
    return f"{department} đang xem xét, xử lý."


def _sentence_body(text: str | None) -> str:
    """A typed response without its closing full stop(s) (the sentence around it adds one)."""
    body = (text or "").strip()
    while body.endswith((".", ";", ",")) and not body.endswith("..."):
        body = body[:-1].rstrip()
    return body


def is_full_sentence(text: str) -> bool:
    """Whether a typed response is a sentence of its own (starts with a capital letter, or holds
    more than one sentence) rather than the rest of «Sở KHCN đã có Công văn … [hướng dẫn …]»."""
    body = text.strip()
    if not body:
        return False
    first = body[0]
    return first.isupper() or first.isdigit() or first in "-–•*(\"«“" or ". " in body


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def recommendation_text(petition: Petition) -> str:
    """The annex's last column ("Đề xuất, kiến nghị"): what the department proposes next."""
    if petition.status == "new":
        target = (petition.addressed_to or "").strip()
        if target and not _is_department(target):
            return f"Đề nghị chuyển {target} xem xét, giải quyết theo thẩm quyền."
        return ""
    if petition.status == "forwarded":
        return f"Đề nghị {petition.forwarded_to or 'cơ quan được chuyển'} xem xét, trả lời địa phương."
    if petition.status == "answered":
        return "Đề nghị địa phương triển khai thực hiện theo hướng dẫn."
    return ""


def _is_department(name: str) -> bool:
    from ..text import fold

    folded = fold(name)
    return "khoa hoc va cong nghe" in folded or folded.replace(" ", "") in ("sokhcn", "skhcn")


def _topic_labels(workspace_or_none: Any) -> dict[str, str]:
    if workspace_or_none is None:
        return {}
    try:
        checklist = workspace_or_none.latest_checklist()
        item = checklist.item(checklist.petition_item or "")
        column = item.column("topic")
    except (KeyError, AttributeError):
        return {}
    return {c.id: c.label.vi for c in column.choices or ()}


def topic_choices(workspace: Workspace) -> dict[str, str]:
    """The petition topics of the newest checklist: choice id -> Vietnamese label, in the checklist's order."""
    return _topic_labels(workspace)


def _of(row: PetitionRow, names: dict[str, str], topics: dict[str, str]) -> Petition:
    return Petition(
        id=row.id, commune_code=row.commune_code, commune_name=names.get(row.commune_code, row.commune_code),
        period=row.period, position=row.position, topic=row.topic,
        topic_label=topics.get(row.topic or "", row.topic) if row.topic else None,
        difficulty=row.difficulty, proposal=row.proposal, addressed_to=row.addressed_to, status=row.status or "new",
        forwarded_to=row.forwarded_to, response=row.response, response_ref=row.response_ref,
        updated_at=row.updated_at, assessment_id=row.assessment_id,
    )


@dataclass(frozen=True)
class PetitionFilter:
    """Which petitions: what ``petitions list`` and ``petitions update`` (with filters) select.

    ``communes``: commune codes; ``statuses``: current statuses; ``topics``: topic choice ids;
    ``addressed_to``: words of the agency the commune addressed (the department itself also
    matches a petition addressed to no one, which it handles); ``search``: words in the
    difficulty or proposal; ``ids``: petition numbers.
    """

    period: str | None = None
    communes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    addressed_to: str | None = None
    search: str | None = None
    ids: tuple[int, ...] = ()
    province: str | None = "51"
    current_only: bool = True

    @property
    def narrows(self) -> bool:
        """Whether anything is chosen (a bulk update over every petition of every period is refused)."""
        return bool(self.period or self.communes or self.statuses or self.topics or self.addressed_to
                    or self.search or self.ids)


def list_petitions(workspace: Workspace, *, period: str | None = None, commune: str | None = None,
                   status: str | None = None, province: str | None = "51", search: str | None = None,
                   current_only: bool = True, where: PetitionFilter | None = None) -> list[Petition]:
    """Petitions, in the communes' Vietnamese order then as the commune listed them.

    ``current_only``: only those of the assessment that counts for the period (a resubmission's
    petitions replace the earlier revision's).  ``search``: words in the difficulty or proposal.
    ``where``: a :class:`PetitionFilter` (its fields replace the keyword arguments).
    """
    if where is None:
        where = PetitionFilter(period=period, communes=(commune,) if commune else (),
                               statuses=(status,) if status else (), search=search, province=province,
                               current_only=current_only)
    return select_petitions(workspace, where)


def select_petitions(workspace: Workspace, where: PetitionFilter) -> list[Petition]:
    store: Store = workspace.store
    for status in where.statuses:
        if status not in STATUSES:
            raise StoreError("E-PETITION-STATUS",
                             f"Trạng thái «{status}» không hợp lệ; chọn một trong: {', '.join(STATUSES)}.")
    period = validate_period(where.period) if where.period else None
    province = where.province
    communes = {c.code: c for c in store.communes(None, None if province in (None, "all") else province)}
    if where.communes:
        for code in where.communes:
            if code not in communes:
                communes[code] = store.commune(code)  # raises E-COMMUNE for an unknown code
        communes = {code: communes[code] for code in where.communes}
    names = {code: c.name for code, c in communes.items()}
    one_commune = where.communes[0] if len(where.communes) == 1 else None
    one_status = where.statuses[0] if len(where.statuses) == 1 else None
    rows = store.petitions(one_commune, period, status=one_status, ids=list(where.ids) if where.ids else None)
    rows = [row for row in rows if row.commune_code in communes
            and (not where.statuses or (row.status or "new") in where.statuses)]
    if where.current_only and rows:
        rows = _current(store, rows)
    if where.topics:
        rows = [row for row in rows if row.topic in where.topics]
    if where.addressed_to:
        rows = [row for row in rows if addressed_matches(where.addressed_to, row.addressed_to)]
    if where.search:
        rows = [row for row in rows if matches(where.search, f"{row.difficulty or ''} {row.proposal or ''}")]
    topics = _topic_labels(workspace)
    order = {c.code: index for index, c in enumerate(sort_communes(list(communes.values())))}
    rows.sort(key=lambda r: (r.period, order.get(r.commune_code, len(order)), r.commune_code, r.position, r.id))
    return [_of(row, names, topics) for row in rows]


def addressed_matches(query: str, addressed_to: str | None) -> bool:
    """Whether a petition addressed to ``addressed_to`` answers the filter ``query`` ("Sở Tài chính").
    Asking for the department itself («Sở KHCN», «Sở Khoa học và Công nghệ») also finds the
    petitions addressed to no one: the department handles those."""
    if _is_department(query):
        return not (addressed_to or "").strip() or _is_department(addressed_to or "")
    return matches(query, addressed_to or "")


def _current(store: Store, rows: list[PetitionRow]) -> list[PetitionRow]:
    """Keep the petitions of the newest finalized revision per (commune, period)."""
    revision = store.assessment_revisions(row.assessment_id for row in rows)
    newest: dict[tuple[str, str], int] = {}
    for code, period, rev in revision.values():
        newest[(code, period)] = max(rev, newest.get((code, period), 0))
    return [row for row in rows if row.assessment_id in revision
            and revision[row.assessment_id][2] == newest[revision[row.assessment_id][:2]]]


def get_petition(workspace: Workspace, petition_id: int) -> Petition:
    store: Store = workspace.store
    rows = store.petitions(ids=[petition_id])
    if not rows:
        raise StoreError("E-PETITION", f"Không có kiến nghị số {petition_id}.")
    row = rows[0]
    names = {row.commune_code: store.commune(row.commune_code).name}
    return _of(row, names, _topic_labels(workspace))


def _text(value: str | None, name: str, limit: int) -> str | None:
    if value is None:
        return None
    text = clean(value)
    if len(text) > limit:
        raise StoreError("E-PETITION-FIELD", f"{name} quá dài ({len(text)} ký tự, tối đa {limit}).")
    if any(ord(ch) < 32 for ch in text):
        raise StoreError("E-PETITION-FIELD", f"{name} có ký tự điều khiển không hợp lệ.")
    return text or None


def _long_text(value: str | None, name: str, limit: int) -> str | None:
    """A response: line breaks kept (paragraphs of the reply letter), control characters refused."""
    if value is None:
        return None
    from ..text import clean_text

    text = clean_text(value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > limit:
        raise StoreError("E-PETITION-FIELD", f"{name} quá dài ({len(text)} ký tự, tối đa {limit}).")
    if any(ord(ch) < 32 and ch != "\n" for ch in text):
        raise StoreError("E-PETITION-FIELD", f"{name} có ký tự điều khiển không hợp lệ.")
    return text or None


def update_petition(workspace: Workspace, petition_id: int, *, status: str | None = None, forwarded_to: str | None = None,
                    response: str | None = None, response_ref: str | None = None, force: bool = False) -> Petition:
    """Change a petition's handling in one transaction; refuse what makes no sense.

    ``None`` leaves a field as it is; an empty string clears it.  Rules: a status in
    :data:`STATUSES`; no going back (resolved → new) unless ``force``; "forwarded" needs the
    department it went to; "answered" needs the response or the letter's reference.
    """
    return update_petitions(workspace, [petition_id], status=status, forwarded_to=forwarded_to, response=response,
                            response_ref=response_ref, force=force)[0]


def update_petitions(workspace: Workspace, ids: list[int] | tuple[int, ...], *, status: str | None = None,
                     forwarded_to: str | None = None, response: str | None = None, response_ref: str | None = None,
                     force: bool = False) -> list[Petition]:
    """Forward or answer many petitions together, with one response and one reference letter.

    The rules of :func:`update_petition` hold for each; all are changed in one transaction, or,
    when one is refused (its number named in the message), none.
    """
    if status is not None and status not in STATUSES:
        raise StoreError("E-PETITION-STATUS", f"Trạng thái «{status}» không hợp lệ; chọn một trong: {', '.join(STATUSES)}.")
    if not ids:
        raise StoreError("E-PETITION-NONE", "Chưa chọn kiến nghị nào để cập nhật.")
    forwarded_to = _text(forwarded_to, "Cơ quan được chuyển", 300)
    response = _long_text(response, "Nội dung trả lời", MAX_FIELD)
    response_ref = _text(response_ref, "Số, ngày văn bản trả lời", MAX_REF)
    several = len(set(ids)) > 1

    def apply(row: PetitionRow) -> None:
        current = row.status or "new"
        target = status or current
        which = f"Kiến nghị số {row.id}"
        if _RANK[target] < _RANK[current] and not force:
            raise StoreError(
                "E-PETITION-TRANSITION",
                f"{which} đang ở trạng thái «{STATUS_LABELS[current]}», không chuyển ngược về "
                f"«{STATUS_LABELS[target]}» được (dùng --force nếu thật sự cần)."
                + (" Không kiến nghị nào được cập nhật." if several else ""))
        new_forwarded = row.forwarded_to if forwarded_to is None else forwarded_to
        new_response = row.response if response is None else response
        new_ref = row.response_ref if response_ref is None else response_ref
        if target == "forwarded" and not new_forwarded:
            raise StoreError("E-PETITION-FORWARD",
                             "Chuyển kiến nghị thì phải ghi cơ quan được chuyển (ví dụ --forwarded-to \"Sở Tài chính\")."
                             + (f" ({which} chưa có.)" if several else ""))
        if target == "answered" and not (new_response or new_ref):
            raise StoreError("E-PETITION-ANSWER",
                             "Đã trả lời thì phải ghi nội dung trả lời hoặc số, ngày văn bản "
                             "(ví dụ --response-ref \"Công văn 2984/SKHCN-VP ngày 20/11/2025\")."
                             + (f" ({which} chưa có.)" if several else ""))
        row.status = target
        row.forwarded_to = new_forwarded
        row.response = new_response
        row.response_ref = new_ref

    store: Store = workspace.store
    rows = store.update_petitions(list(ids), apply)
    names = {code: store.commune(code).name for code in {row.commune_code for row in rows}}
    topics = _topic_labels(workspace)
    return [_of(row, names, topics) for row in rows]


def counts_by_status(petitions: list[Petition]) -> dict[str, int]:
    out = {status: 0 for status in STATUSES}
    for petition in petitions:
        out[petition.status] = out.get(petition.status, 0) + 1
    return out


def format_petitions(petitions: list[Petition]) -> str:
    lines = []
    for p in petitions:
        lines.append(f"#{p.id}  {p.commune_name} ({p.commune_code}), kỳ {period_label(p.period)} — "
                     f"{p.status_label}" + (f" — lĩnh vực: {p.topic_label}" if p.topic_label else ""))
        if p.difficulty:
            lines.append(f"    Khó khăn: {p.difficulty}")
        if p.proposal:
            lines.append(f"    Đề xuất: {p.proposal}")
        if p.addressed_to:
            lines.append(f"    Kính gửi: {p.addressed_to}")
        if p.status != "new":
            lines.append(f"    Tình hình giải quyết: {p.resolution}")
    counts = counts_by_status(petitions)
    lines.append(f"— {len(petitions)} kiến nghị: " + "; ".join(f"{STATUS_LABELS[s]}: {counts[s]}" for s in STATUSES))
    return "\n".join(lines)
