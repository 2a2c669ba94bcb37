"""The CLI end to end on the small checklist: fill from JSON, score, finalize, reopen, history."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.cli import main

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
    return run


def _write(tmp: Path, name: str, data) -> str:
    path = tmp / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


COMPLETE = {
    "respondent": "Nguyễn Văn An", "officers": 20, "has_fibre": "Có", "download": "200", "tslcd": "connected",
    "providers": ["vnpt"], "report_date": "20/11/2025",
    "pcs": [{"role": "Một cửa", "ram_gb": 8, "os": "win11"}, {"role": "Chủ tịch", "ram_gb": 4, "os": "win10"}],
}


def test_cli__fill_score_finalize_reopen__end_to_end(cli):
    partial = _write(cli.tmp, "partial.json", {"respondent": "Nguyễn Văn An"})
    code, out, _ = cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", partial)
    assert code == 0 and "bản nháp lần 1" in out

    full = _write(cli.tmp, "full.json", {"answers": COMPLETE})
    assert cli("fill", "--commune", "23500", "--period", "11/2025", "--answers", full)[0] == 0

    code, out, _ = cli("score", "--commune", "23500", "--period", "2025-11", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["commune_name"], data["revision"], data["status"]) == ("Xã Đăk Hà", 1, "draft")
    assert data["score"] == 75.0 and data["level"] == "basic"
    assert [g["item"] for g in data["gaps"]] == ["pcs"]
    assert data["gaps"][0]["advice"].startswith("Nâng cấp RAM lên tối thiểu 8 GB cho 1 máy")

    code, out, _ = cli("score", "--commune", "23500", "--period", "2025-11")
    assert "Điểm: 75/100 — Mức: Cơ bản sẵn sàng" in out  # the window writes 75 too (readiness.numbers.score)

    code, out, _ = cli("finalize", "--commune", "23500", "--period", "2025-11")
    assert code == 0 and "Đã hoàn thành" in out

    code, _, err = cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", partial)
    assert code == 1 and "E-STORE-FINALIZED" in err

    code, out, _ = cli("reopen", "--commune", "23500", "--period", "2025-11", "--json")
    assert code == 0 and json.loads(out)["revision"] == 2

    code, out, _ = cli("history", "--commune", "23500", "--json")
    assert [(h["revision"], h["status"]) for h in json.loads(out)] == [(2, "draft"), (1, "finalized")]


def test_cli__invalid_answers__rejected_with_item_and_reason_nothing_saved(cli):
    bad = _write(cli.tmp, "bad.json", {"respondent": "A", "officers": "hai mươi", "nope": 1,
                                       "pcs": [{"role": "X", "ram_gb": "tám"}], "download": -5})
    code, out, _ = cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", bad, "--json")
    assert code == 1
    errors = {(e["item"], e["code"]) for e in json.loads(out)["errors"]}
    assert errors == {("officers", "E-ANS-NUMBER"), ("nope", "E-ANS-ITEM"), ("pcs", "E-ANS-NUMBER")}
    code, out, _ = cli("score", "--commune", "23500", "--period", "2025-11", "--json")
    assert json.loads(out)["completion"] == 0  # nothing from the rejected file was saved


def test_cli__constraint_violation__rejected(cli):
    bad = _write(cli.tmp, "bad.json", {"has_fibre": True, "download": 20000})
    code, _, err = cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", bad)
    assert code == 1 and "[download]" in err and "10.000" in err


def test_cli__not_json__rejected_with_line(cli):
    path = cli.tmp / "broken.json"
    path.write_text('{"respondent": "A",\n', encoding="utf-8")
    code, _, err = cli("fill", "--commune", "23500", "--period", "2025-11", "--answers", str(path))
    assert code == 1 and "E-JSON" in err and "dòng 2" in err


def test_cli__unknown_commune_and_bad_period__rejected(cli):
    ok = _write(cli.tmp, "ok.json", {})
    assert cli("fill", "--commune", "99999", "--period", "2025-11", "--answers", ok)[0] == 1
    assert cli("fill", "--commune", "23500", "--period", "2025-13", "--answers", ok)[0] == 1


def test_cli__communes_search__without_diacritics(cli):
    code, out, _ = cli("communes", "--search", "dak ha", "--json")
    assert code == 0 and [c["code"] for c in json.loads(out)] == ["23500"]
    code, out, _ = cli("communes", "--json")
    assert len(json.loads(out)) == 96


def test_cli__checklist_validate_and_show(cli):
    path = cli.tmp / "checklists" / "small-test" / "v1.yaml"
    code, out, _ = cli("checklist", "validate", str(path))
    assert code == 0 and "small-test@1" in out
    bad = cli.tmp / "bad.yaml"
    bad.write_text(SMALL.replace('pass: ". >= $min_down"', 'pass: ". >= $nope"'), encoding="utf-8")
    code, _, err = cli("checklist", "validate", str(bad))
    assert code == 1 and "E-CL-THRESHOLD" in err and "[download]" in err
    code, out, _ = cli("checklist", "show", "--path", str(path))
    assert "2.2 Tốc độ tải xuống (Mbps)" in out


def test_cli__usage_error__exit_2(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "readiness", "score", "--commune"], capture_output=True,
                               text=True, env={"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "desktop"),
                                               "READINESS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert completed.returncode == 2
    assert "lỗi cú pháp lệnh" in completed.stderr


def test_cli__real_checklist__fill_ready_commune_score_finalize(tmp_path, capsys):
    ready = Path(__file__).resolve().parents[1] / "data" / "ready_commune.json"
    db = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    assert main(["--db", db, "fill", "--commune", "23500", "--period", "2026-11", "--answers", str(ready)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "score", "--commune", "23500", "--period", "2026-11", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # a new assessment uses the newest checklist, the one the ready commune's answers are written for
    from readiness.checklist.loader import default_library

    assert data["checklist"] == default_library().latest().key == json.loads(ready.read_text(encoding="utf-8"))["checklist"]
    assert data["unanswered_required"] == 0 and data["level"] in ("ready", "basic")
    assert main(["--db", db, "finalize", "--commune", "23500", "--period", "2026-11"]) == 0


def test_help__building_the_parser__imports_no_database_layer_nor_heavy_library():
    """``readiness --help`` starts at once (issue 16): every command's parser is built from light modules;
    a handler imports what it uses."""
    import subprocess
    import sys

    probe = ("import sys; from readiness.cli import build_parser; build_parser(); "
             "print(','.join(sorted(m for m in ('sqlalchemy', 'openpyxl', 'pydantic', 'yaml', 'reportlab', 'docx', "
             "'PySide6', 'readiness.store.db') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def _walk(parser, found):
    """Every parser under ``parser`` (building each command's parser), depth first."""
    import argparse

    found.append(parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name in list(action.choices):
                _walk(action.choices[name], found)
    return found


def test_help__every_command__its_parser_builds_and_its_help_names_each_option():
    """Commands' parsers are built only when chosen (issue 16); each one still builds, from the group that
    lists it, and its own help names every one of its options."""
    import argparse

    from readiness.cli import _COMMANDS, build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    listed = [name for _build, names in _COMMANDS for name, _help in names]
    assert list(commands.choices) == listed and len(set(listed)) == len(listed)
    parsers = _walk(parser, [])
    assert len(parsers) > 70  # every command and subcommand (78 when this was written)
    assert all(commands.choices[name].prog == f"readiness {name}" for name in listed)
    for sub in parsers:
        text = sub.format_help()
        for action in sub._actions:
            if action.help == argparse.SUPPRESS:
                continue
            for option in action.option_strings:
                assert option in text, (sub.prog, option)
            if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                assert (action.metavar or action.dest) in text, (sub.prog, action.dest)


def test_help__every_option_of_every_command__described_in_vietnamese():
    """``readiness X --help`` says what each option and argument is for (a bare «--period YYYY-MM» is not a
    description): the command's own words, or the shared ones of --json, --period, --commune."""
    import argparse
    import unicodedata

    from readiness.cli import build_parser

    undescribed = []
    for sub in _walk(build_parser(), []):
        sub.format_help()
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
                continue
            if not (action.help or "").strip():
                undescribed.append(f"{sub.prog} {'/'.join(action.option_strings) or action.dest}")
            else:
                assert unicodedata.is_normalized("NFC", action.help), (sub.prog, action.help)
    assert undescribed == []
    report = build_parser()._subparsers._group_actions[0].choices["report"].format_help()  # type: ignore[union-attr]
    letters = "".join(report.split())  # as wide as the terminal: wrapped anywhere, at hyphens too
    assert "--periodYYYY-MMkỳbáocáo,năm-tháng(vídụ2025-11)" in letters
    assert "--jsoninkếtquảdạngJSON(chochươngtrìnhkhácđọc)" in letters


def test_help__a_group_adds_a_command_not_listed__fails_loudly():
    """A command added by a group's function but missing from the list would be unreachable: building the
    whole tree shows it (no command is added without being listed)."""
    import argparse

    from readiness.cli import _COMMANDS, build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in list(commands.choices):
        commands.choices[name]
    listed = {name for _build, names in _COMMANDS for name, _help in names}
    assert set(commands.choices) == listed  # nothing was added that --help does not list
    assert len(commands._choices_actions) == len(listed)  # and nothing is listed twice


def test_help__top_level__lists_every_command_builds_none(tmp_path):
    """``readiness --help``: every command with its one-line help, none of the command modules imported;
    ``readiness import --help`` shows that command's whole help; an unknown command is a usage error."""
    from readiness.cli import _COMMANDS

    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "desktop"), "READINESS_HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin", "COLUMNS": "200", "LANG": "C.UTF-8"}
    probe = ("import sys; from readiness.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
             "print('MODULES', ','.join(sorted(m for m in sys.modules if m.startswith('readiness.') and 'cli' in m)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    words = " ".join(done.stdout.split())
    for _build, names in _COMMANDS:
        for name, text in names:
            assert f" {name} {' '.join(text.split())} " in words, name
    assert done.stdout.splitlines()[-1] == "MODULES readiness.cli"  # no command's module was imported, no parser built

    done = subprocess.run([sys.executable, "-m", "readiness", "import", "--help"], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0 and done.stdout.startswith("cách dùng: readiness import [-h] [--json]")
    for option in ("--accept-edited", "--require-signature", "--jobs N", "--accept-unsigned-replacement MÃ_XÃ",
                   "--reason LÝ_DO", "tệp .xlsx hoặc thư mục (tìm cả thư mục con)"):
        assert option in done.stdout, option

    done = subprocess.run([sys.executable, "-m", "readiness", "imprt", "x"], capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "giá trị không hợp lệ: 'imprt'" in done.stderr and "'import'" in done.stderr
