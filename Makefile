# Two commands do all the set-up on a fresh machine:
#   make test     build/refresh .venv from requirements.lock, then run the test suite
#   make reports  build/refresh .venv, then regenerate every report
# The virtual environment is rebuilt from scratch whenever the lock file or
# pyproject.toml changes, so what runs is exactly what the lock file says.

PYTHON ?= python3
VENV   ?= .venv
CORPUS ?= seeds
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Every value handed to the shell goes through $(call q,...): single-quoted, its own quotes escaped, so a
# folder such as CORPUS='my corpus' or REPORTS="it's here" reaches the program as one argument.
q = '$(subst ','\'',$(1))'
ifneq ($(words $(VENV)),1)
$(error VENV must be a path without spaces (make cannot name its targets otherwise), not '$(VENV)')
endif

.PHONY: test reports lab venv clean lock browser

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(call q,$(PYTHON)) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required (found " + sys.version.split()[0] + "); run: make PYTHON=python3.11 ...")'
	rm -rf $(call q,$(VENV))
	$(call q,$(PYTHON)) -m venv $(call q,$(VENV))
	$(call q,$(BIN)/python) -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(call q,$(BIN)/python) -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $(call q,$(STAMP))

test: $(STAMP) browser
	$(call q,$(BIN)/python) -m pytest

# The browser tests drive Debian's chromium (test tools cannot download their own browsers).
# Installed here when apt-get and root are available; otherwise those tests are skipped, with a note.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: no chromium, and apt-get as root is not available to install it: browser tests will be skipped"; fi

REPORTS ?= reports
FIGURES ?= figures
JOBS    ?=
# GROUP=side        group documents by a manifest column; its values play the role of outlets
# SOURCES="A;B"     per-outlet (per-group) reports for these only
# PER_SOURCE=all    per-outlet reports for every outlet (default auto: up to 8 outlets; none: never)
GROUP      ?=
SOURCES    ?=
PER_SOURCE ?=

reports: $(STAMP)
	$(call q,$(BIN)/python) -m analysis summary --corpus $(call q,$(CORPUS)) $(if $(GROUP),--group $(call q,$(GROUP)))
	$(call q,$(BIN)/python) -m analysis reports --corpus $(call q,$(CORPUS)) --reports $(call q,$(REPORTS)) \
		--figures $(call q,$(FIGURES)) $(if $(JOBS),--jobs $(call q,$(JOBS))) $(if $(GROUP),--group $(call q,$(GROUP))) \
		$(if $(SOURCES),--sources $(call q,$(SOURCES))) $(if $(PER_SOURCE),--per-source $(call q,$(PER_SOURCE)))

lab: $(STAMP)
	$(call q,$(BIN)/jupyter) lab --notebook-dir=notebooks

# Maintainers only: re-resolve the lock file after editing pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(call q,$(VENV)) .pytest_cache
