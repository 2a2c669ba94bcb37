"""The department's checks of a signed submission: who signed, and that nothing changed since.

Outcomes (:class:`Verification`): ``valid`` (signed and valid), ``unsigned`` or ``invalid`` with a
code from :mod:`readiness.signing.errors` and a Vietnamese reason.  A signature is valid when

1. it is intact: the workbook's CMS verifies over the data now in ``_data`` (the PDF's PAdES over
   the whole file) — otherwise ``E-SIG-DATA-CHANGED`` / ``E-SIG-PDF-CHANGED`` (``E-SIG-BAD`` when
   the signature value itself is wrong);
2. the visible sheets still show the signed data (``E-SIG-SHEETS-EDITED``);
3. the signing time (the signer's own clock: there is no time-stamp authority) is plausible: not in
   the future, not more than a month before the report's period (``E-SIG-TIME``);
4. the certificate was valid at that time (``E-SIG-EXPIRED`` / ``E-SIG-NOT-YET-VALID``) and is meant
   for signing (``E-SIG-KEY-USAGE``);
5. its chain leads to a root the department installed (``readiness trust add``; ``E-SIG-NO-ROOTS``
   when there is none yet, ``E-SIG-UNTRUSTED`` otherwise).  Revocation is not checked (no CRL/OCSP
   fetching: the department's PC may be offline); that is written in the notes of each result;
6. the certificate's organisation is the commune the file names (:mod:`readiness.signing.match`;
   ``E-SIG-COMMUNE``).

A PDF report next to the workbook is checked the same way and must be signed with the same
certificate for the same data (``E-SIG-PDF-MISMATCH``; signed with another certificate is reported as
that, whatever the PDF's own outcome — untrusted, another commune — would have been).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography import x509

from ..register import Commune
from . import errors as E
from .errors import LABELS, status_label  # noqa: F401 - re-exported
from .certs import CertInfo, can_sign, from_asn1, to_asn1, vn_date, vn_time
from .facts import WorkbookFacts, workbook_facts  # noqa: F401 - re-exported
from .match import match_commune

VALID, UNSIGNED, INVALID = "valid", "unsigned", "invalid"
FUTURE_TOLERANCE = dt.timedelta(days=1)
BEFORE_PERIOD = dt.timedelta(days=31)
NO_REVOCATION_NOTE = "Chưa kiểm tra thu hồi chứng thư (CRL/OCSP)."

@dataclass(frozen=True)
class Verification:
    status: str  # valid | unsigned | invalid
    code: str | None  # None when valid; W-SIG-UNSIGNED; E-SIG-...
    message: str  # Vietnamese, for people
    part: str = "xlsx"  # xlsx | pdf
    signer: CertInfo | None = None
    signed_at: dt.datetime | None = None
    root: str | None = None  # subject of the trusted root the chain ends at
    notes: tuple[str, ...] = ()
    pdf: Verification | None = None  # the report PDF's own outcome, when one was checked
    data_sha256: str | None = None  # a PDF: the workbook data its signature names (in /Reason)

    @property
    def valid(self) -> bool:
        return self.status == VALID

    @property
    def label(self) -> str:
        return status_label(self.status)

    def summary(self) -> str:
        """One line: "Đã ký số, hợp lệ: UBND xã Đăk Hà, 24/11/2026 10:30:15 +07:00" or the reason."""
        if self.status == VALID and self.signer is not None:
            when = f", ký lúc {vn_time(self.signed_at)}" if self.signed_at else ""
            return f"{self.label}: {self.signer.display_org or self.signer.display_name}{when}"
        return f"{self.label}: {self.message}" if self.status == INVALID else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "code": self.code, "message": self.message, "part": self.part,
            "label": self.label,
            "signer": self.signer.to_dict() if self.signer else None,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "root": self.root, "notes": list(self.notes),
            "pdf": self.pdf.to_dict() if self.pdf else None,
        }


def _invalid(code: str, message: str, **kw: Any) -> Verification:
    return Verification(INVALID, code, message, **kw)


def unsigned(part: str = "xlsx") -> Verification:
    what = "Tệp Excel" if part == "xlsx" else "Báo cáo PDF"
    return Verification(UNSIGNED, E.UNSIGNED, f"{what} chưa được ký số.", part=part)


# -- policy shared by the workbook and the PDF ----------------------------------------------------------


@dataclass
class _Facts:
    """What the cryptography said, before the department's policy is applied."""

    part: str
    signer: x509.Certificate | None
    signed_at: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str = ""
    root: str | None = None
    notes: list[str] = field(default_factory=list)


