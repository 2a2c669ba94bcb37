"""CLI of the investment needs: ``needs`` (what the communes lack, with a cost) and ``prices`` (the unit prices).

Each command sets ``handler(args) -> int``: 0 done, 1 refused (bad filter, bad price, file not written),
2 usage.  Text output is Vietnamese; ``--json`` prints the core's dicts.
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


def add_needs_commands(subparsers: Any) -> None:
    from .cli_report import _date, _scope_options

    parser_class = getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    needs = subparsers.add_parser(
        "needs",
        description="Tổng hợp theo tỉnh và theo từng xã, từ kết quả tự đánh giá đã gửi của một kỳ: máy tính chưa đạt "
                    "cấu hình tối thiểu (theo lý do), máy dùng Windows 10 trở về trước, cán bộ chưa có máy, quầy thiếu "
                    "máy in, máy quét, chứng thư số hết hạn, sắp hết hạn, còn mang tên đơn vị cũ, xã chưa có thiết bị "
                    "hội nghị truyền hình chuyên dụng, đường truyền dự phòng, Mạng TSLCD, UPS đủ thời gian; kinh phí ước "
                    "tính theo đơn giá (readiness prices).")
    needs.add_argument("--period", required=True, metavar="YYYY-MM")
    _scope_options(needs, level_state=False)  # --province, --group, --communes …: the scope of every report
    needs.add_argument("--prices", type=Path, default=None, metavar="FILE.yaml",
                       help="tệp đơn giá khác (mặc định: tệp của phần mềm, với các đơn giá Sở đã sửa)")
    needs.add_argument("--xlsx", type=Path, default=None, metavar="FILE.xlsx",
                       help="bảng tính Excel (từng xã, từng hạng mục)")
    needs.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="báo cáo PDF (để in, ký)")
    needs.add_argument("--docx", type=Path, default=None, metavar="FILE.docx", help="báo cáo Word (để sửa, trình ký)")
    needs.add_argument("--date", type=_date, default=None, metavar="NGÀY", help="ngày của báo cáo (mặc định hôm nay)")
    needs.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    needs.add_argument("--signer", default="", metavar="HỌ TÊN", help="người ký (mặc định: theo thiết lập văn bản)")
    needs.add_argument("--json", action="store_true")
    needs.set_defaults(handler=cmd_needs, func=cmd_needs)

    prices = subparsers.add_parser(
        "prices",
        description="Đơn giá trong tệp của phần mềm (resources/prices) là mức đề xuất; Sở sửa đơn giá bằng "
                    "«readiness prices set MÃ SỐ_TIỀN --basis \"căn cứ\"» (lưu trong cơ sở dữ liệu của Sở, không cần "
                    "bản phát hành mới) và đặt lại bằng «readiness prices reset».")
    commands = prices.add_subparsers(dest="prices_command", metavar="LỆNH", required=True, parser_class=parser_class)
    show = commands.add_parser("show", help="các đơn giá đang dùng, nguồn, căn cứ, ngày")
    show.add_argument("--file", type=Path, default=None, metavar="FILE.yaml", help="tệp đơn giá khác")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_prices_show, func=cmd_prices_show)
    set_ = commands.add_parser("set", help="Sở sửa một đơn giá: readiness prices set pc 14500000 --basis \"Báo giá …\"")
    set_.add_argument("price_id", metavar="MÃ", help="mã đơn giá (readiness prices show)")
    set_.add_argument("amount", metavar="SỐ_TIỀN", help="đồng: 14500000 hoặc 14.500.000")
    set_.add_argument("--basis", required=True, metavar="CĂN CỨ", help="báo giá, dự toán được duyệt … (bắt buộc)")
    set_.add_argument("--date", type=_date, default=None, metavar="NGÀY", help="ngày của đơn giá (mặc định hôm nay)")
    set_.add_argument("--json", action="store_true")
    set_.set_defaults(handler=cmd_prices_set, func=cmd_prices_set)
    reset = commands.add_parser("reset", help="trả một hoặc mọi đơn giá Sở đã sửa về đơn giá trong tệp")
    reset.add_argument("ids", nargs="*", metavar="MÃ", help="mã các đơn giá cần đặt lại")
    reset.add_argument("--all", action="store_true", help="mọi đơn giá Sở đã sửa")
    reset.add_argument("--json", action="store_true")
    reset.set_defaults(handler=cmd_prices_reset, func=cmd_prices_reset)
    validate = commands.add_parser("validate", help="kiểm tra tệp đơn giá (mỗi lỗi có mã, dòng, đơn giá)")
    validate.add_argument("paths", nargs="+", type=Path, metavar="FILE.yaml", help="tệp đơn giá cần kiểm tra")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(handler=cmd_prices_validate, func=cmd_prices_validate)


def _workspace(args: argparse.Namespace) -> Workspace:
    from ..service import Workspace

    return Workspace.open(args.db)


def cmd_needs(args: argparse.Namespace) -> int:
    from .cli_report import _filters
    from .needs import format_needs, needs_for_period
    from .prices import load_prices

    workspace = _workspace(args)
    written: list[str] = []
    try:
        filters = _filters(args, workspace)
        prices = load_prices(workspace.store, args.prices)
        report = needs_for_period(workspace, args.period, filters, prices=prices, today=args.as_of)
        if args.xlsx:
            from .needs_xlsx import write_needs_xlsx

            written.append(str(write_needs_xlsx(report, args.xlsx)))
        if args.pdf or args.docx:
            from ..document_settings import load_settings
            from ..exchange.letter import write_letter
            from .needs_document import NeedsDocumentOptions, build_needs_document

            letter = build_needs_document(report, load_settings(workspace.store), NeedsDocumentOptions(
                date=args.date, number=args.number, signer_name=args.signer or None))
            written += [str(path) for path in write_letter(letter, docx=args.docx, pdf=args.pdf)]
    finally:
        workspace.close()
    if args.json:
        data = report.to_dict()
        data["ok"] = True
        data["files"] = written
        _print_json(data)
    else:
        print(format_needs(report))
        for path in written:
            print(f"Đã ghi {path}")
    return EXIT_OK


def cmd_prices_show(args: argparse.Namespace) -> int:
    from .prices import format_prices, load_prices

    with _workspace(args) as workspace:
        prices = load_prices(workspace.store, args.file)
    if args.json:
        _print_json(prices.to_dict())
    else:
        print(format_prices(prices))
    return EXIT_OK


def cmd_prices_set(args: argparse.Namespace) -> int:
    from .prices import format_vnd, set_price

    with _workspace(args) as workspace:
        prices = set_price(workspace.store, args.price_id, args.amount, basis=args.basis, date=args.date)
    price = prices[args.price_id]
    if args.json:
        _print_json({"ok": True, "price": price.to_dict()})
    else:
        print(f"Đã lưu đơn giá «{price.label}»: {format_vnd(price.amount)}/{price.unit} "
              f"(trong tệp: {format_vnd(price.file_amount or 0)}), căn cứ: {price.basis}")
    return EXIT_OK


def cmd_prices_reset(args: argparse.Namespace) -> int:
    from .prices import reset_prices

    if not args.ids and not args.all:
        print("Ghi mã đơn giá cần đặt lại, hoặc --all cho mọi đơn giá Sở đã sửa.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as workspace:
        before = {p.id for p in _loaded(workspace).overridden}
        prices = reset_prices(workspace.store, None if args.all else args.ids)
    reset = sorted(before - {p.id for p in prices.overridden})
    if args.json:
        _print_json({"ok": True, "reset": reset})
    elif reset:
        print(f"Đã đặt lại về đơn giá trong tệp: {', '.join(reset)}.")
    else:
        print("Sở chưa sửa đơn giá nào: không có gì để đặt lại.")
    return EXIT_OK


def _loaded(workspace: Workspace):
    from .prices import load_prices

    return load_prices(workspace.store)


def cmd_prices_validate(args: argparse.Namespace) -> int:
    from .prices import PricesInvalid, load_price_file

    results = []
    failed = False
    for path in args.paths:
        try:
            prices = load_price_file(path)
        except PricesInvalid as error:
            failed = True
            results.append({"path": str(path), "ok": False,
                            "problems": [{"code": p.code, "message": p.message, "line": p.line, "price": p.price}
                                         for p in error.problems]})
            if not args.json:
                for problem in error.problems:
                    print(str(problem), file=sys.stderr)
            continue
        results.append({"path": str(path), "ok": True, "version": prices.version, "prices": len(prices.prices)})
        if not args.json:
            print(f"{path}: hợp lệ — phiên bản {prices.version}, {len(prices.prices)} đơn giá, ngày "
                  f"{prices.date.strftime('%d/%m/%Y')}")
    if args.json:
        _print_json(results)
    return EXIT_REJECTED if failed else EXIT_OK
