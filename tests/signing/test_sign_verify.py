"""Signing a submission and the department's verification: every outcome the issue names."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest

from signing_data import COMMUNE, OTHER_COMMUNE, PERIOD, export
from helpers import data_value, edit_data_cell, forge, read, verify
from pki import PASSWORD


def _roots(pki):
    return [pki.root.cert]


# -- signed and valid ---------------------------------------------------------------------------------------


def test_sign__valid_signature__accepted_for_workbook_and_pdf(signed, pki, small_library):
    xlsx, pdf = signed
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert result.status == "valid", result
    assert result.code is None
    assert result.signer.organization == "UBND xã Đăk Hà"
    assert result.pdf is not None and result.pdf.status == "valid"
    assert result.pdf.signer.sha256 == result.signer.sha256
    assert "Root CA Ban Cơ yếu" in (result.root or "")
    assert dt.datetime.now(dt.UTC) - result.signed_at < dt.timedelta(minutes=5)


def test_sign__workbook_still_reads_the_same__signature_sheet_very_hidden(exported, key_dak_ha, small_library):
    from openpyxl import load_workbook

    from readiness.signing import sign_submission
    from readiness.signing.workbook import SIGNATURE_SHEET, read_signature_part

    xlsx, pdf = exported
    before = read(xlsx, small_library)
    result = sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD,
                             library=small_library)
    after = read(xlsx, small_library)
    assert after.hash_ok is True and not after.differences and not after.problems
    assert after.data_sha256 == before.data_sha256 == result.data_sha256
    assert after.answers.values == before.answers.values
    part = read_signature_part(xlsx)
    assert part is not None and part.cms and part.data_sha256 == before.data_sha256
    wb = load_workbook(xlsx)
    assert wb[SIGNATURE_SHEET].sheet_state == "veryHidden"
    assert wb["_data"].sheet_state == "veryHidden"
    assert not list(xlsx.parent.glob(".~*")), "temporary files left behind"


def test_sign__signed_content_is_exactly_what_data_sha256_covers(signed, small_library):
    from readiness.signing.workbook import signed_content

    submission = read(signed[0], small_library)
    assert hashlib.sha256(signed_content(submission)).hexdigest() == submission.recorded_data_sha256


def test_sign__commune_may_resign_workbook__pdf_already_signed_is_refused_untouched(signed, key_dak_ha, small_library):
    from readiness.signing import SigningError, sign_submission

    xlsx, pdf = signed
    before = (xlsx.read_bytes(), pdf.read_bytes())
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-PDF-SIGNED"
    assert (xlsx.read_bytes(), pdf.read_bytes()) == before
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    sign_submission(xlsx=xlsx, pdf=None, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library,
                    now=later)
    from readiness.signing.workbook import read_signature_part

    assert read_signature_part(xlsx).meta["signed_at"].startswith(
        later.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S"))


# -- data changed after signing ---------------------------------------------------------------------------------


def test_verify__data_cell_edited_after_signing__rejected(signed, pki, small_library):
    xlsx, pdf = signed
    assert data_value(xlsx, "officers") == "25"
    edit_data_cell(xlsx, "officers", "26")
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert result.status == "invalid"
    assert result.code == "E-SIG-DATA-CHANGED"
    assert "sửa sau khi ký" in result.message


def test_verify__data_edited_and_seal_recomputed__still_rejected(signed, pki, small_library):
    """Someone who also fixes the SHA-256 rows in _data cannot forge the signature."""
    xlsx, _pdf = signed
    edit_data_cell(xlsx, "officers", "26")
    forged = read(xlsx, small_library)
    edit_data_cell(xlsx, "data_sha256", forged.data_sha256, column="B")
    edit_data_cell(xlsx, "answers_sha256", forged.answers_sha256, column="B")
    reread = read(xlsx, small_library)
    assert reread.hash_ok is True  # the seal alone no longer shows the edit ...
    result = verify(xlsx, small_library, _roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-DATA-CHANGED")  # ... the signature does


def test_verify__identity_changed_in_data__rejected(signed, pki, small_library):
    xlsx, _pdf = signed
    edit_data_cell(xlsx, "revision", "7", column="B")
    result = verify(xlsx, small_library, _roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-DATA-CHANGED")


def test_verify__visible_sheet_edited_after_signing__rejected(signed, pki, small_library):
    from openpyxl import load_workbook

    xlsx, _pdf = signed
    submission = read(xlsx, small_library)
    wb = load_workbook(xlsx)
    ws = wb["_data"]
    sheet = cell = None
    for row in ws.iter_rows():
        if row[0].value == "officers":
            sheet, cell = row[5].value, row[6].value
    wb[sheet][cell].value = 99
    wb.save(xlsx)
    assert read(xlsx, small_library).differences and submission.hash_ok
    result = verify(xlsx, small_library, _roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-SHEETS-EDITED")


def test_verify__pdf_bytes_edited_after_signing__rejected(signed, pki, small_library):
    xlsx, pdf = signed
    data = bytearray(pdf.read_bytes())
    at = data.index(b"ReportLab")
    data[at] = ord("X")  # one byte inside the signed range
    pdf.write_bytes(bytes(data))
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert result.status == "invalid"
    assert result.code == "E-SIG-PDF-CHANGED"
    assert result.pdf.code == "E-SIG-PDF-CHANGED"


def test_verify__pdf_appended_to_after_signing__rejected(signed, pki, small_library):
    from readiness.signing.verify import verify_pdf

    xlsx, pdf = signed
    pdf.write_bytes(pdf.read_bytes() + b"\n% added after signing\n")
    result = verify_pdf(pdf, roots=_roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-PDF-CHANGED")


def test_verify__pdf_incremental_update_after_signing__rejected(signed, pki):
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from readiness.signing.verify import verify_pdf

    _xlsx, pdf = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    writer.set_info(generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("Đã sửa")}))
    out = io.BytesIO()
    writer.write(out)
    pdf.write_bytes(out.getvalue())
    result = verify_pdf(pdf, roots=_roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-PDF-CHANGED")


def test_verify__pdf_from_another_submission__rejected(small_ws, tmp_path, signed, pki, small_library, key_dak_ha):
    """A signed PDF of one export next to the signed workbook of another export of the same commune."""
    from readiness.signing import sign_submission

    xlsx, _pdf = signed
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_xlsx, other_pdf = export(small_ws, other_dir, changes={"officers": 30})
    sign_submission(xlsx=other_xlsx, pdf=other_pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD,
                    library=small_library)
    result = verify(xlsx, small_library, _roots(pki), pdf=other_pdf)
    assert (result.status, result.code) == ("invalid", "E-SIG-PDF-MISMATCH")


# -- who signed ----------------------------------------------------------------------------------------------------


def test_sign__certificate_of_another_commune__refused_by_the_signer(exported, p12_dir, small_library):
    from readiness.signing import Pkcs12Key, SigningError, sign_submission

    xlsx, pdf = exported
    before = (xlsx.read_bytes(), pdf.read_bytes())
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "cam_thanh.p12", PASSWORD), commune_code=COMMUNE,
                        period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-COMMUNE"
    assert "Cẩm Thành" in caught.value.message
    assert (xlsx.read_bytes(), pdf.read_bytes()) == before


def test_verify__commune_mismatch__rejected(exported, pki, small_library):
    xlsx, pdf = exported
    forge(xlsx, pdf, small_library, pki.cam_thanh, [pki.intermediate, pki.root])
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert (result.status, result.code) == ("invalid", "E-SIG-COMMUNE")
    assert "UBND phường Cẩm Thành" in result.message and "Xã Đăk Hà" in result.message


def test_verify__other_commune_file_signed_by_its_own_certificate__valid(small_ws, tmp_path, pki, small_library,
                                                                           p12_dir):
    from readiness.signing import Pkcs12Key, sign_submission

    xlsx, pdf = export(small_ws, tmp_path, commune=OTHER_COMMUNE)
    sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "cam_thanh.p12", PASSWORD),
                    commune_code=OTHER_COMMUNE, period=PERIOD, library=small_library)
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf, commune=OTHER_COMMUNE)
    assert result.status == "valid", result


def test_sign__expired_certificate__refused_by_the_signer(exported, p12_dir, small_library):
    from readiness.signing import Pkcs12Key, SigningError, sign_submission

    xlsx, pdf = exported
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "expired.p12", PASSWORD), commune_code=COMMUNE,
                        period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-CERT-EXPIRED"


def test_verify__expired_certificate__rejected(exported, pki, small_library):
    xlsx, pdf = exported
    forge(xlsx, pdf, small_library, pki.expired, [pki.intermediate, pki.root])
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert (result.status, result.code) == ("invalid", "E-SIG-EXPIRED")
    assert result.pdf.code == "E-SIG-EXPIRED"


def test_verify__signed_while_valid_then_expired__valid_with_a_note(exported, pki, small_library):
    xlsx, _pdf = exported
    signed_at = pki.expired.cert.not_valid_after_utc - dt.timedelta(days=2)
    forge(xlsx, None, small_library, pki.expired, [pki.intermediate, pki.root], signing_time=signed_at)
    result = verify(xlsx, small_library, _roots(pki))
    assert result.status == "valid", result
    assert any("hết hạn" in note for note in result.notes)


def test_verify__backdated_long_before_the_period__rejected(exported, pki, small_library):
    """An old (now expired) key, and a clock set back to when it was valid: months before the report's period."""
    xlsx, _pdf = exported
    backdated = dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)  # the period is 2025-11
    assert pki.expired.cert.not_valid_before_utc < backdated < pki.expired.cert.not_valid_after_utc
    forge(xlsx, None, small_library, pki.expired, [pki.intermediate, pki.root], signing_time=backdated)
    result = verify(xlsx, small_library, _roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-TIME"), result


def test_verify__signing_time_in_the_future__rejected(exported, pki, small_library):
    xlsx, _pdf = exported
    forge(xlsx, None, small_library, pki.dak_ha, [pki.intermediate, pki.root],
          signing_time=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    result = verify(xlsx, small_library, _roots(pki))
    assert (result.status, result.code) == ("invalid", "E-SIG-TIME"), result


def test_verify__untrusted_root__rejected(exported, pki, small_library, p12_dir):
    from readiness.signing import Pkcs12Key, sign_submission

    xlsx, pdf = exported
    # The commune can sign (its own check cannot know which roots Sở trusts) ...
    sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "foreign.p12", PASSWORD), commune_code=COMMUNE,
                    period=PERIOD, library=small_library)
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert (result.status, result.code) == ("invalid", "E-SIG-UNTRUSTED")  # ... Sở does not trust that CA
    assert "Foreign Test Root" in result.message
    trusting_both = verify(xlsx, small_library, [pki.root.cert, pki.foreign_root.cert], pdf=pdf)
    assert trusting_both.status == "valid"


