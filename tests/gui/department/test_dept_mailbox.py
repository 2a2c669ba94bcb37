"""The official mailbox in the department's window, against the real mail server (``.ci/mail``):
«Nhận từ hộp thư công vụ» off the UI thread with progress and «Dừng», each message's outcome in the
table (sender, commune, files, import result, reply), the settings dialog with «Kiểm tra kết nối»,
the communes' contacts edited in the window and a sender unknown for its commune marked."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from dept_gui_helpers import export_submission
from gui_helpers import wait_for_worker
from mailserver import DEPARTMENT, FULL, OTHER, PASSWORD, XA1, XA2, deliver, empty, messages, start

pytestmark = [pytest.mark.gui, pytest.mark.mailserver]  # one mail server: run in one process (make test)

PERIOD = "2025-11"
PASSWORD_ENV = "READINESS_TEST_MAIL_PASSWORD"


@pytest.fixture(scope="module")
def server():
    return start()


@pytest.fixture
def workspace(server, db_url, monkeypatch, tmp_path):
    """A department workspace whose mailbox is so@readiness.test (password in an environment variable)."""
    from readiness.department.mail_settings import MailSettings, save_mail_settings
    from readiness.service import Workspace

    empty(server, DEPARTMENT, XA1, XA2, OTHER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "home"))
    opened = Workspace.open(db_url)
    save_mail_settings(opened.store, MailSettings(
        imap_host="127.0.0.1", imap_port=10993, imap_security="ssl", user=DEPARTMENT, smtp_host="127.0.0.1",
        smtp_port=10587, smtp_security="starttls", ca_file=str(server / "ca.pem"), password_env=PASSWORD_ENV,
        attachments_dir=str(tmp_path / "attachments")))
    yield opened
    opened.close()


def submission_mail(sender: str, files: list[tuple[str, bytes]], subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Văn phòng UBND xã <{sender}>"
    message["To"] = DEPARTMENT
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="readiness.test")
    message.set_content("Kính gửi Sở KHCN, xã gửi kết quả tự đánh giá.")
    for name, data in files:
        message.add_attachment(data, maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return message


def open_mailbox(qtbot, window):
    dialog = window.open_mailbox()
    dialog.jobs = 0
    wait_for_worker(qtbot, window.worker, lambda: dialog.configured is not None, timeout=30_000)
    return dialog


def fetch(qtbot, dialog):
    with qtbot.waitSignal(dialog.fetched, timeout=180_000) as blocker:
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def table_text(dialog) -> dict[str, list[str]]:
    """Subject -> the row's shown cells."""
    model = dialog.proxy
    out = {}
    for row in range(model.rowCount()):
        cells = [model.index(row, column).data() or "" for column in range(model.columnCount())]
        out[cells[0]] = cells
    return out


