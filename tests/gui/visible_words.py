"""What a person sees in a window, and the English words in it (issue 17 §3).

``Looker`` collects the visible text of every window and dialog the test opens: labels, buttons,
group titles, tab and header texts, list and table cells, tool tips, menus (with their sub-menus),
window titles, the texts of message boxes and file dialogs the application asks for (their static
functions are replaced by ones that build the same box, read it and answer), and the right-click
menu of every text box, spin box and selectable label.

A word is English when it is an ASCII word of Qt's own strings (every source string of the Qt
translation files in the PySide6 wheel), of the interface's English halves (``t(vi, en)``) or of the
checklist's English texts, and is not used by the Vietnamese side of the program (the Vietnamese
halves, the checklist's Vietnamese texts: «bấm Delete», «sheet», «Windows 11»), nor in ALLOWED.
The words of Qt's standard buttons and menus are English whatever the Vietnamese side says.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import struct
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from readiness.gui.dialogs import ask as REAL_ASK  # noqa: E402 - before any fixture replaces it

# Names, units and products read the same in Vietnamese; keys keep the names printed on them; the
# language menu names itself in both languages («Ngôn ngữ / Language», «English»).
ALLOWED = {
    "language", "english",
    "excel", "pdf", "word", "tslcd", "windows", "internet", "wifi", "wi", "fi", "usb", "ram", "cpu", "ssd", "hdd",
    "gb", "mb", "mbps", "ms", "vnpt", "viettel", "fpt", "ctrl", "alt", "shift", "pgup", "pgdown", "esc", "tab",
    "f1", "qt", "pyside", "intel", "core", "amd", "ryzen", "pentium", "celeron",
}
# Qt's standard buttons and menus: English wherever they appear.
ALWAYS_ENGLISH = {
    "yes", "no", "ok", "cancel", "undo", "redo", "cut", "copy", "paste", "select", "close", "save", "open", "back",
    "next", "finish", "apply", "help", "reset", "discard", "abort", "retry", "ignore", "step", "scroll", "details",
    "show", "hide", "look", "folder", "directory", "files", "name", "size", "type", "modified", "edge", "page",
}
_WORD = re.compile(r"\w+")
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")  # E-ANS-REQUIRED, 15/BC-UBND: codes, not words
_IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")  # one-stop-shop-it-readiness: an id, not words
_PATH = re.compile(r"\S*[/\\]\S*")  # /home/…/backups, sqlite:///…: where things are, not words
# mail.quangngai.gov.vn, ten@xa.quangngai.gov.vn: a server's or a mailbox's address, not words
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+){2,}\b")
_PRODUCTS = ("Qt for Python",)
ROOT = Path(__file__).resolve().parents[2]


# -- vocabularies ---------------------------------------------------------------------------------------


def _ascii_words(text: str) -> set[str]:
    text = re.sub(r"&(&?)", r"\1", text)  # «Cu&t» is «Cut»: the mnemonic marks a letter
    for product in _PRODUCTS:
        text = text.replace(product, " ")
    text = _PATH.sub(" ", _IDENTIFIER.sub(" ", _CODE.sub(" ", _ADDRESS.sub(" ", text))))
    return {w.lower() for w in _WORD.findall(text) if w.isascii() and w.isalpha() and len(w) > 1}


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literals(node.left) + _literals(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "…".format(…), "…".replace(…)
        return _literals(node.func.value)
    return []


def _interface_halves() -> tuple[set[str], set[str]]:
    """ASCII words of the Vietnamese and the English halves of every ``t(vi, en)`` of the package."""
    vietnamese: set[str] = set()
    english: set[str] = set()
    for path in (ROOT / "desktop" / "readiness").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" \
                    and len(node.args) >= 2:
                for text in _literals(node.args[0]):
                    vietnamese |= _ascii_words(text)
                for text in _literals(node.args[1]):
                    english |= _ascii_words(text)
    return vietnamese, english


def _checklist_words() -> tuple[set[str], set[str]]:
    from readiness.checklist.loader import default_library
    from readiness.checklist.model import Text

    vietnamese: set[str] = set()
    english: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, Text):
            vietnamese.update(_ascii_words(value.vi))
            english.update(_ascii_words(value.en or ""))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))

    library = default_library()
    for checklist_id, version in library.available():
        walk(library.get(checklist_id, version))
    return vietnamese, english


def qm_messages(path: Path) -> list[tuple[str, str, str | None]]:
    """(context, source, translation) of a compiled Qt translation (.qm)."""
    data = path.read_bytes()
    position, blocks = 16, {}
    while position < len(data):
        tag, length = data[position], struct.unpack(">I", data[position + 1:position + 5])[0]
        blocks[tag] = data[position + 5:position + 5 + length]
        position += 5 + length
    messages, block, p, current = [], blocks.get(0x69, b""), 0, {}
    while p < len(block):
        tag = block[p]
        p += 1
        if tag == 1:  # end of a message
            messages.append((current.get("context", ""), current.get("source", ""), current.get("translation")))
            current = {}
            continue
        if tag == 0:
            continue
        length = struct.unpack(">I", block[p:p + 4])[0]
        p += 4
        if tag == 3:
            current["translation"] = None if length == 0xFFFFFFFF else block[p:p + length].decode("utf-16-be")
            p += 0 if length == 0xFFFFFFFF else length
            continue
        text = block[p:p + length].decode("utf-8", "replace")
        p += length
        if tag == 6:
            current["source"] = text
        elif tag == 7:
            current["context"] = text
    return messages


def qt_translation_files() -> list[Path]:
    import PySide6

    return sorted((Path(PySide6.__file__).parent / "Qt" / "translations").glob("qtbase_*.qm"))


@lru_cache(maxsize=1)
def vocabularies() -> tuple[frozenset[str], frozenset[str]]:
    """(English words, ASCII words the Vietnamese side uses)."""
    from readiness.register import load_register

    vietnamese, english = _interface_halves()
    checklist_vi, checklist_en = _checklist_words()
    for commune in load_register():  # «Xã Đăk Long», «Xã Ba Tơ»: names
        vietnamese |= _ascii_words(f"{commune.name} {commune.province_name} {commune.former_units_text()}")
    qt: set[str] = set()
    for path in qt_translation_files()[:3]:
        for _context, source, _translation in qm_messages(path):
            qt |= _ascii_words(source)
    return frozenset(english | checklist_en | qt), frozenset(vietnamese | checklist_vi)


def english_words(text: str) -> list[str]:
    """The English words of a visible text (empty when it is Vietnamese)."""
    english, vietnamese = vocabularies()
    found = []
    for word in sorted(_ascii_words(text)):
        if word in ALLOWED or word == Path.home().name.lower():  # the file dialog's places: the user's own folder
            continue
        if word in ALWAYS_ENGLISH or (word in english and word not in vietnamese):
            found.append(word)
    return found


# -- what is visible ------------------------------------------------------------------------------------


def plain(text: str) -> str:
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip() if action.toolTip() != action.text().replace("&", "") else ""]
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return [text for text in texts if text]


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything visible in ``root`` and its visible children."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, text: str | None) -> None:
        if text:
            found.append((f"{type(widget).__name__}#{widget.objectName()}", plain(text)))

    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if widget.isWindow():
            add(widget, widget.windowTitle())
        add(widget, widget.toolTip())
        add(widget, widget.placeholderText() if hasattr(widget, "placeholderText") else "")
        if isinstance(widget, QLabel):
            add(widget, widget.text())
        elif isinstance(widget, QAbstractButton):
            add(widget, widget.text())
            menu = widget.menu() if hasattr(widget, "menu") else None
            if menu is not None:
                for text in menu_texts(menu):
                    add(widget, text)
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                add(widget, widget.itemText(index))
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                add(widget, widget.tabText(index))
                add(widget, widget.tabToolTip(index))
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget, widget.tabText(index))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.menu() is not None:
                    for text in menu_texts(action.menu()):
                        add(widget, text)
        elif isinstance(widget, QProgressBar):
            add(widget, widget.text())
        elif isinstance(widget, QAbstractSpinBox):
            add(widget, widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            add(widget, widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found.extend(_view_texts(widget))
        for action in widget.actions():  # tool bars, tool buttons
            if isinstance(widget, (QMenuBar, QMenu)):
                continue
            if action.isVisible() and widget.metaObject().className() in ("QToolBar", "QToolButton"):
                add(widget, action.text())
    return found


def _view_texts(view: QAbstractItemView, rows: int = 60) -> list[tuple[str, str]]:
    model = view.model()
    where = f"{type(view).__name__}#{view.objectName()}"
    found = []
    try:
        columns = model.columnCount()
    except TypeError:  # a list model (QListWidget's own) keeps columnCount private
        columns = 1
    for section in range(columns):
        found.append((where, str(model.headerData(section, Qt.Orientation.Horizontal) or "")))
        found.append((where, str(model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) or "")))
    for row in range(min(rows, model.rowCount())):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str) and value:
                    found.append((where, plain(value)))
    return [(w, t) for w, t in found if t]


def context_menu(widget: QWidget) -> list[str]:
    """The texts of ``widget``'s right-click menu (its popup is read and closed; nothing is chosen)."""
    captured: list[str] = []

    def grab() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            captured.extend(menu_texts(popup) or ["(empty)"])
            popup.close()

    QTimer.singleShot(0, grab)  # a spin box runs its menu with exec(): read it from inside that loop
    target = widget.viewport() if isinstance(widget, (QPlainTextEdit, QTextEdit)) else widget
    position = QPoint(4, 4)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position, target.mapToGlobal(position))
    QApplication.sendEvent(target, event)
    for _ in range(20):
        if captured:
            break
        QCoreApplication.processEvents()
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()
    return captured


