# chroot.sh - Debian chroots that hold another OTP, for `make check-otp`:
# made once with debootstrap from Debian's archive, kept in a cache folder
# outside the checkout, reused while they work, remade when they do not.
#
# Sourced by test/otp.sh.  Needs root, debootstrap, mount, flock.
#
# The one danger: the host's /tmp and the checkout are bind-mounted into a
# chroot while tests run, so deleting a chroot that still has mounts would
# delete them too.  Nothing here removes a folder with a mount under it.

CACHE=${BEAMTOP_OTP_CACHE:-/var/cache/beamtop-otp}
MIRROR=${BEAMTOP_OTP_MIRROR:-http://deb.debian.org/debian}
OTP_PKGS="erlang-base erlang-runtime-tools erlang-dev"
BUILD_PKGS="make gcc libc6-dev libncurses-dev check pkg-config"

# mounts_in DIR: the mount points at or under DIR, deepest first.
mounts_in() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' \
		/proc/self/mounts | sort -r
}

# chroot_umount ROOT: unmounts everything under ROOT; status 1 if any
# mount is left.
chroot_umount() {
	local m
	for m in $(mounts_in "$1"); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	[ -z "$(mounts_in "$1")" ]
}

# safe_rm DIR: removes DIR, but never while anything is mounted under it.
safe_rm() {
	local left
	left=$(mounts_in "$1")
	if [ -n "$left" ]; then
		echo "otp: not removing $1, these are mounted in it:" $left >&2
		return 1
	fi
	rm -rf --one-file-system "$1"
}

# chroot_ok ROOT PKGS: ROOT was finished with exactly PKGS and still
# runs its erl (a half-made or damaged chroot is not reused).
chroot_ok() {
	[ "$(cat "$1/.beamtop-pkgs" 2>/dev/null)" = "$2" ] &&
		chroot "$1" dpkg-query -W $2 >/dev/null 2>&1 &&
		chroot "$1" /usr/bin/erl -version >/dev/null 2>&1
}

# chroot_make SUITE ROOT PKGS: a fresh minbase chroot of SUITE with PKGS,
# made in ROOT.new and renamed to ROOT only when complete.
chroot_make() {
	local suite=$1 root=$2 pkgs=$3 new=$2.new
	chroot_umount "$new" && safe_rm "$new" || return 1
	debootstrap --variant=minbase "$suite" "$new" "$MIRROR" || return 1
	# Debian's archive here is a frozen snapshot: its Release files are
	# past their Valid-Until.
	printf '%s\n' 'Acquire::Check-Valid-Until "false";' \
		'APT::Install-Recommends "false";' >"$new/etc/apt/apt.conf.d/90beamtop"
	mount -t proc proc "$new/proc" || return 1
	chroot "$new" apt-get update &&
		DEBIAN_FRONTEND=noninteractive chroot "$new" apt-get install -y $pkgs &&
		chroot "$new" apt-get clean
	local rc=$?
	chroot_umount "$new" || return 1
	[ "$rc" -eq 0 ] || return 1
	printf '%s\n' "$pkgs" >"$new/.beamtop-pkgs"
	chroot_umount "$root" && safe_rm "$root" && mv "$new" "$root"
}

# chroot_ready SUITE PKGS: CACHE/SUITE is a working chroot with PKGS,
# made if missing or broken (its log in CACHE/SUITE.log).
chroot_ready() {
	local root=$CACHE/$1
	mkdir -p "$CACHE"
	(
		flock 9
		chroot_ok "$root" "$2" && exit 0
		echo "otp: making the $1 chroot in $root (log: $root.log)"
		chroot_make "$1" "$root" "$2" >"$root.log" 2>&1 ||
			{ tail -20 "$root.log" >&2; exit 1; }
	) 9>"$root.lock"
}

# chroot_mount ROOT CHECKOUT: /proc, the host's /tmp (the tests' folders)
# and the checkout (read-only) at the same paths inside ROOT.
chroot_mount() {
	local root=$1 src=$2
	cp /etc/hosts "$root/etc/hosts"
	mkdir -p "$root$src"
	mount -t proc proc "$root/proc" &&
		mount --bind /tmp "$root/tmp" &&
		mount --bind "$src" "$root$src" &&
		mount -o remount,bind,ro "$root$src"
}

# chroot_wrappers ROOT DIR: erl, erlc, epmd, erl_call and escript in DIR,
# each running ROOT's own in the caller's folder.  Every step execs, so a
# test's $! is the pid of the real beam (or epmd) process.
chroot_wrappers() {
	local t
	mkdir -p "$2"
	for t in erl erlc epmd erl_call escript; do
		printf '#!/bin/sh\nexec chroot %s /bin/sh -c %s sh "$PWD" %s "$@"\n' \
			"$1" "'PATH=/usr/bin:/bin; cd \"\$1\" 2>/dev/null || cd /; shift; exec \"\$@\"'" \
			"$t" >"$2/$t"
		chmod 755 "$2/$t"
	done
}
