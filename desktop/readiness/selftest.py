"""``readiness --selftest``: prove an installed (or frozen) build has everything it needs.

Opens a database in a temporary folder, loads the checklist, fills a demo assessment, renders the
PDF report (with the Vietnamese font embedded) and the submission workbook and reads the workbook back,
writes the department's Word report with its charts (python-docx, Pillow and its font renderer) and
reads it back, then signs and verifies with a PKCS#12 key.  A missing data file (a
checklist, the register, a font) or a module the packager left out fails here, not in a commune.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from .numbers import number


def run_selftest(print_line: Callable[[str], None] = print,
                 extra_steps: tuple[tuple[str, Callable[[], str]], ...] = ()) -> int:
    """Run every step, print one line each; ``extra_steps`` lets the launcher add a Qt check."""
    started = time.perf_counter()
    failures = 0

    def step(label: str, action: Callable[[], str]) -> None:
        nonlocal failures
        begin = time.perf_counter()
        try:
            detail = action()
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the exit code says it
            failures += 1
            print_line(f"LỖI  {label}: {error.__class__.__name__}: {error}")
            print_line(traceback.format_exc())
            return
        print_line(f"OK   {label} ({number((time.perf_counter() - begin) * 1000, decimals=0)} ms)"
                   f"{': ' + detail if detail else ''}")

    with tempfile.TemporaryDirectory(prefix="readiness-selftest-") as folder:
        previous_home = os.environ.get("READINESS_HOME")
        os.environ["READINESS_HOME"] = folder
        state: dict = {}
        try:
            from . import __version__
            from .paths import app_root

            print_line(f"Sẵn sàng Một cửa {__version__} — tự kiểm tra (dữ liệu phần mềm: {app_root()})")

            def open_database() -> str:
                from .service import Workspace

                state["workspace"] = Workspace.open(f"sqlite:///{Path(folder) / 'selftest.sqlite3'}")
                counts = state["workspace"].store.counts()
                return f"{counts['communes']} đơn vị hành chính trong danh mục"

            def load_checklist() -> str:
                checklist = state["workspace"].latest_checklist()
                state["checklist"] = checklist
                return f"{checklist.key}, {len(checklist.items())} câu hỏi"

            def fill_demo() -> str:
                from .demo import demo_answers

                workspace = state["workspace"]
                session = workspace.session("23500", dt.date.today().strftime("%Y-%m"))
                demo = demo_answers(state["checklist"], session.commune, seed=1)
                errors = session.set_answers(demo.answers)
                if errors:
                    raise RuntimeError(f"{len(errors)} câu trả lời mẫu không hợp lệ: {errors[0]}")
                session.finalize()
                state["session"] = session
                result = session.result()
                from .numbers import score as score_words

                level = state["checklist"].level(result.level_id).label.vi
                return f"{score_words(result.score)} điểm, mức «{level}»"

            def render_pdf() -> str:
                from .exchange import ExportContext, write_report_pdf

                path = Path(folder) / "bao-cao.pdf"
                write_report_pdf(ExportContext.from_session(state["session"]), path)
                state["pdf"] = path
                data = path.read_bytes()
                if data[:5] != b"%PDF-":
                    raise RuntimeError("tệp PDF không hợp lệ")
                if b"/FontFile2" not in data or b"LiberationSerif" not in data:  # reportlab writes font objects plain
                    raise RuntimeError("phông chữ tiếng Việt (Liberation Serif) không được nhúng vào tệp PDF")
                return f"{path.stat().st_size // 1024} KB, phông chữ nhúng"

            def render_workbook() -> str:
                from .exchange import ExportContext, read_submission, write_submission

                path = Path(folder) / "nop.xlsx"
                write_submission(ExportContext.from_session(state["session"]), path)
                state["xlsx"] = path
                submission = read_submission(path, library=state["workspace"].library)
                if not submission.hash_ok:
                    raise RuntimeError("mã băm dữ liệu không khớp khi đọc lại")
                return f"{path.stat().st_size // 1024} KB, đọc lại khớp"

            def render_word_report() -> str:
                return _word_report(state, Path(folder))

            def report_with_worker() -> str:
                return _report_with_worker(state, Path(folder))

            def sign_and_verify() -> str:
                return _sign_and_verify(state, Path(folder))

            for label, action in (("Mở cơ sở dữ liệu", open_database), ("Nạp bảng kiểm", load_checklist),
                                  ("Điền bản đánh giá mẫu", fill_demo), ("Xuất báo cáo PDF", render_pdf),
                                  ("Xuất và đọc lại tệp Excel", render_workbook),
                                  ("Báo cáo tổng hợp Word có biểu đồ", render_word_report),
                                  ("Báo cáo tổng hợp Excel và PDF, PDF ở tiến trình phụ", report_with_worker),
                                  ("Ký số thử và kiểm tra chữ ký (khoá tạm thời)", sign_and_verify), *extra_steps):
                step(label, action)
                if failures:
                    break
        finally:
            if "workspace" in state:
                state["workspace"].close()
            if previous_home is None:
                os.environ.pop("READINESS_HOME", None)
            else:
                os.environ["READINESS_HOME"] = previous_home
    verdict = "ĐẠT" if not failures else f"KHÔNG ĐẠT ({failures} lỗi)"
    print_line(f"Kết quả tự kiểm tra: {verdict} — {number(time.perf_counter() - started, decimals=1)} giây")
    return 0 if not failures else 1


def _word_report(state: dict, folder: Path) -> str:
    """The department's provincial report as Word (consolidation of the one demo assessment), read back.

    Its two charts are drawn by Pillow in the bundled font: this is the step that needs Pillow's FreeType
    renderer and python-docx's lxml in the build."""
    import docx

    from .department.consolidate import consolidate
    from .department.report_content import build_report
    from .department.report_docx import write_report_docx

    session = state["session"]
    path = write_report_docx(build_report(consolidate(state["workspace"], session.info.period, workers=1), []),
                             folder / "bao-cao-tong-hop.docx")
    document = docx.Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    if "BÁO CÁO" not in text or "Số đơn vị đã gửi kết quả: 1/" not in text:
        raise RuntimeError("báo cáo Word đọc lại không có nội dung tổng hợp")
    if len(document.inline_shapes) < 2:
        raise RuntimeError(f"báo cáo Word có {len(document.inline_shapes)} biểu đồ, cần 2")
    return f"{path.stat().st_size // 1024} KB, {len(document.inline_shapes)} biểu đồ, đọc lại khớp"


