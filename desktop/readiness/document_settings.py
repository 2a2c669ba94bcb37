"""Who issues the department's documents: the workspace's document settings (issue 15 §6).

The letterhead of every report and letter («UBND TỈNH … / SỞ KHOA HỌC VÀ CÔNG NGHỆ»), the place
in the date line, the code in «Số: …/SKHCN-BCVT&CĐS», the signer block, the default «Nơi nhận»
lines, the guidance letter communes are pointed to, and the department a commune's own report is
addressed to: all come from here, never from constants in report code.

Stored in the database's ``meta`` table under ``documents.<key>`` through the store
(:meth:`Store.settings`, :meth:`Store.save_settings`: one transaction); a key never saved takes
the default of :mod:`readiness.document_defaults` (Quảng Ngãi).  The department edits them in its
window («Tệp › Thiết lập văn bản…») or with ``readiness settings show|set|reset|province``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from .document_defaults import QUANG_NGAI
from .errors import ReadinessError

if TYPE_CHECKING:
    from .register import Commune
    from .store.db import Store
    from .store.queries import AssessmentReads

PREFIX = "documents."
MAX_TEXT = 300
MAX_LINES = 12


@dataclass(frozen=True)
class Field:
    """One setting: its key, how the window and the CLI name it, and what it holds."""

    key: str
    label: str
    label_en: str
    example: str
    lines: bool = False  # several lines (signer title, «Nơi nhận»)
    required: bool = True
    help: str = ""  # where it shows in the documents


FIELDS: tuple[Field, ...] = (
    Field("home_province", "Tỉnh của Sở", "Province of the department", "51",
          help="mã tỉnh; phạm vi mặc định của các lệnh và màn hình của Sở"),
    Field("parent_body", "Cơ quan chủ quản", "Parent body", "UBND TỈNH …", help="dòng trên của tiêu đề văn bản"),
    Field("issuer", "Cơ quan ban hành", "Issuing body", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
          help="dòng dưới của tiêu đề, in đậm"),
    Field("department_name", "Tên Sở trong câu văn", "Department in sentences", "Sở Khoa học và Công nghệ"),
    Field("department_full_name", "Tên đầy đủ của Sở", "Department's full name", "Sở Khoa học và Công nghệ tỉnh …",
          help="nơi các xã gửi báo cáo («Kính gửi» trong báo cáo của xã)"),
    Field("short_name", "Tên viết tắt", "Short name", "Sở KHCN"),
    Field("issuer_code", "Ký hiệu cơ quan", "Issuer's code", "SKHCN", help="trong số văn bản: …/BC-SKHCN"),
    Field("unit_code", "Ký hiệu đơn vị soạn thảo", "Drafting unit's code", "BCVT&CĐS", required=False,
          help="trong số công văn: …/SKHCN-BCVT&CĐS"),
    Field("place", "Địa danh", "Place name", "tên tỉnh, thành phố", help="dòng ngày tháng: «<địa danh>, ngày … tháng … năm …»"),
    Field("province_phrase", "Tên tỉnh trong câu văn", "Province in sentences", "tỉnh …"),
    Field("parent_short", "Tên ngắn của cơ quan chủ quản", "Parent body, short", "UBND tỉnh"),
    Field("communes_phrase", "Cách gọi các đơn vị cấp xã", "The communes, collectively", "các xã, phường, đặc khu"),
    Field("signer_title", "Chức vụ người ký", "Signer's title", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", lines=True,
          help="mỗi dòng một dòng của khối chữ ký"),
    Field("signer_name", "Họ tên người ký", "Signer's name", "Nguyễn Văn A", required=False),
    Field("guidance_letter", "Văn bản hướng dẫn hạ tầng CNTT", "Guidance letter", "Công văn số …/SKHCN-BCVT&CĐS ngày …",
          required=False, help="văn bản các xã cần thực hiện, dẫn trong công văn trả lời và thông báo kết quả"),
    Field("letter_recipients", "«Nơi nhận» cuối công văn", "«Nơi nhận» of letters", "Lãnh đạo Sở; / Lưu: VT, …",
          lines=True, help="mỗi dòng một nơi, sau «Như trên»"),
    Field("report_recipients", "«Nơi nhận» của báo cáo", "«Nơi nhận» of reports", "UBND tỉnh (b/c); / …",
          lines=True, help="mỗi dòng một nơi"),
)
KEYS = tuple(field.key for field in FIELDS)
_BY_KEY = {field.key: field for field in FIELDS}


class SettingsError(ReadinessError, ValueError):
    """A setting refused: ``SettingsError(code, message)``, the message in Vietnamese naming the setting."""


@dataclass(frozen=True)
class DocumentSettings:
    home_province: str
    parent_body: str
    issuer: str
    department_name: str
    department_full_name: str
    short_name: str
    issuer_code: str
    unit_code: str
    place: str
    province_phrase: str
    parent_short: str
    communes_phrase: str
    signer_title: tuple[str, ...]
    signer_name: str
    guidance_letter: str
    letter_recipients: tuple[str, ...]
    report_recipients: tuple[str, ...]

    # -- derived texts ------------------------------------------------------------------------
    @property
    def letter_code(self) -> str:
        """What follows the number of a letter (Công văn): ``SKHCN-BCVT&CĐS`` (ND30: issuer-unit)."""
        return f"{self.issuer_code}-{self.unit_code}" if self.unit_code else self.issuer_code

    def code_of(self, kind: str) -> str:
        """What follows the number of a document of another kind: ``BC-SKHCN`` for a report (``BC``)."""
        return f"{kind}-{self.issuer_code}"

    @property
    def report_code(self) -> str:
        return self.code_of("BC")

    @property
    def communes_body(self) -> str:
        """``UBND các xã, phường, đặc khu``."""
        return f"UBND {self.communes_phrase}"

    def department_for(self, commune: Commune | None) -> str:
        """The department a commune's report is addressed to: this one for the home province's
        communes; for a commune of another province, that province's Sở KHCN (never ours)."""
        if commune is None or commune.province_code == self.home_province:
            return self.department_full_name
        return f"Sở Khoa học và Công nghệ {province_phrase(commune.province_name)}"

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for field in FIELDS:
            value = getattr(self, field.key)
            out[field.key] = list(value) if isinstance(value, tuple) else value
        out["letter_code"] = self.letter_code
        out["report_code"] = self.report_code
        return out

    def text_of(self, key: str) -> str:
        """The setting as stored (lines joined by a newline)."""
        value = getattr(self, key)
        return "\n".join(value) if isinstance(value, tuple) else str(value)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (part.strip() for part in text.split("\n")) if line)


