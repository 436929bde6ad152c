#!/usr/bin/env bash
# otp.sh [SUITE...] - `make check-otp`: the integration suite, run with
# the host-built beamtop against nodes of the OTP of other Debian releases
# (trixie: OTP 27; sid: the newest), each in a chroot made once and reused
# (test/chroot.sh); and beamtop built inside sid, with its compiler and
# erl_interface, running the unit tests there.  Needs root.
set -u
cd "$(dirname "$0")/.."
SRC=$PWD
. test/chroot.sh
SUITES=${*:-trixie sid}
BUILD_IN=sid
BEAMTOP=${BEAMTOP:-$SRC/build/san/beamtop}
export BEAMTOP

if [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null; then
	echo "otp: needs root and debootstrap (sh test/deps.sh)" >&2
	exit 1
fi

pkgs_for() {
	if [ "$1" = "$BUILD_IN" ]; then
		echo "$OTP_PKGS $BUILD_PKGS"
	else
		echo "$OTP_PKGS"
	fi
}

# unit_in ROOT: the unit tests, built inside the chroot from a copy of
# the sources (the checkout is mounted read-only there); then that
# beamtop's --agent against a node of the host's older OTP.
unit_in() {
	local root=$1 dst=$1/root/beamtop
	safe_rm "$dst" && mkdir -p "$dst" || return 1
	tar -C "$SRC" --exclude=./build --exclude=./beamtop --exclude=./.git \
		-cf - . | tar -C "$dst" -xf - || return 1
	chroot "$root" /bin/sh -c 'cd /root/beamtop && make -s -j2 beamtop check-unit' &&
		chroot "$root" /root/beamtop/beamtop --version &&
		NEWER_BEAMTOP="chroot $root /root/beamtop/beamtop" bash test/otp_agent.sh
}

# run_suite SUITE: its chroot mounted for as long as the tests run, and
# unmounted whatever happens (even when interrupted).
run_suite() {
	local root=$CACHE/$1 bin=$CACHE/$1.bin otp
	(
		flock 9
		trap 'chroot_umount "$root"' EXIT
		trap 'exit 130' INT TERM
		chroot_umount "$root" && chroot_mount "$root" "$SRC" || exit 1
		chroot_wrappers "$root" "$bin"
		otp=$("$bin/erl" -noshell -eval \
			'io:format("~s", [erlang:system_info(otp_release)]), halt().')
		echo "=== $1: OTP $otp nodes, beamtop built with OTP $HOST_OTP"
		rc=0
		PATH=$bin:$PATH IT_BUILD_OTP=$HOST_OTP bash test/run_it.sh || rc=1
		if [ "$1" = "$BUILD_IN" ]; then
			echo "=== $1: built and unit-tested inside the chroot"
			unit_in "$root" || rc=1
		fi
		exit $rc
	) 9>"$root.lock"
}

HOST_OTP=$(erl -noshell -eval \
	'io:format("~s", [erlang:system_info(otp_release)]), halt().')
t0=$SECONDS
pids=""
for s in $SUITES; do
	chroot_ready "$s" "$(pkgs_for "$s")" &
	pids="$pids $!"
done
fails=0
for p in $pids; do
	wait "$p" || fails=$((fails + 1))
done
echo "otp: chroots ready in $((SECONDS - t0)) s"
[ "$fails" -eq 0 ] || exit 1
for s in $SUITES; do
	t1=$SECONDS
	run_suite "$s" || fails=$((fails + 1))
	echo "otp: $s done in $((SECONDS - t1)) s"
done
if [ "$fails" -ne 0 ]; then
	echo "check-otp: $fails release(s) failed"
	exit 1
fi
echo "check-otp: all passed ($SUITES) in $((SECONDS - t0)) s"
