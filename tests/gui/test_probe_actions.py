"""The probes' buttons in the window: «Nhận diện máy này», «Đo tốc độ», «Kiểm tra chữ ký số trên máy này».

The probes are replaced by fakes returning fixed reports (one network test measures a real HTTP
server on 127.0.0.1); what they saved is checked in the database, read by a second workspace.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from readiness.gui import probe_actions
from readiness.probe.network import OFFLINE_MESSAGE, NetworkReport
from readiness.probe.pc import DiskInfo, PcReport
from readiness.probe.signing import DetectorResult, SigningReport

from gui_helpers import open_workspace

pytestmark = pytest.mark.gui

MEASURED_AT = "2026-11-24T03:42:10+00:00"  # 10:42 in Việt Nam (UTC+7)


@pytest.fixture(autouse=True)
def _vietnam_time(monkeypatch):
    """Local time is Việt Nam's (UTC+7, no tz database needed), as on the officers' PCs."""
    monkeypatch.setenv("TZ", "ICT-7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def pc_report(**changes) -> PcReport:
    report = PcReport(
        platform="windows", machine_name="PC-MOTCUA-01", cpu_model="Intel Core i5-8400", cpu_cores=6,
        cpu_logical_cores=6, ram_gb=8.0,
        disks=[DiskInfo(device="C:", mount="C:\\", size_gb=255.1, kind="ssd", fstype="NTFS", system=True, disk="0",
                        disk_model="KINGSTON SA400S37256G", disk_size_gb=256.1, kind_method="Get-PhysicalDisk")],
        os_name="Windows 10", os_version="22H2", os_build="19045.3803", os_edition="Pro",
        screen_resolution="1920x1080", measured_at=MEASURED_AT,
        methods={"cpu_model": r"registry HKLM\HARDWARE\...\CentralProcessor\0", "ram_gb": "GetPhysicallyInstalledSystemMemory"},
    )
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def network_report(status="ok", **changes) -> NetworkReport:
    report = NetworkReport(
        status=status, message="Đã đo xong tốc độ mạng.", endpoint="Sở KH&CN", endpoint_url="http://10.0.0.5/25MB.bin",
        latency_ms=12.4, latency_method="trung vị 5 lần HTTP GET http://10.0.0.5/ping", download_mbps=95.31,
        upload_mbps=40.12, download_bytes=60_000_000, upload_bytes=25_000_000, streams=4, time_cap_s=10.0,
        duration_s=9.8, measured_at=MEASURED_AT,
    )
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def signing_report() -> SigningReport:
    certificates = [
        {"subject": "Nguyễn Văn An", "organization": "UBND xã Đăk Hà", "issuer": "CN=CA phục vụ các cơ quan nhà nước",
         "not_after": "2027-12-31T16:59:59+00:00", "days_left": 400, "expired": False, "thumbprint": "AB12",
         "has_private_key": True, "ca": "VGCA"},
        {"subject": "Trần Thị Bình", "organization": None, "issuer": "CN=VNPT Certification Authority",
         "not_after": "2026-03-01T00:00:00+00:00", "days_left": 90, "expired": False, "thumbprint": "CD34",
         "has_private_key": True, "ca": "VNPT-CA"},
    ]
    return SigningReport("windows", MEASURED_AT, [
        DetectorResult("token_middleware", "Phần mềm/driver ký số đã cài", "found", "Có: vSignPDF, SafeNet Authentication Client.",
                       [{"product": "vSignPDF"}], "registry Uninstall"),
        DetectorResult("install_folders", "Thư mục cài đặt đã biết", "not_found", "Không thấy thư mục cài đặt nào đã biết.",
                       [], "Program Files"),
        DetectorResult("smartcard_reader", "Đầu đọc thẻ / USB token", "unknown",
                       "Windows 7 không có Get-PnpDevice nên không xem được thiết bị.", [], ""),
        DetectorResult("user_certificates", "Chứng thư số trong kho của người dùng", "found",
                       "Có 2/2 chứng thư còn hạn.", certificates, r"PowerShell Cert:\CurrentUser\My"),
    ])


def stored(db_url, commune="23500", period="2025-11"):
    """(values, sources, meta, rows of pcs/certificates) as the database holds them, read afresh."""
    workspace = open_workspace(db_url)
    try:
        answers = workspace.session(commune, period, create=False).answers
        return answers
    finally:
        workspace.close()


@pytest.fixture
def window(make_window):
    return make_window(real=True, open_commune="23500")


def item_widget(window, section_id: str, item_id: str):
    window.go_to_section(section_id)
    widget = window.form(section_id).items[item_id]
    return widget


def run_probe(qtbot, probe, timeout=10_000):
    with qtbot.waitSignal(probe.finished, timeout=timeout):
        probe.button.click()


# -- this PC ------------------------------------------------------------------------------------


def test_detect_this_pc_adds_a_probe_row_with_meta(qtbot, window, db_url, monkeypatch):
    started = threading.Event()

    def fake_probe():
        assert threading.current_thread() is not threading.main_thread()  # off the UI thread
        started.set()
        time.sleep(0.2)
        return pc_report()

    monkeypatch.setattr(probe_actions, "probe_pc", fake_probe)
    widget = item_widget(window, "computers", "pcs")
    probe = widget.probe
    assert isinstance(probe, probe_actions.PcProbe)
    assert probe.button.text() == "Nhận diện máy này"
    assert probe.button.parent() is widget.table  # in the table's toolbar
    rows_before = len(widget.table.model.rows())

    with qtbot.waitSignal(probe.finished, timeout=5000):
        probe.button.click()
        qtbot.waitUntil(started.is_set)
        assert probe.panel.busy.isVisible() and not probe.button.isEnabled()  # busy while it reads
    assert not probe.panel.busy.isVisible() and probe.button.isEnabled()

    status = probe.panel.status.text()
    assert status == ("Đã nhận diện: Intel Core i5-8400, 6 nhân, 8 GB RAM, SSD 256 GB, Windows 10 Pro 22H2. "
                      "Ô trống: cán bộ tự điền.")
    model = widget.table.model
    assert model.rowCount() == rows_before + 1
    assert widget.table.current_row() == rows_before  # the new row is selected, to be completed
    assert "Dòng" in probe.panel.marks.text() and "Tự nhận diện lúc 10:42 ngày 24/11/2026 (máy: PC-MOTCUA-01)" in \
        probe.panel.marks.text()

    rows = stored(db_url).rows("pcs")
    row = rows[-1]
    assert row.source == "probe"
    assert row.values == {"cpu": "Intel Core i5-8400", "cores": 6, "ram_gb": 8.0, "storage_type": "ssd",
                          "storage_gb": 256, "os": "win10",
                          "os_version": "Windows 10 Pro 22H2 (build 19045.3803)"}
    assert row.meta["probe"] == "pc"
    assert row.meta["measured_at"] == MEASURED_AT
    assert row.meta["machine_name"] == "PC-MOTCUA-01"
    assert row.meta["methods"]["ram_gb"] == "GetPhysicallyInstalledSystemMemory"
    assert row.meta["method"]

    # The officer completes the row; it stays a detected row.
    index = model.index(model.rowCount() - 1, model.column_index("role"))
    assert model.setData(index, "Quầy số 1 - Nguyễn Văn A")
    row = stored(db_url).rows("pcs")[-1]
    assert row.values["role"] == "Quầy số 1 - Nguyễn Văn A" and row.source == "probe"


def test_values_the_core_refuses_are_flagged_and_the_rest_kept(qtbot, window, db_url, monkeypatch):
    monkeypatch.setattr(probe_actions, "probe_pc", lambda: pc_report(cpu_cores=200, ram_gb=None, disks=[]))
    widget = item_widget(window, "computers", "pcs")
    run_probe(qtbot, widget.probe)
    model = widget.table.model
    position = model.rowCount() - 1
    problem = model.error(position, model.column_index("cores"))
    assert problem is not None and "128" in problem.text()  # "Số nhân CPU phải từ 1 đến 128."
    status = widget.probe.panel.status.text()
    assert status.startswith("Đã nhận diện: Intel Core i5-8400, Windows 10 Pro 22H2.")
    assert "Ô tô đỏ" in status
    row = stored(db_url).rows("pcs")[-1]
    assert row.source == "probe"
    assert "cores" not in row.values and "ram_gb" not in row.values  # refused / not found: left empty
    assert row.values["cpu"] == "Intel Core i5-8400"


def test_the_same_pc_twice_asks_first(qtbot, window, db_url, monkeypatch, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(probe_actions, "probe_pc", lambda: pc_report())
    widget = item_widget(window, "computers", "pcs")
    run_probe(qtbot, widget.probe)
    count = widget.table.model.rowCount()
    message_boxes.answer = QMessageBox.StandardButton.No
    run_probe(qtbot, widget.probe)
    assert message_boxes.calls[-1][0] == "question" and "PC-MOTCUA-01" in message_boxes.calls[-1][2]
    assert widget.table.model.rowCount() == count
    assert widget.probe.panel.status.text() == "Không thêm dòng mới."


def test_a_failing_probe_is_reported_not_raised(qtbot, window, monkeypatch):
    def broken():
        raise OSError("WMI không trả lời")

    monkeypatch.setattr(probe_actions, "probe_pc", broken)
    widget = item_widget(window, "computers", "pcs")
    rows = widget.table.model.rowCount()
    run_probe(qtbot, widget.probe)
    assert "WMI không trả lời" in widget.probe.panel.status.text()
    assert widget.table.model.rowCount() == rows


# -- the connection -------------------------------------------------------------------------------


@pytest.fixture
def network_config(tmp_path, monkeypatch):
    """A department's network.yaml, found where the app looks."""

    def make(base="http://10.0.0.5", time_cap_s=10, streams=4) -> Path:
        path = tmp_path / "network.yaml"
        path.write_text(
            "endpoints:\n"
            f'  - name: "Sở KH&CN"\n    download_url: {base}/file\n    upload_url: {base}/upload\n'
            f"    latency_url: {base}/ping\n"
            f"streams: {streams}\ntime_cap_s: {time_cap_s}\n", encoding="utf-8")
        monkeypatch.setattr(probe_actions, "find_config", lambda: path)
        return path

    return make


