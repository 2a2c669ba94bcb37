"""Carry forward: a new period started from the last finalized one (issue 14 §1).  Qt-free.

A commune reports every month; most of what it reported last month still holds.  Starting a
period "from 11/2025" copies the answers and table rows of that period's finalized assessment into
the new draft, item by item, by the checklist's ``refresh`` rule (``docs/checklist-format.md``):

- ``keep``: carried as it is (the PC inventory, the certificates).  Dates in it age by themselves:
  every rule reads ``today``, and a draft is scored as of the day it is scored, so a certificate
  valid last month is *expired* this month without anyone touching it (the previous period stays
  scored as of the day it was finalized);
- ``confirm``: carried, but the officer confirms it this period (or changes it) before finalizing;
- ``renew``: never carried; this period's figure must be entered (last period's is shown beside).

Every carried answer and row is stored with ``source='carried'`` and ``meta["carried"] =
{"from_period", "from_revision", "from_assessment", "from_source"[, "from_row"][, "confirmed_at"]}``
(a row's other ``meta``, say how a probe read it, is kept).

This module says what each section still needs this period (:func:`review`) and words all of it in
Vietnamese and English; :mod:`readiness.carry_compare` plans the copy (:func:`~.carry_compare.plan`) and
compares a draft with the previous period (:func:`~.carry_compare.compare`: the marks in the window, the
PDF and the workbook).  The store writes; :class:`readiness.service.AssessmentSession` ties them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from .answers import Answers, Row, describe
from .carried import CARRIED, carried_meta, item_of, period_label, recoerced
from .checklist.model import Checklist, Column, Item, ItemType, Refresh
from .record import Data, FrozenData, data, frozen_data
from .scoring import ScoreResult, Status, score

if TYPE_CHECKING:  # the store's records, duck-typed here (this module never imports the store)
    from .carry_compare import Base, Change
    from .store.db import AssessmentInfo, CarrySource

# What a section still needs this period (Attention.kind).
RENEW = "renew"  # a renew item (or column) without this period's value
CONFIRM = "confirm"  # a carried confirm item not confirmed (nor changed) yet
MISSING = "missing"  # a required question not answered (e.g. one that applies only now)
AGED = "aged"  # the same answer as last period, met then, not met now because a date has passed
AFFECTED = "affected"  # the same answer as last period, met then, not met now because other answers changed


_RULES: dict[tuple[str, str, str], dict[str, Refresh]] = {}


def rules(checklist: Checklist) -> dict[str, Refresh]:
    """Item id (and ``item.column``) -> its refresh rule, computed once per definition (a review reads
    them after every save)."""
    key = (checklist.key, checklist.content_hash, checklist.source_path)
    found = _RULES.get(key)
    if found is None:
        found = {}
        for item in checklist.items():
            found[item.id] = checklist.refresh(item.id)
            for column in item.columns or ():
                found[f"{item.id}.{column.id}"] = checklist.column_refresh(item.id, column.id)
        _RULES[key] = found
    return found


# -- the previous period ------------------------------------------------------------------------------


def reference_date(info: AssessmentInfo) -> dt.date:
    """The day a finalized assessment is scored as of: the day it was finalized (local time)."""
    if info.finalized_at is not None:
        return info.finalized_at.astimezone().date()
    return dt.date.today()


# -- what each section still needs this period --------------------------------------------------------------


@frozen_data()
class Attention(FrozenData):
    """One thing a section still needs this period; ``renew`` and ``confirm`` block finalizing."""

    item_id: str
    section_id: str
    kind: str  # RENEW / CONFIRM / MISSING / AGED
    column_id: str | None = None

    @property
    def blocking(self) -> bool:
        return self.kind in (RENEW, CONFIRM)


@data()
class Review(Data):
    """A draft against the previous period: where it was carried from, the sections confirmed, what
    still needs attention (in checklist order) and what changed."""

    origin: CarrySource | None = None  # carried from (None: started from an empty form)
    base: Base | None = None  # the period compared with (the origin's period when carried)
    confirmed: dict[str, dt.datetime] = field(default_factory=dict)
    attention: list[Attention] = field(default_factory=list)
    changes: dict[str, Change] = field(default_factory=dict)

    @property
    def carried(self) -> bool:
        return self.origin is not None

    def section(self, section_id: str) -> list[Attention]:
        return [a for a in self.attention if a.section_id == section_id]

    def pending(self) -> list[Attention]:
        """What keeps the draft from being finalized: renew and confirm items untouched."""
        return [a for a in self.attention if a.blocking]

    def item(self, item_id: str) -> list[Attention]:
        return [a for a in self.attention if a.item_id == item_id]

    def can_confirm(self, section_id: str) -> bool:
        return self.carried and section_id not in self.confirmed


def review(checklist: Checklist, answers: Answers, result: ScoreResult, *, origin: CarrySource | None,
           confirmed: Mapping[str, dt.datetime], base: Base | None) -> Review:
    """What each section still needs this period (only for a carried draft) and what changed since
    the base period (whenever there is one)."""
    changes: dict[str, Change] = {}
    if base is not None:  # (the comparison's module only when there is a period to compare with)
        from .carry_compare import compare

        changes = compare(checklist, answers, result.relevant, base)
    out = Review(origin=origin, base=base, confirmed=dict(confirmed), changes=changes)
    if origin is None:
        return out
    missing = {issue.item for issue in result.issues if issue.code == "E-ANS-REQUIRED"}
    then: ScoreResult | None = None  # these answers as of the base's day: did time, or other answers, change it?
    for section in checklist.sections:
        done = section.id in confirmed
        for item in section.items:
            if not result.relevant.get(item.id):
                continue
            found: list[str | tuple[str, str]] = _item_attention(checklist, item, answers, done, item.id in changes)
            if not found and item.id in missing:
                found = [MISSING]
            if base is not None and _worse(checklist, item, result, base, changes):  # said besides the rest
                if then is None:
                    then = score(checklist, answers, today=reference_date(base.info), constraints=False)
                passed_then = then.items.get(item.id)
                found.append(AGED if passed_then is not None and passed_then.status is Status.PASS else AFFECTED)
            for entry in found:
                kind, column = entry if isinstance(entry, tuple) else (entry, None)
                out.attention.append(Attention(item.id, section.id, kind, column))
    return out


def _item_attention(checklist: Checklist, item: Item, answers: Answers, section_confirmed: bool,
                    changed: bool) -> list[str | tuple[str, str]]:
    table_rules = rules(checklist)
    rule = table_rules[item.id]
    if item.type is not ItemType.TABLE:
        value = answers.get(item.id)
        if rule is Refresh.RENEW:
            return [RENEW] if value is None and (item.required or not section_confirmed) else []
        if rule is Refresh.CONFIRM and value is not None and answers.sources.get(item.id) == CARRIED:
            carried = carried_meta(answers.meta.get(item.id)) or {}
            return [] if section_confirmed or carried.get("confirmed_at") else [CONFIRM]
        return []
    rows = answers.rows(item.id)
    if rule is Refresh.RENEW:
        return [RENEW] if not rows and (item.required or not section_confirmed) else []
    found: list[str | tuple[str, str]] = []
    carried_rows = [row for row in rows if row.source == CARRIED]
    for column in item.columns or ():
        if table_rules[f"{item.id}.{column.id}"] is not Refresh.RENEW:
            continue
        if any(column.id not in row.values for row in carried_rows) and (column.required or not section_confirmed):
            found.append((RENEW, column.id))
    confirms = any(table_rules[f"{item.id}.{c.id}"] is Refresh.CONFIRM for c in item.columns or ())
    unconfirmed = [row for row in carried_rows if not (carried_meta(row.meta) or {}).get("confirmed_at")]
    if confirms and unconfirmed and not section_confirmed and not changed:
        found.append(CONFIRM)
    return found


def _worse(checklist: Checklist, item: Item, result: ScoreResult, base: Base, changes: Mapping[str, Change]) -> bool:
    """The answer is last period's, it was met then and is not met now (a date in it, or ``today`` in
    its rule, has moved on; or an answer its rule reads has changed)."""
    if rules(checklist)[item.id] is Refresh.RENEW:
        return False
    change = changes.get(item.id)
    if change is not None and not _only_renewed(checklist, item, change):
        return False
    now, then = result.items.get(item.id), base.result.items.get(item.id)
    return bool(now and then and then.status is Status.PASS and now.status is Status.FAIL)


def _only_renewed(checklist: Checklist, item: Item, change: Change) -> bool:
    """A table whose rows are the carried ones, differing only in columns entered afresh each period."""
    if item.type is not ItemType.TABLE or not change.rows:
        return False
    table_rules = rules(checklist)
    return all(c.kind == "edited" and all(table_rules[f"{item.id}.{col}"] is Refresh.RENEW for col in c.columns)
               for c in change.rows)


def confirmable_items(checklist: Checklist, section_id: str) -> list[str]:
    """The items of a section whose carried answers a section confirmation marks confirmed."""
    out = []
    for item in checklist.section(section_id).items:
        if checklist.refresh(item.id) is Refresh.CONFIRM or any(
                checklist.column_refresh(item.id, c.id) is Refresh.CONFIRM for c in item.columns or ()):
            out.append(item.id)
    return out


# -- words ------------------------------------------------------------------------------------------------------


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def show(spec: Item | Column, value: Any, lang: str = "vi") -> str:
    """A value as a person reads it (years without a thousands separator); empty: «chưa trả lời»."""
    if value is None or (isinstance(value, list) and not value):
        return _t(lang, "chưa trả lời", "not answered")
    return describe(spec, value, lang)


def _row_name(item: Item, row: Row, position: int | None, lang: str) -> str:
    """ "dòng 3 (Chủ tịch UBND)": the row's number and its first text."""
    label = next((str(row.values[c.id]) for c in item.columns or ()
                  if c.type is ItemType.TEXT and row.values.get(c.id)), "")
    if len(label) > 40:
        label = label[:39].rstrip() + "…"
    number = _t(lang, f"dòng {position}", f"row {position}") if position else ""
    if number and label:
        return f"{number} ({label})"
    return number or f"«{label}»"