def test_verify__no_root_installed__rejected_with_advice(signed, small_library):
    result = verify(signed[0], small_library, [])
    assert (result.status, result.code) == ("invalid", "E-SIG-NO-ROOTS")
    assert "trust add" in result.message


def test_verify__intermediate_installed_as_anchor__valid(signed, pki, small_library):
    assert verify(signed[0], small_library, [pki.intermediate.cert]).status == "valid"


def test_verify__damaged_signature_part__invalid_format(signed, pki, small_library):
    from openpyxl import load_workbook

    xlsx, _pdf = signed
    wb = load_workbook(xlsx)
    ws = wb["_signature"]
    for row in ws.iter_rows():
        if row[0].value == "cms":
            row[1].value = row[1].value[:40] + "AAAA" + row[1].value[44:]
    wb.save(xlsx)
    result = verify(xlsx, small_library, _roots(pki))
    assert result.status == "invalid" and result.code in ("E-SIG-FORMAT", "E-SIG-BAD")


# -- unsigned -----------------------------------------------------------------------------------------------------


def test_verify__unsigned__accepted_only_when_signatures_not_required(exported, pki, small_library):
    from readiness.signing import accept

    xlsx, pdf = exported
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert (result.status, result.code) == ("unsigned", "W-SIG-UNSIGNED")
    relaxed = accept(result, require_signature=False)
    assert relaxed.error is None and relaxed.warning[0] == "W-SIG-UNSIGNED"
    strict = accept(result, require_signature=True)
    assert strict.error[0] == "E-SIG-REQUIRED"


