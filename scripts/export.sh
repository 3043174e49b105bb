#!/bin/bash
# Export the commits on top of tag base in the tree of RWF_BASE (see
# lib.sh) into its patches/BASE directory as git format-patch files plus
# a quilt-style series file.  Where lib.sh names a $split series (7.3:
# block), the last commit goes to patches/BASE-$split instead, as a
# series of its own whose prerequisites are the rest, and the series file
# lists it last.  A cover letter's subject and text come from
# docs/cover-letter-BASE[-SPLIT].txt, or docs/cover-letter.txt if there is
# none.  The output depends only on the commits: exporting twice leaves
# git status clean.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree/.git" ] || die "no tree: run 'make tree' first"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"
[ "$(git -C "$tree" rev-list --count base..HEAD)" -gt 0 ] || die "no commits on top of base"

cover_of() {	# cover_of NAME: the cover letter text for patches/NAME
	local cover=$top/docs/cover-letter-$1.txt
	[ -f "$cover" ] || cover=$top/docs/cover-letter.txt
	cat "$cover"
}

# export_series FROM TO DIR: the patches of FROM..TO into DIR, with a
# cover letter dated like the newest patch, not "now"; prints their names.
# format-patch takes the cover text from the description of the branch
# the range ends at, so the range ends at a branch made for it (git 2.39
# has no --description-file).
export_series() {
	local from=$1 to=$2 dir=$3 tip=rwf-export
	mkdir -p "$dir"
	rm -f "$dir"/[0-9][0-9][0-9][0-9]-*.patch
	git -C "$tree" branch -f "$tip" "$to"
	GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%aD "$to") \
	git -C "$tree" -c "branch.$tip.description=$(cover_of "${dir##*/}")" \
		format-patch -q --cover-letter --cover-from-description=subject \
		--zero-commit --no-signature --base=base --no-thread \
		-o "$dir" "$from..$tip"
	git -C "$tree" branch -q -D "$tip"
	! cover_is_placeholder "$dir/0000-cover-letter.patch" ||
		die "$dir/0000-cover-letter.patch: git wrote its placeholder"
	(cd "$dir" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-')
}

# The split series is the last commit, and only if it is the one that
# touches what the split is named for (block/): a commit added after it
# must be moved below it first.
main_end=HEAD
if [ -n "$split" ]; then
	main_end=HEAD~1
	[ -n "$(git -C "$tree" diff --name-only HEAD~1 HEAD -- "$split/")" ] &&
	[ -z "$(git -C "$tree" diff --name-only base HEAD~1 -- "$split/")" ] ||
		die "the tree's last commit must be the only one that touches $split/: rebase it to the top"
fi
export_series base "$main_end" "$patches" > "$patches/series.new"
if [ -n "$split" ]; then
	export_series "$main_end" HEAD "$patches-$split" |
		sed "s|^|../$base-$split/|" >> "$patches/series.new"
fi
mv "$patches/series.new" "$patches/series"
git -C "$tree" format-patch --stdout base..HEAD | patch_ids > "$tree/.git/rwf-synced"
say "exported $(wc -l < "$patches/series") patches to $patches${split:+ and $patches-$split}"
