"""The template language of requirement and advice texts (readiness.templates) and how the loader checks it."""

import datetime as dt
import textwrap

import pytest

from readiness import expr, templates
from readiness.answers import Answers
from readiness.checklist.loader import ChecklistInvalid, load_checklist_text
from readiness.scoring import Status, score
from readiness.templates import TemplateError, TemplateRenderError, render

from samples import SMALL, TODAY


def _scope(**values):
    return expr.Scope(values, thresholds={"warn": 90}, today=TODAY)


# -- fields ----------------------------------------------------------------------------------------


def test_field__numbers_and_dates__in_the_languages_format():
    fields = {"n": 12345.5, "d": dt.date(2026, 10, 13), "iso": "2026-10-13", "flag": True}
    assert render("{n} — {d} — {iso} — {flag}", fields, "vi") == "12.345,5 — 13/10/2026 — 13/10/2026 — có"
    assert render("{n} — {flag}", fields, "en") == "12,345.5 — yes"


def test_field__negative_number__printed_as_zero_never_minus():
    assert render("còn {days} ngày", {"days": -351}, "vi") == "còn 0 ngày"


def test_field__negative_number_in_strict_mode__raises():
    with pytest.raises(TemplateRenderError, match="negative"):
        render("còn {days} ngày", {"days": -351}, "vi", strict=True)


def test_field__missing_value__dash_or_error_in_strict_mode():
    assert render("thiếu {n} máy", {"n": None}, "vi") == "thiếu — máy"
    with pytest.raises(TemplateRenderError, match="no value"):
        render("thiếu {n} máy", {"n": None}, "vi", strict=True)


# -- conditions -------------------------------------------------------------------------------------

EXPIRY = ("{if days_left > 0}hết hạn ngày {d} (còn {days_left} ngày){elif days_left == 0}hết hạn hôm nay"
          "{else}đã hết hạn ngày {d} ({days_over} ngày trước){end}")


@pytest.mark.parametrize(("days", "expected"), [
    (12, "hết hạn ngày 01/01/2027 (còn 12 ngày)"),
    (0, "hết hạn hôm nay"),
    (-351, "đã hết hạn ngày 01/01/2027 (351 ngày trước)"),
])
def test_if__expiry_sentence__says_expired_n_days_ago_or_n_days_left(days, expected):
    fields = {"days_left": days, "days_over": -days, "d": dt.date(2027, 1, 1)}
    assert render(EXPIRY, fields, "vi", scope=_scope(days_left=days), strict=True) == expected


def test_if__unknown_condition__prints_no_branch_not_even_else():
    assert render("A.{if x > 0} B.{else} C.{end}", {}, "vi", scope=_scope(x=None)) == "A."


def test_if__conditions_see_thresholds_and_the_current_answer():
    scope = _scope(n=100).with_current("none")
    assert render("{if . == 'none'}chưa có{end}{if n > $warn} nhiều{end}", {}, "vi", scope=scope) == "chưa có nhiều"


def test_if__without_scope__conditions_see_the_fields():
    assert render("{if n > 1}cả {n} quầy{end}", {"n": 3}, "vi") == "cả 3 quầy"


def test_if__skipped_clause__leaves_no_double_space_or_space_before_punctuation():
    text = "Cần: {if a > 0}nâng RAM cho {a} máy {end}{if b > 0}thay {b} ổ{end}."
    assert render(text, {"a": 0, "b": 2}, "vi", scope=_scope(a=0, b=2)) == "Cần: thay 2 ổ."
    assert render(text, {"a": 3, "b": 0}, "vi", scope=_scope(a=3, b=0)) == "Cần: nâng RAM cho 3 máy."


# -- lists ------------------------------------------------------------------------------------------

MISSING = "Còn thiếu: {list}{if a > 0}{a} lãnh đạo{end}{if b > 0}{b} văn thư{end}{if c > 0}{c} công chức{end}{end}."


@pytest.mark.parametrize(("a", "b", "c", "vi"), [
    (1, 0, 0, "Còn thiếu: 1 lãnh đạo."),
    (0, 2, 5, "Còn thiếu: 2 văn thư và 5 công chức."),
    (1, 2, 5, "Còn thiếu: 1 lãnh đạo, 2 văn thư và 5 công chức."),
])
def test_list__zero_counts__dropped_and_the_rest_joined_as_a_person_lists(a, b, c, vi):
    fields = {"a": a, "b": b, "c": c}
    assert render(MISSING, fields, "vi", scope=_scope(**fields), strict=True) == vi


