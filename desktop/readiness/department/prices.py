"""Unit prices of the investment needs: a versioned data file, and the department's own prices over it.

The file (``resources/prices/v<N>.yaml``, the newest; ``READINESS_PRICES`` names another) holds one
entry per priced item: Vietnamese and English label, unit, price in đồng (a whole number), ``source``
(``suggested`` for the software team's proposals, ``quotation``, ``approved``), the ``basis`` of the
figure and its ``date``.  It is validated when loaded: every problem has a code, the file, the line
and the price (:class:`PriceProblem`), all reported together (:class:`PricesInvalid`).

The department changes a price without a release: :func:`set_price` stores its figure, basis and date
in the workspace (the ``meta`` table, key ``prices.<id>``, through :meth:`Store.save_settings`: one
transaction, shared by everyone using the department's database); :func:`load_prices` lays those over
the file (``source`` then ``department``); :func:`reset_prices` goes back to the file's.  The window
(«Nhu cầu đầu tư» › «Sửa đơn giá…») and ``readiness prices show|set|reset|validate`` call these.

Amounts are Vietnamese đồng: :func:`format_vnd` writes ``1.234.000 đ``; :func:`parse_amount` reads
``15000000``, ``15.000.000`` or ``15 000 000 đ``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReadinessError

if TYPE_CHECKING:
    from ..store.db import Store

PREFIX = "prices."
SOURCES: dict[str, tuple[str, str]] = {
    "suggested": ("Đề xuất", "Suggested"),
    "quotation": ("Theo báo giá", "Quotation"),
    "approved": ("Theo dự toán được duyệt", "Approved budget"),
    "department": ("Sở điều chỉnh", "Set by the department"),
}
# The priced items the investment needs use (readiness.department.needs): each must be in the file.
PRICE_IDS = ("pc", "ram", "ssd", "windows", "win11_upgrade", "printer", "scanner", "certificate", "vc_hardware",
             "backup_line", "tslcd", "ups")
MAX_AMOUNT = 100_000_000_000  # 100 tỷ đồng: a unit price above this is a typing slip
MAX_TEXT = 500
MAX_FILE_BYTES = 256 * 1024
_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_VERSION_FILE = re.compile(r"^v([0-9]{1,4})\.yaml$")


# -- problems ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceProblem:
    """One problem of a price file or of a price the department typed."""

    code: str
    message: str
    file: str = ""
    line: int | None = None
    price: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.price:
            where += f" [{self.price}]"
        return f"{where}: {self.code}: {self.message}" if where else f"{self.code}: {self.message}"

    def located(self) -> str:
        """«Tệp 'v1.yaml', dòng 12, đơn giá «pc»: …» (what a person reads, without the code)."""
        parts = []
        if self.file:
            parts.append(f"Tệp '{Path(self.file).name}'")
        if self.line:
            parts.append(f"dòng {self.line}")
        if self.price:
            parts.append(f"đơn giá «{self.price}»")
        if not parts:
            return self.message
        where = ", ".join(parts)
        return f"{where[:1].upper()}{where[1:]}: {self.message[:1].lower()}{self.message[1:]}"


class PricesInvalid(ReadinessError):
    """The price file (or a price typed) is refused: every problem (``problems``), the first one's code."""

    code = "E-PRICE-FORMAT"

    def __init__(self, problems: list[PriceProblem]):
        self.problems = problems
        super().__init__(problems[0].code if problems else None, " ".join(p.located() for p in problems))

    def __str__(self) -> str:
        return self.message

    def located_message(self, lang: str = "vi") -> str:
        return self.message  # each problem names its file, line and price


# -- the prices -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    id: str
    label: str
    label_en: str
    unit: str
    amount: int  # đồng
    source: str
    basis: str
    date: dt.date
    file_amount: int | None = None  # the file's figure when the department changed it

    @property
    def suggested(self) -> bool:
        return self.source == "suggested"

    @property
    def overridden(self) -> bool:
        return self.file_amount is not None

    def source_label(self, lang: str = "vi") -> str:
        pair = SOURCES.get(self.source, (self.source, self.source))
        return pair[0] if lang == "vi" else pair[1]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "label_en": self.label_en, "unit": self.unit,
                "price": self.amount, "price_text": format_vnd(self.amount), "source": self.source,
                "source_label": self.source_label(), "basis": self.basis, "date": self.date.isoformat(),
                "file_price": self.file_amount}