def test_mailbox_dialog__fetch__each_message_shown_with_sender_commune_files_result_reply(
        qtbot, tmp_path, workspace, dept_window, server):
    from readiness.department.contacts import set_contact

    good = export_submission(tmp_path / "x", "23500")
    other = export_submission(tmp_path / "x", "21034")
    set_contact(workspace, "21034", {"email": XA2})
    set_contact(workspace, "23500", {"email": XA1})
    deliver(server, submission_mail(XA1, [("23500_ket-qua.xlsx", good.read_bytes())], "Kết quả xã Đăk Hà"))
    deliver(server, submission_mail(XA2, [("ket-qua.xlsx", b"<html>not a workbook</html>")], "Kết quả lỗi"))
    deliver(server, submission_mail(OTHER, [("21034.xlsx", other.read_bytes())], "Kết quả từ địa chỉ lạ"))
    window = dept_window(workspace, load=False)
    assert window.act_mailbox.text() == "Nhận từ hộp thư công vụ…"
    assert window.act_mailbox in window.toolbar.actions() and window.act_mailbox in window.file_menu.actions()
    dialog = open_mailbox(qtbot, window)
    assert DEPARTMENT in dialog.account.text()
    progress_seen = []
    dialog.progress.valueChanged.connect(lambda value: progress_seen.append((value, dialog.progress.maximum())))
    report = fetch(qtbot, dialog)
    assert not report.cancelled and len(report.messages) == 3
    rows = table_text(dialog)
    good_row = rows["Kết quả xã Đăk Hà"]
    assert good_row[1] == XA1 and good_row[2] == "Xã Đăk Hà (23500), kỳ 11/2025"
    assert good_row[3] == "23500_ket-qua.xlsx: Đã nhập" and good_row[4] == "Đã tiếp nhận" and good_row[5] == "Đã gửi"
    bad_row = rows["Kết quả lỗi"]
    assert bad_row[3] == "ket-qua.xlsx: Từ chối" and bad_row[4] == "Bị từ chối" and bad_row[5] == "Đã gửi"
    strange = rows["Kết quả từ địa chỉ lạ"]
    assert strange[1] == f"{OTHER} — người gửi lạ" and strange[4] == "Đã tiếp nhận"
    assert "1 thư từ người gửi lạ" in dialog.summary.text() and "3 thư mới" in dialog.summary.text()
    assert dialog.progress.format() == "3/3 thư — xong"
    assert (3, 3) in progress_seen
    # the details of the refused one: the code and what to do, in Vietnamese
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.index(row, 0).data() == "Kết quả lỗi":
            dialog.table.selectRow(row)
    details = dialog.details.toPlainText()
    assert "E-IMPORT-TEXT" in details and "Cách xử lý:" in details and "Thư trả lời: Đã gửi" in details
    # the database and the communes' mailboxes
    assert workspace.store.current_assessment("23500", PERIOD).revision == 1
    assert len(messages(server, XA1)) == 1 and len(messages(server, XA2)) == 1
    # a second fetch: nothing new, nothing answered twice; every message still listed under «Mọi thư đã nhận»
    again = fetch(qtbot, dialog)
    assert again.messages == [] and dialog.progress.format() == "Không có thư mới"
    assert "Không có thư mới" in dialog.summary.text()
    with qtbot.waitSignal(dialog.model.modelReset, timeout=30_000):
        dialog.view.setCurrentIndex(dialog.view.findData("all"))
    assert set(table_text(dialog)) == {"Kết quả xã Đăk Hà", "Kết quả lỗi", "Kết quả từ địa chỉ lạ"}
    assert len(messages(server, XA1)) == 1


def test_mailbox_dialog__stop__what_is_done_kept__next_fetch_takes_the_rest(qtbot, tmp_path, workspace, dept_window,
                                                                            server):
    files = [export_submission(tmp_path / "x", code) for code in ("23500", "21034")]
    for index, path in enumerate(files):
        deliver(server, submission_mail(XA1, [(path.name, path.read_bytes())], f"Thư {index + 1}"))
    window = dept_window(workspace, load=False)
    dialog = open_mailbox(qtbot, window)
    with qtbot.waitSignal(dialog.fetched, timeout=180_000) as blocker:
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled() and not dialog.fetch_button.isEnabled()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # before the first message is read
        assert dialog.cancel_button.text() == "Đang dừng…"
    stopped = blocker.args[0]
    assert stopped.cancelled and stopped.not_done == 2
    assert "Đã dừng: còn 2 thư, lần nhận sau làm tiếp." in dialog.summary.text()
    assert dialog.fetch_button.isEnabled() and dialog.cancel_button.text() == "Dừng"
    rest = fetch(qtbot, dialog)
    assert not rest.cancelled and sorted(m.subject for m in rest.messages) == ["Thư 1", "Thư 2"]
    assert all(m.outcome == "accepted" and m.reply_status == "sent" for m in rest.messages)
    assert len(messages(server, XA1)) == 2


def test_mailbox_dialog__reply_refused_three_times__to_send_by_hand__retry(qtbot, tmp_path, workspace, dept_window,
                                                                          server):
    good = export_submission(tmp_path / "x", "23500")
    deliver(server, submission_mail(FULL, [(good.name, good.read_bytes())], "Hộp thư đầy"))
    window = dept_window(workspace, load=False)
    dialog = open_mailbox(qtbot, window)
    for _ in range(3):
        fetch(qtbot, dialog)
    [row] = table_text(dialog).values()
    assert row[5] == "Cần gửi lại bằng tay"
    dialog.table.selectRow(0)
    assert "cần gửi lại bằng tay" in dialog.details.toPlainText()
    assert dialog.retry_button.isEnabled()
    with qtbot.waitSignal(dialog.retried, timeout=30_000):
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert table_text(dialog)["Hộp thư đầy"][5] == "Chưa gửi (gửi lần sau)"
    assert "sẽ được gửi ở lần nhận thư sau" in dialog.summary.text()


