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
from typing import Any

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


def _workspace(args: argparse.Namespace):
    from ..service import Workspace

    return Workspace.open(args.db)


def _filters(args: argparse.Namespace):
    from .status import StatusFilters

    return StatusFilters(province=args.province, former_province=getattr(args, "former_province", None),
                         kind=getattr(args, "kind", None), level=getattr(args, "level", None),
                         state=getattr(args, "state", None), search=getattr(args, "search", None))


def _scope_options(sub: argparse.ArgumentParser, *, level_state: bool = True) -> None:
    from .status import KINDS, STATES

    sub.add_argument("--province", default="51", metavar="CODE", help="mã tỉnh (mặc định 51 Quảng Ngãi; 'all' cả nước)")
    sub.add_argument("--former-province", default=None, metavar="TÊN", help="tỉnh trước sắp xếp: \"Quảng Ngãi\" hoặc \"Kon Tum\"")
    sub.add_argument("--kind", default=None, choices=KINDS, help="loại đơn vị")
    sub.add_argument("--search", default=None, help="tìm theo tên xã (có hoặc không dấu) hoặc mã")
    if level_state:
        sub.add_argument("--level", default=None, metavar="MỨC", help="mức sẵn sàng: ready, basic, not_ready")
        sub.add_argument("--state", default=None, choices=STATES, help="tình trạng nộp")
    sub.add_argument("--as-of", dest="as_of", type=_date, default=None, metavar="NGÀY",
                     help="chấm điểm theo ngày này (mặc định: bản đã hoàn thành theo ngày hoàn thành, bản nháp theo hôm nay)")


def add_report_commands(subparsers: Any) -> None:
    from .petitions import STATUSES

    status = subparsers.add_parser("status", help="tình hình nộp bản tự đánh giá của các xã trong một kỳ (Sở KHCN)")
    status.add_argument("--period", required=True, metavar="YYYY-MM")
    _scope_options(status)
    status.add_argument("--detail", action="store_true", help="kèm điểm từng phần và số tiêu chí trọng yếu chưa đạt")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status, func=cmd_status)

    dashboard = subparsers.add_parser("dashboard", help="số liệu tổng hợp một kỳ: mức sẵn sàng, điểm từng phần, tồn tại phổ biến")
    dashboard.add_argument("--period", required=True, metavar="YYYY-MM")
    dashboard.add_argument("--commune", default=None, metavar="CODE", help="chi tiết một xã")
    dashboard.add_argument("--sort", default="name", help="sắp xếp bảng xã: name, code, score, level, critical hoặc mã phần")
    dashboard.add_argument("--desc", action="store_true", help="sắp xếp giảm dần")
    _scope_options(dashboard)
    dashboard.add_argument("--json", action="store_true")
    dashboard.set_defaults(handler=cmd_dashboard, func=cmd_dashboard)

    trend = subparsers.add_parser("trend", help="diễn biến qua các kỳ: điểm, mức, tiêu chí cải thiện hoặc xấu đi")
    trend.add_argument("--commune", default=None, metavar="CODE", help="một xã (mặc định: toàn tỉnh)")
    trend.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    trend.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    _scope_options(trend, level_state=False)
    trend.add_argument("--json", action="store_true")
    trend.set_defaults(handler=cmd_trend, func=cmd_trend)

    report = subparsers.add_parser("report", help="báo cáo tổng hợp một kỳ: Excel, PDF, Word")
    report.add_argument("--period", required=True, metavar="YYYY-MM")
    report.add_argument("--xlsx", type=Path, default=None, metavar="FILE.xlsx")
    report.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf")
    report.add_argument("--docx", type=Path, default=None, metavar="FILE.docx")
    _scope_options(report, level_state=False)
    report.add_argument("--date", type=_date, default=None, metavar="NGÀY", help="ngày của báo cáo (mặc định hôm nay)")
    report.add_argument("--number", default="", metavar="SỐ", help="số văn bản (để trống: văn thư ghi khi phát hành)")
    report.add_argument("--signer", default="", metavar="HỌ TÊN", help="người ký (Phó Giám đốc)")
    report.add_argument("--no-inventory", action="store_true", help="Excel: bỏ các sheet bảng kê (máy tính, chứng thư số, điểm cầu)")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=cmd_report, func=cmd_report)

    petitions = subparsers.add_parser("petitions", help="kiến nghị của các xã: xem, chuyển, trả lời, đánh dấu đã giải quyết")
    commands = petitions.add_subparsers(dest="petitions_command", metavar="LỆNH", required=True,
                                        parser_class=getattr(subparsers, "_parser_class", argparse.ArgumentParser))
    listing = commands.add_parser("list", help="danh sách kiến nghị")
    listing.add_argument("--period", default=None, metavar="YYYY-MM")
    listing.add_argument("--commune", default=None, metavar="CODE")
    listing.add_argument("--status", default=None, choices=STATUSES)
    listing.add_argument("--province", default="51", metavar="CODE")
    listing.add_argument("--search", default=None, help="tìm trong nội dung khó khăn, đề xuất")
    listing.add_argument("--all-revisions", action="store_true", help="cả kiến nghị của các lần nộp trước")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_petitions_list, func=cmd_petitions_list)
    update = commands.add_parser("update", help="cập nhật tình hình giải quyết một kiến nghị")
    update.add_argument("id", type=int, metavar="ID")
    update.add_argument("--status", default=None, choices=STATUSES)
    update.add_argument("--forwarded-to", default=None, metavar="CƠ QUAN", help="ví dụ \"Sở Tài chính\"")
    update.add_argument("--response", default=None, metavar="NỘI DUNG")
    update.add_argument("--response-ref", default=None, metavar="VĂN BẢN",
                        help="ví dụ \"Công văn 2984/SKHCN-VP ngày 20/11/2025\"")
    update.add_argument("--force", action="store_true", help="cho phép chuyển ngược trạng thái")
    update.add_argument("--json", action="store_true")
    update.set_defaults(handler=cmd_petitions_update, func=cmd_petitions_update)


