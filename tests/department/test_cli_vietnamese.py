"""The command line in Vietnamese (issue 17 §2, §5): numbers with a decimal comma, states and statuses
in words (no «submitted», «(finalized)», level or section ids), and a reader that stops early
(``| head -1``) ends the command quietly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from report_fixtures import PERIOD, TODAY, report_ws  # noqa: F401 - a fixture

ENGLISH_STATES = ("submitted", "resubmitted", "outdated", "missing", "finalized", "draft", "imported", "updated",
                  "duplicate", "rejected", "skipped", "forwarded", "answered", "resolved", "pass", "fail", "na",
                  "not_ready", "basic", "ready")
DECIMAL_POINT = re.compile(r"(?<![\w./:-])\d+\.\d{1,2}(?![\w.])")  # 72.3 — not 3.321, 3.1 (an item number: two digits)


def _problems(text: str, checklist) -> list[str]:
    found = []
    numbers = {checklist.number(item.id) for item in checklist.items()}
    for match in DECIMAL_POINT.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end())]
        after = text[match.end():match.end() + 2]
        if match.group() in numbers and len(after) == 2 and after[0] == " " and after[1].isupper():
            continue  # «3.1 Danh sách máy tính»: an item's number, not a decimal
        found.append(f"decimal point: {match.group()} in «{line.strip()}»")
    titles = " ".join(s.title.vi.lower() for s in checklist.sections)
    ids = [s.id for s in checklist.sections if s.id not in titles] + [level.id for level in checklist.levels]
    for word in (*ENGLISH_STATES, *ids):
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end())]
            found.append(f"«{word}» in «{line.strip()}»")
    return found


def test_every_text_command__vietnamese__decimal_commas_and_words(report_ws, capsys, tmp_path):
    from readiness.cli import main

    from readiness.department.status import period_status

    url = report_ws.store.url
    status = period_status(report_ws, PERIOD, today=TODAY)
    received = next(row for row in status.rows if row.score is not None)
    code = received.code
    commands = [
        ["status", "--period", PERIOD], ["status", "--period", PERIOD, "--detail"],
        ["dashboard", "--period", PERIOD], ["dashboard", "--period", PERIOD, "--commune", code],
        ["trend", "--from", "2025-10", "--to", PERIOD], ["petitions", "list", "--period", PERIOD],
        ["score", "--commune", code, "--period", PERIOD], ["history", "--commune", code],
        ["checklist", "show"], ["communes", "--search", "dak"],
    ]
    checklist = report_ws.latest_checklist()
    problems = []
    for command in commands:
        exit_code = main(["--db", url, *command])
        out = capsys.readouterr()
        assert exit_code == 0, (command, out.err)
        problems += [f"{' '.join(command)}: {p}" for p in _problems(out.out + out.err, checklist)]
    main(["--db", url, "score", "--commune", code, "--period", PERIOD])
    text = capsys.readouterr().out
    assert re.search(r"Điểm: \d+(,\d)?/100", text), text
    assert problems == [], "\n".join(problems)


def test_import__summary_line_in_vietnamese(report_ws, capsys, tmp_path):
    from readiness.cli import main

    assert main(["--db", report_ws.store.url, "demo", "--count", "2", "--period", "2025-10", "--out",
                 str(tmp_path / "demo"), "--seed", "5"]) == 0
    capsys.readouterr()
    main(["--db", report_ws.store.url, "import", str(tmp_path / "demo"), "--jobs", "0"])
    out = capsys.readouterr()
    summary = out.err.strip().splitlines()[-1]
    assert re.search(r"\((dưới 0,1 giây|\d+(,\d)? giây)(, \d+(,\d)? (tệp/giây|giây/tệp))?\)", summary), summary
    assert "kỳ 10/2025" in out.out and "kỳ 2025-10" not in out.out


def test_reader_stops_early__json_piped_to_head__ends_quietly(tmp_path):
    env = {**os.environ, "READINESS_HOME": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "desktop")}
    for command in (["communes", "--json", "--province", "all"], ["communes", "--province", "all"], ["--help"]):
        process = subprocess.Popen([sys.executable, "-m", "readiness", *command], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env)
        assert process.stdout is not None and process.stdout.readline()
        process.stdout.close()  # `| head -1`: the reader leaves
        _out, err = process.communicate(timeout=120)
        assert b"Traceback" not in err and b"BrokenPipe" not in err, (command, err.decode()[-500:])
        assert process.returncode == 0, (command, process.returncode)


def test_status_and_dashboard_tables__every_score_with_its_decimal(report_ws, capsys):
    """A column of scores reads «80,0» beside «72,3» (a bare «80» there reads as another kind of number)."""
    from readiness.cli import main

    url = report_ws.store.url
    assert main(["--db", url, "status", "--period", PERIOD, "--detail"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if re.match(r"\d{5}  ", line) and "|" in line]
    assert rows
    for line in rows:
        columns = line.split("|")[1].split()
        assert all(re.fullmatch(r"\d{1,3},\d|—", cell) for cell in columns), line
    assert main(["--db", url, "dashboard", "--period", PERIOD]) == 0
    table = capsys.readouterr().out.split("Bảng điểm", 1)[1].splitlines()[1:]
    assert table
    for line in table:
        cells = re.findall(r"(?<!\S)(\d{1,3}(?:,\d)?|—)(?!\S)", line.split(maxsplit=1)[1])
        assert cells and all(re.fullmatch(r"\d{1,3},\d|—", cell) for cell in cells), line
