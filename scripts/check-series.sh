#!/bin/bash
# Check the series as a maintainer would receive it: patches/ applies with
# git am to the Debian base, checkpatch.pl --strict is clean on every
# patch, and the kernel (and our selftests, where a patch touches them)
# builds after every patch (where lib.sh's check_bisect is 1).  Works in
# build/linux-base and leaves it at base.  Prints one "pass|fail ID" line
# per check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_base_tree
cd "$base_tree"

result() { echo "$1 series/$2"; }

git am -q --committer-date-is-author-date $(series_files) >/dev/null 2>&1 &&
	result pass apply || { git am --abort 2>/dev/null; result fail apply; exit 0; }
commits=$(git rev-list --reverse base..HEAD)

for p in $(series_files); do
	name=${p##*/}
	# The tree has no upstream history, so Fixes: ids cannot be looked up;
	# spdxcheck.py needs Debian's python3 (with ply), not another one.
	if PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet \
		--ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$p" >&2; then
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
# The objects of FILE..., if all are .c files that the kernel builds.
kernel_objects() {
	local f
	for f; do
		case $f in
		tools/*|samples/*|scripts/*|*/Kconfig*|*/Makefile*) return 1 ;;
		*.c) echo "${f%.c}.o" ;;
		*) return 1 ;;
		esac
	done
}

# A commit that built before, on the same parent, with the same config
# fragments and compiler, builds again: the trees that did are recorded
# beside ccache's cache, which CI keeps between runs, so that a run
# builds only the commits that changed since.
built=${XDG_CACHE_HOME:-$HOME/.cache}/rwf-recovery-data/built-commits
mkdir -p "${built%/*}" && touch "$built"
compiler=$(gcc --version | head -1)
build_key() {	# build_key COMMIT: its tree, its parent's, config, compiler
	printf '%s\n' "$(git rev-parse "$1^{tree}" "$1~1^{tree}")" \
		"$(cat .obj/.rig-config)" "$compiler" | sha1sum | cut -d' ' -f1
}

n=0
for c in $commits; do
	n=$((n + 1))
	git checkout -q --detach "$c"
	"$top/scripts/kconfig.sh" "$base_tree"
	key=$(build_key "$c")
	if grep -qx "$key" "$built"; then
		result pass "build/$(printf %04d $n) (built before)"
		continue
	fi
	ok=pass
	: > .obj/bisect-$n.log
	# A commit that touches only tests or documentation builds the same
	# kernel as its parent: build its selftests only.  One that changes
	# only .c files of the kernel builds their objects (the link is what
	# a whole build adds, about 15 s a commit, and the last commit is the
	# patched kernel, built whole); anything else builds the kernel.
	kfiles=$(git diff --name-only "$c~1" "$c" |
		 grep -v '^\(tools/testing/selftests/\|Documentation/\|MAINTAINERS$\)' || true)
	if [ -n "$kfiles" ]; then
		# shellcheck disable=SC2086 # lists of paths without blanks
		if objs=$(kernel_objects $kfiles); then
			kmake "$base_tree" $objs > .obj/bisect-$n.log 2>&1 || ok=fail
		else
			kmake "$base_tree" bzImage > .obj/bisect-$n.log 2>&1 || ok=fail
		fi
	fi
	if ! git diff --quiet "$c~1" "$c" -- "$selftest_dir"; then
		{ mkdir -p .obj/kselftest && kmake "$base_tree" headers_install &&
		  make -C "$selftest_dir" OUTPUT="$base_tree/.obj/kselftest" \
			KHDR_INCLUDES="-isystem $base_tree/.obj/usr/include"
		} >> .obj/bisect-$n.log 2>&1 || ok=fail
	fi
	if [ $ok = pass ]; then
		echo "$key" >> "$built"
	else
		tail -20 .obj/bisect-$n.log >&2
	fi
	result $ok "build/$(printf %04d $n)"
done
git checkout -q --detach base
