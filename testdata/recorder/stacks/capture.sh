# Stack `capture`, sourced by record.sh in a subshell (with lib/servers.sh
# and SRV set; the positional arguments are the scenario names): the
# scenarios Playwright's own HAR cannot show, recorded through AuthLens's own
# capture proxy, which records every exchange on the wire: CORS preflights,
# and Digest stale-nonce handling.
#
# Starts nginx (nginx-capture.conf.in: a page on 127.0.0.1:P_PAGE, an API
# on localhost:P_CORSAPI) and Apache (apache-capture.conf.in: Digest with a
# 2-second nonce lifetime on 127.0.0.1:P_DIGEST) and, per scenario,
# `authlens capture` writing the scenario's trace.har; drives Debian's
# Chromium (capture.js) through the proxy with --proxy-bypass-list=<-loopback>
# (plain-http origins: no CA needed), or for digest-stale-nonce-captured curl
# with a Digest header computed here; stops the proxy with SIGTERM so it
# writes the HAR. Builds authlens with go unless AUTHLENS names a binary.
SCENARIOS=("$@")

need nginx nginx-light
need apache2 apache2
need curl curl
need openssl openssl
need node nodejs
need_chromium
need_playwright

start_run authlens-capture-scenarios

AUTHLENS="${AUTHLENS:-}"
if [ -z "$AUTHLENS" ]; then
  need go golang
  AUTHLENS="$RUN/authlens"
  (cd "$REPO" && go build -o "$AUTHLENS" .)
fi

# ---- free ports on 127.0.0.1, users the servers drop to
free_ports P_PAGE P_CORSAPI P_PROXY P_DIGEST
server_users
# A random opaque token for this run (test value, known only to this nginx).
CAPTURE_TOKEN="$(openssl rand -hex 24)"
PROXY="127.0.0.1:$P_PROXY"
export PROXY CAPTURE_TOKEN
VARS=(RUN P_PAGE P_CORSAPI P_DIGEST APACHE_USER APACHE_GROUP CAPTURE_TOKEN)

mkdir -p "$RUN/nginx" "$RUN/ca" "$RUN/apache/run" "$RUN/apache/lock" "$RUN/apache/log" "$RUN/www"
cp -r "$SRV/www-web/digest" "$RUN/www/digest"
chmod -R a+rX "$RUN/www"
# Test-only account: alice / correct-horse.
printf 'alice:Finance:%s\n' "$(printf 'alice:Finance:correct-horse' | openssl md5 -r | cut -d' ' -f1)" >"$RUN/htdigest"
chmod 644 "$RUN/htdigest"
render "$SRV/apache-capture.conf.in" "$RUN/apache/apache-capture.conf"
render "$SRV/apache-envvars.in" "$RUN/apache/apache-envvars"
render "$SRV/nginx-capture.conf.in" "$RUN/nginx/nginx.conf"

start_server "$RUN/nginx/stdout.log" nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" -g 'daemon off;'
start_server "$RUN/apache/stdout.log" apache_foreground "$RUN/apache/apache-envvars" "$RUN/apache/apache-capture.conf"

wait_port "$P_PAGE" nginx "$RUN/nginx/error.log"
wait_port "$P_CORSAPI" nginx "$RUN/nginx/error.log"
wait_port "$P_DIGEST" apache2 "$RUN/apache/log/error.log"

# A client with its own Digest code that ignores stale=true (RFC 7616
# §3.3): curl through the proxy with an Authorization header computed here
# (MD5, qop=auth). It signs in, waits past the 2-second nonce lifetime,
# sends the next request with the old nonce, gets 401 stale=true and stops.
digest_without_stale_retry() {
  local o="http://127.0.0.1:$P_DIGEST" nonce
  md5() { printf '%s' "$1" | openssl md5 -r | cut -d' ' -f1; }
  digest() { # digest URI NC
    local ha1 ha2 cnonce=0a4f113b
    ha1="$(md5 "alice:Finance:correct-horse")"; ha2="$(md5 "GET:$1")"
    printf 'Digest username="alice", realm="Finance", nonce="%s", uri="%s", algorithm=MD5, response="%s", qop=auth, nc=%s, cnonce="%s"' \
      "$nonce" "$1" "$(md5 "$ha1:$nonce:$2:$cnonce:auth:$ha2")" "$2" "$cnonce"
  }
  local c=(curl -sS -x "http://$PROXY" -o /dev/null)
  nonce="$("${c[@]}" -D - "$o/finance/" | sed -n 's/^WWW-Authenticate: Digest .*nonce="\([^"]*\)".*/\1/pI')"
  [ -n "$nonce" ] || { echo "record.sh (capture): no Digest challenge from $o/finance/" >&2; return 1; }
  "${c[@]}" -w '/finance/ %{http_code}\n' -H "Authorization: $(digest /finance/ 00000001)" "$o/finance/"
  sleep 3.5
  "${c[@]}" -D - -w '/finance/report.html %{http_code}\n' -H "Authorization: $(digest /finance/report.html 00000002)" "$o/finance/report.html" |
    grep -i '^WWW-Authenticate\|report.html'
}

for name in "${SCENARIOS[@]}"; do
  dir="$(node "$RECORDER/record.js" --dirs "$name")"
  out="$dir/trace.har"
  mkdir -p "$dir"
  rm -f "$out" "$out.journal"
  start_server "$RUN/capture-$name.log" "$AUTHLENS" capture --listen "$PROXY" --out "$out" --include 127.0.0.1,localhost \
    --ca-dir "$RUN/ca" --quiet
  cap=${PIDS[-1]}
  wait_port "$P_PROXY" "authlens capture" "$RUN/capture-$name.log"
  if [ "$name" = digest-stale-nonce-captured ]; then
    echo "record.sh (capture): $name: $(digest_without_stale_retry | tr '\n' ' ')"
  else
    echo "record.sh (capture): $name: $(node "$RECORDER/capture.js" "$name")"
  fi
  kill -TERM "$cap"
  wait "$cap" || { echo "record.sh (capture): authlens capture failed; its log:" >&2; cat "$RUN/capture-$name.log" >&2; exit 1; }
  rm -f "$out.journal"
done

