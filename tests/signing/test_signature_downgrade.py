"""No signature downgrade: once a commune and period has a validly signed revision, a later revision that is
unsigned, signed by another organisation or signed earlier does not replace it; it is held, visible, and
the department decides (accept or dismiss), each decision in the import log with who, when and why.

The forged files are built as an attacker would (tests/signing/attacker.py: the published seal format,
openpyxl and hashlib only).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from attacker import forge_revision
from helpers import forge
from signing_data import COMMUNE, OTHER_COMMUNE, PERIOD, export

HELD_TEXT = "Bản mới không ký số, bản đã ký số vẫn được dùng"


@pytest.fixture
def dept_url(sqlite_copy):
    return sqlite_copy("department")


@pytest.fixture
def trusted(dept_url, small_library, p12_dir):
    from readiness.service import Workspace
    from readiness.signing import TrustStore

    workspace = Workspace.open(dept_url, library=small_library, default_checklist="small-test")
    TrustStore(workspace.store).add_file(p12_dir / "root.cer", note="test")
    yield workspace
    workspace.close()


@pytest.fixture
def cli_env(monkeypatch, small_library):
    monkeypatch.setenv("READINESS_CHECKLISTS", str(small_library.directory))
    monkeypatch.setenv("READINESS_CHECKLIST", "small-test")


def _import(workspace, paths, **kwargs):
    from readiness.department.importer import import_paths

    return import_paths(workspace, [str(p) for p in paths], jobs=0, **kwargs)


def _row(workspace, code=COMMUNE):
    from readiness.department.status import period_status

    return {row.code: row for row in period_status(workspace, PERIOD).rows}[code]


def _forged(xlsx, tmp_path, revision, **kwargs):
    folder = tmp_path / f"forged-{revision}"
    folder.mkdir()
    target = folder / xlsx.name  # no report PDF beside it: the attacker sends the workbook only
    forge_revision(xlsx, target, changes={"officers": (26, 26)}, revision=revision, **kwargs)
    return target


def _next_revision(small_ws, folder, *, changes=None):
    """The commune reopens its assessment (revision + 1) and exports again."""
    session = small_ws.session(COMMUNE, PERIOD)
    session.finalize()
    session.reopen()
    folder.mkdir()
    return export(small_ws, folder, changes=changes)


# -- the attack of the issue -------------------------------------------------------------------------------


def test_import__forged_unsigned_revision_after_a_signed_one__held_and_the_signed_one_stays(trusted, signed, tmp_path):
    xlsx, _pdf = signed
    (first,) = _import(trusted, [xlsx]).results
    assert first.status == "imported" and first.signature["status"] == "valid"
    forged = _forged(xlsx, tmp_path, first.revision + 1)

    report = _import(trusted, [forged])
    (result,) = report.results
    assert result.status == "held", (result.status, result.errors)
    assert report.exit_code == 1
    assert result.held["code"] == "W-HELD-UNSIGNED" and result.held["signed_revision"] == first.revision
    assert result.warnings[-1].code == "W-HELD-UNSIGNED" and result.warnings[-1].message.startswith(HELD_TEXT)
    assert json.loads(json.dumps(result.to_json()))["held"]["reason"].startswith(HELD_TEXT)

    row = _row(trusted)  # status and reports still show the signed revision
    assert (row.revision, row.signature, row.assessment_id) == (first.revision, "valid", first.assessment_id)
    assert [(h.revision, h.reason_code, h.signature_status) for h in row.held] == [
        (first.revision + 1, "W-HELD-UNSIGNED", "unsigned")]
    from readiness.department.consolidate import consolidate

    assert {r.code: r.revision for r in consolidate(trusted, PERIOD).status.rows}[COMMUNE] == first.revision

    again = _import(trusted, [forged]).results[0]  # the same held file again: still held, not twice
    assert again.status == "held" and again.held["id"] == result.held["id"]
    from readiness.store.imports import held_revisions

    assert len(held_revisions(trusted.store, states=None)) == 1


def test_cli__held_revision__shown_by_status_and_accepted_later_with_who_when_why(trusted, signed, tmp_path, dept_url,
                                                                                  cli_env, capsys):
    from readiness.cli import main
    from readiness.store.imports import import_log

    xlsx, _pdf = signed
    assert main(["--db", dept_url, "import", str(xlsx), "--jobs", "0"]) == 0
    forged = _forged(xlsx, tmp_path, 2)
    capsys.readouterr()
    assert main(["--db", dept_url, "import", str(forged), "--jobs", "0"]) == 1
    out = capsys.readouterr()
    assert f"Giữ lại: {forged}" in out.out and HELD_TEXT in out.out
    assert "readiness held accept --id 1" in out.out
    assert "1 giữ lại" in out.err

    assert main(["--db", dept_url, "status", "--period", PERIOD]) == 0
    text = capsys.readouterr().out
    assert "chờ Sở quyết định: 1" in text and "giữ lại [1] lần 2" in text and HELD_TEXT in text
    assert main(["--db", dept_url, "status", "--period", PERIOD, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held"] == 1
    commune = next(c for c in data["communes"] if c["code"] == COMMUNE)
    assert commune["revision"] == 1 and commune["signature"] == "valid"
    assert [(h["revision"], h["code"], h["state"]) for h in commune["held"]] == [(2, "W-HELD-UNSIGNED", "pending")]

    assert main(["--db", dept_url, "held", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == 1 and listed["file"] == str(forged)

    assert main(["--db", dept_url, "held", "accept", "--commune", COMMUNE, "--period", PERIOD,
                 "--reason", "Đã gọi điện xác nhận với xã ngày 05/12"]) == 0
    assert "lần 2 là bản đang dùng" in capsys.readouterr().out
    row = _row(trusted)
    assert (row.revision, row.signature, row.held) == (2, "unsigned", ())
    line = import_log(trusted.store, limit=1)[0]
    assert line.outcome == "accepted" and line.note == "Đã gọi điện xác nhận với xã ngày 05/12"
    assert line.user_name and line.imported_at is not None and line.revision == 2
    assert line.warnings[0]["code"] == "W-HELD-UNSIGNED"
    assert main(["--db", dept_url, "held", "accept", "--id", "1", "--reason", "lại", "--json"]) == 1  # decided already
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "E-HELD-DECIDED"
    assert main(["--db", dept_url, "import", str(forged), "--jobs", "0"]) == 0  # now the revision in use
    assert "Trùng (đã có)" in capsys.readouterr().out


def test_cli__accept_on_import__only_for_the_communes_named_and_a_reason_is_required(
        trusted, signed, small_ws, tmp_path, dept_url, cli_env, capsys, pki, small_library):
    from readiness.cli import main
    from readiness.store.imports import import_log

    xlsx, _pdf = signed
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other, other_pdf = export(small_ws, other_dir, commune=OTHER_COMMUNE)
    forge(other, other_pdf, small_library, pki.cam_thanh, [pki.intermediate, pki.root])  # Cẩm Thành signs its own
    assert main(["--db", dept_url, "import", str(xlsx), str(other), "--jobs", "0"]) == 0
    forged_here = _forged(xlsx, tmp_path, 2)
    forged_other = tmp_path / "forged-other" / other.name
    forged_other.parent.mkdir()
    forge_revision(other, forged_other, changes={"officers": (30, 30)}, revision=2)
    capsys.readouterr()

    assert main(["--db", dept_url, "import", str(forged_here), "--jobs", "0",
                 "--accept-unsigned-replacement", COMMUNE]) == 2  # no reason: refused before anything is read
    assert "--reason" in capsys.readouterr().err
    assert main(["--db", dept_url, "import", str(forged_here), str(forged_other), "--jobs", "0", "--json",
                 "--accept-unsigned-replacement", COMMUNE, "--reason", "Xã gửi lại qua công văn 12/UBND"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["status"] for line in lines] == ["updated", "held"]
    assert lines[0]["warnings"][-1]["code"] == "W-IMPORT-ACCEPTED-REPLACEMENT"
    assert lines[1]["held"]["code"] == "W-HELD-UNSIGNED" and lines[1]["commune"] == OTHER_COMMUNE
    assert _row(trusted).revision == 2 and _row(trusted, OTHER_COMMUNE).revision == 1
    accepted = next(line for line in import_log(trusted.store) if line.outcome == "updated")
    assert accepted.note == "Xã gửi lại qua công văn 12/UBND" and accepted.commune_code == COMMUNE
    assert accepted.warnings[-1]["code"] == "W-HELD-UNSIGNED"


def test_held__a_second_unsigned_revision_after_an_accepted_one__held_again(trusted, signed, tmp_path):
    """Accepting one unsigned revision does not open the door: the signed revision still sets the bar."""
    from readiness.department.held import accept_held, find_held

    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    _import(trusted, [_forged(xlsx, tmp_path, 2)])
    accept_held(trusted, find_held(trusted, commune_code=COMMUNE, period=PERIOD), "xác nhận qua điện thoại")
    (third,) = _import(trusted, [_forged(xlsx, tmp_path, 3)]).results
    assert third.status == "held" and _row(trusted).revision == 2


def test_held__dismissed__logged_and_gone_from_status(trusted, signed, tmp_path):
    from readiness.department.held import dismiss_held, find_held
    from readiness.store.imports import import_log

    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    _import(trusted, [_forged(xlsx, tmp_path, 2)])
    held = find_held(trusted, commune_code=COMMUNE, period=PERIOD)
    outcome = dismiss_held(trusted, held, "Xã không gửi tệp này")
    assert outcome.status == "dismissed"
    assert _row(trusted).held == () and _row(trusted).revision == 1
    line = import_log(trusted.store, limit=1)[0]
    assert (line.outcome, line.note, line.revision) == ("dismissed", "Xã không gửi tệp này", 2)


def test_held__a_newer_validly_signed_revision__supersedes_it(trusted, signed, small_ws, tmp_path, key_dak_ha,
                                                              small_library):
    from readiness.signing import sign_submission
    from readiness.store.imports import held_revisions

    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    _import(trusted, [_forged(xlsx, tmp_path, 2)])
    new_xlsx, new_pdf = _next_revision(small_ws, tmp_path / "rev2", changes={"officers": 27})
    sign_submission(xlsx=new_xlsx, pdf=new_pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD,
                    library=small_library)
    (result,) = _import(trusted, [new_xlsx]).results
    assert result.status == "updated" and result.signature["status"] == "valid" and result.revision == 2
    (held,) = held_revisions(trusted.store, states=None)
    assert held.state == "superseded" and _row(trusted).held == ()


def test_import__validly_signed_but_earlier_than_the_signed_revision__held(trusted, exported, small_ws, tmp_path, pki,
                                                                            small_library):
    xlsx, pdf = exported
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    chain = [pki.intermediate, pki.root]
    forge(xlsx, pdf, small_library, pki.dak_ha, chain, signing_time=now - dt.timedelta(hours=1))
    (first,) = _import(trusted, [xlsx]).results
    assert first.status == "imported" and first.signature["status"] == "valid"
    new_xlsx, new_pdf = _next_revision(small_ws, tmp_path / "rev2", changes={"officers": 27})
    forge(new_xlsx, new_pdf, small_library, pki.dak_ha, chain, signing_time=now - dt.timedelta(hours=3))
    (later,) = _import(trusted, [new_xlsx]).results
    assert later.signature["status"] == "valid"
    assert later.status == "held" and later.held["code"] == "W-HELD-OLDER-SIGNATURE"
    assert "sớm hơn lúc ký bản trước" in later.held["reason"]
    assert _row(trusted).revision == 1


def test_import__validly_signed_by_another_organisation__held(trusted, signed, small_ws, tmp_path, pki, small_library):
    """A certificate that names the commune by its code (so it verifies) but belongs to another organisation."""
    from pki import make_leaf

    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    contractor = make_leaf(pki.intermediate, "Nguyễn Văn An", "Công ty TNHH Dịch vụ số Miền Trung", uid=COMMUNE)
    new_xlsx, new_pdf = _next_revision(small_ws, tmp_path / "rev2", changes={"officers": 27})
    forge(new_xlsx, new_pdf, small_library, contractor, [pki.intermediate, pki.root])
    (later,) = _import(trusted, [new_xlsx]).results
    assert later.signature["status"] == "valid", later.signature
    assert later.status == "held" and later.held["code"] == "W-HELD-OTHER-SIGNER"
    assert "Công ty TNHH Dịch vụ số Miền Trung" in later.held["reason"]
    assert _row(trusted).revision == 1 and _row(trusted).signature == "valid"


def test_import__same_organisation_renewed_certificate_later__replaces(trusted, signed, small_ws, tmp_path, pki,
                                                                       small_library):
    from pki import make_leaf

    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    renewed = make_leaf(pki.intermediate, "UỶ BAN NHÂN DÂN XÃ ĐĂK HÀ", "Ủy ban nhân dân xã Đăk Hà", st="Quảng Ngãi")
    new_xlsx, new_pdf = _next_revision(small_ws, tmp_path / "rev2", changes={"officers": 27})
    forge(new_xlsx, new_pdf, small_library, renewed, [pki.intermediate, pki.root])
    (later,) = _import(trusted, [new_xlsx]).results
    assert later.status == "updated" and later.signature["status"] == "valid"


def test_import__certificate_of_another_commune_after_a_signed_revision__refused_and_says_what_stays(
        trusted, signed, small_ws, tmp_path, pki, small_library):
    """An invalid signature is refused outright (it can never be accepted); the message says what stays in use."""
    xlsx, _pdf = signed
    _import(trusted, [xlsx])
    new_xlsx, new_pdf = _next_revision(small_ws, tmp_path / "rev2", changes={"officers": 27})
    forge(new_xlsx, new_pdf, small_library, pki.cam_thanh, [pki.intermediate, pki.root])
    (later,) = _import(trusted, [new_xlsx]).results
    assert later.status == "rejected"
    error = next(e for e in later.errors if e.code == "E-SIG-COMMUNE")
    assert "Bản đã ký số lần 1 vẫn được dùng." in error.message
    assert _row(trusted).revision == 1


def test_import__unsigned_first_then_unsigned_again__no_hold(trusted, exported, tmp_path):
    """Without a signed revision there is nothing to protect: the old behaviour (updated, flagged unsigned)."""
    xlsx, _pdf = exported
    (first,) = _import(trusted, [xlsx]).results
    assert first.status == "imported" and first.signature["status"] == "unsigned"
    (later,) = _import(trusted, [_forged(xlsx, tmp_path, 2)]).results
    assert later.status == "updated" and later.held is None


def test_import__held_copy_next_to_its_pdf__still_held(trusted, signed, tmp_path):
    """The signed PDF of the genuine revision beside the forged workbook changes nothing."""
    xlsx, pdf = signed
    _import(trusted, [xlsx])
    forged = _forged(xlsx, tmp_path, 2)
    shutil.copy(pdf, forged.with_suffix(".pdf"))
    (result,) = _import(trusted, [forged]).results
    assert result.status == "held"