def speed_widgets(window):
    window.go_to_section("internet")
    form = window.form("internet")
    return form, form.items["measured_down_mbps"]


def test_measure_speed_fills_the_measured_items(qtbot, window, db_url, monkeypatch, network_config):
    network_config()
    seen = {}

    def fake_measure(endpoints, *, streams, time_cap_s, progress, cancel):
        seen.update(endpoints=endpoints, streams=streams, cap=time_cap_s, thread=threading.current_thread())
        for step in range(5):
            progress(step / 5, "Đang đo tốc độ tải xuống… (12.0 MB)")
            time.sleep(0.02)
        return network_report()

    monkeypatch.setattr(probe_actions, "measure", fake_measure)
    form, widget = speed_widgets(window)
    probe = widget.probe
    assert isinstance(probe, probe_actions.NetworkProbe)
    assert probe.button.text() == "Đo tốc độ"
    assert form.items["measured_up_mbps"].probe is None and form.items["latency_ms"].probe is None  # one button
    run_probe(qtbot, probe)
    assert seen["thread"] is not threading.main_thread()
    assert seen["streams"] == 4 and seen["cap"] == 10.0 and seen["endpoints"][0].name == "Sở KH&CN"
    assert probe.dialog is None  # the progress dialog closed

    answers = stored(db_url)
    assert answers.values["measured_down_mbps"] == 95.31
    assert answers.values["measured_up_mbps"] == 40.12
    assert answers.values["latency_ms"] == 12.4
    for item_id in ("measured_down_mbps", "measured_up_mbps", "latency_ms"):
        assert answers.sources[item_id] == "measured"
        meta = answers.meta[item_id]
        assert meta["endpoint"] == "Sở KH&CN" and meta["measured_at"] == MEASURED_AT
        assert meta["streams"] == 4 and meta["duration_s"] == 9.8 and meta["method"]
    assert answers.meta["latency_ms"]["method"].startswith("trung vị 5 lần HTTP GET")

    # The widgets show the values and how and when they were taken.
    assert widget.editor.edit.text() == "95,31"
    assert form.items["latency_ms"].editor.edit.text() == "12,4"
    note = "Đo tự động lúc 10:42 ngày 24/11/2026 (máy chủ: Sở KH&CN, 4 luồng)"
    for item_id in ("measured_down_mbps", "measured_up_mbps", "latency_ms"):
        assert form.items[item_id].source_note.isVisible()
        assert form.items[item_id].source_note.text() == note
    assert probe.panel.status.text().startswith("Đã đo: tải xuống 95,3 Mbps; tải lên 40,1 Mbps; độ trễ 12,4 ms")
    assert window.ops.save_count >= 3  # saved, re-scored


