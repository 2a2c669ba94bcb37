"""The contacts a commune is told to ask live in data (``checklists/<id>/contacts.yaml``), per province:
a commune of another province never reads Quảng Ngãi's; Quảng Ngãi's communes still do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from readiness.answers import Answers
from readiness.checklist.loader import (CONTACTS_FILE, ChecklistInvalid, ChecklistLibrary, default_library,
                                        load_checklist, load_contacts_text)
from readiness.paths import checklists_dir
from readiness.register import load_register, province_of
from readiness.scoring import Status, score

TODAY = dt.date(2025, 12, 15)
QUANG_NGAI, HA_NOI, THANH_HOA = "51", "01", "38"
FOLDER = checklists_dir() / "one-stop-shop-it-readiness"
PROVINCE_WORDS = ("Quảng Ngãi", "Quang Ngai", "quangngai", "Kon Tum")


def _failing(checklist) -> Answers:
    """TSLCD not connected, no video endpoint, not on the reporting system: the advice with contacts."""
    return Answers(values={"tslcd_connected": False, "vc_endpoint_type": "none", "reporting_system": False})


def _advice(checklist, province):
    result = score(checklist, _failing(checklist), today=TODAY, province=province)
    out = {}
    for item_id in ("tslcd_connected", "vc_endpoint_type", "reporting_system"):
        item = result.items[item_id]
        assert item.status is Status.FAIL, item_id
        out[item_id] = (item.advice, item.advice_en)
    return out


@pytest.mark.parametrize("version", [1, 2])
def test_advice__quang_ngai_commune__names_quang_ngai_contacts(version):
    checklist = default_library().get("one-stop-shop-it-readiness", version)
    advice = _advice(checklist, QUANG_NGAI)
    assert advice["tslcd_connected"][0] == ("Đề nghị VNPT Quảng Ngãi (qua VNPT khu vực) kết nối Mạng TSLCD đến trụ sở "
                                            "và báo Sở Khoa học và Công nghệ để theo dõi.")
    assert advice["tslcd_connected"][1].startswith("Ask VNPT Quảng Ngãi (via the local VNPT office) to connect")
    assert advice["vc_endpoint_type"][0].startswith("Đề nghị Văn phòng UBND tỉnh và VNPT hỗ trợ thiết lập điểm cầu")
    assert "https://baocao.quangngai.gov.vn/" in advice["reporting_system"][0]


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("province", [HA_NOI, THANH_HOA, None])
def test_advice__commune_of_another_province__never_quang_ngai_contacts(version, province):
    checklist = default_library().get("one-stop-shop-it-readiness", version)
    advice = _advice(checklist, province)
    assert advice["tslcd_connected"][0].startswith("Đề nghị VNPT tỉnh, thành phố (qua VNPT khu vực) kết nối Mạng TSLCD")
    assert advice["vc_endpoint_type"][0].startswith("Đề nghị Văn phòng UBND tỉnh, thành phố và VNPT hỗ trợ")
    assert "Hệ thống thông tin báo cáo của tỉnh, thành phố" in advice["reporting_system"][0]
    result = score(checklist, _failing(checklist), today=TODAY, province=province)
    for item in result.items.values():
        for text in (item.advice, item.advice_en, item.requirement, item.requirement_en):
            assert not any(word in text for word in PROVINCE_WORDS), (item.item_id, text)


@pytest.mark.parametrize("name", ["v1.yaml", "v2.yaml"])
def test_checklist_texts__name_no_province__only_contacts_yaml_does(name):
    """Every text a commune reads (labels, hints, requirements, advice) is the same for every province; a
    threshold's «basis» cites where a figure came from and is not read as advice."""
    data = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "basis":
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        elif isinstance(node, str) and any(word in node for word in PROVINCE_WORDS):
            found.append((path, node))

    walk(data, ())
    assert found == []


def test_contacts_file__every_province_in_the_register__every_value_declared():
    checklist = default_library().latest()
    contacts = checklist.contacts
    assert contacts.source_path.endswith(CONTACTS_FILE)
    assert set(contacts.contacts) == {"tslcd_provider", "people_committee_office", "reporting_system"}
    names = {c.province_code: c.province_name for c in load_register()}
    for code, province in contacts.provinces.items():
        assert names[code] == province.name
        assert set(province.values) <= set(contacts.contacts)
    assert province_of("21484") == QUANG_NGAI and province_of("00004") == HA_NOI


