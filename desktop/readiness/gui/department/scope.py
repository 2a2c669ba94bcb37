"""The scope of the register the department looks at: province, former province, unit type, group.

One widget, used by the dashboard, the trend and the reports, producing the core's
:class:`readiness.department.status.StatusFilters` (what ``--province``, ``--former-province``,
``--kind`` and ``--group`` give the CLI).  A named group (``readiness group``) may span provinces:
chosen, it is the scope whatever the province (the province's list is then disabled).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from ...text import sort_key
from ..i18n import language, t

if TYPE_CHECKING:
    from ...department.status import StatusFilters
    from ..operations import WorkspaceOps

HOME_PROVINCE = "51"  # until the register is set: then the home province of the document settings
FORMER_PROVINCES_OF = "51"  # the register knows the former provinces (before 1 July 2025) of this province only
ALL = "all"


class ScopeBar(QWidget):
    """«Phạm vi: [Quảng Ngãi ▾]  Tỉnh cũ: [Tất cả ▾]  Loại: [Tất cả ▾]»."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, province_only: bool = False):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.province_label = QLabel(self)
        self.province = QComboBox(self)
        self.province.setObjectName("provinceFilter")
        self.province_label.setBuddy(self.province)
        self.former_label = QLabel(self)
        self.former = QComboBox(self)
        self.former.setObjectName("formerProvinceFilter")
        self.former_label.setBuddy(self.former)
        self.kind_label = QLabel(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kindFilter")
        self.kind_label.setBuddy(self.kind)
        self.group_label = QLabel(self)
        self.group = QComboBox(self)
        self.group.setObjectName("groupFilter")
        self.group.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_label.setBuddy(self.group)
        self.groups: list[tuple[str, tuple[str, ...]]] = []  # (name, commune codes)
        for label, combo in ((self.province_label, self.province), (self.former_label, self.former),
                             (self.kind_label, self.kind), (self.group_label, self.group)):
            layout.addWidget(label)
            layout.addWidget(combo)
        if province_only:  # the petitions: listed by province only (as ``readiness petitions list``)
            for widget in (self.former_label, self.former, self.kind_label, self.kind, self.group_label, self.group):
                widget.hide()
        self.province_only = province_only
        self.home = HOME_PROVINCE
        self.provinces: list[tuple[str, str]] = [(HOME_PROVINCE, "")]
        self.province.currentIndexChanged.connect(self._province_changed)
        self.former.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.kind.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.group.currentIndexChanged.connect(self._province_changed)
        language().changed.connect(self.retranslate)
        self.retranslate()

    def set_register(self, register: WorkspaceOps) -> None:
        """The provinces of the register (the home province first, then the country, then the others)."""
        seen: dict[str, str] = {}
        for commune in register.all_communes():
            seen.setdefault(commune.province_code, commune.province_name)
        settings = getattr(register, "document_settings", None)
        self.home = settings().home_province if callable(settings) else HOME_PROVINCE
        home = [(self.home, seen.get(self.home, self.home))]
        others = sorted(((code, name) for code, name in seen.items() if code != self.home), key=lambda p: sort_key(p[1]))
        self.provinces = home + others
        self.set_groups(register)

    def set_groups(self, register: WorkspaceOps) -> None:
        """The named groups of the workspace (after one was added, renamed or removed)."""
        groups = getattr(register, "groups", None)
        self.groups = [(g.name, g.communes) for g in groups()] if callable(groups) else []
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        from ...department.status import FORMER_PROVINCES, KINDS

        self.province_label.setText(t("Phạm vi:", "Scope:"))
        self.former_label.setText(t("Tỉnh cũ:", "Former province:"))
        self.kind_label.setText(t("Loại:", "Type:"))
        self.group_label.setText(t("Nhóm:", "Group:"))
        kind_en = {"Xã": "Commune", "Phường": "Ward", "Đặc khu": "Special zone"}
        _refill(self.province, [(name, code) for code, name in self.provinces[:1]]
                + [(t("Cả nước", "Whole country"), ALL)] + [(name, code) for code, name in self.provinces[1:]])
        _refill(self.former, [(t("Tất cả", "All"), None)] + [(name, name) for name in FORMER_PROVINCES])
        _refill(self.kind, [(t("Tất cả", "All"), None)] + [(t(kind, kind_en.get(kind, kind)), kind) for kind in KINDS])
        _refill(self.group, [(t("Không chọn nhóm", "No group"), None)]
                + [(t(f"{name} ({len(codes)} đơn vị)", f"{name} ({len(codes)} units)"), name) for name, codes in self.groups])
        visible = bool(self.groups) and not self.province_only
        self.group_label.setVisible(visible)
        self.group.setVisible(visible)
        self._province_changed()

    def _province_changed(self, *_args: object) -> None:
        self.province.setEnabled(self.group.currentData() is None)  # a group is its own scope
        home = self.province.currentData() == FORMER_PROVINCES_OF
        self.former.setEnabled(home and not self.province_only)  # the register's former provinces are of one province
        if not home and self.former.currentIndex() != 0:
            self.former.blockSignals(True)
            self.former.setCurrentIndex(0)
            self.former.blockSignals(False)
        self.changed.emit()

    # -- values ------------------------------------------------------------------------------------
    @property
    def province_code(self) -> str | None:
        return self.province.currentData() or self.home

    def filters(self, **more: object) -> StatusFilters:
        from ...department.status import StatusFilters

        group = self.group.currentData()
        if group is not None:
            codes = dict(self.groups).get(group, ())
            return StatusFilters(province=None, former_province=None, kind=self.kind.currentData(), communes=codes,
                                 group=group, **more)  # type: ignore[arg-type]
        return StatusFilters(province=self.province_code, former_province=self.former.currentData() if self.former.isEnabled()
                             else None, kind=self.kind.currentData(), **more)  # type: ignore[arg-type]

    def set_values(self, *, province: str | None = None, former_province: str | None = None, kind: str | None = None,
                   group: str | None = None) -> None:
        for combo, value in ((self.province, province), (self.former, former_province), (self.kind, kind),
                             (self.group, group)):
            if value is not None:
                index = index_of(combo, value)
                if index >= 0:
                    combo.setCurrentIndex(index)


def _refill(combo: QComboBox, entries: Sequence[tuple[str, object]]) -> None:
    """Replace a combo's items keeping the chosen value (and without signalling a change)."""
    current = combo.currentData()
    had_items = combo.count() > 0
    combo.blockSignals(True)
    combo.clear()
    for text, data in entries:
        combo.addItem(text, data)
    index = index_of(combo, current) if had_items else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


refill = _refill


def index_of(combo: QComboBox, value: object) -> int:
    """The index of the item whose data is ``value`` (``None`` included, which ``findData`` cannot find)."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            return index
    return -1
