"""File names that are safe everywhere, and the canonical JSON the seals hash."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from readiness.exchange import ExchangeError
from readiness.exchange.canonical import answer_json, answers_sha256, canonical_json
from readiness.exchange.naming import (
    MAX_FILENAME, safe_filename, safe_join, sheet_title, slug, submission_filename, template_filename,
)


def test_submission_filename__code_period_slug():
    assert submission_filename("23500", "2025-11", "Xã Đăk Hà") == "23500_2025-11_xa-dak-ha.xlsx"
    assert submission_filename("23503", "2025-11", "Phường Trương Quang Trọng", "pdf") == \
        "23503_2025-11_phuong-truong-quang-trong.pdf"
    assert slug("Đặc khu Lý Sơn") == "dac-khu-ly-son"
    assert template_filename("one-stop-shop-it-readiness", 1) == "mau-tu-danh-gia_one-stop-shop-it-readiness-v1.xlsx"


@pytest.mark.parametrize("name", ["CON.xlsx", "nul", "com1.pdf", "LPT9.txt", "aux.tar.gz"])
def test_safe_filename__reserved_device_names_prefixed(name):
    assert safe_filename(name).startswith("_")


@pytest.mark.parametrize("name, expected", [
    ("a/b\\c:d*e?f\"g<h>i|j.xlsx", "a_b_c_d_e_f_g_h_i_j.xlsx"),
    ("ends with dots...", "ends with dots"),
    ("..", "tep"),
    ("", "tep"),
    ("Báo cáo Đăk Hà.pdf", "Báo cáo Đăk Hà.pdf"),
])
def test_safe_filename__bad_characters(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename__length_capped_extension_kept():
    name = safe_filename("x" * 500 + ".xlsx")
    assert len(name) == MAX_FILENAME and name.endswith(".xlsx")


@pytest.mark.parametrize("name", ["../x.xlsx", "..", "/etc/passwd", "sub/x.xlsx", "..\\x.xlsx", "C:\\x.xlsx", ""])
def test_safe_join__never_leaves_the_folder(tmp_path, name):
    with pytest.raises(ExchangeError) as raised:
        safe_join(tmp_path, name)
    assert raised.value.code == "E-EXPORT-PATH"


def test_safe_join__plain_name_inside(tmp_path):
    assert safe_join(tmp_path, "CON.xlsx") == (tmp_path / "_CON.xlsx").resolve()
    assert safe_join(tmp_path, "23500_2025-11_xa-dak-ha.xlsx").parent == tmp_path.resolve()


def test_sheet_title__legal_unique_short():
    taken: set[str] = set()
    first = sheet_title("3.1 Danh sách máy tính: [CPU/RAM] *?", taken)
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    long = "Thiết bị Bộ phận Một cửa và các thiết bị ngoại vi khác"
    a, b = sheet_title(long, taken), sheet_title(long, taken)
    assert a != b and len(a) <= 31 and len(b) <= 31 and b.endswith("(2)")
    assert sheet_title("History", taken) != "History"


def test_canonical_json__sorted_compact_nfc_utf8():
    value = {"b": [1, 2.5, True, None], "a": "Hoa\u0300", "c": {"z": "x", "y": "Đăk Hà"}}
    text = canonical_json(value)
    assert text == '{"a":"Hoà","b":[1,2.5,true,null],"c":{"y":"Đăk Hà","z":"x"}}'
    assert "\u0300" not in text  # NFC: the combining grave became "à"
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_answer_json__typed_values_iso_dates_checklist_order(small):
    from readiness.answers import Answers, Row

    answers = Answers(values={
        "report_date": dt.date(2025, 11, 20), "download": 50.5, "officers": 25, "providers": ["vnpt", "other"],
        "pcs": [Row(values={"ram_gb": 8.0, "role": "Một cửa", "bought": dt.date(2020, 1, 2)})], "petitions": [],
    })
    data = answer_json(small, answers)
    assert "petitions" not in data  # an empty table is unanswered
    assert canonical_json(data) == ('{"download":50.5,"officers":25,"pcs":[{"bought":"2020-01-02","ram_gb":8.0,'
                                    '"role":"Một cửa"}],"providers":["vnpt","other"],"report_date":"2025-11-20"}')
    assert answers_sha256(small, answers) == hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


# -- issue 17 §5: sheet names chosen, not cut mid-phrase; older files keep reading ------------------------

_PHRASE_END = ("(", ",", " và ", " của ", " cho ", " tại ", " trên ", " trong ", " theo ", " hoặc ", " với ", " để ")


def _chosen(name: str, full: str, shorter: str | None = None) -> bool:
    """The full title, a fallback given on purpose, or a beginning of it that stops where a phrase ends."""
    if name in (full, shorter):
        return True
    rest = full[len(name):]
    return full.startswith(name) and any(rest.lstrip(" ").startswith(end.strip()) or rest.startswith(end)
                                         for end in _PHRASE_END)


def test_sheet_names__every_checklist__whole_phrases_of_at_most_31_characters(tmp_path):
    from readiness.checklist.loader import default_library
    from readiness.checklist.model import ItemType
    from readiness.exchange import write_template

    library = default_library()
    for checklist_id, version in library.available():
        checklist = library.get(checklist_id, version)
        names = write_template(checklist, tmp_path / f"{checklist.key}.xlsx").sheets
        assert all(len(name) <= 31 for name in names), names
        for index, section in enumerate(checklist.sections, start=1):
            full = f"{index}. {section.title.vi}"
            assert any(_chosen(name, full) for name in names), (full, names)
            tables = [item for item in section.items if item.type is ItemType.TABLE]
            for item in tables:
                number = checklist.number(item.id)
                full = f"{number} {item.label.vi}"
                shorter = f"{number} {section.title.vi}" if len(tables) == 1 else None
                assert any(_chosen(name, full, shorter) for name in names if name.startswith(f"{number} ")), \
                    (full, names)


def test_sheet_title__long_titles__stop_where_a_phrase_ends():
    taken: set[str] = set()
    assert sheet_title("7. Hệ thống dùng chung và tài khoản", taken) == "7. Hệ thống dùng chung"
    assert sheet_title("5.8 Chứng thư số cá nhân của cán bộ, công chức", taken) == "5.8 Chứng thư số cá nhân"
    assert sheet_title("6.11 Các điểm cầu khác của xã (nếu có)", taken) == "6.11 Các điểm cầu khác của xã"
    assert sheet_title("10.1 Khó khăn, vướng mắc và đề xuất, kiến nghị", taken) == "10.1 Khó khăn, vướng mắc"
    assert sheet_title("Danhsáchrấtdàikhôngcókhoảngtrắngnàocả_vượtquá31", taken) == \
        "Danhsáchrấtdàikhôngcókhoảngtrắn"  # no phrase, no word: cut at the limit (an id nobody types)


def test_older_file__sheet_names_cut_the_old_way__still_read(real_ctx, real_session, tmp_path, monkeypatch):
    """The reader goes by the sheet names the file's own ``_data`` records, so a file written before the
    names changed («5.8 Chứng thư số cá nhân của», «10.1 Khó khăn, vướng mắc và đề») reads the same."""
    from readiness.exchange import naming, read_submission, write_submission
    from readiness.exchange import xlsx as writer

    def old_title(text, taken, *, max_length=31, shorter=None):  # the cut of earlier versions
        name = naming._cut(naming._clean_sheet(text), max_length)
        taken.add(name.casefold())
        return name

    monkeypatch.setattr(writer, "sheet_title", old_title)
    old = write_submission(real_ctx, tmp_path / "old.xlsx")
    assert "5.8 Chứng thư số cá nhân của" in old.sheets
    monkeypatch.undo()
    new = write_submission(real_ctx, tmp_path / "new.xlsx")
    assert "5.8 Chứng thư số cá nhân" in new.sheets and "5.8 Chứng thư số cá nhân của" not in new.sheets
    first, second = (read_submission(result.path, checklist=real_session.checklist) for result in (old, new))
    assert first.ok and first.hash_ok and first.differences == [] and first.problems == []
    assert first.answers.values == second.answers.values
    assert first.answers_sha256 == second.answers_sha256
