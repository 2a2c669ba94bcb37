"""Errors and outcome codes of signing and verification (stable codes, Vietnamese messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ReadinessError


class SigningError(ReadinessError):
    """Signing could not be done (no key, wrong password, a file that is not a submission...).

    ``SigningError(code, message, *, file=)``: ``code`` is stable (``E-SIGN-...``, ``E-TRUST-...``);
    ``message`` is Vietnamese and says what to do.
    """

    def __init__(self, code: str, message: str, *, file: str | Path | None = None):
        super().__init__(code, message, file=file)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "file": self.file}


# Verification outcomes (``Verification.code``); the message of each is built where it is detected.
UNSIGNED = "W-SIG-UNSIGNED"  # no signature in the file (accepted unless signatures are required)
REQUIRED = "E-SIG-REQUIRED"  # no signature, and the department requires one
FORMAT = "E-SIG-FORMAT"  # the signature part is damaged or not a CMS/PAdES signature
DATA_CHANGED = "E-SIG-DATA-CHANGED"  # the signed data was edited after signing
SHEETS_EDITED = "E-SIG-SHEETS-EDITED"  # the visible sheets no longer show the signed data
BAD_SIGNATURE = "E-SIG-BAD"  # the cryptographic signature does not verify
NO_ROOTS = "E-SIG-NO-ROOTS"  # the department has installed no trusted root yet
UNTRUSTED = "E-SIG-UNTRUSTED"  # the certificate does not chain up to an installed root
EXPIRED = "E-SIG-EXPIRED"  # a certificate of the chain had expired when the file was signed
NOT_YET_VALID = "E-SIG-NOT-YET-VALID"  # signed before the certificate's validity began
REVOKED = "E-SIG-REVOKED"
KEY_USAGE = "E-SIG-KEY-USAGE"  # the certificate is not for signing
TIME = "E-SIG-TIME"  # no signing time, or an impossible one (future; long before the period)
COMMUNE = "E-SIG-COMMUNE"  # the certificate's organisation is not the commune named in the file
PDF_CHANGED = "E-SIG-PDF-CHANGED"  # the PDF was changed after it was signed
PDF_OTHER = "E-SIG-PDF-MISMATCH"  # PDF and workbook were signed by different certificates / for other data

# A later revision held instead of replacing a validly signed one (readiness.signing.importing.replacement_hold).
HELD_UNSIGNED = "W-HELD-UNSIGNED"  # the new revision is not signed
HELD_OTHER_SIGNER = "W-HELD-OTHER-SIGNER"  # validly signed, but by another organisation than the signed revision
HELD_OLDER_SIGNATURE = "W-HELD-OLDER-SIGNATURE"  # validly signed, but earlier than the signed revision it follows
HELD_CODES = (HELD_UNSIGNED, HELD_OTHER_SIGNER, HELD_OLDER_SIGNATURE)

CODES = (UNSIGNED, REQUIRED, FORMAT, DATA_CHANGED, SHEETS_EDITED, BAD_SIGNATURE, NO_ROOTS, UNTRUSTED, EXPIRED,
         NOT_YET_VALID, REVOKED, KEY_USAGE, TIME, COMMUNE, PDF_CHANGED, PDF_OTHER)


# Outcomes, and how tables and reports label them.
LABELS = {
    "valid": ("Đã ký số, hợp lệ", "Signed, valid"),
    "unsigned": ("Chưa ký số", "Not signed"),
    "invalid": ("Chữ ký số không hợp lệ", "Invalid signature"),
}


def status_label(status: str | None, lang: str = "vi") -> str:
    """The short label of a signature status, for tables and reports ("" for None: made locally)."""
    if not status:
        return ""
    vi, en = LABELS.get(status, (status, status))
    return en if lang == "en" else vi
