"""What this PC is: processor, memory, disks, operating system, screen.

:func:`probe_pc` measures what it can and records *how* (``methods``) and *when*
(``measured_at``); anything it cannot read stays ``None`` - never a guess - so the officer
can fill it in.  Platform specifics sit in small functions that take their reader (a
:class:`~readiness.probe.host.FileSystem`, a :class:`~readiness.probe.host.Registry`, a
``run`` callable, a psutil-like object) so tests can fake Windows on Linux.  No administrator
rights are needed anywhere.

Units: RAM in GiB (what Windows shows as "GB"), disk sizes in decimal GB (what is printed on
the disk's label: a "256 GB" SSD is 256.1 here).
"""

from __future__ import annotations

import ctypes
import os
import platform as _platform
import re
import socket
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Literal, Mapping, Protocol

from .host import (
    FileSystem,
    OsFileSystem,
    Registry,
    Runner,
    current_platform,
    default_registry,
    run_command,
    run_powershell,
)

__all__ = [
    "DiskInfo",
    "PcEnv",
    "PcReport",
    "PC_ROW_COLUMNS",
    "WindowsVersion",
    "os_code",
    "pc_row",
    "probe_pc",
]

DiskKind = Literal["ssd", "hdd"]
GIB = 1024**3
GB = 1000**3
WIN_CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
WIN_CPU_KEY = r"HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0"
POWERSHELL_TIMEOUT_S = 20.0  # a cold PowerShell start on an old HDD PC takes several seconds


# --------------------------------------------------------------------------- report


@dataclass
class DiskInfo:
    """One mounted volume (a Windows drive letter, a Linux mount point)."""

    device: str
    mount: str | None
    size_gb: float | None  # the volume, decimal GB
    kind: DiskKind | None = None  # of the physical disk holding the volume
    fstype: str | None = None
    system: bool = False  # holds the operating system (C:, /)
    disk: str | None = None  # physical disk: 'nvme0n1', 'sda', Windows disk number '0'
    disk_model: str | None = None
    disk_size_gb: float | None = None  # the whole physical disk, decimal GB
    kind_method: str | None = None


@dataclass
class PcReport:
    platform: str
    machine_name: str | None = None
    cpu_model: str | None = None
    cpu_cores: int | None = None  # physical
    cpu_logical_cores: int | None = None
    ram_gb: float | None = None
    disks: list[DiskInfo] = field(default_factory=list)
    os_name: str | None = None  # 'Windows 11', 'Debian GNU/Linux'
    os_version: str | None = None  # '23H2', '12'
    os_build: str | None = None  # '22631.2861', Linux kernel release
    os_edition: str | None = None  # 'Pro', 'Home Single Language'
    screen_resolution: str | None = None  # '1920x1080' (several screens: '1920x1080, 1366x768')
    measured_at: str = ""
    methods: dict[str, str] = field(default_factory=dict)  # field name -> how it was measured
    notes: list[str] = field(default_factory=list)  # what could not be read, and why

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def system_disk(self) -> DiskInfo | None:
        return next((d for d in self.disks if d.system), None)

    def checklist_row(self) -> dict[str, Any]:
        """This PC as a row of the checklist's PC table (:func:`pc_row`)."""
        return pc_row(self)


# --------------------------------------------------------------------------- environment


class WinApi(Protocol):
    def installed_memory_kb(self) -> int | None: ...

    def screen_size(self) -> tuple[tuple[int, int] | None, str]:
        """((width, height) or None, method)."""


