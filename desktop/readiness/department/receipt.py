"""The receipt: «Giấy xác nhận đã nhận kết quả tự đánh giá» for each accepted submission (issue 14 §4).

A titled document in Nghị định 30 form (letterhead, «GIẤY XÁC NHẬN», «Kính gửi: UBND xã …», the
signer block) stating what the department received: the commune, the period, the revision, the file's
name, its SHA-256, when it was received, its signature status, score and level, and whether it came on
time.  One PDF per commune, or every receipt of a batch in one file.

The same facts are embedded in the PDF, machine-readable: a JSON attachment
(:data:`ATTACHMENT`, ``{"format": "readiness-receipt", "version": 1, "receipts": [...]}``), so a
commune's check (:mod:`readiness.department.receipt_check`) never reads the visible text.  Where the
department has a signing identity set up (:mod:`readiness.department.signing_identity`), the PDF is
signed with it (PAdES, the same stack the communes sign with) after the attachment is added: the
signature covers the facts, and a receipt edited afterwards no longer verifies.

Every receipt is written, read back (the attachment and, when signed, the signature), then renamed
into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exchange.letter import Letter, Para, Table
from ..store.db import StoreError, period_label, validate_period
from .cycle import VIETNAM, local, vn_date, vn_datetime

if TYPE_CHECKING:
    from cryptography import x509

    from ..document_settings import DocumentSettings
    from ..service import Workspace
    from ..signing.keys import KeySource, OpenedSigner

FORMAT = "readiness-receipt"
VERSION = 1
ATTACHMENT = "giay-xac-nhan.json"
KIND_CODE = "GXN"  # Giấy xác nhận: «Số: …/GXN-SKHCN»
TITLE = "GIẤY XÁC NHẬN"


@dataclass(frozen=True)
class ReceiptFacts:
    """What one receipt states (and its attachment holds)."""

    commune_code: str
    commune_name: str
    period: str
    revision: int
    assessment_id: str
    file_name: str
    file_sha256: str
    file_size: int | None
    data_sha256: str | None  # the workbook's data seal (the same file signed or not)
    received_at: dt.datetime
    finalized_at: dt.datetime | None
    signature: str | None  # valid / unsigned / invalid
    signature_label: str
    signer: str | None
    signed_at: dt.datetime | None
    score: float | None
    level: str | None
    level_label: str | None
    deadline: dt.date | None
    on_time: bool | None  # this submission; None: the period has no deadline
    days_late: int
    first_revision: int | None = None  # the commune's first submission of the period, when this is a later one
    first_on_time: bool | None = None
    first_received_at: dt.datetime | None = None
    issuer: str = ""
    issued_on: dt.date | None = None
    number: str = ""

    @property
    def timeliness_text(self) -> str:
        if self.deadline is None:
            return "Kỳ này chưa đặt hạn nộp"
        if self.on_time:
            return f"Đúng hạn (hạn nộp {vn_date(self.deadline)})"
        late = f" {self.days_late} ngày" if self.days_late else ""
        return f"Sau hạn{late} (hạn nộp {vn_date(self.deadline)})"

    def to_dict(self) -> dict[str, Any]:
        def moment(value: dt.datetime | None) -> str | None:
            return local(value).isoformat() if value is not None else None

        return {
            "commune": {"code": self.commune_code, "name": self.commune_name}, "period": self.period,
            "revision": self.revision, "assessment": self.assessment_id,
            "file": {"name": self.file_name, "sha256": self.file_sha256, "size": self.file_size},
            "data_sha256": self.data_sha256, "received_at": moment(self.received_at),
            "finalized_at": moment(self.finalized_at),
            "signature": {"status": self.signature, "label": self.signature_label, "signer": self.signer,
                          "signed_at": moment(self.signed_at)},
            "score": None if self.score is None else round(self.score, 1), "level": self.level,
            "level_label": self.level_label,
            "deadline": self.deadline.isoformat() if self.deadline else None, "on_time": self.on_time,
            "days_late": self.days_late if self.on_time is False else None,
            "first": None if self.first_revision is None else {
                "revision": self.first_revision, "on_time": self.first_on_time,
                "received_at": moment(self.first_received_at)},
            "issuer": self.issuer, "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "number": self.number or None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReceiptFacts:
        """The facts back from an attachment (:class:`ValueError` / :class:`KeyError` when malformed)."""
        def moment(value: Any) -> dt.datetime | None:
            return dt.datetime.fromisoformat(value) if value else None

        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        commune, file, signature = data["commune"], data["file"], data.get("signature") or {}
        first = data.get("first") or {}
        sha = str(file["sha256"]).lower()
        if len(sha) != 64 or any(ch not in "0123456789abcdef" for ch in sha):
            raise ValueError("file.sha256 is not a SHA-256")
        return cls(
            commune_code=str(commune["code"]), commune_name=str(commune["name"]), period=validate_period(data["period"]),
            revision=int(data["revision"]), assessment_id=str(data["assessment"]), file_name=str(file["name"]),
            file_sha256=sha, file_size=file.get("size"), data_sha256=data.get("data_sha256"),
            received_at=moment(data["received_at"]),  # type: ignore[arg-type]  # a receipt always says when
            finalized_at=moment(data.get("finalized_at")),
            signature=signature.get("status"), signature_label=signature.get("label") or "",
            signer=signature.get("signer"), signed_at=moment(signature.get("signed_at")),
            score=data.get("score"), level=data.get("level"), level_label=data.get("level_label"),
            deadline=day(data.get("deadline")), on_time=data.get("on_time"), days_late=int(data.get("days_late") or 0),
            first_revision=first.get("revision"), first_on_time=first.get("on_time"),
            first_received_at=moment(first.get("received_at")), issuer=data.get("issuer") or "",
            issued_on=day(data.get("issued_on")), number=data.get("number") or "")


@dataclass
class Receipt:
    facts: ReceiptFacts
    letter: Letter


@dataclass
class ReceiptOptions:
    date: dt.date | None = None  # of the receipt (default today)
    number: str = ""
    signer_name: str | None = None
    codes: tuple[str, ...] = ()  # only these communes (default: every commune of the scope with a submission)
    revision: int | None = None  # with one commune: this revision (default: the one in use)
    province: str | None = None  # default: the settings' home province


@dataclass
class ReceiptFile:
    """A PDF written: where, which receipts it holds, and its signature (when signed)."""

    path: Path
    facts: list[ReceiptFacts]
    sha256: str
    signed: bool = False
    signer: str | None = None
    signed_at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "signed": self.signed, "signer": self.signer,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None,
                "receipts": [f.to_dict() for f in self.facts]}


# -- the facts ------------------------------------------------------------------------------------------


def receipt_facts(workspace: Workspace, period: str, options: ReceiptOptions | None = None,
                  settings: DocumentSettings | None = None) -> list[ReceiptFacts]:
    """The facts of every accepted (imported, finalized) submission asked for, in the register's order.

    Without ``codes``: the revision in use of every commune of the scope that sent one.  With one
    commune and ``revision``: that revision.  :class:`StoreError` when there is nothing to confirm.
    """
    from ..document_settings import load_settings
    from ..signing.records import signature_statuses
    from ..store.cycle import submissions
    from .cycle import period_deadline, submission_time

    options = options or ReceiptOptions()
    period = validate_period(period)
    settings = settings or load_settings(workspace.store)
    store = workspace.store
    if options.codes:
        communes = [store.commune(code) for code in dict.fromkeys(options.codes)]
    else:
        province = options.province or settings.home_province
        communes = store.communes(None, None if province == "all" else province)
    if options.revision is not None and len(communes) != 1:
        raise StoreError("E-RECEIPT-REVISION", "Chọn lần gửi (--revision) chỉ khi cấp giấy cho một xã (--commune).")
    records = submissions(store, period, [c.code for c in communes])
    by_commune: dict[str, list[Any]] = {}
    for record in records:
        by_commune.setdefault(record.commune_code, []).append(record)
    signatures = signature_statuses(store, [r.assessment_id for r in records])
    deadline = period_deadline(workspace, period)
    label = period_label(period)
    levels = _level_labels(workspace)
    today = options.date or dt.date.today()
    out: list[ReceiptFacts] = []
    for commune in communes:
        revisions = by_commune.get(commune.code, [])
        if options.revision is not None:
            chosen = [r for r in revisions if r.revision == options.revision]
        else:
            chosen = revisions[-1:]
        chosen = [r for r in chosen if r.origin == "import" and r.file_sha256]
        if not chosen:
            if options.codes:
                what = f"lần gửi {options.revision}" if options.revision is not None else "kết quả tự đánh giá"
                raise StoreError("E-RECEIPT-NONE", f"Sở chưa nhận {what} kỳ {label} của {commune.name} qua tệp "
                                 "(chỉ cấp giấy xác nhận cho tệp đã nhập và đã được tiếp nhận).")
            continue
        record = chosen[0]
        signature = signatures.get(record.assessment_id)
        time = submission_time(record, signature)
        first_record = revisions[0]
        first = submission_time(first_record, signatures.get(first_record.assessment_id))
        later = first_record.revision != record.revision
        out.append(ReceiptFacts(
            commune_code=commune.code, commune_name=commune.name, period=period, revision=record.revision,
            assessment_id=record.assessment_id, file_name=record.file_name or "", file_sha256=record.file_sha256,
            file_size=record.file_size, data_sha256=record.data_sha256,
            received_at=time.received_at or record.finalized_at, finalized_at=record.finalized_at,
            signature=getattr(signature, "status", None), signature_label=_signature_text(signature),
            signer=(getattr(signature, "signer_org", None) or getattr(signature, "signer_name", None)) if signature else None,
            signed_at=getattr(signature, "signed_at", None) if signature else None,
            score=record.score, level=record.level, level_label=levels.get(record.level or "", record.level),
            deadline=deadline, on_time=time.on_time(deadline), days_late=time.late_by(deadline),
            first_revision=first_record.revision if later else None,
            first_on_time=first.on_time(deadline) if later else None,
            first_received_at=first.received_at if later else None,
            issuer=settings.department_full_name, issued_on=today, number=options.number))
    if not out:
        raise StoreError("E-RECEIPT-NONE", f"Chưa có kết quả tự đánh giá nào kỳ {label} được nhập qua tệp trong phạm vi "
                         "này: chưa có gì để xác nhận.")
    return out


def _level_labels(workspace: Workspace) -> dict[str, str]:
    labels: dict[str, str] = {}
    for checklist_id, version in workspace.library.available():
        try:
            for level in workspace.library.get(checklist_id, version).levels:
                labels.setdefault(level.id, level.label.vi)
        except KeyError:
            continue
    return labels


def _signature_text(signature: Any) -> str:
    from ..signing.errors import status_label

    if signature is None:
        return status_label("unsigned")
    label = status_label(signature.status)
    if signature.status == "valid":
        who = signature.signer_org or signature.signer_name or ""
        when = f", ký lúc {vn_datetime(signature.signed_at)}" if signature.signed_at else ""
        return f"{label}: {who}{when}".rstrip(": ")
    if signature.status == "invalid":
        return f"{label}: {' '.join((signature.message or '').split())}".rstrip(": ")
    return label


# -- the document ---------------------------------------------------------------------------------------


def _grouped(sha: str) -> str:
    """A SHA-256 in eight groups of eight on two lines, to read and compare by eye."""
    groups = [sha[i:i + 8] for i in range(0, len(sha), 8)]
    return " ".join(groups[:4]) + "\n" + " ".join(groups[4:])


def _size(size: int | None) -> str:
    from ..answers import format_number

    if not size:
        return ""
    return f" ({format_number(round(size / 1024, 1))} KB)" if size >= 1024 else f" ({size} byte)"


def build_receipt_letter(facts: ReceiptFacts, settings: DocumentSettings, *, date: dt.date | None = None,
                         number: str = "", signer_name: str | None = None) -> Letter:
    """The receipt for one submission, as a titled document of the department."""
    from ..answers import format_number

    label = period_label(facts.period)
    department = settings.department_name
    body_name = f"UBND {facts.commune_name[:1].lower()}{facts.commune_name[1:]}"
    revision = "Lần 1 (bản gửi đầu tiên)" if facts.revision == 1 else f"Lần {facts.revision} (bản sửa lần {facts.revision - 1})"
    score = "—" if facts.score is None else f"{format_number(round(facts.score, 1))}/100"
    level = f"; mức «{facts.level_label}»" if facts.level_label else ""
    timeliness = facts.timeliness_text
    if facts.first_revision is not None and facts.deadline is not None:
        first = "đúng hạn" if facts.first_on_time else "sau hạn"
        timeliness += (f"; bản gửi lần {facts.first_revision} nhận lúc {vn_datetime(facts.first_received_at)}, "
                       f"{first}")
    rows = (
        ("Đơn vị gửi", f"{facts.commune_name} (mã {facts.commune_code})"),
        ("Kỳ báo cáo", label),
        ("Lần gửi", revision),
        ("Tệp đã nhận", f"{facts.file_name}{_size(facts.file_size)}"),
        ("Mã SHA-256 của tệp", _grouped(facts.file_sha256)),
        ("Thời điểm nhận", f"{vn_datetime(facts.received_at)} (giờ Việt Nam)"),
        ("Chữ ký số của tệp", facts.signature_label),
        ("Điểm tự đánh giá", f"{score}{level}"),
        ("Thời hạn", timeliness),
    )
    body: list[Any] = [
        Para("p", f"{department} xác nhận đã nhận kết quả tự đánh giá mức độ sẵn sàng hạ tầng công nghệ thông tin của "
                  f"Bộ phận Một cửa kỳ {label} do {body_name} gửi, cụ thể như sau:"),
        Table(("Nội dung", "Thông tin"), rows, (3.0, 7.2)),
        Para("p", "Mã SHA-256 là dấu vân tay của tệp: chỉ đúng tệp đã gửi mới có mã này. Đơn vị đối chiếu bằng phần mềm "
                  "«Sẵn sàng Một cửa» (Tệp › Kiểm tra giấy xác nhận của Sở) hoặc lệnh «readiness receipt check»; "
                  "nếu mã không khớp tệp đã gửi, đề nghị liên hệ ngay với " + department + "."),
        Para("note", "Giấy xác nhận này xác nhận việc tiếp nhận tệp; điểm và mức là kết quả đơn vị tự đánh giá."),
    ]
    copies = ("Như trên;", *[line for line in settings.letter_recipients if line.lower().startswith("lưu")])
    return Letter(
        settings=settings, date=date or facts.issued_on or dt.date.today(),
        subject=f"Đã nhận kết quả tự đánh giá mức độ sẵn sàng hạ tầng CNTT kỳ {label}",
        addressees=(body_name,), body=body, closing=f"{department} xác nhận để {body_name} biết./.",
        copies=copies, number=number, code=settings.code_of(KIND_CODE), title=TITLE,
        signer_name=signer_name or None, kind_label="Giấy xác nhận", signature_spot=True)


def receipts(workspace: Workspace, period: str, options: ReceiptOptions | None = None,
             settings: DocumentSettings | None = None) -> list[Receipt]:
    """The receipts asked for: the facts of each submission and its document."""
    from ..document_settings import load_settings

    options = options or ReceiptOptions()
    settings = settings or load_settings(workspace.store)
    return [Receipt(facts, build_receipt_letter(facts, settings, date=options.date, number=options.number,
                                                signer_name=options.signer_name))
            for facts in receipt_facts(workspace, period, options, settings)]


# -- reading a receipt back ------------------------------------------------------------------------


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReceiptSignature:
    """The department's signature on a receipt."""

    status: str  # valid / untrusted / unsigned / tampered
    message: str
    signer: str | None = None
    signed_at: dt.datetime | None = None

    @property
    def intact(self) -> bool:
        """Signed, and nothing changed since (whoever signed)."""
        return self.status in ("valid", "untrusted")

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message, "signer": self.signer,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None}


