"""Carry forward (issue 14 §1): a new period started from the last finalized one.

Each refresh rule (keep, confirm, renew; per item and per table column), provenance, dates that age,
confirming sections, finalize refused while a renew or confirm item is untouched, and the rules in
the checklist format (loader problems with their line).
"""

from __future__ import annotations

import datetime as dt

import pytest

from readiness import carry
from readiness.checklist.loader import ChecklistInvalid, ChecklistLibrary, load_checklist_text
from readiness.checklist.model import Refresh
from readiness.service import Workspace
from readiness.store.db import StoreError

from carry_samples import CARRY, FINALIZED_ON, PERIOD, PREVIOUS, PREVIOUS_PERIOD, TODAY, finalized_previous


@pytest.fixture
def carry_library(tmp_path):
    folder = tmp_path / "carry-checklists" / "carry-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(CARRY, encoding="utf-8")
    return ChecklistLibrary(tmp_path / "carry-checklists")


@pytest.fixture
def ws(db_url, carry_library):
    workspace = Workspace.open(db_url, library=carry_library, default_checklist="carry-test")
    yield workspace
    workspace.close()


@pytest.fixture
def started(ws):
    source = finalized_previous(ws)
    session = ws.start("23500", PERIOD)
    session.today = TODAY
    return session, source


def _reopened(ws, period=PERIOD):
    session = ws.session("23500", period, create=False)
    session.today = TODAY
    return session


# -- the format ------------------------------------------------------------------------------------------


def test_refresh__not_written__confirm_for_items_renew_for_the_petition_table_columns_follow_their_table():
    checklist = load_checklist_text(CARRY.replace("refresh: keep, unit: quầy, ", "unit: quầy, "))
    assert checklist.refresh("counters") is Refresh.CONFIRM
    assert checklist.refresh("petitions") is Refresh.RENEW
    assert checklist.column_refresh("certificates", "holder") is Refresh.KEEP
    assert checklist.column_refresh("certificates", "checked") is Refresh.RENEW
    assert checklist.column_refresh("endpoints", "tested") is Refresh.CONFIRM


def test_refresh__unknown_value__coded_problem_with_file_and_line():
    text = CARRY.replace("refresh: keep, unit: quầy", "refresh: sometimes, unit: quầy")
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist_text(text, "carry.yaml")
    problem = caught.value.problems[0]
    line = next(n for n, line in enumerate(text.splitlines(), start=1) if "refresh: sometimes" in line)
    assert (problem.code, problem.file, problem.line, problem.item) == ("E-CL-ENUM", "carry.yaml", line, "general.counters")
    assert "refresh" in problem.message


@pytest.mark.parametrize("change, owner", [
    ("      - id: petitions\n        type: table\n", "petitions"),
    ("      - {id: topic, type: text, label", "petitions.topic"),
])
def test_refresh__carried_petitions_or_carried_column_of_a_renew_table__e_cl_refresh(change, owner):
    if owner == "petitions":
        text = CARRY.replace(change, change + "        refresh: keep\n")
    else:
        text = CARRY.replace(change, "      - {id: topic, type: text, refresh: confirm, label")
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist_text(text, "carry.yaml")
    [problem] = caught.value.problems
    assert (problem.code, problem.item) == ("E-CL-REFRESH", owner)
    assert problem.line is not None and "refresh" in text.splitlines()[problem.line - 1]


def test_real_checklist_v2__every_item_has_a_deliberate_rule(real_checklist):
    """v2 writes a rule on every item: the inventory kept, counts confirmed, figures of the month renewed."""
    assert real_checklist.key == "one-stop-shop-it-readiness@2"
    assert all(item.refresh is not None for item in real_checklist.items())
    rules = {item.id: real_checklist.refresh(item.id) for item in real_checklist.items()}
    for item_id in ("pcs", "certificates", "org_cert_ubnd_expiry"):
        assert rules[item_id] is Refresh.KEEP, item_id
    for item_id in ("officers", "one_stop_staff", "email_accounts", "docmgmt_accounts", "procedure_accounts"):
        assert rules[item_id] is Refresh.CONFIRM, item_id
    for item_id in ("measured_down_mbps", "outages_3m", "vc_last_test", "vc_test_result", "petitions", "other_notes",
                    "system_problems"):
        assert rules[item_id] is Refresh.RENEW, item_id
    assert real_checklist.column_refresh("vc_endpoints", "last_test") is Refresh.CONFIRM
    assert real_checklist.column_refresh("pcs", "ram_gb") is Refresh.KEEP


