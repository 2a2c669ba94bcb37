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

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sheet": self.sheet, "cell": self.cell, "message": self.message}

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W-")

    @property
    def advice(self) -> str:
        """What to do next (from the catalogue); empty for codes of the reader and answer rules."""
        return CATALOGUE.get(self.code, ("", ""))[1]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def problem(code: str, detail: str | None = None, *, sheet: str | None = None, cell: str | None = None) -> ImportProblem:
    """A problem of the catalogue; ``detail`` replaces the generic text when given."""
    text = detail or CATALOGUE[code][0]
    return ImportProblem(code, at(text, sheet=sheet, cell=cell), sheet, cell)


def at(message: str, *, sheet: str | None = None, cell: str | None = None) -> str:
    """``Sheet 'Máy tính', ô D7: <message>`` (as the reader words it)."""
    parts = []
    if sheet:
        parts.append(f"Sheet '{sheet}'")
    if cell:
        parts.append(f"ô {cell}")
    if not parts or message.startswith("Sheet '"):
        return message
    return f"{', '.join(parts)}: {message}"


class Rejected(Exception):
    """Raised inside the checks: the file is refused for this reason (the others are not looked at)."""

    def __init__(self, reason: ImportProblem):
        self.reason = reason
        super().__init__(str(reason))
