"""The department's documents: settings of the issuing body, the one letter, bulk petitions, the
reply letter, the feedback letter, the annex wording.  Every document is read back (python-docx,
pypdf) and checked for the right communes, numbers and Vietnamese."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from demo_db import populate
from report_fixtures import PERIOD, REF, TODAY, flat

LETTER_DATE = dt.date(2025, 12, 15)
REQUEST = ["--request-number", "2956/SNV-XDCQ", "--request-date", "10/12/2025", "--request-about",
           "tiếp tục hỗ trợ các địa phương tháo gỡ khó khăn, vướng mắc khi thực hiện chính quyền địa phương 02 cấp"]
REPORT_CODE = [
    "department/report_content.py", "department/report_pdf.py", "department/report_docx.py",
    "department/report_xlsx.py", "department/petitions.py", "department/reply_letter.py",
    "department/feedback_letter.py", "exchange/context.py", "exchange/pdf_report.py", "exchange/pdf_common.py",
    "exchange/pdf_tables.py", "exchange/docx_common.py", "exchange/letter.py", "exchange/letter_pdf.py",
    "exchange/letter_docx.py", "exchange/nd30.py", "exchange/xlsx.py",
]


# -- helpers ---------------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    # ND30 numbers the pages after the first at their top: a sentence across a page break reads whole.
    pages = [text if number == 1 else re.sub(rf"^\s*{number}\s*\n", "", text, count=1)
             for number, text in enumerate(pages, start=1)]
    return flat(" ".join(pages))


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [flat(page.extract_text()) for page in PdfReader(str(path)).pages]


def docx_paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def docx_text(path: Path) -> str:
    """Paragraphs and every table cell (the letterhead and the signer block are tables)."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return flat("\n".join(parts))


def cli(db: str, *args: str) -> int:
    from readiness.cli import main

    return main(["--db", db, *args])


def url(workspace) -> str:
    return str(workspace.store.engine.url)


def _six_communes(url: str) -> None:
    from readiness.service import Workspace

    workspace = Workspace.open(url)
    try:
        communes = workspace.store.communes()[::11][:6]
        populate(workspace, communes, PERIOD, today=TODAY, seed=31, profiles=["behind", "average", "ready"])
    finally:
        workspace.close()


@pytest.fixture
def ws(prepare_db):
    """Six finalized Quảng Ngãi communes (some behind) and their petitions, all «Mới» (built once per test
    process, a copy for each test)."""
    from readiness.service import Workspace

    workspace = Workspace.open(prepare_db("letters-six-communes", _six_communes))
    yield workspace
    workspace.close()


# == settings ============================================================================================


def test_settings__nothing_saved__quang_ngai_defaults(dept):
    from readiness.document_settings import load_settings

    settings = load_settings(dept.store)
    assert settings.parent_body == "UBND TỈNH QUẢNG NGÃI" and settings.issuer == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert settings.place == "Quảng Ngãi" and settings.home_province == "51"
    assert settings.letter_code == "SKHCN-BCVT&CĐS" and settings.report_code == "BC-SKHCN"
    assert settings.signer_title == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert settings.guidance_letter == "Công văn số 3005/SKHCN-BCVT&CĐS ngày 21/11/2025"
    assert "UBND các xã, phường, đặc khu;" in settings.report_recipients


def test_settings__several_changes__stored_together_or_not_at_all(dept, db_url):
    from readiness.document_settings import SettingsError, load_settings, save_settings
    from readiness.service import Workspace

    saved = save_settings(dept.store, {"signer_name": "  Nguyễn   Quốc Huy Hoàng ", "signer_title": "GIÁM ĐỐC\n\n",
                                       "unit_code": "VP"})
    assert saved.signer_name == "Nguyễn Quốc Huy Hoàng" and saved.signer_title == ("GIÁM ĐỐC",)
    assert saved.letter_code == "SKHCN-VP"
    fresh = Workspace.open(db_url)  # read back by another connection
    try:
        assert load_settings(fresh.store).signer_name == "Nguyễn Quốc Huy Hoàng"
    finally:
        fresh.close()
    with pytest.raises(SettingsError) as error:
        save_settings(dept.store, {"signer_name": "Người khác", "place": "Hà\x07Nội"})
    assert error.value.code == "E-SETTING-VALUE" and "Địa danh" in error.value.message
    with pytest.raises(SettingsError) as error:
        save_settings(dept.store, {"signer_name": "Người khác", "issuer": "   "})
    assert "không được để trống" in error.value.message
    with pytest.raises(SettingsError) as error:
        save_settings(dept.store, {"signer_name": "Người khác", "no_such_key": "x"})
    assert error.value.code == "E-SETTING-KEY"
    with pytest.raises(SettingsError):
        save_settings(dept.store, {"home_province": "99"})
    assert load_settings(dept.store).signer_name == "Nguyễn Quốc Huy Hoàng"  # none of the refused changes stored
    back = save_settings(dept.store, {"signer_name": None, "signer_title": None})
    assert back.signer_name == "" and back.signer_title == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def test_settings__province_derived_from_the_register(dept):
    from readiness.document_settings import SettingsError, settings_for_province

    communes = dept.store.all_communes()
    hanoi = settings_for_province("01", communes)
    assert hanoi.parent_body == "UBND THÀNH PHỐ HÀ NỘI" and hanoi.place == "Hà Nội"
    assert hanoi.department_full_name == "Sở Khoa học và Công nghệ thành phố Hà Nội"
    assert hanoi.parent_short == "UBND thành phố" and hanoi.communes_phrase == "các xã, phường"  # no special zone
    assert hanoi.guidance_letter == "" and hanoi.signer_name == ""
    assert hanoi.report_recipients[0] == "UBND thành phố (b/c);"
    hcm = settings_for_province("79", communes)
    assert hcm.place == "Thành phố Hồ Chí Minh" and hcm.communes_phrase == "các xã, phường, đặc khu"
    gia_lai = settings_for_province("52", communes)
    assert gia_lai.parent_body == "UBND TỈNH GIA LAI" and gia_lai.province_phrase == "tỉnh Gia Lai"
    with pytest.raises(SettingsError):
        settings_for_province("00", communes)


