"""``readiness``: the command line, over the same core the GUI uses.

Exit codes: 0 done, 1 input rejected (bad answers, invalid file, nothing written), 2 usage error.
Messages are Vietnamese; ``--json`` output is for scripts (formats in README.md).  Every failure, of any
command, is printed by :func:`main` through :func:`readiness.errors.print_failure` (code, where, message,
what to do; docs/errors.md); an unexpected one is logged and named ``E-INTERNAL`` with the log file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

# ``readiness --help`` imports argparse and this module only (issue 16): typing, pathlib, json and shutil are
# left to what needs them (each costs as much as a tenth of starting Python).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn


# How numbers are written (readiness.numbers, with decimal): loaded by the first command that prints one.
def number(*args: Any, **kwargs: Any) -> str:
    from .numbers import number as write

    return write(*args, **kwargs)


def score_words(*args: Any, **kwargs: Any) -> str:
    from .numbers import score as write

    return write(*args, **kwargs)


def share(*args: Any, **kwargs: Any) -> str:
    from .numbers import share as write

    return write(*args, **kwargs)


if TYPE_CHECKING:
    from .service import AssessmentSession, Workspace

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        return super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


_WIDTH: list[int] = []


def _terminal_width() -> int:
    """argparse's own default (the terminal's columns less 2), asked once per run."""
    if not _WIDTH:
        import os

        try:  # shutil.get_terminal_size's way, without importing shutil
            columns = int(os.environ.get("COLUMNS", "0"))
        except ValueError:
            columns = 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                columns = 0
        _WIDTH.append((columns or 80) - 2)
    return _WIDTH[0]


class _Parser(argparse.ArgumentParser):
    """argparse in Vietnamese: «cách dùng», «tham số», «tùy chọn», the help option's own words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="xem hướng dẫn này rồi thoát")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument (to check the metavar), and each one asks the
        # terminal its size: ~1,400 system calls for our ~50 parsers.  The width is the same all run long.
        return self.formatter_class(prog=self.prog, width=_terminal_width())  # type: ignore[call-arg]  # a HelpFormatter takes width

    def format_help(self) -> str:
        for action in self._actions:  # the options every command shares are described once, here
            if action.help is None:
                action.help = _shared_help(action)
        return super().format_help()

    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep that, in Vietnamese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp lệnh: {_vietnamese_usage_error(message)}\n")


def _shared_help(action: argparse.Action) -> str | None:
    """The words of an option many commands have (``--json``, ``--period``, ``--commune``), where the command
    gives none of its own."""
    option = action.option_strings[0] if action.option_strings else None
    if option == "--json":
        return "in kết quả dạng JSON (cho chương trình khác đọc)"
    if option == "--period":
        return "kỳ báo cáo, năm-tháng (ví dụ 2025-11)"
    if option == "--commune":
        if action.required:
            return "mã xã (5 chữ số)"
        return "chỉ xã này (mã 5 chữ số; lặp lại được)" if isinstance(action, argparse._AppendAction) else \
            "chỉ xã này (mã 5 chữ số)"
    return None


_ARGPARSE_ERRORS = (  # argparse's own words in an error message -> ours
    ("the following arguments are required:", "thiếu tham số bắt buộc:"),
    ("unrecognized arguments:", "tham số không nhận ra:"),
    ("invalid choice:", "giá trị không hợp lệ:"),
    ("(choose from", "(chọn một trong"),
    ("expected one argument", "cần một giá trị"),
    ("invalid int value:", "không phải số nguyên:"),
    ("not allowed with argument", "không dùng cùng với"),
    ("argument ", "tham số "),
)


def _vietnamese_usage_error(message: str) -> str:
    for english, vietnamese in _ARGPARSE_ERRORS:
        message = message.replace(english, vietnamese)
    return message


class _VersionAction(argparse.Action):
    """``--version``: the installed version, read only when asked (importlib.metadata is not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, default: Any = argparse.SUPPRESS,
                 help: str | None = None) -> None:  # noqa: A002 - argparse's keyword
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from . import __version__

        parser._print_message(f"{parser.prog} {__version__}\n", sys.stdout)
        parser.exit()


class _Commands(argparse._SubParsersAction):
    """The commands of ``readiness``: each listed at once with its one-line help (``readiness --help``), its
    parser built only when the command is chosen, by the function that adds it and the rest of its group.

    Building every command's parser took most of ``readiness --help`` (~80 parsers, ~470 options; issue 16)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._builders: dict[str, Callable[[Any], object] | str] = {}
        self._name_parser_map = self.choices = _ParsersWhenAsked(self)

    def add_later(self, name: str, help: str, build: Callable[[Any], object] | str) -> None:  # noqa: A002
        """List ``name`` with its help; ``build(self)`` (a function, or ``"module:function"``) adds its parser."""
        self._builders[name] = build
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help))
        dict.__setitem__(self._name_parser_map, name, None)

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if name not in self._builders:
            return super().add_parser(name, **kwargs)
        kwargs.pop("help", None)  # listed already, with the words of _COMMANDS
        if kwargs.get("prog") is None:
            kwargs["prog"] = f"{self._prog_prefix} {name}"
        del self._builders[name]
        parser = self._parser_class(**kwargs)
        dict.__setitem__(self._name_parser_map, name, parser)
        return parser

    def build(self, name: str) -> None:
        build = self._builders[name]
        if isinstance(build, str):
            from importlib import import_module

            module, _, function = build.partition(":")
            try:
                build = getattr(import_module(module, __package__), function)
            except ImportError:  # pragma: no cover - a build without that package
                raise argparse.ArgumentError(self, f"lệnh «{name}» không có trong bản cài đặt này") from None
        build(self)
        if name in self._builders:
            raise RuntimeError(f"{build} did not add the command {name!r}")


class _ParsersWhenAsked(dict):
    """argparse's map of command names to parsers, whose parsers are built the first time they are asked for."""

    def __init__(self, commands: _Commands) -> None:
        super().__init__()
        self._commands = commands

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        parser = super().__getitem__(name)
        if parser is None:
            self._commands.build(name)
            parser = super().__getitem__(name)
        return parser

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default

    def values(self) -> list[argparse.ArgumentParser]:  # type: ignore[override]
        return [self[name] for name in self]

    def items(self) -> list[tuple[str, argparse.ArgumentParser]]:  # type: ignore[override]
        return [(name, self[name]) for name in self]


