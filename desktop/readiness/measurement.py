"""How and when a value was measured: the metadata the probes leave on answers and table rows.

Every stored answer and table row has a ``source`` — ``'typed'`` (by the officer), ``'probe'``
(read from this PC: a row of the PC table, a certificate), ``'measured'`` (a speed test), or
``'import'`` … — and a ``meta`` JSON object.  A probe's ``meta`` says how and when::

    {"probe": "network", "method": "HTTP, 4 luồng song song", "measured_at": "2026-11-24T03:42:10+00:00",
     "endpoint": "Sở KH&CN", "endpoint_url": "https://…/25MB.bin", "streams": 4, "duration_s": 9.8, …}

``measured_at`` is the probe's ISO 8601 time in UTC; it is shown in local time.  Typing over a
measured value makes it ``'typed'`` again and drops ``meta`` (``AssessmentSession.set_answer``).
``meta`` is informative: it is not part of the submission's seals (see
``docs/submission-format.md``), like ``source``.

This module builds the metadata from the probes' reports (duck-typed: no probe is imported), saves
a report into an assessment through :class:`~readiness.service.AssessmentSession` — the one path
the GUI's buttons and ``readiness probe … --save`` share — and says in words how and when a value
was taken (the item's grey line in the app, the note column of the workbook, the PDF's annex).
Qt-free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any, Protocol

from .answers import AnswerError, Row, format_number
from .checklist.model import Checklist, Item, ItemType
from .record import Data, data

SOURCE_TYPED = "typed"
SOURCE_PROBE = "probe"  # read from this PC (a PC-table row, a certificate)
SOURCE_MEASURED = "measured"  # a speed test
AUTOMATIC = (SOURCE_PROBE, SOURCE_MEASURED)

# Which figure of a network report fills which checklist item (items marked ``probe: network``).
NETWORK_ITEMS: dict[str, str] = {
    "measured_down_mbps": "download_mbps",
    "measured_up_mbps": "upload_mbps",
    "latency_ms": "latency_ms",
}
CERTIFICATE_TABLE = "certificates"  # the personal-certificate table the signing check can fill
CERTIFICATE_COLUMNS = ("holder", "role", "kind", "expiry")


def automatic_source(source: str | None, meta: Mapping[str, Any] | None) -> str | None:
    """``probe`` or ``measured`` when a probe took the value, also when it was then carried into a
    later period (``source='carried'``, ``meta["carried"]["from_source"]``); ``None`` otherwise."""
    if source in AUTOMATIC:
        return source
    carried = (meta or {}).get("carried")
    if source == "carried" and isinstance(carried, dict) and carried.get("from_source") in AUTOMATIC:
        return carried["from_source"]
    return None


def _carried_from(source: str | None, meta: Mapping[str, Any] | None, lang: str) -> str:
    carried = (meta or {}).get("carried")
    period = carried.get("from_period") if source == "carried" and isinstance(carried, dict) else None
    if not isinstance(period, str) or len(period) != 7:
        return ""
    label = f"{period[5:]}/{period[:4]}"
    return f"; carried over from {label}" if lang == "en" else f"; mang sang từ kỳ {label}"


# -- words ------------------------------------------------------------------------------------


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time as the probes write it (``…+00:00`` or ``…Z``); naive means UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed


def when_text(meta: Mapping[str, Any] | None, lang: str = "vi", tz: dt.tzinfo | None = None) -> str | None:
    """ "10:42 ngày 24/11/2026" / "10:42 on 24/11/2026", in ``tz`` (default: this computer's zone)."""
    moment = parse_time((meta or {}).get("measured_at"))
    if moment is None:
        return None
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    joiner = "on" if lang == "en" else "ngày"
    return f"{local:%H:%M} {joiner} {local:%d/%m/%Y}"


def describe(source: str | None, meta: Mapping[str, Any] | None, lang: str = "vi",
             tz: dt.tzinfo | None = None) -> str | None:
    """How and when an answer was taken, in one line; ``None`` for typed (or imported) answers.

    ``"Đo tự động lúc 10:42 ngày 24/11/2026 (máy chủ: Sở KH&CN, 4 luồng)"``
    """
    original = automatic_source(source, meta)
    if original is None:
        return None
    carried = _carried_from(source, meta, lang)
    source = original
    meta = meta or {}
    when = when_text(meta, lang, tz)
    details: list[str] = []
    en = lang == "en"
    if meta.get("endpoint"):
        details.append(f"{'server' if en else 'máy chủ'}: {meta['endpoint']}")
    streams = meta.get("streams")
    if isinstance(streams, int) and not isinstance(streams, bool) and streams > 0:
        details.append(f"{streams} {'stream' if streams == 1 else 'streams'}" if en else f"{streams} luồng")
    if meta.get("machine_name") and not meta.get("endpoint"):
        details.append(f"{'computer' if en else 'máy'}: {meta['machine_name']}")
    if source == SOURCE_MEASURED:
        lead = "Measured automatically" if en else "Đo tự động"
    else:
        lead = "Detected on the computer" if en else "Tự nhận diện trên máy"
    text = f"{lead} {'at' if en else 'lúc'} {when}" if when else lead
    if details:
        text += f" ({', '.join(details)})"
    return text + carried


def row_mark(row: Row, lang: str = "vi", tz: dt.tzinfo | None = None) -> str | None:
    """A table row filled by a probe: ``"Tự nhận diện lúc 10:42 ngày 24/11/2026 (máy: PC-01)"``."""
    if automatic_source(row.source, row.meta) is None:
        return None
    meta = row.meta or {}
    when = when_text(meta, lang, tz)
    en = lang == "en"
    text = "Detected automatically" if en else "Tự nhận diện"
    if when:
        text += f" {'at' if en else 'lúc'} {when}"
    if meta.get("machine_name"):
        text += f" ({'computer' if en else 'máy'}: {meta['machine_name']})"
    return text + _carried_from(row.source, row.meta, lang)


def probe_items(checklist: Checklist, probe: str) -> list[Item]:
    """The items a probe fills (``probe: pc`` / ``probe: network`` in the checklist), in order."""
    return [item for item in checklist.items() if item.probe == probe]


# -- metadata from the reports ------------------------------------------------------------------


def pc_meta(report: Any) -> dict[str, Any]:
    """``meta`` of a PC-table row filled by ``probe_pc()``."""
    from . import __version__

    return _clean({
        "probe": "pc",
        "method": "Phần mềm đọc cấu hình máy (không cần quyền quản trị)",
        "measured_at": report.measured_at,
        "machine_name": report.machine_name,
        "platform": report.platform,
        "methods": dict(report.methods or {}),
        "notes": list(report.notes or ()),
        "app_version": __version__,
    })


def pc_values(report: Any) -> dict[str, Any]:
    """The PC-table row of a report (``report.checklist_row()``, i.e. ``probe.pc.pc_row``, without its
    ``source``: that is not a column)."""
    return {key: value for key, value in report.checklist_row().items() if key != "source"}


def network_meta(report: Any, item_id: str | None = None) -> dict[str, Any]:
    """``meta`` of a measured-speed answer (one per item: the latency says how it was timed)."""
    from . import __version__

    meta = {
        "probe": "network",
        "method": f"HTTP(S), {report.streams} luồng song song" if report.streams else "HTTP(S)",
        "measured_at": report.measured_at,
        "endpoint": report.endpoint,
        "endpoint_url": report.endpoint_url,
        "streams": report.streams,
        "duration_s": report.duration_s,
        "time_cap_s": report.time_cap_s,
        "status": report.status,
        "app_version": __version__,
    }
    if item_id is not None:
        meta["field"] = NETWORK_ITEMS.get(item_id)
        if NETWORK_ITEMS.get(item_id) == "latency_ms":
            meta["method"] = report.latency_method or meta["method"]
    return _clean(meta)


def network_values(checklist: Checklist, report: Any) -> dict[str, float]:
    """Item id → measured figure, for the checklist's ``probe: network`` items the report measured."""
    values: dict[str, float] = {}
    for item in probe_items(checklist, "network"):
        field_name = NETWORK_ITEMS.get(item.id)
        value = getattr(report, field_name, None) if field_name else None
        if value is not None:
            values[item.id] = value
    return values


def signing_meta(report: Any) -> dict[str, Any]:
    """``meta`` of a certificate row found in this PC's certificate store."""
    from . import __version__

    result = report.result("user_certificates") if hasattr(report, "result") else None
    return _clean({
        "probe": "signing",
        "method": (result.method if result is not None and result.method else "Kho chứng thư số của người dùng"),
        "measured_at": report.measured_at,
        "platform": report.platform,
        "app_version": __version__,
    })


def certificate_values(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``certificate_rows(report)`` without their ``source`` (not a column)."""
    return [{key: value for key, value in row.items() if key in CERTIFICATE_COLUMNS} for row in rows]


def _clean(meta: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in meta.items() if value not in (None, "", [], {})}


# -- saving ---------------------------------------------------------------------------------------


@data()
class SavedRow(Data):
    """A row a probe added; ``refused`` cells were left empty (column id → why)."""

    item_id: str
    row: Row
    refused: dict[str, AnswerError] = field(default_factory=dict)


@data()
class SavedAnswers(Data):
    """Measured answers saved (item id → value) and refused (item id → why; nothing saved for them)."""

    saved: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, AnswerError] = field(default_factory=dict)


class AnswerSession(Protocol):
    """What saving a probe's values needs of an open assessment: a :class:`readiness.service.AssessmentSession`
    (described here, not imported: service and measurement are sibling layers)."""

    checklist: Checklist

    def check(self, item_id: str, raw: Any) -> tuple[Any, AnswerError | None]: ...

    def set_answer(self, item_id: str, raw: Any, *, source: str = "typed",
                   meta: Mapping[str, Any] | None = None) -> Any: ...

    def add_row(self, item_id: str, raw_values: Mapping[str, Any] | None = None, *, source: str = "typed",
                meta: Mapping[str, Any] | None = None, after_row: int | None = None) -> Row: ...


def add_probe_row(session: AnswerSession, item_id: str, values: Mapping[str, Any], meta: Mapping[str, Any]) -> SavedRow:
    """Add a row with ``source='probe'``; a value the core refuses is left empty and reported.

    Raises StoreError (finalized assessment, full table).
    """
    return add_row_keeping_valid(session, item_id, values, source=SOURCE_PROBE, meta=meta)


def add_row_keeping_valid(session: AnswerSession, item_id: str, values: Mapping[str, Any], *, source: str,
                          meta: Mapping[str, Any] | None = None, after_row: int | None = None) -> SavedRow:
    """Add a row; each cell the core refuses is left empty and reported (so a probe that read one
    odd value still fills the rest).  Raises AnswerError for a refusal of the row itself, StoreError
    (finalized assessment, full table)."""
    pending = dict(values)
    refused: dict[str, AnswerError] = {}
    while True:
        try:
            row = session.add_row(item_id, pending, source=source, meta=meta, after_row=after_row)
            return SavedRow(item_id, row, refused)
        except AnswerError as error:
            if not error.column or error.column not in pending:
                raise
            refused[error.column] = error
            pending.pop(error.column)


def pc_table(checklist: Checklist) -> Item:
    """The table the PC probe fills (``probe: pc``)."""
    for item in probe_items(checklist, "pc"):
        if item.type is ItemType.TABLE:
            return item
    raise KeyError("pc")


def save_pc(session: AnswerSession, report: Any) -> SavedRow:
    """A new row of the PC table from ``probe_pc()``'s report (``source='probe'``, ``meta``)."""
    return add_probe_row(session, pc_table(session.checklist).id, pc_values(report), pc_meta(report))


def save_network(session: AnswerSession, report: Any) -> SavedAnswers:
    """Store the figures of a measurement (``ok`` or ``partial``) with ``source='measured'``.

    Each figure is checked first; one the checklist refuses (say 12,000 Mbps) is not saved and is
    reported, the others are.  Raises StoreError (a finalized assessment).
    """
    outcome = SavedAnswers()
    if report.status not in ("ok", "partial"):
        return outcome
    for item_id, value in network_values(session.checklist, report).items():
        _, problem = session.check(item_id, value)
        if problem is not None:
            outcome.refused[item_id] = problem
            continue
        outcome.saved[item_id] = session.set_answer(item_id, value, source=SOURCE_MEASURED,
                                                    meta=network_meta(report, item_id))
    return outcome


def network_summary(report: Any, lang: str = "vi") -> str:
    """ "tải xuống 95,3 Mbps; tải lên 40,1 Mbps; độ trễ 12 ms" (what was measured)."""
    en = lang == "en"
    parts = []
    for name_vi, name_en, value, unit in (("tải xuống", "download", report.download_mbps, "Mbps"),
                                          ("tải lên", "upload", report.upload_mbps, "Mbps"),
                                          ("độ trễ", "latency", report.latency_ms, "ms")):
        if value is not None:
            parts.append(f"{name_en if en else name_vi} {format_number(round(float(value), 1), lang)} {unit}")
    return "; ".join(parts)


__all__ = [
    "AUTOMATIC", "CERTIFICATE_TABLE", "automatic_source", "NETWORK_ITEMS", "SOURCE_MEASURED", "SOURCE_PROBE", "SOURCE_TYPED",
    "SavedAnswers", "SavedRow", "add_probe_row", "certificate_values", "describe", "network_meta",
    "network_summary", "network_values", "parse_time", "pc_meta", "pc_table", "pc_values", "probe_items",
    "row_mark", "save_network", "save_pc", "signing_meta", "when_text",
]
