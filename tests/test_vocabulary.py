"""One vocabulary (issue 17 §2): «trọng yếu» for a critical criterion, «bắt buộc» only for a question that
must be answered.

The window said «[Quan trọng]» and «Tiêu chí quan trọng chưa đạt», the checklist's levels «tiêu chí bắt
buộc» where they meant critical.  These tests read every string of the package (with ``ast``, f-strings
included) and every text of the newest checklist, and fail on the wrong word in the wrong sense, and on
a Vietnamese/English pair whose English says "critical" or "required" while the Vietnamese does not say
«trọng yếu» or «bắt buộc».  Released checklist files (v1) keep their text: they are not scanned.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "readiness"

WRONG = [
    (re.compile(r"tiêu chí\s+(?:bắt buộc|quan trọng)", re.I), "a criterion is «trọng yếu», not «bắt buộc»/«quan trọng»"),
    (re.compile(r"\[\s*(?:quan trọng|bắt buộc)\s*\]", re.I), "the tag of a critical criterion is «trọng yếu»"),
    (re.compile(r"(?:quan trọng|bắt buộc)\s+(?:trước|chưa đạt)", re.I), "critical criteria are «trọng yếu»"),
    (re.compile(r"câu(?:\s+hỏi)?\s+(?:trọng yếu|quan trọng)", re.I), "a question that must be answered is «bắt buộc»"),
    (re.compile(r"trọng yếu\s+chưa trả lời", re.I), "an unanswered question is «bắt buộc», a criterion «trọng yếu»"),
]


def _strings(node: ast.AST) -> Iterator[tuple[int, str]]:
    """Constant strings and the literal parts of f-strings, joined, with their line."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.lineno, child.value
        elif isinstance(child, ast.JoinedStr):
            yield child.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in child.values)


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _pairs(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    """(line, vi, en) of every t("vi", "en") call and every ("vi" if lang == "vi" else "en")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and len(node.args) == 2:
            vi, en = (_text(arg) for arg in node.args)
            if vi is not None and en is not None:
                yield node.lineno, vi, en
        elif isinstance(node, ast.IfExp):
            vi, en = _text(node.body), _text(node.orelse)
            if vi is not None and en is not None and "vi" in ast.unparse(node.test):
                yield node.lineno, vi, en


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_vocabulary__package_strings__no_wrong_word_in_the_wrong_sense():
    found = []
    for path in _modules():
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            for pattern, why in WRONG:
                if pattern.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{line}: «{text}» — {why}")
    assert not found, "\n".join(found)


def test_vocabulary__vietnamese_english_pairs__critical_is_trong_yeu_required_is_bat_buoc():
    found = []
    for path in _modules():
        for line, vi, en in _pairs(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{line}"
            if re.search(r"\bcritical\b", en, re.I) and "trọng yếu" not in vi.lower():
                found.append(f"{where}: «{vi}» / «{en}»: critical is «trọng yếu»")
            if re.search(r"\brequired\b", en, re.I) and "bắt buộc" not in vi.lower():
                found.append(f"{where}: «{vi}» / «{en}»: required is «bắt buộc»")
            if "trọng yếu" in vi.lower() and re.search(r"\brequired\b", en, re.I):
                found.append(f"{where}: «{vi}» / «{en}»: «trọng yếu» is not 'required'")
    assert not found, "\n".join(found)


def test_vocabulary__pairs_found__the_scan_sees_the_window_and_the_cli():
    """The scan is not vacuous: it finds the summary's critical tag and the CLI's flags."""
    pairs = [(vi, en) for path in _modules() for _, vi, en in _pairs(ast.parse(path.read_text(encoding="utf-8")))]
    assert ("[Trọng yếu]", "[Critical]") in pairs
    assert ("trọng yếu", "critical") in pairs and ("bắt buộc", "required") in pairs
    assert len(pairs) > 300


def test_vocabulary__wrong_words__would_be_caught():
    for text in ("Tiêu chí quan trọng chưa đạt", "[Quan trọng]", "mọi tiêu chí bắt buộc đều Đạt", "câu hỏi trọng yếu"):
        assert any(pattern.search(text) for pattern, _ in WRONG), text
    for text in ("Câu hỏi bắt buộc chưa trả lời", "Tiêu chí trọng yếu chưa đạt hoặc chưa trả lời", "dữ liệu quan trọng"):
        assert not any(pattern.search(text) for pattern, _ in WRONG), text


@pytest.fixture(scope="module")
def newest():
    from readiness.checklist.loader import default_library

    return default_library().latest()


def test_vocabulary__newest_checklist__critical_criteria_trong_yeu_questions_bat_buoc(newest):
    texts = [newest.title, *(t for t in (newest.description,) if t)]
    for level in newest.levels:
        texts += [level.label, *(t for t in (level.description,) if t)]
    for section in newest.sections:
        texts += [section.title, *(t for t in (section.description,) if t)]
        for item in section.items:
            texts += [item.label, *(t for t in (item.hint,) if t)]
            if item.score:
                texts += [item.score.requirement, item.score.advice]
    found = [f"«{text.vi}» — {why}" for text in texts for pattern, why in WRONG if pattern.search(text.vi)]
    assert not found, "\n".join(found)
    ready = newest.level("ready").description
    assert ready and "tiêu chí trọng yếu" in ready.vi and "câu hỏi bắt buộc" in ready.vi
