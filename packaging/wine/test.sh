#!/usr/bin/env bash
# The Windows build under Wine (make wine, the last step of make test).
# In a throw-away Wine prefix under a temp dir: the NSIS installer installs
# silently (/S); the installed authlens.exe (the zip's, byte for byte) runs
# `version`, `analyze --format json` on the demo and on recorded traces
# (output identical to the Linux build's), `sanitize` (the same), the CA commands (its folder in
# %AppData%, a user name with spaces and non-ASCII letters, a key others
# can read refused), a capture through its proxy with Linux curl (HTTP and
# HTTPS), then the window under Xvfb (screenshot in build/wine/), and the
# uninstaller. Every Wine process is stopped at the end (wineserver -k).
#
# Debian 12's Wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng every
# Go >= 1.22 Windows binary calls at start: bcryptprimitives.c, built here
# with the same mingw-w64 compiler, is copied into the prefix's system32.
# It is test scaffolding, never shipped.
#
# Wine keeps no file ACLs of its own: it shows a file's Unix mode as its
# DACL (Everyone may read a 0755 folder) and ignores DACL changes on
# folders. Under umask 077 what Wine creates is private, as a real
# %AppData%\authlens restricted to the user is; the test then checks that
# the Windows build reads those DACLs (a key Everyone may read is refused).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
t0=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - t0)); }
fail() { echo "wine test FAILED: $*" >&2; exit 1; }

VERSION="$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)"
zip="dist/authlens-$VERSION-windows-amd64.zip"
setup="dist/authlens-$VERSION-setup.exe"
[ -f "$zip" ] && [ -f "$setup" ] || fail "$zip or $setup missing: run make package-windows"
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver
[ -x "$WINE" ] || fail "$WINE missing (apt-get install wine64)"

tmp="$(mktemp -d /tmp/authlens-wine.XXXXXX)"
out="build/wine"
rm -rf "$out" && mkdir -p "$out"
export WINEPREFIX="$tmp/prefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=d"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  WINEPREFIX="$tmp/prefix" "$WINESERVER" -k 2>/dev/null || true
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
  echo "wine test: $((SECONDS - t0))s"
}
trap cleanup EXIT
umask 077

