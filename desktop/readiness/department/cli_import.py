"""The department's ``import`` and ``demo`` commands (registered by :func:`add_import_commands`).

``readiness [--db URL] import PATH... [--json] [--accept-edited] [--require-signature] [--jobs N]``
    exit 0 when every file was imported, updated or a duplicate; 1 when any was refused.
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
    "imported": "Đã nhập", "updated": "Đã cập nhật", "duplicate": "Trùng (đã có)", "rejected": "Từ chối",
    "skipped": "Bỏ qua",
}


def add_import_commands(subparsers: Any) -> None:
    """Add ``import`` and ``demo`` to the ``readiness`` command line."""
    command = subparsers.add_parser("import", help="nhập các tệp Excel xã gửi về (tệp hoặc thư mục)")
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="tệp .xlsx hoặc thư mục (tìm cả thư mục con)")
    command.add_argument("--json", action="store_true", help="mỗi tệp một dòng JSON (JSON Lines)")
    command.add_argument("--accept-edited", action="store_true",
                         help="chấp nhận tệp đã bị sửa tay sau khi xuất (nhập giá trị trên sheet, liệt kê phần sửa)")
    command.add_argument("--require-signature", action="store_true",
                         help="chỉ nhận tệp có chữ ký số hợp lệ của xã (mặc định: nhận cả tệp chưa ký, có đánh dấu)")
    command.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="số tiến trình đọc tệp song song (mặc định: số nhân CPU; 0: không tách tiến trình)")
    command.set_defaults(handler=cmd_import)

    demo = subparsers.add_parser("demo", help="tạo các tệp nộp mẫu của các xã (để thử và đo hiệu năng)")
    demo.add_argument("--count", type=int, required=True, metavar="N")
    demo.add_argument("--period", required=True, metavar="YYYY-MM")
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--province", default="51", metavar="CODE|all", help="mã tỉnh (mặc định 51 Quảng Ngãi; all: cả nước)")
    state = demo.add_mutually_exclusive_group()
    state.add_argument("--finalized", dest="finalized", action="store_true", default=True, help="bản đã hoàn thành (mặc định)")
    state.add_argument("--draft", dest="finalized", action="store_false", help="bản nháp")
    demo.add_argument("--jobs", type=int, default=None, metavar="N")
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
            f"xã {result.commune}" if result.commune else "", f"kỳ {result.period}" if result.period else "",
            f"lần {result.revision}" if result.revision else "") if part)
        print(f"{_STATUS_VI.get(result.status, result.status)}: {result.file}" + (f" — {who}" if who else ""))
        for error in result.errors:
            print(f"    {error.code}: {error.message}")
        for warning in result.warnings:
            print(f"    {warning.code}: {warning.message}")
        if result.signature and result.signature.get("status") != "invalid":  # invalid: printed as an error above
            print(f"    {result.signature['text']}")

    if args.jobs is not None and args.jobs < 0:
        print("Lỗi: --jobs phải là số không âm.", file=sys.stderr)
        return EXIT_USAGE
    workspace = Workspace.open(args.db)
    cancel = Event()
    try:
        report = import_paths(workspace, args.paths, accept_edited=args.accept_edited, jobs=args.jobs,
                              progress=progress, cancel=cancel, on_result=show,
                              require_signature=getattr(args, "require_signature", False))
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
        parts = [f"{counts[status]} {_STATUS_VI[status].lower()}" for status in _STATUS_VI if counts[status]]
        rate = len(report.results) / report.seconds if report.seconds else 0
        print(f"— {len(report.results)} tệp: {', '.join(parts) or 'không có tệp nào'} ({report.seconds:.1f} s, "
              f"{rate:.0f} tệp/s).", file=sys.stderr)
    return report.exit_code


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo_export import DemoError, write_demo_submissions

    progress = _ProgressLine("Đang tạo")
    try:
        files = write_demo_submissions(args.out, count=args.count, period=args.period, seed=args.seed,
                                       province=None if args.province == "all" else args.province,
                                       finalized=args.finalized, jobs=args.jobs, progress=progress)
    except DemoError as error:
        progress.clear()
        print(f"Lỗi ({error.code}): {error.message}", file=sys.stderr)
        return EXIT_REJECTED
    finally:
        progress.clear()
    if args.json:
        for demo_file in files:
            print(json.dumps({"file": str(demo_file.path), "commune": demo_file.commune_code, "profile": demo_file.profile,
                              "status": demo_file.status, "level": demo_file.level}, ensure_ascii=False))
    else:
        print(f"Đã tạo {len(files)} tệp nộp mẫu trong {args.out}.")
    return EXIT_OK
