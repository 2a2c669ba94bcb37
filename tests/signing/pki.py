"""A test PKI built with cryptography: a root and an intermediate CA (standing in for the Government
Cipher Committee's), organisation certificates for communes, an expired one, and a foreign CA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
PASSWORD = "mật-khẩu 123"


def _name(cn: str, o: str | None = None, **extra: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if "st" in extra:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, extra["st"]))
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    if "ou" in extra:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, extra["ou"]))
    if "uid" in extra:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, extra["uid"]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _key(kind: str = "rsa"):
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(cn: str, o: str, issuer: Issued | None = None, *, days_before: int = 3650, days_after: int = 3650,
            path_length: int | None = 1) -> Issued:
    key = _key()
    subject = _name(cn, o)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOW - dt.timedelta(days=days_before))
               .not_valid_after(NOW + dt.timedelta(days=days_after))
               .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    cert = builder.sign((issuer or Issued(key, None)).key, hashes.SHA256())
    return Issued(key, cert)


def make_leaf(issuer: Issued, cn: str, o: str | None, *, not_before: dt.datetime | None = None,
              not_after: dt.datetime | None = None, public_key=None, key=None, **extra: str) -> Issued:
    key = key if key is not None else (None if public_key is not None else _key())
    public = public_key if public_key is not None else key.public_key()
    cert = (x509.CertificateBuilder()
            .subject_name(_name(cn, o, **extra))
            .issuer_name(issuer.cert.subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or NOW - dt.timedelta(days=30))
            .not_valid_after(not_after or NOW + dt.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
            .sign(issuer.key, hashes.SHA256()))
    return Issued(key, cert)


def write_p12(path: Path, leaf: Issued, chain: list[Issued], password: str = PASSWORD) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        name=b"commune", key=leaf.key, cert=leaf.cert, cas=[c.cert for c in chain],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")))
    path.write_bytes(data)
    return path


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    dak_ha: Issued  # O="UBND xã Đăk Hà"
    cam_thanh: Issued  # O="UBND phường Cẩm Thành"
    expired: Issued  # UBND xã Đăk Hà, expired yesterday
    foreign_root: Issued
    foreign: Issued  # UBND xã Đăk Hà, but from a CA the department does not trust


def build_pki() -> Pki:
    root = make_ca("Root CA Ban Cơ yếu (THỬ NGHIỆM)", "Ban Cơ yếu Chính phủ", path_length=1)
    intermediate = make_ca("CA cơ quan Nhà nước (THỬ NGHIỆM)", "Ban Cơ yếu Chính phủ", root,
                           days_before=1000, days_after=2000, path_length=0)
    dak_ha = make_leaf(intermediate, "Ủy ban nhân dân xã Đăk Hà", "UBND xã Đăk Hà", st="Quảng Ngãi")
    cam_thanh = make_leaf(intermediate, "UỶ BAN NHÂN DÂN PHƯỜNG CẨM THÀNH", "UBND phường Cẩm Thành", st="Quảng Ngãi")
    expired = make_leaf(intermediate, "Ủy ban nhân dân xã Đăk Hà", "UBND xã Đăk Hà",
                        not_before=NOW - dt.timedelta(days=800), not_after=NOW - dt.timedelta(days=1))
    foreign_root = make_ca("Foreign Test Root", "Some Other CA", path_length=0)
    foreign = make_leaf(foreign_root, "Ủy ban nhân dân xã Đăk Hà", "UBND xã Đăk Hà")
    return Pki(root, intermediate, dak_ha, cam_thanh, expired, foreign_root, foreign)
