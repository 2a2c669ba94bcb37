"""Answer coercion and validation: typed values from what people type, coded errors otherwise."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.answers import AnswerError, Row, coerce, coerce_all, describe, format_number
from readiness.checklist.loader import load_checklist_text
from readiness.checklist.model import ItemType

from samples import SMALL


@pytest.mark.parametrize("raw, expected", [
    (True, True), ("Có", True), ("co", True), ("không", False), ("KHÔNG", False), (0, False), ("yes", True),
])
def test_coerce_yes_no__vietnamese_and_english_words__bool(small, raw, expected):
    assert coerce(small.item("has_fibre"), raw) is expected


@pytest.mark.parametrize("raw, expected", [
    ("12,5", 12.5), ("12.5", 12.5), (" 200 ", 200.0), (7, 7.0), ("1 000", 1000.0),
])
def test_coerce_decimal__comma_or_point__float(small, raw, expected):
    assert coerce(small.item("download"), raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("tám", "E-ANS-NUMBER"), ("12,5", "E-ANS-INTEGER"), (True, "E-ANS-NUMBER"), ("-1", "E-ANS-MIN"), (501, "E-ANS-MAX"),
    (float("nan"), "E-ANS-NUMBER"), ("1e400", "E-ANS-NUMBER"),
])
def test_coerce_integer__bad_input__coded_error_naming_item(small, raw, code):
    with pytest.raises(AnswerError) as caught:
        coerce(small.item("officers"), raw)
    assert (caught.value.code, caught.value.item) == (code, "officers")


def test_coerce_date__iso_and_vietnamese__date(small):
    item = small.item("report_date")
    assert coerce(item, "2025-11-20") == dt.date(2025, 11, 20)
    assert coerce(item, "20/11/2025") == dt.date(2025, 11, 20)
    assert coerce(item, dt.datetime(2025, 11, 20, 8, 0)) == dt.date(2025, 11, 20)
    with pytest.raises(AnswerError) as caught:
        coerce(item, "31/02/2025")
    assert caught.value.code == "E-ANS-DATE" and "không tồn tại" in caught.value.message


def test_coerce_choices__id_label_or_folded_label(small):
    assert coerce(small.item("tslcd"), "Đã kết nối") == "connected"
    assert coerce(small.item("tslcd"), "da ket noi") == "connected"
    assert coerce(small.item("providers"), "Viettel; VNPT") == ["vnpt", "viettel"]
    with pytest.raises(AnswerError) as caught:
        coerce(small.item("tslcd"), "có lẽ")
    assert caught.value.code == "E-ANS-CHOICE" and "«Đã kết nối»" in caught.value.message


def test_coerce_text__nfc_trimmed_control_characters_refused(small):
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed as combining marks
    assert coerce(small.item("respondent"), f"  {decomposed}  ") == "Nguyễn"
    with pytest.raises(AnswerError):
        coerce(small.item("respondent"), "a\x00b")
    with pytest.raises(AnswerError) as caught:
        coerce(small.item("respondent"), "x" * 5000)
    assert caught.value.code == "E-ANS-TOO-LONG"


def test_coerce_table__row_and_column_named_in_error(small):
    with pytest.raises(AnswerError) as caught:
        coerce(small.item("pcs"), [{"role": "A", "ram_gb": 8}, {"role": "B", "ram_gb": "tám"}])
    assert (caught.value.item, caught.value.row, caught.value.column) == ("pcs", 2, "ram_gb")
    with pytest.raises(AnswerError) as caught:
        coerce(small.item("pcs"), [{"role": "A", "colour": "red"}])
    assert caught.value.code == "E-ANS-COLUMN"
    rows = coerce(small.item("pcs"), [{"role": "A"}, {}, {"role": None}])
    assert [r.values for r in rows] == [{"role": "A"}]  # empty rows are dropped


def test_coerce_all__unknown_item__reported_not_raised(small):
    values, errors = coerce_all(small, {"officers": "3", "ghost": 1})
    assert values == {"officers": 3}
    assert [(e.code, e.item) for e in errors] == [("E-ANS-ITEM", "ghost")]


def test_describe__vietnamese_formats(small):
    assert describe(small.item("download"), 1234.5) == "1.234,5 Mbps"
    assert describe(small.item("download"), 1234.5, "en") == "1,234.5 Mbps"
    assert describe(small.item("report_date"), dt.date(2025, 11, 2)) == "02/11/2025"
    assert describe(small.item("providers"), ["vnpt", "other"], "en") == "VNPT; Other"
    assert describe(small.item("pcs"), [Row({"role": "A"})]) == "1 dòng"
    assert format_number(0.5) == "0,5"


ANY_INPUT = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=80)
    | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


SMALL_CHECKLIST = load_checklist_text(SMALL)


@settings(max_examples=400, deadline=None)
@given(raw=ANY_INPUT, item_id=st.sampled_from(["respondent", "officers", "report_date", "has_fibre", "download",
                                                 "providers", "tslcd", "pcs", "email"]))
def test_coerce__any_input__typed_value_or_coded_error(raw, item_id):
    item = SMALL_CHECKLIST.item(item_id)
    try:
        value = coerce(item, raw)
    except AnswerError as error:
        assert error.code.startswith("E-ANS-") and error.message
        return
    expected = {
        ItemType.TEXT: str, ItemType.INTEGER: int, ItemType.DECIMAL: float, ItemType.DATE: dt.date,
        ItemType.YES_NO: bool, ItemType.SINGLE_CHOICE: str, ItemType.MULTI_CHOICE: list, ItemType.TABLE: list,
    }[item.type]
    assert value is None or isinstance(value, expected)
    if item.type is ItemType.INTEGER and value is not None:
        assert not isinstance(value, bool)
    # a coerced value coerces to itself: what is stored reads back unchanged
    assert coerce(item, value) == value


@pytest.mark.parametrize("raw, expected", [
    ("1.000", 1000.0), ("1.250,5", 1250.5), ("10.000.000", 10_000_000.0), ("12.5", 12.5), ("1.00", 1.0),
])
def test_coerce_decimal__vietnamese_thousand_groups__read_as_thousands(small, raw, expected):
    assert coerce(small.item("download"), raw) == expected


def test_coerce_text__line_breaks_kept_spaces_collapsed(small):
    typed = "  Máy tính cũ,  chậm.\r\n\r\n\r\nĐề nghị   thay mới.  "
    assert coerce(small.item("respondent"), typed) == "Máy tính cũ, chậm.\n\nĐề nghị thay mới."


_RAWS = [None, "", "   ", [], [""], True, False, 0, 1, 2, 7.0, 12.5, -1, 501, float("nan"), "12,5", "1.000", " 200 ",
         "tám", "Có", "không", "x", "vnpt", " vnpt ", "VNPT", "Viettel", "vnpt;other", ["vnpt", "other", "vnpt"],
         "2025-11-02", "02/11/2025", "31/02/2025", dt.date(2025, 11, 2), dt.datetime(2025, 11, 2, 8, 30),
         "  Nguye\u0302\u0303n  ", "a\x00b", "x" * 199, "x" * 201, "x" * 5000, {"a": 1}, ("vnpt",)]


def _by_rule(spec, raw):
    """What coerce gave before each spec had its own converter: blank -> None, else the type's rule, errors
    located at the item."""
    from readiness import answers

    if answers._is_blank(raw):
        return None
    try:
        return answers._coerce_scalar(spec, raw)
    except AnswerError as error:
        raise error.located(item=error.item or spec.id) from None


def _outcome(call, *args):
    try:
        return ("value", call(*args))
    except AnswerError as error:
        return ("error", error.code, error.item, error.column, error.row, error.message)


def test_coerce__each_scalar_item_and_column__same_as_its_type_rule(small):
    specs = [item for item in small.items() if item.type is not ItemType.TABLE]
    specs += [column for item in small.items() for column in item.columns or ()]
    assert {spec.type for spec in specs} >= set(ItemType) - {ItemType.TABLE}
    for spec in specs:
        for raw in _RAWS:
            for _ in range(2):  # the second time from the converter's (and the short texts') cache
                assert _outcome(coerce, spec, raw) == _outcome(_by_rule, spec, raw), (spec.id, raw)


def test_coerce_table__rows_of_dicts_and_rows__same_values_sources_and_errors(small):
    pcs = small.item("pcs")
    rows = coerce(pcs, [{"role": " A ", "ram_gb": "8", "_source": "carried", "_meta": {"k": 1}},
                        Row(values={"role": "B"}, id=7, source="typed"), {"role": "  "}])
    assert [(r.values, r.id, r.source, r.meta) for r in rows] == [
        ({"role": "A", "ram_gb": 8}, None, "carried", {"k": 1}), ({"role": "B"}, 7, "typed", None)]
    for raw, expected in [("rows", ("E-ANS-TABLE", "pcs", None, None)), ([{"role": "A"}, 3], ("E-ANS-TABLE", "pcs", None, 2)),
                          ([{"role": {"a": 1}}], ("E-ANS-TEXT", "pcs", "role", 1))]:
        with pytest.raises(AnswerError) as caught:
            coerce(pcs, raw)
        assert (caught.value.code, caught.value.item, caught.value.column, caught.value.row) == expected


def test_row_to_json__each_answered_cell_as_to_json_gives_it__in_the_columns_order(small):
    from readiness.answers import row_to_json, to_json

    pcs = small.item("pcs")
    values = {"bought": dt.date(2024, 2, 29), "os": "win11", "role": "Kế toán", "ram_gb": 8.0, "ghost": 1}
    expected = {column.id: to_json(column, values[column.id]) for column in pcs.columns if values.get(column.id) is not None}
    for _ in range(2):  # the second time from the table's cached columns
        written = row_to_json(pcs, values)
        assert list(written.items()) == list(expected.items()) == [
            ("role", "Kế toán"), ("ram_gb", 8.0), ("os", "win11"), ("bought", "2024-02-29")]
    assert row_to_json(pcs, {"role": None}) == {}
