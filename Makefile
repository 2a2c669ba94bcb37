# Two commands for a newcomer: `make run` and `make test` (both set everything up first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint bench clean dist dist-portable translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@bash .ci/qt-system-packages window
	$(BIN)/readiness

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 $(BIN)/python -m pytest -q
	$(BIN)/lint-imports
	$(BIN)/mypy

# The import contracts and the type check ([tool.importlinter] and [tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy

# Qt's own words in Vietnamese: edit resources/translations/qt_vi.ts (or open it in pyside6-linguist),
# then rebuild the .qm committed beside it (tests/gui/test_qt_vietnamese.py checks they agree).
translations: $(STAMP)
	$(BIN)/pyside6-lrelease resources/translations/qt_vi.ts -qm resources/translations/qt_vi.qm

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build dist .pytest_cache

dist: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10,<7'
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	dist/SanSangMotCua/SanSangMotCua --selftest

dist-portable: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10,<7'
	READINESS_ONEFILE=1 $(BIN)/pyinstaller --noconfirm --clean build.spec
	dist/SanSangMotCua --selftest