def count_noun(item: Item, count: int, lang: str) -> str:
    """ "3 máy tính" / "3 computers" / "không có máy tính"; rows when the item names none."""
    if item.row_label is not None:
        word = item.row_label.get(lang)
        word = word[:1].lower() + word[1:]
    else:
        word = _t(lang, "dòng", "row")
    if lang == "en" and count != 1 and not word.endswith("s"):
        word += "s"
    if count == 0:
        return _t(lang, f"không có {word}", f"no {word}")
    return f"{count} {word}"


def cell_change(column: Column, before: Any, after: Any, lang: str = "vi") -> str:
    """ "RAM: 4 → 8 GB" """
    return f"{column.label.get(lang)}: {show(column, before, lang)} → {show(column, after, lang)}"


def change_text(checklist: Checklist, change: Change, lang: str = "vi", *, detail: int = 3) -> str:
    """What changed, without the period: "12 người → 14 người"; for a table "Thêm 1 máy tính: dòng 31 (Văn
    thư). 1 máy tính có thay đổi: dòng 3 (Chủ tịch UBND): RAM: 4 GB → 8 GB. Không còn 1 chứng thư số: «…»"."""
    item = checklist.item(change.item_id)
    if item.type is not ItemType.TABLE:
        after = show(item, change.after, lang) if change.after_relevant else _t(lang, "không áp dụng", "not applicable")
        before = show(item, change.before, lang) if change.before_relevant else _t(lang, "không áp dụng", "not applicable")
        return f"{before} → {after}"
    if checklist.refresh(item.id) is Refresh.RENEW:  # entered afresh each period: rows are not "the same" ones
        return f"{count_noun(item, len(change.before or ()), lang)} → {count_noun(item, len(change.after or ()), lang)}"
    added = [c for c in change.rows if c.kind == "added"]
    edited = [c for c in change.rows if c.kind == "edited"]
    removed = [c for c in change.rows if c.kind == "removed"]
    parts = []
    if added:
        names = "; ".join(_row_name(item, c.row, c.position, lang) for c in added[:detail])  # type: ignore[arg-type]
        more = _t(lang, "; …", "; …") if len(added) > detail else ""
        parts.append(_t(lang, f"thêm {count_noun(item, len(added), lang)}: {names}{more}",
                        f"{count_noun(item, len(added), lang)} added: {names}{more}"))
    if edited:
        lines = []
        for c in edited[:detail]:
            columns = {col.id: col for col in item.columns or ()}
            cells = ", ".join(cell_change(columns[cid], c.before.values.get(cid) if c.before else None,
                                          c.row.values.get(cid), lang) for cid in c.columns)  # type: ignore[union-attr]
            lines.append(f"{_row_name(item, c.row, c.position, lang)}: {cells}")  # type: ignore[arg-type]
        more = "; …" if len(edited) > detail else ""
        parts.append(_t(lang, f"{count_noun(item, len(edited), lang)} có thay đổi: ", f"{count_noun(item, len(edited), lang)} changed: ")
                     + "; ".join(lines) + more)
    if removed:
        names = "; ".join(_row_name(item, c.before, None, lang) for c in removed[:detail])  # type: ignore[arg-type]
        more = "; …" if len(removed) > detail else ""
        parts.append(_t(lang, f"không còn {count_noun(item, len(removed), lang)}: {names}{more}",
                        f"{count_noun(item, len(removed), lang)} removed: {names}{more}"))
    return ". ".join(p[:1].upper() + p[1:] for p in parts)


