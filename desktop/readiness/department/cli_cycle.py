"""CLI of the reporting cycle: ``period`` (deadlines), ``remind`` (the reminder letter), ``receipt`` (and
``receipt check``), and ``settings signing`` (the department's signing identity).

Each command sets ``handler(args) -> int``: 0 done, 1 refused (bad date, nothing to remind, a receipt
that does not match), 2 usage.  Text output is Vietnamese; ``--json`` prints the core's dicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..service import Workspace

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _workspace(args: argparse.Namespace) -> Workspace:
    from ..service import Workspace

    return Workspace.open(args.db)


def _day(text: str) -> dt.date:
    from ..store.db import StoreError
    from .cycle import parse_date

    try:
        return parse_date(text)
    except StoreError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def add_cycle_commands(subparsers: Any) -> None:
    parser_class = getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    period = subparsers.add_parser(
        "period",
        description="Hạn nộp của một kỳ là một ngày; hạn kết thúc lúc 23:59:59 ngày đó giờ Việt Nam (+07:00). Bản gửi "
                    "đúng hạn khi cả thời điểm hoàn thành (thời điểm ký số, nếu tệp có chữ ký số hợp lệ) và thời điểm Sở "
                    "nhận đều trước khi hết hạn.")
    commands = period.add_subparsers(dest="period_command", metavar="LỆNH", required=True, parser_class=parser_class)
    set_ = commands.add_parser("set", help="đặt (hoặc bỏ) hạn nộp của một kỳ: readiness period set 2025-12 --deadline "
                                           "05/01/2026")
    set_.add_argument("period", metavar="YYYY-MM", help="kỳ báo cáo, ví dụ 2025-12")
    which = set_.add_mutually_exclusive_group(required=True)
    which.add_argument("--deadline", type=_day, metavar="NGÀY", help="ngày cuối cùng được nộp (dd/mm/yyyy)")
    which.add_argument("--no-deadline", action="store_true", help="bỏ hạn nộp của kỳ")
    set_.add_argument("--json", action="store_true")
    set_.set_defaults(handler=cmd_period_set, func=cmd_period_set)
    listing = commands.add_parser("list", help="các kỳ đã đặt hạn hoặc đã có bản đánh giá")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_period_list, func=cmd_period_list)

    remind = subparsers.add_parser(
        "remind",
        description="Công văn «V/v đôn đốc gửi kết quả tự đánh giá …» gửi các xã chưa nộp, các xã có tệp bị từ chối và "
                    "các xã có bản sửa bị giữ lại (mỗi nhóm một mục riêng), kèm người liên hệ của từng xã (theo lần gửi "
                    "gần nhất), hạn mới, «Nơi nhận» và người ký theo thiết lập văn bản.")
    remind.add_argument("--period", required=True, metavar="YYYY-MM")
    remind.add_argument("--docx", type=Path, default=None, metavar="FILE.docx", help="công văn Word (để sửa, trình ký)")
    remind.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="công văn PDF (để in, gửi)")
    remind.add_argument("--xlsx", type=Path, default=None, metavar="FILE.xlsx", help="danh sách xã và người liên hệ")
    remind.add_argument("--date", type=_day, default=None, metavar="NGÀY", help="ngày của công văn (mặc định hôm nay)")
    remind.add_argument("--deadline", type=_day, default=None, metavar="NGÀY",
                        help="hạn mới (mặc định: hạn của kỳ nếu chưa qua, nếu không thì 5 ngày làm việc sau ngày công văn)")
    remind.add_argument("--commune", action="append", default=None, metavar="CODE", help="chỉ xã này (lặp lại được)")
    remind.add_argument("--province", default=None, metavar="CODE",
                        help="mã tỉnh (mặc định: tỉnh của Sở trong thiết lập văn bản)")
    remind.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    remind.add_argument("--signer", default=None, metavar="HỌ TÊN", help="người ký (mặc định: theo thiết lập văn bản)")
    remind.add_argument("--send", action="store_true",
                        help="gửi công văn (PDF) qua thư điện tử tới từng xã (hộp thư công vụ: readiness inbox setup)")
    remind.add_argument("--json", action="store_true")
    remind.set_defaults(handler=cmd_remind, func=cmd_remind)

    receipt = subparsers.add_parser(
        "receipt",
        description="Cấp giấy xác nhận: readiness receipt --period YYYY-MM [--commune MÃ] --out THƯ_MỤC [--one-file]. "
                    "Giấy ghi đơn vị, kỳ, lần gửi, tên tệp, mã SHA-256 của tệp, thời điểm nhận, chữ ký số, điểm và mức, "
                    "đúng hạn hay sau hạn; được ký số bằng chứng thư của Sở nếu đã thiết lập (readiness settings "
                    "signing). Xã đối chiếu: readiness receipt check GIẤY.pdf [--file TỆP_ĐÃ_GỬI.xlsx].")
    receipt.add_argument("--period", default=None, metavar="YYYY-MM")
    receipt.add_argument("--commune", action="append", default=None, metavar="CODE", help="chỉ xã này (lặp lại được)")
    receipt.add_argument("--revision", type=int, default=None, metavar="N", help="với một xã: lần gửi này (mặc định: "
                                                                                 "lần đang dùng)")
    receipt.add_argument("--province", default=None, metavar="CODE",
                         help="mã tỉnh (mặc định: tỉnh của Sở trong thiết lập văn bản)")
    receipt.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục ghi các giấy xác nhận")
    receipt.add_argument("--one-file", action="store_true", help="mọi giấy xác nhận trong một tệp PDF")
    receipt.add_argument("--no-sign", action="store_true", help="không ký số (kể cả khi Sở đã thiết lập chữ ký số)")
    receipt.add_argument("--date", type=_day, default=None, metavar="NGÀY", help="ngày của giấy (mặc định hôm nay)")
    receipt.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    receipt.add_argument("--signer", default=None, metavar="HỌ TÊN", help="người ký (mặc định: theo thiết lập văn bản)")
    receipt.add_argument("--json", action="store_true")
    receipt.set_defaults(handler=cmd_receipt, func=cmd_receipt)
    receipt_commands = receipt.add_subparsers(dest="receipt_command", metavar="LỆNH", required=False,
                                              parser_class=parser_class)
    check = receipt_commands.add_parser(
        "check", help="đối chiếu giấy xác nhận của Sở với tệp đã gửi",
        description="Đọc dữ liệu đính kèm trong giấy xác nhận (không đọc chữ trên trang), kiểm tra chữ ký số của Sở, "
                    "rồi so mã SHA-256 của tệp Sở đã nhận với tệp đã gửi (--file) hoặc với các tệp máy này đã xuất và "
                    "ký số. Mã thoát 0: khớp; 1: không khớp, giấy đã bị sửa, hoặc chưa có gì để đối chiếu.")
    check.add_argument("receipt", type=Path, metavar="GIẤY.pdf", help="giấy xác nhận (PDF) Sở đã gửi")
    check.add_argument("--file", type=Path, default=None, metavar="TỆP", help="tệp đã gửi Sở (.xlsx)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_receipt_check, func=cmd_receipt_check)


def add_signing_setting(settings_commands: Any) -> None:
    """``readiness settings signing``: the department's signing identity (called by the settings command)."""
    signing = settings_commands.add_parser(
        "signing", help="chữ ký số của Sở (ký giấy xác nhận): tệp .p12/.pfx hoặc thiết bị ký số",
        description="Nơi có khoá ký của Sở: --pkcs12 TỆP.p12 hoặc --pkcs11 THƯ_VIỆN [--slot N] [--key-label L]. Mật khẩu "
                    "(hoặc mã PIN) không được lưu: đặt biến môi trường READINESS_DEPARTMENT_SIGNING_SECRET hoặc nhập "
                    "khi ký. Không có tuỳ chọn: xem thiết lập hiện tại; --check: mở khoá và xem chứng thư số.")
    which = signing.add_mutually_exclusive_group()
    which.add_argument("--pkcs12", type=Path, default=None, metavar="FILE", help="tệp chứng thư số .p12/.pfx của Sở")
    which.add_argument("--pkcs11", default=None, metavar="LIB", help="thư viện PKCS#11 của thiết bị ký số (.dll/.so)")
    which.add_argument("--clear", action="store_true", help="bỏ thiết lập (giấy xác nhận không ký số)")
    signing.add_argument("--slot", type=int, default=None, metavar="N",
                         help="với --pkcs11: khe của thiết bị (mặc định: khe duy nhất đang có thiết bị)")
    signing.add_argument("--key-label", default=None, metavar="L",
                         help="với --pkcs11: nhãn của khoá ký (khi thiết bị có nhiều khoá)")
    signing.add_argument("--check", action="store_true", help="mở khoá (hỏi mật khẩu/PIN) và hiện chứng thư số")
    signing.add_argument("--json", action="store_true")
    signing.set_defaults(handler=cmd_settings_signing, func=cmd_settings_signing)


