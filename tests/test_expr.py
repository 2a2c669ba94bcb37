"""Tests of the checklist expression language (readiness.expr)."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:
    from readiness import expr
except ImportError:  # running from a source tree without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
    from readiness import expr

from readiness.expr import (
    ExpressionError,
    ExpressionNameError,
    ExpressionSyntaxError,
    ExpressionTypeError,
    NameRef,
    Scope,
    evaluate,
    parse,
    truthy,
)

TODAY = dt.date(2026, 1, 1)


def scope(current: object = None, *, strict: bool = False, thresholds: dict | None = None, **values: object) -> Scope:
    return Scope(values, thresholds=thresholds or {}, current=current, today=TODAY, strict=strict)


def ev(text: str, current: object = None, **values: object) -> object:
    return evaluate(text, scope(current, **values))


def syntax_error(text: str) -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text)
    assert info.value.expression == text
    return info.value


def type_error(text: str, **values: object) -> ExpressionTypeError:
    with pytest.raises(ExpressionTypeError) as info:
        ev(text, **values)
    assert info.value.code == "E-EXPR-TYPE"
    assert info.value.expression == text
    return info.value


PCS = [
    {"cores": 4, "ram_gb": 8, "storage_type": "ssd", "storage_gb": 256, "os": "win11"},
    {"cores": 8, "ram_gb": 16, "storage_type": "ssd", "storage_gb": 512, "os": "win10"},
    {"cores": 2, "ram_gb": 4, "storage_type": "hdd", "storage_gb": 500, "os": "win7"},
    {"cores": 4, "ram_gb": None, "storage_type": "ssd", "storage_gb": 240, "os": "win11"},
]
PC_THRESHOLDS = {"min_cores": 4, "min_ram_gb": 8, "min_ssd_gb": 240, "min_download_mbps": 50}


# -- literals -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), ("0", 0), ("0.8", 0.8), ("007", 7), ("'abc'", "abc"), ('"abc"', "abc"), ("''", ""),
    ("true", True), ("false", False), ("null", None), (r"'it\'s'", "it's"), (r'"say \"hi\""', 'say "hi"'),
    (r"'a\\b'", "a\\b"), ('"it\'s"', "it's"), ("'Sẵn sàng'", "Sẵn sàng"), ("date('2026-10-13')", dt.date(2026, 10, 13)),
])
def test_literal__valid__evaluates_to_value(text: str, value: object) -> None:
    result = ev(text)
    assert result == value and type(result) is type(value)


def test_literal__list_after_in__is_membership() -> None:
    assert ev("'b' in ['a', 'b']") is True
    assert ev("'c' in ['a', 'b']") is False
    assert ev("'c' in []") is False
    assert ev("x in [1, 2.5, 3]", x=2.5) is True


def test_literal__list_elsewhere__is_syntax_error() -> None:
    error = syntax_error("['a'] == x")
    assert error.code == "E-EXPR-SYNTAX" and error.position == 0
    assert syntax_error("len(['a'])").position == 4


def test_literal__whitespace_and_newlines__are_ignored() -> None:
    assert ev(" \t1 +\n 2\r\n") == 3


# -- names, current value, thresholds ------------------------------------------------------------
def test_name__in_scope__gives_its_value() -> None:
    assert ev("officers", officers=3) == 3
    assert ev("_x1", _x1="v") == "v"


def test_name__absent__is_null() -> None:
    assert ev("missing") is None
    assert ev("missing == null") is True


def test_name__absent_in_strict_scope__raises_name_error_with_position() -> None:
    with pytest.raises(ExpressionNameError) as info:
        evaluate("1 + missing", scope(strict=True))
    assert info.value.code == "E-EXPR-NAME" and info.value.position == 4 and info.value.expression == "1 + missing"


def test_current__dot__is_the_current_value() -> None:
    assert ev(". >= 0 and . <= 10000", 5) is True
    assert ev(". >= 0 and . <= 10000", 20000) is False
    assert ev(". >= 0 and . <= 10000", None) is None


def test_threshold__defined__gives_its_value() -> None:
    assert evaluate("$limit * 2", scope(thresholds={"limit": 21})) == 42


def test_threshold__undefined__raises_name_error_even_when_not_strict() -> None:
    with pytest.raises(ExpressionNameError) as info:
        evaluate("x > $nope", scope(x=1))
    assert info.value.code == "E-EXPR-NAME" and info.value.position == 4 and "$nope" in info.value.message


def test_scope__decimal_and_datetime_values__are_normalized() -> None:
    assert ev("x + 1", x=Decimal("1.5")) == 2.5
    assert ev("x + 1", x=Decimal("2")) == 3
    assert ev("d == date('2026-10-13')", d=dt.datetime(2026, 10, 13, 8, 30)) is True
    assert ev("len(t)", t=("a", "b")) == 2


# -- precedence and associativity ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 - 2 - 3", 5), ("12 / 2 / 3", 2.0), ("-2 * 3", -6), ("- -2", 2),
    ("2 * -3", -6), ("1 - -1", 2), ("2 + 3 > 4", True), ("1 + 1 == 2 and 2 * 2 == 4", True),
    ("true or true and false", True), ("(true or true) and false", False), ("not false and false", False),
    ("not (false and false)", True), ("not 1 == 2", True), ("not not true", True), ("false or not false", True),
    ("(1 < 2) == true", True), ("-(2 + 3)", -5), ("2 - 3 * 4 / 2", -4.0),
])
def test_precedence__mixed_operators__bind_as_documented(text: str, value: object) -> None:
    assert ev(text) == value


def test_precedence__not_binds_looser_than_comparison__negates_the_comparison() -> None:
    assert ev("not a == b", a=1, b=2) is True
    assert ev("not a in ['x']", a="x") is False


def test_precedence__not_in__is_one_operator() -> None:
    assert ev("x not in ['a','b']", x="c") is True
    assert ev("x not in ['a','b']", x="a") is False
    assert ev("x not in ['a','b']") is None


# -- three-valued logic -------------------------------------------------------------------------
T, F, N = True, False, None
LOGIC = {"true": T, "false": F, "null": N}
AND_TABLE = {(T, T): T, (T, F): F, (T, N): N, (F, T): F, (F, F): F, (F, N): F, (N, T): N, (N, F): F, (N, N): N}
OR_TABLE = {(T, T): T, (T, F): T, (T, N): T, (F, T): T, (F, F): F, (F, N): N, (N, T): T, (N, F): N, (N, N): N}


@pytest.mark.parametrize("left", LOGIC)
@pytest.mark.parametrize("right", LOGIC)
def test_logic__and_or_truth_table__is_kleene(left: str, right: str) -> None:
    a, b = LOGIC[left], LOGIC[right]
    assert ev(f"{left} and {right}") is AND_TABLE[(a, b)]
    assert ev(f"{left} or {right}") is OR_TABLE[(a, b)]
    assert ev("x and y", x=a, y=b) is AND_TABLE[(a, b)]
    assert ev("not (x or y)", x=a, y=b) is ev("not x and not y", x=a, y=b)  # De Morgan holds


@pytest.mark.parametrize(("text", "value"), [("not true", F), ("not false", T), ("not null", N)])
def test_logic__not__keeps_null(text: str, value: object) -> None:
    assert ev(text) is value


def test_logic__false_decides_and__later_operands_are_not_evaluated() -> None:
    assert ev("answered(s) and len(s) > 3", s=None) is False
    assert ev("false and 1 + 'a' == 2") is False
    assert ev("true or 1 + 'a' == 2") is True


def test_logic__null_then_false__is_false() -> None:
    assert ev("x > 1 and false") is False
    assert ev("x > 1 or true") is True


def test_logic__non_boolean_operand__raises_type_error_at_operand() -> None:
    error = type_error("true and 1")
    assert error.position == 9
    type_error("not 'a'")
    type_error("x or false", x=3)


@pytest.mark.parametrize("text", [
    "x < 1", "x == 1", "1 != x", "x + 1", "1 - x", "x * 2", "2 / x", "-x", "x in ['a']", "'a' in x", "x >= date('2026-01-01')",
])
def test_null__operand_of_comparison_or_arithmetic__gives_null(text: str) -> None:
    assert ev(text) is None


def test_null__explicit_null_comparison__tests_for_null() -> None:
    assert ev("x == null") is True
    assert ev("x == null", x=0) is False
    assert ev("x != null", x=0) is True
    assert ev("null == x", x="") is False
    assert ev("null != x") is False
    assert ev("null == null") is True
    assert ev("x == y", x=1) is None  # a null *value* is unknown, only the literal tests


def test_null__division_by_zero__gives_null() -> None:
    assert ev("1 / 0") is None
    assert ev("x / y", x=5, y=0.0) is None


# -- types ----------------------------------------------------------------------------------------
def test_types__int_and_float__mix_and_compare() -> None:
    assert ev("1 == 1.0") is True
    assert ev("1 + 0.5") == 1.5
    assert ev("3 / 2") == 1.5
    assert ev("2 < 2.5") is True


def test_types__strings__compare_lexicographically_and_exactly() -> None:
    assert ev("'abc' < 'abd'") is True
    assert ev("endpoint_type != 'none'", endpoint_type="vpn") is True
    assert ev("endpoint_type != 'none'", endpoint_type="none") is False
    assert ev("'VNPT' == 'vnpt'") is False
    assert ev("'pt' in 'vnpt'") is True


@pytest.mark.parametrize(("text", "position"), [
    ("'a' < 1", 4), ("date('2026-01-01') < 3", 19), ("true + 1", 5), ("true == 1", 5), ("true < false", 5),
    ("'a' + 'b'", 4), ("-'a'", 0), ("'a' * 2", 4), ("1 in 2", 2), ("1 in 'abc'", 2), ("'b' in ['a', 1]", 4),
    ("tags == 'x'", 5),
])
def test_types__incompatible_operands__raise_type_error(text: str, position: int | None) -> None:
    error = type_error(text, tags=["x"])
    if position is not None:
        assert error.position == position


def test_types__dates__compare_and_subtract_to_days() -> None:
    assert ev("date('2026-10-13') - today()") == 285
    assert ev("date('2026-01-02') > today()") is True
    assert ev("d == date('2026-01-01')", d=TODAY) is True
    assert ev("today() + 31 == date('2026-02-01')") is True
    assert ev("today() - 1 == date('2025-12-31')") is True


def test_types__date_out_of_range__raises_type_error() -> None:
    type_error("date('9999-12-31') + 1")


def test_types__huge_numbers__raise_type_error_not_overflow() -> None:
    big = "9" * 400
    type_error(f"{big} / 3")
    type_error(f"{big} * 0.5")
    with pytest.raises(ExpressionSyntaxError):
        parse(big + ".0")  # a float literal beyond the double range
    assert ev(f"{big} > 1") is True


def test_truthy__values__only_booleans_and_null_are_conditions() -> None:
    assert truthy(True) is True and truthy(False) is False and truthy(None) is None
    for value in (0, 1, "", "true", [], 0.0):
        with pytest.raises(ExpressionTypeError):
            truthy(value)


# -- functions ------------------------------------------------------------------------------------
def test_selected__multi_choice__tests_membership() -> None:
    assert ev("selected(providers, 'vnpt')", providers=["vnpt", "viettel"]) is True
    assert ev("selected(providers, 'fpt')", providers=["vnpt"]) is False
    assert ev("selected(providers, 'fpt')", providers=[]) is False
    assert ev("selected(providers, 'fpt')") is None
    type_error("selected(p, 'a')", p="a")
    type_error("selected(p, 1)", p=["a"])


def test_count_selected__list_or_null__counts_or_gives_null() -> None:
    assert ev("count_selected(p)", p=["a", "b"]) == 2
    assert ev("count_selected(p)", p=[]) == 0
    assert ev("count_selected(p)") is None
    type_error("count_selected(p)", p="a")


def test_len__string_or_list__gives_length() -> None:
    assert ev("len('Sẵn sàng')") == 8
    assert ev("len(p)", p=[1, 2, 3]) == 3
    assert ev("len(p)") is None
    type_error("len(3)")


def test_coalesce__first_null__gives_second() -> None:
    assert ev("coalesce(x, 0)") == 0
    assert ev("coalesce(x, 0)", x=5) == 5
    assert ev("coalesce(x, 1 + 'a')", x=5) == 5  # lazy


@pytest.mark.parametrize(("value", "expected"), [
    (None, False), ("", False), ("   ", False), ([], False), ("x", True), (0, True), (False, True), (["a"], True),
])
def test_answered__values__true_only_for_real_answers(value: object, expected: bool) -> None:
    assert ev("answered(x)", x=value) is expected


def test_if__condition__chooses_a_branch_lazily() -> None:
    text = "if(officers > 0, pcs_count / officers, null)"
    assert ev(text, officers=4, pcs_count=6) == 1.5
    assert ev(text, officers=0, pcs_count=6) is None
    assert ev(text) is None
    assert ev("if(true, 1, 1 + 'a')") == 1
    assert ev("if(false, 1 + 'a', 2)") == 2
    type_error("if(1, 2, 3)")


@pytest.mark.parametrize(("text", "value"), [
    ("round(2.675, 2)", 2.68), ("round(2.5, 0)", 3.0), ("round(-2.5, 0)", -3.0), ("round(1.25, 1)", 1.3),
    ("round(7, 2)", 7), ("round(1250, -2)", 1300), ("round(1249, -2)", 1200), ("round(x, 1)", None),
    ("round(1.5, x)", None), ("round(1/3, 3)", 0.333),
])
def test_round__values__round_half_away_from_zero(text: str, value: object) -> None:
    result = ev(text)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize("text", ["round('a', 1)", "round(1.5, 0.5)", "round(1.5, 16)", "round(1.5, true)"])
def test_round__bad_arguments__raise_type_error(text: str) -> None:
    type_error(text)


def test_abs__number__gives_magnitude() -> None:
    assert ev("abs(-3)") == 3 and ev("abs(2.5)") == 2.5 and ev("abs(x)") is None
    type_error("abs('a')")


def test_today__injected__is_used() -> None:
    assert ev("today()") == TODAY
    assert evaluate("today()", Scope({})) == dt.date.today()


def test_days_until_and_since__dates__count_days_from_today() -> None:
    assert ev("days_until(d)", d=dt.date(2026, 1, 31)) == 30
    assert ev("days_since(d)", d=dt.date(2025, 12, 22)) == 10
    assert ev("days_until(d)", d=dt.date(2025, 12, 31)) == -1
    assert ev("days_until(d)") is None and ev("days_since(d)") is None
    type_error("days_until('2026-01-01')")


@pytest.mark.parametrize(("text", "ok"), [
    ("ubnd@hanoi.gov.vn", True), ("a.b+c@x-y.com.vn", True), (" x@y.vn ", True), ("x@y", False), ("@y.vn", False),
    ("x@@y.vn", False), ("x y@z.vn", False), ("x@y..vn", False), ("", False), ("a" * 300 + "@x.vn", False),
])
def test_is_email__strings__checks_shape(text: str, ok: bool) -> None:
    assert ev("is_email(s)", s=text) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("0912345678", True), ("0912 345 678", True), ("0912.345.678", True), ("+84912345678", True), ("+84 91 234 5678", True),
    ("024 3825 1234", True), ("912345678", True), ("12345", False), ("0912-345-678", False), ("+1 912345678", False),
    ("09123456789012", False), ("phone", False), ("", False), ("0 9 1 2 3 4 5 6 7 8", True),
])
def test_is_phone__strings__accepts_vietnamese_numbers(text: str, ok: bool) -> None:
    assert ev("is_phone(s)", s=text) is ok


def test_text_checks__null_or_non_text__null_or_type_error() -> None:
    assert ev("is_email(s)") is None and ev("is_phone(s)") is None
    type_error("is_phone(912345678)")


def test_text_checks__hostile_strings__answer_quickly() -> None:
    hostile = ["a" * 100_000, "a@" + "a." * 50_000, "a@" + "-" * 100_000 + ".", "0" * 100_000, "+84" + " " * 100_000]
    start = time.perf_counter()
    for text in hostile:
        assert ev("is_email(s) or is_phone(s)", s=text) is False
    assert time.perf_counter() - start < 1.0


# -- table aggregates -----------------------------------------------------------------------------
def pc_scope(**extra: object) -> Scope:
    return Scope({"pcs": PCS, **extra}, thresholds=PC_THRESHOLDS, today=TODAY)


def test_share__brief_example__computes_fraction_of_rows() -> None:
    text = ("share(pcs, cores >= $min_cores and ram_gb >= $min_ram_gb and storage_type == 'ssd' "
            "and storage_gb >= $min_ssd_gb and os in ['win10', 'win11'])")
    assert evaluate(text, pc_scope()) == 0.5  # row 4 has ram unknown: not counted as passing
    assert evaluate(text + " >= 0.8", pc_scope()) is False


def test_share__no_rows_or_null_table__is_null() -> None:
    assert ev("share(t, x > 1)", t=[]) is None
    assert ev("share(t, x > 1)") is None


def test_count__rows__counts_all_or_matching() -> None:
    assert evaluate("count(pcs)", pc_scope()) == 4
    assert evaluate("count(pcs, os == 'win11')", pc_scope()) == 2
    assert evaluate("count(pcs, ram_gb >= 8)", pc_scope()) == 2
    assert ev("count(t)") == 0 and ev("count(t, x)") == 0  # null table: zero rows


def test_count_rows__count_with_condition__the_rows_it_counts() -> None:
    """The per-row findings the department's needs use: the same condition, which rows (0-based)."""
    from readiness.expr import parse

    for text in ("count(pcs, os == 'win11')", "count(pcs, ram_gb >= 8)", "count(pcs, cores < 4 or os == 'win7')"):
        rows = parse(text).count_rows(pc_scope())
        assert rows is not None and len(rows) == evaluate(text, pc_scope())
    assert parse("count(pcs, ram_gb >= 8)").count_rows(pc_scope()) == [i for i, row in enumerate(PCS)
                                                                        if (row.get("ram_gb") or 0) >= 8]
    assert parse("count(pcs, ram_gb >= 8)").counted_table == "pcs"
    for text in ("count(pcs)", "share(pcs, os == 'win11')", "count(pcs, os == 'win11') + 1", "1"):
        assert parse(text).count_rows(pc_scope()) is None and parse(text).counted_table is None
    assert parse("count(t, x > 1)").count_rows(scope()) == []  # no table: no rows
    with pytest.raises(ExpressionError):
        parse("count(t, x)").count_rows(scope(t=[{"x": 3}]))  # a condition must be true, false or null


