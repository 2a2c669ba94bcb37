"""The reminder: the department's Công văn chasing the communes that have not reported (issue 14 §3).

«V/v đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ 12/2025», to the communes of
the scope that

- sent nothing (``missing``: nothing finalized reached the department);
- sent a file that was refused (``refused``: each with the file, the day and the reason, so they can
  mend it);
- sent a newer revision that is held by the signature policy (``held``: the signed revision stays in
  use; they are asked to sign the new one with their organisation's certificate, or confirm it).

Each group is its own numbered part with its own words and a table of the communes with their
contact: the respondent of the commune's latest finalized assessment in any period (name, position,
phone, e-mail).  The letter states where the period stands (received, on time, late), the new
deadline, «Nơi nhận» and the signer from the document settings.

:func:`reminder` gathers it (the facts, per commune, for a mail sender as well as for the letter);
:func:`write_reminder` writes Word (editable), PDF and the contact list as a workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exchange.letter import Letter, Para, Table, standard_copies
from ..store.db import StoreError, period_label, validate_period
from .cycle import CommuneCycle, CycleSummary, vn_date, vn_datetime

if TYPE_CHECKING:
    from ..document_settings import DocumentSettings
    from ..register import Commune
    from ..service import Workspace
    from ..store.imports import HeldInfo

GROUPS = ("missing", "refused", "held")
GROUP_TITLES = {
    "missing": "Các đơn vị chưa gửi kết quả tự đánh giá",
    "refused": "Các đơn vị đã gửi tệp kết quả nhưng chưa được tiếp nhận",
    "held": "Các đơn vị có bản sửa chưa được tiếp nhận",
}
GROUP_LABELS = {"missing": "Chưa nộp", "refused": "Tệp bị từ chối", "held": "Bản sửa bị giữ lại"}
WORKING_DAYS = 5  # the default new deadline: this many working days after the letter's date
MAX_ADDRESSEES = 4  # communes named one by one in «Kính gửi»; more: «… có tên tại danh sách kèm theo»


@dataclass(frozen=True)
class Contact:
    """Who answered for a commune last (its latest finalized assessment, in any period)."""

    name: str = ""
    position: str = ""
    phone: str = ""
    email: str = ""
    period: str | None = None  # where it comes from
    revision: int | None = None

    @property
    def known(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name or None, "position": self.position or None, "phone": self.phone or None,
                "email": self.email or None, "period": self.period, "revision": self.revision}


@dataclass(frozen=True)
class ReminderTarget:
    """One commune the reminder is for, why, and whom to reach."""

    commune: Commune
    group: str  # missing / refused / held
    contact: Contact
    cycle: CommuneCycle | None
    detail: str  # the file refused and why, the revision held and why; empty for «missing»
    held: tuple[HeldInfo, ...] = ()

    @property
    def body_name(self) -> str:
        """«UBND xã Đăk Hà»."""
        return f"UBND {self.commune.name[:1].lower()}{self.commune.name[1:]}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.commune.code, "name": self.commune.name, "group": self.group,
                "group_label": GROUP_LABELS[self.group], "detail": self.detail or None,
                "contact": self.contact.to_dict(), "cycle": self.cycle.to_dict() if self.cycle else None}


@dataclass
class ReminderOptions:
    date: dt.date | None = None  # the letter's date (default today)
    new_deadline: dt.date | None = None  # default: the period's deadline if still ahead, else 5 working days on
    number: str = ""
    signer_name: str | None = None
    province: str | None = None  # default: the settings' home province
    codes: tuple[str, ...] = ()  # only these communes (of those to remind)
    groups: tuple[str, ...] = GROUPS  # which groups to write to


@dataclass
class Reminder:
    """What :func:`reminder` gathered: the facts and the letter built from them."""

    period: str
    date: dt.date
    new_deadline: dt.date
    summary: CycleSummary
    targets: list[ReminderTarget]
    letter: Letter
    settings: DocumentSettings = field(repr=False)

    def group(self, name: str) -> list[ReminderTarget]:
        return [target for target in self.targets if target.group == name]

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "date": self.date.isoformat(), "new_deadline": self.new_deadline.isoformat(),
                "summary": self.summary.to_dict(), "subject": self.letter.subject,
                "communes": [target.to_dict() for target in self.targets],
                "counts": {name: len(self.group(name)) for name in GROUPS}}


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day (Monday–Friday) after ``day``."""
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def contacts(workspace: Workspace, codes: list[str]) -> dict[str, Contact]:
    """Code -> the commune's contact (an empty :class:`Contact` where none is known)."""
    from ..store.cycle import latest_contacts
    from ..text import clean

    from ..store.mailbox import commune_contacts

    found = latest_contacts(workspace.store, codes)
    kept = commune_contacts(workspace.store, codes)  # the department's own (readiness contacts): first, field by field
    out: dict[str, Contact] = {}
    for code in codes:
        record = found.get(code)
        own = kept.get(code)
        if record is None and own is None:
            out[code] = Contact()
            continue
        values = {key: clean(str(value)) if isinstance(value, str) else ""
                  for key, value in (record.values if record else {}).items()}
        out[code] = Contact((own and own.name) or values.get("respondent_name", ""),
                            (own and own.position) or values.get("respondent_position", ""),
                            (own and own.phone) or values.get("respondent_phone", ""),
                            (own and own.email) or values.get("respondent_email", ""),
                            record.period if record else None, record.revision if record else None)
    return out


