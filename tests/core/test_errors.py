"""The one error base and the one catalogue (readiness.errors).

- Every code used in the package is declared in the catalogue, and every declared code is used: the
  failure says exactly which line to add (or remove) and where.
- docs/errors.md is the catalogue, generated; it is current.
- Every exception class of the package is a ReadinessError; errors.py imports nothing of ours.
- An error is shown one way: render (CLI text, message boxes), as_json (--json), print_failure.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import json
import logging
import os
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from readiness import errors
from readiness.errors import CATALOGUE, FAMILIES, Location, ReadinessError, as_json, from_exception, render

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "desktop" / "readiness"
ERRORS_PY = PACKAGE / "errors.py"
DOCS = ROOT / "docs" / "errors.md"
CODE = re.compile(r"\b[EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*\b(?!-)")  # "E-XLSX-..." (a family, in prose) is not a code
REGENERATE = "python -m readiness.errors --markdown > docs/errors.md"


def _catalogue_lines() -> range:
    """The lines of errors.py that declare the catalogue (``FAMILIES = (...)``): declarations, not uses."""
    tree = ast.parse(ERRORS_PY.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "FAMILIES" for t in targets):
            return range(node.lineno, node.end_lineno + 1)
    raise AssertionError("errors.py has no FAMILIES = (...)")


@functools.cache
def codes_used() -> dict[str, list[str]]:
    """Every code written in a string literal (docstrings too) of the package: code -> ["path:line", ...]."""
    declared_at = _catalogue_lines()
    used: dict[str, list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if path == ERRORS_PY and node.lineno in declared_at:
                continue
            for code in CODE.findall(node.value):
                used[code].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def _family_for(code: str) -> str:
    """The family a new code most likely belongs to: the one holding the code with the longest common prefix."""
    best, length = FAMILIES[0], -1
    for family in FAMILIES:
        for entry in family.entries:
            common = len(os.path.commonprefix([entry.code.split("-"), code.split("-")]))
            if common > length:
                best, length = family, common
    return f'Family("{best.title}", "{best.title_en}", …)'


def test_catalogue__every_code_used_in_the_package__is_declared():
    undeclared = {code: places for code, places in codes_used().items() if code not in CATALOGUE}
    if not undeclared:
        return
    lines = [f"{len(undeclared)} code(s) used in desktop/readiness but not declared in the catalogue. "
             "Add one line per code to the family it belongs to in FAMILIES, desktop/readiness/errors.py "
             "(code, Vietnamese summary, English summary, what to do in Vietnamese, in English; a W-… "
             f"warning may leave what to do empty), then regenerate the docs: {REGENERATE}", ""]
    for code, places in sorted(undeclared.items()):
        lines += [f"  {code}  (used at {', '.join(places[:3])}{' …' if len(places) > 3 else ''})",
                  f"    in {_family_for(code)}:",
                  f'        _e("{code}", "<ý nghĩa>", "<meaning>", "<cách xử lý>", "<what to do>"),', ""]
    pytest.fail("\n".join(lines), pytrace=False)


def test_catalogue__every_declared_code__is_used_somewhere():
    unused = sorted(set(CATALOGUE) - set(codes_used()))
    assert not unused, (
        f"Declared in desktop/readiness/errors.py but used nowhere in desktop/readiness: {', '.join(unused)}. "
        f"Remove their _e(...) lines (or raise them where they belong), then regenerate the docs: {REGENERATE}")


def test_catalogue__each_code_once_well_formed_in_both_languages():
    seen: dict[str, str] = {}
    for family in FAMILIES:
        assert family.title and family.title_en and family.where and family.entries
        for entry in family.entries:
            assert entry.code not in seen, f"{entry.code} is declared twice ({seen[entry.code]} and {family.title_en})"
            seen[entry.code] = family.title_en
            assert re.fullmatch(r"[EW]-[A-Z0-9]+(-[A-Z0-9]+)*", entry.code), entry.code
            assert entry.summary.strip() and entry.summary_en.strip(), entry.code
            assert entry.summary != entry.summary_en, f"{entry.code}: the English summary is the Vietnamese one"
            assert bool(entry.hint) == bool(entry.hint_en), f"{entry.code}: what to do in one language only"
            if entry.severity == "error":
                assert entry.hint, f"{entry.code}: an error says what to do"
            for text in (entry.summary, entry.hint):
                assert text == text.strip() and (not text or text[-1] in ".)»"), f"{entry.code}: «{text}»"
    assert len(seen) == len(CATALOGUE)


def test_docs__errors_md__is_the_catalogue_generated():
    assert DOCS.is_file(), f"docs/errors.md is missing: {REGENERATE}"
    assert DOCS.read_text(encoding="utf-8") == errors.markdown(), f"docs/errors.md is out of date: {REGENERATE}"


def test_docs__generator__runs_as_a_module(tmp_path):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "readiness.errors", "--markdown"], capture_output=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})
    assert done.stdout.decode("utf-8") == errors.markdown()
    assert "| `E-STORE-FINALIZED` |" in done.stdout.decode("utf-8")


def _imports_of(path: Path) -> tuple[set[str], set[str]]:
    """(the top-level packages ``path`` imports absolutely, the modules of ours it imports relatively)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported, ours = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                ours.add("." * node.level + (node.module or ""))
            else:
                imported.add((node.module or "").split(".")[0])
    return {name for name in imported if name not in sys.stdlib_module_names and name != "__future__"}, ours