def test_count__certificates_expiring__uses_functions_in_row_expression() -> None:
    certificates = [{"expiry": dt.date(2026, 2, 1)}, {"expiry": dt.date(2027, 1, 1)}, {"expiry": None}]
    assert ev("count(certificates, days_until(expiry) < 90)", certificates=certificates) == 1


@pytest.mark.parametrize(("text", "value"), [
    ("min(pcs, cores)", 2), ("max(pcs, cores)", 8), ("sum(pcs, cores)", 18), ("avg(pcs, cores)", 4.5),
    ("sum(pcs, ram_gb)", 28), ("avg(pcs, ram_gb)", 28 / 3), ("min(pcs, os)", "win10"), ("max(pcs, storage_gb / 2)", 256.0),
    ("sum(pcs, if(os == 'win7', cores, null))", 2), ("sum(pcs, null)", 0), ("avg(pcs, null)", None),
    ("min(pcs, null)", None), ("max(pcs, null)", None),
])
def test_aggregates__over_rows__skip_nulls(text: str, value: object) -> None:
    assert evaluate(text, pc_scope()) == value


def test_aggregates__dates__min_and_max_work() -> None:
    rows = [{"expiry": dt.date(2026, 5, 1)}, {"expiry": dt.date(2026, 3, 1)}]
    assert ev("days_until(min(c, expiry)) < 90", c=rows) is True
    assert ev("max(c, expiry)", c=rows) == dt.date(2026, 5, 1)


