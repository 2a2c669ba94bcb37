"""Signing a submission in place: the workbook's data (detached CMS) and the report PDF (PAdES).

:func:`sign_submission` checks that the two files are the exported submission of the commune and
period asked for and that the certificate is the commune's; signs both into temporary files beside
them; reads them back and verifies both signatures (and that the workbook still reads exactly as
before); only then renames them over the originals.  A failure at any step leaves the originals
as they were.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from ..register import Commune
from . import errors as E
from .certs import VN_TZ, CertInfo, fingerprint, is_ca
from .errors import SigningError
from .keys import KeySource, OpenedSigner, open_signer
from .match import match_commune
from .verify import INVALID, VALID, Verification, verify_pdf, verify_workbook
from .workbook import part_rows, signed_content, write_signature_part

# When the commune checks its own freshly signed files it may have no root installed: these codes
# only say "cannot tell who the root is", not "the signature is wrong".
_TRUST_ONLY = {E.NO_ROOTS, E.UNTRUSTED}


@dataclass(frozen=True)
class SignResult:
    xlsx: Path
    pdf: Path | None
    signer: CertInfo
    signed_at: dt.datetime
    data_sha256: str
    workbook: Verification
    report: Verification | None
    assessment_id: str | None = None  # of the workbook signed
    revision: int | None = None
    status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": True, "xlsx": str(self.xlsx), "pdf": str(self.pdf) if self.pdf else None,
                "signer": self.signer.to_dict(), "signed_at": self.signed_at.isoformat(),
                "data_sha256": self.data_sha256, "workbook": self.workbook.to_dict(),
                "report": self.report.to_dict() if self.report else None}


def find_commune(code: str, register: Sequence[Commune] | None = None) -> Commune:
    if register is None:
        from ..register import load_register

        register = load_register()
    for commune in register:
        if commune.code == code:
            return commune
    raise SigningError("E-SIGN-COMMUNE-CODE", f"Không có xã/phường mã {code} trong danh mục đơn vị hành chính.")


def _read(xlsx: Path, checklist: Any, library: Any) -> Any:
    from ..exchange import ExchangeError, read_submission

    try:
        return read_submission(xlsx, checklist=checklist, library=library)
    except ExchangeError as error:
        raise SigningError(error.code, error.message, file=xlsx) from None


def cms_sign(opened: OpenedSigner, content: bytes, signing_time: dt.datetime) -> bytes:
    """A detached CMS SignedData over ``content`` (signingTime, signing certificate and chain embedded)."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    try:
        info = asyncio.run(opened.signer.async_sign_general_data(
            content, "sha256", detached=True, signed_attr_settings=PdfCMSSignedAttributes(signing_time=signing_time)))
    except SigningError:
        raise
    except Exception as error:  # noqa: BLE001 - token errors while signing
        raise SigningError("E-SIGN-CMS", f"Không ký được dữ liệu tệp Excel: {error}.") from None
    return info.dump()


def _temp_beside(path: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=".~sign-", suffix=path.suffix, dir=path.parent if str(path.parent) else ".")
    os.close(handle)
    return Path(name)