# -- starting a period ------------------------------------------------------------------------------------


def test_start__keep_and_confirm_items__carried_with_provenance(started):
    session, source = started
    answers = session.answers
    assert session.origin.assessment_id == source.id and session.origin.period == PREVIOUS_PERIOD
    assert (answers.get("respondent"), answers.get("officers"), answers.get("counters")) == ("Nguyễn Thị Hoa", 12, 5)
    for item_id in ("respondent", "officers", "counters"):
        assert answers.sources[item_id] == "carried"
        assert answers.meta[item_id]["carried"] == {"from_period": PREVIOUS_PERIOD, "from_revision": 1,
                                                     "from_assessment": source.id, "from_source": "typed"}
    assert session.info.revision == 1 and session.info.is_draft


def test_start__renew_items_and_petitions__not_carried(started):
    session, _ = started
    for item_id in ("measured", "outages", "notes", "petitions"):
        assert session.answers.get(item_id) is None, item_id


def test_start__table_rows__carried_without_renew_columns_each_row_naming_its_original(started, ws):
    session, source = started
    rows = session.answers.rows("certificates")
    assert [r.values for r in rows] == [{"holder": "Đỗ Thu Mai", "expiry": dt.date(2026, 11, 10)},
                                       {"holder": "Võ Quốc Tâm", "expiry": dt.date(2028, 3, 1)}]
    originals = ws.store.load_rows(source.id, session.checklist, "certificates")
    assert [r.source for r in rows] == ["carried", "carried"]
    assert [r.meta["carried"]["from_row"] for r in rows] == [r.id for r in originals]
    assert session.answers.rows("endpoints")[0].values["tested"] == dt.date(2026, 10, 15)  # confirm: carried


def test_start__period_has_an_assessment__e_carry_exists_nothing_changed(started, ws):
    session, _ = started
    with pytest.raises(StoreError) as caught:
        ws.start("23500", PERIOD)
    assert caught.value.code == "E-CARRY-EXISTS" and "11/2026" in caught.value.message
    assert [h.revision for h in ws.store.history("23500", PERIOD)] == [1]


def test_start__from_a_period_without_finalized_assessment_or_not_earlier__e_carry_source(ws):
    finalized_previous(ws)
    ws.session("23500", "2026-09")  # a draft only
    for wrong in ("2026-09", "2026-11", "2026-12"):
        with pytest.raises(StoreError) as caught:
            ws.start("23500", "2026-11", from_period=wrong)
        assert caught.value.code == "E-CARRY-SOURCE", wrong
    assert ws.store.current_assessment("23500", "2026-11") is None


def test_start__no_earlier_finalized_or_empty_chosen__an_empty_draft(ws):
    first = ws.start("23500", PREVIOUS_PERIOD)
    assert first.origin is None and first.answers.values == {}
    finalized_previous(ws, period="2026-09")
    empty = ws.start("23500", PERIOD, empty=True)
    assert empty.origin is None and empty.answers.values == {}
    assert empty.review().attention == []  # nothing to confirm in a draft started empty


def test_start__default__latest_finalized_period_and_its_newest_revision(ws):
    finalized_previous(ws, period="2026-08")
    finalized_previous(ws, {**PREVIOUS, "officers": 13}, period="2026-09")
    reopened = ws.session("23500", "2026-09")
    reopened.reopen()
    reopened.set_answer("officers", 15)
    reopened.finalize()
    session = ws.start("23500", PERIOD)
    assert (session.origin.period, session.origin.revision) == ("2026-09", 2)
    assert session.answers.get("officers") == 15


