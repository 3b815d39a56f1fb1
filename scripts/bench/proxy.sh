#!/usr/bin/env bash
# The proxy side of make bench: wrk against one nginx on loopback,
# directly, through `authlens capture` (recording, journal and live
# analysis on, as a user runs it) and through mitmdump; plain HTTP and
# HTTPS. Requests/s at 20 connections and p50/p99 latency at 1 connection
# (added latency = proxied minus direct), each the median of BENCH_REPEAT
# runs of BENCH_DURATION seconds with a fresh proxy. Then AuthLens alone
# under BENCH_SUSTAIN seconds of load: its memory over time, how far the
# live lines lag, and how long it takes to exit after SIGTERM.
# BENCH_PROFILE=1 also writes a CPU profile of AuthLens under load.
# BENCH_PROXY_PARTS picks the parts ("compare sustained", the default).
# wrk cannot talk to a proxy: plain HTTP requests are sent in absolute
# form to the proxy, HTTPS goes through connectshim (a CONNECT tunnel,
# or plain forwarding for the direct run so both pay the extra hop).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_tools

DUR="${BENCH_DURATION:-10}"
SUSTAIN="${BENCH_SUSTAIN:-60}"
W="$BENCH_DIR/proxy"
rm -rf "$W"; mkdir -p "$W/nginx" "$W/runs"; chmod 755 "$BENCH_DIR" "$W" "$W/nginx"
pids=()
cleanup() { for p in "${pids[@]}"; do stoppid "$p"; done; }
trap cleanup EXIT

# --- nginx: 1 KiB page, plain and TLS ---------------------------------
NGX=$(freeport); NGXS=$(freeport)
head -c 1024 /dev/zero | tr '\0' 'x' >"$W/nginx/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$W/nginx/key.pem" -out "$W/nginx/cert.pem" 2>/dev/null
chmod 644 "$W/nginx/"*
cat >"$W/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $W/nginx/error.log;
pid $W/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/nginx/tmp-body; proxy_temp_path $W/nginx/tmp-proxy;
  fastcgi_temp_path $W/nginx/tmp-fcgi; uwsgi_temp_path $W/nginx/tmp-uwsgi; scgi_temp_path $W/nginx/tmp-scgi;
  keepalive_requests 1000000;
  default_type text/plain;
  server { listen 127.0.0.1:$NGX; root $W/nginx; }
  server { listen 127.0.0.1:$NGXS ssl; ssl_certificate $W/nginx/cert.pem; ssl_certificate_key $W/nginx/key.pem; root $W/nginx; }
}
CONF
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
waitport "$NGX"; waitport "$NGXS"

# --- proxies --------------------------------------------------------------
# start_proxy KIND RUNDIR: starts KIND (authlens|authlens-profile|mitmdump)
# and prints "PID PORT".
start_proxy() {
  local kind="$1" dir="$2" port
  port=$(freeport)
  mkdir -p "$dir"
  case "$kind" in
    authlens|authlens-profile)
      local bin="$AUTHLENS_BIN" pre=()
      [ "$kind" = authlens-profile ] && { bin="$AUTHLENS_PROFILE_BIN"; pre=(-o "$dir/cpu.pprof"); }
      "$bin" "${pre[@]}" capture --listen "127.0.0.1:$port" --out "$dir/capture.har" --ca-dir "$W/ca" \
        --upstream-ca "$W/nginx/cert.pem" >"$dir/lines.txt" 2>"$dir/stderr.txt" &
      ;;
    mitmdump)
      mitmdump --listen-host 127.0.0.1 -p "$port" --ssl-insecure -q --set confdir="$W/mitm" >"$dir/stdout.txt" 2>"$dir/stderr.txt" &
      ;;
  esac
  local pid=$!
  waitport "$port" >&2
  echo "$pid $port"
}

# shim PROXYPORT|"" prints "PID PORT" of a connectshim to nginx's TLS port.
shim() {
  local port args=()
  port=$(freeport)
  [ -n "$1" ] && args=(-proxy "127.0.0.1:$1")
  "$SHIM_BIN" -listen "127.0.0.1:$port" "${args[@]}" -target "127.0.0.1:$NGXS" >/dev/null &
  local pid=$!
  waitport "$port" >&2
  echo "$pid $port"
}

