"""The provincial report of a period written in the chosen formats: one sequence for ``readiness report`` and
the window's «Xuất báo cáo tổng hợp».

:func:`write_reports` consolidates the period in the scope, takes the scope's petitions and (unless left
out) the investment needs, writes the workbook, then builds the report's content once for the PDF and the
Word report.  Before those two are laid out it lets go of the consolidation, the needs and this process's
memo of scores: the content holds what the documents print, and for the country's 3,321 communes the
consolidation is the largest thing alive (the peak of the command fell from ~905 MB to 305–376 MB).
The command line (:mod:`.cli_report`) and the window (:mod:`readiness.gui.department.reports`) both call it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .status import StatusFilters
    from ..service import Workspace

FORMATS = ("xlsx", "pdf", "docx")  # the order they are written in

# ``progress(done, total, path)``: ``path`` is the file about to be written; None while consolidating
# (``done`` 0) and at the end (``done == total``).
Progress = Callable[[int, int, "Path | None"], None]


@dataclass
class ReportRequest:
    """Everything ``readiness report`` takes."""

    period: str
    filters: StatusFilters
    xlsx: Path | None = None
    pdf: Path | None = None
    docx: Path | None = None
    date: dt.date | None = None
    number: str = ""
    signer: str = ""
    inventory: bool = True  # the workbook's inventory sheets (PCs, certificates, endpoints)
    as_of: dt.date | None = None
    needs: bool = True  # the investment needs' section (readiness needs) in every format

    def paths(self) -> dict[str, Path]:
        """Format -> file, in the order they are written."""
        return {fmt: path for fmt, path in zip(FORMATS, (self.xlsx, self.pdf, self.docx)) if path}


@dataclass
class ReportOutcome:
    period: str
    expected: int
    received: int
    petitions: int
    written: dict[str, Path] = field(default_factory=dict)  # format -> file, in the order written
    seconds: dict[str, float] = field(default_factory=dict)  # consolidate, needs and each format

    @property
    def files(self) -> list[Path]:
        return list(self.written.values())


def write_reports(workspace: Workspace, request: ReportRequest, progress: Progress | None = None) -> ReportOutcome:
    """Consolidate, then write the workbook, then (the consolidation released) the PDF and the Word report."""
    from ..document_settings import load_settings
    from .consolidate import consolidate, inventories
    from .petitions import list_petitions

    paths = request.paths()
    total = 1 + len(paths)
    report_progress = progress or (lambda *_args: None)
    report_progress(0, total, None)
    started = time.perf_counter()
    data = consolidate(workspace, request.period, request.filters, today=request.as_of)
    petitions = list_petitions(workspace, period=request.period, province=request.filters.province)
    scope = {row.code for row in data.status.rows}
    petitions = [p for p in petitions if p.commune_code in scope]
    outcome = ReportOutcome(data.period, data.status.expected, data.received, len(petitions))
    outcome.seconds["consolidate"] = time.perf_counter() - started
    settings = load_settings(workspace.store)
    needs = None
    if request.needs:
        from .needs import investment_needs
        from .prices import load_prices

        start = time.perf_counter()
        needs = investment_needs(workspace, data, load_prices(workspace.store))
        outcome.seconds["needs"] = time.perf_counter() - start

    def writing(fmt: str) -> Path:
        path = paths[fmt]
        report_progress(1 + len(outcome.written), total, path)
        return path

    def written(fmt: str, path: Path, start: float) -> None:
        outcome.seconds[fmt] = time.perf_counter() - start
        outcome.written[fmt] = path

    if "xlsx" in paths:
        from .needs_xlsx import needs_sheets
        from .report_xlsx import write_report_xlsx

        path, start = writing("xlsx"), time.perf_counter()
        write_report_xlsx(data, petitions, path, inventories(workspace, data) if request.inventory else None,
                          as_of=request.as_of or request.date, more_sheets=needs_sheets(needs),
                          department=settings.short_name)
        written("xlsx", path, start)
    if "pdf" in paths or "docx" in paths:
        from .report_content import ReportOptions, build_report

        options = ReportOptions(date=request.date, number=request.number, signer_name=request.signer,
                                settings=settings)
        if request.filters.group:  # a named group: its follow-up report (seed 002's form)
            from .group_report import build_group_report
            from .groups import get_group

            report = build_group_report(data, petitions, get_group(workspace, request.filters.group), options)
        else:
            report = build_report(data, petitions, options, needs)
        # The report holds what the documents print: the consolidation, the needs and this process's
        # memo of scores go before the two documents are laid out (3,321 communes: ~150 MB less at the peak).
        from .bulk import clear_memo

        del data, needs
        clear_memo()
        if "pdf" in paths:
            from .report_pdf import write_report_pdf

            path, start = writing("pdf"), time.perf_counter()
            write_report_pdf(report, path)
            written("pdf", path, start)
        if "docx" in paths:
            from .report_docx import write_report_docx

            path, start = writing("docx"), time.perf_counter()
            write_report_docx(report, path)
            written("docx", path, start)
    report_progress(total, total, None)
    return outcome
