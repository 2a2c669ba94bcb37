"""Why a workbook was refused: a catalogue of codes, each with its Vietnamese message and what to do.

Every problem of an import names the sheet and cell when there is one.  Codes of the reader
(``E-XLSX-...``) and of the answer rules (``E-ANS-...``) pass through unchanged; the importer's own
checks use ``E-IMPORT-...``; ``W-IMPORT-...`` are warnings (the file was still imported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# code -> (what it means, what to do next); the message of each problem says the specifics.
CATALOGUE: dict[str, tuple[str, str]] = {
    "E-IMPORT-NOT-FOUND": ("Không tìm thấy tệp hoặc thư mục.", "Kiểm tra lại đường dẫn."),
    "E-IMPORT-UNREADABLE": ("Không đọc được tệp (quyền truy cập, ổ đĩa).", "Chép tệp vào máy rồi nhập lại."),
    "E-IMPORT-NOT-REGULAR": ("Không phải tệp thường (ống dẫn FIFO, socket, thiết bị): không đọc, để chương trình không bị "
                             "treo.", "Chọn đúng tệp .xlsx xã gửi về."),
    "E-IMPORT-LINK": ("Liên kết (symlink) hỏng, vòng, trỏ ra ngoài thư mục đã chọn hoặc tới một thư mục: không đi theo.",
                      "Chọn chính tệp mà liên kết trỏ tới, hoặc chép tệp vào thư mục."),
    "E-IMPORT-EMPTY": ("Tệp rỗng (0 byte).", "Đề nghị xã gửi lại tệp."),
    "E-IMPORT-TOO-BIG": ("Tệp quá lớn so với một phiếu tự đánh giá.", "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-XLS": ("Tệp Excel 97-2003 (.xls), không phải .xlsx.", "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-ENCRYPTED": ("Tệp Excel có đặt mật khẩu (đã mã hóa).", "Đề nghị xã gỡ mật khẩu hoặc xuất lại tệp."),
    "E-IMPORT-OLE": ("Tệp Office đời cũ (không phải bảng tính .xlsx).", "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-TEXT": ("Tệp văn bản (CSV/TXT/HTML) bị đổi đuôi thành .xlsx.", "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-PDF": ("Tệp PDF, không phải bảng tính.", "Đề nghị xã gửi tệp Excel xuất từ phần mềm."),
    "E-IMPORT-ZIP-OTHER": ("Tệp nén (zip) hoặc tài liệu Office khác, không phải bảng tính Excel.",
                           "Đề nghị xã gửi đúng tệp Excel."),
    "E-IMPORT-TRUNCATED": ("Tệp Excel bị cắt cụt hoặc hỏng (tải về chưa xong?).", "Tải lại tệp hoặc đề nghị xã gửi lại."),
    "E-IMPORT-UNKNOWN": ("Không nhận ra định dạng tệp.", "Đề nghị xã gửi tệp Excel xuất từ phần mềm."),
    "E-IMPORT-ZIP-BOMB": ("Tệp nén bất thường (giải nén ra rất lớn): bị từ chối để bảo vệ máy.", "Không mở tệp này."),
    "E-IMPORT-CELLS": ("Bảng tính có ô ở vị trí hoặc số lượng bất thường: bị từ chối để bảo vệ máy.",
                       "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-XML-DTD": ("Tệp chứa khai báo XML DOCTYPE/ENTITY, điều mà tệp Excel thật không có: bị từ chối.",
                         "Không mở tệp này."),
    "E-IMPORT-IDENTITY": ("Thông tin định danh của bản đánh giá (mã, lần sửa, trạng thái) thiếu hoặc sai.",
                          "Đề nghị xã xuất lại tệp từ phần mềm."),
    "E-IMPORT-COMMUNE": ("Mã xã không có trong danh mục đơn vị hành chính.", "Kiểm tra mã xã trên trang bìa."),
    "E-IMPORT-PERIOD": ("Kỳ báo cáo không hợp lệ.", "Ghi kỳ dạng tháng/năm, ví dụ 11/2025."),
    "E-IMPORT-HASH": ("Dữ liệu gốc trong tệp đã bị sửa sau khi xuất (mã kiểm tra SHA-256 không khớp).",
                      "Đề nghị xã xuất lại tệp, hoặc nhập với --accept-edited nếu chấp nhận phần sửa."),
    "E-IMPORT-EDITED": ("Tệp đã bị sửa tay sau khi xuất: ô trên sheet khác dữ liệu gốc.",
                        "Đề nghị xã sửa trong phần mềm rồi xuất lại, hoặc nhập với --accept-edited."),
    "E-IMPORT-OLDER": ("Đã có lần sửa mới hơn của xã cho kỳ này; bản cũ không ghi đè bản mới.", "Không cần nhập tệp này."),
    "E-IMPORT-CONFLICT": ("Cùng lần sửa nhưng nội dung khác với bản đã nhập.",
                          "Hỏi xã tệp nào là bản đúng; xã mở lại để tạo lần sửa mới rồi gửi lại."),
    "E-IMPORT-CRASH": ("Trình đọc bảng tính dừng bất thường khi mở tệp này: bị từ chối.", "Đề nghị xã xuất lại tệp."),
    "E-IMPORT-DB": ("Không ghi được vào cơ sở dữ liệu.", "Kiểm tra kết nối cơ sở dữ liệu rồi nhập lại."),
    "E-IMPORT-INTERNAL": ("Lỗi chương trình khi nhập tệp.", "Gửi tệp và thông báo này cho bộ phận hỗ trợ."),
    "E-IMPORT-SKIPPED": ("Không phải tệp .xlsx: bỏ qua.", "Không cần làm gì."),
    "W-HELD-UNSIGNED": ("Bản mới không ký số, bản đã ký số vẫn được dùng: bản mới được giữ lại chờ Sở quyết định.",
                        "Hỏi xã vì sao bản mới không ký số. Nếu đúng là bản của xã: chấp nhận bằng «readiness held accept» "
                        "(hoặc nút «Bản giữ lại…»); nếu không: bỏ bản giữ lại."),
    "W-HELD-OTHER-SIGNER": ("Bản mới được ký bởi tổ chức khác với bản đã ký số: bản mới được giữ lại chờ Sở quyết định.",
                            "Hỏi xã về chứng thư số đã dùng; chấp nhận hoặc bỏ bản giữ lại."),
    "W-HELD-OLDER-SIGNATURE": ("Bản mới được ký sớm hơn bản đã ký số đang dùng: bản mới được giữ lại chờ Sở quyết định.",
                               "Hỏi xã bản nào là bản đúng; chấp nhận hoặc bỏ bản giữ lại."),
    "W-IMPORT-ACCEPTED-REPLACEMENT": ("Sở chấp nhận bản mới thay bản đã ký số (--accept-unsigned-replacement).", ""),
    "E-IMPORT-NOT-TEMPLATE": ("Tệp gửi Sở đã xuất, không phải phiếu trống đã điền.",
                              "Nhập phiếu trống đã điền; tệp gửi Sở do Sở nhập."),
    "W-IMPORT-EDITED": ("Chấp nhận tệp đã sửa tay (--accept-edited): nhập giá trị trên sheet.", ""),
    "W-IMPORT-HASH": ("Chấp nhận tệp có mã kiểm tra không khớp (--accept-edited).", ""),
    "W-IMPORT-INCOMPLETE": ("Bản đã hoàn thành nhưng còn câu bắt buộc chưa trả lời.", ""),
    "W-IMPORT-CHECKLIST": ("Bảng kiểm trong tệp khác bản đang cài (mã băm khác).", ""),
}


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused (or, for ``W-`` codes, a note on a file that was imported)."""

    code: str
    message: str  # Vietnamese; begins with "Sheet '…', ô …:" when it has a place
    sheet: str | None = None
    cell: str | None = None
    also: tuple[tuple[str, str], ...] = ()  # other (sheet, cell) showing the same value (the cover, beside ``_data``)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "sheet": self.sheet, "cell": self.cell, "message": self.message}
        if self.also:
            data["also"] = [{"sheet": sheet, "cell": cell} for sheet, cell in self.also]
        return data

    @property
    def places(self) -> list[tuple[str, str]]:
        """Every (sheet, cell) the problem names, the main one first."""
        first = [(self.sheet, self.cell)] if self.sheet and self.cell else []
        return first + list(self.also)

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W-")

    @property
    def advice(self) -> str:
        """What to do next (from the catalogue); empty for codes of the reader and answer rules."""
        return CATALOGUE.get(self.code, ("", ""))[1]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def problem(code: str, detail: str | None = None, *, sheet: str | None = None, cell: str | None = None,
            also: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> ImportProblem:
    """A problem of the catalogue; ``detail`` replaces the generic text when given."""
    text = detail or CATALOGUE[code][0]
    also = tuple(place for place in also if place != (sheet, cell))
    return ImportProblem(code, at(text, sheet=sheet, cell=cell, also=also), sheet, cell, also)


def located_at(code: str, message: str, places: list[tuple[str, str]]) -> ImportProblem:
    """A problem at ``places`` (the first is the main one; a place named twice is named once)."""
    unique = list(dict.fromkeys(places))
    if not unique:
        return ImportProblem(code, message)
    (sheet, cell), rest = unique[0], tuple(unique[1:])
    return ImportProblem(code, at(message, sheet=sheet, cell=cell, also=rest), sheet, cell, rest)


def at(message: str, *, sheet: str | None = None, cell: str | None = None,
       also: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> str:
    """``Sheet 'Máy tính', ô D7: <message>`` (as the reader words it); with ``also``, every place, by sheet:
    ``Sheet '_data', ô B9 và B14; sheet 'Thông tin chung', ô B5: <message>``."""
    if message.startswith("Sheet '"):
        return message
    if not also:
        parts = []
        if sheet:
            parts.append(f"Sheet '{sheet}'")
        if cell:
            parts.append(f"ô {cell}")
        return f"{', '.join(parts)}: {message}" if parts else message
    by_sheet: dict[str, list[str]] = {}
    for where, address in ([(sheet, cell)] if sheet and cell else []) + list(also):
        by_sheet.setdefault(where, []).append(address)
    groups = [f"sheet '{where}', ô {' và '.join(cells)}" for where, cells in by_sheet.items()]
    text = "; ".join(groups)
    return f"{text[0].upper()}{text[1:]}: {message}"


class Rejected(Exception):
    """Raised inside the checks: the file is refused for this reason (the others are not looked at)."""

    def __init__(self, reason: ImportProblem):
        self.reason = reason
        super().__init__(str(reason))