def test_start__from_an_older_checklist_version__values_read_under_the_newer_one(db_url, tmp_path):
    folder = tmp_path / "versions" / "carry-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(CARRY, encoding="utf-8")
    newer = (CARRY.replace("version: 1", "version: 2")
             .replace("      - {id: counters, type: integer, refresh: keep, unit: quầy, label: {vi: \"Số quầy\", en: \"Counters\"}}\n", ""))
    (folder / "v2.yaml").write_text(newer, encoding="utf-8")
    library = ChecklistLibrary(tmp_path / "versions")
    workspace = Workspace.open(db_url, library=library, default_checklist="carry-test")
    try:
        session = workspace.session("23500", PREVIOUS_PERIOD)
        session.upgrade_checklist(library.get("carry-test", 1))  # the previous period was made with v1
        session.today = FINALIZED_ON.date()
        assert session.set_answers(PREVIOUS) == []
        session.finalize()
        started = workspace.start("23500", PERIOD)
        assert started.checklist.version == 2
        assert "counters" not in started.answers.values and started.answers.get("officers") == 12
    finally:
        workspace.close()


# -- what each section still needs ----------------------------------------------------------------------------


def _kinds(review):
    return {(a.item_id, a.kind, a.column_id) for a in review.attention}


def test_review__fresh_carry__renew_to_enter_confirm_to_confirm_keep_nothing(started):
    session, _ = started
    review = session.review()
    kinds = _kinds(review)
    assert ("respondent", carry.CONFIRM, None) in kinds and ("officers", carry.CONFIRM, None) in kinds
    assert ("measured", carry.RENEW, None) in kinds and ("outages", carry.RENEW, None) in kinds
    assert ("notes", carry.RENEW, None) in kinds and ("petitions", carry.RENEW, None) in kinds
    assert ("certificates", carry.RENEW, "checked") in kinds  # a renew column of a kept table
    assert ("endpoints", carry.CONFIRM, None) in kinds  # a confirm column
    assert not any(item == "counters" for item, _, _ in kinds)  # keep


def test_review__certificate_expired_since_last_period__aged_said_besides_the_renew_column(started):
    """Dates age: the expiry is carried as it was; as of the new period it has passed."""
    session, _ = started
    review = session.review()
    assert session.result().items["certificates"].status.value == "fail"
    assert review.base.result.items["certificates"].status.value == "pass"  # as of 31/10/2026
    kinds = _kinds(review)
    assert ("certificates", carry.AGED, None) in kinds and ("certificates", carry.RENEW, "checked") in kinds
    for row in session.answers.rows("certificates"):
        session.set_cell("certificates", row.id, "checked", "2026-11-20")
    review = session.review()
    assert ("certificates", carry.AGED, None) in _kinds(review)  # only the renew column differs: still aged
    assert ("certificates", carry.RENEW, "checked") not in _kinds(review)
    assert [c.columns for c in review.changes["certificates"].rows] == [("checked",), ("checked",)]


def test_review__same_answers_scored_later__aged_note_says_a_date_passed(ws):
    answers = {**PREVIOUS, "certificates": [{"holder": "Đỗ Thu Mai", "expiry": "2026-11-10", "checked": "2026-10-20"}]}
    finalized_previous(ws, answers)
    session = ws.start("23500", PERIOD)
    session.today = TODAY
    session.confirm_section("signatures")  # the renew column is optional: nothing new to enter
    review = session.review()
    assert ("certificates", carry.AGED, None) in _kinds(review)
    text, tone = carry.item_note(session.checklist, review, "certificates", session.answers)
    assert tone == "attention" and text == ("Như kỳ 10/2026, nhưng nay Chưa đạt: đã qua ngày ghi trong câu trả lời "
                                            "hoặc trong yêu cầu.")
    session.today = FINALIZED_ON.date()  # scored as of the day the previous period was: nothing has aged
    session._changed()
    assert ("certificates", carry.AGED, None) not in _kinds(session.review())


