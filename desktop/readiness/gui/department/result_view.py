"""The run-and-results layout the import dialog and the mailbox dialog share.

From top to bottom: the run row (the start button, a progress bar, «Dừng»), a line, the filter row (a summary,
a «Xem:» choice and a search box), then the results table above the selected row's details.  Each dialog keeps
its own texts, object names, models and handlers; :func:`problem_item` is how both list one reason (its code,
where it is, what it says, what to do).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QWidget,
)

from ..i18n import t
from .labels import escape


@dataclass
class RunRow:
    start: QPushButton
    progress: QProgressBar
    cancel: QPushButton


@dataclass
class FilterRow:
    summary: QLabel
    label: QLabel
    choice: QComboBox
    search: QLineEdit


@dataclass
class Results:
    table: QTableView
    details: QTextBrowser


def add_run_row(parent: QWidget, layout: QBoxLayout, names: tuple[str, str, str], *, start: Callable[[], None],
                cancel: Callable[[], None]) -> RunRow:
    """The start button (the dialog's default), the progress bar (empty until a run) and «Dừng», then a line.
    ``names``: the three widgets' object names."""
    row = QHBoxLayout()
    start_button = QPushButton(parent)
    start_button.setObjectName(names[0])
    start_button.setDefault(True)
    start_button.clicked.connect(start)
    progress = QProgressBar(parent)
    progress.setObjectName(names[1])
    progress.setTextVisible(True)
    progress.setRange(0, 1)
    progress.setValue(0)
    progress.setFormat("")
    cancel_button = QPushButton(parent)
    cancel_button.setObjectName(names[2])
    cancel_button.clicked.connect(cancel)
    row.addWidget(start_button)
    row.addWidget(progress, 1)
    row.addWidget(cancel_button)
    layout.addLayout(row)
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    layout.addWidget(line)
    return RunRow(start_button, progress, cancel_button)


def add_filter_row(parent: QWidget, layout: QBoxLayout, names: tuple[str, str, str], *, search_chars: int,
                   chosen: Callable[[int], None], searched: Callable[[str], None]) -> FilterRow:
    """The summary (rich text, wrapping), then «Xem:» with its choice and the search box, on one row.
    ``names``: the summary's, the choice's and the search box's object names."""
    row = QHBoxLayout()
    summary = QLabel(parent)
    summary.setObjectName(names[0])
    summary.setWordWrap(True)
    summary.setTextFormat(Qt.TextFormat.RichText)
    label = QLabel(parent)
    choice = QComboBox(parent)
    choice.setObjectName(names[1])
    choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    choice.currentIndexChanged.connect(chosen)
    label.setBuddy(choice)
    search = QLineEdit(parent)
    search.setObjectName(names[2])
    search.setClearButtonEnabled(True)
    search.setMinimumWidth(parent.fontMetrics().averageCharWidth() * search_chars)
    search.textChanged.connect(searched)
    row.addWidget(summary, 1)
    row.addWidget(label)
    row.addWidget(choice)
    row.addWidget(search)
    layout.addLayout(row)
    return FilterRow(summary, label, choice, search)


def add_results(parent: QWidget, layout: QBoxLayout, proxy: QSortFilterProxyModel, names: tuple[str, str], *,
                widths: Sequence[tuple[int, str]], selected: Callable[..., None], stretch: tuple[int, int],
                sizes: tuple[int, int], widest: int | None = None) -> Results:
    """The results table (one row selected at a time, in the order they came until a header is clicked) above
    the details of the selected row.  ``widths``: (column, a sample text as wide as the column should be),
    capped at ``widest`` pixels."""
    splitter = QSplitter(Qt.Orientation.Vertical, parent)
    table = QTableView(splitter)
    table.setObjectName(names[0])
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    metrics = parent.fontMetrics()
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, sample in widths:
        width = metrics.horizontalAdvance(sample) + 12
        table.setColumnWidth(column, min(width, widest) if widest else width)
    table.selectionModel().selectionChanged.connect(selected)
    details = QTextBrowser(splitter)
    details.setObjectName(names[1])
    details.setOpenLinks(False)
    splitter.addWidget(table)
    splitter.addWidget(details)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setSizes(list(sizes))
    layout.addWidget(splitter, 1)
    return Results(table, details)


def problem_item(code: str, place: str, message: str, advice: str) -> str:
    """One reason as a list item: its code (red, a warning's amber), where (sheet, cell), what it says, what to do."""
    color = "#8d6e00" if code.startswith("W-") else "#b71c1c"
    return (f"<li><b style='color:{color}'>{escape(code)}</b>" + (f" <i>({escape(place)})</i>" if place else "")
            + f": {escape(message)}"
            + (f"<br><span style='color:#555'>{escape(t('Cách xử lý: ', 'What to do: ') + advice)}</span>" if advice
               else "") + "</li>")
