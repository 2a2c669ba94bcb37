"""A quiet, honest console: what a command prints is its coded result, not a library's traceback or a
dependency's deprecation warning (those go to the log file), and a PDF signed with another certificate
than the workbook says so (``E-SIG-PDF-MISMATCH``), not "untrusted".

The commands run as a user runs them: ``python -m readiness`` in a subprocess, stderr captured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from helpers import opened_signer, read
from pki import PASSWORD
from signing_data import COMMUNE, PERIOD

NOISE = ("Traceback", "PathBuildingError", "Failed to build path", "DeprecationWarning", "pyhanko", "cryptography")


def run_cli(*args: str, home: Path, checklists: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, READINESS_HOME=str(home))
    env.pop("PYTHONWARNINGS", None)  # as a user runs it: Python's default warning filters
    if checklists is not None:
        env["READINESS_CHECKLISTS"] = str(checklists)
    return subprocess.run([sys.executable, "-m", "readiness", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def assert_quiet(result: subprocess.CompletedProcess) -> None:
    noisy = [word for word in NOISE if word in result.stderr]
    assert not noisy, f"the console shows {noisy}:\n{result.stderr}"


@pytest.fixture
def department(tmp_path, p12_dir, small_library):
    """A department's data folder and database with the test root installed (by the CLI)."""
    home = tmp_path / "department-home"
    home.mkdir()
    db = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    added = run_cli("--db", db, "trust", "add", str(p12_dir / "root.cer"), home=home,
                    checklists=small_library.directory)
    assert added.returncode == 0, added.stderr
    return home, db


@pytest.fixture
def foreign_signed(exported, p12_dir, small_library):
    """Workbook and PDF signed with a certificate from a CA the department has not installed."""
    from readiness.signing import Pkcs12Key, sign_submission

    xlsx, pdf = exported
    sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs12Key(p12_dir / "foreign.p12", PASSWORD), commune_code=COMMUNE,
                    period=PERIOD, library=small_library)
    return xlsx, pdf


def test_untrusted_certificate__verify_and_import__coded_result_no_traceback(foreign_signed, department,
                                                                           small_library):
    home, db = department
    xlsx, _pdf = foreign_signed
    verified = run_cli("--db", db, "trust", "verify", str(xlsx), home=home, checklists=small_library.directory)
    assert verified.returncode == 1
    assert "E-SIG-UNTRUSTED" in verified.stdout and "Foreign Test Root" in verified.stdout
    assert_quiet(verified)
    imported = run_cli("--db", db, "import", str(xlsx), home=home, checklists=small_library.directory)
    assert imported.returncode == 1
    assert "E-SIG-UNTRUSTED" in imported.stdout
    assert_quiet(imported)
    log = (home / "logs" / "readiness.log").read_text(encoding="utf-8")
    assert "pyhanko" in log and "PathBuildingError" in log  # kept for whoever investigates


def test_dependency_deprecation_warnings__not_on_the_console__in_the_log(exported, department, small_library,
                                                                        tmp_path):
    """Commands that load pyHanko (verify, import) and some that do not, on a fresh data folder: stderr holds
    at most the import's own summary line."""
    home, db = department
    xlsx, _pdf = exported
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    loud = [
        run_cli("--db", db, "trust", "verify", str(xlsx), home=home, checklists=small_library.directory),
        run_cli("--db", db, "import", str(xlsx), home=home, checklists=small_library.directory),
    ]
    quiet = [
        run_cli("--db", fresh, "status", "--period", PERIOD, home=home),
        run_cli("--db", fresh, "trust", "list", home=home),
        run_cli("communes", "--search", "dak ha", home=home),
    ]
    for result in loud + quiet:
        assert result.returncode in (0, 1), (result.args, result.stderr)
        assert_quiet(result)
    assert [r.stderr for r in quiet] == ["", "", "— 1 đơn vị\n"]  # communes: its own count line
    assert loud[1].stderr.startswith("— 1 tệp"), loud[1].stderr  # the import's own summary line, nothing else
    log = (home / "logs" / "readiness.log").read_text(encoding="utf-8")
    assert "CryptographyDeprecationWarning" in log


def test_warning_routing__listed_dependency_warning_logged_only__others_still_shown(tmp_path):
    import logging

    import pyhanko.sign.signers.pdf_cms as pdf_cms  # the module the DSA warning is raised from
    from cryptography.utils import CryptographyDeprecationWarning

    from readiness.logs import configure_logging, is_quiet

    assert is_quiet(CryptographyDeprecationWarning, "pyhanko.sign.signers.pdf_cms")
    assert not is_quiet(CryptographyDeprecationWarning, "readiness.signing.verify")  # by module, not blanket
    assert not is_quiet(DeprecationWarning, "pyhanko.sign.signers.pdf_cms")  # and by category
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        with warnings.catch_warnings(record=True) as shown:  # what Python would print on stderr
            warnings.simplefilter("always")
            path = configure_logging()
            warnings.warn_explicit("DSA is deprecated", CryptographyDeprecationWarning, pdf_cms.__file__, 20,
                                   module="pyhanko.sign.signers.pdf_cms")
            warnings.warn_explicit("something of ours", UserWarning, __file__, 1, module=__name__)
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    assert [str(w.message) for w in shown] == ["something of ours"]
    log = Path(path).read_text(encoding="utf-8")
    assert "DSA is deprecated" in log and "something of ours" in log


# -- a PDF signed with another certificate than the workbook --------------------------------------------------


def _sign_pdf_only(pdf: Path, xlsx: Path, issued, chain, library) -> None:
    import datetime as dt

    from readiness.signing.certs import VN_TZ
    from readiness.signing.pdf import sign_pdf_bytes

    data_sha256 = read(xlsx, library).data_sha256
    pdf.write_bytes(sign_pdf_bytes(pdf.read_bytes(), opened_signer(issued, chain),
                                   signing_time=dt.datetime.now(VN_TZ).replace(microsecond=0), data_sha256=data_sha256))


@pytest.mark.parametrize("other", ["foreign", "cam_thanh"])
def test_verify__pdf_signed_with_another_certificate__mismatch_code(exported, key_dak_ha, pki, small_library, other,
                                                                   department):
    """The workbook is signed and valid (Đăk Hà's certificate); its PDF is signed with an untrusted foreign
    certificate, or with another commune's: the outcome names the mismatch, not the PDF's own fault."""
    from readiness.signing import sign_submission

    from helpers import verify

    xlsx, pdf = exported
    sign_submission(xlsx=xlsx, pdf=None, key=key_dak_ha, commune_code=COMMUNE, period=PERIOD, library=small_library)
    issued, chain = {"foreign": (pki.foreign, [pki.foreign_root]),
                     "cam_thanh": (pki.cam_thanh, [pki.intermediate, pki.root])}[other]
    _sign_pdf_only(pdf, xlsx, issued, chain, small_library)
    result = verify(xlsx, small_library, [pki.root.cert], pdf=pdf)
    assert (result.status, result.code) == ("invalid", "E-SIG-PDF-MISMATCH"), result
    assert result.pdf.status == "invalid" and result.pdf.code in ("E-SIG-UNTRUSTED", "E-SIG-COMMUNE")
    assert "hai chứng thư số khác nhau" in result.message

    home, db = department
    cli = run_cli("--db", db, "trust", "verify", str(xlsx), "--pdf", str(pdf), "--json", home=home,
                  checklists=small_library.directory)
    assert cli.returncode == 1
    assert json.loads(cli.stdout)["code"] == "E-SIG-PDF-MISMATCH"
    assert_quiet(cli)