def test_aggregates__empty_table__sum_zero_others_null() -> None:
    assert ev("sum(t, x)", t=[]) == 0
    assert ev("avg(t, x)", t=[]) is None
    assert ev("min(t, x)", t=[]) is None


def test_aggregates__row_scope__falls_back_to_outer_names_and_thresholds() -> None:
    rows = [{"cores": 4}, {"cores": 2}]
    s = Scope({"t": rows, "need": 3, "cores": 100}, thresholds={"few": 1}, today=TODAY)
    assert evaluate("count(t, cores >= need)", s) == 1  # the column wins over the outer 'cores'
    assert evaluate("count(t, cores > $few)", s) == 2
    assert evaluate("cores", s) == 100


def test_aggregates__nested__inner_table_found_from_row_scope() -> None:
    s = scope(t=[{"a": 1}, {"a": 2}], u=[{"b": 1}, {"b": 5}])
    assert evaluate("count(t, count(u, b > a) == 1)", s) == 2


@pytest.mark.parametrize("text", ["count(t)", "sum(t, 1)"])
def test_aggregates__not_a_table__raise_type_error(text: str) -> None:
    type_error(text, t=["a", "b"])
    type_error(text, t=3)


@pytest.mark.parametrize("text", ["count(t, x > 1)", "avg(t, x)"])
def test_aggregates__not_a_table__message_names_the_function_and_the_value_at_its_position(text: str) -> None:
    func = text.split("(")[0]
    error = type_error("1 + " + text, t=3)
    assert f"{func}() needs a table item, but 't' is" in str(error)
    assert error.position == 4  # the aggregate's own position in the expression
    if func == "count":  # count_rows() reports it the same way
        with pytest.raises(ExpressionTypeError) as info:
            parse(text).count_rows(scope(t=3))
        assert f"count() needs a table item, but 't' is" in str(info.value) and info.value.position == 0


