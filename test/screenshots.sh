#!/bin/bash
# screenshots.sh OUTDIR - PNG pictures of every pane, made from the real
# binary on the demo node: tmux draws the screen, capture-pane -e keeps
# its colours, aha turns them into HTML, headless Chromium takes the
# picture.  `make screenshots` runs it into screenshots/; `make check`
# runs it into a temporary directory and looks at what it made.
#
# Needs: tmux, aha, chromium (Debian packages), and the demo's erl.
OUT=${1:-screenshots}
. "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
COLS=120
ROWS=40
CHROME=$(command -v chromium || command -v chromium-browser ||
	command -v google-chrome || true)
if [ -z "$CHROME" ] || ! command -v aha >/dev/null; then
	echo "screenshots: needs chromium and aha (sh test/deps.sh installs them)" >&2
	exit 2
fi

start_epmd
screen_start ${COLS}x$ROWS "$BEAMTOP" --demo -d 0.25
wait_for "demo_mailbox" 30 || exit 1
sleep 8	# history enough for the sparklines and trends

# shot NAME: the screen as it is now, into OUT/NAME.png
shot() {
	local name=$1 html=$IT_TMP/$1.html
	{
		printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
		printf 'body{margin:0;background:#000;}'
		printf 'pre{margin:8px;font:14px/17px "DejaVu Sans Mono",monospace;'
		printf 'color:#d0d0d0;background:#000;}</style></head><body><pre>'
		tm capture-pane -t t -e -p | aha --no-header
		printf '</pre></body></html>\n'
	} > "$html"
	# Chromium's own profile and cache stay in the temporary directory.
	# (bounded: a browser that cannot start must not hang the tests)
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--hide-scrollbars \
		--user-data-dir="$IT_TMP/chrome" \
		--window-size=$((COLS * 845 / 100 + 20)),$((ROWS * 17 + 16)) \
		--screenshot="$OUT/$name.png" "file://$html" \
		>"$IT_TMP/chrome.log" 2>&1
	if [ ! -s "$OUT/$name.png" ]; then
		echo "screenshots: chromium made no $name.png:" >&2
		tail -5 "$IT_TMP/chrome.log" >&2
		exit 1
	fi
	cp "$html" "$OUT/.$name.html" 2>/dev/null
	echo "  $OUT/$name.png"
}

# show KEYS TEXT: press KEYS, wait until TEXT is on the screen
show() {
	keys "$1"
	wait_for "$2" 10 || exit 1
	sleep 1.2
}

show 2 "CURRENT FUNCTION";	shot processes
show 1 "binary";		shot memory
show 3 "HISTORY";		shot schedulers
show 4 "PROT";			shot ets
show 5 "CONNECTED";		shot ports
keys 2
show / "Filter"
keys demo_bin_holder; sleep 0.5; keys Enter Enter
wait_for "bin_holder" 10 || exit 1; sleep 1.5; shot drill-down
keys Escape
show '?' "show this help";	shot help
keys q
rm -f "$OUT"/.*.html