# -- handlers ----------------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    from .status import format_status, period_status

    workspace = _workspace(args)
    try:
        report = period_status(workspace, args.period, _filters(args), detail=args.detail, today=args.as_of)
    finally:
        workspace.close()
    if args.json:
        _print_json(report.to_dict())
    else:
        print(format_status(report))
    return EXIT_OK


def cmd_dashboard(args: argparse.Namespace) -> int:
    from .consolidate import commune_detail, consolidate

    workspace = _workspace(args)
    try:
        if args.commune:
            detail = commune_detail(workspace, args.commune, args.period, today=args.as_of)
            return _print_detail(detail, args.json)
        data = consolidate(workspace, args.period, _filters(args), today=args.as_of)
        try:
            table = data.score_table(args.sort, args.desc)
        except KeyError:
            from ..store.db import StoreError

            raise StoreError("E-SORT", f"Không sắp xếp theo «{args.sort}» được; dùng name, code, score, level, critical "
                             f"hoặc mã phần ({', '.join(s.id for s in data.sections)}).") from None
    finally:
        workspace.close()
    if args.json:
        out = data.to_dict(with_rows=False)
        labels = data.status.level_labels
        out["communes"] = [row.to_dict(labels) for row in table]
        _print_json(out)
        return EXIT_OK
    from ..store.db import period_label

    avg = data.average_score()
    print(f"Kỳ {period_label(data.period)}: đã nhận {data.received}/{data.status.expected}; điểm bình quân "
          f"{'—' if avg is None else f'{avg:.1f}'}")
    print("Mức sẵn sàng: " + "; ".join(f"{lc.level.label} {lc.count} ({lc.share:.0%})" for lc in data.levels))
    print("Điểm bình quân từng phần:")
    for section in data.sections:
        value = data.section_averages.get(section.id)
        print(f"  {section.number}. {section.title}: {'—' if value is None else f'{value:.1f}'}")
    print("Tồn tại phổ biến:")
    for gap in [g for g in data.common_gaps if g.count][:10]:
        print(f"  {gap.criterion.number} {gap.criterion.label}: {gap.count} xã ({gap.share:.0%})")
    print("Bảng điểm:")
    labels = data.status.level_labels
    for row in table:
        sections = " ".join("  —" if (row.section_scores or {}).get(s.id) is None
                            else f"{row.section_scores[s.id]:3.0f}" for s in data.sections)
        print(f"  {row.code} {row.name:<28} {row.score or 0:5.1f} {labels.get(row.level or '', ''):<16} {sections}")
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
    print(f"{detail.commune.name} ({detail.commune.code}) — kỳ {period_label(detail.period)}: {detail.state}")
    if result and checklist:
        print(f"Điểm {result.score:.1f}, mức {checklist.level(result.level_id).label.vi}; "
              f"trọng yếu chưa đạt {result.critical_failed}")
        for section in result.sections:
            if section.score is not None:
                print(f"  {checklist.section(section.section_id).title.vi}: {section.score:.1f}")
        for gap in result.gaps:
            print(f"  - {checklist.number(gap.item_id)} {checklist.item(gap.item_id).label.vi}: {gap.advice}")
    print("Lịch sử: " + "; ".join(f"{period_label(i.period)} lần {i.revision} ({i.status})" for i in detail.history))
    for petition in detail.petitions:
        print(f"  Kiến nghị #{petition.id} [{STATUS_LABELS.get(petition.status, petition.status)}]: {petition.difficulty}")
    return EXIT_OK


