"""Benchmark: commands that start at once (issue 16), each interleaved with its baseline (A B A B …).

Run: ``.venv/bin/python tests/benchmarks/bench_cli.py [--runs N]``.

- ``readiness --help`` against ``python -c "import argparse"`` (bar: at most 3×): building the parser must
  import no database layer; each command imports what it uses in its handler;
- one commune exported as a new process, ``readiness --db URL export --commune 23500 --period 2025-11
  --xlsx FILE`` (the workbook sent to the department, written and read back), against ``python -c "import
  sqlalchemy"`` (bar: at most 0.7 s); the workbook and the PDF report together are shown beside it.

The commune's assessment is a complete demo one (tests/department/demo_db.py), on SQLite in a temporary
folder.  The package is compiled first (``compileall``: an environment with PYTHONDONTWRITEBYTECODE would
otherwise compile every module on every run).  Times are wall-clock from spawn to exit, medians with the
10th–90th percentiles, and the CPU time of each process (user + system); the load average is printed
because a shared machine moves every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "desktop", ROOT / "tests", ROOT / "tests" / "department"):
    sys.path.insert(0, str(folder))

HELP_BAR = 3.0
EXPORT_BAR_S = 0.7


def readiness_command() -> list[str]:
    script = Path(sys.executable).with_name("readiness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readiness"]


CPU: dict[str, list[float]] = {}


def timed(command: list[str], env: dict[str, str], name: str = "") -> float:
    """Wall-clock seconds of ``command``; its CPU seconds (user + system) go to CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def spread(values: list[float], unit: float = 1000.0) -> str:
    q = statistics.quantiles(values, n=10) if len(values) >= 2 else [values[0]] * 9
    return f"median {statistics.median(values) * unit:7.0f} ms ({q[0] * unit:.0f}–{q[-1] * unit:.0f})"


def demo_database(home: Path) -> str:
    os.environ["READINESS_HOME"] = str(home)
    from demo_db import populate

    from readiness.service import Workspace

    url = f"sqlite:///{home / 'cli.sqlite3'}"
    workspace = Workspace.open(url)
    try:
        commune = workspace.store.commune("23500")
        populate(workspace, [commune], "2025-11", today=dt.date(2025, 11, 20), finalize=False)
    finally:
        workspace.close()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    readiness = readiness_command()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        url = demo_database(home)
        env = {**os.environ, "READINESS_HOME": str(home), "PYTHONPATH": str(ROOT / "desktop"), "LANG": "C.UTF-8"}
        export = [*readiness, "--db", url, "export", "--commune", "23500", "--period", "2025-11"]
        commands = {
            "argparse": [sys.executable, "-c", "import argparse"],
            "help": [*readiness, "--help"],
            "sqlalchemy": [sys.executable, "-c", "import sqlalchemy"],
            "export": [*export, "--xlsx", str(home / "out.xlsx")],
            "export_both": [*export, "--out-dir", str(home / "both")],
        }
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "desktop" / "readiness")],
                       stdout=subprocess.DEVNULL, check=True)
        for command in commands.values():  # warm the file cache once
            timed(command, env)
        CPU.clear()
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, env, name))
    load = os.getloadavg()
    print(f"Commands as new processes, {args.runs} runs interleaved ({os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}); {' '.join(readiness)}")
    print(f"  python -c 'import argparse'            {spread(times['argparse'])}")
    print(f"  readiness --help                       {spread(times['help'])}")
    ratio = statistics.median(times["help"]) / statistics.median(times["argparse"])
    cpu_ratio = statistics.median(CPU["help"]) / statistics.median(CPU["argparse"])
    print(f"  bar: --help <= {HELP_BAR:.0f}x import argparse: {'PASS' if ratio <= HELP_BAR else 'FAIL'} ({ratio:.2f}x; "
          f"CPU {statistics.median(CPU['help']) * 1000:.0f} ms against {statistics.median(CPU['argparse']) * 1000:.0f} ms, "
          f"{cpu_ratio:.2f}x)")
    print(f"  python -c 'import sqlalchemy'          {spread(times['sqlalchemy'])}")
    print(f"  export one commune (.xlsx, read back)  {spread(times['export'])}")
    print(f"  export one commune (.xlsx + .pdf)      {spread(times['export_both'])}")
    export_median = statistics.median(times["export"])
    print(f"  bar: one commune exported <= {EXPORT_BAR_S} s: {'PASS' if export_median <= EXPORT_BAR_S else 'FAIL'} "
          f"({export_median:.2f} s; {export_median / statistics.median(times['sqlalchemy']):.1f}x import sqlalchemy; "
          f"CPU {statistics.median(CPU['export']):.2f} s against {statistics.median(CPU['sqlalchemy']):.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
