"""Fixtures: the test PKI, PKCS#12 files, and a freshly exported submission (workbook + PDF) per test."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from samples import SMALL, TODAY

sys.path.insert(0, str(Path(__file__).parent))
from pki import PASSWORD, Pki, build_pki, write_p12  # noqa: E402
from signing_data import COMMUNE, PERIOD, export  # noqa: E402

@pytest.fixture(scope="session")
def pki() -> Pki:
    return build_pki()


@pytest.fixture(scope="session")
def p12_dir(tmp_path_factory, pki):
    folder = tmp_path_factory.mktemp("keys")
    write_p12(folder / "dak_ha.p12", pki.dak_ha, [pki.intermediate, pki.root])
    write_p12(folder / "cam_thanh.p12", pki.cam_thanh, [pki.intermediate, pki.root])
    write_p12(folder / "expired.p12", pki.expired, [pki.intermediate, pki.root])
    write_p12(folder / "foreign.p12", pki.foreign, [pki.foreign_root])
    (folder / "root.cer").write_bytes(pki.root.der())
    (folder / "root.pem").write_bytes(pki.root.pem())
    (folder / "foreign_root.cer").write_bytes(pki.foreign_root.der())
    return folder


@pytest.fixture
def key_dak_ha(p12_dir):
    from readiness.signing.keys import Pkcs12Key

    return Pkcs12Key(p12_dir / "dak_ha.p12", PASSWORD)


@pytest.fixture
def small_ws(db_url, small_library):
    from readiness.service import Workspace

    workspace = Workspace.open(db_url, library=small_library, default_checklist="small-test")
    yield workspace
    workspace.close()


@pytest.fixture
def exported(small_ws, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    return export(small_ws, out)


@pytest.fixture
def signed(exported, key_dak_ha, small_library):
    from readiness.signing import sign_submission

    xlsx, pdf = exported
    sign_submission(xlsx=xlsx, pdf=pdf, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    return xlsx, pdf
