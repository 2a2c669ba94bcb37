"""File and sheet names: ASCII slugs, names safe on Windows, paths that stay in their folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..text import fold
from .errors import ExchangeError

MAX_FILENAME = 120  # characters, extension included (well under Windows' 255 and MAX_PATH worries)
MAX_SLUG = 60
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
             "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET = 31


def slug(text: str, max_length: int = MAX_SLUG) -> str:
    """ASCII, lower case, words joined by '-': "Xã Đăk Hà" -> "xa-dak-ha"."""
    folded = fold(text or "")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rstrip("-")
    return words


def safe_filename(name: str, *, default: str = "tep") -> str:
    """A file name (not a path) that every common file system accepts.

    Path separators and characters Windows refuses become '_', trailing dots and spaces go,
    reserved device names (CON, NUL, COM1, ...) get a '_' prefix, the length is capped (the
    extension kept).  "." and ".." cannot come out.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = _UNSAFE_CHARS.sub("_", text).strip().rstrip(". ")
    text = text.lstrip(" ")
    if not text or set(text) <= {".", "_"}:
        text = default
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = text, ""
    base = stem.split(".")[0]
    if base.upper().rstrip(" ") in _RESERVED:
        stem = "_" + stem
    suffix = f".{ext}" if ext else ""
    room = MAX_FILENAME - len(suffix)
    if len(stem) > room:
        stem = stem[:room].rstrip(". ")
    return stem + suffix


def safe_join(folder: str | Path, name: str) -> Path:
    """``folder / name`` after checking that the result stays in ``folder``.

    ``name`` must be a plain file name ("../x.xlsx", "/etc/x", "C:\\x" are refused with
    E-EXPORT-PATH); it is made safe with :func:`safe_filename` first.
    """
    if not name or name in (".", "..") or "/" in name or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise ExchangeError("E-EXPORT-PATH", f"Tên tệp «{name}» không hợp lệ: chỉ ghi tên tệp, không ghi đường dẫn.",
                            message_en=f"'{name}' is not a plain file name.")
    cleaned = safe_filename(name)
    root = Path(folder).resolve()
    target = (root / cleaned).resolve()
    if target.parent != root:
        raise ExchangeError("E-EXPORT-PATH", f"Tên tệp «{name}» ra ngoài thư mục {root}.",
                            message_en=f"'{name}' leaves the folder {root}.")
    return target


def submission_stem(commune_code: str, period: str, commune_name: str) -> str:
    """``23500_2025-11_xa-dak-ha``."""
    code = re.sub(r"[^0-9A-Za-z]", "", commune_code or "") or "xa"
    period_part = re.sub(r"[^0-9-]", "", period or "") or "ky"
    name = slug(commune_name)
    return "_".join(part for part in (code, period_part, name) if part)


def submission_filename(commune_code: str, period: str, commune_name: str, ext: str = "xlsx") -> str:
    return safe_filename(f"{submission_stem(commune_code, period, commune_name)}.{ext}")


def template_filename(checklist_id: str, version: int, commune_code: str | None = None,
                      commune_name: str | None = None, period: str | None = None) -> str:
    parts = ["mau-tu-danh-gia", f"{slug(checklist_id, 40)}-v{version}"]
    if commune_code:
        parts.append(submission_stem(commune_code, period or "", commune_name or "").replace("__", "_"))
    return safe_filename("_".join(parts) + ".xlsx")


def field_checklist_filename(checklist_id: str, version: int, commune_code: str | None = None,
                             commune_name: str | None = None) -> str:
    parts = ["phieu-khao-sat", f"{slug(checklist_id, 40)}-v{version}"]
    if commune_code:
        parts.append("_".join(p for p in (re.sub(r"[^0-9A-Za-z]", "", commune_code), slug(commune_name or "")) if p))
    return safe_filename("_".join(parts) + ".pdf")


def sheet_title(text: str, taken: set[str], *, max_length: int = MAX_SHEET, shorter: str | None = None) -> str:
    """A legal, unique worksheet name: ≤ 31 characters, none of []:*?/\\, not quoted, not "History".

    A name too long is shortened where a phrase ends, never in the middle of one (:func:`short_name`);
    ``shorter`` is a name to use when ``text`` is too long and has no phrase to stop at (a table that
    is the only one of its section: its section's title).
    ``taken`` holds the case-folded names already used and is updated.
    """
    name = _clean_sheet(text)
    if len(name) > max_length and shorter and not _phrase_ends(name, max_length) \
            and len(_clean_sheet(shorter)) <= max_length:
        name = _clean_sheet(shorter)
    name = short_name(name, max_length)
    candidate, counter = name, 2
    while candidate.casefold() in taken:
        tail = f" ({counter})"
        candidate = short_name(name, max_length - len(tail)) + tail
        counter += 1
    taken.add(candidate.casefold())
    return candidate


def _clean_sheet(text: str) -> str:
    name = _SHEET_BAD.sub("-", unicodedata.normalize("NFC", text or "")).strip().strip("'").strip()
    name = re.sub(r"\s+", " ", name) or "Sheet"
    return "History-" if name.casefold() == "history" else name


# Where a Vietnamese name can stop and still say something whole: before a parenthesis, a comma or one
# of these joining words («Hệ thống dùng chung | và tài khoản», «Chứng thư số cá nhân | của cán bộ»).
_PHRASE_END = re.compile(r"\s*\(|,\s|\s(?:và|của|cho|tại|trên|trong|theo|hoặc|với|để|đối với)\s")


def short_name(text: str, length: int = MAX_SHEET) -> str:
    """``text`` if it fits; else its longest beginning that ends where a phrase ends and fits; else
    its longest beginning that ends between two words."""
    if len(text) <= length:
        return text
    candidates = _phrase_ends(text, length)
    if candidates:
        return max(candidates, key=len)
    return _cut(text, length)


def _phrase_ends(text: str, length: int) -> list[str]:
    """The beginnings of ``text`` that end where a phrase ends, fit in ``length`` and say more than a number."""
    ends = [match.start() for match in _PHRASE_END.finditer(text) if 0 < match.start() <= length]
    candidates = [text[:end].rstrip(" ,.-'") for end in ends]
    return [c for c in candidates if len(c.split()) >= 2 and len(c) <= length]


def _cut(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut[length // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" .-'")
