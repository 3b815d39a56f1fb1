#!/usr/bin/env bash
# Records the AuthLens hold-out scenarios with real Chromium against real
# servers on 127.0.0.1/127.0.0.2/localhost: Apache (mod_auth_basic,
# mod_auth_digest, mod_ssl, ModSecurity + CRS via mod_proxy), nginx (TLS),
# squid (ACL deny), Django + Django REST framework, and small Node servers
# (servers/apps.js); Apache mod_auth_gssapi (libapache2-mod-auth-gssapi) and
# python3-djangorestframework are needed besides the repo's packages. Writes testdata/holdout-1/<scenario>/trace.har.
#   testdata/holdout-1/record.sh [scenario ...]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRV="$HERE/servers"
TOOLS="$(cd "$(dirname "$0")/../tools" && pwd)"
PY=/usr/bin/python3

RUN="$(mktemp -d "${TMPDIR:-/tmp}/authlens-holdout.XXXXXX")"
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

PORT_NAMES=(H_DPOP X_API H_API2 A_GW A_SSO SQ_AUTH X_DJ H_API H_APP H_LIMIT H_WIDGET H_SHOP H_CANON H_BACKEND H_PORTAL H_LOGIN H_MOVE A_BASIC A_DIGEST A_TLS A_WAF X_PORTAL SQ DJ)
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
export RUN HOLDOUT_RUN="$RUN/django" HOLDOUT_KEY="holdout-test-key-not-a-secret"
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER "${PORT_NAMES[@]}")
render() {
  local args=() v
  for v in "${VARS[@]}"; do args+=(-e "s|@$v@|${!v}|g"); done
  sed "${args[@]}" "$1" >"$2"
  if grep -q '@[A-Z_]*@' "$2"; then echo "record.sh: unreplaced placeholder in $2" >&2; exit 1; fi
}
mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" "$RUN/squid" "$RUN/squid-auth" "$RUN/tls" "$RUN/django"
cp -r "$SRV/www-apache" "$SRV/www-portal" "$RUN/"
chmod -R a+rX "$RUN/www-apache" "$RUN/www-portal"
chmod 000 "$RUN/www-apache/docs/travel-policy.html"   # unreadable for the server user
render "$SRV/apache.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
render "$SRV/nginx.conf.in" "$RUN/nginx/nginx.conf"
render "$SRV/squid.conf.in" "$RUN/squid/squid.conf"
render "$SRV/squid-auth.conf.in" "$RUN/squid-auth/squid.conf"
printf 'alice:%s\n' "$(openssl passwd -apr1 correct-horse)" >"$RUN/htpasswd"
printf 'alice:Vault:%s\n' "$(printf 'alice:Vault:correct-horse' | openssl md5 -r | cut -d' ' -f1)" >"$RUN/htdigest"
printf 'carol:%s\n' "$(openssl passwd -apr1 proxy-pass)" >"$RUN/squid-auth/passwd"
chmod 644 "$RUN/htpasswd" "$RUN/htdigest" "$RUN/squid-auth/passwd"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
chmod 644 "$RUN/tls/key.pem"
chmod 777 "$RUN/apache/modsec"
if [ "$(id -u)" = 0 ]; then chown -R proxy "$RUN/squid" "$RUN/squid-auth"; fi
export DRF_TOKEN="$(cd "$RUN/django" && "$PY" "$SRV/django_site.py" setup)"

node "$SRV/apps.js" >"$RUN/apps.log" 2>&1 &
PIDS+=($!)
nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;' >"$RUN/nginx/stdout.log" 2>&1 &
PIDS+=($!)
( set -a; . "$RUN/apache/envvars"; set +a; exec apache2 -f "$RUN/apache/apache2.conf" -DFOREGROUND ) >"$RUN/apache/stdout.log" 2>&1 &
PIDS+=($!)
squid -N -n "alhold$$" -f "$RUN/squid/squid.conf" >"$RUN/squid/stdout.log" 2>&1 &
PIDS+=($!)
squid -N -n "alholdauth$$" -f "$RUN/squid-auth/squid.conf" >"$RUN/squid-auth/stdout.log" 2>&1 &
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
wait_port "$H_MOVE" apps.js "$RUN/apps.log"
wait_port "$X_PORTAL" nginx "$RUN/nginx/error.log"
wait_port "$A_WAF" apache2 "$RUN/apache/log/error.log"
wait_port "$SQ" squid "$RUN/squid/cache.log"
wait_port "$DJ" django "$RUN/django/stdout.log"
wait_port "$SQ_AUTH" squid-auth "$RUN/squid-auth/cache.log"
wait_port "$X_DJ" nginx "$RUN/nginx/error.log"
wait_port "$A_SSO" apache2 "$RUN/apache/log/error.log"

node "$HERE/record.js" "$@"
hars=()
for d in "$HERE"/*/; do d="${d%/}"; [ -f "$d/trace.har" ] && hars+=("$d/trace.har"); done
node "$TOOLS/validate-har.js" "${hars[@]}"
echo "record.sh: done"
