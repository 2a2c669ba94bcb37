"""The reminder letter (issue 14 §3) and the receipt (§4), read back from the files written: Word, PDF and
Excel text with Vietnamese intact, the right communes in the right group, the receipt's attached facts, its
signature, and the commune's check of it (match, same data, mismatch, no record, tampered, not a receipt)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import unicodedata
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "signing"))
from pki import PASSWORD, build_pki, make_leaf, write_p12  # noqa: E402

UTC = dt.UTC
PERIOD = "2025-12"
DEADLINE = dt.date(2026, 1, 5)
LETTER_DATE = dt.date(2026, 1, 8)  # a Thursday


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


class Clock:
    def __init__(self, monkeypatch):
        import readiness.store.imports as imports

        self.now = dt.datetime(2026, 1, 3, 2, 0, tzinfo=UTC)
        monkeypatch.setattr(imports, "utcnow", lambda: self.now)


@pytest.fixture(scope="module")
def docs_ws(tmp_path_factory, submission_factory, wb_tools):
    """2025-11: Phường Đăk Bla (23302) sent (so its contact is known); 2025-12, deadline 05/01/2026: Xã Đăk Hà
    (23500) on time, Xã An Phú (21034) late, Xã Bờ Y (23377) on time then corrected late, Phường Cẩm Thành
    (21025) refused, Xã Ba Dinh (21499) with a revision held; Phường Đăk Bla and the rest missing."""
    from readiness.department.cycle import set_deadline
    from readiness.department.importer import import_paths
    from readiness.service import Workspace
    from readiness.store.imports import HoldReason, IncomingAssessment, LogEntry, store_assessment

    folder = tmp_path_factory.mktemp("cycle-docs")
    submissions = submission_factory(folder / "inbox")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("READINESS_HOME", str(folder / "home"))
        dept = Workspace.open(f"sqlite:///{folder / 'dept.sqlite3'}")
        clock = Clock(monkeypatch)

        def load(path: Path, when: dt.datetime) -> str:
            clock.now = when
            return import_paths(dept, [str(path)], jobs=0).results[0].status

        assert load(submissions.write("23302", period="2025-11"), dt.datetime(2025, 12, 3, tzinfo=UTC)) == "imported"
        set_deadline(dept, PERIOD, DEADLINE)
        files = {"23500": submissions.write("23500", period=PERIOD), "21034": submissions.write("21034", period=PERIOD),
                 "23377": submissions.write("23377", period=PERIOD),
                 "23377r2": submissions.write("23377", period=PERIOD, revision=2, seed=5)}
        assert load(files["23500"], dt.datetime(2026, 1, 5, 9, tzinfo=UTC)) == "imported"
        assert load(files["21034"], dt.datetime(2026, 1, 7, 9, tzinfo=UTC)) == "imported"
        assert load(files["23377"], dt.datetime(2026, 1, 2, 9, tzinfo=UTC)) == "imported"
        assert load(files["23377r2"], dt.datetime(2026, 1, 9, 9, tzinfo=UTC)) == "updated"
        from openpyxl import load_workbook

        source = submissions.write("21025", period=PERIOD)
        book = load_workbook(source)
        sheet, cell = wb_tools.item_cell(book, "officers")
        book[sheet][cell] = 999
        edited = folder / "21025_sua-tay.xlsx"
        book.save(edited)
        assert load(edited, dt.datetime(2026, 1, 4, 9, tzinfo=UTC)) == "rejected"
        assert load(submissions.write("21499", period=PERIOD), dt.datetime(2026, 1, 4, 9, tzinfo=UTC)) == "imported"
        clock.now = dt.datetime(2026, 1, 6, 9, tzinfo=UTC)
        current = dept.store.current_assessment("21499", PERIOD)
        held = IncomingAssessment(
            id=str(uuid.uuid4()), commune_code="21499", period=PERIOD, revision=2, status="finalized",
            checklist_id=current.checklist_id, checklist_version=current.checklist_version,
            checklist_hash=current.checklist_hash, answers_sha256="9" * 64, finalized_at=clock.now, score=50.0,
            level="not_ready")
        assert store_assessment(dept.store, held, LogEntry("21499_lan-2.xlsx", "/x/21499_lan-2.xlsx", "c" * 64, 9),
                                guard=lambda _s, _i: HoldReason("W-HELD-UNSIGNED", "Bản mới không ký số.", 1)
                                ).status == "held"
    dept.files = files
    dept.folder = folder
    yield dept
    dept.close()


# -- the reminder ---------------------------------------------------------------------------------------


def test_working_days_after__skips_the_weekend():
    from readiness.department.reminder import working_days_after

    assert working_days_after(dt.date(2026, 1, 8), 5) == dt.date(2026, 1, 15)  # Thu -> next Thu
    assert working_days_after(dt.date(2026, 1, 9), 1) == dt.date(2026, 1, 12)  # Fri -> Mon


def test_reminder__groups_contacts_and_deadline(docs_ws):
    from readiness.department.reminder import ReminderOptions, reminder

    found = reminder(docs_ws, PERIOD, ReminderOptions(date=LETTER_DATE))
    groups = {t.commune.code: t.group for t in found.targets}
    assert groups["23302"] == "missing" and groups["21025"] == "refused" and groups["21499"] == "held"
    assert not {"23500", "21034", "23377"} & set(groups)  # received (on time or late): not reminded
    assert len(found.group("missing")) == 91
    dak_bla = next(t for t in found.targets if t.commune.code == "23302")
    assert dak_bla.contact.period == "2025-11" and dak_bla.contact.name and "@" in dak_bla.contact.email
    refused = next(t for t in found.targets if t.commune.code == "21025")
    assert "21025_sua-tay.xlsx" in refused.detail
    assert found.new_deadline == dt.date(2026, 1, 15)  # the period's deadline is past: 5 working days on
    ahead = reminder(docs_ws, PERIOD, ReminderOptions(date=dt.date(2026, 1, 2)))
    assert ahead.new_deadline == DEADLINE  # still ahead: the period's own
    data = found.to_dict()
    assert data["counts"] == {"missing": 91, "refused": 1, "held": 1}
    assert json.dumps(data, ensure_ascii=False)


def test_reminder__nothing_to_chase__refused_with_code(docs_ws):
    from readiness.department.reminder import ReminderOptions, reminder
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as none:
        reminder(docs_ws, PERIOD, ReminderOptions(codes=("23500",)))
    assert none.value.code == "E-REMIND-NONE"
    with pytest.raises(StoreError) as past:
        reminder(docs_ws, PERIOD, ReminderOptions(date=LETTER_DATE, new_deadline=dt.date(2026, 1, 7)))
    assert past.value.code == "E-REMIND-DEADLINE"


def test_reminder_files__read_back(docs_ws, tmp_path):
    from readiness.department.reminder import ReminderOptions, reminder, write_reminder

    found = reminder(docs_ws, PERIOD, ReminderOptions(date=LETTER_DATE, number="12", codes=("23302", "21025", "21499")))
    docx, pdf, xlsx = write_reminder(found, docx=tmp_path / "r.docx", pdf=tmp_path / "r.pdf", xlsx=tmp_path / "r.xlsx")
    dak_bla = next(t for t in found.targets if t.commune.code == "23302").contact
    for text in (_docx_text(docx), _pdf_text(pdf)):
        flat = " ".join(text.split())
        assert unicodedata.is_normalized("NFC", flat)
        assert "V/v đôn đốc gửi kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ 12/2025" in flat
        assert "Số: 12/SKHCN-BCVT&CĐS" in flat
        assert "Kính gửi:" in flat and "UBND phường Đăk Bla" in flat and "UBND phường Cẩm Thành" in flat
        assert "1. Các đơn vị chưa gửi kết quả tự đánh giá (1 đơn vị)" in flat
        assert "2. Các đơn vị đã gửi tệp kết quả nhưng chưa được tiếp nhận (1 đơn vị)" in flat
        assert "3. Các đơn vị có bản sửa chưa được tiếp nhận (1 đơn vị)" in flat
        assert "21025_sua-tay.xlsx" in flat and dak_bla.name in flat and dak_bla.email in flat
        assert "chậm nhất ngày 15/01/2026" in flat
        assert "Nơi nhận:" in flat and "KT. GIÁM ĐỐC" in flat and "PHÓ GIÁM ĐỐC" in flat
        assert "Xã Đăk Hà" not in flat and "Xã An Phú" not in flat  # they sent theirs
        assert "đã nhận kết quả của 4/96 đơn vị (4,2%), trong đó 3 đơn vị gửi đúng hạn, 1 đơn vị gửi sau hạn" in flat
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Đôn đốc"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["21499", "21025", "23302"]  # the register's Vietnamese order
    by_code = {r[1]: r for r in rows}
    assert by_code["23302"][5:9] == (dak_bla.name, dak_bla.position, dak_bla.phone, dak_bla.email)
    assert by_code["23302"][9] == "11/2025, lần 1" and by_code["21025"][3] == "Tệp bị từ chối"


def test_remind_cli__files_and_json(docs_ws, tmp_path, capsys):
    from readiness.cli import main

    url = docs_ws.store.url
    code = main(["--db", url, "remind", "--period", PERIOD, "--docx", str(tmp_path / "d.docx"), "--xlsx",
                 str(tmp_path / "d.xlsx"), "--date", "08/01/2026", "--deadline", "20/01/2026", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["new_deadline"] == "2026-01-20" and len(data["files"]) == 2
    assert main(["--db", url, "remind", "--period", PERIOD]) == 1
    assert "E-REPORT-OUTPUT" in capsys.readouterr().err


# -- the receipt ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def department_key(tmp_path_factory):
    """The department's organisation certificate (test PKI) as a PKCS#12 file, and the root."""
    pki = build_pki()
    leaf = make_leaf(pki.intermediate, "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
                     st="Quảng Ngãi")
    folder = tmp_path_factory.mktemp("dept-key")
    path = write_p12(folder / "so-khcn.p12", leaf, [pki.intermediate, pki.root])
    (folder / "root.cer").write_bytes(pki.root.der())
    return path, folder / "root.cer", pki


