"""«Kiến nghị»: the communes' difficulties and proposals, and how the department handles them.

The list is :func:`readiness.department.petitions.list_petitions` (what ``readiness petitions list``
prints: by period, province, status, words; the current revision's or every revision's), loaded on
the worker.  Editing one petition — status, the department it was forwarded to, the response and
its letter's reference — goes through :func:`readiness.department.petitions.update_petition`, one
transaction per save, on the UI thread: like the commune's answers (gui/operations/) it is a
few milliseconds, and it must be on disk before the panel says «Đã lưu».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

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

from ..i18n import language, t
from ..operations import WorkspaceOps
from .labels import DEPARTMENTS, PETITION_COLORS, escape, period_text, petition_status_label
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
        self.forwarded_to.addItems(list(DEPARTMENTS))
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
        from ...department.petitions import STATUSES

        self.setTitle(t("Xử lý kiến nghị", "Handle the petition"))
        self.status_label.setText(t("Trạng thái:", "Status:"))
        self.forwarded_label.setText(t("Chuyển đến:", "Forwarded to:"))
        self.response_label.setText(t("Nội dung trả lời:", "Response:"))
        self.ref_label.setText(t("Số, ngày văn bản:", "Letter reference:"))
        self.forwarded_to.lineEdit().setPlaceholderText(t("Chọn hoặc gõ tên cơ quan", "Choose or type the agency"))
        self.response_ref.setPlaceholderText(t(f"ví dụ: {REF_EXAMPLE}", f"e.g. {REF_EXAMPLE}"))
        self._filling = True
        refill(self.status, [(petition_status_label(s), s) for s in STATUSES])
        self._filling = False
        self.revert_button.setText(t("Hoàn tác", "Revert"))
        self.save_button.setText(t("Lưu", "Save"))
        self._show_content()
        self._update_preview()

    # -- showing -----------------------------------------------------------------------------------
    def set_petition(self, petition: Petition | None) -> None:
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

    def values(self) -> dict[str, str]:
        return {"status": self.status.currentData() or "new", "forwarded_to": self.forwarded_to.currentText().strip(),
                "response": self.response.toPlainText().strip(), "response_ref": self.response_ref.text().strip()}

    @property
    def dirty(self) -> bool:
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
        p = self.petition
        if p is None:
            self.preview.setText("")
            return
        from ...department.petitions import recommendation_text, resolution_text

        v = self.values()
        draft = replace(p, status=v["status"], forwarded_to=v["forwarded_to"] or None, response=v["response"] or None,
                        response_ref=v["response_ref"] or None)
        fg, _bg = PETITION_COLORS.get(v["status"], ("#000", "#fff"))
        text = (f"<b>{escape(t('Phụ lục báo cáo — Tình hình giải quyết:', 'Report annex — resolution:'))}</b> "
                f"<span style='color:{fg}'>{escape(resolution_text(draft))}</span>")
        recommendation = recommendation_text(draft)
        if recommendation:
            text += f"<br><b>{escape(t('Đề xuất, kiến nghị:', 'Recommendation:'))}</b> {escape(recommendation)}"
        self.preview.setText(text)

    def revert(self) -> None:
        self.set_petition(self.petition)

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the handling (one transaction); False when refused or nothing to save."""
        from ...department.petitions import STATUSES, update_petition
        from ..operations import StoreError

        p = self.petition
        if p is None or not self.dirty:
            return False
        v = self.values()
        if v["status"] == "forwarded" and not v["forwarded_to"]:
            QMessageBox.warning(self, t("Thiếu cơ quan được chuyển", "Agency missing"),
                                t("Chuyển kiến nghị thì phải chọn hoặc gõ cơ quan được chuyển (ví dụ Sở Tài chính).",
                                  "A forwarded petition needs the agency it went to (e.g. Sở Tài chính)."))
            self.forwarded_to.setFocus()
            return False
        if v["status"] == "answered" and not (v["response"] or v["response_ref"]):
            QMessageBox.warning(self, t("Thiếu nội dung trả lời", "Response missing"),
                                t(f"Đã trả lời thì phải ghi nội dung trả lời hoặc số, ngày văn bản (ví dụ {REF_EXAMPLE}).",
                                  f"An answered petition needs the response or the letter's reference (e.g. {REF_EXAMPLE})."))
            self.response_ref.setFocus()
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
            stored = update_petition(self.workspace, p.id, status=v["status"], forwarded_to=v["forwarded_to"],
                                     response=v["response"], response_ref=v["response_ref"], force=force)
        except StoreError as error:
            QMessageBox.warning(self, t("Không lưu được", "Not saved"), f"{error.message} ({error.code})")
            return False
        self.set_petition(stored)
        self.saved_label.setText(t(f"Đã lưu lúc {dt.datetime.now():%H:%M:%S}", f"Saved at {dt.datetime.now():%H:%M:%S}"))
        self.saved.emit(stored)
        return True


