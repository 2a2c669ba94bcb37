"""Benchmark the department side: status, consolidation and the three report formats, for 96 and 3,321 communes.

Run: `.venv/bin/python tests/benchmarks/bench_reports.py [--sizes 96 3321] [--keep DIR] [--workers N]`.

Populates a database per size with finalized demo assessments (answers drawn and scored in worker
processes, written straight through the store in batches; `--keep DIR` keeps the databases and
reuses them on the next run), then times, in a fresh process each (cold: nothing memoised):

- `period_status` without detail (stored scores: what `readiness status` prints),
- `period_status` with detail, cold (answers bulk-loaded and every assessment scored),
- the PDF report cold (nothing in the score cache: consolidation scores everything),
- `warm_cache` (what an import can call once), then the PDF, the Word report and the Excel
  workbook with and without the inventory sheets (every PC, certificate and endpoint), warm.

The bar: the provincial report (PDF, consolidation included) for 3,321 communes in ≤ 20 s, with
the scores cached (the verdict); the cold figure is printed beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "department"))

PERIOD = "2025-11"
TODAY = dt.date(2025, 11, 20)
BAR_SECONDS = 20.0

_MEASURE = r"""
import json, sys, time, datetime as dt
sys.path.insert(0, {desktop!r})
started = time.perf_counter()
from readiness.service import Workspace
from readiness.department.status import StatusFilters, period_status
ws = Workspace.open({url!r})
province = {province!r}
filters = StatusFilters(province=province)
what = {what!r}
out = {{}}
t = time.perf_counter()
if what == "warm":
    from readiness.department.bulk import warm_cache
    out["rows"] = warm_cache(ws, {period!r})
elif what == "status":
    r = period_status(ws, {period!r}, filters)
    out["rows"] = len(r.rows)
elif what == "status_detail":
    r = period_status(ws, {period!r}, filters, detail=True)
    out["rows"] = len(r.rows)
else:
    from readiness.department.consolidate import consolidate, inventories
    from readiness.department.petitions import list_petitions
    from readiness.department.report_content import ReportOptions, build_report
    c = consolidate(ws, {period!r}, filters)
    out["consolidate"] = time.perf_counter() - t
    petitions = list_petitions(ws, period={period!r}, province=province)
    out["petitions"] = len(petitions)
    t2 = time.perf_counter()
    if what in ("pdf", "pdf_cold"):
        from readiness.department.report_pdf import build_pdf
        out["pages"] = build_pdf(build_report(c, petitions, ReportOptions(date=dt.date(2025, 11, 28))), {target!r})
    elif what == "docx":
        from readiness.department.report_docx import write_report_docx
        write_report_docx(build_report(c, petitions, ReportOptions(date=dt.date(2025, 11, 28))), {target!r})
    elif what == "xlsx":
        from readiness.department.report_xlsx import write_report_xlsx
        write_report_xlsx(c, petitions, {target!r}, inventories(ws, c))
    elif what == "xlsx_lean":
        from readiness.department.report_xlsx import write_report_xlsx
        write_report_xlsx(c, petitions, {target!r}, None)
    out["write"] = time.perf_counter() - t2
out["seconds"] = time.perf_counter() - t
out["with_import"] = time.perf_counter() - started
print(json.dumps(out))
"""


def populate(size: int, folder: Path, workers: int) -> tuple[str, str | None]:
    from demo_db import bulk_populate
    from readiness.service import Workspace

    path = folder / f"bench-{size}.sqlite3"
    url = f"sqlite:///{path}"
    province = "51" if size <= 96 else None
    workspace = Workspace.open(url)
    try:
        if workspace.store.assessments(PERIOD):
            print(f"  reusing {path} ({len(workspace.store.assessments(PERIOD))} assessments)")
            return url, province
        communes = workspace.store.communes(None, province)[:size]
        started = time.perf_counter()
        written = bulk_populate(workspace.store, workspace.latest_checklist(), communes, PERIOD, today=TODAY,
                                workers=workers)
        print(f"  populated {written} finalized assessments in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)")
    finally:
        workspace.close()
    return url, province


def _clear_score_cache(url: str) -> None:
    """The score cache is in the database (``readiness cache clear``)."""
    from readiness.department.bulk import clear_cache
    from readiness.store.db import Store

    store = Store.open(url)
    try:
        clear_cache(store)
    finally:
        store.close()


def measure(what: str, url: str, province: str | None, target: str, *, cache: bool = True) -> dict:
    code = _MEASURE.format(desktop=str(ROOT / "desktop"), url=url, province=province, what=what, period=PERIOD,
                           target=target)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "READINESS_SCORE_CACHE": "1" if cache else "0"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[96, 3321])
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the databases in this folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("READINESS_HOME", str(folder))
        print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}")
        verdict = True
        for size in args.sizes:
            print(f"\n== {size} communes ==")
            url, province = populate(size, folder, args.workers)
            _clear_score_cache(url)  # start cold: nothing scored yet
            steps = (("status", None, False), ("status_detail", None, False), ("pdf_cold", ".pdf", False),
                     ("warm", None, True), ("pdf", ".pdf", True), ("docx", ".docx", True),
                     ("xlsx_lean", ".xlsx", True), ("xlsx", ".xlsx", True))
            for what, suffix, cache in steps:
                target = str(folder / f"report-{size}-{what}{suffix or ''}")
                result = measure(what, url, province, target, cache=cache)
                size_text = ""
                if suffix and Path(target).exists():
                    size_text = f", {Path(target).stat().st_size / 1e6:.1f} MB"
                extra = ""
                if "consolidate" in result:
                    extra = f" (consolidation {result['consolidate']:.1f} s + writing {result['write']:.1f} s"
                    extra += f", {result['pages']} pages" if "pages" in result else ""
                    extra += f", {result['petitions']} petitions)"
                label = {"status": "status", "status_detail": "status+detail, cold", "pdf_cold": "pdf, cold",
                         "warm": "warm the cache", "pdf": "pdf", "docx": "docx", "xlsx_lean": "xlsx w/o inventory",
                         "xlsx": "xlsx"}[what]
                print(f"  {label:<20} {result['seconds']:6.2f} s  (process incl. imports {result['with_import']:.2f} s)"
                      f"{extra}{size_text}", flush=True)
                if what in ("pdf", "pdf_cold") and size >= 3321:
                    ok = result["with_import"] <= BAR_SECONDS
                    if what == "pdf":
                        verdict &= ok
                    state = "cold: nothing scored yet" if what == "pdf_cold" else "scores cached (after import / earlier report)"
                    print(f"  -> provincial report (PDF) for {size} communes, {state}: {result['with_import']:.1f} s "
                          f"(bar {BAR_SECONDS:.0f} s): {'PASS' if ok else 'FAIL'}", flush=True)
        print("\nPASS" if verdict else "\nFAIL")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