def test_settings_cli__show_set_reset_province(dept, capsys):
    db = url(dept)
    assert cli(db, "settings", "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["place"] == "Quảng Ngãi" and shown["changed"] == []
    assert cli(db, "settings", "set", "signer_title", "GIÁM ĐỐC") == 0
    assert cli(db, "settings", "set", "signer_name", "Phan", "Văn", "Hiếu") == 0
    capsys.readouterr()
    assert cli(db, "settings", "show") == 0
    out = capsys.readouterr().out
    assert "Phan Văn Hiếu" in out and "(mặc định)" in out and "…/SKHCN-BCVT&CĐS" in out
    assert cli(db, "settings", "set", "place", "Hà\x01Nội") == 1
    assert "E-SETTING-VALUE" in capsys.readouterr().err
    assert cli(db, "settings", "province", "01", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["parent_body"] == "UBND THÀNH PHỐ HÀ NỘI" and data["signer_title"] == ["GIÁM ĐỐC"]
    assert cli(db, "settings", "reset", "--all") == 0
    capsys.readouterr()
    assert cli(db, "settings", "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["changed"] == []
    assert cli(db, "settings", "reset") == 2


def test_report_code__names_no_province_outside_the_defaults_module():
    import readiness

    root = Path(readiness.__file__).parent
    for name in REPORT_CODE:
        text = (root / name).read_text(encoding="utf-8")
        for word in ("Quảng Ngãi", "QUẢNG NGÃI", "Quang Ngai"):
            assert word not in text, f"{name} names «{word}»: it belongs in document_defaults.py"
    assert "QUẢNG NGÃI" in (root / "document_defaults.py").read_text(encoding="utf-8")


# == the provincial report follows the settings ==========================================================


def test_report__letterhead_signer_and_annex_follow_the_settings(ws, tmp_path):
    from readiness.department.consolidate import consolidate
    from readiness.department.petitions import list_petitions
    from readiness.department.report_content import ReportOptions, build_report
    from readiness.department.report_docx import write_report_docx
    from readiness.department.report_pdf import write_report_pdf
    from readiness.document_settings import save_settings

    settings = save_settings(ws.store, {"signer_title": "GIÁM ĐỐC", "signer_name": "Lê Văn Bình",
                                        "report_recipients": "Bộ Khoa học và Công nghệ (b/c);\nLưu: VT."})
    data = consolidate(ws, PERIOD, today=TODAY)
    report = build_report(data, list_petitions(ws, period=PERIOD),
                          ReportOptions(date=dt.date(2025, 11, 28), number="15", settings=settings))
    write_report_pdf(report, tmp_path / "r.pdf")
    write_report_docx(report, tmp_path / "r.docx")
    for text in (pdf_text(tmp_path / "r.pdf"), docx_text(tmp_path / "r.docx")):
        assert "Số: 15/BC-SKHCN" in text and "Lê Văn Bình" in text and "GIÁM ĐỐC" in text
        assert "KT. GIÁM ĐỐC" not in text and "PHÓ GIÁM ĐỐC" not in text
        assert "Bộ Khoa học và Công nghệ (b/c);" in text and "Sở Nội vụ, Sở Tài chính" not in text
        assert "(Kèm theo Báo cáo số 15/BC-SKHCN ngày 28/11/2025 của Sở Khoa học và Công nghệ)" in text
        assert "Đề xuất, kiến nghị của thành viên UBND tỉnh" in text


def test_annex__header_date_and_wording(ws):
    import dataclasses

    from readiness.department.consolidate import consolidate
    from readiness.department.petitions import list_petitions, resolution_text, update_petition
    from readiness.department.report_content import ANNEX_HEADERS, ReportOptions, build_report, handling_sentence

    assert ANNEX_HEADERS[-1] == "Đề xuất, kiến nghị của thành viên UBND tỉnh"  # seed 002, exactly
    petitions = list_petitions(ws, period=PERIOD)
    full = "Đề nghị xã liên hệ VNPT khu vực để được hỗ trợ kịp thời."
    update_petition(ws, petitions[0].id, status="answered", response_ref=REF, response=full)
    update_petition(ws, petitions[1].id, status="answered", response_ref=REF, response="hướng dẫn xã nâng cấp máy tính.")
    update_petition(ws, petitions[2].id, status="forwarded", forwarded_to="Sở Tài chính", response="đã đề nghị bố trí kinh phí")
    petitions = list_petitions(ws, period=PERIOD)
    first, second, third = petitions[0], petitions[1], petitions[2]
    # A full sentence stays a sentence of its own; the rest of a sentence continues it.
    assert resolution_text(first) == f"Sở KHCN đã trả lời tại {REF}: {full}"
    assert resolution_text(second) == f"Sở KHCN đã có {REF} hướng dẫn xã nâng cấp máy tính."
    assert resolution_text(third) == "Kính chuyển Sở Tài chính. Đã đề nghị bố trí kinh phí."
    resolved = dataclasses.replace(first, status="resolved")
    assert resolution_text(resolved).endswith(f"{full} Đã giải quyết.") and ".." not in resolution_text(resolved)
    assert resolution_text(first, "Sở KH&CN").startswith("Sở KH&CN đã trả lời")

    report = build_report(consolidate(ws, PERIOD, today=TODAY), petitions, ReportOptions(date=dt.date(2025, 12, 3)))
    assert report.annex_subtitle.endswith("ngày 03/12/2025 của Sở Khoa học và Công nghệ)")
    text = " ".join(block.text for block in report.blocks_after_table)
    assert re.search(r"\b0 nội dung", text) is None
    assert "đã giải quyết" not in text  # no petition is resolved: no clause for it
    assert handling_sentence({"new": 3, "forwarded": 0, "answered": 2, "resolved": 0}, "Sở KHCN") == (
        "Đến nay, Sở KHCN đã trả lời 2 nội dung; 3 nội dung đang được xem xét, xử lý (chi tiết tại Phụ lục kèm theo).")
    assert handling_sentence({"new": 4, "forwarded": 0, "answered": 0, "resolved": 0}, "Sở KHCN") == (
        "Đến nay, 4 nội dung đang được Sở KHCN xem xét, xử lý (chi tiết tại Phụ lục kèm theo).")
    assert handling_sentence({"new": 0, "forwarded": 1, "answered": 0, "resolved": 5}, "Sở KHCN") == (
        "Đến nay, Sở KHCN đã chuyển cơ quan có thẩm quyền 1 nội dung, đã giải quyết 5 nội dung "
        "(chi tiết tại Phụ lục kèm theo).")


# == the one letter =======================================================================================


def _letter(paragraphs: int, *, settings=None):
    from readiness.document_settings import default_settings
    from readiness.exchange.letter import Letter, Para, standard_copies

    settings = settings or default_settings()
    body = [Para("p", "Mở đầu của công văn thử.")]
    for index in range(1, paragraphs + 1):
        body += [Para("item", f"{index}. Kiến nghị thứ {index} về việc nâng cấp hạ tầng (nội dung III.{index})"),
                 Para("label", "Trả lời:"),
                 Para("p", "Nội dung trả lời khá dài để lấp đầy trang giấy, gồm nhiều chữ tiếng Việt có dấu. " * 3)]
    return Letter(settings=settings, date=LETTER_DATE, subject="thử bố cục công văn", addressees=("Sở Nội vụ",),
                  body=body, closing="Kính gửi Sở Nội vụ tổng hợp, tham mưu./.",
                  copies=standard_copies(settings, "UBND các xã, phường, đặc khu;"), signer_name="Nguyễn Văn Ký")


@pytest.mark.parametrize("paragraphs", range(4, 16))
def test_letter_pdf__any_length__closing_and_signature_share_a_page(tmp_path, paragraphs):
    from readiness.exchange.letter_pdf import write_letter_pdf

    path = write_letter_pdf(_letter(paragraphs), tmp_path / "l.pdf")
    pages = pdf_pages(path)
    signed = [text for text in pages if "PHÓ GIÁM ĐỐC" in text]
    assert len(signed) == 1 and "tổng hợp, tham mưu./." in signed[0] and "Nơi nhận" in signed[0]
    assert "Trả lời" in signed[0] or "Nội dung trả lời" in signed[0]  # the last body paragraph goes with it
    if len(pages) > 1:
        assert pages[1].startswith("2")  # page numbers from page 2


def test_letter_docx__layout_and_keep_together(tmp_path):
    import docx
    from docx.oxml.ns import qn

    from readiness.exchange.letter_docx import write_letter_docx

    path = write_letter_docx(_letter(3), tmp_path / "l.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert round(section.left_margin.cm, 2) == 3.0 and round(section.right_margin.cm, 2) == 1.5
    assert round(section.top_margin.cm, 2) == 2.0 and round(section.page_width.cm, 1) == 21.0
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size.pt == 14
    head = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert head[0].splitlines()[:2] == ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert head[2].splitlines()[0].startswith("Số:") and head[2].endswith("/SKHCN-BCVT&CĐS\nV/v thử bố cục công văn")
    assert head[3] == "Quảng Ngãi, ngày 15 tháng 12 năm 2025"
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "Kính gửi: Sở Nội vụ"
    closing = next(p for p in paragraphs if p.text.endswith("tham mưu./."))
    before = paragraphs[paragraphs.index(closing) - 1]
    assert closing.paragraph_format.keep_with_next and before.paragraph_format.keep_with_next
    sign = document.tables[-1]
    assert sign.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    left, right = (cell.text.splitlines() for cell in sign.rows[0].cells)
    assert left == ["Nơi nhận:", "- Như trên;", "- UBND các xã, phường, đặc khu;", "- Lãnh đạo Sở;",
                    "- Lưu: VT, VP, BCVT&CĐS."]
    assert right[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and right[-1] == "Nguyễn Văn Ký"
    items = [p for p in paragraphs if p.text.startswith("1. Kiến nghị")]
    assert items[0].runs[0].bold and items[0].paragraph_format.keep_with_next
    label = next(p for p in paragraphs if p.text == "Trả lời:")
    assert label.runs[0].bold and label.runs[0].italic


def test_letter__control_characters_and_markup_kept_out(tmp_path):
    from readiness.document_settings import default_settings
    from readiness.exchange.letter import Letter, Para, Table, write_letter

    hostile = "Xã <b>Đăk\x07 Hà</b> & \x1bcộng\x00 =SUM(A1) \ufffe"
    letter = Letter(settings=default_settings(), date=LETTER_DATE, subject=f"thử {hostile}", addressees=(hostile,),
                    body=[Para("p", hostile), Table(("STT", "Tên"), (("1", hostile),), (1, 4))],
                    closing=hostile, copies=(hostile,))
    docx_path, pdf_path = write_letter(letter, docx=tmp_path / "h.docx", pdf=tmp_path / "h.pdf")
    clean = "Xã <b>Đăk Hà</b> & cộng =SUM(A1)"
    for text in (docx_text(docx_path), pdf_text(pdf_path)):
        assert clean in text
        assert not any(ord(ch) < 32 for ch in text)


# == petitions in bulk ===================================================================================


def test_update_petitions__many__one_response_one_letter_in_one_transaction(ws):
    from readiness.department.petitions import list_petitions, update_petition, update_petitions
    from readiness.store.db import StoreError

    petitions = list_petitions(ws, period=PERIOD)
    chosen = [p.id for p in petitions[:4]]
    changed = update_petitions(ws, chosen, status="answered", response_ref=REF,
                               response="Sở đã hướng dẫn.\nĐề nghị xã thực hiện.")
    assert [p.id for p in changed] == chosen
    again = {p.id: p for p in list_petitions(ws, period=PERIOD)}
    assert all(again[i].status == "answered" and again[i].response_ref == REF for i in chosen)
    assert again[chosen[0]].response == "Sở đã hướng dẫn.\nĐề nghị xã thực hiện."  # paragraphs kept

    # One refused (going back without --force): none of them changes.
    update_petition(ws, petitions[5].id, status="resolved", response_ref=REF)
    with pytest.raises(StoreError) as error:
        update_petitions(ws, [petitions[4].id, petitions[5].id], status="forwarded", forwarded_to="Sở Nội vụ")
    assert error.value.code == "E-PETITION-TRANSITION" and f"số {petitions[5].id}" in error.value.message
    assert "Không kiến nghị nào được cập nhật" in error.value.message
    after = {p.id: p for p in list_petitions(ws, period=PERIOD)}
    assert after[petitions[4].id].status == "new" and after[petitions[5].id].status == "resolved"
    with pytest.raises(StoreError) as error:
        update_petitions(ws, [petitions[4].id, 987654], status="resolved")
    assert error.value.code == "E-PETITION" and "987654" in error.value.message
    assert {p.id: p for p in list_petitions(ws, period=PERIOD)}[petitions[4].id].status == "new"


def test_petition_filters__topic_addressee_commune_status(ws):
    from readiness.department.petitions import PetitionFilter, _is_department, list_petitions, update_petition

    every = list_petitions(ws, period=PERIOD)
    topic = every[0].topic
    by_topic = list_petitions(ws, where=PetitionFilter(period=PERIOD, topics=(topic,)))
    assert by_topic and {p.topic for p in by_topic} == {topic}
    assert len(by_topic) == sum(1 for p in every if p.topic == topic)
    department = list_petitions(ws, where=PetitionFilter(period=PERIOD, addressed_to="Sở KHCN"))
    assert department == [p for p in every if not p.addressed_to or _is_department(p.addressed_to)]
    others = [p for p in every if p.addressed_to and not _is_department(p.addressed_to)]
    if others:
        agency = others[0].addressed_to
        found = list_petitions(ws, where=PetitionFilter(period=PERIOD, addressed_to=agency))
        assert found and all(agency in (p.addressed_to or "") for p in found)
    two = tuple(dict.fromkeys(p.commune_code for p in every))[:2]
    assert {p.commune_code for p in list_petitions(ws, where=PetitionFilter(period=PERIOD, communes=two))} == set(two)
    update_petition(ws, every[0].id, status="forwarded", forwarded_to="Sở Tài chính")
    forwarded = list_petitions(ws, where=PetitionFilter(period=PERIOD, statuses=("forwarded", "resolved")))
    assert [p.id for p in forwarded] == [every[0].id]


def test_petitions_update_cli__ids_filters_dry_run(ws, capsys):
    from readiness.department.petitions import list_petitions, topic_choices

    db = url(ws)
    every = list_petitions(ws, period=PERIOD)
    ids = [every[0].id, every[1].id]
    assert cli(db, "petitions", "update", "--ids", f"{ids[0]},{ids[1]}", "--status", "forwarded",
               "--forwarded-to", "Sở Nội vụ", "--response-ref", REF, "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["count"] == 2 and {p["status"] for p in out["petitions"]} == {"forwarded"}
    topic = every[2].topic
    label = topic_choices(ws)[topic]
    expected = [p.id for p in every if p.topic == topic and p.status == "new" and p.id not in ids]
    assert cli(db, "petitions", "update", "--period", PERIOD, "--topic", label, "--in-status", "new",
               "--status", "answered", "--response", "Đã hướng dẫn.", "--dry-run", "--json") == 0
    dry = json.loads(capsys.readouterr().out)
    assert sorted(p["id"] for p in dry["petitions"]) == sorted(expected)
    assert all(p.status == "new" for p in list_petitions(ws, period=PERIOD) if p.id in expected)  # nothing saved
    assert cli(db, "petitions", "update", "--period", PERIOD, "--topic", topic, "--in-status", "new",
               "--status", "answered", "--response", "Đã hướng dẫn.") == 0
    assert f"Đã cập nhật {len(expected)} kiến nghị" in capsys.readouterr().out or len(expected) == 1
    stored = {p.id: p for p in list_petitions(ws, period=PERIOD)}
    assert all(stored[i].status == "answered" and stored[i].response == "Đã hướng dẫn." for i in expected)
    assert cli(db, "petitions", "update", "--status", "resolved") == 2  # nothing chosen
    assert cli(db, "petitions", "update", "--topic", "không có", "--status", "resolved") == 1
    assert "E-PETITION-TOPIC" in capsys.readouterr().err
    assert cli(db, "petitions", "update", "--period", "2024-01", "--status", "resolved") == 1
    assert "E-PETITION-NONE" in capsys.readouterr().err
    assert cli(db, "petitions", "list", "--period", PERIOD, "--topic", topic, "--json") == 0
    assert {p["topic"] for p in json.loads(capsys.readouterr().out)} == {topic}


# == the reply letter =====================================================================================


def _answer_some(ws):
    """Three petitions handled three ways; returns them (forwarded, answered with text, answered with ref)."""
    from readiness.department.petitions import list_petitions, update_petition

    every = list_petitions(ws, period=PERIOD)
    update_petition(ws, every[0].id, status="forwarded", forwarded_to="Sở Tài chính", response_ref=REF)
    update_petition(ws, every[1].id, status="answered",
                    response="Hệ thống đã được nâng cấp ngày 25/11/2025.\n- Trường hợp còn lỗi, đề nghị liên hệ VNPT khu vực")
    update_petition(ws, every[2].id, status="resolved", response_ref=REF)
    return every[:3], every[3:]


def test_reply_letter__seed_form__word_and_pdf(ws, tmp_path, capsys):
    handled, pending = _answer_some(ws)
    db = url(ws)
    assert cli(db, "settings", "set", "signer_name", "Nguyễn Quốc Huy Hoàng") == 0
    assert cli(db, "petitions", "reply", "--period", PERIOD, "--to", "Sở Nội vụ", *REQUEST, "--date", "15/12/2025",
               "--no-group", "--docx", str(tmp_path / "tl.docx"), "--pdf", str(tmp_path / "tl.pdf"), "--json") == 0
    capsys.readouterr()
    paragraphs = docx_paragraphs(tmp_path / "tl.docx")
    for text in (docx_text(tmp_path / "tl.docx"), pdf_text(tmp_path / "tl.pdf")):
        assert "V/v trả lời nội dung kiến nghị, khó khăn, vướng mắc của UBND" in text
        assert "Kính gửi: Sở Nội vụ" in text
        assert ("Theo đề nghị của Sở Nội vụ tại Công văn số 2956/SNV-XDCQ ngày 10/12/2025 về việc tiếp tục hỗ trợ các "
                "địa phương") in text
        assert "Quảng Ngãi, ngày 15 tháng 12 năm 2025" in text and "/SKHCN-BCVT&CĐS" in text
        for number, petition in enumerate(handled, start=1):
            name = "UBND " + petition.commune_name[:1].lower() + petition.commune_name[1:]
            assert f"{number}. Kiến nghị của {name} về việc" in text
            assert f"(nội dung III.{petition.position + 1})" in text
        assert text.count("Trả lời:") == 3
        assert ("Nội dung kiến nghị thuộc chức năng, nhiệm vụ của Sở Tài chính; Sở Khoa học và Công nghệ đã chuyển Sở "
                f"Tài chính xem xét, giải quyết theo thẩm quyền ({REF}).") in text
        assert "Hệ thống đã được nâng cấp ngày 25/11/2025." in text
        assert "- Trường hợp còn lỗi, đề nghị liên hệ VNPT khu vực." in text
        assert f"Sở Khoa học và Công nghệ đã có {REF} hướng dẫn địa phương thực hiện nội dung này." in text
        assert "Đến nay, nội dung kiến nghị đã được giải quyết." in text
        assert "Kính gửi Sở Nội vụ tổng hợp, tham mưu./." in text
        assert "UBND các xã, phường, đặc khu;" in text and "Lãnh đạo Sở;" in text
        assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Quốc Huy Hoàng" in text
        for petition in pending:  # still «Mới»: not in the letter
            assert f"(nội dung III.{petition.position + 1})" not in text or petition.commune_name not in text
    heading = next(p for p in paragraphs if p.startswith("1. Kiến nghị của"))
    assert paragraphs[paragraphs.index(heading) + 1] == "Trả lời:"


def test_reply_letter__chosen_by_number__to_the_communes(ws, tmp_path, capsys):
    handled, pending = _answer_some(ws)
    db = url(ws)
    assert cli(db, "petitions", "reply", "--period", PERIOD, "--ids", f"{handled[1].id}", "--docx",
               str(tmp_path / "one.docx")) == 0
    text = docx_text(tmp_path / "one.docx")
    name = "UBND " + handled[1].commune_name[:1].lower() + handled[1].commune_name[1:]
    assert f"Kính gửi: {name}" in text and f"V/v trả lời nội dung kiến nghị, khó khăn, vướng mắc của {name}" in text
    assert "Trên cơ sở các khó khăn, vướng mắc và đề xuất, kiến nghị của" in text
    assert f"Sở Khoa học và Công nghệ trả lời để {name} biết, thực hiện" in text
    assert "UBND các xã, phường, đặc khu;" not in text  # «Như trên» names the commune
    capsys.readouterr()
    assert cli(db, "petitions", "reply", "--period", PERIOD, "--ids", f"{pending[0].id}", "--docx",
               str(tmp_path / "no.docx")) == 1
    err = capsys.readouterr().err
    assert "E-REPLY-UNANSWERED" in err and str(pending[0].id) in err and not (tmp_path / "no.docx").exists()
    assert cli(db, "petitions", "reply", "--period", PERIOD, "--ids", f"{handled[0].id}") == 1
    assert "E-REPORT-OUTPUT" in capsys.readouterr().err
    assert cli(db, "petitions", "reply", "--period", "2024-01", "--docx", str(tmp_path / "none.docx")) == 1
    assert "E-REPLY-NONE" in capsys.readouterr().err


def test_reply_letter__same_request_same_answer__one_item_naming_every_commune(ws):
    from readiness.department.petitions import list_petitions, update_petitions
    from readiness.department.reply_letter import ReplyOptions, build_reply_letter, reply_petitions
    from readiness.document_settings import load_settings

    every = list_petitions(ws, period=PERIOD)
    by_text: dict[str, list] = {}
    for petition in every:
        by_text.setdefault(petition.proposal, []).append(petition)
    shared = max(by_text.values(), key=len)
    assert len(shared) >= 2, "the demo petitions repeat some proposals"
    update_petitions(ws, [p.id for p in shared], status="answered", response="Sở sẽ tổ chức trong quý I/2026.")
    options = ReplyOptions(period=PERIOD, to="Sở Nội vụ", date=LETTER_DATE)
    chosen = reply_petitions(ws, options)
    letter = build_reply_letter(chosen, options, load_settings(ws.store))
    items = [b.text for b in letter.body if getattr(b, "kind", "") == "item"]
    assert len(items) == 1
    for petition in shared:
        assert f"{petition.commune_name[:1].lower()}{petition.commune_name[1:]} (nội dung III.{petition.position + 1})" \
            in letter.text()
    single = build_reply_letter(chosen, ReplyOptions(period=PERIOD, to="Sở Nội vụ", group=False), load_settings(ws.store))
    assert len([b for b in single.body if getattr(b, "kind", "") == "item"]) == len(shared)


def test_reply_letter__hostile_text_in_a_petition__kept_out_of_both_files(ws, tmp_path):
    from readiness.department.petitions import list_petitions
    from readiness.department.reply_letter import ReplyOptions, build_reply_letter, reply_petitions
    from readiness.document_settings import load_settings
    from readiness.exchange.letter import write_letter

    target = list_petitions(ws, period=PERIOD)[0]

    def poison(row):
        row.proposal = "Đề nghị <script>\x07 cấp\x1b máy =CMD|' /C calc'!A0 & in"
        row.status = "answered"
        row.response = "Đã trả lời\x0c xong."

    ws.store.update_petitions([target.id], poison)
    options = ReplyOptions(period=PERIOD, ids=(target.id,), date=LETTER_DATE)
    letter = build_reply_letter(reply_petitions(ws, options), options, load_settings(ws.store))
    docx_path, pdf_path = write_letter(letter, docx=tmp_path / "x.docx", pdf=tmp_path / "x.pdf")
    for text in (docx_text(docx_path), pdf_text(pdf_path)):
        assert "về việc đề nghị <script> cấp máy =CMD|' /C calc'!A0 & in" in text
        assert "Đã trả lời xong." in text and not any(ord(ch) < 32 for ch in text)


# == the feedback letter ===================================================================================


def test_feedback_letter__one_commune__score_average_gaps_petitions_guidance(ws, tmp_path, capsys):
    from readiness.department.consolidate import consolidate
    from readiness.department.petitions import list_petitions, update_petition

    data = consolidate(ws, PERIOD, today=TODAY)
    row = min(data.rows, key=lambda r: r.score)  # one behind: gaps to report
    petitions = list_petitions(ws, period=PERIOD, commune=row.code)
    assert petitions
    update_petition(ws, petitions[0].id, status="forwarded", forwarded_to="Sở Tài chính")
    db = url(ws)
    assert cli(db, "feedback", "--period", PERIOD, "--commune", row.code, "--date", "16/12/2025",
               "--as-of", TODAY.isoformat(), "--docx", str(tmp_path / "fb.docx"), "--pdf", str(tmp_path / "fb.pdf")) == 0
    capsys.readouterr()
    scores = sorted((r.score for r in data.rows), reverse=True)
    average = sum(scores) / len(scores)
    from readiness.numbers import score

    kind = row.kind.lower()
    name = "UBND " + row.name[:1].lower() + row.name[1:]
    level = data.status.level_labels[row.level]
    for text in (docx_text(tmp_path / "fb.docx"), pdf_text(tmp_path / "fb.pdf")):
        assert f"Kính gửi: {name}" in text
        assert "V/v thông báo kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của Bộ phận Một cửa kỳ 11/2025" in text
        assert f"Điểm tự đánh giá của {kind} đạt {score(row.score)}/100, mức «{level}»." in text
        assert (f"Điểm bình quân của {len(scores)} đơn vị tỉnh Quảng Ngãi đã gửi kết quả là "
                f"{score(average)}/100") in text
        assert f"thấp hơn bình quân {score(round(average - row.score, 1))} điểm" in text
        assert f"xếp thứ {len(scores)}/{len(scores)}" in text
        for gap in [g for g in row.result.problems if g.status == "fail"][:3]:
            assert flat(gap.advice)[:60] in text
        assert "Kính chuyển Sở Tài chính" in text and f"Nội dung III.{petitions[0].position + 1}" in text
        assert "Công văn số 3005/SKHCN-BCVT&CĐS ngày 21/11/2025" in text
        assert f"Sở Khoa học và Công nghệ thông báo để {name} biết, thực hiện./." in text
        assert "Nơi nhận" in text and "KT. GIÁM ĐỐC" in text
    import docx

    table = docx.Document(str(tmp_path / "fb.docx")).tables[1]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Nội dung", f"Điểm của {kind}", "Bình quân tỉnh Quảng Ngãi"]
    first = data.sections[0]
    cells = next([c.text for c in r.cells] for r in table.rows[1:] if r.cells[0].text.startswith(f"{first.number}. "))
    assert cells[1] == score(row.section_scores[first.id], fixed=True)  # a column: «66,0» beside «63,6»
    assert cells[2] == score(data.section_averages[first.id], fixed=True)
    assert all("," in r.cells[1].text or r.cells[1].text == "—" for r in table.rows[1:])


def test_feedback_cli__all_communes_into_a_folder__missing_ones_named(ws, tmp_path, capsys):
    db = url(ws)
    out = tmp_path / "thu"
    assert cli(db, "feedback", "--period", PERIOD, "--all", "--out", str(out), "--format", "both", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["letters"] == 6 and len(data["not_reported"]) == 96 - 6
    assert len(list(out.glob("*.docx"))) == 6 and len(list(out.glob("*.pdf"))) == 6
    one = sorted(out.glob("*.docx"))[0]
    assert one.name.startswith(f"thong-bao-ket-qua_{PERIOD}_")
    missing = data["not_reported"][0]
    assert cli(db, "feedback", "--period", PERIOD, "--commune", missing, "--docx", str(tmp_path / "m.docx")) == 1
    assert "E-FEEDBACK-MISSING" in capsys.readouterr().err and not (tmp_path / "m.docx").exists()
    assert cli(db, "feedback", "--period", PERIOD, "--all") == 1  # no folder
    assert cli(db, "feedback", "--period", PERIOD) == 2  # neither one nor all


# == another province: no word of Quảng Ngãi ==============================================================


def test_documents__another_provinces_settings__never_name_quang_ngai(dept, tmp_path, capsys):
    from readiness.exchange.context import ExportContext
    from readiness.exchange.pdf_report import write_report_pdf as write_commune_pdf
    from readiness.exchange.xlsx import write_submission

    db = url(dept)
    assert cli(db, "settings", "province", "01") == 0
    assert cli(db, "settings", "set", "signer_name", "Trần Thị Lan") == 0
    hanoi = dept.store.communes(None, "01")[::40][:4]
    populate(dept, hanoi, PERIOD, today=TODAY, seed=5, profiles=["average", "behind"])
    assert cli(db, "petitions", "update", "--period", PERIOD, "--status", "answered", "--response",
               "Đã hướng dẫn địa phương.") == 0
    files = {name: tmp_path / name for name in ("bc.pdf", "bc.docx", "tl.docx", "tl.pdf", "fb.docx", "fb.pdf")}
    assert cli(db, "report", "--period", PERIOD, "--pdf", str(files["bc.pdf"]), "--docx", str(files["bc.docx"]),
               "--as-of", TODAY.isoformat()) == 0
    assert cli(db, "petitions", "reply", "--period", PERIOD, "--to", "Sở Nội vụ", "--docx", str(files["tl.docx"]),
               "--pdf", str(files["tl.pdf"])) == 0
    assert cli(db, "feedback", "--period", PERIOD, "--commune", hanoi[0].code, "--as-of", TODAY.isoformat(),
               "--docx", str(files["fb.docx"]), "--pdf", str(files["fb.pdf"])) == 0
    capsys.readouterr()
    session = dept.session(hanoi[1].code, PERIOD)
    commune_pdf = write_commune_pdf(ExportContext.from_session(session), tmp_path / "xa.pdf")
    workbook = write_submission(ExportContext.from_session(session), tmp_path / "xa.xlsx").path
    # The advice names the contacts of the commune's own province (contacts.yaml): Hà Nội's communes never
    # read «VNPT Quảng Ngãi» or Quảng Ngãi's reporting system, in any document.
    for path in [*files.values(), commune_pdf]:
        text = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
        assert "Quảng Ngãi" not in text and "QUẢNG NGÃI" not in text and "quangngai" not in text, path.name
        assert "Hà Nội" in text or "HÀ NỘI" in text, path.name
    assert "UBND THÀNH PHỐ HÀ NỘI" in pdf_text(files["bc.pdf"]) and "Hà Nội, ngày" in pdf_text(files["tl.pdf"])
    assert "Trần Thị Lan" in pdf_text(files["fb.pdf"])
    assert "Đề xuất, kiến nghị của thành viên UBND thành phố" in docx_text(files["bc.docx"])
    assert "Kính gửi: Sở Khoa học và Công nghệ thành phố Hà Nội" in pdf_text(commune_pdf)
    from openpyxl import load_workbook

    cover = load_workbook(workbook).worksheets[0]
    assert "Sở Khoa học và Công nghệ thành phố Hà Nội" in str(cover["A2"].value)


def test_commune_report__commune_of_another_province__addressed_to_its_own_department(dept, tmp_path):
    from readiness.exchange.context import ExportContext
    from readiness.exchange.pdf_report import write_report_pdf

    commune = dept.store.communes(None, "79")[0]
    populate(dept, [commune], PERIOD, today=TODAY, seed=8)
    path = write_report_pdf(ExportContext.from_session(dept.session(commune.code, PERIOD)), tmp_path / "hcm.pdf")
    text = pdf_text(path)
    assert "Kính gửi: Sở Khoa học và Công nghệ thành phố Hồ Chí Minh" in text
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" not in text


def test_pdf_cell__a_word_wider_than_its_cell__broken_after_at_or_dot_never_over_the_border():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from readiness.exchange.fonts import SERIF, register_fonts
    from readiness.exchange.pdf_tables import PAD_H, split_lines

    register_fonts()
    email = "ubnd.phuong-truong-quang-trong@quangngai.gov.vn"
    lines = split_lines(email, 90, 10.5)
    assert "".join(lines) == email and len(lines) > 1
    assert all(stringWidth(line, SERIF, 10.5) <= 90 - 2 * PAD_H for line in lines)
    assert lines[0].endswith((".", "-", "@"))  # at a mark, not mid-name
    assert split_lines("Trần Thu Vy, Công chức", 400, 10.5) == ["Trần Thu Vy, Công chức"]
