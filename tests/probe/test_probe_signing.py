"""Digital-signature readiness detectors with a fake registry, file system and PowerShell."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.probe import signing
from readiness.probe.host import CommandResult
from readiness.probe.signing import (
    KNOWN_PRODUCTS,
    CertificatesDetector,
    DetectorResult,
    FoldersDetector,
    Listing,
    MiddlewareDetector,
    SigningEnv,
    SmartCardReaderDetector,
    linux_smartcard_readers,
    match_product,
    parse_ps_date,
    probe_signing,
    windows_certificates,
    windows_smartcard_readers,
)

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL32 = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_USER = r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize(
    ("display_name", "key"),
    [
        ("BkavCA Token Manager", "bkavca"),
        ("VNPT-CA Plugin", "vnptca"),
        ("VNPT CA Token Manager 1.0", "vnptca"),
        ("Viettel-CA v5.0", "viettelca"),
        ("SafeCA Token Manager", "safeca"),
        ("FPT-CA Token Manager", "fptca"),
        ("SafeNet Authentication Client 10.8", "safenet"),
        ("eToken PKI Client 5.1", "safenet"),
        ("ePass2003 CSP", "epass2003"),
        ("vSignPDF 4.0", "vsignpdf"),
        ("VGCA Sign Service", "vgca"),
        ("GCA-01 Token Manager", "gca"),
        ("Nacencomm CA2 Token", "ca2"),
    ],
)
def test_known_middleware_names(display_name, key):
    product = match_product(display_name)
    assert product is not None and product.key == key


@pytest.mark.parametrize(
    "display_name",
    ["FPT Camera Viewer", "Microsoft Visual C++ 2015 Redistributable", "Google Chrome", "Zalo", "Unikey 4.3",
     "Cassandra", "Safecast", "VGCAX Tool"],
)
def test_other_programs_do_not_match(display_name):
    assert match_product(display_name) is None


def test_table_lists_the_government_tools_and_required_vendors():
    labels = " ".join(p.label for p in KNOWN_PRODUCTS)
    for needle in ("BkavCA", "VNPT-CA", "Viettel-CA", "SafeCA", "FPT-CA", "eToken", "ePass2003", "vSignPDF", "VGCA", "GCA"):
        assert needle in labels
    assert {p.key for p in KNOWN_PRODUCTS if p.government} == {"vsignpdf", "vgca", "gca"}
    assert len({p.key for p in KNOWN_PRODUCTS}) == len(KNOWN_PRODUCTS)


# --------------------------------------------------------------------------- Windows


CERTS_JSON = json.dumps(
    [
        {
            "Subject": "CN=NGUYỄN VĂN AN, OID.0.9.2342.19200300.100.1.1=CCCD:001090001234, O=UBND XÃ TÂN LẬP, L=Hà Nội, C=VN",
            "Issuer": "CN=VNPT Certification Authority, OU=VNPT-CA Trust Network, O=VNPT Group, C=VN",
            "NotAfter": "2025-06-30T16:59:59.0000000Z",
            "NotBefore": "2024-06-30T17:00:00.0000000Z",
            "Thumbprint": "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
            "HasPrivateKey": True,
        },
        {
            "Subject": 'CN="TRẦN THỊ BÌNH, CÁN BỘ", O=UBND XÃ TÂN LẬP, C=VN',
            "Issuer": "CN=Viettel-CA SHA-256, O=Viettel Group, C=VN",
            "NotAfter": "/Date(1704067199000)/",  # PowerShell 5.1 without the ISO calculated property
            "Thumbprint": "FFEE",
            "HasPrivateKey": True,
        },
        {
            "Subject": "CN=localhost",
            "Issuer": "CN=localhost",
            "NotAfter": "2030-01-01T00:00:00Z",
            "Thumbprint": "0000",
            "HasPrivateKey": False,
        },
    ],
    ensure_ascii=False,
)

READERS_JSON = json.dumps(
    {"FriendlyName": "Microsoft Usbccid Smartcard Reader (WUDF)", "Class": "SmartCardReader", "Status": "OK",
     "InstanceId": "USB\\VID_096E&PID_0807\\5&1A2B"}
)


def windows_env(fake_registry, fake_fs, fake_runner, *, registry=None, files=None, runner=None) -> SigningEnv:
    reg = fake_registry(
        registry
        if registry is not None
        else {
            UNINSTALL + r"\{11111111-2222}": {"DisplayName": "VNPT-CA Plugin", "DisplayVersion": "1.0.3.2",
                                              "Publisher": "VNPT"},
            UNINSTALL + r"\Chrome": {"DisplayName": "Google Chrome", "DisplayVersion": "122"},
            UNINSTALL32 + r"\SafeNet": {"DisplayName": "SafeNet Authentication Client 10.8", "DisplayVersion": "10.8"},
            UNINSTALL_USER + r"\vSign": {"DisplayName": "vSignPDF"},
            UNINSTALL + r"\NoName": {"DisplayVersion": "1"},
        }
    )
    fs = fake_fs(files if files is not None else {
        r"C:\Program Files (x86)\VNPT-CA\TokenManager.exe": "",
        r"C:\Windows\System32\eTPKCS11.dll": "",
    })
    run = runner or fake_runner({
        "Cert:": CommandResult(0, CERTS_JSON),
        "Get-PnpDevice": CommandResult(0, READERS_JSON),
    })
    env = SigningEnv(
        platform="windows",
        registry=reg,
        file_exists=fs.file_exists,
        list_dir=fs.list_dir,
        program_dirs=[r"C:\Program Files", r"C:\Program Files (x86)"],
        system_dirs=[r"C:\Windows\System32", r"C:\Windows\SysWOW64"],
        now=lambda: NOW,
    )
    env.list_certificates = lambda: windows_certificates(run, env.now)
    env.list_smartcard_readers = lambda: windows_smartcard_readers(run)
    return env


def test_windows_everything_found(fake_registry, fake_fs, fake_runner):
    report = probe_signing(windows_env(fake_registry, fake_fs, fake_runner))
    assert report.overall == "found"
    assert [r.name for r in report.results] == ["token_middleware", "install_folders", "smartcard_reader", "user_certificates"]

    middleware = report.result("token_middleware")
    assert middleware.status == "found"
    assert [i["product"] for i in middleware.items] == [
        "VNPT-CA", "SafeNet Authentication Client (eToken)", "vSignPDF (Ban Cơ yếu Chính phủ)",
    ]
    assert middleware.items[0]["version"] == "1.0.3.2"
    assert middleware.items[2]["government"] is True
    assert "VNPT-CA Plugin 1.0.3.2" in middleware.details

    folders = report.result("install_folders")
    assert folders.status == "found"
    assert {i["path"] for i in folders.items} == {r"C:\Program Files (x86)\VNPT-CA", r"C:\Windows\System32\eTPKCS11.dll"}

    readers = report.result("smartcard_reader")
    assert readers.status == "found"
    assert readers.items[0]["name"] == "Microsoft Usbccid Smartcard Reader (WUDF)"

    certs = report.result("user_certificates")
    assert certs.status == "found"
    valid, *rest = certs.items
    assert valid["subject"] == "NGUYỄN VĂN AN"
    assert valid["organization"] == "UBND XÃ TÂN LẬP"
    assert valid["issuer"] == "VNPT Certification Authority"
    assert valid["ca"] == "VNPT-CA"
    assert valid["not_after"] == "2025-06-30T16:59:59+00:00"
    assert valid["days_left"] == 121 and valid["expired"] is False
    assert "CCCD" not in json.dumps(certs.items, ensure_ascii=False)  # ID numbers are not copied
    expired = next(c for c in rest if c["ca"] == "Viettel-CA")
    assert expired["subject"] == "TRẦN THỊ BÌNH, CÁN BỘ"
    assert expired["expired"] is True and expired["days_left"] < 0
    assert expired["not_after"] == "2023-12-31T23:59:59+00:00"
    assert "Có 1/3 chứng thư còn hạn" in certs.details and "còn 121 ngày" in certs.details
    json.dumps(report.to_dict(), ensure_ascii=False)

    rows = signing.certificate_rows(report)  # localhost (no known CA, no key) is not offered
    assert [r["holder"] for r in rows] == ["NGUYỄN VĂN AN", "TRẦN THỊ BÌNH, CÁN BỘ"]
    assert all(tuple(r) == signing.CERTIFICATE_ROW_COLUMNS for r in rows)
    assert rows[0]["role"] is None and rows[0]["kind"] is None and rows[0]["source"] == "probe"
    assert rows[0]["expiry"] in ("2025-06-30", "2025-07-01")  # local date of 16:59:59 UTC


def test_windows_nothing_installed(fake_registry, fake_fs, fake_runner):
    runner = fake_runner({"Cert:": CommandResult(0, ""), "Get-PnpDevice": CommandResult(0, "[]")})
    env = windows_env(fake_registry, fake_fs, fake_runner, registry={UNINSTALL + r"\Zalo": {"DisplayName": "Zalo"}},
                      files={}, runner=runner)
    report = probe_signing(env)
    assert [r.status for r in report.results] == ["not_found"] * 4
    assert report.overall == "not_found"
    assert "cắm USB token" in report.result("user_certificates").details


def test_only_expired_certificates_is_not_ready():
    env = SigningEnv(
        platform="windows",
        list_certificates=lambda: Listing(
            [{"subject": "A", "expired": True, "days_left": -3, "has_private_key": True}], "fake"
        ),
    )
    result = CertificatesDetector().detect(env)
    assert result.status == "not_found"
    assert "1 đã hết hạn" in result.details and result.items


def test_powershell_missing_or_timing_out_is_unknown(fake_registry, fake_fs, fake_runner):
    env = windows_env(fake_registry, fake_fs, fake_runner, runner=fake_runner({}))
    report = probe_signing(env)
    assert report.result("smartcard_reader").status == "unknown"
    assert report.result("user_certificates").status == "unknown"
    assert "PowerShell" in report.result("user_certificates").details


def test_windows_7_without_get_pnpdevice_is_unknown(fake_runner):
    listing = windows_smartcard_readers(fake_runner({"Get-PnpDevice": CommandResult(3, "")}))
    assert listing.items is None and "Get-PnpDevice" in listing.note


def test_garbage_powershell_output_is_unknown(fake_runner):
    listing = windows_certificates(fake_runner({"Cert:": CommandResult(0, "Access denied <html>")}), lambda: NOW)
    assert listing.items is None


def test_powershell_scripts_are_hidden_and_bounded(fake_runner):
    runner = fake_runner({"Cert:": CommandResult(0, "[]"), "Get-PnpDevice": CommandResult(0, "[]")})
    windows_certificates(runner, lambda: NOW)
    windows_smartcard_readers(runner)
    for args, timeout in runner.calls:
        assert args[0] == "powershell.exe" and "-NoProfile" in args and "-NonInteractive" in args
        assert 0 < timeout <= 30
    assert "Cert:\\CurrentUser\\My" in runner.calls[0][0][-1]
    assert "ConvertTo-Json" in runner.calls[0][0][-1]
    assert "-Class SmartCardReader" in runner.calls[1][0][-1]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-06-30T16:59:59.0000000Z", "2025-06-30T16:59:59+00:00"),
        ("2025-06-30T23:59:59.1234567+07:00", "2025-06-30T16:59:59.123456+00:00"),
        ("/Date(1704067199000)/", "2023-12-31T23:59:59+00:00"),
        ("\\/Date(1704067199000)\\/", "2023-12-31T23:59:59+00:00"),
        ("not a date", None),
        (None, None),
    ],
)
def test_powershell_dates(text, iso):
    parsed = parse_ps_date(text)
    assert (parsed.isoformat() if parsed else None) == iso


@given(st.text())
def test_dn_and_date_parsers_never_raise(text):
    signing.dn_part(text, "CN")
    parse_ps_date(text)
    match_product(text)
    signing.parse_pcsc_scan(text)


# --------------------------------------------------------------------------- other platforms


def test_linux_registry_detectors_say_unknown():
    env = SigningEnv(platform="linux")
    assert MiddlewareDetector().detect(env).status == "unknown"
    assert CertificatesDetector().detect(env).status == "unknown"
    assert SmartCardReaderDetector().detect(env).status == "unknown"
    assert FoldersDetector().detect(env).status == "not_found"  # it did look at the Linux paths
    assert FoldersDetector().detect(SigningEnv(platform="darwin")).status == "unknown"


def test_linux_reader_from_pcsc_scan(fake_fs, fake_runner):
    runner = fake_runner({"pcsc_scan": CommandResult(0, "0: Feitian ePass2003 00 00\n1: Alcor Micro AU9540 01 00\n")})
    listing = linux_smartcard_readers(fake_fs({}), runner)
    assert [i["name"] for i in listing.items] == ["Feitian ePass2003 00 00", "Alcor Micro AU9540 01 00"]
    assert listing.method == "pcsc_scan -r"


def test_linux_reader_from_usb_sysfs_when_pcsc_scan_is_absent(fake_fs, fake_runner):
    fs = fake_fs({
        "/sys/bus/usb/devices/1-1:1.0/bInterfaceClass": "0b\n",
        "/sys/bus/usb/devices/1-1/manufacturer": "Feitian\n",
        "/sys/bus/usb/devices/1-1/product": "ePass2003\n",
        "/sys/bus/usb/devices/2-1:1.0/bInterfaceClass": "03\n",  # a keyboard
    })
    listing = linux_smartcard_readers(fs, fake_runner({}))
    assert listing.items == [{"name": "Feitian ePass2003", "usb": "1-1:1.0"}]


def test_linux_no_reader_plugged(fake_fs, fake_runner):
    fs = fake_fs({"/sys/bus/usb/devices/2-1:1.0/bInterfaceClass": "03\n"})
    assert linux_smartcard_readers(fs, fake_runner({})).items == []


def test_linux_pkcs11_and_pcscd_without_a_reader_is_unknown(fake_fs, fake_runner):
    fs = fake_fs({"/run/pcscd/pcscd.comm": "", "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so": ""})
    listing = linux_smartcard_readers(fs, fake_runner({}))
    assert listing.items is None
    assert "/run/pcscd/pcscd.comm" in listing.note and "/usr/lib/x86_64-linux-gnu/pkcs11" in listing.note
    result = SmartCardReaderDetector().detect(SigningEnv(platform="linux", list_smartcard_readers=lambda: listing))
    assert result.status == "unknown"


def test_linux_nothing_to_look_at_is_unknown(fake_fs, fake_runner):
    assert linux_smartcard_readers(fake_fs({}), fake_runner({})).items is None


def test_linux_driver_files(fake_fs):
    fs = fake_fs({"/usr/lib/libeTPkcs11.so": ""})
    result = FoldersDetector().detect(SigningEnv(platform="linux", file_exists=fs.file_exists))
    assert result.status == "found" and result.items[0]["product"].startswith("SafeNet")


# --------------------------------------------------------------------------- pluggability


class _Boom:
    name = "boom"
    label = "Hỏng"

    def detect(self, env):
        raise RuntimeError("kaput")


class _Custom:
    name = "custom"
    label = "Tự viết"

    def detect(self, env):
        return DetectorResult(self.name, self.label, "found", "ok")


def test_detectors_are_pluggable_and_failures_contained():
    report = probe_signing(SigningEnv(platform="windows", now=lambda: NOW), detectors=[_Boom(), _Custom()])
    assert [(r.name, r.status) for r in report.results] == [("boom", "unknown"), ("custom", "found")]
    assert "kaput" in report.results[0].details
    assert report.measured_at == "2025-03-01T00:00:00+00:00"
    assert report.to_dict()["overall"] == "found"


def test_real_machine_smoke():
    report = probe_signing()
    json.dumps(report.to_dict(), ensure_ascii=False)
    assert len(report.results) == 4