def period_start(period: str | None) -> dt.datetime | None:
    if not period or len(period) != 7:
        return None
    try:
        return dt.datetime(int(period[:4]), int(period[5:]), 1, tzinfo=dt.UTC)
    except ValueError:
        return None


def _policy(facts: _Facts, *, roots: Sequence[x509.Certificate], commune: Commune | None,
            register: Sequence[Commune] | None, period: str | None, now: dt.datetime) -> Verification:
    what = "dữ liệu trong tệp Excel" if facts.part == "xlsx" else "báo cáo PDF"
    info = CertInfo.of(facts.signer) if facts.signer is not None else None
    base: dict[str, Any] = {"part": facts.part, "signer": info, "signed_at": facts.signed_at,
                            "notes": tuple(facts.notes)}
    if not facts.intact:
        code = E.DATA_CHANGED if facts.part == "xlsx" else E.PDF_CHANGED
        return _invalid(code, f"{what[0].upper() + what[1:]} đã bị sửa sau khi ký.", **base)
    if not facts.valid:
        return _invalid(E.BAD_SIGNATURE, f"Chữ ký số của {what} không đúng (giá trị chữ ký sai).", **base)
    assert facts.signer is not None and info is not None
    signed_at = facts.signed_at
    if signed_at is None:
        return _invalid(E.TIME, "Chữ ký không ghi thời gian ký.", **base)
    if signed_at > now + FUTURE_TOLERANCE:
        return _invalid(E.TIME, f"Thời gian ký {vn_time(signed_at)} ở tương lai: đồng hồ máy tính ký sai.", **base)
    start = period_start(period)
    if start is not None and period is not None and signed_at < start - BEFORE_PERIOD:
        return _invalid(E.TIME, f"Thời gian ký {vn_time(signed_at)} trước kỳ báo cáo {period[5:]}/{period[:4]} quá "
                        "xa: đồng hồ máy tính ký sai, hoặc chữ ký được tạo bằng chứng thư cũ.", **base)
    if signed_at < facts.signer.not_valid_before_utc:
        return _invalid(E.NOT_YET_VALID, f"Ký lúc {vn_time(signed_at)}, trước khi chứng thư số có hiệu lực "
                        f"(từ {vn_date(facts.signer.not_valid_before_utc)}).", **base)
    if signed_at > facts.signer.not_valid_after_utc:
        return _invalid(E.EXPIRED, f"Chứng thư số đã hết hạn ngày {vn_date(facts.signer.not_valid_after_utc)}, "
                        f"trước khi ký ({vn_time(signed_at)}).", **base)
    if not can_sign(facts.signer):
        return _invalid(E.KEY_USAGE, "Chứng thư số này không được dùng để ký văn bản.", **base)
    if not roots:
        return _invalid(E.NO_ROOTS, "Sở chưa cài chứng thư gốc nào để kiểm tra chữ ký; cài bằng lệnh "
                        "«readiness trust add ROOT.cer».", **base)
    if not facts.trusted:
        problem = facts.trust_problem.upper()
        if "REVOKED" in problem:
            return _invalid(E.REVOKED, "Chứng thư số đã bị thu hồi.", **base)
        if any(word in problem for word in ("EXPIRED", "OUT_OF_BOUNDS", "NOT_YET_VALID")):
            return _invalid(E.EXPIRED, "Một chứng thư trong chuỗi (CA trung gian) không còn hiệu lực lúc ký.", **base)
        return _invalid(E.UNTRUSTED, f"Chứng thư số do «{info.issuer_cn or info.issuer}» cấp, không dẫn tới chứng thư "
                        "gốc nào Sở đã cài đặt (readiness trust list).", **base)
    if commune is not None:
        matched = match_commune(info, commune, register)
        if not matched.ok:
            return _invalid(E.COMMUNE, matched.reason[0].upper() + matched.reason[1:] + ".", **base)
    notes = list(facts.notes)
    if now > facts.signer.not_valid_after_utc:
        notes.append(f"Chứng thư số đã hết hạn ngày {vn_date(facts.signer.not_valid_after_utc)}, nhưng còn hiệu lực "
                     "lúc ký.")
    notes.append(NO_REVOCATION_NOTE)
    who = info.display_org or info.display_name
    return Verification(VALID, None, f"Đã ký số bởi {who} lúc {vn_time(signed_at)}.", part=facts.part, signer=info,
                        signed_at=signed_at, root=facts.root, notes=tuple(notes))