# -- period ---------------------------------------------------------------------------------------------


def cmd_period_set(args: argparse.Namespace) -> int:
    from .cycle import set_deadline

    with _workspace(args) as workspace:
        info = set_deadline(workspace, args.period, None if args.no_deadline else args.deadline)
    if args.json:
        _print_json(info.to_dict())
    elif info.deadline is None:
        print(f"Đã bỏ hạn nộp của kỳ {info.to_dict()['label']}: kỳ này không tính tỷ lệ đúng hạn.")
    else:
        print(f"Kỳ {info.to_dict()['label']}: hạn nộp {info.to_dict()['deadline_text']} (hết hạn lúc 23:59:59 giờ Việt "
              "Nam ngày đó).")
    return EXIT_OK


def cmd_period_list(args: argparse.Namespace) -> int:
    from .cycle import list_periods

    with _workspace(args) as workspace:
        periods = list_periods(workspace)
    if args.json:
        _print_json([p.to_dict() for p in periods])
        return EXIT_OK
    if not periods:
        print("Chưa có kỳ nào: đặt hạn nộp bằng «readiness period set YYYY-MM --deadline dd/mm/yyyy».")
        return EXIT_OK
    for info in periods:
        data = info.to_dict()
        deadline = f"hạn nộp {data['deadline_text']}" if info.deadline else "chưa đặt hạn nộp"
        has = "" if info.has_data else " — chưa có bản đánh giá nào"
        print(f"{data['label']}  {deadline}{has}")
    return EXIT_OK


