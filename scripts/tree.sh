#!/bin/bash
# Build the kernel tree the series is developed in: for RWF_BASE=6.12,
# build/linux holds Debian's linux-source-6.12 committed as tag "base",
# with patches/6.12 applied on top by git am; for RWF_BASE=7.3, the same in
# build/linux-7.3 with linux-source-7.3 and patches/7.3.  Re-running is
# cheap: a tree already in step with its series is left alone.  Work in the
# tree that was not exported is never thrown away; the script stops and
# says so instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh"
[ "$base" = 6.12 ] || "$top/scripts/fetch-source.sh" > /dev/null

deb_version=$(deb_version)
synced=$tree/.git/rwf-synced	# patch ids of the series last applied/exported

ident() {
	git -C "$top" config "$1" 2>/dev/null || echo "$2"
}

create_base() {
	say "unpacking $deb_pkg $deb_version into $tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	# Debian's tarball ignores every new top-level path ("/*"), which would
	# hide new files from git add; the base drops that packaging block.
	sed -i '/^# Debian packaging/,/^!\/debian\//d' "$tree/.gitignore"
	git -C "$tree" init -q -b main
	git -C "$tree" config user.name "$(ident user.name 'RWF_RECOVERY_DATA')"
	git -C "$tree" config user.email "$(ident user.email 'rwf@localhost')"
	git -C "$tree" add -A -f .
	# A fixed date makes the base commit id the same on every machine.
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' \
	GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git -C "$tree" commit -q -m "Linux $deb_version (Debian $deb_pkg)" \
			-m "Debian-Version: $deb_version"
	git -C "$tree" tag base
	: > "$synced"
}

tree_ids() { git -C "$tree" format-patch --stdout base..HEAD | patch_ids; }
series_ids() { series_files | xargs -r cat | patch_ids; }

# git am the series in $1, the tree or a worktree of its repository.
apply_series() {
	say "applying $(series_files | wc -l) patches with git am"
	git -C "$1" am -q --committer-date-is-author-date $(series_files) ||
		die "git am failed; fix the tree (git -C $1 am --abort) and retry"
}

[ -d "$tree/.git" ] || create_base

base_version=$(git -C "$tree" log -1 --format=%b base | sed -n 's/^Debian-Version: //p')
[ "$base_version" = "$deb_version" ] ||
	say "note: tree base is $base_version, installed $deb_pkg is $deb_version;" \
	    "export your work, remove $tree and re-run to move to the new base"

[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them there, then 'make export'"

have=$(tree_ids)
want=$(series_ids)
[ "$have" = "$want" ] && exit 0
if [ -z "$have" ]; then
	apply_series "$tree"
	tree_ids > "$synced"
	exit 0
fi

# The tree differs from patches/.  Replacing its commits is safe only when
# they are exactly what was last applied or exported (patches/ moved on,
# e.g. after git pull); anything else is unexported work.
[ "$have" = "$(cat "$synced" 2>/dev/null)" ] ||
	die "$tree has commits not exported to patches/: run 'make export' first" \
	    "(or, to drop them: git -C $tree reset --hard base)"

# Apply the series onto base in a scratch worktree and move the tree to
# the result: git then rewrites only the files that differ, and make
# rebuilds only what depends on them.  (git am in the tree itself would
# first reset every file the series touches, include/linux/fs.h among
# them, and most of the kernel would be rebuilt.)
say "patches/ changed since the tree was last synced: re-applying the series"
scratch=$tree.apply
rm -rf "$scratch"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$scratch" base
apply_series "$scratch"
new_head=$(git -C "$scratch" rev-parse HEAD)
git -C "$tree" worktree remove --force "$scratch"
git -C "$tree" checkout -q main
git -C "$tree" reset -q --hard "$new_head"
tree_ids > "$synced"
