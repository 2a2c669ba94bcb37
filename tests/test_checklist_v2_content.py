"""Content checks of the real checklist ``checklists/one-stop-shop-it-readiness/v2.yaml``.

A copy of ``test_checklist_v1_content.py`` (v1 stays as released) with what v2 adds: templates
(``{if}``, ``{list}``; thresholds named in hints and descriptions instead of typed by hand), one name
for the commune's one-stop shop (Trung tâm Phục vụ hành chính công xã, Decree 118/2025/NĐ-CP), mobile
coverage and dead zones, and the sector systems at the centre.  The file is read with
``yaml.safe_load`` and validated by the pydantic model, so most checks do not depend on the loader.
Whether the advice is true for every answer is ``tests/core/test_advice_truth.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "desktop") not in sys.path:  # the package is not installed in every environment
    sys.path.insert(0, str(ROOT / "desktop"))

from readiness.checklist.model import Checklist, Item, ItemType, Text, ThresholdSource, validate  # noqa: E402

PATH = ROOT / "checklists" / "one-stop-shop-it-readiness" / "v2.yaml"
LEVEL_VARIABLES = {"score", "critical_failed", "unanswered_required", "completion"}
TEMPLATE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
THRESHOLD_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
PC_COLUMNS = ["role", "cpu", "cores", "ram_gb", "storage_type", "storage_gb", "os", "os_version", "year",
              "antivirus", "condition"]
CRITICAL = {"has_fibre", "tslcd_connected", "org_cert_ubnd", "procedure_accounts"}
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def checklist(raw: dict[str, Any]) -> Checklist:
    return validate(Checklist, raw)


# -- helpers ---------------------------------------------------------------------------------------


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def _texts(checklist: Checklist) -> Iterator[tuple[str, Text]]:
    """Every Text a person reads, with where it sits."""
    yield "title", checklist.title
    if checklist.description:
        yield "description", checklist.description
    for name, threshold in checklist.thresholds.items():
        yield f"thresholds.{name}.label", threshold.label
    for level in checklist.levels:
        yield f"levels.{level.id}.label", level.label
        if level.description:
            yield f"levels.{level.id}.description", level.description
    for section in checklist.sections:
        yield f"{section.id}.title", section.title
        if section.description:
            yield f"{section.id}.description", section.description
        for item in section.items:
            for where, spec in [(item.id, item), *((f"{item.id}.{c.id}", c) for c in item.columns or ())]:
                yield f"{where}.label", spec.label
                if spec.hint:
                    yield f"{where}.hint", spec.hint
                if spec.constraint:
                    yield f"{where}.constraint.message", spec.constraint.message
                for choice in spec.choices or ():
                    yield f"{where}.choices.{choice.id}", choice.label
            if item.row_label:
                yield f"{item.id}.row_label", item.row_label
            if item.score:
                yield f"{item.id}.score.requirement", item.score.requirement
                yield f"{item.id}.score.advice", item.score.advice


def _expressions(checklist: Checklist) -> Iterator[tuple[str, str, str, Item | None]]:
    """(where, kind, text, owning item) for every expression; kind says what '.' and names mean."""
    for section in checklist.sections:
        if section.relevant:
            yield f"{section.id}.relevant", "relevant", section.relevant, None
        for item in section.items:
            if item.relevant:
                yield f"{item.id}.relevant", "relevant", item.relevant, item
            if item.constraint:
                yield f"{item.id}.constraint", "constraint", item.constraint.expr, item
            for column in item.columns or ():
                if column.constraint:
                    yield f"{item.id}.{column.id}.constraint", "column", column.constraint.expr, item
            if item.score:
                for name, text in item.score.let.items():
                    yield f"{item.id}.let.{name}", "let", text, item
                if item.score.na:
                    yield f"{item.id}.na", "score", item.score.na, item
                yield f"{item.id}.pass", "score", item.score.pass_, item
    for level in checklist.levels:
        yield f"levels.{level.id}", "level", level.rule, None


def _template_texts(checklist: Checklist) -> Iterator[tuple[Item, str]]:
    for item in checklist.items():
        if item.score:
            for text in (item.score.requirement, item.score.advice):
                yield item, text.vi
                yield item, text.en or ""


# -- structure -------------------------------------------------------------------------------------


def test_v2__read_with_safe_load__is_a_valid_checklist(checklist: Checklist) -> None:
    assert checklist.key == "one-stop-shop-it-readiness@2"
    assert PATH.parent.name == checklist.id and PATH.stem == f"v{checklist.version}"


def test_v2__sections__are_the_agreed_ones_in_order(checklist: Checklist) -> None:
    assert [s.id for s in checklist.sections] == [
        "general", "internet", "computers", "equipment", "signatures", "video", "systems", "security", "people",
        "proposals",
    ]


def test_v2__item_count__is_between_90_and_110(checklist: Checklist) -> None:
    assert 90 <= len(checklist.items()) <= 110


def test_v2__ids__are_unique_and_never_shadow_each_other(checklist: Checklist) -> None:
    section_ids = [s.id for s in checklist.sections]
    item_ids = [i.id for i in checklist.items()]
    assert len(set(section_ids)) == len(section_ids)
    assert sorted({i for i in item_ids if item_ids.count(i) > 1}) == []
    items = set(item_ids)
    for item in checklist.items():
        columns = [c.id for c in item.columns or ()]
        assert len(set(columns)) == len(columns), item.id
        # a column id equal to an item id would hide that item inside row expressions
        assert not set(columns) & items, (item.id, set(columns) & items)
        if item.score:
            assert not set(item.score.let) & items, (item.id, set(item.score.let) & items)
            assert not set(item.score.let) & set(checklist.thresholds), item.id
            assert not set(item.score.let) & {"value"}, item.id


def test_v2__every_string__is_nfc_without_stray_spaces(raw: dict[str, Any]) -> None:
    for where, text in _strings(raw):
        assert unicodedata.normalize("NFC", text) == text, where
        assert text == text.strip() and "  " not in text, where


def test_v2__every_text__has_vietnamese_and_english(checklist: Checklist) -> None:
    for where, text in _texts(checklist):
        assert text.vi.strip(), where
        assert text.en and text.en.strip(), where


def test_v2__vietnamese_texts__carry_diacritics(checklist: Checklist) -> None:
    """A Vietnamese sentence typed without diacritics (ASCII only) is a slip, not a style."""
    for where, text in _texts(checklist):
        words = re.findall(r"[^\W\d_]+", text.vi)
        if len(words) >= 3:
            assert any(ord(ch) > 127 for ch in text.vi), where


def test_v2__thresholds__are_suggested_or_cite_a_basis(checklist: Checklist) -> None:
    assert checklist.thresholds
    for name, threshold in checklist.thresholds.items():
        assert threshold.source is ThresholdSource.SUGGESTED or (threshold.basis and threshold.basis.strip()), name


def test_v2__threshold_references__exist_and_every_threshold_is_used(checklist: Checklist) -> None:
    used: set[str] = set()
    for where, _kind, text, _item in _expressions(checklist):
        for name in THRESHOLD_REF.findall(text):
            assert name in checklist.thresholds, f"{where}: unknown threshold ${name}"
            used.add(name)
    for _item, text in _template_texts(checklist):
        used.update(n for n in TEMPLATE_FIELD.findall(text) if n in checklist.thresholds)
    assert set(checklist.thresholds) - used == set()


def test_v2__template_placeholders__are_lets_thresholds_or_value(checklist: Checklist) -> None:
    from readiness import templates
    from readiness.checklist.loader import installed_contacts

    contacts = installed_contacts(checklist.id)  # the provinces' contacts (contacts.yaml beside the checklist)
    assert contacts is not None and contacts.contacts

    for item, text in _template_texts(checklist):
        assert item.score is not None
        known = set(item.score.let) | set(checklist.thresholds) | set(contacts.contacts) | {"value"}
        fields = templates.parse(text).fields()
        assert fields <= known, (item.id, fields - known)


def test_v2__requirements__name_only_thresholds_so_a_blank_form_shows_them_in_full(checklist: Checklist) -> None:
    """The blank template and the printed checklist show the requirement before anything is answered."""
    from readiness import templates

    for item in checklist.items():
        if item.score:
            for text in (item.score.requirement.vi, item.score.requirement.en or ""):
                parsed = templates.parse(text)
                assert parsed.fields() <= set(checklist.thresholds) and not parsed.has_blocks(), (item.id, text)


def test_v2__static_texts__name_thresholds_instead_of_typing_their_figures(raw: dict[str, Any]) -> None:
    """A hint or description that repeats a threshold by hand drifts from the rule (v1 said «256 GB»
    where the rule said 240).  A figure with a threshold's unit is a {placeholder}, a bound in a
    constraint message, or one of the few facts listed here."""
    facts = {"30 phút", "30 minutes", "150 Mbps", "100%"}
    units = "|".join(re.escape(u) for u in ("GB", "Mbps", "ms", "phút", "minutes", "nhân", "cores", "ngày", "days",
                                            "lần", "%"))
    figure = re.compile(r"\d[\d.,]*\s?(?:" + units + r")(?![\w])")
    thresholds = raw["thresholds"]
    dates = {dt.date.fromisoformat(t["value"]).strftime("%d/%m/%Y") for t in thresholds.values()
             if isinstance(t["value"], str)}
    for where, text in _strings(raw):
        if ".score." in where or not where.endswith((".vi", ".en")) or ".constraint.message." in where:
            continue
        for match in figure.finditer(text):
            assert match.group(0) in facts, f"{where}: «{match.group(0)}» typed by hand; name the threshold"
        assert not any(d in text for d in dates), f"{where}: a threshold's date typed by hand"


def test_v2__scored_items__have_requirement_and_advice_in_both_languages(checklist: Checklist) -> None:
    scored = [i for i in checklist.items() if i.score]
    assert len(scored) >= 50
    for item in scored:
        assert item.score is not None
        for text in (item.score.requirement, item.score.advice):
            assert text.vi.strip() and (text.en or "").strip(), item.id


def test_v2__numbers__all_carry_a_constraint_with_a_message(checklist: Checklist) -> None:
    numbers = (ItemType.INTEGER, ItemType.DECIMAL)
    for item in checklist.items():
        for where, spec in [(item.id, item), *((f"{item.id}.{c.id}", c) for c in item.columns or ())]:
            if spec.type in numbers:
                assert spec.constraint is not None, where
                assert spec.constraint.message.vi and spec.constraint.message.en, where


def test_v2__pcs_table__has_exactly_the_agreed_columns_and_the_pc_probe(checklist: Checklist) -> None:
    pcs = checklist.item("pcs")
    assert pcs.type is ItemType.TABLE and pcs.probe == "pc"
    assert [c.id for c in pcs.columns or ()] == PC_COLUMNS
    types = {c.id: c.type for c in pcs.columns or ()}
    assert types["cores"] is ItemType.INTEGER and types["ram_gb"] is ItemType.DECIMAL
    assert types["storage_gb"] is ItemType.INTEGER and types["year"] is ItemType.INTEGER
    assert types["antivirus"] is ItemType.YES_NO
    assert [ch.id for ch in pcs.column("storage_type").choices or ()] == ["ssd", "hdd"]
    assert [ch.id for ch in pcs.column("os").choices or ()] == ["win11", "win10", "win8", "win7", "linux", "other"]
    assert [ch.id for ch in pcs.column("condition").choices or ()] == ["good", "fair", "poor"]


def test_v2__measured_network_items__carry_the_network_probe(checklist: Checklist) -> None:
    probed = {i.id for i in checklist.items() if i.probe == "network"}
    assert probed == {"measured_down_mbps", "measured_up_mbps", "latency_ms"}
    assert {i.id for i in checklist.items() if i.probe} == probed | {"pcs"}


def test_v2__critical_items__are_the_few_without_which_the_shop_cannot_work(checklist: Checklist) -> None:
    assert {i.id for i in checklist.items() if i.score and i.score.critical} == CRITICAL


def test_v2__proposals__are_the_petition_table_and_not_scored(raw: dict[str, Any], checklist: Checklist) -> None:
    petitions = checklist.item("petitions")
    assert raw.get("petition_item") == "petitions"
    assert [c.id for c in petitions.columns or ()] == ["topic", "difficulty", "proposal", "addressed_to"]
    assert [ch.id for ch in petitions.column("topic").choices or ()] == [
        "infrastructure", "equipment", "software", "signatures", "training", "staffing", "funding", "other",
    ]
    assert all(i.score is None for i in checklist.section("proposals").items)


def test_v2__levels__go_from_ready_to_a_catch_all(checklist: Checklist) -> None:
    assert [level.id for level in checklist.levels] == ["ready", "basic", "not_ready"]
    assert checklist.levels[-1].rule.strip() == "true"
    for level in checklist.levels[:-1]:
        assert level.description and "đề xuất" in level.description.vi, level.id


# -- expressions (need readiness.expr) -------------------------------------------------------------


@pytest.fixture(scope="module")
def expr() -> Any:
    return pytest.importorskip("readiness.expr")


def test_v2__every_expression__parses(expr: Any, checklist: Checklist) -> None:
    for where, _kind, text, _item in _expressions(checklist):
        try:
            expr.parse(text)
        except expr.ExpressionError as error:  # pragma: no cover - the message is the point
            pytest.fail(f"{where}: {error}")


def test_v2__every_name__is_an_item_column_let_or_level_variable(expr: Any, checklist: Checklist) -> None:
    items = {i.id: i for i in checklist.items()}
    level_names = LEVEL_VARIABLES | {f"score_{s.id}" for s in checklist.sections}
    lets_so_far: dict[str, list[str]] = {}
    for where, kind, text, owner in _expressions(checklist):
        parsed = expr.parse(text)
        for table in parsed.tables():
            assert table in items and items[table].type is ItemType.TABLE, f"{where}: {table} is not a table"
        allowed = set(items)
        if kind == "level":
            allowed = level_names
        elif kind in ("let", "score") and owner is not None:
            allowed |= set(lets_so_far.get(owner.id, []))
        elif kind == "column" and owner is not None:
            allowed |= {c.id for c in owner.columns or ()}
        for ref in parsed.names():
            if ref.table is not None:
                columns = {c.id for c in items[ref.table].columns or ()}
                assert ref.name in columns, f"{where}: '{ref.name}' is not a column of {ref.table}"
            else:
                assert ref.name in allowed, f"{where}: unknown name '{ref.name}'"
        uses_current = parsed.uses_current()
        assert not uses_current or kind in ("constraint", "column", "let", "score"), f"{where}: '.' has no meaning here"
        if kind == "let" and owner is not None:
            lets_so_far.setdefault(owner.id, []).append(where.rsplit(".", 1)[1])


def test_v2__relevance__depends_only_on_earlier_items(expr: Any, checklist: Checklist) -> None:
    order = {item.id: index for index, item in enumerate(checklist.items())}
    for where, kind, text, owner in _expressions(checklist):
        if kind != "relevant" or owner is None:
            continue
        parsed = expr.parse(text)
        for name in {r.name for r in parsed.names() if r.table is None} | parsed.tables():
            if name in order:  # unknown names are reported by the test above
                assert order[name] < order[owner.id], f"{where}: depends on the later item '{name}'"


def test_v2__choice_literals__name_existing_choices(expr: Any, checklist: Checklist) -> None:
    """``x == 'id'`` and ``x in ['a', 'b']`` must use ids that x really offers (a typo is silently false)."""
    items = {i.id: i for i in checklist.items()}

    def choices_of(node: Any, owner: Item | None) -> set[str] | None:
        kind = type(node).__name__
        if kind == "Name":
            spec: Any = items.get(node.name)
            if node.table is not None:
                spec = next((c for c in items[node.table].columns or () if c.id == node.name), None)
            return {c.id for c in spec.choices} if spec is not None and spec.choices else None
        if kind == "Current" and owner is not None and owner.choices:
            return {c.id for c in owner.choices}
        return None

    def literals(node: Any) -> list[str]:
        kind = type(node).__name__
        if kind == "Literal" and isinstance(node.value, str):
            return [node.value]
        if kind == "ListLit":
            return [v for item in node.items for v in literals(item)]
        return []

    def walk(node: Any) -> Iterator[Any]:
        yield node
        for value in vars(node).values() if hasattr(node, "__dict__") else (getattr(node, s) for s in node.__slots__):
            for child in value if isinstance(value, tuple) else (value,):
                if hasattr(child, "pos"):
                    yield from walk(child)

    checked = 0
    for where, kind, text, owner in _expressions(checklist):
        scalar_owner = owner if kind in ("constraint", "score", "let") else None
        for node in walk(expr.parse(text).root):
            if type(node).__name__ == "Compare" and node.op in ("==", "!=", "in", "not in"):
                for side, other in ((node.left, node.right), (node.right, node.left)):
                    ids = choices_of(side, scalar_owner)
                    if ids is not None:
                        unknown = set(literals(other)) - ids
                        assert not unknown, f"{where}: {sorted(unknown)} are not choices"
                        checked += 1
            if type(node).__name__ == "Call" and node.func == "selected":
                ids = choices_of(node.args[0], scalar_owner)
                assert ids is not None and set(literals(node.args[1])) <= ids, where
    assert checked > 30


# -- evaluation on sample communes (need readiness.expr) -------------------------------------------

GOOD_PC = {"role": "Quầy số 1", "cpu": "Intel Core i5-12400", "cores": 6, "ram_gb": 16.0, "storage_type": "ssd",
           "storage_gb": 512, "os": "win11", "os_version": "Windows 11 Pro 23H2", "year": 2023, "antivirus": True,
           "condition": "good"}
OLD_PC = {**GOOD_PC, "cpu": "Intel Core i3-4150", "cores": 2, "ram_gb": 4.0, "storage_type": "hdd", "storage_gb": 500,
          "os": "win10", "year": 2015, "antivirus": False, "condition": "poor"}


def _certificate(role: str, expiry: dt.date) -> dict[str, Any]:
    return {"holder": "Nguyễn Văn A", "role": role, "kind": "token", "expiry": expiry}


READY: dict[str, Any] = {
    "respondent_name": "Nguyễn Văn A", "respondent_position": "Công chức Văn phòng", "respondent_phone": "0912 345 678",
    "respondent_email": "vanphong@quangngai.gov.vn", "officers": 30, "one_stop_staff": 6, "counters": 4,
    "has_fibre": True, "isp": ["vnpt", "viettel"], "contract_down_mbps": 200.0, "contract_up_mbps": 50.0,
    "measured_down_mbps": 180.0, "measured_up_mbps": 60.0, "latency_ms": 12.0, "backup_line": "mobile",
    "tslcd_connected": True, "tslcd_mbps": 200.0, "lan_wired": "all", "citizen_wifi": "separate", "ups_minutes": 30,
    "outages_3m": 0, "mobile_coverage": "good_4g", "dead_zone_villages": 0,
    "pcs": [GOOD_PC] * 30, "pc_shortage": 0,
    "counter_pcs": 4, "counter_printers": 4, "counter_scanners": 4, "queue_system": "working", "rating_device": "working",
    "lookup_kiosk": "working", "display_screen": "working", "citizen_pcs": 1, "cameras": 2, "fast_scanner": "working",
    "id_readers": 4,
    "org_cert_ubnd": "new_name", "org_cert_ubnd_expiry": dt.date(2028, 5, 1), "org_cert_center": "new_name",
    "org_cert_center_expiry": dt.date(2028, 5, 1), "leaders_count": 3, "clerks_count": 1, "reception_count": 4,
    "certificates": [_certificate("leader", dt.date(2028, 1, 1))] * 3 + [_certificate("clerk", dt.date(2028, 1, 1))]
    + [_certificate("reception", dt.date(2028, 1, 1))] * 4,
    "sign_software": "all", "sign_tested_docs": True, "sign_tested_procedures": True, "signed_docs_pct": 99.0,
    "vc_endpoint_type": "hardware", "vc_link": "tslcd", "vc_camera": "ptz", "vc_microphones": 4, "vc_display": "large",
    "vc_audio": True, "vc_last_test": dt.date(2026, 11, 1), "vc_test_result": "good", "vc_room_capacity": 40,
    "vc_operator": "dx_officer",
    "email_accounts": 30, "docmgmt_accounts": 30, "procedure_staff": 10, "procedure_accounts": 10,
    "agency_code_used": True, "portal_page": "updated", "reporting_system": True, "online_docs_pct": 99.0,
    "civil_registry_system": "working", "land_system": "working", "business_registry_system": "working",
    "e_certification_system": "working",
    "av_managed": "central", "edge_firewall": "dedicated", "security_dossier": "approved", "licensed_software": "all",
    "backups": "regular", "no_shared_accounts": True,
    "dx_officer": "part_time", "dx_officer_name": "Trần Thị B", "dx_officer_phone": "0905 123 456", "sign_trained": 8,
    "one_stop_trained": "all", "villages": 10, "dx_groups": 10, "villages_covered": 10, "has_ethnic_minority": True,
    "em_support_point": "operating",
    "petitions": [{"topic": "funding", "difficulty": "Máy tính cấu hình thấp", "proposal": "Hỗ trợ kinh phí thay 10 máy",
                   "addressed_to": "Sở Tài chính"}],
}


def _evaluate(expr: Any, checklist: Checklist, answers: dict[str, Any]) -> dict[str, bool | None]:
    """Item id -> pass (True/False/None), 'na' items left out; relevance as the scorer applies it."""
    thresholds = checklist.threshold_values()
    visible = dict(answers)
    relevant: dict[str, bool] = {}
    for item in checklist.items():
        on = True
        if item.relevant:
            on = expr.truthy(expr.parse(item.relevant).evaluate(expr.Scope(visible, thresholds=thresholds, today=TODAY))) is True
        relevant[item.id] = on
        if not on:
            visible.pop(item.id, None)
    results: dict[str, bool | None] = {}
    for item in checklist.items():
        if not relevant[item.id]:
            continue
        value = visible.get(item.id)
        scope = expr.Scope(visible, thresholds=thresholds, today=TODAY)
        if item.constraint and value is not None:
            ok = expr.parse(item.constraint.expr).evaluate(scope.with_current(value))
            assert ok is True, f"{item.id}: sample answer {value!r} breaks its own constraint"
        if item.score is None:
            continue
        scope = scope.with_current(value if value is not None else ([] if item.type is ItemType.TABLE else None))
        computed: dict[str, Any] = {}
        for name, text in item.score.let.items():
            computed[name] = expr.parse(text).evaluate(scope.with_row(computed))
        scope = scope.with_row(computed)
        if item.score.na and expr.truthy(expr.parse(item.score.na).evaluate(scope)) is True:
            continue
        results[item.id] = expr.truthy(expr.parse(item.score.pass_).evaluate(scope))
    return results


def test_v2__a_well_equipped_commune__meets_every_scored_item(expr: Any, checklist: Checklist) -> None:
    results = _evaluate(expr, checklist, READY)
    assert {item_id for item_id, met in results.items() if met is not True} == set()
    assert "em_support_point" in results and "win10_plan" not in results and "cert_renewal_planned" not in results
    assert {"mobile_coverage", "dead_zone_villages", "civil_registry_system", "e_certification_system"} <= set(results)


def test_v2__a_weak_commune__fails_where_it_should(expr: Any, checklist: Checklist) -> None:
    weak = {
        **READY,
        "officers": 40, "counters": 5, "contract_down_mbps": 50.0, "measured_down_mbps": 30.0, "tslcd_mbps": 100.0,
        "backup_line": "none", "ups_minutes": 0, "outages_3m": 6,
        "pcs": [GOOD_PC] * 5 + [OLD_PC] * 10, "win10_plan": True, "pc_budget": False, "pc_shortage": 12,
        "counter_pcs": 3, "org_cert_ubnd_expiry": dt.date(2027, 1, 10),
        "certificates": [_certificate("leader", dt.date(2028, 1, 1)), _certificate("clerk", dt.date(2026, 11, 1)),
                         _certificate("reception", dt.date(2026, 12, 20))],
        "cert_renewal_planned": False, "procedure_accounts": 8, "has_ethnic_minority": False,
        "mobile_coverage": "weak", "dead_zone_villages": 3, "dead_zone_places": "Thôn 2, thôn 5, tổ dân phố 1",
        "land_system": "manual", "business_registry_system": "not_handled",
    }
    results = _evaluate(expr, checklist, weak)
    failed = {item_id for item_id, met in results.items() if met is False}
    assert failed == {
        "contract_down_mbps", "measured_down_mbps", "tslcd_mbps", "backup_line", "ups_minutes", "outages_3m",
        "pcs", "win10_plan", "pc_shortage", "pc_budget", "counter_pcs", "counter_printers", "counter_scanners",
        "org_cert_ubnd_expiry", "certificates", "cert_renewal_planned",
        "procedure_accounts", "email_accounts", "docmgmt_accounts", "av_managed",
        "mobile_coverage", "dead_zone_villages", "land_system",
    }
    assert "business_registry_system" not in results  # Không áp dụng: the commune does not handle these
    assert "em_support_point" not in results  # not relevant without ethnic-minority residents
    assert results["org_cert_ubnd"] is True  # valid, only close to expiry


def test_v2__unanswered_critical_item__is_undecided_not_met(expr: Any, checklist: Checklist) -> None:
    answers = {k: v for k, v in READY.items() if k != "tslcd_connected"}
    results = _evaluate(expr, checklist, answers)
    assert results["tslcd_connected"] is None
    assert "tslcd_mbps" not in results  # its relevance cannot be decided, so it is hidden


# -- what v2 adds ---------------------------------------------------------------------------------

SECTOR_SYSTEMS = ["civil_registry_system", "land_system", "business_registry_system", "e_certification_system"]


def test_v2__levels__say_trong_yeu_for_critical_criteria_and_bat_buoc_only_for_questions(checklist: Checklist) -> None:
    for level in checklist.levels:
        text = level.description.vi if level.description else ""
        assert "tiêu chí bắt buộc" not in text and "tiêu chí quan trọng" not in text, level.id
    assert "tiêu chí trọng yếu" in (checklist.level("ready").description or Text(vi="")).vi
    assert "câu hỏi bắt buộc" in (checklist.level("ready").description or Text(vi="")).vi


def test_v2__one_stop_shop__one_name_and_decree_118_where_the_generic_term_appears(checklist: Checklist) -> None:
    """The commune's one-stop shop is «Trung tâm Phục vụ hành chính công xã» everywhere; «Bộ phận Một cửa»
    (and English «one-stop shop») only where Decree 118/2025/NĐ-CP says what the centre is."""
    assert checklist.description and "118/2025/NĐ-CP" in checklist.description.vi
    for where, text in _texts(checklist):
        for language, value, generic in (("vi", text.vi, "Bộ phận Một cửa"), ("en", text.en or "", "one-stop shop")):
            if generic.lower() in value.lower():
                assert "118/2025/NĐ-CP" in value, f"{where} ({language}): «{generic}» without Decree 118"
        for match in re.finditer(r"Trung tâm Phục vụ hành chính công(?: (\w+))?", text.vi):
            assert match.group(1) in ("xã", "tỉnh"), f"{where}: «{match.group(0)}»"
        assert "PVHCC" not in text.vi and "TT PV" not in text.vi, where
    label = checklist.item("one_stop_staff")
    assert "Trung tâm Phục vụ hành chính công xã" in label.label.vi and label.hint and "118/2025/NĐ-CP" in label.hint.vi


def test_v2__mobile_coverage_and_dead_zones__asked_in_the_internet_section(checklist: Checklist) -> None:
    internet = [i.id for i in checklist.section("internet").items]
    assert internet[-3:] == ["mobile_coverage", "dead_zone_villages", "dead_zone_places"]
    coverage = checklist.item("mobile_coverage")
    assert [c.id for c in coverage.choices or ()] == ["good_5g", "good_4g", "weak", "none"]
    zones = checklist.item("dead_zone_villages")
    assert zones.type is ItemType.INTEGER and zones.required and zones.hint and "lõm sóng" in zones.hint.vi
    places = checklist.item("dead_zone_places")
    assert places.relevant == "dead_zone_villages > 0" and places.required
    assert coverage.score and zones.score and coverage.score.weight == zones.score.weight == 1
    assert not coverage.score.critical and not zones.score.critical


def test_v2__sector_systems__one_item_each_with_the_link_to_the_provincial_system(checklist: Checklist) -> None:
    systems = [i.id for i in checklist.section("systems").items]
    assert systems[-5:] == [*SECTOR_SYSTEMS, "system_problems"]
    for item_id in SECTOR_SYSTEMS:
        item = checklist.item(item_id)
        assert item.type is ItemType.SINGLE_CHOICE and item.required, item_id
        assert [c.id for c in item.choices or ()] == ["working", "sync_errors", "manual", "no_access", "not_handled"]
        assert item.hint and "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh" in item.hint.vi, item_id
        assert item.score and item.score.weight == 1 and not item.score.critical, item_id
        assert item.score.na == ". == 'not_handled'" and item.score.pass_ == ". == 'working'", item_id
    owners = {"civil_registry_system": "Sở Tư pháp", "e_certification_system": "Sở Tư pháp",
              "business_registry_system": "Sở Tài chính", "land_system": "Sở Nông nghiệp và Môi trường"}
    for item_id, owner in owners.items():
        advice = checklist.item(item_id).score.advice.vi  # type: ignore[union-attr]
        assert owner in advice and "Sở Khoa học và Công nghệ" in advice, item_id


def test_v2__weights__new_items_light_and_critical_share_unchanged(checklist: Checklist) -> None:
    scored = [i for i in checklist.items() if i.score]
    total = sum(i.score.weight for i in scored)  # type: ignore[union-attr]
    critical = sum(i.score.weight for i in scored if i.score.critical)  # type: ignore[union-attr]
    assert 100 <= total <= 130
    assert 0.12 <= critical / total <= 0.25
    assert max(i.score.weight for i in scored) <= 5  # type: ignore[union-attr]
