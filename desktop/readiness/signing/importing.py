"""The signature step of the department's import (called by ``readiness.department.importer``).

In the worker process, :func:`readiness.signing.facts.workbook_facts` takes what verifying needs
from the read submission.  In the writing process, :class:`ImportSignatures` verifies it against the
installed roots and the commune in the register, with the report PDF beside the workbook when there
is one, and decides:

=================  =====================================  ==========================================
outcome            without ``--require-signature``          with ``--require-signature``
=================  =====================================  ==========================================
signed and valid   imported                                 imported
unsigned           imported, flagged (``W-SIG-UNSIGNED``)   refused (``E-SIG-REQUIRED``)
invalid            refused (``E-SIG-...``)                  refused (``E-SIG-...``)
=================  =====================================  ==========================================

The outcome is then stored with the assessment (:func:`readiness.signing.records.save_signature`).

No downgrade (:func:`replacement_hold`): once a commune and period has a revision with a valid
signature, a later revision replaces it only when it is validly signed too, by the same organisation,
no earlier than that signature.  Otherwise the store keeps it as a *held* revision (``W-HELD-...``) and
the signed one stays, until the department accepts it (``readiness held accept``, ``readiness import
--accept-unsigned-replacement CODE``, the window's «Bản giữ lại…») or dismisses it.  An invalid
signature is refused whatever came before (no one can accept it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors as E
from .facts import WorkbookFacts, collect_facts  # noqa: F401 - collect_facts re-exported
from .verify import INVALID, UNSIGNED, VALID, Verification, companion_pdf, verify_facts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..store.db import Store


@dataclass(frozen=True)
class ImportVerdict:
    verification: Verification
    error: tuple[str, str] | None = None  # (code, message): refuse the file
    warning: tuple[str, str] | None = None  # (code, message): import it, flagged

    def to_dict(self) -> dict[str, Any]:
        return self.verification.to_dict()

    def summary(self) -> dict[str, Any]:
        """What an import result shows (``FileResult.signature``; a key of the ``--json`` line)."""
        v = self.verification
        signer = v.signer
        return {
            "status": v.status, "code": v.code, "label": v.label, "message": v.message, "text": f"Chữ ký số: {v.summary()}",
            "signer": (signer.display_org or signer.display_name) if signer else None,
            "signed_at": v.signed_at.isoformat() if v.signed_at else None,
            "pdf": v.pdf.status if v.pdf else None,
        }


def accept(verification: Verification, require_signature: bool) -> ImportVerdict:
    """The import decision for a verification outcome (the table in the module docstring)."""
    if verification.status == INVALID:
        return ImportVerdict(verification, error=(verification.code or E.BAD_SIGNATURE,
                                                  f"Chữ ký số không hợp lệ: {verification.message}"))
    if verification.status == UNSIGNED:
        if require_signature:
            return ImportVerdict(verification, error=(E.REQUIRED, "Tệp chưa được ký số, mà Sở yêu cầu tệp nộp phải có "
                                                      "chữ ký số của xã (--require-signature). Đề nghị xã ký bằng "
                                                      "«Ký số» rồi gửi lại."))
        return ImportVerdict(verification, warning=(E.UNSIGNED, "Tệp chưa được ký số (không xác thực được người gửi)."))
    return ImportVerdict(verification)


@dataclass(frozen=True)
class SignedReference:
    """The newest validly signed revision of a commune and period: what a later revision must live up to."""

    assessment_id: str
    revision: int
    signer_org: str | None
    signer_name: str | None
    org_units: tuple[str, ...]
    signed_at: dt.datetime | None

    @property
    def who(self) -> str:
        return self.signer_org or (self.org_units[0] if self.org_units else "") or self.signer_name or "?"


def signed_reference(session: Session, commune_code: str, period: str) -> SignedReference | None:
    """:class:`SignedReference` of ``commune_code`` and ``period`` (read in the caller's transaction)."""
    from ..store.signatures import latest_signed

    return _reference(latest_signed(session, commune_code, period, VALID))


def _reference(found: Any) -> SignedReference | None:
    if found is None:
        return None
    units = tuple(((found.details or {}).get("signer") or {}).get("org_units") or ())
    return SignedReference(found.assessment_id, found.revision, found.signer_org, found.signer_name, units,
                           found.signed_at)


def _organisation(org: str | None, units: tuple[str, ...] | list[str], name: str | None) -> str:
    """Who signed, as an organisation, compared as the register's names are (``UBND``/``Ủy ban nhân dân``,
    case, diacritics)."""
    from ..text import fold
    from .match import core_name

    return fold(core_name(org or (units[0] if units else "") or name or ""))


def replacement_hold(reference: SignedReference | None, verification: Verification | None) -> tuple[str, str] | None:
    """Why a later revision checked as ``verification`` must not replace ``reference`` (``(code, message)``),
    or ``None`` when it may (no signed revision, or validly signed by the same organisation, not earlier)."""
    from .certs import vn_time

    if reference is None:
        return None
    kept = f"bản đã ký số vẫn được dùng (lần {reference.revision}, do {reference.who} ký" + (
        f" lúc {vn_time(reference.signed_at)})" if reference.signed_at else ")")
    if verification is None or verification.status != VALID or verification.signer is None:
        return E.HELD_UNSIGNED, f"Bản mới không ký số, {kept}."
    signer = verification.signer
    if _organisation(signer.organization, signer.org_units, signer.common_name) != _organisation(
            reference.signer_org, reference.org_units, reference.signer_name):
        return E.HELD_OTHER_SIGNER, (f"Bản mới được ký bởi «{signer.display_org or signer.display_name}», không phải "
                                     f"tổ chức đã ký bản trước; {kept}.")
    if reference.signed_at is not None and verification.signed_at is not None \
            and verification.signed_at < reference.signed_at:
        return E.HELD_OLDER_SIGNATURE, (f"Bản mới được ký lúc {vn_time(verification.signed_at)}, sớm hơn lúc ký bản "
                                        f"trước; {kept}.")
    return None


class ImportSignatures:
    """Verifies and records the signatures of one import run (roots and register read once)."""

    def __init__(self, store: Store, require_signature: bool = False, *, now: dt.datetime | None = None):
        from .trust import TrustStore

        self.store = store
        self.require_signature = require_signature
        self.now = now
        self.roots = TrustStore(store).certificates()
        self._register: list | None = None
        self._by_code: dict[str, Any] | None = None

    @property
    def register(self) -> list:
        if self._register is None:
            self._register = list(self.store.all_communes())
        return self._register

    def _commune(self, code: str | None) -> Any:
        if not code:
            return None
        if self._by_code is None:  # the first of each code, as a scan of the register finds it
            self._by_code = {}
            for commune in self.register:
                self._by_code.setdefault(commune.code, commune)
        return self._by_code.get(code)

    def check(self, facts: WorkbookFacts | None) -> ImportVerdict | None:
        """The verdict for a checked file (None when the file could not be read far enough to tell)."""
        if facts is None:
            return None
        try:
            verification = verify_facts(facts, roots=self.roots, commune=self._commune(facts.commune_code),
                                        register=self.register, pdf=companion_pdf(facts.path), now=self.now)
        except Exception as error:  # noqa: BLE001 - a signature check must never stop the import
            verification = Verification(INVALID, E.FORMAT, f"Không kiểm tra được chữ ký số ({type(error).__name__}: "
                                        f"{error}).")
        return accept(verification, self.require_signature)

    def recorder(self, verdict: ImportVerdict | None) -> Callable[[Any, Any], None] | None:
        """The ``also`` hook of :func:`readiness.store.imports.store_assessment`: keeps the outcome with the
        assessment in the file's own transaction (it commits or rolls back with it).

        A duplicate (the same data imported again) only upgrades what is kept: a valid signature
        replaces "unsigned", never the reverse.
        """
        if verdict is None:
            return None
        from .records import write_signature

        def also(session: Session, outcome: Any) -> None:
            if outcome.assessment_id and outcome.status in ("imported", "updated", "duplicate"):
                write_signature(session, outcome.assessment_id, verdict.verification,
                                keep_valid=outcome.status == "duplicate")

        return also

    def guard(self, verdict: ImportVerdict | None) -> Callable[[Any, Any], Any]:
        """The ``guard`` of :func:`readiness.store.imports.store_assessment`: holds a revision that would
        replace a validly signed one without the same proof of sender (:func:`replacement_hold`)."""
        from ..store.signatures import latest_signed

        hold = self.hold_check(verdict)

        def check(session: Session, incoming: Any) -> Any:
            return hold(latest_signed(session, incoming.commune_code, incoming.period, VALID))

        return check

    def hold_check(self, verdict: ImportVerdict | None) -> Callable[[Any], Any]:
        """:meth:`guard` on what was read: given the newest validly signed revision of the file's commune and
        period (a :class:`readiness.store.signatures.SignedRevision`, ``None`` when there is none), the
        :class:`readiness.store.imports.HoldReason` or ``None`` (the batch path of the import)."""
        from ..store.imports import HoldReason

        verification = verdict.verification if verdict is not None else None

        def check(found: Any) -> HoldReason | None:
            reference = _reference(found)
            hold = replacement_hold(reference, verification)
            if hold is None or reference is None:
                return None
            return HoldReason(hold[0], hold[1], reference.revision, reference.assessment_id,
                              verification.to_dict() if verification is not None else None)

        return check

    def record_for(self, verdict: ImportVerdict | None) -> Any:
        """What :meth:`recorder` keeps with the assessment (a ``SignatureRecord``; ``None``: nothing)."""
        if verdict is None:
            return None
        from .records import record_of

        return record_of(verdict.verification)

    def kept_note(self, commune_code: str | None, period: str | None) -> str:
        """For a refused file: which signed revision stays in use ("" when there is none)."""
        if not commune_code or not period:
            return ""
        try:
            reference = _reference(self.store.latest_signed(commune_code, period, VALID))
        except Exception:  # noqa: BLE001 - a note, never a reason to fail
            return ""
        return f" Bản đã ký số lần {reference.revision} vẫn được dùng." if reference is not None else ""

    def record(self, assessment_id: str | None, verdict: ImportVerdict | None, status: str = "imported") -> None:
        """Keep the outcome in a transaction of its own (for callers without the ``also`` hook)."""
        if not assessment_id or verdict is None or status not in ("imported", "updated", "duplicate"):
            return
        from .records import record_of

        self.store.save_signature(assessment_id, record_of(verdict.verification), keep_valid=status == "duplicate")
