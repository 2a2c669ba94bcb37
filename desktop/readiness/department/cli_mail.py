"""CLI of the official mailbox (issue 18): ``inbox setup|check|fetch|list|retry`` and ``contacts list|set|clear``.

Each command sets ``handler(args) -> int``: 0 done, 1 refused or something to look at (a message
refused, a reply not sent), 2 usage.  Text output is Vietnamese; ``--json`` prints the core's dicts.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _workspace(args: argparse.Namespace):
    from ..service import Workspace

    return Workspace.open(args.db)


def _day(text: str):
    from ..store.db import StoreError
    from .cycle import parse_date

    try:
        return parse_date(text)
    except StoreError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def add_mail_commands(subparsers: Any) -> None:
    parser_class = getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    inbox = subparsers.add_parser(
        "inbox",
        description="Nhận kết quả tự đánh giá các xã gửi qua thư điện tử công vụ: readiness inbox setup (một lần), rồi "
                    "readiness inbox fetch. Mỗi thư được nhập một lần và được trả lời một lần (giấy xác nhận, hoặc lý "
                    "do chưa tiếp nhận), kể cả khi chạy lại.")
    commands = inbox.add_subparsers(dest="inbox_command", metavar="LỆNH", required=True, parser_class=parser_class)
    setup = commands.add_parser(
        "setup", help="máy chủ thư, tài khoản, mật khẩu (trong kho mật khẩu của hệ điều hành)",
        description="Không có tuỳ chọn: xem thiết lập. Mật khẩu không bao giờ được ghi vào cơ sở dữ liệu hay tệp: "
                    "--password hỏi mật khẩu (không hiện khi gõ) và cất vào kho mật khẩu của hệ điều hành; hoặc "
                    "--password-env TÊN_BIẾN: đọc từ biến môi trường đó khi chạy.")
    setup.add_argument("--host", default=None, metavar="MÁY_CHỦ", help="máy chủ IMAP (vd. mail.quangngai.gov.vn)")
    setup.add_argument("--port", type=int, default=None, metavar="CỔNG",
                       help="cổng IMAP (993 với ssl, 143 với starttls)")
    setup.add_argument("--security", choices=("ssl", "starttls"), default=None,
                       help="IMAP: ssl (mặc định) hoặc starttls")
    setup.add_argument("--user", default=None, metavar="TÀI_KHOẢN", help="tài khoản hộp thư của Sở")
    setup.add_argument("--smtp-host", default=None, metavar="MÁY_CHỦ", help="máy chủ gửi thư (mặc định: như IMAP)")
    setup.add_argument("--smtp-port", type=int, default=None, metavar="CỔNG", help="mặc định 587")
    setup.add_argument("--smtp-security", choices=("starttls", "ssl"), default=None, help="mặc định starttls")
    setup.add_argument("--smtp-user", default=None, metavar="TÀI_KHOẢN", help="mặc định: như IMAP")
    setup.add_argument("--from", dest="from_address", default=None, metavar="ĐỊA_CHỈ",
                       help="địa chỉ gửi thư trả lời (mặc định: tài khoản)")
    setup.add_argument("--ca-file", default=None, metavar="TỆP.pem",
                       help="chứng chỉ CA riêng của máy chủ thư của Sở (\"\" để bỏ)")
    setup.add_argument("--folder", default=None, metavar="THƯ_MỤC", help="thư mục đọc (mặc định INBOX)")
    setup.add_argument("--processed", choices=("flag", "move"), default=None,
                       help="thư đã xử lý: gắn cờ (flag, mặc định) hoặc chuyển sang thư mục (move)")
    setup.add_argument("--processed-folder", default=None, metavar="THƯ_MỤC",
                       help="với --processed move: thư mục chuyển thư đến")
    setup.add_argument("--sent-folder", default=None, metavar="THƯ_MỤC",
                       help="lưu bản sao thư trả lời (mặc định Sent; \"\" để không lưu)")
    setup.add_argument("--max-mb", type=int, default=None, metavar="MB", help="thư lớn hơn không tải về (mặc định 25)")
    setup.add_argument("--attachments-dir", default=None, metavar="THƯ_MỤC", help="nơi lưu tệp đính kèm")
    setup.add_argument("--password", action="store_true", help="hỏi mật khẩu và cất vào kho mật khẩu của hệ điều hành")
    setup.add_argument("--password-env", default=None, metavar="TÊN_BIẾN",
                       help="đọc mật khẩu từ biến môi trường này (\"\" để dùng kho mật khẩu)")
    setup.add_argument("--json", action="store_true")
    setup.set_defaults(handler=cmd_inbox_setup, func=cmd_inbox_setup)

    check = commands.add_parser("check", help="thử đăng nhập máy chủ IMAP và SMTP (không đọc, không gửi thư)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_inbox_check, func=cmd_inbox_check)

    fetch = commands.add_parser(
        "fetch", help="nhận thư, nhập các tệp đính kèm, trả lời từng thư (giấy xác nhận hoặc lý do từ chối)",
        description="Đọc các thư chưa xử lý trong thư mục, nhập tệp Excel đính kèm như «readiness import» (cùng các bước "
                    "kiểm tra), trả lời người gửi một lần, rồi gắn cờ hoặc chuyển thư. Thư không có tệp đính kèm: liệt "
                    "kê và để nguyên. Mã thoát 0: mọi thư đã tiếp nhận và trả lời; 1: có thư bị từ chối, bị giữ lại, "
                    "hoặc thư trả lời chưa gửi được.")
    fetch.add_argument("--folder", default=None, metavar="THƯ_MỤC", help="mặc định: theo thiết lập (INBOX)")
    fetch.add_argument("--since", type=_day, default=None, metavar="NGÀY", help="chỉ thư từ ngày này (dd/mm/yyyy)")
    fetch.add_argument("--no-reply", action="store_true", help="không gửi thư trả lời (nhập và ghi nhận thôi)")
    fetch.add_argument("--no-sign", action="store_true", help="không ký số giấy xác nhận gửi kèm")
    fetch.add_argument("--jobs", type=int, default=None, metavar="N", help="số tiến trình kiểm tra tệp")
    fetch.add_argument("--json", action="store_true")
    fetch.set_defaults(handler=cmd_inbox_fetch, func=cmd_inbox_fetch)

    listing = commands.add_parser("list", help="các thư đã nhận và kết quả (mới nhất trước)")
    listing.add_argument("--period", default=None, metavar="YYYY-MM")
    listing.add_argument("--commune", default=None, metavar="CODE")
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="số thư tối đa (mặc định 50)")
    listing.add_argument("--to-resend", action="store_true",
                         help="chỉ thư có thư trả lời cần gửi lại bằng tay (máy chủ đã từ chối nhiều lần)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_inbox_list, func=cmd_inbox_list)

    retry = commands.add_parser(
        "retry", help="gửi lại thư trả lời đã bị máy chủ từ chối nhiều lần (ở lần nhận thư sau)",
        description="Thư trả lời bị máy chủ từ chối ba lần nhận thư liền thì không gửi tự động nữa và được liệt kê "
                    "«cần gửi lại bằng tay» (readiness inbox list --to-resend). Sau khi sửa nguyên nhân (địa chỉ, hộp "
                    "thư đầy), lệnh này cho lần nhận thư sau gửi lại.")
    retry.add_argument("ids", type=int, nargs="+", metavar="SỐ", help="số thư trong readiness inbox list")
    retry.set_defaults(handler=cmd_inbox_retry, func=cmd_inbox_retry)

    contacts = subparsers.add_parser(
        "contacts",
        description="Liên hệ Sở nhập cho một xã được dùng trước người trả lời trong phiếu gần nhất; công văn đôn đốc và "
                    "thư nhắc (readiness remind --send) dùng địa chỉ này.")
    ccommands = contacts.add_subparsers(dest="contacts_command", metavar="LỆNH", required=True, parser_class=parser_class)
    clist = ccommands.add_parser("list", help="liên hệ của các xã")
    clist.add_argument("--commune", action="append", default=None, metavar="CODE")
    clist.add_argument("--province", default=None, metavar="CODE", help="mã tỉnh, hoặc all (mặc định: tỉnh của Sở)")
    clist.add_argument("--missing", action="store_true", help="chỉ các xã chưa có địa chỉ thư điện tử")
    clist.add_argument("--json", action="store_true")
    clist.set_defaults(handler=cmd_contacts_list, func=cmd_contacts_list)
    cset = ccommands.add_parser("set", help="ghi liên hệ của một xã (để trống một trường: xoá trường đó)")
    cset.add_argument("commune", metavar="CODE", help="mã xã (5 chữ số)")
    cset.add_argument("--name", default=None, metavar="HỌ_TÊN", help="người liên hệ")
    cset.add_argument("--position", default=None, metavar="CHỨC_VỤ", help="chức vụ")
    cset.add_argument("--phone", default=None, metavar="SỐ", help="số điện thoại")
    cset.add_argument("--email", default=None, metavar="ĐỊA_CHỈ",
                      help="một hoặc nhiều địa chỉ, cách nhau bằng dấu phẩy")
    cset.add_argument("--note", default=None, metavar="GHI_CHÚ", help="ghi chú")
    cset.add_argument("--json", action="store_true")
    cset.set_defaults(handler=cmd_contacts_set, func=cmd_contacts_set)
    cclear = ccommands.add_parser("clear", help="bỏ liên hệ Sở đã nhập (trở về theo phiếu gần nhất)")
    cclear.add_argument("commune", metavar="CODE", help="mã xã (5 chữ số)")
    cclear.set_defaults(handler=cmd_contacts_clear, func=cmd_contacts_clear)


# -- inbox ----------------------------------------------------------------------------------------------


def cmd_inbox_setup(args: argparse.Namespace) -> int:
    from .mail_settings import changed, load_mail_settings, password_source, save_mail_settings, store_password

    workspace = _workspace(args)
    try:
        current = load_mail_settings(workspace.store)
        settings = changed(current, imap_host=args.host, imap_port=args.port, imap_security=args.security,
                           user=args.user, smtp_host=args.smtp_host, smtp_port=args.smtp_port,
                           smtp_security=args.smtp_security, smtp_user=args.smtp_user, from_address=args.from_address,
                           ca_file=args.ca_file, folder=args.folder, processed=args.processed,
                           processed_folder=args.processed_folder, sent_folder=args.sent_folder,
                           max_message_mb=args.max_mb, attachments_dir=args.attachments_dir,
                           password_env=args.password_env)
        if args.security == "starttls" and args.port is None and current.imap_port == 993:
            settings = changed(settings, imap_port=143)
        if args.smtp_security == "ssl" and args.smtp_port is None and current.smtp_port == 587:
            settings = changed(settings, smtp_port=465)
        if settings != current:
            save_mail_settings(workspace.store, settings)
        if args.password:
            settings.check()
            if not sys.stdin.isatty():
                secret = sys.stdin.readline().rstrip("\r\n")
            else:
                secret = getpass.getpass(f"Mật khẩu hộp thư {settings.user}: ")
            if not secret:
                from ..store.db import StoreError

                raise StoreError("E-MAIL-PASSWORD", "Mật khẩu trống: chưa lưu gì.")
            store_password(settings, secret)
    finally:
        workspace.close()
    if args.json:
        _print_json({"ok": True, "settings": settings.to_dict()})
        return EXIT_OK
    if not settings.configured:
        print("Chưa thiết lập hộp thư công vụ: readiness inbox setup --host MÁY_CHỦ --user TÀI_KHOẢN --password")
        return EXIT_OK
    print(f"Hộp thư công vụ: {settings.user}")
    print(f"  Nhận thư (IMAP): {settings.imap_host}:{settings.imap_port} ({settings.imap_security}), thư mục "
          f"«{settings.folder}»")
    print(f"  Gửi thư (SMTP): {settings.smtp_server}:{settings.smtp_port} ({settings.smtp_security}), tài khoản "
          f"{settings.smtp_account}, địa chỉ gửi {settings.sender}")
    print("  Chứng chỉ TLS: " + (f"kiểm tra theo tệp CA {settings.ca_file}" if settings.ca_file
                                  else "kiểm tra theo chứng chỉ tin cậy của hệ điều hành"))
    print(f"  Mật khẩu: {password_source(settings)}")
    done = "gắn cờ" if settings.processed == "flag" else f"chuyển sang thư mục «{settings.processed_folder}»"
    print(f"  Thư đã xử lý: {done}; thư lớn hơn {settings.max_message_mb} MB không tải về")
    if args.password:
        print("  Đã cất mật khẩu vào kho mật khẩu của hệ điều hành.")
    return EXIT_OK


def cmd_inbox_check(args: argparse.Namespace) -> int:
    from .mail_settings import load_mail_settings, mail_password
    from .mailbox import check_connection

    workspace = _workspace(args)
    try:
        settings = load_mail_settings(workspace.store)
    finally:
        workspace.close()
    settings.check()
    lines = check_connection(settings, mail_password(settings))
    if args.json:
        _print_json({"ok": True, "checked": lines})
    else:
        print("\n".join(lines))
    return EXIT_OK


def _signer_key(workspace: Any, args: argparse.Namespace) -> tuple[Any, str | None]:
    from .mailbox import receipt_key

    if args.no_sign or args.no_reply:
        return None, None
    return receipt_key(workspace)


def _line(message: Any) -> str:
    from .mailbox import REPLY_LABELS

    who = message.sender or "(không rõ người gửi)"
    subject = f"«{message.subject}»" if message.subject else "(không tiêu đề)"
    parts = [f"{message.label}: thư của {who} {subject}"]
    if message.seen_before:
        parts.append("(đã xử lý ở lần trước)")
    if message.reply_status and message.reply_status != "none":
        parts.append(f"— {REPLY_LABELS.get(message.reply_status, message.reply_status)}")
    return " ".join(parts)


def cmd_inbox_fetch(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from ..signing.errors import SigningError
    from ..store.db import StoreError
    from .cli_import import _ProgressLine, summary_time
    from .mailbox import fetch

    workspace = _workspace(args)
    try:
        key, note = _signer_key(workspace, args)
        line = None if args.json or not sys.stderr.isatty() else _ProgressLine("Đã xử lý")
        try:
            from ..signing.keys import open_signer

            with (open_signer(key) if key is not None else nullcontext()) as signer:
                report = fetch(workspace, folder=args.folder, since=args.since, progress=line, jobs=args.jobs,
                               reply=not args.no_reply, signer=signer)
        except SigningError as error:
            raise StoreError(error.code, error.message) from None
        finally:
            if line is not None:
                line.clear()
    finally:
        workspace.close()
    if note:
        report.notes.insert(0, note)
    if args.json:
        _print_json(report.to_json())
        return report.exit_code
    new = [m for m in report.messages if not m.seen_before]
    for message in report.messages:
        print(_line(message))
        for f in message.files:
            code = str(f.get("status") or "")
            status = {"imported": "đã nhập", "updated": "đã nhập (bản sửa)", "duplicate": "trùng bản đã nhận",
                      "held": "giữ lại chờ Sở quyết định", "rejected": "bị từ chối", "skipped": "bỏ qua"}.get(
                code, code)
            where = f" — {f['commune']} kỳ {f['period']}" if f.get("commune") and f.get("period") else ""
            print(f"    {f.get('file')}: {status}{where}")
            if f.get("status") in ("rejected",):
                for problem in f.get("errors") or []:
                    cell = (f" [{problem['sheet']}!{problem['cell']}]" if problem.get("sheet") and problem.get("cell")
                            else "")
                    print(f"      {problem.get('code')}{cell}: {problem.get('message')}")
        if message.note:
            print(f"    Lưu ý: {message.note}")
        if message.reply_error:
            print(f"    {message.reply_error}")
    for message in report.replies:
        print(f"Thư trả lời của lần trước ({message.sender}): "
              f"{'đã gửi' if message.reply_status == 'sent' else message.reply_error or message.reply_status}")
    counts = report.counts
    summary = ", ".join(f"{label.lower()}: {counts[key]}" for key, label in
                        (("accepted", "Đã tiếp nhận"), ("refused", "Bị từ chối"), ("held", "Giữ lại"),
                         ("none", "Không có tệp"), ("pending", "Chưa xong")) if counts.get(key))
    print(f"Thư mục «{report.folder}»: {len(new)} thư mới" + (f" ({summary})" if summary else "")
          + f"; {summary_time(len(new), report.seconds)}" if new else f"Thư mục «{report.folder}»: không có thư mới.")
    if report.cancelled:
        print(f"Đã dừng theo yêu cầu; còn {report.not_done} thư, lần nhận sau sẽ xử lý tiếp.")
    for text in report.notes:
        print(f"Lưu ý: {text}")
    return report.exit_code


def cmd_inbox_list(args: argparse.Namespace) -> int:
    from ..store.mailbox import mail_messages
    from .cycle import vn_datetime
    from .mailbox import outcome_of

    workspace = _workspace(args)
    try:
        records = mail_messages(workspace.store, commune_code=args.commune, period=args.period,
                                limit=None if args.to_resend else args.limit)
    finally:
        workspace.close()
    if args.to_resend:
        records = [r for r in records if r.reply_status == "manual"][:args.limit]
    if args.json:
        _print_json([{**outcome_of(r).to_json(), "first_seen_at": r.first_seen_at.isoformat()} for r in records])
        return EXIT_OK
    if not records:
        print("Chưa nhận thư nào.")
    for record in records:
        print(f"#{record.id}  {vn_datetime(record.first_seen_at)}  {_line(outcome_of(record))}")
        if record.reply_status == "manual" and record.reply_error:
            print(f"    {record.reply_error}")
    if not records and args.to_resend:
        print("Không có thư trả lời nào cần gửi lại bằng tay.")
    return EXIT_OK


def cmd_inbox_retry(args: argparse.Namespace) -> int:
    from .mailbox import retry_reply

    workspace = _workspace(args)
    try:
        for record_id in args.ids:
            record = retry_reply(workspace, record_id)
            print(f"#{record.id}: thư trả lời tới {record.reply_address} sẽ được gửi ở lần nhận thư sau "
                  "(readiness inbox fetch).")
    finally:
        workspace.close()
    return EXIT_OK


# -- contacts -------------------------------------------------------------------------------------------


def cmd_contacts_list(args: argparse.Namespace) -> int:
    from .contacts import SOURCE_LABELS, contact_views

    workspace = _workspace(args)
    try:
        views = contact_views(workspace, args.commune, province=args.province)
    finally:
        workspace.close()
    if args.missing:
        views = [v for v in views if not v.addresses]
    if args.json:
        _print_json([v.to_dict() for v in views])
        return EXIT_OK
    for view in views:
        who = ", ".join(part for part in (view.name, view.position, view.phone) if part) or "—"
        mail = ", ".join(view.addresses) or "chưa có địa chỉ thư"
        print(f"{view.code}  {view.commune}: {who}; {mail} ({SOURCE_LABELS[view.source].lower()})")
    if not views:
        print("Không có xã nào.")
    return EXIT_OK


def cmd_contacts_set(args: argparse.Namespace) -> int:
    from .contacts import set_contact
    from .importer import _user

    workspace = _workspace(args)
    try:
        view = set_contact(workspace, args.commune, {"name": args.name, "position": args.position, "phone": args.phone,
                                                     "email": args.email, "note": args.note}, user=_user())
    finally:
        workspace.close()
    if args.json:
        _print_json(view.to_dict())
        return EXIT_OK
    print(f"Đã ghi liên hệ của {view.commune}: " + (", ".join(p for p in (view.name, view.phone, view.email) if p)
                                                   or "không còn trường nào (theo phiếu gần nhất)"))
    return EXIT_OK


def cmd_contacts_clear(args: argparse.Namespace) -> int:
    from .contacts import clear_contact

    workspace = _workspace(args)
    try:
        removed = clear_contact(workspace, args.commune)
    finally:
        workspace.close()
    print("Đã bỏ liên hệ Sở nhập; dùng người trả lời trong phiếu gần nhất." if removed
          else "Xã này chưa có liên hệ Sở nhập.")
    return EXIT_OK
