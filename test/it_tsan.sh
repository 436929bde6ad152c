#!/usr/bin/env bash
# it_tsan.sh - the screen's two threads (keys and drawing; the connection)
# under ThreadSanitizer: a scripted session through every pane, sort,
# window, filter, drill-down section and action prompt, while the node
# answers; no data race may be reported.
. "$(dirname "$0")/lib.sh"

TSAN_BIN=${BEAMTOP_TSAN:-$IT_DIR/../build/tsan/beamtop}
if [ ! -x "$TSAN_BIN" ]; then
	echo "it_tsan.sh: skipped: no ThreadSanitizer build (make build/tsan/beamtop)"
	exit 0
fi
start_epmd
start_node target drill
NODE=target@$HOST
export LC_ALL=C.UTF-8
# halt_on_error: the first race ends beamtop, and the test sees it.
export TSAN_OPTIONS="log_path=$IT_TMP/tsan halt_on_error=1 second_deadlock_stack=1"

echo "a scripted screen session under ThreadSanitizer"
screen_start 130x40 "$TSAN_BIN" -d 0.3 "$NODE"
check "the screen is up" wait_for "processes  sorted by memory" 30
for k in R Q M H '<' '>' I I w w w G G 1 3 4 5 2 + - p p; do
	keys "$k"
	sleep 0.15
done
keys / i t _ g s Enter
sleep 0.5
keys Enter
check "a drill-down opens" wait_for "registered name      it_gs" 15
for k in t l d a b m s i; do
	keys "$k"
	sleep 0.4
done
keys k
wait_for "y/N" 5 >/dev/null
keys n
keys Escape Escape 4 Enter
sleep 0.5
keys o
sleep 0.5
keys Escape 5 Enter
sleep 0.5
keys n
sleep 0.5
tm resize-window -t t -x 90 -y 30
sleep 0.3
tm resize-window -t t -x 130 -y 40
sleep 0.5
keys q
check "q exits 0 (no race halted it)" wait_for "EXIT=0" 15
no_race() {
	check "ThreadSanitizer reported nothing" eq \
		"$(cat "$IT_TMP"/tsan* 2>/dev/null | grep -c 'WARNING: ThreadSanitizer')" 0
	if ls "$IT_TMP"/tsan* >/dev/null 2>&1; then
		grep -A12 'WARNING: ThreadSanitizer' "$IT_TMP"/tsan* | head -60 |
			sed 's/^/       /'
	fi
}
no_race
screen_end

# The two answers that write where the screen reads: names for rows
# that a scan without names (--agent) left nameless, and bin_leak's
# report, joined over every process.
echo "--agent's names and bin_leak under ThreadSanitizer"
screen_start 130x40 "$TSAN_BIN" -d 0.3 --agent "$NODE"
check "the screen is up, with the agent" wait_for "processes  sorted by memory" 30
check "  ... rows named by the names asked for" wait_for "it_table_owner" 15
keys B
check "bin_leak asks first" wait_for "y/N" 5
keys y
check "  ... and reports" wait_for "node's binary memory" 60
keys Escape R M
sleep 1
keys q
check "q exits 0" wait_for "EXIT=0" 15
no_race

it_done
