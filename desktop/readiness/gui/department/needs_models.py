"""Thin Qt models of the «Nhu cầu đầu tư» tab, over the core's :class:`readiness.department.needs.NeedsReport`.

- :class:`NeedLinesModel`: one row per need (PCs below the minimum and why, …), how many, in how many communes;
- :class:`ConcernedModel`: the communes concerned by one need, how many each;
- :class:`CommuneNeedsModel`: one row per commune: its main needs and its estimated cost;
- :class:`CostModel`: the estimate per priced item, the total last;
- :class:`PricesModel`: the unit prices in use, their source, date and basis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ...text import sort_key
from ..i18n import lang, t
from .models import ALIGN_RIGHT, OBJECT_ROLE, SEARCH_ROLE, SORT_ROLE, SortFilterProxy, TableModel

if TYPE_CHECKING:
    from ...department.needs import CommuneNeeds, CostTotal, NeedsReport, NeedTotal
    from ...department.prices import Price, PriceList

_Index = QModelIndex | QPersistentModelIndex
GREY = QColor("#9e9e9e")
SUGGESTED = QColor("#8d6e00")


def _vnd(amount: int) -> str:
    from ..operations.needs import format_vnd

    text = format_vnd(amount, unit=False)
    return text if lang() == "vi" else text.replace(".", ",")


def _count(value: int, unit: str, unit_en: str) -> str:
    number = f"{value:,}".replace(",", "." if lang() == "vi" else ",")
    return f"{number} {t(unit, unit_en)}"


class NeedLinesModel(TableModel):
    LABEL, COUNT, COMMUNES = range(3)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[NeedTotal] = []

    def make_headers(self) -> list[str]:
        return [t("Nhu cầu", "Need"), t("Số lượng", "How many"), t("Số đơn vị", "Communes")]

    def set_report(self, report: NeedsReport | None) -> None:
        self.beginResetModel()
        self._rows = list(report.lines) if report else []
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        total = self._rows[index.row()]
        line, column = total.line, index.column()
        if role == OBJECT_ROLE:
            return total
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                label = line.label_en if lang() == "en" else line.label
                return ("      – " + label) if line.detail else label
            if column == self.COUNT:
                return _count(total.count, line.unit, line.unit_en) if total.count else "—"
            if column == self.COMMUNES:
                return str(len(total.communes)) if total.communes else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.LABEL:
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.FontRole and not line.detail:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not total.count:
            return GREY
        return None


class ConcernedModel(TableModel):
    NAME, COUNT = range(2)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[tuple[str, str, int]] = []
        self.unit = ("", "")

    def make_headers(self) -> list[str]:
        return [t("Đơn vị", "Commune"), t("Số lượng", "How many")]

    def set_total(self, total: NeedTotal | None) -> None:
        self.beginResetModel()
        self._rows = list(total.communes) if total else []
        self.unit = (total.line.unit, total.line.unit_en) if total else ("", "")
        self.endResetModel()

    def object_at(self, row: int) -> Any:
        """The commune's code (what a double click opens)."""
        return self._rows[row][0]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        code, name, count = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return code
        if role == SEARCH_ROLE:
            return f"{name} {code}"
        if role == Qt.ItemDataRole.DisplayRole:
            return name if column == self.NAME else _count(count, *self.unit)
        if role == SORT_ROLE:
            return sort_key(name) if column == self.NAME else count
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return ALIGN_RIGHT
        return None


# One column per main need of a commune: (header vi, header en, line ids added together).
COMMUNE_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Máy chưa đạt", "PCs below min.", ("pcs_below",)),
    ("Máy hỏng", "Broken PCs", ("pcs_poor",)),
    ("Windows 10, cũ hơn", "Windows ≤ 10", ("win_old",)),
    ("Người thiếu máy", "Officers w/o PC", ("officers_without_pc",)),
    ("Quầy thiếu máy in", "No printer", ("counters_printer",)),
    ("Quầy thiếu máy quét", "No scanner", ("counters_scanner",)),
    ("Chứng thư số", "Certificates",
     ("org_expired", "org_expiring", "org_old_name", "org_none", "personal_expired", "personal_expiring")),
    ("HNTH, đường truyền, UPS", "Video, lines, UPS", ("vc_software", "vc_none", "no_backup_line", "no_tslcd", "ups_below")),
)
COMMUNE_TIPS = (
    ("Máy tính chưa đạt cấu hình tối thiểu", "PCs below the minimum configuration"),
    ("Máy tính hỏng hoặc quá chậm, cần thay", "Broken or very slow PCs"),
    ("Máy tính dùng Windows 10 hoặc cũ hơn", "PCs on Windows 10 or older"),
    ("Cán bộ, công chức chưa có máy tính riêng", "Officers without a PC of their own"),
    ("Quầy chưa có máy in", "Counters without a printer"),
    ("Quầy chưa có máy quét", "Counters without a scanner"),
    ("Chứng thư số tổ chức, cá nhân đã hết hạn, sắp hết hạn, còn mang tên đơn vị cũ hoặc chưa có",
     "Certificates expired, expiring, under the old name, or missing"),
    ("Điểm cầu hội nghị truyền hình chỉ bằng phần mềm hoặc chưa có; chưa có đường truyền dự phòng; chưa kết nối "
     "Mạng TSLCD; UPS dưới mức", "Video endpoint software-only or none; no backup line; no TSLCD; UPS below target"),
)


