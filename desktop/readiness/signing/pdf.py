"""The PDF report's signature: PAdES (pyHanko), the signing certificate and its chain embedded, a visible stamp.

The stamp, in the style Vietnamese signing tools use (text in dark red, a thin frame)::

    Ký bởi: <CN of the certificate>
    Cơ quan: <O of the certificate>
    Thời gian ký: 24/11/2026 10:30:15 +07:00

set in the bundled Liberation Serif so the diacritics render, in the report's signature block
(:mod:`readiness.signing.spot`).  The time shown is the one in the signature dictionary (``/M``).
The signature's ``/Reason`` names the workbook data it goes with (``data_sha256``), so the
department can tell that a signed PDF belongs to the signed workbook beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .certs import CertInfo, vn_time
from .errors import SigningError
from .keys import OpenedSigner
from .spot import fallback_spot, find_spot

FIELD_NAME = "ChuKySo_DonVi"
DEPARTMENT_FIELD = "ChuKySo_So"  # the department's signature of a document it issues (a receipt)
STAMP_TEXT = "Ký bởi: %(signer)s\nCơ quan: %(organization)s\nThời gian ký: %(signed_at)s"
STAMP_COLOR = (0.70, 0.05, 0.05)
MM = 72 / 25.4
REASON_PREFIX = "Báo cáo kết quả tự đánh giá; dữ liệu SHA-256 "
_REASON_HASH = re.compile(r"SHA-256 ([0-9a-f]{64})")


def stamp_font() -> Path:
    """The bundled serif with 1000 units per em (a cached copy, made once).

    pyHanko 0.38 writes a CID font's glyph widths (``/W``) in the font's own units, while PDF
    reads them as thousandths of an em; Liberation Serif has 2048 units per em, so text set in it
    would be spaced twice too wide.  fontTools rescales the font to 1000 units, where the two agree.
    """
    from ..exchange.fonts import SERIF, font_path
    from ..paths import user_data_dir

    source = font_path(SERIF)
    made = _MADE.get(source)
    if made is not None and made.is_file():
        return made
    data = source.read_bytes()
    target = user_data_dir() / "cache" / f"{source.stem}-upem1000-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
    if target.is_file():
        _MADE[source] = target
        return target
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(io.BytesIO(data))
    if font["head"].unitsPerEm == 1000:
        return source
    scale_upem(font, 1000)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".~", suffix=".ttf", dir=target.parent)
    os.close(handle)
    try:
        font.save(temp_name)
        os.replace(temp_name, target)
    finally:
        Path(temp_name).unlink(missing_ok=True)
    _MADE[source] = target
    return target


_MADE: dict[Path, Path] = {}


def stamp_style() -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    # fontTools logs "FFTM NOT subset; don't know how to subset; dropped" at WARNING for every stamp
    # (a FontForge timestamp table: dropping it is right); keep it off the user's console.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    font = GlyphAccumulatorFactory(str(stamp_font()), font_size=11)
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(font=font, font_size=11, leading=15, text_color=STAMP_COLOR,
                                    box_layout_rule=SimpleBoxLayoutRule(  # pyHanko's default pads 10 pt a side
                                        x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID,
                                        margins=Margins(left=1, right=1, top=1, bottom=1))),
        border_width=1,
        background=None,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=3, right=3, top=2, bottom=2), inner_content_scaling=InnerScaling.SHRINK_TO_FIT),
    )


def stamp_box(spot: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The stamp's rectangle in a signature spot: at most 80 x 20 mm, centred, just below the signer's title."""
    x1, y1, x2, y2 = spot
    width = min(x2 - x1, 80 * MM)
    height = min(y2 - y1 - 3 * MM, 20 * MM) if y2 - y1 > 12 * MM else y2 - y1
    centre = (x1 + x2) / 2
    top = y2 - min(2 * MM, (y2 - y1 - height) / 2)
    return (int(round(centre - width / 2)), int(round(top - height)), int(round(centre + width / 2)), int(round(top)))


def _timed_signer_class() -> Any:
    from pyhanko.sign.signers import PdfSigner

    class TimedPdfSigner(PdfSigner):
        """A PdfSigner whose signing time (``/M`` and the stamp) is the one we chose."""

        signing_time: dt.datetime

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = self.signing_time
            return session

    return TimedPdfSigner


def signed_fields(reader: Any) -> list[str]:
    from pyhanko.sign.fields import enumerate_sig_fields

    return [name for name, value, _ref in enumerate_sig_fields(reader, filled_status=True) if value is not None]