# Plain HTTP through a proxy: absolute-form request lines.
cat >"$W/absolute.lua" <<LUA
wrk.path = "http://127.0.0.1:$NGX/index.html"
wrk.headers["Host"] = "127.0.0.1:$NGX"
LUA
# HTTPS: the Host the proxies forward to is nginx's, not connectshim's.
cat >"$W/tlshost.lua" <<LUA
wrk.headers["Host"] = "127.0.0.1:$NGXS"
LUA

# us VALUE converts wrk's "812.00us", "1.20ms", "2.00s" to microseconds.
us() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n*1000; else if (v ~ /s$/) print n*1e6; else print n }'; }

# load KIND PROTO CONNS OUT: one wrk run through KIND (direct|authlens|
# mitmdump); writes wrk's output to OUT.
load() {
  local kind="$1" proto="$2" conns="$3" out="$4" dir="${4%.txt}.d" pp="" sp="" url script=()
  local threads=$(( conns > 1 ? 2 : 1 ))
  if [ "$kind" != direct ]; then read -r pp port < <(start_proxy "$kind" "$dir"); fi
  if [ "$proto" = https ]; then
    read -r sp sport < <(shim "$([ "$kind" = direct ] || echo "$port")")
    url="https://127.0.0.1:$sport/index.html"; script=(-s "$W/tlshost.lua")
  elif [ "$kind" = direct ]; then
    url="http://127.0.0.1:$NGX/index.html"
  else
    url="http://127.0.0.1:$port/index.html"; script=(-s "$W/absolute.lua")
  fi
  wrk -t "$threads" -c "$conns" -d "${DUR}s" --latency "${script[@]}" "$url" >"$out" 2>&1 || true
  [ -n "$sp" ] && stoppid "$sp"
  [ -n "$pp" ] && stoppid "$pp"
  if grep -q "Non-2xx\|Socket errors" "$out"; then echo "  note: $(grep -h "Non-2xx\|Socket errors" "$out" | tr -s ' ') ($kind $proto c$conns)" >&2; fi
}

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { us "$(awk -v p="$2" '$1==p {print $2}' "$1")"; }

parts="${BENCH_PROXY_PARTS:-compare sustained}"
if [[ " $parts " == *" compare "* ]]; then
echo "== Proxy on loopback: wrk → [proxy] → nginx (1 KiB page); ${DUR}s per run, median of $BENCH_REPEAT fresh runs"
echo "   AuthLens: authlens capture (recording, journal, live lines to a file); mitmdump $(mitmdump --version 2>/dev/null | awk '/Mitmproxy:/ {print $2}') -q --ssl-insecure"
declare -A R P50 P99
for proto in http https; do
  for kind in direct authlens mitmdump; do
    rs=() p5=() p9=()
    for i in $(seq "$BENCH_REPEAT"); do
      load "$kind" "$proto" 20 "$W/runs/$kind-$proto-c20-$i.txt"
      rs+=("$(rps "$W/runs/$kind-$proto-c20-$i.txt")")
      load "$kind" "$proto" 1 "$W/runs/$kind-$proto-c1-$i.txt"
      p5+=("$(pct "$W/runs/$kind-$proto-c1-$i.txt" 50%)")
      p9+=("$(pct "$W/runs/$kind-$proto-c1-$i.txt" 99%)")
    done
    R[$kind-$proto]=$(median "${rs[@]}"); P50[$kind-$proto]=$(median "${p5[@]}"); P99[$kind-$proto]=$(median "${p9[@]}")
  done
