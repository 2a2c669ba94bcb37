"""Test helpers: read and verify a submission; sign one 'by hand' (skipping the signer's own safety checks,
as a rogue or broken tool would) to show that the department's checks stand on their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from signing_data import COMMUNE


def read(path: Path, library):
    from readiness.exchange import read_submission

    return read_submission(path, library=library)


def verify(xlsx: Path, library, roots, *, pdf: Path | None = None, commune: str | None = COMMUNE, now=None):
    from readiness.signing.sign import find_commune
    from readiness.signing.verify import verify_submission

    return verify_submission(read(xlsx, library), roots=roots, commune=find_commune(commune) if commune else None,
                             pdf=pdf, now=now)


def opened_signer(issued, chain):
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from readiness.signing.certs import to_asn1
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization

    from readiness.signing.keys import OpenedSigner

    key_der = issued.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    registry = SimpleCertificateStore()
    registry.register_multiple([to_asn1(c.cert) for c in chain])
    signer = SimpleSigner(signing_cert=to_asn1(issued.cert), signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                          cert_registry=registry)
    return OpenedSigner(signer, issued.cert, [c.cert for c in chain], "test")


def forge(xlsx: Path, pdf: Path | None, library, issued, chain, *, signing_time: dt.datetime | None = None) -> None:
    """Sign ``xlsx`` (and ``pdf``) with ``issued`` whatever its validity or organisation."""
    import hashlib

    from readiness.signing.certs import VN_TZ, fingerprint
    from readiness.signing.pdf import sign_pdf_bytes
    from readiness.signing.sign import cms_sign
    from readiness.signing.workbook import part_rows, signed_content, write_signature_part

    opened = opened_signer(issued, chain)
    when = (signing_time or dt.datetime.now(VN_TZ)).replace(microsecond=0)
    content = signed_content(read(xlsx, library))
    cms = cms_sign(opened, content, when)
    digest = hashlib.sha256(content).hexdigest()
    rows = part_rows(cms, data_sha256=digest, signed_at=when, signer="x", organization="y",
                     certificate_sha256=fingerprint(issued.cert))
    temp = xlsx.with_name("forged-" + xlsx.name)
    write_signature_part(xlsx, temp, rows)
    temp.replace(xlsx)
    if pdf is not None:
        pdf.write_bytes(sign_pdf_bytes(pdf.read_bytes(), opened, signing_time=when, data_sha256=digest))


def edit_data_cell(xlsx: Path, key: str, value: str, column: str = "D") -> None:
    """Change one value in the very hidden ``_data`` sheet, as someone with openpyxl would: column D of an
    item's row (its canonical JSON value), or column B of an identity row (``period``, ``data_sha256``...)."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    ws = wb["_data"]
    for row in ws.iter_rows(max_col=1):
        if row[0].value == key:
            ws[f"{column}{row[0].row}"].value = value
            break
    else:
        raise AssertionError(f"{key} not in _data")
    wb.save(xlsx)


def data_value(xlsx: Path, key: str, column: str = "D") -> str:
    from openpyxl import load_workbook

    ws = load_workbook(xlsx)["_data"]
    for row in ws.iter_rows(max_col=1):
        if row[0].value == key:
            return ws[f"{column}{row[0].row}"].value
    raise AssertionError(key)
