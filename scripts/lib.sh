# Shared settings for the project's scripts; sourced, never run.
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build
tree=$build/linux		# the developer's tree: base + series
base_tree=$build/linux-base	# worktree of the same repository at tag base
tarball=/usr/src/linux-source-6.12.tar.xz
deb_pkg=linux-source-6.12

die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# The series in apply order, as listed in patches/series.
series_files() {
	grep -v '^[[:space:]]*\(#\|$\)' "$top/patches/series" | sed "s|^|$top/patches/|"
}

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