def item_note(checklist: Checklist, rev: Review, item_id: str, answers: Answers, lang: str = "vi"
              ) -> tuple[str, str] | None:
    """The line under an item in the window: (text, tone); tone is ``attention`` (something to do),
    ``changed`` (differs from last period) or ``info`` (carried, nothing to do)."""
    item = checklist.item(item_id)
    attention = rev.item(item_id)
    base = rev.base
    since = base.label if base is not None else (period_label(rev.origin.period) if rev.origin else "")
    kinds = {a.kind for a in attention}
    if RENEW in kinds:
        before = _before_value(checklist, rev, item, lang)
        hint = _t(lang, f" (kỳ {since}: {before})", f" ({since}: {before})") if before else ""
        column = next((a.column_id for a in attention if a.kind == RENEW and a.column_id), None)
        if column is not None:
            label = item.column(column).label.get(lang)
            return _t(lang, f"Cột «{label}» không mang sang từ kỳ trước: nhập giá trị của kỳ này cho từng dòng.",
                      f"Column '{label}' is not carried over: enter this period's value in each row."), "attention"
        optional = not item.required
        return _t(lang, f"Không mang sang từ kỳ trước: nhập số liệu của kỳ này{' (nếu có)' if optional else ''}{hint}.",
                  f"Not carried over: enter this period's figure{' (if any)' if optional else ''}{hint}."), "attention"
    change = rev.changes.get(item_id)
    renewed_only = change is not None and _only_renewed(checklist, item, change)
    if change is not None and base is not None and not (renewed_only and kinds & {AGED, AFFECTED}):
        return _t(lang, f"Đã thay đổi so với kỳ {since}: {change_text(checklist, change, lang)}.",
                  f"Changed since {since}: {change_text(checklist, change, lang)}."), "changed"
    if CONFIRM in kinds:
        return _t(lang, f"Mang sang từ kỳ {since}: xác nhận còn đúng, hoặc sửa nếu đã thay đổi.",
                  f"Carried over from {since}: confirm it still holds, or change it."), "attention"
    if AGED in kinds:
        return _t(lang, f"Như kỳ {since}, nhưng nay Chưa đạt: đã qua ngày ghi trong câu trả lời hoặc trong yêu cầu.",
                  f"As in {since}, but now not met: a date in the answer or in the requirement has passed."), "attention"
    if AFFECTED in kinds:
        return _t(lang, f"Như kỳ {since}, nhưng nay Chưa đạt vì câu trả lời khác đã thay đổi: xem lại.",
                  f"As in {since}, but now not met because other answers changed: check it."), "attention"
    if not rev.carried or not _carried_of(item, answers):
        return None
    origin = period_label(rev.origin.period) if rev.origin else since
    section_id = checklist.section_of(item_id).id
    if checklist.refresh(item_id) is not Refresh.KEEP and (section_id in rev.confirmed or _confirmed(item, answers)):
        return _t(lang, f"Mang sang từ kỳ {origin}, đã xác nhận không thay đổi.",
                  f"Carried over from {origin}, confirmed unchanged."), "info"
    return _t(lang, f"Mang sang từ kỳ {origin}.", f"Carried over from {origin}."), "info"


