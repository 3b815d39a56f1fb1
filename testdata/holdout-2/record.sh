#!/usr/bin/env bash
# Records the second AuthLens hold-out set with real Chromium against real
# servers on 127.0.0.1/localhost: nginx (auth_request, allow/deny,
# limit_req, auth_basic, TLS, redirects), Apache (ModSecurity + OWASP CRS,
# mod_auth_digest), squid (Basic proxy auth), Django + DRF, and Node
# servers (servers/apps.js). Writes testdata/holdout-2/<scenario>/trace.har.
#   testdata/holdout-2/record.sh [scenario ...]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRV="$HERE/servers"
TOOLS="$(cd "$(dirname "$0")/../tools" && pwd)"
PY=/usr/bin/python3

RUN="$(mktemp -d "${TMPDIR:-/tmp}/authlens-holdout2.XXXXXX")"
chmod 755 "$RUN"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_RUN:-}" = 1 ] || [ $rc -ne 0 ]; then echo "record.sh: run directory kept: $RUN" >&2; else rm -rf "$RUN"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT_NAMES=(N_API N_AUTH N_PORTAL N_TLS N_PLAIN X_PORTAL X_PLAIN X_TLS A_WAF A_DIGEST SQ_AUTH DJ)
read -r -a PORTS <<<"$(node -e '
const net = require("net");
const n = Number(process.argv[1]);
(async () => {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((ok, bad) => { s.once("error", bad); s.listen(0, "127.0.0.1", ok); });
    servers.push(s);
  }
  console.log(servers.map((s) => s.address().port).join(" "));
  servers.forEach((s) => s.close());
})();' "${#PORT_NAMES[@]}")"
for i in "${!PORT_NAMES[@]}"; do export "${PORT_NAMES[$i]}=${PORTS[$i]}"; done
if [ "$(id -u)" = 0 ]; then export APACHE_USER=www-data APACHE_GROUP=www-data SQUID_USER=proxy
else export APACHE_USER="$(id -un)" APACHE_GROUP="$(id -gn)" SQUID_USER="$(id -un)"; fi
export RUN HOLDOUT_RUN="$RUN/django" HOLDOUT_KEY="holdout2-test-key-not-a-secret"
export TLS_KEY="$RUN/tls/key.pem" TLS_CERT="$RUN/tls/cert.pem"
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER "${PORT_NAMES[@]}")
render() {
  local args=() v
  for v in "${VARS[@]}"; do args+=(-e "s|@$v@|${!v}|g"); done
  sed "${args[@]}" "$1" >"$2"
  if grep -q '@[A-Z_]*@' "$2"; then echo "record.sh: unreplaced placeholder in $2" >&2; exit 1; fi
}
mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" "$RUN/squid-auth" "$RUN/tls" "$RUN/django" \
  "$RUN/www/static/guides" "$RUN/www/reports"
printf '<!doctype html><title>Guide</title><h1>Onboarding guide</h1>\n' >"$RUN/www/static/guides/onboarding.html"
printf '<!doctype html><title>Q3</title><h1>Q3 report</h1>\n' >"$RUN/www/reports/q3.html"
chmod -R a+rX "$RUN/www"
render "$SRV/apache.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
render "$SRV/nginx.conf.in" "$RUN/nginx/nginx.conf"
render "$SRV/squid-auth.conf.in" "$RUN/squid-auth/squid.conf"
printf 'alice:%s\n' "$(openssl passwd -apr1 correct-horse)" >"$RUN/htpasswd"
printf 'alice:Wiki:%s\n' "$(printf 'alice:Wiki:correct-horse' | openssl md5 -r | cut -d' ' -f1)" >"$RUN/htdigest"
printf 'carol:%s\n' "$(openssl passwd -apr1 proxy-pass)" >"$RUN/squid-auth/passwd"
chmod 644 "$RUN/htpasswd" "$RUN/htdigest" "$RUN/squid-auth/passwd"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
chmod 644 "$RUN/tls/key.pem"
chmod 777 "$RUN/apache/modsec"
if [ "$(id -u)" = 0 ]; then chown -R proxy "$RUN/squid-auth"; fi
export DRF_TOKEN="$(cd "$RUN/django" && "$PY" "$SRV/django_site.py" setup)"

node "$SRV/apps.js" >"$RUN/apps.log" 2>&1 &
PIDS+=($!)
nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;' >"$RUN/nginx/stdout.log" 2>&1 &
PIDS+=($!)
( set -a; . "$RUN/apache/envvars"; set +a; exec apache2 -f "$RUN/apache/apache2.conf" -DFOREGROUND ) >"$RUN/apache/stdout.log" 2>&1 &
PIDS+=($!)
squid -N -n "alhold2auth$$" -f "$RUN/squid-auth/squid.conf" >"$RUN/squid-auth/stdout.log" 2>&1 &
PIDS+=($!)
( cd "$RUN/django" && exec "$PY" "$SRV/django_site.py" runserver --noreload "127.0.0.1:$DJ" ) >"$RUN/django/stdout.log" 2>&1 &
PIDS+=($!)

wait_port() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "record.sh: $2 did not listen on 127.0.0.1:$1; its log:" >&2; cat "$3" >&2 || true; exit 1
}
wait_port "$N_PLAIN" apps.js "$RUN/apps.log"
wait_port "$X_TLS" nginx "$RUN/nginx/error.log"
wait_port "$A_DIGEST" apache2 "$RUN/apache/log/error.log"
wait_port "$SQ_AUTH" squid-auth "$RUN/squid-auth/cache.log"
wait_port "$DJ" django "$RUN/django/stdout.log"

node "$HERE/record.js" "$@"
hars=()
for d in "$HERE"/*/; do d="${d%/}"; [ -f "$d/trace.har" ] && hars+=("$d/trace.har"); done
node "$TOOLS/validate-har.js" "${hars[@]}"
echo "record.sh: done"