def _devmode_class():
    """``DEVMODEW`` with fixed-width fields (220 bytes on every platform, so it is testable)."""
    u16, u32, i16, i32 = ctypes.c_uint16, ctypes.c_uint32, ctypes.c_int16, ctypes.c_int32

    class DEVMODEW(ctypes.Structure):
        _fields_ = [
            ("dmDeviceName", u16 * 32),
            ("dmSpecVersion", u16),
            ("dmDriverVersion", u16),
            ("dmSize", u16),
            ("dmDriverExtra", u16),
            ("dmFields", u32),
            ("dmPositionX", i32),
            ("dmPositionY", i32),
            ("dmDisplayOrientation", u32),
            ("dmDisplayFixedOutput", u32),
            ("dmColor", i16),
            ("dmDuplex", i16),
            ("dmYResolution", i16),
            ("dmTTOption", i16),
            ("dmCollate", i16),
            ("dmFormName", u16 * 32),
            ("dmLogPixels", u16),
            ("dmBitsPerPel", u32),
            ("dmPelsWidth", u32),
            ("dmPelsHeight", u32),
            ("dmDisplayFlags", u32),
            ("dmDisplayFrequency", u32),
            ("dmICMMethod", u32),
            ("dmICMIntent", u32),
            ("dmMediaType", u32),
            ("dmDitherType", u32),
            ("dmReserved1", u32),
            ("dmReserved2", u32),
            ("dmPanningWidth", u32),
            ("dmPanningHeight", u32),
        ]

    return DEVMODEW


class CtypesWinApi:  # pragma: no cover - exercised on Windows only
    """The real Win32 calls (no rights needed)."""

    def installed_memory_kb(self) -> int | None:
        try:
            kb = ctypes.c_ulonglong(0)
            if ctypes.windll.kernel32.GetPhysicallyInstalledSystemMemory(ctypes.byref(kb)):  # type: ignore[attr-defined]
                return int(kb.value) or None
        except (AttributeError, OSError):
            pass
        return None

    def screen_size(self) -> tuple[tuple[int, int] | None, str]:
        try:
            user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None, "user32"
        try:
            devmode_cls = _devmode_class()
            dm = devmode_cls()
            dm.dmSize = ctypes.sizeof(devmode_cls)
            user32.EnumDisplaySettingsW.argtypes = [ctypes.c_wchar_p, ctypes.c_uint32, ctypes.POINTER(devmode_cls)]
            if user32.EnumDisplaySettingsW(None, 0xFFFFFFFF, ctypes.byref(dm)) and dm.dmPelsWidth and dm.dmPelsHeight:
                # the display mode itself: not shrunk by DPI scaling
                return (int(dm.dmPelsWidth), int(dm.dmPelsHeight)), "EnumDisplaySettingsW"
        except (AttributeError, OSError, ctypes.ArgumentError):
            pass
        try:
            width, height = int(user32.GetSystemMetrics(0)), int(user32.GetSystemMetrics(1))
            if width > 0 and height > 0:
                return (width, height), "GetSystemMetrics (có thể đã bị co theo tỉ lệ DPI)"
        except (AttributeError, OSError):
            pass
        return None, "user32"


def _real_hostname() -> str | None:
    try:
        return os.environ.get("COMPUTERNAME") or socket.gethostname() or _platform.node() or None
    except OSError:
        return _platform.node() or None


def _real_windows_version() -> tuple[int, int, int] | None:
    getter = getattr(sys, "getwindowsversion", None)
    if getter is None:
        return None
    v = getter()
    return (v.platform_version[0], v.platform_version[1], v.build) if hasattr(v, "platform_version") else (v.major, v.minor, v.build)


@dataclass
class PcEnv:
    """Everything :func:`probe_pc` reads; :meth:`current` is the real machine."""

    platform: str
    fs: FileSystem
    registry: Registry | None = None
    run: Runner = run_command
    ps: Any = None  # psutil or a look-alike (cpu_count, virtual_memory, disk_partitions, disk_usage)
    winapi: WinApi | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    hostname: Callable[[], str | None] = lambda: None
    kernel_release: Callable[[], str | None] = lambda: None
    windows_version: Callable[[], tuple[int, int, int] | None] = lambda: None
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    @classmethod
    def current(cls) -> PcEnv:
        plat = current_platform()
        try:
            import psutil  # noqa: PLC0415
        except ImportError:  # pragma: no cover - psutil is a dependency
            psutil = None  # type: ignore[assignment]  # PcEnv.ps is None without psutil
        return cls(
            platform=plat,
            fs=OsFileSystem(),
            registry=default_registry(),
            run=run_command,
            ps=psutil,
            winapi=CtypesWinApi() if plat == "windows" else None,
            environ=os.environ,  # not a dict copy: Windows variable names are case-insensitive
            hostname=_real_hostname,
            kernel_release=lambda: _platform.release() or None,
            windows_version=_real_windows_version,
        )


