"""The e-mails the department sends (issue 18): the reply to each submission (receipt, refusal, or a
revision held for decision) and the reminder to a commune that has not reported.

Plain text in Vietnamese (UTF-8), addressed from the mailbox's account in the department's name,
threaded to the commune's message (In-Reply-To, References).  A receipt carries the PDF of
:mod:`.receipt` (its facts attached, signed when the department's key is open).  Nothing a commune
typed reaches a header unchecked: the e-mail library refuses line breaks in headers, and the subject
and names are cleaned first.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import formataddr, format_datetime
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError, period_label

if TYPE_CHECKING:
    from ..service import Workspace
    from .mail_settings import MailSettings

FOOTER = ("Thư này do phần mềm «Sẵn sàng Một cửa» của {department} gửi tự động khi nhận thư của đơn vị; "
          "mỗi thư của đơn vị được trả lời một lần.")


def _unfolded(message: EmailMessage) -> EmailMessage:
    """Headers written unfolded (each under 998 characters): Python's folding of a long Vietnamese subject
    puts the space between two words outside the encoded words, where RFC 2047 readers drop it
    («tự đánhgiá» in the commune's mail program); one encoded word per header keeps every space."""
    import email.policy

    message.policy = email.policy.SMTP.clone(max_line_length=0)
    return message


def _headers(message: EmailMessage, settings: MailSettings, department: str, to: str, subject: str,
             message_id: str | None, in_reply_to: str | None = None) -> None:
    from ..text import clean

    message["From"] = formataddr((clean(department)[:120], settings.sender))
    message["To"] = to
    text = clean(subject)[:250]
    message["Subject"] = text[:1].upper() + text[1:]
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message["Auto-Submitted"] = "auto-replied" if in_reply_to else "auto-generated"


def _problem_lines(errors: list[dict[str, Any]]) -> list[str]:
    from .import_errors import CATALOGUE

    lines: list[str] = []
    for error in errors:
        where = ""
        if error.get("sheet"):
            where = f" (sheet «{error['sheet']}»" + (f", ô {error['cell']}" if error.get("cell") else "") + ")"
        text = str(error.get("message", ""))
        todo = CATALOGUE.get(error.get("code") or "", ("", ""))[1].strip()
        if todo and text.endswith(todo) and text[:-len(todo)].strip():  # said once, under «Cách xử lý»
            text = text[:-len(todo)].rstrip()
        lines.append(f"    - {text}{where}")
        if todo:
            lines.append(f"      Cách xử lý: {todo}")
    return lines


def _receipt_lines(facts: Any, sent_name: str | None = None) -> list[str]:
    from ..answers import format_number
    from .cycle import vn_datetime

    score = "—" if facts.score is None else f"{format_number(round(facts.score, 1))}/100"
    level = f", mức «{facts.level_label}»" if facts.level_label else ""
    return [
        f"  Đơn vị: {facts.commune_name} (mã {facts.commune_code})",
        f"  Kỳ báo cáo: {period_label(facts.period)}; lần gửi {facts.revision}",
        f"  Tệp: {sent_name or facts.file_name}",
        f"  Mã SHA-256 của tệp: {facts.file_sha256}",
        f"  Thời điểm nhận: {vn_datetime(facts.received_at)} (giờ Việt Nam)",
        f"  Chữ ký số của tệp: {facts.signature_label}",
        f"  Điểm tự đánh giá: {score}{level}",
        f"  Thời hạn: {facts.timeliness_text}",
    ]


def build_reply(workspace: Workspace, settings: MailSettings, record: Any, *, signer: Any = None) -> EmailMessage:
    """The one reply to a recorded message (its ``reply_message_id`` and ``reply_address``)."""
    from ..document_settings import load_settings
    from ..text import clean
    from .receipt import ReceiptOptions, receipt_file_name, receipt_pdf, receipts

    documents = load_settings(workspace.store)
    department = documents.department_full_name or documents.department_name
    message = EmailMessage()
    greeting = f"Kính gửi: {clean(record.sender_name)}" if record.sender_name else "Kính gửi: Quý đơn vị"
    received = f"ngày {record.sent_at.astimezone(dt.timezone(dt.timedelta(hours=7))):%d/%m/%Y}" if record.sent_at else ""
    subject_quote = f"«{clean(record.subject)[:120]}»" if record.subject else "(không có tiêu đề)"
    the_message = " ".join(part for part in (f"thư {subject_quote}", received) if part)
    lines = [greeting + ",", ""]
    pdfs: list[tuple[str, bytes]] = []
    files = list(record.files or [])
    if record.state == "too_large":
        subject = "Chưa nhận được kết quả tự đánh giá: thư quá lớn"
        lines += [f"{department} đã nhận {the_message} nhưng thư lớn hơn giới hạn "
                  f"{settings.max_message_mb} MB nên chưa được tải về và chưa được tiếp nhận.",
                  "Đề nghị đơn vị gửi lại thư chỉ đính kèm tệp Excel xuất từ phần mềm «Sẵn sàng Một cửa» "
                  "(thường dưới 1 MB), không kèm ảnh hay tệp khác."]
    else:
        accepted = [f for f in files if f.get("status") in ("imported", "updated", "duplicate")]
        refused = [f for f in files if f.get("status") == "rejected"]
        held = [f for f in files if f.get("status") == "held"]
        if accepted:
            labels = sorted({period_label(f["period"]) for f in accepted if f.get("period")})
            subject = f"Đã nhận kết quả tự đánh giá kỳ {', '.join(labels)}"
            lines.append(f"{department} đã tiếp nhận kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT của "
                         f"Bộ phận Một cửa đơn vị gửi bằng {the_message}:")
            for f in accepted:
                lines.append("")
                try:
                    chosen = receipts(workspace, f["period"], ReceiptOptions(codes=(f["commune"],),
                                                                           revision=f.get("revision")), documents)
                except StoreError as error:
                    lines += [f"  Tệp «{f['file']}»: đã tiếp nhận ({error.message})"]
                    continue
                facts = chosen[0].facts
                lines += _receipt_lines(facts, f.get("file"))
                if f.get("status") == "duplicate":
                    lines.append("  (Tệp này trùng với bản Sở đã nhận trước đó.)")
                data, _signed = receipt_pdf(chosen, signer=signer, settings=documents)
                pdfs.append((receipt_file_name(facts), data))
            lines += ["", "Giấy xác nhận của Sở (tệp PDF) gửi kèm thư này"
                      + (", có chữ ký số của Sở" if signer is not None else "")
                      + ". Đơn vị đối chiếu mã SHA-256 với tệp đã gửi bằng phần mềm (Tệp › Kiểm tra giấy xác nhận "
                        "của Sở) hoặc lệnh «readiness receipt check»."]
        elif held:
            subject = "Đã nhận bản sửa kết quả tự đánh giá: chờ Sở xem xét"
        else:
            subject = "Chưa tiếp nhận được kết quả tự đánh giá: đề nghị gửi lại"
            lines.append(f"{department} đã nhận {the_message} nhưng chưa tiếp nhận được tệp đính kèm, "
                         "vì các lý do dưới đây. Đề nghị đơn vị xử lý rồi gửi lại:")
        if held:
            lines.append("")
            for f in held:
                reason = (f.get("held") or {}).get("reason") or ""
                lines += [f"Tệp «{f['file']}» đã được nhận nhưng chưa thay bản đơn vị đã gửi trước: {reason}",
                          "Sở sẽ xem xét và liên hệ với đơn vị; đơn vị không cần gửi lại."]
        if refused and (accepted or held):
            lines += ["", "Các tệp khác trong thư chưa được tiếp nhận:"]
        for f in refused:
            lines += ["", f"  Tệp «{f['file']}»:", *_problem_lines(f.get("errors") or [])]
    lines += ["", "Trân trọng.", "", department, "", FOOTER.format(department=department)]
    _headers(message, settings, department, record.reply_address, subject, record.reply_message_id,
             record.message_id if record.message_id and record.message_id.startswith("<") else None)
    message.set_content("\n".join(lines))
    for name, data in pdfs:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return _unfolded(message)


def build_reminder_mail(reminder_: Any, target: Any, address: str, settings: MailSettings, *, pdf: bytes | None,
                        message_id: str) -> EmailMessage:
    """The reminder to one commune: the letter's facts in the text, the Công văn (PDF) attached."""
    from .cycle import vn_date
    from .reminder import reminder_file_name

    documents = reminder_.settings
    department = documents.department_full_name or documents.department_name
    label = period_label(reminder_.period)
    group_text = {
        "missing": f"Đến nay {department} chưa nhận được kết quả tự đánh giá kỳ {label} của đơn vị.",
        "refused": f"Tệp kết quả tự đánh giá kỳ {label} đơn vị đã gửi chưa được tiếp nhận (tệp bị từ chối).",
        "held": f"Bản sửa kết quả tự đánh giá kỳ {label} của đơn vị đang được giữ lại chờ Sở xem xét.",
    }.get(target.group, f"Đề nghị đơn vị gửi kết quả tự đánh giá kỳ {label}.")
    lines = [f"Kính gửi: {target.body_name},", "", group_text,
             f"Đề nghị đơn vị hoàn thành tự đánh giá trên phần mềm «Sẵn sàng Một cửa», xuất tệp gửi Sở và gửi về "
             f"địa chỉ {settings.sender} trước ngày {vn_date(reminder_.new_deadline)}.",
             "", "Công văn đôn đốc của Sở gửi kèm thư này (tệp PDF)." if pdf else "",
             "", "Trân trọng.", "", department]
    message = EmailMessage()
    _headers(message, settings, department, address, reminder_.letter.subject, message_id)
    message.set_content("\n".join(line for line in lines if line is not None))
    if pdf:
        message.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=reminder_file_name(reminder_.period, "pdf"))
    return _unfolded(message)


__all__ = ["build_reminder_mail", "build_reply"]
