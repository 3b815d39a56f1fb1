#!/usr/bin/env bash
# make measure-huge: one 300 MB header value and one 400 MB body in a
# generated HAR; the reader's load time, what it reports, and its peak
# memory (VmHWM and /usr/bin/time -v). The file is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export PATH="$PATH:/usr/local/go/bin"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/measurehuge" ./har/internal/measurehuge
"$dir/measurehuge" -write "$dir/huge.har" -string-mb "${STRING_MB:-300}" -body-mb "${BODY_MB:-400}"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f 'max RSS (time -v): %M kB, wall %e s' "$dir/measurehuge" "$dir/huge.har"
else
  "$dir/measurehuge" "$dir/huge.har"
fi
