"""CLI of the department's consolidation: ``status``, ``dashboard``, ``trend``, ``report``, ``petitions``.

The main CLI calls :func:`add_report_commands` with its subparsers.  Each command sets
``handler(args) -> int``: 0 done, 1 refused (bad filter, unknown petition, file not written),
2 usage.  Text output is Vietnamese; ``--json`` prints the core's dicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..service import Workspace

EXIT_OK, EXIT_REJECTED = 0, 1


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày «{text}» không hợp lệ; ghi YYYY-MM-DD hoặc DD/MM/YYYY")


def _workspace(args: argparse.Namespace) -> Workspace:
    from ..service import Workspace

    return Workspace.open(args.db)


def _province(args: argparse.Namespace, workspace: Workspace) -> str | None:
    """``--province``, else the home province of the workspace's document settings."""
    if getattr(args, "province", None):
        return args.province
    from ..document_settings import load_settings

    return load_settings(workspace.store).home_province


def _filters(args: argparse.Namespace, workspace: Workspace):
    """The scope of every department command: the province, the filters, ``--group`` and ``--communes``."""
    from .scope import apply_scope
    from .status import StatusFilters

    filters = StatusFilters(province=_province(args, workspace), former_province=getattr(args, "former_province", None),
                            kind=getattr(args, "kind", None), level=getattr(args, "level", None),
                            state=getattr(args, "state", None), search=getattr(args, "search", None),
                            cycle=getattr(args, "cycle", None))
    return apply_scope(workspace, filters, group=getattr(args, "group", None),
                       communes=getattr(args, "communes", None), province_given=bool(getattr(args, "province", None)))


def _scope_options(sub: argparse.ArgumentParser, *, level_state: bool = True) -> None:
    from .vocabulary import KINDS, STATES

    sub.add_argument("--province", default=None, metavar="CODE",
                     help="mã tỉnh (mặc định: tỉnh của Sở trong thiết lập văn bản; 'all' cả nước)")
    sub.add_argument("--former-province", default=None, metavar="TÊN",
                     help="tỉnh trước sắp xếp: \"Quảng Ngãi\" hoặc \"Kon Tum\"")
    sub.add_argument("--kind", default=None, choices=KINDS, help="loại đơn vị")
    sub.add_argument("--search", default=None, help="tìm theo tên xã (có hoặc không dấu) hoặc mã")
    sub.add_argument("--group", default=None, metavar="TÊN NHÓM",
                     help="chỉ các xã của nhóm này (readiness group list); có thể ở nhiều tỉnh")
    sub.add_argument("--communes", default=None, metavar="MÃ HOẶC TÊN,…",
                     help="chỉ các xã này: mã hoặc tên, cách nhau bằng dấu phẩy (ví dụ \"21184, Xã Ba Tơ\")")
    if level_state:
        from .vocabulary import CYCLE_STATES

        sub.add_argument("--level", default=None, metavar="MỨC", help="mức sẵn sàng: ready, basic, not_ready")
        sub.add_argument("--state", default=None, choices=STATES, help="tình trạng nộp")
        sub.add_argument("--cycle", default=None, choices=CYCLE_STATES,
                         help="theo hạn nộp: on_time (đúng hạn), late (sau hạn), received (kỳ chưa đặt hạn), held "
                              "(có bản giữ lại), refused (tệp bị từ chối), missing (chưa nộp)")
    sub.add_argument("--as-of", dest="as_of", type=_date, default=None, metavar="NGÀY",
                     help="chấm điểm theo ngày này (mặc định: bản đã hoàn thành theo ngày hoàn thành, bản nháp theo hôm nay)")