def test_receipt_facts__later_revision_after_deadline(docs_ws):
    from readiness.department.receipt import ReceiptOptions, receipt_facts

    (facts,) = receipt_facts(docs_ws, PERIOD, ReceiptOptions(codes=("23377",)))
    assert (facts.revision, facts.on_time, facts.days_late) == (2, False, 4)
    assert (facts.first_revision, facts.first_on_time) == (1, True)
    assert facts.file_sha256 == hashlib.sha256(docs_ws.files["23377r2"].read_bytes()).hexdigest()
    assert facts.file_name == docs_ws.files["23377r2"].name and facts.signature == "unsigned"
    (first,) = receipt_facts(docs_ws, PERIOD, ReceiptOptions(codes=("23377",), revision=1))
    assert first.revision == 1 and first.on_time is True and first.first_revision is None
    everyone = receipt_facts(docs_ws, PERIOD)
    assert {f.commune_code for f in everyone} == {"23500", "21034", "23377", "21499"}  # the accepted ones
    from readiness.store.db import StoreError

    with pytest.raises(StoreError) as none:
        receipt_facts(docs_ws, PERIOD, ReceiptOptions(codes=("23302",)))
    assert none.value.code == "E-RECEIPT-NONE" and "Phường Đăk Bla" in none.value.message


