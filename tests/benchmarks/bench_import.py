"""Benchmark: importing 96 and 3,321 demo submissions, against simply reading the same files.

A plain script (not a pytest test): ``python tests/benchmarks/bench_import.py [--counts 96,3321] [--repeat 3]``.

For each count it writes the demo submissions once (``readiness demo``; cached under the temp
folder, reused while complete), then in the same run, interleaved (bare, import, bare, import, ...;
``--repeat`` rounds, medians with the spread):

- *bare read*: python-calamine opens every file, every sheet, and reads every cell (one process;
  the fastest reading library doing nothing else), wall time and CPU per file;
- *import*: :func:`readiness.department.importer.import_paths` into a fresh SQLite database (worker
  processes parse and check, this process writes), wall time, CPU per file of the whole process tree
  (``getrusage`` of self and children, after the forkserver that forked the workers and waited for
  them has been stopped and waited for: each import pays its start, as a command does; less the memory
  sampler's own CPU, a thread of this process, shown apart), and the peak memory of the tree (the sum of
  RSS every 50 ms, an upper bound, and the sum of PSS every 0.5 s), with 2 and with 4 workers.

It prints a table and PASS/FAIL against the bars of issue 16: 3,321 imports in at most 2.0x the
bare read time; at most 8 ms CPU per file (whole tree); peak memory at most 400 MB with 2 and with
4 workers; 96 submissions in at most 2 s.  The machine's load average is printed with the numbers:
on a shared machine the wall-time ratios mean little.
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
BAR_96_SECONDS = 2.0
BAR_CPU_MS = 8.0
FILES_FORMAT = "digest"  # files carrying visible_sha256 (written since the digest): a new cache folder


def cached_submissions(count: int, cache: Path, jobs: int | None) -> Path:
    from readiness.department.demo_export import write_demo_submissions

    province = "51" if count <= 96 else "all"
    folder = cache / f"submissions-{count}-{province}-{PERIOD}-seed{SEED}-{FILES_FORMAT}"
    if len(list(folder.glob("*.xlsx"))) == count:
        return folder
    started = time.perf_counter()
    print(f"writing {count} demo submissions into {folder} (once; cached) ...", file=sys.stderr, flush=True)
    write_demo_submissions(folder, count=count, period=PERIOD, seed=SEED, province=None if province == "all" else province,
                           jobs=jobs)
    print(f"  written in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    # the writers were the forkserver's children: end it now, or their CPU reaches RUSAGE_CHILDREN when the first
    # import stops it and is counted as that import's (a first run at 3,321 files printed 136 ms/file)
    _stop_forkserver()
    return folder


def _cpu() -> float:
    """CPU seconds of this process and of its descendants that have ended and been waited for."""
    own, children = _cpu_parts()
    return own + children


def _cpu_parts() -> tuple[float, float]:
    """(this process, its waited-for descendants) in CPU seconds."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _stop_forkserver() -> None:
    """End the forkserver the import's pool started (Linux) and wait for it.

    The import's workers are the forkserver's children, not this process's: their CPU reaches this
    process's ``RUSAGE_CHILDREN`` only when the forkserver, which waited for them, is itself waited
    for.  Stopping it after each import also makes every import pay the forkserver's start (its
    preloaded imports), as a ``readiness import`` command does."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        stop()


def bare_read(files: list[Path]) -> tuple[float, int, float]:
    """(wall seconds, cells, CPU seconds) of reading every cell of every sheet with python-calamine."""
    from python_calamine import CalamineWorkbook

    cells = 0
    cpu = _cpu()
    started = time.perf_counter()
    for path in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                cells += len(row)
        workbook.close()
    return time.perf_counter() - started, cells, _cpu() - cpu


class TreeMemory:
    """Peaks of the memory of this process and all its children, sampled in a thread.

    ``peak_rss``: the sum of resident set sizes (pages shared by forked workers counted in each: an
    upper bound; the bar is checked against it), every ``interval``.  ``peak_pss``: the sum of
    proportional set sizes (shared pages divided among the processes sharing them: what the tree
    really occupies; Linux), every ``pss_every`` samples: reading it (``smaps``) costs ~1 ms of CPU per
    process, where RSS costs ~0.05; the tree's processes are listed again then too (psutil scans every
    process of the machine for that), so a worker started in between is counted from the next listing
    (workers start with the import and live as long).  ``cpu``: the CPU seconds the sampling thread
    itself used (it runs in the importing process: the import's CPU is counted without it).
    """

    def __init__(self, interval: float = 0.05, pss_every: int = 10):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.pss_every = pss_every
        self.peak_rss = 0
        self.peak_pss = 0
        self.cpu = 0.0
        self._samples = 0
        self._tree: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        full = self._samples % self.pss_every == 0  # the tree listed again (a scan of every process), PSS read
        self._samples += 1
        if full:
            self._tree = [self.process, *self.process.children(recursive=True)]
        with_pss = full and sys.platform.startswith("linux")
        rss = pss = 0
        for process in self._tree:
            try:
                if with_pss:
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
            started = time.thread_time()
            self._sample()
            self.cpu += time.thread_time() - started  # this thread's CPU: the samples it took
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
                own, children = _cpu_parts()
                started = time.perf_counter()
                report = import_paths(workspace, files, jobs=jobs)
                seconds = time.perf_counter() - started
                _stop_forkserver()  # the workers were joined when import_paths returned; now their parent
                own_after, children_after = _cpu_parts()
                own, children = own_after - own, children_after - children
                sampler = memory.cpu  # the samples taken in the sampler's thread until now: the benchmark's CPU
        finally:
            workspace.close()
    own -= sampler
    return {"seconds": seconds, "open": open_seconds, "peak_mb": memory.peak_rss / 1024 / 1024,
            "pss_mb": memory.peak_pss / 1024 / 1024, "counts": dict(report.counts), "cpu": own + children,
            "cpu_parent": own, "cpu_workers": children, "cpu_sampler": sampler}


def stage_costs(files: list[Path]) -> dict[str, float]:
    """Milliseconds per file of each stage, in this process, on a sample (where the time goes)."""
    from python_calamine import CalamineWorkbook

    from readiness.checklist.loader import default_library
    from readiness.department.xlsx_guard import inspect_bytes
    from readiness.exchange.reader import read_submission
    from readiness.scoring import score

    library = default_library()
    sample = files[:: max(1, len(files) // 60)][:60]
    read_submission(sample[0], library=library, content=inspect_bytes(sample[0].read_bytes()))
    costs = {"bare read": 0.0, "guard": 0.0, "read_submission": 0.0, "score": 0.0}
    for path in sample:
        started = time.perf_counter()
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()
        workbook.close()
        costs["bare read"] += time.perf_counter() - started
        raw = path.read_bytes()
        started = time.perf_counter()
        checked = inspect_bytes(raw)  # as the import: the guard's checks, and the workbook as they inflated it ...
        costs["guard"] += time.perf_counter() - started
        started = time.perf_counter()
        submission = read_submission(path, library=library, content=checked)  # ... which the reader reads
        costs["read_submission"] += time.perf_counter() - started
        started = time.perf_counter()
        score(submission.checklist, submission.answers, texts="advice")  # as the import scores
        costs["score"] += time.perf_counter() - started
    return {stage: seconds / len(sample) * 1000 for stage, seconds in costs.items()}


def _median(values: list[float]) -> tuple[float, float, float]:
    import statistics

    return statistics.median(values), min(values), max(values)


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    middle, low, high = _median(values)
    return f"{fmt.format(middle)} ({fmt.format(low)}–{fmt.format(high)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="96,3321", help="comma-separated numbers of submissions")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "readiness-bench")
    parser.add_argument("--jobs", default="2,4", help="comma-separated numbers of import worker processes")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (bare read, imports) per count")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.counts.split(",") if c.strip()]
    jobs_list = [int(j) for j in args.jobs.split(",") if j.strip()]

    verdicts = []
    lines = []
    loads = [os.getloadavg()[0]]
    for count in counts:
        folder = cached_submissions(count, args.cache, max(jobs_list))
        files = sorted(folder.glob("*.xlsx"))
        size_mb = sum(f.stat().st_size for f in files) / 1024 / 1024
        bare_read(files[:5])  # warm the page cache and the library
        bare: list[tuple[float, int, float]] = []
        imports: dict[int, list[dict]] = {jobs: [] for jobs in jobs_list}
        for _round in range(args.repeat):
            bare.append(bare_read(files))
            for jobs in jobs_list:
                imports[jobs].append(run_import(files, jobs))
            loads.append(os.getloadavg()[0])
        bare_seconds = [b[0] for b in bare]
        bare_cpu = [b[2] / count * 1000 for b in bare]
        lines.append(f"{count:>6} files, {size_mb:.1f} MB, {bare[0][1]:,} cells: bare read {_spread(bare_seconds)} s, "
                     f"CPU {_spread(bare_cpu)} ms/file")
        for jobs, results in imports.items():
            seconds = [r["seconds"] for r in results]
            ratios = [r["seconds"] / b for r, b in zip(results, bare_seconds, strict=True)]  # each with its own round
            cpu = [r["cpu"] / count * 1000 for r in results]
            cpu_parent = [r["cpu_parent"] / count * 1000 for r in results]
            cpu_workers = [r["cpu_workers"] / count * 1000 for r in results]
            peak = [r["peak_mb"] for r in results]
            pss = [r["pss_mb"] for r in results]
            lines.append(f"{'':>6} import, {jobs} workers: {_spread(seconds)} s = {_spread(ratios)}x the bare read, "
                         f"CPU {_spread(cpu)} ms/file (whole tree; this process {_spread(cpu_parent)}, the forkserver "
                         f"and workers {_spread(cpu_workers)}; the memory sampler, not counted, "
                         f"{_spread([r['cpu_sampler'] / count * 1000 for r in results])}), "
                         f"peak RSS {_spread(peak, '{:.0f}')} MB "
                         f"(PSS {_spread(pss, '{:.0f}')} MB), database opened in {results[0]['open']:.2f} s")
            ok_all = all(r["counts"].get("imported", 0) == count for r in results)
            verdicts.append((f"{count}, {jobs} workers: every file imported", ok_all, f"{results[-1]['counts']}"))
            verdicts.append((f"{count}, {jobs} workers: peak memory <= {BAR_PEAK_MB} MB",
                             max(peak) <= BAR_PEAK_MB, f"{max(peak):.0f} MB (highest; sum of RSS)"))
            verdicts.append((f"{count}, {jobs} workers: CPU <= {BAR_CPU_MS:g} ms/file", _median(cpu)[0] <= BAR_CPU_MS,
                             f"{_spread(cpu)} ms (bare read {_spread(bare_cpu)})"))
            if count <= 96:
                verdicts.append((f"{count}, {jobs} workers: import <= {BAR_96_SECONDS:g} s",
                                 _median(seconds)[0] <= BAR_96_SECONDS, f"{_spread(seconds)} s"))
            if count >= 3321:
                verdicts.append((f"{count}, {jobs} workers: import <= {BAR_RATIO:g}x bare read",
                                 _median(ratios)[0] <= BAR_RATIO, f"{_spread(ratios)}x"))

    print(f"\nImport benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.repeat} interleaved "
          f"rounds; load average (1 min) {min(loads):.1f}–{max(loads):.1f} during the run")
    for line in lines:
        print(line)
    if counts:
        files = sorted(cached_submissions(counts[-1], args.cache, max(jobs_list)).glob("*.xlsx"))
        costs = stage_costs(files)
        print("\nWhere a file's time goes (ms per file, one process, a sample): "
              + ", ".join(f"{stage} {ms:.1f}" for stage, ms in costs.items()))
        print("  (the import also writes the files, several in one transaction, in the parent process)")
    print("\nBars (issue 16):")
    for label, ok, detail in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<44} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
