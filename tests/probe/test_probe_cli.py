"""``probe pc|network|signing`` through an argparse parser built the way the main CLI does."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.probe import cli
from readiness.probe.pc import DiskInfo, PcReport
from readiness.probe.signing import DetectorResult, SigningReport


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="readiness")
    subparsers = parser.add_subparsers(dest="command")
    cli.add_probe_commands(subparsers)
    args = parser.parse_args(argv)
    assert args.handler is args.func  # the main CLI calls ``handler``
    return args.func(args)


def fake_pc_report() -> PcReport:
    return PcReport(
        platform="windows",
        machine_name="MOTCUA-PC01",
        cpu_model="Intel(R) Core(TM) i3-10100 CPU @ 3.60GHz",
        cpu_cores=4,
        cpu_logical_cores=8,
        ram_gb=8.0,
        disks=[DiskInfo("C:\\", "C:\\", 239.0, "ssd", "NTFS", True, "0", "KINGSTON SA400S37240G", 240.1)],
        os_name="Windows 11",
        os_version="23H2",
        os_build="22631.2861",
        os_edition="Pro",
        screen_resolution="1920x1080",
        measured_at="2025-03-01T08:30:00+00:00",
        methods={"cpu_model": "registry ProcessorNameString"},
    )


def test_pc_human_output_in_vietnamese(monkeypatch, capsys):
    monkeypatch.setattr(cli, "probe_pc", fake_pc_report)
    assert run(["probe", "pc"]) == 0
    out = capsys.readouterr().out
    for label in ("Bộ xử lý", "Số lõi", "RAM", "Ổ đĩa", "Hệ điều hành", "Màn hình"):
        assert label in out
    assert "Windows 11 Pro 23H2 (bản dựng 22631.2861)" in out
    assert "4 (8 luồng)" in out
    assert "C:\\: SSD, 240,1 GB, KINGSTON SA400S37240G — ổ hệ thống" in out  # decimal comma in Vietnamese


def test_pc_json(monkeypatch, capsys):
    monkeypatch.setattr(cli, "probe_pc", fake_pc_report)
    assert run(["probe", "pc", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cpu_cores"] == 4 and data["disks"][0]["kind"] == "ssd"
    assert data["pc_row"]["os"] == "win11" and data["pc_row"]["source"] == "probe"


def test_pc_for_real(capsys):
    assert run(["probe", "pc"]) == 0
    assert "THÔNG TIN MÁY TÍNH" in capsys.readouterr().out


def test_signing(monkeypatch, capsys):
    report = SigningReport("windows", "2025-03-01T00:00:00+00:00", [
        DetectorResult("token_middleware", "Phần mềm USB token / chữ ký số đã cài", "found", "Đã cài: VNPT-CA Plugin."),
        DetectorResult("smartcard_reader", "Đầu đọc thẻ / USB token đang cắm", "unknown", "Không rõ."),
    ])
    monkeypatch.setattr(cli, "probe_signing", lambda: report)
    assert run(["probe", "signing"]) == 0
    out = capsys.readouterr().out
    assert "Phần mềm USB token / chữ ký số đã cài: CÓ" in out and "CHƯA RÕ" in out
    assert run(["probe", "signing", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] == "found" and data["results"][0]["status"] == "found"


def test_signing_for_real(capsys):
    assert run(["probe", "signing", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 4


@pytest.mark.slow
def test_network_with_url(throttled_server, capsys):
    with throttled_server(down_rate=1_000_000, up_rate=1_000_000) as srv:
        code = run(["probe", "network", "--url", f"{srv.base}/file", "--time-cap", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Tải xuống:" in out and "Mbit/s" in out and "đã đo xong" in out


@pytest.mark.slow
def test_network_with_config_json(throttled_server, tmp_path, capsys):
    with throttled_server(down_rate=1_000_000, up_rate=1_000_000) as srv:
        config = tmp_path / "network.json"
        config.write_text(json.dumps({
            "endpoints": [{"name": "Sở", "download_url": f"{srv.base}/file", "upload_url": f"{srv.base}/upload",
                           "latency_url": f"{srv.base}/ping"}],
            "streams": 2,
            "time_cap_s": 30,
        }), encoding="utf-8")
        code = run(["probe", "network", "--config", str(config), "--time-cap", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["status"] == "ok" and data["streams"] == 2 and data["time_cap_s"] == 2.0
    assert data["download_mbps"] > 0 and data["upload_mbps"] > 0


def test_network_offline_exit_code(dead_port, capsys):
    assert run(["probe", "network", "--url", f"http://127.0.0.1:{dead_port}/f.bin"]) == 1
    out = capsys.readouterr().out
    assert "Kiểm tra dây mạng/Wi-Fi rồi thử lại." in out


def test_network_not_configured(monkeypatch, capsys):
    monkeypatch.setattr(cli.network, "find_config", lambda: None)
    assert run(["probe", "network", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "not_configured"


def test_network_bad_config(tmp_path, capsys):
    bad = tmp_path / "network.yaml"
    bad.write_text("endpoints:\n  - download_url: ftp://x/\n", encoding="utf-8")
    assert run(["probe", "network", "--config", str(bad)]) == 1
    assert "Lỗi cấu hình" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["probe", "network", "--time-cap", "0"], ["probe", "network", "--streams", "99"]])
def test_network_argument_checks(argv, capsys):
    with pytest.raises(SystemExit):
        run(argv)


def test_probe_without_subcommand_prints_help(capsys):
    assert run(["probe"]) == 2
    assert "pc" in capsys.readouterr().out


def test_output_survives_a_console_without_vietnamese():
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", errors="strict")
    cli._out("Bộ xử lý: 4 lõi", stream)
    assert raw.getvalue().decode("cp1252").startswith("B? x? l")


def test_probe_package_never_imports_qt():
    """The import-linter contract, checked at run time too."""
    desktop = Path(__file__).resolve().parents[2] / "desktop"
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "import readiness.probe, readiness.probe.cli, readiness.probe.pc, readiness.probe.network, "
        "readiness.probe.signing, readiness.probe.host\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') or m.startswith('readiness.gui'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    ) % str(desktop)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_wired_into_the_main_cli(capsys):
    from readiness import cli as main_cli

    assert main_cli.main(["probe", "signing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]