def test_aggregates__unknown_table__name_error_at_the_aggregate() -> None:
    with pytest.raises(ExpressionNameError) as info:
        evaluate("1 + count(nope)", scope(strict=True))
    assert info.value.position == 4
    with pytest.raises(ExpressionNameError) as info:
        parse("count(nope, x > 1)").count_rows(scope(strict=True))
    assert info.value.position == 0


def test_aggregates__non_numbers_for_sum_or_mixed_for_min__raise_type_error() -> None:
    type_error("sum(t, x)", t=[{"x": "a"}])
    type_error("avg(t, x)", t=[{"x": True}])
    type_error("min(t, x)", t=[{"x": 1}, {"x": "a"}])
    type_error("count(t, x)", t=[{"x": 1}])


def test_scope__with_row__sees_later_changes_of_the_row_mapping() -> None:
    computed: dict[str, object] = {}
    s = scope(a=1).with_row(computed)
    computed["b"] = 2
    assert evaluate("a + b", s) == 3


def test_scope__with_current__keeps_values_thresholds_and_today() -> None:
    base = Scope({"a": 1}, thresholds={"t": 2}, today=TODAY, strict=True)
    child = base.with_current(3).with_row({"r": 4})
    assert evaluate(". + a + $t + r", child) == 10 and evaluate("today()", child) == TODAY
    with pytest.raises(ExpressionNameError):
        evaluate("nope", child)


# -- the static information of an expression -------------------------------------------------------
def test_names__plain_and_row_names__listed_once_in_order_with_context() -> None:
    e = parse("b + a > 1 and share(pcs, cores >= $min_cores and a > 0) > b and count(t)")
    assert e.names() == [NameRef("b", None), NameRef("a", None), NameRef("cores", "pcs"), NameRef("a", "pcs")]
    assert e.thresholds() == {"min_cores"}
    assert e.tables() == {"pcs", "t"}
    assert e.uses_current() is False


def test_names__nested_aggregates__innermost_table_is_the_context() -> None:
    e = parse("count(t, count(u, b > a) == 1 and c)")
    assert e.names() == [NameRef("b", "u"), NameRef("a", "u"), NameRef("c", "t")]
    assert e.tables() == {"t", "u"}


def test_names__current_and_functions__are_not_names() -> None:
    e = parse("if(. > 0, round(. / $x, 2), today() - date('2026-01-01'))")
    assert e.names() == [] and e.uses_current() is True and e.thresholds() == {"x"} and e.tables() == set()


def test_names__results__are_copies() -> None:
    e = parse("a and $b")
    e.names().clear()
    e.thresholds().clear()
    assert e.names() == [NameRef("a", None)] and e.thresholds() == {"b"}


def test_parse__same_text__is_cached() -> None:
    assert parse("a + 1") is parse("a + 1")
    assert parse("a + 1").source == "a + 1"


def test_expression__shared_by_the_cache__cannot_change() -> None:
    e = parse("a")
    with pytest.raises(AttributeError):
        e.source = "b"  # type: ignore[misc]
    assert repr(e) == "Expression('a')"


def test_nameref__frozen__cannot_change() -> None:
    ref = NameRef("a", None)
    with pytest.raises(AttributeError):
        ref.name = "b"  # type: ignore[misc]


