"""Benchmark the documents: submission workbook, PDF report, blank template, field checklist, read-back.

Run: `.venv/bin/python tests/benchmarks/bench_exchange.py [--runs N]`.
Uses the real checklist and realistic demo answers (an average commune: ~40 PCs, certificates,
endpoints, petitions).  Every write includes what the command does: the temporary file, the
read-back check (submissions) and the rename.  Prints medians and maxima in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:8.1f} ms   max {max(samples) * 1000:8.1f} ms   (n={len(samples)})"


def _time(runs: int, action: Callable[[], object]) -> list[float]:
    action()  # warm: imports, font registration
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["READINESS_HOME"] = folder
        from readiness.demo import demo_answers
        from readiness.exchange import ExportContext, read_submission, write_field_checklist, write_report_pdf
        from readiness.exchange import write_submission, write_template
        from readiness.service import Workspace

        workspace = Workspace.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        session = workspace.session("23500", "2025-11")
        session.today = dt.date(2026, 11, 24)
        demo = demo_answers(session.checklist, session.commune, seed=7, today=session.today, profile="average")
        assert not session.set_answers(demo.answers)
        ctx = ExportContext.from_session(session)
        out = Path(folder)
        rows = {item.id: len(session.answers.rows(item.id)) for item in session.checklist.items()
                if item.type.value == "table"}
        print(f"checklist {session.checklist.key}: {len(session.checklist.items())} items; table rows {rows}")
        results = {
            "export xlsx (write + read-back check)": _time(args.runs, lambda: write_submission(ctx, out / "s.xlsx")),
            "export pdf report": _time(args.runs, lambda: write_report_pdf(ctx, out / "s.pdf")),
            "write blank template": _time(args.runs, lambda: write_template(session.checklist, out / "t.xlsx",
                                                                            commune=session.commune)),
            "print field checklist (pdf)": _time(args.runs, lambda: write_field_checklist(
                session.checklist, out / "f.pdf", commune=session.commune)),
            "read back a submission": _time(args.runs, lambda: read_submission(out / "s.xlsx",
                                                                               checklist=session.checklist)),
        }
        for name, samples in results.items():
            print(f"{name:<40} {_ms(samples)}")
        sizes = {name: (out / name).stat().st_size // 1024 for name in ("s.xlsx", "s.pdf", "t.xlsx", "f.pdf")}
        print("sizes (KB):", sizes)
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
