"""Carry forward in the window (issue 14 §1): the offer made when a period with no assessment is
opened, and, at the top of each section of a carried draft, what still needs this period's
attention with the one-action confirmation «Không thay đổi so với kỳ trước».

The words come from the core (:mod:`readiness.carry`); the state from :class:`AssessmentOps`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import lang, t

if TYPE_CHECKING:
    from ..checklist.model import Section
    from .operations import AssessmentOps
    from .operations.workspace import StartOffer

CARRY = "carry"
EMPTY = "empty"

ATTENTION_BACKGROUND = "#fff8e1"  # something still to do in this section
ATTENTION_BORDER = "#f0b429"
DONE_BACKGROUND = "#eef6ee"
DONE_BORDER = "#8bc34a"
LINK_COLOR = "#1a5fb4"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _period(period: str) -> str:
    return f"{period[5:]}/{period[:4]}"


class CarryOfferDialog(QDialog):
    """«Bắt đầu từ kỳ 10/2026» (default) or «Bắt đầu từ phiếu trống»; ``choice`` is CARRY, EMPTY or None."""

    def __init__(self, offer: StartOffer, parent: QWidget | None = None):
        super().__init__(parent)
        from ..carry import count_noun

        self.offer = offer
        self.choice: str | None = None
        self.setObjectName("carryOfferDialog")
        self.setWindowTitle(t(f"Bắt đầu kỳ {_period(offer.period)}", f"Start period {_period(offer.period)}"))
        code = lang()
        source = offer.source
        since = _period(source.period)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = QLabel(self)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        score = ""
        if source.score is not None:
            number = f"{source.score:.1f}".rstrip("0").rstrip(".")
            number = number.replace(".", ",") if code == "vi" else number
            score = t(f", {number} điểm", f", score {number}")
        heading.setText(t(
            f"<b>{_escape(offer.commune.name)}</b> chưa có bản đánh giá kỳ <b>{_period(offer.period)}</b>. "
            f"Kỳ {since} đã hoàn thành (lần {source.revision}{score}).",
            f"<b>{_escape(offer.commune.name)}</b> has no assessment for <b>{_period(offer.period)}</b> yet. "
            f"{since} is finalized (revision {source.revision}{score})."))
        layout.addWidget(heading)

        checklist = offer.checklist
        tables = ", ".join(count_noun(checklist.item(item_id), count, code) for item_id, count in offer.rows.items())
        rows = sum(offer.rows.values())
        carried = t(f"Mang sang {offer.answers} câu trả lời", f"Carries over {offer.answers} answers")
        if rows:
            carried += t(f" và {rows} dòng bảng ({tables})", f" and {rows} table rows ({tables})")
        example = checklist.item(offer.renew[0]).label.get(code) if offer.renew else ""
        renew = ""
        if offer.renew:
            renew = t(f" Số liệu của từng kỳ ({len(offer.renew)} câu, ví dụ «{example}») không mang sang: nhập mới.",
                      f" Figures of the period ({len(offer.renew)} questions, e.g. “{example}”) are not carried: "
                      "enter them anew.")
        self.carry_button = QCommandLinkButton(self)
        self.carry_button.setObjectName("carryButton")
        self.carry_button.setText(t(f"Bắt đầu từ kỳ {since}", f"Start from {since}"))
        self.carry_button.setDescription(
            carried + t(f" của kỳ {since}.", f" from {since}.") + renew
            + t(" Sau đó chỉ cần xác nhận từng phần không thay đổi.", " Then confirm each unchanged section."))
        self.carry_button.setStyleSheet("#carryButton { border: 1px solid #1a5fb4; border-radius: 4px; "
                                        "background: #eef4fb; }")
        self.carry_button.setDefault(True)
        self.carry_button.setAutoDefault(True)
        self.carry_button.clicked.connect(lambda: self._choose(CARRY))
        self.empty_button = QCommandLinkButton(self)
        self.empty_button.setObjectName("emptyButton")
        self.empty_button.setText(t("Bắt đầu từ phiếu trống", "Start from an empty form"))
        self.empty_button.setDescription(t("Không mang sang câu trả lời nào; nhập lại toàn bộ từ đầu.",
                                           "Nothing is carried over; everything is entered again."))
        self.empty_button.setAutoDefault(False)
        self.empty_button.clicked.connect(lambda: self._choose(EMPTY))
        layout.addWidget(self.carry_button)
        layout.addWidget(self.empty_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(t("Huỷ", "Cancel"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(min(640, max(480, self.fontMetrics().averageCharWidth() * 80)))
        self.carry_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class CarryPanel(QFrame):
    """At the top of a section of a carried draft: what still needs this period's attention (each a
    link to the item) and «Không thay đổi so với kỳ trước»."""

    jump_requested = Signal(str)  # item id

    def __init__(self, ops: AssessmentOps, section: Section, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.section = section
        self.setObjectName("carryPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        self.text = QLabel(self)
        self.text.setObjectName("carryText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.text.linkActivated.connect(self._link)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("confirmSection")
        self.confirm_button.clicked.connect(self.confirm)
        row.addWidget(self.confirm_button)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        row.addWidget(self.error, 1)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh()

    def _link(self, href: str) -> None:
        if href.startswith("item:"):
            self.jump_requested.emit(href[5:])

    def confirm(self) -> None:
        problem = self.ops.confirm_section(self.section.id, initiator=self)
        self.error.setVisible(problem is not None)
        if problem is not None:
            self.error.setText(problem.message_en if lang() == "en" else problem.message)
        self.refresh()

    def refresh(self) -> None:
        from ..carry import AFFECTED, AGED, CONFIRM, MISSING, RENEW, attention_text, period_label

        ops = self.ops
        if not ops.carried or not ops.editable:
            self.hide()
            return
        review = ops.review()
        checklist = ops.checklist
        code = lang()
        entries = review.section(self.section.id)
        since = period_label(review.origin.period) if review.origin else ""
        confirmed = review.confirmed.get(self.section.id)
        lines = []
        groups = ((RENEW, t("Nhập số liệu của kỳ này:", "Enter this period's figures:")),
                  (CONFIRM, t(f"Mang sang từ kỳ {since}, cần xác nhận còn đúng (hoặc sửa):",
                              f"Carried over from {since}, to confirm (or change):")),
                  (MISSING, t("Chưa trả lời:", "Not answered:")),
                  (AGED, t("Nay chưa đạt vì đã qua ngày:", "Now not met, a date has passed:")),
                  (AFFECTED, t("Nay chưa đạt vì câu trả lời khác đã thay đổi:", "Now not met, other answers changed:")))
        for kind, title in groups:
            found = [a for a in entries if a.kind == kind]
            if not found:
                continue
            items = []
            for entry in found:
                number = checklist.number(entry.item_id)
                label = _escape(checklist.item(entry.item_id).label.get(code))
                link = f'<a href="item:{entry.item_id}" style="color:{LINK_COLOR}">{number}</a>'
                if kind == RENEW:  # what to enter, with last period's figure
                    items.append(f"{link} {label} — {_escape(attention_text(checklist, entry, review, code))}")
                else:  # the group's title says it
                    items.append(f"{link} {label}")
            separator = " · " if kind == CONFIRM else "<br>"
            lines.append(f"<b>{title}</b>{'<br>' if kind != CONFIRM else ' '}{separator.join(items)}")
        needs_confirm = any(a.kind == CONFIRM or (a.kind == RENEW and not checklist.item(a.item_id).required)
                            for a in entries)
        if confirmed is not None:
            local = confirmed.astimezone()
            lines.insert(0, t(f"✓ Đã xác nhận không thay đổi so với kỳ {since} lúc {local:%H:%M} ngày {local:%d/%m/%Y}.",
                              f"✓ Confirmed unchanged since {since} at {local:%H:%M} on {local:%d/%m/%Y}."))
        elif not entries:
            lines.insert(0, t(f"Phần này mang sang từ kỳ {since}; không còn gì cần xem cho kỳ này.",
                              f"Carried over from {since}; nothing left to look at this period."))
        pending = any(a.blocking for a in entries)
        self.text.setText("<br>".join(lines))
        self.confirm_button.setVisible(confirmed is None and needs_confirm)
        self.confirm_button.setText(t("Không thay đổi so với kỳ trước", "No change since last period"))
        self.confirm_button.setToolTip(t(
            f"Xác nhận các câu trả lời mang sang từ kỳ {since} ở phần này vẫn đúng, và kỳ này không có gì mới "
            "cho các câu không bắt buộc.",
            f"Confirm the answers carried over from {since} in this section still hold, and that the optional "
            "questions have nothing new this period."))
        background, border = (ATTENTION_BACKGROUND, ATTENTION_BORDER) if pending else (DONE_BACKGROUND, DONE_BORDER)
        self.setStyleSheet(f"#carryPanel {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}")
        self.show()
