"""The PDF report and the field checklist: Vietnamese text intact, embedded fonts, layout facts."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest

pypdf = pytest.importorskip("pypdf")

from readiness.exchange import write_field_checklist, write_report_pdf  # noqa: E402
from readiness.exchange.fonts import FILES, missing_glyphs  # noqa: E402
from readiness.exchange.pdf_checklist import qr_payload  # noqa: E402
from readiness.exchange.pdf_common import vn_date_words  # noqa: E402


def _texts(path):
    reader = pypdf.PdfReader(str(path))
    return reader, [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]


def _fonts(reader):
    """The fonts text is actually drawn with (resources named by a ``Tf`` operator in the page content)."""
    names = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        content = page.get_contents().get_data().decode("latin-1")
        for block in re.findall(r"BT(.*?)ET", content, re.S):
            if "Tj" in block or "TJ" in block:  # a text object that shows glyphs
                for key in set(re.findall(r"(/[A-Za-z0-9+]+) [0-9.]+ Tf", block)):
                    names.add(str(fonts[key].get_object().get("/BaseFont")))
    return names


def _checklist_strings(checklist):
    """Every Vietnamese string of a checklist definition (titles, labels, hints, choices, rules' texts)."""
    def walk(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("en", "id", "pass", "na", "rule", "expr", "let", "relevant", "content_hash", "source_path"):
                    yield from walk(inner)
        elif isinstance(value, (list, tuple)):
            for inner in value:
                yield from walk(inner)
    return list(walk(dataclasses.asdict(checklist)))


@pytest.mark.parametrize("face", list(FILES))
def test_font__covers_every_vietnamese_character_of_the_checklists(real_checklist, small, face):
    text = "".join(_checklist_strings(real_checklist) + _checklist_strings(small))
    letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    text += letters + letters.upper() + "□–—«»…≥≤×•№"
    assert missing_glyphs(text, face) == set()


def test_vn_date__leading_zeros_per_decree():
    import datetime as dt

    assert vn_date_words(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert vn_date_words(dt.date(2026, 11, 24)) == "ngày 24 tháng 11 năm 2026"
    assert vn_date_words(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_report__headings_intact_fonts_embedded(real_ctx, tmp_path):
    path = write_report_pdf(real_ctx, tmp_path / "r.pdf")
    reader, pages = _texts(path)
    first = pages[0]
    for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "XÃ ĐĂK HÀ",
                    "BÁO CÁO", "Kính gửi: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "/BC-UBND",
                    "Đăk Hà, ngày 24 tháng 11 năm 2026", "kỳ 11/2025", "I. KẾT QUẢ TỰ ĐÁNH GIÁ"):
        assert heading in first, heading
    everything = "\n".join(pages)
    for heading in ("II. TỒN TẠI, HẠN CHẾ VÀ KHUYẾN NGHỊ", "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
                    "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phụ lục I", "Phụ lục II"):
        assert heading in everything, heading
    fonts = _fonts(reader)
    assert fonts and all("LiberationSerif" in name for name in fonts), fonts  # no built-in Latin-1 font
    assert not re.match(r"\s*1\s", first)  # no number on page 1 ...
    assert pages[1].lstrip().startswith("2")  # ... then at the top from page 2
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert (595, 842) in sizes and (842, 595) in sizes  # A4, wide tables on landscape pages
    assert reader.metadata.title.startswith("Báo cáo kết quả tự đánh giá")


def test_report__gaps_and_petitions_listed(small_ctx, tmp_path):
    path = write_report_pdf(small_ctx, tmp_path / "r.pdf")
    _, pages = _texts(path)
    everything = " ".join(" ".join(pages).split())
    assert "Mục 2.4 – Kết nối mạng TSLCD (tiêu chí trọng yếu)" in everything
    assert "Khuyến nghị: Đề nghị kết nối mạng TSLCD." in everything
    assert "Khó khăn, vướng mắc: Máy tính cũ, chậm" in everything
    assert "Người tổng hợp, trả lời: Nguyễn Thị Hoà" in everything


def test_field_checklist__numbers_boxes_blanks_and_footer(real_checklist, tmp_path):
    from readiness.register import load_register

    commune = next(c for c in load_register() if c.code == "23500")
    path = write_field_checklist(real_checklist, tmp_path / "f.pdf", commune=commune)
    reader, pages = _texts(path)
    total = len(pages)
    everything = "\n".join(pages)
    for item in real_checklist.items():
        assert re.search(rf"(^|\s){re.escape(real_checklist.number(item.id))}\s", everything), item.id
    assert "□ Có" in everything and "□ Không" in everything
    assert "Chỉ trả lời nếu mục 2.1 là «Có»" in everything
    assert re.search(r"Trả lời: _+ Mbps", everything)
    for index, text in enumerate(pages, start=1):
        assert f"Trang {index}/{total}" in text
        assert f"one-stop-shop-it-readiness, phiên bản {real_checklist.version}" in text and "Xã Đăk Hà (mã 23500)" in text
    last = " ".join(pages[-1].split())
    assert "NGƯỜI KHẢO SÁT" in last and "XÁC NHẬN CỦA UBND XÃ ĐĂK HÀ" in last
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert (842, 595) in sizes  # the PC grid on landscape pages
    assert all("LiberationSerif" in name for name in _fonts(reader))


def test_qr_payload__names_checklist_commune_page(real_checklist):
    from readiness.register import load_register

    commune = next(c for c in load_register() if c.code == "23500")
    payload = qr_payload(real_checklist, commune, 3, 12)
    assert payload.startswith(f"readiness:field-checklist?checklist=one-stop-shop-it-readiness&version={real_checklist.version}"
                              f"&hash={real_checklist.content_hash[:12]}")
    assert payload.endswith("&commune=23500&page=3/12")
    assert "commune=" not in qr_payload(real_checklist, None, 1, 1)


def test_field_checklist__small_without_commune(small, tmp_path):
    path = write_field_checklist(small, tmp_path / "f.pdf")
    _, pages = _texts(path)
    assert "Đơn vị: ....." in pages[0]
    everything = "\n".join(pages)
    assert "□ VNPT" in everything and "(có thể chọn nhiều)" in everything
    assert "Chỉ trả lời nếu mục 2.1 là «Có»." in everything


# -- issue 17 §5: the signature is never alone on its page; the document's number is printed once --------------


def _with_petitions(session, count):
    rows = [{"topic": "infrastructure", "difficulty": "Đường truyền chậm vào giờ cao điểm, " * (1 + n % 3),
             "proposal": "Đề nghị nâng băng thông đường truyền lên tối thiểu 200 Mbps.", "addressed_to": "Sở KHCN"}
            for n in range(count)]
    assert session.set_answers({"petitions": rows}) == []


@pytest.mark.parametrize("petitions", range(0, 12))
def test_report__any_length__the_signature_shares_its_page_with_the_closing_paragraph(real_session, tmp_path, petitions):
    from readiness.exchange import ExportContext

    from readiness.exchange.pdf_report import build_report

    _with_petitions(real_session, petitions)
    path = tmp_path / "report.pdf"
    with path.open("wb") as target:  # the letter up to its signature (the annexes follow on a new page anyway)
        build_report(ExportContext.from_session(real_session, document_number="15", signer_name="Nguyễn Văn A"),
                     target, annexes=False)
    _reader, pages = _texts(path)
    signer = [index for index, text in enumerate(pages) if "CHỦ TỊCH" in text and "Nơi nhận" in text]
    assert len(signer) == 1
    page = re.sub(r"\s+", " ", pages[signer[0]])
    assert "kính báo cáo" in page  # the closing sentence, not a signature alone


@pytest.mark.parametrize("typed", ["15", "15/BC-UBND", "Số: 15/BC-UBND", " 15 "])
def test_report__number_with_or_without_its_suffix__printed_once(real_ctx, tmp_path, typed):
    import dataclasses

    ctx = dataclasses.replace(real_ctx, document_number=typed)
    _reader, pages = _texts(write_report_pdf(ctx, tmp_path / "report.pdf"))
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Số: 15/BC-UBND" in text and "Báo cáo số 15/BC-UBND ngày" in text
    assert "BC-UBND/BC-UBND" not in text
