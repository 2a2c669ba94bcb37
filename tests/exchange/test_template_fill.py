"""A filled blank template loaded into the commune's own draft (issue 17 §5): the department's checks,
the changes shown before anything is saved, one transaction; from the CLI and the window."""

from __future__ import annotations

import json

import openpyxl
import pytest

from readiness.exchange import write_template
from test_template_xlsx import _fill_small, _row_of, _sheet


def _template(small, tmp_path, name="t.xlsx"):
    from readiness.register import load_register

    commune = next(c for c in load_register() if c.code == "23500")
    path = write_template(small, tmp_path / name, commune=commune, period="2025-11").path
    _fill_small(path)
    return path


def _preview(small_ws, path, code="23500", period="2025-11"):
    from readiness.template_fill import TemplateChecks, compare, read_template

    session = small_ws.session(code, period)
    return session, compare(session, read_template(TemplateChecks.of(small_ws), path))


def test_preview__empty_draft__every_filled_answer_listed_then_saved_in_one_go(small_ws, small, tmp_path):
    from readiness.exchange import read_submission
    from readiness.template_fill import apply

    path = _template(small, tmp_path)
    session, preview = _preview(small_ws, path)
    assert preview.ok and preview.errors == []
    numbers = [change.number for change in preview.changes]
    assert numbers[:4] == ["1.1", "1.2", "1.3", "1.4"] and "3.1" in numbers
    officers = next(c for c in preview.changes if c.item_id == "officers")
    assert (officers.before, officers.after) == ("", "25")
    pcs = next(c for c in preview.changes if c.item_id == "pcs")
    assert (pcs.before, pcs.after) == ("", "2 máy tính")
    assert session.answers.get("officers") is None  # nothing saved by looking
    assert apply(session, preview) == []
    again = small_ws.session("23500", "2025-11")
    read = read_submission(path, checklist=small)
    for item_id, value in read.answers.values.items():
        stored = again.answers.get(item_id)
        if isinstance(value, list) and value and hasattr(value[0], "values"):
            assert [r.values for r in stored] == [r.values for r in value]
        else:
            assert stored == value, item_id
    assert again.answers.sources["officers"] == "import"


def test_preview__answers_already_there__only_differences_listed_blank_cells_keep_answers(small_ws, small, tmp_path):
    session = small_ws.session("23500", "2025-11")
    assert session.set_answers({"respondent": "Nguyễn Thị Hoà", "officers": 30, "has_fibre": False}) == []
    path = _template(small, tmp_path)
    book = openpyxl.load_workbook(path)
    internet = _sheet(book, "2. ")
    internet.cell(_row_of(internet, "2.1"), 3).value = None  # left blank on paper
    book.save(path)
    session, preview = _preview(small_ws, path)
    changed = {c.item_id: (c.before, c.after) for c in preview.changes}
    assert "respondent" not in changed  # the same
    assert changed["officers"] == ("30", "25")
    assert "has_fibre" not in changed and [c.item_id for c in preview.kept] == ["has_fibre"]


@pytest.mark.parametrize("case", ["other commune", "finalized", "a bad cell", "an exported submission"])
def test_preview__refused__says_why_and_nothing_saved(small_ws, small, small_ctx, tmp_path, case):
    path = _template(small, tmp_path)
    code = "23500"
    if case == "other commune":
        code = "23512"  # another commune of the register
    if case == "finalized":
        session = small_ws.session("23500", "2025-11")
        from exchange_data import SMALL_RAW

        assert session.set_answers(SMALL_RAW) == []
        session.finalize()
    if case == "a bad cell":
        book = openpyxl.load_workbook(path)
        general = _sheet(book, "1. ")
        general.cell(_row_of(general, "1.3"), 3).value = "nhiều"
        book.save(path)
    if case == "an exported submission":
        from readiness.exchange import write_submission

        path = write_submission(small_ctx, tmp_path / "exported.xlsx").path
    session, preview = _preview(small_ws, path, code=code)
    assert not preview.ok and preview.changes == [] and preview.raw == {}
    text = " ".join(preview.errors)
    expected = {"other commune": "đang mở", "finalized": "Mở lại để sửa", "a bad cell": "ô C",
                "an exported submission": "không phải phiếu trống đã điền"}[case]
    assert expected in text, text
    if case == "a bad cell":
        assert "Sheet '1. Thông tin chung'" in text


def test_cli__fill_template__dry_run_lists_then_fill_saves(small_ws, small, tmp_path, db_url, small_library,
                                                           monkeypatch, capsys):
    from readiness import cli, service

    path = _template(small, tmp_path)
    small_ws.session("23500", "2025-11")  # the draft exists
    monkeypatch.setattr(service, "default_library", lambda: small_library)  # the CLI's workspace: the small checklist
    monkeypatch.setenv("READINESS_CHECKLIST", "small-test")

    def run(*args):
        code = cli.main(["--db", db_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    command = ("fill", "--commune", "23500", "--period", "2025-11", "--template", str(path))
    code, out, _ = run(*command, "--dry-run")
    assert code == 0 and "sẽ thay đổi (chưa lưu" in out and "1.3 Số cán bộ, công chức: (chưa trả lời) → 25" in out
    assert small_ws.session("23500", "2025-11").answers.get("officers") is None
    code, out, _ = run(*command, "--json")
    data = json.loads(out)
    assert code == 0 and data["saved"] is True and "officers" in [c["item"] for c in data["changes"]]
    code, out, _ = run(*command)
    assert code == 0 and "không có gì khác" in out
    book = openpyxl.load_workbook(path)
    general = _sheet(book, "1. ")
    general.cell(_row_of(general, "1.3"), 3).value = "nhiều"
    book.save(path)
    code, _, err = run(*command)
    assert code == 1 and "Không lưu gì" in err and "ô C" in err
