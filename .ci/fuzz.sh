#!/usr/bin/env bash
# Runs every fuzz target in the repository, one after another, for
# FUZZTIME each (default 10m). Targets are found, not listed: a new
# `func FuzzX` in any *_test.go is picked up. A crasher is written by
# `go test` to PKG/testdata/fuzz/FuzzX/ and stays there as a regression
# seed (commit it with the fix). Prints the run time and outcome per target.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
fuzztime="${FUZZTIME:-10m}"
status=0
summary=()
while IFS=: read -r file _ decl; do
  name="${decl#func }"; name="${name%%(*}"
  pkg="$(dirname "$file")"
  before=$(ls "$pkg/testdata/fuzz/$name" 2>/dev/null | wc -l)
  start=$(date +%s)
  echo "== $pkg $name ($fuzztime)"
  if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel 1 > /tmp/authlens-fuzz-$$.log 2>&1; then
    result=ok
  else
    result=FAILED; status=1
    tail -30 /tmp/authlens-fuzz-$$.log
  fi
  after=$(ls "$pkg/testdata/fuzz/$name" 2>/dev/null | wc -l)
  execs=$(grep -o 'execs: [0-9]*' /tmp/authlens-fuzz-$$.log | tail -1)
  summary+=("$(printf '%-28s %-22s %5ss %-7s %s, new crashers: %d' "$name" "$pkg" "$(( $(date +%s) - start ))" "$result" "${execs:-execs: ?}" "$(( after - before ))")")
done < <(grep -rn --include='*_test.go' '^func Fuzz' . | grep -v '^./testdata/tools/' | sort)
rm -f /tmp/authlens-fuzz-$$.log
echo
printf '%s\n' "${summary[@]}"
exit $status
