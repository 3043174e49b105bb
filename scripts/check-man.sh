#!/bin/bash
# Check the manual pages the repository carries: the man-pages patch for
# readv.2, applied to the text it was made against (readv.2 of Debian's
# manpages-dev), the one that adds ioctl_getpoison.2, and
# tools/pmem-recover/pmem-recover.1.  Each must format without a warning
# from groff -ww and man --warnings.
# Prints one "pass man/PAGE" or "fail man/PAGE WHY" line per page.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

patches=$top/patches/man-pages
patch=$patches/0001-readv.2-RWF_RECOVERY_DATA.patch
page=/usr/share/man/man2/readv.2.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8 MANWIDTH=80

# readv.2 as manpages-dev ships it; from the package itself if the
# system was installed without manual pages (dpkg path-exclude).
base_readv() {
	if [ -f "$page" ]; then
		zcat "$page"
		return
	fi
	(cd "$work" && apt-get download -qq manpages-dev) &&
		dpkg-deb --fsys-tarfile "$work"/manpages-dev_*.deb |
		tar -xO ".$page" | zcat
}

lint() {	# lint NAME FILE
	local warnings
	warnings=$({ groff -man -ww -z "$2"; man --warnings -l "$2" >/dev/null; } 2>&1 |
		   head -3 | tr '\n' ' ')
	if [ -z "$warnings" ]; then
		echo "pass man/$1"
	else
		echo "fail man/$1 $warnings"
	fi
}

check_readv() {
	mkdir -p "$work/man/man2"
	if ! base_readv > "$work/man/man2/readv.2"; then
		echo "fail man/readv.2 no base text: $page is missing and manpages-dev cannot be downloaded"
	elif ! (cd "$work" && git apply "$patch") 2>"$work/apply.err"; then
		echo "fail man/readv.2 the patch does not apply: $(head -1 "$work/apply.err")"
	else
		lint readv.2 "$work/man/man2/readv.2"
	fi
}

# A patch that adds a page applies to nothing.
check_new_page() {	# check_new_page PATCH PAGE
	local dir=$work/new
	mkdir -p "$dir"
	if ! (cd "$dir" && git apply "$1") 2>"$work/apply.err"; then
		echo "fail man/${2##*/} the patch does not apply: $(head -1 "$work/apply.err")"
	else
		lint "${2##*/}" "$dir/$2"
	fi
}

{
	check_readv
	check_new_page "$patches/0002-ioctl_getpoison.2-Document-FS_IOC_GETPOISON.patch" \
		man/man2/ioctl_getpoison.2
	lint pmem-recover.1 "$top/tools/pmem-recover/pmem-recover.1"
} | tee "$work/results"
! grep -q '^fail' "$work/results"
