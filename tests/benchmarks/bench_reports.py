"""Benchmark the provincial report as a user runs it (issue 16's row), and the department's steps one by one.

Run: `.venv/bin/python tests/benchmarks/bench_reports.py [--sizes 96 3321] [--keep DIR] [--rounds N] [--no-cold]
[--formats] [--workers N]`.

Populates a database per size with finalized demo assessments (answers drawn and scored in worker
processes, written straight through the store in batches; `--keep DIR` keeps the databases and
reuses them on the next run). Then, `--rounds` times, interleaved (A B A B …), each step in a new process:

- **the report command**, what a user runs: `readiness --db URL report --period 2025-11 --province all
  --pdf F --xlsx F --docx F` (one consolidation, three files; on this 2-core machine the PDF is written by a
  second, spawned process while the command writes the workbook, as on any machine of two CPUs or more; the
  inventory sheets and the investment needs as by default), cold (the score cache emptied first: every commune is scored, in
  worker processes, and the cache is filled) and with the scores cached;
- **the baselines of the same round**: the consolidation alone (``consolidate`` of the same scope, the
  same way: a new process, cold and cached), bare openpyxl writing as many cells as the report's
  workbook holds, sheet by sheet, in write-only mode (no styles: the floor of a workbook written through
  openpyxl's cells), and the same cells as bare SpreadsheetML rows into a zip (the floor of the report's
  rows written as XML directly, as they are now).

For every run: wall time, CPU time of the whole process tree (user + system of the process, the forkserver
and the scoring workers, the PDF's worker, all waited for: exact; multiprocessing's resource tracker, a few
milliseconds, is not), peak memory of the tree (psutil samples every process of the tree every 50 ms: the
command, its PDF worker and resource tracker, the scoring pool and its forkserver; the sum of RSS is judged,
the sum of PSS printed beside it), and the command's own split (``--json``: consolidation, needs, each
format; the PDF's seconds are the worker's own, spent while the workbook is written). The bars (3,321 communes): ≤ 10 s with the
scores cached, ≤ 15 s cold, peak ≤ 400 MB.

`--window` adds, in each round, the window's path with the scores cached: what «Xuất báo cáo tổng hợp» runs on
its worker (``readiness.gui.department.reports.report_job``, the same three files, the PDF by the same second
process), in a new process with Qt loaded offscreen, measured the same way (the PDF's worker in the tree) and
held to the same peak.

`--formats` adds the older per-format steps (status, the PDF, the Word report, the workbook with and
without the inventories, each in its own process; the PDF alone was once held to ≤ 20 s).
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
PDF_BAR_SECONDS = 20.0  # the older bar of the PDF alone (--formats)
BAR_CACHED, BAR_COLD, BAR_MB = 10.0, 15.0, 400.0  # issue 16: the report command, 3,321 communes
BAR_SIZE = 3321

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


def per_format(size: int, url: str, province: str | None, folder: Path) -> None:
    """The older steps, each in its own process (diagnosis: which format costs what)."""
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
        if what in ("pdf", "pdf_cold") and size >= BAR_SIZE:
            ok = result["with_import"] <= PDF_BAR_SECONDS
            state = "cold: nothing scored yet" if what == "pdf_cold" else "scores cached (after import / earlier report)"
            print(f"  -> the PDF alone for {size} communes, {state}: {result['with_import']:.1f} s "
                  f"(older bar {PDF_BAR_SECONDS:.0f} s): {'PASS' if ok else 'FAIL'}", flush=True)


# -- the report command as a user runs it, with its baselines, whole process tree measured ------------------

_RUN_CLI = r"""
import sys
sys.argv = ["readiness", *{argv!r}]
from readiness.__main__ import main
try:
    code = main()
finally:
    {stop}
sys.exit(code)
"""

_RUN_CONSOLIDATE = r"""
import json, sys, time
from readiness.service import Workspace
from readiness.department.consolidate import consolidate
from readiness.department.status import StatusFilters
started = time.perf_counter()
with Workspace.open({url!r}) as ws:
    c = consolidate(ws, {period!r}, StatusFilters(province={province!r}))
try:
    print(json.dumps({{"received": c.received, "seconds": {{"consolidate": time.perf_counter() - started}}}}))
finally:
    {stop}
