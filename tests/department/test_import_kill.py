"""`readiness import` killed mid-folder (SIGKILL of the main process only): nothing it started lives on,
and running it again completes the job with nothing stored twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow

PERIOD = "2025-11"  # as in conftest.py
IMPORT_TODAY = dt.date(2025, 11, 20)
FILES = 48


@pytest.fixture(scope="module")
def many_submissions(tmp_path_factory) -> Path:
    from readiness.department.demo_export import write_demo_submissions

    folder = tmp_path_factory.mktemp("many")
    write_demo_submissions(folder, count=FILES, period=PERIOD, seed=11, province="all", jobs=2, today=IMPORT_TODAY)
    return folder


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # ended; its new parent may never reap it
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the process tree checked here is Linux's")
def test_import__main_process_killed_mid_folder__no_process_left_and_rerun_completes(many_submissions, tmp_path):
    url = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    command = [sys.executable, "-m", "readiness", "--db", url, "import", str(many_submissions), "--json", "--jobs", "2"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    importer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    tree: list[psutil.Process] = []
    try:
        first = importer.stdout.readline()  # the first file is written: the workers are busy with the next ones
        assert first, "the import ended before writing a file"
        tree = psutil.Process(importer.pid).children(recursive=True)
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=10)
        deadline = time.monotonic() + 5.0
        left = [p for p in tree if not _gone(p)]
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = [p for p in left if not _gone(p)]
        described = Counter(" ".join(p.cmdline()[:4])[:80] for p in left)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        importer.stdout.close()
        for process in tree:  # leave nothing behind for the next tests, whatever the outcome
            try:
                if not _gone(process):
                    process.kill()
            except psutil.Error:
                pass
    assert len(tree) >= 3  # the forkserver, its two workers (and the resource tracker)
    assert not left, f"still running 5 s after the import was killed: {described}"

    from readiness.service import Workspace

    workspace = Workspace.open(url)
    try:
        stored_before = len(workspace.store.assessments(PERIOD))
    finally:
        workspace.close()
    assert 1 <= stored_before < FILES  # killed mid-folder

    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    statuses = Counter(json.loads(line)["status"] for line in rerun.stdout.splitlines())
    assert statuses == {"imported": FILES - stored_before, "duplicate": stored_before}

    workspace = Workspace.open(url)
    try:
        infos = workspace.store.assessments(PERIOD)
        assert len(infos) == FILES and len({(i.commune_code, i.period) for i in infos}) == FILES
        with workspace.store.transaction() as session:
            assessments = session.scalar(select(func.count()).select_from(AssessmentRow))
            with_answers = session.scalar(select(func.count(func.distinct(AnswerRow.assessment_id))))
            petitions = [(p.commune_code, p.period, p.position) for p in session.scalars(select(PetitionRow))]
        assert assessments == FILES and with_answers == FILES
        assert len(petitions) == len(set(petitions))
    finally:
        workspace.close()
