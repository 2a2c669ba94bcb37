"""Small, injectable windows onto the host: files, the Windows registry, child processes.

Every probe reads the machine only through these seams so that tests can fake ``/proc``,
``/sys``, the registry and PowerShell output (Windows is simulated on Linux).  Nothing here
needs administrator rights, and nothing raises: a missing file, key or program is ``None``
(or an empty list), which the probes report as "not found", never as a guess.
"""

from __future__ import annotations

import glob as _glob
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

__all__ = [
    "CommandResult",
    "FileSystem",
    "OsFileSystem",
    "Registry",
    "Runner",
    "WindowsRegistry",
    "current_platform",
    "default_registry",
    "parse_json_output",
    "powershell_args",
    "run_command",
    "run_powershell",
    "split_key",
]


def current_platform() -> str:
    """``'windows'``, ``'linux'``, ``'darwin'`` or the raw ``sys.platform`` for anything else."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform.startswith("linux"):
        return "linux"
    return sys.platform


# --------------------------------------------------------------------------- files


class FileSystem(Protocol):
    """Read-only file access as the probes need it."""

    def read_text(self, path: str) -> str | None:
        """Whole file as text, or ``None`` when it is missing or unreadable."""

    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> list[str]:
        """Entry names (not paths), sorted; ``[]`` when missing."""

    def glob(self, pattern: str) -> list[str]:
        """Matching paths, sorted; ``[]`` when none."""

    def realpath(self, path: str) -> str: ...


class OsFileSystem:
    """The real file system."""

    def read_text(self, path: str) -> str | None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except OSError:
            return None

    def exists(self, path: str) -> bool:
        try:
            return os.path.exists(path)
        except (OSError, ValueError):
            return False

    def is_dir(self, path: str) -> bool:
        try:
            return os.path.isdir(path)
        except (OSError, ValueError):
            return False

    def list_dir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(path))
        except (OSError, ValueError):
            return []

    def glob(self, pattern: str) -> list[str]:
        try:
            return sorted(_glob.glob(pattern))
        except (OSError, ValueError):
            return []

    def realpath(self, path: str) -> str:
        try:
            return os.path.realpath(path)
        except (OSError, ValueError):
            return path


# --------------------------------------------------------------------------- registry


class Registry(Protocol):
    r"""Read-only registry access.  Keys are full paths such as ``HKLM\SOFTWARE\Microsoft``."""

    def get_value(self, key: str, name: str) -> object | None:
        """The value's data, or ``None`` when the key or value is missing."""

    def subkeys(self, key: str) -> list[str]:
        """Names of the direct subkeys; ``[]`` when the key is missing."""


_HIVE_NAMES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER",
    "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
    "HKCR": "HKEY_CLASSES_ROOT",
    "HKEY_CLASSES_ROOT": "HKEY_CLASSES_ROOT",
    "HKU": "HKEY_USERS",
    "HKEY_USERS": "HKEY_USERS",
}


def split_key(key: str) -> tuple[str, str]:
    r"""``'HKLM\SOFTWARE\X'`` -> ``('HKEY_LOCAL_MACHINE', 'SOFTWARE\X')``."""
    hive, _, rest = key.replace("/", "\\").partition("\\")
    return _HIVE_NAMES.get(hive.upper(), hive.upper()), rest.strip("\\")


class WindowsRegistry:
    """The real registry through :mod:`winreg`, read in the 64-bit view.

    32-bit programs on 64-bit Windows register under ``SOFTWARE\\WOW6432Node``; callers that
    care (the uninstall list) read that path explicitly.
    """

    def __init__(self) -> None:
        import winreg  # noqa: PLC0415 - Windows only

        self._winreg: Any = winreg  # typeshed declares winreg for win32 only; this is checked on Linux
        self._access = self._winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0)

    def _open(self, key: str):
        hive_name, sub = split_key(key)
        hive = getattr(self._winreg, hive_name, None)
        if hive is None:
            return None
        try:
            return self._winreg.OpenKey(hive, sub, 0, self._access)
        except OSError:
            return None

    def get_value(self, key: str, name: str) -> object | None:
        handle = self._open(key)
        if handle is None:
            return None
        try:
            value, _type = self._winreg.QueryValueEx(handle, name)
            return value
        except OSError:
            return None
        finally:
            handle.Close()

    def subkeys(self, key: str) -> list[str]:
        handle = self._open(key)
        if handle is None:
            return []
        names: list[str] = []
        try:
            for index in range(100_000):  # bounded; real uninstall lists hold a few hundred keys
                try:
                    names.append(self._winreg.EnumKey(handle, index))
                except OSError:
                    break
        finally:
            handle.Close()
        return names


def default_registry() -> Registry | None:
    """The real registry on Windows, ``None`` elsewhere."""
    if current_platform() != "windows":
        return None
    try:
        return WindowsRegistry()
    except ImportError:  # pragma: no cover - winreg always exists on Windows
        return None


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str = ""


Runner = Callable[[Sequence[str], float], "CommandResult | None"]
"""``run(args, timeout_s)``: the finished command, or ``None`` when it is missing, failed to
start or ran past its timeout."""


def run_command(args: Sequence[str], timeout: float) -> CommandResult | None:
    """Run a program without a console window, stdin closed, output decoded as UTF-8."""
    kwargs: dict = {}
    if current_platform() == "windows":
        kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0x08000000)
    try:
        done = subprocess.run(
            list(args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return CommandResult(
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )


def powershell_args(script: str) -> list[str]:
    """The command line for a short PowerShell script whose output is UTF-8.

    ``-ExecutionPolicy Bypass`` only affects this process and needs no rights; no profile is
    loaded so a user's slow profile cannot eat the timeout.
    """
    prelude = (
        "$ErrorActionPreference='SilentlyContinue';"
        "$ProgressPreference='SilentlyContinue';"
        "[Console]::OutputEncoding=[System.Text.Encoding]::UTF8;"
    )
    return [
        "powershell.exe",
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-Command",
        prelude + script,
    ]


def run_powershell(script: str, *, run: Runner = run_command, timeout: float = 15.0) -> CommandResult | None:
    return run(powershell_args(script), timeout)


def parse_json_output(text: str | None) -> list[dict] | None:
    """PowerShell ``ConvertTo-Json`` output as a list of objects.

    ``ConvertTo-Json`` prints a bare object for one result and nothing at all for none, so an
    empty output is ``[]`` and a single object is wrapped.  Anything unparseable is ``None``.
    """
    import json  # noqa: PLC0415

    if text is None:
        return None
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(data, dict):
        if set(data) == {"value", "Count"} and isinstance(data["value"], list):  # PS 5.1 array wrapper
            data = data["value"]
        else:
            return [data]
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    return None
