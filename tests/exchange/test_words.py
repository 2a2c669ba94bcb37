"""Skip rules said in words."""

from __future__ import annotations

import pytest

from readiness.exchange.words import condition_words, skip_instruction


@pytest.mark.parametrize("rule, words", [
    ("has_fibre == true", "mục 2.1 là «Có»"),
    ("has_fibre", "mục 2.1 là «Có»"),
    ("not has_fibre", "mục 2.1 là «Không»"),
    ("tslcd == 'connected'", "mục 2.4 là «Đã kết nối»"),
    ("tslcd in ['connected', 'none']", "mục 2.4 là «Đã kết nối» hoặc «Chưa kết nối»"),
    ("officers > 3 and has_fibre == true", "mục 1.3 lớn hơn 3 và mục 2.1 là «Có»"),
    ("download >= $min_down", "mục 2.2 từ 100 Mbps trở lên"),
    ("selected(providers, 'vnpt')", "mục 2.3 có chọn «VNPT»"),
    ("count(pcs) > 0", "bảng ở mục 3.1 có ít nhất một dòng"),
    ("report_date != null", "đã trả lời mục 1.4"),
])
def test_condition_words(small, rule, words):
    assert condition_words(small, rule) == words


def test_fallback__plain_form_with_numbers(small):
    assert condition_words(small, "officers * 2 > download") == "mục 1.3 * 2 > mục 2.2"


def test_skip_instruction__sentence(small):
    assert skip_instruction(small, "has_fibre == true") == "Chỉ trả lời nếu mục 2.1 là «Có»."
    assert skip_instruction(small, "has_fibre == true", section=True).startswith("Chỉ trả lời phần này nếu")
    assert skip_instruction(small, None) == ""


def test_real_checklist__every_rule_has_words(real_checklist):
    rules = [(i.id, i.relevant) for i in real_checklist.items() if i.relevant]
    rules += [(s.id, s.relevant) for s in real_checklist.sections if s.relevant]
    assert rules
    for key, rule in rules:
        text = condition_words(real_checklist, rule)
        assert text and "_" not in text.replace("__", ""), (key, rule, text)
