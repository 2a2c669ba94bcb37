"""The main window: choose a commune and a period, walk through the sections, see the result.

Layout: the chooser on top; then, once an assessment is open, its title and status, the section
list on the left (completion "7/12" and a badge per section, then "Tổng hợp kết quả") and the
section's form on the right; the status bar has the progress, the score and level, and when the
last answer was saved.  Every answer is saved through :class:`AssessmentOps` as it changes.

Menus are named (``file``, ``assessment``, ``view``, ``help``) so later features add their
actions with :meth:`MainWindow.add_action` (export and print go into ``file``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .chooser import ChooserBar
from .i18n import lang, language, set_lang, t
from .icons import Badge, arrow_icon, badge_icon, icon
from .operations import Runner
from .wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from ..scoring import ScoreResult
    from ..service import Workspace
    from .operations import AssessmentOps, WorkspaceOps
    from .operations.workspace import StartOffer
    from .section_form import SectionForm
    from .summary import SummaryPage

APP_TITLE = "Sẵn sàng Một cửa"
SETTING_COMMUNE = "gui.last_commune"
SETTING_PERIOD = "gui.last_period"
SETTING_LANG = "gui.lang"

_BADGE_TEXT = {
    Badge.EMPTY: ("chưa bắt đầu", "not started"),
    Badge.PARTIAL: ("đang làm", "in progress"),
    Badge.COMPLETE: ("đã đủ", "complete"),
    Badge.ERRORS: ("có câu trả lời chưa hợp lệ", "has invalid answers"),
}


class MainWindow(QMainWindow):
    assessment_opened = Signal()
    summary_made = Signal()  # the summary page was built (the first time it was asked for)

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None, *, auto_open: bool = True):
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.workspace_ops: WorkspaceOps | None = None
        self.ops: AssessmentOps | None = None
        # Work off the UI thread (files, signing, probes); two at a time, so a long measurement
        # does not hold up an export.  Saves of answers stay on the UI thread (AssessmentOps).
        self.runner = Runner(self, threads=2)
        self.forms: dict[str, SectionForm] = {}
        self._summary: SummaryPage | None = None  # built when first asked for (see the property)
        self.left_sections: set[str] = set()  # sections visited then left: missing answers are shown
        self.current_row = -1
        self.history_dialog: QDialog | None = None
        self.about_dialog: QDialog | None = None
        self.offer_dialog: QDialog | None = None  # «Bắt đầu từ kỳ …» while it is shown
        self._switching = False
        self.setWindowIcon(icon("app"))
        self.setObjectName("mainWindow")
        from .qt_translations import follow_language

        follow_language()  # Qt's own buttons and menus in the interface language

        self._build_actions()
        self._build_menus()
        self._install_features()
        self._build_central()
        self._build_status_bar()
        language().changed.connect(self.retranslate)
        self.retranslate()
        self._update_actions()
        if workspace is not None:
            self.set_workspace(workspace, auto_open=auto_open)

    # == construction ======================================================================
    def _action(self, name: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    def _build_actions(self) -> None:
        self.act_open = self._action("open", self.focus_chooser, QKeySequence.StandardKey.Open)
        self.act_quit = self._action("quit", self.close, QKeySequence("Ctrl+Q"))
        self.act_finalize = self._action("finalize", self.finalize)
        self.act_reopen = self._action("reopen", self.reopen)
        self.act_history = self._action("history", self.show_history, QKeySequence("Ctrl+H"))
        self.act_prev = self._action("previous_section", self.previous_section, QKeySequence("Ctrl+PgUp"))
        self.act_next = self._action("next_section", self.next_section, QKeySequence("Ctrl+PgDown"))
        self.act_summary = self._action("summary", self.show_summary, QKeySequence("Ctrl+R"))
        self.act_about = self._action("about", self.show_about, QKeySequence.StandardKey.HelpContents)
        self.lang_group = QActionGroup(self)
        self.act_vi = QAction("Tiếng Việt", self, checkable=True)
        self.act_en = QAction("English", self, checkable=True)
        for action, code in ((self.act_vi, "vi"), (self.act_en, "en")):
            action.setObjectName(f"lang_{code}")
            self.lang_group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
        self.act_vi.setChecked(lang() == "vi")
        self.act_en.setChecked(lang() == "en")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        for name in ("file", "assessment", "view", "help"):
            menu = bar.addMenu("")
            menu.setObjectName(f"menu_{name}")
            self.menus[name] = menu
        file_menu = self.menus["file"]
        file_menu.addAction(self.act_open)
        self._file_tail = file_menu.addSeparator()  # later actions (export, print) go above this
        file_menu.addAction(self.act_quit)
        assessment = self.menus["assessment"]
        assessment.addAction(self.act_finalize)
        assessment.addAction(self.act_reopen)
        assessment.addSeparator()
        assessment.addAction(self.act_history)
        view = self.menus["view"]
        view.addAction(self.act_prev)
        view.addAction(self.act_next)
        view.addAction(self.act_summary)
        view.addSeparator()
        self.lang_menu = view.addMenu("Ngôn ngữ / Language")
        self.lang_menu.setObjectName("menu_language")
        self.lang_menu.addAction(self.act_vi)
        self.lang_menu.addAction(self.act_en)
        self.menus["help"].addAction(self.act_about)

    def menu(self, name: str) -> QMenu:
        """A top-level menu by name: ``file``, ``assessment``, ``view``, ``help``."""
        return self.menus[name]

    def add_action(self, menu_name: str, action: QAction, *, before: QAction | None = None) -> QAction:
        """Add a feature's action to a named menu (in ``file``: above "Thoát")."""
        menu = self.menus[menu_name]
        if before is None and menu_name == "file":
            before = self._file_tail
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        if action.parent() is None:
            action.setParent(self)
        return action

    def _install_features(self) -> None:
        """The features that add their actions to the menus; each is given this window (a
        :class:`~.host.WindowHost`) and none imports this module."""
        from .backup_actions import BackupActions
        from .department import DepartmentMenu
        from .export_actions import ExportActions
        from .receipt_actions import ReceiptActions
        from .signing_actions import SigningActions

        from .template_import import TemplateImportActions

        self.export_actions = ExportActions(self)  # File: export, template, print
        self.template_import = TemplateImportActions(self, before=self.export_actions.act_field)  # File: a filled template
        self.signing_actions = SigningActions(self, self.export_actions)  # File: Ký số (after the export)
        self.receipt_actions = ReceiptActions(self)  # File: check the department's receipt
        self.backup_actions = BackupActions(self)
        self.department_menu = DepartmentMenu(self)  # menu Sở KHCN

    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.chooser = ChooserBar(central)
        self.chooser.open_requested.connect(self.open_assessment)
        layout.addWidget(self.chooser)
        line = QFrame(central)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)

        self.stack = QStackedWidget(central)
        layout.addWidget(self.stack, 1)
        # The first page: while the data opens it says so (plain words); the welcome's instructions are put in
        # only when it stays shown once the data is open (no assessment opened: _show_welcome), so a start that
        # opens the remembered assessment neither lays out nor paints them (~29 M instructions of every start).
        self.welcome = WrappedLabel(self.stack)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setMargin(24)
        self.stack.addWidget(self.welcome)
        self._welcome_wanted = False

        page = QWidget(self.stack)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(8, 6, 8, 0)
        page_layout.setSpacing(6)
        self.heading = WrappedLabel(page)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        page_layout.addWidget(self.heading)

        self.banner = QFrame(page)
        self.banner.setObjectName("finalizedBanner")
        self.banner.setStyleSheet("#finalizedBanner { background: #e8f5e9; border: 1px solid #66bb6a; border-radius: 4px; }")
        banner_layout = QHBoxLayout(self.banner)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        self.banner_reopen = QPushButton(self.banner)
        self.banner_reopen.clicked.connect(self.reopen)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_reopen)
        self.banner.hide()
        page_layout.addWidget(self.banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, page)
        self.splitter.setChildrenCollapsible(False)
        self.section_list = QListWidget(self.splitter)
        self.section_list.setObjectName("sectionList")
        self.section_list.setWordWrap(True)
        self.section_list.setIconSize(QSize(20, 20))
        self.section_list.setSpacing(1)
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.currentRowChanged.connect(self._row_changed)
        right = QWidget(self.splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(right)
        # An empty first page: the summary (added later) is not the page shown while an assessment is
        # being opened, so it is neither laid out nor filled before it is asked for.
        self.pages.addWidget(QWidget(self.pages))
        right_layout.addWidget(self.pages, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(8, 4, 8, 6)
        self.prev_button = QPushButton(right)
        self.prev_button.setIcon(arrow_icon("left"))
        self.prev_button.clicked.connect(self.previous_section)
        self.position_label = QLabel(right)
        self.next_button = QPushButton(right)
        self.next_button.setIcon(arrow_icon("right"))
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.next_button.clicked.connect(self.next_section)
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.position_label)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right_layout.addLayout(nav)
        self.splitter.addWidget(self.section_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        page_layout.addWidget(self.splitter, 1)
        self.assessment_page = page
        self.stack.addWidget(page)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.state_label = QLabel(bar)
        self.progress = QProgressBar(bar)
        self.progress.setTextVisible(True)
        width = self.fontMetrics().horizontalAdvance("000/000 questions") + 40
        self.progress.setMinimumWidth(width)
        self.progress.setMaximumWidth(width * 2)
        self.score_label = QLabel(bar)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.saved_label = QLabel(bar)
        for widget in (self.state_label, self.progress, self.score_label):
            bar.addWidget(widget)
        bar.addPermanentWidget(self.saved_label)
        for widget in (self.state_label, self.progress, self.score_label, self.saved_label):
            widget.hide()

    # == workspace and assessment ==========================================================
    def set_workspace(self, workspace: Workspace, *, auto_open: bool = True, restore_language: bool = True) -> None:
        """Use a workspace; restore the last language, commune and period (and open them)."""
        from .operations import WorkspaceOps

        self.workspace = workspace
        self.workspace_ops = data = WorkspaceOps(workspace)
        self.chooser.commune.set_store(data)
        remembered_lang = data.setting(SETTING_LANG) if restore_language else None
        if remembered_lang in ("vi", "en") and remembered_lang != lang():
            set_lang(remembered_lang)
        code = data.setting(SETTING_COMMUNE)
        period = data.setting(SETTING_PERIOD)
        commune = data.commune(code) if code else None
        if commune is not None:
            self.chooser.commune.set_commune(commune)
        if period:
            try:
                self.chooser.period.set_period(period)
            except ValueError:
                pass
        if commune is not None and period and auto_open and data.start_offer(commune.code, period) is None:
            self.open_assessment(commune.code, period)
        elif commune is not None and period:  # a period to start: the person chooses how, with «Mở»
            self.chooser.open_button.setFocus()
        else:
            self.chooser.commune.setFocus()
        if self.stack.currentWidget() is self.welcome:
            self._show_welcome()

    def _show_welcome(self) -> None:
        """The welcome's instructions instead of «Đang mở dữ liệu…»: the data is open and no assessment is."""
        self._welcome_wanted = True
        self._welcome_words()

    def _welcome_words(self) -> None:
        if not self._welcome_wanted:
            self.welcome.setText(t("Đang mở dữ liệu…", "Opening the data…"))
            return
        self.welcome.setText(t(
            "<h2>Sẵn sàng Một cửa</h2><p>Tự đánh giá mức sẵn sàng công nghệ thông tin của Bộ phận Một cửa.</p>"
            "<p>1. Gõ tên xã, phường ở ô phía trên (có dấu hoặc không dấu, ví dụ <i>dak ha</i>) và chọn trong danh sách.<br>"
            "2. Chọn kỳ đánh giá (tháng, năm).<br>3. Bấm <b>Mở</b>.</p>"
            "<p>Mọi câu trả lời được lưu ngay khi nhập; tắt máy lúc nào cũng không mất.</p>",
            "<h2>Sẵn sàng Một cửa</h2><p>IT readiness self-assessment for the commune one-stop shop.</p>"
            "<p>1. Type the commune's name above (with or without diacritics, e.g. <i>dak ha</i>) and pick it from the list.<br>"
            "2. Choose the period (month, year).<br>3. Press <b>Open</b>.</p>"
            "<p>Every answer is saved as you type; nothing is lost if the computer is switched off.</p>"))

    def open_assessment(self, commune_code: str, period: str) -> bool:
        """Open (or create) the commune's assessment for the period; False if refused."""
        from .operations import StoreError, error_text

        data = self.workspace_ops
        if data is None:
            return False
        self.flush()
        try:
            offer = data.start_offer(commune_code, period)
            if offer is None:
                ops = data.open_assessment(commune_code, period, self, runner=self.runner)
            else:  # a period with no assessment, and an earlier one finalized: start from it, or empty?
                choice = self.ask_how_to_start(offer)
                if choice is None:
                    return False
                ops = data.start_assessment(commune_code, period, carry=choice == "carry", parent=self,
                                            runner=self.runner)
        except StoreError as error:
            from PySide6.QtWidgets import QMessageBox  # here: building its enums is not the start's work

            QMessageBox.warning(self, t("Không mở được", "Cannot open"), error_text(error))
            return False
        except KeyError:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self, t("Thiếu bảng kiểm", "Checklist missing"), t(
                "Không tìm thấy bảng kiểm đánh giá trong bộ cài. Hãy cài lại phần mềm.",
                "The assessment checklist is missing from the installation. Reinstall the program."))
            return False
        data.set_setting(SETTING_COMMUNE, commune_code)
        data.set_setting(SETTING_PERIOD, ops.info.period)
        if self.chooser.commune.commune is None or self.chooser.commune.commune.code != commune_code:
            self.chooser.commune.set_commune(ops.commune)
        self.chooser.period.set_period(ops.info.period)
        self._attach(ops)
        self.assessment_opened.emit()
        self.place_cursor()
        return True

    def ask_how_to_start(self, offer: StartOffer) -> str | None:
        """«Bắt đầu từ kỳ MM/YYYY» (the default) or «Bắt đầu từ phiếu trống»: ``"carry"``, ``"empty"``,
        or ``None`` when cancelled."""
        from .carry_forward import CarryOfferDialog

        dialog = CarryOfferDialog(offer, self)
        self.offer_dialog = dialog
        try:
            dialog.exec()
            return dialog.choice
        finally:
            self.offer_dialog = None
            dialog.deleteLater()

    @property
    def summary(self) -> SummaryPage | None:
        """The summary page of the open assessment (``None`` while none is open).  Built the first time it
        is asked for: opening an assessment on its first unanswered question loads neither the page nor its
        module and chart."""
        if self._summary is None and self.ops is not None:
            from .summary import SummaryPage

            page = SummaryPage(self.pages)
            page.setObjectName("summaryPage")
            page.jump_requested.connect(self.jump_to_item)
            page.finalize_requested.connect(self.finalize)
            page.reopen_requested.connect(self.reopen)
            page.history_requested.connect(self.show_history)
            page.export_requested.connect(lambda: self.export_actions.act_export.trigger())
            self.pages.addWidget(page)
            page.set_ops(self.ops)
            self._summary = page
            self.summary_made.emit()
        return self._summary

    def _attach(self, ops: AssessmentOps) -> None:
        if ops is not self.ops:
            if self.ops is not None:
                self.ops.deleteLater()
            ops.refreshed.connect(self._refreshed)
            ops.saved.connect(self._saved)
            ops.lifecycle.connect(self._lifecycle)
        for form in self.forms.values():
            self.pages.removeWidget(form)
            form.deleteLater()
        self.forms = {}
        self.left_sections = set()
        self.ops = ops
        self._checklist_key = ops.checklist.key
        if self._summary is not None:
            self._summary.set_ops(ops)
        self._switching = True
        try:
            self.section_list.clear()
            for _section in ops.checklist.sections:
                self.section_list.addItem(QListWidgetItem())
            summary_item = QListWidgetItem()
            summary_item.setIcon(badge_icon(Badge.SUMMARY))
            self.section_list.addItem(summary_item)
            self.current_row = -1
        finally:
            self._switching = False
        self.stack.setCurrentWidget(self.assessment_page)
        self._fit_section_list()
        self.saved_label.setText("")
        self._refreshed()
        # Shown once filled: a visible progress bar repaints itself at once when its value changes (QProgressBar's
        # setValue calls repaint()), a paint the window's own next paint makes again.
        for widget in (self.state_label, self.progress, self.score_label, self.saved_label):
            widget.show()
        self.go_to_row(self._first_open_row())
        self._update_actions()

    def first_unanswered(self) -> str | None:
        """The first question that applies and has no answer, in the checklist's order."""
        from ..checklist.model import ItemType

        assert self.ops is not None
        relevant = self.ops.standing().relevant
        for section in self.ops.checklist.sections:
            if not relevant.get(section.id):
                continue
            for item in section.items:
                if not relevant.get(item.id):
                    continue
                empty = not self.ops.rows(item.id) if item.type is ItemType.TABLE else self.ops.value(item.id) is None
                if empty:
                    return item.id
        return None

    def place_cursor(self) -> None:
        """Where the officer types next: the first unanswered question of a draft; when every question
        is answered, «Hoàn thành đánh giá»; for a finalized assessment, «Xuất tệp gửi Sở…».  Never the
        «Mở» button or the section list, where the first keystrokes were lost or moved the list."""
        if self.ops is None:
            return
        item_id = self.first_unanswered() if self.ops.editable else None
        if item_id is not None:
            self.jump_to_item(item_id)
            return
        self.show_summary()
        assert self.summary is not None
        self.summary.ensureWidgetVisible(self.summary.status_box)
        self.summary.next_step().setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_open_row(self) -> int:
        """Where to start: the first section with required answers missing (else the first)."""
        assert self.ops is not None
        result = self.ops.standing()
        if not self.ops.editable:
            return len(self.ops.checklist.sections)
        if self.ops.carried:  # a period started from the last one: the first section with something to look at
            pending = {a.section_id for a in self.ops.review().pending()}
            for index, section in enumerate(self.ops.checklist.sections):
                if section.id in pending and result.relevant.get(section.id):
                    return index
        for index, section_result in enumerate(result.sections):
            if section_result.relevant and section_result.required_missing:
                return index
        return 0

    # == navigation ========================================================================
    @property
    def summary_row(self) -> int:
        return len(self.ops.checklist.sections) if self.ops else -1

    def go_to_row(self, row: int) -> None:
        if self.ops is None or not (0 <= row <= self.summary_row):
            return
        self.section_list.setCurrentRow(row)
        if self.current_row != row:  # setCurrentRow did not fire (same row)
            self._row_changed(row)

    def go_to_section(self, section_id: str) -> None:
        assert self.ops is not None
        ids = [s.id for s in self.ops.checklist.sections]
        self.go_to_row(ids.index(section_id))

    def show_summary(self) -> None:
        self.go_to_row(self.summary_row)

    def _visible_rows(self) -> list[int]:
        return [row for row in range(self.section_list.count()) if not self.section_list.item(row).isHidden()]

    def next_section(self) -> None:
        later = [row for row in self._visible_rows() if row > self.current_row]
        if later:
            self.go_to_row(later[0])

    def previous_section(self) -> None:
        earlier = [row for row in self._visible_rows() if row < self.current_row]
        if earlier:
            self.go_to_row(earlier[-1])

    def form(self, section_id: str) -> SectionForm:
        """The form of a section (built the first time it is needed)."""
        from .section_form import SectionForm

        assert self.ops is not None
        if section_id not in self.forms:
            sections = self.ops.checklist.sections
            index = [s.id for s in sections].index(section_id)
            form = SectionForm(self.ops, sections[index], index + 1, self.pages)
            form.setObjectName(f"form_{section_id}")
            form.set_show_missing(section_id in self.left_sections)
            form.refused_changed.connect(lambda: self._update_sections(self.ops.standing()) if self.ops else None)
            self.forms[section_id] = form
            self.pages.addWidget(form)
        return self.forms[section_id]

    def current_form(self) -> SectionForm | None:
        widget = self.pages.currentWidget()
        return widget if widget in self.forms.values() else None  # type: ignore[return-value]

    def _row_changed(self, row: int) -> None:
        if self._switching or self.ops is None or row < 0:
            return
        previous = self.current_row
        sections = self.ops.checklist.sections
        if 0 <= previous < len(sections) and previous != row:
            left = sections[previous].id
            if left in self.forms:
                self.forms[left].flush()
            if left not in self.left_sections:
                self.left_sections.add(left)
                if left in self.forms:
                    self.forms[left].set_show_missing(True)
                self._update_sections(self.ops.standing())
        self.current_row = row
        if row < len(sections):
            form = self.form(sections[row].id)
            self.pages.setCurrentWidget(form)
        else:
            assert self.summary is not None
            self.summary.refresh()
            self.pages.setCurrentWidget(self.summary)
            # Shown here for the first time since it was filled: lay it out now, as it was when it was laid
            # out while the assessment opened (what is read from it or grabbed at once has its final size).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._update_nav()

    def jump_to_item(self, item_id: str) -> None:
        """Show an item's section and put the cursor in it (from the summary's lists)."""
        if self.ops is None:
            return
        section = self.ops.checklist.section_of(item_id)
        self.go_to_section(section.id)
        form = self.forms[section.id]
        QTimer.singleShot(0, lambda: form.scroll_to(item_id) if item_id in form.items else None)
        form.scroll_to(item_id)

    def focus_chooser(self) -> None:
        self.chooser.commune.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.chooser.commune.selectAll()

    # == after every save ==================================================================
    def flush(self) -> None:
        """Save what is still being typed (before switching, finalizing, closing)."""
        for form in self.forms.values():
            form.flush()

    def _saved(self, _item_id: str) -> None:
        self._render_saved()

    def _render_saved(self) -> None:
        if self.ops is None or self.ops.last_saved is None:
            self.saved_label.setText("")
            return
        self.saved_label.setText(t(f"Đã lưu lúc {self.ops.last_saved:%H:%M:%S}", f"Saved at {self.ops.last_saved:%H:%M:%S}"))

    def _refreshed(self) -> None:
        if self.ops is None:
            return
        result = self.ops.standing()
        for form in self.forms.values():
            form.refresh(result)
        self._update_sections(result)
        self._update_status(result)
        if self._summary is not None and self.pages.currentWidget() is self._summary:
            self._summary.refresh()
        self._update_nav()

    def _lifecycle(self) -> None:
        """Finalized or reopened: the revision, the status and what can be edited changed."""
        assert self.ops is not None
        checklist_changed = self.ops.checklist.key != self._checklist_key
        if checklist_changed:  # reopened against a newer checklist: build the forms again
            row = self.current_row
            self._attach(self.ops)
            self.go_to_row(min(row, self.summary_row))
            return
        for form in self.forms.values():
            form.reload()
        self._update_actions()

    def _section_invalid(self, result: ScoreResult, section_id: str) -> bool:
        """A stored answer breaks a rule, or a typed one was refused (and is not saved)."""
        assert self.ops is not None
        ids = {item.id for item in self.ops.checklist.section(section_id).items}
        if any(issue.item in ids and issue.code != "E-ANS-REQUIRED" for issue in result.issues):
            return True
        form = self.forms.get(section_id)
        return form is not None and any(w.typed_error is not None for w in form.items.values() if not w.isHidden())

    def section_badge(self, result: ScoreResult, section_id: str) -> Badge:
        assert self.ops is not None
        section = result.section(section_id)
        if self._section_invalid(result, section_id):
            return Badge.ERRORS
        if section_id in self.left_sections and section.required_missing:
            return Badge.MISSING
        if section.items_total and section.items_answered == 0:
            return Badge.EMPTY
        if section.complete:
            return Badge.COMPLETE
        return Badge.PARTIAL

    def _update_sections(self, result: ScoreResult) -> None:
        assert self.ops is not None
        code = lang()
        review = self.ops.review() if self.ops.carried and self.ops.editable else None
        for row, section in enumerate(self.ops.checklist.sections):
            item = self.section_list.item(row)
            state = result.section(section.id)
            badge = self.section_badge(result, section.id)
            item.setHidden(not state.relevant)
            item.setIcon(badge_icon(badge))
            if badge is Badge.MISSING:
                status = t(f"thiếu {state.required_missing} câu bắt buộc", f"{state.required_missing} required missing")
            else:
                status = _BADGE_TEXT[badge][1 if code == "en" else 0]
            if review is not None and state.relevant:
                to_look = len({a.item_id for a in review.section(section.id) if a.blocking})
                if to_look:
                    status += t(f" · cần xem {to_look} câu", f" · {to_look} to look at")
                elif section.id in review.confirmed:
                    status += t(" · đã xác nhận", " · confirmed")
            item.setText(f"{row + 1}. {section.title.get(code)}\n{state.items_answered}/{state.items_total} · {status}")
            item.setData(Qt.ItemDataRole.UserRole, badge.value)
            item.setForeground(badge.color if badge in (Badge.ERRORS, Badge.MISSING) else self.palette().text().color())
            item.setToolTip(t(f"Đã trả lời {state.items_answered}/{state.items_total} câu; "
                              f"{state.required_missing} câu bắt buộc chưa trả lời.",
                              f"{state.items_answered}/{state.items_total} answered; "
                              f"{state.required_missing} required not answered."))
        summary_item = self.section_list.item(self.summary_row)
        summary_item.setText(t("Tổng hợp kết quả", "Results summary"))
        font = summary_item.font()
        font.setBold(True)
        summary_item.setFont(font)

    def _update_status(self, result: ScoreResult) -> None:
        assert self.ops is not None
        from ..bands import NOT_SCORED, level_band, readable_on
        from ..numbers import integer
        from .score_text import applicable_explanation, format_score

        code = lang()
        info = self.ops.info
        commune = self.ops.commune
        period = f"{info.period[5:]}/{info.period[:4]}"
        state = self.state_text()
        self.state_label.setText(state)
        self.heading.setText(f"<b>{_escape(commune.name)}</b> — " + t(f"kỳ {period}", f"period {period}") + f" · {state}")
        self.setWindowTitle(f"{commune.name} — {period} — {APP_TITLE}")
        answered = sum(s.items_answered for s in result.sections if s.relevant)
        total = sum(s.items_total for s in result.sections if s.relevant)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(answered)
        self.progress.setFormat(t(f"{integer(answered)}/{integer(total)} câu hỏi",
                                  f"{integer(answered, 'en')}/{integer(total, 'en')} questions"))
        self.progress.setToolTip(t(f"Đã trả lời {integer(answered)} trong {integer(total)} câu hỏi áp dụng cho xã. ",
                                   f"{integer(answered, 'en')} of the {integer(total, 'en')} questions that apply "
                                   "are answered. ") + applicable_explanation())
        level = self.ops.checklist.level(result.level_id)
        if result.scored:
            colour = level_band(self.ops.checklist, result.level_id).colour
            self.score_label.setText(
                t("Điểm: ", "Score: ") + f"<b>{format_score(result.score, code)}</b> · "
                f'<span style="background:{colour}; color:{readable_on(colour)}">&nbsp;{_escape(level.label.get(code))}&nbsp;</span>')
        else:
            self.score_label.setText(f'<span style="color:{NOT_SCORED}">' + t("Chưa có điểm", "No score yet") + "</span>")
        if not self.ops.editable:
            when = info.finalized_at.astimezone().strftime("%d/%m/%Y %H:%M") if info.finalized_at else ""
            self.banner_text.setText(t(
                f"Bản đánh giá này đã hoàn thành lúc {when} (lần {info.revision}). Các câu trả lời chỉ để xem.",
                f"This assessment was finalized on {when} (revision {info.revision}). Answers are read-only."))
        self.banner.setVisible(not self.ops.editable)
        self._render_saved()

    def state_text(self) -> str:
        if self.ops is None:
            return ""
        info = self.ops.info
        if info.is_draft:
            return t(f"Bản nháp, lần {info.revision}", f"Draft, revision {info.revision}")
        return t(f"Đã hoàn thành, lần {info.revision}", f"Finalized, revision {info.revision}")

    def _update_nav(self) -> None:
        visible = self._visible_rows()
        has_ops = self.ops is not None
        self.prev_button.setEnabled(has_ops and any(r < self.current_row for r in visible))
        self.next_button.setEnabled(has_ops and any(r > self.current_row for r in visible))
        self.act_prev.setEnabled(self.prev_button.isEnabled())
        self.act_next.setEnabled(self.next_button.isEnabled())
        if not has_ops:
            self.position_label.setText("")
            return
        sections = [r for r in visible if r != self.summary_row]
        if self.current_row == self.summary_row:
            self.position_label.setText(t("Tổng hợp kết quả", "Results summary"))
        elif self.current_row in sections:
            position = sections.index(self.current_row) + 1
            self.position_label.setText(t(f"Phần {position}/{len(sections)}", f"Section {position} of {len(sections)}"))
        later = [r for r in visible if r > self.current_row]
        self.next_button.setText(t("Xem tổng hợp", "See summary") if later == [self.summary_row]
                                 else t("Phần tiếp", "Next section"))

    def _update_actions(self) -> None:
        has_ops = self.ops is not None
        editable = self.ops is not None and self.ops.editable
        self.act_finalize.setEnabled(editable)
        self.act_reopen.setEnabled(has_ops and not editable)
        self.act_history.setEnabled(has_ops)
        self.act_summary.setEnabled(has_ops)
        if not has_ops:
            self.act_prev.setEnabled(False)
            self.act_next.setEnabled(False)

    def _fit_section_list(self) -> None:
        """Wide enough for the section titles, never more than a third of the window."""
        assert self.ops is not None
        metrics = self.section_list.fontMetrics()
        widest = max(metrics.horizontalAdvance(f"10. {s.title.get(code)}")
                     for s in self.ops.checklist.sections for code in ("vi", "en"))
        width = min(widest + 64, max(220, self.width() // 3))
        self.section_list.setMinimumWidth(min(width, 200))
        self.splitter.setSizes([width, max(self.width() - width, 400)])

    # == finalize, reopen, history, about ==================================================
    def finalize(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .operations import StoreError, error_text
        from .score_text import format_score

        if self.ops is None or not self.ops.editable:
            return
        self.flush()
        result = self.ops.result()
        untouched = self.ops.untouched_message(lang())
        if untouched is not None:  # a carried draft: a renew or confirm item not looked at this period
            first = self.ops.review().pending()[0]
            QMessageBox.warning(self, t("Chưa hoàn thành được", "Cannot finalize yet"),
                                untouched + t("\n\nChương trình sẽ chuyển tới câu này.", "\n\nThe program will take you there."))
            self.jump_to_item(first.item_id)
            return
        blocking = result.blocking_issues
        if blocking:
            for section in self.ops.checklist.sections:
                self.left_sections.add(section.id)
            for form in self.forms.values():
                form.set_show_missing(True)
            self._update_sections(result)
            blocker = blocking[0]
            label = self.ops.checklist.item(blocker.item).label.get(lang())
            QMessageBox.warning(self, t("Chưa hoàn thành được", "Cannot finalize yet"), t(
                f"Còn {len(blocking)} câu hỏi bắt buộc chưa trả lời hoặc chưa hợp lệ. "
                f"Câu đầu tiên: «{label}» — {blocker.message}\n\nChương trình sẽ chuyển tới câu này.",
                f"{len(blocking)} required question(s) are not answered or not valid. "
                f"The first: “{label}” — {blocker.message_en}\n\nThe program will take you there."))
            self.jump_to_item(blocker.item)
            return
        from .dialogs import ask

        level = self.ops.checklist.level(result.level_id).label.get(lang())
        if not ask(self, t("Hoàn thành đánh giá", "Finalize assessment"),
                   t(f"Chốt kết quả: {format_score(result.score)}/100 điểm, mức «{level}».\n\n"
                     "Sau khi hoàn thành, các câu trả lời không sửa được nữa (muốn sửa thì «Mở lại để sửa», "
                     "chương trình tạo lần sửa mới và giữ lần này trong lịch sử).\n\nHoàn thành ngay?",
                     f"Result: {format_score(result.score, 'en')}/100, level “{level}”.\n\n"
                     "Once finalized, answers cannot be changed (use “Reopen to edit” to create a new revision; "
                     "this one stays in the history).\n\nFinalize now?"),
                   accept=t("Hoàn thành", "Finalize")):
            return
        try:
            self.ops.finalize()
        except StoreError as error:
            QMessageBox.warning(self, t("Chưa hoàn thành được", "Cannot finalize yet"), error_text(error))
            return
        self.place_cursor()  # the summary, on «Xuất tệp gửi Sở…»

    def reopen(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .operations import StoreError, error_text

        if self.ops is None or self.ops.editable:
            return
        from .dialogs import ask

        revision = self.ops.info.revision
        if not ask(self, t("Mở lại để sửa", "Reopen to edit"),
                   t(f"Chương trình sẽ tạo lần sửa mới (lần {revision + 1}, bản nháp) với các câu trả lời hiện có. "
                     f"Lần {revision} đã hoàn thành vẫn được giữ trong lịch sử.\n\nMở lại?",
                     f"A new draft (revision {revision + 1}) will be created with the current answers. "
                     f"Finalized revision {revision} is kept in the history.\n\nReopen?"),
                   accept=t("Mở lại", "Reopen"), default_accept=True):
            return
        try:
            self.ops.reopen()
        except StoreError as error:
            QMessageBox.warning(self, t("Không mở lại được", "Cannot reopen"), error_text(error))
            return
        if self.first_unanswered() is not None:
            self.place_cursor()
        else:  # reopened to change an answer: the first question, ready to type
            sections = [s for s in self.ops.checklist.sections if self.ops.standing().relevant.get(s.id)]
            if sections:
                self.go_to_section(sections[0].id)
                self.forms[sections[0].id].focus_first()

    def show_history(self) -> None:
        from .history import HistoryDialog

        if self.ops is None:
            return
        commune = self.ops.commune
        period = self.ops.info.period
        title = f"<b>{_escape(commune.name)}</b> — " + t("kỳ", "period") + f" {period[5:]}/{period[:4]}"
        self.history_dialog = HistoryDialog(title, self.ops.history(), self.ops.checklist, self)
        self.history_dialog.open()

    def show_about(self) -> None:
        from ..paths import user_data_dir
        from .about import AboutDialog

        checklist = None
        if self.ops is not None:
            checklist = self.ops.checklist
        elif self.workspace_ops is not None:
            try:
                checklist = self.workspace_ops.latest_checklist()
            except Exception:  # noqa: BLE001 - the dialog still shows the rest
                checklist = None
        url = self.workspace_ops.database_url if self.workspace_ops is not None else ""
        self.about_dialog = AboutDialog(checklist=checklist, database_url=url, data_folder=str(user_data_dir()), parent=self)
        self.about_dialog.open()

    # == language ==========================================================================
    def set_language(self, code: str) -> None:
        set_lang(code)
        if self.workspace_ops is not None:
            self.workspace_ops.set_setting(SETTING_LANG, code)

    def retranslate(self, *_args: object) -> None:
        self.menus["file"].setTitle(t("&Tệp", "&File"))
        self.menus["assessment"].setTitle(t("Đánh &giá", "&Assessment"))
        self.menus["view"].setTitle(t("&Xem", "&View"))
        self.menus["help"].setTitle(t("Trợ g&iúp", "&Help"))
        self.act_open.setText(t("Mở đánh giá…", "Open assessment…"))
        self.act_quit.setText(t("Thoát", "Quit"))
        self.act_finalize.setText(t("Hoàn thành", "Finalize"))
        self.act_reopen.setText(t("Mở lại để sửa", "Reopen to edit"))
        self.act_history.setText(t("Lịch sử…", "History…"))
        self.act_prev.setText(t("Phần trước", "Previous section"))
        self.act_next.setText(t("Phần tiếp", "Next section"))
        self.act_summary.setText(t("Tổng hợp kết quả", "Results summary"))
        self.act_about.setText(t("Giới thiệu", "About"))
        self.act_vi.setChecked(lang() == "vi")
        self.act_en.setChecked(lang() == "en")
        self.prev_button.setText(t("Phần trước", "Previous"))
        self.prev_button.setToolTip("Ctrl+PgUp")
        self.next_button.setToolTip("Ctrl+PgDown")
        self.banner_reopen.setText(t("Mở lại để sửa", "Reopen to edit"))
        self._welcome_words()
        if self.ops is None:
            self.setWindowTitle(APP_TITLE)
        else:
            self._refreshed()

    # == closing ===========================================================================
    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