@dataclass
class PriceList:
    version: int
    title: str
    date: dt.date
    currency: str
    prices: dict[str, Price]
    path: str = ""
    warnings: list[PriceProblem] = field(default_factory=list)  # department prices stored but unreadable

    def __getitem__(self, price_id: str) -> Price:
        return self.prices[price_id]

    def get(self, price_id: str) -> Price | None:
        return self.prices.get(price_id)

    @property
    def overridden(self) -> list[Price]:
        return [p for p in self.prices.values() if p.overridden]

    @property
    def all_suggested(self) -> bool:
        return all(p.suggested for p in self.prices.values())

    def describe(self) -> str:
        """«Đơn giá phiên bản 1 (01/12/2025); 2 đơn giá do Sở điều chỉnh» for a document's note."""
        text = f"Đơn giá tham khảo phiên bản {self.version} ({self.date.strftime('%d/%m/%Y')})"
        changed = len(self.overridden)
        if changed:
            text += f"; {changed} đơn giá do Sở điều chỉnh"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "title": self.title, "date": self.date.isoformat(), "currency": self.currency,
                "path": self.path, "prices": [p.to_dict() for p in self.prices.values()],
                "warnings": [str(w) for w in self.warnings]}


# -- money ------------------------------------------------------------------------------------------------


def format_vnd(amount: int | float, *, unit: bool = True) -> str:
    """``1234000`` -> ``1.234.000 đ`` (Vietnamese grouping; ``unit=False`` leaves out «đ»)."""
    value = int(round(amount))
    text = f"{abs(value):,}".replace(",", ".")
    if value < 0:
        text = "-" + text
    return f"{text} đ" if unit else text


def parse_amount(text: str | int) -> int:
    """A price typed by a person: ``15000000``, ``15.000.000``, ``15 000 000 đ``; raises ValueError (Vietnamese)."""
    if isinstance(text, bool):
        raise ValueError("Đơn giá phải là số tiền (đồng).")
    if isinstance(text, int):
        value = text
    else:
        cleaned = unicodedata.normalize("NFC", str(text)).strip()
        cleaned = re.sub(r"(?i)\s*(đồng|đ|vnđ|vnd)\s*$", "", cleaned).strip()
        if not re.fullmatch(r"[0-9]{1,3}([. \u00a0]?[0-9]{3})*|[0-9]+", cleaned):
            raise ValueError(f"«{text}» không phải số tiền; ghi số đồng, ví dụ 15000000 hoặc 15.000.000.")
        value = int(re.sub(r"[. \u00a0]", "", cleaned))
    if value < 0:
        raise ValueError("Đơn giá không được âm.")
    if value > MAX_AMOUNT:
        raise ValueError(f"Đơn giá {format_vnd(value)} quá lớn (tối đa {format_vnd(MAX_AMOUNT)}); kiểm tra lại số chữ số 0.")
    return value


def _clean_text(text: object) -> str:
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


# -- the file ---------------------------------------------------------------------------------------------


def prices_dir() -> Path:
    from ..paths import resources_dir

    return resources_dir() / "prices"


def default_price_path() -> Path:
    """``READINESS_PRICES``, else the newest ``resources/prices/v<N>.yaml``."""
    override = os.environ.get("READINESS_PRICES", "").strip()
    if override:
        return Path(override)
    found = []
    folder = prices_dir()
    for path in folder.glob("v*.yaml") if folder.is_dir() else ():
        match = _VERSION_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    if not found:
        raise PricesInvalid([PriceProblem("E-PRICE-FILE", "Không có tệp đơn giá trong phần mềm.", str(folder))])
    return max(found)[1]


