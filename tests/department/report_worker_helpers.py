"""Imported by the report's document worker in tests (``readiness.department.reports.MODULES`` pointed here):
its PDF writer replaced, in that process only, by one that writes slowly through the same atomic write, so a
test can stop the worker while a PDF is half-written."""

from __future__ import annotations

import time
from pathlib import Path

from readiness.department import reports


def _slow_pdf(report, path: Path, *, sees_stop: bool = True) -> None:
    """A PDF written for 120 s; ``sees_stop=False``: the stop's interrupt is ignored (as in a writer stuck in C
    code), so the worker must be terminated (report_worker_stubborn)."""
    from readiness.exchange.pdf_common import write_pdf_atomically

    def build(target: str) -> None:
        with open(target, "wb") as out:
            out.write(b"%PDF-1.4\n")  # begun: the temporary file is there, half-written
            out.flush()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    time.sleep(0.02)
                except KeyboardInterrupt:
                    if sees_stop:
                        raise
            out.write(b"%%EOF\n")

    write_pdf_atomically(path, build)


reports.WRITERS["pdf"] = _slow_pdf
