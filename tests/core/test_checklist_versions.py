"""Checklist version N+1 installed: version-N assessments stay readable; drafts can be re-scored and moved."""

import json

import pytest

from readiness.checklist.loader import ChecklistLibrary
from readiness.cli import main
from readiness.service import Workspace

from samples import SMALL, TODAY

V2 = (SMALL.replace("version: 1", "version: 2", 1)
      .replace("min_down: {value: 100,", "min_down: {value: 250,")
      .replace("      - {id: report_date, type: date, label: {vi: \"Ngày báo cáo\"}}\n",
               "      - {id: counters, type: integer, required: true, label: {vi: \"Số quầy\"}}\n"))


@pytest.fixture
def libraries(tmp_path):
    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    return tmp_path / "checklists", folder


ANSWERS = {"respondent": "A", "officers": 5, "report_date": "2025-11-20", "has_fibre": True, "download": 200,
           "tslcd": "connected", "pcs": [{"role": "A", "ram_gb": 8}]}


def test_new_version__finalized_v1_assessment__still_read_with_v1(db_url, libraries):
    directory, folder = libraries
    workspace = Workspace.open(db_url, library=ChecklistLibrary(directory), default_checklist="small-test")
    session = workspace.session("23500", "2025-11")
    session.today = TODAY
    assert session.set_answers(ANSWERS) == []
    session.finalize()
    workspace.close()
    (folder / "v2.yaml").write_text(V2, encoding="utf-8")

    workspace = Workspace.open(db_url, library=ChecklistLibrary(directory), default_checklist="small-test")
    session = workspace.session("23500", "2025-11")
    assert session.checklist.key == "small-test@1"
    assert session.answers.values["report_date"].isoformat() == "2025-11-20"
    assert session.result().score == 100
    reopened = session.reopen()  # a new revision moves to the newest version
    assert (reopened.revision, reopened.checklist_version) == (2, 2)
    assert "report_date" not in session.answers.values and session.result().unanswered_required == 1
    workspace.close()


def test_upgrade_draft__compare_then_apply__shows_what_changed(db_url, libraries, monkeypatch, capsys):
    directory, folder = libraries
    workspace = Workspace.open(db_url, library=ChecklistLibrary(directory), default_checklist="small-test")
    session = workspace.session("23500", "2025-11")
    assert session.set_answers(ANSWERS) == []
    workspace.close()
    (folder / "v2.yaml").write_text(V2, encoding="utf-8")
    monkeypatch.setenv("READINESS_CHECKLISTS", str(directory))
    monkeypatch.setenv("READINESS_CHECKLIST", "small-test")

    assert main(["--db", db_url, "checklist", "upgrade", "--commune", "23500", "--period", "2025-11", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["old_key"], data["new_key"], data["applied"]) == ("small-test@1", "small-test@2", False)
    assert data["added"] == ["counters"] and data["removed"] == ["report_date"]
    assert data["status_changes"] == [["download", "pass", "fail"]]  # 200 Mbps no longer meets 250
    assert data["new_unanswered_required"] == 1

    assert main(["--db", db_url, "checklist", "upgrade", "--commune", "23500", "--period", "2025-11", "--apply"]) == 0
    assert "Đã chuyển" in capsys.readouterr().out
    workspace = Workspace.open(db_url, library=ChecklistLibrary(directory), default_checklist="small-test")
    session = workspace.session("23500", "2025-11")
    assert session.checklist.key == "small-test@2"
    assert workspace.store.load_answers(session.info.id, ChecklistLibrary(directory).get("small-test", 1)).values[
        "report_date"].isoformat() == "2025-11-20"  # kept in the database, only unused
    workspace.close()


def test_checklist_folder_without_the_checklist__coded_vietnamese_message__not_a_program_error(
        tmp_path, monkeypatch, capsys):
    from readiness.checklist.loader import ChecklistNotFound
    from readiness.errors import ReadinessError

    empty = tmp_path / "checklists"
    empty.mkdir()
    library = ChecklistLibrary(empty)
    with pytest.raises(ChecklistNotFound) as raised:
        library.latest()
    assert isinstance(raised.value, ReadinessError) and isinstance(raised.value, KeyError)  # callers catch KeyError
    assert raised.value.code == "E-CL-NOT-FOUND"
    with pytest.raises(KeyError):
        library.get("one-stop-shop-it-readiness", 9)

    monkeypatch.setenv("READINESS_CHECKLISTS", str(empty))
    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "home"))
    code = main(["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "start", "--commune", "23500", "--period", "2025-11"])
    err = capsys.readouterr().err
    assert code != 0
    assert "E-CL-NOT-FOUND" in err and f"trong thư mục {empty}" in err
    assert "E-INTERNAL" not in err and "Traceback" not in err
