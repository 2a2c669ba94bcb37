"""The department's ``import`` and ``demo`` commands (registered by :func:`add_import_commands`).

``readiness [--db URL] import PATH... [--json] [--accept-edited] [--require-signature] [--jobs N]
[--accept-unsigned-replacement CODE --reason TEXT]``
    exit 0 when every file was imported, updated, a duplicate or skipped; 1 when any was refused or held.
``readiness held [--period YYYY-MM] [--commune CODE] [--all] [--json]``
    the held revisions (later revisions kept aside instead of replacing a validly signed one);
``readiness held accept|dismiss (--id N | --commune CODE --period YYYY-MM [--revision N]) --reason TEXT``
    the department's decision on one, recorded in the import log.
``readiness demo --count N --period YYYY-MM --out DIR [--seed S] [--province CODE|all] [--finalized|--draft]``
    writes N demo submissions of register communes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

_STATUS_VI = {
    "imported": "Đã nhập", "updated": "Đã cập nhật", "duplicate": "Trùng (đã có)", "held": "Giữ lại",
    "rejected": "Từ chối", "skipped": "Bỏ qua",
}


def add_import_commands(subparsers: Any) -> None:
    """Add ``import`` and ``demo`` to the ``readiness`` command line."""
    command = subparsers.add_parser("import")
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                         help="tệp .xlsx hoặc thư mục (tìm cả thư mục con)")
    command.add_argument("--json", action="store_true", help="mỗi tệp một dòng JSON (JSON Lines)")
    command.add_argument("--accept-edited", action="store_true",
                         help="chấp nhận tệp đã bị sửa tay sau khi xuất (nhập giá trị trên sheet, liệt kê phần sửa)")
    command.add_argument("--require-signature", action="store_true",
                         help="chỉ nhận tệp có chữ ký số hợp lệ của xã (mặc định: nhận cả tệp chưa ký, có đánh dấu)")
    command.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="số tiến trình đọc tệp song song (mặc định: số nhân CPU; 0: không tách tiến trình)")
    command.add_argument("--accept-unsigned-replacement", action="append", default=[], metavar="MÃ_XÃ",
                         dest="accept_replacement",
                         help="chấp nhận cho xã này (lặp lại hoặc cách nhau bằng dấu phẩy) bản mới thay bản đã ký số dù "
                              "bản mới không ký số, ký bởi tổ chức khác hoặc ký sớm hơn (cần --reason)")
    command.add_argument("--reason", default=None, metavar="LÝ_DO", help="lý do chấp nhận (ghi vào nhật ký nhập)")
    command.set_defaults(handler=cmd_import)

    held = subparsers.add_parser("held")
    _held_filters(held)
    held.set_defaults(handler=cmd_held)
    actions = held.add_subparsers(dest="held_action", metavar="{accept,dismiss}")
    for name, accept, text in (("accept", True, "chấp nhận: lưu bản giữ lại thành lần sửa mới nhất của xã"),
                               ("dismiss", False, "bỏ bản giữ lại (không lưu gì của bản đó)")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--id", type=int, default=None, metavar="N", help="số của bản giữ lại (readiness held)")
        action.add_argument("--commune", default=None, metavar="MÃ_XÃ", help="thay cho --id: mã xã của bản giữ lại")
        action.add_argument("--period", default=None, metavar="YYYY-MM", help="với --commune: kỳ của bản giữ lại")
        action.add_argument("--revision", type=int, default=None, metavar="N",
                            help="với --commune, --period: lần gửi của bản giữ lại")
        action.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do (ghi vào nhật ký nhập)")
        action.add_argument("--json", action="store_true")
        action.set_defaults(handler=cmd_held_decide, accept=accept)

    demo = subparsers.add_parser("demo")
    demo.add_argument("--count", type=int, required=True, metavar="N", help="số xã có tệp mẫu")
    demo.add_argument("--period", required=True, metavar="YYYY-MM")
    demo.add_argument("--out", type=Path, required=True, metavar="DIR", help="thư mục ghi các tệp mẫu")
    demo.add_argument("--seed", type=int, default=2025, metavar="N",
                      help="hạt giống ngẫu nhiên (mặc định 2025; cùng hạt giống: cùng các tệp)")
    demo.add_argument("--province", default="51", metavar="CODE|all",
                      help="mã tỉnh (mặc định 51 Quảng Ngãi; all: cả nước)")
    state = demo.add_mutually_exclusive_group()
    state.add_argument("--finalized", dest="finalized", action="store_true", default=True,
                       help="bản đã hoàn thành (mặc định)")
    state.add_argument("--draft", dest="finalized", action="store_false", help="bản nháp")
    demo.add_argument("--jobs", type=int, default=None, metavar="N", help="số tiến trình ghi tệp (mặc định: số CPU)")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=cmd_demo)


class _ProgressLine:
    """``Đang nhập 120/3321 — tên tệp`` on stderr, rewritten in place (only on a terminal)."""

    def __init__(self, verb: str):
        self.verb = verb
        self.enabled = sys.stderr.isatty()
        self.width = 0

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled or not total:
            return
        line = f"{self.verb} {done}/{total} ({done * 100 // total}%) {name}"[:110]
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = len(line)

    def clear(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0


def _held_filters(parser: Any) -> None:
    parser.add_argument("--period", default=None, metavar="YYYY-MM")
    parser.add_argument("--commune", default=None, metavar="MÃ_XÃ")
    parser.add_argument("--all", action="store_true",
                        help="cả các bản đã được xử lý (chấp nhận, bỏ, đã có bản mới hơn)")
    parser.add_argument("--json", action="store_true")


def _codes(values: list[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def cmd_import(args: argparse.Namespace) -> int:
    from threading import Event

    from ..service import Workspace
    from .importer import FileResult, import_paths

    progress = _ProgressLine("Đang nhập")

    def show(result: FileResult) -> None:
        progress.clear()
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
            return
        who = " ".join(part for part in (
            f"xã {result.commune}" if result.commune else "", f"kỳ {result.period[5:7]}/{result.period[:4]}" if result.period and len(result.period) == 7 else
            f"kỳ {result.period}" if result.period else "",
            f"lần {result.revision}" if result.revision else "") if part)
        print(f"{_STATUS_VI.get(result.status, result.status)}: {result.file}" + (f" — {who}" if who else ""))
        for error in result.errors:
            print(f"    {error.code}: {error.message}")
        for warning in result.warnings:
            print(f"    {warning.code}: {warning.message}")
        if result.signature and result.signature.get("status") != "invalid":  # invalid: printed as an error above
            print(f"    {result.signature['text']}")
        if result.held:
            print(f"    Bản giữ lại số {result.held['id']}: chấp nhận bằng «readiness held accept --id "
                  f"{result.held['id']} --reason …», hoặc bỏ bằng «readiness held dismiss --id {result.held['id']} "
                  "--reason …».")

    if args.jobs is not None and args.jobs < 0:
        print("Lỗi: --jobs phải là số không âm.", file=sys.stderr)
        return EXIT_USAGE
    accept = _codes(getattr(args, "accept_replacement", []) or [])
    if accept and not (args.reason or "").strip():
        print("Lỗi: ghi lý do chấp nhận bản thay thế bản đã ký số bằng --reason «…» (được ghi vào nhật ký nhập).",
              file=sys.stderr)
        return EXIT_USAGE
    if args.reason and not accept:
        print("Lỗi: --reason chỉ dùng cùng --accept-unsigned-replacement MÃ_XÃ.", file=sys.stderr)
        return EXIT_USAGE
    workspace = Workspace.open(args.db)
    cancel = Event()
    try:
        report = import_paths(workspace, args.paths, accept_edited=args.accept_edited, jobs=args.jobs,
                              progress=progress, cancel=cancel, on_result=show,
                              require_signature=getattr(args, "require_signature", False),
                              accept_replacement=accept, accept_reason=args.reason)
    except KeyboardInterrupt:
        cancel.set()
        progress.clear()
        print("Đã dừng nhập; các tệp đã nhập xong vẫn được giữ.", file=sys.stderr)
        return 130
    finally:
        progress.clear()
        workspace.close()
    counts = report.counts
    if not args.json:
        from ..numbers import integer

        parts = [f"{integer(counts[status])} {_STATUS_VI[status].lower()}" for status in _STATUS_VI if counts[status]]
        print(f"— {integer(len(report.results))} tệp: {', '.join(parts) or 'không có tệp nào'} "
              f"({summary_time(len(report.results), report.seconds)}).", file=sys.stderr)
    return report.exit_code


def summary_time(files: int, seconds: float) -> str:
    """``12,3 giây, 27 tệp/giây``; the rate only when it means something (several files, a second or more),
    and as seconds per file when it is under one file a second (never "0 tệp/giây")."""
    from ..numbers import number

    text = f"{number(seconds, decimals=1, fixed=True)} giây" if seconds >= 0.1 else "dưới 0,1 giây"
    if files < 2 or seconds < 1:
        return text
    rate = files / seconds
    if rate >= 1:
        return f"{text}, {number(rate, decimals=0)} tệp/giây"
    return f"{text}, {number(seconds / files, decimals=1, fixed=True)} giây/tệp"


def cmd_held(args: argparse.Namespace) -> int:
    from ..service import Workspace
    from ..store.db import validate_period
    from .held import describe, held_revisions

    period = validate_period(args.period) if args.period else None
    with Workspace.open(args.db) as workspace:
        found = held_revisions(workspace.store, period=period, commune_code=args.commune,
                               states=None if args.all else ("pending",))
        names = {c.code: c.name for c in workspace.store.all_communes()} if found else {}
    if args.json:
        print(json.dumps([held.to_dict() for held in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("Không có bản nộp nào bị giữ lại." if not args.all else "Chưa có bản nộp nào từng bị giữ lại.")
        return EXIT_OK
    from ..store.imports import HELD_STATE_LABELS

    for held in found:
        line = describe(held, names)
        if args.all:
            line += f" — {HELD_STATE_LABELS.get(held.state, held.state)}"
            if held.decided_by and held.decided_at is not None:
                line += f" ({held.decided_by}, {held.decided_at.astimezone():%d/%m/%Y %H:%M}: {held.decision_note})"
        print(line)
    pending = sum(1 for held in found if held.pending)
    if pending:
        print(f"— {pending} bản chờ Sở quyết định: «readiness held accept --id N --reason …» để dùng bản đó, "
              "«readiness held dismiss --id N --reason …» để bỏ.", file=sys.stderr)
    return EXIT_OK


def cmd_held_decide(args: argparse.Namespace) -> int:
    from ..service import Workspace
    from ..store.db import period_label, validate_period
    from .held import accept_held, dismiss_held, find_held

    period = validate_period(args.period) if args.period else None
    with Workspace.open(args.db) as workspace:
        held = find_held(workspace, held_id=args.id, commune_code=args.commune, period=period, revision=args.revision)
        decide = accept_held if args.accept else dismiss_held
        outcome = decide(workspace, held, args.reason)
    if args.json:
        print(json.dumps({"ok": True, "held": held.id, "decision": "accepted" if args.accept else "dismissed",
                          "commune": held.commune_code, "period": held.period, "revision": outcome.revision,
                          "assessment": outcome.assessment_id, "log_id": outcome.log_id}, ensure_ascii=False))
    elif args.accept:
        print(f"Đã chấp nhận bản giữ lại số {held.id}: xã {held.commune_code}, kỳ {period_label(held.period)}, "
              f"lần {outcome.revision} là bản đang dùng. Đã ghi vào nhật ký nhập.")
    else:
        print(f"Đã bỏ bản giữ lại số {held.id} (xã {held.commune_code}, kỳ {period_label(held.period)}, lần "
              f"{held.revision}). Đã ghi vào nhật ký nhập.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo_export import write_demo_submissions

    progress = _ProgressLine("Đang tạo")
    try:  # a DemoError is printed by readiness.cli.main, as every failure
        files = write_demo_submissions(args.out, count=args.count, period=args.period, seed=args.seed,
                                       province=None if args.province == "all" else args.province,
                                       finalized=args.finalized, jobs=args.jobs, progress=progress)
    finally:
        progress.clear()
    if args.json:
        for demo_file in files:
            print(json.dumps({"file": str(demo_file.path), "commune": demo_file.commune_code, "profile": demo_file.profile,
                              "status": demo_file.status, "level": demo_file.level}, ensure_ascii=False))
    else:
        print(f"Đã tạo {len(files)} tệp nộp mẫu trong {args.out}.")
    return EXIT_OK
