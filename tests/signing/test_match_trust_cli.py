"""The organisation matcher, the trust store and the command line (sign, trust add/list/remove/verify)."""

from __future__ import annotations

import json

import pytest

from signing_data import COMMUNE, PERIOD
from pki import PASSWORD, make_leaf


def _info(o=None, cn="x", **extra):
    import datetime as dt

    from readiness.signing.certs import CertInfo

    now = dt.datetime.now(dt.UTC)
    return CertInfo(common_name=cn, organization=o, org_units=tuple(extra.get("ou", ())), locality=None, state=None,
                    serial_number=extra.get("serial"), uid=extra.get("uid"), subject="", issuer="", issuer_cn=None,
                    certificate_serial="1", not_before=now, not_after=now, sha256="0" * 64)


@pytest.fixture(scope="module")
def register():
    from readiness.register import load_register

    return load_register()


def _commune(register, code):
    return next(c for c in register if c.code == code)


@pytest.mark.parametrize("organisation", [
    "UBND xã Đăk Hà",
    "Ủy ban nhân dân xã Đăk Hà",
    "Uỷ ban nhân dân xã Đăk Hà",
    "UỶ BAN NHÂN DÂN XÃ ĐĂK HÀ",
    "UBND  xã   Đăk Hà, tỉnh Quảng Ngãi",
    "UBND xã Đắk Hà - tỉnh Quảng Ngãi",  # the old spelling: same letters without diacritics, unique in the province
    "Xã Đăk Hà",
])
def test_match__spellings_of_the_committee__match_register_name(register, organisation):
    from readiness.signing.match import match_commune

    assert match_commune(_info(organisation), _commune(register, "23500"), register).ok


def test_match__common_name_used_when_organisation_is_absent(register):
    from readiness.signing.match import match_commune

    assert match_commune(_info(None, cn="Ủy ban nhân dân phường Cẩm Thành"), _commune(register, "21025"), register).ok


@pytest.mark.parametrize("organisation", ["UBND phường Cẩm Thành", "UBND xã Đăk Tô", "Công ty TNHH Đăk Hà", "UBND tỉnh Quảng Ngãi"])
def test_match__other_organisations__do_not_match(register, organisation):
    from readiness.signing.match import match_commune

    result = match_commune(_info(organisation), _commune(register, "23500"), register)
    assert not result.ok and "Xã Đăk Hà" in result.reason and "23500" in result.reason


def test_match__agency_code_decides(register):
    from readiness.signing.match import match_commune

    dak_ha = _commune(register, "23500")
    assert match_commune(_info("UBND xã X", uid="23500"), dak_ha, register).via == "code"
    assert match_commune(_info("Ủy ban nhân dân", ou=["Mã ĐVHC: 23500"]), dak_ha, register).ok
    other = match_commune(_info("UBND xã Đăk Hà", serial="21025"), dak_ha, register)
    assert not other.ok and "21025" in other.reason


def test_match__former_unit_named__explained(register):
    from readiness.signing.match import match_commune

    dak_ha = _commune(register, "23500")  # formed from Thị trấn Đắk Hà and Xã Đắk La
    result = match_commune(_info("UBND xã Đắk La"), dak_ha, register)
    assert not result.ok and "trước sắp xếp" in result.reason


def test_match__name_shared_without_diacritics__needs_exact_spelling(register):
    """When two units of a province fold to the same name, only the exact spelling matches."""
    from collections import Counter

    from readiness.signing.match import match_commune
    from readiness.text import fold

    counts = Counter((c.province_code, fold(c.bare_name)) for c in register)
    clash = next(((p, n) for (p, n), k in counts.items() if k > 1), None)
    if clash is None:
        pytest.skip("no two units of a province share a name without diacritics")
    first, second = [c for c in register if (c.province_code, fold(c.bare_name)) == clash][:2]
    assert match_commune(_info(f"UBND {first.name}"), first, register).ok
    if fold(first.name) == fold(second.name) and first.name != second.name:
        assert not match_commune(_info(f"UBND {second.name}"), first, register).ok


# -- the trust store ---------------------------------------------------------------------------------------------


def test_trust_store__add_list_remove(store, pki, p12_dir):
    from readiness.signing import SigningError, TrustStore

    trust = TrustStore(store)
    assert trust.list() == []
    ((root, new),) = trust.add_file(p12_dir / "root.pem", note="Công văn 123/SKHCN")
    assert new and root.organization == "Ban Cơ yếu Chính phủ" and root.note == "Công văn 123/SKHCN"
    ((again, new_again),) = trust.add_file(p12_dir / "root.cer")  # DER of the same certificate
    assert not new_again and again.sha256 == root.sha256
    assert [r.sha256 for r in trust.list()] == [root.sha256]
    assert trust.certificates()[0] == pki.root.cert
    with pytest.raises(SigningError) as caught:
        trust.add(pki.dak_ha.cert)
    assert caught.value.code == "E-TRUST-NOT-CA"
    with pytest.raises(SigningError):
        trust.remove("abc")
    removed = trust.remove(root.sha256[:12].upper())
    assert removed.sha256 == root.sha256 and trust.list() == []