def reminder(workspace: Workspace, period: str, options: ReminderOptions | None = None,
             settings: DocumentSettings | None = None) -> Reminder:
    """Who is to be reminded for ``period``, their contacts, and the letter (raises :class:`StoreError`
    ``E-REMIND-NONE`` when every commune in scope has reported)."""
    from ..document_settings import load_settings
    from .status import StatusFilters, period_status

    options = options or ReminderOptions()
    period = validate_period(period)
    settings = settings or load_settings(workspace.store)
    province = options.province or settings.home_province
    status = period_status(workspace, period, StatusFilters(province=None if province == "all" else province))
    wanted = set(options.codes)
    unknown = wanted - {row.code for row in status.rows}
    if unknown:
        raise StoreError("E-REMIND-COMMUNE", f"Không có đơn vị mã {', '.join(sorted(unknown))} trong phạm vi "
                         "(tỉnh của Sở); kiểm tra mã xã hoặc dùng --province.")
    communes = {c.code: c for c in workspace.store.all_communes()}
    chosen: list[tuple[Any, str]] = []
    for row in status.rows:
        if wanted and row.code not in wanted:
            continue
        cycle = row.cycle
        if cycle is None:
            continue
        if cycle.state == "held":
            group = "held"
        elif cycle.state == "refused":
            group = "refused"
        elif not cycle.received:
            group = "missing"
        else:
            continue
        if group in options.groups:
            chosen.append((row, group))
    label = period_label(period)
    if not chosen:
        raise StoreError("E-REMIND-NONE", f"Không có đơn vị nào cần đôn đốc trong kỳ {label}: các đơn vị trong phạm vi "
                         "đã gửi kết quả và đã được tiếp nhận.")
    found = contacts(workspace, [row.code for row, _ in chosen])
    targets = [ReminderTarget(communes[row.code], group, found[row.code], row.cycle, _detail(row, group),
                              tuple(row.held)) for row, group in chosen]
    date = options.date or dt.date.today()
    new_deadline = options.new_deadline or _default_deadline(status.deadline, date)
    if new_deadline < date:
        raise StoreError("E-REMIND-DEADLINE", f"Hạn mới {vn_date(new_deadline)} trước ngày của công văn "
                         f"{vn_date(date)}; chọn một ngày từ {vn_date(date)} trở đi.")
    assert status.cycle is not None
    letter = build_reminder_letter(period, targets, status.cycle, settings, date=date, new_deadline=new_deadline,
                                   number=options.number, signer_name=options.signer_name)
    return Reminder(period, date, new_deadline, status.cycle, targets, letter, settings)


def _default_deadline(deadline: dt.date | None, date: dt.date) -> dt.date:
    if deadline is not None and deadline >= date:
        return deadline
    return working_days_after(date, WORKING_DAYS)


def _detail(row: Any, group: str) -> str:
    cycle = row.cycle
    if group == "refused" and cycle.refused:
        last = cycle.refused[-1]
        reason = " ".join((last.message or "").split())
        more = f" (và {len(cycle.refused) - 1} tệp khác)" if len(cycle.refused) > 1 else ""
        return f"Tệp «{last.file_name}» gửi ngày {vn_datetime(last.at)[:10]}{more}: {reason or last.code or ''}".rstrip(": ")
    if group == "held" and row.held:
        held = row.held[-1]
        return (f"Bản sửa lần {held.revision} («{held.file_name}», nhận ngày {vn_datetime(held.held_at)[:10]}): "
                f"{' '.join(held.reason.split())}")
    return ""


def _pct(part: int, whole: int) -> str:
    from ..answers import format_number

    return f"{format_number(round(100 * part / whole, 1))}%" if whole else "0%"


