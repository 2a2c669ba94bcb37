"""No text from a submission or a person becomes a formula in any file the application writes.

Every writer (found by reading the source: each function or class that makes an openpyxl workbook or a
CSV writer) is run with hostile text in every free-text field and table column it takes.  Each file it
writes is read back twice, as the raw sheet XML in the zip and with openpyxl, and must hold no formula
(an ``<f>`` element, data type ``f``), no error cell made from text, and no formula-like string
without the quote prefix.  A writer added later makes :func:`test_every_workbook_writer_is_walked`
fail until a scenario here runs it.

Formula-like is read here on its own terms, not with :mod:`readiness.xlsx_cells`: text whose first
character is a tab or line break, or whose first visible character is ``= + - @`` or a full-width or
small form of one of them.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from samples import SMALL, TODAY

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "readiness"
PERIOD = "2025-11"
COMMUNE = "23500"  # Xã Đăk Hà, Quảng Ngãi

# The issue's exact strings first (a PC's user and CPU; petition text), then the other starts.
ISSUE_STRINGS = ['=HYPERLINK("http://evil.example","pc")', "=cmd|' /C calc'!A0", "=1+2", "=cmd|' /C notepad'!A0",
                 "+SUM(A1:A9)"]
HOSTILE = [*ISSUE_STRINGS, "-2+3", "@SUM(A1:A2)", "\t=1+2", "\r=1+2", "\n=1+2", " =1+2", "＝1+2", "＋SUM(A1)",
           "－1+2", "＠SUM(A1)", "﹦1+2", "\ufeff=1+2", "#N/A", "=", "-"]
INPUTS = "incoming"  # a scenario's hostile input files (not written by the application)
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def formula_like(text: str) -> bool:
    if text[:1] in ("\t", "\r", "\n"):
        return True
    visible = [c for c in text if not (c.isspace() or unicodedata.category(c) == "Cf")]
    return bool(visible) and unicodedata.normalize("NFKC", visible[0])[:1] in "=+-@"


def formula_problems(path: Path) -> list[str]:
    """Every cell of ``path`` (xlsx or csv) that a spreadsheet could run or take for a formula."""
    problems: list[str] = []
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row_number, row in enumerate(csv.reader(handle), start=1):
                problems += [f"{path.name} dòng {row_number}: {field!r}" for field in row if formula_like(field)]
        return problems
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                continue
            for cell in ElementTree.fromstring(archive.read(name)).iter(f"{SHEET_NS}c"):
                if cell.find(f"{SHEET_NS}f") is not None:
                    problems.append(f"{path.name} {name} {cell.get('r')}: <f> formula")
                if cell.get("t") == "e":
                    problems.append(f"{path.name} {name} {cell.get('r')}: error cell")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{path.name} «{ws.title}»!{cell.coordinate}"
                if cell.data_type in ("f", "e"):
                    problems.append(f"{where}: data type {cell.data_type} {cell.value!r}")
                elif isinstance(cell.value, str) and formula_like(cell.value) and not cell.quotePrefix:
                    problems.append(f"{where}: {cell.value!r} without the quote prefix")
    return problems


def text_values(path: Path) -> set[str]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {field for row in csv.reader(handle) for field in row}
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


# -- hostile inputs ---------------------------------------------------------------------------------------


def hostile_answers(checklist, answers: dict, strings=HOSTILE) -> dict:
    """``answers`` with every free-text item and text column replaced (items with a constraint kept)."""
    from readiness.checklist.model import ItemType

    hostile = itertools.cycle(strings)
    answers = json.loads(json.dumps(answers))
    for item in checklist.items():
        if item.type is ItemType.TEXT and getattr(item, "constraint", None) is None:
            answers[item.id] = next(hostile)
        elif item.type is ItemType.TABLE:
            rows = answers.get(item.id) or []
            columns = [c for c in item.columns if c.type is ItemType.TEXT and getattr(c, "constraint", None) is None]
            for row in rows:
                for column in columns:
                    row[column.id] = next(hostile)
    return answers


def ready_answers() -> dict:
    return json.loads((ROOT / "tests" / "data" / "ready_commune.json").read_text(encoding="utf-8"))["answers"]


def with_issue_rows(answers: dict) -> dict:
    """The issue's own case: a PC's user and CPU, and petitions, exactly as the attacker typed them."""
    answers["pcs"][0].update(role=ISSUE_STRINGS[0], cpu=ISSUE_STRINGS[1])
    answers["petitions"] = [
        {"topic": "staffing", "difficulty": ISSUE_STRINGS[2], "proposal": ISSUE_STRINGS[3], "addressed_to": ISSUE_STRINGS[4]},
        *answers.get("petitions", []),
    ]
    return answers


def hostile_checklist_text() -> str:
    """The small test checklist with every Vietnamese label, title, requirement and advice made hostile."""
    hostile = itertools.cycle(HOSTILE[:7])  # printable ones (YAML keeps them as written)
    return re.sub(r'vi: "([^"]*)"', lambda m: f"vi: {json.dumps(next(hostile) + ' ' + m.group(1), ensure_ascii=False)}",
                  SMALL)


@pytest.fixture
def hostile_library(tmp_path):
    from readiness.checklist.loader import ChecklistLibrary

    folder = tmp_path / "hostile-checklists" / "small-test"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text(hostile_checklist_text(), encoding="utf-8")
    return ChecklistLibrary(tmp_path / "hostile-checklists")


def hostile_commune():
    from readiness.register import Commune

    return Commune(code=COMMUNE, name=ISSUE_STRINGS[0], kind="Xã", province_code="51", province_name=ISSUE_STRINGS[4])


# -- the scenarios: each runs one writer and returns the files it wrote ---------------------------------------


def scenario_submission(tmp_path: Path, **_) -> list[Path]:
    """The commune's submission (real checklist, every text answer and text column hostile)."""
    from readiness.exchange import ExportContext, write_submission
    from readiness.service import Workspace

    workspace = Workspace.open(f"sqlite:///{tmp_path / 'commune.sqlite3'}")
    try:
        session = workspace.session(COMMUNE, PERIOD)
        session.today = TODAY
        raw = with_issue_rows(hostile_answers(workspace.latest_checklist(), ready_answers()))
        raw["respondent_phone"], raw["respondent_email"] = "0983127648", "motcua@quangngai.gov.vn"
        assert not session.set_answers(raw)
        ctx = ExportContext.from_session(session, now=dt.datetime(2025, 11, 20, 9, 0).astimezone())
        return [write_submission(ctx, tmp_path / "submission.xlsx").path]
    finally:
        workspace.close()


