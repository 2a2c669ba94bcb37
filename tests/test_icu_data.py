"""freeze/icu_data.py: the smaller ICU data library of the frozen Linux build (build.spec)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "freeze"))

import icu_data  # noqa: E402

PYSIDE_ICU = next(iter(sorted(Path(sys.prefix).glob("lib/python3*/site-packages/PySide6/Qt/lib/libicudata.so.*"))),
                  None)
linux_wheel = pytest.mark.skipif(PYSIDE_ICU is None, reason="PySide6's wheel carries ICU data on Linux only")


@pytest.mark.parametrize("name", ["icudt73l/root.res", "icudt73l/pool.res", "icudt73l/res_index.res",
                                  "icudt73l/vi.res", "icudt73l/vi_VN.res", "icudt73l/en.res", "icudt73l/en_001.res",
                                  "icudt73l/coll/vi.res", "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu",
                                  "icudt73l/brkitr/line.brk", "icudt73l/zoneinfo64.res", "icudt73l/metaZones.res",
                                  "icudt73l/likelySubtags.res", "icudt73l/unames.icu", "icudt73l/nfkc.nrm",
                                  "icudt73l/cnvalias.icu", "icudt73l/zone/vi.res", "icudt73l/lang/en_GB.res"])
def test_kept__root_vietnamese_english_and_what_no_locale_owns__kept(name):
    assert icu_data.kept(name)


@pytest.mark.parametrize("name", ["icudt73l/fr.res", "icudt73l/zh_Hant_TW.res", "icudt73l/coll/zh.res",
                                  "icudt73l/coll/de_.res", "icudt73l/yue.res", "icudt73l/curr/ja.res",
                                  "icudt73l/brkitr/cjdict.dict", "icudt73l/brkitr/thaidict.dict",
                                  "icudt73l/ibm-943_P15A-2003.cnv", "icudt73l/gb18030.cnv",
                                  "icudt73l/translit/root.res", "icudt73l/translit/Hani_Latn.res"])
def test_kept__other_locales_converters_dictionaries_transliteration__left_out(name):
    assert not icu_data.kept(name)


@linux_wheel
def test_read_package__written_again__byte_for_byte_the_same():
    blob = icu_data._read_elf(PYSIDE_ICU).blob
    package = icu_data.read_package(blob)
    assert len(package.items) > 3000
    assert icu_data.write_package(package) == blob


@linux_wheel
@pytest.mark.skipif(not (shutil.which("as") and shutil.which("ld")), reason="binutils' as and ld are needed")
def test_reduce_library__qt_loads_it__vietnamese_collation_and_case_intact(tmp_path):
    target = tmp_path / PYSIDE_ICU.name
    items_before, items_after, size_before, size_after = icu_data.reduce_library(PYSIDE_ICU, target)
    assert items_after < items_before / 3 and size_after < size_before / 4
    names = {name.split("/", 1)[1] for name, _ in icu_data.read_package(icu_data._read_elf(target).blob).items}
    assert {"coll/vi.res", "coll/root.res", "vi.res", "en.res", "root.res", "pool.res"} <= names
    assert not any(name.endswith(".cnv") for name in names)
    # QtCore loads the reduced library in place of the wheel's (same soname) and sorts Vietnamese with it:
    # «ă» is a letter of its own after «a», «đ» after every «d» (ICU's root order would mix them).
    probe = ("from PySide6.QtCore import QCollator, QLocale\n"
             "c = QCollator(QLocale('vi_VN'))\n"
             "print(sorted(['đa', 'dz', 'ăn', 'az'], key=c.sortKey), QLocale('vi_VN').toUpper('đắk hà'))\n"
             "print([line.split()[-1] for line in open('/proc/self/maps') if 'libicudata' in line][0])\n")
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                               env={**os.environ, "LD_PRELOAD": str(target)})
    assert completed.returncode == 0, completed.stderr
    sorted_words, loaded = completed.stdout.splitlines()
    assert sorted_words == "['az', 'ăn', 'dz', 'đa'] ĐẮK HÀ"
    assert loaded == str(target)
