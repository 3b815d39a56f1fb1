#!/bin/sh
# Measures the capture proxy against direct requests (HTTP and HTTPS):
# sequential latency (ms/req) and throughput with 8×GOMAXPROCS concurrent
# keep-alive clients (req/s). Proxied runs record every exchange (journal
# with group commit, handed to an OnEntry queue). Usage:
# capture/bench/bench.sh [benchtime]. make bench (scripts/bench) compares
# the whole binary with direct requests and mitmdump under wrk.
set -eu
cd "$(dirname "$0")/../.."
exec go test -run '^$' -bench 'Latency|Throughput' -benchtime "${1:-3s}" ./capture/
