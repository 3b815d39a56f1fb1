# AuthLens. `make run` and `make test` set up a fresh Debian/Ubuntu machine
# themselves (see .ci/deps.sh); the other targets assume they ran once.

SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
FILE ?=

.PHONY: run test build vet lint unit screenshots scenarios bench measure deps-run deps-test clean

run: deps-run
	$(GO) run . $(FILE)

build: deps-run
	$(GO) build -o bin/authlens .

# The whole suite: static checks, real-window screenshots under Xvfb, then
# every Go test (HAR reader on the public corpus, decoders, rules on the
# recorded scenarios, GUI interactions, capture proxy with real
# curl/Chromium/nginx/squid).
test: deps-test lint screenshots unit fuzz-smoke

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './testdata/tools/*')); \
	  if [ -n "$$out" ]; then echo "gofmt wants to change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# gotestsum runs `go test` and closes with a count of tests run, skipped and
# failed, so a run that tested nothing cannot pass unnoticed.
GOTESTSUM := gotest.tools/gotestsum@v1.13.0
unit:
	$(GO) run $(GOTESTSUM) --format pkgname-and-test-fails -- -count=1 -timeout 40m ./...

screenshots: deps-test
	bash ui/screenshots/take.sh

# Re-record the live traces (testdata/traces) with real Chromium against
# real servers, and through the capture proxy (testdata/recorder).
scenarios: deps-test
	bash testdata/recorder/record.sh

# Benchmarks that print numbers (reader speed and memory, table filtering,
# proxy throughput).
bench: deps-test
	$(GO) test -run '^$$' -bench . -benchmem ./har/ ./ui/ ./capture/

# The HAR reader's speed and peak memory on a generated ~200 MB trace.
measure:
	$(GO) run ./har/internal/genhar -o /tmp/authlens-large.har -mb 200
	$(GO) run ./har/internal/measure /tmp/authlens-large.har

deps-run:
	@bash .ci/deps.sh run

deps-test:
	@bash .ci/deps.sh test

clean:
	rm -rf bin

.PHONY: fuzz fuzz-smoke soak measure-huge

# Every fuzz target in the repository, one after another, FUZZTIME each
# (found by grepping for `func Fuzz`; crashers stay in testdata/fuzz as
# regression seeds). `make test` runs a short smoke of each.
FUZZTIME ?= 10m
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz.sh

fuzz-smoke:
	FUZZTIME=2s bash .ci/fuzz.sh

# The capture proxy under 500 concurrent connections for 60 s (make test
# runs the same test for 8 s).
soak:
	AUTHLENS_SOAK_SECONDS=60 $(GO) test -count=1 -run '^TestFiveHundredConcurrentConnections$$' -v ./capture/

# The HAR reader on one 300 MB string and one 400 MB body (generated in
# /tmp, removed afterwards): time and peak memory.
measure-huge:
	bash har/internal/measurehuge/run.sh
