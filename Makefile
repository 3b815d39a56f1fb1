# AuthLens. `make run` and `make test` set up a fresh Debian/Ubuntu machine
# themselves (see .ci/deps.sh); the other targets assume they ran once.

SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
FILE ?=

.PHONY: run test build vet lint unit screenshots report-screenshots wine package package-windows scenarios bench bench-go bench-compare measure deps-run deps-test deps-package deps-bench clean vendor-score vendor-corpus vendor-holdout vendor-holdout-score

run: deps-run
	$(GO) run . $(FILE)

build: deps-run
	$(GO) build -o bin/authlens .

# The whole suite: static checks, real-window screenshots under Xvfb, then
# every Go test (HAR reader on the public corpus, decoders, rules on the
# recorded scenarios, GUI interactions, capture proxy with real
# curl/Chromium/nginx/squid). Before them: a short run of every fuzz target
# and the Windows build under Wine; the Go suite runs last so the run
# closes with its test count.
test: deps-test lint screenshots fuzz-smoke wine unit

# The release artifacts in dist/ (packaging/package.sh): the Windows
# installer, zip and authlens.exe cross-built with mingw-w64, the Linux
# tarball and .deb; version from FyneApp.toml, commit from git.
package: deps-package
	bash packaging/package.sh all

package-windows: deps-package
	bash packaging/package.sh windows

# The Windows zip's authlens.exe and the installer under Wine (wine64) and
# Xvfb, in a throw-away Wine prefix: install, CLI output identical to the
# Linux build's, a capture through the proxy, the window's screenshot.
wine: deps-test package-windows
	bash packaging/wine/test.sh

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

# The case report of the demo trace rendered by headless Chromium:
# ui/screenshots/report.png and report-customer.png (and PDFs in /tmp).
report-screenshots: deps-test
	bash ui/screenshots/report.sh

# Re-record the live traces (testdata/traces) with real Chromium against
# real servers, and through the capture proxy (testdata/recorder).
scenarios: deps-test
	bash testdata/recorder/record.sh

# AuthLens against other tools on this machine, in one run
# (scripts/bench/run.sh, explained in docs/performance.md): generated HARs
# of 200 MB, 1 GB and 2 GB analysed by AuthLens, node and jq; the capture
# proxy against direct requests and mitmdump under wrk; then authlens
# compare on two 200 MB traces. BENCH_SIZES=200 skips the 1 GB and 2 GB
# files. Not part of make test.
bench: deps-bench
	bash scripts/bench/run.sh
	$(MAKE) bench-compare

# The Go micro-benchmarks (reader speed and memory, table filtering, proxy
# round trips in process).
bench-go: deps-test
	$(GO) test -run '^$$' -bench . -benchmem ./har/ ./ui/ ./ui/viewmodel/ ./capture/

# authlens compare on two generated ~200 MB traces (different seeds): wall
# time and peak memory (RSS) from /usr/bin/time -v. Not part of make test.
BENCH_DIR ?= /tmp/authlens-bench
bench-compare:
	mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/authlens .
	test -s $(BENCH_DIR)/good.har || $(GO) run ./har/internal/genhar -o $(BENCH_DIR)/good.har -mb 200 -seed 1
	test -s $(BENCH_DIR)/bad.har || $(GO) run ./har/internal/genhar -o $(BENCH_DIR)/bad.har -mb 200 -seed 2
	/usr/bin/time -v $(BENCH_DIR)/authlens compare --format json $(BENCH_DIR)/good.har $(BENCH_DIR)/bad.har >$(BENCH_DIR)/compare.json 2>$(BENCH_DIR)/time.txt
	@grep -E 'Elapsed \(wall clock\)|Maximum resident set size' $(BENCH_DIR)/time.txt | sed 's/^[[:space:]]*/compare 2 x 200 MB: /'

# The HAR reader's speed and peak memory on a generated ~200 MB trace.
measure:
	$(GO) run ./har/internal/genhar -o /tmp/authlens-large.har -mb 200
	$(GO) run ./har/internal/measure /tmp/authlens-large.har

# The public-sourced vendor corpus (testdata/vendor-corpus, issue 10):
# regenerate it, and score the current rules on it (per cause, per vendor,
# total, and every miss). The score never fails the build.
vendor-corpus:
	$(GO) run ./analysis/internal/vendortraces/gen -out testdata/vendor-corpus

vendor-score:
	$(GO) run ./analysis/internal/vendortraces/score -dir testdata/vendor-corpus

# The held-out set (testdata/vendor-holdout): other public sources, never
# used to tune the rules. Regenerate it, and score the current rules on it.
vendor-holdout:
	$(GO) run ./analysis/internal/vendortraces/gen -set holdout -out testdata/vendor-holdout

vendor-holdout-score:
	$(GO) run ./analysis/internal/vendortraces/score -dir testdata/vendor-holdout

deps-run:
	@bash .ci/deps.sh run

deps-test:
	@bash .ci/deps.sh test

deps-package:
	@bash .ci/deps.sh package

deps-bench:
	@bash .ci/deps.sh bench

clean:
	rm -rf bin build dist rsrc_windows_*.syso

.PHONY: fuzz fuzz-smoke soak measure-huge

# Every fuzz target in the repository, one after another, FUZZTIME each
# (found by grepping for `func Fuzz`; crashers stay in testdata/fuzz as
# regression seeds). `make test` runs a short smoke of each.
FUZZTIME ?= 10m
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz.sh

# The smoke is a fixed number of executions, not a time: it proves every
# target runs under the fuzzing engine without making the suite depend on
# what a random search happens to find in a few seconds (that is what
# `make fuzz` is for).
fuzz-smoke:
	FUZZTIME=500x bash .ci/fuzz.sh

# The capture proxy under 500 concurrent connections for 60 s (make test
# runs the same test for 8 s).
soak:
	AUTHLENS_SOAK_SECONDS=60 $(GO) test -count=1 -run '^TestFiveHundredConcurrentConnections$$' -v ./capture/

# The HAR reader on one 300 MB string and one 400 MB body (generated in
# /tmp, removed afterwards): time and peak memory.
measure-huge:
	bash har/internal/measurehuge/run.sh
