"""The department's own signing identity: the certificate its receipts are signed with.

The same signing stack as the communes' (:mod:`readiness.signing.keys`): a PKCS#12 file (.p12/.pfx)
or a USB token through PKCS#11.  Where the key is goes in the workspace's settings (``meta`` table,
``signing.department.*``, through the Store); the password or PIN never does: it comes from the
environment variable :data:`SECRET_ENV` (scripts, the mail sender), or is asked for each time (the
CLI without echo, the window in a password field), and is dropped once used.

``readiness settings signing --pkcs12 FILE`` / ``--pkcs11 LIB [--slot N] [--key-label L]`` sets it,
``--clear`` removes it, ``--check`` opens the key and shows the certificate; the receipt dialog of the
department's window sets it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError

if TYPE_CHECKING:
    from ..signing.keys import KeySource, OpenedSigner
    from ..store.db import Store

PREFIX = "signing.department."
SECRET_ENV = "READINESS_DEPARTMENT_SIGNING_SECRET"  # the .p12 password or the token's PIN
KINDS = ("pkcs12", "pkcs11")


@dataclass(frozen=True)
class SigningIdentity:
    """Where the department's key is (never the secret)."""

    kind: str  # pkcs12 / pkcs11
    path: str  # the .p12/.pfx file, or the token's PKCS#11 library
    slot: int | None = None
    key_label: str | None = None

    def describe(self) -> str:
        if self.kind == "pkcs12":
            return f"tệp chứng thư số {Path(self.path).name}"
        slot = f", khe {self.slot}" if self.slot is not None else ""
        label = f", khoá «{self.key_label}»" if self.key_label else ""
        return f"thiết bị ký số (PKCS#11 {Path(self.path).name}{slot}{label})"

    def key(self, secret: str | None) -> KeySource:
        """The key source to open with ``secret`` (None: a .p12 without password)."""
        from ..signing.keys import Pkcs11Key, Pkcs12Key

        if self.kind == "pkcs12":
            return Pkcs12Key(Path(self.path), secret)
        return Pkcs11Key(self.path, secret, slot=self.slot, key_label=self.key_label)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "slot": self.slot, "key_label": self.key_label,
                "secret_env": SECRET_ENV, "secret_in_env": SECRET_ENV in os.environ}


def load_identity(store: Store) -> SigningIdentity | None:
    """The identity set up in ``store``, or None."""
    values = store.settings(PREFIX)
    kind = values.get(PREFIX + "kind")
    path = values.get(PREFIX + "path")
    if kind not in KINDS or not path:
        return None
    slot_text = values.get(PREFIX + "slot")
    slot = int(slot_text) if slot_text and slot_text.isdigit() else None
    return SigningIdentity(kind, path, slot, values.get(PREFIX + "key_label") or None)


def save_identity(store: Store, identity: SigningIdentity | None) -> SigningIdentity | None:
    """Store (or, with None, remove) the identity, in one transaction; the file or library must exist."""
    keys = ("kind", "path", "slot", "key_label")
    if identity is None:
        store.save_settings({PREFIX + key: None for key in keys})
        return None
    if identity.kind not in KINDS:
        raise StoreError("E-DEPT-SIGN-SETUP", f"Loại khoá «{identity.kind}» không hợp lệ (pkcs12 hoặc pkcs11).")
    if not Path(identity.path).is_file():
        what = "tệp chứng thư số (.p12/.pfx)" if identity.kind == "pkcs12" else "thư viện PKCS#11 của thiết bị ký số"
        raise StoreError("E-DEPT-SIGN-SETUP", f"Không tìm thấy {what} «{identity.path}».")
    store.save_settings({
        PREFIX + "kind": identity.kind, PREFIX + "path": str(Path(identity.path).resolve()),
        PREFIX + "slot": None if identity.slot is None else str(identity.slot),
        PREFIX + "key_label": identity.key_label or None,
    })
    return load_identity(store)


def secret_from_environment() -> str | None:
    return os.environ.get(SECRET_ENV)


def describe_certificate(opened: OpenedSigner) -> dict[str, Any]:
    """What the CLI and the window show about the key once opened."""
    info = opened.info
    return {"subject": info.display_name, "organization": info.display_org, "issuer": info.issuer_cn or info.issuer,
            "not_after": info.not_after.isoformat(), "sha256": info.sha256, "source": opened.source}


__all__ = ["KINDS", "PREFIX", "SECRET_ENV", "SigningIdentity", "describe_certificate", "load_identity",
           "save_identity", "secret_from_environment"]
