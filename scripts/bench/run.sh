#!/usr/bin/env bash
# make bench: the HAR loader and the capture proxy measured against other
# tools on this machine, in one run (docs/performance.md explains the
# output). Environment: BENCH_SIZES (MB, default "200 1024 2048"),
# BENCH_REPEAT (3), BENCH_DURATION (s per proxy run, 10), BENCH_SUSTAIN
# (s of sustained proxy load, 60), BENCH_PROFILE=1 (CPU profile of the
# proxy), BENCH_PARTS ("har proxy"), AUTHLENS_BIN (another build).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
ensure_tools
echo "AuthLens bench $(git describe --always --dirty 2>/dev/null || echo '?') on $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $AUTHLENS_BIN"
for part in ${BENCH_PARTS:-har proxy}; do
  echo
  bash "scripts/bench/$part.sh"
done