def load_price_file(path: str | Path | None = None) -> PriceList:
    """Read and check a price file; raises :class:`PricesInvalid` naming every problem."""
    path = Path(path) if path is not None else default_price_path()
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PricesInvalid([PriceProblem("E-PRICE-FILE", f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 1024} KB).", name)])
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise PricesInvalid([PriceProblem("E-PRICE-FILE", f"Không đọc được tệp: {error.strerror}.", name)]) from None
    except UnicodeDecodeError:
        raise PricesInvalid([PriceProblem("E-PRICE-FILE", "Tệp không phải văn bản UTF-8.", name)]) from None
    return load_price_text(text, name)


def load_price_text(text: str, name: str = "<text>") -> PriceList:
    data, lines = _read_yaml(text, name)
    problems: list[PriceProblem] = []

    def problem(code: str, message: str, path: tuple, price: str | None = None) -> None:
        line = None
        while path and line is None:
            line = lines.get(path)
            path = path[:-1]
        problems.append(PriceProblem(code, message, name, line if line is not None else lines.get(()), price))

    if not isinstance(data, dict):
        raise PricesInvalid([PriceProblem("E-PRICE-FORMAT", "Tệp đơn giá phải là một bảng «khóa: giá trị».", name, 1)])
    for key in sorted(set(data) - {"format", "version", "currency", "date", "title", "prices"}):
        problem("E-PRICE-FORMAT", f"Khóa «{key}» không có trong định dạng tệp đơn giá.", (key,))
    if data.get("format") != 1:
        problem("E-PRICE-FORMAT", "Thiếu «format: 1» (định dạng tệp đơn giá).", ("format",))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problem("E-PRICE-FORMAT", "«version» phải là số nguyên từ 1.", ("version",))
        version = 0
    if data.get("currency", "VND") != "VND":
        problem("E-PRICE-FORMAT", "«currency» phải là VND: đơn giá tính bằng đồng.", ("currency",))
    file_date = _date(data.get("date"))
    if file_date is None:
        problem("E-PRICE-DATE", "«date» (ngày của bảng đơn giá) phải là ngày dạng YYYY-MM-DD.", ("date",))
    title = data.get("title")
    title_vi = title.get("vi") if isinstance(title, dict) else title
    if not isinstance(title_vi, str) or not title_vi.strip():
        problem("E-PRICE-FIELD", "Thiếu «title» (tên bảng đơn giá, tiếng Việt).", ("title",))
        title_vi = ""
    entries = data.get("prices")
    prices: dict[str, Price] = {}
    if not isinstance(entries, dict) or not entries:
        problem("E-PRICE-FORMAT", "Thiếu «prices»: mỗi đơn giá một mục «mã: {label, unit, price, source, basis, date}».",
                ("prices",))
        entries = {}
    for price_id, entry in entries.items():
        where = ("prices", price_id)
        if not _ID.match(str(price_id)):
            problem("E-PRICE-ID", f"Mã đơn giá «{price_id}» không hợp lệ: chữ thường không dấu, số và «_».", where)
            continue
        if not isinstance(entry, dict):
            problem("E-PRICE-FIELD", "Mỗi đơn giá là một bảng «label, unit, price, source, basis, date».", where, price_id)
            continue
        for key in sorted(set(entry) - {"label", "unit", "price", "source", "basis", "date"}):
            problem("E-PRICE-FIELD", f"Khóa «{key}» không có trong một đơn giá.", (*where, key), price_id)
        label = entry.get("label")
        label_vi = label.get("vi") if isinstance(label, dict) else label
        label_en = (label.get("en") if isinstance(label, dict) else None) or label_vi
        if not isinstance(label_vi, str) or not label_vi.strip():
            problem("E-PRICE-FIELD", "Thiếu «label» (tên mặt hàng, tiếng Việt).", (*where, "label"), price_id)
            continue
        unit = entry.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            problem("E-PRICE-FIELD", "Thiếu «unit» (đơn vị tính, ví dụ «máy»).", (*where, "unit"), price_id)
            continue
        raw = entry.get("price")
        if raw is None:
            problem("E-PRICE-FIELD", "Thiếu «price» (đơn giá, đồng).", (*where, "price"), price_id)
            continue
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if not isinstance(raw, int) or isinstance(raw, bool):
            problem("E-PRICE-VALUE", f"«price» phải là số đồng nguyên (ví dụ 15000000), không phải «{raw}».",
                    (*where, "price"), price_id)
            continue
        try:
            amount = parse_amount(raw)
        except ValueError as error:
            problem("E-PRICE-VALUE", str(error), (*where, "price"), price_id)
            continue
        source = entry.get("source")
        if source not in SOURCES or source == "department":
            allowed = ", ".join(s for s in SOURCES if s != "department")
            problem("E-PRICE-SOURCE", f"«source» phải là một trong: {allowed} (không phải «{source}»).",
                    (*where, "source"), price_id)
            continue
        basis = entry.get("basis")
        if not isinstance(basis, str) or not basis.strip():
            problem("E-PRICE-FIELD", "Thiếu «basis»: căn cứ của đơn giá (đề xuất, báo giá, dự toán …).",
                    (*where, "basis"), price_id)
            continue
        when = _date(entry.get("date"))
        if when is None:
            problem("E-PRICE-DATE", "«date» (ngày của đơn giá) phải là ngày dạng YYYY-MM-DD.", (*where, "date"), price_id)
            continue
        prices[price_id] = Price(price_id, _clean_text(label_vi), _clean_text(label_en), _clean_text(unit), amount,
                                 source, _clean_text(basis), when)
    missing = [pid for pid in PRICE_IDS if pid not in prices and pid not in entries]
    for price_id in missing:
        problem("E-PRICE-MISSING", f"Thiếu đơn giá «{price_id}», cần để ước tính kinh phí.", ("prices",), price_id)
    if problems:
        raise PricesInvalid(problems)
    return PriceList(version=int(version), title=_clean_text(title_vi), date=file_date or dt.date.today(),
                     currency="VND", prices=prices, path=name)


def _read_yaml(text: str, name: str) -> tuple[Any, dict[tuple, int]]:
    """Plain data and the line of each value (by its key path)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise PricesInvalid([PriceProblem("E-PRICE-YAML", f"Tệp không đúng cú pháp YAML: {problem}.", name,
                                          mark.line + 1 if mark else None)]) from None
    if node is None:
        raise PricesInvalid([PriceProblem("E-PRICE-FILE", "Tệp rỗng.", name, 1)])
    lines: dict[tuple, int] = {}
    scalars = yaml.SafeLoader("")

    def convert(node: Any, path: tuple) -> Any:
        lines[path] = node.start_mark.line + 1
        if len(lines) > 20_000:
            raise PricesInvalid([PriceProblem("E-PRICE-FILE", "Tệp có quá nhiều giá trị.", name)])
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    raise PricesInvalid([PriceProblem("E-PRICE-FORMAT", "Khóa phải là tên đơn giản.", name,
                                                      key_node.start_mark.line + 1)])
                if key in out:
                    raise PricesInvalid([PriceProblem("E-PRICE-FORMAT", f"Khóa «{key}» xuất hiện hai lần.", name,
                                                      key_node.start_mark.line + 1)])
                out[key] = convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(child, (*path, index)) for index, child in enumerate(node.value)]
        value = scalars.construct_object(node, deep=True)
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    return convert(node, ()), lines


# -- the department's prices ------------------------------------------------------------------------------


def load_prices(store: Store | None = None, path: str | Path | None = None) -> PriceList:
    """The file's prices with the department's stored over them (a stored one that cannot be read is
    left out and named in ``warnings``: the file's price is used)."""
    prices = load_price_file(path)
    if store is None:
        return prices
    stored = store.settings(PREFIX)
    for key, value in sorted(stored.items()):
        price_id = key[len(PREFIX):]
        base = prices.prices.get(price_id)
        if base is None:
            prices.warnings.append(PriceProblem("W-PRICE-UNKNOWN", f"Đơn giá «{price_id}» Sở đã lưu không còn trong tệp "
                                                "đơn giá; bỏ qua.", price=price_id))
            continue
        try:
            data = json.loads(value)
            amount = parse_amount(data["price"])
            when = _date(data.get("date")) or prices.date
            basis = _clean_text(data.get("basis") or "")[:MAX_TEXT]
        except (ValueError, KeyError, TypeError) as error:
            prices.warnings.append(PriceProblem("W-PRICE-STORED", f"Đơn giá «{price_id}» Sở đã lưu không đọc được "
                                                f"({error}); dùng đơn giá trong tệp.", price=price_id))
            continue
        prices.prices[price_id] = replace(base, amount=amount, source="department", basis=basis or "Sở điều chỉnh.",
                                          date=when, file_amount=base.amount)
    return prices


def set_price(store: Store, price_id: str, amount: int | str, *, basis: str, date: dt.date | str | None = None,
              path: str | Path | None = None) -> PriceList:
    """Store the department's price of ``price_id`` (checked first; nothing stored when refused)."""
    return set_prices(store, {price_id: (amount, basis, date)}, path=path)


def set_prices(store: Store, changes: Mapping[str, tuple[int | str, str, dt.date | str | None]], *,
               path: str | Path | None = None) -> PriceList:
    """Several prices in one transaction: ``{id: (amount, basis, date)}``; all refused if one is wrong."""
    prices = load_price_file(path)
    problems: list[PriceProblem] = []
    values: dict[str, str | None] = {}
    for price_id, (amount, basis, date) in changes.items():
        if price_id not in prices.prices:
            known = ", ".join(prices.prices)
            problems.append(PriceProblem("E-PRICE-UNKNOWN", f"Không có đơn giá «{price_id}»; chọn một trong: {known}."))
            continue
        try:
            value = parse_amount(amount)
        except ValueError as error:
            problems.append(PriceProblem("E-PRICE-VALUE", str(error), price=price_id))
            continue
        text = _clean_text(basis or "")
        if not text:
            problems.append(PriceProblem("E-PRICE-BASIS", "Ghi căn cứ của đơn giá (báo giá, dự toán được duyệt …) để người "
                                         "đọc báo cáo biết con số từ đâu.", price=price_id))
            continue
        if len(text) > MAX_TEXT:
            problems.append(PriceProblem("E-PRICE-BASIS", f"Căn cứ dài quá {MAX_TEXT} ký tự.", price=price_id))
            continue
        when = _date(date) if date is not None else dt.date.today()
        if when is None:
            problems.append(PriceProblem("E-PRICE-DATE", f"Ngày «{date}» không hợp lệ; ghi DD/MM/YYYY.", price=price_id))
            continue
        values[PREFIX + price_id] = json.dumps({"price": value, "basis": text, "date": when.isoformat()},
                                               ensure_ascii=False)
    if problems:
        raise PricesInvalid(problems)
    store.save_settings(values)
    return load_prices(store, path)


def reset_prices(store: Store, ids: Iterable[str] | None = None, *, path: str | Path | None = None) -> PriceList:
    """Back to the file's prices: those of ``ids``, or every one the department changed."""
    stored = store.settings(PREFIX)
    keys = list(stored) if ids is None else [PREFIX + i for i in ids]
    unknown = [k[len(PREFIX):] for k in keys if k not in stored]
    if ids is not None and unknown:
        raise PricesInvalid([PriceProblem("E-PRICE-UNKNOWN", f"Sở chưa sửa đơn giá «{i}»; không có gì để đặt lại.", price=i)
                             for i in unknown])
    store.save_settings({key: None for key in keys})
    return load_prices(store, path)


def format_prices(prices: PriceList) -> str:
    """The text ``readiness prices show`` prints."""
    lines = [f"{prices.title} — phiên bản {prices.version}, ngày {prices.date.strftime('%d/%m/%Y')} ({prices.path})"]
    for price in prices.prices.values():
        was = f" (tệp: {format_vnd(price.file_amount)})" if price.file_amount is not None else ""
        lines.append(f"  {price.id:<14} {format_vnd(price.amount):>16}/{price.unit}{was}  [{price.source_label()}, "
                     f"{price.date.strftime('%d/%m/%Y')}] {price.label}")
        lines.append(f"  {'':<14} Căn cứ: {price.basis}")
    for warning in prices.warnings:
        lines.append(f"Lưu ý: {warning}")
    return "\n".join(lines)


__all__ = ["MAX_AMOUNT", "PRICE_IDS", "Price", "PriceList", "PriceProblem", "PricesInvalid", "SOURCES",
           "default_price_path", "format_prices", "format_vnd", "load_price_file", "load_price_text", "load_prices",
           "parse_amount", "reset_prices", "set_price", "set_prices"]