def test_mail_settings_dialog__check_connection__saved__password_never_in_the_database(
        qtbot, workspace, dept_window, server):
    from readiness.department.mail_settings import load_mail_settings

    window = dept_window(workspace, load=False)
    with qtbot.waitSignal(window.mail_settings_opened, timeout=30_000) as blocker:
        window.act_mail_settings.trigger()
    dialog = blocker.args[0]
    assert dialog.imap_host.text() == "127.0.0.1" and dialog.use_env.isChecked()
    assert dialog.password_env.text() == PASSWORD_ENV and not dialog.password.isEnabled()
    with qtbot.waitSignal(dialog.checked, timeout=60_000) as checked:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert checked.args[0] is True, checked.args[1]
    assert "Kết nối được." in dialog.check_result.text() and f"đăng nhập được {DEPARTMENT}" in dialog.check_result.text()
    # the wrong port: a clear Vietnamese message with its code, nothing saved
    dialog.imap_port.setValue(10995)
    with qtbot.waitSignal(dialog.checked, timeout=60_000) as checked:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert checked.args[0] is False and "E-MAIL-CONNECT" in checked.args[1]
    assert "Không kết nối được" in dialog.check_result.text() and "10995" in dialog.check_result.text()
    # STARTTLS moves the usual port; the folder and the size limit saved
    dialog.imap_port.setValue(993)
    dialog.imap_security.setCurrentIndex(dialog.imap_security.findData("starttls"))
    assert dialog.imap_port.value() == 143
    dialog.imap_port.setValue(10143)
    dialog.max_mb.setValue(12)
    dialog.processed.setCurrentIndex(dialog.processed.findData("move"))
    assert dialog.processed_folder.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = load_mail_settings(workspace.store)
    assert (saved.imap_security, saved.imap_port, saved.max_message_mb, saved.processed) == ("starttls", 10143, 12,
                                                                                             "move")
    assert PASSWORD not in str(workspace.store.settings("mail."))
    # a CA file that does not exist: refused before anything is stored
    with qtbot.waitSignal(window.mail_settings_opened, timeout=30_000) as blocker:
        window.act_mail_settings.trigger()
    dialog = blocker.args[0]
    assert dialog.imap_port.value() == 10143 and dialog.imap_security.currentData() == "starttls"
    dialog.ca_file.setText("/khong/co/tep.pem")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "E-MAIL-CA" in dialog.check_result.text() and "Không thấy tệp chứng chỉ CA" in dialog.check_result.text()
    assert load_mail_settings(workspace.store).ca_file == str(server / "ca.pem")


def test_contacts_dialog__edit_a_commune__kept__a_sender_unknown_for_the_commune_marked(
        qtbot, tmp_path, workspace, dept_window, server, message_boxes):
    from readiness.department.contacts import contact_views

    good = export_submission(tmp_path / "x", "23500")
    deliver(server, submission_mail(OTHER, [(good.name, good.read_bytes())], "Kết quả"))
    window = dept_window(workspace, load=False)
    dialog = open_mailbox(qtbot, window)
    fetch(qtbot, dialog)
    contacts = window.open_contacts()
    wait_for_worker(qtbot, window.worker, lambda: contacts.loaded, timeout=30_000)
    contacts.select_commune("23500")
    assert contacts.selected().code == "23500"
    contacts.edits["name"].setText("Trần Thị C")
    contacts.edits["email"].setText(f"{XA1}; {XA2}")
    contacts.edits["phone"].setText("0255 3822 111")
    with qtbot.waitSignal(contacts.saved, timeout=30_000):
        qtbot.mouseClick(contacts.save_button, Qt.MouseButton.LeftButton)
    [view] = contact_views(workspace, ["23500"])
    assert (view.name, view.email, view.phone, view.source) == ("Trần Thị C", f"{XA1}, {XA2}", "0255 3822 111", "kept")
    # the last submission came from an address that is none of the commune's known ones
    row = next(r for r in range(contacts.proxy.rowCount()) if contacts.proxy.object_at(r).code == "23500")
    assert contacts.proxy.index(row, 6).data() == f"{OTHER} — không phải địa chỉ đã biết"
    contacts.only.setCurrentIndex(contacts.only.findData("mismatch"))
    assert [contacts.proxy.object_at(r).code for r in range(contacts.proxy.rowCount())] == ["23500"]
    assert "1 xã có thư gửi từ địa chỉ lạ" in contacts.summary.text()
    # a bad address: refused with its code, nothing changed
    contacts.only.setCurrentIndex(0)
    contacts.select_commune("23500")
    contacts.edits["email"].setText("khong-phai-dia-chi")
    with qtbot.waitSignal(window.worker.busy_changed, timeout=30_000, check_params_cb=lambda busy: not busy):
        qtbot.mouseClick(contacts.save_button, Qt.MouseButton.LeftButton)
    assert message_boxes.calls and "E-CONTACT-EMAIL" in message_boxes.calls[-1][2]
    assert contact_views(workspace, ["23500"])[0].email == f"{XA1}, {XA2}"
    # «Bỏ liên hệ Sở nhập»: back to what the submission says
    with qtbot.waitSignal(contacts.saved, timeout=30_000):
        qtbot.mouseClick(contacts.clear_button, Qt.MouseButton.LeftButton)
    assert contact_views(workspace, ["23500"])[0].source != "kept"


