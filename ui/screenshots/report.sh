#!/usr/bin/env bash
# Renders the case report of the recorded demo trace with headless
# Chromium: ui/screenshots/report.png (engineering) and
# report-customer.png, plus both as PDF in $OUT (default /tmp/authlens-report)
# to look at the printed pages (pdftoppm -png FILE.pdf PREFIX).
# Usage: bash ui/screenshots/report.sh   (make report-screenshots)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
out="${OUT:-/tmp/authlens-report}"
mkdir -p "$out"
trace=testdata/traces/expired-token/demo/trace.har
go build -o "$out/authlens" .
printf 'Customer (ACME finance team) says the Reports page fails since Monday; the Admin page never worked for them.\nAsked them to sign out and in again: no change.\n' > "$out/notes.txt"
"$out/authlens" report --format html --notes "$out/notes.txt" "$trace" "$out/report.html" >/dev/null
"$out/authlens" report --format html --audience customer "$trace" "$out/report-customer.html" >/dev/null
chromium=(/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars)
shot() { # html png width height
  timeout 120 "${chromium[@]}" --screenshot="$2" --window-size="$3,$4" "file://$1" 2>/dev/null
  timeout 120 "${chromium[@]}" --no-pdf-header-footer --print-to-pdf="${2%.png}.pdf" "file://$1" 2>/dev/null
}
shot "$out/report.html" "$out/report.png" 1100 1700
shot "$out/report-customer.html" "$out/report-customer.png" 1100 1300
cp "$out/report.png" "$out/report-customer.png" ui/screenshots/
echo "wrote ui/screenshots/report.png, ui/screenshots/report-customer.png and $out/*.pdf"
