"""«Nhóm xã phụ trách»: the named groups of communes (``readiness group``) made, changed and removed in the window.

A list of the groups on the left; on the right the chosen group's name, who follows it and in which role
(the follow-up report's title: «… của đồng chí {person}, {role}»), the assigning decision, and its communes
(codes or names, one a line or separated by commas; namesakes told apart by kind and province, as the CLI
does).  «Lưu» saves the group whole in one transaction or, refused, names the name or commune refused and
changes nothing.  Every change signals ``changed`` so the scope bars list the groups anew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import language, t
from ..operations import describe_error

if TYPE_CHECKING:
    from ..operations import WorkspaceOps

DEFAULT_ROLE = "Thành viên UBND tỉnh"


class GroupsDialog(QDialog):
    changed = Signal()

    def __init__(self, ops: WorkspaceOps, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("groupsDialog")
        self.ops = ops
        self.current: str | None = None  # the saved name of the group being edited (None: a new one)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list_label = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("groupList")
        self.list_label.setBuddy(self.list)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newGroup")
        left.addWidget(self.list_label)
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)
        layout.addLayout(left, 2)

        right = QVBoxLayout()
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("groupName")
        self.person = QLineEdit(self)
        self.person.setObjectName("groupPerson")
        self.role = QLineEdit(self)
        self.role.setObjectName("groupRole")
        self.note = QLineEdit(self)
        self.note.setObjectName("groupNote")
        self.communes = QPlainTextEdit(self)
        self.communes.setObjectName("groupCommunes")
        self.labels = [QLabel(self) for _ in range(5)]
        for label, widget in zip(self.labels, (self.name, self.person, self.role, self.note, self.communes)):
            label.setBuddy(widget)
            form.addRow(label, widget)
        right.addLayout(form)
        self.members = QLabel(self)
        self.members.setObjectName("groupMembers")
        self.members.setWordWrap(True)
        self.members.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(self.members)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveGroup")
        self.save_button.setDefault(True)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeGroup")
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        right.addWidget(self.close_box)
        layout.addLayout(right, 3)

        self.list.currentItemChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_group)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        language().changed.connect(self.retranslate)
        self.retranslate()
        self.reload()

    def retranslate(self, *_args: object) -> None:
        self.setWindowTitle(t("Nhóm xã phụ trách, theo dõi", "Groups of communes followed"))
        self.list_label.setText(t("&Các nhóm:", "&Groups:"))
        self.new_button.setText(t("Thêm nhóm mới", "New group"))
        for label, (vi, en) in zip(self.labels, (("&Tên nhóm:", "&Name:"), ("Đồng chí &phụ trách:", "Followed &by:"),
                                                 ("&Chức vụ:", "&Role:"), ("&Văn bản phân công:", "&Assigned by:"),
                                                 ("Các &xã (mã hoặc tên):", "&Communes (codes or names):"))):
            label.setText(t(vi, en))
        self.name.setPlaceholderText(t("Ví dụ: Đ/c Nguyễn Tấn Liêm — 7 xã", "E.g. Đ/c Nguyễn Tấn Liêm — 7 xã"))
        self.person.setPlaceholderText(t("Ví dụ: Nguyễn Tấn Liêm", "E.g. Nguyễn Tấn Liêm"))
        self.role.setPlaceholderText(DEFAULT_ROLE)
        self.note.setPlaceholderText(t("Ví dụ: Quyết định số 1313/QĐ-UBND ngày 23/10/2025",
                                       "E.g. Quyết định số 1313/QĐ-UBND ngày 23/10/2025"))
        self.communes.setPlaceholderText(t("Mỗi dòng một xã, hoặc cách nhau bằng dấu phẩy: 21385, Xã Đăk Môn, Ia Chim…",
                                           "One a line or separated by commas: 21385, Xã Đăk Môn, Ia Chim…"))
        self.save_button.setText(t("&Lưu nhóm", "&Save the group"))
        self.remove_button.setText(t("&Xoá nhóm", "&Remove the group"))
        self.close_box.button(QDialogButtonBox.StandardButton.Close).setText(t("Đóng", "Close"))

    # -- the list --------------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        self.groups = {g.name: g for g in self.ops.groups()}
        self.list.blockSignals(True)
        self.list.clear()
        for name, group in self.groups.items():
            item = QListWidgetItem(t(f"{name} ({group.size} đơn vị)", f"{name} ({group.size} units)"))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = list(self.groups)
        target = select if select in self.groups else (names[0] if names else None)
        if target is None:
            self.new_group()
        else:
            self.list.setCurrentRow(names.index(target))
            self._show(self.groups[target])

    def _chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self._show(self.groups[item.data(Qt.ItemDataRole.UserRole)])

    def _show(self, group: Any) -> None:
        self.current = group.name
        self.name.setText(group.name)
        self.person.setText(group.person)
        self.role.setText(group.role)
        self.note.setText(group.note)
        self.communes.setPlainText("\n".join(f"{c.code} {c.name}" for c in group.members))
        from ...department.scope import label

        self.members.setText(t(f"{group.size} đơn vị: ", f"{group.size} units: ")
                             + "; ".join(label(c) for c in group.members))
        self.remove_button.setEnabled(True)

    def new_group(self) -> None:
        self.current = None
        self.list.clearSelection()
        for edit in (self.name, self.person, self.note):
            edit.clear()
        self.role.setText(DEFAULT_ROLE)
        self.communes.clear()
        self.members.setText(t("Nhóm mới: ghi tên và các xã rồi bấm «Lưu nhóm».",
                               "A new group: type its name and communes, then «Save the group»."))
        self.remove_button.setEnabled(False)
        self.name.setFocus()

    # -- saving ----------------------------------------------------------------------------------------
    def _communes_text(self) -> str:
        """Each line «21385 Xã Đình Cương» (as shown) counts by its code; other lines and commas as typed."""
        import re

        parts = []
        for line in self.communes.toPlainText().splitlines():
            match = re.fullmatch(r"\s*(\d{5})\s+\S.*", line)
            parts.append(match.group(1) if match else line)
        return "\n".join(parts)

    def save(self) -> bool:
        values = dict(person=self.person.text(), role=self.role.text(), note=self.note.text())
        try:
            if self.current is None:
                group = self.ops.add_group(self.name.text(), self._communes_text(), **values)
            else:
                group = self.ops.update_group(self.current, new_name=self.name.text(), communes=self._communes_text(),
                                              **values)
        except Exception as error:  # noqa: BLE001 - a refusal is shown, nothing changed
            code, message = describe_error(error)
            QMessageBox.warning(self, t("Chưa lưu được nhóm", "The group was not saved"), f"{message}\n\n({code})")
            return False
        self.reload(select=group.name)
        self.changed.emit()
        return True

    def remove(self) -> bool:
        if self.current is None:
            return False
        answer = QMessageBox.question(
            self, t("Xoá nhóm?", "Remove the group?"),
            t(f"Xoá nhóm «{self.current}»? Các xã và số liệu của xã không thay đổi.",
              f"Remove the group «{self.current}»? The communes and their data stay."))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ops.remove_group(self.current)
        except Exception as error:  # noqa: BLE001
            code, message = describe_error(error)
            QMessageBox.warning(self, t("Chưa xoá được nhóm", "The group was not removed"), f"{message}\n\n({code})")
            return False
        self.reload()
        self.changed.emit()
        return True
