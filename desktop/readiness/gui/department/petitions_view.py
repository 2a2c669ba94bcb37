"""«Kiến nghị»: the communes' difficulties and proposals, and how the department handles them.

The list is what ``readiness petitions list`` prints (by period, province; the current revision's
or every revision's), loaded on the worker through :mod:`readiness.gui.operations.department`,
then narrowed in the table by status, topic, addressee, commune and words.  Rows can be selected
many at a time (Ctrl/Shift+click, Ctrl+A): the panel then forwards or answers them all together,
with one response and one reference letter (``readiness petitions update --ids``), in one
transaction on the UI thread (a few milliseconds; on disk before the panel says «Đã lưu»).
«Viết công văn trả lời…» writes the reply letter (``readiness petitions reply``) for the selected
petitions or for every answered one the table shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...text import sort_key
from ..i18n import language, t
from ..operations import Latest, Step, WorkspaceOps
from .labels import PETITION_COLORS, escape, forward_targets, period_text, petition_status_label
from .models import PetitionsModel, PetitionsProxy
from .scope import ScopeBar, index_of, refill

if TYPE_CHECKING:
    from ...department.petitions import Petition
    from ...service import Workspace
    from ..operations import JobContext, Runner

REF_EXAMPLE = "Công văn 2984/SKHCN-VP ngày 20/11/2025"


class PetitionEditor(QGroupBox):
    """The handling of one petition: status, forwarded to, response, response reference; «Lưu»."""

    saved = Signal(object)  # the Petition as stored

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("petitionEditor")
        self.workspace = workspace
        self.petition: Petition | None = None
        self.many: list[Petition] = []  # several selected: one handling for all of them
        self._filling = False
        layout = QVBoxLayout(self)
        self.content = QTextBrowser(self)
        self.content.setObjectName("petitionContent")
        layout.addWidget(self.content, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = QComboBox(self)
        self.status.setObjectName("petitionStatus")
        self.forwarded_to = QComboBox(self)
        self.forwarded_to.setObjectName("petitionForwardedTo")
        self.forwarded_to.setEditable(True)
        self.forwarded_to.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.forwarded_to.addItem("")
        self.forwarded_to.addItems(list(forward_targets(WorkspaceOps(workspace).document_settings())))
        self.response = QPlainTextEdit(self)
        self.response.setObjectName("petitionResponse")
        self.response.setTabChangesFocus(True)
        self.response.setMaximumHeight(self.fontMetrics().height() * 5)
        self.response_ref = QLineEdit(self)
        self.response_ref.setObjectName("petitionResponseRef")
        self.status_label = QLabel(self)
        self.forwarded_label = QLabel(self)
        self.response_label = QLabel(self)
        self.ref_label = QLabel(self)
        form.addRow(self.status_label, self.status)
        form.addRow(self.forwarded_label, self.forwarded_to)
        form.addRow(self.response_label, self.response)
        form.addRow(self.ref_label, self.response_ref)
        layout.addLayout(form)
        self.preview = QLabel(self)
        self.preview.setObjectName("petitionPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setStyleSheet("#petitionPreview { background: #f5f5f5; border: 1px solid #ddd; padding: 4px; }")
        layout.addWidget(self.preview)
        buttons = QHBoxLayout()
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("petitionSaved")
        self.revert_button = QPushButton(self)
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("petitionSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.status.currentIndexChanged.connect(self._changed)
        self.forwarded_to.currentTextChanged.connect(self._changed)
        self.response.textChanged.connect(self._changed)
        self.response_ref.textChanged.connect(self._changed)
        language().changed.connect(self.retranslate)
        self.retranslate()
        self.set_petition(None)

    def retranslate(self, *_args: object) -> None:
        self.setTitle(t("Xử lý kiến nghị", "Handle the petition"))
        self.status_label.setText(t("Trạng thái:", "Status:"))
        self.forwarded_label.setText(t("Chuyển đến:", "Forwarded to:"))
        self.response_label.setText(t("Nội dung trả lời:", "Response:"))
        self.ref_label.setText(t("Số, ngày văn bản:", "Letter reference:"))
        self._fill_statuses()
        self.revert_button.setText(t("Hoàn tác", "Revert"))
        self._update_save_text()
        self._placeholders()
        self._show_content()
        self._update_preview()

    def _fill_statuses(self) -> None:
        from ...department.petitions import STATUSES

        keep = [(t("(giữ nguyên trạng thái)", "(keep each status)"), None)] if self.many else []
        self._filling = True
        refill(self.status, keep + [(petition_status_label(s), s) for s in STATUSES])
        self._filling = False

    def _update_save_text(self) -> None:
        if self.many:
            self.save_button.setText(t(f"Lưu cho {len(self.many)} kiến nghị", f"Save for {len(self.many)} petitions"))
        else:
            self.save_button.setText(t("Lưu", "Save"))

    def _placeholders(self) -> None:
        keep = t("để trống: giữ nguyên", "blank: keep as is")
        if self.many:
            self.forwarded_to.lineEdit().setPlaceholderText(keep)  # type: ignore[union-attr]  # an editable combo
            self.response.setPlaceholderText(keep)
            self.response_ref.setPlaceholderText(keep)
        else:
            self.forwarded_to.lineEdit().setPlaceholderText(  # type: ignore[union-attr]  # an editable combo
                t("Chọn hoặc gõ tên cơ quan", "Choose or type the agency"))
            self.response.setPlaceholderText("")
            self.response_ref.setPlaceholderText(t(f"ví dụ: {REF_EXAMPLE}", f"e.g. {REF_EXAMPLE}"))

    # -- showing -----------------------------------------------------------------------------------
    def set_selection(self, petitions: list[Petition]) -> None:
        """The rows selected: none, one (its own handling) or several (one handling for all)."""
        if len(petitions) <= 1:
            self.set_petition(petitions[0] if petitions else None)
            return
        self.petition = None
        self.many = list(petitions)
        self._fill_statuses()
        self._filling = True
        self.status.setCurrentIndex(0)
        self.forwarded_to.setCurrentText("")
        self.response.setPlainText("")
        self.response_ref.setText("")
        self._filling = False
        for widget in (self.status, self.forwarded_to, self.response, self.response_ref):
            widget.setEnabled(True)
        self.saved_label.setText("")
        self._update_save_text()
        self._placeholders()
        self._show_content()
        self._update_buttons()
        self._update_preview()

    def set_petition(self, petition: Petition | None) -> None:
        was_many = bool(self.many)
        self.many = []
        if was_many:
            self._fill_statuses()
            self._update_save_text()
            self._placeholders()
        self.petition = petition
        self._filling = True
        self.status.setCurrentIndex(max(index_of(self.status, petition.status if petition else "new"), 0))
        self.forwarded_to.setCurrentText(petition.forwarded_to or "" if petition else "")
        self.response.setPlainText(petition.response or "" if petition else "")
        self.response_ref.setText(petition.response_ref or "" if petition else "")
        self._filling = False
        for widget in (self.status, self.forwarded_to, self.response, self.response_ref):
            widget.setEnabled(petition is not None)
        self.saved_label.setText("")
        self._show_content()
        self._update_buttons()
        self._update_preview()

    def _show_content(self) -> None:
        p = self.petition
        if self.many:
            communes = len({q.commune_code for q in self.many})
            lines = "".join(f"<li>{escape(q.commune_name)} — {escape(_short(q.proposal or q.difficulty or ''))} "
                            f"<span style='color:#666'>({escape(petition_status_label(q.status))})</span></li>"
                            for q in self.many[:40])
            more = t(f"<p>… và {len(self.many) - 40} kiến nghị khác</p>", f"<p>… and {len(self.many) - 40} more</p>") \
                if len(self.many) > 40 else ""
            self.content.setHtml(
                f"<p><b>{escape(t(f'Đã chọn {len(self.many)} kiến nghị của {communes} đơn vị', f'{len(self.many)} petitions of {communes} communes selected'))}</b>"
                f" — {escape(t('một cách xử lý cho tất cả:', 'one handling for all of them:'))}</p><ul>{lines}</ul>{more}")
            return
        if p is None:
            self.content.setHtml(f"<p style='color:#666'>{escape(t('Chọn một kiến nghị trong bảng để xem và xử lý.', 'Select a petition to see and handle it.'))}</p>")
            return
        rows = [(t("Xã, phường", "Commune"), f"{p.commune_name} ({p.commune_code})"),
                (t("Kỳ", "Period"), period_text(p.period)),
                (t("Lĩnh vực", "Topic"), p.topic_label or ""),
                (t("Khó khăn", "Difficulty"), p.difficulty or ""),
                (t("Đề xuất", "Proposal"), p.proposal or ""),
                (t("Kính gửi", "Addressed to"), p.addressed_to or "")]
        html = "".join(f"<p style='margin:2px 0'><b>{escape(k)}:</b> {escape(v).replace(chr(10), '<br>')}</p>"
                       for k, v in rows if v)
        self.content.setHtml(html)

    def values(self) -> dict[str, Any]:
        default = None if self.many else "new"
        return {"status": self.status.currentData() or default, "forwarded_to": self.forwarded_to.currentText().strip(),
                "response": self.response.toPlainText().strip(), "response_ref": self.response_ref.text().strip()}

    @property
    def dirty(self) -> bool:
        if self.many:
            v = self.values()
            return bool(v["status"] or v["forwarded_to"] or v["response"] or v["response_ref"])
        p = self.petition
        if p is None:
            return False
        v = self.values()
        return (v["status"] != p.status or v["forwarded_to"] != (p.forwarded_to or "")
                or v["response"] != (p.response or "") or v["response_ref"] != (p.response_ref or ""))

    def _changed(self, *_args: object) -> None:
        if self._filling:
            return
        self.saved_label.setText("")
        self._update_buttons()
        self._update_preview()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)

    def _update_preview(self) -> None:
        p = self.petition or (self.many[0] if self.many else None)
        if p is None:
            self.preview.setText("")
            return
        from ...department.petitions import recommendation_text, resolution_text

        v = self.values()
        if self.many:  # blank fields keep each petition's own: the first one shows what it gives
            draft = replace(p, status=v["status"] or p.status, forwarded_to=v["forwarded_to"] or p.forwarded_to,
                            response=v["response"] or p.response, response_ref=v["response_ref"] or p.response_ref)
        else:
            draft = replace(p, status=v["status"], forwarded_to=v["forwarded_to"] or None,
                            response=v["response"] or None, response_ref=v["response_ref"] or None)
        fg, _bg = PETITION_COLORS.get(draft.status, ("#000", "#fff"))
        text = (f"<b>{escape(t('Phụ lục báo cáo — Tình hình giải quyết:', 'Report annex — resolution:'))}</b> "
                f"<span style='color:{fg}'>{escape(resolution_text(draft))}</span>")
        recommendation = recommendation_text(draft)
        if recommendation:
            text += f"<br><b>{escape(t('Đề xuất, kiến nghị:', 'Recommendation:'))}</b> {escape(recommendation)}"
        self.preview.setText(text)

    def revert(self) -> None:
        if self.many:
            self.set_selection(self.many)
        else:
            self.set_petition(self.petition)

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the handling (one transaction); False when refused or nothing to save."""
        from ...department.petitions import STATUSES
        from ..operations import StoreError, error_text
        from ..operations.department import update_petitions

        if self.many:
            return self._save_many()
        p = self.petition
        if p is None or not self.dirty:
            return False
        v = self.values()
        if not self._complete(v):
            return False
        force = False
        if STATUSES.index(v["status"]) < STATUSES.index(p.status):
            answer = QMessageBox.question(
                self, t("Chuyển ngược trạng thái", "Move the status back"),
                t(f"Kiến nghị đang «{petition_status_label(p.status)}». Chuyển ngược về «{petition_status_label(v['status'])}»?",
                  f"The petition is “{petition_status_label(p.status)}”. Move it back to “{petition_status_label(v['status'])}”?"))
            if answer != QMessageBox.StandardButton.Yes:
                return False
            force = True
        try:
            stored = update_petitions(self.workspace, [p.id], status=v["status"], forwarded_to=v["forwarded_to"],
                                      response=v["response"], response_ref=v["response_ref"], force=force)[0]
        except StoreError as error:
            QMessageBox.warning(self, t("Không lưu được", "Not saved"), error_text(error))
            return False
        self.set_petition(stored)
        self._said_saved()
        self.saved.emit(stored)
        return True

    def _complete(self, v: dict) -> bool:
        """What a forwarded or answered petition needs is there (asked here so the field can be focused)."""
        if v["status"] == "forwarded" and not v["forwarded_to"] and not self.many:
            QMessageBox.warning(self, t("Thiếu cơ quan được chuyển", "Agency missing"),
                                t("Chuyển kiến nghị thì phải chọn hoặc gõ cơ quan được chuyển (ví dụ Sở Tài chính).",
                                  "A forwarded petition needs the agency it went to (e.g. Sở Tài chính)."))
            self.forwarded_to.setFocus()
            return False
        if v["status"] == "answered" and not (v["response"] or v["response_ref"]) and not self.many:
            QMessageBox.warning(self, t("Thiếu nội dung trả lời", "Response missing"),
                                t(f"Đã trả lời thì phải ghi nội dung trả lời hoặc số, ngày văn bản (ví dụ {REF_EXAMPLE}).",
                                  f"An answered petition needs the response or the letter's reference (e.g. {REF_EXAMPLE})."))
            self.response_ref.setFocus()
            return False
        return True

    def _said_saved(self, count: int = 1) -> None:
        now = dt.datetime.now()
        if count > 1:
            self.saved_label.setText(t(f"Đã lưu {count} kiến nghị lúc {now:%H:%M:%S}",
                                       f"{count} petitions saved at {now:%H:%M:%S}"))
        else:
            self.saved_label.setText(t(f"Đã lưu lúc {now:%H:%M:%S}", f"Saved at {now:%H:%M:%S}"))

    def _save_many(self) -> bool:
        """One handling for every selected petition: asked once, stored in one transaction (or none)."""
        from ..operations import StoreError, error_text
        from ..operations.department import update_petitions

        if not self.dirty:
            return False
        v = self.values()
        many = self.many
        communes = len({p.commune_code for p in many})
        what = []
        if v["status"]:
            what.append(t(f"trạng thái «{petition_status_label(v['status'])}»", f"status “{petition_status_label(v['status'])}”"))
        if v["forwarded_to"]:
            what.append(t(f"chuyển {v['forwarded_to']}", f"forwarded to {v['forwarded_to']}"))
        if v["response"]:
            what.append(t("cùng một nội dung trả lời", "one response"))
        if v["response_ref"]:
            what.append(v["response_ref"])
        answer = QMessageBox.question(
            self, t("Cập nhật nhiều kiến nghị", "Update several petitions"),
            t(f"Cập nhật {len(many)} kiến nghị của {communes} đơn vị: {'; '.join(what)}?",
              f"Update {len(many)} petitions of {communes} communes: {'; '.join(what)}?"))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changes: dict[str, Any] = dict(status=v["status"], forwarded_to=v["forwarded_to"] or None, response=v["response"] or None,
                       response_ref=v["response_ref"] or None)
        try:
            stored = update_petitions(self.workspace, [p.id for p in many], **changes)
        except StoreError as error:
            if error.code != "E-PETITION-TRANSITION":
                QMessageBox.warning(self, t("Không lưu được", "Not saved"),
                                    error_text(error, after=t("Không kiến nghị nào thay đổi.", "No petition changed.")))
                return False
            again = QMessageBox.question(
                self, t("Chuyển ngược trạng thái", "Move the status back"),
                t(f"{error.message}\n\nVẫn cập nhật, kể cả chuyển ngược trạng thái của những kiến nghị đó?",
                  f"{error.message}\n\nUpdate anyway, moving those back too?"))
            if again != QMessageBox.StandardButton.Yes:
                return False
            try:
                stored = update_petitions(self.workspace, [p.id for p in many], force=True, **changes)
            except StoreError as second:
                QMessageBox.warning(self, t("Không lưu được", "Not saved"), error_text(second))
                return False
        self.set_selection(stored)
        self._said_saved(len(stored))
        for petition in stored:
            self.saved.emit(petition)
        return True