def test_mailbox_dialog__wrong_password__vietnamese_message_with_its_code__nothing_changed(
        qtbot, workspace, dept_window, server, monkeypatch, message_boxes):
    monkeypatch.setenv(PASSWORD_ENV, "sai-mat-khau")
    window = dept_window(workspace, load=False)
    dialog = open_mailbox(qtbot, window)
    with qtbot.waitSignal(dialog.failed_run, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    code, message = blocker.args
    assert code == "E-MAIL-LOGIN" and DEPARTMENT in message
    assert message_boxes.kinds() == ["warning"] and "Lỗi (E-MAIL-LOGIN)" in message_boxes.calls[0][2]
    assert dialog.progress.format() == "Không nhận được thư" and dialog.fetch_button.isEnabled()
    from readiness.store.mailbox import mail_messages

    assert mail_messages(workspace.store) == []


def test_mailbox_dialog__not_set_up__says_what_to_do__fetch_disabled(qtbot, db_url, dept_window, tmp_path,
                                                                    monkeypatch):
    from readiness.service import Workspace

    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "home"))
    bare = Workspace.open(f"sqlite:///{tmp_path / 'bare.sqlite3'}")
    try:
        window = dept_window(bare, load=False)
        dialog = open_mailbox(qtbot, window)
        assert dialog.configured is False and not dialog.fetch_button.isEnabled()
        assert "Chưa thiết lập hộp thư công vụ" in dialog.account.text()
        assert "Thiết lập hộp thư" in dialog.account.text()
    finally:
        window.close()
        window.worker.wait()
        bare.close()


# -- «Công văn đôn đốc…» sent from the department's mailbox ---------------------------------------------


