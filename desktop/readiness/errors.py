"""One error base and one catalogue of codes (after pyxform's ``errors.py``).

Every refusal the program reports has a stable code: ``E-…`` an error (nothing was written), ``W-…`` a
warning (the work was done, with a note).  Each code is declared once, in :data:`FAMILIES` below, with a
Vietnamese and an English summary and what to do next; ``docs/errors.md`` is generated from it
(``python -m readiness.errors --markdown > docs/errors.md``) and ``tests/core/test_errors.py`` fails on a
code used in the package but not declared here, or declared but never used.

:class:`ReadinessError` is the base of every exception of the core (``StoreError``, ``AnswerError``,
``ExchangeError``, ``SigningError``, …): a code, a Vietnamese ``message`` (and ``message_en``), where it
happened (:class:`Location`: file, sheet, cell, item, row, column) and ``hint``, what to do (given where it
is raised, or the catalogue's).  Problems that are collected rather than raised (an import's reasons, a
checklist's problems, the warnings of a file) use the same codes and hints.

One way to show an error everywhere: :func:`render` (the CLI's text and the window's message boxes),
:func:`as_json` (``--json``), :func:`print_failure` (what every command prints when it fails).  Anything
that is not a ``ReadinessError`` becomes a generic coded one first (:func:`from_exception`: ``E-DB``,
``E-FILE``, or ``E-INTERNAL`` naming the log file).

Qt-free, imported by everything, imports nothing of ours but :mod:`readiness.record`, which imports nothing of ours
(checked by a test).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import PurePath
from typing import Any, TextIO

from .record import FrozenData, Record, frozen_data

EXIT_REJECTED = 1  # the CLI's exit code when input was refused (nothing was written)
INTERNAL, DATABASE, SYSTEM = "E-INTERNAL", "E-DB", "E-FILE"  # codes of failures that are not our own errors

_WORDS = {
    "vi": {"file": "Tệp", "sheet": "sheet", "cell": "ô", "row": "dòng", "column": "cột", "error": "Lỗi",
           "warning": "Lưu ý", "hint": "Cách xử lý"},
    "en": {"file": "File", "sheet": "sheet", "cell": "cell", "row": "row", "column": "column", "error": "Error",
           "warning": "Note", "hint": "What to do"},
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "vi"]


# -- where ------------------------------------------------------------------------------------------------


@frozen_data()
class Location(FrozenData):
    """Where a problem is: a file, a sheet and cell of a workbook, an item (and row, column of a table item)."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    item: str | None = None
    row: int | None = None  # 1-based row of a table item
    column: str | None = None

    def __bool__(self) -> bool:
        return any(value is not None and value != "" for value in
                   (self.file, self.sheet, self.cell, self.item, self.row, self.column))

    def describe(self, lang: str = "vi") -> str:
        """``Tệp 'x.xlsx', sheet 'Máy tính', ô D7`` and, for an answer, ``[pcs, dòng 2, cột ram_gb]``."""
        words = _words(lang)
        parts: list[str] = []
        if self.file:
            parts.append(f"{words['file']} '{PurePath(self.file).name}'")
        if self.sheet:
            parts.append(f"{words['sheet']} '{self.sheet}'")
        if self.cell:
            parts.append(f"{words['cell']} {self.cell}")
        place = ", ".join(parts)
        place = place[:1].upper() + place[1:]
        answer = [self.item or ""] if self.item else []
        if self.row:
            answer.append(f"{words['row']} {self.row}")
        if self.column:
            answer.append(f"{words['column']} {self.column}")
        if answer:
            place = f"{place} [{', '.join(answer)}]".strip()
        return place

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "item": self.item, "row": self.row,
                "column": self.column}


# -- the catalogue ----------------------------------------------------------------------------------------


class Entry(Record):
    """One code of the catalogue: what it means and what to do, in Vietnamese and English."""

    code: str
    summary: str
    summary_en: str
    hint: str  # "" when the code needs no hint (see _e)
    hint_en: str

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W-") else "error"

    def summary_in(self, lang: str) -> str:
        return self.summary_en if lang == "en" else self.summary

    def hint_in(self, lang: str) -> str:
        return self.hint_en if lang == "en" else self.hint


class Family(Record):
    """Codes that arise in one part of the program (``where``, for developers and support)."""

    title: str
    title_en: str
    where: str
    entries: tuple[Entry, ...]


def _e(code: str, summary: str, summary_en: str, hint: str = "", hint_en: str = "") -> Entry:
    return Entry(code, summary, summary_en, hint, hint_en)


_EXPORT_AGAIN = ("Đề nghị xã xuất lại tệp từ phần mềm.", "Ask the commune to export the file again from the program.")
_DATA_SHEET = ("Không sửa sheet «_data»; xuất lại tệp từ phần mềm.",
               "Do not edit the «_data» sheet; export the file again from the program.")
_EXPR_FIX = ("Sửa biểu thức theo docs/expressions.md.", "Fix the expression (docs/expressions.md).")
_SIGN_AGAIN = ("Đề nghị xã xuất lại, ký số lại rồi gửi; không sửa tệp sau khi ký.",
               "Ask the commune to export, sign and send it again, and not to edit it after signing.")
_SUPPORT = ("Thử lại; nếu vẫn lỗi, gửi thông báo này cho bộ phận hỗ trợ.",
            "Try again; if it fails again, send this message to support.")