def test_receipt_pdf__text_and_attached_facts(docs_ws, tmp_path):
    from readiness.department.receipt import ATTACHMENT, ReceiptOptions, attachments, issue_receipts

    (file,) = issue_receipts(docs_ws, PERIOD, tmp_path, ReceiptOptions(codes=("21034",), date=LETTER_DATE))
    assert file.path.name == "giay-xac-nhan_2025-12_21034_xa-an-phu_lan-1.pdf" and not file.signed
    sha = hashlib.sha256(docs_ws.files["21034"].read_bytes()).hexdigest()
    flat = " ".join(_pdf_text(file.path).split())
    assert unicodedata.is_normalized("NFC", flat)
    for expected in ("GIẤY XÁC NHẬN", "Kính gửi: UBND xã An Phú", "Xã An Phú (mã 21034)", "12/2025",
                     "Lần 1 (bản gửi đầu tiên)", docs_ws.files["21034"].name, " ".join(sha[i:i + 8] for i in range(0, 32, 8)),
                     "07/01/2026 16:00 (giờ Việt Nam)", "Chưa ký số", "Sau hạn 2 ngày (hạn nộp 05/01/2026)",
                     "Số: /GXN-SKHCN", "Nơi nhận:", "KT. GIÁM ĐỐC"):
        assert expected in flat.replace("Số: /", "Số: /") or expected in flat, expected
    document = json.loads(attachments(file.path.read_bytes())[ATTACHMENT])
    assert document["format"] == "readiness-receipt" and document["version"] == 1
    (facts,) = document["receipts"]
    assert facts["file"]["sha256"] == sha and facts["on_time"] is False and facts["days_late"] == 2
    assert facts["commune"] == {"code": "21034", "name": "Xã An Phú"}
    assert facts["received_at"] == "2026-01-07T16:00:00+07:00"