def validation_context(roots: Sequence[x509.Certificate], others: Sequence[x509.Certificate],
                       moment: dt.datetime | None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=[to_asn1(r) for r in roots], other_certs=[to_asn1(c) for c in others],
                             moment=moment, allow_fetching=False, revocation_mode="soft-fail")


def key_usage() -> Any:
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    # Either usage signs documents; the policy checks it with a Vietnamese message, pyHanko need not.
    return KeyUsageConstraints(key_usage=set(), match_all_key_usages=False)


def _root_of(status: Any) -> str | None:
    path = getattr(status, "validation_path", None)
    try:
        anchor = path.trust_anchor if path is not None else None
        authority = getattr(anchor, "authority", None)
        name = getattr(authority, "name", None)
        return name.human_friendly if name is not None else None
    except Exception:  # noqa: BLE001 - informative only
        return None


# -- the workbook --------------------------------------------------------------------------------------------


def verify_workbook(submission: Any, *, roots: Sequence[x509.Certificate], commune: Commune | None = None,
                    register: Sequence[Commune] | None = None, now: dt.datetime | None = None) -> Verification:
    """Check the ``_signature`` of a workbook read by :func:`readiness.exchange.read_submission`."""
    return verify_workbook_facts(workbook_facts(submission), roots=roots, commune=commune, register=register, now=now)


def verify_workbook_facts(facts: WorkbookFacts, *, roots: Sequence[x509.Certificate], commune: Commune | None = None,
                          register: Sequence[Commune] | None = None, now: dt.datetime | None = None) -> Verification:
    if not facts.has_part:
        return unsigned("xlsx")
    if facts.cms is None:
        return _invalid(E.FORMAT, f"Phần chữ ký trong tệp Excel bị hỏng: {facts.problem}.")
    # pyHanko (and aiohttp under it) costs ~0.4 s of CPU to import: only when a file is signed.
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms, extract_self_reported_ts

    from .workbook import cms_signed_data

    now = now or dt.datetime.now(dt.UTC)
    try:
        signed_data = cms_signed_data(facts.cms)
        signer_info = signed_data["signer_infos"][0]
        signed_at = extract_self_reported_ts(signer_info)
        embedded = [from_asn1(c.chosen) for c in signed_data["certificates"] if c.name == "certificate"]
    except Exception as error:  # noqa: BLE001 - any damage in the ASN.1
        return _invalid(E.FORMAT, f"Phần chữ ký trong tệp Excel bị hỏng ({type(error).__name__}).")
    context = validation_context(roots, embedded, signed_at)
    try:
        status = asyncio.run(async_validate_detached_cms(facts.content, signed_data,
                                                         signer_validation_context=context,
                                                         key_usage_settings=key_usage()))
    except Exception as error:  # noqa: BLE001 - pyHanko: signer certificate missing, unsupported algorithm...
        return _invalid(E.FORMAT, f"Không kiểm tra được chữ ký trong tệp Excel ({error}).")
    signer = from_asn1(status.signing_cert) if status.signing_cert is not None else None
    checked = _Facts("xlsx", signer, signed_at, bool(status.intact), bool(status.valid), bool(status.trusted),
                     _trust_problem(status), _root_of(status))
    result = _policy(checked, roots=roots, commune=commune, register=register, period=facts.period, now=now)
    if result.status == VALID and facts.hash_ok is False:
        return replace(result, status=INVALID, code=E.DATA_CHANGED,
                       message="Mã băm ghi trong sheet «_data» không khớp dữ liệu: tệp đã bị sửa sau khi ký.")
    if result.status == VALID and facts.differences:
        more = f" (và {len(facts.differences) - 1} ô khác)" if len(facts.differences) > 1 else ""
        return replace(result, status=INVALID, code=E.SHEETS_EDITED,
                       message=f"Tệp Excel đã bị sửa sau khi ký: {facts.differences[0]}{more}.")
    return result


def _trust_problem(status: Any) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    return getattr(indic, "name", "") if indic is not None else ""


# -- the PDF ---------------------------------------------------------------------------------------------------


