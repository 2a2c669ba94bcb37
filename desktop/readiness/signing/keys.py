"""Where the signing key is: a PKCS#12 file (.p12/.pfx, password) or a USB token through PKCS#11 (PIN).

:func:`open_signer` gives a pyHanko ``Signer`` for either, as a context manager: a token session
is logged out and closed when the block ends.  With a token the private key never leaves it: pyHanko
asks the token to sign the digest with the token's own mechanism (``CKM_SHA256_RSA_PKCS`` for an
RSA key, ``CKM_ECDSA`` for EC).

Secrets come from the caller (the CLI prompts with ``getpass`` or reads ``READINESS_PKCS12_PASSWORD``
/ ``READINESS_PKCS11_PIN``; the GUI has a password field that never echoes).  They are not logged
or stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from .certs import CertInfo, can_sign, from_asn1, is_ca, vn_date
from .errors import SigningError

PKCS12_PASSWORD_ENV = "READINESS_PKCS12_PASSWORD"
PKCS11_PIN_ENV = "READINESS_PKCS11_PIN"


@dataclass
class Pkcs12Key:
    path: Path
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        return f"tệp {Path(self.path).name}"


@dataclass
class Pkcs11Key:
    library: str  # path of the token's PKCS#11 module (e.g. C:\\Windows\\System32\\vgca_csp11.dll)
    pin: str | None = field(default=None, repr=False)
    slot: int | None = None
    key_label: str | None = None
    token_label: str | None = None

    def describe(self) -> str:
        return f"thiết bị ký số (PKCS#11 {Path(self.library).name})"


KeySource = Pkcs12Key | Pkcs11Key


@dataclass
class OpenedSigner:
    """A pyHanko signer and its certificate, ready to sign."""

    signer: Any  # pyhanko.sign.signers.Signer
    certificate: x509.Certificate
    chain: list[x509.Certificate]  # other certificates that came with the key (intermediates, root)
    source: str

    @property
    def info(self) -> CertInfo:
        return CertInfo.of(self.certificate)


def check_certificate(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse to sign with a certificate that is expired, not yet valid, a CA or not for signing."""
    now = now or dt.datetime.now(dt.UTC)
    if now > cert.not_valid_after_utc:
        raise SigningError("E-SIGN-CERT-EXPIRED", f"Chứng thư số đã hết hạn ngày {vn_date(cert.not_valid_after_utc)}; "
                           "hãy gia hạn chứng thư số tại Ban Cơ yếu Chính phủ / đơn vị cấp rồi ký lại.")
    if now < cert.not_valid_before_utc:
        raise SigningError("E-SIGN-CERT-NOT-YET-VALID", f"Chứng thư số chỉ có hiệu lực từ ngày "
                           f"{vn_date(cert.not_valid_before_utc)}; kiểm tra lại ngày giờ của máy tính.")
    if is_ca(cert) or not can_sign(cert):
        raise SigningError("E-SIGN-CERT-USAGE", "Chứng thư số này không dùng để ký văn bản (chứng thư của tổ chức "
                           "cấp phát hoặc không có quyền ký số).")


@contextmanager
def open_signer(source: KeySource) -> Iterator[OpenedSigner]:
    if isinstance(source, Pkcs12Key):
        yield _pkcs12(source)
    elif isinstance(source, Pkcs11Key):
        with _pkcs11(source) as opened:
            yield opened
    else:  # pragma: no cover - typing guards this
        raise TypeError(source)


# -- PKCS#12 -----------------------------------------------------------------------------------