def add_report_commands(subparsers: Any) -> None:
    from .vocabulary import STATUSES

    status = subparsers.add_parser("status")
    status.add_argument("--period", required=True, metavar="YYYY-MM")
    _scope_options(status)
    status.add_argument("--detail", action="store_true", help="kèm điểm từng phần và số tiêu chí trọng yếu chưa đạt")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status, func=cmd_status)

    dashboard = subparsers.add_parser("dashboard")
    dashboard.add_argument("--period", required=True, metavar="YYYY-MM")
    dashboard.add_argument("--commune", default=None, metavar="CODE", help="chi tiết một xã")
    dashboard.add_argument("--sort", default="name",
                           help="sắp xếp bảng xã: name, code, score, level, critical hoặc mã phần")
    dashboard.add_argument("--desc", action="store_true", help="sắp xếp giảm dần")
    _scope_options(dashboard)
    dashboard.add_argument("--json", action="store_true")
    dashboard.set_defaults(handler=cmd_dashboard, func=cmd_dashboard)

    trend = subparsers.add_parser("trend")
    trend.add_argument("--commune", default=None, metavar="CODE", help="một xã (mặc định: toàn tỉnh)")
    trend.add_argument("--from", dest="start", required=True, metavar="YYYY-MM", help="từ kỳ (năm-tháng)")
    trend.add_argument("--to", dest="end", required=True, metavar="YYYY-MM", help="đến kỳ (năm-tháng)")
    _scope_options(trend, level_state=False)
    trend.add_argument("--json", action="store_true")
    trend.set_defaults(handler=cmd_trend, func=cmd_trend)

    report = subparsers.add_parser(
        "report",
        description="Báo cáo tổng hợp một kỳ của Sở (Excel, PDF, Word). Với --group TÊN: Word và PDF là báo cáo "
                    "«Tình hình phụ trách, theo dõi địa bàn … xã, phường … của đồng chí …» của nhóm, kèm Phụ lục "
                    "năm cột; Excel chỉ gồm các xã của nhóm.")
    report.add_argument("--period", required=True, metavar="YYYY-MM")
    report.add_argument("--xlsx", type=Path, default=None, metavar="FILE.xlsx",
                        help="bảng tính Excel (số liệu, biểu đồ, bảng kê)")
    report.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="báo cáo PDF (để in, ký)")
    report.add_argument("--docx", type=Path, default=None, metavar="FILE.docx", help="báo cáo Word (để sửa, trình ký)")
    _scope_options(report, level_state=False)
    report.add_argument("--date", type=_date, default=None, metavar="NGÀY", help="ngày của báo cáo (mặc định hôm nay)")
    report.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    report.add_argument("--signer", default="", metavar="HỌ TÊN", help="người ký (Phó Giám đốc)")
    report.add_argument("--no-inventory", action="store_true",
                        help="Excel: bỏ các sheet bảng kê (máy tính, chứng thư số, điểm cầu)")
    report.add_argument("--no-needs", action="store_true",
                        help="bỏ mục nhu cầu đầu tư và kinh phí ước tính (readiness needs) khỏi báo cáo")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=cmd_report, func=cmd_report)

    cache = subparsers.add_parser("cache")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="LỆNH", required=True,
                                          parser_class=getattr(subparsers, "_parser_class", argparse.ArgumentParser))
    cache_show = cache_commands.add_parser("show", help="số điểm đã lưu và dung lượng")
    cache_show.add_argument("--json", action="store_true")
    cache_show.set_defaults(handler=cmd_cache_show, func=cmd_cache_show)
    cache_warm = cache_commands.add_parser("warm", help="tính sẵn điểm mọi bản đánh giá đã hoàn thành của một kỳ")
    cache_warm.add_argument("--period", required=True, metavar="YYYY-MM")
    cache_warm.add_argument("--json", action="store_true")
    cache_warm.set_defaults(handler=cmd_cache_warm, func=cmd_cache_warm)
    cache_clear = cache_commands.add_parser(
        "clear", help="xóa toàn bộ bộ nhớ đệm điểm (không mất dữ liệu: lần tổng hợp, báo cáo sau tính lại)")
    cache_clear.add_argument("--json", action="store_true")
    cache_clear.set_defaults(handler=cmd_cache_clear, func=cmd_cache_clear)

    petitions = subparsers.add_parser("petitions")
    commands = petitions.add_subparsers(dest="petitions_command", metavar="LỆNH", required=True,
                                        parser_class=getattr(subparsers, "_parser_class", argparse.ArgumentParser))
    listing = commands.add_parser("list", help="danh sách kiến nghị")
    listing.add_argument("--period", default=None, metavar="YYYY-MM")
    listing.add_argument("--commune", default=None, metavar="CODE")
    listing.add_argument("--status", default=None, choices=STATUSES, help="chỉ kiến nghị ở tình trạng này")
    listing.add_argument("--province", default=None, metavar="CODE",
                         help="mã tỉnh (mặc định: tỉnh của Sở trong thiết lập văn bản; 'all' cả nước)")
    listing.add_argument("--topic", action="append", default=None, metavar="LĨNH VỰC",
                         help="lĩnh vực (mã hoặc tên, ví dụ equipment hoặc \"Trang thiết bị\"); lặp lại để chọn nhiều")
    listing.add_argument("--addressed-to", default=None, metavar="CƠ QUAN",
                         help="kiến nghị gửi cơ quan này (ví dụ \"Sở Tài chính\")")
    listing.add_argument("--search", default=None, help="tìm trong nội dung khó khăn, đề xuất")
    listing.add_argument("--all-revisions", action="store_true", help="cả kiến nghị của các lần nộp trước")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_petitions_list, func=cmd_petitions_list)
    update = commands.add_parser(
        "update", help="cập nhật tình hình giải quyết một hoặc nhiều kiến nghị (chuyển, trả lời, đã giải quyết)",
        description="Cập nhật một kiến nghị (ID), nhiều kiến nghị (--ids 1,2,3) hoặc mọi kiến nghị theo điều kiện "
                    "(--period, --commune, --topic, --addressed-to, --in-status): cùng một trạng thái, cơ quan được "
                    "chuyển, nội dung trả lời và văn bản. Tất cả được lưu trong một lần; nếu một kiến nghị không hợp "
                    "lệ thì không kiến nghị nào thay đổi.")
    update.add_argument("id", type=int, nargs="?", metavar="ID", help="số của một kiến nghị")
    update.add_argument("--ids", type=_id_list, default=None, metavar="1,2,3",
                        help="số của nhiều kiến nghị, cách nhau bằng dấu phẩy")
    _petition_filters(update)
    update.add_argument("--status", default=None, choices=STATUSES, help="trạng thái mới")
    update.add_argument("--forwarded-to", default=None, metavar="CƠ QUAN", help="ví dụ \"Sở Tài chính\"")
    update.add_argument("--response", default=None, metavar="NỘI DUNG",
                        help="nội dung trả lời (dùng chung cho mọi kiến nghị đã chọn)")
    update.add_argument("--response-ref", default=None, metavar="VĂN BẢN",
                        help="ví dụ \"Công văn 2984/SKHCN-VP ngày 20/11/2025\"")
    update.add_argument("--force", action="store_true", help="cho phép chuyển ngược trạng thái")
    update.add_argument("--dry-run", action="store_true", help="chỉ liệt kê các kiến nghị sẽ được cập nhật, không lưu")
    update.add_argument("--json", action="store_true")
    update.set_defaults(handler=cmd_petitions_update, func=cmd_petitions_update)

    reply = commands.add_parser(
        "reply", help="công văn trả lời kiến nghị của các xã (Word, PDF), theo mẫu Công văn của Sở",
        description="Công văn «V/v trả lời nội dung kiến nghị …»: mỗi kiến nghị đã chuyển hoặc đã trả lời là một mục "
                    "«Kiến nghị của UBND xã … về việc … (nội dung III.n)» với «Trả lời:» và nội dung đã ghi. Người ký, "
                    "cơ quan ban hành, «Nơi nhận» lấy từ thiết lập văn bản (readiness settings).")
    reply.add_argument("--period", required=True, metavar="YYYY-MM")
    reply.add_argument("--to", default=None, metavar="CƠ QUAN",
                       help="Kính gửi (ví dụ \"Sở Nội vụ\"); để trống: gửi UBND các xã có kiến nghị")
    reply.add_argument("--ids", type=_id_list, default=None, metavar="1,2,3",
                       help="chỉ các kiến nghị này (mặc định: mọi kiến nghị đã chuyển, đã trả lời)")
    _petition_filters(reply, period=False)
    reply.add_argument("--request-number", default="", metavar="SỐ", help="số công văn đề nghị, ví dụ 2956/SNV-XDCQ")
    reply.add_argument("--request-date", type=_date, default=None, metavar="NGÀY",
                       help="ngày công văn đề nghị (DD/MM/YYYY)")
    reply.add_argument("--request-from", default=None, metavar="CƠ QUAN",
                       help="cơ quan đề nghị (mặc định: như --to); ví dụ \"Chủ tịch UBND tỉnh\"")
    reply.add_argument("--request-about", default="", metavar="VỀ VIỆC", help="trích yếu công văn đề nghị")
    reply.add_argument("--subject", default="", metavar="V/V",
                       help="trích yếu (V/v) của công văn này, nếu muốn thay mặc định")
    reply.add_argument("--no-group", action="store_true",
                       help="mỗi kiến nghị một mục (mặc định: các kiến nghị cùng nội dung, cùng trả lời gộp một mục)")
    reply.add_argument("--cc", action="append", default=[], metavar="NƠI NHẬN",
                       help="thêm một dòng «Nơi nhận» (lặp lại được)")
    reply.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    reply.add_argument("--date", type=_date, default=None, metavar="NGÀY", help="ngày của công văn (mặc định hôm nay)")
    reply.add_argument("--signer", default=None, metavar="HỌ TÊN", help="người ký (mặc định: theo thiết lập văn bản)")
    reply.add_argument("--docx", type=Path, default=None, metavar="FILE.docx", help="công văn Word (để sửa, trình ký)")
    reply.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="công văn PDF")
    reply.add_argument("--json", action="store_true")
    reply.set_defaults(handler=cmd_petitions_reply, func=cmd_petitions_reply)


