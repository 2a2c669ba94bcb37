"""Proof of sender: the commune signs its submission with its organisation certificate; the department verifies.

Qt-free (an import-linter contract checks it).  pyHanko, python-pkcs11 and cryptography do the
cryptography; nothing here is hand-rolled.  Heavy modules load only when used.

- :func:`sign_submission` (``readiness sign``): the workbook gets a detached CMS over its canonical
  answer data in a very hidden ``_signature`` sheet, the report PDF a PAdES signature with a visible
  stamp; in place, atomically, verified after writing.  Keys: :class:`Pkcs12Key`, :class:`Pkcs11Key`.
- :func:`verify_submission` / :func:`verify_workbook` / :func:`verify_pdf`: the department's checks,
  giving a :class:`Verification` (``valid`` / ``unsigned`` / ``invalid`` with a code).
- :class:`TrustStore` (``readiness trust add|list|remove``): the roots the department installed.
- :func:`save_signature` / :func:`signature_statuses`: the outcome kept with an imported assessment.

``docs/signatures.md`` is the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import SigningError

__all__ = [
    "INVALID", "UNSIGNED", "VALID", "Pkcs11Key", "Pkcs12Key", "SignResult", "SigningError", "TrustStore",
    "Verification", "ImportSignatures", "accept", "companion_pdf", "save_signature", "sign_submission", "signature_statuses",
    "status_label", "verify_pdf", "verify_submission", "verify_workbook",
]

_LAZY = {
    "Pkcs12Key": "keys", "Pkcs11Key": "keys",
    "sign_submission": "sign", "SignResult": "sign",
    "Verification": "verify", "verify_submission": "verify", "verify_workbook": "verify", "verify_pdf": "verify",
    "companion_pdf": "verify", "status_label": "verify", "VALID": "verify", "UNSIGNED": "verify", "INVALID": "verify",
    "accept": "importing", "ImportSignatures": "importing",
    "TrustStore": "trust",
    "SigningError": "errors",
    "save_signature": "records", "signature_statuses": "records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)
