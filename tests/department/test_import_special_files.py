"""Only regular files are read; nothing hangs; nothing is dropped silently.

A named pipe, a socket or a device named on the command line is refused at once with a coded message;
in a folder, each such entry and each broken, looping or escaping link is listed as skipped with its
reason (CLI, JSON).  The CLI runs in a subprocess with a timeout: before the fix it waited for ever on
the pipe.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.department.importer import import_paths

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and symlinks as on Linux")
IMPORT_TIMEOUT = 60


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readiness", "--db", db_url, "import", *args, "--json"],
                          capture_output=True, text=True, timeout=IMPORT_TIMEOUT, encoding="utf-8")


@pytest.mark.parametrize("jobs", ["0", "1"])
def test_cli_import__named_pipe_on_the_command_line__refused_at_once(tmp_path, db_url, jobs):
    pipe = tmp_path / "23500_2025-11.xlsx"
    os.mkfifo(pipe)
    done = _cli(db_url, str(pipe), "--jobs", jobs)  # raises TimeoutExpired if it waits on the pipe
    assert done.returncode == 1, done.stderr
    (line,) = [json.loads(text) for text in done.stdout.splitlines()]
    assert line["status"] == "rejected" and line["file"] == str(pipe)
    assert line["errors"][0]["code"] == "E-IMPORT-NOT-REGULAR"
    assert "ống dẫn có tên (FIFO)" in line["errors"][0]["message"]


def test_cli_import__device_and_socket_named__refused_with_what_they_are(tmp_path, db_url):
    sock = tmp_path / "s.xlsx"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    try:
        done = _cli(db_url, "/dev/zero", str(sock), "--jobs", "0")
    finally:
        server.close()
    assert done.returncode == 1
    lines = {line["file"]: line for line in map(json.loads, done.stdout.splitlines())}
    assert lines["/dev/zero"]["errors"][0]["code"] == "E-IMPORT-NOT-REGULAR"
    assert "thiết bị" in lines["/dev/zero"]["errors"][0]["message"]
    assert "socket" in lines[str(sock)]["errors"][0]["message"].lower()


def test_import__folder_with_special_entries__every_one_listed_as_skipped_with_its_reason(dept, submissions, tmp_path):
    inbox = tmp_path / "inbox"
    good = submissions.write("23500", folder=inbox, name="23500_2025-11.xlsx")
    (inbox / "sub").mkdir()
    os.mkfifo(inbox / "pipe.xlsx")
    (inbox / "zero.xlsx").symlink_to("/dev/zero")
    (inbox / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    (inbox / "loop1.xlsx").symlink_to(inbox / "loop2.xlsx")
    (inbox / "loop2.xlsx").symlink_to(inbox / "loop1.xlsx")
    outside = submissions.write("21034", folder=tmp_path / "elsewhere", name="21034.xlsx")
    (inbox / "outside.xlsx").symlink_to(outside)
    (inbox / "sub" / "again.xlsx").symlink_to(good)  # the same file twice: once is enough, and it says so
    (inbox / "parent").symlink_to(tmp_path)  # a folder link out of the inbox (and a loop back into it)
    (inbox / "sub" / "here").symlink_to(inbox / "sub")  # a folder link that loops
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inbox / "sock.xlsx"))
    try:
        report = import_paths(dept, [inbox], jobs=0)
    finally:
        server.close()

    by_name = {Path(r.file).name: (r.status, r.errors[0].code if r.errors else None) for r in report.results}
    assert by_name == {
        "23500_2025-11.xlsx": ("imported", None),
        "pipe.xlsx": ("skipped", "E-IMPORT-NOT-REGULAR"),
        "sock.xlsx": ("skipped", "E-IMPORT-NOT-REGULAR"),
        "zero.xlsx": ("skipped", "E-IMPORT-LINK"),
        "dangling.xlsx": ("skipped", "E-IMPORT-LINK"),
        "loop1.xlsx": ("skipped", "E-IMPORT-LINK"),
        "loop2.xlsx": ("skipped", "E-IMPORT-LINK"),
        "outside.xlsx": ("skipped", "E-IMPORT-LINK"),
        "again.xlsx": ("skipped", "E-IMPORT-SKIPPED"),
        "parent": ("skipped", "E-IMPORT-LINK"),
        "here": ("skipped", "E-IMPORT-LINK"),
    }
    reasons = {Path(r.file).name: r.errors[0].message for r in report.results if r.errors}
    assert "hỏng" in reasons["dangling.xlsx"] and "gone.xlsx" in reasons["dangling.xlsx"]
    assert "vòng" in reasons["loop1.xlsx"]
    assert "ngoài thư mục đã chọn" in reasons["outside.xlsx"] and "thiết bị" in reasons["zero.xlsx"]
    assert "Cùng một tệp" in reasons["again.xlsx"] and "không đi theo" in reasons["here"]
    assert all("bỏ qua" in message for message in reasons.values())
    assert report.exit_code == 0  # skipped entries do not fail the run; nothing was read from them


def test_cli_import__folder_with_special_entries__listed_in_the_json_and_the_summary(tmp_path, db_url, submissions):
    inbox = tmp_path / "inbox"
    submissions.write("23500", folder=inbox)
    os.mkfifo(inbox / "pipe.xlsx")
    (inbox / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    done = _cli(db_url, str(inbox))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(text) for text in done.stdout.splitlines()]
    assert sorted((Path(line["file"]).name, line["status"]) for line in lines) == [
        ("23500_2025-11_r1_finalized_1.xlsx", "imported"), ("dangling.xlsx", "skipped"), ("pipe.xlsx", "skipped")]
    text = subprocess.run([sys.executable, "-m", "readiness", "--db", db_url, "import", str(inbox)],
                          capture_output=True, text=True, timeout=IMPORT_TIMEOUT, encoding="utf-8")
    assert "Bỏ qua: " + str(inbox / "pipe.xlsx") in text.stdout
    assert "E-IMPORT-LINK: Liên kết (symlink) hỏng" in text.stdout
    assert "3 tệp: 1 trùng (đã có), 2 bỏ qua" in text.stderr


def test_open_regular__a_file_swapped_for_a_pipe_after_the_check__refused_on_the_open_handle(tmp_path, monkeypatch):
    """The stat said "regular file"; what was opened is a pipe: refused at once (non-blocking open, then fstat)."""
    from readiness import filetypes

    pipe = tmp_path / "swapped.xlsx"
    os.mkfifo(pipe)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(filetypes.os, "stat", lambda path, *a, **k: regular if Path(path) == pipe else real_stat(path))
    with pytest.raises(filetypes.NotRegularFile) as refused:
        filetypes.read_regular(pipe)
    assert refused.value.kind == "fifo"


def test_reader__named_pipe__refused_without_waiting(tmp_path):
    """Every command that reads a workbook (sign, verify, import) goes through the reader's check."""
    from readiness.exchange import read_submission
    from readiness.exchange.errors import ExchangeError

    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    with pytest.raises(ExchangeError) as refused:
        read_submission(pipe)
    assert refused.value.code == "E-XLSX-FILE" and "FIFO" in refused.value.message