# --------------------------------------------------------------------------- CPU


_CPUINFO_KEYS = ("model name", "Processor", "cpu model", "Hardware")


def cpu_model_from_cpuinfo(text: str | None) -> str | None:
    """The processor name from ``/proc/cpuinfo`` (x86 ``model name``; older ARM/MIPS keys)."""
    if not text:
        return None
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if sep and value and key in _CPUINFO_KEYS and key not in found:
            found[key] = value
    for key in _CPUINFO_KEYS:
        if key in found and not found[key].isdigit():  # ARM 'processor : 0' is an index, not a name
            return _tidy_cpu(found[key])
    return None


def _tidy_cpu(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def cpu_model(env: PcEnv) -> tuple[str | None, str]:
    if env.platform == "windows":
        value = env.registry.get_value(WIN_CPU_KEY, "ProcessorNameString") if env.registry else None
        return (_tidy_cpu(value) if isinstance(value, str) and value.strip() else None), "registry ProcessorNameString"
    if env.platform == "linux":
        return cpu_model_from_cpuinfo(env.fs.read_text("/proc/cpuinfo")), "/proc/cpuinfo"
    if env.platform == "darwin":
        done = env.run(["sysctl", "-n", "machdep.cpu.brand_string"], 5.0)
        value = done.stdout.strip() if done and done.returncode == 0 else ""
        return (value or None), "sysctl machdep.cpu.brand_string"
    return None, "không hỗ trợ trên hệ điều hành này"


def cpu_counts(ps: Any) -> tuple[int | None, int | None]:
    """(physical, logical) cores from psutil; ``None`` where psutil cannot tell."""
    if ps is None:
        return None, None
    try:
        physical = ps.cpu_count(logical=False)
    except Exception:  # noqa: BLE001 - psutil raises platform-specific errors
        physical = None
    try:
        logical = ps.cpu_count(logical=True)
    except Exception:  # noqa: BLE001
        logical = None
    return (int(physical) if physical else None), (int(logical) if logical else None)


# --------------------------------------------------------------------------- memory


def ram_gb(env: PcEnv) -> tuple[float | None, str]:
    if env.winapi is not None:
        kb = env.winapi.installed_memory_kb()
        if kb:
            return round(kb / 1024 / 1024, 1), "GetPhysicallyInstalledSystemMemory (RAM lắp đặt)"
    if env.ps is not None:
        try:
            total = env.ps.virtual_memory().total
        except Exception:  # noqa: BLE001
            total = None
        if total:
            return round(total / GIB, 1), "psutil (RAM hệ điều hành dùng được)"
    return None, "psutil"


# --------------------------------------------------------------------------- operating system


@dataclass(frozen=True)
class WindowsVersion:
    name: str | None  # 'Windows 11'
    version: str | None  # '23H2'
    build: str | None  # '22631.2861'
    edition: str | None  # 'Pro'
    build_number: int | None
    server: bool = False


_EDITION_IDS = {
    "Core": "Home",
    "CoreN": "Home N",
    "CoreSingleLanguage": "Home Single Language",
    "CoreCountrySpecific": "Home China",
    "Professional": "Pro",
    "ProfessionalN": "Pro N",
    "ProfessionalWorkstation": "Pro for Workstations",
    "ProfessionalEducation": "Pro Education",
    "Enterprise": "Enterprise",
    "EnterpriseS": "Enterprise LTSC",
    "Education": "Education",
    "Ultimate": "Ultimate",
    "HomeBasic": "Home Basic",
    "HomePremium": "Home Premium",
    "Starter": "Starter",
}


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def windows_name(major: int | None, minor: int | None, build: int | None) -> str | None:
    """Windows 10 and 11 both say 10.0; 11 is decided by build >= 22000."""
    if major is None:
        return None
    if major >= 10:
        if build is not None and build >= 22000:
            return "Windows 11"
        return "Windows 10"
    return {(6, 3): "Windows 8.1", (6, 2): "Windows 8", (6, 1): "Windows 7", (6, 0): "Windows Vista"}.get(
        (major, minor or 0), "Windows"
    )


def windows_version(registry: Registry | None, fallback: tuple[int, int, int] | None = None) -> WindowsVersion:
    r"""Read ``HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`` (no rights needed).

    ``ProductName`` still says "Windows 10 …" on Windows 11, so the name comes from the build
    number and only the edition is taken from ``ProductName``/``EditionID``.
    """

    def get(name: str) -> object | None:
        return registry.get_value(WIN_CURRENT_VERSION, name) if registry is not None else None

    build = _as_int(get("CurrentBuildNumber")) or _as_int(get("CurrentBuild"))
    major = _as_int(get("CurrentMajorVersionNumber"))
    minor = _as_int(get("CurrentMinorVersionNumber"))
    if major is None:
        current = get("CurrentVersion")  # '6.1' on Windows 7; 10 also says '6.3' but has the numbers above
        if isinstance(current, str) and re.fullmatch(r"\d+\.\d+", current.strip()):
            major, minor = (int(x) for x in current.strip().split("."))
    if major is None and fallback is not None:
        major, minor, fb_build = fallback
        build = build or fb_build
    product = get("ProductName")
    product = product.strip() if isinstance(product, str) else ""
    server = "server" in product.lower() or str(get("InstallationType") or "").lower() == "server"

    if server:
        match = re.match(r"(?:Microsoft\s+)?(Windows Server(?:\s+\d{4})?(?:\s+R2)?)\s*(.*)", product)
        name = match.group(1) if match else (product or "Windows Server")
        edition = (match.group(2) if match else "") or None
    else:
        name = windows_name(major, minor, build)
        edition = re.sub(r"^(?:Microsoft\s+)?Windows\s+(?:\d+(?:\.\d+)?|Vista|XP)\s*", "", product).strip() or None
        if not edition:
            edition_id = get("EditionID")
            if isinstance(edition_id, str) and edition_id.strip():
                edition = _EDITION_IDS.get(edition_id.strip(), edition_id.strip())

    version = None
    for value_name in ("DisplayVersion", "ReleaseId", "CSDVersion"):
        value = get(value_name)
        if isinstance(value, str) and value.strip():
            version = value.strip()
            break
    ubr = _as_int(get("UBR"))
    build_text = None if build is None else (f"{build}.{ubr}" if ubr is not None else str(build))
    return WindowsVersion(name, version, build_text, edition, build, server)


def parse_os_release(text: str | None) -> dict[str, str]:
    """``/etc/os-release`` as a dict (shell-style quoting removed)."""
    result: dict[str, str] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        result[key.strip()] = value.replace('\\"', '"').replace("\\\\", "\\")
    return result


def os_info(env: PcEnv) -> tuple[dict[str, str | None], str]:
    if env.platform == "windows":
        win = windows_version(env.registry, env.windows_version())
        return {"name": win.name, "version": win.version, "build": win.build, "edition": win.edition}, (
            r"registry HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
        )
    if env.platform == "linux":
        info = parse_os_release(env.fs.read_text("/etc/os-release") or env.fs.read_text("/usr/lib/os-release"))
        return {
            "name": info.get("NAME") or "Linux",
            "version": info.get("VERSION_ID") or info.get("VERSION") or None,
            "build": env.kernel_release(),
            "edition": info.get("VARIANT") or None,
        }, "/etc/os-release"
    if env.platform == "darwin":
        done = env.run(["sw_vers"], 5.0)
        info = {}
        if done and done.returncode == 0:
            for line in done.stdout.splitlines():
                key, _, value = line.partition(":")
                info[key.strip()] = value.strip()
        return {
            "name": info.get("ProductName") or "macOS",
            "version": info.get("ProductVersion") or None,
            "build": info.get("BuildVersion") or None,
            "edition": None,
        }, "sw_vers"
    return {"name": None, "version": None, "build": None, "edition": None}, "không hỗ trợ"


# --------------------------------------------------------------------------- disks


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _linux_parent_disk(fs: FileSystem, name: str, depth: int = 0) -> str | None:
    """The whole-disk name under ``/sys/block`` holding block device ``name``."""
    if depth > 4 or not name:
        return None
    if name.startswith("dm-") or name.startswith("md"):
        slaves = fs.list_dir(f"/sys/block/{name}/slaves")
        if slaves:  # LVM/LUKS/RAID: follow the first underlying device
            return _linux_parent_disk(fs, slaves[0], depth + 1)
        return name if fs.exists(f"/sys/block/{name}") else None
    if fs.exists(f"/sys/block/{name}/queue") or fs.exists(f"/sys/block/{name}"):
        return name
    real = fs.realpath(f"/sys/class/block/{name}")
    parts = real.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-1] == name and fs.exists(f"/sys/block/{parts[-2]}"):
        return parts[-2]
    # sysfs without symlinks (fakes, odd kernels): strip a partition suffix
    match = re.fullmatch(r"((?:nvme\d+n\d+|mmcblk\d+|loop\d+))p\d+|([a-z]+)\d+", name)
    if match:
        parent = match.group(1) or match.group(2)
        if fs.exists(f"/sys/block/{parent}"):
            return parent
    return None