def _pkcs12(source: Pkcs12Key) -> OpenedSigner:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    path = Path(source.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError("E-SIGN-KEY-FILE", "Không tìm thấy tệp chứng thư số (.p12/.pfx).", file=path) from None
    except OSError as error:
        raise SigningError("E-SIGN-KEY-FILE", f"Không đọc được tệp chứng thư số: {error.strerror or error}.",
                           file=path) from None
    password = source.password.encode("utf-8") if source.password else None
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        if password is None:
            raise SigningError("E-SIGN-PASSWORD", "Tệp chứng thư số có mật khẩu: hãy nhập mật khẩu.", file=path) from None
        raise SigningError("E-SIGN-PASSWORD", "Sai mật khẩu, hoặc tệp không phải tệp chứng thư số PKCS#12 "
                           "(.p12/.pfx).", file=path) from None
    except Exception as error:  # noqa: BLE001 - unsupported algorithms in old files
        raise SigningError("E-SIGN-KEY-FILE", f"Không mở được tệp chứng thư số: {error}.", file=path) from None
    if key is None or cert is None:
        raise SigningError("E-SIGN-KEY-FILE", "Tệp không chứa khoá bí mật và chứng thư số của đơn vị.", file=path)
    check_certificate(cert)
    signer = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    return OpenedSigner(signer, cert, list(others or ()), source.describe())


# -- PKCS#11 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenObject:
    label: str | None
    id: bytes | None


def _pkcs11_errors():
    import pkcs11.exceptions as p11e

    return p11e


@contextmanager
def _pkcs11(source: Pkcs11Key) -> Iterator[OpenedSigner]:
    from pyhanko.sign.pkcs11 import open_pkcs11_session
    from pyhanko.sign.general import SigningError as HankoSigningError

    p11e = _pkcs11_errors()
    if not Path(source.library).exists():
        raise SigningError("E-SIGN-TOKEN-LIB", f"Không tìm thấy thư viện PKCS#11 «{source.library}» (cài phần mềm "
                           "của thiết bị ký số / USB token trước).")
    try:
        slot = source.slot
        if slot is None and not source.token_label:
            slot = _only_token_slot(source.library)
        session = open_pkcs11_session(source.library, slot_no=slot, token_criteria=_criteria(source),
                                      user_pin=source.pin)
    except p11e.PinIncorrect:
        raise SigningError("E-SIGN-PIN", "Sai mã PIN của thiết bị ký số. Lưu ý: nhập sai nhiều lần thiết bị sẽ bị "
                           "khoá.") from None
    except p11e.PinLocked:
        raise SigningError("E-SIGN-PIN-LOCKED", "Thiết bị ký số đã bị khoá do nhập sai PIN nhiều lần; liên hệ đơn vị "
                           "cấp chứng thư để mở khoá.") from None
    except (p11e.PinLenRange, p11e.PinInvalid):
        raise SigningError("E-SIGN-PIN", "Mã PIN không đúng định dạng.") from None
    except (p11e.NoSuchToken, p11e.TokenNotPresent, p11e.SlotIDInvalid):
        raise SigningError("E-SIGN-TOKEN", "Không thấy thiết bị ký số: hãy cắm USB token và thử lại.") from None
    except (HankoSigningError, p11e.PKCS11Error, RuntimeError, OSError) as error:
        text = str(error) or type(error).__name__
        if "No token" in text:
            raise SigningError("E-SIGN-TOKEN", "Không thấy thiết bị ký số: hãy cắm USB token và thử lại.") from None
        raise SigningError("E-SIGN-TOKEN", f"Không mở được thiết bị ký số: {text}.") from None
    try:
        yield _token_signer(session, source)
    finally:
        try:
            session.close()
        except Exception:  # noqa: BLE001 - a token pulled out mid-way
            pass


def _only_token_slot(library: str) -> int:
    """The index of the one slot holding an initialised token (a reader may expose several empty slots)."""
    import pkcs11
    from pkcs11.constants import TokenFlag

    p11e = _pkcs11_errors()
    found: list[tuple[int, str]] = []
    for index, slot in enumerate(pkcs11.lib(library).get_slots()):
        try:
            token = slot.get_token()
        except p11e.PKCS11Error:
            continue
        if token.flags & TokenFlag.TOKEN_INITIALIZED:
            found.append((index, (token.label or "").strip()))
    if not found:
        raise SigningError("E-SIGN-TOKEN", "Không thấy thiết bị ký số: hãy cắm USB token và thử lại.")
    if len(found) > 1:
        listed = ", ".join(f"khe {index}: «{label}»" for index, label in found)
        raise SigningError("E-SIGN-TOKEN-MANY", f"Đang cắm nhiều thiết bị ký số ({listed}); chọn một bằng --slot.")
    return found[0][0]


def _criteria(source: Pkcs11Key) -> Any:
    if not source.token_label:
        return None
    from pyhanko.config.pkcs11 import TokenCriteria

    return TokenCriteria(label=source.token_label)


def token_certificates(session: Any) -> list[tuple[TokenObject, x509.Certificate]]:
    """The certificates on a token, with their label and CKA_ID."""
    from pkcs11 import Attribute, ObjectClass

    out = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = obj[Attribute.VALUE]
            cert = x509.load_der_x509_certificate(bytes(der))
        except Exception:  # noqa: BLE001 - a certificate the token cannot give us, or not X.509
            continue
        out.append((TokenObject(_attr(obj, Attribute.LABEL), _attr(obj, Attribute.ID)), cert))
    return out


def token_private_keys(session: Any) -> list[TokenObject]:
    from pkcs11 import Attribute, ObjectClass

    return [TokenObject(_attr(obj, Attribute.LABEL), _attr(obj, Attribute.ID))
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})]


