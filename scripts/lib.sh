# Shared settings for the project's scripts; sourced, never run.
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build

die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# The series is kept for two bases, each complete: RWF_BASE=7.3 (Debian's
# trixie-backports linux-source-7.3, what would be posted upstream) and
# RWF_BASE=6.12 (Debian 12's linux-source-6.12, the LTS backport).
base=${RWF_BASE:-6.12}
case $base in
6.12)	tree=$build/linux
	deb_pkg=linux-source-6.12
	tarball=/usr/src/$deb_pkg.tar.xz
	check_kernels="patched base" check_bisect=0 split=
	campaign_seeds=32 ;;
7.3)	tree=$build/linux-7.3
	deb_pkg=linux-source-7.3
	tarball=$build/debs/usr/src/$deb_pkg.tar.xz	# scripts/fetch-source.sh
	check_kernels="patched debug base" check_bisect=1
	split=block campaign_seeds=128 ;;
*)	die "RWF_BASE=$base: the bases are 7.3 and 6.12" ;;
esac
# make check runs the suite on $check_kernels of this base (CHECK_KERNELS
# overrides) and builds every patch if $check_bisect is 1 (CHECK_BISECT
# overrides): all of it on 7.3, the series that would be posted; neither
# the debug kernel nor the per-patch builds on the 6.12 backport, to keep
# CI within its time (see the README).
# The poison campaign runs $campaign_seeds seeds per file system and
# stacking: fewer on 6.12, whose campaign takes two to three times as
# long under TCG as 7.3's, for the same guest time under -icount (so for
# the same work).
check_kernels=${CHECK_KERNELS:-$check_kernels}
check_bisect=${CHECK_BISECT:-$check_bisect}
base_tree=$tree-base		# worktree of the tree's repository at tag base
patches=$top/patches/$base	# the series for this base, with its series file
# On 7.3 the tree's last commit, the block layer's, goes out as a series
# of its own in patches/7.3-$split; patches/7.3/series applies both.
suffix=-$base			# of this base's build outputs ...
[ "$base" != 6.12 ] || suffix=	# ... none for 6.12, the first base
rigs=$build/rig$suffix		# guest images and rig logs

# The Debian version of the base's source package.
deb_version() {
	case $base in
	6.12)	dpkg-query -W -f='${Version}' "$deb_pkg" ;;
	7.3)	cat "$build/debs/$deb_pkg.version" ;;
	esac
}

# The series in apply order, as listed in its series file.
series_files() {
	grep -v '^[[:space:]]*\(#\|$\)' "$patches/series" | sed "s|^|$patches/|"
}

# Does cover letter FILE hold git's placeholder instead of our text?
cover_is_placeholder() { grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$1"; }

# One stable patch id per line for a stream of patches on stdin.
patch_ids() { git patch-id --stable | cut -d' ' -f1; }

selftest_dir=tools/testing/selftests/filesystems/dax	# our kselftests

# Build the kernel in $1 (a source tree) out of tree in $1/$KOBJ (.obj
# unless set; the debug kernel uses .obj-debug): being a direct subdirectory
# of the source keeps every path relative, so ccache shares objects between
# the patched, the base and the bisect builds.
kmake() {
	local src=$1; shift
	CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G} \
		make -C "$src" O="${KOBJ:-.obj}" -j"$(nproc)" CC="ccache gcc" KBUILD_BUILD_USER=rig \
			KBUILD_BUILD_HOST=rig KBUILD_BUILD_TIMESTAMP=2000-01-01 "$@"
}

# The base kernel's source: a worktree of the tree's repository at tag base.
ensure_base_tree() {
	[ -d "$base_tree" ] || git -C "$tree" worktree add -q --detach "$base_tree" base
	git -C "$base_tree" checkout -q --detach base
}

# Append a line to this make check's timeline, which scripts/check.sh
# prints at its end (CI shows only the tail of the log); outside make
# check (no CHECK_START), nothing.
timing() {
	[ -z "${CHECK_START:-}" ] || echo "$base: $*" >> "$build/check-timeline"
}

# bench_setup DIR: what an -icount benchmark boots, in DIR: the tools, the
# tree, the base and the patched bzImage (BENCH_BASE and BENCH_PATCHED, or
# built) and the rig's initramfs.
bench_setup() {
	mkdir -p "$1"
	"$top/scripts/deps.sh"
	"$top/scripts/tree.sh"
	cp "${BENCH_PATCHED:-$("$top/scripts/kernel.sh" patched)}" "$1/patched.bzImage"
	cp "${BENCH_BASE:-$("$top/scripts/kernel.sh" base)}" "$1/base.bzImage"
	"$top/rig/initramfs.sh" "$1/initramfs.cpio.gz"
}