_VIRTUAL_DISK = re.compile(r"^(vd[a-z]+|xvd[a-z]+)$")


def linux_disk_facts(fs: FileSystem, device: str) -> dict[str, Any]:
    """kind/disk/model/size of the physical disk behind ``/dev/...`` from sysfs."""
    facts: dict[str, Any] = {"kind": None, "disk": None, "disk_model": None, "disk_size_gb": None, "kind_method": None}
    if not device.startswith("/dev/"):
        return facts
    name = os.path.basename(fs.realpath(device)) if device.startswith("/dev/mapper/") else os.path.basename(device)
    disk = _linux_parent_disk(fs, name)
    if disk is None:
        return facts
    facts["disk"] = disk
    model = (fs.read_text(f"/sys/block/{disk}/device/model") or "").strip()
    facts["disk_model"] = model or None
    sectors = _as_int((fs.read_text(f"/sys/block/{disk}/size") or "").strip())
    facts["disk_size_gb"] = _round(sectors * 512 / GB) if sectors else None
    rotational = (fs.read_text(f"/sys/block/{disk}/queue/rotational") or "").strip()
    method = f"/sys/block/{disk}/queue/rotational"
    if _VIRTUAL_DISK.match(disk):
        facts["kind_method"] = f"{method} (ổ ảo của máy ảo: không xác định được SSD/HDD)"
    elif (fs.read_text(f"/sys/block/{disk}/removable") or "").strip() == "1":
        facts["kind_method"] = f"{method} (thiết bị tháo rời: không xác định)"
    elif rotational in ("0", "1"):
        facts["kind"] = "ssd" if rotational == "0" else "hdd"
        facts["kind_method"] = method
    return facts