def build_parser() -> argparse.ArgumentParser:
    """The ``readiness`` parser: its options and the list of commands; a command's own parser is built when
    that command is chosen (``parser.parse_args``), or asked for by name."""
    parser = _Parser(prog="readiness", description="Sẵn sàng Một cửa — tự đánh giá mức sẵn sàng CNTT của Bộ phận Một cửa cấp xã.")
    parser.add_argument("--version", action=_VersionAction,
                        help="xem số phiên bản rồi thoát")
    parser.add_argument("--db", metavar="URL",
                        help="cơ sở dữ liệu (mặc định: SQLite trong thư mục dữ liệu người dùng; hoặc READINESS_DB)")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ hiển thị (vi mặc định)")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser, action=_Commands)
    assert isinstance(commands, _Commands)
    for build, names in _COMMANDS:
        for name, help_text in names:
            commands.add_later(name, help_text, build)
    return parser


def _selectors(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--commune", required=True, metavar="CODE", help="mã xã (5 chữ số)")
    sub.add_argument("--period", required=True, metavar="YYYY-MM", help="kỳ báo cáo, ví dụ 2025-11")


def _add_checklist_command(commands: argparse._SubParsersAction) -> None:
    from pathlib import Path

    checklist = commands.add_parser("checklist")
    checklist_commands = checklist.add_subparsers(dest="checklist_command", metavar="LỆNH", required=True, parser_class=_Parser)
    validate = checklist_commands.add_parser("validate", help="kiểm tra tệp định nghĩa bảng kiểm (YAML)")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="tệp YAML cần kiểm tra (một hoặc nhiều)")
    validate.set_defaults(handler=cmd_checklist_validate)
    show = checklist_commands.add_parser("show", help="liệt kê từng phần và câu hỏi của bảng kiểm")
    show.add_argument("--id", default=None, help="mã bảng kiểm (mặc định: one-stop-shop-it-readiness)")
    show.add_argument("--version", dest="checklist_version", type=int, default=None,
                      help="phiên bản (mặc định: mới nhất)")
    show.add_argument("--path", type=Path, default=None, help="xem một tệp YAML thay vì bảng kiểm đã cài")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_checklist_show)
    contacts = checklist_commands.add_parser(
        "contacts", help="nơi liên hệ mà lời khuyên nêu cho xã của một tỉnh (tệp contacts.yaml cạnh bảng kiểm)")
    contacts.add_argument("--province", default=None, metavar="MÃ",
                          help="mã tỉnh (51: Quảng Ngãi); không ghi: cách gọi chung và các tỉnh đã khai riêng")
    contacts.add_argument("--id", default=None, help="mã bảng kiểm (mặc định: one-stop-shop-it-readiness)")
    contacts.add_argument("--json", action="store_true")
    contacts.set_defaults(handler=cmd_checklist_contacts)

    upgrade = checklist_commands.add_parser(
        "upgrade", help="chấm lại bản nháp theo phiên bản bảng kiểm mới nhất, cho biết thay đổi gì (--apply để chuyển)")
    upgrade.add_argument("--commune", required=True, metavar="CODE")
    upgrade.add_argument("--period", required=True, metavar="YYYY-MM")
    upgrade.add_argument("--apply", action="store_true", help="chuyển bản nháp sang phiên bản mới")
    upgrade.add_argument("--json", action="store_true")
    upgrade.set_defaults(handler=cmd_checklist_upgrade)


def _add_assessment_commands(commands: argparse._SubParsersAction) -> None:
    """communes, start, confirm, fill, score, finalize, reopen, history."""
    from pathlib import Path

    communes = commands.add_parser("communes")
    communes.add_argument("--search", default=None, help="tìm theo tên, có hoặc không dấu (\"dak ha\")")
    communes.add_argument("--province", default="51", help="mã tỉnh (mặc định 51 Quảng Ngãi; 'all' cả nước)")
    communes.add_argument("--json", action="store_true")
    communes.set_defaults(handler=cmd_communes)

    start = commands.add_parser("start")
    _selectors(start)
    way = start.add_mutually_exclusive_group()
    way.add_argument("--from", dest="from_period", metavar="YYYY-MM",
                     help="mang sang từ bản đã hoàn thành của kỳ này (mặc định: kỳ đã hoàn thành gần nhất)")
    way.add_argument("--empty", action="store_true", help="bắt đầu từ phiếu trống")
    start.add_argument("--json", action="store_true")
    start.set_defaults(handler=cmd_start)

    confirm = commands.add_parser("confirm")
    _selectors(confirm)
    which = confirm.add_mutually_exclusive_group(required=True)
    which.add_argument("--section", action="append", metavar="PHẦN",
                       help="mã phần (general) hoặc số thứ tự (1); lặp lại để xác nhận nhiều phần")
    which.add_argument("--all", action="store_true", help="mọi phần chưa xác nhận")
    confirm.add_argument("--json", action="store_true")
    confirm.set_defaults(handler=cmd_confirm)

    fill = commands.add_parser("fill")
    _selectors(fill)
    source = fill.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", type=Path, metavar="FILE.json", help="câu trả lời dạng JSON")
    source.add_argument("--template", type=Path, metavar="FILE.xlsx",
                        help="phiếu trống đã điền (kiểm tra như khi Sở nhập; liệt kê các thay đổi rồi mới lưu)")
    fill.add_argument("--dry-run", action="store_true", help="với --template: chỉ liệt kê thay đổi, không lưu")
    fill.add_argument("--from", dest="from_period", metavar="YYYY-MM",
                      help="kỳ chưa có bản nháp: bắt đầu từ bản đã hoàn thành của kỳ này (mặc định: phiếu trống)")
    fill.add_argument("--json", action="store_true")
    fill.set_defaults(handler=cmd_fill)

    score = commands.add_parser("score")
    _selectors(score)
    score.add_argument("--json", action="store_true")
    score.set_defaults(handler=cmd_score)

    finalize = commands.add_parser("finalize")
    _selectors(finalize)
    finalize.add_argument("--json", action="store_true")
    finalize.set_defaults(handler=cmd_finalize)

    reopen = commands.add_parser("reopen")
    _selectors(reopen)
    reopen.add_argument("--json", action="store_true")
    reopen.set_defaults(handler=cmd_reopen)

    history = commands.add_parser("history")
    history.add_argument("--commune", required=True, metavar="CODE")
    history.add_argument("--period", default=None, metavar="YYYY-MM")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=cmd_history)


def _add_backup_commands(commands: argparse._SubParsersAction) -> None:
    from pathlib import Path

    backup = commands.add_parser("backup")
    backup.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore")
    restore.add_argument("file", type=Path, metavar="FILE", help="tệp sao lưu (readiness backup) để khôi phục")
    restore.set_defaults(handler=cmd_restore)


