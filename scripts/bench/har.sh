#!/usr/bin/env bash
# The HAR side of make bench: generated Chrome-like HARs of 200 MB, 1 GB
# and 2 GB (BENCH_SIZES="200 1024 2048", in MB; the first is the one
# compared with node and jq); `authlens analyze` against node's JSON.parse
# and jq on the first, AuthLens alone on the others; and how soon the
# loader streams out the first 401/403 of the largest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_tools

read -r -a sizes <<<"${BENCH_SIZES:-200 1024 2048}"

# hfile MB generates (once per generator version) and prints the HAR path.
hfile() {
  local f="$BENCH_DIR/gen-$1mb-$GENHAR_STAMP.har"
  if [ ! -s "$f" ]; then
    rm -f "$BENCH_DIR"/gen-"$1"mb-*.har
    "$GENHAR_BIN" -o "$f.tmp" -mb "$1" >&2
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# measure NAME REPEAT CMD... runs CMD REPEAT times and prints
# "MEDIAN_SECONDS MEDIAN_PEAK_MB WORST_EXIT".
measure() {
  local name="$1" n="$2"; shift 2
  local ts=() rs=() worst=0
  for i in $(seq "$n"); do
    timed "$BENCH_DIR/$name.$i" "$@"
    read -r t r rc <"$BENCH_DIR/$name.$i"
    ts+=("$t"); rs+=("$r"); [ "$rc" -gt "$worst" ] && worst=$rc
  done
  echo "$(median "${ts[@]}") $(median "${rs[@]}") $worst"
}

base="${sizes[0]}"
f=$(hfile "$base")
mb=$(du -m "$f" | cut -f1)
entries=$(grep -o '"startedDateTime"' "$f" | wc -l)
fails=$(grep -oE '"status": ?40[13],' "$f" | wc -l)
echo "== HAR analysis: $f ($mb MB, about $entries entries, $fails answered 401/403); median of $BENCH_REPEAT runs"
read -r at ar arc < <(measure analyze-$base "$BENCH_REPEAT" "$AUTHLENS_BIN" analyze --format json "$f")
read -r nt nr nrc < <(measure node-$base "$BENCH_REPEAT" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$f")
read -r jt jr jrc < <(measure jq-$base "$BENCH_REPEAT" jq '.log.entries|length' "$f")
printf '%-44s %9s %12s %14s %12s\n' "tool ($base MB)" "time s" "peak RSS MB" "time vs node" "RSS vs node"
row() { # name seconds rss exit
  local note=""; [ "$4" != 0 ] && note=" (exit $4)"
  printf '%-44s %9.2f %12.0f %13.2fx %11.2fx%s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$nt" 'BEGIN{print a/b}')" "$(awk -v a="$3" -v b="$nr" 'BEGIN{print a/b}')" "$note"
}
row "authlens analyze --format json" "$at" "$ar" "$arc"
row "node JSON.parse(readFileSync)" "$nt" "$nr" "$nrc"
row "jq '.log.entries|length'" "$jt" "$jr" "$jrc"
echo "AuthLens throughput: $(awk -v t="$at" -v m="$mb" 'BEGIN{printf "%.0f", m/t}') MB/s; node: $(awk -v t="$nt" -v m="$mb" 'BEGIN{printf "%.0f", m/t}') MB/s; AuthLens/node throughput ratio $(awk -v a="$at" -v b="$nt" 'BEGIN{printf "%.2f", b/a}')x"

if [ "${#sizes[@]}" -gt 1 ]; then
  echo
  echo "== AuthLens alone on larger files (one run each: BENCH_BIG_REPEAT=${BENCH_BIG_REPEAT:-1})"
  printf '%-12s %9s %12s %12s %16s\n' "size" "time s" "peak RSS MB" "MB/s" "time vs $base MB"
  printf '%-12s %9.2f %12.0f %12.0f %15.2fx\n' "$mb MB" "$at" "$ar" "$(awk -v t="$at" -v m="$mb" 'BEGIN{print m/t}')" 1
  for s in "${sizes[@]:1}"; do
    g=$(hfile "$s")
    gmb=$(du -m "$g" | cut -f1)
    read -r t r rc < <(measure analyze-$s "${BENCH_BIG_REPEAT:-1}" "$AUTHLENS_BIN" analyze --format json "$g")
    note=""; [ "$rc" != 0 ] && note=" (exit $rc)"
    printf '%-12s %9.2f %12.0f %12.0f %15.2fx%s\n' "$gmb MB" "$t" "$r" "$(awk -v t="$t" -v m="$gmb" 'BEGIN{print m/t}')" "$(awk -v a="$t" -v b="$at" 'BEGIN{print a/b}')" "$note"
  done
fi

last="${sizes[${#sizes[@]}-1]}"
g=$(hfile "$last")
echo
echo "== First failing exchange while $(du -m "$g" | cut -f1) MB load (har.Load's OnEntry stream; scripts/bench/firstfail); median of $BENCH_REPEAT"
ffs=()
for i in $(seq "$BENCH_REPEAT"); do
  read -r s idx < <("$FIRSTFAIL_BIN" "$g")
  ffs+=("$s")
done
echo "first 401/403 (entry #$idx) handed over after $(median "${ffs[@]}") s (the loader streams; whether the GUI shows it that fast is not measured here)"
