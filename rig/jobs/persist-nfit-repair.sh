# W5 on the NFIT rig, first boot.  QEMU's NVDIMM cannot clear poison, so
# the repair that survives there is the copy-on-write one (W7): the damaged
# file shares its blocks with a reflinked clone, and a flagged write of the
# bad sector moves the file to new, clean blocks.  fsync, then power off;
# persist-nfit-verify.sh boots again from the same NVDIMM file.
. /jobs/fsdax-namespace.sh
. /jobs/file-sectors.sh
n=0
check() { n=$((n + 1)); if "$@" >/dev/null 2>&1; then echo "ok $n $name"; else echo "not ok $n $name"; fi; }

echo "TAP version 13"
echo "1..3"
echo "# dax-fs: persist-nfit-xfs-reflink"
mkfs.xfs -q -f -m reflink=1 /dev/pmem0
mount -o dax /dev/pmem0 /mnt
dd if=/dev/urandom of=/mnt/replica bs=4096 count=16 2>/dev/null
dd if=/dev/urandom of=/mnt/data bs=4096 count=16 2>/dev/null
xfs_io -f -c "reflink /mnt/data" /mnt/clone
cp /mnt/data /mnt/expect
dd if=/mnt/replica of=/mnt/expect bs=512 skip=19 seek=19 count=1 conv=notrunc 2>/dev/null
sync
sector=$(sector_of /mnt/data 19) || { echo "Bail out! no disk sector under /mnt/data"; exit 1; }
echo "$sector 1" > /sys/block/pmem0/badblocks

name=persist.cow_repair
repaired() {
	demo-recover repair /mnt/data 9728 512 /mnt/replica &&
	[ "$(extents /mnt/data)" != "$(extents /mnt/clone)" ] &&
	xfs_io -c fsync /mnt/data
}
check repaired
name=persist.clone_keeps_poison
check [ -n "$(cat /sys/block/pmem0/badblocks)" ]
umount /mnt
mount -o dax /dev/pmem0 /mnt
name=persist.data_after_remount
check cmp /mnt/data /mnt/expect
umount /mnt