def _attr(obj: Any, attribute: Any) -> Any:
    try:
        value = obj[attribute]
    except Exception:  # noqa: BLE001 - attribute not present / sensitive
        return None
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else value


def choose_token_key(keys: list[TokenObject], certs: list[tuple[TokenObject, x509.Certificate]],
                     key_label: str | None) -> tuple[TokenObject, x509.Certificate]:
    """The private key to sign with and its certificate (paired by CKA_ID, else by label)."""

    def cert_for(key: TokenObject) -> x509.Certificate | None:
        for obj, cert in certs:
            if key.id and obj.id == key.id:
                return cert
        for obj, cert in certs:
            if key.label and obj.label == key.label:
                return cert
        return None

    if key_label:
        chosen = [k for k in keys if k.label == key_label]
        if not chosen:
            labels = ", ".join(sorted(k.label or "?" for k in keys)) or "(không có)"
            raise SigningError("E-SIGN-TOKEN-KEY", f"Không có khoá nào nhãn «{key_label}» trên thiết bị; các khoá: {labels}.")
    else:
        chosen = keys
    pairs = [(k, c) for k in chosen if (c := cert_for(k)) is not None and not is_ca(c) and can_sign(c)]
    if not pairs:
        raise SigningError("E-SIGN-TOKEN-KEY", "Thiết bị ký số không có khoá kèm chứng thư số dùng để ký.")
    if len(pairs) > 1:
        labels = ", ".join(f"«{k.label or '?'}» ({CertInfo.of(c).display_name})" for k, c in pairs)
        raise SigningError("E-SIGN-TOKEN-MANY", f"Thiết bị có nhiều khoá ký: {labels}. Chọn một bằng --key-label.")
    return pairs[0]


def _token_signer(session: Any, source: Pkcs11Key) -> OpenedSigner:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    from .certs import to_asn1

    certs = token_certificates(session)
    key, cert = choose_token_key(token_private_keys(session), certs, source.key_label)
    check_certificate(cert)
    others = [c for _, c in certs if c != cert]
    kwargs: dict[str, Any] = {"key_id": key.id} if key.id else {"key_label": key.label}
    signer = PKCS11Signer(session, signing_cert=to_asn1(cert), ca_chain=[to_asn1(c) for c in others], **kwargs)
    return OpenedSigner(signer, cert, others, source.describe())


def signer_chain(opened: OpenedSigner) -> list[x509.Certificate]:
    """The certificates pyHanko will embed besides the signer's (as cryptography objects)."""
    registry = getattr(opened.signer, "cert_registry", None)
    if registry is None:
        return list(opened.chain)
    return [from_asn1(c) for c in registry]
