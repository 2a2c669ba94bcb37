"""The department's trusted roots (``readiness trust add|list|remove``), kept in the database.

The Government Cipher Committee's root certificate is not bundled with the program: the department
receives it through its own channel, checks its fingerprint, and installs it.  Every signature is
then checked against the installed roots only (never the operating system's list).
"""

from __future__ import annotations

import builtins
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509

from .certs import CertInfo, fingerprint, is_ca, load_certificates, vn_date
from .errors import SigningError

if TYPE_CHECKING:
    from ..store.db import Store


@dataclass(frozen=True)
class TrustedRoot:
    sha256: str
    subject: str
    common_name: str | None
    organization: str | None
    not_before: dt.datetime
    not_after: dt.datetime
    added_at: dt.datetime
    added_by: str | None
    note: str | None
    certificate: x509.Certificate

    @property
    def expired(self) -> bool:
        return dt.datetime.now(dt.UTC) > self.not_after

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "subject": self.subject, "common_name": self.common_name,
                "organization": self.organization, "not_before": self.not_before.isoformat(),
                "not_after": self.not_after.isoformat(), "added_at": self.added_at.isoformat(),
                "added_by": self.added_by, "note": self.note, "expired": self.expired}

    def describe(self) -> str:
        name = self.common_name or self.subject
        org = f" — {self.organization}" if self.organization else ""
        state = " (ĐÃ HẾT HẠN)" if self.expired else ""
        return (f"{name}{org}{state}\n    SHA-256: {format_fingerprint(self.sha256)}\n    hiệu lực "
                f"{vn_date(self.not_before)} – {vn_date(self.not_after)}; cài ngày {vn_date(self.added_at)}"
                + (f" bởi {self.added_by}" if self.added_by else "") + (f"; ghi chú: {self.note}" if self.note else ""))


def format_fingerprint(sha256: str) -> str:
    """``AB:CD:...`` as certificate viewers show it (for comparing by eye with the distributed value)."""
    return ":".join(sha256[i:i + 2] for i in range(0, len(sha256), 2)).upper()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return None


class TrustStore:
    """Trusted roots in ``store`` (a :class:`readiness.store.db.Store`)."""

    def __init__(self, store: Store):
        self.store = store

    def _of(self, row: Any) -> TrustedRoot:
        return TrustedRoot(row.sha256, row.subject, row.common_name, row.organization, _aware(row.not_before),
                           _aware(row.not_after), _aware(row.added_at), row.added_by, row.note,
                           x509.load_der_x509_certificate(row.der))

    def list(self) -> list[TrustedRoot]:
        return [self._of(row) for row in self.store.trusted_roots()]

    def certificates(self) -> builtins.list[x509.Certificate]:
        return [root.certificate for root in self.list()]

    def add_file(self, path: str | Path, note: str | None = None) -> builtins.list[tuple[TrustedRoot, bool]]:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SigningError("E-TRUST-FILE", f"Không đọc được tệp: {error.strerror or error}.", file=path) from None
        certs = load_certificates(data, source=str(path))
        if not certs:
            raise SigningError("E-TRUST-FILE", "Tệp không có chứng thư số nào.", file=path)
        return [self.add(cert, note) for cert in certs]

    def add(self, cert: x509.Certificate, note: str | None = None) -> tuple[TrustedRoot, bool]:
        """Install ``cert`` as a trust anchor; (the root, whether it was new)."""
        if not is_ca(cert):
            raise SigningError("E-TRUST-NOT-CA", f"«{CertInfo.of(cert).display_name}» không phải chứng thư của tổ chức "
                               "cấp chứng thư (CA): chỉ cài chứng thư gốc (hoặc CA trung gian) làm tin cậy.")
        info = CertInfo.of(cert)
        row, new = self.store.add_trusted_root(
            sha256=info.sha256, subject=info.subject, common_name=info.common_name, organization=info.organization,
            not_before=info.not_before, not_after=info.not_after, der=cert.public_bytes(_der()), added_by=_user(),
            note=note)
        return self._of(row), new

    def remove(self, prefix: str) -> TrustedRoot:
        """Remove the root whose SHA-256 starts with ``prefix`` (hex, ':' allowed; at least 8 digits)."""
        wanted = prefix.replace(":", "").replace(" ", "").lower()
        if len(wanted) < 8 or any(ch not in "0123456789abcdef" for ch in wanted):
            raise SigningError("E-TRUST-FINGERPRINT", "Ghi ít nhất 8 chữ số hex đầu của mã SHA-256 (xem «readiness trust "
                               "list»).")
        rows = self.store.remove_trusted_root(wanted)  # removed when exactly one matches
        if not rows:
            raise SigningError("E-TRUST-UNKNOWN", f"Không có chứng thư gốc nào có mã SHA-256 bắt đầu bằng {wanted}.")
        if len(rows) > 1:
            raise SigningError("E-TRUST-AMBIGUOUS", "Nhiều chứng thư gốc khớp; ghi thêm chữ số của mã SHA-256.")
        return self._of(rows[0])


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


__all__ = ["TrustStore", "TrustedRoot", "fingerprint", "format_fingerprint"]
