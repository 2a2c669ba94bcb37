"""Benchmark the score cache shared through the database: the national view of 3,321 communes cold, warm from
the same URL, and warm from another URL of the same database (another computer of the team).

Run: `.venv/bin/python tests/benchmarks/bench_score_cache.py [--size 3321] [--rounds 3] [--keep DIR]
[--baseline TREE] [--pg URL]`.

``--baseline TREE``: a checkout of the code to compare with (e.g. ``git archive <commit> desktop checklists
resources tests/department | tar -x -C TREE``), measured in the same run, interleaved round by round with this
tree (A B A B …), each on its own copy of the same database.  Each step runs in a fresh process (nothing
memoised); a round is:

- clear the score cache (the old cache files in the user data folder; ``readiness cache clear``),
- the national view cold: ``consolidate`` of every commune of the period (what the dashboard's national
  view and the provincial report compute first: answers loaded, every assessment scored),
- the same again, warm, from the same URL,
- the same again from another URL of the same database: SQLite through a symlinked folder (a mapped drive,
  another spelling of the path); PostgreSQL (``--pg``) by ``localhost`` instead of ``127.0.0.1`` (or back).

The database: ``--size`` finalized demo assessments written by the baseline's code (its schema is the older
one; this tree migrates its copy when it first opens it).  ``--pg URL``: a PostgreSQL server where the
user may create databases (``…/readiness_test``): one database per tree, copied from the first
(``CREATE DATABASE … TEMPLATE``).

Numbers: the consolidation's own seconds (in the process, after opening the workspace), the whole
process's wall time, and CPU seconds of the process and its worker processes (psutil over the process
tree, sampled every 0.1 s: a worker's last tenth of a second may be missed).  The bar (issue 16): one
cache in the database, shared by every computer of the team: from another URL the national view is as
warm as from the same URL (≤ 1.5× its median) and at most half the cold time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PERIOD = "2025-11"
TODAY = dt.date(2025, 11, 20)
SAME_URL_FACTOR = 1.5
COLD_FACTOR = 0.5

_POPULATE = r"""
import sys, time, datetime as dt
sys.path.insert(0, {tests!r})
from demo_db import bulk_populate
from readiness.service import Workspace
ws = Workspace.open({url!r})
communes = ws.store.communes(None, None)[:{size}]
started = time.perf_counter()
written = bulk_populate(ws.store, ws.latest_checklist(), communes, {period!r}, today=dt.date.fromisoformat({today!r}),
                        workers={workers})
print(written, round(time.perf_counter() - started, 1))
ws.close()
"""

_MEASURE = r"""
import json, threading, time
started = time.perf_counter()
import psutil
me = psutil.Process()
seen = {{}}  # pid -> CPU seconds last seen: the worker processes (children of a fork server) included

def sample():
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
            seen[process.pid] = times.user + times.system
        except psutil.Error:
            pass

stop = threading.Event()

def watch():
    while not stop.wait(0.1):
        sample()

threading.Thread(target=watch, daemon=True).start()
from readiness.service import Workspace
from readiness.department.consolidate import consolidate
from readiness.department.status import StatusFilters
ws = Workspace.open({url!r})
t = time.perf_counter()
c = consolidate(ws, {period!r}, StatusFilters(province=None))
seconds = time.perf_counter() - t
stop.set()
sample()
print(json.dumps({{"seconds": seconds, "process": time.perf_counter() - started, "received": c.status.received,
                  "cpu": sum(seen.values())}}))
