# warta: `make demo` and `make test` do all set-up on a fresh Debian / Python 3.11 machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint bench clean dashboard

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve the bundled demo site on 127.0.0.1, crawl it into data/warta.db, print a summary.
demo: $(STAMP)
	$(BIN)/python -m demo.run --db data/warta.db
	$(BIN)/warta --db data/warta.db export --out dashboard/data
	@echo "dashboard: make dashboard, then open http://127.0.0.1:8000/"
	@echo "datasette: $(BIN)/warta --db data/warta.db serve  (http://127.0.0.1:8001/, dashboard at /dashboard/index.html)"

## Serve the dashboard page (reads the export written by make demo).
dashboard:
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory dashboard

## Run the test suite (unit, component, end-to-end crawls on 127.0.0.1, corpus gates).
test: $(STAMP)
	sh scripts/install-browser.sh
	$(BIN)/python -m pytest -q

## Evaluation and speed scripts (need ../shared/corpus); see bench/README.md.
bench: $(STAMP)
	$(BIN)/python bench/eval_extraction.py
	$(BIN)/python bench/eval_cleaning.py
	$(BIN)/python bench/eval_entities.py
	$(BIN)/python bench/eval_stories.py --quick
	$(BIN)/python bench/eval_stories_ingest.py
	$(BIN)/python bench/bench_reprocess.py

lint: $(STAMP)
	$(BIN)/pip install --quiet ruff
	$(BIN)/ruff check crawler pipelines storage warta schedule.py

clean:
	rm -rf $(VENV) data/warta.db* .pytest_cache
	find dashboard/data -type f ! -name .gitignore -delete