# Declare every code once, in the family where it arises; keep each family sorted as you like, but a code
# in one family only.  Positional: code, Vietnamese summary, English summary, what to do (vi), (en).
FAMILIES: tuple[Family, ...] = (
    Family("Chung", "General", "Any command or window action: failures that are not the program's own refusals "
           "(readiness.errors.from_exception), and the answers file of `readiness fill`.", (
        _e("E-INTERNAL", "Lỗi chương trình (không do dữ liệu nhập vào).", "A program error (not caused by the input).",
           "Gửi thông báo này và tệp nhật ký (logs/readiness.log trong thư mục dữ liệu) cho bộ phận hỗ trợ.",
           "Send this message and the log file (logs/readiness.log in the data folder) to support."),
        _e("E-DB", "Không đọc/ghi được cơ sở dữ liệu.", "The database could not be read or written.",
           "Kiểm tra kết nối tới cơ sở dữ liệu (hoặc ổ đĩa) rồi thử lại.",
           "Check the connection to the database (or the disk), then try again."),
        _e("E-FILE", "Không đọc/ghi được tệp.", "A file could not be read or written.",
           "Kiểm tra đường dẫn, quyền truy cập và chỗ trống trên ổ đĩa rồi thử lại.",
           "Check the path, the permissions and the free disk space, then try again."),
        _e("E-JSON", "Tệp câu trả lời không phải JSON hợp lệ.", "The answers file is not valid JSON.",
           "Sửa tệp theo mẫu trong README: một đối tượng JSON, mã câu hỏi → câu trả lời.",
           "Fix the file as the README shows: one JSON object, item id → answer."),
    )),
    Family("Câu trả lời", "Answers", "answers.py: every way an answer comes in (the window, `readiness fill`, a "
           "probe's result, the import of a submission or a filled template).", (
        _e("E-ANS-CHOICE", "Lựa chọn không có trong danh sách.", "Not one of the choices.",
           "Chọn một trong các lựa chọn được liệt kê (mã hoặc nhãn).", "Pick one of the listed choices (its id or label)."),
        _e("E-ANS-COLUMN", "Bảng không có cột này.", "The table has no such column.",
           "Dùng mã cột do «readiness checklist show» liệt kê.", "Use a column id «readiness checklist show» lists."),
        _e("E-ANS-CONSTRAINT", "Câu trả lời không thỏa điều kiện của câu hỏi.", "The answer breaks the item's rule.",
           "Sửa câu trả lời theo điều kiện nêu trong thông báo.", "Correct the answer as the message says."),
        _e("E-ANS-DATE", "Ngày không hợp lệ.", "Not a valid date.",
           "Ghi ngày dạng dd/mm/yyyy, ví dụ 20/11/2025.", "Write the date as dd/mm/yyyy, e.g. 20/11/2025."),
        _e("E-ANS-INTEGER", "Phải là số nguyên.", "Must be a whole number.",
           "Nhập số không có phần thập phân.", "Type a number without decimals."),
        _e("E-ANS-ITEM", "Không có câu hỏi mã này trong bảng kiểm.", "No item with this id in the checklist.",
           "Dùng mã câu hỏi do «readiness checklist show» liệt kê.", "Use an item id «readiness checklist show» lists."),
        _e("E-ANS-MAX", "Giá trị lớn hơn mức cho phép.", "The value is above the largest allowed.",
           "Nhập số không lớn hơn giá trị lớn nhất nêu trong thông báo.",
           "Type a number no larger than the message says."),
        _e("E-ANS-MIN", "Giá trị nhỏ hơn mức cho phép.", "The value is below the smallest allowed.",
           "Nhập số không nhỏ hơn giá trị nhỏ nhất nêu trong thông báo.",
           "Type a number no smaller than the message says."),
        _e("E-ANS-NUMBER", "Câu trả lời phải là số.", "The answer must be a number.",
           "Nhập một số; phần thập phân dùng dấu phẩy, ví dụ 12,5.", "Type a number; decimals with a comma, e.g. 12,5."),
        _e("E-ANS-RANGE", "Số quá lớn.", "The number is too large.",
           "Kiểm tra lại số đã nhập (thừa chữ số?).", "Check the number typed (extra digits?)."),
        _e("E-ANS-REQUIRED", "Câu hỏi bắt buộc chưa được trả lời.", "A required answer is missing.",
           "Trả lời câu hỏi (hoặc nhập đủ các cột bắt buộc của dòng) trước khi hoàn thành.",
           "Answer it (or fill every required column of the row) before finalizing."),
        _e("E-ANS-ROWS", "Bảng có nhiều dòng hơn mức cho phép.", "The table has more rows than allowed.",
           "Bớt số dòng cho đúng giới hạn nêu trong thông báo.", "Remove rows down to the limit the message gives."),
        _e("E-ANS-RULE", "Không kiểm tra được điều kiện của câu hỏi (lỗi trong bảng kiểm).",
           "The item's rule could not be checked (an error in the checklist).",
           "Báo cho Sở KHCN: điều kiện trong tệp bảng kiểm cần sửa.",
           "Tell the department: the rule in the checklist file needs fixing."),
        _e("E-ANS-TABLE", "Câu trả lời của bảng không đúng dạng.", "A table answer is not in the right shape.",
           "Ghi bảng là danh sách các dòng, mỗi dòng: mã cột → giá trị.",
           "Give a table as a list of rows, each row: column id → value."),
        _e("E-ANS-TEXT", "Nội dung chữ không hợp lệ.", "The text is not valid.",
           "Nhập chữ, không có ký tự điều khiển.", "Type plain text, without control characters."),
        _e("E-ANS-TOO-LONG", "Nội dung quá dài.", "The text is too long.",
           "Rút gọn nội dung (tối đa 4.000 ký tự).", "Shorten the text (at most 4,000 characters)."),
        _e("E-ANS-TYPE", "Kiểu câu hỏi không được hỗ trợ.", "An unsupported item type.",
           "Cài phiên bản mới của phần mềm, hoặc báo cho Sở KHCN.",
           "Install the newest version of the program, or tell the department."),
        _e("E-ANS-YESNO", "Chỉ nhận «Có» hoặc «Không».", "Only yes or no is accepted.",
           "Ghi «Có» hoặc «Không».", "Write yes or no."),
    )),
    Family("Bản đánh giá và cơ sở dữ liệu", "Assessments and the database", "store/, service.py: opening, "
           "saving, finalizing and reopening an assessment (the window, `fill`, `finalize`, `reopen`, `probe --save`, "
           "`checklist upgrade`), the register, periods.", (
        _e("E-ASSESSMENT", "Chưa có bản đánh giá này.", "No such assessment.",
           "Kiểm tra mã xã và kỳ; tạo bản đánh giá trong cửa sổ hoặc bằng «readiness fill».",
           "Check the commune code and the period; create the assessment in the window or with «readiness fill»."),
        _e("E-COMMUNE", "Mã đơn vị hành chính không có trong danh mục.", "No commune with this code in the register.",
           "Tìm mã đúng bằng «readiness communes --search TÊN».", "Find the code with «readiness communes --search NAME»."),
        _e("E-PERIOD", "Kỳ báo cáo không hợp lệ.", "Not a valid reporting period.",
           "Ghi kỳ dạng YYYY-MM hoặc MM/YYYY, ví dụ 2025-11.", "Write the period as YYYY-MM or MM/YYYY, e.g. 2025-11."),
        _e("E-CHECKLIST-MISSING", "Không có bảng kiểm (hoặc phiên bản) này trong phần mềm.",
           "This checklist (or version) is not installed.",
           "Cài phiên bản mới của phần mềm, hoặc kiểm tra mã bảng kiểm.",
           "Install the newest version of the program, or check the checklist id."),
        _e("E-CARRY-SOURCE", "Không mang sang được từ kỳ đã chọn.", "Cannot carry from the chosen period.",
           "Chọn một kỳ trước đó đã hoàn thành, hoặc bắt đầu từ phiếu trống.",
           "Choose an earlier finalized period, or start from an empty form."),
        _e("E-CARRY-EXISTS", "Kỳ này đã có bản đánh giá; chỉ bắt đầu từ kỳ trước được khi kỳ chưa có bản nào.",
           "This period has an assessment already; starting from an earlier one is for a period with none.",
           "Mở bản đã có để nhập tiếp.", "Open the existing one and go on."),
        _e("E-CARRY-NONE", "Bản đánh giá không bắt đầu từ kỳ trước nên không có gì để xác nhận.",
           "The assessment did not start from an earlier period: there is nothing to confirm.",
           "Không cần xác nhận; trả lời các câu hỏi như bình thường.", "No need to confirm; answer as usual."),
        _e("E-CARRY-UNTOUCHED", "Còn câu phải nhập mới hoặc xác nhận lại trong kỳ này.",
           "Something to enter anew or to confirm this period is untouched.",
           "Nhập số liệu mới cho câu được nêu, hoặc bấm «Không thay đổi so với kỳ trước» ở phần đó "
           "(«readiness confirm»).",
           "Enter this period's figure for the question named, or press “No change since last period” in its "
           "section («readiness confirm»)."),
        _e("E-SECTION", "Bảng kiểm không có phần này.", "The checklist has no such section.",
           "Ghi mã phần (general) hoặc số thứ tự của phần.", "Give the section's id (general) or its number."),
        _e("E-STORE-FINALIZED", "Bản đánh giá đã hoàn thành nên không sửa được.",
           "The assessment is finalized and cannot be changed.",
           "Mở lại để sửa (nút «Mở lại để sửa» hoặc «readiness reopen»): phần mềm tạo lần sửa mới, lần cũ vẫn ở "
           "trong lịch sử.",
           "Reopen it (“Reopen to edit” or «readiness reopen»): a new revision is made, the old one stays in the "
           "history."),
        _e("E-STORE-INCOMPLETE", "Chưa hoàn thành được: còn câu bắt buộc chưa trả lời hoặc chưa hợp lệ.",
           "Cannot finalize: required answers are missing or invalid.",
           "Trả lời các câu còn thiếu (phần mềm đưa tới câu đầu tiên) rồi hoàn thành lại.",
           "Answer what is missing (the program takes you to the first) and finalize again."),
        _e("E-STORE-LOCKED", "Một chương trình khác đang tạo hoặc nâng cấp cơ sở dữ liệu.",
           "Another program is creating or upgrading the database.",
           "Đợi chương trình đó kết thúc rồi mở lại.", "Wait for it to finish, then open the database again."),
        _e("E-STORE-MIGRATE", "Không nâng cấp được cơ sở dữ liệu.", "The database could not be upgraded.",
           "Gửi thông báo này cho bộ phận hỗ trợ.", "Send this message to support."),
        _e("E-STORE-DEV-REVISION", "Cơ sở dữ liệu do một bản dựng thử chưa phát hành tạo ra; không nâng cấp được.",
           "The database was made by an unreleased development build; it cannot be upgraded.",
           "Dùng cơ sở dữ liệu mới (hoặc bản sao lưu của bản phát hành) rồi nhập lại các tệp.",
           "Use a new database (or a backup made by a release) and import the files again."),
        _e("E-STORE-ROW", "Dòng này không còn trong bảng.", "The row is no longer in the table.",
           "Tải lại bảng rồi sửa lại (dòng có thể đã bị xoá ở nơi khác).",
           "Reload the table and edit again (the row may have been deleted elsewhere)."),
        _e("E-STORE-ROWS", "Bảng đã đủ số dòng tối đa.", "The table has its maximum number of rows.",
           "Xoá dòng không cần trước khi thêm dòng mới.", "Delete a row you do not need before adding one."),
        _e("E-STORE-BACKUP", "Chỉ sao lưu, khôi phục được cơ sở dữ liệu SQLite trên máy này.",
           "Only a SQLite database on this computer can be backed up or restored here.",
           "Sao lưu cơ sở dữ liệu PostgreSQL bằng công cụ của máy chủ (pg_dump).",
           "Back up a PostgreSQL database with the server's tools (pg_dump)."),
    )),
    Family("Sao lưu và khôi phục", "Backup and restore", "store/db.py (verify_backup): `readiness restore`, the "
           "window's «Khôi phục…».", (
        _e("E-BACKUP-FILE", "Tệp không phải bản sao lưu của phần mềm, hoặc không đọc được.",
           "Not a backup of this program, or it cannot be read.",
           "Chọn tệp sao lưu do phần mềm tạo (thư mục backups cạnh cơ sở dữ liệu).",
           "Choose a backup the program made (the backups folder beside the database)."),
        _e("E-BACKUP-CORRUPT", "Tệp sao lưu bị hỏng.", "The backup file is damaged.",
           "Chọn một bản sao lưu khác; dữ liệu hiện tại không bị thay đổi.",
           "Choose another backup; the current data was not changed."),
        _e("E-BACKUP-NEWER", "Tệp sao lưu do phiên bản mới hơn của phần mềm tạo ra.",
           "The backup was made by a newer version of the program.",
           "Cập nhật phần mềm rồi khôi phục lại.", "Update the program, then restore again."),
    )),
    Family("Tệp định nghĩa bảng kiểm", "Checklist definitions", "checklist/loader.py: `readiness checklist "
           "validate`, and every time a checklist file is loaded (start-up, import). Messages name the file, the line "
           "and the item.", (
        _e("E-CL-BOUNDS", "min/max không hợp lệ (chỉ dùng cho số, min không lớn hơn max).",
           "Invalid min/max (numbers only, min not above max).",
           "Sửa min/max của câu hỏi ở dòng được nêu.", "Fix the item's min/max at the line given."),
        _e("E-CL-CONTACT", "Tệp nơi liên hệ theo tỉnh (contacts.yaml) có chỗ sai.",
           "The per-province contacts file (contacts.yaml) has a mistake.",
           "Mỗi tỉnh chỉ khai các mục đã có trong «contacts», ghi bằng chữ, không dùng dấu ngoặc nhọn.",
           "A province may give only contacts declared under «contacts», as plain text without braces."),
        _e("E-CL-DUP-ID", "Mã phần, câu hỏi hoặc cột bị trùng.", "A section, item or column id is used twice.",
           "Đổi một trong hai mã.", "Rename one of them."),
        _e("E-CL-DUP-KEY", "Một khoá xuất hiện hai lần.", "A key appears twice.",
           "Xoá hoặc gộp khoá trùng.", "Remove or merge the repeated key."),
        _e("E-CL-EMPTY", "Tệp bảng kiểm rỗng.", "The checklist file is empty.",
           "Chọn đúng tệp bảng kiểm.", "Choose the right checklist file."),
        _e("E-CL-ENCODING", "Tệp không phải văn bản UTF-8.", "The file is not UTF-8 text.",
           "Lưu lại tệp với mã hoá UTF-8.", "Save the file again as UTF-8."),
        _e("E-CL-ENUM", "Giá trị không thuộc các giá trị cho phép.", "A value is not one of those allowed.",
           "Dùng một giá trị có trong docs/checklist-format.md.", "Use a value docs/checklist-format.md lists."),
        _e("E-CL-EXPR", "Biểu thức không hợp lệ, hoặc dùng «.» ở nơi không có nghĩa.",
           "An expression is not valid, or uses «.» where it means nothing.", *_EXPR_FIX),
        _e("E-CL-FILE", "Không đọc được tệp bảng kiểm, hoặc tệp quá lớn.",
           "The checklist file cannot be read, or is too large.",
           "Kiểm tra đường dẫn và kích thước tệp (tối đa 2 MB).", "Check the path and the size (at most 2 MB)."),
        _e("E-CL-ID", "Mã không đúng dạng.", "An id is not well formed.",
           "Mã gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ.",
           "Ids are lower-case letters, digits and underscores, starting with a letter."),
        _e("E-CL-KEY", "Khoá phải là tên thường.", "Keys must be plain names.",
           "Sửa khoá ở dòng được nêu.", "Fix the key at the line given."),
        _e("E-CL-MISSING", "Thiếu khoá bắt buộc.", "A required key is missing.",
           "Thêm khoá được nêu.", "Add the key named."),
        _e("E-CL-NAME", "Tên tệp không khớp mã và phiên bản ghi trong tệp.",
           "The file name does not match the id and version inside.",
           "Lưu tệp thành checklists/<mã>/v<phiên bản>.yaml.", "Save it as checklists/<id>/v<version>.yaml."),
        _e("E-CL-NOT-FOUND", "Không tìm thấy bảng kiểm cần dùng trong thư mục bảng kiểm.",
           "The checklist needed is not in the checklist folder.",
           "Nếu đã đặt biến môi trường READINESS_CHECKLISTS, kiểm tra thư mục đó có <mã>/v<số>.yaml; nếu không, "
           "cài lại chương trình.",
           "If READINESS_CHECKLISTS is set, check that its folder holds <id>/v<n>.yaml; otherwise reinstall."),
        _e("E-CL-PROVINCE", "Mã tỉnh không có trong danh mục đơn vị hành chính.",
           "A province code the register does not have.",
           "Dùng mã tỉnh hai chữ số trong danh mục (51: Quảng Ngãi; xem readiness communes --province all).",
           "Use a two-digit province code of the register (51: Quảng Ngãi; see readiness communes --province all)."),
        _e("E-CL-REF", "Tên không xác định trong biểu thức.", "An unknown name in an expression.",
           "Dùng mã câu hỏi, cột hoặc giá trị tính có trong bảng kiểm.",
           "Use an item, a column or a computed value of the checklist."),
        _e("E-CL-SCHEMA", "Cấu trúc tệp bảng kiểm sai.", "The checklist file has the wrong shape.",
           "Sửa theo docs/checklist-format.md.", "Fix it as docs/checklist-format.md shows."),
        _e("E-CL-TABLE", "Tên được dùng như bảng nhưng không phải câu hỏi dạng bảng.",
           "A name used as a table is not a table item.",
           "Dùng mã của một câu hỏi dạng bảng.", "Use the id of a table item."),
        _e("E-CL-REFRESH", "Quy tắc mang sang kỳ sau (refresh) không hợp lệ.",
           "A refresh rule (what the next period carries) is not valid.",
           "Sửa theo docs/checklist-format.md (mục refresh).", "Fix it as docs/checklist-format.md shows (refresh)."),
        _e("E-CL-TEMPLATE", "Mẫu câu (yêu cầu, khuyến nghị, nhãn) không hợp lệ.",
           "A sentence template (requirement, advice, label) is not valid.",
           "Sửa mẫu câu theo docs/checklist-format.md: chỉ dùng giá trị tính, ngưỡng và nơi liên hệ (contacts.yaml).",
           "Fix the template as docs/checklist-format.md shows: computed values, thresholds and contacts (contacts.yaml)."),
        _e("E-CL-THRESHOLD", "Ngưỡng ($tên) không xác định.", "An unknown threshold ($name).",
           "Khai báo ngưỡng trong mục thresholds, hoặc sửa tên.", "Declare it under thresholds, or fix the name."),
        _e("E-CL-UNKNOWN-KEY", "Khoá không có trong định dạng bảng kiểm.", "A key the checklist format does not have.",
           "Xoá khoá hoặc sửa lỗi chính tả.", "Remove it or fix its spelling."),
        _e("E-CL-YAML", "Tệp không phải YAML hợp lệ.", "The file is not valid YAML.",
           "Sửa cú pháp YAML ở dòng được nêu (thụt lề, dấu hai chấm, dấu nháy).",
           "Fix the YAML at the line given (indentation, colons, quotes)."),
    )),
    Family("Biểu thức", "Expressions", "expr.py: the rules of a checklist; reported as E-CL-EXPR when a checklist "
           "is loaded and E-ANS-RULE when an answer is checked (docs/expressions.md).", (
        _e("E-EXPR", "Biểu thức không hợp lệ.", "An invalid expression.", *_EXPR_FIX),
        _e("E-EXPR-ARITY", "Sai số đối số của hàm.", "A function has the wrong number of arguments.", *_EXPR_FIX),
        _e("E-EXPR-FUNC", "Hàm không xác định.", "An unknown function.", *_EXPR_FIX),
        _e("E-EXPR-NAME", "Tên không xác định.", "An unknown name.", *_EXPR_FIX),
        _e("E-EXPR-SYNTAX", "Sai cú pháp biểu thức.", "A malformed expression.", *_EXPR_FIX),
        _e("E-EXPR-TABLE-ARG", "Đối số đầu của hàm phải là mã một câu hỏi dạng bảng.",
           "The function's first argument must be the id of a table item.", *_EXPR_FIX),
        _e("E-EXPR-TOO-DEEP", "Biểu thức lồng quá sâu.", "The expression is nested too deeply.",
           "Tách biểu thức thành các giá trị tính (computed).", "Split it into computed values."),
        _e("E-EXPR-TOO-LONG", "Biểu thức quá dài.", "The expression is too long.",
           "Tách biểu thức thành các giá trị tính (computed).", "Split it into computed values."),
        _e("E-EXPR-TYPE", "Sai kiểu giá trị trong biểu thức.", "A value of the wrong type in an expression.",
           *_EXPR_FIX),
    )),
    Family("Đọc bảng tính", "Reading a workbook", "exchange/reader.py: reading a submission or a filled "
           "template (the department's import, `readiness trust verify`, signing).", (
        _e("E-XLSX-FILE", "Không tìm thấy hoặc không đọc được tệp.", "The file is missing or cannot be read.",
           "Kiểm tra đường dẫn; chép tệp vào máy rồi thử lại.",
           "Check the path; copy the file to this computer and try again."),
        _e("E-XLSX-TOO-BIG", "Tệp quá lớn so với một phiếu tự đánh giá.", "The file is too large for an assessment.",
           *_EXPORT_AGAIN),
        _e("E-XLSX-NOT-XLSX", "Không phải tệp Excel .xlsx.", "Not an Excel .xlsx file.",
           "Mở bằng Excel và lưu dạng «Excel Workbook (.xlsx)», hoặc xuất lại tệp từ phần mềm.",
           "Open it in Excel and save it as “Excel Workbook (.xlsx)”, or export it again from the program."),
        _e("E-XLSX-CORRUPT", "Tệp Excel bị hỏng hoặc có mật khẩu.", "The workbook is damaged or password-protected.",
           "Xuất lại tệp từ phần mềm (không đặt mật khẩu).", "Export it again from the program (without a password)."),
        _e("E-XLSX-NO-DATA", "Tệp không có sheet dữ liệu «_data»: không phải tệp do phần mềm tạo ra.",
           "No «_data» sheet: not a file this program made.",
           "Dùng tệp xuất từ phần mềm, hoặc phiếu trống do phần mềm tạo.",
           "Use a file exported from the program, or a blank form it made."),
        _e("E-XLSX-SHEET-MISSING", "Thiếu một sheet của phiếu (bị xoá hoặc đổi tên).",
           "A sheet of the form is missing (deleted or renamed).",
           "Xuất lại tệp từ phần mềm; không xoá hay đổi tên sheet.",
           "Export it again from the program; do not delete or rename sheets."),
        _e("E-XLSX-SHEET", "Không đọc được một sheet.", "A sheet cannot be read.", *_EXPORT_AGAIN),
        _e("E-XLSX-DATA", "Sheet dữ liệu «_data» sai cấu trúc.", "The «_data» sheet has the wrong structure.",
           *_DATA_SHEET),
        _e("E-XLSX-DATA-JSON", "Một giá trị trong sheet dữ liệu không đọc được.",
           "A value in the data sheet cannot be read.", *_DATA_SHEET),
        _e("E-XLSX-FORMAT", "Sheet dữ liệu không theo định dạng của phần mềm.",
           "The data sheet is not in this program's format.", *_DATA_SHEET),
        _e("E-XLSX-VERSION", "Tệp theo định dạng mới hơn phần mềm này.",
           "The file is in a newer format than this program reads.",
           "Cập nhật phần mềm.", "Update the program."),
        _e("E-XLSX-CHECKLIST", "Tệp theo bảng kiểm (hoặc phiên bản) khác, hoặc chưa được cài.",
           "The file follows another checklist (or version), or one that is not installed.",
           "Cài phiên bản mới của phần mềm, hoặc dùng phiếu của đúng bảng kiểm.",
           "Install the newest version of the program, or use the form of the right checklist."),
        _e("E-XLSX-ITEM", "Câu hỏi trong tệp không có trong bảng kiểm.", "An item in the file is not in the checklist.",
           *_DATA_SHEET),
        _e("E-XLSX-COMMUNE", "Mã đơn vị hành chính trên trang bìa không gồm 5 chữ số.",
           "The commune code on the cover is not 5 digits.",
           "Ghi mã xã 5 chữ số trên trang bìa.", "Write the 5-digit commune code on the cover."),
        _e("E-XLSX-PERIOD", "Kỳ báo cáo trên trang bìa không đúng dạng.", "The period on the cover is not well formed.",
           "Ghi kỳ dạng tháng/năm, ví dụ 11/2025.", "Write the period as month/year, e.g. 11/2025."),
    )),
    Family("Ghi tệp", "Writing files", "exchange/ and the department's reports: every file the program writes "
           "(`export`, `template`, `print-checklist`, `report`, the window's export and report actions); each is "
           "written, read back, checked, then renamed into place.", (
        _e("E-EXPORT-FOLDER", "Thư mục ghi tệp không tồn tại.", "The folder does not exist.",
           "Chọn một thư mục có sẵn.", "Choose a folder that exists."),
        _e("E-EXPORT-PATH", "Tên tệp không hợp lệ (có đường dẫn, hoặc ra ngoài thư mục).",
           "Not a plain file name (it holds a path, or leaves the folder).",
           "Chỉ ghi tên tệp.", "Give a file name only."),
        _e("E-EXPORT-WRITE", "Không ghi được tệp.", "The file could not be written.",
           "Kiểm tra quyền ghi và chỗ trống trên ổ đĩa rồi thử lại.",
           "Check the write permission and the free disk space, then try again."),
        _e("E-EXPORT-LOCKED", "Không thay được tệp cũ: tệp đang mở trong chương trình khác.",
           "The old file could not be replaced: it is open in another program.",
           "Đóng tệp (Excel, trình đọc PDF) rồi thử lại.", "Close the file (Excel, a PDF reader) and try again."),
        _e("E-EXPORT-VERIFY", "Đọc lại tệp vừa ghi không khớp; tệp chưa được lưu.",
           "Reading the written file back did not match; it was not saved.", *_SUPPORT),
        _e("E-PDF-FONT", "Không nạp được phông chữ để ghi PDF.", "A font for the PDF could not be loaded.",
           "Cài lại phần mềm.", "Reinstall the program."),
    )),
    Family("Nhập tệp của xã", "Importing submissions", "department/ (importer.py, import_worker.py, xlsx_guard.py): "
           "`readiness import`, the department window's «Nhập tệp…». One per reason a file was refused (E-…) or "
           "imported with a note (W-…); reader (E-XLSX-…) and answer (E-ANS-…) codes pass through.", (
        _e("E-IMPORT-NOT-FOUND", "Không tìm thấy tệp hoặc thư mục.", "The file or folder does not exist.",
           "Kiểm tra lại đường dẫn.", "Check the path."),
        _e("E-IMPORT-UNREADABLE", "Không đọc được tệp (quyền truy cập, ổ đĩa).",
           "The file cannot be read (permissions, the disk).",
           "Chép tệp vào máy rồi nhập lại.", "Copy the file to this computer and import it again."),
        _e("E-IMPORT-NOT-REGULAR", "Không phải tệp thường (ống dẫn FIFO, socket, thiết bị): không đọc, để chương trình "
           "không bị treo.", "Not a regular file (a FIFO, a socket, a device): not read, so the program cannot hang.",
           "Chọn đúng tệp .xlsx xã gửi về.", "Choose the .xlsx file the commune sent."),
        _e("E-IMPORT-LINK", "Liên kết (symlink) hỏng, vòng, trỏ ra ngoài thư mục đã chọn hoặc tới một thư mục: không "
           "đi theo.", "A broken or looping link, or one that leads out of the folder or to a folder: not followed.",
           "Chọn chính tệp mà liên kết trỏ tới, hoặc chép tệp vào thư mục.",
           "Choose the file the link leads to, or copy it into the folder."),
        _e("E-IMPORT-EMPTY", "Tệp rỗng (0 byte).", "The file is empty (0 bytes).",
           "Đề nghị xã gửi lại tệp.", "Ask the commune to send the file again."),
        _e("E-IMPORT-TOO-BIG", "Tệp quá lớn so với một phiếu tự đánh giá.", "The file is too large for an assessment.",
           *_EXPORT_AGAIN),
        _e("E-IMPORT-XLS", "Tệp Excel 97-2003 (.xls), không phải .xlsx.", "An Excel 97-2003 (.xls) file, not .xlsx.",
           *_EXPORT_AGAIN),
        _e("E-IMPORT-ENCRYPTED", "Tệp Excel có đặt mật khẩu (đã mã hóa).", "A password-protected (encrypted) workbook.",
           "Đề nghị xã gỡ mật khẩu hoặc xuất lại tệp.", "Ask the commune to remove the password or export again."),
        _e("E-IMPORT-OLE", "Tệp Office đời cũ (không phải bảng tính .xlsx).", "An old Office file (not an .xlsx "
           "workbook).", *_EXPORT_AGAIN),
        _e("E-IMPORT-TEXT", "Tệp văn bản (CSV/TXT/HTML) bị đổi đuôi thành .xlsx.", "A text file (CSV/TXT/HTML) renamed "
           "to .xlsx.", *_EXPORT_AGAIN),
        _e("E-IMPORT-PDF", "Tệp PDF, không phải bảng tính.", "A PDF, not a workbook.",
           "Đề nghị xã gửi tệp Excel xuất từ phần mềm.", "Ask the commune for the Excel file the program exported."),
        _e("E-IMPORT-ZIP-OTHER", "Tệp nén (zip) hoặc tài liệu Office khác, không phải bảng tính Excel.",
           "A zip file or another Office document, not an Excel workbook.",
           "Đề nghị xã gửi đúng tệp Excel.", "Ask the commune for the right Excel file."),
        _e("E-IMPORT-TRUNCATED", "Tệp Excel bị cắt cụt hoặc hỏng (tải về chưa xong?).",
           "The workbook is truncated or damaged (an unfinished download?).",
           "Tải lại tệp hoặc đề nghị xã gửi lại.", "Download it again or ask the commune to send it again."),
        _e("E-IMPORT-UNKNOWN", "Không nhận ra định dạng tệp.", "An unknown file format.",
           "Đề nghị xã gửi tệp Excel xuất từ phần mềm.", "Ask the commune for the Excel file the program exported."),
        _e("E-IMPORT-ZIP-BOMB", "Tệp nén bất thường (giải nén ra rất lớn): bị từ chối để bảo vệ máy.",
           "An abnormal zip (it inflates hugely): refused to protect the computer.",
           "Không mở tệp này.", "Do not open this file."),
        _e("E-IMPORT-CELLS", "Bảng tính có ô ở vị trí hoặc số lượng bất thường: bị từ chối để bảo vệ máy.",
           "Cells at abnormal positions or in abnormal numbers: refused to protect the computer.", *_EXPORT_AGAIN),
        _e("E-IMPORT-XML-DTD", "Tệp chứa khai báo XML DOCTYPE/ENTITY, điều mà tệp Excel thật không có: bị từ chối.",
           "The file declares an XML DOCTYPE/ENTITY, which a real workbook never does: refused.",
           "Không mở tệp này.", "Do not open this file."),
        _e("E-IMPORT-IDENTITY", "Thông tin định danh của bản đánh giá (mã, lần sửa, trạng thái) thiếu hoặc sai.",
           "The assessment's identity (id, revision, status) is missing or wrong.", *_EXPORT_AGAIN),
        _e("E-IMPORT-COMMUNE", "Mã xã không có trong danh mục đơn vị hành chính.",
           "The commune code is not in the register.",
           "Kiểm tra mã xã trên trang bìa.", "Check the commune code on the cover."),
        _e("E-IMPORT-PERIOD", "Kỳ báo cáo không hợp lệ.", "The reporting period is not valid.",
           "Ghi kỳ dạng tháng/năm, ví dụ 11/2025.", "Write the period as month/year, e.g. 11/2025."),
        _e("E-IMPORT-HASH", "Dữ liệu gốc trong tệp đã bị sửa sau khi xuất (mã kiểm tra SHA-256 không khớp).",
           "The file's data was changed after export (the SHA-256 check does not match).",
           "Đề nghị xã xuất lại tệp, hoặc nhập với --accept-edited nếu chấp nhận phần sửa.",
           "Ask the commune to export again, or import with --accept-edited to accept the edits."),
        _e("E-IMPORT-EDITED", "Tệp đã bị sửa tay sau khi xuất: ô trên sheet khác dữ liệu gốc.",
           "The file was edited by hand after export: cells differ from the original data.",
           "Đề nghị xã sửa trong phần mềm rồi xuất lại, hoặc nhập với --accept-edited.",
           "Ask the commune to edit in the program and export again, or import with --accept-edited."),
        _e("E-IMPORT-OLDER", "Đã có lần sửa mới hơn của xã cho kỳ này; bản cũ không ghi đè bản mới.",
           "A newer revision of this commune and period is there already; an older one never replaces it.",
           "Không cần nhập tệp này.", "No need to import this file."),
        _e("E-IMPORT-CONFLICT", "Cùng lần sửa nhưng nội dung khác với bản đã nhập.",
           "The same revision, with other content than the one imported.",
           "Hỏi xã tệp nào là bản đúng; xã mở lại để tạo lần sửa mới rồi gửi lại.",
           "Ask the commune which is right; it reopens to make a new revision and sends it again."),
        _e("E-IMPORT-CRASH", "Trình đọc bảng tính dừng bất thường khi mở tệp này: bị từ chối.",
           "The workbook reader crashed on this file: refused.",
           "Đề nghị xã xuất lại tệp.", "Ask the commune to export the file again."),
        _e("E-IMPORT-DB", "Không ghi được vào cơ sở dữ liệu.", "The database could not be written.",
           "Kiểm tra kết nối cơ sở dữ liệu rồi nhập lại.", "Check the database connection and import again."),
        _e("E-IMPORT-INTERNAL", "Lỗi chương trình khi nhập tệp.", "A program error while importing the file.",
           "Gửi tệp và thông báo này cho bộ phận hỗ trợ.", "Send the file and this message to support."),
        _e("E-IMPORT-SKIPPED", "Không phải tệp .xlsx: bỏ qua.", "Not an .xlsx file: skipped.",
           "Không cần làm gì.", "Nothing to do."),
        _e("E-IMPORT-NOT-TEMPLATE", "Tệp gửi Sở đã xuất, không phải phiếu trống đã điền.",
           "A submission exported for the department, not a filled blank template.",
           "Nhập phiếu trống đã điền; tệp gửi Sở do Sở nhập.",
           "Load a filled blank template; the department imports submissions."),
        _e("W-IMPORT-ACCEPTED-REPLACEMENT", "Sở chấp nhận bản mới thay bản đã ký số (--accept-unsigned-replacement).",
           "The department accepted the new revision in place of the signed one (--accept-unsigned-replacement)."),
        _e("W-IMPORT-EDITED", "Chấp nhận tệp đã sửa tay (--accept-edited): nhập giá trị trên sheet.",
           "A hand-edited file accepted (--accept-edited): the sheets' values were imported."),
        _e("W-IMPORT-HASH", "Chấp nhận tệp có mã kiểm tra không khớp (--accept-edited).",
           "A file whose check does not match accepted (--accept-edited)."),
        _e("W-IMPORT-INCOMPLETE", "Bản đã hoàn thành nhưng còn câu bắt buộc chưa trả lời.",
           "Finalized, but required answers are missing."),
        _e("W-IMPORT-CHECKLIST", "Bảng kiểm trong tệp khác bản đang cài (mã băm khác).",
           "The file's checklist differs from the installed one (another hash)."),
    )),
    Family("Bản giữ lại", "Held revisions", "department/held.py, store/imports.py: `readiness held accept|dismiss`, "
           "the department window's «Bản giữ lại…»; W-HELD-… on the import of a later revision that would replace a "
           "validly signed one (docs/signatures.md).", (
        _e("E-HELD-AMBIGUOUS", "Nhiều bản giữ lại khớp.", "Several held revisions match.",
           "Chọn một bằng --id (xem «readiness held»).", "Choose one with --id (see «readiness held»)."),
        _e("E-HELD-DECIDED", "Bản giữ lại đã được xử lý.", "The held revision was decided already.",
           "Xem «readiness held --all»; không cần làm gì thêm.", "See «readiness held --all»; nothing more to do."),
        _e("E-HELD-NOT-FOUND", "Không có bản giữ lại này.", "No such held revision.",
           "Xem danh sách bằng «readiness held».", "List them with «readiness held»."),
        _e("E-HELD-REASON", "Chưa ghi lý do.", "No reason given.",
           "Ghi lý do bằng --reason «…» (được ghi vào nhật ký nhập).",
           "Give a reason with --reason “…” (kept in the import log)."),
        _e("E-HELD-STALE", "Nội dung của bản giữ lại đã có trong cơ sở dữ liệu.",
           "The held content is in the database already.",
           "Bỏ bản giữ lại («readiness held dismiss»).", "Dismiss the held revision («readiness held dismiss»)."),
        _e("W-HELD-UNSIGNED", "Bản mới không ký số, bản đã ký số vẫn được dùng: bản mới được giữ lại chờ Sở quyết "
           "định.", "The new revision is not signed; the signed one stays in use and the new one is held for the "
           "department to decide.",
           "Hỏi xã vì sao bản mới không ký số. Nếu đúng là bản của xã: chấp nhận bằng «readiness held accept» "
           "(hoặc nút «Bản giữ lại…»); nếu không: bỏ bản giữ lại.",
           "Ask the commune why it is not signed. If it is theirs: accept it with «readiness held accept» (or "
           "“Held revisions…”); otherwise dismiss it."),
        _e("W-HELD-OTHER-SIGNER", "Bản mới được ký bởi tổ chức khác với bản đã ký số: bản mới được giữ lại chờ Sở quyết "
           "định.", "The new revision is signed by another organisation than the signed one: held for the "
           "department to decide.",
           "Hỏi xã về chứng thư số đã dùng; chấp nhận hoặc bỏ bản giữ lại.",
           "Ask the commune about the certificate it used; accept or dismiss the held revision."),
        _e("W-HELD-OLDER-SIGNATURE", "Bản mới được ký sớm hơn bản đã ký số đang dùng: bản mới được giữ lại chờ Sở quyết "
           "định.", "The new revision was signed earlier than the signed one in use: held for the department to "
           "decide.",
           "Hỏi xã bản nào là bản đúng; chấp nhận hoặc bỏ bản giữ lại.",
           "Ask the commune which is right; accept or dismiss the held revision."),
    )),
    Family("Kiểm tra chữ ký số", "Checking signatures", "signing/verify.py, signing/importing.py: the department's "
           "import and `readiness trust verify` (docs/signatures.md).", (
        _e("W-SIG-UNSIGNED", "Tệp chưa được ký số (không xác thực được người gửi).",
           "The file is not signed (the sender is not authenticated).",
           "Đề nghị xã ký số tệp trước khi gửi (nút «Ký số…» hoặc «readiness sign»).",
           "Ask the commune to sign the file before sending it (“Sign…” or «readiness sign»)."),
        _e("E-SIG-REQUIRED", "Tệp chưa được ký số, mà Sở yêu cầu tệp nộp phải có chữ ký số.",
           "The file is not signed, and the department requires a signature.",
           "Đề nghị xã ký số tệp rồi gửi lại.", "Ask the commune to sign the file and send it again."),
        _e("E-SIG-FORMAT", "Phần chữ ký số bị hỏng hoặc không đúng dạng.",
           "The signature part is damaged or not a CMS/PAdES signature.", *_SIGN_AGAIN),
        _e("E-SIG-DATA-CHANGED", "Dữ liệu đã bị sửa sau khi ký.", "The data was changed after signing.", *_SIGN_AGAIN),
        _e("E-SIG-SHEETS-EDITED", "Các sheet không còn khớp dữ liệu đã ký.",
           "The sheets no longer show the signed data.", *_SIGN_AGAIN),
        _e("E-SIG-BAD", "Giá trị chữ ký số sai.", "The signature value does not verify.", *_SIGN_AGAIN),
        _e("E-SIG-NO-ROOTS", "Sở chưa cài chứng thư gốc nào để kiểm tra chữ ký.",
           "The department has installed no trusted root yet.",
           "Cài chứng thư gốc bằng «readiness trust add TỆP» rồi nhập lại.",
           "Install a root with «readiness trust add FILE», then import again."),
        _e("E-SIG-UNTRUSTED", "Chứng thư số không dẫn tới chứng thư gốc đã cài.",
           "The certificate does not chain up to an installed root.",
           "Kiểm tra tổ chức cấp chứng thư; nếu tin cậy, cài chứng thư gốc của tổ chức đó.",
           "Check who issued the certificate; if trusted, install that issuer's root."),
        _e("E-SIG-EXPIRED", "Chứng thư số đã hết hạn khi ký.", "A certificate had expired when the file was signed.",
           "Đề nghị xã gia hạn chứng thư số rồi ký lại.", "Ask the commune to renew the certificate and sign again."),
        _e("E-SIG-NOT-YET-VALID", "Ký trước khi chứng thư số có hiệu lực.",
           "Signed before the certificate's validity began.",
           "Đề nghị xã kiểm tra ngày giờ máy tính rồi ký lại.",
           "Ask the commune to check the computer's clock and sign again."),
        _e("E-SIG-REVOKED", "Chứng thư số đã bị thu hồi.", "The certificate is revoked.",
           "Đề nghị xã ký bằng chứng thư số còn hiệu lực.", "Ask the commune to sign with a valid certificate."),
        _e("E-SIG-KEY-USAGE", "Chứng thư số không dùng để ký văn bản.", "The certificate is not for signing documents.",
           "Đề nghị xã ký bằng chứng thư số ký văn bản của đơn vị.",
           "Ask the commune to sign with its document-signing certificate."),
        _e("E-SIG-TIME", "Thời gian ký thiếu hoặc không hợp lý.", "The signing time is missing or impossible.",
           "Đề nghị xã kiểm tra đồng hồ máy tính rồi ký lại.",
           "Ask the commune to check the computer's clock and sign again."),
        _e("E-SIG-COMMUNE", "Chứng thư số không phải của xã ghi trong tệp.",
           "The certificate is not that of the commune named in the file.",
           "Đề nghị xã ký bằng chứng thư số của chính đơn vị.",
           "Ask the commune to sign with its own certificate."),
        _e("E-SIG-PDF-CHANGED", "Báo cáo PDF đã bị sửa sau khi ký.", "The PDF was changed after it was signed.",
           *_SIGN_AGAIN),
        _e("E-SIG-PDF-MISMATCH", "Báo cáo PDF và tệp Excel không được ký cùng nhau.",
           "The PDF and the workbook were not signed together.",
           "Đề nghị xã ký lại cả hai tệp một lần rồi gửi cùng nhau.",
           "Ask the commune to sign both files together and send them together."),
        _e("E-SIG-READ", "Không đọc được tệp để kiểm tra chữ ký.", "The file could not be read to check its signature.",
           "Chép tệp vào máy rồi thử lại.", "Copy the file to this computer and try again."),
    )),
    Family("Ký số", "Signing", "signing/ (sign.py, keys.py, pdf.py, workbook.py): `readiness sign`, the window's "
           "«Ký số…».", (
        _e("E-SIGN-CERT-EXPIRED", "Chứng thư số đã hết hạn.", "The certificate has expired.",
           "Gia hạn chứng thư số tại Ban Cơ yếu Chính phủ / đơn vị cấp rồi ký lại.",
           "Renew the certificate with the Government Cipher Committee or its issuer, then sign again."),
        _e("E-SIGN-CERT-NOT-YET-VALID", "Chứng thư số chưa có hiệu lực.", "The certificate is not valid yet.",
           "Kiểm tra lại ngày giờ của máy tính.", "Check the computer's date and time."),
        _e("E-SIGN-CERT-USAGE", "Chứng thư số này không dùng để ký văn bản.", "This certificate is not for signing "
           "documents.", "Chọn chứng thư số ký văn bản của đơn vị.", "Choose the unit's document-signing certificate."),
        _e("E-SIGN-CMS", "Không ký được dữ liệu.", "The data could not be signed.", *_SUPPORT),
        _e("E-SIGN-COMMUNE-CODE", "Mã xã không hợp lệ hoặc không có trong danh mục.",
           "The commune code is not valid or not in the register.",
           "Ghi mã xã 5 chữ số (tìm bằng «readiness communes --search TÊN»).",
           "Give the 5-digit commune code (find it with «readiness communes --search NAME»)."),
        _e("E-SIGN-COMMUNE", "Chứng thư số không phải của đơn vị.", "The certificate is not the commune's.",
           "Ký bằng chứng thư số của đơn vị.", "Sign with the commune's certificate."),
        _e("E-SIGN-DAMAGED", "Tệp Excel không nguyên vẹn.", "The workbook is not intact.",
           "Xuất lại rồi ký.", "Export the file again, then sign."),
        _e("E-SIGN-EDITED", "Tệp Excel đã bị sửa tay sau khi xuất.", "The workbook was edited by hand after export.",
           "Sửa trong phần mềm, xuất lại rồi ký.", "Edit in the program, export again, then sign."),
        _e("E-SIGN-KEY-FILE", "Không tìm thấy hoặc không mở được tệp chứng thư số (.p12/.pfx).",
           "The certificate file (.p12/.pfx) is missing or cannot be opened.",
           "Chọn đúng tệp .p12/.pfx của đơn vị.", "Choose the unit's .p12/.pfx file."),
        _e("E-SIGN-LOCKED", "Không thay được tệp: tệp đang mở trong chương trình khác.",
           "The file could not be replaced: it is open in another program.",
           "Đóng tệp (Excel, trình đọc PDF) rồi ký lại.", "Close the file (Excel, a PDF reader) and sign again."),
        _e("E-SIGN-NOT-SUBMISSION", "Không phải tệp kết quả xuất từ phần mềm.", "Not a result file exported by the "
           "program.", "Chỉ ký tệp «Xuất kết quả».", "Sign only an exported result file."),
        _e("E-SIGN-PASSWORD", "Sai mật khẩu tệp chứng thư số, hoặc chưa nhập mật khẩu.",
           "A wrong or missing password for the certificate file.",
           "Nhập đúng mật khẩu của tệp .p12/.pfx.", "Type the right password of the .p12/.pfx file."),
        _e("E-SIGN-PDF-SIGNED", "Báo cáo PDF đã được ký.", "The PDF is signed already.",
           "Xuất lại báo cáo từ phần mềm rồi ký tệp mới.", "Export the report again and sign the new file."),
        _e("E-SIGN-PDF", "Không tìm thấy, không đọc được hoặc không ký được báo cáo PDF.",
           "The PDF report is missing, unreadable or could not be signed.",
           "Xuất lại báo cáo PDF từ phần mềm rồi ký.", "Export the PDF report again from the program, then sign."),
        _e("E-SIGN-PIN-LOCKED", "Thiết bị ký số bị khoá do nhập sai PIN nhiều lần.",
           "The signing device is locked after too many wrong PINs.",
           "Liên hệ đơn vị cấp chứng thư để mở khoá.", "Ask the certificate's issuer to unlock it."),
        _e("E-SIGN-PIN", "Sai mã PIN, hoặc chưa nhập mã PIN.", "A wrong or missing PIN.",
           "Nhập đúng mã PIN; nhập sai nhiều lần thiết bị sẽ bị khoá.",
           "Type the right PIN; too many wrong ones lock the device."),
        _e("E-SIGN-TOKEN-KEY", "Thiết bị ký số không có khoá ký phù hợp.", "The signing device has no suitable key.",
           "Chọn khoá bằng --key-label, hoặc dùng thiết bị khác.", "Choose a key with --key-label, or another device."),
        _e("E-SIGN-TOKEN-LIB", "Không tìm thấy thư viện PKCS#11 của thiết bị ký số.",
           "The signing device's PKCS#11 library was not found.",
           "Cài phần mềm của thiết bị ký số (USB token) trước.", "Install the signing device's (USB token's) software "
           "first."),
        _e("E-SIGN-TOKEN-MANY", "Có nhiều thiết bị hoặc nhiều khoá ký.", "Several devices or signing keys.",
           "Chọn một bằng --slot hoặc --key-label.", "Choose one with --slot or --key-label."),
        _e("E-SIGN-TOKEN", "Không thấy hoặc không mở được thiết bị ký số.", "No signing device, or it cannot be opened.",
           "Cắm USB token và thử lại.", "Plug in the USB token and try again."),
        _e("E-SIGN-VERIFY", "Kiểm tra lại chữ ký vừa tạo không đạt; tệp chưa bị thay đổi.",
           "The new signature did not check out; the file was not changed.", *_SUPPORT),
        _e("E-SIGN-WRITE", "Không ghi được tệp đã ký.", "The signed file could not be written.",
           "Kiểm tra quyền ghi và chỗ trống trên ổ đĩa rồi ký lại.",
           "Check the write permission and the free disk space, then sign again."),
        _e("E-SIGN-WRONG-FILE", "Tệp là kết quả của xã hoặc kỳ khác.", "The file is the result of another commune or "
           "period.", "Chọn đúng tệp của xã và kỳ đang ký.", "Choose the file of the commune and period being signed."),
        _e("E-SIGN-XLSX", "Không mở được tệp Excel để ký.", "The workbook could not be opened to sign it.",
           "Xuất lại tệp từ phần mềm rồi ký.", "Export the file again from the program, then sign."),
    )),
    Family("Chứng thư gốc tin cậy", "Trusted roots", "signing/trust.py, signing/certs.py: `readiness trust "
           "add|remove`.", (
        _e("E-TRUST-FILE", "Không đọc được chứng thư số trong tệp.", "No certificate could be read from the file.",
           "Chọn tệp .cer/.crt/.pem/.p7b (dạng DER hoặc PEM).", "Choose a .cer/.crt/.pem/.p7b file (DER or PEM)."),
        _e("E-TRUST-NOT-CA", "Không phải chứng thư của tổ chức cấp chứng thư (CA).",
           "Not the certificate of a certification authority (CA).",
           "Chỉ cài chứng thư gốc hoặc CA trung gian.", "Install only a root or an intermediate CA."),
        _e("E-TRUST-FINGERPRINT", "Mã SHA-256 quá ngắn.", "The SHA-256 fingerprint is too short.",
           "Ghi ít nhất 8 chữ số hex đầu (xem «readiness trust list»).",
           "Give at least its first 8 hex digits (see «readiness trust list»)."),
        _e("E-TRUST-UNKNOWN", "Không có chứng thư gốc nào khớp mã SHA-256.", "No installed root has this fingerprint.",
           "Xem «readiness trust list».", "See «readiness trust list»."),
        _e("E-TRUST-AMBIGUOUS", "Nhiều chứng thư gốc khớp.", "Several roots match.",
           "Ghi thêm chữ số của mã SHA-256.", "Give more digits of the fingerprint."),
    )),
    Family("Kiến nghị", "Petitions", "department/petitions.py, cli_report.py: `readiness petitions list|update`, the "
           "department window's petitions tab (one petition or many together).", (
        _e("E-PETITION", "Không có kiến nghị này.", "No such petition.",
           "Xem số kiến nghị bằng «readiness petitions list».", "See the numbers with «readiness petitions list»."),
        _e("E-PETITION-NONE", "Không có kiến nghị nào được chọn hoặc khớp điều kiện; không có gì thay đổi.",
           "No petition chosen or matching the conditions; nothing changed.",
           "Chọn kiến nghị (--ids, hoặc điều kiện lọc khác), xem trước bằng --dry-run.",
           "Choose petitions (--ids, or other filters); preview with --dry-run."),
        _e("E-PETITION-TOPIC", "Lĩnh vực không có trong bảng kiểm.", "No such topic in the checklist.",
           "Chọn một trong các lĩnh vực được liệt kê.", "Choose one of the topics listed."),
        _e("E-PETITION-FIELD", "Nội dung quá dài hoặc có ký tự không hợp lệ.", "A text is too long or holds "
           "invalid characters.", "Rút gọn nội dung, bỏ ký tự điều khiển.", "Shorten it; remove control characters."),
        _e("E-PETITION-STATUS", "Trạng thái không hợp lệ.", "Not a valid status.",
           "Chọn một trong các trạng thái được liệt kê.", "Choose one of the statuses listed."),
        _e("E-PETITION-TRANSITION", "Không chuyển ngược trạng thái được.", "The status cannot go backwards.",
           "Dùng --force nếu thật sự cần.", "Use --force if it really must."),
        _e("E-PETITION-FORWARD", "Chưa ghi cơ quan được chuyển.", "The agency it was forwarded to is missing.",
           "Ghi cơ quan bằng --forwarded-to «…».", "Name it with --forwarded-to “…”."),
        _e("E-PETITION-ANSWER", "Chưa ghi nội dung hoặc số văn bản trả lời.",
           "The answer's text or letter number is missing.",
           "Ghi --response hoặc --response-ref.", "Give --response or --response-ref."),
    )),
    Family("Công văn và thiết lập văn bản", "Letters and document settings", "department/reply_letter.py, "
           "feedback_letter.py, document_settings.py: `readiness petitions reply`, `feedback`, `settings set|reset|"
           "province`, the department window's letters and «Thiết lập văn bản» (docs/department-letters.md).", (
        _e("E-REPLY-NONE", "Không có kiến nghị nào đã chuyển hoặc đã trả lời để đưa vào công văn.",
           "No forwarded or answered petition to put in the letter.",
           "Ghi trả lời trước: readiness petitions update.", "Record the answers first: readiness petitions update."),
        _e("E-REPLY-PETITION", "Kiến nghị được chọn không có trong kỳ (hoặc không thuộc lần nộp hiện hành).",
           "A chosen petition is not in the period (or not of the current submission).",
           "Xem số kiến nghị bằng «readiness petitions list --period …».",
           "See the numbers with «readiness petitions list --period …»."),
        _e("E-REPLY-UNANSWERED", "Kiến nghị được chọn chưa có nội dung trả lời.", "A chosen petition has no answer yet.",
           "Ghi trả lời trước, ví dụ: readiness petitions update --ids N --status answered --response «…».",
           "Record the answer first, e.g. readiness petitions update --ids N --status answered --response “…”."),
        _e("E-FEEDBACK-MISSING", "Xã chưa gửi kết quả tự đánh giá kỳ này: chưa có gì để thông báo.",
           "The commune has not sent its self-assessment for the period: nothing to report yet.",
           "Gửi công văn đôn đốc thay cho thư này.", "Send a reminder instead of this letter."),
        _e("E-SETTING-KEY", "Không có thiết lập văn bản này.", "No such document setting.",
           "Xem các thiết lập bằng «readiness settings show».", "List the settings with «readiness settings show»."),
        _e("E-SETTING-VALUE", "Giá trị thiết lập không hợp lệ (trống, quá dài, ký tự điều khiển, mã tỉnh sai).",
           "An invalid setting (empty, too long, control characters, an unknown province code).",
           "Sửa giá trị theo thông báo; «readiness settings reset KHOÁ» trả về mặc định.",
           "Correct the value as the message says; «readiness settings reset KEY» restores the default."),
    )),
    Family("Nhu cầu đầu tư và đơn giá", "Investment needs and unit prices", "department/prices.py, cli_needs.py: "
           "`readiness needs`, `readiness prices show|set|reset|validate`, the department window's «Nhu cầu đầu tư» "
           "(docs/department-needs.md).", (
        _e("E-PRICE-FILE", "Không đọc được tệp đơn giá (không có, quá lớn, rỗng, không phải văn bản UTF-8).",
           "The price file cannot be read (missing, too large, empty, not UTF-8 text).",
           "Kiểm tra đường dẫn; dùng tệp đơn giá của phần mềm (resources/prices) làm mẫu.",
           "Check the path; use the program's price file (resources/prices) as a model."),
        _e("E-PRICE-YAML", "Tệp đơn giá không đúng cú pháp YAML.", "The price file is not valid YAML.",
           "Sửa dòng được nêu (thụt lề, dấu hai chấm, dấu ngoặc kép).",
           "Fix the line named (indentation, colons, quotes)."),
        _e("E-PRICE-FORMAT", "Tệp đơn giá thiếu mục bắt buộc (format, version, prices), có khóa lạ hoặc tiền tệ "
           "không phải VND.", "The price file lacks a required entry (format, version, prices), has an unknown key "
           "or a currency other than VND.", "Sửa tệp theo docs/department-needs.md.",
           "Fix the file as docs/department-needs.md shows."),
        _e("E-PRICE-FIELD", "Một đơn giá thiếu label, unit, price hoặc basis, hoặc có khóa lạ.",
           "A price lacks its label, unit, price or basis, or has an unknown key.",
           "Thêm mục còn thiếu cho đơn giá được nêu.", "Add what is missing to the price named."),
        _e("E-PRICE-ID", "Mã đơn giá không hợp lệ (chỉ chữ thường, số, dấu gạch dưới).",
           "Not a valid price id (lower-case letters, digits, underscores).",
           "Đổi mã theo mẫu, ví dụ pc, ram, vc_hardware.", "Rename it like pc, ram, vc_hardware."),
        _e("E-PRICE-VALUE", "Đơn giá không phải số đồng nguyên không âm, hoặc quá lớn.",
           "A price is not a whole, non-negative number of đồng, or is too large.",
           "Ghi số đồng, ví dụ 15000000 hoặc 15.000.000.", "Write the amount in đồng, e.g. 15000000."),
        _e("E-PRICE-SOURCE", "Nguồn đơn giá không phải suggested, quotation hoặc approved.",
           "A price's source is not suggested, quotation or approved.",
           "Ghi source: suggested (đề xuất), quotation (báo giá) hoặc approved (đã duyệt).",
           "Write source: suggested, quotation or approved."),
        _e("E-PRICE-DATE", "Ngày của đơn giá không hợp lệ.", "A price's date is not valid.",
           "Ghi ngày dạng YYYY-MM-DD trong tệp, DD/MM/YYYY khi sửa đơn giá.",
           "Write YYYY-MM-DD in the file, DD/MM/YYYY when changing a price."),
        _e("E-PRICE-MISSING", "Tệp đơn giá thiếu một đơn giá cần dùng để ước tính kinh phí.",
           "The price file lacks a price the estimate needs.",
           "Thêm các đơn giá được nêu (danh sách mã ở docs/department-needs.md).",
           "Add the prices named (the ids are listed in docs/department-needs.md)."),
        _e("E-PRICE-UNKNOWN", "Không có đơn giá mang mã này (hoặc Sở chưa sửa đơn giá này).",
           "No price with this id (or the department has not changed it).",
           "Xem các mã bằng «readiness prices show».", "List the ids with «readiness prices show»."),
        _e("E-PRICE-BASIS", "Sở sửa đơn giá mà không ghi căn cứ (hoặc căn cứ quá dài).",
           "A price changed by the department without its basis (or with one too long).",
           "Ghi căn cứ, ví dụ «Báo giá số 12 ngày 02/12/2025».",
           "Give the basis, e.g. «Quotation no. 12 of 02/12/2025»."),
        _e("W-PRICE-STORED", "Một đơn giá Sở đã lưu không đọc được; dùng đơn giá trong tệp.",
           "A price the department stored cannot be read; the file's price is used.",
           "Sửa lại đơn giá đó (readiness prices set) hoặc đặt lại (readiness prices reset).",
           "Set that price again (readiness prices set) or reset it (readiness prices reset)."),
        _e("W-PRICE-UNKNOWN", "Sở đã lưu một đơn giá không còn trong tệp đơn giá; không dùng.",
           "The department stored a price the price file no longer has; it is not used.",
           "Đặt lại bằng «readiness prices reset MÃ».", "Reset it with «readiness prices reset ID»."),
    )),
    Family("Lệnh của Sở", "Department commands", "department/ (status.py, scope.py, groups.py, cli_report.py, "
           "demo_export.py): `status`, `dashboard`, `report`, `group`, `demo`, the department window's filters and "
           "groups.", (
        _e("E-FILTER", "Bộ lọc không hợp lệ.", "Not a valid filter.",
           "Chọn một trong các giá trị được liệt kê.", "Choose one of the values listed."),
        _e("E-COMMUNE-AMBIGUOUS", "Nhiều đơn vị cùng tên này.", "Several units have this name.",
           "Ghi mã (5 chữ số), hoặc thêm loại và tỉnh, ví dụ «Xã Ba Đình (Thanh Hóa)».",
           "Write the code (5 digits), or add the kind and the province, e.g. «Xã Ba Đình (Thanh Hóa)»."),
        _e("E-GROUP-UNKNOWN", "Không có nhóm xã này.", "No such group of communes.",
           "Xem các nhóm bằng «readiness group list».", "List the groups with «readiness group list»."),
        _e("E-GROUP-EXISTS", "Đã có nhóm xã tên này.", "A group of this name exists.",
           "Chọn tên khác, hoặc sửa nhóm đó bằng «readiness group edit».",
           "Choose another name, or change that group with «readiness group edit»."),
        _e("E-GROUP-NAME", "Tên nhóm trống hoặc quá dài.", "The group's name is empty or too long.",
           "Ghi tên nhóm (tối đa 200 ký tự), ví dụ «Đ/c Nguyễn Tấn Liêm — 7 xã».",
           "Write the group's name (at most 200 characters), e.g. «Đ/c Nguyễn Tấn Liêm — 7 xã»."),
        _e("E-GROUP-EMPTY", "Nhóm xã chưa có đơn vị nào.", "The group has no commune.",
           "Ghi mã hoặc tên các xã, cách nhau bằng dấu phẩy.", "Write the communes' codes or names, separated by commas."),
        _e("E-SORT", "Không sắp xếp theo cột này được.", "Cannot sort by this column.",
           "Dùng name, code, score, level, critical hoặc mã một phần.",
           "Use name, code, score, level, critical or a section id."),
        _e("E-REPORT-OUTPUT", "Chưa chọn tệp nào để xuất.", "No output file chosen.",
           "Thêm --xlsx, --pdf hoặc --docx.", "Add --xlsx, --pdf or --docx."),
        _e("E-SCORING-STOPPED", "Đã dừng tổng hợp theo yêu cầu: chưa lưu điểm nào, chưa ghi tệp nào.",
           "Consolidation stopped as asked: no score kept, no file written.",
           "Bấm «Xuất» lại khi cần: số liệu được tổng hợp lại từ đầu.",
           "Press «Xuất» again when needed: the figures are consolidated again from the start."),
        _e("E-DEMO-COUNT", "Số tệp mẫu không hợp lệ.", "Not a valid number of demo files.",
           "Chọn số trong khoảng được nêu.", "Choose a number in the range given."),
        _e("E-DEMO-PROVINCE", "Không có đơn vị nào của tỉnh này trong danh mục.", "No unit of this province in the "
           "register.", "Dùng mã tỉnh trong danh mục (51: Quảng Ngãi) hoặc all.",
           "Use a province code of the register (51: Quảng Ngãi) or all."),
    )),
    Family("Kỳ báo cáo, đôn đốc và giấy xác nhận", "The reporting cycle: deadlines, reminders, receipts",
           "department/cycle.py, reminder.py, receipt.py, receipt_check.py, signing_identity.py, store/cycle.py: "
           "`readiness period set`, `remind`, `receipt`, `receipt check`, `settings signing`, the department window's "
           "«Đặt hạn nộp…», «Công văn đôn đốc…», «Giấy xác nhận…» and the commune's «Kiểm tra giấy xác nhận của Sở…» "
           "(docs/department-cycle.md).", (
        _e("E-PERIOD-DEADLINE", "Hạn nộp không hợp lệ (không phải ngày, hoặc trước ngày đầu kỳ).",
           "Not a valid deadline (not a date, or before the period's first day).",
           "Ghi ngày dạng dd/mm/yyyy, từ ngày đầu kỳ trở đi, ví dụ 05/01/2026 cho kỳ 12/2025.",
           "Write a dd/mm/yyyy date on or after the period's first day, e.g. 05/01/2026 for 12/2025."),
        _e("E-REMIND-NONE", "Không có xã nào cần đôn đốc: mọi xã đã gửi và được tiếp nhận.",
           "No commune to chase: every one has reported and been accepted.",
           "Không cần gửi công văn; xem lại bằng «readiness status --period …» nếu cần.",
           "No letter is needed; «readiness status --period …» shows who reported."),
        _e("E-REMIND-COMMUNE", "Mã xã không có trong phạm vi (tỉnh của Sở).",
           "A commune code is not in the scope (the department's province).",
           "Kiểm tra mã xã, hoặc dùng --province.", "Check the code, or use --province."),
        _e("E-REMIND-DEADLINE", "Hạn mới trước ngày của công văn.", "The new deadline is before the letter's date.",
           "Chọn hạn mới từ ngày của công văn trở đi.", "Choose a new deadline on or after the letter's date."),
        _e("E-RECEIPT-NONE", "Chưa có bản nào được nhập qua tệp và tiếp nhận để cấp giấy xác nhận.",
           "No submission imported from a file and accepted to write a receipt for.",
           "Nhập tệp của xã trước (readiness import), rồi cấp giấy.", "Import the communes' files first, then write "
           "the receipts."),
        _e("E-RECEIPT-REVISION", "Chọn lần gửi chỉ dùng được khi cấp giấy cho một xã.",
           "A revision can be chosen only for one commune's receipt.",
           "Thêm --commune MÃ, hoặc bỏ --revision.", "Add --commune CODE, or drop --revision."),
        _e("E-RECEIPT-FORMAT", "Tệp không phải giấy xác nhận của phần mềm (không có dữ liệu đính kèm đọc được).",
           "Not a receipt written by the program (no readable attached facts).",
           "Chọn đúng tệp PDF giấy xác nhận Sở gửi; nếu chắc chắn đúng, đề nghị Sở cấp lại.",
           "Choose the receipt PDF the department sent; if it is the right one, ask the department for it again."),
        _e("E-RECEIPT-FILE", "Không đọc được tệp đã gửi để đối chiếu.", "The file sent cannot be read to compare.",
           "Chọn đúng tệp .xlsx đã gửi Sở.", "Choose the .xlsx file that was sent."),
        _e("E-RECEIPT-TAMPERED", "Giấy xác nhận đã bị sửa sau khi Sở ký số.",
           "The receipt was changed after the department signed it.",
           "Không dùng giấy này; đề nghị Sở gửi lại giấy xác nhận.", "Do not rely on it; ask the department for the "
           "receipt again."),
        _e("E-RECEIPT-MISMATCH", "Tệp Sở đã nhận không phải tệp đã gửi (mã SHA-256 khác).",
           "The file the department received is not the file sent (another SHA-256).",
           "Liên hệ ngay Sở KHCN; gửi lại tệp đúng nếu cần.", "Contact the department at once; send the right file "
           "again if needed."),
        _e("E-RECEIPT-NO-RECORD", "Chưa có gì để đối chiếu: máy này chưa ghi nhận tệp nào đã xuất cho kỳ đó.",
           "Nothing to compare with: this computer has no record of a file exported for that period.",
           "Chọn tệp đã gửi (--file, hoặc ô «Tệp đã gửi»).", "Choose the file that was sent (--file, or «File sent»)."),
        _e("W-RECEIPT-SAME-DATA", "Khác tệp về byte nhưng cùng dữ liệu (cùng dấu niêm phong dữ liệu).",
           "Another file byte for byte, but the same data (the same data seal)."),
        _e("W-RECEIPT-UNSIGNED", "Giấy xác nhận không có chữ ký số của Sở.", "The receipt is not signed by the "
           "department."),
        _e("W-RECEIPT-UNTRUSTED", "Chữ ký số trên giấy xác nhận không dẫn tới chứng thư gốc tin cậy.",
           "The receipt's signature does not lead to a trusted root.",
           "Thêm chứng thư gốc của Sở: readiness trust add.", "Trust the department's root: readiness trust add."),
        _e("E-DEPT-SIGN-SETUP", "Thiết lập chữ ký số của Sở không dùng được (loại khoá sai, không tìm thấy tệp).",
           "The department's signing setup cannot be used (wrong key kind, file not found).",
           "readiness settings signing --pkcs12 TỆP.p12 (hoặc --pkcs11 THƯ_VIỆN); mật khẩu trong biến môi trường "
           "READINESS_DEPARTMENT_SIGNING_SECRET.",
           "readiness settings signing --pkcs12 FILE.p12 (or --pkcs11 LIB); the password in "
           "READINESS_DEPARTMENT_SIGNING_SECRET."),
    )),
    Family("Hộp thư công vụ", "Official mailbox", "department/mailbox.py, mail_settings.py, mail_transport.py, "
           "mail_reply.py, contacts.py, cli_mail.py: `readiness inbox setup|check|fetch|list|retry`, `readiness contacts`, "
           "`remind --send`, the department window's «Nhận từ hộp thư công vụ», «Thiết lập hộp thư công vụ», «Liên hệ "
           "các xã» (docs/mailbox.md).", (
        _e("E-MAIL-SETTINGS", "Thiết lập hộp thư công vụ chưa có hoặc không hợp lệ.",
           "The official mailbox is not set up, or a setting is not valid.",
           "readiness inbox setup --host MÁY_CHỦ --user TÀI_KHOẢN, hoặc «Thiết lập hộp thư công vụ…» trong cửa sổ của Sở.",
           "readiness inbox setup --host SERVER --user ACCOUNT, or «Thiết lập hộp thư công vụ…» in the department window."),
        _e("E-MAIL-CA", "Không đọc được tệp chứng chỉ CA của máy chủ thư.", "The mail server's CA file cannot be read.",
           "Kiểm tra đường dẫn tệp .pem bộ phận CNTT cấp, hoặc bỏ thiết lập để dùng chứng chỉ của hệ điều hành.",
           "Check the path of the .pem file from IT, or clear the setting to use the system's certificates."),
        _e("E-MAIL-PASSWORD", "Chưa có mật khẩu hộp thư công vụ.", "The mailbox password is not available.",
           "readiness inbox setup --password, hoặc đặt biến môi trường ghi trong thiết lập.",
           "readiness inbox setup --password, or set the environment variable named in the settings."),
        _e("E-MAIL-KEYRING", "Không đọc hoặc lưu được mật khẩu trong kho mật khẩu của hệ điều hành.",
           "The system's password store cannot be read or written.",
           "Trên máy không có kho mật khẩu: readiness inbox setup --password-env TÊN_BIẾN.",
           "Where there is no password store: readiness inbox setup --password-env NAME."),
        _e("E-MAIL-CONNECT", "Không kết nối được máy chủ thư.", "The mail server cannot be reached.",
           "Kiểm tra mạng, tên máy chủ và cổng; máy chủ có đang chạy không.",
           "Check the network, the server name and port, and that the server is running."),
        _e("E-MAIL-TLS", "Không xác thực được chứng chỉ TLS của máy chủ thư.", "The mail server's TLS certificate "
           "cannot be verified.", "Đặt tệp CA (--ca-file), kiểm tra tên máy chủ, ssl/starttls và cổng.",
           "Set the CA file (--ca-file); check the server name, ssl/starttls and the port."),
        _e("E-MAIL-LOGIN", "Máy chủ thư từ chối đăng nhập.", "The mail server refused the login.",
           "Kiểm tra tài khoản; lưu lại mật khẩu.", "Check the account; store the password again."),
        _e("E-MAIL-FOLDER", "Không mở được thư mục của hộp thư.", "The mailbox folder cannot be opened.",
           "Kiểm tra tên thư mục (mặc định INBOX).", "Check the folder name (default INBOX)."),
        _e("E-MAIL-SERVER", "Máy chủ thư trả lời lỗi giữa chừng.", "The mail server answered with an error.",
           "Chạy lại «readiness inbox fetch»: thư đã xử lý không bị xử lý lại.",
           "Run «readiness inbox fetch» again: messages already processed are not processed again."),
        _e("E-MAIL-NO-MESSAGE", "Không có thư số này trong danh sách thư đã nhận.", "No received message has this number.",
           "Xem số thư bằng «readiness inbox list».", "See the numbers with «readiness inbox list»."),
        _e("E-MAIL-REPLY-STATE", "Thư trả lời của thư này không cần gửi lại.", "This message's reply needs no new try.",
           "Chỉ gửi lại thư trả lời «cần gửi lại bằng tay» (readiness inbox list --to-resend).",
           "Only replies listed «to be sent by hand» are tried again (readiness inbox list --to-resend)."),
        _e("E-CONTACT-EMAIL", "Địa chỉ thư điện tử của liên hệ không hợp lệ.", "The contact's e-mail address is not valid.",
           "Dạng ten@xa.quangngai.gov.vn; nhiều địa chỉ cách nhau bằng dấu phẩy.",
           "Like name@commune.gov.vn; several addresses separated by commas."),
        _e("E-CONTACT-PHONE", "Số điện thoại của liên hệ không hợp lệ.", "The contact's phone number is not valid.",
           "Chỉ chữ số, dấu cách, + - . ( ).", "Digits, spaces and + - . ( ) only."),
    )),
    Family("Đo kiểm", "Probes", "probe/: `readiness probe network`, the window's «Đo tốc độ» (docs/probes.md).", (
        _e("E-PROBE-CONFIG", "Tệp cấu hình máy chủ đo tốc độ không dùng được.",
           "The speed-test configuration cannot be used.",
           "Sửa tệp network.yaml theo docs/probes.md, hoặc xin Sở KHCN tệp cấu hình đúng.",
           "Fix network.yaml as docs/probes.md shows, or ask the department for the right file."),
    )),
)

