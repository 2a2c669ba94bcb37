"""Benchmark: the department team's PostgreSQL set-up over a slow network (issue 16's PostgreSQL rows).

Run: ``.venv/bin/python tests/benchmarks/bench_pg.py [--pg-url URL] [--delays 0,20,50] [--saves 30]
[--files 96] [--repeat 3]`` with a local PostgreSQL server (``READINESS_TEST_PG_URL`` by default: each run
makes and drops databases of its own on that server).

A delaying TCP proxy (``delay_proxy.py``, a process of its own) sits on 127.0.0.1 in front of the
server and adds half of the round-trip delay to every chunk each way; it counts round trips (a burst
from the client answered by a burst from the server).  SQLAlchemy's events count, on the same engine,
where they come from: statements, transactions begun (psycopg sends a ``BEGIN`` before a
transaction's first statement: a round trip of its own), commits and rollbacks.

1. *Saving one answer the way the commune window does it*: ``AssessmentOps.save`` (the window's
   operations layer: check, store, the change announced; timed), then ``result()`` (the re-score the
   window's handlers read to repaint badges, progress and score: CPU, no database; timed apart), on a
   number item, the value changing each time; and, with ``--window``, Enter pressed in the number box of the real window (offscreen) until
   its handler returns.  Every one runs on the UI thread: its round trips are the UI thread's.
   Direct to the server and through the proxy at each delay, interleaved (direct, 0, 20, 50, direct, ...):
   the proxy's own cost is the difference between direct and 0 ms.  A cell of a table (a PC's CPU cores:
   ``AssessmentOps.set_cell``, what the table editor calls at every cell) is saved the same way beside it.
   Bar: at most 2 round trips on the UI thread, at most 50 ms at 20 ms of delay (the cell: the same bars).
2. *Importing 96 demo submissions* (:func:`readiness.department.importer.import_paths`, what
   ``readiness import`` runs, 2 worker processes) into a new, migrated database, through the proxy at
   0 ms and at 20 ms, interleaved, ``--repeat`` rounds.  Bar: the 20 ms import at most 3x the 0 ms one.
   Beside it, *one file imported alone* (``readiness import FILE``: checked in this process, one
   transaction), into a new database and then again (a duplicate), at the same delays: its round trips
   (the proxy's count, the whole ``import_paths``) and time.  No bar: shown so the round trips a single
   file costs stay in sight.

Prints medians with the spread, the machine's load average, and PASS/FAIL against each bar.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from delay_proxy import ProxyProcess  # noqa: E402

BAR_SAVE_TRIPS = 2
BAR_SAVE_MS_AT_20 = 50.0
BAR_IMPORT_RATIO = 3.0
ITEM = "officers"  # a number item of the «Thông tin chung» section (what bench_gui_save.py types into)
TABLE, COLUMN = "pcs", "cores"  # a number cell of the PC inventory (what the table editor saves at every cell)


# -- databases -------------------------------------------------------------------------------------------------


@contextmanager
def fresh_database(server_url: str):
    """A new database on the server, migrated (directly, not through the proxy); dropped at the end."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from readiness.store.db import Store

    base = make_url(server_url)
    name = f"readiness_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        Store.open(url).close()  # schema and register, directly
        yield url
    finally:
        for attempt in range(20):
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except Exception:  # noqa: BLE001 - an autovacuum worker still on it: wait
                time.sleep(0.5)
        admin.dispose()


class Statements:
    """SQLAlchemy's count of what an engine sends: statements (by their first word), begins, commits, rollbacks."""

    def __init__(self, engine: Any):
        from sqlalchemy import event

        self.counts: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", lambda _c: self.counts.update(["BEGIN"]))
        event.listen(engine, "commit", lambda _c: self.counts.update(["COMMIT"]))
        event.listen(engine, "rollback", lambda _c: self.counts.update(["ROLLBACK"]))

    def _statement(self, _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, executemany: bool) -> None:
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        self.counts[f"{word}{' (executemany)' if executemany else ''}"] += 1

    def take(self) -> Counter[str]:
        taken, self.counts = self.counts, Counter()
        return taken


