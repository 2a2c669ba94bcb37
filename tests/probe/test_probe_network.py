"""Network speed probe against a throttled HTTP server on 127.0.0.1 (loopback only)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from readiness.probe import network
from readiness.probe.network import ConfigError, Endpoint, NetworkReport, load_config, measure, parse_config

RATE = 2_000_000  # bytes per second the server lets through
RATE_MBPS = RATE * 8 / 1e6  # 16 Mbit/s


def _endpoint(base: str, **overrides) -> Endpoint:
    urls = {"download_url": f"{base}/file", "upload_url": f"{base}/upload", "latency_url": f"{base}/ping"}
    urls.update(overrides)
    return Endpoint(**urls, name="Máy chủ thử")


@pytest.mark.slow
def test_download_and_upload_match_the_throttle(throttled_server):
    seen: list[tuple[float, str]] = []
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        start = time.monotonic()
        report = measure([_endpoint(srv.base)], streams=4, time_cap_s=5.0, progress=lambda f, m: seen.append((f, m)))
        elapsed = time.monotonic() - start
    assert report.status == "ok", report
    assert report.download_mbps == pytest.approx(RATE_MBPS, rel=0.25)
    assert report.upload_mbps == pytest.approx(RATE_MBPS, rel=0.25)
    assert report.latency_ms is not None and 0 <= report.latency_ms < 200
    assert "HTTP GET" in report.latency_method
    assert report.endpoint == "Máy chủ thử"
    assert report.download_bytes > 0 and report.upload_bytes > 0
    assert elapsed <= 5.0 + 0.75
    assert report.measured_at.endswith("+00:00")
    # progress: from the calling thread, non-decreasing, in [0, 1], ends at 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] >= 0 and fractions[-1] == 1.0
    assert any("tải xuống" in m for _, m in seen) and any("tải lên" in m for _, m in seen)
    json.dumps(report.to_dict())  # JSON-friendly


@pytest.mark.slow
def test_slower_link_single_stream(throttled_server):
    with throttled_server(down_rate=500_000, up_rate=500_000) as srv:
        report = measure([_endpoint(srv.base)], streams=1, time_cap_s=4.0)
    assert report.status == "ok", report
    assert report.download_mbps == pytest.approx(4.0, rel=0.25)
    assert report.upload_mbps == pytest.approx(4.0, rel=0.25)


def test_dead_endpoint_is_offline_quickly(dead_port):
    start = time.monotonic()
    report = measure([Endpoint(download_url=f"http://127.0.0.1:{dead_port}/file")], time_cap_s=10.0)
    assert time.monotonic() - start < 2.0
    assert report.status == "offline"
    assert report.message.startswith("Không kết nối được tới máy chủ đo tốc độ")
    assert "Kiểm tra dây mạng/Wi-Fi rồi thử lại." in report.message
    assert report.download_mbps is None and report.upload_mbps is None and report.latency_ms is None
    assert report.errors  # says why


@pytest.mark.slow
def test_falls_back_to_the_next_endpoint(throttled_server, dead_port):
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        dead = Endpoint(download_url=f"http://127.0.0.1:{dead_port}/file", name="hỏng")
        report = measure([dead, _endpoint(srv.base, upload_url=None)], time_cap_s=3.0)
    assert report.status == "ok"
    assert report.endpoint == "Máy chủ thử"
    assert report.upload_mbps is None
    assert any("upload_url" in e for e in report.errors)
    assert any(e.startswith("hỏng:") for e in report.errors)


def test_no_endpoint_configured_says_so():
    report = measure([])
    assert report.status == "not_configured"
    assert "Chưa cấu hình máy chủ đo tốc độ" in report.message


def test_cancel_stops_quickly(throttled_server):
    cancel = threading.Event()
    result: list[NetworkReport] = []
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        worker = threading.Thread(
            target=lambda: result.append(measure([_endpoint(srv.base)], time_cap_s=30.0, cancel=cancel))
        )
        worker.start()
        time.sleep(1.0)
        cancelled_at = time.monotonic()
        cancel.set()
        worker.join(5.0)
        stopped = time.monotonic() - cancelled_at
    assert not worker.is_alive()
    assert stopped < 1.5
    assert result[0].status == "cancelled"
    assert result[0].message == "Đã huỷ phép đo tốc độ mạng."


def test_cancel_before_start_returns_cancelled(throttled_server):
    cancel = threading.Event()
    cancel.set()
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        report = measure([_endpoint(srv.base)], cancel=cancel)
    assert report.status == "cancelled"


@pytest.mark.slow
def test_time_cap_is_respected(throttled_server):
    with throttled_server(down_rate=200_000, up_rate=200_000) as srv:
        start = time.monotonic()
        report = measure([_endpoint(srv.base)], time_cap_s=2.0)
        elapsed = time.monotonic() - start
    assert elapsed <= 2.0 + 0.75
    assert report.duration_s <= 2.0 + 0.75
    assert report.status == "ok"


@pytest.mark.slow
def test_rejected_upload_is_partial(throttled_server):
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        report = measure([_endpoint(srv.base, upload_url=f"{srv.base}/nowhere")], time_cap_s=3.0)
    assert report.status == "partial", report
    assert report.download_mbps is not None
    assert report.upload_mbps is None
    assert "tải lên" in report.message
    assert any("404" in e for e in report.errors)


@pytest.mark.slow
def test_redirected_download_is_followed_and_tcp_latency_without_latency_url(throttled_server):
    with throttled_server(down_rate=RATE, up_rate=RATE) as srv:
        report = measure([Endpoint(download_url=f"{srv.base}/moved")], time_cap_s=3.0)
        assert any(r == "GET /file" for r in srv.requests)
    assert report.status == "ok", report
    assert report.download_mbps == pytest.approx(RATE_MBPS, rel=0.25)
    assert report.latency_method.endswith("TCP connect")


def test_progress_callback_errors_are_ignored(dead_port):
    def broken(fraction, message):
        raise RuntimeError("the display is gone")

    report = measure([Endpoint(download_url=f"http://127.0.0.1:{dead_port}/")], progress=broken)
    assert report.status == "offline"


# --------------------------------------------------------------------------- meter maths


def test_meter_ignores_the_warm_up_burst(monkeypatch):
    meter = network._Meter()
    clock = [100.0]
    monkeypatch.setattr(network.time, "monotonic", lambda: clock[0])
    meter.add(2_000_000)  # a socket buffer filling at once
    meter.sample()
    for _ in range(40):  # then a steady 1 MB/s for 4 s
        clock[0] += 0.1
        meter.add(100_000)
        meter.sample()
    assert meter.mbps() == pytest.approx(8.0, rel=0.01)


def test_meter_without_bytes_is_none():
    assert network._Meter().mbps() is None


# --------------------------------------------------------------------------- configuration


def test_config_json_and_yaml(tmp_path):
    data = {
        "endpoints": [
            {
                "name": "Sở KH&CN",
                "download_url": "https://speedtest.example.gov.vn/25MB.bin",
                "upload_url": "https://speedtest.example.gov.vn/upload",
                "latency_url": "https://speedtest.example.gov.vn/ping",
            },
            {"download_url": "http://10.0.0.5/test.bin"},
        ],
        "streams": 6,
        "time_cap_s": 15,
    }
    as_json = tmp_path / "network.json"
    as_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    as_yaml = tmp_path / "network.yaml"
    as_yaml.write_text(
        "# cấu hình đo tốc độ\n"
        "endpoints:\n"
        "  - name: Sở KH&CN\n"
        "    download_url: https://speedtest.example.gov.vn/25MB.bin\n"
        "    upload_url: https://speedtest.example.gov.vn/upload\n"
        "    latency_url: https://speedtest.example.gov.vn/ping\n"
        "  - download_url: http://10.0.0.5/test.bin\n"
        "streams: 6\n"
        "time_cap_s: 15\n",
        encoding="utf-8",
    )
    for path in (as_json, as_yaml):
        config = load_config(path)
        assert config.streams == 6 and config.time_cap_s == 15.0
        assert [e.label for e in config.endpoints] == ["Sở KH&CN", "10.0.0.5"]
        assert config.endpoints[0].upload_url == "https://speedtest.example.gov.vn/upload"
        assert config.endpoints[1].latency_url is None


def test_config_shapes():
    single = parse_config({"download_url": "http://a.example/x"})
    assert single.endpoints == (Endpoint(download_url="http://a.example/x"),)
    bare = parse_config([{"upload_url": "http://a.example/u"}])
    assert bare.endpoints[0].upload_url == "http://a.example/u"
    assert parse_config(None).endpoints == ()
    assert parse_config({"endpoints": None}).endpoints == ()


@pytest.mark.parametrize(
    "data",
    [
        {"endpoints": [{"download_url": "ftp://x.example/f"}]},
        {"endpoints": [{"download_url": "not a url"}]},
        {"endpoints": [{}]},
        {"endpoints": [{"download_url": "http://x/", "colour": "red"}]},
        {"endpoints": "http://x/"},
        {"endpoints": [], "streams": 0},
        {"endpoints": [], "time_cap_s": "ten"},
        {"endpoints": [], "extra": 1},
        42,
    ],
)
def test_bad_config_is_rejected_in_vietnamese(data):
    with pytest.raises(ConfigError):
        parse_config(data)


def test_unreadable_or_malformed_config(tmp_path):
    with pytest.raises(ConfigError, match="Không đọc được"):
        load_config(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON"):
        load_config(broken)
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("endpoints: [\n  - : :", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(broken_yaml)


def test_find_config_uses_the_environment_variable(tmp_path, monkeypatch):
    path = tmp_path / "speed.yaml"
    path.write_text("download_url: http://10.1.1.1/f.bin\n", encoding="utf-8")
    monkeypatch.setenv(network.CONFIG_ENV_VAR, str(path))
    assert network.default_config_paths()[0] == path
    assert network.find_config() == path


def test_nothing_is_hard_coded_to_a_third_party():
    source = open(network.__file__, encoding="utf-8").read()
    import re

    hosts = set(re.findall(r"https?://([A-Za-z0-9.-]+)", source))
    assert hosts <= {"example.gov.vn"} or not hosts, hosts