def has_context_menu(widget: QWidget) -> bool:
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QScrollBar)):
        return widget.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu
    if isinstance(widget, QLabel):
        return widget.textInteractionFlags() != Qt.TextInteractionFlag.NoTextInteraction \
            and widget.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu
    return False


def open_windows() -> list[QWidget]:
    """The visible top-level widgets (menus aside), those already deleted left out."""
    from shiboken6 import isValid

    return [w for w in QApplication.topLevelWidgets()
            if isValid(w) and w.isVisible() and not isinstance(w, QMenu)]


class Looker:
    """Collects what is seen; ``english()`` lists every English word with where it was seen."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.menus_read: set[str] = set()

    def look(self, root: QWidget, label: str, *, menus: bool = True) -> None:
        for where, text in widget_texts(root):
            self.seen.append((f"{label}: {where}", text))
        if not menus:
            return
        from shiboken6 import isValid

        kinds_done: set[str] = set()
        for widget in [root, *root.findChildren(QWidget)]:
            if not isValid(widget) or not has_context_menu(widget) or not widget.isVisibleTo(root):
                continue
            kind = f"{type(widget).__name__}:{getattr(widget, 'isReadOnly', lambda: False)()}"
            if kind in kinds_done:  # one of each kind per window is enough: Qt builds them the same way
                continue
            kinds_done.add(kind)
            texts = context_menu(widget)
            self.menus_read.add(type(widget).__name__)
            for text in texts:
                self.seen.append((f"{label}: right-click menu of {type(widget).__name__}#{widget.objectName()}", text))

    def look_at_windows(self, label: str, *, skip: Iterable[QWidget] = ()) -> None:
        skipped = set(skip)
        for widget in open_windows():
            if widget not in skipped:
                self.look(widget, f"{label} / {type(widget).__name__}")

    def english(self) -> list[str]:
        problems = []
        for where, text in self.seen:
            words = english_words(text)
            if words:
                problems.append(f"{where}: {', '.join(words)} — «{text[:120]}»")
        return sorted(set(problems))


def patch_dialogs(monkeypatch, looker: Looker, *, answer_yes: bool = False) -> None:
    """Message boxes and file dialogs are built as the application asks, read, and answered
    (question: ``answer_yes``; file dialogs: cancelled)."""

    def build_box(icon: QMessageBox.Icon) -> Callable:
        def show(parent, title, text, buttons=QMessageBox.StandardButton.Ok, default=QMessageBox.StandardButton.NoButton):
            box = QMessageBox(icon, title, text, buttons, parent)
            box.show()
            looker.look(box, f"message box «{title}»")
            box.close()
            box.deleteLater()
            if icon is QMessageBox.Icon.Question:
                return QMessageBox.StandardButton.Yes if answer_yes else QMessageBox.StandardButton.No
            return QMessageBox.StandardButton.Ok
        return show

    def question(parent, title, text, buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                 default=QMessageBox.StandardButton.NoButton):
        return build_box(QMessageBox.Icon.Question)(parent, title, text, buttons, default)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(build_box(QMessageBox.Icon.Information)))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(build_box(QMessageBox.Icon.Warning)))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(build_box(QMessageBox.Icon.Critical)))

    def box_exec(box: QMessageBox) -> int:  # readiness.gui.dialogs.ask: a box of ours, with verbs on its buttons
        box.show()
        looker.look(box, f"question «{box.windowTitle()}»")
        chosen = next((b for b in box.buttons() if b.objectName() == ("acceptButton" if answer_yes else "rejectButton")),
                      None)
        box.close()
        if chosen is not None:
            chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", box_exec)
    from readiness.gui import dialogs

    monkeypatch.setattr(dialogs, "ask", REAL_ASK)  # the window tests' recorder stands in for it otherwise

    def file_dialog(mode: QFileDialog.AcceptMode) -> Callable:
        def show(parent=None, caption="", directory="", file_filter="", *args, **kwargs):
            dialog = QFileDialog(parent, caption, directory, file_filter)
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
            dialog.setAcceptMode(mode)
            dialog.show()
            QCoreApplication.processEvents()
            looker.look(dialog, f"file dialog «{caption}»")
            dialog.close()
            dialog.deleteLater()
            return "", ""
        return show

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(file_dialog(QFileDialog.AcceptMode.AcceptSave)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(file_dialog(QFileDialog.AcceptMode.AcceptOpen)))

    def exec_dialog(dialog: QDialog) -> int:  # a dialog of ours run modally: read it, then close it
        dialog.show()
        looker.look(dialog, f"dialog «{dialog.windowTitle()}»")
        dialog.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", exec_dialog)
