"""Benchmark: importing 96 and 3,321 demo submissions, against simply reading the same files.

A plain script (not a pytest test): ``python tests/benchmarks/bench_import.py [--counts 96,3321]``.

For each count it writes the demo submissions once (``readiness demo``; cached under the temp
folder, reused while complete), then in the same run:

- *bare read*: python-calamine opens every file, every sheet, and reads every cell (one process;
  the fastest reading library doing nothing else);
- *import*: :func:`readiness.department.importer.import_paths` into a fresh SQLite database (worker
  processes parse and check, this process writes), wall time, files/second, and the peak memory of
  the whole process tree (this process and its children, sampled every 50 ms: the sum of RSS,
  an upper bound, and the sum of PSS).

It prints a table and PASS/FAIL against the bars of issue 8 §4: 3,321 imports in at most 2x the
bare read time; peak memory at most 400 MB; 96 submissions in at most 3 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

PERIOD = "2025-11"
SEED = 2025
BAR_RATIO = 2.0
BAR_PEAK_MB = 400
BAR_96_SECONDS = 3.0


def cached_submissions(count: int, cache: Path, jobs: int | None) -> Path:
    from readiness.department.demo_export import write_demo_submissions

    province = "51" if count <= 96 else "all"
    folder = cache / f"submissions-{count}-{province}-{PERIOD}-seed{SEED}"
    if len(list(folder.glob("*.xlsx"))) == count:
        return folder
    started = time.perf_counter()
    print(f"writing {count} demo submissions into {folder} (once; cached) ...", file=sys.stderr, flush=True)
    write_demo_submissions(folder, count=count, period=PERIOD, seed=SEED, province=None if province == "all" else province,
                           jobs=jobs)
    print(f"  written in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def bare_read(files: list[Path]) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    cells = 0
    started = time.perf_counter()
    for path in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                cells += len(row)
        workbook.close()
    return time.perf_counter() - started, cells


class TreeMemory:
    """Peaks of the memory of this process and all its children, sampled in a thread.

    ``peak_rss``: the sum of resident set sizes (pages shared by forked workers counted in each: an
    upper bound; the bar is checked against it).  ``peak_pss``: the sum of proportional set sizes
    (shared pages divided among the processes sharing them: what the tree really occupies; Linux).
    """

    def __init__(self, interval: float = 0.05):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        rss = pss = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                if sys.platform.startswith("linux"):
                    info = process.memory_full_info()
                    rss += info.rss
                    pss += info.pss
                else:
                    rss += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def run_import(files: list[Path], jobs: int | None) -> dict:
    from readiness.department.importer import import_paths
    from readiness.service import Workspace

    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        url = f"sqlite:///{Path(folder) / 'department.sqlite3'}"
        opened = time.perf_counter()
        workspace = Workspace.open(url)
        open_seconds = time.perf_counter() - opened
        try:
            with TreeMemory() as memory:
                started = time.perf_counter()
                report = import_paths(workspace, files, jobs=jobs)
                seconds = time.perf_counter() - started
        finally:
            workspace.close()
    return {"seconds": seconds, "open": open_seconds, "peak_mb": memory.peak_rss / 1024 / 1024,
            "pss_mb": memory.peak_pss / 1024 / 1024, "counts": dict(report.counts)}


def stage_costs(files: list[Path]) -> dict[str, float]:
    """Milliseconds per file of each stage, in this process, on a sample (where the time goes)."""
    from python_calamine import CalamineWorkbook

    from readiness.checklist.loader import default_library
    from readiness.department.xlsx_guard import inspect_bytes
    from readiness.exchange.reader import read_submission
    from readiness.scoring import score

    library = default_library()
    sample = files[:: max(1, len(files) // 60)][:60]
    read_submission(sample[0], library=library)
    costs = {"bare read": 0.0, "guard": 0.0, "read_submission": 0.0, "score": 0.0}
    for path in sample:
        started = time.perf_counter()
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()
        workbook.close()
        costs["bare read"] += time.perf_counter() - started
        started = time.perf_counter()
        inspect_bytes(path.read_bytes())
        costs["guard"] += time.perf_counter() - started
        started = time.perf_counter()
        submission = read_submission(path, library=library)
        costs["read_submission"] += time.perf_counter() - started
        started = time.perf_counter()
        score(submission.checklist, submission.answers)
        costs["score"] += time.perf_counter() - started
    return {stage: seconds / len(sample) * 1000 for stage, seconds in costs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="96,3321", help="comma-separated numbers of submissions")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "readiness-bench")
    parser.add_argument("--jobs", type=int, default=None, help="import worker processes (default: CPUs)")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.counts.split(",") if c.strip()]

    rows = []
    verdicts = []
    for count in counts:
        folder = cached_submissions(count, args.cache, args.jobs)
        files = sorted(folder.glob("*.xlsx"))
        size_mb = sum(f.stat().st_size for f in files) / 1024 / 1024
        bare_read(files[:5])  # warm the page cache and the library
        bare_seconds, cells = bare_read(files)
        result = run_import(files, args.jobs)
        ratio = result["seconds"] / bare_seconds if bare_seconds else float("inf")
        rows.append((count, size_mb, cells, bare_seconds, result, ratio))
        ok_all = result["counts"].get("imported", 0) == count
        verdicts.append((f"{count}: every file imported", ok_all, f"{result['counts']}"))
        verdicts.append((f"{count}: peak memory <= {BAR_PEAK_MB} MB", result["peak_mb"] <= BAR_PEAK_MB,
                         f"{result['peak_mb']:.0f} MB (sum of RSS; PSS {result['pss_mb']:.0f} MB)"))
        if count == 96:
            verdicts.append((f"96: import <= {BAR_96_SECONDS:g} s", result["seconds"] <= BAR_96_SECONDS,
                             f"{result['seconds']:.2f} s"))
        if count >= 3321:
            verdicts.append((f"{count}: import <= {BAR_RATIO:g}x bare read", ratio <= BAR_RATIO, f"{ratio:.2f}x"))

    print(f"\nImport benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, jobs={args.jobs or os.cpu_count()}")
    header = (f"{'files':>6} {'MB':>6} {'cells':>10} {'bare read s':>11} {'bare f/s':>9} {'import s':>9} "
              f"{'import f/s':>10} {'ratio':>6} {'peak RSS':>8} {'peak PSS':>8} {'db open s':>9}")
    print(header)
    print("-" * len(header))
    for count, size_mb, cells, bare_seconds, result, ratio in rows:
        print(f"{count:>6} {size_mb:>6.1f} {cells:>10,} {bare_seconds:>11.2f} {count / bare_seconds:>9.0f} "
              f"{result['seconds']:>9.2f} {count / result['seconds']:>10.0f} {ratio:>6.2f} {result['peak_mb']:>8.0f} "
              f"{result['pss_mb']:>8.0f} "
              f"{result['open']:>9.2f}")
    if rows:
        files = sorted(cached_submissions(rows[-1][0], args.cache, args.jobs).glob("*.xlsx"))
        costs = stage_costs(files)
        print("\nWhere a file's time goes (ms per file, one process, a sample): "
              + ", ".join(f"{stage} {ms:.1f}" for stage, ms in costs.items()))
        print("  (the import also writes each file in its own transaction in the parent process)")
    print("\nBars (issue 8 §4):")
    for label, ok, detail in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<40} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
