"""The cache of validated checklists (readiness.checklist.cache): the same checklist as the YAML gives,
read back without parsing, and never trusted when it is damaged, planted or out of date."""

from __future__ import annotations

import pickle
import shutil

import pytest

from readiness.checklist import cache, loader
from readiness.checklist.loader import ChecklistLibrary, load_checklist
from readiness.paths import checklists_dir

CHECKLIST_ID = "one-stop-shop-it-readiness"


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "checklists"
    shutil.copytree(checklists_dir() / CHECKLIST_ID, folder / CHECKLIST_ID)
    return folder


def _yaml_never_read(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the YAML was parsed although the cache holds it")

    monkeypatch.setattr(loader, "load_checklist_bytes", refuse)


def test_cache__second_load__same_checklist_without_parsing(library, monkeypatch):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    files = list(cache.cache_dir().glob("*.bin"))
    assert len(files) == 1
    fresh = load_checklist(first.source_path)
    _yaml_never_read(monkeypatch)
    second = ChecklistLibrary(library).latest(CHECKLIST_ID)
    assert second == first == fresh
    assert second.content_hash == first.content_hash and second.source_path == first.source_path
    assert [i.id for i in second.items()] == [i.id for i in first.items()]
    assert second.number(second.items()[-1].id) == first.number(first.items()[-1].id)


def test_cache__damaged_file__ignored_and_rewritten(library):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first
    assert file.read_bytes() != bytes(data)  # written again, whole
    file.write_bytes(bytes(data[: len(data) // 3]))  # cut short by a power cut
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first


def _copying_pickle(source, target) -> bytes:
    """A pickle that, if it were loaded by a plain unpickler, would copy ``source`` to ``target``."""

    class Evil:
        def __reduce__(self):
            return (shutil.copyfile, (str(source), str(target)))

    return pickle.dumps(Evil())


def test_cache__planted_pickle_naming_another_callable__not_run(library, tmp_path):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    marker = tmp_path / "ran"

    payload = _copying_pickle(file, marker)
    file.write_bytes(cache._MAGIC + cache._digest(payload) + payload)  # a well-formed header
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first
    assert not marker.exists()


def test_cache__yaml_changed__read_again_and_old_entry_removed(library):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (old,) = cache.cache_dir().glob("*.bin")
    path = library / CHECKLIST_ID / f"v{first.version}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n# a comment changes the bytes, not the content\n", encoding="utf-8")
    second = ChecklistLibrary(library).latest(CHECKLIST_ID)
    assert second == first
    (new,) = cache.cache_dir().glob("*.bin")
    assert new != old


def test_cache__invalid_yaml__same_error_as_the_loader(library):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    path = library / CHECKLIST_ID / f"v{first.version}.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(loader.ChecklistInvalid):
        ChecklistLibrary(library).latest(CHECKLIST_ID)


def test_cache__switched_off__no_file(library, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "0")
    ChecklistLibrary(library).latest(CHECKLIST_ID)
    assert not list(cache.cache_dir().glob("*.bin")) if cache.cache_dir().exists() else True


# -- the plain objects the program runs on (issue 16) ---------------------------------------------------


def _differences(a, b, where="checklist"):
    """Every place where ``a`` and ``b`` differ, field by field through the model's dataclasses, lists and
    dicts (type and value; a float never passes for an int, a str never for an enum member)."""
    import dataclasses

    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} != {type(b).__name__}"]
    if dataclasses.is_dataclass(a):
        found = []
        for field in dataclasses.fields(a):
            found += _differences(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
        return found
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} != {len(b)} elements"]
        return [d for index, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{where}[{index}]")]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{where}: keys {list(a)} != {list(b)}"]
        return [d for key in a for d in _differences(a[key], b[key], f"{where}[{key!r}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def _plain_values(value, where="checklist"):
    """Every value under ``value`` that is not plain data: a model dataclass, an enum member of the model,
    a list, a dict, str, int, float, bool or None."""
    import dataclasses
    import enum

    from readiness.checklist import model

    if dataclasses.is_dataclass(value):
        bad = [] if type(value).__module__ == model.__name__ else [f"{where}: {type(value)}"]
        for field in dataclasses.fields(value):
            bad += _plain_values(getattr(value, field.name), f"{where}.{field.name}")
        return bad
    if isinstance(value, list):
        return [b for index, item in enumerate(value) for b in _plain_values(item, f"{where}[{index}]")]
    if isinstance(value, dict):
        return [b for key, item in value.items() for b in _plain_values(key, f"{where} key") + _plain_values(item, f"{where}[{key!r}]")]
    if isinstance(value, enum.Enum):
        return [] if type(value).__module__ == model.__name__ else [f"{where}: {type(value)}"]
    return [] if type(value) in (str, int, float, bool, type(None)) else [f"{where}: {type(value)}"]


def _every_installed_checklist():
    folder = checklists_dir()
    return [(path.parent.name, int(path.stem[1:])) for path in sorted(folder.glob("*/v*.yaml"))]


@pytest.mark.parametrize(("checklist_id", "version"), _every_installed_checklist())
def test_cache__every_installed_checklist__read_back_equals_what_validation_produced(checklist_id, version, monkeypatch):
    """What the program runs on (the cached plain objects) is, field by field, what validating the file gave."""
    folder = checklists_dir()
    validated = ChecklistLibrary(folder).get(checklist_id, version)  # validated now, then cached
    fresh = load_checklist(folder / checklist_id / f"v{version}.yaml")
    _yaml_never_read(monkeypatch)
    cached = ChecklistLibrary(folder).get(checklist_id, version)
    assert cached is not validated
    assert _differences(validated, fresh) == []
    assert _differences(cached, fresh) == []
    assert cached == fresh
    assert _plain_values(cached) == []
    # every item and column was compared (the walk is not vacuous), and the lookups agree
    assert [item.id for item in cached.items()] == [item.id for item in fresh.items()] and cached.items()
    for item in fresh.items():
        assert cached.number(item.id) == fresh.number(item.id)
        assert cached.refresh(item.id) is fresh.refresh(item.id)
        assert cached.item(item.id) == item and cached.section_of(item.id).id == fresh.section_of(item.id).id
    assert cached.threshold_values() == fresh.threshold_values()


def test_cache__compared_field_by_field__a_changed_field_deep_in_an_item_is_found():
    import dataclasses

    fresh = load_checklist(checklists_dir() / CHECKLIST_ID / "v2.yaml")
    section, item = next((s, i) for s in reversed(fresh.sections) for i in s.items if i.score is not None)
    changed_item = dataclasses.replace(item, score=dataclasses.replace(item.score, weight=item.score.weight + 1))
    changed_section = dataclasses.replace(section, items=[changed_item if i is item else i for i in section.items])
    changed = dataclasses.replace(fresh, sections=[changed_section if s is section else s for s in fresh.sections])
    (difference,) = _differences(changed, fresh)
    index = fresh.sections.index(section), section.items.index(item)
    assert difference.startswith(f"checklist.sections[{index[0]}].items[{index[1]}].score.weight: ")
    as_int = dataclasses.replace(fresh, version=float(fresh.version))
    assert _differences(as_int, fresh) == ["checklist.version: float != int"]


def test_cache__warm__a_fresh_interpreter_reads_it_without_pydantic_nor_yaml(library):
    """Reading a checklist validated before imports neither pydantic nor YAML: the cached objects are plain."""
    import os
    import subprocess
    import sys

    first = ChecklistLibrary(library).latest(CHECKLIST_ID)  # validates and writes the cache
    probe = ("import sys; from pathlib import Path; from readiness.checklist.loader import ChecklistLibrary; "
             f"c = ChecklistLibrary(Path(sys.argv[1])).latest({CHECKLIST_ID!r}); "
             "print(c.key, len(c.items()), c.number(c.items()[-1].id), c.source_path); "
             "print(','.join(sorted(m for m in ('pydantic', 'pydantic_core', 'yaml', 'readiness.expr') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe, str(library)], capture_output=True, text=True, check=True,
                          env={**os.environ, "READINESS_HOME": os.environ["READINESS_HOME"]})
    described, imported = done.stdout.splitlines()
    assert described == f"{first.key} {len(first.items())} {first.number(first.items()[-1].id)} {first.source_path}"
    assert imported == ""
    # the same probe with the cache switched off validates the file: pydantic and YAML are then loaded (the
    # probe can see them)
    cold = subprocess.run([sys.executable, "-c", probe, str(library)], capture_output=True, text=True, check=True,
                          env={**os.environ, cache.CACHE_ENV: "0"})
    assert cold.stdout.splitlines()[1] == "pydantic,pydantic_core,readiness.expr,yaml"


def test_cache__pickle_naming_a_class_the_model_only_imports__not_loaded(library):
    """The unpickler admits only the data classes and enums defined in the model module: not a class it imported
    (an enum base), nor its other classes or functions."""
    import io

    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    def naming(name: str) -> bytes:
        module = b"readiness.checklist.model"
        return b"\x80\x04\x8c" + bytes([len(module)]) + module + b"\x8c" + bytes([len(name)]) + name.encode() + b"\x93."

    for name in ("StrEnum", "Rule", "validate", "Path", "dataclass"):  # imported, not data, a function, absent
        with pytest.raises(pickle.UnpicklingError):
            cache._ChecklistUnpickler(io.BytesIO(naming(name))).load()
    from readiness.checklist import model

    assert cache._ChecklistUnpickler(io.BytesIO(naming("Item"))).load() is model.Item  # the model's own data class
    assert cache._ChecklistUnpickler(io.BytesIO(naming("ItemType"))).load() is model.ItemType
    payload = naming("StrEnum")
    file.write_bytes(cache._MAGIC + cache._digest(payload) + payload)
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first


def test_cache_key__a_class_of_the_model_changes__another_key(library, monkeypatch):
    from readiness.checklist import model

    path = library / CHECKLIST_ID / "v2.yaml"
    raw = path.read_bytes()
    key = cache._key(raw, path)
    assert cache._key(raw, path) == key  # stable
    monkeypatch.setattr(model.Text.__dataclass_fields__["en"], "type", "str")  # a field's type changed
    assert cache._key(raw, path) != key
    monkeypatch.undo()
    assert cache._key(raw, path) == key
    monkeypatch.setattr(model.Item, "__dataclass_fields__", {**model.Item.__dataclass_fields__})
    model.Item.__dataclass_fields__.pop("probe")  # a field removed
    assert cache._key(raw, path) != key


# -- the parsed expressions kept beside a checklist -------------------------------------------------------


@pytest.mark.parametrize(("checklist_id", "version"), _every_installed_checklist())
def test_cache__read_back__every_expression_offered_and_parse_gives_it_without_parsing(checklist_id, version, monkeypatch):
    from readiness import expr, parsed
    from readiness.checklist.model import expressions_of

    folder = checklists_dir()
    ChecklistLibrary(folder).get(checklist_id, version)  # validated, then cached with its expressions
    monkeypatch.setattr(parsed, "OFFERED", {})
    monkeypatch.setattr(expr, "_OFFERED", parsed.OFFERED)
    expr.parse.cache_clear()
    _yaml_never_read(monkeypatch)
    cached = ChecklistLibrary(folder).get(checklist_id, version)
    texts = expressions_of(cached)
    assert len(texts) > 50 and set(parsed.OFFERED) == set(texts)
    fresh = {text: expr.Expression(text, expr._Parser(text).parse()) for text in texts}

    def refuse(self, text):  # noqa: ANN001
        raise AssertionError(f"parsed although the cache holds it: {text!r}")

    monkeypatch.setattr(expr._Parser, "__init__", refuse)
    for text in texts:
        got = expr.parse(text)
        want = fresh[text]
        assert type(got) is expr.Expression and got is not want
        assert (got.source, got.root, got.names(), got.thresholds(), got.tables(), got.uses_current()) == \
            (want.source, want.root, want.names(), want.thresholds(), want.tables(), want.uses_current())
    assert parsed.OFFERED == {}
    expr.parse.cache_clear()


def test_cache__file_of_the_previous_format__read_again_and_rewritten(library, monkeypatch):
    import hashlib

    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    payload = pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL)  # format 2: the checklist alone
    old = b"readiness-checklist-cache 2\n" + hashlib.sha256(payload).digest() + payload
    file.write_bytes(old)
    parses = []
    real = loader.load_checklist_bytes
    monkeypatch.setattr(loader, "load_checklist_bytes", lambda *args: parses.append(1) or real(*args))
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first
    assert parses == [1]  # the YAML read again
    assert file.read_bytes().startswith(cache._MAGIC) and cache._MAGIC != old[: len(cache._MAGIC)]
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first
    assert parses == [1]  # then the rewritten file


def test_cache__planted_expression_pickle__refused_where_it_is_used_and_the_text_parsed(library, tmp_path, monkeypatch):
    """A cache file whose pickled expression names something else than the language's classes (well-formed,
    its digest right): the checklist reads, and that expression is parsed from its text; nothing named runs."""
    from readiness import expr, parsed

    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    marker = tmp_path / "ran"

    text = first.levels[0].rule
    expressions = {text: _copying_pickle(file, marker)}
    payload = pickle.dumps((first, expressions), protocol=pickle.HIGHEST_PROTOCOL)
    file.write_bytes(cache._MAGIC + cache._digest(payload) + payload)
    monkeypatch.setattr(parsed, "OFFERED", {})
    monkeypatch.setattr(expr, "_OFFERED", parsed.OFFERED)
    expr.parse.cache_clear()
    assert ChecklistLibrary(library).latest(CHECKLIST_ID) == first
    assert parsed.OFFERED == expressions
    got = expr.parse(text)
    assert got.root == expr._Parser(text).parse() and got.source == text
    assert not marker.exists()
    expr.parse.cache_clear()
