# Nordlicht Automobile customer-service assistant.
# `make run` and `make test` are all a newcomer needs; `make help` lists the rest.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
RASA     := $(VENV)/bin/rasa
STAMP    := $(VENV)/.installed
SPACY    := models/spacy/de_nordlicht
DEV_ENV  := var/dev.env
CHROMIUM := /usr/bin/chromium
HAPROXY  := /usr/sbin/haproxy

# Development secrets (random, generated once, gitignored); real env vars win.
-include $(DEV_ENV)
export CRM_API_TOKEN ESCALATION_API_TOKEN RASA_JWT_SECRET ACTION_SERVER_TOKEN REST_CHANNEL_TOKEN \
       CUSTOMER_TOKEN_SECRET IDENTITY_CLAIM_SECRET CHAT_SESSION_SECRET AGENT_TOKEN_SECRET FACEBOOK_VERIFY_TOKEN \
       FACEBOOK_APP_SECRET FACEBOOK_PAGE_ACCESS_TOKEN

# Browsers may call the Rasa server (socket.io chat) only from these origins.
RASA_CORS_ORIGINS ?= http://localhost:8000 http://127.0.0.1:8000
export RASA_CORS_ORIGINS

# Rasa: no telemetry (and no network look-ups for it), quiet TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

# The model for the current config, domain, data and NLU components.
MODEL = $(shell $(PY) -m bot.model_files)

.PHONY: help install spacy train seed db-upgrade serve browser run shell test test-unit test-day lint validate nlu-eval nlu-inbox nlu-augment nlu-benchmark bench bench-crm bench-load haproxy run-cluster soak lock clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(STAMP) ## Create .venv and install the pinned dependencies (no-op when current)

$(STAMP): requirements.lock pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  py=$$(scripts/find-python310.sh); \
	  echo ">> creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi; \
	echo ">> installing pinned dependencies (first time: about 3 minutes)"; \
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock; \
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .; \
	$(PY) -m pip check; \
	touch $@

# Rerun when the script changes: it adds secrets introduced since, keeps the others.
$(DEV_ENV): scripts/make_dev_env.py
	@python3 scripts/make_dev_env.py $@ 2>/dev/null || $(PY) scripts/make_dev_env.py $@
	@touch $@

spacy: $(SPACY)/meta.json ## Build the German spaCy pipeline (blank "de" + lookup lemmas)

$(SPACY)/meta.json: bot/nlu/spacy_pipeline.py | $(STAMP)
	$(PY) -m bot.nlu.spacy_pipeline $(SPACY)

train: spacy nlu-augment ## Train the Rasa model unless one for the current inputs exists
	@model=$(MODEL); \
	if [ -f "$$model" ]; then echo ">> model is current: $$model"; else \
	  echo ">> training $$model"; \
	  $(RASA) train --fixed-model-name $$(basename $$model .tar.gz) --out models; \
	fi

seed: install ## Migrate the CRM and load the demo data + 2,000 generated customers (idempotent)
	$(VENV)/bin/bot seed

db-upgrade: install ## Apply the CRM schema migrations
	$(VENV)/bin/bot db upgrade

serve: install $(DEV_ENV) ## Run only the bot service (CRM API) on BOT_HOST:BOT_PORT
	$(VENV)/bin/bot serve

run: install $(DEV_ENV) train seed ## Install, train if needed, seed the CRM, start all servers
	@echo ">> starting; chat with: curl -XPOST localhost:5005/webhooks/rest/webhook -H \"Authorization: Bearer \$$REST_CHANNEL_TOKEN\" -d '{\"sender\":\"a\",\"message\":\"Hallo\"}'  (token: var/dev.env)"
	@echo ">> demo website with the chat widget: http://localhost:8000/"
	MODEL=$(MODEL) WEBSITE_DEMO_MODE=$${WEBSITE_DEMO_MODE:-true} $(VENV)/bin/honcho start -f Procfile

shell: install $(DEV_ENV) train ## Chat with the assistant in the terminal (starts the action server too)
	@$(PY) -m actions.server >/dev/null 2>&1 & pid=$$!; \
	trap "kill $$pid" EXIT; $(RASA) shell --model $(MODEL) --endpoints endpoints.yml

browser: ## Install Debian's Chromium for the browser tests (apt-get, when missing and root)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo ">> installing chromium for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; \
	else echo ">> $(CHROMIUM) missing: sudo apt-get install chromium (browser tests skip locally, fail in CI)"; fi