class CommuneNeedsModel(TableModel):
    CODE, NAME = range(2)
    FIRST = 2

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CommuneNeeds] = []

    @property
    def cost_column(self) -> int:
        return self.FIRST + len(COMMUNE_COLUMNS)

    def make_headers(self) -> list[str]:
        return ([t("Mã xã", "Code"), t("Đơn vị", "Commune")] + [t(vi, en) for vi, en, _ in COMMUNE_COLUMNS]
                + [t("Kinh phí (đồng)", "Cost (VND)")])

    def set_report(self, report: NeedsReport | None) -> None:
        self.beginResetModel()
        self._rows = list(report.communes) if report else []
        self.endResetModel()

    def header_tip(self, section: int) -> str | None:
        if self.FIRST <= section < self.cost_column:
            return t(*COMMUNE_TIPS[section - self.FIRST])
        return None

    def _value(self, commune: CommuneNeeds, column: int) -> int | None:
        if column == self.cost_column:
            return commune.cost
        if self.FIRST <= column < self.cost_column:
            return sum(commune.counts.get(line, 0) for line in COMMUNE_COLUMNS[column - self.FIRST][2])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        commune = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return commune
        if role == SEARCH_ROLE:
            return f"{commune.name} {commune.code}"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CODE:
                return commune.code
            if column == self.NAME:
                return commune.name
            value = self._value(commune, column)
            if not value:
                return ""
            return _vnd(value) if column == self.cost_column else str(value)
        if role == SORT_ROLE:
            if column == self.CODE:
                return commune.code
            if column == self.NAME:
                return sort_key(commune.name)
            return self._value(commune, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.FIRST:
            return ALIGN_RIGHT
        return None


class CommuneNeedsProxy(SortFilterProxy):
    pass


class CostModel(TableModel):
    LABEL, QUANTITY, PRICE, AMOUNT, COMMUNES, SOURCE = range(6)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CostTotal | None] = []  # None: the total
        self.total = 0
        self.prices: PriceList | None = None

    def make_headers(self) -> list[str]:
        return [t("Hạng mục", "Item"), t("Số lượng", "Quantity"), t("Đơn giá (đồng)", "Unit price (VND)"),
                t("Thành tiền (đồng)", "Amount (VND)"), t("Số đơn vị", "Communes"), t("Nguồn đơn giá", "Price source")]

    def set_report(self, report: NeedsReport | None) -> None:
        self.beginResetModel()
        self._rows = [*report.costs, None] if report and report.costs else []
        self.total = report.total_cost if report else 0
        self.prices = report.prices if report else None
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        cost = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return cost
        if cost is None:  # the total
            if role == Qt.ItemDataRole.DisplayRole:
                return t("Tổng cộng", "Total") if column == self.LABEL else _vnd(self.total) if column == self.AMOUNT else ""
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AMOUNT:
                return ALIGN_RIGHT
            return None
        price = self.prices.get(cost.price_id) if self.prices else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return price.label_en if price is not None and lang() == "en" else cost.label
            if column == self.QUANTITY:
                return f"{cost.quantity:,}".replace(",", ".") + f" {cost.unit}"
            if column == self.PRICE:
                return _vnd(cost.unit_price) if cost.unit_price else t("Không tính phí", "Free")
            if column == self.AMOUNT:
                return _vnd(cost.amount) if cost.unit_price else "—"
            if column == self.COMMUNES:
                return str(cost.communes)
            if column == self.SOURCE and price is not None:
                return f"{price.source_label(lang())}, {price.date.strftime('%d/%m/%Y')}"
        if role == Qt.ItemDataRole.ToolTipRole and price is not None:
            return price.basis
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.QUANTITY, self.PRICE, self.AMOUNT, self.COMMUNES):
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SOURCE and price is not None and price.suggested:
            return SUGGESTED
        return None


class PricesModel(TableModel):
    LABEL, UNIT, PRICE, SOURCE, DATE, BASIS = range(6)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Price] = []

    def make_headers(self) -> list[str]:
        return [t("Mặt hàng", "Item"), t("Đơn vị tính", "Unit"), t("Đơn giá (đồng)", "Unit price (VND)"),
                t("Nguồn", "Source"), t("Ngày", "Date"), t("Căn cứ", "Basis")]

    def set_prices(self, prices: PriceList | None) -> None:
        self.beginResetModel()
        self._rows = list(prices.prices.values()) if prices else []
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        price = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return price
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return price.label_en if lang() == "en" else price.label
            if column == self.UNIT:
                return price.unit
            if column == self.PRICE:
                text = _vnd(price.amount) if price.amount else t("Không tính phí", "Free")
                if price.file_amount is not None:
                    text += t(f" (tệp: {_vnd(price.file_amount)})", f" (file: {_vnd(price.file_amount)})")
                return text
            if column == self.SOURCE:
                return price.source_label(lang())
            if column == self.DATE:
                return price.date.strftime("%d/%m/%Y")
            if column == self.BASIS:
                return price.basis
        if role == Qt.ItemDataRole.ToolTipRole:
            return price.basis
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PRICE:
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SOURCE and price.suggested:
            return SUGGESTED
        return None
