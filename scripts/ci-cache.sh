#!/bin/bash
# CI's cache of the kernel trees, kept across fresh clones beside ccache
# in ~/.cache/rwf-recovery-data/trees:
#   restore  before make check: move the trees the last CI run left into
#            build/, for each base whose tree is missing there and whose
#            cached tree is on the Debian version in use;
#   save     after it: move the trees of build/ back into the cache.
# A fresh clone then rebuilds only what changed, as a local make check
# does, instead of unpacking both source packages again and relinking
# five kernels from ccache.  The trees are moved, never copied: the cache
# is used only on the file system build/ is on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cache=${XDG_CACHE_HOME:-$HOME/.cache}/rwf-recovery-data/trees
bases=${RWF_BASES:-7.3 6.12}

# Each base's tree and the worktree its base kernel is built in.
trees_of() { (RWF_BASE=$1 . "$top/scripts/lib.sh" && echo "$tree $base_tree"); }

same_fs() { [ "$(stat -c %d "$cache")" = "$(stat -c %d "$build")" ]; }

# Move tree $1 (and its base worktree $2) to directory $3, and tell git
# where the worktree went.
move_trees() {
	local tree=$1 base_tree=$2 to=$3
	mv "$tree" "$to/"
	[ ! -d "$base_tree" ] || mv "$base_tree" "$to/"
	[ ! -d "$to/${base_tree##*/}" ] ||
		git -C "$to/${tree##*/}" worktree repair "$to/${base_tree##*/}" \
			> /dev/null 2>&1
}

# objtool's dependency files name its sources by absolute path, under
# build/ of the run that last built each object directory: point those of
# tree $1 at ours, or make rebuilds objtool, and after it every object of
# the kernel.
relocate() {
	local name=${1##*/}
	grep -rlIE "/build/$name/" "$1"/.obj*/tools 2>/dev/null |
		xargs -r sed -i "s#/[^ :=]*/build/$name/#$build/$name/#g"
}

# The Debian version of base $1's source package, fetched if need be.
debian_version() {
	(RWF_BASE=$1 . "$top/scripts/lib.sh"
	 "$top/scripts/deps.sh"
	 [ "$base" = 6.12 ] || "$top/scripts/fetch-source.sh" > /dev/null
	 deb_version)
}

# The Debian version tree $1 was unpacked from.
tree_version() {
	git -C "$1" log -1 --format=%b base | sed -n 's/^Debian-Version: //p'
}

# Leave cached tree $1 as make check expects a tree: no half-done git am,
# no file left changed by an interrupted mutant or per-patch build.
tidy_tree() {
	git -C "$1" am --abort 2>/dev/null || true
	git -C "$1" reset -q --hard
}

restore() {
	local b tree base_tree cached want
	for b in $bases; do
		read -r tree base_tree < <(trees_of "$b")
		cached=$cache/${tree##*/}
		[ ! -e "$tree" ] && [ -d "$cached/.git" ] || continue
		want=$(debian_version "$b")
		if [ "$(tree_version "$cached")" != "$want" ]; then
			say "$b: cached tree is $(tree_version "$cached"), Debian has $want: dropped"
			rm -rf "${cached:?}" "${cache:?}/${base_tree##*/}"
			continue
		fi
		move_trees "$cached" "$cache/${base_tree##*/}" "$build"
		relocate "$tree"
		[ ! -d "$base_tree" ] || relocate "$base_tree"
		tidy_tree "$tree"
		[ ! -d "$base_tree" ] || tidy_tree "$base_tree"
		say "$b: tree of an earlier CI run restored from $cache"
	done
}

save() {
	local b tree base_tree
	for b in $bases; do
		read -r tree base_tree < <(trees_of "$b")
		[ -d "$tree/.git" ] || continue
		rm -rf "${cache:?}/${tree##*/}" "${cache:?}/${base_tree##*/}"
		move_trees "$tree" "$base_tree" "$cache"
	done
}

mkdir -p "$cache" "$build"
same_fs || { say "$cache is on another file system than $build: not used"; exit 0; }
exec 9> "$cache.lock"
flock 9
case ${1:-} in
restore) restore ;;
save)	 save ;;
*)	 die "usage: $0 restore|save" ;;
esac