class PetitionsPage(QWidget):
    loaded = Signal()

    def __init__(self, workspace: Workspace, worker: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("petitionsPage")
        self.workspace = workspace
        self.worker = worker
        self._loading = False
        self._pending = False
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
        layout.addWidget(self.counts)

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
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        self.model.retranslate()
        self._update_counts()

    # -- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        if self._loading:
            self._pending = True
            return
        from ...department.petitions import list_petitions

        period = self.period.currentData()
        province = self.scope.province_code
        current_only = not self.all_revisions.isChecked()
        workspace = self.workspace

        def work(_context: JobContext) -> list[Petition]:
            return list_petitions(workspace, period=period, province=province, current_only=current_only)

        self._loading = True
        self._pending = False
        self.busy.show()
        self.worker.submit("petitions", work, finished=self._loaded, failed=self._failed)

    def _loaded(self, petitions: list[Petition]) -> None:
        self._loading = False
        if self._pending:
            self.reload()
            return
        self.busy.hide()
        self.table.setColumnHidden(PetitionsModel.PERIOD, self.period.currentData() is not None)  # one period: said above
        selected = self.editor.petition.id if self.editor.petition else None
        self.model.set_petitions(petitions)
        self._update_counts()
        if selected is not None and not self.select_petition(selected):
            self.editor.set_petition(None)
        self.loaded.emit()

    def _failed(self, code: str, message: str) -> None:
        self._loading = False
        self.busy.hide()
        if self._pending:
            self.reload()
            return
        QMessageBox.warning(self, t("Không tải được kiến nghị", "Could not load the petitions"), f"{message} ({code})")

    @property
    def loading(self) -> bool:
        return self._loading

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
        self.counts.setText(t(f"Đang xem {shown}/{total} kiến nghị — {parts}", f"Showing {shown}/{total} petitions — {parts}"))

    def select_petition(self, petition_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.object_at(row).id == petition_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def _selection_changed(self, selected: QItemSelection | None = None, _deselected: QItemSelection | None = None) -> None:
        rows = self.table.selectionModel().selectedRows()
        petition = self.proxy.object_at(rows[0].row()) if rows else None
        current = self.editor.petition
        if current is not None and self.editor.dirty and (petition is None or petition.id != current.id):
            answer = QMessageBox.question(self, t("Lưu thay đổi?", "Save the changes?"),
                                          t(f"Kiến nghị của {current.commune_name} đã sửa mà chưa lưu. Lưu ngay?",
                                            f"The petition of {current.commune_name} was changed. Save it now?"))
            if answer == QMessageBox.StandardButton.Yes:
                self.editor.save()
        if petition is None or current is None or petition.id != current.id:
            self.editor.set_petition(petition)

    def _saved(self, petition: Petition) -> None:
        self.model.replace(petition)
        self._update_counts()
