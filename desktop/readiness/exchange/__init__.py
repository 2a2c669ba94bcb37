"""Files that leave the app: the submission workbook, the PDF report, the blank template, the field checklist.

Qt-free (an import-linter contract checks it).  The heavy libraries (openpyxl, reportlab) load
only when the function that needs them is called, so ``import readiness.exchange`` stays cheap.

- :func:`write_submission` / :func:`read_submission` — the workbook sent to Sở KHCN and read back
  (``docs/submission-format.md``);
- :func:`write_report_pdf` — the administrative report (Nghị định 30/2020/NĐ-CP layout);
- :func:`write_template` — the fillable blank workbook (read back by :func:`read_submission`);
- :func:`write_field_checklist` — the printable checklist for technicians on site.
"""

from __future__ import annotations

from typing import Any

from .context import ExportContext, Identity
from .errors import CellProblem, ExchangeError

__all__ = [
    "CellProblem", "ExchangeError", "ExportContext", "Identity", "Submission", "read_submission",
    "write_field_checklist", "write_report_pdf", "write_submission", "write_template",
]

_LAZY = {
    "write_submission": ("xlsx", "write_submission"),
    "write_template": ("xlsx", "write_template"),
    "read_submission": ("reader", "read_submission"),
    "Submission": ("reader", "Submission"),
    "Difference": ("reader", "Difference"),
    "write_report_pdf": ("pdf_report", "write_report_pdf"),
    "write_field_checklist": ("pdf_checklist", "write_field_checklist"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(name)
