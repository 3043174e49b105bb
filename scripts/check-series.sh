#!/bin/bash
# Check the series as a maintainer would receive it: patches/ applies as
# git am applies it to the Debian base, checkpatch.pl --strict is clean
# on every patch, and the kernel (and our selftests, where a patch
# touches them) builds after every patch (where lib.sh's check_bisect is
# 1).  Builds in build/linux-base and leaves it at base.  Prints one
# "pass|fail ID" line per check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_base_tree
cd "$base_tree"

result() { echo "$1 series/$2"; }

# A verdict on input that an earlier run judged the same way is kept
# beside ccache's cache, which CI keeps between runs: a run checks and
# builds only what changed since.  Only passes are kept.
verdicts=${XDG_CACHE_HOME:-$HOME/.cache}/rwf-recovery-data
mkdir -p "$verdicts"
passed_before() { grep -qsx "$1" "$verdicts/$2"; }	# KEY LIST
remember() { echo "$1" >> "$verdicts/$2"; }		# KEY LIST

# The series applies to base as git am applies it, patch after patch:
# each file is a mail with an author and a patch (git am's first step,
# git mailinfo), which git apply applies into a scratch index, giving the
# tree of the same commit of $tree (where scripts/tree.sh applied it with
# git am): the per-patch builds build those commits.  No file of this
# worktree is touched, so its base kernel is not rebuilt after a run that
# changed nothing.
commits=$(git -C "$tree" rev-list --reverse base..HEAD)
applies() (
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	export GIT_INDEX_FILE=$tmp/index
	git read-tree base || return 1
	# shellcheck disable=SC2086 # commit ids
	set -- $commits
	for p in $(series_files); do
		if ! git mailinfo "$tmp/msg" "$tmp/patch" < "$p" > "$tmp/info" ||
		   ! grep -q '^Author: .' "$tmp/info" ||
		   ! grep -q '^Email: .' "$tmp/info" || [ ! -s "$tmp/patch" ]; then
			say "${p##*/}: not a mail with an author and a patch"
			return 1
		fi
		git apply --cached "$tmp/patch" ||
			{ say "${p##*/}: does not apply"; return 1; }
		if [ $# = 0 ] ||
		   [ "$(git write-tree)" != "$(git rev-parse "$1^{tree}")" ]; then
			say "${p##*/}: does not give the tree of its commit in $tree"
			return 1
		fi
		shift
	done
	[ $# = 0 ] || { say "$tree has commits the series does not"; return 1; }
)
if applies; then
	result pass apply
else
	result fail apply
	exit 0
fi

# checkpatch.pl's verdict depends on the patch, the tree it reads (its
# own scripts and data files among them), its options and configuration
# files, and the perl and python3 (spdxcheck.py, with ply) it runs with.
# It runs at base, the tree a maintainer applies the series to.  The tree
# has no upstream history, so Fixes: ids cannot be looked up; spdxcheck.py
# needs Debian's python3 (with ply), not another one.
# shellcheck disable=SC2054 # one option's list of types
checkpatch_opts=(--strict --quiet --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID)
checkpatch_key() {
	{ cat "$1"; git rev-parse base; echo "${checkpatch_opts[*]}"
	  cat .checkpatch.conf "$HOME/.checkpatch.conf" \
		"${CHECKPATCH_CONFIG_DIR:-/nonexistent}/.checkpatch.conf" 2>/dev/null
	  PATH=/usr/bin:$PATH perl -e 'print $^V'
	  PATH=/usr/bin:$PATH python3 -c 'import sys, ply; print(sys.version, ply.__version__)' 2>&1
	} | sha1sum | cut -d' ' -f1
}
for p in $(series_files); do
	name=${p##*/} key=$(checkpatch_key "$p")
	if passed_before "$key" checkpatch-passed; then
		result pass "checkpatch/$name (passed before)"
	elif PATH=/usr/bin:$PATH ./scripts/checkpatch.pl "${checkpatch_opts[@]}" \
		"$p" >&2; then
		remember "$key" checkpatch-passed
		result pass "checkpatch/$name"
	else
		result fail "checkpatch/$name"
	fi
done

# Each cover letter carries its text from docs/, not git's placeholder.
for cover in "$patches/0000-cover-letter.patch" \
	     ${split:+"$patches-$split/0000-cover-letter.patch"}; do
	if cover_is_placeholder "$cover"; then
		result fail "cover-letter/${cover#"$top"/patches/}"
	else
		result pass "cover-letter/${cover#"$top"/patches/}"
	fi
done

# Incremental builds, one commit at a time; ccache makes them cheap when
# the patched and the base kernel were built before.
if [ "$check_bisect" != 1 ]; then
	echo "skip series/build # not run on $base (CHECK_BISECT=1 runs it)"
	commits=
fi
# The objects of FILE..., if all are .c files that the kernel builds
# (and that the commit checked out has: one it deleted builds the kernel).
kernel_objects() {
	local f
	for f; do
		case $f in
		tools/*|samples/*|scripts/*|*/Kconfig*|*/Makefile*) return 1 ;;
		*.c) [ -e "$f" ] || return 1; echo "${f%.c}.o" ;;
		*) return 1 ;;
		esac
	done
}