def sign_submission(*, xlsx: str | Path, pdf: str | Path | None, key: KeySource, commune_code: str, period: str,
                    roots: Sequence[x509.Certificate] = (), checklist: Any = None, library: Any = None,
                    register: Sequence[Commune] | None = None, now: dt.datetime | None = None) -> SignResult:
    """Sign the exported workbook (and report PDF) of ``commune_code`` / ``period`` in place."""
    xlsx = Path(xlsx)
    pdf = Path(pdf) if pdf is not None else None
    submission = _read(xlsx, checklist, library)
    if submission.kind != "submission":
        raise SigningError("E-SIGN-NOT-SUBMISSION", "Đây là phiếu trống (mẫu), không phải tệp kết quả xuất từ phần mềm; "
                           "chỉ ký tệp «Xuất kết quả».", file=xlsx)
    if submission.problems or submission.hash_ok is not True:
        raise SigningError("E-SIGN-DAMAGED", "Tệp Excel không nguyên vẹn (mã băm không khớp hoặc có lỗi); hãy xuất lại "
                           "rồi ký.", file=xlsx)
    if submission.differences:
        raise SigningError("E-SIGN-EDITED", f"Tệp Excel đã bị sửa bằng tay sau khi xuất ({submission.differences[0]}); "
                           "hãy sửa trong phần mềm, xuất lại rồi ký.", file=xlsx)
    if submission.commune_code != commune_code or submission.period != period:
        raise SigningError("E-SIGN-WRONG-FILE", f"Tệp là kết quả của xã mã {submission.commune_code}, kỳ "
                           f"{submission.period}, không phải xã mã {commune_code}, kỳ {period}.", file=xlsx)
    if pdf is not None and not pdf.is_file():
        raise SigningError("E-SIGN-PDF", "Không tìm thấy tệp báo cáo PDF.", file=pdf)
    commune = find_commune(commune_code, register)
    content = signed_content(submission)
    data_sha256 = hashlib.sha256(content).hexdigest()
    signing_time = (now or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)

    with ExitStack() as stack:
        opened = stack.enter_context(open_signer(key))
        info = opened.info
        matched = match_commune(info, commune, register)
        if not matched.ok:
            raise SigningError("E-SIGN-COMMUNE", matched.reason[0].upper() + matched.reason[1:] + ". Hãy ký bằng "
                               "chứng thư số của đơn vị.")
        cms = cms_sign(opened, content, signing_time)
        pdf_bytes = None
        if pdf is not None:
            from .pdf import sign_pdf_bytes

            pdf_bytes = sign_pdf_bytes(pdf.read_bytes(), opened, signing_time=signing_time, data_sha256=data_sha256,
                                       location=commune.name, file=pdf)
        chain_roots = [c for c in [opened.certificate, *opened.chain] if is_ca(c) and c.issuer == c.subject]

    temps: list[Path] = []
    try:
        temp_xlsx = _temp_beside(xlsx)
        temps.append(temp_xlsx)
        rows = part_rows(cms, data_sha256=data_sha256, signed_at=signing_time, signer=info.common_name,
                         organization=info.organization, certificate_sha256=fingerprint(opened.certificate))
        try:
            write_signature_part(xlsx, temp_xlsx, rows)
        except OSError as error:
            raise SigningError("E-SIGN-WRITE", f"Không ghi được tệp: {error.strerror or error}.", file=xlsx) from None
        temp_pdf = None
        if pdf is not None and pdf_bytes is not None:
            temp_pdf = _temp_beside(pdf)
            temps.append(temp_pdf)
            temp_pdf.write_bytes(pdf_bytes)
        check_roots = list(roots) or chain_roots
        book, report = _verify_written(temp_xlsx, temp_pdf, submission, data_sha256, check_roots, commune, register,
                                       checklist, library)
        _replace(temp_xlsx, xlsx)
        temps.remove(temp_xlsx)
        if temp_pdf is not None and pdf is not None:
            _replace(temp_pdf, pdf)
            temps.remove(temp_pdf)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return SignResult(xlsx, pdf, info, signing_time, data_sha256, book, report, submission.assessment_id,
                      submission.revision, submission.status)


def _verify_written(temp_xlsx: Path, temp_pdf: Path | None, before: Any, data_sha256: str,
                    roots: Sequence[x509.Certificate], commune: Commune, register: Sequence[Commune] | None,
                    checklist: Any, library: Any) -> tuple[Verification, Verification | None]:
    from ..exchange.canonical import answer_json, canonical_json

    after = _read(temp_xlsx, checklist or before.checklist, library)
    same = (after.kind == "submission" and after.hash_ok is True and not after.problems and not after.differences
            and after.data_sha256 == data_sha256
            and canonical_json(answer_json(after.checklist, after.answers))
            == canonical_json(answer_json(before.checklist, before.answers)))
    if not same:
        raise SigningError("E-SIGN-VERIFY", "Đọc lại tệp Excel sau khi ký không khớp dữ liệu gốc; tệp chưa bị thay đổi.",
                           file=before.path)
    book = verify_workbook(after, roots=roots, commune=commune, register=register)
    _accept_own(book, before.path)
    report = None
    if temp_pdf is not None:
        report = verify_pdf(temp_pdf, roots=roots, commune=commune, register=register, period=before.period)
        _accept_own(report, temp_pdf)
        if report.data_sha256 != data_sha256:
            raise SigningError("E-SIGN-VERIFY", "Chữ ký báo cáo PDF vừa tạo không ghi đúng dữ liệu; tệp chưa bị thay đổi.")
    return book, report


def _accept_own(result: Verification, path: Path) -> None:
    if result.status == VALID or (result.status == INVALID and result.code in _TRUST_ONLY):
        return
    raise SigningError("E-SIGN-VERIFY", f"Kiểm tra lại chữ ký vừa tạo không đạt ({result.code}: {result.message}); "
                       "tệp chưa bị thay đổi.", file=path)


def _replace(temp: Path, target: Path) -> None:
    from ..paths import settle_mode

    try:
        settle_mode(temp, target)  # the signed file keeps the mode of the file it replaces
        os.replace(temp, target)
    except PermissionError as error:
        raise SigningError("E-SIGN-LOCKED", "Không thay được tệp: tệp đang mở trong chương trình khác (Excel, trình "
                           "đọc PDF?) hoặc không có quyền ghi. Đóng tệp rồi ký lại.", file=target) from error
    except OSError as error:
        raise SigningError("E-SIGN-WRITE", f"Không ghi được tệp: {error.strerror or error}.", file=target) from error