def cmd_trend(args: argparse.Namespace) -> int:
    from .trend import format_trend, trend

    workspace = _workspace(args)
    try:
        filters = _filters(args)
        result = trend(workspace, args.start, args.end, commune=args.commune, filters=filters, today=args.as_of)
        labels = {level.id: level.label.vi for level in workspace.latest_checklist().levels}
    finally:
        workspace.close()
    if args.json:
        _print_json(result.to_dict())
    else:
        print(format_trend(result, labels))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    import time

    from ..exchange.errors import ExchangeError
    from ..store.db import StoreError
    from .consolidate import consolidate, inventories
    from .petitions import list_petitions
    from .report_content import ReportOptions, build_report

    if not (args.xlsx or args.pdf or args.docx):
        raise StoreError("E-REPORT-OUTPUT", "Chưa chọn tệp nào để xuất: thêm --xlsx, --pdf hoặc --docx.")
    workspace = _workspace(args)
    written: list[dict[str, Any]] = []
    try:
        started = time.perf_counter()
        filters = _filters(args)
        data = consolidate(workspace, args.period, filters, today=args.as_of)
        petitions = list_petitions(workspace, period=args.period, province=filters.province)
        scope = {row.code for row in data.status.rows}
        petitions = [p for p in petitions if p.commune_code in scope]
        timings = {"consolidate": time.perf_counter() - started}
        try:
            if args.xlsx:
                from .report_xlsx import write_report_xlsx

                start = time.perf_counter()
                inv = None if args.no_inventory else inventories(workspace, data)
                write_report_xlsx(data, petitions, args.xlsx, inv, as_of=args.as_of or args.date)
                timings["xlsx"] = time.perf_counter() - start
                written.append({"format": "xlsx", "path": str(args.xlsx)})
            if args.pdf or args.docx:
                from ..document_settings import load_settings

                report = build_report(data, petitions, ReportOptions(date=args.date, number=args.number,
                                                                     signer_name=args.signer,
                                                                     settings=load_settings(workspace.store)))
                if args.pdf:
                    from .report_pdf import write_report_pdf

                    start = time.perf_counter()
                    write_report_pdf(report, args.pdf)
                    timings["pdf"] = time.perf_counter() - start
                    written.append({"format": "pdf", "path": str(args.pdf)})
                if args.docx:
                    from .report_docx import write_report_docx

                    start = time.perf_counter()
                    write_report_docx(report, args.docx)
                    timings["docx"] = time.perf_counter() - start
                    written.append({"format": "docx", "path": str(args.docx)})
        except ExchangeError as error:
            raise StoreError(error.code, error.located_message()) from None
    finally:
        workspace.close()
    if args.json:
        _print_json({"ok": True, "period": data.period, "expected": data.status.expected, "received": data.received,
                     "petitions": len(petitions), "files": written,
                     "seconds": {k: round(v, 3) for k, v in timings.items()}})
    else:
        from ..store.db import period_label

        print(f"Báo cáo kỳ {period_label(data.period)}: đã nhận {data.received}/{data.status.expected} đơn vị, "
              f"{len(petitions)} kiến nghị.")
        for entry in written:
            print(f"  Đã ghi {entry['path']}")
    return EXIT_OK


def cmd_petitions_list(args: argparse.Namespace) -> int:
    from .petitions import format_petitions, list_petitions

    workspace = _workspace(args)
    try:
        found = list_petitions(workspace, period=args.period, commune=args.commune, status=args.status,
                               province=args.province, search=args.search, current_only=not args.all_revisions)
    finally:
        workspace.close()
    if args.json:
        _print_json([p.to_dict() for p in found])
    else:
        print(format_petitions(found))
    return EXIT_OK


def cmd_petitions_update(args: argparse.Namespace) -> int:
    from .petitions import update_petition

    if args.status is None and args.forwarded_to is None and args.response is None and args.response_ref is None:
        print("Không có gì để cập nhật: thêm --status, --forwarded-to, --response hoặc --response-ref.", file=sys.stderr)
        return 2
    workspace = _workspace(args)
    try:
        petition = update_petition(workspace, args.id, status=args.status, forwarded_to=args.forwarded_to,
                                   response=args.response, response_ref=args.response_ref, force=args.force)
    finally:
        workspace.close()
    if args.json:
        _print_json(petition.to_dict())
    else:
        print(f"Kiến nghị #{petition.id} của {petition.commune_name}: {petition.status_label}. "
              f"Tình hình giải quyết: {petition.resolution}")
    return EXIT_OK
