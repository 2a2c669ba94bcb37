"""``readiness probe pc|network|signing``: the probes from the command line.

The main CLI calls :func:`add_probe_commands` with its ``subparsers``; every command sets
``handler`` and ``func`` (the same callable, ``args.handler(args) -> int``: 0 when the
measurement worked, 1 when it failed or the network is offline, 2 for ``probe`` alone).  Output is Vietnamese text, or the report's dict with ``--json``.

``probe pc|network --commune CODE --period YYYY-MM --save`` also stores the result in that
assessment (the draft is created if there is none), through the same path as the app's buttons
(:mod:`readiness.measurement`): a PC-table row with ``source='probe'``, measured speeds with
``source='measured'``, each with ``meta`` saying how and when.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, TextIO


if TYPE_CHECKING:
    from . import network
    from .network import Endpoint, NetworkReport
    from .pc import PcReport
    from .signing import SigningReport

# The probes are imported when a probe command runs, not when the main parser is built
# (``readiness --help`` stays instant).  ``cli.probe_pc``, ``cli.network`` … are still this
# module's attributes (tests replace them); :func:`_probe` reads them at call time.
_LAZY = {"network": ("network", None), "probe_pc": ("pc", "probe_pc"), "pc_row": ("pc", "pc_row"),
         "probe_signing": ("signing", "probe_signing")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module_name, attribute = _LAZY[name]
    module = import_module(f"{__package__}.{module_name}")
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def number(*args: Any, **kwargs: Any) -> str:
    from ..numbers import number as write

    return write(*args, **kwargs)


def answer_number(*args: Any, **kwargs: Any) -> str:
    from ..numbers import answer_number as write

    return write(*args, **kwargs)


def _probe(name: str) -> Any:
    """This module's ``name`` (a test's replacement if there is one), imported on first use."""
    return globals()[name] if name in globals() else __getattr__(name)

if TYPE_CHECKING:
    from ..service import AssessmentSession

__all__ = ["add_probe_commands", "format_network", "format_pc", "format_signing"]

_STATUS_VI = {"found": "CÓ", "not_found": "KHÔNG", "unknown": "CHƯA RÕ"}
_NETWORK_STATUS_VI = {
    "ok": "đã đo xong",
    "partial": "đo được một phần",
    "offline": "không kết nối được",
    "cancelled": "đã huỷ",
    "not_configured": "chưa cấu hình",
}


def _out(text: str, stream: TextIO | None = None) -> None:
    """Print, even to a console whose code page has no Vietnamese letters."""
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding) + "\n")
    stream.flush()


def _json(data: dict[str, Any]) -> None:
    _out(json.dumps(data, ensure_ascii=False, indent=2))


def _or_dash(value: Any, unit: str = "") -> str:
    if value is None or value == "":
        return "— (không đo được, cán bộ tự điền)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = number(value)
    return f"{value}{unit}"


# --------------------------------------------------------------------------- pc

_FIELD_VI = {
    "machine_name": "Tên máy",
    "cpu_model": "Bộ xử lý",
    "cpu_cores": "Số lõi",
    "cpu_logical_cores": "Số luồng",
    "ram_gb": "RAM",
    "disks": "Ổ đĩa",
    "os_name": "Hệ điều hành",
    "os_version": "Phiên bản",
    "os_build": "Bản dựng/nhân",
    "os_edition": "Ấn bản",
    "screen_resolution": "Màn hình",
}


def format_pc(report: PcReport) -> str:
    cores = _or_dash(report.cpu_cores)
    if report.cpu_logical_cores and report.cpu_logical_cores != report.cpu_cores:
        cores += f" ({report.cpu_logical_cores} luồng)"
    os_text = " ".join(x for x in (report.os_name, report.os_edition, report.os_version) if x) or None
    if os_text and report.os_build:
        os_text += f" ({'nhân' if report.platform == 'linux' else 'bản dựng'} {report.os_build})"
    kinds = {"ssd": "SSD", "hdd": "HDD", None: "chưa rõ SSD/HDD"}
    lines = [
        "THÔNG TIN MÁY TÍNH",
        f"  Tên máy:           {_or_dash(report.machine_name)}",
        f"  Bộ xử lý:          {_or_dash(report.cpu_model)}",
        f"  Số lõi:            {cores}",
        f"  RAM:               {_or_dash(report.ram_gb, ' GB')}",
        f"  Hệ điều hành:      {_or_dash(os_text)}",
        f"  Màn hình:          {_or_dash(report.screen_resolution)}",
        "  Ổ đĩa:" + ("            — (không đọc được)" if not report.disks else ""),
    ]
    for disk in report.disks:
        size = disk.disk_size_gb if disk.disk_size_gb is not None else disk.size_gb
        where = disk.mount or disk.device
        extra = " — ổ hệ thống" if disk.system else ""
        model = f", {disk.disk_model}" if disk.disk_model else ""
        lines.append(f"    {where}: {kinds.get(disk.kind, '?')}, {_or_dash(size, ' GB')}{model}{extra}")
    lines.append(f"  Đo lúc (UTC):      {report.measured_at}")
    lines.append("  Cách đo:")
    lines.extend(f"    {_FIELD_VI.get(key, key)}: {value}" for key, value in report.methods.items())
    if report.notes:
        lines.append("  Ghi chú:")
        lines.extend(f"    - {note}" for note in report.notes)
    return "\n".join(lines)


def _cmd_pc(args: argparse.Namespace) -> int:
    target = _open_target(args)
    if isinstance(target, int):
        return target
    try:
        report = _probe("probe_pc")()
        saved = _save_pc(target[1], report) if target else None
    finally:
        if target:
            target[0].close()
    if args.json:
        data = report.to_dict()
        data["pc_row"] = _probe("pc_row")(report)
        if saved is not None:
            data["saved"] = saved
        _json(data)
    else:
        _out(format_pc(report))
        if saved is not None:
            _out(saved["text"])
    return 0


# --------------------------------------------------------------------------- --save


def _open_target(args: argparse.Namespace) -> tuple[Any, Any] | int | None:
    """``(workspace, session)`` to save into with ``--save``; ``None`` without; an exit code on a usage error."""
    if not getattr(args, "save", False):
        if getattr(args, "commune", None) or getattr(args, "period", None):
            _out("(Chưa lưu vào bản đánh giá: thêm --save để lưu.)", sys.stderr)
        return None
    if not args.commune or not args.period:
        _out("--save cần --commune CODE và --period YYYY-MM (bản đánh giá để lưu vào).", sys.stderr)
        return 2
    from ..service import Workspace
    from ..store.db import StoreError

    workspace = Workspace.open(getattr(args, "db", None))
    try:
        session = workspace.session(args.commune, args.period)
        if not session.editable:
            raise StoreError("E-STORE-FINALIZED", f"Bản đánh giá kỳ này (lần {session.info.revision}) đã hoàn thành. "
                             "Dùng «readiness reopen» để tạo lần sửa mới rồi đo lại.")
    except BaseException:
        workspace.close()
        raise
    return workspace, session


def _where(session: AssessmentSession) -> str:
    period = session.info.period
    return f"{session.commune.name}, kỳ {period[5:]}/{period[:4]} (bản nháp lần {session.info.revision})"


def _save_pc(session: AssessmentSession, report: PcReport) -> dict[str, Any]:
    from ..measurement import describe, save_pc

    saved = save_pc(session, report)
    item = session.checklist.item(saved.item_id)
    position = next(i for i, r in enumerate(session.answers.rows(item.id), start=1) if r.id == saved.row.id)
    how = describe("probe", saved.row.meta) or "tự nhận diện"
    lines = [f"Đã lưu vào bản đánh giá của {_where(session)}: dòng {position} của bảng «{item.label.vi}» — "
             f"{how[0].lower()}{how[1:]}. Các ô trống (người sử dụng, năm mua, …) cán bộ điền trong phần mềm."]
    for column_id, problem in saved.refused.items():
        lines.append(f"  Không lưu ô «{item.column(column_id).label.vi}»: {problem.message}")
    return {"item": item.id, "row": position, "row_id": saved.row.id,
            "refused": {c: p.message for c, p in saved.refused.items()}, "text": "\n".join(lines)}


def _save_network(session: AssessmentSession, report: NetworkReport) -> dict[str, Any]:
    from ..measurement import save_network

    outcome = save_network(session, report)
    checklist = session.checklist
    if outcome.saved:
        parts = [f"{checklist.number(i)} {checklist.item(i).label.vi}: {answer_number(checklist.item(i), v)} {checklist.item(i).unit or ''}".rstrip()
                 for i, v in outcome.saved.items()]
        lines = [f"Đã lưu vào bản đánh giá của {_where(session)} (đo tự động): " + "; ".join(parts) + "."]
    else:
        lines = ["Không lưu gì vào bản đánh giá (không có số đo nào)."]
    for item_id, problem in outcome.refused.items():
        lines.append(f"  Không lưu «{checklist.item(item_id).label.vi}»: {problem.message}")
    return {"saved": dict(outcome.saved), "refused": {i: p.message for i, p in outcome.refused.items()},
            "text": "\n".join(lines)}


# --------------------------------------------------------------------------- network


def format_network(report: NetworkReport) -> str:
    lines = [
        "TỐC ĐỘ MẠNG",
        f"  Kết quả:           {_NETWORK_STATUS_VI.get(report.status, report.status)} — {report.message}",
    ]
    if report.endpoint:
        lines.append(f"  Máy chủ đo:        {report.endpoint} ({report.endpoint_url})")
    if report.status not in ("offline", "not_configured"):
        lines += [
            f"  Độ trễ:            {_or_dash(report.latency_ms, ' ms')}"
            + (f"  [{report.latency_method}]" if report.latency_method else ""),
            f"  Tải xuống:         {_or_dash(report.download_mbps, ' Mbit/s')}",
            f"  Tải lên:           {_or_dash(report.upload_mbps, ' Mbit/s')}",
            f"  Số luồng song song: {report.streams}; thời gian đo: {_or_dash(report.duration_s, ' giây')} "
            f"(tối đa {number(report.time_cap_s)} giây)",
        ]
    lines.append(f"  Đo lúc (UTC):      {report.measured_at}")
    if report.errors:
        lines.append("  Ghi chú:")
        lines.extend(f"    - {e}" for e in report.errors)
    return "\n".join(lines)


def _progress_printer(stream: TextIO) -> Callable[[float, str], None] | None:
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(fraction: float, message: str) -> None:
        try:
            stream.write(f"\r{number(fraction * 100, decimals=1):>5}%  {message:<60.60}")
            if fraction >= 1.0:
                stream.write("\n")
            stream.flush()
        except (UnicodeEncodeError, OSError):
            pass

    return show


def _cmd_network(args: argparse.Namespace) -> int:
    network = _probe("network")
    endpoints: list[Endpoint] = []
    streams, cap = 4, 10.0
    try:
        config_path = args.config or (None if args.url else network.find_config())
        if config_path:
            config = network.load_config(config_path)
            endpoints.extend(config.endpoints)
            streams, cap = config.streams, config.time_cap_s
        endpoints.extend(network.Endpoint.from_url(url) for url in args.url or ())
    except network.ConfigError as exc:
        from ..errors import print_failure

        lang = getattr(args, "lang", "vi")
        title = "Speed-test configuration error" if lang == "en" else "Lỗi cấu hình máy chủ đo tốc độ"
        return print_failure(exc, json_output=bool(getattr(args, "json", False)), lang=lang, title=title)
    if args.time_cap is not None:
        cap = args.time_cap
    if args.streams is not None:
        streams = args.streams
    target = _open_target(args)
    if isinstance(target, int):
        return target
    try:
        return _measure_network(args, endpoints, streams, cap, target[1] if target else None)
    finally:
        if target:
            target[0].close()


def _measure_network(args: argparse.Namespace, endpoints: list[Endpoint], streams: int, cap: float,
                     session: AssessmentSession | None) -> int:
    cancel = threading.Event()
    box: dict[str, NetworkReport] = {}
    progress = None if args.json else _progress_printer(sys.stderr)
    worker = threading.Thread(
        target=lambda: box.setdefault(
            "report", _probe("network").measure(endpoints, streams=streams, time_cap_s=cap, progress=progress, cancel=cancel)
        ),
        name="probe-network-cli",
        daemon=True,
    )
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:  # Ctrl+C: stop the streams, still print what was measured
        cancel.set()
        worker.join(5.0)
    report = box.get("report")
    if report is None:  # pragma: no cover - measure() does not raise
        _out("Không đo được tốc độ mạng.", sys.stderr)
        return 1
    saved = _save_network(session, report) if session is not None and report.status in ("ok", "partial") else None
    if args.json:
        data = report.to_dict()
        if saved is not None:
            data["saved"] = saved
        _json(data)
    else:
        _out(format_network(report))
        if saved is not None:
            _out(saved["text"])
        elif session is not None:
            _out("Không lưu gì vào bản đánh giá.")
    return 0 if report.status == "ok" else 1


# --------------------------------------------------------------------------- signing


def format_signing(report: SigningReport) -> str:
    lines = ["SẴN SÀNG KÝ SỐ", f"  Tổng hợp:          {_STATUS_VI[report.overall]} (cán bộ xác nhận lại)"]
    for result in report.results:
        lines.append(f"  {result.label}: {_STATUS_VI.get(result.status, result.status)}")
        lines.append(f"    {result.details}")
        if result.method:
            lines.append(f"    Cách kiểm tra: {result.method}")
    lines.append(f"  Kiểm tra lúc (UTC): {report.measured_at}")
    return "\n".join(lines)


def _cmd_signing(args: argparse.Namespace) -> int:
    report = _probe("probe_signing")()
    if args.json:
        _json(report.to_dict())
    else:
        _out(format_signing(report))
    return 0


# --------------------------------------------------------------------------- wiring


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"không phải số giây: {text!r}") from None
    if not 1 <= value <= 300:
        raise argparse.ArgumentTypeError("thời gian đo phải từ 1 đến 300 giây")
    return value


def _stream_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"không phải số nguyên: {text!r}") from None
    if not 1 <= value <= 16:
        raise argparse.ArgumentTypeError("số luồng phải từ 1 đến 16")
    return value


def _save_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--save", action="store_true", help=f"lưu kết quả: {what}")
    parser.add_argument("--commune", metavar="CODE", help="mã xã của bản đánh giá (với --save)")
    parser.add_argument("--period", metavar="YYYY-MM", help="kỳ báo cáo của bản đánh giá (với --save)")


def add_probe_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``probe pc|network|signing`` to the main CLI; returns the ``probe`` parser."""
    probe = subparsers.add_parser(
        "probe",
        description="Đo những gì đo được trên máy này (không cần quyền quản trị).",
    )
    commands = probe.add_subparsers(dest="probe_command", metavar="{pc,network,signing}")

    def show_help(args: argparse.Namespace) -> int:
        probe.print_help()
        return 2  # usage error, as the main CLI's

    probe.set_defaults(func=show_help, handler=show_help)

    pc = commands.add_parser("pc", help="bộ xử lý, RAM, ổ đĩa, hệ điều hành, màn hình")
    pc.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _save_arguments(pc, "thêm một dòng vào bảng máy tính của bản đánh giá (--commune, --period)")
    pc.set_defaults(func=_cmd_pc, handler=_cmd_pc)

    net = commands.add_parser(
        "network",
        help="độ trễ, tốc độ tải xuống/tải lên tới máy chủ của Sở",
        description="Đo tốc độ mạng tới máy chủ đo do Sở KH&CN cung cấp (tệp cấu hình hoặc --url).",
    )
    net.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    net.add_argument("--config", metavar="FILE", help="tệp cấu hình máy chủ đo (JSON/YAML)")
    net.add_argument("--url", metavar="URL", nargs="+", action="extend",
                     help="địa chỉ tệp tải xuống để đo (không đo tải lên)")
    net.add_argument("--time-cap", metavar="S", type=_positive_seconds, help="thời gian đo tối đa, giây (mặc định 10)")
    net.add_argument("--streams", metavar="N", type=_stream_count, help="số luồng song song (mặc định 4)")
    _save_arguments(net, "điền các câu tốc độ đo thực tế của bản đánh giá (--commune, --period)")
    net.set_defaults(func=_cmd_network, handler=_cmd_network)

    sign = commands.add_parser("signing", help="USB token, phần mềm ký số, chứng thư số")
    sign.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sign.set_defaults(func=_cmd_signing, handler=_cmd_signing)
    return probe