def _names_department(name: str) -> bool:
    from ..operations.department import addressed_matches

    return addressed_matches("Sở KHCN", name)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


class PetitionsPage(QWidget):
    loaded = Signal()
    reply_requested = Signal()  # «Viết công văn trả lời…»: the window opens the dialog

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("petitionsPage")
        self.workspace = workspace
        self.worker = worker
        self.load = Latest(worker, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        bar = QHBoxLayout()
        self.period_label = QLabel(self)
        self.period = QComboBox(self)
        self.period.setObjectName("petitionPeriod")
        self.period_label.setBuddy(self.period)
        self.scope = ScopeBar(self, province_only=True)
        self.status_label = QLabel(self)
        self.status = QComboBox(self)
        self.status.setObjectName("petitionStatusFilter")
        self.status_label.setBuddy(self.status)
        self.all_revisions = QCheckBox(self)
        self.all_revisions.setObjectName("petitionAllRevisions")
        self.search = QLineEdit(self)
        self.search.setObjectName("petitionSearch")
        self.search.setClearButtonEnabled(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(90)
        self.busy.hide()
        self.counts = QLabel(self)
        for widget in (self.period_label, self.period, self.scope, self.status_label, self.status, self.all_revisions):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.busy)
        layout.addLayout(bar)
        filters = QHBoxLayout()
        self.topic_label, self.addressee_label, self.commune_label = QLabel(self), QLabel(self), QLabel(self)
        self.topic = QComboBox(self)
        self.topic.setObjectName("petitionTopicFilter")
        self.addressee = QComboBox(self)
        self.addressee.setObjectName("petitionAddresseeFilter")
        self.commune = QComboBox(self)
        self.commune.setObjectName("petitionCommuneFilter")
        self.commune.setMaxVisibleItems(20)
        for label, combo in ((self.topic_label, self.topic), (self.addressee_label, self.addressee),
                             (self.commune_label, self.commune)):
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filters_changed)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)
        layout.addLayout(filters)
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.counts, 1)
        self.select_all = QPushButton(self)
        self.select_all.setObjectName("petitionSelectAll")
        self.select_all.clicked.connect(self.select_shown)
        self.reply_button = QPushButton(self)
        self.reply_button.setObjectName("petitionReply")
        self.reply_button.clicked.connect(self.reply_requested.emit)
        counts_row.addWidget(self.select_all)
        counts_row.addWidget(self.reply_button)
        layout.addLayout(counts_row)
        self.topics: dict[str, str] = {}

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = PetitionsModel(self)
        self.proxy = PetitionsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(splitter)
        self.table.setObjectName("petitionsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in ((PetitionsModel.COMMUNE, "Phường Cẩm Thành"), (PetitionsModel.PERIOD, "11/2025"),
                               (PetitionsModel.TOPIC, "Hạ tầng mạng"), (PetitionsModel.DIFFICULTY, "x" * 24),
                               (PetitionsModel.PROPOSAL, "x" * 24), (PetitionsModel.ADDRESSED, "Sở Tài chính"),
                               (PetitionsModel.STATUS, "Đã giải quyết"), (PetitionsModel.FORWARDED, "Sở Tài chính")):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            self.table.setColumnWidth(column, max(metrics.horizontalAdvance(sample),
                                                  self.table.horizontalHeader().fontMetrics().horizontalAdvance(title)) + 16)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editor = PetitionEditor(workspace, splitter)
        self.editor.saved.connect(self._saved)
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([950, 400])
        layout.addWidget(splitter, 1)

        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.scope.changed.connect(self.reload)
        self.all_revisions.toggled.connect(lambda _c: self.reload())
        self.status.currentIndexChanged.connect(self._status_changed)
        self.search.textChanged.connect(self._search_changed)
        language().changed.connect(self.retranslate)
        self.periods: list[str] = []
        self.retranslate()

    def set_store(self) -> None:
        self.scope.blockSignals(True)
        self.scope.set_register(WorkspaceOps(self.workspace))
        self.scope.blockSignals(False)

    def set_periods(self, periods: list[str], current: str | None = None) -> None:
        """The periods to choose from (newest first); ``current`` chosen (None: every period)."""
        self.periods = list(periods)
        self.period.blockSignals(True)
        self._fill_periods()
        index = index_of(self.period, current)
        self.period.setCurrentIndex(max(index, 0))
        self.period.blockSignals(False)

    def _fill_periods(self) -> None:
        refill(self.period, [(t("Mọi kỳ", "Every period"), None)] + [(period_text(p), p) for p in self.periods])

    def retranslate(self, *_args: object) -> None:
        from ...department.petitions import STATUSES

        self.period_label.setText(t("Kỳ:", "Period:"))
        self.period.blockSignals(True)
        self._fill_periods()
        self.period.blockSignals(False)
        self.status_label.setText(t("Trạng thái:", "Status:"))
        self.status.blockSignals(True)
        refill(self.status, [(t("Tất cả", "All"), None)] + [(petition_status_label(s), s) for s in STATUSES])
        self.status.blockSignals(False)
        self.all_revisions.setText(t("Cả các lần nộp trước", "Earlier revisions too"))
        self.search.setPlaceholderText(t("Tìm trong tên xã, khó khăn, đề xuất…", "Search commune, difficulty, proposal…"))
        self.topic_label.setText(t("Lĩnh vực:", "Topic:"))
        self.addressee_label.setText(t("Kính gửi:", "Addressed to:"))
        self.commune_label.setText(t("Xã, phường:", "Commune:"))
        self.select_all.setText(t("Chọn tất cả đang xem", "Select all shown"))
        self.select_all.setToolTip(t("Chọn mọi kiến nghị đang xem để xử lý cùng lúc (Ctrl+A)",
                                     "Select every petition shown to handle them together (Ctrl+A)"))
        self.reply_button.setText(t("Viết công văn trả lời…", "Write the reply letter…"))
        self.reply_button.setToolTip(t("Công văn trả lời các kiến nghị đang chọn (hoặc mọi kiến nghị đã trả lời đang xem)",
                                       "A letter answering the selected petitions (or every answered one shown)"))
        self._fill_filters()
        self.model.retranslate()
        self._update_counts()

    def _fill_filters(self) -> None:
        """Topics of the checklist, addressees and communes of the petitions loaded."""
        petitions = self.model.petitions
        topics = dict(self.topics)
        for p in petitions:
            if p.topic and p.topic not in topics:
                topics[p.topic] = p.topic_label or p.topic
        refill(self.topic, [(t("Tất cả", "All"), None)] + [(label, tid) for tid, label in topics.items()])
        short = WorkspaceOps(self.workspace).document_settings().short_name
        addressees = sorted({" ".join((p.addressed_to or "").split()) for p in petitions} - {""}, key=sort_key)
        refill(self.addressee, [(t("Tất cả", "All"), None),
                                (t(f"{short} (kể cả không ghi)", f"{short} (or none given)"), short)]
               + [(name, name) for name in addressees if not _names_department(name)])
        communes = {p.commune_code: p.commune_name for p in petitions}
        ordered = sorted(communes.items(), key=lambda pair: (sort_key(pair[1]), pair[0]))
        refill(self.commune, [(t("Tất cả", "All"), None)] + [(name, code) for code, name in ordered])

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_filters(topic=self.topic.currentData(), addressee=self.addressee.currentData(),
                               commune=self.commune.currentData())
        self._update_counts()

    def select_shown(self) -> None:
        self.table.selectAll()
        self.table.setFocus()

    def selected_petitions(self) -> list[Petition]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.object_at(row) for row in rows]

    def shown_petitions(self) -> list[Petition]:
        return [self.proxy.object_at(row) for row in range(self.proxy.rowCount())]

    # -- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the petitions of what is chosen now (a load under way is dropped: only the newest is shown)."""
        from ..operations.department import petition_filter, petition_topics, petitions

        period = self.period.currentData()
        province = self.scope.province_code
        current_only = not self.all_revisions.isChecked()
        workspace = self.workspace
        where = petition_filter(period=period, province=province, current_only=current_only)

        def work(_context: JobContext) -> tuple[list[Petition], dict[str, str]]:
            return petitions(workspace, where), petition_topics(workspace)

        self.busy.show()
        self.load.start(Step("petitions", work, self._loaded), failed=self._failed)

    def _loaded(self, loaded: tuple[list[Petition], dict[str, str]]) -> None:
        petitions, self.topics = loaded
        self.busy.hide()
        self.table.setColumnHidden(PetitionsModel.PERIOD, self.period.currentData() is not None)  # one period: said above
        selected = self.editor.petition.id if self.editor.petition else None
        self.model.set_petitions(petitions)
        self._fill_filters()
        self._filters_changed()
        if selected is not None and not self.select_petition(selected):
            self.editor.set_petition(None)
        self.loaded.emit()

    def _failed(self, code: str, message: str) -> None:
        self.busy.hide()
        from ..operations import failure_text

        QMessageBox.warning(self, t("Không tải được kiến nghị", "Could not load the petitions"),
                            failure_text(code, message))

    @property
    def loading(self) -> bool:
        return self.load.loading

    # -- filters, selection --------------------------------------------------------------------------
    def _status_changed(self, *_args: object) -> None:
        status = self.status.currentData()
        self.proxy.set_keys({status} if status else None)
        self._update_counts()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_counts()

    def _update_counts(self) -> None:
        from ...department.petitions import STATUSES, counts_by_status

        counts = counts_by_status(self.model.petitions)
        parts = "; ".join(f"{petition_status_label(s)}: {counts.get(s, 0)}" for s in STATUSES)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        chosen = len(self.table.selectionModel().selectedRows()) if hasattr(self, "table") else 0
        picked = t(f"; đang chọn {chosen}", f"; {chosen} selected") if chosen > 1 else ""
        self.counts.setText(t(f"Đang xem {shown}/{total} kiến nghị — {parts}{picked}",
                              f"Showing {shown}/{total} petitions — {parts}{picked}"))

    def select_petition(self, petition_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.object_at(row).id == petition_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def _selection_changed(self, selected: QItemSelection | None = None, _deselected: QItemSelection | None = None) -> None:
        chosen = self.selected_petitions()
        current = self.editor.petition
        if current is not None and self.editor.dirty and [p.id for p in chosen] != [current.id]:
            answer = QMessageBox.question(self, t("Lưu thay đổi?", "Save the changes?"),
                                          t(f"Kiến nghị của {current.commune_name} đã sửa mà chưa lưu. Lưu ngay?",
                                            f"The petition of {current.commune_name} was changed. Save it now?"))
            if answer == QMessageBox.StandardButton.Yes:
                self.editor.save()
        if len(chosen) > 1:
            self.editor.set_selection(chosen)
        elif not chosen or current is None or chosen[0].id != current.id or self.editor.many:
            self.editor.set_selection(chosen)
        self._update_counts()

    def _saved(self, petition: Petition) -> None:
        self.model.replace(petition)
        self._update_counts()
