"""Benchmark: fetching and importing 96 submissions from a real mail server, against a folder import of the
same 96 files in the same run.

A plain script (not a pytest test), run as root or with READINESS_TEST_MAIL_DIR set to a running server
(``.ci/mail``): ``python tests/benchmarks/bench_mailbox.py [--count 96] [--no-reply]``.

- *folder import*: :func:`readiness.department.importer.import_paths` of the 96 files into a fresh SQLite
  database (the baseline: what a staff member does after saving the attachments by hand);
- *mailbox*: the 96 files delivered as 96 messages (Dovecot's LMTP) to the department's mailbox, then
  :func:`readiness.department.mailbox.fetch` into another fresh database: search, download, save, import,
  a reply with the receipt PDF to each sender by SMTP submission, and the processed flag.

Prints both times, messages/second, and PASS/FAIL against the bar: the mailbox run (replies included) in at
most 3x the folder import plus 0.25 s a message (the receipts: build, PDF, SMTP).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "department"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))


def main() -> int:
    import mailserver
    from bench_import import cached_submissions

    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=96)
    parser.add_argument("--no-reply", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("READINESS_HOME", tempfile.mkdtemp(prefix="bench-mailbox-home-"))
    try:
        server = mailserver.start()
    except BaseException as error:  # pytest.skip outside pytest
        print(f"no mail server: {error}", file=sys.stderr)
        return 2
    folder = cached_submissions(args.count, Path(tempfile.gettempdir()) / "readiness-bench", None)
    files = sorted(folder.glob("*.xlsx"))[:args.count]
    from readiness.department.importer import import_paths
    from readiness.department.mail_settings import MailSettings, save_mail_settings
    from readiness.department.mailbox import fetch
    from readiness.service import Workspace

    work = Path(tempfile.mkdtemp(prefix="bench-mailbox-"))
    baseline_ws = Workspace.open(f"sqlite:///{work / 'folder.sqlite3'}")
    started = time.perf_counter()
    report = import_paths(baseline_ws, files)
    folder_seconds = time.perf_counter() - started
    baseline_ws.close()
    assert report.counts.get("imported") == len(files), report.counts

    mailserver.empty(server, mailserver.DEPARTMENT, mailserver.XA1)
    for path in files:
        message = EmailMessage()
        message["From"], message["To"] = mailserver.XA1, mailserver.DEPARTMENT
        message["Subject"], message["Message-ID"] = f"Kết quả {path.stem}", make_msgid(domain="readiness.test")
        message.set_content("Xã gửi kết quả tự đánh giá.")
        message.add_attachment(path.read_bytes(), maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=path.name)
        mailserver.deliver(server, message)
    workspace = Workspace.open(f"sqlite:///{work / 'mail.sqlite3'}")
    save_mail_settings(workspace.store, MailSettings(
        imap_host="127.0.0.1", imap_port=10993, user=mailserver.DEPARTMENT, smtp_host="127.0.0.1", smtp_port=10587,
        ca_file=str(server / "ca.pem"), password_env="BENCH_MAIL_PASSWORD", attachments_dir=str(work / "att")))
    os.environ["BENCH_MAIL_PASSWORD"] = mailserver.PASSWORD
    started = time.perf_counter()
    fetched = fetch(workspace, reply=not args.no_reply)
    mail_seconds = time.perf_counter() - started
    workspace.close()
    accepted = fetched.counts.get("accepted", 0)
    sent = sum(1 for m in fetched.messages if m.reply_status == "sent")
    bar = 3 * folder_seconds + 0.25 * len(files)
    print(f"{'':24} {'seconds':>8} {'per s':>8}")
    print(f"{'folder import':24} {folder_seconds:8.2f} {len(files) / folder_seconds:8.1f}")
    print(f"{'mailbox fetch+import':24} {mail_seconds:8.2f} {len(files) / mail_seconds:8.1f}   "
          f"accepted {accepted}/{len(files)}, replies sent {sent}")
    ok = accepted == len(files) and mail_seconds <= bar and (args.no_reply or sent == len(files))
    print(f"{'PASS' if ok else 'FAIL'}: mailbox {mail_seconds:.2f} s <= bar {bar:.2f} s "
          f"(3 x folder import + 0,25 s a message)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
