"""Is this PC ready to sign documents digitally?  Small, pluggable detectors.

Each :class:`Detector` looks at one thing - token middleware in the list of installed programs,
known install folders, a smart-card reader / USB token plugged in, certificates in the user's
store - and answers ``found`` / ``not_found`` / ``unknown`` (``unknown`` where it cannot look:
another platform, a command that timed out).  Detectors read the machine only through a
:class:`SigningEnv`, so tests fake the registry, the file system and PowerShell's JSON.

Which products are known is data, not code: :data:`KNOWN_PRODUCTS` (one row per product:
how its uninstall entry is named, where it installs, how its certificates' issuer reads).
No administrator rights are needed; no PIN is ever asked for.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Literal, Protocol, Sequence

from .host import (
    FileSystem,
    OsFileSystem,
    Registry,
    Runner,
    current_platform,
    default_registry,
    parse_json_output,
    run_command,
    run_powershell,
)

__all__ = [
    "CERTIFICATE_ROW_COLUMNS",
    "DEFAULT_DETECTORS",
    "KNOWN_PRODUCTS",
    "CertificatesDetector",
    "Detector",
    "DetectorResult",
    "FoldersDetector",
    "Listing",
    "MiddlewareDetector",
    "SigningEnv",
    "SigningProduct",
    "SigningReport",
    "SmartCardReaderDetector",
    "certificate_rows",
    "probe_signing",
]

Status = Literal["found", "not_found", "unknown"]
POWERSHELL_TIMEOUT_S = 20.0
NOT_WINDOWS = "Chỉ kiểm tra được trên Windows."


# --------------------------------------------------------------------------- the data table


def _name(core: str) -> str:
    """A product name not glued to other letters: 'VNPT-CA' but not 'FPT Camera'."""
    return rf"(?<![a-z0-9]){core}(?![a-z])"


@dataclass(frozen=True)
class SigningProduct:
    key: str
    label: str
    names: tuple[str, ...]  # regexes (case-insensitive) on the uninstall entry's DisplayName
    folders: tuple[str, ...] = ()  # Windows: relative to Program Files / Program Files (x86)
    system_files: tuple[str, ...] = ()  # Windows: PKCS#11/CSP DLLs in System32 / SysWOW64
    linux_paths: tuple[str, ...] = ()  # absolute paths of Linux drivers
    issuers: tuple[str, ...] = ()  # regexes on a certificate's Issuer
    government: bool = False  # Ban Cơ yếu Chính phủ (government's own CA)


KNOWN_PRODUCTS: tuple[SigningProduct, ...] = (
    SigningProduct("bkavca", "BkavCA", (_name(r"bkav[\s_-]*ca"),), ("BkavCA", r"Bkav Corporation\BkavCA"),
                   issuers=(r"bkav",)),
    SigningProduct("vnptca", "VNPT-CA", (_name(r"vnpt[\s_-]*ca"),), ("VNPT-CA", "VNPT CA", "VNPT-CA Plugin"),
                   issuers=(r"vnpt",)),
    SigningProduct("viettelca", "Viettel-CA", (_name(r"viettel[\s_-]*ca"),), ("Viettel-CA", "ViettelCA", "Viettel CA"),
                   issuers=(r"viettel",)),
    SigningProduct("safeca", "SafeCA", (_name(r"safe[\s_-]*ca"),), ("SafeCA",), issuers=(_name(r"safe[\s_-]*ca"),)),
    SigningProduct("fptca", "FPT-CA", (_name(r"fpt[\s_-]*ca"),), ("FPT-CA", "FPT CA"), issuers=(_name(r"fpt"),)),
    SigningProduct("newca", "NewCA", (_name(r"new[\s_-]*ca"),), ("NewCA",), issuers=(_name(r"new[\s_-]*ca"),)),
    SigningProduct("ca2", "CA2 (Nacencomm)", (r"nacencomm", _name(r"ca2")), ("Nacencomm", "CA2"),
                   issuers=(r"nacencomm", _name(r"ca2"))),
    SigningProduct("misaca", "MISA-CA", (_name(r"misa[\s_-]*ca"),), ("MISA-CA", r"MISA JSC\MISA-CA"),
                   issuers=(_name(r"misa"),)),
    SigningProduct("efyca", "EFY-CA", (_name(r"efy[\s_-]*ca"),), ("EFY-CA",), issuers=(_name(r"efy"),)),
    SigningProduct("cmcca", "CMC-CA", (_name(r"cmc[\s_-]*ca"),), ("CMC-CA",), issuers=(_name(r"cmc[\s_-]*ca"),)),
    SigningProduct("vinaca", "Vina-CA", (_name(r"vina[\s_-]*ca"),), ("Vina-CA",), issuers=(_name(r"vina[\s_-]*ca"),)),
    SigningProduct(
        "safenet",
        "SafeNet Authentication Client (eToken)",
        (r"safenet authentication client", _name(r"etoken")),
        (r"SafeNet\Authentication", r"Gemalto\SafeNet Authentication Client"),
        system_files=("eTPKCS11.dll",),
        linux_paths=("/usr/lib/libeTPkcs11.so", "/usr/lib/x86_64-linux-gnu/libeTPkcs11.so"),
    ),
    SigningProduct(
        "epass2003",
        "ePass2003 (Feitian)",
        (_name(r"epass[\s_-]*2003"),),
        (r"EnterSafe\ePass2003", "ePass2003"),
        system_files=("ShuttleCsp11_3003.dll",),
        linux_paths=("/usr/lib/libcastle.so.1.0.0", "/usr/lib/x86_64-linux-gnu/libcastle.so.1.0.0"),
    ),
    SigningProduct("vsignpdf", "vSignPDF (Ban Cơ yếu Chính phủ)", (_name(r"vsign[\s_-]*pdf"),), ("vSignPDF",),
                   government=True),
    SigningProduct(
        "vgca",
        "VGCA (Ban Cơ yếu Chính phủ)",
        (_name(r"vgca"),),
        ("VGCA", "VGCA Sign Service"),
        issuers=(r"ban c(o|ơ) y(e|ế)u", r"chinh phu|chính phủ", r"government", _name(r"vgca")),
        government=True,
    ),
    SigningProduct("gca", "GCA (Ban Cơ yếu Chính phủ)", (_name(r"gca"),), ("GCA",), government=True),
)

UNINSTALL_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
)


def match_product(text: str, products: Sequence[SigningProduct] = KNOWN_PRODUCTS, *, issuer: bool = False) -> SigningProduct | None:
    """The first product whose DisplayName (or, with ``issuer``, Issuer) patterns match ``text``."""
    for product in products:
        for pattern in product.issuers if issuer else product.names:
            if re.search(pattern, text, re.IGNORECASE):
                return product
    return None


# --------------------------------------------------------------------------- results


@dataclass
class DetectorResult:
    name: str
    label: str  # Vietnamese, for the officer
    status: Status
    details: str  # one Vietnamese sentence: what was seen, or why we cannot tell
    items: list[dict[str, Any]] = field(default_factory=list)
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Listing:
    """What a lister saw: ``items`` is ``None`` when it could not look (``note`` says why)."""

    items: list[dict[str, Any]] | None
    method: str
    note: str = ""


@dataclass
class SigningReport:
    platform: str
    measured_at: str
    results: list[DetectorResult] = field(default_factory=list)

    @property
    def overall(self) -> Status:
        """``found`` if any detector found something, ``not_found`` if all looked and found
        nothing, otherwise ``unknown``.  The officer still confirms."""
        statuses = {r.status for r in self.results}
        if "found" in statuses:
            return "found"
        if statuses == {"not_found"}:
            return "not_found"
        return "unknown"

    def result(self, name: str) -> DetectorResult | None:
        return next((r for r in self.results if r.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "measured_at": self.measured_at,
            "overall": self.overall,
            "results": [r.to_dict() for r in self.results],
        }


# --------------------------------------------------------------------------- environment


def _cannot_look(note: str = NOT_WINDOWS) -> Listing:
    return Listing(None, "", note)


@dataclass
class SigningEnv:
    """The platform facts the detectors may read; :meth:`current` is the real machine."""

    platform: str
    registry: Registry | None = None
    file_exists: Callable[[str], bool] = lambda path: False
    list_dir: Callable[[str], list[str]] = lambda path: []
    program_dirs: list[str] = field(default_factory=list)  # Program Files, Program Files (x86), …
    system_dirs: list[str] = field(default_factory=list)  # System32, SysWOW64
    list_certificates: Callable[[], Listing] = _cannot_look
    list_smartcard_readers: Callable[[], Listing] = _cannot_look
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    @classmethod
    def current(cls, run: Runner = run_command) -> SigningEnv:
        plat = current_platform()
        fs = OsFileSystem()
        env = cls(platform=plat, file_exists=fs.exists, list_dir=fs.list_dir)
        if plat == "windows":
            env.registry = default_registry()
            env.program_dirs, env.system_dirs = windows_dirs(os.environ)
            env.list_certificates = lambda: windows_certificates(run, env.now)
            env.list_smartcard_readers = lambda: windows_smartcard_readers(run)
        elif plat == "linux":
            env.list_smartcard_readers = lambda: linux_smartcard_readers(fs, run)
            env.list_certificates = lambda: _cannot_look(
                "Trên Linux chưa đọc kho chứng thư (mỗi trình duyệt/phần mềm ký có kho riêng)."
            )
        return env


def windows_dirs(environ: dict[str, str] | os._Environ) -> tuple[list[str], list[str]]:
    programs: list[str] = []
    for key in ("ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"):
        value = environ.get(key)
        if value and value not in programs:
            programs.append(value)
    local = environ.get("LOCALAPPDATA")
    if local:
        programs.append(local + r"\Programs")
    root = environ.get("SystemRoot") or environ.get("windir") or r"C:\Windows"
    return programs, [root + r"\System32", root + r"\SysWOW64"]


# --------------------------------------------------------------------------- PowerShell listers

_PS_CERTS = (
    r"$c=@(Get-ChildItem Cert:\CurrentUser\My | Select-Object Subject,Issuer,"
    "@{n='NotAfter';e={$_.NotAfter.ToUniversalTime().ToString('o')}},"
    "@{n='NotBefore';e={$_.NotBefore.ToUniversalTime().ToString('o')}},"
    "Thumbprint,HasPrivateKey);"
    "ConvertTo-Json -Compress -InputObject $c"
)

_PS_READERS = (
    "if (-not (Get-Command Get-PnpDevice -ErrorAction SilentlyContinue)) { exit 3 };"
    "$r=@(Get-PnpDevice -Class SmartCardReader,SmartCard -PresentOnly | "
    "Select-Object FriendlyName,@{n='Class';e={\"$($_.Class)\"}},@{n='Status';e={\"$($_.Status)\"}},InstanceId);"
    "ConvertTo-Json -Compress -InputObject $r"
)


def parse_ps_date(value: object) -> datetime | None:
    """PowerShell dates: ISO 8601 (``'o'`` format, 7 decimals) or 5.1's ``/Date(ms)/``."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = re.fullmatch(r"\\?/Date\((-?\d+)([+-]\d{4})?\)\\?/", text)
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    text = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def dn_part(dn: str, attribute: str) -> str | None:
    """One attribute (``CN``, ``O``) of a distinguished name as Windows prints it."""
    pattern = rf'(?:^|[,;+]\s*){attribute}=("(?:[^"]|"")*"|[^,;+]*)'
    match = re.search(pattern, dn or "", re.IGNORECASE)
    if not match:
        return None
    value = match.group(1).strip()
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        value = value[1:-1].replace('""', '"')
    return value or None