def test_list__english__joined_with_and():
    fields = {"a": 1, "b": 2, "c": 5}
    assert render("{list}{if a > 0}x{end}{if b > 0}y{end}{if c > 0}z{end}{end}", fields, "en",
                  scope=_scope(**fields)) == "x, y and z"


# -- syntax -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("{if x > 0}never closed", "not closed"),
    ("{end}", "no matching"),
    ("{else}", "no matching"),
    ("{if x >}y{end}", "condition"),
    ("{if}y{end}", "needs a condition"),
    ("{if x}a{else}b{elif y}c{end}", "after '{else}'"),
    ("{Name}", "neither a name nor a block"),
    ("a { b", "lone '{'"),
    ("a } b", "lone '}'"),
    ("{list}{else}{end}", "no matching"),
    ("{list}a", "not closed"),
])
def test_parse__broken_template__template_error(text, message):
    with pytest.raises(TemplateError, match=message):
        templates.parse(text)


def test_parse__fields_and_conditions__listed_for_the_loader():
    parsed = templates.parse("{a} {if b > $t}{c}{elif d}{list}{e}{end}{end}")
    assert parsed.fields() == {"a", "c", "e"}
    assert [c.source for c in parsed.conditions()] == ["b > $t", "d"]


# -- the loader -------------------------------------------------------------------------------------


def _problems(text: str):
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist_text(textwrap.dedent(text), "bad.yaml")
    return caught.value.problems


def test_loader__unknown_name_in_condition__e_cl_ref_with_item():
    text = SMALL.replace('advice: {vi: "Lắp đặt đường cáp quang."}',
                         'advice: {vi: "{if cables > 0}Lắp đặt đường cáp quang.{end}"}')
    assert [(p.code, p.item) for p in _problems(text)] == [("E-CL-REF", "has_fibre")]


def test_loader__unclosed_block__e_cl_template_with_line():
    text = SMALL.replace('advice: {vi: "Lắp đặt đường cáp quang."}', 'advice: {vi: "{if . == false}Lắp đặt."}')
    problems = _problems(text)
    assert [(p.code, p.item) for p in problems] == [("E-CL-TEMPLATE", "has_fibre")]
    assert problems[0].line == next(i for i, line in enumerate(SMALL.splitlines(), 1) if "Lắp đặt đường cáp quang" in line)


def test_loader__threshold_in_a_hint__printed_in_each_language_hash_of_the_file():
    text = SMALL.replace('label: {vi: "RAM"}}', 'label: {vi: "RAM"}, hint: {vi: "Từ {min_ram_gb} GB", en: "{min_ram_gb} GB or more"}}')
    checklist = load_checklist_text(text)
    column = checklist.item("pcs").column("ram_gb")
    assert (column.hint.vi, column.hint.en) == ("Từ 8 GB", "8 GB or more")
    assert checklist.content_hash != load_checklist_text(text.replace("Từ {min_ram_gb}", "Từ 8")).content_hash


def test_loader__non_threshold_or_block_in_a_hint__refused():
    text = SMALL.replace('label: {vi: "RAM"}}', 'label: {vi: "RAM"}, hint: {vi: "{if x}a{end} {n_low_ram} {nope"}}')
    assert {p.code for p in _problems(text)} == {"E-CL-TEMPLATE"}
    text = SMALL.replace('label: {vi: "RAM"}}', 'label: {vi: "RAM"}, hint: {vi: "Từ {n_low_ram} máy"}}')
    assert "not a threshold" in _problems(text)[0].message


# -- scoring ----------------------------------------------------------------------------------------


def test_score__unanswered_input__advice_names_the_questions_to_answer(small):
    result = score(small, Answers(values={"has_fibre": True, "tslcd": "connected"}), today=TODAY)
    download = result.items["download"]
    assert download.status is Status.MISSING
    assert download.advice == "Chưa đánh giá được: cần trả lời câu 2.2."
    assert download.advice_en == "Cannot be assessed yet: answer question 2.2."


def test_score__strict_templates__raises_where_a_sentence_would_print_a_dash(small):
    checklist = load_checklist_text(SMALL.replace('advice: {vi: "Lắp đặt đường cáp quang."}',
                                                  'advice: {vi: "Lắp đặt cho {n} quầy."}').replace(
        "pass: \". == true\", requirement", "let: {n: \"officers\"}, pass: \". == true\", requirement"))
    answers = Answers(values={"has_fibre": False})
    assert score(checklist, answers, today=TODAY).items["has_fibre"].advice == "Lắp đặt cho — quầy."
    with pytest.raises(TemplateRenderError):
        score(checklist, answers, today=TODAY, strict_templates=True)
