"""``readiness probe pc|network --commune CODE --period YYYY-MM --save``: the result goes into the assessment
through the same path as the app's buttons (``readiness.measurement``), with ``source`` and ``meta``."""

from __future__ import annotations

import json

from readiness import cli as main_cli
from readiness.probe import cli
from readiness.probe.network import NetworkReport
from readiness.probe.pc import DiskInfo, PcReport

MEASURED_AT = "2026-11-24T03:42:10+00:00"


def pc_report() -> PcReport:
    return PcReport(
        platform="windows", machine_name="MOTCUA-PC01", cpu_model="Intel Core i3-10100", cpu_cores=4,
        cpu_logical_cores=8, ram_gb=8.0, disks=[DiskInfo("C:", "C:\\", 239.0, "ssd", "NTFS", True, "0", None, 240.1)],
        os_name="Windows 11", os_version="23H2", os_build="22631.2861", os_edition="Pro",
        measured_at=MEASURED_AT, methods={"cpu_model": "registry ProcessorNameString"},
    )


def network_report(status="ok") -> NetworkReport:
    return NetworkReport(status=status, message="Đã đo xong tốc độ mạng.", endpoint="10.0.0.5",
                         endpoint_url="http://10.0.0.5/f", latency_ms=20.0, latency_method="trung vị 5 lần TCP connect",
                         download_mbps=48.5, upload_mbps=None, streams=4, time_cap_s=10.0, duration_s=9.9,
                         measured_at=MEASURED_AT)


def answers(db_url):
    from readiness.service import Workspace

    workspace = Workspace.open(db_url)
    try:
        return workspace.session("23500", "2025-11", create=False).answers
    finally:
        workspace.close()


def test_probe_pc_save_adds_a_probe_row(db_url, monkeypatch, capsys):
    monkeypatch.setattr(cli, "probe_pc", pc_report)
    code = main_cli.main(["--db", db_url, "probe", "pc", "--commune", "23500", "--period", "2025-11", "--save"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Đã lưu vào bản đánh giá của Xã Đăk Hà, kỳ 11/2025" in out
    assert "dòng 1 của bảng «Danh sách máy tính»" in out
    rows = answers(db_url).rows("pcs")
    assert len(rows) == 1
    assert rows[0].source == "probe"
    assert rows[0].values["cpu"] == "Intel Core i3-10100" and rows[0].values["os"] == "win11"
    assert rows[0].meta["measured_at"] == MEASURED_AT and rows[0].meta["machine_name"] == "MOTCUA-PC01"

    # JSON says what was saved; a second run adds a second row.
    code = main_cli.main(["--db", db_url, "probe", "pc", "--json", "--commune", "23500", "--period", "2025-11",
                          "--save"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["saved"]["item"] == "pcs" and data["saved"]["row"] == 2
    assert len(answers(db_url).rows("pcs")) == 2


def test_probe_network_save_fills_measured_items(db_url, monkeypatch, capsys):
    monkeypatch.setattr(cli.network, "measure", lambda endpoints, **kw: network_report())
    code = main_cli.main(["--db", db_url, "probe", "network", "--url", "http://10.0.0.5/f",
                          "--commune", "23500", "--period", "2025-11", "--save"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Đã lưu vào bản đánh giá của Xã Đăk Hà" in out and "48,5 Mbps" in out
    stored = answers(db_url)
    assert stored.values["measured_down_mbps"] == 48.5 and stored.values["latency_ms"] == 20.0
    assert stored.sources["measured_down_mbps"] == "measured"
    assert stored.meta["measured_down_mbps"]["endpoint"] == "10.0.0.5"
    assert "measured_up_mbps" not in stored.values  # not measured: not saved


def test_probe_network_offline_saves_nothing(db_url, monkeypatch, capsys):
    offline = network_report("offline")
    offline.download_mbps = offline.latency_ms = None
    monkeypatch.setattr(cli.network, "measure", lambda endpoints, **kw: offline)
    code = main_cli.main(["--db", db_url, "probe", "network", "--url", "http://10.0.0.5/f",
                          "--commune", "23500", "--period", "2025-11", "--save"])
    assert code == 1
    assert "Không lưu gì vào bản đánh giá." in capsys.readouterr().out
    assert "measured_down_mbps" not in answers(db_url).values


def test_save_needs_commune_and_period(db_url, monkeypatch, capsys):
    called = []
    monkeypatch.setattr(cli, "probe_pc", lambda: called.append(1) or pc_report())
    assert main_cli.main(["--db", db_url, "probe", "pc", "--save"]) == 2
    assert "--save cần --commune CODE và --period YYYY-MM" in capsys.readouterr().err
    assert not called  # nothing measured either


def test_unknown_commune_is_refused_before_measuring(db_url, monkeypatch, capsys):
    called = []
    monkeypatch.setattr(cli, "probe_pc", lambda: called.append(1) or pc_report())
    assert main_cli.main(["--db", db_url, "probe", "pc", "--commune", "99999", "--period", "2025-11", "--save"]) == 1
    assert not called
    assert "Lỗi" in capsys.readouterr().err
