#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a make target needs, and nothing
# that is already there. Usage: .ci/deps.sh run|test|package|bench
set -euo pipefail

want="${1:-run}"
# What the app needs to build and open a window (Fyne uses cgo, GL and X11).
pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev)
if [ "$want" != run ] && [ "$want" != bench ]; then
  # make package: the Windows cross compiler, the installer builder and the
  # archivers (dpkg-deb and objdump come with dpkg and binutils).
  pkgs+=(gcc-mingw-w64-x86-64 nsis zip xz-utils binutils)
fi
if [ "$want" = test ]; then
  # make test runs the Windows build under Wine (64-bit only, wine64);
  # its checks unzip the zip and look for the window with xwininfo.
  pkgs+=(wine64 unzip x11-utils)
fi
if [ "$want" = bench ]; then
  # make bench (scripts/bench): the tools AuthLens is compared with (node,
  # jq, mitmdump), the load generator and the server it loads (wrk,
  # nginx), and GNU time for peak memory.
  pkgs+=(wrk mitmproxy nginx-light jq time openssl python3 procps)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
fi
if [ "$want" != run ] && [ "$want" != package ] && [ "$want" != bench ]; then
  # The test suite: a virtual display and screenshots, real Chromium, real
  # servers (nginx, apache2 + mod_security2 + OWASP CRS, squid, Django),
  # curl, openssl and Node.js for playwright-core and har-validator.
  pkgs+=(xvfb xauth x11-apps imagemagick chromium nginx-light apache2 apache2-utils
         libapache2-mod-security2 modsecurity-crs squid python3-django curl openssl
         ca-certificates libnss3-tools procps psmisc poppler-utils)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || pkgs+=(golang-go)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "Installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # apache2 and squid must not start as system services on install: the
  # tests start their own instances on 127.0.0.1 and stop them by PID.
  if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$want" != run ] && [ "$want" != package ] && [ "$want" != bench ]; then
  # Node tools for the tests, pinned by package-lock.json.
  (cd "$(dirname "$0")/../testdata/tools" && { [ -d node_modules/playwright-core ] && [ -d node_modules/har-validator ] || npm ci --no-audit --no-fund; })
fi
