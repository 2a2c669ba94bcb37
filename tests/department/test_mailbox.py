"""The official mailbox against a real mail server (issue 18): real messages delivered through Dovecot's
LMTP, ``inbox fetch`` end to end, the department's database read back, and the replies read from the
communes' own mailboxes."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

# One mail server, one set of mailboxes: `make test` runs these after the parallel run, in one process.
pytestmark = pytest.mark.mailserver

from mailserver import DEPARTMENT, FULL, OTHER, PASSWORD, XA1, XA2, deliver, empty, messages, start

PERIOD = "2025-11"
PASSWORD_ENV = "READINESS_TEST_MAIL_PASSWORD"


@pytest.fixture(scope="module")
def server():
    return start()


@pytest.fixture(params=["sqlite", "postgresql"])
def mail(request, server, monkeypatch, tmp_path):
    """A department workspace set up to read so@readiness.test, on SQLite and on PostgreSQL (a fresh database;
    skipped without READINESS_TEST_PG_URL); every test mailbox emptied first."""
    from readiness.department.mail_settings import MailSettings, save_mail_settings
    from readiness.service import Workspace

    url = request.getfixturevalue("sqlite_copy")("dept") if request.param == "sqlite" else \
        request.getfixturevalue("pg_fresh_url")
    empty(server, DEPARTMENT, XA1, XA2, OTHER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "home"))
    workspace = Workspace.open(url)
    settings = MailSettings(imap_host="127.0.0.1", imap_port=10993, imap_security="ssl", user=DEPARTMENT,
                            smtp_host="127.0.0.1", smtp_port=10587, smtp_security="starttls",
                            ca_file=str(server / "ca.pem"), password_env=PASSWORD_ENV,
                            attachments_dir=str(tmp_path / "attachments"))
    save_mail_settings(workspace.store, settings)
    workspace.server = server
    workspace.db_url = url
    yield workspace
    workspace.close()


def submission_mail(sender: str, files: list[tuple[str, bytes]], subject: str = "Gửi kết quả tự đánh giá",
                    message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Văn phòng UBND xã <{sender}>"
    message["To"] = DEPARTMENT
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="readiness.test")
    message.set_content("Kính gửi Sở KHCN, xã gửi kết quả tự đánh giá kỳ 11/2025.")
    for name, data in files:
        message.add_attachment(data, maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return message


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def replies(server: Path, user: str) -> list[EmailMessage]:
    return [parsed(raw) for raw, _flags in messages(server, user)]


def body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_fetch__real_messages__imported_once_and_answered_once(mail, submissions, tmp_path):
    from readiness.department.contacts import set_contact
    from readiness.department.mailbox import fetch
    from readiness.department.receipt import facts_of
    from readiness.store.mailbox import mail_messages

    server = mail.server
    good = submissions.write("23500")
    other = submissions.write("21034")
    set_contact(mail, "21034", {"email": XA2, "name": "Nguyễn Văn B"})
    hostile = b"<html><body>not a workbook</body></html>"
    first = make_msgid(domain="readiness.test")
    deliver(server, submission_mail(XA1, [("../../../etc/23500_ket-qua.xlsx", good.read_bytes())], message_id=first))
    deliver(server, submission_mail(XA2, [("ket-qua.xlsx", hostile)], subject="Kết quả xã 2"))
    no_file = EmailMessage()
    no_file["From"], no_file["To"], no_file["Subject"] = XA1, DEPARTMENT, "Hỏi về hạn nộp"
    no_file["Message-ID"] = make_msgid(domain="readiness.test")
    no_file.set_content("Xin hỏi hạn nộp kỳ này?")
    deliver(server, no_file)
    deliver(server, submission_mail(XA1, [("23500.xlsx", good.read_bytes())], subject="Gửi lại"))  # the same file again
    deliver(server, submission_mail(OTHER, [("21034.xlsx", other.read_bytes())], subject="Kết quả"))

    report = fetch(mail, jobs=1)
    assert not report.cancelled and report.notes == []
    by_subject = {m.subject: m for m in report.messages}
    assert by_subject["Gửi kết quả tự đánh giá"].outcome == "accepted"
    assert by_subject["Gửi kết quả tự đánh giá"].files[0]["status"] == "imported"
    assert by_subject["Kết quả xã 2"].outcome == "refused"
    assert by_subject["Kết quả xã 2"].files[0]["errors"][0]["code"] == "E-IMPORT-TEXT"
    assert by_subject["Hỏi về hạn nộp"].outcome == "none" and by_subject["Hỏi về hạn nộp"].reply_status == "none"
    assert by_subject["Gửi lại"].files[0]["status"] == "duplicate" and by_subject["Gửi lại"].outcome == "accepted"
    unexpected = by_subject["Kết quả"]
    assert unexpected.outcome == "accepted" and unexpected.sender_known is False
    assert XA2 in unexpected.note and OTHER in unexpected.note
    assert all(m.reply_status == "sent" for m in report.messages if m.outcome != "none")
    # the attachment kept under our own name, inside the attachments folder
    saved = Path(by_subject["Gửi kết quả tự đánh giá"].files[0]["saved_as"])
    assert saved.is_relative_to(tmp_path / "attachments") and saved.name == "01_23500-ket-qua.xlsx"
    assert not (tmp_path / "etc").exists()
    # the database: one assessment per commune
    assert mail.store.current_assessment("23500", PERIOD).revision == 1
    assert mail.store.current_assessment("21034", PERIOD) is not None
    # the receipts in the commune's mailbox
    xa1 = replies(server, XA1)
    assert len(xa1) == 2
    receipt = next(m for m in xa1 if m["In-Reply-To"] == first)
    assert receipt["Subject"] == "Đã nhận kết quả tự đánh giá kỳ 11/2025"
    text = body(receipt)
    assert "Xã Đăk Hà" in text and "lần gửi 1" in text and "Mã SHA-256 của tệp: " + \
        __import__("hashlib").sha256(good.read_bytes()).hexdigest() in text
    pdfs = [part for part in receipt.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    facts = facts_of(Path("giay.pdf"), pdfs[0].get_content())
    assert facts[0].commune_code == "23500" and facts[0].file_sha256 == by_subject["Gửi kết quả tự đánh giá"].files[0]["sha256"]
    # the refusal: the reason and what to do, in Vietnamese
    xa2 = replies(server, XA2)
    assert len(xa2) == 1
    refusal = body(xa2[0])
    assert xa2[0]["Subject"].startswith("Chưa tiếp nhận được") and "Tệp «ket-qua.xlsx»" in refusal
    assert "Cách xử lý: Đề nghị xã xuất lại tệp từ phần mềm." in refusal
    assert refusal.count("Đề nghị xã xuất lại tệp từ phần mềm.") == 1  # said once
    assert "» nhưng" in refusal and "»  " not in refusal and "» :" not in body(receipt)
    assert len(replies(server, OTHER)) == 1  # the reply goes to who sent it
    # processed messages flagged; the one without attachment left alone
    flags = {parsed(raw)["Subject"]: f for raw, f in messages(server, DEPARTMENT)}
    assert "$ReadinessDone" in flags["Gửi kết quả tự đánh giá"] and "\\Answered" in flags["Gửi kết quả tự đánh giá"]
    assert "$ReadinessDone" not in flags["Hỏi về hạn nộp"] and "\\Seen" not in flags["Hỏi về hạn nộp"]
    assert len(messages(server, DEPARTMENT, "Sent")) == 4  # a copy of each reply
    # a second run: nothing imported again, nothing answered again
    again = fetch(mail, jobs=1)
    assert [m.subject for m in again.messages] == ["Hỏi về hạn nộp"] and again.messages[0].seen_before
    assert len(replies(server, XA1)) == 2 and len(replies(server, XA2)) == 1
    assert len(mail_messages(mail.store)) == 5


def test_fetch__message_over_the_limit__not_downloaded__refused_by_reply(mail, submissions):
    from readiness.department.mail_settings import changed, load_mail_settings, save_mail_settings
    from readiness.department.mailbox import fetch

    save_mail_settings(mail.store, changed(load_mail_settings(mail.store), max_message_mb=1))
    deliver(mail.server, submission_mail(XA1, [("lon.xlsx", os.urandom(1_600_000))], subject="Tệp lớn"))
    report = fetch(mail, jobs=1)
    [message] = report.messages
    assert message.state == "too_large" and message.outcome == "refused" and message.files == []
    [reply] = replies(mail.server, XA1)
    assert "lớn hơn giới hạn 1 MB" in body(reply)
    assert not any(Path(mail.store.settings("mail.")["mail.attachments_dir"]).rglob("*"))


def test_fetch__move_to_a_folder(mail, submissions):
    from readiness.department.mail_settings import changed, load_mail_settings, save_mail_settings
    from readiness.department.mailbox import fetch

    save_mail_settings(mail.store, changed(load_mail_settings(mail.store), processed="move",
                                           processed_folder="Đã xử lý"))
    deliver(mail.server, submission_mail(XA1, [("a.xlsx", submissions.write("23500").read_bytes())]))
    fetch(mail, jobs=1)
    assert messages(mail.server, DEPARTMENT) == []
    from readiness.department.mail_transport import imap_utf7

    assert len(messages(mail.server, DEPARTMENT, imap_utf7("Đã xử lý"))) == 1


def _run(mail, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readiness", "--db", mail.db_url, *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def test_fetch__killed_midway__rerun__each_message_imported_and_answered_once(mail, submissions):
    """A real process killed (SIGKILL) while it works through 12 messages, then run again."""
    from readiness.store.mailbox import mail_messages

    codes = ["23500", "21034", "23377", "21025", "21499", "23302"]
    for code in codes:
        sender = XA1 if code in ("23500", "21034", "23377") else XA2
        deliver(mail.server, submission_mail(sender, [(f"{code}.xlsx", submissions.write(code).read_bytes())],
                                             subject=f"Kết quả {code}"))
        deliver(mail.server, submission_mail(sender, [(f"{code}-b.xlsx", b"PK\x03\x04 broken")],
                                             subject=f"Tệp hỏng {code}"))
    process = subprocess.Popen([sys.executable, "-m", "readiness", "--db", mail.db_url, "inbox", "fetch", "--jobs", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if len(mail_messages(mail.store)) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(mail_messages(mail.store))
    assert done_before < 12, "the run finished before it could be killed"
    rerun = _run(mail, "inbox", "fetch", "--jobs", "1", "--json")
    assert rerun.returncode in (0, 1), rerun.stderr
    records = mail_messages(mail.store)
    assert len(records) == 12 and all(r.reply_status == "sent" and r.mailbox_done for r in records)
    for code in codes:
        assert mail.store.current_assessment(code, PERIOD).revision == 1
    received = replies(mail.server, XA1) + replies(mail.server, XA2)
    answered = [m["In-Reply-To"] for m in received]
    assert len(answered) == 12 and len(set(answered)) == 12  # each message answered exactly once
    assert {r.message_id for r in records} == set(answered)
    again = _run(mail, "inbox", "fetch", "--jobs", "1")
    assert "không có thư mới" in again.stdout
    assert len(replies(mail.server, XA1) + replies(mail.server, XA2)) == 12


# -- faults ---------------------------------------------------------------------------------------------


class _Died(BaseException):
    """The program dying at a given point (nothing below it runs, no handler catches it)."""


def test_fetch__dies_while_keeping_the_sent_copy__rerun__the_reply_not_sent_twice(mail, submissions, monkeypatch):
    """The server has taken the reply; the program dies while it appends the copy to «Sent»: the next fetch must
    not answer the commune again (the reply is recorded as sent before the copy's round trips)."""
    import readiness.department.mailbox as mailbox
    from readiness.department.mailbox import fetch
    from readiness.store.mailbox import mail_messages

    deliver(mail.server, submission_mail(XA1, [("23500.xlsx", submissions.write("23500").read_bytes())]))

    def die(self, data):
        raise _Died

    with monkeypatch.context() as patched, pytest.raises(_Died):
        patched.setattr(mailbox._Run, "keep_copy", die)
        fetch(mail, jobs=1)
    [record] = mail_messages(mail.store)
    assert record.reply_status == "sent"
    fetch(mail, jobs=1)
    fetch(mail, jobs=1)
    assert len(replies(mail.server, XA1)) == 1
    assert mail.store.current_assessment("23500", PERIOD).revision == 1


def _settings(mail, **values):
    from readiness.department.mail_settings import changed, load_mail_settings

    return changed(load_mail_settings(mail.store), **values)


def test_fetch__server_down__clear_message(mail):
    from readiness.department.mailbox import fetch
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as raised:
        fetch(mail, settings=_settings(mail, imap_port=10999))
    assert raised.value.code == "E-MAIL-CONNECT"
    assert "Không kết nối được máy chủ IMAP 127.0.0.1:10999" in raised.value.message
    assert "máy chủ từ chối kết nối" in raised.value.message


def test_fetch__wrong_password__login_refused(mail):
    from readiness.department.mailbox import fetch
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as raised:
        fetch(mail, password="sai-mat-khau")
    assert raised.value.code == "E-MAIL-LOGIN" and "từ chối đăng nhập tài khoản so@readiness.test" in raised.value.message


def test_fetch__certificate_not_trusted__tls_refused_before_the_password(mail):
    from readiness.department.mailbox import fetch
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as raised:
        fetch(mail, settings=_settings(mail, ca_file=""))  # the system's CAs do not know the test certificate
    assert raised.value.code == "E-MAIL-TLS" and "--ca-file" in raised.value.message
    with pytest.raises(StoreError) as raised:  # STARTTLS on 143 is verified the same way
        fetch(mail, settings=_settings(mail, ca_file="", imap_port=10143, imap_security="starttls"))
    assert raised.value.code == "E-MAIL-TLS"


def test_cli__wrong_password__vietnamese_message_exit_1(mail):
    done = _run(mail, "inbox", "fetch", env={PASSWORD_ENV: "sai"})
    assert done.returncode == 1 and "từ chối đăng nhập" in done.stderr


def test_fetch__reply_refused__mailbox_full__kept_to_send__never_twice(mail, submissions):
    from readiness.department.mailbox import fetch
    from readiness.store.mailbox import mail_messages

    deliver(mail.server, submission_mail(FULL, [("a.xlsx", submissions.write("23500").read_bytes())]))
    report = fetch(mail, jobs=1)
    [message] = report.messages
    assert message.outcome == "accepted" and message.reply_status == "failed"
    assert "552" in message.reply_error and "hộp thư người nhận đã đầy" in message.reply_error
    assert report.exit_code == 1
    again = fetch(mail, jobs=1)  # tried again, refused again; imported once
    assert again.messages == [] and [r.reply_status for r in again.replies] == ["failed"]
    assert len(mail_messages(mail.store)) == 1 and mail.store.current_assessment("23500", PERIOD).revision == 1


def test_fetch__reply_refused_three_runs__given_up__listed_to_send_by_hand__retry_tries_again(mail, submissions,
                                                                                               capsys):
    from readiness.cli import main
    from readiness.department.mailbox import MAX_REPLY_ATTEMPTS, fetch
    from readiness.store.mailbox import mail_messages

    deliver(mail.server, submission_mail(FULL, [("a.xlsx", submissions.write("23500").read_bytes())]))
    statuses = [fetch(mail, jobs=1)]
    statuses += [fetch(mail, jobs=1) for _ in range(MAX_REPLY_ATTEMPTS - 1)]
    assert [r.reply_status for r in statuses[-1].replies] == ["manual"]
    [record] = mail_messages(mail.store)
    assert record.reply_status == "manual" and record.reply_attempts == MAX_REPLY_ATTEMPTS
    assert "cần gửi lại bằng tay" in record.reply_error and "552" in record.reply_error
    after = fetch(mail, jobs=1)  # given up: not tried again, and still not all right
    assert after.replies == [] and after.messages == [] and mail_messages(mail.store)[0].reply_attempts == 3
    capsys.readouterr()
    assert main(["--db", mail.db_url, "inbox", "list", "--to-resend"]) == 0
    listed = capsys.readouterr().out
    assert f"#{record.id}" in listed and "cần gửi lại bằng tay" in listed
    assert main(["--db", mail.db_url, "inbox", "retry", str(record.id)]) == 0
    assert "sẽ được gửi ở lần nhận thư sau" in capsys.readouterr().out
    again = fetch(mail, jobs=1)
    assert [r.reply_status for r in again.replies] == ["failed"]
    assert mail_messages(mail.store)[0].reply_attempts == 1
    assert main(["--db", mail.db_url, "inbox", "retry", "999"]) == 1
    assert "Không có thư số 999" in capsys.readouterr().err
    assert mail.store.current_assessment("23500", PERIOD).revision == 1  # imported once through it all


# -- contacts, reminders, credentials -------------------------------------------------------------------


def test_contacts_cli__set_list_refuse_bad_address(mail, capsys):
    from readiness.cli import main

    url = mail.db_url
    assert main(["--db", url, "contacts", "set", "23500", "--name", "Trần Thị C", "--email", XA1,
                 "--phone", "0255 3822 111"]) == 0
    assert main(["--db", url, "contacts", "set", "23500", "--email", "khong-phai-dia-chi"]) == 1
    assert "không hợp lệ" in capsys.readouterr().err
    assert main(["--db", url, "contacts", "list", "--commune", "23500"]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị C" in out and XA1 in out and "sở nhập" in out


def test_remind_send__the_letter_by_mail_to_each_commune(mail, submissions, capsys, tmp_path):
    from readiness.cli import main
    from readiness.department.contacts import set_contact
    from readiness.store.mailbox import reminder_mails

    set_contact(mail, "23500", {"email": XA1})
    set_contact(mail, "21034", {"email": XA2})
    code = main(["--db", mail.db_url, "remind", "--period", PERIOD, "--commune", "23500", "--commune", "21034",
                 "--commune", "23377", "--send"])
    out = capsys.readouterr().out
    assert "Đã gửi thư điện tử tới 2/3 đơn vị." in out and "Chưa có địa chỉ thư điện tử" in out
    assert code == 1
    [(raw, _flags)] = messages(mail.server, XA1)
    letter = parsed(raw)
    expected = "Đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ 11/2025"
    assert letter["Subject"] == expected
    # as a mail program following RFC 2047 reads the raw header: every space kept («tự đánh giá», not «đánhgiá»)
    from email.header import decode_header, make_header

    header = raw.split(b"\r\n\r\n" if b"\r\n\r\n" in raw else b"\n\n", 1)[0].decode()
    raw_subject = next(line for line in header.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ")
                       .splitlines() if line.startswith("Subject:"))
    assert str(make_header(decode_header(raw_subject[len("Subject:"):]))) == expected
    raw_from = next(line for line in header.replace("\r\n", "\n").replace("\n ", " ").splitlines()
                    if line.startswith("From:"))
    assert str(make_header(decode_header(raw_from[len("From:"):]))).startswith("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi")
    assert "UBND xã Đăk Hà" in body(letter)
    assert [p.get_content_type() for p in letter.iter_attachments()] == ["application/pdf"]
    assert sorted((r.commune_code, r.status) for r in reminder_mails(mail.store, PERIOD)) == [("21034", "sent"),
                                                                                              ("23500", "sent")]


def test_password__keyring_or_environment__never_in_the_database(mail, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    from readiness.department.mail_settings import (load_mail_settings, mail_password, save_mail_settings,
                                                    store_password)
    from readiness.store.db import StoreError

    class Memory(KeyringBackend):
        priority = 1
        kept: dict = {}

        def get_password(self, service, username):
            return self.kept.get((service, username))

        def set_password(self, service, username, password):
            self.kept[(service, username)] = password

        def delete_password(self, service, username):
            self.kept.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        settings = _settings(mail, password_env="")
        save_mail_settings(mail.store, settings)
        with pytest.raises(StoreError) as raised:
            mail_password(settings)
        assert raised.value.code == "E-MAIL-PASSWORD"
        store_password(settings, "bi-mat-123")
        assert mail_password(load_mail_settings(mail.store)) == "bi-mat-123"
        assert "bi-mat-123" not in str(mail.store.settings(""))
        if mail.db_url.startswith("sqlite:///"):  # the file itself; on PostgreSQL the settings above are all there is
            assert "bi-mat-123".encode() not in Path(mail.db_url.removeprefix("sqlite:///")).read_bytes()
    finally:
        keyring.set_keyring(previous)
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(StoreError) as raised:
        mail_password(_settings(mail, password_env=PASSWORD_ENV))
    assert raised.value.code == "E-MAIL-PASSWORD" and PASSWORD_ENV in raised.value.message