def from_texts(values: Mapping[str, str]) -> DocumentSettings:
    """Settings from stored texts (every key of :data:`FIELDS` present)."""
    kwargs: dict[str, object] = {}
    for field in fields(DocumentSettings):
        text = values[field.name]
        kwargs[field.name] = _lines(text) if _BY_KEY[field.name].lines else text
    return DocumentSettings(**kwargs)  # type: ignore[arg-type]


def default_settings() -> DocumentSettings:
    """The settings of a workspace that saved none (Quảng Ngãi's)."""
    return from_texts(QUANG_NGAI)


def load_settings(store: AssessmentReads | None) -> DocumentSettings:
    """The workspace's settings: what was saved, over the defaults (no store: the defaults)."""
    if store is None:
        return default_settings()
    stored = store.settings(PREFIX)
    values = dict(QUANG_NGAI)
    for key, value in stored.items():
        name = key[len(PREFIX):]
        if name in _BY_KEY:
            values[name] = value
    return from_texts(values)


def check_value(key: str, value: str, *, provinces: Iterable[str] = ()) -> str:
    """A setting's text as it will be stored (NFC, trimmed, one line or lines), or SettingsError."""
    from .text import clean, nfc

    field = _BY_KEY.get(key)
    if field is None:
        raise SettingsError("E-SETTING-KEY", f"Không có thiết lập «{key}». Các thiết lập: {', '.join(KEYS)}.")
    text = nfc(value or "")
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in text) or "\x7f" in text:
        raise SettingsError("E-SETTING-VALUE", f"«{field.label}» có ký tự điều khiển không hợp lệ.")
    if field.lines:
        lines = [clean(line) for line in text.replace("\r", "\n").split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LINES:
            raise SettingsError("E-SETTING-VALUE", f"«{field.label}» có {len(lines)} dòng, tối đa {MAX_LINES}.")
        if any(len(line) > MAX_TEXT for line in lines):
            raise SettingsError("E-SETTING-VALUE", f"«{field.label}» có dòng dài quá {MAX_TEXT} ký tự.")
        result = "\n".join(lines)
    else:
        result = clean(text.replace("\n", " "))
        if len(result) > MAX_TEXT:
            raise SettingsError("E-SETTING-VALUE", f"«{field.label}» dài {len(result)} ký tự, tối đa {MAX_TEXT}.")
    if field.required and not result:
        raise SettingsError("E-SETTING-VALUE", f"«{field.label}» không được để trống (ví dụ: {field.example}).")
    if key == "home_province":
        known = set(provinces)
        if known and result not in known:
            raise SettingsError("E-SETTING-VALUE", f"Mã tỉnh «{result}» không có trong danh mục (ví dụ 51, 01, 79).")
    return result


def save_settings(store: Store, changes: Mapping[str, str | None]) -> DocumentSettings:
    """Check every change, then store them together (one transaction; ``None``: back to the default).

    Raises :class:`SettingsError` naming the first setting refused; then nothing is stored."""
    provinces = {c.province_code for c in store.all_communes()}
    checked: dict[str, str | None] = {}
    for key, value in changes.items():
        if key not in _BY_KEY:
            check_value(key, "")  # names the unknown key
        checked[PREFIX + key] = None if value is None else check_value(key, value, provinces=provinces)
    store.save_settings(checked)
    return load_settings(store)


def province_phrase(province_name: str) -> str:
    """``Tỉnh Quảng Ngãi`` -> ``tỉnh Quảng Ngãi``; ``Thành phố Hà Nội`` -> ``thành phố Hà Nội``."""
    return province_name[:1].lower() + province_name[1:] if province_name else province_name


def bare_province(province_name: str) -> str:
    """``Tỉnh Quảng Ngãi`` -> ``Quảng Ngãi`` (the place name of a date line)."""
    for prefix in ("Tỉnh ", "Thành phố "):
        if province_name.startswith(prefix):
            bare = province_name[len(prefix):]
            return province_name if bare == "Hồ Chí Minh" else bare
    return province_name


def settings_for_province(code: str, communes: Iterable[Commune], base: DocumentSettings | None = None
                          ) -> DocumentSettings:
    """Settings derived from the register for the department of province ``code`` (names, place,
    «UBND các xã, phường[, đặc khu]»); the signer and the guidance letter are left blank for them to fill."""
    members = [c for c in communes if c.province_code == code]
    if not members:
        raise SettingsError("E-SETTING-VALUE", f"Mã tỉnh «{code}» không có trong danh mục (ví dụ 51, 01, 79).")
    name = members[0].province_name
    phrase = province_phrase(name)
    city = name.startswith("Thành phố")
    kinds = {c.kind for c in members}
    collective = ", ".join(kind for kind, plural in (("xã", "Xã"), ("phường", "Phường"), ("đặc khu", "Đặc khu"))
                           if plural in kinds)
    parent_short = "UBND thành phố" if city else "UBND tỉnh"
    base = base or default_settings()
    return replace(
        base, home_province=code, parent_body=f"UBND {name.upper()}", department_full_name=f"Sở Khoa học và Công nghệ {phrase}",
        place=bare_province(name), province_phrase=phrase, parent_short=parent_short,
        communes_phrase=f"các {collective}", signer_name="", guidance_letter="",
        report_recipients=(f"{parent_short} (b/c);", f"Văn phòng {parent_short};", "Sở Nội vụ, Sở Tài chính;",
                           f"UBND các {collective};", "Lãnh đạo Sở;", f"Lưu: VT, {base.unit_code or 'VP'}."),
    )


def save_province(store: Store, code: str) -> DocumentSettings:
    """Store the settings derived for province ``code`` (every key, one transaction)."""
    derived = settings_for_province(code, store.all_communes(), load_settings(store))
    return save_settings(store, {key: derived.text_of(key) for key in KEYS})


__all__ = ["FIELDS", "KEYS", "DocumentSettings", "Field", "SettingsError", "bare_province", "check_value",
           "default_settings", "load_settings", "province_phrase", "save_province", "save_settings",
           "settings_for_province"]