def test_remind_dialog__send_ticked__each_commune_with_an_address_gets_the_letter__the_rest_listed(
        qtbot, tmp_path, workspace, dept_window, server, message_boxes):
    import email
    import email.policy

    from readiness.department.contacts import set_contact
    from readiness.store.mailbox import reminder_mails

    set_contact(workspace, "23500", {"email": XA1})
    set_contact(workspace, "21034", {"email": XA2})
    names = {c.code: c.name for c in workspace.store.communes(None, None)}
    window = dept_window(workspace, load=False)
    dialog = window.open_remind(PERIOD)
    assert dialog.send_mail.isEnabled() and not dialog.send_mail.isChecked()
    assert dialog.send_mail.text() == "Gửi công văn tới từng đơn vị qua thư điện tử (hộp thư của Sở)"
    assert f"Gửi từ {DEPARTMENT}" in dialog.mail_note.text() and dialog.run_button.text() == "Viết công văn"
    for fmt in ("docx", "pdf", "xlsx"):
        dialog.want[fmt].setChecked(True)
        dialog.paths[fmt].setText(str(tmp_path / f"don-doc.{fmt}"))
    dialog.send_mail.setChecked(True)
    assert dialog.run_button.text() == "Viết và gửi công văn"
    seen: list[tuple[int, int]] = []
    with qtbot.waitSignal(dialog.done, timeout=180_000) as finished:
        dialog.run_button.click()
        assert dialog.progress is not None and dialog.progress.findChild(QPushButton).text() == "Dừng"
        window.worker.running("remind").signals.progress.connect(lambda done, total, _text: seen.append((done, total)))
    outcome = finished.args[0]
    total = len(outcome.reminder.targets)
    assert total > 2 and outcome.sent_count == 2 and outcome.send_error is None and not outcome.cancelled
    assert sorted(p.name for p in outcome.files) == ["don-doc.docx", "don-doc.pdf", "don-doc.xlsx"]
    assert all((tmp_path / f"don-doc.{fmt}").stat().st_size > 0 for fmt in ("docx", "pdf", "xlsx"))
    # the communes' mailboxes: one message each, the letter attached as a PDF
    for user, code in ((XA1, "23500"), (XA2, "21034")):
        [(raw, _flags)] = messages(server, user)
        letter = email.message_from_bytes(raw, policy=email.policy.default)
        assert letter["Subject"] == "Đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ 11/2025"
        text = letter.get_body(preferencelist=("plain",)).get_content()
        assert text.startswith("Kính gửi: UBND ") and names[code].split(" ", 1)[1] + "," in text.splitlines()[0]
        [attached] = list(letter.iter_attachments())
        assert attached.get_content_type() == "application/pdf" and attached.get_content().startswith(b"%PDF")
    assert sorted((r.commune_code, r.status) for r in reminder_mails(workspace.store, "2025-11")) == [
        ("21034", "sent"), ("23500", "sent")]
    # the result: how many of how many, each one not sent with its commune and the CLI's reason
    box = dialog.result_box
    assert box is not None and box.isVisible() and not dialog.isVisible()
    assert box.windowTitle() == "Công văn đôn đốc: có đơn vị chưa được gửi"
    assert f"Đã gửi thư điện tử tới 2/{total} đơn vị." in box.text()
    assert "Đã ghi:" in box.text() and str(tmp_path / "don-doc.pdf") in box.text()
    listed = box.detailedText() + box.text()
    assert f"{names['23377']}: Chưa có địa chỉ thư điện tử." in listed
    assert "«Liên hệ các xã…»" in box.text() and "readiness contacts" not in listed  # the window's way, not the CLI's
    assert sum(1 for line in box.detailedText().splitlines() if ": Chưa có địa chỉ thư điện tử" in line) == total - 2
    assert names["23500"] + ":" not in listed
    assert {line["error_en"] for line in outcome.not_sent} == {"No e-mail address yet"}  # the English mode's reason
    assert seen and seen[-1][1] == total + 2  # the sending's progress: one step per commune after the two of writing
    box.close()


def test_remind_dialog__stop_while_sending__nothing_more_sent__files_kept(qtbot, tmp_path, workspace, dept_window,
                                                                           server, message_boxes, monkeypatch):
    import threading

    import readiness.department.mail_transport as transport
    from readiness.department.contacts import set_contact

    set_contact(workspace, "23500", {"email": XA1})
    window = dept_window(workspace, load=False)
    connecting = threading.Event()
    real_open = transport.open_smtp

    def open_when_stopped(*args, **kwargs):  # the worker waits at the server's door until «Dừng» is pressed
        connecting.set()
        job = window.worker.running("remind")
        assert job is not None and job.cancel.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(transport, "open_smtp", open_when_stopped)
    dialog = window.open_remind(PERIOD)
    for fmt in ("docx", "xlsx"):
        dialog.want[fmt].setChecked(False)
    dialog.want["pdf"].setChecked(True)
    dialog.paths["pdf"].setText(str(tmp_path / "don-doc.pdf"))
    dialog.send_mail.setChecked(True)
    with qtbot.waitSignal(dialog.done, timeout=180_000) as finished:
        dialog.run_button.click()
        qtbot.waitUntil(connecting.is_set, timeout=60_000)
        qtbot.mouseClick(dialog.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # «Dừng»
    outcome = finished.args[0]
    assert outcome.cancelled and outcome.sent == [] and (tmp_path / "don-doc.pdf").stat().st_size > 0
    assert messages(server, XA1) == []
    box = dialog.result_box
    assert "Đã dừng trước khi gửi thư điện tử tới đơn vị nào." in box.text()
    assert f" 0/{len(outcome.reminder.targets)} " not in box.text()
    box.close()
