#!/usr/bin/env bash
# Builds the AuthLens CLI from the repository and scores it on any set of
# traces: per trace PASS/FAIL with reasons, then "N passed, M failed".
#   testdata/recorder/score.sh [DIR ...]   # trace folders, cause folders, a recorder OUT (default: testdata/traces)
#   NO_BUILD=1 / AUTHLENS=binary           # reuse a built binary (default /tmp/authlens-score)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AUTHLENS="${AUTHLENS:-/tmp/authlens-score}"
if [ "${NO_BUILD:-}" != 1 ]; then
  (cd "$HERE/../.." && go build -o "$AUTHLENS" .) || { echo "score.sh: build of the repository failed" >&2; exit 2; }
fi
exec python3 "$HERE/score.py" "$@"
