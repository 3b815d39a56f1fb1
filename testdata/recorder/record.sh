#!/usr/bin/env bash
# The one recorder of AuthLens's live traces: real Chromium (Debian's
# /usr/bin/chromium driven by npm playwright-core) against real servers from
# Debian packages on 127.0.0.1, or through AuthLens's own capture proxy.
#
#   testdata/recorder/record.sh [scenario ...]         # all (several minutes)
#   OUT=/tmp/traces testdata/recorder/record.sh demo   # somewhere else
#
# Every scenario belongs to one server stack (stacks/<stack>.sh: which
# servers of servers/ it renders and starts, and on which ports). For each
# stack the chosen scenarios need, in turn, a subshell starts the stack's
# servers on free ports of 127.0.0.1 in a temporary run directory, records
# the scenarios (record.js with scenarios/<stack>.js; the capture stack
# records itself), and stops every server by PID on exit (KEEP_RUN=1 keeps
# the run directory and its logs). Each recording goes to
# $OUT/<cause>/<name>/trace.har ($OUT defaults to testdata/traces). Then
# every HAR is validated (../tools/validate-har.js) and checked against its
# committed expect.txt (check.js: same entries, methods, paths and
# statuses); recording into testdata/traces also copies the demo to
# assets/demo.har. score.sh then scores the analyzer on them.
#
# Needs: nginx (nginx-light), apache2 + libapache2-mod-security2 +
# modsecurity-crs + libapache2-mod-auth-gssapi, squid, python3-django +
# python3-djangorestframework, chromium, openssl, curl, node + npm ci in
# testdata/tools, and go (the capture stack builds authlens, or set AUTHLENS).
set -euo pipefail

RECORDER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$RECORDER/../.." && pwd)"
TRACES="$REPO/testdata/traces"
export OUT="${OUT:-$TRACES}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
[ -d "$REPO/testdata/tools/node_modules/playwright-core" ] || { echo "record.sh: run npm ci in testdata/tools first" >&2; exit 1; }

plan="$(node "$RECORDER/record.js" --plan "$@")"
while read -r stack names; do
  echo "record.sh: stack $stack: $names"
  # shellcheck disable=SC2086 # names are words
  (
    set -- $names
    REC="record.sh ($stack)"
    SRV="$RECORDER/servers"
    PY=/usr/bin/python3   # Debian's interpreter: the one python3-django is installed for
    . "$RECORDER/lib/servers.sh"
    . "$RECORDER/stacks/$stack.sh"
    if [ "$stack" != capture ]; then node "$RECORDER/record.js" "$stack" "$@"; fi
  )
done <<<"$plan"

mapfile -t dirs < <(node "$RECORDER/record.js" --dirs "$@")
hars=()
for d in "${dirs[@]}"; do hars+=("$d/trace.har"); done
node "$REPO/testdata/tools/validate-har.js" "${hars[@]}"
node "$RECORDER/check.js" "${dirs[@]}"
if [ "$OUT" = "$TRACES" ] && printf '%s\n' "${dirs[@]}" | grep -q '/expired-token/demo$'; then
  cp "$TRACES/expired-token/demo/trace.har" "$REPO/assets/demo.har"
fi
echo "record.sh: done"
