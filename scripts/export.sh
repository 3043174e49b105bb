#!/bin/bash
# Export the commits on top of tag base in the tree of RWF_BASE (see
# lib.sh) into its patches/BASE directory as git format-patch files plus
# a quilt-style series file.  The cover letter's subject and text come
# from docs/cover-letter-BASE.txt, or docs/cover-letter.txt if there is
# none.  The output depends only on the commits: exporting twice leaves
# git status clean.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree/.git" ] || die "no tree: run 'make tree' first"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"
[ "$(git -C "$tree" rev-list --count base..HEAD)" -gt 0 ] || die "no commits on top of base"

out=$patches
mkdir -p "$out"
cover=$top/docs/cover-letter-$base.txt
[ -f "$cover" ] || cover=$top/docs/cover-letter.txt
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
# The cover letter is dated like the newest patch, not "now".
GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%aD HEAD) \
git -C "$tree" -c branch.main.description="$(cat "$cover")" \
	format-patch -q --cover-letter --cover-from-description=subject \
	--zero-commit --no-signature --base=base --no-thread \
	-o "$out" base..HEAD
(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') > "$out/series"
git -C "$tree" format-patch --stdout base..HEAD | patch_ids > "$tree/.git/rwf-synced"
say "exported $(wc -l < "$out/series") patches to $out"