def test_receipts__one_file__every_accepted_submission(docs_ws, tmp_path):
    from readiness.department.receipt import ATTACHMENT, ReceiptOptions, attachments, issue_receipts

    (file,) = issue_receipts(docs_ws, PERIOD, tmp_path, ReceiptOptions(date=LETTER_DATE), one_file=True)
    document = json.loads(attachments(file.path.read_bytes())[ATTACHMENT])
    # Vietnamese order: Xã An Phú, Xã Ba Dinh, Xã Bờ Y, Xã Đăk Hà
    assert [r["commune"]["code"] for r in document["receipts"]] == ["21034", "21499", "23377", "23500"]
    from pypdf import PdfReader

    assert len(PdfReader(str(file.path)).pages) == 4  # a page each
    text = _pdf_text(file.path)
    assert text.count("GIẤY XÁC NHẬN") == 4


def test_receipt__signed_by_the_department__verifies_and_detects_tampering(docs_ws, department_key, tmp_path):
    from readiness.department.receipt import ReceiptOptions, embed_facts, facts_of, issue_receipts
    from readiness.department.receipt_check import check_receipt, read_receipt
    from readiness.department.signing_identity import SigningIdentity, load_identity, save_identity
    from readiness.signing.certs import load_certificates

    p12, root_file, _pki = department_key
    save_identity(docs_ws.store, SigningIdentity("pkcs12", str(p12)))
    identity = load_identity(docs_ws.store)
    try:
        (file,) = issue_receipts(docs_ws, PERIOD, tmp_path, ReceiptOptions(codes=("23500",), date=LETTER_DATE),
                                 key=identity.key(PASSWORD))
    finally:
        save_identity(docs_ws.store, None)
    assert file.signed and file.signer == "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
    roots = load_certificates(root_file.read_bytes())
    document = read_receipt(file.path, roots)
    assert document.signature.status == "valid" and document.signature.signer == file.signer
    assert read_receipt(file.path).signature.status == "untrusted"  # intact, but no root installed here
    sent = docs_ws.files["23500"]
    assert check_receipt(file.path, file=sent, roots=roots).ok

    # Someone changes the attached facts after the department signed (a new incremental update).
    facts = facts_of(file.path, file.path.read_bytes())
    from dataclasses import replace

    forged = embed_facts(file.path.read_bytes(), [replace(facts[0], file_sha256="0" * 64)])
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(forged)
    result = check_receipt(tampered, file=sent, roots=roots)
    assert result.code == "E-RECEIPT-TAMPERED" and not result.ok
    assert "đã bị sửa sau khi Sở ký số" in result.message
    # A byte of the signed content changed.
    data = bytearray(file.path.read_bytes())
    index = data.index(b"GXN") if b"GXN" in data else len(data) // 3
    data[index] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    assert check_receipt(flipped, file=sent, roots=roots).code in ("E-RECEIPT-TAMPERED", "E-RECEIPT-FORMAT")


