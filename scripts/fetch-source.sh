#!/bin/bash
# Fetch Debian's linux-source-7.3 from trixie-backports into
# build/debs/ without touching the machine's apt configuration: a private
# sources list and private package lists, then "apt-get download".  The
# .deb holds /usr/src/linux-source-7.3.tar.xz; we unpack only that.
# Prints the tarball's path.  Re-running is cheap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=linux-source-7.3
suite=trixie-backports
dir=$build/debs
out=$dir/usr/src/$pkg.tar.xz

if [ ! -f "$out" ]; then
	mkdir -p "$dir/lists/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"http://deb.debian.org/debian $suite main" > "$dir/sources.list"
	apt=(apt-get -q -o "Dir::Etc::sourcelist=$dir/sources.list"
	     -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists")
	"${apt[@]}" update >&2
	rm -f "$dir"/"$pkg"_*.deb
	(cd "$dir" && "${apt[@]}" download "$pkg" >&2)
	dpkg-deb -f "$dir"/"$pkg"_*.deb Version > "$dir/$pkg.version"
	dpkg-deb --fsys-tarfile "$dir"/"$pkg"_*.deb |
		tar -x -C "$dir" "./usr/src/$pkg.tar.xz"
	rm -f "$dir"/"$pkg"_*.deb
fi
echo "$out"