def _carried_of(item: Item, answers: Answers) -> bool:
    if item.type is ItemType.TABLE:
        return any(row.source == CARRIED for row in answers.rows(item.id))
    return answers.sources.get(item.id) == CARRIED


def _confirmed(item: Item, answers: Answers) -> bool:
    if item.type is ItemType.TABLE:
        rows = [row for row in answers.rows(item.id) if row.source == CARRIED]
        return bool(rows) and all((carried_meta(row.meta) or {}).get("confirmed_at") for row in rows)
    return bool((carried_meta(answers.meta.get(item.id)) or {}).get("confirmed_at"))


def _before_value(checklist: Checklist, rev: Review, item: Item, lang: str) -> str | None:
    """Last period's answer in words (scalars; ``None`` when there was none)."""
    base = rev.base
    if base is None or item.type is ItemType.TABLE or not base.result.relevant.get(item.id):
        return None
    old_item = item_of(base.checklist, item.id)
    value = base.answers.get(item.id) if old_item is not None else None
    if value is None or old_item is None:
        return None
    readable = recoerced(item, old_item, value)
    return show(item, readable, lang) if readable is not None else show(old_item, value, lang)


def attention_text(checklist: Checklist, entry: Attention, rev: Review, lang: str = "vi") -> str:
    """What one entry asks, short, for a section's list: "nhập số liệu của kỳ này"."""
    item = checklist.item(entry.item_id)
    since = rev.base.label if rev.base is not None else (period_label(rev.origin.period) if rev.origin else "")
    if entry.kind == RENEW:
        if entry.column_id:
            column = item.column(entry.column_id).label.get(lang)
            return _t(lang, f"nhập «{column}» của kỳ này cho từng dòng", f"enter this period's '{column}' in each row")
        before = _before_value(checklist, rev, item, lang)
        hint = _t(lang, f" (kỳ {since}: {before})", f" ({since}: {before})") if before else ""
        if item.required:
            return _t(lang, f"nhập số liệu của kỳ này{hint}", f"enter this period's figure{hint}")
        return _t(lang, f"nhập nếu kỳ này có{hint}", f"enter if there is any this period{hint}")
    if entry.kind == CONFIRM:
        return _t(lang, "xác nhận còn đúng hoặc sửa", "confirm it still holds, or change it")
    if entry.kind == MISSING:
        return _t(lang, "câu bắt buộc, chưa trả lời", "required, not answered")
    if entry.kind == AGED:
        return _t(lang, f"như kỳ {since} nhưng nay Chưa đạt: đã qua ngày", f"as in {since} but now not met: a date has passed")
    return _t(lang, f"như kỳ {since} nhưng nay Chưa đạt do câu khác đã thay đổi",
              f"as in {since} but now not met because other answers changed")