def parse_certificates(items: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Certificate rows for the report.  Only the subject's CN is kept (Vietnamese
    certificates often carry an ID-card or tax number in other fields)."""
    rows: list[dict[str, Any]] = []
    for item in items:
        subject = str(item.get("Subject") or "")
        issuer = str(item.get("Issuer") or "")
        not_after = parse_ps_date(item.get("NotAfter"))
        days_left = None
        if not_after is not None:
            days_left = (not_after - now).days if not_after >= now else -((now - not_after).days + 1)
        product = match_product(issuer, issuer=True)
        has_key = item.get("HasPrivateKey")
        rows.append(
            {
                "subject": dn_part(subject, "CN") or dn_part(subject, "O") or None,
                "organization": dn_part(subject, "O"),
                "issuer": dn_part(issuer, "CN") or dn_part(issuer, "O") or (issuer or None),
                "not_after": not_after.isoformat(timespec="seconds") if not_after else None,
                "days_left": days_left,
                "expired": (not_after < now) if not_after else None,
                "thumbprint": str(item.get("Thumbprint") or "") or None,
                "has_private_key": has_key if isinstance(has_key, bool) else None,
                "ca": product.label if product else None,
            }
        )
    # usable for signing first (valid, with a private key), then a known CA's, then the longest-lived
    rows.sort(
        key=lambda r: (
            r["expired"] is not False or r["has_private_key"] is False,
            r["ca"] is None,
            -(r["days_left"] if r["days_left"] is not None else -(10**6)),
        )
    )
    return rows


def windows_certificates(run: Runner, now: Callable[[], datetime]) -> Listing:
    method = r"PowerShell Get-ChildItem Cert:\CurrentUser\My"
    done = run_powershell(_PS_CERTS, run=run, timeout=POWERSHELL_TIMEOUT_S)
    if done is None:
        return Listing(None, method, "PowerShell không chạy được hoặc quá thời gian chờ.")
    items = parse_json_output(done.stdout)
    if items is None:
        return Listing(None, method, "Không đọc được kết quả của PowerShell.")
    return Listing(parse_certificates(items, now()), method)


def windows_smartcard_readers(run: Runner) -> Listing:
    method = "PowerShell Get-PnpDevice -Class SmartCardReader,SmartCard -PresentOnly"
    done = run_powershell(_PS_READERS, run=run, timeout=POWERSHELL_TIMEOUT_S)
    if done is None:
        return Listing(None, method, "PowerShell không chạy được hoặc quá thời gian chờ.")
    if done.returncode == 3:
        return Listing(None, method, "Windows này không có lệnh Get-PnpDevice (Windows 7?).")
    items = parse_json_output(done.stdout)
    if items is None:
        return Listing(None, method, "Không đọc được kết quả của PowerShell.")
    return Listing(
        [
            {"name": str(i.get("FriendlyName") or "") or None, "class": i.get("Class"), "status": i.get("Status"),
             "instance_id": i.get("InstanceId")}
            for i in items
        ],
        method,
    )


# --------------------------------------------------------------------------- Linux reader lister

PCSCD_SOCKETS = ("/run/pcscd/pcscd.comm", "/var/run/pcscd/pcscd.comm")
PKCS11_GLOBS = ("/usr/lib/*/pkcs11", "/usr/lib/pkcs11", "/usr/lib64/pkcs11")
USB_DEVICES = "/sys/bus/usb/devices"
CCID_CLASS = "0b"  # USB interface class "Smart Card"


def parse_pcsc_scan(text: str) -> list[str] | None:
    """Reader names from ``pcsc_scan -r``; ``[]`` for "no reader"; ``None`` if unclear."""
    readers = [m.group(1).strip() for m in re.finditer(r"^\s*\d+:\s+(.+?)\s*$", text or "", re.MULTILINE)]
    if readers:
        return readers
    if re.search(r"no reader", text or "", re.IGNORECASE):
        return []
    return None


def linux_smartcard_readers(fs: FileSystem, run: Runner) -> Listing:
    """``pcsc_scan -r`` if installed; else USB interfaces of the smart-card class in sysfs;
    else (PC/SC or PKCS#11 software present but no reader seen) unknown."""
    done = run(["pcsc_scan", "-r"], 5.0)
    if done is not None:
        readers = parse_pcsc_scan(done.stdout + "\n" + done.stderr)
        if readers is not None:
            return Listing([{"name": r} for r in readers], "pcsc_scan -r")

    software = [p for p in PCSCD_SOCKETS if fs.exists(p)]
    for pattern in PKCS11_GLOBS:
        software.extend(fs.glob(pattern))
    method = f"{USB_DEVICES}/*/bInterfaceClass (lớp 0b: thẻ thông minh)"
    if fs.is_dir(USB_DEVICES):
        found = []
        for path in fs.glob(f"{USB_DEVICES}/*/bInterfaceClass"):
            if (fs.read_text(path) or "").strip().lower() != CCID_CLASS:
                continue
            interface = path.rsplit("/", 2)[-2]  # '1-1:1.0'
            device = f"{USB_DEVICES}/{interface.split(':')[0]}"
            name = " ".join(
                part.strip() for part in (fs.read_text(f"{device}/manufacturer"), fs.read_text(f"{device}/product")) if part
            )
            found.append({"name": name or f"USB {interface}", "usb": interface})
        if found:
            return Listing(found, method)
        if not software:
            return Listing([], method)
    if software:
        return Listing(
            None,
            method,
            "Có phần mềm thẻ thông minh (" + ", ".join(software) + ") nhưng không phát hiện được đầu đọc; "
            "hãy cắm USB token rồi kiểm tra lại.",
        )
    return Listing(None, method, "Không có pcsc_scan và không đọc được danh sách thiết bị USB.")


# --------------------------------------------------------------------------- detectors


class Detector(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...

    def detect(self, env: SigningEnv) -> DetectorResult: ...


@dataclass(frozen=True)
class MiddlewareDetector:
    """Token middleware in the Windows list of installed programs (uninstall registry keys)."""

    products: tuple[SigningProduct, ...] = KNOWN_PRODUCTS
    name: str = "token_middleware"
    label: str = "Phần mềm USB token / chữ ký số đã cài"

    def detect(self, env: SigningEnv) -> DetectorResult:
        method = "registry ...\\CurrentVersion\\Uninstall (HKLM, HKLM WOW6432Node, HKCU): DisplayName"
        if env.platform != "windows" or env.registry is None:
            return DetectorResult(self.name, self.label, "unknown", NOT_WINDOWS, method=method)
        items: list[dict[str, Any]] = []
        for root in UNINSTALL_KEYS:
            for sub in env.registry.subkeys(root)[:5000]:
                key = f"{root}\\{sub}"
                display = env.registry.get_value(key, "DisplayName")
                if not isinstance(display, str) or not display.strip():
                    continue
                product = match_product(display, self.products)
                if product is None:
                    continue
                version = env.registry.get_value(key, "DisplayVersion")
                publisher = env.registry.get_value(key, "Publisher")
                entry = {
                    "product": product.label,
                    "display_name": display.strip(),
                    "version": str(version).strip() if version else None,
                    "publisher": str(publisher).strip() if publisher else None,
                    "government": product.government,
                }
                if entry not in items:
                    items.append(entry)
        if not items:
            return DetectorResult(
                self.name, self.label, "not_found",
                "Không thấy phần mềm USB token/chữ ký số nào đã biết trong danh sách chương trình đã cài.",
                method=method,
            )
        names = ", ".join(
            f"{i['display_name']} {i['version']}" if i["version"] else i["display_name"] for i in items
        )
        return DetectorResult(self.name, self.label, "found", f"Đã cài: {names}.", items, method)


@dataclass(frozen=True)
class FoldersDetector:
    """Known install folders and driver files of the products in the table."""

    products: tuple[SigningProduct, ...] = KNOWN_PRODUCTS
    name: str = "install_folders"
    label: str = "Thư mục/tệp của phần mềm ký số"

    def candidates(self, env: SigningEnv) -> list[tuple[SigningProduct, str]]:
        paths: list[tuple[SigningProduct, str]] = []
        for product in self.products:
            if env.platform == "windows":
                paths += [(product, f"{base}\\{folder}") for base in env.program_dirs for folder in product.folders]
                paths += [(product, f"{base}\\{dll}") for base in env.system_dirs for dll in product.system_files]
            elif env.platform == "linux":
                paths += [(product, path) for path in product.linux_paths]
        return paths

    def detect(self, env: SigningEnv) -> DetectorResult:
        if env.platform not in ("windows", "linux"):
            return DetectorResult(self.name, self.label, "unknown", "Không hỗ trợ trên hệ điều hành này.")
        if env.platform == "windows" and not env.program_dirs:
            return DetectorResult(self.name, self.label, "unknown", "Không biết thư mục Program Files ở đâu.")
        candidates = self.candidates(env)
        method = f"kiểm tra {len(candidates)} đường dẫn đã biết"
        items = [
            {"product": product.label, "path": path, "government": product.government}
            for product, path in candidates
            if env.file_exists(path)
        ]
        if not items:
            where = "Program Files" if env.platform == "windows" else "thư mục thư viện"
            return DetectorResult(
                self.name, self.label, "not_found",
                f"Không thấy thư mục/tệp của phần mềm ký số đã biết trong {where}.", method=method,
            )
        found = ", ".join(f"{i['product']} ({i['path']})" for i in items)
        return DetectorResult(self.name, self.label, "found", f"Có: {found}.", items, method)


@dataclass(frozen=True)
class SmartCardReaderDetector:
    name: str = "smartcard_reader"
    label: str = "Đầu đọc thẻ / USB token đang cắm"

    def detect(self, env: SigningEnv) -> DetectorResult:
        listing = env.list_smartcard_readers()
        if listing.items is None:
            return DetectorResult(self.name, self.label, "unknown", listing.note or NOT_WINDOWS, method=listing.method)
        if not listing.items:
            return DetectorResult(
                self.name, self.label, "not_found",
                "Không thấy đầu đọc thẻ/USB token nào đang cắm (hãy cắm token rồi kiểm tra lại).",
                method=listing.method,
            )
        names = ", ".join(str(i.get("name") or "?") for i in listing.items)
        return DetectorResult(self.name, self.label, "found", f"Đang cắm: {names}.", listing.items, listing.method)


@dataclass(frozen=True)
class CertificatesDetector:
    """Certificates in the user's personal store, with expiry and days left."""

    name: str = "user_certificates"
    label: str = "Chứng thư số trong kho của người dùng"

    def detect(self, env: SigningEnv) -> DetectorResult:
        listing = env.list_certificates()
        if listing.items is None:
            return DetectorResult(self.name, self.label, "unknown", listing.note or NOT_WINDOWS, method=listing.method)
        certs = listing.items
        usable = [c for c in certs if c.get("expired") is False and c.get("has_private_key") is not False]
        if not certs:
            return DetectorResult(
                self.name, self.label, "not_found",
                "Kho chứng thư của người dùng trống (cắm USB token để Windows nạp chứng thư rồi kiểm tra lại).",
                method=listing.method,
            )
        if not usable:
            expired = sum(1 for c in certs if c.get("expired"))
            return DetectorResult(
                self.name, self.label, "not_found",
                f"Có {len(certs)} chứng thư nhưng không cái nào dùng ký được "
                f"({expired} đã hết hạn; số còn lại không có khoá bí mật hoặc không rõ hạn).",
                certs, listing.method,
            )
        parts = []
        for cert in usable[:5]:
            who = cert.get("subject") or "?"
            by = cert.get("ca") or cert.get("issuer") or "?"
            until = (cert.get("not_after") or "")[:10]
            parts.append(f"{who} ({by}), hết hạn {until}, còn {cert.get('days_left')} ngày")
        return DetectorResult(
            self.name, self.label, "found",
            f"Có {len(usable)}/{len(certs)} chứng thư còn hạn: " + "; ".join(parts) + ".",
            certs, listing.method,
        )


CERTIFICATE_ROW_COLUMNS = ("holder", "role", "kind", "expiry", "source")


def certificate_rows(report: SigningReport) -> list[dict[str, Any]]:
    """Rows for the checklist's personal-certificate table from the user's store.

    Only certificates of a known Vietnamese CA that carry a private key are offered; ``role``
    and ``kind`` (token / SIM PKI / remote) cannot be seen from the store and stay ``None``.
    ``expiry`` is the local calendar date (ISO ``YYYY-MM-DD``), as Windows shows it.
    """
    result = report.result("user_certificates")
    rows: list[dict[str, Any]] = []
    for cert in result.items if result is not None else []:
        if not cert.get("ca") or cert.get("has_private_key") is False or not cert.get("not_after"):
            continue
        expiry = datetime.fromisoformat(cert["not_after"]).astimezone().date().isoformat()
        row = {"holder": cert.get("subject"), "role": None, "kind": None, "expiry": expiry, "source": "probe"}
        if row not in rows:
            rows.append(row)
    return rows


DEFAULT_DETECTORS: tuple[Detector, ...] = (
    MiddlewareDetector(),
    FoldersDetector(),
    SmartCardReaderDetector(),
    CertificatesDetector(),
)


def probe_signing(env: SigningEnv | None = None, detectors: Sequence[Detector] = DEFAULT_DETECTORS) -> SigningReport:
    """Run every detector; one that crashes is reported as ``unknown``, never raised."""
    env = env or SigningEnv.current()
    report = SigningReport(env.platform, env.now().astimezone(timezone.utc).isoformat(timespec="seconds"))
    for detector in detectors:
        try:
            result = detector.detect(env)
        except Exception as exc:  # noqa: BLE001 - one broken detector must not hide the others
            result = DetectorResult(
                getattr(detector, "name", type(detector).__name__),
                getattr(detector, "label", type(detector).__name__),
                "unknown",
                f"Lỗi khi kiểm tra: {type(exc).__name__}: {exc}",
            )
        report.results.append(result)
    return report
