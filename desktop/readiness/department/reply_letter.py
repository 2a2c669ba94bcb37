"""The department's reply to communes' petitions: a Công văn like seeds 000 and 001.

«V/v trả lời nội dung kiến nghị, khó khăn, vướng mắc …», «Kính gửi: Sở Nội vụ» (or the communes),
an opening citing the request letter («Theo đề nghị của Sở Nội vụ tại Công văn số 2956/SNV-XDCQ
ngày 10/12/2025 …»), then one numbered item per petition, «1. Kiến nghị của UBND xã Đăk Hà về
việc … (nội dung III.1)», each followed by «Trả lời:» and what the department recorded (the
response typed in the petitions tab or ``petitions update``; for a forwarded petition, the agency
it went to), a reminder of the guidance letter where the petitions are about infrastructure or
equipment, the closing, «Nơi nhận» (with «UBND các xã, phường, đặc khu») and the signer, all from
the workspace's document settings.

«nội dung III.n» is the petition's number in Mục III (Khó khăn, vướng mắc và đề xuất, kiến nghị)
of the commune's own report, which the opening says.  Only petitions with something to say are
answered: a petition still «Mới» is refused when chosen by number, and left out otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exchange.letter import Letter, Para, standard_copies
from ..exchange.nd30 import short_date
from ..store.db import StoreError, period_label
from ..text import fold
from .petitions import Petition, PetitionFilter, STATUS_LABELS, select_petitions

if TYPE_CHECKING:
    from ..service import Workspace
    from ..document_settings import DocumentSettings

REPORT_SECTION = "III"  # the commune report's section of difficulties and proposals (exchange/pdf_report.py)
ANSWERED = ("forwarded", "answered", "resolved")
INFRASTRUCTURE_TOPICS = ("infrastructure", "equipment")
MAX_NAMED = 5  # communes named one by one in «Kính gửi» / «V/v» before «các xã, phường, đặc khu»
MAX_IN_HEADING = 4  # communes sharing an item named in its heading; more are listed under it


@dataclass
class ReplyOptions:
    """What ``readiness petitions reply`` takes."""

    period: str
    to: str | None = None  # «Kính gửi»: an agency ("Sở Nội vụ"); None: the communes concerned
    ids: tuple[int, ...] = ()  # the petitions answered (default: every answered one of the period)
    where: PetitionFilter | None = None  # or chosen by filter (topic, addressee, commune, status)
    request_number: str = ""  # "2956/SNV-XDCQ"
    request_date: dt.date | None = None
    request_from: str | None = None  # who asked (default: ``to``); "Chủ tịch UBND tỉnh" → «Thực hiện chỉ đạo của …»
    request_about: str = ""  # "tiếp tục hỗ trợ các địa phương tháo gỡ khó khăn, vướng mắc …"
    subject: str = ""  # the V/v (default: made from the communes)
    number: str = ""
    date: dt.date | None = None
    signer_name: str | None = None
    extra_copies: tuple[str, ...] = field(default_factory=tuple)
    group: bool = True  # one item for petitions asking the same thing and answered the same way


def reply_petitions(workspace: Workspace, options: ReplyOptions) -> list[Petition]:
    """The petitions the letter answers: by number (each must have been forwarded or answered), or
    by filter / the whole period (those still «Mới» left out)."""
    from .petitions import validate_period

    period = validate_period(options.period)
    if options.ids:
        where = PetitionFilter(period=period, ids=tuple(options.ids), province="all")
        found = select_petitions(workspace, where)
        known = {p.id for p in found}
        unknown = [i for i in options.ids if i not in known]
        if unknown:
            raise StoreError("E-REPLY-PETITION", f"Không có kiến nghị số {', '.join(map(str, unknown))} trong kỳ "
                             f"{period_label(period)} (hoặc không phải của lần nộp hiện hành).")
        pending = [p for p in found if p.status not in ANSWERED]
        if pending:
            raise StoreError("E-REPLY-UNANSWERED",
                             f"Kiến nghị số {', '.join(str(p.id) for p in pending)} chưa có nội dung trả lời "
                             f"(trạng thái «{STATUS_LABELS['new']}»). Ghi trả lời trước, ví dụ: readiness petitions "
                             f"update --ids {pending[0].id} --status answered --response \"…\".")
        return found  # in the communes' order, as the letter lists them
    base = options.where or PetitionFilter(province=None)
    where = PetitionFilter(period=period, communes=base.communes, statuses=base.statuses or ANSWERED,
                           topics=base.topics, addressed_to=base.addressed_to, search=base.search,
                           province=base.province, current_only=True)
    found = [p for p in select_petitions(workspace, where) if p.status in ANSWERED]
    if not found:
        raise StoreError("E-REPLY-NONE", f"Kỳ {period_label(period)} không có kiến nghị nào đã chuyển hoặc đã trả lời "
                         "(theo điều kiện đã chọn) để đưa vào công văn. Ghi trả lời trước: readiness petitions update.")
    return found


def build_reply_letter(petitions: list[Petition], options: ReplyOptions, settings: DocumentSettings,
                       communes: dict[str, Any] | None = None) -> Letter:
    """The Công văn answering ``petitions`` (already chosen: :func:`reply_petitions`).

    ``communes``: code -> Commune (for «UBND xã …», «UBND phường …»); names are taken from the
    petitions otherwise."""
    if not petitions:
        raise StoreError("E-REPLY-NONE", "Không có kiến nghị nào để trả lời.")
    department = settings.department_name
    label = period_label(options.period)
    codes = list(dict.fromkeys(p.commune_code for p in petitions))
    names = [_body_of(_name_of(p, communes)) for p in _first_each(petitions)]
    who = _communes_words(names, settings)
    subject = options.subject.strip() or f"trả lời nội dung kiến nghị, khó khăn, vướng mắc của {who}"
    if options.to:
        addressees: tuple[str, ...] = (options.to.strip(),)
    elif len(codes) <= MAX_NAMED:
        addressees = tuple(names)
    else:
        addressees = (settings.communes_body,)

    body: list = [Para("p", _opening(options, settings, who, label))]
    groups = _grouped(petitions) if options.group else [[p] for p in petitions]
    for number, group in enumerate(groups, start=1):
        heading, listing = _item_heading(number, group, communes)
        body.append(Para("item", heading))
        if listing:
            body.append(Para("p", listing))
        body.append(Para("label", "Trả lời:"))
        body += _answer(group[0], settings)
    if settings.guidance_letter and any(p.topic in INFRASTRUCTURE_TOPICS for p in petitions):
        body.append(Para("p", f"Để bảo đảm hạ tầng công nghệ thông tin phục vụ hoạt động của Bộ phận Một cửa, đề nghị "
                              f"{settings.communes_body} rà soát, hoàn thiện hạ tầng công nghệ thông tin nội bộ, chú "
                              f"trọng tốc độ đường truyền Internet và cấu hình thiết bị (theo hướng dẫn của {department} "
                              f"tại {settings.guidance_letter}).", lead="Lưu ý:"))
    if options.to:
        closing = f"Kính gửi {options.to.strip()} tổng hợp, tham mưu./."
        copies = standard_copies(settings, *options.extra_copies, f"{settings.communes_body};")
    else:
        closing = (f"{department} trả lời để {who} biết, thực hiện; trong quá trình thực hiện, nếu có khó khăn, vướng "
                   f"mắc, đề nghị liên hệ {department} để được hướng dẫn./.")
        copies = standard_copies(settings, *options.extra_copies)
    return Letter(settings=settings, date=options.date or dt.date.today(), subject=subject, addressees=addressees,
                  body=body, closing=closing, copies=copies, number=options.number,
                  signer_name=options.signer_name or None)


def _opening(options: ReplyOptions, settings: DocumentSettings, who: str, label: str) -> str:
    department = settings.department_name
    basis = (f"các khó khăn, vướng mắc và đề xuất, kiến nghị của {who} nêu tại Mục {REPORT_SECTION} báo cáo tự đánh giá "
             f"mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa kỳ {label} (số thứ tự nội dung theo "
             "báo cáo của từng địa phương)")
    if options.request_number or options.request_date:
        source = (options.request_from or options.to or "").strip()
        letter = f"Công văn số {options.request_number.strip() or '…'}"
        if options.request_date:
            letter += f" ngày {short_date(options.request_date)}"
        if options.request_about.strip():
            about = options.request_about.strip().rstrip(".;")
            letter += f" {about}" if fold(about).startswith("ve viec") else f" về việc {about}"
        if source:
            verb = "Thực hiện chỉ đạo của" if _is_direction(source) else "Theo đề nghị của"
            cited = f"{verb} {source} tại {letter}"
        else:
            cited = f"Thực hiện {letter}"
        return f"{cited}; trên cơ sở {basis}, {department} phúc đáp các nội dung thuộc chức năng, nhiệm vụ của Sở như sau:"
    return f"Trên cơ sở {basis}, {department} trả lời các nội dung thuộc chức năng, nhiệm vụ của Sở như sau:"


def _is_direction(source: str) -> bool:
    """«Chủ tịch UBND tỉnh», «UBND tỉnh»: a direction («Thực hiện chỉ đạo của»), not a request."""
    folded = fold(source)
    return folded.startswith(("chu tich", "ubnd", "uy ban nhan dan", "pho chu tich", "tinh uy", "thanh uy"))


def _grouped(petitions: list[Petition]) -> list[list[Petition]]:
    """Petitions asking the same thing (same words) and answered the same way share one item, in
    the order their first one comes; every other petition is an item of its own."""
    groups: dict[tuple, list[Petition]] = {}
    for petition in petitions:
        what = fold(_sentence(petition.proposal or petition.difficulty or ""))
        key = (what, petition.status, petition.forwarded_to or "", petition.response or "", petition.response_ref or "")
        groups.setdefault(key if what else ("#", petition.id), []).append(petition)
    return list(groups.values())


def _item_heading(number: int, group: list[Petition], communes: dict[str, Any] | None) -> tuple[str, str]:
    """«1. Kiến nghị của UBND xã Đăk Hà về việc … (nội dung III.1)», and for a shared item the
    communes with their numbers (in the heading up to :data:`MAX_IN_HEADING`, else listed below it)."""
    first = group[0]
    what = _lower_first(_sentence(first.proposal or first.difficulty or ""))
    if len(group) == 1:
        return (f"{number}. Kiến nghị của {_body_of(_name_of(first, communes))} về việc {what} "
                f"(nội dung {REPORT_SECTION}.{first.position + 1})"), ""
    cited = [f"{_lower_name(_name_of(p, communes))} (nội dung {REPORT_SECTION}.{p.position + 1})" for p in group]
    if len(group) <= MAX_IN_HEADING:
        return f"{number}. Kiến nghị của UBND {', '.join(cited[:-1])} và {cited[-1]} về việc {what}", ""
    kinds = dict.fromkeys(_kind_of(_name_of(p, communes)) for p in group)
    return (f"{number}. Kiến nghị của UBND {len(group)} {', '.join(k for k in kinds)} về việc {what}",
            f"Các đơn vị kiến nghị: {', '.join(cited)}.")


def _kind_of(name: str) -> str:
    """«Đặc khu Lý Sơn» -> «đặc khu»; «Phường Kon Tum» -> «phường»."""
    for kind in ("Đặc khu", "Phường", "Xã", "Thị trấn"):
        if name.startswith(kind + " "):
            return kind.lower()
    return "đơn vị"


def _lower_name(name: str) -> str:
    return name[:1].lower() + name[1:]


def _answer(petition: Petition, settings: DocumentSettings) -> list[Para]:
    department = settings.department_name
    ref = (petition.response_ref or "").strip()
    paragraphs = _paragraphs(petition.response)
    out: list[Para] = []
    if petition.status == "forwarded":
        agency = (petition.forwarded_to or "cơ quan có thẩm quyền").strip()
        sent = f"{department} đã chuyển {agency} xem xét, giải quyết theo thẩm quyền" + (f" ({ref})" if ref else "")
        out.append(Para("p", f"Nội dung kiến nghị thuộc chức năng, nhiệm vụ của {agency}; {sent}."))
        out += paragraphs
        return out
    out += paragraphs
    if ref:
        if paragraphs:
            out.append(Para("p", f"Nội dung này đã được {department} hướng dẫn tại {ref}."))
        else:
            out.append(Para("p", f"{department} đã có {ref} hướng dẫn địa phương thực hiện nội dung này."))
    if not out:
        out.append(Para("p", f"{department} đã trả lời địa phương."))
    if petition.status == "resolved":
        out.append(Para("p", "Đến nay, nội dung kiến nghị đã được giải quyết."))
    return out


def _paragraphs(response: str | None) -> list[Para]:
    """The recorded response, a paragraph per line; lines typed «- …» stay bullets; each ends with a stop."""
    out: list[Para] = []
    for line in (response or "").split("\n"):
        text = line.strip()
        if not text:
            continue
        bullet = text[:1] in "-–•"
        if bullet:
            text = text[1:].strip()
        text = _capitalized(text)
        if text[-1:] not in ".;:!?)":
            text += "."
        out.append(Para("bullet" if bullet else "p", text))
    return out


def _sentence(text: str) -> str:
    """A typed text as part of a sentence: one line, without its closing stop."""
    body = " ".join(text.split())
    while body[-1:] in (".", ";", ","):
        body = body[:-1].rstrip()
    return body


def _lower_first(text: str) -> str:
    """«Đề nghị hỗ trợ …» -> «đề nghị hỗ trợ …» after «về việc»; a name stays («Sở Tài chính …», «VNPT …»)."""
    words = text.split(" ", 2)
    if not words or not words[0]:
        return text
    first = words[0]
    if not first[:1].isupper() or (len(first) > 1 and not first[1:].islower()):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return first[:1].lower() + text[1:]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _name_of(petition: Petition, communes: dict[str, Any] | None) -> str:
    if communes and petition.commune_code in communes:
        return communes[petition.commune_code].name
    return petition.commune_name


def _body_of(name: str) -> str:
    """«Xã Đăk Hà» -> «UBND xã Đăk Hà»; «Đặc khu Lý Sơn» -> «UBND đặc khu Lý Sơn»."""
    return f"UBND {name[:1].lower()}{name[1:]}"


def _first_each(petitions: list[Petition]) -> list[Petition]:
    seen: dict[str, Petition] = {}
    for petition in petitions:
        seen.setdefault(petition.commune_code, petition)
    return list(seen.values())


def _communes_words(bodies: list[str], settings: DocumentSettings) -> str:
    """«UBND xã Đăk Hà», «UBND xã Đăk Hà, phường Kon Tum», or «UBND các xã, phường, đặc khu»."""
    if len(bodies) == 1:
        return bodies[0]
    if len(bodies) <= MAX_NAMED:
        return "UBND " + ", ".join(body[len("UBND "):] for body in bodies)
    return settings.communes_body


__all__ = ["ReplyOptions", "build_reply_letter", "reply_petitions"]
