"""Imported by the report's document worker in a test (``reports.MODULES`` pointed here): a PDF writer that does
not see the stop (as one stuck in C code would not), so the worker must be terminated mid-write."""

from __future__ import annotations

import time
from pathlib import Path

from readiness.department import reports


def _stubborn_pdf(report, path: Path) -> None:
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
                    pass  # the stop is not seen
            out.write(b"%%EOF\n")

    write_pdf_atomically(path, build)


reports.WRITERS["pdf"] = _stubborn_pdf
