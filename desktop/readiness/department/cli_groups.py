"""CLI of the named groups of communes: ``readiness group add|list|show|edit|rename|remove``.

A group («Đ/c Nguyễn Tấn Liêm — 7 xã») is what ``--group NAME`` of status, dashboard, trend, report and
needs looks at; ``report --group NAME --docx/--pdf`` writes its follow-up report (seed 002's form).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..service import Workspace

EXIT_OK = 0


def add_group_commands(subparsers: Any) -> None:
    parser_class = getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    group = subparsers.add_parser(
        "group",
        description="Nhóm xã (ví dụ «Đ/c Nguyễn Tấn Liêm — 7 xã») lưu trong cơ sở dữ liệu của Sở. Các lệnh status, "
                    "dashboard, trend, report, needs nhận --group TÊN; «report --group TÊN --docx …» viết báo cáo "
                    "tình hình phụ trách, theo dõi địa bàn của nhóm (theo mẫu báo cáo của Sở).")
    commands = group.add_subparsers(dest="group_command", metavar="LỆNH", required=True, parser_class=parser_class)

    add = commands.add_parser("add", help="tạo nhóm mới")
    add.add_argument("name", metavar="TÊN", help="tên nhóm, ví dụ \"Đ/c Nguyễn Tấn Liêm — 7 xã\"")
    add.add_argument("--communes", required=True, action="append", metavar="MÃ HOẶC TÊN,…",
                     help="các xã: mã hoặc tên, cách nhau bằng dấu phẩy (lặp lại được)")
    _who(add)
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_group_add, func=cmd_group_add)

    listing = commands.add_parser("list", help="các nhóm đã có")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_group_list, func=cmd_group_list)

    show = commands.add_parser("show", help="một nhóm: người phụ trách và các xã")
    show.add_argument("name", metavar="TÊN", help="tên nhóm")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_group_show, func=cmd_group_show)

    edit = commands.add_parser("edit", help="sửa nhóm: thay, thêm hoặc bỏ xã; người phụ trách")
    edit.add_argument("name", metavar="TÊN", help="tên nhóm")
    edit.add_argument("--communes", action="append", default=None, metavar="MÃ HOẶC TÊN,…",
                      help="thay toàn bộ danh sách xã")
    edit.add_argument("--add", action="append", default=None, metavar="MÃ HOẶC TÊN,…", help="thêm các xã này")
    edit.add_argument("--drop", action="append", default=None, metavar="MÃ HOẶC TÊN,…", help="bỏ các xã này khỏi nhóm")
    _who(edit, defaults=None)
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=cmd_group_edit, func=cmd_group_edit)

    rename = commands.add_parser("rename", help="đổi tên nhóm")
    rename.add_argument("name", metavar="TÊN", help="tên hiện tại")
    rename.add_argument("new_name", metavar="TÊN_MỚI", help="tên mới")
    rename.add_argument("--json", action="store_true")
    rename.set_defaults(handler=cmd_group_rename, func=cmd_group_rename)

    remove = commands.add_parser("remove", help="xoá nhóm (các xã và số liệu của xã không thay đổi)")
    remove.add_argument("name", metavar="TÊN", help="tên nhóm")
    remove.add_argument("--json", action="store_true")
    remove.set_defaults(handler=cmd_group_remove, func=cmd_group_remove)


def _who(sub: argparse.ArgumentParser, defaults: str | None = "") -> None:
    sub.add_argument("--person", default=defaults, metavar="HỌ TÊN",
                     help="đồng chí phụ trách, ví dụ \"Nguyễn Tấn Liêm\"")
    sub.add_argument("--role", default=defaults, metavar="CHỨC VỤ",
                     help="chức vụ trong tên báo cáo (mặc định khi tạo: \"Thành viên UBND tỉnh\")")
    sub.add_argument("--note", default=defaults, metavar="GHI CHÚ",
                     help="ví dụ \"Quyết định số 1313/QĐ-UBND ngày 23/10/2025\"")


def _workspace(args: argparse.Namespace) -> Workspace:
    from ..service import Workspace

    return Workspace.open(args.db)


def _home(workspace: Workspace) -> str | None:
    from ..document_settings import load_settings

    return load_settings(workspace.store).home_province


def _print(group: Any, as_json: bool, verb: str) -> None:
    from .groups import format_group

    if as_json:
        print(json.dumps({"ok": True, **group.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(verb)
        print(format_group(group))


def cmd_group_add(args: argparse.Namespace) -> int:
    from .groups import DEFAULT_ROLE, add_group

    with _workspace(args) as workspace:
        group = add_group(workspace, args.name, args.communes, person=args.person, role=args.role or DEFAULT_ROLE,
                          note=args.note, province=_home(workspace))
    _print(group, args.json, "Đã tạo nhóm.")
    return EXIT_OK


def cmd_group_list(args: argparse.Namespace) -> int:
    from .groups import format_groups, list_groups

    with _workspace(args) as workspace:
        groups = list_groups(workspace)
    if args.json:
        print(json.dumps([g.to_dict() for g in groups], ensure_ascii=False, indent=2))
    else:
        print(format_groups(groups))
    return EXIT_OK


def cmd_group_show(args: argparse.Namespace) -> int:
    from .groups import format_group, get_group

    with _workspace(args) as workspace:
        group = get_group(workspace, args.name)
    if args.json:
        print(json.dumps(group.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_group(group))
    return EXIT_OK


def cmd_group_edit(args: argparse.Namespace) -> int:
    from .groups import update_group

    with _workspace(args) as workspace:
        group = update_group(workspace, args.name, communes=args.communes, add=args.add, drop=args.drop,
                             person=args.person, role=args.role, note=args.note, province=_home(workspace))
    _print(group, args.json, "Đã lưu nhóm.")
    return EXIT_OK


def cmd_group_rename(args: argparse.Namespace) -> int:
    from .groups import update_group

    with _workspace(args) as workspace:
        group = update_group(workspace, args.name, new_name=args.new_name)
    _print(group, args.json, "Đã đổi tên nhóm.")
    return EXIT_OK


def cmd_group_remove(args: argparse.Namespace) -> int:
    from .groups import remove_group

    with _workspace(args) as workspace:
        group = remove_group(workspace, args.name)
    if args.json:
        print(json.dumps({"ok": True, "removed": group.name}, ensure_ascii=False))
    else:
        print(f"Đã xoá nhóm «{group.name}» ({group.size} đơn vị).")
    return EXIT_OK
