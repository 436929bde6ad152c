#!/usr/bin/env bash
# run_it.sh - runs every integration test (test/it_*.sh) against real
# nodes; each starts and stops its own epmd and nodes.
set -u
cd "$(dirname "$0")/.."
# The sanitizer build reports leaks at exit; known leaks of libraries
# (not beamtop's) are listed, with reasons, in test/lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/test/lsan.supp:print_suppressions=0"
fails=0
# IT_TESTS: a few of them only (make check-otp passes it on).
for t in ${IT_TESTS:-test/it_*.sh}; do
	echo "== $t"
	if ! bash "$t"; then
		fails=$((fails + 1))
	fi
done
if [ "$fails" -ne 0 ]; then
	echo "integration: $fails file(s) failed"
	exit 1
fi
echo "integration: all passed"