def refuse(path: Path, message: str) -> StoreError:
    return StoreError("E-RECEIPT-FORMAT", f"Tệp «{path.name}» {message}")


def attachments(data: bytes) -> dict[str, bytes]:
    """The embedded files of a PDF (the document's ``/EmbeddedFiles`` name tree), name -> bytes."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    names = reader.root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    found: dict[str, bytes] = {}

    def walk(node: Any, depth: int = 0) -> None:
        node = node.get_object()
        if depth > 8:
            return
        pairs = node.get("/Names")
        if pairs is not None:
            pairs = pairs.get_object()
            for index in range(0, len(pairs) - 1, 2):
                spec = pairs[index + 1].get_object()
                stream = spec.get("/EF", {}).get("/F") if hasattr(spec, "get") else None
                if stream is None:
                    continue
                stream = stream.get_object()
                length = int(stream.get("/Length", 0) or 0)
                if length > MAX_ATTACHMENT_BYTES:
                    continue
                found[str(pairs[index])] = stream.data
        for kid in node.get("/Kids", []) or []:
            walk(kid, depth + 1)

    if tree is not None:
        walk(tree)
    return found


def facts_of(path: Path, data: bytes) -> list[ReceiptFacts]:
    """The receipts attached to the PDF ``data`` (:class:`StoreError` ``E-RECEIPT-FORMAT`` otherwise)."""
    try:
        found = attachments(data)
    except Exception as error:  # noqa: BLE001 - a damaged or hostile PDF raises anything
        raise refuse(path, f"không đọc được (PDF hỏng: {type(error).__name__}).") from None
    raw = found.get(ATTACHMENT)
    if raw is None:
        raise refuse(path, "không phải giấy xác nhận của phần mềm «Sẵn sàng Một cửa» (không có dữ liệu đối chiếu "
                            f"«{ATTACHMENT}» đính kèm).")
    try:
        document = json.loads(raw.decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError("format")
        if int(document.get("version", 0)) > VERSION:
            raise StoreError("E-RECEIPT-FORMAT", f"Giấy xác nhận «{path.name}» do phiên bản mới hơn của phần mềm tạo "
                             "ra; hãy cập nhật phần mềm rồi kiểm tra lại.")
        receipts = [ReceiptFacts.from_dict(item) for item in document["receipts"]]
    except StoreError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise refuse(path, f"có dữ liệu đối chiếu hỏng ({type(error).__name__}: {error}).") from None
    if not receipts:
        raise refuse(path, "không ghi giấy xác nhận nào.")
    return receipts


def department_signature(data: bytes, roots: list[x509.Certificate]) -> ReceiptSignature:
    """The department's signature on the PDF ``data``, checked (``roots``: the trusted roots installed here)."""
    from ..signing.pdf import DEPARTMENT_FIELD, inspect_pdf, validate_pdf_check
    from ..signing.verify import key_usage, validation_context

    check = inspect_pdf(data, field=DEPARTMENT_FIELD)
    if not check.present:
        return ReceiptSignature("unsigned", "Giấy xác nhận không có chữ ký số của Sở: không xác minh được giấy do Sở "
                                            "phát hành và chưa bị sửa.")
    if check.problem:
        return ReceiptSignature("tampered", f"Chữ ký số của giấy xác nhận không đọc được ({check.problem}).")
    validate_pdf_check(check, validation_context(roots, check.certificates or [], check.signed_at), key_usage())
    from ..signing.certs import CertInfo

    info = CertInfo.of(check.signer) if check.signer is not None else None
    who = (info.display_org or info.display_name) if info else None
    if check.problem or not (check.intact and check.valid and check.whole_file):
        return ReceiptSignature("tampered", "Giấy xác nhận đã bị sửa sau khi Sở ký số (chữ ký không còn khớp nội "
                                            "dung): không dùng giấy này; đề nghị Sở cấp lại.", who, check.signed_at)
    when = f" lúc {vn_datetime(check.signed_at)}" if check.signed_at else ""
    if check.trusted:
        return ReceiptSignature("valid", f"Đã ký số bởi {who}{when}; giấy nguyên vẹn.", who, check.signed_at)
    return ReceiptSignature("untrusted", f"Đã ký số bởi {who}{when}; giấy nguyên vẹn, nhưng máy này chưa cài chứng thư "
                                         "gốc để xác minh chứng thư số của Sở (readiness trust add).", who,
                            check.signed_at)