def test_contacts_file__unknown_contact_or_braces__refused_with_line():
    text = """format: 1
contacts:
  tslcd_provider:
    label: {vi: "Đơn vị kết nối"}
    default: {vi: "VNPT tỉnh"}
provinces:
  "01":
    name: "Thành phố Hà Nội"
    values:
      tslcd_provder: {vi: "VNPT Hà Nội"}
      tslcd_provider: {vi: "VNPT {tinh}"}
"""
    with pytest.raises(ChecklistInvalid) as caught:
        load_contacts_text(text, "contacts.yaml")
    problems = caught.value.problems
    assert [(p.code, p.line) for p in problems] == [("E-CL-CONTACT", 10), ("E-CL-CONTACT", 11)]
    assert "tslcd_provder" in problems[0].message and "Thành phố Hà Nội" in problems[0].message


def test_checklist__advice_names_undeclared_contact__refused(tmp_path):
    folder = tmp_path / "one-stop-shop-it-readiness"
    folder.mkdir()
    text = (FOLDER / "v2.yaml").read_text(encoding="utf-8").replace("{tslcd_provider}", "{tslcd_provder}", 1)
    (folder / "v2.yaml").write_text(text, encoding="utf-8")
    (folder / CONTACTS_FILE).write_text((FOLDER / CONTACTS_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ChecklistInvalid) as caught:
        load_checklist(folder / "v2.yaml")
    assert any("'{tslcd_provder}'" in p.message and p.item == "tslcd_connected" for p in caught.value.problems)


def test_contacts__a_province_adds_its_own__its_communes_read_it_others_do_not(tmp_path):
    """A province changes data, not code: Thanh Hóa adds its VNPT; the checklist's hash does not change."""
    folder = tmp_path / "one-stop-shop-it-readiness"
    folder.mkdir()
    (folder / "v2.yaml").write_bytes((FOLDER / "v2.yaml").read_bytes())
    data = yaml.safe_load((FOLDER / CONTACTS_FILE).read_text(encoding="utf-8"))
    data["provinces"]["38"] = {"name": "Tỉnh Thanh Hóa",
                               "values": {"tslcd_provider": {"vi": "VNPT Thanh Hóa", "en": "VNPT Thanh Hóa"}}}
    (folder / CONTACTS_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checklist = ChecklistLibrary(tmp_path).latest()
    assert checklist.content_hash == default_library().latest().content_hash
    assert _advice(checklist, THANH_HOA)["tslcd_connected"][0].startswith("Đề nghị VNPT Thanh Hóa kết nối")
    # What Thanh Hóa did not give is the neutral default, not Quảng Ngãi's.
    assert _advice(checklist, THANH_HOA)["vc_endpoint_type"][0].startswith("Đề nghị Văn phòng UBND tỉnh, thành phố")
    assert "Quảng Ngãi" in _advice(checklist, QUANG_NGAI)["tslcd_connected"][0]
    assert "Thanh Hóa" not in _advice(checklist, HA_NOI)["tslcd_connected"][0]
    assert checklist.contacts.digest(THANH_HOA) != checklist.contacts.digest(HA_NOI)
    assert checklist.contacts.digest(HA_NOI) == checklist.contacts.digest(None)



def test_cli_checklist_contacts__a_province__its_own_and_the_neutral_marked(capsys):
    from readiness.cli import main

    assert main(["checklist", "contacts", "--province", "01"]) == 0
    out = capsys.readouterr().out
    assert "Thành phố Hà Nội (01):" in out
    assert "{tslcd_provider}" in out and "VNPT tỉnh, thành phố (qua VNPT khu vực) (chung)" in out
    assert "Quảng Ngãi" not in out.split("\n", 1)[1]
    assert main(["checklist", "contacts", "--province", "51", "--json"]) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    assert data["provinces"]["51"]["values"]["tslcd_provider"] == "VNPT Quảng Ngãi (qua VNPT khu vực)"
    assert main(["checklist", "contacts", "--province", "99"]) != 0
    assert "E-CL-PROVINCE" in capsys.readouterr().err


def test_checklist_copied_without_contacts_file__reads_the_installed_contacts(tmp_path):
    folder = tmp_path / "one-stop-shop-it-readiness"
    folder.mkdir()
    (folder / "v2.yaml").write_bytes((FOLDER / "v2.yaml").read_bytes())
    checklist = load_checklist(folder / "v2.yaml")
    assert checklist.contacts.source_path.endswith(str(Path("one-stop-shop-it-readiness") / CONTACTS_FILE))
    assert _advice(checklist, QUANG_NGAI)["tslcd_connected"][0].startswith("Đề nghị VNPT Quảng Ngãi")
    assert _advice(checklist, HA_NOI)["tslcd_connected"][0].startswith("Đề nghị VNPT tỉnh, thành phố")