def untouched_message(checklist: Checklist, rev: Review, period: str, lang: str = "vi") -> str | None:
    """Why a carried draft cannot be finalized yet, naming the first untouched renew or confirm item
    with its number; ``None`` when nothing is untouched."""
    pending = rev.pending()
    if not pending:
        return None
    first = pending[0]
    item = checklist.item(first.item_id)
    section = checklist.section(first.section_id)
    number = checklist.number(item.id)
    s_number = checklist.section_number(section.id)
    label = item.label.get(lang)
    s_title = section.title.get(lang)
    now = period_label(period)
    since = rev.base.label if rev.base is not None else (period_label(rev.origin.period) if rev.origin else "")
    button = _t(lang, "«Không thay đổi so với kỳ trước»", "“No change since last period”")
    if first.kind == CONFIRM:
        what = _t(lang, f"câu {number} «{label}» mang sang từ kỳ {since} chưa được xác nhận: sửa nếu đã thay đổi, "
                        f"hoặc bấm {button} ở phần {s_number} «{s_title}»",
                  f"question {number} “{label}”, carried over from {since}, is not confirmed: change it if it has "
                  f"changed, or press {button} in section {s_number} “{s_title}”")
    elif first.column_id:
        column = item.column(first.column_id).label.get(lang)
        what = _t(lang, f"cột «{column}» của câu {number} «{label}» chưa có giá trị của kỳ {now} ở mọi dòng "
                        "(cột này không mang sang từ kỳ trước)",
                  f"column “{column}” of question {number} “{label}” has no {now} value in every row "
                  "(it is not carried over)")
    elif item.required:
        what = _t(lang, f"câu {number} «{label}» chưa có số liệu của kỳ {now} (số liệu kỳ trước không được mang sang)",
                  f"question {number} “{label}” has no figure for {now} (last period's is not carried over)")
    else:
        what = _t(lang, f"câu {number} «{label}» chưa được xem cho kỳ {now}: nhập nếu kỳ này có, hoặc bấm {button} "
                        f"ở phần {s_number} «{s_title}» nếu không có gì mới",
                  f"question {number} “{label}” has not been looked at for {now}: fill it in if there is anything "
                  f"this period, or press {button} in section {s_number} “{s_title}” if there is nothing new")
    text = _t(lang, f"Chưa hoàn thành được: {what}.", f"Cannot finalize yet: {what}.")
    others = len({a.item_id for a in pending}) - 1
    if others > 0:
        text += _t(lang, f" Còn {others} câu khác cần xem lại cho kỳ này; danh sách ở đầu mỗi phần.",
                   f" {others} other question(s) need a look this period; each section lists them at the top.")
    return text