"""


def _run(tree: Path, code: str, home: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree / "desktop"), "READINESS_HOME": str(home),
           "READINESS_SCORE_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tree)
    if out.returncode != 0:
        raise SystemExit(f"failed in {tree}:\n{out.stderr[-4000:]}")
    return out.stdout.strip().splitlines()[-1]


def _clear(tree: Path, home: Path, url: str) -> None:
    """Start cold: the old cache files, and the cache in the database where the code has one."""
    for path in (home / "cache").glob("scores-*.sqlite3") if (home / "cache").exists() else ():
        path.unlink()
    env = {**os.environ, "PYTHONPATH": str(tree / "desktop"), "READINESS_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "readiness", "--db", url, "cache", "clear"], capture_output=True,
                         text=True, env=env, cwd=tree)
    if out.returncode not in (0, 2):  # 2: an older program without ``cache clear`` (its cache was the files)
        raise SystemExit(f"cache clear failed in {tree}:\n{out.stderr[-4000:]}")


def _sqlite_urls(folder: Path, label: str, master: Path) -> tuple[str, str]:
    path = folder / f"db-{label}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(master, path)
    link = folder / f"via-{label}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(folder, target_is_directory=True)
    return f"sqlite:///{path}", f"sqlite:///{link / path.name}"


def _pg_admin(url: str, statements: list[str]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _pg_urls(base: str, database: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    url = make_url(base).set(database=database)
    other = "localhost" if url.host in ("127.0.0.1", None) else "127.0.0.1"
    return (url.render_as_string(hide_password=False),
            url.set(host=other).render_as_string(hide_password=False))


def _summary(runs: list[dict], key: str) -> str:
    values = [run[key] for run in runs]
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3321)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the populated database here")
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of the code before, measured too")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (a database of a server where we may create more)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    trees = {"after": ROOT} if args.baseline is None else {"before": args.baseline.resolve(), "after": ROOT}
    first = next(iter(trees.values()))
    print(f"CPU cores: {os.cpu_count()}; Python {sys.version.split()[0]}; load average {Path('/proc/loadavg').read_text().split()[:3]}")
    with tempfile.TemporaryDirectory() as temp:
        folder = (args.keep or Path(temp)).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        urls: dict[str, tuple[str, str]] = {}
        if args.pg:
            master_db = f"bench_score_cache_{args.size}"
            master_url, _ = _pg_urls(args.pg, master_db)
            from sqlalchemy.engine import make_url

            exists = False
            try:
                _pg_admin(master_url, ["SELECT 1 FROM assessments LIMIT 1"])
                exists = args.keep is not None
            except Exception:  # noqa: BLE001 - not there yet
                pass
            if not exists:
                _pg_admin(args.pg, [f"DROP DATABASE IF EXISTS {master_db}", f"CREATE DATABASE {master_db}"])
                print(_populate(first, master_url, folder, args))
            for label in trees:
                name = f"{master_db}_{label}"
                _pg_admin(args.pg, [f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE {master_db}"])
                urls[label] = _pg_urls(args.pg, name)
            del make_url
        else:
            master = folder / f"master-{args.size}.sqlite3"
            if not master.exists():
                print(_populate(first, f"sqlite:///{master}", folder, args))
            for label in trees:
                urls[label] = _sqlite_urls(folder, label, master)
        print("database:", {label: urls[label][0].split("@")[-1] for label in trees}, "other URL:",
              {label: urls[label][1].split("@")[-1] for label in trees})
        results: dict[str, dict[str, list[dict]]] = {label: {"cold": [], "same": [], "other": []} for label in trees}
        for round_ in range(args.rounds):
            for label, tree in trees.items():
                home = folder / f"home-{label}"
                home.mkdir(exist_ok=True)
                url, other = urls[label]
                _clear(tree, home, url)
                for step, step_url in (("cold", url), ("same", url), ("other", other)):
                    result = json.loads(_run(tree, _MEASURE.format(url=step_url, period=PERIOD), home))
                    results[label][step].append(result)
                    print(f"  round {round_ + 1} {label:<6} {step:<5} national view {result['seconds']:6.2f} s, "
                          f"process {result['process']:6.2f} s, CPU {result['cpu']:6.2f} s, "
                          f"{result['received']} received", flush=True)
        print(f"\nload average now {Path('/proc/loadavg').read_text().split()[:3]}")
        print(f"national view of {args.size} communes, median (min–max) of {args.rounds} rounds:")
        for label in trees:
            for step, words in (("cold", "cold"), ("same", "warm, same URL"), ("other", "warm, another URL")):
                runs = results[label][step]
                print(f"  {label:<6} {words:<18} {_summary(runs, 'seconds')}; process {_summary(runs, 'process')}; "
                      f"CPU {_summary(runs, 'cpu')}")
        after = {step: statistics.median(r["seconds"] for r in runs) for step, runs in results["after"].items()}
        ratio = after["other"] / after["same"]
        share = after["other"] / after["cold"]
        ok = ratio <= SAME_URL_FACTOR and share <= COLD_FACTOR
        if "before" in results:
            before = statistics.median(r["seconds"] for r in results["before"]["other"])
            print(f"  another URL: before {before:.2f} s, after {after['other']:.2f} s ({before / after['other']:.1f}× faster)")
        print(f"  -> another URL / same URL {ratio:.2f} (bar ≤ {SAME_URL_FACTOR}), another URL / cold {share:.2f} "
              f"(bar ≤ {COLD_FACTOR}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def _populate(tree: Path, url: str, folder: Path, args: argparse.Namespace) -> str:
    home = folder / "home-populate"
    home.mkdir(exist_ok=True)
    started = time.perf_counter()
    written = _run(tree, _POPULATE.format(tests=str(tree / "tests" / "department"), url=url, size=args.size,
                                          period=PERIOD, today=TODAY.isoformat(), workers=args.workers), home)
    return f"populated with {tree}: {written} (assessments, seconds); {time.perf_counter() - started:.0f} s in all"


if __name__ == "__main__":
    sys.exit(main())
