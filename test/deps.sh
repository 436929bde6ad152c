#!/bin/sh
# deps.sh [build|bench] - installs the Debian packages that beamtop needs
# to build, to run its demo and to pass its tests (`build`: only to build
# and run it; `bench`: also what `make bench` needs); does nothing when
# all are present.  Works on Debian 12 and later.
# Run as root, or as a user who may sudo.
set -e
# build and demo: make gcc libc6-dev erlang-* libncurses-dev pkg-config
# tests: check tmux jq procps valgrind clang and its fuzzing runtime;
# elixir (an Elixir node for it_terms); debootstrap (make check-otp);
# rabbitmq-server, a packaged application
# as a target (test/it_rabbit.sh starts its own instance: the system's
# service is not started by the install, see no_service_starts below)
# man page lint: groff-base mandoc; screenshots: aha chromium and a font
PKGS="make gcc libc6-dev erlang-base erlang-dev erlang-runtime-tools \
libncurses-dev check pkg-config tmux jq procps valgrind clang elixir \
groff-base mandoc aha chromium fonts-dejavu-core debootstrap rabbitmq-server"
FUZZ=yes
case "${1:-}" in
build)	PKGS="make gcc libc6-dev erlang-base erlang-dev erlang-runtime-tools \
libncurses-dev pkg-config"; FUZZ=no ;;
# etop lives in erlang-observer; GNU time gives peak RSS
bench)	PKGS="$PKGS erlang-observer time" ;;
"")	;;
*)	echo "usage: sh test/deps.sh [build|bench]" >&2; exit 2 ;;
esac

if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=none
fi
UPDATED=no

# no_service_starts: while packages are installed, invoke-rc.d is told by
# a policy-rc.d (exit 101: "action forbidden") to start no service, so
# that rabbitmq-server's postinst leaves no system instance running (in a
# container without an init system it would start one by hand).  A
# policy-rc.d that already forbids is left as it is; any other is put
# back when this script ends, whatever happens.
POLICY=/usr/sbin/policy-rc.d
POLICY_SAVED=$POLICY.beamtop-deps
policy_restore() {
	[ -n "${POLICY_MINE:-}" ] || return 0
	$SUDO rm -f "$POLICY"
	[ ! -e "$POLICY_SAVED" ] || $SUDO mv "$POLICY_SAVED" "$POLICY"
	POLICY_MINE=
}
no_service_starts() {
	rc=0
	[ -x "$POLICY" ] && { "$POLICY" rabbitmq-server start >/dev/null 2>&1 || rc=$?; }
	[ "$rc" = 101 ] && return 0
	trap policy_restore EXIT
	trap 'exit 130' INT TERM
	[ ! -e "$POLICY" ] || $SUDO mv "$POLICY" "$POLICY_SAVED"
	POLICY_MINE=yes
	printf '#!/bin/sh\n# beamtop deps.sh: no service starts while it installs\nexit 101\n' |
		$SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 755 "$POLICY"
}

# need PKG...: installs those of PKG... that are not installed.
need() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$SUDO" = none ]; then
		echo "deps: these packages are missing and I am not root:$missing" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	[ "$UPDATED" = yes ] || $SUDO apt-get update
	no_service_starts
	UPDATED=yes
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
}

need $PKGS
[ "$FUZZ" = yes ] || exit 0
# libFuzzer's runtime is versioned with clang: 14 on Debian 12, 19 on 13,
# newer on sid.  The one to install is that of the clang just installed.
v=$(dpkg-query -W -f='${Depends}\n' clang | grep -o 'clang-[0-9][0-9]*' | head -1)
need "libclang-rt-${v#clang-}-dev"