def test_a_hand_edit_makes_the_value_typed_again(qtbot, window, db_url, monkeypatch, network_config):
    network_config()
    monkeypatch.setattr(probe_actions, "measure", lambda endpoints, **_: network_report())
    form, widget = speed_widgets(window)
    run_probe(qtbot, widget.probe)
    upload = form.items["measured_up_mbps"]
    assert upload.source_note.isVisible()

    upload.editor.edit.setText("35,5")
    upload.editor.edit.editingFinished.emit()
    assert not upload.source_note.isVisible() and upload.source_note.text() == ""
    answers = stored(db_url)
    assert answers.values["measured_up_mbps"] == 35.5
    assert answers.sources["measured_up_mbps"] == "typed"
    assert "measured_up_mbps" not in answers.meta
    assert answers.sources["measured_down_mbps"] == "measured"  # the others keep their note
    assert form.items["measured_down_mbps"].source_note.isVisible()

    # English: the note follows the language.
    window.set_language("en")
    assert form.items["measured_down_mbps"].source_note.text() == \
        "Measured automatically at 10:42 on 24/11/2026 (server: Sở KH&CN, 4 streams)"


def test_cancel_leaves_nothing(qtbot, window, db_url, monkeypatch, network_config):
    network_config()
    reached = threading.Event()

    def slow_measure(endpoints, *, streams, time_cap_s, progress, cancel):
        for step in range(400):
            progress(step / 800, "Đang đo tốc độ tải xuống… (3.2 MB)")
            reached.set()
            if cancel.wait(0.02):
                return network_report("cancelled", message="Đã huỷ phép đo tốc độ mạng.")
        return network_report()

    monkeypatch.setattr(probe_actions, "measure", slow_measure)
    form, widget = speed_widgets(window)
    probe = widget.probe
    probe.button.click()
    qtbot.waitUntil(reached.is_set)
    dialog = probe.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Đo tốc độ mạng"
    qtbot.waitUntil(lambda: dialog.value() > 0 and "tải xuống" in dialog.labelText())
    cancel = [b for b in dialog.findChildren(QPushButton) if b.text() == "Huỷ"]
    assert cancel
    with qtbot.waitSignal(probe.finished, timeout=5000):
        cancel[0].click()
    assert probe.panel.status.text() == "Đã huỷ phép đo; không thay đổi câu trả lời nào."
    answers = stored(db_url)
    for item_id in ("measured_down_mbps", "measured_up_mbps", "latency_ms"):
        assert item_id not in answers.values or answers.sources.get(item_id) != "measured"
    assert not widget.source_note.isVisible()