# -- the PDF --------------------------------------------------------------------------------------------


def payload(facts: list[ReceiptFacts]) -> bytes:
    """The attachment: canonical JSON (sorted keys, UTF-8)."""
    document = {"format": FORMAT, "version": VERSION, "receipts": [f.to_dict() for f in facts]}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def embed_facts(pdf: bytes, facts: list[ReceiptFacts], *, when: dt.datetime | None = None) -> bytes:
    """``pdf`` with the facts attached as :data:`ATTACHMENT` (an incremental update, pyHanko)."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    moment = when or dt.datetime.now(VIETNAM)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, payload(facts), mime_type="application/json",
        params=embed.EmbeddedFileParams(creation_date=moment, modification_date=moment))
    spec = embed.FileSpec(file_spec_string=ATTACHMENT, file_name=ATTACHMENT, embedded_data=data,
                          description="Giấy xác nhận: dữ liệu để đối chiếu (Sẵn sàng Một cửa)",
                          af_relationship=generic.pdf_name("/Data"))
    embed.embed_file(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def receipt_pdf(receipts_: list[Receipt], *, signer: OpenedSigner | None = None,
                settings: DocumentSettings | None = None, now: dt.datetime | None = None) -> tuple[bytes, dict[str, Any]]:
    """The PDF of ``receipts_`` (one or many) with the facts attached, signed by ``signer`` (an opened
    key: :func:`readiness.signing.keys.open_signer`) when given.

    Returns (bytes, the signature's ``signer`` and ``signed_at``, or an empty dict)."""
    from ..exchange.letter import letters_pdf_bytes

    if not receipts_:
        raise StoreError("E-RECEIPT-NONE", "Không có giấy xác nhận nào để ghi.")
    moment = (now or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    data = embed_facts(letters_pdf_bytes([r.letter for r in receipts_]), [r.facts for r in receipts_], when=moment)
    if signer is None:
        return data, {}
    from ..signing.pdf import DEPARTMENT_FIELD, sign_pdf_bytes

    facts = [r.facts for r in receipts_]
    if len(facts) == 1:
        reason = f"Giấy xác nhận đã nhận kết quả tự đánh giá; tệp SHA-256 {facts[0].file_sha256}"
    else:
        reason = (f"Giấy xác nhận đã nhận kết quả tự đánh giá ({len(facts)} đơn vị); dữ liệu SHA-256 "
                  f"{hashlib.sha256(payload(facts)).hexdigest()}")
    signed = sign_pdf_bytes(data, signer, signing_time=moment, data_sha256=None,
                            location=settings.place if settings is not None else None,
                            field_name=DEPARTMENT_FIELD, reason=reason)
    info = signer.info
    return signed, {"signer": info.display_org or info.display_name, "signed_at": moment}


def receipt_file_name(facts: ReceiptFacts) -> str:
    """``giay-xac-nhan_2025-12_23500_xa-dak-ha_lan-1.pdf``."""
    from ..text import slugify

    return f"giay-xac-nhan_{facts.period}_{facts.commune_code}_{slugify(facts.commune_name)}_lan-{facts.revision}.pdf"


def batch_file_name(period: str, count: int) -> str:
    return f"giay-xac-nhan_{validate_period(period)}_{count}-don-vi.pdf"


def write_receipt_pdf(receipts_: list[Receipt], path: str | Path, *, signer: OpenedSigner | None = None,
                      settings: DocumentSettings | None = None, now: dt.datetime | None = None) -> ReceiptFile:
    """Write one PDF holding ``receipts_``: built, attached, signed, read back and checked, then renamed."""
    from ..exchange.errors import ExchangeError
    from ..exchange.xlsx import atomic_write

    data, signed = receipt_pdf(receipts_, signer=signer, settings=settings, now=now)
    facts = [r.facts for r in receipts_]

    def write(temp: Path) -> None:
        temp.write_bytes(data)

    def check(temp: Path) -> None:
        written_back = temp.read_bytes()
        try:
            read_back = facts_of(Path(path), written_back)
        except StoreError as error:
            raise ExchangeError("E-EXPORT-VERIFY", f"Giấy xác nhận vừa ghi không đọc lại được ({error.message}); tệp "
                                "chưa được lưu.", file=path) from None
        if [f.to_dict() for f in read_back] != [f.to_dict() for f in facts]:
            raise ExchangeError("E-EXPORT-VERIFY", "Dữ liệu đọc lại từ giấy xác nhận vừa ghi không khớp; tệp chưa "
                                "được lưu.", file=path)
        if signer is not None:
            signature = department_signature(written_back, [])
            if not signature.intact:
                raise ExchangeError("E-EXPORT-VERIFY", f"Chữ ký số của giấy xác nhận vừa ký không kiểm tra được "
                                    f"({signature.message}); tệp chưa được lưu.", file=path)

    written = atomic_write(Path(path), write, check)
    return ReceiptFile(written, facts, hashlib.sha256(data).hexdigest(), bool(signed), signed.get("signer"),
                       signed.get("signed_at"))


def write_receipts(receipts_: list[Receipt], folder: str | Path, *, one_file: bool = False,
                   key: KeySource | None = None, settings: DocumentSettings | None = None,
                   progress: Any = None, cancelled: Any = None) -> list[ReceiptFile]:
    """Each receipt into ``folder`` (created) as its own PDF, or all in one (``one_file``); signed with
    ``key`` when given (the key is opened once for the whole batch: a token asks for its PIN once).

    ``progress(done, total, text)`` after each file; ``cancelled()`` true stops before the next one."""
    from contextlib import nullcontext

    from ..signing.keys import open_signer

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written: list[ReceiptFile] = []
    with (open_signer(key) if key is not None else nullcontext()) as signer:
        if one_file:
            period = receipts_[0].facts.period
            return [write_receipt_pdf(receipts_, target / batch_file_name(period, len(receipts_)), signer=signer,
                                      settings=settings)]
        for index, receipt in enumerate(receipts_, start=1):
            if cancelled is not None and cancelled():
                break
            written.append(write_receipt_pdf([receipt], target / receipt_file_name(receipt.facts), signer=signer,
                                             settings=settings))
            if progress is not None:
                progress(index, len(receipts_), receipt.facts.commune_name)
    return written


def issue_receipts(workspace: Workspace, period: str, folder: str | Path, options: ReceiptOptions | None = None, *,
                   one_file: bool = False, key: KeySource | None = None, progress: Any = None,
                   cancelled: Any = None) -> list[ReceiptFile]:
    """What ``readiness receipt`` does: the receipts asked for, written into ``folder`` (signed with ``key``)."""
    from ..document_settings import load_settings

    settings = load_settings(workspace.store)
    chosen = receipts(workspace, period, options, settings)
    return write_receipts(chosen, folder, one_file=one_file, key=key, settings=settings, progress=progress,
                          cancelled=cancelled)


__all__ = ["ATTACHMENT", "FORMAT", "Receipt", "ReceiptFacts", "ReceiptFile", "ReceiptOptions", "ReceiptSignature",
           "VERSION", "attachments", "batch_file_name", "build_receipt_letter", "department_signature", "embed_facts",
           "facts_of", "issue_receipts", "payload", "receipt_facts", "refuse",
           "receipt_file_name", "receipt_pdf", "receipts", "write_receipt_pdf", "write_receipts"]