# -- remind ---------------------------------------------------------------------------------------------


def cmd_remind(args: argparse.Namespace) -> int:
    from ..exchange.errors import ExchangeError
    from ..store.db import StoreError
    from .reminder import ReminderOptions, reminder, write_reminder

    if not (args.docx or args.pdf or args.xlsx or args.send):
        raise StoreError("E-REPORT-OUTPUT", "Chưa chọn tệp nào để ghi: thêm --docx FILE.docx, --pdf FILE.pdf và/hoặc "
                         "--xlsx FILE.xlsx (hoặc --send để gửi qua thư điện tử).")
    sent: list[dict[str, Any]] = []
    with _workspace(args) as workspace:
        options = ReminderOptions(date=args.date, new_deadline=args.deadline, number=args.number,
                                  signer_name=args.signer, province=args.province, codes=tuple(args.commune or ()))
        found = reminder(workspace, args.period, options)
        try:
            written = write_reminder(found, docx=args.docx, pdf=args.pdf, xlsx=args.xlsx) \
                if (args.docx or args.pdf or args.xlsx) else []
        except ExchangeError as error:
            raise StoreError(error.code, error.located_message()) from None
        if args.send:
            from .mailbox import send_reminders

            sent = send_reminders(workspace, found)
    failed = any(line["status"] != "sent" for line in sent)
    if args.json:
        _print_json({"ok": not failed, **found.to_dict(), "files": [str(path) for path in written], "sent": sent})
        return EXIT_REJECTED if failed else EXIT_OK
    from .cycle import vn_date
    from .reminder import GROUP_LABELS, GROUPS

    counts = "; ".join(f"{GROUP_LABELS[g].lower()}: {len(found.group(g))}" for g in GROUPS if found.group(g))
    print(f"Công văn đôn đốc {len(found.targets)} đơn vị ({counts}); hạn mới {vn_date(found.new_deadline)}.")
    unknown = [t.commune.name for t in found.targets if not t.contact.known]
    if unknown:
        print(f"  {len(unknown)} đơn vị chưa có người liên hệ (chưa từng gửi kết quả): "
              + ", ".join(unknown[:8]) + (" …" if len(unknown) > 8 else ""))
    for path in written:
        print(f"  Đã ghi {path}")
    if args.send:
        count = sum(1 for line in sent if line["status"] == "sent")
        print(f"  Đã gửi thư điện tử tới {count}/{len(sent)} đơn vị.")
        for line in sent:
            if line["status"] != "sent":
                why = f"{line['error']} ({line['command']})." if line.get("command") else line["error"]
                print(f"  {line['commune']}: {why}")
    return EXIT_REJECTED if failed else EXIT_OK


