#!/usr/bin/env bash
# it_hygiene.sh - no leak and no memory error over long runs: 200 batch
# refreshes and a scripted screen session under ASan+LSan, and a batch run
# under valgrind memcheck.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target drill
NODE=target@$HOST
export LC_ALL=C.UTF-8
PLAIN_BEAMTOP=${PLAIN_BEAMTOP:-$IT_DIR/../beamtop}

sanitizer_clean() {
	! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$1" ||
		{ sed 's/^/       | /' "$1" | head -30; false; }
}

echo "200 batch refreshes under ASan and LSan"
"$BEAMTOP" -b -n 200 -d 0.1 --json --lines 5 "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err"
check "exit 0" eq "$?" 0
check "200 reports" eq "$(wc -l <"$IT_TMP/out")" 200
check "no sanitizer report, no leak" sanitizer_clean "$IT_TMP/err"

echo "a scripted screen session under ASan and LSan"
screen_start 120x40 "$BEAMTOP" -d 0.5 "$NODE" "2>$IT_TMP/screen.err"
check "the screen is up" wait_for "processes  sorted by memory" 15
for k in R Q M H G Enter Escape G w / i t _ Escape 1 3 4 Enter o Escape 5 Enter n Escape 2 '?' x; do
	keys "$k"
	sleep 0.3
done
keys / i t _ g s Enter Enter
sleep 1
for k in t l d a s m; do
	keys "$k"
	sleep 0.6
done
keys l Down Enter
sleep 1
keys Escape Escape p p + - q
check "q exits 0" wait_for "EXIT=0" 8
check "no sanitizer report, no leak" sanitizer_clean "$IT_TMP/screen.err"

if command -v valgrind >/dev/null 2>&1; then
	echo "valgrind memcheck over 30 batch refreshes"
	valgrind --leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=99 --log-file="$IT_TMP/vg.log" \
		"$PLAIN_BEAMTOP" -b -n 30 -d 0.1 --json --lines 5 "$NODE" >/dev/null
	check "valgrind: exit 0 (no error)" eq "$?" 0
	check "valgrind: 0 errors" contains "$(grep 'ERROR SUMMARY' "$IT_TMP/vg.log")" \
		"ERROR SUMMARY: 0 errors"
	check "valgrind: nothing definitely lost" contains \
		"$(grep -E 'definitely lost|no leaks are possible' "$IT_TMP/vg.log")" \
		"$(grep -q 'no leaks are possible' "$IT_TMP/vg.log" && echo 'no leaks' || echo 'definitely lost: 0 bytes')"
	grep -E 'ERROR SUMMARY|definitely lost|in use at exit' "$IT_TMP/vg.log" | sed 's/^==[0-9]*== /       /'
fi

it_done