def scenario_submission_changed(tmp_path: Path, **_) -> list[Path]:
    """A submission carried from the previous period with hostile text typed over carried answers and rows:
    the «Ghi chú» change notes of section sheets and the «So với kỳ trước» column of table sheets."""
    from readiness.exchange import ExportContext, write_submission
    from readiness.service import Workspace

    workspace = Workspace.open(f"sqlite:///{tmp_path / 'commune.sqlite3'}")
    try:
        previous = workspace.session(COMMUNE, "2025-10")
        previous.today = TODAY
        raw = ready_answers()
        assert not previous.set_answers(raw)
        previous.finalize()
        session = workspace.start(COMMUNE, PERIOD)
        session.today = TODAY
        changed = with_issue_rows(hostile_answers(workspace.latest_checklist(), ready_answers()))
        changed["respondent_phone"], changed["respondent_email"] = "0983127648", "motcua@quangngai.gov.vn"
        assert not session.set_answers({k: v for k, v in changed.items() if k not in ("pcs", "certificates")})
        pc = session.answers.rows("pcs")[0]
        session.set_cell("pcs", pc.id, "role", ISSUE_STRINGS[0])
        session.set_cell("pcs", pc.id, "cpu", ISSUE_STRINGS[1])
        session.add_row("certificates", {"holder": ISSUE_STRINGS[2], "role": "clerk", "kind": "token",
                                         "expiry": "2027-12-31"})
        ctx = ExportContext.from_session(session, now=dt.datetime(2025, 11, 20, 9, 0).astimezone())
        assert ctx.previous is not None and ctx.previous.change("pcs") and ctx.previous.change("respondent_name")
        return [write_submission(ctx, tmp_path / "submission-changed.xlsx").path]
    finally:
        workspace.close()


def scenario_submission_hostile_checklist(tmp_path: Path, hostile_library, **_) -> list[Path]:
    """A submission where the checklist's own labels (a draft tried with READINESS_CHECKLISTS) are hostile too."""
    from readiness.answers import Answers, coerce_all
    from readiness.exchange import ExportContext, write_submission
    from readiness.exchange.context import Identity

    checklist = hostile_library.latest("small-test")
    raw = hostile_answers(checklist, {"respondent": "x", "officers": 3, "has_fibre": True, "download": 50.5,
                                      "providers": ["vnpt"], "tslcd": "none",
                                      "pcs": [{"role": "x", "ram_gb": 4, "os": "win10"}, {"role": "y"}],
                                      "petitions": [{"topic": "a", "difficulty": "b", "proposal": "c", "addressed_to": "d"}]})
    values, errors = coerce_all(checklist, raw)
    assert not errors, errors
    now = dt.datetime(2025, 11, 20, 9, 0).astimezone()
    ctx = ExportContext.build(checklist, Answers(values=values), commune=hostile_commune(), period=PERIOD,
                              identity=Identity(assessment_id="0f2a8d7e-1111-4c3b-9a55-3d1f00000001", revision=1,
                                                status="finalized", created_at=now, updated_at=now, finalized_at=now),
                              now=now, today=TODAY)
    return [write_submission(ctx, tmp_path / "submission-hostile-checklist.xlsx").path]


def scenario_template(tmp_path: Path, hostile_library, **_) -> list[Path]:
    """The blank template: hostile checklist labels, commune name and province."""
    from readiness.checklist.loader import default_library
    from readiness.exchange import write_template

    files = [write_template(hostile_library.latest("small-test"), tmp_path / "template-hostile.xlsx", commune=hostile_commune(),
                            period=PERIOD).path]
    files.append(write_template(default_library().latest(), tmp_path / "template.xlsx", commune=hostile_commune(),
                                period=PERIOD).path)
    return files