def _id_list(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không phải danh sách số kiến nghị (ví dụ 1,2,3)") from None
    if not ids:
        raise argparse.ArgumentTypeError("chưa ghi số kiến nghị nào (ví dụ 1,2,3)")
    return ids


def _petition_filters(sub: argparse.ArgumentParser, *, period: bool = True) -> None:
    from .vocabulary import STATUSES

    if period:
        sub.add_argument("--period", default=None, metavar="YYYY-MM", help="chỉ kiến nghị của kỳ này")
    sub.add_argument("--commune", action="append", default=None, metavar="CODE",
                     help="chỉ kiến nghị của xã này (lặp lại được)")
    sub.add_argument("--topic", action="append", default=None, metavar="LĨNH VỰC",
                     help="chỉ kiến nghị thuộc lĩnh vực này (mã hoặc tên, ví dụ equipment hoặc \"Trang thiết bị\")")
    sub.add_argument("--addressed-to", default=None, metavar="CƠ QUAN", help="chỉ kiến nghị xã gửi cơ quan này")
    sub.add_argument("--in-status", action="append", default=None, choices=STATUSES,
                     help="chỉ kiến nghị đang ở trạng thái này (lặp lại được)")
    sub.add_argument("--search", default=None, help="chỉ kiến nghị có các từ này trong nội dung")
    sub.add_argument("--province", default=None, metavar="CODE",
                     help="mã tỉnh (mặc định: tỉnh của Sở trong thiết lập văn bản; 'all' cả nước)")


# -- handlers ----------------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    from .status import format_status, period_status

    with _workspace(args) as workspace:
        report = period_status(workspace, args.period, _filters(args, workspace), detail=args.detail, today=args.as_of)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(format_status(report))
    return EXIT_OK


def cmd_dashboard(args: argparse.Namespace) -> int:
    from .consolidate import commune_detail, consolidate

    with _workspace(args) as workspace:
        if args.commune:
            detail = commune_detail(workspace, args.commune, args.period, today=args.as_of)
            return _print_detail(detail, args.json)
        data = consolidate(workspace, args.period, _filters(args, workspace), today=args.as_of)
        try:
            table = data.score_table(args.sort, args.desc)
        except KeyError:
            from ..store.db import StoreError

            raise StoreError("E-SORT", f"Không sắp xếp theo «{args.sort}» được; dùng name (tên), code (mã), score (điểm), "
                             f"level (mức), critical (số tiêu chí trọng yếu chưa đạt) hoặc mã phần: "
                             + "; ".join(f"{s.id} (phần {s.number}. {s.title})" for s in data.sections) + ".") from None
    from .rollup import province_rollup, spans_provinces

    provinces = province_rollup(data) if spans_provinces(data) else []
    if args.json:
        out = data.to_dict(with_rows=False)
        labels = data.status.level_labels
        out["communes"] = [row.to_dict(labels) for row in table]
        out["provinces"] = [p.to_dict() for p in provinces]
        _print_json(out)
        return EXIT_OK
    from ..store.db import period_label

    from ..numbers import integer, score as score_words, share

    avg = data.average_score()
    print(f"Kỳ {period_label(data.period)}: đã nhận {integer(data.received)}/{integer(data.status.expected)}; "
          f"điểm bình quân {score_words(avg)}")
    print("Mức sẵn sàng: " + "; ".join(f"{lc.level.label} {integer(lc.count)} ({share(lc.share)})" for lc in data.levels))
    print("Điểm bình quân từng phần:")
    for section in data.sections:
        print(f"  {section.number}. {section.title}: {score_words(data.section_averages.get(section.id))}")
    print("Tồn tại phổ biến:")
    for gap in [g for g in data.common_gaps if g.count][:10]:
        print(f"  {gap.criterion.number} {gap.criterion.label}: {integer(gap.count)} xã ({share(gap.share)})")
    if provinces:
        levels = data.status.levels
        print(f"Theo tỉnh, thành phố ({integer(len(provinces))}): phải nộp, đã nhận, điểm bình quân, "
              + ", ".join(level.label.lower() for level in levels) + ":")
        for p in provinces:
            print(f"  {p.code} {p.short_name:<18} {integer(p.expected):>6} {integer(p.received):>6} "
                  f"{score_words(p.mean_score, fixed=True):>6}  " + " ".join(f"{integer(p.levels.get(level.id, 0)):>6}"
                                                                 for level in levels))
    print("Bảng điểm (điểm chung, mức, rồi điểm phần " + ", ".join(str(s.number) for s in data.sections) + "):")
    labels = data.status.level_labels
    for row in table:
        sections = " ".join(f"{score_words((row.section_scores or {}).get(s.id), fixed=True):>5}" for s in data.sections)
        name = f"{row.name} ({row.province_name.removeprefix('Thành phố ').removeprefix('Tỉnh ')})" if provinces else row.name
        print(f"  {row.code} {name:<28} {score_words(row.score, fixed=True):>5} {labels.get(row.level or '', ''):<16} "
              f"{sections}")
    return EXIT_OK


def _print_detail(detail: Any, as_json: bool) -> int:
    from ..store.db import period_label
    from .petitions import STATUS_LABELS

    result, checklist = detail.result, detail.checklist
    if as_json:
        data: dict[str, Any] = {
            "commune": detail.commune.code, "name": detail.commune.name, "period": detail.period, "state": detail.state,
            "as_of": detail.as_of.isoformat() if detail.as_of else None,
            "result": result.to_dict(checklist) if result else None,
            "answers": [{"number": n, "label": label, "answer": a} for n, label, a in detail.answer_lines()],
            "history": [{"period": i.period, "revision": i.revision, "status": i.status, "score": i.score,
                         "level": i.level, "finalized_at": i.finalized_at.isoformat() if i.finalized_at else None}
                        for i in detail.history],
            "petitions": [{"id": p.id, "difficulty": p.difficulty, "proposal": p.proposal, "status": p.status}
                          for p in detail.petitions],
        }
        _print_json(data)
        return EXIT_OK
    from ..numbers import score as score_words
    from .status import STATE_LABELS

    revision_status = {"draft": "bản nháp", "finalized": "đã hoàn thành"}
    print(f"{detail.commune.name} ({detail.commune.code}) — kỳ {period_label(detail.period)}: "
          f"{STATE_LABELS.get(detail.state, detail.state)}")
    if result and checklist:
        print(f"Điểm {score_words(result.score)}, mức {checklist.level(result.level_id).label.vi}; "
              f"trọng yếu chưa đạt {result.critical_failed}")
        for section in result.sections:
            if section.score is not None:
                print(f"  {checklist.section(section.section_id).title.vi}: {score_words(section.score)}")
        for gap in result.gaps:
            print(f"  - {checklist.number(gap.item_id)} {checklist.item(gap.item_id).label.vi}: {gap.advice}")
    print("Lịch sử: " + "; ".join(f"{period_label(i.period)} lần {i.revision} ({revision_status.get(i.status, i.status)})"
                                  for i in detail.history))
    for petition in detail.petitions:
        print(f"  Kiến nghị #{petition.id} [{STATUS_LABELS.get(petition.status, petition.status)}]: {petition.difficulty}")
    return EXIT_OK


def cmd_trend(args: argparse.Namespace) -> int:
    from .trend import format_trend, trend

    with _workspace(args) as workspace:
        filters = _filters(args, workspace)
        result = trend(workspace, args.start, args.end, commune=args.commune, filters=filters, today=args.as_of)
        labels = {level.id: level.label.vi for level in workspace.latest_checklist().levels}
    if args.json:
        _print_json(result.to_dict())
    else:
        print(format_trend(result, labels))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from ..store.db import StoreError
    from .reports import ReportRequest, write_reports

    if not (args.xlsx or args.pdf or args.docx):
        raise StoreError("E-REPORT-OUTPUT", "Chưa chọn tệp nào để xuất: thêm --xlsx, --pdf hoặc --docx.")
    workspace = _workspace(args)
    try:
        request = ReportRequest(period=args.period, filters=_filters(args, workspace), xlsx=args.xlsx, pdf=args.pdf,
                                docx=args.docx, date=args.date, number=args.number, signer=args.signer,
                                inventory=not args.no_inventory, as_of=args.as_of, needs=not args.no_needs)
        outcome = write_reports(workspace, request)
    finally:
        workspace.close()
    written = [{"format": fmt, "path": str(path)} for fmt, path in outcome.written.items()]
    if args.json:
        _print_json({"ok": True, "period": outcome.period, "expected": outcome.expected, "received": outcome.received,
                     "petitions": outcome.petitions, "files": written,
                     "seconds": {k: round(v, 3) for k, v in outcome.seconds.items()}})
    else:
        from ..store.db import period_label

        print(f"Báo cáo kỳ {period_label(outcome.period)}: đã nhận {outcome.received}/{outcome.expected} đơn vị, "
              f"{outcome.petitions} kiến nghị.")
        for entry in written:
            print(f"  Đã ghi {entry['path']}")
    return EXIT_OK


def _topics(workspace: Workspace, values: list[str] | None) -> tuple[str, ...]:
    """Topic choice ids from ids or labels (with or without diacritics)."""
    if not values:
        return ()
    from ..store.db import StoreError
    from ..text import fold
    from .petitions import topic_choices

    choices = topic_choices(workspace)
    out = []
    for value in values:
        found = [cid for cid, label in choices.items() if value == cid or fold(value) == fold(label)]
        if not found:
            known = "; ".join(f"{cid} ({label})" for cid, label in choices.items())
            raise StoreError("E-PETITION-TOPIC", f"Lĩnh vực «{value}» không có; chọn một trong: {known}.")
        out.append(found[0])
    return tuple(out)


def _where(args: argparse.Namespace, workspace: Workspace, *, period: str | None = None):
    from .petitions import PetitionFilter

    province = _province(args, workspace)
    return PetitionFilter(
        period=period if period is not None else getattr(args, "period", None),
        communes=tuple(args.commune or ()), statuses=tuple(getattr(args, "in_status", None) or ()),
        topics=_topics(workspace, args.topic), addressed_to=args.addressed_to, search=args.search,
        ids=tuple(getattr(args, "ids", None) or ()), province=None if province == "all" else province)


def _megabytes(size: int) -> str:
    from ..numbers import integer, number

    if size < 100_000:
        return f"{integer(max(1, round(size / 1000)))} KB"
    return f"{number(size / 1e6, decimals=1)} MB"


def cmd_cache_show(args: argparse.Namespace) -> int:
    from .. import __version__
    from ..numbers import integer
    from .bulk import CACHE_FORMAT

    with _workspace(args) as workspace:
        stats = workspace.store.score_cache_stats()
    current = f"{CACHE_FORMAT}/{__version__}"
    if args.json:
        _print_json({"entries": stats.entries, "bytes": stats.size, "current_scorer": current,
                     "by_scorer": {k: {"entries": n, "bytes": b} for k, (n, b) in sorted(stats.by_scorer.items())}})
        return EXIT_OK
    if not stats.entries:
        print("Bộ nhớ đệm điểm đang trống: lần tổng hợp, báo cáo tới sẽ tính điểm các xã rồi lưu lại.")
        return EXIT_OK
    print(f"Bộ nhớ đệm điểm: {integer(stats.entries)} bản đánh giá đã tính điểm, {_megabytes(stats.size)}, lưu trong "
          "cơ sở dữ liệu, dùng chung cho mọi máy mở cơ sở dữ liệu này.")
    stale = {k: v for k, v in stats.by_scorer.items() if k != current}
    if stale:
        entries = sum(n for n, _ in stale.values())
        size = sum(b for _, b in stale.values())
        print(f"Trong đó {integer(entries)} bản ({_megabytes(size)}) do phiên bản phần mềm khác tính, phiên bản này "
              "không dùng; «readiness cache clear» xóa được mà không mất dữ liệu.")
    return EXIT_OK


def cmd_cache_warm(args: argparse.Namespace) -> int:
    from ..numbers import integer
    from ..store.db import period_label, validate_period
    from .bulk import warm_cache

    period = validate_period(args.period)
    with _workspace(args) as workspace:
        count = warm_cache(workspace, period)
    if args.json:
        _print_json({"period": period, "scored": count})
    elif count:
        print(f"Đã tính sẵn điểm của {integer(count)} bản đánh giá đã hoàn thành kỳ {period_label(period)}.")
    else:
        print(f"Kỳ {period_label(period)} chưa có bản đánh giá nào đã hoàn thành: không có điểm nào để tính.")
    return EXIT_OK


def cmd_cache_clear(args: argparse.Namespace) -> int:
    from ..numbers import integer
    from .bulk import clear_cache

    with _workspace(args) as workspace:
        cleared = clear_cache(workspace.store)
    if args.json:
        _print_json({"entries": cleared.entries, "old_files": cleared.old_files})
        return EXIT_OK
    if cleared.entries:
        print(f"Đã xóa điểm của {integer(cleared.entries)} bản đánh giá khỏi bộ nhớ đệm; lần tổng hợp, báo cáo sau sẽ "
              "tính lại (không mất dữ liệu).")
    else:
        print("Bộ nhớ đệm điểm đã trống.")
    if cleared.old_files:
        print(f"Đã xóa {integer(cleared.old_files)} tệp bộ nhớ đệm cũ (của phiên bản trước) trên máy này.")
    return EXIT_OK


def cmd_petitions_list(args: argparse.Namespace) -> int:
    from .petitions import PetitionFilter, format_petitions, list_petitions

    with _workspace(args) as workspace:
        province = _province(args, workspace)
        where = PetitionFilter(period=args.period, communes=(args.commune,) if args.commune else (),
                               statuses=(args.status,) if args.status else (), topics=_topics(workspace, args.topic),
                               addressed_to=args.addressed_to, search=args.search,
                               province=None if province == "all" else province, current_only=not args.all_revisions)
        found = list_petitions(workspace, where=where)
    if args.json:
        _print_json([p.to_dict() for p in found])
    else:
        print(format_petitions(found))
    return EXIT_OK


def cmd_petitions_update(args: argparse.Namespace) -> int:
    from ..store.db import StoreError
    from .petitions import list_petitions, update_petitions

    if args.status is None and args.forwarded_to is None and args.response is None and args.response_ref is None:
        print("Không có gì để cập nhật: thêm --status, --forwarded-to, --response hoặc --response-ref.", file=sys.stderr)
        return 2
    ids = ([args.id] if args.id is not None else []) + list(args.ids or [])
    with _workspace(args) as workspace:
        where = _where(args, workspace)
        filtered = bool(where.period or where.communes or where.statuses or where.topics or where.addressed_to
                        or where.search)
        if filtered:
            chosen = list_petitions(workspace, where=where)
            ids = [p.id for p in chosen]
            if not ids:
                raise StoreError("E-PETITION-NONE", "Không có kiến nghị nào khớp điều kiện đã chọn; không có gì thay đổi.")
        elif not ids:
            print("Chưa chọn kiến nghị: ghi số (ID hoặc --ids 1,2,3) hoặc điều kiện (--period, --commune, --topic, "
                  "--addressed-to, --in-status).", file=sys.stderr)
            return 2
        if args.dry_run:
            chosen = list_petitions(workspace, where=replace_ids(where, ids))
            if args.json:
                _print_json({"ok": True, "dry_run": True, "count": len(chosen), "petitions": [p.to_dict() for p in chosen]})
            else:
                for p in chosen:
                    print(f"#{p.id}  {p.commune_name} — {p.status_label}: {(p.proposal or p.difficulty or '')[:80]}")
                print(f"— {len(chosen)} kiến nghị sẽ được cập nhật (chưa lưu: bỏ --dry-run để lưu).")
            return EXIT_OK
        changed = update_petitions(workspace, ids, status=args.status, forwarded_to=args.forwarded_to,
                                   response=args.response, response_ref=args.response_ref, force=args.force)
    if args.json:
        if args.id is not None and not args.ids and len(changed) == 1 and not filtered:
            _print_json(changed[0].to_dict())
        else:
            _print_json({"ok": True, "count": len(changed), "petitions": [p.to_dict() for p in changed]})
    elif len(changed) == 1:
        petition = changed[0]
        print(f"Kiến nghị #{petition.id} của {petition.commune_name}: {petition.status_label}. "
              f"Tình hình giải quyết: {petition.resolution}")
    else:
        communes = len({p.commune_code for p in changed})
        print(f"Đã cập nhật {len(changed)} kiến nghị của {communes} đơn vị: {changed[0].status_label}. "
              f"Tình hình giải quyết: {changed[0].resolution}")
    return EXIT_OK


def replace_ids(where: Any, ids: list[int]) -> Any:
    from dataclasses import replace

    return replace(where, ids=tuple(ids), period=None, communes=(), statuses=(), topics=(), addressed_to=None,
                   search=None, province=None)


def cmd_petitions_reply(args: argparse.Namespace) -> int:
    from ..document_settings import load_settings
    from ..exchange.letter import write_letter
    from ..store.db import StoreError
    from .reply_letter import ReplyOptions, build_reply_letter, reply_petitions

    if not (args.docx or args.pdf):
        raise StoreError("E-REPORT-OUTPUT", "Chưa chọn tệp nào để ghi: thêm --docx FILE.docx và/hoặc --pdf FILE.pdf.")
    with _workspace(args) as workspace:
        options = ReplyOptions(
            period=args.period, to=args.to, ids=tuple(args.ids or ()), where=_where(args, workspace, period=args.period),
            request_number=args.request_number, request_date=args.request_date, request_from=args.request_from,
            request_about=args.request_about, subject=args.subject, number=args.number, date=args.date,
            signer_name=args.signer, extra_copies=tuple(line if line.endswith((";", ".")) else f"{line};"
                                                         for line in args.cc), group=not args.no_group)
        petitions = reply_petitions(workspace, options)
        settings = load_settings(workspace.store)
        communes = {c.code: c for c in workspace.store.all_communes()}
        letter = build_reply_letter(petitions, options, settings, communes)
        written = write_letter(letter, docx=args.docx, pdf=args.pdf)
    count = len({p.commune_code for p in petitions})
    if args.json:
        _print_json({"ok": True, "period": args.period, "petitions": [p.id for p in petitions], "communes": count,
                     "files": [str(path) for path in written]})
    else:
        print(f"Công văn trả lời {len(petitions)} kiến nghị của {count} đơn vị.")
        for path in written:
            print(f"  Đã ghi {path}")
    return EXIT_OK
