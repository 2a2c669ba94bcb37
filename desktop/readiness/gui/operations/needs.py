"""The investment needs and their unit prices, from the window (what ``readiness needs`` and
``readiness prices`` do).

Qt-free functions the «Nhu cầu đầu tư» tab runs on its :class:`~.runner.Runner` (loading the needs,
writing the files) or on the UI thread (the prices: one short transaction each).  The tab reaches the
core only through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...department.consolidate import Consolidation
    from ...department.needs import NeedsReport
    from ...department.prices import PriceList
    from ...department.status import StatusFilters
    from ...service import Workspace


def load_needs(workspace: Workspace, period: str, filters: StatusFilters, *, today: dt.date | None = None,
               progress: Any = None) -> NeedsReport:
    """Consolidate the period in the scope, then the needs and their cost (``readiness needs``)."""
    from ...department.consolidate import consolidate

    report = progress or (lambda *_args: None)
    report(0, 2, "Tổng hợp số liệu các xã…")
    data = consolidate(workspace, period, filters, today=today)
    report(1, 2, "Tính nhu cầu đầu tư…")
    needs = needs_of(workspace, data)
    report(2, 2, "Xong")
    return needs


def needs_of(workspace: Workspace, consolidation: Consolidation) -> NeedsReport:
    """The needs of a consolidation already made (the report's section), with the workspace's prices."""
    from ...department.needs import investment_needs
    from ...department.prices import load_prices

    return investment_needs(workspace, consolidation, load_prices(workspace.store))


# -- prices -----------------------------------------------------------------------------------------------


def prices(workspace: Workspace) -> PriceList:
    """The unit prices in use: the file's, with the department's over them."""
    from ...department.prices import load_prices

    return load_prices(workspace.store)


def save_price(workspace: Workspace, price_id: str, amount: str | int, basis: str, date: dt.date | None) -> PriceList:
    """Store the department's price (checked first); raises PricesInvalid naming what is wrong."""
    from ...department.prices import set_price

    return set_price(workspace.store, price_id, amount, basis=basis, date=date)


def reset_price(workspace: Workspace, price_id: str) -> PriceList:
    """Back to the file's price."""
    from ...department.prices import reset_prices

    return reset_prices(workspace.store, [price_id])


def parse_amount(text: str) -> int:
    """A typed price in đồng; raises ValueError with a Vietnamese message."""
    from ...department.prices import parse_amount as parse

    return parse(text)


def format_vnd(amount: int | float, *, unit: bool = True) -> str:
    from ...department.prices import format_vnd as fmt

    return fmt(amount, unit=unit)


def groups() -> tuple[tuple[str, str, str], ...]:
    """(group id, Vietnamese title, English title) of the needs, in order."""
    from ...department.needs import GROUPS

    return GROUPS


# -- files ------------------------------------------------------------------------------------------------


@dataclass
class NeedsFiles:
    """What ``readiness needs --xlsx/--pdf/--docx`` writes, for the needs already computed."""

    xlsx: Path | None = None
    pdf: Path | None = None
    docx: Path | None = None
    date: dt.date | None = None
    number: str = ""
    signer: str | None = None
    written: list[Path] = field(default_factory=list)


def write_needs_files(workspace: Workspace, needs: NeedsReport, files: NeedsFiles, progress: Any = None) -> NeedsFiles:
    """Write the workbook and/or the report (Word, PDF); each file atomically."""
    report = progress or (lambda *_args: None)
    total = sum(1 for path in (files.xlsx, files.pdf, files.docx) if path)
    done = 0
    if files.xlsx:
        from ...department.needs_xlsx import write_needs_xlsx

        report(done, total, f"Đang ghi {files.xlsx.name}…")
        files.written.append(write_needs_xlsx(needs, files.xlsx))
        done += 1
    if files.pdf or files.docx:
        from ...department.needs_document import NeedsDocumentOptions, build_needs_document
        from ...document_settings import load_settings
        from ...exchange.letter import write_letter

        report(done, total, "Đang ghi báo cáo…")
        letter = build_needs_document(needs, load_settings(workspace.store), NeedsDocumentOptions(
            date=files.date, number=files.number, signer_name=files.signer))
        files.written += write_letter(letter, docx=files.docx, pdf=files.pdf)
    report(total, total, "Xong")
    return files


def suggested_name(period: str, fmt: str, scope: str = "") -> str:
    """``nhu-cau-dau-tu_2025-11_tinh-quang-ngai.xlsx``."""
    from ...text import slugify

    tail = f"_{slugify(scope)}" if scope else ""
    return f"nhu-cau-dau-tu_{period}{tail}.{fmt}"


__all__ = ["NeedsFiles", "format_vnd", "groups", "load_needs", "needs_of", "parse_amount", "prices", "reset_price",
           "save_price", "suggested_name", "write_needs_files"]