haproxy: ## Install Debian's HAProxy for the cluster (apt-get, when missing and root)
	@if [ -x $(HAPROXY) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo ">> installing haproxy for the cluster"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy; \
	else echo ">> $(HAPROXY) missing: sudo apt-get install haproxy (cluster tests skip locally, fail in CI)"; fi

run-cluster: install $(DEV_ENV) train seed haproxy ## Two Rasa + two action servers behind HAProxy (:5005), PostgreSQL, Redis, RabbitMQ; website on :8000
	MODEL=$(MODEL) $(PY) scripts/run_cluster.py serve

soak: install $(DEV_ENV) train haproxy ## 10 minutes of steady load on a cluster of its own; memory bound (not part of test): reports/soak.md
	$(PY) scripts/run_cluster.py soak $(SOAK_ARGS)

test: install $(DEV_ENV) lint validate train browser haproxy ## Install, lint, validate, train if needed, run all tests
	NORDLICHT_MODEL=$(MODEL) $(VENV)/bin/pytest

# The inner loop: no training, no servers, no PostgreSQL, no browser (a few seconds to minutes).
UNIT_MARKERS := not model and not e2e and not browser and not postgres

test-unit: install ## Fast tests only: no model, no servers, no PostgreSQL, no browser
	$(VENV)/bin/pytest -m "$(UNIT_MARKERS)" $(TEST_ARGS)

# TensorFlow training hangs under libfaketime: that one (date-free) test is left out.
DAY_DESELECT := --deselect tests/bot/nlu/test_use_featurizer.py::test_tiny_diet_training_with_the_featurizer_parses_german_messages

test-day: install $(DEV_ENV) train browser ## Run the tests as on another day: make test-day DAY="2026-12-31 23:30" (UTC; needs faketime)
	@command -v faketime >/dev/null || { echo ">> faketime missing: apt-get install faketime"; exit 1; }
	@test -n "$(DAY)" || { echo '>> say which day: make test-day DAY="2026-12-31 23:30"'; exit 1; }
	@offset=$$(( $$(date -u -d "$(DAY)" +%s) - $$(date -u +%s) )); \
	sign=$$([ $$offset -ge 0 ] && echo +); \
	echo ">> the tests as on $(DAY) UTC: every process's clock moved by $$offset s"; \
	FAKETIME_DONT_FAKE_MONOTONIC=1 NORDLICHT_MODEL=$(MODEL) \
	  faketime -f "$$sign$$offset" $(VENV)/bin/pytest $(DAY_DESELECT) $(TEST_ARGS)

lint: install ## ruff (style, docstrings) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bot actions

validate: install ## rasa data validate (domain, data, stories, rules); warnings fail
	$(RASA) data validate --fail-on-warnings

nlu-eval: spacy nlu-augment ## Train on data/, evaluate on tests/nlu/ and voices.yml, refuse a worse model: reports/nlu/
	$(PY) -m bot.nlu.evaluation --train data --test tests/nlu --out reports/nlu $(NLU_EVAL_ARGS)

nlu-inbox: install ## Export the workbench's labelled messages to data/nlu/inbox/<date>.yml and show the diff
	$(PY) -m bot.training.export_inbox --data data/nlu --tests tests/nlu

nlu-augment: install ## Regenerate data/nlu/augmented_variants.yml (noisy copies of data/nlu; no-op when current)
	$(PY) -m bot.nlu.augment

# Public benchmark data: ../shared/benchmarks unless NLU_BENCHMARK_DATA is set.
NLU_BENCHMARK_DATA ?= ../shared/benchmarks
export NLU_BENCHMARK_DATA

nlu-benchmark: spacy ## BANKING77, CLINC150, xSID-de on the production pipeline (about 25 min, niced): reports/benchmarks.md
	nice -n 19 $(PY) -m bot.nlu.benchmarks $(BENCHMARK_ARGS)

bench: install train ## Speed and memory benchmarks
	$(PY) scripts/bench.py

bench-crm: install ## Bot service CPU per CRM call (profile, contact, verify) over loopback, and per swept message (under a minute)
	$(PY) scripts/bench_crm_cpu.py --db var/bench_crm.db
	$(PY) scripts/bench_training_sweep.py

bench-load: install $(DEV_ENV) train haproxy ## Load benchmark, 1/5/20 users: ours, Rasa's starter bot and our cluster (about 9 min, not part of test): reports/load.md
	$(PY) scripts/bench_load.py $(BENCH_LOAD_ARGS)

lock: ## Re-resolve requirements.in into requirements.lock (in a scratch venv)
	@set -e; tmp=$$(mktemp -d); py=$$(scripts/find-python310.sh); \
	"$$py" -m venv $$tmp; $$tmp/bin/pip install --quiet --upgrade pip; \
	$$tmp/bin/pip install --quiet -r requirements.in; $$tmp/bin/pip check; \
	{ echo "# Resolved from requirements.in by 'make lock' on Python 3.10. Do not edit."; \
	  $$tmp/bin/pip freeze --exclude-editable | grep -v '^pip=='; } > requirements.lock; \
	rm -rf $$tmp; echo ">> wrote requirements.lock"

clean: ## Remove trained models and caches (keeps .venv, var/ and the committed reports/)
	rm -rf models/*.tar.gz $(SPACY) .pytest_cache .ruff_cache .mypy_cache results