def verify_pdf(path: str | Path, *, roots: Sequence[x509.Certificate], commune: Commune | None = None,
               register: Sequence[Commune] | None = None, period: str | None = None,
               now: dt.datetime | None = None) -> Verification:
    """Check the commune's PAdES signature of a report PDF."""
    from .pdf import inspect_pdf, validate_pdf_check

    now = now or dt.datetime.now(dt.UTC)
    from ..filetypes import NotRegularFile, kind_label, read_regular

    try:
        data = read_regular(path)  # never a pipe or a device: the import would wait for ever
    except NotRegularFile as error:
        return _invalid(E.FORMAT, f"Báo cáo PDF kèm theo là {kind_label(error.kind)}, không phải tệp.", part="pdf")
    except OSError as error:
        return _invalid(E.FORMAT, f"Không đọc được báo cáo PDF: {error.strerror or error}.", part="pdf")
    check = inspect_pdf(data)
    if check.problem and not check.present:
        return _invalid(E.FORMAT, f"Báo cáo PDF: {check.problem}.", part="pdf")
    if not check.present:
        return unsigned("pdf")
    if check.problem:
        return _invalid(E.FORMAT, f"Báo cáo PDF: {check.problem}.", part="pdf")
    context = validation_context(roots, check.certificates or [], check.signed_at)
    validate_pdf_check(check, context, key_usage())
    if check.problem:
        return _invalid(E.FORMAT, f"Báo cáo PDF: {check.problem}.", part="pdf")
    facts = _Facts("pdf", check.signer, check.signed_at, check.intact and check.whole_file, check.valid,
                   bool(check.trusted), check.trust_problem or "")
    result = _policy(facts, roots=roots, commune=commune, register=register, period=period, now=now)
    return replace(result, data_sha256=check.data_sha256)


# -- both ---------------------------------------------------------------------------------------------------


def companion_pdf(xlsx: str | Path) -> Path | None:
    """The report PDF exported beside a workbook (same name, ``.pdf``), if it is there."""
    candidate = Path(xlsx).with_suffix(".pdf")
    if candidate.is_file():
        return candidate
    upper = Path(xlsx).with_suffix(".PDF")
    return upper if upper.is_file() else None


def verify_submission(submission: Any, *, roots: Sequence[x509.Certificate], commune: Commune | None = None,
                      register: Sequence[Commune] | None = None, pdf: str | Path | None = None,
                      now: dt.datetime | None = None) -> Verification:
    """The workbook's outcome, combined with the PDF report's when ``pdf`` is given.

    The workbook carries the data, so its outcome leads: unsigned stays unsigned (a signed PDF is
    noted), valid becomes invalid when the PDF is invalid, signed by another certificate or for
    other data; an unsigned PDF next to a valid workbook is noted, not refused.
    """
    return verify_facts(workbook_facts(submission), roots=roots, commune=commune, register=register, pdf=pdf, now=now)


def verify_facts(facts: WorkbookFacts, *, roots: Sequence[x509.Certificate], commune: Commune | None = None,
                 register: Sequence[Commune] | None = None, pdf: str | Path | None = None,
                 now: dt.datetime | None = None) -> Verification:
    """:func:`verify_submission` from :class:`WorkbookFacts` (what the importer uses)."""
    book = verify_workbook_facts(facts, roots=roots, commune=commune, register=register, now=now)
    if pdf is None:
        return book
    report = verify_pdf(pdf, roots=roots, commune=commune, register=register, period=facts.period, now=now)
    if book.status == UNSIGNED:
        note = "Báo cáo PDF có chữ ký số nhưng tệp Excel (dữ liệu) chưa ký." if report.status != UNSIGNED else ""
        return replace(book, pdf=report, notes=(*book.notes, note) if note else book.notes)
    if book.status == INVALID:
        return replace(book, pdf=report)
    if report.status == UNSIGNED:
        return replace(book, pdf=report, notes=(*book.notes, "Báo cáo PDF kèm theo chưa được ký số."))
    if report.signer and book.signer and report.signer.sha256 != book.signer.sha256:
        # Before the PDF's own outcome: another certificate is the fact that matters (it is usually also
        # untrusted, or of another organisation, which alone would hide that the two were signed apart).
        return replace(book, status=INVALID, code=E.PDF_OTHER, pdf=report,
                       message="Báo cáo PDF và tệp Excel được ký bằng hai chứng thư số khác nhau "
                               f"(PDF: {report.signer.display_org or report.signer.display_name}).")
    if report.status == INVALID:
        return replace(book, status=INVALID, code=report.code, message=f"Báo cáo PDF: {report.message}", pdf=report)
    if report.data_sha256 and report.data_sha256 != facts.data_sha256:
        return replace(book, status=INVALID, code=E.PDF_OTHER, pdf=report,
                       message="Báo cáo PDF được ký cho một bộ dữ liệu khác với tệp Excel kèm theo.")
    return replace(book, pdf=report)
