"""The checklist definition validator: good files load, bad ones give coded problems with file, line, item."""

import textwrap

import pytest

from readiness.checklist.loader import ChecklistInvalid, load_checklist, load_checklist_text

from samples import SMALL


def _problems(text: str):
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist_text(textwrap.dedent(text), "bad.yaml")
    return caught.value.problems


def test_load__small_checklist__typed_model_with_hash(small):
    assert small.key == "small-test@1"
    assert len(small.content_hash) == 64
    assert small.item("pcs").column("ram_gb").unit == "GB"
    assert small.section_of("download").id == "internet"


def test_content_hash__comments_and_layout__do_not_change_it(small):
    reformatted = "# a comment\n" + SMALL.replace("title: {vi: \"Bảng kiểm thử\", en: \"Test checklist\"}",
                                                  "title:\n  vi: Bảng kiểm thử\n  en: Test checklist")
    assert load_checklist_text(reformatted).content_hash == small.content_hash
    changed = SMALL.replace("value: 8, unit: GB", "value: 16, unit: GB")
    assert load_checklist_text(changed).content_hash != small.content_hash


def test_validate__yaml_syntax_error__code_and_line():
    problems = _problems("id: x\nversion: [1\n")
    assert problems[0].code == "E-CL-YAML"
    assert problems[0].line is not None


def test_validate__duplicate_key__named_with_line():
    problems = _problems(SMALL.replace("version: 1\n", "version: 1\nversion: 2\n", 1))
    assert [(p.code, p.line) for p in problems] == [("E-CL-DUP-KEY", 4)]  # SMALL starts with a blank line


def test_validate__unknown_key_in_item__names_item_and_line():
    text = SMALL.replace("      - {id: report_date, type: date,", "      - {id: report_date, colour: red, type: date,")
    problems = _problems(text)
    assert problems[0].code == "E-CL-UNKNOWN-KEY"
    assert problems[0].item == "general.report_date"
    assert problems[0].line == SMALL.splitlines().index(next(l for l in SMALL.splitlines() if "report_date" in l)) + 1


def test_validate__bad_item_id__pattern_problem():
    problems = _problems(SMALL.replace("id: officers", "id: Officers-Count"))
    assert problems[0].code == "E-CL-ID"
    assert "officers" not in (problems[0].item or "")


def test_validate__expression_syntax_error__names_item():
    problems = _problems(SMALL.replace('pass: ". >= $min_down"', 'pass: ". >= $min_down and"'))
    assert [(p.code, p.item) for p in problems] == [("E-CL-EXPR", "download")]


def test_validate__unknown_threshold_and_name__both_reported():
    text = SMALL.replace('pass: ". >= $min_down"', 'pass: ". >= $min_up"').replace(
        'relevant: "has_fibre == true"', 'relevant: "has_fiber == true"')
    problems = _problems(text)
    assert {(p.code, p.item) for p in problems} == {("E-CL-THRESHOLD", "download"), ("E-CL-REF", "download")}
    assert all(p.line for p in problems)


def test_validate__aggregate_over_non_table__rejected():
    problems = _problems(SMALL.replace('n_low_ram: "count(pcs, ram_gb < $min_ram_gb)"', 'n_low_ram: "count(officers)"'))
    assert problems[0].code == "E-CL-TABLE"


def test_validate__column_name_outside_its_table__unknown():
    problems = _problems(SMALL.replace('n_low_ram: "count(pcs, ram_gb < $min_ram_gb)"', 'n_low_ram: "ram_gb"'))
    assert problems[0].code == "E-CL-REF"


def test_validate__template_placeholder_unknown__rejected():
    problems = _problems(SMALL.replace("cho {n_low_ram} máy;", "cho {n_low} máy;"))
    assert problems[0].code == "E-CL-TEMPLATE" and problems[0].item == "pcs"


def test_validate__duplicate_item_id__rejected():
    problems = _problems(SMALL.replace("id: report_date", "id: officers"))
    assert any(p.code == "E-CL-DUP-ID" and p.item == "officers" for p in problems)


def test_validate__choice_item_without_choices__schema_problem():
    problems = _problems(SMALL.replace("        choices:\n          - {id: vnpt", "        xchoices:\n          - {id: vnpt"))
    assert {p.code for p in problems} >= {"E-CL-UNKNOWN-KEY"}


def test_validate__legal_threshold_without_basis__rejected():
    problems = _problems(SMALL.replace('source: legal, basis: "Microsoft ESU",', "source: legal,"))
    assert problems[0].code == "E-CL-SCHEMA"
    assert "basis" in problems[0].message


def test_validate__dot_in_relevance__meaningless():
    problems = _problems(SMALL.replace('relevant: "has_fibre == true"', 'relevant: ". == true"'))
    assert problems[0].code == "E-CL-EXPR"


def test_load__missing_file__coded_problem(tmp_path):
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist(tmp_path / "nope.yaml")
    assert caught.value.problems[0].code == "E-CL-FILE"


def test_load__not_utf8__coded_problem(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: Bảng".encode("utf-16"))
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist(path)
    assert caught.value.problems[0].code == "E-CL-ENCODING"


def test_load__alias_bomb__refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    problems = _problems(bomb)
    assert problems[0].code == "E-CL-FILE"


def test_library__file_name_must_match_id_and_version(tmp_path):
    from readiness.checklist.loader import ChecklistLibrary

    folder = tmp_path / "small-test"
    folder.mkdir()
    (folder / "v2.yaml").write_text(SMALL, encoding="utf-8")
    with pytest.raises(ChecklistInvalid) as caught:
        ChecklistLibrary(tmp_path).get("small-test", 2)
    assert caught.value.problems[0].code == "E-CL-NAME"


def test_validate__column_named_like_an_item__rejected():
    problems = _problems(SMALL.replace("- {id: role, type: text, required: true", "- {id: officers, type: text, required: true"))
    assert [(p.code, p.item) for p in problems] == [("E-CL-DUP-ID", "pcs.officers")]
