"""Benchmark the core: load + validate the checklist, save one answer, score, open the store.

Run: `make bench` or `.venv/bin/python tests/benchmarks/bench_core.py [--runs N]`.
Prints medians and maxima in milliseconds.  Each save is a committed SQLite transaction in WAL
mode with synchronous=FULL (an fsync per save), on a file in a temporary folder on this disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:7.2f} ms   max {max(samples) * 1000:7.2f} ms   (n={len(samples)})"


def bench_cold_load(runs: int) -> None:
    """A fresh interpreter importing the loader and loading the real checklist from its warm cache (what the app
    pays at start), interleaved with a bare interpreter (A B A B ...): wall time and CPU per process, and which of
    pydantic / PyYAML it imported (issue 16: none; they validate a file not validated before)."""
    import resource

    program = (
        "import sys, time; t=time.perf_counter();"
        "from readiness.checklist.loader import default_library;"
        "default_library().latest(); print(time.perf_counter()-t);"
        "print(','.join(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    commands = {"load": [sys.executable, "-c", program], "bare": [sys.executable, "-c", "import sys"]}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "READINESS_HOME": home}
        first = subprocess.run(commands["load"], capture_output=True, text=True, check=True, env=env).stdout.split("\n")
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        imported = set()
        for _ in range(runs):
            for name, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout.split("\n")
                wall[name].append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                if name == "load":
                    imported.add(out[1])
    print(f"checklist validated and cached (first start): {float(first[0]) * 1000:.0f} ms in the process")
    print("checklist from its cache, new process:", _ms(wall["load"]), f"CPU {statistics.median(cpu['load']) * 1000:.0f} ms")
    print("bare interpreter (import sys):        ", _ms(wall["bare"]), f"CPU {statistics.median(cpu['bare']) * 1000:.0f} ms")
    print(f"  {statistics.median(wall['load']) / statistics.median(wall['bare']):.2f}x the bare interpreter; "
          f"pydantic/PyYAML imported: {', '.join(sorted(imported)) or 'no'} "
          f"({'PASS' if imported == {''} else 'FAIL'}: a checklist validated before imports neither)")


def bench_warm_load(runs: int) -> list[float]:
    from readiness.checklist.loader import load_checklist
    from readiness.paths import checklists_dir

    path = next(checklists_dir().glob("*/v*.yaml"))
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        load_checklist(path)
        samples.append(time.perf_counter() - start)
    return samples


def bench_saves(runs: int) -> tuple[list[float], list[float], list[float], float]:
    from readiness.service import Workspace

    with tempfile.TemporaryDirectory() as folder:
        os.environ["READINESS_HOME"] = folder
        start = time.perf_counter()
        workspace = Workspace.open(f"sqlite:///{folder}/bench.sqlite3")
        first_open = time.perf_counter() - start
        session = workspace.session("23500", "2025-11")
        scalar_items = [i for i in session.checklist.items() if i.type.value in ("integer", "decimal")]
        target = scalar_items[0]
        saves, rows, scores = [], [], []
        for n in range(runs):
            start = time.perf_counter()
            session.set_answer(target.id, 1 + n % 50)
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            session.result()
            scores.append(time.perf_counter() - start)
        table = next(i for i in session.checklist.items() if i.type.value == "table")
        text_column = next(c for c in table.columns if c.type.value == "text")
        for n in range(min(runs, 100)):
            start = time.perf_counter()
            session.add_row(table.id, {text_column.id: f"Dòng {n}"})
            rows.append(time.perf_counter() - start)
        workspace.close()
    return saves, rows, scores, first_open


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    bench_cold_load(10)
    print("checklist warm load+validate:       ", _ms(bench_warm_load(30)))
    saves, rows, scores, first_open = bench_saves(args.runs)
    print(f"first open of a new database (migrate + register): {first_open * 1000:.0f} ms")
    print("save one answer (commit, fsync):     ", _ms(saves))
    print("add one table row (commit, fsync):   ", _ms(rows))
    print("re-score after a change:             ", _ms(scores))


if __name__ == "__main__":
    main()
