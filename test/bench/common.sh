# common.sh - sourced by the benchmark scripts: the hard-case node, a
# process's CPU time, the load average, medians.

# cpu_ms PID: user+system CPU of a process so far, in ms.
cpu_ms() {
	awk -v t="$((1000 / $(getconf CLK_TCK)))" '{ sub(/.*\) /, ""); print ($12 + $13) * t }' "/proc/$1/stat"
}

now_ms() { date +%s%3N; }

# loadavg: the 1-minute load average.
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# median: of the numbers on stdin (whole, or to a tenth); nothing when
# there are none.
median() {
	sort -g | awk '{ a[NR] = $1 } END { if (!NR) exit
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf (m == int(m) ? "%d\n" : "%.1f\n"), m }'
}

# decile: the worst decile of the numbers on stdin (the value that a tenth
# of them are at or below); nothing when there are none.
decile() { sort -g | awk '{ a[NR] = $1 } END { if (NR) { k = int((NR + 9) / 10); print a[k] } }'; }

# start_bench_node NAME N: a node NAME with N idle processes and the hard
# case (bench_load.erl, compiled into $IT_TMP/beams); sets BENCH_PID.
start_bench_node() {
	local name=$1 n=$2 ready="$IT_TMP/$1.ready" i
	erl -sname "$name" -setcookie "$COOKIE" -noshell -noinput +P $((n * 2 + 100000)) \
		-pa "$IT_TMP/beams" -s bench_load start "$ready" "$n" \
		>"$IT_TMP/$name.log" 2>&1 &
	BENCH_PID=$!
	remember $BENCH_PID
	for i in $(seq 3000); do
		[ -f "$ready" ] && return 0
		sleep 0.1
	done
	echo "bench: the node for $n processes did not start"
	cat "$IT_TMP/$name.log"
	exit 1
}