# -- syntax errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "code", "position"), [
    ("(a + 1", "E-EXPR-SYNTAX", 0),
    ("f(1", "E-EXPR-FUNC", 0),
    ("len(a", "E-EXPR-SYNTAX", 3),
    ("a + (b * (c - 1)", "E-EXPR-SYNTAX", 4),
    ("x in ['a', 'b'", "E-EXPR-SYNTAX", 5),
    ("'abc", "E-EXPR-SYNTAX", 0),
    ("a == \"abc", "E-EXPR-SYNTAX", 5),
    ("a b", "E-EXPR-SYNTAX", 2),
    ("a + 1)", "E-EXPR-SYNTAX", 5),
    ("(a) (b)", "E-EXPR-SYNTAX", 4),
    ("a < b < c", "E-EXPR-SYNTAX", 6),
    ("a == b != c", "E-EXPR-SYNTAX", 7),
    ("a in b in c", "E-EXPR-SYNTAX", 7),
    ("a < b not in c", "E-EXPR-SYNTAX", 6),
    ("foo(1)", "E-EXPR-FUNC", 0),
    ("1 + eval('1')", "E-EXPR-FUNC", 4),
    ("__import__('os')", "E-EXPR-FUNC", 0),
    ("count(1+2)", "E-EXPR-TABLE-ARG", 6),
    ("count($t)", "E-EXPR-TABLE-ARG", 6),
    ("share(t.x, 1)", "E-EXPR-TABLE-ARG", 6),
    ("sum(count(t), 1)", "E-EXPR-TABLE-ARG", 4),
    ("count('t')", "E-EXPR-TABLE-ARG", 6),
    ("count()", "E-EXPR-ARITY", 0),
    ("count(t, a, b)", "E-EXPR-ARITY", 0),
    ("share(t)", "E-EXPR-ARITY", 0),
    ("1 + round(1)", "E-EXPR-ARITY", 4),
    ("today(1)", "E-EXPR-ARITY", 0),
    ("if(a, b)", "E-EXPR-ARITY", 0),
    ("date()", "E-EXPR-ARITY", 0),
    ("date('2026-01-01', 1)", "E-EXPR-ARITY", 0),
    ("date(x)", "E-EXPR-SYNTAX", 5),
    ("date('13/10/2026')", "E-EXPR-SYNTAX", 5),
    ("date('2026-02-30')", "E-EXPR-SYNTAX", 5),
    ("date('20261013')", "E-EXPR-SYNTAX", 5),
    ("", "E-EXPR-SYNTAX", 0),
    ("   ", "E-EXPR-SYNTAX", 0),
    ("1 +", "E-EXPR-SYNTAX", 3),
    ("and", "E-EXPR-SYNTAX", 0),
    ("a = 1", "E-EXPR-SYNTAX", 2),
    ("a && b", "E-EXPR-SYNTAX", 2),
    ("a || b", "E-EXPR-SYNTAX", 2),
    ("!a", "E-EXPR-SYNTAX", 0),
    ("a ** 2", "E-EXPR-SYNTAX", 3),
    ("a % 2", "E-EXPR-SYNTAX", 2),
    (".5", "E-EXPR-SYNTAX", 0),
    ("5.", "E-EXPR-SYNTAX", 0),
    ("1.2.3", "E-EXPR-SYNTAX", 0),
    ("1e5", "E-EXPR-SYNTAX", 0),
    ("0x10", "E-EXPR-SYNTAX", 0),
    ("a.b", "E-EXPR-SYNTAX", 1),
    ("$", "E-EXPR-SYNTAX", 0),
    ("$1", "E-EXPR-SYNTAX", 0),
    ("x == True", "E-EXPR-SYNTAX", 5),
    ("x == None", "E-EXPR-SYNTAX", 5),
    ("a AND b", "E-EXPR-SYNTAX", 2),
    ("đ", "E-EXPR-SYNTAX", 0),
    ("a + đạt", "E-EXPR-SYNTAX", 4),
    ("số_máy > 1", "E-EXPR-SYNTAX", 1),
    ("a\x00", "E-EXPR-SYNTAX", 1),
    ("'a\x00b'", "E-EXPR-SYNTAX", 2),
    ("'line\nbreak'", "E-EXPR-SYNTAX", 5),
    ("a\u00a0+ b", "E-EXPR-SYNTAX", 1),
    ("１ + 1", "E-EXPR-SYNTAX", 0),
    ("'a\\n'", "E-EXPR-SYNTAX", 2),
    ("'a\\", "E-EXPR-SYNTAX", 2),
    ("[", "E-EXPR-SYNTAX", 0),
    ("x in [1,]", "E-EXPR-SYNTAX", 8),
    ("x in [1 2]", "E-EXPR-SYNTAX", 8),
    ("f(,)", "E-EXPR-FUNC", 0),
    ("len(,)", "E-EXPR-SYNTAX", 4),
    ("not", "E-EXPR-SYNTAX", 3),
    ("x not y", "E-EXPR-SYNTAX", 2),
    ("a == not b", "E-EXPR-SYNTAX", 5),
    ("+1", "E-EXPR-SYNTAX", 0),
    ("a < ", "E-EXPR-SYNTAX", 4),
    ("lambda: 1", "E-EXPR-SYNTAX", 6),
])
def test_parse__malformed__raises_syntax_error_with_code_and_position(text: str, code: str, position: int) -> None:
    error = syntax_error(text)
    assert (error.code, error.position) == (code, position), error
    assert error.message and error.code in str(error)


def test_parse__unclosed_paren__message_names_the_opening() -> None:
    assert "never closed" in syntax_error("(a + 1").message


def test_parse__non_string__is_a_type_error_of_the_caller() -> None:
    with pytest.raises(TypeError):
        parse(12)  # type: ignore[arg-type]


def test_parse__text_at_limit__parses_and_one_more_is_too_long() -> None:
    text = "a" * expr.MAX_LENGTH
    assert parse(text).names() == [NameRef(text, None)]
    assert syntax_error(text + " ").code == "E-EXPR-TOO-LONG"


def test_parse__one_megabyte__too_long_fast() -> None:
    start = time.perf_counter()
    for text in ("'" + "x" * 1_000_000 + "'", "(" * 1_000_000, "a" * 1_000_000):
        error = syntax_error(text)
        assert error.code == "E-EXPR-TOO-LONG" and error.position == expr.MAX_LENGTH
    assert time.perf_counter() - start < 1.0


