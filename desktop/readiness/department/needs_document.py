"""The investment needs as a document (``readiness needs --pdf/--docx``): a report in the ND30 layout.

«BÁO CÁO Nhu cầu đầu tư trang thiết bị công nghệ thông tin của Trung tâm Phục vụ hành chính công xã trên
địa bàn tỉnh …, kỳ 11/2025», issued by the department (letterhead, number «…/BC-SKHCN», signer and
«Nơi nhận» from the workspace's document settings):

1. the needs, one sentence each with its details and, for what is counted in communes, their names;
2. the estimated cost: a table of priced items (quantity, unit price, amount) and the total, with where
   the prices come from;
3. each commune's needs and cost (communes with none are left out, and counted);
4. the unit prices used: source, basis and date.

Written by :func:`readiness.exchange.letter.write_letter` (Word and PDF from the same content).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..exchange.letter import Letter, Para, Table
from ..store.db import period_label
from .needs import COST_HEADERS, NeedsReport, cost_rows, count_text, need_sentences, prices_note
from .prices import format_vnd

if TYPE_CHECKING:
    from ..document_settings import DocumentSettings

COMMUNE_HEADERS = ("STT", "Đơn vị", "Máy tính chưa đạt, hỏng", "Windows 10 trở về trước", "Người chưa có máy",
                   "Quầy thiếu máy in, máy quét", "Chứng thư số cần xử lý", "Kinh phí ước tính (đồng)")
CERTIFICATE_LINES = ("org_expired", "org_expiring", "org_old_name", "org_none", "personal_expired", "personal_expiring")


@dataclass
class NeedsDocumentOptions:
    date: dt.date | None = None
    number: str = ""
    signer_name: str | None = None


def subject_of(report: NeedsReport) -> str:
    return (f"Nhu cầu đầu tư trang thiết bị công nghệ thông tin của Trung tâm Phục vụ hành chính công xã trên địa bàn "
            f"{report.scope}, kỳ {period_label(report.period)}")


def commune_rows(report: NeedsReport) -> tuple[list[tuple[str, ...]], int]:
    """Rows of the per-commune table (communes with a need), and how many communes have none."""
    rows: list[tuple[str, ...]] = []
    without = 0
    for commune in report.communes:
        counts = commune.counts
        if not counts:
            without += 1
            continue

        def said(*parts: tuple[str, str], before: str = "") -> str:
            return before + ", ".join(f"{counts[key]} {words}" for key, words in parts if counts.get(key)) \
                if any(counts.get(key) for key, _ in parts) else ""

        certificates = sum(counts.get(line, 0) for line in CERTIFICATE_LINES)
        rows.append((str(len(rows) + 1), commune.name, said(("pcs_below", "chưa đạt"), ("pcs_poor", "hỏng")),
                     said(("win_old", "máy")), said(("officers_without_pc", "người")),
                     said(("counters_printer", "máy in"), ("counters_scanner", "máy quét"), before="thiếu "),
                     str(certificates) if certificates else "",
                     format_vnd(commune.cost, unit=False) if commune.cost else "—"))  # e.g. certificates: free
    return rows, without


def build_needs_document(report: NeedsReport, settings: DocumentSettings,
                         options: NeedsDocumentOptions | None = None) -> Letter:
    options = options or NeedsDocumentOptions()
    department = settings.department_name
    label = period_label(report.period)
    missing = len(report.not_received)
    intro = (f"Trên cơ sở kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin kỳ {label} của "
             f"{report.received}/{report.expected} đơn vị hành chính cấp xã đã gửi"
             + (f" ({missing} đơn vị chưa gửi, chưa tính)" if missing else "")
             + f", {department} tổng hợp nhu cầu đầu tư trang thiết bị công nghệ thông tin như sau:")
    body: list = [Para("p", intro)]
    body.append(Para("heading", "1. Nhu cầu trang thiết bị"))
    sentences = need_sentences(report)
    if sentences:
        body += [Para("bullet", text) for text in sentences]
    else:
        body.append(Para("p", "Các đơn vị đã gửi kết quả không có nhu cầu nào trong các nội dung tổng hợp."))
    body.append(Para("heading", "2. Kinh phí ước tính"))
    if report.costs:
        body.append(Table(COST_HEADERS, tuple(cost_rows(report)), (0.9, 7.0, 2.0, 2.4, 2.9), (0,), (3, 4),
                          bold_last=True))
        body.append(Para("p", prices_note(report)))
    else:
        body.append(Para("p", "Không phát sinh kinh phí."))
    body.append(Para("heading", "3. Nhu cầu và kinh phí ước tính của từng đơn vị"))
    rows, without = commune_rows(report)
    if rows:
        body.append(Table(COMMUNE_HEADERS, tuple(rows), (0.9, 3.3, 2.2, 1.9, 1.4, 2.3, 1.5, 2.4), (0, 3, 4, 6), (7,)))
    if without:
        body.append(Para("p", f"{count_text(without, 'đơn vị')} đã gửi kết quả không có nhu cầu nào trong các nội dung "
                              "tổng hợp."))
    body.append(Para("heading", "4. Đơn giá sử dụng"))
    price_rows = tuple(
        (str(i), price.label, f"{format_vnd(price.amount, unit=False)}/{price.unit}" if price.amount else "Không tính phí",
         f"{price.source_label()}, {price.date.strftime('%d/%m/%Y')}. {price.basis}")
        for i, price in enumerate(report.prices.prices.values(), start=1))
    body.append(Table(("STT", "Hạng mục", "Đơn giá (đồng)", "Nguồn, căn cứ"), price_rows, (0.9, 5.4, 2.4, 6.5), (0,),
                      (2,)))
    closing = (f"Trên đây là tổng hợp nhu cầu đầu tư trang thiết bị công nghệ thông tin của Trung tâm Phục vụ hành chính "
               f"công xã kỳ {label} của {department}./.")
    return Letter(settings=settings, date=options.date or dt.date.today(), subject=subject_of(report), addressees=(),
                  body=body, closing=closing, copies=settings.report_recipients, number=options.number,
                  code=settings.report_code, title="BÁO CÁO", signer_name=options.signer_name or None,
                  kind_label="Báo cáo")


__all__ = ["COMMUNE_HEADERS", "NeedsDocumentOptions", "build_needs_document", "commune_rows", "subject_of"]
