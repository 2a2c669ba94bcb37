"""The workbook's signature: a detached CMS over the canonical answer data, in a ``_signature`` sheet.

What is signed: exactly the bytes whose SHA-256 is ``data_sha256`` in ``_data`` — the UTF-8 canonical
JSON of the seal (answers and identity: commune, period, assessment, revision, checklist and format;
:func:`readiness.exchange.canonical.seal`).  They are rebuilt from the answers as read from
``_data``, so changing any answer, the commune, the period or the revision in ``_data`` changes
them and the signature no longer verifies.

Where: a very hidden, protected sheet ``_signature`` (it survives Excel re-saving the file)::

    A1 key                 B1 value
    A2 format              readiness-signature
    A3 format_version      1
    A4 covers              _data.data_sha256
    A5 data_sha256         <hex: SHA-256 of the signed bytes>
    A6 algorithm           cms-detached-sha256
    A7 signed_at           <ISO time, +07:00>     (informative; the CMS signingTime is authoritative)
    A8 signer              <CN>                   (informative)
    A9 organization        <O>                    (informative)
    A10 certificate_sha256 <hex>                  (informative)
    A11 cms_parts          <n>
    A12.. cms              <base64 of the DER CMS ContentInfo, 32,000 characters per row>

Only the CMS is trusted; the informative rows help a person who unhides the sheet.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exchange.canonical import answer_json, canonical_json, seal
from .errors import SigningError

SIGNATURE_SHEET = "_signature"
SIGNATURE_FORMAT = "readiness-signature"
SIGNATURE_FORMAT_VERSION = 1
COVERS = "_data.data_sha256"
ALGORITHM = "cms-detached-sha256"
CHUNK = 32000


def signed_content(submission: Any) -> bytes:
    """The bytes a submission's workbook signature covers (agrees with ``Submission.data_sha256``)."""
    if getattr(submission, "sealed_content", None) is not None:
        return submission.sealed_content  # the reader's own bytes, hashed into data_sha256
    checklist = submission.checklist
    sealed = seal(answers=answer_json(checklist, submission.answers), checklist_id=checklist.id,
                  checklist_version=checklist.version, checklist_hash=submission.checklist_hash or "",
                  commune_code=submission.commune_code, period=submission.period,
                  assessment_id=submission.assessment_id, revision=submission.revision,
                  status=submission.status, format_version=submission.format_version)
    content = canonical_json(sealed).encode("utf-8")
    if submission.data_sha256 and hashlib.sha256(content).hexdigest() != submission.data_sha256:
        raise AssertionError("signed content disagrees with the reader's data_sha256")  # the two must stay in step
    return content


@dataclass(frozen=True)
class SignaturePart:
    """The ``_signature`` sheet as read (nothing in it is trusted until the CMS verifies)."""

    meta: dict[str, str]
    cms: bytes | None
    problem: str | None = None  # why it could not be read (-> E-SIG-FORMAT)

    @property
    def data_sha256(self) -> str | None:
        return self.meta.get("data_sha256")


def read_signature_part(path: str | Path) -> SignaturePart | None:
    """The signature sheet of a workbook, or None when it has none (the file is read-only, never executed)."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # noqa: BLE001 - the reader reports unreadable files itself
        raise SigningError("E-SIG-READ", f"Không đọc được tệp: {error}.", file=path) from None
    try:
        if SIGNATURE_SHEET not in list(workbook.sheet_names):
            return None
        rows = workbook.get_sheet_by_name(SIGNATURE_SHEET).to_python(skip_empty_area=False)
    except Exception as error:  # noqa: BLE001
        return SignaturePart({}, None, f"sheet «{SIGNATURE_SHEET}» không đọc được ({error})")
    finally:
        try:
            workbook.close()
        except Exception:  # noqa: BLE001
            pass
    meta: dict[str, str] = {}
    chunks: list[str] = []
    for row in rows:
        if not row or row[0] in ("", None):
            continue
        key = str(row[0])
        value = "" if len(row) < 2 or row[1] is None else str(row[1])
        if key == "cms":
            chunks.append(value)
        elif key != "key":
            meta[key] = value
    if meta.get("format") != SIGNATURE_FORMAT:
        return SignaturePart(meta, None, f"sheet «{SIGNATURE_SHEET}» không đúng định dạng")
    if not chunks:
        return SignaturePart(meta, None, "không có dữ liệu chữ ký (CMS)")
    try:
        cms = base64.b64decode("".join(chunks).strip(), validate=True)
    except ValueError:
        return SignaturePart(meta, None, "dữ liệu chữ ký không phải base64 hợp lệ")
    return SignaturePart(meta, cms)


def part_rows(cms: bytes, *, data_sha256: str, signed_at: dt.datetime, signer: str | None, organization: str | None,
              certificate_sha256: str) -> list[tuple[str, str]]:
    encoded = base64.b64encode(cms).decode("ascii")
    chunks = [encoded[i:i + CHUNK] for i in range(0, len(encoded), CHUNK)]
    rows = [
        ("format", SIGNATURE_FORMAT),
        ("format_version", str(SIGNATURE_FORMAT_VERSION)),
        ("covers", COVERS),
        ("data_sha256", data_sha256),
        ("algorithm", ALGORITHM),
        ("signed_at", signed_at.isoformat(timespec="seconds")),
        ("signer", signer or ""),
        ("organization", organization or ""),
        ("certificate_sha256", certificate_sha256),
        ("cms_parts", str(len(chunks))),
    ]
    rows += [("cms", chunk) for chunk in chunks]
    return rows


def write_signature_part(source: Path, target: Path, rows: list[tuple[str, str]]) -> None:
    """Copy workbook ``source`` to ``target`` with a (new) ``_signature`` sheet holding ``rows``."""
    from openpyxl import load_workbook

    from ..xlsx_cells import put_text, save_workbook

    try:
        wb = load_workbook(source)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on damaged files
        raise SigningError("E-SIGN-XLSX", f"Không mở được tệp Excel để ký: {error}.", file=source) from None
    if SIGNATURE_SHEET in wb.sheetnames:
        del wb[SIGNATURE_SHEET]
    ws = wb.create_sheet(SIGNATURE_SHEET)
    put_text(ws.cell(1, 1), "key")
    put_text(ws.cell(1, 2), "value")
    for row, (key, value) in enumerate(rows, start=2):
        put_text(ws.cell(row, 1), key)
        put_text(ws.cell(row, 2), value)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 80
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True  # like _data: protected, no password (it only keeps accidents out)
    save_workbook(wb, target)  # sealed: every text cell of the copy stays text


def cms_signed_data(cms: bytes) -> Any:
    """The SignedData of a DER CMS ContentInfo (asn1crypto), or raise ValueError."""
    from asn1crypto import cms as asn1_cms

    info = asn1_cms.ContentInfo.load(cms)
    if info["content_type"].native != "signed_data":
        raise ValueError("not a CMS SignedData")
    signed = info["content"]
    signed.native  # noqa: B018 - parse it fully now, so damage shows here and not half-way through checks
    return signed