def test_accept__invalid__refused_whatever_the_setting(exported, pki, small_library):
    from readiness.signing import accept

    xlsx, pdf = exported
    forge(xlsx, pdf, small_library, pki.cam_thanh, [pki.intermediate, pki.root])
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    for required in (False, True):
        assert accept(result, required).error[0] == "E-SIG-COMMUNE"


def test_verify__signed_workbook_with_unsigned_pdf__valid_with_a_note(exported, key_dak_ha, pki, small_library):
    from readiness.signing import sign_submission

    xlsx, pdf = exported
    sign_submission(xlsx=xlsx, pdf=None, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    result = verify(xlsx, small_library, _roots(pki), pdf=pdf)
    assert result.status == "valid" and result.pdf.status == "unsigned"
    assert any("PDF" in note for note in result.notes)


# -- the signer's safety ------------------------------------------------------------------------------------------


def test_sign__wrong_password__refused_files_untouched(exported, p12_dir, small_library):
    from readiness.signing import Pkcs12Key, SigningError, sign_submission

    xlsx, pdf = exported
    before = (xlsx.read_bytes(), pdf.read_bytes())
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "dak_ha.p12", "sai"), commune_code=COMMUNE,
                        period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-PASSWORD"
    assert (xlsx.read_bytes(), pdf.read_bytes()) == before