def sign_pdf_bytes(data: bytes, opened: OpenedSigner, *, signing_time: dt.datetime, data_sha256: str | None,
                   location: str | None = None, file: Any = None, field_name: str = FIELD_NAME,
                   reason: str | None = None) -> bytes:
    """The PDF ``data`` with a PAdES signature and a visible stamp appended (incremental update).

    ``field_name`` and ``reason``: the commune's report by default (the reason names the workbook data
    ``data_sha256``); the department's receipt passes its own (:data:`DEPARTMENT_FIELD`)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError) as error:
        raise SigningError("E-SIGN-PDF", f"Không đọc được tệp PDF: {error}.", file=file) from None
    if writer.prev.encrypted:
        raise SigningError("E-SIGN-PDF", "Tệp PDF có mật khẩu; hãy xuất lại báo cáo.", file=file)
    if signed_fields(writer.prev):
        raise SigningError("E-SIGN-PDF-SIGNED", "Báo cáo PDF đã được ký. Muốn ký lại, hãy xuất lại báo cáo từ phần mềm "
                           "rồi ký tệp mới.", file=file)
    page, box = find_spot(writer.prev) or fallback_spot(writer.prev)
    info = opened.info
    if reason is None:
        reason = REASON_PREFIX + data_sha256 if data_sha256 else "Báo cáo kết quả tự đánh giá"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location, name=info.display_name, embed_validation_info=False,
    )
    signer_class = _timed_signer_class()
    pdf_signer = signer_class(
        meta, signer=opened.signer, stamp_style=stamp_style(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                                           box=stamp_box(box)),
    )
    pdf_signer.signing_time = signing_time
    params = {"signer": info.display_name, "organization": info.display_org, "signed_at": vn_time(signing_time)}
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    except SigningError:
        raise
    except Exception as error:  # noqa: BLE001 - pyHanko / token errors while signing
        raise SigningError("E-SIGN-PDF", f"Không ký được báo cáo PDF: {error}.", file=file) from None
    return out.getvalue()


# -- reading and validating -----------------------------------------------------------------------


@dataclass
class PdfSignatureCheck:
    """What pyHanko found about the commune's signature in a PDF (before the department's policy)."""

    present: bool
    problem: str | None = None  # damaged / unparseable
    signer: Any = None  # cryptography certificate
    signed_at: dt.datetime | None = None
    intact: bool = False
    valid: bool = False  # the signature value verifies
    whole_file: bool = False  # nothing but (optionally) later signatures was added after it
    trusted: bool | None = None
    trust_problem: str | None = None
    data_sha256: str | None = None  # from /Reason
    field: str | None = None
    embedded: Any = None  # pyhanko EmbeddedPdfSignature
    certificates: list = None  # type: ignore[assignment]
    bytes_after: int | None = 0  # bytes after the signed range (the end of the file ignoring trailing white space)
    later_signatures: bool = False  # other signatures were added after the commune's


def inspect_pdf(data: bytes, field: str = FIELD_NAME) -> PdfSignatureCheck:
    """The signature of a PDF in ``field`` (the commune's by default) if present, otherwise the last one."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from .certs import from_asn1

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception as error:  # noqa: BLE001 - damaged PDFs raise anything
        return PdfSignatureCheck(present=False, problem=f"tệp PDF hỏng hoặc không đọc được ({error})")
    if not signatures:
        return PdfSignatureCheck(present=False)
    ours = [s for s in signatures if s.field_name == field]
    embedded = ours[-1] if ours else signatures[-1]
    check = PdfSignatureCheck(present=True, embedded=embedded, field=embedded.field_name,
                              later_signatures=embedded is not signatures[-1])
    try:
        check.signer = from_asn1(embedded.signer_cert)
        check.certificates = [from_asn1(c) for c in embedded.signed_data["certificates"]
                              if c.name == "certificate"]
    except Exception as error:  # noqa: BLE001
        check.problem = f"chữ ký trong PDF không đọc được ({error})"
        return check
    check.signed_at = embedded.self_reported_timestamp
    try:
        ranges = [int(v) for v in embedded.sig_object["/ByteRange"]]
        covered_to = ranges[-2] + ranges[-1]
        check.bytes_after = len(data.rstrip(b"\r\n\t \x00")) - covered_to
    except (KeyError, ValueError, TypeError, IndexError):
        check.bytes_after = None
    reason = embedded.sig_object.get("/Reason")
    if reason is not None:
        match = _REASON_HASH.search(str(reason))
        check.data_sha256 = match.group(1) if match else None
    return check


def validate_pdf_check(check: PdfSignatureCheck, validation_context: Any, key_usage: Any) -> None:
    """Fill in integrity and trust of ``check`` (pyHanko's validator)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status = validate_pdf_signature(check.embedded, signer_validation_context=validation_context,
                                        key_usage_settings=key_usage)
    except SignatureValidationError as error:
        check.problem = f"chữ ký trong PDF không kiểm tra được ({error.failure_message})"
        return
    except Exception as error:  # noqa: BLE001
        check.problem = f"chữ ký trong PDF không kiểm tra được ({error})"
        return
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    if check.later_signatures:
        # Later signatures (a second signer) are fine; anything else added after ours is not.
        check.whole_file = (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                            and status.modification_level is not None
                            and status.modification_level <= ModificationLevel.FORM_FILLING)
    else:
        # The last signature must end where the file ends (pyHanko tolerates bytes appended after %%EOF).
        check.whole_file = (status.coverage in (SignatureCoverageLevel.ENTIRE_FILE,
                                                SignatureCoverageLevel.ENTIRE_REVISION)
                            and check.bytes_after is not None and check.bytes_after <= 0)
    check.trusted = bool(status.trusted)
    if not status.trusted:
        check.trust_problem = _indication(status)


def _indication(status: Any) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    return getattr(indic, "name", str(indic)) if indic is not None else ""


def signer_info(check: PdfSignatureCheck) -> CertInfo | None:
    return CertInfo.of(check.signer) if check.signer is not None else None