# A commit that built before, on the same parent, with the same config
# fragments and compiler, builds again: only the commits that changed
# since are checked out and built.  (The config's stamp depends on the
# fragments only, not on the commit checked out.)
[ -z "$commits" ] || "$top/scripts/kconfig.sh" "$base_tree"
compiler=$(gcc --version | head -1)
build_key() {	# build_key COMMIT: its tree, its parent's, config, compiler
	printf '%s\n' "$(git rev-parse "$1^{tree}" "$1~1^{tree}")" \
		"$(cat .obj/.rig-config)" "$compiler" | sha1sum | cut -d' ' -f1
}
# A change early in the series gives every later commit a new tree, but
# most of them differ from the tree their patch built in last time only
# in the .c files the change touched: those trees are kept by subject.
subject_key() {	# subject_key COMMIT: its subject, config, compiler
	printf '%s\n' "$(git log -1 --format=%s "$1")" \
		"$(cat .obj/.rig-config)" "$compiler" | sha1sum | cut -d' ' -f1
}
tree_built_before() {	# tree_built_before SUBJECT_KEY, if git still has it
	local t
	t=$(grep -s "^$1 " "$verdicts/built-trees" | tail -1 | cut -d' ' -f2)
	[ -n "$t" ] && git cat-file -e "$t^{tree}" 2>/dev/null && echo "$t"
}
# What commit $2 needs built on top of $1, a tree that built: nothing
# (it touches only tests or documentation), the objects of the kernel's
# .c files it changed (the link is what a whole build adds, about 15 s a
# commit, and the last commit is the patched kernel, built whole), or
# the kernel.
kernel_targets() {
	local kfiles
	kfiles=$(git diff --name-only "$1" "$2" |
		 grep -v '^\(tools/testing/selftests/\|Documentation/\|MAINTAINERS$\)' || true)
	[ -n "$kfiles" ] || return 0
	# shellcheck disable=SC2086 # lists of paths without blanks
	kernel_objects $kfiles || echo bzImage
}

n=0
for c in $commits; do
	n=$((n + 1))
	key=$(build_key "$c") skey=$(subject_key "$c")
	if passed_before "$key" built-commits; then
		tree_line="$skey $(git rev-parse "$c^{tree}")"
		passed_before "$tree_line" built-trees ||
			remember "$tree_line" built-trees
		result pass "build/$(printf %04d $n) (built before)"
		continue
	fi
	git checkout -q --detach "$c"
	ok=pass since=$c~1
	: > .obj/bisect-$n.log
	targets=$(kernel_targets "$since" "$c")
	if t=$(tree_built_before "$skey") &&
	   t_targets=$(kernel_targets "$t" "$c") && [ "$t_targets" != bzImage ]; then
		since=$t targets=$t_targets
	fi
	if [ -n "$targets" ]; then
		# shellcheck disable=SC2086 # a list of objects, or bzImage
		kmake "$base_tree" $targets > .obj/bisect-$n.log 2>&1 || ok=fail
	fi
	if ! git diff --quiet "$since" "$c" -- "$selftest_dir"; then
		{ mkdir -p .obj/kselftest && kmake "$base_tree" headers_install &&
		  make -C "$selftest_dir" OUTPUT="$base_tree/.obj/kselftest" \
			KHDR_INCLUDES="-isystem $base_tree/.obj/usr/include"
		} >> .obj/bisect-$n.log 2>&1 || ok=fail
	fi
	if [ $ok = pass ]; then
		remember "$key" built-commits
		remember "$skey $(git rev-parse "$c^{tree}")" built-trees
	else
		tail -20 .obj/bisect-$n.log >&2
	fi
	result $ok "build/$(printf %04d $n)"
done
git checkout -q --detach base