def scenario_department_report(tmp_path: Path, **_) -> list[Path]:
    """End to end through the CLI: the commune fills, finalizes and exports; the department imports, answers
    petitions with hostile text, and writes ``readiness report --xlsx`` (plus one scoped by a hostile search)."""
    from readiness.cli import main

    commune_db = f"sqlite:///{tmp_path / 'commune.sqlite3'}"
    department_db = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    answers_file = tmp_path / "answers.json"
    from readiness.checklist.loader import default_library

    raw = with_issue_rows(hostile_answers(default_library().latest(), ready_answers()))
    raw["respondent_phone"], raw["respondent_email"] = "0983127648", "motcua@quangngai.gov.vn"
    answers_file.write_text(json.dumps({"answers": raw}, ensure_ascii=False), encoding="utf-8")
    submission = tmp_path / "nop.xlsx"
    assert main(["--db", commune_db, "fill", "--commune", COMMUNE, "--period", PERIOD, "--answers", str(answers_file)]) == 0
    assert main(["--db", commune_db, "finalize", "--commune", COMMUNE, "--period", PERIOD]) == 0
    assert main(["--db", commune_db, "export", "--commune", COMMUNE, "--period", PERIOD, "--xlsx", str(submission)]) == 0
    assert main(["--db", department_db, "import", str(submission)]) == 0
    from readiness.department.petitions import list_petitions
    from readiness.service import Workspace

    workspace = Workspace.open(department_db)
    try:
        ids = [p.id for p in list_petitions(workspace, period=PERIOD)]
    finally:
        workspace.close()
    assert len(ids) >= 2
    assert main(["--db", department_db, "petitions", "update", str(ids[0]), "--status", "forwarded",
                 "--forwarded-to", ISSUE_STRINGS[3]]) == 0
    assert main(["--db", department_db, "petitions", "update", str(ids[1]), "--status", "answered",
                 "--response", ISSUE_STRINGS[0], "--response-ref", "+84 Công văn"]) == 0
    report = tmp_path / "tong-hop.xlsx"
    scoped = tmp_path / "tong-hop-loc.xlsx"
    assert main(["--db", department_db, "report", "--period", PERIOD, "--xlsx", str(report)]) == 0
    assert main(["--db", department_db, "report", "--period", PERIOD, "--xlsx", str(scoped), "--search", "=1+2"]) == 0
    return [submission, report]  # the scoped one is read too (every workbook under tmp_path is)


def scenario_demo_export(tmp_path: Path, monkeypatch, **_) -> list[Path]:
    """``readiness demo``: the demo answers (from the register) with hostile text put into them."""
    import readiness.demo as demo
    from readiness.department.demo_export import write_demo_submissions

    original = demo.demo_month  # what ``readiness demo`` draws a commune's month from

    def hostile_demo(checklist, commune, period, **kwargs):
        made = original(checklist, commune, period, **kwargs)
        made.answers.update(hostile_answers(checklist, made.answers))
        return made

    monkeypatch.setattr(demo, "demo_month", hostile_demo)
    return [f.path for f in write_demo_submissions(tmp_path / "demo", count=2, period=PERIOD, jobs=1, today=TODAY)]


def scenario_signed_workbook(tmp_path: Path, **_) -> list[Path]:
    """The ``_signature`` sheet (signer and organisation come from a certificate: outside text) on a
    hostile submission, copied by the signer."""
    from readiness.signing.workbook import part_rows, write_signature_part

    (source,) = scenario_submission(tmp_path)
    rows = part_rows(b"\x30\x03\x02\x01\x01", data_sha256="=" + "a" * 63, signed_at=dt.datetime(2025, 11, 20, 9, 0),
                     signer=ISSUE_STRINGS[0], organization=ISSUE_STRINGS[4], certificate_sha256=ISSUE_STRINGS[1])
    target = tmp_path / "signed.xlsx"
    write_signature_part(source, target, rows)
    return [target]


def scenario_import_error_list(tmp_path: Path, **_) -> list[Path]:
    """«Lưu danh sách lỗi» of the import dialog (xlsx and csv): a real refusal of a file with a hostile
    name, and problems quoting hostile cell text."""
    from readiness.department.import_errors import ImportProblem
    from readiness.department.importer import FileResult, import_paths
    from readiness.gui.department.import_dialog import write_error_list
    from readiness.service import Workspace

    folder = tmp_path / INPUTS
    folder.mkdir()
    (folder / f"{ISSUE_STRINGS[4]}.xlsx").write_bytes(b"not a workbook")  # a name holds no «/»
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'department.sqlite3'}")
    try:
        results = list(import_paths(workspace, [folder], jobs=0).results)
    finally:
        workspace.close()
    assert results and results[0].status == "rejected"
    results.append(FileResult(file=ISSUE_STRINGS[0], status="rejected", commune=COMMUNE, period=PERIOD, errors=[
        ImportProblem("E-XLSX-VALUE", f"Sheet '{ISSUE_STRINGS[2]}', ô D7: «{ISSUE_STRINGS[3]}» không hợp lệ.",
                      sheet=ISSUE_STRINGS[2], cell=ISSUE_STRINGS[4])]))
    names = {COMMUNE: ISSUE_STRINGS[3]}
    paths = [tmp_path / "loi.xlsx", tmp_path / "loi.csv"]
    for path in paths:
        assert write_error_list(results, names, path) == 2
    return paths


