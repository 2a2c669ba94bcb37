"""Benchmark the investment needs (``readiness needs``) for 96 and 3,321 communes, against the consolidation.

Run: `.venv/bin/python tests/benchmarks/bench_needs.py [--sizes 96 3321] [--keep DIR] [--workers N] [--repeat N]`.

Populates a database per size with finalized demo assessments (like ``bench_reports.py``; ``--keep DIR``
keeps and reuses them), then times, each in a fresh process (nothing memoised):

- cold (no score cache): the consolidation alone (the baseline), then the consolidation and the needs;
- ``warm_cache`` (what an import does), then warm, each the median of ``--repeat`` runs: the
  consolidation alone (the baseline), the needs (consolidation + needs + the text ``readiness needs``
  prints), the needs with the workbook, with the PDF report, with the Word report.

The needs add to the consolidation one query of four answers per commune and the per-commune sums of
the findings the scores already hold.  The bar: ``readiness needs`` with the workbook and the PDF for
3,321 communes in ≤ 20 s (the provincial report's bar), scores cached; the needs' own share is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "department"))

PERIOD = "2025-11"
TODAY = dt.date(2025, 11, 20)
BAR_SECONDS = 20.0

# the same database as the provincial report's benchmark, made and emptied of cached scores the same way
from bench_reports import _clear_score_cache, populate  # noqa: E402

_MEASURE = r"""
import json, sys, time, datetime as dt
sys.path.insert(0, {desktop!r})
started = time.perf_counter()
from readiness.service import Workspace
from readiness.department.status import StatusFilters
ws = Workspace.open({url!r})
filters = StatusFilters(province={province!r})
what = {what!r}
out = {{}}
t = time.perf_counter()
if what == "warm":
    from readiness.department.bulk import warm_cache
    out["rows"] = warm_cache(ws, {period!r})
else:
    from readiness.department.consolidate import consolidate
    c = consolidate(ws, {period!r}, filters)
    out["consolidate"] = time.perf_counter() - t
    if what != "consolidate":
        from readiness.department.needs import format_needs, investment_needs
        from readiness.department.prices import load_prices
        t2 = time.perf_counter()
        needs = investment_needs(ws, c, load_prices(ws.store))
        text = format_needs(needs)
        out["needs"] = time.perf_counter() - t2
        out["total_cost"] = needs.total_cost
        out["pcs_below"] = needs.count("pcs_below")
        t3 = time.perf_counter()
        if what in ("xlsx", "all"):
            from readiness.department.needs_xlsx import write_needs_xlsx
            write_needs_xlsx(needs, {target!r} + ".xlsx")
        if what in ("pdf", "docx", "all"):
            from readiness.document_settings import load_settings
            from readiness.department.needs_document import NeedsDocumentOptions, build_needs_document
            from readiness.exchange.letter import write_letter
            letter = build_needs_document(needs, load_settings(ws.store), NeedsDocumentOptions(date=dt.date(2025, 11, 28)))
            write_letter(letter, pdf={target!r} + ".pdf" if what in ("pdf", "all") else None,
                         docx={target!r} + ".docx" if what == "docx" else None)
        out["write"] = time.perf_counter() - t3
out["seconds"] = time.perf_counter() - t
out["with_import"] = time.perf_counter() - started
import resource
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(what: str, url: str, province: str | None, target: str, *, cache: bool) -> dict:
    code = _MEASURE.format(desktop=str(ROOT / "desktop"), url=url, province=province, what=what, period=PERIOD,
                           target=target)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "READINESS_SCORE_CACHE": "1" if cache else "0"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    """Each number the median of the runs (the machine is shared: one run alone is noise)."""
    keys = [key for key, value in runs[0].items() if isinstance(value, float)]
    result = dict(runs[0])
    for key in keys:
        result[key] = statistics.median(run[key] for run in runs)
    return result


def main() -> int:
    from readiness.department.prices import format_vnd

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[96, 3321])
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the databases in this folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm step (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["READINESS_HOME"] = str(folder)
        print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}; warm steps: median of {args.repeat}")
        verdict = True
        for size in args.sizes:
            print(f"\n== {size} communes ==")
            url, province = populate(size, folder, args.workers)
            _clear_score_cache(url)  # start cold
            # (step, score cache on, runs, label); cold steps run once (every commune is scored: slow, and
            # the needs' own share is timed inside the process)
            steps = (("consolidate", False, 1, "consolidation alone, cold (baseline)"),
                     ("needs", False, 1, "consolidation + needs, cold"),
                     ("warm", True, 1, "warm the score cache"),
                     ("consolidate", True, args.repeat, "consolidation alone (baseline)"),
                     ("needs", True, args.repeat, "readiness needs (text)"),
                     ("xlsx", True, args.repeat, "needs + workbook"),
                     ("pdf", True, args.repeat, "needs + PDF report"),
                     ("docx", True, args.repeat, "needs + Word report"),
                     ("all", True, args.repeat, "needs + workbook + PDF"))
            baseline: dict[bool, dict] = {}
            for what, cache, runs, label in steps:
                target = str(folder / f"needs-{size}-{what}")
                result = median_of([measure(what, url, province, target, cache=cache) for _ in range(runs)])
                extra = ""
                if "consolidate" in result:
                    extra = f" (consolidation {result['consolidate']:.2f} s"
                    if "needs" in result:
                        extra += f" + needs {result['needs']:.2f} s + writing {result['write']:.2f} s; "
                        extra += f"{result['pcs_below']} PCs below the minimum, {format_vnd(result['total_cost'])}"
                    extra += ")"
                if what == "consolidate":
                    baseline[cache] = result
                elif "needs" in result and cache in baseline:
                    share = result["needs"] / baseline[cache]["consolidate"] * 100
                    extra += f"  [needs {share:.0f} % of the baseline's consolidation]"
                print(f"  {label:<38} {result['seconds']:6.2f} s  (process incl. imports {result['with_import']:.2f} s, "
                      f"peak {result['max_rss_mb']:.0f} MB){extra}", flush=True)
                if what == "all" and size >= 3321:
                    ok = result["with_import"] <= BAR_SECONDS
                    verdict &= ok
                    print(f"  -> needs with workbook and PDF for {size} communes, scores cached: "
                          f"{result['with_import']:.1f} s (bar {BAR_SECONDS:.0f} s; baseline consolidation "
                          f"{baseline[True]['with_import']:.1f} s): {'PASS' if ok else 'FAIL'}", flush=True)
        print("\nPASS" if verdict else "\nFAIL")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
