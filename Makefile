# Parley's two commands: `make run` and `make test` (each installs what it needs first).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
UI_OUT := tornado_app/ui/index.html
# The test build: the same client plus window.__parley, which the browser and desktop tests read
# (the servers they start serve it through PARLEY_UI_DIR); never served by `make run`.
TEST_UI_OUT := react-ui/dist-test/index.html
UI_SRC := $(shell find react-ui/src react-ui/index.html react-ui/package.json react-ui/vite.config.ts -type f 2>/dev/null)

.PHONY: install system-deps run test test-py test-ui bench package clean

install: $(STAMP) $(UI_OUT)

$(STAMP): setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,desktop,dev]'
	touch $@

react-ui/node_modules/.package-lock.json: react-ui/package-lock.json
	cd react-ui && npm ci --no-audit --no-fund

$(UI_OUT): react-ui/node_modules/.package-lock.json $(UI_SRC)
	cd react-ui && npm run build

$(TEST_UI_OUT): react-ui/node_modules/.package-lock.json $(UI_SRC)
	cd react-ui && npm run build:test

# Debian packages the tests drive for real (chromium, ...); installed only when missing.
system-deps:
	bash .ci/system-deps

run: install
	$(VENV)/bin/parley-server

# pytest on two workers: the browser/desktop/namespace tests one at a time on one of them, every other
# module on the other (tests/conftest.py groups them for --dist loadgroup).
test: system-deps install $(TEST_UI_OUT)
	cd react-ui && npm test
	$(PY) -m pytest -n 2 --dist loadgroup

test-py: install $(TEST_UI_OUT)
	$(PY) -m pytest -n 2 --dist loadgroup

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,desktop,dev,bench]'
	touch $@

bench: system-deps install $(BENCH_STAMP) $(TEST_UI_OUT)
	$(PY) benchmarks/signaling_load.py
	$(PY) benchmarks/signaling_load.py --nodes 2
	$(PY) benchmarks/call_setup.py
	$(PY) benchmarks/mesh_smoothness.py
	$(PY) benchmarks/admission_join.py
	$(PY) benchmarks/sfu_thirty.py

# The Linux desktop bundle in dist/ (installers/linux/README.md).
package: system-deps install
	bash installers/linux/build.sh

clean:
	rm -rf $(VENV) react-ui/node_modules tornado_app/ui react-ui/dist-test
