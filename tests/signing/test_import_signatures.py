"""The department's import with signatures: outcomes in the import result, the database, the status rows."""

from __future__ import annotations

import json

import pytest

from signing_data import COMMUNE, PERIOD, export
from helpers import edit_data_cell, forge


@pytest.fixture
def dept_url(sqlite_copy):
    return sqlite_copy("department")


@pytest.fixture
def trusted(dept_url, small_library, p12_dir):
    """The department's own database (not the commune's that exported the files), with the test root installed."""
    from readiness.service import Workspace
    from readiness.signing import TrustStore

    workspace = Workspace.open(dept_url, library=small_library, default_checklist="small-test")
    TrustStore(workspace.store).add_file(p12_dir / "root.cer", note="test")
    yield workspace
    workspace.close()


def _import(workspace, paths, **kwargs):
    from readiness.department.importer import import_paths

    return import_paths(workspace, [str(p) for p in paths], jobs=0, **kwargs)


def _stored(workspace, assessment_id):
    from readiness.signing import signature_statuses

    return signature_statuses(workspace.store, [assessment_id]).get(assessment_id)


def test_import__signed_and_valid__imported_with_its_signature(trusted, signed):
    xlsx, _pdf = signed
    (result,) = _import(trusted, [xlsx]).results
    assert result.status == "imported", result.errors
    assert result.signature["status"] == "valid" and result.signature["pdf"] == "valid"
    assert result.signature["signer"] == "UBND xã Đăk Hà"
    stored = _stored(trusted, result.assessment_id)
    assert stored.status == "valid" and stored.signer_org == "UBND xã Đăk Hà" and stored.pdf_status == "valid"
    assert json.loads(json.dumps(result.to_json()))["signature"]["status"] == "valid"


def test_import__unsigned__flagged_without_require__refused_with_require(trusted, exported):
    xlsx, _pdf = exported
    (strict,) = _import(trusted, [xlsx], require_signature=True).results
    assert strict.status == "rejected" and [e.code for e in strict.errors] == ["E-SIG-REQUIRED"]
    assert not trusted.store.assessments(PERIOD)
    (relaxed,) = _import(trusted, [xlsx]).results
    assert relaxed.status == "imported"
    assert relaxed.signature["status"] == "unsigned" and relaxed.signature["code"] == "W-SIG-UNSIGNED"
    assert _stored(trusted, relaxed.assessment_id).status == "unsigned"


def test_import__invalid__refused_whatever_the_setting(trusted, signed, small_library):
    xlsx, _pdf = signed
    edit_data_cell(xlsx, "officers", "26")
    for required in (False, True):
        (result,) = _import(trusted, [xlsx], require_signature=required, accept_edited=True).results
        assert result.status == "rejected"
        assert "E-SIG-DATA-CHANGED" in [e.code for e in result.errors]
        assert result.signature["status"] == "invalid"
    assert not trusted.store.assessments(PERIOD)


def test_import__signed_by_another_commune__refused(trusted, exported, pki, small_library):
    xlsx, pdf = exported
    forge(xlsx, pdf, small_library, pki.cam_thanh, [pki.intermediate, pki.root])
    (result,) = _import(trusted, [xlsx]).results
    assert result.status == "rejected" and "E-SIG-COMMUNE" in [e.code for e in result.errors]


def test_import__duplicate_unsigned_does_not_downgrade_a_valid_signature(trusted, tmp_path, signed):
    import shutil

    xlsx, _pdf = signed
    first = _import(trusted, [xlsx]).results[0]
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    unsigned_copy = copy_dir / xlsx.name
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    del wb["_signature"]
    wb.save(unsigned_copy)
    shutil.copy(xlsx.with_suffix(".pdf"), copy_dir / xlsx.with_suffix(".pdf").name)
    second = _import(trusted, [unsigned_copy]).results[0]
    assert second.status == "duplicate" and second.signature["status"] == "unsigned"
    assert _stored(trusted, first.assessment_id).status == "valid"


def test_cli_import__require_signature_and_the_signature_line(trusted, signed, exported_other, dept_url, capsys,
                                                             small_library, monkeypatch):
    from readiness.cli import main

    monkeypatch.setenv("READINESS_CHECKLISTS", str(small_library.directory))
    monkeypatch.setenv("READINESS_CHECKLIST", "small-test")
    xlsx, _pdf = signed
    assert main(["--db", dept_url, "import", str(xlsx), "--jobs", "0", "--require-signature"]) == 0
    out = capsys.readouterr().out
    assert "Chữ ký số: Đã ký số, hợp lệ: UBND xã Đăk Hà" in out
    assert main(["--db", dept_url, "import", str(exported_other), "--jobs", "0", "--require-signature", "--json"]) == 1
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["status"] == "rejected" and line["errors"][0]["code"] == "E-SIG-REQUIRED"


@pytest.fixture
def exported_other(small_ws, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    return export(small_ws, folder, commune="21025")[0]


def test_status_rows_and_consolidated_report__show_the_signature(trusted, signed, exported_other, tmp_path):
    from openpyxl import load_workbook

    from readiness.department.consolidate import consolidate
    from readiness.department.report_xlsx import write_report_xlsx
    from readiness.department.status import period_status

    _import(trusted, [signed[0], exported_other])
    report = period_status(trusted, PERIOD)
    rows = {row.code: row for row in report.rows}
    assert rows[COMMUNE].signature == "valid"
    assert rows["21025"].signature == "unsigned"
    assert rows["23302"].signature is None  # nothing received
    assert {c["code"]: c["signature"] for c in report.to_dict()["communes"]}[COMMUNE] == "valid"

    path = write_report_xlsx(consolidate(trusted, PERIOD), [], tmp_path / "tong-hop.xlsx")
    sheet = load_workbook(path)["Kết quả theo xã"]
    header = [c.value for c in sheet[1]]
    column = header.index("Chữ ký số")  # one column of the commune's row, whatever columns follow it
    values = {r[1]: r[column] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[COMMUNE] == "Đã ký số, hợp lệ"
    assert values["21025"] == "Chưa ký số"
    assert values["23302"] in (None, "")