def test_errors_module__imports_nothing_of_ours_but_record_which_imports_nothing_of_ours():
    """Everything imports errors.py: it may take its value classes from readiness.record (a frozen dataclass
    per class cost ~4.6 M instructions of every start), which itself imports nothing of ours."""
    foreign, ours = _imports_of(ERRORS_PY)
    assert foreign == {"sqlalchemy"}, foreign  # sqlalchemy only to recognise its errors, and only once loaded
    assert ours == {".record"}, f"errors.py imports {sorted(ours)}: it must import nothing of ours but .record"
    foreign, ours = _imports_of(ERRORS_PY.with_name("record.py"))
    assert foreign == set() and ours == set(), (foreign, ours)


def _package_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__" or "migrations" in parts:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_exception_class__is_a_readiness_error():
    """Private control flow (``_Stopped``, ``_Refused``…) is not reported to anyone and may stay plain."""
    found, plain = [], []
    for name in _package_modules():
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, BaseException) or cls_name.startswith("_"):
                continue
            found.append(f"{name}.{cls_name}")
            if not issubclass(cls, ReadinessError):
                plain.append(f"{name}.{cls_name}")
    assert not plain, f"Make these subclasses of readiness.errors.ReadinessError (keep their signatures): {plain}"
    assert len(found) >= 14, found


# -- one way to show an error ----------------------------------------------------------------------------


def test_location__describe__file_sheet_cell_then_the_answer():
    where = Location(file="/tmp/x/23500_2025-11.xlsx", sheet="Máy tính", cell="D7", item="pcs", row=2,
                     column="ram_gb")
    assert where.describe() == "Tệp '23500_2025-11.xlsx', sheet 'Máy tính', ô D7 [pcs, dòng 2, cột ram_gb]"
    assert where.describe("en") == "File '23500_2025-11.xlsx', sheet 'Máy tính', cell D7 [pcs, row 2, column ram_gb]"
    assert Location(sheet="_data", cell="B9").describe() == "Sheet '_data', ô B9"
    assert not Location() and Location().describe() == ""


def test_render__store_error__code_message_and_what_to_do():
    from readiness.store.db import StoreError

    text = render(StoreError("E-STORE-FINALIZED", "Bản đánh giá kỳ 11/2025 (lần 1) đã hoàn thành."))
    first, second = text.splitlines()
    assert first == "Lỗi (E-STORE-FINALIZED): Bản đánh giá kỳ 11/2025 (lần 1) đã hoàn thành."
    assert second.startswith("Cách xử lý: Mở lại để sửa")
    assert render(StoreError("E-STORE-FINALIZED", "x"), "en").splitlines()[1].startswith("What to do: Reopen it")


