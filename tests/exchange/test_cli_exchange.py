"""`readiness export`, `template`, `print-checklist` end to end (small checklist via READINESS_CHECKLISTS)."""

from __future__ import annotations

import json

import pytest

from readiness.cli import main

from exchange_data import SMALL_RAW
from samples import SMALL


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys, sqlite_copy):
    folder = tmp_path / "checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv("READINESS_CHECKLISTS", str(tmp_path / "checklists"))
    monkeypatch.setenv("READINESS_CHECKLIST", "small-test")
    db = sqlite_copy("cli")

    def run(*args: str):
        code = main(["--db", db, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.tmp = tmp_path
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SMALL_RAW, ensure_ascii=False), encoding="utf-8")
    run.answers = str(answers)
    return run


def test_export__out_dir__both_files_with_suggested_names(cli):
    assert cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", cli.answers)[0] == 0
    out = cli.tmp / "gui-so"
    code, stdout, _ = cli("export", "--commune", "23500", "--period", "2025-11", "--out-dir", str(out))
    assert code == 0 and "đã đọc lại và đối chiếu" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["23500_2025-11_xa-dak-ha.pdf", "23500_2025-11_xa-dak-ha.xlsx"]
    from readiness.exchange import read_submission
    from readiness.checklist.loader import load_checklist_text

    read = read_submission(out / "23500_2025-11_xa-dak-ha.xlsx", checklist=load_checklist_text(SMALL, "s.yaml"))
    assert read.ok and read.answers.values["download"] == 50.5


def test_export__json_and_explicit_files(cli):
    cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", cli.answers)
    xlsx, pdf = cli.tmp / "a.xlsx", cli.tmp / "b.pdf"
    code, stdout, _ = cli("export", "--commune", "23500", "--period", "2025-11", "--xlsx", str(xlsx), "--pdf", str(pdf),
                          "--number", "15", "--json")
    data = json.loads(stdout)
    assert code == 0 and data["ok"] and [f["kind"] for f in data["files"]] == ["xlsx", "pdf"]
    assert len(data["files"][0]["data_sha256"]) == 64 and xlsx.exists() and pdf.exists()


def test_export__refusals(cli):
    code, _, err = cli("export", "--commune", "23500", "--period", "2025-11")
    assert code == 2 and "--xlsx" in err
    cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", cli.answers)
    code, _, err = cli("export", "--commune", "23500", "--period", "2025-11", "--out-dir", str(cli.tmp),
                       "--xlsx", "../x.xlsx")
    assert code == 1 and "E-EXPORT-PATH" in err
    code, _, err = cli("export", "--commune", "23500", "--period", "2025-12", "--xlsx", str(cli.tmp / "x.xlsx"))
    assert code == 1 and "E-ASSESSMENT" in err
    code, _, err = cli("export", "--commune", "23500", "--period", "2025-11", "--xlsx", str(cli.tmp / "no" / "x.xlsx"))
    assert code == 1 and "E-EXPORT-FOLDER" in err


def test_template__into_a_folder_with_commune_and_period(cli):
    code, stdout, _ = cli("template", "--out", str(cli.tmp), "--commune", "23500", "--period", "11/2025", "--rows", "5")
    assert code == 0
    path = cli.tmp / "mau-tu-danh-gia_small-test-v1_23500_2025-11_xa-dak-ha.xlsx"
    assert path.exists() and str(path) in stdout
    from readiness.exchange import read_submission
    from readiness.checklist.loader import load_checklist_text

    read = read_submission(path, checklist=load_checklist_text(SMALL, "s.yaml"))
    assert (read.kind, read.commune_code, read.period) == ("template", "23500", "2025-11")


def test_template__unknown_commune_and_bad_rows(cli):
    assert cli("template", "--out", str(cli.tmp / "t.xlsx"), "--commune", "99999")[0] == 1
    assert cli("template", "--out", str(cli.tmp / "t.xlsx"), "--rows", "0")[0] == 2
    assert cli("template", "--out", str(cli.tmp / "t.xlsx"), "--period", "13/2025")[0] == 1


def test_print_checklist(cli):
    code, stdout, _ = cli("print-checklist", "--out", str(cli.tmp), "--commune", "23500", "--json")
    data = json.loads(stdout)
    assert code == 0 and data["path"].endswith("phieu-khao-sat_small-test-v1_23500_xa-dak-ha.pdf")
    assert open(data["path"], "rb").read(5) == b"%PDF-"
