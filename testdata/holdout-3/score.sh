#!/usr/bin/env bash
# Builds the AuthLens CLI from the repository and scores it on the third hold-out set:
# per-scenario PASS/FAIL with reasons, then "N passed, M failed".
#   testdata/holdout-3/score.sh [scenario ...]     (NO_BUILD=1 reuses /tmp/authlens-holdout3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AUTHLENS="${AUTHLENS:-/tmp/authlens-holdout3}"
if [ "${NO_BUILD:-}" != 1 ]; then
  (cd "$HERE/../.." && go build -o "$AUTHLENS" .) || { echo "score.sh: build of the repository failed" >&2; exit 2; }
fi
exec python3 "$HERE/../tools/score.py" "$HERE" "$@"
