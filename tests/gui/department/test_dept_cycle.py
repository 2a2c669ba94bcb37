"""The reporting cycle in the windows: the deadline and the on-time counters on the dashboard (a counter
filters the table), «Đặt hạn nộp…», «Công văn đôn đốc…», «Giấy xác nhận…» (signed with the department's
certificate), the trend's on-time column, and the commune's «Kiểm tra giấy xác nhận của Sở…»."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt


sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "signing"))
from pki import PASSWORD, build_pki, make_leaf, write_p12  # noqa: E402

pytestmark = pytest.mark.gui

UTC = dt.UTC
PERIOD = "2025-12"
DEADLINE = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 1, 8)


@pytest.fixture
def cycle_db(tmp_path, sqlite_copy):
    """Four demo submissions of 12/2025 imported: two before the deadline, two after; the files kept."""
    import readiness.store.imports as imports
    from readiness.department.demo_export import write_demo_submissions
    from readiness.department.importer import import_paths
    from readiness.service import Workspace

    inbox = tmp_path / "inbox"
    files = sorted(f.path for f in write_demo_submissions(inbox, count=4, period=PERIOD, seed=3, jobs=1,
                                                          today=dt.date(2025, 12, 20)))
    url = sqlite_copy("dept")
    workspace = Workspace.open(url)
    times = [dt.datetime(2026, 1, 3, 2, tzinfo=UTC), dt.datetime(2026, 1, 5, 16, 59, tzinfo=UTC),
             dt.datetime(2026, 1, 5, 17, 0, tzinfo=UTC), dt.datetime(2026, 1, 7, 2, tzinfo=UTC)]
    with pytest.MonkeyPatch.context() as patch:  # its own: undoing it leaves the test's other patches alone
        for path, moment in zip(files, times):
            patch.setattr(imports, "utcnow", lambda moment=moment: moment)
            assert import_paths(workspace, [str(path)], jobs=0).results[0].status == "imported"
    workspace.files = files
    yield workspace
    workspace.close()


def _codes(files):
    return [path.name[:5] for path in files]


def test_dashboard__deadline_counters_column_and_filter(qtbot, cycle_db, dept_window, message_boxes):
    from readiness.department.cycle import period_deadline

    window = dept_window(cycle_db, period=PERIOD, today=TODAY)
    dashboard = window.dashboard
    assert "chưa đặt hạn nộp" in dashboard.deadline_label.text()
    assert not dashboard.cycle_counters["on_time"].isVisible()
    assert dashboard.model.cycle_column == -1

    dialog = window.open_deadline()
    dialog.date.setDate(QDate(2026, 1, 5))
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert period_deadline(cycle_db, PERIOD) == DEADLINE
    assert "05/01/2026" in dashboard.deadline_label.text()
    assert dashboard.cycle_counters["on_time"].value == 2 and dashboard.cycle_counters["late"].value == 2
    assert dashboard.cycle_counters["on_time"].text().startswith("2  đúng hạn")
    assert not dashboard.cycle_counters["held"].isVisible()  # none held: no card
    model = dashboard.model
    column = model.cycle_column
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Thời hạn"
    codes = _codes(cycle_db.files)
    texts = {}
    for row in range(model.rowCount()):
        if model.object_at(row).code in codes:
            texts[model.object_at(row).code] = model.index(row, column).data()
    assert texts[codes[0]] == "Đúng hạn · 03/01" and texts[codes[1]] == "Đúng hạn · 05/01"
    assert texts[codes[2]] == "Sau hạn 1 ngày · 06/01" and texts[codes[3]] == "Sau hạn 2 ngày · 07/01"

    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dashboard.cycle_counters["late"].click()
    assert sorted(row.code for row in model.rows) == sorted(codes[2:])
    assert dashboard.counters["expected"].value == 96  # the totals stay the scope's
    with qtbot.waitSignal(dashboard.loaded, timeout=60_000):
        dashboard.cycle_counters["late"].click()  # again: every commune
    assert model.rowCount() == 96


def test_deadline_dialog__no_earlier_than_the_period__cleared_when_none_chosen(qtbot, cycle_db, dept_window,
                                                                              message_boxes):
    from readiness.department.cycle import period_deadline, set_deadline

    set_deadline(cycle_db, PERIOD, DEADLINE)
    window = dept_window(cycle_db, period=PERIOD, today=TODAY)
    dialog = window.open_deadline()
    assert dialog.date.date() == QDate(2026, 1, 5) and dialog.date.isEnabled()  # the period's own deadline
    assert dialog.date.minimumDate() == QDate(2025, 12, 1)  # the period's first day: earlier cannot be picked
    dialog.none.setChecked(True)
    assert not dialog.date.isEnabled() and dialog.chosen() is None
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        dialog.save()
    assert period_deadline(cycle_db, PERIOD) is None


def test_remind_dialog__letter_and_contacts_written(qtbot, cycle_db, dept_window, message_boxes, tmp_path):
    from readiness.department.cycle import set_deadline

    set_deadline(cycle_db, PERIOD, DEADLINE)
    window = dept_window(cycle_db, period=PERIOD, today=TODAY)
    dialog = window.open_remind()
    dialog.date.setDate(QDate(2026, 1, 8))
    assert dialog.deadline.date() == QDate(2026, 1, 15)  # the deadline passed: five working days on
    for fmt in ("docx", "pdf", "xlsx"):
        dialog.want[fmt].setChecked(True)
        dialog.paths[fmt].setText(str(tmp_path / f"don-doc.{fmt}"))
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
    outcome = finished.args[0]
    assert outcome.counts == {"missing": 92, "refused": 0, "held": 0}
    assert sorted(p.suffix for p in outcome.files) == [".docx", ".pdf", ".xlsx"]
    import docx

    document = docx.Document(str(tmp_path / "don-doc.docx"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())
    assert "V/v đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ 12/2025" in text
    assert "chậm nhất ngày 15/01/2026" in text
    kind, title, shown = message_boxes.calls[-1]
    assert kind == "information" and "92 đơn vị chưa gửi" in shown and "hạn mới 15/01/2026" in shown


def test_receipt_dialog__signed_with_the_departments_certificate(qtbot, cycle_db, dept_window, message_boxes,
                                                                  tmp_path):
    from readiness.department.receipt_check import read_receipt
    from readiness.department.signing_identity import load_identity

    pki = build_pki()
    leaf = make_leaf(pki.intermediate, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi")
    p12 = write_p12(tmp_path / "so.p12", leaf, [pki.intermediate, pki.root])
    window = dept_window(cycle_db, period=PERIOD, today=TODAY)
    dialog = window.open_receipts()
    assert dialog.commune.count() == 4 and not dialog.sign_box.isChecked()  # no identity yet
    dialog.folder_edit.setText(str(tmp_path / "giay"))
    dialog.sign_box.setChecked(True)
    dialog.use_file.setChecked(True)
    dialog.key_edit.setText(str(p12))
    dialog.secret.setText(PASSWORD)
    assert dialog.secret.echoMode() == dialog.secret.EchoMode.Password
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
    files = finished.args[0]
    assert dialog.secret.text() == ""  # dropped once sent
    assert len(files) == 4 and all(f.signed for f in files)
    identity = load_identity(cycle_db.store)
    assert identity is not None and identity.kind == "pkcs12" and Path(identity.path) == p12.resolve()
    document = read_receipt(files[0].path, [pki.root.cert])
    assert document.signature.status == "valid"
    assert "ký số bởi Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in message_boxes.calls[-1][2]

    dialog = window.open_receipts(PERIOD, _codes(cycle_db.files)[0])
    assert dialog.one.isChecked() and dialog.sign_box.isChecked()  # the identity is remembered
    dialog.sign_box.setChecked(False)
    dialog.one_file.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "mot-tep"))
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
    (one,) = finished.args[0]
    assert not one.signed and [f.commune_code for f in one.facts] == [_codes(cycle_db.files)[0]]


def test_trend__on_time_column(qtbot, cycle_db, dept_window):
    from readiness.department.cycle import set_deadline

    set_deadline(cycle_db, PERIOD, DEADLINE)
    window = dept_window(cycle_db, period=PERIOD, today=TODAY)
    with qtbot.waitSignal(window.trend.loaded, timeout=60_000):
        window.tabs.setCurrentWidget(window.trend)
    model = window.trend.model
    row = next(r for r in range(model.rowCount()) if model.object_at(r).period == PERIOD)
    assert model.headerData(model.ON_TIME, Qt.Orientation.Horizontal) == "Nộp đúng hạn"
    assert model.index(row, model.ON_TIME).data() == "2/96 (2,1%)"
    assert "đúng hạn <b>2</b>" in window.trend.heading.text()


def test_commune_window__checks_a_receipt(qtbot, make_window, cycle_db, tmp_path, message_boxes):
    from readiness.department.receipt import ReceiptOptions, issue_receipts

    code = _codes(cycle_db.files)[0]
    (receipt,) = issue_receipts(cycle_db, PERIOD, tmp_path / "giay", ReceiptOptions(codes=(code,)))
    window = make_window()
    dialog = window.receipt_actions.open_dialog(receipt.path)
    assert dialog.windowTitle() == "Kiểm tra giấy xác nhận của Sở"
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.check_button.click()
    assert dialog.result.code == "E-RECEIPT-NO-RECORD"  # nothing exported from this computer
    assert "Cần xem lại" in dialog.verdict.text()

    dialog.file_edit.setText(str(cycle_db.files[0]))
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.check_button.click()
    assert dialog.result.ok and dialog.verdict.text().count("Khớp") == 1  # the core's sentence, not repeated
    assert cycle_db.files[0].name in dialog.details.toPlainText()
    dialog.file_edit.setText(str(cycle_db.files[1]))
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.check_button.click()
    assert dialog.result.code == "E-RECEIPT-MISMATCH" and "Không khớp" in dialog.verdict.text()
    dialog.receipt_edit.setText(str(cycle_db.files[1]))  # a workbook is no receipt
    with qtbot.waitSignal(dialog.failed, timeout=60_000):
        dialog.check_button.click()
    assert "E-RECEIPT-FORMAT" in dialog.verdict.text()
    dialog.close()


def test_remind_dialog__no_mailbox__sending_disabled_with_what_to_do(qtbot, cycle_db, dept_window, message_boxes,
                                                                     tmp_path):
    from readiness.gui.i18n import set_lang

    window = dept_window(cycle_db, period=PERIOD, today=TODAY, load=False)
    dialog = window.open_remind()
    assert not dialog.send_mail.isEnabled() and not dialog.send_mail.isChecked()
    assert dialog.send_mail.text() == "Gửi công văn tới từng đơn vị qua thư điện tử (hộp thư của Sở)"
    note = dialog.mail_note.text()
    assert note.startswith("Chưa thiết lập hộp thư công vụ của Sở") and "«Thiết lập hộp thư…»" in note
    assert dialog.mail_note.isVisible()
    set_lang("en")
    assert dialog.send_mail.text() == "E-mail the letter to each commune (the department's mailbox)"
    assert dialog.mail_note.text().startswith("The department's official mailbox is not set up")
    set_lang("vi")
    # nothing ticked and no sending: nothing is run, the person is told what to tick
    for check in dialog.want.values():
        check.setChecked(False)
    dialog.run_button.click()
    assert not dialog.running and message_boxes.kinds() == ["information"]
    assert "Đánh dấu Word, PDF hoặc Excel" in message_boxes.calls[-1][2]


def test_remind_result__english_mode__each_reason_in_english(qtbot, cycle_db, dept_window):
    """The e-mail result names each commune not e-mailed with its reason in the interface's language (the lines
    of ``send_reminders``: ``error`` in Vietnamese as recorded and printed by the CLI, ``error_en`` beside it)."""
    from readiness.gui.i18n import set_lang
    from readiness.gui.operations.cycle import RemindOutcome

    window = dept_window(cycle_db, period=PERIOD, today=TODAY, load=False)
    dialog = window.open_remind()
    lines = [{"code": "23500", "commune": "Xã Đăk Hà", "status": "sent", "error": None, "error_en": None},
             {"code": "23377", "commune": "Xã Ngọk Réo", "status": "skipped", "error": "Chưa có địa chỉ thư điện tử",
              "error_en": "No e-mail address yet", "command": "readiness contacts set 23377 --email …"},
             {"code": "21034", "commune": "Phường Cẩm Thành", "status": "failed",
              "error": "Máy chủ SMTP không nhận thư tới a@b.vn (máy chủ ngắt kết nối).",
              "error_en": "The SMTP server did not accept the message to a@b.vn (the server disconnected)."}]
    set_lang("en")
    try:
        dialog._show_sent(RemindOutcome(sent=lines), "Reminding 3 communes.")
        box = dialog.result_box
        text = box.text()
        assert "E-mailed 1 of 3 communes." in text
        assert "• Xã Ngọk Réo: No e-mail address yet." in text
        assert "• Phường Cẩm Thành: The SMTP server did not accept the message to a@b.vn (the server disconnected)." in text
        assert "“File” → “Commune contacts…”" in text
        assert "Chưa có" not in text and "Máy chủ" not in text and "readiness contacts" not in text
        box.close()
    finally:
        set_lang("vi")
