"""Signing with a key on a PKCS#11 token: SoftHSM2 (Debian's softhsm2) stands in for the commune's USB token.

The key pair is generated *on* the token and never leaves it; the test CA certifies its public key and
the certificate is stored beside it (same CKA_ID), as a CA does when it issues a token.  Skipped where
SoftHSM2 is not installed (``apt-get install softhsm2``; .ci/run installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from signing_data import COMMUNE, PERIOD
from helpers import verify
from pki import make_leaf

LIBRARIES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
             "/usr/local/lib/softhsm/libsofthsm2.so", "/opt/homebrew/lib/softhsm/libsofthsm2.so")
LIBRARY = next((p for p in LIBRARIES if Path(p).exists()), None)
PIN, SO_PIN, TOKEN = "123456", "87654321", "xa-dak-ha"

pytestmark = pytest.mark.skipif(LIBRARY is None or shutil.which("softhsm2-util") is None,
                                reason="SoftHSM2 is not installed (apt-get install softhsm2)")


@pytest.fixture
def token(tmp_path, monkeypatch, pki):
    """A fresh SoftHSM2 token with an RSA key generated on it and its certificate (label 'dak-ha', id 01)."""
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

    folder = tmp_path / "tokens"
    folder.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
                   check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(config)}, timeout=60)
    lib = pkcs11.lib(LIBRARY)
    lib.reinitialize()  # SoftHSM reads SOFTHSM2_CONF when initialised: see this test's token
    session = lib.get_token(token_label=TOKEN).open(user_pin=PIN, rw=True)
    try:
        public, _private = session.generate_keypair(KeyType.RSA, 2048, label="dak-ha", id=b"\x01", store=True)
        numbers = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                       int.from_bytes(public[Attribute.MODULUS], "big"))
        leaf = make_leaf(pki.intermediate, "Ủy ban nhân dân xã Đăk Hà", "UBND xã Đăk Hà",
                         public_key=numbers.public_key())
        for label, cert, cid in (("dak-ha", leaf.cert, b"\x01"), ("ca", pki.intermediate.cert, b"\x02")):
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: cid,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            })
        private = session.get_key(ObjectClass.PRIVATE_KEY, label="dak-ha")
        assert private[Attribute.SENSITIVE] and not private[Attribute.EXTRACTABLE]
    finally:
        session.close()
    yield leaf
    lib.reinitialize()


def test_pkcs11__key_on_token__signs_both_files__department_verifies(token, exported, pki, small_library):
    from readiness.signing import Pkcs11Key, sign_submission

    xlsx, pdf = exported
    result = sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs11Key(LIBRARY, PIN), commune_code=COMMUNE, period=PERIOD,
                             library=small_library)
    assert result.signer.sha256 == __import__("readiness.signing.certs", fromlist=["x"]).fingerprint(token.cert)
    checked = verify(xlsx, small_library, [pki.root.cert], pdf=pdf)
    assert checked.status == "valid", checked
    assert checked.pdf.status == "valid"


def test_pkcs11__key_label__chooses_the_key(token, exported, small_library):
    from readiness.signing import Pkcs11Key, SigningError, sign_submission

    xlsx, pdf = exported
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs11Key(LIBRARY, PIN, key_label="khong-co"), commune_code=COMMUNE,
                        period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-TOKEN-KEY" and "dak-ha" in caught.value.message
    sign_submission(xlsx=xlsx, pdf=None, key=Pkcs11Key(LIBRARY, PIN, key_label="dak-ha"), commune_code=COMMUNE,
                    period=PERIOD, library=small_library)


def test_pkcs11__wrong_pin__refused_files_untouched(token, exported, small_library):
    from readiness.signing import Pkcs11Key, SigningError, sign_submission

    xlsx, pdf = exported
    before = (xlsx.read_bytes(), pdf.read_bytes())
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs11Key(LIBRARY, "000000"), commune_code=COMMUNE, period=PERIOD,
                        library=small_library)
    assert caught.value.code == "E-SIGN-PIN"
    assert (xlsx.read_bytes(), pdf.read_bytes()) == before


def test_pkcs11__missing_library__clear_error(exported, small_library, tmp_path):
    from readiness.signing import Pkcs11Key, SigningError, sign_submission

    xlsx, pdf = exported
    with pytest.raises(SigningError) as caught:
        sign_submission(xlsx=xlsx, pdf=pdf, key=Pkcs11Key(str(tmp_path / "khong-co.so"), PIN), commune_code=COMMUNE,
                        period=PERIOD, library=small_library)
    assert caught.value.code == "E-SIGN-TOKEN-LIB"
