#!/bin/bash
# Build the rig's guest userspace as a gzipped cpio with the kernel's own
# usr/gen_init_cpio: busybox, mkfs.ext4/xfs, xfs_io, filefrag, ndctl, sfdisk,
# dmsetup (with their shared libraries) and our kselftests, built static
# against the patched tree's exported uapi headers.
# Usage: rig/initramfs.sh OUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

out=$1
work=$rigs/initramfs
tools=(mkfs.ext4 mke2fs mkfs.xfs xfs_io filefrag ndctl dmsetup sfdisk)

"$top/scripts/kconfig.sh" "$tree"
kmake "$tree" -s headers_install usr/gen_init_cpio >/dev/null

rm -rf "$work"
mkdir -p "$work/kselftest"
make -s -C "$tree/$selftest_dir" OUTPUT="$work/kselftest" \
	KHDR_INCLUDES="-isystem $tree/.obj/usr/include" LDFLAGS=-static \
	INSTALL_PATH="$work/kselftest" all install >/dev/null
gcc -static -O2 -Wall -o "$work/demo-recover" "$top/rig/tools/demo-recover.c"
make -s -C "$top/tools/pmem-recover" O="$work" LDFLAGS=-static >/dev/null
gcc -static -O2 -Wall -isystem "$tree/.obj/usr/include" \
	-o "$work/dax-sigbus-repair" "$tree/samples/dax/dax-sigbus-repair.c"
gcc -static -O2 -Wall -o "$work/dax-bench" "$top/rig/tools/dax-bench.c"
gcc -static -O2 -Wall -o "$work/blk-bench" "$top/rig/tools/blk-bench.c"
gcc -static -O2 -Wall -o "$work/flagged-io-loop" "$top/rig/tools/flagged-io-loop.c"

binaries() { for t in "${tools[@]}"; do command -v "$t" || PATH=/sbin:/usr/sbin:$PATH command -v "$t"; done; }
libraries() {
	binaries | xargs ldd |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' |
		sort -u
}

{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /lib /lib64 /etc /proc /sys \
		 /dev /tmp /root /mnt /usr/lib /usr/lib/x86_64-linux-gnu \
		 /lib/x86_64-linux-gnu /kselftest; do
		echo "dir $d 755 0 0"
	done
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "file /init $top/rig/init 755 0 0"
	echo "file /bin/busybox $(command -v busybox) 755 0 0"
	for a in $(busybox --list | grep -vx busybox); do
		echo "slink /bin/$a busybox 777 0 0"
	done
	for b in $(binaries); do
		echo "file /sbin/${b##*/} $b 755 0 0"
	done
	for l in $(libraries); do
		echo "file $l $(readlink -f "$l") 755 0 0"
	done
	echo "file /etc/mke2fs.conf /etc/mke2fs.conf 644 0 0"
	echo "file /bin/demo-recover $work/demo-recover 755 0 0"
	echo "file /bin/pmem-recover $work/pmem-recover 755 0 0"
	echo "file /bin/dax-sigbus-repair $work/dax-sigbus-repair 755 0 0"
	echo "file /bin/dax-bench $work/dax-bench 755 0 0"
	echo "file /bin/blk-bench $work/blk-bench 755 0 0"
	echo "file /bin/flagged-io-loop $work/flagged-io-loop 755 0 0"
	for f in "$work"/kselftest/*; do
		echo "file /kselftest/${f##*/} $f 755 0 0"
	done
} > "$work/list"

"$tree/.obj/usr/gen_init_cpio" "$work/list" | gzip -n -1 > "$out"