_PS_DISKS = (
    "$d=@(Get-PhysicalDisk | Select-Object @{n='DeviceId';e={\"$($_.DeviceId)\"}},FriendlyName,"
    "@{n='MediaType';e={\"$($_.MediaType)\"}},@{n='BusType';e={\"$($_.BusType)\"}},Size);"
    "$p=@(Get-Partition | Where-Object {$_.DriveLetter} | Select-Object "
    "@{n='DriveLetter';e={\"$($_.DriveLetter)\"}},DiskNumber);"
    "ConvertTo-Json -Compress -Depth 3 -InputObject @{disks=$d;partitions=$p}"
)


def parse_windows_disks(text: str | None) -> tuple[dict[str, dict], dict[str, str]] | None:
    """Output of the ``Get-PhysicalDisk``/``Get-Partition`` script ->
    ({disk number: {kind, model, size_gb, method}}, {drive letter 'C': disk number}).

    ``MediaType`` may arrive as text ('SSD', 'HDD', 'Unspecified') or, from older PowerShell,
    as its number (4 = SSD, 3 = HDD).  An NVMe bus is solid state whatever MediaType says.
    """
    import json  # noqa: PLC0415

    if not text or not text.strip():
        return None
    try:
        data = json.loads(text.strip().lstrip("\ufeff"))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None

    def as_list(value: object) -> list[dict]:
        if isinstance(value, dict):
            return [value]
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    disks: dict[str, dict] = {}
    for item in as_list(data.get("disks")):
        number = str(item.get("DeviceId", "")).strip()
        if not number:
            continue
        media = str(item.get("MediaType", "")).strip().upper()
        bus = str(item.get("BusType", "")).strip().upper()
        kind, method = None, "Get-PhysicalDisk MediaType"
        if media in ("SSD", "4", "SCM", "5"):
            kind = "ssd"
        elif media in ("HDD", "3"):
            kind = "hdd"
        elif bus in ("NVME", "17"):
            kind, method = "ssd", "Get-PhysicalDisk BusType NVMe"
        size = item.get("Size")
        disks[number] = {
            "kind": kind,
            "kind_method": method,
            "disk_model": (str(item.get("FriendlyName") or "").strip() or None),
            "disk_size_gb": _round(size / GB) if isinstance(size, (int, float)) and size > 0 else None,
        }
    letters: dict[str, str] = {}
    for item in as_list(data.get("partitions")):
        letter = item.get("DriveLetter")
        if isinstance(letter, int):  # a [char] serialised as its code
            letter = chr(letter)
        letter = str(letter or "").strip().upper()[:1]
        disk_number = item.get("DiskNumber")
        if letter and disk_number is not None:
            letters[letter] = str(disk_number)
    return disks, letters


