# Stack `web`, sourced by record.sh in a subshell (with lib/servers.sh and
# SRV, PY set): nginx (servers/nginx-web.conf.in), Apache with Digest and
# ModSecurity + OWASP CRS (apache-web.conf.in), two squid forward proxies
# (squid-auth.conf.in, squid-strip.conf.in) and the Django site
# (django_web.py), with this run's credentials from tokens.js.

need nginx nginx-light
need apache2 apache2
need squid squid
need openssl openssl
need node nodejs
need_chromium
[ -f /usr/lib/apache2/modules/mod_security2.so ] || die "mod_security2 missing (install: libapache2-mod-security2)"
[ -d /usr/share/modsecurity-crs/rules ] || die "OWASP CRS missing (install: modsecurity-crs)"
[ -x /usr/lib/squid/basic_ncsa_auth ] || die "squid basic_ncsa_auth helper missing (install: squid)"
"$PY" -c 'import django' 2>/dev/null || die "$PY cannot import django (install: python3-django)"
need_playwright

start_run authlens-scenarios

# ---- free ports on 127.0.0.1, users the servers drop to
PORT_NAMES=(P_BASIC P_API P_API2 P_SESS P_PARTNER P_DENY P_STATIC P_LIMIT P_EDGE P_BACKEND P_CORS P_PLAIN P_TLS P_DEMO P_DIGEST P_WAF P_SQUID_AUTH P_SQUID_STRIP P_DJANGO)
free_ports "${PORT_NAMES[@]}"
server_users
export RUN

# ---- credentials minted for this run (tokens relative to now)
node "$RECORDER/tokens.js" >"$RUN/tokens.env"
set -a; . "$RUN/tokens.env"; set +a
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER "${PORT_NAMES[@]}" $(cut -d= -f1 "$RUN/tokens.env"))

mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" \
  "$RUN/squid-auth" "$RUN/squid-strip" "$RUN/tls" "$RUN/django"
cp -r "$SRV/www-web" "$RUN/www"
render "$SRV/www-web/partner/pay.html.in" "$RUN/www/partner/pay.html"
rm -f "$RUN/www/partner/pay.html.in"
chmod -R a+rX "$RUN/www"
chmod 000 "$RUN/www/static/docs/diagram.png"   # filesystem-permission: unreadable for the server
render "$SRV/nginx-web.conf.in" "$RUN/nginx/nginx.conf"
render "$SRV/apache-web.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
SQ_AUTH=$P_SQUID_AUTH SQUID_REALM="Corporate web proxy"
VARS+=(SQ_AUTH SQUID_REALM)
render "$SRV/squid-auth.conf.in" "$RUN/squid-auth/squid.conf"
render "$SRV/squid-strip.conf.in" "$RUN/squid-strip/squid.conf"
cp "$SRV/django_web.py" "$RUN/django/django_app.py"

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
start_server "$RUN/nginx/stdout.log" nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;'
start_server "$RUN/apache/stdout.log" apache_foreground "$RUN/apache/envvars" "$RUN/apache/apache2.conf"
# Distinct service names: squid names its shared-memory segments after them,
# so two instances (or a system squid) must not share one.
start_server "$RUN/squid-auth/stdout.log" squid -N -n "alauth$$" -f "$RUN/squid-auth/squid.conf"
start_server "$RUN/squid-strip/stdout.log" squid -N -n "alstrip$$" -f "$RUN/squid-strip/squid.conf"
start_server "$RUN/django/stdout.log" in_dir "$RUN/django" "$PY" django_app.py runserver --noreload "127.0.0.1:$P_DJANGO"

wait_port "$P_SESS" nginx "$RUN/nginx/error.log"
wait_port "$P_WAF" apache2 "$RUN/apache/log/error.log"
wait_port "$P_SQUID_AUTH" squid "$RUN/squid-auth/cache.log"
wait_port "$P_SQUID_STRIP" squid "$RUN/squid-strip/cache.log"
wait_port "$P_DJANGO" django "$RUN/django/stdout.log"