"""

_RUN_WINDOW = r"""
import datetime as dt, json, os, sys
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from readiness.department.status import StatusFilters
from readiness.department.reports import ReportRequest
from readiness.gui.department.reports import report_job
from readiness.service import Workspace
try:
    with Workspace.open({url!r}) as ws:
        request = ReportRequest(period={period!r}, filters=StatusFilters(province={province!r}), xlsx=Path({xlsx!r}),
                                pdf=Path({pdf!r}), docx=Path({docx!r}), date=dt.date(2025, 11, 28))
        outcome = report_job(ws, request)
    print(json.dumps({{"seconds": outcome.seconds}}))
finally:
    {stop}
"""

_RUN_BARE = r"""
import json, sys, time
from openpyxl import Workbook
shape = {shape!r}  # [(sheet title, rows, columns)]
started = time.perf_counter()
book = Workbook(write_only=True)
for title, rows, columns in shape:
    ws = book.create_sheet(title)
    for r in range(rows):
        # text, integers and scores alternating: the kinds of values the report writes
        ws.append([("Xã Ba Tơ" if c % 3 == 0 else r if c % 3 == 1 else 71.5) for c in range(columns)])
book.save({target!r})
print(json.dumps({{"cells": sum(r * c for _, r, c in shape), "seconds": {{"write": time.perf_counter() - started}}}}))
"""

_RUN_BARE_XML = r"""
import json, sys, time, zipfile
shape = {shape!r}  # [(sheet title, rows, columns)]
started = time.perf_counter()
head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
with zipfile.ZipFile({target!r}, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
    for index, (title, rows, columns) in enumerate(shape, start=1):
        letters = [chr(65 + c % 26) * (1 + c // 26) for c in range(columns)]
        with archive.open(f"xl/worksheets/sheet{{index}}.xml", "w", force_zip64=True) as out:
            out.write(head.encode())
            chunk = []
            for r in range(1, rows + 1):
                cells = "".join(f'<c r="{{letters[c]}}{{r}}" t="inlineStr"><is><t>Xã Ba Tơ</t></is></c>' if c % 3 == 0 else
                                f'<c r="{{letters[c]}}{{r}}" t="n"><v>{{r if c % 3 == 1 else 71.5}}</v></c>' for c in range(columns))
                chunk.append(f'<row r="{{r}}">{{cells}}</row>')
                if len(chunk) >= 256:
                    out.write("".join(chunk).encode())
                    chunk.clear()
            out.write(("".join(chunk) + "</sheetData></worksheet>").encode())
print(json.dumps({{"cells": sum(r * c for _, r, c in shape), "seconds": {{"write": time.perf_counter() - started}}}}))
"""

# The scoring pool's workers are the forkserver's children (Linux): stopping (and so waiting for) the
# forkserver as the program ends brings their CPU time into this process's children's, exactly.
_STOP_FORKSERVER = ("from multiprocessing import forkserver; "
                    "getattr(getattr(forkserver, '_forkserver', None), '_stop', lambda: None)()")


def run_tree(code: str, env: dict[str, str], *, interval: float = 0.05) -> dict:
    """Run ``python -c code`` as a new process; its wall time, the CPU of its whole tree, the tree's peak memory.

    CPU: ``os.wait4`` gives the process's own user + system time plus that of every descendant it
    waited for (the forkserver, which waited for the workers): exact, whatever the load.  Memory: every
    process of the tree sampled every ``interval`` seconds (sum of RSS, and of PSS on Linux)."""
    import threading

    import psutil

    stdout = tempfile.TemporaryFile()
    stderr = tempfile.TemporaryFile()
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=stdout, stderr=stderr, env=env)
    root = psutil.Process(child.pid)
    peak = {"rss": 0, "pss": 0, "processes": 1}
    done = threading.Event()

    def sample() -> None:
        rss = pss = 0
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for process in tree:
            try:
                if sys.platform.startswith("linux"):
                    info = process.memory_full_info()
                    pss += info.pss
                else:
                    info = process.memory_info()
                rss += info.rss
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        peak["rss"] = max(peak["rss"], rss)
        peak["pss"] = max(peak["pss"], pss)
        peak["processes"] = max(peak["processes"], len(tree))

    def watch() -> None:
        while not done.is_set():
            sample()
            done.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    watcher.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    stdout.seek(0)
    stderr.seek(0)
    out, err = stdout.read().decode("utf-8", "replace"), stderr.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}):\n{out}\n{err}")
    lines = [line for line in out.splitlines() if line.strip()]
    data: dict = {}
    for index in range(len(lines)):  # the JSON the program printed (the CLI's is indented over several lines)
        try:
            data = json.loads("\n".join(lines[index:]))
            break
        except json.JSONDecodeError:
            continue
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": peak["rss"] / 2**20,
            "pss_mb": peak["pss"] / 2**20, "processes": peak["processes"], "split": data.get("seconds", {})}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "READINESS_SCORE_CACHE": "1"}


def report_command(url: str, province: str | None, folder: Path, tag: str) -> dict:
    targets = {ext: folder / f"command-{tag}.{ext}" for ext in ("pdf", "xlsx", "docx")}
    argv = ["--db", url, "report", "--period", PERIOD, "--province", province or "all", "--date", "28/11/2025",
            "--pdf", str(targets["pdf"]), "--xlsx", str(targets["xlsx"]), "--docx", str(targets["docx"]), "--json"]
    result = run_tree(_RUN_CLI.format(argv=argv, stop=_STOP_FORKSERVER), _env())
    result["files"] = {ext: path for ext, path in targets.items()}
    return result


def window_report(url: str, province: str | None, folder: Path, tag: str) -> dict:
    """What the window's «Xuất báo cáo tổng hợp» runs on its worker, the same three files, in a new process."""
    targets = {ext: str(folder / f"window-{tag}.{ext}") for ext in ("pdf", "xlsx", "docx")}
    return run_tree(_RUN_WINDOW.format(url=url, period=PERIOD, province=province, stop=_STOP_FORKSERVER, **targets),
                    _env())


def consolidation_alone(url: str, province: str | None) -> dict:
    return run_tree(_RUN_CONSOLIDATE.format(url=url, period=PERIOD, province=province, stop=_STOP_FORKSERVER), _env())


def workbook_shape(path: Path) -> list[tuple[str, int, int]]:
    """(sheet title, rows, widest row) of each sheet of a written workbook, read from its XML (cells counted)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        titles = [sheet.get("name") or "" for sheet in book.iterfind("m:sheets/m:sheet", ns)]
        shape = []
        for index, title in enumerate(titles, start=1):
            xml = archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")
            rows = xml.count("<row ")
            cells = len(re.findall(r"<c [^>]*>", xml)) + xml.count("<c/>")
            shape.append((title, rows, -(-cells // rows) if rows else 0))
    return shape


def bare_workbook(shape: list[tuple[str, int, int]], target: Path) -> dict:
    return run_tree(_RUN_BARE.format(shape=shape, target=str(target)), _env())


def bare_xml(shape: list[tuple[str, int, int]], target: Path) -> dict:
    """The same cells as SpreadsheetML f-strings straight into a zip (deflate level 1, no styles, no workbook
    parts): the floor of the report's streamed rows (readiness.xlsx_cells.StreamedRows)."""
    return run_tree(_RUN_BARE_XML.format(shape=shape, target=str(target)), _env())


def _median(values: list[float]) -> tuple[float, float, float]:
    import statistics

    return statistics.median(values), min(values), max(values)


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    middle, low, high = _median(values)
    return f"{fmt.format(middle)} ({fmt.format(low)}–{fmt.format(high)})"


def the_row(size: int, url: str, province: str | None, folder: Path, rounds: int, cold: bool,
            window: bool = False) -> bool:
    """Issue 16's row, ``rounds`` interleaved rounds; prints the medians and PASS/FAIL; returns the verdict."""
    runs: dict[str, list[dict]] = {}
    shape: list[tuple[str, int, int]] | None = None

    def note(step: str, result: dict) -> None:
        runs.setdefault(step, []).append(result)
        split = ", ".join(f"{k} {v:.2f}" for k, v in result["split"].items())
        print(f"    {step:<28} wall {result['wall']:6.2f} s  CPU {result['cpu']:6.2f} s  peak {result['rss_mb']:4.0f} MB "
              f"RSS / {result['pss_mb']:4.0f} MB PSS, {result['processes']} processes  [{split}]", flush=True)

    for round_number in range(1, rounds + 1):
        print(f"  round {round_number}/{rounds} (load average {os.getloadavg()[0]:.1f})", flush=True)
        if cold:
            _clear_score_cache(url)
            note("consolidation, cold", consolidation_alone(url, province))
            _clear_score_cache(url)
            note("report command, cold", report_command(url, province, folder, f"{size}-cold"))
        else:
            consolidation_alone(url, province)  # the cache filled, once, uncounted
        note("consolidation, cached", consolidation_alone(url, province))
        result = report_command(url, province, folder, f"{size}-cached")
        note("report command, cached", result)
        if window:
            note("window's report, cached", window_report(url, province, folder, f"{size}-cached"))
        if shape is None:
            shape = workbook_shape(result["files"]["xlsx"])
            print(f"    (the report's workbook: {len(shape)} sheets, {sum(r * c for _, r, c in shape):,} cells)")
        note("bare openpyxl, same cells", bare_workbook(shape, folder / f"bare-{size}.xlsx"))
        note("bare XML rows, same cells", bare_xml(shape, folder / f"bare-xml-{size}.zip"))

    print(f"  medians of {rounds} (min–max):")
    for step, results in runs.items():
        print(f"    {step:<28} wall {_spread([r['wall'] for r in results])} s, CPU {_spread([r['cpu'] for r in results])} s, "
              f"peak {_spread([r['rss_mb'] for r in results], '{:.0f}')} MB RSS "
              f"({_spread([r['pss_mb'] for r in results], '{:.0f}')} MB PSS)")
    command = runs["report command, cached"]
    base = runs["consolidation, cached"]
    ratios = [c["wall"] / b["wall"] for c, b in zip(command, base)]
    print(f"    report command / consolidation alone, cached, run by run: {_spread(ratios)}×")
    if cold:
        ratios = [c["wall"] / b["wall"] for c, b in zip(runs["report command, cold"], runs["consolidation, cold"])]
        print(f"    report command / consolidation alone, cold, run by run: {_spread(ratios)}×")
    if size < BAR_SIZE:
        return True
    verdict = True
    checks = [("scores cached", "report command, cached", BAR_CACHED)]
    if cold:
        checks.append(("cold", "report command, cold", BAR_COLD))
    for label, step, bar in checks:
        wall = _median([r["wall"] for r in runs[step]])[0]
        cpu = _median([r["cpu"] for r in runs[step]])[0]
        ok = wall <= bar
        verdict &= ok
        print(f"  -> report pdf + xlsx + docx, {size} communes, {label}: {wall:.1f} s wall, CPU {cpu:.1f} s "
              f"(bar {bar:.0f} s): {'PASS' if ok else 'FAIL'}")
    peak = max(r["rss_mb"] for step in runs if step.startswith("report") for r in runs[step])
    ok = peak <= BAR_MB
    verdict &= ok
    print(f"  -> peak memory of the process tree, worst run: {peak:.0f} MB (sum of RSS; bar {BAR_MB:.0f} MB): "
          f"{'PASS' if ok else 'FAIL'}")
    if window:
        peak = max(r["rss_mb"] for r in runs["window's report, cached"])
        ok = peak <= BAR_MB
        verdict &= ok
        print(f"  -> the window's report path, peak memory of the process tree, worst run: {peak:.0f} MB (bar "
              f"{BAR_MB:.0f} MB): {'PASS' if ok else 'FAIL'}")
    return verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[96, 3321])
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the databases in this folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="processes to populate with")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the report and its baselines")
    parser.add_argument("--no-cold", action="store_true", help="only with the scores cached (cold runs take longest)")
    parser.add_argument("--formats", action="store_true", help="also the older per-format steps, one process each")
    parser.add_argument("--window", action="store_true",
                        help="also the window's report path (what «Xuất báo cáo tổng hợp» runs), scores cached")
    args = parser.parse_args()
    from bench_gui_start import compile_sources

    compile_sources()  # as installed: the measured processes read .pyc files, compile nothing
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("READINESS_HOME", str(folder))
        print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}; load average "
              f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        verdict = True
        for size in args.sizes:
            print(f"\n== {size} communes ==")
            url, province = populate(size, folder, args.workers)
            verdict &= the_row(size, url, province, folder, args.rounds, not args.no_cold, args.window)
            if args.formats:
                per_format(size, url, province, folder)
        print(f"\nload average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        print("PASS" if verdict else "FAIL")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