def scenario_needs_workbook(tmp_path: Path, **_) -> list[Path]:
    """``readiness needs --xlsx`` with a price file whose labels, units and basis are hostile (the department
    may give its own), and a price the department typed with a hostile basis."""
    from readiness.checklist.loader import default_library
    from readiness.cli import main
    from readiness.department.prices import default_price_path

    database = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    raw = with_issue_rows(hostile_answers(default_library().latest(), ready_answers()))
    raw["respondent_phone"], raw["respondent_email"] = "0983127648", "motcua@quangngai.gov.vn"
    raw["vc_endpoint_type"], raw["ups_minutes"] = "software", 5  # needs with a price
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": raw}, ensure_ascii=False), encoding="utf-8")
    assert main(["--db", database, "fill", "--commune", COMMUNE, "--period", PERIOD, "--answers", str(answers_file)]) == 0
    assert main(["--db", database, "finalize", "--commune", COMMUNE, "--period", PERIOD]) == 0
    hostile = itertools.cycle(HOSTILE[:7])
    text = default_price_path().read_text(encoding="utf-8")
    text = re.sub(r'(vi|basis): "([^"]*)"', lambda m: f"{m.group(1)}: {json.dumps(next(hostile) + ' ' + m.group(2), ensure_ascii=False)}", text)
    text = re.sub(r"unit: (.+)", lambda m: f"unit: {json.dumps(next(hostile) + m.group(1), ensure_ascii=False)}", text)
    folder = tmp_path / INPUTS
    folder.mkdir()
    prices = folder / "don-gia.yaml"
    prices.write_text(text, encoding="utf-8")
    assert main(["--db", database, "prices", "set", "ups", "7000000", "--basis", ISSUE_STRINGS[0]]) == 0
    target = tmp_path / "nhu-cau.xlsx"
    assert main(["--db", database, "needs", "--period", PERIOD, "--prices", str(prices), "--xlsx", str(target)]) == 0
    return [target]


def scenario_reminder_contacts(tmp_path: Path, **_) -> list[Path]:
    """``readiness remind --xlsx``: the contact list of the communes to chase, whose respondent (name,
    position) comes from what they typed in an earlier period."""
    from readiness.cli import main

    commune_db = f"sqlite:///{tmp_path / 'commune.sqlite3'}"
    department_db = f"sqlite:///{tmp_path / 'department.sqlite3'}"
    from readiness.checklist.loader import default_library

    raw = hostile_answers(default_library().latest(), ready_answers())
    raw["respondent_name"], raw["respondent_position"] = ISSUE_STRINGS[0], ISSUE_STRINGS[1]
    raw["respondent_phone"], raw["respondent_email"] = "0983127648", "motcua@quangngai.gov.vn"
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": raw}, ensure_ascii=False), encoding="utf-8")
    submission = tmp_path / INPUTS / "nop.xlsx"
    submission.parent.mkdir()
    assert main(["--db", commune_db, "fill", "--commune", COMMUNE, "--period", PERIOD, "--answers", str(answers_file)]) == 0
    assert main(["--db", commune_db, "finalize", "--commune", COMMUNE, "--period", PERIOD]) == 0
    assert main(["--db", commune_db, "export", "--commune", COMMUNE, "--period", PERIOD, "--xlsx", str(submission)]) == 0
    assert main(["--db", department_db, "import", str(submission)]) == 0
    contacts = tmp_path / "don-doc.xlsx"
    assert main(["--db", department_db, "remind", "--period", "2025-12", "--commune", COMMUNE, "--xlsx",
                 str(contacts)]) == 0
    return [contacts]


SCENARIOS: dict[str, Callable[..., list[Path]]] = {
    "submission": scenario_submission,
    "submission, hostile checklist": scenario_submission_hostile_checklist,
    "submission, changed since last period": scenario_submission_changed,
    "template": scenario_template,
    "department report": scenario_department_report,
    "demo export": scenario_demo_export,
    "signed workbook": scenario_signed_workbook,
    "import error list": scenario_import_error_list,
    "needs workbook": scenario_needs_workbook,
    "reminder contact list": scenario_reminder_contacts,
}