def _add_document_commands(commands: argparse._SubParsersAction) -> None:
    """The submission workbook and report, the blank template, the field checklist (readiness.exchange)."""
    from pathlib import Path

    export = commands.add_parser("export")
    _selectors(export)
    export.add_argument("--xlsx", type=Path, default=None, metavar="FILE",
                        help="tệp bảng tính (hoặc thư mục: đặt tên theo mã xã, kỳ, tên xã)")
    export.add_argument("--pdf", type=Path, default=None, metavar="FILE", help="tệp báo cáo PDF")
    export.add_argument("--out-dir", type=Path, default=None, metavar="DIR",
                        help="thư mục ghi tệp với tên gợi ý (cả .xlsx và .pdf nếu không chỉ định tệp nào)")
    export.add_argument("--number", default="", metavar="SỐ",
                        help="số văn bản trên báo cáo (để trống: điền tay khi ban hành)")
    export.add_argument("--signer", default="", metavar="HỌ TÊN", help="họ tên người ký báo cáo")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=cmd_export)

    template = commands.add_parser("template")
    template.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx", help="tệp ghi ra (hoặc thư mục)")
    template.add_argument("--commune", default=None, metavar="CODE", help="mã xã điền sẵn vào phiếu")
    template.add_argument("--period", default=None, metavar="YYYY-MM", help="kỳ báo cáo điền sẵn vào phiếu")
    template.add_argument("--checklist", default=None, metavar="ID",
                          help="mã bảng kiểm (mặc định: bảng kiểm đang dùng)")
    template.add_argument("--rows", type=int, default=None, metavar="N",
                          help="số dòng trống của mỗi bảng (mặc định 30)")
    template.add_argument("--json", action="store_true")
    template.set_defaults(handler=cmd_template)

    print_checklist = commands.add_parser("print-checklist")
    print_checklist.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                                 help="tệp ghi ra (hoặc thư mục)")
    print_checklist.add_argument("--commune", default=None, metavar="CODE", help="mã xã in trên từng trang")
    print_checklist.add_argument("--checklist", default=None, metavar="ID",
                                 help="mã bảng kiểm (mặc định: bảng kiểm đang dùng)")
    print_checklist.add_argument("--json", action="store_true")
    print_checklist.set_defaults(handler=cmd_print_checklist)


# Every command of ``readiness``, in the order ``readiness --help`` lists them: the function that adds the
# parsers of a group of commands (or where to import it from), and each command's one-line help.  ``--help``
# lists them from here alone; a command's parser is built only when it is chosen (_Commands).
_COMMANDS: tuple[tuple[Callable[[Any], object] | str, tuple[tuple[str, str], ...]], ...] = (
    (_add_checklist_command, (
        ("checklist", "bảng kiểm: kiểm tra tệp định nghĩa, xem nội dung"),
    )),
    (_add_assessment_commands, (
        ("communes", "danh mục đơn vị hành chính cấp xã"),
        ("start", "bắt đầu một kỳ chưa có bản đánh giá: từ kỳ đã hoàn thành gần nhất (mặc định), từ kỳ --from, hoặc "
                  "từ phiếu trống (--empty)"),
        ("confirm", "xác nhận các phần không thay đổi so với kỳ trước (bản nháp mang sang từ kỳ trước)"),
        ("fill", "nhập câu trả lời từ tệp JSON hoặc phiếu Excel đã điền (tạo hoặc cập nhật bản nháp)"),
        ("score", "điểm, mức sẵn sàng và danh sách tồn tại"),
        ("finalize", "hoàn thành bản đánh giá (không sửa được nữa)"),
        ("reopen", "mở lại bản đã hoàn thành thành một lần sửa mới"),
        ("history", "các lần sửa của một xã"),
    )),
    (_add_backup_commands, (
        ("backup", "sao lưu cơ sở dữ liệu ra một tệp"),
        ("restore", "khôi phục cơ sở dữ liệu từ tệp sao lưu (kiểm tra trước khi thay)"),
    )),
    (_add_document_commands, (
        ("export", "xuất tệp gửi Sở KHCN: bảng tính .xlsx và/hoặc báo cáo .pdf"),
        ("template", "tạo phiếu tự đánh giá trống (.xlsx) để điền tay rồi nhập lại"),
        ("print-checklist", "in phiếu khảo sát (PDF) cho kỹ thuật viên tại trụ sở"),
    )),
    (".probe.cli:add_probe_commands", (
        ("probe", "đo cấu hình máy, tốc độ mạng, sẵn sàng ký số"),
    )),
    (".signing.cli:add_signing_commands", (
        ("sign", "ký số tệp kết quả (Excel và báo cáo PDF) bằng chứng thư số của đơn vị"),
        ("trust", "chứng thư gốc tin cậy của Sở (để kiểm tra chữ ký số khi nhập)"),
    )),
    (".department.cli_import:add_import_commands", (
        ("import", "nhập các tệp Excel xã gửi về (tệp hoặc thư mục)"),
        ("held", "các bản nộp mới bị giữ lại (không thay bản đã ký số): xem, chấp nhận, bỏ"),
        ("demo", "tạo các tệp nộp mẫu của các xã (để thử và đo hiệu năng)"),
    )),
    (".department.cli_report:add_report_commands", (
        ("status", "tình hình nộp bản tự đánh giá của các xã trong một kỳ (Sở KHCN)"),
        ("dashboard", "số liệu tổng hợp một kỳ: mức sẵn sàng, điểm từng phần, tồn tại phổ biến"),
        ("trend", "diễn biến qua các kỳ: điểm, mức, tiêu chí cải thiện hoặc xấu đi"),
        ("report", "báo cáo tổng hợp một kỳ: Excel, PDF, Word"),
        ("petitions", "kiến nghị của các xã: xem, chuyển, trả lời, đánh dấu đã giải quyết"),
        ("cache", "bộ nhớ đệm điểm của các xã, trong cơ sở dữ liệu, dùng chung cho mọi máy: xem, tính sẵn, xóa"),
    )),
    (".department.cli_letters:add_letter_commands", (
        ("settings", "thiết lập văn bản: cơ quan ban hành, địa danh, người ký, «Nơi nhận» (mọi báo cáo, công văn)"),
        ("feedback", "công văn thông báo kết quả tự đánh giá cho từng xã (Word, PDF)"),
    )),
    (".department.cli_groups:add_group_commands", (
        ("group", "nhóm xã do một đồng chí phụ trách, theo dõi: tạo, xem, sửa, đổi tên, xoá"),
    )),
    (".department.cli_needs:add_needs_commands", (
        ("needs", "nhu cầu đầu tư: máy tính chưa đạt, thiết bị, chứng thư số, đường truyền … và kinh phí ước tính"),
        ("prices", "đơn giá dùng để ước tính kinh phí: xem, sửa, đặt lại, kiểm tra tệp"),
    )),
    (".department.cli_cycle:add_cycle_commands", (
        ("period", "kỳ báo cáo và hạn nộp: đặt hạn, xem các kỳ"),
        ("remind", "công văn đôn đốc các xã chưa gửi kết quả (Word, PDF) và danh sách liên hệ (Excel)"),
        ("receipt", "giấy xác nhận đã nhận kết quả tự đánh giá (PDF) cho từng bản đã tiếp nhận; «receipt check» để "
                    "xã đối chiếu"),
    )),
    (".department.cli_mail:add_mail_commands", (
        ("inbox", "hộp thư công vụ của Sở: thiết lập, nhận và nhập kết quả các xã gửi, trả lời giấy xác nhận"),
        ("contacts", "người liên hệ của các xã (Sở nhập, hoặc theo phiếu/thư gần nhất)"),
    )),
)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_console()
    stdout = sys.stdout
    sys.stdout = _ReaderMayLeave(stdout)
    try:
        return _main(argv)
    finally:
        sys.stdout = stdout


