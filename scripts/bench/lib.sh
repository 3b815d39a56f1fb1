# Shared helpers of the bench scripts (sourced, not run).

# BENCH_DIR holds the generated HARs, binaries, logs and profiles; the
# HARs are kept between runs (regenerated when the generator changes).
BENCH_DIR="${BENCH_DIR:-/tmp/authlens-bench}"
BENCH_REPEAT="${BENCH_REPEAT:-3}"
mkdir -p "$BENCH_DIR"

# median prints the median of its numeric arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

# timed OUT CMD... runs CMD under /usr/bin/time -v (stdout to /dev/null)
# and writes "SECONDS PEAK_RSS_MB EXIT" to OUT.
timed() {
  local out="$1"; shift
  local log="$out.time"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" && rc=0 || rc=$?
  awk -v rc="$rc" '
    /Elapsed \(wall clock\)/ { n=split($NF, p, ":"); s=0; for (i=1;i<=n;i++) s=s*60+p[i] }
    /Maximum resident set size/ { rss=$NF/1024 }
    END { printf "%.2f %.0f %d\n", s, rss, rc }' "$log" >"$out"
}

# freeport prints a TCP port free on 127.0.0.1.
freeport() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# waitport PORT waits up to 20 s for something to listen on 127.0.0.1:PORT.
waitport() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# gone PID: the process has exited: it is gone, or a zombie (its parent,
# the process substitution that started it, is not there to reap it).
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# stoppid PID sends SIGTERM, waits up to 10 s, then SIGKILL.
stoppid() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do
    if gone "$1"; then
      wait "$1" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null; wait "$1" 2>/dev/null || true
}

# ensure_tools builds the authlens binary and the bench helpers from this
# checkout into $BENCH_DIR/bin, and exports their paths; AUTHLENS_BIN (and
# AUTHLENS_PROFILE_BIN), when set, name another build to measure (e.g.
# main's, for a before/after comparison).
ensure_tools() {
  [ -n "${_BENCH_TOOLS:-}" ] && return 0
  local root bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  bin="$BENCH_DIR/bin"
  mkdir -p "$bin"
  (cd "$root" && go build -o "$bin/connectshim" ./scripts/bench/connectshim &&
    go build -o "$bin/firstfail" ./scripts/bench/firstfail &&
    go build -o "$bin/genhar" ./har/internal/genhar)
  if [ -z "${AUTHLENS_BIN:-}" ]; then
    (cd "$root" && go build -o "$bin/authlens" . && go build -o "$bin/authlens-profile" ./scripts/bench/profile)
    AUTHLENS_BIN="$bin/authlens"
    AUTHLENS_PROFILE_BIN="$bin/authlens-profile"
  fi
  export AUTHLENS_BIN AUTHLENS_PROFILE_BIN SHIM_BIN="$bin/connectshim" FIRSTFAIL_BIN="$bin/firstfail" GENHAR_BIN="$bin/genhar" _BENCH_TOOLS=1
  GENHAR_STAMP="$(cat "$root/har/internal/harfake/harfake.go" "$root/har/internal/genhar/main.go" | sha256sum | cut -c1-12)"
  export GENHAR_STAMP
}
