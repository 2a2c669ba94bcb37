"""PC probe: Linux and Windows simulated through fake /proc, /sys, registry and PowerShell."""

from __future__ import annotations

import ctypes
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.probe import pc
from readiness.probe.host import CommandResult
from readiness.probe.pc import (
    PC_ROW_COLUMNS,
    PcEnv,
    PcReport,
    cpu_model_from_cpuinfo,
    parse_os_release,
    parse_windows_disks,
    parse_xrandr,
    pc_row,
    probe_pc,
    windows_version,
)

NOW = datetime(2025, 3, 1, 8, 30, tzinfo=timezone.utc)
GIB = 1024**3


def fake_psutil(partitions, sizes, *, physical=4, logical=8, ram=8 * GIB):
    def disk_usage(mount):
        if mount not in sizes:
            raise OSError("not ready")
        return SimpleNamespace(total=sizes[mount])

    return SimpleNamespace(
        cpu_count=lambda logical_=True, **kw: logical if kw.get("logical", logical_) else physical,
        virtual_memory=lambda: SimpleNamespace(total=ram),
        disk_partitions=lambda all=False: [SimpleNamespace(**p) for p in partitions],
        disk_usage=disk_usage,
    )


# --------------------------------------------------------------------------- Linux

CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz
processor\t: 1
model name\t: Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz
"""

OS_RELEASE = '''PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
ID=ubuntu
'''


def linux_env(fake_fs, fake_runner, *, files=None, runner=None, environ=None, partitions=None, sizes=None):
    base = {
        "/proc/cpuinfo": CPUINFO,
        "/etc/os-release": OS_RELEASE,
        "/sys/block/nvme0n1/queue/rotational": "0\n",
        "/sys/block/nvme0n1/size": "500118192\n",  # 256.06 GB
        "/sys/block/nvme0n1/device/model": "Samsung SSD 980 256GB   \n",
        "/sys/block/nvme0n1/removable": "0\n",
        "/sys/block/sda/queue/rotational": "1\n",
        "/sys/block/sda/size": "1953525168\n",  # 1 TB
        "/sys/block/sda/device/model": "WDC WD10EZEX-08W\n",
        "/sys/block/sda/removable": "0\n",
        "/sys/class/drm/card0-HDMI-A-1/status": "connected\n",
        "/sys/class/drm/card0-HDMI-A-1/modes": "1920x1080\n1280x720\n",
        "/sys/class/drm/card0-DP-1/status": "disconnected\n",
        "/sys/class/drm/card0-DP-1/modes": "",
    }
    base.update(files or {})
    fs = fake_fs(
        base,
        links={"/sys/class/block/nvme0n1p2": "/sys/devices/pci0000:00/nvme/nvme0/nvme0n1/nvme0n1p2"},
    )
    return PcEnv(
        platform="linux",
        fs=fs,
        run=runner or fake_runner({}),
        ps=fake_psutil(
            partitions
            or [
                {"device": "/dev/nvme0n1p2", "mountpoint": "/", "fstype": "ext4", "opts": "rw"},
                {"device": "/dev/nvme0n1p2", "mountpoint": "/var/snap", "fstype": "ext4", "opts": "rw"},
                {"device": "/dev/sda1", "mountpoint": "/data", "fstype": "ext4", "opts": "rw"},
                {"device": "/dev/loop3", "mountpoint": "/snap/core/1", "fstype": "squashfs", "opts": "ro"},
            ],
            sizes or {"/": 250_000_000_000, "/data": 1_000_000_000_000},
            ram=int(15.5 * GIB),
        ),
        environ=environ or {},
        hostname=lambda: "ubnd-xa-01",
        kernel_release=lambda: "6.5.0-14-generic",
        now=lambda: NOW,
    )


def test_linux_pc(fake_fs, fake_runner):
    report = probe_pc(linux_env(fake_fs, fake_runner))
    assert report.cpu_model == "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz"
    assert (report.cpu_cores, report.cpu_logical_cores) == (4, 8)
    assert report.ram_gb == 15.5
    assert report.machine_name == "ubnd-xa-01"
    assert (report.os_name, report.os_version, report.os_build) == ("Ubuntu", "22.04", "6.5.0-14-generic")
    assert report.screen_resolution == "1920x1080"
    assert report.measured_at == "2025-03-01T08:30:00+00:00"
    assert [d.mount for d in report.disks] == ["/", "/data"]  # duplicate device and snap loop skipped
    root, data = report.disks
    assert (root.kind, root.disk, root.system, root.disk_size_gb, root.size_gb) == ("ssd", "nvme0n1", True, 256.1, 250.0)
    assert root.disk_model == "Samsung SSD 980 256GB"
    assert (data.kind, data.disk, data.system) == ("hdd", "sda", False)
    assert report.methods["cpu_model"] == "/proc/cpuinfo"
    assert report.methods["screen_resolution"].startswith("/sys/class/drm")
    assert report.notes == []
    json.dumps(report.to_dict())

    row = pc_row(report)
    assert tuple(row) == PC_ROW_COLUMNS
    assert row == {
        "role": None,
        "cpu": "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz",
        "cores": 4,
        "ram_gb": 15.5,
        "storage_type": "ssd",
        "storage_gb": 256,  # integer column, decimal GB as on the label
        "os": "linux",
        "os_version": "Ubuntu 22.04 (kernel 6.5.0-14-generic)",
        "year": None,
        "antivirus": None,
        "condition": None,
        "source": "probe",
    }


def test_linux_xrandr_preferred_over_drm_when_a_display_is_set(fake_fs, fake_runner):
    xrandr = (
        "Screen 0: minimum 320 x 200, current 3286 x 1080, maximum 16384 x 16384\n"
        "eDP-1 connected primary 1366x768+0+0 (normal left inverted) 309mm x 174mm\n"
        "   1366x768      60.00*+\n"
        "HDMI-1 connected 1920x1080+1366+0 (normal) 527mm x 296mm\n"
        "   1920x1080     60.00*+  50.00\n"
        "DP-1 disconnected (normal left inverted right x axis y axis)\n"
    )
    runner = fake_runner({"xrandr": CommandResult(0, xrandr)})
    report = probe_pc(linux_env(fake_fs, fake_runner, runner=runner, environ={"DISPLAY": ":0"}))
    assert report.screen_resolution == "1366x768, 1920x1080"
    assert report.methods["screen_resolution"] == "xrandr --current"


def test_linux_missing_everything_is_none_not_guessed(fake_fs, fake_runner):
    env = PcEnv(platform="linux", fs=fake_fs({}), run=fake_runner({}), now=lambda: NOW)
    report = probe_pc(env)
    assert report.cpu_model is None and report.cpu_cores is None and report.ram_gb is None
    assert report.screen_resolution is None and report.disks == []
    assert report.os_name == "Linux" and report.os_version is None
    assert any("tên bộ xử lý" in n for n in report.notes)
    row = pc_row(report)
    assert row["storage_type"] is None and row["storage_gb"] is None and row["cpu"] is None


def test_virtual_and_lvm_disks(fake_fs, fake_runner):
    files = {
        "/sys/block/vda/queue/rotational": "1\n",
        "/sys/block/vda/size": "536870912\n",
        "/sys/block/dm-0/queue/rotational": "1\n",
        "/sys/block/dm-0/slaves/nvme0n1p3": "",
    }
    env = linux_env(
        fake_fs, fake_runner, files=files,
        partitions=[
            {"device": "/dev/vda", "mountpoint": "/", "fstype": "ext4", "opts": "rw"},
            {"device": "/dev/mapper/vg-home", "mountpoint": "/home", "fstype": "ext4", "opts": "rw"},
        ],
        sizes={"/": 270_000_000_000, "/home": 200_000_000_000},
    )
    env.fs.links["/dev/mapper/vg-home"] = "/dev/dm-0"
    report = probe_pc(env)
    root, home = report.disks
    assert root.kind is None and "ảo" in root.kind_method  # a VM's virtio disk says rotational=1: not trusted
    assert root.disk_size_gb == 274.9
    assert (home.disk, home.kind) == ("nvme0n1", "ssd")  # LVM followed to its physical disk
    assert any("SSD hay HDD" in n for n in report.notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CPUINFO, "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz"),
        ("processor : 0\nHardware : BCM2835\n", "BCM2835"),
        ("Processor : ARMv7 Processor rev 4 (v7l)\nprocessor : 0\n", "ARMv7 Processor rev 4 (v7l)"),
        ("processor : 0\n", None),
        ("", None),
    ],
)
def test_cpuinfo(text, expected):
    assert cpu_model_from_cpuinfo(text) == expected


@given(st.text())
def test_parsers_never_raise(text):
    cpu_model_from_cpuinfo(text)
    parse_os_release(text)
    parse_xrandr(text)
    parse_windows_disks(text)


# --------------------------------------------------------------------------- Windows

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
WIN11_PRO = {
    "ProductName": "Windows 10 Pro",  # sic: Windows 11 still says 10 here
    "EditionID": "Professional",
    "DisplayVersion": "23H2",
    "CurrentBuild": "22631",
    "CurrentBuildNumber": "22631",
    "UBR": 2861,
    "CurrentMajorVersionNumber": 10,
    "CurrentMinorVersionNumber": 0,
    "CurrentVersion": "6.3",
}

PS_DISKS = json.dumps(
    {
        "disks": [
            {"DeviceId": "0", "FriendlyName": "KINGSTON SA400S37240G", "MediaType": "SSD", "BusType": "SATA",
             "Size": 240057409536},
            {"DeviceId": "1", "FriendlyName": "ST1000DM010-2EP102", "MediaType": "HDD", "BusType": "SATA",
             "Size": 1000204886016},
        ],
        "partitions": [{"DriveLetter": "C", "DiskNumber": 0}, {"DriveLetter": "D", "DiskNumber": 1}],
    }
)


class FakeWinApi:
    def __init__(self, memory_kb=8 * 1024 * 1024, screen=((1920, 1080), "EnumDisplaySettingsW")):
        self.memory_kb, self.screen = memory_kb, screen

    def installed_memory_kb(self):
        return self.memory_kb

    def screen_size(self):
        return self.screen


def windows_env(fake_fs, fake_registry, fake_runner, *, version=None, runner=None, winapi=None):
    registry = fake_registry(
        {
            CURRENT_VERSION: WIN11_PRO if version is None else version,
            r"HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0": {
                "ProcessorNameString": "Intel(R) Core(TM) i3-10100 CPU @ 3.60GHz   "
            },
        }
    )
    return PcEnv(
        platform="windows",
        fs=fake_fs({}),
        registry=registry,
        run=runner or fake_runner({"Get-PhysicalDisk": CommandResult(0, PS_DISKS)}),
        ps=fake_psutil(
            [
                {"device": "C:\\", "mountpoint": "C:\\", "fstype": "NTFS", "opts": "rw,fixed"},
                {"device": "D:\\", "mountpoint": "D:\\", "fstype": "NTFS", "opts": "rw,fixed"},
                {"device": "E:\\", "mountpoint": "E:\\", "fstype": "", "opts": "cdrom"},
            ],
            {"C:\\": 239_000_000_000, "D:\\": 1_000_000_000_000},
            physical=4, logical=8, ram=int(7.8 * GIB),
        ),
        winapi=winapi or FakeWinApi(),
        environ={"SystemDrive": "C:"},
        hostname=lambda: "MOTCUA-PC01",
        now=lambda: NOW,
    )


def test_windows_11_pc(fake_fs, fake_registry, fake_runner):
    runner = fake_runner({"Get-PhysicalDisk": CommandResult(0, PS_DISKS)})
    report = probe_pc(windows_env(fake_fs, fake_registry, fake_runner, runner=runner))
    assert report.cpu_model == "Intel(R) Core(TM) i3-10100 CPU @ 3.60GHz"
    assert report.ram_gb == 8.0  # installed, not the 7.8 GiB usable
    assert (report.os_name, report.os_edition, report.os_version, report.os_build) == ("Windows 11", "Pro", "23H2", "22631.2861")
    assert report.screen_resolution == "1920x1080"
    assert [d.mount for d in report.disks] == ["C:\\", "D:\\"]  # the CD drive is skipped
    c, d = report.disks
    assert (c.kind, c.system, c.disk, c.disk_size_gb, c.disk_model) == ("ssd", True, "0", 240.1, "KINGSTON SA400S37240G")
    assert (d.kind, d.system) == ("hdd", False)
    assert report.methods["os_name"].startswith("registry")
    assert report.methods["disks"] == "psutil; PowerShell Get-PhysicalDisk"
    # PowerShell ran hidden-window friendly: no profile, non-interactive, with a timeout
    args, timeout = runner.calls[0]
    assert args[:3] == ["powershell.exe", "-NoProfile", "-NonInteractive"] and 0 < timeout <= 30
    row = pc_row(report)
    assert row["os"] == "win11"
    assert row["os_version"] == "Windows 11 Pro 23H2 (build 22631.2861)"
    assert (row["storage_type"], row["storage_gb"], row["cores"], row["ram_gb"]) == ("ssd", 240, 4, 8.0)


def test_windows_without_powershell_leaves_kind_unknown(fake_fs, fake_registry, fake_runner):
    report = probe_pc(windows_env(fake_fs, fake_registry, fake_runner, runner=fake_runner({})))
    assert [d.kind for d in report.disks] == [None, None]
    assert any("Get-PhysicalDisk" in n for n in report.notes)
    assert pc_row(report)["storage_gb"] == 239  # falls back to the volume size


@pytest.mark.parametrize(
    ("values", "name", "edition", "version", "build", "code"),
    [
        ({**WIN11_PRO, "CurrentBuild": "19045", "CurrentBuildNumber": "19045", "UBR": 3803, "DisplayVersion": "22H2"},
         "Windows 10", "Pro", "22H2", "19045.3803", "win10"),
        ({"ProductName": "Windows 10 Home Single Language", "CurrentMajorVersionNumber": 10,
          "CurrentBuildNumber": "18363", "ReleaseId": "1909"},
         "Windows 10", "Home Single Language", "1909", "18363", "win10"),
        ({"ProductName": "Windows 7 Professional", "CurrentVersion": "6.1", "CurrentBuildNumber": "7601",
          "CSDVersion": "Service Pack 1", "EditionID": "Professional"},
         "Windows 7", "Professional", "Service Pack 1", "7601", "win7"),
        ({"ProductName": "Windows 8.1 Pro", "CurrentVersion": "6.3", "CurrentBuildNumber": "9600"},
         "Windows 8.1", "Pro", None, "9600", "win8"),
        ({"CurrentMajorVersionNumber": 10, "CurrentBuildNumber": "22000", "EditionID": "CoreSingleLanguage"},
         "Windows 11", "Home Single Language", None, "22000", "win11"),
        ({"ProductName": "Windows Server 2019 Standard", "CurrentMajorVersionNumber": 10,
          "CurrentBuildNumber": "17763", "InstallationType": "Server"},
         "Windows Server 2019", "Standard", None, "17763", "other"),
    ],
)
def test_windows_versions(fake_registry, values, name, edition, version, build, code):
    win = windows_version(fake_registry({CURRENT_VERSION: values}))
    assert (win.name, win.edition, win.version, win.build) == (name, edition, version, build)
    report = PcReport(platform="windows", os_name=win.name)
    assert pc.os_code(report) == code


def test_windows_unreadable_registry_falls_back_to_the_api_version(fake_registry):
    win = windows_version(fake_registry({}), fallback=(10, 0, 22631))
    assert (win.name, win.build, win.edition) == ("Windows 11", "22631", None)
    assert windows_version(None).name is None
    assert pc.os_code(PcReport(platform="windows")) is None  # unknown is not 'other'


@pytest.mark.parametrize(
    ("disk", "kind"),
    [
        ({"DeviceId": "0", "MediaType": 4, "BusType": 11}, "ssd"),  # numbers from old PowerShell
        ({"DeviceId": "0", "MediaType": 3}, "hdd"),
        ({"DeviceId": "0", "MediaType": "Unspecified", "BusType": "NVMe"}, "ssd"),
        ({"DeviceId": "0", "MediaType": "Unspecified", "BusType": "RAID"}, None),
    ],
)
def test_windows_media_types(disk, kind):
    disks, letters = parse_windows_disks(json.dumps({"disks": disk, "partitions": {"DriveLetter": 67, "DiskNumber": 0}}))
    assert disks["0"]["kind"] == kind
    assert letters == {"C": "0"}


def test_windows_screen_via_dpi_scaled_fallback(fake_fs, fake_registry, fake_runner):
    api = FakeWinApi(memory_kb=None, screen=((1536, 864), "GetSystemMetrics (có thể đã bị co theo tỉ lệ DPI)"))
    report = probe_pc(windows_env(fake_fs, fake_registry, fake_runner, winapi=api))
    assert report.screen_resolution == "1536x864"
    assert "DPI" in report.methods["screen_resolution"]
    assert report.ram_gb == 7.8 and report.methods["ram_gb"].startswith("psutil")


def test_devmode_structure_matches_win32_layout():
    devmode = pc._devmode_class()
    assert ctypes.sizeof(devmode) == 220
    assert devmode.dmPelsWidth.offset == 172 and devmode.dmPelsHeight.offset == 176


def test_a_crashing_reader_is_a_note_not_an_exception(fake_fs, fake_runner):
    env = linux_env(fake_fs, fake_runner)
    env.ps = SimpleNamespace(
        cpu_count=lambda **kw: 1 / 0,
        virtual_memory=lambda: 1 / 0,
        disk_partitions=lambda all=False: 1 / 0,
        disk_usage=lambda m: 1 / 0,
    )
    env.hostname = lambda: 1 / 0
    report = probe_pc(env)
    assert report.cpu_cores is None and report.ram_gb is None and report.disks == []
    assert report.cpu_model  # the rest still measured
    assert any("ZeroDivisionError" in n or "Không liệt kê" in n for n in report.notes)


def test_real_machine_smoke():
    report = probe_pc()
    data = report.to_dict()
    json.dumps(data)
    assert data["measured_at"].endswith("+00:00")
    assert tuple(pc_row(report)) == PC_ROW_COLUMNS