def test_offline_shows_the_message_and_changes_nothing(qtbot, window, db_url, monkeypatch, network_config,
                                                       message_boxes):
    network_config()
    before = dict(stored(db_url).values)
    message = OFFLINE_MESSAGE.format(servers="Sở KH&CN")
    monkeypatch.setattr(probe_actions, "measure", lambda endpoints, **_: network_report(
        "offline", message=message, latency_ms=None, download_mbps=None, upload_mbps=None, endpoint=None))
    form, widget = speed_widgets(window)
    run_probe(qtbot, widget.probe)
    assert ("warning", "Không đo được tốc độ mạng", message) in message_boxes.calls
    assert widget.probe.panel.status.text() == message
    assert stored(db_url).values == before


def test_without_a_config_it_says_where_to_put_it(qtbot, window, db_url, monkeypatch, tmp_path):
    monkeypatch.setattr(probe_actions, "find_config", lambda: None)
    called = []
    monkeypatch.setattr(probe_actions, "measure", lambda *a, **k: called.append(1) or network_report())
    form, widget = speed_widgets(window)
    probe = widget.probe
    probe.button.click()  # nothing to run: the message at once
    status = probe.panel.status.text()
    assert status.startswith("Chưa có tệp cấu hình máy chủ đo tốc độ. Sở Khoa học và Công nghệ cung cấp tệp network.yaml")
    assert str(probe_actions.user_config_folder()) in status
    assert probe.config_button.isVisible() and probe.config_button.text() == "Chọn tệp cấu hình…"
    assert not called

    # Choosing the department's file remembers it and measures.
    config = tmp_path / "so-khcn.yaml"
    config.write_text('endpoints:\n  - {name: "Sở KH&CN", download_url: "http://10.0.0.5/file"}\n', encoding="utf-8")
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(config), ""))
    with qtbot.waitSignal(probe.finished, timeout=5000):
        probe.config_button.click()
    assert called and not probe.config_button.isVisible()
    assert window.ops.session.store.get_setting(probe_actions.CONFIG_SETTING) == str(config)
    assert stored(db_url).sources["measured_down_mbps"] == "measured"