def test_review__real_checklist_officers_up__accounts_affected_not_aged(workspace):
    """12 → 14 officers: the 12 e-mail accounts carried from last period no longer cover everyone."""
    import json
    from pathlib import Path

    ready = json.loads((Path(__file__).resolve().parents[1] / "data" / "ready_commune.json").read_text(encoding="utf-8"))
    previous = workspace.session("23500", PREVIOUS_PERIOD)
    previous.today = FINALIZED_ON.date()
    assert previous.set_answers(ready["answers"]) == []
    previous.finalize()
    session = workspace.start("23500", PERIOD)
    session.today = dt.date.today()  # the previous period is scored as of the day it was finalized: today
    session.set_answer("officers", 14)
    kinds = _kinds(session.review())
    assert ("email_accounts", carry.AFFECTED, None) in kinds and ("email_accounts", carry.CONFIRM, None) in kinds
    assert not any(kind == carry.AGED for _, kind, _ in kinds)
    text, _ = carry.item_note(session.checklist, session.review(), "email_accounts", session.answers)
    assert text.startswith("Mang sang từ kỳ 10/2026: xác nhận còn đúng")


def test_confirm_section__carried_answers_confirmed_optional_renew_seen_required_renew_left(started, ws):
    session, _ = started
    session.confirm_section("general")
    session.confirm_section("internet")
    kinds = _kinds(session.review())
    assert not any(item in ("respondent", "officers", "outages") for item, _, _ in kinds)
    assert ("measured", carry.RENEW, None) in kinds  # required: must be entered whatever is confirmed
    again = _reopened(ws)
    assert set(again.confirmed) == {"general", "internet"}
    assert again.answers.meta["officers"]["carried"]["confirmed_at"]
    assert "confirmed_at" not in again.answers.meta["counters"]["carried"]  # keep: nothing to confirm


def test_confirm_all__only_required_renew_left__entered__finalizes(started):
    session, _ = started
    done = session.confirm_all()
    assert done == ["general", "internet", "signatures", "proposals"]
    assert [(a.item_id, a.kind) for a in session.review().pending()] == [("measured", carry.RENEW)]
    session.set_answer("measured", 120)
    assert session.review().pending() == []
    info = session.finalize()
    assert info.status == "finalized"
    assert session.answers.sources["officers"] == "carried"  # confirmed, not retyped


def test_changed_confirm_item__typed__no_longer_to_confirm_and_marked_changed(started):
    session, _ = started
    session.set_answer("officers", 14)
    review = session.review()
    assert ("officers", carry.CONFIRM, None) not in _kinds(review)
    change = review.changes["officers"]
    assert (change.before, change.after) == (12, 14)
    assert carry.change_text(session.checklist, change) == "12 người → 14 người"
    text, tone = carry.item_note(session.checklist, review, "officers", session.answers)
    assert tone == "changed" and text == "Đã thay đổi so với kỳ 10/2026: 12 người → 14 người."
    text_en, _ = carry.item_note(session.checklist, review, "officers", session.answers, "en")
    assert text_en == "Changed since 10/2026: 12 người → 14 người."


def test_changes__table_rows_added_edited_removed__each_named(started):
    session, _ = started
    rows = session.answers.rows("certificates")
    session.set_cell("certificates", rows[1].id, "expiry", "2029-03-01")
    session.delete_row("certificates", rows[0].id)
    session.add_row("certificates", {"holder": "Lê Văn Tám", "expiry": "2028-01-31"})
    change = session.review().changes["certificates"]
    kinds = sorted(c.kind for c in change.rows)
    assert kinds == ["added", "edited", "removed"]
    text = carry.change_text(session.checklist, change)
    assert text == ("Thêm 1 chứng thư số: dòng 2 (Lê Văn Tám). 1 chứng thư số có thay đổi: dòng 1 (Võ Quốc Tâm): "
                    "Ngày hết hạn: 01/03/2028 → 01/03/2029, Ngày kiểm tra: 20/10/2026 → chưa trả lời. "
                    "Không còn 1 chứng thư số: «Đỗ Thu Mai»")


