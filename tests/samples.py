"""Small checklists written inline for tests (the real one is in checklists/)."""

SMALL = """
id: small-test
version: 1
title: {vi: "Bảng kiểm thử", en: "Test checklist"}
petition_item: petitions
thresholds:
  min_ram_gb: {value: 8, unit: GB, source: suggested, label: {vi: "RAM tối thiểu"}}
  min_down: {value: 100, unit: Mbps, source: suggested, label: {vi: "Tốc độ tải xuống tối thiểu"}}
  win10_end: {value: "2026-10-13", source: legal, basis: "Microsoft ESU", label: {vi: "Hết hỗ trợ Windows 10"}}
levels:
  - {id: ready, label: {vi: "Sẵn sàng", en: "Ready"}, rule: "score >= 80 and critical_failed == 0"}
  - {id: basic, label: {vi: "Cơ bản sẵn sàng", en: "Basically ready"}, rule: "score >= 50"}
  - {id: not_ready, label: {vi: "Chưa sẵn sàng", en: "Not ready"}, rule: "true"}
sections:
  - id: general
    title: {vi: "Thông tin chung", en: "General"}
    items:
      - {id: respondent, type: text, required: true, label: {vi: "Người trả lời", en: "Respondent"}}
      - id: email
        type: text
        label: {vi: "Thư điện tử"}
        constraint: {expr: "is_email(.)", message: {vi: "Thư điện tử không hợp lệ.", en: "Invalid e-mail."}}
      - {id: officers, type: integer, required: true, min: 0, max: 500, label: {vi: "Số cán bộ, công chức"}}
      - {id: report_date, type: date, label: {vi: "Ngày báo cáo"}}
  - id: internet
    title: {vi: "Internet", en: "Internet"}
    items:
      - id: has_fibre
        type: yes_no
        required: true
        label: {vi: "Có đường cáp quang?"}
        score: {weight: 1, pass: ". == true", requirement: {vi: "Có cáp quang"}, advice: {vi: "Lắp đặt đường cáp quang."}}
      - id: download
        type: decimal
        unit: Mbps
        required: true
        relevant: "has_fibre == true"
        constraint: {expr: ". >= 0 and . <= 10000", message: {vi: "Tốc độ phải từ 0 đến 10.000 Mbps."}}
        label: {vi: "Tốc độ tải xuống"}
        score: {weight: 2, pass: ". >= $min_down", requirement: {vi: "≥ {min_down} Mbps"}, advice: {vi: "Nâng băng thông lên tối thiểu {min_down} Mbps (hiện {value})."}}
      - id: providers
        type: multi_choice
        label: {vi: "Nhà cung cấp"}
        choices:
          - {id: vnpt, label: {vi: "VNPT"}}
          - {id: viettel, label: {vi: "Viettel"}}
          - {id: other, label: {vi: "Khác", en: "Other"}}
      - id: tslcd
        type: single_choice
        required: true
        label: {vi: "Kết nối mạng TSLCD"}
        choices:
          - {id: connected, label: {vi: "Đã kết nối", en: "Connected"}}
          - {id: none, label: {vi: "Chưa kết nối", en: "Not connected"}}
        score: {weight: 3, critical: true, pass: ". == 'connected'", requirement: {vi: "Đã kết nối TSLCD"}, advice: {vi: "Đề nghị kết nối mạng TSLCD."}}
  - id: computers
    title: {vi: "Máy tính", en: "Computers"}
    items:
      - id: pcs
        type: table
        required: true
        row_label: {vi: "máy tính", en: "computer"}
        label: {vi: "Danh sách máy tính"}
        columns:
          - {id: role, type: text, required: true, label: {vi: "Người dùng"}}
          - {id: ram_gb, type: decimal, unit: GB, min: 0, max: 1024, label: {vi: "RAM"}}
          - {id: os, type: single_choice, label: {vi: "Hệ điều hành"}, choices: [{id: win10, label: {vi: "Windows 10"}}, {id: win11, label: {vi: "Windows 11"}}]}
          - {id: bought, type: date, label: {vi: "Ngày mua"}}
        score:
          weight: 2
          let:
            n_low_ram: "count(pcs, ram_gb < $min_ram_gb)"
            n_win10: "if(today() > $win10_end, count(pcs, os == 'win10'), 0)"
          na: "count(pcs) == 0"
          pass: "n_low_ram == 0 and n_win10 == 0"
          requirement: {vi: "RAM ≥ {min_ram_gb} GB; không dùng Windows 10 sau {win10_end}"}
          advice: {vi: "Nâng cấp RAM lên tối thiểu {min_ram_gb} GB cho {n_low_ram} máy; thay Windows 10 trên {n_win10} máy.", en: "Upgrade RAM to {min_ram_gb} GB on {n_low_ram} PC(s)."}
  - id: proposals
    title: {vi: "Khó khăn và đề xuất"}
    items:
      - id: petitions
        type: table
        label: {vi: "Khó khăn, đề xuất"}
        columns:
          - {id: topic, type: text, label: {vi: "Lĩnh vực"}}
          - {id: difficulty, type: text, label: {vi: "Khó khăn"}}
          - {id: proposal, type: text, label: {vi: "Đề xuất"}}
          - {id: addressed_to, type: text, label: {vi: "Kiến nghị tới"}}
"""

import datetime as _dt

TODAY = _dt.date(2026, 11, 24)  # tests pin "today" so date rules are repeatable


# A complete answer set of the small-test checklist (tests/checklists), enough to finalize.
SMALL_COMPLETE = {"respondent": "Nguyễn Văn An", "officers": 12, "has_fibre": True, "download": 200,
                  "tslcd": "connected", "pcs": [{"role": "Một cửa", "ram_gb": 8, "os": "win11"}]}


def finalized_small(workspace, commune: str = "23500", period: str = "2025-11"):
    """(session, finalized AssessmentInfo): the small-test checklist answered with SMALL_COMPLETE, finalized."""
    session = workspace.session(commune, period)
    session.today = TODAY
    assert session.set_answers(SMALL_COMPLETE) == []
    return session, session.finalize()


def demo_assessments(communes: int, today):
    """(checklist, commune, answers) of demo communes of every profile, in every installed checklist version: each
    fully answered, then with every third answer left out (criteria not answered, and some that no longer
    apply). ``communes``: how many of the register's communes (spread over it)."""
    from readiness.answers import coerce_all
    from readiness.checklist.loader import default_library
    from readiness.demo import PROFILES, demo_answers
    from readiness.register import load_register

    library = default_library()
    chosen = [c for c in load_register() if c.code.startswith(("0", "2"))][::700][:communes]
    for checklist_id, version in library.available():
        checklist = library.get(checklist_id, version)
        for seed, commune in enumerate(chosen):
            for profile in PROFILES:
                values, errors = coerce_all(checklist, demo_answers(checklist, commune, seed=seed, today=today,
                                                                    profile=profile).answers)
                assert not errors
                yield checklist, commune, values
                yield checklist, commune, {k: v for i, (k, v) in enumerate(values.items()) if i % 3}
