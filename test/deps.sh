#!/bin/sh
# deps.sh [build|bench] - installs the Debian packages that beamtop needs
# to build, to run its demo and to pass its tests (`build`: only to build
# and run it; `bench`: also what `make bench` needs); does nothing when
# all are present.
# Run as root, or as a user who may sudo.
set -e
# build and demo: make gcc libc6-dev erlang-* libncurses-dev pkg-config
# tests: check tmux jq procps valgrind clang libclang-rt-14-dev (fuzzing)
# man page lint: groff-base mandoc; screenshots: aha chromium and a font
PKGS="make gcc libc6-dev erlang-base erlang-dev erlang-runtime-tools \
libncurses-dev check pkg-config tmux jq procps valgrind clang \
libclang-rt-14-dev groff-base mandoc aha chromium fonts-dejavu-core"
case "${1:-}" in
build)	PKGS="make gcc libc6-dev erlang-base erlang-dev erlang-runtime-tools \
libncurses-dev pkg-config" ;;
# etop lives in erlang-observer; GNU time gives peak RSS
bench)	PKGS="$PKGS erlang-observer time" ;;
"")	;;
*)	echo "usage: sh test/deps.sh [build|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "deps: these packages are missing and I am not root:$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
