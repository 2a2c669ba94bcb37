"""CLI of the department's documents: ``settings`` (who issues them) and ``feedback`` (a letter per commune).

The reply to petitions is ``readiness petitions reply`` (:mod:`.cli_report`).  Each command sets
``handler(args) -> int``: 0 done, 1 refused (bad value, commune not reported, file not written), 2 usage.
"""

from __future__ import annotations

import argparse
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


_KEYS = "\x00settings-keys\x00"  # in a description: the list of settings, written when the help is shown


class _KeysFormatter(argparse.RawDescriptionHelpFormatter):
    """Writes the settings' keys into the description only when it is shown (building the parser of
    ``readiness --help`` must not import :mod:`readiness.document_settings`)."""

    def _format_text(self, text: str) -> str:
        if _KEYS in text:
            from ..document_settings import FIELDS

            text = text.replace(_KEYS, "\n".join(
                f"  {field.key:<22} {field.label}" + (f" ({field.help})" if field.help else "") for field in FIELDS))
        return super()._format_text(text)


def add_letter_commands(subparsers: Any) -> None:
    from .cli_report import _date

    parser_class = getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    keys = _KEYS
    settings = subparsers.add_parser(
        "settings",
        description="Cơ quan ban hành, tên Sở, địa danh, ký hiệu văn bản, người ký, «Nơi nhận» mặc định, văn bản hướng "
                    "dẫn: mọi báo cáo và công văn lấy từ đây. Mặc định là của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi; "
                    "Sở của tỉnh khác dùng «readiness settings province MÃ_TỈNH» rồi sửa từng mục.\n\nCác mục:\n" + keys,
        formatter_class=_KeysFormatter)
    commands = settings.add_subparsers(dest="settings_command", metavar="LỆNH", required=True, parser_class=parser_class)
    show = commands.add_parser("show", help="xem thiết lập hiện tại")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_settings_show, func=cmd_settings_show)
    set_ = commands.add_parser(
        "set", help="đổi một mục: readiness settings set signer_name \"Nguyễn Văn A\"",
        description="Đổi một mục. Mục nhiều dòng (signer_title, letter_recipients, report_recipients): mỗi dòng "
                    "một giá trị, ví dụ: readiness settings set signer_title \"KT. GIÁM ĐỐC\" \"PHÓ GIÁM ĐỐC\".\n\n"
                    "Các mục:\n" + keys, formatter_class=_KeysFormatter)
    set_.add_argument("key", metavar="MỤC", help="tên mục (danh sách ở dưới)")
    set_.add_argument("values", nargs="+", metavar="GIÁ_TRỊ", help="giá trị mới; mục nhiều dòng: mỗi dòng một giá trị")
    set_.add_argument("--json", action="store_true")
    set_.set_defaults(handler=cmd_settings_set, func=cmd_settings_set)
    reset = commands.add_parser("reset", help="trả một hoặc mọi mục về mặc định")
    reset.add_argument("keys", nargs="*", metavar="MỤC", help="các mục cần trả về mặc định")
    reset.add_argument("--all", action="store_true", help="mọi mục")
    reset.add_argument("--json", action="store_true")
    reset.set_defaults(handler=cmd_settings_reset, func=cmd_settings_reset)
    province = commands.add_parser(
        "province", help="đặt mọi mục theo một tỉnh (tên, địa danh, «UBND các xã, phường…») từ danh mục",
        description="Đặt các mục theo tỉnh có mã này (lấy tên tỉnh từ danh mục đơn vị hành chính): cơ quan chủ quản, "
                    "tên đầy đủ của Sở, địa danh, cách gọi các đơn vị cấp xã, «Nơi nhận» của báo cáo. Người ký và "
                    "văn bản hướng dẫn để trống để Sở tự ghi.")
    province.add_argument("code", metavar="MÃ_TỈNH", help="mã tỉnh trong danh mục (51: Quảng Ngãi)")
    province.add_argument("--json", action="store_true")
    province.set_defaults(handler=cmd_settings_province, func=cmd_settings_province)
    from .cli_cycle import add_signing_setting

    add_signing_setting(commands)  # settings signing: the department's certificate for its receipts

    feedback = subparsers.add_parser(
        "feedback",
        description="Công văn của Sở gửi một xã: mức sẵn sàng, điểm so với bình quân của tỉnh, các tồn tại kèm khuyến "
                    "nghị khắc phục, tình hình giải quyết kiến nghị, văn bản hướng dẫn cần thực hiện. Một xã: "
                    "--commune MÃ --docx FILE [--pdf FILE]; mọi xã đã gửi kết quả: --all --out THƯ_MỤC.")
    feedback.add_argument("--period", required=True, metavar="YYYY-MM")
    feedback.add_argument("--commune", default=None, metavar="CODE")
    feedback.add_argument("--all", action="store_true", help="mọi xã đã gửi kết quả trong kỳ (của tỉnh --province)")
    feedback.add_argument("--province", default=None, metavar="CODE", help="với --all: mã tỉnh (mặc định: tỉnh của Sở)")
    feedback.add_argument("--docx", type=Path, default=None, metavar="FILE.docx",
                          help="một xã: công văn Word (để sửa, trình ký)")
    feedback.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="một xã: công văn PDF")
    feedback.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                          help="với --all: thư mục ghi các công văn")
    feedback.add_argument("--format", choices=("docx", "pdf", "both"), default="docx",
                          help="với --all: định dạng (mặc định docx)")
    feedback.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    feedback.add_argument("--date", type=_date, default=None, metavar="NGÀY",
                          help="ngày của công văn (mặc định hôm nay)")
    feedback.add_argument("--signer", default=None, metavar="HỌ TÊN",
                          help="người ký (mặc định: theo thiết lập văn bản)")
    feedback.add_argument("--as-of", dest="as_of", type=_date, default=None, metavar="NGÀY",
                          help="chấm điểm theo ngày này")
    feedback.add_argument("--json", action="store_true")
    feedback.set_defaults(handler=cmd_feedback, func=cmd_feedback)