def windows_disks(run: Runner) -> tuple[dict[str, dict], dict[str, str]] | None:
    done = run_powershell(_PS_DISKS, run=run, timeout=POWERSHELL_TIMEOUT_S)
    if done is None or done.returncode != 0:
        return None
    return parse_windows_disks(done.stdout)


_SKIP_FSTYPES = {"squashfs", "iso9660", "udf", "overlay", "tmpfs", "devtmpfs"}


def list_disks(env: PcEnv) -> tuple[list[DiskInfo], str, list[str]]:
    notes: list[str] = []
    if env.ps is None:
        return [], "psutil", ["Không có psutil: không liệt kê được ổ đĩa."]
    try:
        partitions = list(env.ps.disk_partitions(all=False))
    except Exception as exc:  # noqa: BLE001
        return [], "psutil", [f"Không liệt kê được ổ đĩa: {exc}"]

    system_drive = (env.environ.get("SystemDrive") or "C:").upper().rstrip("\\") if env.platform == "windows" else None
    disks: list[DiskInfo] = []
    seen: set[str] = set()
    for part in partitions:
        device = str(getattr(part, "device", "") or "")
        mount = str(getattr(part, "mountpoint", "") or "") or None
        fstype = str(getattr(part, "fstype", "") or "") or None
        opts = str(getattr(part, "opts", "") or "")
        if "cdrom" in opts or "remote" in opts or (fstype or "").lower() in _SKIP_FSTYPES or device.startswith("/dev/loop"):
            continue
        if env.platform == "windows" and not fstype:  # card reader without a card, empty drive
            continue
        if device in seen:  # bind mounts, btrfs subvolumes
            continue
        seen.add(device)
        size = None
        if mount:
            try:
                size = _round(env.ps.disk_usage(mount).total / GB)
            except Exception:  # noqa: BLE001
                size = None
        if env.platform == "windows":
            is_system = bool(mount) and (mount or "").upper().rstrip("\\") == system_drive
        else:
            is_system = mount == "/"
        disks.append(DiskInfo(device=device, mount=mount, size_gb=size, fstype=fstype, system=is_system))

    method = "psutil"
    if env.platform == "linux":
        for disk in disks:
            for key, value in linux_disk_facts(env.fs, disk.device).items():
                setattr(disk, key, value)
        method = "psutil; /sys/block/<ổ>/queue/rotational"
    elif env.platform == "windows" and disks:
        parsed = windows_disks(env.run)
        method = "psutil; PowerShell Get-PhysicalDisk"
        if parsed is None:
            notes.append("Không chạy được PowerShell Get-PhysicalDisk: chưa xác định SSD/HDD.")
        else:
            physical, letters = parsed
            for disk in disks:
                number = letters.get((disk.mount or disk.device)[:1].upper())
                if number is not None and number in physical:
                    disk.disk = number
                    for key, value in physical[number].items():
                        setattr(disk, key, value)
    return disks, method, notes


