# Stack `gateway`, sourced by record.sh in a subshell (with lib/servers.sh
# and SRV, PY set): nginx (auth_request, allow/deny, limit_req, auth_basic,
# TLS, redirects: nginx-gateway.conf.in), Apache (ModSecurity + OWASP CRS,
# mod_auth_digest: apache-gateway.conf.in), squid (squid-auth.conf.in),
# Django + DRF (django_site.py) and the Node servers of apps-gateway.js.

start_run authlens-holdout2

PORT_NAMES=(N_API N_AUTH N_PORTAL N_TLS N_PLAIN X_PORTAL X_PLAIN X_TLS A_WAF A_DIGEST SQ_AUTH DJ)
free_ports "${PORT_NAMES[@]}"
server_users
export DJANGO_DB=gateway.sqlite3 DJANGO_HOME=/tasks/
export RUN HOLDOUT_RUN="$RUN/django" HOLDOUT_KEY="holdout2-test-key-not-a-secret"
export TLS_KEY="$RUN/tls/key.pem" TLS_CERT="$RUN/tls/cert.pem"
SQUID_REALM="Northwind web proxy"
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER SQUID_REALM "${PORT_NAMES[@]}")
mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" "$RUN/squid-auth" "$RUN/tls" "$RUN/django" \
  "$RUN/www/static/guides" "$RUN/www/reports"
printf '<!doctype html><title>Guide</title><h1>Onboarding guide</h1>\n' >"$RUN/www/static/guides/onboarding.html"
printf '<!doctype html><title>Q3</title><h1>Q3 report</h1>\n' >"$RUN/www/reports/q3.html"
chmod -R a+rX "$RUN/www"
render "$SRV/apache-gateway.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
render "$SRV/nginx-gateway.conf.in" "$RUN/nginx/nginx.conf"
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

start_server "$RUN/apps.log" node "$SRV/apps-gateway.js"
start_server "$RUN/nginx/stdout.log" nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;'
start_server "$RUN/apache/stdout.log" apache_foreground "$RUN/apache/envvars" "$RUN/apache/apache2.conf"
start_server "$RUN/squid-auth/stdout.log" squid -N -n "alhold2auth$$" -f "$RUN/squid-auth/squid.conf"
start_server "$RUN/django/stdout.log" in_dir "$RUN/django" "$PY" "$SRV/django_site.py" runserver --noreload "127.0.0.1:$DJ"

wait_port "$N_PLAIN" apps.js "$RUN/apps.log"
wait_port "$X_TLS" nginx "$RUN/nginx/error.log"
wait_port "$A_DIGEST" apache2 "$RUN/apache/log/error.log"
wait_port "$SQ_AUTH" squid-auth "$RUN/squid-auth/cache.log"
wait_port "$DJ" django "$RUN/django/stdout.log"
