# Server handling for the recorder's stacks (testdata/recorder/stacks/*.sh):
# package checks, a run directory whose servers are all stopped by PID in an
# exit trap, free-port picking on 127.0.0.1, starting a server in the
# background and remembering its PID, waiting until a port listens, config
# rendering from *.in templates, and validating the recorded HARs.
#
# record.sh sources it (bash, set -euo pipefail) before a stack script.
# Messages are prefixed with $REC (default the basename of $0). Sets TOOLS
# to testdata/tools (npm playwright-core, validate-har.js).

TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tools" && pwd)"
REC="${REC:-$(basename "$0")}"

die() { echo "$REC: $*" >&2; exit 1; }

# need COMMAND PACKAGE: COMMAND must be on PATH.
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (install: $2)"; }

# need_chromium: Debian's Chromium, which playwright-core drives.
need_chromium() { [ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found (install: chromium)"; }

# need_playwright: npm playwright-core installed in testdata/tools.
need_playwright() { [ -d "$TOOLS/node_modules/playwright-core" ] || die "run npm ci in $TOOLS first"; }

# start_run PREFIX: creates the run directory $RUN and arms the exit trap
# that stops every server in PIDS (by PID) and removes $RUN unless the run
# failed or KEEP_RUN=1.
start_run() {
  RUN="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  chmod 755 "$RUN"   # server workers (nobody, www-data, proxy) must traverse it
  PIDS=()
  trap stop_servers EXIT
  trap 'exit 130' INT TERM
}

stop_servers() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_RUN:-}" = 1 ] || [ $rc -ne 0 ]; then
    echo "$REC: run directory kept: $RUN" >&2
  else
    rm -rf "$RUN"
  fi
  exit $rc
}

# free_ports NAME...: exports each NAME as a distinct port that was free on
# 127.0.0.1 (all held open together, then released).
free_ports() {
  local ports i
  read -r -a ports <<<"$(node -e '
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
})();' "$#")"
  [ "${#ports[@]}" -eq $# ] || die "could not pick $# free ports"
  for ((i = 1; i <= $#; i++)); do export "${!i}=${ports[$((i - 1))]}"; done
}

# server_users: exports APACHE_USER, APACHE_GROUP and SQUID_USER, the users
# the servers drop to (the system users when started as root).
server_users() {
  if [ "$(id -u)" = 0 ]; then
    export APACHE_USER=www-data APACHE_GROUP=www-data SQUID_USER=proxy
  else
    export APACHE_USER="$(id -un)" APACHE_GROUP="$(id -gn)" SQUID_USER="$(id -un)"
  fi
}

# render TEMPLATE OUTPUT: replaces every @NAME@ with $NAME for each NAME in
# VARS; fails if a placeholder is left.
render() {
  local args=() v
  for v in "${VARS[@]}"; do args+=(-e "s|@$v@|${!v}|g"); done
  sed "${args[@]}" "$1" >"$2"
  if grep -q '@[A-Z_]*@' "$2"; then die "unreplaced placeholder in $2"; fi
}

# start_server LOG COMMAND [ARG...]: runs COMMAND (a program or one of the
# functions below) in the background with its output in LOG and remembers
# its PID for stop_servers.
start_server() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
}

# in_dir DIR COMMAND [ARG...]: for start_server: runs COMMAND from DIR.
in_dir() { cd "$1" && shift && exec "$@"; }

# apache_foreground ENVVARS CONF: for start_server: Apache in the
# foreground with the environment file ENVVARS.
apache_foreground() {
  set -a
  . "$1"
  set +a
  exec apache2 -f "$2" -DFOREGROUND
}

# wait_port PORT NAME LOG: waits up to 10 s for 127.0.0.1:PORT to accept
# connections; otherwise prints LOG and fails.
wait_port() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$REC: $2 did not listen on 127.0.0.1:$1; its log:" >&2
  cat "$3" >&2 || true
  exit 1
}

# validate_hars DIR: validates every DIR/*/trace.har.
validate_hars() {
  local hars=() d
  for d in "$1"/*/; do d="${d%/}"; [ -f "$d/trace.har" ] && hars+=("$d/trace.har"); done
  node "$TOOLS/validate-har.js" "${hars[@]}"
}