# --------------------------------------------------------------------------- screen


def parse_xrandr(text: str | None) -> list[str]:
    """Current modes (``1920x1080``) of connected outputs in ``xrandr --current`` output."""
    modes: list[str] = []
    connected = False
    for line in (text or "").splitlines():
        if not line.startswith((" ", "\t")):
            connected = " connected" in line
            match = re.search(r" connected(?: primary)? (\d+)x(\d+)\+", line)
            if match and connected:
                modes.append(f"{match.group(1)}x{match.group(2)}")
                connected = False  # already taken from the header line
            continue
        if connected and "*" in line:
            match = re.match(r"\s+(\d+)x(\d+)", line)
            if match:
                modes.append(f"{match.group(1)}x{match.group(2)}")
                connected = False
    return modes


def drm_resolutions(fs: FileSystem) -> list[str]:
    """Preferred mode (first line of ``modes``) of each connected DRM output."""
    result: list[str] = []
    for status_path in fs.glob("/sys/class/drm/card*-*/status"):
        if (fs.read_text(status_path) or "").strip() != "connected":
            continue
        modes = (fs.read_text(status_path[: -len("status")] + "modes") or "").split()
        if modes and re.fullmatch(r"\d+x\d+i?", modes[0]):
            result.append(modes[0].rstrip("i"))
    return result


def screen_resolution(env: PcEnv) -> tuple[str | None, str]:
    try:
        if env.platform == "windows":
            if env.winapi is None:
                return None, "user32"
            size, method = env.winapi.screen_size()
            return (f"{size[0]}x{size[1]}" if size else None), method
        if env.platform == "linux":
            if env.environ.get("DISPLAY") or env.environ.get("WAYLAND_DISPLAY"):
                done = env.run(["xrandr", "--current"], 5.0)
                if done is not None and done.returncode == 0:
                    modes = parse_xrandr(done.stdout)
                    if modes:
                        return ", ".join(modes), "xrandr --current"
            modes = drm_resolutions(env.fs)
            if modes:
                return ", ".join(modes), "/sys/class/drm/*/modes (chế độ ưu tiên của màn hình)"
            return None, "xrandr, /sys/class/drm"
    except Exception:  # noqa: BLE001 - the screen is never worth failing the probe for
        return None, "lỗi khi đọc"
    return None, "không hỗ trợ"


# --------------------------------------------------------------------------- probe


_REQUIRED_LABELS = {
    "cpu_model": "tên bộ xử lý",
    "cpu_cores": "số lõi",
    "ram_gb": "dung lượng RAM",
    "os_name": "hệ điều hành",
    "screen_resolution": "độ phân giải màn hình",
}


