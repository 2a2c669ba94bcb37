"""A small checklist with every carry-forward rule (refresh: keep / confirm / renew, per item and per
table column), and helpers that make a finalized previous period of it."""

from __future__ import annotations

import datetime as dt

CARRY = """
id: carry-test
version: 1
title: {vi: "Bảng kiểm mang sang", en: "Carry-forward checklist"}
petition_item: petitions
thresholds:
  min_measured: {value: 50, unit: Mbps, source: suggested, label: {vi: "Tốc độ đo tối thiểu"}}
levels:
  - {id: ready, label: {vi: "Sẵn sàng", en: "Ready"}, rule: "score >= 80"}
  - {id: not_ready, label: {vi: "Chưa sẵn sàng", en: "Not ready"}, rule: "true"}
sections:
  - id: general
    title: {vi: "Thông tin chung", en: "General"}
    items:
      - {id: respondent, type: text, required: true, refresh: confirm, label: {vi: "Người trả lời", en: "Respondent"}}
      - {id: officers, type: integer, required: true, refresh: confirm, unit: người,
         label: {vi: "Số cán bộ, công chức", en: "Officers"}}
      - {id: counters, type: integer, refresh: keep, unit: quầy, label: {vi: "Số quầy", en: "Counters"}}
  - id: internet
    title: {vi: "Internet", en: "Internet"}
    items:
      - id: measured
        type: decimal
        required: true
        refresh: renew
        unit: Mbps
        label: {vi: "Tốc độ tải xuống đo thực tế", en: "Measured download speed"}
        score: {weight: 1, pass: ". >= $min_measured", requirement: {vi: "Từ {min_measured} Mbps"}, advice: {vi: "Kiểm tra đường truyền."}}
      - {id: outages, type: integer, refresh: renew, unit: lần, label: {vi: "Số lần mất mạng", en: "Outages"}}
  - id: signatures
    title: {vi: "Chữ ký số", en: "Signatures"}
    items:
      - id: certificates
        type: table
        refresh: keep
        row_label: {vi: "chứng thư số", en: "certificate"}
        label: {vi: "Chứng thư số cá nhân", en: "Personal certificates"}
        columns:
          - {id: holder, type: text, required: true, label: {vi: "Người được cấp", en: "Holder"}}
          - {id: expiry, type: date, required: true, label: {vi: "Ngày hết hạn", en: "Expiry"}}
          - {id: checked, type: date, refresh: renew, label: {vi: "Ngày kiểm tra", en: "Checked on"}}
        score:
          weight: 1
          na: "count(certificates) == 0"
          pass: "count(certificates, days_until(expiry) <= 0) == 0"
          requirement: {vi: "Không có chứng thư số hết hạn"}
          advice: {vi: "Gia hạn các chứng thư số đã hết hạn."}
      - id: endpoints
        type: table
        row_label: {vi: "điểm cầu", en: "endpoint"}
        label: {vi: "Điểm cầu", en: "Endpoints"}
        columns:
          - {id: name, type: text, refresh: keep, label: {vi: "Tên điểm cầu", en: "Name"}}
          - {id: tested, type: date, label: {vi: "Ngày thử", en: "Tested on"}}
  - id: proposals
    title: {vi: "Khó khăn và đề xuất", en: "Difficulties and proposals"}
    items:
      - id: petitions
        type: table
        row_label: {vi: "kiến nghị", en: "petition"}
        label: {vi: "Khó khăn, đề xuất", en: "Difficulties and proposals"}
        columns:
          - {id: topic, type: text, label: {vi: "Lĩnh vực"}}
          - {id: difficulty, type: text, label: {vi: "Khó khăn"}}
          - {id: proposal, type: text, label: {vi: "Đề xuất"}}
          - {id: addressed_to, type: text, label: {vi: "Kiến nghị tới"}}
      - {id: notes, type: text, refresh: renew, label: {vi: "Ý kiến khác", en: "Other comments"}}
"""

PREVIOUS = {
    "respondent": "Nguyễn Thị Hoa", "officers": 12, "counters": 5, "measured": 95.5, "outages": 1,
    "certificates": [{"holder": "Đỗ Thu Mai", "expiry": "2026-11-10", "checked": "2026-10-20"},
                     {"holder": "Võ Quốc Tâm", "expiry": "2028-03-01", "checked": "2026-10-20"}],
    "endpoints": [{"name": "Hội trường UBND", "tested": "2026-10-15"}],
    "petitions": [{"topic": "Kinh phí", "difficulty": "Máy tính cũ", "proposal": "Hỗ trợ thay 5 máy tính"}],
    "notes": "Không có",
}
PREVIOUS_PERIOD, PERIOD = "2026-10", "2026-11"
FINALIZED_ON = dt.datetime(2026, 10, 31, 9, 0, tzinfo=dt.UTC)  # the previous period was finalized then
TODAY = dt.date(2026, 11, 24)  # the new period is filled then: Đỗ Thu Mai's certificate has expired


def finalized_previous(workspace, answers=PREVIOUS, *, commune="23500", period=PREVIOUS_PERIOD,
                       finalized_on=FINALIZED_ON):
    """A finalized assessment of ``period``, finalized (in the database) at ``finalized_on``."""
    from readiness.store.models import AssessmentRow

    session = workspace.session(commune, period)
    session.today = finalized_on.date()
    assert session.set_answers(answers) == []
    info = session.finalize()
    with workspace.store.transaction() as db:
        db.get(AssessmentRow, info.id).finalized_at = finalized_on
    return workspace.store.assessment(info.id)


def realistic_answers(pcs: int = 30, certificates: int = 12) -> dict:
    """The ready commune of tests/data with a realistic inventory: ``pcs`` PCs and ``certificates``
    personal certificates (one expiring within 90 days of the test dates, so the renewal question applies)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parent / "data" / "ready_commune.json").read_text(encoding="utf-8"))
    answers = data["answers"]
    base_pcs = answers["pcs"]
    answers["pcs"] = [dict(base_pcs[i % len(base_pcs)], role=base_pcs[i]["role"] if i < len(base_pcs)
                           else f"Công chức {i + 1}") for i in range(pcs)]
    base_certs = answers["certificates"]
    names = ["Trần Thị Lan", "Phạm Văn Hùng", "Lê Thị Thu", "Ngô Văn Bảy", "Đặng Thị Mười"]
    extra = [dict(base_certs[i % len(base_certs)], holder=names[i % len(names)],
                  expiry="2027-01-15" if i == 0 else f"2028-0{1 + i % 9}-20") for i in range(certificates - len(base_certs))]
    answers["certificates"] = (base_certs + extra)[:certificates]
    answers["officers"] = 30
    answers["sign_trained"] = 30
    for key in ("email_accounts", "docmgmt_accounts"):
        answers[key] = 30
    return answers