def test_a_broken_config_is_explained(qtbot, window, monkeypatch, tmp_path):
    bad = tmp_path / "network.yaml"
    bad.write_text("endpoints:\n  - {name: x, download_url: ftp://nope}\n", encoding="utf-8")
    monkeypatch.setattr(probe_actions, "find_config", lambda: bad)
    form, widget = speed_widgets(window)
    widget.probe.button.click()
    assert "có lỗi" in widget.probe.panel.status.text() and "download_url" in widget.probe.panel.status.text()
    assert widget.probe.config_button.isVisible()


class _Throttled(BaseHTTPRequestHandler):
    """/file: endless bytes at ~RATE per connection; /upload: reads and discards; /ping: a few bytes."""

    RATE = 500_000  # bytes per second per connection
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path.startswith("/ping"):
            body = b"pong"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        size = 20_000_000
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"\x5a" * 16_384
        sent = 0
        try:
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
                time.sleep(len(chunk) / self.RATE)
        except OSError:
            pass

    def do_POST(self):
        left = int(self.headers.get("Content-Length") or 0)
        try:
            while left > 0:
                data = self.rfile.read(min(16_384, left))
                if not data:
                    break
                left -= len(data)
                time.sleep(len(data) / self.RATE)
        except OSError:
            return
        try:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except OSError:  # the client stopped sending when its time was up
            pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client hanging up mid-transfer is expected
        pass


@pytest.mark.slow
def test_measure_against_a_local_server(qtbot, window, db_url, network_config):
    server = _QuietServer(("127.0.0.1", 0), _Throttled)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        network_config(base=f"http://127.0.0.1:{server.server_address[1]}", time_cap_s=4, streams=2)
        form, widget = speed_widgets(window)
        run_probe(qtbot, widget.probe, timeout=15_000)
    finally:
        server.shutdown()
        server.server_close()
    answers = stored(db_url)
    expected = 2 * _Throttled.RATE * 8 / 1e6  # two streams: 8 Mbit/s
    assert answers.sources["measured_down_mbps"] == "measured"
    assert answers.values["measured_down_mbps"] == pytest.approx(expected, rel=0.4)
    assert answers.values["measured_up_mbps"] == pytest.approx(expected, rel=0.5)
    assert 0 <= answers.values["latency_ms"] < 500
    meta = answers.meta["measured_down_mbps"]
    assert meta["endpoint"] == "Sở KH&CN" and meta["streams"] == 2
    assert meta["endpoint_url"].startswith("http://127.0.0.1:")
    assert dt.datetime.fromisoformat(meta["measured_at"]).tzinfo is not None
    assert widget.source_note.text().startswith("Đo tự động lúc ")


