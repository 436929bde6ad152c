#!/bin/sh
# deps.sh [build|bench] - installs the Debian packages that beamtop needs
# to build, to run its demo and to pass its tests (`build`: only to build
# and run it; `bench`: also what `make bench` needs); does nothing when
# all are present.  Works on Debian 12 and later.
# Run as root, or as a user who may sudo.
set -e
# build and demo: make gcc libc6-dev erlang-* libncurses-dev pkg-config
# tests: check tmux jq procps valgrind clang and its fuzzing runtime;
# elixir (an Elixir node for it_terms); debootstrap (make check-otp)
# man page lint: groff-base mandoc; screenshots: aha chromium and a font
PKGS="make gcc libc6-dev erlang-base erlang-dev erlang-runtime-tools \
libncurses-dev check pkg-config tmux jq procps valgrind clang elixir \
groff-base mandoc aha chromium fonts-dejavu-core debootstrap"
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
	UPDATED=yes
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
}

need $PKGS
[ "$FUZZ" = yes ] || exit 0
# libFuzzer's runtime is versioned with clang: 14 on Debian 12, 19 on 13,
# newer on sid.  The one to install is that of the clang just installed.
v=$(dpkg-query -W -f='${Depends}\n' clang | grep -o 'clang-[0-9][0-9]*' | head -1)
need "libclang-rt-${v#clang-}-dev"
