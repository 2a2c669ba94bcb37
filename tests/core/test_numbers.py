"""One number format (issue 17 §2): readiness.numbers writes every number; years and codes are never
grouped; the CLI in Vietnamese writes decimal commas and no English status word."""

from __future__ import annotations

import re

import pytest

from readiness.answers import describe
from readiness.numbers import integer, is_plain, number, percent, round_score, score, share


def test_number__vietnamese_and_english():
    assert number(12345.5) == "12.345,5" and number(12345.5, "en") == "12,345.5"
    assert number(3321) == "3.321" and integer(3321, "en") == "3,321"
    assert number(2021, grouped=False) == "2021"
    assert number(0.125) == "0,13" and number(1.0) == "1"
    assert percent(1, 3) == "33,3%" and percent(0, 0) == "0%" and share(0.973) == "97%"


@pytest.mark.parametrize("value, vi, en", [(72.25, "72,3", "72.3"), (80.0, "80", "80"), (59.95, "60", "60"),
                                           (9.09090909, "9,1", "9.1"), (0.04, "0", "0"), (None, "—", "—")])
def test_score__one_rounding_half_up_for_every_output(value, vi, en):
    assert score(value) == vi and score(value, "en") == en
    if value is not None:
        assert round_score(value) == float(en)


@pytest.mark.parametrize("value, vi, en", [(66.0, "66,0", "66.0"), (72.25, "72,3", "72.3"), (59.95, "60,0", "60.0"),
                                           (100, "100,0", "100.0"), (None, "—", "—")])
def test_score__fixed__a_column_of_scores_always_one_decimal(value, vi, en):
    """In a table's column «66» beside «63,6» reads as another kind of number: ``fixed`` keeps the decimal."""
    assert score(value, fixed=True) == vi and score(value, "en", fixed=True) == en
    if value is not None:
        assert score(value, fixed=True).startswith(score(value))


def test_window_chart_and_pdf__section_scores_written_alike(real_checklist):
    """The window's bar text and the PDF's (chart and annex) come from the same function."""
    from readiness.exchange.pdf_charts import score_bar_chart

    rows = [("a", 79.95), ("b", 9.0909), ("c", None)]
    drawing = score_bar_chart(rows, 400, colours=["#000000"] * 3, axis_title="x")
    chart = next(node for node in drawing.contents if hasattr(node, "barLabelArray"))
    # a chart's values keep their decimal, as a table's column does («80,0» beside «9,1»)
    assert list(reversed(chart.barLabelArray[0])) == ["80,0", "9,1", "—"]


def _numeric_specs(checklist):
    for item in checklist.items():
        yield item
        yield from item.columns or ()


def _year_or_code(spec) -> bool:
    """Told apart without readiness.numbers: a year or a code by its id, its label or its four-digit bounds."""
    if spec.type.value != "integer":
        return False
    text = f"{spec.id} {spec.label.vi} {spec.label.en or ''}".lower()
    bounds = re.findall(r"\d+", spec.constraint.expr) if spec.constraint else []
    four_digits = len(bounds) >= 2 and all(1000 <= int(b) <= 9999 for b in bounds)
    return "year" in text or text.split(" ", 1)[1].startswith("năm") or "code" in spec.id or four_digits


def test_every_numeric_question_of_every_checklist__years_and_codes_never_grouped():
    from readiness.checklist.loader import default_library

    library = default_library()
    years = []
    for checklist_id, version in library.available():
        for spec in _numeric_specs(library.get(checklist_id, version)):
            if spec.type.value not in ("integer", "decimal"):
                continue
            if _year_or_code(spec):
                years.append(spec.id)
                assert is_plain(spec), spec.id
                assert describe(spec, 2021) == "2021" and describe(spec, 2021, "en") == "2021"
            else:
                assert not is_plain(spec), spec.id
                text = describe(spec, 12345)
                assert text.startswith("12.345"), (spec.id, text)
    assert "year" in years  # the PC table's «Năm mua»