# -- digital signatures ---------------------------------------------------------------------------


def test_signing_check_shows_results_and_adds_certificates(qtbot, window, db_url, monkeypatch):
    monkeypatch.setattr(probe_actions, "probe_signing", signing_report)
    table_widget = item_widget(window, "signatures", "certificates")
    software_widget = window.form("signatures").items["sign_software"]
    assert isinstance(software_widget.probe, probe_actions.SigningProbe)  # beside the software question too
    probe = table_widget.probe
    assert isinstance(probe, probe_actions.SigningProbe)
    assert probe.button.text() == "Kiểm tra chữ ký số trên máy này"
    before = len(stored(db_url).rows("certificates"))
    run_probe(qtbot, probe)
    dialog = probe.dialog
    assert dialog is not None and dialog.isVisible()
    texts = {name: label.text() for name, label in dialog.result_labels.items()}
    assert "vSignPDF" in texts["token_middleware"]
    assert "Không xác định được: Windows 7 không có Get-PnpDevice" in texts["smartcard_reader"]
    badges = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Có" in badges and "Không thấy" in badges and "Không xác định" in badges
    assert dialog.certificates.count() == 2
    assert dialog.certificates.item(0).text() == "Nguyễn Văn An — hết hạn 31/12/2027"

    dialog.add_button.click()
    assert dialog.message.text().startswith("Đã thêm 2 chứng thư vào bảng")
    assert not dialog.add_button.isEnabled()
    rows = stored(db_url).rows("certificates")
    assert len(rows) == before + 2
    new = rows[-2:]
    assert [r.values["holder"] for r in new] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert new[0].values["expiry"] == dt.date(2027, 12, 31)  # local date (UTC+7) of the expiry
    assert all(r.source == "probe" and r.meta["probe"] == "signing" and r.meta["measured_at"] == MEASURED_AT
               for r in new)
    assert "role" not in new[0].values  # the officer chooses role and kind
    assert "Tự nhận diện lúc 10:42 ngày 24/11/2026" in probe.panel.marks.text()
    dialog.close()

    # A second check knows they are already in the table.
    run_probe(qtbot, software_widget.probe)
    again = software_widget.probe.dialog
    assert "(đã có trong bảng)" in again.certificates.item(0).text()
    assert not again.add_button.isEnabled()
    again.close()


def test_signing_check_without_certificates(qtbot, window, monkeypatch):
    report = signing_report()
    report.results = [r for r in report.results if r.name != "user_certificates"]
    monkeypatch.setattr(probe_actions, "probe_signing", lambda: report)
    widget = item_widget(window, "signatures", "sign_software")
    run_probe(qtbot, widget.probe)
    dialog = widget.probe.dialog
    assert dialog.certificates.isHidden() and dialog.add_button.isHidden()
    assert dialog.message.text().startswith("Không tìm thấy chứng thư số cá nhân")
    dialog.close()


def test_buttons_are_off_when_read_only(qtbot, window):
    pcs = item_widget(window, "computers", "pcs")
    _, speed = speed_widgets(window)
    signing = item_widget(window, "signatures", "sign_software")
    assert pcs.probe.button.isEnabled() and speed.probe.button.isEnabled()
    for section_id in ("computers", "internet", "signatures"):
        window.form(section_id).set_read_only(True)  # what a finalized assessment does
    assert not pcs.probe.button.isEnabled() and not speed.probe.button.isEnabled()
    assert signing.probe.button.isEnabled()  # looking is allowed; adding rows is not
    for section_id in ("computers", "internet", "signatures"):
        window.form(section_id).set_read_only(False)
    assert pcs.probe.button.isEnabled() and speed.probe.button.isEnabled()