class _ReaderMayLeave:
    """Standard output for a reader that may stop reading (``readiness communes --json | head -1``).

    When the pipe closes, the rest of the output is dropped quietly and the command finishes its work
    (an import goes on to its last file): no BrokenPipeError traceback, for every command, here."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        import os

        self.broken = True
        try:  # what is still buffered, and Python's flush at exit, go nowhere instead of failing again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    from .logs import configure_logging

    configure_logging()  # library logs (pyHanko's tracebacks) and known dependency warnings go to the log file
    from .checklist.loader import ChecklistInvalid

    try:
        return int(handler(args) or 0)
    except ChecklistInvalid as error:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_REJECTED
    except Exception as error:  # noqa: BLE001 - every failure is coded and worded one way (readiness.errors)
        return fail(args, error)


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper unless replaced
        except (AttributeError, ValueError):
            pass


def fail(args: argparse.Namespace, error: BaseException) -> int:
    """Print a failure as every command does (``--json``: on stdout); the exit code, 1."""
    from .errors import print_failure

    return print_failure(error, json_output=bool(getattr(args, "json", False)), lang=getattr(args, "lang", "vi"))


def _print_json(data: Any) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace of ``--db``; use it as a context manager (``with _workspace(args) as workspace:``)."""
    from .service import Workspace

    return Workspace.open(args.db)


# -- checklist ---------------------------------------------------------------------------------