# Each function or class that makes a workbook or a CSV writer, and the scenarios that run it.
WRITERS = {
    # the submission's and the template's workbook (made by new_workbook, filled by _Build)
    ("readiness.exchange.xlsx", "new_workbook"): {"submission", "submission, hostile checklist",
                                                  "submission, changed since last period", "template", "demo export"},
    ("readiness.department.report_xlsx", "build_workbook"): {"department report"},
    ("readiness.signing.workbook", "write_signature_part"): {"signed workbook"},
    ("readiness.gui.department.import_dialog", "write_error_list"): {"import error list"},
    ("readiness.department.needs_xlsx", "build_needs_workbook"): {"needs workbook"},
    ("readiness.department.reminder", "write_contacts_xlsx.write"): {"reminder contact list"},
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_written_file__hostile_text__no_formula_cell(name, tmp_path, hostile_library, monkeypatch):
    files = SCENARIOS[name](tmp_path, hostile_library=hostile_library, monkeypatch=monkeypatch)
    assert files
    written = sorted({*files, *(p for p in [*tmp_path.rglob("*.xlsx"), *tmp_path.rglob("*.csv")]
                                if INPUTS not in p.relative_to(tmp_path).parts)})
    problems = [problem for path in written for problem in formula_problems(path)]
    assert not problems, "\n".join(problems[:40])
    for path in files:  # the hostile text did reach every file (a CSV field with its apostrophe)
        assert any(formula_like(v.removeprefix("'")) for v in text_values(path)), f"no hostile text in {path.name}"


def test_department_report__issue_strings__kept_as_typed_in_their_sheets(tmp_path):
    """``readiness report --xlsx``: «Máy tính» and «Kiến nghị» show the attacker's text exactly, as text."""
    from openpyxl import load_workbook

    report = scenario_department_report(tmp_path)[1]
    workbook = load_workbook(report)
    pcs = {c.value: c for row in workbook["Máy tính"].iter_rows() for c in row if isinstance(c.value, str)}
    petitions = {c.value: c for row in workbook["Kiến nghị"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in ISSUE_STRINGS[:2]:
        assert text in pcs and pcs[text].data_type == "s" and pcs[text].quotePrefix
    for text in ISSUE_STRINGS[2:]:
        assert text in petitions and petitions[text].data_type == "s" and petitions[text].quotePrefix
    assert not formula_problems(report)


# -- every writer is walked -----------------------------------------------------------------------------------

_MAKERS = {"Workbook", "load_workbook", "WriteOnlyWorksheet", "DictWriter"}


class _WriterFinder(ast.NodeVisitor):
    """Scopes (function or class, dotted) that use a workbook maker or ``csv.writer`` (not in annotations)."""

    def __init__(self, module: str):
        self.module = module
        self.scope: list[str] = []
        self.found: set[tuple[str, str]] = set()
        self.names = set(_MAKERS)

    def _enter(self, node) -> None:
        self.scope.append(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        if not isinstance(node, ast.ClassDef):
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
                self.visit(default)
        for statement in node.body:
            self.visit(statement)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def visit_AnnAssign(self, node) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_ImportFrom(self, node) -> None:
        for alias in node.names:
            if alias.name in _MAKERS and alias.asname:
                self.names.add(alias.asname)

    def _hit(self) -> None:
        self.found.add((self.module, ".".join(self.scope) or "<module>"))

    def visit_Name(self, node) -> None:
        if node.id in self.names:
            self._hit()

    def visit_Attribute(self, node) -> None:
        if node.attr in _MAKERS or (node.attr == "writer" and isinstance(node.value, ast.Name) and node.value.id == "csv"):
            self._hit()
        self.generic_visit(node)


def workbook_writers() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        finder = _WriterFinder(module)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= finder.found
    return found


def test_every_workbook_writer_is_walked():
    found = workbook_writers()
    new = sorted(found - set(WRITERS))
    assert not new, (f"new workbook or CSV writer(s) {new}: write text through readiness.xlsx_cells, add a scenario "
                     "with hostile text to this test and list the writer in WRITERS")
    gone = sorted(set(WRITERS) - found)
    assert not gone, f"writer(s) {gone} no longer found: update WRITERS"
    for writer, scenarios in WRITERS.items():
        assert scenarios and scenarios <= set(SCENARIOS), writer


def test_writer_finder__sees_a_new_writer(tmp_path):
    """The finder is not blind: a module making a workbook under another name is found."""
    finder = _WriterFinder("readiness.new_sheet")
    finder.visit(ast.parse("from openpyxl import Workbook as Book\n"
                           "def export_list(rows):\n    book = Book()\n    book.active.append(rows)\n"
                           "def export_csv(handle):\n    import csv\n    return csv.writer(handle)\n"
                           "def typed(book: Workbook) -> Workbook:\n    return book\n"))
    assert finder.found == {("readiness.new_sheet", "export_list"), ("readiness.new_sheet", "export_csv")}


# -- the report's streamed rows (readiness.xlsx_cells.StreamedRows) -------------------------------------------

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # read here on its own terms, as formula-likeness is
LONG = "=HYPERLINK(\"http://evil.example\",\"" + "x" * 39_950 + "\")"  # 40,000 characters: a cell holds 32,767
STREAMED_HOSTILE = [*HOSTILE, "\x01=1+2", "=1\x07+2", "ab\x00c\x1f", LONG, "a\rb\r\nc", "  lề hai bên  ", "<b>&amp;</b>",
                    "\x0b\x0c"]


def _table_rows() -> list[list]:
    rows = []
    for index, text in enumerate(STREAMED_HOSTILE, start=1):
        rows.append([index, text, f"{text} x", 1.25 * index, dt.date(2025, 11, index % 28 + 1), index % 2 == 0,
                     None, ""])
    return rows


def _write_table(path: Path, *, stream: bool) -> Path:
    from openpyxl import Workbook

    from readiness.department.report_xlsx import Sheet
    from readiness.xlsx_cells import save_workbook

    book = Workbook(write_only=True)
    sheet = Sheet(book, "Bảng", set())
    rows = _table_rows()
    rows[0][6] = sheet.percent(0.5)
    headers = ["STT", "Văn bản", "Văn bản 2", "Số", "Ngày", "Có", "Tỷ lệ", "Rỗng"]
    if stream:  # the report's tables
        sheet.table(headers, iter(rows), date_columns=[4])
    else:  # openpyxl's cells: the same header, each row appended through row_of, the dates styled as the table does
        sheet.setup(headers, rows)
        sheet.header_row(headers)
        for row in rows:
            sheet.append([sheet._date(v) if i == 4 else v for i, v in enumerate(row)])
    save_workbook(book, path)
    return path


def test_streamed_rows__hostile_text__read_back_as_the_cleaned_text_through_openpyxl_and_calamine(tmp_path):
    """The report's big sheets write their data rows as XML directly: every hostile text reads back, through
    openpyxl and through python-calamine, as exactly the text with the characters XML cannot hold dropped and cut
    at 32,767 characters; never a formula; formula-like text with the quote prefix; the cells the same as the
    openpyxl path's (value, type, number format, font, fill, alignment, quote prefix)."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    streamed = _write_table(tmp_path / "streamed.xlsx", stream=True)
    cells = _write_table(tmp_path / "cells.xlsx", stream=False)
    assert not formula_problems(streamed)
    expected = [NOT_XML.sub("", text)[:32767] for text in STREAMED_HOSTILE]
    assert len(expected[STREAMED_HOSTILE.index(LONG)]) == 32767 and "\x01" not in "".join(expected)

    with zipfile.ZipFile(streamed) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml and sheet_xml.count('t="inlineStr"') >= 2 * len(expected)

    ws = load_workbook(streamed)["Bảng"]
    for row, text in zip(ws.iter_rows(min_row=2), expected):
        for cell, value in ((row[1], text), (row[2], f"{text} x"[:32767] if len(text) < 32767 else None)):
            if value is None:  # the long text with « x» after it: cut, still the first 32,767 characters
                value = NOT_XML.sub("", LONG + " x")[:32767]
            if not value:  # nothing left of "\x0b\x0c": an empty cell, as openpyxl writes ""
                assert cell.value is None
                continue
            assert cell.value == value and cell.data_type == "s"
            assert bool(cell.quotePrefix) == formula_like(value), (cell.coordinate, value[:20])
    calamine = CalamineWorkbook.from_path(str(streamed)).get_sheet_by_name("Bảng").to_python()
    assert [row[1] for row in calamine[1:]] == expected
    assert [row[3] for row in calamine[1:]] == [1.25 * i for i in range(1, len(expected) + 1)]
    assert [row[4] for row in calamine[1:]] == [dt.date(2025, 11, i % 28 + 1) for i in range(1, len(expected) + 1)]

    other = load_workbook(cells)["Bảng"]
    for row_a, row_b in zip(ws.iter_rows(), other.iter_rows(), strict=True):
        for a, b in zip(row_a, row_b, strict=True):
            assert (a.value, a.data_type, a.number_format, a.quotePrefix) == (b.value, b.data_type, b.number_format,
                                                                             b.quotePrefix), a.coordinate
            for attr in ("font", "fill", "alignment", "border"):
                assert repr(getattr(a, attr)) == repr(getattr(b, attr)), (a.coordinate, attr)
    assert ws["E2"].number_format == "dd/mm/yyyy" and isinstance(ws["E2"].value, dt.datetime)
    assert ws["G2"].number_format == "0.0%" and ws["G2"].value == 0.5
    assert ws["F3"].value is True and ws["F2"].value is False


# Texts met again: the rows remember each text's cell (StreamedRows' tails); every adversarial start, the characters
# XML cannot hold, line breaks, what must be escaped, spaces at either end, over-long text, Vietnamese as NFC and NFD.
VIETNAMESE = "Xã Đăk Hà — Nguyễn Thị Hồng Nhung"
MET_AGAIN = [*STREAMED_HOSTILE, "+", "@", "a\tb", "\ttab", "line\nbreak", "\r", "&<>\"'", "& lề &", " lề", "lề ",
             unicodedata.normalize("NFC", VIETNAMESE), unicodedata.normalize("NFD", VIETNAMESE), "", "x" * 40_000,
             "=" + "y" * 32_800, "\x1f", "\ud800a", "a\ufffe"]
_CELL = re.compile(r'<c r="[A-Z]+\d+"(.*?)(?:/>|</c>)', re.S)


def _streamed_sheet(path: Path, fill) -> list[list[str]]:
    """Save a write-only workbook whose one sheet's rows ``fill(StreamedRows, ws)`` writes; each row's cells as
    written, their reference left out."""
    from openpyxl import Workbook

    from readiness.xlsx_cells import StreamedRows, save_workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("Bảng")
    fill(StreamedRows(ws, 0), ws)
    save_workbook(book, path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return [_CELL.findall(row) for row in re.findall(r"<row [^>]*>(.*?)</row>", xml, re.S)]


def test_streamed_rows__text_met_again__the_same_cell_as_the_first_time_and_as_every_other_text_cell(tmp_path):
    """A text's cell is made once and remembered: written again (another row, another column) it is the very XML
    of its first time, which is the text rule's (``_text_tail``, the path of openpyxl cells and odd values too): each text
    twice in a row, twice more in the next, as an openpyxl cell where openpyxl takes it, and the rule's own
    output, all equal but for the reference; read back it is the cleaned text, the quote prefix on exactly the
    formula-like ones."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    from readiness.xlsx_cells import clean_text

    made: list[str] = []

    def fill(rows, ws):
        for text in MET_AGAIN:
            rows.append([text, None, text])
            try:
                typed = WriteOnlyCell(ws, value=text)  # openpyxl refuses control characters in its cells
            except IllegalCharacterError:
                typed = None
            rows.append([text, typed, text])
            made.append(rows._text_tail("", text).removesuffix("/>").removesuffix("</c>"))

    sheet = _streamed_sheet(tmp_path / "again.xlsx", fill)
    assert len(sheet) == 2 * len(MET_AGAIN)
    for index, text in enumerate(MET_AGAIN):
        first, again = sheet[2 * index], sheet[2 * index + 1]
        cells = [*first, *again]
        assert len(cells) in (4, 5) and len(set(cells)) == 1 and cells[0] == made[index], (text[:30], cells[:2])
        cleaned = clean_text(text)
        if not cleaned:
            assert cells[0] == ' t="inlineStr"', text
            continue
        quoted = ' s="' in cells[0]
        assert quoted == formula_like(cleaned), text[:30]
        body = cells[0].split("<t", 1)[1].split(">", 1)[1].removesuffix("</t></is>")
        unescaped = body.replace("&#13;", "\r").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert unescaped == cleaned and len(unescaped) <= 32767, text[:30]
        assert ('xml:space="preserve"' in cells[0]) == (cleaned != cleaned.strip()), text[:30]


def test_streamed_rows__numbers_dates_booleans_met_again__the_same_cells_as_openpyxl_cells_of_them(tmp_path):
    """Numbers, dates and booleans remembered by value: written again they are the cells the generic path writes
    for openpyxl cells holding them (a date column's dates in its style), with no value taken for another that
    compares equal (1, 1.0 and True; 0.0 and -0.0)."""
    from openpyxl.cell import WriteOnlyCell

    values = [1, True, 1.0, -0.0, 0.0, 0, False, -3, 4095, 4096, -4096, 10**15 - 1, 10**15, 10**16, 2**53 + 1,
              7.25, 1e-300, float("nan"), float("inf"), float("-inf"), 71.5, dt.date(2025, 11, 20),
              dt.date(2000, 1, 1)]

    def fill(rows, ws):
        prototype = WriteOnlyCell(ws, value=dt.date(2000, 1, 1))
        prototype.number_format = "dd/mm/yyyy"
        for index in range(len(values)):
            rows.date_column(index, prototype)
        for _ in range(3):
            rows.append(values)
            rows.append(list(reversed(values)))
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        rows.append(cells)

    sheet = _streamed_sheet(tmp_path / "numbers.xlsx", fill)
    expected = sheet[-1]
    assert len(expected) == len(values)
    for row in sheet[0:6:2]:
        assert row == expected
    for row in sheet[1:6:2]:
        assert row == list(reversed(expected))
    assert expected[1] == ' t="b"><v>1</v>' and expected[3] == ' t="n"><v>-0</v>'
    assert expected[2] == expected[0] == ' t="n"><v>1</v>' and expected[4] == ' t="n"><v>0</v>'


def test_streamed_rows__openpyxl_cells_met_again__written_as_when_first_met_and_as_they_now_hold(tmp_path):
    """A styled openpyxl cell (the report's score cells: one object per score and band, met thousands of times) is
    remembered by its value, type and style: the same cell appended again, an equal new one and one changed since
    are each written as a cell met for the first time would be (1, 1.0, True; 0.0, -0.0 told apart)."""
    from openpyxl.cell import WriteOnlyCell

    values = [1, True, 1.0, -0.0, 0.0, 71.5, "=1+2", "Xã Đăk Hà", dt.date(2025, 11, 20), None]

    def styled(ws, value, number_format="0.0"):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format
        return cell

    def fill(rows, ws):
        cells = [styled(ws, value) for value in values]
        rows.append(cells)
        rows.append(cells)
        rows.append([styled(ws, value) for value in values])
        cells[0].value = 2
        cells[5].number_format = "0.00"
        rows.append(cells)
        rows.append([styled(ws, 2), *[styled(ws, value) for value in values[1:5]], styled(ws, 71.5, "0.00"),
                     *[styled(ws, value) for value in values[6:]]])

    sheet = _streamed_sheet(tmp_path / "cells.xlsx", fill)
    assert sheet[0] == sheet[1] == sheet[2] and sheet[3] == sheet[4] and sheet[3] != sheet[0]
    first = sheet[0]
    assert len(set(first[:5])) == 4 and first[0] == first[2] and first[1].endswith('t="b"><v>1</v>')
    assert first[3].endswith("<v>-0</v>") and first[4].endswith("<v>0</v>") and ' s="' in first[6]
    assert sheet[3][0].endswith("<v>2</v>") and sheet[3][5] != first[5] and len(first) == len(values)


def test_streamed_rows__a_cell_made_by_tail__written_as_append_writes_the_value(tmp_path):
    """``StreamedRows.tail`` makes a value's cell by the rules ``append`` writes it with (texts, numbers, dates in a
    date column, booleans, openpyxl cells, nothing): a row of those cells is the row of the values."""
    from openpyxl.cell import WriteOnlyCell

    values: list = [*MET_AGAIN, None, 1, True, 1.0, -0.0, 0, 5000, 10**16, 7.25, float("nan"), dt.date(2025, 11, 20)]

    def fill(rows, ws):
        prototype = WriteOnlyCell(ws, value=dt.date(2000, 1, 1))
        prototype.number_format = "dd/mm/yyyy"
        rows.date_column(len(values) - 1, prototype)
        styled = WriteOnlyCell(ws, value=3.5)
        styled.number_format = "0.0"
        every = [*values, styled, dt.date(2025, 1, 2)]  # the last date in a column without a date style
        rows.append(every)
        rows.append([rows.tail(index, value) for index, value in enumerate(every)])

    by_value, by_tail = _streamed_sheet(tmp_path / "tails.xlsx", fill)
    assert by_tail == by_value and len(by_value) == len(values) + 1  # None: no cell


def test_streamed_rows__compressed_by_isal_or_zlib__the_same_members(tmp_path, monkeypatch):
    """The streamed sheets are deflated by ISA-L (``isal``) when it is there, by zlib otherwise: every member the
    same bytes once read back, each a deflated member any zip reader opens."""
    import sys

    def fill(rows, ws):
        for index in range(3000):
            rows.append([index, f"Xã {index % 37}", index * 0.5, "=1+1" if index % 11 == 0 else None])

    def members(path):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
            return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}

    fast = _streamed_sheet(tmp_path / "isal.xlsx", fill)
    monkeypatch.setitem(sys.modules, "isal", None)  # as a build without it
    plain = _streamed_sheet(tmp_path / "zlib.xlsx", fill)
    assert fast == plain and len(fast) == 3000
    assert members(tmp_path / "isal.xlsx") == members(tmp_path / "zlib.xlsx")
    assert (tmp_path / "isal.xlsx").read_bytes() != (tmp_path / "zlib.xlsx").read_bytes()  # each path taken


def test_streamed_rows__deflated_as_flushed__spliced_as_compressed__the_same_members(tmp_path, monkeypatch):
    """With isal the streamed rows are deflated as they are flushed and their compressed stream goes into the member
    as it is, between the deflated header and the deflated rest of the sheet: every member reads back as when the
    rows were kept as XML until saved (checksums checked by the zip reader), and as when the member is not ISA-L's
    (the rows inflated into it); sheets of many flushes, a sheet with no row, two streamed sheets."""
    from openpyxl import Workbook

    from readiness import xlsx_cells
    from readiness.xlsx_cells import StreamedRows, save_workbook

    def save(path):
        book = Workbook(write_only=True)
        for title, count in (("Lớn", 5000), ("Rỗng", 0), ("Nhỏ", 7)):
            ws = book.create_sheet(title)
            ws.append(["STT", "Tên"])
            rows = StreamedRows(ws, 1)
            for index in range(count):
                rows.append([index, f"Xã {index % 97} — {'x' * (index % 13)}", index / 7, "@a" if index % 5 == 0 else None])
        save_workbook(book, path)
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            return {info.filename: (archive.read(info), info.file_size) for info in archive.infolist()
                    if info.filename != "docProps/core.xml"}

    spliced = save(tmp_path / "spliced.xlsx")
    sheet = spliced["xl/worksheets/sheet1.xml"]
    assert sheet[0].count(b"<row ") == 5001 and len(sheet[0]) == sheet[1]
    assert b"<sheetData><row r=\"1\">" in spliced["xl/worksheets/sheet2.xml"][0]
    monkeypatch.setattr(xlsx_cells, "_raw_deflater", lambda: None)  # the rows kept as XML until saved
    assert save(tmp_path / "kept.xlsx") == spliced
    assert (tmp_path / "kept.xlsx").read_bytes() != (tmp_path / "spliced.xlsx").read_bytes()  # each path taken
    monkeypatch.undo()
    monkeypatch.setattr(xlsx_cells, "_fast_deflate", lambda member: None)  # a member deflated by zlib: rows inflated
    assert save(tmp_path / "inflated.xlsx") == spliced