def test_changes__draft_started_empty__compared_with_the_latest_finalized(ws):
    finalized_previous(ws)
    session = ws.start("23500", PERIOD, empty=True)
    session.today = TODAY
    assert session.set_answers({**PREVIOUS, "officers": 13}) == []
    changes = session.review().changes
    assert set(changes) == {"officers"}


# -- finalize ------------------------------------------------------------------------------------------


def test_finalize__confirm_item_untouched__refused_naming_it_with_its_number(started):
    session, _ = started
    session.set_answer("measured", 120)
    with pytest.raises(StoreError) as caught:
        session.finalize()
    error = caught.value
    assert error.code == "E-CARRY-UNTOUCHED"
    assert error.message.startswith("Chưa hoàn thành được: câu 1.1 «Người trả lời» mang sang từ kỳ 10/2026 chưa "
                                    "được xác nhận")
    assert "«Không thay đổi so với kỳ trước» ở phần 1 «Thông tin chung»" in error.message
    assert error.message_en.startswith("Cannot finalize yet: question 1.1 “Respondent”")
    assert session.info.is_draft


def test_finalize__optional_renew_item_untouched__refused_until_its_section_is_confirmed(started):
    session, _ = started
    for section_id in ("general", "signatures"):
        session.confirm_section(section_id)
    session.set_answer("measured", 120)
    session.set_answer("outages", 0)
    with pytest.raises(StoreError) as caught:
        session.finalize()
    assert caught.value.code == "E-CARRY-UNTOUCHED"
    assert caught.value.message.startswith("Chưa hoàn thành được: câu 4.1 «Khó khăn, đề xuất» chưa được xem cho kỳ "
                                           "11/2026")
    assert "Còn 1 câu khác" in caught.value.message  # 4.2 Ý kiến khác
    session.confirm_section("proposals")
    assert session.finalize().status == "finalized"


def test_finalize__required_renew_item_untouched__refused_even_with_every_section_confirmed(started):
    session, _ = started
    session.confirm_all()
    with pytest.raises(StoreError) as caught:
        session.finalize()
    assert caught.value.message == ("Chưa hoàn thành được: câu 2.1 «Tốc độ tải xuống đo thực tế» chưa có số liệu của "
                                    "kỳ 11/2026 (số liệu kỳ trước không được mang sang).")


def test_finalize__draft_started_empty__today_s_rules_only(ws):
    finalized_previous(ws)
    session = ws.start("23500", PERIOD, empty=True)
    session.today = TODAY
    assert session.set_answers({"respondent": "A", "officers": 3, "measured": 60}) == []
    assert session.finalize().status == "finalized"


def test_reopen__carried_and_confirmed__kept_in_the_new_revision(started, ws):
    session, _ = started
    session.confirm_all()
    session.set_answer("measured", 120)
    session.finalize()
    session.reopen()
    assert session.info.revision == 2 and session.origin.period == PREVIOUS_PERIOD
    assert set(session.confirmed) == {"general", "internet", "signatures", "proposals"}
    assert session.review().pending() == []


def test_upgrade__fixture_of_0005__carried_draft_and_its_confirmation_kept(tmp_path, _isolated_home):
    """The database fixture of this schema revision holds a carried draft: it opens with its origin."""
    import shutil
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "databases" / "schema-0005_carry_forward.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    workspace = Workspace.open(f"sqlite:///{path}")
    try:
        session = workspace.session("23500", "2026-11", create=False)
        assert (session.origin.period, session.origin.revision) == ("2026-10", 1)
        assert set(session.confirmed) == {"general"}
        assert session.answers.sources["officers"] == "carried"
    finally:
        workspace.close()
