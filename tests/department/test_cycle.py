"""The reporting cycle (issue 14 §2): a period's deadline, on time or late at its edges (Asia/Ho_Chi_Minh),
each commune's state (on time, late, held, refused, missing), the reporting and on-time rates, and
where they show: ``readiness status`` (text and --json), ``readiness period``, the provincial report, the trend."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

UTC = dt.UTC
VN = dt.timezone(dt.timedelta(hours=7))
PERIOD = "2025-12"
DEADLINE = dt.date(2026, 1, 5)


# -- the deadline's edges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "on_time"), [
    (dt.datetime(2026, 1, 5, 23, 59, 59, tzinfo=VN), True),  # the last second of the deadline day
    (dt.datetime(2026, 1, 5, 23, 59, 59, 999999, tzinfo=VN), True),
    (dt.datetime(2026, 1, 6, 0, 0, 0, tzinfo=VN), False),  # midnight after it
    (dt.datetime(2026, 1, 5, 16, 59, 59, tzinfo=UTC), True),  # the same edges in UTC
    (dt.datetime(2026, 1, 5, 17, 0, 0, tzinfo=UTC), False),
    (dt.datetime(2026, 1, 5, 16, 59, 59), True),  # naive: stored UTC (SQLite keeps no zone)
    (dt.datetime(2026, 1, 5, 17, 0, 0), False),
    (dt.datetime(2026, 1, 5, 0, 0, 0, tzinfo=VN), True),
    (dt.datetime(2026, 1, 4, 23, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), True),  # 11:00 on the 5th in Vietnam
    (dt.datetime(2026, 1, 5, 12, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), False),  # 00:00 on the 6th
])
def test_is_on_time__deadline_edges_in_vietnam__as_stated(moment, on_time):
    from readiness.department.cycle import is_on_time

    assert is_on_time(moment, DEADLINE) is on_time


def test_deadline_moment__end_of_day_plus_seven():
    from readiness.department.cycle import deadline_end, deadline_moment

    assert deadline_moment(DEADLINE).isoformat() == "2026-01-05T23:59:59+07:00"
    assert deadline_end(DEADLINE) == dt.datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "days"), [
    (dt.datetime(2026, 1, 5, 16, 59, 59, tzinfo=UTC), 0),
    (dt.datetime(2026, 1, 5, 17, 0, 0, tzinfo=UTC), 1),  # 00:00 on the 6th in Vietnam: one day late
    (dt.datetime(2026, 1, 8, 9, 0, tzinfo=VN), 3),
])
def test_days_late__counted_in_vietnamese_days(moment, days):
    from readiness.department.cycle import days_late

    assert days_late(moment, DEADLINE) == days


def _time(revision=1, *, finalized, received, signed=None, signature=None):
    from readiness.department.cycle import SubmissionTime

    return SubmissionTime(f"a{revision}", revision, finalized, received, signed, signature)


def test_submission__finalized_on_time_received_late__late():
    on_time_finish = dt.datetime(2026, 1, 5, 10, tzinfo=VN)
    late_receipt = dt.datetime(2026, 1, 6, 8, tzinfo=VN)
    submission = _time(finalized=on_time_finish, received=late_receipt)
    assert submission.on_time(DEADLINE) is False and submission.late_by(DEADLINE) == 1
    assert _time(finalized=on_time_finish, received=on_time_finish).on_time(DEADLINE) is True


def test_submission__valid_signature__its_time_counts_not_the_finalization():
    finalized = dt.datetime(2026, 1, 4, 10, tzinfo=VN)
    received = dt.datetime(2026, 1, 5, 23, 0, tzinfo=VN)
    signed_late = _time(finalized=finalized, received=received, signed=dt.datetime(2026, 1, 6, 0, 0, 1, tzinfo=VN),
                        signature="valid")
    assert signed_late.completed_at.day == 6 and signed_late.on_time(DEADLINE) is False
    assert _time(finalized=finalized, received=received).on_time(DEADLINE) is True
    assert _time(finalized=finalized, received=received).on_time(None) is None  # no deadline: neither


def test_submission_time__invalid_signature__finalization_time_counts():
    from readiness.department.cycle import submission_time
    from readiness.store.cycle import SubmissionRecord

    record = SubmissionRecord("x", "23500", PERIOD, 1, "finalized", "import", dt.datetime(2026, 1, 4, tzinfo=UTC),
                              dt.datetime(2026, 1, 5, tzinfo=UTC), 70.0, "basic", "c", 2, None, None, 1, "f.xlsx",
                              "a" * 64, 10, "u")

    class Signature:
        status, signed_at = "invalid", dt.datetime(2027, 1, 1, tzinfo=UTC)

    time = submission_time(record, Signature())
    assert time.signed_at is None and time.completed_at == record.finalized_at and time.on_time(DEADLINE)
    from dataclasses import replace

    local = submission_time(replace(record, origin="local"), None)
    assert local.received_at == record.finalized_at  # entered at the department: received when finalized


def test_commune_cycle__states():
    from readiness.department.cycle import commune_cycle
    from readiness.store.cycle import RejectedFile

    early = dt.datetime(2026, 1, 3, 9, tzinfo=VN)
    late = dt.datetime(2026, 1, 9, 9, tzinfo=VN)
    refused = RejectedFile(1, "23500", PERIOD, 1, "x.xlsx", "b" * 64, early, "E-IMPORT-EDITED", "Tệp đã bị sửa.")
    assert commune_cycle(DEADLINE, [], []).state == "missing"
    assert commune_cycle(DEADLINE, [], [refused]).state == "refused"
    on_time = commune_cycle(DEADLINE, [_time(1, finalized=early, received=early)], [refused])
    assert on_time.state == "on_time" and on_time.refused == ()  # a later accepted file: refusals are history
    # The first submission decides: a late correction does not make an on-time report late.
    corrected = commune_cycle(DEADLINE, [_time(2, finalized=late, received=late), _time(1, finalized=early, received=early)], [])
    assert corrected.state == "on_time" and corrected.first.revision == 1 and corrected.latest.revision == 2
    assert "bản sửa lần 2" in corrected.describe()
    was_late = commune_cycle(DEADLINE, [_time(1, finalized=late, received=late)], [])
    assert (was_late.state, was_late.days_late) == ("late", 4)
    assert was_late.describe().startswith("Sau hạn 4 ngày, nhận 09/01/2026 09:00")
    held = commune_cycle(DEADLINE, [_time(1, finalized=early, received=early)], [], held=1)
    assert held.state == "held" and held.timeliness == "on_time"
    assert commune_cycle(None, [_time(1, finalized=late, received=late)], []).state == "received"


def test_summary__dhis2_rates():
    from readiness.department.cycle import commune_cycle, summarize

    early = dt.datetime(2026, 1, 3, 9, tzinfo=VN)
    late = dt.datetime(2026, 1, 9, 9, tzinfo=VN)
    cycles = ([commune_cycle(DEADLINE, [_time(finalized=early, received=early)], [])] * 3
              + [commune_cycle(DEADLINE, [_time(finalized=late, received=late)], [])]
              + [commune_cycle(DEADLINE, [], [])] * 4)
    summary = summarize(PERIOD, DEADLINE, cycles)
    assert (summary.expected, summary.received, summary.on_time, summary.late, summary.missing) == (8, 4, 3, 1, 4)
    assert summary.reporting_rate == 0.5 and summary.on_time_rate == 3 / 8  # on time ÷ expected (DHIS2)
    assert summary.sentence() == ("Hạn nộp 05/01/2026: đã nhận 4/8 (50%); đúng hạn 3 (37,5%), sau hạn 1; "
                                  "chưa nộp 4.")
    none = summarize(PERIOD, None, cycles)
    assert none.on_time_rate is None and "chưa đặt hạn nộp" in none.status_line()


# -- the period's deadline in the database ----------------------------------------------------------------


def test_set_deadline__stored_listed_cleared(workspace):
    from readiness.department.cycle import list_periods, period_deadline, set_deadline
    from readiness.store.db import StoreError

    set_deadline(workspace, "12/2025", DEADLINE, user="can-bo")
    assert period_deadline(workspace, PERIOD) == DEADLINE
    (info,) = list_periods(workspace)
    assert (info.period, info.deadline, info.has_data, info.updated_by) == (PERIOD, DEADLINE, False, "can-bo")
    with pytest.raises(StoreError) as before:
        set_deadline(workspace, PERIOD, dt.date(2025, 1, 5))  # the year mistyped
    assert before.value.code == "E-PERIOD-DEADLINE" and "01/12/2025" in before.value.message
    assert period_deadline(workspace, PERIOD) == DEADLINE  # nothing changed
    set_deadline(workspace, PERIOD, None)
    assert period_deadline(workspace, PERIOD) is None


def test_period_cli__set_list_json(db_url, capsys):
    from readiness.cli import main

    assert main(["--db", db_url, "period", "set", "2025-12", "--deadline", "05/01/2026"]) == 0
    assert "05/01/2026" in capsys.readouterr().out
    assert main(["--db", db_url, "period", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["period"] == PERIOD and listed[0]["deadline"] == "2026-01-05"
    with pytest.raises(SystemExit) as usage:
        main(["--db", db_url, "period", "set", "2025-12", "--deadline", "31/02/2026"])
    assert usage.value.code == 2 and "31/02/2026" in capsys.readouterr().err
    assert main(["--db", db_url, "period", "set", "2025-12", "--no-deadline"]) == 0
    assert "Đã bỏ hạn nộp" in capsys.readouterr().out


# -- communes through the import --------------------------------------------------------------------------


class Clock:
    """What ``utcnow`` answers while files are imported (so a receipt falls where the test says)."""

    def __init__(self, monkeypatch):
        import readiness.store.imports as imports

        self.now = dt.datetime(2026, 1, 3, 2, 0, tzinfo=UTC)
        monkeypatch.setattr(imports, "utcnow", lambda: self.now)


def _import(workspace, paths, clock=None, when=None):
    from readiness.department.importer import import_paths

    if clock is not None and when is not None:
        clock.now = when
    return import_paths(workspace, [str(p) for p in paths], jobs=0)


@pytest.fixture(scope="module")
def cycle_ws(tmp_path_factory, submission_factory, wb_tools):
    """Five communes of 2025-12: on time, late (received the second after the deadline), corrected after
    the deadline, refused (a hand-edited file), and one with a later revision held; the rest missing.
    Built once for the module (read-only tests)."""
    from readiness.department.cycle import set_deadline
    from readiness.service import Workspace
    from readiness.store.imports import HoldReason, IncomingAssessment, LogEntry, store_assessment

    folder = tmp_path_factory.mktemp("cycle")
    submissions = submission_factory(folder / "inbox")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("READINESS_HOME", str(folder / "home"))
        dept = Workspace.open(f"sqlite:///{folder / 'dept.sqlite3'}")
        clock = Clock(monkeypatch)
        set_deadline(dept, PERIOD, DEADLINE)
        on_time = submissions.write("23500", period=PERIOD)
        late = submissions.write("21034", period=PERIOD)
        corrected_1 = submissions.write("23377", period=PERIOD)
        corrected_2 = submissions.write("23377", period=PERIOD, revision=2, seed=5)
        assert _import(dept, [on_time], clock, dt.datetime(2026, 1, 5, 16, 59, 59, tzinfo=UTC)).results[0].status \
            == "imported"
        assert _import(dept, [late], clock, dt.datetime(2026, 1, 5, 17, 0, 0, tzinfo=UTC)).results[0].status \
            == "imported"
        _import(dept, [corrected_1], clock, dt.datetime(2026, 1, 2, 3, tzinfo=UTC))
        _import(dept, [corrected_2], clock, dt.datetime(2026, 1, 12, 3, tzinfo=UTC))

        from openpyxl import load_workbook

        source = submissions.write("21025", period=PERIOD)
        edited = folder / "21025_edited.xlsx"
        book = load_workbook(source)
        sheet, cell = wb_tools.item_cell(book, "officers")
        book[sheet][cell] = 999
        book.save(edited)
        refused = _import(dept, [edited], clock, dt.datetime(2026, 1, 4, 1, tzinfo=UTC)).results[0]
        assert refused.status == "rejected"

        signed = submissions.write("21499", period=PERIOD)
        _import(dept, [signed], clock, dt.datetime(2026, 1, 4, 1, tzinfo=UTC))
        clock.now = dt.datetime(2026, 1, 7, 1, tzinfo=UTC)
        current = dept.store.current_assessment("21499", PERIOD)
        held = IncomingAssessment(
            id=str(uuid.uuid4()), commune_code="21499", period=PERIOD, revision=2, status="finalized",
            checklist_id=current.checklist_id, checklist_version=current.checklist_version,
            checklist_hash=current.checklist_hash, answers_sha256="9" * 64, finalized_at=clock.now, score=50.0,
            level="not_ready")
        outcome = store_assessment(dept.store, held, LogEntry("21499_r2.xlsx", "/tmp/21499_r2.xlsx", "c" * 64, 10),
                                   guard=lambda _s, _i: HoldReason("W-HELD-UNSIGNED", "Bản mới không ký số.", 1))
        assert outcome.status == "held"
    dept.inbox = folder / "inbox"
    yield dept
    dept.close()


def test_status__each_cycle_state_with_dates(cycle_ws):
    from readiness.department.status import period_status

    report = period_status(cycle_ws, PERIOD)
    rows = {row.code: row.cycle for row in report.rows}
    assert rows["23500"].state == "on_time"  # received at 23:59:59 +07:00
    assert rows["21034"].state == "late" and rows["21034"].days_late == 1  # received at 00:00:00 +07:00
    assert rows["23377"].state == "on_time" and rows["23377"].latest.revision == 2  # corrected afterwards
    assert rows["21025"].state == "refused" and rows["21025"].refused[-1].file_name == "21025_edited.xlsx"
    assert rows["21499"].state == "held" and rows["21499"].timeliness == "on_time"
    assert rows["23302"].state == "missing"
    cycle = report.cycle
    assert (cycle.expected, cycle.received, cycle.on_time, cycle.late, cycle.held, cycle.refused) == (96, 4, 3, 1, 1, 1)
    assert cycle.missing == 92 and cycle.on_time_rate == 3 / 96


def test_status__cycle_filter_and_json(cycle_ws):
    from readiness.department.status import StatusFilters, period_status

    late = period_status(cycle_ws, PERIOD, StatusFilters(cycle="late"))
    assert [row.code for row in late.rows] == ["21034"] and late.cycle.expected == 96  # totals stay the scope's
    data = period_status(cycle_ws, PERIOD).to_dict()
    assert data["deadline"] == "2026-01-05"
    assert data["cycle"]["on_time"] == 3 and data["cycle"]["reporting_rate"] == round(4 / 96, 4)
    assert data["late"] == ["21034"] and "23302" in data["missing"] and "21025" in data["missing"]
    (dak_ha,) = [c for c in data["communes"] if c["code"] == "23500"]
    assert dak_ha["cycle"]["first"]["received_at"] == "2026-01-05T23:59:59+07:00"
    assert dak_ha["cycle"]["state"] == "on_time"


def test_status_cli__rates_and_lists(cycle_ws, capsys):
    from readiness.cli import main

    url = cycle_ws.store.url.replace("***", "")
    assert main(["--db", url, "status", "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert "Phải nộp: 96; đã nhận: 4 (4,2%); hạn nộp 05/01/2026: đúng hạn 3 (3,1%), sau hạn 1." in out
    assert "Nộp sau hạn (1): Xã An Phú (1 ngày)." in out
    assert "Chưa nộp (92):" in out and "trong đó có tệp bị từ chối (1): Phường Cẩm Thành" in out
    assert main(["--db", url, "status", "--period", PERIOD, "--cycle", "held", "--json"]) == 0
    held = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in held["communes"]] == ["21499"]


def test_report__states_deadline_and_rates(cycle_ws):
    from readiness.department.consolidate import consolidate
    from readiness.department.report_content import build_report

    data = consolidate(cycle_ws, PERIOD)
    report = build_report(data, [])
    text = "\n".join(block.text for block in report.blocks_before_chart)
    assert "Hạn gửi kết quả: 05/01/2026" in text
    assert "đúng hạn: 3/96 đơn vị (3,1%)" in text and "sau hạn: 1 đơn vị (Xã An Phú)" in text


def test_report_xlsx__cycle_in_summary_and_commune_sheet(cycle_ws, tmp_path):
    from openpyxl import load_workbook

    from readiness.department.consolidate import consolidate
    from readiness.department.report_xlsx import write_report_xlsx

    path = write_report_xlsx(consolidate(cycle_ws, PERIOD), [], tmp_path / "r.xlsx")
    book = load_workbook(path)
    summary = {row[0]: row[1:] for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Hạn nộp"][0] == "05/01/2026"
    assert summary["Đúng hạn"][0] == 3 and summary["Sau hạn"][0] == 1
    sheet = book["Kết quả theo xã"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Thời hạn") + 1
    by_code = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["21034"][column - 1] == "Sau hạn 1 ngày"
    assert by_code["23500"][column - 1] == "Đúng hạn"


def test_trend__rates_per_period(cycle_ws):
    from readiness.department.trend import format_trend, trend

    result = trend(cycle_ws, "2025-11", PERIOD)
    (point,) = result.points
    assert (point.expected, point.received, point.on_time, point.deadline) == (96, 4, 3, DEADLINE)
    assert point.to_dict()["on_time_rate"] == round(3 / 96, 4)
    assert "đúng hạn 3" in format_trend(result, {})
