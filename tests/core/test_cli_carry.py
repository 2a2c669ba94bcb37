"""``readiness start``, ``confirm``, ``fill --from`` and ``finalize`` of a carried draft, on the carry-test checklist."""

from __future__ import annotations

import json

import pytest

from readiness.cli import main

from carry_samples import CARRY, PREVIOUS


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys, sqlite_copy):
    folder = tmp_path / "checklists" / "carry-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(CARRY, encoding="utf-8")
    monkeypatch.setenv("READINESS_CHECKLISTS", str(tmp_path / "checklists"))
    monkeypatch.setenv("READINESS_CHECKLIST", "carry-test")
    db = sqlite_copy("cli")

    def run(*args: str):
        code = main(["--db", db, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def answers(name: str, data: dict) -> str:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    run.answers = answers
    return run


@pytest.fixture
def previous(cli):
    assert cli("fill", "--commune", "23500", "--period", "2026-10", "--answers", cli.answers("prev.json", PREVIOUS))[0] == 0
    assert cli("finalize", "--commune", "23500", "--period", "2026-10")[0] == 0
    return cli


def test_start__default__carried_from_the_last_finalized_period_and_what_it_needs(previous):
    code, out, err = previous("start", "--commune", "23500", "--period", "2026-11")
    assert code == 0, err
    assert out.splitlines()[0] == ("Đã tạo bản nháp kỳ 11/2026 của Xã Đăk Hà (lần 1) từ kỳ 10/2026 (lần 1): mang sang "
                                   "3 câu trả lời và 3 dòng bảng (2 chứng thư số, 1 điểm cầu).")
    assert "  1. Thông tin chung: xác nhận còn đúng 1.1, 1.2" in out
    assert "  2. Internet: nhập số liệu mới 2.1, 2.2" in out


def test_start__json__from_carried_and_attention(previous):
    code, out, _ = previous("start", "--commune", "23500", "--period", "2026-11", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["from"]["period"] == "2026-10" and data["from"]["revision"] == 1
    assert data["carried"] == {"answers": 3, "rows": {"certificates": 2, "endpoints": 1}}
    renew = [a["item"] for a in data["attention"] if a["kind"] == "renew"]
    assert renew == ["measured", "outages", "certificates", "petitions", "notes"]
    first = data["attention"][0]
    assert (first["number"], first["kind"], first["blocking"], first["label"]) == ("1.1", "confirm", True, "Người trả lời")


def test_start__twice__e_carry_exists_exit_1(previous):
    assert previous("start", "--commune", "23500", "--period", "2026-11")[0] == 0
    code, out, _ = previous("start", "--commune", "23500", "--period", "2026-11", "--json")
    assert code == 1 and json.loads(out)["errors"][0]["code"] == "E-CARRY-EXISTS"


def test_start__empty_or_from__as_asked(previous):
    code, out, _ = previous("start", "--commune", "23500", "--period", "2026-11", "--empty")
    assert code == 0 and out.startswith("Đã tạo bản nháp trống kỳ 11/2026 của Xã Đăk Hà (lần 1).")
    code, _, err = previous("start", "--commune", "23500", "--period", "2026-12", "--from", "2026-09")
    assert code == 1 and "E-CARRY-SOURCE" in err and "09/2026" in err
    code, out, _ = previous("--lang", "en", "start", "--commune", "23500", "--period", "2026-12", "--from", "10/2026")
    assert code == 0 and out.startswith("Created the 12/2026 draft of Xã Đăk Hà (revision 1) from 10/2026 (revision 1)")
    assert "This period needs:" in out


def test_start__from_and_empty_together__usage_error_exit_2(previous):
    with pytest.raises(SystemExit) as caught:
        previous("start", "--commune", "23500", "--period", "2026-11", "--from", "2026-10", "--empty")
    assert caught.value.code == 2


def test_fill__new_period_without_from__empty_draft_as_before(previous):
    code, out, _ = previous("fill", "--commune", "23500", "--period", "2026-11", "--json",
                            "--answers", previous.answers("a.json", {"officers": 13}))
    data = json.loads(out)
    assert code == 0 and data["carried_from"] is None
    code, out, _ = previous("score", "--commune", "23500", "--period", "2026-11", "--json")
    assert json.loads(out)["attention"] == []


def test_fill__from__new_period_carried_then_answers_applied_existing_period_note(previous):
    code, out, _ = previous("fill", "--commune", "23500", "--period", "2026-11", "--from", "2026-10", "--json",
                            "--answers", previous.answers("a.json", {"measured": 120}))
    assert code == 0 and json.loads(out)["carried_from"]["period"] == "2026-10"
    code, out, _ = previous("score", "--commune", "23500", "--period", "2026-11", "--json")
    data = json.loads(out)
    assert {c["item"] for c in data["changes"]} >= {"measured", "petitions"}
    assert next(c for c in data["changes"] if c["item"] == "measured")["change"] == "95,5 Mbps → 120 Mbps"
    code, _, err = previous("fill", "--commune", "23500", "--period", "2026-12", "--answers",
                            previous.answers("b.json", {"officers": 3}))
    assert code == 0
    code, _, err = previous("fill", "--commune", "23500", "--period", "2026-12", "--from", "2026-10", "--answers",
                            previous.answers("c.json", {"officers": 4}))
    assert code == 0 and "đã có bản đánh giá nên --from 2026-10 không được dùng" in err


def test_finalize__untouched__refused_exit_1_then_confirm_and_finalize(previous):
    assert previous("start", "--commune", "23500", "--period", "2026-11")[0] == 0
    code, _, err = previous("finalize", "--commune", "23500", "--period", "2026-11")
    assert code == 1
    assert err.startswith("Lỗi (E-CARRY-UNTOUCHED): Chưa hoàn thành được: câu 1.1 «Người trả lời»")
    assert "readiness confirm --commune 23500 --period 2026-11 --section SỐ (hoặc --all)" in err
    code, out, _ = previous("confirm", "--commune", "23500", "--period", "2026-11", "--section", "1",
                            "--section", "internet")
    assert code == 0 and out.startswith("Đã xác nhận không thay đổi so với kỳ trước: 1. Thông tin chung; 2. Internet.")
    code, out, _ = previous("confirm", "--commune", "23500", "--period", "2026-11", "--all", "--json")
    data = json.loads(out)
    assert data["confirmed"] == ["signatures", "proposals"]
    assert [(a["item"], a["kind"]) for a in data["attention"] if a["blocking"]] == [("measured", "renew")]
    code, _, err = previous("finalize", "--commune", "23500", "--period", "2026-11")
    assert code == 1 and "câu 2.1 «Tốc độ tải xuống đo thực tế» chưa có số liệu của kỳ 11/2026" in err
    assert previous("fill", "--commune", "23500", "--period", "2026-11", "--answers",
                    previous.answers("m.json", {"measured": 110}))[0] == 0
    code, out, _ = previous("finalize", "--commune", "23500", "--period", "2026-11")
    assert code == 0 and "Đã hoàn thành bản đánh giá" in out


def test_confirm__unknown_section_or_draft_not_carried__exit_1(previous):
    assert previous("start", "--commune", "23500", "--period", "2026-11")[0] == 0
    code, _, err = previous("confirm", "--commune", "23500", "--period", "2026-11", "--section", "11")
    assert code == 1 and "E-SECTION" in err
    assert previous("start", "--commune", "23500", "--period", "2026-12", "--empty")[0] == 0
    code, _, err = previous("confirm", "--commune", "23500", "--period", "2026-12", "--all")
    assert code == 1 and "E-CARRY-NONE" in err