step "Xvfb"
Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.2; done
[ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
export DISPLAY=":$(cat "$tmp/display")"

step "Wine prefix in $WINEPREFIX"
"$WINE" wineboot -i >"$tmp/wineboot.log" 2>&1 || fail "wineboot: $(tail -5 "$tmp/wineboot.log")"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/wine/bcryptprimitives.c packaging/wine/bcryptprimitives.def -ladvapi32
wuser="$(ls "$WINEPREFIX/drive_c/users" | grep -v '^Public$' | head -1)"
home="$WINEPREFIX/drive_c/users/$wuser"

step "silent install: $setup /S"
"$WINE" "$setup" /S
inst="$home/AppData/Local/Programs/AuthLens"
for _ in $(seq 60); do [ -f "$inst/uninstall.exe" ] && break; sleep 0.5; done
[ -f "$inst/authlens.exe" ] && [ -f "$inst/uninstall.exe" ] && [ -f "$inst/README.txt" ] || fail "nothing installed in $inst"
unzip -p "$zip" authlens.exe | cmp - "$inst/authlens.exe" || fail "the installed authlens.exe is not the zip's"
[ -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/AuthLens.lnk" ] || fail "no Start-menu entry"
reg() { "$WINE" reg query "$@" 2>/dev/null | tr -d '\r'; }
reg 'HKCU\Software\Classes\.har' /ve | grep -c 'AuthLens.har' >/dev/null || fail ".har is not associated (HKCU)"
reg 'HKCU\Software\Classes\AuthLens.har\shell\open\command' /ve | grep -ci 'authlens.exe" "%1"' >/dev/null || fail "no open command for .har"
reg 'HKCU\Software\Classes\.gz\OpenWithProgids' | grep -c 'AuthLens.har' >/dev/null || fail ".har.gz (.gz) lacks Open with AuthLens"
reg 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\AuthLens' /v DisplayVersion | grep -c "$VERSION" >/dev/null || fail "no uninstall entry"
W="$inst/authlens.exe"
win() { "$WINE" "$W" "$@"; }

step "version"
v="$(win version | tr -d '\r')"
echo "$v"
[[ "$v" == "AuthLens $VERSION (commit "* ]] || fail "version printed $v"

step "analyze --format json: Windows build vs Linux build"
go build -o "$tmp/authlens-linux" .
work="$tmp/Zoë Müller/support cases"
mkdir -p "$work"
cp assets/demo.har "$work/demo.har"
n=0
for d in auth-dropped-on-redirect/auth-dropped-host-redirect connection-auth-broken/iis-ntlm-split-sockets \
         cookie-rejected/cookie-domain-rejected-login-loop expired-token waf-block healthy; do
  f="$(find "testdata/traces/$d" -name 'trace.har' | sort | head -1)"
  [ -n "$f" ] || fail "no trace under testdata/traces/$d"
  n=$((n + 1))
  mkdir -p "$work/trace $n"
  cp "$f" "$work/trace $n/trace.har"
done
(cd "$work" && for f in demo.har trace*/trace.har; do
  "$tmp/authlens-linux" analyze --format json "$f" > "$f.linux.json"
  "$WINE" "$W" analyze --format json "$f" > "$f.windows.json"
  cmp -s "$f.linux.json" "$f.windows.json" || { diff "$f.linux.json" "$f.windows.json" | head -20; exit 1; }
  printf '  %-22s identical (%s bytes, %s exchanges)\n' "$f" "$(wc -c < "$f.linux.json")" "$(grep -o '"index":' "$f.linux.json" | wc -l)"
done) || fail "analyze output differs"

step "sanitize: Windows build vs Linux build (one salt file)"
(cd "$work" && for f in demo.har "trace 2/trace.har"; do
  "$tmp/authlens-linux" sanitize --salt-file salt.key "$f" "$f.linux-sanitized.har"
  "$WINE" "$W" sanitize --salt-file salt.key "$f" "$f.windows-sanitized.har"
  cmp -s "$f.linux-sanitized.har" "$f.windows-sanitized.har" || { diff "$f.linux-sanitized.har" "$f.windows-sanitized.har" | head -20; exit 1; }
  "$WINE" "$W" analyze --format json "$f.windows-sanitized.har" > "$f.sanitized.json"
  printf '  %-22s identical (%s bytes), analysed again by the Windows build\n' "$f" "$(wc -c < "$f.linux-sanitized.har")"
done) || fail "sanitize output differs"

step "CA in %AppData%\\authlens"
capath="$(win ca path | tr -d '\r')"
echo "$capath"
[ "$capath" = "C:\\users\\$wuser\\AppData\\Roaming\\authlens\\ca.pem" ] || fail "ca path is $capath"
win ca install | tr -d '\r' > "$tmp/install.txt"
grep -qF "certutil -user -addstore Root $capath" "$tmp/install.txt" || fail "ca install: $(cat "$tmp/install.txt")"
grep -q 'security.enterprise_roots.enabled' "$tmp/install.txt" || fail "ca install lacks the Firefox note"
uca='C:\users\Zoë Müller\AppData\Roaming\authlens'
ucadir="$home/../Zoë Müller/AppData/Roaming/authlens"
win ca info --ca-dir "$uca" | tr -d '\r' | grep -cF "certificate: $uca\\ca.pem" >/dev/null || fail "ca info --ca-dir with a non-ASCII user name"
[ -f "$ucadir/ca-key.pem" ] || fail "no key in $ucadir"
chmod 0644 "$ucadir/ca-key.pem"   # Wine now shows Everyone in its DACL
if win ca info --ca-dir "$uca" >"$tmp/exposed.txt" 2>&1; then fail "a key Everyone may read was accepted"; fi
grep -q 'Everyone.*regenerate' "$tmp/exposed.txt" || fail "exposed key: $(cat "$tmp/exposed.txt")"
chmod 0600 "$ucadir/ca-key.pem"
win ca info --ca-dir "$uca" >/dev/null || fail "the key back at 0600 was refused"
echo "  DACL checks: private CA accepted, key readable by Everyone refused"

step "capture through the Windows proxy with curl"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up="$(port)"; tls="$(port)"; pp="$(port)"
python3 -m http.server --bind 127.0.0.1 "$up" --directory "$work" >"$tmp/http.log" 2>&1 &
pids+=($!)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/origin-key.pem" -out "$tmp/origin.pem" 2>/dev/null
openssl s_server -quiet -www -accept "$tls" -cert "$tmp/origin.pem" -key "$tmp/origin-key.pem" >"$tmp/tls.log" 2>&1 &
pids+=($!)
(cd "$work" && exec "$WINE" "$W" capture --listen "127.0.0.1:$pp" --out "session.har" --upstream-ca "$tmp/origin.pem") >"$tmp/capture.log" 2>&1 &
cap=$!
pids+=($cap)
for _ in $(seq 120); do curl -sf -o /dev/null -x "http://127.0.0.1:$pp" http://authlens.proxy/ && break; sleep 0.5; done
curl -sf -x "http://127.0.0.1:$pp" http://authlens.proxy/ | grep -c 'netsh winhttp' >/dev/null || fail "the proxy's help page lacks the Windows steps ($(tail -5 "$tmp/capture.log"))"
curl -sf -x "http://127.0.0.1:$pp" http://authlens.proxy/ca.pem -o "$tmp/authlens-ca.pem"
cmp -s "$tmp/authlens-ca.pem" "$home/AppData/Roaming/authlens/ca.pem" || fail "the proxy serves another CA than %AppData%\\authlens\\ca.pem"
c1="$(curl -s -o /dev/null -w '%{http_code}' -x "http://127.0.0.1:$pp" "http://127.0.0.1:$up/demo.har")"
c2="$(curl -s -o /dev/null -w '%{http_code}' -x "http://127.0.0.1:$pp" "http://127.0.0.1:$up/missing")"
c3="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/authlens-ca.pem" -x "http://127.0.0.1:$pp" "https://127.0.0.1:$tls/")"
echo "  through the proxy: http 200 -> $c1, http 404 -> $c2, https (MITM, AuthLens CA) -> $c3"
[ "$c1/$c2/$c3" = "200/404/200" ] || fail "curl through the proxy: $c1/$c2/$c3 ($(tail -5 "$tmp/capture.log"))"
# Stop it as Ctrl+C would; Wine turns SIGINT into a console Ctrl+C event.
kill -INT "$cap" 2>/dev/null || true
for _ in $(seq 40); do [ -s "$work/session.har" ] && ! kill -0 "$cap" 2>/dev/null && break; sleep 0.5; done
if [ ! -s "$work/session.har" ]; then
  echo "  (no HAR after SIGINT: recovering the journal with the Windows build)"
  kill "$cap" 2>/dev/null || true
  (cd "$work" && "$WINE" "$W" capture recover session.har.journal) || fail "capture recover"
fi
python3 - "$work/session.har" "$up" "$tls" <<'PY' || fail "the captured HAR"
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))["log"]
got = sorted((e["request"]["url"], e["response"]["status"]) for e in log["entries"])
up, tls = sys.argv[2], sys.argv[3]
want = [(f"http://127.0.0.1:{up}/demo.har", 200), (f"http://127.0.0.1:{up}/missing", 404), (f"https://127.0.0.1:{tls}/", 200)]
missing = [w for w in want if w not in got]
print(f"  session.har: {len(got)} entries, creator {log['creator']['name']} {log['creator']['version']}")
sys.exit(1 if missing else 0)
PY
"$tmp/authlens-linux" analyze "$work/session.har" > /dev/null || fail "the Linux build cannot read the Windows capture"