done
printf '%-7s %-9s %12s %12s %12s %16s %16s\n' proto via "req/s c=20" "p50 µs c=1" "p99 µs c=1" "added p50 µs" "added p99 µs"
for proto in http https; do
  for kind in direct authlens mitmdump; do
    k=$kind-$proto; d=direct-$proto
    printf '%-7s %-9s %12.0f %12.0f %12.0f %16.0f %16.0f\n' "$proto" "$kind" "${R[$k]}" "${P50[$k]}" "${P99[$k]}" \
      "$(awk -v a="${P50[$k]}" -v b="${P50[$d]}" 'BEGIN{print a-b}')" "$(awk -v a="${P99[$k]}" -v b="${P99[$d]}" 'BEGIN{print a-b}')"
  done
  echo "$proto: AuthLens/mitmdump req/s = $(awk -v a="${R[authlens-$proto]}" -v b="${R[mitmdump-$proto]}" 'BEGIN{printf "%.1f", a/b}')x; AuthLens/direct = $(awk -v a="${R[authlens-$proto]}" -v b="${R[direct-$proto]}" 'BEGIN{printf "%.2f", a/b}')x"
done

fi

# --- sustained load: memory, live lag, exit after SIGTERM -------------------
if [[ " $parts " == *" sustained "* ]]; then
echo
echo "== AuthLens under ${SUSTAIN}s of plain-HTTP load at 20 connections"
dir="$W/runs/sustained"
read -r pp port < <(start_proxy authlens "$dir")
wrk -t 2 -c 20 -d "${SUSTAIN}s" -s "$W/absolute.lua" "http://127.0.0.1:$port/index.html" >"$dir/wrk.txt" 2>&1 &
wpid=$!
rss=()
while kill -0 "$wpid" 2>/dev/null; do
  rss+=("$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pp/status")")
  sleep 5
done
wait "$wpid" || true
sent=$(awk '/requests in/ {print $1}' "$dir/wrk.txt")
echo "requests: $sent ($(rps "$dir/wrk.txt") req/s); RSS every 5 s, MB: ${rss[*]}"
# Live lag: how long after the load ends the last exchange's line appears.
lines() { grep -c '^#' "$dir/lines.txt" || true; }
t0=$(date +%s.%N); lag=""
while :; do
  n=$(lines)
  now=$(date +%s.%N)
  if [ "$n" -ge "$sent" ]; then lag=$(awk -v a="$now" -v b="$t0" 'BEGIN{printf "%.2f", a-b}'); break; fi
  if awk -v a="$now" -v b="$t0" 'BEGIN{exit !(a-b > 60)}'; then lag=">60 ($n of $sent lines)"; break; fi
  sleep 0.05
done
echo "live lines: last line $lag s after the load ended"
t0=$(date +%s.%N)
kill -TERM "$pp"
exited=""
for _ in $(seq 1200); do
  if gone "$pp"; then exited=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.2f", a-b}'); break; fi
  sleep 0.05
done
if [ -z "$exited" ]; then exited=">60 (killed)"; kill -KILL "$pp"; fi
wait "$pp" 2>/dev/null || true
har_entries=$(grep -o '"startedDateTime"' "$dir/capture.har" 2>/dev/null | wc -l)
echo "SIGTERM → exit: $exited s; $har_entries exchanges in the written HAR ($(du -m "$dir/capture.har" 2>/dev/null | cut -f1) MB)"
fi

# --- CPU profile under load ---------------------------------------------------
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  dir="$W/runs/profile"
  read -r pp port < <(start_proxy authlens-profile "$dir")
  wrk -t 2 -c 20 -d "${DUR}s" -s "$W/absolute.lua" "http://127.0.0.1:$port/index.html" >"$dir/wrk.txt" 2>&1 || true
  kill -TERM "$pp" # ends the profile at once
  for _ in $(seq 100); do [ -s "$dir/cpu.pprof" ] && gone "$pp" && break; sleep 0.1; done
  sleep 1; kill -KILL "$pp" 2>/dev/null || true
  echo
  echo "== CPU profile of AuthLens under ${DUR}s of plain-HTTP load at 20 connections ($(rps "$dir/wrk.txt") req/s): $dir/cpu.pprof"
  go tool pprof -top -nodecount=25 "$AUTHLENS_PROFILE_BIN" "$dir/cpu.pprof" 2>/dev/null | sed -n '1,32p'
fi
