"""Certificates: loading (PEM, DER, PKCS#7 bundles), the names in them, fingerprints (cryptography)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID

from .errors import SigningError

VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07:00")  # Vietnam has no daylight saving time


def load_certificates(data: bytes, *, source: str = "") -> list[x509.Certificate]:
    """Every certificate in ``data``: PEM (one or more), DER, or a PKCS#7 bundle (.p7b / .p7c)."""
    stripped = data.strip()
    try:
        if stripped.startswith(b"-----BEGIN PKCS7") or stripped.startswith(b"-----BEGIN CMS"):
            return list(pkcs7.load_pem_pkcs7_certificates(stripped))
        if b"-----BEGIN CERTIFICATE" in stripped:
            return list(x509.load_pem_x509_certificates(stripped))
        # DER is binary: its last byte may well be 0x0a or 0x20, so it is parsed as given, never stripped
        try:
            return [x509.load_der_x509_certificate(data)]
        except ValueError:
            return list(pkcs7.load_der_pkcs7_certificates(data))
    except ValueError:
        raise SigningError("E-TRUST-FILE", "Không đọc được chứng thư số trong tệp (cần tệp .cer/.crt/.pem/.p7b "
                           "dạng DER hoặc PEM).", file=source or None) from None


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER encoding, lower-case hex (how trusted roots are named)."""
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def to_asn1(cert: x509.Certificate) -> Any:
    """The same certificate as an asn1crypto object (what pyHanko works with)."""
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def from_asn1(cert: Any) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def name_values(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    out = []
    for attribute in name.get_attributes_for_oid(oid):
        value = attribute.value
        out.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return out


def first(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name_values(name, oid)
    return values[0] if values else None


def not_before(cert: x509.Certificate) -> dt.datetime:
    return cert.not_valid_before_utc


def not_after(cert: x509.Certificate) -> dt.datetime:
    return cert.not_valid_after_utc


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return cert.issuer == cert.subject


def can_sign(cert: x509.Certificate) -> bool:
    """Key usage allows document signatures (digitalSignature or nonRepudiation); no extension = allowed."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


@dataclass(frozen=True)
class CertInfo:
    """What a person is shown about a certificate."""

    common_name: str | None
    organization: str | None
    org_units: tuple[str, ...]
    locality: str | None
    state: str | None
    serial_number: str | None  # the subject's serialNumber attribute (an ID), not the certificate serial
    uid: str | None
    subject: str  # RFC 4514
    issuer: str
    issuer_cn: str | None
    certificate_serial: str  # hex
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str

    @classmethod
    def of(cls, cert: x509.Certificate) -> CertInfo:
        subject = cert.subject
        return cls(
            common_name=first(subject, NameOID.COMMON_NAME),
            organization=first(subject, NameOID.ORGANIZATION_NAME),
            org_units=tuple(name_values(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)),
            locality=first(subject, NameOID.LOCALITY_NAME),
            state=first(subject, NameOID.STATE_OR_PROVINCE_NAME),
            serial_number=first(subject, NameOID.SERIAL_NUMBER),
            uid=first(subject, NameOID.USER_ID),
            subject=subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            issuer_cn=first(cert.issuer, NameOID.COMMON_NAME),
            certificate_serial=format(cert.serial_number, "x"),
            not_before=not_before(cert),
            not_after=not_after(cert),
            sha256=fingerprint(cert),
        )

    @property
    def display_name(self) -> str:
        return self.common_name or self.organization or self.subject

    @property
    def display_org(self) -> str:
        return self.organization or (self.org_units[0] if self.org_units else "") or self.common_name or ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "common_name": self.common_name, "organization": self.organization, "org_units": list(self.org_units),
            "locality": self.locality, "state": self.state, "serial_number": self.serial_number, "uid": self.uid,
            "subject": self.subject, "issuer": self.issuer, "certificate_serial": self.certificate_serial,
            "not_before": self.not_before.isoformat(), "not_after": self.not_after.isoformat(), "sha256": self.sha256,
        }


def vn_time(moment: dt.datetime) -> str:
    """``24/11/2026 10:30:15 +07:00``: how a signing time is shown (Vietnam time)."""
    local = moment.astimezone(VN_TZ)
    return local.strftime("%d/%m/%Y %H:%M:%S") + " +07:00"


def vn_date(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y")