def build_reminder_letter(period: str, targets: list[ReminderTarget], summary: CycleSummary,
                          settings: DocumentSettings, *, date: dt.date, new_deadline: dt.date, number: str = "",
                          signer_name: str | None = None) -> Letter:
    """The Công văn: where the period stands, one part per group with its table, the new deadline."""
    label = period_label(period)
    department = settings.department_name
    groups = [(name, [t for t in targets if t.group == name]) for name in GROUPS]
    groups = [(name, members) for name, members in groups if members]
    if len(targets) <= MAX_ADDRESSEES:
        addressees = tuple(target.body_name for target in targets)
    else:
        addressees = (f"{settings.communes_body} có tên tại danh sách dưới đây",)
    subject = f"đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ {label}"
    asked = (f" trước ngày {vn_date(summary.deadline)}" if summary.deadline else "")
    body: list[Any] = [Para("p", (
        f"Thực hiện chế độ báo cáo định kỳ hằng tháng về mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một "
        f"cửa cấp xã, {department} đề nghị {settings.communes_body} gửi kết quả tự đánh giá kỳ {label}{asked} "
        f"(tệp Excel xuất từ phần mềm «Sẵn sàng Một cửa», đã ký số bằng chứng thư số của đơn vị)."))]
    body.append(Para("p", _standing(summary, date, department)))
    for index, (name, members) in enumerate(groups, start=1):
        number_prefix = f"{index}. " if len(groups) > 1 else ""
        body.append(Para("heading", f"{number_prefix}{GROUP_TITLES[name]} ({len(members)} đơn vị)"))
        body.append(Para("p", _group_words(name, len(members), settings)))
        body.append(_table(name, members))
    body.append(Para("p", (
        f"Đề nghị UBND các đơn vị nêu trên chỉ đạo Bộ phận Một cửa hoàn thành và gửi kết quả tự đánh giá kỳ {label} về "
        f"{department} chậm nhất ngày {vn_date(new_deadline)}. Khi xuất tệp từ phần mềm, đơn vị ký số tệp bằng chứng thư "
        f"số của cơ quan (Ban Cơ yếu Chính phủ cấp) và không sửa tệp sau khi ký. Sau khi tiếp nhận, {department} gửi "
        "Giấy xác nhận đã nhận kết quả tự đánh giá để đơn vị đối chiếu.")))
    closing = f"{department} đề nghị UBND các đơn vị quan tâm, thực hiện./."
    return Letter(settings=settings, date=date, subject=subject, addressees=addressees, body=body, closing=closing,
                  copies=standard_copies(settings), number=number, signer_name=signer_name or None)


def _standing(summary: CycleSummary, date: dt.date, department: str) -> str:
    """«Đến ngày 06/01/2026, Sở … đã nhận kết quả của 50/96 đơn vị (52,1%), trong đó 41 đơn vị gửi đúng hạn,
    9 đơn vị gửi sau hạn; còn 46 đơn vị chưa gửi hoặc chưa được tiếp nhận.»"""
    text = f"Đến ngày {vn_date(date)}, {department} "
    if summary.received:
        text += f"đã nhận kết quả của {summary.received}/{summary.expected} đơn vị ({_pct(summary.received, summary.expected)})"
        if summary.deadline is not None:
            parts = []
            if summary.on_time:
                parts.append(f"{summary.on_time} đơn vị gửi đúng hạn")
            if summary.late:
                parts.append(f"{summary.late} đơn vị gửi sau hạn")
            if parts:
                text += ", trong đó " + ", ".join(parts)
        missing = summary.missing + summary.held
        if missing:
            text += f"; còn {missing} đơn vị chưa gửi hoặc chưa được tiếp nhận đầy đủ"
    else:
        text += f"chưa nhận được kết quả của đơn vị nào trong số {summary.expected} đơn vị"
    return text + "."


def _group_words(name: str, count: int, settings: DocumentSettings) -> str:
    department = settings.department_name
    these = "Đơn vị sau" if count == 1 else f"{count} đơn vị sau"
    if name == "missing":
        return f"{these} chưa gửi kết quả tự đánh giá về {department}:"
    if name == "refused":
        return (f"{these} đã gửi tệp kết quả nhưng tệp không hợp lệ nên chưa được tiếp nhận (lý do ghi tại bảng). Đề "
                "nghị đơn vị xuất lại tệp từ phần mềm (không sửa tệp bằng Excel sau khi xuất), ký số và gửi lại:")
    return (f"{these} đã gửi bản sửa kết quả tự đánh giá nhưng bản sửa chưa được tiếp nhận vì chưa ký số, hoặc ký bằng "
            f"chứng thư số khác với bản đã gửi trước; {department} đang dùng bản đã ký số trước đó. Đề nghị đơn vị ký số "
            "bản sửa bằng chứng thư số của cơ quan rồi gửi lại, hoặc liên hệ để xác nhận bản sửa:")


def _contact_cell(contact: Contact) -> str:
    if not contact.known:
        return "—"
    lines = [part for part in (contact.name, contact.position) if part]
    return ", ".join(lines) or "—"