def test_render__exchange_error__names_file_sheet_and_cell():
    from readiness.exchange.errors import ExchangeError

    error = ExchangeError("E-XLSX-DATA", "Sheet dữ liệu không đúng cấu trúc.", file="/tmp/a/b.xlsx", sheet="_data",
                          cell="A1")
    assert render(error).splitlines()[0] == (
        "Lỗi (E-XLSX-DATA): Tệp 'b.xlsx', sheet '_data', ô A1: Sheet dữ liệu không đúng cấu trúc.")
    assert str(error) == "E-XLSX-DATA: Tệp 'b.xlsx', sheet '_data', ô A1: Sheet dữ liệu không đúng cấu trúc."


def test_render__warning_and_a_hint_given_where_raised():
    text = render(ReadinessError("W-IMPORT-INCOMPLETE", "Còn 2 câu bắt buộc.", hint="Nhắc xã trả lời nốt."))
    assert text == "Lưu ý (W-IMPORT-INCOMPLETE): Còn 2 câu bắt buộc.\nCách xử lý: Nhắc xã trả lời nốt."


def test_render__message_says_what_to_do_already__not_said_twice():
    from readiness.exchange.errors import ExchangeError
    from readiness.store.db import StoreError

    locked = ExchangeError("E-EXPORT-LOCKED", "Không thay được tệp cũ: tệp đang mở trong chương trình khác (Excel?) "
                           "hoặc không có quyền ghi. Đóng tệp rồi thử lại.", file="b.xlsx")
    assert render(locked) == f"Lỗi (E-EXPORT-LOCKED): {locked.located_message()}"
    waiting = StoreError("E-STORE-LOCKED", "Một chương trình khác đang nâng cấp cơ sở dữ liệu này và chưa xong sau 10 "
                         "phút. Hãy đợi chương trình đó kết thúc rồi mở lại.")
    assert "Cách xử lý" not in render(waiting)
    assert render(StoreError("E-STORE-LOCKED", "Đang bận.")).endswith("Cách xử lý: Đợi chương trình đó kết thúc rồi mở lại.")


def test_as_json__every_key__existing_keys_kept():
    from readiness.answers import AnswerError

    error = AnswerError("E-ANS-NUMBER", "Phải là số, nhận được «tám».", "Must be a number, got 'tám'.", item="pcs",
                        row=2, column="ram_gb")
    data = as_json(error)
    assert set(error.to_dict()) <= set(data)  # the keys `fill --json` always had
    assert data == {"code": "E-ANS-NUMBER", "message": "Phải là số, nhận được «tám».",
                    "message_en": "Must be a number, got 'tám'.", "file": None, "sheet": None, "cell": None,
                    "item": "pcs", "row": 2, "column": "ram_gb", "hint": CATALOGUE["E-ANS-NUMBER"].hint,
                    "hint_en": CATALOGUE["E-ANS-NUMBER"].hint_en}


def test_from_exception__not_ours__generic_codes_internal_names_the_log_file(tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    assert from_exception(PermissionError(13, "Permission denied", "/tmp/x.pdf")).code == "E-FILE"
    locked = render(OperationalError("SELECT 1", {}, Exception("database is locked")))
    assert locked == ("Lỗi (E-DB): Không đọc/ghi được cơ sở dữ liệu (database is locked).\n"
                      "Cách xử lý: Kiểm tra kết nối tới cơ sở dữ liệu (hoặc ổ đĩa) rồi thử lại.")  # said once
    handler = logging.FileHandler(tmp_path / "readiness.log", delay=True)
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.FileHandler(os.devnull), handler])
    try:
        coded = from_exception(ZeroDivisionError("division by zero"))
    finally:
        handler.close()
    assert coded.code == "E-INTERNAL" and isinstance(coded.__cause__, ZeroDivisionError)
    assert coded.message.startswith("Lỗi chương trình (ZeroDivisionError: division by zero).")
    assert str(tmp_path / "readiness.log") in coded.message


