"""A commune checks the department's receipt against what it sent (issue 14 §4).

:func:`read_receipt` takes the facts from the receipt's JSON attachment (never from its visible text)
and checks the department's signature, when there is one: intact and covering the whole file (a
receipt edited after signing is *tampered*), and whether its certificate leads to a root installed
here (``readiness trust add``).

:func:`check_receipt` compares each receipt in the file with what was sent:

- ``--file SENT.xlsx``: the file's SHA-256 against the receipt's (``match``); failing that, the
  workbook's data seal against the receipt's (``data_match``: the same data in other bytes, e.g. the
  department received the file before it was signed here);
- otherwise the record of exports this installation keeps (:mod:`readiness.store.cycle`'s
  ``exports``: every workbook and PDF written, and again after signing) for the receipt's commune and
  period.

Outcomes and codes: ``match`` (none), ``data_match`` (W-RECEIPT-SAME-DATA), ``mismatch``
(E-RECEIPT-MISMATCH), ``no_record`` (E-RECEIPT-NO-RECORD); over the whole file, a tampered signature
(E-RECEIPT-TAMPERED) overrides everything, and an unsigned receipt is noted (W-RECEIPT-UNSIGNED).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.db import StoreError, period_label
from .cycle import vn_datetime
from .receipt import ReceiptFacts, ReceiptSignature, department_signature, facts_of, refuse

if TYPE_CHECKING:
    from cryptography import x509

    from ..service import Workspace
    from ..store.cycle import ExportRecord

MAX_RECEIPT_BYTES = 50 * 1024 * 1024

TAMPERED = "E-RECEIPT-TAMPERED"
MISMATCH = "E-RECEIPT-MISMATCH"
NO_RECORD = "E-RECEIPT-NO-RECORD"
SAME_DATA = "W-RECEIPT-SAME-DATA"
UNSIGNED = "W-RECEIPT-UNSIGNED"
UNTRUSTED = "W-RECEIPT-UNTRUSTED"


@dataclass
class ReceiptDocument:
    path: Path
    receipts: list[ReceiptFacts]
    signature: ReceiptSignature
    sha256: str


def read_receipt(path: str | Path, roots: list[x509.Certificate] | None = None) -> ReceiptDocument:
    """The receipts in a PDF and its signature; :class:`StoreError` ``E-RECEIPT-FORMAT`` when it is not one."""
    from ..filetypes import NotRegularFile, kind_label, read_regular

    path = Path(path)
    try:
        data = read_regular(path, MAX_RECEIPT_BYTES)
    except FileNotFoundError:
        raise StoreError("E-RECEIPT-FORMAT", f"Không tìm thấy tệp «{path}».") from None
    except NotRegularFile as error:
        raise refuse(path, f"là {kind_label(error.kind)}, không phải tệp.") from None
    except OSError as error:
        raise refuse(path, f"không đọc được: {error.strerror or error}.") from None
    if len(data) > MAX_RECEIPT_BYTES:
        raise refuse(path, "quá lớn để là giấy xác nhận.")
    if not data.startswith(b"%PDF-"):
        raise refuse(path, "không phải tệp PDF.")
    receipts = facts_of(path, data)
    return ReceiptDocument(path, receipts, department_signature(data, list(roots or [])),
                           hashlib.sha256(data).hexdigest())


# -- comparing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryCheck:
    """One receipt of the file against what was sent."""

    facts: ReceiptFacts
    outcome: str  # match / data_match / mismatch / no_record
    code: str | None
    message: str
    matched: str | None = None  # the sent file (path) that matched

    @property
    def ok(self) -> bool:
        return self.outcome in ("match", "data_match")

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "code": self.code, "message": self.message, "matched": self.matched,
                "receipt": self.facts.to_dict()}


@dataclass
class ReceiptCheck:
    """The whole check: the receipt's signature, then each receipt in it."""

    path: Path
    signature: ReceiptSignature
    entries: list[EntryCheck]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message) of warnings

    @property
    def code(self) -> str | None:
        """The failing code, or None when the receipt is intact and matches what was sent."""
        if self.signature.status == "tampered":
            return TAMPERED
        if any(entry.outcome == "mismatch" for entry in self.entries):
            return MISMATCH
        if not any(entry.ok for entry in self.entries):
            return NO_RECORD
        return None

    @property
    def ok(self) -> bool:
        return self.code is None

    @property
    def message(self) -> str:
        if self.signature.status == "tampered":
            return self.signature.message
        failing = [entry for entry in self.entries if not entry.ok]
        if self.code is not None and failing:
            return failing[0].message
        matched = [entry for entry in self.entries if entry.ok]
        return matched[0].message if len(matched) == 1 else f"{len(matched)} giấy xác nhận khớp tệp đã gửi."

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "code": self.code, "message": self.message, "file": str(self.path),
                "signature": self.signature.to_dict(), "receipts": [entry.to_dict() for entry in self.entries],
                "notes": [{"code": code, "message": message} for code, message in self.notes]}