def test_receipt_check__match_mismatch_same_data_against_files(docs_ws, tmp_path, department_key):
    from readiness.department.receipt import ReceiptOptions, issue_receipts
    from readiness.department.receipt_check import check_receipt

    (file,) = issue_receipts(docs_ws, PERIOD, tmp_path, ReceiptOptions(codes=("23500",), date=LETTER_DATE))
    sent = docs_ws.files["23500"]
    matched = check_receipt(file.path, file=sent)
    assert matched.ok and matched.entries[0].outcome == "match"
    assert [code for code, _ in matched.notes] == ["W-RECEIPT-UNSIGNED"]
    other = check_receipt(file.path, file=docs_ws.files["21034"])
    assert other.code == "E-RECEIPT-MISMATCH" and "Liên hệ Sở" in other.message
    # The commune signed its file after sending it unsigned: other bytes, the same data.
    from readiness.signing import sign_submission
    from readiness.signing.keys import Pkcs12Key

    _p12, _root, pki = department_key
    commune_p12 = write_p12(tmp_path / "dak_ha.p12", pki.dak_ha, [pki.intermediate, pki.root])
    resigned = tmp_path / sent.name
    resigned.write_bytes(sent.read_bytes())
    sign_submission(xlsx=resigned, pdf=None, key=Pkcs12Key(commune_p12, PASSWORD), commune_code="23500", period=PERIOD,
                    roots=[pki.root.cert])
    same = check_receipt(file.path, file=resigned)
    assert same.ok and same.entries[0].outcome == "data_match" and "W-RECEIPT-SAME-DATA" in [c for c, _ in same.notes]
    with pytest.raises(Exception) as not_receipt:
        from readiness.department.reminder import ReminderOptions, reminder, write_reminder

        (letter,) = write_reminder(reminder(docs_ws, PERIOD, ReminderOptions(date=LETTER_DATE)), pdf=tmp_path / "r.pdf")
        check_receipt(letter, file=sent)
    assert getattr(not_receipt.value, "code", None) == "E-RECEIPT-FORMAT"


def test_receipt_check__commune_records_of_its_exports(tmp_path, capsys):
    """The commune exports with the program (the files are recorded), the department imports the workbook and
    issues the receipt; the commune's check finds the file among its own records."""
    from readiness.cli import main

    commune_db = f"sqlite:///{tmp_path / 'commune.sqlite3'}"
    dept_db = f"sqlite:///{tmp_path / 'dept.sqlite3'}"
    answers = Path(__file__).resolve().parents[1] / "data" / "ready_commune.json"
    assert main(["--db", commune_db, "fill", "--commune", "23302", "--period", PERIOD, "--answers", str(answers)]) == 0
    assert main(["--db", commune_db, "finalize", "--commune", "23302", "--period", PERIOD]) == 0
    out = tmp_path / "gui-di"
    assert main(["--db", commune_db, "export", "--commune", "23302", "--period", PERIOD, "--out-dir", str(out)]) == 0
    (xlsx,) = out.glob("*.xlsx")

    deadline = dt.date.today() + dt.timedelta(days=30)  # finalized and received today: on time
    assert main(["--db", dept_db, "period", "set", PERIOD, "--deadline", deadline.strftime("%d/%m/%Y")]) == 0
    assert main(["--db", dept_db, "import", str(xlsx)]) == 0
    receipts = tmp_path / "receipts"
    assert main(["--db", dept_db, "receipt", "--period", PERIOD, "--commune", "23302", "--out", str(receipts)]) == 0
    capsys.readouterr()
    (receipt,) = receipts.glob("*.pdf")

    assert main(["--db", commune_db, "receipt", "check", str(receipt)]) == 0
    printed = capsys.readouterr().out
    assert "Khớp: Sở đã nhận đúng tệp máy này đã xuất" in printed and xlsx.name in printed
    assert f"Đúng hạn (hạn nộp {deadline:%d/%m/%Y})" in printed
    assert main(["--db", commune_db, "receipt", "check", str(receipt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["receipts"][0]["outcome"] == "match"
    assert data["receipts"][0]["matched"] == str(xlsx.resolve())
    empty_db = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert main(["--db", empty_db, "receipt", "check", str(receipt)]) == 1
    assert "E-RECEIPT-NO-RECORD" in capsys.readouterr().err