def test_subclasses__keep_their_signatures_and_survive_pickling():
    """Errors cross process boundaries (the import's workers)."""
    from readiness.answers import AnswerError
    from readiness.checklist.loader import ChecklistInvalid, ChecklistProblem
    from readiness.department.demo_export import DemoError
    from readiness.department.import_errors import Rejected, problem
    from readiness.document_settings import SettingsError
    from readiness.exchange.errors import ExchangeError
    from readiness.expr import ExpressionSyntaxError
    from readiness.filetypes import NotRegularFile
    from readiness.probe.network import ConfigError
    from readiness.signing.errors import SigningError
    from readiness.store.db import StoreError
    from readiness.store.locking import LockTimeout
    from readiness.templates import TemplateError

    made = [
        StoreError("E-PERIOD", "Kỳ sai."),
        AnswerError("E-ANS-NUMBER", "Phải là số", item="pcs").located(row=3, column="ram_gb"),
        ExchangeError("E-EXPORT-FOLDER", "Không có thư mục.", file="a/b.xlsx"),
        SigningError("E-SIGN-PASSWORD", "Sai mật khẩu.", file="x.p12"),
        DemoError("E-DEMO-COUNT", "Số tệp phải từ 1 đến 96."),
        ChecklistInvalid([ChecklistProblem("E-CL-REF", "unknown name 'ram'", "v1.yaml", 12, "pcs")]),
        ExpressionSyntaxError("unclosed (", position=3, expression="(a"),
        ConfigError("'streams' phải là số nguyên từ 1 đến 16."),
        LockTimeout(600.0),
        Rejected(problem("E-IMPORT-EMPTY")),
        NotRegularFile("/tmp/pipe", "fifo"),
        TemplateError("unknown field", 4),
        SettingsError("E-SETTING-KEY", "Không có thiết lập «x»."),
    ]
    for error in made:
        assert isinstance(error, ReadinessError) and error.code in CATALOGUE, error
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error) and copy.__dict__ == error.__dict__
    answer = made[1]
    assert (answer.item, answer.row, answer.column) == ("pcs", 3, "ram_gb") and isinstance(answer, ValueError)
    assert isinstance(made[7], ValueError) and str(made[7]) == "'streams' phải là số nguyên từ 1 đến 16."
    assert isinstance(made[10], OSError) and made[10].kind == "fifo"
    assert made[5].code == "E-CL-REF" and made[5].file == "v1.yaml"
    assert made[9].code == "E-IMPORT-EMPTY" and str(made[9]) == "E-IMPORT-EMPTY: Tệp rỗng (0 byte)."


# -- the command line: every failure printed one way ------------------------------------------------------


def test_cli__unexpected_exception__coded_internal_error_naming_the_log_exit_1(monkeypatch, capsys):
    from readiness import cli

    def broken(_args):
        raise KeyError("không có")

    monkeypatch.setattr(cli, "cmd_communes", broken)
    assert cli.main(["communes"]) == 1
    err = capsys.readouterr().err
    log = Path(os.environ["READINESS_HOME"]) / "logs" / "readiness.log"
    assert err.startswith("Lỗi (E-INTERNAL): Lỗi chương trình (KeyError: 'không có').")
    assert str(log) in err and "Cách xử lý:" in err
    assert "Traceback" in log.read_text(encoding="utf-8")  # the details are in the file it names


def test_cli__json_failure__every_key_of_as_json(tmp_path, capsys):
    from readiness.cli import main

    code = main(["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "score", "--commune", "23500", "--period", "2025-13",
                 "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["ok"] is False
    (error,) = out["errors"]
    assert error["code"] == "E-PERIOD" and "2025-13" in error["message"]
    assert set(error) == {"code", "message", "message_en", "file", "sheet", "cell", "item", "row", "column", "hint",
                          "hint_en"}


def test_cli__exchange_error__same_text_as_the_window(tmp_path, capsys):
    """An export into a folder that does not exist: the CLI prints what the window shows (failure_text)."""
    from readiness.cli import main
    from readiness.errors import render_text

    target = tmp_path / "no" / "such" / "folder" / "x.pdf"
    code = main(["print-checklist", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("Lỗi (E-EXPORT-") and "x.pdf" in first
    assert err.rstrip("\n") == render_text(first.split("(")[1].split(")")[0], first.split("): ", 1)[1])