def cmd_checklist_validate(args: argparse.Namespace) -> int:
    from .checklist.loader import ChecklistInvalid, load_checklist

    status = EXIT_OK
    for path in args.paths:
        try:
            checklist = load_checklist(path)
        except ChecklistInvalid as error:
            status = EXIT_REJECTED
            print(f"{path}: KHÔNG HỢP LỆ — {len(error.problems)} lỗi", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        items = checklist.items()
        print(f"{path}: hợp lệ — {checklist.key}, {len(checklist.sections)} phần, {len(items)} câu hỏi, "
              f"{sum(1 for i in items if i.score)} tiêu chí chấm điểm, mã băm {checklist.content_hash[:12]}")
    return status


def cmd_checklist_contacts(args: argparse.Namespace) -> int:
    """What a commune of a province reads where the advice names a contact (``contacts.yaml``)."""
    from .checklist.loader import default_library
    from .register import load_register

    checklist = default_library().get(args.id or "one-stop-shop-it-readiness")
    contacts = checklist.contacts
    names = {c.province_code: c.province_name for c in load_register()}
    lang = args.lang
    if args.province is not None and args.province not in names:
        from .errors import ReadinessError

        raise ReadinessError("E-CL-PROVINCE", f"Không có tỉnh mã «{args.province}» trong danh mục (51: Quảng Ngãi).",
                       f"No province with code «{args.province}» in the register (51: Quảng Ngãi).")
    provinces = [args.province] if args.province else sorted(contacts.provinces)
    if args.json:
        _print_json({
            "file": contacts.source_path,
            "default": {name: contacts.contacts[name].default.get(lang) for name in contacts.contacts},
            "provinces": {code: {"name": names.get(code, ""), "own": sorted(contacts.provinces[code].values)
                                 if code in contacts.provinces else [],
                                 "values": {name: contacts.value(name, code).get(lang) for name in contacts.contacts}}
                          for code in provinces},
        })
        return EXIT_OK
    print(f"Tệp: {contacts.source_path or '(không có: chỉ cách gọi chung)'}" if lang == "vi"
          else f"File: {contacts.source_path or '(none: the neutral names only)'}")
    if not args.province:
        print("Cách gọi chung (tỉnh chưa khai riêng):" if lang == "vi" else "Neutral (provinces that give none):")
        for name, contact in contacts.contacts.items():
            print(f"  {{{name}}} {contact.label.get(lang)}: {contact.default.get(lang)}")
    for code in provinces:
        own = contacts.provinces.get(code)
        print(f"{names.get(code, code)} ({code}):")
        for name, contact in contacts.contacts.items():
            mark = "" if own is not None and name in own.values else (" (chung)" if lang == "vi" else " (neutral)")
            print(f"  {{{name}}} {contact.label.get(lang)}: {contacts.value(name, code).get(lang)}{mark}")
    return EXIT_OK


def cmd_checklist_show(args: argparse.Namespace) -> int:
    from .checklist.loader import default_library, load_checklist

    if args.path:
        checklist = load_checklist(args.path)
    else:
        checklist = default_library().get(args.id or "one-stop-shop-it-readiness", args.checklist_version)
    lang = args.lang
    if args.json:
        _print_json({
            "id": checklist.id, "version": checklist.version, "hash": checklist.content_hash,
            "title": checklist.title.get(lang),
            "sections": [
                {"id": s.id, "title": s.title.get(lang), "items": [
                    {"id": i.id, "type": i.type.value, "label": i.label.get(lang), "required": i.required,
                     "unit": i.unit, "scored": i.score is not None, "critical": bool(i.score and i.score.critical),
                     "refresh": checklist.refresh(i.id).value,
                     "columns": [c.id for c in i.columns] if i.columns else None}
                    for i in s.items]}
                for s in checklist.sections
            ],
        })
        return EXIT_OK
    print(f"{checklist.title.get(lang)} — {checklist.key} (mã băm {checklist.content_hash[:12]})")
    for s_index, section in enumerate(checklist.sections, start=1):
        print(f"\n{s_index}. {section.title.get(lang)}")  # item ids below are what an answers file names
        for i_index, item in enumerate(section.items, start=1):
            flags = []
            if item.required:
                flags.append("bắt buộc" if lang == "vi" else "required")
            if item.score:
                flags.append(("trọng yếu" if lang == "vi" else "critical") if item.score.critical
                             else f"×{number(item.score.weight, lang)}")
            unit = f" ({item.unit})" if item.unit else ""
            extra = f"  — {', '.join(flags)}" if flags else ""
            print(f"  {s_index}.{i_index} {item.label.get(lang)}{unit}  [{item.id}: {item.type.value}]{extra}")
            for column in item.columns or ():
                cunit = f" ({column.unit})" if column.unit else ""
                print(f"       · {column.label.get(lang)}{cunit}  [{column.id}: {column.type.value}]")
    return EXIT_OK


def cmd_checklist_upgrade(args: argparse.Namespace) -> int:
    from .store.db import StoreError

    with _workspace(args) as workspace:
        session = workspace.session(args.commune, args.period, create=False)
        older = session.checklist
        newer = workspace.latest_checklist(session.info.checklist_id)
        if newer.version <= session.checklist.version:
            print(f"Bản đánh giá đã dùng phiên bản mới nhất ({session.checklist.key}).")
            return EXIT_OK
        if args.apply and not session.editable:
            raise StoreError("E-STORE-FINALIZED", "Chỉ chuyển được bản nháp; dùng «readiness reopen» trước.")
        comparison = session.upgrade_checklist(newer) if args.apply else session.compare_with(newer)
    if args.json:
        from dataclasses import asdict

        _print_json({**asdict(comparison), "applied": bool(args.apply)})
        return EXIT_OK
    from .numbers import score as score_words
    from .scoring import Status

    lang = args.lang

    def level(checklist: Any, level_id: str) -> str:
        try:
            return checklist.level(level_id).label.get(lang)
        except KeyError:
            return level_id

    def question(checklist: Any, item_id: str) -> str:
        return f"{checklist.number(item_id)} {checklist.item(item_id).label.get(lang)}"

    def status(value: str | None) -> str:
        return Status(value).label(lang) if value else "—"

    print(f"{comparison.old_key} → {comparison.new_key}: điểm {score_words(comparison.old_score, lang)} → "
          f"{score_words(comparison.new_score, lang)}, mức «{level(older, comparison.old_level)}» → "
          f"«{level(newer, comparison.new_level)}»")
    if comparison.added:
        print(f"  Câu hỏi mới ({len(comparison.added)}):")
        for item_id in comparison.added:
            print(f"    {question(newer, item_id)}")
    if comparison.removed:
        print(f"  Câu hỏi bỏ ({len(comparison.removed)}; câu trả lời vẫn được lưu):")
        for item_id in comparison.removed:
            print(f"    {question(older, item_id)}")
    for item_id, before, after in comparison.status_changes:
        print(f"  {question(newer, item_id)}: {status(before)} → {status(after)}")
    print("Đã chuyển bản nháp sang phiên bản mới." if args.apply else "Chưa thay đổi gì (thêm --apply để chuyển).")
    return EXIT_OK


# -- register ----------------------------------------------------------------------------------


def cmd_communes(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        province = None if args.province == "all" else args.province
        found = workspace.store.communes(args.search, province)
    if args.json:
        _print_json([
            {"code": c.code, "name": c.name, "kind": c.kind, "province_code": c.province_code,
             "province": c.province_name, "former_province": c.former_province}
            for c in found
        ])
        return EXIT_OK
    for commune in found:
        former = f"  (trước: {commune.former_province})" if commune.former_province else ""
        print(f"{commune.code}  {commune.name:<32} {commune.kind}{former}")
    print(f"— {len(found)} đơn vị", file=sys.stderr)
    return EXIT_OK


# -- assessments -------------------------------------------------------------------------------


def _read_answers_file(path: Path) -> dict[str, Any]:
    import json

    from .answers import AnswerError

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AnswerError("E-FILE", f"Không tìm thấy tệp {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AnswerError("E-FILE", f"Không đọc được tệp {path}: {error}.") from None
    except json.JSONDecodeError as error:
        raise AnswerError("E-JSON", f"Tệp {path} không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}): {error.msg}.") from None
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise AnswerError("E-JSON", f"Tệp {path} phải là một đối tượng JSON: mã câu hỏi → câu trả lời.")
    return data


def cmd_fill(args: argparse.Namespace) -> int:
    import json

    if args.template is not None:
        return _fill_from_template(args)
    raw = _read_answers_file(args.answers)
    with _workspace(args) as workspace:
        session = _fill_session(args, workspace)
        if not session.editable:
            from .store.db import StoreError

            raise StoreError("E-STORE-FINALIZED", f"Bản đánh giá kỳ này (lần {session.info.revision}) đã hoàn thành. "
                             "Dùng «readiness reopen» để tạo lần sửa mới rồi nhập lại.")
        errors = session.set_answers(raw)
        if errors:
            from .errors import as_json

            if args.json:
                print(json.dumps({"ok": False, "errors": [as_json(e) for e in errors]}, ensure_ascii=False, indent=2))
            else:
                print(f"Không lưu gì: {len(errors)} câu trả lời không hợp lệ trong {args.answers}:", file=sys.stderr)
                for error in errors:
                    where = error.location.describe(args.lang) or "[?]"
                    print(f"  {where} {error.code}: {error.message_in(args.lang)}", file=sys.stderr)
            return EXIT_REJECTED
        result = session.result()
        if args.json:
            _print_json({"ok": True, "assessment": session.info.id, "revision": session.info.revision,
                         "saved": len(raw), "completion": round(result.completion, 3),
                         "carried_from": _origin_dict(session.origin)})
        else:
            print(f"Đã lưu {len(raw)} câu trả lời cho {session.commune.name}, kỳ {args.period} "
                  f"(bản nháp lần {session.info.revision}); đã trả lời {share(result.completion, args.lang)} "
                  "câu hỏi cần trả lời.")
        return EXIT_OK


def _fill_from_template(args: argparse.Namespace) -> int:
    """``fill --template``: the department's checks, the list of changes, then one transaction."""
    import json

    from .template_fill import TemplateChecks, apply, compare, read_template

    with _workspace(args) as workspace:
        session = _fill_session(args, workspace)
        preview = compare(session, read_template(TemplateChecks.of(workspace, session.today), args.template), args.lang)
        if not preview.ok:
            if args.json:
                print(json.dumps({"ok": False, "errors": [{"message": m} for m in preview.errors]}, ensure_ascii=False))
            else:
                print(f"Không lưu gì từ {args.template}:", file=sys.stderr)
                for message in preview.errors:
                    print(f"  {message}", file=sys.stderr)
            return EXIT_REJECTED
        changes = [{"item": c.item_id, "number": c.number, "label": c.label, "before": c.before, "after": c.after}
                   for c in preview.changes]
        problems = [] if args.dry_run else apply(session, preview)
        if problems:
            if args.json:
                print(json.dumps({"ok": False, "errors": [e.to_dict() for e in problems]}, ensure_ascii=False))
            else:
                print(f"Không lưu gì: {len(problems)} câu trả lời trong phiếu không hợp lệ:", file=sys.stderr)
                for error in problems:
                    print(f"  [{error.item}] {error.code}: {error.message}", file=sys.stderr)
            return EXIT_REJECTED
        if args.json:
            _print_json({"ok": True, "saved": not args.dry_run and bool(changes), "changes": changes,
                         "kept": [c.item_id for c in preview.kept], "revision": session.info.revision})
            return EXIT_OK
        where = f"{session.commune.name}, kỳ {_period_text(session.info.period)} (bản nháp lần {session.info.revision})"
        if not changes:
            print(f"Phiếu {args.template.name} không có gì khác với các câu trả lời của {where}.")
            return EXIT_OK
        print(f"Phiếu {args.template.name} → {where}: {len(changes)} câu trả lời "
              + ("sẽ thay đổi (chưa lưu, bỏ --dry-run để lưu):" if args.dry_run else "đã thay đổi:"))
        for change in preview.changes:
            print(f"  {change.number} {change.label}: {change.before or '(chưa trả lời)'} → {change.after}")
        if preview.kept:
            print(f"  ({len(preview.kept)} câu để trống trong phiếu: giữ câu trả lời hiện có.)")
        return EXIT_OK


def _fill_session(args: argparse.Namespace, workspace: Workspace) -> AssessmentSession:
    """``fill``'s draft: as before (an empty one when the period has none) unless ``--from`` is given
    for a period with no assessment, which starts it from that period."""
    from .store.db import period_label, validate_period

    if args.from_period is None:
        return workspace.session(args.commune, args.period)
    if workspace.store.current_assessment(args.commune, args.period) is None:
        return workspace.start(args.commune, args.period, from_period=args.from_period)
    session = workspace.session(args.commune, args.period)
    origin = session.origin
    if origin is None or origin.period != validate_period(args.from_period):
        note = (f"Lưu ý: kỳ {period_label(session.info.period)} đã có bản đánh giá nên --from "
                f"{args.from_period} không được dùng; câu trả lời được nhập vào bản đã có.")
        if args.lang == "en":
            note = (f"Note: {period_label(session.info.period)} already has an assessment, so --from "
                    f"{args.from_period} is not used; the answers go into the existing one.")
        print(note, file=sys.stderr)
    return session


def _origin_dict(origin: Any) -> dict[str, Any] | None:
    if origin is None:
        return None
    return {"assessment": origin.assessment_id, "period": origin.period, "revision": origin.revision}


def _attention_list(session: AssessmentSession, lang: str) -> list[dict[str, Any]]:
    from . import carry

    review = session.review()
    checklist = session.checklist
    return [{"section": a.section_id, "item": a.item_id, "number": checklist.number(a.item_id), "kind": a.kind,
             "column": a.column_id, "blocking": a.blocking,
             "label": checklist.item(a.item_id).label.get(lang),
             "message": carry.attention_text(checklist, a, review, lang)} for a in review.attention]


def _print_attention(session: AssessmentSession, lang: str) -> None:
    """Per section, what the draft still needs this period (numbers of the items)."""
    review = session.review()
    checklist = session.checklist
    words = {"renew": ("nhập số liệu mới", "enter this period's figure"),
             "confirm": ("xác nhận còn đúng", "confirm"),
             "missing": ("chưa trả lời", "not answered"),
             "aged": ("như kỳ trước nhưng nay Chưa đạt vì đã qua ngày", "as last period but now not met: a date passed"),
             "affected": ("như kỳ trước nhưng nay Chưa đạt do câu khác đã thay đổi",
                          "as last period but now not met: other answers changed")}
    shown = False
    for index, section in enumerate(checklist.sections, start=1):
        entries = review.section(section.id)
        if not entries:
            continue
        if not shown:
            print("Kỳ này cần:" if lang == "vi" else "This period needs:")
            shown = True
        parts = []
        for kind, (vi, en) in words.items():
            numbers = [checklist.number(a.item_id) for a in entries if a.kind == kind]
            if numbers:
                parts.append(f"{vi if lang == 'vi' else en} {', '.join(dict.fromkeys(numbers))}")
        print(f"  {index}. {section.title.get(lang)}: {'; '.join(parts)}")
    if not shown:
        print("Không còn câu nào cần xem lại cho kỳ này." if lang == "vi" else "Nothing left to look at this period.")


def cmd_start(args: argparse.Namespace) -> int:
    from . import carry

    with _workspace(args) as workspace:
        session = workspace.start(args.commune, args.period, from_period=args.from_period, empty=args.empty)
        lang = args.lang
        checklist = session.checklist
        carried_answers = sum(1 for source in session.answers.sources.values() if source == carry.CARRIED)
        carried_rows = {item.id: sum(1 for row in session.answers.rows(item.id) if row.source == carry.CARRIED)
                        for item in checklist.items() if item.columns}
        carried_rows = {k: v for k, v in carried_rows.items() if v}
        origin = session.origin
        if args.json:
            _print_json({"ok": True, "assessment": session.info.id, "commune": session.commune.code,
                         "period": session.info.period, "revision": session.info.revision,
                         "checklist": checklist.key, "from": _origin_dict(origin),
                         "carried": {"answers": carried_answers, "rows": carried_rows},
                         "attention": _attention_list(session, lang)})
            return EXIT_OK
        now = carry.period_label(session.info.period)
        if origin is None:
            why = "" if args.empty else (" (chưa có kỳ nào đã hoàn thành để mang sang)" if lang == "vi"
                                         else " (no earlier finalized period to carry from)")
            print(f"Đã tạo bản nháp trống kỳ {now} của {session.commune.name} (lần {session.info.revision}){why}."
                  if lang == "vi" else
                  f"Created an empty draft for {now}, {session.commune.name} (revision {session.info.revision}){why}.")
            return EXIT_OK
        tables = ", ".join(carry.count_noun(checklist.item(k), v, lang) for k, v in carried_rows.items())
        since = carry.period_label(origin.period)
        if lang == "vi":
            rows = f" và {sum(carried_rows.values())} dòng bảng ({tables})" if carried_rows else ""
            print(f"Đã tạo bản nháp kỳ {now} của {session.commune.name} (lần {session.info.revision}) từ kỳ {since} "
                  f"(lần {origin.revision}): mang sang {carried_answers} câu trả lời{rows}.")
        else:
            rows = f" and {sum(carried_rows.values())} table rows ({tables})" if carried_rows else ""
            print(f"Created the {now} draft of {session.commune.name} (revision {session.info.revision}) from {since} "
                  f"(revision {origin.revision}): {carried_answers} answers{rows} carried over.")
        _print_attention(session, lang)
        print("Nhập số liệu mới bằng «readiness fill», xác nhận các phần không thay đổi bằng «readiness confirm», "
              "rồi «readiness finalize»." if lang == "vi" else
              "Enter the new figures with 'readiness fill', confirm unchanged sections with 'readiness confirm', "
              "then 'readiness finalize'.")
        return EXIT_OK


def cmd_confirm(args: argparse.Namespace) -> int:
    from .store.db import StoreError

    with _workspace(args) as workspace:
        session = workspace.session(args.commune, args.period, create=False)
        checklist = session.checklist
        if args.all:
            done = session.confirm_all()
        else:
            done = []
            for name in args.section:
                section_id = _section_id(checklist, name)
                if section_id is None:
                    raise StoreError("E-SECTION", f"Bảng kiểm không có phần «{name}»; ghi mã phần (general) hoặc số "
                                     f"thứ tự từ 1 đến {len(checklist.sections)}.")
                session.confirm_section(section_id)
                done.append(section_id)
        lang = args.lang
        if args.json:
            _print_json({"ok": True, "assessment": session.info.id, "confirmed": done,
                         "confirmed_sections": sorted(session.confirmed),
                         "attention": _attention_list(session, lang)})
            return EXIT_OK
        if done:
            names = "; ".join(f"{checklist.section_number(d)}. {checklist.section(d).title.get(lang)}" for d in done)
            print(f"Đã xác nhận không thay đổi so với kỳ trước: {names}." if lang == "vi"
                  else f"Confirmed unchanged since last period: {names}.")
        else:
            print("Mọi phần đã được xác nhận từ trước." if lang == "vi" else "Every section was already confirmed.")
        _print_attention(session, lang)
        return EXIT_OK


def _review_dict(session: AssessmentSession, lang: str) -> dict[str, Any]:
    """``score --json``'s view of the previous period: carried from, compared with, what changed, and
    (a carried draft) the sections confirmed and what still needs attention."""
    from . import carry

    review = session.review()
    checklist = session.checklist
    base = review.base
    return {
        "carried_from": _origin_dict(session.origin),
        "compared_with": None if base is None else {"assessment": base.info.id, "period": base.period,
                                                    "revision": base.info.revision},
        "changes": [{"item": c.item_id, "number": checklist.number(c.item_id),
                     "label": checklist.item(c.item_id).label.get(lang),
                     "change": carry.change_text(checklist, c, lang)} for c in review.changes.values()],
        "confirmed_sections": sorted(review.confirmed),
        "attention": _attention_list(session, lang) if session.editable else [],
    }


def _section_id(checklist: Any, name: str) -> str | None:
    text = name.strip()
    if text.isdigit() and 1 <= int(text) <= len(checklist.sections):
        return checklist.sections[int(text) - 1].id
    try:
        return checklist.section(text).id
    except KeyError:
        return None


def cmd_score(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        session = workspace.session(args.commune, args.period, create=False)
        result = session.result()
        checklist = session.checklist
        lang = args.lang
        if args.json:
            data = result.to_dict(checklist, lang)
            data.update({"commune": session.commune.code, "commune_name": session.commune.name,
                         "period": session.info.period, "revision": session.info.revision, "status": session.info.status})
            data.update(_review_dict(session, lang))
            _print_json(data)
            return EXIT_OK
        level = checklist.level(result.level_id)
        print(f"{session.commune.name} — kỳ {_period_text(session.info.period)}, lần {session.info.revision} "
              f"({_status_vi(session.info.status)})")
        if result.scored:
            print(f"Điểm: {score_words(result.score, lang)}/100 — Mức: {level.label.get(lang)}; "
                  f"tiêu chí trọng yếu chưa đạt: {result.critical_failed}; "
                  f"câu bắt buộc chưa trả lời: {result.unanswered_required}")
        else:
            print(f"Chưa có điểm: chưa tiêu chí chấm điểm nào được trả lời; "
                  f"câu bắt buộc chưa trả lời: {result.unanswered_required}")
        for section_result in result.sections:
            title = checklist.section(section_result.section_id).title.get(lang)
            print(f"  {score_words(section_result.score, lang):>5}  {title}")
        if result.gaps:
            print("Tồn tại và khuyến nghị:")
            for gap in result.gaps:
                mark = "[TRỌNG YẾU] " if gap.critical else ""
                print(f"  - {mark}{checklist.item(gap.item_id).label.get(lang)}: {gap.advice if lang == 'vi' else gap.advice_en}")
        return EXIT_OK


def _status_vi(status: str) -> str:
    return {"draft": "bản nháp", "finalized": "đã hoàn thành"}.get(status, status)


def _period_text(period: str) -> str:
    """``2025-11`` -> ``11/2025``."""
    return f"{period[5:7]}/{period[:4]}" if len(period) >= 7 and period[4] == "-" else period


def _info_dict(info: Any) -> dict[str, Any]:
    return {"assessment": info.id, "commune": info.commune_code, "period": info.period, "revision": info.revision,
            "status": info.status, "checklist": f"{info.checklist_id}@{info.checklist_version}",
            "checklist_hash": info.checklist_hash, "score": info.score, "level": info.level,
            "created_at": info.created_at.isoformat(), "updated_at": info.updated_at.isoformat(),
            "finalized_at": info.finalized_at.isoformat() if info.finalized_at else None}


def cmd_finalize(args: argparse.Namespace) -> int:
    from .store.db import StoreError

    with _workspace(args) as workspace:
        session = workspace.session(args.commune, args.period, create=False)
        try:
            info = session.finalize()
        except StoreError as error:
            if error.code != "E-CARRY-UNTOUCHED" or args.json:
                raise
            print(f"Lỗi ({error.code}): {error.message_en if args.lang == 'en' else error.message}", file=sys.stderr)
            print("Nhập số liệu mới: readiness fill …; phần không thay đổi: readiness confirm --commune "
                  f"{args.commune} --period {args.period} --section SỐ (hoặc --all)." if args.lang == "vi" else
                  "New figures: readiness fill …; unchanged sections: readiness confirm --commune "
                  f"{args.commune} --period {args.period} --section N (or --all).", file=sys.stderr)
            return EXIT_REJECTED
        if args.json:
            _print_json(_info_dict(info))
        else:
            level = session.checklist.level(info.level or session.checklist.levels[-1].id)
            print(f"Đã hoàn thành bản đánh giá {session.commune.name}, kỳ {_period_text(info.period)}, "
                  f"lần {info.revision}: {score_words(info.score, args.lang)} điểm, {level.label.get(args.lang)}.")
        return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        session = workspace.session(args.commune, args.period, create=False)
        previous = session.info.revision
        info = session.reopen()
        if args.json:
            _print_json(_info_dict(info))
        elif info.revision == previous:
            print(f"Bản đánh giá lần {info.revision} vẫn đang là bản nháp; tiếp tục sửa được.")
        else:
            print(f"Đã mở lại: lần sửa {info.revision} (bản nháp, chép từ lần {previous}). Lần {previous} được lưu trong lịch sử.")
        return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        commune = workspace.store.commune(args.commune)
        entries = workspace.store.history(args.commune, args.period)
    if args.json:
        _print_json([_info_dict(info) for info in entries])
        return EXIT_OK
    print(f"{commune.name}: {len(entries)} bản đánh giá")
    for info in entries:
        when = (info.finalized_at or info.updated_at).astimezone().strftime("%d/%m/%Y %H:%M")
        score = f"{score_words(info.score, args.lang)} điểm" if info.score is not None else ""
        print(f"  {info.period[5:]}/{info.period[:4]}  lần {info.revision}  {_status_vi(info.status):<14} {when}  {score}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from .store.db import Store, verify_backup

    store = Store.open(args.db)
    try:
        destination = store.backup(args.out.resolve() if args.out else None)
        verify_backup(destination, store.known_revisions())
    finally:
        store.close()
    print(f"Đã sao lưu vào {destination} ({destination.stat().st_size // 1024} KB), đã kiểm tra tệp sao lưu.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .store.db import Store

    store = Store.open(args.db)
    try:
        safety = store.restore(args.file)
        counts = store.counts()
    finally:
        store.close()
    print(f"Đã khôi phục từ {args.file}: {counts['assessments']} bản đánh giá, {counts['answers']} câu trả lời. "
          f"Dữ liệu trước khi khôi phục được giữ tại {safety}.")
    return EXIT_OK


# -- documents (readiness.exchange) ----------------------------------------------------------------


def _target(path: Path | None, folder: Path | None, suggested: str) -> Path:
    """Where a document goes: FILE as given, a suggested name inside a folder, a plain name inside --out-dir."""
    from .exchange.naming import safe_join

    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        return safe_join(folder, path.name if path is not None and str(path) == path.name else str(path)) \
            if path is not None else safe_join(folder, suggested)
    assert path is not None
    if path.is_dir():
        return safe_join(path, suggested)
    return path


def _commune_of(code: str | None):
    if not code:
        return None
    from .register import load_register
    from .store.queries import unknown_commune

    for commune in load_register():
        if commune.code == code.strip():
            return commune
    raise unknown_commune(code)


def _checklist_of(checklist_id: str | None):
    import os

    from .checklist.loader import default_library
    from .store.periods import StoreError  # not store.db: the blank template and the field checklist need no database

    chosen = checklist_id or os.environ.get("READINESS_CHECKLIST") or "one-stop-shop-it-readiness"
    try:
        return default_library().get(chosen)
    except KeyError:
        raise StoreError("E-CHECKLIST-MISSING", f"Không có bảng kiểm «{chosen}» trong phần mềm.") from None


def cmd_export(args: argparse.Namespace) -> int:
    if args.xlsx is None and args.pdf is None and args.out_dir is None:
        print("readiness export: lỗi cú pháp lệnh: cần ít nhất một trong --xlsx, --pdf, --out-dir", file=sys.stderr)
        return EXIT_USAGE
    from .exchange.context import ExportContext
    from .exchange.naming import submission_filename
    from .exchange.xlsx import write_submission

    from .service import Reading

    # Reading, not a Workspace: on a current SQLite file no SQLAlchemy is imported (issue 16).
    with Reading.open(args.db) as workspace:
        session = workspace.view(args.commune, args.period)
        extra = {"document_number": args.number, "signer_name": args.signer}
        ctx = ExportContext.from_session(session, **extra)
        commune = session.commune
        written: list[dict[str, Any]] = []
        both = args.xlsx is None and args.pdf is None
        if args.xlsx is not None or both:
            target = _target(args.xlsx, args.out_dir, submission_filename(commune.code, session.info.period, commune.name))
            result = write_submission(ctx, target)
            written.append({"kind": "xlsx", "path": str(result.path), "answers_sha256": result.answers_sha256,
                            "data_sha256": result.data_sha256})
        if args.pdf is not None or both:
            from .exchange.pdf_report import write_report_pdf

            target = _target(args.pdf, args.out_dir,
                             submission_filename(commune.code, session.info.period, commune.name, "pdf"))
            written.append({"kind": "pdf", "path": str(write_report_pdf(ctx, target))})
        info = session.info
        workspace.record_exports(  # what this installation sent: a receipt is checked against it
            assessment_id=info.id, commune_code=commune.code, period=info.period, revision=info.revision,
            status=info.status, files=[(entry["kind"], entry["path"]) for entry in written],
            data_sha256=next((entry["data_sha256"] for entry in written if entry["kind"] == "xlsx"), None))
    if args.json:
        _print_json({"ok": True, "assessment": ctx.identity.assessment_id, "revision": ctx.identity.revision,
                     "status": ctx.identity.status, "files": written})
        return EXIT_OK
    draft = " (bản nháp: chưa hoàn thành)" if ctx.identity.status == "draft" else ""
    print(f"{commune.name}, kỳ {ctx.period_label}, lần {ctx.identity.revision}{draft}:")
    for entry in written:
        if entry["kind"] == "xlsx":
            print(f"  Đã ghi {entry['path']} — đã đọc lại và đối chiếu; mã kiểm tra {entry['data_sha256'][:16]}…")
        else:
            print(f"  Đã ghi {entry['path']}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from .exchange.naming import template_filename
    from .exchange.xlsx import TEMPLATE_ROWS, write_template

    checklist = _checklist_of(args.checklist)
    commune = _commune_of(args.commune)
    period = None
    if args.period:
        from .store.periods import validate_period

        period = validate_period(args.period)
    rows = args.rows if args.rows is not None else TEMPLATE_ROWS
    if not 1 <= rows <= 1000:
        print("readiness template: lỗi cú pháp lệnh: --rows từ 1 đến 1000", file=sys.stderr)
        return EXIT_USAGE
    suggested = template_filename(checklist.id, checklist.version, commune.code if commune else None,
                                  commune.name if commune else None, period)
    target = _target(args.out, None, suggested)
    result = write_template(checklist, target, commune=commune, period=period, template_rows=rows)
    if args.json:
        _print_json({"ok": True, "path": str(result.path), "checklist": checklist.key, "sheets": list(result.sheets)})
    else:
        print(f"Đã ghi phiếu trống {result.path} ({checklist.key}, {len(result.sheets)} sheet); "
              "điền vào các ô nền vàng rồi nhập lại vào phần mềm.")
    return EXIT_OK


def cmd_print_checklist(args: argparse.Namespace) -> int:
    from .exchange.naming import field_checklist_filename
    from .exchange.pdf_checklist import write_field_checklist

    checklist = _checklist_of(args.checklist)
    commune = _commune_of(args.commune)
    suggested = field_checklist_filename(checklist.id, checklist.version, commune.code if commune else None,
                                         commune.name if commune else None)
    target = _target(args.out, None, suggested)
    path = write_field_checklist(checklist, target, commune=commune)
    if args.json:
        _print_json({"ok": True, "path": str(path), "checklist": checklist.key})
    else:
        print(f"Đã ghi phiếu khảo sát {path} ({checklist.key}).")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