# -- settings ------------------------------------------------------------------------------------------


def _show(settings: Any, stored: set[str], as_json: bool) -> None:
    from ..document_settings import FIELDS

    if as_json:
        data = settings.to_dict()
        data["changed"] = sorted(stored)
        _print_json(data)
        return
    for field in FIELDS:
        value = settings.text_of(field.key)
        mark = "" if field.key in stored else "  (mặc định)"
        lines = value.split("\n") if value else ["—"]
        print(f"{field.key:<22} {field.label}{mark}")
        for line in lines:
            print(f"{'':<22}   {line}")
    print(f"Ký hiệu công văn: …/{settings.letter_code}; báo cáo: …/{settings.report_code}")


def _stored_keys(workspace: Workspace) -> set[str]:
    from ..document_settings import PREFIX

    return {key[len(PREFIX):] for key in workspace.store.settings(PREFIX)}


def cmd_settings_show(args: argparse.Namespace) -> int:
    from ..document_settings import load_settings

    with _workspace(args) as workspace:
        _show(load_settings(workspace.store), _stored_keys(workspace), args.json)
    return EXIT_OK


def cmd_settings_set(args: argparse.Namespace) -> int:
    from ..document_settings import FIELDS, save_settings

    lines = {field.key: field.lines for field in FIELDS}
    value = "\n".join(args.values) if lines.get(args.key) else " ".join(args.values)
    with _workspace(args) as workspace:
        settings = save_settings(workspace.store, {args.key: value})  # a SettingsError is printed by readiness.cli.main
        if args.json:
            _show(settings, _stored_keys(workspace), True)
        else:
            print(f"Đã lưu {args.key}: " + settings.text_of(args.key).replace("\n", " / "))
    return EXIT_OK


def cmd_settings_reset(args: argparse.Namespace) -> int:
    from ..document_settings import KEYS, save_settings

    keys = list(KEYS) if args.all else list(args.keys)
    if not keys:
        print("Ghi mục cần trả về mặc định, hoặc --all.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as workspace:
        settings = save_settings(workspace.store, {key: None for key in keys})  # a SettingsError is printed by readiness.cli.main
        if args.json:
            _show(settings, _stored_keys(workspace), True)
        else:
            print(f"Đã trả về mặc định: {', '.join(keys)}.")
    return EXIT_OK


def cmd_settings_province(args: argparse.Namespace) -> int:
    from ..document_settings import save_province

    with _workspace(args) as workspace:
        settings = save_province(workspace.store, args.code.strip())  # a SettingsError is printed by readiness.cli.main
        _show(settings, _stored_keys(workspace), args.json)
        if not args.json:
            print("Ghi thêm người ký (signer_name) và văn bản hướng dẫn (guidance_letter) nếu có.")
    return EXIT_OK


# -- feedback ------------------------------------------------------------------------------------------


def cmd_feedback(args: argparse.Namespace) -> int:
    from ..document_settings import load_settings
    from ..exchange.letter import write_letter
    from ..store.db import StoreError, period_label, validate_period
    from .feedback_letter import FeedbackOptions, feedback_letters, write_feedback

    if args.all == bool(args.commune):
        print("Chọn một xã (--commune MÃ) hoặc mọi xã (--all).", file=sys.stderr)
        return EXIT_USAGE
    if args.commune and not (args.docx or args.pdf):
        raise StoreError("E-REPORT-OUTPUT", "Chưa chọn tệp nào để ghi: thêm --docx FILE.docx và/hoặc --pdf FILE.pdf.")
    if args.all and not args.out:
        raise StoreError("E-REPORT-OUTPUT", "Với --all, ghi thư mục đặt các công văn: --out THƯ_MỤC.")
    with _workspace(args) as workspace:
        settings = load_settings(workspace.store)
        options = FeedbackOptions(date=args.date, number=args.number, signer_name=args.signer, as_of=args.as_of)
        codes = [args.commune] if args.commune else None
        province = args.province if args.province not in (None, "") else None
        letters, missing = feedback_letters(workspace, args.period, codes, settings, options, province=province)
        if args.commune:
            written = write_letter(letters[0].letter, docx=args.docx, pdf=args.pdf)
        else:
            formats = ("docx", "pdf") if args.format == "both" else (args.format,)
            written = write_feedback(letters, args.out, args.period, formats)
    label = period_label(validate_period(args.period))
    if args.json:
        _print_json({"ok": True, "period": args.period, "letters": len(letters),
                     "communes": [item.commune.code for item in letters],
                     "not_reported": [c.code for c in missing], "files": [str(path) for path in written]})
    else:
        print(f"Công văn thông báo kết quả kỳ {label}: {len(letters)} đơn vị"
              + (f"; {len(missing)} đơn vị chưa gửi kết quả nên không có công văn" if missing else "") + ".")
        for path in written[:20]:
            print(f"  Đã ghi {path}")
        if len(written) > 20:
            print(f"  … và {len(written) - 20} tệp khác trong {args.out}")
    return EXIT_OK