def test_parse__ten_thousand_parens__rejected_without_recursion_error() -> None:
    assert syntax_error("(" * 10_000 + "a" + ")" * 10_000).code == "E-EXPR-TOO-LONG"
    assert syntax_error("(" * 999 + "a").code == "E-EXPR-TOO-DEEP"


@pytest.mark.parametrize(("opener", "closer"), [("(", ")"), ("-", ""), ("not ", ""), ("abs(", ")"), ("x in [", "]"), ("count(t, ", ")")])
def test_parse__nesting_beyond_limit__too_deep_at_the_first_excess(opener: str, closer: str) -> None:
    inner = "1" if opener in ("(", "-", "abs(", "x in [") else "true"
    ok = opener * expr.MAX_DEPTH + inner + closer * expr.MAX_DEPTH
    parse(ok)
    error = syntax_error(opener * (expr.MAX_DEPTH + 1) + inner + closer * (expr.MAX_DEPTH + 1))
    assert error.code == "E-EXPR-TOO-DEEP" and error.position == len(opener) * expr.MAX_DEPTH + (
        opener.index("(") if "(" in opener else opener.index("[") if "[" in opener else 0)


def test_parse__max_depth_expression__evaluates() -> None:
    text = "(" * 38 + "-(1 + 2) * 3" + ")" * 38
    assert ev(text) == -9


def test_parse__too_many_nodes__too_long() -> None:
    parse(" + ".join(["1"] * 250))  # 251 nodes
    error = syntax_error(" + ".join(["1"] * 501))
    assert error.code == "E-EXPR-TOO-LONG"


def test_parse__long_string_literal__limited() -> None:
    assert ev("'" + "x" * expr.MAX_STRING + "'") == "x" * expr.MAX_STRING
    assert syntax_error("'" + "x" * (expr.MAX_STRING + 1) + "'").code == "E-EXPR-TOO-LONG"


def test_parse__keyword_as_name__is_syntax_error() -> None:
    assert syntax_error("in > 1").position == 0
    assert syntax_error("count(null)").code == "E-EXPR-TABLE-ARG"


def test_parse__function_name_without_call__is_a_plain_name() -> None:
    assert ev("count + len", count=1, len=2) == 3
    assert parse("if").names() == [NameRef("if", None)]


# -- the examples of the brief -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "values", "expected"), [
    (". >= 0 and . <= 10000", {}, True),
    ("has_fibre == true and download_mbps >= $min_download_mbps", {"has_fibre": True, "download_mbps": 100}, True),
    ("has_fibre == true and download_mbps >= $min_download_mbps", {"has_fibre": False}, False),
    ("has_fibre == true and download_mbps >= $min_download_mbps", {"has_fibre": True}, None),
    ("selected(providers, 'vnpt')", {"providers": ["vnpt"]}, True),
    ("endpoint_type != 'none'", {"endpoint_type": "none"}, False),
    ("score >= 80 and critical_failed == 0", {"score": 85.5, "critical_failed": 0}, True),
    ("score >= 80 and critical_failed == 0", {"score": 85.5, "critical_failed": 1}, False),
    ("not (a or b)", {"a": False, "b": False}, True),
    ("not (a or b)", {"a": False}, None),
    ("x not in ['a','b']", {"x": "b"}, False),
    ("date('2026-10-13') - today()", {}, 285),
])
def test_examples__brief__evaluate(text: str, values: dict, expected: object) -> None:
    s = Scope(values, thresholds=PC_THRESHOLDS, current=42, today=TODAY)
    assert evaluate(text, s) == expected
    assert type(evaluate(text, s)) is type(expected)


def test_error__str__mentions_code_position_and_shortened_text() -> None:
    error = syntax_error("a < b < c")
    assert str(error) == "E-EXPR-SYNTAX: comparisons cannot be chained; combine them with 'and' at position 6 in 'a < b < c'"
    long = syntax_error("(" * 3000)
    assert len(str(long)) < 200


def test_error__hierarchy__all_subclass_expression_error() -> None:
    for cls in (ExpressionSyntaxError, ExpressionTypeError, ExpressionNameError):
        assert issubclass(cls, ExpressionError)
    assert ExpressionError("x").code == "E-EXPR" and ExpressionError("x").position is None


# -- property tests ------------------------------------------------------------------------------------
ROWS = [{"a": 1, "c": 2.5, "s": "x"}, {"a": None, "c": "y", "s": None}, {"a": -3, "c": 0, "s": "x"}]
FUZZ_SCOPE = Scope(
    {"a": 3, "b": 2.5, "n": None, "s": "abc", "e": "", "d": dt.date(2026, 5, 1), "tags": ["x", "y"], "rows": ROWS,
     "yes": True, "no": False, "zero": 0},
    thresholds={"limit": 10, "label": "x", "ratio": 0.8}, current=5, today=TODAY,
)
RESULT_TYPES = (type(None), bool, int, float, str, dt.date, list)

TOKENS = ["a", "b", "n", "s", "d", "tags", "rows", "yes", "no", "zero", "missing", ".", "$limit", "$label", "$nope", "1", "0",
          "2.5", "'x'", '"y"', "'", '"', "\\", "true", "false", "null", "and", "or", "not", "in", "==", "!=", "<", "<=", ">",
          ">=", "+", "-", "*", "/", "(", ")", "[", "]", ",", "=", "!", "$", "count", "share", "min", "max", "sum", "avg",
          "selected", "count_selected", "len", "coalesce", "answered", "if", "round", "abs", "today", "date", "days_until",
          "days_since", "is_email", "is_phone", "'2026-10-13'", "đ", "\x00", "eval", "__class__", "1e3"]


def _check_any(text: str) -> None:
    try:
        parsed = parse(text)
    except ExpressionError as error:
        assert isinstance(error, ExpressionSyntaxError)
        assert error.code.startswith("E-EXPR-") and (error.position is None or 0 <= error.position <= len(text))
        return
    for s in (FUZZ_SCOPE, FUZZ_SCOPE.with_current(None), FUZZ_SCOPE.with_row({"a": "z"})):
        try:
            result = parsed.evaluate(s)
        except ExpressionError as error:
            assert isinstance(error, (ExpressionTypeError, ExpressionNameError))
            assert error.expression == text
        else:
            assert isinstance(result, RESULT_TYPES)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_property__arbitrary_text__only_expression_errors(text: str) -> None:
    _check_any(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from([" ", ""]))