def test_trust_store__not_a_certificate__clear_error(store, tmp_path):
    from readiness.signing import SigningError, TrustStore

    bad = tmp_path / "root.cer"
    bad.write_text("not a certificate")
    with pytest.raises(SigningError) as caught:
        TrustStore(store).add_file(bad)
    assert caught.value.code == "E-TRUST-FILE"


def test_migration__signature_tables_exist(store):
    from sqlalchemy import inspect

    tables = set(inspect(store.engine).get_table_names())
    assert {"trusted_roots", "assessment_signatures"} <= tables
    assert store.schema_revision() == store.head_revision()


# -- the command line --------------------------------------------------------------------------------------------------


def test_cli_trust__add_list_verify_remove(db_url, p12_dir, signed, small_library, monkeypatch, capsys):
    from readiness.cli import main

    monkeypatch.setenv("READINESS_CHECKLISTS", str(small_library.directory))
    xlsx, _pdf = signed
    assert main(["--db", db_url, "trust", "list"]) == 0
    assert "Chưa cài chứng thư gốc" in capsys.readouterr().out
    assert main(["--db", db_url, "trust", "verify", str(xlsx)]) == 1
    assert "E-SIG-NO-ROOTS" in capsys.readouterr().out
    assert main(["--db", db_url, "trust", "add", str(p12_dir / "root.cer"), "--note", "thử"]) == 0
    out = capsys.readouterr().out
    assert "Đã cài chứng thư gốc: Root CA Ban Cơ yếu" in out and "SHA-256:" in out
    assert main(["--db", db_url, "trust", "list", "--json"]) == 0
    roots = json.loads(capsys.readouterr().out)["roots"]
    assert len(roots) == 1 and roots[0]["note"] == "thử"
    assert main(["--db", db_url, "trust", "verify", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert "Đã ký số, hợp lệ" in out and "Báo cáo PDF" in out
    assert main(["--db", db_url, "trust", "add", str(p12_dir / "dak_ha.p12")]) == 1
    capsys.readouterr()
    assert main(["--db", db_url, "trust", "remove", roots[0]["sha256"][:10]]) == 0
    assert "Đã gỡ" in capsys.readouterr().out


def test_cli_sign__password_from_environment(exported, p12_dir, small_library, monkeypatch, capsys):
    from readiness.cli import main

    monkeypatch.setenv("READINESS_CHECKLISTS", str(small_library.directory))
    monkeypatch.setenv("READINESS_PKCS12_PASSWORD", PASSWORD)
    xlsx, pdf = exported
    args = ["sign", "--commune", COMMUNE, "--period", PERIOD, "--xlsx", str(xlsx), "--pdf", str(pdf),
            "--pkcs12", str(p12_dir / "dak_ha.p12")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Ký bởi: Ủy ban nhân dân xã Đăk Hà" in out and "+07:00" in out
    assert main([*args, "--json"]) == 1  # the PDF is signed already
    error = json.loads(capsys.readouterr().out)["errors"][0]
    assert error["code"] == "E-SIGN-PDF-SIGNED"


def test_cli_sign__wrong_password_and_no_password(exported, p12_dir, small_library, monkeypatch, capsys):
    from readiness.cli import main

    monkeypatch.setenv("READINESS_CHECKLISTS", str(small_library.directory))
    xlsx, pdf = exported
    args = ["sign", "--commune", COMMUNE, "--period", "11/2025", "--xlsx", str(xlsx), "--pdf", str(pdf),
            "--pkcs12", str(p12_dir / "dak_ha.p12")]
    monkeypatch.setenv("READINESS_PKCS12_PASSWORD", "sai")
    assert main(args) == 1
    assert "E-SIGN-PASSWORD" in capsys.readouterr().err
    monkeypatch.delenv("READINESS_PKCS12_PASSWORD")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": (_ for _ in ()).throw(EOFError()))
    assert main(args) == 1
    assert "mật khẩu" in capsys.readouterr().err


def test_cli_sign__usage_errors(capsys):
    from readiness.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["sign", "--commune", COMMUNE, "--period", PERIOD, "--xlsx", "a.xlsx", "--pdf", "a.pdf"])
    assert caught.value.code == 2  # neither --pkcs12 nor --pkcs11
    assert main(["sign", "--commune", "235", "--period", PERIOD, "--xlsx", "a.xlsx", "--pdf", "a.pdf",
                 "--pkcs12", "k.p12"]) == 2


def test_leaf_helper_makes_signing_certificates(pki):
    from readiness.signing.certs import can_sign, is_ca

    leaf = make_leaf(pki.intermediate, "x", "UBND xã Đăk Hà")
    assert can_sign(leaf.cert) and not is_ca(leaf.cert) and is_ca(pki.root.cert)


def test_load_certificates__der_ending_in_a_whitespace_byte__read_as_is():
    # DER is binary: a certificate whose signature ends in 0x0a or 0x20 was once "stripped" into garbage.
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from readiness.signing.certs import load_certificates

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root thử")])
    now = dt.datetime.now(dt.UTC)
    for _ in range(2000):
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now)
                .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
        der = cert.public_bytes(serialization.Encoding.DER)
        if der[-1:] in (b"\n", b" ", b"\t", b"\r"):
            break
    else:
        raise AssertionError("no certificate ending in a whitespace byte in 2000 tries")
    assert load_certificates(der) == [cert]
