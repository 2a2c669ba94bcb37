"""Every refusal says where: the file, the sheet and the cell that holds the offending value (the ``_data``
cell and, where the cover shows it, that cell too), in the result, the JSON and the CLI; a too-long table
its real row count; the summary line a sensible time.

Files are edited as an attacker would (tests/attacker.py: the published format, seals recomputed).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

from attacker import forge_workbook
from readiness.department.importer import import_paths

IMPORT_TODAY = dt.date(2025, 11, 20)
PERIOD = "2025-11"
COVER = "Thông tin chung"


def _import(workspace, *paths, **options):
    options.setdefault("jobs", 0)
    options.setdefault("today", IMPORT_TODAY)
    return import_paths(workspace, [str(p) for p in paths], **options)


def _cover_cell(path: Path, label: str) -> str:
    """Where the cover shows a fact, found as a person finds it: by its label in column A."""
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)[COVER]
    for row in sheet.iter_rows(min_row=1, max_row=40, max_col=1):
        if row[0].value == label:
            return f"B{row[0].row}"
    raise AssertionError(label)


def _data_cell(path: Path, key: str) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["_data"]
    for row in sheet.iter_rows(min_row=1, max_row=60, max_col=1):
        if row[0].value == key:
            return f"B{row[0].row}"
    raise AssertionError(key)


def _places(error) -> list[tuple[str, str]]:
    return [(error.sheet, error.cell), *error.also]


def test_refusal__older_revision__names_the_revision_cells_of_data_and_cover(dept, submissions):
    newer = submissions.write("23500", revision=2)
    older = submissions.write("23500", revision=1)
    _import(dept, newer)
    (result,) = _import(dept, older).results
    (error,) = result.errors
    assert error.code == "E-IMPORT-OLDER"
    revision_data, revision_cover = _data_cell(older, "revision"), _cover_cell(older, "Trạng thái bản đánh giá")
    assert _places(error) == [("_data", revision_data), (COVER, revision_cover)]
    assert error.message.startswith(f"Sheet '_data', ô {revision_data}; sheet '{COVER}', ô {revision_cover}: Tệp là lần "
                                    "sửa 1")
    line = result.to_json()["errors"][0]
    assert (line["sheet"], line["cell"], line["also"]) == ("_data", revision_data, [{"sheet": COVER,
                                                                                      "cell": revision_cover}])
    from readiness.store.imports import import_log

    logged = import_log(dept.store, limit=1)[0].errors[0]  # the log keeps the places too
    assert logged["cell"] == revision_data and logged["also"] == [{"sheet": COVER, "cell": revision_cover}]


def test_refusal__conflicting_revision__names_the_revision_cells(dept, submissions):
    _import(dept, submissions.write("23500", revision=1, seed=1))
    other = submissions.write("23500", revision=1, seed=2, assessment_id=str(uuid.uuid4()))
    (result,) = _import(dept, other).results
    (error,) = result.errors
    assert error.code == "E-IMPORT-CONFLICT"
    assert _places(error) == [("_data", _data_cell(other, "revision")),
                              (COVER, _cover_cell(other, "Trạng thái bản đánh giá"))]


def test_refusal__draft_after_finalized__names_the_status_cells(dept, submissions):
    identity = str(uuid.uuid4())
    _import(dept, submissions.write("23500", revision=1, status="finalized", assessment_id=identity))
    draft = submissions.write("23500", revision=1, status="draft", assessment_id=identity, seed=2)
    (error,) = _import(dept, draft).results[0].errors
    assert error.code == "E-IMPORT-OLDER"
    assert _places(error) == [("_data", _data_cell(draft, "status")),
                              (COVER, _cover_cell(draft, "Trạng thái bản đánh giá"))]


def test_refusal__reused_assessment_id_with_a_changed_commune_code__names_both_facts(dept, submissions, tmp_path):
    """The attacker's copy of Đăk Hà's file, relabelled as another commune (resealed): refused at the cells
    of the changed commune code and of the reused id, in ``_data`` and on the cover."""
    original = submissions.write("23500")
    _import(dept, original)
    relabelled = tmp_path / "21034_2025-11.xlsx"
    code_cover = _cover_cell(original, "Mã đơn vị hành chính")
    forge_workbook(original, relabelled, meta={"commune_code": "21034"}, cover={code_cover: "21034"})
    (result,) = _import(dept, relabelled).results
    assert result.status == "rejected"
    (error,) = result.errors
    assert error.code == "E-IMPORT-CONFLICT" and "tệp này ghi xã 21034" in error.message
    assert _places(error) == [("_data", _data_cell(relabelled, "commune_code")), (COVER, code_cover),
                              ("_data", _data_cell(relabelled, "assessment_id")),
                              (COVER, _cover_cell(relabelled, "Mã bản đánh giá"))]
    assert error.message.startswith(f"Sheet '_data', ô {_data_cell(relabelled, 'commune_code')} và "
                                    f"{_data_cell(relabelled, 'assessment_id')}; sheet '{COVER}', ô {code_cover} và ")


def test_refusal__commune_code_not_in_the_register__names_data_and_cover(dept, submissions, tmp_path):
    original = submissions.write("23500")
    changed = tmp_path / "changed.xlsx"
    code_cover = _cover_cell(original, "Mã đơn vị hành chính")
    forge_workbook(original, changed, meta={"commune_code": "99999"}, cover={code_cover: "99999"})
    (error,) = _import(dept, changed).results[0].errors
    assert error.code == "E-IMPORT-COMMUNE" and "99999" in error.message
    assert _places(error) == [("_data", _data_cell(changed, "commune_code")), (COVER, code_cover)]


def test_refusal__unknown_format_version__names_its_data_cell(dept, submissions, tmp_path):
    original = submissions.write("23500")
    newer = tmp_path / "newer.xlsx"
    forge_workbook(original, newer, meta={"format_version": "2"})
    (error,) = _import(dept, newer).results[0].errors
    assert error.code == "E-XLSX-VERSION"
    assert (error.sheet, error.cell) == ("_data", _data_cell(newer, "format_version"))
    assert error.message.startswith(f"Sheet '_data', ô {_data_cell(newer, 'format_version')}: Tệp theo định dạng phiên "
                                    "bản 2")


def test_cli_and_json__refusal_names_file_sheet_and_cell(db_url, submissions, capsys):
    from readiness.cli import main

    newer, older = submissions.write("23500", revision=2), submissions.write("23500", revision=1)
    assert main(["--db", db_url, "import", str(newer), "--jobs", "0"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(older), "--jobs", "0"]) == 1
    out = capsys.readouterr().out
    revision_data = _data_cell(older, "revision")
    assert f"Từ chối: {older}" in out
    assert f"E-IMPORT-OLDER: Sheet '_data', ô {revision_data}; sheet '{COVER}', ô " in out
    assert main(["--db", db_url, "import", str(older), "--jobs", "0", "--json"]) == 1
    line = json.loads(capsys.readouterr().out)
    assert line["file"] == str(older) and line["errors"][0]["cell"] == revision_data
    assert line["errors"][0]["also"][0]["sheet"] == COVER


def test_template__table_longer_than_the_reader_reads__real_row_count_and_the_first_row_over(
        dept, real_checklist, province_communes, tmp_path):
    from openpyxl import load_workbook

    from readiness.exchange.xlsx import write_template

    commune = next(c for c in province_communes if c.code == "23500")
    template = write_template(real_checklist, tmp_path / "blank.xlsx", commune=commune, period=PERIOD).path
    item = next(i for i in real_checklist.items() if i.type.value == "table" and i.max_rows >= 200)
    book = load_workbook(template)
    data = book["_data"]
    found = next(row for row in data.iter_rows(min_col=1, max_col=8) if row[0].value == item.id)
    sheet_name, cells = found[5].value, json.loads(found[7].value)
    first, letter = int(cells.get("first_row") or 4), sorted(cells["columns"].values())[0]
    sheet = book[sheet_name]
    total = 10_250
    for offset in range(total):
        sheet[f"{letter}{first + offset}"] = f"dòng {offset + 1}"
    book.save(template)

    (result,) = _import(dept, template).results
    rows = [e for e in result.errors if e.code == "E-ANS-ROWS"]
    assert len(rows) == 1, result.errors
    over = f"{letter}{first + item.max_rows}"
    assert (rows[0].sheet, rows[0].cell) == (sheet_name, over)
    assert f"bảng có {total:,} dòng".replace(",", ".") in rows[0].message and "10001" not in rows[0].message
    assert f"tối đa {item.max_rows} dòng" in rows[0].message


@pytest.mark.parametrize(("files", "seconds", "expected"), [
    (1, 3.4, "3,4 giây"), (3, 0.02, "dưới 0,1 giây"), (20, 4.0, "4,0 giây, 5 tệp/giây"),
    (3, 7.5, "7,5 giây, 2,5 giây/tệp"), (3321, 64.2, "64,2 giây, 52 tệp/giây")])
def test_summary_time__never_zero_files_per_second(files, seconds, expected):
    from readiness.department.cli_import import summary_time

    assert summary_time(files, seconds) == expected


def test_cli_summary__one_slow_file__no_zero_rate(db_url, submissions, capsys):
    from readiness.cli import main

    assert main(["--db", db_url, "import", str(submissions.write("23500")), "--jobs", "0"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "0 tệp/s" not in summary and "tệp/giây" not in summary and summary.endswith(" giây).")