def _table(name: str, members: list[ReminderTarget]) -> Table:
    if name == "missing":
        rows = tuple((str(i), t.commune.name, _contact_cell(t.contact), t.contact.phone or "—", t.contact.email or "—")
                     for i, t in enumerate(members, start=1))
        return Table(("STT", "Đơn vị", "Người liên hệ (lần gửi gần nhất)", "Điện thoại", "Thư điện tử"), rows,
                     (0.7, 2.2, 2.9, 1.6, 3.4), centred=(0,))
    rows = tuple((str(i), t.commune.name, t.detail or "—", _contact_cell(t.contact),
                  " ".join(part for part in (t.contact.phone, t.contact.email) if part) or "—")
                 for i, t in enumerate(members, start=1))
    return Table(("STT", "Đơn vị", "Lý do chưa tiếp nhận" if name == "refused" else "Bản sửa bị giữ lại",
                  "Người liên hệ", "Điện thoại, thư điện tử"), rows, (0.8, 2.0, 3.9, 2.0, 2.3), centred=(0,))


# -- the files ------------------------------------------------------------------------------------------


CONTACT_HEADERS = ("STT", "Mã xã", "Đơn vị", "Tình trạng", "Chi tiết", "Người liên hệ", "Chức vụ", "Điện thoại",
                   "Thư điện tử", "Theo kết quả kỳ")


def contact_rows(reminder_: Reminder) -> list[list[Any]]:
    """The contact list's rows (what the workbook holds)."""
    rows = []
    for index, target in enumerate(reminder_.targets, start=1):
        contact = target.contact
        source = ""
        if contact.period:
            source = period_label(contact.period) + (f", lần {contact.revision}" if contact.revision else "")
        rows.append([index, target.commune.code, target.commune.name, GROUP_LABELS[target.group], target.detail,
                     contact.name, contact.position, contact.phone, contact.email, source])
    return rows


def write_contacts_xlsx(reminder_: Reminder, path: str | Path) -> Path:
    """The communes to remind and their contacts, one row each (every text through :mod:`readiness.xlsx_cells`)."""
    from ..exchange.xlsx import atomic_write
    from ..xlsx_cells import row_of, save_workbook, text_cell

    def write(temp: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        book = Workbook(write_only=True)
        ws = book.create_sheet("Đôn đốc")
        label = period_label(reminder_.period)
        widths = (6, 9, 28, 16, 60, 24, 24, 15, 30, 14)
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        ws.freeze_panes = "D3"
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        title = text_cell(ws, f"Danh sách đơn vị cần đôn đốc gửi kết quả tự đánh giá kỳ {label} "
                              f"(hạn mới {vn_date(reminder_.new_deadline)}; lập ngày {vn_date(reminder_.date)})")
        title.font = Font(bold=True, size=12)
        ws.append([title])
        header = []
        for text in CONTACT_HEADERS:
            cell = text_cell(ws, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9E1F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        ws.append(header)
        for values in contact_rows(reminder_):
            ws.append(row_of(ws, values))
        ws.auto_filter.ref = f"A2:J{len(reminder_.targets) + 2}"
        book.properties.title = f"Đôn đốc gửi kết quả tự đánh giá kỳ {label}"
        book.properties.creator = "Sẵn sàng Một cửa — Sở Khoa học và Công nghệ"
        save_workbook(book, temp)

    def check(temp: Path) -> None:
        import zipfile

        from ..exchange.errors import ExchangeError

        try:
            with zipfile.ZipFile(temp) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no xl/workbook.xml")
        except zipfile.BadZipFile as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Tệp Excel vừa ghi không đầy đủ ({error}); tệp chưa được lưu.",
                                file=path) from None

    return atomic_write(Path(path), write, check)


def write_reminder(reminder_: Reminder, *, docx: str | Path | None = None, pdf: str | Path | None = None,
                   xlsx: str | Path | None = None) -> list[Path]:
    """Write the letter (Word, PDF) and the contact list (Excel) asked for; returns the paths written."""
    from ..exchange.letter import write_letter

    written = write_letter(reminder_.letter, docx=docx, pdf=pdf)
    if xlsx is not None:
        written.append(write_contacts_xlsx(reminder_, xlsx))
    return written


def reminder_file_name(period: str, fmt: str) -> str:
    """``don-doc_2025-12.docx``."""
    return f"don-doc_{validate_period(period)}.{fmt}"


__all__ = ["CONTACT_HEADERS", "Contact", "GROUPS", "GROUP_LABELS", "Reminder", "ReminderOptions", "ReminderTarget",
           "build_reminder_letter", "contact_rows", "contacts", "reminder", "reminder_file_name", "working_days_after",
           "write_contacts_xlsx", "write_reminder"]