def test_sign__wrong_commune_or_period__refused(exported, key_dak_ha, small_library):
    from readiness.signing import SigningError, sign_submission

    xlsx, pdf = exported
    for commune, period in ((OTHER_COMMUNE, PERIOD), (COMMUNE, "2025-12")):
        with pytest.raises(SigningError) as caught:
            sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=commune, period=period,
                            library=small_library)
        assert caught.value.code == "E-SIGN-WRONG-FILE"


def test_sign__hand_edited_workbook__refused(exported, key_dak_ha, small_library):
    from readiness.signing import SigningError, sign_submission

    xlsx, pdf = exported
    edit_data_cell(xlsx, "officers", "26")
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-DAMAGED"


def test_sign__verification_after_writing_fails__originals_kept(exported, key_dak_ha, small_library, monkeypatch):
    import readiness.signing.sign as sign_module
    from readiness.signing import SigningError, Verification, sign_submission

    xlsx, pdf = exported
    before = (xlsx.read_bytes(), pdf.read_bytes())
    monkeypatch.setattr(sign_module, "verify_pdf", lambda *a, **k: Verification("invalid", "E-SIG-PDF-CHANGED", "x",
                                                                                  part="pdf"))
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-VERIFY"
    assert (xlsx.read_bytes(), pdf.read_bytes()) == before
    assert sorted(p.name for p in xlsx.parent.iterdir()) == sorted([xlsx.name, pdf.name])


def test_sign__template__refused(small_library, tmp_path, key_dak_ha):
    from readiness.exchange import write_template
    from readiness.signing import SigningError, sign_submission

    template = write_template(small_library.get("small-test"), tmp_path / "mau.xlsx").path
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=template, pdf=None, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD,
                        library=small_library)
    assert caught.value.code in ("E-SIGN-NOT-SUBMISSION", "E-SIGN-WRONG-FILE")


# -- independent tools -------------------------------------------------------------------------------------------------


def test_pdf__pyhanko_validator_on_its_own__intact_valid_trusted(signed, pki):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from readiness.signing.certs import to_asn1

    _xlsx, pdf = signed
    with open(pdf, "rb") as handle:
        reader = PdfFileReader(handle)
        (signature,) = reader.embedded_signatures
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[to_asn1(pki.root.cert)]))
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
        assert status.signing_cert.subject.native["organization_name"] == "UBND xã Đăk Hà"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_pdf__pdfsig_from_poppler__signature_valid(signed):
    _xlsx, pdf = signed
    run = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60)
    print(run.stdout)
    assert "Signature Field Name: ChuKySo_DonVi" in run.stdout
    assert "Signature Validation: Signature is Valid." in run.stdout
    assert "Total document signed" in run.stdout
    assert "ETSI.CAdES.detached" in run.stdout
    assert "UBND xã Đăk Hà" in run.stdout


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_pdf__pdfsig_sees_the_edit(signed):
    _xlsx, pdf = signed
    data = bytearray(pdf.read_bytes())
    data[data.index(b"ReportLab")] = ord("X")
    pdf.write_bytes(bytes(data))
    run = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60)
    assert "Signature is Valid" not in run.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                    reason="poppler-utils is not installed")
def test_pdf__stamp_text_in_vietnamese_and_rendered(signed, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from readiness.signing.spot import pages

    _xlsx, pdf = signed
    with open(pdf, "rb") as handle:
        reader = PdfFileReader(handle)
        page_count = len(pages(reader))
        (signature,) = reader.embedded_signatures
        field = signature.sig_field
        page_ref = field["/P"] if "/P" in field else None
        index = next(i for i, p in enumerate(pages(reader)) if page_ref is not None and p == page_ref.get_object())
        rect = [float(v) for v in field["/Rect"]]
    assert rect[2] - rect[0] > 150 and rect[3] - rect[1] > 40
    page = index + 1
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=60).stdout
    assert "Ký bởi: Ủy ban nhân dân xã Đăk Hà" in text
    assert "Cơ quan: UBND xã Đăk Hà" in text
    assert "Thời gian ký:" in text and "+07:00" in text
    out = tmp_path / "stamp"
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), str(pdf), str(out)], check=True,
                   timeout=60)
    assert list(tmp_path.glob("stamp*.png"))
    assert 1 <= page <= page_count


def test_sign__signed_in_place__files_keep_their_modes(exported, key_dak_ha, small_library):
    """Signing replaces the workbook and the PDF by signed copies: each keeps the mode it had."""
    import os
    import stat

    from readiness.signing import sign_submission

    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    xlsx, pdf = exported
    os.chmod(xlsx, 0o644)
    os.chmod(pdf, 0o640)
    sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    assert stat.S_IMODE(os.stat(xlsx).st_mode) == 0o644 and stat.S_IMODE(os.stat(pdf).st_mode) == 0o640