def test_property__token_soup__only_expression_errors(tokens: list[str], separator: str) -> None:
    _check_any(separator.join(tokens))


ATOMS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.sampled_from(["true", "false", "null", ".", "$limit", "$label", "$ratio", "a", "b", "n", "s", "e", "d", "tags",
                     "rows", "yes", "no", "zero", "missing", "today()", "date('2026-10-13')"]),
    st.text(st.sampled_from("ab'\"\\ đ"), max_size=5).map(lambda t: "'" + t.replace("\\", "\\\\").replace("'", "\\'") + "'"),
)
BINARY = ["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "in", "not in"]
UNARY_FUNCS = ["count_selected", "len", "answered", "abs", "days_until", "days_since", "is_email", "is_phone"]


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(["in", "not in"]), st.lists(children, max_size=3)).map(
            lambda t: f"({t[0]} {t[1]} [{', '.join(t[2])}])"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"-({c})"),
        st.tuples(st.sampled_from(UNARY_FUNCS), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["selected", "coalesce", "round"]), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["count", "share", "min", "max", "sum", "avg"]), st.sampled_from(["rows", "tags", "n", "a"]),
                  children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        children.map(lambda c: f"({c} == null)"),
    )


VALID = st.recursive(ATOMS, _extend, max_leaves=12)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_property__generated_valid_expressions__parse_and_evaluate_or_type_error(text: str) -> None:
    try:
        parsed = parse(text)
    except ExpressionSyntaxError as error:  # only the size limits may refuse a well-formed expression
        assert error.code in ("E-EXPR-TOO-DEEP", "E-EXPR-TOO-LONG"), error
        return
    known = {"a", "b", "n", "s", "e", "d", "tags", "rows", "yes", "no", "zero", "missing"}
    assert {ref.name for ref in parsed.names()} <= known
    assert parsed.thresholds() <= {"limit", "label", "ratio"}
    assert parsed.tables() <= {"rows", "tags", "n", "a"}
    assert parsed.uses_current() == bool(re.search(r"(?<![0-9])\.", text))  # strings here never hold a '.'
    for s in (FUZZ_SCOPE, FUZZ_SCOPE.with_current("x"), Scope({}, today=TODAY, thresholds=FUZZ_SCOPE.thresholds)):
        try:
            result = parsed.evaluate(s)
        except ExpressionTypeError as error:
            assert error.expression == text and error.code == "E-EXPR-TYPE"
        else:
            assert isinstance(result, RESULT_TYPES)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([True, False, None]), st.sampled_from([True, False, None]), st.sampled_from([True, False, None]))
def test_property__logic__laws_of_kleene_logic_hold(x: bool | None, y: bool | None, z: bool | None) -> None:
    s = scope(x=x, y=y, z=z)
    for left, right in [
        ("x and (y or z)", "(x and y) or (x and z)"), ("x or (y and z)", "(x or y) and (x or z)"),
        ("not (x and y)", "not x or not y"), ("not not x", "x"), ("x and y", "y and x"), ("x or y", "y or x"),
    ]:
        assert evaluate(left, s) is evaluate(right, s), (left, right)


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6))
def test_property__integer_arithmetic__matches_python(x: int, y: int) -> None:
    s = scope(x=x, y=y)
    assert evaluate("x + y * 2 - -x", s) == x + y * 2 + x
    assert evaluate("x / y", s) == (None if y == 0 else x / y)
    assert evaluate("x < y", s) is (x < y) and evaluate("x == y", s) is (x == y)
    assert evaluate("abs(x - y)", s) == abs(x - y)


# Well-typed generated expressions must never raise: numbers stay numbers (or null), conditions booleans.
NUM_ATOMS = st.one_of(
    st.integers(0, 1000).map(str),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.sampled_from(["a", "b", "zero", "n", "missing", "$limit", "$ratio", ".", "len(s)", "count(rows)",
                     "count_selected(tags)", "days_until(d)", "days_since(d)", "(d - today())"]),
)


def _num_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"-({c})"),
        children.map(lambda c: f"abs({c})"),
        st.tuples(children, st.integers(-3, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]} > {t[1]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["sum", "avg", "min", "max"]), children).map(lambda t: f"{t[0]}(rows, {t[1]})"),
        st.tuples(st.sampled_from(["count", "share"]), st.sampled_from(["<", ">=", "=="]), children).map(
            lambda t: f"{t[0]}(rows, a {t[1]} {t[2]})"),
    )


NUM = st.recursive(NUM_ATOMS, _num_extend, max_leaves=10)
BOOL_ATOMS = st.one_of(
    st.sampled_from(["true", "false", "null", "yes", "no", "n == null", "a != null", "answered(s)", "answered(n)",
                     "selected(tags, 'x')", "is_email(s)", "is_phone(s)", "s in ['abc', 'x']", "'b' in s", "n not in tags",
                     "d > today()", "s < 'b'"]),
    st.tuples(NUM, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), NUM).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
    st.tuples(NUM, st.lists(NUM, max_size=3)).map(lambda t: f"{t[0]} in [{', '.join(t[1])}]"),
)


def _bool_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"not ({c})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, children).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    )


BOOL = st.recursive(BOOL_ATOMS, _bool_extend, max_leaves=6)


def _well_typed(text: str) -> list[object]:
    try:
        parsed = parse(text)
    except ExpressionSyntaxError as error:
        assert error.code in ("E-EXPR-TOO-DEEP", "E-EXPR-TOO-LONG"), error
        return []
    return [parsed.evaluate(s) for s in (FUZZ_SCOPE, FUZZ_SCOPE.with_current(None), FUZZ_SCOPE.with_current(-2.5))]


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NUM)
def test_property__well_typed_numeric_expressions__give_numbers_or_null(text: str) -> None:
    for result in _well_typed(text):
        assert result is None or (isinstance(result, (int, float)) and not isinstance(result, bool)), (text, result)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOL)
def test_property__well_typed_conditions__give_booleans_or_null(text: str) -> None:
    for result in _well_typed(text):
        assert result is None or isinstance(result, bool), (text, result)
        assert truthy(result) is result