CATALOGUE: dict[str, Entry] = {entry.code: entry for family in FAMILIES for entry in family.entries}


def entry(code: str) -> Entry | None:
    """The catalogue's entry of ``code`` (``None`` for a code that is not declared)."""
    return CATALOGUE.get(code)


def summary_of(code: str, lang: str = "vi") -> str:
    """What ``code`` means ("" for a code that is not declared)."""
    found = CATALOGUE.get(code)
    return found.summary_in(lang) if found else ""


def hint_of(code: str, lang: str = "vi") -> str:
    """What to do about ``code`` (the catalogue's hint; "" when it has none)."""
    found = CATALOGUE.get(code)
    return found.hint_in(lang) if found else ""


def severity(code: str) -> str:
    return "warning" if code.startswith("W-") else "error"


# -- the base ---------------------------------------------------------------------------------------------


class ReadinessError(Exception):
    """An error of the program: a code of the catalogue, a message, where, and what to do.

    ``ReadinessError(code, message, message_en="", *, file=, sheet=, cell=, item=, row=, column=, hint=,
    hint_en=)``; a subclass may fix ``code`` as a class attribute.  ``message`` defaults to the catalogue's
    summary, ``message_en`` to ``message``, ``hint`` to the catalogue's.
    """

    code: str = INTERNAL

    def __init__(self, code: str | None = None, message: str = "", message_en: str = "", *,
                 file: Any = None, sheet: str | None = None, cell: str | None = None, item: str | None = None,
                 row: int | None = None, column: str | None = None, hint: str | None = None,
                 hint_en: str | None = None):
        self.code = code or type(self).code
        self.message = message or summary_of(self.code) or self.code
        self.message_en = message_en or self.message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.cell = cell
        self.item = item
        self.row = row
        self.column = column
        self._hint = hint
        self._hint_en = hint_en
        super().__init__(f"{self.code}: {self.located_message()}")

    @property
    def location(self) -> Location:
        return Location(self.file, self.sheet, self.cell, self.item, self.row, self.column)

    @property
    def hint(self) -> str:
        """What to do (Vietnamese): as given where it was raised, else the catalogue's."""
        return self.hint_in("vi")

    @property
    def hint_en(self) -> str:
        return self.hint_in("en")

    def hint_in(self, lang: str) -> str:
        given = getattr(self, "_hint_en" if lang == "en" else "_hint", None)
        return given if given is not None else hint_of(self.code, lang)

    @property
    def severity(self) -> str:
        return severity(self.code)

    def message_in(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message

    def located_message(self, lang: str = "vi") -> str:
        """``Tệp 'x.xlsx', sheet 'Máy tính', ô D7: <message>`` (the message alone when it has no place)."""
        return located(self.message_in(lang), self.location, lang)

    def to_dict(self) -> dict[str, Any]:
        return as_json(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (the import's workers): rebuild from the attributes, not from
        # ``args`` (which hold the formatted text, not the constructor's arguments).
        return _restore, (type(self), self.__dict__.copy(), self.args)


def _restore(cls: type[BaseException], state: dict[str, Any], args: tuple[Any, ...]) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def located(message: str, location: Location, lang: str = "vi") -> str:
    """``<where>: <message>``; a message that already begins with its place is left as it is."""
    where = location.describe(lang)
    if not where or message.startswith(where):
        return message
    return f"{where}: {message}"


# -- anything raised, as one of ours ----------------------------------------------------------------------


def log_file() -> str | None:
    """The file the log goes to (:func:`readiness.logs.configure_logging`), if a file handler is installed."""
    import os

    for handler in logging.getLogger().handlers:
        name = getattr(handler, "baseFilename", None)
        if name and name != os.devnull:  # a test runner's null file names nothing
            return str(name)
    return None


def from_exception(error: BaseException) -> ReadinessError:
    """``error`` itself when it is one of ours; otherwise a generic coded error: ``E-DB`` (the database),
    ``E-FILE`` (the operating system refused a file), ``E-INTERNAL`` (a bug; the message names the log file)."""
    if isinstance(error, ReadinessError):
        return error
    coded: ReadinessError
    if _is_database_error(error):
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
        coded = ReadinessError(DATABASE, f"Không đọc/ghi được cơ sở dữ liệu ({detail}).",
                               f"The database could not be read or written ({detail}).")  # the hint says what to do
    elif isinstance(error, OSError):
        detail = error.strerror or str(error)
        if error.filename:
            coded = ReadinessError(SYSTEM, f"Không đọc/ghi được tệp {error.filename}: {detail}.",
                                   f"Cannot read or write {error.filename}: {detail}.")
        else:
            coded = ReadinessError(SYSTEM, f"Máy tính báo lỗi: {detail}.", f"The computer reported: {detail}.")
    else:
        path = log_file()
        what = f"{type(error).__name__}: {error}"
        coded = ReadinessError(
            INTERNAL, f"Lỗi chương trình ({what})." + (f" Chi tiết đã được ghi vào tệp nhật ký {path}." if path else ""),
            f"A program error ({what})." + (f" Details were written to the log file {path}." if path else ""))
    coded.__cause__ = error
    return coded


def _is_database_error(error: BaseException) -> bool:
    if "sqlalchemy" not in sys.modules:  # an error of a library that was never imported cannot be raised
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(error, SQLAlchemyError)


# -- showing an error: the same way in the CLI, --json and the window ------------------------------------


def render_text(code: str, message: str, lang: str = "vi", *, hint_text: str | None = None,
                title: str | None = None) -> str:
    """``Lỗi (E-…): <message>`` and, when there is one, ``Cách xử lý: <hint>`` on the next line.

    ``message`` is already located; ``hint_text`` defaults to the catalogue's; ``title`` replaces «Lỗi».
    A hint the message already gives (a raise site that says what to do) is not said twice."""
    words = _words(lang)
    head = title or words["warning" if code.startswith("W-") else "error"]
    advice = hint_of(code, lang) if hint_text is None else hint_text
    text = f"{head} ({code}): {message}"
    return f"{text}\n{words['hint']}: {advice}" if advice and not said_in(advice, message) else text


def said_in(advice: str, message: str) -> bool:
    """Whether ``message`` gives ``advice`` already: the advice without its asides in parentheses and its
    final stop, found in the message (case aside).  «Đóng tệp (Excel, trình đọc PDF) rồi thử lại.» is said by
    «… đang mở trong chương trình khác. Đóng tệp rồi thử lại.»"""
    import re

    core = re.sub(r"\s*\([^()]*\)", "", advice).strip().rstrip(".").strip().casefold()
    return bool(core) and core in message.casefold()


def render(error: BaseException, lang: str = "vi", *, title: str | None = None) -> str:
    """How a person reads ``error``: code, where, message, what to do (any exception; see :func:`from_exception`)."""
    coded = from_exception(error)
    return render_text(coded.code, coded.located_message(lang), lang, hint_text=coded.hint_in(lang), title=title)


def as_json(error: BaseException) -> dict[str, Any]:
    """``{code, message, message_en, file, sheet, cell, item, row, column, hint, hint_en}`` (the ``--json`` form)."""
    coded = from_exception(error)
    return {"code": coded.code, "message": coded.message, "message_en": coded.message_en,
            **coded.location.to_dict(), "hint": coded.hint, "hint_en": coded.hint_en}


def print_failure(error: BaseException, *, json_output: bool = False, lang: str = "vi", title: str | None = None,
                  stream: TextIO | None = None) -> int:
    """What every command prints when it fails (``--json``: ``{"ok": false, "errors": [...]}`` on stdout,
    otherwise :func:`render` on stderr); an internal error is logged with its traceback first.  Returns the
    exit code, 1."""
    coded = from_exception(error)
    if coded.code == INTERNAL:
        logging.getLogger("readiness").error("unexpected error", exc_info=coded.__cause__ or coded)
    if json_output:
        _write(stream or sys.stdout, json.dumps({"ok": False, "errors": [as_json(coded)]}, ensure_ascii=False))
    else:
        _write(stream or sys.stderr, render(coded, lang, title=title))
    return EXIT_REJECTED


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:  # a console that cannot show Vietnamese: keep the code and the rest readable
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding) + "\n")
    stream.flush()


# -- the catalogue as a document --------------------------------------------------------------------------


def markdown() -> str:
    """``docs/errors.md``: every family and code of the catalogue."""
    lines = [
        "# Error and warning codes",
        "",
        "<!-- Generated from the catalogue in desktop/readiness/errors.py by",
        "     `python -m readiness.errors --markdown > docs/errors.md`; do not edit by hand (a test checks it). -->",
        "",
        "Every refusal the program reports has a stable code: `E-…` is an error (nothing was written), `W-…` a",
        "warning (the work was done, with a note). The command line prints",
        "`Lỗi (E-…): Tệp 'x.xlsx', sheet 'Máy tính', ô D7: <message>` and, on the next line,",
        "`Cách xử lý: <what to do>` unless the message says it already (exit code 1); with `--json` it prints",
        '`{"ok": false, "errors": [{"code", "message", "message_en", "file", "sheet", "cell", "item", "row",',
        '"column", "hint", "hint_en"}]}`; the window shows the same text. A failure that is not one of these',
        "becomes `E-DB`, `E-FILE` or `E-INTERNAL` (which names the log file).",
        "",
        f"{len(CATALOGUE)} codes in {len(FAMILIES)} families:",
        "",
    ]
    lines += [f"- [{family.title} — {family.title_en}](#{_anchor(family)}) ({len(family.entries)})"
              for family in FAMILIES]
    for family in FAMILIES:
        lines += ["", f"## {family.title} — {family.title_en}", "", f"Where: {family.where}", "",
                  "| code | ý nghĩa / meaning | cách xử lý / what to do |", "|---|---|---|"]
        for item in family.entries:
            what = f"{_cell(item.summary)}<br>*{_cell(item.summary_en)}*"
            todo = f"{_cell(item.hint)}<br>*{_cell(item.hint_en)}*" if item.hint else "—"
            lines.append(f"| `{item.code}` | {what} | {todo} |")
    return "\n".join(lines) + "\n"


def _anchor(family: Family) -> str:
    import re
    import unicodedata

    text = f"{family.title} — {family.title_en}".lower()
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--markdown"]:
        print("usage: python -m readiness.errors --markdown > docs/errors.md", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper unless replaced
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
