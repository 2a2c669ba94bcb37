"""Worker processes never outlive the process that started them (readiness.workers).

A driver process makes a pool the way the application does, gives its workers something to do,
and is killed with SIGKILL.  Every process it had started (the forkserver, the workers, the
resource tracker) must be gone within 5 s, even when a worker is inside a C call that keeps the
interpreter lock (the watcher thread cannot run then; only the kernel's parent-death signal can).
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from readiness import workers

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "desktop" / "readiness"

DRIVER = """
import sys, time
from readiness.workers import process_pool

def hold_the_lock(seconds):
    import ctypes
    ctypes.PyDLL(None).sleep(seconds)  # a C call that keeps the interpreter lock, as a stuck parser would

def nap(seconds):
    time.sleep(seconds)

if __name__ == "__main__":
    pool = process_pool(2)
    task = hold_the_lock if sys.argv[1] == "lock" else nap
    futures = [pool.submit(task, 120) for _ in range(2)]
    while len(pool._processes) < 2:
        time.sleep(0.05)
    time.sleep(0.5)  # the tasks are running
    print("READY", flush=True)
    time.sleep(300)
"""


def gone(process: psutil.Process) -> bool:
    """Ended: no such process, or a zombie (ended, waiting for a parent that may never reap it)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def left_after(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    left = [p for p in processes if not gone(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [p for p in left if not gone(p)]
    return left


def describe(processes: list[psutil.Process]) -> list[str]:
    out = []
    for process in processes:
        try:
            out.append(f"{process.pid} {' '.join(process.cmdline())[:90]}")
        except psutil.Error:
            out.append(str(process.pid))
    return out


def _run_and_kill(tmp_path: Path, mode: str) -> list[psutil.Process]:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    driver = subprocess.Popen([sys.executable, str(script), mode], stdout=subprocess.PIPE, text=True, env=env,
                              cwd=tmp_path)
    try:
        assert driver.stdout.readline().strip() == "READY"
        tree = psutil.Process(driver.pid).children(recursive=True)
        assert len(tree) >= 3, describe(tree)  # at least the workers and the forkserver or tracker
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=10)
        left = left_after(tree, 5.0)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
        driver.stdout.close()
    for process in left:  # leave nothing behind for the next tests, whatever the outcome
        try:
            process.kill()
        except psutil.Error:
            pass
    return left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the process tree checked here is Linux's")
@pytest.mark.parametrize("mode", ["lock", "nap"])
def test_process_pool__main_process_killed__every_process_it_started_gone_within_5s(tmp_path, mode):
    left = _run_and_kill(tmp_path, mode)
    assert not left, f"still running 5 s after the main process was killed: {describe(left)}"


def _mechanisms() -> list[str]:
    return workers.bound_mechanisms()


def test_process_pool__worker__bound_to_its_parent_once_at_start():
    with workers.process_pool(1) as pool:
        done = pool.submit(_mechanisms).result(timeout=60)
    if sys.platform.startswith("linux"):
        assert done == ["pdeathsig", "alive-pipe", "watcher"]
    else:
        assert "watcher" in done


def _initialized(value: int) -> None:
    os.environ["READINESS_TEST_INITIALIZED"] = str(value)


def _read_initialized() -> str | None:
    return os.environ.get("READINESS_TEST_INITIALIZED")


def test_process_pool__own_initializer__runs_in_each_worker_with_its_arguments():
    with workers.process_pool(1, _initialized, (42,)) as pool:
        assert pool.submit(_read_initialized).result(timeout=60) == "42"


def test_every_process_pool__made_by_readiness_workers():
    """A pool made anywhere else would not bind its workers to the main process."""
    pattern = re.compile(r"ProcessPoolExecutor\(|multiprocessing\.Pool\(|\.Pool\(|get_context\(|\bProcess\(target")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "workers.py" and path.parent == PACKAGE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "make process pools with readiness.workers.process_pool:\n" + "\n".join(offenders)


def test_windows_job_limits__layout__as_in_the_windows_headers():
    """The ctypes structure handed to SetInformationJobObject (checked here; used only on Windows)."""
    size = ctypes.sizeof(workers._job_structures())
    assert size == (144 if ctypes.sizeof(ctypes.c_void_p) == 8 else 112)
    if sys.platform != "win32":  # the main process has no parent to watch, and no job is joined here
        assert workers.bind_to_parent("spawn", job="Local\\nothing") == []