# -- stack safety -----------------------------------------------------------------------------------
def _deep_aggregate() -> str:
    text = "true"
    for _ in range(expr.MAX_DEPTH):
        text = f"count(t, {text}) == 1"
    return text


def test_stack__deepest_allowed_expressions__parse_and_evaluate_within_a_normal_stack() -> None:
    text = _deep_aggregate()
    assert evaluate(text, scope(t=[{}])) is True
    assert ev("(" * 40 + "1" + ")" * 40) == 1 and ev("not " * 40 + "true") is True and ev("-" * 40 + "1") == 1


def test_stack__nearly_exhausted__gives_expression_errors_not_recursion_error() -> None:
    text = _deep_aggregate()
    parsed = parse(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        with pytest.raises(ExpressionSyntaxError) as parse_info:
            parse.__wrapped__(text)  # type: ignore[attr-defined]  # bypass the cache
        with pytest.raises(ExpressionTypeError) as eval_info:
            parsed.evaluate(scope(t=[{}]))
    finally:
        sys.setrecursionlimit(limit)
    assert parse_info.value.code == "E-EXPR-TOO-DEEP"
    assert eval_info.value.code == "E-EXPR-TYPE"


# -- pickled expressions (read back with a cached checklist) ---------------------------------------------


def _reparsed(text: str) -> expr.Expression:
    """The text parsed now, whatever parse's cache or the offered pickles hold."""
    return expr.Expression(text, expr._Parser(text).parse())


def _same_expression(a: expr.Expression, b: expr.Expression) -> bool:
    return (type(a) is type(b) is expr.Expression and a.source == b.source and a.root == b.root
            and a.names() == b.names() and a.thresholds() == b.thresholds() and a.tables() == b.tables()
            and a.uses_current() == b.uses_current())


PICKLED_TEXTS = [
    "a >= 3 and b in ['x', 'y']",
    "share(pcs, cores >= $min_cores and os in ['win10', 'win11']) >= 0.8",
    "count(pcs, ram < $min_ram_gb) == 0 or not (x != null)",
    "if(. > date('2026-10-13'), -1.5 * y + 2, coalesce(z, 0)) / 4",
    "min(rows, v) <= max(rows, v) and avg(rows, v) > sum(rows, v) - 1",
]


@pytest.mark.parametrize("text", PICKLED_TEXTS)
def test_pickled__offered_then_parsed__the_same_expression_without_parsing(text, monkeypatch):
    data = expr.pickled(_reparsed(text))
    expr.parse.cache_clear()
    monkeypatch.setattr(expr, "_OFFERED", {})
    from readiness import parsed

    monkeypatch.setattr(parsed, "OFFERED", expr._OFFERED)
    parsed.offer({text: data})

    def refuse(self, text):  # noqa: ANN001
        raise AssertionError(f"parsed although its pickle was offered: {text!r}")

    monkeypatch.setattr(expr._Parser, "__init__", refuse)
    got = expr.parse(text)
    monkeypatch.undo()
    assert _same_expression(got, _reparsed(text))
    assert expr.parse(text) is got  # taken once, then parse's own cache
    assert text not in expr._OFFERED
    expr.parse.cache_clear()


def test_pickled__what_an_evaluated_expression_had_worked_out__not_carried():
    text = "count(pcs, ram < 4) + 1"
    evaluated = _reparsed(text)
    values = {"pcs": [{"ram": 2}, {"ram": 8}]}
    assert evaluated.evaluate(scope(**values)) == 2
    evaluated.prepare()
    assert evaluated._compiled is not None and evaluated._generated is not None
    back = expr._read_back(text, expr.pickled(evaluated))
    assert back is not None and _same_expression(back, evaluated)
    assert (back._compiled, back._row_test, back._generated, back._generated_row_test, back._interpreted) == \
        (None, None, None, None, 0)
    assert back.evaluate(scope(**values)) == 2


def _naming(module: str, name: str) -> bytes:
    """A pickle that names ``module.name`` (protocol 4, STACK_GLOBAL)."""
    return (b"\x80\x04\x8c" + bytes([len(module)]) + module.encode() + b"\x8c" + bytes([len(name)]) + name.encode()
            + b"\x93.")


def test_pickled__the_unpickler_admits_exactly_the_language_classes():
    import io
    import pickle

    unpickler = expr._tree_unpickler()
    nodes = {cls for cls in vars(expr).values() if isinstance(cls, type) and cls.__module__ == expr.__name__
             and issubclass(cls, expr.Node)}
    assert {expr.Literal, expr.Aggregate, expr.Compare, expr.Name, expr.Node} <= nodes
    for cls in (*nodes, expr.NameRef, expr.Expression):
        assert unpickler(io.BytesIO(_naming(expr.__name__, cls.__name__))).load() is cls
    assert unpickler(io.BytesIO(_naming("datetime", "date"))).load() is dt.date
    for module, name in ((expr.__name__, "_Parser"), (expr.__name__, "Token"), (expr.__name__, "Scope"),
                         (expr.__name__, "parse"), (expr.__name__, "ReadinessError"), ("readiness.record", "Record"),
                         ("builtins", "eval"), ("os", "system"), ("datetime", "datetime")):
        with pytest.raises(pickle.UnpicklingError):
            unpickler(io.BytesIO(_naming(module, name))).load()


def test_pickled__a_pickle_naming_anything_else__refused_and_the_text_parsed(tmp_path, monkeypatch):
    import pickle
    import shutil

    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (shutil.copyfile, (__file__, str(marker)))

    text = "a + 1 > 2"
    monkeypatch.setattr(expr, "_OFFERED", {text: pickle.dumps(Evil())})
    expr.parse.cache_clear()
    got = expr.parse(text)
    assert _same_expression(got, _reparsed(text))
    assert not marker.exists()
    expr.parse.cache_clear()


def test_pickled__another_texts_expression_or_damaged_bytes__the_text_parsed(monkeypatch):
    text, other = "a + 1 > 2", "b == 'c'"
    data = expr.pickled(_reparsed(other))
    for offered in (data, data[: len(data) // 2], b"", b"\x80\x05N."):
        monkeypatch.setattr(expr, "_OFFERED", {text: offered})
        expr.parse.cache_clear()
        got = expr.parse(text)
        assert _same_expression(got, _reparsed(text))
        assert evaluate(text, scope(a=2)) is True
    expr.parse.cache_clear()
