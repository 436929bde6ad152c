#!/bin/bash
# it_screenshots.sh - `make screenshots` works: the script makes a PNG of
# every pane from the real binary on the demo node, each a picture of a
# screen (not an empty page), and the README shows the checked-in ones.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$IT_DIR/.." && pwd)
SHOTS="memory processes schedulers ets ports drill-down help"

# png_size FILE: "WIDTH HEIGHT" from the PNG header, or nothing.
png_size() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		return 0
	od -An -tu1 -j 16 -N 8 "$1" | awk '{
		printf "%d %d\n", $1*16777216 + $2*65536 + $3*256 + $4,
		       $5*16777216 + $6*65536 + $7*256 + $8 }'
}

echo "make screenshots, into a temporary directory"
check "the script ends well" bash "$IT_DIR/screenshots.sh" "$IT_TMP/shots"
for s in $SHOTS; do
	f=$IT_TMP/shots/$s.png
	size=$(png_size "$f" 2>/dev/null)
	check "$s.png is a PNG" test -n "$size"
	check "  ... of a whole screen (${size:-none})" \
		awk -v s="${size:-0 0}" 'BEGIN { split(s, d, " "); exit !(d[1] >= 900 && d[2] >= 600) }'
	# A blank page compresses to a few KiB; a screen of text does not.
	check "  ... with something drawn on it" \
		test "$(stat -c %s "$f" 2>/dev/null || echo 0)" -gt 20000
	check "  ... and checked in" test -s "$ROOT/screenshots/$s.png"
	check "  ... and shown in the README" \
		grep -q "screenshots/$s.png" "$ROOT/README.md"
done
it_done