def probe_pc(env: PcEnv | None = None) -> PcReport:
    """Measure this PC.  Never raises; unreadable facts stay ``None`` with a note."""
    env = env or PcEnv.current()
    report = PcReport(platform=env.platform, measured_at=env.now().astimezone(timezone.utc).isoformat(timespec="seconds"))
    methods = report.methods

    def attempt(label: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - one bad reader must not lose the rest
            report.notes.append(f"{label}: lỗi {type(exc).__name__}: {exc}")
            return None

    report.machine_name = attempt("machine_name", env.hostname) or None
    methods["machine_name"] = "COMPUTERNAME / gethostname"

    got = attempt("cpu_model", lambda: cpu_model(env))
    if got:
        report.cpu_model, methods["cpu_model"] = got
    counts = attempt("cpu_cores", lambda: cpu_counts(env.ps)) or (None, None)
    report.cpu_cores, report.cpu_logical_cores = counts
    methods["cpu_cores"] = methods["cpu_logical_cores"] = "psutil"

    got = attempt("ram_gb", lambda: ram_gb(env))
    if got:
        report.ram_gb, methods["ram_gb"] = got

    got = attempt("disks", lambda: list_disks(env))
    if got:
        report.disks, methods["disks"], notes = got
        report.notes.extend(notes)

    got = attempt("os", lambda: os_info(env))
    if got:
        info, method = got
        report.os_name, report.os_version = info["name"], info["version"]
        report.os_build, report.os_edition = info["build"], info["edition"]
        for key in ("os_name", "os_version", "os_build", "os_edition"):
            methods[key] = method
        if env.platform == "linux":
            methods["os_build"] = "uname (phiên bản nhân Linux)"

    got = attempt("screen_resolution", lambda: screen_resolution(env))
    if got:
        report.screen_resolution, methods["screen_resolution"] = got

    for name, label in _REQUIRED_LABELS.items():
        if getattr(report, name) is None:
            report.notes.append(f"Không đo được {label}: cán bộ cần tự điền.")
    system = report.system_disk
    if system is not None and system.kind is None:
        report.notes.append("Chưa xác định được ổ hệ thống là SSD hay HDD: cán bộ cần tự chọn.")
    return report


# --------------------------------------------------------------------------- checklist row


PC_ROW_COLUMNS = (
    "role",
    "cpu",
    "cores",
    "ram_gb",
    "storage_type",
    "storage_gb",
    "os",
    "os_version",
    "year",
    "antivirus",
    "condition",
    "source",
)


def os_code(report: PcReport) -> str | None:
    """'win11' | 'win10' | 'win8' | 'win7' | 'linux' | 'other' for the checklist; ``None``
    when the Windows version could not be read."""
    name = (report.os_name or "").strip()
    if report.platform == "windows" and not name:
        return None
    if report.platform == "windows" or name.startswith("Windows"):
        return {
            "Windows 11": "win11",
            "Windows 10": "win10",
            "Windows 8.1": "win8",
            "Windows 8": "win8",
            "Windows 7": "win7",
        }.get(name, "other")
    if report.platform == "linux":
        return "linux"
    return "other"


def os_version_text(report: PcReport) -> str | None:
    """``Windows 11 Pro 23H2 (build 22631.2861)``; ``Ubuntu 22.04 (kernel 6.5.0-14)``."""
    if not report.os_name:
        return None
    words = [report.os_name]
    if report.os_edition:
        words.append(report.os_edition)
    if report.os_version:
        words.append(report.os_version)
    text = " ".join(words)
    if report.os_build:
        label = "kernel" if report.platform == "linux" else "build"
        text += f" ({label} {report.os_build})"
    return text


def pc_row(report: PcReport) -> dict[str, Any]:
    """One row of the checklist's PC table; what the probe cannot know is ``None``."""
    system = report.system_disk
    storage_gb = None
    if system is not None:
        size = system.disk_size_gb if system.disk_size_gb is not None else system.size_gb
        storage_gb = int(round(size)) if size is not None else None  # the column is an integer, label GB
    return {
        "role": None,
        "cpu": report.cpu_model,
        "cores": report.cpu_cores,
        "ram_gb": report.ram_gb,
        "storage_type": system.kind if system is not None else None,
        "storage_gb": storage_gb,
        "os": os_code(report),
        "os_version": os_version_text(report),
        "year": None,
        "antivirus": None,
        "condition": None,
        "source": "probe",
    }