def _report_with_worker(state: dict, folder: Path) -> str:
    """``readiness report`` with the workbook and the PDF: the PDF written by a second process
    (:mod:`readiness.department.reports`), as on any machine of two CPUs or more.

    A build whose worker cannot start (multiprocessing's bootstrap in a frozen program, a module left out of
    the build) would still give the user the PDF, written by the main process: here that fails the step."""
    from .department.reports import ReportRequest, write_reports
    from .department.status import StatusFilters

    session = state["session"]
    xlsx, pdf = folder / "tong-hop.xlsx", folder / "bao-cao-tong-hop.pdf"
    request = ReportRequest(period=session.info.period, filters=StatusFilters(province=None), xlsx=xlsx, pdf=pdf)
    outcome = write_reports(state["workspace"], request, processes=2)
    if outcome.aside != ("pdf",):
        raise RuntimeError("tiến trình phụ không ghi được tệp PDF (xem nhật ký); tệp đã được ghi ở tiến trình chính")
    if list(outcome.written) != ["xlsx", "pdf"] or outcome.received != 1:
        raise RuntimeError(f"báo cáo tổng hợp ghi {list(outcome.written)}, nhận {outcome.received} bản")
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-") or b"LiberationSerif" not in data:
        raise RuntimeError("tệp PDF của báo cáo tổng hợp không hợp lệ hoặc thiếu phông chữ nhúng")
    from python_calamine import CalamineWorkbook  # read back only (the import's reader)

    sheets = len(CalamineWorkbook.from_path(str(xlsx)).sheet_names)
    return f"{sheets} sheet, PDF {len(data) // 1024} KB ở tiến trình phụ"


def _sign_and_verify(state: dict, folder: Path) -> str:
    """Sign the exported workbook and PDF with a throwaway key, then verify both against its root.

    The key, its certificate (organisation: the commune's People's Committee) and a root CA are made
    here, in memory, and exist only in the temporary folder: the point is that the signing stack
    (cryptography, pyHanko, asn1crypto and their data files) is complete in this build.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from .exchange import read_submission
    from .signing import Pkcs12Key, sign_submission, verify_submission

    session = state["session"]
    commune = session.commune
    now = dt.datetime.now(dt.UTC)

    def name(common: str, organisation: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                          x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def usage(*, sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=sign, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                             encipher_only=False, decipher_only=False)

    root_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = name("CA tự kiểm tra (tạm thời)", "Sẵn sàng Một cửa")
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage(sign=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(name(f"Ủy ban nhân dân {commune.name}", f"UBND {commune.name}"))
            .issuer_name(root_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    key_file = folder / "selftest.p12"
    key_file.write_bytes(pkcs12.serialize_key_and_certificates(
        name=b"selftest", key=leaf_key, cert=leaf, cas=[root],
        encryption_algorithm=serialization.BestAvailableEncryption(b"selftest")))
    library = state["workspace"].library
    sign_submission(xlsx=state["xlsx"], pdf=state["pdf"], key=Pkcs12Key(key_file, "selftest"),
                    commune_code=commune.code, period=session.info.period, roots=[root], library=library)
    result = verify_submission(read_submission(state["xlsx"], library=library), roots=[root], commune=commune,
                               pdf=state["pdf"])
    if not result.valid or result.pdf is None or not result.pdf.valid:
        raise RuntimeError(f"chữ ký vừa tạo không được công nhận: {result.summary()}"
                           + (f"; PDF: {result.pdf.summary()}" if result.pdf else ""))
    return result.summary()
