"""``readiness sign`` and ``readiness trust add|list|remove|verify`` (registered by :func:`add_signing_commands`).

``readiness sign --commune CODE --period YYYY-MM --xlsx FILE --pdf FILE (--pkcs12 FILE | --pkcs11 LIB [--slot N]
[--key-label L])``
    signs the exported files in place.  The password (PKCS#12) or PIN (token) is asked for without
    echo, or read from ``READINESS_PKCS12_PASSWORD`` / ``READINESS_PKCS11_PIN`` for scripts.
``readiness trust add ROOT.cer [--note TEXT]`` / ``trust list`` / ``trust remove SHA256-PREFIX``
    the department's trusted roots (in its database, ``--db``).
``readiness trust verify FILE.xlsx [--pdf FILE]``
    checks a submission's signatures against the installed roots without importing it.

Exit codes: 0 done (``verify``: signed and valid), 1 refused / not valid, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import SigningError

if TYPE_CHECKING:
    from ..store.db import Store

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def add_signing_commands(subparsers: Any) -> None:
    sign = subparsers.add_parser("sign")
    sign.add_argument("--commune", required=True, metavar="CODE", help="mã xã (5 chữ số)")
    sign.add_argument("--period", required=True, metavar="YYYY-MM", help="kỳ báo cáo, ví dụ 2025-11")
    sign.add_argument("--xlsx", required=True, type=Path, metavar="FILE", help="tệp Excel đã xuất")
    sign.add_argument("--pdf", required=True, type=Path, metavar="FILE", help="báo cáo PDF đã xuất")
    key = sign.add_mutually_exclusive_group(required=True)
    key.add_argument("--pkcs12", type=Path, metavar="FILE", help="tệp chứng thư số .p12/.pfx (hỏi mật khẩu)")
    key.add_argument("--pkcs11", metavar="LIB", help="thư viện PKCS#11 của USB token (.dll/.so; hỏi mã PIN)")
    sign.add_argument("--slot", type=int, default=None, metavar="N",
                      help="khe (slot) của token (mặc định: khe có token)")
    sign.add_argument("--key-label", default=None, metavar="L", help="nhãn khoá trên token, khi có nhiều khoá")
    sign.add_argument("--json", action="store_true")
    sign.set_defaults(handler=cmd_sign, func=cmd_sign)

    trust = subparsers.add_parser("trust")
    commands = trust.add_subparsers(dest="trust_command", metavar="LỆNH", required=True,
                                    parser_class=type(trust))
    add = commands.add_parser("add", help="cài chứng thư gốc (.cer/.crt/.pem/.p7b)")
    add.add_argument("files", nargs="+", type=Path, metavar="ROOT.cer", help="tệp chứng thư gốc (một hoặc nhiều)")
    add.add_argument("--note", default=None, help="ghi chú (nguồn nhận, số công văn...)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_trust_add, func=cmd_trust_add)
    listing = commands.add_parser("list", help="liệt kê chứng thư gốc đã cài")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_trust_list, func=cmd_trust_list)
    remove = commands.add_parser("remove", help="gỡ một chứng thư gốc (theo mã SHA-256, ít nhất 8 chữ số đầu)")
    remove.add_argument("fingerprint", metavar="SHA256", help="mã SHA-256 của chứng thư (readiness trust list)")
    remove.add_argument("--json", action="store_true")
    remove.set_defaults(handler=cmd_trust_remove, func=cmd_trust_remove)
    verify = commands.add_parser("verify", help="kiểm tra chữ ký số của một tệp nộp (không nhập)")
    verify.add_argument("xlsx", type=Path, metavar="FILE.xlsx", help="tệp kết quả xã đã gửi (.xlsx)")
    verify.add_argument("--pdf", type=Path, default=None, metavar="FILE",
                        help="báo cáo PDF (mặc định: tệp .pdf cùng tên, nếu có)")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=cmd_trust_verify, func=cmd_trust_verify)


def _print(text: str, stream: Any = None) -> None:
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding) + "\n")
    stream.flush()


def _fail(args: argparse.Namespace, error: BaseException) -> int:
    """Print a refusal as every command does (:func:`readiness.errors.print_failure`); exit code 1."""
    from ..errors import print_failure

    return print_failure(error, json_output=bool(getattr(args, "json", False)), lang=getattr(args, "lang", "vi"))


def _secret(env: str, prompt: str) -> str | None:
    import getpass

    value = os.environ.get(env)
    if value is not None:
        return value
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


# -- sign -------------------------------------------------------------------------------------------------


def cmd_sign(args: argparse.Namespace) -> int:
    from .errors import SigningError
    from ..store.db import StoreError, validate_period
    from .keys import PKCS11_PIN_ENV, PKCS12_PASSWORD_ENV, Pkcs11Key, Pkcs12Key
    from .sign import sign_submission

    try:
        period = validate_period(args.period)
    except StoreError as error:
        return _fail(args, error)
    commune = (args.commune or "").strip()
    if not (commune.isdigit() and len(commune) == 5):
        _fail(args, SigningError("E-SIGN-COMMUNE-CODE", f"Mã xã «{args.commune}» phải gồm 5 chữ số."))
        return EXIT_USAGE
    if args.pkcs12 is not None:
        if not args.pkcs12.is_file():
            return _fail(args, SigningError("E-SIGN-KEY-FILE", "Không tìm thấy tệp chứng thư số (.p12/.pfx).",
                                            file=args.pkcs12))
        password = _secret(PKCS12_PASSWORD_ENV, "Mật khẩu tệp chứng thư số: ")
        key: Any = Pkcs12Key(args.pkcs12, password)
    else:
        pin = _secret(PKCS11_PIN_ENV, "Mã PIN của thiết bị ký số: ")
        if not pin:
            return _fail(args, SigningError("E-SIGN-PIN", "Chưa nhập mã PIN."))
        key = Pkcs11Key(args.pkcs11, pin, slot=args.slot, key_label=args.key_label)
    try:
        result = sign_submission(xlsx=args.xlsx, pdf=args.pdf, key=key, commune_code=commune, period=period)
    except SigningError as error:
        return _fail(args, error)
    finally:
        if isinstance(key, Pkcs12Key):  # drop the secret as soon as possible
            key.password = None
        else:
            key.pin = None
    recorded = _record_signed(args, result, commune, period)
    if args.json:
        _print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    from .certs import vn_time

    if recorded:
        _print(f"Lưu ý: {recorded}", sys.stderr)
    _print(f"Đã ký số: {result.xlsx}")
    if result.pdf:
        _print(f"Đã ký số: {result.pdf}")
    _print(f"  Ký bởi: {result.signer.display_name}")
    _print(f"  Cơ quan: {result.signer.display_org}")
    _print(f"  Thời gian ký: {vn_time(result.signed_at)}")
    _print(f"  Chứng thư do: {result.signer.issuer_cn or result.signer.issuer} cấp, hiệu lực đến "
           f"{result.signer.not_after.astimezone().strftime('%d/%m/%Y')}")
    return EXIT_OK


def _record_signed(args: argparse.Namespace, result: Any, commune: str, period: str) -> str | None:
    """Remember the signed files (their bytes changed) among what this installation sent; a receipt from
    the department is checked against them.  The files are signed whatever happens here: a failure is a note."""
    if not result.assessment_id or result.revision is None:
        return None
    try:
        from ..service import Workspace

        workspace = Workspace.open(args.db)
        try:
            files = [("xlsx", result.xlsx)] + ([("pdf", result.pdf)] if result.pdf else [])
            workspace.record_exports(assessment_id=result.assessment_id, commune_code=commune, period=period,
                                     revision=result.revision, status=result.status or "finalized", files=files,
                                     action="signed", data_sha256=result.data_sha256)
        finally:
            workspace.close()
    except Exception as error:  # noqa: BLE001 - the signature is made; only the record of it is missing
        return (f"đã ký số nhưng không ghi được vào danh sách tệp đã gửi ({error}); khi kiểm tra giấy xác nhận của "
                "Sở, chọn tệp đã gửi (--file).")
    return None


# -- trust ------------------------------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> Store:
    from ..store.db import Store

    return Store.open(args.db)


def cmd_trust_add(args: argparse.Namespace) -> int:
    from .errors import SigningError
    from .trust import TrustStore

    store = _store(args)
    added: list[dict[str, Any]] = []
    try:
        trust = TrustStore(store)
        for path in args.files:
            try:
                results = trust.add_file(path, args.note)
            except SigningError as error:
                return _fail(args, error)
            for root, new in results:
                added.append({**root.to_dict(), "new": new})
                if not args.json:
                    _print(("Đã cài chứng thư gốc: " if new else "Đã có từ trước: ") + root.describe())
    finally:
        store.close()
    if args.json:
        _print(json.dumps({"ok": True, "roots": added}, ensure_ascii=False, indent=2))
    else:
        _print("Đối chiếu mã SHA-256 trên với mã trong công văn/nguồn phát hành trước khi dùng.")
    return EXIT_OK


def cmd_trust_list(args: argparse.Namespace) -> int:
    from .trust import TrustStore

    store = _store(args)
    try:
        roots = TrustStore(store).list()
    finally:
        store.close()
    if args.json:
        _print(json.dumps({"roots": [r.to_dict() for r in roots]}, ensure_ascii=False, indent=2))
    elif not roots:
        _print("Chưa cài chứng thư gốc nào: mọi tệp có chữ ký số sẽ bị từ chối (E-SIG-NO-ROOTS). "
               "Cài bằng «readiness trust add ROOT.cer».")
    else:
        for index, root in enumerate(roots, start=1):
            _print(f"{index}. {root.describe()}")
    return EXIT_OK


def cmd_trust_remove(args: argparse.Namespace) -> int:
    from .errors import SigningError
    from .trust import TrustStore

    store = _store(args)
    try:
        root = TrustStore(store).remove(args.fingerprint)
    except SigningError as error:
        return _fail(args, error)
    finally:
        store.close()
    if args.json:
        _print(json.dumps({"ok": True, "removed": root.to_dict()}, ensure_ascii=False, indent=2))
    else:
        _print("Đã gỡ chứng thư gốc: " + root.describe())
    return EXIT_OK


def cmd_trust_verify(args: argparse.Namespace) -> int:
    from ..exchange import ExchangeError, read_submission
    from .trust import TrustStore
    from .verify import VALID, companion_pdf, verify_submission

    store = _store(args)
    try:
        roots = TrustStore(store).certificates()
        try:
            submission = read_submission(args.xlsx)
        except ExchangeError as error:
            return _fail(args, error)
        commune = None
        if submission.commune_code:
            try:
                commune = store.commune(submission.commune_code)
            except Exception:  # noqa: BLE001 - an unknown code: matched against nothing, reported by the importer
                commune = None
        register = store.all_communes()
    finally:
        store.close()
    pdf = args.pdf if args.pdf is not None else companion_pdf(args.xlsx)
    result = verify_submission(submission, roots=roots, commune=commune, register=register, pdf=pdf)
    if args.json:
        _print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(f"{args.xlsx}: {result.label}" + (f" ({result.code})" if result.code else ""))
        _print(f"  {result.message}")
        if result.pdf is not None:
            _print(f"  Báo cáo PDF {pdf}: {result.pdf.label}" + (f" — {result.pdf.message}"
                                                                 if result.pdf.status != VALID else ""))
        for note in result.notes:
            _print(f"  Ghi chú: {note}")
    return EXIT_OK if result.status == VALID else EXIT_REJECTED
