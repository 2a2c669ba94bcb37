"""Measure instead of asking: the probes' buttons next to the items they can fill (issue 6).

- «Nhận diện máy này» in the toolbar of the PC table (``probe: pc``): reads this PC on a worker
  thread and adds a row (``source='probe'``) the officer then completes; values the core refuses
  are flagged in their cells; a short summary says what was found.
- «Đo tốc độ» beside the first measured-speed item of a section (``probe: network``): loads the
  department's endpoint file, measures on a worker thread with a progress dialog and Cancel, and
  fills the measured download / upload / latency items (``source='measured'``).
- «Kiểm tra chữ ký số trên máy này» in the certificates table and beside the signing-software
  question: runs the signing detectors, shows what they found, and offers to add the certificates
  of this PC's store as rows of the certificates table (``source='probe'``).

:func:`attach` is called by the section form for every :class:`~readiness.gui.item_widgets.ItemWidget`; it returns the
controller (or ``None`` when the item has no probe).  The probes are Qt-free
(``readiness.probe``); they run on the window's :class:`~readiness.gui.operations.Runner` and
hand their report back through its signals.  What is saved, and with what ``meta``, is
:mod:`readiness.measurement` — the same path as ``readiness probe … --save`` — through
:class:`~readiness.gui.operations.AssessmentOps`, which tells the widgets showing those items.  The names ``probe_pc``, ``measure``, ``probe_signing``,
``find_config`` and ``load_config`` below are looked up at call time so tests can replace them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import measurement
from ..answers import AnswerError, format_number
from ..checklist.model import Item, ItemType
from .i18n import lang, language, t

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from .item_widgets import ItemWidget

log = logging.getLogger(__name__)

HINT_COLOR = "#5f6368"
OK_COLOR = "#1b5e20"
ERROR_COLOR = "#b3261e"
NOTICE_COLOR = "#8a4b00"  # something to do (no configuration yet), not an error
CONFIG_SETTING = "probe.network_config"  # a config file the officer chose with «Chọn tệp cấu hình…»
SIGNING_ITEMS = ("certificates", "sign_software")
_MARKS_SHOWN = 3  # probe rows described under a table


# -- the probes (looked up at call time: tests replace them) ------------------------------------


def probe_pc() -> Any:
    from ..probe.pc import probe_pc as run

    return run()


def measure(endpoints: list[Any], **options: Any) -> Any:
    from ..probe.network import measure as run

    return run(endpoints, **options)


def probe_signing() -> Any:
    from ..probe.signing import probe_signing as run

    return run()


def certificate_rows(report: Any) -> list[dict[str, Any]]:
    from ..probe.signing import certificate_rows as rows

    return rows(report)


def find_config() -> Path | None:
    from ..probe.network import find_config as find

    return find()


def load_config(path: str | Path) -> Any:
    from ..probe.network import load_config as load

    return load(path)


def user_config_folder() -> Path:
    """Where the department's ``network.yaml`` goes (the user's config folder of the app)."""
    from ..probe.network import default_config_paths

    for path in default_config_paths():
        if path.name == "network.yaml" and "SanSangMotCua" in str(path):
            return path.parent
    return Path.home()


# -- the shared parts --------------------------------------------------------------------------


class ProbePanel(QWidget):
    """Under the item: a busy bar while a probe runs, then one line saying what happened."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("probePanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("probeBusy")
        self.busy.setRange(0, 0)  # moving bar: "working", no percentage
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(self.fontMetrics().averageCharWidth() * 14)
        self.busy.setFixedHeight(max(self.fontMetrics().height() - 2, 10))
        self.busy.hide()
        row.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignVCenter)
        self.status = QLabel(self)
        self.status.setObjectName("probeStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.extra = QHBoxLayout()  # buttons such as «Chọn tệp cấu hình…»
        self.extra.setContentsMargins(0, 0, 0, 0)
        self.extra.addStretch(1)
        layout.addLayout(self.extra)
        self.marks = QLabel(self)  # rows a probe filled, with when
        self.marks.setObjectName("probeRowMarks")
        self.marks.setWordWrap(True)
        self.marks.setStyleSheet(f"color: {HINT_COLOR};")
        self.marks.hide()
        layout.addWidget(self.marks)
        self.hide()

    def add_button(self, button: QPushButton) -> None:
        self.extra.insertWidget(self.extra.count() - 1, button)

    def working(self, text: str) -> None:
        self.busy.show()
        self._say(text, HINT_COLOR)

    def say(self, text: str, color: str = HINT_COLOR) -> None:
        self.busy.hide()
        self._say(text, color)

    def _say(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")
        self.status.setVisible(bool(text))
        self._update_visible()

    def set_marks(self, text: str) -> None:
        self.marks.setText(text)
        self.marks.setVisible(bool(text))
        self._update_visible()

    def _update_visible(self) -> None:
        shown = (self.busy.isVisibleTo(self) or bool(self.status.text()) or bool(self.marks.text())
                 or any(not widget.isHidden() for i in range(self.extra.count())
                        if (item := self.extra.itemAt(i)) is not None and (widget := item.widget()) is not None))
        self.setVisible(shown)


class ProbeAction(QObject):
    """One item's probe button, its panel and the worker it starts."""

    finished = Signal()  # the probe's result has been handled (tests wait for it)

    def __init__(self, widget: ItemWidget):
        super().__init__(widget)
        self.widget = widget
        self.ops = widget.ops
        self.item: Item = widget.item
        self.busy = False
        self.read_only = not self.ops.editable
        self._on_done: Callable[[Any], None] | None = None
        self._on_progress: Callable[[float, str], None] | None = None
        self.button = QPushButton(widget)
        self.button.setObjectName(f"probeButton_{self.item.id}")
        self.button.clicked.connect(lambda *_: self.start())
        self.panel = ProbePanel(widget)
        widget.add_action(self.button)
        widget.add_panel(self.panel)
        language().changed.connect(self._relabel)

    # -- to override ---------------------------------------------------------------------------
    def start(self) -> None:
        raise NotImplementedError

    def _relabel(self, _code: str = "") -> None:
        pass

    def needs_editable(self) -> bool:
        return True

    # -- shared --------------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_button()

    def _update_button(self) -> None:
        self.button.setEnabled(not self.busy and not (self.read_only and self.needs_editable()))

    def _run(self, work: Callable[[Callable[[float, str], None]], Any], done: Callable[[Any], None],
             progress: Callable[[float, str], None] | None = None) -> None:
        self.busy = True
        self._update_button()
        self._on_done, self._on_progress = done, progress

        def job(context: Any) -> Any:  # on the runner's thread; progress as a fraction of 1000
            return work(lambda fraction, text: context.progress(round(fraction * 1000), 1000, text))

        self.ops.runner.submit(f"probe-{self.item.id}", job, finished=self._job_done, failed=self._job_failed,
                               progress=self._job_progress)

    @Slot(int, int, str)
    def _job_progress(self, done: int, total: int, message: str) -> None:
        if self._on_progress is not None and self.busy:
            self._on_progress(done / total if total else 0.0, message)

    @Slot(object)
    def _job_done(self, result: Any) -> None:
        self._finish(self._on_done, result)

    @Slot(str, str)
    def _job_failed(self, code: str, message: str) -> None:
        from .operations import failure_text

        self._finish(self._failed, failure_text(code, message, title=t("Không kiểm tra được", "The check failed")))

    def _finish(self, handler: Callable[[Any], None] | None, value: Any) -> None:
        self.busy = False
        self._on_done = self._on_progress = None
        try:
            if handler is not None:
                handler(value)
        finally:
            self._update_button()
            self.finished.emit()

    def _failed(self, text: str) -> None:
        """``text``: the failure as :func:`~.operations.failure_text` words it (code, message, what to do)."""
        self.panel.say(text, ERROR_COLOR)

    def _parent(self) -> QWidget:
        return self.widget.window()

    # -- the rows a probe filled, listed under a table --------------------------------------------
    def _watch_table(self) -> None:
        table = self.widget.table
        if table is None:
            return
        model = table.model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.saved):
            signal.connect(self._update_marks)
        self._update_marks()

    @Slot()
    def _update_marks(self, *_: Any) -> None:
        if self.widget.table is not None:
            self.panel.set_marks(_row_marks(self.widget))


def _row_marks(widget: ItemWidget) -> str:
    """ "Dòng 1: Tự nhận diện lúc 10:42 ngày 24/11/2026 (máy: PC-01)" for the rows a probe filled."""
    rows = widget.ops.rows(widget.item.id)
    lines = []
    for position, row in enumerate(rows, start=1):
        mark = measurement.row_mark(row, lang())
        if mark:
            lines.append(t(f"Dòng {position}: {mark}", f"Row {position}: {mark}"))
    if len(lines) > _MARKS_SHOWN:
        rest = len(lines) - _MARKS_SHOWN
        lines = lines[:_MARKS_SHOWN] + [t(f"… và {rest} dòng tự nhận diện khác.", f"… and {rest} more detected rows.")]
    return "\n".join(lines)


# -- this PC --------------------------------------------------------------------------------------


def pc_summary(values: dict[str, Any], language_code: str | None = None) -> str:
    """ "Intel Core i5-8400, 4 nhân, 8 GB RAM, SSD 256 GB, Windows 10 Pro 22H2" (what was found)."""
    code = language_code or lang()
    en = code == "en"
    parts: list[str] = []
    if values.get("cpu"):
        parts.append(str(values["cpu"]))
    if values.get("cores"):
        parts.append(f"{values['cores']} {'cores' if en else 'nhân'}")
    if values.get("ram_gb"):
        parts.append(f"{format_number(values['ram_gb'], code)} GB RAM")
    kind = {"ssd": "SSD", "hdd": "HDD"}.get(values.get("storage_type") or "")
    if values.get("storage_gb"):
        parts.append(f"{kind or ('disk' if en else 'ổ')} {format_number(values['storage_gb'], code)} GB")
    elif kind:
        parts.append(kind)
    os_text = values.get("os_version")
    if os_text:
        parts.append(str(os_text).split(" (")[0])  # without "(build 19045.3803)"
    elif values.get("os"):
        parts.append(str(values["os"]))
    return ", ".join(parts)


class PcProbe(ProbeAction):
    """«Nhận diện máy này»: a new row of the PC table read from this computer."""

    def __init__(self, widget: ItemWidget):
        super().__init__(widget)
        self._relabel()
        self._watch_table()
        self._update_button()

    def _relabel(self, _code: str = "") -> None:
        self.button.setText(t("Nhận diện máy này", "Detect this PC"))
        self.button.setToolTip(t("Phần mềm tự đọc CPU, RAM, ổ cứng, hệ điều hành của máy đang dùng và thêm một dòng; "
                                 "cán bộ kiểm tra và điền các ô còn trống. Không cần quyền quản trị.",
                                 "Reads this computer's CPU, RAM, disk and operating system and adds a row; check it "
                                 "and fill in the empty cells. No administrator rights needed."))
        self._update_marks()

    def _update_button(self) -> None:
        super()._update_button()
        table = self.widget.table
        if table is not None and table.model.rowCount() >= self.item.max_rows:
            self.button.setEnabled(False)

    def start(self) -> None:
        if self.busy or not self.ops.editable:
            return
        self.panel.working(t("Đang đọc cấu hình máy tính này… (có thể mất vài giây)",
                             "Reading this computer's configuration… (this may take a few seconds)"))
        self._run(lambda _progress: probe_pc(), self._detected)

    def _detected(self, report: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        table = self.widget.table
        if table is None or not self.ops.editable:
            self.panel.say("")
            return
        values = measurement.pc_values(report)
        meta = measurement.pc_meta(report)
        name = getattr(report, "machine_name", None)
        if name:
            same = [position for position, row in enumerate(table.model.rows(), start=1)
                    if measurement.automatic_source(row.source, row.meta) == measurement.SOURCE_PROBE
                    and (row.meta or {}).get("machine_name") == name]
            if same:
                answer = QMessageBox.question(
                    self._parent(), t("Máy đã có trong bảng", "Computer already listed"),
                    t(f"Máy «{name}» đã được nhận diện ở dòng {same[0]}. Vẫn thêm một dòng mới?",
                      f"Computer '{name}' was already detected in row {same[0]}. Add another row anyway?"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    self.panel.say(t("Không thêm dòng mới.", "No row added."))
                    return
        try:
            row = table.add_row(values, source=measurement.SOURCE_PROBE, meta=meta)
        except AnswerError as error:
            self.panel.say(error.message if lang() == "vi" else getattr(error, "message_en", error.message),
                           ERROR_COLOR)
            return
        position = table.model.row_index(row.id)
        refused = [c for r, c, _ in table.model.errors() if r == position]
        shown = dict(row.values)
        if not shown.get("os_version") and shown.get("os") is not None:
            from ..answers import describe

            try:
                shown["os_version"] = describe(self.item.column("os"), shown["os"], lang())
            except KeyError:
                pass
        found = pc_summary(shown)
        if found:
            text = t(f"Đã nhận diện: {found}. Ô trống: cán bộ tự điền.", f"Detected: {found}. Empty cells: please fill them in.")
        else:
            text = t("Không đọc được cấu hình máy này; cán bộ tự điền các ô.",
                     "Could not read this computer's configuration; please fill in the cells.")
        if refused:
            text += t(" Ô tô đỏ: giá trị đọc được không hợp lệ, hãy kiểm tra lại.",
                      " Red cells: the value read is not valid, please check it.")
        self.panel.say(text, OK_COLOR)
        self._update_marks()


# -- the connection -------------------------------------------------------------------------------


class NetworkProbe(ProbeAction):
    """«Đo tốc độ»: measure download, upload and latency against the department's server."""

    def __init__(self, widget: ItemWidget):
        super().__init__(widget)
        self.cancel: threading.Event | None = None
        self.dialog: QProgressDialog | None = None
        self.config_button = QPushButton(self.panel)
        self.config_button.setObjectName("chooseNetworkConfig")
        self.config_button.clicked.connect(self.choose_config)
        self.config_button.hide()
        self.panel.add_button(self.config_button)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop)
        self._relabel()
        self._update_button()

    def _relabel(self, _code: str = "") -> None:
        self.button.setText(t("Đo tốc độ", "Measure speed"))
        self.button.setToolTip(t("Đo tốc độ tải xuống, tải lên và độ trễ tới máy chủ đo của Sở (khoảng 10 giây) "
                                 "rồi điền vào các câu tốc độ đo thực tế.",
                                 "Measures download, upload and latency against the department's test server "
                                 "(about 10 seconds) and fills in the measured-speed questions."))
        self.config_button.setText(t("Chọn tệp cấu hình…", "Choose configuration file…"))

    # -- configuration -------------------------------------------------------------------------
    def config_path(self) -> Path | None:
        chosen = self.ops.setting(CONFIG_SETTING)
        if chosen and Path(chosen).is_file():
            return Path(chosen)
        return find_config()

    def _not_configured(self) -> None:
        folder = user_config_folder()
        self.panel.say(t(
            "Chưa có tệp cấu hình máy chủ đo tốc độ. Sở Khoa học và Công nghệ cung cấp tệp network.yaml: "
            f"chép tệp đó vào thư mục {folder} rồi bấm lại «Đo tốc độ», hoặc bấm «Chọn tệp cấu hình…». "
            "Chưa có tệp thì đo bằng ứng dụng khác (i-Speed, Speedtest) và tự nhập kết quả.",
            "No speed-test server is configured. The Department of Science and Technology supplies a network.yaml "
            f"file: copy it into {folder} and press 'Measure speed' again, or press 'Choose configuration file…'. "
            "Without it, measure with another tool (i-Speed, Speedtest) and type the results."), NOTICE_COLOR)
        self.config_button.show()
        self.panel._update_visible()

    def choose_config(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self._parent(), t("Chọn tệp cấu hình máy chủ đo tốc độ", "Choose the speed-test configuration"),
            str(user_config_folder()), t("Tệp cấu hình (*.yaml *.yml *.json);;Mọi tệp (*)",
                                         "Configuration (*.yaml *.yml *.json);;All files (*)"))
        if not path:
            return
        from ..probe.network import ConfigError

        try:
            load_config(path)
        except ConfigError as error:
            self.panel.say(t(f"Tệp cấu hình không dùng được: {error}", f"The configuration cannot be used: {error}"),
                           ERROR_COLOR)
            return
        from .operations import StoreError

        try:
            self.ops.set_setting(CONFIG_SETTING, str(path))
        except StoreError as error:  # the setting is a convenience; measuring still works
            log.warning("could not remember the network config: %s", error)
        self.config_button.hide()
        self.panel.say(t(f"Đã chọn tệp cấu hình {Path(path).name}. Bấm «Đo tốc độ» để đo.",
                         f"Configuration {Path(path).name} chosen. Press 'Measure speed'."))
        self.start(path=Path(path))

    # -- measuring -----------------------------------------------------------------------------
    def start(self, *, path: Path | None = None) -> None:
        if self.busy or not self.ops.editable:
            return
        from ..probe.network import ConfigError

        path = path or self.config_path()
        if path is None:
            self._not_configured()
            return
        try:
            config = load_config(path)
        except ConfigError as error:
            self.panel.say(t(f"Tệp cấu hình {path} có lỗi: {error}", f"The configuration {path} is invalid: {error}"),
                           ERROR_COLOR)
            self.config_button.show()
            self.panel._update_visible()
            return
        if not config.endpoints:
            self._not_configured()
            return
        self.config_button.hide()
        endpoints, streams, cap = list(config.endpoints), config.streams, config.time_cap_s
        cancel = threading.Event()
        self.cancel = cancel
        self.dialog = self._progress_dialog(endpoints[0], cap)
        self.panel.working(t("Đang đo tốc độ mạng…", "Measuring the connection…"))
        self._run(lambda progress: measure(endpoints, streams=streams, time_cap_s=cap, progress=progress,
                                           cancel=cancel),
                  self._measured, self._progress)

    def _progress_dialog(self, endpoint: Any, cap: float) -> QProgressDialog:
        from PySide6.QtWidgets import QProgressDialog

        name = getattr(endpoint, "label", "") or ""
        dialog = QProgressDialog(self._parent())
        dialog.setObjectName("networkProgress")
        dialog.setWindowTitle(t("Đo tốc độ mạng", "Measuring the connection"))
        dialog.setLabelText(t(f"Đang kết nối tới máy chủ đo {name} (tối đa {format_number(round(cap))} giây)…",
                              f"Connecting to the test server {name} (at most {format_number(round(cap), 'en')} s)…"))
        dialog.setCancelButtonText(t("Huỷ", "Cancel"))
        dialog.setRange(0, 1000)
        dialog.setValue(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 64)
        dialog.canceled.connect(self.cancel_measurement)
        dialog.show()
        return dialog

    def _progress(self, fraction: float, message: str) -> None:
        dialog = self.dialog
        if dialog is not None and not dialog.wasCanceled():
            if message:
                dialog.setLabelText(message)
            dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))  # a modal dialog processes events here

    def cancel_measurement(self) -> None:
        if self.cancel is not None:
            self.cancel.set()
        if self.busy:
            self.panel.working(t("Đang dừng phép đo…", "Stopping…"))

    def _stop(self) -> None:
        if self.cancel is not None:
            self.cancel.set()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel_measurement)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.cancel = None

    def _failed(self, text: str) -> None:
        self._close_dialog()
        super()._failed(text)

    def _measured(self, report: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._close_dialog()
        status = report.status
        if status == "cancelled":
            self.panel.say(t("Đã huỷ phép đo; không thay đổi câu trả lời nào.",
                             "Measurement cancelled; no answer was changed."))
            return
        if status not in ("ok", "partial"):  # offline, not configured
            self.panel.say(report.message, ERROR_COLOR)
            QMessageBox.warning(self._parent(), t("Không đo được tốc độ mạng", "Could not measure the connection"),
                                report.message)
            return
        try:  # the widgets showing these items hear of it from ops, and the window re-scores
            outcome = self.ops.save_measurement(report)
        except AnswerError as error:
            self.panel.say(error.message, ERROR_COLOR)
            return
        figures = measurement.network_summary(report, lang())
        where = f" ({t('máy chủ', 'server')}: {report.endpoint})" if report.endpoint else ""
        text = t(f"Đã đo: {figures}{where}. Kết quả đã điền vào các câu tốc độ đo thực tế.",
                 f"Measured: {figures}{where}. The results were filled in.")
        if status == "partial":
            text += " " + report.message
        for item_id, problem in outcome.refused.items():
            label = self.ops.checklist.item(item_id).label.get(lang())
            text += " " + t(f"Không lưu «{label}»: {problem.message}", f"'{label}' not saved: {problem.message_en}")
        self.panel.say(text, OK_COLOR if status == "ok" and not outcome.refused else ERROR_COLOR)


# -- digital signatures ---------------------------------------------------------------------------


STATUS_WORDS = {
    "found": ("Có", "Found", OK_COLOR),
    "not_found": ("Không thấy", "Not found", NOTICE_COLOR),
    "unknown": ("Không xác định", "Cannot tell", HINT_COLOR),
}


class SigningCheckDialog(QDialog):
    """What the signing detectors saw on this PC, and the certificates it can add to the table."""

    def __init__(self, report: Any, rows: list[dict[str, Any]], existing: set[tuple[str, str]], *,
                 can_add: bool, add: Callable[[list[dict[str, Any]]], str], parent: QWidget | None = None):
        from PySide6.QtWidgets import QDialogButtonBox, QGridLayout

        super().__init__(parent)
        self.setObjectName("signingCheckDialog")
        self.report = report
        self.rows = rows
        self._add = add
        self.setWindowTitle(t("Kiểm tra chữ ký số trên máy này", "Digital-signature check on this computer"))
        layout = QVBoxLayout(self)
        when = measurement.when_text({"measured_at": report.measured_at}, lang())
        overall = STATUS_WORDS.get(report.overall, STATUS_WORDS["unknown"])
        intro = QLabel(t(
            f"Kết quả kiểm tra máy này lúc {when or '?'} (không cần quyền quản trị). Tổng hợp: <b>{overall[0]}</b>. "
            "Chỉ máy đang dùng được kiểm tra; cán bộ xác nhận lại khi trả lời câu hỏi về các máy tại quầy.",
            f"Checked on this computer at {when or '?'} (no administrator rights). Overall: <b>{overall[1]}</b>. "
            "Only this computer was checked; confirm before answering about the counter PCs."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        self.result_labels: dict[str, QLabel] = {}
        for position, result in enumerate(report.results):
            vi, en, color = STATUS_WORDS.get(result.status, STATUS_WORDS["unknown"])
            badge = QLabel(f'<b><span style="color:{color}">{t(vi, en)}</span></b>', grid_host)
            badge.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text = QLabel(grid_host)
            text.setObjectName(f"detector_{result.name}")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            reason = _escape(result.details)
            if result.status == "unknown":
                reason = t("Không xác định được: ", "Cannot tell: ") + reason
            text.setText(f"<b>{_escape(result.label)}</b><br>{reason}")
            grid.addWidget(badge, position, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, position, 1, Qt.AlignmentFlag.AlignTop)
            self.result_labels[result.name] = text
        layout.addWidget(grid_host)

        self.certificates = QListWidget(self)
        self.certificates.setObjectName("foundCertificates")
        self.add_button = QPushButton(t("Thêm vào bảng chứng thư số", "Add to the certificate table"), self)
        self.add_button.setObjectName("addCertificates")
        self.add_button.clicked.connect(self._add_clicked)
        self.message = QLabel(self)
        self.message.setObjectName("signingMessage")
        self.message.setWordWrap(True)
        heading = QLabel(f"<b>{t('Chứng thư số cá nhân tìm thấy trên máy này', 'Personal certificates on this computer')}</b>",
                         self)
        layout.addWidget(heading)
        if rows:
            for row in rows:
                key = _certificate_key(row)
                expiry = _date_text(row.get("expiry"))
                entry_text = f"{row.get('holder') or '?'} — {t('hết hạn', 'expires')} {expiry}"
                entry = QListWidgetItem(entry_text, self.certificates)
                if key in existing:
                    entry.setText(entry_text + t(" (đã có trong bảng)", " (already in the table)"))
                    entry.setFlags(Qt.ItemFlag.NoItemFlags)
                    entry.setCheckState(Qt.CheckState.Unchecked)
                else:
                    entry.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                    entry.setCheckState(Qt.CheckState.Checked)
            self.certificates.setMaximumHeight(self.certificates.sizeHintForRow(0) * min(len(rows), 5) + 8)
            layout.addWidget(self.certificates)
            buttons = QHBoxLayout()
            buttons.addWidget(self.add_button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
            self.add_button.setEnabled(can_add and self._fresh_count() > 0)
            if not can_add:
                self.message.setText(t("Bản đánh giá đã hoàn thành nên không thêm được dòng.",
                                       "The assessment is finalized; rows cannot be added."))
        else:
            self.certificates.hide()
            self.add_button.hide()
            self.message.setText(t(
                "Không tìm thấy chứng thư số cá nhân của nhà cung cấp đã biết trong kho chứng thư của máy này "
                "(USB token phải đang cắm vào máy). Cán bộ tự nhập danh sách chứng thư.",
                "No personal certificate of a known provider in this computer's store (the USB token must be "
                "plugged in). Type the certificates in the table."))
        layout.addWidget(self.message)
        layout.addStretch(1)  # spare height below, not between the parts
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(t("Đóng", "Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 116)
        self.adjustSize()  # as tall as the wrapped texts need

    def _fresh_count(self) -> int:
        return sum(1 for i in range(self.certificates.count())
                   if self.certificates.item(i).flags() & Qt.ItemFlag.ItemIsEnabled)

    def selected(self) -> list[dict[str, Any]]:
        return [row for i, row in enumerate(self.rows)
                if self.certificates.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
                and self.certificates.item(i).checkState() == Qt.CheckState.Checked]

    def _add_clicked(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.message.setText(t("Chưa chọn chứng thư nào.", "No certificate selected."))
            return
        self.message.setText(self._add(chosen))
        for i, row in enumerate(self.rows):
            if row in chosen:
                entry = self.certificates.item(i)
                entry.setFlags(Qt.ItemFlag.NoItemFlags)
                entry.setText(entry.text() + t(" (đã thêm)", " (added)"))
        self.add_button.setEnabled(self._fresh_count() > 0)


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _date_text(value: Any) -> str:
    text = str(value or "")
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"
    return text or "?"


def _certificate_key(row: Any) -> tuple[str, str]:
    values = row.values if hasattr(row, "values") and not isinstance(row, dict) else row
    holder = " ".join(str(values.get("holder") or "").split()).casefold()
    expiry = values.get("expiry")
    return holder, expiry.isoformat() if hasattr(expiry, "isoformat") else str(expiry or "")


class SigningProbe(ProbeAction):
    """«Kiểm tra chữ ký số trên máy này»: run the detectors, show them, offer the certificates found."""

    def __init__(self, widget: ItemWidget):
        super().__init__(widget)
        self.dialog: SigningCheckDialog | None = None
        self._relabel()
        self._watch_table()
        self._update_button()

    def needs_editable(self) -> bool:
        return False  # looking is always allowed; adding rows is not, once finalized

    def _relabel(self, _code: str = "") -> None:
        self.button.setText(t("Kiểm tra chữ ký số trên máy này", "Check digital signing on this PC"))
        self.button.setToolTip(t("Xem máy này đã có driver USB token, phần mềm ký số, đầu đọc thẻ và chứng thư số "
                                 "chưa (không cần quyền quản trị, không hỏi mã PIN).",
                                 "Looks for the token driver, signing software, card reader and certificates on this "
                                 "computer (no administrator rights, no PIN asked)."))
        self._update_marks()

    def start(self) -> None:
        if self.busy:
            return
        self.panel.working(t("Đang kiểm tra chữ ký số trên máy này…", "Checking digital signing on this computer…"))
        self._run(lambda _progress: probe_signing(), self._checked)

    def _checked(self, report: Any) -> None:
        try:
            rows = certificate_rows(report)
        except Exception:  # noqa: BLE001 - a malformed certificate must not hide the detectors' results
            log.exception("certificate rows")
            rows = []
        overall = STATUS_WORDS.get(report.overall, STATUS_WORDS["unknown"])
        self.panel.say(t(f"Đã kiểm tra: {overall[0].lower()} dấu hiệu sẵn sàng ký số; {len(rows)} chứng thư số tìm thấy.",
                         f"Checked: {overall[1].lower()}; {len(rows)} certificates found."))
        table = self._table_item()
        existing = {_certificate_key(r) for r in self.ops.rows(table.id)} if table else set()
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = SigningCheckDialog(report, rows, existing, can_add=bool(table) and self.ops.editable,
                                         add=lambda chosen: self.add_certificates(report, chosen),
                                         parent=self._parent())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()

    def _dialog_closed(self, *_: Any) -> None:
        self.dialog = None

    def _table_item(self) -> Item | None:
        try:
            item = self.ops.checklist.item(measurement.CERTIFICATE_TABLE)
        except KeyError:
            return None
        return item if item.type is ItemType.TABLE else None

    def add_certificates(self, report: Any, chosen: list[dict[str, Any]]) -> str:
        """Add rows (``source='probe'``); returns what to tell the officer."""
        table_item = self._table_item()
        if table_item is None or not self.ops.editable:
            return t("Không thêm được: bản đánh giá không sửa được.", "Cannot add: the assessment cannot be edited.")
        # The table showing the certificates (if its form is built) hears of the rows from ops.
        saved, problem = self.ops.add_rows(table_item.id, measurement.certificate_values(chosen),
                                           source=measurement.SOURCE_PROBE, meta=measurement.signing_meta(report))
        added = len(saved)
        text = t(f"Đã thêm {added} chứng thư vào bảng; chọn «Vị trí» và «Hình thức» cho từng dòng.",
                 f"Added {added} certificates; choose the role and kind of each row.")
        if problem is not None:
            text += " " + problem.message
        self._update_marks()
        return text


# -- wiring ---------------------------------------------------------------------------------------


def _first_network_item(widget: ItemWidget) -> bool:
    """One «Đo tốc độ» per section: on its first ``probe: network`` item."""
    for section in widget.ops.checklist.sections:
        ids = [i.id for i in section.items if i.probe == "network"]
        if widget.item.id in ids:
            return ids[0] == widget.item.id
    return False


def attach(widget: ItemWidget) -> ProbeAction | None:
    """The probe controller for an item widget, or ``None`` when no probe fills the item."""
    item = widget.item
    try:
        if item.probe == "pc" and item.type is ItemType.TABLE and widget.table is not None:
            return PcProbe(widget)
        if item.probe == "network" and widget.editor is not None and _first_network_item(widget):
            return NetworkProbe(widget)
        if item.id in SIGNING_ITEMS and (item.type is not ItemType.TABLE or widget.table is not None):
            return SigningProbe(widget)
    except Exception:  # noqa: BLE001 - a probe button must never stop the form from opening
        log.exception("probe button for %s", item.id)
    return None


__all__ = ["NetworkProbe", "PcProbe", "ProbeAction", "ProbePanel", "SigningCheckDialog", "SigningProbe", "attach",
           "pc_summary"]
