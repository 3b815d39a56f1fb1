#!/usr/bin/env bash
# Records every scenario HAR with real servers and real Chromium.
#
#   testdata/scenarios/record.sh [scenario ...]
#
# Starts nginx, Apache (Digest, ModSecurity + OWASP CRS), two squid forward
# proxies and a Django site on free ports of 127.0.0.1, with configurations
# generated from servers/*.in into a temporary run directory; then drives
# Debian's /usr/bin/chromium through npm playwright-core (record.js), which
# writes testdata/scenarios/<name>/trace.har; validates every HAR, checks
# each against the entries its expect.txt names (check.js), copies the demo
# trace to assets/demo.har, and stops every server it started by PID.
# Needs: nginx, apache2 + libapache2-mod-security2 + modsecurity-crs,
# squid, python3-django, chromium, openssl, node + testdata/tools/node_modules.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TOOLS="$REPO/testdata/tools"
PY=/usr/bin/python3   # Debian's interpreter: the one python3-django is installed for

need() { command -v "$1" >/dev/null 2>&1 || { echo "record.sh: $1 not found (install: $2)" >&2; exit 1; }; }
need nginx nginx-light
need apache2 apache2
need squid squid
need openssl openssl
need node nodejs
[ -x /usr/bin/chromium ] || { echo "record.sh: /usr/bin/chromium not found (install: chromium)" >&2; exit 1; }
[ -f /usr/lib/apache2/modules/mod_security2.so ] || { echo "record.sh: mod_security2 missing (install: libapache2-mod-security2)" >&2; exit 1; }
[ -d /usr/share/modsecurity-crs/rules ] || { echo "record.sh: OWASP CRS missing (install: modsecurity-crs)" >&2; exit 1; }
[ -x /usr/lib/squid/basic_ncsa_auth ] || { echo "record.sh: squid basic_ncsa_auth helper missing (install: squid)" >&2; exit 1; }
"$PY" -c 'import django' 2>/dev/null || { echo "record.sh: $PY cannot import django (install: python3-django)" >&2; exit 1; }
[ -d "$TOOLS/node_modules/playwright-core" ] || { echo "record.sh: run npm ci in $TOOLS first" >&2; exit 1; }

RUN="$(mktemp -d "${TMPDIR:-/tmp}/authlens-scenarios.XXXXXX")"
chmod 755 "$RUN"   # server workers (nobody, www-data, proxy) must traverse it
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_RUN:-}" = 1 ] || [ $rc -ne 0 ]; then
    echo "record.sh: run directory kept: $RUN" >&2
  else
    rm -rf "$RUN"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- free ports on 127.0.0.1
PORT_NAMES=(P_BASIC P_API P_API2 P_SESS P_PARTNER P_DENY P_STATIC P_LIMIT P_EDGE P_BACKEND P_CORS P_PLAIN P_TLS P_DEMO P_DIGEST P_WAF P_SQUID_AUTH P_SQUID_STRIP P_DJANGO)
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

# ---- users the servers drop to when started as root
if [ "$(id -u)" = 0 ]; then
  export APACHE_USER=www-data APACHE_GROUP=www-data SQUID_USER=proxy
else
  export APACHE_USER="$(id -un)" APACHE_GROUP="$(id -gn)" SQUID_USER="$(id -un)"
fi
export RUN

# ---- credentials minted for this run (tokens relative to now)
node "$HERE/tokens.js" >"$RUN/tokens.env"
set -a; . "$RUN/tokens.env"; set +a
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER "${PORT_NAMES[@]}" $(cut -d= -f1 "$RUN/tokens.env"))

render() { # render TEMPLATE OUTPUT: replace every @NAME@ with $NAME
  local args=() v
  for v in "${VARS[@]}"; do args+=(-e "s|@$v@|${!v}|g"); done
  sed "${args[@]}" "$1" >"$2"
  if grep -q '@[A-Z_]*@' "$2"; then echo "record.sh: unreplaced placeholder in $2" >&2; exit 1; fi
}

mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" \
  "$RUN/squid-auth" "$RUN/squid-strip" "$RUN/tls" "$RUN/django"
cp -r "$HERE/servers/www" "$RUN/www"
render "$HERE/servers/www/partner/pay.html.in" "$RUN/www/partner/pay.html"
rm -f "$RUN/www/partner/pay.html.in"
chmod -R a+rX "$RUN/www"
chmod 000 "$RUN/www/static/docs/diagram.png"   # filesystem-permission: unreadable for the server
render "$HERE/servers/nginx.conf.in" "$RUN/nginx/nginx.conf"
render "$HERE/servers/apache.conf.in" "$RUN/apache/apache2.conf"
render "$HERE/servers/apache-envvars.in" "$RUN/apache/envvars"
render "$HERE/servers/squid-auth.conf.in" "$RUN/squid-auth/squid.conf"
render "$HERE/servers/squid-strip.conf.in" "$RUN/squid-strip/squid.conf"
cp "$HERE/servers/django_app.py" "$RUN/django/"

# Test-only accounts: alice / correct-horse (web sites), carol / proxy-pass (proxy).
printf 'alice:%s\n' "$(openssl passwd -apr1 correct-horse)" >"$RUN/htpasswd"
printf 'alice:Finance:%s\n' "$(printf 'alice:Finance:correct-horse' | openssl md5 -r | cut -d' ' -f1)" >"$RUN/htdigest"
printf 'carol:%s\n' "$(openssl passwd -apr1 proxy-pass)" >"$RUN/squid-auth/passwd"
chmod 644 "$RUN/htpasswd" "$RUN/htdigest" "$RUN/squid-auth/passwd"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
chmod 777 "$RUN/apache/modsec"
if [ "$(id -u)" = 0 ]; then chown -R proxy "$RUN/squid-auth" "$RUN/squid-strip"; fi

# ---- start the servers, each in the foreground of its own background job
nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;' >"$RUN/nginx/stdout.log" 2>&1 &
PIDS+=($!)
( set -a; . "$RUN/apache/envvars"; set +a; exec apache2 -f "$RUN/apache/apache2.conf" -DFOREGROUND ) >"$RUN/apache/stdout.log" 2>&1 &
PIDS+=($!)
# Distinct service names: squid names its shared-memory segments after them,
# so two instances (or a system squid) must not share one.
squid -N -n "alauth$$" -f "$RUN/squid-auth/squid.conf" >"$RUN/squid-auth/stdout.log" 2>&1 &
PIDS+=($!)
squid -N -n "alstrip$$" -f "$RUN/squid-strip/squid.conf" >"$RUN/squid-strip/stdout.log" 2>&1 &
PIDS+=($!)
( cd "$RUN/django" && exec "$PY" django_app.py runserver --noreload "127.0.0.1:$P_DJANGO" ) >"$RUN/django/stdout.log" 2>&1 &
PIDS+=($!)

wait_port() { # wait_port PORT NAME LOG
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "record.sh: $2 did not listen on 127.0.0.1:$1; its log:" >&2
  cat "$3" >&2 || true
  exit 1
}
wait_port "$P_SESS" nginx "$RUN/nginx/error.log"
wait_port "$P_WAF" apache2 "$RUN/apache/log/error.log"
wait_port "$P_SQUID_AUTH" squid "$RUN/squid-auth/cache.log"
wait_port "$P_SQUID_STRIP" squid "$RUN/squid-strip/cache.log"
wait_port "$P_DJANGO" django "$RUN/django/stdout.log"

# ---- record, validate, check
node "$HERE/record.js" "$@"
hars=()
for d in "$HERE"/*/; do d="${d%/}"; [ -f "$d/trace.har" ] && hars+=("$d/trace.har"); done
node "$TOOLS/validate-har.js" "${hars[@]}"
node "$HERE/check.js" "$@"
if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx demo; then
  mkdir -p "$REPO/assets"
  cp "$HERE/demo/trace.har" "$REPO/assets/demo.har"
fi
echo "record.sh: done"