# -- receipt --------------------------------------------------------------------------------------------


def _secret(prompt: str) -> str | None:
    from .signing_identity import secret_from_environment

    value = secret_from_environment()
    if value is not None:
        return value
    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


def _key(workspace: Workspace, args: argparse.Namespace) -> tuple[Any, str | None]:
    """(the key to sign with or None, a note for the user)."""
    from .signing_identity import SECRET_ENV, load_identity

    if args.no_sign:
        return None, None
    identity = load_identity(workspace.store)
    if identity is None:
        return None, ("Sở chưa thiết lập chữ ký số (readiness settings signing --pkcs12 TỆP): giấy xác nhận không được "
                      "ký số.")
    prompt = "Mật khẩu tệp chứng thư số của Sở: " if identity.kind == "pkcs12" else "Mã PIN thiết bị ký số của Sở: "
    secret = _secret(prompt)
    if secret is None and identity.kind == "pkcs11":
        from ..store.db import StoreError

        raise StoreError("E-SIGN-PIN", f"Chưa có mã PIN của thiết bị ký số: nhập khi được hỏi, hoặc đặt biến môi trường "
                         f"{SECRET_ENV}.")
    return identity.key(secret), None


def cmd_receipt(args: argparse.Namespace) -> int:
    from ..exchange.errors import ExchangeError
    from ..signing.errors import SigningError
    from ..store.db import StoreError
    from .receipt import ReceiptOptions, issue_receipts

    if not args.period or args.out is None:
        print("readiness receipt: lỗi cú pháp lệnh: cần --period YYYY-MM và --out THƯ_MỤC (hoặc «receipt check "
              "GIẤY.pdf»)", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as workspace:
        key, note = _key(workspace, args)
        options = ReceiptOptions(date=args.date, number=args.number, signer_name=args.signer,
                                 codes=tuple(args.commune or ()), revision=args.revision, province=args.province)
        try:
            files = issue_receipts(workspace, args.period, args.out, options, one_file=args.one_file, key=key)
        except ExchangeError as error:
            raise StoreError(error.code, error.located_message()) from None
        except SigningError as error:
            raise StoreError(error.code, error.message) from None
        finally:
            if key is not None:  # drop the secret as soon as possible
                for name in ("password", "pin"):
                    if hasattr(key, name):
                        setattr(key, name, None)
    if args.json:
        _print_json({"ok": True, "period": args.period, "files": [f.to_dict() for f in files], "note": note})
        return EXIT_OK
    count = sum(len(f.facts) for f in files)
    signed = f", ký số bởi {files[0].signer}" if files and files[0].signed else ""
    print(f"Giấy xác nhận cho {count} bản đã tiếp nhận, {len(files)} tệp PDF{signed}.")
    if note:
        print(f"  Lưu ý: {note}")
    for file in files[:20]:
        print(f"  Đã ghi {file.path}")
    if len(files) > 20:
        print(f"  … và {len(files) - 20} tệp khác trong {args.out}")
    return EXIT_OK


def cmd_receipt_check(args: argparse.Namespace) -> int:
    from .receipt_check import check_receipt_in

    with _workspace(args) as workspace:
        result = check_receipt_in(workspace, args.receipt, file=args.file)
    if args.json:
        _print_json(result.to_dict())
        return EXIT_OK if result.ok else EXIT_REJECTED
    if result.ok:
        print(result.message)
    else:
        print(f"Lỗi ({result.code}): {result.message}", file=sys.stderr)
    print(f"  Chữ ký số của Sở: {result.signature.message}")
    from ..store.db import period_label
    from .cycle import vn_datetime

    for entry in result.entries:
        facts = entry.facts
        print(f"  {facts.commune_name}, kỳ {period_label(facts.period)}, lần {facts.revision}: tệp «{facts.file_name}», "
              f"nhận {vn_datetime(facts.received_at)}; {facts.timeliness_text}.")
        if entry.code and entry.message != result.message:
            print(f"    {entry.code}: {entry.message}")
    for code, message in result.notes:
        if message != result.signature.message:
            print(f"  Lưu ý ({code}): {message}")
    return EXIT_OK if result.ok else EXIT_REJECTED


# -- settings signing -----------------------------------------------------------------------------------


def cmd_settings_signing(args: argparse.Namespace) -> int:
    from ..signing.errors import SigningError
    from ..store.db import StoreError
    from .signing_identity import SECRET_ENV, SigningIdentity, describe_certificate, load_identity, save_identity

    with _workspace(args) as workspace:
        if args.clear:
            save_identity(workspace.store, None)
        elif args.pkcs12 is not None:
            save_identity(workspace.store, SigningIdentity("pkcs12", str(args.pkcs12)))
        elif args.pkcs11 is not None:
            save_identity(workspace.store, SigningIdentity("pkcs11", args.pkcs11, args.slot, args.key_label))
        identity = load_identity(workspace.store)
        certificate = None
        if args.check and identity is not None:
            from ..signing.keys import open_signer

            secret = _secret("Mật khẩu / mã PIN của khoá ký của Sở: ")
            try:
                with open_signer(identity.key(secret)) as opened:
                    certificate = describe_certificate(opened)
            except SigningError as error:
                raise StoreError(error.code, error.message) from None
    if args.json:
        _print_json({"identity": identity.to_dict() if identity else None, "certificate": certificate})
        return EXIT_OK
    if identity is None:
        print("Sở chưa thiết lập chữ ký số: giấy xác nhận không được ký số. Thiết lập: readiness settings signing "
              "--pkcs12 TỆP.p12 (hoặc --pkcs11 THƯ_VIỆN).")
        return EXIT_OK
    print(f"Chữ ký số của Sở: {identity.describe()} ({identity.path}).")
    print(f"  Mật khẩu / mã PIN: nhập khi ký, hoặc đặt biến môi trường {SECRET_ENV}.")
    if certificate:
        print(f"  Chứng thư số: {certificate['subject']} — {certificate['organization']}; do {certificate['issuer']} cấp; "
              f"hết hạn {certificate['not_after'][:10]}.")
    return EXIT_OK