def _what(facts: ReceiptFacts) -> str:
    return f"{facts.commune_name}, kỳ {period_label(facts.period)}, lần {facts.revision}"


def _sent_file(path: Path) -> tuple[str, str | None, str | None, str | None]:
    """(SHA-256 of the bytes, data seal, commune code, period) of a file a commune sent."""
    from ..filetypes import NotRegularFile, read_regular

    try:
        data = read_regular(path)
    except FileNotFoundError:
        raise StoreError("E-RECEIPT-FILE", f"Không tìm thấy tệp đã gửi «{path}».") from None
    except (NotRegularFile, OSError) as error:
        raise StoreError("E-RECEIPT-FILE", f"Không đọc được tệp đã gửi «{path.name}»: {error}.") from None
    sha = hashlib.sha256(data).hexdigest()
    seal = commune = period = None
    if path.suffix.lower() == ".xlsx":
        try:
            from ..exchange import read_submission

            submission = read_submission(path)
            seal, commune, period = submission.data_sha256, submission.commune_code, submission.period
        except Exception:  # noqa: BLE001 - not a submission we can read: compare the bytes only
            pass
    return sha, seal, commune, period


def compare_with_file(receipts: list[ReceiptFacts], path: str | Path) -> list[EntryCheck]:
    """Each receipt against the file the commune sent."""
    path = Path(path)
    sha, seal, commune, period = _sent_file(path)
    matched = [f for f in receipts if f.file_sha256 == sha]
    if matched:
        return [EntryCheck(f, "match", None, f"Khớp: Sở đã nhận đúng tệp «{path.name}» ({_what(f)}; SHA-256 "
                                             f"{sha[:16]}…).", str(path)) for f in matched]
    same_data = [f for f in receipts if seal and f.data_sha256 == seal]
    if same_data:
        return [EntryCheck(f, "data_match", SAME_DATA,
                           f"Khớp dữ liệu: Sở nhận tệp «{f.file_name}», khác tệp «{path.name}» về byte nhưng cùng "
                           f"dữ liệu ({_what(f)}); thường do tệp được ký số hoặc xuất lại sau khi gửi.", str(path))
                for f in same_data]
    relevant = [f for f in receipts if commune and f.commune_code == commune and (not period or f.period == period)]
    return [EntryCheck(f, "mismatch", MISMATCH,
                       f"Không khớp: Sở nhận tệp «{f.file_name}» (SHA-256 {f.file_sha256[:16]}…), không phải tệp "
                       f"«{path.name}» (SHA-256 {sha[:16]}…) ({_what(f)}). Liên hệ Sở để gửi lại đúng tệp.")
            for f in (relevant or receipts)]


