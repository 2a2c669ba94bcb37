"""Importing submissions: round trip, outcomes, revisions, petitions, the log, parallel = serial, CLI."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import pytest
from sqlalchemy import func, select

from readiness.department.importer import collect, import_paths
from readiness.exchange.canonical import answer_json, canonical_json
from readiness.store.imports import import_log
from readiness.store.models import AnswerRow, AssessmentRow, ImportLogRow, PetitionRow, TableRowRow

IMPORT_TODAY = dt.date(2025, 11, 20)  # as in conftest.py
PERIOD = "2025-11"


def _import(workspace, *paths, **options):
    options.setdefault("jobs", 0)
    options.setdefault("today", IMPORT_TODAY)
    return import_paths(workspace, list(paths), **options)


def _statuses(report):
    return [result.status for result in report.results]


def _count(workspace, model) -> int:
    with workspace.store.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


# -- the round trip ---------------------------------------------------------------------------------------------


def test_round_trip__commune_export_then_department_import__identical_answers(tmp_path, real_checklist, dept_any,
                                                                                submissions):
    """A commune fills, finalizes and exports in its own database; the department imports the workbook."""
    from readiness.exchange.context import ExportContext
    from readiness.exchange.xlsx import write_submission
    from readiness.service import Workspace

    commune = Workspace.open(f"sqlite:///{tmp_path / 'commune.sqlite3'}")
    try:
        session = commune.session("23500", PERIOD)
        session.today = IMPORT_TODAY
        assert session.set_answers(submissions.raw_answers("23500", seed=3)) == []
        info = session.finalize()
        path = tmp_path / "out" / "23500.xlsx"
        path.parent.mkdir()
        write_submission(ExportContext.from_session(session), path)
        sent = answer_json(real_checklist, commune.store.load_answers(info.id, real_checklist))
    finally:
        commune.close()

    report = _import(dept_any, path)

    assert _statuses(report) == ["imported"], report.results[0].errors
    result = report.results[0]
    assert (result.commune, result.period, result.revision, result.assessment_id) == ("23500", PERIOD, 1, info.id)
    stored = dept_any.store.assessment(info.id)
    assert (stored.status, stored.origin, stored.revision) == ("finalized", "import", 1)
    assert stored.score == info.score and stored.level == info.level
    got = answer_json(real_checklist, dept_any.store.load_answers(info.id, real_checklist))
    assert canonical_json(got) == canonical_json(sent)


def test_import__demo_folder__every_file_imported_with_score_and_petitions(dept, demo_folder):
    report = _import(dept, demo_folder)

    assert _statuses(report) == ["imported"] * 8, [r.errors for r in report.results]
    assert report.exit_code == 0
    infos = dept.store.assessments(PERIOD)
    assert len(infos) == 8 and all(i.origin == "import" and i.score is not None and i.level for i in infos)
    assert _count(dept, PetitionRow) >= 8  # every demo commune has at least one difficulty or proposal


# -- outcomes ---------------------------------------------------------------------------------------------------


def test_import__outcomes_and_status__sqlite_and_postgresql(dept_any, submissions):
    from readiness.department.status import period_status

    one = submissions.write("23500", revision=1, seed=1)
    two = submissions.write("23500", revision=2, seed=2)
    other = submissions.write("21025", revision=1, seed=3, status="draft")

    first = _import(dept_any, one, two, other)
    second = _import(dept_any, one, two)

    assert _statuses(first) == ["imported", "updated", "imported"]
    assert _statuses(second) == ["duplicate", "duplicate"]  # revision 1 is in the history already
    assert [i.revision for i in dept_any.store.history("23500", PERIOD)] == [2, 1]
    assert [row.outcome for row in import_log(dept_any.store)] == ["duplicate", "duplicate", "imported", "updated",
                                                                   "imported"]
    report = period_status(dept_any, PERIOD, today=IMPORT_TODAY)
    states = {row.code: row.state for row in report.rows if row.code in ("23500", "21025")}
    assert states["21025"] == "draft" and states["23500"] not in ("missing", "draft")
    assert report.received == 1  # the finalized one; a draft is not a submission yet


def test_import__same_file_twice__duplicate_and_nothing_added(dept, submissions):
    path = submissions.write("23500")
    first = _import(dept, path)
    counts = {model: _count(dept, model) for model in (AssessmentRow, AnswerRow, TableRowRow, PetitionRow)}

    again = _import(dept, path)

    assert _statuses(first) == ["imported"] and _statuses(again) == ["duplicate"]
    assert again.exit_code == 0
    assert again.results[0].assessment_id == first.results[0].assessment_id
    assert {model: _count(dept, model) for model in counts} == counts


def test_import__newer_revision__updated_and_history_kept(dept, submissions):
    first = submissions.write("23500", revision=1, seed=1)
    second = submissions.write("23500", revision=2, seed=2)

    report = _import(dept, first, second)

    assert _statuses(report) == ["imported", "updated"]
    history = dept.store.history("23500", PERIOD)
    assert [info.revision for info in history] == [2, 1]
    assert dept.store.current_assessment("23500", PERIOD).revision == 2


def test_import__older_revision_after_newer__rejected_and_current_unchanged(dept, submissions):
    newer = submissions.write("23500", revision=3, seed=3)
    older = submissions.write("23500", revision=2, seed=2)

    report = _import(dept, newer, older)

    assert _statuses(report) == ["imported", "rejected"]
    assert [e.code for e in report.results[1].errors] == ["E-IMPORT-OLDER"]
    assert "cũ hơn lần 3" in report.results[1].errors[0].message
    assert report.exit_code == 1
    assert [info.revision for info in dept.store.history("23500", PERIOD)] == [3]


def test_import__same_revision_other_content__rejected_as_conflict(dept, submissions):
    one = submissions.write("23500", revision=1, seed=1)
    other = submissions.write("23500", revision=1, seed=9)

    report = _import(dept, one, other)

    assert _statuses(report) == ["imported", "rejected"]
    assert report.results[1].errors[0].code == "E-IMPORT-CONFLICT"
    assert len(dept.store.history("23500", PERIOD)) == 1


def test_import__draft_then_finalized_same_revision__updated_in_place(dept, submissions):
    same_id = str(uuid.uuid4())
    draft = submissions.write("23500", status="draft", assessment_id=same_id, seed=1)
    final = submissions.write("23500", status="finalized", assessment_id=same_id, seed=1)

    report = _import(dept, draft, final)
    late = _import(dept, draft)

    assert _statuses(report) == ["imported", "updated"]
    assert late.results[0].errors[0].code == "E-IMPORT-OLDER"  # the draft never replaces the finalized
    info = dept.store.assessment(same_id)
    assert info.status == "finalized" and info.score is not None
    assert len(dept.store.history("23500", PERIOD)) == 1


def test_import__petitions__tracked_once_and_carried_to_the_new_revision(dept, submissions):
    first = submissions.write("23500", revision=1, seed=4)
    second = submissions.write("23500", revision=2, seed=4)  # same answers, resubmitted as revision 2
    _import(dept, first)
    petitions = dept.store.petitions("23500", PERIOD)
    assert petitions and all(p.status == "new" for p in petitions)
    with dept.store.transaction() as session:  # the department answers the first one
        session.get(PetitionRow, petitions[0].id).status = "forwarded"

    _import(dept, first, second)

    after = dept.store.petitions("23500", PERIOD)
    assert len(after) == len(petitions)
    current = dept.store.current_assessment("23500", PERIOD)
    assert {p.assessment_id for p in after} == {current.id}
    assert [p.status for p in after][0] == "forwarded"


def test_import__drafts__no_petitions(dept, submissions):
    _import(dept, submissions.write("23500", status="draft"))

    assert dept.store.current_assessment("23500", PERIOD).status == "draft"
    assert dept.store.petitions("23500", PERIOD) == []


def test_import__filled_template__next_revision_and_duplicate_on_reimport(dept, real_checklist, province_communes,
                                                                          tmp_path, submissions):
    from readiness.exchange.xlsx import write_template

    commune = next(c for c in province_communes if c.code == "23500")
    template = write_template(real_checklist, tmp_path / "blank.xlsx", commune=commune, period=PERIOD).path
    _import(dept, submissions.write("23500", revision=1))

    report = _import(dept, template)
    again = _import(dept, template)

    assert _statuses(report) == ["updated"] and report.results[0].revision == 2
    assert dept.store.current_assessment("23500", PERIOD).status == "draft"  # blank: required answers missing
    assert _statuses(again) == ["duplicate"]


# -- the log ----------------------------------------------------------------------------------------------------


def test_import_log__every_file__name_sha256_size_user_outcome(dept, submissions, tmp_path):
    import getpass
    import hashlib

    good = submissions.write("23500")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"ma_xa;ten\n23500;Dak Ha\n")

    _import(dept, good, bad)
    _import(dept, good)

    log = list(reversed(import_log(dept.store)))
    assert [row.outcome for row in log] == ["imported", "rejected", "duplicate"]
    assert log[0].sha256 == hashlib.sha256(good.read_bytes()).hexdigest() and log[0].size == good.stat().st_size
    assert log[0].file_name == good.name and log[0].path == str(good.absolute())
    assert log[0].user_name == getpass.getuser() and log[0].imported_at is not None
    assert (log[0].commune_code, log[0].period, log[0].revision) == ("23500", PERIOD, 1)
    assert log[1].errors[0]["code"] == "E-IMPORT-TEXT" and log[1].commune_code is None
    assert log[2].assessment_id == log[0].assessment_id


# -- files and folders ------------------------------------------------------------------------------------------


def test_collect__folder__xlsx_recursively_others_listed_as_skipped(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.xlsx", "a/b/two.XLSX", "a/notes.txt", "a/~$one.xlsx", "a/b/scan.pdf"):
        (tmp_path / name).write_bytes(b"x")

    found = collect([tmp_path / "a", tmp_path / "missing.xlsx"])

    by_name = {path.name: reason.code if reason else None for path, reason in found}
    assert by_name == {"one.xlsx": None, "two.XLSX": None, "notes.txt": "E-IMPORT-SKIPPED", "~$one.xlsx": "E-IMPORT-SKIPPED",
                       "scan.pdf": "E-IMPORT-SKIPPED", "missing.xlsx": "E-IMPORT-NOT-FOUND"}


def test_import__explicit_non_xlsx_file__checked_and_rejected_with_what_it_is(dept, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Báo cáo tháng 11\n", encoding="utf-8")

    report = _import(dept, notes)

    assert _statuses(report) == ["rejected"] and report.results[0].errors[0].code == "E-IMPORT-TEXT"


def test_import__folder_with_other_files__skipped_do_not_fail_the_run(dept, submissions, tmp_path):
    submissions.write("23500")
    (submissions.folder / "readme.txt").write_text("x")

    report = _import(dept, submissions.folder)

    assert sorted(_statuses(report)) == ["imported", "skipped"]
    assert report.exit_code == 0


# -- parallel, progress, cancel -------------------------------------------------------------------------------


def _snapshot(workspace):
    with workspace.store.transaction() as session:
        assessments = sorted((r.id, r.commune_code, r.revision, r.status, r.answers_sha256, r.score)
                             for r in session.scalars(select(AssessmentRow)))
        answers = sorted((r.assessment_id, r.item_id, json.dumps(r.value, sort_keys=True))
                         for r in session.scalars(select(AnswerRow)))
        rows = sorted((r.assessment_id, r.item_id, r.position, json.dumps(r.values, sort_keys=True))
                      for r in session.scalars(select(TableRowRow)))
        petitions = sorted((r.assessment_id, r.position, r.difficulty) for r in session.scalars(select(PetitionRow)))
    return assessments, answers, rows, petitions


def test_import__parallel__same_results_and_database_as_serial(tmp_path, demo_folder, submissions):
    from readiness.service import Workspace

    submissions.write("23500", revision=2, seed=5)
    submissions.write("23500", revision=1, seed=6)  # older than the one before it: rejected either way
    (submissions.folder / "fake.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    outcomes = {}
    for jobs in (0, 2):
        workspace = Workspace.open(f"sqlite:///{tmp_path / f'jobs{jobs}.sqlite3'}")
        try:
            report = _import(workspace, demo_folder, submissions.folder, jobs=jobs)
            outcomes[jobs] = ([r.to_json() for r in report.results], _snapshot(workspace))
        finally:
            workspace.close()

    assert outcomes[0] == outcomes[2]
    assert [r["status"] for r in outcomes[2][0]].count("imported") == 9


def test_import__progress_and_cancel(dept, demo_folder):
    seen = []
    cancel = threading.Event()

    def progress(done, total, name):
        seen.append((done, total, name))
        if done == 3:
            cancel.set()

    report = _import(dept, demo_folder, progress=progress, cancel=cancel)

    assert seen[0] == (0, 8, "") and seen[1][:2] == (1, 8) and seen[1][2].endswith(".xlsx")
    assert report.cancelled and len(report.results) == 3 and report.not_done == 5
    assert len(dept.store.assessments(PERIOD)) == 3  # what was imported stays
    assert report.exit_code == 1


# -- the command line -------------------------------------------------------------------------------------------


def test_cli_import__json_lines__one_object_per_file_and_exit_codes(db_url, submissions, tmp_path, capsys):
    from readiness.cli import main

    good = submissions.write("23500")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")

    assert main(["--db", db_url, "import", str(good), "--json", "--jobs", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    objects = [json.loads(line) for line in lines]
    assert objects[0].pop("signature")["status"] == "unsigned"  # readiness.signing: not signed, flagged
    assert objects == [
        {"file": str(good), "status": "imported", "commune": "23500", "period": PERIOD, "revision": 1, "errors": []}]

    assert main(["--db", db_url, "import", str(good), str(empty), "--json", "--jobs", "0"]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["status"] == "duplicate"
    assert second["status"] == "rejected" and second["errors"][0]["code"] == "E-IMPORT-EMPTY"
    assert set(second["errors"][0]) == {"code", "sheet", "cell", "message"}


def test_cli_import__human_output__vietnamese_with_codes(db_url, tmp_path, capsys):
    from readiness.cli import main

    csv = tmp_path / "baocao.xlsx"
    csv.write_text("STT,Tên xã,Điểm\n1,Đăk Hà,80\n", encoding="utf-8")

    assert main(["--db", db_url, "import", str(csv), "--jobs", "0"]) == 1
    captured = capsys.readouterr()
    assert "Từ chối: " in captured.out and "E-IMPORT-TEXT" in captured.out and "CSV" in captured.out
    assert "1 từ chối" in captured.err


def test_cli_demo__count_period_out__valid_submissions_that_import(db_url, tmp_path, capsys):
    from readiness.cli import main

    out = tmp_path / "demo"
    assert main(["demo", "--count", "3", "--period", "2025-12", "--out", str(out), "--draft", "--json",
                 "--jobs", "1"]) == 0
    made = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(made) == 3 and all(m["status"] == "draft" for m in made)
    assert main(["--db", db_url, "import", str(out), "--json", "--jobs", "0"]) == 0
    assert [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()] == ["imported"] * 3
    assert main(["demo", "--count", "99999", "--period", "2025-12", "--out", str(out)]) == 1
    assert "E-DEMO-COUNT" in capsys.readouterr().err


def test_import_log_rows__json_columns_round_trip(dept, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"")
    _import(dept, bad)
    with dept.store.transaction() as session:
        row = session.scalars(select(ImportLogRow)).one()
        assert row.errors == [{"code": "E-IMPORT-EMPTY", "sheet": None, "cell": None, "message": "Tệp rỗng (0 byte)."}]


@pytest.mark.parametrize("jobs", [1])
def test_import__worker_pool_of_one__same_as_in_process(dept, submissions, jobs):
    report = _import(dept, submissions.write("23500"), jobs=jobs)
    assert _statuses(report) == ["imported"]


def test_store_round_trip__save_finalize_reopen__sqlite_and_postgresql(dept_any, submissions, real_checklist):
    from readiness.answers import coerce_all
    from readiness.scoring import score

    values, errors = coerce_all(real_checklist, submissions.raw_answers("23500", seed=2))
    assert not errors
    store = dept_any.store
    info = store.open_assessment("23500", PERIOD, real_checklist)
    store.save_answers(info.id, real_checklist, values)
    loaded = store.load_answers(info.id, real_checklist)
    assert canonical_json(answer_json(real_checklist, loaded)) == canonical_json(answer_json(real_checklist, values))
    final = store.finalize(info.id, real_checklist, score(real_checklist, loaded, today=IMPORT_TODAY))
    again = store.reopen("23500", PERIOD, real_checklist)
    assert (final.status, again.revision, again.status) == ("finalized", 2, "draft")
    copied = store.load_answers(again.id, real_checklist)
    assert canonical_json(answer_json(real_checklist, copied)) == canonical_json(answer_json(real_checklist, values))
    assert len(store.petitions("23500", PERIOD)) == len(values["petitions"])


def check_or_die(path, accept_edited=False, today=None):
    """A check that kills its worker on files named *crash* (what a reader crash on a hostile file does)."""
    import os

    from readiness.department.import_worker import check_file

    if "crash" in path:
        os.abort()
    return check_file(path, accept_edited, today)


def test_import__worker_dies_on_a_file__that_file_refused_the_others_checked(dept, submissions):
    from readiness.department.importer import _Checks

    paths = [submissions.write("23500", name="a.xlsx"), submissions.write("21025", name="b-crash.xlsx"),
             submissions.write("21028", name="c.xlsx"), submissions.write("21034", name="d.xlsx")]
    checks = _Checks(dept, paths, accept_edited=False, jobs=2, today=IMPORT_TODAY, cancel=None, check=check_or_die)
    try:
        got = [checks.next() for _ in paths]
    finally:
        checks.close()

    assert [c.name for c in got] == ["a.xlsx", "b-crash.xlsx", "c.xlsx", "d.xlsx"]
    assert [[e.code for e in c.errors] for c in got] == [[], ["E-IMPORT-CRASH"], [], []]
    assert got[1].sha256 and got[0].assessment is not None and got[3].assessment is not None


def test_store_assessment__also_hook__commits_or_rolls_back_with_the_assessment(dept, submissions):
    from readiness.department.import_worker import check_file, init_worker
    from readiness.store.imports import LogEntry, store_assessment

    init_worker(None, None)
    checked = check_file(str(submissions.write("23500")), False, IMPORT_TODAY)
    entry = LogEntry(file_name="x.xlsx", path="/x.xlsx")

    def fail(session, outcome):
        raise RuntimeError("signature store down")

    with pytest.raises(RuntimeError):
        store_assessment(dept.store, checked.assessment, entry, also=fail)
    assert dept.store.assessments(PERIOD) == [] and import_log(dept.store) == []

    seen = []
    outcome = store_assessment(dept.store, checked.assessment, entry, also=lambda s, o: seen.append(o.status))
    assert outcome.status == "imported" and seen == ["imported"]


def test_import__finalized_submissions__their_scores_kept_so_the_first_report_scores_nothing(dept, demo_folder,
                                                                                               monkeypatch):
    from readiness.department import bulk
    from readiness.department.status import period_status

    from readiness.department import importer

    bulk.clear_memo()
    monkeypatch.setattr(importer, "SCORE_BATCH", 3)  # kept in batches of 3, 3 and 2
    report = import_paths(dept, [demo_folder], jobs=0)  # each file scored as of its own (finalization) day
    assert _statuses(report) == ["imported"] * 8
    bulk.clear_memo()  # a new process: only the cache file remains
    calls = []
    original = bulk.score_one
    monkeypatch.setattr(bulk, "score_one", lambda *a, **k: calls.append(a) or original(*a, **k))
    monkeypatch.setattr(bulk, "_worker_count", lambda requested, jobs: 1)
    status = period_status(dept, PERIOD, detail=True)
    assert calls == []  # every finalized assessment came from the cache the import filled
    assert status.received == 8
    # ... and the cached results are the ones scoring computes now.
    bulk.clear_memo()
    monkeypatch.setenv("READINESS_SCORE_CACHE", "0")
    fresh = period_status(dept, PERIOD, detail=True)
    assert [r.result for r in fresh.rows] == [r.result for r in status.rows] and len(calls) == 8
    bulk.clear_memo()
