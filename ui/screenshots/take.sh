#!/usr/bin/env bash
# Takes screenshots of the real AuthLens window under Xvfb, one per view,
# into ui/screenshots/*.png. Called by `make screenshots` (and CI).
#
# Needs: Xvfb, ImageMagick (import), the GL/X11 build dependencies of Fyne.
# How it drives the window: the hidden environment variable
# AUTHLENS_SCREENSHOT_VIEW (overview, detail, response, cookies, diagnosis,
# walkthrough, walkthrough-cause, walkthrough-remedy, capture; start = the
# start screen) makes the app open that view on
# the first failing exchange (or entry AUTHLENS_SCREENSHOT_ENTRY) once the
# trace has loaded; AUTHLENS_WINDOW_SIZE
# (e.g. 1024x640) sets the window size. Each view is a fresh process with a
# fresh preferences directory, so no state leaks between shots.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$here"
display="" # picked by Xvfb (-displayfd): a free one, even next to other X servers
settle=${AUTHLENS_SCREENSHOT_SETTLE:-2}

trace="$repo/testdata/traces/expired-token/demo/trace.har"
[ -s "$trace" ] || trace="$repo/ui/testdata/support.har"

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

for tool in Xvfb import convert md5sum go; do
	command -v "$tool" >/dev/null || { echo "take.sh: $tool is missing (make deps-test installs Xvfb and ImageMagick)" >&2; exit 1; }
done

echo "building the preview app…"
(cd "$repo" && go build -o "$work/authlens-preview" ./ui/cmd/preview)

start_xvfb() { # WIDTHxHEIGHT
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
		xvfb_pid=""
	fi
	: >"$work/display"
	Xvfb -displayfd 3 -screen 0 "$1x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do
		if [ -s "$work/display" ]; then
			display=":$(head -n1 "$work/display")"
			return 0
		fi
		kill -0 "$xvfb_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "take.sh: Xvfb did not start" >&2
	cat "$work/xvfb.log" >&2
	exit 1
}

# stop_app ends the app: politely first, then for sure, so that a window
# that does not quit on SIGTERM cannot hang the run (CI has a time limit).
stop_app() {
	[ -n "$app_pid" ] || return 0
	kill "$app_pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$app_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$app_pid" 2>/dev/null || true
	wait "$app_pid" 2>/dev/null || true
}

shot() { # NAME VIEW SIZE FILE [ENTRY] [THEME]
	local name=$1 view=$2 size=$3 file=$4 entry=${5:-} variant=${6:-dark}
	local home="$work/home-$name"
	mkdir -p "$home"
	HOME="$home" XDG_CONFIG_HOME="$home/.config" DISPLAY=$display LANG=en_US.UTF-8 FYNE_THEME="$variant" \
		AUTHLENS_SCREENSHOT_VIEW="$view" AUTHLENS_SCREENSHOT_ENTRY="$entry" AUTHLENS_WINDOW_SIZE="$size" \
		AUTHLENS_APP_ID="io.authlens.screenshots" \
		"$work/authlens-preview" $file >"$work/$name.log" 2>&1 &
	app_pid=$!
	sleep "$settle"
	# Wait until the window has drawn (not black) and stopped changing
	# (loading finished), at most ~30 s.
	local prev="" cur="" ok=""
	for _ in $(seq 30); do
		if ! kill -0 "$app_pid" 2>/dev/null; then
			echo "take.sh: the app exited early for $name:" >&2
			cat "$work/$name.log" >&2
			exit 1
		fi
		if ! DISPLAY=$display timeout 30 import -window root "$work/shot.png" 2>>"$work/$name.log"; then
			echo "take.sh: could not grab the screen for $name" >&2
			cat "$work/$name.log" >&2
			exit 1
		fi
		cur=$(md5sum <"$work/shot.png" | cut -d' ' -f1)
		local mean
		mean=$(convert "$work/shot.png" -format '%[fx:mean>0.02]' info:)
		if [ "$mean" = 1 ] && [ "$cur" = "$prev" ]; then
			ok=1
			break
		fi
		prev=$cur
		sleep 1
	done
	if [ -z "$ok" ]; then
		echo "take.sh: the window for $name stayed blank or never stopped changing" >&2
		cat "$work/$name.log" >&2
		exit 1
	fi
	cp "$work/shot.png" "$out/$name.png"
	stop_app
	app_pid=""
	echo "wrote ui/screenshots/$name.png"
}

start_xvfb 1280x800
shot start         start                1280x800 ""
shot error         ""                   1280x800 "$repo/ui/testdata/bad.har"
shot demo          overview             1280x800 ""
shot overview      overview             1280x800 "$trace"
shot detail        detail               1280x800 "$trace"
shot response      response             1280x800 "$trace"
shot diagnosis     diagnosis            1280x800 "$trace" 9
shot cookies       cookies              1280x800 "$trace" 13
shot walkthrough   walkthrough          1280x800 "$trace"
shot walkthrough-cause walkthrough-cause 1280x800 "$trace" 9
shot walkthrough-remedy walkthrough-remedy 1280x800 "$trace"
shot overview-light overview           1280x800 "$trace" "" light
shot truncated     overview             1280x800 "$repo/ui/testdata/truncated.har"
shot capture       capture              1280x800 "$trace"

start_xvfb 1024x640
shot overview-1024x640 overview         1024x640 "$trace"
shot walkthrough-1024x640 walkthrough-remedy 1024x640 "$trace"
shot demo-1024x640 overview             1024x640 ""
shot capture-1024x640 capture           1024x640 "$trace"

# compare view: File ▸ Compare with working trace… on a pair of
# testdata/pairs/pairs.txt (cookie-rejected), the failing trace open and
# AUTHLENS_SCREENSHOT_COMPARE naming the working one.
# Two traces are read before the view settles: a longer first wait, so a
# busy machine does not catch the progress dialog standing still.
export AUTHLENS_SCREENSHOT_COMPARE="$repo/testdata/traces/healthy/session-login/trace.har"
settle=$(( ${AUTHLENS_SCREENSHOT_SETTLE:-2} + 3 ))
start_xvfb 1366x768
shot compare       ""                   1366x768 "$repo/testdata/traces/cookie-rejected/cookie-rejected/trace.har"
start_xvfb 1024x640
shot compare-1024x640 ""                1024x640 "$repo/testdata/traces/cookie-rejected/cookie-rejected/trace.har"
unset AUTHLENS_SCREENSHOT_COMPARE