def compare_with_exports(receipts: list[ReceiptFacts], records: list[ExportRecord]) -> list[EntryCheck]:
    """Each receipt against the files this installation exported for the same commune and period."""
    by_key: dict[tuple[str, str], list[ExportRecord]] = {}
    for record in records:
        by_key.setdefault((record.commune_code, record.period), []).append(record)
    checks: list[EntryCheck] = []
    for facts in receipts:
        mine = by_key.get((facts.commune_code, facts.period), [])
        if not mine:
            continue
        same = [r for r in mine if r.sha256 == facts.file_sha256]
        if same:
            record = same[0]
            verb = "đã ký số" if record.action == "signed" else "đã xuất"
            checks.append(EntryCheck(facts, "match", None,
                                     f"Khớp: Sở đã nhận đúng tệp máy này {verb} lúc {vn_datetime(record.made_at)} "
                                     f"(«{record.file_name}», {_what(facts)}).", record.path))
            continue
        same_data = [r for r in mine if facts.data_sha256 and r.data_sha256 == facts.data_sha256]
        if same_data:
            record = same_data[0]
            checks.append(EntryCheck(facts, "data_match", SAME_DATA,
                                     f"Khớp dữ liệu: Sở nhận tệp «{facts.file_name}», khác về byte với tệp máy này ghi "
                                     f"lúc {vn_datetime(record.made_at)} («{record.file_name}») nhưng cùng dữ liệu "
                                     f"({_what(facts)}).", record.path))
            continue
        listed = "; ".join(f"«{r.file_name}» lúc {vn_datetime(r.made_at)}" for r in mine[:3])
        checks.append(EntryCheck(facts, "mismatch", MISMATCH,
                                 f"Không khớp: Sở nhận tệp «{facts.file_name}» (SHA-256 {facts.file_sha256[:16]}…), "
                                 f"không phải tệp nào máy này đã xuất cho {_what(facts)} ({listed}). Liên hệ Sở để gửi "
                                 "lại đúng tệp."))
    if not checks:
        names = ", ".join(dict.fromkeys(f"{f.commune_name} kỳ {period_label(f.period)}" for f in receipts[:3]))
        checks = [EntryCheck(f, "no_record", NO_RECORD,
                             f"Máy này chưa ghi nhận lần xuất tệp nào của {names}: chọn tệp đã gửi để đối chiếu "
                             "(--file TỆP.xlsx).") for f in receipts]
    return checks


def check_receipt(path: str | Path, *, file: str | Path | None = None, records: list[ExportRecord] | None = None,
                  roots: list[x509.Certificate] | None = None) -> ReceiptCheck:
    """Read the receipt, check its signature, compare it with ``file`` or with the export ``records``."""
    document = read_receipt(path, roots)
    if file is not None:
        entries = compare_with_file(document.receipts, file)
    else:
        entries = compare_with_exports(document.receipts, list(records or []))
    notes: list[tuple[str, str]] = []
    if document.signature.status == "unsigned":
        notes.append((UNSIGNED, document.signature.message))
    elif document.signature.status == "untrusted":
        notes.append((UNTRUSTED, document.signature.message))
    notes += [(entry.code, entry.message) for entry in entries if entry.code == SAME_DATA]
    return ReceiptCheck(document.path, document.signature, entries, notes)


def check_receipt_in(workspace: Workspace, path: str | Path, *, file: str | Path | None = None) -> ReceiptCheck:
    """:func:`check_receipt` with this installation's export records and trusted roots."""
    from ..signing.trust import TrustStore
    from ..store.cycle import exports

    records = None if file is not None else exports(workspace.store)
    return check_receipt(path, file=file, records=records, roots=TrustStore(workspace.store).certificates())


__all__ = ["EntryCheck", "MISMATCH", "NO_RECORD", "ReceiptCheck", "ReceiptDocument", "ReceiptSignature", "SAME_DATA",
           "TAMPERED", "UNSIGNED", "UNTRUSTED", "check_receipt", "check_receipt_in",
           "compare_with_exports", "compare_with_file", "read_receipt"]
