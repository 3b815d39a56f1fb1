# Stack `mixed`, sourced by record.sh in a subshell (with lib/servers.sh and
# SRV, PY set): Apache (mod_auth_basic, mod_auth_digest, mod_ssl,
# ModSecurity + CRS via mod_proxy, mod_auth_gssapi: apache-mixed.conf.in),
# nginx TLS + HTTP/2 (nginx-mixed.conf.in), squid (ACL deny:
# squid-acl.conf.in; proxy auth: squid-auth.conf.in), the Django + DRF kiosk
# site (django_kiosk.py) and the Node servers of apps-mixed.js.

start_run authlens-holdout

PORT_NAMES=(H_DPOP X_API H_API2 A_GW A_SSO SQ_AUTH X_DJ H_API H_APP H_LIMIT H_WIDGET H_SHOP H_CANON H_BACKEND H_PORTAL H_LOGIN H_MOVE A_BASIC A_DIGEST A_TLS A_WAF X_PORTAL SQ DJ)
free_ports "${PORT_NAMES[@]}"
server_users
export RUN HOLDOUT_RUN="$RUN/django" HOLDOUT_KEY="holdout-test-key-not-a-secret"
SQUID_REALM="Northwind web proxy"
VARS=(RUN APACHE_USER APACHE_GROUP SQUID_USER SQUID_REALM "${PORT_NAMES[@]}")
mkdir -p "$RUN/nginx" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/apache/modsec" "$RUN/squid" "$RUN/squid-auth" "$RUN/tls" "$RUN/django"
cp -r "$SRV/www-apache" "$SRV/www-portal" "$RUN/"
chmod -R a+rX "$RUN/www-apache" "$RUN/www-portal"
chmod 000 "$RUN/www-apache/docs/travel-policy.html"   # unreadable for the server user
render "$SRV/apache-mixed.conf.in" "$RUN/apache/apache2.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/envvars"
render "$SRV/nginx-mixed.conf.in" "$RUN/nginx/nginx.conf"
render "$SRV/squid-acl.conf.in" "$RUN/squid/squid.conf"
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
export DRF_TOKEN="$(cd "$RUN/django" && "$PY" "$SRV/django_kiosk.py" setup)"

start_server "$RUN/apps.log" node "$SRV/apps-mixed.js"
start_server "$RUN/nginx/stdout.log" nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;'
start_server "$RUN/apache/stdout.log" apache_foreground "$RUN/apache/envvars" "$RUN/apache/apache2.conf"
start_server "$RUN/squid/stdout.log" squid -N -n "alhold$$" -f "$RUN/squid/squid.conf"
start_server "$RUN/squid-auth/stdout.log" squid -N -n "alholdauth$$" -f "$RUN/squid-auth/squid.conf"
start_server "$RUN/django/stdout.log" in_dir "$RUN/django" "$PY" "$SRV/django_kiosk.py" runserver --noreload "127.0.0.1:$DJ"

wait_port "$H_MOVE" apps.js "$RUN/apps.log"
wait_port "$X_PORTAL" nginx "$RUN/nginx/error.log"
wait_port "$A_WAF" apache2 "$RUN/apache/log/error.log"
wait_port "$SQ" squid "$RUN/squid/cache.log"
wait_port "$DJ" django "$RUN/django/stdout.log"
wait_port "$SQ_AUTH" squid-auth "$RUN/squid-auth/cache.log"
wait_port "$X_DJ" nginx "$RUN/nginx/error.log"
wait_port "$A_SSO" apache2 "$RUN/apache/log/error.log"