step "the window under Wine + Xvfb"
(cd "$work" && exec "$WINE" "$W" demo.har) >"$tmp/gui.log" 2>&1 &
gui=$!
pids+=($gui)
shot="$out/authlens-wine.png"
ok=""
for _ in $(seq 60); do
  sleep 1
  kill -0 "$gui" 2>/dev/null || break
  if xwininfo -root -tree 2>/dev/null | grep -ci '"[^"]*authlens' >/dev/null; then ok=1; sleep 6; break; fi
done
import -display "$DISPLAY" -window root "$shot" 2>/dev/null || true
colors="$(convert "$shot" -format '%k' info: 2>/dev/null || echo 0)"
echo "  window: $(xwininfo -root -tree 2>/dev/null | grep -i '"[^"]*authlens' | head -1 | sed 's/^ *//')"
echo "  screenshot: $shot ($colors colours)"
[ -n "$ok" ] || fail "no AuthLens window ($(tail -5 "$tmp/gui.log"))"
[ "$colors" -gt 50 ] || fail "the screenshot is blank ($colors colours): $(tail -5 "$tmp/gui.log")"
kill "$gui" 2>/dev/null || true

step "uninstall"
"$WINE" "$inst/uninstall.exe" /S
for _ in $(seq 60); do [ ! -f "$inst/authlens.exe" ] && break; sleep 0.5; done
[ ! -f "$inst/authlens.exe" ] || fail "the uninstaller left $inst/authlens.exe"
[ ! -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/AuthLens.lnk" ] || fail "the uninstaller left the Start-menu entry"
if reg 'HKCU\Software\Classes\AuthLens.har' >/dev/null 2>&1 && reg 'HKCU\Software\Classes\AuthLens.har' | grep -c AuthLens >/dev/null; then fail "the uninstaller left the file type"; fi
[ -f "$home/AppData/Roaming/authlens/ca.pem" ] || fail "the uninstaller removed the user's CA"
step "all Wine checks passed"
