"""Two `readiness import` processes on one database at once (SQLite and PostgreSQL): nothing corrupted or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from readiness.store.imports import import_log
from readiness.store.models import AnswerRow, AssessmentRow, PetitionRow, TableRowRow

PERIOD = "2025-11"  # as in conftest.py


def _run_two_at_once(url: str, folder) -> list[tuple[int, list[dict]]]:
    command = [sys.executable, "-m", "readiness", "--db", url, "import", str(folder), "--json", "--jobs", "1"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, [json.loads(line) for line in out.splitlines()], err))
    return [(code, lines) for code, lines, _ in results]


def test_concurrent_imports__same_files_two_processes__each_stored_once(any_db_url, demo_folder, submissions, tmp_path):
    from readiness.service import Workspace

    folder = tmp_path / "both"
    folder.mkdir()
    for path in sorted(demo_folder.glob("*.xlsx")):
        (folder / path.name).write_bytes(path.read_bytes())
    submissions.write("23500", revision=1, seed=1, folder=folder, name="a_23500_r1.xlsx")
    submissions.write("23500", revision=2, seed=2, folder=folder, name="b_23500_r2.xlsx")
    Workspace.open(any_db_url).close()  # migrated before the race (as a department's database is)

    runs = _run_two_at_once(any_db_url, folder)

    assert [code for code, _ in runs] == [0, 0], runs
    statuses = Counter(line["status"] for _, lines in runs for line in lines)
    assert statuses["rejected"] == 0
    assert statuses["imported"] + statuses["updated"] == 10 and statuses["duplicate"] == 10
    workspace = Workspace.open(any_db_url)
    try:
        store = workspace.store
        infos = store.assessments(PERIOD)
        assert len(infos) == 10 and len({i.id for i in infos}) == 10
        assert [i.revision for i in store.history("23500", PERIOD)] == [2, 1]
        with store.transaction() as session:
            per_assessment = dict(session.execute(select(AnswerRow.assessment_id, func.count())
                                                  .group_by(AnswerRow.assessment_id)).all())
            rows = session.scalar(select(func.count()).select_from(TableRowRow))
            petitions = list(session.scalars(select(PetitionRow)))
            assessments = session.scalar(select(func.count()).select_from(AssessmentRow))
        assert assessments == 10 and set(per_assessment) == {i.id for i in infos}
        assert rows > 0
        keys = [(p.commune_code, p.period, p.difficulty) for p in petitions]
        assert len(keys) == len(set(keys))  # no petition twice
        log = import_log(store)
        assert len(log) == 20 and Counter(row.outcome for row in log)["duplicate"] == 10
    finally:
        workspace.close()
