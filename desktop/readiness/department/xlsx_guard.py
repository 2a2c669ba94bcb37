"""Look at a submitted file's bytes before any spreadsheet library does.

A file from outside is hostile until proven otherwise.  :func:`inspect_bytes` says what a file
*is* when it is not an xlsx workbook (a legacy .xls, an encrypted workbook, a CSV renamed, a PDF,
a Word document, a random zip, a truncated download, random bytes), and refuses workbooks built to
hurt the reader:

- zip bombs: too many entries, too much declared data, an abnormal compression ratio, or an entry
  that inflates to more than its header declares (checked by inflating every worksheet here, with
  a cap, in 1 MB steps);
- sparse-cell bombs: two cells far apart (``A1`` and ``XFD1048576``) make the reader allocate the
  whole rectangle between them (python-calamine then aborts the process).  Every worksheet's cell
  references are scanned and the rectangle each sheet implies is capped;
- XML with a DOCTYPE or ENTITY declaration (billion laughs, external entities): an Excel file
  never has one.  (The reader, python-calamine, does not expand entities anyway; openpyxl, which
  the app uses to *write*, parses through defusedxml when it is installed, and it is.)

Formulas are never evaluated anywhere: the reader takes the values stored in the file.

What the guard inflated and checked is what the reader reads (:func:`inspect_bytes` returns it): the
workbook put together again with every worksheet *stored* (not compressed) as the guard inflated it,
its CRC-32 checked against the file's, and every other part copied as it is in the file.  So a
worksheet is inflated once per import, not three times (here, then twice by python-calamine, whose
``get_sheet_by_name`` reads a sheet's cells and then parses the whole sheet again for its merged
cells).  The second parse stops at once: an empty ``<mergeCells>`` element is put before the sheet's
``<sheetData>`` (merged cells are never read; the cells read are the same, a test compares them).  A
workbook that is not plain (names not unique, encrypted or extra-field entries, other compression,
an unexpected local header, a CRC that does not match, more than :data:`READER_COPY_LIMIT` of
worksheets) is handed over as the file's own bytes, read exactly as before.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ..numbers import integer
from .import_errors import Rejected, problem

MAX_FILE_BYTES = 25 * 1024 * 1024  # as readiness.exchange.reader
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 250 * 1024 * 1024
MAX_SHEET_XML = 64 * 1024 * 1024  # one worksheet's XML, inflated
MAX_RATIO = 200
MAX_ROWS = 20_000  # per sheet (the reader reads at most 10,000 rows of a table)
MAX_COLUMNS = 256  # per sheet ("IV")
MAX_CELLS = 3_000_000  # the rectangles of all sheets together

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# A cell or row reference that is rare in a real sheet, found in one pass: a row >= 1000 (``r="1234"``,
# ``r="AB1234"``: at most 3 letters, 4 digits or more, then the closing quote) or a column >= AA (2 letters or
# more, then a digit).  Letters and digits are then read exactly (:func:`_sheet_area`).
_UNUSUAL_REFERENCE = re.compile(rb' r="(?=[A-Z]{2,}[0-9]|[A-Z]{0,3}[0-9]{4,}")([A-Z]*)([0-9]*)(")?')
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_STEP = 1024 * 1024
READER_COPY_LIMIT = 32 * 1024 * 1024  # inflated worksheets kept for the reader at most (a submission: ~0.3 MB)
_NO_MERGED_CELLS = b"<mergeCells></mergeCells>"  # ends python-calamine's second parse of a sheet at once
_SHEET_DATA = b"<sheetData"


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def inspect_bytes(raw: bytes) -> bytes:
    """Raise :class:`Rejected` unless ``raw`` looks like a well-formed, reasonably sized xlsx; return the
    bytes the reader is to read (the workbook as checked: see the module docstring)."""
    if not raw:
        raise Rejected(problem("E-IMPORT-EMPTY"))
    if len(raw) > MAX_FILE_BYTES:
        raise Rejected(problem("E-IMPORT-TOO-BIG", f"Tệp quá lớn ({len(raw) // 1024 // 1024} MB; một phiếu tự đánh giá "
                                                   f"dưới {MAX_FILE_BYTES // 1024 // 1024} MB)."))
    head = raw[:8]
    if head.startswith(OLE_SIGNATURE):
        _refuse_ole(raw)
    if not head.startswith(_ZIP_SIGNATURES):
        _refuse_other(raw)
    return _inspect_zip(raw)


def _refuse_ole(raw: bytes) -> None:
    if _utf16("EncryptionInfo") in raw or _utf16("EncryptedPackage") in raw:
        raise Rejected(problem("E-IMPORT-ENCRYPTED", "Đây là tệp Excel có đặt mật khẩu (nội dung đã mã hóa), phần mềm "
                               "không đọc được. Đề nghị xã gỡ mật khẩu (hoặc xuất lại từ phần mềm) rồi gửi lại."))
    if _utf16("Workbook") in raw or _utf16("Book") in raw:
        raise Rejected(problem("E-IMPORT-XLS", "Đây là tệp Excel 97-2003 (.xls), không phải định dạng .xlsx của phần "
                               "mềm. Đề nghị xã xuất lại tệp từ phần mềm «Sẵn sàng Một cửa»."))
    what = "tài liệu Word 97-2003 (.doc)" if _utf16("WordDocument") in raw else "tệp Office đời cũ (định dạng OLE)"
    raise Rejected(problem("E-IMPORT-OLE", f"Đây là {what}, không phải bảng tính .xlsx."))


def _refuse_other(raw: bytes) -> None:
    if raw.startswith(b"%PDF"):
        raise Rejected(problem("E-IMPORT-PDF", "Đây là tệp PDF, không phải bảng tính Excel. Đề nghị xã gửi tệp Excel "
                               "xuất từ phần mềm (tệp PDF chỉ để in)."))
    sample = raw[:4096]
    text = _as_text(sample)
    if text is not None:
        stripped = text.lstrip("\ufeff \r\n\t")
        if stripped[:1] == "<":
            what = "tệp HTML/XML (có thể là «Excel» xuất từ trang web)"
        elif any(sep in stripped for sep in (",", ";", "\t")):
            what = "tệp văn bản CSV"
        else:
            what = "tệp văn bản"
        raise Rejected(problem("E-IMPORT-TEXT", f"Đây là {what} bị đổi tên thành .xlsx, không phải bảng tính Excel. "
                               "Đề nghị xã xuất lại tệp từ phần mềm."))
    raise Rejected(problem("E-IMPORT-UNKNOWN", "Không nhận ra định dạng tệp (dữ liệu nhị phân không phải Excel, "
                           "có thể hỏng hoặc đã mã hóa)."))


def _as_text(sample: bytes) -> str | None:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return sample.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in sample:
        return None
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not merely a character cut at the end of the sample
            try:
                text = sample.decode("cp1258")  # Vietnamese Windows text
            except UnicodeDecodeError:
                return None
        else:
            text = sample[:error.start].decode("utf-8")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return text if text and printable / len(text) > 0.95 else None


def _inspect_zip(raw: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        raise Rejected(problem("E-IMPORT-TRUNCATED", "Tệp Excel bị cắt cụt hoặc hỏng (phần cuối của tệp nén bị "
                               "thiếu: tải về chưa xong hoặc chép bị lỗi). Tải lại tệp hoặc đề nghị xã gửi lại.")) from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            what = "tài liệu Word (.docx)"
        elif "ppt/presentation.xml" in names:
            what = "tệp PowerPoint (.pptx)"
        elif "xl/workbook.bin" in names:
            what = "bảng tính Excel nhị phân (.xlsb)"
        elif "content.xml" in names:
            what = "tài liệu OpenDocument (.ods/.odt)"
        else:
            what = "tệp nén zip thông thường"
        raise Rejected(problem("E-IMPORT-ZIP-OTHER", f"Đây là {what}, không phải bảng tính Excel .xlsx."))
    if len(entries) > MAX_ENTRIES:
        raise Rejected(problem("E-IMPORT-ZIP-BOMB", f"Tệp có quá nhiều thành phần ({len(entries)})."))
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_UNCOMPRESSED:
        raise Rejected(problem("E-IMPORT-ZIP-BOMB", f"Tệp khi giải nén sẽ chiếm {declared // 1024 // 1024} MB "
                               "(một phiếu thật chỉ vài MB): bị từ chối để bảo vệ máy."))
    cells = 0
    sheets = _worksheet_parts(raw, entries)
    kept: dict[int, bytes] | None = {} if _plain(entries) else None  # entry index -> inflated worksheet
    kept_size = 0
    for index, entry in enumerate(entries):
        if entry.compress_size and entry.file_size > 1024 * 1024 and entry.file_size / entry.compress_size > MAX_RATIO:
            raise Rejected(problem("E-IMPORT-ZIP-BOMB", f"Thành phần {entry.filename} nén bất thường (giải nén gấp "
                                   f"{entry.file_size // entry.compress_size} lần): bị từ chối để bảo vệ máy."))
        sheet = entry.filename in sheets
        if not sheet and not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        data, whole = _inflate(raw, entry, whole=sheet)
        if kept is not None and sheet:
            kept_size += len(data)
            if whole and kept_size <= READER_COPY_LIMIT:
                kept[index] = data
            else:
                kept = None
        if _declares(data):
            raise Rejected(problem("E-IMPORT-XML-DTD", f"Thành phần {entry.filename} có khai báo XML DOCTYPE/ENTITY "
                                   "(kiểu tấn công «billion laughs» hoặc thực thể ngoài); tệp Excel thật không có: "
                                   "bị từ chối."))
        if sheet:
            cells += _sheet_area(data, entry.filename)
            if cells > MAX_CELLS:
                raise Rejected(problem("E-IMPORT-CELLS", f"Các sheet của tệp trải trên hơn {integer(MAX_CELLS)} ô "
                                       "(một phiếu thật chỉ vài nghìn ô): bị từ chối để bảo vệ máy."))
    return raw if kept is None else _for_reader(raw, entries, kept)


def _plain(entries: list[zipfile.ZipInfo]) -> bool:
    """Whether the archive can be handed to the reader put together again (:func:`_for_reader`) with the
    same meaning: unique names, kept as they are written, no encryption, no extra fields (zip64, other
    names), stored or deflated entries.  What our exporter, Excel and LibreOffice write."""
    names = {entry.filename for entry in entries}
    return len(names) == len(entries) and all(
        entry.filename == entry.orig_filename and not entry.flag_bits & 0x1 and not entry.extra
        and entry.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries)


def _for_reader(raw: bytes, entries: list[zipfile.ZipInfo], kept: dict[int, bytes]) -> bytes:
    """The workbook the reader is to read: the entries of ``raw`` in their order, each worksheet in ``kept``
    stored as inflated here (its CRC-32 checked against the file's; an empty ``<mergeCells>`` before its
    ``<sheetData>``), every other entry's compressed bytes copied; ``raw`` itself when anything is not as
    expected (the reader then reads the file as it is, as before)."""
    body = memoryview(raw)
    parts: list[bytes | memoryview] = []
    directory: list[bytes] = []
    offset = copied = 0
    for index, entry in enumerate(entries):
        name = entry.orig_filename.encode("utf-8" if entry.flag_bits & 0x800 else "cp437")
        at = entry.header_offset
        header = raw[at:at + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return raw
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if raw[at + 30:at + 30 + name_length] != name:
            return raw
        data = kept.get(index)
        if data is None:
            copied += entry.compress_size
            if copied > len(raw):  # entries whose data overlap: the copy could grow far beyond the file
                return raw
            start = at + 30 + name_length + extra_length
            pieces: tuple[bytes | memoryview, ...] = (body[start:start + entry.compress_size],)
            if len(pieces[0]) != entry.compress_size:
                return raw
            method, crc, size, packed = entry.compress_type, entry.CRC, entry.file_size, entry.compress_size
        else:
            view = memoryview(data)
            mark = data.find(_SHEET_DATA)
            if mark < 0:
                if zlib.crc32(view) != entry.CRC:
                    return raw
                pieces, crc = (view,), entry.CRC
            else:
                before = zlib.crc32(view[:mark])
                if zlib.crc32(view[mark:], before) != entry.CRC:
                    return raw
                pieces = (view[:mark], _NO_MERGED_CELLS, view[mark:])
                crc = zlib.crc32(view[mark:], zlib.crc32(_NO_MERGED_CELLS, before))
            method, size = zipfile.ZIP_STORED, sum(len(piece) for piece in pieces)
            packed = size
        year, month, day, hour, minute, second = entry.date_time
        stamp = (hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day)
        flags = entry.flag_bits & 0x800
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, *stamp, crc, packed, size, len(name), 0)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, *stamp, crc, packed, size,
                                     len(name), 0, 0, 0, 0, 0, offset) + name)
        parts += (local, name, *pieces)
        offset += len(local) + len(name) + packed
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join((*parts, central, end))


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_TARGET = re.compile(rb'Target\s*=\s*"([^"]*)"')
_TYPE = re.compile(rb'Type\s*=\s*"([^"]*)"')


def _worksheet_parts(raw: bytes, entries: list[zipfile.ZipInfo]) -> set[str]:
    """Every part a reader would load as a worksheet: ``xl/worksheets/*`` and whatever the workbook's
    relationships point at (a crafted file may put a sheet anywhere)."""
    parts = {e.filename for e in entries if e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml")}
    rels = next((e for e in entries if e.filename == "xl/_rels/workbook.xml.rels"), None)
    if rels is None:
        return parts
    text, _whole = _inflate(raw, rels, whole=False)
    for element in _RELATIONSHIP.findall(text):
        kind, target = _TYPE.search(element), _TARGET.search(element)
        if not kind or not target or not kind.group(1).endswith((b"/worksheet", b"/chartsheet", b"/dialogsheet")):
            continue
        name = target.group(1).decode("utf-8", "replace")
        path = name.lstrip("/") if name.startswith("/") else "xl/" + name
        parts_of: list[str] = []
        for piece in path.split("/"):
            if piece == "..":
                if parts_of:
                    parts_of.pop()
            elif piece and piece != ".":
                parts_of.append(piece)
        parts.add("/".join(parts_of))
    return parts


def _inflate(raw: bytes, entry: zipfile.ZipInfo, *, whole: bool) -> tuple[bytes, bool]:
    """The entry's bytes (or its first 64 KB), never more than its header declares, and whether they are all
    of it (``whole``: the declared size, to the end of its deflate stream)."""
    offset = entry.header_offset
    header = raw[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Rejected(problem("E-IMPORT-TRUNCATED", f"Tệp Excel bị hỏng (thành phần {entry.filename} không đọc được)."))
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    compressed = raw[start:start + entry.compress_size]
    if len(compressed) < entry.compress_size:
        raise Rejected(problem("E-IMPORT-TRUNCATED", f"Tệp Excel bị cắt cụt (thành phần {entry.filename} thiếu dữ liệu)."))
    limit = min(entry.file_size, MAX_SHEET_XML) if whole else min(entry.file_size, 65536)
    if entry.compress_type == zipfile.ZIP_STORED:
        return compressed[:limit], whole and entry.compress_size == entry.file_size <= limit
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise Rejected(problem("E-IMPORT-UNKNOWN", f"Thành phần {entry.filename} dùng kiểu nén Excel không dùng."))
    inflater = zlib.decompressobj(-15)
    try:
        if not whole:
            return inflater.decompress(compressed, limit), False
        data = inflater.decompress(compressed, limit + 1)
    except zlib.error:
        raise Rejected(problem("E-IMPORT-TRUNCATED", f"Tệp Excel bị hỏng (thành phần {entry.filename} giải nén "
                               "lỗi).")) from None
    if len(data) > limit:
        if entry.file_size > MAX_SHEET_XML:
            raise Rejected(problem("E-IMPORT-ZIP-BOMB", f"Sheet {entry.filename} quá lớn khi giải nén."))
        raise Rejected(problem("E-IMPORT-ZIP-BOMB", f"Thành phần {entry.filename} giải nén ra nhiều hơn kích thước "
                               "khai báo (tệp nén bị làm giả): bị từ chối để bảo vệ máy."))
    return data, inflater.eof and len(data) == entry.file_size


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _declares(data: bytes) -> bool:
    """Whether an XML part holds a DOCTYPE or ENTITY declaration (a part other than a worksheet is looked
    at in its first 64 KB: :func:`_inflate` gives no more).  Each begins with ``<!``: a part without a ``!``
    (most) or without a ``<!`` is known at memchr speed, without the four searches."""
    return b"!" in data and b"<!" in data and any(mark in data for mark in _DECLARATIONS)


def _sheet_area(data: bytes, name: str) -> int:
    """The rectangle (rows x columns) the reader would allocate for this sheet, at most: the highest row
    written with 4 digits or more (else 999) times the highest column of AA or more (else 26)."""
    high_rows: list[int] = []
    wide_columns: list[int] = []
    for letters, digits, quote in _UNUSUAL_REFERENCE.findall(data):
        if len(letters) <= 3 and len(digits) >= 4 and quote:
            high_rows.append(int(digits))
        if len(letters) >= 2 and digits:
            wide_columns.append(_column_number(letters))
    rows = max(high_rows, default=999)
    columns = max(wide_columns, default=26)
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise Rejected(problem("E-IMPORT-CELLS", f"Sheet {name} có ô ở dòng {integer(rows)} / cột thứ {integer(columns)} "
                               f"(một phiếu thật chỉ vài trăm dòng, tối đa {integer(MAX_ROWS)} dòng và {integer(MAX_COLUMNS)} "
                               "cột): bị từ chối để bảo vệ máy."))
    return rows * columns