def _spread(values: list[float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def _saves_line(label: str, entry: dict[str, Any], key: str, n: int, per: str) -> str:
    """One printed line of the saves of ``entry`` under ``key`` (times in ms, round trips, statements per save)."""
    ms = [t * 1000 for t in entry[f"{key}_times"]]
    trips = [t for t in entry[f"{key}_trips"] if t is not None]
    line = f"  {'':>7}  {label}: {_spread(ms)} ms"
    if trips:
        line += f", round trips {_spread(trips, '{:g}')}"
    return line + f"; {per}: {_describe(entry[f'{key}_statements'], n)}"


def _describe(counts: Counter[str], per: int) -> str:
    return ", ".join(f"{key} {value / per:g}" for key, value in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


# -- 1. saving one answer ----------------------------------------------------------------------------------------


def bench_save(server_url: str, proxy: ProxyProcess, delays: list[float], saves: int, rounds: int,
               window: bool) -> dict[str, dict[str, Any]]:
    """{configuration: {times, trips, statements}}; configurations ``direct`` and ``D ms`` (round trip)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from readiness.gui.operations.assessment import AssessmentOps
    from readiness.service import Workspace

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QCoreApplication)
    results: dict[str, dict[str, Any]] = {}
    with fresh_database(server_url) as url:
        direct = Workspace.open(url)
        proxied = Workspace.open(proxy.url(url))
        counters = {"direct": Statements(direct.store.engine), "proxy": Statements(proxied.store.engine)}
        ops = {"direct": AssessmentOps(direct.session("23500", "2025-11")),
               "proxy": AssessmentOps(proxied.session("23500", "2025-11"))}
        proxy.set_delay(0)
        row_ids = {key: target.add_row(TABLE, {"role": "Quầy số 1"}).row.id for key, target in ops.items()}
        windows: dict[str, Any] = {}
        if window:
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            from readiness.gui.main_window import MainWindow

            for key, workspace in (("direct", direct), ("proxy", proxied)):
                proxy.set_delay(0)
                opened = MainWindow(workspace, auto_open=False)
                opened.resize(1366, 740)
                opened.show()
                opened.open_assessment("21034", "2025-11")
                app.processEvents()
                windows[key] = opened
        configurations = ["direct", *[f"{d:g} ms" for d in delays]]
        value = 20
        for _round in range(rounds):
            for name in configurations:
                key = "direct" if name == "direct" else "proxy"
                if key == "proxy":
                    proxy.set_delay(float(name.split()[0]) / 2)
                target = ops[key]
                entry = results.setdefault(name, {"times": [], "rescore": [], "trips": [], "statements": Counter(), "n": 0,
                                                  "window_times": [], "window_trips": [],
                                                  "window_statements": Counter(), "window_n": 0,
                                                  "cell_times": [], "cell_trips": [], "cell_statements": Counter()})
                for _ in range(6):  # warm: connection pooled, statements prepared (psycopg: at their 5th run)
                    value = value % 450 + 1  # the item takes 1 to 500 people: wrap, always a new value
                    target.save(ITEM, value)
                    target.result()
                counters[key].take()
                for _ in range(saves):
                    value = value % 450 + 1  # the item takes 1 to 500 people: wrap, always a new value
                    proxy.reset()
                    started = time.perf_counter()
                    problem = target.save(ITEM, value)
                    saved = time.perf_counter()
                    target.result()
                    entry["times"].append(saved - started)
                    entry["rescore"].append(time.perf_counter() - saved)
                    assert problem is None, problem
                    entry["trips"].append(proxy.stats()["round_trips"] if key == "proxy" else None)
                entry["statements"] += counters[key].take()
                entry["n"] += saves
                for cores in range(1, saves + 1):  # one cell of the PC inventory
                    proxy.reset()
                    started = time.perf_counter()
                    problem = target.set_cell(TABLE, row_ids[key], COLUMN, 1 + (value + cores) % 64)
                    entry["cell_times"].append(time.perf_counter() - started)
                    assert problem is None, problem
                    entry["cell_trips"].append(proxy.stats()["round_trips"] if key == "proxy" else None)
                entry["cell_statements"] += counters[key].take()
                if window:
                    number = windows[key].form("general").items[ITEM].editor.edit
                    for _ in range(min(saves, 10)):
                        value = value % 450 + 1  # the item takes 1 to 500 people: wrap, always a new value
                        number.setText(str(value))
                        proxy.reset()
                        started = time.perf_counter()
                        QTest.keyClick(number, Qt.Key.Key_Return)
                        entry["window_times"].append(time.perf_counter() - started)
                        entry["window_trips"].append(proxy.stats()["round_trips"] if key == "proxy" else None)
                    entry["window_statements"] += counters[key].take()
                    entry["window_n"] += min(saves, 10)
                    assert windows[key].ops.session.answers.values[ITEM] == value
        for opened in windows.values():
            opened.close()
        app.processEvents()
        # The answer is in the database once save returns: read back through a connection of its own.
        check = Workspace.open(url)
        try:
            stored = check.session("23500", "2025-11").answers.values[ITEM]
        finally:
            check.close()
        results["_stored_ok"] = {"ok": stored == ops["direct"].session.answers.values[ITEM]
                                 or stored == ops["proxy"].session.answers.values[ITEM]}
        direct.close()
        proxied.close()
    return results


# -- 2. importing 96 files --------------------------------------------------------------------------------------


def bench_import(server_url: str, proxy: ProxyProcess, files: list[Path], delays: list[float], rounds: int,
                 jobs: int) -> dict[float, list[dict[str, Any]]]:
    from readiness.department.importer import import_paths
    from readiness.service import Workspace

    runs: dict[float, list[dict[str, Any]]] = {d: [] for d in delays}
    for _round in range(rounds):
        for delay in delays:
            with fresh_database(server_url) as url:
                proxy.set_delay(delay / 2)
                opened = time.perf_counter()
                workspace = Workspace.open(proxy.url(url))
                open_seconds = time.perf_counter() - opened
                counter = Statements(workspace.store.engine)
                try:
                    proxy.reset()
                    started = time.perf_counter()
                    report = import_paths(workspace, files, jobs=jobs)
                    seconds = time.perf_counter() - started
                    trips = proxy.stats()["round_trips"]
                finally:
                    workspace.close()
            runs[delay].append({"seconds": seconds, "open": open_seconds, "trips": trips,
                                "statements": counter.take(), "counts": dict(report.counts)})
    return runs


def bench_one_file(server_url: str, proxy: ProxyProcess, path: Path, delays: list[float], rounds: int
                   ) -> dict[tuple[str, float], list[tuple[float, int]]]:
    """{(new / again, delay): [(seconds, round trips)]}: ``path`` imported alone into a new database, then again."""
    from readiness.department.importer import import_paths
    from readiness.service import Workspace

    runs: dict[tuple[str, float], list[tuple[float, int]]] = {}
    for _round in range(rounds):
        for delay in delays:
            with fresh_database(server_url) as url:
                proxy.set_delay(delay / 2)
                workspace = Workspace.open(proxy.url(url))
                try:
                    for label in ("new", "again"):
                        proxy.reset()
                        started = time.perf_counter()
                        report = import_paths(workspace, [path], jobs=0)
                        seconds = time.perf_counter() - started
                        assert report.results[0].status == ("imported" if label == "new" else "duplicate"), report.results
                        runs.setdefault((label, delay), []).append((seconds, proxy.stats()["round_trips"]))
                finally:
                    workspace.close()
    return runs


# -- main ----------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("READINESS_TEST_PG_URL"),
                        help="a PostgreSQL server URL whose user may create databases (default: READINESS_TEST_PG_URL)")
    parser.add_argument("--delays", default="0,20,50", help="round-trip delays in ms for the save")
    parser.add_argument("--saves", type=int, default=30, help="saves per configuration and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the save")
    parser.add_argument("--window", action="store_true", help="also Enter in the real window (offscreen)")
    parser.add_argument("--files", type=int, default=96, help="demo submissions to import (0: no import)")
    parser.add_argument("--import-delays", default="0,20", help="round-trip delays in ms for the import")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds of the import")
    parser.add_argument("--jobs", type=int, default=2, help="import worker processes")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "readiness-bench")
    args = parser.parse_args(argv)
    if not args.pg_url:
        parser.error("no PostgreSQL server: --pg-url or READINESS_TEST_PG_URL")
    from sqlalchemy.engine import make_url

    server = make_url(args.pg_url)
    os.environ["READINESS_HOME"] = tempfile.mkdtemp(prefix="bench-pg-home-")
    delays = [float(d) for d in args.delays.split(",") if d.strip()]
    import_delays = [float(d) for d in args.import_delays.split(",") if d.strip()]
    loads = [os.getloadavg()[0]]
    verdicts: list[tuple[str, bool, str]] = []
    lines: list[str] = []
    with ProxyProcess((server.host or "127.0.0.1", server.port or 5432)) as proxy:
        if args.saves:
            results = bench_save(args.pg_url, proxy, delays, args.saves, args.rounds, args.window)
            loads.append(os.getloadavg()[0])
            lines.append(f"Saving one answer (AssessmentOps.save, then result(); {args.rounds} rounds x {args.saves}; "
                         "round trips and statements of both):")
            for name, entry in results.items():
                if name.startswith("_"):
                    continue
                ms = [t * 1000 for t in entry["times"]]
                trips = [t for t in entry["trips"] if t is not None]
                rescore = [t * 1000 for t in entry["rescore"]]
                line = f"  {name:>7}: save {_spread(ms)} ms (then re-score {_spread(rescore)} ms)"
                if trips:
                    line += f", round trips {_spread(trips, '{:g}')}"
                line += f"; per save: {_describe(entry['statements'], entry['n'])}"
                lines.append(line)
                lines.append(_saves_line("a table cell (set_cell)", entry, "cell", entry["n"], "per cell"))
                if entry["window_n"]:
                    lines.append(_saves_line("window, number + Enter", entry, "window", entry["window_n"], "per save"))
            direct_ms = statistics.median(results["direct"]["times"]) * 1000
            if "0 ms" in results:
                zero_ms = statistics.median(results["0 ms"]["times"]) * 1000
                lines.append(f"  the proxy's own cost at 0 ms: {zero_ms - direct_ms:+.1f} ms per save "
                             f"({zero_ms:.1f} against {direct_ms:.1f} direct)")
            for name, entry in results.items():
                if name.startswith("_") or name == "direct":
                    continue
                trips = [t for t in entry["trips"] if t is not None]
                verdicts.append((f"save, {name}: <= {BAR_SAVE_TRIPS} round trips on the UI thread",
                                 max(trips) <= BAR_SAVE_TRIPS, f"median {statistics.median(trips):g}, max {max(trips)}"))
                ctrips = [t for t in entry["cell_trips"] if t is not None]
                verdicts.append((f"table cell, {name}: <= {BAR_SAVE_TRIPS} round trips on the UI thread",
                                 max(ctrips) <= BAR_SAVE_TRIPS, f"median {statistics.median(ctrips):g}, max {max(ctrips)}"))
                wtrips = [t for t in entry["window_trips"] if t is not None]
                if wtrips:
                    verdicts.append((f"save in the window, {name}: <= {BAR_SAVE_TRIPS} round trips",
                                     max(wtrips) <= BAR_SAVE_TRIPS,
                                     f"median {statistics.median(wtrips):g}, max {max(wtrips)}"))
            if "20 ms" in results:
                ms = statistics.median(results["20 ms"]["times"]) * 1000
                verdicts.append((f"save, 20 ms: <= {BAR_SAVE_MS_AT_20:g} ms", ms <= BAR_SAVE_MS_AT_20, f"median {ms:.1f} ms"))
                ms = statistics.median(results["20 ms"]["cell_times"]) * 1000
                verdicts.append((f"table cell, 20 ms: <= {BAR_SAVE_MS_AT_20:g} ms", ms <= BAR_SAVE_MS_AT_20,
                                 f"median {ms:.1f} ms"))
            verdicts.append(("save: the answer is in the database when save returns", results["_stored_ok"]["ok"], ""))
        if args.files:
            from bench_import import cached_submissions

            folder = cached_submissions(args.files, args.cache, args.jobs)
            files = sorted(folder.glob("*.xlsx"))[: args.files]
            runs = bench_import(args.pg_url, proxy, files, import_delays, args.repeat, args.jobs)
            loads.append(os.getloadavg()[0])
            lines.append(f"Importing {len(files)} demo submissions ({args.jobs} workers, {args.repeat} interleaved rounds):")
            for delay, results_of in runs.items():
                seconds = [r["seconds"] for r in results_of]
                trips = [r["trips"] / len(files) for r in results_of]
                lines.append(f"  {delay:>4g} ms: {_spread(seconds, '{:.2f}')} s, round trips per file {_spread(trips)}, "
                             f"database opened in {results_of[0]['open']:.2f} s; per file: "
                             f"{_describe(results_of[-1]['statements'], len(files))}; {results_of[-1]['counts']}")
                verdicts.append((f"import, {delay:g} ms: every file imported",
                                 all(r["counts"].get("imported", 0) == len(files) for r in results_of),
                                 str(results_of[-1]["counts"])))
            base = min(import_delays)
            for delay in import_delays:
                if delay == base:
                    continue
                ratios = [slow["seconds"] / fast["seconds"] for slow, fast in zip(runs[delay], runs[base], strict=True)]
                lines.append(f"  {delay:g} ms against {base:g} ms, round by round: {_spread(ratios, '{:.2f}')}x")
                added = [slow["seconds"] - fast["seconds"] for slow, fast in zip(runs[delay], runs[base], strict=True)]
                trips = statistics.median([r["trips"] for r in runs[delay]])
                lines.append(f"  time added by the delay: {_spread(added, '{:.2f}')} s; its round trips alone account for "
                             f"{trips * delay / 1000:.2f} s ({trips:g} x {delay:g} ms): on a quiet machine, where the 0 ms "
                             "import is shorter, the ratio is about (T0 + that) / T0")
                verdicts.append((f"import, {delay:g} ms: <= {BAR_IMPORT_RATIO:g}x its time at {base:g} ms",
                                 statistics.median(ratios) <= BAR_IMPORT_RATIO, f"{_spread(ratios, '{:.2f}')}x"))
            one = bench_one_file(args.pg_url, proxy, files[0], import_delays, args.repeat)
            loads.append(os.getloadavg()[0])
            lines.append(f"One file imported alone ({files[0].name}, checked in this process; {args.repeat} interleaved "
                         "rounds), then again:")
            for (label, delay), results_of in one.items():
                ms = [seconds * 1000 for seconds, _trips in results_of]
                trips = [float(trips) for _seconds, trips in results_of]
                lines.append(f"  {'new' if label == 'new' else 'again (duplicate)':>17}, {delay:>4g} ms: {_spread(ms)} ms, "
                             f"round trips {_spread(trips, '{:g}')}")
    print(f"\nPostgreSQL benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, server "
          f"{server.host}:{server.port}; load average (1 min) {min(loads):.1f}–{max(loads):.1f} during the run")
    for line in lines:
        print(line)
    print("\nBars (issue 16, PostgreSQL with delay on loopback):")
    for label, ok, detail in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<58} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
