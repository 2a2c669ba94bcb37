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


def test_cache__planted_pickle_naming_another_callable__not_run(library, tmp_path):
    first = ChecklistLibrary(library).latest(CHECKLIST_ID)
    (file,) = cache.cache_dir().glob("*.bin")
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (shutil.copyfile, (str(file), str(marker)))

    import hashlib

    payload = pickle.dumps(Evil())
    file.write_bytes(cache._MAGIC + hashlib.sha256(payload).digest() + payload)  # a well-formed header
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
