# Stack `multi-origin`, sourced by record.sh in a subshell (with
# lib/servers.sh and SRV, PY set): Node apps on 127.0.0.1/127.0.0.2/localhost
# (apps-multi-origin.js), Apache (Require all denied on .env:
# apache-multi-origin.conf.in), squid (proxy auth, CONNECT:
# squid-auth.conf.in) and the Django site with its upload view
# (django_site.py).

start_run authlens-holdout3

PORT_NAMES=(N_SPA N_CAT N_BILL N_ORD N_SHOP N_LINKS N_LOOP N_NEG N_TLSB N_SITE A_STATIC SQ_AUTH DJ)
free_ports "${PORT_NAMES[@]}"
server_users
export DJANGO_DB=multi-origin.sqlite3 DJANGO_HOME=/upload/
export RUN HOLDOUT_RUN="$RUN/django" HOLDOUT_KEY="holdout3-test-key-not-a-secret"
export TLS_KEY="$RUN/tls/key.pem" TLS_CERT="$RUN/tls/cert.pem"
SQUID_REALM="Northwind web proxy"
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER SQUID_REALM "${PORT_NAMES[@]}")
mkdir -p "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/squid-auth" "$RUN/tls" "$RUN/django" "$RUN/site"
printf '<!doctype html><title>Contoso status</title><link rel="stylesheet" href="/site.css"><h1>Status</h1><script src="/app.js"></script>\n' >"$RUN/site/index.html"
printf 'h1{color:#345}\n' >"$RUN/site/site.css"
printf 'console.log("status page");\n' >"$RUN/site/app.js"
printf 'DB_PASSWORD=not-a-real-secret\n' >"$RUN/site/.env"
chmod -R a+rX "$RUN/site"
render "$SRV/apache-multi-origin.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
render "$SRV/squid-auth.conf.in" "$RUN/squid-auth/squid.conf"
printf 'carol:%s\n' "$(openssl passwd -apr1 proxy-pass)" >"$RUN/squid-auth/passwd"
chmod 644 "$RUN/squid-auth/passwd"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
chmod 644 "$RUN/tls/key.pem"
if [ "$(id -u)" = 0 ]; then chown -R proxy "$RUN/squid-auth"; fi
(cd "$RUN/django" && "$PY" "$SRV/django_site.py" setup >/dev/null)

start_server "$RUN/apps.log" node "$SRV/apps-multi-origin.js"
start_server "$RUN/apache/stdout.log" apache_foreground "$RUN/apache/envvars" "$RUN/apache/apache2.conf"
start_server "$RUN/squid-auth/stdout.log" squid -N -n "alhold3auth$$" -f "$RUN/squid-auth/squid.conf"
start_server "$RUN/django/stdout.log" in_dir "$RUN/django" "$PY" "$SRV/django_site.py" runserver --noreload "127.0.0.1:$DJ"

wait_port "$N_SITE" apps.js "$RUN/apps.log"
wait_port "$A_STATIC" apache2 "$RUN/apache/log/error.log"
wait_port "$SQ_AUTH" squid-auth "$RUN/squid-auth/cache.log"
wait_port "$DJ" django "$RUN/django/stdout.log"
